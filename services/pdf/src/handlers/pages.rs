//! `POST /api/v1/pdf/pages`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{St, edit};
use crate::pages::Action;

flowforge_kit::wire_enum! {
    /// What to do with the selected pages.
    pub enum PageAction {
        /// Keep them, in the selection's order: extract, reorder, duplicate.
        Keep = "keep" | "extract" | "reorder",
        /// Delete them.
        Delete = "delete" | "remove",
        /// Rotate them by `angle`.
        Rotate = "rotate",
    }
}

/// Options of `pages`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PagesOptions {
    /// The pages, counted from 1: `1-3,7,10-` (10 to the end), `last` or `z`, `5-1` (backwards),
    /// `all`. With `keep`, a page listed twice is duplicated.
    #[serde(deserialize_with = "super::selection")]
    pub pages: String,
    /// `keep` (default: extract, reorder, duplicate), `delete` or `rotate`.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(keep|extract|reorder|delete|remove|rotate)$")]
    pub action: Option<PageAction>,
    /// rotate: degrees clockwise, a multiple of 90 (default 90; -90 turns left).
    #[serde(default)]
    #[schema(minimum = -270, maximum = 270, multiple_of = 90)]
    pub angle: Option<i64>,
}

file_request!(
    PagesRequest,
    PagesOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"pages":"1,1","action":"keep"}),
    "Pages: a selection and what to do with it."
);

/// Extract, reorder, duplicate, delete or rotate pages by a selection like `1-3,7,10-`.
#[utoipa::path(post, path = "/api/v1/pdf/pages", tag = "pdf",
    request_body(content = PagesRequest, description = "JSON with `data` or `url`; or multipart (`file` and the options as fields); or the raw PDF with the options in the query string."),
    responses((status = 200, description = "The PDF", content_type = "application/pdf")))]
pub async fn pages(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    edit(st, req, "pages.pdf", |doc, o: PagesOptions, st| {
        let action = match o.action.unwrap_or(PageAction::Keep) {
            PageAction::Keep => Action::Keep,
            PageAction::Delete => Action::Delete,
            PageAction::Rotate => Action::Rotate(o.angle.unwrap_or(90)),
        };
        let n = crate::pages::apply(doc, &o.pages, action, &st.config.limits, "pages")?;
        Ok(Map::from_iter([("pages".to_string(), Value::from(n))]))
    })
    .await
}
