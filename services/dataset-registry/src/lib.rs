//! The dataset-registry service: dataset groups and versions, NAS path validation, the dataset
//! list. A library with a thin `main.rs`, so integration tests and the dev launcher start it
//! in-process.
//!
//! Layers: [`api`] (routes and handlers) → [`service`] (rules) → [`repo`] (SQL) on the
//! `datamill-db` schema; files only through the `datamill-storage` trait.

pub mod api;
pub mod catalog;
pub mod config;
pub mod dto;
pub mod eda;
pub mod error;
pub mod lineage;
pub mod pipelines;
pub mod refresh;
pub mod repo;
pub mod samples;
pub mod service;
pub mod system;
pub mod training;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use datamill_platform::config::StorageConfig;
use datamill_storage::{LocalStorageClient, StorageClient};
use sea_orm::DatabaseConnection;
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope};

pub use config::RegistryConfig;
pub use service::Registry;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Datamill API",
        description = "Dataset management for computer-vision teams. Errors are RFC 9457 \
                       `application/problem+json` documents with a stable `code`.",
        license(name = "Apache-2.0")
    ),
    tags(
        (name = "health", description = "Service and database state"),
        (name = "dataset-groups", description = "Logical datasets and the dataset list"),
        (name = "datasets", description = "Dataset versions (split × version) on the NAS"),
        (name = "training", description = "Model training: release 2 (every route answers 501 until then)"),
    )
)]
struct ApiDoc;

/// The OpenAPI document of every route (what `proto-schemas/openapi.json` holds).
#[must_use]
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(
            scope::scope("/api/v1")
                .configure(api::configure)
                .configure(training::configure),
        )
        .split_for_parts();
    doc
}

/// A running registry.
#[derive(Debug)]
pub struct RunningRegistry {
    pub addr: SocketAddr,
    pub handle: ServerHandle,
    pub registry: Registry,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningRegistry {
    /// `http://addr` for clients.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes in-flight requests, and returns.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        let _ = self.server.await;
    }

    /// Waits until the server stops (Ctrl-C / SIGTERM).
    pub async fn wait(self) -> std::io::Result<()> {
        self.server
            .await
            .unwrap_or_else(|error| Err(std::io::Error::other(error)))
    }
}

/// Applies pending migrations, retrying while the database is unreachable.
pub async fn migrate_with_retry(db: &DatabaseConnection, timeout: Duration) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut delay = Duration::from_millis(250);
    loop {
        match datamill_db::migrate(db).await {
            Ok(()) => return Ok(()),
            Err(error) if started.elapsed() < timeout => {
                tracing::warn!(%error, retry_in_ms = delay.as_millis() as u64, "migrations could not run yet");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
            Err(error) => {
                return Err(error).context(format!(
                    "applying database migrations failed for {timeout:?}"
                ));
            }
        }
    }
}

/// Connects, migrates (when configured) and starts serving, on the storage the configuration
/// names.
pub async fn start(config: RegistryConfig) -> anyhow::Result<RunningRegistry> {
    let storage: Arc<dyn StorageClient> = match &config.storage {
        StorageConfig::Local { base } => Arc::new(
            LocalStorageClient::new(base)
                .with_context(|| format!("LOCAL_STORAGE_BASE={}", base.display()))?,
        ),
    };
    start_with_storage(config, storage).await
}

/// [`start`] on the given storage instead of the one `config.storage` names (which is not used):
/// the registry reaches files only through the `StorageClient` trait, so tests can give it an
/// in-memory one.
pub async fn start_with_storage(
    config: RegistryConfig,
    storage: Arc<dyn StorageClient>,
) -> anyhow::Result<RunningRegistry> {
    let (db, pool) = datamill_db::connect_lazy(
        config.database.url.as_str(),
        &datamill_db::PoolOptions {
            max_connections: config.database.max_connections,
            acquire_timeout: config.database.connect_timeout,
        },
    )?;
    if config.migrate_on_start {
        migrate_with_retry(&db, config.migrate_timeout).await?;
        datamill_queue::setup(&pool)
            .await
            .context("setting up the job queue (schema apalis) failed")?;
        // The database answered: sync now, so the catalog is there when the API is.
        if !catalog::sync_once(&db).await {
            tokio::spawn(catalog::sync_until_done(db.clone()));
        }
    } else {
        tokio::spawn(catalog::sync_until_done(db.clone()));
    }
    let registry = Registry {
        pool,
        refresher: refresh::SummaryRefresher::spawn(db.clone()),
        list_index: Arc::default(),
        samples: Arc::new(samples::SampleCache::new(config.samples_cache_datasets)),
        db,
        storage,
    };
    let state = web::Data::new(registry.clone());
    let server = HttpServer::new(move || {
        let (app, _) = App::new()
            .app_data(state.clone())
            .wrap(from_fn(datamill_platform::http::request_context))
            .into_utoipa_app()
            .service(
                scope::scope("/api/v1")
                    .configure(api::configure)
                    .configure(training::configure),
            )
            .split_for_parts();
        app.route(
            "/health",
            web::get()
                .to(|state: web::Data<Registry>| async move { api::health_response(&state).await }),
        )
        .default_service(web::to(|request: actix_web::HttpRequest| async move {
            // Unknown paths under the training prefix are release 2's too.
            let path = request.path();
            if path == training::PREFIX || path.starts_with(&format!("{}/", training::PREFIX)) {
                training::not_implemented(&request)
            } else {
                datamill_platform::http::not_found(request).await
            }
        }))
    })
    .workers(2)
    .shutdown_timeout(10)
    .bind(config.http_addr)
    .with_context(|| format!("cannot listen on HTTP_ADDR={}", config.http_addr))?;
    let addr = server
        .addrs()
        .first()
        .copied()
        .context("the server has no address")?;
    let server = server.run();
    let handle = server.handle();
    let server = tokio::spawn(server);
    tracing::info!(%addr, "dataset-registry listening");
    Ok(RunningRegistry {
        addr,
        handle,
        registry,
        server,
    })
}
