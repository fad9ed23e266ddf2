//! The document information dictionary: title, author, subject, keywords, creator, producer,
//! dates and custom keys, read as text and written as PDF text strings (UTF-16 where needed).
//! Setting metadata drops an XMP metadata stream, whose older values viewers would show first.

use lopdf::{Dictionary, Document, Object, StringFormat};
use serde_json::{Map, Value};

use crate::error::PdfError;
use crate::outline::{read_text, text_string};

/// The standard keys, as JSON names them and as PDF does.
pub const STANDARD: [(&str, &[u8]); 8] = [
    ("title", b"Title"),
    ("author", b"Author"),
    ("subject", b"Subject"),
    ("keywords", b"Keywords"),
    ("creator", b"Creator"),
    ("producer", b"Producer"),
    ("creationDate", b"CreationDate"),
    ("modDate", b"ModDate"),
];

fn info(doc: &Document) -> Option<&Dictionary> {
    let r = doc.trailer.get(b"Info").ok()?;
    match r {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

/// A PDF date (`D:20240131120000+01'00'`) as ISO 8601 (`2024-01-31T12:00:00+01:00`); other
/// text as it is.
pub fn iso_date(s: &str) -> String {
    let d = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = d.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return s.to_string();
    }
    let part =
        |a: usize, b: usize, dflt: &'static str| digits.get(a..b).unwrap_or(dflt).to_string();
    let rest = &d[digits.len()..];
    let tz = match rest.chars().next() {
        Some('Z') => "Z".to_string(),
        Some(c @ ('+' | '-')) => {
            let t: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            format!(
                "{c}{}:{}",
                t.get(0..2).unwrap_or("00"),
                t.get(2..4).unwrap_or("00")
            )
        }
        _ => String::new(),
    };
    format!(
        "{}-{}-{}T{}:{}:{}{tz}",
        part(0, 4, "0000"),
        part(4, 6, "01"),
        part(6, 8, "01"),
        part(8, 10, "00"),
        part(10, 12, "00"),
        part(12, 14, "00"),
    )
}

/// ISO 8601 (`2024-01-31`, `2024-01-31T12:00:00Z`, `…+01:00`) as a PDF date.
pub fn pdf_date(field: &str, s: &str) -> Result<String, PdfError> {
    let bad = || {
        PdfError::invalid(
            field,
            format!("{s:?} is not a date; write ISO 8601, like 2024-01-31 or 2024-01-31T12:00:00Z"),
        )
    };
    let b = s.trim().as_bytes();
    let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if b.len() < 10 || !(0..4).chain([5, 6, 8, 9]).all(digit_at) || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let mut out = format!("D:{}{}{}", &s[0..4], &s[5..7], &s[8..10]);
    let rest = &s.trim()[10..];
    if rest.is_empty() {
        return Ok(out);
    }
    let t = rest.strip_prefix(['T', ' ']).ok_or_else(bad)?;
    let tb = t.as_bytes();
    if tb.len() < 5 || tb[2] != b':' {
        return Err(bad());
    }
    let secs = if tb.get(5) == Some(&b':') {
        t.get(6..8).ok_or_else(bad)?
    } else {
        "00"
    };
    out.push_str(&format!("{}{}{}", &t[0..2], &t[3..5], secs));
    let zone_at = t.find(['Z', '+', '-']);
    if let Some(z) = zone_at {
        let zone = &t[z..];
        if zone == "Z" {
            out.push('Z');
        } else {
            let h = zone.get(1..3).ok_or_else(bad)?;
            let m = zone.get(4..6).unwrap_or("00");
            out.push_str(&format!("{}{h}'{m}'", &zone[..1]));
        }
    }
    if !out[2..]
        .chars()
        .filter(|c| !matches!(c, 'Z' | '+' | '-' | '\''))
        .all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    Ok(out)
}

/// The metadata as JSON: the standard keys (dates in ISO 8601) and `custom` for the others.
pub fn get(doc: &Document) -> Map<String, Value> {
    let mut out = Map::new();
    let mut custom = Map::new();
    if let Some(d) = info(doc) {
        for (k, v) in d.iter() {
            let v = match v {
                Object::Reference(r) => doc.get_object(*r).ok().cloned(),
                v => Some(v.clone()),
            };
            let text = match v {
                Some(Object::String(b, _)) => read_text(&b),
                Some(Object::Name(n)) => String::from_utf8_lossy(&n).into_owned(),
                Some(Object::Integer(i)) => i.to_string(),
                Some(Object::Real(r)) => r.to_string(),
                Some(Object::Boolean(b)) => b.to_string(),
                _ => continue,
            };
            match STANDARD.iter().find(|(_, p)| *p == k.as_slice()) {
                Some((name, _)) if name.ends_with("Date") => {
                    out.insert((*name).into(), Value::String(iso_date(&text)));
                }
                Some((name, _)) => {
                    out.insert((*name).into(), Value::String(text));
                }
                None => {
                    custom.insert(String::from_utf8_lossy(k).into_owned(), Value::String(text));
                }
            }
        }
    }
    out.insert("custom".into(), Value::Object(custom));
    out
}

/// What to change: standard keys by their JSON names and custom keys; `None` removes a key.
#[derive(Debug, Default)]
pub struct Changes {
    /// Standard keys (`title`, `creationDate`, …).
    pub standard: Vec<(&'static str, Option<String>)>,
    /// Custom keys by their PDF names.
    pub custom: Vec<(String, Option<String>)>,
}

/// Apply `changes` to the information dictionary.
pub fn set(doc: &mut Document, changes: &Changes) -> Result<(), PdfError> {
    let mut dict = info(doc).cloned().unwrap_or_default();
    for (name, value) in &changes.standard {
        let Some((_, key)) = STANDARD.iter().find(|(n, _)| n == name) else {
            continue;
        };
        match value {
            None => {
                dict.remove(key);
            }
            Some(v) if name.ends_with("Date") => {
                let d = pdf_date(name, v)?;
                dict.set(*key, Object::String(d.into_bytes(), StringFormat::Literal));
            }
            Some(v) => dict.set(*key, Object::String(text_string(v), StringFormat::Literal)),
        }
    }
    for (key, value) in &changes.custom {
        if key.is_empty()
            || key
                .bytes()
                .any(|b| b <= b' ' || b"/()<>[]{}%#".contains(&b))
        {
            return Err(PdfError::invalid(
                format!("custom.{key}"),
                "is not a usable key name; use letters, digits, - and _",
            ));
        }
        match value {
            None => {
                dict.remove(key.as_bytes());
            }
            Some(v) => dict.set(
                key.as_bytes().to_vec(),
                Object::String(text_string(v), StringFormat::Literal),
            ),
        }
    }
    let id = doc.add_object(Object::Dictionary(dict));
    doc.trailer.set("Info", Object::Reference(id));
    if let Ok(c) = doc.catalog_mut() {
        c.remove(b"Metadata");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_both_ways() {
        assert_eq!(
            iso_date("D:20240131120005+01'00'"),
            "2024-01-31T12:00:05+01:00"
        );
        assert_eq!(iso_date("D:2024"), "2024-01-01T00:00:00");
        assert_eq!(pdf_date("d", "2024-01-31").unwrap(), "D:20240131");
        assert_eq!(
            pdf_date("d", "2024-01-31T12:00:00Z").unwrap(),
            "D:20240131120000Z"
        );
        assert_eq!(
            pdf_date("d", "2024-01-31T12:00+02:00").unwrap(),
            "D:20240131120000+02'00'"
        );
        assert!(pdf_date("d", "31/01/2024").is_err());
        assert!(pdf_date("d", "2024-01-31Tnoon").is_err());
    }
}
