//! A data directory: created on first start, its change log applied to the seed's graph
//! at every start, and refused, with what to do, when it belongs to another seed or
//! cannot be read.

use std::path::{Path, PathBuf};
use std::process::Output;

use pledgegraph::model::{Change, ChangeBatch, SourceRef};
use pledgegraph::store::{DB_FILE, Log, NewEntry};

use crate::helpers;

/// A fresh directory under the system's temporary one.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pledgegraph-data-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `pledgegraph query` on `seed` with data directory `data`.
fn query(seed: &Path, data: &Path, query: &str) -> Output {
    helpers::pledgegraph()
        .args(["query", query, "--seed"])
        .arg(seed)
        .arg("--data-dir")
        .arg(data)
        .output()
        .unwrap_or_else(|e| panic!("cannot run pledgegraph: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The version and Japan's name, as the graph answers them.
fn version_and_name(seed: &Path, data: &Path) -> (i64, String) {
    let out = query(
        seed,
        data,
        r#"{ stats { version } country(code: "JP") { name } }"#,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        json["data"]["stats"]["version"].as_i64().unwrap_or(-1),
        json["data"]["country"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

fn rename(name: &str) -> NewEntry {
    NewEntry {
        actor: "ana".into(),
        reason: "the name the source uses".into(),
        idempotency_key: None,
        batch: ChangeBatch::new(vec![Change::UpdateEntity {
            id: "country:jp".parse().unwrap(),
            name: Some(name.into()),
            aliases: None,
            description: None,
            sources: vec![SourceRef {
                source: "source:trade-talks-2025-07".parse().unwrap(),
                line: Some(1),
                attribution: None,
                note: None,
            }],
        }]),
    }
}

fn append(data: &Path, entries: &[NewEntry]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut log = Log::open_dir(data).await.unwrap();
        for entry in entries {
            log.append(entry).await.unwrap();
        }
        log.close().await.unwrap();
    });
}

#[test]
fn the_log_is_applied_to_the_seed_at_every_start() {
    let (seed, data) = (helpers::seed_dir(), scratch("replay"));
    let (version, name) = version_and_name(&seed, &data);
    assert_eq!((version, name.as_str()), (0, "Japan"));
    assert!(data.join(DB_FILE).is_file(), "created on first start");
    append(&data, &[rename("Nippon"), rename("Nihon")]);
    let (version, name) = version_and_name(&seed, &data);
    assert_eq!((version, name.as_str()), (2, "Nihon"));
    // Started again, the same: nothing is applied twice.
    assert_eq!(version_and_name(&seed, &data), (2, "Nihon".to_string()));
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn a_data_directory_of_another_seed_is_refused_with_what_to_do() {
    let data = scratch("other-seed");
    let (seed, edited) = (helpers::seed_dir(), scratch("edited-seed"));
    assert_eq!(version_and_name(&seed, &data).0, 0);
    std::fs::create_dir_all(&edited).unwrap();
    for entry in std::fs::read_dir(&seed).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "toml") {
            std::fs::copy(&path, edited.join(path.file_name().unwrap())).unwrap();
        }
    }
    let countries = edited.join("countries.toml");
    let mut toml = std::fs::read_to_string(&countries).unwrap();
    toml.push_str("\n# edited\n");
    std::fs::write(&countries, toml).unwrap();
    let out = query(&edited, &data, "{ stats { version } }");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("started from another seed") && stderr.contains("data directory"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&data);
    let _ = std::fs::remove_dir_all(&edited);
}

#[test]
fn an_unreadable_store_stops_the_start_and_is_left_alone() {
    let data = scratch("garbage");
    std::fs::create_dir_all(&data).unwrap();
    let bytes = b"not a database, and not to be overwritten";
    std::fs::write(data.join(DB_FILE), bytes).unwrap();
    let out = query(&helpers::seed_dir(), &data, "{ stats { version } }");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot be read as a pledgegraph store") && stderr.contains("backup"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(data.join(DB_FILE)).unwrap(), bytes);
    let _ = std::fs::remove_dir_all(&data);
}
