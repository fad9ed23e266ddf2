//! The contract suite over every operation of the PDF service.

flowforge_testkit::contract_suite!(crate::support::app_with(&[]), "/api/v1/pdf/");
