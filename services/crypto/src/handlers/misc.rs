//! `POST /password/hash`, `/password/verify`, `/kdf/hkdf`, `/kdf/pbkdf2`, `/totp/secret`,
//! `/totp/code`, `/totp/verify`, `/webhook/verify`, `/legacy/decrypt`, `/legacy/encrypt`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cipher::{DecryptResponse, PlainEncoding, plain_out};
use super::{Errors, respond};
use crate::encoding::{InputEncoding, OutputEncoding, decode, encode, key_bytes, to_b64};
use crate::legacy::{self, LegacyKdf};
use crate::mac::MacAlgorithm;
use crate::otp::{self, OtpAlgorithm, OtpParams};
use crate::password::{self, CostLimits, PasswordAlgorithm, PasswordParams, Verdict};
use crate::sign::SigHash;
use crate::state::{Limits, SharedState};
use crate::webhook::{self, Generic, Provider, SigEncoding};

fn cost_limits(l: &Limits) -> CostLimits {
    CostLimits {
        argon2_memory_kib: l.kdf.max_m,
        argon2_iterations: l.kdf.max_t,
        ..CostLimits::default()
    }
}

/// Hash a password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"password":"correct horse battery staple"}))]
pub struct PasswordHashRequest {
    /// The password.
    pub password: String,
    /// `argon2id` (default), `bcrypt`, `scrypt`, `pbkdf2-sha256` or `pbkdf2-sha512`.
    #[serde(default)]
    pub algorithm: PasswordAlgorithm,
    /// Cost parameters (each algorithm has safe defaults).
    #[serde(default)]
    pub params: PasswordParams,
}

/// The hash.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"hash":"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$J8tq9mKq4Lp0Y1jZ3xQ7cH0rL9dN2vB6wE5tU8iO3aA","algorithm":"argon2id"}))]
pub struct PasswordHashResponse {
    /// PHC string, or `$2b$…` for bcrypt: store it as is.
    pub hash: String,
    /// The algorithm.
    pub algorithm: PasswordAlgorithm,
}

/// Hash a password with Argon2id (default), bcrypt, scrypt or PBKDF2.
#[utoipa::path(post, path = "/api/v1/crypto/password/hash", tag = "crypto",
    request_body = PasswordHashRequest,
    responses((status = 200, description = "The hash", body = PasswordHashResponse), Errors))]
pub async fn password_hash(
    State(st): State<SharedState>,
    payload: Payload<PasswordHashRequest>,
) -> Response {
    let lim = cost_limits(&st.limits);
    respond(&st, true, "password_hash", payload, move |r| {
        let hash = password::hash(r.algorithm, &r.password, &r.params, &lim)?;
        Ok(PasswordHashResponse {
            hash,
            algorithm: r.algorithm,
        })
    })
    .await
}

/// Verify a password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"password":"correct horse battery staple","hash":"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"}))]
pub struct PasswordVerifyRequest {
    /// The password.
    pub password: String,
    /// The stored hash: PHC (`$argon2id$`, `$scrypt$`, `$pbkdf2-sha256$`) or bcrypt (`$2a$`, `$2b$`, `$2y$`).
    pub hash: String,
}

/// Verify a password against a hash made here or by another system.
#[utoipa::path(post, path = "/api/v1/crypto/password/verify", tag = "crypto",
    request_body = PasswordVerifyRequest,
    responses((status = 200, description = "The verdict", body = Verdict), Errors))]
pub async fn password_verify(
    State(st): State<SharedState>,
    payload: Payload<PasswordVerifyRequest>,
) -> Response {
    let lim = cost_limits(&st.limits);
    respond(&st, true, "password_verify", payload, move |r| {
        Ok(password::verify(&r.password, &r.hash, &lim)?)
    })
    .await
}

/// HKDF.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"ikm":"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b","ikmEncoding":"hex","salt":"000102030405060708090a0b0c","saltEncoding":"hex","info":"f0f1f2f3f4f5f6f7f8f9","infoEncoding":"hex","length":42}))]
pub struct HkdfRequest {
    /// Input key material.
    pub ikm: String,
    /// How `ikm` is written (default `utf8`).
    #[serde(default)]
    pub ikm_encoding: InputEncoding,
    /// Optional salt.
    #[serde(default)]
    pub salt: Option<String>,
    /// How `salt` is written.
    #[serde(default)]
    pub salt_encoding: InputEncoding,
    /// Context information (default empty).
    #[serde(default)]
    pub info: String,
    /// How `info` is written.
    #[serde(default)]
    pub info_encoding: InputEncoding,
    /// Output length in bytes (default 32).
    #[serde(default = "thirty_two")]
    pub length: usize,
    /// `sha256` (default), `sha384` or `sha512`.
    #[serde(default = "sha256")]
    pub hash: SigHash,
    /// How to write the key (default `hex`).
    #[serde(default)]
    pub encoding: OutputEncoding,
}

fn thirty_two() -> usize {
    32
}

fn sha256() -> SigHash {
    SigHash::Sha256
}

/// A derived key.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"key":"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865","encoding":"hex"}))]
pub struct DerivedKey {
    /// The key.
    pub key: String,
    /// Its encoding.
    pub encoding: OutputEncoding,
}

/// Derive a key with HKDF (RFC 5869) over SHA-256/384/512.
#[utoipa::path(post, path = "/api/v1/crypto/kdf/hkdf", tag = "crypto",
    request_body = HkdfRequest,
    responses((status = 200, description = "The derived key", body = DerivedKey), Errors))]
pub async fn kdf_hkdf(State(st): State<SharedState>, payload: Payload<HkdfRequest>) -> Response {
    respond(&st, false, "kdf_hkdf", payload, |r| {
        let ikm = decode("ikm", &r.ikm, r.ikm_encoding)?;
        let salt = r
            .salt
            .as_deref()
            .map(|s| decode("salt", s, r.salt_encoding))
            .transpose()?;
        let info = decode("info", &r.info, r.info_encoding)?;
        let key = crate::kdf::hkdf(r.hash, &ikm, salt.as_deref(), &info, r.length)?;
        Ok(DerivedKey {
            key: encode(&key, r.encoding),
            encoding: r.encoding,
        })
    })
    .await
}

/// PBKDF2.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"password":"passwd","salt":"salt","iterations":1,"length":64}))]
pub struct Pbkdf2Request {
    /// The password.
    pub password: String,
    /// How `password` is written (default `utf8`).
    #[serde(default)]
    pub password_encoding: InputEncoding,
    /// The salt.
    pub salt: String,
    /// How `salt` is written (default `utf8`).
    #[serde(default)]
    pub salt_encoding: InputEncoding,
    /// Iterations (1 to 5,000,000).
    pub iterations: u32,
    /// Output length in bytes (default 32, at most 1024).
    #[serde(default = "thirty_two")]
    pub length: usize,
    /// `sha256` (default) or `sha512`.
    #[serde(default = "sha256")]
    pub hash: SigHash,
    /// How to write the key (default `hex`).
    #[serde(default)]
    pub encoding: OutputEncoding,
}

/// Derive a key with PBKDF2-HMAC-SHA256 or SHA512.
#[utoipa::path(post, path = "/api/v1/crypto/kdf/pbkdf2", tag = "crypto",
    request_body = Pbkdf2Request,
    responses((status = 200, description = "The derived key", body = DerivedKey), Errors))]
pub async fn kdf_pbkdf2(
    State(st): State<SharedState>,
    payload: Payload<Pbkdf2Request>,
) -> Response {
    respond(&st, true, "kdf_pbkdf2", payload, |r| {
        if r.iterations == 0 || r.iterations > 5_000_000 {
            return Err(ApiError::field(
                "iterations",
                "must be between 1 and 5000000",
            ));
        }
        if r.length == 0 || r.length > 1024 {
            return Err(ApiError::field(
                "length",
                "must be between 1 and 1024 bytes",
            ));
        }
        let sha512 = match r.hash {
            SigHash::Sha256 => false,
            SigHash::Sha512 => true,
            SigHash::Sha384 => {
                return Err(ApiError::field("hash", "PBKDF2 here uses sha256 or sha512"));
            }
        };
        let pw = decode("password", &r.password, r.password_encoding)?;
        let salt = decode("salt", &r.salt, r.salt_encoding)?;
        let key = password::pbkdf2_derive(sha512, &pw, &salt, r.iterations, r.length);
        Ok(DerivedKey {
            key: encode(&key, r.encoding),
            encoding: r.encoding,
        })
    })
    .await
}

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
    pub digits: u32,
    /// Seconds per code (default 30).
    #[serde(default = "thirty")]
    pub period: u64,
    /// Secret length in bytes (default 20 = 160 bits).
    #[serde(default = "twenty")]
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
    responses((status = 200, description = "Secret and URI", body = TotpSecretResponse), Errors))]
pub async fn totp_secret(
    State(st): State<SharedState>,
    payload: Payload<TotpSecretRequest>,
) -> Response {
    respond(&st, false, "totp_secret", payload, |r| {
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
    pub digits: u32,
    /// Seconds per code (default 30).
    #[serde(default = "thirty")]
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
    responses((status = 200, description = "The code", body = TotpCodeResponse), Errors))]
pub async fn totp_code(
    State(st): State<SharedState>,
    payload: Payload<TotpCodeRequest>,
) -> Response {
    respond(&st, false, "totp_code", payload, |r| {
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
    pub digits: u32,
    /// Seconds per code (default 30).
    #[serde(default = "thirty")]
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
    responses((status = 200, description = "The verdict", body = TotpVerifyResponse), Errors))]
pub async fn totp_verify(
    State(st): State<SharedState>,
    payload: Payload<TotpVerifyRequest>,
) -> Response {
    respond(&st, false, "totp_verify", payload, |r| {
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
    responses((status = 200, description = "The verdict", body = WebhookResponse), Errors))]
pub async fn webhook_verify(
    State(st): State<SharedState>,
    payload: Payload<WebhookRequest>,
) -> Response {
    respond(&st, false, "webhook_verify", payload, webhook_one).await
}

flowforge_kit::wire_enum! {
    /// Which tool made the data.
    #[derive(Default)]
    pub enum LegacyFormat {
        /// `openssl enc` output (`Salted__…`); set `cipher` and `kdf` as it was made.
        #[default]
        Openssl = "openssl",
        /// CryptoJS `AES.encrypt(text, passphrase).toString()`: AES-256-CBC, MD5 key derivation.
        Cryptojs = "cryptojs" | "crypto-js",
        /// n8n's credential encryption (CryptoJS-compatible): AES-256-CBC, MD5 key derivation.
        N8n = "n8n",
        /// Raw AES-CBC (PKCS#7) with `key` and `iv`.
        AesCbc = "aes-cbc",
        /// Raw AES-GCM with `key`, `iv` and `tag` (or the tag appended to `data`).
        AesGcm = "aes-gcm",
    }
}

/// Decrypt what another tool produced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"format":"cryptojs","data":"U2FsdGVkX18bMllQi7Hdb4+rTNqU7Lis+B24mw4o4CXUQb2E2jvyItpdbvyve6qX","passphrase":"n8n-key"}))]
pub struct LegacyDecryptRequest {
    /// `openssl` (default), `cryptojs`, `n8n`, `aes-cbc` or `aes-gcm`.
    #[serde(default)]
    pub format: LegacyFormat,
    /// The encrypted data.
    pub data: String,
    /// How `data` is written (default `base64`, as openssl -base64 and CryptoJS write it).
    #[serde(default = "b64_in")]
    pub data_encoding: InputEncoding,
    /// The passphrase (openssl, cryptojs, n8n).
    #[serde(default)]
    pub passphrase: Option<String>,
    /// openssl: `aes-256-cbc` (default), `aes-192-cbc` or `aes-128-cbc`.
    #[serde(default)]
    pub cipher: Option<String>,
    /// openssl: `md5` (default; OpenSSL < 1.1, CryptoJS), `sha256` (OpenSSL 1.1+ default) or `pbkdf2`.
    #[serde(default)]
    pub kdf: LegacyKdf,
    /// openssl with pbkdf2: iterations (default 10000, as `openssl enc -pbkdf2`).
    #[serde(default = "ten_thousand")]
    pub iterations: u32,
    /// aes-cbc / aes-gcm: the key (16, 24 or 32 bytes).
    #[serde(default)]
    pub key: Option<String>,
    /// How `key` is written (default `hex`).
    #[serde(default = "hex_in")]
    pub key_encoding: InputEncoding,
    /// aes-cbc / aes-gcm: the IV.
    #[serde(default)]
    pub iv: Option<String>,
    /// How `iv` is written (default `hex`).
    #[serde(default = "hex_in")]
    pub iv_encoding: InputEncoding,
    /// aes-gcm: the tag, if not appended to `data`.
    #[serde(default)]
    pub tag: Option<String>,
    /// How `tag` is written (default `hex`).
    #[serde(default = "hex_in")]
    pub tag_encoding: InputEncoding,
    /// aes-gcm: associated data (utf8).
    #[serde(default)]
    pub aad: Option<String>,
    /// How to write the plaintext (default `utf8`).
    #[serde(default)]
    pub encoding: PlainEncoding,
}

fn b64_in() -> InputEncoding {
    InputEncoding::Base64
}

fn hex_in() -> InputEncoding {
    InputEncoding::Hex
}

fn ten_thousand() -> u32 {
    10_000
}

fn need<'a>(v: &'a Option<String>, field: &str, why: &str) -> Result<&'a str, ApiError> {
    v.as_deref()
        .ok_or_else(|| ApiError::field(field, format!("is required {why}")))
}

fn legacy_decrypt_one(r: LegacyDecryptRequest) -> Result<DecryptResponse, ApiError> {
    let data = decode("data", &r.data, r.data_encoding)?;
    let pt = match r.format {
        LegacyFormat::Openssl | LegacyFormat::Cryptojs | LegacyFormat::N8n => {
            let pass = need(&r.passphrase, "passphrase", "for this format")?;
            let (key_len, kdf) = if r.format == LegacyFormat::Openssl {
                (
                    legacy::cbc_key_len(r.cipher.as_deref().unwrap_or("aes-256-cbc"))?,
                    r.kdf,
                )
            } else {
                (32, LegacyKdf::Md5)
            };
            if r.iterations == 0 || r.iterations > 5_000_000 {
                return Err(ApiError::field(
                    "iterations",
                    "must be between 1 and 5000000",
                ));
            }
            legacy::openssl_decrypt(&data, pass.as_bytes(), key_len, kdf, r.iterations)?
        }
        LegacyFormat::AesCbc => {
            let key = key_bytes("key", need(&r.key, "key", "for aes-cbc")?, r.key_encoding)?;
            let iv = decode("iv", need(&r.iv, "iv", "for aes-cbc")?, r.iv_encoding)?;
            legacy::cbc_decrypt(&key, &iv, &data, "data")?
        }
        LegacyFormat::AesGcm => {
            let key = key_bytes("key", need(&r.key, "key", "for aes-gcm")?, r.key_encoding)?;
            let iv = decode("iv", need(&r.iv, "iv", "for aes-gcm")?, r.iv_encoding)?;
            let mut body = data;
            if let Some(t) = &r.tag {
                body.extend(decode("tag", t, r.tag_encoding)?);
            }
            if body.len() < 16 {
                return Err(ApiError::field(
                    "tag",
                    "is required: 16 bytes, in `tag` or appended to `data`",
                ));
            }
            let aad = r.aad.clone().unwrap_or_default();
            legacy::gcm_decrypt(&key, &iv, &body, aad.as_bytes(), "data")?
        }
    };
    Ok(plain_out(pt, r.encoding))
}

/// Decrypt what other tools produced: `openssl enc` (MD5, SHA-256 or PBKDF2 key derivation),
/// CryptoJS `AES.encrypt`, n8n's credential format, or raw AES-CBC / AES-GCM with key and IV.
#[utoipa::path(post, path = "/api/v1/crypto/legacy/decrypt", tag = "crypto",
    request_body = LegacyDecryptRequest,
    responses((status = 200, description = "The plaintext", body = DecryptResponse), Errors))]
pub async fn legacy_decrypt(
    State(st): State<SharedState>,
    payload: Payload<LegacyDecryptRequest>,
) -> Response {
    respond(&st, true, "legacy_decrypt", payload, legacy_decrypt_one).await
}

/// Encrypt in the OpenSSL / CryptoJS format.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"format":"cryptojs","plaintext":"hello","passphrase":"n8n-key"}))]
pub struct LegacyEncryptRequest {
    /// `openssl` (default), `cryptojs` or `n8n`.
    #[serde(default)]
    pub format: LegacyFormat,
    /// The data.
    pub plaintext: String,
    /// How `plaintext` is written (default `utf8`).
    #[serde(default)]
    pub input_encoding: InputEncoding,
    /// The passphrase.
    pub passphrase: String,
    /// openssl: cipher (default `aes-256-cbc`).
    #[serde(default)]
    pub cipher: Option<String>,
    /// openssl: key derivation (default `md5`; `pbkdf2` is the safer choice).
    #[serde(default)]
    pub kdf: LegacyKdf,
    /// openssl with pbkdf2: iterations (default 10000).
    #[serde(default = "ten_thousand")]
    pub iterations: u32,
}

/// OpenSSL-format output.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"data":"U2FsdGVkX1+f52tvmwQ0FxQhmWXp77Jqj1Wucha95ps=","encoding":"base64"}))]
pub struct LegacyEncryptResponse {
    /// `Salted__` + salt + ciphertext, base64 (what `openssl enc -base64` and CryptoJS print).
    pub data: String,
    /// Always `base64`.
    pub encoding: &'static str,
}

/// Encrypt in the `openssl enc` / CryptoJS / n8n format, for tools that only read that.
#[utoipa::path(post, path = "/api/v1/crypto/legacy/encrypt", tag = "crypto",
    request_body = LegacyEncryptRequest,
    responses((status = 200, description = "The data", body = LegacyEncryptResponse), Errors))]
pub async fn legacy_encrypt(
    State(st): State<SharedState>,
    payload: Payload<LegacyEncryptRequest>,
) -> Response {
    respond(&st, true, "legacy_encrypt", payload, |r| {
        let pt = decode("plaintext", &r.plaintext, r.input_encoding)?;
        let (key_len, kdf) = match r.format {
            LegacyFormat::Openssl => (
                legacy::cbc_key_len(r.cipher.as_deref().unwrap_or("aes-256-cbc"))?,
                r.kdf,
            ),
            LegacyFormat::Cryptojs | LegacyFormat::N8n => (32, LegacyKdf::Md5),
            _ => {
                return Err(ApiError::field(
                    "format",
                    "must be openssl, cryptojs or n8n; for raw AES use /encrypt",
                ));
            }
        };
        if r.iterations == 0 || r.iterations > 5_000_000 {
            return Err(ApiError::field(
                "iterations",
                "must be between 1 and 5000000",
            ));
        }
        let out =
            legacy::openssl_encrypt(&pt, r.passphrase.as_bytes(), key_len, kdf, r.iterations)?;
        Ok(LegacyEncryptResponse {
            data: to_b64(&out),
            encoding: "base64",
        })
    })
    .await
}
