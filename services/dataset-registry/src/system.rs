//! `GET /system/status`: workers, queues and the database, for the System status page.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::dto::{QueueStatus, SystemStatus, WorkerStatus};
use crate::error::ApiError;
use crate::repo::eda::database_error;
use crate::service::Registry;

/// A worker whose last heartbeat is older than this is shown STALE (workers beat every 5 s by
/// default; the queue gives a job to another worker after 3 missed beats).
const STALE_AFTER_SECS: f64 = 30.0;

/// A job that is due to run and has no worker yet, in apalis-postgres' terms: new, or failed
/// with attempts left.
const WAITING: &str =
    "(j.status = 'Pending' OR (j.status = 'Failed' AND j.attempts < j.max_attempts))";

#[derive(sqlx::FromRow)]
struct WorkerRow {
    kind: String,
    id: String,
    host: String,
    pid: i32,
    version: String,
    started_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    age: f64,
    current: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    name: String,
    pending: i64,
    in_flight: i64,
    scheduled: i64,
    oldest: Option<f64>,
    failed_last_day: i64,
}

impl Registry {
    pub async fn system_status(&self) -> Result<SystemStatus, ApiError> {
        let database = crate::api::database_health(self).await;
        let checked_at = Utc::now().fixed_offset();
        if database.status != "up" {
            return Ok(SystemStatus {
                checked_at,
                database,
                workers: Vec::new(),
                queues: Vec::new(),
            });
        }
        let workers: Vec<WorkerRow> = sqlx::query_as(
            "SELECT 'pipeline' AS kind, id, host, pid, version, started_at, last_seen_at, \
                    extract(epoch FROM now() - last_seen_at)::float8 AS age, \
                    current_execution_id AS current \
             FROM pipeline_workers WHERE last_seen_at > now() - interval '1 day' \
             UNION ALL \
             SELECT 'eda', id, host, pid, version, started_at, last_seen_at, \
                    extract(epoch FROM now() - last_seen_at)::float8, current_dataset_id \
             FROM eda_workers WHERE last_seen_at > now() - interval '1 day' \
             ORDER BY last_seen_at DESC",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(database_error)?;
        // Only constants are formatted into the statement.
        let queues: Vec<QueueRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT q.name, \
                    count(j.id) FILTER (WHERE {WAITING} AND j.run_at <= now()) AS pending, \
                    count(j.id) FILTER (WHERE j.status IN ('Queued', 'Running')) AS in_flight, \
                    count(j.id) FILTER (WHERE {WAITING} AND j.run_at > now()) AS scheduled, \
                    extract(epoch FROM now() - min(j.run_at) \
                        FILTER (WHERE {WAITING} AND j.run_at <= now()))::float8 AS oldest, \
                    count(j.id) FILTER (WHERE (j.status = 'Killed' \
                        OR (j.status = 'Failed' AND j.attempts >= j.max_attempts)) \
                        AND coalesce(j.done_at, j.run_at) > now() - interval '1 day') AS failed_last_day \
             FROM unnest($1::text[]) AS q(name) LEFT JOIN apalis.jobs j ON j.job_type = q.name \
             GROUP BY q.name ORDER BY q.name DESC"
        )))
        .bind(vec![
            datamill_queue::PIPELINE_QUEUE.to_owned(),
            datamill_queue::EDA_QUEUE.to_owned(),
        ])
        .fetch_all(&self.pool)
        .await
        .map_err(database_error)?;
        Ok(SystemStatus {
            checked_at,
            database,
            workers: workers
                .into_iter()
                .map(|row| WorkerStatus {
                    kind: row.kind,
                    id: row.id,
                    host: row.host,
                    pid: row.pid,
                    version: row.version,
                    started_at: row.started_at.fixed_offset(),
                    last_seen_at: row.last_seen_at.fixed_offset(),
                    heartbeat_age_secs: (row.age.max(0.0) * 10.0).round() / 10.0,
                    state: if row.age <= STALE_AFTER_SECS {
                        "ALIVE"
                    } else {
                        "STALE"
                    }
                    .to_owned(),
                    current: row.current,
                })
                .collect(),
            queues: queues
                .into_iter()
                .map(|row| QueueStatus {
                    name: row.name,
                    pending: row.pending,
                    in_flight: row.in_flight,
                    scheduled: row.scheduled,
                    oldest_pending_age_secs: row
                        .oldest
                        .map(|age| (age.max(0.0) * 10.0).round() / 10.0),
                    failed_last_day: row.failed_last_day,
                })
                .collect(),
        })
    }
}
