//! `POST /api/v1/data/validate`: JSON Schema.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{St, respond};
use crate::schema::{self, Outcome, SchemaDraft};

fn hundred() -> usize {
    100
}

/// Data and the JSON Schema it must meet.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"schema":{"type":"object","required":["email"],"properties":{"age":{"type":"integer","minimum":0}}},"data":{"age":-1}}))]
pub struct ValidateRequest {
    /// The schema.
    pub schema: serde_json::Value,
    /// The instance to check.
    pub data: serde_json::Value,
    /// 4, 6, 7, 2019-09 or 2020-12; default: the schema's `$schema`, else 2020-12.
    #[serde(default)]
    pub draft: Option<SchemaDraft>,
    /// Check `format` (email, date-time, uri, …); default: as the draft says (annotation only
    /// from 2019-09).
    #[serde(default)]
    pub formats: Option<bool>,
    /// Other schemas a `$ref` may name, by URI. Nothing is fetched.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub resources: BTreeMap<String, serde_json::Value>,
    /// The most errors listed (default 100).
    #[serde(default = "hundred")]
    pub max_errors: usize,
}

/// Validate data against a JSON Schema; every error by instance path and schema path.
#[utoipa::path(post, path = "/api/v1/data/validate", tag = "data", request_body = ValidateRequest,
    responses((status = 200, description = "`valid`, and every error", body = Outcome,
        example = json!({"valid":false,"errors":[
            {"instancePath":"","schemaPath":"/required","message":"\"email\" is a required property"},
            {"instancePath":"/age","schemaPath":"/properties/age/minimum","message":"-1 is less than the minimum of 0"}]}))))]
pub async fn validate(State(st): State<St>, p: Payload<ValidateRequest>) -> Response {
    respond(&st, "validate", p, |r| {
        schema::validate(
            &r.schema,
            &r.data,
            r.draft,
            r.formats,
            &r.resources,
            r.max_errors,
        )
        .map_err(ApiError::from)
    })
    .await
}
