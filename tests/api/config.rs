//! The one configuration, end to end: settings from the environment, a file and flags
//! reach the running server and the `limits` field; bad ones stop the start naming the
//! key; `pledgegraph config` says where each value came from; the README documents
//! every setting.

use std::process::Output;

use crate::helpers::{self, ServeProcess};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A configuration file in a fresh temporary directory, removed when dropped.
struct ConfigFile {
    dir: std::path::PathBuf,
    path: std::path::PathBuf,
}

impl ConfigFile {
    fn new(name: &str, text: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "pledgegraph-config-test-{}-{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("pledgegraph.toml");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        ConfigFile { dir, path }
    }

    fn arg(&self) -> &str {
        self.path.to_str().unwrap_or_else(|| panic!("a UTF-8 path"))
    }
}

impl Drop for ConfigFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn serve_fails(args: &[&str], env: &[(&str, &str)]) -> Output {
    helpers::pledgegraph()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run pledgegraph: {e}"))
}

#[test]
fn a_page_size_from_the_environment_caps_every_page_and_is_reported() {
    let server = ServeProcess::start(&[], &[("PLEDGEGRAPH_MAX_PAGE_SIZE", "5")]);
    let limits = server.query("{ limits { maxPageSize defaultPageSize maxQueryDepth } }");
    assert_eq!(limits["data"]["limits"]["maxPageSize"], 5, "{limits}");
    // The default page follows the smaller cap; the rest keep their defaults.
    assert_eq!(limits["data"]["limits"]["defaultPageSize"], 5, "{limits}");
    assert_eq!(limits["data"]["limits"]["maxQueryDepth"], 12, "{limits}");
    for query in [
        "{ countries(first: 6) { totalCount } }",
        "{ countries(last: 6) { totalCount } }",
        r#"{ country(code: "JP") { pledgesMade(first: 6) { totalCount } } }"#,
        r#"{ search(text: "Japan", first: 6) { entity { id } } }"#,
    ] {
        let body = server.query(query);
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "PAGE_SIZE_EXCEEDED",
            "{query}: {body}"
        );
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("at most 5")),
            "{body}"
        );
    }
    let page = server.query("{ commitments { totalCount edges { node { id } } } }");
    assert!(
        page["data"]["commitments"]["totalCount"].as_u64() > Some(5),
        "{page}"
    );
    let edges = page["data"]["commitments"]["edges"]
        .as_array()
        .map(Vec::len);
    assert_eq!(edges, Some(5), "the default page is the cap: {page}");
    let hits = server.query(r#"{ search(text: "trade") { entity { id } } }"#);
    let found = hits["data"]["search"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(99);
    assert!((1..=5).contains(&found), "{hits}");
}

#[test]
fn a_config_file_and_flags_reach_the_server() {
    let file = ConfigFile::new("reach", "max_paths = 7\nmax_neighborhood_depth = 2\n");
    let server = ServeProcess::start(&["--config", file.arg(), "--max-paths", "8"], &[]);
    let limits = server.query("{ limits { maxPaths maxNeighborhoodDepth } }");
    assert_eq!(
        limits["data"]["limits"]["maxPaths"], 8,
        "the flag wins: {limits}"
    );
    assert_eq!(
        limits["data"]["limits"]["maxNeighborhoodDepth"], 2,
        "{limits}"
    );
    let deep = server.query(r#"{ neighborhood(ids: ["country:jp"], depth: 3) { truncated } }"#);
    assert_eq!(
        deep["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{deep}"
    );
}

#[test]
fn an_unknown_key_in_the_file_stops_the_start_and_names_it() {
    let file = ConfigFile::new("unknown", "max_paths = 7\nmax_page_sise = 5\n");
    let out = serve_fails(&["--config", file.arg()], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("unknown setting `max_page_sise`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}:2", file.path.display())),
        "{stderr}"
    );
    assert!(stderr.contains("max_page_size"), "lists the keys: {stderr}");
    let out = serve_fails(&[], &[("PLEDGEGRAPH_MAX_PAGE_SISE", "5")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("PLEDGEGRAPH_MAX_PAGE_SISE"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_zero_or_wrong_value_stops_the_start_and_names_it() {
    let file = ConfigFile::new("zero", "max_query_depth = 0\n");
    // (flags, environment, the key named, where it was set)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str, String);
    let cases: Vec<Case> = vec![
        (
            vec!["--config", file.arg()],
            vec![],
            "max_query_depth",
            format!("{}:1", file.path.display()),
        ),
        (
            vec!["--max-neighborhood-depth", "0"],
            vec![],
            "max_neighborhood_depth",
            "flag --max-neighborhood-depth".into(),
        ),
        (
            vec![],
            vec![("PLEDGEGRAPH_MAX_PAGE_SIZE", "-3")],
            "max_page_size",
            "environment PLEDGEGRAPH_MAX_PAGE_SIZE".into(),
        ),
        (
            vec!["--default-page-size", "50", "--max-page-size", "40"],
            vec![],
            "default_page_size",
            "flag --default-page-size".into(),
        ),
    ];
    for (args, env, key, origin) in cases {
        let out = serve_fails(&args, &env);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?} {env:?}: {stderr}");
        assert!(
            stderr.contains(&format!("bad value for `{key}` ({origin})")),
            "{args:?} {env:?}: {stderr}"
        );
    }
}

#[test]
fn config_prints_every_value_with_its_origin() {
    let file = ConfigFile::new("print", "max_paths = 7\n");
    let out = helpers::pledgegraph()
        .args(["config", "--config", file.arg(), "--max-page-size", "50"])
        .env("PLEDGEGRAPH_SEED", "tests/fixtures/valid")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for line in [
        format!("max_paths = 7  # {}:1", file.path.display()),
        "seed = \"tests/fixtures/valid\"  # environment PLEDGEGRAPH_SEED".into(),
        "max_page_size = 50  # flag --max-page-size".into(),
        "max_query_depth = 12  # default".into(),
        "addr = \"127.0.0.1:8080\"  # default".into(),
    ] {
        assert!(stdout.contains(&line), "missing `{line}`:\n{stdout}");
    }
    for key in pledgegraph::app::KEYS {
        assert!(
            stdout.contains(&format!("\n{} = ", key.name)),
            "{}",
            key.name
        );
    }
    // What it prints is a configuration file that gives the same configuration.
    let again = ConfigFile::new("again", &stdout);
    let out = helpers::pledgegraph()
        .args(["config", "--config", again.arg()])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let reprinted = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(reprinted.contains("max_page_size = 50  # "), "{reprinted}");
    assert!(
        reprinted.contains("seed = \"tests/fixtures/valid\"  # "),
        "{reprinted}"
    );
}

#[test]
fn the_readme_documents_every_setting() {
    let readme = std::fs::read_to_string(helpers::root().join("README.md")).unwrap_or_default();
    let table = pledgegraph::app::markdown_table();
    assert!(
        readme.contains(&table),
        "the README's settings table differs from the code: paste `cargo run -- config --markdown` into it\n{table}"
    );
}

#[test]
fn a_store_url_hides_its_password_and_cannot_come_with_a_data_directory() {
    let url = "postgres://ana:s3cret@db.example:5432/graph";
    let out = helpers::pledgegraph()
        .args(["config", "--store", url])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let printed = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        printed.contains("store = \"postgres://ana:REDACTED@db.example:5432/graph\"  # "),
        "{printed}"
    );
    assert!(!printed.contains("s3cret"), "{printed}");

    let both = serve_fails(&["--store", url, "--data-dir", "data"], &[]);
    let said = text(&both.stderr);
    assert!(
        said.contains("`store`") && said.contains("data_dir"),
        "{said}"
    );
    assert!(!said.contains("s3cret"), "{said}");

    let not_postgres = serve_fails(&["--store", "mysql://db/graph"], &[]);
    assert!(
        text(&not_postgres.stderr).contains("not a PostgreSQL URL"),
        "{}",
        text(&not_postgres.stderr)
    );
}

#[test]
fn an_unreachable_store_stops_the_start_and_names_it() {
    // A free port on loopback: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let url = format!("postgres://ana:s3cret@127.0.0.1:{port}/graph");
    let out = serve_fails(&["--store", &url], &[]);
    let said = text(&out.stderr);
    assert!(
        said.contains(&format!(
            "cannot reach the store at postgres://ana:REDACTED@127.0.0.1:{port}/graph"
        )),
        "{said}"
    );
    assert!(!said.contains("s3cret"), "{said}");
}
