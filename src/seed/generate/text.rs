//! Names, aliases and id slugs, made from the word lists: each from random numbers drawn
//! for one entity, so the same draws make the same name again.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::words::{self, Lang, Named};
use super::{CountryInfo, Pool, Rng};

/// The longest run of words an id takes from a name.
const MAX_SLUG_WORDS: usize = 60;

/// A name's words as an id slug: lowercase ASCII letters and digits joined by single
/// dashes. Accented Latin letters lose their accents; other scripts drop out; an
/// apostrophe joins ("People's" is `peoples`).
pub(super) fn slug_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        match c {
            'a'..='z' | '0'..='9' => push(&mut out, &mut gap, c),
            'A'..='Z' => push(&mut out, &mut gap, c.to_ascii_lowercase()),
            '\'' | '’' => {}
            c if c.is_ascii() => gap = true,
            c => match c.to_lowercase().next().and_then(special) {
                Some(s) => s.chars().for_each(|x| push(&mut out, &mut gap, x)),
                None => {
                    let (mut base, mut other) = (None, false);
                    decompose_canonical(c, |d| {
                        if d.is_ascii_alphanumeric() {
                            base.get_or_insert(d.to_ascii_lowercase());
                        } else if !is_combining_mark(d) {
                            other = true;
                        }
                    });
                    match base {
                        Some(b) if !other => push(&mut out, &mut gap, b),
                        _ => gap = true,
                    }
                }
            },
        }
    }
    if out.len() > MAX_SLUG_WORDS {
        let cut = out[..MAX_SLUG_WORDS].rfind('-').unwrap_or(MAX_SLUG_WORDS);
        out.truncate(cut);
    }
    out
}

/// Adds a letter, after a dash where words were apart.
fn push(out: &mut String, gap: &mut bool, c: char) {
    if *gap && !out.is_empty() {
        out.push('-');
    }
    *gap = false;
    out.push(c);
}

/// Latin letters that do not decompose into a letter and an accent.
fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'ı' => "i",
        'þ' => "th",
        _ => return None,
    })
}

/// A slug: the words, then the entity's number, which keeps it unique.
pub(super) fn slug(words: &str, g: u32) -> String {
    if words.is_empty() {
        g.to_string()
    } else {
        format!("{words}-{g}")
    }
}

/// "Japan's", "Kinsei Holdings'".
pub(super) fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// A person's name in the forms sources give it.
pub(super) struct PersonName {
    /// As shown: given name first, except where the family name leads (Chinese,
    /// Vietnamese).
    pub display: String,
    /// The other order ("Kim Jung-kwan").
    pub other_order: String,
    /// In the person's own script, where it is not Latin.
    pub native: Option<String>,
    pub family: &'static str,
    pub given: &'static str,
}

/// A person's name from `r`'s next draws.
pub(super) fn person(r: &mut Rng, lang: Lang) -> PersonName {
    let set = words::names(lang);
    let (given, given_native) = named(r, set.given);
    let (family, family_native) = named(r, set.family);
    let (mut display, other_order) = if set.family_first {
        (format!("{family} {given}"), format!("{given} {family}"))
    } else {
        (format!("{given} {family}"), format!("{family} {given}"))
    };
    let native = match (family_native, given_native) {
        (Some(f), Some(g)) => Some(format!("{f}{g}")),
        _ => None,
    };
    if r.below(25) == 0 {
        display = one_letter_off(r, &display);
    }
    PersonName {
        display,
        other_order,
        native,
        family,
        given,
    }
}

fn named(r: &mut Rng, list: &[Named]) -> (&'static str, Option<&'static str>) {
    r.choose(list).copied().unwrap_or(("", None))
}

/// An organization's name and aliases.
pub(super) struct OrgName {
    pub name: String,
    pub aliases: Vec<String>,
    /// What it deals with, for a ministry or an international body.
    pub topic: &'static str,
    /// One of the few large bodies that attract many relations.
    pub big: bool,
}

/// An organization's name alone, for its id: the same draws as [`organization`].
pub(super) fn org_name(r: &mut Rng, pool: Pool, country: &CountryInfo) -> String {
    organization_with(r, pool, country, false).name
}

/// An organization of `pool` in `country`, from `r`'s next draws.
pub(super) fn organization(r: &mut Rng, pool: Pool, country: &CountryInfo) -> OrgName {
    organization_with(r, pool, country, true)
}

/// An organization, with its aliases where `aliases` asks for them; the draws are the
/// same either way.
fn organization_with(r: &mut Rng, pool: Pool, country: &CountryInfo, aliases: bool) -> OrgName {
    let c = country.name.as_str();
    let adj = country.adjective.as_str();
    let capital = country.capital.as_str();
    let mut topic = "trade";
    let mut more = Aliases {
        list: Vec::new(),
        wanted: aliases,
    };
    let name = match pool {
        Pool::Company => {
            let (stem, native) = named(r, words::COMPANY_STEMS);
            // Holdings most often, so that many names share it.
            let suffix = if r.chance(25) {
                "Holdings"
            } else {
                r.choose_str(words::COMPANY_SUFFIXES)
            };
            more.push(|| stem.to_string());
            if let Some(n) = native {
                more.push(|| format!("{n} {suffix}"));
            }
            more.push(|| ticker(stem));
            format!("{stem} {suffix}")
        }
        Pool::Media => {
            let paper = r.choose_str(words::NEWSPAPERS);
            match (r.below(5), country.lang) {
                (0, Lang::Fr) => format!("Le Courrier de {capital}"),
                (0, Lang::Es) => format!("El Diario de {capital}"),
                (0, Lang::De) => format!("{capital}er Zeitung"),
                (0 | 1, _) => format!("The {capital} {paper}"),
                (2, _) => {
                    more.push(|| format!("{} Broadcasting", adj));
                    format!("{c} Broadcasting Corporation")
                }
                (3, _) => {
                    let (stem, _) = named(r, words::COMPANY_STEMS);
                    format!("{stem} News")
                }
                _ => format!("{adj} Press Agency"),
            }
        }
        Pool::Intl => {
            let region = r.choose_str(words::REGIONS);
            topic = r.choose_str(words::INTL_FORMS);
            let name = if r.chance(20) {
                format!("Organization for {region} Economic Cooperation")
            } else {
                format!("{region} {topic}")
            };
            more.push(|| acronym(&name));
            name
        }
        Pool::Party => {
            let ideology = r.choose_str(words::IDEOLOGIES);
            match r.below(4) {
                0 => format!("{ideology} Party of {c}"),
                1 => format!("{adj} {ideology} Party"),
                2 => format!("{ideology} Alliance of {c}"),
                _ => format!("{c} First"),
            }
        }
        Pool::Delegation => match r.below(4) {
            0 => format!("{adj} Trade Delegation"),
            1 => format!("{adj} Negotiating Team"),
            2 => format!(
                "{c} Delegation to the {} Talks",
                r.choose_str(words::REGIONS)
            ),
            _ => format!("{adj} Tariff Task Force"),
        },
        _ => {
            topic = r.choose_str(words::MINISTRY_TOPICS);
            let native: &[&str] = match country.lang {
                Lang::Ja => words::GOV_JA,
                Lang::Ko => words::GOV_KO,
                Lang::Zh => words::GOV_ZH,
                _ => &[],
            };
            let form = r.below(8);
            if let Some(n) = r.choose(native) {
                more.push(|| n.to_string());
            }
            match form {
                0 | 1 => {
                    let ministry = format!("Ministry of {topic}");
                    more.push(|| format!("{adj} {ministry}"));
                    more.push(|| acronym(&ministry));
                    format!("{ministry} of {c}")
                }
                2 => {
                    more.push(|| format!("{c} Trade Office"));
                    format!("{adj} Trade Office")
                }
                3 => {
                    more.push(|| format!("{adj} customs"));
                    format!("{c} Customs Service")
                }
                4 => {
                    more.push(|| format!("{adj} Trade Representative"));
                    format!("Office of the {adj} Trade Representative")
                }
                5 => {
                    more.push(|| "Commerce Department".to_string());
                    format!("{adj} Department of Commerce")
                }
                6 => format!("{adj} Export Promotion Agency"),
                _ => {
                    more.push(|| format!("Office of the President of {c}"));
                    format!("{c} Presidential Office")
                }
            }
        }
    };
    let big = r.chance(3);
    let name = if matches!(pool, Pool::Company | Pool::Media) && r.below(20) == 0 {
        one_letter_off(r, &name)
    } else {
        name
    };
    let mut aliases = more.list;
    aliases.retain(|a| *a != name && !a.is_empty());
    OrgName {
        name,
        aliases,
        topic,
        big,
    }
}

/// Aliases, made only where they are wanted.
struct Aliases {
    list: Vec<String>,
    wanted: bool,
}

impl Aliases {
    fn push(&mut self, alias: impl FnOnce() -> String) {
        if self.wanted {
            self.list.push(alias());
        }
    }
}

/// The same text with one vowel changed ("Kinsei" to "Kinsoi"): a near-duplicate name.
pub(super) fn one_letter_off(r: &mut Rng, text: &str) -> String {
    const VOWELS: &[u8] = b"aeiou";
    let places: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(i, b)| *i > 0 && VOWELS.contains(b))
        .map(|(i, _)| i)
        .collect();
    let Some(&at) = r.choose(&places) else {
        return format!("{text}s");
    };
    let mut bytes = text.as_bytes().to_vec();
    let next = VOWELS
        .iter()
        .position(|v| *v == bytes[at])
        .map_or(b'a', |i| VOWELS[(i + 1) % VOWELS.len()]);
    bytes[at] = next;
    // One ASCII byte replaced by another: the text is still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// The initials of a name's words, "of" included and "and" and "the" left out
/// ("Ministry of Trade, Industry and Energy" is MOTIE).
pub(super) fn acronym(name: &str) -> String {
    name.split([' ', ',', '-'])
        .filter(|w| !w.is_empty() && !matches!(*w, "and" | "the" | "The" | "for"))
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A stock-exchange style short name: the first three letters, upper case.
fn ticker(stem: &str) -> String {
    slug_words(stem)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(3)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A made-up country name ("Valdoria", "Ostmark").
pub(super) fn made_up_country(r: &mut Rng) -> String {
    format!(
        "{}{}{}",
        r.choose_str(words::COUNTRY_HEAD),
        r.choose_str(words::COUNTRY_MID),
        r.choose_str(words::COUNTRY_TAIL)
    )
}

/// The adjective of a made-up country ("Valdorian").
pub(super) fn adjective(name: &str) -> String {
    if name.ends_with('a') {
        format!("{name}n")
    } else if name.ends_with("stan") {
        format!("{name}i")
    } else {
        format!("{name}ian")
    }
}

/// A made-up capital.
pub(super) fn capital(r: &mut Rng, country: &str) -> String {
    if r.chance(50) {
        format!("{} {country}", r.choose_str(words::CAPITAL_HEAD))
    } else {
        format!("{country} City")
    }
}

/// The name with an accent on its last `o`, or else its last `a` ("Valdória"), as some
/// sources write it.
pub(super) fn accented(name: &str) -> Option<String> {
    let at = name
        .rfind('o')
        .or_else(|| name.rfind('a'))
        .filter(|i| *i > 0)?;
    let accented = if name[at..].starts_with('a') {
        "á"
    } else {
        "ó"
    };
    Some(format!("{}{accented}{}", &name[..at], &name[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_drop_other_scripts() {
        assert_eq!(slug_words("Société Générale"), "societe-generale");
        assert_eq!(slug_words("Nguyễn Hương"), "nguyen-huong");
        assert_eq!(slug_words("Ødegaard & Weiß"), "odegaard-weiss");
        assert_eq!(slug_words("People's Party"), "peoples-party");
        assert_eq!(slug_words("金星 Holdings"), "holdings");
        assert_eq!(slug_words("日本"), "");
        assert_eq!(slug_words("Co., Ltd."), "co-ltd");
        assert_eq!(slug("", 7), "7");
        assert_eq!(slug("a-b", 7), "a-b-7");
        let long = slug_words(&"word ".repeat(40));
        assert!(long.len() <= MAX_SLUG_WORDS && !long.ends_with('-'));
    }

    #[test]
    fn names_have_near_duplicates_and_acronyms() {
        let mut r = Rng::new(1);
        let off = one_letter_off(&mut r, "Kinsei Holdings");
        assert_ne!(off, "Kinsei Holdings");
        assert_eq!(off.len(), "Kinsei Holdings".len());
        assert_eq!(acronym("Ministry of Trade, Industry and Energy"), "MOTIE");
        assert_eq!(accented("Valdoria").as_deref(), Some("Valdória"));
        assert_eq!(adjective("Valdoria"), "Valdorian");
    }
}
