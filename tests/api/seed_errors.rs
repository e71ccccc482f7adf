//! Bad seeds each produce their precise error — file, line, entry, field —
//! and a seed with several errors lists them all. No input panics.

use crate::helpers;

use std::path::{Path, PathBuf};

use pledgegraph::model::ModelError;
use pledgegraph::seed::{SeedError, SeedErrorKind, load_dir, load_files};

fn fixture(name: &str) -> PathBuf {
    helpers::root().join("tests/fixtures").join(name)
}

fn errors_of(name: &str) -> Vec<SeedError> {
    match load_dir(&fixture(name)) {
        Ok(_) => panic!("fixture {name} should not load"),
        Err(e) => e.0,
    }
}

/// The 1-based line of the first line of `dir/seed.toml` containing `marker`.
fn line_of(name: &str, marker: &str) -> usize {
    let text = std::fs::read_to_string(fixture(name).join("seed.toml")).unwrap_or_default();
    text.lines()
        .position(|l| l.contains(marker))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{marker} not in {name}"))
}

fn only(name: &str) -> SeedError {
    let errors = errors_of(name);
    assert_eq!(
        errors.len(),
        1,
        "{name}: expected one error, got {errors:#?}"
    );
    let e = errors.into_iter().next().unwrap_or_else(|| unreachable!());
    assert_eq!(
        e.file.file_name().and_then(|f| f.to_str()),
        Some("seed.toml")
    );
    e
}

fn located(e: &SeedError, line: usize, entry: Option<&str>, field: Option<&str>) {
    assert_eq!(e.line, line, "{e}");
    assert_eq!(e.entry.as_deref(), entry, "{e}");
    assert_eq!(e.field.as_deref(), field, "{e}");
}

#[test]
fn the_valid_fixture_loads_with_its_exact_values() {
    let seed = load_dir(&fixture("valid")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(seed.nodes.len(), 4);
    assert_eq!(seed.relations.len(), 1);
    let pledge = seed
        .nodes
        .iter()
        .find(|n| n.id.as_str() == "commitment:jp-investment")
        .expect("the pledge");
    let pledgegraph::model::NodeData::Commitment(c) = &pledge.data else {
        panic!("not a commitment")
    };
    let current = c.amount.current().expect("an amount");
    assert_eq!(current.value.to_string(), "USD 550.00000000001 billion");
    assert_eq!(
        current
            .value
            .money()
            .map(|m| m.amount.to_string())
            .as_deref(),
        Some("550000000000.01")
    );
    assert_eq!(
        current.sources[0].attribution.as_deref(),
        Some("according to a test")
    );
    assert!(current.valid_from.as_deref().is_some_and(|w| w.inferred));
}

#[test]
fn an_unknown_field_is_named_with_the_fields_allowed() {
    let e = only("bad/unknown-field");
    located(
        &e,
        line_of("bad/unknown-field", "colour"),
        Some("country:us"),
        Some("colour"),
    );
    match &e.kind {
        SeedErrorKind::UnknownField { expected } => assert!(
            expected.contains("code") && expected.contains("bloc"),
            "{expected}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("seed.toml:"), "{e}");
}

#[test]
fn a_duplicate_id_points_at_the_first_definition() {
    let e = only("bad/duplicate-id");
    let first = line_of("bad/duplicate-id", "id = \"country:jp\"");
    let text =
        std::fs::read_to_string(fixture("bad/duplicate-id").join("seed.toml")).unwrap_or_default();
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("id = \"country:jp\""))
        .nth(1)
        .map(|(i, _)| i + 1);
    located(&e, second.unwrap_or(0), Some("country:jp"), Some("id"));
    match &e.kind {
        SeedErrorKind::DuplicateId { id, first: at } => {
            assert_eq!(id, "country:jp");
            assert!(at.ends_with(&format!("seed.toml:{first}")), "{at}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_dangling_reference_names_the_missing_id() {
    let e = only("bad/dangling-reference");
    located(
        &e,
        line_of("bad/dangling-reference", "atlantis"),
        Some("commitment:jp-investment"),
        Some("beneficiaries[0]"),
    );
    assert_eq!(
        e.kind,
        SeedErrorKind::DanglingReference("country:atlantis".into())
    );
}

#[test]
fn a_malformed_decimal_is_refused() {
    let e = only("bad/bad-decimal");
    located(
        &e,
        line_of("bad/bad-decimal", "550 billion"),
        Some("commitment:jp-investment"),
        Some("amount[0].money.amount"),
    );
    assert_eq!(
        e.kind,
        SeedErrorKind::Invalid(ModelError::InvalidDecimal("550 billion".into()))
    );
}

#[test]
fn a_float_where_a_decimal_belongs_is_refused() {
    let e = only("bad/float-decimal");
    located(
        &e,
        line_of("bad/float-decimal", "550000000000.01"),
        Some("commitment:jp-investment"),
        Some("amount[0].money.amount"),
    );
    assert!(
        matches!(
            e.kind,
            SeedErrorKind::Invalid(ModelError::InvalidDecimal(_))
        ),
        "{e}"
    );
    assert!(e.to_string().contains("as a string"), "{e}");
}

#[test]
fn an_impossible_date_is_refused() {
    let e = only("bad/bad-date");
    located(
        &e,
        line_of("bad/bad-date", "2025-02-30"),
        Some("event:talks"),
        Some("date"),
    );
    assert_eq!(
        e.kind,
        SeedErrorKind::Invalid(ModelError::InvalidDate("2025-02-30".into()))
    );
}

#[test]
fn an_unknown_enum_value_lists_the_values_allowed() {
    let e = only("bad/unknown-enum");
    located(
        &e,
        line_of("bad/unknown-enum", "secret-society"),
        Some("org:acme"),
        Some("kind"),
    );
    match &e.kind {
        SeedErrorKind::Invalid(ModelError::UnknownValue {
            value, expected, ..
        }) => {
            assert_eq!(value, "secret-society");
            assert!(expected.contains("media-outlet"), "{expected}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_relation_between_kinds_that_cannot_hold_it_is_refused() {
    let e = only("bad/relation-kinds");
    located(
        &e,
        line_of("bad/relation-kinds", "to = \"country:jp\""),
        Some("statement:remark -pledged-> country:jp"),
        Some("to"),
    );
    assert!(
        matches!(
            e.kind,
            SeedErrorKind::Invalid(ModelError::RelationNotAllowed { .. })
        ),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("cannot go from a Statement to a Country"),
        "{e}"
    );
}

#[test]
fn a_claim_without_a_source_is_refused() {
    let e = only("bad/claim-without-source");
    located(
        &e,
        line_of("bad/claim-without-source", "[[person.roles]]"),
        Some("person:someone"),
        Some("roles[0].sources"),
    );
    assert_eq!(e.kind, SeedErrorKind::MissingSource);
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let e = only("bad/syntax");
    assert_eq!(e.line, line_of("bad/syntax", "id = \"country:us"));
    assert!(matches!(e.kind, SeedErrorKind::Syntax(_)), "{e}");
}

#[test]
fn a_seed_with_several_errors_lists_them_all_in_line_order() {
    let name = "bad/many-errors";
    let errors = errors_of(name);
    let got: Vec<(usize, Option<&str>)> = errors
        .iter()
        .map(|e| (e.line, e.field.as_deref()))
        .collect();
    let text = std::fs::read_to_string(fixture(name).join("seed.toml")).unwrap_or_default();
    let dup = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("id = \"country:jp\""))
        .nth(1)
        .map(|(i, _)| i + 1)
        .unwrap_or(0);
    assert_eq!(
        got,
        [
            (line_of(name, "colour"), Some("colour")),
            (dup, Some("id")),
            (line_of(name, "picnic"), Some("kind")),
            (line_of(name, "2025-13-01"), Some("date")),
            (line_of(name, "person:nobody"), Some("participants[0]")),
        ],
        "{errors:#?}"
    );
}

#[test]
fn a_missing_directory_and_an_empty_one_are_clear_errors() {
    let missing = load_dir(Path::new("/nonexistent/seed")).expect_err("no such directory");
    assert!(matches!(missing.0[0].kind, SeedErrorKind::Io(_)));
    let empty = tempdir();
    let none = load_dir(&empty).expect_err("no files");
    assert_eq!(none.0[0].kind, SeedErrorKind::NoFiles);
    let _ = std::fs::remove_dir_all(&empty);
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pledgegraph-empty-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

#[test]
fn hostile_inputs_give_errors_not_panics() {
    let cases: Vec<String> = vec![
        String::new(),
        "\u{0}\u{1}garbage".into(),
        "[[country]]\n".into(),
        "country = 5".into(),
        "[[country]]\nid = 5\nname = []\nsources = \"x\"".into(),
        "[[relation]]\nkind = \"rival-of\"".into(),
        "[[commitment]]\nid=\"commitment:x\"\n[[commitment.amount]]\nkey=\"a\"\nmoney={}\npercent=\"1\"\nsources=[0, -1, 99999999999]".into(),
        "[seed]\ndefault_source = \"country:jp\"".into(),
        "[[source]]\nid=\"source:x\"\nname=\"x\"\ndescription=\"x\"\nkind=\"curator\"\ntitle=\"t\"\nsources=[{ source = \"source:x\", line = 3 }]".into(),
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        format!("x = {}", "[".repeat(5_000)),
    ];
    for (i, text) in cases.into_iter().enumerate() {
        let out = load_files(&[(PathBuf::from(format!("case{i}.toml")), text)]);
        assert!(out.is_err(), "case {i} should be refused: {out:?}");
    }
}

/// The valid fixture with `extra` tables after it, loaded as one file.
fn valid_with(extra: &str) -> Result<pledgegraph::seed::Seed, pledgegraph::seed::SeedErrors> {
    let head = std::fs::read_to_string(fixture("valid").join("seed.toml")).unwrap_or_default();
    load_files(&[(PathBuf::from("seed.toml"), format!("{head}\n{extra}"))])
}

#[test]
fn a_demand_declared_as_a_commitment_is_refused_and_a_demand_loads() {
    let as_commitment = "
[[commitment]]
id = \"commitment:asked\"
name = \"Asked\"
description = \"Asked for.\"
kind = \"concessions\"
pledger = \"country:jp\"
beneficiaries = [\"country:us\"]
period = \"unspecified\"
sources = [6]

[[commitment.status]]
key = \"asked\"
value = \"demanded\"
sources = [6]
";
    let errors = match valid_with(as_commitment) {
        Ok(_) => panic!("a demanded commitment should be refused"),
        Err(e) => e.0,
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .to_string()
            .contains("declare what one side asks of another as a [[demand]]"),
        "{}",
        errors[0]
    );
    let as_demand = "
[[demand]]
id = \"demand:asked\"
name = \"Asked\"
description = \"Asked for.\"
demander = \"country:us\"
demanded_of = [\"country:jp\"]
sources = [6]

[[demand.status]]
key = \"open\"
value = \"open\"
sources = [6]
";
    // When the side asked pledges, the pledge says which demand it answers.
    let answered = format!(
        "{as_demand}
[[commitment]]
id = \"commitment:answer\"
name = \"Answer\"
description = \"The pledge that meets the demand.\"
kind = \"concessions\"
pledger = \"country:jp\"
beneficiaries = [\"country:us\"]
answers = \"demand:asked\"
period = \"unspecified\"
sources = [7]
"
    );
    let seed =
        valid_with(&answered).unwrap_or_else(|e| panic!("a demand and its answer load: {e}"));
    let graph = pledgegraph::graph::KnowledgeGraph::build(seed.nodes, seed.relations)
        .unwrap_or_else(|e| panic!("{e}"));
    let demand =
        pledgegraph::model::EntityId::parse("demand:asked").unwrap_or_else(|e| panic!("{e}"));
    let answers = graph.related(
        &demand,
        pledgegraph::model::RelationKind::Answers,
        pledgegraph::graph::Direction::Incoming,
    );
    assert_eq!(
        answers.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        ["commitment:answer"]
    );
    let no_target = "[[demand]]\nid = \"demand:x\"\nname = \"X\"\ndescription = \"X.\"\ndemander = \"country:us\"\nsources = [1]\n";
    let missing = valid_with(no_target);
    assert!(
        missing
            .err()
            .is_some_and(|e| e.to_string().contains("demanded_of")),
        "a demand names of whom it is demanded"
    );
}

#[test]
fn a_date_range_must_be_in_order_and_say_why() {
    let event = |date: &str| {
        format!(
            "[[event]]\nid = \"event:x\"\nname = \"X\"\ndescription = \"X.\"\nkind = \"meeting\"\ndate = {date}\nsources = [1]\n"
        )
    };
    let load = |text: String| valid_with(&text);
    let ok = load(event(
        r#"{ not_before = { date = "2025-07-22", reason = "after the talks" }, not_after = { date = "2025-07-31", reason = "before the deadline" } }"#,
    ));
    assert!(ok.is_ok(), "{ok:?}");
    for (date, says) in [
        (
            r#"{ not_before = { date = "2025-08-01", reason = "a" }, not_after = { date = "2025-07-31", reason = "b" } }"#,
            "not_before 2025-08-01 is after not_after 2025-07-31",
        ),
        (
            r#"{ date = "2025-07-01", not_before = { date = "2025-07-22", reason = "a" } }"#,
            "date 2025-07-01 is before not_before 2025-07-22",
        ),
        (r#"{ not_before = { date = "2025-07-22" } }"#, "reason"),
        (r#"{ inferred = true }"#, "date"),
    ] {
        let errors = match load(event(date)) {
            Ok(_) => panic!("{date} should be refused"),
            Err(e) => e.to_string(),
        };
        assert!(errors.contains(says), "{date}: {errors}");
    }
}

#[test]
fn a_source_file_that_is_a_path_is_refused_naming_the_field() {
    let escaping = "
[[source]]
id = \"source:escaping\"
name = \"Escaping\"
description = \"A document whose file is a path.\"
kind = \"document\"
title = \"Escaping\"
file = \"../outside.txt\"
sources = [1]
";
    let errors = match valid_with(escaping) {
        Ok(_) => panic!("a file that is a path should be refused"),
        Err(e) => e.0,
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    let message = errors[0].to_string();
    assert!(message.contains("file"), "{message}");
    assert!(
        message.contains("invalid file name `../outside.txt`"),
        "{message}"
    );
}
