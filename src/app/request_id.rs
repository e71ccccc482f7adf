//! The id of the request being served: made once per request by the transport, in its
//! log line and its `x-request-id` header, as the `request_id` field of every event its
//! work logs, and in every `INTERNAL_SERVER_ERROR` it answers, so that an error a client
//! reports is found in the log.

use std::fmt;
use std::future::Future;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// A request's id: 16 hexadecimal digits, unique within the process and unlikely to
/// repeat across restarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestId(u64);

tokio::task_local! {
    static CURRENT: RequestId;
}

impl RequestId {
    /// A fresh id: a counter from a random start, mixed by a bijection so that ids do
    /// not reveal how many requests the server has served, and never repeat.
    pub fn next() -> Self {
        static BASE: OnceLock<u64> = OnceLock::new();
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let base = *BASE.get_or_init(|| {
            let mut bytes = [0u8; 8];
            // Without randomness the ids only repeat across restarts.
            let _ = getrandom::fill(&mut bytes);
            u64::from_le_bytes(bytes)
        });
        RequestId(mix(base.wrapping_add(COUNT.fetch_add(1, Ordering::Relaxed))))
    }

    /// The id of the request whose work is running here, if any.
    pub fn current() -> Option<Self> {
        CURRENT.try_with(|id| *id).ok()
    }

    /// Runs `work` as the work of the request with this id.
    pub fn scope<F: Future>(self, work: F) -> impl Future<Output = F::Output> {
        CURRENT.scope(self, work)
    }

    /// Its 16 digits, without allocating.
    pub fn digits(&self) -> [u8; 16] {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 16];
        for (i, b) in out.iter_mut().enumerate() {
            *b = HEX[((self.0 >> (60 - 4 * i)) & 0xf) as usize];
        }
        out
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// splitmix64's finaliser: a bijection on 64-bit numbers.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_and_sixteen_digits() {
        let ids: std::collections::HashSet<RequestId> =
            (0..1000).map(|_| RequestId::next()).collect();
        assert_eq!(ids.len(), 1000);
        for id in ids.iter().take(10) {
            assert_eq!(id.to_string().len(), 16);
            assert_eq!(id.to_string().as_bytes(), id.digits());
        }
    }

    #[test]
    fn the_current_id_is_the_scope_s() {
        assert_eq!(RequestId::current(), None);
        let id = RequestId::next();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let seen = runtime.block_on(id.scope(async { RequestId::current() }));
        assert_eq!(seen, Some(id));
    }
}
