//! A dataset version as a pipeline source: the version, its group, and what the engine needs to
//! know of it (effective format, task types, modality). Shared by the registry (checks at
//! submission) and the pipeline worker (the run).

use datamill_core::{AnnotationFormat, Modality, TaskType};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use crate::entity::{dataset, dataset_group};
use crate::types::{DatasetStatus, parse_format};

/// A source version with its group.
#[derive(Debug, Clone)]
pub struct SourceRecord {
    pub dataset: dataset::Model,
    pub group: dataset_group::Model,
    /// The version's own format, else its group's.
    pub format: AnnotationFormat,
    pub task_types: Vec<TaskType>,
    pub modality: Modality,
}

impl SourceRecord {
    #[must_use]
    pub fn is_ready(&self) -> bool {
        self.dataset.status == DatasetStatus::Ready
    }
}

/// Why a dataset cannot be a source.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("there is no dataset {0}")]
    Missing(Uuid),
    #[error("dataset {id} has a stored format {format:?} Datamill does not know")]
    UnknownFormat { id: Uuid, format: String },
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Loads dataset `id` with its group.
pub async fn load<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<SourceRecord, SourceError> {
    let (dataset, group) = dataset::Entity::find_by_id(id)
        .find_also_related(dataset_group::Entity)
        .one(db)
        .await?
        .ok_or(SourceError::Missing(id))?;
    let group = group.ok_or(SourceError::Missing(id))?;
    let stored = dataset
        .annotation_format
        .clone()
        .unwrap_or_else(|| group.annotation_format.clone());
    let format = parse_format(&stored).ok_or(SourceError::UnknownFormat { id, format: stored })?;
    let task_types: Vec<crate::types::TaskType> =
        serde_json::from_value(group.task_types.clone()).unwrap_or_default();
    Ok(SourceRecord {
        format,
        task_types: task_types.into_iter().map(Into::into).collect(),
        modality: group.modality.into(),
        dataset,
        group,
    })
}
