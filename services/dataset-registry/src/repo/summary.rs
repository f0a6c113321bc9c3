//! The list endpoint's query on `dataset_group_summary`. Filters, sort and paging all run in SQL;
//! only whitelisted column names are ever interpolated, every value is a bind parameter.

use chrono::{DateTime, FixedOffset};
use datamill_core::AnnotationFormat;
use datamill_db::types::{
    DatasetStatus, DatasetType, FORMAT_BITS, Modality, Split, TASK_BITS, TaskType, mask_bit,
};
use sea_orm::Iterable;
use sea_orm::{ConnectionTrait, FromQueryResult, Statement, Value};
use uuid::Uuid;

use crate::dto::GroupSummary;
use crate::error::ApiError;

/// The sort keys the list offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    CreatedAt,
    ImageCount,
}

/// A validated list request.
#[derive(Debug, Clone)]
pub struct ListFilter {
    pub dataset_type: Option<DatasetType>,
    pub task_types: Vec<TaskType>,
    pub annotation_format: Option<AnnotationFormat>,
    pub modality: Option<Modality>,
    pub split: Option<Split>,
    pub status: Option<DatasetStatus>,
    pub q: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    pub page: u64,
    pub page_size: u64,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    group_id: Uuid,
    name: String,
    dataset_type: String,
    annotation_format: String,
    task_types: serde_json::Value,
    modality: String,
    source_origin: Option<String>,
    description: Option<String>,
    version_count: i32,
    image_count: i64,
    splits: String,
    created_at: DateTime<FixedOffset>,
    updated_at: DateTime<FixedOffset>,
    total: i64,
}

fn enum_text<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `%`, `_` and `\` match literally in the name search.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// One page of groups and the total matching the filter.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    filter: &ListFilter,
) -> Result<(Vec<GroupSummary>, u64), ApiError> {
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let bind = |values: &mut Vec<Value>, value: Value| {
        values.push(value);
        format!("${}", values.len())
    };
    if let Some(t) = filter.dataset_type {
        let p = bind(&mut values, enum_text(t).into());
        conditions.push(format!("dataset_type = {p}::dataset_type"));
    }
    if !filter.task_types.is_empty() {
        let any_of = filter
            .task_types
            .iter()
            .fold(0, |mask, task| mask | mask_bit(&TASK_BITS, task));
        let p = bind(&mut values, any_of.into());
        conditions.push(format!("(task_mask & {p}) <> 0"));
    }
    if let Some(format) = filter.annotation_format {
        let p = bind(&mut values, mask_bit(&FORMAT_BITS, &format).into());
        conditions.push(format!("(format_mask & {p}) <> 0"));
    }
    if let Some(modality) = filter.modality {
        let p = bind(&mut values, enum_text(modality).into());
        conditions.push(format!("modality = {p}"));
    }
    if let Some(split) = filter.split {
        let order: Vec<Split> = Split::iter().collect();
        let p = bind(&mut values, mask_bit(&order, &split).into());
        conditions.push(format!("(split_mask & {p}) <> 0"));
    }
    if let Some(status) = filter.status {
        let order: Vec<DatasetStatus> = DatasetStatus::iter().collect();
        let p = bind(&mut values, mask_bit(&order, &status).into());
        conditions.push(format!("(status_mask & {p}) <> 0"));
    }
    let searched = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let name_searched = searched.is_some();
    if let Some(q) = searched {
        let p = bind(&mut values, like_pattern(q).into());
        conditions.push(format!("lower(name) LIKE {p}"));
    }
    let where_clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let direction = if filter.descending { "DESC" } else { "ASC" };
    let order = match filter.sort {
        SortKey::Name => format!("lower(name) {direction}, group_id {direction}"),
        SortKey::CreatedAt => format!("created_at {direction}, group_id {direction}"),
        SortKey::ImageCount => format!("image_count {direction}, group_id {direction}"),
    };
    let limit = bind(&mut values, (filter.page_size as i64).into());
    let offset = bind(
        &mut values,
        ((filter.page.saturating_sub(1)).saturating_mul(filter.page_size) as i64).into(),
    );
    // The total comes from the facet counts (a pass over distinct filter combinations, not
    // over every group) unless the name is searched; it is an uncorrelated subquery, run once.
    // `count(*) OVER ()` would build every matching row, wide JSON included, before the LIMIT.
    let count_sql = if name_searched {
        format!("SELECT count(*) FROM dataset_group_summary {where_clause}")
    } else {
        format!(
            "SELECT COALESCE(sum(group_count), 0)::bigint FROM dataset_group_facets {where_clause}"
        )
    };
    // The page is chosen on narrow columns first and only its rows are then read whole:
    // projecting `splits` in the scan itself would copy the JSON of every row OFFSET skips.
    let sql = format!(
        "WITH page AS (SELECT group_id FROM dataset_group_summary {where_clause} \
                       ORDER BY {order} LIMIT {limit} OFFSET {offset}) \
         SELECT group_id, name, dataset_type::text AS dataset_type, annotation_format, task_types, \
         modality, source_origin, description, version_count, image_count, \
         splits::text AS splits, created_at, updated_at, ({count_sql}) AS total \
         FROM page JOIN dataset_group_summary USING (group_id) ORDER BY {order}"
    );
    let statement = Statement::from_sql_and_values(db.get_database_backend(), &sql, values.clone());
    let rows = Row::find_by_statement(statement).all(db).await?;
    // A page past the end has no row to carry the total: count separately.
    let total = if let Some(row) = rows.first() {
        row.total as u64
    } else {
        let count_values = values[..values.len() - 2].to_vec();
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                format!("SELECT ({count_sql}) AS n"),
                count_values,
            ))
            .await?;
        row.and_then(|r| r.try_get::<i64>("", "n").ok())
            .unwrap_or(0) as u64
    };
    let items = rows
        .into_iter()
        .map(into_summary)
        .collect::<Result<_, _>>()?;
    Ok((items, total))
}

fn parse<T: serde::de::DeserializeOwned>(
    what: &str,
    value: serde_json::Value,
) -> Result<T, ApiError> {
    serde_json::from_value(value)
        .map_err(|error| ApiError::Internal(format!("dataset_group_summary.{what}: {error}")))
}

fn into_summary(row: Row) -> Result<GroupSummary, ApiError> {
    let splits = serde_json::value::RawValue::from_string(row.splits)
        .map_err(|error| ApiError::Internal(format!("dataset_group_summary.splits: {error}")))?;
    Ok(GroupSummary {
        group_id: row.group_id,
        name: row.name,
        dataset_type: parse("dataset_type", row.dataset_type.into())?,
        annotation_format: parse("annotation_format", row.annotation_format.into())?,
        task_types: parse("task_types", row.task_types)?,
        modality: parse("modality", row.modality.into())?,
        source_origin: row.source_origin,
        description: row.description,
        version_count: row.version_count,
        image_count: row.image_count,
        splits,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_pattern("Co_co%"), "%co\\_co\\%%");
    }
}
