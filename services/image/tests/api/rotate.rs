//! `/api/v1/image/rotate`: quarter turns swap the sides; other angles expand the canvas.

use crate::support::{refused, sized};

#[tokio::test]
async fn rotate_answers_the_size_it_should_and_names_a_bad_option() {
    assert_eq!(sized("rotate?angle=90").await, (300, 400));
    assert_eq!(sized("rotate?angle=-90").await, (300, 400));
    assert_eq!(sized("rotate?angle=180").await, (400, 300));
    assert_eq!(sized("rotate?angle=45&background=white").await, (495, 495));
    refused("rotate?angle=abc", "angle").await;
}
