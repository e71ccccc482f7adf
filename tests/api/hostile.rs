//! Hostile requests at the transport, each sent over raw TCP to the real server binary (a
//! client library would fix most of them up): bodies of the wrong type, too large (declared
//! or chunked), cut short, not UTF-8 or not a request; a mutation over GET; headers too
//! large or too many; connections that never finish their headers. Each is refused with its
//! status and, where the answer has a body, an `errors` body with a code; none hangs or
//! stops the server. After them all the server answers a normal query, and its resident
//! memory is within 50 MB of where it stood after warming up.
//!
//! Nothing here asserts a time: every read has a generous bound that only a hang reaches.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::helpers::{PATIENCE, ServeProcess};

/// 3 MB, three times `max_body_bytes`' default.
const BIG: usize = 3 * 1024 * 1024;

/// An HTTP answer read off the wire.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "the {} answer is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The code of the first error of a JSON `errors` body.
    fn code(&self) -> String {
        let body = self.json();
        assert!(body.get("data").is_none(), "a refusal has no data: {body}");
        body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("the {} answer has no error code: {body}", self.status))
            .to_string()
    }
}

/// What a connection brought back: an answer, or the server closed it without one.
#[derive(Debug)]
enum Outcome {
    Answer(Answer),
    Closed,
}

impl Outcome {
    fn answer(self, what: &str) -> Answer {
        match self {
            Outcome::Answer(answer) => answer,
            Outcome::Closed => panic!("{what}: the server closed the connection without answering"),
        }
    }
}

fn connect(addr: &str) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("cannot connect: {e}"));
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.set_write_timeout(Some(PATIENCE)).unwrap();
    stream
}

/// Whether an I/O error means the server closed the connection (it may close while a
/// request is still being written, once it has answered).
fn closed(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::BrokenPipe | ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
    )
}

/// Writes what it can of `bytes`; the server may answer and close before it has read them all.
fn write(stream: &mut TcpStream, bytes: &[u8]) {
    if let Err(e) = stream.write_all(bytes) {
        assert!(closed(&e), "writing the request failed: {e}");
    }
}

/// Reads one answer: its head, then a body of `Content-Length` bytes (or chunked, or to
/// the end of the connection). A read that waits past [`PATIENCE`] is a hang, and fails.
fn read_answer(stream: &mut TcpStream) -> Outcome {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let fill = |stream: &mut TcpStream, buf: &mut Vec<u8>, chunk: &mut [u8]| -> bool {
        match stream.read(chunk) {
            Ok(0) => false,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                true
            }
            Err(e) if closed(&e) => false,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("no answer within {PATIENCE:?}: the server hangs")
            }
            Err(e) => panic!("reading the answer failed: {e}"),
        }
    };
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if !fill(stream, &mut buf, &mut chunk) {
            assert!(
                buf.is_empty(),
                "the connection closed mid-answer: {}",
                String::from_utf8_lossy(&buf)
            );
            return Outcome::Closed;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP status line: {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut answer = Answer {
        status,
        headers,
        body: buf[head_end + 4..].to_vec(),
    };
    if let Some(length) = answer
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        while answer.body.len() < length {
            assert!(
                fill(stream, &mut answer.body, &mut chunk),
                "the connection closed mid-body"
            );
        }
        answer.body.truncate(length);
    } else if answer
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        while !answer.body.ends_with(b"0\r\n\r\n") {
            assert!(
                fill(stream, &mut answer.body, &mut chunk),
                "the connection closed mid-body"
            );
        }
        answer.body = dechunk(&answer.body);
    } else {
        while fill(stream, &mut answer.body, &mut chunk) {}
    }
    Outcome::Answer(answer)
}

/// The data of a chunked body.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&raw[..eol]).trim(), 16)
            .unwrap_or_else(|e| panic!("a bad chunk size: {e}"));
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[eol + 2..eol + 2 + size]);
        raw = &raw[eol + 2 + size + 2..];
    }
}

/// Sends `bytes` on a new connection and reads what comes back.
fn exchange(addr: &str, bytes: &[u8]) -> Outcome {
    let mut stream = connect(addr);
    write(&mut stream, bytes);
    read_answer(&mut stream)
}

/// A `POST /graphql` with a body, closing the connection after the answer.
fn post(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

/// A normal query, answered with data.
fn assert_serves(server: &ServeProcess, what: &str) {
    let body = server.query("{ stats { entities relations } }");
    assert!(
        body["data"]["stats"]["entities"].as_i64().unwrap_or(0) > 0,
        "after {what} the server must still answer a normal query: {body}"
    );
}

/// The resident memory of a process, in kB.
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("cannot read the server's /proc status: {e}"));
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no VmRSS in:\n{status}"))
}

fn form_and_text_bodies_are_415_with_a_code(addr: &str) {
    for (content_type, body) in [
        (
            "application/x-www-form-urlencoded",
            &b"query=%7B%20__typename%20%7D"[..],
        ),
        ("text/plain", &br#"{"query":"{ __typename }"}"#[..]),
        (
            "text/plain;charset=UTF-8",
            &br#"{"query":"{ __typename }"}"#[..],
        ),
    ] {
        let answer = exchange(addr, &post(content_type, body)).answer(content_type);
        assert_eq!(answer.status, 415, "{content_type}: {answer:?}");
        assert!(!answer.code().is_empty(), "{content_type}");
    }
}

fn a_declared_3mb_body_is_413_before_it_is_sent(addr: &str) {
    // The headers only: the answer must come without a byte of the body.
    let mut stream = connect(addr);
    write(
        &mut stream,
        format!(
            "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Content-Length: {BIG}\r\n\r\n"
        )
        .as_bytes(),
    );
    let answer = read_answer(&mut stream).answer("a declared 3 MB body");
    assert_eq!(answer.status, 413, "{answer:?}");
    assert_eq!(answer.code(), "DOCUMENT_TOO_LARGE");
}

fn a_chunked_3mb_body_is_413(addr: &str) {
    let mut stream = connect(addr);
    write(
        &mut stream,
        b"POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
          Transfer-Encoding: chunked\r\n\r\n",
    );
    // The body goes from another thread, so an answer sent before it ends is read.
    let mut writer = stream.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let data = vec![b' '; 64 * 1024];
        let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
        chunk.extend_from_slice(&data);
        chunk.extend_from_slice(b"\r\n");
        for _ in 0..BIG / data.len() {
            if writer.write_all(&chunk).is_err() {
                return;
            }
        }
        let _ = writer.write_all(b"0\r\n\r\n");
    });
    let answer = read_answer(&mut stream).answer("a chunked 3 MB body");
    assert_eq!(answer.status, 413, "{answer:?}");
    assert_eq!(answer.code(), "DOCUMENT_TOO_LARGE");
    drop(stream);
    sender.join().unwrap();
}

fn a_truncated_body_is_400_or_closed(server: &ServeProcess, addr: &str) {
    let mut stream = connect(addr);
    write(
        &mut stream,
        b"POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
          Content-Length: 100\r\n\r\n{\"query\": \"{ __typ",
    );
    stream.shutdown(Shutdown::Write).unwrap();
    match read_answer(&mut stream) {
        Outcome::Closed => {}
        Outcome::Answer(answer) => {
            assert_eq!(answer.status, 400, "{answer:?}");
            assert!(!answer.code().is_empty());
        }
    }
    assert_serves(server, "a truncated body");
}

fn a_body_that_is_not_utf8_is_400(addr: &str) {
    let body = b"{\"query\": \"{ __typename \xff\xfe\xfd }\"}";
    let answer = exchange(addr, &post("application/json", body)).answer("invalid UTF-8");
    assert_eq!(answer.status, 400, "{answer:?}");
    assert_eq!(answer.code(), "BAD_REQUEST");
}

fn json_that_is_not_a_request_is_400(addr: &str) {
    for body in [
        "42",
        "null",
        "true",
        "\"{ __typename }\"",
        "[1, 2]",
        "{\"query\": 7}",
    ] {
        let answer = exchange(addr, &post("application/json", body.as_bytes())).answer(body);
        assert_eq!(answer.status, 400, "{body}: {answer:?}");
        assert_eq!(answer.code(), "BAD_REQUEST", "{body}");
    }
}

fn a_mutation_over_get_is_405_allowing_post(addr: &str) {
    let request = "GET /graphql?query=mutation%20%7B%20__typename%20%7D HTTP/1.1\r\n\
                   Host: localhost\r\nConnection: close\r\n\r\n";
    let answer = exchange(addr, request.as_bytes()).answer("a mutation over GET");
    assert_eq!(answer.status, 405, "{answer:?}");
    assert_eq!(answer.header("allow"), Some("POST"));
    assert!(!answer.code().is_empty());
}

fn huge_headers_are_refused(server: &ServeProcess, addr: &str) {
    let get = "GET /graphql?query=%7B%20__typename%20%7D HTTP/1.1\r\nHost: localhost\r\n";
    let one_huge = format!(
        "{get}X-Huge: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(512 * 1024)
    );
    let many: String = (0..500).map(|i| format!("X-Header-{i}: {i}\r\n")).collect();
    let too_many = format!("{get}{many}Connection: close\r\n\r\n");
    for (what, request) in [("a 512 kB header", one_huge), ("500 headers", too_many)] {
        match exchange(addr, request.as_bytes()) {
            Outcome::Answer(answer) => {
                assert!(
                    [400, 431].contains(&answer.status),
                    "{what}: 431 or 400, not {answer:?}"
                );
            }
            Outcome::Closed => {}
        }
        assert_serves(server, what);
    }
}

/// Connections that never finish their headers take no one's turn: others are served while
/// they are open, and the server closes them in the end.
fn unfinished_headers_do_not_stop_others(server: &ServeProcess, addr: &str) {
    let slow: Vec<TcpStream> = (0..64)
        .map(|i| {
            let mut stream = connect(addr);
            write(
                &mut stream,
                format!("POST /graphql HTTP/1.1\r\nHost: localhost\r\nX-Slow-{i}: ").as_bytes(),
            );
            stream
        })
        .collect();
    // One more dribbles a byte at a time, as slowloris does.
    let mut dribbler = connect(addr);
    write(
        &mut dribbler,
        b"GET /graphql HTTP/1.1\r\nHost: localhost\r\nX-Dribble: ",
    );
    let dribbling = std::thread::spawn(move || {
        let started = Instant::now();
        while started.elapsed() < PATIENCE * 2 {
            if dribbler.write_all(b"a").is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        false
    });
    for _ in 0..5 {
        assert_serves(server, "connections that never finish their headers");
    }
    for mut stream in slow {
        match read_answer(&mut stream) {
            Outcome::Closed => {}
            Outcome::Answer(answer) => assert!(
                answer.status == 408 || answer.status == 400,
                "an unfinished request is timed out: {answer:?}"
            ),
        }
    }
    assert!(
        dribbling.join().unwrap(),
        "a connection dribbling its headers is closed by the server"
    );
}

/// One round of every hostile request.
fn round(server: &ServeProcess, addr: &str) {
    form_and_text_bodies_are_415_with_a_code(addr);
    a_declared_3mb_body_is_413_before_it_is_sent(addr);
    a_chunked_3mb_body_is_413(addr);
    a_truncated_body_is_400_or_closed(server, addr);
    a_body_that_is_not_utf8_is_400(addr);
    json_that_is_not_a_request_is_400(addr);
    a_mutation_over_get_is_405_allowing_post(addr);
    huge_headers_are_refused(server, addr);
    assert_serves(server, "a round of hostile requests");
}

#[test]
fn hostile_transport_requests_are_refused_and_the_server_stays_well() {
    let server = ServeProcess::start(&[], &[]);
    let addr = server.addr().to_string();
    // Warm up: normal queries and one round, so what the server keeps for good is counted.
    for _ in 0..20 {
        assert_serves(&server, "warming up");
    }
    round(&server, &addr);
    let warm = rss_kb(server.pid());
    for _ in 0..5 {
        round(&server, &addr);
    }
    unfinished_headers_do_not_stop_others(&server, &addr);
    assert_serves(&server, "every hostile request");
    let after = rss_kb(server.pid());
    println!(
        "resident memory: {} MB warm, {} MB after the hostile requests",
        warm / 1024,
        after / 1024
    );
    assert!(
        after <= warm + 50 * 1024,
        "resident memory grew from {warm} kB to {after} kB, more than 50 MB"
    );
}
