//! Whole answers to repeated reads, kept exactly: a query sent again with the same bytes,
//! to the same graph version, on the same UTC day, is answered from memory without being
//! parsed or run. Only a single query's answer without errors is kept, so a write, a
//! refusal or a failure is never replayed; a request asking `Cache-Control: no-cache` is
//! answered afresh. Bounded by `answer_cache_bytes`, the least recently asked answers
//! going first (a CLOCK over the kept answers, in shards so workers rarely meet).

use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use actix_web::HttpRequest;
use actix_web::http::header::{CACHE_CONTROL, PRAGMA};
use actix_web::web::Bytes;
use hashbrown::HashTable;

/// Shards of the cache, each behind its own lock.
const SHARDS: usize = 16;

/// What an answer costs beside its key and body: the slot, the table entry, the Arcs.
const OVERHEAD: usize = 128;

/// How a request was sent: the same bytes by GET and POST are different requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sent {
    /// A `POST` body.
    Post,
    /// A `GET` query string.
    Get,
}

/// An answer found: its body and the operation it ran, for the log.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub body: Bytes,
    pub operation: Option<Arc<str>>,
}

/// What a request's answer depends on beside its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// The graph version it read.
    pub version: u64,
    /// The UTC day it was computed on (an answer without `asOf` is for today).
    pub day: u64,
}

impl Stamp {
    /// The latest `version`, today.
    pub(crate) fn now(version: u64) -> Self {
        Stamp {
            version,
            day: today(),
        }
    }
}

/// Days since 1970-01-01 in UTC.
pub(crate) fn today() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or_default()
}

/// Whether the client asks for an answer computed afresh (`Cache-Control: no-cache`,
/// `no-store` or `max-age=0`, or the older `Pragma: no-cache`).
pub(crate) fn fresh_wanted(req: &HttpRequest) -> bool {
    let headers = req.headers();
    let said = |name, directives: &[&str]| {
        headers
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|d| d.trim().to_ascii_lowercase())
            .any(|d| directives.contains(&d.as_str()))
    };
    said(CACHE_CONTROL, &["no-cache", "no-store", "max-age=0"]) || said(PRAGMA, &["no-cache"])
}

/// One kept answer.
struct Kept {
    sent: Sent,
    hash: u64,
    key: Box<[u8]>,
    stamp: Stamp,
    body: Bytes,
    operation: Option<Arc<str>>,
    /// Asked since the clock hand last passed.
    referenced: bool,
}

impl Kept {
    fn size(&self) -> usize {
        self.key.len() + self.body.len() + OVERHEAD
    }
}

/// A shard: its answers in slots, a table from key to slot, and the clock hand.
#[derive(Default)]
struct Shard {
    slots: Vec<Option<Kept>>,
    free: Vec<usize>,
    table: HashTable<usize>,
    hand: usize,
    bytes: usize,
}

impl Shard {
    fn find(&self, sent: Sent, hash: u64, key: &[u8]) -> Option<usize> {
        self.table
            .find(hash, |&i| {
                self.slots[i]
                    .as_ref()
                    .is_some_and(|k| k.sent == sent && *k.key == *key)
            })
            .copied()
    }

    fn remove(&mut self, slot: usize) {
        if let Some(kept) = self.slots[slot].take() {
            self.bytes -= kept.size();
            if let Ok(entry) = self.table.find_entry(kept.hash, |&i| i == slot) {
                entry.remove();
            }
            self.free.push(slot);
        }
    }

    /// Frees room for `size` more bytes within `budget`: the clock hand gives each
    /// answer asked since its last pass one more round, and drops the first that was not.
    fn make_room(&mut self, size: usize, budget: usize) {
        while self.bytes + size > budget && self.bytes > 0 {
            if self.hand >= self.slots.len() {
                self.hand = 0;
            }
            let slot = self.hand;
            self.hand += 1;
            match &mut self.slots[slot] {
                Some(kept) if kept.referenced => kept.referenced = false,
                Some(_) => self.remove(slot),
                None => {}
            }
        }
    }

    fn insert(&mut self, kept: Kept) {
        self.bytes += kept.size();
        let hash = kept.hash;
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot] = Some(kept);
                slot
            }
            None => {
                self.slots.push(Some(kept));
                self.slots.len() - 1
            }
        };
        let slots = &self.slots;
        self.table.insert_unique(hash, slot, |&i| {
            slots[i].as_ref().map(|k| k.hash).unwrap_or_default()
        });
    }
}

/// The cache; shared by every worker.
pub(crate) struct Answers {
    shards: Box<[Mutex<Shard>]>,
    /// Bytes each shard may hold.
    budget: usize,
    hasher: foldhash::quality::RandomState,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// The cache's figures, for `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Figures {
    pub hits: u64,
    pub misses: u64,
    pub answers: usize,
    pub bytes: usize,
}

impl Answers {
    /// A cache of at most `bytes` bytes; `None` when `bytes` is 0 (off).
    pub(crate) fn new(bytes: usize) -> Option<Self> {
        (bytes > 0).then(|| Answers {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            budget: bytes / SHARDS,
            hasher: foldhash::quality::RandomState::default(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        })
    }

    fn hash(&self, sent: Sent, key: &[u8]) -> u64 {
        self.hasher.hash_one((sent as u8, key))
    }

    fn shard(&self, hash: u64) -> MutexGuard<'_, Shard> {
        // The table uses the low bits; the shard is chosen by the high ones.
        let shard = &self.shards[(hash >> 58) as usize % SHARDS];
        // A worker that panicked holding the lock left a shard whose every step is whole.
        shard.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The answer kept for these bytes, read at `stamp`; an answer of another version or
    /// day is dropped.
    pub(crate) fn get(&self, sent: Sent, key: &[u8], stamp: Stamp) -> Option<Hit> {
        let hash = self.hash(sent, key);
        let mut shard = self.shard(hash);
        let found = shard.find(sent, hash, key).and_then(|slot| {
            let kept = shard.slots[slot].as_mut()?;
            if kept.stamp == stamp {
                kept.referenced = true;
                Some(Ok(Hit {
                    body: kept.body.clone(),
                    operation: kept.operation.clone(),
                }))
            } else {
                Some(Err(slot))
            }
        });
        let hit = match found {
            Some(Ok(hit)) => Some(hit),
            Some(Err(stale)) => {
                shard.remove(stale);
                None
            }
            None => None,
        };
        drop(shard);
        let counter = if hit.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        hit
    }

    /// Keeps `body` as the answer to these bytes at `stamp`, unless it is too large to be
    /// worth a place (an eighth of a shard).
    pub(crate) fn put(
        &self,
        sent: Sent,
        key: &[u8],
        stamp: Stamp,
        body: Bytes,
        operation: Option<&str>,
    ) {
        let kept = Kept {
            sent,
            hash: self.hash(sent, key),
            key: key.into(),
            stamp,
            body,
            operation: operation.map(Arc::from),
            referenced: false,
        };
        let size = kept.size();
        if size > self.budget / 8 {
            return;
        }
        let mut shard = self.shard(kept.hash);
        if let Some(slot) = shard.find(sent, kept.hash, key) {
            shard.remove(slot);
        }
        let budget = self.budget;
        shard.make_room(size, budget);
        shard.insert(kept);
    }

    /// Hits, misses, and what is kept.
    pub(crate) fn figures(&self) -> Figures {
        let (mut answers, mut bytes) = (0, 0);
        for shard in &self.shards {
            let shard = shard.lock().unwrap_or_else(|e| e.into_inner());
            answers += shard.table.len();
            bytes += shard.bytes;
        }
        Figures {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            answers,
            bytes,
        }
    }
}

impl Figures {
    /// As Prometheus text, for `/metrics`.
    pub(crate) fn render(&self) -> String {
        format!(
            "# HELP pledgegraph_answer_cache_hits_total Queries answered from the answer cache.\n\
             # TYPE pledgegraph_answer_cache_hits_total counter\n\
             pledgegraph_answer_cache_hits_total {}\n\
             # HELP pledgegraph_answer_cache_misses_total Queries looked up in the answer cache and not found.\n\
             # TYPE pledgegraph_answer_cache_misses_total counter\n\
             pledgegraph_answer_cache_misses_total {}\n\
             # HELP pledgegraph_answer_cache_answers Answers the answer cache holds.\n\
             # TYPE pledgegraph_answer_cache_answers gauge\n\
             pledgegraph_answer_cache_answers {}\n\
             # HELP pledgegraph_answer_cache_bytes Bytes the answer cache holds, counting its keys.\n\
             # TYPE pledgegraph_answer_cache_bytes gauge\n\
             pledgegraph_answer_cache_bytes {}\n",
            self.hits, self.misses, self.answers, self.bytes
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: Stamp = Stamp {
        version: 1,
        day: 20_000,
    };

    fn body(text: &str) -> Bytes {
        Bytes::copy_from_slice(text.as_bytes())
    }

    #[test]
    fn an_answer_is_found_only_for_the_same_bytes_method_version_and_day() {
        let cache = Answers::new(1 << 20).unwrap();
        cache.put(
            Sent::Post,
            b"{\"query\":\"{a}\"}",
            V1,
            body("A"),
            Some("Op"),
        );
        let hit = cache.get(Sent::Post, b"{\"query\":\"{a}\"}", V1).unwrap();
        assert_eq!(hit.body, body("A"));
        assert_eq!(hit.operation.as_deref(), Some("Op"));
        assert!(cache.get(Sent::Get, b"{\"query\":\"{a}\"}", V1).is_none());
        assert!(cache.get(Sent::Post, b"{\"query\":\"{b}\"}", V1).is_none());
        let next_day = Stamp { day: 20_001, ..V1 };
        assert!(
            cache
                .get(Sent::Post, b"{\"query\":\"{a}\"}", next_day)
                .is_none()
        );
        let f = cache.figures();
        assert_eq!((f.hits, f.misses), (1, 3));
    }

    #[test]
    fn an_answer_of_another_version_is_dropped_when_met() {
        let cache = Answers::new(1 << 20).unwrap();
        cache.put(Sent::Post, b"q", V1, body("old"), None);
        let v2 = Stamp { version: 2, ..V1 };
        assert!(cache.get(Sent::Post, b"q", v2).is_none());
        assert!(
            cache.get(Sent::Post, b"q", V1).is_none(),
            "dropped, not kept aside"
        );
        assert_eq!(cache.figures().answers, 0);
        cache.put(Sent::Post, b"q", v2, body("new"), None);
        assert_eq!(cache.get(Sent::Post, b"q", v2).unwrap().body, body("new"));
    }

    #[test]
    fn the_budget_holds_and_answers_asked_again_stay_longest() {
        // 16 shards of 4 KiB: about 30 answers of 100 bytes each.
        let cache = Answers::new(64 << 10).unwrap();
        let key = |i: usize| format!("query {i}").into_bytes();
        cache.put(Sent::Post, b"hot", V1, body(&"h".repeat(100)), None);
        for i in 0..10_000 {
            assert!(cache.get(Sent::Post, b"hot", V1).is_some(), "lost at {i}");
            cache.put(Sent::Post, &key(i), V1, body(&"x".repeat(100)), None);
            assert!(cache.figures().bytes <= 64 << 10);
        }
        let f = cache.figures();
        assert!(f.answers > 100, "{f:?}");
        // A scan of answers never asked again keeps none of the early ones.
        assert!(cache.get(Sent::Post, &key(0), V1).is_none());
        assert!(cache.get(Sent::Post, &key(9_999), V1).is_some());
    }

    #[test]
    fn an_answer_too_large_for_its_shard_is_not_kept() {
        let cache = Answers::new(16 << 10).unwrap();
        cache.put(Sent::Post, b"big", V1, body(&"x".repeat(1 << 10)), None);
        assert!(cache.get(Sent::Post, b"big", V1).is_none());
        assert!(Answers::new(0).is_none());
    }

    #[test]
    fn a_client_may_ask_for_a_fresh_answer() {
        use actix_web::test::TestRequest;
        let asks = |name, value| {
            fresh_wanted(
                &TestRequest::default()
                    .insert_header((name, value))
                    .to_http_request(),
            )
        };
        assert!(asks("cache-control", "no-cache"));
        assert!(asks("cache-control", "max-age=0, No-Store"));
        assert!(asks("pragma", "no-cache"));
        assert!(!asks("cache-control", "max-age=60"));
        assert!(!fresh_wanted(&TestRequest::default().to_http_request()));
    }
}
