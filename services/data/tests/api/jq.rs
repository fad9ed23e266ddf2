//! `/api/v1/data/jq`.

use axum::http::StatusCode;
use flowforge_testkit::{assert_field as field, post, send};
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn jq_loops_without_outputs_stop_at_the_time_limit() {
    let app = app_with(&[("DATA_JQ_TIMEOUT_MS", "200")]);
    for filter in [
        "[repeat(1)]",
        "last(range(1e15))",
        "try [repeat(1)] catch 0",
    ] {
        let (s, v) = post(&app, "/api/v1/data/jq", json!({"filter": filter})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{filter}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("DATA_JQ_TIMEOUT_MS"),
            "{filter}: {v}"
        );
    }
    // Work that ends inside the limit is answered.
    let (s, v) = post(
        &app,
        "/api/v1/data/jq",
        json!({"filter": "[range(1000)] | add"}),
    )
    .await;
    assert_eq!((s, v), (StatusCode::OK, json!({"outputs": [499500]})));
}

#[tokio::test]
async fn jq_large_arrays_answer_the_same_on_one_thread_or_several() {
    // Over a MiB and 8,192 elements: read, run and written in parts unless DATA_JQ_THREADS=1.
    let rows: Vec<String> = (0..12_000)
        .map(|i| format!(r#"{{"id":{i},"name":"n{i}","pad":"{}"}}"#, "x".repeat(80)))
        .collect();
    let body = format!("[{}]", rows.join(",")).into_bytes();
    assert!(body.len() > 1 << 20);
    let one = app_with(&[("DATA_JQ_THREADS", "1")]);
    let two = app_with(&[("DATA_JQ_THREADS", "2")]);
    for filter in [
        "map(select(.id % 3 == 0) | {name})",
        ".[] | .id",
        "map(.id) | add",
        "length",
        "map(if .id == 11000 then error(\"late\") else . end)",
    ] {
        let path = format!("/api/v1/data/jq?filter={}", urlencode(filter));
        let a = answer(send(&one, &path, "application/json", body.clone()).await);
        let b = answer(send(&two, &path, "application/json", body.clone()).await);
        assert_eq!(a, b, "{filter}");
        assert!(a.0 == StatusCode::OK || filter.contains("late"), "{filter}");
    }
    // A bad element late in the array is reported as on one thread.
    let mut bad = body.clone();
    let at = bad.windows(5).rposition(|w| w == b"\"id\":").unwrap();
    bad[at + 4] = b' ';
    let path = "/api/v1/data/jq?filter=length";
    let a = answer(send(&one, path, "application/json", bad.clone()).await);
    let b = answer(send(&two, path, "application/json", bad).await);
    assert_eq!(a.0, StatusCode::BAD_REQUEST);
    assert_eq!(a, b);
}

#[tokio::test]
async fn jq_inputs_raw_bodies_and_limits() {
    let app = app_with(&[("DATA_JQ_MAX_OUTPUTS", "5"), ("DATA_MAX_DEPTH", "3")]);
    let (_, v) = post(
        &app,
        "/api/v1/data/jq",
        json!({"filter":". * 2","inputs":[1,2,3]}),
    )
    .await;
    assert_eq!(v, json!({"outputs":[2,4,6]}));
    // The raw body is the input (a stream of values), the filter in the query string.
    let (s, _, b) = send(
        &app,
        "/api/v1/data/jq?filter=.a",
        "application/json",
        b"{\"a\":1} {\"a\":2}".to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        serde_json::from_slice::<Value>(&b).unwrap(),
        json!({"outputs":[1,2]})
    );
    // Five outputs are allowed, six are not.
    let (s, _) = post(&app, "/api/v1/data/jq", json!({"filter":"range(5)"})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = post(&app, "/api/v1/data/jq", json!({"filter":"repeat(1)"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("DATA_JQ_MAX_OUTPUTS"),
        "{v}"
    );
    // Depth 3 passes, 4 does not.
    let (s, _) = post(
        &app,
        "/api/v1/data/jq",
        json!({"filter":".","input":[[[1]]]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = post(
        &app,
        "/api/v1/data/jq",
        json!({"filter":".","input":[[[[1]]]]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "input");
    let (s, v) = post(&app, "/api/v1/data/jq", json!({"filter":"error(\"nope\")"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["error"]["message"].as_str().unwrap().contains("nope"),
        "{v}"
    );
    let (s, v) = post(
        &app,
        "/api/v1/data/jq",
        json!({"filter":".","input":1,"inputs":[1]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "inputs");
    let (s, _, _) = send(&app, "/api/v1/data/jq", "text/plain", b"x".to_vec()).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (s, v) = post(&app, "/api/v1/data/jq", json!({"filter":".","bogus":1})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}
