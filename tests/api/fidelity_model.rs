//! A reader's questions about what the article does not say, answered over the API: what
//! was asked is not what was pledged.

use serde_json::Value;

use crate::helpers::server;

fn lines(citations: &Value) -> Vec<u64> {
    citations
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["line"].as_u64()).collect())
        .unwrap_or_default()
}

#[test]
fn has_south_korea_pledged_anything() {
    // No: it was asked for concessions, which is a demand of the United States.
    let d = server().data(
        r#"{ country(code: "KR") {
              pledgesMade { totalCount }
              relations(kinds: [PLEDGED]) { totalCount }
              demandsReceived { edges { node {
                id demander { id } demandedOf { id } item
                status { value sources { line } } attribution { text by { id } }
                inExchangeFor { id } sources { line } } } } }
            pledgeTotals(filter: { pledger: { eq: "country:kr" } }) { count }
            commitments(filter: { text: { contains: "concession" } }) { totalCount } }"#,
    );
    let kr = &d["country"];
    assert_eq!(kr["pledgesMade"]["totalCount"], 0, "{d}");
    assert_eq!(kr["relations"]["totalCount"], 0, "no PLEDGED relation: {d}");
    assert_eq!(d["pledgeTotals"].as_array().map(Vec::len), Some(0), "{d}");
    assert_eq!(d["commitments"]["totalCount"], 0, "{d}");
    let demand = &kr["demandsReceived"]["edges"][0]["node"];
    assert_eq!(demand["id"], "demand:us-kr-concessions-2025");
    assert_eq!(demand["demander"]["id"], "country:us");
    assert_eq!(demand["demandedOf"][0]["id"], "country:kr");
    assert_eq!(demand["status"]["value"], "OPEN");
    assert_eq!(demand["attribution"]["by"]["id"], "person:howard-lutnick");
    assert_eq!(
        demand["inExchangeFor"][0]["id"],
        "tariff:us-kr-threatened-2025"
    );
    // Paragraph 5 reads Lutnick's remarks as a demand; paragraph 18 says demands reach Korea.
    let cited = lines(&demand["sources"]);
    assert!(cited.contains(&5) && cited.contains(&18), "{cited:?}");
    assert_eq!(lines(&demand["status"]["sources"]), [5, 18]);
}

#[test]
fn a_demand_is_drawn_as_asked_not_pledged() {
    let d = server().data(
        r#"{ neighborhood(ids: ["country:kr"], depth: 1) { edges { kind source target } }
            deal(id: "deal:us-kr-2025") { exchange { party { id } gave { id } received { id } } }
            paths(from: "country:kr", to: "country:us", maxLength: 2, relations: [PLEDGED, BENEFITS]) { length } }"#,
    );
    let edges = d["neighborhood"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !edges
            .iter()
            .any(|e| e["kind"] == "PLEDGED" && e["source"] == "country:kr"),
        "{edges:?}"
    );
    assert!(edges.iter().any(|e| e["kind"] == "DEMANDED_OF"
        && e["source"] == "demand:us-kr-concessions-2025"
        && e["target"] == "country:kr"));
    for side in d["deal"]["exchange"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        assert_eq!(side["gave"], Value::Array(vec![]), "{side}");
        assert_eq!(side["received"], Value::Array(vec![]), "{side}");
    }
    assert_eq!(
        d["paths"],
        Value::Array(vec![]),
        "no pledge links Korea to the US"
    );
}
