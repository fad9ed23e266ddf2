//! The contract suite over every operation of the crypto service (see `flowforge_testkit::contract`).

#[tokio::test]
async fn every_operation_keeps_the_contract() {
    let findings =
        flowforge_testkit::contract::check(&crate::support::app_with(&[]), "/api/v1/crypto/").await;
    assert!(
        findings.is_empty(),
        "{} finding(s):\n{}",
        findings.len(),
        findings.join("\n")
    );
}
