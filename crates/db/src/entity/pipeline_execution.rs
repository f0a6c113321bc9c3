//! `pipeline_executions`: one run of a pipeline, with its progress.

use sea_orm::entity::prelude::*;

use crate::types::ExecutionStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pipeline_executions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub output_dataset_id: Option<Uuid>,
    pub output_group_id: Option<Uuid>,
    /// The whole pipeline config as submitted.
    pub config: Json,
    pub status: ExecutionStatus,
    pub current_stage: Option<String>,
    pub processed_count: i32,
    pub total_count: Option<i32>,
    pub error_message: Option<String>,
    pub started_at: Option<DateTimeWithTimeZone>,
    pub finished_at: Option<DateTimeWithTimeZone>,
    /// Runs started (1 for a run that was never retried).
    pub attempts: i32,
    /// Set by a cancel request; the worker stops at the next image boundary.
    pub cancel_requested: bool,
    /// The queue job running this execution.
    pub job_id: Option<String>,
    /// The worker running (or that last ran) it.
    pub worker_id: Option<String>,
    /// The engine's report (per-step counts, warnings, renames, conversion events).
    pub report: Option<Json>,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
