//! Verifying incoming webhook signatures the way each provider signs them: Stripe
//! (`Stripe-Signature: t=…,v1=…`), GitHub (`X-Hub-Signature-256: sha256=…`), Shopify
//! (`X-Shopify-Hmac-Sha256`, base64), Slack (`X-Slack-Signature: v0=…` with
//! `X-Slack-Request-Timestamp`), and a generic HMAC scheme. Comparisons are constant-time, and
//! timestamped schemes reject replays outside a tolerance.

use crate::encoding::{b64, hex_decode};
use crate::error::{CryptoError, Result};
use crate::mac::{self, MacAlgorithm, ct_eq};

flowforge_kit::wire_enum! {
    /// Who signed the webhook.
    pub enum Provider {
        /// Stripe.
        Stripe = "stripe",
        /// GitHub.
        Github = "github",
        /// Shopify.
        Shopify = "shopify",
        /// Slack.
        Slack = "slack",
        /// Any HMAC scheme: algorithm, encoding, prefix and signed-content template given.
        Generic = "generic" | "hmac",
    }
}

impl Provider {
    /// The header carrying the signature.
    pub fn signature_header(self) -> &'static str {
        match self {
            Provider::Stripe => "stripe-signature",
            Provider::Github => "x-hub-signature-256",
            Provider::Shopify => "x-shopify-hmac-sha256",
            Provider::Slack => "x-slack-signature",
            Provider::Generic => "x-signature",
        }
    }

    /// The header carrying the timestamp, where the scheme has one outside the signature.
    pub fn timestamp_header(self) -> Option<&'static str> {
        match self {
            Provider::Slack => Some("x-slack-request-timestamp"),
            Provider::Generic => Some("x-timestamp"),
            _ => None,
        }
    }
}

flowforge_kit::wire_enum! {
    /// Signature text encoding for the generic scheme.
    #[derive(Default)]
    pub enum SigEncoding {
        /// Hexadecimal.
        #[default]
        Hex = "hex",
        /// Base64.
        Base64 = "base64",
    }
}

/// Options of the generic scheme.
#[derive(Debug, Clone)]
pub struct Generic {
    /// The HMAC.
    pub algorithm: MacAlgorithm,
    /// Signature encoding.
    pub encoding: SigEncoding,
    /// A prefix before the signature (`sha256=`).
    pub prefix: String,
    /// What is signed: `{payload}` and `{timestamp}` are replaced (default `{payload}`).
    pub template: String,
}

/// The inputs of a check.
#[derive(Debug, Clone)]
pub struct Check<'a> {
    /// The provider.
    pub provider: Provider,
    /// The signing secret (as the provider shows it: Stripe's `whsec_…` is used whole).
    pub secret: &'a [u8],
    /// The raw request body, byte for byte.
    pub payload: &'a [u8],
    /// The signature header's value.
    pub signature: &'a str,
    /// The timestamp header's value, for Slack and the generic scheme.
    pub timestamp: Option<&'a str>,
    /// Largest accepted age (and future skew) of the timestamp, in seconds.
    pub tolerance: i64,
    /// Current Unix time.
    pub now: i64,
    /// Generic options.
    pub generic: Option<Generic>,
}

/// The outcome: valid or the reason it is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Whether the signature is good (and fresh).
    pub valid: bool,
    /// Why not, when not.
    pub reason: Option<String>,
    /// The signed timestamp, when the scheme has one.
    pub timestamp: Option<i64>,
}

fn no(reason: impl Into<String>, ts: Option<i64>) -> Outcome {
    Outcome {
        valid: false,
        reason: Some(reason.into()),
        timestamp: ts,
    }
}

/// The verdict of a scheme that signs only the body (no timestamp).
fn body_only(ok: bool) -> Outcome {
    if ok {
        Outcome {
            valid: true,
            reason: None,
            timestamp: None,
        }
    } else {
        no(
            "signature mismatch: wrong secret, or the body was changed",
            None,
        )
    }
}

fn fresh(ts: i64, c: &Check) -> Option<Outcome> {
    if (c.now - ts).abs() > c.tolerance {
        Some(no(
            format!(
                "timestamp {ts} is {}s away from now, outside the tolerance of {}s (a replay, or a clock problem)",
                (c.now - ts).abs(),
                c.tolerance
            ),
            Some(ts),
        ))
    } else {
        None
    }
}

fn parse_ts(s: &str) -> Result<i64> {
    s.trim()
        .parse()
        .map_err(|_| CryptoError::invalid("timestamp", "must be Unix seconds"))
}

fn hmac256(secret: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    mac::sign(MacAlgorithm::Sha256, secret, data, "secret")
}

/// Check a webhook signature.
pub fn verify(c: &Check) -> Result<Outcome> {
    let sig = c.signature.trim();
    if sig.is_empty() {
        return Err(CryptoError::invalid(
            "signature",
            format!(
                "is empty; pass the {} header's value",
                c.provider.signature_header()
            ),
        ));
    }
    match c.provider {
        Provider::Stripe => {
            let mut ts = None;
            let mut v1 = Vec::new();
            for part in sig.split(',') {
                match part.trim().split_once('=') {
                    Some(("t", v)) => ts = Some(parse_ts(v)?),
                    Some(("v1", v)) => v1.push(v.to_string()),
                    _ => {}
                }
            }
            let Some(ts) = ts else {
                return Err(CryptoError::invalid(
                    "signature",
                    "has no t= timestamp; pass the whole Stripe-Signature header",
                ));
            };
            if v1.is_empty() {
                return Ok(no("no v1 signature in the header", Some(ts)));
            }
            let mut signed = format!("{ts}.").into_bytes();
            signed.extend_from_slice(c.payload);
            let want = hex::encode(hmac256(c.secret, &signed)?);
            let matched = v1
                .iter()
                .fold(false, |acc, s| acc | ct_eq(want.as_bytes(), s.as_bytes()));
            if !matched {
                return Ok(no(
                    "signature mismatch: wrong secret, or the body was changed (verify the raw body, not re-serialised JSON)",
                    Some(ts),
                ));
            }
            Ok(fresh(ts, c).unwrap_or(Outcome {
                valid: true,
                reason: None,
                timestamp: Some(ts),
            }))
        }
        Provider::Github => {
            let (alg, hexsig) = if let Some(h) = sig.strip_prefix("sha256=") {
                (MacAlgorithm::Sha256, h)
            } else if let Some(h) = sig.strip_prefix("sha1=") {
                (MacAlgorithm::Sha1, h)
            } else {
                return Err(CryptoError::invalid(
                    "signature",
                    "must start with sha256= (X-Hub-Signature-256) or sha1= (X-Hub-Signature)",
                ));
            };
            let given = hex_decode("signature", hexsig)?;
            let ok = mac::verify(alg, c.secret, c.payload, &given, "secret")?;
            Ok(body_only(ok))
        }
        Provider::Shopify => {
            let given = b64("signature", sig)?;
            let ok = mac::verify(MacAlgorithm::Sha256, c.secret, c.payload, &given, "secret")?;
            Ok(body_only(ok))
        }
        Provider::Slack => {
            let ts = parse_ts(c.timestamp.ok_or_else(|| {
                CryptoError::invalid(
                    "timestamp",
                    "is required for Slack: the X-Slack-Request-Timestamp header",
                )
            })?)?;
            let hexsig = sig
                .strip_prefix("v0=")
                .ok_or_else(|| CryptoError::invalid("signature", "must start with v0="))?;
            let mut base = format!("v0:{ts}:").into_bytes();
            base.extend_from_slice(c.payload);
            let want = hex::encode(hmac256(c.secret, &base)?);
            if !ct_eq(want.as_bytes(), hexsig.as_bytes()) {
                return Ok(no(
                    "signature mismatch: wrong signing secret, or the body was changed",
                    Some(ts),
                ));
            }
            Ok(fresh(ts, c).unwrap_or(Outcome {
                valid: true,
                reason: None,
                timestamp: Some(ts),
            }))
        }
        Provider::Generic => {
            let g = c.generic.clone().unwrap_or(Generic {
                algorithm: MacAlgorithm::Sha256,
                encoding: SigEncoding::Hex,
                prefix: String::new(),
                template: "{payload}".into(),
            });
            let body = sig.strip_prefix(g.prefix.as_str()).ok_or_else(|| {
                CryptoError::invalid(
                    "signature",
                    format!("does not start with the prefix {:?}", g.prefix),
                )
            })?;
            let given = match g.encoding {
                SigEncoding::Hex => hex_decode("signature", body)?,
                SigEncoding::Base64 => b64("signature", body)?,
            };
            let ts = match (c.timestamp, g.template.contains("{timestamp}")) {
                (Some(t), _) => Some(parse_ts(t)?),
                (None, true) => {
                    return Err(CryptoError::invalid(
                        "timestamp",
                        "is required: the template signs {timestamp}",
                    ));
                }
                (None, false) => None,
            };
            let (before, after) = g
                .template
                .split_once("{payload}")
                .ok_or_else(|| CryptoError::invalid("template", "must contain {payload}"))?;
            let fill = |s: &str| {
                s.replace(
                    "{timestamp}",
                    &ts.map(|t| t.to_string()).unwrap_or_default(),
                )
            };
            let mut signed = fill(before).into_bytes();
            signed.extend_from_slice(c.payload);
            signed.extend_from_slice(fill(after).as_bytes());
            if !mac::verify(g.algorithm, c.secret, &signed, &given, "secret")? {
                return Ok(no(
                    "signature mismatch: wrong secret, scheme, or the body was changed",
                    ts,
                ));
            }
            if let Some(o) = ts.and_then(|t| fresh(t, c)) {
                return Ok(o);
            }
            Ok(Outcome {
                valid: true,
                reason: None,
                timestamp: ts,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<'a>(
        p: Provider,
        secret: &'a str,
        payload: &'a str,
        sig: &'a str,
        ts: Option<&'a str>,
        now: i64,
    ) -> Check<'a> {
        Check {
            provider: p,
            secret: secret.as_bytes(),
            payload: payload.as_bytes(),
            signature: sig,
            timestamp: ts,
            tolerance: 300,
            now,
            generic: None,
        }
    }

    #[test]
    fn githubs_documented_example_verifies() {
        let c = check(
            Provider::Github,
            "It's a Secret to Everybody",
            "Hello, World!",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            None,
            0,
        );
        assert!(verify(&c).unwrap().valid);
        let c = check(
            Provider::Github,
            "It's a secret to everybody",
            "Hello, World!",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            None,
            0,
        );
        assert!(!verify(&c).unwrap().valid);
    }

    #[test]
    fn slacks_documented_example_verifies_and_replays_are_refused() {
        let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        let sig = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
        let c = check(
            Provider::Slack,
            "8f742231b10e8888abcd99yyyzzz85a5",
            body,
            sig,
            Some("1531420618"),
            1_531_420_700,
        );
        assert_eq!(
            verify(&c).unwrap(),
            Outcome {
                valid: true,
                reason: None,
                timestamp: Some(1_531_420_618)
            }
        );
        let c = check(
            Provider::Slack,
            "8f742231b10e8888abcd99yyyzzz85a5",
            body,
            sig,
            Some("1531420618"),
            1_531_430_000,
        );
        let o = verify(&c).unwrap();
        assert!(!o.valid && o.reason.unwrap().contains("tolerance"));
    }

    #[test]
    fn stripe_headers_with_several_signatures_verify() {
        let payload = r#"{"id":"evt_1","object":"event"}"#;
        let secret = "whsec_test_secret";
        let sig = hex::encode(
            hmac256(
                secret.as_bytes(),
                format!("1700000000.{payload}").as_bytes(),
            )
            .unwrap(),
        );
        let header = format!("t=1700000000,v1=deadbeef,v1={sig},v0=abc");
        let c = check(
            Provider::Stripe,
            secret,
            payload,
            &header,
            None,
            1_700_000_100,
        );
        assert!(verify(&c).unwrap().valid);
        let c = check(Provider::Stripe, secret, "{}", &header, None, 1_700_000_100);
        assert!(!verify(&c).unwrap().valid);
    }

    #[test]
    fn shopify_and_generic_schemes_verify() {
        use base64::Engine;
        let mac = hmac256(b"shpss", b"{\"a\":1}").unwrap();
        let sig = base64::engine::general_purpose::STANDARD.encode(&mac);
        assert!(
            verify(&check(
                Provider::Shopify,
                "shpss",
                "{\"a\":1}",
                &sig,
                None,
                0
            ))
            .unwrap()
            .valid
        );
        let mut c = check(Provider::Generic, "k", "body", "", Some("100"), 100);
        let signed = mac::sign(MacAlgorithm::Sha512, b"k", b"100.body", "k").unwrap();
        let s = format!("sig={}", hex::encode(signed));
        c.signature = &s;
        c.generic = Some(Generic {
            algorithm: MacAlgorithm::Sha512,
            encoding: SigEncoding::Hex,
            prefix: "sig=".into(),
            template: "{timestamp}.{payload}".into(),
        });
        assert!(verify(&c).unwrap().valid);
    }
}
