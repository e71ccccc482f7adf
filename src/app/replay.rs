//! Start from a change log (a data directory's, or the store replicas share): open it,
//! check that it was started from this seed, and apply every committed batch to the
//! seed's graph, in order.

use std::path::Path;

use crate::graph::KnowledgeGraph;
use crate::seed;
use crate::store::{Log, LoggedDocument, StoreError};

use super::rebase::Rebased;

use super::AppError;
use super::config::StoreUrl;

/// Where the change log is kept.
#[derive(Debug, Clone, Copy)]
pub(super) enum LogPlace<'a> {
    /// A data directory's SQLite file, this server's alone.
    Dir(&'a Path),
    /// A PostgreSQL database, shared by the replicas.
    Shared(&'a StoreUrl),
}

impl LogPlace<'_> {
    /// Opens the log kept there.
    pub(super) async fn open(self) -> Result<Log, StoreError> {
        match self {
            LogPlace::Dir(dir) => Log::open_dir(dir).await,
            LogPlace::Shared(url) => Log::open_url(url.as_str(), &url.redacted()).await,
        }
    }
}

impl std::fmt::Display for LogPlace<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LogPlace::Dir(dir) => write!(f, "{}", dir.display()),
            LogPlace::Shared(url) => write!(f, "{url}"),
        }
    }
}

/// What a replay did and left open.
pub(super) struct Replayed {
    /// The log, open for the batches to come.
    pub log: Log,
    /// How many batches were applied.
    pub batches: u64,
    /// What the rebase did, when the log was written on another seed and carried over.
    pub rebased: Option<Rebased>,
    /// The documents the log holds, in commit order.
    pub documents: Vec<LoggedDocument>,
}

/// Applies the change log kept at `place` to `graph`, the graph of the seed in
/// `seed_dir`, recording the seed's fingerprint when the log is new; see [`Replayed`]. A
/// data directory's log written on another seed is carried over to this one when
/// `rebase` allows it. The log is opened on `runtime`, which must run as long as it is
/// used.
pub(super) fn replay(
    place: LogPlace<'_>,
    seed_dir: &Path,
    graph: &mut KnowledgeGraph,
    rebase: bool,
    runtime: &tokio::runtime::Runtime,
) -> Result<Replayed, AppError> {
    let fingerprint = seed::fingerprint(seed_dir).map_err(|source| AppError::SeedUnreadable {
        path: seed_dir.to_path_buf(),
        source,
    })?;
    runtime.block_on(async {
        let mut log = place.open().await?;
        match (log.bind_seed(&fingerprint).await, place) {
            (Err(StoreError::OtherSeed { .. }), LogPlace::Dir(dir)) if rebase => {
                let entries = log.entries_after(0).await?;
                let documents = log.documents().await?;
                log.close().await?;
                let (mut log, report) =
                    super::rebase::rebase(dir, &fingerprint, entries, documents, graph).await?;
                return Ok(Replayed {
                    documents: log.documents().await?,
                    batches: report.batches as u64,
                    rebased: Some(report),
                    log,
                });
            }
            (bound, _) => bound?,
        }
        let entries = log.entries_after(0).await?;
        for entry in &entries {
            let version =
                graph
                    .apply(entry.batch.changes.clone())
                    .map_err(|source| AppError::Replay {
                        seq: entry.seq,
                        source: Box::new(source),
                    })?;
            debug_assert_eq!(version, entry.seq, "a batch's number is its version");
        }
        Ok(Replayed {
            documents: log.documents().await?,
            batches: entries.len() as u64,
            rebased: None,
            log,
        })
    })
}
