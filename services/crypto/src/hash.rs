//! Message digests, one-shot or streamed: MD5 and SHA-1 (legacy, accepted), SHA-2, SHA-3,
//! BLAKE2 and BLAKE3.

use sha2::Digest;

flowforge_kit::wire_enum! {
    /// A digest algorithm.
    pub enum HashAlgorithm {
        /// MD5 (broken for security; for checksums and legacy systems).
        Md5 = "md5",
        /// SHA-1 (broken for signatures; for legacy systems).
        Sha1 = "sha1" | "sha-1",
        /// SHA-224.
        Sha224 = "sha224" | "sha-224",
        /// SHA-256.
        Sha256 = "sha256" | "sha-256",
        /// SHA-384.
        Sha384 = "sha384" | "sha-384",
        /// SHA-512.
        Sha512 = "sha512" | "sha-512",
        /// SHA-512/256.
        Sha512_256 = "sha512-256" | "sha512/256" | "sha-512/256",
        /// SHA3-224.
        Sha3_224 = "sha3-224",
        /// SHA3-256.
        Sha3_256 = "sha3-256",
        /// SHA3-384.
        Sha3_384 = "sha3-384",
        /// SHA3-512.
        Sha3_512 = "sha3-512",
        /// BLAKE2b with a 512-bit output.
        Blake2b512 = "blake2b-512" | "blake2b512" | "blake2b",
        /// BLAKE2s with a 256-bit output.
        Blake2s256 = "blake2s-256" | "blake2s256" | "blake2s",
        /// BLAKE3 (256-bit output).
        Blake3 = "blake3",
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
        assert_eq!(
            hx(HashAlgorithm::Md5, b"abc"),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert_eq!(
            hx(HashAlgorithm::Sha1, b"abc"),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
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
        for &alg in HashAlgorithm::ALL {
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
            assert_eq!(alg.name().parse::<HashAlgorithm>(), Ok(*alg));
        }
        assert_eq!("SHA512/256".parse(), Ok(HashAlgorithm::Sha512_256));
        assert!("sha265".parse::<HashAlgorithm>().is_err());
    }
}
