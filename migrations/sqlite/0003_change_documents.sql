-- The text of each document a committed batch adds (a source's file, written into the
-- sources directory after the commit): kept with its batch, so replay, backup, restore
-- and export carry it. Append-only, like the log.
CREATE TABLE change_documents (
    seq  INTEGER NOT NULL REFERENCES change_log (seq),
    file TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (seq, file)
) STRICT;

CREATE TRIGGER change_documents_are_append_only_update BEFORE UPDATE ON change_documents
BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;

CREATE TRIGGER change_documents_are_append_only_delete BEFORE DELETE ON change_documents
BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;
