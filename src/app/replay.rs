//! Start from a data directory: open its change log, check that it was started from
//! this seed, and apply every committed batch to the seed's graph, in order.

use std::path::Path;

use crate::graph::KnowledgeGraph;
use crate::seed;
use crate::store::{Log, LoggedDocument, StoreError};

use super::rebase::Rebased;

use super::AppError;

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

/// Applies the change log of data directory `dir` to `graph`, the graph of the seed in
/// `seed_dir`, recording the seed's fingerprint when the log is new; see [`Replayed`]. A
/// log written on another seed is carried over to this one when `rebase` allows it.
pub(super) fn replay(
    dir: &Path,
    seed_dir: &Path,
    graph: &mut KnowledgeGraph,
    rebase: bool,
) -> Result<Replayed, AppError> {
    let fingerprint = seed::fingerprint(seed_dir).map_err(|source| AppError::SeedUnreadable {
        path: seed_dir.to_path_buf(),
        source,
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(AppError::Runtime)?;
    runtime.block_on(async {
        let mut log = Log::open_dir(dir).await?;
        match log.bind_seed(&fingerprint).await {
            Err(StoreError::OtherSeed { .. }) if rebase => {
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
            bound => bound?,
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
