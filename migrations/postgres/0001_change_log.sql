-- The change log shared by every replica: every committed batch of changes, in commit
-- order, never updated or deleted. `seq` is the graph version the batch makes (the seed
-- is version 0); a writer takes the next number under the log's lock, so numbers run
-- without gaps in the order the database committed them.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE change_log (
    seq             BIGINT PRIMARY KEY CHECK (seq > 0),
    committed_at    TEXT NOT NULL,
    actor           TEXT NOT NULL,
    reason          TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    batch           TEXT NOT NULL
);

-- The entities each committed batch names, for an entity's history.
CREATE TABLE change_entities (
    entity TEXT NOT NULL,
    seq    BIGINT NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (entity, seq)
);

-- The text of each document a committed batch adds, kept with its batch.
CREATE TABLE change_documents (
    seq  BIGINT NOT NULL REFERENCES change_log (seq),
    file TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (seq, file)
);

CREATE FUNCTION pledgegraph_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the change log is append-only';
END
$$;

CREATE TRIGGER change_log_is_append_only
    BEFORE UPDATE OR DELETE ON change_log
    FOR EACH ROW EXECUTE FUNCTION pledgegraph_append_only();
CREATE TRIGGER change_log_is_not_truncated
    BEFORE TRUNCATE ON change_log
    FOR EACH STATEMENT EXECUTE FUNCTION pledgegraph_append_only();
CREATE TRIGGER change_documents_are_append_only
    BEFORE UPDATE OR DELETE ON change_documents
    FOR EACH ROW EXECUTE FUNCTION pledgegraph_append_only();
CREATE TRIGGER change_documents_are_not_truncated
    BEFORE TRUNCATE ON change_documents
    FOR EACH STATEMENT EXECUTE FUNCTION pledgegraph_append_only();
