// `zhuanban init`: the first org unit of an empty database, the built-in
// roles, and the `admin` account with a random password printed once (to be
// changed at first sign-in); with --demo also
// a realistic district to explore (its departments, zone and subdistricts
// as a Shandong district lays them out, demo accounts, enterprises, and a
// project library with its 包保, stage histories and 专班: demo_data.h).
// Idempotent: a database that already has org units is left as it is.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "storage/db.h"

namespace zb::app {

struct InitOptions {
  std::string root_name;  // empty: "本级单位", or the demo district's name
  bool demo = false;
};

// Returns a human-readable report of what was created.
StatusOr<std::string> InitDatabase(db::Pool& pool, const InitOptions& options, const Clock& clock);

}  // namespace zb::app
