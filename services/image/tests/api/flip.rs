//! `/api/v1/image/flip`: top to bottom, the size kept; it takes no options.

use crate::support::{refused, sized};

#[tokio::test]
async fn flip_answers_the_size_it_should_and_names_a_bad_option() {
    assert_eq!(sized("flip").await, (400, 300));
    refused("flip?angle=90", "angle").await;
}
