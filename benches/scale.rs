//! How the graph's lookups scale: each indexed question timed on a small and
//! a large synthetic graph, with the ratio large/small (about 1 means the
//! answer does not depend on the graph's size), and against a linear scan of
//! the large graph measured in the same run.
//!
//! It also times one change: applied in place ([`KnowledgeGraph::apply`]) and applied
//! and published as a new version readers can take ([`Store::apply`]), and reports the
//! resident memory per entity and with two versions alive.
//!
//! `cargo bench --bench scale` runs 10,000 vs 1,000,000 entities; under
//! `cargo test` it runs a quick smoke size.

use std::hint::black_box;
use std::time::{Duration, Instant};

use pledgegraph::app::Store;
use pledgegraph::graph::{CommitmentFilter, CommitmentOrder, Direction, KnowledgeGraph, Only};
use pledgegraph::model::{
    Amount, Change, Claim, ClaimSet, Commitment, CommitmentKind, Country, EntityId, Money, Node,
    NodeData, NodeKind, Period, Rank, Source, SourceKind, SourceRef,
};
use rust_decimal::Decimal;

fn id(text: &str) -> EntityId {
    EntityId::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn cite() -> Vec<SourceRef> {
    vec![SourceRef {
        source: id("source:doc"),
        line: Some(1),
        attribution: None,
        note: None,
    }]
}

/// `n` entities: one country per 100, the rest commitments pledged by a country to the
/// next, and the document they all cite.
fn synthetic(n: usize) -> KnowledgeGraph {
    let cite = cite();
    let countries = (n / 100).max(2);
    let mut nodes = Vec::with_capacity(n + 1);
    nodes.push(Node {
        id: id("source:doc"),
        name: "The report".into(),
        aliases: Vec::new(),
        description: String::new(),
        sources: cite.clone(),
        data: NodeData::Source(Box::new(Source {
            kind: SourceKind::Document,
            title: "The report".into(),
            published: None,
            publisher: None,
            file: None,
        })),
    });
    for c in 0..countries {
        nodes.push(Node {
            id: id(&format!("country:c{c}")),
            name: format!("Country {c} Republic"),
            aliases: vec![format!("Capital{c}")],
            description: String::new(),
            sources: cite.clone(),
            data: NodeData::Country(Country::default()),
        });
    }
    let usd = "USD".parse().unwrap_or_else(|e| panic!("{e:?}"));
    for i in 0..n - countries {
        let amount = Money::new(
            Decimal::from(1_000_000 + (i as u64 * 7919) % 1_000_000_000),
            usd,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let claim = Claim {
            key: "a".into(),
            value: Amount::Money(amount),
            announced: None,
            valid_from: None,
            valid_until: None,
            rank: Rank::Normal,
            approximate: false,
            attribution: None,
            made_by: None,
            supersedes: None,
            sources: cite.clone(),
            caveat: None,
            note: None,
        };
        let c = Commitment {
            kind: [CommitmentKind::Investment, CommitmentKind::Purchase][i % 2],
            pledger: id(&format!("country:c{}", i % countries)),
            beneficiaries: vec![id(&format!("country:c{}", (i + 1) % countries))],
            suppliers: Vec::new(),
            item: None,
            deal: None,
            part_of: None,
            in_exchange_for: Vec::new(),
            answers: None,
            period: Period::OneOff,
            amount: ClaimSet::new(vec![claim]),
            baseline: ClaimSet::default(),
            limit: ClaimSet::default(),
            status: ClaimSet::default(),
        };
        nodes.push(Node {
            id: id(&format!("commitment:p{i}")),
            name: format!("Pledge {i} of goods"),
            aliases: Vec::new(),
            description: String::new(),
            sources: cite.clone(),
            data: NodeData::Commitment(Box::new(c)),
        });
    }
    KnowledgeGraph::build(nodes, Vec::new()).unwrap_or_else(|e| panic!("{e}"))
}

/// The mean time of `f` over enough runs to fill about 200 ms, after one
/// warm-up run (the first touch of a freshly built large graph pays its page faults).
fn time(mut f: impl FnMut(usize)) -> Duration {
    f(0);
    let start = Instant::now();
    let mut runs = 0;
    while start.elapsed() < Duration::from_millis(200) {
        f(runs);
        runs += 1;
    }
    start.elapsed() / runs as u32
}

fn questions(g: &KnowledgeGraph, n: usize) -> Vec<(&'static str, Duration)> {
    let countries = (n / 100).max(2);
    let cid = |i: usize| id(&format!("country:c{}", i % countries));
    let bounds = pledgegraph::app::Config::default().bounds();
    let typo = g.search(
        "Cuontry 7 republic",
        Only::These(&[NodeKind::Country]),
        5,
        &bounds,
    );
    assert_eq!(
        typo.first().map(|h| h.node.id.as_str()),
        Some("country:c7"),
        "the typo search must find its country"
    );
    vec![
        (
            "node by id",
            time(|i| {
                black_box(g.node(&format!("commitment:p{}", i % (n - countries))));
            }),
        ),
        (
            "resolve an alias",
            time(|i| {
                black_box(g.resolve(&format!("capital{}", i % countries)));
            }),
        ),
        (
            "search with a typo",
            time(|i| {
                black_box(g.search(
                    &format!("Cuontry {} republic", i % countries),
                    Only::These(&[NodeKind::Country]),
                    5,
                    &bounds,
                ));
            }),
        ),
        (
            "pledges of one country",
            time(|i| {
                let f = CommitmentFilter {
                    pledgers: vec![cid(i)],
                    ..Default::default()
                };
                black_box(g.commitments(&f, CommitmentOrder::AmountDesc));
            }),
        ),
        (
            "neighbours of one country",
            time(|i| {
                black_box(g.neighbors(&cid(i), Only::All, Direction::Both));
            }),
        ),
    ]
}

/// One change: a pledge renamed, differently each run.
fn rename(n: usize, run: usize) -> Vec<Change> {
    let countries = (n / 100).max(2);
    vec![Change::UpdateEntity {
        id: id(&format!("commitment:p{}", run % (n - countries))),
        name: Some(format!("Renamed pledge {run}")),
        aliases: None,
        description: None,
        sources: cite(),
    }]
}

/// The cost of one change applied in place, and applied and published as a version.
/// The store is returned holding both of its copies, as it does after its first write.
fn changes(g: KnowledgeGraph, n: usize) -> (Duration, Duration, Store) {
    let mut g = g;
    let in_place = time(|run| {
        black_box(g.apply(rename(n, run)).unwrap_or_else(|e| panic!("{e}")));
    });
    let store = Store::new(std::sync::Arc::new(g));
    let published = time(|run| {
        black_box(
            store
                .apply(rename(n, run))
                .unwrap_or_else(|e| panic!("{e}")),
        );
    });
    (in_place, published, store)
}

/// The process's resident memory in bytes, where the system reports it.
fn resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (small, large) = if full {
        (10_000, 1_000_000)
    } else {
        (1_000, 5_000)
    };
    let t = Instant::now();
    let gs = synthetic(small);
    let built_small = t.elapsed();
    let small_times = questions(&gs, small);
    let (small_in_place, small_published, store) = changes(gs, small);
    drop(store);
    let rss_before = resident();
    let t = Instant::now();
    let gl = synthetic(large);
    let built_large = t.elapsed();
    let rss_one = resident();
    let large_times = questions(&gl, large);
    let peer = scan_peer(&gl, large);
    let (large_in_place, large_published, store) = changes(gl, large);
    let rss_two = resident();
    black_box(store.snapshot().version());
    println!("build: {small} entities {built_small:.2?}, {large} entities {built_large:.2?}");
    println!(
        "{:<28} {:>12} {:>12} {:>10}",
        "question", small, large, "ratio"
    );
    for ((name, ts), (_, tl)) in small_times.into_iter().zip(large_times) {
        let ratio = tl.as_secs_f64() / ts.as_secs_f64().max(1e-12);
        println!("{name:<28} {ts:>12.2?} {tl:>12.2?} {ratio:>9.2}x");
    }
    for (name, ts, tl) in [
        ("one change, in place", small_in_place, large_in_place),
        ("one change, published", small_published, large_published),
    ] {
        let ratio = tl.as_secs_f64() / ts.as_secs_f64().max(1e-12);
        println!("{name:<28} {ts:>12.2?} {tl:>12.2?} {ratio:>9.2}x");
    }
    if let (Some(before), Some(one), Some(two)) = (rss_before, rss_one, rss_two) {
        let graph = one.saturating_sub(before).max(1);
        let both = two.saturating_sub(before);
        println!(
            "resident memory at {large}: {} bytes per entity; with the store's two copies (after its first write), {:.2}x one copy",
            graph / large as u64,
            both as f64 / graph as f64
        );
    }
    println!("{peer}");
}

/// The peer: answering "pledges of one country" by scanning every node, against the index.
fn scan_peer(gl: &KnowledgeGraph, large: usize) -> String {
    let target = id("country:c1");
    let scan = time(|_| {
        let hits = NodeKind::ALL
            .iter()
            .flat_map(|k| gl.nodes_of_kind(*k))
            .filter(|node| matches!(&node.data, NodeData::Commitment(c) if c.pledger == target))
            .count();
        black_box(hits);
    });
    let indexed = time(|_| {
        let f = CommitmentFilter {
            pledgers: vec![target.clone()],
            ..Default::default()
        };
        black_box(gl.commitments(&f, CommitmentOrder::Id).len());
    });
    let speedup = scan.as_secs_f64() / indexed.as_secs_f64().max(1e-12);
    format!(
        "pledges of one country at {large}: indexed {indexed:.2?}, full scan {scan:.2?}, scan/indexed {speedup:.0}x"
    )
}
