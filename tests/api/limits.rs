//! The limits a request is held to before any work, over HTTP and the websocket: each at
//! its limit passing and one past it refused with its code, a message naming the limit and
//! the value found, and no `data`; hostile documents (deep nesting, fragment cycles and
//! bombs, circular introspection, a huge page) refused without harm to the server.

use std::net::TcpStream;
use std::time::Duration;

use serde_json::{Value, json};
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::helpers::{self, TestServer, server};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// POSTs `body` (JSON) accepting `accept`; the status and the JSON answer.
fn post_accept(base: &str, accept: &str, body: &Value) -> (u16, Value) {
    TestServer::read(
        crate::helpers::post(&format!("{base}/graphql"))
            .set("Content-Type", "application/json")
            .set("Accept", accept)
            .send_json(body.clone()),
    )
}

/// Asserts `query` is refused before any work with `code`, under both media types, with a
/// message holding each of `words`.
fn refused(s: &TestServer, query: &str, variables: Value, code: &str, words: &[&str]) {
    let body = json!({ "query": query, "variables": variables });
    let (status, answer) = post_accept(&s.base, GRAPHQL_RESPONSE, &body);
    assert_eq!(status, 400, "{answer}");
    assert!(answer.get("data").is_none(), "no data: {answer}");
    let errors = answer["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{answer}");
    assert_eq!(errors[0]["extensions"]["code"], code, "{answer}");
    let message = errors[0]["message"].as_str().unwrap_or_default();
    for word in words {
        assert!(message.contains(word), "`{word}` in {message}");
    }
    let (status, legacy) = post_accept(&s.base, "application/json", &body);
    assert_eq!(status, 200, "{legacy}");
    assert!(legacy.get("data").is_none(), "no data: {legacy}");
    assert_eq!(legacy["errors"][0]["extensions"]["code"], code, "{legacy}");
}

/// Asserts `query` passes the limits: no limit's code among its errors (it may still fail
/// for another reason, which `clean` rules out).
fn passes(s: &TestServer, query: &str, variables: Value) -> Value {
    let body = json!({ "query": query, "variables": variables });
    let (status, answer) = post_accept(&s.base, GRAPHQL_RESPONSE, &body);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.get("errors").is_none(), "{answer}");
    answer["data"].clone()
}

/// A page of 100 with three nested lists of 100 in it: 100,000,000 items.
const HUNDRED_TO_THE_FOURTH: &str = "{ countries(first: 100) { nodes { relations(first: 100) { \
    nodes { other { relations(first: 100) { nodes { other { relations(first: 100) { \
    nodes { id } } } } } } } } } } }";

/// A server over the real seed with `change` made to the default configuration.
fn tight(change: impl FnOnce(&mut pledgegraph::app::Config)) -> TestServer {
    let mut config = pledgegraph::app::Config::default();
    change(&mut config);
    let graph = std::sync::Arc::new(helpers::graph_owned());
    helpers::spawn_app(pledgegraph::app::App::with_graph(config, graph))
}

/// A query whose data fields nest `depth` deep (at least 2).
fn nested(depth: usize) -> String {
    // entity (1), then `relations { edges { node { other` (4 each), then a tail of 1 to 4.
    let rounds = (depth - 2) / 4;
    let tail = depth - 1 - 4 * rounds;
    let mut q = String::from(r#"{ entity(id: "country:jp") { "#);
    q.push_str(&"relations(first: 1) { edges { node { other { ".repeat(rounds));
    q.push_str(match tail {
        1 => "id",
        2 => "relations(first: 1) { totalCount }",
        3 => "relations(first: 1) { pageInfo { hasNextPage } }",
        _ => "relations(first: 1) { edges { node { id } } }",
    });
    q.push_str(&" } } } }".repeat(rounds));
    q.push_str(" } }");
    q
}

#[test]
fn depth_counts_data_fields_to_twelve() {
    let s = server();
    passes(s, &nested(12), json!({}));
    refused(
        s,
        &nested(13),
        json!({}),
        "MAX_DEPTH_EXCEEDED",
        &["13", "12", "max_query_depth"],
    );
}

#[test]
fn aliases_root_fields_and_directives_are_counted() {
    let s = server();
    let aliases = |n: usize| {
        let fields: Vec<String> = (0..n).map(|i| format!("a{i}: name")).collect();
        format!(r#"{{ country(code: "JP") {{ {} }} }}"#, fields.join(" "))
    };
    passes(s, &aliases(30), json!({}));
    // An alias in a list is written once, whatever the page holds.
    passes(
        s,
        "{ countries(first: 100) { nodes { label: name key: id } } }",
        json!({}),
    );
    refused(
        s,
        &aliases(31),
        json!({}),
        "TOO_MANY_ALIASES",
        &["31", "30", "max_aliases"],
    );
    let roots = |n: usize| format!("{{ {} }}", "stats { entities } ".repeat(n));
    passes(s, &roots(20), json!({}));
    refused(
        s,
        &roots(21),
        json!({}),
        "TOO_MANY_ROOT_FIELDS",
        &["21", "20", "max_root_fields"],
    );
    let directives = |n: usize| {
        let mut fields: Vec<String> = (0..n / 2)
            .map(|_| "name @include(if: true) @skip(if: false)".to_string())
            .collect();
        if n % 2 == 1 {
            fields.push("id @include(if: true)".into());
        }
        format!(r#"{{ country(code: "JP") {{ {} }} }}"#, fields.join(" "))
    };
    passes(s, &directives(50), json!({}));
    refused(
        s,
        &directives(51),
        json!({}),
        "TOO_MANY_DIRECTIVES",
        &["51", "50", "max_directives"],
    );
    let per_field = tight(|c| c.max_directives_per_field = 1);
    passes(
        &per_field,
        r#"{ country(code: "JP") { name @include(if: true) } }"#,
        json!({}),
    );
    refused(
        &per_field,
        r#"{ country(code: "JP") { name @include(if: true) @skip(if: false) } }"#,
        json!({}),
        "TOO_MANY_DIRECTIVES",
        &["2", "1", "max_directives_per_field"],
    );
}

#[test]
fn complexity_costs_lists_by_the_pages_they_may_return() {
    // countries 1 + edges 1 + n × (node 1 + id 1).
    let exact = tight(|c| c.max_complexity = 22);
    let page = |n: usize| format!("{{ countries(first: {n}) {{ edges {{ node {{ id }} }} }} }}");
    passes(&exact, &page(10), json!({}));
    refused(
        &exact,
        &page(11),
        json!({}),
        "COMPLEXITY_EXCEEDED",
        &["24", "22", "max_complexity"],
    );
    // The variable's value counts, as the literal would.
    refused(
        &exact,
        "query($n: Int) { countries(first: $n) { edges { node { id } } } }",
        json!({ "n": 11 }),
        "COMPLEXITY_EXCEEDED",
        &["24"],
    );

    let s = server();
    // A page of 100 with a nested page of 100 each, a dozen fields drawn: it fits.
    passes(
        s,
        r#"{ countries(first: 100) { totalCount pageInfo { hasNextPage endCursor }
             edges { cursor node { id name code aliases description
               relations(first: 100) { totalCount edges { cursor node {
                 id kind label outgoing other { id name kind } } } } } } } }"#,
        json!({}),
    );
    // The largest neighbourhood, as the explorer draws it (twice: view and expansion).
    let max = pledgegraph::app::Config::default().max_neighborhood_nodes;
    passes(
        s,
        r#"query($limit: Int!) {
             view: neighborhood(ids: ["country:jp"], depth: 4, limit: $limit) { ...G }
             expanded: neighborhood(ids: ["country:us"], depth: 1, limit: $limit) { ...G } }
           fragment G on Subgraph { truncated nodes { id kind label depth }
             edges { id kind source target label } }"#,
        json!({ "limit": max }),
    );
    // A page of 100 with three nested lists of 100 does not (11 deep: within the depth).
    let deep = HUNDRED_TO_THE_FOURTH;
    refused(
        s,
        deep,
        json!({}),
        "COMPLEXITY_EXCEEDED",
        &["1000000", "max_complexity"],
    );
}

#[test]
fn a_huge_page_is_refused_before_it_runs() {
    let s = server();
    refused(
        s,
        "{ countries(first: 99999999) { edges { node { id } } } }",
        json!({}),
        "PAGE_SIZE_EXCEEDED",
        &["99999999", "100"],
    );
    refused(
        s,
        "query($n: Int) { search(text: \"Japan\", first: $n) { entity { id } } }",
        json!({ "n": 99_999_999 }),
        "PAGE_SIZE_EXCEEDED",
        &["99999999"],
    );
}

#[test]
fn introspection_is_not_data_depth_but_may_not_go_round_and_round() {
    let s = server();
    let graphiql = std::fs::read_to_string(
        helpers::root().join("tests/fixtures/graphiql-introspection.graphql"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let data = passes(s, &graphiql, json!({}));
    assert!(
        data["__schema"]["types"]
            .as_array()
            .is_some_and(|t| t.len() > 100),
        "the whole schema"
    );
    let rounds = |n: usize| {
        format!(
            "{{ __schema {{ types {{ {} name {} }} }} }}",
            "fields { type { ".repeat(n),
            "} } ".repeat(n)
        )
    };
    passes(s, &rounds(3), json!({}));
    refused(
        s,
        &rounds(4),
        json!({}),
        "MAX_DEPTH_EXCEEDED",
        &["4 times", "3"],
    );
}

#[test]
fn fragment_cycles_and_bombs_are_refused() {
    let s = server();
    refused(
        s,
        r#"{ country(code: "JP") { ...A } }
           fragment A on Country { name ...B }
           fragment B on Country { id ...A }"#,
        json!({}),
        "GRAPHQL_VALIDATION_FAILED",
        &["spreads itself"],
    );
    // Forty fragments, each spreading the next twice: 2^40 fields, measured in 40 steps.
    let mut bomb = String::from(r#"{ country(code: "JP") { ...F0 } }"#);
    for i in 0..40 {
        bomb.push_str(&format!(
            " fragment F{i} on Country {{ ...F{n} ...F{n} }}",
            n = i + 1
        ));
    }
    bomb.push_str(" fragment F40 on Country { name }");
    refused(
        s,
        &bomb,
        json!({}),
        "COMPLEXITY_EXCEEDED",
        &["max_complexity"],
    );
}

#[test]
fn documents_are_held_to_their_length_and_nesting() {
    let s = server();
    let max = pledgegraph::app::Config::default().max_document_chars;
    let padded = |len: usize| {
        let q = r#"{ country(code: "JP") { name } }"#;
        format!("{q}{}", " ".repeat(len - q.len()))
    };
    passes(s, &padded(max), json!({}));
    refused(
        s,
        &padded(max + 1),
        json!({}),
        "DOCUMENT_TOO_LARGE",
        &["15001", "15000", "max_document_chars"],
    );
    // 10,000 nested braces, and the deepest nesting that fits the length.
    let braces = |n: usize| format!("{}{}", "{".repeat(n), "}".repeat(n));
    refused(
        s,
        &braces(10_000),
        json!({}),
        "DOCUMENT_TOO_LARGE",
        &["20000"],
    );
    refused(
        s,
        &braces(max / 2),
        json!({}),
        "MAX_DEPTH_EXCEEDED",
        &["7500 levels", "128"],
    );
    // Nested input values too, and over GET, where the document is looked at first.
    let lists = format!(
        r#"{{ search(text: "x", kinds: {}COUNTRY{}) {{ entity {{ id }} }} }}"#,
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    refused(s, &lists, json!({}), "MAX_DEPTH_EXCEEDED", &["5002 levels"]);
    let query = braces(2_000);
    let encoded: String = query
        .chars()
        .map(|c| if c == '{' { "%7B" } else { "%7D" })
        .collect();
    let (status, response) = s.get(&format!("/graphql?query={encoded}"));
    let body: Value =
        serde_json::from_str(&response.into_string().unwrap_or_default()).unwrap_or_default();
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "MAX_DEPTH_EXCEEDED",
        "{body}"
    );
    // The server is still there.
    assert_eq!(
        s.data(r#"{ country(code: "JP") { name } }"#)["country"]["name"],
        "Japan"
    );
}

#[test]
fn batches_hold_at_most_five_operations_or_none() {
    let s = server();
    let batch = |n: usize| Value::Array(vec![json!({ "query": "{ stats { entities } }" }); n]);
    let (status, answer) = post_accept(&s.base, GRAPHQL_RESPONSE, &batch(5));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer.as_array().map(Vec::len), Some(5), "{answer}");
    for accept in [GRAPHQL_RESPONSE, "application/json"] {
        let (status, answer) = post_accept(&s.base, accept, &batch(6));
        assert_eq!(
            status,
            if accept == GRAPHQL_RESPONSE { 400 } else { 200 },
            "{answer}"
        );
        assert!(answer.get("data").is_none(), "{answer}");
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BATCH_TOO_LARGE");
        let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains('6') && message.contains("max_batch"),
            "{message}"
        );
    }
    let off = tight(|c| c.max_batch = 0);
    let (_, answer) = post_accept(&off.base, GRAPHQL_RESPONSE, &batch(1));
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "BATCH_TOO_LARGE",
        "{answer}"
    );
    // One operation, not in an array, is not a batch.
    passes(&off, "{ stats { entities } }", json!({}));
}

#[test]
fn a_bad_date_or_decimal_literal_is_refused_before_it_runs() {
    let s = server();
    for query in [
        r#"{ events(filter: { date: { gte: "2025-02-30" } }) { totalCount } }"#,
        r#"{ neighborhood(ids: ["country:jp"], asOf: "2025-13") { truncated } }"#,
    ] {
        let body = json!({ "query": query });
        let (status, answer) = post_accept(&s.base, GRAPHQL_RESPONSE, &body);
        assert_eq!(status, 400, "{query}: {answer}");
        assert!(answer.get("data").is_none(), "{answer}");
        let code = answer["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_default();
        assert!(
            ["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"].contains(&code),
            "{answer}"
        );
    }
}

#[test]
fn the_limits_are_listed() {
    let limits = server().data(
        "{ limits { maxDocumentChars maxQueryDepth maxAliases maxRootFields
            maxDirectivesPerField maxDirectives maxBatch maxComplexity } }",
    )["limits"]
        .clone();
    assert_eq!(
        limits,
        json!({ "maxDocumentChars": 15000, "maxQueryDepth": 12, "maxAliases": 30,
                "maxRootFields": 20, "maxDirectivesPerField": 5, "maxDirectives": 50,
                "maxBatch": 5, "maxComplexity": 1000000 })
    );
}

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

fn connect(base: &str) -> Socket {
    let url = format!("{}/graphql/ws", base.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().unwrap_or_else(|e| panic!("{e}"));
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        tungstenite::http::HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut socket, _) = tungstenite::connect(request).unwrap_or_else(|e| panic!("{e}"));
    if let MaybeTlsStream::Plain(stream) = socket.get_mut() {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    }
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": {} }),
    );
    assert_eq!(receive(&mut socket)["type"], "connection_ack");
    socket
}

fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::text(message.to_string()))
        .unwrap_or_else(|e| panic!("{e}"));
}

fn receive(socket: &mut Socket) -> Value {
    loop {
        match socket.read().unwrap_or_else(|e| panic!("{e}")) {
            Message::Text(text) => {
                let message: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
                if message["type"] == "ping" {
                    send(socket, json!({ "type": "pong" }));
                    continue;
                }
                return message;
            }
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("unexpected message {other:?}"),
        }
    }
}

/// The errors' codes of operation `id` (none when it answered data), read up to its end.
fn ws_codes(socket: &mut Socket, id: &str, query: &str) -> Vec<String> {
    send(
        socket,
        json!({ "id": id, "type": "subscribe", "payload": { "query": query } }),
    );
    let mut codes = Vec::new();
    loop {
        let message = receive(socket);
        assert_eq!(message["id"], id, "{message}");
        let errors = match message["type"].as_str() {
            Some("next") => message["payload"]["errors"].clone(),
            Some("error") => message["payload"].clone(),
            _ => break,
        };
        for e in errors.as_array().into_iter().flatten() {
            codes.push(
                e["extensions"]["code"]
                    .as_str()
                    .unwrap_or("<none>")
                    .to_string(),
            );
        }
        if message["type"] == "error" {
            break;
        }
    }
    codes
}

#[test]
fn the_limits_hold_over_the_websocket() {
    let s = server();
    let mut socket = connect(&s.base);
    let aliases = |n: usize| {
        let fields: Vec<String> = (0..n).map(|i| format!("a{i}: name")).collect();
        format!(r#"{{ country(code: "JP") {{ {} }} }}"#, fields.join(" "))
    };
    let cases: Vec<(String, Vec<&str>)> = vec![
        (nested(12), vec![]),
        (nested(13), vec!["MAX_DEPTH_EXCEEDED"]),
        (aliases(30), vec![]),
        (aliases(31), vec!["TOO_MANY_ALIASES"]),
        (
            format!("{{ {} }}", "stats { entities } ".repeat(21)),
            vec!["TOO_MANY_ROOT_FIELDS"],
        ),
        (
            HUNDRED_TO_THE_FOURTH.into(),
            vec!["COMPLEXITY_EXCEEDED"],
        ),
        (
            "{ countries(first: 99999999) { totalCount } }".into(),
            vec!["PAGE_SIZE_EXCEEDED"],
        ),
        (
            format!("{{ stats {{ entities }} }}{}", " ".repeat(15_000)),
            vec!["DOCUMENT_TOO_LARGE"],
        ),
        (
            format!("{}{}", "{".repeat(7_000), "}".repeat(7_000)),
            vec!["MAX_DEPTH_EXCEEDED"],
        ),
        (
            "{ country(code: \"JP\") { ...A } } fragment A on Country { ...B } fragment B on Country { ...A }".into(),
            vec!["GRAPHQL_VALIDATION_FAILED"],
        ),
        (r#"{ country(code: "JP") { name } }"#.into(), vec![]),
    ];
    for (i, (query, expected)) in cases.iter().enumerate() {
        let codes = ws_codes(&mut socket, &i.to_string(), query);
        assert_eq!(&codes, expected, "{query}");
    }
}

/// A server over a generated graph of 3,000 entities with 20 relations each, where pages
/// of relations are full and nested pages multiply.
fn generated() -> TestServer {
    use pledgegraph::model::Change;
    use pledgegraph::seed::Record;
    use pledgegraph::seed::generate::{GenerateOptions, generate};
    let options = GenerateOptions {
        entities: 3_000,
        relations_per_entity: 20,
        rng_seed: 7,
    };
    let mut generator = generate(&options).unwrap_or_else(|e| panic!("{e}"));
    let changes: Vec<Change> = generator
        .by_ref()
        .map(|r| match r {
            Record::Entity(entity) => Change::CreateEntity { entity },
            Record::Relation(relation) => Change::AddRelation { relation },
        })
        .collect();
    let graph =
        pledgegraph::graph::KnowledgeGraph::from_seed(changes).unwrap_or_else(|e| panic!("{e}"));
    let config = pledgegraph::app::Config::default();
    helpers::spawn_app(pledgegraph::app::App::with_graph(
        config,
        std::sync::Arc::new(graph),
    ))
}

#[test]
fn a_heavy_query_is_refused_without_being_run_on_a_large_graph() {
    let s = generated();
    // What one level of it holds here: a full page of relations.
    let one = s.data(
        r#"{ entities: countries(first: 1) { nodes { relations(first: 100) { totalCount } } } }"#,
    );
    let relations = one["entities"]["nodes"][0]["relations"]["totalCount"]
        .as_u64()
        .unwrap_or_default();
    assert!(relations >= 20, "{one}");
    // Run, it would resolve some 20^3 × 100 entities and more; it is refused at once.
    refused(
        &s,
        HUNDRED_TO_THE_FOURTH,
        json!({}),
        "COMPLEXITY_EXCEEDED",
        &["max_complexity"],
    );
    assert!(s.data("{ stats { entities } }")["stats"]["entities"].as_u64() >= Some(3_000));
}
