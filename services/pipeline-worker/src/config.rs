//! The worker's configuration, from environment variables.

use std::time::Duration;

use datamill_platform::config::{ConfigError, DatabaseConfig, Env, LogConfig, StorageConfig};

/// Everything the pipeline-worker reads from its environment.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub database: DatabaseConfig,
    pub storage: StorageConfig,
    pub log: LogConfig,
    /// `WORKER_ID`: how this worker is named on executions and in `pipeline_workers`
    /// (default `{hostname}-{pid}`).
    pub worker_id: String,
    /// `WORKER_THREADS`: Phase B threads per pipeline (0 = one per core).
    pub threads: usize,
    /// `PROGRESS_INTERVAL_MS`: how often progress is written and the cancel flag read (500).
    pub progress_interval: Duration,
    /// `HEARTBEAT_SECS`: how often this worker says it is alive (5).
    pub heartbeat: Duration,
    /// `MAX_ATTEMPTS`: runs of one execution before it is FAILED for good (5).
    pub max_attempts: u32,
    /// Where pipeline DONE/FAILED mails go (`SMTP_*`, `NOTIFY_TO`); `None` without `SMTP_HOST`.
    pub smtp: Option<datamill_notify::SmtpConfig>,
    /// Apply migrations at start-up (`MIGRATE_ON_START`, default true); off, wait for the
    /// registry to have applied them (the Helm chart's choice).
    pub migrate_on_start: bool,
    /// How long start-up waits for the schema when not migrating (`MIGRATE_TIMEOUT_SECS`).
    pub migrate_timeout: Duration,
}

impl WorkerConfig {
    pub fn from_env(mut env: Env) -> Result<Self, ConfigError> {
        let database = DatabaseConfig::from_env(&mut env);
        let storage = StorageConfig::from_env(&mut env);
        let log = LogConfig::from_env(&mut env);
        let worker_id = env.optional(
            "WORKER_ID",
            format!(
                "{}-{}",
                datamill_queue::worker::hostname(),
                std::process::id()
            ),
            "a name for this worker",
        );
        let threads = env.optional(
            "WORKER_THREADS",
            0usize,
            "a number of threads (0 = one per core)",
        );
        let progress_ms = env.optional("PROGRESS_INTERVAL_MS", 500u64, "milliseconds");
        let heartbeat = env.optional("HEARTBEAT_SECS", 5u64, "seconds");
        let max_attempts = env.optional("MAX_ATTEMPTS", 5u32, "a number of attempts");
        if progress_ms == 0 || heartbeat == 0 || max_attempts == 0 {
            env.problem("PROGRESS_INTERVAL_MS, HEARTBEAT_SECS and MAX_ATTEMPTS must be at least 1");
        }
        let smtp = datamill_notify::SmtpConfig::from_env(&mut env);
        let migrate_on_start = env
            .optional(
                "MIGRATE_ON_START",
                datamill_platform::config::Flag(true),
                "true or false",
            )
            .0;
        let migrate_timeout =
            Duration::from_secs(env.optional("MIGRATE_TIMEOUT_SECS", 60u64, "seconds"));
        let value = database.zip(storage).map(|(database, storage)| Self {
            database,
            storage,
            log,
            worker_id,
            threads,
            progress_interval: Duration::from_millis(progress_ms),
            heartbeat: Duration::from_secs(heartbeat),
            max_attempts,
            smtp,
            migrate_on_start,
            migrate_timeout,
        });
        env.finish(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_every_problem_at_once() {
        let config = WorkerConfig::from_env(Env::from_pairs([
            ("DATABASE_URL", "postgres://u@h/db"),
            ("LOCAL_STORAGE_BASE", "/tmp"),
        ]));
        let config = config
            .ok()
            .map(|c| (c.threads, c.progress_interval, c.max_attempts));
        assert_eq!(config, Some((0, Duration::from_millis(500), 5)));
        let error = WorkerConfig::from_env(Env::from_pairs([("HEARTBEAT_SECS", "soon")]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.contains("DATABASE_URL") && error.contains("HEARTBEAT_SECS"),
            "{error}"
        );
    }
}
