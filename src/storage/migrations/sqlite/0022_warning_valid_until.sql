-- project_warnings rows hold for a span of days, not for one (issue 5,
-- storage/warning_store.h; domain/warnings.h WarningReason, StableThrough).
-- Keep in step with postgres/0022_warning_valid_until.sql.
--
-- A late project's reasons quoted day counts ("已逾期 6 个工作日") and its
-- max_slip grew by one each working day, so a new day rewrote ~51 000 of
-- 100 000 rows. Now:
-- - reasons holds each reason's day-invariant form, a JSON object
--   {"k": kind, "s": subject, "a": fixed, "b": offset} the reader renders
--   for its day (a plain string, as the rows written before this migration
--   hold, reads as itself);
-- - max_slip is the part of the slip that does not move, max_slip_offset
--   (NULL: none) the part that moves: the day's max_slip is
--   max(max_slip, t0 + max_slip_offset), t0 the day's working-day ordinal;
-- - valid_until: the last day the row's colours, counts and reason forms
--   hold for (with computed_on ≤ today ≤ valid_until the row is current;
--   '' — every row here — is never current, so the next RecomputeAll
--   rewrites them all).
ALTER TABLE project_warnings ADD COLUMN max_slip_offset INTEGER;
ALTER TABLE project_warnings ADD COLUMN valid_until TEXT NOT NULL DEFAULT '';
