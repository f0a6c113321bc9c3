//! `pipeline-worker`: runs pipeline executions from the `pipeline` queue until SIGTERM/Ctrl-C,
//! then finishes the running one and exits.

use std::process::ExitCode;

use datamill_platform::config::Env;
use datamill_worker::WorkerConfig;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match WorkerConfig::from_env(Env::from_process()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("pipeline-worker cannot start: {error}");
            return ExitCode::from(2);
        }
    };
    datamill_platform::telemetry::init(&config.log);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let worker = match datamill_worker::start(config).await {
        Ok(worker) => worker,
        Err(error) => {
            tracing::error!("pipeline-worker cannot start: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    shutdown_signal().await;
    tracing::info!("stopping: the running pipeline finishes first");
    match worker.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("pipeline-worker stopped with an error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        if let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
