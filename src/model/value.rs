//! Exact values: money, percentage points and quantities, all `Decimal`.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::{ModelError, string_enum};

/// Active ISO 4217 currency codes.
const ISO_4217: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB \
BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD \
FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR \
KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR \
MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK \
SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES \
VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL";

/// Where `code` is among [`ISO_4217`]'s codes, counted from the first: found by halves,
/// as the codes are in order, each three letters and a space.
fn iso_4217_place(code: &[u8]) -> Option<u16> {
    let table = ISO_4217.as_bytes();
    let nth = |i: usize| table.get(4 * i..4 * i + 3).unwrap_or_default();
    let (mut low, mut high) = (0, table.len().div_ceil(4));
    while low < high {
        let mid = (low + high) / 2;
        match nth(mid).cmp(code) {
            std::cmp::Ordering::Less => low = mid + 1,
            std::cmp::Ordering::Greater => high = mid,
            std::cmp::Ordering::Equal => return u16::try_from(mid).ok(),
        }
    }
    None
}

/// An ISO 4217 currency code, kept as its place among [`ISO_4217`]'s codes, which are in
/// order: codes compare as their places do, and the text is the table's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(u16);

impl Currency {
    /// The code as text (`USD`).
    pub fn as_str(&self) -> &'static str {
        let at = 4 * usize::from(self.0);
        ISO_4217.get(at..at + 3).unwrap_or("???")
    }
}

super::wire::serde_as_text!(Currency);

impl FromStr for Currency {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.len() {
            3 => iso_4217_place(s.as_bytes()).map(Currency),
            _ => None,
        }
        .ok_or_else(|| ModelError::InvalidCurrency(s.to_string()))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads an exact decimal from text; no float is involved.
pub fn parse_decimal(text: &str) -> Result<Decimal, ModelError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed != text || trimmed.contains(['e', 'E', '_', ',']) {
        return Err(ModelError::InvalidDecimal(text.to_string()));
    }
    Decimal::from_str_exact(trimmed).map_err(|_| ModelError::InvalidDecimal(text.to_string()))
}

/// An amount of money in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawMoney")]
pub struct Money {
    /// The exact amount, in units of the currency (not minor units).
    #[serde(with = "super::wire::decimal")]
    pub amount: Decimal,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// Money with a non-negative amount.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Self, ModelError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(ModelError::OutOfRange {
                what: "money amount",
                value: amount.to_string(),
                range: "an amount is never negative; a decrease is a change from one value to a lower one",
            });
        }
        Ok(Money {
            amount: amount.normalize(),
            currency,
        })
    }

    /// Reads like a headline: "USD 550 billion", "USD 8 billion", "USD 1.25 million".
    /// Written into one string without the formatting machinery: an answer may ask it of
    /// every commitment on a page.
    pub fn display(&self) -> String {
        let mut out = String::with_capacity(48);
        self.push_display(&mut out);
        out
    }

    /// Writes [`Money::display`]'s text at the end of `out`.
    pub fn push_display(&self, out: &mut String) {
        out.push_str(self.currency.as_str());
        out.push(' ');
        push_scaled(out, self.amount);
    }
}

/// Money as written, before its checks.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMoney {
    #[serde(with = "super::wire::decimal")]
    amount: Decimal,
    currency: Currency,
}

impl TryFrom<RawMoney> for Money {
    type Error = ModelError;
    fn try_from(raw: RawMoney) -> Result<Self, ModelError> {
        Money::new(raw.amount, raw.currency)
    }
}

/// Writes a decimal with the largest of trillion, billion or million that keeps it at
/// or above one, exactly: the unit is told by how many digits its whole part has, and
/// dividing by it is moving the point.
fn push_scaled(out: &mut String, amount: Decimal) {
    let mut buffer = itoa::Buffer::new();
    let digits = mantissa_digits(&mut buffer, amount);
    let scale = usize::try_from(amount.scale()).unwrap_or(0);
    let whole = digits.len().saturating_sub(scale);
    let unit = [(12, " trillion"), (9, " billion"), (6, " million")]
        .into_iter()
        .find(|&(zeros, _)| whole > zeros);
    let (moved, word) = unit.unwrap_or((0, ""));
    push_digits(out, amount.is_sign_negative(), digits, scale + moved);
    out.push_str(word);
}

/// Writes `d` as `d.normalize()`'s `Display` writes it (a sign, the digits without the
/// zeros that end a fraction, a point where the scale left puts one): the mantissa's
/// digits by `itoa`, rather than by `normalize`'s divisions and the formatter.
pub fn push_decimal(out: &mut String, d: Decimal) {
    let mut buffer = itoa::Buffer::new();
    let digits = mantissa_digits(&mut buffer, d);
    let scale = usize::try_from(d.scale()).unwrap_or(0);
    push_digits(out, d.is_sign_negative(), digits, scale);
}

/// The digits of `d`'s mantissa, without its sign.
fn mantissa_digits(buffer: &mut itoa::Buffer, d: Decimal) -> &str {
    let m = d.mantissa().unsigned_abs();
    match u64::try_from(m) {
        Ok(small) => buffer.format(small),
        Err(_) => buffer.format(m),
    }
}

/// Writes the number whose digits are `digits` (no sign, no leading zero) and whose
/// point is `scale` digits from their end, as a normalized decimal displays it: the
/// fraction's ending zeros dropped, zero without a sign.
fn push_digits(out: &mut String, negative: bool, digits: &str, scale: usize) {
    if digits == "0" {
        out.push('0');
        return;
    }
    // The zeros that end the fraction: the digits are not all zeros, so they end
    // before the first.
    let zeros = digits.as_bytes()[digits.len().saturating_sub(scale)..]
        .iter()
        .rev()
        .take_while(|&&digit| digit == b'0')
        .count();
    let (digits, scale) = (&digits[..digits.len() - zeros], scale - zeros);
    if negative {
        out.push('-');
    }
    match digits.len().checked_sub(scale) {
        Some(0) | None => {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', scale - digits.len()));
            out.push_str(digits);
        }
        Some(whole) if scale > 0 => {
            out.push_str(&digits[..whole]);
            out.push('.');
            out.push_str(&digits[whole..]);
        }
        Some(_) => out.push_str(digits),
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Percentage points: `Percent(27.5)` is 27.5%.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Percent(Decimal);

impl Percent {
    /// Percentage points between -100 and 10,000 (a rise can exceed 100%).
    pub fn new(points: Decimal) -> Result<Self, ModelError> {
        if points < Decimal::from(-100) || points > Decimal::from(10_000) {
            return Err(ModelError::OutOfRange {
                what: "percent",
                value: points.to_string(),
                range: "percentage points from -100 to 10000",
            });
        }
        Ok(Percent(points.normalize()))
    }

    /// The percentage points.
    pub fn points(&self) -> Decimal {
        self.0
    }
}

impl serde::Serialize for Percent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        super::wire::decimal::serialize(&self.0, s)
    }
}

impl<'de> serde::Deserialize<'de> for Percent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let points = super::wire::decimal::deserialize(d)?;
        Percent::new(points).map_err(serde::de::Error::custom)
    }
}

impl Percent {
    /// Writes its text (`27.5%`) at the end of `out`.
    pub fn push_display(&self, out: &mut String) {
        push_decimal(out, self.0);
        out.push('%');
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        self.push_display(&mut text);
        f.write_str(&text)
    }
}

string_enum! {
    /// The unit of a quantity.
    pub enum Unit {
        /// Metric tons (tonnes).
        MetricTons = "metric-tons",
        /// Aircraft, counted.
        Aircraft = "aircraft",
        /// Minutes of time.
        Minutes = "minutes",
        /// Days of time.
        Days = "days",
        /// Items, counted.
        Items = "items",
    }
}

/// A quantity with its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawQuantity")]
pub struct Quantity {
    /// The exact value.
    #[serde(with = "super::wire::decimal")]
    pub value: Decimal,
    /// The unit.
    pub unit: Unit,
}

impl Quantity {
    /// A non-negative quantity.
    pub fn new(value: Decimal, unit: Unit) -> Result<Self, ModelError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(ModelError::OutOfRange {
                what: "quantity",
                value: value.to_string(),
                range: "a quantity is never negative",
            });
        }
        Ok(Quantity {
            value: value.normalize(),
            unit,
        })
    }
}

/// A quantity as written, before its checks.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuantity {
    #[serde(with = "super::wire::decimal")]
    value: Decimal,
    unit: Unit,
}

impl TryFrom<RawQuantity> for Quantity {
    type Error = ModelError;
    fn try_from(raw: RawQuantity) -> Result<Self, ModelError> {
        Quantity::new(raw.value, raw.unit)
    }
}

impl Quantity {
    /// Writes its text (`100 aircraft`, `5 metric tons`) at the end of `out`.
    pub fn push_display(&self, out: &mut String) {
        push_decimal(out, self.value);
        out.push(' ');
        out.push_str(match self.unit {
            Unit::MetricTons => "metric tons",
            other => other.as_str(),
        });
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        self.push_display(&mut text);
        f.write_str(&text)
    }
}

/// What a commitment or a project is worth or amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Amount {
    /// A sum of money.
    Money(Money),
    /// A counted or measured quantity.
    Quantity(Quantity),
    /// A relative change, in percentage points.
    Percent(Percent),
}

impl Amount {
    /// The amount in words, as its `Display` writes it: money the quickest.
    pub fn display(&self) -> String {
        let mut out = String::with_capacity(48);
        self.push_display(&mut out);
        out
    }

    /// Writes [`Amount::display`]'s text at the end of `out`.
    pub fn push_display(&self, out: &mut String) {
        match self {
            Amount::Money(m) => m.push_display(out),
            Amount::Quantity(q) => q.push_display(out),
            Amount::Percent(p) => p.push_display(out),
        }
    }

    /// The money, where the amount is money.
    pub fn money(&self) -> Option<&Money> {
        match self {
            Amount::Money(m) => Some(m),
            _ => None,
        }
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Amount::Money(m) => m.fmt(f),
            Amount::Quantity(q) => q.fmt(f),
            Amount::Percent(p) => p.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(text: &str) -> Money {
        Money::new(parse_decimal(text).unwrap(), "USD".parse().unwrap()).unwrap()
    }

    #[test]
    fn decimals_stay_exact() {
        assert_eq!(
            parse_decimal("550000000000.01").unwrap().to_string(),
            "550000000000.01"
        );
        for bad in ["", " 1", "1e3", "1,000", "abc", "1.2.3", "NaN"] {
            assert!(parse_decimal(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn decimals_are_written_as_their_normal_form_displays_them() {
        // Mantissas of every length up to the largest, at every scale, both signs.
        let mut mantissas = vec![0i128, 1, 9, 10, 99, 100, 101, 1_000_000];
        let mut m: i128 = 7;
        while m < 79_228_162_514_264_337_593_543_950_335 / 13 {
            mantissas.extend([m, m + 1, m * 10]);
            m = m * 13 + 5;
        }
        mantissas.extend([
            9_999_999_999_999_999_999,
            10_000_000_000_000_000_000,
            10_000_000_000_000_000_001,
            79_228_162_514_264_337_593_543_950_335,
        ]);
        for &m in &mantissas {
            for scale in 0..=28 {
                for sign in [1, -1] {
                    let d = Decimal::from_i128_with_scale(sign * m, scale);
                    let mut out = String::new();
                    push_decimal(&mut out, d);
                    assert_eq!(out, d.normalize().to_string(), "{m} at scale {scale}");
                }
            }
        }
    }

    #[test]
    fn money_reads_like_a_headline() {
        assert_eq!(usd("550000000000").display(), "USD 550 billion");
        assert_eq!(usd("17000000000").to_string(), "USD 17 billion");
        assert_eq!(usd("1250000").display(), "USD 1.25 million");
        assert_eq!(usd("950").display(), "USD 950");
        assert_eq!(
            usd("1000000000000.5").display(),
            "USD 1.0000000000005 trillion"
        );
        assert_eq!(usd("2500000.000").display(), "USD 2.5 million");
        // All 28 digits kept.
        let wide = Decimal::from_i128_with_scale(10i128.pow(27) + 1, 20);
        let money = Money::new(wide, "USD".parse().unwrap()).unwrap();
        assert_eq!(money.display(), "USD 10.00000000000000000000000001 million");
        // Amounts about each unit, at every scale, read as the quotient by the unit.
        let units = [
            (1_000_000_000_000i128, " trillion"),
            (1_000_000_000, " billion"),
            (1_000_000, " million"),
        ];
        for m in [
            1i128,
            9,
            999_999,
            1_000_000,
            1_250_001,
            999_999_999_999,
            10i128.pow(13) + 7,
        ] {
            for scale in 0..=12 {
                let amount = Decimal::from_i128_with_scale(m, scale);
                let expected = match units
                    .iter()
                    .find(|(unit, _)| amount >= Decimal::from_i128_with_scale(*unit, 0))
                {
                    Some((unit, word)) => {
                        let quotient = amount / Decimal::from_i128_with_scale(*unit, 0);
                        format!("USD {}{word}", quotient.normalize())
                    }
                    None => format!("USD {}", amount.normalize()),
                };
                let money = Money::new(amount, "USD".parse().unwrap()).unwrap();
                assert_eq!(money.display(), expected, "{m} at scale {scale}");
            }
        }
    }

    #[test]
    fn refuses_unknown_currencies_and_negative_money() {
        assert!("usd".parse::<Currency>().is_err());
        assert!("XYZ".parse::<Currency>().is_err());
        assert!("USDX".parse::<Currency>().is_err());
        assert!(Money::new(Decimal::from(-1), "USD".parse().unwrap()).is_err());
    }

    #[test]
    fn every_code_of_the_table_and_no_other_is_a_currency() {
        let codes: Vec<&str> = ISO_4217.split(' ').collect();
        assert!(
            codes.windows(2).all(|w| w[0] < w[1]),
            "the codes are in order"
        );
        for code in &codes {
            assert_eq!(code.len(), 3, "{code:?}");
            assert_eq!(code.parse::<Currency>().unwrap().as_str(), *code);
        }
        let currency = |code: &str| code.parse::<Currency>().unwrap();
        assert!(
            codes.windows(2).all(|w| currency(w[0]) < currency(w[1])),
            "currencies compare as their codes do"
        );
        // Every three capital letters: only the table's are known.
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                for c in b'A'..=b'Z' {
                    let text = String::from_utf8(vec![a, b, c]).unwrap();
                    assert_eq!(text.parse::<Currency>().is_ok(), codes.contains(&&*text));
                }
            }
        }
    }

    #[test]
    fn percents_are_points() {
        let p = Percent::new(parse_decimal("27.50").unwrap()).unwrap();
        assert_eq!(p.to_string(), "27.5%");
        let cut = Percent::new(parse_decimal("-12.50").unwrap()).unwrap();
        assert_eq!(Amount::Percent(cut).display(), "-12.5%");
        assert!(Percent::new(Decimal::from(-101)).is_err());
    }

    #[test]
    fn quantities_read_with_their_units() {
        let tons = Quantity::new(parse_decimal("5.50").unwrap(), Unit::MetricTons).unwrap();
        assert_eq!(tons.to_string(), "5.5 metric tons");
        let planes = Quantity::new(parse_decimal("100").unwrap(), Unit::Aircraft).unwrap();
        assert_eq!(Amount::Quantity(planes).display(), "100 aircraft");
        let small = Quantity::new(parse_decimal("0.0250").unwrap(), Unit::Days).unwrap();
        assert_eq!(small.to_string(), "0.025 days");
    }
}
