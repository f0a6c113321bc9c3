//! `api-gateway`: serves until stopped; `api-gateway healthcheck` probes a running one (the
//! Docker HEALTHCHECK, so the image needs no curl).

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use datamill_gateway::GatewayConfig;
use datamill_platform::config::{Env, http_addr};

/// Exit code for an unusable configuration or command line, distinct from a crash.
const EXIT_CONFIG: u8 = 2;

const USAGE: &str = "usage: api-gateway [healthcheck]

  (no argument)  serve; configured by HTTP_ADDR, REGISTRY_URL, UPSTREAM_TIMEOUT_SECS, HTTP_WORKERS,
                 GUI_DIR, SERVE_STATIC, LOCAL_STORAGE_BASE, RUST_LOG/LOG_LEVEL, LOG_FORMAT
  healthcheck    GET /health of the gateway on this host (port of HTTP_ADDR); exit 0 on 200";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => serve(),
        ["healthcheck"] => healthcheck(),
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(EXIT_CONFIG)
        }
    }
}

fn serve() -> ExitCode {
    let config = match GatewayConfig::from_env(Env::from_process()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("api-gateway cannot start: {error}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    datamill_platform::telemetry::init(&config.log);
    datamill_gateway::install_crypto_provider();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("api-gateway cannot start its runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async move {
        let gateway = datamill_gateway::start(config).await?;
        gateway.wait().await
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "api-gateway stopped");
            eprintln!("api-gateway failed: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The address to probe: the one the gateway listens on, or the loopback when it listens on
/// every interface.
fn probe_addr(listen: SocketAddr) -> SocketAddr {
    let ip = match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, listen.port())
}

/// A plain HTTP/1.0 request over a socket: the probe needs no runtime and no TLS, and must
/// finish well inside Docker's probe timeout.
fn probe(addr: SocketAddr) -> std::io::Result<String> {
    let timeout = Duration::from_secs(5);
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(
        stream,
        "GET /health HTTP/1.0\r\nHost: {addr}\r\nUser-Agent: api-gateway-healthcheck\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.take(64 * 1024).read_to_end(&mut response)?;
    Ok(String::from_utf8_lossy(&response).into_owned())
}

fn healthcheck() -> ExitCode {
    let mut env = Env::from_process();
    let listen = http_addr(&mut env, SocketAddr::from(([0, 0, 0, 0], 8080)));
    if let Err(error) = env.finish(Some(())) {
        eprintln!("api-gateway healthcheck: {error}");
        return ExitCode::from(EXIT_CONFIG);
    }
    let addr = probe_addr(listen);
    match probe(addr) {
        Ok(response) => {
            let status_line = response.lines().next().unwrap_or_default();
            let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
            println!("{status_line}\n{body}");
            let ok = status_line.split_whitespace().nth(1) == Some("200");
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("api-gateway healthcheck: http://{addr}/health: {error}");
            ExitCode::FAILURE
        }
    }
}
