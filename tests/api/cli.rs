//! The `pledgegraph` binary, run as a process.

use crate::helpers;

use std::process::Output;

fn run(args: &[&str]) -> Output {
    helpers::pledgegraph()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run pledgegraph: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_validates_the_real_seed_and_prints_its_summary() {
    let out = run(&["check"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.starts_with("seed directory seed is valid"),
        "{stdout}"
    );
    for line in [
        "Commitment",
        "TariffMeasure",
        "pledged",
        "in-exchange-for",
        "paragraphs cited",
        "deprecated",
        "caveats:",
    ] {
        assert!(stdout.contains(line), "the summary lacks {line}:\n{stdout}");
    }
}

#[test]
fn check_lists_every_error_and_fails() {
    let out = run(&["check", "--seed", "tests/fixtures/bad/many-errors"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("5 error(s) in the seed:"), "{stderr}");
    for fragment in [
        "field `colour`",
        "duplicate id `country:jp`",
        "unknown EventKind `picnic`",
        "invalid date `2025-13-01`",
        "`person:nobody` is not defined",
    ] {
        assert!(stderr.contains(fragment), "missing {fragment}:\n{stderr}");
    }
    assert!(
        stderr.contains("many-errors/seed.toml:"),
        "errors name their file and line:\n{stderr}"
    );
}

#[test]
fn check_reads_the_seed_directory_from_the_environment() {
    let out = helpers::pledgegraph()
        .arg("check")
        .env("PLEDGEGRAPH_SEED", "tests/fixtures/valid")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("nodes: 4"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["serve", "--help"],
        &["schema", "--help"],
        &["query", "--help"],
        &["config", "--help"],
    ] {
        let out = run(args);
        assert!(out.status.success());
        assert!(
            text(&out.stdout).contains("Usage:"),
            "{}",
            text(&out.stdout)
        );
    }
    let out = run(&["no-such-command"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn schema_prints_the_checked_in_sdl() {
    let out = run(&["schema"]);
    assert!(out.status.success());
    let checked_in =
        std::fs::read_to_string(helpers::root().join("schema.graphql")).unwrap_or_default();
    assert_eq!(text(&out.stdout), checked_in);
}

#[test]
fn query_runs_one_request_without_a_server() {
    let out = run(&[
        "query",
        "query($code: String!) { country(code: $code) { name pledgesMade { totalCount } } }",
        "--variables",
        r#"{"code": "jp"}"#,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(json["data"]["country"]["name"], "Japan");
    assert_eq!(json["data"]["country"]["pledgesMade"]["totalCount"], 6);
    let bad = run(&["query", "{ nope }"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stdout).contains("GRAPHQL_VALIDATION_FAILED"));
    let bad_vars = run(&["query", "{ stats { entities } }", "--variables", "{oops"]);
    assert_ne!(bad_vars.status.code(), Some(0));
    assert!(
        text(&bad_vars.stderr).contains("--variables is not JSON"),
        "{}",
        text(&bad_vars.stderr)
    );
}

#[test]
fn serve_listens_where_it_says_and_answers() {
    let server = helpers::ServeProcess::start(&[], &[]);
    assert!(
        server.log().contains("loaded 65 entities") || server.log().contains("entities and"),
        "{}",
        server.log()
    );
    let health: serde_json::Value = crate::helpers::get(&format!("{}/healthz", server.base))
        .call()
        .ok()
        .and_then(|r| r.into_json().ok())
        .unwrap_or_default();
    assert_eq!(health["status"], "ok");
    assert!(health["entities"].as_u64().unwrap_or(0) > 50);
}

#[test]
fn serve_refuses_a_bad_seed_with_every_error() {
    let out = run(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--seed",
        "tests/fixtures/bad/many-errors",
    ]);
    assert_eq!(out.status.code(), Some(1));
    // The address is bound (and answers 503) while the seed loads; then the errors.
    let stderr = text(&out.stderr);
    let errors = stderr
        .split_once("5 error(s) in the seed:")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(errors.contains("person:nobody"), "{stderr}");
    assert!(!stderr.contains("listening on http://"), "{stderr}");
}

/// A fresh directory under the system's temporary one.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("pledgegraph-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn generate_writes_the_same_graph_twice_which_checks_and_serves() {
    let (a, b) = (scratch("gen-a"), scratch("gen-b"));
    for dir in [&a, &b] {
        let out = run(&[
            "generate",
            "--entities",
            "800",
            "--relations-per-entity",
            "5",
            "--rng-seed",
            "7",
            "--out",
            &dir.to_string_lossy(),
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).starts_with("wrote 800 entities and "),
            "{}",
            text(&out.stdout)
        );
    }
    for file in ["entities.jsonl", "relations.jsonl"] {
        let (x, y) = (std::fs::read(a.join(file)), std::fs::read(b.join(file)));
        assert!(x.as_ref().is_ok_and(|x| !x.is_empty()), "{file} is written");
        assert!(
            x.ok() == y.ok(),
            "{file}: the same options write the same bytes"
        );
    }
    let other = scratch("gen-c");
    let out = run(&[
        "generate",
        "--entities",
        "800",
        "--rng-seed",
        "8",
        "--out",
        &other.to_string_lossy(),
    ]);
    assert!(out.status.success());
    assert_ne!(
        std::fs::read(a.join("entities.jsonl")).ok(),
        std::fs::read(other.join("entities.jsonl")).ok(),
        "another seed writes another graph"
    );

    let out = run(&["check", "--seed", &a.to_string_lossy()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("is valid"));

    let server = helpers::ServeProcess::start(&["--seed", &a.to_string_lossy()], &[]);
    let found = server.query(r#"{ search(text: "Japan", first: 3) { entity { id } } }"#);
    assert!(
        found["data"]["search"][0]["entity"]["id"] == "country:jp",
        "{found}"
    );
    let stats = server.query("{ stats { entities relations } }");
    assert_eq!(stats["data"]["stats"]["entities"], 800, "{stats}");
    drop(server);

    // A bad line is refused with its file and line, by check and by serve alike.
    let mut lines = std::fs::read_to_string(a.join("entities.jsonl")).unwrap_or_default();
    lines.push_str("{\"entity\": {\"id\": \"country:zz\", \"name\": 5}}\n");
    let last = lines.lines().count();
    std::fs::write(b.join("entities.jsonl"), lines).unwrap_or_else(|e| panic!("{e}"));
    for command in ["check", "serve"] {
        let out = run(&[
            command,
            "--addr",
            "127.0.0.1:0",
            "--seed",
            &b.to_string_lossy(),
        ]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "entities.jsonl:{last}: entry `country:zz` field `name`"
            )),
            "{command}: {stderr}"
        );
    }
    for dir in [a, b, other] {
        let _ = std::fs::remove_dir_all(dir);
    }
}
