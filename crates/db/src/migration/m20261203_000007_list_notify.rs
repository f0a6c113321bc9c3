//! Tells the registries when `dataset_group_summary` was refreshed.
//!
//! The registry answers the list from an in-memory index of the view and, while it is LISTENing
//! on [`SUMMARY_REFRESHED_CHANNEL`](crate::SUMMARY_REFRESHED_CHANNEL), trusts that index until a
//! notification says the view changed, without asking PostgreSQL anything per request. Our own
//! refreshes (`refresh_group_summary`) send the notification themselves; this event trigger
//! sends it for every other `REFRESH MATERIALIZED VIEW dataset_group_summary` too (an operator's
//! in psql, plain or concurrent), at commit like any NOTIFY.
//!
//! Event triggers need a superuser. Where the migrating role is not one, the trigger is left
//! out with a notice and nothing else changes: the registry then also checks the view's
//! `refreshed_xid` every second, so a hand-made refresh shows within a second instead of at once.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(super) struct Migration;

const UP: &str = r"
CREATE OR REPLACE FUNCTION datamill_notify_summary_refreshed() RETURNS event_trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands()
               WHERE object_type = 'materialized view'
                 AND object_identity IN ('dataset_group_summary', 'public.dataset_group_summary')) THEN
        PERFORM pg_notify('dataset_group_summary_refreshed', '');
    END IF;
END
$$;

DO $$
BEGIN
    DROP EVENT TRIGGER IF EXISTS datamill_summary_refreshed;
    CREATE EVENT TRIGGER datamill_summary_refreshed ON ddl_command_end
        WHEN TAG IN ('REFRESH MATERIALIZED VIEW')
        EXECUTE FUNCTION datamill_notify_summary_refreshed();
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'not a superuser: no event trigger for hand-made refreshes of dataset_group_summary (the registry polls instead)';
END
$$;
";

const DOWN: &str = r"
DO $$
BEGIN
    DROP EVENT TRIGGER IF EXISTS datamill_summary_refreshed;
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END
$$;
DROP FUNCTION IF EXISTS datamill_notify_summary_refreshed();
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
