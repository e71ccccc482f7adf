//! What the server has done, for `GET /metrics` in Prometheus's text format (0.0.4):
//! GraphQL requests by operation and outcome, their latency, refusals by limit, requests
//! in flight, and the graph's size and version. Written here rather than taken from a
//! crate: a handful of counters, each a few relaxed atomic adds on the request path.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::api::code;

/// The outcomes a GraphQL request is counted under: `ok`, or the code of its first error.
/// A code not listed is counted as `OTHER`, so the labels stay few.
const OUTCOMES: &[&str] = &[
    "ok",
    code::GRAPHQL_PARSE_FAILED,
    code::GRAPHQL_VALIDATION_FAILED,
    code::BAD_REQUEST,
    code::BAD_USER_INPUT,
    code::PAGE_SIZE_EXCEEDED,
    code::DOCUMENT_TOO_LARGE,
    code::MAX_DEPTH_EXCEEDED,
    code::WORK_BUDGET_EXCEEDED,
    code::INTROSPECTION_DISABLED,
    code::UNAUTHENTICATED,
    code::FORBIDDEN,
    code::CONFLICT,
    code::INTERNAL_SERVER_ERROR,
    code::TOO_MANY_ALIASES,
    code::TOO_MANY_ROOT_FIELDS,
    code::TOO_MANY_DIRECTIVES,
    code::COMPLEXITY_EXCEEDED,
    code::BATCH_TOO_LARGE,
    code::TIMEOUT,
    code::SERVICE_UNAVAILABLE,
    code::SERVER_BUSY,
    code::RATE_LIMITED,
    code::PERSISTED_QUERY_NOT_FOUND,
    "OTHER",
];

/// The codes that mean a limit refused the request, counted by [`Metrics::rejected`].
const LIMITS: &[&str] = &[
    code::DOCUMENT_TOO_LARGE,
    code::PAGE_SIZE_EXCEEDED,
    code::MAX_DEPTH_EXCEEDED,
    code::WORK_BUDGET_EXCEEDED,
    code::INTROSPECTION_DISABLED,
    code::TOO_MANY_ALIASES,
    code::TOO_MANY_ROOT_FIELDS,
    code::TOO_MANY_DIRECTIVES,
    code::COMPLEXITY_EXCEEDED,
    code::BATCH_TOO_LARGE,
    code::TIMEOUT,
    code::SERVICE_UNAVAILABLE,
    code::SERVER_BUSY,
    code::RATE_LIMITED,
];

/// The HTTP statuses of requests refused before they were read as GraphQL.
const REFUSALS: &[u16] = &[400, 405, 406, 413, 415, 429, 503, 504];

/// The upper bounds of the latency buckets, in microseconds (1 ms to 10 s).
const BUCKETS_US: &[u64] = &[
    1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000,
    5_000_000, 10_000_000,
];

/// At most this many operation names get a label of their own; later ones count as
/// `other`, so a client sending random names cannot grow the metrics without bound.
pub(crate) const MAX_OPERATIONS: usize = 100;

/// The label of a request without an operation name.
const ANONYMOUS: &str = "";
/// The label of operation names past [`MAX_OPERATIONS`].
const OTHER_OPERATIONS: &str = "other";
/// The label of a batch of operations, counted as one request.
pub(crate) const BATCH: &str = "(batch)";

/// One row of counters: an operation's requests by outcome.
type Row = [AtomicU64; OUTCOMES.len()];

/// The counters. Shared by every worker.
pub(crate) struct Metrics {
    /// Operation names with their row in `rows`; rows 0, 1 and 2 are the anonymous
    /// operations, the others and batches.
    names: RwLock<HashMap<Box<str>, usize>>,
    rows: Box<[Row]>,
    rejected: [AtomicU64; LIMITS.len()],
    refused: [AtomicU64; REFUSALS.len()],
    buckets: [AtomicU64; BUCKETS_US.len()],
    latency_count: AtomicU64,
    latency_sum_us: AtomicU64,
    in_flight: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            names: RwLock::new(HashMap::new()),
            rows: (0..MAX_OPERATIONS + 3)
                .map(|_| std::array::from_fn(|_| AtomicU64::new(0)))
                .collect(),
            rejected: std::array::from_fn(|_| AtomicU64::new(0)),
            refused: std::array::from_fn(|_| AtomicU64::new(0)),
            buckets: std::array::from_fn(|_| AtomicU64::new(0)),
            latency_count: AtomicU64::new(0),
            latency_sum_us: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
        }
    }
}

/// The graph's figures, read when the metrics are.
pub(crate) struct GraphFigures {
    pub entities: usize,
    pub relations: usize,
    pub version: u64,
    pub ready: bool,
    /// A replica's: the last batch the shared store held when last read.
    pub store_version: Option<u64>,
}

impl Metrics {
    /// Counts a GraphQL request of `operation` (`None`: anonymous) with its outcome
    /// (`None`: answered without errors; else the code of its first error) and how long
    /// it took. A code that is a limit's is counted as a rejection too.
    pub(crate) fn request(&self, operation: Option<&str>, outcome: Option<&str>, micros: u64) {
        let row = self.row(operation);
        let at = outcome.map_or(0, |code| {
            OUTCOMES
                .iter()
                .position(|o| *o == code)
                .unwrap_or(OUTCOMES.len() - 1)
        });
        self.rows[row][at].fetch_add(1, Ordering::Relaxed);
        if let Some(code) = outcome {
            self.rejected(code);
        }
        if let Some(b) = BUCKETS_US.iter().position(|&le| micros <= le) {
            self.buckets[b].fetch_add(1, Ordering::Relaxed);
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_us.fetch_add(micros, Ordering::Relaxed);
    }

    /// Counts a request a limit refused, by its code (`MAX_DEPTH_EXCEEDED`, …); codes that
    /// are not a limit's are not counted.
    pub(crate) fn rejected(&self, code: &str) {
        if let Some(i) = LIMITS.iter().position(|l| *l == code) {
            self.rejected[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts a request refused at the HTTP level, by its status (413, 415, 406, 405,
    /// 400, 429, 503); other statuses are not counted.
    pub(crate) fn refused(&self, status: u16) {
        if let Some(i) = REFUSALS.iter().position(|s| *s == status) {
            self.refused[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// How many requests are being served.
    pub(crate) fn in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// A request has begun; it counts as in flight until the guard is dropped.
    pub(crate) fn begin(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self)
    }

    /// The row of an operation name, giving it one while there are rows left.
    fn row(&self, operation: Option<&str>) -> usize {
        let Some(name) = operation.filter(|n| !n.is_empty()) else {
            return 0;
        };
        if name == BATCH {
            return 2;
        }
        // A poisoned lock only means a panic elsewhere while it was held; the map is
        // still whole (inserts are single calls).
        let names = self.names.read().unwrap_or_else(|p| p.into_inner());
        if let Some(&row) = names.get(name) {
            return row;
        }
        let full = names.len() >= MAX_OPERATIONS;
        drop(names);
        if full {
            return 1;
        }
        let mut names = self.names.write().unwrap_or_else(|p| p.into_inner());
        let next = names.len() + 3;
        match names.len() < MAX_OPERATIONS {
            true => *names.entry(name.into()).or_insert(next),
            false => names.get(name).copied().unwrap_or(1),
        }
    }

    /// The metrics in Prometheus's text format.
    pub(crate) fn render(&self, graph: &GraphFigures) -> String {
        let mut out = String::with_capacity(4096);
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        out.push_str(
            "# HELP pledgegraph_graphql_requests_total GraphQL requests by operation name and outcome (ok, or the code of the first error).\n\
             # TYPE pledgegraph_graphql_requests_total counter\n",
        );
        let mut rows: Vec<(String, usize)> = vec![
            (ANONYMOUS.to_string(), 0),
            (OTHER_OPERATIONS.to_string(), 1),
            (BATCH.to_string(), 2),
        ];
        {
            let names = self.names.read().unwrap_or_else(|p| p.into_inner());
            rows.extend(names.iter().map(|(n, &r)| (n.to_string(), r)));
        }
        rows.sort();
        for (name, row) in &rows {
            for (i, outcome) in OUTCOMES.iter().enumerate() {
                let n = load(&self.rows[*row][i]);
                if n > 0 {
                    let _ = writeln!(
                        out,
                        "pledgegraph_graphql_requests_total{{operation=\"{}\",outcome=\"{outcome}\"}} {n}",
                        escape(name)
                    );
                }
            }
        }
        out.push_str(
            "# HELP pledgegraph_graphql_request_duration_seconds How long GraphQL requests took, to their answer's head.\n\
             # TYPE pledgegraph_graphql_request_duration_seconds histogram\n",
        );
        let mut cumulative = 0;
        for (i, le) in BUCKETS_US.iter().enumerate() {
            cumulative += load(&self.buckets[i]);
            let _ = writeln!(
                out,
                "pledgegraph_graphql_request_duration_seconds_bucket{{le=\"{}\"}} {cumulative}",
                seconds(*le)
            );
        }
        let count = load(&self.latency_count);
        let _ = writeln!(
            out,
            "pledgegraph_graphql_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n\
             pledgegraph_graphql_request_duration_seconds_sum {}\n\
             pledgegraph_graphql_request_duration_seconds_count {count}",
            seconds(load(&self.latency_sum_us))
        );
        out.push_str(
            "# HELP pledgegraph_rejected_total Requests a limit refused, by the error code.\n\
             # TYPE pledgegraph_rejected_total counter\n",
        );
        for (i, code) in LIMITS.iter().enumerate() {
            let _ = writeln!(
                out,
                "pledgegraph_rejected_total{{code=\"{code}\"}} {}",
                load(&self.rejected[i])
            );
        }
        out.push_str(
            "# HELP pledgegraph_http_refused_total Requests to /graphql refused before they were read as GraphQL, by HTTP status.\n\
             # TYPE pledgegraph_http_refused_total counter\n",
        );
        for (i, status) in REFUSALS.iter().enumerate() {
            let _ = writeln!(
                out,
                "pledgegraph_http_refused_total{{status=\"{status}\"}} {}",
                load(&self.refused[i])
            );
        }
        let _ = write!(
            out,
            "# HELP pledgegraph_http_requests_in_flight HTTP requests being served, this one included.\n\
             # TYPE pledgegraph_http_requests_in_flight gauge\n\
             pledgegraph_http_requests_in_flight {}\n\
             # HELP pledgegraph_graph_entities Entities in the graph's latest version.\n\
             # TYPE pledgegraph_graph_entities gauge\n\
             pledgegraph_graph_entities {}\n\
             # HELP pledgegraph_graph_relations Relations in the graph's latest version.\n\
             # TYPE pledgegraph_graph_relations gauge\n\
             pledgegraph_graph_relations {}\n\
             # HELP pledgegraph_graph_version The graph's latest version (the number of write batches applied).\n\
             # TYPE pledgegraph_graph_version gauge\n\
             pledgegraph_graph_version {}\n\
             # HELP pledgegraph_ready Whether the server takes requests (as /readyz).\n\
             # TYPE pledgegraph_ready gauge\n\
             pledgegraph_ready {}\n",
            load(&self.in_flight),
            graph.entities,
            graph.relations,
            graph.version,
            u8::from(graph.ready),
        );
        if let Some(store) = graph.store_version {
            let _ = write!(
                out,
                "# HELP pledgegraph_store_version The last batch the shared store held when this replica last read it.\n\
                 # TYPE pledgegraph_store_version gauge\n\
                 pledgegraph_store_version {store}\n\
                 # HELP pledgegraph_replica_lag_batches Batches the shared store held that this replica had not applied, when it last read it.\n\
                 # TYPE pledgegraph_replica_lag_batches gauge\n\
                 pledgegraph_replica_lag_batches {}\n",
                store.saturating_sub(graph.version),
            );
        }
        out
    }
}

/// A request in flight; dropping it (the answer is ready, or the client went away) ends it.
pub(crate) struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Microseconds as decimal seconds (`2500` is `0.0025`), without floating point.
fn seconds(micros: u64) -> String {
    let (whole, frac) = (micros / 1_000_000, micros % 1_000_000);
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:06}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// A label value as the text format needs it: backslash, quote and newline escaped.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> GraphFigures {
        GraphFigures {
            entities: 3,
            relations: 2,
            version: 7,
            store_version: Some(9),
            ready: true,
        }
    }

    #[test]
    fn requests_are_counted_by_operation_outcome_and_latency() {
        let m = Metrics::default();
        m.request(Some("Q"), None, 1_500);
        m.request(Some("Q"), None, 20_000_000);
        m.request(None, Some(code::MAX_DEPTH_EXCEEDED), 10);
        m.request(Some("Q"), Some("SOMETHING_NEW"), 10);
        m.refused(415);
        let text = m.render(&figures());
        assert!(
            text.contains("pledgegraph_graphql_requests_total{operation=\"Q\",outcome=\"ok\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("{operation=\"\",outcome=\"MAX_DEPTH_EXCEEDED\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("{operation=\"Q\",outcome=\"OTHER\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("pledgegraph_rejected_total{code=\"MAX_DEPTH_EXCEEDED\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("pledgegraph_http_refused_total{status=\"415\"} 1"),
            "{text}"
        );
        assert!(text.contains("_bucket{le=\"0.001\"} 2"), "{text}");
        assert!(text.contains("_bucket{le=\"0.0025\"} 3"), "{text}");
        assert!(text.contains("_bucket{le=\"10\"} 3"), "{text}");
        assert!(text.contains("_bucket{le=\"+Inf\"} 4"), "{text}");
        assert!(text.contains("_sum 20.00152\n"), "{text}");
        assert!(text.contains("pledgegraph_graph_version 7"), "{text}");
        assert!(text.contains("pledgegraph_store_version 9"), "{text}");
        assert!(text.contains("pledgegraph_replica_lag_batches 2"), "{text}");
        let flight = m.begin();
        assert!(
            m.render(&figures())
                .contains("pledgegraph_http_requests_in_flight 1\n")
        );
        drop(flight);
        assert!(
            m.render(&figures())
                .contains("pledgegraph_http_requests_in_flight 0\n")
        );
    }

    #[test]
    fn operation_names_are_capped_and_escaped() {
        let m = Metrics::default();
        for i in 0..MAX_OPERATIONS + 50 {
            m.request(Some(&format!("Op{i}")), None, 1);
        }
        m.request(Some("a\"b\\c\nd"), None, 1);
        let text = m.render(&figures());
        let labelled = text
            .lines()
            .filter(|l| l.starts_with("pledgegraph_graphql_requests_total{"))
            .count();
        assert_eq!(labelled, MAX_OPERATIONS + 1, "{text}");
        assert!(
            text.contains("{operation=\"other\",outcome=\"ok\"} 51"),
            "{text}"
        );
        assert!(!text.contains("a\"b"), "{text}");
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
