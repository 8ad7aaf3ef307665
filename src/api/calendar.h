// The working-day calendar's import, shared by POST /api/v1/calendar/import
// (api/calendar.cc) and `zhuanban calendar import` (app/cli_calendar.cc).
#pragma once

#include <cstdint>
#include <string_view>

#include "api/ledger.h"
#include "core/status.h"
#include "http/message.h"
#include "storage/db.h"

namespace zb::api {

// Reads `bytes` as a calendar .csv (io/calendar_csv.h) into the import
// report {ok, dry_run, rows, created, updated, unchanged, errors} (warnings
// always empty). A .xlsx (zip) file or one without any day is a problem of
// the file. Unless dry_run or a problem, every day that differs is set in
// ONE transaction with one audit entry "calendar.import" (the counts and the
// date range) recorded for `req` (its principal, if any, is the updating
// user). A non-OK Status is for the database failing, never for the file.
StatusOr<ImportReport> ImportCalendar(db::Pool& pool, const http::Request& req, std::string_view bytes,
                                      int64_t now_ms, bool dry_run);

}  // namespace zb::api
