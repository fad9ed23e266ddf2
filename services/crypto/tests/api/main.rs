//! API tests: the crypto router behind the real kit stack, driven in-process; one module per
//! handler file, plus the contract, hostile-input and Wycheproof suites.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

mod contract;
mod contract_suite;
mod decrypt;
mod encrypt;
mod hash;
mod hmac;
mod hostile;
mod jwt;
mod kdf;
mod keys;
mod legacy;
mod messages;
mod password;
mod random;
mod sign;
mod support;
mod totp;
mod verify;
mod webhook;
mod wycheproof;
