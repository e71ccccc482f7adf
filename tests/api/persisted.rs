//! Automatic persisted queries over HTTP, as Apollo Client sends them: the hash alone
//! first, `PERSISTED_QUERY_NOT_FOUND`, then the document with its hash, then the hash alone
//! again, by POST and by GET (with its ETag).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestServer, answered, encode, server};

fn sha(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn post(s: &TestServer, accept: &str, body: Value) -> (u16, Value) {
    let result = crate::helpers::post(&format!("{}/graphql", s.base))
        .set("Content-Type", "application/json")
        .set("Accept", accept)
        .send_json(body);
    TestServer::read(result)
}

fn code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

#[test]
fn a_document_is_sent_once_and_named_by_its_hash_after() {
    let s = server();
    let text = format!(
        "query Pledges($code: String!) {{ country(code: $code) {{ name }} }} # apq-{}",
        std::process::id()
    );
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha(&text) } });
    let variables = json!({ "code": "JP" });
    let alone = json!({ "variables": variables, "extensions": extensions });

    // Unknown: a request error Apollo Client recognises, 200 for application/json and 400
    // for the GraphQL response type.
    let (status, answer) = post(s, "application/json", alone.clone());
    assert_eq!(status, 200, "{answer}");
    assert_eq!(code(&answer), "PERSISTED_QUERY_NOT_FOUND", "{answer}");
    assert_eq!(answer["errors"][0]["message"], "PersistedQueryNotFound");
    assert!(answer.get("data").is_none(), "{answer}");
    let (status, answer) = post(s, "application/graphql-response+json", alone.clone());
    assert_eq!(status, 400, "{answer}");
    assert_eq!(code(&answer), "PERSISTED_QUERY_NOT_FOUND", "{answer}");

    // The document with its hash is run and kept; the hash alone is then enough.
    let both = json!({ "query": text, "variables": variables, "extensions": extensions });
    let (status, first) = post(s, "application/json", both);
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["data"]["country"]["name"], "Japan", "{first}");
    let (status, again) = post(s, "application/json", alone);
    assert_eq!((status, &again), (200, &first));

    // By GET, with an ETag a second GET can revalidate.
    let url = format!(
        "{}/graphql?variables={}&extensions={}",
        s.base,
        encode(&variables.to_string()),
        encode(&extensions.to_string())
    );
    let response = answered(crate::helpers::get(&url).call());
    assert_eq!(response.status(), 200);
    let etag = response
        .header("ETag")
        .map(str::to_string)
        .unwrap_or_default();
    let body: Value = response.into_json().unwrap_or_default();
    assert_eq!(body, first);
    let revalidated = answered(crate::helpers::get(&url).set("If-None-Match", &etag).call());
    assert_eq!(revalidated.status(), 304);
}

#[test]
fn a_hash_that_is_not_the_document_s_or_not_version_1_is_a_bad_request() {
    let s = server();
    let text = "{ stats { entities } }";
    for (extension, says) in [
        (
            json!({ "version": 1, "sha256Hash": sha("{ stats { version } }") }),
            "SHA-256",
        ),
        (
            json!({ "version": 2, "sha256Hash": sha(text) }),
            "must be 1",
        ),
        (
            json!({ "version": 1, "sha256Hash": "beef" }),
            "64 hexadecimal",
        ),
    ] {
        let body = json!({ "query": text, "extensions": { "persistedQuery": extension } });
        let (status, answer) = post(s, "application/graphql-response+json", body);
        assert_eq!(status, 400, "{answer}");
        assert_eq!(code(&answer), "BAD_REQUEST", "{answer}");
        let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{says}: {message}");
    }
    // Without the extension, a request without a document is still refused as before.
    let (status, answer) = post(s, "application/json", json!({ "variables": {} }));
    assert_eq!(status, 400, "{answer}");
}
