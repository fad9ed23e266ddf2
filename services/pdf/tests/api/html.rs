//! `generate` with `html` and `url`: printed by Debian's Chromium (scripts/install-test-tools
//! installs it), every request the page makes answered through the address policy. A local TCP
//! listener counts the connections a page manages to open to this machine: it must stay at
//! zero unless PDF_FETCH_ALLOW_PRIVATE is on.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

/// Whether Chromium is here; in CI it must be.
fn chromium() -> bool {
    let found = flowforge_pdf::browser::find_program(None).is_some();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is missing: scripts/install-test-tools installs Debian's `chromium`"
        );
        eprintln!("skipped: no Chromium here (apt-get install chromium)");
    }
    found
}

use crate::support::generate_pdf as generate;

/// A listener on 127.0.0.1 that counts connections and answers each with a page holding
/// `secret` (so a leak would also show in the PDF).
async fn counting_listener(secret: &'static str) -> (String, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut s, _)) = l.accept().await {
            h.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let body = format!("<p>{secret}</p>");
                let _ = s
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        )
                        .as_bytes(),
                    )
                    .await;
            });
        }
    });
    (addr.to_string(), hits)
}

/// A small web site on 127.0.0.1: `/` (a page with an image), `/img.png`, `/old` (a redirect
/// to `/`), `/missing` (404); it counts requests per path.
async fn site() -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    use axum::routing::get;
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = seen.clone();
    let png = {
        let img = image::RgbImage::from_pixel(7, 5, image::Rgb([200, 30, 30]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let app = axum::Router::new()
        .route(
            "/",
            get(|| async {
                axum::response::Html(
                    "<html><head><title>Site page</title></head><body><h1>Served by the site</h1>\
                     <img src=\"/img.png\" onload=\"document.getElementById('w').textContent='image width '+this.naturalWidth\">\
                     <p id=\"w\">no image</p></body></html>",
                )
            }),
        )
        .route(
            "/img.png",
            get(move || {
                let png = png.clone();
                async move { ([("content-type", "image/png")], png) }
            }),
        )
        .route(
            "/old",
            get(|| async { axum::response::Redirect::temporary("/") }),
        )
        .route(
            "/missing",
            get(|| async { (StatusCode::NOT_FOUND, "gone") }),
        )
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| {
                let s = s.clone();
                async move {
                    s.lock().unwrap().push(req.uri().path().to_string());
                    next.run(req).await
                }
            },
        ));
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn html_with_its_files_css_scripts_and_a_footer() {
    if !chromium() {
        return;
    }
    let app = app_with(&[]);
    let png = {
        let img = image::RgbImage::from_pixel(4, 3, image::Rgb([0, 90, 200]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let html = r#"<!doctype html><html><head><title>Quarterly report</title>
        <link rel="stylesheet" href="css/site.css"></head><body>
        <h1>Quarterly report</h1>
        <img src="logo.png" onload="document.getElementById('logo').textContent = 'logo width ' + this.naturalWidth">
        <p id="logo">logo missing</p>
        <p id="css"></p>
        <script>document.getElementById('css').textContent = 'colour ' + getComputedStyle(document.querySelector('h1')).color;</script>
        <p style="page-break-before: always">Ünïcödé: Ελληνικά, кириллица</p>
        </body></html>"#;
    let (s, pdf) = generate(
        &app,
        json!({
            "html": html,
            "footer": "Page {page} of {pages}",
            "paper": "us-letter",
            "files": [
                {"name": "logo.png", "data": b64(&png)},
                {"name": "css/site.css", "data": b64(b"h1 { color: rgb(1, 2, 3); }")}
            ]
        }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert!(pdf.starts_with(b"%PDF-"));
    assert_qpdf_clean(&pdf);
    let text = text_of(&pdf);
    for want in [
        "Quarterly report",
        "logo width 4",
        "colour rgb(1, 2, 3)",
        "Ελληνικά",
        "Page 1 of 2",
        "Page 2 of 2",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    let v = info(&app, &pdf).await;
    assert_eq!(v["pageCount"], 2, "{v}");
    // US Letter, 612 × 792 points.
    let size = &v["pages"][0];
    assert!((size["width"].as_f64().unwrap() - 612.0).abs() < 1.0, "{v}");

    // Multipart: the HTML as a field, the files by their names; only page 2; landscape.
    let (ctype, body) = multipart(
        &[("logo.png", &png)],
        &[
            ("html", html),
            ("pages", "2"),
            ("landscape", "true"),
            ("response", "json"),
        ],
    );
    let (s, _, b) = raw(&app, "/api/v1/pdf/generate", &ctype, body).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["pages"], 1, "{v}");
    let one = unb64(v["data"].as_str().unwrap());
    assert!(text_of(&one).contains("кириллица"));
    let i = info(&app, &one).await;
    let size = &i["pages"][0];
    assert!(
        size["width"].as_f64().unwrap() > size["height"].as_f64().unwrap(),
        "{i}"
    );
}

#[tokio::test]
async fn a_page_cannot_reach_this_machine() {
    if !chromium() {
        return;
    }
    let app = app_with(&[]);
    let (addr, hits) = counting_listener("SECRET-FROM-LOOPBACK").await;
    let html = format!(
        r#"<html><body><h1>Probe</h1>
        <img src="http://{addr}/img.png">
        <iframe src="http://{addr}/frame"></iframe>
        <link rel="stylesheet" href="http://{addr}/x.css">
        <script src="http://{addr}/x.js"></script>
        <p id="fetch">fetch pending</p><p id="ws">ws pending</p>
        <script>
          fetch('http://{addr}/api').then(() => document.getElementById('fetch').textContent = 'fetch LEAKED')
            .catch(() => document.getElementById('fetch').textContent = 'fetch blocked');
          try {{
            const ws = new WebSocket('ws://{addr}/socket');
            ws.onopen = () => document.getElementById('ws').textContent = 'ws LEAKED';
            ws.onerror = () => document.getElementById('ws').textContent = 'ws blocked';
          }} catch (e) {{ document.getElementById('ws').textContent = 'ws blocked'; }}
          navigator.sendBeacon('http://{addr}/beacon', 'x');
          new Image().src = 'http://169.254.169.254/latest/meta-data/';
        </script></body></html>"#
    );
    let (s, pdf) = generate(&app, json!({"html": html, "waitDelay": 500})).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    let text = text_of(&pdf);
    assert!(text.contains("fetch blocked"), "{text}");
    assert!(text.contains("ws blocked"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
    assert!(!text.contains("LEAKED"), "{text}");
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the page reached 127.0.0.1");

    // A `url` on this machine: refused before anything is fetched, naming `url`.
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/generate",
        json!({"url": format!("http://{addr}/")}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["error"]["details"][0]["field"], "url", "{v}");
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_url_with_private_addresses_allowed() {
    if !chromium() {
        return;
    }
    let app = app_with(&[("PDF_FETCH_ALLOW_PRIVATE", "true")]);
    let (base, seen) = site().await;
    // A redirect, followed by the browser hop by hop (each through the address policy).
    let (s, pdf) = generate(
        &app,
        json!({"url": format!("{base}/old"), "pageNumbers": true}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert_qpdf_clean(&pdf);
    let text = text_of(&pdf);
    assert!(text.contains("Served by the site"), "{text}");
    assert!(text.contains("image width 7"), "{text}");
    // The page number footer (at 9 px the spaces around the slash are under pdftotext's word gap).
    assert!(text.replace(' ', "").contains("1/1"), "{text}");
    let paths = seen.lock().unwrap().clone();
    for p in ["/old", "/", "/img.png"] {
        assert!(paths.iter().any(|x| x == p), "{p} not requested: {paths:?}");
    }
    // A page that is not there: a 400 naming `url` with the status.
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/generate",
        json!({"url": format!("{base}/missing")}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("404"),
        "{v}"
    );
}

#[tokio::test]
async fn scripts_are_limited_and_can_be_waited_for() {
    if !chromium() {
        return;
    }
    let app = app_with(&[("PDF_BROWSER_TIMEOUT_SECS", "3")]);
    // A script that never ends: 504 naming the limit, and the next page prints.
    let (s, v) = json_call(
        &app,
        "/api/v1/pdf/generate",
        json!({"html": "<p>spin</p><script>while (true) {}</script>"}),
    )
    .await;
    assert_eq!(s, StatusCode::GATEWAY_TIMEOUT, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("PDF_BROWSER_TIMEOUT_SECS"),
        "{v}"
    );
    // alert() does not hold the page.
    let (s, pdf) = generate(
        &app,
        json!({"html": "<script>alert('hi'); confirm('sure?')</script><p>after the alert</p>"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert!(text_of(&pdf).contains("after the alert"));
    // Scripts off: the page as written.
    let page = "<p id=\"a\">as written</p><script>document.getElementById('a').textContent = 'scripted'</script>";
    let (_, pdf) = generate(&app, json!({"html": page, "javascript": false})).await;
    assert!(text_of(&pdf).contains("as written"));
    let (_, pdf) = generate(&app, json!({"html": page})).await;
    assert!(text_of(&pdf).contains("scripted"));
    // Content that comes late, waited for.
    let late = "<p>early</p><script>setTimeout(() => { document.body.insertAdjacentHTML('beforeend', '<p>arrived late</p>'); window.ready = true; }, 700)</script>";
    let (s, pdf) = generate(
        &app,
        json!({"html": late, "waitForExpression": "window.ready === true"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(text_of(&pdf).contains("arrived late"));
    // Several at once (two pages at a time, the rest queued).
    let runs = (0..4).map(|i| {
        let app = app.clone();
        async move { generate(&app, json!({"html": format!("<p>parallel {i}</p>")})).await }
    });
    for (i, (s, pdf)) in futures_util::future::join_all(runs)
        .await
        .into_iter()
        .enumerate()
    {
        assert_eq!(s, StatusCode::OK);
        assert!(text_of(&pdf).contains(&format!("parallel {i}")));
    }
}

#[tokio::test]
async fn bad_options_and_no_browser() {
    let app = app_with(&[]);
    for (body, field) in [
        (json!({"html": "<p>x</p>", "media": "tv"}), "media"),
        (json!({"html": "<p>x</p>", "scale": 5}), "scale"),
        (json!({"html": "<p>x</p>", "pages": "first"}), "pages"),
        (
            json!({"html": "<p>x</p>", "waitDelay": 600000}),
            "waitDelay",
        ),
        (json!({"html": "<p>x</p>", "paper": "napkin"}), "paper"),
        (json!({"html": "<p>x</p>", "margin": "wide"}), "margin"),
        (
            json!({"html": "<p>x</p>", "javascript": false, "waitForExpression": "true"}),
            "waitForExpression",
        ),
        (json!({"url": "ftp://example.com/"}), "url"),
        (
            json!({"html": "<p>x</p>", "url": "https://example.com/"}),
            "template",
        ),
    ] {
        let (s, v) = json_call(&app, "/api/v1/pdf/generate", body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {v}");
        let named = v["error"]["details"][0]["field"].as_str().unwrap_or("");
        let message = v["error"]["message"].as_str().unwrap_or("");
        assert!(named == field || message.contains(field), "{body}: {v}");
    }
    if chromium() {
        let (s, v) = json_call(
            &app,
            "/api/v1/pdf/generate",
            json!({"html": "<p>x</p>", "pages": "7"}),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert_eq!(v["error"]["details"][0]["field"], "pages", "{v}");
    }
    // No browser: a 503 that says how to get one and what else works.
    let none = app_with(&[("CHROMIUM_PATH", "/nonexistent/chromium")]);
    let (s, v) = json_call(&none, "/api/v1/pdf/generate", json!({"html": "<p>hi</p>"})).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    let m = v["error"]["message"].as_str().unwrap();
    assert!(m.contains("CHROMIUM_PATH") && m.contains("markdown"), "{v}");
}
