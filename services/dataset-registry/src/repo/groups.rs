//! `dataset_groups`.

use chrono::Utc;
use datamill_db::entity::{dataset, dataset_group};
use datamill_db::types::format_name;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};
use uuid::Uuid;

use crate::dto::{GroupPatch, NewGroup};
use crate::error::ApiError;

pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<dataset_group::Model>, ApiError> {
    Ok(dataset_group::Entity::find_by_id(id).one(db).await?)
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<dataset_group::Model, ApiError> {
    find(db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("dataset group", id))
}

fn name_taken(name: &str) -> ApiError {
    ApiError::conflict(
        "GROUP_NAME_TAKEN",
        format!("a dataset group named {name:?} already exists (names are unique ignoring case)"),
    )
}

fn map_unique(error: sea_orm::DbErr, name: &str) -> ApiError {
    match crate::error::violated_constraint(&error).as_deref() {
        Some("dataset_groups_name_key") => name_taken(name),
        _ => error.into(),
    }
}

pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: &NewGroup,
) -> Result<dataset_group::Model, ApiError> {
    let now = Utc::now().fixed_offset();
    let model = dataset_group::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(new.name.clone()),
        dataset_type: Set(new.dataset_type),
        annotation_format: Set(format_name(new.annotation_format).to_owned()),
        task_types: Set(serde_json::json!(dedup(&new.task_types))),
        modality: Set(new.modality.unwrap_or(datamill_db::types::Modality::Rgb)),
        source_origin: Set(new.source_origin.clone()),
        description: Set(new.description.clone()),
        extra: Set(serde_json::Value::Object(
            new.extra.clone().unwrap_or_default(),
        )),
        created_at: Set(now),
        updated_at: Set(now),
    };
    model
        .insert(db)
        .await
        .map_err(|error| map_unique(error, &new.name))
}

fn dedup<T: Ord + Copy>(items: &[T]) -> Vec<T> {
    let mut items = items.to_vec();
    items.sort_unstable();
    items.dedup();
    items
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    current: dataset_group::Model,
    patch: &GroupPatch,
) -> Result<dataset_group::Model, ApiError> {
    let name = patch.name.clone().unwrap_or_else(|| current.name.clone());
    let mut model: dataset_group::ActiveModel = current.into();
    if let Some(value) = &patch.name {
        model.name = Set(value.clone());
    }
    if let Some(value) = patch.dataset_type {
        model.dataset_type = Set(value);
    }
    if let Some(value) = patch.annotation_format {
        model.annotation_format = Set(format_name(value).to_owned());
    }
    if let Some(value) = &patch.task_types {
        model.task_types = Set(serde_json::json!(dedup(value)));
    }
    if let Some(value) = patch.modality {
        model.modality = Set(value);
    }
    if let Some(value) = &patch.source_origin {
        model.source_origin = Set(value.clone());
    }
    if let Some(value) = &patch.description {
        model.description = Set(value.clone());
    }
    if let Some(value) = &patch.extra {
        model.extra = Set(serde_json::Value::Object(value.clone()));
    }
    model.updated_at = Set(Utc::now().fixed_offset());
    model
        .update(db)
        .await
        .map_err(|error| map_unique(error, &name))
}

pub async fn version_count<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<u64, ApiError> {
    Ok(dataset::Entity::find()
        .filter(dataset::Column::GroupId.eq(id))
        .count(db)
        .await?)
}

/// Deletes the group and, when asked, its dataset records (lineage edges go with them).
pub async fn delete<C: ConnectionTrait>(db: &C, id: Uuid, cascade: bool) -> Result<(), ApiError> {
    if cascade {
        dataset::Entity::delete_many()
            .filter(dataset::Column::GroupId.eq(id))
            .exec(db)
            .await?;
    }
    dataset_group::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// The group with this name, ignoring case (names are unique that way).
pub async fn find_by_name<C: ConnectionTrait>(
    db: &C,
    name: &str,
) -> Result<Option<dataset_group::Model>, ApiError> {
    Ok(dataset_group::Entity::find()
        .from_raw_sql(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT * FROM dataset_groups WHERE lower(name) = lower($1)",
            [name.into()],
        ))
        .one(db)
        .await?)
}
