//! `POST /api/v1/image/metadata`.

use axum::extract::Request;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use flowforge_kit::ApiError;

use serde::Deserialize;
use utoipa::ToSchema;

use super::{St, read};
use crate::meta;

/// Metadata of an image.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"data":crate::handlers::EXAMPLE_PNG}))]
pub struct MetadataRequest {
    /// The image, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch the image from.
    pub url: Option<String>,
}

/// Format, size, channels, bit depth, alpha, orientation, colour space, EXIF (GPS as decimal degrees), file size, dominant colour.
#[utoipa::path(post, path = "/api/v1/image/metadata", tag = "image", request_body(content = MetadataRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The metadata", body = Object,
        example = json!({"format":"jpeg","width":4000,"height":3000,"uprightWidth":4000,"uprightHeight":3000,"orientation":1,"channels":3,"bitDepth":8,"hasAlpha":false,"colorSpace":"srgb","size":2483120,"dominantColor":"#6b8fb4","progressive":false,"exif":{"Make":"\"Canon\"","gps":{"latitude":48.8584,"longitude":2.2945}}})),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn metadata(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let (_, input) = read(&st, req).await?;
    if let Some(k) = input.options.keys().next() {
        return Err(ApiError::field(
            k.clone(),
            "is not an option of metadata (it takes none)",
        ));
    }
    let lim = st.config.limits;
    let v = st
        .cpu
        .run(move || {
            meta::metadata(&input.bytes, input.declared_type.as_deref(), &lim)
                .map_err(|e| e.from_input(input.field))
        })
        .await??;
    Ok(axum::Json(v).into_response())
}
