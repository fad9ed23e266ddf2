//! `POST /api/v1/crypto/totp/secret`, `/totp/code`, `/totp/verify`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::SharedState;
use crate::otp::{self, OtpAlgorithm, OtpParams};

fn otp_params(algorithm: OtpAlgorithm, digits: u32, period: u64) -> Result<OtpParams, ApiError> {
    let p = OtpParams {
        algorithm,
        digits,
        period,
    };
    p.check()?;
    Ok(p)
}

fn six() -> u32 {
    6
}

fn thirty() -> u64 {
    30
}

/// A new TOTP secret.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"account":"ada@example.com","issuer":"FlowForge"}))]
pub struct TotpSecretRequest {
    /// The account shown in the authenticator app.
    pub account: String,
    /// The issuer shown in the app.
    #[serde(default)]
    pub issuer: Option<String>,
    /// `sha1` (default; most apps support only it), `sha256` or `sha512`.
    #[serde(default)]
    pub algorithm: OtpAlgorithm,
    /// Digits (default 6).
    #[serde(default = "six")]
    #[schema(minimum = 6, maximum = 10)]
    pub digits: u32,
    /// Seconds per code (default 30).
    #[serde(default = "thirty")]
    #[schema(minimum = 1, maximum = 3600)]
    pub period: u64,
    /// Secret length in bytes (default 20 = 160 bits).
    #[serde(default = "twenty")]
    #[schema(minimum = 16, maximum = 64)]
    pub secret_length: usize,
}

fn twenty() -> usize {
    20
}

/// The secret and its URI.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"secret":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP","uri":"otpauth://totp/FlowForge:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30&issuer=FlowForge"}))]
pub struct TotpSecretResponse {
    /// Base32 secret: store it encrypted.
    pub secret: String,
    /// `otpauth://` URI: render as a QR code for the app.
    pub uri: String,
}

/// A new TOTP secret and the `otpauth://` URI an authenticator app scans.
#[utoipa::path(post, path = "/api/v1/crypto/totp/secret", tag = "crypto",
    request_body = TotpSecretRequest,
    responses((status = 200, description = "Secret and URI", body = TotpSecretResponse)))]
pub async fn totp_secret(
    State(st): State<SharedState>,
    payload: Payload<TotpSecretRequest>,
) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "totp_secret"), |r| {
            let p = otp_params(r.algorithm, r.digits, r.period)?;
            let secret = otp::new_secret(r.secret_length)?;
            let uri = otp::uri(&secret, &r.account, r.issuer.as_deref(), &p);
            Ok(TotpSecretResponse { secret, uri })
        })
        .await
}

/// The current code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"secret":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}))]
pub struct TotpCodeRequest {
    /// Base32 secret.
    pub secret: String,
    /// HMAC (default `sha1`).
    #[serde(default)]
    pub algorithm: OtpAlgorithm,
    /// Digits (default 6).
    #[serde(default = "six")]
    #[schema(minimum = 6, maximum = 10)]
    pub digits: u32,
    /// Seconds per code (default 30).
    #[serde(default = "thirty")]
    #[schema(minimum = 1, maximum = 3600)]
    pub period: u64,
    /// Unix time to compute at (default now).
    #[serde(default)]
    pub time: Option<u64>,
}

/// A code.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"code":"492039","remainingSeconds":17}))]
pub struct TotpCodeResponse {
    /// The code.
    pub code: String,
    /// Seconds until the next code.
    pub remaining_seconds: u64,
}

/// The TOTP code at a time (default now).
#[utoipa::path(post, path = "/api/v1/crypto/totp/code", tag = "crypto",
    request_body = TotpCodeRequest,
    responses((status = 200, description = "The code", body = TotpCodeResponse)))]
pub async fn totp_code(
    State(st): State<SharedState>,
    payload: Payload<TotpCodeRequest>,
) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "totp_code"), |r| {
            let p = otp_params(r.algorithm, r.digits, r.period)?;
            let key = otp::decode_secret(&r.secret)?;
            let t = r.time.unwrap_or_else(|| crate::time::now().max(0) as u64);
            let (code, remaining_seconds) = otp::totp(&key, t, &p)?;
            Ok(TotpCodeResponse {
                code,
                remaining_seconds,
            })
        })
        .await
}

/// Verify a code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"secret":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP","code":"492039","window":1}))]
pub struct TotpVerifyRequest {
    /// Base32 secret.
    pub secret: String,
    /// The code the user typed.
    pub code: String,
    /// Steps before and after now to accept (default 1, at most 10).
    #[serde(default = "one")]
    pub window: u32,
    /// HMAC (default `sha1`).
    #[serde(default)]
    pub algorithm: OtpAlgorithm,
    /// Digits (default 6).
    #[serde(default = "six")]
    #[schema(minimum = 6, maximum = 10)]
    pub digits: u32,
    /// Seconds per code (default 30).
    #[serde(default = "thirty")]
    #[schema(minimum = 1, maximum = 3600)]
    pub period: u64,
    /// Unix time to check at (default now).
    #[serde(default)]
    pub time: Option<u64>,
}

fn one() -> u32 {
    1
}

/// The verdict.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"valid":true,"delta":0}))]
pub struct TotpVerifyResponse {
    /// Whether the code matches within the window.
    pub valid: bool,
    /// Which step matched: 0 now, -1 the previous, 1 the next.
    pub delta: Option<i64>,
}

/// Verify a TOTP code within a window of steps (constant-time comparison).
#[utoipa::path(post, path = "/api/v1/crypto/totp/verify", tag = "crypto",
    request_body = TotpVerifyRequest,
    responses((status = 200, description = "The verdict", body = TotpVerifyResponse)))]
pub async fn totp_verify(
    State(st): State<SharedState>,
    payload: Payload<TotpVerifyRequest>,
) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "totp_verify"), |r| {
            if r.window > 10 {
                return Err(ApiError::field("window", "must be at most 10 steps"));
            }
            let p = otp_params(r.algorithm, r.digits, r.period)?;
            let key = otp::decode_secret(&r.secret)?;
            let t = r.time.unwrap_or_else(|| crate::time::now().max(0) as u64);
            let delta = otp::verify(&key, &r.code, t, r.window, &p)?;
            Ok(TotpVerifyResponse {
                valid: delta.is_some(),
                delta,
            })
        })
        .await
}
