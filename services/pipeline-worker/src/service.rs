//! The worker as a service: apalis consumes the `pipeline` queue (LISTEN/NOTIFY for pick-up,
//! heartbeats for orphaned jobs), one pipeline at a time per worker; more replicas run more
//! pipelines. Alongside: this worker's heartbeat row, and a sweep that queues executions left
//! PENDING without a job (the registry enqueues after its transaction commits; a crash between
//! the two is repaired here).

use std::sync::Arc;
use std::time::Duration;

use apalis::layers::retry::HasherRng;
use apalis::layers::retry::RetryPolicy;
use apalis::layers::retry::backoff::{ExponentialBackoffMaker, MakeBackoff};
use apalis::prelude::*;
use datamill_platform::config::StorageConfig;
use datamill_queue::PipelineJob;
use datamill_storage::{LocalStorageClient, StorageClient};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::watch;
use uuid::Uuid;

use crate::config::WorkerConfig;
use crate::heartbeat;
use crate::run::{Context, fail, run_execution};

#[derive(Clone)]
struct State {
    context: Context,
    max_attempts: u32,
    current: Arc<watch::Sender<Option<Uuid>>>,
}

/// One job: run the execution; transient failures go back to apalis for a retry with backoff,
/// and the last attempt's failure is recorded on the execution.
async fn handle(job: PipelineJob, attempt: Attempt, state: Data<State>) -> Result<(), BoxDynError> {
    let id = job.execution_id;
    // apalis re-queues a job whose worker died without counting it against max_attempts: a job
    // that kills its worker (out of memory) would loop forever.
    if attempt.current() > state.max_attempts as usize {
        let message = format!(
            "gave up after {} attempts (the worker running it stopped each time)",
            attempt.current() - 1
        );
        fail(&state.context, id, &message).await?;
        return Err(AbortError::new(message).into());
    }
    state.current.send_replace(Some(id));
    let result = run_execution(&state.context, id).await;
    state.current.send_replace(None);
    match result {
        Ok(outcome) => {
            tracing::info!(execution = %id, ?outcome, attempt = attempt.current(), "pipeline run ended");
            Ok(())
        }
        Err(error) if attempt.current() >= state.max_attempts as usize => {
            tracing::error!(execution = %id, %error, "pipeline run failed on its last attempt");
            fail(
                &state.context,
                id,
                &format!("gave up after {} attempts: {error}", attempt.current()),
            )
            .await?;
            Err(AbortError::new(error.to_string()).into())
        }
        Err(error) => {
            tracing::warn!(execution = %id, %error, attempt = attempt.current(), "pipeline run will be retried");
            Err(error.0.into())
        }
    }
}

/// A running worker.
#[derive(Debug)]
pub struct RunningWorker {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl RunningWorker {
    /// Stops taking jobs, lets the running one finish, and returns.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.stop.send_replace(true);
        self.task.await?
    }
}

/// Connects, sets the queue up and starts consuming.
pub async fn start(config: WorkerConfig) -> anyhow::Result<RunningWorker> {
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
    datamill_db::migrate(&db).await?;
    datamill_queue::setup(&queue_pool).await?;
    let storage: Arc<dyn StorageClient> = match &config.storage {
        StorageConfig::Local { base } => Arc::new(LocalStorageClient::new(base)?),
    };
    let host = crate::config::hostname();
    heartbeat::register(&db, &config.worker_id, &host).await?;
    let (current, current_rx) = watch::channel(None);
    let (stop, stop_rx) = watch::channel(false);
    tokio::spawn(heartbeat::run(
        db.clone(),
        config.worker_id.clone(),
        config.heartbeat,
        current_rx,
        stop_rx.clone(),
    ));
    tokio::spawn(sweep(db.clone(), queue_pool.clone(), stop_rx.clone()));

    let state = State {
        context: Context {
            db,
            storage,
            worker_id: config.worker_id.clone(),
            threads: config.threads,
            progress_interval: config.progress_interval,
        },
        max_attempts: config.max_attempts,
        current: Arc::new(current),
    };
    let backend = datamill_queue::pipeline_storage(&queue_pool, config.heartbeat).with_pubsub();
    // apalis keys its liveness on the worker name: a restarted process must not reuse its
    // predecessor's, or the jobs the dead one held look alive and are never re-queued.
    let name = format!("{}-{}", config.worker_id, ulid::Ulid::generate());
    let retries = config.max_attempts.saturating_sub(1) as usize;
    let monitor = Monitor::new()
        .register(move |_restarts| {
            // Constant, valid bounds: the maker cannot refuse them.
            #[allow(clippy::expect_used, reason = "constant arguments")]
            let backoff = ExponentialBackoffMaker::new(
                Duration::from_secs(1),
                Duration::from_secs(30),
                0.0,
                HasherRng::default(),
            )
            .expect("valid backoff bounds")
            .make_backoff();
            WorkerBuilder::new(name.clone())
                .backend(backend.clone())
                .data(state.clone())
                .concurrency(1)
                .retry(RetryPolicy::retries(retries).with_backoff(backoff))
                .build(handle)
        })
        .shutdown_timeout(Duration::from_hours(1));
    let mut stopping = stop_rx;
    let task = tokio::spawn(async move {
        monitor
            .run_with_signal(async move {
                while !*stopping.borrow() {
                    if stopping.changed().await.is_err() {
                        break;
                    }
                }
                Ok(())
            })
            .await?;
        Ok(())
    });
    tracing::info!(worker = %config.worker_id, "pipeline worker started");
    Ok(RunningWorker { stop, task })
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
