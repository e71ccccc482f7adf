-- The change log: every committed batch of changes, in commit order, never updated or
-- deleted. `seq` is the graph version the batch makes (the seed is version 0).
PRAGMA application_id = 1886151783; -- 'pldg': marks the file as a pledgegraph store

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE change_log (
    seq             INTEGER PRIMARY KEY NOT NULL CHECK (seq > 0),
    committed_at    TEXT NOT NULL,
    actor           TEXT NOT NULL,
    reason          TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    batch           TEXT NOT NULL
) STRICT;

CREATE TRIGGER change_log_is_append_only_update BEFORE UPDATE ON change_log
BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;

CREATE TRIGGER change_log_is_append_only_delete BEFORE DELETE ON change_log
BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;
