//! `--rebase`: a data directory's change log carried over to a new seed. Every batch is
//! applied to the new seed's graph without the changes the seed already holds (the usual
//! case after the edits were exported and folded into `seed/`) and without those that no
//! longer apply, each reported. The new log keeps every batch's number, time, editor and
//! reason; the old one is kept beside it, and the swap is one atomic rename.

use std::path::{Path, PathBuf};

use crate::graph::{Dropped, KnowledgeGraph};
use crate::model::ChangeBatch;
use crate::store::{DB_FILE, Entry, Log, LoggedDocument, StoreError};

use super::AppError;

/// What a rebase did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebased {
    /// Batches carried over (every one, some now empty).
    pub batches: usize,
    /// Changes kept.
    pub kept: usize,
    /// Changes the new seed already holds: (batch, change index, operation).
    pub contained: Vec<(u64, usize, &'static str)>,
    /// Changes that no longer apply: (batch, change index, operation, why).
    pub refused: Vec<(u64, usize, &'static str, String)>,
    /// Where the log as it was before the rebase is kept.
    pub previous: PathBuf,
}

/// Applies `entries` (the whole old log) to `graph` as a rebase onto the seed of
/// `fingerprint`, writes the new log, and puts it in place of the old one in `dir`. The
/// old log's `documents` go with their batches, whatever became of the batch's changes.
pub(super) async fn rebase(
    dir: &Path,
    fingerprint: &str,
    entries: Vec<Entry>,
    documents: Vec<LoggedDocument>,
    graph: &mut KnowledgeGraph,
) -> Result<(Log, Rebased), AppError> {
    let staging = dir.join(".rebase");
    let dir_error = |source| StoreError::Dir {
        path: staging.clone(),
        source,
    };
    match std::fs::remove_dir_all(&staging) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(dir_error(e).into()),
        _ => {}
    }
    let mut report = Rebased::default();
    let mut next = Log::open_dir(&staging).await?;
    next.bind_seed(fingerprint).await?;
    for entry in entries {
        let (kept, dropped) = graph.apply_rebased(&entry.batch.changes);
        for d in dropped {
            match d {
                Dropped::Contained { index } => {
                    report
                        .contained
                        .push((entry.seq, index, entry.batch.changes[index].op()));
                }
                Dropped::Refused { index, error } => report.refused.push((
                    entry.seq,
                    index,
                    entry.batch.changes[index].op(),
                    error.to_string(),
                )),
            }
        }
        report.kept += kept.len();
        report.batches += 1;
        let carried: Vec<_> = documents
            .iter()
            .filter(|d| d.seq == entry.seq)
            .map(|d| d.document.clone())
            .collect();
        next.import(
            &Entry {
                batch: ChangeBatch::new(kept),
                ..entry
            },
            &carried,
        )
        .await?;
    }
    next.close().await?;
    // The old log stays, under another name, and the new one takes its place at once.
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    report.previous = dir.join(format!("{DB_FILE}.before-rebase-{stamp}"));
    let current = dir.join(DB_FILE);
    std::fs::hard_link(&current, &report.previous).map_err(|source| StoreError::Dir {
        path: report.previous.clone(),
        source,
    })?;
    std::fs::rename(staging.join(DB_FILE), &current).map_err(|source| StoreError::Dir {
        path: current.clone(),
        source,
    })?;
    let _ = std::fs::remove_dir_all(&staging);
    let mut log = Log::open_dir(dir).await?;
    log.bind_seed(fingerprint).await?;
    Ok((log, report))
}
