//! API tests: the image router behind the kit, driven in-process.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

mod contract_suite;
mod geometry;
mod hostile;
mod messages;
mod metadata;
mod pipeline;
mod resize;
mod support;
