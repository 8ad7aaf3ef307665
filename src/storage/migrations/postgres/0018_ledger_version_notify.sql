-- The 问题台账's versions without a round trip per request (issue 6,
-- storage/ledger_versions.h). Keep in step with sqlite/0018_ledger_version_notify.sql
-- (a no-op there: SQLite reads the versions in-process).
--
-- Every change of the ledger's data version (0009, bumped once per
-- transaction at commit) or of the calendar's (0006) is also sent on the
-- channel zb_ledger_versions, as "<table> <epoch> <version>". A server keeps
-- one connection LISTENing there and the versions in memory; NOTIFY is
-- delivered only after its transaction commits, to listeners in commit
-- order, and never for a transaction that rolls back.
CREATE FUNCTION ledger_versions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('zb_ledger_versions', TG_TABLE_NAME || ' ' || new.epoch || ' ' || new.version);
  RETURN NULL;
END $$;
CREATE TRIGGER problem_data_version_notify AFTER INSERT OR UPDATE ON problem_data_version
  FOR EACH ROW EXECUTE FUNCTION ledger_versions_notify();
CREATE TRIGGER calendar_meta_notify AFTER INSERT OR UPDATE ON calendar_meta
  FOR EACH ROW EXECUTE FUNCTION ledger_versions_notify();
