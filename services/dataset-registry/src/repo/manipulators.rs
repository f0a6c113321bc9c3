//! `manipulators`: the catalog, synced from the code's registry (`datamill_core::pipeline`).
//!
//! The code is the source of truth for what a manipulator is (category, scope, formats, params
//! schema, version); the operator owns its status. A sync inserts new manipulators with their
//! default status, updates the description of changed ones without touching their status, and
//! marks manipulators that left the code DEPRECATED (old executions still name them).

use datamill_core::pipeline::CatalogEntry;
use datamill_db::entity::manipulator;
use datamill_db::types::{ManipulatorStatus, format_name};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, Statement,
    TransactionTrait, Value,
};

use crate::error::ApiError;

/// Serialises a catalog value to JSON; the catalog's types serialise infallibly.
fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

fn wire<T: serde::Serialize>(value: &T) -> String {
    json(value).as_str().unwrap_or_default().to_owned()
}

/// Brings the table in line with `catalog`; returns how many rows were inserted or changed.
pub async fn sync(db: &DatabaseConnection, catalog: &[CatalogEntry]) -> Result<u64, DbErr> {
    let txn = db.begin().await?;
    // Replicas starting together sync one after the other.
    txn.execute_unprepared("SELECT pg_advisory_xact_lock(7263510291)")
        .await?;
    let mut changed = 0;
    for entry in catalog {
        let values: Vec<Value> = vec![
            entry.name.into(),
            wire(&entry.category).into(),
            json(&entry.scopes).into(),
            json(&entry.task_types).into(),
            json(&entry.formats).into(),
            entry
                .output_format
                .map(format_name)
                .map(str::to_owned)
                .into(),
            entry.params_schema.clone().into(),
            entry.description.into(),
            wire(&entry.status).into(),
            entry.version.into(),
        ];
        let result = txn
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                r"INSERT INTO manipulators (name, category, scope, compatible_task_types,
                    compatible_annotation_fmts, output_annotation_fmt, params_schema, description,
                    status, version)
                  VALUES ($1, $2::manipulator_category, $3, $4, $5, $6, $7, $8,
                    $9::manipulator_status, $10)
                  ON CONFLICT (name) DO UPDATE SET
                    category = EXCLUDED.category, scope = EXCLUDED.scope,
                    compatible_task_types = EXCLUDED.compatible_task_types,
                    compatible_annotation_fmts = EXCLUDED.compatible_annotation_fmts,
                    output_annotation_fmt = EXCLUDED.output_annotation_fmt,
                    params_schema = EXCLUDED.params_schema, description = EXCLUDED.description,
                    version = EXCLUDED.version, updated_at = now()
                  WHERE (manipulators.category, manipulators.scope,
                         manipulators.compatible_task_types, manipulators.compatible_annotation_fmts,
                         manipulators.output_annotation_fmt, manipulators.params_schema,
                         manipulators.description, manipulators.version)
                    IS DISTINCT FROM
                        (EXCLUDED.category, EXCLUDED.scope, EXCLUDED.compatible_task_types,
                         EXCLUDED.compatible_annotation_fmts, EXCLUDED.output_annotation_fmt,
                         EXCLUDED.params_schema, EXCLUDED.description, EXCLUDED.version)",
                values,
            ))
            .await?;
        changed += result.rows_affected();
    }
    let names: Vec<String> = catalog.iter().map(|e| e.name.to_owned()).collect();
    let retired = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE manipulators SET status = 'DEPRECATED', updated_at = now() \
             WHERE NOT (name = ANY($1)) AND status <> 'DEPRECATED'",
            [names.into()],
        ))
        .await?;
    txn.commit().await?;
    Ok(changed + retired.rows_affected())
}

/// What the list may be narrowed to (all optional, combined with AND).
#[derive(Debug, Clone, Default)]
pub struct CatalogFilter {
    /// `PER_SOURCE` or `POST_MERGE`.
    pub scope: Option<String>,
    pub task_type: Option<String>,
    /// Upper-case format name (`COCO`).
    pub annotation_format: Option<String>,
    pub status: Option<ManipulatorStatus>,
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    filter: &CatalogFilter,
) -> Result<Vec<manipulator::Model>, ApiError> {
    let status = filter.status.map(|s| wire(&s));
    Ok(manipulator::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(
            DbBackend::Postgres,
            r"SELECT * FROM manipulators
              WHERE ($1::text IS NULL OR scope @> jsonb_build_array($1::text))
                AND ($2::text IS NULL OR compatible_task_types @> jsonb_build_array($2::text))
                AND ($3::text IS NULL OR compatible_annotation_fmts @> jsonb_build_array($3::text))
                AND ($4::text IS NULL OR status::text = $4)
              ORDER BY name",
            [
                filter.scope.clone().into(),
                filter.task_type.clone().into(),
                filter.annotation_format.clone().into(),
                status.into(),
            ],
        ))
        .all(db)
        .await?)
}

pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    name: &str,
    status: ManipulatorStatus,
) -> Result<manipulator::Model, ApiError> {
    manipulator::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE manipulators SET status = $2::manipulator_status, updated_at = now() \
             WHERE name = $1 RETURNING *",
            [name.into(), wire(&status).into()],
        ))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("manipulator", name))
}
