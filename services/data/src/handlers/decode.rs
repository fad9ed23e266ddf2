//! `POST /api/v1/data/decode`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};

use super::encode::{EncodeRequest, TextResult};
use super::{St, respond};
use crate::encode::{self};

/// Decode text; invalid input (a bad `%` escape, non-base64, bytes that are not UTF-8) is 400 on `data`.
#[utoipa::path(post, path = "/api/v1/data/decode", tag = "data", request_body = EncodeRequest,
    responses((status = 200, description = "The decoded text", body = TextResult)))]
pub async fn decode(State(st): State<St>, p: Payload<EncodeRequest>) -> Response {
    respond(&st, "decode", p, |r| {
        Ok(TextResult {
            data: encode::decode(&r.data, r.encoding).map_err(|m| ApiError::field("data", m))?,
        })
    })
    .await
}
