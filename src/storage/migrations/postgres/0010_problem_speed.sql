-- The ledger at 500 000 items: the daily job and the figures (issue 6,
-- docs/performance.md);
-- keep in step with sqlite/0010_problem_speed.sql.

-- The overdue step asks "open, past the deadline, not yet told for it":
-- with the marker in the index that is an index-only range. It serves
-- every query (status, deadline) served, so it replaces that index.
CREATE INDEX problems_status_deadline_told_idx ON problems (status, deadline, overdue_notified_on);
DROP INDEX problems_status_deadline_idx;

-- The day the daily job next looks at an overdue item's automatic
-- escalation (storage/problem_daily.h): set to the day it is told overdue,
-- then to the working day its next step falls due. A stale date (the item
-- was resolved, its deadline moved) is cleared by the job when it comes.
ALTER TABLE problems ADD COLUMN next_escalation_on TEXT;
CREATE INDEX problems_next_escalation_on_idx ON problems (next_escalation_on) WHERE next_escalation_on IS NOT NULL;
-- The counts the job resets once an item is no longer overdue.
CREATE INDEX problems_auto_escalated_idx ON problems (status, deadline) WHERE auto_escalated_count > 0;
-- Items already told overdue for their deadline are looked at on the next run.
UPDATE problems SET next_escalation_on = deadline
WHERE overdue_notified_on = deadline AND status IN ('pending', 'returned', 'assigned', 'in_progress');

-- What the stored dates were computed with (auto_escalate_days and the
-- calendar's version): when it changes the job looks at every overdue
-- item again.
CREATE TABLE problem_daily_state (
  id               BIGINT PRIMARY KEY CHECK (id = 1),
  escalation_basis TEXT    NOT NULL
);
INSERT INTO problem_daily_state (id, escalation_basis) VALUES (1, '');

-- The figures (storage/problem_stats_repo.h) read every column they need
-- from this index, raised_on first: a period is one range of it, and the
-- pass never touches the table.
CREATE INDEX problems_stats_idx ON problems (raised_on, lead_unit_id, category, level, status, deadline,
  original_deadline, resolved_on, on_spot, satisfaction, escalation_count, resolve_days);
