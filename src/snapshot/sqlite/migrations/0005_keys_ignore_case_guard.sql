-- A sync whose keys are stored lower-cased (keys_ignore_case) must never get a key with capitals: an
-- older Ebb still running against this file would compare keys exactly, plan "User@x.com" as a create
-- and the stored "user@x.com" as a delete of that same record. Its create is committed first (writes go
-- before deletes), and this stops it there, before any delete is sent. Ebb itself lower-cases such keys
-- (with Unicode rules; lower() here only knows ASCII, which is enough to catch an exact-keyed writer).
CREATE TRIGGER `snapshot_rows_keys_ignore_case` BEFORE INSERT ON `snapshot_rows`
WHEN NEW.`key` <> lower(NEW.`key`) AND (SELECT `keys_ignore_case` FROM `sync_state` WHERE `sync` = NEW.`sync`) = 1
BEGIN
  SELECT RAISE(ABORT, 'this sync''s snapshot keys are lower-cased (its destination matches them ignoring case), but a key with capitals was written: an Ebb older than this snapshot is running against it. Stop it and use the newer Ebb');
END;
