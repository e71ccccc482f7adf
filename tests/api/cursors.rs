//! Keyset cursors over HTTP: a cursor taken from a page keeps its place when the graph
//! changes around its item, in place on one server or as a second server over a grown
//! graph, and cursors of another list, another ordering or the old offset kind are refused
//! with a reason.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::helpers::{self, TestServer};

/// Organizations added around `org:federal-reserve` ("Federal Reserve") by name: before
/// it, tying with it and before or after it by id (any case), and after it.
const ADDED_BEFORE: [(&str, &str); 2] = [
    ("org:airbus", "Airbus"),
    ("org:a-federal-reserve", "Federal Reserve"),
];
const ADDED_AFTER: [(&str, &str); 3] = [
    ("org:zz-federal-reserve", "federal reserve"),
    ("org:keidanren", "Keidanren"),
    ("org:zenkoku", "Zenkoku"),
];

/// The server over the seed grown by the added organizations, each a copy of CNBC under
/// its own id and name (so each is also based in the US, which grows the US's relations).
fn grown() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let added: Vec<(String, String)> = ADDED_BEFORE
            .iter()
            .chain(&ADDED_AFTER)
            .map(|(id, name)| (id.to_string(), name.to_string()))
            .collect();
        grown_by(&added)
    })
}

/// A server over the seed with `added` organizations (id, name), each a copy of CNBC.
fn grown_by(added: &[(String, String)]) -> TestServer {
    let seed = pledgegraph::seed::load_dir(&helpers::seed_dir())
        .unwrap_or_else(|e| panic!("the seed must load: {e}"));
    let model = seed
        .nodes
        .iter()
        .find(|n| n.id.as_str() == "org:cnbc")
        .cloned()
        .unwrap_or_else(|| panic!("the seed has no org:cnbc"));
    let mut nodes = seed.nodes;
    for (id, name) in added {
        let mut node = model.clone();
        node.id = helpers::id(id);
        node.name = name.clone();
        node.aliases.clear();
        nodes.push(node);
    }
    let graph = pledgegraph::graph::KnowledgeGraph::build(nodes, seed.relations)
        .unwrap_or_else(|e| panic!("the grown seed must build: {e}"));
    helpers::spawn_app(pledgegraph::app::App::with_graph(
        pledgegraph::app::Config::default(),
        Arc::new(graph),
    ))
}

/// A page: the names of its items and its connection (for cursors and page info).
fn page(server: &TestServer, list: &str, args: Value) -> (Vec<String>, Value) {
    let query = match list {
        "organizations" => {
            "query($first: Int, $last: Int, $after: String, $before: String) {
                organizations(orderBy: [{ field: NAME }], first: $first, last: $last, after: $after, before: $before) {
                    totalCount pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
                    edges { cursor node { id } } } }"
        }
        _ => {
            "query($first: Int, $last: Int, $after: String, $before: String) {
                entity(id: \"country:us\") { relations(first: $first, last: $last, after: $after, before: $before) {
                    totalCount pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
                    edges { cursor node { kind outgoing other { id } } } } } }"
        }
    };
    let data = server.data_with(query, args);
    let conn = if list == "organizations" {
        data["organizations"].clone()
    } else {
        data["entity"]["relations"].clone()
    };
    let names = conn["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let n = &e["node"];
            match n["id"].as_str() {
                Some(id) => id.to_string(),
                None => format!("{} {} {}", n["kind"], n["outgoing"], n["other"]["id"]),
            }
        })
        .collect();
    (names, conn)
}

fn cursor(conn: &Value, which: &str) -> String {
    conn["pageInfo"][which]
        .as_str()
        .unwrap_or_else(|| panic!("no {which} in {conn}"))
        .to_string()
}

/// Every item of a connection, paged `size` at a time forward (`first`, `after`) or back
/// from its end (`last`, `before`), in the list's order either way: `fetch` answers a
/// page's items and its connection for the arguments given.
fn page_through<T>(
    forward: bool,
    size: usize,
    mut fetch: impl FnMut(Value) -> (Vec<T>, Value),
) -> Vec<T> {
    let (count, cursor_arg, end, more) = if forward {
        ("first", "after", "endCursor", "hasNextPage")
    } else {
        ("last", "before", "startCursor", "hasPreviousPage")
    };
    let (mut seen, mut at) = (Vec::new(), None::<String>);
    loop {
        let (mut items, conn) = fetch(json!({ count: size, cursor_arg: at }));
        assert!(items.len() <= size, "a page of more than {size}");
        if !forward {
            items.reverse();
        }
        seen.extend(items);
        if conn["pageInfo"][more] != true {
            break;
        }
        at = Some(cursor(&conn, end));
    }
    if !forward {
        seen.reverse();
    }
    seen
}

/// Takes page one (`first` items) of `list` on the seed's graph, then the rest after its
/// end cursor on the grown graph: the two pages hold every item of the seed's list once,
/// in order, and what was added after the cursor but nothing added before it.
fn no_gap_and_no_repeat(list: &str, first: usize) -> (Vec<String>, Vec<String>) {
    let seed = helpers::server();
    let (all, conn) = page(seed, list, json!({ "first": 100 }));
    assert!(all.len() > first, "{list} needs more than one page");
    assert_eq!(conn["pageInfo"]["hasNextPage"], false);
    let (one, conn) = page(seed, list, json!({ "first": first }));
    let after = cursor(&conn, "endCursor");
    let (two, conn) = page(grown(), list, json!({ "first": 100, "after": after }));
    assert_eq!(conn["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(conn["pageInfo"]["hasNextPage"], false);
    let both: Vec<String> = one.iter().chain(&two).cloned().collect();
    let unique: HashSet<&String> = both.iter().collect();
    assert_eq!(unique.len(), both.len(), "an item repeats: {both:?}");
    let old: HashSet<&String> = all.iter().collect();
    let of_seed: Vec<String> = both.iter().filter(|n| old.contains(n)).cloned().collect();
    assert_eq!(
        of_seed, all,
        "every item of the seed's list, once and in order"
    );
    // Backwards from the same cursor on the grown graph: page one but its last item,
    // with what was added before the cursor.
    let (back, _) = page(grown(), list, json!({ "last": 100, "before": after }));
    let back_of_seed: Vec<&String> = back.iter().filter(|n| old.contains(n)).collect();
    assert_eq!(back_of_seed, one.iter().take(first - 1).collect::<Vec<_>>());
    (two, back)
}

#[test]
fn organizations_by_name_page_on_across_a_grown_graph() {
    let (two, back) = no_gap_and_no_repeat("organizations", 4);
    let (_, all) = page(helpers::server(), "organizations", json!({ "first": 4 }));
    assert_eq!(
        all["edges"][3]["node"]["id"], "org:federal-reserve",
        "the cursor sits on Federal Reserve"
    );
    for (id, _) in ADDED_AFTER {
        assert!(
            two.contains(&id.to_string()),
            "{id} sorts after the cursor: {two:?}"
        );
    }
    for (id, _) in ADDED_BEFORE {
        assert!(
            !two.contains(&id.to_string()),
            "{id} sorts before the cursor"
        );
        assert!(
            back.contains(&id.to_string()),
            "{id} sorts before the cursor"
        );
    }
}

#[test]
fn relations_page_on_across_a_grown_graph() {
    // Page one ends on CNBC's `BASED_IN` edge to the US; the added organizations' edges
    // of that kind sort around it by the other end's id.
    let (two, back) = no_gap_and_no_repeat("relations", 4);
    let based_in =
        |names: &[String], id: &str| names.contains(&format!("\"BASED_IN\" false \"{id}\""));
    for (id, _) in ADDED_AFTER {
        assert!(based_in(&two, id), "{id} sorts after the cursor: {two:?}");
    }
    for (id, _) in ADDED_BEFORE {
        assert!(
            !based_in(&two, id) && based_in(&back, id),
            "{id} sorts before the cursor"
        );
    }
}

/// The US made a hub by two hundred organizations based there, half of them with ids
/// alike in their first sixteen bytes: its relations, paged forward seven at a time and
/// back from the end, are each met once, the same both ways, as many as `totalCount`.
#[test]
fn a_hubs_relations_page_through_every_relation_once_both_ways() {
    let added: Vec<(String, String)> = (0..200)
        .map(|i| {
            let id = match i % 2 {
                0 => format!("org:a-long-shared-prefix-{i}"),
                _ => format!("org:hub-{i}"),
            };
            (id, format!("Outlet {i}"))
        })
        .collect();
    let server = grown_by(&added);
    let mut total = 0;
    let mut fetch = |args: Value| {
        let (names, conn) = page(&server, "relations", args);
        total = conn["totalCount"].as_u64().unwrap_or_default() as usize;
        (names, conn)
    };
    let forward = page_through(true, 7, &mut fetch);
    let backward = page_through(false, 7, &mut fetch);
    assert!(total > 200, "the US is a hub: {total}");
    assert_eq!(forward.len(), total);
    assert_eq!(forward, backward, "the same relations both ways");
    let unique: HashSet<&String> = forward.iter().collect();
    assert_eq!(unique.len(), total, "a relation repeats");
    for (id, _) in &added {
        let based_in = format!("\"BASED_IN\" false \"{id}\"");
        assert!(forward.contains(&based_in), "{id} is met");
    }
    let (first, _) = page(&server, "relations", json!({ "first": 100 }));
    assert_eq!(first, forward[..100], "one large page is the walk's start");
}

/// The codes and messages of the errors of a query that must fail.
fn refused(query: &str, variables: Value) -> Vec<(String, String)> {
    helpers::server().errors(query, variables)
}

#[test]
fn cursors_of_another_list_or_ordering_and_old_cursors_are_refused() {
    let (_, conn) = page(helpers::server(), "organizations", json!({ "first": 2 }));
    let by_name = cursor(&conn, "endCursor");
    let (_, conn) = page(helpers::server(), "relations", json!({ "first": 2 }));
    let relation = cursor(&conn, "endCursor");
    let cases = [
        (
            "query($c: String) { organizations(orderBy: [{ field: NAME, direction: DESC }], after: $c) { totalCount } }",
            by_name.clone(),
            "orderBy",
        ),
        (
            "query($c: String) { organizations(before: $c) { totalCount } }",
            by_name.clone(),
            "orderBy",
        ),
        (
            "query($c: String) { people(orderBy: [{ field: NAME }], after: $c) { totalCount } }",
            by_name,
            "first page",
        ),
        (
            "query($c: String) { organizations(after: $c) { totalCount } }",
            relation.clone(),
            "first page",
        ),
        (
            "query($c: String) { entity(id: \"country:jp\") { relations(after: $c) { totalCount } } }",
            relation,
            "first page",
        ),
        (
            "query($c: String) { organizations(after: $c) { totalCount } }",
            URL_SAFE_NO_PAD.encode("at:3"),
            "older version",
        ),
        (
            "query($c: String) { timeline(after: $c) { totalCount } }",
            URL_SAFE_NO_PAD.encode("k1:{\"o\":\"timeline\",\"k\":[1.5]}"),
            "not a valid cursor",
        ),
    ];
    for (query, c, hint) in cases {
        let errors = refused(query, json!({ "c": c }));
        assert_eq!(errors.len(), 1, "{errors:?}");
        let (code, message) = &errors[0];
        assert_eq!(code, "BAD_USER_INPUT", "{query}");
        assert!(message.contains(hint), "{query}: {message}");
    }
}

#[test]
fn the_timeline_pages_forward_and_back_through_every_entry_once() {
    let s = helpers::server();
    let query = "query($first: Int, $last: Int, $after: String, $before: String,
            $from: Date, $to: Date) {
        timeline(first: $first, last: $last, after: $after, before: $before,
                from: $from, to: $to) {
            totalCount
            pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
            nodes { kind title entity { id } date { display } } } }";
    let all = s.data_with(query, json!({ "first": 100 }))["timeline"]["nodes"].clone();
    let all = all.as_array().cloned().unwrap_or_default();
    assert!(all.len() > 6, "a timeline of several pages");
    let (mut forward, mut after) = (Vec::new(), Value::Null);
    loop {
        let t = s.data_with(query, json!({ "first": 3, "after": after }))["timeline"].clone();
        assert_eq!(t["totalCount"], all.len(), "{t}");
        forward.extend(t["nodes"].as_array().cloned().unwrap_or_default());
        if t["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = t["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(forward, all);
    let (mut backward, mut before) = (Vec::new(), Value::Null);
    loop {
        let t = s.data_with(query, json!({ "last": 4, "before": before }))["timeline"].clone();
        let nodes = t["nodes"].as_array().cloned().unwrap_or_default();
        backward.splice(0..0, nodes);
        if t["pageInfo"]["hasPreviousPage"] != true {
            break;
        }
        before = t["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backward, all);
    // Between two dates, the count and the pages are of the entries in the window.
    let dated = json!({ "first": 100, "from": "2025-07-23", "to": "2025-08" });
    let window = s.data_with(query, dated)["timeline"].clone();
    let inside = window["nodes"].as_array().cloned().unwrap_or_default();
    assert!(
        !inside.is_empty() && inside.len() < all.len(),
        "{}",
        inside.len()
    );
    assert_eq!(window["totalCount"], inside.len());
    let two = json!({ "first": 2, "from": "2025-07-23", "to": "2025-08" });
    let t = s.data_with(query, two)["timeline"].clone();
    assert_eq!(
        t["nodes"].as_array().map(|n| n[..].to_vec()),
        Some(inside[..2].to_vec())
    );
    assert_eq!(t["pageInfo"]["hasNextPage"], inside.len() > 2);
}

#[test]
fn a_cursor_keeps_its_place_while_changes_land_between_pages() {
    use pledgegraph::model::Change;
    let app = pledgegraph::app::App::with_graph(
        pledgegraph::app::Config::default(),
        Arc::new(helpers::graph_owned()),
    );
    let server = helpers::spawn_app(app.clone());
    let (all, _) = page(&server, "organizations", json!({ "first": 100 }));
    let (one, conn) = page(&server, "organizations", json!({ "first": 4 }));
    let after = cursor(&conn, "endCursor");
    let model = helpers::node("org:cnbc").clone();
    let added = |id: &str, name: &str| {
        let mut node = model.clone();
        node.id = helpers::id(id);
        node.name = name.to_string();
        node.aliases.clear();
        Change::CreateEntity { entity: node }
    };
    // One sorts before every item, one level with the cursor's item, one after all.
    let level = one.last().cloned().unwrap_or_default();
    let level_name = helpers::node(&level).name.clone();
    let version = app
        .store()
        .apply(vec![
            added("org:aaa-first", "AAA First"),
            added("org:zzz-level", &level_name),
            added("org:zzz-last", "Zzz Last"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(version, 1);
    let (two, conn) = page(
        &server,
        "organizations",
        json!({ "first": 100, "after": after }),
    );
    assert_eq!(conn["totalCount"], json!(all.len() + 3));
    let both: Vec<String> = one.iter().chain(&two).cloned().collect();
    let unique: HashSet<&String> = both.iter().collect();
    assert_eq!(unique.len(), both.len(), "an item repeats: {both:?}");
    let old: HashSet<&String> = all.iter().collect();
    let of_before: Vec<String> = both.iter().filter(|n| old.contains(n)).cloned().collect();
    assert_eq!(of_before, all, "every item that was there, once, in order");
    assert!(two.contains(&"org:zzz-level".to_string()), "{two:?}");
    assert_eq!(two.last().map(String::as_str), Some("org:zzz-last"));
    assert!(
        !two.contains(&"org:aaa-first".to_string()),
        "added before the cursor"
    );
}

/// A page keeps its items' keys only where a cursor can be asked for: each edge's cursor,
/// asked through fragments, and the end cursor of a page that asks for no edge's cursor,
/// both page on to the same items.
#[test]
fn cursors_asked_through_fragments_and_an_end_cursor_alone_page_on_alike() {
    let server = helpers::server();
    let ids = |page: &Value| -> Vec<String> {
        page["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(
                page["edges"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| &e["node"]),
            )
            .filter_map(|n| n["id"].as_str().map(str::to_string))
            .collect()
    };
    let spread = server.data(
        "{ organizations(first: 4) { ...Page } }
         fragment Page on OrganizationConnection { edges { ...Edge } pageInfo { endCursor } }
         fragment Edge on OrganizationEdge { cursor node { id } }",
    );
    let edges = spread["organizations"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edges.len(), 4, "{spread}");
    let lean = server.data("{ organizations(first: 4) { nodes { id } pageInfo { endCursor } } }");
    let end = &lean["organizations"]["pageInfo"]["endCursor"];
    assert_eq!(end, &edges[3]["cursor"], "{lean}");
    assert_eq!(end, &spread["organizations"]["pageInfo"]["endCursor"]);
    let from = |cursor: &Value| {
        let page = server.data_with(
            "query ($after: String) { organizations(first: 2, after: $after) { nodes { id } } }",
            json!({ "after": cursor }),
        );
        ids(&page["organizations"])
    };
    let all = ids(&server.data("{ organizations(first: 6) { nodes { id } } }")["organizations"]);
    assert_eq!(from(&edges[1]["cursor"]), all[2..4].to_vec());
    assert_eq!(from(end), all[4..6].to_vec());
    // The same field twice, merged into one answer: each occurrence keeps what it asks.
    let merged = server.data(
        "{ organizations(first: 4) { nodes { id } } organizations(first: 4) { edges { cursor } } }",
    );
    let cursors: Vec<&Value> = merged["organizations"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| &e["cursor"])
        .collect();
    let asked: Vec<&Value> = edges.iter().map(|e| &e["cursor"]).collect();
    assert_eq!(cursors, asked, "{merged}");
}

/// The first day of a date to its precision ("2025-07" → "2025-07-01"), which orders it.
fn first_day(date: &str) -> String {
    match date.len() {
        4 => format!("{date}-01-01"),
        7 => format!("{date}-01"),
        _ => date.to_string(),
    }
}

/// The statements by date, latest first, as `(id, first day or none)`, paged
/// `size` at a time forward and then back from the end: each way meets every statement
/// of the whole list once, in its order.
/// A statement as the lists by date show it: its id, its first day, its name.
type Dated = (String, Option<String>, String);

fn statements_by_date(server: &TestServer, size: usize) -> Vec<Dated> {
    statements_in(server, "[{ field: DATE, direction: DESC }]", size)
}

/// The seed's statements in `order` (a GraphQL `orderBy` list), read whole and paged
/// `size` at a time both ways, which must agree.
fn statements_in(server: &TestServer, order: &str, size: usize) -> Vec<Dated> {
    let query = format!(
        "query($first: Int, $last: Int, $after: String, $before: String) {{
        statements(orderBy: {order}, first: $first, last: $last, after: $after, before: $before) {{
            totalCount pageInfo {{ startCursor endCursor hasNextPage hasPreviousPage }}
            edges {{ node {{ id name date {{ date notBefore {{ date }} }} }} }} }} }}"
    );
    let query = query.as_str();
    let items = |conn: &Value| -> Vec<Dated> {
        let edges = conn["edges"].as_array().into_iter().flatten();
        edges
            .map(|e| {
                let n = &e["node"];
                let w = &n["date"];
                let day = w["date"].as_str().or(w["notBefore"]["date"].as_str());
                (
                    n["id"].as_str().unwrap_or_default().to_string(),
                    day.map(first_day),
                    n["name"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    let whole = server.data_with(query, json!({ "first": 100 }))["statements"].clone();
    let all = items(&whole);
    assert_eq!(whole["totalCount"].as_u64(), Some(all.len() as u64));
    assert!(all.len() > 2 * size, "the list needs more than two pages");
    for forward in [true, false] {
        let seen = page_through(forward, size, |args| {
            let data = server.data_with(query, args);
            let conn = data["statements"].clone();
            (items(&conn), conn)
        });
        assert_eq!(seen, all, "paged {size} at a time, forward: {forward}");
    }
    all
}

/// Statements by date, latest first, over HTTP: paged both ways they are the whole list,
/// whose dated statements come latest first with the undated after; a statement written
/// later comes in at its date's place, and the pages still agree.
#[test]
fn statements_by_date_page_through_every_statement_once_and_take_in_a_new_one() {
    let e = crate::writes::editing();
    let all = statements_by_date(&e.server, 3);
    let days: Vec<&str> = all.iter().filter_map(|(_, d, _)| d.as_deref()).collect();
    assert!(
        days.windows(2).all(|w| w[0] >= w[1]),
        "latest first: {days:?}"
    );
    let undated = all
        .iter()
        .position(|(_, d, _)| d.is_none())
        .unwrap_or(all.len());
    assert!(
        all[undated..].iter().all(|(_, d, _)| d.is_none()),
        "undated last: {all:?}"
    );
    let create = r#"mutation($sources: [CitationInput!]!) {
      createEntity(input: { statement: { id: "statement:test-remark", name: "A remark",
        description: "A remark made up for a test.", kind: REMARK, date: { date: "2025-07-23" },
        sources: $sources } }, reason: "test") { version }
    }"#;
    e.ok(create, json!({ "sources": crate::writes::cite() }));
    let grown = statements_by_date(&e.server, 3);
    let at = grown
        .iter()
        .position(|(id, ..)| id == "statement:test-remark")
        .unwrap_or_else(|| panic!("the new statement is listed: {grown:?}"));
    let mut without = grown.clone();
    without.remove(at);
    assert_eq!(without, all, "the others as before");
    let day = |i: usize| grown.get(i).and_then(|(_, d, _)| d.as_deref());
    assert!(
        at == 0 || day(at - 1).is_some_and(|d| d >= "2025-07-23"),
        "{grown:?}"
    );
    assert!(day(at + 1).is_none_or(|d| d <= "2025-07-23"), "{grown:?}");
}

/// Statements by date latest first and then by name, over HTTP: paged both ways they are
/// the whole list, which is the list by date with each day's statements put in order of
/// their names (ignoring case), then of their ids.
#[test]
fn statements_by_date_then_name_sort_each_day_by_name() {
    let server = helpers::server();
    let order = "[{ field: DATE, direction: DESC }, { field: NAME }]";
    let all = statements_in(server, order, 2);
    let mut expected = statements_by_date(server, 3);
    // Stable: each day's statements keep the list's id order where names tie.
    expected.sort_by(|a, b| {
        let by_day = match (&a.1, &b.1) {
            (Some(x), Some(y)) => y.cmp(x),
            (x, y) => y.is_some().cmp(&x.is_some()),
        };
        by_day.then_with(|| a.2.to_lowercase().cmp(&b.2.to_lowercase()))
    });
    assert_eq!(all, expected);
    let ties = all.windows(2).filter(|w| w[0].1 == w[1].1).count();
    assert!(ties > 0, "some day holds two statements: {all:?}");
}
