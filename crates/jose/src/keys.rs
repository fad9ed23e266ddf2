//! Asymmetric keys: generation (Ed25519, X25519, ECDSA P-256 and P-384, RSA 2048/3072/4096),
//! export as PEM (PKCS#8 private, SPKI public) and JWK, and parsing from PEM (PKCS#8, SPKI,
//! PKCS#1, SEC1) or JWK. Also X25519 / ECDH key agreement.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use p256::pkcs8::LineEnding;
use rand::rngs::OsRng;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};

use crate::error::{CryptoError, Result};

flowforge_kit::wire_enum! {
    /// The kind of key to generate.
    pub enum KeyType {
        /// A random symmetric key (AES or any cipher here), `bits` 128, 192 or 256.
        Aes = "aes" | "oct" | "symmetric",
        /// Ed25519 signing key.
        Ed25519 = "ed25519",
        /// X25519 key-agreement key.
        X25519 = "x25519",
        /// ECDSA on NIST P-256.
        P256 = "p256" | "p-256" | "ecdsa-p256" | "prime256v1" | "secp256r1",
        /// ECDSA on NIST P-384.
        P384 = "p384" | "p-384" | "ecdsa-p384" | "secp384r1",
        /// RSA, `bits` 2048 (default), 3072 or 4096.
        Rsa = "rsa",
    }
}

/// A private key of any supported type.
#[derive(Clone)]
pub enum PrivateKey {
    /// Ed25519.
    Ed25519(ed25519_dalek::SigningKey),
    /// X25519.
    X25519(x25519_dalek::StaticSecret),
    /// P-256.
    P256(p256::SecretKey),
    /// P-384.
    P384(p384::SecretKey),
    /// RSA.
    Rsa(Box<RsaPrivateKey>),
}

/// A public key of any supported type.
#[derive(Clone, Debug)]
pub enum PublicKey {
    /// Ed25519.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// X25519.
    X25519(x25519_dalek::PublicKey),
    /// P-256.
    P256(p256::PublicKey),
    /// P-384.
    P384(p384::PublicKey),
    /// RSA.
    Rsa(Box<RsaPublicKey>),
}

impl PrivateKey {
    /// Generate a key. `bits` applies to RSA (2048, 3072, 4096).
    pub fn generate(t: KeyType, bits: Option<u32>) -> Result<PrivateKey> {
        let mut rng = OsRng;
        Ok(match t {
            KeyType::Ed25519 => PrivateKey::Ed25519(ed25519_dalek::SigningKey::generate(&mut rng)),
            KeyType::X25519 => PrivateKey::X25519(x25519_dalek::StaticSecret::random_from_rng(rng)),
            KeyType::P256 => PrivateKey::P256(p256::SecretKey::random(&mut rng)),
            KeyType::P384 => PrivateKey::P384(p384::SecretKey::random(&mut rng)),
            KeyType::Rsa => {
                let bits = bits.unwrap_or(2048);
                if ![2048, 3072, 4096].contains(&bits) {
                    return Err(CryptoError::invalid(
                        "bits",
                        format!("RSA keys are 2048, 3072 or 4096 bits, not {bits}"),
                    ));
                }
                let k = RsaPrivateKey::new(&mut rng, bits as usize)
                    .map_err(|e| CryptoError::internal(format!("RSA generation failed: {e}")))?;
                PrivateKey::Rsa(Box::new(k))
            }
            KeyType::Aes => {
                return Err(CryptoError::invalid(
                    "type",
                    "aes keys are symmetric; use generate_symmetric",
                ));
            }
        })
    }

    /// The type name (`ed25519`, `x25519`, `p256`, `p384`, `rsa`).
    pub fn type_name(&self) -> &'static str {
        self.public().type_name()
    }

    /// The matching public key.
    pub fn public(&self) -> PublicKey {
        match self {
            PrivateKey::Ed25519(k) => PublicKey::Ed25519(k.verifying_key()),
            PrivateKey::X25519(k) => PublicKey::X25519(x25519_dalek::PublicKey::from(k)),
            PrivateKey::P256(k) => PublicKey::P256(k.public_key()),
            PrivateKey::P384(k) => PublicKey::P384(k.public_key()),
            PrivateKey::Rsa(k) => PublicKey::Rsa(Box::new(k.to_public_key())),
        }
    }

    /// PKCS#8 PEM.
    pub fn to_pem(&self) -> Result<String> {
        let err = |e: &dyn std::fmt::Display| CryptoError::internal(format!("PEM export: {e}"));
        Ok(match self {
            PrivateKey::Ed25519(k) => k
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|e| err(&e))?
                .to_string(),
            PrivateKey::X25519(k) => {
                let mut der = X25519_PKCS8_PREFIX.to_vec();
                der.extend_from_slice(k.as_bytes());
                pem("PRIVATE KEY", &der)
            }
            PrivateKey::P256(k) => k
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|e| err(&e))?
                .to_string(),
            PrivateKey::P384(k) => k
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|e| err(&e))?
                .to_string(),
            PrivateKey::Rsa(k) => {
                rsa::pkcs8::EncodePrivateKey::to_pkcs8_pem(k.as_ref(), LineEnding::LF)
                    .map_err(|e| err(&e))?
                    .to_string()
            }
        })
    }

    /// JWK with the private part.
    pub fn to_jwk(&self) -> Result<Value> {
        Ok(match self {
            PrivateKey::Ed25519(k) => {
                let mut j = self.public().to_jwk()?;
                j["d"] = b64u(k.as_bytes()).into();
                j
            }
            PrivateKey::X25519(k) => {
                let mut j = self.public().to_jwk()?;
                j["d"] = b64u(k.as_bytes()).into();
                j
            }
            PrivateKey::P256(k) => serde_json::from_str(&k.to_jwk_string())
                .map_err(|e| CryptoError::internal(e.to_string()))?,
            PrivateKey::P384(k) => serde_json::from_str(&k.to_jwk_string())
                .map_err(|e| CryptoError::internal(e.to_string()))?,
            PrivateKey::Rsa(k) => {
                let mut j = self.public().to_jwk()?;
                let primes = k.primes();
                j["d"] = big(k.d()).into();
                if primes.len() == 2 {
                    j["p"] = big(&primes[0]).into();
                    j["q"] = big(&primes[1]).into();
                    if let (Some(dp), Some(dq), Some(qi)) = (k.dp(), k.dq(), k.crt_coefficient()) {
                        j["dp"] = big(dp).into();
                        j["dq"] = big(dq).into();
                        j["qi"] = big(&qi).into();
                    }
                }
                j
            }
        })
    }
}

impl PublicKey {
    /// The type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            PublicKey::Ed25519(_) => "ed25519",
            PublicKey::X25519(_) => "x25519",
            PublicKey::P256(_) => "p256",
            PublicKey::P384(_) => "p384",
            PublicKey::Rsa(_) => "rsa",
        }
    }

    /// SPKI PEM.
    pub fn to_pem(&self) -> Result<String> {
        let err = |e: &dyn std::fmt::Display| CryptoError::internal(format!("PEM export: {e}"));
        Ok(match self {
            PublicKey::Ed25519(k) => k.to_public_key_pem(LineEnding::LF).map_err(|e| err(&e))?,
            PublicKey::X25519(k) => {
                let mut der = X25519_SPKI_PREFIX.to_vec();
                der.extend_from_slice(k.as_bytes());
                pem("PUBLIC KEY", &der)
            }
            PublicKey::P256(k) => k.to_public_key_pem(LineEnding::LF).map_err(|e| err(&e))?,
            PublicKey::P384(k) => k.to_public_key_pem(LineEnding::LF).map_err(|e| err(&e))?,
            PublicKey::Rsa(k) => {
                rsa::pkcs8::EncodePublicKey::to_public_key_pem(k.as_ref(), LineEnding::LF)
                    .map_err(|e| err(&e))?
            }
        })
    }

    /// Public JWK.
    pub fn to_jwk(&self) -> Result<Value> {
        Ok(match self {
            PublicKey::Ed25519(k) => json!({"kty":"OKP","crv":"Ed25519","x":b64u(k.as_bytes())}),
            PublicKey::X25519(k) => json!({"kty":"OKP","crv":"X25519","x":b64u(k.as_bytes())}),
            PublicKey::P256(k) => serde_json::from_str(&k.to_jwk_string())
                .map_err(|e| CryptoError::internal(e.to_string()))?,
            PublicKey::P384(k) => serde_json::from_str(&k.to_jwk_string())
                .map_err(|e| CryptoError::internal(e.to_string()))?,
            PublicKey::Rsa(k) => json!({"kty":"RSA","n":big(k.n()),"e":big(k.e())}),
        })
    }
}

fn b64u(b: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(b)
}

fn big(n: &BigUint) -> String {
    b64u(&n.to_bytes_be())
}

/// DER prefix of a PKCS#8 X25519 private key (OID 1.3.101.110), followed by the 32 key bytes.
const X25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
];
/// DER prefix of an SPKI X25519 public key, followed by the 32 key bytes.
const X25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
];

fn pem(label: &str, der: &[u8]) -> String {
    let b = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn pem_label(s: &str) -> Option<&str> {
    let start = s.find("-----BEGIN ")? + 11;
    let end = s[start..].find("-----")?;
    Some(&s[start..start + end])
}

fn pem_der(field: &str, s: &str) -> Result<Vec<u8>> {
    let body: String = s
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':'))
        .collect::<Vec<_>>()
        .concat();
    crate::encoding::b64(field, &body)
}

fn bad_key(field: &str, what: &str) -> CryptoError {
    CryptoError::invalid(
        field,
        format!(
            "{what}; send a PEM key (-----BEGIN PRIVATE KEY----- / PUBLIC KEY, PKCS#1 or SEC1) or a JWK object"
        ),
    )
}

/// Parse a private key from PEM or JWK (a JSON object, or its text).
pub fn parse_private(field: &str, key: &Value) -> Result<PrivateKey> {
    match key {
        Value::Object(_) => private_from_jwk(field, key),
        Value::String(s) if s.trim_start().starts_with('{') => {
            let v: Value =
                serde_json::from_str(s).map_err(|_| bad_key(field, "is not valid JSON"))?;
            private_from_jwk(field, &v)
        }
        Value::String(s) => private_from_pem(field, s),
        _ => Err(bad_key(field, "must be a string or an object")),
    }
}

/// Parse a public key from PEM or JWK; a private key is accepted and its public half used.
pub fn parse_public(field: &str, key: &Value) -> Result<PublicKey> {
    match key {
        Value::Object(o) => {
            if o.contains_key("d") {
                Ok(private_from_jwk(field, key)?.public())
            } else {
                public_from_jwk(field, key)
            }
        }
        Value::String(s) if s.trim_start().starts_with('{') => {
            let v: Value =
                serde_json::from_str(s).map_err(|_| bad_key(field, "is not valid JSON"))?;
            parse_public(field, &v)
        }
        Value::String(s) => {
            let label = pem_label(s).ok_or_else(|| bad_key(field, "is not a PEM block"))?;
            if label.contains("PRIVATE") {
                Ok(private_from_pem(field, s)?.public())
            } else {
                public_from_pem(field, s)
            }
        }
        _ => Err(bad_key(field, "must be a string or an object")),
    }
}

fn private_from_pem(field: &str, s: &str) -> Result<PrivateKey> {
    let s = s.trim();
    let label = pem_label(s).ok_or_else(|| bad_key(field, "is not a PEM block"))?;
    match label {
        "PRIVATE KEY" => {
            let der = pem_der(field, s)?;
            if der.len() == 48 && der[..16] == X25519_PKCS8_PREFIX {
                let mut b = [0u8; 32];
                b.copy_from_slice(&der[16..]);
                return Ok(PrivateKey::X25519(x25519_dalek::StaticSecret::from(b)));
            }
            if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_der(&der) {
                return Ok(PrivateKey::Ed25519(k));
            }
            if let Ok(k) = p256::SecretKey::from_pkcs8_der(&der) {
                return Ok(PrivateKey::P256(k));
            }
            if let Ok(k) = p384::SecretKey::from_pkcs8_der(&der) {
                return Ok(PrivateKey::P384(k));
            }
            if let Ok(k) = <RsaPrivateKey as rsa::pkcs8::DecodePrivateKey>::from_pkcs8_der(&der) {
                return Ok(PrivateKey::Rsa(Box::new(k)));
            }
            Err(bad_key(
                field,
                "is a PKCS#8 key of an unsupported type or is corrupt",
            ))
        }
        "RSA PRIVATE KEY" => RsaPrivateKey::from_pkcs1_pem(s)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|e| bad_key(field, &format!("is not a valid PKCS#1 RSA key ({e})"))),
        "EC PRIVATE KEY" => {
            if let Ok(k) = p256::SecretKey::from_sec1_pem(s) {
                return Ok(PrivateKey::P256(k));
            }
            p384::SecretKey::from_sec1_pem(s)
                .map(PrivateKey::P384)
                .map_err(|_| bad_key(field, "is not a P-256 or P-384 SEC1 key"))
        }
        "ENCRYPTED PRIVATE KEY" => Err(bad_key(
            field,
            "is encrypted; decrypt it first (openssl pkcs8 -in key.pem)",
        )),
        other => Err(bad_key(
            field,
            &format!("is a PEM {other:?}, not a private key"),
        )),
    }
}

fn public_from_pem(field: &str, s: &str) -> Result<PublicKey> {
    let s = s.trim();
    let label = pem_label(s).ok_or_else(|| bad_key(field, "is not a PEM block"))?;
    match label {
        "PUBLIC KEY" => {
            let der = pem_der(field, s)?;
            if der.len() == 44 && der[..12] == X25519_SPKI_PREFIX {
                let mut b = [0u8; 32];
                b.copy_from_slice(&der[12..]);
                return Ok(PublicKey::X25519(x25519_dalek::PublicKey::from(b)));
            }
            if let Ok(k) = ed25519_dalek::VerifyingKey::from_public_key_der(&der) {
                return Ok(PublicKey::Ed25519(k));
            }
            if let Ok(k) = p256::PublicKey::from_public_key_der(&der) {
                return Ok(PublicKey::P256(k));
            }
            if let Ok(k) = p384::PublicKey::from_public_key_der(&der) {
                return Ok(PublicKey::P384(k));
            }
            if let Ok(k) = <RsaPublicKey as rsa::pkcs8::DecodePublicKey>::from_public_key_der(&der)
            {
                return Ok(PublicKey::Rsa(Box::new(k)));
            }
            Err(bad_key(
                field,
                "is an SPKI key of an unsupported type or is corrupt",
            ))
        }
        "RSA PUBLIC KEY" => RsaPublicKey::from_pkcs1_pem(s)
            .map(|k| PublicKey::Rsa(Box::new(k)))
            .map_err(|e| {
                bad_key(
                    field,
                    &format!("is not a valid PKCS#1 RSA public key ({e})"),
                )
            }),
        "CERTIFICATE" => Err(bad_key(
            field,
            "is a certificate; send its public key (openssl x509 -pubkey -noout)",
        )),
        other => Err(bad_key(
            field,
            &format!("is a PEM {other:?}, not a public key"),
        )),
    }
}

fn jwk_field<'a>(field: &str, v: &'a Value, name: &str) -> Result<&'a str> {
    v.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| bad_key(field, &format!("is a JWK without the `{name}` member")))
}

fn jwk_bytes(field: &str, v: &Value, name: &str) -> Result<Vec<u8>> {
    crate::encoding::b64(&format!("{field}.{name}"), jwk_field(field, v, name)?)
}

fn jwk_big(field: &str, v: &Value, name: &str) -> Result<BigUint> {
    Ok(BigUint::from_bytes_be(&jwk_bytes(field, v, name)?))
}

fn arr32(field: &str, b: Vec<u8>) -> Result<[u8; 32]> {
    b.try_into()
        .map_err(|_| bad_key(field, "has a key member that is not 32 bytes"))
}

/// The members the elliptic-curve JWK parser reads (it refuses others such as `kid` or `alg`).
fn ec_jwk_text(v: &Value) -> String {
    let mut m = serde_json::Map::new();
    for k in ["kty", "crv", "x", "y", "d"] {
        if let Some(x) = v.get(k) {
            m.insert(k.into(), x.clone());
        }
    }
    Value::Object(m).to_string()
}

fn private_from_jwk(field: &str, v: &Value) -> Result<PrivateKey> {
    let kty = jwk_field(field, v, "kty")?;
    match kty {
        "OKP" => {
            let d = arr32(field, jwk_bytes(field, v, "d")?)?;
            match jwk_field(field, v, "crv")? {
                "Ed25519" => Ok(PrivateKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(
                    &d,
                ))),
                "X25519" => Ok(PrivateKey::X25519(x25519_dalek::StaticSecret::from(d))),
                c => Err(bad_key(field, &format!("has unsupported curve {c:?}"))),
            }
        }
        "EC" => {
            let text = ec_jwk_text(v);
            match jwk_field(field, v, "crv")? {
                "P-256" => p256::SecretKey::from_jwk_str(&text)
                    .map(PrivateKey::P256)
                    .map_err(|_| bad_key(field, "is not a valid P-256 private JWK")),
                "P-384" => p384::SecretKey::from_jwk_str(&text)
                    .map(PrivateKey::P384)
                    .map_err(|_| bad_key(field, "is not a valid P-384 private JWK")),
                c => Err(bad_key(field, &format!("has unsupported curve {c:?}"))),
            }
        }
        "RSA" => {
            let n = jwk_big(field, v, "n")?;
            let e = jwk_big(field, v, "e")?;
            let d = jwk_big(field, v, "d")?;
            let primes = match (v.get("p"), v.get("q")) {
                (Some(_), Some(_)) => vec![jwk_big(field, v, "p")?, jwk_big(field, v, "q")?],
                _ => Vec::new(),
            };
            let k = if primes.is_empty() {
                RsaPrivateKey::from_components(n, e, d, Vec::new())
            } else {
                RsaPrivateKey::from_components(n, e, d, primes)
            }
            .map_err(|e| bad_key(field, &format!("is not a valid RSA private JWK ({e})")))?;
            Ok(PrivateKey::Rsa(Box::new(k)))
        }
        "oct" => Err(bad_key(
            field,
            "is a symmetric (oct) JWK, not a private key",
        )),
        other => Err(bad_key(field, &format!("has unsupported kty {other:?}"))),
    }
}

fn public_from_jwk(field: &str, v: &Value) -> Result<PublicKey> {
    let kty = jwk_field(field, v, "kty")?;
    match kty {
        "OKP" => {
            let x = arr32(field, jwk_bytes(field, v, "x")?)?;
            match jwk_field(field, v, "crv")? {
                "Ed25519" => ed25519_dalek::VerifyingKey::from_bytes(&x)
                    .map(PublicKey::Ed25519)
                    .map_err(|_| bad_key(field, "is not a valid Ed25519 point")),
                "X25519" => Ok(PublicKey::X25519(x25519_dalek::PublicKey::from(x))),
                c => Err(bad_key(field, &format!("has unsupported curve {c:?}"))),
            }
        }
        "EC" => {
            let text = ec_jwk_text(v);
            match jwk_field(field, v, "crv")? {
                "P-256" => p256::PublicKey::from_jwk_str(&text)
                    .map(PublicKey::P256)
                    .map_err(|_| bad_key(field, "is not a valid P-256 public JWK")),
                "P-384" => p384::PublicKey::from_jwk_str(&text)
                    .map(PublicKey::P384)
                    .map_err(|_| bad_key(field, "is not a valid P-384 public JWK")),
                c => Err(bad_key(field, &format!("has unsupported curve {c:?}"))),
            }
        }
        "RSA" => RsaPublicKey::new(jwk_big(field, v, "n")?, jwk_big(field, v, "e")?)
            .map(|k| PublicKey::Rsa(Box::new(k)))
            .map_err(|e| bad_key(field, &format!("is not a valid RSA public JWK ({e})"))),
        "oct" => Err(bad_key(field, "is a symmetric (oct) JWK, not a public key")),
        other => Err(bad_key(field, &format!("has unsupported kty {other:?}"))),
    }
}

/// Diffie-Hellman: the shared secret of `private` and `public` (X25519, P-256 or P-384).
pub fn agree(private: &PrivateKey, public: &PublicKey) -> Result<Vec<u8>> {
    match (private, public) {
        (PrivateKey::X25519(s), PublicKey::X25519(p)) => {
            let shared = s.diffie_hellman(p);
            if !shared.was_contributory() {
                return Err(CryptoError::rejected(
                    "publicKey",
                    "is a low-order X25519 point: the shared secret would be all zeros",
                ));
            }
            Ok(shared.as_bytes().to_vec())
        }
        (PrivateKey::P256(s), PublicKey::P256(p)) => Ok(p256::ecdh::diffie_hellman(
            s.to_nonzero_scalar(),
            p.as_affine(),
        )
        .raw_secret_bytes()
        .to_vec()),
        (PrivateKey::P384(s), PublicKey::P384(p)) => Ok(p384::ecdh::diffie_hellman(
            s.to_nonzero_scalar(),
            p.as_affine(),
        )
        .raw_secret_bytes()
        .to_vec()),
        (a, b) => Err(CryptoError::invalid(
            "publicKey",
            format!(
                "is a {} key but the private key is {}; key agreement needs two keys of the same curve (x25519, p256 or p384)",
                b.type_name(),
                a.type_name()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_type_round_trips_through_pem_and_jwk() {
        for t in [
            KeyType::Ed25519,
            KeyType::X25519,
            KeyType::P256,
            KeyType::P384,
            KeyType::Rsa,
        ] {
            let k = PrivateKey::generate(t, None).unwrap();
            let pem = k.to_pem().unwrap();
            let back = parse_private("key", &Value::String(pem.clone())).unwrap();
            assert_eq!(back.to_pem().unwrap(), pem, "{}", t.name());
            let jwk = k.to_jwk().unwrap();
            let back = parse_private("key", &jwk).unwrap();
            assert_eq!(back.to_pem().unwrap(), pem, "{} via JWK", t.name());
            let pubpem = k.public().to_pem().unwrap();
            let p = parse_public("key", &Value::String(pubpem.clone())).unwrap();
            assert_eq!(p.to_pem().unwrap(), pubpem);
            let p = parse_public("key", &k.public().to_jwk().unwrap()).unwrap();
            assert_eq!(p.to_pem().unwrap(), pubpem);
        }
    }

    #[test]
    fn a_bad_pem_names_the_field() {
        let e = parse_private(
            "privateKey",
            &Value::String("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----".into()),
        )
        .err()
        .unwrap();
        assert_eq!(flowforge_kit::DomainError::field(&e), "privateKey");
        let e = parse_public("publicKey", &Value::String("hello".into())).unwrap_err();
        assert_eq!(flowforge_kit::DomainError::field(&e), "publicKey");
    }

    #[test]
    fn both_sides_of_an_agreement_share_a_secret() {
        for t in [KeyType::X25519, KeyType::P256, KeyType::P384] {
            let a = PrivateKey::generate(t, None).unwrap();
            let b = PrivateKey::generate(t, None).unwrap();
            assert_eq!(
                agree(&a, &b.public()).unwrap(),
                agree(&b, &a.public()).unwrap()
            );
        }
    }
}
