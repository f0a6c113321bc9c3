//! `pipeline_workers`: this worker's row, kept fresh while it runs (the system-status page reads
//! it; a row not seen for a while is a dead worker).

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};
use tokio::sync::watch;
use uuid::Uuid;

/// Registers (or re-registers, after a restart with the same id) this worker.
pub async fn register(db: &DatabaseConnection, id: &str, host: &str) -> Result<(), DbErr> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO pipeline_workers (id, host, pid, version) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, \
         version = EXCLUDED.version, started_at = now(), last_seen_at = now(), current_execution_id = NULL",
        [
            id.into(),
            host.into(),
            i32::try_from(std::process::id()).unwrap_or(i32::MAX).into(),
            env!("CARGO_PKG_VERSION").into(),
        ],
    ))
    .await?;
    Ok(())
}

/// One beat: alive now, running `current` (or nothing).
pub async fn beat(db: &DatabaseConnection, id: &str, current: Option<Uuid>) -> Result<(), DbErr> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE pipeline_workers SET last_seen_at = now(), current_execution_id = $2 WHERE id = $1",
        [id.into(), current.into()],
    ))
    .await?;
    Ok(())
}

/// Beats every `interval` with the execution `current` holds, until `stop` turns true. A failed
/// beat (the database away) is logged and the next one tried.
pub async fn run(
    db: DatabaseConnection,
    id: String,
    interval: Duration,
    current: watch::Receiver<Option<Uuid>>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let running = *current.borrow();
        if let Err(error) = beat(&db, &id, running).await {
            tracing::warn!(%error, "heartbeat not written");
        }
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stop.changed() => {
                if *stop.borrow() {
                    return;
                }
            }
        }
    }
}
