//! Project Wycheproof vectors (../shared/testdata/wycheproof) for every algorithm the service
//! offers: valid cases must be accepted with the right output, invalid ones rejected;
//! "acceptable" cases may go either way. Parameters the service does not offer (AES-GCM IVs other
//! than 96 or 128 bits) are counted and reported, never silently passed.

use std::path::PathBuf;

use flowforge_crypto::cipher::{self, CipherAlgorithm};
use flowforge_crypto::keys::{self, PrivateKey, PublicKey};
use flowforge_crypto::mac::{self, MacAlgorithm};
use flowforge_crypto::sign::{self, EcdsaFormat, RsaScheme, SigHash, SignOptions};
use flowforge_crypto::{kdf, legacy, password};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/testdata/wycheproof")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; the outside test suites live in ../shared/testdata beside the repository",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("json")
}

fn h(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap_or("")).expect("hex")
}

#[derive(Default, Debug)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable: usize,
    not_offered: usize,
    failures: Vec<String>,
}

impl Tally {
    /// Record a case: `accepted` is whether our code accepted it and produced the right output.
    fn case(&mut self, file: &str, t: &Value, accepted: bool) {
        let id = &t["tcId"];
        match t["result"].as_str() {
            Some("valid") => {
                self.valid += 1;
                if !accepted {
                    self.failures.push(format!(
                        "{file} #{id} valid but rejected ({})",
                        t["comment"]
                    ));
                }
            }
            Some("invalid") => {
                self.invalid += 1;
                if accepted {
                    self.failures.push(format!(
                        "{file} #{id} invalid but accepted ({})",
                        t["comment"]
                    ));
                }
            }
            _ => self.acceptable += 1,
        }
    }

    fn finish(self, file: &str) {
        println!(
            "{file}: {} valid, {} invalid, {} acceptable checked; {} with parameters not offered",
            self.valid, self.invalid, self.acceptable, self.not_offered
        );
        assert!(self.valid + self.invalid > 0, "{file}: no case ran");
        assert!(
            self.failures.is_empty(),
            "{file}:\n{}",
            self.failures.join("\n")
        );
    }
}

fn groups(d: &Value) -> impl Iterator<Item = (&Value, &Value)> {
    d["testGroups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| {
            g["tests"]
                .as_array()
                .expect("tests")
                .iter()
                .map(move |t| (g, t))
        })
}

#[test]
fn aes_gcm() {
    let file = "aes_gcm_test.json";
    let d = load(file);
    let mut tally = Tally::default();
    for (g, t) in groups(&d) {
        let iv = h(&t["iv"]);
        if iv.len() != 12 && iv.len() != 16 {
            tally.not_offered += 1;
            continue;
        }
        let mut body = h(&t["ct"]);
        body.extend(h(&t["tag"]));
        let key = h(&t["key"]);
        let got = legacy::gcm_decrypt(&key, &iv, &body, &h(&t["aad"]), "data");
        let ok = got.as_ref().is_ok_and(|pt| *pt == h(&t["msg"]));
        tally.case(file, t, ok);
        // The AES-256-GCM of /encrypt and /decrypt is the same cipher through another path.
        if g["keySize"] == 256 && iv.len() == 12 {
            let k: [u8; 32] = key.clone().try_into().unwrap();
            let got = cipher::open_with(
                CipherAlgorithm::Aes256Gcm,
                &k,
                &iv,
                &body,
                &h(&t["aad"]),
                "token",
            );
            assert_eq!(
                got.is_ok_and(|pt| pt == h(&t["msg"])),
                ok,
                "{file} #{} via /decrypt",
                t["tcId"]
            );
        }
    }
    tally.finish(file);
}

fn aead(file: &str, alg: CipherAlgorithm) {
    let d = load(file);
    let mut tally = Tally::default();
    for (_, t) in groups(&d) {
        let key = h(&t["key"]);
        let Ok(k) = <[u8; 32]>::try_from(key) else {
            tally.case(file, t, false);
            continue;
        };
        let mut body = h(&t["ct"]);
        body.extend(h(&t["tag"]));
        let got = cipher::open_with(alg, &k, &h(&t["iv"]), &body, &h(&t["aad"]), "token");
        tally.case(file, t, got.is_ok_and(|pt| pt == h(&t["msg"])));
    }
    tally.finish(file);
}

#[test]
fn chacha20_poly1305() {
    aead(
        "chacha20_poly1305_test.json",
        CipherAlgorithm::ChaCha20Poly1305,
    );
}

#[test]
fn xchacha20_poly1305() {
    aead(
        "xchacha20_poly1305_test.json",
        CipherAlgorithm::XChaCha20Poly1305,
    );
}

#[test]
fn aes_cbc_pkcs5() {
    let file = "aes_cbc_pkcs5_test.json";
    let d = load(file);
    let mut tally = Tally::default();
    for (_, t) in groups(&d) {
        let got = legacy::cbc_decrypt(&h(&t["key"]), &h(&t["iv"]), &h(&t["ct"]), "data");
        tally.case(file, t, got.is_ok_and(|pt| pt == h(&t["msg"])));
    }
    tally.finish(file);
}

fn hmac(file: &str, alg: MacAlgorithm) {
    let d = load(file);
    let mut tally = Tally::default();
    for (g, t) in groups(&d) {
        let tag_len = g["tagSize"].as_u64().unwrap() as usize / 8;
        let full = mac::sign(alg, &h(&t["key"]), &h(&t["msg"]), "key").unwrap();
        tally.case(file, t, mac::ct_eq(&full[..tag_len], &h(&t["tag"])));
        if tag_len == full.len() {
            let v = mac::verify(alg, &h(&t["key"]), &h(&t["msg"]), &h(&t["tag"]), "key").unwrap();
            assert_eq!(
                v,
                t["result"] == "valid",
                "{file} #{} via /hmac/verify",
                t["tcId"]
            );
        }
    }
    tally.finish(file);
}

#[test]
fn hmac_sha256() {
    hmac("hmac_sha256_test.json", MacAlgorithm::Sha256);
}

#[test]
fn hmac_sha512() {
    hmac("hmac_sha512_test.json", MacAlgorithm::Sha512);
}

#[test]
fn hkdf_sha256() {
    let file = "hkdf_sha256_test.json";
    let d = load(file);
    let mut tally = Tally::default();
    for (_, t) in groups(&d) {
        let size = t["size"].as_u64().unwrap() as usize;
        let salt = h(&t["salt"]);
        let got = kdf::hkdf(
            SigHash::Sha256,
            &h(&t["ikm"]),
            Some(&salt),
            &h(&t["info"]),
            size,
        );
        tally.case(file, t, got.is_ok_and(|okm| okm == h(&t["okm"])));
    }
    tally.finish(file);
}

#[test]
fn pbkdf2_hmacsha256() {
    let file = "pbkdf2_hmacsha256_test.json";
    let d = load(file);
    let mut tally = Tally::default();
    for (_, t) in groups(&d) {
        let iters = t["iterationCount"].as_u64().unwrap() as u32;
        let len = t["dkLen"].as_u64().unwrap() as usize;
        let dk = password::pbkdf2_derive(false, &h(&t["password"]), &h(&t["salt"]), iters, len);
        tally.case(file, t, dk == h(&t["dk"]));
    }
    tally.finish(file);
}

fn signatures(file: &str, o: SignOptions) {
    let d = load(file);
    let mut tally = Tally::default();
    for g in d["testGroups"].as_array().unwrap() {
        let pem = g["publicKeyPem"].as_str().expect("publicKeyPem");
        let key: PublicKey =
            keys::parse_public("publicKey", &Value::String(pem.into())).expect("key parses");
        // The JWK form, where given, must be the same key.
        if let Some(jwk) = g.get("publicKeyJwk").or_else(|| g.get("keyJwk")) {
            let k2 = keys::parse_public("publicKey", jwk).expect("jwk parses");
            assert_eq!(k2.to_pem().unwrap(), key.to_pem().unwrap());
        }
        for t in g["tests"].as_array().unwrap() {
            let ok = sign::verify(&key, &h(&t["msg"]), &h(&t["sig"]), &o).unwrap();
            tally.case(file, t, ok);
        }
    }
    tally.finish(file);
}

#[test]
fn ed25519() {
    signatures("ed25519_test.json", SignOptions::default());
}

#[test]
fn ecdsa_p256_sha256_der() {
    signatures(
        "ecdsa_secp256r1_sha256_test.json",
        SignOptions {
            hash: Some(SigHash::Sha256),
            format: EcdsaFormat::Der,
            ..Default::default()
        },
    );
}

#[test]
fn ecdsa_p256_sha256_p1363() {
    signatures(
        "ecdsa_secp256r1_sha256_p1363_test.json",
        SignOptions {
            hash: Some(SigHash::Sha256),
            format: EcdsaFormat::Raw,
            ..Default::default()
        },
    );
}

#[test]
fn rsa_pkcs1_2048_sha256() {
    signatures(
        "rsa_signature_2048_sha256_test.json",
        SignOptions {
            hash: Some(SigHash::Sha256),
            scheme: RsaScheme::Pkcs1v15,
            ..Default::default()
        },
    );
}

#[test]
fn rsa_pss_2048_sha256_mgf1_32() {
    signatures(
        "rsa_pss_2048_sha256_mgf1_32_test.json",
        SignOptions {
            hash: Some(SigHash::Sha256),
            scheme: RsaScheme::Pss,
            salt_len: Some(32),
            ..Default::default()
        },
    );
}

#[test]
fn x25519() {
    let file = "x25519_test.json";
    let d = load(file);
    let mut tally = Tally::default();
    for (_, t) in groups(&d) {
        let sk: [u8; 32] = h(&t["private"]).try_into().unwrap();
        let pk: [u8; 32] = h(&t["public"]).try_into().unwrap();
        let got = keys::agree(
            &PrivateKey::X25519(x25519_dalek::StaticSecret::from(sk)),
            &PublicKey::X25519(x25519_dalek::PublicKey::from(pk)),
        );
        tally.case(file, t, got.is_ok_and(|s| s == h(&t["shared"])));
    }
    tally.finish(file);
}
