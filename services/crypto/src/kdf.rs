//! Key derivation: HKDF (RFC 5869) and PBKDF2.

use hkdf::Hkdf;

use crate::error::{CryptoError, Result};
use crate::sign::SigHash;

/// HKDF extract-and-expand to `len` bytes.
pub fn hkdf(
    hash: SigHash,
    ikm: &[u8],
    salt: Option<&[u8]>,
    info: &[u8],
    len: usize,
) -> Result<Vec<u8>> {
    let mut out = vec![0u8; len];
    let too_long = |max: usize| {
        CryptoError::invalid(
            "length",
            format!("must be between 1 and {max} bytes (255 × the hash length)"),
        )
    };
    if len == 0 {
        return Err(too_long(255 * 32));
    }
    match hash {
        SigHash::Sha256 => Hkdf::<sha2::Sha256>::new(salt, ikm)
            .expand(info, &mut out)
            .map_err(|_| too_long(255 * 32))?,
        SigHash::Sha384 => Hkdf::<sha2::Sha384>::new(salt, ikm)
            .expand(info, &mut out)
            .map_err(|_| too_long(255 * 48))?,
        SigHash::Sha512 => Hkdf::<sha2::Sha512>::new(salt, ikm)
            .expand(info, &mut out)
            .map_err(|_| too_long(255 * 64))?,
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5869 test case 1.
    #[test]
    fn rfc5869_case_1() {
        let okm = hkdf(
            SigHash::Sha256,
            &[0x0b; 22],
            Some(&hex::decode("000102030405060708090a0b0c").unwrap()),
            &hex::decode("f0f1f2f3f4f5f6f7f8f9").unwrap(),
            42,
        )
        .unwrap();
        assert_eq!(
            hex::encode(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        );
        assert!(hkdf(SigHash::Sha256, b"k", None, b"", 255 * 32 + 1).is_err());
    }
}
