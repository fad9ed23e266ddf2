//! `POST /api/v1/pdf/split`.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use flowforge_kit::ApiError;
use flowforge_kit::binary::wants_json;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::{One, St, one, open};
use crate::split::Cut;

/// Options of `split`: give `ranges`, `every`, or `by: bookmarks`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SplitOptions {
    /// One part per comma-separated range: `1-3,4-10,11-` makes three parts.
    #[serde(default, deserialize_with = "super::some_selection")]
    #[schema(value_type = Option<String>)]
    pub ranges: Option<String>,
    /// A part every N pages.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub every: Option<usize>,
    /// `bookmarks`: a part at each top-level bookmark.
    #[serde(default)]
    #[schema(pattern = "^bookmarks$")]
    pub by: Option<String>,
}

file_request!(
    SplitRequest,
    SplitOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"ranges":"1,1"}),
    "A PDF and where to cut it."
);

/// The parts as JSON.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"files":[{"name":"part-1.pdf","pages":3,"data":"JVBERi0xLjcK…"}]}))]
pub struct SplitResponse {
    /// Each part: its name, page count and the PDF as base64.
    #[schema(value_type = Vec<Object>)]
    pub files: Vec<Value>,
}

/// Split a PDF by ranges, every N pages or at bookmarks: a ZIP of the parts (or JSON with each
/// part as base64 when Accept asks for JSON only, or with `response=json`).
#[utoipa::path(post, path = "/api/v1/pdf/split", tag = "pdf",
    request_body(content = SplitRequest, description = "JSON with `data` or `url`; or multipart (`file` and the options as fields); or the raw PDF with the options in the query string."),
    responses((status = 200, description = "The parts: a ZIP of part-1.pdf, part-2.pdf, … (or JSON when asked for)",
        content(("application/zip"), (SplitResponse = "application/json")))))]
pub async fn split(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let One {
        headers,
        input,
        options: o,
        password,
    } = one::<SplitOptions>(&st, req).await?;
    let cut = match (o.ranges, o.every, o.by.as_deref()) {
        (Some(r), None, None) => Cut::Ranges(r),
        (None, Some(n), None) => Cut::Every(n),
        (None, None, Some(b)) if b.eq_ignore_ascii_case("bookmarks") => Cut::Bookmarks,
        (None, None, Some(b)) => {
            return Err(ApiError::field(
                "by",
                format!("unknown value {b:?}; expected bookmarks (or give `ranges` or `every`)"),
            ));
        }
        (None, None, None) => {
            return Err(ApiError::field(
                "ranges",
                "is required: give `ranges` (1-3,4-10), `every` (a number of pages) or `by: bookmarks`",
            ));
        }
        _ => {
            return Err(ApiError::field(
                "ranges",
                "give one of `ranges`, `every` or `by`, not several",
            ));
        }
    };
    let json = wants_json(&headers, input.response, "application/zip");
    let st2 = st.clone();
    let (files, counts) = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let lim = &st2.config.limits;
            let doc = open(&st2, &input, password.as_deref())?;
            let (pages, plan) = crate::split::plan(&doc, &cut, lim)?;
            let counts: Vec<usize> = plan.iter().map(Vec::len).collect();
            Ok((crate::split::split(&doc, &pages, &plan)?, counts))
        })
        .await??;
    if json {
        let files: Vec<Value> = files
            .iter()
            .zip(&counts)
            .enumerate()
            .map(|(i, (f, n))| {
                json!({
                    "name": format!("part-{}.pdf", i + 1),
                    "pages": n,
                    "data": base64::engine::general_purpose::STANDARD.encode(f),
                })
            })
            .collect();
        return Ok(axum::Json(SplitResponse { files }).into_response());
    }
    let zip = st
        .cpu
        .run(move || crate::split::zip("part", &files))
        .await??;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"parts.zip\""),
            ),
        ],
        zip,
    )
        .into_response())
}
