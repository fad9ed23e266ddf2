//! `POST /api/v1/image/placeholder`: BlurHash, ThumbHash and a tiny preview.

use axum::extract::Request;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use flowforge_kit::ApiError;

use flowforge_kit::extract::from_value;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::{St, read};
use crate::{decode, meta};

/// Placeholder options.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"data":crate::handlers::EXAMPLE_PNG,"componentsX":4,"componentsY":3}))]
pub struct PlaceholderRequest {
    /// The image, base64 (or give `url`).
    pub data: Option<String>,
    /// An http(s) URL to fetch the image from.
    pub url: Option<String>,
    /// BlurHash components across (1 to 9, default 4).
    pub components_x: Option<u32>,
    /// BlurHash components down (1 to 9, default 3).
    pub components_y: Option<u32>,
    /// Longest side of the preview PNG (1 to 64, default 16).
    pub preview_size: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PlaceholderOpts {
    components_x: Option<u32>,
    components_y: Option<u32>,
    preview_size: Option<u32>,
}

/// BlurHash and ThumbHash strings, and a tiny base64 PNG preview.
#[utoipa::path(post, path = "/api/v1/image/placeholder", tag = "image", request_body(content = PlaceholderRequest, description = "As resize: raw, multipart or JSON."),
    responses((status = 200, description = "The placeholders", body = Object,
        example = json!({"blurhash":"LEHV6nWB2yk8pyo0adR*.7kCMdnj","thumbhash":"1QcSHQRnh493V4dIh4eXh1h4kJUI","preview":"data:image/png;base64,iVBORw0KGgo…","width":4000,"height":3000})),
        (status = 403, description = "A `url` that resolves to a loopback, private, link-local or metadata address (IMAGE_FETCH_ALLOW_PRIVATE)")))]
pub async fn placeholder(State(st): State<St>, req: Request) -> Result<Response, ApiError> {
    let (_, input) = read(&st, req).await?;
    let o: PlaceholderOpts = from_value(Value::Object(input.options.clone()))?;
    let lim = st.config.limits;
    let v = st
        .cpu
        .run(move || {
            let d = decode::decode(
                &input.bytes,
                input.declared_type.as_deref(),
                &lim,
                true,
                &|_, _| Some((100, 100)),
            )
            .map_err(|e| e.from_input(input.field))?;
            meta::placeholders(
                &d.image,
                o.components_x.unwrap_or(4),
                o.components_y.unwrap_or(3),
                o.preview_size.unwrap_or(16),
            )
        })
        .await??;
    Ok(axum::Json(v).into_response())
}
