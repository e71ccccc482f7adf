//! JSON Lines seeds: the real seed written as JSON Lines loads to the same graph, a
//! directory may mix TOML and JSON Lines, and every bad line gets its error with file,
//! line, entry and field, all of them listed in one load.

use crate::helpers;

use std::path::{Path, PathBuf};

use pledgegraph::graph::KnowledgeGraph;
use pledgegraph::seed::{Record, SeedError, SeedErrorKind, load_dir, write_dir};

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pledgegraph-jsonl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// The valid TOML fixture's records, written as JSON Lines into a fresh directory.
fn valid_as_jsonl(name: &str) -> PathBuf {
    let seed =
        load_dir(&helpers::root().join("tests/fixtures/valid")).unwrap_or_else(|e| panic!("{e}"));
    let dir = scratch(name);
    let records = seed
        .nodes
        .into_iter()
        .map(Record::Entity)
        .chain(seed.relations.into_iter().map(Record::Relation));
    write_dir(&dir, records.map(Ok::<_, std::io::Error>)).unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// Appends lines to a file of `dir`, creating it.
fn append(dir: &Path, file: &str, lines: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(file))
        .unwrap_or_else(|e| panic!("{e}"));
    f.write_all(lines.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The number of lines `dir/file` has.
fn lines_in(dir: &Path, file: &str) -> usize {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_default()
        .lines()
        .count()
}

fn errors(dir: &Path) -> Vec<SeedError> {
    match load_dir(dir) {
        Ok(seed) => panic!(
            "{} should not load: {} nodes",
            dir.display(),
            seed.nodes.len()
        ),
        Err(e) => e.0,
    }
}

/// A valid entity line: a country citing the fixture's document.
fn country(id: &str, extra: &str) -> String {
    format!(
        r#"{{"entity":{{"id":"country:{id}","name":"Country {id}","description":"A country.","sources":[{{"source":"source:doc","line":1}}],"data":{{"country":{{"code":null{extra}}}}}}}}}"#
    )
}

#[test]
fn the_real_seed_as_json_lines_makes_the_same_graph() {
    let seed = load_dir(&helpers::seed_dir()).unwrap_or_else(|e| panic!("{e}"));
    let dir = scratch("real");
    let records: Vec<Record> = seed
        .nodes
        .iter()
        .cloned()
        .map(Record::Entity)
        .chain(seed.relations.iter().cloned().map(Record::Relation))
        .collect();
    let written = write_dir(&dir, records.into_iter().map(Ok::<_, std::io::Error>))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(written.entities as usize, seed.nodes.len());
    assert_eq!(written.relations as usize, seed.relations.len());
    assert!(
        !dir.join(".entities.jsonl.part").exists(),
        "no part file is left behind"
    );

    let again = load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        again.nodes, seed.nodes,
        "every entity reads back exactly, decimals included"
    );
    assert_eq!(again.relations, seed.relations);
    let line = again.locations[&helpers::id("country:jp")].line;
    assert!(line > 0 && line <= seed.nodes.len());

    let a = KnowledgeGraph::from_seed(seed.into_changes()).unwrap_or_else(|e| panic!("{e}"));
    let b = KnowledgeGraph::from_seed(again.into_changes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.summary(), b.summary());
    assert_eq!(a.edge_count(), b.edge_count());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn toml_and_json_lines_files_load_together() {
    let dir = scratch("mixed");
    std::fs::copy(
        helpers::root().join("tests/fixtures/valid/seed.toml"),
        dir.join("seed.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // A JSON Lines entity citing the TOML file's document, and a relation joining both.
    append(&dir, "more.jsonl", &format!("{}\n\n", country("kr", "")));
    append(
        &dir,
        "more.jsonl",
        r#"{"relation":{"kind":"rival-of","from":"country:kr","to":"country:jp","sources":[{"source":"source:doc","line":2}]}}"#,
    );
    let seed = load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(seed.nodes.len(), 5);
    assert_eq!(seed.relations.len(), 2);
    let kr = &seed.locations[&helpers::id("country:kr")];
    assert_eq!(
        (kr.file.file_name().and_then(|f| f.to_str()), kr.line),
        (Some("more.jsonl"), 1)
    );
    KnowledgeGraph::from_seed(seed.into_changes()).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn each_bad_line_is_named_by_file_line_entry_and_field() {
    let dir = valid_as_jsonl("bad");
    let base = lines_in(&dir, "entities.jsonl");
    let bad = [
        // base + 1: not JSON at all
        "{\"entity\": {\"id\": ".to_string(),
        // base + 2: a float where a decimal string belongs
        r#"{"entity":{"id":"commitment:x","name":"X","description":"d","sources":[{"source":"source:doc","line":1}],"data":{"commitment":{"kind":"investment","pledger":"country:jp","amount":[{"key":"a","value":{"money":{"amount":1.5,"currency":"USD"}},"sources":[{"source":"source:doc","line":1}]}]}}}}"#.to_string(),
        // base + 3: a field the kind does not have
        country("nf", r#","colour":"red""#),
        // base + 4: a reference to no entity
        r#"{"entity":{"id":"org:ghost","name":"Ghost","description":"d","sources":[{"source":"source:doc","line":1}],"data":{"organization":{"kind":"company","country":"country:atlantis"}}}}"#.to_string(),
        // base + 5: the id of the fixture's Japan again
        country("jp", ""),
        // base + 6: a document cited without a line
        r#"{"entity":{"id":"country:nl","name":"N","description":"d","sources":[{"source":"source:doc"}],"data":{"country":{"code":null}}}}"#.to_string(),
        // base + 7: an unknown record
        r#"{"entry":{}}"#.to_string(),
    ];
    append(&dir, "entities.jsonl", &(bad.join("\n") + "\n"));
    // A relation between kinds that cannot hold it, and one with no source.
    append(
        &dir,
        "relations.jsonl",
        "{\"relation\":{\"kind\":\"pledged\",\"from\":\"country:jp\",\"to\":\"country:us\",\"sources\":[{\"source\":\"source:doc\",\"line\":1}]}}\n\
         {\"relation\":{\"kind\":\"rival-of\",\"from\":\"country:jp\",\"to\":\"country:us\"}}\n",
    );
    let rel_base = lines_in(&dir, "relations.jsonl") - 2;
    let errs = errors(&dir);
    let at = |file: &str, line: usize| -> &SeedError {
        errs.iter()
            .find(|e| e.file.ends_with(file) && e.line == line)
            .unwrap_or_else(|| panic!("no error at {file}:{line} in {errs:#?}"))
    };
    let e = at("entities.jsonl", base + 1);
    assert!(
        matches!(&e.kind, SeedErrorKind::Json(m) if m.contains("EOF")),
        "{e}"
    );

    let e = at("entities.jsonl", base + 2);
    assert_eq!(e.entry.as_deref(), Some("commitment:x"), "{e}");
    assert_eq!(
        e.field.as_deref(),
        Some("data.commitment.amount[0].value.money.amount"),
        "{e}"
    );

    let e = at("entities.jsonl", base + 3);
    assert_eq!(e.field.as_deref(), Some("data.country.colour"), "{e}");
    assert!(e.to_string().contains("unknown field `colour`"), "{e}");

    let e = at("entities.jsonl", base + 4);
    assert_eq!(e.entry.as_deref(), Some("org:ghost"));
    assert_eq!(e.field.as_deref(), Some("data.organization.country"), "{e}");
    assert_eq!(
        e.kind,
        SeedErrorKind::DanglingReference("country:atlantis".into())
    );

    let e = at("entities.jsonl", base + 5);
    assert!(
        matches!(&e.kind, SeedErrorKind::DuplicateId { first, .. } if first.ends_with("entities.jsonl:2")),
        "{e}"
    );

    let e = at("entities.jsonl", base + 6);
    assert!(
        matches!(&e.kind, SeedErrorKind::BadCitation(m) if m.contains("cite a line")),
        "{e}"
    );
    assert_eq!(e.field.as_deref(), Some("sources[0].source"), "{e}");

    let e = at("entities.jsonl", base + 7);
    assert!(e.to_string().contains("unknown variant `entry`"), "{e}");

    let e = at("relations.jsonl", rel_base + 1);
    assert_eq!(e.field.as_deref(), Some("kind"), "{e}");
    let e = at("relations.jsonl", rel_base + 2);
    assert_eq!(e.kind, SeedErrorKind::MissingSource, "{e}");

    assert_eq!(errs.len(), 9, "each bad line once: {errs:#?}");
    let lines: Vec<(&Path, usize)> = errs.iter().map(|e| (e.file.as_path(), e.line)).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "listed in file and line order");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_truncated_or_binary_file_is_an_error_not_a_panic() {
    let dir = valid_as_jsonl("truncated");
    let text = std::fs::read(dir.join("entities.jsonl")).unwrap_or_default();
    // Cut the last record in half, as an interrupted copy would.
    std::fs::write(dir.join("entities.jsonl"), &text[..text.len() - 40])
        .unwrap_or_else(|e| panic!("{e}"));
    let errs = errors(&dir);
    let last = lines_in(&dir, "entities.jsonl");
    assert!(
        errs.iter()
            .any(|e| e.line == last && matches!(e.kind, SeedErrorKind::Json(_))),
        "{errs:#?}"
    );

    let dir2 = scratch("binary");
    std::fs::write(
        dir2.join("x.jsonl"),
        b"\xff\xfe\x00garbage\n{}\n[1,2]\n\"s\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let errs = errors(&dir2);
    assert_eq!(
        errs.iter().map(|e| e.line).collect::<Vec<_>>(),
        vec![1, 2, 3, 4],
        "{errs:#?}"
    );

    // A record whose name is not UTF-8: its line and field, as for any other bad value.
    let dir3 = valid_as_jsonl("not-utf8");
    let base = lines_in(&dir3, "entities.jsonl");
    let good = country("xx", "");
    let (before, after) = good.split_once("Country xx").unwrap_or_default();
    let line = [
        before.as_bytes(),
        b"Country \xff\xfe",
        after.as_bytes(),
        b"\n",
    ]
    .concat();
    let mut text = std::fs::read(dir3.join("entities.jsonl")).unwrap_or_default();
    text.extend(line);
    std::fs::write(dir3.join("entities.jsonl"), text).unwrap_or_else(|e| panic!("{e}"));
    let errs = errors(&dir3);
    assert!(
        errs.iter().any(|e| e.line == base + 1
            && e.field.as_deref() == Some("name")
            && matches!(&e.kind, SeedErrorKind::Json(m) if m.contains("unicode"))),
        "{errs:#?}"
    );
    for dir in [dir, dir2, dir3] {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_date_range_out_of_order_is_refused_as_in_toml() {
    let dir = valid_as_jsonl("dates");
    append(
        &dir,
        "relations.jsonl",
        "{\"relation\":{\"kind\":\"rival-of\",\"from\":\"country:jp\",\"to\":\"country:us\",\"valid_from\":{\"not_before\":{\"date\":\"2025-08-01\",\"reason\":\"a\"},\"not_after\":{\"date\":\"2025-07-31\",\"reason\":\"b\"}},\"sources\":[{\"source\":\"source:doc\",\"line\":1}]}}\n\
         {\"relation\":{\"kind\":\"ally-of\",\"from\":\"country:jp\",\"to\":\"country:us\",\"valid_until\":{\"inferred\":true},\"sources\":[{\"source\":\"source:doc\",\"line\":1}]}}\n",
    );
    let last = lines_in(&dir, "relations.jsonl");
    let errs = errors(&dir);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert_eq!(
        (errs[0].line, errs[0].field.as_deref()),
        (last - 1, Some("valid_from"))
    );
    assert!(
        errs[0]
            .to_string()
            .contains("not_before 2025-08-01 is after not_after 2025-07-31"),
        "{}",
        errs[0]
    );
    assert_eq!(
        (errs[1].line, errs[1].field.as_deref()),
        (last, Some("valid_until"))
    );
    assert!(
        errs[1].to_string().contains("a date needs `date`"),
        "{}",
        errs[1]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A write whose records stop on an error renames nothing into place: the complete seed
/// already there stays as it was, and no part file is left behind.
#[test]
fn a_write_that_fails_midway_leaves_the_seed_there_as_it_was() {
    let dir = valid_as_jsonl("fails-midway");
    let before = std::fs::read(dir.join("entities.jsonl")).unwrap_or_else(|e| panic!("{e}"));
    let seed = load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let records = seed
        .nodes
        .into_iter()
        .take(3)
        .map(|n| Ok(Record::Entity(n)))
        .chain([Err(std::io::Error::other("the generator stopped"))]);
    let err = write_dir(&dir, records).expect_err("the write fails");
    assert_eq!(err.to_string(), "the generator stopped");
    let after = std::fs::read(dir.join("entities.jsonl")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(after, before, "the seed already there is untouched");
    for part in [".entities.jsonl.part", ".relations.jsonl.part"] {
        assert!(!dir.join(part).exists(), "{part} is removed");
    }
    assert!(load_dir(&dir).is_ok(), "the directory still loads");
    let _ = std::fs::remove_dir_all(&dir);
}
