//! `POST /api/v1/data/text/regex`, `/text/transform`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{St, respond, yes};
use crate::convert::{self};
use crate::text::{self, Case};

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
    responses((status = 200, description = "By op: matches, data or parts", body = Object)))]
pub async fn text_regex(State(st): State<St>, p: Payload<RegexRequest>) -> Response {
    let size = st.config.regex_size;
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
    responses((status = 200, description = "`data` (or `parts` for split)", body = Object)))]
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
