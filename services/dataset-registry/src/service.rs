//! Business rules of the registry: what may be created, changed or deleted, and what a
//! registration stores. Handlers call these; these call the repositories.

use std::sync::Arc;

use datamill_core::validate::{ValidateOptions, ValidationReport, validate};
use datamill_core::{AnnotationFormat, Files};
use datamill_db::entity::{dataset, dataset_group};
use datamill_db::types::{DatasetStatus, Split, TaskType, Version, parse_format};
use datamill_platform::problem::FieldProblem;
use datamill_storage::{ErrorClass, StorageClient, StorageError, StoragePath};
use sea_orm::{DatabaseConnection, TransactionTrait};
use uuid::Uuid;

use crate::dto::{
    Dataset, DatasetPatch, Group, GroupDetail, GroupPatch, NewDataset, NewGroup, NextVersion,
    ValidatePathResponse,
};
use crate::error::ApiError;
use crate::refresh::SummaryRefresher;
use crate::repo;

/// What every handler needs.
#[derive(Debug, Clone)]
pub struct Registry {
    pub db: DatabaseConnection,
    /// The same pool as `db`, for the job queue (apalis speaks sqlx).
    pub pool: sqlx::PgPool,
    pub storage: Arc<dyn StorageClient>,
    pub refresher: SummaryRefresher,
    /// The dataset list's in-memory index of `dataset_group_summary`.
    pub list_index: Arc<crate::repo::summary::ListIndexCache>,
    /// Annotations of the versions the samples viewer showed last.
    pub samples: Arc<crate::samples::SampleCache>,
}

fn storage_error(field: &str, error: &StorageError) -> ApiError {
    match error.class() {
        ErrorClass::Server => ApiError::Internal(error.to_string()),
        _ => ApiError::field("INVALID_STORAGE_URI", field, error.to_string()),
    }
}

const NAME_RULE: &str = "use 1–200 letters, digits, '.', '_' or '-', starting with a letter or digit (it is a NAS folder name)";

fn check_name(name: &str) -> Result<(), ApiError> {
    let valid = !name.is_empty()
        && name.len() <= 200
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if valid {
        Ok(())
    } else {
        Err(ApiError::field(
            "INVALID_FIELD",
            "$.name",
            format!("{name:?} is not a valid group name: {NAME_RULE}"),
        ))
    }
}

pub(crate) fn group_dto(model: dataset_group::Model) -> Result<Group, ApiError> {
    Ok(Group {
        id: model.id,
        annotation_format: parse_format(&model.annotation_format).ok_or_else(|| {
            ApiError::Internal(format!(
                "stored format {:?} is unknown",
                model.annotation_format
            ))
        })?,
        task_types: serde_json::from_value::<Vec<TaskType>>(model.task_types).unwrap_or_default(),
        name: model.name,
        dataset_type: model.dataset_type,
        modality: model.modality,
        source_origin: model.source_origin,
        description: model.description,
        extra: model.extra,
        created_at: model.created_at,
        updated_at: model.updated_at,
    })
}

pub(crate) fn dataset_dto(
    model: dataset::Model,
    group_format: AnnotationFormat,
) -> Result<Dataset, ApiError> {
    let own = model.annotation_format.as_deref().and_then(parse_format);
    Ok(Dataset {
        id: model.id,
        group_id: model.group_id,
        split: model.split,
        version: model
            .version
            .parse()
            .map_err(|e: datamill_db::types::InvalidVersion| ApiError::Internal(e.to_string()))?,
        annotation_format: own.unwrap_or(group_format),
        annotation_format_overridden: own.is_some_and(|f| f != group_format),
        storage_uri: model.storage_uri,
        status: model.status,
        image_count: model.image_count,
        class_count: model.class_count,
        metadata: without_eda(model.metadata),
        description: model.description,
        created_at: model.created_at,
        updated_at: model.updated_at,
    })
}

/// The metadata without its EDA report, which `GET /datasets/{id}/eda` serves: the report runs to
/// hundreds of kilobytes, and lists of datasets must stay light.
fn without_eda(mut metadata: serde_json::Value) -> serde_json::Value {
    if let Some(object) = metadata.as_object_mut() {
        object.remove("eda");
    }
    metadata
}

fn format_of(group: &dataset_group::Model) -> Result<AnnotationFormat, ApiError> {
    parse_format(&group.annotation_format).ok_or_else(|| {
        ApiError::Internal(format!(
            "stored format {:?} is unknown",
            group.annotation_format
        ))
    })
}

impl Registry {
    // ----- groups -------------------------------------------------------------------------

    pub async fn create_group(&self, new: NewGroup) -> Result<Group, ApiError> {
        check_name(&new.name)?;
        let model = repo::groups::insert(&self.db, &new).await?;
        self.refresher.refresh().await;
        group_dto(model)
    }

    pub async fn group_detail(&self, id: Uuid) -> Result<GroupDetail, ApiError> {
        let group = repo::groups::get(&self.db, id).await?;
        let format = format_of(&group)?;
        let datasets = repo::datasets::of_group(&self.db, id)
            .await?
            .into_iter()
            .map(|d| dataset_dto(d, format))
            .collect::<Result<_, _>>()?;
        Ok(GroupDetail {
            group: group_dto(group)?,
            datasets,
        })
    }

    pub async fn update_group(&self, id: Uuid, patch: GroupPatch) -> Result<Group, ApiError> {
        if let Some(name) = &patch.name {
            check_name(name)?;
        }
        let txn = self.db.begin().await?;
        let current = repo::groups::get(&txn, id).await?;
        let changes_meaning = patch
            .annotation_format
            .is_some_and(|f| Some(f) != parse_format(&current.annotation_format))
            || patch
                .dataset_type
                .is_some_and(|t| t != current.dataset_type)
            || patch.name.as_ref().is_some_and(|n| *n != current.name);
        if changes_meaning {
            let versions = repo::groups::version_count(&txn, id).await?;
            if versions > 0 {
                return Err(ApiError::conflict(
                    "GROUP_HAS_VERSIONS",
                    format!(
                        "the group has {versions} dataset version(s) whose NAS paths and formats depend on its name, type and format; these cannot change while versions exist"
                    ),
                ));
            }
        }
        let model = repo::groups::update(&txn, current, &patch).await?;
        txn.commit().await?;
        self.refresher.refresh().await;
        group_dto(model)
    }

    pub async fn delete_group(&self, id: Uuid, cascade: bool) -> Result<(), ApiError> {
        let txn = self.db.begin().await?;
        repo::groups::get(&txn, id).await?;
        let versions = repo::groups::version_count(&txn, id).await?;
        if versions > 0 && !cascade {
            return Err(ApiError::conflict(
                "GROUP_NOT_EMPTY",
                format!(
                    "the group has {versions} dataset version(s); delete them first or pass cascade=true (NAS files are kept either way)"
                ),
            ));
        }
        repo::groups::delete(&txn, id, cascade).await?;
        txn.commit().await?;
        self.refresher.refresh().await;
        Ok(())
    }

    pub async fn next_version(&self, id: Uuid, split: Split) -> Result<NextVersion, ApiError> {
        repo::groups::get(&self.db, id).await?;
        let latest = repo::datasets::latest_version(&self.db, id, split).await?;
        Ok(NextVersion {
            group_id: id,
            split,
            version: latest.map_or(Version::FIRST, Version::next_patch),
            latest,
        })
    }

    // ----- validation ---------------------------------------------------------------------

    /// Runs the core validator on a NAS path (on a blocking thread: it reads every file), through
    /// the storage client.
    pub async fn validate_path(
        &self,
        storage_uri: &str,
        format: AnnotationFormat,
    ) -> Result<ValidatePathResponse, ApiError> {
        let path = StoragePath::parse(storage_uri)
            .map_err(|error| storage_error("$.storage_uri", &error))?;
        if path.is_root() {
            return Err(ApiError::field(
                "INVALID_STORAGE_URI",
                "$.storage_uri",
                "give the dataset's directory, not the storage base itself",
            ));
        }
        let storage = Arc::clone(&self.storage);
        let shown = path.to_string();
        let outcome = actix_web::rt::task::spawn_blocking(
            move || -> Result<(bool, ValidationReport), StorageError> {
                if storage.exists(&path)? {
                    let report = validate(
                        Files::new(storage.as_ref()),
                        format,
                        std::path::Path::new(path.as_str()),
                        &ValidateOptions::default(),
                    );
                    Ok((true, report))
                } else {
                    Ok((false, missing_report(format, path.as_str())))
                }
            },
        )
        .await
        .map_err(|error| ApiError::Internal(format!("validator task failed: {error}")))?;
        let (exists, report) = outcome.map_err(|error| storage_error("$.storage_uri", &error))?;
        Ok(ValidatePathResponse {
            storage_uri: shown,
            exists,
            valid: exists && report.valid,
            report,
        })
    }

    // ----- datasets -----------------------------------------------------------------------

    pub async fn list_datasets(
        &self,
        query: crate::dto::DatasetListQuery,
    ) -> Result<crate::dto::DatasetPage, ApiError> {
        let page = query.page.unwrap_or(1);
        let page_size = query.page_size.unwrap_or(50);
        if page == 0 || page > 1_000_000 {
            return Err(ApiError::Problem(bad_query(
                "page",
                format!("{page} is out of range (1–1000000)"),
            )));
        }
        if !(1..=200).contains(&page_size) {
            return Err(ApiError::Problem(bad_query(
                "page_size",
                format!("{page_size} is out of range (1–200)"),
            )));
        }
        let (models, total) = repo::datasets::list(
            &self.db,
            query.group_id,
            query.split,
            query.status,
            page,
            page_size,
        )
        .await?;
        let mut formats = std::collections::HashMap::new();
        let mut items = Vec::with_capacity(models.len());
        for model in models {
            let format = if let Some(format) = formats.get(&model.group_id) {
                *format
            } else {
                let group = repo::groups::get(&self.db, model.group_id).await?;
                let format = format_of(&group)?;
                formats.insert(model.group_id, format);
                format
            };
            items.push(dataset_dto(model, format)?);
        }
        Ok(crate::dto::DatasetPage {
            items,
            total,
            page,
            page_size,
        })
    }

    pub async fn get_dataset(&self, id: Uuid) -> Result<Dataset, ApiError> {
        let model = repo::datasets::get(&self.db, id).await?;
        let group = repo::groups::get(&self.db, model.group_id).await?;
        dataset_dto(model, format_of(&group)?)
    }

    /// Registers data already on the NAS: validate, then store with counts and histogram.
    pub async fn register(&self, new: NewDataset) -> Result<Dataset, ApiError> {
        let group = repo::groups::find(&self.db, new.group_id)
            .await?
            .ok_or_else(|| {
                ApiError::field(
                    "GROUP_NOT_FOUND",
                    "$.group_id",
                    format!("dataset group {} does not exist", new.group_id),
                )
            })?;
        let group_format = format_of(&group)?;
        let format = new.annotation_format.unwrap_or(group_format);
        let checked = self.validate_path(&new.storage_uri, format).await?;
        if !checked.valid {
            return Err(invalid_data(&checked));
        }
        let report = &checked.report;
        let metadata = serde_json::json!({
            "counts": report.counts,
            "class_histogram": report.class_histogram,
            "validation": {
                "format": format,
                "errors": report.errors,
                "warnings": report.warnings,
                "problem_counts": report.problem_counts,
                "layout": report.layout,
            },
        });
        let as_i32 = |n: u64| i32::try_from(n).ok();
        let txn = self.db.begin().await?;
        repo::datasets::lock_split(&txn, group.id, new.split).await?;
        let version = match new.version {
            Some(version) => version,
            None => repo::datasets::latest_version(&txn, group.id, new.split)
                .await?
                .map_or(Version::FIRST, Version::next_patch),
        };
        let record = repo::datasets::NewRecord {
            group_id: group.id,
            split: new.split,
            version,
            annotation_format: new.annotation_format.filter(|f| *f != group_format),
            storage_uri: checked.storage_uri.clone(),
            status: DatasetStatus::Ready,
            image_count: as_i32(report.counts.images),
            class_count: as_i32(report.counts.classes),
            metadata,
            description: new.description,
        };
        let model = repo::datasets::insert(&txn, record).await?;
        txn.commit().await?;
        self.queue_eda(model.id).await;
        self.refresher.refresh().await;
        dataset_dto(model, group_format)
    }

    pub async fn update_dataset(&self, id: Uuid, patch: DatasetPatch) -> Result<Dataset, ApiError> {
        let txn = self.db.begin().await?;
        let current = repo::datasets::get(&txn, id).await?;
        if let Some(next) = patch.status {
            check_transition(current.status, next)?;
        }
        let status_changed = patch.status.is_some_and(|s| s != current.status);
        let group = repo::groups::get(&txn, current.group_id).await?;
        let model = repo::datasets::update(&txn, current, patch.description, patch.status).await?;
        txn.commit().await?;
        if status_changed && model.status == DatasetStatus::Ready {
            self.queue_eda(model.id).await;
        }
        if status_changed {
            self.refresher.refresh().await;
        }
        dataset_dto(model, format_of(&group)?)
    }

    /// Deletes the record only: the platform never deletes NAS files it did not write.
    pub async fn delete_dataset(&self, id: Uuid) -> Result<(), ApiError> {
        repo::datasets::get(&self.db, id).await?;
        repo::datasets::delete(&self.db, id).await?;
        self.samples.forget(id);
        self.refresher.refresh().await;
        Ok(())
    }
}

/// Status changes an operator may make. A READY version is immutable: it can only be marked
/// ERROR (found broken), never sent back to PENDING or PROCESSING.
fn check_transition(from: DatasetStatus, to: DatasetStatus) -> Result<(), ApiError> {
    use DatasetStatus::{Error, Pending, Processing, Ready};
    let allowed = from == to
        || matches!(
            (from, to),
            (Pending, Processing | Ready | Error)
                | (Processing, Ready | Error)
                | (Ready, Error)
                | (Error, Ready | Pending)
        );
    if allowed {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "INVALID_STATUS_TRANSITION",
            format!("status cannot change from {from:?} to {to:?}").to_uppercase(),
        ))
    }
}

/// A 400 naming a query parameter.
pub(crate) fn bad_query(field: &str, message: String) -> datamill_platform::Problem {
    datamill_platform::Problem::new(
        actix_web::http::StatusCode::BAD_REQUEST,
        "INVALID_QUERY",
        format!("query parameter {field}: {message}"),
    )
    .field(field, message)
}

fn missing_report(format: AnnotationFormat, path: &str) -> ValidationReport {
    let mut diagnostics = datamill_core::diagnostics::Diagnostics::default();
    diagnostics.error(
        datamill_core::diagnostics::ProblemCode::NotADataset,
        datamill_core::diagnostics::Location::file(path.to_owned()),
        format!("{path} does not exist on the NAS"),
    );
    ValidationReport {
        format,
        valid: false,
        errors: diagnostics.error_count(),
        warnings: 0,
        layout: None,
        counts: datamill_core::validate::DatasetCounts::default(),
        class_histogram: Vec::new(),
        problems: diagnostics.problems,
        problem_counts: diagnostics.counts,
    }
}

/// A 422 listing every error the validator found, each with its location.
fn invalid_data(checked: &ValidatePathResponse) -> ApiError {
    let errors: Vec<FieldProblem> = checked
        .report
        .problems
        .iter()
        .filter(|p| p.severity == datamill_core::diagnostics::Severity::Error)
        .map(|p| FieldProblem {
            field: p.location.to_string(),
            message: p.message.clone(),
        })
        .collect();
    let detail = if checked.exists {
        format!(
            "{} is not a valid {} dataset: {} error(s); fix them or validate the path to see the whole report",
            checked.storage_uri,
            checked.report.format.title(),
            checked.report.errors
        )
    } else {
        format!("{} does not exist on the NAS", checked.storage_uri)
    };
    ApiError::Invalid {
        code: "DATASET_INVALID",
        detail,
        errors,
    }
}
