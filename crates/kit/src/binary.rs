//! Binary input, the four ways DESIGN.md names: multipart/form-data (a `file` field, options as
//! other fields), a raw body with its Content-Type (options in the query string), or JSON with
//! `data` (base64) or `url` (fetched with limits and an SSRF guard). Options from every form end
//! up in one JSON object, so an operation deserializes them once whatever the client sent.
//! Binary output: the bytes with their Content-Type, or JSON with base64 `data` when the client
//! sends `Accept: application/json`.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use bytes::Bytes;
use serde_json::{Map, Value};

use crate::ApiError;
use crate::extract::{content_type, is_json, read_body_sized, unsupported_media_type};

/// One binary input and the options that came with it.
#[derive(Debug, Clone)]
pub struct BinaryInput {
    /// The file.
    pub bytes: Bytes,
    /// The Content-Type the client declared for it (raw body, multipart part, or fetched URL).
    pub declared_type: Option<String>,
    /// Options: JSON members besides `data`/`url`, multipart text fields, query parameters
    /// (text that reads as a JSON number, boolean, array or object becomes one).
    pub options: Map<String, Value>,
    /// Other files sent alongside (multipart parts besides `file`, or base64 JSON members the
    /// caller named), by field name.
    pub extra: Map<String, Value>,
    /// How the client asked for a file answer (`response=json|file`), taken out of the options.
    pub response: Option<ResponseForm>,
    /// Where the file came from, as the request names it: `file` (multipart), `data` (base64
    /// JSON), `url`, or `body` (the raw body); errors about the file's content name it.
    pub field: &'static str,
}

/// Where a URL may be fetched from, and how much.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    /// Allow loopback, private, link-local and metadata addresses (default false).
    pub allow_private: bool,
    /// Time for the whole fetch.
    pub timeout: Duration,
    /// Most redirects followed (each re-checked).
    pub max_redirects: usize,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            allow_private: false,
            timeout: Duration::from_secs(20),
            max_redirects: 5,
        }
    }
}

/// Whether an address is one a fetched URL must not reach: loopback, private (RFC 1918, unique
/// local), link-local (the cloud metadata address 169.254.169.254 among them), CGNAT,
/// unspecified, multicast, broadcast, documentation and IPv4-mapped forms of those.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                || o[0] >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_forbidden(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || (s[0] == 0x64 && s[1] == 0xff9b)
        }
    }
}

fn url_error(msg: impl Into<String>) -> ApiError {
    ApiError::field("url", msg)
}

/// One HTTP answer fetched through the SSRF guard, without following redirects.
#[derive(Debug, Clone)]
pub struct Hop {
    /// The HTTP status.
    pub status: u16,
    /// Its Content-Type.
    pub content_type: Option<String>,
    /// Where a redirect points, resolved against the request's URL.
    pub location: Option<String>,
    /// The body (empty for a redirect).
    pub body: Bytes,
}

/// Fetch `url` (http or https) with the SSRF guard: every address the host resolves to must be
/// public (unless `allow_private`), the connection is pinned to a checked address, redirects
/// are followed by hand and checked again, and the body stops at `limit` bytes.
pub async fn fetch(
    url: &str,
    limit: usize,
    policy: &FetchPolicy,
) -> Result<(Bytes, Option<String>), ApiError> {
    let mut current = url.to_string();
    for _ in 0..=policy.max_redirects {
        let hop = fetch_hop(&current, limit, policy).await?;
        if let Some(next) = hop.location {
            current = next;
            continue;
        }
        if !(200..300).contains(&hop.status) {
            return Err(url_error(format!("answered HTTP {}", hop.status)));
        }
        return Ok((hop.body, hop.content_type));
    }
    Err(url_error(format!(
        "redirected more than {} times",
        policy.max_redirects
    )))
}

/// One request of [`fetch`]: the address policy checked and the connection pinned, a redirect
/// answered with its `location` (not followed), any other status with its body (at most
/// `limit` bytes). A browser that follows redirects itself asks hop by hop.
pub async fn fetch_hop(url: &str, limit: usize, policy: &FetchPolicy) -> Result<Hop, ApiError> {
    let current =
        reqwest::Url::parse(url).map_err(|e| url_error(format!("is not a valid URL: {e}")))?;
    if !matches!(current.scheme(), "http" | "https") {
        return Err(url_error(format!(
            "must be http or https; got {}",
            current.scheme()
        )));
    }
    let host = current
        .host_str()
        .ok_or_else(|| url_error("has no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = current.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| url_error(format!("names a host that does not resolve: {e}")))?
            .collect(),
    };
    let first = *addrs
        .first()
        .ok_or_else(|| url_error("names a host with no address"))?;
    if !policy.allow_private
        && let Some(bad) = addrs.iter().find(|a| is_forbidden(a.ip()))
    {
        let mut e = ApiError::new(
            crate::ErrorCode::Forbidden,
            format!(
                "url: {host} resolves to {}, a loopback, private, link-local or metadata address, which this service does not fetch",
                bad.ip()
            ),
        );
        e.details.push(crate::FieldError {
            field: "url".into(),
            message: "points at a non-public address".into(),
        });
        return Err(e);
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(policy.timeout)
        .resolve(&host, first)
        .build()
        .map_err(ApiError::internal)?;
    let mut res = client
        .get(current.clone())
        .send()
        .await
        .map_err(|e| url_error(format!("could not be fetched: {e}")))?;
    let status = res.status().as_u16();
    if res.status().is_redirection() && status != 304 {
        let loc = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| url_error("redirected without a Location"))?;
        let next = current
            .join(loc)
            .map_err(|e| url_error(format!("redirected to an invalid URL: {e}")))?;
        return Ok(Hop {
            status,
            content_type: None,
            location: Some(next.to_string()),
            body: Bytes::new(),
        });
    }
    let too_large = || {
        ApiError::new(
            crate::ErrorCode::PayloadTooLarge,
            format!("url: the file is larger than {limit} bytes"),
        )
    };
    if res.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut buf = Vec::new();
    while let Some(chunk) = res
        .chunk()
        .await
        .map_err(|e| url_error(format!("could not be read: {e}")))?
    {
        if buf.len() + chunk.len() > limit {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Hop {
        status,
        content_type,
        location: None,
        body: buf.into(),
    })
}

/// A text value as JSON when it reads as a number, boolean, array or object; else a string.
pub fn text_value(s: &str) -> Value {
    let t = s.trim();
    if (t.starts_with(['{', '[']) || t == "true" || t == "false" || t.parse::<f64>().is_ok())
        && let Ok(v) = serde_json::from_str::<Value>(t)
        && !v.is_string()
    {
        return v;
    }
    Value::String(s.to_string())
}

/// Decode base64 (standard or URL-safe, padded or not; whitespace and a `data:…;base64,` prefix
/// allowed).
pub fn decode_base64(s: &str, field: &str) -> Result<Vec<u8>, ApiError> {
    let s = match s.find(";base64,") {
        Some(i) if s.starts_with("data:") => &s[i + 8..],
        _ => s,
    };
    let t: String = s
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && *c != '=')
        .collect();
    let e = base64::engine::general_purpose::STANDARD_NO_PAD;
    e.decode(&t)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&t))
        .map_err(|err| ApiError::field(field, format!("is not base64: {err}")))
}

/// Query parameters as options (text that reads as a JSON number, boolean, array or object
/// becomes one).
fn query_options(query: Option<&str>) -> Map<String, Value> {
    let mut options = Map::new();
    if let Some(q) = query {
        for (k, v) in form_urlencoded::parse(q.as_bytes()) {
            options.insert(k.into_owned(), text_value(&v));
        }
    }
    options
}

/// A multipart body's reader: each part at most `limit` bytes, the whole a little more.
fn multipart(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<multer::Multipart<'static>, ApiError> {
    let full = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(full)
        .map_err(|e| ApiError::field("body", format!("multipart without a boundary: {e}")))?;
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(limit as u64 + 64 * 1024)
            .per_field(limit as u64),
    );
    Ok(multer::Multipart::with_constraints(
        body.into_data_stream(),
        boundary,
        constraints,
    ))
}

/// A whole request's headers (for the answer's negotiation) and its file, read as
/// [`read_binary`] reads it.
pub async fn read_request(
    req: axum::extract::Request,
    limit: usize,
    policy: &FetchPolicy,
) -> Result<(HeaderMap, BinaryInput), ApiError> {
    let (parts, body) = req.into_parts();
    let input = read_binary(&parts.headers, parts.uri.query(), body, limit, policy).await?;
    Ok((parts.headers, input))
}

impl BinaryInput {
    /// The options as an operation's typed options, with errors naming the option.
    pub fn options_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, ApiError> {
        crate::extract::from_value(Value::Object(self.options.clone()))
    }
}

/// Read one binary input from any of the four forms. `query` is the raw query string.
pub async fn read_binary(
    headers: &HeaderMap,
    query: Option<&str>,
    body: Body,
    limit: usize,
    policy: &FetchPolicy,
) -> Result<BinaryInput, ApiError> {
    let mut options = query_options(query);
    let ctype = content_type(headers);
    if ctype.starts_with("multipart/form-data") {
        let mut mp = multipart(headers, body, limit)?;
        let mut file: Option<(Bytes, Option<String>)> = None;
        let mut extra = Map::new();
        while let Some(field) = mp
            .next_field()
            .await
            .map_err(|e| multipart_error(e, limit))?
        {
            let name = field.name().unwrap_or("").to_string();
            let is_file = field.file_name().is_some();
            let ftype = field.content_type().map(|m| m.to_string());
            let data = field.bytes().await.map_err(|e| multipart_error(e, limit))?;
            if name == "file" || (is_file && file.is_none() && name.is_empty()) {
                file = Some((data, ftype));
            } else if is_file {
                extra.insert(
                    name,
                    Value::String(base64::engine::general_purpose::STANDARD.encode(&data)),
                );
            } else {
                let text = String::from_utf8(data.to_vec()).map_err(|_| {
                    ApiError::field(name.clone(), "is a text field that is not UTF-8")
                })?;
                options.insert(name, text_value(&text));
            }
        }
        let (bytes, declared_type) = file.ok_or_else(|| {
            ApiError::field(
                "file",
                "is required: send the file as the multipart field `file`",
            )
        })?;
        let response = ResponseForm::take(&mut options)?;
        return Ok(BinaryInput {
            bytes,
            declared_type,
            options,
            extra,
            response,
            field: "file",
        });
    }
    if is_json(headers) {
        let raw = read_body_sized(headers, body, limit.saturating_mul(4) / 3 + 64 * 1024).await?;
        let v: Value = crate::extract::parse_json(&raw)?;
        let Value::Object(mut m) = v else {
            return Err(ApiError::field(
                "body",
                "must be a JSON object with `data` (base64) or `url`",
            ));
        };
        let data = m.remove("data");
        let url = m.remove("url");
        let (bytes, declared_type, field) = match (data, url) {
            (Some(Value::String(d)), None) => {
                let b = decode_base64(&d, "data")?;
                if b.len() > limit {
                    return Err(crate::extract::payload_too_large(Some(limit as u64)));
                }
                (Bytes::from(b), None, "data")
            }
            (None, Some(Value::String(u))) => {
                let (b, t) = fetch(&u, limit, policy).await?;
                (b, t, "url")
            }
            (Some(_), Some(_)) => {
                return Err(ApiError::field("data", "give `data` or `url`, not both"));
            }
            (Some(_), None) => return Err(ApiError::field("data", "must be a base64 string")),
            (None, Some(_)) => return Err(ApiError::field("url", "must be a string")),
            (None, None) => {
                return Err(ApiError::field(
                    "data",
                    "is required: the file as base64 (or give `url`)",
                ));
            }
        };
        for (k, v) in m {
            options.insert(k, v);
        }
        let response = ResponseForm::take(&mut options)?;
        return Ok(BinaryInput {
            bytes,
            declared_type,
            options,
            extra: Map::new(),
            response,
            field,
        });
    }
    if ctype.is_empty() {
        return Err(unsupported_media_type(
            "(none)",
            "the file as a raw body with its Content-Type, multipart/form-data with a `file` field, or JSON with `data` (base64) or `url`",
        ));
    }
    let bytes = read_body_sized(headers, body, limit).await?;
    if bytes.is_empty() {
        return Err(ApiError::field("body", "is empty: send the file"));
    }
    let response = ResponseForm::take(&mut options)?;
    Ok(BinaryInput {
        bytes,
        declared_type: Some(ctype),
        options,
        extra: Map::new(),
        response,
        field: "body",
    })
}

/// One of several files a request sent.
#[derive(Debug, Clone)]
pub struct NamedFile {
    /// The file.
    pub bytes: Bytes,
    /// Its file name, where the client gave one (multipart filename, JSON `name`, the URL's
    /// last path segment).
    pub name: Option<String>,
    /// Where it came, as errors name it: `files[2]`.
    pub field: String,
}

/// Several files and the request's options.
#[derive(Debug)]
pub struct BinaryFiles {
    /// The files, in the order sent.
    pub files: Vec<NamedFile>,
    /// Options: multipart text fields, JSON members besides `files`, query parameters.
    pub options: Map<String, Value>,
    /// How the client asked for a file answer (`response=json|file`).
    pub response: Option<ResponseForm>,
}

/// Read several files: multipart with every file part in order (the repeated field `files`, as
/// n8n and curl send it, or any part with a file name), or JSON
/// `{"files": [{"data": base64} | {"url": …} | "base64", …]}`. `limit` bounds the whole body
/// (and each fetched URL); `max_files` the count.
pub async fn read_files(
    headers: &HeaderMap,
    query: Option<&str>,
    body: Body,
    limit: usize,
    policy: &FetchPolicy,
    max_files: usize,
) -> Result<BinaryFiles, ApiError> {
    read_files_from(headers, query, body, limit, policy, max_files, true).await
}

/// As [`read_files`], for an operation whose files are optional (a JSON body without `files`,
/// or a multipart body of fields only, has none).
pub async fn read_optional_files(
    headers: &HeaderMap,
    query: Option<&str>,
    body: Body,
    limit: usize,
    policy: &FetchPolicy,
    max_files: usize,
) -> Result<BinaryFiles, ApiError> {
    read_files_from(headers, query, body, limit, policy, max_files, false).await
}

async fn read_files_from(
    headers: &HeaderMap,
    query: Option<&str>,
    body: Body,
    limit: usize,
    policy: &FetchPolicy,
    max_files: usize,
    required: bool,
) -> Result<BinaryFiles, ApiError> {
    let mut options = query_options(query);
    let ctype = content_type(headers);
    let too_many = || {
        ApiError::field(
            "files",
            format!("has more than {max_files} files; send at most {max_files}"),
        )
    };
    let mut files = Vec::new();
    if ctype.starts_with("multipart/form-data") {
        let mut mp = multipart(headers, body, limit)?;
        while let Some(field) = mp
            .next_field()
            .await
            .map_err(|e| multipart_error(e, limit))?
        {
            let name = field.name().unwrap_or("").to_string();
            let file_name = field.file_name().map(str::to_string);
            let data = field.bytes().await.map_err(|e| multipart_error(e, limit))?;
            let is_file = file_name.is_some() || name == "files" || name == "files[]";
            if is_file {
                if files.len() == max_files {
                    return Err(too_many());
                }
                files.push(NamedFile {
                    bytes: data,
                    name: file_name,
                    field: format!("files[{}]", files.len()),
                });
            } else {
                let text = String::from_utf8(data.to_vec()).map_err(|_| {
                    ApiError::field(name.clone(), "is a text field that is not UTF-8")
                })?;
                options.insert(name, text_value(&text));
            }
        }
    } else if is_json(headers) {
        let raw = read_body_sized(headers, body, limit.saturating_mul(4) / 3 + 64 * 1024).await?;
        let v: Value = crate::extract::parse_json(&raw)?;
        let Value::Object(mut m) = v else {
            return Err(ApiError::field(
                "body",
                "must be a JSON object with `files`: [{\"data\": base64} or {\"url\": …}, …]",
            ));
        };
        let list = match m.remove("files") {
            Some(Value::Array(a)) => a,
            Some(_) => {
                return Err(ApiError::field(
                    "files",
                    "must be an array of files: {\"data\": base64} or {\"url\": …}",
                ));
            }
            None if !required => Vec::new(),
            None => {
                return Err(ApiError::field(
                    "files",
                    "is required: an array of files, each {\"data\": base64} or {\"url\": …}",
                ));
            }
        };
        if list.len() > max_files {
            return Err(too_many());
        }
        let mut total = 0usize;
        for (i, item) in list.into_iter().enumerate() {
            let at = format!("files[{i}]");
            let (data, url, name) = match item {
                Value::String(d) => (Some(d), None, None),
                Value::Object(mut o) => {
                    let text = |v: Option<Value>, what: &str| match v {
                        None | Some(Value::Null) => Ok(None),
                        Some(Value::String(s)) => Ok(Some(s)),
                        Some(_) => Err(ApiError::field(format!("{at}.{what}"), "must be a string")),
                    };
                    let data = text(o.remove("data"), "data")?;
                    let url = text(o.remove("url"), "url")?;
                    let name = text(o.remove("name"), "name")?;
                    if let Some(k) = o.keys().next() {
                        return Err(ApiError::field(
                            format!("{at}.{k}"),
                            "is not a file field; give `data` (base64) or `url`, and optionally `name`",
                        ));
                    }
                    (data, url, name)
                }
                _ => {
                    return Err(ApiError::field(
                        at,
                        "must be {\"data\": base64} or {\"url\": …} (or a base64 string)",
                    ));
                }
            };
            let (bytes, name) = match (data, url) {
                (Some(d), None) => (Bytes::from(decode_base64(&d, &format!("{at}.data"))?), name),
                (None, Some(u)) => {
                    let (b, _) = fetch(&u, limit, policy)
                        .await
                        .map_err(|e| e.prefixed(&at))?;
                    let from_url = u
                        .rsplit('/')
                        .next()
                        .filter(|s| !s.is_empty() && !s.contains('?'))
                        .map(str::to_string);
                    (b, name.or(from_url))
                }
                (Some(_), Some(_)) => {
                    return Err(ApiError::field(at, "give `data` or `url`, not both"));
                }
                (None, None) => {
                    return Err(ApiError::field(
                        format!("{at}.data"),
                        "is required: the file as base64 (or give `url`)",
                    ));
                }
            };
            total += bytes.len();
            if total > limit {
                return Err(crate::extract::payload_too_large(Some(limit as u64)));
            }
            files.push(NamedFile {
                bytes,
                name,
                field: at,
            });
        }
        for (k, v) in m {
            options.insert(k, v);
        }
    } else {
        return Err(unsupported_media_type(
            if ctype.is_empty() { "(none)" } else { &ctype },
            "multipart/form-data with the files in the repeated field `files`, or JSON with `files`: [{\"data\": base64} or {\"url\": …}, …]",
        ));
    }
    if files.is_empty() && required {
        return Err(ApiError::field(
            "files",
            "is empty: send at least one file (the repeated multipart field `files`, or JSON `files`)",
        ));
    }
    let response = ResponseForm::take(&mut options)?;
    Ok(BinaryFiles {
        files,
        options,
        response,
    })
}

fn multipart_error(e: multer::Error, limit: usize) -> ApiError {
    match e {
        multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. } => {
            crate::extract::payload_too_large(Some(limit as u64))
        }
        other => ApiError::field("body", format!("malformed multipart: {other}")),
    }
}

/// How a file answer is sent, when the client says so explicitly (`response=json` in the query
/// string, a form field or the JSON body); without it, the Accept header decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseForm {
    /// The file's bytes with its Content-Type.
    File,
    /// JSON: `{"data": base64, "contentType", "size", …}`.
    Json,
}

impl ResponseForm {
    /// Read the `response` option.
    pub fn parse(v: &Value) -> Result<Self, ApiError> {
        match v.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("json") => Ok(ResponseForm::Json),
            Some("file") | Some("binary") => Ok(ResponseForm::File),
            _ => Err(ApiError::field(
                "response",
                format!("must be \"file\" (the bytes) or \"json\" (base64 in JSON); got {v}"),
            )),
        }
    }

    /// Take the `response` option out of `options` (so operations never see it).
    pub fn take(options: &mut Map<String, Value>) -> Result<Option<Self>, ApiError> {
        options
            .remove("response")
            .map(|v| Self::parse(&v))
            .transpose()
    }
}

/// The quality the Accept header `accept` gives the media type `ty`: the most specific range
/// that matches (`image/png` over `image/*` over `*/*`) decides; `None` when none matches.
pub fn accept_q(accept: &str, ty: &str) -> Option<f32> {
    let (ty_main, _) = ty.split_once('/').unwrap_or((ty, ""));
    let mut best: Option<(u8, f32)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let mut q = 1.0f32;
        for p in parts {
            if let Some((k, v)) = p.split_once('=')
                && k.trim().eq_ignore_ascii_case("q")
            {
                q = v.trim().parse().unwrap_or(0.0);
            }
        }
        let specificity = if media == "*/*" {
            1
        } else if media.strip_suffix("/*") == Some(ty_main) {
            2
        } else if media == ty {
            3
        } else {
            continue;
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, q));
        }
    }
    best.map(|(_, q)| q)
}

/// Whether to answer a file of type `file_type` as JSON: when the client said so (`explicit`),
/// or when its Accept takes JSON and does not take the file's type. n8n's "File" response format
/// (`application/json,…,image/*;q=0.8,*/*;q=0.7`), Make (`*/*`), Zapier and curl get the file;
/// n8n's "JSON" format (`application/json,text/*;q=0.99`) and `Accept: application/json` get JSON.
pub fn wants_json(headers: &HeaderMap, explicit: Option<ResponseForm>, file_type: &str) -> bool {
    if let Some(form) = explicit {
        return form == ResponseForm::Json;
    }
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let json = accept_q(accept, "application/json").unwrap_or(0.0);
    let file = accept_q(accept, file_type).unwrap_or(0.0);
    json > 0.0 && file <= 0.0
}

/// Answer a file: its bytes with `content_type` (inline, named `filename`), or, when
/// [`wants_json`] says so, `{"data": base64, "contentType", "size", …meta}`.
pub fn respond_binary(
    headers: &HeaderMap,
    form: Option<ResponseForm>,
    bytes: Vec<u8>,
    content_type: &'static str,
    filename: &str,
    meta: Map<String, Value>,
) -> Response {
    if wants_json(headers, form, content_type) {
        let mut m = Map::new();
        m.insert(
            "data".into(),
            Value::String(base64::engine::general_purpose::STANDARD.encode(&bytes)),
        );
        m.insert("contentType".into(), Value::String(content_type.into()));
        m.insert("size".into(), Value::from(bytes.len()));
        m.extend(meta);
        return axum::Json(Value::Object(m)).into_response();
    }
    let mut res = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        bytes,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{filename}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn forbidden_addresses() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(is_forbidden(a.parse().unwrap()), "{a}");
        }
        for a in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(!is_forbidden(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn the_file_is_answered_unless_json_is_asked_for_and_the_file_is_not_accepted() {
        let h = |a: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT, HeaderValue::from_str(a).unwrap());
            m
        };
        // n8n's HTTP Request node, Response Format "File".
        let n8n_file = "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7";
        assert!(!wants_json(&h(n8n_file), None, "image/png"));
        assert!(!wants_json(&h(n8n_file), None, "application/pdf"));
        // n8n's Response Format "JSON".
        let n8n_json = "application/json,text/*;q=0.99";
        assert!(wants_json(&h(n8n_json), None, "image/webp"));
        assert!(!wants_json(&h(n8n_json), None, "text/csv"));
        // Make, Zapier and curl.
        assert!(!wants_json(&h("*/*"), None, "image/jpeg"));
        assert!(!wants_json(&HeaderMap::new(), None, "image/jpeg"));
        assert!(wants_json(&h("application/json"), None, "image/jpeg"));
        assert!(!wants_json(
            &h("application/json, image/jpeg;q=0.5"),
            None,
            "image/jpeg"
        ));
        assert!(wants_json(
            &h("application/json, image/*;q=0"),
            None,
            "image/jpeg"
        ));
        // The explicit option wins either way.
        assert!(wants_json(
            &h("*/*"),
            Some(ResponseForm::Json),
            "image/jpeg"
        ));
        assert!(!wants_json(
            &h("application/json"),
            Some(ResponseForm::File),
            "image/jpeg"
        ));
        assert_eq!(
            accept_q("text/*;q=0.3, text/csv;q=0.7", "text/csv"),
            Some(0.7)
        );
        assert_eq!(accept_q("text/html", "image/png"), None);
        let e = ResponseForm::parse(&Value::from("xml")).unwrap_err();
        assert_eq!(e.details[0].field, "response");
    }

    #[test]
    fn text_values_and_base64() {
        assert_eq!(text_value("800"), Value::from(800));
        assert_eq!(text_value("true"), Value::Bool(true));
        assert_eq!(text_value("red"), Value::String("red".into()));
        assert_eq!(text_value("[1,2]"), serde_json::json!([1, 2]));
        assert_eq!(decode_base64("aGk=", "data").unwrap(), b"hi");
        assert_eq!(
            decode_base64("data:image/png;base64,aGk", "data").unwrap(),
            b"hi"
        );
        assert_eq!(
            decode_base64("not base64!", "data")
                .unwrap_err()
                .body()
                .error
                .details[0]
                .field,
            "data"
        );
    }

    #[tokio::test]
    async fn a_url_to_a_private_address_is_refused_before_any_request() {
        let p = FetchPolicy::default();
        for u in [
            "http://127.0.0.1:1/x",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            "http://localhost/",
        ] {
            let e = fetch(u, 1024, &p).await.unwrap_err();
            assert_eq!(e.body().error.code.as_str(), "FORBIDDEN", "{u}");
        }
        let e = fetch("ftp://example.com/x", 1024, &p).await.unwrap_err();
        assert_eq!(e.body().error.details[0].field, "url");
    }

    #[tokio::test]
    async fn a_url_is_fetched_with_limits_when_private_is_allowed() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(async move {
            loop {
                let (mut s, _) = l.accept().await.unwrap();
                let mut buf = [0u8; 1024];
                let n = s.read(&mut buf).await.unwrap();
                let req = String::from_utf8_lossy(&buf[..n]).to_string();
                let resp = if req.starts_with("GET /moved") {
                    "HTTP/1.1 302 Found\r\nLocation: /file\r\nContent-Length: 0\r\n\r\n".to_string()
                } else {
                    "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 5\r\n\r\nhello"
                        .to_string()
                };
                s.write_all(resp.as_bytes()).await.unwrap();
            }
        });
        let open = FetchPolicy {
            allow_private: true,
            ..FetchPolicy::default()
        };
        let (b, t) = fetch(&format!("http://{addr}/moved"), 1024, &open)
            .await
            .unwrap();
        assert_eq!(&b[..], b"hello");
        assert_eq!(t.as_deref(), Some("image/png"));
        let e = fetch(&format!("http://{addr}/file"), 4, &open)
            .await
            .unwrap_err();
        assert_eq!(e.body().error.code.as_str(), "PAYLOAD_TOO_LARGE");
    }
}
