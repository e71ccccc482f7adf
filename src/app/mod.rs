//! The running state: the configuration and the graph loaded from the seed, and the
//! operations on them (load, check, the graph a request reads). It knows no GraphQL and
//! no HTTP.

mod backup;
pub mod config;
mod documents;
mod editors;
mod export;
mod feed;
pub mod log_line;
pub mod log_writer;
mod networks;
mod rebase;
mod replay;
mod replica;
mod request_id;
mod sources;
mod sources_dir;
mod store;
mod write;

use std::path::Path;
use std::sync::Arc;

use crate::graph::{Bounds, ChangeError, GraphError, KnowledgeGraph};
use crate::seed::{self, SeedErrors};

pub use crate::seed::Written;
pub use crate::seed::generate::GenerateOptions;
pub use crate::store::DB_FILE;
pub use request_id::RequestId;

pub use crate::store::{Document, Entry};
pub use backup::{BackedUp, BackupError, Migrated, backup, migrate};
pub use documents::Documents;
pub use editors::{AuthError, Editors, NewToken, TokensError, new_token};
pub use export::{
    DOCUMENTS_DIR, ExportError, Exported, LeftOut, export, export_graph, export_with_documents,
};
pub use networks::{Network, Networks, canonical as canonical_ip};
pub use rebase::Rebased;
pub use sources_dir::{SourcesError, resolve as sources_dir};
pub use store::{Prepared, Snapshot, Store};
pub use write::{Committed, DocumentError, Write, WriteError};

pub use config::{
    Config, ConfigError, ENV_CONFIG_FILE, KEYS, Key, Loaded, LogFormat, Origin, Sources, StoreUrl,
    markdown_table,
};

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The seed is invalid; every error is listed.
    #[error(transparent)]
    Seed(#[from] SeedErrors),
    /// The seed's records do not make a graph.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// The seed's changes do not apply.
    #[error("the seed does not make a graph: {0}")]
    Change(#[from] ChangeError),
    /// The seed's files cannot be read to fingerprint them.
    #[error("cannot read the seed in {}: {source}", path.display())]
    SeedUnreadable {
        /// The seed directory.
        path: std::path::PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The data directory's change log cannot be opened or read.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A batch of the change log does not apply to the seed's graph.
    #[error(
        "change {seq} of the data directory's log does not apply to this seed's graph: {source}"
    )]
    Replay {
        /// The batch's sequence number.
        seq: u64,
        /// Why it does not apply.
        source: Box<ChangeError>,
    },
    /// The editors' tokens file cannot be used.
    #[error(transparent)]
    Tokens(#[from] TokensError),
    /// Editors are named but there is nowhere to keep their writes.
    #[error(
        "an editors' tokens file is given (`tokens_file`) but no data directory (`data_dir`) or shared store (`store`) to keep their writes in; give one with `--data-dir` or `--store`"
    )]
    TokensWithoutDataDir,
    /// The runtime that reads the change log cannot start.
    #[error("cannot start the runtime that reads the change log: {0}")]
    Runtime(std::io::Error),
}

/// The configuration and the graph's versions, shared by every worker and request.
#[derive(Debug, Clone)]
pub struct App {
    config: Arc<Config>,
    store: Arc<Store>,
    writer: Option<Arc<write::Writer>>,
    editors: Option<Arc<Editors>>,
    documents: Arc<Documents>,
    ready: Arc<std::sync::atomic::AtomicBool>,
    /// False while a replica cannot reach the shared store, so it may be behind it.
    in_step: Arc<std::sync::atomic::AtomicBool>,
    /// A replica's: the last batch the shared store held when last read.
    store_seq: Arc<std::sync::atomic::AtomicU64>,
}

impl App {
    /// Loads and validates the seed directory the configuration names and builds its graph.
    /// With a data directory, the graph is the seed's with every batch of its change log
    /// applied in order.
    /// Writes are taken when the configuration names editors (`tokens_file`), which
    /// needs a data directory.
    pub fn load(config: Config) -> Result<Self, AppError> {
        Self::load_with(config, false).map(|(app, _)| app)
    }

    /// [`App::load`], carrying a change log written on another seed over to this one
    /// (`--rebase`): what the rebase did, when there was one to do.
    pub fn load_rebasing(config: Config) -> Result<(Self, Option<Rebased>), AppError> {
        Self::load_with(config, true)
    }

    fn load_with(config: Config, rebase: bool) -> Result<(Self, Option<Rebased>), AppError> {
        let place = match (&config.data_dir, &config.store) {
            (Some(dir), _) => Some(replay::LogPlace::Dir(dir)),
            (None, Some(url)) => Some(replay::LogPlace::Shared(url)),
            (None, None) => None,
        };
        let editors = match &config.tokens_file {
            Some(_) if place.is_none() => return Err(AppError::TokensWithoutDataDir),
            Some(path) => Some(Arc::new(Editors::load(path)?)),
            None => None,
        };
        let mut graph = build(&config.seed)?;
        let mut writer = None;
        let mut rebased = None;
        let mut logged = Vec::new();
        if let Some(place) = place {
            let runtime = write::StoreRuntime::start().map_err(AppError::Runtime)?;
            let replayed =
                replay::replay(place, &config.seed, &mut graph, rebase, runtime.runtime())?;
            rebased = replayed.rebased;
            logged = replayed.documents;
            tracing::info!(
                "applied {} batches of the change log in {place}",
                replayed.batches,
            );
            writer = Some(Arc::new(write::Writer::new(replayed.log, runtime)));
        }
        let documents = sources::load(
            &graph,
            &logged,
            sources_dir::resolve(&config).as_deref(),
            config.max_body_bytes,
        );
        let app = App {
            config: Arc::new(config),
            store: Arc::new(Store::new(Arc::new(graph))),
            writer,
            editors,
            documents: Arc::new(documents),
            ready: Arc::new(true.into()),
            in_step: Arc::new(true.into()),
            store_seq: Arc::default(),
        };
        Ok((app, rebased))
    }

    /// Serves an already built graph, with the texts of its document sources found in
    /// the configuration's sources directory.
    pub fn with_graph(config: Config, graph: Arc<KnowledgeGraph>) -> Self {
        let documents = sources::load(
            &graph,
            &[],
            sources_dir::resolve(&config).as_deref(),
            config.max_body_bytes,
        );
        App {
            config: Arc::new(config),
            store: Arc::new(Store::new(graph)),
            writer: None,
            editors: None,
            documents: Arc::new(documents),
            ready: Arc::new(true.into()),
            in_step: Arc::new(true.into()),
            store_seq: Arc::default(),
        }
    }

    /// Whether the server should be sent requests (`/readyz`): true once the graph is
    /// loaded, which is when an `App` exists, until something says otherwise, and, for a
    /// replica, while it is in step with the shared store.
    pub fn is_ready(&self) -> bool {
        self.ready.load(std::sync::atomic::Ordering::Relaxed)
            && self.in_step.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Says whether the server should be sent requests, for every clone of this state.
    pub fn set_ready(&self, ready: bool) {
        self.ready
            .store(ready, std::sync::atomic::Ordering::Relaxed);
    }

    /// The editor whose bearer token `token` is: writes need one, and are off unless the
    /// server has editors and a data directory.
    pub fn editor(&self, token: Option<&str>) -> Result<&str, AuthError> {
        let (Some(editors), Some(_)) = (&self.editors, &self.writer) else {
            return Err(AuthError::WritesOff);
        };
        editors.check(token.ok_or(AuthError::Missing)?)
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The bounds on one question to the graph, from the configuration.
    pub fn bounds(&self) -> Bounds {
        self.config.bounds()
    }

    /// The latest version of the graph, for one request to read from start to end.
    pub fn graph(&self) -> Snapshot {
        self.store.snapshot()
    }

    /// The texts of the document sources: a document's, or one of its paragraphs, is a
    /// lookup.
    pub fn documents(&self) -> &Documents {
        &self.documents
    }

    /// The graph's versions, to apply changes to.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// Writes a synthetic graph as a JSON Lines seed directory.
pub fn generate(options: &GenerateOptions, out: &Path) -> Result<Written, GenerateFailed> {
    let mut records = seed::generate::generate(options)?;
    // The generator's error, if it stops on one, ends the stream as an `Err`, so the files
    // are not renamed into place.
    let mut ended = false;
    let stream = std::iter::from_fn(|| match records.next() {
        Some(record) => Some(Ok(record)),
        None if ended => None,
        None => {
            ended = true;
            records
                .error()
                .map(|e| Err(GenerateFailed::from(e.clone())))
        }
    });
    seed::write_dir(out, stream)
}

/// Why a synthetic graph could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateFailed {
    /// The options ask for what the generator cannot make.
    #[error(transparent)]
    Options(#[from] seed::generate::GenerateError),
    /// The files could not be written.
    #[error("cannot write the files: {0}")]
    Io(#[from] std::io::Error),
}

/// Loads a seed directory and builds its graph from the changes the seed makes.
fn build(seed_dir: &Path) -> Result<KnowledgeGraph, AppError> {
    let start = std::time::Instant::now();
    if let Some(graph) = seed::jsonl_files(seed_dir).and_then(|files| stream(&files)) {
        tracing::info!(
            "read the seed and built its graph in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        return Ok(graph);
    }
    // The whole seed read and checked first, so that a bad one has every error named.
    let seed = seed::load_dir(seed_dir)?;
    let read = start.elapsed();
    let graph = KnowledgeGraph::from_seed(seed.into_changes())?;
    tracing::info!(
        "read the seed in {:.1} s and built its graph in {:.1} s",
        read.as_secs_f64(),
        (start.elapsed() - read).as_secs_f64()
    );
    Ok(graph)
}

/// Changes read from JSON Lines are sent in chunks of this many.
const STREAM_CHUNK: usize = 4096;

/// Builds the graph of a JSON Lines seed as it is read: the files are read on a thread
/// of their own while this one applies their changes, so a large seed loads in about the
/// time of the slower of the two, and is never held whole in memory beside its graph.
/// `None` when anything is wrong; the caller then reads the seed again to name every error.
fn stream(files: &[std::path::PathBuf]) -> Option<KnowledgeGraph> {
    use crate::model::Change;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Change>>(4);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let _shared_ids = crate::model::IdInterner::start();
            let mut chunk: Vec<Change> = Vec::with_capacity(STREAM_CHUNK);
            let mut ok = true;
            for path in files {
                seed::each_record(path, |_, record| {
                    let Ok(record) = record else {
                        ok = false;
                        return false;
                    };
                    chunk.push(record.into());
                    if chunk.len() == STREAM_CHUNK {
                        let full = std::mem::replace(&mut chunk, Vec::with_capacity(STREAM_CHUNK));
                        ok = tx.send(full).is_ok();
                    }
                    ok
                });
                if !ok {
                    return false;
                }
            }
            chunk.is_empty() || tx.send(chunk).is_ok()
        });
        let graph = KnowledgeGraph::from_seed(rx.into_iter().flatten());
        let read = reader.join().unwrap_or(false);
        match graph {
            Ok(graph) if read && graph.node_count() > 0 => Some(graph),
            _ => None,
        }
    })
}
