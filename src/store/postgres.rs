//! The change log in PostgreSQL, shared by every replica of one graph. A writer takes the
//! log's lock (a transaction-scoped advisory lock), reads the last number and commits the
//! next one, so numbers run without gaps in the order the database committed them; each
//! commit notifies the replicas listening, which then read what they lack by number.

use std::time::Duration;

use sqlx::migrate::MigrateError;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use sqlx::{PgConnection, Row};

use super::{
    Document, Durability, Entry, LoggedDocument, NewEntry, StoreError, read_document, read_entry,
};

/// The advisory lock writers take turns under: "pldg".
const LOCK: i64 = 0x706c_6467;

/// The channel each commit is announced on, with its number.
const CHANNEL: &str = "pledgegraph_log";

/// The seed fingerprint's key in the `meta` table.
const SEED_KEY: &str = "seed_fingerprint";

const ENTRY_COLUMNS: &str = "seq, committed_at, actor, reason, idempotency_key, batch";

/// How long opening waits for a connection before it says the database is unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections kept open: the writer, the readers of history, and one to spare.
const POOL_SIZE: u32 = 4;

/// The log in one PostgreSQL database, over a pool of connections.
#[derive(Debug)]
pub(super) struct PgLog {
    pool: PgPool,
}

impl PgLog {
    /// Connects to the database at `url` (`shown` is the URL to name in messages, its
    /// password hidden) and brings its schema up to date; see [`super::Log::open_url`].
    pub async fn open(url: &str, shown: &str) -> Result<Self, StoreError> {
        let options: PgConnectOptions =
            url.parse()
                .map_err(|e: sqlx::Error| StoreError::Unreachable {
                    url: shown.to_string(),
                    reason: e.to_string(),
                })?;
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| connect_error(shown, e))?;
        // The migrator takes a lock of its own: replicas starting together migrate once.
        match sqlx::migrate!("./migrations/postgres").run(&pool).await {
            Ok(()) => {}
            Err(MigrateError::VersionMissing(version)) => {
                return Err(StoreError::NewerDatabase {
                    url: shown.to_string(),
                    version,
                });
            }
            Err(e) => {
                return Err(StoreError::Database(format!(
                    "the schema of {shown} cannot be brought up to date: {e}"
                )));
            }
        }
        Ok(PgLog { pool })
    }

    pub async fn bind_seed(&mut self, fingerprint: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(SEED_KEY)
            .bind(fingerprint)
            .execute(&self.pool)
            .await?;
        let recorded: String = sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(SEED_KEY)
            .fetch_one(&self.pool)
            .await?;
        match recorded == fingerprint {
            true => Ok(()),
            false => Err(StoreError::OtherSeed {
                recorded,
                given: fingerprint.to_string(),
            }),
        }
    }

    /// Commits `entry` with its `documents` as batch `at` (the next one when `None`), at
    /// `committed_at` or now. A batch whose key the log holds comes back as committed
    /// first; one whose number another writer took first is refused with
    /// [`StoreError::Behind`].
    pub async fn insert(
        &mut self,
        entry: &NewEntry,
        documents: &[Document],
        committed_at: Option<&str>,
        at: Option<u64>,
    ) -> Result<Entry, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(LOCK)
            .execute(&mut *tx)
            .await?;
        if let Some(key) = &entry.idempotency_key
            && let Some(first) = by_key(&mut tx, key).await?
        {
            return Ok(first);
        }
        let last: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM change_log")
            .fetch_one(&mut *tx)
            .await?;
        let next = last + 1;
        if let Some(at) = at
            && i64::try_from(at).ok() != Some(next)
        {
            return Err(StoreError::Behind {
                last: u64::try_from(last).unwrap_or(0),
            });
        }
        let row = sqlx::query(&format!(
            "INSERT INTO change_log (seq, committed_at, actor, reason, idempotency_key, batch) \
             VALUES ($1, coalesce($2, to_char(clock_timestamp() AT TIME ZONE 'UTC', \
             'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')), $3, $4, $5, $6) RETURNING {ENTRY_COLUMNS}"
        ))
        .bind(next)
        .bind(committed_at)
        .bind(&entry.actor)
        .bind(&entry.reason)
        .bind(&entry.idempotency_key)
        .bind(entry.batch.to_json())
        .fetch_one(&mut *tx)
        .await?;
        let committed = read_entry(&row)?;
        let named = super::named_entities(&entry.batch);
        sqlx::query(
            "INSERT INTO change_entities (entity, seq) SELECT unnest($1::text[]), $2 \
             ON CONFLICT DO NOTHING",
        )
        .bind(&named)
        .bind(next)
        .execute(&mut *tx)
        .await?;
        for document in documents {
            sqlx::query("INSERT INTO change_documents (seq, file, text) VALUES ($1, $2, $3)")
                .bind(next)
                .bind(&document.file)
                .bind(&document.text)
                .execute(&mut *tx)
                .await?;
        }
        // Delivered to the listening replicas when, and only if, the batch commits.
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(next.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(committed)
    }

    pub async fn documents_of(&mut self, seq: u64) -> Result<Vec<Document>, StoreError> {
        let rows =
            sqlx::query("SELECT file, text FROM change_documents WHERE seq = $1 ORDER BY file")
                .bind(i64::try_from(seq).unwrap_or(i64::MAX))
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(read_document).collect()
    }

    pub async fn documents(&mut self) -> Result<Vec<LoggedDocument>, StoreError> {
        let rows = sqlx::query("SELECT seq, file, text FROM change_documents ORDER BY seq, file")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.try_get("seq")?;
                Ok(LoggedDocument {
                    seq: u64::try_from(seq).unwrap_or(0),
                    document: read_document(row)?,
                })
            })
            .collect()
    }

    pub async fn page(&mut self, after: u64, limit: usize) -> Result<Vec<Entry>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2"
        ))
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(read_entry).collect()
    }

    pub async fn naming(
        &mut self,
        entity: &str,
        after: u64,
        limit: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        let columns = ENTRY_COLUMNS.replace("seq", "l.seq");
        let rows = sqlx::query(&format!(
            "SELECT {columns} FROM change_entities e JOIN change_log l ON l.seq = e.seq \
             WHERE e.entity = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3"
        ))
        .bind(entity)
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(read_entry).collect()
    }

    pub async fn by_idempotency_key(&mut self, key: &str) -> Result<Option<Entry>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        by_key(&mut conn, key).await
    }

    pub async fn last_seq(&mut self) -> Result<u64, StoreError> {
        let last: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM change_log")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(last).unwrap_or(0))
    }

    pub async fn close(self) -> Result<(), StoreError> {
        self.pool.close().await;
        Ok(())
    }

    /// PostgreSQL writes every commit to its write-ahead log; it waits for the disk when
    /// `synchronous_commit` is not `off`.
    pub async fn durability(&mut self) -> Result<Durability, StoreError> {
        let setting: String = sqlx::query_scalar("SHOW synchronous_commit")
            .fetch_one(&self.pool)
            .await?;
        Ok(Durability {
            journal_mode: "wal".into(),
            synchronous: if setting == "off" { 0 } else { 2 },
        })
    }

    /// The whole log as of one moment: the seed's fingerprint, every batch and every
    /// document, read in one repeatable-read transaction, so that no batch committed
    /// meanwhile is half in it.
    pub async fn snapshot(&mut self) -> Result<Snapshot, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let seed: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(SEED_KEY)
            .fetch_optional(&mut *tx)
            .await?;
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM change_log ORDER BY seq"
        ))
        .fetch_all(&mut *tx)
        .await?;
        let entries = rows.iter().map(read_entry).collect::<Result<Vec<_>, _>>()?;
        let rows = sqlx::query("SELECT seq, file, text FROM change_documents ORDER BY seq, file")
            .fetch_all(&mut *tx)
            .await?;
        let mut documents: std::collections::BTreeMap<u64, Vec<Document>> = Default::default();
        for row in &rows {
            let seq: i64 = row.try_get("seq")?;
            documents
                .entry(u64::try_from(seq).unwrap_or(0))
                .or_default()
                .push(read_document(row)?);
        }
        tx.commit().await?;
        Ok(Snapshot {
            seed,
            entries,
            documents,
        })
    }

    /// Hears of each batch committed from now on, by any replica.
    pub async fn watch(&self) -> Result<Watch, StoreError> {
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.listen(CHANNEL).await?;
        Ok(Watch { listener })
    }
}

/// The whole log as of one moment; see [`PgLog::snapshot`].
#[derive(Debug)]
pub(super) struct Snapshot {
    /// The fingerprint of the seed the log was started from, once one was recorded.
    pub seed: Option<String>,
    /// Every batch, in order.
    pub entries: Vec<Entry>,
    /// The documents of each batch that added any, by its number.
    pub documents: std::collections::BTreeMap<u64, Vec<Document>>,
}

/// Notices of commits to the shared log, from any replica.
#[derive(Debug)]
pub struct Watch {
    listener: PgListener,
}

impl Watch {
    /// Waits at most `patience` for a commit. True when one was announced; false when
    /// none was, or the connection was lost and made again (notices sent meanwhile are
    /// lost: read the log by number either way). An error when the database cannot be
    /// reached.
    pub async fn wait(&mut self, patience: Duration) -> Result<bool, StoreError> {
        match tokio::time::timeout(patience, self.listener.try_recv()).await {
            Err(_) => Ok(false),
            Ok(Ok(notice)) => Ok(notice.is_some()),
            Ok(Err(e)) => Err(e.into()),
        }
    }
}

/// Names what failed when the database cannot be connected to.
fn connect_error(shown: &str, e: sqlx::Error) -> StoreError {
    let code = match &e {
        sqlx::Error::Database(db) => db.code().map(|c| c.to_string()),
        _ => None,
    };
    match code.as_deref() {
        // invalid_password, invalid_authorization_specification
        Some("28P01" | "28000") => StoreError::Credentials {
            url: shown.to_string(),
            reason: e.to_string(),
        },
        _ => StoreError::Unreachable {
            url: shown.to_string(),
            reason: e.to_string(),
        },
    }
}

async fn by_key(conn: &mut PgConnection, key: &str) -> Result<Option<Entry>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {ENTRY_COLUMNS} FROM change_log WHERE idempotency_key = $1"
    ))
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(read_entry).transpose()
}
