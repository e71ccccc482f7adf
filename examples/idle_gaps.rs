//! This machine's own tail, for `scripts/bench`: one small piece of work, dependent reads
//! over a working set of about what a request reads, timed back to back and after idle
//! gaps such as a server at half of its peak sees between requests. On a shared machine the
//! caches a core held are taken while it idles, so the same work costs more after a gap.
//! Part of the benchmark, not of the product.
//!
//! `cargo run --release --example idle_gaps -- [--seconds S]`: for each working set and gap,
//! runs the work for S seconds (1 unless told) and prints a line
//! `IDLE working_set_kib gap_us runs p50_ns p99_ns`, the gap as slept (asked for, plus the
//! timer's slack), its median over the runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// The working sets, in KiB: one that fits in a core's own caches, and one that does not.
const WORKING_SETS_KIB: [usize; 2] = [64, 1024];
/// The gaps asked for, in µs; 0 is back to back.
const GAPS_US: [u64; 2] = [0, 100];
/// Dependent reads in one piece of work.
const READS: usize = 4_000;

fn main() -> Result<(), String> {
    let mut seconds = 1.0_f64;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match (flag.as_str(), args.next()) {
            ("--seconds", Some(s)) => {
                seconds = s
                    .parse()
                    .ok()
                    .filter(|x: &f64| x.is_finite() && *x > 0.0 && *x < 3600.0)
                    .ok_or_else(|| format!("--seconds takes a number of seconds, not {s}"))?
            }
            _ => return Err("usage: idle_gaps [--seconds S]".into()),
        }
    }
    let span = Duration::from_secs_f64(seconds);
    for kib in WORKING_SETS_KIB {
        let ring = ring(kib * 1024 / 8);
        for gap in GAPS_US {
            let (runs, p50, p99, slept) = measure(&ring, Duration::from_micros(gap), span);
            println!("IDLE {kib} {} {runs} {p50} {p99}", slept.as_micros());
        }
    }
    Ok(())
}

/// A single cycle through `n` slots in a scattered order, so that each read depends on the
/// one before and the prefetcher cannot guess the next.
fn ring(n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    let mut next = vec![0; n];
    for w in 0..n {
        next[order[w]] = order[(w + 1) % n];
    }
    next
}

/// Runs the work for `span`, sleeping `gap` after each run: the runs, the median and 99th
/// percentile of a run in ns, and the median gap as slept.
fn measure(ring: &[usize], gap: Duration, span: Duration) -> (usize, u128, u128, Duration) {
    let mut at = 0;
    let mut times = Vec::new();
    let mut gaps = Vec::new();
    let start = Instant::now();
    while times.is_empty() || start.elapsed() < span {
        let t = Instant::now();
        for _ in 0..READS {
            at = ring[at];
        }
        times.push(t.elapsed().as_nanos());
        if !gap.is_zero() {
            let s = Instant::now();
            std::thread::sleep(gap);
            gaps.push(s.elapsed());
        }
    }
    black_box(at);
    times.sort_unstable();
    gaps.sort_unstable();
    let pick = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    let slept = gaps.get(gaps.len() / 2).copied().unwrap_or_default();
    (times.len(), pick(0.5), pick(0.99), slept)
}
