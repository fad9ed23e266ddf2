//! `POST /api/v1/pdf/forms`, `/forms/fill` and `/forms/flatten`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{St, edit, inspect};
use crate::forms::{self, FieldInfo};

file_request!(
    FormsRequest,
    super::NoOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF}),
    "A PDF whose form fields to list."
);

/// The form's fields.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"fields":[{"name":"customer.name","type":"text","value":null},{"name":"agree","type":"checkbox","value":"Off","options":["Yes"]}]}))]
pub struct FormsResponse {
    /// Each field: qualified name, type, value, and the values a checkbox, radio group or
    /// choice takes.
    pub fields: Vec<FieldInfo>,
}

/// List a PDF form's fields: qualified names, types, values, options.
#[utoipa::path(post, path = "/api/v1/pdf/forms", tag = "pdf",
    request_body(content = FormsRequest, description = "JSON with `data` or `url`; or multipart (`file`); or the raw PDF."),
    responses((status = 200, description = "The fields", body = FormsResponse)))]
pub async fn forms(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    inspect(st, req, |doc, _: super::NoOptions, _| {
        Ok(FormsResponse {
            fields: forms::list(doc),
        })
    })
    .await
}

/// Options of `forms/fill`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FillOptions {
    /// Values by qualified field name: text for text and choice fields, `true`/`false` (or the
    /// on-value) for a checkbox, the chosen value for a radio group.
    #[schema(value_type = Object)]
    pub values: Map<String, Value>,
    /// Draw the values into the pages and remove the form (default false).
    #[serde(default)]
    pub flatten: bool,
}

file_request!(
    FormsFillRequest,
    FillOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"values":{},"flatten":true}),
    "A PDF form and its values."
);

/// Fill a PDF form (appearances written, so the values show in every viewer), optionally
/// flattened.
#[utoipa::path(post, path = "/api/v1/pdf/forms/fill", tag = "pdf",
    request_body(content = FormsFillRequest, description = "JSON with `data` or `url` and `values`; or multipart (`file`, and `values` as a JSON object in a field)."),
    responses((status = 200, description = "The filled PDF", content_type = "application/pdf")))]
pub async fn forms_fill(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    edit(st, req, "filled.pdf", |doc, o: FillOptions, st| {
        let mut values = Vec::with_capacity(o.values.len());
        for (k, v) in o.values {
            let v = match v {
                Value::Bool(b) => forms::Value::Flag(b),
                Value::String(s) => forms::Value::Text(s),
                Value::Number(n) => forms::Value::Text(n.to_string()),
                Value::Null => forms::Value::Text(String::new()),
                _ => {
                    return Err(ApiError::field(
                        format!("values.{k}"),
                        "must be text, a number or true/false",
                    ));
                }
            };
            values.push((k, v));
        }
        forms::fill(doc, &values)?;
        if o.flatten {
            flatten(doc, st)?;
        }
        Ok(Map::new())
    })
    .await
}

/// Flatten every page's widgets.
fn flatten(doc: &mut lopdf::Document, st: &super::PdfState) -> Result<(), ApiError> {
    let pages = crate::document::page_ids(doc, st.config.limits.max_pages, "file")?;
    forms::flatten(doc, &pages)?;
    Ok(())
}

file_request!(
    FormsFlattenRequest,
    super::NoOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF}),
    "A PDF form to flatten."
);

/// Flatten a PDF form: its fields' appearances drawn into the pages, the form removed.
#[utoipa::path(post, path = "/api/v1/pdf/forms/flatten", tag = "pdf",
    request_body(content = FormsFlattenRequest, description = "JSON with `data` or `url`; or multipart (`file`); or the raw PDF."),
    responses((status = 200, description = "The flattened PDF", content_type = "application/pdf")))]
pub async fn forms_flatten(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    edit(st, req, "flattened.pdf", |doc, _: super::NoOptions, st| {
        flatten(doc, st)?;
        Ok(Map::new())
    })
    .await
}
