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

impl FromStr for PartialDate {
    type Err = ModelError;

    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || ModelError::InvalidDate(text.to_string());
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, len: usize| -> Result<u32, ModelError> {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        let year = number(parts.first().copied().unwrap_or_default(), 4)? as i32;
        match parts.len() {
            1 => Ok(PartialDate {
                year,
                month: None,
                day: None,
            }),
            2 => {
                let month = number(parts[1], 2)? as u8;
                if !(1..=12).contains(&month) {
                    return Err(bad());
                }
                Ok(PartialDate {
                    year,
                    month: Some(month),
                    day: None,
                })
            }
            3 => {
                let month = number(parts[1], 2)? as u8;
                let day = number(parts[2], 2)? as u8;
                PartialDate::ymd(year, month, day).map_err(|_| bad())
            }
            _ => Err(bad()),
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

/// A date as recorded: the date, whether we inferred it rather than read it
/// in the source, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    /// The date, to its precision.
    pub date: PartialDate,
    /// True where the source does not state this date and it was inferred from context.
    pub inferred: bool,
    /// How it was inferred, or what is uncertain about it.
    pub note: Option<String>,
}

impl When {
    /// A date stated by the source.
    pub fn stated(date: PartialDate) -> Self {
        When {
            date,
            inferred: false,
            note: None,
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date)?;
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
    fn orders_by_start_then_precision() {
        let month: PartialDate = "2025-07".parse().unwrap();
        let first: PartialDate = "2025-07-01".parse().unwrap();
        let later: PartialDate = "2025-07-22".parse().unwrap();
        assert!(month < first && first < later);
        assert_eq!(month.end(), (2025, 7, 31));
    }
}
