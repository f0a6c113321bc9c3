//! `pipeline_executions` and the lineage edges a submission creates.

use chrono::{DateTime, FixedOffset, Utc};
use datamill_db::entity::{dataset_lineage, pipeline_execution};
use datamill_db::types::ExecutionStatus;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::error::ApiError;

pub async fn insert<C: ConnectionTrait>(
    db: &C,
    output_dataset_id: Uuid,
    output_group_id: Uuid,
    config: serde_json::Value,
) -> Result<pipeline_execution::Model, ApiError> {
    let now = Utc::now().fixed_offset();
    Ok(pipeline_execution::ActiveModel {
        id: Set(Uuid::new_v4()),
        output_dataset_id: Set(Some(output_dataset_id)),
        output_group_id: Set(Some(output_group_id)),
        config: Set(config),
        status: Set(ExecutionStatus::Pending),
        processed_count: Set(0),
        attempts: Set(0),
        cancel_requested: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn insert_edge<C: ConnectionTrait>(
    db: &C,
    parent_id: Uuid,
    child_id: Uuid,
    transform_config: serde_json::Value,
) -> Result<(), ApiError> {
    dataset_lineage::ActiveModel {
        id: Set(Uuid::new_v4()),
        parent_id: Set(parent_id),
        child_id: Set(child_id),
        transform_config: Set(transform_config),
        created_at: Set(Utc::now().fixed_offset()),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<pipeline_execution::Model, ApiError> {
    pipeline_execution::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("pipeline execution", id))
}

/// What the history may be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    pub status: Option<ExecutionStatus>,
    pub output_group_id: Option<Uuid>,
    pub created_after: Option<DateTime<FixedOffset>>,
    pub created_before: Option<DateTime<FixedOffset>>,
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    filter: &HistoryFilter,
    page: u64,
    page_size: u64,
) -> Result<(Vec<pipeline_execution::Model>, u64), ApiError> {
    let mut query = pipeline_execution::Entity::find();
    if let Some(status) = filter.status {
        query = query.filter(pipeline_execution::Column::Status.eq(status));
    }
    if let Some(group) = filter.output_group_id {
        query = query.filter(pipeline_execution::Column::OutputGroupId.eq(group));
    }
    if let Some(after) = filter.created_after {
        query = query.filter(pipeline_execution::Column::CreatedAt.gte(after));
    }
    if let Some(before) = filter.created_before {
        query = query.filter(pipeline_execution::Column::CreatedAt.lt(before));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(pipeline_execution::Column::CreatedAt)
        .order_by_desc(pipeline_execution::Column::Id)
        .offset((page - 1) * page_size)
        .limit(page_size)
        .all(db)
        .await?;
    Ok((items, total))
}

/// Cancels a pending execution at once, or asks a running one to stop at its next image;
/// `None` when the execution has already ended.
pub async fn cancel<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<pipeline_execution::Model>, ApiError> {
    Ok(pipeline_execution::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(
            DbBackend::Postgres,
            r"UPDATE pipeline_executions SET
                cancel_requested = true,
                status = CASE WHEN status = 'PENDING' THEN 'CANCELLED'::execution_status ELSE status END,
                finished_at = CASE WHEN status = 'PENDING' THEN now() ELSE finished_at END,
                current_stage = CASE WHEN status = 'PENDING' THEN 'cancelled' ELSE current_stage END,
                updated_at = now()
              WHERE id = $1 AND status IN ('PENDING', 'RUNNING')
              RETURNING *",
            [id.into()],
        ))
        .one(db)
        .await?)
}

pub async fn set_job<C: ConnectionTrait>(db: &C, id: Uuid, job_id: &str) -> Result<(), ApiError> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE pipeline_executions SET job_id = $2, updated_at = now() WHERE id = $1",
        [id.into(), job_id.into()],
    ))
    .await?;
    Ok(())
}
