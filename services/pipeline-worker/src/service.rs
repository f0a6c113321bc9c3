//! The worker as a service: apalis consumes the `pipeline` queue (LISTEN/NOTIFY for pick-up,
//! heartbeats for orphaned jobs), one pipeline at a time per worker; more replicas run more
//! pipelines. Alongside: this worker's heartbeat row, and a sweep that queues executions left
//! PENDING without a job (the registry enqueues after its transaction commits; a crash between
//! the two is repaired here).

use std::sync::Arc;
use std::time::Duration;

use datamill_platform::config::StorageConfig;
use datamill_queue::PipelineJob;
use datamill_queue::worker::{Consumer, Handler, Retry, WorkerOptions};
use datamill_storage::{LocalStorageClient, StorageClient};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::watch;
use uuid::Uuid;

use crate::config::WorkerConfig;
use crate::run::{Context, fail, run_execution};

/// A pipeline job is one execution, run end to end; transient failures go back to apalis for a
/// retry with backoff, and the last attempt's failure is recorded on the execution.
#[derive(Clone)]
struct Pipelines(Context);

impl Handler<PipelineJob> for Pipelines {
    fn subject(job: &PipelineJob) -> Uuid {
        job.execution_id
    }

    async fn run(&self, job: PipelineJob) -> Result<(), Retry> {
        let outcome = run_execution(&self.0, job.execution_id)
            .await
            .map_err(|error| Retry(error.0))?;
        tracing::info!(execution = %job.execution_id, ?outcome, "pipeline run ended");
        Ok(())
    }

    async fn give_up(&self, job: PipelineJob, reason: String) -> Result<(), Retry> {
        fail(&self.0, job.execution_id, &reason)
            .await
            .map_err(|error| Retry(error.0))
    }
}

/// A running worker.
#[derive(Debug)]
pub struct RunningWorker {
    consumer: Consumer,
}

impl RunningWorker {
    /// Stops taking jobs, lets the running one finish, and returns.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.consumer.stop().await.map_err(anyhow::Error::msg)
    }
}

/// Connects, sets the queue up and starts consuming.
pub async fn start(config: WorkerConfig) -> anyhow::Result<RunningWorker> {
    let storage: Arc<dyn StorageClient> = match &config.storage {
        StorageConfig::Local { base } => Arc::new(LocalStorageClient::new(base)?),
    };
    start_with_storage(config, storage).await
}

/// [`start`] with a storage of the caller's (tests run the worker on other backends).
pub async fn start_with_storage(
    config: WorkerConfig,
    storage: Arc<dyn StorageClient>,
) -> anyhow::Result<RunningWorker> {
    let (db, _) = datamill_db::connect_lazy(
        config.database.url.as_str(),
        &datamill_db::PoolOptions::default(),
    )?;
    // apalis holds long-lived connections (the LISTEN one, the fetcher): its own pool.
    let (_, queue_pool) = datamill_db::connect_lazy(
        config.database.url.as_str(),
        &datamill_db::PoolOptions {
            max_connections: 4,
            ..datamill_db::PoolOptions::default()
        },
    )?;
    if config.migrate_on_start {
        datamill_db::migrate(&db).await?;
        datamill_queue::setup(&queue_pool).await?;
    } else {
        datamill_db::wait_for_schema(&db, &["apalis.jobs"], config.migrate_timeout).await?;
    }
    let notifier = match config.smtp.clone() {
        Some(smtp) => Some(Arc::new(datamill_notify::Notifier::new(smtp).map_err(
            |error| anyhow::anyhow!("setting up the notification mailer: {error}"),
        )?)),
        None => None,
    };
    let handler = Pipelines(Context {
        db: db.clone(),
        storage,
        worker_id: config.worker_id.clone(),
        threads: config.threads,
        progress_interval: config.progress_interval,
        notifier,
    });
    let options = WorkerOptions {
        worker_id: config.worker_id.clone(),
        heartbeat: config.heartbeat,
        max_attempts: config.max_attempts,
        heartbeat_table: "pipeline_workers",
        subject_column: "current_execution_id",
    };
    let consumer = datamill_queue::worker::consume(&queue_pool, &options, handler).await?;
    tokio::spawn(sweep(db, queue_pool, consumer.stopping()));
    Ok(RunningWorker { consumer })
}

/// Queues executions left PENDING without a job for more than 10 s, every 10 s.
async fn sweep(
    db: DatabaseConnection,
    pool: apalis_postgres::PgPool,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if let Ok(rows) = db
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT id FROM pipeline_executions WHERE status = 'PENDING' AND job_id IS NULL \
                 AND NOT cancel_requested AND created_at < now() - interval '10 seconds' LIMIT 100",
            ))
            .await
        {
            for row in rows {
                let Ok(id) = row.try_get::<Uuid>("", "id") else {
                    continue;
                };
                match datamill_queue::enqueue_pipeline(&pool, id).await {
                    Ok(job) => {
                        let _ = db
                            .execute_raw(Statement::from_sql_and_values(
                                DbBackend::Postgres,
                                "UPDATE pipeline_executions SET job_id = $2 WHERE id = $1 AND job_id IS NULL",
                                [id.into(), job.into()],
                            ))
                            .await;
                        tracing::info!(execution = %id, "queued an execution that had no job");
                    }
                    Err(error) => tracing::warn!(execution = %id, %error, "could not queue"),
                }
            }
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(10)) => {}
            _ = stop.changed() => if *stop.borrow() { return },
        }
    }
}
