//! Keys (PEM and JWK: Ed25519, X25519, ECDSA P-256/P-384, RSA), signatures, MACs and JSON Web
//! Tokens, with the crypto service's error type. The crypto service builds its operations on
//! it, and the gateway verifies bearer JWTs with it, so the gateway does not depend on the
//! crypto service (`--features math` builds no cipher, password or TOTP code).

pub mod encoding;
pub mod error;
pub mod jwt;
pub mod keys;
pub mod mac;
pub mod sign;

pub use flowforge_kit::time;
