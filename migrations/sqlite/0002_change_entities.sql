-- The entities each committed batch names, for an entity's history: filled as batches
-- are appended (and, for a log written before this table, at the next start).
CREATE TABLE change_entities (
    entity TEXT NOT NULL,
    seq    INTEGER NOT NULL REFERENCES change_log (seq),
    PRIMARY KEY (entity, seq)
) STRICT, WITHOUT ROWID;
