//! The gateway's settings, read once from the environment.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use datamill_platform::config::{ConfigError, Env, Flag, LogConfig, LogFormat, http_addr};

/// Where the GUI is looked for when `GUI_DIR` is not set: the Vite build output of a checkout.
pub const DEFAULT_GUI_DIR: &str = "frontend/dist";

/// The base URL of an upstream service: `http` or `https`, with a host, no query or fragment.
///
/// Kept without a trailing slash so that the incoming path (which starts with `/`) can be
/// appended as it is.
#[derive(Clone, PartialEq, Eq)]
pub struct UpstreamUrl(String);

impl UpstreamUrl {
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The upstream URL of `path_and_query` (which starts with `/`).
    #[must_use]
    pub fn join(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.0)
    }
}

impl fmt::Debug for UpstreamUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for UpstreamUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for UpstreamUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let url = reqwest::Url::parse(s).map_err(|error| error.to_string())?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "the scheme is {:?}; only http and https are proxied",
                url.scheme()
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err("the URL has no host".to_owned());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err("the URL must not have a query or a fragment".to_owned());
        }
        if !url.username().is_empty() || url.password().is_some() {
            // They would be forwarded on every request and printed in every error detail.
            return Err("the URL must not carry credentials".to_owned());
        }
        Ok(Self(url.as_str().trim_end_matches('/').to_owned()))
    }
}

/// Everything the gateway needs to run.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// `HTTP_ADDR`, default `0.0.0.0:8080`.
    pub http_addr: SocketAddr,
    /// `HTTP_WORKERS`, default: the number of CPUs (at most 8: the gateway only shuffles bytes).
    pub workers: usize,
    /// `REGISTRY_URL`: the dataset-registry every `/api/*` request goes to.
    pub registry_url: UpstreamUrl,
    /// `UPSTREAM_TIMEOUT_SECS`, default 60: how long the registry may take to start answering,
    /// and the longest silence while a body streams.
    pub upstream_timeout: Duration,
    /// How long `/health` waits for the registry's own `/health` (2 s): a health probe must
    /// answer well inside the orchestrator's probe timeout even when the registry hangs.
    pub health_timeout: Duration,
    /// `GUI_DIR`: the built GUI (with its `index.html`); default `frontend/dist` when it exists.
    pub gui_dir: Option<PathBuf>,
    /// `LOCAL_STORAGE_BASE`, used only when `SERVE_STATIC` is true: `/static/*` then serves the
    /// NAS files read-only. Development only; nginx serves them in deployment.
    pub static_base: Option<PathBuf>,
    /// `RUST_LOG`/`LOG_LEVEL`, `LOG_FORMAT`.
    pub log: LogConfig,
}

impl GatewayConfig {
    /// A configuration for tests and the dev launcher: listens on 127.0.0.1 with a port chosen
    /// by the OS, no GUI, no `/static`.
    #[must_use]
    pub fn new(registry_url: UpstreamUrl) -> Self {
        Self {
            http_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            workers: 2,
            registry_url,
            upstream_timeout: Duration::from_mins(1),
            health_timeout: Duration::from_secs(2),
            gui_dir: None,
            static_base: None,
            log: LogConfig {
                filter: "info".to_owned(),
                format: LogFormat::Compact,
            },
        }
    }

    /// Reads the configuration, reporting every problem at once.
    pub fn from_env(mut env: Env) -> Result<Self, ConfigError> {
        let http_addr = http_addr(&mut env, SocketAddr::from(([0, 0, 0, 0], 8080)));
        let default_workers = std::thread::available_parallelism()
            .map_or(2, std::num::NonZero::get)
            .min(8);
        let workers = env.optional("HTTP_WORKERS", default_workers, "a positive integer");
        if workers == 0 {
            env.problem("HTTP_WORKERS must be at least 1");
        }
        let registry_url: Option<UpstreamUrl> = env.required(
            "REGISTRY_URL",
            "the http(s) URL of the dataset-registry, e.g. http://dataset-registry:8081",
        );
        let timeout_secs = env.optional("UPSTREAM_TIMEOUT_SECS", 60u64, "a number of seconds");
        if timeout_secs == 0 {
            env.problem("UPSTREAM_TIMEOUT_SECS must be at least 1");
        }
        let gui_dir = gui_dir(&mut env);
        let static_base = static_base(&mut env);
        let log = LogConfig::from_env(&mut env);
        let value = registry_url.map(|registry_url| Self {
            http_addr,
            workers: workers.max(1),
            registry_url,
            upstream_timeout: Duration::from_secs(timeout_secs.max(1)),
            health_timeout: Duration::from_secs(2),
            gui_dir,
            static_base,
            log,
        });
        env.finish(value)
    }
}

/// An optional string variable (`Env` has no `Option` reader; the empty default means unset).
fn optional_string(env: &mut Env, name: &str, hint: &str) -> Option<String> {
    let value: String = env.optional(name, String::new(), hint);
    (!value.is_empty()).then_some(value)
}

fn gui_dir(env: &mut Env) -> Option<PathBuf> {
    let Some(dir) = optional_string(env, "GUI_DIR", "the directory of the built GUI") else {
        let dir = Path::new(DEFAULT_GUI_DIR);
        return dir.join("index.html").is_file().then(|| dir.to_path_buf());
    };
    let dir = PathBuf::from(dir);
    if !dir.join("index.html").is_file() {
        env.problem(format!(
            "GUI_DIR={} has no index.html (build the GUI first, or unset GUI_DIR)",
            dir.display()
        ));
    }
    Some(dir)
}

fn static_base(env: &mut Env) -> Option<PathBuf> {
    let Flag(serve) = env.optional("SERVE_STATIC", Flag(false), "true or false");
    let base = optional_string(
        env,
        "LOCAL_STORAGE_BASE",
        "the directory of the NAS mount, e.g. /mnt/nas/datasets",
    );
    if !serve {
        // LOCAL_STORAGE_BASE is shared with the other services' environment; on its own it
        // does not turn /static on.
        return None;
    }
    let Some(base) = base.map(PathBuf::from) else {
        env.problem("SERVE_STATIC=true needs LOCAL_STORAGE_BASE (the directory of the NAS mount)");
        return None;
    };
    if !base.is_dir() {
        env.problem(format!(
            "LOCAL_STORAGE_BASE={} is not an existing directory",
            base.display()
        ));
    }
    Some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_urls_are_checked_and_normalised() {
        let url: UpstreamUrl = "http://registry:8081/".parse().unwrap();
        assert_eq!(url.as_str(), "http://registry:8081");
        assert_eq!(
            url.join("/api/v1/x?a=1"),
            "http://registry:8081/api/v1/x?a=1"
        );
        let prefixed: UpstreamUrl = "https://host/prefix/".parse().unwrap();
        assert_eq!(prefixed.join("/api"), "https://host/prefix/api");
        for bad in [
            "registry:8081",
            "ftp://registry",
            "http://registry?x=1",
            "http://u:p@registry",
            "not a url",
        ] {
            assert!(bad.parse::<UpstreamUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_apply() {
        let config =
            GatewayConfig::from_env(Env::from_pairs([("REGISTRY_URL", "http://r:1")])).unwrap();
        assert_eq!(config.http_addr, "0.0.0.0:8080".parse().unwrap());
        assert_eq!(config.upstream_timeout, Duration::from_mins(1));
        assert_eq!(config.static_base, None);
        assert!(config.workers >= 1);
    }

    #[test]
    fn every_problem_is_reported() {
        let error = GatewayConfig::from_env(Env::from_pairs([
            ("HTTP_ADDR", "nowhere"),
            ("UPSTREAM_TIMEOUT_SECS", "0"),
            ("GUI_DIR", "/definitely/not/here"),
            ("SERVE_STATIC", "true"),
        ]))
        .unwrap_err();
        let text = error.to_string();
        assert_eq!(error.problems.len(), 5, "{text}");
        for needle in [
            "HTTP_ADDR",
            "REGISTRY_URL is not set",
            "UPSTREAM_TIMEOUT_SECS",
            "GUI_DIR",
            "SERVE_STATIC=true needs LOCAL_STORAGE_BASE",
        ] {
            assert!(text.contains(needle), "{needle} missing from {text}");
        }
    }

    #[test]
    fn static_files_need_the_flag_and_an_existing_base() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().to_str().unwrap();
        let off = GatewayConfig::from_env(Env::from_pairs([
            ("REGISTRY_URL", "http://r:1"),
            ("LOCAL_STORAGE_BASE", base),
        ]))
        .unwrap();
        assert_eq!(off.static_base, None);
        let on = GatewayConfig::from_env(Env::from_pairs([
            ("REGISTRY_URL", "http://r:1"),
            ("LOCAL_STORAGE_BASE", base),
            ("SERVE_STATIC", "yes"),
        ]))
        .unwrap();
        assert_eq!(on.static_base.as_deref(), Some(dir.path()));
        let missing = GatewayConfig::from_env(Env::from_pairs([
            ("REGISTRY_URL", "http://r:1"),
            ("LOCAL_STORAGE_BASE", "/definitely/not/here"),
            ("SERVE_STATIC", "1"),
        ]))
        .unwrap_err();
        assert!(missing.problems[0].contains("not an existing directory"));
    }
}
