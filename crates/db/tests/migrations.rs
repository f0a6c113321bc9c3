//! The migrations against a real PostgreSQL: up, down, up again, and concurrent runs.
#![allow(clippy::unwrap_used)] // test harness: a failed set-up step should abort the test loudly

use datamill_db::testing::TestDatabase;
use datamill_db::{
    PoolOptions, connect_lazy, migrate, pending_migrations, refresh_group_summary, rollback,
};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

async fn names(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect()
}

const TABLES: &str = "SELECT table_name::text FROM information_schema.tables \
     WHERE table_schema = 'public' AND table_name <> 'seaql_migrations' ORDER BY 1";
const VIEWS: &str =
    "SELECT matviewname::text FROM pg_matviews WHERE schemaname = 'public' ORDER BY 1";
const TYPES: &str = "SELECT typname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
     WHERE n.nspname = 'public' AND t.typtype = 'e' ORDER BY 1";

#[tokio::test]
async fn up_down_up_creates_and_removes_every_object() {
    let database = TestDatabase::create().await.unwrap();
    let (db, _) = connect_lazy(&database.url, &PoolOptions::default()).unwrap();
    assert_eq!(pending_migrations(&db).await.unwrap().len(), 6);
    migrate(&db).await.unwrap();
    assert!(pending_migrations(&db).await.unwrap().is_empty());
    assert_eq!(
        names(&db, TABLES).await,
        [
            "dataset_eda",
            "dataset_groups",
            "dataset_lineage",
            "datasets",
            "eda_workers",
            "manipulators",
            "objectives",
            "pipeline_executions",
            "pipeline_workers",
            "recipes",
            "solution_versions",
            "solutions",
            "training_jobs"
        ]
    );
    assert_eq!(names(&db, VIEWS).await, ["dataset_group_summary"]);
    assert_eq!(
        names(&db, TYPES).await,
        [
            "dataset_split",
            "dataset_status",
            "dataset_type",
            "eda_status",
            "execution_status",
            "manipulator_category",
            "manipulator_status"
        ]
    );
    // The view can be refreshed concurrently (it has its unique index) even when empty.
    refresh_group_summary(&db).await.unwrap();

    rollback(&db, None).await.unwrap();
    assert!(names(&db, TABLES).await.is_empty());
    assert!(names(&db, VIEWS).await.is_empty());
    assert!(names(&db, TYPES).await.is_empty());

    migrate(&db).await.unwrap();
    assert_eq!(names(&db, TABLES).await.len(), 13);
    db.close().await.unwrap();
}

async fn refreshed_xids(db: &DatabaseConnection) -> Vec<String> {
    names(
        db,
        "SELECT DISTINCT refreshed_xid::text FROM dataset_group_summary",
    )
    .await
}

/// The registry's list index trusts `refreshed_xid` to change with every refresh of the view,
/// concurrent or not, and to be one value across the rows of a refresh.
#[tokio::test]
async fn every_refresh_of_the_summary_gives_its_rows_a_new_refreshed_xid() {
    let database = TestDatabase::create().await.unwrap();
    let (db, _) = connect_lazy(&database.url, &PoolOptions::default()).unwrap();
    migrate(&db).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO dataset_groups (name, dataset_type, annotation_format) \
         SELECT 'g' || i, 'RAW', 'COCO' FROM generate_series(1, 3) AS i",
    )
    .await
    .unwrap();
    refresh_group_summary(&db).await.unwrap();
    let first = refreshed_xids(&db).await;
    assert_eq!(first.len(), 1, "one value per refresh: {first:?}");
    // Nothing changed in the data, and still the refresh is visible.
    refresh_group_summary(&db).await.unwrap();
    let second = refreshed_xids(&db).await;
    assert_eq!(second.len(), 1);
    assert_ne!(first, second);
    db.execute_unprepared("REFRESH MATERIALIZED VIEW dataset_group_summary")
        .await
        .unwrap();
    let third = refreshed_xids(&db).await;
    assert_eq!(third.len(), 1);
    assert_ne!(second, third);
    db.close().await.unwrap();
}

/// CANCELLED exists after the runtime migration; rolling it back turns cancelled runs into
/// FAILED ones (an enum value cannot be dropped, so the type is rebuilt).
#[tokio::test]
async fn the_cancelled_status_comes_and_goes_with_its_migration() {
    let database = TestDatabase::create().await.unwrap();
    let (db, _) = connect_lazy(&database.url, &PoolOptions::default()).unwrap();
    migrate(&db).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO pipeline_executions (config, status, attempts, cancel_requested) \
         VALUES ('{}', 'CANCELLED', 1, true), ('{}', 'DONE', 1, false)",
    )
    .await
    .unwrap();
    // The EDA (6) and list-index (5) migrations go first, then the runtime one (4).
    rollback(&db, Some(3)).await.unwrap();
    let statuses = names(
        &db,
        "SELECT status::text FROM pipeline_executions ORDER BY status::text",
    )
    .await;
    assert_eq!(statuses, ["DONE", "FAILED"]);
    migrate(&db).await.unwrap();
    db.close().await.unwrap();
}

#[tokio::test]
async fn replicas_migrating_at_once_apply_each_migration_once() {
    let database = TestDatabase::create().await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let url = database.url.clone();
        tasks.push(tokio::spawn(async move {
            let (db, _) = connect_lazy(&url, &PoolOptions::default()).unwrap();
            let result = migrate(&db).await;
            db.close().await.unwrap();
            result
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let (db, _) = connect_lazy(&database.url, &PoolOptions::default()).unwrap();
    let applied = names(&db, "SELECT version FROM seaql_migrations ORDER BY 1").await;
    assert_eq!(
        applied,
        [
            "m20261126_000001_initial_schema",
            "m20261126_000002_group_summary_view",
            "m20261126_000003_group_facets",
            "m20261127_000004_pipeline_runtime",
            "m20261203_000005_list_index",
            "m20261203_000006_eda"
        ]
    );
    db.close().await.unwrap();
}

#[tokio::test]
async fn constraints_refuse_bad_rows() {
    let database = TestDatabase::create().await.unwrap();
    let (db, _) = connect_lazy(&database.url, &PoolOptions::default()).unwrap();
    migrate(&db).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO dataset_groups (id, name, dataset_type, annotation_format) \
         VALUES ('00000000-0000-0000-0000-000000000001', 'coco', 'RAW', 'COCO')",
    )
    .await
    .unwrap();
    let insert = |version: &str| {
        format!(
            "INSERT INTO datasets (group_id, split, version, storage_uri) VALUES \
             ('00000000-0000-0000-0000-000000000001', 'TRAIN', '{version}', 'raw/coco/train/{version}')"
        )
    };
    db.execute_unprepared(&insert("v1.0.10")).await.unwrap();
    // Same (group, split, version) twice, a malformed version, a duplicate name in another case.
    assert!(db.execute_unprepared(&insert("v1.0.10")).await.is_err());
    assert!(db.execute_unprepared(&insert("1.0.0")).await.is_err());
    assert!(db.execute_unprepared(&insert("v1.01.0")).await.is_err());
    assert!(
        db.execute_unprepared(
            "INSERT INTO dataset_groups (name, dataset_type, annotation_format) VALUES ('COCO', 'RAW', 'COCO')"
        )
        .await
        .is_err()
    );
    assert!(
        db.execute_unprepared(
            "INSERT INTO dataset_groups (name, dataset_type, annotation_format) VALUES ('x', 'RAW', 'PASCAL')"
        )
        .await
        .is_err()
    );
    let patch = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version_patch FROM datasets",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i32>(0)
        .unwrap();
    assert_eq!(patch, 10);
    refresh_group_summary(&db).await.unwrap();
    let splits = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT splits::text, split_mask::text, format_mask::text FROM dataset_group_summary",
        ))
        .await
        .unwrap()
        .unwrap();
    let json: String = splits.try_get_by_index(0).unwrap();
    assert!(json.contains("\"v1.0.10\""), "{json}");
    assert_eq!(
        splits.try_get_by_index::<String>(1).unwrap(),
        "1",
        "TRAIN is bit 0"
    );
    assert_eq!(
        splits.try_get_by_index::<String>(2).unwrap(),
        "1",
        "COCO is bit 0"
    );
    db.close().await.unwrap();
}
