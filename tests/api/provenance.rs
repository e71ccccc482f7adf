//! Every fact in the seed is traced to a paragraph that really reports it,
//! and the seed's prose is our own: no eight-word run of the article outside quotes.

use std::collections::HashSet;

use pledgegraph::graph::Direction;
use pledgegraph::model::{Amount, ClaimSet, Node, NodeData, SourceRef};
use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use crate::helpers::{article_lines, graph, root, seed_dir};

const ARTICLE: &str = "source:trade-talks-2025-07";

fn fold(text: &str) -> String {
    text.to_lowercase()
        .replace(['’', '‘'], "'")
        .replace(['“', '”'], "\"")
}

/// Writes 770000 as "770,000".
fn thousands(d: Decimal) -> String {
    let text = d.normalize().to_string();
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    frac.map_or(out.clone(), |f| format!("{out}.{f}"))
}

/// The ways the article may write an amount: "550" (of "USD 550 billion"), "75%", "770,000".
fn amount_terms(a: &Amount) -> Vec<String> {
    match a {
        Amount::Money(m) => {
            let shown = m.display();
            let number = shown
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
            vec![number, thousands(m.amount)]
        }
        Amount::Percent(p) => vec![format!("{}%", p.points())],
        Amount::Quantity(q) => vec![thousands(q.value), q.value.to_string()],
    }
}

/// Names and aliases of a node.
fn names(n: &Node) -> Vec<String> {
    std::iter::once(&n.name)
        .chain(&n.aliases)
        .map(|s| fold(s))
        .collect()
}

/// Words that show a line speaks of a node: its names; for a deal the nouns
/// that refer back to one ("this deal"); for a statement its quotes, speaker
/// and subjects.
fn terms(n: &Node) -> Vec<String> {
    let mut out = names(n);
    if matches!(n.data, NodeData::Deal(_)) {
        out.extend(["deal".to_string(), "agreement".to_string()]);
    }
    if let NodeData::Statement(s) = &n.data {
        out.extend(s.quotes.iter().map(|q| fold(q)));
        for other in s.speaker.iter().chain(&s.about) {
            out.extend(graph().get(other).map(names).unwrap_or_default());
        }
    }
    out
}

/// Claims whose value the source implies rather than states, each with a
/// note saying how it follows (the "4" crossed out for a "5" on a 400 panel).
fn derived_values(n: &Node) -> Vec<String> {
    let mut out = Vec::new();
    if let NodeData::Commitment(c) = &n.data {
        for claim in c.amount.all() {
            if claim.note.as_deref().is_some_and(|t| t.len() > 20) {
                out.push(format!("amount.{}", claim.key));
            }
        }
    }
    out
}

fn document_lines(refs: &[SourceRef]) -> Vec<u32> {
    refs.iter()
        .filter(|r| r.source.as_str() == ARTICLE)
        .filter_map(|r| r.line)
        .collect()
}

fn mentions(lines: &[String], line: u32, terms: &[String]) -> bool {
    let text = fold(
        lines
            .get(line as usize)
            .map(String::as_str)
            .unwrap_or_default(),
    );
    terms
        .iter()
        .any(|t| !t.is_empty() && text.contains(t.as_str()))
}

/// Every claim of a node as (what it is, its sources, the words of its value).
fn claims(n: &Node) -> Vec<(String, &[SourceRef], Vec<String>)> {
    fn amounts<'a>(
        out: &mut Vec<(String, &'a [SourceRef], Vec<String>)>,
        f: &str,
        set: &'a ClaimSet<Amount>,
    ) {
        for c in set.all() {
            out.push((format!("{f}.{}", c.key), &c.sources, amount_terms(&c.value)));
        }
    }
    let mut out = Vec::new();
    match &n.data {
        NodeData::Commitment(c) => {
            amounts(&mut out, "amount", &c.amount);
            amounts(&mut out, "baseline", &c.baseline);
            amounts(&mut out, "limit", &c.limit);
        }
        NodeData::Project(p) => amounts(&mut out, "value", &p.value),
        NodeData::TariffMeasure(t) => {
            for c in t.rate.all() {
                let mut words = vec![format!("{}%", c.value.total.points())];
                words.extend(
                    c.value
                        .components
                        .iter()
                        .map(|x| format!("{}%", x.percent.points())),
                );
                out.push((format!("rate.{}", c.key), &c.sources, words));
            }
        }
        NodeData::Event(e) => {
            for c in e.duration.all() {
                out.push((
                    format!("duration.{}", c.key),
                    &c.sources,
                    vec![c.value.value.to_string()],
                ));
            }
        }
        NodeData::Person(p) => {
            for c in p.roles.all() {
                // "Trade Minister" may appear as "the country's Trade Minister".
                let title = fold(&c.value.title);
                let mut words: Vec<String> = title
                    .split(' ')
                    .filter(|w| w.len() >= 5)
                    .map(str::to_string)
                    .collect();
                words.push(title);
                out.push((format!("roles.{}", c.key), &c.sources, words));
            }
        }
        _ => {}
    }
    out
}

#[test]
fn every_node_and_relation_cites_a_paragraph() {
    let g = graph();
    assert!(
        g.node_count() > 50,
        "the seed should be the whole article, found {} nodes",
        g.node_count()
    );
    for kind in pledgegraph::model::NodeKind::ALL {
        for n in g.nodes_of_kind(*kind) {
            assert!(!n.sources.is_empty(), "{} has no source", n.id);
        }
    }
    for e in g.edges() {
        assert!(
            !e.relation.sources.is_empty(),
            "{:?} has no source",
            e.relation
        );
    }
}

/// The words of a node and of its claims' values.
fn own_words(n: &Node) -> Vec<String> {
    let mut words = terms(n);
    words.extend(claims(n).into_iter().flat_map(|(_, _, w)| w));
    words
}

/// Names and aliases of every node next to `n`.
fn neighbour_words(n: &Node) -> Vec<String> {
    graph()
        .neighbors(&n.id, &[], Direction::Both)
        .into_iter()
        .flat_map(|x| names(x.node))
        .collect()
}

#[test]
fn every_cited_line_mentions_the_node_it_supports() {
    // At least one cited paragraph names the node (or states its value, or
    // for a statement its quote); every other one names it or a node it is
    // directly related to, so no citation points at an unrelated paragraph.
    let lines = article_lines();
    let mut failures = Vec::new();
    for kind in pledgegraph::model::NodeKind::ALL {
        for n in graph().nodes_of_kind(*kind) {
            if n.id.as_str() == ARTICLE {
                continue;
            }
            let cited = document_lines(&n.sources);
            let own = own_words(n);
            let near = neighbour_words(n);
            if let Some(line) = cited.iter().find(|&&l| l as usize >= lines.len()) {
                failures.push(format!(
                    "{} cites line {line}, past the end of the article",
                    n.id
                ));
                continue;
            }
            if !cited.is_empty() && !cited.iter().any(|&l| mentions(&lines, l, &own)) {
                failures.push(format!(
                    "{}: none of lines {cited:?} mentions it ({own:?})",
                    n.id
                ));
            }
            for &line in &cited {
                if !mentions(&lines, line, &own) && !mentions(&lines, line, &near) {
                    failures.push(format!(
                        "{} cites line {line}, which mentions neither it nor a neighbour",
                        n.id
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} citation(s) do not hold:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_claim_cites_a_line_that_states_its_value() {
    let lines = article_lines();
    let mut failures = Vec::new();
    for kind in pledgegraph::model::NodeKind::ALL {
        for n in graph().nodes_of_kind(*kind) {
            let derived = derived_values(n);
            for (what, sources, words) in claims(n) {
                let cited = document_lines(sources);
                let curator = sources.iter().any(|r| r.line.is_none());
                if cited.is_empty() && !curator {
                    failures.push(format!("{}: {what} cites nothing", n.id));
                }
                if !cited.is_empty()
                    && !cited.iter().any(|&l| mentions(&lines, l, &words))
                    && !derived.contains(&what)
                {
                    failures.push(format!(
                        "{}: {what} cites {cited:?}, none of which states {words:?}",
                        n.id
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} claim(s) unsupported:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_relation_cites_lines_that_mention_both_ends() {
    let lines = article_lines();
    let g = graph();
    let mut failures = Vec::new();
    for e in g.edges() {
        let r = &e.relation;
        let cited = document_lines(&r.sources);
        if cited.is_empty() {
            continue; // a curator note, checked to exist by the loader
        }
        for end in [&r.from, &r.to] {
            let Some(n) = g.get(end) else {
                failures.push(format!("{end} is missing"));
                continue;
            };
            if end.as_str() == ARTICLE {
                continue;
            }
            let words = own_words(n);
            if !cited.iter().any(|&l| mentions(&lines, l, &words)) {
                failures.push(format!(
                    "{} -{}-> {}: lines {cited:?} never mention {end}",
                    r.from, r.kind, r.to
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} relation(s) unsupported:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every string in a TOML value, with the key it sits under.
fn strings(key: &str, v: &DeValue<'_>, out: &mut Vec<(String, String)>) {
    match v {
        DeValue::String(s) => out.push((key.to_string(), s.to_string())),
        DeValue::Array(items) => items.iter().for_each(|i| strings(key, i.get_ref(), out)),
        DeValue::Table(t) => t
            .iter()
            .for_each(|(k, v)| strings(k.get_ref(), v.get_ref(), out)),
        _ => {}
    }
}

#[test]
fn no_eight_word_run_of_the_article_outside_quotes() {
    const RUN: usize = 8;
    let article = article_lines().join(" ");
    let grams: HashSet<Vec<String>> = words(&article)
        .windows(RUN)
        .map(<[String]>::to_vec)
        .collect();
    let mut failures = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(seed_dir())
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|x| x == "toml"));
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let table = DeTable::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut found = Vec::new();
        table
            .get_ref()
            .iter()
            .for_each(|(k, v)| strings(k.get_ref(), v.get_ref(), &mut found));
        for (key, s) in found {
            if key == "quotes" || key == "title" {
                continue;
            }
            if let Some(run) = words(&s).windows(RUN).find(|w| grams.contains(*w)) {
                let file = path
                    .strip_prefix(root())
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                failures.push(format!(
                    "{file} `{key}` repeats the article: \"{}\"",
                    run.join(" ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn quotes_are_verbatim_and_short() {
    let article = fold(&article_lines().join(" "));
    for n in graph().nodes_of_kind(pledgegraph::model::NodeKind::Statement) {
        if let NodeData::Statement(s) = &n.data {
            for q in &s.quotes {
                assert!(
                    article.contains(&fold(q)),
                    "{}: quote {q:?} is not in the article",
                    n.id
                );
                assert!(
                    words(q).len() <= 20,
                    "{}: quote {q:?} is longer than a short phrase",
                    n.id
                );
            }
        }
    }
}
