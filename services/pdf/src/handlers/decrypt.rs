//! `POST /api/v1/pdf/decrypt`.

use axum::extract::{Request, State};
use axum::response::Response;
use flowforge_kit::ApiError;
use serde::Deserialize;
use serde_json::Map;
use utoipa::ToSchema;

use super::{St, open, options, read, respond_pdf};

/// Options of `decrypt`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DecryptOptions {
    /// The user or owner password (leave out for a file that opens without one, to remove its
    /// restrictions).
    #[serde(default)]
    pub password: Option<String>,
}

file_request!(
    DecryptRequest,
    DecryptOptions,
    json!({"data":crate::handlers::EXAMPLE_PDF,"password":"open sesame"}),
    "An encrypted PDF and its password."
);

/// Remove a PDF's password and restrictions (with the password).
#[utoipa::path(post, path = "/api/v1/pdf/decrypt", tag = "pdf",
    request_body(content = DecryptRequest, description = "JSON with `data` or `url`; or multipart (`file` and `password`); or the raw PDF with `password` in the query string."),
    responses((status = 200, description = "The PDF, without encryption", content_type = "application/pdf")))]
pub async fn decrypt(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let (headers, input) = read(&st, req).await?;
    let o: DecryptOptions = options(input.options.clone())?;
    let form = input.response;
    let st2 = st.clone();
    let bytes = st
        .cpu
        .run(move || -> Result<_, ApiError> {
            let mut doc = open(&st2, &input, o.password.as_deref())?;
            Ok(crate::document::save(&mut doc)?)
        })
        .await??;
    Ok(respond_pdf(
        &headers,
        form,
        bytes,
        "decrypted.pdf",
        Map::new(),
    ))
}
