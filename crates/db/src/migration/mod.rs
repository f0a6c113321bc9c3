//! Migrations: the only way the schema changes. One file per migration, because sea-orm records
//! a migration under its file name.

use sea_orm_migration::prelude::*;

mod m20261126_000001_initial_schema;
mod m20261126_000002_group_summary_view;
mod m20261126_000003_group_facets;
mod m20261127_000004_pipeline_runtime;
mod m20261203_000005_list_index;
mod m20261203_000006_eda;

/// Every migration, in order.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_initial_schema::Migration),
            Box::new(m20261126_000002_group_summary_view::Migration),
            Box::new(m20261126_000003_group_facets::Migration),
            Box::new(m20261127_000004_pipeline_runtime::Migration),
            Box::new(m20261203_000005_list_index::Migration),
            Box::new(m20261203_000006_eda::Migration),
        ]
    }
}
