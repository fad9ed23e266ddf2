//! API keys: `ff_` and 43 URL-safe characters (256 random bits), shown once and stored only as
//! their SHA-256, so a lookup is by hash and no key is ever compared byte by byte.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The prefix of every key FlowForge makes.
pub const PREFIX: &str = "ff_";

/// A new random key.
pub fn generate() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    )
}

/// The stored form of a key: lower-case hex SHA-256.
pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// The part of a key safe to show in listings and logs (`ff_AbCd…`).
pub fn display_prefix(key: &str) -> String {
    key.chars().take(PREFIX.len() + 6).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_hashed() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert!(a.starts_with("ff_") && a.len() == 46, "{a}");
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(display_prefix(&a).len(), 9);
    }
}
