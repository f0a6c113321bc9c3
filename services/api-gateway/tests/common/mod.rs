//! A fake dataset-registry, raw HTTP helpers and a gateway started in-process.

// Each test binary uses a different part; and this is test support, where a failed step should
// stop the test at once (clippy's test allowance only covers `#[test]` functions).
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::unused_async)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use bytes::Bytes;
use datamill_gateway::{GatewayConfig, RunningGateway};
use futures_util::StreamExt;
use serde_json::{Value, json};

/// The deterministic byte at offset `i` of a generated body.
pub fn pattern(i: u64) -> u8 {
    ((i * 31 + 7) % 251) as u8
}

/// FNV-1a over `data`, continuing from `hash`.
pub fn fnv(mut hash: u64, data: &[u8]) -> u64 {
    for byte in data {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

pub const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// The checksum of the first `len` bytes of [`pattern`].
pub fn pattern_fnv(len: u64) -> u64 {
    let bytes: Vec<u8> = (0..len).map(pattern).collect();
    fnv(FNV_START, &bytes)
}

/// Shared state of the fake registry, driven by the tests.
#[derive(Debug, Default)]
pub struct UpstreamState {
    /// The status `/health` answers with.
    pub health_status: AtomicU16,
    /// Receives the first chunk of a `/api/v1/gated-upload` body as soon as it arrives.
    pub first_chunk: Mutex<Option<tokio::sync::mpsc::UnboundedSender<Bytes>>>,
    /// Lets `/api/v1/gated-download` send its second chunk.
    pub release: tokio::sync::Notify,
}

fn headers_of(req: &HttpRequest) -> BTreeMap<String, Vec<String>> {
    let mut headers = BTreeMap::<String, Vec<String>>::new();
    for (name, value) in req.headers() {
        headers
            .entry(name.as_str().to_owned())
            .or_default()
            .push(value.to_str().unwrap_or("<binary>").to_owned());
    }
    headers
}

async fn echo(req: HttpRequest, mut payload: web::Payload) -> HttpResponse {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        body.extend_from_slice(&chunk.unwrap());
    }
    HttpResponse::Ok()
        .insert_header(("x-upstream", "echo"))
        .json(json!({
            "method": req.method().as_str(),
            "path": req.uri().path(),
            "query": req.query_string(),
            "headers": headers_of(&req),
            "body": String::from_utf8_lossy(&body),
        }))
}

async fn upload(req: HttpRequest, mut payload: web::Payload) -> HttpResponse {
    let (mut len, mut hash) = (0u64, FNV_START);
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.unwrap();
        len += chunk.len() as u64;
        hash = fnv(hash, &chunk);
    }
    HttpResponse::Ok().json(json!({"len": len, "fnv": hash, "headers": headers_of(&req)}))
}

async fn gated_upload(mut payload: web::Payload, state: web::Data<UpstreamState>) -> HttpResponse {
    let mut len = 0u64;
    let mut first = true;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.unwrap();
        len += chunk.len() as u64;
        if first {
            first = false;
            if let Some(tx) = state.first_chunk.lock().unwrap().take() {
                tx.send(chunk).unwrap();
            }
        }
    }
    HttpResponse::Ok().json(json!({"len": len}))
}

fn big_stream(size: u64) -> impl futures_util::Stream<Item = Result<Bytes, actix_web::Error>> {
    const CHUNK: u64 = 64 * 1024;
    futures_util::stream::unfold(0u64, move |offset| async move {
        if offset >= size {
            return None;
        }
        let end = (offset + CHUNK).min(size);
        let chunk: Vec<u8> = (offset..end).map(pattern).collect();
        Some((Ok(Bytes::from(chunk)), end))
    })
}

#[derive(serde::Deserialize)]
struct BigQuery {
    size: u64,
    #[serde(default)]
    sized: bool,
}

async fn big(query: web::Query<BigQuery>) -> HttpResponse {
    let body = big_stream(query.size);
    if query.sized {
        HttpResponse::Ok()
            .content_type("application/octet-stream")
            .body(actix_web::body::SizedStream::new(query.size, body))
    } else {
        HttpResponse::Ok()
            .content_type("application/octet-stream")
            .streaming(body)
    }
}

async fn gated_download(state: web::Data<UpstreamState>) -> HttpResponse {
    let first =
        futures_util::stream::once(async { Ok::<_, actix_web::Error>(Bytes::from("first;")) });
    let second = futures_util::stream::once(async move {
        state.release.notified().await;
        Ok::<_, actix_web::Error>(Bytes::from("second"))
    });
    HttpResponse::Ok().streaming(first.chain(second))
}

async fn slow() -> HttpResponse {
    tokio::time::sleep(Duration::from_secs(3)).await;
    HttpResponse::Ok().body("late")
}

async fn conflict(req: HttpRequest) -> HttpResponse {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("missing")
        .to_owned();
    HttpResponse::Conflict()
        .content_type("application/problem+json")
        .json(json!({
            "type": "https://datamill.dev/problems/group-not-empty",
            "title": "Conflict",
            "status": 409,
            "detail": "the group has 3 dataset versions",
            "instance": "/api/v1/groups/7",
            "code": "GROUP_NOT_EMPTY",
            "errors": [{"field": "cascade", "message": "pass cascade=true"}],
            "request_id": id,
        }))
}

async fn redirect() -> HttpResponse {
    HttpResponse::Found()
        .insert_header(("location", "/api/v1/elsewhere"))
        .finish()
}

async fn health(state: web::Data<UpstreamState>) -> HttpResponse {
    let status = state.health_status.load(Ordering::SeqCst);
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
        .json(json!({"status": if status == 200 { "ok" } else { "degraded" }, "service": "dataset-registry"}))
}

/// A running fake registry.
pub struct Upstream {
    pub addr: SocketAddr,
    pub state: web::Data<UpstreamState>,
    handle: actix_web::dev::ServerHandle,
}

impl Upstream {
    pub async fn start() -> Self {
        let state = web::Data::new(UpstreamState::default());
        state.health_status.store(200, Ordering::SeqCst);
        let shared = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .route("/health", web::get().to(health))
                .route("/api/v1/upload", web::post().to(upload))
                .route("/api/v1/gated-upload", web::post().to(gated_upload))
                .route("/api/v1/big", web::get().to(big))
                .route("/api/v1/big", web::head().to(big))
                .route("/api/v1/gated-download", web::get().to(gated_download))
                .route("/api/v1/slow", web::get().to(slow))
                .route("/api/v1/groups/7", web::delete().to(conflict))
                .route("/api/v1/redirect", web::get().to(redirect))
                .default_service(web::to(echo))
        })
        .workers(2)
        .disable_signals()
        .bind("127.0.0.1:0")
        .unwrap();
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            addr,
            state,
            handle,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn stop(self) {
        self.handle.stop(false).await;
    }
}

/// An address nothing listens on: bound, then released.
pub fn dead_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// An upstream that answers exactly one request with `response` (raw bytes), for headers actix
/// would refuse to write itself (`Connection` tokens).
pub fn raw_upstream(response: &'static str) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                return;
            }
            request.extend_from_slice(&buf[..n]);
        }
        stream.write_all(response.as_bytes()).unwrap();
        stream.flush().unwrap();
    });
    addr
}

/// A response read off a raw socket.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl RawResponse {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Sends `GET target` as written, bypassing the URL normalisation every HTTP client does
/// (reqwest turns `/static/%2e%2e/x` into `/x` before sending).
pub async fn raw_request(addr: SocketAddr, method: &str, target: &str) -> RawResponse {
    let request =
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let text = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split_whitespace().nth(1).unwrap();
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        RawResponse {
            status: status.parse().unwrap(),
            headers,
            body: body.to_owned(),
        }
    })
    .await
    .unwrap()
}

/// A test client: no redirects followed, no proxies.
pub fn client() -> reqwest::Client {
    datamill_gateway::install_crypto_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}

pub fn config(upstream: &str) -> GatewayConfig {
    GatewayConfig::new(upstream.parse().unwrap())
}

pub async fn gateway(config: GatewayConfig) -> RunningGateway {
    datamill_gateway::start(config).await.unwrap()
}

/// Asserts a problem document and returns it.
pub async fn problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let header_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["request_id"], header_id.as_str(), "{body}");
    body
}

/// Asserts a problem document read off a raw socket.
pub fn raw_problem(response: &RawResponse, status: u16, code: &str) -> Value {
    assert_eq!(response.status, status, "{response:?}");
    assert_eq!(
        response.headers.get("content-type").map(String::as_str),
        Some("application/problem+json"),
        "{response:?}"
    );
    let body = response.json();
    assert_eq!(body["code"], code, "{body}");
    body
}
