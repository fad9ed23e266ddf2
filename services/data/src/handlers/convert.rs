//! `POST /api/v1/data/convert`.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use flowforge_kit::extract::{is_json, parse_json, unsupported_media_type};
use flowforge_kit::{ApiError, Query};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{St, json_response};
use crate::convert::request::{Input, Limits, Options};
use crate::convert::{self, CsvOptions, Format};
use crate::error::DataError;

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
    /// `json` answers a spreadsheet as `{"data": base64}` whatever Accept says; `file` as the
    /// file. Default: the file, unless Accept takes JSON and not the spreadsheet's type.
    pub response: Option<String>,
}

/// Convert between JSON, NDJSON, CSV, TSV, YAML, TOML, XML and spreadsheets (XLSX, XLS, ODS).
#[utoipa::path(post, path = "/api/v1/data/convert", tag = "data", request_body = ConvertRequest, params(ConvertQuery),
    responses((status = 200, description = "`{\"data\": …}`: JSON for json, a string for the text formats (raw-body calls, with `from` and `to` in the query string, get the converted data itself, in its own media type)",
        content((Object = "application/json"), ("application/x-ndjson"), ("text/csv"), ("text/tab-separated-values"),
            ("application/yaml"), ("application/toml"), ("application/xml"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn convert(
    State(st): State<St>,
    Query(q): Query<ConvertQuery>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Body,
) -> Result<Response, ApiError> {
    let (q, bytes, form) = if flowforge_kit::extract::content_type(&headers)
        .starts_with("multipart/form-data")
    {
        // Multipart (n8n's Form-Data body): the file in `file`, the options as fields.
        let input = flowforge_kit::binary::read_binary(
            &headers,
            uri.query(),
            body,
            st.config.max_body,
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
        (q, input.bytes, input.response)
    } else {
        let form = q
            .response
            .as_deref()
            .map(|r| flowforge_kit::binary::ResponseForm::parse(&serde_json::Value::from(r)))
            .transpose()?;
        (
            q,
            flowforge_kit::extract::read_body_sized(&headers, body, st.config.max_body).await?,
            form,
        )
    };
    let wants_json =
        |to: Format| flowforge_kit::binary::wants_json(&headers, form, to.media_type());
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
        let opt = CsvOptions::of(from, q.delimiter.as_deref(), q.header, q.infer_types)?;
        return stream_csv(st, bytes, opt, to).await;
    }
    let json_answer = raw.is_some_and(|(_, to)| wants_json(to));
    let c = &st.config;
    let lim = Limits {
        max_depth: c.max_depth,
        csv: c.csv,
        sheet: c.sheet,
    };
    st.cpu
        .run(move || match raw {
            Some((from, to)) => {
                let mut xml = crate::xml::XmlOptions::default();
                if let Some(r) = q.root {
                    xml.root = r;
                }
                if let Some(a) = &q.arrays {
                    xml.arrays = a.split(',').map(|s| s.trim().to_string()).collect();
                }
                let opts = Options {
                    delimiter: q.delimiter,
                    header: q.header,
                    infer_types: q.infer_types,
                    xml,
                    // A sheet given in the query string is a position when all digits.
                    sheet: q.sheet.map(|s| match s.parse::<u64>() {
                        Ok(n) => serde_json::Value::from(n),
                        Err(_) => serde_json::Value::String(s),
                    }),
                    range: q.range,
                    all_sheets: q.all_sheets.unwrap_or(false),
                };
                let out = convert::request::convert(from, to, Input::Bytes(&bytes), &opts, &lim)?;
                if to.is_binary() && json_answer {
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
                        HeaderValue::from_static(to.media_type()),
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
                if crate::jq::depth_over(&bytes, lim.max_depth + 1) {
                    return Err(DataError::too_deep("data", lim.max_depth).into());
                }
                let r: ConvertRequest = parse_json(&bytes)?;
                // Spreadsheets come as base64 text in JSON.
                let decoded;
                let input = match r.data {
                    serde_json::Value::String(s) if r.from.is_binary() => {
                        decoded = flowforge_kit::binary::decode_base64(&s, "data")?;
                        Input::Bytes(&decoded)
                    }
                    v => Input::Json(v),
                };
                let opts = Options {
                    delimiter: r.delimiter,
                    header: r.header,
                    infer_types: r.infer_types,
                    xml: r.xml.unwrap_or_default(),
                    sheet: r.sheet,
                    range: r.range,
                    all_sheets: r.all_sheets,
                };
                let out = convert::request::convert(r.from, r.to, input, &opts, &lim)?;
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
        })
        .await?
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
    let (check, lim) = (bytes.clone(), st.config.csv);
    st.cpu
        .run(move || {
            let mut scratch = Vec::with_capacity(CHUNK + 4096);
            convert::csv_to_json_chunked(&check, opt, lim, ndjson, &mut scratch, CHUNK, &mut |b| {
                b.clear();
                true
            })
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
            HeaderValue::from_static(to.media_type()),
        )],
        Body::from_stream(stream),
    )
        .into_response())
}
