//! The api-gateway: the single entry for `/api/*` (a streaming reverse proxy to the
//! dataset-registry), the OpenAPI document and Swagger UI, and `/health` aggregating the
//! registry's health. For development without nginx it also serves the built GUI and, when
//! asked, the NAS files under `/static/*`.
//!
//! It is a library so that tests and the dev launcher start it in-process with [`start`]; the
//! `api-gateway` binary only reads the environment and calls it.

mod config;
mod docs;
mod gui;
mod health;
mod proxy;
mod static_files;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context as _;
use datamill_platform::http::{not_found, request_context};

pub use config::{DEFAULT_GUI_DIR, GatewayConfig, UpstreamUrl};

/// How long a stopping gateway lets requests in flight finish.
const SHUTDOWN_TIMEOUT_SECS: u64 = 10;

/// What the handlers share.
#[derive(Debug)]
pub(crate) struct Gateway {
    /// One client for every upstream request, so connections to the registry are pooled.
    pub client: reqwest::Client,
    pub registry: UpstreamUrl,
    pub upstream_timeout: Duration,
    pub health_timeout: Duration,
}

/// Installs ring as the process's rustls crypto provider. reqwest is built without a provider
/// of its own (so the process has only the one sqlx also uses) and panics on its first client
/// if none is installed; a second call is harmless.
pub fn install_crypto_provider() {
    let _already_installed = rustls::crypto::ring::default_provider().install_default();
}

fn http_client(config: &GatewayConfig) -> anyhow::Result<reqwest::Client> {
    install_crypto_provider();
    reqwest::Client::builder()
        // A redirect is the browser's business: following it here would hide it from the GUI.
        .redirect(reqwest::redirect::Policy::none())
        // HTTP(S)_PROXY variables meant for outbound traffic must not capture the registry.
        .no_proxy()
        .connect_timeout(config.upstream_timeout.min(Duration::from_secs(10)))
        .read_timeout(config.upstream_timeout)
        .build()
        .context("the HTTP client for the registry could not be built")
}

/// A gateway that is listening.
#[derive(Debug)]
pub struct RunningGateway {
    addr: SocketAddr,
    handle: ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningGateway {
    /// The address the listener is bound to (with the port the OS chose for port 0).
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL a client on this host reaches the gateway at (`http://127.0.0.1:PORT` when
    /// it listens on every interface).
    #[must_use]
    pub fn url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.addr.port()))
    }

    /// A handle that stops the server from elsewhere.
    #[must_use]
    pub fn handle(&self) -> ServerHandle {
        self.handle.clone()
    }

    /// Runs until the server stops (SIGINT/SIGTERM, or a [`ServerHandle::stop`]).
    pub async fn wait(self) -> anyhow::Result<()> {
        self.task
            .await
            .context("the HTTP server task failed")?
            .context("the HTTP server failed")
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for the end.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.handle.stop(true).await;
        self.wait().await
    }
}

/// Binds the listener and starts serving; returns once the gateway accepts connections.
///
/// Must be called inside a Tokio runtime (`#[tokio::main]`, `#[tokio::test]` or actix's).
// Async although nothing here awaits: the server task is spawned onto the caller's runtime, and
// an async fn cannot be called outside one.
#[allow(clippy::unused_async)]
pub async fn start(config: GatewayConfig) -> anyhow::Result<RunningGateway> {
    docs::check_openapi()?;
    let gateway = web::Data::new(Gateway {
        client: http_client(&config)?,
        registry: config.registry_url.clone(),
        upstream_timeout: config.upstream_timeout,
        health_timeout: config.health_timeout,
    });
    let static_files = match &config.static_base {
        Some(base) => Some(web::Data::new(static_files::StaticFiles::new(base)?)),
        None => None,
    };
    let gui_dir: Option<PathBuf> = config.gui_dir.clone();
    let server = HttpServer::new(move || {
        let static_files = static_files.clone();
        let gui_dir = gui_dir.clone();
        App::new()
            .app_data(gateway.clone())
            .wrap(from_fn(request_context))
            .route("/health", web::get().to(health::health))
            // The documents come before the /api scope, which would forward them.
            .configure(docs::configure)
            .service(web::scope("/api").default_service(web::to(proxy::forward)))
            .configure(move |cfg| static_files::configure(cfg, static_files))
            .configure(move |cfg| gui::configure(cfg, gui_dir.as_deref()))
            .default_service(web::to(not_found))
    })
    .workers(config.workers)
    .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
    .bind(config.http_addr)
    .with_context(|| format!("cannot listen on {}", config.http_addr))?;
    let addr = server
        .addrs()
        .first()
        .copied()
        .context("the HTTP server has no listener")?;
    let server = server.run();
    let handle = server.handle();
    let task = tokio::spawn(server);
    tracing::info!(
        %addr,
        registry = %config.registry_url,
        gui = ?config.gui_dir,
        static_base = ?config.static_base,
        "api-gateway listening"
    );
    Ok(RunningGateway { addr, handle, task })
}
