//! `/api/v1/image/watermark`: text overlays keep the size.

use crate::support::{refused, sized};

#[tokio::test]
async fn watermark_answers_the_size_it_should_and_names_a_bad_option() {
    assert_eq!(
        sized("watermark?text=%C2%A9%20ACME&size=24").await,
        (400, 300)
    );
    assert_eq!(
        sized("watermark?text=draft&tile=true&opacity=0.3&font=mono").await,
        (400, 300)
    );
    refused("watermark?text=x&opacity=abc", "opacity").await;
}
