//! `POST /api/v1/pdf/metadata` and `/metadata/set`.

use std::collections::BTreeMap;

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{St, edit, inspect};
use crate::meta::Changes;

file_request!(
    MetadataRequest,
    super::NoOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF}),
    "A PDF whose metadata to read."
);

/// Read the document information: title, author, subject, keywords, creator, producer, dates
/// (ISO 8601) and custom keys.
#[utoipa::path(post, path = "/api/v1/pdf/metadata", tag = "pdf",
    request_body(content = MetadataRequest, description = "JSON with `data` or `url`; or multipart (`file`); or the raw PDF."),
    responses((status = 200, description = "The metadata", body = Object,
        example = json!({"title":"Invoice 42","author":"ACME Ltd","creationDate":"2024-01-31T12:00:00Z","custom":{"OrderId":"A-1009"}}))))]
pub async fn metadata(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    inspect(st, req, |doc, _: super::NoOptions, _| {
        Ok(Value::Object(crate::meta::get(doc)))
    })
    .await
}

/// Options of `metadata/set`: a value sets a key, `null` removes it, a key left out stays.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MetadataSetOptions {
    /// The title.
    #[serde(default, deserialize_with = "some")]
    pub title: Option<Option<String>>,
    /// The author.
    #[serde(default, deserialize_with = "some")]
    pub author: Option<Option<String>>,
    /// The subject.
    #[serde(default, deserialize_with = "some")]
    pub subject: Option<Option<String>>,
    /// Keywords (one string, comma-separated by convention).
    #[serde(default, deserialize_with = "some")]
    pub keywords: Option<Option<String>>,
    /// The application that made the original.
    #[serde(default, deserialize_with = "some")]
    pub creator: Option<Option<String>>,
    /// The application that wrote the PDF.
    #[serde(default, deserialize_with = "some")]
    pub producer: Option<Option<String>>,
    /// When it was made, ISO 8601 (`2024-01-31` or `2024-01-31T12:00:00Z`).
    #[serde(default, deserialize_with = "some")]
    pub creation_date: Option<Option<String>>,
    /// When it was last changed, ISO 8601.
    #[serde(default, deserialize_with = "some")]
    pub mod_date: Option<Option<String>>,
    /// Custom keys (`{"OrderId": "A-1009"}`; `null` removes one).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub custom: Option<BTreeMap<String, Option<String>>>,
}

/// A field that is present: `null` is `Some(None)`.
fn some<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

file_request!(
    MetadataSetRequest,
    MetadataSetOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"title":"Invoice 42","author":"ACME Ltd","creationDate":"2024-01-31T12:00:00Z","custom":{"OrderId":"A-1009"}}),
    "A PDF and the metadata to set."
);

/// Set or remove metadata: standard keys, dates in ISO 8601, custom keys.
#[utoipa::path(post, path = "/api/v1/pdf/metadata/set", tag = "pdf",
    request_body(content = MetadataSetRequest, description = "JSON with `data` or `url`; or multipart (`file` and the keys as fields; `custom` as a JSON object); or the raw PDF with the keys in the query string."),
    responses((status = 200, description = "The PDF with its new metadata", content_type = "application/pdf")))]
pub async fn metadata_set(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    edit(st, req, "document.pdf", |doc, o: MetadataSetOptions, _| {
        let mut changes = Changes::default();
        for (name, v) in [
            ("title", o.title),
            ("author", o.author),
            ("subject", o.subject),
            ("keywords", o.keywords),
            ("creator", o.creator),
            ("producer", o.producer),
            ("creationDate", o.creation_date),
            ("modDate", o.mod_date),
        ] {
            if let Some(v) = v {
                changes.standard.push((name, v));
            }
        }
        changes.custom = o.custom.unwrap_or_default().into_iter().collect();
        crate::meta::set(doc, &changes)?;
        Ok(Map::new())
    })
    .await
}
