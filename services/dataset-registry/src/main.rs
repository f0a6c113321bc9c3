//! `dataset-registry`: serve (default), `healthcheck` (for container health checks) or
//! `openapi` (print the OpenAPI document).

use std::process::ExitCode;

use datamill_platform::config::Env;
use datamill_registry::RegistryConfig;

#[tokio::main]
async fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => serve().await,
        Some("healthcheck") => healthcheck().await,
        Some("openapi") => match serde_json::to_string_pretty(&datamill_registry::openapi()) {
            Ok(text) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        Some(other) => {
            eprintln!("unknown command {other:?}; use serve, healthcheck or openapi");
            ExitCode::from(2)
        }
    }
}

async fn serve() -> ExitCode {
    let config = match RegistryConfig::from_env(Env::from_process()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("dataset-registry cannot start: {error}");
            return ExitCode::from(2);
        }
    };
    datamill_platform::telemetry::init(&config.log);
    match datamill_registry::start(config).await {
        Ok(running) => match running.wait().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!(%error, "server failed");
                ExitCode::FAILURE
            }
        },
        Err(error) => {
            tracing::error!("dataset-registry cannot start: {error:#}");
            eprintln!("dataset-registry cannot start: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// GET /health on the local port; exit 0 when it answers 200.
async fn healthcheck() -> ExitCode {
    let addr =
        std::env::var("HTTP_ADDR").unwrap_or_else(|_| RegistryConfig::DEFAULT_ADDR.to_owned());
    let port = addr.rsplit(':').next().unwrap_or("8081").to_owned();
    let ok = tokio::task::spawn_blocking(move || {
        datamill_platform::http_get_status(&format!("127.0.0.1:{port}"), "/health")
    })
    .await
    .ok()
    .flatten()
        == Some(200);
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
