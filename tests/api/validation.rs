//! A document is validated in full the first time its text is seen and not after (the
//! server keeps the mark with the parsed document). Its answers must not show which time
//! it is: the same answer, status and errors before the mark and after, for good and bad
//! variables alike, and a document the validator refuses is refused every time.

use crate::helpers::server;
use serde_json::{Value, json};

/// A document text no other test sends, so its first request here is its first anywhere.
fn fresh(document: &str, tag: &str) -> String {
    format!("{document} # validation-{tag}-{}", std::process::id())
}

/// The status and the answer of `query` with `variables`, sent `times` times: all equal.
fn same_every_time(query: &str, variables: Value, times: usize) -> (u16, Value) {
    let first = server().post(query, variables.clone());
    for n in 1..times {
        let again = server().post(query, variables.clone());
        assert_eq!(again, first, "request {n} of {query} with {variables}");
    }
    first
}

#[test]
fn a_document_answers_the_same_before_and_after_it_is_marked_valid() {
    let query = fresh(
        "query($k: [CommitmentOrder!], $f: CommitmentFilter, $n: Int) {
           commitments(first: $n, orderBy: $k, filter: $f) {
             totalCount edges { cursor node { id name amount { value { display } } } } } }",
        "answers",
    );
    let good = json!({ "k": [{ "field": "NAME" }], "f": { "amount": { "gte": "1" } }, "n": 3 });
    let bad_enum = json!({ "k": [{ "field": "NAME" }, { "field": "SIZE" }], "n": 3 });
    let bad_decimal = json!({ "f": { "or": [{ "amount": { "lt": "1e9" } }] }, "n": 3 });
    let bad_int = json!({ "n": "3" });
    // Bad variables before the document has ever passed, then good ones (which pass it and
    // mark it), then bad ones again: each bad one is refused as it was the first time.
    let before: Vec<(u16, Value)> = [&bad_enum, &bad_decimal, &bad_int]
        .iter()
        .map(|v| server().post(&query, (*v).clone()))
        .collect();
    let (status, answer) = same_every_time(&query, good, 3);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.get("errors").is_none(), "{answer}");
    let edges = answer["data"]["commitments"]["edges"].as_array().cloned();
    assert_eq!(edges.map(|e| e.len()), Some(3), "{answer}");
    let after: Vec<(u16, Value)> = [&bad_enum, &bad_decimal, &bad_int]
        .iter()
        .map(|v| same_every_time(&query, (*v).clone(), 2))
        .collect();
    assert_eq!(after, before, "refusals after the mark are those before it");
    for ((status, answer), place) in after.iter().zip(["k[1].field", "f.or[0].amount.lt", ""]) {
        assert_eq!(*status, 200, "{answer}");
        assert!(
            answer.get("data").is_none(),
            "a request error has no data: {answer}"
        );
        let error = &answer["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.starts_with("Variable \"$"), "{message}");
        assert!(message.contains(place), "{place} in {message}");
    }
}

#[test]
fn a_document_the_validator_refuses_is_refused_every_time() {
    for (tag, document) in [
        ("unknown-field", "{ stats { entities planets } }"),
        ("literal", "{ country(code: 5) { name } }"),
        (
            "unused-variable",
            "query($c: String) { country(code: \"JP\") { name } }",
        ),
        (
            "wrong-position",
            "query($c: Int) { country(code: $c) { name } }",
        ),
    ] {
        let query = fresh(document, tag);
        let (status, answer) = same_every_time(&query, json!({ "c": 1 }), 3);
        assert_eq!(status, 200, "{tag}: {answer}");
        assert!(answer.get("data").is_none(), "{tag}: {answer}");
        let code = &answer["errors"][0]["extensions"]["code"];
        assert!(
            code == "GRAPHQL_VALIDATION_FAILED" || code == "BAD_USER_INPUT",
            "{tag}: {answer}"
        );
    }
}
