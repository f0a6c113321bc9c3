//! The release-1 schema of the work order §7, with the release-2 tables created empty so that
//! later releases only add columns, never reshape what exists.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(super) struct Migration;

const UP: &str = r#"
CREATE TYPE dataset_type AS ENUM ('RAW', 'SOURCE', 'PROCESSED', 'FUSION');
CREATE TYPE dataset_split AS ENUM ('TRAIN', 'VAL', 'TEST', 'NONE');
CREATE TYPE dataset_status AS ENUM ('PENDING', 'PROCESSING', 'READY', 'ERROR');
CREATE TYPE manipulator_category AS ENUM ('FILTER', 'AUGMENT', 'FORMAT_CONVERT', 'MERGE', 'SAMPLE', 'REMAP');
CREATE TYPE manipulator_status AS ENUM ('ACTIVE', 'EXPERIMENTAL', 'DEPRECATED');
CREATE TYPE execution_status AS ENUM ('PENDING', 'RUNNING', 'DONE', 'FAILED');

CREATE TABLE dataset_groups (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name              VARCHAR(200) NOT NULL
                      CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
    dataset_type      dataset_type NOT NULL,
    annotation_format VARCHAR(16) NOT NULL
                      CHECK (annotation_format IN ('COCO', 'YOLO', 'ATTR_JSON', 'CLS_FOLDER', 'VISDRONE', 'CUSTOM', 'NONE')),
    task_types        JSONB NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(task_types) = 'array'),
    modality          VARCHAR(16) NOT NULL DEFAULT 'RGB'
                      CHECK (modality IN ('RGB', 'THERMAL', 'DEPTH', 'MULTISPECTRAL')),
    source_origin     TEXT,
    description       TEXT,
    extra             JSONB NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(extra) = 'object'),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Group names are the NAS folder names, so two groups may not differ only by case.
CREATE UNIQUE INDEX dataset_groups_name_key ON dataset_groups (lower(name));

CREATE TABLE datasets (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    group_id          UUID NOT NULL REFERENCES dataset_groups (id) ON DELETE RESTRICT,
    split             dataset_split NOT NULL,
    version           VARCHAR(40) NOT NULL CHECK (version ~ '^v(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$'),
    -- Numeric parts, so "the latest version" is v1.0.10 and not v1.0.9.
    version_major     INTEGER GENERATED ALWAYS AS (split_part(substr(version, 2), '.', 1)::integer) STORED,
    version_minor     INTEGER GENERATED ALWAYS AS (split_part(version, '.', 2)::integer) STORED,
    version_patch     INTEGER GENERATED ALWAYS AS (split_part(version, '.', 3)::integer) STORED,
    annotation_format VARCHAR(16)
                      CHECK (annotation_format IN ('COCO', 'YOLO', 'ATTR_JSON', 'CLS_FOLDER', 'VISDRONE', 'CUSTOM', 'NONE')),
    storage_uri       VARCHAR(1024) NOT NULL,
    status            dataset_status NOT NULL DEFAULT 'PENDING',
    image_count       INTEGER CHECK (image_count >= 0),
    class_count       INTEGER CHECK (class_count >= 0),
    metadata          JSONB NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
    description       TEXT,
    -- TRUE when the platform wrote the files (pipelines); only those may ever be deleted by it.
    managed_storage   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT datasets_group_split_version_key UNIQUE (group_id, split, version)
);
CREATE INDEX datasets_group_split_order_idx
    ON datasets (group_id, split, version_major DESC, version_minor DESC, version_patch DESC);
CREATE INDEX datasets_status_idx ON datasets (status);
CREATE INDEX datasets_storage_uri_idx ON datasets (storage_uri);

CREATE TABLE dataset_lineage (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    parent_id        UUID NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    child_id         UUID NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    transform_config JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT dataset_lineage_edge_key UNIQUE (parent_id, child_id),
    CONSTRAINT dataset_lineage_no_self_loop CHECK (parent_id <> child_id)
);
CREATE INDEX dataset_lineage_child_idx ON dataset_lineage (child_id);

CREATE TABLE manipulators (
    id                         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name                       VARCHAR(100) NOT NULL UNIQUE,
    category                   manipulator_category NOT NULL,
    scope                      JSONB NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(scope) = 'array'),
    compatible_task_types      JSONB NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(compatible_task_types) = 'array'),
    compatible_annotation_fmts JSONB NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(compatible_annotation_fmts) = 'array'),
    output_annotation_fmt      VARCHAR(16),
    params_schema              JSONB NOT NULL DEFAULT '{}'::jsonb,
    description                TEXT,
    status                     manipulator_status NOT NULL DEFAULT 'ACTIVE',
    version                    VARCHAR(40) NOT NULL,
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                 TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE pipeline_executions (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    -- History outlives the dataset it produced.
    output_dataset_id UUID REFERENCES datasets (id) ON DELETE SET NULL,
    config            JSONB NOT NULL,
    status            execution_status NOT NULL DEFAULT 'PENDING',
    current_stage     VARCHAR(64),
    processed_count   INTEGER NOT NULL DEFAULT 0 CHECK (processed_count >= 0),
    total_count       INTEGER CHECK (total_count >= 0),
    error_message     TEXT,
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pipeline_executions_output_idx ON pipeline_executions (output_dataset_id);
CREATE INDEX pipeline_executions_status_created_idx ON pipeline_executions (status, created_at DESC);
CREATE INDEX pipeline_executions_created_idx ON pipeline_executions (created_at DESC);

-- Release 2 (training): empty until then.
CREATE TABLE objectives (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name        VARCHAR(200) NOT NULL UNIQUE,
    task_type   VARCHAR(32) NOT NULL,
    description TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE recipes (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    objective_id UUID NOT NULL REFERENCES objectives (id) ON DELETE RESTRICT,
    model_type   VARCHAR(100) NOT NULL,
    base_config  JSONB NOT NULL DEFAULT '{}'::jsonb,
    description  TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX recipes_objective_idx ON recipes (objective_id);
CREATE TABLE solutions (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name             VARCHAR(200) NOT NULL,
    recipe_id        UUID NOT NULL REFERENCES recipes (id) ON DELETE RESTRICT,
    train_dataset_id UUID REFERENCES datasets (id) ON DELETE RESTRICT,
    val_dataset_id   UUID REFERENCES datasets (id) ON DELETE RESTRICT,
    test_dataset_id  UUID REFERENCES datasets (id) ON DELETE RESTRICT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX solutions_recipe_idx ON solutions (recipe_id);
CREATE TABLE solution_versions (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    solution_id     UUID NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
    override_config JSONB NOT NULL DEFAULT '{}'::jsonb,
    gpu_count       INTEGER NOT NULL DEFAULT 1 CHECK (gpu_count >= 0),
    status          VARCHAR(32) NOT NULL DEFAULT 'PENDING',
    mlflow_run_id   VARCHAR(100),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX solution_versions_solution_idx ON solution_versions (solution_id);
CREATE TABLE training_jobs (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    solution_version_id UUID NOT NULL REFERENCES solution_versions (id) ON DELETE CASCADE,
    container_id        VARCHAR(128),
    gpu_ids             JSONB NOT NULL DEFAULT '[]'::jsonb,
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    metrics             JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX training_jobs_solution_version_idx ON training_jobs (solution_version_id);
"#;

const DOWN: &str = r"
DROP TABLE IF EXISTS training_jobs;
DROP TABLE IF EXISTS solution_versions;
DROP TABLE IF EXISTS solutions;
DROP TABLE IF EXISTS recipes;
DROP TABLE IF EXISTS objectives;
DROP TABLE IF EXISTS pipeline_executions;
DROP TABLE IF EXISTS manipulators;
DROP TABLE IF EXISTS dataset_lineage;
DROP TABLE IF EXISTS datasets;
DROP TABLE IF EXISTS dataset_groups;
DROP TYPE IF EXISTS execution_status;
DROP TYPE IF EXISTS manipulator_status;
DROP TYPE IF EXISTS manipulator_category;
DROP TYPE IF EXISTS dataset_status;
DROP TYPE IF EXISTS dataset_split;
DROP TYPE IF EXISTS dataset_type;
";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(UP).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(DOWN).await?;
        Ok(())
    }
}
