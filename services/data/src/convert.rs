//! Conversion between JSON, NDJSON, CSV and TSV. CSV to JSON streams records straight into JSON
//! text (no intermediate tree), so a 100 MB file costs about its own size again in memory.
//!
//! CSV conventions: the first row is the header (unless `header` is false, when rows become
//! arrays); duplicate header names get `_2`, `_3` suffixes and empty ones `field_N`; with type
//! inference (the default) a cell that is a JSON-style number becomes a number (but not one with
//! a leading zero, like a ZIP code `02134`), `true`/`false` become booleans, and everything else,
//! the empty cell included, stays a string. Rows shorter than the header get `null` for the
//! missing cells; a longer row is an error naming it.

use serde_json::Value;

use crate::error::DataError;

pub mod request;

flowforge_kit::wire_enum! {
    /// A data format.
    pub enum Format {
        /// JSON (records: an array of objects).
        Json = "json",
        /// Newline-delimited JSON, one value per line.
        Ndjson = "ndjson" | "jsonl" | "jsonlines",
        /// Comma-separated values (RFC 4180 quoting).
        Csv = "csv",
        /// Tab-separated values.
        Tsv = "tsv",
        /// YAML 1.2 (one document).
        Yaml = "yaml" | "yml",
        /// TOML 1.0 (a table at the top; no nulls).
        Toml = "toml",
        /// XML (attributes under `@`, text under `#text`, repeats as arrays).
        Xml = "xml",
        /// Excel 2007+ workbook (read and write).
        Xlsx = "xlsx",
        /// Excel 97-2003 workbook (read).
        Xls = "xls",
        /// OpenDocument spreadsheet (read).
        Ods = "ods",
    }
}

impl Format {
    /// Whether the format is text (carried as a string in JSON requests).
    pub fn is_text(self) -> bool {
        !matches!(self, Format::Json) && !self.is_binary()
    }

    /// Whether the format is a binary file (base64 in JSON requests and answers).
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Xls | Format::Ods)
    }
}

/// Limits on tabular input.
#[derive(Debug, Clone, Copy)]
pub struct CsvLimits {
    /// Most data rows.
    pub max_rows: usize,
    /// Most columns.
    pub max_columns: usize,
}

/// Options that shape CSV and TSV.
#[derive(Debug, Clone, Copy)]
pub struct CsvOptions {
    /// The field delimiter (`,` for CSV, tab for TSV unless given).
    pub delimiter: u8,
    /// Whether the first row names the columns.
    pub header: bool,
    /// Numbers and booleans from cells.
    pub infer_types: bool,
}

fn bad(field: &'static str, message: impl Into<String>) -> DataError {
    DataError::invalid(field, message)
}

/// Write a JSON string.
fn json_str(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in s.iter().enumerate() {
        let esc: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.extend_from_slice(&s[start..i]);
        match esc {
            Some(e) => out.extend_from_slice(e),
            None => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
        }
        start = i + 1;
    }
    out.extend_from_slice(&s[start..]);
    out.push(b'"');
}

/// Whether `s` is a JSON number without a leading zero (so `02134` stays text).
fn json_number(s: &[u8]) -> bool {
    let mut i = 0;
    if s.first() == Some(&b'-') {
        i = 1;
    }
    let int_start = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    let int_len = i - int_start;
    if int_len == 0 || (int_len > 1 && s[int_start] == b'0') {
        return false;
    }
    if i < s.len() && s[i] == b'.' {
        i += 1;
        let f = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        if i == f {
            return false;
        }
    }
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        i += 1;
        if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
            i += 1;
        }
        let e = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == s.len() && s.len() <= 40
}

/// A text value as JSON: with `infer`, a number (by the CSV rule: no leading zero) or a boolean
/// when it reads as one, else the string.
pub fn infer_value(s: &str, infer: bool) -> Value {
    if infer {
        if json_number(s.as_bytes())
            && let Ok(n) = serde_json::from_str::<serde_json::Number>(s)
        {
            return Value::Number(n);
        }
        match s {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            _ => {}
        }
    }
    Value::String(s.to_string())
}

fn cell(s: &[u8], infer: bool, out: &mut Vec<u8>) {
    if infer && (json_number(s) || s == b"true" || s == b"false") {
        out.extend_from_slice(s);
        return;
    }
    json_str(s, out);
}

fn header_names(row: &csv::ByteRecord) -> Vec<Vec<u8>> {
    let mut names: Vec<Vec<u8>> = Vec::with_capacity(row.len());
    for (i, f) in row.iter().enumerate() {
        let base = if f.is_empty() {
            format!("field_{}", i + 1).into_bytes()
        } else {
            f.to_vec()
        };
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = [base.as_slice(), format!("_{n}").as_bytes()].concat();
            n += 1;
        }
        names.push(name);
    }
    names
}

/// CSV or TSV text to JSON (an array of records, or of arrays without a header), or NDJSON
/// (one record per line), written to `out`.
pub fn csv_to_json(
    text: &[u8],
    opt: CsvOptions,
    lim: CsvLimits,
    ndjson: bool,
    out: &mut Vec<u8>,
) -> Result<(), DataError> {
    csv_to_json_chunked(text, opt, lim, ndjson, out, usize::MAX, &mut |_| true)
}

/// As [`csv_to_json`], handing `out` to `flush` whenever it holds `chunk` bytes or more (the
/// sink empties it); `flush` answering false stops the conversion (the reader went away).
pub fn csv_to_json_chunked(
    text: &[u8],
    opt: CsvOptions,
    lim: CsvLimits,
    ndjson: bool,
    out: &mut Vec<u8>,
    chunk: usize,
    flush: &mut dyn FnMut(&mut Vec<u8>) -> bool,
) -> Result<(), DataError> {
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(opt.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut rec = csv::ByteRecord::new();
    let mut names: Option<Vec<Vec<u8>>> = None;
    // Keys pre-escaped once: `"name":`.
    let mut keys: Vec<Vec<u8>> = Vec::new();
    let mut rows = 0usize;
    let (open, sep, close): (&[u8], &[u8], &[u8]) = if ndjson {
        (b"", b"\n", b"\n")
    } else {
        (b"[", b",", b"]")
    };
    out.extend_from_slice(open);
    loop {
        match rd.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(bad("data", format!("is not valid CSV: {e}"))),
        }
        if rec.len() > lim.max_columns {
            return Err(bad(
                "data",
                format!(
                    "row {} has {} columns; the limit is {} (DATA_CSV_MAX_COLUMNS)",
                    rows + 1,
                    rec.len(),
                    lim.max_columns
                ),
            ));
        }
        if opt.header && names.is_none() {
            let n = header_names(&rec);
            keys = n
                .iter()
                .map(|k| {
                    let mut b = Vec::with_capacity(k.len() + 3);
                    json_str(k, &mut b);
                    b.push(b':');
                    b
                })
                .collect();
            names = Some(n);
            continue;
        }
        if rows >= lim.max_rows {
            return Err(bad(
                "data",
                format!("has more than {} rows (DATA_CSV_MAX_ROWS)", lim.max_rows),
            ));
        }
        if out.len() >= chunk && !flush(out) {
            return Err(bad(
                "data",
                "the conversion was stopped: the client went away",
            ));
        }
        if rows > 0 {
            out.extend_from_slice(sep);
        }
        rows += 1;
        if names.is_some() {
            if rec.len() > keys.len() {
                let line = rec.position().map_or(0, csv::Position::line);
                return Err(bad(
                    "data",
                    format!(
                        "row {rows} (line {line}) has {} fields; the header has {}",
                        rec.len(),
                        keys.len()
                    ),
                ));
            }
            out.push(b'{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(key);
                match rec.get(i) {
                    Some(v) => cell(v, opt.infer_types, out),
                    None => out.extend_from_slice(b"null"),
                }
            }
            out.push(b'}');
        } else {
            out.push(b'[');
            for (i, v) in rec.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                cell(v, opt.infer_types, out);
            }
            out.push(b']');
        }
    }
    if !(ndjson && rows == 0) {
        out.extend_from_slice(close);
    }
    Ok(())
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// JSON records (an array of objects, one object, or an array of arrays) to CSV or TSV text.
/// Columns are the union of the records' keys in first-seen order; nested values are written as
/// compact JSON, `null` as an empty cell.
pub fn json_to_csv(data: &Value, opt: CsvOptions) -> Result<Vec<u8>, DataError> {
    let rows: Vec<&Value> = match data {
        Value::Array(a) => a.iter().collect(),
        Value::Object(_) => vec![data],
        _ => {
            return Err(bad(
                "data",
                "must be an array of records (objects), an array of arrays, or one object",
            ));
        }
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(opt.delimiter)
        .flexible(true)
        .from_writer(Vec::new());
    let werr = |e: csv::Error| bad("data", format!("could not be written as CSV: {e}"));
    if rows.iter().all(|r| r.is_array()) && !rows.is_empty() {
        for r in &rows {
            if let Value::Array(a) = r {
                w.write_record(a.iter().map(scalar_text)).map_err(werr)?;
            }
        }
    } else {
        let mut cols: Vec<&str> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, r) in rows.iter().enumerate() {
            match r {
                Value::Object(o) => {
                    for k in o.keys() {
                        if seen.insert(k.as_str()) {
                            cols.push(k);
                        }
                    }
                }
                other => {
                    return Err(bad(
                        "data",
                        format!(
                            "item {i} is {}; every item must be an object (a record)",
                            kind(other)
                        ),
                    ));
                }
            }
        }
        if opt.header {
            w.write_record(&cols).map_err(werr)?;
        }
        for r in &rows {
            if let Value::Object(o) = r {
                w.write_record(
                    cols.iter()
                        .map(|c| o.get(*c).map(scalar_text).unwrap_or_default()),
                )
                .map_err(werr)?;
            }
        }
    }
    w.into_inner()
        .map_err(|e| bad("data", format!("could not be written as CSV: {e}")))
}

/// The JSON kind of a value, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn text(bytes: &[u8]) -> Result<&str, DataError> {
    std::str::from_utf8(bytes).map_err(|e| {
        bad(
            "data",
            format!("is not UTF-8 text (at byte {})", e.valid_up_to()),
        )
    })
}

/// One YAML document to a value. Anchors and aliases are read (serde_norway refuses
/// expansions that would blow up, as in the "billion laughs" document).
pub fn parse_yaml(bytes: &[u8]) -> Result<Value, DataError> {
    serde_norway::from_str(text(bytes)?).map_err(|e| bad("data", format!("is not YAML: {e}")))
}

/// A TOML document to a value (dates become their RFC 3339 text).
pub fn parse_toml(bytes: &[u8]) -> Result<Value, DataError> {
    toml::from_str(text(bytes)?).map_err(|e| bad("data", format!("is not TOML: {e}")))
}

/// A value as YAML.
pub fn to_yaml(v: &Value) -> Result<Vec<u8>, DataError> {
    serde_norway::to_string(v)
        .map(String::into_bytes)
        .map_err(|e| bad("data", format!("cannot be written as YAML: {e}")))
}

/// A value as TOML: the top level must be an object, and TOML has no null.
pub fn to_toml(v: &Value) -> Result<Vec<u8>, DataError> {
    if !v.is_object() {
        return Err(bad(
            "data",
            format!("must be an object to be TOML (a table); got {}", kind(v)),
        ));
    }
    toml::to_string(v).map(String::into_bytes).map_err(|e| {
        bad(
            "data",
            format!("cannot be written as TOML (TOML has no null, and arrays must not mix tables and values): {e}"),
        )
    })
}

/// NDJSON text to values (blank lines skipped); errors name the line.
pub fn parse_ndjson(text: &[u8]) -> Result<Vec<Value>, DataError> {
    text.split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.trim_ascii().is_empty())
        .map(|(i, l)| {
            serde_json::from_slice(l)
                .map_err(|e| bad("data", format!("line {} is not JSON: {e}", i + 1)))
        })
        .collect()
}

/// Values as NDJSON: one compact value per line (an array's items, or the value itself).
pub fn to_ndjson(data: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    let one = |v: &Value, out: &mut Vec<u8>| {
        let _ = serde_json::to_writer(&mut *out, v);
        out.push(b'\n');
    };
    match data {
        Value::Array(a) => a.iter().for_each(|v| one(v, &mut out)),
        other => one(other, &mut out),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use flowforge_kit::DomainError;

    const OPT: CsvOptions = CsvOptions {
        delimiter: b',',
        header: true,
        infer_types: true,
    };
    const LIM: CsvLimits = CsvLimits {
        max_rows: 10,
        max_columns: 10,
    };

    fn c2j(s: &str, opt: CsvOptions) -> Result<Value, DataError> {
        let mut out = Vec::new();
        csv_to_json(s.as_bytes(), opt, LIM, false, &mut out)?;
        Ok(serde_json::from_slice(&out).unwrap())
    }

    #[test]
    fn csv_to_records_with_inference() {
        assert_eq!(
            c2j("a,b\n1,x\n", OPT).unwrap(),
            serde_json::json!([{"a":1,"b":"x"}])
        );
        assert_eq!(
            c2j(
                "zip,n,f,b,e,q\n02134,-3,2.5e3,true,,\"say \"\"hi\"\"\"\n",
                OPT
            )
            .unwrap(),
            serde_json::json!([{"zip":"02134","n":-3,"f":2.5e3,"b":true,"e":"","q":"say \"hi\""}])
        );
        let plain = CsvOptions {
            infer_types: false,
            ..OPT
        };
        assert_eq!(
            c2j("a\n1\n", plain).unwrap(),
            serde_json::json!([{"a":"1"}])
        );
        let no_header = CsvOptions {
            header: false,
            ..OPT
        };
        assert_eq!(
            c2j("1,2\n3,4\n", no_header).unwrap(),
            serde_json::json!([[1, 2], [3, 4]])
        );
        assert_eq!(
            c2j("a,a,\n1\n", OPT).unwrap(),
            serde_json::json!([{"a":1,"a_2":null,"field_3":null}])
        );
    }

    #[test]
    fn csv_limits_and_ragged_rows_are_named() {
        let e = c2j("a\n1,2\n", OPT).unwrap_err();
        assert!(e.hint().contains("row 1"), "{e:?}");
        let many = "a\n".to_string() + &"1\n".repeat(11);
        assert!(
            c2j(&many, OPT)
                .unwrap_err()
                .hint()
                .contains("more than 10 rows")
        );
        let ten = "a\n".to_string() + &"1\n".repeat(10);
        assert!(c2j(&ten, OPT).is_ok());
    }

    #[test]
    fn chunked_output_is_the_same_output() {
        let text =
            "a,b\n".to_string() + &(0..500).map(|i| format!("{i},x{i}\n")).collect::<String>();
        let lim = CsvLimits {
            max_rows: 1000,
            max_columns: 10,
        };
        let mut whole = Vec::new();
        csv_to_json(text.as_bytes(), OPT, lim, false, &mut whole).unwrap();
        let (mut out, mut got, mut flushes) = (Vec::new(), Vec::new(), 0);
        csv_to_json_chunked(text.as_bytes(), OPT, lim, false, &mut out, 100, &mut |b| {
            flushes += 1;
            got.append(b);
            true
        })
        .unwrap();
        got.append(&mut out);
        assert_eq!(got, whole);
        assert!(flushes > 50);
        let e = csv_to_json_chunked(
            text.as_bytes(),
            OPT,
            lim,
            false,
            &mut Vec::new(),
            100,
            &mut |_| false,
        );
        assert!(e.unwrap_err().hint().contains("went away"));
    }

    #[test]
    fn yaml_and_toml() {
        let v = parse_yaml(b"a: 1\nb: [x, y]\nc: {d: true}\n").unwrap();
        assert_eq!(v, serde_json::json!({"a":1,"b":["x","y"],"c":{"d":true}}));
        assert_eq!(parse_yaml(&to_yaml(&v).unwrap()).unwrap(), v);
        let t = parse_toml(b"title = \"x\"\n[owner]\nname = \"Tom\"\n").unwrap();
        assert_eq!(t, serde_json::json!({"title":"x","owner":{"name":"Tom"}}));
        assert_eq!(parse_toml(&to_toml(&t).unwrap()).unwrap(), t);
        assert!(
            to_toml(&serde_json::json!([1]))
                .unwrap_err()
                .hint()
                .contains("object")
        );
        assert!(to_toml(&serde_json::json!({"a":null})).is_err());
        assert!(parse_yaml(b"a: [").unwrap_err().hint().contains("YAML"));
        // Billion laughs: refused, not expanded.
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
        assert!(parse_yaml(bomb.as_bytes()).is_err());
    }

    #[test]
    fn records_to_csv_and_ndjson() {
        let data = serde_json::json!([{"a":1,"b":"x,y"},{"b":null,"c":{"d":true}}]);
        let csv = String::from_utf8(json_to_csv(&data, OPT).unwrap()).unwrap();
        assert_eq!(csv, "a,b,c\n1,\"x,y\",\n,,\"{\"\"d\"\":true}\"\n");
        assert_eq!(
            String::from_utf8(to_ndjson(&data)).unwrap(),
            "{\"a\":1,\"b\":\"x,y\"}\n{\"b\":null,\"c\":{\"d\":true}}\n"
        );
        assert_eq!(parse_ndjson(b"1\n\n{\"a\":2}\n").unwrap().len(), 2);
        assert!(
            parse_ndjson(b"1\nnope\n")
                .unwrap_err()
                .hint()
                .contains("line 2")
        );
    }
}
