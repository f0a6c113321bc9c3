//! `pipeline_executions`: one run of a pipeline, with its progress.

use sea_orm::entity::prelude::*;

use crate::types::ExecutionStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pipeline_executions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub output_dataset_id: Option<Uuid>,
    /// The whole pipeline config as submitted.
    pub config: Json,
    pub status: ExecutionStatus,
    pub current_stage: Option<String>,
    pub processed_count: i32,
    pub total_count: Option<i32>,
    pub error_message: Option<String>,
    pub started_at: Option<DateTimeWithTimeZone>,
    pub finished_at: Option<DateTimeWithTimeZone>,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
