//! Message digests, one-shot or streamed: MD5 and SHA-1 (legacy, accepted), SHA-2, SHA-3,
//! BLAKE2 and BLAKE3.

use serde::{Deserialize, Serialize};
use sha2::Digest;
use utoipa::ToSchema;

/// A digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
pub enum HashAlgorithm {
    /// MD5 (broken for security; for checksums and legacy systems).
    #[serde(rename = "md5")]
    Md5,
    /// SHA-1 (broken for signatures; for legacy systems).
    #[serde(rename = "sha1")]
    Sha1,
    /// SHA-224.
    #[serde(rename = "sha224")]
    Sha224,
    /// SHA-256.
    #[serde(rename = "sha256")]
    Sha256,
    /// SHA-384.
    #[serde(rename = "sha384")]
    Sha384,
    /// SHA-512.
    #[serde(rename = "sha512")]
    Sha512,
    /// SHA-512/256.
    #[serde(rename = "sha512-256", alias = "sha512/256")]
    Sha512_256,
    /// SHA3-224.
    #[serde(rename = "sha3-224")]
    Sha3_224,
    /// SHA3-256.
    #[serde(rename = "sha3-256")]
    Sha3_256,
    /// SHA3-384.
    #[serde(rename = "sha3-384")]
    Sha3_384,
    /// SHA3-512.
    #[serde(rename = "sha3-512")]
    Sha3_512,
    /// BLAKE2b with a 512-bit output.
    #[serde(rename = "blake2b-512", alias = "blake2b512", alias = "blake2b")]
    Blake2b512,
    /// BLAKE2s with a 256-bit output.
    #[serde(rename = "blake2s-256", alias = "blake2s256", alias = "blake2s")]
    Blake2s256,
    /// BLAKE3 (256-bit output).
    #[serde(rename = "blake3")]
    Blake3,
}

impl HashAlgorithm {
    /// Every algorithm, in documentation order.
    pub const ALL: [HashAlgorithm; 14] = [
        HashAlgorithm::Md5,
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
        HashAlgorithm::Sha512_256,
        HashAlgorithm::Sha3_224,
        HashAlgorithm::Sha3_256,
        HashAlgorithm::Sha3_384,
        HashAlgorithm::Sha3_512,
        HashAlgorithm::Blake2b512,
        HashAlgorithm::Blake2s256,
        HashAlgorithm::Blake3,
    ];

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "md5",
            HashAlgorithm::Sha1 => "sha1",
            HashAlgorithm::Sha224 => "sha224",
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha384 => "sha384",
            HashAlgorithm::Sha512 => "sha512",
            HashAlgorithm::Sha512_256 => "sha512-256",
            HashAlgorithm::Sha3_224 => "sha3-224",
            HashAlgorithm::Sha3_256 => "sha3-256",
            HashAlgorithm::Sha3_384 => "sha3-384",
            HashAlgorithm::Sha3_512 => "sha3-512",
            HashAlgorithm::Blake2b512 => "blake2b-512",
            HashAlgorithm::Blake2s256 => "blake2s-256",
            HashAlgorithm::Blake3 => "blake3",
        }
    }

    /// Parse a wire name (query strings use this).
    pub fn parse(s: &str) -> Option<Self> {
        let lower = s.to_ascii_lowercase();
        let lower = if lower == "sha512/256" {
            "sha512-256".to_string()
        } else {
            lower
        };
        Self::ALL.into_iter().find(|a| a.name() == lower)
    }

    /// The accepted names, for error messages.
    pub fn names() -> String {
        Self::ALL
            .iter()
            .map(|a| a.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A hash in progress.
#[derive(Clone)]
pub enum Hasher {
    /// MD5.
    Md5(md5::Md5),
    /// SHA-1.
    Sha1(sha1::Sha1),
    /// SHA-224.
    Sha224(sha2::Sha224),
    /// SHA-256.
    Sha256(sha2::Sha256),
    /// SHA-384.
    Sha384(sha2::Sha384),
    /// SHA-512.
    Sha512(sha2::Sha512),
    /// SHA-512/256.
    Sha512_256(sha2::Sha512_256),
    /// SHA3-224.
    Sha3_224(sha3::Sha3_224),
    /// SHA3-256.
    Sha3_256(sha3::Sha3_256),
    /// SHA3-384.
    Sha3_384(sha3::Sha3_384),
    /// SHA3-512.
    Sha3_512(sha3::Sha3_512),
    /// BLAKE2b-512.
    Blake2b(blake2::Blake2b512),
    /// BLAKE2s-256.
    Blake2s(blake2::Blake2s256),
    /// BLAKE3.
    Blake3(Box<blake3::Hasher>),
}

impl Hasher {
    /// Start a hash.
    pub fn new(alg: HashAlgorithm) -> Self {
        match alg {
            HashAlgorithm::Md5 => Hasher::Md5(Default::default()),
            HashAlgorithm::Sha1 => Hasher::Sha1(Default::default()),
            HashAlgorithm::Sha224 => Hasher::Sha224(Default::default()),
            HashAlgorithm::Sha256 => Hasher::Sha256(Default::default()),
            HashAlgorithm::Sha384 => Hasher::Sha384(Default::default()),
            HashAlgorithm::Sha512 => Hasher::Sha512(Default::default()),
            HashAlgorithm::Sha512_256 => Hasher::Sha512_256(Default::default()),
            HashAlgorithm::Sha3_224 => Hasher::Sha3_224(Default::default()),
            HashAlgorithm::Sha3_256 => Hasher::Sha3_256(Default::default()),
            HashAlgorithm::Sha3_384 => Hasher::Sha3_384(Default::default()),
            HashAlgorithm::Sha3_512 => Hasher::Sha3_512(Default::default()),
            HashAlgorithm::Blake2b512 => Hasher::Blake2b(Default::default()),
            HashAlgorithm::Blake2s256 => Hasher::Blake2s(Default::default()),
            HashAlgorithm::Blake3 => Hasher::Blake3(Box::default()),
        }
    }

    /// Feed bytes.
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Md5(h) => h.update(data),
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha224(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
            Hasher::Sha512_256(h) => h.update(data),
            Hasher::Sha3_224(h) => h.update(data),
            Hasher::Sha3_256(h) => h.update(data),
            Hasher::Sha3_384(h) => h.update(data),
            Hasher::Sha3_512(h) => h.update(data),
            Hasher::Blake2b(h) => h.update(data),
            Hasher::Blake2s(h) => h.update(data),
            Hasher::Blake3(h) => {
                h.update(data);
            }
        }
    }

    /// Finish and return the digest.
    pub fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Md5(h) => h.finalize().to_vec(),
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha224(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
            Hasher::Sha512_256(h) => h.finalize().to_vec(),
            Hasher::Sha3_224(h) => h.finalize().to_vec(),
            Hasher::Sha3_256(h) => h.finalize().to_vec(),
            Hasher::Sha3_384(h) => h.finalize().to_vec(),
            Hasher::Sha3_512(h) => h.finalize().to_vec(),
            Hasher::Blake2b(h) => h.finalize().to_vec(),
            Hasher::Blake2s(h) => h.finalize().to_vec(),
            Hasher::Blake3(h) => h.finalize().as_bytes().to_vec(),
        }
    }
}

/// Hash `data` in one call.
pub fn digest(alg: HashAlgorithm, data: &[u8]) -> Vec<u8> {
    let mut h = Hasher::new(alg);
    h.update(data);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hx(alg: HashAlgorithm, data: &[u8]) -> String {
        hex::encode(digest(alg, data))
    }

    #[test]
    fn known_answers_from_the_standards() {
        // FIPS 180-4 / 202 "abc" examples, RFC 1321, RFC 7693, BLAKE3 reference.
        assert_eq!(hx(HashAlgorithm::Md5, b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(hx(HashAlgorithm::Sha1, b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            hx(HashAlgorithm::Sha256, b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hx(HashAlgorithm::Sha224, b"abc"),
            "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"
        );
        assert_eq!(
            hx(HashAlgorithm::Sha512_256, b"abc"),
            "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"
        );
        assert_eq!(
            hx(HashAlgorithm::Sha3_256, b"abc"),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"
        );
        assert_eq!(
            hx(HashAlgorithm::Blake2s256, b"abc"),
            "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"
        );
        assert_eq!(
            hx(HashAlgorithm::Blake3, b""),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
        assert_eq!(
            hx(HashAlgorithm::Sha256, b"hello"),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
    }

    #[test]
    fn streaming_equals_one_shot() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        for alg in HashAlgorithm::ALL {
            let mut h = Hasher::new(alg);
            for chunk in data.chunks(777) {
                h.update(chunk);
            }
            assert_eq!(h.finish(), digest(alg, &data), "{}", alg.name());
        }
    }

    #[test]
    fn names_parse_back() {
        for alg in HashAlgorithm::ALL {
            assert_eq!(HashAlgorithm::parse(alg.name()), Some(alg));
        }
        assert_eq!(HashAlgorithm::parse("SHA512/256"), Some(HashAlgorithm::Sha512_256));
        assert_eq!(HashAlgorithm::parse("sha265"), None);
    }
}
