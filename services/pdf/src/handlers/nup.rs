//! `POST /api/v1/pdf/n-up`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{St, edit};
use crate::nup::{Layout, Order};

/// Options of `n-up`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NUpOptions {
    /// Pages per sheet: 2 (default), 4, 6, 8, 9 or 16.
    #[schema(value_type = Option<u32>)]
    pub per_sheet: Option<usize>,
    /// The pages to lay out, as `pages` takes them (default all).
    #[serde(default, deserialize_with = "super::some_selection")]
    #[schema(value_type = Option<String>)]
    pub pages: Option<String>,
    /// The sheet: `a4`, `a3`, `a5`, `a6`, `b5`, `us-letter`, `us-legal`, `us-executive`
    /// (default: the first page's size, turned for 2, 6 and 8 per sheet).
    pub paper: Option<String>,
    /// With `paper`: the sheet turned sideways (default: as the grid suits).
    pub landscape: Option<bool>,
    /// Space around and between the pages: `"5mm"`, `"0.25in"`, `"18pt"` or millimetres
    /// (default 5 mm).
    #[schema(value_type = Option<String>)]
    pub margin: Option<Value>,
    /// A thin frame around each page (default false).
    #[serde(default)]
    pub border: bool,
    /// `across` (left to right, then down; default) or `down`.
    pub order: Option<String>,
}

file_request!(
    NUpRequest,
    NUpOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"perSheet":4,"border":true}),
    "N-up: pages per sheet and how."
);

/// Put several pages on each sheet (2, 4, 6, 8, 9 or 16), scaled into a grid: handouts,
/// contact sheets, printing two pages per side.
#[utoipa::path(post, path = "/api/v1/pdf/n-up", tag = "pdf",
    request_body(content = NUpRequest, description = "JSON with `data` or `url`; or multipart (`file` and the options as fields); or the raw PDF with the options in the query string."),
    responses((status = 200, description = "The PDF (`sheets` beside `data` in a JSON answer)", content_type = "application/pdf")))]
pub async fn n_up(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    edit(st, req, "n-up.pdf", |doc, o: NUpOptions, st| {
        let per_sheet = o.per_sheet.unwrap_or(2);
        if ![2, 4, 6, 8, 9, 16].contains(&per_sheet) {
            return Err(ApiError::field("perSheet", "must be 2, 4, 6, 8, 9 or 16"));
        }
        let sheet = match o.paper.as_deref() {
            None => None,
            Some(p) => {
                let (_, w, h) = crate::geometry::paper(p)?;
                let wide = o.landscape.unwrap_or(matches!(per_sheet, 2 | 6 | 8));
                Some(if wide { (h, w) } else { (w, h) })
            }
        };
        let margin = match o.margin.filter(|m| !m.is_null()) {
            None => 14.17,
            Some(m) => crate::geometry::length_pt(&m).ok_or_else(|| {
                ApiError::field("margin", "must be a length such as \"5mm\", \"0.25in\" or \"18pt\" (a bare number is millimetres), at most 10cm")
            })?,
        };
        let order = match o.order.as_deref() {
            None | Some("across") => Order::Across,
            Some("down") => Order::Down,
            Some(_) => return Err(ApiError::field("order", "must be `across` or `down`")),
        };
        let all = crate::document::page_ids(doc, st.config.limits.max_pages, "file")?;
        let spec = o.pages.unwrap_or_else(|| "all".into());
        let chosen = crate::select::parse(&spec, all.len(), "pages")?;
        let pages: Vec<_> = chosen.iter().map(|&n| all[n - 1]).collect();
        let layout = Layout {
            per_sheet,
            sheet,
            margin,
            border: o.border,
            order,
        };
        let sheets = crate::nup::apply(doc, &pages, &layout)?;
        Ok(Map::from_iter([("sheets".to_string(), Value::from(sheets))]))
    })
    .await
}
