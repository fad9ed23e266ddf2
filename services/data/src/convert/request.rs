//! One conversion request: the options checked, the data read in its source format and written
//! in the target one. CSV or TSV to JSON or NDJSON streams records straight into JSON text;
//! every other pair goes through a JSON value.

use serde_json::Value;

use super::{CsvLimits, CsvOptions, Format};
use crate::error::DataError;
use crate::sheet::{ReadOptions, SheetLimits};
use crate::xml::XmlOptions;

/// What bounds one conversion (from the service's configuration).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of JSON input (DATA_MAX_DEPTH).
    pub max_depth: usize,
    /// Rows and columns of CSV and TSV.
    pub csv: CsvLimits,
    /// Rows, columns and unzipped size of spreadsheets.
    pub sheet: SheetLimits,
}

/// The data to convert.
#[derive(Debug)]
pub enum Input<'a> {
    /// The raw body, or a spreadsheet's decoded bytes.
    Bytes(&'a [u8]),
    /// The JSON form's `data`: a value for `json`, a string for the text formats.
    Json(Value),
}

/// Everything that shapes one conversion besides the formats.
#[derive(Debug, Default)]
pub struct Options {
    /// CSV and TSV: the delimiter as given (one ASCII character, or `\t`).
    pub delimiter: Option<String>,
    /// CSV, TSV and spreadsheets: whether the first row names the columns (default true).
    pub header: Option<bool>,
    /// Numbers and booleans from CSV cells and XML text (default true).
    pub infer_types: Option<bool>,
    /// How XML maps to JSON and back.
    pub xml: XmlOptions,
    /// Spreadsheets: the sheet by name (string) or position from 0 (number).
    pub sheet: Option<Value>,
    /// Spreadsheets: an A1-style range.
    pub range: Option<String>,
    /// Spreadsheets: every sheet, by name.
    pub all_sheets: bool,
}

impl Format {
    /// The media type of a file in this format.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Ndjson => "application/x-ndjson",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Tsv => "text/tab-separated-values; charset=utf-8",
            Format::Yaml => "application/yaml",
            Format::Toml => "application/toml",
            Format::Xml => "application/xml",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Xls => "application/vnd.ms-excel",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }
}

impl CsvOptions {
    /// The CSV options for `fmt` from what the request gave: the delimiter (one ASCII character
    /// or `\t`; default `,`, or tab for TSV), the header flag and type inference (default on).
    pub fn of(
        fmt: Format,
        delimiter: Option<&str>,
        header: Option<bool>,
        infer_types: Option<bool>,
    ) -> Result<CsvOptions, DataError> {
        let delimiter = match delimiter {
            None if fmt == Format::Tsv => b'\t',
            None => b',',
            Some(d) if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
            Some("\\t") => b'\t',
            Some(d) => {
                return Err(DataError::invalid(
                    "delimiter",
                    format!("must be one ASCII character; got {d:?}"),
                ));
            }
        };
        Ok(CsvOptions {
            delimiter,
            header: header.unwrap_or(true),
            infer_types: infer_types.unwrap_or(true),
        })
    }
}

/// CSV or TSV text as JSON records (or rows), for conversions that need a value.
fn csv_records(text: &[u8], opt: CsvOptions, lim: CsvLimits) -> Result<Value, DataError> {
    let mut json = Vec::new();
    super::csv_to_json(text, opt, lim, false, &mut json)?;
    serde_json::from_slice(&json)
        .map_err(|e| DataError::internal("data", format!("CSV records did not read back: {e}")))
}

/// The data as text, for the text formats.
fn text_of<'a>(input: &'a Input<'_>, from: Format) -> Result<&'a [u8], DataError> {
    match input {
        Input::Bytes(b) => Ok(b),
        Input::Json(Value::String(s)) => Ok(s.as_bytes()),
        Input::Json(v) => Err(DataError::invalid(
            "data",
            format!(
                "must be a string for {}; got {}",
                from.name(),
                super::kind(v)
            ),
        )),
    }
}

/// The data as a JSON value, read in its source format.
fn value_of(
    from: Format,
    input: Input<'_>,
    opts: &Options,
    csv: CsvOptions,
    lim: &Limits,
) -> Result<Value, DataError> {
    match (from, input) {
        (Format::Xlsx | Format::Xls | Format::Ods, Input::Bytes(b)) => {
            let sheet = ReadOptions {
                sheet: opts.sheet.clone(),
                range: opts.range.clone(),
                header: opts.header.unwrap_or(true),
                all_sheets: opts.all_sheets,
            };
            crate::sheet::read(b, from, &sheet, lim.sheet)
        }
        (Format::Xlsx | Format::Xls | Format::Ods, Input::Json(v)) => Err(DataError::invalid(
            "data",
            format!(
                "must be a base64 string for {}; got {}",
                from.name(),
                super::kind(&v)
            ),
        )),
        (Format::Json, Input::Json(v)) => Ok(v),
        (Format::Json, Input::Bytes(b)) => {
            if crate::jq::depth_over(b, lim.max_depth) {
                return Err(DataError::too_deep("data", lim.max_depth));
            }
            serde_json::from_slice(b)
                .map_err(|e| DataError::invalid("data", format!("is not JSON: {e}")))
        }
        (Format::Ndjson, input) => super::parse_ndjson(text_of(&input, from)?).map(Value::Array),
        (Format::Yaml, input) => super::parse_yaml(text_of(&input, from)?),
        (Format::Toml, input) => super::parse_toml(text_of(&input, from)?),
        (Format::Xml, input) => crate::xml::parse_xml(
            text_of(&input, from)?,
            &opts.xml,
            csv.infer_types,
            lim.max_depth,
        ),
        (Format::Csv | Format::Tsv, input) => csv_records(text_of(&input, from)?, csv, lim.csv),
    }
}

/// The converted data: JSON text for `json`, the file's bytes for the others.
pub fn convert(
    from: Format,
    to: Format,
    input: Input<'_>,
    opts: &Options,
    lim: &Limits,
) -> Result<Vec<u8>, DataError> {
    let opt_from = CsvOptions::of(
        from,
        opts.delimiter.as_deref(),
        opts.header,
        opts.infer_types,
    )?;
    let opt_to = CsvOptions::of(to, opts.delimiter.as_deref(), opts.header, opts.infer_types)?;
    let value = |input| value_of(from, input, opts, opt_from, lim);
    match (from, to) {
        (Format::Csv | Format::Tsv, Format::Json | Format::Ndjson) => {
            let t = text_of(&input, from)?;
            let mut out = Vec::with_capacity(t.len() * 2);
            super::csv_to_json(t, opt_from, lim.csv, to == Format::Ndjson, &mut out)?;
            Ok(out)
        }
        (Format::Csv | Format::Tsv, Format::Csv | Format::Tsv) => {
            let keep = CsvOptions {
                infer_types: false,
                ..opt_from
            };
            let v = csv_records(text_of(&input, from)?, keep, lim.csv)?;
            super::json_to_csv(&v, opt_to)
        }
        (_, Format::Json) => serde_json::to_vec(&value(input)?)
            .map_err(|e| DataError::internal("data", format!("JSON did not write: {e}"))),
        (_, Format::Ndjson) => Ok(super::to_ndjson(&value(input)?)),
        (_, Format::Csv | Format::Tsv) => super::json_to_csv(&value(input)?, opt_to),
        (_, Format::Yaml) => super::to_yaml(&value(input)?),
        (_, Format::Toml) => super::to_toml(&value(input)?),
        (_, Format::Xml) => crate::xml::to_xml(&value(input)?, &opts.xml),
        (_, Format::Xlsx) => crate::sheet::write_xlsx(&value(input)?),
        (_, Format::Xls | Format::Ods) => Err(DataError::invalid(
            "to",
            format!("{} is read, not written: write xlsx", to.name()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use flowforge_kit::DomainError;

    use super::*;

    const LIM: Limits = Limits {
        max_depth: 8,
        csv: CsvLimits {
            max_rows: 10,
            max_columns: 10,
        },
        sheet: SheetLimits {
            max_rows: 10,
            max_columns: 10,
            max_unzipped: 1 << 20,
        },
    };

    fn text(from: Format, to: Format, data: &str, opts: &Options) -> Result<String, DataError> {
        convert(from, to, Input::Bytes(data.as_bytes()), opts, &LIM)
            .map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn pairs_through_a_value_and_csv_directly() {
        let o = Options::default();
        let json = text(Format::Csv, Format::Json, "a,b\n1,x\n", &o).unwrap();
        assert_eq!(json, r#"[{"a":1,"b":"x"}]"#);
        let tsv = text(Format::Csv, Format::Tsv, "a,b\n01,x\n", &o).unwrap();
        assert_eq!(tsv, "a\tb\n01\tx\n");
        assert_eq!(
            text(Format::Json, Format::Yaml, r#"{"a":1}"#, &o).unwrap(),
            "a: 1\n"
        );
        let v = convert(
            Format::Yaml,
            Format::Json,
            Input::Json("a: 1".into()),
            &o,
            &LIM,
        );
        assert_eq!(v.unwrap(), br#"{"a":1}"#);
    }

    #[test]
    fn each_failure_names_its_field() {
        fn field<T: std::fmt::Debug>(r: Result<T, DataError>) -> String {
            r.unwrap_err().field().to_string()
        }
        let semi = Options {
            delimiter: Some(";;".into()),
            ..Options::default()
        };
        assert_eq!(
            field(text(Format::Csv, Format::Json, "a", &semi)),
            "delimiter"
        );
        let o = Options::default();
        assert_eq!(field(text(Format::Json, Format::Ods, "{}", &o)), "to");
        let deep = "[[[[[[[[[[1]]]]]]]]]]";
        assert_eq!(field(text(Format::Json, Format::Csv, deep, &o)), "data");
        let not_text = convert(Format::Yaml, Format::Json, Input::Json(1.into()), &o, &LIM);
        assert_eq!(field(not_text), "data");
        let not_b64 = convert(Format::Xlsx, Format::Json, Input::Json(1.into()), &o, &LIM);
        assert_eq!(field(not_b64), "data");
    }
}
