//! `/api/v1/image/extend`: the canvas grows by the sides asked.

use crate::support::{refused, sized};

#[tokio::test]
async fn extend_answers_the_size_it_should_and_names_a_bad_option() {
    assert_eq!(
        sized("extend?top=5&bottom=5&left=10&right=10&background=transparent&format=png").await,
        (420, 310)
    );
    assert_eq!(sized("extend?top=1&background=%23ff0000").await, (400, 301));
    refused("extend?top=-1", "top").await;
}
