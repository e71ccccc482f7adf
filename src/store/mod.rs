//! The durable change log: every committed batch of changes, in commit order, with who
//! made it, when and why. One facade, [`Log`], over its backends: SQLite in a data
//! directory is the embedded one, PostgreSQL the one replicas share.
//!
//! The log is append-only: a batch's sequence number is the graph version it makes (the
//! seed is version 0), numbers run without gaps, and nothing is updated or deleted. The
//! log also records a fingerprint of the seed it started from, so that it is never
//! replayed on another seed by mistake.

mod error;
mod postgres;
mod sqlite;

use std::path::Path;

pub use error::StoreError;
pub use postgres::Watch;

use crate::model::ChangeBatch;

/// The name of the database file in a data directory.
pub const DB_FILE: &str = "pledgegraph.db";

/// A batch to commit, with who made it and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    /// Who made the change: an editor's name.
    pub actor: String,
    /// Why, in the editor's words.
    pub reason: String,
    /// The client's key for this write: a retry with the same key finds this entry
    /// rather than committing the batch twice.
    pub idempotency_key: Option<String>,
    /// The changes, applied whole or not at all.
    pub batch: ChangeBatch,
}

impl NewEntry {
    /// A committed batch as it was asked for, to commit it to another log.
    fn again(entry: &Entry) -> NewEntry {
        NewEntry {
            actor: entry.actor.clone(),
            reason: entry.reason.clone(),
            idempotency_key: entry.idempotency_key.clone(),
            batch: entry.batch.clone(),
        }
    }
}

/// A document's text that a batch adds, kept with it in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The source's file name in the sources directory.
    pub file: String,
    /// The whole text.
    pub text: String,
}

/// A document of the log, with the batch that added it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedDocument {
    /// The batch's sequence number.
    pub seq: u64,
    /// The document.
    pub document: Document,
}

/// A committed batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its sequence number: the graph version it makes.
    pub seq: u64,
    /// When it was committed, in UTC (`2026-12-01T08:00:00.000Z`).
    pub committed_at: String,
    /// Who made the change.
    pub actor: String,
    /// Why.
    pub reason: String,
    /// The client's key for the write, when it gave one.
    pub idempotency_key: Option<String>,
    /// The changes.
    pub batch: ChangeBatch,
}

/// How the database is set to keep what it commits, as it reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Durability {
    /// `wal`: writers append to a log that readers do not wait for.
    pub journal_mode: String,
    /// 2 is `FULL`: a commit waits until the log is on disk, so a power cut loses nothing
    /// acknowledged.
    pub synchronous: i64,
}

/// The change log, whichever backend holds it.
#[derive(Debug)]
pub struct Log {
    backend: Backend,
}

#[derive(Debug)]
enum Backend {
    Sqlite(sqlite::SqliteLog),
    Postgres(postgres::PgLog),
}

/// Calls the same method of whichever backend holds the log.
macro_rules! each {
    ($log:expr, $db:ident => $call:expr) => {
        match $log {
            Backend::Sqlite($db) => $call,
            Backend::Postgres($db) => $call,
        }
    };
}

impl Log {
    /// Opens the log in data directory `dir`, creating the directory and the database on
    /// first use and bringing an older database's schema up to date. A file that is not
    /// a pledgegraph store, was written by a newer version, or cannot be read is refused.
    pub async fn open_dir(dir: &Path) -> Result<Log, StoreError> {
        let backend = Backend::Sqlite(sqlite::SqliteLog::open(dir).await?);
        Ok(Log { backend })
    }

    /// Opens the log shared by the replicas in the PostgreSQL database at `url`,
    /// creating its tables on first use and bringing an older schema up to date; `shown`
    /// is the URL as messages name it (its password hidden). An unreachable database,
    /// refused credentials, or a schema written by a newer version are refused, each
    /// with its own error.
    pub async fn open_url(url: &str, shown: &str) -> Result<Log, StoreError> {
        let backend = Backend::Postgres(postgres::PgLog::open(url, shown).await?);
        Ok(Log { backend })
    }

    /// True when other servers may commit to the log too (PostgreSQL): the graph must
    /// then follow it ([`Log::watch`]).
    pub fn is_shared(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// Hears of each batch any server commits from now on; none for a log only this
    /// server writes.
    pub async fn watch(&self) -> Result<Option<Watch>, StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(None),
            Backend::Postgres(db) => db.watch().await.map(Some),
        }
    }

    /// Records the fingerprint of the seed the log applies to on first use, and refuses
    /// another one after that.
    pub async fn bind_seed(&mut self, fingerprint: &str) -> Result<(), StoreError> {
        each!(&mut self.backend, db => db.bind_seed(fingerprint).await)
    }

    /// Commits `entry` durably as the next batch, and returns it as committed. A batch
    /// whose idempotency key the log already holds is not committed again: the entry
    /// committed first comes back.
    pub async fn append(&mut self, entry: &NewEntry) -> Result<Entry, StoreError> {
        self.append_with(entry, &[]).await
    }

    /// [`Log::append`], keeping the texts of the documents the batch adds in the same
    /// transaction: the batch and its documents are committed together or not at all.
    pub async fn append_with(
        &mut self,
        entry: &NewEntry,
        documents: &[Document],
    ) -> Result<Entry, StoreError> {
        each!(&mut self.backend, db => db.insert(entry, documents, None, None).await)
    }

    /// [`Log::append_with`] as batch `at`, the version the caller's graph will be at:
    /// refused with [`StoreError::Behind`] when another writer committed that number
    /// first, so the caller can catch up and try again. A batch whose key the log holds
    /// comes back as committed first, whatever its number.
    pub async fn append_at(
        &mut self,
        at: u64,
        entry: &NewEntry,
        documents: &[Document],
    ) -> Result<Entry, StoreError> {
        each!(&mut self.backend, db => db.insert(entry, documents, None, Some(at)).await)
    }

    /// Commits a batch of another log as the next batch, with its documents, keeping its
    /// commit time, actor, reason and key (a log rebased on another seed).
    pub async fn import(
        &mut self,
        entry: &Entry,
        documents: &[Document],
    ) -> Result<Entry, StoreError> {
        let new = NewEntry::again(entry);
        let at = Some(entry.committed_at.as_str());
        each!(&mut self.backend, db => db.insert(&new, documents, at, None).await)
    }

    /// The documents batch `seq` added, by file name.
    pub async fn documents_of(&mut self, seq: u64) -> Result<Vec<Document>, StoreError> {
        each!(&mut self.backend, db => db.documents_of(seq).await)
    }

    /// Every document the log holds, in commit order.
    pub async fn documents(&mut self) -> Result<Vec<LoggedDocument>, StoreError> {
        each!(&mut self.backend, db => db.documents().await)
    }

    /// The committed batches after sequence number `after`, in order.
    pub async fn entries_after(&mut self, after: u64) -> Result<Vec<Entry>, StoreError> {
        let entries = each!(&mut self.backend, db => db.page(after, usize::MAX).await)?;
        for (expected, e) in (after + 1..).zip(&entries) {
            if e.seq != expected {
                return Err(StoreError::Gap {
                    expected,
                    found: e.seq,
                });
            }
        }
        Ok(entries)
    }

    /// At most `limit` committed batches after sequence number `after`, in order.
    pub async fn page(&mut self, after: u64, limit: usize) -> Result<Vec<Entry>, StoreError> {
        each!(&mut self.backend, db => db.page(after, limit).await)
    }

    /// At most `limit` committed batches after `after` that name entity `entity`, in
    /// order.
    pub async fn naming(
        &mut self,
        entity: &str,
        after: u64,
        limit: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        each!(&mut self.backend, db => db.naming(entity, after, limit).await)
    }

    /// The batch committed with idempotency key `key`, if any.
    pub async fn by_idempotency_key(&mut self, key: &str) -> Result<Option<Entry>, StoreError> {
        each!(&mut self.backend, db => db.by_idempotency_key(key).await)
    }

    /// The sequence number of the last committed batch; 0 when there is none.
    pub async fn last_seq(&mut self) -> Result<u64, StoreError> {
        each!(&mut self.backend, db => db.last_seq().await)
    }

    /// Closes the log once everything is written back to its file.
    pub async fn close(self) -> Result<(), StoreError> {
        each!(self.backend, db => db.close().await)
    }

    /// Writes a consistent copy of the whole store to `path` (a shared store's too, as a
    /// SQLite store like a data directory's), a file that must not exist yet, while the
    /// log stays open (a server may be committing to it meanwhile: the copy
    /// holds every batch committed before it began, and none half). The copy is written
    /// beside `path` and put in place once it is complete and on disk, so an interrupted
    /// backup leaves no partial file under that name; an existing file is never written
    /// over. To restore, copy the file to `pledgegraph.db` ([`DB_FILE`]) in a fresh data
    /// directory. Answers the number of the last batch the copy holds, read back from it.
    pub async fn backup(&mut self, path: &Path) -> Result<u64, StoreError> {
        match &mut self.backend {
            Backend::Sqlite(db) => db.backup(path).await,
            Backend::Postgres(db) => backup_shared(db, path).await,
        }
    }

    /// How the database keeps what it commits.
    pub async fn durability(&mut self) -> Result<Durability, StoreError> {
        each!(&mut self.backend, db => db.durability().await)
    }
}

/// The ids of the entities a batch names, each once, in order: an entity's history.
fn named_entities(batch: &ChangeBatch) -> Vec<String> {
    let mut named: Vec<String> = batch
        .changes
        .iter()
        .flat_map(|c| c.entities())
        .map(|id| id.to_string())
        .collect();
    named.sort();
    named.dedup();
    named
}

/// A document read from a row of either backend.
fn read_document<R: sqlx::Row>(row: &R) -> Result<Document, StoreError>
where
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    &'static str: sqlx::ColumnIndex<R>,
{
    Ok(Document {
        file: row.try_get("file")?,
        text: row.try_get("text")?,
    })
}

/// A committed batch read from a row of either backend (the columns of a log entry).
fn read_entry<R: sqlx::Row>(row: &R) -> Result<Entry, StoreError>
where
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    &'static str: sqlx::ColumnIndex<R>,
{
    let seq: i64 = row.try_get("seq")?;
    let seq = u64::try_from(seq).unwrap_or(0);
    let batch: String = row.try_get("batch")?;
    let batch =
        ChangeBatch::from_json(&batch).map_err(|source| StoreError::Batch { seq, source })?;
    Ok(Entry {
        seq,
        committed_at: row.try_get("committed_at")?,
        actor: row.try_get("actor")?,
        reason: row.try_get("reason")?,
        idempotency_key: row.try_get("idempotency_key")?,
        batch,
    })
}

/// A shared store's backup: its log as of one moment, written as a SQLite store in a
/// staging directory beside `path`, then copied to `path` as a data directory's is.
async fn backup_shared(db: &mut postgres::PgLog, path: &Path) -> Result<u64, StoreError> {
    let failed = |reason: String| StoreError::Backup {
        path: path.to_path_buf(),
        reason,
    };
    let snapshot = db.snapshot().await?;
    let name = path
        .file_name()
        .ok_or_else(|| failed("the path names no file".into()))?;
    let mut staging_name = std::ffi::OsString::from(".");
    staging_name.push(name);
    staging_name.push(".staging");
    let staging = path.with_file_name(staging_name);
    // A staging directory left by an interrupted backup: never a finished one.
    match std::fs::remove_dir_all(&staging) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(failed(format!("cannot remove {}: {e}", staging.display())));
        }
        _ => {}
    }
    let copied = async {
        let mut copy = sqlite::SqliteLog::open(&staging).await?;
        if let Some(seed) = &snapshot.seed {
            copy.bind_seed(seed).await?;
        }
        for entry in &snapshot.entries {
            let documents = snapshot
                .documents
                .get(&entry.seq)
                .map_or(&[][..], Vec::as_slice);
            let new = NewEntry::again(entry);
            copy.insert(&new, documents, Some(&entry.committed_at), None)
                .await?;
        }
        let last = copy.backup(path).await;
        copy.close().await?;
        last
    }
    .await;
    let _ = std::fs::remove_dir_all(&staging);
    copied
}

#[cfg(test)]
mod tests;
