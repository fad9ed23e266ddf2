//! `POST /api/v1/data/encode`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::Payload;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{St, respond};
use crate::encode::{self, Encoding};

/// Text to encode or decode.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"data":"a b&c","encoding":"url"}))]
pub struct EncodeRequest {
    /// The text.
    pub data: String,
    /// base64, base64url, hex, url (component), form (`+` for space) or html (entities).
    pub encoding: Encoding,
}

/// The result.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"data":"a%20b%26c"}))]
pub struct TextResult {
    /// The encoded or decoded text.
    pub data: String,
}

/// Encode text: base64, base64url, hex, URL component or form, HTML entities.
#[utoipa::path(post, path = "/api/v1/data/encode", tag = "data", request_body = EncodeRequest,
    responses((status = 200, description = "The encoded text", body = TextResult)))]
pub async fn encode(State(st): State<St>, p: Payload<EncodeRequest>) -> Response {
    respond(&st, "encode", p, |r| {
        Ok(TextResult {
            data: encode::encode(&r.data, r.encoding),
        })
    })
    .await
}
