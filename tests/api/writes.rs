//! Writes through the API on the real server: every mutation, a refused write leaving the
//! graph and the log as they were, editors' tokens, idempotent retries, version
//! conflicts, and every acknowledged write there again after a restart.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::helpers::{self, TestServer};

/// A source paragraph of the real seed, for the citations writes need.
const SOURCE: &str = "source:trade-talks-2025-07";

/// A server over the real seed with a fresh data directory and one editor, `Ana`.
pub(crate) struct Editing {
    pub(crate) server: TestServer,
    pub(crate) token: String,
    data: PathBuf,
    tokens_file: PathBuf,
    _dir: tempfile::TempDir,
}

fn config(data: &Path, tokens_file: Option<&Path>) -> pledgegraph::app::Config {
    let mut config = pledgegraph::app::Config::default();
    config.seed = helpers::seed_dir();
    config.data_dir = Some(data.to_path_buf());
    config.tokens_file = tokens_file.map(Path::to_path_buf);
    // Many requests from one loopback address: no per-client limit.
    config.rate_limit_per_second = 0;
    config
}

pub(crate) fn editing() -> Editing {
    let dir = tempfile::tempdir().unwrap();
    let made = pledgegraph::app::new_token("Ana").unwrap();
    let tokens_file = dir.path().join("tokens.toml");
    std::fs::write(&tokens_file, &made.entry).unwrap();
    let data = dir.path().join("data");
    let app = pledgegraph::app::App::load(config(&data, Some(&tokens_file))).unwrap();
    Editing {
        server: helpers::spawn_app(app),
        token: made.token,
        data,
        tokens_file,
        _dir: dir,
    }
}

impl Editing {
    /// Runs a mutation as Ana; answers the body.
    fn write(&self, query: &str, variables: Value) -> Value {
        let (status, body) = self.server.post_as(&self.token, query, variables);
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Runs a mutation as Ana that must succeed; answers its `data`.
    pub(crate) fn ok(&self, query: &str, variables: Value) -> Value {
        let body = self.write(query, variables);
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    fn version(&self) -> i64 {
        self.server.data("{ stats { version } }")["stats"]["version"]
            .as_i64()
            .unwrap()
    }

    /// A second server started on the same data directory: the graph its log replays.
    fn restarted(&self) -> TestServer {
        let app = pledgegraph::app::App::load(config(&self.data, Some(&self.tokens_file))).unwrap();
        helpers::spawn_app(app)
    }
}

pub(crate) fn cite() -> Value {
    json!([{ "source": SOURCE, "line": 3 }])
}

/// The error code of a body's first error.
fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

pub(crate) const RENAME: &str = r#"mutation($name: String!, $sources: [CitationInput!]!, $key: String, $expected: Int) {
  updateEntity(input: { id: "country:jp", name: $name, sources: $sources },
               reason: "the name the source uses", idempotencyKey: $key, expectedVersion: $expected) {
    version actor reason replayed changeCount idempotencyKey
    entities { id name version }
  }
}"#;

#[test]
fn an_update_is_answered_once_committed_and_seen_by_the_next_request() {
    let e = editing();
    let data = e.ok(RENAME, json!({ "name": "Nippon", "sources": cite() }));
    let answer = &data["updateEntity"];
    assert_eq!(answer["version"], 1);
    assert_eq!(answer["actor"], "Ana");
    assert_eq!(answer["replayed"], false);
    assert_eq!(answer["changeCount"], 1);
    assert_eq!(
        answer["entities"],
        json!([{ "id": "country:jp", "name": "Nippon", "version": 1 }])
    );
    let read = e
        .server
        .data(r#"{ stats { version } country(code: "JP") { name version } }"#);
    assert_eq!(read["stats"]["version"], 1);
    assert_eq!(read["country"], json!({ "name": "Nippon", "version": 1 }));
    // Korea was not changed: still the seed's version.
    let kr = e.server.data(r#"{ country(code: "KR") { version } }"#);
    assert_eq!(kr["country"]["version"], 0);
}

#[test]
fn a_new_commitment_with_its_amount_and_status_arrives_in_one_batch() {
    let e = editing();
    let query = r#"mutation($changes: [ChangeInput!]!) {
      applyChanges(changes: $changes, reason: "a pledge reported on line 3") {
        version changeCount entities { id ... on Commitment { pledger { id } amount { key value { money { amount currency } } } } }
      }
    }"#;
    let changes = json!([
        { "create": { "commitment": {
            "id": "commitment:kr-test-pledge", "name": "Korea's test pledge",
            "description": "A pledge made up for a test.", "sources": cite(),
            "kind": "INVESTMENT", "pledger": "country:kr", "beneficiaries": ["country:us"],
            "period": "ONE_OFF" } } },
        { "addClaim": { "id": "commitment:kr-test-pledge", "claim": { "amount": {
            "key": "first", "value": { "money": { "amount": "350000000000.50", "currency": "USD" } },
            "sources": cite() } } } },
        { "addClaim": { "id": "commitment:kr-test-pledge", "claim": { "commitmentStatus": {
            "key": "pledged", "value": "PLEDGED", "sources": cite() } } } }
    ]);
    let data = e.ok(query, json!({ "changes": changes }));
    let answer = &data["applyChanges"];
    assert_eq!(answer["version"], 1);
    assert_eq!(answer["changeCount"], 3);
    assert_eq!(
        answer["entities"],
        json!([{ "id": "commitment:kr-test-pledge", "pledger": { "id": "country:kr" },
                 "amount": { "key": "first", "value": { "money": { "amount": "350000000000.5", "currency": "USD" } } } }])
    );
    // The pledger's list has it.
    let kr = e
        .server
        .data(r#"{ country(code: "KR") { pledgesMade(first: 100) { nodes { id } } } }"#);
    let ids: Vec<&str> = kr["country"]["pledgesMade"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert!(ids.contains(&"commitment:kr-test-pledge"), "{ids:?}");
}

#[test]
fn a_revised_value_keeps_the_old_one_in_its_history_and_a_wrong_one_is_deprecated() {
    let e = editing();
    let id = "commitment:jp-defense-procurement-2025";
    let before = e.server.data(&format!(
        r#"{{ commitment(id: "{id}") {{ amount {{ key }} amountHistory {{ key rank }} }} }}"#
    ));
    let old_key = before["commitment"]["amount"]["key"]
        .as_str()
        .unwrap()
        .to_string();
    let revise = r#"mutation($id: ID!, $old: String!, $sources: [CitationInput!]!) {
      reviseClaim(input: { id: $id, supersedes: $old, claim: { amount: {
        key: "revised", value: { money: { amount: "600000000000", currency: "USD" } },
        validFrom: { date: "2025-09-01" }, sources: $sources } } },
        reason: "a later report") { version }
    }"#;
    e.ok(
        revise,
        json!({ "id": id, "old": old_key, "sources": cite() }),
    );
    let after = e.server.data(&format!(
        r#"{{ commitment(id: "{id}") {{ amount {{ key supersedes value {{ money {{ amount }} }} }} amountHistory {{ key rank }} }} }}"#
    ));
    let c = &after["commitment"];
    assert_eq!(c["amount"]["key"], "revised");
    assert_eq!(c["amount"]["supersedes"], old_key);
    assert_eq!(c["amount"]["value"]["money"]["amount"], "600000000000");
    let history = c["amountHistory"].as_array().unwrap();
    assert_eq!(
        history.len(),
        before["commitment"]["amountHistory"]
            .as_array()
            .unwrap()
            .len()
            + 1
    );
    assert!(
        history
            .iter()
            .any(|h| h["key"] == old_key.as_str() && h["rank"] == "NORMAL")
    );

    let deprecate = r#"mutation($id: ID!, $sources: [CitationInput!]!) {
      deprecateClaim(input: { id: $id, field: AMOUNT, key: "revised", reason: "misread figure", sources: $sources }) { version reason }
    }"#;
    let data = e.ok(deprecate, json!({ "id": id, "sources": cite() }));
    assert_eq!(data["deprecateClaim"]["reason"], "misread figure");
    let after = e.server.data(&format!(
        r#"{{ commitment(id: "{id}") {{ amountHistory(includeDeprecated: true) {{ key rank caveat }} }} }}"#
    ));
    let revised: Vec<&Value> = after["commitment"]["amountHistory"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["key"] == "revised")
        .collect();
    assert_eq!(revised.len(), 1);
    assert_eq!(revised[0]["rank"], "DEPRECATED");
    assert_eq!(revised[0]["caveat"], "misread figure");
}

#[test]
fn relations_are_added_ended_and_retracted() {
    let e = editing();
    let add = r#"mutation($sources: [CitationInput!]!) {
      addRelation(input: { kind: ALLY_OF, from: "country:kr", to: "country:jp", sources: $sources }, reason: "test") { version }
    }"#;
    e.ok(add, json!({ "sources": cite() }));
    let relations = |e: &Editing| {
        e.server.data(
            r#"{ country(code: "KR") { relations(kinds: [ALLY_OF], direction: OUTGOING, first: 50) { nodes { id validUntil { date } } } } }"#,
        )["country"]["relations"]["nodes"]
            .clone()
    };
    let id = "country:kr|ally-of|country:jp";
    assert!(
        relations(&e)
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id)
    );
    let end = r#"mutation($id: String!, $sources: [CitationInput!]!) {
      endRelation(input: { id: $id, until: { date: "2025-08-01" }, sources: $sources }, reason: "test") { version }
    }"#;
    e.ok(end, json!({ "id": id, "sources": cite() }));
    let ended: Vec<Value> = relations(&e)
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"] == id)
        .cloned()
        .collect();
    assert_eq!(
        ended.len(),
        1,
        "an ended relation is still there, with its end"
    );
    assert_eq!(ended[0]["validUntil"]["date"], "2025-08-01");
    let retract = r#"mutation($id: ID!, $sources: [CitationInput!]!) {
      retract(id: $id, reason: "not in the source", sources: $sources) { version }
    }"#;
    e.ok(retract, json!({ "id": id, "sources": cite() }));
    assert!(
        !relations(&e)
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id)
    );
}

#[test]
fn a_retracted_entity_is_gone_and_a_merged_id_answers_its_survivor() {
    let e = editing();
    let create = r#"mutation($sources: [CitationInput!]!) {
      createEntity(input: { person: { id: "person:lutnick-dup", name: "H. Lutnick", description: "A duplicate.", sources: $sources } },
                   reason: "test") { version entities { id name } }
    }"#;
    let data = e.ok(create, json!({ "sources": cite() }));
    assert_eq!(data["createEntity"]["entities"][0]["name"], "H. Lutnick");
    let merge = r#"mutation($sources: [CitationInput!]!) {
      merge(from: "person:lutnick-dup", into: "person:howard-lutnick", sources: $sources, reason: "same person") {
        entities { id aliases }
      }
    }"#;
    let data = e.ok(merge, json!({ "sources": cite() }));
    let survivor = &data["merge"]["entities"][0];
    assert_eq!(survivor["id"], "person:howard-lutnick");
    assert!(
        survivor["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "H. Lutnick")
    );
    let read = e
        .server
        .data(r#"{ entity(id: "person:lutnick-dup") { id } }"#);
    assert_eq!(read["entity"]["id"], "person:howard-lutnick");

    // An entity nothing names can be withdrawn; one still named cannot.
    let retract = r#"mutation($id: ID!, $sources: [CitationInput!]!) {
      retract(id: $id, reason: "not in the source", sources: $sources) { version }
    }"#;
    let body = e.write(retract, json!({ "id": "country:kr", "sources": cite() }));
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("deal:us-kr-2025")
    );
    let create = create
        .replace("lutnick-dup", "nobody")
        .replace("H. Lutnick", "Nobody");
    e.ok(&create, json!({ "sources": cite() }));
    assert!(!e.server.data(r#"{ entity(id: "person:nobody") { id } }"#)["entity"].is_null());
    e.ok(retract, json!({ "id": "person:nobody", "sources": cite() }));
    let read = e.server.data(r#"{ entity(id: "person:nobody") { id } }"#);
    assert_eq!(read, json!({ "entity": null }));
}

#[test]
fn a_refused_write_changes_nothing_and_says_which_field() {
    let e = editing();
    let query = r#"mutation($changes: [ChangeInput!]!) {
      applyChanges(changes: $changes, reason: "test") { version }
    }"#;
    // The second change names a pledger that does not exist: the first is not kept.
    let changes = json!([
        { "update": { "id": "country:jp", "name": "Nippon", "sources": cite() } },
        { "create": { "commitment": {
            "id": "commitment:bad", "name": "Bad", "description": "x", "sources": cite(),
            "kind": "INVESTMENT", "pledger": "country:zz", "period": "ONE_OFF" } } }
    ]);
    let body = e.write(query, json!({ "changes": changes }));
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["changeIndex"], 1, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("country:zz"),
        "{body}"
    );
    // A value the model refuses names the field it came from.
    let changes = json!([
        { "addClaim": { "id": "commitment:jp-us-investment-2025", "claim": { "amount": {
            "key": "k", "value": { "money": { "amount": "-5", "currency": "USD" } }, "sources": cite() } } } },
    ]);
    let body = e.write(query, json!({ "changes": changes }));
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("changes[0].addClaim.claim.amount.value.money.amount"),
        "{message}"
    );
    // No source: refused.
    let body = e.write(RENAME, json!({ "name": "Nippon", "sources": [] }));
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("input.sources"),
        "{body}"
    );

    assert_eq!(e.version(), 0);
    let jp = e.server.data(r#"{ country(code: "JP") { name } }"#);
    assert_eq!(jp["country"]["name"], "Japan");
    // Nothing reached the log: a restart replays nothing.
    let again = e.restarted();
    assert_eq!(again.data("{ stats { version } }")["stats"]["version"], 0);
}

#[test]
fn writes_need_an_editors_token() {
    let e = editing();
    let vars = json!({ "name": "Nippon", "sources": cite() });
    let (status, body) = e.server.post(RENAME, vars.clone());
    assert_eq!((status, code(&body)), (200, "UNAUTHENTICATED"), "{body}");
    let (_, body) = e.server.post_as("pgt_not-a-token", RENAME, vars.clone());
    assert_eq!(code(&body), "FORBIDDEN", "{body}");
    assert_eq!(e.version(), 0);
    e.ok(RENAME, vars.clone());
    assert_eq!(e.version(), 1);
    // Reads need none.
    assert_eq!(
        e.server.data(r#"{ country(code: "JP") { name } }"#)["country"]["name"],
        "Nippon"
    );

    // A server without editors takes no writes, whatever the token.
    let dir = tempfile::tempdir().unwrap();
    let app = pledgegraph::app::App::load(config(&dir.path().join("data"), None)).unwrap();
    let read_only = helpers::spawn_app(app);
    let (_, body) = read_only.post_as(&e.token, RENAME, vars);
    assert_eq!(code(&body), "FORBIDDEN", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("--tokens-file")
    );

    // Editors without a data directory cannot start.
    let mut no_data = config(&dir.path().join("data"), Some(&e.tokens_file));
    no_data.data_dir = None;
    let refused = pledgegraph::app::App::load(no_data).map(|_| ());
    assert!(refused.unwrap_err().to_string().contains("--data-dir"));
}

#[test]
fn a_mutation_over_get_is_refused() {
    let e = editing();
    let url = format!(
        "{}/graphql?query=mutation%7BupdateEntity(input%3A%7Bid%3A%22country%3Ajp%22%2Cname%3A%22X%22%2Csources%3A%5B%5D%7D%2Creason%3A%22r%22)%7Bversion%7D%7D",
        e.server.base
    );
    let response = helpers::answered(
        crate::helpers::get(&url)
            .set("Authorization", &format!("Bearer {}", e.token))
            .call(),
    );
    assert_eq!(response.status(), 405);
    assert_eq!(response.header("Allow"), Some("POST"));
    assert_eq!(e.version(), 0);
}

#[test]
fn a_retry_with_the_same_key_is_applied_once() {
    let e = editing();
    let vars = json!({ "name": "Nippon", "sources": cite(), "key": "rename-jp-1" });
    let first = e.ok(RENAME, vars.clone());
    let again = e.ok(RENAME, vars.clone());
    assert_eq!(first["updateEntity"]["replayed"], false);
    assert_eq!(again["updateEntity"]["replayed"], true);
    assert_eq!(
        first["updateEntity"]["version"],
        again["updateEntity"]["version"]
    );
    assert_eq!(again["updateEntity"]["idempotencyKey"], "rename-jp-1");
    assert_eq!(e.version(), 1);
    // The same key for another write is a conflict, and nothing is applied.
    let other = json!({ "name": "Yamato", "sources": cite(), "key": "rename-jp-1" });
    let body = e.write(RENAME, other);
    assert_eq!(code(&body), "CONFLICT", "{body}");
    assert_eq!(e.version(), 1);
}

#[test]
fn a_write_on_a_version_that_moved_on_is_a_conflict() {
    let e = editing();
    let read = e.server.data(r#"{ country(code: "JP") { version } }"#);
    let seen = read["country"]["version"].as_i64().unwrap();
    e.ok(
        RENAME,
        json!({ "name": "Nippon", "sources": cite(), "expected": seen }),
    );
    // A second editor working from the same read is refused.
    let body = e.write(
        RENAME,
        json!({ "name": "Yamato", "sources": cite(), "expected": seen }),
    );
    assert_eq!(code(&body), "CONFLICT", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("version 1"),
        "{body}"
    );
    assert_eq!(
        e.server.data(r#"{ country(code: "JP") { name } }"#)["country"]["name"],
        "Nippon"
    );
    e.ok(
        RENAME,
        json!({ "name": "Yamato", "sources": cite(), "expected": 1 }),
    );
}

#[test]
fn every_acknowledged_write_is_there_after_a_restart() {
    let e = editing();
    for (i, name) in ["Nippon", "Yamato", "Japan"].iter().enumerate() {
        let data = e.ok(
            RENAME,
            json!({ "name": name, "sources": cite(), "key": format!("k{i}") }),
        );
        assert_eq!(data["updateEntity"]["version"], i as i64 + 1);
    }
    let again = e.restarted();
    let read = again.data(r#"{ stats { version } country(code: "JP") { name version } }"#);
    assert_eq!(read["stats"]["version"], 3);
    assert_eq!(read["country"], json!({ "name": "Japan", "version": 3 }));
}

#[test]
fn the_change_log_is_history_a_page_at_a_time_and_by_entity() {
    let e = editing();
    for (i, name) in ["Nippon", "Yamato", "Japan"].iter().enumerate() {
        e.ok(
            RENAME,
            json!({ "name": name, "sources": cite(), "key": format!("k{i}") }),
        );
    }
    let korea = r#"mutation($sources: [CitationInput!]!) {
      updateEntity(input: { id: "country:kr", aliases: ["ROK"], sources: $sources }, reason: "short name") { version }
    }"#;
    e.ok(korea, json!({ "sources": cite() }));
    let page = |after: Option<&str>| {
        e.server.data_with(
            r#"query($after: String) { changes(first: 3, after: $after) {
                 nodes { version actor reason idempotencyKey committedAt
                         changes { op entityIds detail } entities { id } }
                 hasNextPage endCursor } }"#,
            json!({ "after": after }),
        )["changes"]
            .clone()
    };
    let first = page(None);
    let versions = |p: &Value| {
        p["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["version"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(versions(&first), [1, 2, 3]);
    assert_eq!(first["hasNextPage"], true);
    assert_eq!(first["endCursor"], "3");
    let one = &first["nodes"][0];
    assert_eq!(
        (one["actor"].as_str(), one["reason"].as_str()),
        (Some("Ana"), Some("the name the source uses"))
    );
    assert_eq!(one["idempotencyKey"], "k0");
    assert_eq!(one["changes"][0]["op"], "update_entity");
    assert_eq!(one["changes"][0]["entityIds"], json!(["country:jp"]));
    assert!(
        one["changes"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("\"Nippon\"")
    );
    assert_eq!(one["entities"], json!([{ "id": "country:jp" }]));
    let second = page(first["endCursor"].as_str());
    assert_eq!(versions(&second), [4]);
    assert_eq!(second["hasNextPage"], false);
    let since = e.server.data("{ changes(since: 2) { nodes { version } } }");
    assert_eq!(versions(&since["changes"]), [3, 4]);

    let by_entity = e.server.data(
        r#"{ country(code: "JP") { changes(first: 2) { nodes { version } hasNextPage } }
             kr: entity(id: "country:kr") { changes { nodes { version reason } } } }"#,
    );
    assert_eq!(versions(&by_entity["country"]["changes"]), [1, 2]);
    assert_eq!(by_entity["country"]["changes"]["hasNextPage"], true);
    assert_eq!(
        by_entity["kr"]["changes"]["nodes"],
        json!([{ "version": 4, "reason": "short name" }])
    );

    // A server without a data directory has no history.
    let none = helpers::server().data("{ changes { nodes { version } hasNextPage endCursor } }");
    assert_eq!(
        none["changes"],
        json!({ "nodes": [], "hasNextPage": false, "endCursor": null })
    );
}

#[test]
fn an_entity_of_every_kind_is_created_with_the_claims_of_its_values() {
    let e = editing();
    let common = |id: &str, name: &str| json!({ "id": id, "name": name, "description": format!("{name}, made for a test."), "sources": cite() });
    let with = |id: &str, name: &str, extra: Value| {
        let mut fields = common(id, name);
        for (k, v) in extra.as_object().unwrap() {
            fields[k] = v.clone();
        }
        fields
    };
    let note = json!([{ "source": "source:test-note" }]);
    let changes = json!([
        { "create": { "source": with("source:test-note", "A curator's note", json!({ "kind": "CURATOR", "title": "A note" })) } },
        { "create": { "country": with("country:zz-test", "Testland", json!({ "code": "ZZ" })) } },
        { "create": { "person": common("person:test-envoy", "A. Envoy") } },
        { "create": { "organization": with("org:test-ministry", "Test Ministry", json!({ "kind": "GOVERNMENT_BODY", "country": "country:zz-test" })) } },
        { "create": { "deal": with("deal:test-deal", "Test deal", json!({ "parties": ["country:zz-test", "country:us"], "announced": { "date": "2025-09" } })) } },
        { "create": { "commitment": with("commitment:test-purchase", "Test purchase", json!({ "kind": "PURCHASE", "pledger": "country:zz-test", "beneficiaries": ["country:us"], "deal": "deal:test-deal", "period": "ANNUAL" })) } },
        { "create": { "demand": with("demand:test-demand", "Test demand", json!({ "demander": "country:us", "demandedOf": ["country:zz-test"], "deal": "deal:test-deal" })) } },
        { "create": { "tariffMeasure": with("tariff:test-tariff", "Test tariff", json!({ "imposer": "country:us", "target": "country:zz-test", "scope": "all goods" })) } },
        { "create": { "event": with("event:test-talks", "Test talks", json!({ "kind": "TALKS", "date": { "date": "2025-09-01" }, "participants": ["person:test-envoy"] })) } },
        { "create": { "statement": with("statement:test-remark", "Test remark", json!({ "kind": "REMARK", "speaker": "person:test-envoy", "event": "event:test-talks", "quotes": ["a fair deal"] })) } },
        { "create": { "project": with("project:test-plant", "Test plant", json!({ "place": "Testville" })) } },
        { "addClaim": { "id": "person:test-envoy", "claim": { "role": { "key": "envoy", "value": { "title": "Envoy", "organization": "org:test-ministry" }, "sources": note } } } },
        { "addClaim": { "id": "commitment:test-purchase", "claim": { "amount": { "key": "a", "value": { "quantity": { "value": "100", "unit": "AIRCRAFT" } }, "approximate": true, "sources": cite() } } } },
        { "addClaim": { "id": "tariff:test-tariff", "claim": { "rate": { "key": "r", "value": { "totalPercent": "15", "components": [{ "kind": "RECIPROCAL", "percent": "15" }] }, "validFrom": { "date": "2025-09-01" }, "sources": cite() } } } },
        { "addClaim": { "id": "tariff:test-tariff", "claim": { "volumeLimit": { "key": "v", "value": { "unlimited": true }, "sources": cite() } } } },
        { "addClaim": { "id": "deal:test-deal", "claim": { "dealStatus": { "key": "s", "value": "AGREED", "sources": cite() } } } },
        { "addClaim": { "id": "project:test-plant", "claim": { "value": { "key": "p", "value": { "money": { "amount": "1000000.25", "currency": "EUR" } }, "sources": cite() } } } },
        { "addClaim": { "id": "event:test-talks", "claim": { "duration": { "key": "d", "value": { "value": "90", "unit": "MINUTES" }, "sources": cite() } } } },
        { "addClaim": { "id": "statement:test-remark", "claim": { "attributedTo": { "key": "t", "value": "the envoy", "sources": cite() } } } }
    ]);
    let query = r#"mutation($changes: [ChangeInput!]!) {
      applyChanges(changes: $changes, reason: "every kind") { version changeCount entities { id kind } }
    }"#;
    let data = e.ok(query, json!({ "changes": changes }));
    assert_eq!(data["applyChanges"]["changeCount"], 19);
    let kinds: BTreeSet<String> = data["applyChanges"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds.len(), 11, "{kinds:?}");
    let read = e.server.data(
        r#"{ country(code: "ZZ") { name pledgesMade { nodes { id amount { approximate value { display } } } } }
             person(id: "person:test-envoy") { roles { value { title organization { id } } } }
             tariffMeasure(id: "tariff:test-tariff") { rate { value { totalPercent components { percent } } } }
             project(id: "project:test-plant") { value { value { money { amount currency } } } } }"#,
    );
    assert_eq!(read["country"]["name"], "Testland");
    assert_eq!(
        read["country"]["pledgesMade"]["nodes"],
        json!([{ "id": "commitment:test-purchase", "amount": { "approximate": true, "value": { "display": "100 aircraft" } } }])
    );
    assert_eq!(
        read["person"]["roles"][0]["value"],
        json!({ "title": "Envoy", "organization": { "id": "org:test-ministry" } })
    );
    assert_eq!(read["tariffMeasure"]["rate"]["value"]["totalPercent"], "15");
    assert_eq!(
        read["project"]["value"]["value"]["money"],
        json!({ "amount": "1000000.25", "currency": "EUR" })
    );
}

/// Every commitment by status largest first, then by id, read three at a time through
/// the cursors: each with its status now (none where it has none).
fn by_status(e: &Editing) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut after = String::new();
    loop {
        let query = format!(
            r#"{{ commitments(orderBy: [{{ field: STATUS, direction: DESC }}], first: 3{after}) {{
                pageInfo {{ hasNextPage endCursor }} nodes {{ id status {{ value }} }} }} }}"#
        );
        let page = e.server.data(&query)["commitments"].clone();
        for node in page["nodes"].as_array().into_iter().flatten() {
            let id = node["id"].as_str().unwrap_or_default().to_string();
            let status = node["status"]["value"].as_str().map(str::to_string);
            out.push((id, status));
        }
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            return out;
        }
        after = format!(
            r#", after: "{}""#,
            page["pageInfo"]["endCursor"].as_str().unwrap()
        );
    }
}

#[test]
fn a_status_written_moves_its_commitment_in_the_filters_and_orders_by_status() {
    let e = editing();
    let fulfilled = |e: &Editing| -> Vec<String> {
        let query = r#"{ commitments(filter: { status: { eq: FULFILLED } }, first: 100) {
            totalCount nodes { id } } }"#;
        let list = e.server.data(query)["commitments"].clone();
        let ids: Vec<String> = list["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["id"].as_str().map(str::to_string))
            .collect();
        assert_eq!(list["totalCount"], json!(ids.len()));
        ids
    };
    // The order the list must have: statuses largest first (as their names sort), those
    // without one last, ties by id; and every commitment in it once.
    let sorted = |list: &[(String, Option<String>)]| {
        let mut want = list.to_vec();
        want.sort_by(|(a, x), (b, y)| match (x, y) {
            (Some(x), Some(y)) => y.cmp(x).then(a.cmp(b)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(b),
        });
        want
    };
    let before = by_status(&e);
    let count =
        e.server.data("{ commitments { totalCount } }")["commitments"]["totalCount"].clone();
    assert_eq!(json!(before.len()), count);
    assert_eq!(before, sorted(&before));
    let was = fulfilled(&e);
    let (moved, _) = before
        .iter()
        .find(|(_, status)| status.as_deref() != Some("FULFILLED"))
        .unwrap()
        .clone();
    let write = r#"mutation($changes: [ChangeInput!]!) {
      applyChanges(changes: $changes, reason: "the pledge was met") { version } }"#;
    let changes = json!([{ "addClaim": { "id": moved, "claim": { "commitmentStatus": {
        "key": "met", "value": "FULFILLED", "rank": "PREFERRED",
        "validFrom": { "date": "2026-01-15" }, "sources": cite() } } } }]);
    e.ok(write, json!({ "changes": changes }));
    // In the filter's list now, and in its new place in the order, read from the groups.
    let now = fulfilled(&e);
    assert_eq!(now.len(), was.len() + 1);
    assert!(now.contains(&moved), "{now:?}");
    let after = by_status(&e);
    assert_eq!(after, sorted(&after));
    assert!(after.contains(&(moved.clone(), Some("FULFILLED".into()))));
    assert_eq!(after.len(), before.len());
    // As of a day before the claim, it stands where it stood: no group answers then.
    let query = r#"{ commitments(filter: { status: { eq: FULFILLED } }, asOf: "2025-12-01",
        first: 100) { nodes { id } } }"#;
    let then = e.server.data(query)["commitments"]["nodes"].clone();
    assert!(
        !then.to_string().contains(&format!("\"{moved}\"")),
        "{then}"
    );
}
