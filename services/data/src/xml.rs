//! XML to JSON and back (quick-xml), in the convention of xmltodict and fast-xml-parser:
//! attributes under `@name`, text beside them or beside children under `#text`, repeated
//! elements as arrays, an empty element as `null`. Namespace prefixes stay in the names
//! (`soap:Envelope`, `@xmlns:soap`) unless `stripNamespaces`. Only the five predefined entities
//! and character references are read: a DTD's own entities are never expanded, so the "billion
//! laughs" document is an error rather than gigabytes.

use std::collections::HashSet;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::convert::infer_value;
use crate::error::DataError;

/// How XML maps to JSON.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct XmlOptions {
    /// Before attribute names (default `@`).
    pub attribute_prefix: String,
    /// The key of an element's text when it also has attributes or children (default `#text`).
    pub text_key: String,
    /// Element names that are always arrays, even when they occur once.
    pub arrays: Vec<String>,
    /// Drop namespace prefixes and `xmlns` attributes (default false).
    pub strip_namespaces: bool,
    /// Writing: the root element's name when the data does not have one key at the top (default `root`).
    pub root: String,
    /// Writing: the element name of the items of a top-level array (default `item`).
    pub item: String,
    /// Writing: start with `<?xml version="1.0" encoding="UTF-8"?>` (default true).
    pub declaration: bool,
    /// Writing: indent nested elements by two spaces (default true).
    pub pretty: bool,
}

impl Default for XmlOptions {
    fn default() -> Self {
        XmlOptions {
            attribute_prefix: "@".into(),
            text_key: "#text".into(),
            arrays: Vec::new(),
            strip_namespaces: false,
            root: "root".into(),
            item: "item".into(),
            declaration: true,
            pretty: true,
        }
    }
}

fn bad(message: impl Into<String>) -> DataError {
    DataError::invalid("data", message)
}

fn line_of(text: &[u8], pos: u64) -> usize {
    let end = (pos as usize).min(text.len());
    text[..end].iter().filter(|b| **b == b'\n').count() + 1
}

struct Frame {
    name: String,
    attrs: Vec<(String, Value)>,
    children: Vec<(String, Value)>,
    runs: Vec<String>,
    run: String,
}

impl Frame {
    fn flush(&mut self) {
        let t = self.run.trim();
        if !t.is_empty() {
            self.runs.push(t.to_string());
        }
        self.run.clear();
    }
}

fn qualified(raw: &[u8], strip: bool) -> Result<String, DataError> {
    let s = std::str::from_utf8(raw).map_err(|_| bad("is not UTF-8 text"))?;
    Ok(if strip {
        s.rsplit(':').next().unwrap_or(s).to_string()
    } else {
        s.to_string()
    })
}

fn open(
    e: &BytesStart,
    dec: quick_xml::encoding::Decoder,
    opt: &XmlOptions,
    infer: bool,
) -> Result<Frame, DataError> {
    let name = qualified(e.name().as_ref(), opt.strip_namespaces)?;
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| bad(format!("has a malformed attribute in <{name}>: {err}")))?;
        let key = a.key.as_ref();
        if opt.strip_namespaces && (key == b"xmlns" || key.starts_with(b"xmlns:")) {
            continue;
        }
        let k = qualified(key, opt.strip_namespaces)?;
        let v = a.decode_and_unescape_value(dec).map_err(|err| {
            bad(format!(
                "has an attribute {k:?} in <{name}> that cannot be read: {err} (only the predefined entities and character references are expanded)"
            ))
        })?;
        attrs.push((
            format!("{}{k}", opt.attribute_prefix),
            infer_value(&v, infer),
        ));
    }
    Ok(Frame {
        name,
        attrs,
        children: Vec::new(),
        runs: Vec::new(),
        run: String::new(),
    })
}

fn close(mut f: Frame, opt: &XmlOptions, arrays: &HashSet<&str>, infer: bool) -> (String, Value) {
    f.flush();
    let text = f.runs.join(" ");
    if f.attrs.is_empty() && f.children.is_empty() {
        let v = if text.is_empty() {
            Value::Null
        } else {
            infer_value(&text, infer)
        };
        return (f.name, v);
    }
    let mut m = Map::new();
    for (k, v) in f.attrs {
        m.insert(k, v);
    }
    for (k, v) in f.children {
        match m.get_mut(&k) {
            // An element's own value is never an array, so an array here is one made for repeats.
            Some(Value::Array(list)) => list.push(v),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, v]);
            }
            None => {
                let v = if arrays.contains(k.as_str()) {
                    Value::Array(vec![v])
                } else {
                    v
                };
                m.insert(k, v);
            }
        }
    }
    if !text.is_empty() {
        m.insert(opt.text_key.clone(), infer_value(&text, infer));
    }
    (f.name, Value::Object(m))
}

/// XML text to JSON: `{"<root name>": …}`.
pub fn parse_xml(
    text: &[u8],
    opt: &XmlOptions,
    infer: bool,
    max_depth: usize,
) -> Result<Value, DataError> {
    let mut reader = Reader::from_reader(text);
    reader.config_mut().check_end_names = true;
    let arrays: HashSet<&str> = opt.arrays.iter().map(String::as_str).collect();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<(String, Value)> = None;
    loop {
        let ev = reader.read_event().map_err(|e| {
            bad(format!(
                "is not well-formed XML (line {}): {e}",
                line_of(text, reader.error_position())
            ))
        })?;
        match ev {
            Event::Start(e) => {
                if root.is_some() {
                    return Err(bad("has more than one root element"));
                }
                if let Some(top) = stack.last_mut() {
                    top.flush();
                }
                if stack.len() >= max_depth {
                    return Err(bad(format!(
                        "nests deeper than {max_depth} levels (DATA_MAX_DEPTH)"
                    )));
                }
                stack.push(open(&e, reader.decoder(), opt, infer)?);
            }
            Event::Empty(e) => {
                if root.is_some() {
                    return Err(bad("has more than one root element"));
                }
                let f = open(&e, reader.decoder(), opt, infer)?;
                let done = close(f, opt, &arrays, infer);
                match stack.last_mut() {
                    Some(top) => {
                        top.flush();
                        top.children.push(done);
                    }
                    None => root = Some(done),
                }
            }
            Event::End(_) => {
                let f = stack
                    .pop()
                    .ok_or_else(|| bad("has an end tag without a start"))?;
                let done = close(f, opt, &arrays, infer);
                match stack.last_mut() {
                    Some(top) => top.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                let s = t
                    .decode()
                    .map_err(|e| bad(format!("is not UTF-8 text: {e}")))?;
                match stack.last_mut() {
                    Some(top) => top.run.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => return Err(bad("has text outside the root element")),
                }
            }
            Event::CData(t) => {
                let s = std::str::from_utf8(&t).map_err(|_| bad("is not UTF-8 text"))?;
                if let Some(top) = stack.last_mut() {
                    top.run.push_str(s);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(|c| c.to_string())
                } else {
                    let name = String::from_utf8_lossy(&r).to_string();
                    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_string)
                };
                let s = resolved.ok_or_else(|| {
                    bad(format!(
                        "uses the entity &{}; (line {}), which is not predefined: entities a DTD declares are not expanded",
                        String::from_utf8_lossy(&r),
                        line_of(text, reader.buffer_position())
                    ))
                })?;
                if let Some(top) = stack.last_mut() {
                    top.run.push_str(&s);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(f) = stack.last() {
        return Err(bad(format!("ends before <{}> is closed", f.name)));
    }
    let (name, v) = root.ok_or_else(|| bad("has no root element"))?;
    let mut m = Map::new();
    m.insert(name, v);
    Ok(Value::Object(m))
}

fn valid_name(n: &str) -> bool {
    let mut chars = n.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'))
        && !n.to_ascii_lowercase().starts_with("xml")
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

struct Writer<'a> {
    opt: &'a XmlOptions,
    out: String,
}

impl Writer<'_> {
    fn indent(&mut self, depth: usize) {
        if self.opt.pretty {
            self.out.push('\n');
            for _ in 0..depth {
                self.out.push_str("  ");
            }
        }
    }

    fn element(&mut self, name: &str, v: &Value, depth: usize) -> Result<(), DataError> {
        if !valid_name(name) {
            return Err(bad(format!(
                "has the key {name:?}, which is not an XML element name"
            )));
        }
        if depth > 2000 {
            return Err(bad("nests too deeply to write as XML"));
        }
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.indent(depth);
                    }
                    self.element(name, item, depth)?;
                }
                Ok(())
            }
            Value::Object(m) => {
                self.out.push('<');
                self.out.push_str(name);
                let mut text = None;
                let mut children = Vec::new();
                for (k, val) in m {
                    if let Some(a) = k
                        .strip_prefix(self.opt.attribute_prefix.as_str())
                        .filter(|_| !self.opt.attribute_prefix.is_empty())
                    {
                        if !valid_name(a) && !a.starts_with("xmlns") {
                            return Err(bad(format!(
                                "has the attribute {a:?}, which is not an XML name"
                            )));
                        }
                        let t = scalar_text(val).ok_or_else(|| {
                            bad(format!("has the attribute {k:?} with a non-scalar value"))
                        })?;
                        self.out.push(' ');
                        self.out.push_str(a);
                        self.out.push_str("=\"");
                        self.out.push_str(&quick_xml::escape::escape(t.as_str()));
                        self.out.push('"');
                    } else if *k == self.opt.text_key {
                        text =
                            Some(scalar_text(val).ok_or_else(|| {
                                bad(format!("has {k:?} with a non-scalar value"))
                            })?);
                    } else {
                        children.push((k, val));
                    }
                }
                if children.is_empty() && text.as_deref().is_none_or(str::is_empty) {
                    self.out.push_str("/>");
                    return Ok(());
                }
                self.out.push('>');
                if let Some(t) = &text {
                    self.out.push_str(&quick_xml::escape::escape(t.as_str()));
                }
                let nested = text.is_none() && !children.is_empty();
                for (k, val) in children {
                    if nested {
                        self.indent(depth + 1);
                    }
                    self.element(k, val, depth + 1)?;
                }
                if nested {
                    self.indent(depth);
                }
                self.out.push_str("</");
                self.out.push_str(name);
                self.out.push('>');
                Ok(())
            }
            Value::Null => {
                self.out.push('<');
                self.out.push_str(name);
                self.out.push_str("/>");
                Ok(())
            }
            scalar => {
                let t = scalar_text(scalar).unwrap_or_default();
                self.out.push('<');
                self.out.push_str(name);
                self.out.push('>');
                self.out.push_str(&quick_xml::escape::escape(t.as_str()));
                self.out.push_str("</");
                self.out.push_str(name);
                self.out.push('>');
                Ok(())
            }
        }
    }
}

/// JSON to XML. An object with one key (not an attribute) is the root element; anything else
/// goes under `root`, a top-level array as `item` elements.
pub fn to_xml(v: &Value, opt: &XmlOptions) -> Result<Vec<u8>, DataError> {
    let mut w = Writer {
        opt,
        out: String::new(),
    };
    if opt.declaration {
        w.out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        if opt.pretty {
            w.out.push('\n');
        }
    }
    match v {
        Value::Object(m)
            if m.len() == 1
                && m.iter().all(|(k, v)| {
                    !k.starts_with(opt.attribute_prefix.as_str()) && !v.is_array()
                }) =>
        {
            for (k, val) in m {
                w.element(k, val, 0)?;
            }
        }
        Value::Array(items) => {
            let wrapped = serde_json::json!({ opt.item.clone(): items });
            w.element(&opt.root, &wrapped, 0)?;
        }
        other => w.element(&opt.root, other, 0)?,
    }
    if opt.pretty {
        w.out.push('\n');
    }
    Ok(w.out.into_bytes())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use flowforge_kit::DomainError;
    use serde_json::json;

    fn p(s: &str) -> Result<Value, DataError> {
        parse_xml(s.as_bytes(), &XmlOptions::default(), true, 64)
    }

    #[test]
    fn reads_attributes_text_and_repeats() {
        let x = r#"<?xml version="1.0"?>
<order id="17" xmlns:x="urn:x">
  <!-- a comment -->
  <item sku="A-1">Tom &amp; Jerry &#x263A;</item>
  <item sku="B-2"><![CDATA[<raw>]]></item>
  <total currency="EUR">12.50</total>
  <zip>02134</zip>
  <note/>
  <x:flag>true</x:flag>
</order>"#;
        assert_eq!(
            p(x).unwrap(),
            json!({"order":{
                "@id":17,"@xmlns:x":"urn:x",
                "item":[{"@sku":"A-1","#text":"Tom & Jerry ☺"},{"@sku":"B-2","#text":"<raw>"}],
                "total":{"@currency":"EUR","#text":12.5},
                "zip":"02134","note":null,"x:flag":true
            }})
        );
        let opt = XmlOptions {
            strip_namespaces: true,
            arrays: vec!["total".into()],
            ..XmlOptions::default()
        };
        let v = parse_xml(x.as_bytes(), &opt, false, 64).unwrap();
        assert_eq!(v["order"]["flag"], json!("true"));
        assert_eq!(
            v["order"]["total"],
            json!([{"@currency":"EUR","#text":"12.50"}])
        );
        assert!(v["order"].get("@xmlns:x").is_none());
    }

    #[test]
    fn refuses_bad_documents_and_entity_bombs() {
        let lol = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<lolz>&lol2;</lolz>"#;
        let e = p(lol).unwrap_err();
        assert!(e.hint().contains("&lol2;"), "{}", e.hint());
        assert!(e.hint().contains("not expanded"), "{}", e.hint());
        let e = p("<a><b></a>").unwrap_err();
        assert!(e.hint().contains("line 1"), "{}", e.hint());
        assert!(p("<a/><b/>").is_err());
        assert!(p("").is_err());
        assert!(p("<a>").unwrap_err().hint().contains("<a>"));
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(p(&deep).unwrap_err().hint().contains("DATA_MAX_DEPTH"));
    }

    #[test]
    fn writes_and_round_trips() {
        let v = json!({"order":{"@id":17,"item":[{"@sku":"A","#text":"x < y"},{"@sku":"B"}],"note":null,"total":12.5}});
        let opt = XmlOptions {
            pretty: false,
            declaration: false,
            ..XmlOptions::default()
        };
        let x = String::from_utf8(to_xml(&v, &opt).unwrap()).unwrap();
        assert_eq!(
            x,
            r#"<order id="17"><item sku="A">x &lt; y</item><item sku="B"/><note/><total>12.5</total></order>"#
        );
        assert_eq!(p(&x).unwrap(), v);
        let pretty = String::from_utf8(to_xml(&v, &XmlOptions::default()).unwrap()).unwrap();
        assert!(
            pretty.starts_with(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<order id=\"17\">\n  <item"
            ),
            "{pretty}"
        );
        assert_eq!(p(&pretty).unwrap(), v);
        let arr = String::from_utf8(to_xml(&json!([1, {"a": 2}]), &opt).unwrap()).unwrap();
        assert_eq!(arr, "<root><item>1</item><item><a>2</a></item></root>");
        assert!(
            to_xml(&json!({"a b": 1}), &opt)
                .unwrap_err()
                .hint()
                .contains("\"a b\"")
        );
        assert!(to_xml(&json!({"x":{"@a":[1]}}), &opt).is_err());
    }
}
