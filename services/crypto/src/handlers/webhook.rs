//! `POST /api/v1/crypto/webhook/verify`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::SharedState;
use crate::encoding::{InputEncoding, decode};
use crate::mac::MacAlgorithm;
use crate::webhook::{self, Generic, Provider, SigEncoding};

/// Verify a webhook.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"provider":"github","secret":"It's a Secret to Everybody","payload":"Hello, World!","headers":{"X-Hub-Signature-256":"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}}))]
pub struct WebhookRequest {
    /// `stripe`, `github`, `shopify`, `slack` or `generic`.
    pub provider: Provider,
    /// The signing secret, exactly as the provider shows it.
    pub secret: String,
    /// The raw request body, byte for byte (not re-serialised JSON).
    pub payload: String,
    /// How `payload` is written (default `utf8`; use `base64` for binary bodies).
    #[serde(default)]
    pub payload_encoding: InputEncoding,
    /// The signature header's value; or leave out and pass `headers`.
    #[serde(default)]
    pub signature: Option<String>,
    /// The timestamp header's value (Slack, generic).
    #[serde(default)]
    pub timestamp: Option<String>,
    /// The request's headers (as n8n's Webhook node gives them); names are case-insensitive.
    #[serde(default)]
    pub headers: Option<BTreeMap<String, String>>,
    /// Seconds a timestamp may be from now (default 300).
    #[serde(default = "five_minutes")]
    pub tolerance: i64,
    /// Generic: the HMAC (default `sha256`).
    #[serde(default)]
    pub algorithm: Option<MacAlgorithm>,
    /// Generic: `hex` (default) or `base64`.
    #[serde(default)]
    pub encoding: SigEncoding,
    /// Generic: a prefix before the signature, e.g. `sha256=`.
    #[serde(default)]
    pub prefix: String,
    /// Generic: what is signed, with `{payload}` and `{timestamp}` (default `{payload}`).
    #[serde(default)]
    pub template: Option<String>,
    /// Generic: the signature header's name (default `x-signature`).
    #[serde(default)]
    pub signature_header: Option<String>,
    /// Check as of this Unix time (default now).
    #[serde(default)]
    pub now: Option<i64>,
}

fn five_minutes() -> i64 {
    300
}

/// The verdict.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"valid":true,"provider":"github"}))]
pub struct WebhookResponse {
    /// Whether the signature is good and fresh.
    pub valid: bool,
    /// The provider.
    pub provider: Provider,
    /// Why not, when not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The signed timestamp, where the scheme has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
}

fn header<'a>(h: &'a Option<BTreeMap<String, String>>, name: &str) -> Option<&'a str> {
    h.as_ref()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn webhook_one(r: WebhookRequest) -> Result<WebhookResponse, ApiError> {
    let sig_header = r
        .signature_header
        .as_deref()
        .unwrap_or(r.provider.signature_header());
    let signature = match (&r.signature, header(&r.headers, sig_header)) {
        (Some(s), _) => s.clone(),
        (None, Some(s)) => s.to_string(),
        (None, None) => {
            return Err(ApiError::field(
                "signature",
                format!("is required: pass `signature`, or `headers` containing {sig_header}"),
            ));
        }
    };
    let timestamp = r.timestamp.clone().or_else(|| {
        r.provider
            .timestamp_header()
            .and_then(|h| header(&r.headers, h))
            .map(str::to_string)
    });
    let payload = decode("payload", &r.payload, r.payload_encoding)?;
    if r.tolerance < 0 {
        return Err(ApiError::field("tolerance", "must not be negative"));
    }
    let generic = (r.provider == Provider::Generic).then(|| Generic {
        algorithm: r.algorithm.unwrap_or(MacAlgorithm::Sha256),
        encoding: r.encoding,
        prefix: r.prefix.clone(),
        template: r.template.clone().unwrap_or_else(|| "{payload}".into()),
    });
    let o = webhook::verify(&webhook::Check {
        provider: r.provider,
        secret: r.secret.as_bytes(),
        payload: &payload,
        signature: &signature,
        timestamp: timestamp.as_deref(),
        tolerance: r.tolerance,
        now: r.now.unwrap_or_else(crate::time::now),
        generic,
    })?;
    Ok(WebhookResponse {
        valid: o.valid,
        provider: r.provider,
        reason: o.reason,
        timestamp: o.timestamp,
    })
}

/// Verify an incoming webhook's signature: Stripe, GitHub, Shopify, Slack or a generic HMAC
/// scheme, with replay protection where the scheme has a timestamp. Answers `{"valid":false,"reason":…}`
/// for a bad signature so a workflow can branch.
#[utoipa::path(post, path = "/api/v1/crypto/webhook/verify", tag = "crypto",
    request_body = WebhookRequest,
    responses((status = 200, description = "The verdict", body = WebhookResponse)))]
pub async fn webhook_verify(
    State(st): State<SharedState>,
    payload: Payload<WebhookRequest>,
) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "webhook_verify"), webhook_one)
        .await
}
