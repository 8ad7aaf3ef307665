-- Keep in step with postgres/0018_ledger_version_notify.sql, which sends the
-- 问题台账's data and calendar versions to a LISTENing server. Nothing to do
-- on SQLite: its reads of the versions are in-process and cheap, so a
-- request reads them itself (storage/ledger_versions.h).
SELECT 1;
