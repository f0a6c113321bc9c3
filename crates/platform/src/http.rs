//! Request context: a request id on every request, response and log line, and problem documents
//! completed with it.

use std::time::Instant;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse};
use tracing::Instrument;

use crate::problem::{PROBLEM_JSON, Problem};

/// The header carrying the request id, in both directions.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request (in the request's extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

impl RequestId {
    /// The id of `req`, or an empty string outside the middleware.
    #[must_use]
    pub fn of(req: &HttpRequest) -> String {
        req.extensions()
            .get::<Self>()
            .map(|id| id.0.clone())
            .unwrap_or_default()
    }
}

/// An incoming id is kept when it is short, printable ASCII (so it cannot forge log lines or
/// headers); anything else is replaced by a new UUID.
fn accepted_id(value: Option<&HeaderValue>) -> Option<String> {
    let text = value?.to_str().ok()?;
    let valid = !text.is_empty()
        && text.len() <= 128
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    valid.then(|| text.to_owned())
}

/// Middleware (`actix_web::middleware::from_fn(request_context)`): assigns the request id, runs
/// the request inside a span that carries it, logs one line per request, echoes the id in the
/// response and writes it (and the path) into problem documents.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, Error> {
    let id = accepted_id(req.headers().get(&REQUEST_ID))
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let path = req.path().to_owned();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    let started = Instant::now();
    let outcome = next.call(req).instrument(span.clone()).await;
    let mut response = match outcome {
        Ok(response) => response.map_into_boxed_body(),
        Err(error) => {
            // An error that escaped the handlers still becomes a response with our id.
            return Err(error);
        }
    };
    let status = response.status();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), elapsed_ms, "request failed");
        } else {
            tracing::info!(status = status.as_u16(), elapsed_ms, "request");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    if !is_problem || status.is_success() {
        return Ok(response.map_into_left_body());
    }
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body).await.unwrap_or_default();
    // Edited as a JSON object, not as `Problem`, so that members this crate does not know
    // (an upstream's extensions) pass through untouched.
    let completed =
        match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes) {
            Ok(mut problem) => {
                problem
                    .entry("request_id")
                    .or_insert_with(|| serde_json::Value::String(id));
                problem
                    .entry("instance")
                    .or_insert_with(|| serde_json::Value::String(path));
                serde_json::to_vec(&problem).unwrap_or_else(|_| bytes.to_vec())
            }
            Err(_) => bytes.to_vec(),
        };
    let response = head.set_body(completed).map_into_boxed_body();
    Ok(ServiceResponse::new(request, response).map_into_right_body())
}

/// The answer for a route that does not exist (`App::default_service`).
#[allow(clippy::unused_async)] // actix handlers are async by contract
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    Problem::new(
        StatusCode::NOT_FOUND,
        "ROUTE_NOT_FOUND",
        format!("no route for {} {}", req.method(), req.path()),
    )
    .to_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_request_ids_are_kept() {
        let ok = HeaderValue::from_static("abc-123_x.y:z");
        assert_eq!(accepted_id(Some(&ok)).as_deref(), Some("abc-123_x.y:z"));
        for bad in ["", "has space", "quote\"", &"x".repeat(129)] {
            let value = HeaderValue::from_str(bad).unwrap();
            assert_eq!(accepted_id(Some(&value)), None, "{bad:?}");
        }
        assert_eq!(accepted_id(None), None);
    }
}
