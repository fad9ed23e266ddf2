//! Time-based one-time passwords (RFC 6238, on HOTP RFC 4226): new secrets with their
//! `otpauth://` URI for authenticator apps, current codes, and verification within a window.

use rand::RngCore;

use crate::error::{CryptoError, Result};
use crate::mac::{self, MacAlgorithm, ct_eq};

flowforge_kit::wire_enum! {
    /// The HMAC behind the codes (authenticator apps mostly support only SHA1).
    #[derive(Default)]
    pub enum OtpAlgorithm {
        /// HMAC-SHA1 (the default; what Google Authenticator expects).
        #[default]
        Sha1 = "sha1" | "SHA1",
        /// HMAC-SHA256.
        Sha256 = "sha256" | "SHA256",
        /// HMAC-SHA512.
        Sha512 = "sha512" | "SHA512",
    }
}

impl OtpAlgorithm {
    fn mac(self) -> MacAlgorithm {
        match self {
            OtpAlgorithm::Sha1 => MacAlgorithm::Sha1,
            OtpAlgorithm::Sha256 => MacAlgorithm::Sha256,
            OtpAlgorithm::Sha512 => MacAlgorithm::Sha512,
        }
    }
}

/// Code parameters.
#[derive(Debug, Clone, Copy)]
pub struct OtpParams {
    /// The HMAC.
    pub algorithm: OtpAlgorithm,
    /// Digits per code, 6 to 10.
    pub digits: u32,
    /// Seconds per step.
    pub period: u64,
}

impl OtpParams {
    /// Check ranges.
    pub fn check(&self) -> Result<()> {
        if !(6..=10).contains(&self.digits) {
            return Err(CryptoError::invalid("digits", "must be between 6 and 10"));
        }
        if !(1..=3600).contains(&self.period) {
            return Err(CryptoError::invalid(
                "period",
                "must be between 1 and 3600 seconds",
            ));
        }
        Ok(())
    }
}

/// Decode a base32 secret (case, spaces, dashes and padding tolerated).
pub fn decode_secret(s: &str) -> Result<Vec<u8>> {
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = data_encoding::BASE32_NOPAD
        .decode(cleaned.as_bytes())
        .map_err(|_| {
            CryptoError::invalid("secret", "is not valid base32 (letters A-Z and digits 2-7)")
        })?;
    if bytes.len() < 10 {
        return Err(CryptoError::invalid(
            "secret",
            "is shorter than 80 bits; RFC 4226 requires at least 128 (160 recommended)",
        ));
    }
    Ok(bytes)
}

/// A new random secret of `len` bytes, base32 without padding.
pub fn new_secret(len: usize) -> Result<String> {
    if !(16..=64).contains(&len) {
        return Err(CryptoError::invalid(
            "secretLength",
            "must be between 16 and 64 bytes",
        ));
    }
    let mut b = vec![0u8; len];
    rand::rngs::OsRng.fill_bytes(&mut b);
    Ok(data_encoding::BASE32_NOPAD.encode(&b))
}

/// The `otpauth://totp/…` URI an authenticator app scans.
pub fn uri(secret: &str, account: &str, issuer: Option<&str>, p: &OtpParams) -> String {
    let label = match issuer {
        Some(i) => format!(
            "{}:{}",
            flowforge_kit::http::percent_encode(i),
            flowforge_kit::http::percent_encode(account)
        ),
        None => flowforge_kit::http::percent_encode(account),
    };
    let mut u = format!(
        "otpauth://totp/{label}?secret={secret}&algorithm={}&digits={}&period={}",
        p.algorithm.name().to_ascii_uppercase(),
        p.digits,
        p.period
    );
    if let Some(i) = issuer {
        u.push_str(&format!(
            "&issuer={}",
            flowforge_kit::http::percent_encode(i)
        ));
    }
    u
}

/// The HOTP value for a counter (RFC 4226 dynamic truncation).
pub fn hotp(key: &[u8], counter: u64, p: &OtpParams) -> Result<String> {
    let h = mac::sign(p.algorithm.mac(), key, &counter.to_be_bytes(), "secret")?;
    let off = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    let code = u64::from(bin) % 10u64.pow(p.digits);
    Ok(format!("{code:0width$}", width = p.digits as usize))
}

/// The TOTP code at Unix time `t`, and the seconds it stays valid.
pub fn totp(key: &[u8], t: u64, p: &OtpParams) -> Result<(String, u64)> {
    let code = hotp(key, t / p.period, p)?;
    Ok((code, p.period - t % p.period))
}

/// Check `code` at time `t` within ±`window` steps; returns the matching step offset.
/// Every step in the window is computed and compared in constant time.
pub fn verify(key: &[u8], code: &str, t: u64, window: u32, p: &OtpParams) -> Result<Option<i64>> {
    let code = code.trim().replace(' ', "");
    if code.len() != p.digits as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let step = (t / p.period) as i64;
    let mut found = None;
    for d in -(window as i64)..=(window as i64) {
        let c = step + d;
        if c < 0 {
            continue;
        }
        let want = hotp(key, c as u64, p)?;
        if ct_eq(want.as_bytes(), code.as_bytes()) && found.is_none() {
            found = Some(d);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, every row.
    #[test]
    fn rfc6238_vectors() {
        let rows: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ];
        let k1 = b"12345678901234567890".to_vec();
        let k256 = b"12345678901234567890123456789012".to_vec();
        let k512 = b"1234567890123456789012345678901234567890123456789012345678901234".to_vec();
        for (t, s1, s256, s512) in rows {
            for (alg, key, want) in [
                (OtpAlgorithm::Sha1, &k1, s1),
                (OtpAlgorithm::Sha256, &k256, s256),
                (OtpAlgorithm::Sha512, &k512, s512),
            ] {
                let p = OtpParams {
                    algorithm: alg,
                    digits: 8,
                    period: 30,
                };
                assert_eq!(totp(key, t, &p).unwrap().0, want, "t={t} {}", alg.name());
                assert_eq!(verify(key, want, t, 0, &p).unwrap(), Some(0));
                assert_eq!(verify(key, want, t + 30, 1, &p).unwrap(), Some(-1));
                assert_eq!(verify(key, want, t + 60, 1, &p).unwrap(), None);
            }
        }
    }

    #[test]
    fn secrets_round_trip_through_base32_and_the_uri() {
        let s = new_secret(20).unwrap();
        assert_eq!(decode_secret(&s.to_lowercase()).unwrap().len(), 20);
        let p = OtpParams {
            algorithm: OtpAlgorithm::Sha1,
            digits: 6,
            period: 30,
        };
        let u = uri(&s, "ada@example.com", Some("Flow Forge"), &p);
        assert!(
            u.starts_with("otpauth://totp/Flow%20Forge:ada%40example.com?secret="),
            "{u}"
        );
        assert!(decode_secret("not base32!").is_err());
    }
}
