//! The cost of one write through the whole write path (check by applying to the spare
//! copy, commit to the SQLite change log with `synchronous=FULL`, publish), at 10,000 and
//! 1,000,000 entities, beside a bare commit of the same batch to an empty log measured in
//! the same run: the ratio shows what the graph adds to the disk's sync.
//!
//! Beside them, reads timed on the graph as it was loaded and again once the writes
//! have made the second copy: the two copies share their large indexes, and a copy
//! keeps what its writes changed in a layer of its own that each read also consults.
//!
//! `cargo bench --bench write`; `PLEDGEGRAPH_BENCH_SIZES=10000` picks the sizes. Each
//! size runs in a process of its own, so its memory figures are its own. Under
//! `cargo test` (no `--bench`) it runs once, small, to show that it still works.

mod common;

use std::time::Instant;

use pledgegraph::app::{App, Config, Write};
use pledgegraph::graph::{Direction, KnowledgeGraph, Only};
use pledgegraph::model::{
    Change, ChangeBatch, EntityId, NodeData, NodeKind, Relation, RelationDetails, RelationKind,
    SourceRef,
};
use pledgegraph::store::{Log, NewEntry};

const CHILD: &str = "PLEDGEGRAPH_BENCH_WRITE_CHILD";

/// Writes timed at each size: many under `cargo bench`, a few under `cargo test`.
fn writes() -> usize {
    match std::env::args().any(|a| a == "--bench") {
        true => 200,
        false => 10,
    }
}

fn main() {
    if let Ok(size) = std::env::var(CHILD) {
        child(size.parse().unwrap_or_else(|e| panic!("{e}")));
        return;
    }
    let full = std::env::args().any(|a| a == "--bench");
    let sizes = std::env::var("PLEDGEGRAPH_BENCH_SIZES").unwrap_or_else(|_| {
        match full {
            true => "10000,1000000",
            false => "1000",
        }
        .into()
    });
    println!(
        "| entities | first write (ms) | write p50 (µs) | write p90 (µs) | bare commit p50 (µs) | write / bare commit | resident after load (MiB) | resident after writes (MiB) | after 10 relations joining the 20 largest hubs (MiB) | lookup by id before / after writes (µs) | search before / after writes (µs) |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for size in sizes.split(',').filter(|s| !s.trim().is_empty()) {
        let size: usize = size.trim().parse().unwrap_or_else(|e| panic!("{e}"));
        common::graph_dir(size);
        let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
        let out = std::process::Command::new(exe)
            .args(full.then_some("--bench"))
            .env(CHILD, size.to_string())
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
}

fn rename(id: &EntityId, source: &EntityId, i: usize) -> Change {
    Change::UpdateEntity {
        id: id.clone(),
        name: Some(format!("Renamed {i}")),
        aliases: None,
        description: None,
        sources: vec![SourceRef {
            source: source.clone(),
            line: Some(1),
            attribution: None,
            note: None,
        }],
    }
}

/// The median time of a lookup by id over `ids` and of a search for each of `names`, in
/// µs, over five rounds.
fn reads(g: &KnowledgeGraph, ids: &[EntityId], names: &[String]) -> (f64, f64) {
    let bounds = Config::default().bounds();
    let mut lookups = Vec::new();
    let mut searches = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        for id in ids {
            std::hint::black_box(g.get(id));
        }
        lookups.push(start.elapsed().as_secs_f64() * 1e6 / ids.len() as f64);
        let start = Instant::now();
        for name in names {
            std::hint::black_box(g.search(name, Only::All, 10, &bounds));
        }
        searches.push(start.elapsed().as_secs_f64() * 1e6 / names.len() as f64);
    }
    (
        percentile(&mut lookups, 0.5),
        percentile(&mut searches, 0.5),
    )
}

/// A relation between two countries, keyed so that it is new whatever they already have.
fn ally(a: &EntityId, b: &EntityId, source: &EntityId, i: usize) -> Change {
    Change::AddRelation {
        relation: Relation::new(
            RelationKind::AllyOf,
            a.clone(),
            b.clone(),
            vec![SourceRef {
                source: source.clone(),
                line: Some(1),
                attribution: None,
                note: None,
            }]
            .into(),
        )
        .with_details(RelationDetails {
            key: Some(format!("bench-{i}").into()),
            ..RelationDetails::default()
        }),
    }
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((samples.len() - 1) as f64 * p) as usize]
}

fn child(size: usize) {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bare = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut config = Config::default();
    config.seed = common::graph_dir(size);
    config.data_dir = Some(data.path().to_path_buf());
    let (before, _) = common::memory();
    let app = App::load(config).unwrap_or_else(|e| panic!("{e}"));
    let (loaded, _) = common::memory();
    let g = app.graph();
    let ids: Vec<EntityId> = g
        .nodes_of_kind(NodeKind::Country)
        .map(|n| n.id.clone())
        .take(1000)
        .collect();
    let source = g
        .nodes_of_kind(NodeKind::Source)
        .find_map(|n| match &n.data {
            NodeData::Source(s) if s.kind == pledgegraph::model::SourceKind::Document => {
                Some(n.id.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no document"));
    // Ids and names from all over the graph, not only the countries the writes rename.
    let step = (g.node_count() / 1000).max(1);
    let sample: Vec<EntityId> = NodeKind::ALL
        .iter()
        .flat_map(|k| g.nodes_of_kind(*k))
        .step_by(step)
        .map(|n| n.id.clone())
        .collect();
    let names: Vec<String> = sample
        .iter()
        .step_by(10)
        .filter_map(|id| g.get(id).map(|n| n.name.clone()))
        .collect();
    let before_writes = reads(&g, &sample, &names);
    // The countries with the most relations: a write that joins two of them changes the
    // two longest lists of relations there are.
    let mut by_degree: Vec<(usize, EntityId)> = g
        .nodes_of_kind(NodeKind::Country)
        .map(|n| {
            (
                g.neighbors(&n.id, Only::All, Direction::Both).len(),
                n.id.clone(),
            )
        })
        .collect();
    by_degree.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let hubs: Vec<EntityId> = by_degree.into_iter().take(20).map(|(_, id)| id).collect();
    drop(g);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let write = |i: usize| Write {
        actor: "bench".into(),
        reason: "bench".into(),
        idempotency_key: None,
        expected: Vec::new(),
        changes: vec![rename(&ids[i % ids.len()], &source, i)],
    };
    let (first, mut writes, mut commits) = runtime.block_on(async {
        // The first write copies the graph for the spare: timed apart.
        let start = Instant::now();
        app.write(write(0)).await.unwrap_or_else(|e| panic!("{e}"));
        let first = start.elapsed().as_secs_f64() * 1e3;
        let n = writes();
        let mut writes = Vec::with_capacity(n);
        for i in 1..=n {
            let start = Instant::now();
            app.write(write(i)).await.unwrap_or_else(|e| panic!("{e}"));
            writes.push(start.elapsed().as_secs_f64() * 1e6);
        }
        let mut log = Log::open_dir(bare.path())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut commits = Vec::with_capacity(n);
        for i in 0..n {
            let entry = NewEntry {
                actor: "bench".into(),
                reason: "bench".into(),
                idempotency_key: None,
                batch: ChangeBatch::new(vec![rename(&ids[i % ids.len()], &source, i)]),
            };
            let start = Instant::now();
            log.append(&entry).await.unwrap_or_else(|e| panic!("{e}"));
            commits.push(start.elapsed().as_secs_f64() * 1e6);
        }
        (first, writes, commits)
    });
    let (after, _) = common::memory();
    runtime.block_on(async {
        for (i, pair) in hubs.chunks_exact(2).enumerate() {
            let change = ally(&pair[0], &pair[1], &source, i);
            let w = Write {
                changes: vec![change],
                ..write(0)
            };
            app.write(w).await.unwrap_or_else(|e| panic!("{e}"));
        }
    });
    let (joined, _) = common::memory();
    let after_writes = reads(&app.graph(), &sample, &names);
    let mib = |b: f64| (b - before) / 1048576.0;
    let (p50, p90) = (percentile(&mut writes, 0.5), percentile(&mut writes, 0.9));
    let bare = percentile(&mut commits, 0.5);
    println!(
        "| {size} | {first:.1} | {p50:.0} | {p90:.0} | {bare:.0} | {:.2} | {:.0} | {:.0} | {:.0} | {:.2} / {:.2} | {:.1} / {:.1} |",
        p50 / bare,
        mib(loaded),
        mib(after),
        mib(joined),
        before_writes.0,
        after_writes.0,
        before_writes.1,
        after_writes.1,
    );
}
