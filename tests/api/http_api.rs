//! The GraphQL API over HTTP on the real seed: every root field, every
//! filter operator, ordering, pagination both ways, exact decimals, ids.

use crate::helpers;

use serde_json::{Value, json};

use crate::helpers::server;

fn ids(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["node"]["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn commitments(filter: &str) -> Vec<String> {
    let d = server().data(&format!(
        "{{ commitments(filter: {filter}, first: 100) {{ totalCount edges {{ node {{ id }} }} }} }}"
    ));
    let found = ids(&d["commitments"]);
    assert_eq!(
        d["commitments"]["totalCount"].as_u64(),
        Some(found.len() as u64)
    );
    found
}

#[test]
fn who_pledged_what_to_the_united_states_ordered_by_amount() {
    let d = server().data(
        r#"{ commitments(filter: { beneficiary: { eq: "country:us" } }, orderBy: [{ field: AMOUNT, direction: DESC }]) {
            totalCount
            edges { node { id pledger { id } period
              amount { value { display money { amount currency } } sources { line attribution source { id } } }
              amountHistory { value { display } madeBy { id } validFrom { date inferred precision } rank supersedes } } }
        } }"#,
    );
    let edges = d["commitments"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let first = &edges[0]["node"];
    assert_eq!(first["id"], "commitment:jp-us-investment-2025");
    assert_eq!(first["pledger"]["id"], "country:jp");
    assert_eq!(first["period"], "OVER_TIME");
    assert_eq!(
        first["amount"]["value"]["money"],
        json!({ "amount": "550000000000", "currency": "USD" })
    );
    assert_eq!(first["amount"]["value"]["display"], "USD 550 billion");
    assert_eq!(
        first["amount"]["sources"][0]["source"]["id"],
        "source:trade-talks-2025-07"
    );
    let history: Vec<&str> = first["amountHistory"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["value"]["display"].as_str())
        .collect();
    assert_eq!(
        history,
        [
            "USD 400 billion",
            "USD 500 billion",
            "USD 550 billion",
            "USD 550 billion"
        ]
    );
    assert_eq!(
        first["amountHistory"][1]["madeBy"]["id"],
        "person:donald-trump"
    );
    assert_eq!(
        first["amountHistory"][1]["validFrom"],
        json!({ "date": "2025-07-22", "inferred": true, "precision": "DAY" })
    );
    assert_eq!(first["amountHistory"][2]["supersedes"], "handwritten-500");
    // Money first, largest first; pledges without an amount last.
    let amounts: Vec<Option<&str>> = edges
        .iter()
        .map(|e| e["node"]["amount"]["value"]["money"]["amount"].as_str())
        .collect();
    assert_eq!(
        &amounts[..3],
        [
            Some("550000000000"),
            Some("17000000000"),
            Some("8000000000")
        ]
    );
    assert!(amounts[3..].iter().all(|a| a.is_none()), "{amounts:?}");
}

#[test]
fn lookups_by_id_code_and_kind() {
    let d = server().data(
        r#"{ country(code: "jp") { id name code bloc }
             eu: country(code: "EU") { id bloc }
             person(id: "person:howard-lutnick") { name role { value { title organization { id } } } }
             organization(id: "org:boeing") { organizationKind }
             deal(id: "deal:us-kr-2025") { status { value } deadline { date inferred } }
             commitment(id: "commitment:jp-defense-procurement-2025") { baseline { value { display } } amount { value { display } } increase { display } }
             tariffMeasure(id: "tariff:us-jp-autos-2025") { rate { value { totalPercent } } before: rate(asOf: "2025-07-01") { value { totalPercent display components { kind percent } } } volumeLimit { value { unlimited } } }
             event(id: "event:lutnick-kim-yeo-meeting-2025-07") { duration { value { value unit } approximate } participants { id } }
             statement(id: "statement:lutnick-korea-japan-rivals") { speaker { id } quotes }
             project(id: "project:alaska-lng") { value { value { display } } participants { id } invited { id } }
             source(id: "source:trade-talks-2025-07") { title sourceKind published { date inferred precision } publisher { id } }
        }"#,
    );
    assert_eq!(
        d["country"],
        json!({ "id": "country:jp", "name": "Japan", "code": "JP", "bloc": false })
    );
    assert_eq!(d["eu"]["bloc"], true);
    assert_eq!(d["person"]["role"]["value"]["title"], "Commerce Secretary");
    assert_eq!(d["organization"]["organizationKind"], "COMPANY");
    assert_eq!(d["deal"]["status"]["value"], "UNDER_NEGOTIATION");
    assert_eq!(d["deal"]["deadline"]["date"], "2025-08-01");
    assert_eq!(d["commitment"]["increase"]["display"], "USD 3 billion");
    assert_eq!(d["tariffMeasure"]["rate"]["value"]["totalPercent"], "15");
    assert_eq!(
        d["tariffMeasure"]["before"]["value"]["totalPercent"],
        "27.5"
    );
    assert_eq!(
        d["tariffMeasure"]["before"]["value"]["components"],
        json!([{ "kind": "BASE", "percent": "2.5" }, { "kind": "ITEM_SPECIFIC", "percent": "25" }])
    );
    assert_eq!(
        d["tariffMeasure"]["volumeLimit"]["value"]["unlimited"],
        true
    );
    assert_eq!(
        d["event"]["duration"],
        json!({ "value": { "value": "80", "unit": "MINUTES" }, "approximate": true })
    );
    assert_eq!(d["project"]["value"]["value"]["display"], "USD 44 billion");
    assert_eq!(d["project"]["invited"], json!([{ "id": "country:kr" }]));
    assert_eq!(
        d["source"]["published"],
        json!({ "date": "2025-07", "inferred": true, "precision": "MONTH" })
    );
    assert_eq!(
        d["source"]["publisher"],
        Value::Null,
        "the publisher is unknown"
    );
}

#[test]
fn node_round_trips_for_every_kind() {
    let kinds = [
        ("country:kr", "Country"),
        ("person:han-koo-yeo", "Person"),
        ("org:cnbc", "Organization"),
        ("deal:us-jp-2025", "Deal"),
        ("commitment:jp-us-rice-imports-2025", "Commitment"),
        ("tariff:us-jp-reciprocal-2025", "TariffMeasure"),
        ("event:korea-deadline-2025-08-01", "Event"),
        ("statement:lutnick-korea-japan-rivals", "Statement"),
        ("project:alaska-lng", "Project"),
        ("source:trade-talks-2025-07", "Source"),
    ];
    for (id, typename) in kinds {
        let d = server().data_with(
            "query($id: ID!) { node(id: $id) { id __typename } entity(id: $id) { id kind name sources { line } } }",
            json!({ "id": id }),
        );
        assert_eq!(d["node"], json!({ "id": id, "__typename": typename }));
        assert_eq!(d["entity"]["id"], id);
        assert!(!d["entity"]["name"].as_str().unwrap_or_default().is_empty());
    }
}

#[test]
fn unknown_ids_are_null_without_errors() {
    let d = server().data(
        r#"{ node(id: "country:atlantis") { id } entity(id: "not an id") { id } country(code: "ZZ") { id }
             person(id: "country:jp") { id } commitment(id: "commitment:none") { id } source(id: "") { id } }"#,
    );
    for field in [
        "node",
        "entity",
        "country",
        "person",
        "commitment",
        "source",
    ] {
        assert_eq!(d[field], Value::Null, "{field}");
    }
}

#[test]
fn every_list_root_answers() {
    let d = server().data(
        "{ countries { totalCount } people { totalCount } organizations { totalCount } deals { totalCount }
           commitments { totalCount } tariffMeasures { totalCount } events { totalCount } statements { totalCount }
           projects { totalCount } sources { totalCount } demands { totalCount }
           stats { entities relations citations claims deprecatedClaims caveats entitiesByKind { kind count } } }",
    );
    let count = |f: &str| d[f]["totalCount"].as_u64().unwrap_or(0);
    assert_eq!(count("countries"), 5, "four countries and one group");
    assert_eq!(count("people"), 4);
    assert_eq!(count("deals"), 3);
    assert_eq!(count("tariffMeasures"), 3);
    assert_eq!(count("projects"), 1);
    assert_eq!(count("demands"), 1);
    assert!(
        count("organizations") >= 10
            && count("events") >= 8
            && count("statements") >= 20
            && count("sources") >= 2
    );
    let total: u64 = [
        "countries",
        "people",
        "organizations",
        "deals",
        "commitments",
        "demands",
        "tariffMeasures",
        "events",
        "statements",
        "projects",
        "sources",
    ]
    .iter()
    .map(|f| count(f))
    .sum();
    assert_eq!(d["stats"]["entities"].as_u64(), Some(total));
    // "Former President" Trump, and the Biden administration credited with a White House list.
    assert_eq!(d["stats"]["deprecatedClaims"].as_u64(), Some(2));
}

/// A list asked for its `totalCount` alone is counted without a page being read: the count
/// must be the one a page of the whole list gives, for every kind of list and argument.
#[test]
fn a_total_count_asked_alone_is_the_count_of_the_whole_list() {
    let lists = [
        ("commitments", ""),
        (
            "commitments",
            "filter: { commitmentKind: { eq: PROCUREMENT } }",
        ),
        (
            "commitments",
            "filter: { status: { in: [PLEDGED, FULFILLED] } }, orderBy: [{ field: STATUS }]",
        ),
        (
            "commitments",
            r#"filter: { amount: { gte: "0" } }, orderBy: [{ field: AMOUNT, direction: DESC }]"#,
        ),
        (
            "commitments",
            r#"filter: { currency: { eq: "USD" } }, asOf: "2025-06-01""#,
        ),
        (
            "statements",
            r#"filter: { name: { contains: "tariff" } }, orderBy: [{ field: DATE }]"#,
        ),
        ("events", "orderBy: [{ field: NAME, direction: DESC }]"),
        (
            "organizations",
            r#"filter: { id: { in: ["org:cnbc", "org:none"] } }"#,
        ),
        ("timeline", r#"from: "2025-07-01", to: "2025-08-31""#),
        ("timeline", r#"entities: ["country:kr"]"#),
    ];
    for (field, args) in lists {
        let ask = |page: &str, selection: &str| {
            let args = [args, page].join(" ");
            let call = match args.trim() {
                "" => field.to_string(),
                args => format!("{field}({args})"),
            };
            server().data(&format!("{{ {call} {{ {selection} }} }}"))[field].clone()
        };
        let alone = ask("first: 100", "totalCount");
        let paged = ask(
            "first: 100",
            "totalCount pageInfo { hasNextPage } edges { cursor }",
        );
        let counted = paged["edges"].as_array().map_or(0, Vec::len);
        assert_eq!(
            paged["pageInfo"]["hasNextPage"], false,
            "{field}({args}): one page"
        );
        assert!(counted > 0, "{field}({args}) lists something");
        assert_eq!(
            alone["totalCount"].as_u64(),
            Some(counted as u64),
            "{field}({args})"
        );
        assert_eq!(paged["totalCount"], alone["totalCount"], "{field}({args})");
        // Through a fragment, and beside a page of none, it is the same count.
        assert_eq!(ask("", "... { totalCount }"), alone, "{field}({args})");
        let of_none = ask("first: 0", "totalCount edges { cursor }");
        assert_eq!(
            of_none["totalCount"], alone["totalCount"],
            "{field}({args})"
        );
        assert_eq!(of_none["edges"], json!([]), "{field}({args})");
    }
}

#[test]
fn id_string_and_enum_operators() {
    assert!(commitments(r#"{ pledger: { eq: "country:kr" } }"#).is_empty());
    assert_eq!(
        commitments(r#"{ beneficiary: { eq: "country:us" }, commitmentKind: { eq: INVESTMENT } }"#),
        ["commitment:jp-us-investment-2025"]
    );
    assert_eq!(
        commitments(
            r#"{ commitmentKind: { in: [PROCUREMENT, PURCHASE] }, pledger: { eq: "country:jp" } }"#
        ),
        [
            "commitment:jp-boeing-aircraft-2025",
            "commitment:jp-defense-procurement-2025",
            "commitment:jp-us-goods-purchase-2025"
        ]
    );
    assert_eq!(
        commitments(r#"{ status: { eq: PLANNED } }"#),
        ["commitment:jp-alaska-lng-participation-2025"]
    );
    assert_eq!(
        commitments(r#"{ period: { eq: ANNUAL } }"#),
        ["commitment:jp-defense-procurement-2025"]
    );
    assert_eq!(
        commitments(r#"{ supplier: { in: ["org:boeing"] } }"#),
        ["commitment:jp-boeing-aircraft-2025"]
    );
    assert_eq!(
        commitments(r#"{ name: { contains: "RICE" } }"#),
        ["commitment:jp-us-rice-imports-2025"]
    );
    assert_eq!(
        commitments(r#"{ currency: { eq: "usd" }, amount: { lt: "10000000000" } }"#),
        ["commitment:jp-us-goods-purchase-2025"]
    );
    assert_eq!(
        commitments(
            r#"{ id: { in: ["commitment:jp-us-goods-purchase-2025", "commitment:nope"] } }"#
        ),
        ["commitment:jp-us-goods-purchase-2025"]
    );
    let d = server().data(r#"{ countries(filter: { code: { in: ["JP", "kr"] } }) { edges { node { id } } } organizations(filter: { organizationKind: { eq: MEDIA_OUTLET } }) { edges { node { id } } } }"#);
    assert_eq!(ids(&d["countries"]), ["country:jp", "country:kr"]);
    assert_eq!(ids(&d["organizations"]), ["org:bloomberg", "org:cnbc"]);
}

#[test]
fn decimal_comparison_operators_are_exact() {
    let gte = |x: &str| commitments(&format!(r#"{{ amount: {{ gte: "{x}" }} }}"#));
    assert_eq!(gte("550000000000"), ["commitment:jp-us-investment-2025"]);
    assert!(
        gte("550000000000.01").is_empty(),
        "one cent more than the pledge"
    );
    assert_eq!(
        commitments(r#"{ amount: { gt: "549999999999.99" } }"#),
        ["commitment:jp-us-investment-2025"]
    );
    assert_eq!(
        commitments(r#"{ amount: { eq: "17000000000.000" } }"#),
        ["commitment:jp-defense-procurement-2025"]
    );
    assert_eq!(
        commitments(r#"{ amount: { lte: "8000000000" } }"#),
        ["commitment:jp-us-goods-purchase-2025"]
    );
    let d = server().data(
        r#"{ tariffMeasures(filter: { ratePercent: { lte: "15" } }) { edges { node { id } } } }"#,
    );
    assert_eq!(
        ids(&d["tariffMeasures"]),
        ["tariff:us-jp-autos-2025", "tariff:us-jp-reciprocal-2025"]
    );
    let before = server().data(r#"{ tariffMeasures(asOf: "2025-07-01", filter: { ratePercent: { gt: "25" } }) { edges { node { id } } } }"#);
    assert_eq!(
        ids(&before["tariffMeasures"]),
        ["tariff:us-jp-autos-2025"],
        "27.5% before the deal"
    );
}

#[test]
fn and_or_not_combine() {
    assert_eq!(
        commitments(
            r#"{ or: [{ pledger: { eq: "country:kr" } }, { commitmentKind: { eq: INVESTMENT } }] }"#
        ),
        ["commitment:jp-us-investment-2025"]
    );
    assert_eq!(
        commitments(
            r#"{ and: [{ pledger: { eq: "country:jp" } }, { currency: { eq: "USD" } }], not: { amount: { gt: "10000000000" } } }"#
        ),
        ["commitment:jp-us-goods-purchase-2025"]
    );
    assert!(commitments(r#"{ not: { pledger: { eq: "country:jp" } } }"#).is_empty());
    assert_eq!(
        commitments(
            r#"{ not: { pledger: { eq: "country:kr" } }, commitmentKind: { eq: INVESTMENT } }"#
        ),
        ["commitment:jp-us-investment-2025"]
    );
}

#[test]
fn events_as_a_timeline_and_statements_by_speaker_subject_and_venue() {
    let d = server().data(
        r#"{ events(filter: { date: { gte: "2025-07-22", lte: "2025-07-31" } }, orderBy: [{ field: DATE }]) { edges { node { id date { date notBefore { date } } } } }
             bySpeaker: statements(filter: { speaker: { eq: "person:howard-lutnick" } }) { totalCount }
             bySubject: statements(filter: { subject: { eq: "project:alaska-lng" }, statementKind: { eq: ANNOUNCEMENT } }) { edges { node { id speaker { id } } } }
             byVenue: statements(filter: { venue: { eq: "org:federal-reserve" } }) { edges { node { quotes } } } }"#,
    );
    let dates: Vec<&str> = d["events"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let w = &e["node"]["date"];
            w["date"].as_str().or(w["notBefore"]["date"].as_str())
        })
        .collect();
    assert!(dates.len() >= 4, "{dates:?}");
    assert!(
        dates.windows(2).all(|w| w[0] <= w[1]),
        "in date order: {dates:?}"
    );
    assert!(dates.iter().all(|d| d.starts_with("2025-07-")), "{dates:?}");
    assert_eq!(d["bySpeaker"]["totalCount"].as_u64(), Some(4));
    assert_eq!(
        d["bySubject"]["edges"][0]["node"]["speaker"]["id"],
        "person:donald-trump"
    );
    assert!(
        d["byVenue"]["edges"][0]["node"]["quotes"]
            .to_string()
            .contains("signing bonus")
    );
}

#[test]
fn ordering_is_stable_with_an_id_tie_break() {
    let d = server().data(
        "{ asc: organizations(orderBy: [{ field: KIND }], first: 100) { edges { node { id organizationKind } } }
           desc: organizations(orderBy: [{ field: KIND, direction: DESC }], first: 100) { edges { node { id organizationKind } } } }",
    );
    let rows = |v: &Value| -> Vec<(String, String)> {
        v["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e["node"]["organizationKind"].to_string(),
                    e["node"]["id"].to_string(),
                )
            })
            .collect()
    };
    let asc = rows(&d["asc"]);
    let mut sorted = asc.clone();
    sorted.sort_by(|a, b| {
        a.0.to_lowercase()
            .cmp(&b.0.to_lowercase())
            .then(a.1.cmp(&b.1))
    });
    assert_eq!(asc, sorted);
    let desc = rows(&d["desc"]);
    assert_eq!(desc.first().map(|r| &r.0), asc.last().map(|r| &r.0));
    // Within one kind, ids ascend in both directions.
    for list in [&asc, &desc] {
        for w in list.windows(2) {
            if w[0].0 == w[1].0 {
                assert!(w[0].1 < w[1].1, "{w:?}");
            }
        }
    }
}

/// A page of Japan's relations (more than two default pages), with each edge
/// named by its kind, direction and other end.
fn page(args: &str) -> (Vec<String>, Value) {
    let d = server().data(&format!(
        r#"{{ entity(id: "country:jp") {{ relations({args}) {{ totalCount pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
            edges {{ cursor node {{ kind outgoing other {{ id }} }} }} }} }} }}"#
    ));
    let conn = d["entity"]["relations"].clone();
    let names = conn["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            format!(
                "{} {} {}",
                e["node"]["kind"], e["node"]["outgoing"], e["node"]["other"]["id"]
            )
        })
        .collect();
    (names, conn)
}

#[test]
fn pagination_forward_has_no_gaps_or_duplicates() {
    let (all, conn) = page("first: 100");
    let total = conn["totalCount"].as_u64().unwrap_or(0) as usize;
    assert_eq!(all.len(), total);
    assert!(total > 20, "enough relations to need a second default page");
    let (default, conn) = page("kinds: null");
    assert_eq!(default.len(), 20, "the default page");
    assert_eq!(conn["pageInfo"]["hasNextPage"], true);
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let args = if after.is_empty() {
            "first: 6".to_string()
        } else {
            format!("first: 6, after: \"{after}\"")
        };
        let (ids, conn) = page(&args);
        assert_eq!(conn["totalCount"].as_u64(), Some(total as u64));
        seen.extend(ids);
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
    assert_eq!(seen, all);
}

#[test]
fn pagination_backward_has_no_gaps_or_duplicates() {
    let (all, _) = page("first: 100");
    let mut seen = Vec::new();
    let mut before = String::new();
    loop {
        let args = if before.is_empty() {
            "last: 5".to_string()
        } else {
            format!("last: 5, before: \"{before}\"")
        };
        let (ids, conn) = page(&args);
        seen.splice(0..0, ids);
        if conn["pageInfo"]["hasPreviousPage"] != true {
            break;
        }
        before = conn["pageInfo"]["startCursor"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
    assert_eq!(seen, all);
}

#[test]
fn cursors_are_stable_and_pages_are_capped() {
    let (_, a) = page("first: 3");
    let (_, b) = page("first: 3");
    assert_eq!(a["edges"], b["edges"], "the same cursors each time");
    let cursor = a["edges"][1]["cursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (after, _) = page(&format!("first: 1, after: \"{cursor}\""));
    let (two, _) = page("first: 3");
    assert_eq!(after.first(), two.get(2));
    let s = server();
    assert_eq!(
        s.error_codes("{ statements(first: 101) { totalCount } }", json!({})),
        ["PAGE_SIZE_EXCEEDED"]
    );
    assert_eq!(
        s.error_codes("{ statements(last: 500) { totalCount } }", json!({})),
        ["PAGE_SIZE_EXCEEDED"]
    );
    assert_eq!(
        s.error_codes(
            r#"{ search(text: "japan", first: 1000) { score } }"#,
            json!({})
        ),
        ["PAGE_SIZE_EXCEEDED"]
    );
    assert_eq!(
        s.error_codes("{ statements(first: -1) { totalCount } }", json!({})),
        ["BAD_USER_INPUT"]
    );
    assert_eq!(
        s.error_codes(
            r#"{ statements(after: "forged") { totalCount } }"#,
            json!({})
        ),
        ["BAD_USER_INPUT"]
    );
    let (_, body) = s.post("{ statements(first: 101) { totalCount } }", json!({}));
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("at most 100"),
        "{body}"
    );
}

#[test]
fn relations_on_every_entity_page_and_filter() {
    let d = server().data(
        r#"{ entity(id: "country:jp") {
            all: relations(first: 100) { totalCount edges { node { kind outgoing other { id } } } }
            rivals: relations(kinds: [RIVAL_OF]) { edges { node { other { id } attribution { by { id } } sources { line } } } }
            pledges: relations(kinds: [PLEDGED], direction: OUTGOING, first: 2) { totalCount pageInfo { hasNextPage } edges { node { to { id } impliedBy } } }
        } }"#,
    );
    let e = &d["entity"];
    assert!(e["all"]["totalCount"].as_u64().unwrap_or(0) > 10);
    assert_eq!(e["rivals"]["edges"][0]["node"]["other"]["id"], "country:kr");
    assert_eq!(
        e["rivals"]["edges"][0]["node"]["attribution"]["by"]["id"],
        "person:howard-lutnick"
    );
    assert_eq!(e["rivals"]["edges"][0]["node"]["sources"][0]["line"], 7);
    assert_eq!(e["pledges"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(e["pledges"]["edges"][0]["node"]["impliedBy"], "pledger");
    let typed = server().data(r#"{ country(code: "JP") { pledgesMade(first: 100) { totalCount } tariffsFaced { edges { node { id } } } officials { id } deals { edges { node { id } } } } }"#);
    assert_eq!(
        typed["country"]["pledgesMade"]["totalCount"].as_u64(),
        Some(6)
    );
    assert_eq!(
        ids(&typed["country"]["tariffsFaced"]),
        ["tariff:us-jp-autos-2025", "tariff:us-jp-reciprocal-2025"]
    );
    assert_eq!(ids(&typed["country"]["deals"]), ["deal:us-jp-2025"]);
}

#[test]
fn search_ranks_typed_hits() {
    let d = server().data(
        r#"{ seoul: search(text: "Seoul", first: 3) { score matched field text entity { id __typename } }
             typo: search(text: "lutnik", kinds: [PERSON]) { matched entity { id } }
             none: search(text: "zzzzzz") { score } }"#,
    );
    assert_eq!(
        d["seoul"][0]["entity"],
        json!({ "id": "country:kr", "__typename": "Country" })
    );
    assert_eq!(d["seoul"][0]["matched"], "EXACT_ALIAS");
    assert_eq!(
        d["typo"][0],
        json!({ "matched": "FUZZY", "entity": { "id": "person:howard-lutnick" } })
    );
    assert_eq!(d["none"], json!([]));
    let scores: Vec<u64> = d["seoul"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["score"].as_u64())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn deprecated_claims_only_on_request() {
    let d = server().data(
        r#"{ person(id: "person:donald-trump") { role { value { title } rank sources { line source { sourceKind } } }
             roles { rank } all: roles(includeDeprecated: true) { rank caveat value { title } } } }"#,
    );
    let p = &d["person"];
    assert!(
        p["role"]["value"]["title"]
            .as_str()
            .unwrap_or_default()
            .contains("President")
    );
    assert!(
        p["roles"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|r| r["rank"] != "DEPRECATED")
    );
    let deprecated: Vec<&Value> = p["all"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["rank"] == "DEPRECATED")
        .collect();
    assert_eq!(deprecated.len(), 1);
    assert!(deprecated[0]["caveat"].is_string());
}

#[test]
fn decimals_are_strings_in_and_out_and_numbers_are_refused() {
    let s = server();
    let d = s.data_with(
        "query($min: Decimal!) { commitments(filter: { amount: { gte: $min } }) { edges { node { amount { value { money { amount } } } } } } }",
        json!({ "min": "549999999999.99" }),
    );
    assert_eq!(
        d["commitments"]["edges"][0]["node"]["amount"]["value"]["money"]["amount"],
        "550000000000"
    );
    let number = s.error_codes(
        "query($min: Decimal!) { commitments(filter: { amount: { gte: $min } }) { totalCount } }",
        json!({ "min": 550000000000.01 }),
    );
    assert_eq!(number, ["BAD_USER_INPUT"]);
    let literal = s.error_codes(
        "{ commitments(filter: { amount: { gte: 5.5 } }) { totalCount } }",
        json!({}),
    );
    assert_eq!(literal, ["BAD_USER_INPUT"]);
    let bad = s.error_codes(
        r#"{ commitments(filter: { amount: { gte: "5,5" } }) { totalCount } }"#,
        json!({}),
    );
    assert_eq!(bad, ["BAD_USER_INPUT"]);
    let date = s.error_codes(
        r#"{ tariffMeasures(asOf: "2025-02-30") { totalCount } }"#,
        json!({}),
    );
    assert_eq!(date, ["BAD_USER_INPUT"]);
}

#[test]
fn exact_decimals_survive_a_seed_round_trip() {
    let s = helpers::spawn(&helpers::root().join("tests/fixtures/valid"));
    let d = s.data(r#"{ commitment(id: "commitment:jp-investment") { amount { value { money { amount } display } } } }"#);
    assert_eq!(
        d["commitment"]["amount"]["value"]["money"]["amount"],
        "550000000000.01"
    );
    let d =
        s.data(r#"{ commitments(filter: { amount: { eq: "550000000000.01" } }) { totalCount } }"#);
    assert_eq!(d["commitments"]["totalCount"], 1);
}

#[test]
fn malformed_requests_get_graphql_errors_with_codes() {
    let s = server();
    // Legacy `application/json`: a document that fails answers 200, without `data`.
    let (status, body) = s.post("{ commitments { ", json!({}));
    assert_eq!(status, 200);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED",
        "{body}"
    );
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(
        s.error_codes("{ noSuchField }", json!({})),
        ["GRAPHQL_VALIDATION_FAILED"]
    );
    let (status, body) = s.post_raw("application/json", b"{\"query\": \"{ stats { ");
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_REQUEST",
        "{body}"
    );
    // A body of the wrong shape: its error names what is wrong and where.
    for (body, says) in [
        (&b"[]"[..], "a batch of at least one request"),
        (b" {\"query\": 5}", "invalid type: integer `5`"),
        (
            b"[{\"query\": \"{ stats { entities } }\"}, 7]",
            "line 1 column",
        ),
        (b"\"{ stats { entities } }\"", "invalid type: string"),
    ] {
        let (status, answer) = s.post_raw("application/json", body);
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_REQUEST");
        let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{says} in {message}");
    }
    let (status, _) = s.post_raw("text/plain", b"{ stats { entities } }");
    assert_eq!(status, 415);
}

#[test]
fn an_oversized_body_is_refused_before_it_is_read() {
    use std::io::{Read, Write};
    let addr = server().base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap_or_else(|e| panic!("{e}"));
    let length = 2 * pledgegraph::app::Config::default().max_body_bytes;
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n{{\"query\": \""
    );
    stream
        .write_all(head.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    // A bound for a broken server, not a budget: the answer comes as soon as the head is read.
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(60)));
    let mut answer = [0u8; 4096];
    let n = stream.read(&mut answer).unwrap_or(0);
    let response = String::from_utf8_lossy(&answer[..n]).to_string();
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("DOCUMENT_TOO_LARGE"), "{response}");
}

#[test]
fn get_requests_and_batches_work() {
    let s = server();
    let (status, r) =
        s.get("/graphql?query=%7B%20country(code%3A%22KR%22)%20%7B%20name%20%7D%20%7D");
    assert_eq!(status, 200);
    let body: Value =
        serde_json::from_str(&r.into_string().unwrap_or_default()).unwrap_or_default();
    assert_eq!(body["data"]["country"]["name"], "South Korea");
    let (status, body) = s.post_raw(
        "application/json",
        br#"[{"query":"{ stats { entities } }"},{"query":"{ country(code: \"US\") { id } }"}]"#,
    );
    assert_eq!(status, 200);
    assert_eq!(body[1]["data"]["country"]["id"], "country:us");
}

#[test]
fn hostile_queries_stop_with_a_code_before_they_run() {
    let mut nested = String::from("{ entity(id: \"country:jp\") { ");
    for _ in 0..2 {
        nested.push_str("relations(first: 100) { edges { node { other { ");
    }
    nested.push_str("id name description");
    nested.push_str(&" } } } }".repeat(2));
    nested.push_str(" } }");
    let graph = std::sync::Arc::new(helpers::graph_owned());
    let mut config = pledgegraph::app::Config::default();
    config.max_complexity = 2_000;
    let tight = helpers::spawn_app(pledgegraph::app::App::with_graph(config, graph));
    let (status, body) = tight.post(&nested, json!({}));
    assert_eq!(status, 200);
    assert!(body.get("data").is_none(), "no data: {body}");
    let errors = body["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "one error: {body}");
    assert_eq!(
        errors[0]["extensions"]["code"], "COMPLEXITY_EXCEEDED",
        "{body}"
    );
    // A query within the limit is untouched.
    assert!(tight.data(r#"{ country(code: "JP") { name } }"#)["country"]["name"] == "Japan");

    let mut deep = String::from("{ entity(id: \"country:jp\") { ");
    for _ in 0..6 {
        deep.push_str("relations { edges { node { other { ");
    }
    deep.push_str("id");
    deep.push_str(&" } } } }".repeat(6));
    deep.push_str(" } }");
    assert_eq!(
        server().error_codes(&deep, json!({})),
        ["MAX_DEPTH_EXCEEDED"]
    );
}
