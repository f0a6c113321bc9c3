//! `manipulators`: the catalogue synced from the code registry.

use sea_orm::entity::prelude::*;

use crate::types::{ManipulatorCategory, ManipulatorStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "manipulators")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub name: String,
    pub category: ManipulatorCategory,
    pub scope: Json,
    pub compatible_task_types: Json,
    pub compatible_annotation_fmts: Json,
    pub output_annotation_fmt: Option<String>,
    pub params_schema: Json,
    pub description: Option<String>,
    pub status: ManipulatorStatus,
    pub version: String,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
