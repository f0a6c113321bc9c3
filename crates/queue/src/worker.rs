//! What every queue worker (pipeline-worker, eda-worker) runs around its jobs: apalis consuming
//! one queue (LISTEN/NOTIFY pick-up, heartbeats for orphaned jobs), one job at a time, retries
//! with exponential backoff, an attempt guard, a unique apalis name per process, this worker's
//! heartbeat row, SIGTERM = finish the running job, and the container health check.
//!
//! A worker only says what a job is ([`Handler::run`]) and how a job that is given up is
//! recorded ([`Handler::give_up`]).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use apalis::layers::retry::HasherRng;
use apalis::layers::retry::RetryPolicy;
use apalis::layers::retry::backoff::{ExponentialBackoffMaker, MakeBackoff};
use apalis::prelude::*;
use apalis_postgres::PgPool;
use tokio::sync::watch;
use uuid::Uuid;

use crate::Job;

/// A failure of one run; the job is retried (with backoff) until its attempts are used up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retry(pub String);

/// The work of one queue.
pub trait Handler<J: Job>: Clone + Send + Sync + 'static {
    /// The row a job is about (an execution, a dataset): logged, and shown in the heartbeat row.
    fn subject(job: &J) -> Uuid;

    /// Runs `job`. `Ok` ends it (whatever the outcome recorded in our tables); `Err` asks for
    /// another attempt.
    fn run(&self, job: J) -> impl Future<Output = Result<(), Retry>> + Send;

    /// Records that `job` is given up for `reason` (its last attempt failed, or the workers
    /// running it kept dying).
    fn give_up(&self, job: J, reason: String) -> impl Future<Output = Result<(), Retry>> + Send;
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Written in the heartbeat row; the apalis name adds a per-process suffix to it.
    pub worker_id: String,
    pub heartbeat: Duration,
    /// Runs of one job before it is given up.
    pub max_attempts: u32,
    /// The heartbeat table (`pipeline_workers`, `eda_workers`) and its column naming the job's
    /// subject. Constants of the caller: they are interpolated into SQL.
    pub heartbeat_table: &'static str,
    pub subject_column: &'static str,
}

#[derive(Clone)]
struct State<H> {
    handler: H,
    max_attempts: u32,
    current: Arc<watch::Sender<Option<Uuid>>>,
}

async fn handle<J: Job, H: Handler<J>>(
    job: J,
    attempt: Attempt,
    state: Data<State<H>>,
) -> Result<(), BoxDynError> {
    let subject = H::subject(&job);
    // apalis re-queues a job whose worker died without counting it against max_attempts: a job
    // that kills its worker (out of memory) would loop forever.
    if attempt.current() > state.max_attempts as usize {
        let reason = format!(
            "gave up after {} attempts (the worker running it stopped each time)",
            attempt.current() - 1
        );
        state
            .handler
            .give_up(job, reason.clone())
            .await
            .map_err(|Retry(error)| -> BoxDynError { error.into() })?;
        return Err(AbortError::new(reason).into());
    }
    state.current.send_replace(Some(subject));
    let result = state.handler.run(job.clone()).await;
    state.current.send_replace(None);
    match result {
        Ok(()) => {
            tracing::info!(queue = J::QUEUE, %subject, attempt = attempt.current(), "job ended");
            Ok(())
        }
        Err(Retry(error)) if attempt.current() >= state.max_attempts as usize => {
            tracing::error!(queue = J::QUEUE, %subject, %error, "job failed on its last attempt");
            let reason = format!("gave up after {} attempts: {error}", attempt.current());
            state
                .handler
                .give_up(job, reason)
                .await
                .map_err(|Retry(error)| -> BoxDynError { error.into() })?;
            Err(AbortError::new(error).into())
        }
        Err(Retry(error)) => {
            tracing::warn!(queue = J::QUEUE, %subject, %error, attempt = attempt.current(), "job will be retried");
            Err(error.into())
        }
    }
}

/// A running consumer.
#[derive(Debug)]
pub struct Consumer {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<Result<(), String>>,
}

impl Consumer {
    /// Stops taking jobs, lets the running one finish, and returns.
    pub async fn stop(self) -> Result<(), String> {
        self.stop.send_replace(true);
        self.task.await.map_err(|error| error.to_string())?
    }

    /// A receiver that turns `true` when the consumer is asked to stop (for the worker's own
    /// background tasks).
    #[must_use]
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }
}

/// Registers this worker's heartbeat row and starts consuming queue `J::QUEUE` from `pool` with
/// `handler`. Must run inside a Tokio runtime.
pub async fn consume<J: Job, H: Handler<J>>(
    pool: &PgPool,
    options: &WorkerOptions,
    handler: H,
) -> Result<Consumer, sqlx::Error> {
    let host = hostname();
    register(pool, options, &host).await?;
    let (current, current_rx) = watch::channel(None);
    let (stop, stop_rx) = watch::channel(false);
    tokio::spawn(heartbeat(
        pool.clone(),
        options.clone(),
        current_rx,
        stop_rx.clone(),
    ));
    let state = State {
        handler,
        max_attempts: options.max_attempts,
        current: Arc::new(current),
    };
    let backend = crate::storage::<J>(pool, options.heartbeat).with_pubsub();
    // apalis keys its liveness on the worker name: a restarted process must not reuse its
    // predecessor's, or the jobs the dead one held look alive and are never re-queued.
    let name = format!("{}-{}", options.worker_id, ulid::Ulid::generate());
    let retries = options.max_attempts.saturating_sub(1) as usize;
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
                .build(handle::<J, H>)
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
            .await
            .map_err(|error| error.to_string())
    });
    tracing::info!(queue = J::QUEUE, worker = %options.worker_id, "worker started");
    Ok(Consumer { stop, task })
}

/// This machine's name (the heartbeat row's `host`).
#[must_use]
pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_owned())
        .ok()
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Registers (or re-registers, after a restart with the same id) this worker.
async fn register(pool: &PgPool, options: &WorkerOptions, host: &str) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO {table} (id, host, pid, version) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, \
         version = EXCLUDED.version, started_at = now(), last_seen_at = now(), {subject} = NULL",
        table = options.heartbeat_table,
        subject = options.subject_column,
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&options.worker_id)
        .bind(host)
        .bind(i32::try_from(std::process::id()).unwrap_or(i32::MAX))
        .bind(env!("CARGO_PKG_VERSION"))
        .execute(pool)
        .await?;
    Ok(())
}

/// Beats every interval with the subject `current` holds, until `stop` turns true. A failed beat
/// (the database away) is logged and the next one tried.
async fn heartbeat(
    pool: PgPool,
    options: WorkerOptions,
    current: watch::Receiver<Option<Uuid>>,
    mut stop: watch::Receiver<bool>,
) {
    let sql = format!(
        "UPDATE {table} SET last_seen_at = now(), {subject} = $2 WHERE id = $1",
        table = options.heartbeat_table,
        subject = options.subject_column,
    );
    loop {
        let running = *current.borrow();
        if let Err(error) = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(&options.worker_id)
            .bind(running)
            .execute(&pool)
            .await
        {
            tracing::warn!(%error, "heartbeat not written");
        }
        tokio::select! {
            () = tokio::time::sleep(options.heartbeat) => {}
            _ = stop.changed() => {
                if *stop.borrow() {
                    return;
                }
            }
        }
    }
}

/// `<worker> healthcheck`, the container health check of every worker binary: success when the
/// database of `DATABASE_URL` answers within 3 s.
pub async fn healthcheck_command() -> std::process::ExitCode {
    use std::process::ExitCode;
    let Ok(url) = std::env::var("DATABASE_URL") else {
        eprintln!("DATABASE_URL is not set");
        return ExitCode::FAILURE;
    };
    if database_answers(&url).await {
        ExitCode::SUCCESS
    } else {
        eprintln!("the database does not answer");
        ExitCode::FAILURE
    }
}

/// The container health check: `true` when the database at `url` answers within 3 s.
pub async fn database_answers(url: &str) -> bool {
    let Ok(pool) = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(3))
        .connect_lazy(url)
    else {
        return false;
    };
    let ping = tokio::time::timeout(
        Duration::from_secs(3),
        sqlx::query("SELECT 1").execute(&pool),
    )
    .await;
    matches!(ping, Ok(Ok(_)))
}

/// Waits for SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        if let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
