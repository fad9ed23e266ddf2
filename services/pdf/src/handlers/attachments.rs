//! `POST /api/v1/pdf/attachments`, `/attachments/add` and `/attachments/extract`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use flowforge_kit::binary::{decode_base64, respond_binary};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{One, St, edit, inspect, one, open};
use crate::attachments::Attachment;

file_request!(
    AttachmentsRequest,
    super::NoOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF}),
    "A PDF whose attached files to list."
);

/// The attached files.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"attachments":[{"name":"invoice.xml","size":5120,"mimeType":"text/xml","description":"ZUGFeRD data"}]}))]
pub struct AttachmentsResponse {
    /// Each file: name, size, media type, description.
    pub attachments: Vec<Attachment>,
}

/// List the files attached to a PDF (a ZUGFeRD/Factur-X invoice's XML, say).
#[utoipa::path(post, path = "/api/v1/pdf/attachments", tag = "pdf",
    request_body(content = AttachmentsRequest, description = "JSON with `data` or `url`; or multipart (`file`); or the raw PDF."),
    responses((status = 200, description = "The attached files", body = AttachmentsResponse)))]
pub async fn attachments(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    inspect(st, req, |doc, _: super::NoOptions, _| {
        Ok(AttachmentsResponse {
            attachments: crate::attachments::list(doc),
        })
    })
    .await
}

/// Options of `attachments/add`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AddOptions {
    /// The file to attach, base64 (in multipart: a file part named `attachment`).
    pub attachment: String,
    /// Its name in the PDF (`invoice.xml`).
    #[schema(min_length = 1)]
    pub name: String,
    /// Its media type (`text/xml`).
    #[serde(default)]
    pub mime_type: Option<String>,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
}

file_request!(
    AttachmentsAddRequest,
    AddOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"attachment":"PGludm9pY2UvPg==","name":"invoice.xml","mimeType":"text/xml"}),
    "A PDF and a file to attach."
);

/// Attach a file to a PDF (replacing one of the same name).
#[utoipa::path(post, path = "/api/v1/pdf/attachments/add", tag = "pdf",
    request_body(content = AttachmentsAddRequest, description = "JSON with `data` (or `url`) and `attachment` (base64); or multipart with the parts `file` and `attachment` and the field `name`."),
    responses((status = 200, description = "The PDF with the file attached", content_type = "application/pdf")))]
pub async fn attachments_add(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    edit(st, req, "document.pdf", |doc, o: AddOptions, _| {
        let bytes = decode_base64(&o.attachment, "attachment")?;
        crate::attachments::add(
            doc,
            &o.name,
            bytes,
            o.mime_type.as_deref(),
            o.description.as_deref(),
        )?;
        Ok(Map::new())
    })
    .await
}

/// Options of `attachments/extract`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExtractOptions {
    /// The attached file's name, as `attachments` lists it.
    pub name: String,
}

file_request!(
    AttachmentsExtractRequest,
    ExtractOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF_WITH_ATTACHMENT,"name":"invoice.xml"}),
    "A PDF and the name of an attached file."
);

/// Take an attached file out of a PDF: its bytes (or base64 JSON on request).
#[utoipa::path(post, path = "/api/v1/pdf/attachments/extract", tag = "pdf",
    request_body(content = AttachmentsExtractRequest, description = "JSON with `data` or `url`; or multipart (`file` and `name`); or the raw PDF with `name` in the query string."),
    responses((status = 200, description = "The attached file", content_type = "application/octet-stream")))]
pub async fn attachments_extract(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let One {
        headers,
        input,
        options: o,
        password,
    } = one::<ExtractOptions>(&st, req).await?;
    let form = input.response;
    let st2 = st.clone();
    let name = o.name.clone();
    let bytes = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let doc = open(&st2, &input, password.as_deref())?;
            Ok(crate::attachments::extract(
                &doc,
                &o.name,
                st2.config.limits.max_stream,
            )?)
        })
        .await??;
    let safe: String = name
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\' && *c != '/')
        .collect();
    Ok(respond_binary(
        &headers,
        form,
        bytes,
        "application/octet-stream",
        if safe.is_empty() { "attachment" } else { &safe },
        Map::from_iter([("name".to_string(), Value::String(name))]),
    ))
}
