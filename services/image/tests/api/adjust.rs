//! `/api/v1/image/adjust`: tone and colour keep the size.

use crate::support::{refused, sized};

#[tokio::test]
async fn adjust_answers_the_size_it_should_and_names_a_bad_option() {
    assert_eq!(sized("adjust?blur=2&sharpen=1&brightness=1.2&contrast=10&saturation=0.5&hue=30&gamma=2.2&normalize=true&tint=%23336699").await, (400, 300));
    assert_eq!(sized("adjust?grayscale=true&negate=true").await, (400, 300));
    assert_eq!(sized("adjust?threshold=128").await, (400, 300));
    refused("adjust?gamma=50", "gamma").await;
}
