//! The manipulator catalog: synced from the code at start-up, listed and given a status by the
//! operator through the API.

use std::time::Duration;

use datamill_core::AnnotationFormat;
use datamill_core::pipeline::Scope;
use datamill_db::entity::manipulator;
use datamill_db::types::{ManipulatorStatus, TaskType, format_name};
use sea_orm::DatabaseConnection;

use crate::dto::{Manipulator, ManipulatorList, ManipulatorListQuery, ManipulatorPatch};
use crate::error::ApiError;
use crate::repo::manipulators::{self, CatalogFilter};
use crate::service::{Registry, bad_query};

/// Syncs the table with the code's catalog once; `false` (logged) when it could not.
pub async fn sync_once(db: &DatabaseConnection) -> bool {
    let catalog = datamill_core::pipeline::catalog();
    match manipulators::sync(db, &catalog).await {
        Ok(changed) => {
            tracing::info!(changed, total = catalog.len(), "manipulator catalog synced");
            true
        }
        Err(error) => {
            tracing::warn!(%error, "manipulator catalog not synced yet; retrying");
            false
        }
    }
}

/// Syncs the table with the code's catalog, retrying (every 2 s) while the database is away, so
/// that a registry started before its database still gets its catalog.
pub async fn sync_until_done(db: DatabaseConnection) {
    while !sync_once(&db).await {
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

fn parse_wire<T: serde::de::DeserializeOwned>(
    field: &str,
    raw: &str,
    expected: &str,
) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(raw.trim().to_ascii_uppercase())).map_err(
        |_| {
            ApiError::Problem(bad_query(
                field,
                format!("{raw:?} is not one of {expected}"),
            ))
        },
    )
}

fn filter(query: &ManipulatorListQuery) -> Result<CatalogFilter, ApiError> {
    let scope = query
        .scope
        .as_deref()
        .map(|raw| parse_wire::<Scope>("scope", raw, "PER_SOURCE, POST_MERGE"))
        .transpose()?;
    let task_type = query
        .task_type
        .as_deref()
        .map(|raw| {
            raw.parse::<TaskType>()
                .map_err(|e| ApiError::Problem(bad_query("task_type", e)))
        })
        .transpose()?;
    let format = query
        .annotation_format
        .as_deref()
        .map(|raw| {
            raw.parse::<AnnotationFormat>()
                .map_err(|e| ApiError::Problem(bad_query("annotation_format", e.to_string())))
        })
        .transpose()?;
    let status = query
        .status
        .as_deref()
        .map(|raw| {
            parse_wire::<ManipulatorStatus>("status", raw, "ACTIVE, EXPERIMENTAL, DEPRECATED")
        })
        .transpose()?;
    let wire = |value: serde_json::Value| value.as_str().map(str::to_owned);
    Ok(CatalogFilter {
        scope: scope
            .and_then(|s| serde_json::to_value(s).ok())
            .and_then(wire),
        task_type: task_type.map(|t| t.as_str().to_owned()),
        annotation_format: format.map(|f| format_name(f).to_owned()),
        status,
    })
}

fn list_of<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Vec<T> {
    serde_json::from_value(value.clone()).unwrap_or_default()
}

fn dto(model: manipulator::Model) -> Manipulator {
    Manipulator {
        scope: list_of(&model.scope),
        compatible_task_types: list_of(&model.compatible_task_types),
        compatible_annotation_fmts: list_of(&model.compatible_annotation_fmts),
        output_annotation_fmt: model
            .output_annotation_fmt
            .as_deref()
            .and_then(datamill_db::types::parse_format),
        name: model.name,
        category: model.category,
        params_schema: model.params_schema,
        description: model.description,
        status: model.status,
        version: model.version,
        updated_at: model.updated_at,
    }
}

impl Registry {
    pub async fn list_manipulators(
        &self,
        query: &ManipulatorListQuery,
    ) -> Result<ManipulatorList, ApiError> {
        let filter = filter(query)?;
        let items = manipulators::list(&self.db, &filter).await?;
        Ok(ManipulatorList {
            items: items.into_iter().map(dto).collect(),
        })
    }

    pub async fn update_manipulator(
        &self,
        name: &str,
        patch: ManipulatorPatch,
    ) -> Result<Manipulator, ApiError> {
        Ok(dto(
            manipulators::set_status(&self.db, name, patch.status).await?
        ))
    }
}
