//! Small hand-built graphs for the graph layer's unit tests.

use rust_decimal::Decimal;

use crate::model::{
    Amount, Claim, ClaimSet, Commitment, CommitmentKind, CommitmentStatus, Country, EntityId,
    Money, Node, NodeData, Period, Rank, Relation, RelationKind, SourceRef, When,
};

pub fn id(text: &str) -> EntityId {
    EntityId::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

pub fn cite() -> Vec<SourceRef> {
    vec![SourceRef {
        source: id("source:doc"),
        line: Some(1),
        attribution: None,
        note: None,
    }]
}

pub fn node(text: &str, name: &str, data: NodeData) -> Node {
    Node {
        id: id(text),
        name: name.into(),
        aliases: Vec::new(),
        description: String::new(),
        sources: cite(),
        data,
    }
}

pub fn country(code: &str, name: &str) -> Node {
    let data = NodeData::Country(Country {
        code: Some(code.to_uppercase()),
        bloc: false,
    });
    node(&format!("country:{code}"), name, data)
}

pub fn claim<T>(key: &str, value: T, from: Option<&str>) -> Claim<T> {
    Claim {
        key: key.into(),
        value,
        valid_from: from.map(|d| When::stated(d.parse().unwrap_or_else(|e| panic!("{e}")))),
        valid_until: None,
        rank: Rank::Normal,
        approximate: false,
        attribution: None,
        made_by: None,
        supersedes: None,
        sources: cite(),
        caveat: None,
        note: None,
    }
}

pub fn money(amount: &str, currency: &str) -> Amount {
    let amount = Decimal::from_str_exact(amount).unwrap_or_else(|e| panic!("{e}"));
    Amount::Money(
        Money::new(amount, currency.parse().unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}")),
    )
}

pub struct Pledge<'a> {
    pub id: &'a str,
    pub by: &'a str,
    pub to: &'a str,
    pub kind: CommitmentKind,
    pub amount: Option<Amount>,
    pub period: Period,
    pub part_of: Option<&'a str>,
}

pub fn pledge(p: Pledge<'_>) -> Node {
    let data = Commitment {
        kind: p.kind,
        pledger: id(p.by),
        beneficiaries: vec![id(p.to)],
        suppliers: Vec::new(),
        item: None,
        deal: None,
        part_of: p.part_of.map(id),
        in_exchange_for: Vec::new(),
        period: p.period,
        amount: ClaimSet::new(p.amount.into_iter().map(|a| claim("a", a, None)).collect()),
        baseline: ClaimSet::default(),
        limit: ClaimSet::default(),
        status: ClaimSet::new(vec![claim("s", CommitmentStatus::Pledged, None)]),
    };
    node(p.id, p.id, NodeData::Commitment(Box::new(data)))
}

pub fn relation(kind: RelationKind, from: &str, to: &str) -> Relation {
    Relation {
        kind,
        from: id(from),
        to: id(to),
        label: None,
        valid_from: None,
        valid_until: None,
        attribution: None,
        sources: cite(),
        note: None,
    }
}
