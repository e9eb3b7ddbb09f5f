//! One value cell of a report table: blank, a number, or a printed mark.
//!
//! This module owns the JSON form of a cell and nothing else. A cell is
//!
//! * `null` when the report left it blank (blank is **not** zero);
//! * a JSON number when a number was printed (`0`, `469`, `-58`, `179092.2001`);
//! * one of the strings `"/"`, `"-"`, `"无"` when the report printed a mark instead of a number.
//!
//! Numbers are exact decimals ([`rust_decimal::Decimal`]); nothing goes through `f64` arithmetic.
//! They are written as JSON numbers whose text is the shortest one that reads back to the same
//! value, which is exact for up to 15 significant digits. A value with more significant digits
//! (never seen in a real report) is written as a numeric string, so it is still lossless.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
#[cfg(feature = "schemars")]
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A mark printed in a cell instead of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    /// `/`: "not applicable" (also `／`, `\`).
    Slash,
    /// `-`: a dash (also `--`, `—`, `——`, `－`, `–`).
    Dash,
    /// `无`: "none" written in words.
    None,
}

impl Mark {
    /// The canonical text of the mark, as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Slash => "/",
            Mark::Dash => "-",
            Mark::None => "无",
        }
    }

    /// Recognize a printed mark (after trimming). Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<Mark> {
        match text.trim() {
            "/" | "／" | "\\" | "//" => Some(Mark::Slash),
            "-" | "--" | "---" | "—" | "——" | "－" | "－－" | "–" | "―" | "─" => {
                Some(Mark::Dash)
            }
            "无" | "無" => Some(Mark::None),
            _ => None,
        }
    }
}

impl fmt::Display for Mark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One value cell.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Cell {
    /// Left blank in the report (JSON `null`). Not the same as zero.
    #[default]
    Blank,
    /// A printed number, exact.
    Number(Decimal),
    /// A printed mark such as `/`.
    Mark(Mark),
}

impl Cell {
    /// A cell holding an integer.
    pub fn int(n: i64) -> Cell {
        Cell::Number(Decimal::from(n))
    }

    /// The number, if the cell holds one.
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Cell::Number(d) => Some(*d),
            _ => None,
        }
    }

    /// True when the cell is blank.
    pub fn is_blank(&self) -> bool {
        matches!(self, Cell::Blank)
    }

    /// The cell as it would be printed: empty, the number, or the mark.
    pub fn display(&self) -> Cow<'static, str> {
        match self {
            Cell::Blank => Cow::Borrowed(""),
            Cell::Number(d) => Cow::Owned(d.normalize().to_string()),
            Cell::Mark(m) => Cow::Borrowed(m.as_str()),
        }
    }

    /// Parse the canonical text form (`""`, a decimal number, or a mark), as used in CSV.
    pub fn parse_canonical(text: &str) -> Option<Cell> {
        let t = text.trim();
        if t.is_empty() {
            return Some(Cell::Blank);
        }
        if let Some(m) = Mark::parse(t) {
            return Some(Cell::Mark(m));
        }
        parse_decimal(t).map(Cell::Number)
    }
}

/// Parse a plain decimal (`-12`, `+3`, `179092.2001`). No units, no separators.
pub fn parse_decimal(t: &str) -> Option<Decimal> {
    // Most cells: a whole number of up to 18 digits, which an i64 holds exactly (the same
    // decimal, scale 0, as parsing its text).
    if (1..=18).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<i64>().ok().map(Decimal::from);
    }
    let body = t.strip_prefix('+').unwrap_or(t);
    let digits = body.strip_prefix('-').unwrap_or(body);
    if digits.is_empty()
        || digits.starts_with('.')
        || digits.ends_with('.')
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        || digits.bytes().filter(|&b| b == b'.').count() > 1
    {
        return None;
    }
    Decimal::from_str(body).ok()
}

/// Significant digits that a JSON number (an `f64`) carries exactly.
const EXACT_F64_DIGITS: u32 = 15;

fn significant_digits(d: &Decimal) -> u32 {
    let m = d.normalize().mantissa().unsigned_abs();
    if m == 0 {
        1
    } else {
        m.ilog10() + 1
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Blank => s.serialize_none(),
            Cell::Mark(m) => s.serialize_str(m.as_str()),
            Cell::Number(d) => {
                let d = d.normalize();
                if d.scale() == 0 {
                    if let Ok(i) = i64::try_from(d) {
                        return s.serialize_i64(i);
                    }
                }
                if significant_digits(&d) <= EXACT_F64_DIGITS {
                    if let Ok(f) = f64::from_str(&d.to_string()) {
                        return s.serialize_f64(f);
                    }
                }
                s.serialize_str(&d.to_string())
            }
        }
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null, a number, or one of \"/\", \"-\", \"无\"")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Cell::Blank)
    }
    fn visit_none<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Cell::Blank)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Cell, D::Error> {
        d.deserialize_any(CellVisitor)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
        Ok(Cell::Number(Decimal::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
        Ok(Cell::Number(Decimal::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
        if !v.is_finite() {
            return Err(E::custom("a cell cannot hold NaN or infinity"));
        }
        // `{}` on f64 prints the shortest text that reads back to the same float: exactly
        // the digits that were in the JSON for any value of up to 15 significant digits.
        Decimal::from_str(&format!("{v}"))
            .or_else(|_| Decimal::from_scientific(&format!("{v:e}")))
            .map(|d| Cell::Number(d.normalize()))
            .map_err(|_| E::custom(format!("number {v} is out of range for a cell")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
        if let Some(m) = Mark::parse(v) {
            return Ok(Cell::Mark(m));
        }
        match parse_decimal(v.trim()) {
            Some(d) => Ok(Cell::Number(d)),
            None => Err(E::custom(format!(
                "cell text {v:?} is neither a number nor one of \"/\", \"-\", \"无\""
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Cell, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

/// What kind of number a cell holds. Decides its JSON Schema and how it is validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A count of cases, documents or items: an integer, expected to be `>= 0`.
    Count,
    /// A signed change (本年增/减): an integer that may be negative.
    Signed,
    /// An amount (money, usually 万元): an exact decimal.
    Amount,
}

macro_rules! kinded_cell {
    ($(#[$m:meta])* $name:ident, $kind:expr, $schema_name:literal, $num:expr, $desc:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub struct $name(pub Cell);

        impl $name {
            /// The kind of number this cell holds.
            pub const KIND: Kind = $kind;
        }

        impl From<Cell> for $name {
            fn from(c: Cell) -> Self {
                $name(c)
            }
        }

        impl std::ops::Deref for $name {
            type Target = Cell;
            fn deref(&self) -> &Cell {
                &self.0
            }
        }

        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Cell {
                &mut self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let c = Cell::deserialize(d)?;
                if $kind == Kind::Count {
                    if let Cell::Number(n) = &c {
                        if n.is_sign_negative() && !n.is_zero() {
                            return Err(de::Error::custom(format!(
                                "a count cannot be negative, found {n}"
                            )));
                        }
                    }
                }
                if $kind != Kind::Amount {
                    if let Cell::Number(n) = &c {
                        if n.normalize().scale() != 0 {
                            return Err(de::Error::custom(format!(
                                "{} must be a whole number, found {}",
                                stringify!($name),
                                n
                            )));
                        }
                    }
                }
                Ok($name(c))
            }
        }

        #[cfg(feature = "schemars")]
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($schema_name)
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let num: serde_json::Value = $num;
                json_schema!({
                    "description": $desc,
                    "anyOf": [
                        num,
                        { "type": "null", "description": "留空 / left blank (not zero)" },
                        { "type": "string", "enum": ["/", "-", "无"],
                          "description": "印刷的符号 / a mark printed instead of a number" }
                    ]
                })
            }
        }
    };
}

kinded_cell!(
    /// A cell holding a count (件, 条, 个): whole number, blank, or a mark.
    Count,
    Kind::Count,
    "Count",
    serde_json::json!({ "type": "integer", "minimum": 0, "description": "数量（不为负）/ count (never negative)" }),
    "计数单元格：整数、留空(null)或符号。/ A count cell: an integer, null when left blank, or a printed mark."
);

kinded_cell!(
    /// A cell holding a signed change (本年增/减): whole number that may be negative.
    Signed,
    Kind::Signed,
    "Signed",
    serde_json::json!({ "type": "integer", "description": "增减量，可为负 / signed change" }),
    "增减单元格：可为负的整数、留空(null)或符号。/ A signed change: an integer (may be negative), null, or a mark."
);

kinded_cell!(
    /// A cell holding an amount (usually 万元): exact decimal.
    Amount,
    Kind::Amount,
    "Amount",
    serde_json::json!({ "anyOf": [
        { "type": "number", "description": "精确小数 / exact decimal" },
        { "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
          "description": "超过15位有效数字的精确小数文本 / exact decimal text beyond 15 significant digits" }
    ]}),
    "金额单元格：精确小数、留空(null)或符号。/ An amount cell: an exact decimal, null, or a mark."
);

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole-number fast path gives the very decimal (value, scale, bytes) that parsing the
    /// text gives.
    #[test]
    fn whole_numbers_parse_as_their_text_does() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut cases: Vec<String> = [
            "0",
            "00",
            "007",
            "1",
            "999999999999999999",
            "000000000000000000",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = 1 + (x % 18) as usize;
            let digits: String = (0..len)
                .map(|i| char::from(b'0' + ((x >> (i * 3)) % 10) as u8))
                .collect();
            cases.push(digits);
        }
        for s in cases {
            let fast = parse_decimal(&s).unwrap();
            let text = Decimal::from_str(&s).unwrap();
            assert_eq!(fast, text, "{s}");
            assert_eq!(fast.scale(), text.scale(), "{s}");
            assert_eq!(fast.serialize(), text.serialize(), "{s}");
        }
        assert_eq!(
            parse_decimal("1234567890123456789"),
            Decimal::from_str("1234567890123456789").ok()
        );
    }

    fn rt(json: &str) -> String {
        let c: Cell = serde_json::from_str(json).unwrap();
        serde_json::to_string(&c).unwrap()
    }

    #[test]
    fn json_round_trip_is_exact() {
        for s in [
            "null",
            "0",
            "469",
            "-58",
            "179092.2001",
            "9119.15",
            "0.1",
            "\"/\"",
            "\"-\"",
            "\"无\"",
        ] {
            assert_eq!(rt(s), s, "{s}");
        }
    }

    #[test]
    fn many_digits_stay_exact_as_text() {
        let d = Decimal::from_str("1234567890.1234567891").unwrap();
        let s = serde_json::to_string(&Cell::Number(d)).unwrap();
        assert_eq!(s, "\"1234567890.1234567891\"");
        let back: Cell = serde_json::from_str(&s).unwrap();
        assert_eq!(back, Cell::Number(d));
    }

    #[test]
    fn blank_is_not_zero() {
        let blank: Cell = serde_json::from_str("null").unwrap();
        let zero: Cell = serde_json::from_str("0").unwrap();
        assert_ne!(blank, zero);
    }

    #[test]
    fn count_rejects_fractions() {
        assert!(serde_json::from_str::<Count>("1.5").is_err());
        assert!(serde_json::from_str::<Amount>("1.5").is_ok());
        assert!(serde_json::from_str::<Count>("\"x\"").is_err());
    }

    #[test]
    fn marks_parse() {
        assert_eq!(Mark::parse("——"), Some(Mark::Dash));
        assert_eq!(Mark::parse(" ／ "), Some(Mark::Slash));
        assert_eq!(Mark::parse("无"), Some(Mark::None));
        assert_eq!(Mark::parse("0"), None);
    }

    #[test]
    fn parse_decimal_is_strict() {
        assert_eq!(parse_decimal("+3"), Some(Decimal::from(3)));
        assert_eq!(parse_decimal("-14"), Some(Decimal::from(-14)));
        assert!(parse_decimal("1,000").is_none());
        assert!(parse_decimal("12元").is_none());
        assert!(parse_decimal(".5").is_none());
        assert!(parse_decimal("").is_none());
    }
}
