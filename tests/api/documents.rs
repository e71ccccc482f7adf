//! Source documents' texts: a write that adds a document with its text, citations of its
//! lines and their paragraphs served, a text kept in the change log (a restart, a file
//! deleted from the sources directory, an export), and the seed's own source served from
//! a sources directory. Every text here is made up for the tests.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::helpers::{self, TestServer};

/// A made-up document of three lines.
const NOTES: &str =
    "Made-up notes for a test\nThe second line, which a write cites.\nA third and last line.\n";

/// A server over the real seed with a data directory (its sources directory the default,
/// `DATA/sources`) and one editor.
struct Documents {
    server: TestServer,
    token: String,
    data: PathBuf,
    tokens_file: PathBuf,
    dir: tempfile::TempDir,
}

fn config(data: &Path, tokens_file: &Path) -> pledgegraph::app::Config {
    let mut config = pledgegraph::app::Config::default();
    config.seed = helpers::seed_dir();
    config.data_dir = Some(data.to_path_buf());
    config.tokens_file = Some(tokens_file.to_path_buf());
    config
}

fn start() -> Documents {
    let dir = tempfile::tempdir().unwrap();
    let made = pledgegraph::app::new_token("Ana").unwrap();
    let tokens_file = dir.path().join("tokens.toml");
    std::fs::write(&tokens_file, &made.entry).unwrap();
    let data = dir.path().join("data");
    let app = pledgegraph::app::App::load(config(&data, &tokens_file)).unwrap();
    Documents {
        server: helpers::spawn_app(app),
        token: made.token,
        data,
        tokens_file,
        dir,
    }
}

impl Documents {
    fn write(&self, query: &str, variables: Value) -> Value {
        let (status, body) = self.server.post_as(&self.token, query, variables);
        assert_eq!(status, 200, "{body}");
        body
    }

    fn ok(&self, query: &str, variables: Value) -> Value {
        let body = self.write(query, variables);
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// The code and message of a write that must be refused.
    fn refused(&self, query: &str, variables: Value) -> (String, String) {
        let body = self.write(query, variables);
        let error = &body["errors"][0];
        assert!(error.is_object(), "expected an error: {body}");
        (
            error["extensions"]["code"]
                .as_str()
                .unwrap_or_default()
                .into(),
            error["message"].as_str().unwrap_or_default().into(),
        )
    }

    fn restarted(&self) -> TestServer {
        let app = pledgegraph::app::App::load(config(&self.data, &self.tokens_file)).unwrap();
        helpers::spawn_app(app)
    }
}

fn version(server: &TestServer) -> i64 {
    server.data("{ stats { version } }")["stats"]["version"]
        .as_i64()
        .unwrap()
}

const CREATE: &str = r#"mutation($id: ID!, $file: String, $text: String, $kind: SourceKind!) {
  createEntity(input: { source: { id: $id, name: "Test notes", description: "Notes made up for a test.",
      sources: [{ source: "source:trade-talks-2025-07", line: 3 }],
      kind: $kind, title: "Test notes", file: $file, text: $text } }, reason: "a new document") { version }
}"#;

const CITE: &str = r#"mutation($line: Int!) {
  updateEntity(input: { id: "country:jp", aliases: ["Nippon"],
      sources: [{ source: "source:test-notes", line: $line }] }, reason: "the notes call it so") { version }
}"#;

const READ: &str = r#"{
  country(code: "JP") { sources { line text source { id } } }
  entity(id: "source:test-notes") { ... on Source { file text } }
}"#;

/// The paragraph the JP entity's citation of the test notes serves, and the notes' text.
fn served(server: &TestServer) -> (Value, Value) {
    let data = server.data(READ);
    let cite = data["country"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["source"]["id"] == "source:test-notes")
        .cloned()
        .unwrap_or(Value::Null);
    (cite, data["entity"]["text"].clone())
}

#[test]
fn a_new_document_is_served_by_line_kept_in_the_log_and_exported() {
    let d = start();
    let create = json!({ "id": "source:test-notes", "file": "test-notes.txt", "text": NOTES, "kind": "DOCUMENT" });
    assert_eq!(d.ok(CREATE, create)["createEntity"]["version"], 1);
    let file = d.data.join("sources").join("test-notes.txt");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), NOTES);

    // A line past the end is refused, and nothing is logged.
    let (code, message) = d.refused(CITE, json!({ "line": 4 }));
    assert_eq!(code, "BAD_USER_INPUT", "{message}");
    assert!(message.contains("`input`"), "{message}");
    assert!(
        message.contains("has 3 lines, so it has no line 4"),
        "{message}"
    );
    assert_eq!(version(&d.server), 1);

    assert_eq!(
        d.ok(CITE, json!({ "line": 2 }))["updateEntity"]["version"],
        2
    );
    let (cite, text) = served(&d.server);
    assert_eq!(
        cite,
        json!({ "line": 2, "text": "The second line, which a write cites.", "source": { "id": "source:test-notes" } })
    );
    assert_eq!(text, NOTES);

    // Another text under the same file name is refused; the same text is taken.
    let other = json!({ "id": "source:test-notes-2", "file": "test-notes.txt", "text": "Another text\n", "kind": "DOCUMENT" });
    let (code, message) = d.refused(CREATE, other);
    assert_eq!(code, "BAD_USER_INPUT", "{message}");
    assert!(message.contains("`input.source.text`"), "{message}");
    assert!(
        message.contains("a different text is already kept as `test-notes.txt`"),
        "{message}"
    );
    assert_eq!(version(&d.server), 2);
    let same = json!({ "id": "source:test-notes-2", "file": "test-notes.txt", "text": NOTES, "kind": "DOCUMENT" });
    assert_eq!(d.ok(CREATE, same)["createEntity"]["version"], 3);

    // A restart serves it from the log; a deleted file is written again from it.
    assert_eq!(served(&d.restarted()), (cite.clone(), json!(NOTES)));
    std::fs::remove_file(&file).unwrap();
    assert_eq!(served(&d.restarted()), (cite, json!(NOTES)));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), NOTES);

    // An export carries the text beside the graph.
    let out = d.dir.path().join("export");
    let exported = pledgegraph::app::export(config(&d.data, &d.tokens_file), &out).unwrap();
    assert_eq!(exported.documents, 1);
    assert_eq!(
        std::fs::read_to_string(out.join("sources/test-notes.txt")).unwrap(),
        NOTES
    );
}

#[test]
fn a_text_needs_a_document_with_a_plain_file_name() {
    let d = start();
    let cases = [
        (
            json!({ "id": "source:n1", "file": "../escape.txt", "text": NOTES, "kind": "DOCUMENT" }),
            "`input.source.file`",
        ),
        (
            json!({ "id": "source:n2", "file": "/etc/notes.txt", "kind": "DOCUMENT" }),
            "`input.source.file`",
        ),
        (
            json!({ "id": "source:n3", "text": NOTES, "kind": "DOCUMENT" }),
            "`input.source.text`",
        ),
        (
            json!({ "id": "source:n4", "text": NOTES, "kind": "CURATOR" }),
            "`input.source.text`",
        ),
        (
            json!({ "id": "source:n5", "file": "empty.txt", "text": "", "kind": "DOCUMENT" }),
            "`input.source.text`",
        ),
    ];
    for (variables, field) in cases {
        let (code, message) = d.refused(CREATE, variables.clone());
        assert_eq!(code, "BAD_USER_INPUT", "{variables}: {message}");
        assert!(message.contains(field), "{variables}: {message}");
    }
    assert_eq!(version(&d.server), 0);
    assert!(!d.data.join("sources").join("empty.txt").exists());
}

#[test]
fn the_seeds_source_serves_its_paragraphs_from_the_sources_directory() {
    let dir = tempfile::tempdir().unwrap();
    // A made-up stand-in for the article, as long, one numbered line a paragraph.
    let text: String = (1..=20).map(|n| format!("Made-up line {n}\n")).collect();
    std::fs::write(dir.path().join("trade-talks-2025-07.txt"), &text).unwrap();
    let mut config = pledgegraph::app::Config::default();
    config.seed = helpers::seed_dir();
    config.sources_dir = Some(dir.path().to_path_buf());
    let server = helpers::spawn_app(pledgegraph::app::App::load(config).unwrap());
    let data = server.data(
        r#"{ commitment(id: "commitment:jp-us-investment-2025") { sources { line text } }
             entity(id: "source:trade-talks-2025-07") { ... on Source { text } } }"#,
    );
    let sources = data["commitment"]["sources"].as_array().unwrap();
    assert!(!sources.is_empty());
    for cite in sources {
        let line = cite["line"].as_i64().unwrap();
        assert_eq!(cite["text"], format!("Made-up line {line}"), "{cite}");
    }
    assert_eq!(data["entity"]["text"], text);

    // Without a sources directory the text is unknown: null, not an error.
    let data = helpers::server().data(
        r#"{ commitment(id: "commitment:jp-us-investment-2025") { sources { text } }
             entity(id: "source:trade-talks-2025-07") { ... on Source { text } } }"#,
    );
    assert_eq!(data["entity"]["text"], Value::Null);
    assert_eq!(data["commitment"]["sources"][0]["text"], Value::Null);
}

#[test]
fn a_rebased_log_keeps_its_documents() {
    use pledgegraph::app::{App, Config, Document, Write};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = |seed: &Path| {
        let mut config = Config::default();
        config.seed = seed.to_path_buf();
        config.data_dir = Some(data.clone());
        config
    };
    let app = App::load(config(&helpers::seed_dir())).unwrap();
    let create: pledgegraph::model::Change = serde_json::from_value(json!({
        "op": "create_entity", "entity": { "id": "source:test-notes", "name": "Test notes",
        "description": "Notes made up for a test.",
        "sources": [{ "source": "source:trade-talks-2025-07", "line": 3 }],
        "data": { "source": { "kind": "document", "title": "Test notes", "file": "test-notes.txt" } } } }))
    .unwrap();
    let write = Write {
        actor: "ana".into(),
        reason: "a new document".into(),
        idempotency_key: None,
        expected: Vec::new(),
        changes: vec![create],
    };
    let document = Document {
        file: "test-notes.txt".into(),
        text: NOTES.into(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime
        .block_on(app.write_with(write, vec![document]))
        .unwrap();
    // The curator folds the edit into a new seed; the log is carried over to it.
    let folded = dir.path().join("folded");
    pledgegraph::app::export(config(&helpers::seed_dir()), &folded).unwrap();
    drop(app);
    std::fs::remove_file(data.join("sources/test-notes.txt")).unwrap();
    let (app, report) = App::load_rebasing(config(&folded)).unwrap();
    assert_eq!(
        report.map(|r| r.contained),
        Some(vec![(1, 0, "create_entity")])
    );
    let text = app.documents().get("test-notes.txt").unwrap();
    assert_eq!(text.text(), NOTES);
    assert_eq!(
        std::fs::read_to_string(data.join("sources/test-notes.txt")).unwrap(),
        NOTES
    );
}

#[test]
fn a_retry_of_a_document_is_applied_once_and_its_key_kept_for_its_text() {
    let d = start();
    let create = r#"mutation($text: String!, $key: String) {
      createEntity(input: { source: { id: "source:test-notes", name: "Test notes",
          description: "Notes made up for a test.",
          sources: [{ source: "source:trade-talks-2025-07", line: 3 }],
          kind: DOCUMENT, title: "Test notes", file: "test-notes.txt", text: $text } },
        reason: "a new document", idempotencyKey: $key) { version replayed }
    }"#;
    let first = d.ok(create, json!({ "text": NOTES, "key": "notes-1" }));
    assert_eq!(
        first["createEntity"],
        json!({ "version": 1, "replayed": false })
    );
    let again = d.ok(create, json!({ "text": NOTES, "key": "notes-1" }));
    assert_eq!(
        again["createEntity"],
        json!({ "version": 1, "replayed": true })
    );
    let (code, message) = d.refused(
        create,
        json!({ "text": "Another text\n", "key": "notes-1" }),
    );
    assert_eq!(code, "CONFLICT", "{message}");
    assert_eq!(version(&d.server), 1);
}
