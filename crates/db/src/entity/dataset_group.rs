//! `dataset_groups`: a logical dataset and its global metadata.

use sea_orm::entity::prelude::*;

use crate::types::{DatasetType, Modality};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dataset_groups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub dataset_type: DatasetType,
    /// Upper-case format name (`COCO`); see [`crate::types::parse_format`].
    pub annotation_format: String,
    /// JSON array of task-type names.
    pub task_types: Json,
    pub modality: Modality,
    pub source_origin: Option<String>,
    pub description: Option<String>,
    pub extra: Json,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::dataset::Entity")]
    Datasets,
}

impl Related<super::dataset::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Datasets.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
