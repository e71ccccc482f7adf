//! Backup: a consistent copy of a data directory's change log, taken while a server may
//! be writing to it. Restoring it is copying the file to `pledgegraph.db` in a fresh data
//! directory.

use std::path::{Path, PathBuf};

use crate::store::{DB_FILE, Log, StoreError};

use super::Config;

/// A backup written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackedUp {
    /// The store copied: `pledgegraph.db` in the data directory.
    pub store: PathBuf,
    /// The number of the last batch the copy holds: the graph version it restores.
    pub version: u64,
}

/// Why no backup was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// No data directory is configured.
    #[error(
        "no data directory to back up: name it with `--data-dir DIR` (or `data_dir`, `PLEDGEGRAPH_DATA_DIR`)"
    )]
    NoDataDir,
    /// The data directory holds no store.
    #[error(
        "{} holds no change log ({DB_FILE} is not there): give the data directory the server was started with",
        dir.display()
    )]
    NoStore {
        /// The data directory.
        dir: PathBuf,
    },
    /// The store cannot be opened, or the copy cannot be written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The runtime that reads the store cannot start.
    #[error("cannot start the runtime that reads the change log: {0}")]
    Runtime(std::io::Error),
}

/// Copies the store of the configuration's data directory to `out`, a file that must not
/// exist yet (see [`Log::backup`]). A data directory that holds no store is refused
/// rather than created.
pub fn backup(config: &Config, out: &Path) -> Result<BackedUp, BackupError> {
    let dir = config.data_dir.as_deref().ok_or(BackupError::NoDataDir)?;
    let store = dir.join(DB_FILE);
    if !store.is_file() {
        return Err(BackupError::NoStore {
            dir: dir.to_path_buf(),
        });
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(BackupError::Runtime)?;
    let version = runtime.block_on(async {
        let mut log = Log::open_dir(dir).await?;
        let copied = log.backup(out).await;
        log.close().await?;
        copied
    })?;
    Ok(BackedUp { store, version })
}
