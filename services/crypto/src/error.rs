//! The crypto service's one error type, [`CryptoError`]: declared in `flowforge-jose` (keys,
//! signatures and JWTs, which the gateway shares) so that every crypto module returns the same
//! type; it names no HTTP status.

pub use flowforge_jose::error::{CryptoError, Result};
