//! EDA runs: one row per dataset version in `dataset_eda` (the state of its latest EDA run: queued,
//! running with progress, done, failed with the reason), the result in `datasets.metadata.eda`,
//! and one heartbeat row per eda-worker in `eda_workers` (the pipeline workers' shape). The list's
//! view gains each version's EDA in brief (`eda`: status, objects, classes used, health issues),
//! so that list rows can show it; otherwise it is migration 000005's view.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(super) struct Migration;

const UP: &str = r"
CREATE TYPE eda_status AS ENUM ('PENDING', 'RUNNING', 'DONE', 'FAILED');

CREATE TABLE dataset_eda (
    dataset_id      UUID PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
    status          eda_status NOT NULL DEFAULT 'PENDING',
    current_stage   TEXT,
    processed_count INTEGER NOT NULL DEFAULT 0 CHECK (processed_count >= 0),
    total_count     INTEGER NOT NULL DEFAULT 0 CHECK (total_count >= 0),
    error_message   TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    job_id          TEXT,
    worker_id       TEXT,
    requested_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The sweep looks for runs queued without a job.
CREATE INDEX dataset_eda_pending_idx ON dataset_eda (requested_at) WHERE status = 'PENDING';

CREATE TABLE eda_workers (
    id                 TEXT PRIMARY KEY,
    host               TEXT NOT NULL,
    pid                INTEGER NOT NULL,
    version            TEXT NOT NULL,
    started_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    current_dataset_id UUID REFERENCES datasets (id) ON DELETE SET NULL
);
CREATE INDEX eda_workers_last_seen_idx ON eda_workers (last_seen_at DESC);

DROP MATERIALIZED VIEW dataset_group_summary;
CREATE MATERIALIZED VIEW dataset_group_summary WITH (toast_tuple_target = 128) AS
WITH per_split AS (
    SELECT
        d.group_id,
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
            'updated_at', d.updated_at,
            'eda', CASE WHEN e.dataset_id IS NULL THEN NULL ELSE json_build_object(
                'status', e.status,
                'objects', (d.metadata #> '{eda,summary,objects}')::json,
                'classes_used', (d.metadata #> '{eda,summary,classes_used}')::json,
                'health_issues', (d.metadata #> '{eda,summary,health_issues}')::json
            ) END
        ) ORDER BY d.version_major DESC, d.version_minor DESC, d.version_patch DESC) AS versions,
        count(*) AS version_count,
        (array_agg(d.image_count ORDER BY d.version_major DESC, d.version_minor DESC,
                   d.version_patch DESC))[1] AS latest_image_count,
        max(d.updated_at) AS last_changed_at,
        bit_or(1 << (array_position(
            ARRAY['PENDING','PROCESSING','READY','ERROR']::dataset_status[], d.status) - 1)) AS status_mask,
        COALESCE(bit_or(1 << (array_position(
            ARRAY['COCO','YOLO','ATTR_JSON','CLS_FOLDER','VISDRONE','CUSTOM','NONE'],
            d.annotation_format::text) - 1)) FILTER (WHERE d.annotation_format IS NOT NULL), 0)
                                                                                  AS format_mask
    FROM datasets d
    JOIN dataset_groups g ON g.id = d.group_id
    LEFT JOIN dataset_eda e ON e.dataset_id = d.id
    GROUP BY d.group_id, d.split
), per_group AS (
    SELECT
        group_id,
        json_agg(json_build_object('split', split, 'versions', versions) ORDER BY split) AS splits,
        sum(version_count)                          AS version_count,
        -- What the group holds now: the latest version of each split, summed.
        sum(COALESCE(latest_image_count, 0))        AS image_count,
        max(last_changed_at)                        AS last_version_at,
        bit_or(1 << (array_position(
            ARRAY['TRAIN','VAL','TEST','NONE']::dataset_split[], split) - 1)) AS split_mask,
        bit_or(status_mask)                         AS status_mask,
        bit_or(format_mask)                         AS format_mask
    FROM per_split
    GROUP BY group_id
)
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
    COALESCE(s.image_count, 0)::bigint         AS image_count,
    COALESCE(s.split_mask, 0)                  AS split_mask,
    COALESCE(s.status_mask, 0)                 AS status_mask,
    -- The group's own format always counts; versions may add their overrides.
    COALESCE(s.format_mask, 0)
      | (1 << (array_position(ARRAY['COCO','YOLO','ATTR_JSON','CLS_FOLDER','VISDRONE','CUSTOM','NONE'],
                              g.annotation_format::text) - 1)) AS format_mask,
    (SELECT COALESCE(bit_or(1 << (array_position(ARRAY['DETECTION','SEGMENTATION','ATTR_CLASSIFICATION',
                                                       'ZERO_SHOT','CLASSIFICATION'], t) - 1)), 0)
       FROM jsonb_array_elements_text(g.task_types) AS t
      WHERE t IN ('DETECTION','SEGMENTATION','ATTR_CLASSIFICATION','ZERO_SHOT','CLASSIFICATION'))
                                               AS task_mask,
    GREATEST(g.updated_at, s.last_version_at)  AS last_changed_at,
    pg_current_xact_id()::text::bigint         AS refreshed_xid
FROM dataset_groups g
LEFT JOIN per_group s ON s.group_id = g.id
WITH NO DATA;

-- `splits` is `json`, not `jsonb`: it is only ever sent to clients, and json's stored text goes
-- out as it is. EXTERNAL keeps it out of line and uncompressed.
ALTER MATERIALIZED VIEW dataset_group_summary ALTER COLUMN splits SET STORAGE EXTERNAL;
REFRESH MATERIALIZED VIEW dataset_group_summary;

-- Page rows are read by group id; REFRESH ... CONCURRENTLY needs a unique index covering every row.
CREATE UNIQUE INDEX dataset_group_summary_group_key ON dataset_group_summary (group_id);
";

const DOWN: &str = r"
DROP MATERIALIZED VIEW IF EXISTS dataset_group_summary;
DROP TABLE IF EXISTS eda_workers;
DROP TABLE IF EXISTS dataset_eda;
DROP TYPE IF EXISTS eda_status;
";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(UP).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(DOWN).await?;
        db.execute_unprepared(super::m20261203_000005_list_index::VIEW)
            .await?;
        Ok(())
    }
}
