// The shape imported tables arrive in, whatever the file: rows of typed cells
// handed one at a time to a RowSink, so an importer treats .xlsx and .csv
// alike and a 100 000-row file is never held as a whole.
//
// Contract (both readers)
// - Row::number is 1-based and is the row the user sees in Excel or WPS (for
//   a CSV: the record's position, blank records counted), so an importer's
//   "第 N 行" points at the right place.
// - Row::cells[i] is column i (A = 0); gaps are kEmpty cells and trailing
//   empty cells are dropped. Rows with no non-empty cell are not delivered.
// - Empty text counts as kEmpty. Readers do not trim: that is the importer's
//   validation.
// - The sink returning a non-OK Status stops the read, and the reader returns
//   that Status unchanged.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace zb::io {

enum class CellKind {
  kEmpty,
  kText,     // text: the string
  kNumber,   // number: the value; text: the digits exactly as stored ("13812345678")
  kBoolean,  // number: 1 or 0; text: "TRUE" / "FALSE"
  kError,    // text: Excel's error value ("#N/A", "#DIV/0!")
  kDate,     // date + seconds; number: Excel's serial; text: "2026-11-23" or "2026-11-23 08:30:00"
};

struct Cell {
  CellKind kind = CellKind::kEmpty;
  std::string text;
  double number = 0;
  Date date;            // kDate only
  int32_t seconds = 0;  // kDate only: seconds since midnight (0 for a plain date)
};

struct Row {
  int64_t number = 0;
  std::vector<Cell> cells;
};

// Called once per row, in file order. The Row is reused for the next row:
// copy what you keep.
using RowSink = std::function<Status(const Row&)>;

}  // namespace zb::io
