//! A graph that changes: the seed's own changes build the graph the seed describes, they
//! survive their stored form, and a request reads one version from start to end while a
//! writer applies a batch beside it.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::thread;

use pledgegraph::app::{App, Config};
use pledgegraph::graph::{Edge, KnowledgeGraph};
use pledgegraph::model::{Change, ChangeBatch, Node, NodeKind, SourceRef};
use serde_json::json;

use crate::helpers::{graph_owned, id, seed_dir, spawn_app};

fn seed() -> pledgegraph::seed::Seed {
    pledgegraph::seed::load_dir(&seed_dir()).unwrap_or_else(|e| panic!("{e}"))
}

fn nodes(g: &KnowledgeGraph) -> BTreeMap<String, Node> {
    NodeKind::ALL
        .iter()
        .flat_map(|k| g.nodes_of_kind(*k))
        .map(|n| (n.id.to_string(), n.clone()))
        .collect()
}

fn edges(g: &KnowledgeGraph) -> BTreeMap<String, Edge> {
    g.edges().map(|e| (e.id(), e.clone())).collect()
}

#[test]
fn the_seeds_changes_build_the_graph_the_seed_describes() {
    let described = {
        let seed = seed();
        KnowledgeGraph::build(seed.nodes, seed.relations).unwrap_or_else(|e| panic!("{e}"))
    };
    let changes = seed().into_changes();
    let creates = changes
        .iter()
        .filter(|c| matches!(c, Change::CreateEntity { .. }))
        .count();
    assert_eq!(creates, described.node_count());
    let built = KnowledgeGraph::from_seed(changes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(built.version(), 0, "the seed is version 0");
    assert_eq!(nodes(&built), nodes(&described), "node for node");
    assert_eq!(edges(&built), edges(&described), "relation for relation");
    assert_eq!(built.summary(), described.summary());
    assert!(built.node_count() > 60 && built.edge_count() > 150);
}

#[test]
fn the_seeds_changes_survive_their_stored_form() {
    let batch = ChangeBatch::new(seed().into_changes());
    let json = batch.to_json();
    assert!(json.starts_with(r#"{"format":1,"#), "{}", &json[..40]);
    assert!(
        json.contains(r#""amount":"550000000000""#),
        "money is an exact string"
    );
    let read = ChangeBatch::from_json(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read, batch);
    let g = KnowledgeGraph::from_seed(read.changes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(nodes(&g), nodes(&graph_owned()));
    let future = json.replacen(r#""format":1"#, r#""format":2"#, 1);
    let err = ChangeBatch::from_json(&future).map(|_| ()).unwrap_err();
    assert!(err.to_string().contains("format 2 is not known"), "{err}");
}

fn cite() -> Vec<SourceRef> {
    vec![SourceRef {
        source: id("source:trade-talks-2025-07"),
        line: Some(1),
        attribution: None,
        note: None,
    }]
}

/// Three changes a reader must see all of or none of.
fn batch() -> Vec<Change> {
    let mut first = graph_owned()
        .node("country:jp")
        .cloned()
        .unwrap_or_else(|| panic!("Japan"));
    first.id = id("country:zz");
    first.name = "Zembla".into();
    first.aliases = vec!["Zemblan Republic".into()];
    if let pledgegraph::model::NodeData::Country(c) = &mut first.data {
        c.code = Some("ZZ".into());
    }
    let mut second = first.clone();
    second.id = id("country:zy");
    second.name = "Zyrania".into();
    second.aliases.clear();
    if let pledgegraph::model::NodeData::Country(c) = &mut second.data {
        c.code = Some("ZY".into());
    }
    vec![
        Change::CreateEntity { entity: first },
        Change::CreateEntity { entity: second },
        Change::UpdateEntity {
            id: id("country:kr"),
            name: Some("Korea, Republic of".into()),
            aliases: None,
            description: None,
            sources: cite(),
        },
    ]
}

const PROBE: &str = r#"{ stats { version entities }
  zz: search(text: "Zembla") { entity { id } }
  zy: search(text: "Zyrania") { entity { id } }
  kr: node(id: "country:kr") { ... on Country { name } } }"#;

/// What a reader saw: (version, entities, Zembla found, Zyrania found, Korea's name).
fn probe(server: &crate::helpers::TestServer) -> (u64, u64, bool, bool, String) {
    let d = server.data(PROBE);
    let hit = |k: &str| {
        d[k].as_array()
            .is_some_and(|a| a.iter().any(|h| h["entity"]["id"].is_string()))
    };
    (
        d["stats"]["version"].as_u64().unwrap_or(u64::MAX),
        d["stats"]["entities"].as_u64().unwrap_or(0),
        hit("zz"),
        hit("zy"),
        d["kr"]["name"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn readers_answer_from_the_last_version_while_a_writer_is_held_mid_batch() {
    let app = App::with_graph(Config::default(), std::sync::Arc::new(graph_owned()));
    let server = spawn_app(app.clone());
    let before = probe(&server);
    let n = before.1;
    assert_eq!(before, (0, n, false, false, "South Korea".into()));

    let (held_tx, held_rx) = mpsc::channel::<()>();
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let writer = {
        let app = app.clone();
        thread::spawn(move || {
            app.store().apply_observed(batch(), &mut |i| {
                if i == 1 {
                    // Two of three changes are in place: hold here until told to go on.
                    let _ = held_tx.send(());
                    let _ = go_rx.recv();
                }
            })
        })
    };
    held_rx
        .recv()
        .unwrap_or_else(|e| panic!("the writer never got there: {e}"));
    for _ in 0..5 {
        assert_eq!(probe(&server), before, "a held batch is not seen at all");
    }
    // Readers racing the batch's publication see the whole of it or none of it.
    let racer = {
        let base = server.base.clone();
        thread::spawn(move || {
            let server = crate::helpers::TestServer { base };
            (0..40).map(|_| probe(&server)).collect::<Vec<_>>()
        })
    };
    go_tx.send(()).unwrap_or_else(|e| panic!("{e}"));
    let version = writer
        .join()
        .unwrap_or_else(|_| panic!("the writer panicked"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(version, 1);
    let after = (1, n + 2, true, true, "Korea, Republic of".to_string());
    for seen in racer.join().unwrap_or_else(|_| panic!("a reader panicked")) {
        assert!(seen == before || seen == after, "half a batch: {seen:?}");
    }
    assert_eq!(probe(&server), after);
}

#[test]
fn a_refused_batch_changes_nothing_a_reader_sees() {
    let app = App::with_graph(Config::default(), std::sync::Arc::new(graph_owned()));
    let server = spawn_app(app.clone());
    let before = server.data(PROBE);
    let mut changes = batch();
    changes.push(Change::RetractEntity {
        id: id("country:nowhere"),
        reason: "no such country".into(),
        sources: cite(),
    });
    let err = app.store().apply(changes).map(|_| ()).unwrap_err();
    assert_eq!(err.index, 3);
    assert!(
        err.to_string()
            .contains("change 4 of the batch (retract_entity)"),
        "{err}"
    );
    assert_eq!(server.data(PROBE), before);
    assert_eq!(before["stats"]["version"], json!(0));
}

/// The ids of the countries `filter` passes, as a reader sees them.
fn countries(server: &crate::helpers::TestServer, filter: &str) -> Vec<String> {
    let query =
        format!(r#"{{ countries(filter: {filter}, first: 100) {{ totalCount nodes {{ id }} }} }}"#);
    let d = server.data(&query);
    let ids: Vec<String> = d["countries"]["nodes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(d["countries"]["totalCount"], json!(ids.len()), "{d}");
    ids
}

#[test]
fn a_contains_filter_reads_the_names_and_aliases_each_batch_leaves() {
    let app = App::with_graph(Config::default(), std::sync::Arc::new(graph_owned()));
    let server = spawn_app(app.clone());
    let ids = |field: &str, needle: &str| {
        countries(
            &server,
            &format!(r#"{{ {field}: {{ contains: "{needle}" }} }}"#),
        )
    };
    // The same filter inside a double `not`, which no index answers: the kind read whole.
    let scanned = |field: &str, needle: &str| {
        let inner = format!(r#"{{ {field}: {{ contains: "{needle}" }} }}"#);
        countries(&server, &format!("{{ not: {{ not: {inner} }} }}"))
    };
    assert_eq!(ids("name", "SOUTH kor"), ["country:kr"]);
    assert_eq!(ids("name", "emb"), Vec::<String>::new());
    app.store().apply(batch()).unwrap_or_else(|e| panic!("{e}"));
    // The new names and aliases are found, the name Korea had is not.
    assert_eq!(ids("name", "emb"), ["country:zz"]);
    assert_eq!(ids("name", "korea, REP"), ["country:kr"]);
    assert_eq!(ids("name", "south kor"), Vec::<String>::new());
    assert_eq!(ids("text", "emblan rep"), ["country:zz"]);
    // A second batch renames what the first made: only the last names count.
    app.store()
        .apply(vec![Change::UpdateEntity {
            id: id("country:zz"),
            name: Some("Ostrava".into()),
            aliases: Some(Vec::new()),
            description: None,
            sources: cite(),
        }])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids("name", "emb"), Vec::<String>::new());
    assert_eq!(ids("text", "zemblan"), Vec::<String>::new());
    assert_eq!(ids("name", "STRAV"), ["country:zz"]);
    // Whatever the needle, the index finds what the read of every country finds.
    for (field, needle) in [
        ("name", "a"),
        ("name", "an"),
        ("text", "ko"),
        ("text", "s"),
        ("name", "ra"),
    ] {
        let found = ids(field, needle);
        assert!(!found.is_empty(), "{field} {needle}");
        assert_eq!(found, scanned(field, needle), "{field} {needle}");
    }
}
