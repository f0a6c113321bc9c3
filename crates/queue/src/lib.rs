//! The contracts between the services that enqueue work and the workers that run it: job
//! payloads (with JSON Schemas in `proto-schemas/jobs/`), queue names, and how a job is put on
//! apalis' PostgreSQL backend (`apalis.jobs`).
//!
//! A job carries only ids: everything else is in our own tables (the execution's config
//! snapshot, its progress), so a job is small, and a redelivered job finds the current state.

use std::time::Duration;

use apalis::prelude::{TaskBuilder, TaskId};
use apalis_postgres::{Config, PgPool, PostgresStorage};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The queue of pipeline runs. Set explicitly: apalis' default is the Rust type path, which
/// would orphan queued jobs whenever the type moved.
pub const PIPELINE_QUEUE: &str = "pipeline";

/// Runs of one job before it is given up (the worker marks the execution FAILED on the last).
pub const PIPELINE_MAX_ATTEMPTS: u32 = 5;

/// Run pipeline execution `execution_id` (a `pipeline_executions` row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineJob {
    pub execution_id: Uuid,
}

impl PipelineJob {
    /// The payload's JSON Schema, as published in `proto-schemas/jobs/pipeline_job.schema.json`.
    #[must_use]
    pub fn json_schema() -> serde_json::Value {
        let settings = schemars::generate::SchemaSettings::draft2020_12();
        let mut schema = settings.into_generator().into_root_schema_for::<Self>();
        schema.insert(
            "$id".to_owned(),
            "https://datamill.dev/schemas/jobs/pipeline_job.schema.json".into(),
        );
        schema.insert("title".to_owned(), "Pipeline job (queue `pipeline`)".into());
        schema.to_value()
    }
}

/// The backend settings producers and workers share. The heartbeat is also how a worker finds
/// orphaned jobs: a job whose worker missed `missed_heartbeats` beats goes back to the queue.
#[must_use]
pub fn pipeline_config(heartbeat: Duration) -> Config {
    Config::default()
        .queue(PIPELINE_QUEUE)
        .heartbeat_interval(heartbeat)
        .missed_heartbeats(3)
        // One job at a time per fetch: a pipeline is long, and a batch would hold jobs other
        // workers could start.
        .batch_size(1)
}

/// The pipeline queue on `pool`.
#[must_use]
pub fn pipeline_storage(pool: &PgPool, heartbeat: Duration) -> PostgresStorage<PipelineJob> {
    PostgresStorage::<PipelineJob>::new(pool).with_config(pipeline_config(heartbeat))
}

/// Creates apalis' schema and tables (idempotent; its own migrations, under a lock).
pub async fn setup(pool: &PgPool) -> Result<(), sqlx::Error> {
    PostgresStorage::setup(pool)
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))
}

/// Why a job could not be queued.
pub type EnqueueError = Box<dyn std::error::Error + Send + Sync>;

/// Queues a run of execution `execution_id`; returns the job id (`apalis.jobs.id`).
pub async fn enqueue_pipeline(pool: &PgPool, execution_id: Uuid) -> Result<String, EnqueueError> {
    use apalis::prelude::TaskSink;
    let id = TaskId::from_ulid(ulid::Ulid::generate());
    let task = TaskBuilder::new(PipelineJob { execution_id })
        .task_id(id.clone())
        .max_attempts(PIPELINE_MAX_ATTEMPTS as usize)
        .build();
    let mut storage = pipeline_storage(pool, Duration::from_secs(5));
    storage
        .push_task(task)
        .await
        .map_err(|e| -> EnqueueError { e.to_string().into() })?;
    Ok(id.to_string())
}

/// Stops a queued job from ever being fetched (apalis has no cancel API; `Killed` is terminal).
/// `false` when the job is not waiting any more (running or ended).
pub async fn kill_pending(pool: &PgPool, job_id: &str) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE apalis.jobs SET status = 'Killed' WHERE id = $1 AND status IN ('Pending', 'Failed')",
    )
    .bind(job_id)
    .execute(pool)
    .await?;
    Ok(result.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_is_an_object_with_the_execution_id() {
        let schema = PipelineJob::json_schema();
        assert_eq!(schema["required"][0], "execution_id");
        let job: PipelineJob = serde_json::from_value(
            serde_json::json!({"execution_id": Uuid::nil()}),
        )
        .unwrap_or(PipelineJob {
            execution_id: Uuid::max(),
        });
        assert_eq!(job.execution_id, Uuid::nil());
    }
}
