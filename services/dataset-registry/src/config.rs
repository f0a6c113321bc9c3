//! The registry's configuration, from environment variables.

use std::net::SocketAddr;
use std::time::Duration;

use datamill_platform::config::{
    ConfigError, DatabaseConfig, Env, Flag, LogConfig, StorageConfig, http_addr,
};

/// Everything the dataset-registry reads from its environment.
#[derive(Debug, Clone)]
pub struct RegistryConfig {
    pub database: DatabaseConfig,
    pub storage: StorageConfig,
    pub http_addr: SocketAddr,
    pub log: LogConfig,
    /// Apply pending migrations at start-up (`MIGRATE_ON_START`, default true).
    pub migrate_on_start: bool,
    /// How long start-up waits for the database before giving up (`MIGRATE_TIMEOUT_SECS`).
    pub migrate_timeout: Duration,
    /// Datasets whose annotations the samples viewer keeps in memory, least recently used
    /// dropped first (`SAMPLES_CACHE_DATASETS`, 1..=64, default 4). A COCO-train-sized version
    /// takes about 1 GB.
    pub samples_cache_datasets: usize,
}

impl RegistryConfig {
    pub const DEFAULT_ADDR: &'static str = "0.0.0.0:8081";

    pub fn from_env(mut env: Env) -> Result<Self, ConfigError> {
        let database = DatabaseConfig::from_env(&mut env);
        let storage = StorageConfig::from_env(&mut env);
        let default_addr = Self::DEFAULT_ADDR
            .parse()
            .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 8081)));
        let http_addr = http_addr(&mut env, default_addr);
        let log = LogConfig::from_env(&mut env);
        let migrate_on_start = env
            .optional("MIGRATE_ON_START", Flag(true), "true or false")
            .0;
        let migrate_timeout =
            Duration::from_secs(env.optional("MIGRATE_TIMEOUT_SECS", 60u64, "seconds"));
        let samples_cache_datasets = env.optional(
            "SAMPLES_CACHE_DATASETS",
            4usize,
            "a number of datasets, 1..=64",
        );
        if !(1..=64).contains(&samples_cache_datasets) {
            env.problem(format!(
                "SAMPLES_CACHE_DATASETS={samples_cache_datasets}: keep between 1 and 64 datasets in memory"
            ));
        }
        let value = database.zip(storage).map(|(database, storage)| Self {
            database,
            storage,
            http_addr,
            log,
            migrate_on_start,
            migrate_timeout,
            samples_cache_datasets,
        });
        env.finish(value)
    }
}
