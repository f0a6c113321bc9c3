//! One execution, start to finish.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use datamill_core::Files;
use datamill_core::pipeline::{
    self, ExecuteOptions, PipelineConfig, PipelineError, Progress, ResolveOptions, SourceFacts,
    Stage, Status,
};
use datamill_db::entity::{manipulator, pipeline_execution};
use datamill_db::types::ExecutionStatus;
use datamill_notify::{PipelineEvent, PipelineOutcome};
use datamill_storage::{StorageClient, StoragePath};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, Statement};
use uuid::Uuid;

/// What a run needs.
#[derive(Clone)]
pub struct Context {
    pub db: DatabaseConnection,
    pub storage: Arc<dyn StorageClient>,
    /// Written on the execution while it runs.
    pub worker_id: String,
    /// Phase B threads (0: one per core).
    pub threads: usize,
    /// How often progress is written (and the cancel flag read).
    pub progress_interval: Duration,
    /// Mails the end of each pipeline, when SMTP is configured.
    pub notifier: Option<Arc<datamill_notify::Notifier>>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("worker_id", &self.worker_id)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Cancelled,
    /// The execution had ended before (a duplicate delivery): nothing was done.
    AlreadyEnded,
    /// The data or the config is wrong: the execution is FAILED, retrying would fail again.
    Failed,
}

/// A failure worth retrying (the database or the storage went away); the execution stays
/// RUNNING with the error noted, and the next attempt resumes.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RunError(pub String);

impl From<DbErr> for RunError {
    fn from(error: DbErr) -> Self {
        Self(format!("database: {error}"))
    }
}

/// A permanent failure, with the message stored on the execution.
struct Permanent(String);

async fn exec(
    db: &DatabaseConnection,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<u64, DbErr> {
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await?
        .rows_affected())
}

/// Runs execution `id`.
pub async fn run_execution(context: &Context, id: Uuid) -> Result<Outcome, RunError> {
    let Some(execution) = pipeline_execution::Entity::find_by_id(id)
        .one(&context.db)
        .await?
    else {
        return Err(RunError(format!("there is no pipeline execution {id}")));
    };
    if matches!(
        execution.status,
        ExecutionStatus::Done | ExecutionStatus::Failed | ExecutionStatus::Cancelled
    ) {
        return Ok(Outcome::AlreadyEnded);
    }
    if execution.cancel_requested {
        finish_cancelled(context, &execution).await?;
        return Ok(Outcome::Cancelled);
    }
    exec(
        &context.db,
        "UPDATE pipeline_executions SET status = 'RUNNING', attempts = attempts + 1, worker_id = $2, \
         started_at = coalesce(started_at, now()), current_stage = 'loading', error_message = NULL, \
         updated_at = now() WHERE id = $1",
        vec![id.into(), context.worker_id.clone().into()],
    )
    .await?;
    if let Some(dataset) = execution.output_dataset_id {
        let started = exec(
            &context.db,
            "UPDATE datasets SET status = 'PROCESSING', updated_at = now() WHERE id = $1 AND status = 'PENDING'",
            vec![dataset.into()],
        )
        .await?;
        // The list reads the materialized summary: without a refresh it would show PENDING for
        // the whole run. A failed refresh costs only that, so the run goes on.
        if started > 0
            && let Err(error) = datamill_db::refresh_group_summary(&context.db).await
        {
            tracing::warn!(%error, "refreshing the dataset list after PROCESSING failed");
        }
    }
    match run(context, &execution).await {
        Ok(Ran::Done(plan_summary, report)) => {
            finish_done(context, &execution, &plan_summary, report).await?;
            Ok(Outcome::Done)
        }
        Ok(Ran::Cancelled) => {
            finish_cancelled(context, &execution).await?;
            Ok(Outcome::Cancelled)
        }
        Err(Failure::Permanent(Permanent(message))) => {
            finish_failed(context, &execution, &message).await?;
            Ok(Outcome::Failed)
        }
        Err(Failure::Transient(error)) => {
            let _ = exec(
                &context.db,
                "UPDATE pipeline_executions SET error_message = $2, updated_at = now() WHERE id = $1",
                vec![id.into(), format!("will retry: {}", error.0).into()],
            )
            .await;
            Err(error)
        }
    }
}

enum Ran {
    Done(pipeline::PlanSummary, serde_json::Value),
    Cancelled,
}

enum Failure {
    Permanent(Permanent),
    Transient(RunError),
}

impl From<DbErr> for Failure {
    fn from(error: DbErr) -> Self {
        Self::Transient(error.into())
    }
}

fn permanent(message: impl Into<String>) -> Failure {
    Failure::Permanent(Permanent(message.into()))
}

async fn run(context: &Context, execution: &pipeline_execution::Model) -> Result<Ran, Failure> {
    let config = PipelineConfig::from_value(execution.config.clone()).map_err(|problems| {
        permanent(format!(
            "the stored config is invalid: {}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })?;
    let mut references = Vec::new();
    let mut records = Vec::new();
    for (index, source) in config.sources.iter().enumerate() {
        let raw = source
            .dataset_id
            .as_deref()
            .ok_or_else(|| permanent(format!("$.sources[{index}] names no dataset_id")))?;
        let id = Uuid::parse_str(raw.trim()).map_err(|_| {
            permanent(format!(
                "$.sources[{index}].dataset_id {raw:?} is not a UUID"
            ))
        })?;
        let record = match datamill_db::sources::load(&context.db, id).await {
            Ok(record) => record,
            Err(datamill_db::sources::SourceError::Database(error)) => return Err(error.into()),
            Err(error) => return Err(permanent(format!("source {index}: {error}"))),
        };
        if !record.is_ready() {
            return Err(permanent(format!(
                "source {index} (dataset {id}) is no longer READY"
            )));
        }
        references.push(id.to_string());
        records.push(record);
    }
    let labels = pipeline::resolve::source_labels(&references);
    let mut facts = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (record, label) in records.into_iter().zip(labels) {
        dirs.push(storage_dir(&record.dataset.storage_uri)?);
        facts.push(SourceFacts {
            label,
            format: record.format,
            task_types: record.task_types,
            modality: record.modality,
        });
    }
    let statuses = manipulator::Entity::find()
        .all(&context.db)
        .await?
        .into_iter()
        .filter_map(|m| {
            let status: Status =
                serde_json::from_value(serde_json::to_value(m.status).ok()?).ok()?;
            Some((m.name, status))
        })
        .collect();
    let options = ResolveOptions {
        refuse_experimental: false,
        statuses,
    };
    let resolved = pipeline::resolve(&config, &facts, &options).map_err(|problems| {
        permanent(
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let dataset = match execution.output_dataset_id {
        Some(dataset) => datamill_db::sources::load(&context.db, dataset)
            .await
            .map_err(|e| permanent(format!("the output dataset: {e}")))?,
        None => return Err(permanent("the output dataset was deleted")),
    };
    let output = storage_dir(&dataset.dataset.storage_uri)?;

    let progress = Arc::new(Shared::default());
    let reporter = tokio::spawn(report_progress(
        context.clone(),
        execution.id,
        Arc::clone(&progress),
    ));
    let threads = context.threads;
    let shared = Arc::clone(&progress);
    let storage = Arc::clone(&context.storage);
    let result = tokio::task::spawn_blocking(
        move || -> Result<(pipeline::Plan, pipeline::ExecutionSummary), PipelineError> {
            let files = Files::new(storage.as_ref());
            let loaded = resolved
                .sources
                .iter()
                .zip(&dirs)
                .map(|(source, dir)| pipeline::load_source(files, &source.facts, dir))
                .collect::<Result<Vec<_>, _>>()?;
            let plan = pipeline::phase_a(files, &resolved, loaded, shared.as_ref())?;
            let options = ExecuteOptions {
                threads,
                ..ExecuteOptions::default()
            };
            let summary = pipeline::execute(files, &plan, &output, &options, shared.as_ref())?;
            Ok((plan, summary))
        },
    )
    .await;
    progress.finished.store(true, Ordering::SeqCst);
    progress.wake.notify_one();
    let _ = reporter.await;
    match result {
        Err(join) => Err(Failure::Transient(RunError(format!(
            "the run stopped: {join}"
        )))),
        Ok(Err(PipelineError::Cancelled)) => Ok(Ran::Cancelled),
        Ok(Err(error)) if error.is_transient() => {
            Err(Failure::Transient(RunError(error.to_string())))
        }
        Ok(Err(error)) => Err(permanent(error.to_string())),
        Ok(Ok((plan, _))) => {
            let report = serde_json::to_value(&plan.report).unwrap_or_default();
            Ok(Ran::Done(plan.summary, report))
        }
    }
}

/// A dataset's directory in storage, checked (the engine reads and writes through
/// [`Files`] with these paths).
fn storage_dir(storage_uri: &str) -> Result<PathBuf, Failure> {
    StoragePath::parse(storage_uri)
        .map(|path| PathBuf::from(path.as_str()))
        .map_err(|e| permanent(format!("{storage_uri}: {e}")))
}

/// Progress shared between the engine's threads and the reporter task.
#[derive(Default)]
struct Shared {
    latest: Mutex<Option<(Stage, u64, u64)>>,
    cancel: AtomicBool,
    finished: AtomicBool,
    /// Wakes the reporter when the run ends, so it does not sleep out its interval.
    wake: tokio::sync::Notify,
}

impl Progress for Shared {
    fn update(&self, stage: Stage, done: u64, total: u64) {
        if let Ok(mut latest) = self.latest.lock() {
            *latest = Some((stage, done, total));
        }
    }
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Writes the latest progress every interval (only when it changed) and reads the cancel flag.
async fn report_progress(context: Context, id: Uuid, shared: Arc<Shared>) {
    let mut written = None;
    loop {
        let latest = shared.latest.lock().ok().and_then(|l| *l);
        if latest != written
            && let Some((stage, done, total)) = latest
        {
            let saved = exec(
                &context.db,
                "UPDATE pipeline_executions SET current_stage = $2, processed_count = $3, total_count = $4, \
                 updated_at = now() WHERE id = $1 RETURNING cancel_requested",
                vec![
                    id.into(),
                    stage.as_str().into(),
                    i32::try_from(done).unwrap_or(i32::MAX).into(),
                    i32::try_from(total).unwrap_or(i32::MAX).into(),
                ],
            )
            .await;
            if saved.is_ok() {
                written = latest;
            }
        }
        if let Ok(Some(row)) = context
            .db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT cancel_requested FROM pipeline_executions WHERE id = $1",
                [id.into()],
            ))
            .await
            && row.try_get::<bool>("", "cancel_requested").unwrap_or(false)
        {
            shared.cancel.store(true, Ordering::Relaxed);
        }
        if shared.finished.load(Ordering::SeqCst) {
            return;
        }
        // `notify_one` keeps a permit when nobody waits yet: an end signalled between the check
        // above and this wait is not lost.
        tokio::select! {
            () = tokio::time::sleep(context.progress_interval) => {}
            () = shared.wake.notified() => {}
        }
    }
}

async fn finish_done(
    context: &Context,
    execution: &pipeline_execution::Model,
    summary: &pipeline::PlanSummary,
    report: serde_json::Value,
) -> Result<(), RunError> {
    let as_i32 = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
    if let Some(dataset) = execution.output_dataset_id {
        let metadata = serde_json::json!({
            "counts": {"images": summary.images, "annotations": summary.annotations, "classes": summary.categories},
            "class_histogram": summary.classes,
            "pipeline_execution_id": execution.id,
        });
        exec(
            &context.db,
            "UPDATE datasets SET status = 'READY', image_count = $2, class_count = $3, metadata = $4, \
             managed_storage = true, updated_at = now() WHERE id = $1",
            vec![
                dataset.into(),
                as_i32(summary.images).into(),
                as_i32(summary.categories).into(),
                metadata.into(),
            ],
        )
        .await?;
    }
    exec(
        &context.db,
        "UPDATE pipeline_executions SET status = 'DONE', current_stage = 'done', processed_count = $2, \
         total_count = $2, report = $3, error_message = NULL, finished_at = now(), updated_at = now() WHERE id = $1",
        vec![execution.id.into(), as_i32(summary.images).into(), report.into()],
    )
    .await?;
    datamill_db::refresh_group_summary(&context.db).await?;
    notify(
        context,
        execution,
        PipelineOutcome::Done,
        Some((summary.images, summary.annotations)),
        None,
    );
    if let Some(dataset) = execution.output_dataset_id {
        // A new READY version gets its EDA without anyone asking. Not being able to queue it
        // does not undo the run: the eda-worker's sweep queues READY versions without one.
        if let Err(error) =
            datamill_queue::request_eda(context.db.get_postgres_connection_pool(), dataset).await
        {
            tracing::warn!(%dataset, %error, "the output's EDA could not be requested");
        }
    }
    Ok(())
}

async fn finish_failed(
    context: &Context,
    execution: &pipeline_execution::Model,
    message: &str,
) -> Result<(), RunError> {
    mark_output_error(context, execution).await?;
    exec(
        &context.db,
        "UPDATE pipeline_executions SET status = 'FAILED', error_message = $2, finished_at = now(), \
         updated_at = now() WHERE id = $1",
        vec![execution.id.into(), message.into()],
    )
    .await?;
    datamill_db::refresh_group_summary(&context.db).await?;
    notify(
        context,
        execution,
        PipelineOutcome::Failed,
        None,
        Some(message.to_owned()),
    );
    Ok(())
}

/// Mails the end of a run in the background: a mail server that is slow or away must not hold
/// the worker or change the run's outcome, so failures are only logged.
fn notify(
    context: &Context,
    execution: &pipeline_execution::Model,
    outcome: PipelineOutcome,
    counts: Option<(u64, u64)>,
    error: Option<String>,
) {
    let Some(notifier) = context.notifier.clone() else {
        return;
    };
    let db = context.db.clone();
    let execution_id = execution.id;
    let dataset = execution.output_dataset_id;
    tokio::spawn(async move {
        let output = match dataset {
            Some(dataset) => output_name(&db, dataset).await,
            None => None,
        };
        let event = PipelineEvent {
            execution_id,
            outcome,
            output,
            images: counts.map(|(images, _)| images),
            annotations: counts.map(|(_, annotations)| annotations),
            error,
            link: None,
        };
        if let Err(error) = notifier.pipeline_ended(&event).await {
            tracing::warn!(execution = %execution_id, %error, "the notification mail was not sent");
        }
    });
}

/// `group/SPLIT/version` of a dataset, for people.
async fn output_name(db: &DatabaseConnection, dataset: Uuid) -> Option<String> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT g.name || '/' || d.split::text || '/' || d.version AS name \
             FROM datasets d JOIN dataset_groups g ON g.id = d.group_id WHERE d.id = $1",
            vec![dataset.into()],
        ))
        .await
        .ok()??;
    row.try_get::<String>("", "name").ok()
}

async fn finish_cancelled(
    context: &Context,
    execution: &pipeline_execution::Model,
) -> Result<(), RunError> {
    mark_output_error(context, execution).await?;
    exec(
        &context.db,
        "UPDATE pipeline_executions SET status = 'CANCELLED', current_stage = 'cancelled', \
         finished_at = now(), updated_at = now() WHERE id = $1",
        vec![execution.id.into()],
    )
    .await?;
    datamill_db::refresh_group_summary(&context.db).await?;
    Ok(())
}

/// The output dataset becomes ERROR *before* the execution shows its end, so that whoever sees
/// the execution ended also sees its output's final status.
async fn mark_output_error(
    context: &Context,
    execution: &pipeline_execution::Model,
) -> Result<(), RunError> {
    if let Some(dataset) = execution.output_dataset_id {
        exec(
            &context.db,
            "UPDATE datasets SET status = 'ERROR', updated_at = now() WHERE id = $1 AND status <> 'READY'",
            vec![dataset.into()],
        )
        .await?;
    }
    Ok(())
}

/// Marks execution `id` FAILED with `message` (and its output dataset ERROR): the last attempt
/// of a job whose failures were all transient.
pub async fn fail(context: &Context, id: Uuid, message: &str) -> Result<(), RunError> {
    let Some(execution) = pipeline_execution::Entity::find_by_id(id)
        .one(&context.db)
        .await?
    else {
        return Ok(());
    };
    finish_failed(context, &execution, message).await
}
