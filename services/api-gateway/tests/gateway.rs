//! The gateway over real HTTP: a fake registry and the gateway run in-process on 127.0.0.1.

// The fixture builders are not `#[test]` functions, which clippy's test allowance covers.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::{
    FNV_START, Upstream, client, config, dead_addr, fnv, gateway, pattern_fnv, problem,
    raw_problem, raw_request, raw_upstream,
};
use serde_json::Value;

const BIG: u64 = 20 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// /api/* forwarding

#[tokio::test]
async fn forwards_method_path_query_body_and_headers() {
    let upstream = Upstream::start().await;
    let gateway = gateway(config(&upstream.url())).await;
    let http = client();
    let url = format!("{}/api/v1/things/a%20b/c?x=1&y=%2F&z=%C3%A9", gateway.url());
    let response = http
        .post(&url)
        .header("x-custom", "value")
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .header("x-forwarded-for", "203.0.113.9")
        .body(r#"{"hello":"world"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-upstream"], "echo");
    let response_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let echo: Value = response.json().await.unwrap();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["path"], "/api/v1/things/a%20b/c");
    assert_eq!(echo["query"], "x=1&y=%2F&z=%C3%A9");
    assert_eq!(echo["body"], r#"{"hello":"world"}"#);
    let headers = &echo["headers"];
    assert_eq!(headers["x-custom"][0], "value");
    assert_eq!(headers["content-type"][0], "application/json");
    assert_eq!(headers["accept"][0], "application/json");
    // The upstream sees its own host, and where the request really came from.
    assert_eq!(headers["host"][0], upstream.addr.to_string());
    assert_eq!(headers["x-forwarded-for"][0], "203.0.113.9, 127.0.0.1");
    assert_eq!(headers["x-forwarded-proto"][0], "http");
    assert_eq!(
        headers["x-forwarded-host"][0],
        gateway.addr().to_string(),
        "{headers}"
    );
    // A request id was generated, sent upstream and returned to the client.
    assert_eq!(headers["x-request-id"].as_array().unwrap().len(), 1);
    assert_eq!(headers["x-request-id"][0], response_id.as_str());
    assert_eq!(response_id.len(), 36, "a UUID: {response_id}");

    for method in ["GET", "PUT", "PATCH", "DELETE", "OPTIONS"] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response = http
            .request(method.clone(), format!("{}/api/v1/x?m=1", gateway.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{method}");
        let echo: Value = response.json().await.unwrap();
        assert_eq!(echo["method"], method.as_str());
        assert_eq!(echo["path"], "/api/v1/x");
        // No body was sent, so none is forwarded (no chunked empty body).
        assert!(echo["headers"].get("transfer-encoding").is_none(), "{echo}");
    }

    // The registry's own health is an /api path like any other.
    let echo: Value = http
        .get(format!("{}/api/v1/health", gateway.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(echo["path"], "/api/v1/health");
    gateway.stop().await.unwrap();
    upstream.stop().await;
}

#[tokio::test]
async fn a_request_id_from_the_client_is_kept() {
    let upstream = Upstream::start().await;
    let gateway = gateway(config(&upstream.url())).await;
    let response = client()
        .get(format!("{}/api/v1/x", gateway.url()))
        .header("x-request-id", "client-chosen-id.42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "client-chosen-id.42");
    let echo: Value = response.json().await.unwrap();
    assert_eq!(echo["headers"]["x-request-id"][0], "client-chosen-id.42");

    // An id that could forge log lines is replaced, upstream too.
    let response = client()
        .get(format!("{}/api/v1/x", gateway.url()))
        .header("x-request-id", "has spaces \"and quotes\"")
        .send()
        .await
        .unwrap();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(id, "has spaces \"and quotes\"");
    let echo: Value = response.json().await.unwrap();
    assert_eq!(echo["headers"]["x-request-id"][0], id.as_str());
    gateway.stop().await.unwrap();
    upstream.stop().await;
}

#[tokio::test]
async fn hop_by_hop_headers_are_stripped_on_the_way_up() {
    let upstream = Upstream::start().await;
    let gateway = gateway(config(&upstream.url())).await;
    let echo: Value = client()
        .post(format!("{}/api/v1/x", gateway.url()))
        .header("connection", "keep-alive, x-private-hop")
        .header("x-private-hop", "secret")
        .header("keep-alive", "timeout=5")
        .header("te", "trailers")
        .header("trailer", "x-checksum")
        .header("proxy-authorization", "Basic Zm9vOmJhcg==")
        .header("proxy-foo", "bar")
        .header("x-end-to-end", "kept")
        .body("x")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let headers = echo["headers"].as_object().unwrap();
    for gone in [
        "x-private-hop",
        "keep-alive",
        "te",
        "trailer",
        "proxy-authorization",
        "proxy-foo",
    ] {
        assert!(
            !headers.contains_key(gone),
            "{gone} reached the upstream: {headers:?}"
        );
    }
    assert_eq!(headers["x-end-to-end"][0], "kept");
    gateway.stop().await.unwrap();
    upstream.stop().await;
}

#[tokio::test]
async fn hop_by_hop_headers_are_stripped_on_the_way_down() {
    let upstream = raw_upstream(
        "HTTP/1.1 200 OK\r\n\
         Connection: keep-alive, X-Upstream-Private\r\n\
         Keep-Alive: timeout=99\r\n\
         X-Upstream-Private: secret\r\n\
         Proxy-Authenticate: Basic realm=\"x\"\r\n\
         Trailer: X-Checksum\r\n\
         X-Kept: yes\r\n\
         Content-Type: text/plain\r\n\
         Content-Length: 5\r\n\
         \r\n\
         hello",
    );
    let gateway = gateway(config(&format!("http://{upstream}"))).await;
    let response = client()
        .get(format!("{}/api/v1/raw", gateway.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    for gone in [
        "x-upstream-private",
        "keep-alive",
        "proxy-authenticate",
        "trailer",
    ] {
        assert!(
            !headers.contains_key(gone),
            "{gone} reached the client: {headers:?}"
        );
    }
    assert_eq!(headers["x-kept"], "yes");
    assert_eq!(headers["content-type"], "text/plain");
    assert_eq!(headers["content-length"], "5");
    assert_eq!(response.text().await.unwrap(), "hello");
    gateway.stop().await.unwrap();
}

#[tokio::test]
async fn large_bodies_stream_both_ways() {
    let upstream = Upstream::start().await;
    let gateway = gateway(config(&upstream.url())).await;
    let http = client();

    // Download, without and with a length.
    for sized in [false, true] {
        let mut response = http
            .get(format!(
                "{}/api/v1/big?size={BIG}&sized={sized}",
                gateway.url()
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        if sized {
            assert_eq!(
                response.headers()["content-length"],
                BIG.to_string().as_str()
            );
        } else {
            assert_eq!(response.headers()["transfer-encoding"], "chunked");
        }
        let (mut len, mut hash) = (0u64, FNV_START);
        while let Some(chunk) = response.chunk().await.unwrap() {
            len += chunk.len() as u64;
            hash = fnv(hash, &chunk);
        }
        assert_eq!(len, BIG);
        assert_eq!(hash, pattern_fnv(BIG));
    }

    // HEAD keeps the length of the body it does not send.
    let response = http
        .head(format!("{}/api/v1/big?size=1234&sized=true", gateway.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-length"], "1234");
    assert!(response.bytes().await.unwrap().is_empty());

    // Upload: chunked (a stream of unknown length) and with a Content-Length.
    let data: Vec<u8> = (0..BIG).map(common::pattern).collect();
    let expected_fnv = fnv(FNV_START, &data);
    let chunks: Vec<Result<Bytes, std::io::Error>> = data
        .chunks(100_000)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let echo: Value = http
        .post(format!("{}/api/v1/upload", gateway.url()))
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(echo["len"], BIG);
    assert_eq!(echo["fnv"], expected_fnv);
    assert_eq!(echo["headers"]["transfer-encoding"][0], "chunked");

    let echo: Value = http
        .post(format!("{}/api/v1/upload", gateway.url()))
        .body(data)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(echo["len"], BIG);
    assert_eq!(echo["fnv"], expected_fnv);
    assert_eq!(
        echo["headers"]["content-length"][0],
        BIG.to_string().as_str()
    );
    assert!(
        echo["headers"].get("transfer-encoding").is_none(),
        "{}",
        echo["headers"]
    );
    gateway.stop().await.unwrap();
    upstream.stop().await;
}

#[tokio::test]
async fn bodies_are_not_buffered() {
    let upstream = Upstream::start().await;
    let gateway = gateway(config(&upstream.url())).await;
    let http = client();

    // Response: the first chunk reaches the client while the upstream still holds the second.
    let mut response = http
        .get(format!("{}/api/v1/gated-download", gateway.url()))
        .send()
        .await
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), response.chunk())
        .await
        .expect("the first chunk was held back")
        .unwrap()
        .unwrap();
    assert_eq!(first, "first;");
    upstream.state.release.notify_one();
    let mut rest = Vec::new();
    while let Some(chunk) = response.chunk().await.unwrap() {
        rest.extend_from_slice(&chunk);
    }
    assert_eq!(rest, b"second");

    // Request: the upstream gets the first chunk while the client still holds the second.
    let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel();
    *upstream.state.first_chunk.lock().unwrap() = Some(seen_tx);
    let (body_tx, body_rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let body = futures_util::stream::unfold(body_rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let request = http
        .post(format!("{}/api/v1/gated-upload", gateway.url()))
        .body(reqwest::Body::wrap_stream(body))
        .send();
    let pending = tokio::spawn(request);
    body_tx.send(Ok(Bytes::from("part-one;"))).await.unwrap();
    let seen = tokio::time::timeout(Duration::from_secs(5), seen_rx.recv())
        .await
        .expect("the first chunk of the request was held back")
        .unwrap();
    assert_eq!(seen, "part-one;");
    body_tx.send(Ok(Bytes::from("part-two"))).await.unwrap();
    drop(body_tx);
    let echo: Value = pending.await.unwrap().unwrap().json().await.unwrap();
    assert_eq!(echo["len"], "part-one;part-two".len());
    gateway.stop().await.unwrap();
    upstream.stop().await;
}

#[tokio::test]
async fn upstream_problems_and_redirects_pass_through() {
    let upstream = Upstream::start().await;
    let gateway = gateway(config(&upstream.url())).await;
    let response = client()
        .delete(format!("{}/api/v1/groups/7", gateway.url()))
        .header("x-request-id", "conflict-1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "type": "https://datamill.dev/problems/group-not-empty",
            "title": "Conflict",
            "status": 409,
            "detail": "the group has 3 dataset versions",
            "instance": "/api/v1/groups/7",
            "code": "GROUP_NOT_EMPTY",
            "errors": [{"field": "cascade", "message": "pass cascade=true"}],
            "request_id": "conflict-1",
        })
    );

    let response = client()
        .get(format!("{}/api/v1/redirect", gateway.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        302,
        "the gateway must not follow redirects"
    );
    assert_eq!(response.headers()["location"], "/api/v1/elsewhere");
    gateway.stop().await.unwrap();
    upstream.stop().await;
}

#[tokio::test]
async fn a_closed_upstream_port_is_a_502() {
    let dead = dead_addr();
    let gateway = gateway(config(&format!("http://{dead}"))).await;
    let response = client()
        .get(format!("{}/api/v1/datasets?page=2", gateway.url()))
        .send()
        .await
        .unwrap();
    let body = problem(response, 502, "UPSTREAM_UNAVAILABLE").await;
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("http://{dead}")), "{detail}");
    assert!(detail.to_lowercase().contains("connect"), "{detail}");
    assert_eq!(body["instance"], "/api/v1/datasets");
    gateway.stop().await.unwrap();
}

#[tokio::test]
async fn a_slow_upstream_is_a_504() {
    let upstream = Upstream::start().await;
    let mut config = config(&upstream.url());
    config.upstream_timeout = Duration::from_millis(500);
    let gateway = gateway(config).await;
    let started = Instant::now();
    let response = client()
        .get(format!("{}/api/v1/slow", gateway.url()))
        .send()
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let body = problem(response, 504, "UPSTREAM_TIMEOUT").await;
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains(&upstream.url()), "{detail}");
    assert!(detail.contains("0.5 s"), "{detail}");
    gateway.stop().await.unwrap();
    upstream.stop().await;
}

// ---------------------------------------------------------------------------------------------
// /health

#[tokio::test]
async fn health_aggregates_the_registry() {
    let upstream = Upstream::start().await;
    let gateway = gateway(config(&upstream.url())).await;
    let http = client();
    let health = format!("{}/health", gateway.url());

    let response = http.get(&health).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["service"], "api-gateway");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    let registry = &body["components"]["registry"];
    assert_eq!(registry["status"], "ok");
    assert_eq!(registry["http_status"], 200);
    assert_eq!(registry["body"]["service"], "dataset-registry");
    assert!(registry["latency_ms"].is_u64());

    upstream.state.health_status.store(503, Ordering::SeqCst);
    let response = http.get(&health).send().await.unwrap();
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "degraded");
    let registry = &body["components"]["registry"];
    assert_eq!(registry["status"], "degraded");
    assert_eq!(registry["http_status"], 503);
    assert_eq!(registry["body"]["status"], "degraded");
    assert!(registry["detail"].as_str().unwrap().contains("503"));
    gateway.stop().await.unwrap();
    upstream.stop().await;
}

#[tokio::test]
async fn health_reports_an_unreachable_registry() {
    let dead = dead_addr();
    let gateway = gateway(config(&format!("http://{dead}"))).await;
    let response = client()
        .get(format!("{}/health", gateway.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "degraded");
    let registry = &body["components"]["registry"];
    assert_eq!(registry["status"], "down");
    assert!(registry.get("http_status").is_none());
    let detail = registry["detail"].as_str().unwrap();
    assert!(detail.contains(&dead.to_string()), "{detail}");
    gateway.stop().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// OpenAPI document and Swagger UI

#[tokio::test]
async fn the_openapi_document_is_the_checked_in_file() {
    let gateway = gateway(config(&format!("http://{}", dead_addr()))).await;
    let response = client()
        .get(format!("{}/api/openapi.json", gateway.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let served = response.text().await.unwrap();
    let checked_in = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../proto-schemas/openapi.json"
    ))
    .unwrap();
    assert_eq!(served, checked_in);
    gateway.stop().await.unwrap();
}

#[tokio::test]
async fn swagger_ui_is_served_offline() {
    let gateway = gateway(config(&format!("http://{}", dead_addr()))).await;
    let http = client();
    let response = http
        .get(format!("{}/api/docs", gateway.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 308);
    assert_eq!(response.headers()["location"], "/api/docs/");

    let response = http
        .get(format!("{}/api/docs/", gateway.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    // Every script is local: the page works without internet.
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );
    assert!(html.contains("./swagger-ui-bundle.js"), "{html}");

    let response = http
        .get(format!("{}/api/docs/swagger-ui-bundle.js", gateway.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert!(response.bytes().await.unwrap().len() > 100_000);

    let initializer = http
        .get(format!("{}/api/docs/swagger-initializer.js", gateway.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(initializer.contains("/api/openapi.json"), "{initializer}");
    gateway.stop().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// /static

/// A NAS base with a file, a directory, and a symbolic link to a directory outside the base.
struct Nas {
    base: tempfile::TempDir,
    _outside: tempfile::TempDir,
    jpeg: Vec<u8>,
}

fn nas() -> Nas {
    let base = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "top secret").unwrap();
    let images = base.path().join("source/people/train/v1.0.0/images");
    std::fs::create_dir_all(&images).unwrap();
    let jpeg: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    std::fs::write(images.join("0001.jpg"), &jpeg).unwrap();
    std::fs::write(base.path().join("notes.txt"), "notes").unwrap();
    std::os::unix::fs::symlink(outside.path(), base.path().join("escape")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        base.path().join("secret-link.txt"),
    )
    .unwrap();
    Nas {
        base,
        _outside: outside,
        jpeg,
    }
}

#[tokio::test]
async fn static_serves_nas_files_with_type_and_ranges() {
    let nas = nas();
    let mut config = config(&format!("http://{}", dead_addr()));
    config.static_base = Some(nas.base.path().to_path_buf());
    let gateway = gateway(config).await;
    let http = client();
    let url = format!(
        "{}/static/source/people/train/v1.0.0/images/0001.jpg",
        gateway.url()
    );

    let response = http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(response.headers()["accept-ranges"], "bytes");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(response.headers().contains_key("x-request-id"));
    let etag = response.headers()["etag"].clone();
    assert_eq!(response.bytes().await.unwrap(), nas.jpeg);

    let response = http
        .get(&url)
        .header("range", "bytes=10-19")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 206);
    assert_eq!(response.headers()["content-range"], "bytes 10-19/4096");
    assert_eq!(response.bytes().await.unwrap(), nas.jpeg[10..20]);

    let response = http
        .get(&url)
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 304);

    let response = http.head(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-length"], "4096");

    let response = http
        .get(format!("{}/static/notes.txt", gateway.url()))
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );

    let response = http.put(&url).body("x").send().await.unwrap();
    let response_allow = response.headers()["allow"].clone();
    problem(response, 405, "METHOD_NOT_ALLOWED").await;
    assert_eq!(response_allow, "GET, HEAD");

    let response = http
        .get(format!("{}/static/nothing/here.jpg", gateway.url()))
        .send()
        .await
        .unwrap();
    problem(response, 404, "FILE_NOT_FOUND").await;
    gateway.stop().await.unwrap();
}

#[tokio::test]
async fn static_refuses_paths_leaving_the_base_and_directories() {
    let nas = nas();
    let mut config = config(&format!("http://{}", dead_addr()));
    config.static_base = Some(nas.base.path().to_path_buf());
    let gateway = gateway(config).await;
    let addr = gateway.addr();
    for (target, status, code) in [
        ("/static/../etc/passwd", 400, "INVALID_PATH"),
        ("/static/source/../../etc/passwd", 400, "INVALID_PATH"),
        ("/static/%2e%2e/etc/passwd", 400, "INVALID_PATH"),
        ("/static/%2E%2E%2Fetc%2Fpasswd", 400, "INVALID_PATH"),
        (
            "/static/source/%2e%2e/%2e%2e/etc/passwd",
            400,
            "INVALID_PATH",
        ),
        ("/static/%252e%252e/etc/passwd", 400, "INVALID_PATH"),
        ("/static//etc/passwd", 400, "INVALID_PATH"),
        ("/static/notes.txt%00.jpg", 400, "INVALID_PATH"),
        ("/static/notes.txt%zz", 400, "INVALID_PATH"),
        ("/static/escape/secret.txt", 403, "PATH_FORBIDDEN"),
        ("/static/secret-link.txt", 403, "PATH_FORBIDDEN"),
        ("/static/source/people", 403, "IS_A_DIRECTORY"),
        ("/static/source/people/", 403, "IS_A_DIRECTORY"),
        ("/static/", 403, "IS_A_DIRECTORY"),
        ("/static", 403, "IS_A_DIRECTORY"),
        ("/static/notes.txt/child", 404, "FILE_NOT_FOUND"),
    ] {
        let response = raw_request(addr, "GET", target).await;
        let body = raw_problem(&response, status, code);
        let detail = body["detail"].as_str().unwrap();
        assert!(!detail.contains("top secret"), "{target}: {detail}");
        assert!(
            !detail.contains(nas.base.path().to_str().unwrap()),
            "{target}: the NAS path leaked: {detail}"
        );
        assert!(!response.body.contains("top secret"), "{target}");
    }
    gateway.stop().await.unwrap();
}

#[tokio::test]
async fn static_is_off_unless_enabled() {
    let gateway = gateway(config(&format!("http://{}", dead_addr()))).await;
    let response = client()
        .get(format!("{}/static/source/x", gateway.url()))
        .send()
        .await
        .unwrap();
    problem(response, 404, "STATIC_FILES_DISABLED").await;
    gateway.stop().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// GUI and unknown routes

fn built_gui() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>Datamill GUI</title><script src=\"/assets/app.js\"></script>",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("assets")).unwrap();
    std::fs::write(dir.path().join("assets/app.js"), "console.log('datamill');").unwrap();
    dir
}

#[tokio::test]
async fn the_gui_is_served_with_a_single_page_fallback() {
    let gui = built_gui();
    let dead = dead_addr();
    let mut config = config(&format!("http://{dead}"));
    config.gui_dir = Some(gui.path().to_path_buf());
    let gateway = gateway(config).await;
    let http = client();

    for path in [
        "/",
        "/datasets",
        "/datasets/42/lineage",
        "/settings/manipulators",
    ] {
        let response = http
            .get(format!("{}{path}", gateway.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        assert!(
            response.text().await.unwrap().contains("Datamill GUI"),
            "{path}"
        );
    }

    let response = http
        .get(format!("{}/assets/app.js", gateway.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );

    for path in ["/assets/missing.js", "/favicon.ico"] {
        let response = http
            .get(format!("{}{path}", gateway.url()))
            .send()
            .await
            .unwrap();
        problem(response, 404, "ROUTE_NOT_FOUND").await;
    }

    // An unknown API path goes to the registry (down here), never to the GUI.
    let response = http
        .get(format!("{}/api/v1/unknown", gateway.url()))
        .send()
        .await
        .unwrap();
    problem(response, 502, "UPSTREAM_UNAVAILABLE").await;

    // The GUI answers GET and HEAD only.
    let response = http
        .post(format!("{}/datasets", gateway.url()))
        .send()
        .await
        .unwrap();
    problem(response, 404, "ROUTE_NOT_FOUND").await;
    gateway.stop().await.unwrap();
}

#[tokio::test]
async fn without_a_gui_the_root_says_so_and_unknown_routes_are_404() {
    let gateway = gateway(config(&format!("http://{}", dead_addr()))).await;
    let http = client();
    let response = http
        .get(format!("{}/", gateway.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("not built"), "{html}");
    assert!(html.contains("href=\"/api/docs/\""), "{html}");

    for (method, path) in [
        (reqwest::Method::GET, "/datasets/42"),
        (reqwest::Method::POST, "/nothing"),
        (reqwest::Method::GET, "/healthz"),
    ] {
        let response = http
            .request(method, format!("{}{path}", gateway.url()))
            .send()
            .await
            .unwrap();
        let body = problem(response, 404, "ROUTE_NOT_FOUND").await;
        assert_eq!(body["instance"], path);
    }
    gateway.stop().await.unwrap();
}
