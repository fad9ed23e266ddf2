//! `/api/v1/image/convert`: every output format keeps the size; an operation option is refused.

use crate::support::{refused, sized};

#[tokio::test]
async fn convert_answers_the_size_it_should_and_names_a_bad_option() {
    assert_eq!(sized("convert?format=png").await, (400, 300));
    assert_eq!(sized("convert?format=webp&quality=60").await, (400, 300));
    assert_eq!(sized("convert?format=gif").await, (400, 300));
    refused("convert?width=10", "width").await;
}
