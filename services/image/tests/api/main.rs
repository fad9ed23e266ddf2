//! API tests: the image router behind the kit, driven in-process.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

mod adjust;
mod contract_suite;
mod convert;
mod crop;
mod extend;
mod flip;
mod flop;
mod geometry;
mod hostile;
mod messages;
mod metadata;
mod pipeline;
mod placeholder;
mod resize;
mod rotate;
mod support;
mod trim;
mod watermark;
