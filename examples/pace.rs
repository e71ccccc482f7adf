//! An evenly paced load generator for the latency rounds of `scripts/bench`, beside oha.
//! oha releases the requests of a fixed rate on tokio's timer, a millisecond at a time, so
//! a server sees them in bursts; this one sends each request at its own time, to the
//! microsecond, and keeps every request's times in room made before the run. Part of the
//! benchmark, not of the product.
//!
//! `cargo run --release --example pace -- --url http://HOST:PORT/PATH --rate N --seconds S
//! --bodies FILE [--connections C] [--header 'Name: value']... [--times FILE]
//! [--work-file FILE]`: POSTs one line of FILE (picked at random) per request, request `k`
//! due `k / N` seconds after the start, over C keep-alive connections (32 unless told), one
//! request in flight on each. It spins on its core between sends, so it belongs on a core
//! of its own (`taskset`). At the end it prints one JSON object: the latencies from each
//! request's due time to its answer's last byte (corrected for coordinated omission: a
//! request held back by busy connections counts the wait), their percentiles, how late the
//! sends were, and its own stops: the times of 100 µs or more between two turns of its
//! loop, when its core did not run it. `--times` also writes each request's due, sent and
//! answered times (ns from the start) and whether it was a 200. `--work-file` holds
//! numbers of µs: the request of the `k`th body asks the busy ceiling (`examples/ceiling.rs`)
//! for the `k`th of them as its work, so that the ceiling's work varies from request to
//! request as a server's does.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// How long the answers still due may take once the last request is sent.
const DRAIN: Duration = Duration::from_secs(10);

/// One request's times, in nanoseconds from the start.
#[derive(Clone, Copy, Default)]
struct Times {
    due: u64,
    sent: u64,
    done: u64,
    ok: bool,
}

/// One keep-alive connection and the answer it is reading.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    /// The request in flight on it.
    request: Option<usize>,
}

struct Args {
    host: String,
    path: String,
    rate: u64,
    seconds: u64,
    connections: usize,
    bodies: String,
    headers: Vec<String>,
    /// Where to write every request's times, one line each: `due sent done status_ok`.
    times: Option<String>,
    /// The work each body's request asks the busy ceiling for, in µs, in the bodies' order.
    work: Vec<u64>,
}

fn main() -> Result<(), String> {
    let args = parse_args()?;
    let requests = requests(&args)?;
    let total = usize::try_from(args.rate * args.seconds).map_err(|e| e.to_string())?;
    let mut times = vec![Times::default(); total];
    let mut conns = Vec::with_capacity(args.connections);
    for _ in 0..args.connections {
        conns.push(connect(&args.host)?);
    }
    let mut idle: Vec<usize> = (0..conns.len()).rev().collect();
    let mut busy: Vec<usize> = Vec::with_capacity(conns.len());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let start = Instant::now();
    let clock = || u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
    let due = |k: usize| (k as u64).saturating_mul(1_000_000_000) / args.rate;
    let mut next = 0usize;
    let mut deadline = None;
    let mut stops = Stops::default();
    let mut last = 0;
    loop {
        let now = clock();
        stops.note(now.saturating_sub(last));
        last = now;
        while next < total && due(next) <= now {
            let Some(c) = idle.pop() else { break };
            let request = &requests[rng.below(requests.len())];
            let conn = &mut conns[c];
            let sent = clock();
            if write_all(&mut conn.stream, request).is_err() {
                // The server closed it between answers: a new one takes the request.
                *conn = connect(&args.host)?;
                write_all(&mut conn.stream, request).map_err(|e| format!("send: {e}"))?;
            }
            times[next] = Times {
                due: due(next),
                sent,
                ..Times::default()
            };
            conn.request = Some(next);
            busy.push(c);
            next += 1;
        }
        let mut i = 0;
        while i < busy.len() {
            let c = busy[i];
            match read_answer(&mut conns[c]) {
                Ok(None) => i += 1,
                Ok(Some(status)) => {
                    if let Some(k) = conns[c].request.take() {
                        times[k].done = clock();
                        times[k].ok = status == 200;
                    }
                    busy.swap_remove(i);
                    idle.push(c);
                }
                Err(_) => {
                    // Counted as not answered; the connection is made again.
                    conns[c] = connect(&args.host)?;
                    busy.swap_remove(i);
                    idle.push(c);
                }
            }
        }
        if next == total {
            let at = *deadline.get_or_insert_with(|| Instant::now() + DRAIN);
            if busy.is_empty() || Instant::now() > at {
                break;
            }
        }
    }
    let took = start.elapsed();
    if let Some(path) = &args.times {
        let mut out = String::with_capacity(times.len() * 32);
        for t in &times {
            out.push_str(&format!(
                "{} {} {} {}\n",
                t.due,
                t.sent,
                t.done,
                u8::from(t.ok)
            ));
        }
        std::fs::write(path, out).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    println!("{}", report(&times, &stops, took));
    Ok(())
}

fn parse_args() -> Result<Args, String> {
    let usage = "usage: pace --url http://HOST:PORT/PATH --rate N --seconds S --bodies FILE \
                 [--connections C] [--header 'Name: value']... [--times FILE] \
                 [--work-file FILE]";
    let (mut url, mut rate, mut seconds, mut bodies) = (None, None, None, None);
    let mut connections = 32usize;
    let mut headers = Vec::new();
    let mut times = None;
    let mut work = Vec::new();
    let number = |flag: &str, v: &str| {
        v.parse::<u64>()
            .ok()
            .filter(|&n| n > 0 && n <= 10_000_000)
            .ok_or_else(|| format!("{flag} takes a whole number from 1, not {v}"))
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match (flag.as_str(), args.next()) {
            ("--url", Some(v)) => url = Some(v),
            ("--rate", Some(v)) => rate = Some(number("--rate", &v)?),
            ("--seconds", Some(v)) => seconds = Some(number("--seconds", &v)?.min(3600)),
            ("--bodies", Some(v)) => bodies = Some(v),
            ("--times", Some(v)) => times = Some(v),
            ("--work-file", Some(v)) => work = work_of(&v)?,
            ("--connections", Some(v)) => {
                connections = number("--connections", &v)?.min(4096) as usize
            }
            ("--header", Some(v)) if v.contains(':') && !v.contains(['\r', '\n']) => {
                headers.push(v)
            }
            _ => return Err(usage.into()),
        }
    }
    let url = url.ok_or(usage)?;
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("--url must start with http://, not {url}"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    Ok(Args {
        host: host.to_owned(),
        path: path.to_owned(),
        rate: rate.ok_or(usage)?,
        seconds: seconds.ok_or(usage)?,
        connections,
        bodies: bodies.ok_or(usage)?,
        headers,
        times,
        work,
    })
}

/// The numbers of µs in a work file, one or more, separated by white space.
fn work_of(path: &str) -> Result<Vec<u64>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let work = text
        .split_whitespace()
        .map(|w| {
            w.parse::<u64>()
                .map_err(|_| format!("{path}: {w} is not a whole number of µs"))
        })
        .collect::<Result<Vec<u64>, String>>()?;
    if work.is_empty() {
        return Err(format!("{path} holds no work"));
    }
    Ok(work)
}

/// Every request's bytes, one for each non-empty line of the bodies file.
fn requests(args: &Args) -> Result<Vec<Vec<u8>>, String> {
    let text = std::fs::read_to_string(&args.bodies)
        .map_err(|e| format!("cannot read {}: {e}", args.bodies))?;
    let mut head = String::new();
    for h in &args.headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    let requests: Vec<Vec<u8>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(k, body)| {
            let work = if args.work.is_empty() {
                String::new()
            } else {
                format!("x-ceiling-work-us: {}\r\n", args.work[k % args.work.len()])
            };
            let mut r = format!(
                "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n{head}{work}\r\n",
                args.path,
                args.host,
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(body.as_bytes());
            r
        })
        .collect();
    if requests.is_empty() {
        return Err(format!("{} holds no bodies", args.bodies));
    }
    Ok(requests)
}

fn connect(host: &str) -> Result<Conn, String> {
    let stream = TcpStream::connect(host).map_err(|e| format!("cannot connect to {host}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    stream.set_nonblocking(true).map_err(|e| e.to_string())?;
    Ok(Conn {
        stream,
        buf: Vec::with_capacity(64 * 1024),
        request: None,
    })
}

/// Writes the whole request on a non-blocking socket, spinning while its buffer is full.
fn write_all(stream: &mut TcpStream, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match stream.write(bytes) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == ErrorKind::WouldBlock => std::hint::spin_loop(),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Reads what has arrived; the answer's status once all of it has (`Content-Length`).
fn read_answer(conn: &mut Conn) -> std::io::Result<Option<u16>> {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match conn.stream.read(&mut chunk) {
            Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
            Ok(n) => conn.buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) => return Err(e),
        }
    }
    let Some(end) = conn.buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = std::str::from_utf8(&conn.buf[..end]).map_err(|_| invalid("a head not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| invalid("no status line"))?;
    let length = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .ok_or_else(|| invalid("an answer without Content-Length"))?;
    let whole = end + 4 + length;
    if conn.buf.len() < whole {
        return Ok(None);
    }
    conn.buf.drain(..whole);
    Ok(Some(status))
}

fn invalid(what: &str) -> std::io::Error {
    std::io::Error::new(ErrorKind::InvalidData, what)
}

/// The summary as one JSON object, times in µs.
fn report(times: &[Times], stops: &Stops, took: Duration) -> String {
    let answered: Vec<&Times> = times.iter().filter(|t| t.done > 0).collect();
    let mut latency: Vec<u64> = answered.iter().map(|t| t.done - t.due).collect();
    let mut late: Vec<u64> = times.iter().map(|t| t.sent.saturating_sub(t.due)).collect();
    latency.sort_unstable();
    late.sort_unstable();
    let longest_gap = times
        .windows(2)
        .map(|w| w[1].sent.saturating_sub(w[0].sent))
        .max()
        .unwrap_or(0);
    let us = |ns: u64| ns as f64 / 1000.0;
    let pct = |v: &[u64], p: f64| {
        let i = ((v.len() as f64 * p).ceil() as usize).clamp(1, v.len().max(1)) - 1;
        us(v.get(i).copied().unwrap_or(0))
    };
    serde_json::json!({
        "requests": times.len(),
        "answered": answered.len(),
        "not_200": times.iter().filter(|t| !t.ok).count(),
        "seconds": took.as_secs_f64(),
        "p50_us": pct(&latency, 0.50),
        "p90_us": pct(&latency, 0.90),
        "p99_us": pct(&latency, 0.99),
        "p999_us": pct(&latency, 0.999),
        "max_us": pct(&latency, 1.0),
        "late_p50_us": pct(&late, 0.50),
        "late_p99_us": pct(&late, 0.99),
        "late_max_us": pct(&late, 1.0),
        "longest_gap_us": us(longest_gap),
        "stops": stops.count,
        "stopped_us": us(stops.total),
        "longest_stop_us": us(stops.longest),
    })
    .to_string()
}

/// This thread's own stops: it spins, so a long time between two turns of its loop is
/// the machine not running it (another thread on its core, or the hypervisor).
#[derive(Default)]
struct Stops {
    count: usize,
    total: u64,
    longest: u64,
}

impl Stops {
    /// A turn takes a few µs, even with every connection to read.
    const AT_LEAST_NS: u64 = 100_000;

    fn note(&mut self, gap: u64) {
        if gap >= Self::AT_LEAST_NS {
            self.count += 1;
            self.total += gap;
            self.longest = self.longest.max(gap);
        }
    }
}

/// xorshift64: which body each request sends.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}
