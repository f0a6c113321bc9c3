//! Typed configuration from environment variables.
//!
//! Every service reads its settings once, at start-up, through an [`Env`] that collects every
//! problem instead of stopping at the first: an operator fixing a deployment sees the whole list
//! in one message, not one variable per restart.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Everything wrong with the environment, one line per variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub problems: Vec<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "the configuration is invalid ({} problem{}):",
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

/// A snapshot of the environment that reads typed values and remembers what was wrong.
#[derive(Debug, Clone)]
pub struct Env {
    vars: BTreeMap<String, String>,
    problems: Vec<String>,
    /// Every variable name asked for, when recording (the documentation test compares them with
    /// the table in docs/operations.md).
    asked: Option<Arc<Mutex<BTreeSet<String>>>>,
}

impl Env {
    /// The process environment.
    #[must_use]
    pub fn from_process() -> Self {
        Self::from_pairs(std::env::vars())
    }

    /// An explicit environment (tests, the dev launcher).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            problems: Vec::new(),
            asked: None,
        }
    }

    /// Records into `names` every variable this environment is asked for.
    #[must_use]
    pub fn recording(mut self, names: Arc<Mutex<BTreeSet<String>>>) -> Self {
        self.asked = Some(names);
        self
    }

    fn raw(&self, name: &str) -> Option<&str> {
        if let Some(asked) = &self.asked
            && let Ok(mut asked) = asked.lock()
        {
            asked.insert(name.to_owned());
        }
        self.vars
            .get(name)
            .map(String::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    /// A variable that must be set; `hint` says what a good value looks like.
    pub fn required<T: FromStr>(&mut self, name: &str, hint: &str) -> Option<T>
    where
        T::Err: fmt::Display,
    {
        let Some(raw) = self.raw(name).map(str::to_owned) else {
            self.problems
                .push(format!("{name} is not set (expected {hint})"));
            return None;
        };
        self.parse(name, &raw, hint)
    }

    /// A variable with a default used when it is unset or empty.
    pub fn optional<T: FromStr>(&mut self, name: &str, default: T, hint: &str) -> T
    where
        T::Err: fmt::Display,
    {
        match self.raw(name).map(str::to_owned) {
            None => default,
            Some(raw) => self.parse(name, &raw, hint).unwrap_or(default),
        }
    }

    fn parse<T: FromStr>(&mut self, name: &str, raw: &str, hint: &str) -> Option<T>
    where
        T::Err: fmt::Display,
    {
        match raw.parse() {
            Ok(value) => Some(value),
            Err(error) => {
                self.problems.push(format!(
                    "{name}={raw:?} is invalid: {error} (expected {hint})"
                ));
                None
            }
        }
    }

    /// Records a problem found by a check that spans variables.
    pub fn problem(&mut self, message: impl Into<String>) {
        self.problems.push(message.into());
    }

    /// `Ok(value)` when nothing was wrong; otherwise every problem at once.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, ConfigError> {
        match value {
            Some(value) if self.problems.is_empty() => Ok(value),
            _ => Err(ConfigError {
                problems: if self.problems.is_empty() {
                    vec!["the configuration is incomplete".to_owned()]
                } else {
                    self.problems
                },
            }),
        }
    }
}

/// A boolean that accepts the spellings operators use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl FromStr for Flag {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(Self(true)),
            "0" | "false" | "no" | "off" => Ok(Self(false)),
            _ => Err("not a boolean".to_owned()),
        }
    }
}

/// A PostgreSQL connection URL.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL with the password replaced, for logs.
    #[must_use]
    pub fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.0.split_once("://") else {
            return self.0.clone();
        };
        match rest.split_once('@') {
            Some((credentials, host)) => match credentials.split_once(':') {
                Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
                None => self.0.clone(),
            },
            None => self.0.clone(),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The work order's SQLAlchemy spelling (`postgresql+asyncpg://`) is accepted, since
        // operators copy it from there; the driver suffix means nothing to us.
        let normalised = match s.split_once("://") {
            Some((scheme, rest)) if scheme == "postgres" || scheme == "postgresql" => {
                format!("{scheme}://{rest}")
            }
            Some((scheme, rest)) if scheme.starts_with("postgresql+") => {
                format!("postgresql://{rest}")
            }
            Some((scheme, _)) => {
                return Err(format!(
                    "unsupported scheme {scheme:?}; only PostgreSQL is used"
                ));
            }
            None => return Err("not a URL".to_owned()),
        };
        Ok(Self(normalised))
    }
}

/// Database settings shared by the services that hold a connection pool.
#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    pub url: DatabaseUrl,
    pub max_connections: u32,
    pub connect_timeout: Duration,
}

impl DatabaseConfig {
    pub fn from_env(env: &mut Env) -> Option<Self> {
        let url = env.required(
            "DATABASE_URL",
            "a PostgreSQL URL such as postgres://user:pass@localhost:5432/datamill",
        );
        let max_connections = env.optional("DATABASE_MAX_CONNECTIONS", 16u32, "a positive integer");
        if max_connections == 0 {
            env.problem("DATABASE_MAX_CONNECTIONS must be at least 1");
        }
        let timeout = env.optional("DATABASE_CONNECT_TIMEOUT_SECS", 5u64, "seconds");
        Some(Self {
            url: url?,
            max_connections,
            connect_timeout: Duration::from_secs(timeout.max(1)),
        })
    }
}

/// Where dataset files live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageConfig {
    /// A directory (the NAS mount) every dataset path is relative to.
    Local { base: PathBuf },
}

impl StorageConfig {
    pub fn from_env(env: &mut Env) -> Option<Self> {
        let backend: String = env.optional("STORAGE_BACKEND", "local".to_owned(), "local");
        match backend.to_ascii_lowercase().as_str() {
            "local" => {
                let base: Option<PathBuf> = env.required(
                    "LOCAL_STORAGE_BASE",
                    "the directory of the NAS mount, e.g. /mnt/nas/datasets",
                );
                let base = base?;
                if !base.is_dir() {
                    env.problem(format!(
                        "LOCAL_STORAGE_BASE={} is not an existing directory",
                        base.display()
                    ));
                }
                Some(Self::Local { base })
            }
            other => {
                env.problem(format!(
                    "STORAGE_BACKEND={other:?} is not supported (expected local)"
                ));
                None
            }
        }
    }
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line, for log shippers.
    Json,
    /// Coloured multi-line output for a terminal.
    Pretty,
    /// One plain line per event.
    Compact,
}

impl FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(Self::Json),
            "pretty" => Ok(Self::Pretty),
            "compact" | "text" | "plain" => Ok(Self::Compact),
            _ => Err("unknown log format".to_owned()),
        }
    }
}

/// Logging settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogConfig {
    /// A `tracing` filter: `info`, or `info,datamill_registry=debug`.
    pub filter: String,
    pub format: LogFormat,
}

impl LogConfig {
    pub fn from_env(env: &mut Env) -> Self {
        let filter = env
            .raw("RUST_LOG")
            .or_else(|| env.raw("LOG_LEVEL"))
            .unwrap_or("info")
            .to_owned();
        if let Err(error) = tracing_subscriber::EnvFilter::try_new(&filter) {
            env.problem(format!(
                "LOG_LEVEL={filter:?} is not a valid filter: {error}"
            ));
        }
        let format = env.optional("LOG_FORMAT", LogFormat::Compact, "json, pretty or compact");
        Self { filter, format }
    }
}

/// The address an HTTP service listens on.
pub fn http_addr(env: &mut Env, default: SocketAddr) -> SocketAddr {
    env.optional("HTTP_ADDR", default, "host:port, e.g. 0.0.0.0:8080")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut env = Env::from_pairs([
            ("DATABASE_URL", "mysql://x"),
            ("DATABASE_MAX_CONNECTIONS", "many"),
            ("STORAGE_BACKEND", "s3"),
            ("LOG_FORMAT", "xml"),
        ]);
        let db = DatabaseConfig::from_env(&mut env);
        let storage = StorageConfig::from_env(&mut env);
        let log = LogConfig::from_env(&mut env);
        let error = env.finish(db.zip(storage).map(|v| (v, log))).unwrap_err();
        let text = error.to_string();
        assert_eq!(error.problems.len(), 4, "{text}");
        assert!(
            text.contains("DATABASE_URL=\"mysql://x\" is invalid"),
            "{text}"
        );
        assert!(text.contains("DATABASE_MAX_CONNECTIONS"), "{text}");
        assert!(text.contains("STORAGE_BACKEND=\"s3\""), "{text}");
        assert!(text.contains("LOG_FORMAT"), "{text}");
    }

    #[test]
    fn missing_required_variables_say_what_is_expected() {
        let mut env = Env::from_pairs::<&str, &str>([]);
        let db = DatabaseConfig::from_env(&mut env);
        let storage = StorageConfig::from_env(&mut env);
        let error = env.finish(db.zip(storage)).unwrap_err();
        assert_eq!(error.problems.len(), 2);
        assert!(error.problems[0].starts_with("DATABASE_URL is not set"));
        assert!(error.problems[1].starts_with("LOCAL_STORAGE_BASE is not set"));
    }

    #[test]
    fn valid_environment_gives_typed_values() {
        let dir = std::env::temp_dir();
        let mut env = Env::from_pairs([
            (
                "DATABASE_URL",
                "postgresql+asyncpg://u:secret@db:5432/mlplatform",
            ),
            ("LOCAL_STORAGE_BASE", dir.to_str().unwrap()),
            ("LOG_FORMAT", "JSON"),
            ("HTTP_ADDR", "127.0.0.1:9000"),
        ]);
        let db = DatabaseConfig::from_env(&mut env);
        let storage = StorageConfig::from_env(&mut env);
        let log = LogConfig::from_env(&mut env);
        let addr = http_addr(&mut env, "0.0.0.0:8080".parse().unwrap());
        let (db, storage) = env.finish(db.zip(storage)).unwrap();
        assert_eq!(db.url.as_str(), "postgresql://u:secret@db:5432/mlplatform");
        assert_eq!(db.url.redacted(), "postgresql://u:***@db:5432/mlplatform");
        assert!(!format!("{db:?}").contains("secret"));
        assert_eq!(storage, StorageConfig::Local { base: dir });
        assert_eq!(log.format, LogFormat::Json);
        assert_eq!(addr.port(), 9000);
    }

    #[test]
    fn flags_accept_common_spellings() {
        for (raw, value) in [("true", true), ("0", false), ("Off", false), ("YES", true)] {
            assert_eq!(raw.parse::<Flag>().unwrap(), Flag(value));
        }
        assert!("maybe".parse::<Flag>().is_err());
    }
}
