//! API tests: the PDF router behind the kit, driven in-process; outputs checked with qpdf
//! (structure, encryption) and poppler's pdftotext (page order) as outside oracles.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

mod attachments;
mod compress;
mod contract_suite;
mod decrypt;
mod encrypt;
mod forms;
mod generate;
mod hostile;
mod html;
mod info;
mod merge;
mod messages;
mod metadata;
mod overlay;
mod pages;
mod real_documents;
mod render;
mod split;
mod support;
mod text;
