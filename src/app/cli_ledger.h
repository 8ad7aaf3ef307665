// `zhuanban import projects|enterprises FILE [--dry-run] [--year Y]` and
// `zhuanban export projects --out FILE [--stage S --level L --org-unit ID
// --year Y --q TEXT …]`: the 项目台账 and 企业库 Excel in and out from a
// shell (api/ledger.h does the work, as for the HTTP routes).
//
// They run as the system: every record in scope, the checks of the API,
// audit entries without a user (request id "cli"). On a terminal (stderr a
// tty) a progress line is drawn. An import prints every problem as
// "第 7 行 · 总投资(万元): …" and exits 1 when there is one (nothing
// written); warnings are printed too. The export refuses more than 200 000
// projects, like the API.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

namespace zb::app {

class LedgerCommands {
 public:
  // Adds the `import` and `export` subcommands to `cli`.
  explicit LedgerCommands(CLI::App& cli);
  ~LedgerCommands();

  // After parsing: runs the command that was given and returns its exit
  // code; nullopt when neither was.
  std::optional<int> Run();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace zb::app
