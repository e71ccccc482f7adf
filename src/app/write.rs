//! Writes: one batch at a time, checked by applying it to the copy of the graph readers
//! are leaving, committed durably to the change log, then published. A write is answered
//! only once it is on disk and the next request sees it; a refused one leaves the graph
//! and the log as they were.

use crate::graph::ChangeError;
use crate::model::{Change, ChangeBatch, EntityId};
use crate::store::{Entry, Log, NewEntry, StoreError};

use super::App;

/// How many committed batches a subscriber may fall behind before it reads the ones it
/// missed from the log instead.
const FEED_CAPACITY: usize = 1024;

/// The change log, open for writing (its lock makes writers take turns), and the feed
/// that tells subscribers of each batch committed.
#[derive(Debug)]
pub(super) struct Writer {
    log: tokio::sync::Mutex<Log>,
    feed: tokio::sync::broadcast::Sender<Entry>,
}

impl Writer {
    pub(super) fn new(log: Log) -> Self {
        Writer {
            log: tokio::sync::Mutex::new(log),
            feed: tokio::sync::broadcast::channel(FEED_CAPACITY).0,
        }
    }

    /// Hears of each batch committed from now on.
    pub(super) fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Entry> {
        self.feed.subscribe()
    }
}

/// One batch to write, with who makes it and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// The editor.
    pub actor: String,
    /// Why, in the editor's words; never empty.
    pub reason: String,
    /// The client's key for the write: a retry with the same key is applied once and
    /// answered as the first time.
    pub idempotency_key: Option<String>,
    /// The version each entity must still be at ([`crate::graph::KnowledgeGraph::entity_version`]).
    pub expected: Vec<(EntityId, u64)>,
    /// The changes, applied whole or not at all.
    pub changes: Vec<Change>,
}

/// A committed write, as answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The batch as the log holds it: its number is the graph version it made.
    pub entry: Entry,
    /// True when the write was committed by an earlier request with the same key.
    pub replayed: bool,
}

/// Why a write was refused; nothing of it was applied or logged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The server has no data directory to commit to.
    #[error(
        "this server takes no writes: start it with a data directory (`--data-dir`) and an editors' tokens file (`--tokens-file`)"
    )]
    ReadOnly,
    /// The write holds no change.
    #[error("the write holds no change")]
    Empty,
    /// No reason was given.
    #[error("`reason` must say why the change is made")]
    NoReason,
    /// A change does not apply to the graph.
    #[error(transparent)]
    Invalid(#[from] ChangeError),
    /// An entity moved on since the version the client expected.
    #[error(
        "`{id}` is at version {actual}, not the expected version {expected}: read it again and redo the change on what it says now"
    )]
    Conflict {
        /// The entity.
        id: EntityId,
        /// The version the client expected.
        expected: u64,
        /// The version it is at.
        actual: u64,
    },
    /// The idempotency key was used for another write.
    #[error(
        "idempotency key `{key}` was used for another write (change {seq}); give each write a key of its own"
    )]
    KeyReused {
        /// The key.
        key: String,
        /// The batch committed with it.
        seq: u64,
    },
    /// The change log failed; nothing was applied.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The log and the graph disagree on the version (another process writing to the
    /// same data directory, or a commit whose answer was lost).
    #[error(
        "the change log is at change {log} but the graph at version {graph}; no write is taken until the server is restarted (and only one server may use a data directory)"
    )]
    OutOfStep {
        /// The number the log gave the batch.
        log: u64,
        /// The version the batch made of the graph.
        graph: u64,
    },
    /// The task that applies the batch failed.
    #[error("the write could not be applied: {0}")]
    Task(String),
}

impl App {
    /// True when the server can take writes (it has a data directory).
    pub fn writable(&self) -> bool {
        self.writer.is_some()
    }

    /// Checks, commits and publishes one batch; see the module's documentation.
    pub async fn write(&self, write: Write) -> Result<Committed, WriteError> {
        let writer = self.writer.as_ref().ok_or(WriteError::ReadOnly)?;
        let mut log = writer.log.lock().await;
        if let Some(key) = &write.idempotency_key
            && let Some(first) = log.by_idempotency_key(key).await?
        {
            if first.batch.changes != write.changes || first.actor != write.actor {
                return Err(WriteError::KeyReused {
                    key: key.clone(),
                    seq: first.seq,
                });
            }
            return Ok(Committed {
                entry: first,
                replayed: true,
            });
        }
        if write.changes.is_empty() {
            return Err(WriteError::Empty);
        }
        if write.reason.trim().is_empty() {
            return Err(WriteError::NoReason);
        }
        let latest = self.graph();
        for (id, expected) in &write.expected {
            let actual = latest.entity_version(id);
            if actual != *expected {
                return Err(WriteError::Conflict {
                    id: id.clone(),
                    expected: *expected,
                    actual,
                });
            }
        }
        drop(latest);
        // Applying may wait for readers of the spare copy: off the request's thread.
        let store = self.store.clone();
        let changes = write.changes.clone();
        let prepared = tokio::task::spawn_blocking(move || store.prepare(changes))
            .await
            .map_err(|e| WriteError::Task(e.to_string()))??;
        let entry = log
            .append(&NewEntry {
                actor: write.actor,
                reason: write.reason,
                idempotency_key: write.idempotency_key,
                batch: ChangeBatch::new(write.changes),
            })
            .await?;
        if entry.seq != prepared.version() {
            return Err(WriteError::OutOfStep {
                log: entry.seq,
                graph: prepared.version(),
            });
        }
        self.store
            .publish(prepared)
            .map_err(|graph| WriteError::OutOfStep {
                log: entry.seq,
                graph,
            })?;
        // Sent while the log is still locked, so batches reach subscribers in order; none
        // listening is not an error.
        let _ = writer.feed.send(entry.clone());
        Ok(Committed {
            entry,
            replayed: false,
        })
    }

    /// At most `limit` committed batches after number `after`, oldest first; none without
    /// a data directory.
    pub async fn history(&self, after: u64, limit: usize) -> Result<Vec<Entry>, StoreError> {
        match &self.writer {
            Some(writer) => writer.log.lock().await.page(after, limit).await,
            None => Ok(Vec::new()),
        }
    }

    /// At most `limit` committed batches after number `after` that name entity `id`,
    /// oldest first.
    pub async fn entity_history(
        &self,
        id: &EntityId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        match &self.writer {
            Some(writer) => {
                let mut log = writer.log.lock().await;
                log.naming(&id.to_string(), after, limit).await
            }
            None => Ok(Vec::new()),
        }
    }
}
