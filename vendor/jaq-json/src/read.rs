//! JSON support.
use crate::{Map, Num, Val};
use bytes::Bytes;
use alloc::{string::ToString, vec::Vec};
use core::fmt::{self, Formatter};
use hifijson::token::{Expect, Lex};
use hifijson::{LexAlloc, SliceLexer};
#[cfg(feature = "std")]
use std::io;

/// Eat whitespace/comments, then peek at next character.
fn ws_tk<L: Lex>(lexer: &mut L) -> Option<u8> {
    loop {
        lexer.eat_whitespace();
        match lexer.peek_next() {
            Some(b'#') => lexer.skip_until(|c| c == b'\n'),
            next => return next,
        }
    }
}

/// Parse error.
#[derive(Debug)]
pub struct Error(usize, hifijson::Error);

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        write!(f, "byte offset {}: {}", self.0, self.1)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

/// Parse exactly one JSON value.
pub fn parse_single(slice: &[u8]) -> Result<Val, Error> {
    let offset = |rest: &[u8]| rest.as_ptr() as usize - slice.as_ptr() as usize;
    let mut lexer = SliceLexer::new(slice);
    let mut keys = Keys::default();
    lexer
        .exactly_one(ws_tk, |next, lexer| parse_in(next, lexer, &mut keys))
        .map_err(|e| Error(offset(lexer.as_slice()), e))
}

/// Parse a sequence of JSON values.
pub fn parse_many(slice: &[u8]) -> impl Iterator<Item = Result<Val, Error>> + '_ {
    let offset = |rest: &[u8]| rest.as_ptr() as usize - slice.as_ptr() as usize;
    let mut lexer = SliceLexer::new(slice);
    let mut keys = Keys::default();
    core::iter::from_fn(move || {
        let next = ws_tk(&mut lexer)?;
        let v = parse_in(next, &mut lexer, &mut keys);
        Some(v.map_err(|e| Error(offset(lexer.as_slice()), e)))
    })
}

/// Parse `v1, v2, …, vn`: the inside of a JSON array without its brackets (FlowForge: a large
/// array is split between its elements and the parts are read in parallel).
pub fn parse_items(slice: &[u8]) -> Result<Vec<Val>, Error> {
    let offset = |rest: &[u8]| rest.as_ptr() as usize - slice.as_ptr() as usize;
    let mut lexer = SliceLexer::new(slice);
    let mut keys = Keys::default();
    let mut items = Vec::new();
    let mut read = || -> Result<(), hifijson::Error> {
        loop {
            let next = ws_tk(&mut lexer).ok_or(Expect::Value)?;
            items.push(parse_in(next, &mut lexer, &mut keys)?);
            match ws_tk(&mut lexer) {
                None => return Ok(()),
                Some(b',') => {
                    hifijson::Read::take_next(&mut lexer);
                }
                Some(_) => Err(Expect::CommaOrEnd)?,
            }
        }
    };
    match read() {
        Ok(()) => Ok(items),
        Err(e) => Err(Error(offset(lexer.as_slice()), e)),
    }
}

#[cfg(feature = "std")]
/// Read a sequence of JSON values.
pub fn read_many<'a>(read: impl io::BufRead + 'a) -> impl Iterator<Item = io::Result<Val>> + 'a {
    let invalid_data = |e| io::Error::new(io::ErrorKind::InvalidData, e);
    let mut lexer = hifijson::IterLexer::new(read.bytes());
    let mut keys = Keys::default();
    core::iter::from_fn(move || {
        let v = ws_tk(&mut lexer).map(|next| parse_in(next, &mut lexer, &mut keys));
        let v = v.map(|r| r.map_err(invalid_data));
        // always return I/O error if present, regardless of the output value!
        lexer.error.take().map(Err).or(v)
    })
}

/// Parse a single number.
pub fn parse_single_num(slice: &[u8]) -> Option<Num> {
    Some(match slice {
        b"Infinity" => Num::Float(f64::INFINITY),
        b"NaN" => Num::Float(f64::NAN),
        _ => {
            let mut lexer = SliceLexer::new(slice);
            parse_num(&mut lexer)
                .ok()
                .filter(|_| lexer.as_slice().is_empty())?
        }
    })
}

/// Object keys met while reading one text: each distinct key's bytes are stored once, however
/// many objects repeat it (an array of records repeats every key), which saves an allocation
/// per key and keeps the keys' bytes in cache. Bounded: at most [`Keys::MAX`] keys of at most
/// [`Keys::MAX_LEN`] bytes are kept; others are stored as any string is.
#[derive(Default)]
struct Keys {
    seen: Map<Vec<u8>, Bytes>,
    scratch: Vec<u8>,
}

impl Keys {
    const MAX: usize = 4096;
    const MAX_LEN: usize = 128;

    /// The key whose text the lexer is at (after its opening quote).
    fn read<L: LexAlloc>(&mut self, lexer: &mut L) -> Result<Val, hifijson::Error> {
        let text = parse_string_into(lexer, false, core::mem::take(&mut self.scratch))?;
        let key = match self.seen.get(text.as_slice()) {
            Some(b) => b.clone(),
            None => {
                let b = Bytes::copy_from_slice(&text);
                if self.seen.len() < Self::MAX && text.len() <= Self::MAX_LEN {
                    self.seen.insert(text.clone(), b.clone());
                }
                b
            }
        };
        self.scratch = text;
        self.scratch.clear();
        Ok(Val::utf8_str(key))
    }
}

/// Parse a JSON string as byte or text string, preserving invalid UTF-8 as-is.
fn parse_string<L: LexAlloc>(lexer: &mut L, bytes: bool) -> Result<Vec<u8>, hifijson::Error> {
    parse_string_into(lexer, bytes, Vec::new())
}

/// As [`parse_string`], appending to `out`.
fn parse_string_into<L: LexAlloc>(
    lexer: &mut L,
    bytes: bool,
    out: Vec<u8>,
) -> Result<Vec<u8>, hifijson::Error> {
    let on_string = |bytes: &mut L::Bytes, out: &mut Vec<u8>| {
        out.extend(bytes.as_ref());
        Ok(())
    };
    let s = lexer.str_fold(out, on_string, |lexer, out| {
        use hifijson::escape::Error;
        match lexer.take_next().ok_or(Error::Eof)? {
            b'u' if bytes => Err(Error::InvalidKind(b'u'))?,
            b'x' if bytes => out.push(lexer.hex()?),
            c => out.extend(lexer.escape(c)?.encode_utf8(&mut [0; 4]).as_bytes()),
        }
        Ok(())
    });
    s.map_err(hifijson::Error::Str)
}

fn parse_num<L: LexAlloc>(lexer: &mut L) -> Result<Num, hifijson::Error> {
    let num = hifijson::num::Num::signed_digits();
    let (num, parts) = lexer.num_string_with(num).unvalidated();
    let num = num.as_ref();
    Ok(match num {
        "+" if lexer.strip_prefix(b"Infinity") => Num::Float(f64::INFINITY),
        "-" if lexer.strip_prefix(b"Infinity") => Num::Float(f64::NEG_INFINITY),
        // jq reads NaN with a sign too (`-NaN`), as NaN.
        "-" | "+" if lexer.strip_prefix(b"NaN") || lexer.strip_prefix(b"nan") => {
            Num::Float(f64::NAN)
        }
        _ if num.ends_with(|c: char| c.is_ascii_digit()) => {
            if parts.is_int() {
                Num::from_str_radix(num, 10).unwrap()
            } else {
                dec_or_float(num)
            }
        }
        _ => Err(hifijson::num::Error::ExpectedDigit)?,
    })
}

/// A decimal literal as a double when the double writes back as the same text (`12.345`), so
/// no precision or spelling is lost, and arithmetic need not parse it again; else kept as
/// written (`1.0`, `1e5`, `0.12345678901234567890`).
fn dec_or_float(num: &str) -> Num {
    match num.parse::<f64>() {
        Ok(f) if crate::num::writes_as(f, num) => Num::Float(f),
        _ => Num::Dec(num.to_string().into()),
    }
}

/// Parse a JSON value, given an initial non-whitespace character and a lexer.
///
/// If the underlying lexer reads input fallibly (for example [`hifijson::IterLexer`]),
/// the error returned by this function might be misleading.
/// In that case, always check whether the lexer contains an error.
fn parse_in<L: LexAlloc>(next: u8, lexer: &mut L, keys: &mut Keys) -> Result<Val, hifijson::Error> {
    Ok(match next {
        b'n' if lexer.strip_prefix(b"null") => Val::Null,
        // jq reads `nan` as NaN.
        b'n' if lexer.strip_prefix(b"nan") => Val::Num(Num::Float(f64::NAN)),
        b't' if lexer.strip_prefix(b"true") => Val::Bool(true),
        b'f' if lexer.strip_prefix(b"false") => Val::Bool(false),
        b'b' if lexer.strip_prefix(b"b\"") => Val::byte_str(parse_string(lexer, true)?),
        b'N' if lexer.strip_prefix(b"NaN") => Val::Num(Num::Float(f64::NAN)),
        b'I' if lexer.strip_prefix(b"Infinity") => Val::Num(Num::Float(f64::INFINITY)),
        b'0'..=b'9' | b'+' | b'-' => Val::Num(parse_num(lexer)?),
        b'"' => Val::utf8_str(parse_string(lexer.discarded(), false)?),
        b'[' => Val::Arr({
            let mut arr = Vec::new();
            lexer.discarded().seq(b']', ws_tk, |next, lexer| {
                arr.push(parse_in(next, lexer, keys)?);
                Ok::<_, hifijson::Error>(())
            })?;
            arr.into()
        }),
        b'{' => Val::obj({
            // Entries first, then one map of the right size (no regrowth while inserting).
            let mut entries = Vec::with_capacity(8);
            lexer.discarded().seq(b'}', ws_tk, |next, lexer| {
                let key = match next {
                    b'"' => keys.read(lexer.discarded())?,
                    _ => parse_in(next, lexer, keys)?,
                };
                lexer.expect(ws_tk, b':').ok_or(Expect::Colon)?;
                let value = parse_in(ws_tk(lexer).ok_or(Expect::Value)?, lexer, keys)?;
                entries.push((key, value));
                Ok::<_, hifijson::Error>(())
            })?;
            let mut obj = Map::with_capacity_and_hasher(entries.len(), Default::default());
            obj.extend(entries);
            obj
        }),
        _ => Err(Expect::Value)?,
    })
}
