//! What running pipelines on a queue needs: a CANCELLED execution status, the execution's
//! attempts, cancel request, queue job and worker, its report and output group, and one row per
//! pipeline worker (its heartbeat, for finding dead workers and for the system-status page).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(super) struct Migration;

// `ALTER TYPE … ADD VALUE` may run in a transaction (PostgreSQL 12+); the new value is only
// usable once it commits, and nothing in this migration uses it.
const UP: &str = r"
ALTER TYPE execution_status ADD VALUE IF NOT EXISTS 'CANCELLED';

ALTER TABLE pipeline_executions
    ADD COLUMN output_group_id  UUID REFERENCES dataset_groups (id) ON DELETE SET NULL,
    ADD COLUMN attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN job_id           TEXT,
    ADD COLUMN worker_id        TEXT,
    ADD COLUMN report           JSONB;
CREATE INDEX pipeline_executions_output_group_idx ON pipeline_executions (output_group_id);

CREATE TABLE pipeline_workers (
    id                   TEXT PRIMARY KEY,
    host                 TEXT NOT NULL,
    pid                  INTEGER NOT NULL,
    version              TEXT NOT NULL,
    started_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    current_execution_id UUID REFERENCES pipeline_executions (id) ON DELETE SET NULL
);
CREATE INDEX pipeline_workers_last_seen_idx ON pipeline_workers (last_seen_at DESC);
";

// PostgreSQL cannot drop an enum value: the type is rebuilt without it (cancelled runs become
// FAILED, the nearest meaning).
const DOWN: &str = r"
DROP TABLE IF EXISTS pipeline_workers;
DROP INDEX IF EXISTS pipeline_executions_output_group_idx;
ALTER TABLE pipeline_executions
    DROP COLUMN IF EXISTS output_group_id,
    DROP COLUMN IF EXISTS attempts,
    DROP COLUMN IF EXISTS cancel_requested,
    DROP COLUMN IF EXISTS job_id,
    DROP COLUMN IF EXISTS worker_id,
    DROP COLUMN IF EXISTS report;

UPDATE pipeline_executions SET status = 'FAILED' WHERE status::text = 'CANCELLED';
ALTER TYPE execution_status RENAME TO execution_status_with_cancelled;
CREATE TYPE execution_status AS ENUM ('PENDING', 'RUNNING', 'DONE', 'FAILED');
ALTER TABLE pipeline_executions ALTER COLUMN status DROP DEFAULT;
ALTER TABLE pipeline_executions
    ALTER COLUMN status TYPE execution_status USING status::text::execution_status;
ALTER TABLE pipeline_executions ALTER COLUMN status SET DEFAULT 'PENDING';
DROP TYPE execution_status_with_cancelled;
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
