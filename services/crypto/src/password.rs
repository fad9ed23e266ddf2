//! Password hashing and verification: Argon2id (default), bcrypt, scrypt and PBKDF2, as PHC
//! strings (`$argon2id$…`, `$scrypt$…`, `$pbkdf2-sha256$…`) or bcrypt's `$2b$…`. Hashes made by
//! other systems verify; their cost parameters are bounded so a hostile hash cannot exhaust
//! the server.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{CryptoError, Result};

flowforge_kit::wire_enum! {
    /// A password hashing scheme.
    #[derive(Default)]
    pub enum PasswordAlgorithm {
        /// Argon2id (OWASP's first choice).
        #[default]
        Argon2id = "argon2id" | "argon2",
        /// bcrypt (`$2b$`); passwords longer than 72 bytes are refused, not truncated.
        Bcrypt = "bcrypt",
        /// scrypt.
        Scrypt = "scrypt",
        /// PBKDF2 with HMAC-SHA256.
        Pbkdf2Sha256 = "pbkdf2-sha256" | "pbkdf2",
        /// PBKDF2 with HMAC-SHA512.
        Pbkdf2Sha512 = "pbkdf2-sha512",
    }
}

/// Cost parameters; each applies to its own algorithm and has a safe default.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PasswordParams {
    /// Argon2id memory in KiB (default 19456).
    pub memory_kib: Option<u32>,
    /// Argon2id iterations (default 2).
    pub iterations: Option<u32>,
    /// Argon2id lanes (default 1).
    pub parallelism: Option<u32>,
    /// bcrypt cost, 4 to 31 (default 12).
    #[schema(minimum = 4, maximum = 31)]
    pub cost: Option<u32>,
    /// scrypt log2(N) (default 17).
    pub log_n: Option<u8>,
    /// scrypt r (default 8).
    pub r: Option<u32>,
    /// scrypt p (default 1).
    pub p: Option<u32>,
    /// PBKDF2 rounds (default 600000 for SHA-256, 210000 for SHA-512: OWASP 2023).
    pub rounds: Option<u32>,
}

/// Bounds on cost, for hashing and for verifying hashes from elsewhere.
#[derive(Debug, Clone, Copy)]
pub struct CostLimits {
    /// Most Argon2 memory in KiB.
    pub argon2_memory_kib: u32,
    /// Most Argon2 iterations.
    pub argon2_iterations: u32,
    /// Highest bcrypt cost.
    pub bcrypt_cost: u32,
    /// Highest scrypt log2(N).
    pub scrypt_log_n: u8,
    /// Most PBKDF2 rounds.
    pub pbkdf2_rounds: u32,
}

impl Default for CostLimits {
    fn default() -> Self {
        CostLimits {
            argon2_memory_kib: 262_144,
            argon2_iterations: 10,
            bcrypt_cost: 15,
            scrypt_log_n: 20,
            pbkdf2_rounds: 5_000_000,
        }
    }
}

fn over(field: &str, what: &str, max: impl std::fmt::Display) -> CryptoError {
    CryptoError::invalid(
        field,
        format!("{what} is above this server's limit of {max}"),
    )
}

/// Hash a password.
pub fn hash(
    alg: PasswordAlgorithm,
    password: &str,
    p: &PasswordParams,
    lim: &CostLimits,
) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let fail = |e: &dyn std::fmt::Display| CryptoError::invalid("params", format!("{e}"));
    match alg {
        PasswordAlgorithm::Argon2id => {
            let m = p.memory_kib.unwrap_or(19_456);
            let t = p.iterations.unwrap_or(2);
            let l = p.parallelism.unwrap_or(1);
            if m > lim.argon2_memory_kib {
                return Err(over("params.memoryKib", "memory", lim.argon2_memory_kib));
            }
            if t > lim.argon2_iterations {
                return Err(over(
                    "params.iterations",
                    "iterations",
                    lim.argon2_iterations,
                ));
            }
            let params = argon2::Params::new(m, t, l, None).map_err(|e| fail(&e))?;
            let a =
                argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
            Ok(a.hash_password(password.as_bytes(), &salt)
                .map_err(|e| fail(&e))?
                .to_string())
        }
        PasswordAlgorithm::Bcrypt => {
            let cost = p.cost.unwrap_or(12);
            if !(4..=31).contains(&cost) {
                return Err(CryptoError::invalid(
                    "params.cost",
                    "bcrypt cost must be between 4 and 31",
                ));
            }
            if cost > lim.bcrypt_cost {
                return Err(over("params.cost", "bcrypt cost", lim.bcrypt_cost));
            }
            if password.len() > 72 {
                return Err(CryptoError::invalid(
                    "password",
                    "is longer than bcrypt's 72-byte limit (it would be silently truncated); use argon2id",
                ));
            }
            bcrypt::hash(password, cost).map_err(|e| fail(&e))
        }
        PasswordAlgorithm::Scrypt => {
            let ln = p.log_n.unwrap_or(17);
            if ln > lim.scrypt_log_n {
                return Err(over("params.logN", "log2(N)", lim.scrypt_log_n));
            }
            let params = scrypt::Params::new(ln, p.r.unwrap_or(8), p.p.unwrap_or(1), 32)
                .map_err(|e| fail(&e))?;
            Ok(scrypt::Scrypt
                .hash_password_customized(password.as_bytes(), None, None, params, &salt)
                .map_err(|e| fail(&e))?
                .to_string())
        }
        PasswordAlgorithm::Pbkdf2Sha256 | PasswordAlgorithm::Pbkdf2Sha512 => {
            let (ident, default) = if alg == PasswordAlgorithm::Pbkdf2Sha256 {
                (pbkdf2::Algorithm::Pbkdf2Sha256, 600_000)
            } else {
                (pbkdf2::Algorithm::Pbkdf2Sha512, 210_000)
            };
            let rounds = p.rounds.unwrap_or(default);
            if rounds > lim.pbkdf2_rounds {
                return Err(over("params.rounds", "rounds", lim.pbkdf2_rounds));
            }
            let params = pbkdf2::Params {
                rounds,
                output_length: 32,
            };
            Ok(pbkdf2::Pbkdf2
                .hash_password_customized(
                    password.as_bytes(),
                    Some(ident.ident()),
                    None,
                    params,
                    &salt,
                )
                .map_err(|e| fail(&e))?
                .to_string())
        }
    }
}

/// The result of verification.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// Whether the password matches.
    pub valid: bool,
    /// The scheme the hash uses.
    pub algorithm: String,
}

fn bad_hash(what: &str) -> CryptoError {
    CryptoError::invalid(
        "hash",
        format!(
            "{what}; send a PHC string ($argon2id$…, $scrypt$…, $pbkdf2-sha256$…) or a bcrypt hash ($2b$…)"
        ),
    )
}

/// Verify a password against a hash made here or elsewhere (constant-time comparison inside
/// each scheme's library).
pub fn verify(password: &str, hash: &str, lim: &CostLimits) -> Result<Verdict> {
    let hash = hash.trim();
    if hash.starts_with("$2a$")
        || hash.starts_with("$2b$")
        || hash.starts_with("$2y$")
        || hash.starts_with("$2x$")
    {
        let cost: u32 = hash
            .get(4..6)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| bad_hash("is a malformed bcrypt hash"))?;
        if cost > lim.bcrypt_cost {
            return Err(over("hash", "its bcrypt cost", lim.bcrypt_cost));
        }
        let ok = bcrypt::verify(password, hash)
            .map_err(|e| bad_hash(&format!("is a malformed bcrypt hash ({e})")))?;
        return Ok(Verdict {
            valid: ok,
            algorithm: "bcrypt".into(),
        });
    }
    let parsed =
        PasswordHash::new(hash).map_err(|e| bad_hash(&format!("is not a PHC string ({e})")))?;
    let id = parsed.algorithm.as_str().to_string();
    let param = |name: &str| parsed.params.get_decimal(name);
    let ok = match id.as_str() {
        "argon2id" | "argon2i" | "argon2d" => {
            if param("m").is_some_and(|m| m > lim.argon2_memory_kib) {
                return Err(over("hash", "its Argon2 memory", lim.argon2_memory_kib));
            }
            if param("t").is_some_and(|t| t > lim.argon2_iterations) {
                return Err(over("hash", "its Argon2 iterations", lim.argon2_iterations));
            }
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        }
        "scrypt" => {
            if param("ln").is_some_and(|ln| ln > u32::from(lim.scrypt_log_n)) {
                return Err(over("hash", "its scrypt log2(N)", lim.scrypt_log_n));
            }
            scrypt::Scrypt
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        }
        "pbkdf2-sha256" | "pbkdf2-sha512" | "pbkdf2-sha1" | "pbkdf2" => {
            if param("i").is_some_and(|i| i > lim.pbkdf2_rounds) {
                return Err(over("hash", "its PBKDF2 rounds", lim.pbkdf2_rounds));
            }
            pbkdf2::Pbkdf2
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        }
        other => return Err(bad_hash(&format!("uses unsupported scheme {other:?}"))),
    };
    Ok(Verdict {
        valid: ok,
        algorithm: id,
    })
}

/// PBKDF2-HMAC-SHA256/512 raw derivation.
pub fn pbkdf2_derive(
    sha512: bool,
    password: &[u8],
    salt: &[u8],
    rounds: u32,
    len: usize,
) -> Vec<u8> {
    let mut out = vec![0u8; len];
    if sha512 {
        pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, rounds, &mut out);
    } else {
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, rounds, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> PasswordParams {
        PasswordParams {
            memory_kib: Some(64),
            iterations: Some(1),
            cost: Some(4),
            log_n: Some(4),
            rounds: Some(1000),
            ..Default::default()
        }
    }

    #[test]
    fn every_scheme_round_trips_and_rejects_a_wrong_password() {
        for &alg in PasswordAlgorithm::ALL {
            let h = hash(alg, "correct horse", &cheap(), &CostLimits::default()).unwrap();
            assert!(
                verify("correct horse", &h, &CostLimits::default())
                    .unwrap()
                    .valid,
                "{h}"
            );
            assert!(
                !verify("wrong horse", &h, &CostLimits::default())
                    .unwrap()
                    .valid,
                "{h}"
            );
        }
    }

    #[test]
    fn hashes_made_by_other_systems_verify() {
        // Made by Python's bcrypt 4, argon2-cffi 23, and hashlib (pbkdf2_hmac, scrypt) in PHC form.
        let cases = [
            "$2b$04$XN/7zIcJmXDxg9D3Ps1KpuOwxsRfaxi/PPtMHyaatkkaIXlP7qNS2",
            "$argon2id$v=19$m=1024,t=2,p=1$e9AgPu6am4Xij/Ze41ym2A$gDwRsXXxq53K2Nf9f3G+N65YyH1wkob2Em+yWutfql0",
            "$pbkdf2-sha256$i=1000,l=32$c2FsdHNhbHRzYWx0c2FsdA$8nX7hwFEzIB8aPajJTYK8weHQc5Ngz0pFVAKvSu4jQA",
            "$scrypt$ln=4,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$5f/Vi+XRWGUNGScbsma6KJ4zLFIke/NJsrvr7lQLAyA",
        ];
        for h in cases {
            assert!(
                verify("password", h, &CostLimits::default()).unwrap().valid,
                "{h}"
            );
            assert!(
                !verify("Password", h, &CostLimits::default()).unwrap().valid,
                "{h}"
            );
        }
    }

    #[test]
    fn a_hostile_cost_is_refused_before_any_work() {
        let e = verify("x", "$argon2id$v=19$m=4000000,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", &CostLimits::default()).unwrap_err();
        assert_eq!(flowforge_kit::DomainError::field(&e), "hash");
        let e = verify(
            "x",
            "$2b$31$2DqfIJ5FHGQmGNnQzLs5leHF7HsDHVCg.3P0oW0lTr3f/7Xyb.F3S",
            &CostLimits::default(),
        )
        .unwrap_err();
        assert_eq!(flowforge_kit::DomainError::field(&e), "hash");
    }
}
