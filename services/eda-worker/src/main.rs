//! `eda-worker`: runs EDA jobs from the `eda` queue until SIGTERM/Ctrl-C, then finishes the
//! running one and exits. `eda-worker healthcheck` exits 0 when the database answers.

use std::process::ExitCode;

use datamill_eda_worker::EdaWorkerConfig;
use datamill_platform::config::Env;

#[tokio::main]
async fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => serve().await,
        Some("healthcheck") => datamill_queue::worker::healthcheck_command().await,
        Some(other) => {
            eprintln!("unknown command {other:?}; use serve or healthcheck");
            ExitCode::from(2)
        }
    }
}

async fn serve() -> ExitCode {
    let config = match EdaWorkerConfig::from_env(Env::from_process()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("eda-worker cannot start: {error}");
            return ExitCode::from(2);
        }
    };
    datamill_platform::telemetry::init(&config.log);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let worker = match datamill_eda_worker::start(config).await {
        Ok(worker) => worker,
        Err(error) => {
            tracing::error!("eda-worker cannot start: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    datamill_queue::worker::shutdown_signal().await;
    tracing::info!("stopping: the running EDA finishes first");
    match worker.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("eda-worker stopped with an error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
