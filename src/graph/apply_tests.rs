//! Unit tests for [`KnowledgeGraph::apply`]: each kind of change, each rejection, and
//! batches that apply whole or not at all.

use super::testing::*;
use super::*;
use super::{CommitmentFilter, CommitmentOrder, DecimalRange};
use crate::model::{
    Change, ChangeBatch, ClaimField, CommitmentKind, FieldClaim, NodeData, PartialDate, Period,
    Rank, RelationKind,
};
use rust_decimal::Decimal;

/// Japan, South Korea and the United States, Japan pledging USD 100 to the US, built
/// through changes.
fn graph() -> KnowledgeGraph {
    let pledge = pledge(pledge_of(
        "commitment:jp-invest",
        "country:jp",
        "country:us",
        CommitmentKind::Investment,
        Some(money("100", "USD")),
        Period::OneOff,
        None,
    ));
    let nodes = vec![
        pledge,
        country("jp", "Japan"),
        country("kr", "South Korea"),
        country("us", "United States"),
        doc(),
    ];
    KnowledgeGraph::from_seed(
        nodes
            .into_iter()
            .map(|entity| Change::CreateEntity { entity }),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Everything a reader can see of a graph, in a comparable form.
type Seen = (Vec<Node>, Vec<Edge>, Summary, u64, Vec<String>, Vec<String>);

fn seen(g: &KnowledgeGraph) -> Seen {
    let mut nodes: Vec<Node> = NodeKind::ALL
        .iter()
        .flat_map(|k| g.nodes_of_kind(*k).cloned())
        .collect();
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    let mut edges: Vec<Edge> = g.edges().cloned().collect();
    edges.sort_by_key(Edge::id);
    let hits = ["japan", "korea", "jpan", "united", "kangaroo"]
        .iter()
        .flat_map(|q| g.search(q, Only::All, 10, &BOUNDS))
        .map(|h| format!("{} {:?} {}", h.node.id, h.matched, h.score))
        .collect();
    (
        nodes,
        edges,
        g.summary(),
        g.version(),
        hits,
        g.topology_view(),
    )
}

fn found(g: &KnowledgeGraph, text: &str) -> Vec<String> {
    g.search(text, Only::All, 10, &BOUNDS)
        .into_iter()
        .map(|h| h.node.id.to_string())
        .collect()
}

fn usd_total(g: &KnowledgeGraph) -> Decimal {
    g.pledge_totals(&[], &Filter::All(Vec::new()), None)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|t| t.total)
        .sum()
}

fn rename(idt: &str, name: &str) -> Change {
    Change::UpdateEntity {
        id: id(idt),
        name: Some(name.into()),
        aliases: None,
        description: None,
        sources: cite(),
    }
}

fn refused(g: &mut KnowledgeGraph, changes: Vec<Change>) -> GraphError {
    match g.apply(changes) {
        Err(e) => e.error,
        Ok(v) => panic!("applied as version {v}"),
    }
}

#[test]
fn creating_an_entity_indexes_it_everywhere() {
    let mut g = graph();
    assert_eq!(g.version(), 0);
    let before = g.counts();
    let kangaroo = pledge(pledge_of(
        "commitment:kr-kangaroo",
        "country:kr",
        "country:us",
        CommitmentKind::Purchase,
        Some(money("50", "USD")),
        Period::OneOff,
        None,
    ));
    let mut kangaroo = kangaroo;
    kangaroo.name = "Kangaroo purchase".into();
    assert_eq!(
        g.apply(vec![Change::CreateEntity { entity: kangaroo }]),
        Ok(1)
    );
    assert_eq!(g.version(), 1);
    assert_eq!(found(&g, "kangaroo"), ["commitment:kr-kangaroo"]);
    assert_eq!(found(&g, "kangaro"), ["commitment:kr-kangaroo"], "prefix");
    assert_eq!(found(&g, "kangeroo"), ["commitment:kr-kangaroo"], "typo");
    let after = g.counts();
    assert_eq!(after.nodes[&NodeKind::Commitment], 2);
    assert_eq!(
        after.relations[&RelationKind::Pledged],
        before.relations[&RelationKind::Pledged] + 1
    );
    assert_eq!(after.claims, before.claims + 2);
    assert_eq!(usd_total(&g), Decimal::from(150));
    let ids: Vec<&str> = g
        .nodes_of_kind(NodeKind::Commitment)
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(ids, ["commitment:jp-invest", "commitment:kr-kangaroo"]);
}

#[test]
fn a_renamed_entity_is_found_by_its_new_name_and_not_its_old() {
    let mut g = graph();
    g.apply(vec![rename("country:kr", "Daehan Minguk")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found(&g, "minguk"), ["country:kr"]);
    assert!(found(&g, "south korea").is_empty());
    assert!(
        found(&g, "korea").is_empty(),
        "no token of the old name: {:?}",
        found(&g, "korea")
    );
    assert!(found(&g, "koraa").is_empty(), "no typo candidate of it");
    assert_eq!(
        g.node("country:kr").map(|n| n.name.as_str()),
        Some("Daehan Minguk")
    );
    assert_eq!(
        g.resolve("Daehan Minguk").map(|n| n.id.as_str()),
        Some("country:kr")
    );
}

#[test]
fn claims_are_added_superseded_and_deprecated_and_totals_follow() {
    let mut g = graph();
    let mut raise = claim("b", money("250", "USD"), Some("2025-08-01"));
    raise.rank = Rank::Preferred;
    g.apply(vec![Change::SupersedeClaim {
        id: id("commitment:jp-invest"),
        supersedes: "a".into(),
        claim: FieldClaim::Amount(raise),
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(usd_total(&g), Decimal::from(250));
    let amount = |g: &KnowledgeGraph| match &g.node("commitment:jp-invest").map(|n| n.data.clone())
    {
        Some(NodeData::Commitment(c)) => c.amount.clone(),
        _ => panic!("not a commitment"),
    };
    let set = amount(&g);
    assert_eq!(
        set.get("b").and_then(|c| c.supersedes.as_deref()),
        Some("a")
    );
    assert_eq!(set.current().map(|c| c.key.as_str()), Some("b"));

    let deprecated = g.counts().deprecated;
    g.apply(vec![Change::DeprecateClaim {
        id: id("commitment:jp-invest"),
        field: ClaimField::Amount,
        key: "b".into(),
        reason: "the source misread the figure".into(),
        sources: cite(),
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.counts().deprecated, deprecated + 1);
    assert_eq!(g.summary().caveats, ["commitment:jp-invest: amount"]);
    assert_eq!(g.counts().caveats, 1);
    assert_eq!(amount(&g).current().map(|c| c.key.as_str()), Some("a"));
    assert_eq!(
        usd_total(&g),
        Decimal::from(100),
        "back to the first figure"
    );

    let claims = g.counts().claims;
    g.apply(vec![Change::AddClaim {
        id: id("commitment:jp-invest"),
        claim: FieldClaim::Limit(claim("cap", money("400", "USD"), None)),
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.counts().claims, claims + 1);
    assert_eq!(
        g.counts().caveats,
        1,
        "a node changed again keeps its caveat once"
    );
}

#[test]
fn relations_are_added_ended_and_retracted_and_kept() {
    let mut g = graph();
    let ally = relation(RelationKind::AllyOf, "country:jp", "country:us");
    let rid = ally.id();
    g.apply(vec![Change::AddRelation { relation: ally }])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.counts().relations[&RelationKind::AllyOf], 1);
    let until = crate::model::When::stated("2025-09-01".parse().unwrap_or_else(|e| panic!("{e}")));
    g.apply(vec![Change::EndRelation {
        id: rid.clone(),
        until: until.clone(),
        sources: cite(),
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    let edge = g.edges().find(|e| e.id() == rid).cloned();
    assert_eq!(
        edge.as_ref().and_then(|e| e.relation.valid_until()),
        Some(&until)
    );
    g.apply(vec![Change::RetractRelation {
        id: rid.clone(),
        reason: "no source says so".into(),
        sources: cite(),
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(g.edges().all(|e| e.id() != rid));
    assert!(!g.counts().relations.contains_key(&RelationKind::AllyOf));
    let (kept, why) = g
        .withdrawn()
        .relation(&rid)
        .unwrap_or_else(|| panic!("kept"));
    assert_eq!(
        (kept.id().as_str(), why.reason.as_str(), why.version),
        (rid.as_str(), "no source says so", 3)
    );
    assert!(matches!(
        refused(
            &mut g,
            vec![Change::RetractRelation {
                id: rid.clone(),
                reason: "again".into(),
                sources: cite()
            }]
        ),
        GraphError::Withdrawn(_)
    ));
    let implied = "country:jp|pledged|commitment:jp-invest".to_string();
    assert!(matches!(
        refused(
            &mut g,
            vec![Change::EndRelation {
                id: implied,
                until: crate::model::When::stated("2026".parse().unwrap_or_else(|e| panic!("{e}"))),
                sources: cite()
            }]
        ),
        GraphError::ImpliedRelation {
            field: "pledger",
            ..
        }
    ));
}

#[test]
fn retracted_entities_are_kept_and_refused_while_named() {
    let mut g = graph();
    let retract = |idt: &str| Change::RetractEntity {
        id: id(idt),
        reason: "a duplicate of nothing".into(),
        sources: cite(),
    };
    assert_eq!(
        refused(&mut g, vec![retract("country:us")]),
        GraphError::StillReferred {
            id: "country:us".into(),
            by: "commitment:jp-invest".into(),
            field: "beneficiaries"
        }
    );
    g.apply(vec![retract("commitment:jp-invest")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(g.node("commitment:jp-invest").is_none());
    assert_eq!(usd_total(&g), Decimal::ZERO);
    assert!(found(&g, "commitment:jp-invest").is_empty());
    assert!(g.withdrawn().entity(&id("commitment:jp-invest")).is_some());
    assert!(!g.counts().relations.contains_key(&RelationKind::Pledged));
    g.apply(vec![retract("country:us")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(g.country_by_code("us").is_none());
    assert!(matches!(
        refused(&mut g, vec![retract("country:us")]),
        GraphError::Withdrawn(_)
    ));
    assert!(matches!(
        refused(&mut g, vec![retract("country:xx")]),
        GraphError::UnknownEntity(_)
    ));
}

#[test]
fn a_merged_entity_resolves_to_its_survivor() {
    let mut g = graph();
    let mut dup = country("xa", "Nippon");
    dup.aliases.push("Land of the Rising Sun".into());
    let mut deal = deal("deal:pact", &["country:xa", "country:us"], None);
    deal.sources = cite();
    g.apply(vec![
        Change::CreateEntity { entity: dup },
        Change::CreateEntity { entity: deal },
        Change::AddRelation {
            relation: relation(RelationKind::RivalOf, "country:xa", "country:kr"),
        },
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    g.apply(vec![Change::MergeEntity {
        duplicate: id("country:xa"),
        survivor: id("country:jp"),
        sources: cite(),
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        g.node("country:xa").map(|n| n.id.as_str()),
        Some("country:jp")
    );
    assert_eq!(found(&g, "nippon"), ["country:jp"]);
    assert_eq!(found(&g, "rising sun"), ["country:jp"]);
    match g.node("deal:pact").map(|n| &n.data) {
        Some(NodeData::Deal(d)) => assert_eq!(d.parties, [id("country:jp"), id("country:us")]),
        other => panic!("{other:?}"),
    }
    let ids: Vec<String> = g.edges().map(|e| e.id()).collect();
    assert!(
        ids.iter().any(|i| i == "country:jp|party-to|deal:pact"),
        "{ids:?}"
    );
    assert!(
        ids.iter().any(|i| i == "country:jp|rival-of|country:kr"),
        "{ids:?}"
    );
    assert!(!ids.iter().any(|i| i.contains("country:xa")), "{ids:?}");
    assert_eq!(g.counts().nodes[&NodeKind::Country], 3);
    let merged_again = Change::MergeEntity {
        duplicate: id("country:jp"),
        survivor: id("country:jp"),
        sources: cite(),
    };
    assert!(matches!(
        refused(&mut g, vec![merged_again]),
        GraphError::CannotMerge { .. }
    ));
}

#[test]
fn each_rule_of_the_seed_is_enforced() {
    let mut g = graph();
    let dangling = relation(RelationKind::AllyOf, "country:jp", "country:xx");
    assert!(matches!(
        refused(&mut g, vec![Change::AddRelation { relation: dangling }]),
        GraphError::Dangling { to, .. } if to == "country:xx"
    ));
    let misfit = relation(RelationKind::Pledged, "country:jp", "country:us");
    assert!(matches!(
        refused(&mut g, vec![Change::AddRelation { relation: misfit }]),
        GraphError::Invalid(_)
    ));
    let mut unsourced = country("fr", "France");
    unsourced.sources.clear();
    assert!(matches!(
        refused(&mut g, vec![Change::CreateEntity { entity: unsourced }]),
        GraphError::Invalid(_)
    ));
    let mut unsourced = relation(RelationKind::AllyOf, "country:jp", "country:us");
    unsourced.sources = Vec::new().into();
    assert!(matches!(
        refused(
            &mut g,
            vec![Change::AddRelation {
                relation: unsourced
            }]
        ),
        GraphError::MissingSource(_)
    ));
    let mut miscited = country("fr", "France");
    miscited.sources[0].source = id("source:nowhere");
    assert!(matches!(
        refused(&mut g, vec![Change::CreateEntity { entity: miscited }]),
        GraphError::BadCitation(_)
    ));
    assert_eq!(
        refused(
            &mut g,
            vec![Change::CreateEntity {
                entity: country("jp", "Japan")
            }]
        ),
        GraphError::DuplicateId("country:jp".into())
    );
    let twice = claim("a", money("1", "USD"), None);
    assert!(matches!(
        refused(
            &mut g,
            vec![Change::AddClaim {
                id: id("commitment:jp-invest"),
                claim: FieldClaim::Amount(twice)
            }]
        ),
        GraphError::Invalid(_)
    ));
    let wrong_field = claim("r", money("1", "USD"), None);
    assert!(matches!(
        refused(
            &mut g,
            vec![Change::AddClaim {
                id: id("country:jp"),
                claim: FieldClaim::Value(wrong_field)
            }]
        ),
        GraphError::Invalid(_)
    ));
    assert_eq!(g.version(), 0, "nothing applied");
}

#[test]
fn bad_decimals_dates_and_formats_are_refused_when_read() {
    let batch = ChangeBatch::new(vec![Change::AddClaim {
        id: id("commitment:jp-invest"),
        claim: FieldClaim::Amount(claim("b", money("550000000000.01", "USD"), Some("2025-07"))),
    }]);
    let json = batch.to_json();
    assert!(json.contains(r#""amount":"550000000000.01""#), "{json}");
    assert_eq!(ChangeBatch::from_json(&json), Ok(batch));
    for (from, to) in [
        (r#""550000000000.01""#, "550000000000.01"),
        (r#""550000000000.01""#, r#""1e3""#),
        (r#""550000000000.01""#, r#""-5""#),
        (r#""2025-07""#, r#""2025-13""#),
        (r#""USD""#, r#""XYZ""#),
        (r#""format":1"#, r#""format":99"#),
    ] {
        let bad = json.replace(from, to);
        assert_ne!(bad, json);
        assert!(ChangeBatch::from_json(&bad).is_err(), "{bad}");
    }
}

#[test]
fn a_batch_whose_third_change_is_refused_leaves_the_graph_as_it_was() {
    let mut g = graph();
    g.apply(vec![Change::AddRelation {
        relation: relation(RelationKind::AllyOf, "country:jp", "country:us"),
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    let before = seen(&g);
    let batches: Vec<Vec<Change>> = vec![
        vec![
            rename("country:kr", "Koryo"),
            Change::RetractEntity {
                id: id("commitment:jp-invest"),
                reason: "withdrawn".into(),
                sources: cite(),
            },
            Change::CreateEntity {
                entity: country("jp", "Japan again"),
            },
        ],
        vec![
            Change::CreateEntity {
                entity: country("fr", "France"),
            },
            Change::MergeEntity {
                duplicate: id("country:fr"),
                survivor: id("country:us"),
                sources: cite(),
            },
            Change::AddRelation {
                relation: relation(RelationKind::AllyOf, "country:jp", "country:nowhere"),
            },
        ],
        vec![
            Change::RetractRelation {
                id: "country:jp|ally-of|country:us".into(),
                reason: "unsupported".into(),
                sources: cite(),
            },
            Change::SupersedeClaim {
                id: id("commitment:jp-invest"),
                supersedes: "a".into(),
                claim: FieldClaim::Amount(claim("b", money("7", "USD"), None)),
            },
            Change::DeprecateClaim {
                id: id("commitment:jp-invest"),
                field: ClaimField::Amount,
                key: "zzz".into(),
                reason: "wrong".into(),
                sources: cite(),
            },
        ],
    ];
    for batch in batches {
        let err = g.apply(batch).map(|v| panic!("applied as {v}"));
        assert_eq!(err.map_err(|e| e.index), Err(2));
        assert_eq!(seen(&g), before);
    }
}

#[test]
fn the_seed_order_of_changes_does_not_matter_within_a_batch() {
    // A relation and a field naming entities created later in the same batch.
    let mut g = graph();
    let mut deal = deal("deal:later", &["country:fr"], None);
    deal.sources = cite();
    g.apply(vec![
        Change::AddRelation {
            relation: relation(RelationKind::AllyOf, "country:fr", "country:jp"),
        },
        Change::CreateEntity { entity: deal },
        Change::CreateEntity {
            entity: country("fr", "France"),
        },
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.counts().relations[&RelationKind::PartyTo], 1);
    assert_eq!(g.counts().relations[&RelationKind::AllyOf], 1);
}

/// A small deterministic random source (xorshift), so a failure replays exactly.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The same graph built from scratch: what every index kept in place must agree with.
fn rebuilt(g: &KnowledgeGraph) -> KnowledgeGraph {
    let nodes: Vec<Node> = NodeKind::ALL
        .iter()
        .flat_map(|k| g.nodes_of_kind(*k).cloned())
        .collect();
    let relations = g
        .edges()
        .filter(|e| e.implied_by.is_none())
        .map(|e| e.relation.clone())
        .collect();
    KnowledgeGraph::build(nodes, relations).unwrap_or_else(|e| panic!("{e}"))
}

/// Prices the money index answers, with the commitments at each.
fn priced(g: &KnowledgeGraph) -> Vec<String> {
    let f = CommitmentFilter {
        amount: DecimalRange {
            min: Some(Decimal::from(20)),
            max: Some(Decimal::from(400)),
        },
        ..Default::default()
    };
    g.commitments(&f, CommitmentOrder::AmountDesc)
        .iter()
        .map(|n| n.id.to_string())
        .collect()
}

#[test]
fn indexes_kept_in_place_agree_with_a_rebuild_after_any_changes() {
    agree_with_a_rebuild(false);
}

/// The same with a second copy of the graph held throughout, as the store holds one:
/// the indexes the copies share take changes in each copy's own layer.
#[test]
fn indexes_shared_with_a_copy_agree_with_a_rebuild_after_any_changes() {
    agree_with_a_rebuild(true);
}

fn agree_with_a_rebuild(shared: bool) {
    // Names that tie, some only ignoring case.
    let names = [
        "Japan", "Korea", "Zembla", "Kangaroo", "Nippon", "Jpan", "United", "JAPAN", "japan",
    ];
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let mut g = graph();
    let mut ab = deal("deal:ab", &["country:jp", "country:us"], None);
    ab.sources = cite();
    g.apply(vec![Change::CreateEntity { entity: ab }])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut twin = shared.then(|| g.clone());
    let (mut applied, mut hubs_seen) = (0, 0);
    let mut codes: Vec<String> = ["JP", "KR", "US"].map(String::from).to_vec();
    let mut ever: std::collections::BTreeSet<EntityId> = std::collections::BTreeSet::new();
    for round in 0..400 {
        // Mostly what is there, sometimes what is not, so refusals are exercised too.
        let pick = |dice: &mut Dice, kind: NodeKind, missing: &str| -> String {
            let live: Vec<String> = g.nodes_of_kind(kind).map(|n| n.id.to_string()).collect();
            match live.len() {
                0 => missing.to_string(),
                n if dice.roll(10) == 0 => format!("{missing}-{}", n),
                n => live[dice.roll(n)].clone(),
            }
        };
        let mut batch = Vec::new();
        for step in 0..1 + dice.roll(2) {
            let target = pick(&mut dice, NodeKind::Country, "country:gone");
            let other = pick(&mut dice, NodeKind::Country, "country:gone");
            let pledge_id = pick(&mut dice, NodeKind::Commitment, "commitment:gone");
            let name = names[dice.roll(names.len())];
            let fresh = format!("r{round}s{step}");
            let amount = (10 * (1 + dice.roll(50))).to_string();
            batch.push(match dice.roll(10) {
                0 => {
                    codes.push(fresh.to_uppercase());
                    Change::CreateEntity {
                        entity: country(&fresh, name),
                    }
                }
                1 => {
                    let mut entity = super::testing::pledge(pledge_of(
                        &format!("commitment:{fresh}"),
                        &target,
                        &other,
                        CommitmentKind::Purchase,
                        Some(money(&amount, "USD")),
                        Period::OneOff,
                        None,
                    ));
                    // Some in a deal, some to a second beneficiary, for their books.
                    if let NodeData::Commitment(c) = &mut entity.data {
                        if dice.roll(2) == 0 {
                            c.deal = Some(id("deal:ab"));
                        }
                        let second = pick(&mut dice, NodeKind::Country, "country:gone");
                        if dice.roll(3) == 0 && !c.beneficiaries.contains(&id(&second)) {
                            c.beneficiaries.push(id(&second));
                        }
                    }
                    entity.name = name.into();
                    Change::CreateEntity { entity }
                }
                // A country or a pledge renamed, to a name others may have.
                2 => rename(
                    if dice.roll(2) == 0 {
                        &target
                    } else {
                        &pledge_id
                    },
                    &match dice.roll(2) {
                        0 => name.to_string(),
                        _ => format!("{name} {round}"),
                    },
                ),
                // A pledge's status changed: it moves between the groups by status.
                3 if dice.roll(3) == 0 => Change::AddClaim {
                    id: id(&pledge_id),
                    claim: FieldClaim::CommitmentStatus({
                        let status = [
                            crate::model::CommitmentStatus::Fulfilled,
                            crate::model::CommitmentStatus::Planned,
                        ][dice.roll(2)];
                        let mut c = claim(&format!("k{fresh}"), status, Some("2025-09-01"));
                        c.rank = Rank::Preferred;
                        c
                    }),
                },
                3 => Change::AddClaim {
                    id: id(&pledge_id),
                    claim: FieldClaim::Amount({
                        let mut c = claim(
                            &format!("k{fresh}"),
                            money(&amount, "USD"),
                            Some("2025-09-01"),
                        );
                        c.rank = Rank::Preferred;
                        c
                    }),
                },
                4 => Change::DeprecateClaim {
                    id: id(&pledge_id),
                    field: ClaimField::Amount,
                    key: "a".into(),
                    reason: "misread".into(),
                    sources: cite(),
                },
                5 => Change::AddRelation {
                    relation: relation(RelationKind::AllyOf, &target, &other),
                },
                6 => Change::RetractEntity {
                    id: id(if dice.roll(2) == 0 {
                        &pledge_id
                    } else {
                        &target
                    }),
                    reason: "unsupported".into(),
                    sources: cite(),
                },
                7 => Change::MergeEntity {
                    duplicate: id(&target),
                    survivor: id(&other),
                    sources: cite(),
                },
                // An event on a day others may share, in a month or a year, or undated; or
                // one retracted, for the lists by date.
                8 => {
                    let event_id = pick(&mut dice, NodeKind::Event, "event:gone");
                    if dice.roll(3) == 0 {
                        Change::RetractEntity {
                            id: id(&event_id),
                            reason: "unsupported".into(),
                            sources: cite(),
                        }
                    } else {
                        let days = ["2025-07-01", "2025-07", "2025", "2024-12-31"];
                        let day = days[dice.roll(days.len())];
                        let mut entity = event(&format!("event:{fresh}"), day, &[&target]);
                        if let NodeData::Event(e) = &mut entity.data
                            && dice.roll(4) == 0
                        {
                            e.date = None;
                        }
                        entity.sources = cite();
                        Change::CreateEntity { entity }
                    }
                }
                // A tariff created at a rate, or given a new one: it moves in the lists
                // by rate.
                9 if dice.roll(2) == 0 => {
                    let rate = ["10", "25", "25.0", "0"][dice.roll(4)];
                    let tariff_id = pick(&mut dice, NodeKind::TariffMeasure, "tariff:gone");
                    if dice.roll(2) == 0 {
                        let spec = [("a", rate, Some("2025-04-05"), None, None)];
                        let mut entity =
                            tariff(&format!("tariff:{fresh}"), &target, &other, None, &spec);
                        entity.sources = cite();
                        Change::CreateEntity { entity }
                    } else {
                        Change::AddClaim {
                            id: id(&tariff_id),
                            claim: FieldClaim::Rate({
                                let total = percent(rate);
                                let value = crate::model::Rate {
                                    total,
                                    components: Vec::new(),
                                };
                                let mut c = claim(&format!("k{fresh}"), value, Some("2025-09-01"));
                                c.rank = Rank::Preferred;
                                c
                            }),
                        }
                    }
                }
                _ => Change::RetractRelation {
                    id: g
                        .edges()
                        .filter(|e| e.implied_by.is_none())
                        .map(|e| e.id())
                        .nth(dice.roll(4))
                        .unwrap_or_else(|| format!("{target}|ally-of|{other}")),
                    reason: "unsupported".into(),
                    sources: cite(),
                },
            });
        }
        if round % 50 == 49 && twin.is_some() {
            twin = Some(g.clone());
        }
        if let Some(twin) = &twin {
            assert!(
                g.shares_indexes_with(twin),
                "round {round}: a copy left its base"
            );
        }
        let live = NodeKind::ALL.iter().flat_map(|k| g.nodes_of_kind(*k));
        ever.extend(live.map(|n| n.id.clone()));
        let before = seen(&g);
        match g.apply(batch) {
            Ok(_) => applied += 1,
            Err(_) => assert_eq!(
                seen(&g),
                before,
                "round {round}: a refused batch left a trace"
            ),
        }
        let fresh = rebuilt(&g);
        let (mut kept, mut again) = (seen(&g), seen(&fresh));
        (kept.3, again.3) = (0, 0);
        assert_eq!(kept.0, again.0, "round {round}: nodes");
        assert_eq!(kept.1, again.1, "round {round}: relations");
        assert_eq!(kept.2, again.2, "round {round}: counts");
        assert_eq!(kept.4, again.4, "round {round}: search");
        assert_eq!(priced(&g), priced(&fresh), "round {round}");
        assert_eq!(g.books_view(), fresh.books_view(), "round {round}: books");
        assert_eq!(g.names_view(), fresh.names_view(), "round {round}: names");
        assert_eq!(g.dates_view(), fresh.dates_view(), "round {round}: dates");
        assert_eq!(g.rates_view(), fresh.rates_view(), "round {round}: rates");
        assert_eq!(g.tags_view(), fresh.tags_view(), "round {round}: groups");
        assert_eq!(g.money_view(), fresh.money_view(), "round {round}: amounts");
        assert_eq!(
            g.timeline_view(),
            fresh.timeline_view(),
            "round {round}: timeline"
        );
        // Every entity involved in many entries keeps their days, as its relations give
        // them, whether it was so at the load or grew so through changes.
        hubs_seen = hubs_seen.max(g.check_hub_days());
        fresh.check_hub_days();
        // Each entity's whole timeline counted as it is, and as its relations give it,
        // those retracted or merged away too: a seventh of them each round, to keep the
        // test short.
        // Between dates too: a hub's from the days it keeps, kept in step.
        let at = |text: &str| text.parse::<PartialDate>().ok();
        let windows = [
            (None, None),
            (at("2025-07"), None),
            (None, at("2025-06")),
            (at("2025-03"), at("2025-08-15")),
            (at("2025-08-15"), at("2025-03")),
        ];
        // And each of those with the next, and the next two: timelines of two and three.
        let some: Vec<&EntityId> = ever.iter().skip(round % 7).step_by(7).collect();
        let pairs = some.windows(2).map(|w| vec![w[0].clone(), w[1].clone()]);
        let threes = some
            .windows(3)
            .map(|w| w.iter().map(|&e| e.clone()).collect());
        let ones = some.iter().map(|&one| vec![one.clone()]);
        for entities in ones.chain(pairs).chain(threes) {
            for (from, to) in &windows {
                let (from, to) = (from.as_ref(), to.as_ref());
                assert_eq!(
                    g.timeline_count(from, to, &entities),
                    g.timeline_len(from, to, &entities),
                    "round {round}: {entities:?} from {from:?} to {to:?}"
                );
            }
        }
        let by_pledger = |g: &KnowledgeGraph| {
            let totals = g.pledge_totals(&[GroupBy::Pledger], &Filter::default(), None);
            super::totals::tests::exactly(&totals)
        };
        assert_eq!(by_pledger(&g), by_pledger(&fresh), "round {round}: totals");
        super::totals::tests::check_by_pledger(&g);
        if round % 10 == 0 {
            // Half the filters each time, the other half the next, to keep the test short.
            let half = super::page::tests::filters()
                .into_iter()
                .enumerate()
                .filter(|(i, _)| (i + round / 10) % 2 == 0);
            for (_, filter) in half {
                for order in super::page::tests::orders() {
                    super::page::tests::check_pages(&g, &filter, &order, round as u64);
                }
            }
        }
        for code in &codes {
            assert_eq!(
                g.country_by_code(code).map(|n| &n.id),
                fresh.country_by_code(code).map(|n| &n.id),
                "round {round}: {code}"
            );
        }
    }
    assert!(
        applied > 100,
        "only {applied} batches applied: the test needs more valid ones"
    );
    assert_ne!(g.rates_view(), " | ", "no tariff left to order by rate");
    assert!(hubs_seen > 5, "only {hubs_seen} hubs: the test needs more");
}

#[test]
fn a_relation_read_from_text_shares_its_ends_texts_with_their_nodes() {
    let mut g = graph();
    let read = |from: &str, to: &str| -> Relation {
        let text = format!(
            r#"{{"kind":"ally-of","from":"{from}","to":"{to}","sources":[{{"source":"source:doc","line":1}}]}}"#
        );
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    };
    let shared = |g: &KnowledgeGraph, edge: &Edge| {
        [&edge.relation.from, &edge.relation.to].iter().all(|end| {
            g.node(end.as_str())
                .is_some_and(|node| node.id.shares_text_with(end))
        })
    };
    // Both ends in the graph already, and one end arriving later in the same batch.
    let now = read("country:jp", "country:us");
    let later = read("country:kr", "country:nz");
    assert!(!now.from.shares_text_with(&id("country:jp")));
    let ids = [now.id(), later.id()];
    g.apply(vec![
        Change::AddRelation { relation: now },
        Change::AddRelation { relation: later },
        Change::CreateEntity {
            entity: country("nz", "New Zealand"),
        },
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    for rid in ids {
        let edge = g.edges().find(|e| e.id() == rid);
        assert!(edge.is_some_and(|e| shared(&g, e)), "{rid}");
    }
}
