//! Authenticated encryption (AES-256-GCM, ChaCha20-Poly1305, XChaCha20-Poly1305) with a raw key
//! or a passphrase stretched by Argon2id, and FlowForge's self-describing token:
//!
//! `ff1.<header>.<nonce>.<ciphertext‖tag>`, each part base64url without padding, the header a
//! JSON object `{"alg":"aes-256-gcm","kdf":"argon2id","m":19456,"t":2,"p":1,"salt":"…"}` (`kdf`
//! and its parameters only for passphrases). The version prefix lets the format change without
//! breaking old tokens. The parts are also returned separately so any standard AEAD library can
//! decrypt: the ciphertext and 16-byte tag are the usual AEAD output split in two.

use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::encoding::{b64, to_b64url};
use crate::error::{CryptoError, Result};

flowforge_kit::wire_enum! {
    /// An AEAD cipher.
    pub enum CipherAlgorithm {
        /// AES-256 in Galois/Counter Mode, 96-bit nonce.
        Aes256Gcm = "aes-256-gcm" | "aes256gcm" | "A256GCM",
        /// ChaCha20-Poly1305 (RFC 8439), 96-bit nonce.
        ChaCha20Poly1305 = "chacha20-poly1305" | "chacha20poly1305",
        /// XChaCha20-Poly1305, 192-bit nonce (safe to pick at random without limit).
        XChaCha20Poly1305 = "xchacha20-poly1305" | "xchacha20poly1305",
    }
}

impl CipherAlgorithm {
    /// Nonce length in bytes.
    pub fn nonce_len(self) -> usize {
        match self {
            CipherAlgorithm::XChaCha20Poly1305 => 24,
            _ => 12,
        }
    }
}

/// Key length of every cipher here (256 bits).
pub const KEY_LEN: usize = 32;
/// Tag length of every cipher here.
pub const TAG_LEN: usize = 16;

/// Argon2id parameters, recorded in the token so decryption needs only the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Argon2Params {
    /// Memory in KiB.
    #[schema(example = 19456)]
    pub m: u32,
    /// Iterations.
    #[schema(example = 2)]
    pub t: u32,
    /// Parallelism.
    #[schema(example = 1)]
    pub p: u32,
}

impl Default for Argon2Params {
    /// OWASP's recommended minimum for Argon2id: 19 MiB, 2 iterations, 1 lane.
    fn default() -> Self {
        Argon2Params {
            m: 19456,
            t: 2,
            p: 1,
        }
    }
}

/// Upper bounds on client-chosen (or token-carried) KDF cost, so a token cannot exhaust memory.
#[derive(Debug, Clone, Copy)]
pub struct KdfLimits {
    /// Most memory in KiB.
    pub max_m: u32,
    /// Most iterations.
    pub max_t: u32,
    /// Most lanes.
    pub max_p: u32,
}

impl Default for KdfLimits {
    fn default() -> Self {
        KdfLimits {
            max_m: 262_144,
            max_t: 10,
            max_p: 8,
        }
    }
}

impl Argon2Params {
    /// Check against limits; `field` names the parameters in errors.
    pub fn check(&self, limits: &KdfLimits, field: &str) -> Result<()> {
        if self.m < 8 * self.p.max(1) || self.m > limits.max_m {
            return Err(CryptoError::invalid(
                format!("{field}.m"),
                format!(
                    "memory must be between {} and {} KiB",
                    8 * self.p.max(1),
                    limits.max_m
                ),
            ));
        }
        if self.t == 0 || self.t > limits.max_t {
            return Err(CryptoError::invalid(
                format!("{field}.t"),
                format!("iterations must be between 1 and {}", limits.max_t),
            ));
        }
        if self.p == 0 || self.p > limits.max_p {
            return Err(CryptoError::invalid(
                format!("{field}.p"),
                format!("parallelism must be between 1 and {}", limits.max_p),
            ));
        }
        Ok(())
    }
}

/// Derive a 32-byte key from a passphrase with Argon2id.
pub fn derive_key(passphrase: &[u8], salt: &[u8], p: &Argon2Params) -> Result<[u8; KEY_LEN]> {
    let params = argon2::Params::new(p.m, p.t, p.p, Some(KEY_LEN))
        .map_err(|e| CryptoError::invalid("kdf", format!("bad Argon2id parameters: {e}")))?;
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; KEY_LEN];
    a.hash_password_into(passphrase, salt, &mut out)
        .map_err(|e| CryptoError::invalid("passphrase", format!("cannot derive a key: {e}")))?;
    Ok(out)
}

/// Where the key comes from.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// A raw 32-byte key.
    Raw(Vec<u8>),
    /// A passphrase, stretched with Argon2id.
    Passphrase(String),
}

/// The result of encryption.
#[derive(Debug, Clone)]
pub struct Sealed {
    /// The cipher.
    pub alg: CipherAlgorithm,
    /// The random nonce.
    pub nonce: Vec<u8>,
    /// The ciphertext without the tag.
    pub ciphertext: Vec<u8>,
    /// The authentication tag.
    pub tag: Vec<u8>,
    /// Argon2id parameters and salt when a passphrase was used.
    pub kdf: Option<(Argon2Params, Vec<u8>)>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    alg: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kdf: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    m: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salt: Option<String>,
}

const TOKEN_PREFIX: &str = "ff1";

impl Sealed {
    /// The self-describing token.
    pub fn token(&self) -> String {
        let header = Header {
            alg: self.alg.name().into(),
            kdf: self.kdf.as_ref().map(|_| "argon2id".into()),
            m: self.kdf.as_ref().map(|k| k.0.m),
            t: self.kdf.as_ref().map(|k| k.0.t),
            p: self.kdf.as_ref().map(|k| k.0.p),
            salt: self.kdf.as_ref().map(|k| to_b64url(&k.1)),
        };
        let header = serde_json::to_vec(&header).unwrap_or_default();
        let mut body = self.ciphertext.clone();
        body.extend_from_slice(&self.tag);
        format!(
            "{TOKEN_PREFIX}.{}.{}.{}",
            to_b64url(&header),
            to_b64url(&self.nonce),
            to_b64url(&body)
        )
    }

    /// Parse a token produced by [`Sealed::token`].
    pub fn parse_token(token: &str) -> Result<Sealed> {
        let bad = |what: &str| {
            CryptoError::invalid(
                "token",
                format!(
                    "is not a FlowForge token ({what}); send the `token` value that /encrypt returned"
                ),
            )
        };
        let parts: Vec<&str> = token.trim().split('.').collect();
        if parts.len() != 4 {
            return Err(bad("expected 4 dot-separated parts"));
        }
        if parts[0] != TOKEN_PREFIX {
            return Err(bad(&format!(
                "unknown version {:?}, this server reads {TOKEN_PREFIX}",
                parts[0]
            )));
        }
        let header = b64("token", parts[1])?;
        let header: Header =
            serde_json::from_slice(&header).map_err(|_| bad("its header is not valid"))?;
        let alg = header
            .alg
            .parse::<CipherAlgorithm>()
            .map_err(|_| bad("unknown algorithm"))?;
        let nonce = b64("token", parts[2])?;
        if nonce.len() != alg.nonce_len() {
            return Err(bad("wrong nonce length"));
        }
        let mut body = b64("token", parts[3])?;
        if body.len() < TAG_LEN {
            return Err(bad("too short to hold a tag"));
        }
        let tag = body.split_off(body.len() - TAG_LEN);
        let kdf = match header.kdf.as_deref() {
            None => None,
            Some("argon2id") => {
                let (Some(m), Some(t), Some(p), Some(salt)) =
                    (header.m, header.t, header.p, header.salt)
                else {
                    return Err(bad("incomplete key-derivation parameters"));
                };
                Some((Argon2Params { m, t, p }, b64("token", &salt)?))
            }
            Some(_) => return Err(bad("unknown key derivation")),
        };
        Ok(Sealed {
            alg,
            nonce,
            ciphertext: body,
            tag,
            kdf,
        })
    }
}

fn raw_key(field: &str, key: &[u8]) -> Result<[u8; KEY_LEN]> {
    key.try_into().map_err(|_| {
        CryptoError::invalid(
            field,
            format!(
                "must be exactly {KEY_LEN} bytes (256 bits), got {}; generate one with /api/v1/crypto/keys/generate {{\"type\":\"aes\"}}",
                key.len()
            ),
        )
    })
}

/// ring's AEAD for the two ciphers it has (BoringSSL's assembly: about 4x RustCrypto's
/// throughput here, see docs/performance.md); RustCrypto for XChaCha20-Poly1305.
fn ring_alg(alg: CipherAlgorithm) -> Option<&'static ring::aead::Algorithm> {
    match alg {
        CipherAlgorithm::Aes256Gcm => Some(&ring::aead::AES_256_GCM),
        CipherAlgorithm::ChaCha20Poly1305 => Some(&ring::aead::CHACHA20_POLY1305),
        CipherAlgorithm::XChaCha20Poly1305 => None,
    }
}

fn ring_key(
    alg: &'static ring::aead::Algorithm,
    key: &[u8; KEY_LEN],
) -> Result<ring::aead::LessSafeKey> {
    ring::aead::UnboundKey::new(alg, key)
        .map(ring::aead::LessSafeKey::new)
        .map_err(|_| CryptoError::internal("AEAD key setup failed"))
}

fn ring_nonce(nonce: &[u8]) -> Result<ring::aead::Nonce> {
    ring::aead::Nonce::try_assume_unique_for_key(nonce)
        .map_err(|_| CryptoError::invalid("nonce", "must be 12 bytes"))
}

fn seal_with(
    alg: CipherAlgorithm,
    key: &[u8; KEY_LEN],
    nonce: &[u8],
    pt: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>> {
    if let Some(r) = ring_alg(alg) {
        let mut buf = pt.to_vec();
        let tag = ring_key(r, key)?
            .seal_in_place_separate_tag(ring_nonce(nonce)?, ring::aead::Aad::from(aad), &mut buf)
            .map_err(|_| CryptoError::invalid("plaintext", "is too long for one AEAD message"))?;
        buf.extend_from_slice(tag.as_ref());
        return Ok(buf);
    }
    XChaCha20Poly1305::new(key.into())
        .encrypt(nonce.into(), Payload { msg: pt, aad })
        .map_err(|_| CryptoError::invalid("plaintext", "is too long for one AEAD message"))
}

/// Decrypt `ciphertext‖tag`; a wrong key or altered data is a 422 naming `field`.
pub fn open_with(
    alg: CipherAlgorithm,
    key: &[u8; KEY_LEN],
    nonce: &[u8],
    ct_and_tag: &[u8],
    aad: &[u8],
    field: &str,
) -> Result<Vec<u8>> {
    if nonce.len() != alg.nonce_len() {
        return Err(CryptoError::invalid(
            "nonce",
            format!(
                "{} needs a {}-byte nonce, got {}",
                alg.name(),
                alg.nonce_len(),
                nonce.len()
            ),
        ));
    }
    let failed = || {
        CryptoError::rejected(
            field,
            "decryption failed: the key or passphrase is wrong, the associated data differs, or the data was altered",
        )
    };
    if let Some(r) = ring_alg(alg) {
        let mut buf = ct_and_tag.to_vec();
        let len = ring_key(r, key)?
            .open_in_place(ring_nonce(nonce)?, ring::aead::Aad::from(aad), &mut buf)
            .map_err(|_| failed())?
            .len();
        buf.truncate(len);
        return Ok(buf);
    }
    XChaCha20Poly1305::new(key.into())
        .decrypt(
            nonce.into(),
            Payload {
                msg: ct_and_tag,
                aad,
            },
        )
        .map_err(|_| failed())
}

/// Encrypt `plaintext` with a fresh random nonce (and salt, for a passphrase).
pub fn encrypt(
    alg: CipherAlgorithm,
    key: &KeySource,
    kdf: &Argon2Params,
    limits: &KdfLimits,
    plaintext: &[u8],
    aad: &[u8],
) -> Result<Sealed> {
    let mut rng = rand::rngs::OsRng;
    let (key, kdf_used) = match key {
        KeySource::Raw(k) => (raw_key("key", k)?, None),
        KeySource::Passphrase(p) => {
            if p.is_empty() {
                return Err(CryptoError::invalid("passphrase", "must not be empty"));
            }
            kdf.check(limits, "kdf")?;
            let mut salt = vec![0u8; 16];
            rng.fill_bytes(&mut salt);
            (
                derive_key(p.as_bytes(), &salt, kdf)?,
                Some((kdf.clone(), salt)),
            )
        }
    };
    let mut nonce = vec![0u8; alg.nonce_len()];
    rng.fill_bytes(&mut nonce);
    let mut ct = seal_with(alg, &key, &nonce, plaintext, aad)?;
    let tag = ct.split_off(ct.len() - TAG_LEN);
    Ok(Sealed {
        alg,
        nonce,
        ciphertext: ct,
        tag,
        kdf: kdf_used,
    })
}

/// Decrypt a sealed message with the key or passphrase.
pub fn decrypt(
    sealed: &Sealed,
    key: &KeySource,
    limits: &KdfLimits,
    aad: &[u8],
    field: &str,
) -> Result<Vec<u8>> {
    let key = match (key, &sealed.kdf) {
        (KeySource::Raw(k), None) => raw_key("key", k)?,
        (KeySource::Passphrase(p), Some((params, salt))) => {
            params.check(limits, field)?;
            derive_key(p.as_bytes(), salt, params)?
        }
        (KeySource::Raw(_), Some(_)) => {
            return Err(CryptoError::invalid(
                "key",
                "this token was encrypted with a passphrase; send `passphrase` instead of `key`",
            ));
        }
        (KeySource::Passphrase(_), None) => {
            return Err(CryptoError::invalid(
                "passphrase",
                "this token was encrypted with a raw key; send `key` instead of `passphrase`",
            ));
        }
    };
    let mut body = sealed.ciphertext.clone();
    body.extend_from_slice(&sealed.tag);
    open_with(sealed.alg, &key, &sealed.nonce, &body, aad, field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cheap() -> Argon2Params {
        Argon2Params { m: 64, t: 1, p: 1 }
    }

    #[test]
    fn a_passphrase_token_round_trips_and_records_its_parameters() {
        let s = encrypt(
            CipherAlgorithm::Aes256Gcm,
            &KeySource::Passphrase("pw".into()),
            &cheap(),
            &KdfLimits::default(),
            b"secret",
            b"",
        )
        .unwrap();
        let token = s.token();
        let parsed = Sealed::parse_token(&token).unwrap();
        assert_eq!(parsed.kdf.as_ref().unwrap().0, cheap());
        let pt = decrypt(
            &parsed,
            &KeySource::Passphrase("pw".into()),
            &KdfLimits::default(),
            b"",
            "token",
        )
        .unwrap();
        assert_eq!(pt, b"secret");
        let e = decrypt(
            &parsed,
            &KeySource::Passphrase("pW".into()),
            &KdfLimits::default(),
            b"",
            "token",
        )
        .unwrap_err();
        assert!(matches!(e, crate::error::CryptoError::Rejected { .. }));
    }

    #[test]
    fn token_kdf_costs_over_the_limit_are_refused_before_any_work() {
        let mut s = encrypt(
            CipherAlgorithm::Aes256Gcm,
            &KeySource::Passphrase("pw".into()),
            &cheap(),
            &KdfLimits::default(),
            b"x",
            b"",
        )
        .unwrap();
        s.kdf.as_mut().unwrap().0.m = 4_000_000;
        let parsed = Sealed::parse_token(&s.token()).unwrap();
        let e = decrypt(
            &parsed,
            &KeySource::Passphrase("pw".into()),
            &KdfLimits::default(),
            b"",
            "token",
        )
        .unwrap_err();
        assert_eq!(flowforge_kit::DomainError::field(&e), "token.m");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn every_encryption_decrypts_and_a_flipped_bit_fails(
            pt in proptest::collection::vec(any::<u8>(), 0..300),
            aad in proptest::collection::vec(any::<u8>(), 0..40),
            which in 0usize..3,
            flip in any::<usize>(),
        ) {
            let alg = [CipherAlgorithm::Aes256Gcm, CipherAlgorithm::ChaCha20Poly1305, CipherAlgorithm::XChaCha20Poly1305][which];
            let key = KeySource::Raw(vec![9u8; 32]);
            let s = encrypt(alg, &key, &cheap(), &KdfLimits::default(), &pt, &aad).unwrap();
            let parsed = Sealed::parse_token(&s.token()).unwrap();
            prop_assert_eq!(decrypt(&parsed, &key, &KdfLimits::default(), &aad, "token").unwrap(), pt.clone());
            let mut body = s.ciphertext.clone();
            body.extend_from_slice(&s.tag);
            let bit = flip % (body.len() * 8);
            body[bit / 8] ^= 1 << (bit % 8);
            let k: [u8; 32] = [9u8; 32];
            prop_assert!(open_with(alg, &k, &s.nonce, &body, &aad, "token").is_err());
        }
    }
}
