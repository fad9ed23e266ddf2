//! Decrypting what other tools produced: OpenSSL's `enc` format (`Salted__` + salt, key and IV
//! from EVP_BytesToKey with MD5 or SHA-256, or PBKDF2), which is also CryptoJS's
//! `AES.encrypt(text, passphrase)` and n8n's credential format (AES-256-CBC, MD5); and raw
//! AES-GCM or AES-CBC with a given key and IV. Encryption in the OpenSSL format is offered too,
//! for round trips with those tools.
//!
//! CBC has no integrity check: a wrong key usually shows as bad padding, but not always. Prefer
//! the AEAD ciphers of `/encrypt` for anything new.

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::Pkcs7};
use aes_gcm::AesGcm;
use aes_gcm::aead::consts::{U12, U16};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use md5::Md5;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::{CryptoError, Result};

flowforge_kit::wire_enum! {
    /// How OpenSSL-format key material is derived from the passphrase.
    #[derive(Default)]
    pub enum LegacyKdf {
        /// EVP_BytesToKey with MD5, one round: OpenSSL before 1.1.0, CryptoJS, n8n.
        #[default]
        Md5 = "md5" | "evp-md5",
        /// EVP_BytesToKey with SHA-256: OpenSSL 1.1.0+ without `-pbkdf2`.
        Sha256 = "sha256" | "evp-sha256",
        /// PBKDF2-HMAC-SHA256: `openssl enc -pbkdf2` (10000 iterations unless `-iter`).
        Pbkdf2 = "pbkdf2",
    }
}

/// AES key size in bytes for `aes-128-cbc` etc.
pub fn cbc_key_len(cipher: &str) -> Result<usize> {
    match cipher.to_ascii_lowercase().as_str() {
        "aes-128-cbc" => Ok(16),
        "aes-192-cbc" => Ok(24),
        "aes-256-cbc" => Ok(32),
        other => Err(CryptoError::invalid(
            "cipher",
            format!(
                "unknown value {other:?}; expected one of aes-128-cbc, aes-192-cbc, aes-256-cbc"
            ),
        )),
    }
}

/// OpenSSL's EVP_BytesToKey with one iteration.
pub fn evp_bytes_to_key(sha256: bool, pass: &[u8], salt: &[u8], out_len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(out_len + 32);
    let mut prev: Vec<u8> = Vec::new();
    while out.len() < out_len {
        prev = if sha256 {
            let mut h = Sha256::new();
            h.update(&prev);
            h.update(pass);
            h.update(salt);
            h.finalize().to_vec()
        } else {
            let mut h = Md5::new();
            h.update(&prev);
            h.update(pass);
            h.update(salt);
            h.finalize().to_vec()
        };
        out.extend_from_slice(&prev);
    }
    out.truncate(out_len);
    out
}

fn derive(kdf: LegacyKdf, pass: &[u8], salt: &[u8], key_len: usize, iterations: u32) -> Vec<u8> {
    match kdf {
        LegacyKdf::Md5 => evp_bytes_to_key(false, pass, salt, key_len + 16),
        LegacyKdf::Sha256 => evp_bytes_to_key(true, pass, salt, key_len + 16),
        LegacyKdf::Pbkdf2 => {
            crate::password::pbkdf2_derive(false, pass, salt, iterations, key_len + 16)
        }
    }
}

/// AES-CBC with PKCS#7 padding; `key` 16, 24 or 32 bytes, `iv` 16.
pub fn cbc_decrypt(key: &[u8], iv: &[u8], ct: &[u8], field: &str) -> Result<Vec<u8>> {
    if iv.len() != 16 {
        return Err(CryptoError::invalid(
            "iv",
            format!("must be 16 bytes for AES-CBC, got {}", iv.len()),
        ));
    }
    if ct.is_empty() || !ct.len().is_multiple_of(16) {
        return Err(CryptoError::invalid(
            field,
            format!(
                "AES-CBC ciphertext is a whole number of 16-byte blocks; got {} bytes",
                ct.len()
            ),
        ));
    }
    let bad = || {
        CryptoError::rejected(
            field,
            "decryption failed: bad padding, so the key, passphrase, IV or key derivation is wrong, or the data was altered",
        )
    };
    let mut buf = ct.to_vec();
    let pt = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map_err(|_| bad())?
            .decrypt_padded_mut::<Pkcs7>(&mut buf)
            .map_err(|_| bad())?
            .to_vec(),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
            .map_err(|_| bad())?
            .decrypt_padded_mut::<Pkcs7>(&mut buf)
            .map_err(|_| bad())?
            .to_vec(),
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map_err(|_| bad())?
            .decrypt_padded_mut::<Pkcs7>(&mut buf)
            .map_err(|_| bad())?
            .to_vec(),
        n => return Err(aes_key_len(n)),
    };
    Ok(pt)
}

/// AES-CBC encryption with PKCS#7 padding.
pub fn cbc_encrypt(key: &[u8], iv: &[u8], pt: &[u8]) -> Result<Vec<u8>> {
    if iv.len() != 16 {
        return Err(CryptoError::invalid("iv", "must be 16 bytes for AES-CBC"));
    }
    let bad = |_| CryptoError::invalid("key", "has the wrong length");
    Ok(match key.len() {
        16 => cbc::Encryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map_err(bad)?
            .encrypt_padded_vec_mut::<Pkcs7>(pt),
        24 => cbc::Encryptor::<aes::Aes192>::new_from_slices(key, iv)
            .map_err(bad)?
            .encrypt_padded_vec_mut::<Pkcs7>(pt),
        32 => cbc::Encryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map_err(bad)?
            .encrypt_padded_vec_mut::<Pkcs7>(pt),
        n => return Err(aes_key_len(n)),
    })
}

fn aes_key_len(n: usize) -> CryptoError {
    CryptoError::invalid(
        "key",
        format!("must be 16, 24 or 32 bytes (AES-128/192/256), got {n}"),
    )
}

/// AES-GCM decryption with any AES key size and a 12- or 16-byte nonce; `ct_tag` is the
/// ciphertext with its 16-byte tag appended.
pub fn gcm_decrypt(
    key: &[u8],
    nonce: &[u8],
    ct_tag: &[u8],
    aad: &[u8],
    field: &str,
) -> Result<Vec<u8>> {
    let payload = Payload { msg: ct_tag, aad };
    let fail = |_| {
        CryptoError::rejected(
            field,
            "decryption failed: the key, IV or associated data is wrong, or the data was altered",
        )
    };
    macro_rules! gcm {
        ($aes:ty, $n:ty) => {
            AesGcm::<$aes, $n>::new_from_slice(key)
                .map_err(|_| aes_key_len(key.len()))?
                .decrypt(nonce.into(), payload)
                .map_err(fail)
        };
    }
    match (key.len(), nonce.len()) {
        (16, 12) => gcm!(aes::Aes128, U12),
        (24, 12) => gcm!(aes::Aes192, U12),
        (32, 12) => gcm!(aes::Aes256, U12),
        (16, 16) => gcm!(aes::Aes128, U16),
        (24, 16) => gcm!(aes::Aes192, U16),
        (32, 16) => gcm!(aes::Aes256, U16),
        (16 | 24 | 32, n) => Err(CryptoError::invalid(
            "iv",
            format!("AES-GCM here takes a 12- or 16-byte IV, got {n}"),
        )),
        (n, _) => Err(aes_key_len(n)),
    }
}

/// Decrypt OpenSSL `enc` output (`Salted__`, 8-byte salt, AES-CBC ciphertext).
pub fn openssl_decrypt(
    data: &[u8],
    pass: &[u8],
    key_len: usize,
    kdf: LegacyKdf,
    iterations: u32,
) -> Result<Vec<u8>> {
    if data.len() < 16 || &data[..8] != b"Salted__" {
        return Err(CryptoError::invalid(
            "data",
            "does not start with OpenSSL's \"Salted__\" header (base64 \"U2FsdGVkX1\"); send the whole output of openssl enc / CryptoJS.AES.encrypt",
        ));
    }
    let salt = &data[8..16];
    let km = derive(kdf, pass, salt, key_len, iterations);
    cbc_decrypt(&km[..key_len], &km[key_len..], &data[16..], "data")
}

/// Encrypt in OpenSSL `enc` format with a random salt.
pub fn openssl_encrypt(
    pt: &[u8],
    pass: &[u8],
    key_len: usize,
    kdf: LegacyKdf,
    iterations: u32,
) -> Result<Vec<u8>> {
    let mut salt = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let km = derive(kdf, pass, &salt, key_len, iterations);
    let mut out = b"Salted__".to_vec();
    out.extend_from_slice(&salt);
    out.extend(cbc_encrypt(&km[..key_len], &km[key_len..], pt)?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::b64;

    #[test]
    fn openssl_and_cryptojs_outputs_decrypt() {
        // Made by `openssl enc` 3.x and crypto-js 4 (`CryptoJS.AES.encrypt(text, passphrase)`).
        let cases = [
            (
                "U2FsdGVkX1+f52tvmwQ0FxQhmWXp77Jqj1Wucha95ps=",
                "pw",
                32,
                LegacyKdf::Md5,
                "hello world",
            ),
            (
                "U2FsdGVkX19jVKP33N/3ZdVUIC0FMtyPxNoZXUKw6jc=",
                "pw",
                32,
                LegacyKdf::Pbkdf2,
                "hello world",
            ),
            (
                "U2FsdGVkX1/9gg8KoJhj/kieWMUilPD5cX3fuYswpHw=",
                "pw",
                16,
                LegacyKdf::Sha256,
                "hello world",
            ),
            (
                "U2FsdGVkX18bMllQi7Hdb4+rTNqU7Lis+B24mw4o4CXUQb2E2jvyItpdbvyve6qX",
                "n8n-key",
                32,
                LegacyKdf::Md5,
                "hello from cryptojs",
            ),
        ];
        for (data, pass, kl, kdf, want) in cases {
            let d = b64("data", data).unwrap();
            let pt = openssl_decrypt(&d, pass.as_bytes(), kl, kdf, 10_000).unwrap();
            assert_eq!(pt, want.as_bytes(), "{data}");
        }
    }

    #[test]
    fn the_openssl_format_round_trips_and_a_wrong_passphrase_is_rejected() {
        for kdf in [LegacyKdf::Md5, LegacyKdf::Sha256, LegacyKdf::Pbkdf2] {
            let ct = openssl_encrypt(b"data", b"pw", 32, kdf, 1000).unwrap();
            assert_eq!(openssl_decrypt(&ct, b"pw", 32, kdf, 1000).unwrap(), b"data");
        }
        let ct = openssl_encrypt(b"data", b"pw", 32, LegacyKdf::Md5, 1).unwrap();
        // Padding catches a wrong key with probability about 255/256; try a few passphrases.
        let rejected = (0..8)
            .filter(|i| {
                openssl_decrypt(&ct, format!("x{i}").as_bytes(), 32, LegacyKdf::Md5, 1).is_err()
            })
            .count();
        assert!(rejected >= 6);
    }
}
