//! The byte-level codec of the precompiled form: a [`Writer`], a bounds-
//! checked [`Reader`], and [`Codec`] for the primitive and container types
//! the compiled rules are made of.
//!
//! Encoding: unsigned integers as LEB128 varints, signed ones zigzagged,
//! `f32` as 4 little-endian bytes, strings and sequences length-prefixed.
//! Invariant: decoding never panics and never allocates more than the input
//! could describe (a length is checked against the bytes left), and nesting
//! is capped so hostile input cannot overflow the stack.

use float_pigment_css::property::StrRef;
use float_pigment_css::sheet::borrow::Array;

/// Nesting (boxes and sequences within each other) a binary may use: 128.
/// Real sheets stay far below it (a `calc()` nests a few levels, a
/// `:not()` costs 3), and the WXSS compiler never writes deeper values
/// (`guard::MAX_NESTING`); the cap bounds the decoder's recursion.
const MAX_DEPTH: u32 = 128;

/// The most items a sequence reserves room for before any is decoded:
/// 4,096. A length is only checked against the bytes left, and nested
/// sequences (`:not()` inside `:not()`) could each reserve
/// `bytes left x item size` before failing; beyond this the vector grows
/// as items actually decode, so memory follows the data, not the claims.
const MAX_PREALLOCATED_ITEMS: usize = 4096;

/// Why bytes could not be decoded, with the offset where it was noticed.
/// Boxed: every decode step returns a `Result`, which stays pointer-sized
/// plus the value (a large error type slows the whole decoder down).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeError(Box<DecodeErrorDetail>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct DecodeErrorDetail {
    offset: usize,
    message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.0.message, self.0.offset)
    }
}

#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn u32(&mut self, mut value: u32) {
        while value >= 0x80 {
            self.bytes.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }

    /// An enum variant's tag.
    pub(crate) fn tag(&mut self, tag: u32) {
        self.u32(tag);
    }

    pub(crate) fn len(&mut self, len: usize) {
        // Sheets are far below 4 GiB; a longer sequence could not be read back.
        self.u32(u32::try_from(len).unwrap_or(u32::MAX));
    }

    pub(crate) fn raw(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }
}

pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            pos: 0,
            depth: 0,
        }
    }

    #[cold]
    pub(crate) fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError(Box::new(DecodeErrorDetail {
            offset: self.pos,
            message: message.into(),
        }))
    }

    /// Bytes not yet read.
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub(crate) fn is_at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    pub(crate) fn raw(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| self.error("unexpected end of data"))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    #[inline]
    pub(crate) fn u8(&mut self) -> Result<u8, DecodeError> {
        match self.bytes.get(self.pos) {
            Some(byte) => {
                self.pos += 1;
                Ok(*byte)
            }
            None => Err(self.error("unexpected end of data")),
        }
    }

    #[inline]
    pub(crate) fn u32(&mut self) -> Result<u32, DecodeError> {
        // Tags and most lengths are one byte.
        if let Some(byte) = self.bytes.get(self.pos).filter(|b| **b < 0x80) {
            self.pos += 1;
            return Ok(u32::from(*byte));
        }
        self.u32_multi_byte()
    }

    fn u32_multi_byte(&mut self) -> Result<u32, DecodeError> {
        let mut value: u32 = 0;
        for shift in (0..35).step_by(7) {
            let byte = self.u8()?;
            if shift == 28 && byte > 0x0f {
                return Err(self.error("integer overflows 32 bits"));
            }
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.error("integer overflows 32 bits"))
    }

    #[inline]
    pub(crate) fn tag(&mut self) -> Result<u32, DecodeError> {
        self.u32()
    }

    /// A sequence length: every element takes at least one byte, so a
    /// length beyond the bytes left is corruption, not a big allocation.
    pub(crate) fn len(&mut self) -> Result<usize, DecodeError> {
        let len = self.u32()? as usize;
        if len > self.bytes.len() - self.pos {
            return Err(self.error(format!("length {len} exceeds the data left")));
        }
        Ok(len)
    }

    /// Runs `f` one nesting level deeper.
    pub(crate) fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error("values nest too deeply"));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    pub(crate) fn str(&mut self) -> Result<&'a str, DecodeError> {
        let len = self.len()?;
        let bytes = self.raw(len)?;
        std::str::from_utf8(bytes).map_err(|_| self.error("string is not UTF-8"))
    }
}

/// A value with a binary form.
pub(crate) trait Codec: Sized {
    fn encode(&self, w: &mut Writer);
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

impl Codec for u8 {
    fn encode(&self, w: &mut Writer) {
        w.bytes.push(*self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u8()
    }
}

impl Codec for u32 {
    fn encode(&self, w: &mut Writer) {
        w.u32(*self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u32()
    }
}

impl Codec for i32 {
    fn encode(&self, w: &mut Writer) {
        w.u32(((*self << 1) ^ (*self >> 31)) as u32);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let zigzag = r.u32()?;
        Ok((zigzag >> 1) as i32 ^ -((zigzag & 1) as i32))
    }
}

impl Codec for f32 {
    fn encode(&self, w: &mut Writer) {
        w.raw(&self.to_le_bytes());
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let bytes = r.raw(4)?;
        Ok(f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }
}

impl Codec for bool {
    fn encode(&self, w: &mut Writer) {
        w.bytes.push(u8::from(*self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(r.error("invalid boolean")),
        }
    }
}

impl Codec for String {
    fn encode(&self, w: &mut Writer) {
        w.len(self.len());
        w.raw(self.as_bytes());
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.str().map(str::to_owned)
    }
}

impl Codec for StrRef {
    fn encode(&self, w: &mut Writer) {
        let bytes = self.as_slice();
        w.len(bytes.len());
        w.raw(bytes);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.str().map(StrRef::from)
    }
}

impl<T: Codec> Codec for Box<T> {
    fn encode(&self, w: &mut Writer) {
        (**self).encode(w);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.nested(|r| T::decode(r).map(Box::new))
    }
}

impl<T: Codec> Codec for Vec<T> {
    fn encode(&self, w: &mut Writer) {
        w.len(self.len());
        self.iter().for_each(|item| item.encode(w));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let len = r.len()?;
        r.nested(|r| {
            // Exact capacity: collecting through `Result` would grow the
            // vector step by step, a large part of the decoding time.
            let mut items = Vec::with_capacity(len.min(MAX_PREALLOCATED_ITEMS));
            for _ in 0..len {
                items.push(T::decode(r)?);
            }
            Ok(items)
        })
    }
}

impl<T: Codec> Codec for Box<[T]> {
    fn encode(&self, w: &mut Writer) {
        w.len(self.len());
        self.iter().for_each(|item| item.encode(w));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Vec::<T>::decode(r).map(Vec::into_boxed_slice)
    }
}

impl<T: Codec> Codec for Array<T> {
    fn encode(&self, w: &mut Writer) {
        let items: &[T] = self.as_ref();
        w.len(items.len());
        items.iter().for_each(|item| item.encode(w));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Vec::<T>::decode(r).map(Array::from)
    }
}

impl<T: Codec> Codec for Option<T> {
    fn encode(&self, w: &mut Writer) {
        match self {
            None => w.tag(0),
            Some(value) => {
                w.tag(1);
                value.encode(w);
            }
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.tag()? {
            0 => Ok(None),
            1 => T::decode(r).map(Some),
            _ => Err(r.error("invalid option tag")),
        }
    }
}

impl<A: Codec, B: Codec> Codec for (A, B) {
    fn encode(&self, w: &mut Writer) {
        self.0.encode(w);
        self.1.encode(w);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok((A::decode(r)?, B::decode(r)?))
    }
}

impl<const N: usize> Codec for [f32; N] {
    fn encode(&self, w: &mut Writer) {
        self.iter().for_each(|v| v.encode(w));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut out = [0.0; N];
        for slot in &mut out {
            *slot = f32::decode(r)?;
        }
        Ok(out)
    }
}

/// `Codec` for an enum, by listing its variants with their tags (unit,
/// tuple with field bindings, or struct with field names). `reserved V
/// [slots]` names float-pigment's placeholder variants (never built), which
/// encode as `V`; the match stays exhaustive, so a new upstream variant is
/// a compile error, not a silently dropped value.
macro_rules! codec_enum {
    ($ty:ident {
        $($tag:literal => $variant:ident $(( $($field:ident),* ))? $({ $($named:ident),* })?,)*
    } $(reserved $reserved:ident [$($slot:ident),* $(,)?])?) => {
        impl Codec for $ty {
            fn encode(&self, w: &mut Writer) {
                match self {
                    $($ty::$variant $(( $($field),* ))? $({ $($named),* })? => {
                        w.tag($tag);
                        $($( $field.encode(w); )*)?
                        $($( $named.encode(w); )*)?
                    })*
                    $($($ty::$slot)|* => $ty::$reserved.encode(w),)?
                }
            }
            fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                Ok(match r.tag()? {
                    $($tag => $ty::$variant
                        $(( $({ let $field = Codec::decode(r)?; $field }),* ))?
                        $({ $($named: Codec::decode(r)?),* })?,)*
                    other => {
                        return Err(r.error(format!(
                            "unknown {} tag {other}",
                            stringify!($ty)
                        )))
                    }
                })
            }
        }
    };
}

/// `Codec` for a struct with named fields.
macro_rules! codec_struct {
    ($ty:ident { $($field:ident),* }) => {
        impl Codec for $ty {
            fn encode(&self, w: &mut Writer) {
                $( self.$field.encode(w); )*
            }
            fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                Ok($ty { $($field: Codec::decode(r)?),* })
            }
        }
    };
}

pub(crate) use {codec_enum, codec_struct};

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Codec + PartialEq + std::fmt::Debug>(value: T) {
        let mut w = Writer::default();
        value.encode(&mut w);
        let mut r = Reader::new(&w.bytes);
        assert_eq!(T::decode(&mut r).unwrap(), value);
        assert!(r.is_at_end());
    }

    #[test]
    fn primitives_round_trip() {
        for v in [0u32, 1, 127, 128, 300, u32::MAX] {
            round_trip(v);
        }
        for v in [0i32, -1, 1, i32::MIN, i32::MAX] {
            round_trip(v);
        }
        round_trip(1.5f32);
        round_trip("héllo".to_owned());
        round_trip(vec![Some(1u32), None]);
        round_trip([1.0f32, 2.0, 3.0]);
    }

    #[test]
    fn hostile_lengths_and_integers_are_errors() {
        // A length far beyond the data left.
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert!(Vec::<u8>::decode(&mut r).is_err());
        // A varint longer than 32 bits.
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
        assert!(u32::decode(&mut r).is_err());
        // Invalid UTF-8.
        let mut r = Reader::new(&[1, 0xff]);
        assert!(String::decode(&mut r).is_err());
    }
}
