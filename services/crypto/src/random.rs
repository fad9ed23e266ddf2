//! Random values from the operating system's CSPRNG: bytes, UUIDs (v4 random, v7 time-ordered),
//! passwords with a policy, URL-safe tokens.

use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};

use crate::error::{CryptoError, Result};

/// `n` random bytes.
pub fn bytes(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    OsRng.fill_bytes(&mut b);
    b
}

/// A password policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Length in characters.
    pub length: usize,
    /// Include a-z.
    pub lowercase: bool,
    /// Include A-Z.
    pub uppercase: bool,
    /// Include 0-9.
    pub digits: bool,
    /// Include symbols.
    pub symbols: bool,
    /// The symbol set.
    pub symbol_set: String,
    /// Leave out look-alikes (0 O o 1 l I | ` ' " etc.).
    pub exclude_ambiguous: bool,
}

const AMBIGUOUS: &str = "0Oo1lI|`'\"";

/// A password with at least one character of each enabled class, uniformly shuffled.
pub fn password(p: &Policy) -> Result<String> {
    let keep = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| !(p.exclude_ambiguous && AMBIGUOUS.contains(*c)))
            .collect()
    };
    let mut classes: Vec<Vec<char>> = Vec::new();
    if p.lowercase {
        classes.push(keep("abcdefghijklmnopqrstuvwxyz"));
    }
    if p.uppercase {
        classes.push(keep("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    }
    if p.digits {
        classes.push(keep("0123456789"));
    }
    if p.symbols {
        classes.push(keep(&p.symbol_set));
    }
    classes.retain(|c| !c.is_empty());
    if classes.is_empty() {
        return Err(CryptoError::invalid(
            "lowercase",
            "the policy allows no characters; enable at least one of lowercase, uppercase, digits, symbols",
        ));
    }
    if p.length < classes.len() || p.length > 1024 {
        return Err(CryptoError::invalid(
            "length",
            format!(
                "must be between {} (one of each enabled class) and 1024",
                classes.len()
            ),
        ));
    }
    let all: Vec<char> = classes.iter().flatten().copied().collect();
    let mut rng = OsRng;
    let mut out: Vec<char> = classes
        .iter()
        .map(|c| c[rng.gen_range(0..c.len())])
        .collect();
    while out.len() < p.length {
        out.push(all[rng.gen_range(0..all.len())]);
    }
    out.shuffle(&mut rng);
    Ok(out.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_follow_the_policy() {
        let p = Policy {
            length: 12,
            lowercase: true,
            uppercase: true,
            digits: true,
            symbols: false,
            symbol_set: "!@#".into(),
            exclude_ambiguous: true,
        };
        for _ in 0..200 {
            let pw = password(&p).unwrap();
            assert_eq!(pw.chars().count(), 12);
            assert!(pw.chars().any(|c| c.is_ascii_lowercase()));
            assert!(pw.chars().any(|c| c.is_ascii_uppercase()));
            assert!(pw.chars().any(|c| c.is_ascii_digit()));
            assert!(
                !pw.chars()
                    .any(|c| AMBIGUOUS.contains(c) || "!@#".contains(c)),
                "{pw}"
            );
        }
        assert!(
            password(&Policy {
                length: 2,
                ..p.clone()
            })
            .is_err()
        );
        assert!(
            password(&Policy {
                lowercase: false,
                uppercase: false,
                digits: false,
                ..p
            })
            .is_err()
        );
    }

    #[test]
    fn bytes_differ_between_calls() {
        assert_ne!(bytes(32), bytes(32));
    }
}
