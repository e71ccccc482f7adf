//! The change log in SQLite, in one file of a data directory: write-ahead logging, and
//! every commit synced to disk before it is acknowledged (`synchronous=FULL`).

use std::path::Path;

use sqlx::migrate::MigrateError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteSynchronous};
use sqlx::{Connection, Row};

use super::{
    DB_FILE, Document, Durability, Entry, LoggedDocument, NewEntry, StoreError, read_document,
    read_entry,
};
use crate::model::ChangeBatch;

/// The `application_id` in the header of every pledgegraph store: "pldg".
const APPLICATION_ID: i64 = 0x706c_6467;

/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

/// The seed fingerprint's key in the `meta` table.
const SEED_KEY: &str = "seed_fingerprint";

/// The `meta` key of the last batch whose entities are in `change_entities`.
const INDEXED_KEY: &str = "entities_indexed_through";

const ENTRY_COLUMNS: &str = "seq, committed_at, actor, reason, idempotency_key, batch";

/// One connection to the store's file: the log has one writer, and commits one batch at
/// a time.
#[derive(Debug)]
pub(super) struct SqliteLog {
    conn: SqliteConnection,
}

impl SqliteLog {
    /// Opens (creating on first use) the store in `dir`; see [`super::Log::open_dir`].
    pub async fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(DB_FILE);
        check_header(&path)?;
        let unreadable = |e: sqlx::Error| StoreError::Unreadable {
            path: path.clone(),
            reason: e.to_string(),
        };
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .synchronous(SqliteSynchronous::Full);
        let mut conn = SqliteConnection::connect_with(&options)
            .await
            .map_err(unreadable)?;
        // Nothing is written to a file before it is known to be ours (or empty).
        let id: i64 = sqlx::query_scalar("PRAGMA application_id")
            .fetch_one(&mut conn)
            .await
            .map_err(unreadable)?;
        let objects: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_master")
            .fetch_one(&mut conn)
            .await
            .map_err(unreadable)?;
        if objects > 0 && id != APPLICATION_ID {
            return Err(StoreError::Foreign { path });
        }
        let check: String = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_one(&mut conn)
            .await
            .map_err(unreadable)?;
        if check != "ok" {
            return Err(StoreError::Unreadable {
                path,
                reason: check,
            });
        }
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&mut conn)
            .await
            .map_err(unreadable)?;
        match sqlx::migrate!("./migrations/sqlite").run(&mut conn).await {
            Ok(()) => {}
            Err(MigrateError::VersionMissing(version)) => {
                return Err(StoreError::Newer { path, version });
            }
            Err(e) => {
                return Err(StoreError::Unreadable {
                    path,
                    reason: e.to_string(),
                });
            }
        }
        let mut log = SqliteLog { conn };
        log.index_entities().await?;
        Ok(log)
    }

    /// Records the entities of every batch the entity index lacks (a log written before
    /// the index existed), in one transaction.
    async fn index_entities(&mut self) -> Result<(), StoreError> {
        let mut tx = self.conn.begin().await?;
        let mark: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(INDEXED_KEY)
            .fetch_optional(&mut *tx)
            .await?;
        let mark: i64 = mark.and_then(|m| m.parse().ok()).unwrap_or(0);
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM change_log WHERE seq > ? ORDER BY seq"
        ))
        .bind(mark)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut last = mark;
        for row in &rows {
            let entry = read_entry(row)?;
            insert_entities(&mut tx, &entry.batch, entry.seq).await?;
            last = i64::try_from(entry.seq).unwrap_or(i64::MAX);
        }
        set_indexed(&mut tx, last).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn bind_seed(&mut self, fingerprint: &str) -> Result<(), StoreError> {
        let mut tx = self.conn.begin().await?;
        let recorded: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(SEED_KEY)
            .fetch_optional(&mut *tx)
            .await?;
        match recorded {
            Some(recorded) if recorded != fingerprint => Err(StoreError::OtherSeed {
                recorded,
                given: fingerprint.to_string(),
            }),
            Some(_) => Ok(()),
            None => {
                sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?)")
                    .bind(SEED_KEY)
                    .bind(fingerprint)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }
        }
    }

    /// Commits `entry` with its `documents` as batch `at` (the next one when `None`), at
    /// `committed_at` or now; [`StoreError::Behind`] when the log is past `at - 1`.
    pub async fn insert(
        &mut self,
        entry: &NewEntry,
        documents: &[Document],
        committed_at: Option<&str>,
        at: Option<u64>,
    ) -> Result<Entry, StoreError> {
        if let Some(key) = &entry.idempotency_key
            && let Some(first) = self.by_idempotency_key(key).await?
        {
            return Ok(first);
        }
        // `BEGIN IMMEDIATE`: the next number is read and used under one write lock.
        let mut tx = self.conn.begin_with("BEGIN IMMEDIATE").await?;
        let last: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM change_log")
            .fetch_one(&mut *tx)
            .await?;
        if let Some(at) = at
            && i64::try_from(at).ok() != Some(last + 1)
        {
            return Err(StoreError::Behind {
                last: u64::try_from(last).unwrap_or(0),
            });
        }
        let row = sqlx::query(&format!(
            "INSERT INTO change_log (seq, committed_at, actor, reason, idempotency_key, batch) \
             VALUES (?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ?, ?, ?, ?) \
             RETURNING {ENTRY_COLUMNS}"
        ))
        .bind(last + 1)
        .bind(committed_at)
        .bind(&entry.actor)
        .bind(&entry.reason)
        .bind(&entry.idempotency_key)
        .bind(entry.batch.to_json())
        .fetch_one(&mut *tx)
        .await?;
        let committed = read_entry(&row)?;
        insert_entities(&mut tx, &entry.batch, committed.seq).await?;
        for document in documents {
            sqlx::query("INSERT INTO change_documents (seq, file, text) VALUES (?, ?, ?)")
                .bind(last + 1)
                .bind(&document.file)
                .bind(&document.text)
                .execute(&mut *tx)
                .await?;
        }
        set_indexed(&mut tx, last + 1).await?;
        tx.commit().await?;
        Ok(committed)
    }

    pub async fn documents_of(&mut self, seq: u64) -> Result<Vec<Document>, StoreError> {
        let rows =
            sqlx::query("SELECT file, text FROM change_documents WHERE seq = ? ORDER BY file")
                .bind(i64::try_from(seq).unwrap_or(i64::MAX))
                .fetch_all(&mut self.conn)
                .await?;
        rows.iter().map(read_document).collect()
    }

    pub async fn documents(&mut self) -> Result<Vec<LoggedDocument>, StoreError> {
        let rows = sqlx::query("SELECT seq, file, text FROM change_documents ORDER BY seq, file")
            .fetch_all(&mut self.conn)
            .await?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.try_get("seq")?;
                Ok(LoggedDocument {
                    seq: u64::try_from(seq).unwrap_or(0),
                    document: read_document(row)?,
                })
            })
            .collect()
    }

    pub async fn page(&mut self, after: u64, limit: usize) -> Result<Vec<Entry>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?"
        ))
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&mut self.conn)
        .await?;
        rows.iter().map(read_entry).collect()
    }

    pub async fn naming(
        &mut self,
        entity: &str,
        after: u64,
        limit: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        let columns = ENTRY_COLUMNS.replace("seq", "l.seq");
        let rows = sqlx::query(&format!(
            "SELECT {columns} FROM change_entities e JOIN change_log l ON l.seq = e.seq \
             WHERE e.entity = ? AND e.seq > ? ORDER BY e.seq LIMIT ?"
        ))
        .bind(entity)
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&mut self.conn)
        .await?;
        rows.iter().map(read_entry).collect()
    }

    pub async fn by_idempotency_key(&mut self, key: &str) -> Result<Option<Entry>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM change_log WHERE idempotency_key = ?"
        ))
        .bind(key)
        .fetch_optional(&mut self.conn)
        .await?;
        row.as_ref().map(read_entry).transpose()
    }

    pub async fn last_seq(&mut self) -> Result<u64, StoreError> {
        let last: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM change_log")
            .fetch_one(&mut self.conn)
            .await?;
        Ok(u64::try_from(last).unwrap_or(0))
    }

    pub async fn close(self) -> Result<(), StoreError> {
        Ok(self.conn.close().await?)
    }

    pub async fn backup(&mut self, path: &Path) -> Result<u64, StoreError> {
        let failed = |reason: String| StoreError::Backup {
            path: path.to_path_buf(),
            reason,
        };
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(StoreError::BackupExists {
                path: path.to_path_buf(),
            });
        }
        let Some(name) = path.file_name() else {
            return Err(failed("the path names no file".into()));
        };
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(parent).map_err(|e| failed(e.to_string()))?;
        // An absolute path: SQLite would read a relative one starting `file:` as a URI.
        let parent = std::fs::canonicalize(parent).map_err(|e| failed(e.to_string()))?;
        let mut part_name = std::ffi::OsString::from(".");
        part_name.push(name);
        part_name.push(".part");
        let part = parent.join(part_name);
        let target = parent.join(name);
        // A part left by an interrupted backup of the same name: never a finished backup.
        match std::fs::remove_file(&part) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(failed(format!("cannot remove {}: {e}", part.display())));
            }
            _ => {}
        }
        let Some(text) = part.to_str() else {
            return Err(failed("the path is not valid UTF-8".into()));
        };
        let vacuumed = sqlx::query("VACUUM INTO ?")
            .bind(text)
            .execute(&mut self.conn)
            .await;
        let last = match vacuumed {
            Ok(_) => read_back(&part).await,
            Err(e) => Err(e.to_string()),
        };
        let placed = last.map_err(failed).and_then(|last| {
            // SQLite does not sync the copy it writes.
            std::fs::File::open(&part)
                .and_then(|f| f.sync_all())
                .map_err(|e| failed(e.to_string()))?;
            place(&part, &target, path)?;
            Ok(last)
        });
        let _ = std::fs::remove_file(&part);
        let last = placed?;
        if let Ok(d) = std::fs::File::open(&parent) {
            // Makes the new name durable where the platform allows syncing a directory.
            let _ = d.sync_all();
        }
        Ok(last)
    }

    pub async fn durability(&mut self) -> Result<Durability, StoreError> {
        let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut self.conn)
            .await?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut self.conn)
            .await?;
        Ok(Durability {
            journal_mode,
            synchronous,
        })
    }
}

/// Checks a fresh copy of the store, read only, and answers the number of its last batch.
async fn read_back(copy: &Path) -> Result<u64, String> {
    let options = SqliteConnectOptions::new().filename(copy).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| e.to_string())?;
    let read = async {
        let check: String = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_one(&mut conn)
            .await?;
        let last: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM change_log")
            .fetch_one(&mut conn)
            .await?;
        Ok::<_, sqlx::Error>((check, last))
    }
    .await;
    let _ = conn.close().await;
    match read {
        Ok((check, last)) if check == "ok" => Ok(u64::try_from(last).unwrap_or(0)),
        Ok((check, _)) => Err(format!("the copy does not read back whole: {check}")),
        Err(e) => Err(format!("the copy does not read back: {e}")),
    }
}

/// Gives the finished copy `part` its name `target` (the file asked for as `asked`)
/// without ever replacing a file of that name: a second name (a hard link) where the
/// file system has them, else a rename once the name is checked to be free.
fn place(part: &Path, target: &Path, asked: &Path) -> Result<(), StoreError> {
    let exists = || StoreError::BackupExists {
        path: asked.to_path_buf(),
    };
    let failed = |e: std::io::Error| StoreError::Backup {
        path: asked.to_path_buf(),
        reason: e.to_string(),
    };
    match std::fs::hard_link(part, target) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists()),
        Err(_) if std::fs::symlink_metadata(target).is_ok() => Err(exists()),
        Err(_) => std::fs::rename(part, target).map_err(failed),
    }
}

/// Refuses a file that is there but is not a SQLite database, before SQLite opens it.
fn check_header(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let read = match std::fs::File::open(path) {
        Ok(mut f) => f.read(&mut head),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => Err(e),
    };
    match read {
        Ok(0) => Ok(()),
        Ok(n) if n == head.len() && head == SQLITE_HEADER => Ok(()),
        Ok(_) => Err(StoreError::Unreadable {
            path: path.to_path_buf(),
            reason: "not a SQLite database".into(),
        }),
        Err(e) => Err(StoreError::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
    }
}

/// Records the entities a batch names, for their history.
async fn insert_entities(
    conn: &mut SqliteConnection,
    batch: &ChangeBatch,
    seq: u64,
) -> Result<(), StoreError> {
    for entity in super::named_entities(batch) {
        sqlx::query("INSERT OR IGNORE INTO change_entities (entity, seq) VALUES (?, ?)")
            .bind(entity)
            .bind(i64::try_from(seq).unwrap_or(i64::MAX))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Records that every batch up to `seq` has its entities indexed.
async fn set_indexed(conn: &mut SqliteConnection, seq: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(INDEXED_KEY)
        .bind(seq.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
