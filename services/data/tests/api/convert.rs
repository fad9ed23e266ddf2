//! `/api/v1/data/convert`.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use flowforge_testkit::{assert_field as field, post, send};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::*;

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
