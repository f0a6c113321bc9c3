//! Datamill's PostgreSQL schema: the typed values it stores ([`types`]), sea-orm entities
//! ([`entity`]), the migrations that are the only way it changes ([`migration`]), connection set-up
//! and the advisory-locked migration run every replica may attempt at start-up.

pub mod entity;
pub mod migration;
pub mod sources;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod types;

use std::time::Duration;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr, SqlxPostgresConnector, TransactionSession,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

pub use migration::Migrator;
pub use sea_orm;

/// Arbitrary but fixed: every Datamill process that migrates takes this advisory lock, so replicas
/// starting together apply each migration once and the others wait, then find nothing to do.
const MIGRATION_LOCK_KEY: i64 = 0x4441_5441_4d49_4c4c; // "DATAMILL"

/// Orders the refreshes of `dataset_group_summary` (see [`refresh_group_summary`]).
const SUMMARY_REFRESH_LOCK_KEY: i64 = 0x4441_5441_5355_4d4d; // "DATASUMM"

/// Pool settings.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_connections: u32,
    /// How long a request waits for a connection before it fails (and the API answers 503).
    pub acquire_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(3),
        }
    }
}

/// A lazily-connecting pool: the process starts (and answers `/health` with 503) while the
/// database is down, and recovers by itself when it returns. The sqlx pool is exposed so that the
/// job queue can share it.
pub fn connect_lazy(
    url: &str,
    options: &PoolOptions,
) -> Result<(DatabaseConnection, sqlx::PgPool), DbErr> {
    let mut connect: sqlx::postgres::PgConnectOptions = url
        .parse()
        .map_err(|error| DbErr::Custom(format!("invalid DATABASE_URL: {error}")))?;
    if is_loopback(&connect) && !url.contains("sslmode=") {
        // libpq's default, `prefer`, negotiates TLS whenever the server offers it (Debian's
        // does): on loopback that protects nothing and costs encrypting every result twice.
        connect = connect.ssl_mode(sqlx::postgres::PgSslMode::Disable);
    }
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(options.max_connections)
        .min_connections(0)
        .acquire_timeout(options.acquire_timeout)
        .test_before_acquire(true)
        .connect_lazy_with(connect);
    Ok((
        SqlxPostgresConnector::from_sqlx_postgres_pool(pool.clone()),
        pool,
    ))
}

/// Whether the server is this machine (a Unix socket, `localhost` or a loopback address).
fn is_loopback(options: &sqlx::postgres::PgConnectOptions) -> bool {
    let host = options.get_host();
    host.starts_with('/')
        || host.eq_ignore_ascii_case("localhost")
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Applies every pending migration inside one transaction holding the migration advisory lock.
/// PostgreSQL DDL is transactional, so a failure leaves the schema as it was.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    txn.execute_unprepared(&format!(
        "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
    ))
    .await?;
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// Rolls back `steps` migrations (all when `None`) under the same lock.
pub async fn rollback(db: &DatabaseConnection, steps: Option<u32>) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    txn.execute_unprepared(&format!(
        "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
    ))
    .await?;
    Migrator::down(&txn, steps).await?;
    txn.commit().await
}

/// Names of the migrations not yet applied.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    Ok(Migrator::get_pending_migrations(db)
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect())
}

/// Waits until another process (the registry) has applied every migration and `tables` exist, for
/// processes that do not migrate themselves (`MIGRATE_ON_START=false`): they start in any order
/// and begin work once the schema is there. Gives up after `timeout`, naming what is missing.
pub async fn wait_for_schema(
    db: &DatabaseConnection,
    tables: &[&str],
    timeout: std::time::Duration,
) -> Result<(), DbErr> {
    let started = std::time::Instant::now();
    let mut delay = std::time::Duration::from_millis(250);
    loop {
        let missing = match pending_migrations(db).await {
            Ok(pending) if pending.is_empty() => {
                let mut missing = Vec::new();
                for table in tables {
                    let found = db
                        .query_one_raw(sea_orm::Statement::from_sql_and_values(
                            sea_orm::DbBackend::Postgres,
                            "SELECT to_regclass($1) IS NOT NULL AS found",
                            vec![(*table).into()],
                        ))
                        .await?
                        .and_then(|row| row.try_get::<bool>("", "found").ok())
                        .unwrap_or(false);
                    if !found {
                        missing.push(format!("table {table}"));
                    }
                }
                missing
            }
            Ok(pending) => pending.iter().map(|m| format!("migration {m}")).collect(),
            Err(error) => vec![format!("a database that answers ({error})")],
        };
        if missing.is_empty() {
            return Ok(());
        }
        if started.elapsed() >= timeout {
            return Err(DbErr::Custom(format!(
                "the database schema is not ready after {timeout:?}: waiting for {}; \
                 start the registry (it migrates) or set MIGRATE_ON_START=true here",
                missing.join(", ")
            )));
        }
        tracing::info!(waiting_for = %missing.join(", "), "waiting for the registry to migrate the database");
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(std::time::Duration::from_secs(5));
    }
}

/// Rebuilds `dataset_group_summary` without blocking readers.
///
/// Refreshes from several processes (the registry, the workers) are serialised on an advisory lock
/// taken by a statement of its own first. A bare `REFRESH … CONCURRENTLY` takes its snapshot when
/// the statement starts, *before* it waits for the view's lock: one that started before a change
/// committed could wait behind a refresh that includes the change, then replace its rows with
/// older ones. Here the refresh's snapshot is taken once the lock is held, so the last refresh to
/// finish is always the newest.
pub async fn refresh_group_summary<C: TransactionTrait>(db: &C) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    txn.execute_unprepared(&format!(
        "SELECT pg_advisory_xact_lock({SUMMARY_REFRESH_LOCK_KEY})"
    ))
    .await?;
    txn.execute_unprepared("REFRESH MATERIALIZED VIEW CONCURRENTLY dataset_group_summary")
        .await?;
    txn.commit().await
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn loopback_servers_are_recognised() {
        for (url, loopback) in [
            ("postgres://u@localhost/db", true),
            ("postgres://u@127.0.0.1:5432/db", true),
            ("postgres://u@[::1]:5432/db", true),
            ("postgres://u@db.internal:5432/db", false),
            ("postgres://u@10.0.0.5/db", false),
        ] {
            let options = url.parse().unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(is_loopback(&options), loopback, "{url}");
        }
    }
}
