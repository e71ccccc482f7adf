//! Tests of the whole index: matching, ranking, early stops and memory.

use super::text::{SNIPPET_MAX_CHARS, hyphen_runs, key_hash, pieces, tokenize};
use super::*;
use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};

/// The server's default cut: 512 chars, 16 words.
const CUT: (usize, usize) = (512, 16);

/// The normal form used for matching: NFKD, combining marks dropped,
/// lowercase, apostrophes (' ’ ‘ ʼ) removed along with a possessive "s" after
/// them ("Tokyo’s" -> "tokyo"), every other non-alphanumeric char a word
/// break, words joined by single spaces.
// Part of the API; the graph layer does not call it yet.
fn normalize(text: &str) -> String {
    tokenize(text)
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn all(_: u32) -> bool {
    true
}

fn index(entries: &[(u32, Field, &str)]) -> SearchIndex {
    let mut ix = SearchIndex::default();
    for &(doc, field, text) in entries {
        ix.add_numbered(doc, field, text);
    }
    ix.finish_numbered();
    ix
}

fn docs(hits: &[SearchHit]) -> Vec<u32> {
    hits.iter().map(|h| h.doc).collect()
}

fn kinds(hits: &[SearchHit]) -> Vec<MatchKind> {
    hits.iter().map(|h| h.matched).collect()
}

#[test]
fn normalize_rules() {
    assert_eq!(normalize("SEOUL"), "seoul");
    assert_eq!(normalize("Séoul"), "seoul");
    assert_eq!(normalize("São Paulo"), "sao paulo");
    assert_eq!(normalize("Tokyo’s"), "tokyo");
    assert_eq!(normalize("Tokyo's ministry"), "tokyo ministry");
    assert_eq!(normalize("TOKYO'S"), "tokyo");
    assert_eq!(normalize("Tokyoʼs and Seoul‘s"), "tokyo and seoul");
    assert_eq!(normalize("O'Sullivan"), "osullivan");
    assert_eq!(normalize("Xi’an"), "xian");
    assert_eq!(normalize("Han-Koo"), "han koo");
    assert_eq!(normalize("  U.S.–Korea   FTA!! "), "u s korea fta");
    assert_eq!(normalize("ＦＵＬＬ ｗｉｄｔｈ"), "full width");
    assert_eq!(normalize("İstanbul"), "istanbul");
    assert_eq!(normalize("!!!"), "");
    assert_eq!(normalize(""), "");
}

#[test]
fn matching_ignores_case() {
    let ix = index(&[(0, Field::Name, "Republic of Korea")]);
    for q in [
        "republic of korea",
        "REPUBLIC OF KOREA",
        "rEpUbLiC oF kOrEa",
    ] {
        let hits = ix.search(q, 10, CUT, &all);
        assert_eq!(docs(&hits), vec![0], "{q}");
        assert_eq!(hits[0].matched, MatchKind::ExactName);
        assert_eq!(hits[0].text, "Republic of Korea");
    }
}

#[test]
fn matching_ignores_accents_both_ways() {
    let ix = index(&[(0, Field::Name, "Seoul"), (1, Field::Name, "São Paulo")]);
    assert_eq!(docs(&ix.search("Séoul", 10, CUT, &all)), vec![0]);
    let hits = ix.search("sao paulo", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![1]);
    assert_eq!(hits[0].matched, MatchKind::ExactName);
    assert_eq!(hits[0].text, "São Paulo");
}

#[test]
fn apostrophe_possessive() {
    let ix = index(&[
        (0, Field::Name, "Tokyo"),
        (1, Field::Name, "Tokyo’s Ministry of Trade"),
    ]);
    let hits = ix.search("Tokyo's", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![0, 1]);
    assert_eq!(hits[0].matched, MatchKind::ExactName);
    assert_eq!(hits[1].matched, MatchKind::Token);
    let hits = ix.search("tokyo ministry of trade", 10, CUT, &all);
    assert_eq!(hits[0].doc, 1);
    assert_eq!(hits[0].matched, MatchKind::ExactName);
}

#[test]
fn hyphenated_names() {
    let ix = index(&[
        (0, Field::Name, "Han-Koo Trade Council"),
        (1, Field::Name, "Hankoo"),
        (2, Field::Text, "unrelated"),
    ]);
    for q in [
        "han koo trade council",
        "Han-Koo Trade Council",
        "hankoo trade council",
    ] {
        let hits = ix.search(q, 10, CUT, &all);
        assert_eq!(
            hits.first().map(|h| (h.doc, h.matched)),
            Some((0, MatchKind::ExactName)),
            "{q}"
        );
    }
    for q in ["han koo", "HAN KOO trade"] {
        assert_eq!(docs(&ix.search(q, 10, CUT, &all)), vec![0], "{q}");
    }
    // The joined form finds both the hyphenated and the written-together name.
    let hits = ix.search("hankoo", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![1, 0]);
    assert_eq!(kinds(&hits), vec![MatchKind::ExactName, MatchKind::Token]);
    // And a hyphenated query finds the written-together name.
    let hits = ix.search("Han-Koo", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![1, 0]);
    assert_eq!(hits[0].matched, MatchKind::ExactName);
    assert_eq!(hits[0].text, "Hankoo");
}

#[test]
fn a_slug_is_found_by_its_words_but_not_joined() {
    let ix = index(&[
        (0, Field::Alias, "us-japan-trade-talks-2025-07"),
        (1, Field::Name, "Lutnick-Kim-Yeo meeting"),
        (2, Field::Name, "USJapan Forum"),
    ]);
    // Up to three hyphen-joined words are a compound, joined into one more term.
    let hits = ix.search("lutnickkimyeo meeting", 10, CUT, &all);
    assert_eq!(kinds(&hits), vec![MatchKind::ExactName]);
    let runs = hyphen_runs(&tokenize("Lutnick-Kim-Yeo meeting"));
    assert_eq!(runs.iter().map(|r| r.parts).collect::<Vec<_>>(), [3, 1]);
    // More are an identifier: its words are terms, the slug is no term of its own.
    assert!(hyphen_runs(&tokenize("us-japan-trade-talks-2025-07")).is_empty());
    let hits = ix.search("us-japan-trade-talks-2025-07", 10, CUT, &all);
    assert_eq!(
        hits.first().map(|h| (h.doc, h.matched)),
        Some((0, MatchKind::ExactAlias))
    );
    assert_eq!(
        docs(&ix.search("japan trade talks", 10, CUT, &all)),
        vec![0]
    );
    assert!(
        ix.search("usjapantradetalks202507", 10, CUT, &all)
            .is_empty()
    );
    // So a word that starts slugs is no prefix of a term for each of them.
    assert!(ix.search("usjapantrade", 10, CUT, &all).is_empty());
    assert_eq!(docs(&ix.search("usjap", 10, CUT, &all)), vec![2]);
}

#[test]
fn ranking_order_exact_alias_token_prefix_fuzzy() {
    let ix = index(&[
        (5, Field::Name, "Soeul Market"),
        (4, Field::Name, "Seoulite Society"),
        (3, Field::Name, "Some agency"),
        (3, Field::Text, "An agency based in Seoul."),
        (2, Field::Name, "Seoul Metropolitan Government"),
        (1, Field::Name, "Capital of Korea"),
        (1, Field::Alias, "Seoul"),
        (0, Field::Name, "Seoul"),
    ]);
    let hits = ix.search("seoul", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(
        kinds(&hits),
        vec![
            MatchKind::ExactName,
            MatchKind::ExactAlias,
            MatchKind::Token,
            MatchKind::Token,
            MatchKind::Prefix,
            MatchKind::Fuzzy
        ]
    );
    let fields: Vec<Field> = hits.iter().map(|h| h.field).collect();
    assert_eq!(
        fields,
        vec![
            Field::Name,
            Field::Alias,
            Field::Name,
            Field::Text,
            Field::Name,
            Field::Name
        ]
    );
    assert!(hits.windows(2).all(|w| w[0].score > w[1].score), "{hits:?}");
    assert_eq!(hits[3].text, "An agency based in Seoul.");
    assert_eq!(hits[5].text, "Soeul Market");
}

#[test]
fn token_ranks_name_over_alias_over_text_then_shorter() {
    let ix = index(&[
        (0, Field::Text, "Trade pact"),
        (1, Field::Alias, "Trade pact of 2019"),
        (2, Field::Name, "Trade pact of the Pacific"),
        (3, Field::Name, "Trade pact of 2019"),
    ]);
    let hits = ix.search("pact", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![3, 2, 1, 0]);
    assert!(hits.iter().all(|h| h.matched == MatchKind::Token));
}

#[test]
fn all_query_words_must_be_in_one_text() {
    let ix = index(&[
        (0, Field::Name, "Seoul"),
        (0, Field::Alias, "Busan"),
        (1, Field::Text, "From Seoul to Busan"),
    ]);
    let hits = ix.search("seoul busan", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![1]);
    assert_eq!(hits[0].matched, MatchKind::Token);
}

#[test]
fn one_hit_per_doc_with_its_best_match() {
    let ix = index(&[
        (7, Field::Text, "Seoul is the capital"),
        (7, Field::Alias, "Seoul City"),
        (7, Field::Name, "Seoul"),
    ]);
    let hits = ix.search("seoul", 10, CUT, &all);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].doc, hits[0].matched, hits[0].field),
        (7, MatchKind::ExactName, Field::Name)
    );
}

#[test]
fn prefix_needs_two_chars_and_prefers_shorter() {
    let ix = index(&[(0, Field::Name, "Koreana"), (1, Field::Name, "Korea")]);
    let hits = ix.search("kor", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![1, 0]);
    assert!(hits.iter().all(|h| h.matched == MatchKind::Prefix));
    assert_eq!(docs(&ix.search("ko", 10, CUT, &all)), vec![1, 0]);
    assert!(ix.search("k", 10, CUT, &all).is_empty());
    // Every query word may be a prefix.
    let ix = index(&[(0, Field::Name, "Ministry of Economy and Finance")]);
    let hits = ix.search("min econ fin", 10, CUT, &all);
    assert_eq!(kinds(&hits), vec![MatchKind::Prefix]);
}

#[test]
fn typo_at_distance_two_in_long_word_is_found() {
    let ix = index(&[
        (0, Field::Name, "Seoul Metropolitan Government"),
        (1, Field::Name, "Busan"),
    ]);
    // "metropolitan" -> swap "ro", drop an "a": distance 2.
    assert_eq!(strsim::osa_distance("metorpolitn", "metropolitan"), 2);
    let hits = ix.search("seoul metorpolitn", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![0]);
    assert_eq!(hits[0].matched, MatchKind::Fuzzy);
    // Distance 2 in a five-letter word.
    let hits = ix.search("bsuam", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![1]);
    assert_eq!(hits[0].matched, MatchKind::Fuzzy);
    // Distance 3 is too far.
    assert!(ix.search("mteorpolitn", 10, CUT, &all).is_empty());
}

#[test]
fn fewer_typos_rank_first() {
    let ix = index(&[(0, Field::Name, "Hanover"), (1, Field::Name, "Hannover")]);
    let hits = ix.search("hanovre", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![0, 1]);
    assert!(hits[0].score > hits[1].score);
}

#[test]
fn short_word_typo_is_not_fuzzy() {
    let ix = index(&[(0, Field::Name, "Lima"), (1, Field::Name, "Kiev")]);
    assert!(ix.search("Lmia", 10, CUT, &all).is_empty());
    assert!(ix.search("Kiew", 10, CUT, &all).is_empty());
    assert_eq!(docs(&ix.search("Lim", 10, CUT, &all)), vec![0]);
}

#[test]
fn accept_filters_before_limit() {
    let ix = index(&[
        (0, Field::Name, "Seoul"),
        (1, Field::Name, "Seoul Station"),
        (2, Field::Name, "Seoul Forest"),
        (3, Field::Name, "Seoul Tower"),
        (4, Field::Name, "Seoul Arts Center"),
        (5, Field::Name, "Seoul Land"),
    ]);
    let even = |doc: u32| doc % 2 == 0;
    let hits = ix.search("seoul", 2, CUT, &even);
    assert_eq!(docs(&hits), vec![0, 2]);
    let hits = ix.search("seoul", 10, CUT, &even);
    assert_eq!(docs(&hits), vec![0, 2, 4]);
    assert!(ix.search("seoul", 10, CUT, &|_| false).is_empty());
}

#[test]
fn ties_are_broken_by_doc_id() {
    let entries: Vec<(u32, Field, &str)> = [9, 3, 7, 1, 5]
        .iter()
        .map(|&d| (d, Field::Name, "Springfield"))
        .collect();
    let ix = index(&entries);
    let first = ix.search("springfield", 10, CUT, &all);
    assert_eq!(docs(&first), vec![1, 3, 5, 7, 9]);
    assert!(first.windows(2).all(|w| w[0].score == w[1].score));
    for _ in 0..5 {
        assert_eq!(ix.search("springfield", 10, CUT, &all), first);
    }
    assert_eq!(docs(&ix.search("springfield", 2, CUT, &all)), vec![1, 3]);
    assert_eq!(docs(&ix.search("sprngfield", 3, CUT, &all)), vec![1, 3, 5]);
}

#[test]
fn empty_and_garbage_queries_are_cut_and_answered() {
    let ix = index(&[(0, Field::Name, "Seoul"), (1, Field::Text, "a a a a")]);
    assert!(ix.search("", 10, CUT, &all).is_empty());
    assert!(ix.search("!!!", 10, CUT, &all).is_empty());
    assert!(ix.search("  \t\n ", 10, CUT, &all).is_empty());
    assert!(ix.search("seoul", 0, CUT, &all).is_empty());
    assert!(ix.search(&"!".repeat(10_000), 10, CUT, &all).is_empty());
    assert!(ix.search(&"x".repeat(10_000), 10, CUT, &all).is_empty());
    assert!(ix.search(&"é".repeat(10_000), 10, CUT, &all).is_empty());
    assert!(
        ix.search(&"zzzzzqzzz ".repeat(1_000), 10, CUT, &all)
            .is_empty()
    );
    // A huge query is read only as far as the cut: it answers what its first words do,
    // so its work is bounded by the cut, not by its length.
    for (huge, head) in [("a ", 40), ("seoul-", 40), ("s'", 40)] {
        assert_eq!(
            ix.search(&huge.repeat(5_000), 10, CUT, &all),
            ix.search(&huge.repeat(head), 10, CUT, &all),
            "{huge:?}"
        );
    }
}

#[test]
fn fuzzy_needs_no_finish_and_later_adds_are_found() {
    let mut ix = SearchIndex::default();
    ix.add_numbered(0, Field::Name, "Metropolitan");
    assert_eq!(docs(&ix.search("metropolitan", 10, CUT, &all)), vec![0]);
    assert_eq!(docs(&ix.search("metro", 10, CUT, &all)), vec![0]);
    let before = ix.search("metropolitn", 10, CUT, &all);
    assert_eq!(docs(&before), vec![0]);
    ix.finish_numbered();
    assert_eq!(ix.search("metropolitn", 10, CUT, &all), before);
    // Added after finish: found by token search, and fuzzily by old and new terms.
    ix.add_numbered(1, Field::Name, "Metropolitan Council");
    assert_eq!(
        docs(&ix.search("metropolitan council", 10, CUT, &all)),
        vec![1]
    );
    assert_eq!(docs(&ix.search("metropolitn", 10, CUT, &all)), vec![0, 1]);
    assert_eq!(docs(&ix.search("councl", 10, CUT, &all)), vec![1]);
}

#[test]
fn long_text_gives_snippet_around_match() {
    let filler = "lorem ipsum dolor sit amet ".repeat(20);
    let text = format!("{filler}the Busan accord was signed {filler}");
    let ix = index(&[(0, Field::Text, &text)]);
    let hits = ix.search("busan accord", 10, CUT, &all);
    assert_eq!(hits.len(), 1);
    let snip = &hits[0].text;
    assert!(snip.contains("Busan accord"), "{snip}");
    assert!(snip.starts_with('…') && snip.ends_with('…'), "{snip}");
    assert!(snip.chars().count() <= SNIPPET_MAX_CHARS + 2);
}

#[test]
fn query_is_cut_to_max_tokens() {
    let ix = index(&[(0, Field::Text, "alpha beta")]);
    // Past the first CUT.1 words nothing counts.
    let mut q = "alpha ".repeat(CUT.1);
    q.push_str("nonexistent");
    assert_eq!(docs(&ix.search(&q, 10, CUT, &all)), vec![0]);
}

/// The search for `q` as (doc, how it matched).
fn found(ix: &SearchIndex, q: &str) -> Vec<(u32, MatchKind)> {
    ix.search(q, 10, CUT, &all)
        .iter()
        .map(|h| (h.doc, h.matched))
        .collect()
}

#[test]
fn add_after_searching_is_found_by_every_stage() {
    let mut ix = index(&[(0, Field::Name, "Seoul")]);
    assert!(ix.search("pyongyang", 10, CUT, &all).is_empty());
    ix.add_numbered(1, Field::Name, "Pyongyang");
    ix.add_numbered(1, Field::Alias, "Ryugyong");
    ix.add_numbered(1, Field::Text, "Capital on the Taedong river");
    assert_eq!(found(&ix, "pyongyang"), vec![(1, MatchKind::ExactName)]);
    assert_eq!(found(&ix, "ryugyong"), vec![(1, MatchKind::ExactAlias)]);
    assert_eq!(found(&ix, "taedong"), vec![(1, MatchKind::Token)]);
    assert_eq!(found(&ix, "taed"), vec![(1, MatchKind::Prefix)]);
    assert_eq!(found(&ix, "pyongayng"), vec![(1, MatchKind::Fuzzy)]);
    assert_eq!(found(&ix, "seoul"), vec![(0, MatchKind::ExactName)]);
}

#[test]
fn remove_doc_removes_it_from_every_stage() {
    let mut ix = index(&[
        (0, Field::Name, "Seoul"),
        (1, Field::Name, "Pyongyang"),
        (1, Field::Alias, "Ryugyong-Taedong"),
        (1, Field::Text, "Capital on the Taedong river"),
    ]);
    ix.remove_numbered(1);
    for q in [
        "pyongyang",        // exact name
        "ryugyong taedong", // exact alias
        "ryugyongtaedong",  // exact alias, joined, and its joined term
        "river",            // token
        "taed",             // prefix
        "pyongayng",        // typo
        "ryugyonk",         // typo
    ] {
        assert!(ix.search(q, 10, CUT, &all).is_empty(), "{q}");
    }
    assert_eq!(found(&ix, "seoul"), vec![(0, MatchKind::ExactName)]);
    // Only Seoul's term and its keys are left.
    let fresh = index(&[(0, Field::Name, "Seoul")]);
    assert_eq!(ix.term_ids.len(), 1);
    assert_eq!(ix.sorted_terms.len(), 1);
    assert_eq!(ix.exact.len(), 1);
    assert_eq!(ix.fuzzy.len(), fresh.fuzzy.len());
    assert_eq!(ix.doc_texts.len(), 1);
    // Removing it again, or a doc never added, changes nothing.
    ix.remove_numbered(1);
    ix.remove_numbered(42);
    assert_eq!(found(&ix, "seoul"), vec![(0, MatchKind::ExactName)]);
}

#[test]
fn renamed_doc_is_found_by_its_new_name_only() {
    let mut ix = index(&[
        (0, Field::Name, "Kaesong Industrial Region"),
        (1, Field::Name, "Busan"),
    ]);
    ix.remove_numbered(0);
    ix.add_numbered(0, Field::Name, "Songdo Industrial Complex");
    assert_eq!(
        found(&ix, "songdo industrial complex"),
        vec![(0, MatchKind::ExactName)]
    );
    assert_eq!(found(&ix, "songdo"), vec![(0, MatchKind::Token)]);
    assert_eq!(found(&ix, "sogndo"), vec![(0, MatchKind::Fuzzy)]);
    for q in [
        "kaesong industrial region",
        "kaesong",
        "kaes",
        "kaesnog",
        "region",
        "regoin",
    ] {
        assert!(ix.search(q, 10, CUT, &all).is_empty(), "{q}");
    }
    // The word kept by the rename is still there.
    assert_eq!(found(&ix, "industrial"), vec![(0, MatchKind::Token)]);
}

#[test]
fn removing_one_doc_keeps_another_with_the_same_terms() {
    let mut ix = index(&[
        (0, Field::Name, "Seoul Tower"),
        (0, Field::Alias, "Namsan Tower"),
        (1, Field::Name, "Seoul Tower"),
        (1, Field::Alias, "Namsan Tower"),
        (1, Field::Text, "A tower on Namsan"),
        (2, Field::Text, "A tower on Namsan"),
    ]);
    ix.remove_numbered(1);
    assert_eq!(found(&ix, "seoul tower"), vec![(0, MatchKind::ExactName)]);
    assert_eq!(
        found(&ix, "namsan tower"),
        vec![(0, MatchKind::ExactAlias), (2, MatchKind::Token)]
    );
    assert_eq!(
        found(&ix, "namsan"),
        vec![(0, MatchKind::Token), (2, MatchKind::Token)]
    );
    assert_eq!(found(&ix, "seo"), vec![(0, MatchKind::Prefix)]);
    assert_eq!(
        found(&ix, "nasman"),
        vec![(0, MatchKind::Fuzzy), (2, MatchKind::Fuzzy)]
    );
    ix.remove_numbered(0);
    assert!(ix.search("seoul", 10, CUT, &all).is_empty());
    assert_eq!(found(&ix, "namsan"), vec![(2, MatchKind::Token)]);
    assert_eq!(found(&ix, "nasman"), vec![(2, MatchKind::Fuzzy)]);
}

/// A small deterministic generator for the randomized tests.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const COMMON: &[&str] = &[
    "tariff",
    "tariffs",
    "trade",
    "council",
    "ministry",
    "republic",
    "of",
    "the",
    "on",
    "steel",
    "talks",
    "summit",
    "pledge",
    "investment",
    "agreement",
    "korea",
    "seoul",
];

/// A random text of `least` words and up to `spread - 1` more: common words, rarer made-up ones, some joined by
/// hyphens.
fn random_text(rng: &mut Rng, least: usize, spread: usize) -> String {
    let words = least + rng.below(spread);
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push(if rng.below(8) == 0 { '-' } else { ' ' });
        }
        if rng.below(3) == 0 {
            let len = 3 + rng.below(7);
            out.extend((0..len).map(|_| (b'a' + rng.below(6) as u8) as char));
        } else {
            let w = rng.pick(COMMON);
            if rng.below(4) == 0 {
                out.push_str(&w.to_uppercase());
            } else {
                out.push_str(w);
            }
        }
    }
    out
}

/// A query drawn from what the index holds: words, prefixes, typos, whole names.
fn random_query(rng: &mut Rng, texts: &[String]) -> String {
    let text = &texts[rng.below(texts.len())];
    let words: Vec<&str> = text.split([' ', '-']).collect();
    let word = |rng: &mut Rng| words[rng.below(words.len())].to_string();
    match rng.below(6) {
        0 => text.clone(),
        1 => word(rng),
        2 => format!("{} {}", word(rng), word(rng)),
        3 => word(rng).chars().take(2 + rng.below(3)).collect(),
        4 => {
            let mut chars: Vec<char> = word(rng).chars().collect();
            if chars.len() > 3 {
                chars.swap(1, 2);
            }
            if chars.len() > 6 && rng.below(2) == 0 {
                chars.remove(4);
            }
            chars.into_iter().collect()
        }
        _ => format!("{} {}", rng.pick(COMMON), word(rng)),
    }
}

/// The order of doc numbers, which most tests give the index.
fn by_number(a: u32, b: u32) -> std::cmp::Ordering {
    a.cmp(&b)
}

/// A key of [`by_number`]: sixteen docs in a row share it.
fn by_number_key(doc: u32) -> u128 {
    u128::from(doc / 16)
}

/// Where a doc is in [`scrambled`].
fn scramble(doc: u32) -> u32 {
    doc.wrapping_mul(2_654_435_761) ^ 0x5bd1_e995
}

/// An order of docs unlike their numbers.
fn scrambled(a: u32, b: u32) -> std::cmp::Ordering {
    scramble(a).cmp(&scramble(b))
}

/// A key of [`scrambled`]: a few thousand docs, far apart in number, share each.
fn scrambled_key(doc: u32) -> u128 {
    u128::from(scramble(doc) >> 20)
}

/// The index's changes with docs in the order of their numbers.
impl SearchIndex {
    fn add_numbered(&mut self, doc: u32, field: Field, text: &str) {
        self.add(doc, field, text, &by_number);
    }

    fn remove_numbered(&mut self, doc: u32) {
        self.remove_doc(doc, &by_number);
    }

    fn finish_numbered(&mut self) {
        self.finish(&by_number, &by_number_key);
    }
}

/// Every text of the index, and for each term the texts that hold it, made from the
/// texts' own terms: what the reference search reads.
struct Texts {
    all: Vec<(u32, TextEntry)>,
    /// Term -> where its texts are in `all`.
    by_term: HashMap<u32, Vec<usize>>,
}

impl Texts {
    fn of(ix: &SearchIndex) -> Self {
        let all: Vec<(u32, TextEntry)> =
            [(&ix.texts.named, 0), (&ix.texts.described, TEXT_FIELD_BIT)]
                .into_iter()
                .flat_map(|(slots, bit)| {
                    (0u32..)
                        .zip(&slots.items)
                        .filter_map(move |(i, e)| e.clone().map(|e| (i | bit, e)))
                })
                .collect();
        let mut by_term: HashMap<u32, Vec<usize>> = HashMap::new();
        for (at, (_, e)) in all.iter().enumerate() {
            for &t in e.terms.iter() {
                let list = by_term.entry(t).or_default();
                if list.last() != Some(&at) {
                    list.push(at);
                }
            }
        }
        Texts { all, by_term }
    }

    /// The texts that hold any of `terms`, each once.
    fn holding<'t>(&self, terms: impl Iterator<Item = &'t u32>) -> Vec<(u32, &TextEntry)> {
        let mut at: Vec<usize> = terms
            .flat_map(|t| self.by_term.get(t).into_iter().flatten().copied())
            .collect();
        at.sort_unstable();
        at.dedup();
        at.into_iter()
            .map(|i| (self.all[i].0, &self.all[i].1))
            .collect()
    }
}

/// The search's answer worked out from the texts alone, as the module's notes define
/// it: every stage of every variant run in full, every text of the index checked
/// against every query word, no posting list or exact key's list read, and the best
/// `limit` accepted docs taken at the end. Which terms a query word matches in a stage
/// is the index's [`SearchIndex::candidates`]; the term a hit's snippet is cut around is
/// the first of the driving word's terms that the text holds, in the stage that first
/// gave the text its best score.
fn reference(
    ix: &SearchIndex,
    texts: &Texts,
    query: &str,
    limit: usize,
    accept: &dyn Fn(u32) -> bool,
    tie: DocOrder<'_>,
) -> Vec<SearchHit> {
    let query: String = query.chars().take(CUT.0).collect();
    let mut words = tokenize(&query);
    words.truncate(CUT.1);
    if words.is_empty() || limit == 0 {
        return Vec::new();
    }
    let runs = hyphen_runs(&words);
    let mut variants: Vec<Vec<String>> = vec![words.into_iter().map(|w| w.text).collect()];
    if runs.iter().any(|r| r.parts > 1) {
        variants.push(runs.into_iter().map(|r| r.text).collect());
    }
    let term = |id: u32| ix.terms.get(id).map_or("", |e| &*e.term);
    // Doc -> its best match: the highest score, then the lowest text id; the first
    // offer of a text keeps its term.
    let mut best: HashMap<u32, Cand> = HashMap::new();
    let mut offer = |doc: u32, c: Cand| match best.get(&doc) {
        Some(b) if (b.score, Reverse(b.text)) >= (c.score, Reverse(c.text)) => {}
        _ => {
            best.insert(doc, c);
        }
    };
    let len_of = |tokens: &[String]| {
        tokens.iter().map(|t| t.chars().count()).sum::<usize>() + tokens.len() - 1
    };
    for tokens in &variants {
        let first = tokens.first().and_then(|t| ix.term_ids.get(t.as_str()));
        for (id, e) in texts.holding(first.into_iter()) {
            let kind = match e.field {
                Field::Name => MatchKind::ExactName,
                Field::Alias => MatchKind::ExactAlias,
                Field::Text => continue,
            };
            let (w, r) = e.key_parts();
            let is_query = |form: &[u32]| {
                !form.is_empty()
                    && form
                        .iter()
                        .map(|&t| term(t))
                        .eq(tokens.iter().map(String::as_str))
            };
            if is_query(w) || is_query(r) {
                let score = score(kind, e.field, 0, extra_chars(e, len_of(tokens)));
                offer(
                    e.doc,
                    Cand {
                        score,
                        text: id,
                        kind,
                        term: None,
                    },
                );
            }
        }
    }
    for stage in [Stage::Token, Stage::Prefix, Stage::Fuzzy] {
        for tokens in &variants {
            let mut distinct: Vec<&String> = Vec::new();
            for t in tokens {
                if !distinct.contains(&t) {
                    distinct.push(t);
                }
            }
            let cands: Vec<TokenCands> = distinct.iter().map(|t| ix.candidates(t, stage)).collect();
            if cands.iter().any(|c| c.terms.is_empty())
                || (stage != Stage::Token
                    && !cands
                        .iter()
                        .any(|c| c.terms.iter().any(|&(_, q)| stage_of(q) == stage)))
            {
                continue;
            }
            let driver = (0..cands.len())
                .min_by_key(|&i| cands[i].cost(stage))
                .unwrap_or(0);
            // Each word's terms, with their quality and their place among the word's.
            let maps: Vec<HashMap<u32, (Quality, usize)>> = cands
                .iter()
                .map(|c| {
                    (0..)
                        .zip(&c.terms)
                        .map(|(at, &(t, q))| (t, (q, at)))
                        .collect()
                })
                .collect();
            for (id, e) in texts.holding(cands[driver].terms.iter().map(|(t, _)| t)) {
                let quality = |m: &HashMap<u32, (Quality, usize)>| {
                    e.terms
                        .iter()
                        .filter_map(|t| m.get(t))
                        .map(|&(q, _)| q)
                        .min()
                };
                let Some(all) = maps.iter().map(quality).collect::<Option<Vec<Quality>>>() else {
                    continue;
                };
                let Some(&(_, at)) = e
                    .terms
                    .iter()
                    .filter_map(|t| maps[driver].get(t))
                    .min_by_key(|&&(_, at)| at)
                else {
                    continue;
                };
                let driven_by = cands[driver].terms[at].0;
                let kind = kind_of(all.iter().map(|&q| stage_of(q)).max().unwrap_or(stage));
                let edits = all.iter().map(|&q| fuzzy_edits(q)).sum();
                let score = score(kind, e.field, edits, extra_chars(e, len_of(tokens)));
                offer(
                    e.doc,
                    Cand {
                        score,
                        text: id,
                        kind,
                        term: Some(driven_by),
                    },
                );
            }
        }
    }
    let mut hits: Vec<(u32, Cand)> = best.into_iter().filter(|&(doc, _)| accept(doc)).collect();
    hits.sort_by(|a, b| b.1.score.cmp(&a.1.score).then_with(|| tie(a.0, b.0)));
    hits.truncate(limit);
    let text_of = |doc, nth| ix.originals.get(&(doc, nth)).map(|t| &**t);
    hits.into_iter()
        .filter_map(|(doc, c)| {
            let entry = ix.texts.get(c.text)?;
            Some(SearchHit {
                doc,
                score: c.score,
                matched: c.kind,
                field: entry.field,
                text: ix.hit_text(entry, c.term, &text_of),
            })
        })
        .collect()
}

/// Adds a doc of random texts. One doc in five takes its name, or an alias, from a few
/// shared ones, so that many docs tie on a score and exact keys have long lists.
fn add_random_doc(
    ix: &mut SearchIndex,
    rng: &mut Rng,
    texts: &mut Vec<String>,
    shared: &[String],
    doc: u32,
    docs: DocOrder<'_>,
) {
    let name = if rng.below(5) == 0 {
        shared[rng.below(shared.len())].clone()
    } else {
        random_text(rng, 1, 5)
    };
    ix.add(doc, Field::Name, &name, docs);
    texts.push(name);
    for _ in 0..rng.below(3) {
        let alias = if rng.below(5) == 0 {
            shared[rng.below(shared.len())].clone()
        } else {
            random_text(rng, 1, 4)
        };
        ix.add(doc, Field::Alias, &alias, docs);
        texts.push(alias);
    }
    if rng.below(2) == 0 {
        // Some longer than a snippet, which is cut around the term that matched.
        let text = random_text(rng, 4, 40);
        ix.add(doc, Field::Text, &text, docs);
        texts.push(text);
    }
}

/// A doc's texts as the index was given them, in order: each text's field, from its
/// entry (the random texts never normalize to nothing), and its text, from the tests'
/// copy.
fn texts_given(ix: &SearchIndex, doc: u32) -> Vec<(Field, String)> {
    let mut all = Vec::new();
    let mut next = ix.doc_texts.get(&doc).map_or(NO_ID, |&(head, _)| head);
    while let Some(e) = ix.texts.get(next) {
        let text = ix.originals.get(&(doc, e.nth)).map_or("", |t| &**t);
        all.push((e.nth, e.field, text.to_string()));
        next = e.prev;
    }
    all.sort_by_key(|&(nth, _, _)| nth);
    assert!(all.iter().map(|&(nth, _, _)| nth).eq(0..all.len() as u32));
    all.into_iter().map(|(_, f, t)| (f, t)).collect()
}

/// Texts as [`SearchIndex::replace_doc`] takes them.
fn as_given(texts: &[(Field, String)]) -> Vec<(Field, &str)> {
    texts.iter().map(|(f, t)| (*f, t.as_str())).collect()
}

/// Every text the index holds is the one its doc has at its number: the words of the
/// tests' copy are the text's terms.
fn numbered_as_given(ix: &SearchIndex) {
    for slots in [&ix.texts.named, &ix.texts.described] {
        for e in slots.items.iter().flatten() {
            let Some(text) = ix.originals.get(&(e.doc, e.nth)) else {
                panic!("doc {} has no text {}", e.doc, e.nth);
            };
            for w in tokenize(text) {
                let term = ix.term_ids.get(w.text.as_str());
                assert!(
                    term.is_some_and(|t| e.terms.contains(t)),
                    "doc {}, text {}: {text:?} holds {:?}",
                    e.doc,
                    e.nth,
                    w.text
                );
            }
        }
    }
}

/// Builds an index of random docs in the order `docs`, then searches it with random
/// queries, limits and filters, through churn: the early stops, a full read of every
/// list and the reference must give the same hits, in the same order, with the same
/// scores and texts.
fn answers_as_the_reference(seed: u64, docs: DocOrder<'_>, key: DocKey<'_>) {
    let mut rng = Rng(seed);
    let mut ix = SearchIndex::default();
    let mut texts = Vec::new();
    let shared: Vec<String> = (0..12).map(|_| random_text(&mut rng, 1, 3)).collect();
    // Enough texts that the common words' lists are long and chunked.
    for doc in 0..6_000 {
        add_random_doc(&mut ix, &mut rng, &mut texts, &shared, doc, docs);
    }
    ix.finish(docs, key);
    let long = ix
        .terms
        .items
        .iter()
        .flatten()
        .filter(|e| matches!(e.postings, Postings::Ranked(_)))
        .count();
    assert!(long > 10, "{long} chunked lists");
    let third = |doc: u32| doc % 3 != 1;
    let mut compared = 0;
    for round in 0..3 {
        let texts_now = Texts::of(&ix);
        for i in 0..150 {
            // Now and then a shared name whole, as a lookup by name asks.
            let q = if i % 5 == 0 {
                shared[rng.below(shared.len())].clone()
            } else {
                random_query(&mut rng, &texts)
            };
            for accept in [&all as &dyn Fn(u32) -> bool, &third] {
                let every = reference(&ix, &texts_now, &q, 50, accept, docs);
                for limit in [1, 3, 10, 50] {
                    let run = |ix: &SearchIndex| {
                        ix.search_ordered(&q, limit, CUT, accept, docs, &|doc, nth| {
                            ix.originals.get(&(doc, nth)).map(|t| &**t)
                        })
                    };
                    let fast = run(&ix);
                    ix.exhaustive = true;
                    let full = run(&ix);
                    ix.exhaustive = false;
                    let want = &every[..limit.min(every.len())];
                    assert_eq!(fast, want, "round {round}, {q:?}, limit {limit}");
                    assert_eq!(full, want, "round {round}, {q:?}, limit {limit}, full read");
                    compared += usize::from(!want.is_empty());
                }
            }
        }
        // Churn: some docs go and come back with new texts, so that ids are reused
        // and lists cross between short and chunked; others have one text replaced,
        // or one added or taken away, in place.
        for _ in 0..1_500 {
            let doc = rng.below(6_000) as u32;
            if rng.below(2) == 0 {
                let old = texts_given(&ix, doc);
                let mut new = old.clone();
                match rng.below(4) {
                    0 if !new.is_empty() => new[0].1 = random_text(&mut rng, 1, 5),
                    1 => new.push((Field::Alias, random_text(&mut rng, 1, 4))),
                    2 => {
                        new.pop();
                    }
                    _ => new.push((Field::Text, random_text(&mut rng, 4, 40))),
                }
                texts.extend(new.iter().map(|(_, t)| t.clone()));
                ix.replace_doc(doc, &as_given(&old), &as_given(&new), docs);
                continue;
            }
            ix.remove_doc(doc, docs);
            if rng.below(3) > 0 {
                add_random_doc(&mut ix, &mut rng, &mut texts, &shared, doc, docs);
            }
        }
        numbered_as_given(&ix);
    }
    assert!(compared > 1_500, "{compared}");
}

#[test]
fn documents_sorted_by_key_then_order_as_by_order_alone() {
    // Docs out of number order, with keys that tie in runs of every length, and a key
    // that ties them all.
    let docs: Vec<u32> = (0..6_000u32)
        .map(|d| d.wrapping_mul(7_919) % 6_000)
        .collect();
    let none: DocKey<'_> = &|_| 0;
    let keys: [DocKey<'_>; 3] = [&scrambled_key, &|doc| u128::from(scramble(doc) >> 28), none];
    for key in keys {
        let mut expected = docs.clone();
        expected.sort_unstable_by(|&a, &b| scrambled(a, b));
        assert_eq!(in_doc_order(docs.clone(), &scrambled, key), expected);
    }
    let mut expected = docs.clone();
    expected.sort_unstable();
    assert_eq!(in_doc_order(docs, &by_number, &by_number_key), expected);
}

#[test]
fn early_stops_answer_as_the_reference_does() {
    answers_as_the_reference(0x9e37_79b9_7f4a_7c15, &by_number, &by_number_key);
}

#[test]
fn early_stops_answer_as_the_reference_does_in_any_order_of_docs() {
    answers_as_the_reference(0x2545_f491_4f6c_dd1d, &scrambled, &scrambled_key);
}

/// The normal forms a name is found by exactly: its words, and its runs when a
/// hyphen joins two of them, each joined by spaces.
fn exact_forms(text: &str) -> Vec<String> {
    let words = tokenize(text);
    let runs = hyphen_runs(&words);
    let join = |parts: Vec<&str>| parts.join(" ");
    let mut forms = vec![join(words.iter().map(|w| w.text.as_str()).collect())];
    if !runs.is_empty() {
        forms.push(join(runs.iter().map(|r| r.text.as_str()).collect()));
    }
    forms
}

#[test]
fn exact_matches_are_the_names_whose_normal_form_is_the_query() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut ix = SearchIndex::default();
    // Short names from few words, so that many share a normal form.
    // (doc, name or alias, its exact forms)
    let mut named: Vec<(u32, String, Vec<String>)> = Vec::new();
    let add = |ix: &mut SearchIndex, rng: &mut Rng, named: &mut Vec<_>, doc| {
        for field in [Field::Name, Field::Alias] {
            if field == Field::Name || rng.below(2) == 0 {
                let text = random_text(rng, 1, 3);
                ix.add_numbered(doc, field, &text);
                let forms = exact_forms(&text);
                named.push((doc, text, forms));
            }
        }
    };
    for doc in 0..3_000 {
        add(&mut ix, &mut rng, &mut named, doc);
    }
    for round in 0..3 {
        for _ in 0..300 {
            let (_, _, forms) = &named[rng.below(named.len())];
            for q in forms.clone() {
                let want: BTreeSet<u32> = named
                    .iter()
                    .filter(|(_, _, f)| f.contains(&q))
                    .map(|&(doc, _, _)| doc)
                    .collect();
                // As many as there should be: the search stops after the exact stage
                // when it finds them all.
                let hits = ix.search(&q, want.len(), (usize::MAX, usize::MAX), &all);
                let exact: Vec<&SearchHit> = hits
                    .iter()
                    .filter(|h| matches!(h.matched, MatchKind::ExactName | MatchKind::ExactAlias))
                    .collect();
                let got: BTreeSet<u32> = exact.iter().map(|h| h.doc).collect();
                assert_eq!(got, want, "round {round}, {q:?}");
                for h in exact {
                    assert!(exact_forms(&h.text).contains(&q), "{q:?}: {h:?}");
                }
            }
        }
        // Some docs go, and some come back with other names.
        for _ in 0..1_000 {
            let doc = rng.below(3_000) as u32;
            ix.remove_numbered(doc);
            named.retain(|&(d, _, _)| d != doc);
            if rng.below(2) == 0 {
                add(&mut ix, &mut rng, &mut named, doc);
            }
        }
    }
}

#[test]
fn exact_keys_that_share_a_hash_are_told_apart() {
    let mut ix = index(&[(0, Field::Name, "Seoul")]);
    // As if "seoul" had the hash of "busan": its list moves there.
    let (seoul, busan) = (
        key_hash(["seoul"].into_iter()),
        key_hash(["busan"].into_iter()),
    );
    let ids = ix.exact.remove(&seoul).unwrap_or_default();
    ix.exact.insert(busan, ids);
    // A query for "busan" meets a list of "seoul" alone: no exact match.
    assert!(ix.search("busan", 10, CUT, &all).is_empty());
    // Busan joins the list, which now holds two keys: each text is checked.
    ix.add_numbered(1, Field::Name, "Busan");
    ix.add_numbered(2, Field::Alias, "Busan");
    assert!(ix.exact_mixed.contains(&busan));
    assert_eq!(
        found(&ix, "busan"),
        vec![(1, MatchKind::ExactName), (2, MatchKind::ExactAlias)]
    );
    ix.remove_numbered(1);
    ix.remove_numbered(2);
    assert!(ix.search("busan", 10, CUT, &all).is_empty());
}

/// (items, room for items) of every structure of the index.
fn sizes(ix: &SearchIndex) -> Vec<(usize, usize)> {
    fn slots<T>(s: &Slots<T>) -> (usize, usize) {
        (s.items.len(), s.items.capacity().max(s.free.capacity()))
    }
    fn lists<'a>(all: impl Iterator<Item = &'a Vec<u32>>) -> (usize, usize) {
        all.fold((0, 0), |(n, c), l| (n + l.len(), c + l.capacity()))
    }
    vec![
        (ix.term_ids.len(), ix.term_ids.capacity()),
        (ix.sorted_terms.len(), ix.sorted_terms.len()),
        slots(&ix.terms),
        ix.terms.items.iter().flatten().fold((0, 0), |(n, c), e| {
            (n + e.postings.len(), c + e.postings.capacity())
        }),
        slots(&ix.texts.named),
        slots(&ix.texts.described),
        (ix.doc_texts.len(), ix.doc_texts.capacity()),
        (ix.exact.len(), ix.exact.capacity()),
        ix.exact
            .values()
            .fold((0, 0), |(n, c), l| (n + l.len(), c + l.capacity())),
        (ix.fuzzy.len(), ix.fuzzy.capacity()),
        slots(&ix.fuzzy_lists),
        lists(ix.fuzzy_lists.items.iter().flatten()),
    ]
}

#[test]
fn add_and_remove_churn_keeps_memory_bounded() {
    let mut ix = index(&[
        (0, Field::Name, "Seoul Metropolitan Council"),
        (1, Field::Name, "Busan"),
    ]);
    let live = |ix: &SearchIndex| {
        (
            ix.term_ids.len(),
            ix.sorted_terms.len(),
            ix.exact.len(),
            ix.fuzzy.len(),
            ix.doc_texts.len(),
            ix.terms.items.iter().flatten().count(),
            ix.texts.named.items.iter().flatten().count()
                + ix.texts.described.items.iter().flatten().count(),
            ix.fuzzy_lists.items.iter().flatten().count(),
        )
    };
    let base = live(&ix);
    let mut peak = Vec::new();
    for round in 0..1_000 {
        // A new name every round, so that terms come and go too.
        let name = format!("Council{round:04} of Seoul");
        ix.add_numbered(2, Field::Name, &name);
        ix.add_numbered(2, Field::Alias, &format!("Counsel-{round:04}"));
        ix.add_numbered(2, Field::Text, "Met in the Metropolitan Council's hall");
        if round == 0 {
            peak = sizes(&ix);
        }
        assert_eq!(found(&ix, &name)[0], (2, MatchKind::ExactName));
        let typo = format!("cuoncil{round:04}");
        assert!(found(&ix, &typo).contains(&(2, MatchKind::Fuzzy)), "{typo}");
        ix.remove_numbered(2);
        assert!(!docs(&ix.search(&name, 10, CUT, &all)).contains(&2));
        assert_eq!(live(&ix), base, "round {round}");
    }
    // Every structure holds at most as many items as with the doc in it, and
    // room for a few times that: hash tables and vectors grow by doubling.
    let now = sizes(&ix);
    for (i, (&(items, room), &(peak_items, _))) in now.iter().zip(&peak).enumerate() {
        assert!(items <= peak_items, "{i}: {now:?} {peak:?}");
        assert!(room <= 4 * peak_items + 16, "{i}: {now:?} {peak:?}");
    }
}

/// How many texts a search reads.
fn reads(ix: &SearchIndex, query: &str, limit: usize) -> usize {
    use std::sync::atomic::Ordering::Relaxed;
    let before = ix.reads.0.load(Relaxed);
    let hits = ix.search(query, limit, CUT, &all);
    assert_eq!(hits.len(), limit, "{query:?}");
    ix.reads.0.load(Relaxed) - before
}

#[test]
fn a_search_that_fills_its_top_reads_about_as_many_texts_as_it_returns() {
    // Twenty thousand docs that share a name, an alias or a word, in an order unlike
    // their numbers: each list is long, and each answer is a tie broken by that order.
    let mut ix = SearchIndex::default();
    for doc in 0..20_000u32 {
        let name = match doc % 4 {
            0 => "Piyush Reddy".to_string(),
            1 => format!("Reddy Holdings {doc}"),
            _ => format!("Trade office {doc}"),
        };
        ix.add(doc, Field::Name, &name, &scrambled);
        ix.add(doc, Field::Alias, "investment pledge", &scrambled);
        ix.add(
            doc,
            Field::Text,
            "A pledge made in talks on trade.",
            &scrambled,
        );
    }
    ix.finish(&scrambled, &scrambled_key);
    let search = |q: &str, limit| {
        ix.search_ordered(q, limit, CUT, &all, &scrambled, &|doc, nth| {
            ix.originals.get(&(doc, nth)).map(|t| &**t)
        })
    };
    // The first docs in that order win the ties.
    let mut order: Vec<u32> = (0..20_000).filter(|d| d % 4 == 0).collect();
    order.sort_by(|&a, &b| scrambled(a, b));
    let hits = search("piyush reddy", 10);
    assert_eq!(docs(&hits), order[..10]);
    assert!(hits.iter().all(|h| h.matched == MatchKind::ExactName));
    // A lookup by alias, an exact name, a word, a prefix and typos: each read stops
    // soon after its top is full, where a full read takes thousands of texts, and
    // leaves a rank of thousands of ties without reading the rest of it.
    for (q, limit) in [
        ("investment pledge", 1),
        ("investment pledge", 10),
        ("piyush reddy", 1),
        ("piyush reddy", 10),
        ("reddy", 10),
        ("pledge", 10),
        ("piy", 10),
        ("pyiush", 10),
        ("piyush redyd", 10),
        ("holdigns", 10),
    ] {
        let n = reads(&ix, q, limit);
        assert!(n <= 2 * limit + 4, "{q:?}, limit {limit}: {n} texts read");
    }
}

/// A doc's texts in the index: (number, text id), by number.
fn text_ids(ix: &SearchIndex, doc: u32) -> Vec<(u32, u32)> {
    let mut all = Vec::new();
    let mut next = ix.doc_texts.get(&doc).map_or(NO_ID, |&(head, _)| head);
    while let Some(e) = ix.texts.get(next) {
        all.push((e.nth, next));
        next = e.prev;
    }
    all.sort_unstable();
    all
}

#[test]
fn replacing_a_docs_texts_moves_only_those_that_changed() {
    let old = [
        (Field::Name, "Kaesong Industrial Region"),
        (Field::Alias, "Kaesong"),
        (Field::Text, "A zone north of the border"),
    ];
    let mut ix = index(&[
        (0, old[0].0, old[0].1),
        (0, old[1].0, old[1].1),
        (0, old[2].0, old[2].1),
        (1, Field::Name, "Kaesong Bank"),
    ]);
    let before = text_ids(&ix, 0);
    let new = [
        (Field::Name, "Songdo Industrial Complex"),
        (Field::Alias, "Kaesong"),
        (Field::Text, "A zone north of the border"),
    ];
    ix.replace_doc(0, &old, &new, &by_number);
    // The alias and the description keep their entries; the name has a new one.
    let after = text_ids(&ix, 0);
    assert_eq!(after[1..], before[1..]);
    assert_eq!(
        after.iter().map(|&(nth, _)| nth).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert_eq!(
        found(&ix, "songdo industrial complex"),
        vec![(0, MatchKind::ExactName)]
    );
    assert!(!found(&ix, "kaesong industrial region").contains(&(0, MatchKind::ExactName)));
    let hits = ix.search("kaesong", 10, CUT, &all);
    assert_eq!(docs(&hits), vec![0, 1]);
    assert_eq!(
        (hits[0].matched, hits[0].text.as_str()),
        (MatchKind::ExactAlias, "Kaesong")
    );
    assert_eq!(ix.search("border", 10, CUT, &all)[0].text, new[2].1);
    // Fewer texts: the last goes.
    ix.replace_doc(0, &new, &new[..2], &by_number);
    assert!(ix.search("border", 10, CUT, &all).is_empty());
    assert_eq!(text_ids(&ix, 0).len(), 2);
    // A doc the index does not hold is added, and one replaced by nothing leaves.
    ix.replace_doc(5, &[], &[(Field::Name, "Incheon")], &by_number);
    assert_eq!(found(&ix, "incheon"), vec![(5, MatchKind::ExactName)]);
    ix.replace_doc(5, &[(Field::Name, "Incheon")], &[], &by_number);
    assert!(ix.search("incheon", 10, CUT, &all).is_empty());
    numbered_as_given(&ix);
}

/// How many texts a search looks at, and its hits.
fn looked_at(ix: &SearchIndex, query: &str, limit: usize) -> (usize, Vec<SearchHit>) {
    use std::sync::atomic::Ordering::Relaxed;
    let before = ix.reads.0.load(Relaxed);
    let hits = ix.search(query, limit, CUT, &all);
    (ix.reads.0.load(Relaxed) - before, hits)
}

#[test]
fn a_search_that_finds_few_looks_at_about_as_many_texts_as_it_finds() {
    // Three words, each in ten thousand names, two by two in five thousand, all three
    // in five: a search for them, or for two of them, finds fewer than its limit, so it
    // passes every text of its rarest word, but looks only at those that hold the
    // others.
    let mut ix = SearchIndex::default();
    for doc in 0..20_000u32 {
        let name = match doc {
            d if d % 4_000 == 7 => "Nordvik Baltera Consortium",
            d if d % 4 == 0 => "Nordvik Trading",
            d if d % 4 == 1 => "Baltera Shipping",
            d if d % 4 == 2 => "Nordvik Consortium",
            _ => "Baltera Consortium",
        };
        ix.add(doc, Field::Name, name, &scrambled);
        ix.add(
            doc,
            Field::Text,
            "A consortium in the trade talks.",
            &scrambled,
        );
    }
    ix.finish(&scrambled, &scrambled_key);
    let few: Vec<u32> = (0..20_000).filter(|d| d % 4_000 == 7).collect();
    for q in [
        "nordvik baltera consortium",
        "nordvik baltera",
        "nrodvik baltera",
        "baltera consortium nordvik",
        "consortium baltera nordvi",
    ] {
        let (n, hits) = looked_at(&ix, q, 10);
        let mut found = docs(&hits);
        found.sort_unstable();
        assert_eq!(found, few, "{q:?}: {hits:?}");
        // The exact names, then the words: each of the few texts at most twice.
        assert!(
            n <= FILTER_AFTER_READS + 2 * few.len() + 4,
            "{q:?}: {n} texts looked at"
        );
        // The plain read looks at thousands, for the same answer.
        ix.plain = true;
        let (plain, plain_hits) = looked_at(&ix, q, 10);
        ix.plain = false;
        assert_eq!(plain_hits, hits, "{q:?}");
        assert!(plain > 1_000, "{q:?}: {plain} texts looked at");
    }
}

#[test]
fn filtered_reads_answer_as_the_plain_ones() {
    // Random docs, queries, limits and filters, in an order of docs unlike their
    // numbers, through churn: passing texts over by the other words' bits changes
    // neither the hits, their order, their scores nor their texts, whether the read
    // stops early or reads every list.
    let mut rng = Rng(0x51_7cc1_b727_220a);
    let docs: DocOrder<'_> = &scrambled;
    let mut ix = SearchIndex::default();
    let mut texts = Vec::new();
    let shared: Vec<String> = (0..12).map(|_| random_text(&mut rng, 1, 3)).collect();
    for doc in 0..6_000 {
        add_random_doc(&mut ix, &mut rng, &mut texts, &shared, doc, docs);
    }
    ix.finish(docs, &scrambled_key);
    let third = |doc: u32| doc % 3 != 1;
    let (mut spared, mut compared) = (0, 0);
    for round in 0..2 {
        for _ in 0..200 {
            let q = random_query(&mut rng, &texts);
            for accept in [&all as &dyn Fn(u32) -> bool, &third] {
                for limit in [1, 10, 50] {
                    for exhaustive in [false, true] {
                        ix.exhaustive = exhaustive;
                        let run = |ix: &SearchIndex| {
                            use std::sync::atomic::Ordering::Relaxed;
                            let before = ix.reads.0.load(Relaxed);
                            let hits = ix.search_ordered(&q, limit, CUT, accept, docs, &|d, n| {
                                ix.originals.get(&(d, n)).map(|t| &**t)
                            });
                            (ix.reads.0.load(Relaxed) - before, hits)
                        };
                        let (filtered, hits) = run(&ix);
                        ix.plain = true;
                        let (plain, plain_hits) = run(&ix);
                        ix.plain = false;
                        assert_eq!(hits, plain_hits, "round {round}, {q:?}, limit {limit}");
                        spared += usize::from(filtered < plain);
                        compared += usize::from(!hits.is_empty());
                    }
                }
            }
        }
        ix.exhaustive = false;
        for _ in 0..1_500 {
            let doc = rng.below(6_000) as u32;
            ix.remove_doc(doc, docs);
            if rng.below(3) > 0 {
                add_random_doc(&mut ix, &mut rng, &mut texts, &shared, doc, docs);
            }
        }
    }
    // The filter was used, often, and the answers were not all empty.
    assert!(spared > 300, "{spared} searches spared a look");
    assert!(compared > 1_000, "{compared}");
}

#[test]
fn finishing_a_load_puts_every_list_in_the_order_searches_read() {
    // Docs added in an order unlike `scrambled`'s, some removed and others added after,
    // so that freed text ids are reused out of order, as a load's replaced nodes do.
    let mut rng = Rng(41);
    let mut ix = SearchIndex::default();
    let mut texts = Vec::new();
    let shared: Vec<String> = (0..12).map(|_| random_text(&mut rng, 1, 3)).collect();
    for doc in 0..5_000 {
        add_random_doc(&mut ix, &mut rng, &mut texts, &shared, doc, &scrambled);
    }
    for doc in (0..5_000).step_by(7) {
        ix.remove_doc(doc, &scrambled);
    }
    for doc in 5_000..5_500 {
        add_random_doc(&mut ix, &mut rng, &mut texts, &shared, doc, &scrambled);
    }
    ix.finish(&scrambled, &scrambled_key);
    let order = TextOrder {
        texts: &ix.texts,
        docs: &scrambled,
    };
    // Each term's texts, from the texts themselves.
    let mut holders: HashMap<u32, BTreeSet<u32>> = HashMap::new();
    for (slots, bit) in [(&ix.texts.named, 0), (&ix.texts.described, TEXT_FIELD_BIT)] {
        for (at, e) in (0u32..).zip(&slots.items) {
            for &term in e.iter().flat_map(|e| e.terms.iter()) {
                holders.entry(term).or_default().insert(at | bit);
            }
        }
    }
    let mut chunked = 0;
    for (term, entry) in (0u32..).zip(&ix.terms.items) {
        let Some(entry) = entry else { continue };
        let mut want: Vec<u32> = holders
            .remove(&term)
            .unwrap_or_default()
            .into_iter()
            .collect();
        want.sort_by(|&a, &b| {
            order
                .rank(a)
                .cmp(&order.rank(b))
                .then_with(|| order.cmp_in_rank(a, b))
        });
        let got: Vec<u32> = entry.postings.iter().copied().collect();
        assert_eq!(got, want, "the list of {:?}", entry.term);
        if let Postings::Ranked(_) = &entry.postings {
            chunked += 1;
            for (rank, ids) in entry.postings.runs() {
                assert!(ids.iter().all(|&id| Some(order.rank(id)) == rank));
            }
        } else {
            assert!(got.len() <= 1024, "{} ids in a short list", got.len());
        }
    }
    assert!(chunked > 5, "{chunked} chunked lists");
    assert!(
        holders.is_empty(),
        "terms held but not indexed: {:?}",
        holders.keys()
    );
}

/// Words for the texts a `contains` is asked of: cases, accents, possessives,
/// apostrophes inside words, numbers, full-width letters.
const SPELLINGS: &[&str] = &[
    "Tariff",
    "TARIFFS",
    "Séoul",
    "İstanbul",
    "Tokyo's",
    "Japan’s",
    "O'Sullivan",
    "3.5%",
    "ＦＵＬＬ",
    "Han-Koo",
    "naïve",
    "s",
    "'s",
    "Ölçü",
    "ﬁnance",
];

/// A `contains` needle cut from `text`: any run of its chars, its case changed at times.
fn random_needle(rng: &mut Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let from = rng.below(chars.len());
    let len = 1 + rng.below(12);
    let piece: String = chars[from..(from + len).min(chars.len())].iter().collect();
    match rng.below(3) {
        0 => piece.to_uppercase(),
        1 => piece.to_lowercase(),
        _ => piece,
    }
}

/// Every document with a text (a name, with `names_only`) that holds `needle` as a
/// `contains` filter finds it: the reference [`SearchIndex::containing`] must cover.
fn holders(
    texts: &HashMap<u32, Vec<(Field, String)>>,
    needle: &str,
    names_only: bool,
) -> BTreeSet<u32> {
    let needle = needle.to_lowercase();
    texts
        .iter()
        .filter(|(_, ts)| {
            ts.iter().any(|(field, text)| {
                (!names_only || *field == Field::Name) && text.to_lowercase().contains(&needle)
            })
        })
        .map(|(&doc, _)| doc)
        .collect()
}

fn borrowed(texts: &[(Field, String)]) -> Vec<(Field, &str)> {
    texts.iter().map(|(f, t)| (*f, t.as_str())).collect()
}

#[test]
fn containing_finds_every_document_that_holds_the_needle_through_changes() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut ix = SearchIndex::default();
    let mut texts: HashMap<u32, Vec<(Field, String)>> = HashMap::new();
    let text = |rng: &mut Rng| {
        let mut t = random_text(rng, 1, 4);
        for _ in 0..rng.below(3) {
            t.push(if rng.below(2) == 0 { ' ' } else { '-' });
            t.push_str(rng.pick(SPELLINGS));
        }
        t
    };
    for doc in 0..300u32 {
        let doc_texts = vec![
            (Field::Name, text(&mut rng)),
            (Field::Alias, text(&mut rng)),
            (
                Field::Text,
                format!("{} {}", text(&mut rng), text(&mut rng)),
            ),
        ];
        for (field, t) in &doc_texts {
            ix.add_numbered(doc, *field, t);
        }
        texts.insert(doc, doc_texts);
    }
    ix.finish_numbered();
    let mut asked = 0;
    for round in 0..3000 {
        // Every tenth round changes a document: removed, renamed or added again.
        if round % 10 == 0 {
            let doc = rng.below(320) as u32;
            match (texts.contains_key(&doc), rng.below(2)) {
                (true, 0) => {
                    ix.remove_numbered(doc);
                    texts.remove(&doc);
                }
                (true, _) => {
                    let old = texts.remove(&doc).unwrap_or_default();
                    let mut new = old.clone();
                    new[0].1 = text(&mut rng);
                    ix.replace_doc(doc, &borrowed(&old), &borrowed(&new), &by_number);
                    texts.insert(doc, new);
                }
                (false, _) => {
                    let t = (Field::Name, text(&mut rng));
                    ix.add_numbered(doc, t.0, &t.1);
                    texts.insert(doc, vec![t]);
                }
            }
        }
        let Some(docs) = texts
            .keys()
            .nth(rng.below(texts.len()))
            .and_then(|d| texts.get(d))
        else {
            continue;
        };
        let (_, source) = &docs[rng.below(docs.len())];
        let needle = random_needle(&mut rng, source);
        let names_only = rng.below(2) == 0;
        let want = holders(&texts, &needle, names_only);
        let Some(found) = ix.containing(&needle, names_only, usize::MAX) else {
            assert!(
                pieces(&needle).is_none(),
                "{needle:?} has pieces but no answer"
            );
            continue;
        };
        asked += 1;
        let found: BTreeSet<u32> = found.into_iter().collect();
        let missed: Vec<_> = want.difference(&found).collect();
        assert!(
            missed.is_empty(),
            "{needle:?} (names only: {names_only}) missed {missed:?}"
        );
        let estimate = ix
            .containing_estimate(&needle, names_only, usize::MAX)
            .unwrap_or(0);
        assert!(
            found.len() <= estimate,
            "{needle:?}: {} docs, estimate {estimate}",
            found.len()
        );
        if estimate > 0 {
            assert!(ix.containing(&needle, names_only, estimate - 1).is_none());
            assert_eq!(
                ix.containing_estimate(&needle, names_only, estimate - 1),
                None
            );
        }
        assert_eq!(
            ix.containing_estimate(&needle, names_only, estimate),
            Some(estimate)
        );
    }
    assert!(asked > 2000, "only {asked} needles had pieces");
}

#[test]
fn containing_reads_only_the_texts_of_the_rarest_piece() {
    let ix = index(&[
        (0, Field::Name, "Trade ministry of Korea"),
        (1, Field::Name, "Trade council"),
        (2, Field::Alias, "Trade pledge"),
        (3, Field::Text, "talks on trade with Koreans"),
        (4, Field::Name, "Korean steel"),
    ]);
    // "korea" is in three texts, "trade" in four: the rarer drives.
    assert_eq!(ix.containing_estimate("Trade Korea", false, 10), Some(3));
    // Past the cap, "korea" is given up too.
    assert_eq!(ix.containing_estimate("Trade Korea", false, 2), None);
    // Among names and aliases, "trade" is in three texts, "korea" in two.
    assert_eq!(ix.containing_estimate("Trade Korea", true, 10), Some(2));
    let mut docs = ix.containing("trade korea", false, 3).unwrap_or_default();
    docs.sort_unstable();
    assert_eq!(docs, [0, 3, 4]);
    assert_eq!(ix.containing("rea", true, 10), Some(vec![0, 4]));
    assert_eq!(ix.containing("xyz", false, 0), Some(vec![]));
    assert_eq!(ix.containing("korea", false, 2), None);
    assert_eq!(ix.containing("미국", false, 10), None);
}

#[test]
fn the_vocabulary_is_rebuilt_once_most_of_its_terms_have_left() {
    let mut ix = SearchIndex::default();
    for doc in 0..3000u32 {
        ix.add_numbered(doc, Field::Name, &format!("word{doc} common"));
    }
    ix.finish_numbered();
    for doc in 0..2900u32 {
        ix.remove_numbered(doc);
    }
    // The 3,001 terms took about 51 KB; the 101 left, with the stale ones since the last
    // rebuild, less than half of that.
    assert!(
        ix.vocabulary.heap_bytes() < 24_000,
        "{}",
        ix.vocabulary.heap_bytes()
    );
    for doc in 0..50u32 {
        ix.add_numbered(doc, Field::Name, &format!("again{doc}"));
    }
    let mut found = ix
        .containing("word29", true, usize::MAX)
        .unwrap_or_default();
    found.sort_unstable();
    assert_eq!(found, (2900..3000).collect::<Vec<u32>>());
    assert_eq!(ix.containing("word1", true, usize::MAX), Some(vec![]));
    assert_eq!(
        ix.containing("gain4", true, usize::MAX).map(|d| d.len()),
        Some(11)
    );
}

#[test]
fn a_term_taken_out_is_not_found_under_the_id_it_had() {
    let mut ix = index(&[(0, Field::Name, "Alpha"), (1, Field::Name, "Beta")]);
    ix.remove_numbered(0);
    // "gamma" takes the id "alpha" left; the vocabulary still holds "alpha" under it.
    ix.add_numbered(2, Field::Name, "Gamma");
    assert_eq!(ix.containing("alph", true, 10), Some(vec![]));
    assert_eq!(ix.containing("amm", true, 10), Some(vec![2]));
    // Added again, under a new id, it is found once.
    ix.add_numbered(3, Field::Name, "Alpha");
    assert_eq!(ix.containing("lph", false, 10), Some(vec![3]));
}
