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
    assert!(text(&bad.stdout).contains("BAD_USER_INPUT"));
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
        server.log.contains("loaded 65 entities") || server.log.contains("entities and"),
        "{}",
        server.log
    );
    let health: serde_json::Value = ureq::get(&format!("{}/healthz", server.base))
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
    assert!(
        text(&out.stderr).starts_with("5 error(s) in the seed:"),
        "{}",
        text(&out.stderr)
    );
}
