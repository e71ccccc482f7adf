//! Backup: a consistent copy of a change log, a data directory's or a shared store's,
//! taken while servers may be writing to it, as a SQLite store. Restoring it is copying the
//! file to `pledgegraph.db` in a fresh data directory. And the preparation of a shared
//! store.

use std::path::{Path, PathBuf};

use crate::store::{DB_FILE, Log, StoreError};

use super::Config;

/// A backup written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackedUp {
    /// The store copied: `pledgegraph.db` in the data directory, or the shared store's
    /// URL (its password hidden).
    pub store: String,
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
    /// No shared store is configured.
    #[error(
        "no store to prepare: name the PostgreSQL database with `--store postgres://…` (or `store`, `PLEDGEGRAPH_STORE`)"
    )]
    NoStoreUrl,
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

/// A shared store prepared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    /// The store's URL, its password hidden.
    pub store: String,
    /// The batches its log holds.
    pub batches: u64,
}

/// Opens the configuration's shared store, which makes its tables or brings them up to
/// date, and counts the batches its log holds.
pub fn migrate(config: &Config) -> Result<Migrated, BackupError> {
    let url = config.store.as_ref().ok_or(BackupError::NoStoreUrl)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(BackupError::Runtime)?;
    let batches = runtime.block_on(async {
        let mut log = Log::open_url(url.as_str(), &url.redacted()).await?;
        let last = log.last_seq().await;
        log.close().await?;
        last
    })?;
    Ok(Migrated {
        store: url.redacted(),
        batches,
    })
}

/// Copies the change log of the configuration's data directory, or of its shared store,
/// to `out`, a file that must not exist yet (see [`Log::backup`]). A data directory that
/// holds no store is refused rather than created.
pub fn backup(config: &Config, out: &Path) -> Result<BackedUp, BackupError> {
    if let Some(url) = &config.store {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(BackupError::Runtime)?;
        let version = runtime.block_on(async {
            let mut log = Log::open_url(url.as_str(), &url.redacted()).await?;
            let copied = log.backup(out).await;
            log.close().await?;
            copied
        })?;
        return Ok(BackedUp {
            store: url.redacted(),
            version,
        });
    }
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
    Ok(BackedUp {
        store: store.display().to_string(),
        version,
    })
}
