//! `/api/v1/image/flop`: left to right, the size kept; it takes no options.

use crate::support::{refused, sized};

#[tokio::test]
async fn flop_answers_the_size_it_should_and_names_a_bad_option() {
    assert_eq!(sized("flop").await, (400, 300));
    refused("flop?width=3", "width").await;
}
