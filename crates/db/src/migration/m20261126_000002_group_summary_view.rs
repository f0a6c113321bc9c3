//! `dataset_group_summary`: one row per group with its splits × versions, the list endpoint's
//! source. What the list filters on is flattened into narrow columns — bit masks for "has a
//! version of this split / status / format" and "serves any of these tasks", sums for sorting —
//! and the wide `splits` JSON is stored out of line (`toast_tuple_target`), so counting and
//! filtering 10,000 groups reads a few hundred narrow heap pages, never `datasets`. `splits` is
//! built in the exact shape of the API's `SummarySplit` list and passed through to clients
//! without being parsed.
//!
//! Bit `n` of a mask is the `n`-th value of the enum in declaration order (SQL enum order =
//! `datamill_db::types` order; formats and task types in the arrays below, which
//! `datamill_db::types::{FORMAT_BITS, TASK_BITS}` mirror).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(super) struct Migration;

pub(super) const UP: &str = r"
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE MATERIALIZED VIEW dataset_group_summary WITH (toast_tuple_target = 128) AS
SELECT
    g.id                AS group_id,
    g.name,
    g.dataset_type,
    g.annotation_format,
    g.task_types,
    g.modality,
    g.source_origin,
    g.description,
    g.created_at,
    g.updated_at,
    COALESCE(s.splits, '[]'::json)             AS splits,
    COALESCE(s.version_count, 0)::integer      AS version_count,
    -- What the group holds now: the latest version of each split, summed.
    COALESCE(s.image_count, 0)::bigint         AS image_count,
    COALESCE(f.split_mask, 0)                  AS split_mask,
    COALESCE(f.status_mask, 0)                 AS status_mask,
    -- The group's own format always counts; versions may add their overrides.
    COALESCE(f.format_mask, 0)
      | (1 << (array_position(ARRAY['COCO','YOLO','ATTR_JSON','CLS_FOLDER','VISDRONE','CUSTOM','NONE'],
                              g.annotation_format::text) - 1)) AS format_mask,
    (SELECT COALESCE(bit_or(1 << (array_position(ARRAY['DETECTION','SEGMENTATION','ATTR_CLASSIFICATION',
                                                       'ZERO_SHOT','CLASSIFICATION'], t) - 1)), 0)
       FROM jsonb_array_elements_text(g.task_types) AS t
      WHERE t IN ('DETECTION','SEGMENTATION','ATTR_CLASSIFICATION','ZERO_SHOT','CLASSIFICATION'))
                                               AS task_mask,
    GREATEST(g.updated_at, s.last_version_at)  AS last_changed_at
FROM dataset_groups g
LEFT JOIN LATERAL (
    SELECT
        json_agg(json_build_object('split', per_split.split, 'versions', per_split.versions)
                  ORDER BY per_split.split)                      AS splits,
        sum(per_split.version_count)                             AS version_count,
        sum(COALESCE(per_split.latest_image_count, 0))           AS image_count,
        max(per_split.last_created_at)                           AS last_version_at
    FROM (
        SELECT
            d.split,
            json_agg(json_build_object(
                'id', d.id,
                'version', d.version,
                'status', d.status,
                'image_count', d.image_count,
                'class_count', d.class_count,
                'annotation_format', COALESCE(d.annotation_format, g.annotation_format),
                'storage_uri', d.storage_uri,
                'created_at', d.created_at,
                'updated_at', d.updated_at
            ) ORDER BY d.version_major DESC, d.version_minor DESC, d.version_patch DESC) AS versions,
            count(*) AS version_count,
            (array_agg(d.image_count ORDER BY d.version_major DESC, d.version_minor DESC,
                       d.version_patch DESC))[1] AS latest_image_count,
            max(d.updated_at) AS last_created_at
        FROM datasets d
        WHERE d.group_id = g.id
        GROUP BY d.split
    ) per_split
) s ON TRUE
LEFT JOIN LATERAL (
    SELECT
        bit_or(1 << (array_position(enum_range(NULL::dataset_split), d.split) - 1))   AS split_mask,
        bit_or(1 << (array_position(enum_range(NULL::dataset_status), d.status) - 1)) AS status_mask,
        COALESCE(bit_or(1 << (array_position(
            ARRAY['COCO','YOLO','ATTR_JSON','CLS_FOLDER','VISDRONE','CUSTOM','NONE'],
            d.annotation_format::text) - 1)) FILTER (WHERE d.annotation_format IS NOT NULL), 0)
                                                                                     AS format_mask
    FROM datasets d
    WHERE d.group_id = g.id
) f ON TRUE
WITH NO DATA;

-- `splits` is `json`, not `jsonb`: it is only ever sent to clients, and json's stored text goes
-- out as it is, where jsonb would be re-printed on every read. EXTERNAL keeps it out of line and
-- uncompressed, so reading a page costs a copy, not a decompression.
ALTER MATERIALIZED VIEW dataset_group_summary ALTER COLUMN splits SET STORAGE EXTERNAL;
REFRESH MATERIALIZED VIEW dataset_group_summary;

-- REFRESH ... CONCURRENTLY needs a unique index covering every row.
CREATE UNIQUE INDEX dataset_group_summary_group_key ON dataset_group_summary (group_id);
CREATE INDEX dataset_group_summary_name_idx ON dataset_group_summary (lower(name), group_id);
CREATE INDEX dataset_group_summary_name_trgm_idx ON dataset_group_summary USING gin (lower(name) gin_trgm_ops);
CREATE INDEX dataset_group_summary_created_idx ON dataset_group_summary (created_at, group_id);
CREATE INDEX dataset_group_summary_images_idx ON dataset_group_summary (image_count, group_id);
CREATE INDEX dataset_group_summary_type_idx ON dataset_group_summary (dataset_type);
CREATE INDEX dataset_group_summary_modality_idx ON dataset_group_summary (modality);
";

const DOWN: &str = r"
DROP MATERIALIZED VIEW IF EXISTS dataset_group_summary;
";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(UP).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // pg_trgm stays: other objects of the database may use it.
        manager.get_connection().execute_unprepared(DOWN).await?;
        Ok(())
    }
}
