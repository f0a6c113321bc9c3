//! The eda-worker as a service: consumes the `eda` queue one run at a time (more replicas run
//! more), with this worker's heartbeat row in `eda_workers`, and a sweep that queues the runs
//! nobody queued: READY datasets without an EDA (registered before EDA existed, inserted with
//! SQL, or whose request was lost between a commit and its enqueue).

use std::sync::Arc;
use std::time::Duration;

use datamill_platform::config::StorageConfig;
use datamill_queue::EdaJob;
use datamill_queue::worker::{Consumer, Handler, Retry, WorkerOptions};
use datamill_storage::{LocalStorageClient, StorageClient};
use sqlx::PgPool;
use tokio::sync::watch;
use uuid::Uuid;

use crate::config::EdaWorkerConfig;
use crate::run::{Context, finish_failed, run_eda};

#[derive(Clone)]
struct Runs(Context);

impl Handler<EdaJob> for Runs {
    fn subject(job: &EdaJob) -> Uuid {
        job.dataset_id
    }

    async fn run(&self, job: EdaJob) -> Result<(), Retry> {
        let outcome = run_eda(&self.0, job.dataset_id)
            .await
            .map_err(|error| Retry(error.0))?;
        tracing::info!(dataset = %job.dataset_id, ?outcome, "EDA run ended");
        Ok(())
    }

    async fn give_up(&self, job: EdaJob, reason: String) -> Result<(), Retry> {
        finish_failed(&self.0, job.dataset_id, &reason)
            .await
            .map_err(|error| Retry(error.0))
    }
}

/// A running eda-worker.
#[derive(Debug)]
pub struct RunningEdaWorker {
    consumer: Consumer,
}

impl RunningEdaWorker {
    /// Stops taking jobs, lets the running one finish, and returns.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.consumer.stop().await.map_err(anyhow::Error::msg)
    }
}

/// Connects, sets the queue up and starts consuming.
pub async fn start(config: EdaWorkerConfig) -> anyhow::Result<RunningEdaWorker> {
    let storage: Arc<dyn StorageClient> = match &config.storage {
        StorageConfig::Local { base } => Arc::new(LocalStorageClient::new(base)?),
    };
    start_with_storage(config, storage).await
}

/// [`start`] with a storage of the caller's (tests run the worker on other backends).
pub async fn start_with_storage(
    config: EdaWorkerConfig,
    storage: Arc<dyn StorageClient>,
) -> anyhow::Result<RunningEdaWorker> {
    let (db, pool) = datamill_db::connect_lazy(
        config.database.url.as_str(),
        &datamill_db::PoolOptions {
            max_connections: 4,
            ..datamill_db::PoolOptions::default()
        },
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
    let handler = Runs(Context {
        pool: pool.clone(),
        storage,
        worker_id: config.worker_id.clone(),
        progress_interval: config.progress_interval,
        gallery_size: config.gallery_size,
    });
    let options = WorkerOptions {
        worker_id: config.worker_id.clone(),
        heartbeat: config.heartbeat,
        max_attempts: config.max_attempts,
        heartbeat_table: "eda_workers",
        subject_column: "current_dataset_id",
    };
    let consumer = datamill_queue::worker::consume(&queue_pool, &options, handler).await?;
    tokio::spawn(sweep(pool, consumer.stopping()));
    Ok(RunningEdaWorker { consumer })
}

/// Every 10 s: asks for the EDA of READY datasets that have none, and queues runs left PENDING
/// without a job for more than 10 s.
async fn sweep(pool: PgPool, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(error) = sweep_once(&pool).await {
            tracing::warn!(%error, "the EDA sweep failed; it runs again in 10 s");
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(10)) => {}
            _ = stop.changed() => if *stop.borrow() { return },
        }
    }
}

async fn sweep_once(pool: &PgPool) -> Result<(), sqlx::Error> {
    let missing: Vec<Uuid> = sqlx::query_scalar(
        "SELECT d.id FROM datasets d WHERE d.status = 'READY' \
         AND NOT EXISTS (SELECT 1 FROM dataset_eda e WHERE e.dataset_id = d.id) \
         ORDER BY d.updated_at LIMIT 100",
    )
    .fetch_all(pool)
    .await?;
    for id in missing {
        match datamill_queue::request_eda(pool, id).await {
            Ok(_) => tracing::info!(dataset = %id, "queued the EDA of a dataset that had none"),
            Err(error) => tracing::warn!(dataset = %id, %error, "could not request an EDA"),
        }
    }
    let orphans: Vec<Uuid> = sqlx::query_scalar(
        "SELECT dataset_id FROM dataset_eda WHERE status = 'PENDING' AND job_id IS NULL \
         AND requested_at < now() - interval '10 seconds' LIMIT 100",
    )
    .fetch_all(pool)
    .await?;
    for id in orphans {
        match datamill_queue::enqueue_eda(pool, id).await {
            Ok(job) => {
                sqlx::query(
                    "UPDATE dataset_eda SET job_id = $2 WHERE dataset_id = $1 AND job_id IS NULL",
                )
                .bind(id)
                .bind(job)
                .execute(pool)
                .await?;
                tracing::info!(dataset = %id, "queued an EDA run that had no job");
            }
            Err(error) => tracing::warn!(dataset = %id, %error, "could not queue an EDA run"),
        }
    }
    Ok(())
}
