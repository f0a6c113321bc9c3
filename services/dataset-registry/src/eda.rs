//! EDA runs of dataset versions: their state (`dataset_eda`) and report (`datasets.metadata.eda`),
//! and requests for new runs (queued on `eda` for the eda-worker).

use datamill_db::types::DatasetStatus;
use uuid::Uuid;

use crate::dto::{EdaRun, EdaStatus};
use crate::error::ApiError;
use crate::repo;
use crate::service::Registry;

fn status_of(text: &str) -> EdaStatus {
    match text {
        "PENDING" => EdaStatus::Pending,
        "RUNNING" => EdaStatus::Running,
        "DONE" => EdaStatus::Done,
        "FAILED" => EdaStatus::Failed,
        _ => EdaStatus::NotRequested,
    }
}

impl Registry {
    /// Queues the EDA of a version that just became READY. A failure is only logged: the
    /// eda-worker's sweep requests the EDA of every READY version that has none.
    pub(crate) async fn queue_eda(&self, dataset_id: Uuid) {
        if let Err(error) = datamill_queue::request_eda(&self.pool, dataset_id).await {
            tracing::warn!(dataset = %dataset_id, %error, "the EDA could not be requested now; the eda-worker's sweep will");
        }
    }

    /// The EDA run of dataset `id` and the report of its last finished run.
    pub async fn eda(&self, id: Uuid) -> Result<EdaRun, ApiError> {
        repo::datasets::get(&self.db, id).await?;
        let row = repo::eda::find(&self.pool, id).await?;
        let report = match repo::eda::report(&self.pool, id).await? {
            Some(value) => Some(serde_json::from_value(value).map_err(|error| {
                ApiError::Internal(format!(
                    "the stored EDA report of dataset {id} does not read: {error}"
                ))
            })?),
            None => None,
        };
        Ok(match row {
            None => EdaRun {
                dataset_id: id,
                status: EdaStatus::NotRequested,
                current_stage: None,
                processed_count: 0,
                total_count: 0,
                error_message: None,
                attempts: 0,
                worker_id: None,
                requested_at: None,
                started_at: None,
                finished_at: None,
                report,
            },
            Some(row) => EdaRun {
                dataset_id: id,
                status: status_of(&row.status),
                current_stage: row.current_stage,
                processed_count: row.processed_count,
                total_count: row.total_count,
                error_message: row.error_message,
                attempts: row.attempts,
                worker_id: row.worker_id,
                requested_at: Some(row.requested_at.fixed_offset()),
                started_at: row.started_at.map(|t| t.fixed_offset()),
                finished_at: row.finished_at.map(|t| t.fixed_offset()),
                report,
            },
        })
    }

    /// Asks for a new EDA run of dataset `id` (READY only); a run already waiting is kept.
    pub async fn rerun_eda(&self, id: Uuid) -> Result<EdaRun, ApiError> {
        let dataset = repo::datasets::get(&self.db, id).await?;
        if dataset.status != DatasetStatus::Ready {
            return Err(ApiError::conflict(
                "DATASET_NOT_READY",
                format!(
                    "dataset {id} is {}: only READY versions are analysed",
                    format!("{:?}", dataset.status).to_uppercase()
                ),
            ));
        }
        match datamill_queue::request_eda(&self.pool, id).await {
            Ok(_) => {}
            Err(datamill_queue::EdaRequestError::Running(_)) => {
                return Err(ApiError::conflict(
                    "EDA_RUNNING",
                    format!(
                        "an EDA run of dataset {id} is in progress; its result will be current when it ends"
                    ),
                ));
            }
            Err(datamill_queue::EdaRequestError::Database(error)) => {
                return Err(repo::eda::database_error(error));
            }
        }
        self.refresher.refresh().await;
        self.eda(id).await
    }
}
