//! `/api/v1/image/crop`: a rectangle, and a size cut by gravity or a smart crop.

use crate::support::{refused, sized};

#[tokio::test]
async fn crop_answers_the_size_it_should_and_names_a_bad_option() {
    assert_eq!(
        sized("crop?left=10&top=20&width=50&height=40").await,
        (50, 40)
    );
    assert_eq!(
        sized("crop?width=120&height=120&gravity=entropy").await,
        (120, 120)
    );
    assert_eq!(
        sized("crop?width=120&height=120&gravity=attention").await,
        (120, 120)
    );
    refused("crop?width=0&height=10&gravity=north", "width").await;
}
