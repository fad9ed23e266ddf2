//! `/api/v1/pdf/render` and `/render/thumbnail`: PDFium in worker processes, one image or a ZIP,
//! limits named, and a worker that dies fails one request, not the service.

use std::io::Read;

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

fn dark(png: &[u8]) -> (u32, u32, usize) {
    let img = image::load_from_memory(png).unwrap().to_luma8();
    let dark = img.pixels().filter(|p| p.0[0] < 128).count();
    (img.width(), img.height(), dark)
}

#[tokio::test]
async fn one_page_is_an_image_at_its_dpi() {
    let app = app_with(&[]);
    let (s, ct, b) = raw(
        &app,
        "/api/v1/pdf/render?pages=2&dpi=72",
        "application/pdf",
        pdf("Page", 3, false),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_eq!(ct, "image/png");
    let (w, h, ink) = dark(&b);
    assert_eq!((w, h), (595, 842), "A4 at 72 dpi");
    assert!(ink > 100, "the page's text is drawn: {ink} dark pixels");
    let (s, _, b) = raw(
        &app,
        "/api/v1/pdf/render?width=300&format=jpeg",
        "application/pdf",
        pdf("Page", 1, false),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(&b[..3], [0xff, 0xd8, 0xff]);
    assert_eq!(image::load_from_memory(&b).unwrap().width(), 300);
    let (s, ct, b) = raw(
        &app,
        "/api/v1/pdf/render/thumbnail",
        "application/pdf",
        pdf("Page", 4, false),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_eq!(ct, "image/png");
    assert_eq!(dark(&b).0, 256);
}

#[tokio::test]
async fn several_pages_are_a_zip_or_json() {
    let app = app_with(&[]);
    let (s, ct, b) = raw(
        &app,
        "/api/v1/pdf/render?pages=1-3&dpi=36",
        "application/pdf",
        pdf("Page", 3, false),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert_eq!(ct, "application/zip");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(b)).unwrap();
    assert_eq!(z.len(), 3);
    let mut png = Vec::new();
    z.by_name("page-3.png")
        .unwrap()
        .read_to_end(&mut png)
        .unwrap();
    assert_eq!(dark(&png).0, 298);
    let body =
        json!({"data": b64(&pdf("Page", 2, false)), "pages": "all", "dpi": 36, "format": "webp"});
    let (s, v) = json_call(&app, "/api/v1/pdf/render", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["pages"][1]["page"], 2);
    assert_eq!(v["pages"][1]["contentType"], "image/webp");
    assert_eq!(
        &unb64(v["pages"][1]["data"].as_str().unwrap())[8..12],
        b"WEBP"
    );
}

#[tokio::test]
async fn encrypted_files_render_with_their_password() {
    let app = app_with(&[]);
    let body =
        json!({"data": b64(&pdf("Secret", 1, false)), "userPassword": "pw", "response": "json"});
    let (_, v) = json_call(&app, "/api/v1/pdf/encrypt", body).await;
    let locked = unb64(v["data"].as_str().unwrap());
    let (s, b) = post_pdf(&app, "/api/v1/pdf/render?dpi=36", locked.clone()).await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&b)
    );
    let (s, b) = post_pdf(&app, "/api/v1/pdf/render?dpi=36&password=pw", locked).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    assert!(dark(&b).2 > 20);
}

#[tokio::test]
async fn limits_are_named_and_a_dying_worker_fails_one_request() {
    let app = app_with(&[("PDF_RENDER_MAX_PIXELS", "1000000")]);
    let (s, b) = post_pdf(&app, "/api/v1/pdf/render?dpi=300", pdf("Page", 1, false)).await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&b)
    );
    let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v["error"]["details"][0]["field"], "pages");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("PDF_RENDER_MAX_PIXELS"),
        "{v}"
    );
    // A worker capped at 96 MiB asked for a 100-megapixel page: it cannot, and says so or dies.
    let small = app_with(&[
        ("PDF_WORKER_MEMORY_MB", "96"),
        ("PDF_RENDER_MAX_PIXELS", "200000000"),
        ("PDF_WORKERS", "1"),
    ]);
    let (s, b) = post_pdf(
        &small,
        "/api/v1/pdf/render?width=8000",
        pdf("Page", 1, false),
    )
    .await;
    assert!(s.is_client_error(), "{s}: {}", String::from_utf8_lossy(&b));
    // The next request gets a working renderer.
    let (s, b) = post_pdf(&small, "/api/v1/pdf/render?dpi=36", pdf("Page", 1, false)).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&b));
    let (s, b) = post_pdf(&small, "/api/v1/pdf/render?pages=4", pdf("Page", 1, false)).await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&b)
    );
}

/// A worker program that is a shell script: `body` runs after it is started as `pdf-worker`.
fn fake_worker(name: &str, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.sh"));
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_string_lossy().into_owned()
}

#[tokio::test]
async fn a_worker_that_crashes_or_hangs_mid_job_fails_that_request_only() {
    // It reads the start of the job, then dies of a segmentation fault.
    let crash = fake_worker("segv-worker", "head -c 16 > /dev/null; kill -SEGV $$");
    let app = app_with(&[("PDF_WORKER_BIN", &crash)]);
    for _ in 0..2 {
        let (s, b) = post_pdf(&app, "/api/v1/pdf/render", pdf("Page", 1, false)).await;
        assert_eq!(
            s,
            StatusCode::BAD_REQUEST,
            "{}",
            String::from_utf8_lossy(&b)
        );
        let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("renderer stopped"),
            "{v}"
        );
    }
    // The service itself goes on: operations without workers answer.
    let (s, _) = post_pdf(&app, "/api/v1/pdf/info", pdf("Page", 1, false)).await;
    assert_eq!(s, StatusCode::OK);
    // It never answers: killed at the time limit, and the client is told what to do.
    let hang = fake_worker("hang-worker", "exec sleep 60");
    let app = app_with(&[("PDF_WORKER_BIN", &hang), ("PDF_TIMEOUT_SECS", "2")]);
    let (s, b) = post_pdf(&app, "/api/v1/pdf/render", pdf("Page", 1, false)).await;
    assert_eq!(
        s,
        StatusCode::GATEWAY_TIMEOUT,
        "{}",
        String::from_utf8_lossy(&b)
    );
    let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("PDF_TIMEOUT_SECS"),
        "{v}"
    );
}

#[tokio::test]
async fn workers_retire_after_their_jobs_without_failing_one() {
    // One worker, replaced after every second job: no request sees the change of worker.
    let app = app_with(&[("PDF_WORKERS", "1"), ("PDF_WORKER_MAX_JOBS", "2")]);
    for i in 1..=5 {
        let (s, b) = post_pdf(&app, "/api/v1/pdf/text", pdf("Page", 1, false)).await;
        assert_eq!(
            s,
            StatusCode::OK,
            "request {i}: {}",
            String::from_utf8_lossy(&b)
        );
    }
    let (s, _) = post_pdf(&app, "/api/v1/pdf/render?dpi=36", pdf("Page", 1, false)).await;
    assert_eq!(s, StatusCode::OK);
}
