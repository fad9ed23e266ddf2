//! Text encodings for binary values: how input bytes arrive inside JSON and how output bytes
//! leave.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

use crate::error::{CryptoError, Result};

flowforge_kit::wire_enum! {
    /// How a binary input is written inside JSON.
    #[derive(Default)]
    pub enum InputEncoding {
        /// The string's UTF-8 bytes (the default).
        #[default]
        Utf8 = "utf8" | "utf-8" | "text",
        /// Standard or URL-safe base64, padded or not.
        Base64 = "base64",
        /// URL-safe base64, padded or not.
        Base64url = "base64url",
        /// Hexadecimal, upper or lower case.
        Hex = "hex",
    }
}

flowforge_kit::wire_enum! {
    /// How a binary output is written.
    #[derive(Default)]
    pub enum OutputEncoding {
        /// Lower-case hexadecimal (the default).
        #[default]
        Hex = "hex",
        /// Standard base64 with padding.
        Base64 = "base64",
        /// URL-safe base64 without padding.
        Base64url = "base64url",
    }
}

/// Decode `s` from `enc`; errors name `field`.
pub fn decode(field: &str, s: &str, enc: InputEncoding) -> Result<Vec<u8>> {
    match enc {
        InputEncoding::Utf8 => Ok(s.as_bytes().to_vec()),
        InputEncoding::Base64 | InputEncoding::Base64url => b64(field, s),
        InputEncoding::Hex => hex_decode(field, s),
    }
}

/// Decode base64 in any common alphabet, with or without padding; whitespace is ignored.
pub fn b64(field: &str, s: &str) -> Result<Vec<u8>> {
    let cleaned: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let url = cleaned.contains(['-', '_']);
    let padded = cleaned.ends_with('=');
    let engine = match (url, padded) {
        (false, true) => &STANDARD,
        (false, false) => &STANDARD_NO_PAD,
        (true, true) => &URL_SAFE,
        (true, false) => &URL_SAFE_NO_PAD,
    };
    engine.decode(cleaned.as_bytes()).map_err(|e| {
        CryptoError::invalid(
            field,
            format!("is not valid base64 ({e}); send standard or URL-safe base64"),
        )
    })
}

/// Decode hexadecimal (an optional `0x` prefix and whitespace or colons are ignored).
pub fn hex_decode(field: &str, s: &str) -> Result<Vec<u8>> {
    let s = s.trim();
    let s = s.strip_prefix("0x").unwrap_or(s);
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && *c != ':')
        .collect();
    hex::decode(&cleaned).map_err(|e| {
        CryptoError::invalid(
            field,
            format!("is not valid hex ({e}); send an even number of hex digits 0-9a-f"),
        )
    })
}

/// Encode bytes.
pub fn encode(bytes: &[u8], enc: OutputEncoding) -> String {
    match enc {
        OutputEncoding::Hex => hex::encode(bytes),
        OutputEncoding::Base64 => STANDARD.encode(bytes),
        OutputEncoding::Base64url => URL_SAFE_NO_PAD.encode(bytes),
    }
}

/// Standard base64 with padding.
pub fn to_b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// URL-safe base64 without padding.
pub fn to_b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A key or secret given as text: `encoding` says how (`utf8` for a plain string secret).
pub fn key_bytes(field: &str, s: &str, enc: InputEncoding) -> Result<Vec<u8>> {
    let bytes = decode(field, s, enc)?;
    if bytes.is_empty() {
        return Err(CryptoError::invalid(field, "must not be empty"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_base64_flavour_decodes() {
        for s in ["aGk/Pz8+", "aGk_Pz8-", "aGk/Pz8+", "aGk", "aGk="] {
            assert!(b64("x", s).is_ok(), "{s}");
        }
        assert_eq!(b64("x", "aGk=").unwrap(), b"hi");
        let e = b64("key", "not base64!").unwrap_err();
        assert_eq!(flowforge_kit::DomainError::field(&e), "key");
    }

    #[test]
    fn hex_accepts_prefixes_and_separators() {
        assert_eq!(hex_decode("x", "0xDEAD").unwrap(), vec![0xde, 0xad]);
        assert_eq!(hex_decode("x", "de:ad").unwrap(), vec![0xde, 0xad]);
        assert!(hex_decode("x", "abc").is_err());
    }

    proptest! {
        #[test]
        fn encodings_round_trip(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(decode("d", &encode(&data, OutputEncoding::Hex), InputEncoding::Hex).unwrap(), data.clone());
            prop_assert_eq!(decode("d", &encode(&data, OutputEncoding::Base64), InputEncoding::Base64).unwrap(), data.clone());
            prop_assert_eq!(decode("d", &encode(&data, OutputEncoding::Base64url), InputEncoding::Base64).unwrap(), data);
        }
    }
}
