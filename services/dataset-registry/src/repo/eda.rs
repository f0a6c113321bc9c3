//! `dataset_eda` and the report in `datasets.metadata.eda`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::error::ApiError;

#[derive(Debug, sqlx::FromRow)]
pub struct EdaRow {
    pub status: String,
    pub current_stage: Option<String>,
    pub processed_count: i32,
    pub total_count: i32,
    pub error_message: Option<String>,
    pub attempts: i32,
    pub worker_id: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

pub(crate) fn database_error(error: sqlx::Error) -> ApiError {
    ApiError::from(sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(
        Arc::new(error),
    )))
}

pub async fn find(pool: &PgPool, dataset_id: Uuid) -> Result<Option<EdaRow>, ApiError> {
    sqlx::query_as(
        "SELECT status::text AS status, current_stage, processed_count, total_count, error_message, \
                attempts, worker_id, requested_at, started_at, finished_at \
         FROM dataset_eda WHERE dataset_id = $1",
    )
    .bind(dataset_id)
    .fetch_optional(pool)
    .await
    .map_err(database_error)
}

pub async fn report(
    pool: &PgPool,
    dataset_id: Uuid,
) -> Result<Option<serde_json::Value>, ApiError> {
    let value: Option<Option<serde_json::Value>> =
        sqlx::query_scalar("SELECT metadata -> 'eda' FROM datasets WHERE id = $1")
            .bind(dataset_id)
            .fetch_optional(pool)
            .await
            .map_err(database_error)?;
    Ok(value.flatten())
}
