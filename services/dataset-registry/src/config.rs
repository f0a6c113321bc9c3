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
        let value = database.zip(storage).map(|(database, storage)| Self {
            database,
            storage,
            http_addr,
            log,
            migrate_on_start,
            migrate_timeout,
        });
        env.finish(value)
    }
}
