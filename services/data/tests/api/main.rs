//! API tests: the data-transform router behind the kit, driven in-process.

#![allow(clippy::unwrap_used)] // a test binary: a panic is a failed test

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use flowforge_testkit::{assert_field as field, post, send};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

fn app_with(vars: &[(&str, &str)]) -> Router {
    flowforge_testkit::app_with(flowforge_data::service, flowforge_data::PORT, vars)
}

#[tokio::test]
async fn the_documented_shapes() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/data/jq",
        json!({"filter":".[] | .a","input":[{"a":1},{"a":2}]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v, json!({"outputs":[1,2]}));
    let (s, v) = post(&app, "/api/v1/data/jq", json!({"filter":".[","input":{}})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "filter");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("line 1, column"),
        "{v}"
    );
    let (s, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"csv","to":"json","data":"a,b\n1,x\n"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v, json!({"data":[{"a":1,"b":"x"}]}));
    let (_, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"json","to":"csv","data":[{"a":1,"b":"x"}]}),
    )
    .await;
    assert_eq!(v, json!({"data":"a,b\n1,x\n"}));
}

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

/// Status and body, without the request id an error carries.
fn answer((s, _, b): (StatusCode, String, Vec<u8>)) -> (StatusCode, Value) {
    let mut v: Value = serde_json::from_slice(&b).unwrap();
    if let Some(e) = v.get_mut("error").and_then(Value::as_object_mut) {
        e.remove("requestId");
    }
    (s, v)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'_' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
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

#[tokio::test]
async fn convert_formats_raw_bodies_and_errors() {
    let app = app_with(&[("DATA_CSV_MAX_ROWS", "2")]);
    let (_, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"tsv","to":"ndjson","data":"a\tb\n1\ttrue\n"}),
    )
    .await;
    assert_eq!(v, json!({"data":"{\"a\":1,\"b\":true}\n"}));
    let (_, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"ndjson","to":"tsv","data":"{\"a\":1}\n{\"a\":2,\"b\":\"x\"}\n"}),
    )
    .await;
    assert_eq!(v, json!({"data":"a\tb\n1\t\n2\tx\n"}));
    let (_, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"csv","to":"csv","data":"a;b\n1;2\n","delimiter":";"}),
    )
    .await;
    assert_eq!(v, json!({"data":"a;b\n1;2\n"}));
    // Raw in, raw out.
    let (s, ct, b) = send(
        &app,
        "/api/v1/data/convert?from=csv&to=json&inferTypes=false",
        "text/csv",
        b"a,b\n1,2\n".to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "application/json");
    assert_eq!(
        serde_json::from_slice::<Value>(&b).unwrap(),
        json!([{"a":"1","b":"2"}])
    );
    // Streamed raw conversions still answer a bad row with a 400 before any byte is sent.
    let (s, _, b) = send(
        &app,
        "/api/v1/data/convert?from=csv&to=ndjson",
        "text/csv",
        b"a\n1\n2,3\n".to_vec(),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&b)
    );
    let big: String = "n,s\n".to_string() + &(0..2).map(|i| format!("{i},x\n")).collect::<String>();
    let (s, ct, b) = send(
        &app,
        "/api/v1/data/convert?from=csv&to=ndjson",
        "text/csv",
        big.into_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "application/x-ndjson");
    assert_eq!(
        String::from_utf8(b).unwrap(),
        "{\"n\":0,\"s\":\"x\"}\n{\"n\":1,\"s\":\"x\"}\n"
    );
    // Two rows pass, three do not.
    let (s, _) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"csv","to":"json","data":"a\n1\n2\n"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"csv","to":"json","data":"a\n1\n2\n3\n"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "data");
    let (s, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"csv","to":"json","data":[1]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "data");
    let (s, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"parquet","to":"json","data":"x"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "from");
    let (s, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"json","to":"csv","data":[1,2]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "data");
    let (s, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"csv","to":"json","data":"a\n","delimiter":"ab"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "delimiter");
}

#[tokio::test]
async fn json_operations_shapes_and_errors() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/data/json/flatten",
        json!({"data":{"a":{"b":1,"c":[10]}},"arrays":"bracketed"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v, json!({"data":{"a.b":1,"a.c[0]":10}}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/unflatten",
        json!({"data":{"a.b":1,"a.c.0":10}}),
    )
    .await;
    assert_eq!(v, json!({"data":{"a":{"b":1,"c":[10]}}}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/merge",
        json!({"objects":[{"l":[1]},{"l":[2]}],"arrays":"concat"}),
    )
    .await;
    assert_eq!(v, json!({"data":{"l":[1,2]}}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/diff",
        json!({"from":{"a":1},"to":{"a":2}}),
    )
    .await;
    assert_eq!(v, json!({"patch":[{"op":"replace","path":"/a","value":2}]}));
    let (s, v) = post(
        &app,
        "/api/v1/data/json/patch",
        json!({"data":{"a":1},"patch":[{"op":"add","path":"/b","value":2},{"op":"test","path":"/a","value":5}]}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["details"][0]["field"], "patch[1]", "{v}");
    let (s, v) = post(
        &app,
        "/api/v1/data/json/patch",
        json!({"data":{},"patch":[{"op":"jump","path":"/a"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "patch[0].op");
    let (_, v) = post(
        &app,
        "/api/v1/data/json/merge-patch",
        json!({"data":{"a":1,"b":2},"patch":{"a":null}}),
    )
    .await;
    assert_eq!(v, json!({"data":{"b":2}}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/pick",
        json!({"data":[{"id":1,"x":2}],"paths":["id"]}),
    )
    .await;
    assert_eq!(v, json!({"data":[{"id":1}]}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/omit",
        json!({"data":{"id":1,"x":2},"paths":["x"]}),
    )
    .await;
    assert_eq!(v, json!({"data":{"id":1}}));
    let (_, v) = post(
        &app,
        "/api/v1/data/json/rename-keys",
        json!({"data":[{"first_name":"Ada"}],"rename":{"first_name":"firstName"}}),
    )
    .await;
    assert_eq!(v, json!({"data":[{"firstName":"Ada"}]}));
    let (s, v) = post(
        &app,
        "/api/v1/data/json/rename-keys",
        json!({"data":{},"rename":{"a":1}}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "rename.a");
    // Batches work on every JSON operation.
    let (_, v) = post(
        &app,
        "/api/v1/data/json/flatten",
        json!({"items":[{"data":{"a":{"b":1}}},{"data":[1]}]}),
    )
    .await;
    assert_eq!(v["results"][1]["data"], json!({"0":1}), "{v}");
}

#[tokio::test]
async fn encode_and_decode() {
    let app = app_with(&[]);
    let (_, v) = post(
        &app,
        "/api/v1/data/encode",
        json!({"data":"a b&c","encoding":"form"}),
    )
    .await;
    assert_eq!(v, json!({"data":"a+b%26c"}));
    let (_, v) = post(
        &app,
        "/api/v1/data/decode",
        json!({"data":"Zm9vYmFy","encoding":"base64"}),
    )
    .await;
    assert_eq!(v, json!({"data":"foobar"}));
    let (s, v) = post(
        &app,
        "/api/v1/data/decode",
        json!({"data":"%zz","encoding":"url"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "data");
    let (s, v) = post(
        &app,
        "/api/v1/data/encode",
        json!({"data":"x","encoding":"rot13"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "encoding");
}

#[tokio::test]
async fn text_regex_and_transforms() {
    let app = app_with(&[("DATA_REGEX_MAX_SIZE", "1000000")]);
    let (_, v) = post(
        &app,
        "/api/v1/data/text/regex",
        json!({"text":"a@x.org, b@y.com","pattern":"(?P<user>\\w+)@(?P<host>[\\w.]+)","op":"extract"}),
    )
    .await;
    assert_eq!(v["matches"][1]["named"]["user"], "b", "{v}");
    let (_, v) = post(
        &app,
        "/api/v1/data/text/regex",
        json!({"text":"2024-01-05","pattern":"(\\d+)-(\\d+)-(\\d+)","op":"replace","replacement":"$3.$2.$1"}),
    )
    .await;
    assert_eq!(v, json!({"data":"05.01.2024"}));
    let (_, v) = post(
        &app,
        "/api/v1/data/text/regex",
        json!({"text":"ABC","pattern":"b","op":"test","flags":"i"}),
    )
    .await;
    assert_eq!(v, json!({"matches":true}));
    let (s, v) = post(
        &app,
        "/api/v1/data/text/regex",
        json!({"text":"","pattern":"(","op":"test"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "pattern");
    // A pattern whose compiled form is over DATA_REGEX_MAX_SIZE is refused, naming the limit.
    let (s, v) = post(
        &app,
        "/api/v1/data/text/regex",
        json!({"text":"","pattern":"\\w{500}","op":"test"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("DATA_REGEX_MAX_SIZE"),
        "{v}"
    );
    let (_, v) = post(
        &app,
        "/api/v1/data/text/transform",
        json!({"text":"Grüße & Café","op":"case","case":"slug"}),
    )
    .await;
    assert_eq!(v, json!({"data":"gruesse-and-cafe"}));
    let (s, v) = post(
        &app,
        "/api/v1/data/text/transform",
        json!({"text":"x","op":"truncate"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "length");
    let (_, v) = post(
        &app,
        "/api/v1/data/text/transform",
        json!({"text":"<p>Hi <b>there</b></p>","op":"strip-html"}),
    )
    .await;
    assert_eq!(v, json!({"data":"Hi there"}));
    let (_, v) = post(
        &app,
        "/api/v1/data/text/transform",
        json!({"op":"join","parts":["a",1,true,null],"separator":" | "}),
    )
    .await;
    assert_eq!(v, json!({"data":"a | 1 | true | "}));
    let (s, v) = post(
        &app,
        "/api/v1/data/text/transform",
        json!({"op":"join","parts":["a",{"b":1}]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "parts[1]");
    let (s, v) = post(&app, "/api/v1/data/text/transform", json!({"op":"join"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "parts");
}

#[tokio::test]
async fn item_operations() {
    let app = app_with(&[]);
    let items = json!([{"name":"b","age":30,"city":"Oslo"},{"name":"a","age":40,"city":"Rome"},{"name":"c","age":30,"city":"Oslo"}]);
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"sort","data":items,"by":["-age","name"]}),
    )
    .await;
    assert_eq!(v["data"][0]["name"], "a", "{v}");
    assert_eq!(v["data"][1]["name"], "b", "{v}");
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"filter","data":items,"where":[{"key":"city","test":"eq","value":"Oslo"},{"key":"name","test":"startsWith","value":"c"}]}),
    )
    .await;
    assert_eq!(v["data"], json!([{"name":"c","age":30,"city":"Oslo"}]));
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"group","data":items,"by":["city"],"aggregates":[{"op":"count"},{"op":"sum","key":"age","as":"total"}]}),
    )
    .await;
    assert_eq!(
        v["data"],
        json!([{"city":"Oslo","count":2,"total":60.0},{"city":"Rome","count":1,"total":40.0}])
    );
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"chunk","data":[1,2,3],"size":2}),
    )
    .await;
    assert_eq!(v, json!({"data":[[1,2],[3]]}));
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"limit","data":[1,2,3],"count":2,"fromEnd":true}),
    )
    .await;
    assert_eq!(v, json!({"data":[2,3]}));
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"join","left":[{"id":1,"n":"a"}],"right":[{"id":1,"t":5}],"leftKey":"id"}),
    )
    .await;
    assert_eq!(v, json!({"data":[{"id":1,"n":"a","t":5}]}));
    let (_, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"compare","a":[{"id":1,"v":1}],"b":[{"id":1,"v":2},{"id":2}],"keys":["id"]}),
    )
    .await;
    assert_eq!(v["added"], json!([{"id":2}]), "{v}");
    assert_eq!(v["changed"][0]["fields"], json!(["v"]), "{v}");
    let (s, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"chunk","data":[1],"size":0}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "size");
    let (s, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"split-out","data":[]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "field");
    let (s, v) = post(
        &app,
        "/api/v1/data/items",
        json!({"op":"group","data":[],"aggregates":[{"op":"sum"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "aggregates[0].key");
}

#[tokio::test]
async fn yaml_and_toml_conversions() {
    let app = app_with(&[]);
    let (_, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"yaml","to":"json","data":"name: x\nports: [80, 443]\n"}),
    )
    .await;
    assert_eq!(v, json!({"data":{"name":"x","ports":[80,443]}}));
    let (_, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"json","to":"toml","data":{"title":"x","owner":{"name":"Tom"}}}),
    )
    .await;
    assert_eq!(
        v,
        json!({"data":"title = \"x\"\n\n[owner]\nname = \"Tom\"\n"}),
        "{v}"
    );
    let (s, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"json","to":"toml","data":[1]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "data");
    let (_, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"csv","to":"yaml","data":"a,b\n1,x\n"}),
    )
    .await;
    assert_eq!(v, json!({"data":"- a: 1\n  b: x\n"}), "{v}");
}

#[tokio::test]
async fn datetime_operations() {
    let app = app_with(&[]);
    let dt = |body: Value| {
        let app = app.clone();
        async move { post(&app, "/api/v1/data/datetime", body).await }
    };
    let (s, v) = dt(json!({"op":"add","value":"2024-01-31T10:00:00","timezone":"Europe/Paris","duration":"P1M"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"data":"2024-02-29T10:00:00+01:00","timezone":"Europe/Paris"})
    );
    let (_, v) = dt(json!({"op":"parse","value":1710081000})).await;
    assert_eq!(v["data"], "2024-03-10T14:30:00Z");
    assert_eq!(v["isoWeek"], 10);
    assert_eq!(v["weekdayName"], "Sunday");
    let (_, v) = dt(json!({"op":"convert","value":"2024-03-10T14:30:00Z","toTimezone":"Asia/Kolkata","format":"dd MMM yyyy HH:mm z"})).await;
    assert_eq!(v["data"], "10 Mar 2024 20:00 Asia/Kolkata");
    let (_, v) =
        dt(json!({"op":"diff","value":"2024-01-01","end":"2024-03-01T12:00:00Z","unit":"days"}))
            .await;
    assert_eq!(v, json!({"data":60.5,"unit":"day"}));
    let (_, v) = dt(json!({"op":"diff","value":"2024-01-01","end":"2024-03-01T12:00:00Z","unit":"days","whole":true})).await;
    assert_eq!(v["data"], 60.0);
    let (_, v) =
        dt(json!({"op":"end-of","value":"2024-02-10","unit":"month","format":"iso8601"})).await;
    assert_eq!(v["data"], "2024-02-29T23:59:59.999Z");
    let (_, v) = dt(json!({"op":"add-business-days","value":"2024-12-20","days":3,"holidays":["2024-12-25","2024-12-26"]})).await;
    assert_eq!(v["data"], "2024-12-27");
    let (_, v) = dt(json!({"op":"business-days","value":"2024-12-01","end":"2024-12-31","weekend":["fri","sat"]})).await;
    assert_eq!(v["data"], 23); // December 2024 has 4 Fridays and 4 Saturdays
    // Batch: one answer per item.
    let (_, v) = dt(json!({"items":[{"op":"format","value":"2024-03-10","format":"%A"},{"op":"format","value":"x"}]})).await;
    assert_eq!(v["results"][0]["data"], "Sunday", "{v}");
    assert_eq!(
        v["results"][1]["error"]["details"][0]["field"], "items[1].value",
        "{v}"
    );

    for (body, f) in [
        (json!({"op":"parse","value":"tomorrow-ish"}), "value"),
        (json!({"op":"parse","value":true}), "value"),
        (
            json!({"op":"format","value":"2024-03-10","timezone":"Mars/Base"}),
            "timezone",
        ),
        (
            json!({"op":"format","value":"2024-03-10","format":"yyyy-QQQ"}),
            "format",
        ),
        (json!({"op":"add","value":"2024-03-10"}), "duration"),
        (
            json!({"op":"add","value":"2024-03-10","duration":"P1X"}),
            "duration",
        ),
        (
            json!({"op":"add","value":"2024-03-10","duration":{"years":300000}}),
            "duration",
        ),
        (
            json!({"op":"diff","value":"2024-03-10","end":"2024-04-01"}),
            "unit",
        ),
        (
            json!({"op":"diff","value":"2024-03-10","unit":"day"}),
            "end",
        ),
        (json!({"op":"convert","value":"2024-03-10"}), "toTimezone"),
        (
            json!({"op":"add-business-days","value":"2024-03-10","days":1,"holidays":["10/03/2024"]}),
            "holidays",
        ),
        (
            json!({"op":"add-business-days","value":"2024-03-10","days":1,"weekend":[1,2,3,4,5,6,7]}),
            "weekend",
        ),
        (
            json!({"op":"business-days","value":"2024-03-10","end":"2024-03-20","weekend":["someday"]}),
            "weekend",
        ),
        (
            json!({"op":"start-of","value":"2024-03-10","unit":"fortnight"}),
            "unit",
        ),
        (json!({"op":"shift","value":"2024-03-10"}), "op"),
    ] {
        let (s, v) = dt(body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body} → {v}");
        field(&v, "VALIDATION_ERROR", f);
    }
}

#[tokio::test]
async fn templates_render_escape_and_stop() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"Hello {{ name }}, you owe {{ total|currency('EUR', locale='de') }}.","data":{"name":"Ada","total":1234.5}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["data"], "Hello Ada, you owe 1.234,50\u{a0}€.");
    let (_, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"<p>{{ c }}</p>","data":{"c":"<script>x</script>"}}),
    )
    .await;
    assert_eq!(v["data"], "<p>&lt;script&gt;x&lt;&#x2f;script&gt;</p>");
    let (_, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"{{ a }} & {{ b }}","data":{"a":"Tom & Jerry","b":"<3"},"mode":"text"}),
    )
    .await;
    assert_eq!(v["data"], "Tom & Jerry & <3");
    let (s, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"{% if %}"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "template");
    assert!(
        v["error"]["details"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("line 1"),
        "{v}"
    );
    let (s, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"{{ x }}","strict":true}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = post(
        &app,
        "/api/v1/data/template",
        json!({"template":"x","mode":"pdf"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    field(&v, "VALIDATION_ERROR", "mode");

    // Fuel at its edge: a loop that fits runs, one more iteration's worth is stopped.
    let small = app_with(&[
        ("DATA_TEMPLATE_FUEL", "2000"),
        ("DATA_TEMPLATE_MAX_OUTPUT", "10"),
    ]);
    let loop_of =
        |n: usize| json!({"template": format!("{{% for i in range({n}) %}}{{% endfor %}}")});
    let mut fits = 0;
    for n in [10, 100, 1000, 10_000] {
        let (s, v) = post(&small, "/api/v1/data/template", loop_of(n)).await;
        if s == StatusCode::OK {
            fits = n;
        } else {
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            assert!(
                v["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("DATA_TEMPLATE_FUEL"),
                "{v}"
            );
        }
    }
    assert!((100..10_000).contains(&fits), "{fits}");
    let (s, _) = post(
        &small,
        "/api/v1/data/template",
        json!({"template":"0123456789"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = post(
        &small,
        "/api/v1/data/template",
        json!({"template":"0123456789x"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("DATA_TEMPLATE_MAX_OUTPUT"),
        "{v}"
    );
    // The default fuel stops a loop that would never end in practice.
    let (s, v) = post(&app, "/api/v1/data/template", json!({"template":"{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
}

#[tokio::test]
async fn json_schema_validation() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/data/validate",
        json!({"schema":{"type":"object","required":["email"],"properties":{"age":{"type":"integer","minimum":0}}},"data":{"age":-1}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["schemaPath"], "/required", "{v}");
    assert_eq!(
        v["errors"][1]["schemaPath"], "/properties/age/minimum",
        "{v}"
    );
    let (_, v) = post(
        &app,
        "/api/v1/data/validate",
        json!({"schema":{"type":"string","format":"date"},"data":"2024-13-01","draft":"7"}),
    )
    .await;
    assert_eq!(v["valid"], false, "{v}");
    for (body, f) in [
        (json!({"schema":{"type":"strange"},"data":1}), "schema"),
        (
            json!({"schema":{"$ref":"http://169.254.169.254/latest"},"data":1}),
            "schema",
        ),
        (json!({"schema":{},"data":1,"draft":"3"}), "draft"),
    ] {
        let (s, v) = post(&app, "/api/v1/data/validate", body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body} → {v}");
        field(&v, "VALIDATION_ERROR", f);
    }
}

#[tokio::test]
async fn xml_conversions() {
    let app = app_with(&[]);
    let xml =
        "<orders><order id=\"1\"><sku>A</sku></order><order id=\"2\"><sku>B</sku></order></orders>";
    let (s, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"xml","to":"json","data":xml}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["data"],
        json!({"orders":{"order":[{"@id":1,"sku":"A"},{"@id":2,"sku":"B"}]}})
    );
    // Raw body both ways, with a forced array and a root name.
    let (s, ct, b) = send(
        &app,
        "/api/v1/data/convert?from=xml&to=json&arrays=sku",
        "application/xml",
        xml.into(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "application/json");
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v["orders"]["order"][0]["sku"], json!(["A"]));
    let (s, ct, b) = send(
        &app,
        "/api/v1/data/convert?from=csv&to=xml&root=rows",
        "text/csv",
        b"a,b\n1,x\n".to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "application/xml");
    assert_eq!(
        String::from_utf8(b).unwrap(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rows>\n  <item>\n    <a>1</a>\n    <b>x</b>\n  </item>\n</rows>\n"
    );
    let (_, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"json","to":"xml","data":{"a":{"@x":"1","#text":"t"}},"xml":{"pretty":false,"declaration":false}}),
    )
    .await;
    assert_eq!(v["data"], "<a x=\"1\">t</a>");
    let bomb = "<?xml version=\"1.0\"?><!DOCTYPE z [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><z>&b;</z>";
    for (body, f) in [
        (json!({"from":"xml","to":"json","data":bomb}), "data"),
        (
            json!({"from":"xml","to":"json","data":"<a><b></a>"}),
            "data",
        ),
        (json!({"from":"json","to":"xml","data":{"1a":2}}), "data"),
        (
            json!({"from":"json","to":"xml","data":{},"xml":{"indent":4}}),
            "xml.indent",
        ),
    ] {
        let (s, v) = post(&app, "/api/v1/data/convert", body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body} → {v}");
        field(&v, "VALIDATION_ERROR", f);
    }
}

#[tokio::test]
async fn spreadsheets_in_and_out() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let app = app_with(&[]);
    let records =
        json!([{"sku":"A-1","qty":3,"day":"2024-03-10"},{"sku":"B-2","qty":5,"day":"2024-03-11"}]);
    // JSON to XLSX, raw: the file itself, as an attachment.
    let (s, ct, xlsx) = send(
        &app,
        "/api/v1/data/convert?from=json&to=xlsx",
        "application/json",
        records.to_string().into_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        ct,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(&xlsx[..2], b"PK");
    // XLSX back, raw body.
    let (s, _, b) = send(
        &app,
        "/api/v1/data/convert?from=xlsx&to=json",
        "application/octet-stream",
        xlsx.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(serde_json::from_slice::<Value>(&b).unwrap(), records);
    // XLSX to CSV, a range, JSON form with base64.
    let (s, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"xlsx","to":"csv","data":b64.encode(&xlsx),"range":"A1:B3"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["data"], "sku,qty\nA-1,3\nB-2,5\n");
    // JSON form to xlsx answers base64.
    let (_, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"json","to":"xlsx","data":{"One":[{"a":1}],"Two":[{"b":2}]}}),
    )
    .await;
    let file = b64.decode(v["data"].as_str().unwrap()).unwrap();
    let (_, v) = post(
        &app,
        "/api/v1/data/convert",
        json!({"from":"xlsx","to":"json","data":b64.encode(&file),"allSheets":true}),
    )
    .await;
    assert_eq!(v["data"], json!({"One":[{"a":1}],"Two":[{"b":2}]}));
    // Accept: application/json on the raw form gives base64 too.
    let req = Request::post("/api/v1/data/convert?from=json&to=xlsx")
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(Body::from(records.to_string()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let v: Value =
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert!(
        b64.decode(v["data"].as_str().unwrap())
            .unwrap()
            .starts_with(b"PK")
    );
    for (body, f) in [
        (
            json!({"from":"xlsx","to":"json","data":"not base64!"}),
            "data",
        ),
        (
            json!({"from":"xlsx","to":"json","data":b64.encode(b"plain text")}),
            "data",
        ),
        (
            json!({"from":"xlsx","to":"json","data":b64.encode(&xlsx),"sheet":"Nope"}),
            "sheet",
        ),
        (
            json!({"from":"xlsx","to":"json","data":b64.encode(&xlsx),"range":"1A:B"}),
            "range",
        ),
        (json!({"from":"json","to":"ods","data":[{"a":1}]}), "to"),
        (json!({"from":"json","to":"xlsx","data":"text"}), "data"),
    ] {
        let (s, v) = post(&app, "/api/v1/data/convert", body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        field(&v, "VALIDATION_ERROR", f);
    }
    // The decompression limit at its edge: a workbook that inflates to just over 1 MiB.
    let big: Vec<Value> = (0..2500)
        .map(|i| json!({"k": format!("{i}{}", "x".repeat(400)), "i": i}))
        .collect();
    let (_, _, file) = send(
        &app,
        "/api/v1/data/convert?from=json&to=xlsx",
        "application/json",
        Value::Array(big).to_string().into_bytes(),
    )
    .await;
    let tight = app_with(&[("DATA_SHEET_MAX_UNZIPPED_MB", "1")]);
    let (s, _, b) = send(
        &tight,
        "/api/v1/data/convert?from=xlsx&to=json",
        "application/octet-stream",
        file.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8_lossy(&b).contains("DATA_SHEET_MAX_UNZIPPED_MB"));
    let roomy = app_with(&[("DATA_SHEET_MAX_UNZIPPED_MB", "2")]);
    let (s, _, _) = send(
        &roomy,
        "/api/v1/data/convert?from=xlsx&to=json",
        "application/octet-stream",
        file,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // Multipart, as n8n's Form-Data body sends a file: options as fields.
    let mut body = Vec::new();
    for (k, v) in [("from", "xlsx"), ("to", "csv"), ("sheet", "0")] {
        body.extend_from_slice(
            format!("--B\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    body.extend_from_slice(&xlsx);
    body.extend_from_slice(b"\r\n--B--\r\n");
    let (s, ct, b) = send(
        &app,
        "/api/v1/data/convert",
        "multipart/form-data; boundary=B",
        body,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert!(ct.starts_with("text/csv"));
    assert_eq!(
        String::from_utf8(b).unwrap(),
        "sku,qty,day\nA-1,3,2024-03-10\nB-2,5,2024-03-11\n"
    );
    // Row limit at its edge.
    let two = app_with(&[("DATA_CSV_MAX_ROWS", "2")]);
    let (s, _, _) = send(
        &two,
        "/api/v1/data/convert?from=xlsx&to=json",
        "application/octet-stream",
        xlsx.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let one = app_with(&[("DATA_CSV_MAX_ROWS", "1")]);
    let (s, _, b) = send(
        &one,
        "/api/v1/data/convert?from=xlsx&to=json",
        "application/octet-stream",
        xlsx,
    )
    .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&b)
    );
}

#[tokio::test]
async fn html_and_markdown() {
    let app = app_with(&[]);
    let (s, v) = post(
        &app,
        "/api/v1/data/markdown/to-html",
        json!({"markdown":"# Hello\n\n<img src=x onerror=alert(1)>"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let h = v["data"].as_str().unwrap();
    assert!(
        h.starts_with("<h1>Hello</h1>") && h.contains("&lt;img"),
        "{h}"
    );
    let (_, v) = post(
        &app,
        "/api/v1/data/html/to-markdown",
        json!({"html":"<h2>Hi</h2><p>A <b>bold</b> <a href=\"https://x.org\">link</a>.</p>"}),
    )
    .await;
    assert_eq!(v["data"], "## Hi\n\nA **bold** [link](https://x.org).");
    let (_, v) = post(
        &app,
        "/api/v1/data/html/extract",
        json!({"html":"<div class=\"p\"><h3>Lamp</h3><span class=\"price\">€ 20</span></div><div class=\"p\"><h3>Desk</h3><span class=\"price\">€ 90</span></div>",
               "extract":[{"key":"products","selector":"div.p","all":true,"fields":[{"key":"name","selector":"h3"},{"key":"price","selector":".price"}]}]}),
    )
    .await;
    assert_eq!(
        v["data"],
        json!({"products":[{"name":"Lamp","price":"€ 20"},{"name":"Desk","price":"€ 90"}]})
    );
    let (s, v) = post(
        &app,
        "/api/v1/data/html/extract",
        json!({"html":"","extract":[{"key":"a","selector":"p"},{"key":"b","selector":"::nope"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "extract[1].selector");
    for (path, body, f) in [
        (
            "/api/v1/data/markdown/to-html",
            json!({"markdown": 3}),
            "markdown",
        ),
        (
            "/api/v1/data/html/to-markdown",
            json!({"html": ["x"]}),
            "html",
        ),
        (
            "/api/v1/data/html/extract",
            json!({"html": "", "extract": [{"key": "a"}]}),
            "extract[0].selector",
        ),
    ] {
        let (s, v) = post(&app, path, body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
        field(&v, "VALIDATION_ERROR", f);
    }
    // Depth at its edge, from DATA_MAX_DEPTH.
    let shallow = app_with(&[("DATA_MAX_DEPTH", "10")]);
    let (s, _) = post(
        &shallow,
        "/api/v1/data/html/to-markdown",
        json!({"html": "<b>".repeat(5)}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = post(
        &shallow,
        "/api/v1/data/html/to-markdown",
        json!({"html": "<b>".repeat(20)}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    field(&v, "VALIDATION_ERROR", "html");
}
