//! HTTP handlers and the route table. Both operations take either a JSON request object, or
//! (with their parameters in the query string) the data itself as the raw body, which is how a
//! large file is sent: `curl --data-binary @big.json '…/jq?filter=.[0]'`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use flowforge_kit::extract::{is_json, parse_json, read_body, unsupported_media_type};
use flowforge_kit::{ApiError, CpuPool, Payload, Query};
use serde::Deserialize;
use serde_json::value::RawValue;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod datetime;
mod html;
mod schema;
mod template;

use crate::convert::{self, ConvertError, CsvLimits, CsvOptions, Format};
use crate::encode::{self, Encoding};
use crate::items;
use crate::jq::{self, RunError, RunLimits};
use crate::json_ops::{self, ArrayMerge, ArrayStyle};
use crate::text::{self, Case};

/// Limits and the CPU pool.
#[derive(Debug, Clone)]
pub struct DataState {
    /// CPU pool: every filter and conversion runs there.
    pub cpu: CpuPool,
    /// `DATA_MAX_INPUT_MB` in bytes.
    pub max_body: usize,
    /// `DATA_JQ_MAX_OUTPUTS` (default 1,000,000).
    pub jq_max_outputs: usize,
    /// `DATA_JQ_TIMEOUT_MS` (default 10 s).
    pub jq_timeout: Duration,
    /// Threads one jq request may use to read, run and write a large array.
    pub jq_threads: usize,
    /// `DATA_MAX_DEPTH`: deepest JSON nesting accepted (default 512).
    pub max_depth: usize,
    /// CSV rows and columns.
    pub csv: CsvLimits,
    /// `DATA_REGEX_MAX_SIZE`: compiled size limit of a regular expression, bytes (default 1 MiB).
    pub regex_size: usize,
    /// Spreadsheet limits (rows and columns as CSV's, and `DATA_SHEET_MAX_UNZIPPED_MB`).
    pub sheet: crate::sheet::SheetLimits,
    /// `DATA_TEMPLATE_FUEL`, `DATA_TEMPLATE_MAX_OUTPUT`, `DATA_TEMPLATE_MAX_DEPTH`.
    pub template: crate::template::TemplateLimits,
}

type St = Arc<DataState>;

#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
enum Errors {
    /// The request is malformed; `details` names the field (a filter's syntax error names its line and column).
    #[response(status = 400)]
    BadRequest(#[to_schema] flowforge_kit::ErrorBody),
    /// Well-formed, but the filter raised an error, produced too many outputs or ran too long.
    #[response(status = 422)]
    NoAnswer(flowforge_kit::ErrorBody),
    /// The body is larger than `DATA_MAX_INPUT_MB`.
    #[response(status = 413)]
    TooLarge(flowforge_kit::ErrorBody),
    /// A body that is neither JSON nor the raw data the query string announced.
    #[response(status = 415)]
    Unsupported(flowforge_kit::ErrorBody),
}

fn json_response(body: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// Read the whole body, sized once from Content-Length (when it is within the limit) so that a
/// 100 MB upload is one 100 MB buffer rather than a doubling one.
async fn read_sized(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<axum::body::Bytes, ApiError> {
    use http_body_util::BodyExt;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    match declared {
        Some(n) if n <= limit => {
            let mut buf = Vec::with_capacity(n);
            let mut body = http_body_util::Limited::new(body, limit);
            while let Some(frame) = body.frame().await {
                let frame = frame
                    .map_err(|e| flowforge_kit::extract::body_error(e.as_ref(), limit as u64))?;
                if let Ok(data) = frame.into_data() {
                    buf.extend_from_slice(&data);
                }
            }
            Ok(buf.into())
        }
        _ => read_body(body, limit).await,
    }
}

/// Deepest nesting of a JSON text, counted without parsing (strings skipped); stops early once
/// past `limit`.
fn depth_over(text: &[u8], limit: usize) -> bool {
    jq::scan(text, limit, 1).too_deep
}

fn too_deep(field: &str, limit: usize) -> ApiError {
    ApiError::field(
        field,
        format!("nests deeper than {limit} levels (DATA_MAX_DEPTH)"),
    )
}

/// Run a jq filter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"filter":".[] | .a","input":[{"a":1},{"a":2}]}))]
pub struct JqRequest {
    /// The filter, in the jq 1.7 language.
    pub filter: String,
    /// The input value (default `null`).
    #[schema(value_type = Option<Object>)]
    pub input: Option<Box<RawValue>>,
    /// Several inputs, each run through the filter in turn (as jq reads a stream); outputs are
    /// concatenated. Instead of `input`.
    #[schema(value_type = Option<Vec<Object>>)]
    pub inputs: Option<Box<RawValue>>,
}

/// Every output of the filter, in order.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"outputs":[1,2]}))]
pub struct JqResponse {
    /// The outputs.
    #[schema(value_type = Vec<Object>)]
    pub outputs: Vec<serde_json::Value>,
}

/// Query-string form: the body is the input.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct JqQuery {
    /// The filter; when given, the raw body is the input (one JSON value or a stream of them).
    pub filter: Option<String>,
}

fn run_error(e: RunError, st: &DataState) -> ApiError {
    match e {
        RunError::Raised(m) => ApiError::unprocessable("filter", format!("jq error: {m}")),
        RunError::TooManyOutputs(n) => ApiError::unprocessable(
            "filter",
            format!("produced more than {n} outputs (DATA_JQ_MAX_OUTPUTS)"),
        ),
        RunError::Timeout => ApiError::unprocessable(
            "filter",
            format!(
                "ran longer than {} ms and was stopped (DATA_JQ_TIMEOUT_MS)",
                st.jq_timeout.as_millis()
            ),
        ),
    }
}

/// Apply a jq filter to one input or many; answers every output.
#[utoipa::path(post, path = "/api/v1/data/jq", tag = "data", request_body = JqRequest, params(JqQuery),
    responses((status = 200, description = "The outputs", body = JqResponse), Errors))]
pub async fn jq_handler(
    State(st): State<St>,
    Query(q): Query<JqQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_sized(&headers, body, st.max_body).await?;
    let st2 = st.clone();
    let raw_filter = q.filter;
    if raw_filter.is_none() && !is_json(&headers) {
        return Err(unsupported_media_type(
            &flowforge_kit::extract::content_type(&headers),
            "application/json (or give `filter` in the query string and send the input as the body)",
        ));
    }
    st.cpu
        .run(move || {
            let st = st2;
            let deadline = Instant::now() + st.jq_timeout;
            let (filter, inputs) = match raw_filter {
                Some(f) => {
                    // One pass checks the depth and finds where a large array can be cut, so
                    // its parts are read in parallel.
                    let scan = jq::scan(&bytes, st.max_depth, st.jq_threads);
                    if scan.too_deep {
                        return Err(too_deep("body", st.max_depth));
                    }
                    let inputs = if bytes.trim_ascii().is_empty() {
                        vec![jaq_json::Val::Null]
                    } else {
                        jq::parse_json_stream_split(&bytes, scan.parts.as_deref())
                            .map_err(|e| ApiError::field("body", format!("is not JSON: {e}")))?
                    };
                    (f, inputs)
                }
                None => {
                    let r: JqRequest = parse_json(&bytes)?;
                    let (field, raw) = match (&r.input, &r.inputs) {
                        (Some(_), Some(_)) => {
                            return Err(ApiError::field(
                                "inputs",
                                "give either `input` or `inputs`, not both",
                            ));
                        }
                        (_, Some(i)) => ("inputs", Some(i)),
                        (i, None) => ("input", i.as_ref()),
                    };
                    let text = raw.map_or("null", |r| r.get());
                    if depth_over(text.as_bytes(), st.max_depth) {
                        return Err(too_deep(field, st.max_depth));
                    }
                    let v = jq::parse_json(text.as_bytes())
                        .map_err(|e| ApiError::field(field, format!("is not JSON: {e}")))?;
                    let inputs = if field == "inputs" {
                        match v {
                            jaq_json::Val::Arr(a) => a.iter().cloned().collect(),
                            _ => {
                                return Err(ApiError::field(
                                    "inputs",
                                    "must be an array of input values",
                                ));
                            }
                        }
                    } else {
                        vec![v]
                    };
                    (r.filter, inputs)
                }
            };
            let program =
                jq::compile(&filter).map_err(|e| ApiError::field("filter", e.describe(&filter)))?;
            let lim = RunLimits {
                max_outputs: st.jq_max_outputs,
                deadline,
            };
            let mut outputs = Vec::new();
            // Inputs a program maps element by element (`map(f)`, `.[] | f`) are only
            // borrowed, so their memory is given back after the answer is sent.
            let mut kept = Vec::new();
            for input in inputs {
                match program.run_split(&input, st.jq_threads, &lim, &mut outputs) {
                    Some(r) => {
                        r.map_err(|e| run_error(e, &st))?;
                        kept.push(input);
                    }
                    None => program
                        .run(input, &lim, &mut outputs)
                        .map_err(|e| run_error(e, &st))?,
                }
            }
            let mut out = Vec::with_capacity(64);
            out.extend_from_slice(b"{\"outputs\":[");
            jq::write_outputs(&outputs, st.jq_threads, &mut out).ok_or_else(|| {
                ApiError::unprocessable(
                    "filter",
                    format!(
                        "an output nests deeper than {} levels and cannot be written",
                        jq::MAX_WRITE_DEPTH
                    ),
                )
            })?;
            out.extend_from_slice(b"]}");
            // Freeing a large input's values takes a good part of a second: done beside the
            // answer rather than before it.
            if bytes.len() >= jq::MIN_SPLIT_BYTES {
                // Where no thread can be made, they are freed here when the closure is dropped.
                let _ = std::thread::Builder::new()
                    .name("jq-free".into())
                    .spawn(move || drop((kept, outputs)));
            }
            Ok(json_response(out))
        })
        .await?
}

/// Convert data between formats.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"from":"csv","to":"json","data":"a,b\n1,x\n"}))]
pub struct ConvertRequest {
    /// json, ndjson, csv, tsv, yaml, toml, xml, xlsx, xls or ods.
    pub from: Format,
    /// json, ndjson, csv, tsv, yaml, toml, xml or xlsx.
    pub to: Format,
    /// The data: JSON for `json`, a string for the text formats, base64 for spreadsheets.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// The CSV field delimiter, one character (default `,`; tab for tsv).
    #[serde(default)]
    pub delimiter: Option<String>,
    /// Whether the first CSV row names the columns (default true).
    #[serde(default)]
    pub header: Option<bool>,
    /// Numbers and booleans from CSV cells and XML text (default true).
    #[serde(default)]
    pub infer_types: Option<bool>,
    /// How XML maps to JSON and back (attribute prefix, text key, forced arrays, namespaces,
    /// root and item names, declaration, indentation).
    #[serde(default)]
    pub xml: Option<crate::xml::XmlOptions>,
    /// Spreadsheets: the sheet by name, or by position from 0 (default the first).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub sheet: Option<serde_json::Value>,
    /// Spreadsheets: an A1-style range (`B2:F100`); default the used area.
    #[serde(default)]
    pub range: Option<String>,
    /// Spreadsheets: every sheet, as an object of records by sheet name.
    #[serde(default)]
    pub all_sheets: bool,
}

/// Query-string form: the body is the data.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConvertQuery {
    /// Source format; when given (with `to`), the raw body is the data and the answer is the
    /// converted data itself.
    pub from: Option<Format>,
    /// Target format.
    pub to: Option<Format>,
    /// The CSV field delimiter.
    pub delimiter: Option<String>,
    /// Whether the first CSV row names the columns.
    pub header: Option<bool>,
    /// Numbers and booleans from CSV cells and XML text.
    pub infer_types: Option<bool>,
    /// XML: the root element's name when writing.
    pub root: Option<String>,
    /// XML: element names that are always arrays when reading, comma-separated.
    pub arrays: Option<String>,
    /// Spreadsheets: the sheet's name, or its position from 0 when all digits.
    pub sheet: Option<String>,
    /// Spreadsheets: an A1-style range.
    pub range: Option<String>,
    /// Spreadsheets: every sheet, by name.
    pub all_sheets: Option<bool>,
}

fn csv_options(
    fmt: Format,
    delimiter: Option<&str>,
    header: Option<bool>,
    infer: Option<bool>,
) -> Result<CsvOptions, ApiError> {
    let delimiter = match delimiter {
        None => {
            if fmt == Format::Tsv {
                b'\t'
            } else {
                b','
            }
        }
        Some(d) if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
        Some("\\t") => b'\t',
        Some(d) => {
            return Err(ApiError::field(
                "delimiter",
                format!("must be one ASCII character; got {d:?}"),
            ));
        }
    };
    Ok(CsvOptions {
        delimiter,
        header: header.unwrap_or(true),
        infer_types: infer.unwrap_or(true),
    })
}

fn cerr(e: ConvertError) -> ApiError {
    ApiError::field(e.field, e.message)
}

/// CSV or TSV text as JSON records (or rows), for conversions that need a value.
fn csv_records(
    text: &[u8],
    opt: CsvOptions,
    lim: CsvLimits,
) -> Result<serde_json::Value, ApiError> {
    let mut json = Vec::new();
    convert::csv_to_json(text, opt, lim, false, &mut json).map_err(cerr)?;
    serde_json::from_slice(&json).map_err(ApiError::internal)
}

/// The converted data: JSON text for `json`, text for the others.
fn convert_bytes(
    from: Format,
    to: Format,
    input: Input,
    opts: &ConvertOpts,
    st: &DataState,
) -> Result<Vec<u8>, ApiError> {
    let (opt_from, opt_to, xml) = (opts.from, opts.to, &opts.xml);
    fn text_of(input: &Input, from: Format) -> Result<&[u8], ApiError> {
        match input {
            Input::Bytes(b) => Ok(b),
            Input::Json(serde_json::Value::String(s)) => Ok(s.as_bytes()),
            Input::Json(v) => Err(ApiError::field(
                "data",
                format!(
                    "must be a string for {}; got {}",
                    from.name(),
                    convert::kind(v)
                ),
            )),
        }
    }
    let json_of = |input: Input| -> Result<serde_json::Value, ApiError> {
        match (from, input) {
            (Format::Xlsx | Format::Xls | Format::Ods, input) => {
                let decoded;
                let bytes: &[u8] = match &input {
                    Input::Bytes(b) => b,
                    Input::Json(serde_json::Value::String(s)) => {
                        decoded = flowforge_kit::binary::decode_base64(s, "data")?;
                        &decoded
                    }
                    Input::Json(v) => {
                        return Err(ApiError::field(
                            "data",
                            format!(
                                "must be a base64 string for {}; got {}",
                                from.name(),
                                convert::kind(v)
                            ),
                        ));
                    }
                };
                crate::sheet::read(bytes, from, &opts.sheet, st.sheet).map_err(cerr)
            }
            (Format::Json, Input::Json(v)) => Ok(v),
            (Format::Json, Input::Bytes(b)) => {
                if depth_over(&b, st.max_depth) {
                    return Err(too_deep("data", st.max_depth));
                }
                serde_json::from_slice(&b)
                    .map_err(|e| ApiError::field("data", format!("is not JSON: {e}")))
            }
            (Format::Ndjson, input) => {
                let t = text_of(&input, from)?;
                convert::parse_ndjson(t)
                    .map(serde_json::Value::Array)
                    .map_err(cerr)
            }
            (Format::Yaml, input) => convert::parse_yaml(text_of(&input, from)?).map_err(cerr),
            (Format::Toml, input) => convert::parse_toml(text_of(&input, from)?).map_err(cerr),
            (Format::Xml, input) => crate::xml::parse_xml(
                text_of(&input, from)?,
                xml,
                opt_from.infer_types,
                st.max_depth,
            )
            .map_err(cerr),
            (Format::Csv | Format::Tsv, input) => {
                csv_records(text_of(&input, from)?, opt_from, st.csv)
            }
        }
    };
    match (from, to) {
        (Format::Csv | Format::Tsv, Format::Json | Format::Ndjson) => {
            let t = text_of(&input, from)?;
            let mut out = Vec::with_capacity(t.len() * 2);
            convert::csv_to_json(t, opt_from, st.csv, to == Format::Ndjson, &mut out)
                .map_err(cerr)?;
            Ok(out)
        }
        (Format::Csv | Format::Tsv, Format::Csv | Format::Tsv) => {
            let keep = CsvOptions {
                infer_types: false,
                ..opt_from
            };
            let v = csv_records(text_of(&input, from)?, keep, st.csv)?;
            convert::json_to_csv(&v, opt_to).map_err(cerr)
        }
        (_, Format::Json) => {
            let v = json_of(input)?;
            serde_json::to_vec(&v).map_err(ApiError::internal)
        }
        (_, Format::Ndjson) => Ok(convert::to_ndjson(&json_of(input)?)),
        (_, Format::Csv | Format::Tsv) => {
            convert::json_to_csv(&json_of(input)?, opt_to).map_err(cerr)
        }
        (_, Format::Yaml) => convert::to_yaml(&json_of(input)?).map_err(cerr),
        (_, Format::Toml) => convert::to_toml(&json_of(input)?).map_err(cerr),
        (_, Format::Xml) => crate::xml::to_xml(&json_of(input)?, xml).map_err(cerr),
        (_, Format::Xlsx) => crate::sheet::write_xlsx(&json_of(input)?).map_err(cerr),
        (_, Format::Xls | Format::Ods) => Err(ApiError::field(
            "to",
            format!("{} is read, not written: write xlsx", to.name()),
        )),
    }
}

enum Input {
    Bytes(axum::body::Bytes),
    Json(serde_json::Value),
}

/// Everything that shapes one conversion besides the formats.
struct ConvertOpts {
    from: CsvOptions,
    to: CsvOptions,
    xml: crate::xml::XmlOptions,
    sheet: crate::sheet::ReadOptions,
}

fn content_type_of(f: Format) -> &'static str {
    match f {
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

/// Convert between JSON, NDJSON, CSV, TSV, YAML, TOML, XML and spreadsheets (XLSX, XLS, ODS).
#[utoipa::path(post, path = "/api/v1/data/convert", tag = "data", request_body = ConvertRequest, params(ConvertQuery),
    responses((status = 200, description = "`{\"data\": …}`: JSON for json, a string for the text formats (raw-body calls get the converted data itself)", body = Object), Errors))]
pub async fn convert_handler(
    State(st): State<St>,
    Query(q): Query<ConvertQuery>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Body,
) -> Result<Response, ApiError> {
    let (q, bytes) = if flowforge_kit::extract::content_type(&headers)
        .starts_with("multipart/form-data")
    {
        // Multipart (n8n's Form-Data body): the file in `file`, the options as fields.
        let input = flowforge_kit::binary::read_binary(
            &headers,
            uri.query(),
            body,
            st.max_body,
            &flowforge_kit::binary::FetchPolicy::default(),
        )
        .await?;
        let mut opts = input.options;
        if let Some(serde_json::Value::Number(n)) = opts.get("sheet") {
            let s = n.to_string();
            opts.insert("sheet".into(), serde_json::Value::String(s));
        }
        for k in ["delimiter", "root", "arrays", "range"] {
            if let Some(v) = opts.get(k).filter(|v| !v.is_string()) {
                let s = v.to_string();
                opts.insert(k.into(), serde_json::Value::String(s));
            }
        }
        let q: ConvertQuery = flowforge_kit::extract::from_value(serde_json::Value::Object(opts))?;
        if q.from.is_none() || q.to.is_none() {
            return Err(ApiError::field(
                if q.from.is_none() { "from" } else { "to" },
                "is required as a form field (or in the query string) beside the `file` part",
            ));
        }
        (q, input.bytes)
    } else {
        (q, read_sized(&headers, body, st.max_body).await?)
    };
    let st2 = st.clone();
    let wants_json = flowforge_kit::binary::wants_json(&headers);
    let raw = match (q.from, q.to) {
        (Some(f), Some(t)) => Some((f, t)),
        (None, None) => None,
        (Some(_), None) => return Err(ApiError::field("to", "is needed with `from`")),
        (None, Some(_)) => return Err(ApiError::field("from", "is needed with `to`")),
    };
    if raw.is_none() && !is_json(&headers) {
        return Err(unsupported_media_type(
            &flowforge_kit::extract::content_type(&headers),
            "application/json (or give `from` and `to` in the query string and send the data as the body)",
        ));
    }
    // Large CSV/TSV to JSON or NDJSON: checked in a first pass (so that a bad row is still a 400),
    // then streamed in 1 MiB chunks, so memory stays near the input's size.
    if let Some((from @ (Format::Csv | Format::Tsv), to @ (Format::Json | Format::Ndjson))) = raw {
        let opt = csv_options(from, q.delimiter.as_deref(), q.header, q.infer_types)?;
        return stream_csv(st, bytes, opt, to).await;
    }
    st.cpu
        .run(move || {
            let st = st2;
            match raw {
                Some((from, to)) => {
                    let mut xml = crate::xml::XmlOptions::default();
                    if let Some(r) = q.root {
                        xml.root = r;
                    }
                    if let Some(a) = &q.arrays {
                        xml.arrays = a.split(',').map(|s| s.trim().to_string()).collect();
                    }
                    let opts = ConvertOpts {
                        from: csv_options(from, q.delimiter.as_deref(), q.header, q.infer_types)?,
                        to: csv_options(to, q.delimiter.as_deref(), q.header, q.infer_types)?,
                        xml,
                        sheet: crate::sheet::ReadOptions {
                            sheet: q.sheet.map(|s| match s.parse::<u64>() {
                                Ok(n) => serde_json::Value::from(n),
                                Err(_) => serde_json::Value::String(s),
                            }),
                            range: q.range,
                            header: q.header.unwrap_or(true),
                            all_sheets: q.all_sheets.unwrap_or(false),
                        },
                    };
                    let out = convert_bytes(from, to, Input::Bytes(bytes), &opts, &st)?;
                    if to.is_binary() && wants_json {
                        use base64::Engine;
                        let b64 = base64::engine::general_purpose::STANDARD.encode(&out);
                        return Ok(json_response(
                            serde_json::to_vec(&serde_json::json!({ "data": b64 }))
                                .map_err(ApiError::internal)?,
                        ));
                    }
                    let mut res = (
                        [(
                            header::CONTENT_TYPE,
                            HeaderValue::from_static(content_type_of(to)),
                        )],
                        out,
                    )
                        .into_response();
                    if to.is_binary() {
                        res.headers_mut().insert(
                            header::CONTENT_DISPOSITION,
                            HeaderValue::from_static("attachment; filename=\"data.xlsx\""),
                        );
                    }
                    Ok(res)
                }
                None => {
                    if depth_over(&bytes, st.max_depth + 1) {
                        return Err(too_deep("data", st.max_depth));
                    }
                    let r: ConvertRequest = parse_json(&bytes)?;
                    let opts = ConvertOpts {
                        from: csv_options(r.from, r.delimiter.as_deref(), r.header, r.infer_types)?,
                        to: csv_options(r.to, r.delimiter.as_deref(), r.header, r.infer_types)?,
                        xml: r.xml.unwrap_or_default(),
                        sheet: crate::sheet::ReadOptions {
                            sheet: r.sheet,
                            range: r.range,
                            header: r.header.unwrap_or(true),
                            all_sheets: r.all_sheets,
                        },
                    };
                    let out = convert_bytes(r.from, r.to, Input::Json(r.data), &opts, &st)?;
                    let mut body = Vec::with_capacity(out.len() + 16);
                    body.extend_from_slice(b"{\"data\":");
                    if r.to == Format::Json {
                        body.extend_from_slice(&out);
                    } else if r.to.is_binary() {
                        use base64::Engine;
                        let b64 = base64::engine::general_purpose::STANDARD.encode(&out);
                        serde_json::to_writer(&mut body, &b64).map_err(ApiError::internal)?;
                    } else {
                        let text = String::from_utf8_lossy(&out);
                        serde_json::to_writer(&mut body, &*text).map_err(ApiError::internal)?;
                    }
                    body.push(b'}');
                    Ok(json_response(body))
                }
            }
        })
        .await?
}

fn op_error(e: crate::json_ops::OpError) -> ApiError {
    if e.unprocessable {
        ApiError::unprocessable(e.field, e.message)
    } else {
        ApiError::field(e.field, e.message)
    }
}

async fn respond<T, R, F>(st: &St, op: &'static str, p: Payload<T>, f: F) -> Response
where
    T: Send + 'static,
    R: serde::Serialize,
    F: Fn(T) -> Result<R, ApiError> + Send + 'static,
{
    p.respond_on(&st.cpu, true, (crate::NAME, op), f).await
}

/// The result of a JSON operation.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"data":{"a.b":1}}))]
pub struct DataResult {
    /// The result.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

fn default_sep() -> String {
    ".".into()
}

/// Flatten nested data into one object of paths.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"data":{"a":{"b":1,"c":[10,20]}}}))]
pub struct FlattenRequest {
    /// An object or array.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// Between keys (default `.`).
    #[serde(default = "default_sep")]
    pub separator: String,
    /// `dotted` (`a.0.b`, default) or `bracketed` (`a[0].b`).
    #[serde(default)]
    pub arrays: ArrayStyle,
}

/// Flatten: `{"a":{"b":1}}` → `{"a.b":1}`.
#[utoipa::path(post, path = "/api/v1/data/json/flatten", tag = "data", request_body = FlattenRequest,
    responses((status = 200, description = "Paths to values", body = DataResult), Errors))]
pub async fn json_flatten(State(st): State<St>, p: Payload<FlattenRequest>) -> Response {
    respond(&st, "json_flatten", p, |r| {
        if r.separator.is_empty() {
            return Err(ApiError::field("separator", "must not be empty"));
        }
        Ok(DataResult {
            data: serde_json::Value::Object(json_ops::flatten(&r.data, &r.separator, r.arrays)),
        })
    })
    .await
}

/// Rebuild nesting from paths.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"data":{"a.b":1,"a.c[0]":10}}))]
pub struct UnflattenRequest {
    /// An object of paths to values.
    #[schema(value_type = Object)]
    pub data: serde_json::Map<String, serde_json::Value>,
    /// Between keys (default `.`).
    #[serde(default = "default_sep")]
    pub separator: String,
    /// All-digit dotted segments are array positions (default true); `[n]` always is.
    #[serde(default = "yes")]
    pub numeric_keys_as_indexes: bool,
}

fn yes() -> bool {
    true
}

/// Unflatten: `{"a.b":1}` → `{"a":{"b":1}}`.
#[utoipa::path(post, path = "/api/v1/data/json/unflatten", tag = "data", request_body = UnflattenRequest,
    responses((status = 200, description = "Nested data", body = DataResult), Errors))]
pub async fn json_unflatten(State(st): State<St>, p: Payload<UnflattenRequest>) -> Response {
    respond(&st, "json_unflatten", p, |r| {
        if r.separator.is_empty() {
            return Err(ApiError::field("separator", "must not be empty"));
        }
        Ok(DataResult {
            data: json_ops::unflatten(&r.data, &r.separator, r.numeric_keys_as_indexes)
                .map_err(op_error)?,
        })
    })
    .await
}

/// Deep-merge values.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"objects":[{"a":{"x":1},"l":[1]},{"a":{"y":2},"l":[2]}],"arrays":"concat"}))]
pub struct MergeRequest {
    /// Two or more values, merged left to right (later wins).
    #[schema(value_type = Vec<Object>)]
    pub objects: Vec<serde_json::Value>,
    /// Arrays at the same place: `replace` (default), `concat`, `union`, `merge-by-index`.
    #[serde(default)]
    pub arrays: ArrayMerge,
}

/// Deep merge: objects key by key, arrays by the named policy.
#[utoipa::path(post, path = "/api/v1/data/json/merge", tag = "data", request_body = MergeRequest,
    responses((status = 200, description = "The merged value", body = DataResult), Errors))]
pub async fn json_merge(State(st): State<St>, p: Payload<MergeRequest>) -> Response {
    respond(&st, "json_merge", p, |r| {
        let mut it = r.objects.into_iter();
        let mut acc = it
            .next()
            .ok_or_else(|| ApiError::field("objects", "needs at least one value"))?;
        for v in it {
            json_ops::merge(&mut acc, &v, r.arrays);
        }
        Ok(DataResult { data: acc })
    })
    .await
}

/// Two values to compare.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"from":{"a":1,"b":[1,2]},"to":{"a":2,"b":[1]}}))]
pub struct DiffRequest {
    /// The original.
    #[schema(value_type = Object)]
    pub from: serde_json::Value,
    /// The changed version.
    #[schema(value_type = Object)]
    pub to: serde_json::Value,
}

/// The RFC 6902 patch.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"patch":[{"op":"replace","path":"/a","value":2},{"op":"remove","path":"/b/1"}]}))]
pub struct DiffResponse {
    /// Operations that turn `from` into `to`.
    #[schema(value_type = Vec<Object>)]
    pub patch: Vec<serde_json::Value>,
}

/// Diff two values as an RFC 6902 JSON Patch.
#[utoipa::path(post, path = "/api/v1/data/json/diff", tag = "data", request_body = DiffRequest,
    responses((status = 200, description = "The patch", body = DiffResponse), Errors))]
pub async fn json_diff(State(st): State<St>, p: Payload<DiffRequest>) -> Response {
    respond(&st, "json_diff", p, |r| {
        Ok(DiffResponse {
            patch: json_ops::diff(&r.from, &r.to),
        })
    })
    .await
}

/// A document and a patch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"data":{"a":1},"patch":[{"op":"add","path":"/b","value":2}]}))]
pub struct PatchRequest {
    /// The document.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// RFC 6902 operations (for `json/patch`) or an RFC 7386 merge patch (for `json/merge-patch`).
    #[schema(value_type = Object)]
    pub patch: serde_json::Value,
}

/// Apply an RFC 6902 JSON Patch; a failed `test` or a missing path is 422 naming the operation.
#[utoipa::path(post, path = "/api/v1/data/json/patch", tag = "data", request_body = PatchRequest,
    responses((status = 200, description = "The patched document", body = DataResult), Errors))]
pub async fn json_patch(State(st): State<St>, p: Payload<PatchRequest>) -> Response {
    respond(&st, "json_patch", p, |mut r| {
        let ops = r
            .patch
            .as_array()
            .ok_or_else(|| ApiError::field("patch", "must be an array of operations (RFC 6902)"))?;
        json_ops::apply_patch(&mut r.data, ops).map_err(op_error)?;
        Ok(DataResult { data: r.data })
    })
    .await
}

/// Apply an RFC 7386 JSON Merge Patch (`null` removes a key).
#[utoipa::path(post, path = "/api/v1/data/json/merge-patch", tag = "data", request_body = PatchRequest,
    responses((status = 200, description = "The patched document", body = DataResult), Errors))]
pub async fn json_merge_patch(State(st): State<St>, p: Payload<PatchRequest>) -> Response {
    respond(&st, "json_merge_patch", p, |mut r| {
        json_ops::merge_patch(&mut r.data, &r.patch);
        Ok(DataResult { data: r.data })
    })
    .await
}

/// Paths to keep or drop.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"data":[{"id":1,"user":{"name":"a","pw":"x"}}],"paths":["id","user.name"]}))]
pub struct PathsRequest {
    /// An object, or an array of records (each handled).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// Dotted paths (`user.name`) or JSON Pointers (`/user/name`).
    pub paths: Vec<String>,
}

/// Keep only the given paths.
#[utoipa::path(post, path = "/api/v1/data/json/pick", tag = "data", request_body = PathsRequest,
    responses((status = 200, description = "The picked data", body = DataResult), Errors))]
pub async fn json_pick(State(st): State<St>, p: Payload<PathsRequest>) -> Response {
    respond(&st, "json_pick", p, |r| {
        Ok(DataResult {
            data: json_ops::pick(&r.data, &r.paths),
        })
    })
    .await
}

/// Drop the given paths.
#[utoipa::path(post, path = "/api/v1/data/json/omit", tag = "data", request_body = PathsRequest,
    responses((status = 200, description = "The data without them", body = DataResult), Errors))]
pub async fn json_omit(State(st): State<St>, p: Payload<PathsRequest>) -> Response {
    respond(&st, "json_omit", p, |mut r| {
        json_ops::omit(&mut r.data, &r.paths);
        Ok(DataResult { data: r.data })
    })
    .await
}

/// Keys to rename.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"data":[{"first_name":"Ada"}],"rename":{"first_name":"firstName"}}))]
pub struct RenameRequest {
    /// An object, or an array of records.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// Old name → new name.
    #[schema(value_type = Object)]
    pub rename: serde_json::Map<String, serde_json::Value>,
    /// Rename at every level, not only the top (default false).
    #[serde(default)]
    pub deep: bool,
}

/// Rename keys (as n8n's Rename Keys node).
#[utoipa::path(post, path = "/api/v1/data/json/rename-keys", tag = "data", request_body = RenameRequest,
    responses((status = 200, description = "The data with keys renamed", body = DataResult), Errors))]
pub async fn json_rename_keys(State(st): State<St>, p: Payload<RenameRequest>) -> Response {
    respond(&st, "json_rename_keys", p, |mut r| {
        if let Some((k, v)) = r.rename.iter().find(|(_, v)| !v.is_string()) {
            return Err(ApiError::field(
                format!("rename.{k}"),
                format!("must be the new name (a string); got {v}"),
            ));
        }
        json_ops::rename_keys(&mut r.data, &r.rename, r.deep);
        Ok(DataResult { data: r.data })
    })
    .await
}

/// Bytes per streamed chunk.
const CHUNK: usize = 1 << 20;

async fn stream_csv(
    st: St,
    bytes: axum::body::Bytes,
    opt: CsvOptions,
    to: Format,
) -> Result<Response, ApiError> {
    let ndjson = to == Format::Ndjson;
    let (check, lim) = (bytes.clone(), st.csv);
    st.cpu
        .run(move || {
            let mut scratch = Vec::with_capacity(CHUNK + 4096);
            convert::csv_to_json_chunked(&check, opt, lim, ndjson, &mut scratch, CHUNK, &mut |b| {
                b.clear();
                true
            })
            .map_err(cerr)
        })
        .await??;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(4);
    let pool = st.cpu.clone();
    let tx_err = tx.clone();
    tokio::spawn(async move {
        let ran = pool
            .run(move || {
                let mut out = Vec::with_capacity(CHUNK + 4096);
                let mut send = |b: &mut Vec<u8>| {
                    let chunk = axum::body::Bytes::from(std::mem::replace(
                        b,
                        Vec::with_capacity(CHUNK + 4096),
                    ));
                    tx.blocking_send(Ok(chunk)).is_ok()
                };
                if convert::csv_to_json_chunked(
                    &bytes, opt, lim, ndjson, &mut out, CHUNK, &mut send,
                )
                .is_ok()
                {
                    send(&mut out);
                }
            })
            .await;
        // A busy pool after the check: end the body with an error rather than silently short.
        if let Err(e) = ran {
            let _ = tx_err.send(Err(std::io::Error::other(e.message))).await;
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type_of(to)),
        )],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Text to encode or decode.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"data":"a b&c","encoding":"url"}))]
pub struct EncodeRequest {
    /// The text.
    pub data: String,
    /// base64, base64url, hex, url (component), form (`+` for space) or html (entities).
    pub encoding: Encoding,
}

/// The result.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"data":"a%20b%26c"}))]
pub struct TextResult {
    /// The encoded or decoded text.
    pub data: String,
}

/// Encode text: base64, base64url, hex, URL component or form, HTML entities.
#[utoipa::path(post, path = "/api/v1/data/encode", tag = "data", request_body = EncodeRequest,
    responses((status = 200, description = "The encoded text", body = TextResult), Errors))]
pub async fn encode_handler(State(st): State<St>, p: Payload<EncodeRequest>) -> Response {
    respond(&st, "encode", p, |r| {
        Ok(TextResult {
            data: encode::encode(&r.data, r.encoding),
        })
    })
    .await
}

/// Decode text; invalid input (a bad `%` escape, non-base64, bytes that are not UTF-8) is 400 on `data`.
#[utoipa::path(post, path = "/api/v1/data/decode", tag = "data", request_body = EncodeRequest,
    responses((status = 200, description = "The decoded text", body = TextResult), Errors))]
pub async fn decode_handler(State(st): State<St>, p: Payload<EncodeRequest>) -> Response {
    respond(&st, "decode", p, |r| {
        Ok(TextResult {
            data: encode::decode(&r.data, r.encoding).map_err(|m| ApiError::field("data", m))?,
        })
    })
    .await
}

flowforge_kit::wire_enum! {
    /// What to do with a regular expression.
    pub enum RegexOp {
        /// `{"matches": true|false}`
        Test = "test",
        /// `{"matches": [{match, start, end, groups, named}]}`
        Extract = "extract" | "match",
        /// `{"data": text with matches replaced}` (`$1`, `${name}` in the replacement)
        Replace = "replace",
        /// `{"parts": [...]}` split at matches
        Split = "split",
    }
}

/// A regular-expression operation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text":"a@x.org, b@y.com","pattern":"(?P<user>\\w+)@(?P<host>[\\w.]+)","op":"extract"}))]
pub struct RegexRequest {
    /// The text.
    pub text: String,
    /// The pattern (Rust `regex` syntax: Perl-like, no backreferences or lookaround; linear time).
    pub pattern: String,
    /// test, extract, replace or split.
    pub op: RegexOp,
    /// For `replace`: the replacement (`$1`, `${name}`; `$$` for a dollar).
    #[serde(default)]
    pub replacement: Option<String>,
    /// `i`, `m`, `s`, `x` (and `g`, accepted; `all` decides).
    #[serde(default)]
    pub flags: String,
    /// Every match (default true) or only the first.
    #[serde(default = "yes")]
    pub all: bool,
}

/// Test, extract (numbered and named groups), replace or split with a regular expression.
#[utoipa::path(post, path = "/api/v1/data/text/regex", tag = "data", request_body = RegexRequest,
    responses((status = 200, description = "By op: matches, data or parts", body = Object), Errors))]
pub async fn text_regex(State(st): State<St>, p: Payload<RegexRequest>) -> Response {
    let size = st.regex_size;
    respond(&st, "text_regex", p, move |r| {
        let re = text::compile(&r.pattern, &r.flags, size).map_err(|(f, m)| {
            let m = if m.contains("exceeds size limit") {
                format!("{m} (DATA_REGEX_MAX_SIZE is {size} bytes)")
            } else {
                m
            };
            ApiError::field(f, m)
        })?;
        Ok(match r.op {
            RegexOp::Test => serde_json::json!({"matches": re.is_match(&r.text)}),
            RegexOp::Extract => {
                serde_json::json!({"matches": text::extract(&re, &r.text, r.all, 100_000)})
            }
            RegexOp::Replace => {
                let rep = r
                    .replacement
                    .as_deref()
                    .ok_or_else(|| ApiError::field("replacement", "is required for `replace`"))?;
                let out = if r.all {
                    re.replace_all(&r.text, rep)
                } else {
                    re.replace(&r.text, rep)
                };
                serde_json::json!({"data": out})
            }
            RegexOp::Split => {
                serde_json::json!({"parts": re.split(&r.text).collect::<Vec<_>>()})
            }
        })
    })
    .await
}

flowforge_kit::wire_enum! {
    /// A text transformation.
    pub enum TextOp {
        /// Change case (`case`).
        Case = "case",
        /// Trim whitespace at both ends.
        Trim = "trim",
        /// At most `length` characters, with `ellipsis` (default `…`), at a word boundary when `words`.
        Truncate = "truncate",
        /// Split at `separator` into `parts`.
        Split = "split",
        /// Join `parts` with `separator` (default `,`); numbers and booleans as written.
        Join = "join",
        /// Text of an HTML fragment (tags, scripts and styles dropped; entities decoded).
        StripHtml = "strip-html" | "strip_html",
    }
}

/// A text transformation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text":"Grüße & Café","op":"case","case":"slug"}))]
pub struct TextRequest {
    /// The text (not needed for `join`).
    #[serde(default)]
    pub text: String,
    /// For `join`: the strings (or numbers, booleans) to join.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub parts: Option<Vec<serde_json::Value>>,
    /// case, trim, truncate, split, join or strip-html.
    pub op: TextOp,
    /// For `case`: lower, upper, title, sentence, camel, pascal, snake, kebab, constant, slug.
    #[serde(default)]
    pub case: Option<Case>,
    /// For `truncate`: the most characters.
    #[serde(default)]
    pub length: Option<usize>,
    /// For `truncate`: what marks a cut (default `…`).
    #[serde(default)]
    pub ellipsis: Option<String>,
    /// For `truncate`: cut at a word boundary.
    #[serde(default)]
    pub words: bool,
    /// For `split`: the separator (default `,`).
    #[serde(default)]
    pub separator: Option<String>,
}

/// Case conversion, slugs, trim, truncate, split, HTML to text.
#[utoipa::path(post, path = "/api/v1/data/text/transform", tag = "data", request_body = TextRequest,
    responses((status = 200, description = "`data` (or `parts` for split)", body = Object), Errors))]
pub async fn text_transform(State(st): State<St>, p: Payload<TextRequest>) -> Response {
    respond(&st, "text_transform", p, |r| {
        Ok(match r.op {
            TextOp::Case => {
                let c = r.case.ok_or_else(|| {
                    ApiError::field(
                        "case",
                        format!("is required for `case`: one of {}", Case::names()),
                    )
                })?;
                serde_json::json!({"data": text::convert_case(&r.text, c)})
            }
            TextOp::Trim => serde_json::json!({"data": r.text.trim()}),
            TextOp::Truncate => {
                let n = r
                    .length
                    .ok_or_else(|| ApiError::field("length", "is required for `truncate`"))?;
                let e = r.ellipsis.as_deref().unwrap_or("…");
                serde_json::json!({"data": text::truncate(&r.text, n, e, r.words)})
            }
            TextOp::Split => {
                let sep = r.separator.as_deref().unwrap_or(",");
                if sep.is_empty() {
                    return Err(ApiError::field("separator", "must not be empty"));
                }
                serde_json::json!({"parts": r.text.split(sep).collect::<Vec<_>>()})
            }
            TextOp::StripHtml => serde_json::json!({"data": text::strip_html(&r.text)}),
            TextOp::Join => {
                let parts = r
                    .parts
                    .ok_or_else(|| ApiError::field("parts", "is required for `join`"))?;
                let mut out = Vec::with_capacity(parts.len());
                for (i, p) in parts.iter().enumerate() {
                    out.push(match p {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => String::new(),
                        serde_json::Value::Number(_) | serde_json::Value::Bool(_) => p.to_string(),
                        other => {
                            return Err(ApiError::field(
                                format!("parts[{i}]"),
                                format!(
                                    "must be a string, number or boolean; got {}",
                                    convert::kind(other)
                                ),
                            ));
                        }
                    });
                }
                serde_json::json!({"data": out.join(r.separator.as_deref().unwrap_or(","))})
            }
        })
    })
    .await
}

flowforge_kit::wire_enum! {
    /// An operation on a list of records.
    pub enum ItemsOp {
        /// Sort by `by` (paths; `-path` for descending), stable.
        Sort = "sort",
        /// Keep items passing `where` (all conditions, or any with `"match":"any"`).
        Filter = "filter",
        /// Drop repeats of `keys` (or of whole items), keeping the first.
        Dedupe = "dedupe" | "unique",
        /// One record per distinct `by`, with `aggregates`.
        Group = "group" | "aggregate",
        /// One item per element of the array at `field`.
        SplitOut = "split-out" | "split_out",
        /// Lists of `size` items.
        Chunk = "chunk",
        /// The first (or, with `fromEnd`, last) `count` items.
        Limit = "limit",
        /// Join `left` and `right` on `leftKey` = `rightKey` (`join`: inner, left, outer).
        Join = "join" | "merge",
        /// Compare `a` and `b` by `keys`: added, removed, changed, unchanged.
        Compare = "compare",
    }
}

/// An operation on records.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"op":"group","data":[{"city":"Oslo","age":30},{"city":"Oslo","age":40}],"by":["city"],"aggregates":[{"op":"count"},{"op":"avg","key":"age"}]}))]
pub struct ItemsRequest {
    /// sort, filter, dedupe, group, split-out, chunk, limit, join, compare.
    pub op: ItemsOp,
    /// The records (all but join and compare). Named `data` because a top-level `items` is
    /// the batch form every operation takes.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub data: Option<Vec<serde_json::Value>>,
    /// sort: keys (`-key` descending); group: keys to group by.
    #[serde(default)]
    pub by: Vec<String>,
    /// filter: conditions.
    #[serde(default, rename = "where")]
    pub conditions: Vec<items::Condition>,
    /// filter: `all` (default) or `any`.
    #[serde(default, rename = "match")]
    pub match_: Option<String>,
    /// dedupe and compare: the identifying keys (empty: whole items).
    #[serde(default)]
    pub keys: Vec<String>,
    /// group: what to compute per group.
    #[serde(default)]
    pub aggregates: Vec<items::Aggregate>,
    /// split-out: the array field.
    #[serde(default)]
    pub field: Option<String>,
    /// split-out: keep the parent's other fields (default true).
    #[serde(default = "yes")]
    pub include_parent: bool,
    /// split-out: name for non-object elements (default the field's name).
    #[serde(default, rename = "as")]
    pub name: Option<String>,
    /// chunk: items per chunk.
    #[serde(default)]
    pub size: Option<usize>,
    /// limit: how many.
    #[serde(default)]
    pub count: Option<usize>,
    /// limit: take from the end.
    #[serde(default)]
    pub from_end: bool,
    /// join: the left list.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub left: Option<Vec<serde_json::Value>>,
    /// join: the right list.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub right: Option<Vec<serde_json::Value>>,
    /// join: key path in left items.
    #[serde(default)]
    pub left_key: Option<String>,
    /// join: key path in right items (default `leftKey`).
    #[serde(default)]
    pub right_key: Option<String>,
    /// join: inner (default), left, outer.
    #[serde(default)]
    pub join: Option<items::JoinType>,
    /// compare: the first list.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub a: Option<Vec<serde_json::Value>>,
    /// compare: the second list.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub b: Option<Vec<serde_json::Value>>,
}

fn need<T>(v: Option<T>, field: &str, op: ItemsOp) -> Result<T, ApiError> {
    v.ok_or_else(|| ApiError::field(field, format!("is required for `{op}`")))
}

/// Sort, filter, dedupe, group with aggregates, split out, chunk, limit, join or compare records.
#[utoipa::path(post, path = "/api/v1/data/items", tag = "data", request_body = ItemsRequest,
    responses((status = 200, description = "`data` (compare: added, removed, changed, unchanged)", body = Object), Errors))]
pub async fn items_handler(State(st): State<St>, p: Payload<ItemsRequest>) -> Response {
    respond(&st, "items", p, |r| {
        let op = r.op;
        let list = |v: Option<Vec<serde_json::Value>>| need(v, "data", op);
        Ok(match op {
            ItemsOp::Sort => {
                if r.by.is_empty() {
                    return Err(ApiError::field("by", "needs at least one key for `sort`"));
                }
                let mut xs = list(r.data)?;
                items::sort(&mut xs, &r.by);
                serde_json::json!({"data": xs})
            }
            ItemsOp::Filter => {
                let any = match r.match_.as_deref() {
                    None | Some("all") => false,
                    Some("any") => true,
                    Some(other) => {
                        return Err(ApiError::field("match", format!("{other:?} is not `all` or `any`")));
                    }
                };
                let xs: Vec<_> = list(r.data)?
                    .into_iter()
                    .filter(|it| {
                        let mut t = r.conditions.iter().map(|c| items::passes(it, c));
                        if any { t.any(|x| x) } else { t.all(|x| x) }
                    })
                    .collect();
                serde_json::json!({"data": xs})
            }
            ItemsOp::Dedupe => serde_json::json!({"data": items::dedupe(list(r.data)?, &r.keys)}),
            ItemsOp::Group => {
                let xs = list(r.data)?;
                if let Some((i, _)) = r
                    .aggregates
                    .iter()
                    .enumerate()
                    .find(|(_, a)| a.key.is_none() && a.op != items::Agg::Count)
                {
                    return Err(ApiError::field(
                        format!("aggregates[{i}].key"),
                        "is required for every aggregate but count",
                    ));
                }
                serde_json::json!({"data": items::group(&xs, &r.by, &r.aggregates)})
            }
            ItemsOp::SplitOut => {
                let f = need(r.field, "field", op)?;
                let xs = list(r.data)?;
                serde_json::json!({"data": items::split_out(&xs, &f, r.include_parent, r.name.as_deref().unwrap_or(""))})
            }
            ItemsOp::Chunk => {
                let n = need(r.size, "size", op)?;
                if n == 0 {
                    return Err(ApiError::field("size", "must be at least 1"));
                }
                let xs = list(r.data)?;
                serde_json::json!({"data": xs.chunks(n).collect::<Vec<_>>()})
            }
            ItemsOp::Limit => {
                let n = need(r.count, "count", op)?;
                let mut xs = list(r.data)?;
                if r.from_end {
                    let cut = xs.len().saturating_sub(n);
                    xs.drain(..cut);
                } else {
                    xs.truncate(n);
                }
                serde_json::json!({"data": xs})
            }
            ItemsOp::Join => {
                let l = need(r.left, "left", op)?;
                let rt = need(r.right, "right", op)?;
                let lk = need(r.left_key, "leftKey", op)?;
                let rk = r.right_key.unwrap_or_else(|| lk.clone());
                let how = r.join.unwrap_or(items::JoinType::Inner);
                serde_json::json!({"data": items::join(&l, &rt, &lk, &rk, how)})
            }
            ItemsOp::Compare => {
                let a = need(r.a, "a", op)?;
                let b = need(r.b, "b", op)?;
                items::compare_lists(&a, &b, &r.keys)
            }
        })
    })
    .await
}

#[derive(OpenApi)]
#[openapi(tags((name = "data", description = "jq, format conversion, JSON operations, items, encodings, text")))]
struct DataApi;

/// The routes and their OpenAPI document.
pub fn router(state: DataState) -> (Router, utoipa::openapi::OpenApi) {
    let (r, doc) = OpenApiRouter::<St>::with_openapi(DataApi::openapi())
        .routes(routes!(jq_handler))
        .routes(routes!(convert_handler))
        .routes(routes!(json_flatten))
        .routes(routes!(json_unflatten))
        .routes(routes!(json_merge))
        .routes(routes!(json_diff))
        .routes(routes!(json_patch))
        .routes(routes!(json_merge_patch))
        .routes(routes!(json_pick))
        .routes(routes!(json_omit))
        .routes(routes!(json_rename_keys))
        .routes(routes!(encode_handler))
        .routes(routes!(decode_handler))
        .routes(routes!(text_regex))
        .routes(routes!(text_transform))
        .routes(routes!(items_handler))
        .routes(routes!(datetime::datetime_handler))
        .routes(routes!(template::template_handler))
        .routes(routes!(schema::validate_handler))
        .routes(routes!(html::markdown_to_html))
        .routes(routes!(html::html_to_markdown))
        .routes(routes!(html::html_extract))
        .split_for_parts();
    (r.with_state(Arc::new(state)), doc)
}
