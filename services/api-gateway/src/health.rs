//! `GET /health`: the gateway's own status and the registry's.

use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use datamill_platform::http::{REQUEST_ID, RequestId};
use serde::Serialize;
use serde_json::Value;

use crate::Gateway;
use crate::proxy;

/// One dependency's state as `/health` reports it.
#[derive(Debug, Serialize)]
pub(crate) struct Component {
    /// `ok`, `degraded` (it answered but is not healthy) or `down` (no answer).
    pub status: &'static str,
    pub url: String,
    pub latency_ms: u64,
    /// The HTTP status it answered with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Its own health document, when it answered with JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// Why it is not ok.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    service: &'static str,
    version: &'static str,
    components: Components,
}

#[derive(Debug, Serialize)]
struct Components {
    registry: Component,
}

async fn registry(gateway: &Gateway, request_id: &str) -> Component {
    let url = gateway.registry.join("/health");
    let started = Instant::now();
    let mut request = gateway.client.get(&url).timeout(gateway.health_timeout);
    if !request_id.is_empty() {
        request = request.header(REQUEST_ID.as_str(), request_id);
    }
    let outcome = match request.send().await {
        Ok(response) => {
            let status = response.status();
            // A body that does not arrive in time counts as no answer, like a hung connection.
            response.bytes().await.map(|body| (status, body))
        }
        Err(error) => Err(error),
    };
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match outcome {
        Ok((status, body)) => {
            let ok = status.is_success();
            Component {
                status: if ok { "ok" } else { "degraded" },
                url,
                latency_ms,
                http_status: Some(status.as_u16()),
                body: serde_json::from_slice(&body).ok(),
                detail: (!ok).then(|| format!("the registry's /health answered {status}")),
            }
        }
        Err(error) => {
            let problem = if error.is_timeout() && !error.is_connect() {
                proxy::timed_out(gateway.registry.as_str(), gateway.health_timeout)
            } else {
                proxy::unavailable(gateway.registry.as_str(), &error)
            };
            Component {
                status: "down",
                url,
                latency_ms,
                http_status: None,
                body: None,
                detail: problem.detail,
            }
        }
    }
}

pub(crate) async fn health(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    let registry = registry(&gateway, &RequestId::of(&req)).await;
    let ok = registry.status == "ok";
    let health = Health {
        status: if ok { "ok" } else { "degraded" },
        service: "api-gateway",
        version: env!("CARGO_PKG_VERSION"),
        components: Components { registry },
    };
    HttpResponse::build(if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    })
    // A cached "ok" would hide an outage from the next probe.
    .insert_header((CACHE_CONTROL, HeaderValue::from_static("no-store")))
    .json(health)
}
