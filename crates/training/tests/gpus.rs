//! The nvidia-smi GPU manager against the real PostgreSQL schema (release-2 tables) and a stand-in
//! `nvidia-smi` that prints recorded output and checks the arguments it is called with.

#![allow(clippy::unwrap_used)] // test harness: a failed set-up step should abort the test loudly

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use datamill_db::testing::TestDatabase;
use datamill_training::{GPUResourceManager, NvidiaSmiGpuManager, TrainingError};
use sqlx::PgPool;
use uuid::Uuid;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A script standing in for nvidia-smi: refuses other arguments than the manager's query.
fn stand_in(dir: &Path, output: &Path, exit_code: i32) -> PathBuf {
    let path = dir.join("nvidia-smi");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\n\
             [ \"$1\" = \"--query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu\" ] \
             && [ \"$2\" = \"--format=csv\" ] || {{ echo \"unexpected arguments: $*\" >&2; exit 2; }}\n\
             cat '{}'\nexit {exit_code}\n",
            output.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

async fn database() -> (TestDatabase, PgPool) {
    let database = TestDatabase::create().await.unwrap();
    let (db, pool) =
        datamill_db::connect_lazy(&database.url, &datamill_db::PoolOptions::default()).unwrap();
    datamill_db::migrate(&db).await.unwrap();
    (database, pool)
}

/// A training job row with its release-2 parents.
async fn job(pool: &PgPool) -> Uuid {
    let suffix = Uuid::new_v4().simple().to_string();
    let objective: Uuid = sqlx::query_scalar(
        "INSERT INTO objectives (name, task_type) VALUES ($1, 'DETECTION') RETURNING id",
    )
    .bind(format!("objective-{suffix}"))
    .fetch_one(pool)
    .await
    .unwrap();
    let recipe: Uuid = sqlx::query_scalar(
        "INSERT INTO recipes (objective_id, model_type) VALUES ($1, 'yolov8n') RETURNING id",
    )
    .bind(objective)
    .fetch_one(pool)
    .await
    .unwrap();
    let solution: Uuid =
        sqlx::query_scalar("INSERT INTO solutions (name, recipe_id) VALUES ('s', $1) RETURNING id")
            .bind(recipe)
            .fetch_one(pool)
            .await
            .unwrap();
    let version: Uuid = sqlx::query_scalar(
        "INSERT INTO solution_versions (solution_id, gpu_count) VALUES ($1, 2) RETURNING id",
    )
    .bind(solution)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query_scalar("INSERT INTO training_jobs (solution_version_id) VALUES ($1) RETURNING id")
        .bind(version)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn gpu_ids(pool: &PgPool, job: Uuid) -> serde_json::Value {
    sqlx::query_scalar("SELECT gpu_ids FROM training_jobs WHERE id = $1")
        .bind(job)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn reservations_are_exclusive_across_concurrent_jobs_and_released() {
    let (_database, pool) = database().await;
    let dir = tempfile::tempdir().unwrap();
    let smi = stand_in(dir.path(), &fixture("a100x4.csv"), 0);
    let manager = NvidiaSmiGpuManager::with_command(pool.clone(), &smi);

    let all = manager.all_gpus().await.unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(manager.get_available_gpus().await.unwrap(), all);

    // Two jobs asking at once get disjoint pairs; the least used GPUs go first (1 is busy).
    let (a, b, c) = (job(&pool).await, job(&pool).await, job(&pool).await);
    let (first, second) = tokio::join!(manager.reserve_gpus(a, 2), manager.reserve_gpus(b, 2));
    let (first, second) = (first.unwrap(), second.unwrap());
    let mut together: Vec<u32> = first.iter().chain(&second).copied().collect();
    together.sort_unstable();
    assert_eq!(
        together,
        vec![0, 1, 2, 3],
        "{first:?} and {second:?} overlap"
    );
    let idle_first = if first.contains(&1) { &second } else { &first };
    assert!(!idle_first.contains(&1));
    assert_eq!(gpu_ids(&pool, a).await, serde_json::json!(first));
    assert!(manager.get_available_gpus().await.unwrap().is_empty());

    match manager.reserve_gpus(c, 1).await {
        Err(TrainingError::NotEnoughGpus { wanted: 1, free: 0 }) => {}
        other => panic!("expected NotEnoughGpus, got {other:?}"),
    }
    assert_eq!(
        gpu_ids(&pool, c).await,
        serde_json::json!([]),
        "all or nothing"
    );

    manager.release_gpus(a).await.unwrap();
    let mut free: Vec<u32> = manager
        .get_available_gpus()
        .await
        .unwrap()
        .iter()
        .map(|gpu| gpu.index)
        .collect();
    free.sort_unstable();
    assert_eq!(free, first);
    assert_eq!(manager.reserve_gpus(c, 2).await.unwrap(), first);

    // A finished job holds nothing, whatever its row still says.
    sqlx::query("UPDATE training_jobs SET finished_at = now() WHERE id = $1")
        .bind(b)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(manager.get_available_gpus().await.unwrap().len(), 2);
    // Re-reserving for the same job replaces its own GPUs instead of counting them as taken.
    assert_eq!(manager.reserve_gpus(c, 4).await.unwrap(), vec![0, 1, 2, 3]);

    let unknown = Uuid::new_v4();
    assert!(matches!(
        manager.release_gpus(unknown).await,
        Err(TrainingError::UnknownJob(id)) if id == unknown
    ));
    manager.release_gpus(c).await.unwrap();
    assert!(matches!(
        manager.reserve_gpus(unknown, 1).await,
        Err(TrainingError::UnknownJob(_))
    ));
}

#[tokio::test]
async fn a_machine_without_gpus_and_a_failing_driver_are_told_apart() {
    let (_database, pool) = database().await;
    let dir = tempfile::tempdir().unwrap();
    // nvidia-smi prints "No devices were found" and exits 6 on a machine without GPUs.
    let none = stand_in(dir.path(), &fixture("no_devices.txt"), 6);
    let manager = NvidiaSmiGpuManager::with_command(pool.clone(), &none);
    assert!(manager.get_available_gpus().await.unwrap().is_empty());
    let job = job(&pool).await;
    assert!(matches!(
        manager.reserve_gpus(job, 1).await,
        Err(TrainingError::NotEnoughGpus { wanted: 1, free: 0 })
    ));

    let broken_dir = tempfile::tempdir().unwrap();
    let broken = broken_dir.path().join("nvidia-smi");
    std::fs::write(
        &broken,
        "#!/bin/sh\necho 'NVIDIA-SMI has failed because it couldn'\"'\"'t communicate with the NVIDIA driver.' >&2\nexit 9\n",
    )
    .unwrap();
    std::fs::set_permissions(&broken, std::fs::Permissions::from_mode(0o755)).unwrap();
    let error = NvidiaSmiGpuManager::with_command(pool.clone(), &broken)
        .all_gpus()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("communicate with the NVIDIA driver"),
        "{error}"
    );

    let missing = NvidiaSmiGpuManager::with_command(pool, dir.path().join("no-such-nvidia-smi"));
    assert!(matches!(
        missing.all_gpus().await,
        Err(TrainingError::Command { .. })
    ));
}
