//! Writes: one batch at a time, checked by applying it to the copy of the graph readers
//! are leaving, committed durably to the change log, then published. A write is answered
//! only once it is on disk and the next request sees it; a refused one leaves the graph
//! and the log as they were. A batch may add documents' texts: they are checked (their
//! file names, and the lines citations name), committed with the batch, and then put
//! into the sources directory.
//!
//! Every read and write of the log runs on a runtime of its own, which the log's
//! connections belong to, whichever runtime the request came on. On a shared store
//! (PostgreSQL) a writer first brings its graph up to the log's last batch, and takes
//! the next number only if no other replica took it meanwhile; if one did, it catches up
//! and checks the write again.

use std::collections::HashMap;

use crate::graph::ChangeError;
use crate::model::{Change, ChangeBatch, DocumentText, EntityId, ModelError, NodeData, SourceKind};
use crate::store::{Document, Entry, Log, NewEntry, StoreError};

use super::sources_dir::{self, Placed, SourcesError};
use super::{App, RequestId, Snapshot};

/// How many committed batches a subscriber may fall behind before it reads the ones it
/// missed from the log instead.
const FEED_CAPACITY: usize = 1024;

/// How many times a write on a shared store catches up and tries again when other
/// replicas keep taking the number it asked for.
const SHARED_ATTEMPTS: usize = 16;

/// The change log, open for writing (its lock makes writers take turns), the runtime its
/// connections run on, and the feed that tells subscribers of each batch committed.
#[derive(Debug)]
pub(super) struct Writer {
    pub(super) log: tokio::sync::Mutex<Log>,
    shared: bool,
    runtime: StoreRuntime,
    feed: tokio::sync::broadcast::Sender<Entry>,
}

/// The runtime the log's work runs on, from its opening to the end of the server.
#[derive(Debug)]
pub(super) struct StoreRuntime(Option<tokio::runtime::Runtime>);

impl StoreRuntime {
    pub(super) fn start() -> std::io::Result<Self> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("change-log")
            .enable_all()
            .build()
            .map(|rt| StoreRuntime(Some(rt)))
    }

    pub(super) fn runtime(&self) -> &tokio::runtime::Runtime {
        match &self.0 {
            Some(rt) => rt,
            // Only `drop` takes it.
            None => unreachable!("the change log's runtime is there until it is dropped"),
        }
    }

    /// Starts `work` on the log's runtime as the work of the request being served here, if
    /// any: what it logs carries that request's id.
    pub(super) fn spawn<T: Send + 'static>(
        &self,
        work: impl std::future::Future<Output = T> + Send + 'static,
    ) -> tokio::task::JoinHandle<T> {
        match RequestId::current() {
            Some(id) => self.runtime().spawn(id.scope(work)),
            None => self.runtime().spawn(work),
        }
    }
}

impl Drop for StoreRuntime {
    /// Stops without waiting: the last handle may be dropped on a request's thread.
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl Writer {
    pub(super) fn new(log: Log, runtime: StoreRuntime) -> Self {
        Writer {
            shared: log.is_shared(),
            log: tokio::sync::Mutex::new(log),
            runtime,
            feed: tokio::sync::broadcast::channel(FEED_CAPACITY).0,
        }
    }

    /// True when other servers commit to the log too.
    pub(super) fn is_shared(&self) -> bool {
        self.shared
    }

    /// Runs `work` on the log's runtime and answers what it answers.
    pub(super) async fn run<T: Send + 'static>(
        &self,
        work: impl std::future::Future<Output = T> + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        self.runtime.spawn(work).await
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
    /// A document's text, or a citation of a document, does not fit.
    #[error(transparent)]
    Document(#[from] DocumentError),
}

/// Why a write's new document, or a citation of a document, was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// A text that no document source created by the write names as its file.
    #[error(
        "the text given as `{file}` belongs to no document source the write creates: give it with the source whose `file` it is"
    )]
    NoSource {
        /// The file name given with the text.
        file: String,
    },
    /// A file name that is not a plain name in the sources directory.
    #[error("{error}")]
    BadName {
        /// The change that creates the source.
        change: usize,
        /// What is wrong with it.
        error: ModelError,
    },
    /// An empty text.
    #[error("the text of `{file}` is empty: a document has at least one line")]
    Empty {
        /// The change that creates the source.
        change: usize,
        /// The file.
        file: String,
    },
    /// A text larger than a document may be.
    #[error(
        "the text of `{file}` has {bytes} bytes; a document may have at most {max} (`max_body_bytes`)"
    )]
    TooLarge {
        /// The change that creates the source.
        change: usize,
        /// The file.
        file: String,
        /// Its size.
        bytes: usize,
        /// The largest allowed.
        max: usize,
    },
    /// Another text is already kept under the file name.
    #[error(
        "a different text is already kept as `{file}`: give the new document a file name of its own (the same text again is accepted)"
    )]
    Differs {
        /// The change that creates the source.
        change: usize,
        /// The file.
        file: String,
    },
    /// A citation of a line the document does not have.
    #[error("`{cited}` has {lines} lines, so it has no line {line}: cite a line from 1 to {lines}")]
    LinePastEnd {
        /// The change that carries the citation.
        change: usize,
        /// The document source cited.
        cited: EntityId,
        /// The line cited.
        line: u32,
        /// How many lines the document has.
        lines: usize,
    },
    /// The sources directory could not be read to check a new document against it.
    #[error(transparent)]
    Unreadable(SourcesError),
}

impl DocumentError {
    /// The index of the change the error is about, where it is about one.
    pub fn change(&self) -> Option<usize> {
        match self {
            DocumentError::BadName { change, .. }
            | DocumentError::Empty { change, .. }
            | DocumentError::TooLarge { change, .. }
            | DocumentError::Differs { change, .. }
            | DocumentError::LinePastEnd { change, .. } => Some(*change),
            DocumentError::NoSource { .. } | DocumentError::Unreadable(_) => None,
        }
    }

    /// The field of the new source the error is about (`source.text`, `source.file`);
    /// none for a citation, which the change carries somewhere among its sources.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            DocumentError::BadName { .. } => Some("source.file"),
            DocumentError::LinePastEnd { .. } => None,
            _ => Some("source.text"),
        }
    }
}

impl App {
    /// True when the server can take writes (it has a data directory).
    pub fn writable(&self) -> bool {
        self.writer.is_some()
    }

    /// Checks, commits and publishes one batch; see the module's documentation.
    pub async fn write(&self, write: Write) -> Result<Committed, WriteError> {
        self.write_with(write, Vec::new()).await
    }

    /// [`App::write`] of a batch that creates document sources with their texts
    /// (`documents`, by the sources' `file`): the texts are committed with the batch,
    /// then each is put into the sources directory. A text is refused when another is
    /// already kept under its file name, and a citation of a document must name one of
    /// its lines.
    pub async fn write_with(
        &self,
        write: Write,
        mut documents: Vec<Document>,
    ) -> Result<Committed, WriteError> {
        let writer = self.writer.as_ref().ok_or(WriteError::ReadOnly)?;
        documents.sort_unstable_by(|a, b| (&a.file, &a.text).cmp(&(&b.file, &b.text)));
        documents.dedup();
        let app = self.clone();
        writer
            .run(async move { app.write_on_log(write, documents).await })
            .await
            .map_err(|e| WriteError::Task(e.to_string()))?
    }

    /// [`App::write_with`] on the log's runtime: on a shared store, caught up and tried
    /// again while other replicas take the number it asks for.
    async fn write_on_log(
        &self,
        write: Write,
        documents: Vec<Document>,
    ) -> Result<Committed, WriteError> {
        let writer = self.writer.as_ref().ok_or(WriteError::ReadOnly)?;
        let mut log = writer.log.lock().await;
        let mut attempt = 0;
        loop {
            attempt += 1;
            if log.is_shared() {
                self.catch_up(&mut log, writer).await?;
            }
            match self.write_once(&mut log, writer, &write, &documents).await {
                Err(WriteError::Store(StoreError::Behind { .. }))
                    if log.is_shared() && attempt < SHARED_ATTEMPTS => {}
                done => return done,
            }
        }
    }

    /// Brings the graph up to the last batch of the log, applying and publishing each one
    /// it lacks in order, as its own writer did: documents, subscribers and all.
    pub(super) async fn catch_up(&self, log: &mut Log, writer: &Writer) -> Result<u64, WriteError> {
        let entries = log.entries_after(self.graph().version()).await?;
        let mut applied = 0;
        for entry in entries {
            let documents = log.documents_of(entry.seq).await?;
            for doc in &documents {
                self.documents
                    .insert(doc.file.clone(), DocumentText::new(doc.text.as_str()));
            }
            let store = self.store.clone();
            let changes = entry.batch.changes.clone();
            let version = tokio::task::spawn_blocking(move || store.apply(changes))
                .await
                .map_err(|e| WriteError::Task(e.to_string()))??;
            if version != entry.seq {
                return Err(WriteError::OutOfStep {
                    log: entry.seq,
                    graph: version,
                });
            }
            self.place_documents(documents, entry.seq).await;
            let _ = writer.feed.send(entry);
            applied += 1;
        }
        Ok(applied)
    }

    /// Checks, commits and publishes one batch on the graph as it is now.
    async fn write_once(
        &self,
        log: &mut Log,
        writer: &Writer,
        write: &Write,
        documents: &[Document],
    ) -> Result<Committed, WriteError> {
        if let Some(key) = &write.idempotency_key
            && let Some(first) = log.by_idempotency_key(key).await?
        {
            if first.batch.changes != write.changes
                || first.actor != write.actor
                || log.documents_of(first.seq).await? != documents
            {
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
        self.check_documents(&latest, &write.changes, documents)?;
        drop(latest);
        // Applying may wait for readers of the spare copy: off the request's thread.
        let store = self.store.clone();
        let changes = write.changes.clone();
        let prepared = tokio::task::spawn_blocking(move || store.prepare(changes))
            .await
            .map_err(|e| WriteError::Task(e.to_string()))??;
        let entry = log
            .append_at(
                prepared.version(),
                &NewEntry {
                    actor: write.actor.clone(),
                    reason: write.reason.clone(),
                    idempotency_key: write.idempotency_key.clone(),
                    batch: ChangeBatch::new(write.changes.clone()),
                },
                documents,
            )
            .await?;
        if entry.seq != prepared.version() && log.is_shared() {
            // Another replica committed the same key first: caught up, the key is found.
            return Err(WriteError::Store(StoreError::Behind { last: entry.seq }));
        }
        if entry.seq != prepared.version() {
            return Err(WriteError::OutOfStep {
                log: entry.seq,
                graph: prepared.version(),
            });
        }
        // Known before the batch is published, so no reader sees its source without text.
        for doc in documents {
            self.documents
                .insert(doc.file.clone(), DocumentText::new(doc.text.as_str()));
        }
        self.store
            .publish(prepared)
            .map_err(|graph| WriteError::OutOfStep {
                log: entry.seq,
                graph,
            })?;
        self.place_documents(documents.to_vec(), entry.seq).await;
        // Sent while the log is still locked, so batches reach subscribers in order; none
        // listening is not an error.
        let _ = writer.feed.send(entry.clone());
        Ok(Committed {
            entry,
            replayed: false,
        })
    }

    /// Checks a batch's new documents and its citations of documents, before anything is
    /// applied or logged.
    fn check_documents(
        &self,
        graph: &Snapshot,
        changes: &[Change],
        documents: &[Document],
    ) -> Result<(), DocumentError> {
        // The document sources the batch creates, by file.
        let mut created: HashMap<&str, (usize, &EntityId)> = HashMap::new();
        for (i, change) in changes.iter().enumerate() {
            if let Change::CreateEntity { entity } = change
                && let NodeData::Source(s) = &entity.data
                && let (SourceKind::Document, Some(file)) = (s.kind, &s.file)
            {
                created.entry(file.as_str()).or_insert((i, &entity.id));
            }
        }
        let max = self.config.max_body_bytes;
        let dir = sources_dir::resolve(&self.config);
        let mut texts: HashMap<&EntityId, DocumentText> = HashMap::new();
        for (at, doc) in documents.iter().enumerate() {
            let file = doc.file.clone();
            let Some(&(change, id)) = created.get(doc.file.as_str()) else {
                return Err(DocumentError::NoSource { file });
            };
            crate::model::check_file_name(&file)
                .map_err(|error| DocumentError::BadName { change, error })?;
            if doc.text.is_empty() {
                return Err(DocumentError::Empty { change, file });
            }
            if doc.text.len() > max {
                let bytes = doc.text.len();
                return Err(DocumentError::TooLarge {
                    change,
                    file,
                    bytes,
                    max,
                });
            }
            let twice = documents[..at].iter().any(|d| d.file == doc.file);
            let known = match self.documents.get(&doc.file) {
                Some(known) => Some(known.text() == doc.text),
                None => match &dir {
                    Some(dir) => match sources_dir::read(dir, &doc.file, max) {
                        Ok(found) => found.map(|found| found == doc.text),
                        Err(SourcesError::TooLarge { .. } | SourcesError::NotText { .. }) => {
                            Some(false)
                        }
                        Err(e) => return Err(DocumentError::Unreadable(e)),
                    },
                    None => None,
                },
            };
            if twice || known == Some(false) {
                return Err(DocumentError::Differs { change, file });
            }
            texts.insert(id, DocumentText::new(doc.text.as_str()));
        }
        for (change, c) in changes.iter().enumerate() {
            for cite in c.citations() {
                let Some(line) = cite.line else { continue };
                let lines = match texts.get(&cite.source) {
                    Some(text) => text.line_count(),
                    None => match graph.get(&cite.source).map(|n| &n.data) {
                        Some(NodeData::Source(s)) => {
                            match s.file.as_deref().and_then(|f| self.documents.get(f)) {
                                Some(text) => text.line_count(),
                                None => continue,
                            }
                        }
                        _ => continue,
                    },
                };
                if usize::try_from(line).map_or(true, |l| l > lines) {
                    return Err(DocumentError::LinePastEnd {
                        change,
                        cited: cite.source.clone(),
                        line,
                        lines,
                    });
                }
            }
        }
        Ok(())
    }

    /// Puts a committed batch's documents into the sources directory. The log holds them
    /// already, so a failure is logged, not answered: the next start writes them again.
    async fn place_documents(&self, documents: Vec<Document>, seq: u64) {
        let Some(dir) = sources_dir::resolve(&self.config) else {
            return;
        };
        if documents.is_empty() {
            return;
        }
        let placed = tokio::task::spawn_blocking(move || {
            documents
                .iter()
                .map(|d| (d.file.clone(), sources_dir::place(&dir, &d.file, &d.text)))
                .collect::<Vec<_>>()
        })
        .await;
        match placed {
            Ok(placed) => {
                for (file, result) in placed {
                    match result {
                        Ok(Placed::Written | Placed::AlreadyThere) => {}
                        Err(e) => tracing::error!(
                            request_id = RequestId::current().map(tracing::field::display),
                            "change {seq} is committed but its document {file} is not in the sources directory: {e}; it is written at the next start"
                        ),
                    }
                }
            }
            Err(e) => tracing::error!(
                request_id = RequestId::current().map(tracing::field::display),
                "change {seq} is committed but its documents were not written: {e}; they are written at the next start"
            ),
        }
    }

    /// At most `limit` committed batches after number `after`, oldest first; none without
    /// a data directory. Only those the graph holds: a replica's shared log may already
    /// hold batches it has yet to apply, and its history never runs ahead of its graph.
    pub async fn history(&self, after: u64, limit: usize) -> Result<Vec<Entry>, StoreError> {
        let Some(writer) = self.writer.clone() else {
            return Ok(Vec::new());
        };
        let applied = self.graph().version();
        let on_log = writer.clone();
        let mut entries = writer
            .run(async move { on_log.log.lock().await.page(after, limit).await })
            .await
            .map_err(|e| StoreError::Database(e.to_string()))??;
        entries.retain(|e| e.seq <= applied);
        Ok(entries)
    }

    /// At most `limit` committed batches after number `after` that name entity `id`,
    /// oldest first; only those the graph holds, as [`App::history`].
    pub async fn entity_history(
        &self,
        id: &EntityId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        let Some(writer) = self.writer.clone() else {
            return Ok(Vec::new());
        };
        let applied = self.graph().version();
        let (on_log, id) = (writer.clone(), id.to_string());
        let mut entries = writer
            .run(async move { on_log.log.lock().await.naming(&id, after, limit).await })
            .await
            .map_err(|e| StoreError::Database(e.to_string()))??;
        entries.retain(|e| e.seq <= applied);
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::{RequestId, StoreRuntime};

    #[test]
    fn work_started_on_the_logs_runtime_is_the_work_of_the_request_that_started_it() {
        let store = StoreRuntime::start().unwrap();
        let here = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let id = RequestId::next();
        let seen =
            here.block_on(id.scope(async { store.spawn(async { RequestId::current() }).await }));
        assert_eq!(seen.unwrap(), Some(id));
        // Outside a request, none.
        let seen = here.block_on(async { store.spawn(async { RequestId::current() }).await });
        assert_eq!(seen.unwrap(), None);
    }
}
