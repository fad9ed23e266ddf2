//! API tests: the data-transform router behind the kit, driven in-process; one module per
//! handler file.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

mod contract_suite;
mod convert;
mod datetime;
mod decode;
mod encode;
mod html;
mod items;
mod jq;
mod json;
mod markdown;
mod messages;
mod shapes;
mod support;
mod template;
mod text;
mod validate;
