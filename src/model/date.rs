//! Dates as sources give them: a year, a month or a day, possibly inferred.

use std::fmt;
use std::str::FromStr;

use super::{ModelError, string_enum};

string_enum! {
    /// How much of a date is known.
    pub enum DatePrecision {
        /// Only the year.
        Year = "year",
        /// The year and the month.
        Month = "month",
        /// The exact day.
        Day = "day",
    }
}

/// A calendar date known to a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
}

impl PartialDate {
    /// A date known to the day; validates month and day (leap years included).
    pub fn ymd(year: i32, month: u8, day: u8) -> Result<Self, ModelError> {
        let bad = || ModelError::InvalidDate(format!("{year:04}-{month:02}-{day:02}"));
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(bad());
        }
        Ok(PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    /// The precision the date is known to.
    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, where known.
    pub fn month(&self) -> Option<u8> {
        self.month
    }

    /// The day, where known.
    pub fn day(&self) -> Option<u8> {
        self.day
    }

    /// The first day the date can denote, as `(year, month, day)`: the key for
    /// ordering and for `as of` comparisons.
    pub fn start(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date can denote.
    pub fn end(&self) -> (i32, u8, u8) {
        let month = self.month.unwrap_or(12);
        (
            self.year,
            month,
            self.day.unwrap_or_else(|| days_in_month(self.year, month)),
        )
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartialDate {
    /// Earlier start first; of two dates starting together the coarser first.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.start()
            .cmp(&other.start())
            .then(self.precision().cmp(&other.precision()))
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

super::wire::serde_as_text!(PartialDate);

impl FromStr for PartialDate {
    type Err = ModelError;

    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || ModelError::InvalidDate(text.to_string());
        let number = |s: &str, len: usize| -> Result<u32, ModelError> {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        // Read in place: a seed of a million entities parses millions of dates.
        let mut parts = text.split('-');
        let year = number(parts.next().unwrap_or_default(), 4)? as i32;
        let (month, day) = (parts.next(), parts.next());
        if parts.next().is_some() {
            return Err(bad());
        }
        match (month, day) {
            (None, _) => Ok(PartialDate {
                year,
                month: None,
                day: None,
            }),
            (Some(month), None) => {
                let month = number(month, 2)? as u8;
                if !(1..=12).contains(&month) {
                    return Err(bad());
                }
                Ok(PartialDate {
                    year,
                    month: Some(month),
                    day: None,
                })
            }
            (Some(month), Some(day)) => {
                let (month, day) = (number(month, 2)? as u8, number(day, 2)? as u8);
                PartialDate::ymd(year, month, day).map_err(|_| bad())
            }
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// A date as recorded: the date where it is known, whether we inferred it rather than
/// read it in the source, and why; or, where the source gives no date, the range it must
/// lie in (not before, not after), each end with its reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, try_from = "RawWhen")]
pub struct When {
    /// The date, to its precision; `None` when it is known only as a range (or not at all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// True where the source does not state this date (or its bounds) and it was inferred
    /// from context.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
    /// How it was inferred, or what is uncertain about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The earliest it can be, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<Box<DateBound>>,
    /// The latest it can be, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<Box<DateBound>>,
}

/// A date as written, before its checks: a date or a range, in order.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWhen {
    #[serde(default)]
    date: Option<PartialDate>,
    #[serde(default)]
    inferred: bool,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    not_before: Option<Box<DateBound>>,
    #[serde(default)]
    not_after: Option<Box<DateBound>>,
}

impl TryFrom<RawWhen> for When {
    type Error = String;

    fn try_from(raw: RawWhen) -> Result<Self, String> {
        When {
            date: raw.date,
            inferred: raw.inferred,
            note: raw.note,
            not_before: raw.not_before,
            not_after: raw.not_after,
        }
        .checked()
    }
}

impl When {
    /// The date, once it is known to name a date or a range, and a range in order.
    pub fn checked(self) -> Result<Self, String> {
        let when = self;
        if when.date.is_none() && when.not_before.is_none() && when.not_after.is_none() {
            return Err(
                "a date needs `date`, or the range it lies in (`not_before`, `not_after`)".into(),
            );
        }
        match when.range_clash() {
            Some(clash) => Err(clash),
            None => Ok(when),
        }
    }
}

/// One end of the range an unknown date lies in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateBound {
    /// The bound, to its precision.
    pub date: PartialDate,
    /// Why the date cannot lie beyond it, in our words.
    pub reason: String,
}

/// How firmly the dates that decide an answer "as of" a day are known, weakest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateBasis {
    /// The source states them.
    Stated,
    /// At least one was inferred from context.
    Inferred,
    /// The day falls inside a range a date is known only as: the answer is the value
    /// before the change, which may already have happened.
    Unknown,
}

/// Where a day stands against a recorded date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// Before the date, as firmly as the basis says.
    Before(DateBasis),
    /// On or after the date, as firmly as the basis says.
    OnOrAfter(DateBasis),
    /// Inside the range the date is known only as: either could be true.
    Within,
}

/// A day as (year, month, day).
pub type Day = (i32, u8, u8);

/// The days from 1970-01-01 to `day` (negative before it), so that days can be counted
/// apart.
pub fn day_number((year, month, day): Day) -> i64 {
    // Years counted from March, so that a leap day ends its year.
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let of_era = y - era * 400;
    let m = i64::from(month);
    let of_year = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day) - 1;
    let of_cycle = of_era * 365 + of_era / 4 - of_era / 100 + of_year;
    era * 146_097 + of_cycle - 719_468
}

/// The day `n` days after 1970-01-01 ([`day_number`] the other way); `None` outside the
/// years a date can have.
pub fn numbered_day(n: i64) -> Option<Day> {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let of_cycle = z - era * 146_097;
    let of_era = (of_cycle - of_cycle / 1460 + of_cycle / 36_524 - of_cycle / 146_096) / 365;
    let of_year = of_cycle - (365 * of_era + of_era / 4 - of_era / 100);
    let mp = (5 * of_year + 2) / 153;
    let day = of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = of_era + era * 400 + i64::from(month <= 2);
    Some((i32::try_from(year).ok()?, month as u8, day as u8))
}

impl PartialDate {
    /// The first date, in the order of dates, that starts on `day`: the coarsest one (the
    /// year when `day` is the first of January, the month when it is the first of a
    /// month, else the day itself).
    pub fn first_starting(day: Day) -> Result<Self, ModelError> {
        let date = PartialDate::ymd(day.0, day.1, day.2)?;
        Ok(match day {
            (_, 1, 1) => PartialDate {
                month: None,
                day: None,
                ..date
            },
            (_, _, 1) => PartialDate { day: None, ..date },
            _ => date,
        })
    }
}

impl When {
    /// What contradicts itself in the date, if anything: a range that ends before it
    /// starts, or a date outside its range.
    pub fn range_clash(&self) -> Option<String> {
        let out_of_order = |a: &PartialDate, b: &PartialDate| a.start() > b.end();
        match (
            self.not_before.as_deref(),
            self.not_after.as_deref(),
            &self.date,
        ) {
            (Some(a), Some(b), _) if out_of_order(&a.date, &b.date) => Some(format!(
                "not_before {} is after not_after {}",
                a.date, b.date
            )),
            (Some(a), _, Some(x)) if out_of_order(&a.date, x) => {
                Some(format!("date {x} is before not_before {}", a.date))
            }
            (_, Some(b), Some(x)) if out_of_order(x, &b.date) => {
                Some(format!("date {x} is after not_after {}", b.date))
            }
            _ => None,
        }
    }

    /// A date stated by the source.
    pub fn stated(date: PartialDate) -> Self {
        When {
            date: Some(date),
            inferred: false,
            note: None,
            not_before: None,
            not_after: None,
        }
    }

    /// The date where it is known, else its earliest bound: what dated lists sort by.
    pub fn sort_date(&self) -> Option<PartialDate> {
        self.date.or(self.not_before.as_ref().map(|b| b.date))
    }

    /// The first day it can be.
    pub fn earliest(&self) -> Option<Day> {
        self.sort_date().map(|d| d.start())
    }

    /// The last day it can be.
    pub fn latest(&self) -> Option<Day> {
        match self.date {
            Some(d) => Some(d.end()),
            None => self.not_after.as_ref().map(|b| b.date.end()),
        }
    }

    /// How firmly it is known, outside any range.
    fn basis(&self) -> DateBasis {
        if self.inferred {
            DateBasis::Inferred
        } else {
            DateBasis::Stated
        }
    }

    /// Where `day` stands against this date: a known date puts it before or on or after;
    /// a range puts it before its start, after its end, or within it.
    pub fn position(&self, day: Day) -> Position {
        if let Some(d) = self.date {
            return if day < d.start() {
                Position::Before(self.basis())
            } else {
                Position::OnOrAfter(self.basis())
            };
        }
        if self
            .not_before
            .as_ref()
            .is_some_and(|b| day < b.date.start())
        {
            return Position::Before(self.basis());
        }
        if self.not_after.as_ref().is_some_and(|b| day > b.date.end()) {
            return Position::OnOrAfter(self.basis());
        }
        Position::Within
    }
}

/// Whether something valid from `from` until `until` (exclusive; either open when absent)
/// holds on `day`, and how firmly that is known. Where `day` falls inside the range a start
/// or end is known only as, the change is taken as not yet made, with
/// [`DateBasis::Unknown`]. Claims and relations both answer "as of" through it.
pub fn holds_on(from: Option<&When>, until: Option<&When>, day: Day) -> (bool, DateBasis) {
    let (started, from) = match from.map(|w| w.position(day)) {
        None => (true, DateBasis::Stated),
        Some(Position::Before(b)) => (false, b),
        Some(Position::OnOrAfter(b)) => (true, b),
        Some(Position::Within) => (false, DateBasis::Unknown),
    };
    let (ended, until) = match until.map(|w| w.position(day)) {
        None => (false, DateBasis::Stated),
        Some(Position::Before(b)) => (false, b),
        Some(Position::OnOrAfter(b)) => (true, b),
        Some(Position::Within) => (false, DateBasis::Unknown),
    };
    (started && !ended, from.max(until))
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.date, &self.not_before, &self.not_after) {
            (Some(d), _, _) => write!(f, "{d}")?,
            (None, Some(a), Some(b)) => write!(f, "between {} and {}", a.date, b.date)?,
            (None, Some(a), None) => write!(f, "not before {}", a.date)?,
            (None, None, Some(b)) => write!(f, "not after {}", b.date)?,
            (None, None, None) => f.write_str("unknown")?,
        }
        if self.inferred {
            f.write_str(" (inferred)")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_precision() {
        assert_eq!(
            "2025".parse::<PartialDate>().unwrap().precision(),
            DatePrecision::Year
        );
        assert_eq!(
            "2025-07".parse::<PartialDate>().unwrap().precision(),
            DatePrecision::Month
        );
        let d: PartialDate = "2025-07-22".parse().unwrap();
        assert_eq!(d.precision(), DatePrecision::Day);
        assert_eq!(d.to_string(), "2025-07-22");
    }

    #[test]
    fn refuses_impossible_dates() {
        for bad in [
            "2025-02-29",
            "2025-13",
            "2025-00-10",
            "25-07-01",
            "2025-7-1",
            "July 22",
            "2025-07-22-1",
            "2025-",
            "2025-07-",
            "-2025",
            "2025--07",
            "+025-07-01",
            "",
        ] {
            assert!(
                bad.parse::<PartialDate>().is_err(),
                "{bad} should be refused"
            );
        }
        assert!("2024-02-29".parse::<PartialDate>().is_ok());
    }

    #[test]
    fn days_are_numbered_and_read_back() {
        assert_eq!(day_number((1970, 1, 1)), 0);
        assert_eq!(day_number((2000, 3, 1)) - day_number((2000, 2, 28)), 2);
        assert_eq!(day_number((1900, 3, 1)) - day_number((1900, 2, 28)), 1);
        assert_eq!(day_number((2025, 1, 1)) - day_number((2024, 1, 1)), 366);
        let mut n = day_number((1899, 12, 25));
        let mut day = (1899, 12, 25);
        while day.0 < 2101 {
            assert_eq!(numbered_day(n), Some(day));
            assert_eq!(day_number(day), n);
            let next = if day.2 < days_in_month(day.0, day.1) {
                (day.0, day.1, day.2 + 1)
            } else if day.1 < 12 {
                (day.0, day.1 + 1, 1)
            } else {
                (day.0 + 1, 1, 1)
            };
            (n, day) = (n + 1, next);
        }
    }

    #[test]
    fn the_first_date_starting_on_a_day_is_the_coarsest() {
        let d = |s: &str| s.parse::<PartialDate>().unwrap();
        assert_eq!(
            PartialDate::first_starting((2025, 1, 1)).unwrap(),
            d("2025")
        );
        assert_eq!(
            PartialDate::first_starting((2025, 7, 1)).unwrap(),
            d("2025-07")
        );
        assert_eq!(
            PartialDate::first_starting((2025, 7, 2)).unwrap(),
            d("2025-07-02")
        );
        assert!(PartialDate::first_starting((2025, 2, 30)).is_err());
        // Nothing that starts on the day comes before it.
        assert!(d("2025-07") < d("2025-07-01"));
    }

    #[test]
    fn orders_by_start_then_precision() {
        let month: PartialDate = "2025-07".parse().unwrap();
        let first: PartialDate = "2025-07-01".parse().unwrap();
        let later: PartialDate = "2025-07-22".parse().unwrap();
        assert!(month < first && first < later);
        assert_eq!(month.end(), (2025, 7, 31));
    }

    fn range(from: Option<&str>, to: Option<&str>) -> When {
        let bound = |s: &str| DateBound {
            date: s.parse().unwrap(),
            reason: "test".into(),
        };
        When {
            date: None,
            inferred: false,
            note: None,
            not_before: from.map(bound).map(Box::new),
            not_after: to.map(bound).map(Box::new),
        }
    }

    #[test]
    fn a_day_is_before_within_or_after_a_range() {
        let w = range(Some("2025-07-22"), Some("2025-07-31"));
        assert_eq!(
            w.position((2025, 7, 21)),
            Position::Before(DateBasis::Stated)
        );
        assert_eq!(w.position((2025, 7, 22)), Position::Within);
        assert_eq!(w.position((2025, 7, 31)), Position::Within);
        assert_eq!(
            w.position((2025, 8, 1)),
            Position::OnOrAfter(DateBasis::Stated)
        );
        let open = range(Some("2025-07-22"), None);
        assert_eq!(open.position((2030, 1, 1)), Position::Within);
        assert_eq!(
            open.sort_date().map(|d| d.to_string()).as_deref(),
            Some("2025-07-22")
        );
        assert_eq!(open.latest(), None);
        assert_eq!(w.to_string(), "between 2025-07-22 and 2025-07-31");
        let mut inferred = When::stated("2025-07-23".parse().unwrap());
        inferred.inferred = true;
        assert_eq!(
            inferred.position((2025, 7, 23)),
            Position::OnOrAfter(DateBasis::Inferred)
        );
        assert_eq!(
            inferred.position((2025, 7, 22)),
            Position::Before(DateBasis::Inferred)
        );
    }
}
