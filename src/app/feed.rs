//! Committed batches as a stream, in commit order, for subscribers: from a given version
//! (read from the log) and then live as each batch is committed. A subscriber that falls
//! behind or misses one reads the gap from the log, so it never skips or repeats a batch.

use std::collections::VecDeque;

use futures_util::stream::{self, BoxStream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use crate::store::{Entry, StoreError};

use super::App;

/// Batches read from the log at a time while catching up.
const CATCH_UP_PAGE: usize = 256;

struct Follow {
    app: App,
    live: Option<tokio::sync::broadcast::Receiver<Entry>>,
    /// The number of the next batch to hand out.
    next: u64,
    ready: VecDeque<Entry>,
    catching_up: bool,
}

impl App {
    /// Every batch committed after version `since` (the latest version when `None`), in
    /// order, then each one as it is committed. Ends at once on a server without a data
    /// directory, and with an error if the log cannot be read.
    pub fn follow(&self, since: Option<u64>) -> BoxStream<'static, Result<Entry, StoreError>> {
        let live = self.writer.as_ref().map(|w| w.subscribe());
        // Subscribed before the latest version is read: nothing committed in between is missed.
        let next = since.unwrap_or_else(|| self.graph().version()) + 1;
        let state = Follow {
            app: self.clone(),
            catching_up: live.is_some(),
            live,
            next,
            ready: VecDeque::new(),
        };
        stream::unfold(state, |mut s| async move {
            let item = s.next().await?;
            Some((item, s))
        })
        .boxed()
    }
}

impl Follow {
    async fn next(&mut self) -> Option<Result<Entry, StoreError>> {
        loop {
            if let Some(entry) = self.ready.pop_front() {
                if entry.seq == self.next {
                    self.next += 1;
                    return Some(Ok(entry));
                }
                continue;
            }
            if self.catching_up {
                match self.app.history(self.next - 1, CATCH_UP_PAGE).await {
                    Ok(page) if page.is_empty() => self.catching_up = false,
                    Ok(page) => self.ready.extend(page),
                    Err(e) => return Some(Err(e)),
                }
                continue;
            }
            match self.live.as_mut()?.recv().await {
                Ok(entry) if entry.seq < self.next => {}
                Ok(entry) if entry.seq == self.next => self.ready.push_back(entry),
                // A gap, or batches dropped while this subscriber lagged: read them.
                Ok(_) | Err(RecvError::Lagged(_)) => self.catching_up = true,
                Err(RecvError::Closed) => return None,
            }
        }
    }
}
