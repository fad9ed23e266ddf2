//! Extractors that turn every rejection into the error envelope, naming the field's path and what
//! was expected: malformed JSON, a missing or unknown field, a wrong type, a wrong content type,
//! a body over the limit. Also [`Payload`], a request that is either one item or a batch.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ErrorCode, join_path};

/// The most items a batch may hold (`FLOWFORGE_BATCH_MAX`, held in the kit's configuration and
/// put on every request by its middleware); an extractor, so a handler that parses its own body
/// can take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchMax(pub usize);

impl Default for BatchMax {
    fn default() -> Self {
        BatchMax(1000)
    }
}

impl BatchMax {
    /// The limit the kit's middleware put on a request (the default where none is).
    pub fn of(extensions: &axum::http::Extensions) -> Self {
        extensions.get::<BatchMax>().copied().unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for BatchMax {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(BatchMax::of(&parts.extensions))
    }
}

/// True when the Content-Type is JSON (`application/json` or `application/*+json`), or absent.
pub fn is_json(headers: &HeaderMap) -> bool {
    match headers.get(header::CONTENT_TYPE) {
        None => true,
        Some(v) => {
            let essence = v.as_bytes().split(|b| *b == b';').next().unwrap_or(b"");
            let essence = essence.trim_ascii();
            let lower_starts =
                |p: &[u8]| essence.len() >= p.len() && essence[..p.len()].eq_ignore_ascii_case(p);
            essence.eq_ignore_ascii_case(b"application/json")
                || (lower_starts(b"application/")
                    && essence.len() >= 5
                    && essence[essence.len() - 5..].eq_ignore_ascii_case(b"+json"))
        }
    }
}

/// The Content-Type essence (`image/png`), lowercased, or empty.
pub fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.split(';').next())
        .map(|s| s.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The 415 answer for a body that is not JSON.
pub fn unsupported_media_type(found: &str, expected: &str) -> ApiError {
    let mut e = ApiError::new(
        ErrorCode::UnsupportedMediaType,
        format!("Content-Type {found:?} is not accepted here; send {expected}"),
    );
    e.details.push(crate::error::FieldError {
        field: "Content-Type".into(),
        message: format!("expected {expected}"),
    });
    e
}

/// Map axum's body-buffering rejection: over the limit is 413, anything else 400.
pub fn body_rejection(rej: axum::extract::rejection::BytesRejection) -> ApiError {
    if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
        payload_too_large(None)
    } else {
        ApiError::field("body", format!("could not read the request body: {rej}"))
    }
}

/// The 413 answer, naming the limit when known.
pub fn payload_too_large(limit: Option<u64>) -> ApiError {
    let msg = match limit {
        Some(n) => format!(
            "request body is larger than this route's limit of {n} bytes; send less data or raise the limit"
        ),
        None => "request body is larger than this route's limit; send less data or raise the limit"
            .to_string(),
    };
    let mut e = ApiError::new(ErrorCode::PayloadTooLarge, msg.clone());
    e.details.push(crate::error::FieldError {
        field: "body".into(),
        message: msg,
    });
    e
}

/// Deserialize JSON from bytes, turning serde's error into a field-level envelope.
///
/// The common case (valid input) parses once without tracking paths; only a failure parses again
/// with `serde_path_to_error` to name the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if let Ok(v) = serde_json::from_slice(bytes) {
        return Ok(v);
    }
    // `3.0` is a whole number to JSON Schema (and to JavaScript); serde wants `3` for an integer.
    if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes)
        && whole_floats_as_integers(&mut value)
        && let Ok(v) = serde_json::from_value(value)
    {
        return Ok(v);
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(de).map_err(json_error)?;
    Ok(value)
}

/// Deserialize from an already parsed JSON value (batch items), with the same errors.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    match serde_path_to_error::deserialize(&value) {
        Ok(v) => Ok(v),
        Err(e) => {
            let mut whole = value;
            if whole_floats_as_integers(&mut whole)
                && let Ok(v) = T::deserialize(&whole)
            {
                return Ok(v);
            }
            Err(json_error(e))
        }
    }
}

/// Numbers written with a zero fraction (`678.0`) as integers, where they fit exactly; whether
/// any changed. Used only after a typed read failed, so integer fields accept what JSON Schema
/// calls an integer.
fn whole_floats_as_integers(v: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
                *v = Value::from(f as i64);
                true
            }
            _ => false,
        },
        Value::Array(a) => a
            .iter_mut()
            .fold(false, |c, x| whole_floats_as_integers(x) | c),
        Value::Object(m) => m
            .values_mut()
            .fold(false, |c, x| whole_floats_as_integers(x) | c),
        _ => false,
    }
}

fn json_error(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = err.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let inner = err.into_inner();
    use serde_json::error::Category;
    match inner.classify() {
        Category::Syntax | Category::Eof | Category::Io => ApiError::field(
            "body",
            format!("malformed JSON: {inner}; send a valid JSON object"),
        ),
        Category::Data => {
            let raw = strip_position(&inner.to_string());
            data_error(&path, &raw)
        }
    }
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn backticked(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

fn data_error(path: &str, raw: &str) -> ApiError {
    if let Some(rest) = raw.strip_prefix("missing field ") {
        let name = backticked(rest).unwrap_or(rest);
        return ApiError::field(join_path(path, name), "is required");
    }
    if let Some(rest) = raw.strip_prefix("unknown field ") {
        let name = backticked(rest).unwrap_or(rest).to_string();
        let expected = rest.split_once(", ").map(|(_, e)| e).unwrap_or("");
        let names = expected
            .trim_start_matches("expected one of ")
            .trim_start_matches("expected ")
            .replace('`', "");
        let expected = if expected.contains("there are no fields") {
            "this object takes no fields".to_string()
        } else if names.contains(", ") || names.contains(" or ") {
            format!("the accepted fields are {names}")
        } else {
            format!("the accepted field is {names}")
        };
        // serde_path_to_error's path already ends with the unknown field's name.
        let field = if path == name || path.ends_with(&format!(".{name}")) {
            path.to_string()
        } else {
            join_path(path, &name)
        };
        return ApiError::field(field, format!("is not a known field; {expected}"));
    }
    let field = if path.is_empty() { "body" } else { path };
    ApiError::field(field, plain(raw))
}

/// What a Rust type name in serde's messages means to a user.
fn type_words(t: &str) -> Option<&'static str> {
    Some(match t {
        "f64" | "f32" => "a number",
        "u8" => "a whole number from 0 to 255",
        "u16" => "a whole number from 0 to 65535",
        "u32" => "a whole number from 0 to 4294967295",
        "u64" | "u128" | "usize" => "a whole number, 0 or more",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "bool" => "true or false",
        "char" | "a character" => "a single character",
        "a sequence" | "sequence" | "a tuple" => "an array",
        "a map" | "map" => "an object",
        "unit value" | "unit" => "null",
        "a borrowed string" => "a string",
        _ => return None,
    })
}

/// serde's message in a user's words: no Rust type names (`f64`, `u32`, `usize`, `struct X`,
/// `variant`), values quoted as JSON shows them.
pub fn plain(raw: &str) -> String {
    if raw.starts_with("data did not match any variant") {
        return "does not have any of the accepted forms; see this field's schema in /docs".into();
    }
    // `unknown variant `x`, expected one of `a`, `b`` → unknown value "x"; expected one of a, b
    if let Some(rest) = raw.strip_prefix("unknown variant ") {
        let given = backticked(rest).unwrap_or(rest);
        let expected = rest
            .split_once(", expected ")
            .map(|(_, e)| e.replace('`', ""))
            .unwrap_or_default();
        return if expected.is_empty() {
            format!("unknown value {given:?}")
        } else {
            format!("unknown value {given:?}; expected {expected}")
        };
    }
    let (head, expected) = match raw.split_once(", expected ") {
        Some((h, e)) => (h, Some(e)),
        None => (raw, None),
    };
    let mut head = head.to_string();
    for (from, to) in [
        ("invalid type: ", "got "),
        ("invalid value: ", "got "),
        ("floating point ", "the number "),
        ("integer ", "the number "),
        ("boolean ", ""),
        ("map", "an object"),
        ("sequence", "an array"),
        ("unit value", "null"),
    ] {
        if let Some(i) = head.find(from) {
            head.replace_range(i..i + from.len(), to);
        }
    }
    let head = head.replace('`', "");
    let Some(expected) = expected else {
        return head;
    };
    let expected = expected.trim();
    let words = if let Some(w) = type_words(expected) {
        w.to_string()
    } else if expected.starts_with("struct ")
        || expected.starts_with("internally tagged enum")
        || expected.starts_with("adjacently tagged enum")
    {
        "an object".to_string()
    } else if expected.starts_with("tuple struct ") || expected.starts_with("enum ") {
        "one of the accepted forms (see /docs)".to_string()
    } else {
        expected.replace('`', "")
    };
    format!("{head}; expected {words}")
}

/// A JSON body deserialized into `T`; every rejection is the error envelope.
#[derive(Debug, Clone)]
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(unsupported_media_type(
                &content_type(req.headers()),
                "Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        parse_json(&bytes).map(Json)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Query-string parameters deserialized into `T`; errors name the parameter.
#[derive(Debug, Clone)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|err| {
                let path = err.path().to_string();
                let path = if path == "." { String::new() } else { path };
                let raw = err.into_inner().to_string();
                let mut e = data_error(&path, &raw);
                if e.details.first().is_some_and(|d| d.field == "body") {
                    e = ApiError::field("query", plain(&raw));
                }
                e
            })
    }
}

/// One request, or a batch: `{"items":[{…},{…}], …shared fields}`. Shared top-level fields are
/// defaults for every item (an item's own value wins). Each item is validated on its own, so one
/// bad item answers an error in its slot (`items[2].algorithm`) without failing the rest.
#[derive(Debug)]
pub enum Payload<T> {
    /// A plain request.
    One(T),
    /// A batch: each item parsed or its error.
    Batch(Vec<Result<T, ApiError>>),
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Payload<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let max = BatchMax::of(req.extensions());
        let Json(bytes) = Json::<Box<serde_json::value::RawValue>>::from_request(req, state)
            .await
            .map(|j| Json(j.0))?;
        Payload::parse(bytes.get().as_bytes(), max)
    }
}

impl<T: DeserializeOwned> Payload<T> {
    /// Parse a body that is one request or a batch of at most `max` items.
    pub fn parse(bytes: &[u8], BatchMax(max): BatchMax) -> Result<Self, ApiError> {
        // serde reads a struct from an array of its fields in order; a request is an object.
        if bytes.trim_ascii_start().first() == Some(&b'[') {
            return Err(ApiError::field(
                "body",
                "must be a JSON object of named fields (for many requests, send {\"items\": [...]}); got an array",
            ));
        }
        if !looks_like_batch(bytes) {
            return parse_json(bytes).map(Payload::One);
        }
        let value: serde_json::Value = parse_json(bytes)?;
        let serde_json::Value::Object(mut top) = value else {
            return parse_json(bytes).map(Payload::One);
        };
        let Some(items) = top.remove("items") else {
            return parse_json(bytes).map(Payload::One);
        };
        let serde_json::Value::Array(items) = items else {
            return Err(ApiError::field(
                "items",
                "must be an array of request objects",
            ));
        };
        if items.is_empty() {
            return Err(ApiError::field("items", "must hold at least one item"));
        }
        if items.len() > max {
            return Err(ApiError::field(
                "items",
                format!(
                    "holds {} items; a batch holds at most {max} (FLOWFORGE_BATCH_MAX)",
                    items.len()
                ),
            ));
        }
        let parsed = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let prefix = format!("items[{i}]");
                let merged = match item {
                    serde_json::Value::Object(mut obj) => {
                        for (k, v) in &top {
                            obj.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                        serde_json::Value::Object(obj)
                    }
                    _ => {
                        return Err(ApiError::field(prefix, "must be a JSON object"));
                    }
                };
                from_value::<T>(merged).map_err(|e| e.prefixed(&prefix))
            })
            .collect();
        Ok(Payload::Batch(parsed))
    }
}

/// Read a whole body of at most `limit` bytes; over the limit is 413.
pub async fn read_body(body: axum::body::Body, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|e| body_error(&e, limit as u64))
}

/// [`read_body`], with the buffer sized once from Content-Length (when it is within the limit),
/// so that a 100 MB upload is one 100 MB buffer rather than a doubling one.
pub async fn read_body_sized(
    headers: &HeaderMap,
    body: axum::body::Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
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
                let frame = frame.map_err(|e| body_error(e.as_ref(), limit as u64))?;
                if let Ok(data) = frame.into_data() {
                    buf.extend_from_slice(&data);
                }
            }
            Ok(buf.into())
        }
        _ => read_body(body, limit).await,
    }
}

/// Map an error met while reading a body: a length-limit error is 413, anything else 400.
pub fn body_error(e: &(dyn std::error::Error + 'static), limit: u64) -> ApiError {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err.is::<http_body_util::LengthLimitError>() {
            return payload_too_large(Some(limit));
        }
        cur = err.source();
    }
    ApiError::field("body", format!("could not read the request body: {e}"))
}

/// Cheap pre-check so one-item requests parse once: does an `"items"` key appear at all?
fn looks_like_batch(bytes: &[u8]) -> bool {
    bytes.windows(7).any(|w| w == b"\"items\"")
}

/// One slot of a batch answer: the result, or the error envelope's inside.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum BatchSlot<R> {
    /// The item succeeded.
    Ok(R),
    /// The item failed.
    Err {
        /// Why.
        error: crate::error::ErrorObject,
    },
}

/// The answer to a batch: per-item results in order, and counts.
#[derive(Debug, Serialize)]
pub struct BatchResponse<R> {
    /// One slot per item, in request order.
    pub results: Vec<BatchSlot<R>>,
    /// Items that succeeded.
    pub succeeded: usize,
    /// Items that failed.
    pub failed: usize,
}

impl<T> Payload<T> {
    /// Run `op` on each item and answer JSON: the result itself for one request (or its error),
    /// `{"results":[…],"succeeded":n,"failed":m}` for a batch.
    /// `op` names the operation for the `flowforge_operations_total` counter.
    pub fn respond<R: Serialize>(
        self,
        (service, name): (&str, &str),
        op: impl Fn(T) -> Result<R, ApiError>,
    ) -> Response {
        let metrics = crate::metrics::get();
        match self {
            Payload::One(t) => match op(t) {
                Ok(r) => {
                    metrics.operation(service, name, true, 1);
                    axum::Json(r).into_response()
                }
                Err(e) => {
                    metrics.operation(service, name, false, 1);
                    e.into_response()
                }
            },
            Payload::Batch(items) => {
                let mut succeeded = 0;
                let results: Vec<BatchSlot<R>> = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        match item
                            .and_then(|t| op(t).map_err(|e| e.prefixed(&format!("items[{i}]"))))
                        {
                            Ok(r) => {
                                succeeded += 1;
                                BatchSlot::Ok(r)
                            }
                            Err(e) => BatchSlot::Err {
                                error: e.body().error,
                            },
                        }
                    })
                    .collect();
                let failed = results.len() - succeeded;
                metrics.operation(service, name, true, succeeded as u64);
                metrics.operation(service, name, false, failed as u64);
                axum::Json(BatchResponse {
                    results,
                    succeeded,
                    failed,
                })
                .into_response()
            }
        }
    }

    /// [`Payload::respond`] on the CPU pool when the work is heavy (key derivation, big matrices,
    /// large inputs, any batch the caller deems heavy) and inline when it is cheap: a small
    /// operation costs less than the hop to another thread.
    pub async fn respond_on<R: Serialize>(
        self,
        cpu: &crate::cpu::CpuPool,
        heavy: bool,
        op: (&'static str, &'static str),
        f: impl Fn(T) -> Result<R, ApiError> + Send + 'static,
    ) -> Response
    where
        T: Send + 'static,
    {
        if heavy {
            match cpu.run(move || self.respond(op, f)).await {
                Ok(r) => r,
                Err(e) => e.into_response(),
            }
        } else {
            self.respond(op, f)
        }
    }

    /// The number of items (1 for a plain request).
    pub fn len(&self) -> usize {
        match self {
            Payload::One(_) => 1,
            Payload::Batch(v) => v.len(),
        }
    }

    /// Never empty; present for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Req {
        algorithm: Alg,
        data: String,
        #[serde(default)]
        count: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Alg {
        Sha256,
        Sha512,
    }

    #[test]
    fn whole_numbers_written_as_floats_fill_integer_fields() {
        #[derive(Debug, serde::Deserialize)]
        struct N {
            n: u32,
            x: f64,
        }
        let n: N = parse_json(br#"{"n":678.0,"x":1.5}"#).unwrap();
        assert_eq!((n.n, n.x), (678, 1.5));
        let n: N = from_value(serde_json::json!({"n": 3.0, "x": 2.0})).unwrap();
        assert_eq!((n.n, n.x), (3, 2.0));
        let e = parse_json::<N>(br#"{"n":2.5,"x":1}"#).unwrap_err();
        assert_eq!(e.details[0].field, "n");
    }

    #[test]
    fn an_unknown_variant_names_the_field_and_lists_the_values() {
        let e = parse_json::<Req>(br#"{"algorithm":"sha265","data":"x"}"#).unwrap_err();
        assert_eq!(e.details[0].field, "algorithm");
        assert!(e.message.contains("sha256"), "{}", e.message);
        assert!(e.message.starts_with("algorithm: "), "{}", e.message);
    }

    #[test]
    fn missing_unknown_and_mistyped_fields_are_named() {
        let e = parse_json::<Req>(br#"{"algorithm":"sha256"}"#).unwrap_err();
        assert_eq!(e.details[0].field, "data");
        assert_eq!(e.details[0].message, "is required");
        let e = parse_json::<Req>(br#"{"algorithm":"sha256","data":"x","dta":1}"#).unwrap_err();
        assert_eq!(e.details[0].field, "dta");
        assert!(e.message.contains("accepted fields"), "{}", e.message);
        let e = parse_json::<Req>(br#"{"algorithm":"sha256","data":"x","count":"3"}"#).unwrap_err();
        assert_eq!(e.details[0].field, "count");
        let e = parse_json::<Req>(br#"{"algorithm":"sha256","#).unwrap_err();
        assert_eq!(e.details[0].field, "body");
        assert!(e.message.contains("malformed JSON"));
    }

    #[test]
    fn messages_name_no_rust_types() {
        for (raw, want) in [
            (
                "invalid type: string \"x\", expected f64",
                "got string \"x\"; expected a number",
            ),
            (
                "invalid value: integer `-1`, expected u32",
                "got the number -1; expected a whole number from 0 to 4294967295",
            ),
            (
                "invalid type: map, expected a sequence",
                "got an object; expected an array",
            ),
            (
                "invalid type: floating point `1.5`, expected usize",
                "got the number 1.5; expected a whole number, 0 or more",
            ),
            (
                "invalid type: string \"a\", expected struct TwoMatrices",
                "got string \"a\"; expected an object",
            ),
            (
                "unknown variant `sha265`, expected one of `md5`, `sha1`",
                "unknown value \"sha265\"; expected one of md5, sha1",
            ),
        ] {
            assert_eq!(plain(raw), want);
        }
        let e = parse_json::<Req>(br#"{"algorithm":"sha256","data":"x","count":"3"}"#).unwrap_err();
        assert_eq!(
            e.message,
            "count: got string \"3\"; expected a whole number from 0 to 4294967295"
        );
        let e = parse_json::<Req>(br#"{"algorithm":"sha265","data":"x"}"#).unwrap_err();
        assert_eq!(
            e.message,
            "algorithm: unknown value \"sha265\"; expected sha256 or sha512"
        );
    }

    #[test]
    fn batches_validate_each_item_and_merge_shared_fields() {
        let p = Payload::<Req>::parse(
            br#"{"algorithm":"sha512","items":[{"data":"a"},{"data":"b","algorithm":"sha265"},{"algorithm":"sha256","data":"c"}]}"#,
            BatchMax::default(),
        )
        .unwrap();
        let Payload::Batch(items) = p else {
            panic!("not a batch")
        };
        assert!(matches!(
            items[0],
            Ok(Req {
                algorithm: Alg::Sha512,
                ..
            })
        ));
        let e = items[1].as_ref().unwrap_err();
        assert_eq!(e.details[0].field, "items[1].algorithm");
        assert!(matches!(
            items[2],
            Ok(Req {
                algorithm: Alg::Sha256,
                ..
            })
        ));
    }

    #[test]
    fn a_batch_over_the_limit_is_refused() {
        let e = Payload::<Req>::parse(br#"{"items":[{},{},{}]}"#, BatchMax(2)).unwrap_err();
        assert_eq!(e.details[0].field, "items");
        assert!(Payload::<Req>::parse(br#"{"items":[{},{}]}"#, BatchMax(2)).is_ok());
    }
}
