//! Our own exact scalars: `Decimal` and `Date`, strings on the wire in both directions.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

use crate::model::{PartialDate, parse_decimal, push_decimal};

/// An exact decimal number, written as a string on the wire in both
/// directions ("550000000000.01"), so no digit is lost to floating point.
/// A JSON number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal(pub rust_decimal::Decimal);

/// An exact decimal number, written as a string on the wire in both
/// directions ("550000000000.01"), so no digit is lost to floating point.
/// A JSON number is refused.
#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => parse_decimal(s)
                .map(Decimal)
                .map_err(|e| InputValueError::custom(e.to_string())),
            Value::Number(n) => Err(InputValueError::custom(format!(
                "a Decimal is a string, such as \"{n}\": a JSON number may have lost digits already"
            ))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        Self::parse(value.clone()).is_ok()
    }

    fn to_value(&self) -> Value {
        Value::String(self.text())
    }
}

impl Decimal {
    /// The text it is written as: its digits without trailing zeros.
    pub fn text(&self) -> String {
        let mut text = String::with_capacity(24);
        self.push_text(&mut text);
        text
    }

    /// Writes [`Decimal::text`] at the end of `out`.
    pub fn push_text(&self, out: &mut String) {
        push_decimal(out, self.0);
    }
}

/// A calendar date in ISO 8601, known to the year (`2025`), the month
/// (`2025-07`) or the day (`2025-07-22`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub PartialDate);

/// A calendar date in ISO 8601, known to the year (`2025`), the month
/// (`2025-07`) or the day (`2025-07-22`).
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => s
                .parse()
                .map(Date)
                .map_err(|e: crate::model::ModelError| InputValueError::custom(e.to_string())),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        Self::parse(value.clone()).is_ok()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}
