//! Exploring who pledged what over HTTP on the real seed: what each side
//! gave and got, how values changed, connections, neighbourhoods, exact
//! totals, values as of a date, a timeline, and the bounds on the work.

use crate::helpers;

use serde_json::{Value, json};

use crate::helpers::server;

fn list<'a>(v: &'a Value, key: &str) -> Vec<&'a str> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x[key].as_str())
        .collect()
}

#[test]
fn what_japan_gave_and_got_in_the_us_deal() {
    let d = server().data(
        r#"{ deal(id: "deal:us-jp-2025") { exchange {
            party { id }
            gave { id amount { value { display } } }
            got { measure { id } before { value { totalPercent } } after { value { totalPercent } validFrom { date inferred notBefore { date } notAfter { date } } } }
            conceded { measure { id } }
            received { id }
        } } }"#,
    );
    let sides = d["deal"]["exchange"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let japan = sides
        .iter()
        .find(|s| s["party"]["id"] == "country:jp")
        .cloned()
        .unwrap_or_default();
    let gave: Vec<&str> = japan["gave"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_str())
        .collect();
    for pledge in [
        "commitment:jp-us-investment-2025",
        "commitment:jp-defense-procurement-2025",
        "commitment:jp-us-rice-imports-2025",
        "commitment:jp-us-goods-purchase-2025",
    ] {
        assert!(gave.contains(&pledge), "Japan gave {pledge}: {gave:?}");
    }
    let got = japan["got"].as_array().cloned().unwrap_or_default();
    let cars = got
        .iter()
        .find(|c| c["measure"]["id"] == "tariff:us-jp-autos-2025")
        .cloned()
        .unwrap_or_default();
    assert_eq!(cars["before"]["value"]["totalPercent"], "27.5");
    assert_eq!(cars["after"]["value"]["totalPercent"], "15");
    assert_eq!(
        cars["after"]["validFrom"],
        json!({ "date": null, "inferred": true, "notBefore": { "date": "2025-07-22" }, "notAfter": null }),
        "the article does not say from when 15% applies"
    );
    let reciprocal = got
        .iter()
        .find(|c| c["measure"]["id"] == "tariff:us-jp-reciprocal-2025")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (
            reciprocal["before"]["value"]["totalPercent"].as_str(),
            reciprocal["after"]["value"]["totalPercent"].as_str()
        ),
        (Some("25"), Some("15"))
    );
    let us = sides
        .iter()
        .find(|s| s["party"]["id"] == "country:us")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        list(
            &us["conceded"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|c| c["measure"].clone())
                .collect::<Value>(),
            "id"
        )
        .len(),
        2
    );
    assert!(list(&us["received"], "id").contains(&"commitment:jp-us-investment-2025"));
}

#[test]
fn compare_puts_japan_and_korea_side_by_side() {
    let d = server().data(r#"{ compare(countries: ["country:jp", "country:kr"]) { party { id } gave { id } got { measure { id } after { value { totalPercent } } } } }"#);
    let sides = d["compare"].as_array().cloned().unwrap_or_default();
    assert_eq!(sides.len(), 2);
    assert!(sides[0]["gave"].as_array().map_or(0, Vec::len) >= 6);
    assert!(
        list(&sides[1]["gave"], "id").is_empty(),
        "Korea has pledged nothing"
    );
    assert_eq!(
        sides[1]["got"][0]["measure"]["id"],
        "tariff:us-kr-threatened-2025"
    );
    assert_eq!(
        sides[1]["got"][0]["after"],
        Value::Null,
        "the threatened tariffs have no rate"
    );
}

#[test]
fn how_the_investment_figure_changed_when_and_by_whose_hand() {
    let d = server().data(
        r#"{ commitment(id: "commitment:jp-us-investment-2025") {
            amountHistory { value { display } validFrom { date inferred } validUntil { date } madeBy { id } rank supersedes }
            before: amount(asOf: "2025-07-21") { value { display } }
            during: amount(asOf: "2025-07-22") { value { display } }
        } }"#,
    );
    let c = &d["commitment"];
    let history: Vec<(&str, &str)> = c["amountHistory"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            (
                h["value"]["display"].as_str().unwrap_or(""),
                h["madeBy"]["id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            ("USD 400 billion", "org:japan-delegation"),
            ("USD 500 billion", "person:donald-trump"),
            // The article contradicts itself on who set the final figure: both accounts.
            ("USD 550 billion", "country:us"),
            ("USD 550 billion", "country:jp")
        ]
    );
    assert_eq!(
        c["amountHistory"][0]["rank"], "NORMAL",
        "superseded, not wrong"
    );
    assert_eq!(c["amountHistory"][2]["rank"], "PREFERRED");
    assert_eq!(c["before"]["value"]["display"], "USD 400 billion");
    assert_eq!(c["during"]["value"]["display"], "USD 500 billion");
}

#[test]
fn the_shortest_connections_between_boeing_and_south_korea() {
    let d = server().data(r#"{ paths(from: "org:boeing", to: "country:kr", maxLength: 4, limit: 10) { length nodes { id kind } edges { id kind source target } } }"#);
    let paths = d["paths"].as_array().cloned().unwrap_or_default();
    assert!(!paths.is_empty());
    let lengths: Vec<u64> = paths.iter().filter_map(|p| p["length"].as_u64()).collect();
    assert!(
        lengths.windows(2).all(|w| w[0] <= w[1]),
        "shortest first: {lengths:?}"
    );
    assert_eq!(lengths[0], 2);
    for p in &paths {
        let nodes = list(&p["nodes"], "id");
        assert_eq!(
            (nodes.first(), nodes.last()),
            (Some(&"org:boeing"), Some(&"country:kr"))
        );
        let mut unique = nodes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), nodes.len(), "simple: {nodes:?}");
        // Each edge joins its two neighbouring nodes, either way round.
        for (i, e) in p["edges"].as_array().into_iter().flatten().enumerate() {
            let ends = [
                e["source"].as_str().unwrap_or(""),
                e["target"].as_str().unwrap_or(""),
            ];
            assert!(
                ends.contains(&nodes[i]) && ends.contains(&nodes[i + 1]),
                "{e}"
            );
        }
    }
    let again = server().data(r#"{ paths(from: "org:boeing", to: "country:kr", maxLength: 4, limit: 10) { length nodes { id kind } edges { id kind source target } } }"#);
    assert_eq!(again, d, "deterministic");
}

#[test]
fn everything_within_two_steps_of_the_commerce_secretary() {
    let d = server().data(
        r#"{ neighborhood(ids: ["person:howard-lutnick"], depth: 2) { truncated
            nodes { id kind label depth entity { __typename } } edges { id kind source target label } } }"#,
    );
    let n = &d["neighborhood"];
    assert_eq!(n["truncated"], false);
    let nodes = n["nodes"].as_array().cloned().unwrap_or_default();
    assert_eq!(nodes[0]["id"], "person:howard-lutnick");
    assert_eq!(nodes[0]["depth"], 0);
    let at = |depth: u64| -> Vec<String> {
        nodes
            .iter()
            .filter(|x| x["depth"] == depth)
            .map(|x| x["id"].as_str().unwrap_or("").to_string())
            .collect()
    };
    for near in [
        "org:us-commerce",
        "event:lutnick-kim-yeo-meeting-2025-07",
        "statement:lutnick-korea-japan-rivals",
    ] {
        assert!(
            at(1).contains(&near.to_string()),
            "{near} is one step away: {:?}",
            at(1)
        );
    }
    for far in ["person:cheong-kwan-kim", "country:kr", "org:cnbc"] {
        assert!(
            at(1).contains(&far.to_string()) || at(2).contains(&far.to_string()),
            "{far} is within two steps"
        );
    }
    let depth1 = at(1);
    let mut sorted = depth1.clone();
    sorted.sort();
    assert_eq!(depth1, sorted, "breadth first, then by id");
    // Every edge joins two drawn nodes.
    let ids: Vec<&str> = nodes.iter().filter_map(|x| x["id"].as_str()).collect();
    for e in n["edges"].as_array().into_iter().flatten() {
        assert!(
            ids.contains(&e["source"].as_str().unwrap_or(""))
                && ids.contains(&e["target"].as_str().unwrap_or("")),
            "{e}"
        );
    }
    let small = server().data(r#"{ neighborhood(ids: ["person:howard-lutnick"], depth: 2, limit: 5) { truncated nodes { id } } }"#);
    assert_eq!(small["neighborhood"]["truncated"], true);
    assert_eq!(
        small["neighborhood"]["nodes"].as_array().map(Vec::len),
        Some(5)
    );
}

#[test]
fn edges_carry_their_headline_values() {
    let d = server().data(
        r#"{ neighborhood(ids: ["deal:us-jp-2025"], depth: 2, relations: [PLEDGED, TARGETS, PART_OF]) { edges { id kind label } } }"#,
    );
    let labels: Vec<(String, String)> = d["neighborhood"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["id"].as_str().unwrap_or("").to_string(),
                e["label"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let label_of = |id: &str| {
        labels
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        label_of("country:jp|pledged|commitment:jp-us-investment-2025"),
        "USD 550 billion"
    );
    assert_eq!(
        label_of("tariff:us-jp-autos-2025|targets|country:jp"),
        "27.5% → 15%"
    );
    let before = server().data(r#"{ neighborhood(ids: ["country:jp"], relations: [PLEDGED], asOf: "2025-07-21") { edges { id label } } }"#);
    let inv = before["neighborhood"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["id"] == "country:jp|pledged|commitment:jp-us-investment-2025")
        .cloned();
    assert_eq!(
        inv.map(|e| e["label"].clone()),
        Some(json!("USD 400 billion"))
    );
}

#[test]
fn the_total_pledged_to_the_united_states_per_currency_and_period() {
    let d = server().data(
        r#"{ pledgeTotals(groupBy: [BENEFICIARY], filter: { beneficiary: { eq: "country:us" } }) {
            beneficiary { id } period total { amount currency display } increase { amount } count commitments { id } } }"#,
    );
    let rows: Vec<(String, String, String, u64)> = d["pledgeTotals"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["period"].as_str().unwrap_or("").into(),
                t["total"]["currency"].as_str().unwrap_or("").into(),
                t["total"]["amount"].as_str().unwrap_or("").into(),
                t["count"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "ANNUAL".to_string(),
                "USD".to_string(),
                "17000000000".to_string(),
                1
            ),
            // Fulfilled over time (line 12): neither added to a year nor a lump sum.
            (
                "OVER_TIME".to_string(),
                "USD".to_string(),
                "550000000000".to_string(),
                1
            ),
            (
                "UNSPECIFIED".to_string(),
                "USD".to_string(),
                "8000000000".to_string(),
                1
            ),
        ]
    );
    assert_eq!(
        d["pledgeTotals"][0]["increase"]["amount"], "3000000000",
        "from 14 to 17 billion a year"
    );
    let by_pledger = server().data(r#"{ pledgeTotals(groupBy: [PLEDGER, KIND]) { pledger { id } commitmentKind period total { display } } }"#);
    assert!(
        by_pledger["pledgeTotals"]
            .as_array()
            .is_some_and(|a| a.iter().all(|t| t["pledger"]["id"] == "country:jp"))
    );
}

#[test]
fn the_car_tariff_before_and_after_the_deal_date() {
    let d = server().data(
        r#"{ deal(id: "deal:us-jp-2025") { announced { date inferred notBefore { date reason } notAfter { date reason } display } }
             tariffMeasure(id: "tariff:us-jp-autos-2025") {
               before: rate(asOf: "2025-07-21") { value { totalPercent components { kind percent } } asOfBasis }
               agreeing: rate(asOf: "2025-07-25") { value { totalPercent } asOfBasis }
               later: rate(asOf: "2025-09-01") { value { totalPercent } asOfBasis }
               now: rate { value { totalPercent } asOfBasis validFrom { date display } announced { display } } } }"#,
    );
    // The article dates the deal only as after the 22 July talks and before the deadline.
    let announced = &d["deal"]["announced"];
    assert_eq!(announced["date"], Value::Null);
    assert_eq!(announced["notBefore"]["date"], "2025-07-22");
    assert_eq!(announced["notAfter"]["date"], "2025-07-31");
    assert!(
        announced["notBefore"]["reason"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
    assert_eq!(
        announced["display"],
        "between 2025-07-22 and 2025-07-31 (inferred)"
    );
    let t = &d["tariffMeasure"];
    assert_eq!(t["before"]["value"]["totalPercent"], "27.5");
    assert_eq!(
        t["before"]["asOfBasis"], "INFERRED",
        "the year is from context"
    );
    // While the deal may or may not have been agreed, and later, when the article never
    // says the 15% took effect, the answer is the old rate and says it rests on an
    // unknown date.
    for when in ["agreeing", "later"] {
        assert_eq!(t[when]["value"]["totalPercent"], "27.5", "{when}");
        assert_eq!(t[when]["asOfBasis"], "UNKNOWN", "{when}");
    }
    assert_eq!(t["now"]["value"]["totalPercent"], "15");
    assert_eq!(t["now"]["asOfBasis"], Value::Null, "no asOf asked");
    assert_eq!(t["now"]["validFrom"]["date"], Value::Null);
    assert_eq!(
        t["now"]["validFrom"]["display"],
        "not before 2025-07-22 (inferred)"
    );
    assert_eq!(
        t["now"]["announced"]["display"],
        "between 2025-07-22 and 2025-07-31 (inferred)"
    );
}

#[test]
fn a_timeline_in_date_order_respecting_precision() {
    let d = server().data(
        r#"{ timeline(from: "2025-07-01", to: "2025-08-31", first: 100) { totalCount edges { node { date { date precision inferred notBefore { date } } kind title entity { id } actor { id } } } } }"#,
    );
    let entries = d["timeline"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(entries.len() >= 8, "{}", entries.len());
    // A date known only as a range sorts by its earliest day.
    let dates: Vec<String> = entries
        .iter()
        .map(|e| {
            let w = &e["node"]["date"];
            w["date"]
                .as_str()
                .or(w["notBefore"]["date"].as_str())
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let starts: Vec<String> = dates
        .iter()
        .map(|d| {
            if d.len() == 7 {
                format!("{d}-01")
            } else {
                d.clone()
            }
        })
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let kinds: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["node"]["kind"].as_str())
        .collect();
    for k in ["EVENT", "REVISION", "ANNOUNCEMENT", "DEADLINE"] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    let korea = server().data(r#"{ timeline(entities: ["country:kr"], first: 100) { edges { node { entity { id } } } } }"#);
    let about: Vec<String> = korea["timeline"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["node"]["entity"]["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        about.contains(&"event:korea-deadline-2025-08-01".to_string()),
        "{about:?}"
    );
}

#[test]
fn work_is_bounded_and_the_bounds_are_documented() {
    let s = server();
    for q in [
        r#"{ neighborhood(ids: ["country:jp"], depth: 5) { truncated } }"#,
        r#"{ neighborhood(ids: ["country:jp"], limit: 2001) { truncated } }"#,
        r#"{ neighborhood(ids: ["country:jp"], depth: -1) { truncated } }"#,
        r#"{ paths(from: "country:jp", to: "country:kr", maxLength: 7) { length } }"#,
        r#"{ paths(from: "country:jp", to: "country:kr", limit: 21) { length } }"#,
        r#"{ paths(from: "not an id", to: "country:kr") { length } }"#,
    ] {
        assert_eq!(s.error_codes(q, json!({})), ["BAD_USER_INPUT"], "{q}");
    }
    let sdl = std::fs::read_to_string(helpers::root().join("schema.graphql")).unwrap_or_default();
    for bound in [
        "(0 to `max_neighborhood_depth`, 4 by default)",
        "`max_neighborhood_nodes`, 2,000 by default",
        "`max_path_length`, 6 by default",
        "`max_paths`, 20 by default",
        "100,000",
    ] {
        assert!(sdl.contains(bound), "the schema documents {bound}");
    }
    // A server whose budget is tiny refuses a path search that would exceed it.
    let graph = std::sync::Arc::new(helpers::graph_owned());
    let mut config = pledgegraph::app::Config::default();
    config.path_work_budget = 10;
    let tight = helpers::spawn_app(pledgegraph::app::App::with_graph(config, graph));
    assert_eq!(
        tight.error_codes(
            r#"{ paths(from: "org:boeing", to: "country:kr", maxLength: 6) { length } }"#,
            json!({})
        ),
        ["WORK_BUDGET_EXCEEDED"]
    );
}

#[test]
fn an_empty_list_of_kinds_admits_none_and_an_omitted_one_every_kind() {
    let count = |v: &Value| v.as_array().map_or(usize::MAX, Vec::len);
    // An entity's relations.
    let d = server().data(
        r#"{ all: country(code: "JP") { relations { totalCount } }
             none: country(code: "JP") { relations(kinds: []) { totalCount edges { node { kind } } } } }"#,
    );
    assert!(
        d["all"]["relations"]["totalCount"].as_u64() > Some(0),
        "{d}"
    );
    assert_eq!(d["none"]["relations"]["totalCount"], 0, "{d}");
    assert_eq!(count(&d["none"]["relations"]["edges"]), 0, "{d}");
    // Search.
    let d = server().data(
        r#"{ all: search(text: "Japan") { entity { id } } none: search(text: "Japan", kinds: []) { entity { id } } }"#,
    );
    assert!(
        count(&d["all"]) > 0 && count(&d["all"]) != usize::MAX,
        "{d}"
    );
    assert_eq!(count(&d["none"]), 0, "{d}");
    // A neighbourhood: no relation followed, or no entity kept, leaves the start alone.
    let d = server().data(
        r#"{ all: neighborhood(ids: ["deal:us-jp-2025"], depth: 2) { nodes { id } edges { id } }
             noRelations: neighborhood(ids: ["deal:us-jp-2025"], depth: 2, relations: []) { nodes { id } edges { id } }
             noKinds: neighborhood(ids: ["deal:us-jp-2025"], depth: 2, kinds: []) { nodes { id } edges { id } } }"#,
    );
    assert!(count(&d["all"]["nodes"]) > 10, "{d}");
    for view in ["noRelations", "noKinds"] {
        assert_eq!(
            list(&d[view]["nodes"], "id"),
            ["deal:us-jp-2025"],
            "{view}: {d}"
        );
        assert_eq!(count(&d[view]["edges"]), 0, "{view}: {d}");
    }
    // Paths: no relation to follow finds none; no kind to pass through leaves only the
    // paths that pass through nothing, a single relation between the two ends.
    let d = server().data(
        r#"{ all: paths(from: "org:boeing", to: "country:kr", maxLength: 4, limit: 10) { length }
             noRelations: paths(from: "org:boeing", to: "country:kr", maxLength: 4, relations: []) { length }
             noKinds: paths(from: "country:jp", to: "country:us", maxLength: 4, limit: 10, kinds: []) { length }
             allKinds: paths(from: "country:jp", to: "country:us", maxLength: 4, limit: 10) { length } }"#,
    );
    assert!(
        count(&d["all"]) > 0 && count(&d["all"]) != usize::MAX,
        "{d}"
    );
    assert_eq!(count(&d["noRelations"]), 0, "{d}");
    let lengths = |v: &Value| -> Vec<u64> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["length"].as_u64())
            .collect()
    };
    assert!(lengths(&d["allKinds"]).iter().any(|&l| l > 1), "{d}");
    assert!(!lengths(&d["noKinds"]).is_empty(), "{d}");
    assert!(lengths(&d["noKinds"]).iter().all(|&l| l == 1), "{d}");
}

#[test]
fn a_neighbourhood_as_of_a_date_holds_no_event_statement_or_deal_still_to_come() {
    use pledgegraph::model::{EventKind, NodeData, PartialDate, When};
    let as_of = "2025-07-01";
    let day = as_of
        .parse::<PartialDate>()
        .unwrap_or_else(|e| panic!("{e}"))
        .start();
    let query = |as_of: &str| {
        format!(
            r#"{{ neighborhood(ids: ["country:jp", "country:us"], depth: 2, limit: 2000{as_of}) {{ nodes {{ id }} }} }}"#
        )
    };
    let then = server().data(&query(&format!(r#", asOf: "{as_of}""#)));
    let now = server().data(&query(""));
    let began = |id: &str| -> Option<When> {
        match &helpers::node(id).data {
            NodeData::Event(e) if e.kind != EventKind::Deadline => e.date.clone(),
            NodeData::Statement(s) => s.date.clone(),
            NodeData::Deal(d) => d.announced.clone(),
            _ => None,
        }
    };
    let to_come = |id: &str| began(id).is_some_and(|w| w.earliest().is_some_and(|d| d > day));
    let later: Vec<&str> = list(&now["neighborhood"]["nodes"], "id")
        .into_iter()
        .filter(|id| to_come(id))
        .collect();
    assert!(
        later.iter().any(|id| id.starts_with("event:"))
            && later.iter().any(|id| id.starts_with("statement:"))
            && later.contains(&"deal:us-jp-2025"),
        "today's view holds events, statements and the deal from after {as_of}: {later:?}"
    );
    let drawn = list(&then["neighborhood"]["nodes"], "id");
    let early: Vec<&&str> = drawn.iter().filter(|id| to_come(id)).collect();
    assert!(
        early.is_empty(),
        "drawn as of {as_of} though still to come: {early:?}"
    );
    assert!(drawn.contains(&"country:kr"), "{drawn:?}");
}
