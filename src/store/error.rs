//! Why the change log cannot be opened, read or written.

use std::path::PathBuf;

use crate::model::ChangeFormatError;

/// Why the change log cannot be opened, read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The data directory cannot be created or read.
    #[error("cannot use data directory {}: {source}", path.display())]
    Dir {
        /// The directory.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The database file is damaged or not a database at all.
    #[error(
        "{} cannot be read as a pledgegraph store ({reason}); restore it from a backup, or start with another data directory",
        path.display()
    )]
    Unreadable {
        /// The database file.
        path: PathBuf,
        /// What the database said.
        reason: String,
    },
    /// The database belongs to another program.
    #[error(
        "{} is a database of another program, not a pledgegraph store; give pledgegraph a data directory of its own",
        path.display()
    )]
    Foreign {
        /// The database file.
        path: PathBuf,
    },
    /// The database was written by a newer version of pledgegraph.
    #[error(
        "{} was written by a newer version of pledgegraph (its schema has migration {version}, which this version does not know); upgrade pledgegraph to open it",
        path.display()
    )]
    Newer {
        /// The database file.
        path: PathBuf,
        /// The migration this version lacks.
        version: i64,
    },
    /// The log was started from another seed.
    #[error(
        "the data directory's change log was started from another seed (fingerprint {recorded}, this seed's is {given}); start from the seed it was made with, give this seed a data directory of its own, or carry the log over to this seed with `serve --rebase`"
    )]
    OtherSeed {
        /// The fingerprint the log recorded.
        recorded: String,
        /// The fingerprint of the seed given.
        given: String,
    },
    /// A stored batch cannot be read.
    #[error("change {seq} of the log cannot be read: {source}")]
    Batch {
        /// Its sequence number.
        seq: u64,
        /// Why.
        source: ChangeFormatError,
    },
    /// The log's sequence numbers have a gap or do not start at 1.
    #[error(
        "the change log is missing change {expected} (the next one stored is {found}); restore the data directory from a backup"
    )]
    Gap {
        /// The number that should come next.
        expected: u64,
        /// The number found instead.
        found: u64,
    },
    /// A backup would write over a file that is already there.
    #[error(
        "{} already exists: a backup never writes over a file; give a new file name, or move the old backup away first",
        path.display()
    )]
    BackupExists {
        /// The file asked for.
        path: PathBuf,
    },
    /// The backup could not be written.
    #[error("cannot write the backup to {}: {reason}", path.display())]
    Backup {
        /// The file asked for.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The shared store cannot be reached.
    #[error(
        "cannot reach the store at {url}: {reason}; check that PostgreSQL runs there, takes connections from this host, and that the database exists (`createdb`; the server makes its tables on first use)"
    )]
    Unreachable {
        /// The URL, its password hidden.
        url: String,
        /// What the driver said.
        reason: String,
    },
    /// The shared store refused the credentials.
    #[error(
        "the store at {url} refused the credentials: {reason}; check the user in the URL and its password (`PGPASSWORD` or `~/.pgpass`)"
    )]
    Credentials {
        /// The URL, its password hidden.
        url: String,
        /// What the database said.
        reason: String,
    },
    /// The shared store's schema was written by a newer version of pledgegraph.
    #[error(
        "the store at {url} was prepared by a newer version of pledgegraph (its schema has migration {version}, which this version does not know); upgrade pledgegraph to use it"
    )]
    NewerDatabase {
        /// The URL, its password hidden.
        url: String,
        /// The migration this version lacks.
        version: i64,
    },
    /// Another writer committed the number asked for first.
    #[error("another server committed change {last} first; catch up with the log and try again")]
    Behind {
        /// The last number the log holds.
        last: u64,
    },
    /// The database failed a read or a write.
    #[error("the change log's database failed: {0}")]
    Database(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}
