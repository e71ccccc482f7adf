//! Replicas over one PostgreSQL database (a real one, see `postgres`): a write on one
//! reaches the others in commit order, writes on two at once end in one order on both,
//! an idempotency key applies once whichever replica it is sent to, a replica started
//! late replays the whole log, and one cut off from the database is not ready until it
//! is back in step.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{self, TestServer};
use crate::postgres::{Cluster, cluster};
use crate::subscriptions::{connect, next, subscribe};
use crate::writes::{RENAME, cite};

/// How long a replica may take to show another's write before a test fails: generous,
/// for a loaded machine; how fast it is belongs to the benchmarks.
const PATIENCE: Duration = Duration::from_secs(60);

/// Replicas of one database, each a server of its own, and the editor's token.
struct Replicas {
    cluster: Arc<Cluster>,
    url: String,
    token: String,
    tokens_file: PathBuf,
    _dir: tempfile::TempDir,
}

impl Replicas {
    /// Replicas on a database of the cluster the tests share.
    fn new() -> Self {
        Self::on(cluster())
    }

    /// Replicas on a database of `cluster`.
    fn on(cluster: Arc<Cluster>) -> Self {
        let url = cluster.database();
        let dir = tempfile::tempdir().unwrap();
        let made = pledgegraph::app::new_token("Ana").unwrap();
        let tokens_file = dir.path().join("tokens.toml");
        std::fs::write(&tokens_file, &made.entry).unwrap();
        Replicas {
            cluster,
            url,
            token: made.token,
            tokens_file,
            _dir: dir,
        }
    }

    fn config(&self) -> pledgegraph::app::Config {
        config(&self.url, &self.tokens_file)
    }

    /// A new replica, started now: it replays the log, then follows it.
    fn start(&self) -> TestServer {
        let app = pledgegraph::app::App::load(self.config()).unwrap();
        helpers::spawn_app(app)
    }

    fn rename(&self, on: &TestServer, name: &str, key: Option<&str>) -> Value {
        let vars = json!({ "name": name, "sources": cite(), "key": key });
        let (status, body) = on.post_as(&self.token, RENAME, vars);
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"]["updateEntity"].clone()
    }
}

fn config(url: &str, tokens_file: &Path) -> pledgegraph::app::Config {
    let loaded = pledgegraph::app::Config::load(&pledgegraph::app::Sources {
        flags: vec![
            ("store".into(), url.into()),
            ("seed".into(), helpers::seed_dir().display().to_string()),
            ("tokens_file".into(), tokens_file.display().to_string()),
            ("rate_limit_per_second".into(), "0".into()),
        ],
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    loaded.config
}

/// Runs `cmd` to its end, which must come within [`PATIENCE`]: a server that starts when
/// it should have refused fails the test rather than hanging it.
fn run_to_end(cmd: &mut std::process::Command) -> std::process::Output {
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let start = Instant::now();
    while child.try_wait().ok().flatten().is_none() {
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

fn version(server: &TestServer) -> i64 {
    server.data("{ stats { version } }")["stats"]["version"]
        .as_i64()
        .unwrap_or(-1)
}

/// Waits until `server` is at `want`, failing after [`PATIENCE`].
fn wait_for_version(server: &TestServer, want: i64) {
    let start = Instant::now();
    while version(server) < want {
        assert!(
            start.elapsed() < PATIENCE,
            "{} is still at version {} of {want}",
            server.base,
            version(server)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// What a replica holds of the log and of the graph: every batch with its number, time,
/// author and changes, the graph's size, and every country, commitment and source with
/// its version (the writes here rename a country; the seed has fewer than 100 of each).
fn dump(server: &TestServer) -> Value {
    server.data(
        r#"{
  stats { version entities relations }
  changes(first: 100) { nodes { version committedAt actor reason idempotencyKey
    changes { op entityIds detail } } }
  countries(first: 100) { nodes { id name aliases version description } }
  commitments(first: 100) { totalCount nodes { id name version } }
  sources(first: 100) { nodes { id name version } }
  country(code: "JP") { name version aliases }
}"#,
    )
}

#[test]
fn a_write_on_one_replica_reaches_the_other_in_commit_order() {
    let r = Replicas::new();
    let (a, b) = (r.start(), r.start());
    for (i, name) in ["Nippon", "Nihon", "Japan"].iter().enumerate() {
        let on = if i % 2 == 0 { &a } else { &b };
        let done = r.rename(on, name, None);
        assert_eq!(done["version"], i as i64 + 1);
    }
    wait_for_version(&a, 3);
    wait_for_version(&b, 3);
    assert_eq!(dump(&a), dump(&b));
    assert_eq!(dump(&a)["country"]["name"], "Japan");
    // The same question to the same version has the same ETag on either replica.
    let etag = |server: &TestServer| {
        let path = format!(
            "/graphql?query={}",
            helpers::encode(r#"{ country(code: "JP") { name } }"#)
        );
        let (status, answer) = server.get(&path);
        assert_eq!(status, 200);
        answer.header("ETag").map(str::to_string)
    };
    assert!(etag(&a).is_some());
    assert_eq!(etag(&a), etag(&b));
    // Each says how far the store is and how far behind it was when it last read it.
    let (status, metrics) = b.get("/metrics");
    assert_eq!(status, 200);
    let metrics = metrics.into_string().unwrap_or_default();
    assert!(
        metrics.contains("pledgegraph_store_version 3\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("pledgegraph_replica_lag_batches 0\n"),
        "{metrics}"
    );
}

#[test]
fn a_subscriber_of_one_replica_hears_of_the_writes_on_another() {
    let r = Replicas::new();
    let (a, b) = (r.start(), r.start());
    let mut live = connect(&b.base, json!({}));
    subscribe(
        &mut live,
        "all",
        "subscription { changes(since: 0) { version entities { id name } } }",
    );
    for (i, name) in ["Nippon", "Yamato"].iter().enumerate() {
        r.rename(&a, name, None);
        let pushed = next(&mut live, "all");
        assert_eq!(pushed["changes"]["version"], i as i64 + 1);
        assert_eq!(
            pushed["changes"]["entities"],
            json!([{ "id": "country:jp", "name": name }])
        );
    }
}

#[test]
fn writes_on_two_replicas_at_once_end_in_one_order_on_both() {
    let r = Replicas::new();
    let (a, b) = (r.start(), r.start());
    let each = 12;
    std::thread::scope(|s| {
        for (side, on) in [("a", &a), ("b", &b)] {
            let r = &r;
            s.spawn(move || {
                for i in 0..each {
                    r.rename(on, &format!("Japan {side}{i}"), None);
                }
            });
        }
    });
    let all = 2 * each as i64;
    wait_for_version(&a, all);
    wait_for_version(&b, all);
    let (da, db) = (dump(&a), dump(&b));
    assert_eq!(da, db);
    let versions: Vec<i64> = da["changes"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, (1..=all).collect::<Vec<_>>());
    // Each side's writes kept their own order within the one order.
    for side in ["a", "b"] {
        let names: Vec<String> = da["changes"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|n| n["changes"][0]["detail"].as_str())
            .filter_map(|c| c.split(&format!("Japan {side}")).nth(1))
            .map(|rest| format!("Japan {side}{}", rest.split('"').next().unwrap_or("")))
            .collect();
        let expected: Vec<String> = (0..each).map(|i| format!("Japan {side}{i}")).collect();
        assert_eq!(names, expected);
    }
}

#[test]
fn the_same_idempotency_key_sent_to_two_replicas_applies_once() {
    let r = Replicas::new();
    let (a, b) = (r.start(), r.start());
    let first = r.rename(&a, "Nippon", Some("rename-once"));
    let again = r.rename(&b, "Nippon", Some("rename-once"));
    assert_eq!(first["replayed"], false);
    assert_eq!(again["replayed"], true);
    assert_eq!(first["version"], again["version"]);
    wait_for_version(&a, 1);
    assert_eq!(version(&b), 1);
    assert_eq!(dump(&a), dump(&b));
}

#[test]
fn a_replica_started_late_replays_the_whole_log() {
    let r = Replicas::new();
    let a = r.start();
    for name in ["Nippon", "Nihon", "Japan", "Yamato"] {
        r.rename(&a, name, None);
    }
    let late = r.start();
    assert_eq!(version(&late), 4);
    assert_eq!(dump(&a), dump(&late));
}

#[test]
fn a_replica_cut_off_from_the_database_is_not_ready_until_it_is_back_in_step() {
    // A cluster of its own: the others' tests go on while this one stops it.
    let r = Replicas::on(Cluster::private());
    let (a, b) = (r.start(), r.start());
    r.rename(&a, "Nippon", None);
    wait_for_version(&b, 1);
    assert_eq!(b.get("/readyz").0, 200);
    r.cluster.stop();
    let start = Instant::now();
    while b.get("/readyz").0 == 200 {
        assert!(
            start.elapsed() < PATIENCE,
            "still ready without its database"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Reads go on from the graph it holds.
    assert_eq!(version(&b), 1);
    r.cluster.start_server();
    // A write on the other replica once the database is back reaches it.
    let start = Instant::now();
    loop {
        let vars = json!({ "name": "Nihon", "sources": cite(), "key": "after-restart" });
        let (status, body) = a.post_as(&r.token, RENAME, vars);
        if status == 200 && body.get("errors").is_none() {
            break;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "no write after the restart: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    wait_for_version(&b, 2);
    let start = Instant::now();
    while b.get("/readyz").0 != 200 {
        assert!(start.elapsed() < PATIENCE, "not ready again once in step");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(dump(&a), dump(&b));
}

#[test]
fn migrate_prepares_the_store_and_a_schema_of_a_newer_version_is_refused() {
    let r = Replicas::new();
    let migrate = || {
        helpers::pledgegraph()
            .args(["migrate", "--store", &r.url])
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let out = migrate();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("its change log holds 0 batches"), "{said}");
    let a = r.start();
    r.rename(&a, "Nippon", None);
    let said = String::from_utf8_lossy(&migrate().stdout).into_owned();
    assert!(said.contains("its change log holds 1 batch\n"), "{said}");
    // A migration this version does not know: neither migrate nor serve touches the store.
    r.cluster.sql(
        &r.url,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', true, '\\x00', 0)",
    );
    for command in ["migrate", "serve"] {
        let out = run_to_end(helpers::pledgegraph().args([
            command,
            "--store",
            &r.url,
            "--addr",
            "127.0.0.1:0",
        ]));
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "{command}: {said}");
        assert!(
            said.contains("prepared by a newer version of pledgegraph")
                && said.contains("migration 9999"),
            "{command}: {said}"
        );
    }
}

#[test]
fn a_backup_of_the_shared_store_restores_the_same_graph_in_a_data_directory() {
    let r = Replicas::new();
    let a = r.start();
    for name in ["Nippon", "Nihon"] {
        r.rename(&a, name, Some(name));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("graph.backup");
    let out = helpers::pledgegraph()
        .args(["backup", "--store", &r.url, "--out"])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("graph version 2"), "{said}");
    // Nothing is left beside it, and it is never written over.
    let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(beside.len(), 1);
    let again = helpers::pledgegraph()
        .args(["backup", "--store", &r.url, "--out"])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!again.status.success());
    // Restored as a data directory, it is the same graph with the same history.
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(&file, data.join(pledgegraph::app::DB_FILE)).unwrap();
    let mut config = pledgegraph::app::Config::default();
    config.seed = helpers::seed_dir();
    config.data_dir = Some(data);
    let restored = helpers::spawn_app(pledgegraph::app::App::load(config).unwrap());
    assert_eq!(dump(&restored), dump(&a));
}

#[test]
fn a_wrong_password_is_refused_and_named_without_the_password() {
    let r = Replicas::new();
    let wrong = r.url.replace(crate::postgres::PASSWORD, "not-the-password");
    let out = run_to_end(helpers::pledgegraph().args([
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--store",
        &wrong,
    ]));
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("refused the credentials"), "{said}");
    assert!(said.contains("postgres:REDACTED@127.0.0.1"), "{said}");
    assert!(!said.contains("not-the-password"), "{said}");
}

#[test]
fn export_from_the_shared_store_writes_the_graph_every_replica_holds() {
    let r = Replicas::new();
    let a = r.start();
    r.rename(&a, "Nippon", None);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exported");
    let done = run_to_end(
        helpers::pledgegraph()
            .args(["export", "--store", &r.url, "--out"])
            .arg(&out),
    );
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    // The exported seed loads to a graph with the write in it.
    let exported = helpers::spawn(&out);
    let name =
        |s: &TestServer| s.data(r#"{ country(code: "JP") { name } }"#)["country"]["name"].clone();
    assert_eq!(name(&exported), "Nippon");
    assert_eq!(name(&exported), name(&a));
}

#[test]
fn a_store_url_that_asks_for_tls_gets_it() {
    // This cluster refuses TCP connections without TLS.
    let cluster = Cluster::private_with_tls();
    let url = cluster.database();
    let plain = run_to_end(helpers::pledgegraph().args([
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--store",
        &format!("{url}?sslmode=disable"),
    ]));
    let said = String::from_utf8_lossy(&plain.stderr).into_owned();
    assert!(!plain.status.success(), "{said}");
    assert!(said.contains("the store at"), "{said}");
    let r = Replicas::on(cluster);
    let mut config = r.config();
    config.store = pledgegraph::app::Config::load(&pledgegraph::app::Sources {
        flags: vec![("store".into(), format!("{url}?sslmode=require"))],
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"))
    .config
    .store;
    let a = helpers::spawn_app(pledgegraph::app::App::load(config).unwrap());
    assert_eq!(r.rename(&a, "Nippon", None)["version"], 1);
}
