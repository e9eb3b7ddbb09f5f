//! Compact JSON (an NDJSON record) written exactly as `serde_json::to_writer` writes it, byte
//! for byte, with its strings escaped a block at a time: most of a report's bytes are the
//! Chinese text of its narrative, which needs no escape, and `serde_json` looks at each of its
//! bytes in turn. Numbers (and map keys that are not strings) are written by `serde_json`
//! itself, so they cannot differ.
//!
//! Owns the JSON syntax of one value; what a report holds is the schema's business.
//!
//! ```
//! let v = serde_json::json!({"a": [1, 2.5, null], "b": "说明\n\"x\""});
//! let mut out = Vec::new();
//! xxgk::write::compact_json::to_vec(&mut out, &v).unwrap();
//! assert_eq!(out, serde_json::to_vec(&v).unwrap());
//! ```

use serde::ser::{self, Serialize};

type Error = serde_json::Error;

/// Append `value` to `out` as compact JSON.
pub fn to_vec<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    value.serialize(&mut Writer { out })
}

/// The serializer: a buffer it appends to.
struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl Writer<'_> {
    /// A number (or anything else) as `serde_json` writes it.
    fn by_serde_json<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, v)
    }

    fn string(&mut self, s: &str) {
        write_escaped(self.out, s);
    }
}

/// `s` as a JSON string, escaped as `serde_json` escapes it: `"` and `\`, and the control
/// characters below U+0020 (`\b`, `\t`, `\n`, `\f`, `\r`, else `\u00XX` in lowercase hex).
fn write_escaped(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut from = 0;
    while let Some(i) = crate::scan::first_byte(&b[from..], needs_escape) {
        let at = from + i;
        out.extend_from_slice(&b[from..at]);
        let c = b[at];
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(c >> 4)]);
                out.push(HEX[usize::from(c & 0xF)]);
            }
        }
        from = at + 1;
    }
    out.extend_from_slice(&b[from..]);
    out.push(b'"');
}

#[inline]
fn needs_escape(x: u8) -> bool {
    (x < 0x20) | (x == b'"') | (x == b'\\')
}

/// An array, object or variant being written: whether an element was written yet, and what
/// closes it.
struct Compound<'w, 'a> {
    w: &'w mut Writer<'a>,
    first: bool,
    close: &'static [u8],
}

impl Compound<'_, '_> {
    fn comma(&mut self) {
        if !std::mem::replace(&mut self.first, false) {
            self.w.out.push(b',');
        }
    }

    fn key(&mut self, key: &str) {
        self.comma();
        self.w.string(key);
        self.w.out.push(b':');
    }

    fn end(self) -> Result<(), Error> {
        self.w.out.extend_from_slice(self.close);
        Ok(())
    }
}

impl<'w, 'a> ser::Serializer for &'w mut Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w, 'a>;
    type SerializeTuple = Compound<'w, 'a>;
    type SerializeTupleStruct = Compound<'w, 'a>;
    type SerializeTupleVariant = Compound<'w, 'a>;
    type SerializeMap = Compound<'w, 'a>;
    type SerializeStruct = Compound<'w, 'a>;
    type SerializeStructVariant = Compound<'w, 'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.by_serde_json(&v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.by_serde_json(&serde_bytes_as_array(v))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.out.push(b'{');
        self.string(variant);
        self.out.push(b':');
        v.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'[');
        Ok(Compound {
            w: self,
            first: true,
            close: b"]",
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'w, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'{');
        self.string(variant);
        self.out.extend_from_slice(b":[");
        Ok(Compound {
            w: self,
            first: true,
            close: b"]}",
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'{');
        Ok(Compound {
            w: self,
            first: true,
            close: b"}",
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'w, 'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'{');
        self.string(variant);
        self.out.extend_from_slice(b":{");
        Ok(Compound {
            w: self,
            first: true,
            close: b"}}",
        })
    }
}

/// Bytes as `serde_json` writes them: an array of numbers.
fn serde_bytes_as_array(v: &[u8]) -> impl Serialize + '_ {
    struct Bytes<'b>(&'b [u8]);
    impl Serialize for Bytes<'_> {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }
    Bytes(v)
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.comma();
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(MapKey { w: &mut *self.w })?;
        self.w.out.push(b':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.key(key);
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

/// A map key: a string is written here; any other key as `serde_json` writes it (a number in
/// quotes, or its error), taken from a one-entry object it writes.
struct MapKey<'w, 'a> {
    w: &'w mut Writer<'a>,
}

impl MapKey<'_, '_> {
    fn by_serde_json<T: Serialize + ?Sized>(self, key: &T) -> Result<(), Error> {
        struct One<'k, K: ?Sized>(&'k K);
        impl<K: Serialize + ?Sized> Serialize for One<'_, K> {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use ser::SerializeMap;
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(self.0, &())?;
                m.end()
            }
        }
        let object = serde_json::to_vec(&One(key))?;
        // `{` key `:null}`
        let key_bytes = &object[1..object.len() - b":null}".len()];
        self.w.out.extend_from_slice(key_bytes);
        Ok(())
    }
}

macro_rules! key_by_serde_json {
    ($($f:ident: $t:ty),*) => {
        $(fn $f(self, v: $t) -> Result<(), Error> {
            self.by_serde_json(&v)
        })*
    };
}

impl ser::Serializer for MapKey<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.w.string(v);
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    key_by_serde_json!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char);
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.by_serde_json(&serde_bytes_as_array(v))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.by_serde_json(&None::<()>)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        self.by_serde_json(&Some(v))
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.by_serde_json(&())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.by_serde_json(&())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(ser::Error::custom("key must be a string"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn same<T: Serialize + ?Sized>(v: &T) {
        let mut out = Vec::new();
        to_vec(&mut out, v).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string(v).unwrap()
        );
    }

    #[derive(Serialize)]
    enum E {
        Unit,
        New(u8),
        Tuple(i32, String),
        Struct { a: Option<f64>, b: Vec<bool> },
    }

    #[derive(Serialize)]
    struct S {
        e: Vec<E>,
        #[serde(flatten)]
        extra: BTreeMap<String, i64>,
        unit: (),
        t: (u8, char),
        bytes: serde_json::Value,
    }

    #[test]
    fn writes_what_serde_json_writes() {
        same("");
        same("a\"b\\c\u{0}\u{1f}\u{7f}\u{8}\t\n\u{c}\r/ 说明“”");
        same(&"汉字".repeat(40));
        same(&[1.5f64, -0.0, 1e300, f64::NAN, 1.0]);
        same(&[u64::MAX as u128, 0]);
        same(&(i128::MIN, 'x', '\n'));
        let mut m = BTreeMap::new();
        m.insert(3i32, "three");
        m.insert(-1, "minus");
        same(&m);
        let mut b = BTreeMap::new();
        b.insert(true, 1);
        same(&b);
        let mut extra = BTreeMap::new();
        extra.insert("z\"".to_string(), 9);
        same(&S {
            e: vec![
                E::Unit,
                E::New(7),
                E::Tuple(-3, "t".into()),
                E::Struct {
                    a: None,
                    b: vec![true, false],
                },
                E::Struct {
                    a: Some(0.1),
                    b: vec![],
                },
            ],
            extra,
            unit: (),
            t: (255, 'é'),
            bytes: serde_json::json!({"k": [1, "v", null, {}]}),
        });
    }

    proptest::proptest! {
        /// Any string is escaped as serde_json escapes it.
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(s in "(\\PC|[\u{0}-\u{1f}\"\\\\])*") {
            let mut out = Vec::new();
            to_vec(&mut out, &s).unwrap();
            proptest::prop_assert_eq!(out, serde_json::to_vec(&s).unwrap());
        }
    }
}
