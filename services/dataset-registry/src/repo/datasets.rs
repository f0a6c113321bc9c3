//! `datasets`.

use chrono::Utc;
use datamill_core::AnnotationFormat;
use datamill_db::entity::dataset;
use datamill_db::types::{DatasetStatus, Split, Version, format_name};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::error::ApiError;

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<dataset::Model, ApiError> {
    dataset::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("dataset", id))
}

/// Every version of a group, splits in their order, newest version first.
pub async fn of_group<C: ConnectionTrait>(
    db: &C,
    group_id: Uuid,
) -> Result<Vec<dataset::Model>, ApiError> {
    Ok(dataset::Entity::find()
        .filter(dataset::Column::GroupId.eq(group_id))
        .order_by_asc(dataset::Column::Split)
        .order_by_desc(dataset::Column::VersionMajor)
        .order_by_desc(dataset::Column::VersionMinor)
        .order_by_desc(dataset::Column::VersionPatch)
        .all(db)
        .await?)
}

/// Versions matching the filter, newest first, and how many match in all.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    group_id: Option<Uuid>,
    split: Option<Split>,
    status: Option<DatasetStatus>,
    page: u64,
    page_size: u64,
) -> Result<(Vec<dataset::Model>, u64), ApiError> {
    let mut query = dataset::Entity::find();
    if let Some(group_id) = group_id {
        query = query.filter(dataset::Column::GroupId.eq(group_id));
    }
    if let Some(split) = split {
        query = query.filter(dataset::Column::Split.eq(split));
    }
    if let Some(status) = status {
        query = query.filter(dataset::Column::Status.eq(status));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_desc(dataset::Column::CreatedAt)
        .order_by_desc(dataset::Column::Id)
        .offset((page - 1) * page_size)
        .limit(page_size)
        .all(db)
        .await?;
    Ok((items, total))
}

/// The highest version of (group, split), compared numerically.
pub async fn latest_version<C: ConnectionTrait>(
    db: &C,
    group_id: Uuid,
    split: Split,
) -> Result<Option<Version>, ApiError> {
    let latest = dataset::Entity::find()
        .filter(dataset::Column::GroupId.eq(group_id))
        .filter(dataset::Column::Split.eq(split))
        .order_by_desc(dataset::Column::VersionMajor)
        .order_by_desc(dataset::Column::VersionMinor)
        .order_by_desc(dataset::Column::VersionPatch)
        .one(db)
        .await?;
    Ok(latest.and_then(|model| model.version.parse().ok()))
}

/// Serialises version assignment for one (group, split) until the end of the transaction, so two
/// registrations without a version never compute the same "next" one.
pub async fn lock_split<C: ConnectionTrait>(
    db: &C,
    group_id: Uuid,
    split: Split,
) -> Result<(), ApiError> {
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        [format!("datamill:version:{group_id}:{split:?}").into()],
    ))
    .await?;
    Ok(())
}

/// What a registration stores.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub group_id: Uuid,
    pub split: Split,
    pub version: Version,
    pub annotation_format: Option<AnnotationFormat>,
    pub storage_uri: String,
    pub status: DatasetStatus,
    pub image_count: Option<i32>,
    pub class_count: Option<i32>,
    pub metadata: serde_json::Value,
    pub description: Option<String>,
}

pub async fn insert<C: ConnectionTrait>(
    db: &C,
    record: NewRecord,
) -> Result<dataset::Model, ApiError> {
    let now = Utc::now().fixed_offset();
    let version = record.version;
    let model = dataset::ActiveModel {
        id: Set(Uuid::new_v4()),
        group_id: Set(record.group_id),
        split: Set(record.split),
        version: Set(version.to_string()),
        annotation_format: Set(record.annotation_format.map(|f| format_name(f).to_owned())),
        storage_uri: Set(record.storage_uri),
        status: Set(record.status),
        image_count: Set(record.image_count),
        class_count: Set(record.class_count),
        metadata: Set(record.metadata),
        description: Set(record.description),
        managed_storage: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    model.insert(db).await.map_err(|error| {
        match crate::error::violated_constraint(&error).as_deref() {
            Some("datasets_group_split_version_key") => ApiError::conflict(
                "VERSION_EXISTS",
                format!(
                    "{version} of split {:?} already exists in this group; omit the version to get the next one",
                    record.split
                ),
            ),
            _ => error.into(),
        }
    })
}

#[allow(clippy::option_option)] // absent = keep, Some(None) = clear
pub async fn update<C: ConnectionTrait>(
    db: &C,
    current: dataset::Model,
    description: Option<Option<String>>,
    status: Option<DatasetStatus>,
) -> Result<dataset::Model, ApiError> {
    let mut model: dataset::ActiveModel = current.into();
    if let Some(description) = description {
        model.description = Set(description);
    }
    if let Some(status) = status {
        model.status = Set(status);
    }
    model.updated_at = Set(Utc::now().fixed_offset());
    Ok(model.update(db).await?)
}

pub async fn delete<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<(), ApiError> {
    dataset::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}
