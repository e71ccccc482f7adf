//! Reads typed fields out of spanned TOML tables, recording every problem
//! with its line and field path instead of stopping at the first.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{SeedError, SeedErrorKind};
use crate::model::{DateBound, EntityId, ModelError, NodeKind, PartialDate, When, parse_decimal};

/// Collects the errors of one file, knowing how to turn byte offsets into lines.
pub(crate) struct Diag {
    file: PathBuf,
    line_starts: Vec<usize>,
    /// The id of the entry being read, for error messages.
    pub entry: Option<String>,
    /// Everything found so far.
    pub errors: Vec<SeedError>,
}

impl Diag {
    pub fn new(file: &Path, text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Diag {
            file: file.to_path_buf(),
            line_starts,
            entry: None,
            errors: Vec::new(),
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Records an error at `span`, for `field`.
    pub fn error(&mut self, span: &Range<usize>, field: Option<String>, kind: SeedErrorKind) {
        let line = self.line(span.start);
        self.errors.push(SeedError {
            file: self.file.clone(),
            line,
            entry: self.entry.clone(),
            field,
            kind,
        });
    }
}

/// Names a TOML value's type for messages.
pub(crate) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a TOML date (write dates as strings, \"2025-07-22\")",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The fields of one table, read one by one; `finish` reports the fields
/// nobody asked for.
pub(crate) struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Range<usize>,
    path: String,
    allowed: Vec<&'static str>,
}

impl<'t, 'i> Fields<'t, 'i> {
    pub fn new(table: &'t DeTable<'i>, span: Range<usize>, path: String) -> Self {
        Fields {
            table,
            span,
            path,
            allowed: Vec::new(),
        }
    }

    /// The span of the whole table, for errors about it.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The path of a field of this table (`amount[1].money`).
    pub fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The raw value of a field, marking the field as known.
    pub fn raw(&mut self, key: &'static str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.allowed.push(key);
        self.table.get(key)
    }

    /// True when the field is present (and marks it known).
    pub fn has(&mut self, key: &'static str) -> bool {
        self.raw(key).is_some()
    }

    fn missing(&self, d: &mut Diag, key: &str) {
        d.error(
            &self.span,
            Some(self.path_of(key)),
            SeedErrorKind::MissingField,
        );
    }

    fn wrong(&self, d: &mut Diag, key: &str, v: &Spanned<DeValue<'_>>, expected: &'static str) {
        d.error(
            &v.span(),
            Some(self.path_of(key)),
            SeedErrorKind::WrongType {
                expected,
                found: type_name(v.get_ref()),
            },
        );
    }

    /// An optional string.
    pub fn opt_str(&mut self, d: &mut Diag, key: &'static str) -> Option<String> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.wrong(d, key, v, "a string");
                None
            }
        }
    }

    /// A required string; an empty one is an error too.
    pub fn str(&mut self, d: &mut Diag, key: &'static str) -> Option<String> {
        if self.table.get(key).is_none() {
            self.allowed.push(key);
            self.missing(d, key);
            return None;
        }
        let s = self.opt_str(d, key)?;
        if s.trim().is_empty() {
            let span = self.span_of(key);
            d.error(
                &span,
                Some(self.path_of(key)),
                SeedErrorKind::Invalid(ModelError::Empty("the value")),
            );
            return None;
        }
        Some(s)
    }

    /// The span of a field's value, or of the table where absent.
    pub fn span_of(&self, key: &str) -> Range<usize> {
        self.table
            .get(key)
            .map(|v| v.span())
            .unwrap_or_else(|| self.span.clone())
    }

    /// An optional boolean, false when absent.
    pub fn bool(&mut self, d: &mut Diag, key: &'static str) -> bool {
        let Some(v) = self.raw(key) else { return false };
        match v.get_ref() {
            DeValue::Boolean(b) => *b,
            _ => {
                self.wrong(d, key, v, "true or false");
                false
            }
        }
    }

    /// An optional array of strings, empty when absent.
    pub fn strings(&mut self, d: &mut Diag, key: &'static str) -> Vec<(String, Range<usize>)> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong(d, key, v, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.to_string(), item.span())),
                other => d.error(
                    &item.span(),
                    Some(format!("{}[{i}]", self.path_of(key))),
                    SeedErrorKind::WrongType {
                        expected: "a string",
                        found: type_name(other),
                    },
                ),
            }
        }
        out
    }

    /// Parses a string field with `parse`, reporting its error at the value.
    pub fn parse_with<T>(
        &mut self,
        d: &mut Diag,
        key: &'static str,
        required: bool,
        parse: impl Fn(&str) -> Result<T, ModelError>,
    ) -> Option<T> {
        let text = if required {
            self.str(d, key)?
        } else {
            self.opt_str(d, key)?
        };
        match parse(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                let span = self.span_of(key);
                d.error(&span, Some(self.path_of(key)), SeedErrorKind::Invalid(e));
                None
            }
        }
    }

    /// A required value of a closed set.
    pub fn enum_<T: FromStr<Err = ModelError>>(
        &mut self,
        d: &mut Diag,
        key: &'static str,
    ) -> Option<T> {
        self.parse_with(d, key, true, T::from_str)
    }

    /// An optional value of a closed set.
    pub fn opt_enum<T: FromStr<Err = ModelError>>(
        &mut self,
        d: &mut Diag,
        key: &'static str,
    ) -> Option<T> {
        self.parse_with(d, key, false, T::from_str)
    }

    /// A required exact decimal, written as a string.
    pub fn decimal(&mut self, d: &mut Diag, key: &'static str) -> Option<Decimal> {
        if let Some(v) = self.table.get(key)
            && matches!(v.get_ref(), DeValue::Integer(_) | DeValue::Float(_))
        {
            self.allowed.push(key);
            let span = v.span();
            let text = match v.get_ref() {
                DeValue::Integer(i) => i.as_str().to_string(),
                DeValue::Float(f) => f.as_str().to_string(),
                _ => String::new(),
            };
            d.error(
                &span,
                Some(self.path_of(key)),
                SeedErrorKind::Invalid(ModelError::InvalidDecimal(text)),
            );
            return None;
        }
        self.parse_with(d, key, true, parse_decimal)
    }

    /// A required id of one of `kinds`.
    pub fn id(&mut self, d: &mut Diag, key: &'static str, kinds: &[NodeKind]) -> Option<EntityId> {
        self.parse_with(d, key, true, |s| EntityId::parse_of(s, kinds))
    }

    /// An optional id of one of `kinds`.
    pub fn opt_id(
        &mut self,
        d: &mut Diag,
        key: &'static str,
        kinds: &[NodeKind],
    ) -> Option<EntityId> {
        self.parse_with(d, key, false, |s| EntityId::parse_of(s, kinds))
    }

    /// An optional array of ids of `kinds`, each with its span.
    pub fn ids(
        &mut self,
        d: &mut Diag,
        key: &'static str,
        kinds: &[NodeKind],
    ) -> Vec<(EntityId, Range<usize>)> {
        let path = self.path_of(key);
        let mut out = Vec::new();
        for (i, (text, span)) in self.strings(d, key).into_iter().enumerate() {
            match EntityId::parse_of(&text, kinds) {
                Ok(id) => out.push((id, span)),
                Err(e) => d.error(
                    &span,
                    Some(format!("{path}[{i}]")),
                    SeedErrorKind::Invalid(e),
                ),
            }
        }
        out
    }

    /// An optional date: `"2025-07-22"` or `{ date = "…", inferred = true, note = "…" }`.
    pub fn date(&mut self, d: &mut Diag, key: &'static str) -> Option<When> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::String(_) => self.parse_with(d, key, false, |s| {
                PartialDate::from_str(s).map(When::stated)
            }),
            DeValue::Table(t) => {
                let mut f = Fields::new(t, v.span(), self.path_of(key));
                let date = f.parse_with(d, "date", false, PartialDate::from_str);
                let inferred = f.bool(d, "inferred");
                let note = f.opt_str(d, "note");
                let not_before = f.bound(d, "not_before");
                let not_after = f.bound(d, "not_after");
                let table = f.span();
                if date.is_none() && not_before.is_none() && not_after.is_none() && !f.has("date") {
                    let path = f.path_of("date");
                    d.error(&table, Some(path), SeedErrorKind::MissingField);
                }
                let when = When {
                    date,
                    inferred,
                    note,
                    not_before: not_before.map(Box::new),
                    not_after: not_after.map(Box::new),
                };
                if let Some(msg) = when.range_clash() {
                    let path = f.path_of("not_before");
                    d.error(&table, Some(path), SeedErrorKind::Inconsistent(msg));
                }
                f.finish(d);
                let undated =
                    when.date.is_none() && when.not_before.is_none() && when.not_after.is_none();
                (!undated).then_some(when)
            }
            _ => {
                self.wrong(
                    d,
                    key,
                    v,
                    "a date string or a { date, inferred, note, not_before, not_after } table",
                );
                None
            }
        }
    }

    /// An optional end of a date range: `{ date = "2025-07-22", reason = "…" }`.
    fn bound(&mut self, d: &mut Diag, key: &'static str) -> Option<DateBound> {
        let mut b = self.table(d, key)?;
        let date = b.parse_with(d, "date", true, PartialDate::from_str);
        let reason = b.str(d, "reason");
        b.finish(d);
        Some(DateBound {
            date: date?,
            reason: reason?,
        })
    }

    /// An optional sub-table.
    pub fn table(&mut self, d: &mut Diag, key: &'static str) -> Option<Fields<'t, 'i>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Fields::new(t, v.span(), self.path_of(key))),
            _ => {
                self.wrong(d, key, v, "a table");
                None
            }
        }
    }

    /// An optional array of tables, each read with the given path prefix.
    pub fn tables(&mut self, d: &mut Diag, key: &'static str) -> Vec<Fields<'t, 'i>> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong(d, key, v, "an array of tables");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", self.path_of(key));
            match item.get_ref() {
                DeValue::Table(t) => out.push(Fields::new(t, item.span(), path)),
                other => d.error(
                    &item.span(),
                    Some(path),
                    SeedErrorKind::WrongType {
                        expected: "a table",
                        found: type_name(other),
                    },
                ),
            }
        }
        out
    }

    /// The items of an optional array, each with its path.
    pub fn items(
        &mut self,
        d: &mut Diag,
        key: &'static str,
    ) -> Vec<(&'t Spanned<DeValue<'i>>, String)> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong(d, key, v, "an array");
            return Vec::new();
        };
        let path = self.path_of(key);
        items
            .iter()
            .enumerate()
            .map(|(i, item)| (item, format!("{path}[{i}]")))
            .collect()
    }

    /// Reports every field that was never asked for.
    pub fn finish(self, d: &mut Diag) {
        for key in self.table.keys() {
            let name: &str = key.get_ref();
            if !self.allowed.contains(&name) {
                let mut expected = self.allowed.clone();
                expected.sort_unstable();
                expected.dedup();
                d.error(
                    &key.span(),
                    Some(self.path_of(name)),
                    SeedErrorKind::UnknownField {
                        expected: expected.join(", "),
                    },
                );
            }
        }
    }
}
