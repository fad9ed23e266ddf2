//! Message authentication: HMAC over SHA-1 (legacy), SHA-2 and SHA-3, and keyed BLAKE3.
//! Verification is constant-time.

use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;

use crate::error::{CryptoError, Result};

flowforge_kit::wire_enum! {
    /// A MAC algorithm.
    pub enum MacAlgorithm {
        /// HMAC-SHA1 (legacy: TOTP, old webhooks).
        Sha1 = "sha1" | "hmac-sha1",
        /// HMAC-SHA224.
        Sha224 = "sha224" | "hmac-sha224",
        /// HMAC-SHA256.
        Sha256 = "sha256" | "hmac-sha256",
        /// HMAC-SHA384.
        Sha384 = "sha384" | "hmac-sha384",
        /// HMAC-SHA512.
        Sha512 = "sha512" | "hmac-sha512",
        /// HMAC-SHA3-224.
        Sha3_224 = "sha3-224",
        /// HMAC-SHA3-256.
        Sha3_256 = "sha3-256",
        /// HMAC-SHA3-384.
        Sha3_384 = "sha3-384",
        /// HMAC-SHA3-512.
        Sha3_512 = "sha3-512",
        /// Keyed BLAKE3 (the key must be exactly 32 bytes).
        Blake3 = "blake3",
    }
}

fn hmac_of<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    match <M as hmac::digest::KeyInit>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Compute the MAC of `data` under `key`. `key_field` names the key in errors.
pub fn sign(alg: MacAlgorithm, key: &[u8], data: &[u8], key_field: &str) -> Result<Vec<u8>> {
    Ok(match alg {
        MacAlgorithm::Sha1 => hmac_of::<Hmac<sha1::Sha1>>(key, data),
        MacAlgorithm::Sha224 => hmac_of::<Hmac<sha2::Sha224>>(key, data),
        MacAlgorithm::Sha256 => hmac_of::<Hmac<sha2::Sha256>>(key, data),
        MacAlgorithm::Sha384 => hmac_of::<Hmac<sha2::Sha384>>(key, data),
        MacAlgorithm::Sha512 => hmac_of::<Hmac<sha2::Sha512>>(key, data),
        MacAlgorithm::Sha3_224 => hmac_of::<Hmac<sha3::Sha3_224>>(key, data),
        MacAlgorithm::Sha3_256 => hmac_of::<Hmac<sha3::Sha3_256>>(key, data),
        MacAlgorithm::Sha3_384 => hmac_of::<Hmac<sha3::Sha3_384>>(key, data),
        MacAlgorithm::Sha3_512 => hmac_of::<Hmac<sha3::Sha3_512>>(key, data),
        MacAlgorithm::Blake3 => {
            let key: [u8; 32] = key.try_into().map_err(|_| {
                CryptoError::invalid(
                    key_field,
                    format!(
                        "keyed blake3 needs a key of exactly 32 bytes, got {}; send 64 hex digits or 44 base64 characters",
                        key.len()
                    ),
                )
            })?;
            blake3::keyed_hash(&key, data).as_bytes().to_vec()
        }
    })
}

/// Constant-time equality of two byte strings (lengths are not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// Verify `mac` over `data` under `key`, in constant time.
pub fn verify(
    alg: MacAlgorithm,
    key: &[u8],
    data: &[u8],
    mac: &[u8],
    key_field: &str,
) -> Result<bool> {
    let expected = sign(alg, key, data, key_field)?;
    Ok(ct_eq(&expected, mac))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// RFC 4231 test cases 1, 2, 4, 6 and 7 (all four SHA-2 sizes).
    #[test]
    fn rfc4231_vectors() {
        let cases: &[(Vec<u8>, Vec<u8>, [&str; 4])] = &[
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                [
                    "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22",
                    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                    "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
                    "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
                ],
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                [
                    "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
                    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                    "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
                    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
                ],
            ),
            (
                h("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                vec![0xcd; 50],
                [
                    "6c11506874013cac6a2abc1bb382627cec6a90d86efc012de7afec5a",
                    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
                    "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
                    "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd",
                ],
            ),
            (
                vec![0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                [
                    "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e",
                    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                    "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
                    "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
                ],
            ),
        ];
        let algs = [
            MacAlgorithm::Sha224,
            MacAlgorithm::Sha256,
            MacAlgorithm::Sha384,
            MacAlgorithm::Sha512,
        ];
        for (key, data, expected) in cases {
            for (alg, want) in algs.iter().zip(expected) {
                let got = sign(*alg, key, data, "key").unwrap();
                assert_eq!(hex::encode(&got), *want, "{}", alg.name());
                assert!(verify(*alg, key, data, &got, "key").unwrap());
            }
        }
    }

    #[test]
    fn a_changed_mac_or_message_fails() {
        let mac = sign(MacAlgorithm::Sha256, b"k", b"msg", "key").unwrap();
        let mut bad = mac.clone();
        bad[0] ^= 1;
        assert!(!verify(MacAlgorithm::Sha256, b"k", b"msg", &bad, "key").unwrap());
        assert!(!verify(MacAlgorithm::Sha256, b"k", b"msh", &mac, "key").unwrap());
        assert!(!verify(MacAlgorithm::Sha256, b"k", b"msg", &mac[..31], "key").unwrap());
    }

    #[test]
    fn keyed_blake3_needs_32_bytes() {
        assert!(sign(MacAlgorithm::Blake3, &[7; 32], b"x", "key").is_ok());
        let e = sign(MacAlgorithm::Blake3, &[7; 31], b"x", "key").unwrap_err();
        assert_eq!(flowforge_kit::DomainError::field(&e), "key");
    }
}
