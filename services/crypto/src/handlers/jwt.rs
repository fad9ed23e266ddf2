//! `POST /jwt/sign`, `/jwt/verify`, `/jwt/decode`.

use axum::extract::State;
use axum::response::Response;
use flowforge_kit::{ApiError, Payload};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::SharedState;
use crate::encoding::{InputEncoding, key_bytes};
use crate::jwt::{self, Checks, JwtAlgorithm, SigningKey, VerifyingKey};
use crate::keys;

/// Sign a JWT.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"algorithm":"HS256","secret":"my-secret","claims":{"sub":"user-42","role":"admin"},"expiresIn":3600}))]
pub struct JwtSignRequest {
    /// HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384 or EdDSA.
    pub algorithm: JwtAlgorithm,
    /// For HS*: the secret.
    #[serde(default)]
    pub secret: Option<String>,
    /// How `secret` is written (default `utf8`).
    #[serde(default)]
    pub secret_encoding: InputEncoding,
    /// For RS*/PS*/ES*/EdDSA: the private key, PEM or JWK.
    #[serde(default)]
    pub private_key: Option<Value>,
    /// The claims (a JSON object).
    #[schema(value_type = Object)]
    pub claims: Map<String, Value>,
    /// Extra header members, e.g. `{"kid":"key-1"}`.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub header: Option<Map<String, Value>>,
    /// Seconds until expiry: sets `exp` = now + expiresIn.
    #[serde(default)]
    pub expires_in: Option<i64>,
    /// Seconds until valid: sets `nbf` = now + notBefore.
    #[serde(default)]
    pub not_before: Option<i64>,
    /// Sets `iss`.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Sets `aud`.
    #[serde(default)]
    pub audience: Option<String>,
    /// Sets `sub`.
    #[serde(default)]
    pub subject: Option<String>,
    /// Add `iat` = now (default true).
    #[serde(default = "yes")]
    pub iat: bool,
    /// Add a random `jti` (default false).
    #[serde(default)]
    pub jti: bool,
}

fn yes() -> bool {
    true
}

/// A signed token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIiwiZXhwIjo0MTAyNDQ0ODAwfQ.cg6--oUSNVvi4vlhPk99kuRE4V3H4Z9dZPx0CXZe0kg", "algorithm": "HS256"}))]
pub struct JwtSignResponse {
    /// The compact JWT.
    pub token: String,
    /// The algorithm.
    pub algorithm: JwtAlgorithm,
}

fn signing_key(
    alg: JwtAlgorithm,
    secret: Option<String>,
    enc: InputEncoding,
    private_key: Option<Value>,
) -> Result<SigningKey, ApiError> {
    match (alg.key_type(), secret, private_key) {
        ("secret", Some(s), None) => Ok(SigningKey::Secret(key_bytes("secret", &s, enc)?)),
        ("secret", _, _) => Err(ApiError::field(
            "secret",
            format!("is required for {alg} (and `privateKey` must be left out)"),
        )),
        (_, None, Some(k)) => Ok(SigningKey::Private(Box::new(keys::parse_private(
            "privateKey",
            &k,
        )?))),
        (t, _, _) => Err(ApiError::field(
            "privateKey",
            format!(
                "is required for {alg}: a {t} private key, PEM or JWK (and `secret` must be left out)"
            ),
        )),
    }
}

fn jwt_sign_one(r: JwtSignRequest) -> Result<JwtSignResponse, ApiError> {
    let key = signing_key(r.algorithm, r.secret, r.secret_encoding, r.private_key)?;
    let now = crate::time::now();
    let mut claims = r.claims;
    if r.iat {
        claims.entry("iat").or_insert(now.into());
    }
    if let Some(e) = r.expires_in {
        if e <= 0 {
            return Err(ApiError::field(
                "expiresIn",
                "must be a positive number of seconds",
            ));
        }
        claims.insert("exp".into(), (now + e).into());
    }
    if let Some(n) = r.not_before {
        claims.insert("nbf".into(), (now + n).into());
    }
    for (name, v) in [("iss", r.issuer), ("aud", r.audience), ("sub", r.subject)] {
        if let Some(v) = v {
            claims.insert(name.into(), v.into());
        }
    }
    if r.jti {
        claims.insert("jti".into(), uuid::Uuid::new_v4().to_string().into());
    }
    let token = jwt::sign(r.algorithm, &key, &r.header.unwrap_or_default(), &claims)?;
    Ok(JwtSignResponse {
        token,
        algorithm: r.algorithm,
    })
}

/// Sign a JWT (HS*, RS*, PS*, ES256/384, EdDSA), with `exp`, `nbf`, `iss`, `aud`, `sub`, `iat`, `jti` helpers.
#[utoipa::path(post, path = "/api/v1/crypto/jwt/sign", tag = "crypto",
    request_body = JwtSignRequest,
    responses((status = 200, description = "The token", body = JwtSignResponse)))]
pub async fn jwt_sign(State(st): State<SharedState>, payload: Payload<JwtSignRequest>) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "jwt_sign"), jwt_sign_one)
        .await
}

/// One string or several.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One.
    One(String),
    /// Several.
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// Verify a JWT.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIiwiZXhwIjo0MTAyNDQ0ODAwfQ.cg6--oUSNVvi4vlhPk99kuRE4V3H4Z9dZPx0CXZe0kg", "secret": "my-secret", "leeway": 30}))]
pub struct JwtVerifyRequest {
    /// The token (a leading `Bearer ` is ignored).
    pub token: String,
    /// For HS*: the secret.
    #[serde(default)]
    pub secret: Option<String>,
    /// How `secret` is written (default `utf8`).
    #[serde(default)]
    pub secret_encoding: InputEncoding,
    /// For RS*/PS*/ES*/EdDSA: the public key, PEM or JWK.
    #[serde(default)]
    pub public_key: Option<Value>,
    /// Or a JWK set `{"keys":[…]}`; the token's `kid` picks the key.
    #[serde(default)]
    pub jwks: Option<Value>,
    /// Allowed algorithms (default: those that fit the key given).
    #[serde(default)]
    pub algorithms: Option<Vec<JwtAlgorithm>>,
    /// Seconds of clock skew allowed for exp, nbf, iat (default 0).
    #[serde(default)]
    pub leeway: i64,
    /// Required issuer(s).
    #[serde(default)]
    pub issuer: Option<OneOrMany>,
    /// Required audience(s): `aud` must contain one.
    #[serde(default)]
    pub audience: Option<OneOrMany>,
    /// Required subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// Claims that must be present, e.g. `["exp"]`.
    #[serde(default)]
    pub required_claims: Vec<String>,
    /// Refuse tokens whose `iat` is older than this many seconds.
    #[serde(default)]
    pub max_age: Option<i64>,
    /// Check as of this Unix time instead of now (replaying a past decision, tests).
    #[serde(default)]
    pub clock_timestamp: Option<i64>,
}

/// A verified token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"valid": true, "header": {"alg": "HS256", "typ": "JWT"}, "claims": {"sub": "user-42", "role": "admin", "exp": 4102444800_i64}}))]
pub struct JwtVerifyResponse {
    /// Always true here: a failed check answers 422 naming the check (`token`, `exp`, `nbf`, `iat`, `iss`, `aud`, `sub`).
    pub valid: bool,
    /// The header.
    #[schema(value_type = Object)]
    pub header: Map<String, Value>,
    /// The claims.
    #[schema(value_type = Object)]
    pub claims: Map<String, Value>,
}

fn verifying_keys(r: &JwtVerifyRequest) -> Result<Vec<VerifyingKey>, ApiError> {
    let given = [r.secret.is_some(), r.public_key.is_some(), r.jwks.is_some()]
        .iter()
        .filter(|b| **b)
        .count();
    if given != 1 {
        return Err(ApiError::field(
            "secret",
            "give exactly one of `secret` (HS*), `publicKey` (PEM or JWK) or `jwks` (a JWK set)",
        ));
    }
    if let Some(s) = &r.secret {
        return Ok(vec![VerifyingKey::Secret(key_bytes(
            "secret",
            s,
            r.secret_encoding,
        )?)]);
    }
    if let Some(k) = &r.public_key {
        return Ok(vec![VerifyingKey::Public(
            keys::parse_public("publicKey", k)?,
            None,
        )]);
    }
    let set = r
        .jwks
        .as_ref()
        .and_then(|j| j.get("keys"))
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::field("jwks", "must be a JWK set: {\"keys\":[{…},…]}"))?;
    let mut out = Vec::new();
    for (i, k) in set.iter().enumerate() {
        if k.get("kty").and_then(Value::as_str) == Some("oct") {
            continue;
        }
        let kid = k.get("kid").and_then(Value::as_str).map(str::to_string);
        out.push(VerifyingKey::Public(
            keys::parse_public(&format!("jwks.keys[{i}]"), k)?,
            kid,
        ));
    }
    if out.is_empty() {
        return Err(ApiError::field("jwks", "holds no usable public key"));
    }
    Ok(out)
}

fn jwt_verify_one(r: JwtVerifyRequest) -> Result<JwtVerifyResponse, ApiError> {
    let keys = verifying_keys(&r)?;
    if r.leeway < 0 {
        return Err(ApiError::field("leeway", "must not be negative"));
    }
    let checks = Checks {
        algorithms: r.algorithms,
        leeway: r.leeway,
        issuer: r.issuer.map(OneOrMany::into_vec),
        audience: r.audience.map(OneOrMany::into_vec),
        subject: r.subject,
        required: r.required_claims,
        max_age: r.max_age,
        now: r.clock_timestamp.unwrap_or_else(crate::time::now),
    };
    let d = jwt::verify(&r.token, &keys, &checks)?;
    Ok(JwtVerifyResponse {
        valid: true,
        header: d.header,
        claims: d.claims,
    })
}

/// Verify a JWT's signature and its exp, nbf and iat (with leeway), and iss, aud, sub when asked.
/// A failed check answers 422 whose `details[0].field` names it (`token` for the signature).
#[utoipa::path(post, path = "/api/v1/crypto/jwt/verify", tag = "crypto",
    request_body = JwtVerifyRequest,
    responses((status = 200, description = "Valid: header and claims", body = JwtVerifyResponse)))]
pub async fn jwt_verify(
    State(st): State<SharedState>,
    payload: Payload<JwtVerifyRequest>,
) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "jwt_verify"), jwt_verify_one)
        .await
}

/// Decode a JWT without verifying it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIiwiZXhwIjo0MTAyNDQ0ODAwfQ.cg6--oUSNVvi4vlhPk99kuRE4V3H4Z9dZPx0CXZe0kg"}))]
pub struct JwtDecodeRequest {
    /// The token.
    pub token: String,
}

/// The decoded parts, clearly unverified.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"verified": false, "warning": "NOT VERIFIED: anyone can forge these claims; use /jwt/verify before trusting them", "header": {"alg": "HS256", "typ": "JWT"}, "claims": {"sub": "user-42", "role": "admin", "exp": 4102444800_i64}}))]
pub struct JwtDecodeResponse {
    /// Always false.
    pub verified: bool,
    /// A reminder that nothing was checked.
    pub warning: &'static str,
    /// The header.
    #[schema(value_type = Object)]
    pub header: Map<String, Value>,
    /// The claims.
    #[schema(value_type = Object)]
    pub claims: Map<String, Value>,
}

fn jwt_decode_one(r: JwtDecodeRequest) -> Result<JwtDecodeResponse, ApiError> {
    let d = jwt::decode(&r.token)?;
    Ok(JwtDecodeResponse {
        verified: false,
        warning: "NOT VERIFIED: anyone can forge these claims; use /jwt/verify before trusting them",
        header: d.header,
        claims: d.claims,
    })
}

/// Decode a JWT's header and claims WITHOUT verifying it (labelled so in the answer).
#[utoipa::path(post, path = "/api/v1/crypto/jwt/decode", tag = "crypto",
    request_body = JwtDecodeRequest,
    responses((status = 200, description = "Header and claims, unverified", body = JwtDecodeResponse)))]
pub async fn jwt_decode(
    State(st): State<SharedState>,
    payload: Payload<JwtDecodeRequest>,
) -> Response {
    payload
        .respond_on(&st.cpu, false, (crate::NAME, "jwt_decode"), jwt_decode_one)
        .await
}
