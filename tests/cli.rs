//! The `pledgegraph` binary, run as a process.

mod common;

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pledgegraph"))
        .args(args)
        .current_dir(common::root())
        .env_remove("PLEDGEGRAPH_SEED")
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
    let out = Command::new(env!("CARGO_BIN_EXE_pledgegraph"))
        .arg("check")
        .current_dir(common::root())
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
    for args in [&["--help"][..], &["check", "--help"]] {
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
