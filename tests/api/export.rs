//! Export and backup: the seed with a data directory's edits written as a JSON Lines seed
//! that checks and loads to an equal graph, and a backup taken while the log is open that
//! restores the same graph.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use pledgegraph::app::{App, Config, Write};
use pledgegraph::graph::{Edge, KnowledgeGraph};
use pledgegraph::model::{Change, Node, NodeKind};
use serde_json::{Value, json};

use crate::helpers;

fn config(seed: &Path, data: Option<&Path>) -> Config {
    let mut config = Config::default();
    config.seed = seed.to_path_buf();
    config.data_dir = data.map(Path::to_path_buf);
    config
}

fn cite(line: u32) -> Value {
    json!([{ "source": "source:trade-talks-2025-07", "line": line }])
}

/// Commits one batch of changes, given in their stored JSON form, through the app.
fn write(app: &App, reason: &str, changes: Vec<Value>) -> u64 {
    let changes: Vec<Change> = changes
        .into_iter()
        .map(|c| serde_json::from_value(c).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let committed = runtime
        .block_on(app.write(Write {
            actor: "ana".into(),
            reason: reason.into(),
            idempotency_key: None,
            expected: Vec::new(),
            changes,
        }))
        .unwrap_or_else(|e| panic!("{reason}: {e}"));
    committed.entry.seq
}

/// A person created in a batch.
fn person(id: &str, name: &str) -> Value {
    json!({ "op": "create_entity", "entity": {
        "id": id, "name": name, "description": "A person made up for a test.",
        "sources": cite(3), "data": { "person": {} } } })
}

/// The edits a curator might make: a rename, a revised amount that supersedes the final
/// one, a deprecated claim, a new entity with a new relation, a retracted relation, a
/// retracted entity and a merged duplicate. Answers the graph version they make.
fn curate(app: &App) -> u64 {
    write(
        app,
        "the name the source uses",
        vec![
            json!({ "op": "update_entity", "id": "country:jp", "name": "Nippon",
                     "aliases": ["Japan", "Tokyo"], "sources": cite(1) }),
        ],
    );
    write(
        app,
        "a revised figure",
        vec![
            json!({ "op": "supersede_claim", "id": "commitment:jp-us-investment-2025",
                "supersedes": "final-550",
                "claim": { "field": "amount", "claim": {
                    "key": "revised-600",
                    "value": { "money": { "amount": "600000000000.5", "currency": "USD" } },
                    "rank": "preferred", "sources": cite(20),
                    "caveat": "A figure made up for a test." } } }),
            json!({ "op": "deprecate_claim", "id": "commitment:jp-us-investment-2025",
                "field": "amount", "key": "offered-550", "reason": "a test",
                "sources": cite(8) }),
        ],
    );
    write(
        app,
        "a new envoy",
        vec![
            person("person:test-envoy", "Test Envoy"),
            json!({ "op": "add_relation", "relation": {
                "kind": "attended", "from": "person:test-envoy",
                "to": "event:us-jp-2plus2-talks-2025-07-22", "sources": cite(19),
                "note": "Made up for a test." } }),
        ],
    );
    write(
        app,
        "not in the source",
        vec![
            json!({ "op": "retract_relation", "id": "country:kr|rival-of|country:jp",
                "reason": "a test", "sources": cite(7) }),
        ],
    );
    write(
        app,
        "a mistake and a duplicate",
        vec![
            person("person:nobody", "Nobody"),
            person("person:lutnick-dup", "H. Lutnick"),
            json!({ "op": "add_relation", "relation": {
                "kind": "attended", "from": "person:lutnick-dup",
                "to": "event:trump-panel-post-2025-07-22", "sources": cite(19) } }),
        ],
    );
    write(
        app,
        "cleaning up",
        vec![
            json!({ "op": "retract_entity", "id": "person:nobody", "reason": "a test",
                "sources": cite(3) }),
            json!({ "op": "merge_entity", "duplicate": "person:lutnick-dup",
                "survivor": "person:howard-lutnick", "sources": cite(3) }),
        ],
    )
}

/// Every live node and every relation (implied ones too), by id.
fn contents(g: &KnowledgeGraph) -> (BTreeMap<String, Node>, BTreeMap<String, Edge>) {
    let nodes = NodeKind::ALL
        .iter()
        .flat_map(|k| g.nodes_of_kind(*k))
        .map(|n| (n.id.to_string(), n.clone()))
        .collect();
    let edges = g.edges().map(|e| (e.id(), e.clone())).collect();
    (nodes, edges)
}

fn run(args: &[&str], paths: &[(&str, &Path)]) -> Output {
    let mut cmd = helpers::pledgegraph();
    cmd.args(args);
    for (flag, path) in paths {
        cmd.arg(flag).arg(path);
    }
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run pledgegraph: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `pledgegraph query` on a seed (and data directory): the answer's `data`.
fn answer(query: &str, seed: &Path, data: Option<&Path>) -> Value {
    let mut paths = vec![("--seed", seed)];
    paths.extend(data.map(|d| ("--data-dir", d)));
    let out = run(&["query", query], &paths);
    assert!(
        out.status.success(),
        "{query}: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["data"].clone()
}

/// Questions whose answers an export must keep.
const QUESTIONS: &[&str] = &[
    r#"{ country(code: "JP") { id name aliases description } }"#,
    r#"{ commitments(filter: { beneficiary: { eq: "country:us" } },
                     orderBy: [{ field: AMOUNT, direction: DESC }], first: 5) {
         totalCount
         edges { node { id pledger { name }
           amount { value { display money { amount currency } } sources { line } }
           amountHistory { value { display } madeBy { name } validFrom { display } } } } } }"#,
    r#"{ pledgeTotals(groupBy: [BENEFICIARY], filter: { beneficiary: { eq: "country:us" } }) {
         period total { display } count } }"#,
    r#"{ paths(from: "org:boeing", to: "country:kr", maxLength: 3, limit: 5) {
         length nodes { label } edges { kind label } } }"#,
    r#"{ search(text: "Lutnick", first: 3) { entity { id } matched } }"#,
    r#"{ entity(id: "person:test-envoy") { id name relations(first: 10) { totalCount } } }"#,
];

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect()
}

#[test]
fn an_export_of_the_seed_and_its_edits_checks_and_loads_to_the_same_graph() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, data) = (helpers::seed_dir(), dir.path().join("data"));
    let app = App::load(config(&seed, Some(&data))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(curate(&app), 6);
    drop(app);

    let out = dir.path().join("export");
    let exported = run(
        &["export"],
        &[("--seed", &seed), ("--data-dir", &data), ("--out", &out)],
    );
    let stdout = text(&exported.stdout);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    assert!(stdout.contains("(graph version 6)"), "{stdout}");
    assert!(
        stdout.contains(
            "1 retracted entities, 1 merged duplicates (their names are aliases of the survivors; their ids no longer resolve), 2 withdrawn relations"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("no source document's text is known: none written"),
        "{stdout}"
    );
    assert_eq!(
        files(&out).into_keys().collect::<Vec<_>>(),
        ["entities.jsonl", "relations.jsonl"],
        "nothing else, and no part file left"
    );

    let checked = run(&["check"], &[("--seed", &out)]);
    assert!(
        checked.status.success(),
        "{}{}",
        text(&checked.stdout),
        text(&checked.stderr)
    );

    let replayed = App::load(config(&seed, Some(&data))).unwrap_or_else(|e| panic!("{e}"));
    let loaded = App::load(config(&out, None)).unwrap_or_else(|e| panic!("{e}"));
    let (replayed, loaded) = (replayed.graph(), loaded.graph());
    assert_eq!((replayed.version(), loaded.version()), (6, 0));
    let (want_nodes, want_edges) = contents(&replayed);
    let (got_nodes, got_edges) = contents(&loaded);
    assert_eq!(got_nodes.len(), want_nodes.len());
    for (id, node) in &want_nodes {
        assert_eq!(got_nodes.get(id), Some(node), "{id}");
    }
    assert_eq!(got_nodes, want_nodes);
    assert_eq!(got_edges, want_edges, "relation for relation");
    // What the edits did is there, as facts of the seed.
    let investment = &got_nodes["commitment:jp-us-investment-2025"];
    let json = serde_json::to_string(investment).unwrap();
    for kept in [
        r#""key":"revised-600""#,
        r#""supersedes":"final-550""#,
        r#""amount":"600000000000.5""#,
        "A figure made up for a test.",
        r#""rank":"deprecated""#,
    ] {
        assert!(json.contains(kept), "{kept} in {json}");
    }
    assert!(got_nodes.contains_key("person:test-envoy"));
    assert!(!got_nodes.contains_key("person:nobody"));
    assert!(!got_edges.contains_key("country:kr|rival-of|country:jp"));
    // The merged duplicate: its name is the survivor's alias; its id resolves only where
    // the log is kept.
    assert!(
        got_nodes["person:howard-lutnick"]
            .aliases
            .contains(&"H. Lutnick".to_string())
    );
    let dup = helpers::id("person:lutnick-dup");
    assert_eq!(
        replayed.get(&dup).map(|n| n.id.to_string()),
        Some("person:howard-lutnick".into())
    );
    assert!(loaded.get(&dup).is_none());

    for question in QUESTIONS {
        assert_eq!(
            answer(question, &out, None),
            answer(question, &seed, Some(&data)),
            "{question}"
        );
    }

    // The same graph always exports to the same bytes.
    let again = dir.path().join("again");
    pledgegraph::app::export_graph(&replayed, &again).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files(&again), files(&out));

    // An export never writes over files, and leaves them as they were.
    let before = files(&out);
    let refused = run(
        &["export"],
        &[("--seed", &seed), ("--data-dir", &data), ("--out", &out)],
    );
    assert_eq!(refused.status.code(), Some(1));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert_eq!(files(&out), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_export_of_a_data_directory_without_a_log_is_refused_rather_than_made() {
    let dir = tempfile::tempdir().unwrap();
    let (data, out) = (dir.path().join("nothing"), dir.path().join("out"));
    let refused = run(
        &["export"],
        &[
            ("--seed", &helpers::seed_dir()),
            ("--data-dir", &data),
            ("--out", &out),
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("holds no change log"), "{stderr}");
    assert!(!data.exists() && !out.exists());
}

/// A fresh data directory holding a copy of `backup` as its store.
fn restore(backup: &Path, into: PathBuf) -> PathBuf {
    std::fs::create_dir_all(&into).unwrap();
    std::fs::copy(backup, into.join(pledgegraph::app::DB_FILE)).unwrap();
    into
}

#[test]
fn a_backup_taken_while_the_log_is_open_restores_the_same_graph() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, data) = (helpers::seed_dir(), dir.path().join("data"));
    let app = App::load(config(&seed, Some(&data))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(curate(&app), 6);
    let question = r#"{ stats { version } country(code: "JP") { name }
        commitment(id: "commitment:jp-us-investment-2025") { amount { value { display } } } }"#;
    let at_backup = answer(question, &seed, Some(&data));
    assert_eq!(at_backup["stats"]["version"], 6);
    let answers: Vec<Value> = QUESTIONS
        .iter()
        .map(|q| answer(q, &seed, Some(&data)))
        .collect();

    // The app keeps its log open, as a server does, while the backup is taken.
    let file = dir.path().join("backups").join("pledgegraph-6.db");
    let backed_up = run(&["backup"], &[("--data-dir", &data), ("--out", &file)]);
    assert!(backed_up.status.success(), "{}", text(&backed_up.stderr));
    let stdout = text(&backed_up.stdout);
    assert!(stdout.contains("(graph version 6)"), "{stdout}");
    assert!(
        stdout.contains("pledgegraph.db in a fresh data directory"),
        "{stdout}"
    );
    let later = write(
        &app,
        "after the backup",
        vec![
            json!({ "op": "update_entity", "id": "country:jp", "name": "Nihon",
                     "sources": cite(1) }),
        ],
    );
    assert_eq!(later, 7);

    let restored = restore(&file, dir.path().join("restored"));
    assert_eq!(answer(question, &seed, Some(&restored)), at_backup);
    for (question, want) in QUESTIONS.iter().zip(&answers) {
        assert_eq!(
            &answer(question, &seed, Some(&restored)),
            want,
            "{question}"
        );
    }
    // The restored directory takes writes again, numbered on from the backup.
    let again = App::load(config(&seed, Some(&restored))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.graph().version(), 6);
    assert_eq!(again.graph().node("country:jp").unwrap().name, "Nippon");
    let next = write(
        &again,
        "on the restored log",
        vec![
            json!({ "op": "update_entity", "id": "country:jp", "name": "Yamato",
                     "sources": cite(1) }),
        ],
    );
    assert_eq!(next, 7);

    // Never written over.
    let before = std::fs::read(&file).unwrap();
    let refused = run(&["backup"], &[("--data-dir", &data), ("--out", &file)]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains("already exists") && stderr.contains("never writes over"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // A data directory without a store is named, not created.
    let nothing = dir.path().join("nothing");
    let refused = run(
        &["backup"],
        &[
            ("--data-dir", &nothing),
            ("--out", &dir.path().join("x.db")),
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("holds no change log"));
    assert!(!nothing.exists());
}

#[test]
fn an_export_goes_into_a_new_or_empty_directory_only() {
    use pledgegraph::app::{ExportError, export_graph};
    let dir = tempfile::tempdir().unwrap();
    let graph = helpers::graph_owned();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let exported = export_graph(&graph, &empty).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(exported.written.entities as usize, graph.node_count());
    assert!(exported.left_out.is_empty() && exported.version == 0);
    let nested = dir.path().join("a").join("b");
    export_graph(&graph, &nested).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files(&nested), files(&empty));

    let file = dir.path().join("file");
    std::fs::write(&file, b"kept").unwrap();
    let err = export_graph(&graph, &file).unwrap_err();
    assert!(matches!(err, ExportError::NotADirectory { .. }), "{err}");
    let err = export_graph(&graph, &empty).unwrap_err();
    assert!(matches!(err, ExportError::NotEmpty { .. }), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"kept");
}

/// Lines of a JSON Lines file, without those `drop` picks.
fn filter_lines(path: &Path, drop: impl Fn(&str) -> bool) {
    let text = std::fs::read_to_string(path).unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !drop(l)).collect();
    assert!(
        kept.len() < text.lines().count(),
        "nothing was dropped from {}",
        path.display()
    );
    std::fs::write(path, kept.join("\n") + "\n").unwrap();
}

#[test]
fn a_log_rebased_on_a_seed_that_took_its_edits_in_keeps_what_is_new_and_reports_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let app = App::load(config(&helpers::seed_dir(), Some(&data))).unwrap();
    write(
        &app,
        "a new person",
        vec![person("person:rebase-x", "Rebase X")],
    );
    write(
        &app,
        "ended",
        vec![
            json!({ "op": "end_relation", "id": "country:us|ally-of|country:kr",
                     "until": { "date": "2025-08-01" }, "sources": cite(3) }),
        ],
    );
    // The curator folds the edits into a new seed, and drops the relation that ended.
    let folded = dir.path().join("folded");
    pledgegraph::app::export(config(&helpers::seed_dir(), Some(&data)), &folded).unwrap();
    filter_lines(&folded.join("relations.jsonl"), |l| {
        l.contains("\"country:us\"") && l.contains("ally-of") && l.contains("\"country:kr\"")
    });
    // A later edit, made after the export.
    write(
        &app,
        "a second person",
        vec![person("person:rebase-y", "Rebase Y")],
    );
    drop(app);

    let refused = App::load(config(&folded, Some(&data)))
        .map(|_| ())
        .unwrap_err();
    assert!(refused.to_string().contains("--rebase"), "{refused}");
    let (app, report) = App::load_rebasing(config(&folded, Some(&data))).unwrap();
    let report = report.expect("the log was written on another seed");
    assert_eq!(report.batches, 3);
    assert_eq!(report.contained, vec![(1, 0, "create_entity")]);
    assert_eq!(report.refused.len(), 1, "{report:?}");
    assert_eq!(report.refused[0].0, 2);
    assert!(
        report.refused[0]
            .3
            .contains("country:us|ally-of|country:kr"),
        "{report:?}"
    );
    assert_eq!(report.kept, 1);
    assert!(report.previous.is_file(), "the log as it was is kept");
    let g = app.graph();
    assert_eq!(g.version(), 3, "every batch keeps its number");
    assert!(g.node("person:rebase-x").is_some() && g.node("person:rebase-y").is_some());
    drop(g);
    drop(app);
    // The rebased log now belongs to the new seed: a plain start replays it.
    let again = App::load(config(&folded, Some(&data))).unwrap();
    assert_eq!(again.graph().version(), 3);
    assert!(again.graph().node("person:rebase-y").is_some());
    let history = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(again.history(0, 10))
        .unwrap();
    let reasons: Vec<&str> = history.iter().map(|e| e.reason.as_str()).collect();
    assert_eq!(reasons, ["a new person", "ended", "a second person"]);
    assert!(history[0].batch.changes.is_empty() && history[1].batch.changes.is_empty());
}
