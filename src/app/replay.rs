//! Start from a data directory: open its change log, check that it was started from
//! this seed, and apply every committed batch to the seed's graph, in order.

use std::path::Path;

use crate::graph::KnowledgeGraph;
use crate::seed;
use crate::store::{Log, StoreError};

use super::rebase::Rebased;

use super::AppError;

/// Applies the change log of data directory `dir` to `graph`, the graph of the seed in
/// `seed_dir`, recording the seed's fingerprint when the log is new; answers the log,
/// open for the batches to come, how many batches it applied, and, when the log was
/// written on another seed and `rebase` allows it, what the rebase did.
pub(super) fn replay(
    dir: &Path,
    seed_dir: &Path,
    graph: &mut KnowledgeGraph,
    rebase: bool,
) -> Result<(Log, u64, Option<Rebased>), AppError> {
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
                log.close().await?;
                let (log, report) =
                    super::rebase::rebase(dir, &fingerprint, entries, graph).await?;
                return Ok((log, report.batches as u64, Some(report)));
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
        Ok((log, entries.len() as u64, None))
    })
}
