//! Digital signatures: Ed25519, ECDSA P-256/P-384 (DER or raw r‖s), RSA PKCS#1 v1.5 and PSS
//! with SHA-256/384/512.

use rsa::pkcs1v15;
use rsa::pss;
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::hazmat::{PrehashSigner, PrehashVerifier};
use signature::{RandomizedSigner, SignatureEncoding, Signer, Verifier};

use crate::error::{CryptoError, Result};
use crate::keys::{PrivateKey, PublicKey};

flowforge_kit::wire_enum! {
    /// The digest signed (ECDSA and RSA; Ed25519 hashes internally).
    pub enum SigHash {
        /// SHA-256.
        Sha256 = "sha256" | "sha-256",
        /// SHA-384.
        Sha384 = "sha384" | "sha-384",
        /// SHA-512.
        Sha512 = "sha512" | "sha-512",
    }
}

flowforge_kit::wire_enum! {
    /// RSA signature padding.
    #[derive(Default)]
    pub enum RsaScheme {
        /// PKCS#1 v1.5 (RS256 in JWT).
        #[default]
        Pkcs1v15 = "pkcs1v15" | "pkcs1" | "pkcs1-v1_5",
        /// PSS with MGF1 of the same hash and a salt as long as the hash (PS256 in JWT).
        Pss = "pss",
    }
}

flowforge_kit::wire_enum! {
    /// ECDSA signature encoding.
    #[derive(Default)]
    pub enum EcdsaFormat {
        /// ASN.1 DER (OpenSSL, Java, most libraries).
        #[default]
        Der = "der" | "asn1",
        /// Fixed-size r‖s (IEEE P1363; JWT's ES256 and WebCrypto).
        Raw = "raw" | "p1363" | "ieee-p1363",
    }
}

/// Options of a signature operation.
#[derive(Debug, Clone, Copy, Default)]
pub struct SignOptions {
    /// Digest; default SHA-256 for RSA, the curve's own for ECDSA.
    pub hash: Option<SigHash>,
    /// RSA padding.
    pub scheme: RsaScheme,
    /// ECDSA encoding.
    pub format: EcdsaFormat,
    /// PSS salt length (default: the hash length).
    pub salt_len: Option<usize>,
}

fn prehash(h: SigHash, msg: &[u8]) -> Vec<u8> {
    match h {
        SigHash::Sha256 => Sha256::digest(msg).to_vec(),
        SigHash::Sha384 => Sha384::digest(msg).to_vec(),
        SigHash::Sha512 => Sha512::digest(msg).to_vec(),
    }
}

/// Describe the algorithm a key and options produce (`ES256`-like names for humans).
pub fn describe(key_type: &str, o: &SignOptions) -> String {
    match key_type {
        "ed25519" => "ed25519".into(),
        "p256" => format!("ecdsa-p256-{}", o.hash.unwrap_or(SigHash::Sha256).name()),
        "p384" => format!("ecdsa-p384-{}", o.hash.unwrap_or(SigHash::Sha384).name()),
        "rsa" => format!(
            "rsa-{}-{}",
            o.scheme.name(),
            o.hash.unwrap_or(SigHash::Sha256).name()
        ),
        other => other.into(),
    }
}

/// Sign `msg`.
pub fn sign(key: &PrivateKey, msg: &[u8], o: &SignOptions) -> Result<Vec<u8>> {
    let fail = |e: signature::Error| CryptoError::internal(format!("signing failed: {e}"));
    match key {
        PrivateKey::Ed25519(k) => Ok(k.sign(msg).to_bytes().to_vec()),
        PrivateKey::P256(k) => {
            let sk = p256::ecdsa::SigningKey::from(k);
            let h = prehash(o.hash.unwrap_or(SigHash::Sha256), msg);
            let sig: p256::ecdsa::Signature = sk.sign_prehash(&h).map_err(fail)?;
            Ok(match o.format {
                EcdsaFormat::Der => sig.to_der().as_bytes().to_vec(),
                EcdsaFormat::Raw => sig.to_bytes().to_vec(),
            })
        }
        PrivateKey::P384(k) => {
            let sk = p384::ecdsa::SigningKey::from(k);
            let h = prehash(o.hash.unwrap_or(SigHash::Sha384), msg);
            let sig: p384::ecdsa::Signature = sk.sign_prehash(&h).map_err(fail)?;
            Ok(match o.format {
                EcdsaFormat::Der => sig.to_der().as_bytes().to_vec(),
                EcdsaFormat::Raw => sig.to_bytes().to_vec(),
            })
        }
        PrivateKey::Rsa(k) => {
            let k = k.as_ref().clone();
            let mut rng = rand::rngs::OsRng;
            let h = o.hash.unwrap_or(SigHash::Sha256);
            Ok(match (o.scheme, h) {
                (RsaScheme::Pkcs1v15, SigHash::Sha256) => pkcs1v15::SigningKey::<Sha256>::new(k)
                    .try_sign_with_rng(&mut rng, msg)
                    .map_err(fail)?
                    .to_vec(),
                (RsaScheme::Pkcs1v15, SigHash::Sha384) => pkcs1v15::SigningKey::<Sha384>::new(k)
                    .try_sign_with_rng(&mut rng, msg)
                    .map_err(fail)?
                    .to_vec(),
                (RsaScheme::Pkcs1v15, SigHash::Sha512) => pkcs1v15::SigningKey::<Sha512>::new(k)
                    .try_sign_with_rng(&mut rng, msg)
                    .map_err(fail)?
                    .to_vec(),
                (RsaScheme::Pss, SigHash::Sha256) => pss_key::<Sha256>(k, o.salt_len, 32)
                    .try_sign_with_rng(&mut rng, msg)
                    .map_err(fail)?
                    .to_vec(),
                (RsaScheme::Pss, SigHash::Sha384) => pss_key::<Sha384>(k, o.salt_len, 48)
                    .try_sign_with_rng(&mut rng, msg)
                    .map_err(fail)?
                    .to_vec(),
                (RsaScheme::Pss, SigHash::Sha512) => pss_key::<Sha512>(k, o.salt_len, 64)
                    .try_sign_with_rng(&mut rng, msg)
                    .map_err(fail)?
                    .to_vec(),
            })
        }
        PrivateKey::X25519(_) => Err(CryptoError::invalid(
            "privateKey",
            "is an X25519 key, which is for key agreement; sign with ed25519, p256, p384 or rsa",
        )),
    }
}

fn pss_key<D>(
    k: rsa::RsaPrivateKey,
    salt: Option<usize>,
    default: usize,
) -> pss::BlindedSigningKey<D>
where
    D: Digest + rsa::signature::digest::FixedOutputReset,
{
    pss::BlindedSigningKey::<D>::new_with_salt_len(k, salt.unwrap_or(default))
}

/// Verify `sig` over `msg`. A malformed signature is simply invalid (`false`).
pub fn verify(key: &PublicKey, msg: &[u8], sig: &[u8], o: &SignOptions) -> Result<bool> {
    Ok(match key {
        PublicKey::Ed25519(k) => match ed25519_dalek::Signature::from_slice(sig) {
            Ok(s) => k.verify_strict(msg, &s).is_ok(),
            Err(_) => false,
        },
        PublicKey::P256(k) => {
            let vk = p256::ecdsa::VerifyingKey::from(k);
            let s = match o.format {
                EcdsaFormat::Der => p256::ecdsa::Signature::from_der(sig),
                EcdsaFormat::Raw => p256::ecdsa::Signature::from_slice(sig),
            };
            let h = prehash(o.hash.unwrap_or(SigHash::Sha256), msg);
            s.is_ok_and(|s| vk.verify_prehash(&h, &s).is_ok())
        }
        PublicKey::P384(k) => {
            let vk = p384::ecdsa::VerifyingKey::from(k);
            let s = match o.format {
                EcdsaFormat::Der => p384::ecdsa::Signature::from_der(sig),
                EcdsaFormat::Raw => p384::ecdsa::Signature::from_slice(sig),
            };
            let h = prehash(o.hash.unwrap_or(SigHash::Sha384), msg);
            s.is_ok_and(|s| vk.verify_prehash(&h, &s).is_ok())
        }
        PublicKey::Rsa(k) => {
            let k = k.as_ref().clone();
            // A signature must be exactly as long as the modulus.
            if sig.len() != rsa::traits::PublicKeyParts::size(&k) {
                return Ok(false);
            }
            let h = o.hash.unwrap_or(SigHash::Sha256);
            match o.scheme {
                RsaScheme::Pkcs1v15 => {
                    let Ok(s) = pkcs1v15::Signature::try_from(sig) else {
                        return Ok(false);
                    };
                    match h {
                        SigHash::Sha256 => pkcs1v15::VerifyingKey::<Sha256>::new(k)
                            .verify(msg, &s)
                            .is_ok(),
                        SigHash::Sha384 => pkcs1v15::VerifyingKey::<Sha384>::new(k)
                            .verify(msg, &s)
                            .is_ok(),
                        SigHash::Sha512 => pkcs1v15::VerifyingKey::<Sha512>::new(k)
                            .verify(msg, &s)
                            .is_ok(),
                    }
                }
                RsaScheme::Pss => {
                    let (hashed, salt) = (prehash(h, msg), o.salt_len);
                    let scheme = |default: usize| salt.unwrap_or(default);
                    match h {
                        SigHash::Sha256 => k
                            .verify(rsa::Pss::new_with_salt::<Sha256>(scheme(32)), &hashed, sig)
                            .is_ok(),
                        SigHash::Sha384 => k
                            .verify(rsa::Pss::new_with_salt::<Sha384>(scheme(48)), &hashed, sig)
                            .is_ok(),
                        SigHash::Sha512 => k
                            .verify(rsa::Pss::new_with_salt::<Sha512>(scheme(64)), &hashed, sig)
                            .is_ok(),
                    }
                }
            }
        }
        PublicKey::X25519(_) => {
            return Err(CryptoError::invalid(
                "publicKey",
                "is an X25519 key, which is for key agreement; verify with ed25519, p256, p384 or rsa",
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyType;
    use proptest::prelude::*;

    fn all_options() -> Vec<(KeyType, SignOptions)> {
        let mut v = vec![
            (KeyType::Ed25519, SignOptions::default()),
            (KeyType::P256, SignOptions::default()),
            (
                KeyType::P256,
                SignOptions {
                    format: EcdsaFormat::Raw,
                    ..Default::default()
                },
            ),
            (
                KeyType::P384,
                SignOptions {
                    hash: Some(SigHash::Sha512),
                    ..Default::default()
                },
            ),
        ];
        for h in [SigHash::Sha256, SigHash::Sha384, SigHash::Sha512] {
            for s in [RsaScheme::Pkcs1v15, RsaScheme::Pss] {
                v.push((
                    KeyType::Rsa,
                    SignOptions {
                        hash: Some(h),
                        scheme: s,
                        ..Default::default()
                    },
                ));
            }
        }
        v
    }

    /// RFC 8032 section 7.1, TEST 1 and TEST 2.
    #[test]
    fn rfc8032_ed25519_vectors() {
        let cases = [
            (
                "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            ),
            (
                "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
            ),
        ];
        for (sk, msg, sig) in cases {
            let sk: [u8; 32] = hex::decode(sk).unwrap().try_into().unwrap();
            let k = PrivateKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&sk));
            let msg = hex::decode(msg).unwrap();
            let got = sign(&k, &msg, &SignOptions::default()).unwrap();
            assert_eq!(hex::encode(&got), sig);
            assert!(verify(&k.public(), &msg, &got, &SignOptions::default()).unwrap());
        }
    }

    /// One key per type, made once: RSA generation dominates otherwise.
    static KEYS: std::sync::LazyLock<Vec<(KeyType, PrivateKey)>> = std::sync::LazyLock::new(|| {
        [KeyType::Ed25519, KeyType::P256, KeyType::P384, KeyType::Rsa]
            .into_iter()
            .map(|t| (t, PrivateKey::generate(t, None).unwrap()))
            .collect()
    });

    fn key(t: KeyType) -> &'static PrivateKey {
        &KEYS.iter().find(|(kt, _)| *kt == t).unwrap().1
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]
        #[test]
        fn every_signature_verifies_and_a_flipped_bit_fails(msg in proptest::collection::vec(any::<u8>(), 0..200), bit in any::<usize>()) {
            for (t, o) in all_options() {
                let k = key(t);
                let sig = sign(k, &msg, &o).unwrap();
                prop_assert!(verify(&k.public(), &msg, &sig, &o).unwrap(), "{} {:?}", t.name(), o);
                let mut bad = sig.clone();
                let b = bit % (bad.len() * 8);
                bad[b / 8] ^= 1 << (b % 8);
                prop_assert!(!verify(&k.public(), &msg, &bad, &o).unwrap(), "flipped {} {:?}", t.name(), o);
            }
        }
    }
}
