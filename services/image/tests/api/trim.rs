//! `/api/v1/image/trim`: a uniform border goes; nothing to trim keeps the image.

use crate::support::{refused, sized};

#[tokio::test]
async fn trim_answers_the_size_it_should_and_names_a_bad_option() {
    let (w, h) = sized("trim").await;
    assert!(w <= 400 && h <= 300, "{w}x{h}");
    refused("trim?threshold=abc", "threshold").await;
}
