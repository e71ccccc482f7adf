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
        announced: None,
        valid_from: from
            .map(|d| Box::new(When::stated(d.parse().unwrap_or_else(|e| panic!("{e}"))))),
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
        answers: None,
        period: p.period,
        amount: ClaimSet::new(p.amount.into_iter().map(|a| claim("a", a, None)).collect()),
        baseline: ClaimSet::default(),
        limit: ClaimSet::default(),
        status: ClaimSet::new(vec![claim("s", CommitmentStatus::Pledged, None)]),
    };
    node(p.id, p.id, NodeData::Commitment(Box::new(data)))
}

pub fn relation(kind: RelationKind, from: &str, to: &str) -> Relation {
    Relation::new(kind, id(from), id(to), cite().into())
}

pub fn percent(text: &str) -> crate::model::Percent {
    crate::model::Percent::new(Decimal::from_str_exact(text).unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A rate of a test tariff: (key, total, valid from, valid until, supersedes).
pub type RateSpec<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

/// A tariff from `by` on `on`, with its rates.
pub fn tariff(idt: &str, by: &str, on: &str, deal: Option<&str>, rates: &[RateSpec<'_>]) -> Node {
    let claims = rates
        .iter()
        .map(|(key, total, from, until, sup)| {
            let mut c = claim(
                key,
                crate::model::Rate {
                    total: percent(total),
                    components: Vec::new(),
                },
                *from,
            );
            c.valid_until =
                until.map(|d| Box::new(When::stated(d.parse().unwrap_or_else(|e| panic!("{e}")))));
            c.supersedes = sup.map(Into::into);
            c
        })
        .collect();
    let data = crate::model::TariffMeasure {
        imposer: id(by),
        target: id(on),
        scope: "goods".into(),
        deal: deal.map(id),
        status: ClaimSet::default(),
        rate: ClaimSet::new(claims),
        volume_limit: ClaimSet::default(),
    };
    node(idt, idt, NodeData::TariffMeasure(Box::new(data)))
}

pub fn deal(idt: &str, parties: &[&str], announced: Option<&str>) -> Node {
    let data = crate::model::Deal {
        parties: parties.iter().map(|p| id(p)).collect(),
        status: ClaimSet::default(),
        announced: announced.map(|d| When {
            inferred: true,
            ..When::stated(d.parse().unwrap_or_else(|e| panic!("{e}")))
        }),
        deadline: None,
    };
    node(idt, idt, NodeData::Deal(Box::new(data)))
}

pub fn event(idt: &str, date: &str, participants: &[&str]) -> Node {
    let data = crate::model::Event {
        kind: crate::model::EventKind::Meeting,
        date: Some(When::stated(date.parse().unwrap_or_else(|e| panic!("{e}")))),
        duration: ClaimSet::default(),
        participants: participants.iter().map(|p| id(p)).collect(),
        venue: None,
        place: None,
        deal: None,
        part_of: None,
    };
    node(idt, idt, NodeData::Event(Box::new(data)))
}

/// A pledge in a deal.
pub fn pledge_in(idt: &str, by: &str, to: &str, deal_id: &str, amount: &str) -> Node {
    let mut n = pledge(Pledge {
        id: idt,
        by,
        to,
        kind: CommitmentKind::Investment,
        amount: Some(money(amount, "USD")),
        period: Period::OneOff,
        part_of: None,
    });
    if let NodeData::Commitment(c) = &mut n.data {
        c.deal = Some(id(deal_id));
    }
    n
}

/// A pledge, every part given.
pub fn pledge_of<'a>(
    id: &'a str,
    by: &'a str,
    to: &'a str,
    kind: CommitmentKind,
    amount: Option<Amount>,
    period: Period,
    part_of: Option<&'a str>,
) -> Pledge<'a> {
    Pledge {
        id,
        by,
        to,
        kind,
        amount,
        period,
        part_of,
    }
}

/// Japan, South Korea and the United States, with these pledges among them.
pub fn pledge_graph(pledges: Vec<Pledge<'_>>) -> super::KnowledgeGraph {
    let mut nodes = vec![
        country("jp", "Japan"),
        country("kr", "South Korea"),
        country("us", "United States"),
    ];
    nodes.extend(pledges.into_iter().map(pledge));
    super::KnowledgeGraph::build(nodes, Vec::new()).unwrap_or_else(|e| panic!("{e}"))
}

/// The server's default bounds, for questions in tests.
pub const BOUNDS: crate::graph::Bounds = crate::graph::Bounds {
    neighborhood_depth: 4,
    neighborhood_nodes: 2000,
    path_length: 6,
    paths: 20,
    path_visits: 100_000,
    search_chars: 512,
    search_words: 16,
};

/// A small deterministic random source (xorshift), so a failure replays exactly.
pub struct Dice(pub u64);

impl Dice {
    /// A number below `n`.
    pub fn roll(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The document every test fact cites (`source:doc`, line 1).
pub fn doc() -> Node {
    node(
        "source:doc",
        "A report",
        NodeData::Source(Box::new(crate::model::Source {
            kind: crate::model::SourceKind::Document,
            title: "A report".into(),
            published: None,
            publisher: None,
            file: None,
        })),
    )
}
