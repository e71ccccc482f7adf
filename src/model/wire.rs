//! How model values are written in stored changes: ids, codes, dates and closed sets as
//! their text, decimals as exact strings (never a float), each read back with the same
//! checks the seed loader applies.

/// Implements serde for a type through its `Display` and `FromStr`, so it is written as
/// the text the seed uses and read back with the same validation.
macro_rules! serde_as_text {
    ($($ty:ty),+ $(,)?) => {$(
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str($crate::model::wire::FromText(std::marker::PhantomData))
            }
        }
    )+};
}
pub(crate) use serde_as_text;

/// Reads a value from its text where the reader hands it over, borrowed or not, without
/// a `String` of its own first: millions of ids are read from a large seed.
pub(crate) struct FromText<T>(pub(crate) std::marker::PhantomData<T>);

impl<T> serde::de::Visitor<'_> for FromText<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        text.parse().map_err(E::custom)
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<T, E> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(bytes), &self))?;
        self.visit_str(text)
    }
}

/// A list read to its exact length: `#[serde(deserialize_with = "wire::exact_vec")]`. JSON
/// gives no length to reserve ahead, so a list read from it grows by doubling from four;
/// across millions of entities and relations the spare room would outweigh the lists.
pub(crate) fn exact_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let mut list = <Vec<T> as serde::Deserialize>::deserialize(d)?;
    list.shrink_to_fit();
    Ok(list)
}

/// Exact decimals as strings: `#[serde(with = "wire::decimal")]`. A JSON number is refused,
/// so no value ever passes through a float.
pub(crate) mod decimal {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::super::parse_decimal(&text).map_err(serde::de::Error::custom)
    }
}
