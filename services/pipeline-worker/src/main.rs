//! `pipeline-worker`: runs pipeline executions from the `pipeline` queue until SIGTERM/Ctrl-C,
//! then finishes the running one and exits.

use std::process::ExitCode;

use datamill_platform::config::Env;
use datamill_worker::WorkerConfig;

#[tokio::main]
async fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => serve().await,
        Some("healthcheck") => healthcheck().await,
        Some(other) => {
            eprintln!("unknown command {other:?}; use serve or healthcheck");
            ExitCode::from(2)
        }
    }
}

/// Exit 0 when the database answers within 3 s (the container health check).
async fn healthcheck() -> ExitCode {
    use datamill_db::sea_orm::ConnectionTrait;
    let Ok(url) = std::env::var("DATABASE_URL") else {
        eprintln!("DATABASE_URL is not set");
        return ExitCode::FAILURE;
    };
    let Ok((db, _)) = datamill_db::connect_lazy(&url, &datamill_db::PoolOptions::default()) else {
        return ExitCode::FAILURE;
    };
    let ping = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        db.execute_unprepared("SELECT 1"),
    )
    .await;
    if let Ok(Ok(_)) = ping {
        ExitCode::SUCCESS
    } else {
        eprintln!("the database does not answer");
        ExitCode::FAILURE
    }
}

async fn serve() -> ExitCode {
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
