//! API tests: the math router behind the kit, driven in-process; one module per handler file.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

mod contract_suite;
mod distributions;
mod evaluate;
mod finance;
mod matrix;
mod messages;
mod regression;
mod shapes;
mod statistics;
mod support;
mod tests;
