//! `/api/*`: a streaming reverse proxy to the dataset-registry.

use std::time::Duration;

use actix_web::body::{BodyStream, SizedStream};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use bytes::Bytes;
use datamill_platform::Problem;
use datamill_platform::http::RequestId;
use futures_util::{StreamExt, TryStreamExt};

use crate::Gateway;

/// How many request-body chunks may wait between the client and the upstream: enough to keep
/// both sockets busy, small enough that a slow upstream slows the client down.
const BODY_CHANNEL_CHUNKS: usize = 8;

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1).
fn is_hop_by_hop(name: &str) -> bool {
    matches!(
        name,
        "connection" | "keep-alive" | "transfer-encoding" | "te" | "trailer" | "upgrade"
    ) || name.starts_with("proxy-")
}

/// The end-to-end headers of a message, as (lower-case name, value) pairs, without those in
/// `also_skip`. actix and reqwest use different versions of the `http` crate, so headers cross
/// between them as names and bytes.
fn end_to_end<'a>(
    headers: impl Iterator<Item = (&'a str, &'a [u8])>,
    also_skip: &[&str],
) -> Vec<(&'a str, &'a [u8])> {
    let headers: Vec<_> = headers.collect();
    // The names a `Connection` header lists are hop-by-hop for this message too.
    let listed: Vec<String> = headers
        .iter()
        .filter(|(name, _)| *name == "connection")
        .filter_map(|(_, value)| std::str::from_utf8(value).ok())
        .flat_map(|value| value.split(','))
        .map(|token| token.trim().to_ascii_lowercase())
        .filter(|token| !token.is_empty())
        .collect();
    headers
        .into_iter()
        .filter(|(name, _)| {
            !is_hop_by_hop(name)
                && !also_skip.contains(name)
                && !listed.iter().any(|token| token == name)
        })
        .collect()
}

fn upstream_headers(req: &HttpRequest) -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    // Host is the upstream's own; actix already answered any `Expect: 100-continue`; the
    // forwarding headers and the request id are set below.
    let skip = [
        "host",
        "expect",
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-forwarded-host",
        "x-request-id",
    ];
    let incoming = req
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()));
    for (name, value) in end_to_end(incoming, &skip) {
        if let (Ok(name), Ok(value)) = (
            reqwest::header::HeaderName::from_bytes(name.as_bytes()),
            reqwest::header::HeaderValue::from_bytes(value),
        ) {
            headers.append(name, value);
        }
    }
    // nginx in front already appended the browser's address; keep that chain and add the hop
    // we saw, which is the only entry the gateway can vouch for.
    let previous = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .collect::<Vec<_>>()
        .join(", ");
    let peer = req
        .peer_addr()
        .map(|addr| addr.ip().to_string())
        .unwrap_or_default();
    let chain = match (previous.is_empty(), peer.is_empty()) {
        (true, _) => peer,
        (false, true) => previous,
        (false, false) => format!("{previous}, {peer}"),
    };
    let info = req.connection_info().clone();
    let request_id = RequestId::of(req);
    // `connection_info` already prefers the proto and host that a proxy in front reported.
    for (name, value) in [
        ("x-forwarded-for", chain.as_str()),
        ("x-forwarded-proto", info.scheme()),
        ("x-forwarded-host", info.host()),
        ("x-request-id", request_id.as_str()),
    ] {
        if value.is_empty() {
            continue;
        }
        if let Ok(value) = reqwest::header::HeaderValue::from_str(value) {
            headers.insert(reqwest::header::HeaderName::from_static(name), value);
        }
    }
    headers
}

/// The Content-Length header's value (reqwest's `content_length` is the size of the body it has
/// seen, which is 0 for a HEAD answer).
fn content_length(value: Option<&[u8]>) -> Option<u64> {
    std::str::from_utf8(value?).ok()?.trim().parse().ok()
}

/// Whether the client sends a body. HTTP/1.1 says so in the headers; an HTTP/2 client may send
/// one without a length, so there the body is streamed whenever no length rules it out.
fn has_body(req: &HttpRequest) -> bool {
    let headers = req.headers();
    let length = content_length(
        headers
            .get(header::CONTENT_LENGTH)
            .map(HeaderValue::as_bytes),
    );
    match length {
        Some(length) => length > 0,
        None => {
            headers.contains_key(header::TRANSFER_ENCODING)
                || req.version() >= actix_web::http::Version::HTTP_2
        }
    }
}

/// actix's `Payload` is tied to its worker thread while reqwest wants a `Send` body: a local
/// task pumps the payload into a bounded channel whose receiver is the body.
fn streamed_body(mut payload: web::Payload) -> reqwest::Body {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(BODY_CHANNEL_CHUNKS);
    actix_web::rt::spawn(async move {
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|error| std::io::Error::other(error.to_string()));
            let failed = chunk.is_err();
            if tx.send(chunk).await.is_err() || failed {
                // The upstream request is gone, or the client's body broke; either way the
                // rest of the payload has nowhere to go.
                break;
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    reqwest::Body::wrap_stream(stream)
}

/// Why a request to the registry failed, for the person reading the problem document.
fn cause(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

pub(crate) fn unavailable(upstream: &str, error: &reqwest::Error) -> Problem {
    Problem::new(
        StatusCode::BAD_GATEWAY,
        "UPSTREAM_UNAVAILABLE",
        format!(
            "the dataset-registry at {upstream} could not be reached: {}",
            cause(error)
        ),
    )
}

fn unavailable_status(upstream: &str, status: u16) -> Problem {
    Problem::new(
        StatusCode::BAD_GATEWAY,
        "UPSTREAM_UNAVAILABLE",
        format!("the dataset-registry at {upstream} answered with an invalid status {status}"),
    )
}

pub(crate) fn timed_out(upstream: &str, timeout: Duration) -> Problem {
    Problem::new(
        StatusCode::GATEWAY_TIMEOUT,
        "UPSTREAM_TIMEOUT",
        format!(
            "the dataset-registry at {upstream} did not answer within {:.1} s",
            timeout.as_secs_f64()
        ),
    )
}

/// Forwards the request to the registry and streams its answer back.
pub(crate) async fn forward(
    req: HttpRequest,
    payload: web::Payload,
    gateway: web::Data<Gateway>,
) -> Result<HttpResponse, Problem> {
    let path_and_query = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |pq| pq.as_str().to_owned());
    let url = gateway.registry.join(&path_and_query);
    let method = reqwest::Method::from_bytes(req.method().as_str().as_bytes()).map_err(|_| {
        Problem::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            format!("the method {} cannot be forwarded", req.method()),
        )
    })?;
    let mut request = gateway
        .client
        .request(method, &url)
        .headers(upstream_headers(&req));
    if has_body(&req) {
        request = request.body(streamed_body(payload));
    }
    let upstream = gateway.registry.as_str();
    let timeout = gateway.upstream_timeout;
    let response = match tokio::time::timeout(timeout, request.send()).await {
        Err(_) => return Err(timed_out(upstream, timeout)),
        Ok(Err(error)) if error.is_timeout() && !error.is_connect() => {
            return Err(timed_out(upstream, timeout));
        }
        Ok(Err(error)) => return Err(unavailable(upstream, &error)),
        Ok(Ok(response)) => response,
    };

    let status = StatusCode::from_u16(response.status().as_u16())
        .map_err(|_| unavailable_status(upstream, response.status().as_u16()))?;
    let mut builder = HttpResponse::build(status);
    let outgoing = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()));
    // actix writes Content-Length itself from the sized body below.
    for (name, value) in end_to_end(outgoing, &["content-length"]) {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value),
        ) {
            builder.append_header((name, value));
        }
    }
    let response_length = content_length(
        response
            .headers()
            .get(reqwest::header::CONTENT_LENGTH)
            .map(reqwest::header::HeaderValue::as_bytes),
    );
    let url_for_log = url.clone();
    let body = response.bytes_stream().map_err(move |error| {
        // The status line is already on its way to the client; all that is left is to cut the
        // connection so the client sees a truncated body instead of a complete-looking one.
        tracing::warn!(upstream = %url_for_log, error = %cause(&error), "upstream body broke off");
        std::io::Error::other(error)
    });
    // A HEAD answer's body is empty while its Content-Length describes the GET body: the sized
    // stream keeps the length and actix sends no body for HEAD.
    Ok(match response_length {
        Some(length) => builder.body(SizedStream::new(length, body)),
        None => builder.body(BodyStream::new(body)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_named_by_connection_are_dropped_too() {
        let headers = [
            ("connection", b"keep-alive, X-Secret".as_slice()),
            ("x-secret", b"1".as_slice()),
            ("proxy-authorization", b"Basic x".as_slice()),
            ("keep-alive", b"timeout=5".as_slice()),
            ("accept", b"*/*".as_slice()),
            ("host", b"example".as_slice()),
        ];
        let kept: Vec<_> = end_to_end(headers.iter().copied(), &["host"])
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(kept, ["accept"]);
    }

    #[test]
    fn content_length_parses_only_numbers() {
        assert_eq!(content_length(Some(b" 42 ")), Some(42));
        assert_eq!(content_length(Some(b"x")), None);
        assert_eq!(content_length(None), None);
    }
}
