//! One EDA run, start to finish.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use datamill_core::AnnotationFormat;
use datamill_core::codecs::{self, ReadOptions};
use datamill_core::eda::{self, EdaError, EdaOptions, EdaReport, GalleryOptions, Progress, Stage};
use datamill_core::files::Files;
use datamill_storage::StorageClient;
use sqlx::PgPool;
use uuid::Uuid;

/// What a run needs.
#[derive(Clone)]
pub struct Context {
    pub pool: PgPool,
    pub storage: Arc<dyn StorageClient>,
    /// Written on the run while it runs.
    pub worker_id: String,
    /// How often progress is written.
    pub progress_interval: Duration,
    /// Thumbnails in the gallery (0: none).
    pub gallery_size: usize,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("worker_id", &self.worker_id)
            .field("gallery_size", &self.gallery_size)
            .finish_non_exhaustive()
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// The run had ended before, or its dataset is gone (a duplicate or stale delivery): nothing
    /// was done.
    AlreadyEnded,
    /// The dataset cannot be analysed (not READY, unreadable annotations): the run is FAILED with
    /// the reason; retrying would fail again.
    Failed,
}

/// A failure worth retrying (the database or the storage went away).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RunError(pub String);

impl From<sqlx::Error> for RunError {
    fn from(error: sqlx::Error) -> Self {
        Self(format!("database: {error}"))
    }
}

#[derive(sqlx::FromRow)]
struct Subject {
    status: String,
    dataset_status: String,
    storage_uri: String,
    format: String,
}

/// Runs the EDA of dataset `dataset_id`.
pub async fn run_eda(context: &Context, dataset_id: Uuid) -> Result<Outcome, RunError> {
    let subject: Option<Subject> = sqlx::query_as(
        "SELECT e.status::text AS status, d.status::text AS dataset_status, d.storage_uri, \
                COALESCE(d.annotation_format, g.annotation_format) AS format \
         FROM dataset_eda e JOIN datasets d ON d.id = e.dataset_id \
         JOIN dataset_groups g ON g.id = d.group_id WHERE e.dataset_id = $1",
    )
    .bind(dataset_id)
    .fetch_optional(&context.pool)
    .await?;
    let Some(subject) = subject else {
        return Ok(Outcome::AlreadyEnded);
    };
    if matches!(subject.status.as_str(), "DONE" | "FAILED") {
        return Ok(Outcome::AlreadyEnded);
    }
    if subject.dataset_status != "READY" {
        finish_failed(
            context,
            dataset_id,
            &format!(
                "the dataset is {}, not READY: only finished versions are analysed",
                subject.dataset_status
            ),
        )
        .await?;
        return Ok(Outcome::Failed);
    }
    let Ok(format) = subject.format.parse::<AnnotationFormat>() else {
        finish_failed(
            context,
            dataset_id,
            &format!("unknown annotation format {:?}", subject.format),
        )
        .await?;
        return Ok(Outcome::Failed);
    };
    sqlx::query(
        "UPDATE dataset_eda SET status = 'RUNNING', attempts = attempts + 1, worker_id = $2, \
         started_at = now(), current_stage = 'reading', processed_count = 0, total_count = 0, \
         error_message = NULL, updated_at = now() WHERE dataset_id = $1",
    )
    .bind(dataset_id)
    .bind(&context.worker_id)
    .execute(&context.pool)
    .await?;
    // The list shows the version's EDA running; the analysis need not wait for that.
    tokio::spawn({
        let context = context.clone();
        async move { refresh_list(&context).await }
    });

    let shared = Arc::new(Shared::default());
    let reporter = tokio::spawn(report_progress(
        context.clone(),
        dataset_id,
        Arc::clone(&shared),
    ));
    let storage = Arc::clone(&context.storage);
    let gallery_size = context.gallery_size;
    let progress = Arc::clone(&shared);
    let uri = subject.storage_uri.clone();
    let result = tokio::task::spawn_blocking(move || {
        analyse(
            Files::new(storage.as_ref()),
            Path::new(&uri),
            format,
            dataset_id,
            gallery_size,
            progress.as_ref(),
        )
    })
    .await;
    shared.finished.store(true, Ordering::SeqCst);
    shared.wake.notify_one();
    let _ = reporter.await;
    match result {
        Err(join) => Err(RunError(format!("the analysis stopped: {join}"))),
        Ok(Ok(report)) => {
            finish_done(context, dataset_id, &report).await?;
            Ok(Outcome::Done)
        }
        Ok(Err(EdaError::Read(error))) if !error.is_storage_failure() => {
            finish_failed(context, dataset_id, &error.to_string()).await?;
            Ok(Outcome::Failed)
        }
        Ok(Err(EdaError::Options(message))) => {
            finish_failed(context, dataset_id, &message).await?;
            Ok(Outcome::Failed)
        }
        // The storage failing to read or write (a NAS away): another attempt may succeed.
        Ok(Err(error)) => {
            let message = error.to_string();
            let _ = sqlx::query(
                "UPDATE dataset_eda SET error_message = $2, updated_at = now() WHERE dataset_id = $1",
            )
            .bind(dataset_id)
            .bind(format!("will retry: {message}"))
            .execute(&context.pool)
            .await;
            Err(RunError(message))
        }
    }
}

/// Reads the dataset once, analyses it and writes its gallery.
fn analyse(
    files: Files<'_>,
    dir: &Path,
    format: AnnotationFormat,
    dataset_id: Uuid,
    gallery_size: usize,
    progress: &dyn Progress,
) -> Result<EdaReport, EdaError> {
    let options = EdaOptions::default();
    progress.update(Stage::Reading, 0, 1);
    let dataset = codecs::read(files, format, dir, &ReadOptions::default())?;
    progress.update(Stage::Reading, 1, 1);
    let mut report = eda::analyse_dataset(files, format, &dataset, &options, progress)?;
    if gallery_size > 0 {
        report.gallery = eda::write_gallery(
            files,
            &dataset,
            &GalleryOptions {
                count: gallery_size,
                ..GalleryOptions::default()
            },
            &eda::eda_dir(dataset_id),
            progress,
        )?;
    }
    Ok(report)
}

async fn finish_done(
    context: &Context,
    dataset_id: Uuid,
    report: &EdaReport,
) -> Result<(), RunError> {
    let value = serde_json::to_value(report)
        .map_err(|error| RunError(format!("the report cannot be stored: {error}")))?;
    let mut transaction = context.pool.begin().await?;
    sqlx::query(
        "UPDATE datasets SET metadata = jsonb_set(COALESCE(metadata, '{}'::jsonb), '{eda}', $2) \
         WHERE id = $1",
    )
    .bind(dataset_id)
    .bind(value)
    .execute(&mut *transaction)
    .await?;
    sqlx::query(
        "UPDATE dataset_eda SET status = 'DONE', current_stage = 'done', error_message = NULL, \
         processed_count = total_count, finished_at = now(), updated_at = now() WHERE dataset_id = $1",
    )
    .bind(dataset_id)
    .execute(&mut *transaction)
    .await?;
    transaction.commit().await?;
    refresh_list(context).await;
    Ok(())
}

/// Marks the run FAILED with `message`.
pub async fn finish_failed(
    context: &Context,
    dataset_id: Uuid,
    message: &str,
) -> Result<(), RunError> {
    sqlx::query(
        "UPDATE dataset_eda SET status = 'FAILED', error_message = $2, finished_at = now(), \
         updated_at = now() WHERE dataset_id = $1",
    )
    .bind(dataset_id)
    .bind(message)
    .execute(&context.pool)
    .await?;
    refresh_list(context).await;
    Ok(())
}

/// The list shows each version's EDA state: refresh its view (a failure only delays that).
async fn refresh_list(context: &Context) {
    let db = sea_orm::SqlxPostgresConnector::from_sqlx_postgres_pool(context.pool.clone());
    if let Err(error) = datamill_db::refresh_group_summary(&db).await {
        tracing::warn!(%error, "refreshing the dataset list after an EDA run failed");
    }
}

/// Progress shared between the analysis threads and the reporter task.
#[derive(Default)]
struct Shared {
    latest: Mutex<Option<(Stage, u64, u64)>>,
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
}

/// Writes the latest progress every interval (only when it changed).
async fn report_progress(context: Context, dataset_id: Uuid, shared: Arc<Shared>) {
    let mut written = None;
    loop {
        let latest = shared.latest.lock().ok().and_then(|l| *l);
        if latest != written
            && let Some((stage, done, total)) = latest
        {
            let saved = sqlx::query(
                "UPDATE dataset_eda SET current_stage = $2, processed_count = $3, total_count = $4, \
                 updated_at = now() WHERE dataset_id = $1 AND status = 'RUNNING'",
            )
            .bind(dataset_id)
            .bind(stage.as_str())
            .bind(i32::try_from(done).unwrap_or(i32::MAX))
            .bind(i32::try_from(total).unwrap_or(i32::MAX))
            .execute(&context.pool)
            .await;
            if saved.is_ok() {
                written = latest;
            }
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
