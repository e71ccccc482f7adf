//! Per-client rate limits: a token bucket for each client address (an IPv6 client by its
//! /64), so one client cannot take the server from everyone else. The client is the
//! peer, or the address a trusted proxy's `X-Forwarded-For` names.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;

use crate::app::{Networks, canonical_ip};

/// Buckets are kept in this many shards, each behind its own lock.
const SHARDS: usize = 16;
/// The most clients one shard tracks; past it, the full buckets (clients idle long
/// enough to have their whole burst back) are forgotten, and if that is not enough,
/// all of them.
const CLIENTS_PER_SHARD: usize = 4_096;
/// Tokens are counted in millionths, so a rate needs no fractions.
const MICRO: u64 = 1_000_000;

/// The limiter: a rate and a burst, the same for every client.
pub(crate) struct RateLimiter {
    per_second: u64,
    burst: u64,
    trusted: Networks,
    hasher: RandomState,
    shards: Vec<Mutex<HashMap<u128, Bucket>>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    /// Millionths of a request.
    tokens: u64,
    refilled: Instant,
}

/// How long a refused client should wait before it asks again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, at least 1, for the `Retry-After` header.
    pub(crate) fn seconds(self) -> u64 {
        let whole = self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0);
        whole.max(1)
    }
}

impl RateLimiter {
    /// A limiter of `per_second` requests a second on average and `burst` at once; `None`
    /// when `per_second` is 0 (no limit).
    pub(crate) fn new(per_second: usize, burst: usize, trusted: Networks) -> Option<Self> {
        (per_second > 0).then(|| RateLimiter {
            per_second: per_second as u64,
            burst: burst.max(1) as u64,
            trusted,
            hasher: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        })
    }

    /// Takes one request from the client's bucket, or says how long until it may.
    pub(crate) fn check(&self, req: &HttpRequest) -> Result<(), RetryAfter> {
        let Some(client) = client(req, &self.trusted) else {
            return Ok(());
        };
        self.take(key(client), Instant::now())
    }

    fn take(&self, key: u128, now: Instant) -> Result<(), RetryAfter> {
        let shard = self.hasher.hash_one(key) as usize % SHARDS;
        let mut buckets = match self.shards[shard].lock() {
            Ok(buckets) => buckets,
            Err(poisoned) => poisoned.into_inner(),
        };
        let full = self.burst * MICRO;
        if buckets.len() >= CLIENTS_PER_SHARD && !buckets.contains_key(&key) {
            buckets.retain(|_, b| self.refill(*b, now) < full);
            if buckets.len() >= CLIENTS_PER_SHARD {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: full,
            refilled: now,
        });
        let tokens = self.refill(*bucket, now);
        if tokens >= MICRO {
            *bucket = Bucket {
                tokens: tokens - MICRO,
                refilled: now,
            };
            return Ok(());
        }
        *bucket = Bucket {
            tokens,
            refilled: now,
        };
        let missing = MICRO - tokens;
        let nanos =
            (u128::from(missing) * 1_000_000_000).div_ceil(u128::from(self.per_second * MICRO));
        Err(RetryAfter(Duration::from_nanos(
            u64::try_from(nanos).unwrap_or(u64::MAX),
        )))
    }

    /// The tokens of `bucket` at `now`, refilled at the rate up to the burst.
    fn refill(&self, bucket: Bucket, now: Instant) -> u64 {
        let elapsed = now.saturating_duration_since(bucket.refilled).as_nanos();
        let earned = elapsed * u128::from(self.per_second) * u128::from(MICRO) / 1_000_000_000;
        let tokens = u128::from(bucket.tokens) + earned;
        u64::try_from(tokens.min(u128::from(self.burst * MICRO))).unwrap_or(u64::MAX)
    }
}

/// The client of a request: the peer, or, when the peer is a trusted proxy, the last
/// address in `X-Forwarded-For` that is not itself a trusted proxy.
pub(crate) fn client(req: &HttpRequest, trusted: &Networks) -> Option<IpAddr> {
    let peer = canonical_ip(req.peer_addr()?.ip());
    if trusted.is_empty() || !trusted.contains(peer) {
        return Some(peer);
    }
    let mut client = peer;
    for value in req.headers().get_all("x-forwarded-for").rev() {
        let Ok(text) = value.to_str() else {
            return Some(client);
        };
        for hop in text.rsplit(',') {
            let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                return Some(client);
            };
            client = canonical_ip(ip);
            if !trusted.contains(client) {
                return Some(client);
            }
        }
    }
    Some(client)
}

/// The bucket's key: an IPv4 address, or the /64 network of an IPv6 one (a client is
/// usually given a whole /64).
fn key(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => (u128::from(v6) >> 64 << 64) | 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn limiter(per_second: usize, burst: usize) -> RateLimiter {
        RateLimiter::new(per_second, burst, Networks::default())
            .unwrap_or_else(|| panic!("a rate above 0 makes a limiter"))
    }

    #[test]
    fn a_client_gets_its_burst_then_its_rate() {
        let limiter = limiter(10, 3);
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.take(1, start), Ok(()));
        }
        let refused = limiter.take(1, start);
        assert_eq!(refused, Err(RetryAfter(Duration::from_millis(100))));
        // Another client is not affected.
        assert_eq!(limiter.take(2, start), Ok(()));
        // A tenth of a second later, one more.
        let later = start + Duration::from_millis(100);
        assert_eq!(limiter.take(1, later), Ok(()));
        assert!(limiter.take(1, later).is_err());
        // Long idle: the burst is back, not more.
        let idle = later + Duration::from_secs(60);
        for _ in 0..3 {
            assert_eq!(limiter.take(1, idle), Ok(()));
        }
        assert!(limiter.take(1, idle).is_err());
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        assert_eq!(RetryAfter(Duration::from_millis(100)).seconds(), 1);
        assert_eq!(RetryAfter(Duration::from_secs(2)).seconds(), 2);
        assert_eq!(RetryAfter(Duration::from_millis(2_001)).seconds(), 3);
        assert_eq!(RetryAfter(Duration::ZERO).seconds(), 1);
    }

    #[test]
    fn no_rate_is_no_limiter() {
        assert!(RateLimiter::new(0, 10, Networks::default()).is_none());
    }

    #[test]
    fn many_clients_are_forgotten_rather_than_kept() {
        let limiter = limiter(1, 1);
        let now = Instant::now();
        for client in 0..(SHARDS * CLIENTS_PER_SHARD * 2) as u128 {
            assert_eq!(limiter.take(client, now), Ok(()));
        }
        let kept: usize = limiter
            .shards
            .iter()
            .map(|s| s.lock().map(|b| b.len()).unwrap_or(0))
            .sum();
        assert!(kept <= SHARDS * CLIENTS_PER_SHARD, "{kept}");
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxies: Networks = "10.0.0.0/8".parse().unwrap_or_else(|e| panic!("{e}"));
        let from = |peer: &str, forwarded: Option<&str>| {
            let mut req = TestRequest::default().peer_addr(
                format!("{peer}:5000")
                    .parse()
                    .unwrap_or_else(|e| panic!("{e}")),
            );
            if let Some(f) = forwarded {
                req = req.insert_header(("x-forwarded-for", f));
            }
            client(&req.to_http_request(), &proxies).map(|ip| ip.to_string())
        };
        // A direct client cannot name another address.
        assert_eq!(
            from("203.0.113.9", Some("198.51.100.1")).as_deref(),
            Some("203.0.113.9")
        );
        // Through a trusted proxy, the last address that is not a proxy.
        assert_eq!(
            from("10.0.0.2", Some("1.2.3.4, 198.51.100.1, 10.0.0.3")).as_deref(),
            Some("198.51.100.1")
        );
        // A proxy that forwards nothing is the client.
        assert_eq!(from("10.0.0.2", None).as_deref(), Some("10.0.0.2"));
        // A garbled hop stops the walk at the last good one.
        assert_eq!(
            from("10.0.0.2", Some("1.2.3.4, nonsense")).as_deref(),
            Some("10.0.0.2")
        );
    }

    #[test]
    fn an_ipv6_client_is_its_64() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap_or_else(|e| panic!("{e}"));
        let b: IpAddr = "2001:db8:1:2:ffff::9"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(key(a), key(b));
        assert_ne!(key(a), key(c));
    }
}
