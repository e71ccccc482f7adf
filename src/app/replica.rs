//! A replica of a shared store: after its start it follows the change log that every
//! replica commits to, applying each batch another replica commits, in order. Woken by
//! the database's notice of each commit, and in any case every [`POLL`], it reads what it
//! lacks by number, so a lost notice, a dropped connection or a restart never loses or
//! reorders a batch. While the store cannot be reached the replica is not ready.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::App;

/// The longest a replica goes without reading the log, notice or none.
const POLL: Duration = Duration::from_secs(2);
/// The first pause before trying an unreachable store again; it doubles up to
/// [`RETRY_MAX`].
const RETRY_MIN: Duration = Duration::from_millis(100);
const RETRY_MAX: Duration = Duration::from_secs(5);

impl App {
    /// True when this server is one replica of a shared store.
    pub fn is_replica(&self) -> bool {
        self.writer.as_ref().is_some_and(|w| w.is_shared())
    }

    /// A replica's: the last batch the shared store held when it last read it (the
    /// version it is at, when it is in step); none on a server that is not a replica.
    pub fn store_version(&self) -> Option<u64> {
        self.is_replica().then(|| {
            self.store_seq
                .load(Ordering::Relaxed)
                .max(self.graph().version())
        })
    }

    /// Follows the shared store until the server stops; returns at once on a server
    /// that is not a replica. Spawn it on the server's runtime: its work runs on the
    /// log's.
    pub async fn follow_store(self) {
        let Some(writer) = self.writer.clone() else {
            return;
        };
        if !writer.is_shared() {
            return;
        }
        let app = self.clone();
        let _ = writer.run(async move { app.follow_on_log().await }).await;
    }

    async fn follow_on_log(&self) {
        let Some(writer) = self.writer.as_ref() else {
            return;
        };
        let mut watch = None;
        let mut pause = RETRY_MIN;
        loop {
            let step = async {
                let mut log = writer.log.lock().await;
                if watch.is_none() {
                    watch = log.watch().await?;
                }
                let last = log.last_seq().await?;
                self.store_seq.fetch_max(last, Ordering::Relaxed);
                self.catch_up(&mut log, writer)
                    .await
                    .map_err(|e| crate::store::StoreError::Database(e.to_string()))
            };
            match step.await {
                Ok(_) => {
                    if !self.in_step.swap(true, Ordering::Relaxed) {
                        tracing::info!("the shared store is back; this replica is in step");
                    }
                    pause = RETRY_MIN;
                }
                Err(e) => {
                    if self.in_step.swap(false, Ordering::Relaxed) {
                        tracing::error!(
                            "cannot follow the shared store, not ready until it can: {e}"
                        );
                    }
                    watch = None;
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(RETRY_MAX);
                    continue;
                }
            }
            let heard = match watch.as_mut() {
                Some(w) => w.wait(POLL).await,
                None => {
                    tokio::time::sleep(POLL).await;
                    Ok(false)
                }
            };
            if heard.is_err() {
                watch = None;
            }
        }
    }
}
