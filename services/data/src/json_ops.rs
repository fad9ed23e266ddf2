//! JSON operations: flatten and unflatten (dotted or bracketed paths), deep merge with a named
//! array policy, diff as an RFC 6902 patch, RFC 6902 and RFC 7386 patch application, pick and
//! omit by path, and key renaming.

use serde_json::{Map, Value};

use crate::error::DataError;

fn bad(field: impl Into<String>, message: impl Into<String>) -> DataError {
    DataError::invalid(field, message)
}

fn no_answer(field: impl Into<String>, message: impl Into<String>) -> DataError {
    DataError::failed(field, message)
}

flowforge_kit::wire_enum! {
    /// How array positions are written in flattened keys.
    #[derive(Default)]
    pub enum ArrayStyle {
        /// `a.0.b`
        #[default]
        Dotted = "dotted" | "dot",
        /// `a[0].b`
        Bracketed = "bracketed" | "brackets",
    }
}

/// Flatten nested objects and arrays into one object of paths. Empty objects and arrays are
/// kept as values (so unflatten restores them).
pub fn flatten(data: &Value, sep: &str, style: ArrayStyle) -> Map<String, Value> {
    fn walk(v: &Value, prefix: &str, sep: &str, style: ArrayStyle, out: &mut Map<String, Value>) {
        let join = |k: &str| {
            if prefix.is_empty() {
                k.to_string()
            } else {
                format!("{prefix}{sep}{k}")
            }
        };
        match v {
            Value::Object(o) if !o.is_empty() => {
                for (k, x) in o {
                    walk(x, &join(k), sep, style, out);
                }
            }
            Value::Array(a) if !a.is_empty() => {
                for (i, x) in a.iter().enumerate() {
                    let key = match style {
                        ArrayStyle::Dotted => join(&i.to_string()),
                        ArrayStyle::Bracketed => format!("{prefix}[{i}]"),
                    };
                    walk(x, &key, sep, style, out);
                }
            }
            other => {
                out.insert(prefix.to_string(), other.clone());
            }
        }
    }
    let mut out = Map::new();
    walk(data, "", sep, style, &mut out);
    out
}

enum Seg {
    Key(String),
    Index(usize),
}

fn segments(path: &str, sep: &str, numeric_as_index: bool) -> Result<Vec<Seg>, String> {
    let mut out = Vec::new();
    for part in path.split(sep) {
        // `name[0][1]` splits into a key and indices.
        let (name, mut rest) = match part.find('[') {
            Some(i) if part.ends_with(']') => (&part[..i], &part[i..]),
            _ => (part, ""),
        };
        if !name.is_empty() || rest.is_empty() {
            match name.parse::<usize>() {
                Ok(i) if numeric_as_index && name == i.to_string() => out.push(Seg::Index(i)),
                _ => out.push(Seg::Key(name.to_string())),
            }
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped
                .find(']')
                .ok_or_else(|| format!("`{part}` has an unclosed `[`"))?;
            let idx: usize = stripped[..end]
                .parse()
                .map_err(|_| format!("`{part}`: `[{}]` is not an array index", &stripped[..end]))?;
            if idx > 100_000 {
                return Err(format!("`{part}`: index {idx} is over 100,000"));
            }
            out.push(Seg::Index(idx));
            rest = &stripped[end + 1..];
        }
    }
    Ok(out)
}

/// Rebuild nesting from flattened paths (`a.b`, `a.0`, `a[0].b`). With `numeric_as_index`,
/// all-digit dotted segments are array positions.
pub fn unflatten(
    data: &Map<String, Value>,
    sep: &str,
    numeric_as_index: bool,
) -> Result<Value, DataError> {
    let mut root = Value::Null;
    for (path, v) in data {
        let segs =
            segments(path, sep, numeric_as_index).map_err(|m| bad(format!("data.{path}"), m))?;
        let mut cur = &mut root;
        for seg in &segs {
            cur = match seg {
                Seg::Key(k) => {
                    if cur.is_null() {
                        *cur = Value::Object(Map::new());
                    }
                    match cur {
                        Value::Object(o) => o.entry(k.clone()).or_insert(Value::Null),
                        _ => {
                            return Err(bad(
                                format!("data.{path}"),
                                format!(
                                    "`{k}` is a key under a value that is already not an object"
                                ),
                            ));
                        }
                    }
                }
                Seg::Index(i) => {
                    if cur.is_null() {
                        *cur = Value::Array(Vec::new());
                    }
                    match cur {
                        Value::Array(a) => {
                            if a.len() <= *i {
                                a.resize(i + 1, Value::Null);
                            }
                            &mut a[*i]
                        }
                        _ => {
                            return Err(bad(
                                format!("data.{path}"),
                                format!(
                                    "[{i}] is an index under a value that is already not an array"
                                ),
                            ));
                        }
                    }
                }
            };
        }
        if !cur.is_null() {
            return Err(bad(
                format!("data.{path}"),
                "names a place that another path already fills with nested values",
            ));
        }
        *cur = v.clone();
    }
    Ok(if root.is_null() {
        Value::Object(Map::new())
    } else {
        root
    })
}

flowforge_kit::wire_enum! {
    /// What deep merge does with two arrays at the same place.
    #[derive(Default)]
    pub enum ArrayMerge {
        /// The later array replaces the earlier (as lodash `merge` does not, but JSON Merge Patch does).
        #[default]
        Replace = "replace",
        /// The later array's items are appended.
        Concat = "concat" | "append",
        /// Items at the same index are merged deeply; extra items are kept.
        ByIndex = "merge-by-index" | "index",
        /// Appended, then duplicates (equal values) dropped.
        Union = "union",
    }
}

/// Deep merge: objects key by key (later values win), arrays by `policy`, anything else replaced.
pub fn merge(a: &mut Value, b: &Value, policy: ArrayMerge) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in y {
                match x.get_mut(k) {
                    Some(slot) => merge(slot, v, policy),
                    None => {
                        x.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => match policy {
            ArrayMerge::Replace => *x = y.clone(),
            ArrayMerge::Concat => x.extend(y.iter().cloned()),
            ArrayMerge::Union => {
                for v in y {
                    if !x.contains(v) {
                        x.push(v.clone());
                    }
                }
            }
            ArrayMerge::ByIndex => {
                for (i, v) in y.iter().enumerate() {
                    match x.get_mut(i) {
                        Some(slot) => merge(slot, v, policy),
                        None => x.push(v.clone()),
                    }
                }
            }
        },
        (slot, v) => *slot = v.clone(),
    }
}

/// A JSON Pointer token, escaped (`~` → `~0`, `/` → `~1`).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// RFC 6902 operations that turn `from` into `to`: objects key by key, arrays position by
/// position (trailing items removed from the end, or added), other changes as `replace`.
pub fn diff(from: &Value, to: &Value) -> Vec<Value> {
    fn walk(a: &Value, b: &Value, path: &str, out: &mut Vec<Value>) {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for (k, v) in x {
                    let p = format!("{path}/{}", escape(k));
                    match y.get(k) {
                        Some(w) => walk(v, w, &p, out),
                        None => out.push(serde_json::json!({"op": "remove", "path": p})),
                    }
                }
                for (k, w) in y {
                    if !x.contains_key(k) {
                        let p = format!("{path}/{}", escape(k));
                        out.push(serde_json::json!({"op": "add", "path": p, "value": w}));
                    }
                }
            }
            (Value::Array(x), Value::Array(y)) => {
                let common = x.len().min(y.len());
                for i in 0..common {
                    walk(&x[i], &y[i], &format!("{path}/{i}"), out);
                }
                for i in (common..x.len()).rev() {
                    out.push(serde_json::json!({"op": "remove", "path": format!("{path}/{i}")}));
                }
                for (i, w) in y.iter().enumerate().skip(common) {
                    out.push(
                        serde_json::json!({"op": "add", "path": format!("{path}/{i}"), "value": w}),
                    );
                }
            }
            (x, y) if x == y => {}
            (_, y) => out.push(serde_json::json!({"op": "replace", "path": path, "value": y})),
        }
    }
    let mut out = Vec::new();
    walk(from, to, "", &mut out);
    out
}

/// Parse a JSON Pointer into unescaped tokens.
fn pointer(p: &str, field: &str) -> Result<Vec<String>, DataError> {
    if p.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = p.strip_prefix('/') else {
        return Err(bad(
            field,
            format!("{p:?} is not a JSON Pointer (it must start with `/`)"),
        ));
    };
    Ok(unescape_tokens(rest))
}

/// The tokens of a JSON Pointer after its leading `/`, unescaped (`~1` → `/`, `~0` → `~`).
fn unescape_tokens(rest: &str) -> Vec<String> {
    rest.split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn array_index(tok: &str, len: usize, allow_end: bool, field: &str) -> Result<usize, DataError> {
    if allow_end && tok == "-" {
        return Ok(len);
    }
    let ok = !tok.is_empty()
        && tok.bytes().all(|b| b.is_ascii_digit())
        && (tok == "0" || !tok.starts_with('0'));
    let i: usize = if ok {
        tok.parse().unwrap_or(usize::MAX)
    } else {
        usize::MAX
    };
    if i == usize::MAX || i > len || (!allow_end && i == len) {
        return Err(no_answer(
            field,
            format!("array index {tok:?} is out of range (length {len})"),
        ));
    }
    Ok(i)
}

fn parent<'a>(
    doc: &'a mut Value,
    toks: &[String],
    field: &str,
) -> Result<&'a mut Value, DataError> {
    let mut cur = doc;
    for t in toks {
        cur = match cur {
            Value::Object(o) => o.get_mut(t).ok_or_else(|| {
                no_answer(field, format!("the path does not exist (no key {t:?})"))
            })?,
            Value::Array(a) => {
                let len = a.len();
                let i = array_index(t, len, false, field)?;
                &mut a[i]
            }
            _ => {
                return Err(no_answer(
                    field,
                    format!("the path goes through a scalar at {t:?}"),
                ));
            }
        };
    }
    Ok(cur)
}

fn get(doc: &Value, toks: &[String], field: &str) -> Result<Value, DataError> {
    let mut cur = doc;
    for t in toks {
        cur = match cur {
            Value::Object(o) => o.get(t).ok_or_else(|| {
                no_answer(field, format!("the path does not exist (no key {t:?})"))
            })?,
            Value::Array(a) => &a[array_index(t, a.len(), false, field)?],
            _ => {
                return Err(no_answer(
                    field,
                    format!("the path goes through a scalar at {t:?}"),
                ));
            }
        };
    }
    Ok(cur.clone())
}

fn add(doc: &mut Value, toks: &[String], v: Value, field: &str) -> Result<(), DataError> {
    let Some((last, init)) = toks.split_last() else {
        *doc = v;
        return Ok(());
    };
    match parent(doc, init, field)? {
        Value::Object(o) => {
            o.insert(last.clone(), v);
        }
        Value::Array(a) => {
            let i = array_index(last, a.len(), true, field)?;
            a.insert(i, v);
        }
        _ => return Err(no_answer(field, "the parent is not an object or array")),
    }
    Ok(())
}

fn remove(doc: &mut Value, toks: &[String], field: &str) -> Result<Value, DataError> {
    let Some((last, init)) = toks.split_last() else {
        return Ok(std::mem::take(doc));
    };
    match parent(doc, init, field)? {
        Value::Object(o) => o
            .remove(last)
            .ok_or_else(|| no_answer(field, format!("the path does not exist (no key {last:?})"))),
        Value::Array(a) => {
            let i = array_index(last, a.len(), false, field)?;
            Ok(a.remove(i))
        }
        _ => Err(no_answer(field, "the parent is not an object or array")),
    }
}

/// Apply an RFC 6902 patch. Errors name the operation (`patch[2]`) and are 422 when the
/// document does not allow it (a missing path, a failed `test`).
pub fn apply_patch(doc: &mut Value, patch: &[Value]) -> Result<(), DataError> {
    for (i, op) in patch.iter().enumerate() {
        let f = format!("patch[{i}]");
        let obj = op
            .as_object()
            .ok_or_else(|| bad(&f, "must be an operation object"))?;
        let name = obj.get("op").and_then(Value::as_str).ok_or_else(|| {
            bad(
                format!("{f}.op"),
                "is required: add, remove, replace, move, copy or test",
            )
        })?;
        let path_field = format!("{f}.path");
        let path = obj
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(&path_field, "is required (a JSON Pointer)"))?;
        let toks = pointer(path, &path_field)?;
        let value = || {
            obj.get("value")
                .cloned()
                .ok_or_else(|| bad(format!("{f}.value"), format!("is required for `{name}`")))
        };
        let from = || -> Result<Vec<String>, DataError> {
            let from_field = format!("{f}.from");
            let p = obj
                .get("from")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(&from_field, format!("is required for `{name}`")))?;
            pointer(p, &from_field)
        };
        match name {
            "add" => add(doc, &toks, value()?, &path_field)?,
            "remove" => {
                remove(doc, &toks, &path_field)?;
            }
            "replace" => {
                let v = value()?;
                *parent(doc, &toks, &path_field)? = v;
            }
            "move" => {
                let src = from()?;
                if toks.len() > src.len() && toks[..src.len()] == src[..] {
                    return Err(no_answer(&path_field, "cannot move a value into itself"));
                }
                let v = remove(doc, &src, &format!("{f}.from"))?;
                add(doc, &toks, v, &path_field)?;
            }
            "copy" => {
                let v = get(doc, &from()?, &format!("{f}.from"))?;
                add(doc, &toks, v, &path_field)?;
            }
            "test" => {
                let want = value()?;
                if get(doc, &toks, &path_field)? != want {
                    return Err(no_answer(
                        &f,
                        format!("test failed: the value at {path:?} is not {want}"),
                    ));
                }
            }
            other => {
                return Err(bad(
                    format!("{f}.op"),
                    format!(
                        "{other:?} is not an operation; use add, remove, replace, move, copy or test"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Apply an RFC 7386 merge patch.
pub fn merge_patch(doc: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !doc.is_object() {
                *doc = Value::Object(Map::new());
            }
            if let Value::Object(d) = doc {
                for (k, v) in p {
                    if v.is_null() {
                        d.remove(k);
                    } else {
                        merge_patch(d.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *doc = other.clone(),
    }
}

/// Split a path (`a.b.0`, or a JSON Pointer `/a/b/0`) into keys.
fn path_keys(p: &str) -> Vec<String> {
    match p.strip_prefix('/') {
        Some(rest) => unescape_tokens(rest),
        None => p.split('.').map(str::to_string).collect(),
    }
}

fn pick_into(src: &Value, keys: &[String], dst: &mut Value) {
    let Some((first, rest)) = keys.split_first() else {
        *dst = src.clone();
        return;
    };
    if let Value::Object(o) = src
        && let Some(v) = o.get(first)
    {
        if !dst.is_object() {
            *dst = Value::Object(Map::new());
        }
        if let Value::Object(d) = dst {
            let slot = d.entry(first.clone()).or_insert(Value::Null);
            pick_into(v, rest, slot);
        }
    }
}

fn omit_at(v: &mut Value, keys: &[String]) {
    let Some((first, rest)) = keys.split_first() else {
        return;
    };
    if let Value::Object(o) = v {
        if rest.is_empty() {
            o.remove(first);
        } else if let Some(child) = o.get_mut(first) {
            omit_at(child, rest);
        }
    }
}

/// Apply `f` to an object, or to each object of an array of records.
fn each_record(data: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    match data {
        Value::Array(a) => a.iter_mut().for_each(f),
        other => f(other),
    }
}

/// Keep only `paths` (of an object, or of each record of an array).
pub fn pick(data: &Value, paths: &[String]) -> Value {
    let keys: Vec<Vec<String>> = paths.iter().map(|p| path_keys(p)).collect();
    let one = |v: &Value| {
        let mut out = Value::Object(Map::new());
        for k in &keys {
            pick_into(v, k, &mut out);
        }
        out
    };
    match data {
        Value::Array(a) => Value::Array(a.iter().map(one).collect()),
        other => one(other),
    }
}

/// Drop `paths` (of an object, or of each record of an array).
pub fn omit(data: &mut Value, paths: &[String]) {
    let keys: Vec<Vec<String>> = paths.iter().map(|p| path_keys(p)).collect();
    each_record(data, &mut |v| {
        for k in &keys {
            omit_at(v, k);
        }
    });
}

/// Rename keys (of an object, or of each record; `deep` renames at every level), keeping order.
pub fn rename_keys(data: &mut Value, map: &Map<String, Value>, deep: bool) {
    fn one(v: &mut Value, map: &Map<String, Value>, deep: bool) {
        match v {
            Value::Object(o) => {
                let old = std::mem::take(o);
                for (k, mut x) in old {
                    if deep {
                        one(&mut x, map, deep);
                    }
                    let k = match map.get(&k).and_then(Value::as_str) {
                        Some(n) => n.to_string(),
                        None => k,
                    };
                    o.insert(k, x);
                }
            }
            Value::Array(a) if deep => a.iter_mut().for_each(|x| one(x, map, deep)),
            _ => {}
        }
    }
    each_record(data, &mut |v| one(v, map, deep));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flatten_and_back() {
        let d = json!({"a":{"b":1,"c":[10,{"d":2}]},"e":{},"f":[]});
        let f = flatten(&d, ".", ArrayStyle::Dotted);
        assert_eq!(
            Value::Object(f.clone()),
            json!({"a.b":1,"a.c.0":10,"a.c.1.d":2,"e":{},"f":[]})
        );
        assert_eq!(unflatten(&f, ".", true).unwrap(), d);
        let b = flatten(&d, ".", ArrayStyle::Bracketed);
        assert_eq!(
            Value::Object(b.clone()),
            json!({"a.b":1,"a.c[0]":10,"a.c[1].d":2,"e":{},"f":[]})
        );
        assert_eq!(unflatten(&b, ".", false).unwrap(), d);
        let m = json!({"a.b":1,"a":2});
        assert!(unflatten(m.as_object().unwrap(), ".", true).is_err());
    }

    #[test]
    fn merge_policies() {
        let mut a = json!({"x":{"y":1,"l":[1,2]},"k":1});
        merge(
            &mut a,
            &json!({"x":{"z":2,"l":[2,3]},"k":null}),
            ArrayMerge::Union,
        );
        assert_eq!(a, json!({"x":{"y":1,"l":[1,2,3],"z":2},"k":null}));
        let mut a = json!([{"a":1},{"b":2}]);
        merge(&mut a, &json!([{"c":3}]), ArrayMerge::ByIndex);
        assert_eq!(a, json!([{"a":1,"c":3},{"b":2}]));
    }

    // RFC 6902 appendix A examples.
    #[test]
    fn rfc6902_examples() {
        let cases = [
            (
                json!({"foo":"bar"}),
                json!([{"op":"add","path":"/baz","value":"qux"}]),
                Some(json!({"baz":"qux","foo":"bar"})),
            ),
            (
                json!({"foo":["bar","baz"]}),
                json!([{"op":"add","path":"/foo/1","value":"qux"}]),
                Some(json!({"foo":["bar","qux","baz"]})),
            ),
            (
                json!({"baz":"qux","foo":"bar"}),
                json!([{"op":"remove","path":"/baz"}]),
                Some(json!({"foo":"bar"})),
            ),
            (
                json!({"foo":["bar","qux","baz"]}),
                json!([{"op":"remove","path":"/foo/1"}]),
                Some(json!({"foo":["bar","baz"]})),
            ),
            (
                json!({"baz":"qux","foo":"bar"}),
                json!([{"op":"replace","path":"/baz","value":"boo"}]),
                Some(json!({"baz":"boo","foo":"bar"})),
            ),
            (
                json!({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}),
                json!([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]),
                Some(json!({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})),
            ),
            (
                json!({"foo":["all","grass","cows","eat"]}),
                json!([{"op":"move","from":"/foo/1","path":"/foo/3"}]),
                Some(json!({"foo":["all","cows","eat","grass"]})),
            ),
            (
                json!({"baz":"qux","foo":["a",2,"c"]}),
                json!([{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]),
                Some(json!({"baz":"qux","foo":["a",2,"c"]})),
            ),
            (
                json!({"baz":"qux"}),
                json!([{"op":"test","path":"/baz","value":"bar"}]),
                None,
            ),
            (
                json!({"foo":"bar"}),
                json!([{"op":"add","path":"/child","value":{"grandchild":{}}}]),
                Some(json!({"foo":"bar","child":{"grandchild":{}}})),
            ),
            (
                json!({"foo":"bar"}),
                json!([{"op":"add","path":"/baz/bat","value":"qux"}]),
                None,
            ),
            (
                json!({"/":9,"~1":10}),
                json!([{"op":"test","path":"/~01","value":10}]),
                Some(json!({"/":9,"~1":10})),
            ),
            (
                json!({"foo":["bar"]}),
                json!([{"op":"add","path":"/foo/-","value":["abc","def"]}]),
                Some(json!({"foo":["bar",["abc","def"]]})),
            ),
        ];
        for (i, (mut doc, patch, want)) in cases.into_iter().enumerate() {
            let r = apply_patch(&mut doc, patch.as_array().unwrap());
            match want {
                Some(w) => {
                    r.unwrap();
                    assert_eq!(doc, w, "case {i}");
                }
                None => assert!(
                    matches!(r.unwrap_err(), DataError::Failed { .. }),
                    "case {i}"
                ),
            }
        }
    }

    #[test]
    fn diff_round_trips_through_patch() {
        let a = json!({"a":1,"b":[1,2,3],"c":{"d":"x"},"e/f":true});
        let b = json!({"a":2,"b":[1,5],"c":{"g":null},"h":[{}],"e/f":true});
        let p = diff(&a, &b);
        let mut d = a.clone();
        apply_patch(&mut d, &p).unwrap();
        assert_eq!(d, b);
        assert!(diff(&a, &a).is_empty());
    }

    // RFC 7386 section 3 examples.
    #[test]
    fn rfc7386_examples() {
        let cases = [
            (json!({"a":"b"}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"b"}), json!({"b":"c"}), json!({"a":"b","b":"c"})),
            (json!({"a":"b"}), json!({"a":null}), json!({})),
            (
                json!({"a":"b","b":"c"}),
                json!({"a":null}),
                json!({"b":"c"}),
            ),
            (json!({"a":["b"]}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"c"}), json!({"a":["b"]}), json!({"a":["b"]})),
            (
                json!({"a":{"b":"c"}}),
                json!({"a":{"b":"d","c":null}}),
                json!({"a":{"b":"d"}}),
            ),
            (json!({"a":[{"b":"c"}]}), json!({"a":[1]}), json!({"a":[1]})),
            (json!(["a", "b"]), json!(["c", "d"]), json!(["c", "d"])),
            (json!({"a":"b"}), json!(["c"]), json!(["c"])),
            (json!({"a":"foo"}), json!(null), json!(null)),
            (json!({"a":"foo"}), json!("bar"), json!("bar")),
            (json!({"e":null}), json!({"a":1}), json!({"e":null,"a":1})),
            (json!([1, 2]), json!({"a":"b","c":null}), json!({"a":"b"})),
            (
                json!({}),
                json!({"a":{"bb":{"ccc":null}}}),
                json!({"a":{"bb":{}}}),
            ),
        ];
        for (i, (mut doc, patch, want)) in cases.into_iter().enumerate() {
            merge_patch(&mut doc, &patch);
            assert_eq!(doc, want, "case {i}");
        }
    }

    #[test]
    fn pick_omit_rename() {
        let d = json!([{"id":1,"user":{"name":"a","pw":"x"},"z":0},{"id":2,"user":{"name":"b"}}]);
        assert_eq!(
            pick(&d, &["id".into(), "user.name".into()]),
            json!([{"id":1,"user":{"name":"a"}},{"id":2,"user":{"name":"b"}}])
        );
        let mut o = d.clone();
        omit(&mut o, &["/user/pw".into(), "z".into()]);
        assert_eq!(
            o,
            json!([{"id":1,"user":{"name":"a"}},{"id":2,"user":{"name":"b"}}])
        );
        let mut r = json!({"a":1,"b":{"a":2}});
        rename_keys(&mut r, json!({"a":"x"}).as_object().unwrap(), false);
        assert_eq!(r, json!({"x":1,"b":{"a":2}}));
        rename_keys(&mut r, json!({"a":"y"}).as_object().unwrap(), true);
        assert_eq!(r, json!({"x":1,"b":{"y":2}}));
    }
}
