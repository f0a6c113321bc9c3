//! The dataset list: `dataset_group_summary` behind an in-memory index.
//!
//! Filtering, sorting, counting and paging 10,000 groups in SQL cost milliseconds of database
//! time per request, most of it walking an index past the rows an `OFFSET` skips, and every
//! request paid it again. The list's narrow columns (name, type, modality, the bit masks, three
//! sort ranks) fit in about 100 bytes a group, so each registry keeps them in memory
//! ([`ListIndex`]) and answers filter, sort, total and page itself; PostgreSQL then only serves the
//! page's rows by primary key, and the response is written around their `splits` JSON without
//! parsing it.
//!
//! The index is exactly one refresh of the view, items included: each group's JSON is written
//! once when the index is loaded, so a request asks PostgreSQL one tiny question only — the
//! view's `refreshed_xid`, the transaction that last refreshed it (migration 000005). If it is
//! not the index's, the view was refreshed (by us, a worker, or a `REFRESH MATERIALIZED VIEW`
//! typed in psql): the index is reloaded (one load per change, whoever asks first) before the
//! page is served. So the list is exactly as fresh as the view, like a query on the view, without
//! reading any of its rows per request.
//!
//! Sort orders are PostgreSQL's own (ranks computed in the load query), so names sort by the
//! database's collation exactly as `ORDER BY lower(name)` did.

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use datamill_core::AnnotationFormat;
use datamill_db::types::{
    DatasetStatus, DatasetType, FORMAT_BITS, Modality, Split, TASK_BITS, TaskType, mask_bit,
};
use sea_orm::Iterable;
use sqlx::PgPool;
use tokio::sync::{Mutex, RwLock};
use uuid::Uuid;

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

/// The narrow columns of one group.
#[derive(Debug, Clone)]
struct Entry {
    /// `lower(name)` as PostgreSQL computes it (what the name search matches).
    name: String,
    dataset_type: Option<DatasetType>,
    modality: Option<Modality>,
    split_mask: i32,
    status_mask: i32,
    format_mask: i32,
    task_mask: i32,
    /// The group as a list item (`GroupSummary`'s JSON), written when the index was loaded.
    item: Box<str>,
}

/// One refresh of `dataset_group_summary`, indexed for the list.
#[derive(Debug, Default)]
pub struct ListIndex {
    /// The refresh this index holds; `None` for an empty view.
    refreshed_xid: Option<i64>,
    entries: Vec<Entry>,
    /// Positions in `entries`, ascending by each sort key (ties by group id, as PostgreSQL
    /// ordered them).
    by_name: Vec<u32>,
    by_created: Vec<u32>,
    by_images: Vec<u32>,
    /// Every entry's lower-cased name followed by a NUL, in `entries` order, and where each
    /// starts.
    names: Vec<u8>,
    name_starts: Vec<u32>,
}

/// The bits a filter asks for, resolved once per request. A mask filter matches groups having
/// any of its bits; one whose value has no bit (0) matches nothing.
struct Wanted {
    dataset_type: Option<DatasetType>,
    modality: Option<Modality>,
    task_any: Option<i32>,
    format: Option<i32>,
    split: Option<i32>,
    status: Option<i32>,
    /// For a name search, whether each entry's name contains it (by position in `entries`).
    named: Option<Vec<bool>>,
}

impl Wanted {
    fn matches(&self, position: usize, entry: &Entry) -> bool {
        let any = |wanted: Option<i32>, mask: i32| wanted.is_none_or(|bits| mask & bits != 0);
        self.dataset_type
            .is_none_or(|t| entry.dataset_type == Some(t))
            && self.modality.is_none_or(|m| entry.modality == Some(m))
            && any(self.task_any, entry.task_mask)
            && any(self.format, entry.format_mask)
            && any(self.split, entry.split_mask)
            && any(self.status, entry.status_mask)
            && self
                .named
                .as_ref()
                .is_none_or(|named| named.get(position).copied().unwrap_or(false))
    }
}

impl ListIndex {
    /// Joins the lower-cased names for [`ListIndex::names_containing`].
    fn index_names(&mut self) {
        self.names.clear();
        self.name_starts.clear();
        for entry in &self.entries {
            self.name_starts.push(self.names.len() as u32);
            self.names.extend_from_slice(entry.name.as_bytes());
            self.names.push(0);
        }
    }

    /// Which entries' names contain `q` (already lower-cased): one vectorised substring search
    /// over all names at once, instead of one search per group. PostgreSQL text never holds a
    /// NUL, so NUL separates the names, and a search containing one matches nothing (as `LIKE`).
    fn names_containing(&self, q: &str) -> Vec<bool> {
        let mut named = vec![false; self.entries.len()];
        if q.contains('\0') {
            return named;
        }
        for at in memchr::memmem::find_iter(&self.names, q.as_bytes()) {
            let position = self
                .name_starts
                .partition_point(|&start| start as usize <= at);
            if let Some(slot) = position.checked_sub(1).and_then(|p| named.get_mut(p)) {
                *slot = true;
            }
        }
        named
    }

    /// The page's entries in order, and how many groups match.
    fn page(&self, filter: &ListFilter, q: Option<&str>) -> (Vec<&Entry>, u64) {
        let splits: Vec<Split> = Split::iter().collect();
        let statuses: Vec<DatasetStatus> = DatasetStatus::iter().collect();
        let wanted = Wanted {
            dataset_type: filter.dataset_type,
            modality: filter.modality,
            task_any: (!filter.task_types.is_empty()).then(|| {
                filter
                    .task_types
                    .iter()
                    .fold(0, |mask, task| mask | mask_bit(&TASK_BITS, task))
            }),
            format: filter.annotation_format.map(|f| mask_bit(&FORMAT_BITS, &f)),
            split: filter.split.map(|s| mask_bit(&splits, &s)),
            status: filter.status.map(|s| mask_bit(&statuses, &s)),
            named: q.map(|q| self.names_containing(q)),
        };
        let order = match filter.sort {
            SortKey::Name => &self.by_name,
            SortKey::CreatedAt => &self.by_created,
            SortKey::ImageCount => &self.by_images,
        };
        let skip = (filter.page.saturating_sub(1)).saturating_mul(filter.page_size);
        let take = filter.page_size as usize;
        let mut total = 0u64;
        let mut ids = Vec::with_capacity(take);
        let mut visit = |position: &u32| {
            let entry = &self.entries[*position as usize];
            if wanted.matches(*position as usize, entry) {
                if total >= skip && ids.len() < take {
                    ids.push(entry);
                }
                total += 1;
            }
        };
        if filter.descending {
            order.iter().rev().for_each(&mut visit);
        } else {
            order.iter().for_each(&mut visit);
        }
        (ids, total)
    }
}

/// The registry's list index, shared by its handlers.
#[derive(Debug, Default)]
pub struct ListIndexCache {
    current: RwLock<Option<Arc<ListIndex>>>,
    /// One load at a time; the others wait for it and use its result.
    loading: Mutex<()>,
}

impl ListIndexCache {
    /// The index of the view as it is now.
    async fn get(&self, pool: &PgPool) -> Result<Arc<ListIndex>, ApiError> {
        let current = self.current.read().await.clone();
        let Some(index) = current else {
            return self.reload(pool, None).await;
        };
        if view_refreshed_xid(pool).await? == index.refreshed_xid {
            return Ok(index);
        }
        self.reload(pool, Some(&index)).await
    }

    /// Loads the view anew unless another caller already replaced the index `stale` (or, with
    /// `None`, loaded one at all) while this one waited.
    async fn reload(
        &self,
        pool: &PgPool,
        stale: Option<&Arc<ListIndex>>,
    ) -> Result<Arc<ListIndex>, ApiError> {
        let _loading = self.loading.lock().await;
        if let Some(current) = self.current.read().await.as_ref() {
            let replaced = stale.is_none_or(|stale| !Arc::ptr_eq(stale, current));
            if replaced {
                return Ok(Arc::clone(current));
            }
        }
        let index = Arc::new(load(pool).await?);
        *self.current.write().await = Some(Arc::clone(&index));
        Ok(index)
    }
}

#[derive(sqlx::FromRow)]
struct IndexRow {
    group_id: Uuid,
    display_name: String,
    /// Lower-cased.
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
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    split_mask: i32,
    status_mask: i32,
    format_mask: i32,
    task_mask: i32,
    refreshed_xid: i64,
    name_rank: i64,
    created_rank: i64,
    images_rank: i64,
}

fn parse_text<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

async fn load(pool: &PgPool) -> Result<ListIndex, ApiError> {
    let started = std::time::Instant::now();
    let rows: Vec<IndexRow> = sqlx::query_as(
        "SELECT group_id, name AS display_name, lower(name) AS name, \
                dataset_type::text AS dataset_type, annotation_format, task_types, modality, \
                source_origin, description, version_count, image_count, splits::text AS splits, \
                created_at, updated_at, \
                split_mask, status_mask, format_mask, task_mask, refreshed_xid, \
                row_number() OVER (ORDER BY lower(name), group_id) AS name_rank, \
                row_number() OVER (ORDER BY created_at, group_id) AS created_rank, \
                row_number() OVER (ORDER BY image_count, group_id) AS images_rank \
         FROM dataset_group_summary",
    )
    .fetch_all(pool)
    .await
    .map_err(database_error)?;
    let count = rows.len();
    let mut index = ListIndex {
        refreshed_xid: rows.first().map(|row| row.refreshed_xid),
        entries: Vec::with_capacity(count),
        by_name: vec![0; count],
        by_created: vec![0; count],
        by_images: vec![0; count],
        names: Vec::new(),
        name_starts: Vec::with_capacity(count),
    };
    for (position, row) in rows.into_iter().enumerate() {
        let slot = |rank: i64| usize::try_from(rank - 1).ok().filter(|r| *r < count);
        let (Some(name), Some(created), Some(images)) = (
            slot(row.name_rank),
            slot(row.created_rank),
            slot(row.images_rank),
        ) else {
            return Err(ApiError::Internal(
                "dataset_group_summary: a sort rank out of range".to_owned(),
            ));
        };
        index.by_name[name] = position as u32;
        index.by_created[created] = position as u32;
        index.by_images[images] = position as u32;
        let mut item = String::with_capacity(row.splits.len() + 512);
        write_item(&mut item, &row)?;
        index.entries.push(Entry {
            name: row.name,
            dataset_type: parse_text(&row.dataset_type),
            modality: parse_text(&row.modality),
            split_mask: row.split_mask,
            status_mask: row.status_mask,
            format_mask: row.format_mask,
            task_mask: row.task_mask,
            item: item.into_boxed_str(),
        });
    }
    index.index_names();
    tracing::debug!(
        groups = count,
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        "dataset list index loaded"
    );
    Ok(index)
}

use super::eda::database_error;

async fn view_refreshed_xid(pool: &PgPool) -> Result<Option<i64>, ApiError> {
    sqlx::query_scalar("SELECT refreshed_xid FROM dataset_group_summary LIMIT 1")
        .fetch_optional(pool)
        .await
        .map_err(database_error)
}

/// One page of the list as a JSON document in the shape of `GroupPage`.
pub async fn list(
    pool: &PgPool,
    cache: &ListIndexCache,
    filter: &ListFilter,
) -> Result<Vec<u8>, ApiError> {
    let q = filter
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_lowercase);
    let index = cache.get(pool).await?;
    let (entries, total) = index.page(filter, q.as_deref());
    Ok(write_page(&entries, total, filter))
}

fn parse<T: serde::de::DeserializeOwned>(
    what: &str,
    value: serde_json::Value,
) -> Result<T, ApiError> {
    serde_json::from_value(value)
        .map_err(|error| ApiError::Internal(format!("dataset_group_summary.{what}: {error}")))
}

/// Writes `{"items":[…],"total":…,"page":…,"page_size":…}` from the entries' prepared items.
fn write_page(entries: &[&Entry], total: u64, filter: &ListFilter) -> Vec<u8> {
    let size: usize = entries.iter().map(|entry| entry.item.len() + 1).sum();
    let mut out = String::with_capacity(size + 64);
    out.push_str("{\"items\":[");
    for (n, entry) in entries.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&entry.item);
    }
    let _ = write!(
        out,
        "],\"total\":{total},\"page\":{},\"page_size\":{}}}",
        filter.page, filter.page_size
    );
    out.into_bytes()
}

fn json<T: serde::Serialize + ?Sized>(out: &mut String, value: &T) -> Result<(), ApiError> {
    let text = serde_json::to_string(value)
        .map_err(|error| ApiError::Internal(format!("writing the dataset list: {error}")))?;
    out.push_str(&text);
    Ok(())
}

/// One group in the fields and order of `GroupSummary`, its `splits` copied as stored (the view
/// builds them in the API's shape).
fn write_item(out: &mut String, row: &IndexRow) -> Result<(), ApiError> {
    let dataset_type: DatasetType = parse("dataset_type", row.dataset_type.as_str().into())?;
    let annotation_format: AnnotationFormat =
        parse("annotation_format", row.annotation_format.as_str().into())?;
    let task_types: Vec<TaskType> = parse("task_types", row.task_types.clone())?;
    let modality: Modality = parse("modality", row.modality.as_str().into())?;
    out.push_str("{\"group_id\":");
    json(out, &row.group_id)?;
    out.push_str(",\"name\":");
    json(out, &row.display_name)?;
    out.push_str(",\"dataset_type\":");
    json(out, &dataset_type)?;
    out.push_str(",\"annotation_format\":");
    json(out, &annotation_format)?;
    out.push_str(",\"task_types\":");
    json(out, &task_types)?;
    out.push_str(",\"modality\":");
    json(out, &modality)?;
    out.push_str(",\"source_origin\":");
    json(out, &row.source_origin)?;
    out.push_str(",\"description\":");
    json(out, &row.description)?;
    let _ = write!(
        out,
        ",\"version_count\":{},\"image_count\":{},\"splits\":",
        row.version_count, row.image_count
    );
    // PostgreSQL's `json` type holds only valid JSON; `json_agg` built it in the API's shape.
    out.push_str(&row.splits);
    out.push_str(",\"created_at\":");
    json(out, &row.created_at)?;
    out.push_str(",\"updated_at\":");
    json(out, &row.updated_at)?;
    out.push('}');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u8, name: &str, dataset_type: DatasetType, split_mask: i32) -> Entry {
        Entry {
            name: name.to_owned(),
            dataset_type: Some(dataset_type),
            modality: Some(Modality::Rgb),
            split_mask,
            status_mask: 4,
            format_mask: 1,
            task_mask: 1,
            item: format!(
                "{{\"group_id\":\"{}\",\"name\":\"{name}\"}}",
                Uuid::from_bytes([n; 16])
            )
            .into_boxed_str(),
        }
    }

    /// The page's group ids and the total.
    fn ids(index: &ListIndex, filter: &ListFilter, q: Option<&str>) -> (Vec<Uuid>, u64) {
        let (entries, total) = index.page(filter, q);
        let id = |entry: &&Entry| {
            let item: serde_json::Value = serde_json::from_str(&entry.item).unwrap_or_default();
            item["group_id"]
                .as_str()
                .and_then(|id| id.parse().ok())
                .unwrap_or_default()
        };
        (entries.iter().map(id).collect(), total)
    }

    fn index() -> ListIndex {
        let mut index = ListIndex {
            refreshed_xid: Some(7),
            entries: vec![
                entry(1, "coco_b", DatasetType::Raw, 1),
                entry(2, "coco_a", DatasetType::Processed, 2),
                entry(3, "yolo", DatasetType::Raw, 3),
            ],
            by_name: vec![1, 0, 2],
            by_created: vec![2, 1, 0],
            by_images: vec![0, 1, 2],
            names: Vec::new(),
            name_starts: Vec::new(),
        };
        index.index_names();
        index
    }

    fn filter() -> ListFilter {
        ListFilter {
            dataset_type: None,
            task_types: Vec::new(),
            annotation_format: None,
            modality: None,
            split: None,
            status: None,
            q: None,
            sort: SortKey::Name,
            descending: false,
            page: 1,
            page_size: 2,
        }
    }

    #[test]
    fn pages_follow_the_sort_and_count_every_match() {
        let index = index();
        let (first, total) = ids(&index, &filter(), None);
        assert_eq!(
            first,
            [Uuid::from_bytes([2; 16]), Uuid::from_bytes([1; 16])]
        );
        assert_eq!(total, 3);
        let second = ListFilter {
            page: 2,
            ..filter()
        };
        assert_eq!(ids(&index, &second, None).0, [Uuid::from_bytes([3; 16])]);
        let past = ListFilter {
            page: 9,
            ..filter()
        };
        assert_eq!(ids(&index, &past, None), (Vec::new(), 3));
        let newest = ListFilter {
            sort: SortKey::CreatedAt,
            descending: true,
            ..filter()
        };
        assert_eq!(
            ids(&index, &newest, None).0,
            [Uuid::from_bytes([1; 16]), Uuid::from_bytes([2; 16])]
        );
    }

    #[test]
    fn a_page_is_its_entries_prepared_items() {
        let index = index();
        let (entries, total) = index.page(&filter(), None);
        let page = write_page(&entries, total, &filter());
        let page: serde_json::Value = serde_json::from_slice(&page).unwrap_or_default();
        assert_eq!(
            page,
            serde_json::json!({"items": [
                                   {"group_id": Uuid::from_bytes([2; 16]), "name": "coco_a"},
                                   {"group_id": Uuid::from_bytes([1; 16]), "name": "coco_b"}],
                               "total": 3, "page": 1, "page_size": 2})
        );
    }

    #[test]
    fn filters_and_the_name_search_narrow_the_total() {
        let index = index();
        let raw_val = ListFilter {
            dataset_type: Some(DatasetType::Raw),
            split: Some(Split::Val),
            ..filter()
        };
        assert_eq!(
            ids(&index, &raw_val, None),
            (vec![Uuid::from_bytes([3; 16])], 1)
        );
        assert_eq!(ids(&index, &filter(), Some("coco")).1, 2);
        assert_eq!(ids(&index, &filter(), Some("nothing")), (Vec::new(), 0));
        // Matches inside a name, at its start and end; never across two names.
        assert_eq!(ids(&index, &filter(), Some("o_b")).1, 1);
        assert_eq!(ids(&index, &filter(), Some("yolo")).1, 1);
        assert_eq!(ids(&index, &filter(), Some("coco_")).1, 2);
        assert_eq!(ids(&index, &filter(), Some("_byolo")).1, 0);
        assert_eq!(ids(&index, &filter(), Some("a\0y")).1, 0);
    }
}
