-- Plan nodes keep the forecast in its day-invariant form (issue 5,
-- domain/schedule.h "DayInvariantDate"; storage/warning_store.h). Keep in
-- step with sqlite/0021_plan_forecast_invariant.sql.
--
-- A late plan's forecast is anchored to today, so the day's dates moved for
-- ~155 000 of 1.17 M nodes every day and RecomputeAll rewrote them all.
-- Stored instead: for each of forecast start and finish, the date that does
-- not move (forecast_*_fixed, the old columns renamed: a recorded actual
-- date, or the part fixed by done predecessors) and an offset in working
-- days from today (forecast_*_offset, NULL when the date does not move);
-- the date for a day is the later of the two. The Gantt renders it for its
-- day (storage/gantt_repo.cc). slack, critical and reason were read by
-- nothing but the engine's own comparison (the plan API computes them for
-- the day): dropped.
--
-- The rows keep their last dates as fixed dates with no offset — what they
-- showed before — until the next RecomputeAll, which blanking computed_on
-- makes due (WarningsStale) at the server's start.
ALTER TABLE plan_nodes RENAME COLUMN forecast_start TO forecast_start_fixed;
ALTER TABLE plan_nodes RENAME COLUMN forecast_finish TO forecast_finish_fixed;
ALTER TABLE plan_nodes ADD COLUMN forecast_start_offset BIGINT;
ALTER TABLE plan_nodes ADD COLUMN forecast_finish_offset BIGINT;
ALTER TABLE plan_nodes DROP COLUMN slack;
ALTER TABLE plan_nodes DROP COLUMN critical;
ALTER TABLE plan_nodes DROP COLUMN reason;
UPDATE project_warnings SET computed_on = '';
