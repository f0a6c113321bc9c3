//! `pipeline_workers`: one row per pipeline worker process, kept fresh by its heartbeat.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pipeline_workers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub host: String,
    pub pid: i32,
    pub version: String,
    pub started_at: DateTimeWithTimeZone,
    pub last_seen_at: DateTimeWithTimeZone,
    pub current_execution_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
