//! The contracts between the services that enqueue work and the workers that run it: job
//! payloads (with JSON Schemas in `proto-schemas/jobs/`), queue names, and how a job is put on
//! apalis' PostgreSQL backend (`apalis.jobs`).
//!
//! A job carries only ids: everything else is in our own tables (the execution's config
//! snapshot, its progress), so a job is small, and a redelivered job finds the current state.

pub mod worker;

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

/// The queue of EDA runs (statistics, health checks and the gallery of one dataset version).
pub const EDA_QUEUE: &str = "eda";

/// Runs of one EDA job before it is given up (the worker marks the run FAILED on the last).
pub const EDA_MAX_ATTEMPTS: u32 = 5;

/// A job payload: its queue, and the schema published for it in `proto-schemas/jobs/`.
pub trait Job:
    Serialize + for<'de> Deserialize<'de> + JsonSchema + Clone + Send + Sync + Unpin + 'static
{
    /// The queue (`apalis.jobs.job_type`).
    const QUEUE: &'static str;
    /// Runs before the job is given up.
    const MAX_ATTEMPTS: u32;
    /// The schema's file name under `proto-schemas/jobs/`.
    const SCHEMA_FILE: &'static str;
    /// The schema's title.
    const TITLE: &'static str;

    /// The payload's JSON Schema, as published in `proto-schemas/jobs/`.
    #[must_use]
    fn payload_schema() -> serde_json::Value {
        let settings = schemars::generate::SchemaSettings::draft2020_12();
        let mut schema = settings.into_generator().into_root_schema_for::<Self>();
        schema.insert(
            "$id".to_owned(),
            format!("https://datamill.dev/schemas/jobs/{}", Self::SCHEMA_FILE).into(),
        );
        schema.insert("title".to_owned(), Self::TITLE.into());
        schema.to_value()
    }
}

/// Run pipeline execution `execution_id` (a `pipeline_executions` row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineJob {
    pub execution_id: Uuid,
}

impl Job for PipelineJob {
    const QUEUE: &'static str = PIPELINE_QUEUE;
    const MAX_ATTEMPTS: u32 = PIPELINE_MAX_ATTEMPTS;
    const SCHEMA_FILE: &'static str = "pipeline_job.schema.json";
    const TITLE: &'static str = "Pipeline job (queue `pipeline`)";
}

/// Compute the EDA of dataset version `dataset_id` (its `dataset_eda` row holds the run's state,
/// `datasets.metadata.eda` the result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EdaJob {
    pub dataset_id: Uuid,
}

impl Job for EdaJob {
    const QUEUE: &'static str = EDA_QUEUE;
    const MAX_ATTEMPTS: u32 = EDA_MAX_ATTEMPTS;
    const SCHEMA_FILE: &'static str = "eda_job.schema.json";
    const TITLE: &'static str = "EDA job (queue `eda`)";
}

/// The backend settings producers and workers of queue `J::QUEUE` share. The heartbeat is also
/// how a worker finds orphaned jobs: a job whose worker missed 3 beats goes back to the queue.
#[must_use]
pub fn config<J: Job>(heartbeat: Duration) -> Config {
    Config::default()
        .queue(J::QUEUE)
        .heartbeat_interval(heartbeat)
        .missed_heartbeats(3)
        // One job at a time per fetch: jobs are long, and a batch would hold jobs other
        // workers could start.
        .batch_size(1)
}

/// Queue `J::QUEUE` on `pool`.
#[must_use]
pub fn storage<J: Job>(pool: &PgPool, heartbeat: Duration) -> PostgresStorage<J> {
    PostgresStorage::<J>::new(pool).with_config(config::<J>(heartbeat))
}

/// The pipeline queue on `pool`.
#[must_use]
pub fn pipeline_storage(pool: &PgPool, heartbeat: Duration) -> PostgresStorage<PipelineJob> {
    storage::<PipelineJob>(pool, heartbeat)
}

/// Creates apalis' schema and tables (idempotent; its own migrations, under a lock).
pub async fn setup(pool: &PgPool) -> Result<(), sqlx::Error> {
    PostgresStorage::setup(pool)
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))
}

/// Why a job could not be queued.
pub type EnqueueError = Box<dyn std::error::Error + Send + Sync>;

/// Queues `job`; returns its id (`apalis.jobs.id`).
pub async fn enqueue<J: Job>(pool: &PgPool, job: J) -> Result<String, EnqueueError> {
    use apalis::prelude::TaskSink;
    let id = TaskId::from_ulid(ulid::Ulid::generate());
    let task = TaskBuilder::new(job)
        .task_id(id.clone())
        .max_attempts(J::MAX_ATTEMPTS as usize)
        .build();
    let mut storage = storage::<J>(pool, Duration::from_secs(5));
    storage
        .push_task(task)
        .await
        .map_err(|e| -> EnqueueError { e.to_string().into() })?;
    Ok(id.to_string())
}

/// Queues a run of execution `execution_id`; returns the job id (`apalis.jobs.id`).
pub async fn enqueue_pipeline(pool: &PgPool, execution_id: Uuid) -> Result<String, EnqueueError> {
    enqueue(pool, PipelineJob { execution_id }).await
}

/// Queues the EDA of dataset `dataset_id`; returns the job id (`apalis.jobs.id`).
pub async fn enqueue_eda(pool: &PgPool, dataset_id: Uuid) -> Result<String, EnqueueError> {
    enqueue(pool, EdaJob { dataset_id }).await
}

/// Why an EDA run could not be requested.
#[derive(Debug, thiserror::Error)]
pub enum EdaRequestError {
    /// A run of this dataset is in progress; it will be current when it ends.
    #[error("an EDA run of dataset {0} is in progress")]
    Running(Uuid),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// The state of a dataset's EDA request after [`request_eda`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdaRequest {
    /// The queue job that will run it; `None` when queueing failed (the eda-worker's sweep queues
    /// it within seconds) or a run was already waiting.
    pub job_id: Option<String>,
    /// A run was already waiting for this dataset: nothing new was queued.
    pub already_pending: bool,
}

/// Asks for a (new) EDA run of dataset `dataset_id`, which must exist: its `dataset_eda` row is
/// reset to PENDING and a job queued. A waiting run is left as it is; a running one refuses
/// ([`EdaRequestError::Running`]).
pub async fn request_eda(pool: &PgPool, dataset_id: Uuid) -> Result<EdaRequest, EdaRequestError> {
    let reset: Option<(Uuid,)> = sqlx::query_as(
        "INSERT INTO dataset_eda (dataset_id) VALUES ($1) \
         ON CONFLICT (dataset_id) DO UPDATE SET status = 'PENDING', current_stage = NULL, \
             processed_count = 0, total_count = 0, error_message = NULL, attempts = 0, \
             job_id = NULL, worker_id = NULL, requested_at = now(), started_at = NULL, \
             finished_at = NULL, updated_at = now() \
         WHERE dataset_eda.status IN ('DONE', 'FAILED') \
         RETURNING dataset_id",
    )
    .bind(dataset_id)
    .fetch_optional(pool)
    .await?;
    if reset.is_none() {
        let status: Option<String> =
            sqlx::query_scalar("SELECT status::text FROM dataset_eda WHERE dataset_id = $1")
                .bind(dataset_id)
                .fetch_optional(pool)
                .await?;
        return match status.as_deref() {
            Some("RUNNING") => Err(EdaRequestError::Running(dataset_id)),
            _ => Ok(EdaRequest {
                job_id: None,
                already_pending: true,
            }),
        };
    }
    let job_id = match enqueue_eda(pool, dataset_id).await {
        Ok(job_id) => {
            sqlx::query(
                "UPDATE dataset_eda SET job_id = $2 WHERE dataset_id = $1 AND job_id IS NULL",
            )
            .bind(dataset_id)
            .bind(&job_id)
            .execute(pool)
            .await?;
            Some(job_id)
        }
        Err(error) => {
            tracing::warn!(dataset = %dataset_id, %error, "the EDA run could not be queued; the eda-worker's sweep will");
            None
        }
    };
    Ok(EdaRequest {
        job_id,
        already_pending: false,
    })
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
    fn the_payloads_are_objects_with_their_ids() {
        let schema = PipelineJob::payload_schema();
        assert_eq!(schema["required"][0], "execution_id");
        assert_eq!(EdaJob::payload_schema()["required"][0], "dataset_id");
        assert_ne!(PipelineJob::QUEUE, EdaJob::QUEUE);
        let job: PipelineJob = serde_json::from_value(
            serde_json::json!({"execution_id": Uuid::nil()}),
        )
        .unwrap_or(PipelineJob {
            execution_id: Uuid::max(),
        });
        assert_eq!(job.execution_id, Uuid::nil());
    }
}
