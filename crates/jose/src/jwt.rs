//! JSON Web Tokens (RFC 7519) signed as JWS compact serialisation (RFC 7515): HS256/384/512,
//! RS256/384/512, PS256/384/512, ES256/384 and EdDSA. Verification refuses `alg: none`, keeps
//! HMAC secrets and public keys apart (no algorithm confusion), checks exp, nbf and iat with a
//! leeway, and iss, aud and sub when asked, and says which check failed.

use serde_json::{Map, Value};

use crate::encoding::{b64, to_b64url};
use crate::error::{CryptoError, Result};
use crate::keys::{PrivateKey, PublicKey};
use crate::mac::{self, MacAlgorithm};
use crate::sign::{self, EcdsaFormat, RsaScheme, SigHash, SignOptions};
use crate::time::iso;

flowforge_kit::wire_enum! {
    /// A JWS algorithm.
    pub enum JwtAlgorithm {
        /// HMAC SHA-256.
        Hs256 = "HS256",
        /// HMAC SHA-384.
        Hs384 = "HS384",
        /// HMAC SHA-512.
        Hs512 = "HS512",
        /// RSA PKCS#1 v1.5 SHA-256.
        Rs256 = "RS256",
        /// RSA PKCS#1 v1.5 SHA-384.
        Rs384 = "RS384",
        /// RSA PKCS#1 v1.5 SHA-512.
        Rs512 = "RS512",
        /// RSA PSS SHA-256.
        Ps256 = "PS256",
        /// RSA PSS SHA-384.
        Ps384 = "PS384",
        /// RSA PSS SHA-512.
        Ps512 = "PS512",
        /// ECDSA P-256 SHA-256.
        Es256 = "ES256",
        /// ECDSA P-384 SHA-384.
        Es384 = "ES384",
        /// Ed25519.
        EdDsa = "EdDSA" | "Ed25519",
    }
}

use JwtAlgorithm as A;

impl JwtAlgorithm {
    fn mac(self) -> Option<MacAlgorithm> {
        match self {
            A::Hs256 => Some(MacAlgorithm::Sha256),
            A::Hs384 => Some(MacAlgorithm::Sha384),
            A::Hs512 => Some(MacAlgorithm::Sha512),
            _ => None,
        }
    }

    fn sign_options(self) -> SignOptions {
        let (hash, scheme) = match self {
            A::Rs256 | A::Es256 => (SigHash::Sha256, RsaScheme::Pkcs1v15),
            A::Rs384 | A::Es384 => (SigHash::Sha384, RsaScheme::Pkcs1v15),
            A::Rs512 => (SigHash::Sha512, RsaScheme::Pkcs1v15),
            A::Ps256 => (SigHash::Sha256, RsaScheme::Pss),
            A::Ps384 => (SigHash::Sha384, RsaScheme::Pss),
            A::Ps512 => (SigHash::Sha512, RsaScheme::Pss),
            _ => (SigHash::Sha256, RsaScheme::Pkcs1v15),
        };
        SignOptions {
            hash: Some(hash),
            scheme,
            format: EcdsaFormat::Raw,
            salt_len: None,
        }
    }

    /// The key type this algorithm needs (`secret`, `rsa`, `p256`, `p384`, `ed25519`).
    pub fn key_type(self) -> &'static str {
        match self {
            A::Hs256 | A::Hs384 | A::Hs512 => "secret",
            A::Rs256 | A::Rs384 | A::Rs512 | A::Ps256 | A::Ps384 | A::Ps512 => "rsa",
            A::Es256 => "p256",
            A::Es384 => "p384",
            A::EdDsa => "ed25519",
        }
    }

    /// The algorithms a key of this type may verify.
    pub fn for_key_type(t: &str) -> Vec<JwtAlgorithm> {
        Self::ALL
            .iter()
            .copied()
            .filter(|a| a.key_type() == t)
            .collect()
    }
}

/// What signs a token.
pub enum SigningKey {
    /// An HMAC secret.
    Secret(Vec<u8>),
    /// A private key.
    Private(Box<PrivateKey>),
}

/// What verifies a token.
#[derive(Clone)]
pub enum VerifyingKey {
    /// An HMAC secret.
    Secret(Vec<u8>),
    /// A public key, with its JWK `kid` when it came from a key set.
    Public(PublicKey, Option<String>),
}

fn key_mismatch(field: &str, alg: JwtAlgorithm, have: &str) -> CryptoError {
    CryptoError::invalid(
        field,
        format!(
            "{} needs a {} key but a {have} key was given",
            alg.name(),
            alg.key_type()
        ),
    )
}

/// Sign `claims` (a JSON object) with `alg`. `header` adds members such as `kid`.
pub fn sign(
    alg: JwtAlgorithm,
    key: &SigningKey,
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
) -> Result<String> {
    let mut h = Map::new();
    h.insert("alg".into(), alg.name().into());
    h.insert("typ".into(), "JWT".into());
    for (k, v) in header {
        if k != "alg" {
            h.insert(k.clone(), v.clone());
        }
    }
    let input = format!(
        "{}.{}",
        to_b64url(&serde_json::to_vec(&h).unwrap_or_default()),
        to_b64url(&serde_json::to_vec(claims).unwrap_or_default())
    );
    let sig = match (key, alg.mac()) {
        (SigningKey::Secret(s), Some(m)) => mac::sign(m, s, input.as_bytes(), "secret")?,
        (SigningKey::Secret(_), None) => return Err(key_mismatch("secret", alg, "secret")),
        (SigningKey::Private(k), None) => {
            let k = k.as_ref();
            if k.type_name() != alg.key_type() {
                return Err(key_mismatch("privateKey", alg, k.type_name()));
            }
            sign::sign(k, input.as_bytes(), &alg.sign_options())?
        }
        (SigningKey::Private(k), Some(_)) => {
            return Err(key_mismatch("privateKey", alg, k.type_name()));
        }
    };
    Ok(format!("{input}.{}", to_b64url(&sig)))
}

/// A token split and decoded, not verified.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The header.
    pub header: Map<String, Value>,
    /// The claims.
    pub claims: Map<String, Value>,
    /// `header.payload`, the signed bytes.
    pub signing_input: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

/// Split and decode without verifying anything.
pub fn decode(token: &str) -> Result<Decoded> {
    let token = token.trim();
    let token = token.strip_prefix("Bearer ").unwrap_or(token);
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(CryptoError::invalid(
            "token",
            format!(
                "is not a JWT: expected three base64url parts separated by dots, found {}",
                parts.len()
            ),
        ));
    }
    let obj = |i: usize, what: &str| -> Result<Map<String, Value>> {
        let bytes = b64("token", parts[i])?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err(CryptoError::invalid(
                "token",
                format!("is not a JWT: its {what} is not a JSON object"),
            )),
        }
    };
    Ok(Decoded {
        header: obj(0, "header")?,
        claims: obj(1, "payload")?,
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature: b64("token", parts[2])?,
    })
}

/// What to check besides the signature.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    /// Allowed algorithms (default: those that fit the key).
    pub algorithms: Option<Vec<JwtAlgorithm>>,
    /// Seconds of clock skew allowed on exp, nbf and iat.
    pub leeway: i64,
    /// Accepted issuers (`iss` must be one of them).
    pub issuer: Option<Vec<String>>,
    /// Accepted audiences (`aud` must contain one of them).
    pub audience: Option<Vec<String>>,
    /// Required subject.
    pub subject: Option<String>,
    /// Claims that must be present.
    pub required: Vec<String>,
    /// Reject tokens issued longer ago than this many seconds.
    pub max_age: Option<i64>,
    /// The time to check against (default now).
    pub now: i64,
}

fn claim_time(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .map(|f| Some(f.floor() as i64))
            .ok_or_else(|| CryptoError::rejected(name, "is not a number of seconds")),
        Some(_) => Err(CryptoError::rejected(
            name,
            format!("claim `{name}` must be a NumericDate (seconds since 1970)"),
        )),
    }
}

/// Verify signature and claims; the error says which check failed (its field is `token` or the
/// claim's name).
pub fn verify(token: &str, keys: &[VerifyingKey], c: &Checks) -> Result<Decoded> {
    let d = decode(token)?;
    let alg_name = d.header.get("alg").and_then(Value::as_str).unwrap_or("");
    if alg_name.eq_ignore_ascii_case("none") || alg_name.is_empty() {
        return Err(CryptoError::rejected(
            "token",
            "is unsigned (alg \"none\"); unsigned tokens are always refused",
        ));
    }
    let alg: JwtAlgorithm = alg_name.parse().map_err(|_| {
        CryptoError::rejected("token", format!("uses unsupported algorithm {alg_name:?}"))
    })?;
    let kid = d.header.get("kid").and_then(Value::as_str);
    let mut candidates: Vec<&VerifyingKey> = keys
        .iter()
        .filter(|k| match k {
            VerifyingKey::Public(_, Some(k_kid)) => kid.is_none_or(|h| h == k_kid),
            _ => true,
        })
        .collect();
    if candidates.is_empty() {
        return Err(CryptoError::rejected(
            "token",
            format!(
                "names key id {:?}, which is not in the key set",
                kid.unwrap_or("")
            ),
        ));
    }
    candidates.retain(|k| match k {
        VerifyingKey::Secret(_) => alg.key_type() == "secret",
        VerifyingKey::Public(p, _) => alg.key_type() == p.type_name(),
    });
    let allowed = match &c.algorithms {
        Some(a) => a.clone(),
        None => {
            let mut v = Vec::new();
            for k in keys {
                let t = match k {
                    VerifyingKey::Secret(_) => "secret",
                    VerifyingKey::Public(p, _) => p.type_name(),
                };
                v.extend(JwtAlgorithm::for_key_type(t));
            }
            v
        }
    };
    if !allowed.contains(&alg) {
        let names: Vec<_> = allowed.iter().map(|a| a.name()).collect();
        return Err(CryptoError::rejected(
            "token",
            format!(
                "is signed with {}, which is not allowed here (allowed: {}); check `algorithms` and the key",
                alg.name(),
                names.join(", ")
            ),
        ));
    }
    let ok = candidates.iter().any(|k| match k {
        VerifyingKey::Secret(s) => alg.mac().is_some_and(|m| {
            mac::verify(m, s, d.signing_input.as_bytes(), &d.signature, "secret").unwrap_or(false)
        }),
        VerifyingKey::Public(p, _) => sign::verify(
            p,
            d.signing_input.as_bytes(),
            &d.signature,
            &alg.sign_options(),
        )
        .unwrap_or(false),
    });
    if !ok {
        return Err(CryptoError::rejected(
            "token",
            "signature does not match: the secret or key is wrong, or the token was altered",
        ));
    }
    check_claims(&d.claims, c)?;
    Ok(d)
}

fn check_claims(claims: &Map<String, Value>, c: &Checks) -> Result<()> {
    for r in &c.required {
        if !claims.contains_key(r) {
            return Err(CryptoError::rejected(
                r.clone(),
                format!("claim `{r}` is required but missing"),
            ));
        }
    }
    let now = c.now;
    if let Some(exp) = claim_time(claims, "exp")?
        && now >= exp + c.leeway
    {
        {
            return Err(CryptoError::rejected(
                "exp",
                format!(
                    "the token expired at {} (exp {exp}); it is now {} and the leeway is {}s",
                    iso(exp),
                    iso(now),
                    c.leeway
                ),
            ));
        }
    }
    if let Some(nbf) = claim_time(claims, "nbf")?
        && now + c.leeway < nbf
    {
        {
            return Err(CryptoError::rejected(
                "nbf",
                format!(
                    "the token is not valid before {} (nbf {nbf}); it is now {} and the leeway is {}s",
                    iso(nbf),
                    iso(now),
                    c.leeway
                ),
            ));
        }
    }
    if let Some(iat) = claim_time(claims, "iat")? {
        if iat > now + c.leeway {
            return Err(CryptoError::rejected(
                "iat",
                format!(
                    "the token claims to be issued in the future, at {} (iat {iat})",
                    iso(iat)
                ),
            ));
        }
        if let Some(max) = c.max_age
            && now - iat > max + c.leeway
        {
            {
                return Err(CryptoError::rejected(
                    "iat",
                    format!(
                        "the token was issued at {}, more than maxAge {max}s ago",
                        iso(iat)
                    ),
                ));
            }
        }
    } else if c.max_age.is_some() {
        return Err(CryptoError::rejected(
            "iat",
            "claim `iat` is required by maxAge but missing",
        ));
    }
    if let Some(issuers) = &c.issuer {
        let iss = claims.get("iss").and_then(Value::as_str);
        if !iss.is_some_and(|i| issuers.iter().any(|x| x == i)) {
            return Err(CryptoError::rejected(
                "iss",
                format!(
                    "issuer {:?} is not one of the accepted: {}",
                    iss.unwrap_or(""),
                    issuers.join(", ")
                ),
            ));
        }
    }
    if let Some(auds) = &c.audience {
        let have: Vec<&str> = match claims.get("aud") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !have.iter().any(|h| auds.iter().any(|a| a == h)) {
            return Err(CryptoError::rejected(
                "aud",
                format!(
                    "audience {have:?} does not include any of the accepted: {}",
                    auds.join(", ")
                ),
            ));
        }
    }
    if let Some(sub) = &c.subject {
        let have = claims.get("sub").and_then(Value::as_str);
        if have != Some(sub.as_str()) {
            return Err(CryptoError::rejected(
                "sub",
                format!(
                    "subject {:?} is not the expected {sub:?}",
                    have.unwrap_or("")
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeyType, parse_private};
    use serde_json::json;

    fn at(now: i64) -> Checks {
        Checks {
            now,
            ..Default::default()
        }
    }

    /// RFC 7515 appendix A.1: HS256.
    #[test]
    fn rfc7515_a1_hs256() {
        let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let k = b64("k", "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow").unwrap();
        let d = verify(
            token,
            &[VerifyingKey::Secret(k.clone())],
            &at(1_300_819_000),
        )
        .unwrap();
        assert_eq!(d.claims["iss"], "joe");
        let e = verify(token, &[VerifyingKey::Secret(k)], &at(1_300_819_380))
            .err()
            .unwrap();
        assert_eq!(flowforge_kit::DomainError::field(&e), "exp");
        assert!(e.to_string().contains("2011-03-22T18:43:00Z"), "{e}");
    }

    /// RFC 7515 appendix A.3: ES256.
    #[test]
    fn rfc7515_a3_es256() {
        let jwk = json!({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"});
        let token = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
        let k = parse_private("key", &jwk).unwrap();
        assert!(
            verify(
                token,
                &[VerifyingKey::Public(k.public(), None)],
                &at(1_300_000_000)
            )
            .is_ok()
        );
    }

    #[test]
    fn every_algorithm_signs_and_verifies_and_rejects_confusion() {
        let claims: Map<String, Value> =
            serde_json::from_value(json!({"sub":"42","iat":1000,"exp":2000})).unwrap();
        for &alg in JwtAlgorithm::ALL {
            let (sk, vk) = match alg.key_type() {
                "secret" => (
                    SigningKey::Secret(b"s3cret".to_vec()),
                    VerifyingKey::Secret(b"s3cret".to_vec()),
                ),
                t => {
                    let kt: KeyType = t.parse().unwrap();
                    let k = PrivateKey::generate(kt, None).unwrap();
                    (
                        SigningKey::Private(Box::new(k.clone())),
                        VerifyingKey::Public(k.public(), None),
                    )
                }
            };
            let t = sign(alg, &sk, &Map::new(), &claims).unwrap();
            let d = verify(&t, std::slice::from_ref(&vk), &at(1500)).unwrap();
            assert_eq!(d.header["alg"], alg.name());
            let e = verify(
                &t,
                &[vk],
                &Checks {
                    algorithms: Some(vec![JwtAlgorithm::Hs384]),
                    ..at(1500)
                },
            )
            .err();
            if alg != JwtAlgorithm::Hs384 {
                assert!(
                    e.is_some(),
                    "{} passed with a disallowed algorithm",
                    alg.name()
                );
            }
        }
    }

    #[test]
    fn alg_none_and_claim_checks_say_what_failed() {
        let none = format!(
            "{}.{}.",
            to_b64url(br#"{"alg":"none"}"#),
            to_b64url(br#"{"sub":"x"}"#)
        );
        let e = verify(&none, &[VerifyingKey::Secret(b"k".to_vec())], &at(0))
            .err()
            .unwrap();
        assert!(e.to_string().contains("unsigned"));
        let claims: Map<String, Value> =
            serde_json::from_value(json!({"iss":"a","aud":["x","y"],"nbf":100,"iat":50})).unwrap();
        let t = sign(
            JwtAlgorithm::Hs256,
            &SigningKey::Secret(b"k".to_vec()),
            &Map::new(),
            &claims,
        )
        .unwrap();
        let k = [VerifyingKey::Secret(b"k".to_vec())];
        let e = verify(&t, &k, &at(99)).err().unwrap();
        assert_eq!(flowforge_kit::DomainError::field(&e), "nbf");
        assert!(
            verify(
                &t,
                &k,
                &Checks {
                    leeway: 1,
                    ..at(99)
                }
            )
            .is_ok()
        );
        assert_eq!(
            verify(
                &t,
                &k,
                &Checks {
                    issuer: Some(vec!["b".into()]),
                    ..at(200)
                }
            )
            .err()
            .map(|e| flowforge_kit::DomainError::field(&e).to_string())
            .unwrap(),
            "iss"
        );
        assert!(
            verify(
                &t,
                &k,
                &Checks {
                    audience: Some(vec!["y".into()]),
                    ..at(200)
                }
            )
            .is_ok()
        );
        assert_eq!(
            verify(
                &t,
                &k,
                &Checks {
                    audience: Some(vec!["z".into()]),
                    ..at(200)
                }
            )
            .err()
            .map(|e| flowforge_kit::DomainError::field(&e).to_string())
            .unwrap(),
            "aud"
        );
        assert_eq!(
            verify(&t, &[VerifyingKey::Secret(b"K".to_vec())], &at(200))
                .err()
                .map(|e| flowforge_kit::DomainError::field(&e).to_string())
                .unwrap(),
            "token"
        );
    }
}
