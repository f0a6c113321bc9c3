//! A submitted pipeline run by the worker against a real PostgreSQL and a temp NAS: the output
//! dataset becomes READY with the files and counts the dry run announced; cancel and failures
//! end the execution with a status and a message.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::sync::Arc;
use std::time::Duration;

use datamill_core::synth::{SynthConfig, SynthFormat, write_dataset};
use datamill_db::testing::TestDatabase;
use datamill_platform::config::Env;
use datamill_storage::LocalStorageClient;
use datamill_worker::{Context, Outcome, run_execution};
use serde_json::{Value, json};
use uuid::Uuid;

struct Stack {
    registry: Option<datamill_registry::RunningRegistry>,
    url: String,
    nas: tempfile::TempDir,
    client: reqwest::Client,
    context: Context,
    database: TestDatabase,
}

impl Stack {
    async fn start() -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let database = TestDatabase::create().await.unwrap();
        let nas = tempfile::tempdir().unwrap();
        let config = datamill_registry::RegistryConfig::from_env(Env::from_pairs([
            ("DATABASE_URL", database.url.clone()),
            ("LOCAL_STORAGE_BASE", nas.path().display().to_string()),
            ("HTTP_ADDR", "127.0.0.1:0".to_owned()),
            ("LOG_LEVEL", "warn".to_owned()),
        ]))
        .unwrap();
        let registry = datamill_registry::start(config).await.unwrap();
        let (db, _) =
            datamill_db::connect_lazy(&database.url, &datamill_db::PoolOptions::default()).unwrap();
        let context = Context {
            db,
            storage: Arc::new(LocalStorageClient::new(nas.path()).unwrap()),
            worker_id: "test-worker".to_owned(),
            threads: 2,
            progress_interval: Duration::from_millis(50),
            notifier: None,
        };
        Self {
            url: registry.url(),
            registry: Some(registry),
            nas,
            client: reqwest::Client::new(),
            context,
            database,
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, format!("{}/api/v1{path}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A registered COCO source with real JPEGs; returns its dataset id.
    async fn source(&self, name: &str, images: usize) -> String {
        write_dataset(
            &SynthConfig {
                images,
                seed: 9,
                format: SynthFormat::Coco,
                min_size: (64, 48),
                max_size: (128, 96),
                mean_boxes: 3.0,
                ..SynthConfig::default()
            },
            &self.nas.path().join(format!("raw/{name}/train/v1.0.0")),
        )
        .unwrap();
        let (_, group) = self
            .call(reqwest::Method::POST, "/dataset-groups", Some(json!({"name": name, "dataset_type": "RAW", "annotation_format": "COCO", "task_types": ["DETECTION"]})))
            .await;
        let (status, dataset) = self
            .call(reqwest::Method::POST, "/datasets", Some(json!({"group_id": group["id"], "split": "TRAIN", "storage_uri": format!("raw/{name}/train/v1.0.0")})))
            .await;
        assert_eq!(status, 201, "{dataset}");
        dataset["id"].as_str().unwrap().to_owned()
    }

    async fn submit(&self, config: Value) -> Value {
        let (status, execution) = self
            .call(reqwest::Method::POST, "/pipelines", Some(config))
            .await;
        assert_eq!(status, 202, "{execution}");
        execution
    }

    async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None).await.1
    }
}

fn config(source: &str, manipulators: &Value) -> Value {
    json!({
        "output": {"group": "worked", "dataset_type": "PROCESSED", "split": "TRAIN",
                   "annotation_format": "YOLO", "task_types": ["DETECTION"]},
        "sources": [{"dataset_id": source, "manipulators": manipulators}],
        "post_merge": [{"name": "shuffle_image_ids", "params": {"seed": 4}}]
    })
}

#[tokio::test]
async fn a_submitted_pipeline_runs_to_a_ready_dataset() {
    let stack = Stack::start().await;
    let source = stack.source("in_a", 10).await;
    let body = config(
        &source,
        &json!([{"name": "rotate_180"}, {"name": "format_convert_to_yolo", "params": {"iscrowd": "box"}}]),
    );
    let (_, preview) = stack
        .call(
            reqwest::Method::POST,
            "/pipelines/preview",
            Some(body.clone()),
        )
        .await;
    let execution = stack.submit(body).await;
    let id = Uuid::parse_str(execution["id"].as_str().unwrap()).unwrap();

    assert_eq!(
        run_execution(&stack.context, id).await.unwrap(),
        Outcome::Done
    );
    let done = stack.get(&format!("/pipelines/{id}")).await;
    assert_eq!(done["status"], "DONE", "{done}");
    assert_eq!(done["attempts"], 1);
    assert_eq!(done["current_stage"], "done");
    assert_eq!(done["processed_count"], preview["summary"]["images"]);
    assert_eq!(done["report"]["steps"][0]["manipulator"], "rotate_180");
    let dataset = stack
        .get(&format!(
            "/datasets/{}",
            done["output_dataset_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(dataset["status"], "READY", "{dataset}");
    assert_eq!(dataset["image_count"], preview["summary"]["images"]);
    let output = stack
        .nas
        .path()
        .join(dataset["storage_uri"].as_str().unwrap());
    let images = std::fs::read_dir(output.join("images")).unwrap().count();
    assert_eq!(
        images as u64,
        preview["summary"]["images"].as_u64().unwrap()
    );
    assert!(output.join("data.yaml").is_file() && output.join("pipeline_report.json").is_file());
    // The new version's EDA is asked for (no eda-worker runs here: it waits in the queue).
    let eda = stack
        .get(&format!(
            "/datasets/{}/eda",
            done["output_dataset_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(eda["status"], "PENDING", "{eda}");
    // The registry's list shows the new version READY.
    let groups = stack.get("/dataset-groups?q=worked").await;
    assert_eq!(
        groups["items"][0]["splits"][0]["versions"][0]["status"], "READY",
        "{groups}"
    );
    // A second delivery of the same job does nothing.
    assert_eq!(
        run_execution(&stack.context, id).await.unwrap(),
        Outcome::AlreadyEnded
    );
    stack.registry.unwrap().stop().await;
}

#[tokio::test]
async fn cancel_and_failure_end_the_execution_with_a_reason() {
    let stack = Stack::start().await;
    let source = stack.source("in_b", 4).await;
    // Cancelled before it runs: the worker finds it ended.
    let execution = stack
        .submit(config(
            &source,
            &json!([{"name": "format_convert_to_yolo"}]),
        ))
        .await;
    let id = Uuid::parse_str(execution["id"].as_str().unwrap()).unwrap();
    let (status, _) = stack
        .call(
            reqwest::Method::POST,
            &format!("/pipelines/{id}/cancel"),
            None,
        )
        .await;
    assert_eq!(status, 202);
    assert_eq!(
        run_execution(&stack.context, id).await.unwrap(),
        Outcome::AlreadyEnded
    );

    // A source image broken on the NAS after registration: FAILED, naming the file.
    let execution = stack
        .submit(config(
            &source,
            &json!([{"name": "rotate_180"}, {"name": "format_convert_to_yolo"}]),
        ))
        .await;
    let id = Uuid::parse_str(execution["id"].as_str().unwrap()).unwrap();
    let images = stack.nas.path().join("raw/in_b/train/v1.0.0/images");
    let victim = std::fs::read_dir(&images)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&victim, b"not a jpeg any more").unwrap();
    assert_eq!(
        run_execution(&stack.context, id).await.unwrap(),
        Outcome::Failed
    );
    let failed = stack.get(&format!("/pipelines/{id}")).await;
    assert_eq!(failed["status"], "FAILED");
    let message = failed["error_message"].as_str().unwrap_or_default();
    let name = victim.file_name().unwrap().to_string_lossy();
    assert!(message.contains(name.as_ref()), "{message}");
    let dataset = stack
        .get(&format!(
            "/datasets/{}",
            failed["output_dataset_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(dataset["status"], "ERROR");
    stack.registry.unwrap().stop().await;
}

/// The whole path: the registry queues the submitted execution, a running worker takes it from
/// the queue (LISTEN/NOTIFY) and runs it to READY; progress is visible on the way.
#[tokio::test]
async fn the_queue_delivers_submissions_to_a_running_worker() {
    let stack = Stack::start().await;
    let source = stack.source("in_q", 6).await;
    let worker = datamill_worker::start(
        datamill_worker::WorkerConfig::from_env(Env::from_pairs([
            ("DATABASE_URL", stack.database.url.clone()),
            ("LOCAL_STORAGE_BASE", stack.nas.path().display().to_string()),
            ("HEARTBEAT_SECS", "1".to_owned()),
            ("PROGRESS_INTERVAL_MS", "100".to_owned()),
            ("LOG_LEVEL", "warn".to_owned()),
        ]))
        .unwrap(),
    )
    .await
    .unwrap();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let execution = stack
            .submit(config(
                &source,
                &json!([{"name": "rotate_180"}, {"name": "format_convert_to_yolo"}]),
            ))
            .await;
        assert!(execution["id"].is_string());
        ids.push(execution["id"].as_str().unwrap().to_owned());
    }
    for id in &ids {
        let deadline = std::time::Instant::now() + Duration::from_mins(1);
        let done = loop {
            let execution = stack.get(&format!("/pipelines/{id}")).await;
            if execution["status"] == "DONE" || execution["status"] == "FAILED" {
                break execution;
            }
            assert!(std::time::Instant::now() < deadline, "still {execution}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(done["status"], "DONE", "{done}");
        assert_eq!(done["attempts"], 1);
    }
    let workers = {
        use sea_orm::ConnectionTrait;
        stack
            .context
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                "SELECT id FROM pipeline_workers",
            ))
            .await
            .unwrap()
            .len()
    };
    assert_eq!(workers, 1, "the worker registered its heartbeat row");
    worker.stop().await.unwrap();
    stack.registry.unwrap().stop().await;
}

/// A `pipeline-worker` process with fast heartbeats.
fn spawn_worker(stack: &Stack, name: &str) -> std::process::Child {
    spawn_worker_on(stack, name, &stack.database.url)
}

fn spawn_worker_on(stack: &Stack, name: &str, database_url: &str) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_pipeline-worker"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("LOCAL_STORAGE_BASE", stack.nas.path())
        .env("WORKER_ID", name)
        .env("WORKER_THREADS", "1")
        .env("HEARTBEAT_SECS", "1")
        .env("PROGRESS_INTERVAL_MS", "50")
        .env("LOG_LEVEL", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_for(stack: &Stack, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_mins(2);
    loop {
        let execution = stack.get(&format!("/pipelines/{id}")).await;
        if done(&execution) {
            return execution;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out: {execution}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn hashes(dir: &std::path::Path) -> std::collections::BTreeMap<String, u64> {
    datamill_core::tree::file_hashes(dir).unwrap()
}

/// SIGKILL the worker in the middle of Phase B; a new worker process picks the job up (apalis'
/// orphan re-queue), resumes, and the output is byte-identical to an uninterrupted run of the
/// same config. One execution row, two attempts.
/// A source large enough that Phase B takes a while (120 images of 640×480).
async fn big_source(stack: &Stack) -> String {
    write_dataset(
        &SynthConfig {
            images: 120,
            seed: 3,
            format: SynthFormat::Coco,
            min_size: (640, 480),
            max_size: (640, 480),
            mean_boxes: 2.0,
            ..SynthConfig::default()
        },
        &stack.nas.path().join("raw/big/train/v1.0.0"),
    )
    .unwrap();
    let (_, group) = stack
        .call(reqwest::Method::POST, "/dataset-groups", Some(json!({"name": "big", "dataset_type": "RAW", "annotation_format": "COCO", "task_types": ["DETECTION"]})))
        .await;
    let (_, source) = stack
        .call(reqwest::Method::POST, "/datasets", Some(json!({"group_id": group["id"], "split": "TRAIN", "storage_uri": "raw/big/train/v1.0.0"})))
        .await;
    source["id"].as_str().unwrap().to_owned()
}

fn heavy(source: &str) -> Value {
    config(
        source,
        &json!([{"name": "rotate_180"}, {"name": "change_compression", "params": {"quality": 70}}, {"name": "format_convert_to_yolo"}]),
    )
}

#[tokio::test]
async fn a_killed_worker_is_replaced_and_the_run_resumes_to_identical_output() {
    let stack = Stack::start().await;
    let source = big_source(&stack).await;
    let body = heavy(&source);

    let mut first = spawn_worker(&stack, "first");
    let execution = stack.submit(body.clone()).await;
    let id = execution["id"].as_str().unwrap().to_owned();
    let running = wait_for(&stack, &id, |e| {
        e["current_stage"] == "images" && e["processed_count"].as_i64().unwrap_or(0) >= 20
            || e["status"] == "DONE"
    })
    .await;
    assert_ne!(
        running["status"], "DONE",
        "the run finished before the kill; make it longer"
    );
    first.kill().unwrap();
    first.wait().unwrap();

    let mut second = spawn_worker(&stack, "second");
    let done = wait_for(&stack, &id, |e| {
        e["status"] == "DONE" || e["status"] == "FAILED"
    })
    .await;
    assert_eq!(done["status"], "DONE", "{done}");
    assert_eq!(done["attempts"], 2, "{done}");
    assert_eq!(done["worker_id"], "second", "{done}");

    // The same config, uninterrupted, into the next version: the same bytes.
    let reference = stack.submit(body).await;
    let reference_id = reference["id"].as_str().unwrap().to_owned();
    let finished = wait_for(&stack, &reference_id, |e| {
        e["status"] == "DONE" || e["status"] == "FAILED"
    })
    .await;
    assert_eq!(finished["status"], "DONE", "{finished}");
    let dir = |execution: &Value| {
        stack.nas.path().join(format!(
            "processed/worked/train/{}",
            execution["config"]["output"]["version"].as_str().unwrap()
        ))
    };
    assert_eq!(hashes(&dir(&done)), hashes(&dir(&finished)));

    // SIGTERM: the worker stops cleanly.
    std::process::Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status()
        .unwrap();
    assert!(second.wait().unwrap().success(), "graceful stop");
    stack.registry.unwrap().stop().await;
}

/// Two worker processes, several jobs: every execution runs exactly once.
#[tokio::test]
async fn two_workers_share_the_queue_without_running_a_job_twice() {
    let stack = Stack::start().await;
    let source = stack.source("shared", 8).await;
    let mut workers = [spawn_worker(&stack, "w1"), spawn_worker(&stack, "w2")];
    let mut ids = Vec::new();
    for _ in 0..6 {
        let execution = stack
            .submit(config(
                &source,
                &json!([{"name": "rotate_180"}, {"name": "format_convert_to_yolo"}]),
            ))
            .await;
        ids.push(execution["id"].as_str().unwrap().to_owned());
    }
    let mut by_worker = std::collections::BTreeMap::<String, usize>::new();
    for id in &ids {
        let done = wait_for(&stack, id, |e| {
            e["status"] == "DONE" || e["status"] == "FAILED"
        })
        .await;
        assert_eq!(
            (done["status"].as_str(), done["attempts"].as_i64()),
            (Some("DONE"), Some(1)),
            "{done}"
        );
        *by_worker
            .entry(done["worker_id"].as_str().unwrap_or_default().to_owned())
            .or_default() += 1;
    }
    assert_eq!(by_worker.values().sum::<usize>(), 6, "{by_worker:?}");
    for worker in &mut workers {
        let _ = worker.kill();
        let _ = worker.wait();
    }
    stack.registry.unwrap().stop().await;
}

/// The database goes away in the middle of Phase B (every connection of the worker cut, as a
/// server restart does) and comes back: the job completes.
#[tokio::test]
async fn a_database_restart_during_a_job_is_survived() {
    let stack = Stack::start().await;
    let source = big_source(&stack).await;
    let mut relay =
        datamill_db::testing::Relay::start(datamill_db::testing::host_port(&stack.database.url), 0)
            .await
            .unwrap();
    let mut worker = spawn_worker_on(&stack, "through-relay", &relay.relayed(&stack.database.url));
    let execution = stack.submit(heavy(&source)).await;
    let id = execution["id"].as_str().unwrap().to_owned();
    let running = wait_for(&stack, &id, |e| {
        e["current_stage"] == "images" && e["processed_count"].as_i64().unwrap_or(0) >= 10
            || e["status"] == "DONE"
    })
    .await;
    assert_ne!(
        running["status"], "DONE",
        "the run finished before the outage; make it longer"
    );
    relay.cut().await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    relay.restore().await.unwrap();
    let done = wait_for(&stack, &id, |e| {
        e["status"] == "DONE" || e["status"] == "FAILED"
    })
    .await;
    assert_eq!(done["status"], "DONE", "{done}");
    let dataset = stack
        .get(&format!(
            "/datasets/{}",
            done["output_dataset_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (dataset["status"].as_str(), dataset["image_count"].as_i64()),
        (Some("READY"), Some(120)),
        "{dataset}"
    );
    let _ = worker.kill();
    let _ = worker.wait();
    stack.registry.unwrap().stop().await;
}

/// Cancelling a running execution stops it at the next image: CANCELLED, output dataset ERROR,
/// and the worker goes on to the next job.
#[tokio::test]
async fn a_running_execution_stops_at_the_next_image_when_cancelled() {
    let stack = Stack::start().await;
    let source = big_source(&stack).await;
    let mut worker = spawn_worker(&stack, "canceller");
    let execution = stack.submit(heavy(&source)).await;
    let id = execution["id"].as_str().unwrap().to_owned();
    let running = wait_for(&stack, &id, |e| {
        e["current_stage"] == "images" && e["processed_count"].as_i64().unwrap_or(0) >= 5
            || e["status"] == "DONE"
    })
    .await;
    assert_ne!(
        running["status"], "DONE",
        "the run finished before the cancel; make it longer"
    );
    // The list (a materialized summary) shows the running version as PROCESSING, not PENDING.
    let list = stack.get("/dataset-groups?q=worked").await;
    let listed = &list["items"][0]["splits"][0]["versions"][0];
    assert_eq!(
        (&listed["id"], &listed["status"]),
        (&running["output_dataset_id"], &json!("PROCESSING")),
        "{list}"
    );
    let (status, asked) = stack
        .call(
            reqwest::Method::POST,
            &format!("/pipelines/{id}/cancel"),
            None,
        )
        .await;
    assert_eq!(
        (status, asked["cancel_requested"].as_bool()),
        (202, Some(true)),
        "{asked}"
    );
    let ended = wait_for(&stack, &id, |e| {
        e["status"] != "RUNNING" && e["status"] != "PENDING"
    })
    .await;
    assert_eq!(ended["status"], "CANCELLED", "{ended}");
    assert!(
        ended["processed_count"].as_i64().unwrap_or(0) < 120,
        "{ended}"
    );
    let dataset = stack
        .get(&format!(
            "/datasets/{}",
            ended["output_dataset_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(dataset["status"], "ERROR");
    // The worker is free again.
    let small = stack.source("after_cancel", 2).await;
    let next = stack
        .submit(config(&small, &json!([{"name": "format_convert_to_yolo"}])))
        .await;
    let done = wait_for(&stack, next["id"].as_str().unwrap(), |e| {
        e["status"] == "DONE" || e["status"] == "FAILED"
    })
    .await;
    assert_eq!(done["status"], "DONE");
    let _ = worker.kill();
    let _ = worker.wait();
    stack.registry.unwrap().stop().await;
}

/// With SMTP configured, DONE and FAILED are mailed (to a real SMTP server started here), naming
/// the output version, the counts and the reason.
#[tokio::test]
async fn pipeline_ends_are_mailed_when_smtp_is_configured() {
    let mut stack = Stack::start().await;
    let server = datamill_notify::testing::SmtpServer::start();
    stack.context.notifier = Some(Arc::new(
        datamill_notify::Notifier::new(server.config("ml-team@example.com")).unwrap(),
    ));
    let source = stack.source("in_m", 3).await;
    let execution = stack
        .submit(config(
            &source,
            &json!([{"name": "format_convert_to_yolo"}]),
        ))
        .await;
    let id = Uuid::parse_str(execution["id"].as_str().unwrap()).unwrap();
    assert_eq!(
        run_execution(&stack.context, id).await.unwrap(),
        Outcome::Done
    );

    let images = stack.nas.path().join("raw/in_m/train/v1.0.0/images");
    let victim = std::fs::read_dir(&images)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&victim, b"not a jpeg any more").unwrap();
    let execution = stack
        .submit(config(
            &source,
            &json!([{"name": "rotate_180"}, {"name": "format_convert_to_yolo"}]),
        ))
        .await;
    let failed_id = Uuid::parse_str(execution["id"].as_str().unwrap()).unwrap();
    assert_eq!(
        run_execution(&stack.context, failed_id).await.unwrap(),
        Outcome::Failed
    );

    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let mails = loop {
        let mails = server.received();
        if mails.len() >= 2 {
            break mails;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "mails so far: {mails:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(mails.len(), 2, "{mails:?}");
    let done = mails
        .iter()
        .find(|mail| mail.contains("Subject: [Datamill] DONE: worked/TRAIN/v1.0.0"))
        .unwrap_or_else(|| panic!("{mails:?}"));
    assert!(
        done.contains(&id.to_string()) && done.contains("Images: 3"),
        "{done}"
    );
    assert!(done.contains("X-RcptTo: ml-team@example.com"), "{done}");
    let failed = mails
        .iter()
        .find(|mail| mail.contains("Subject: [Datamill] FAILED: worked/TRAIN/v1.0.1"))
        .unwrap_or_else(|| panic!("{mails:?}"));
    let name = victim.file_name().unwrap().to_string_lossy();
    assert!(
        failed.contains(&failed_id.to_string()) && failed.contains(name.as_ref()),
        "{failed}"
    );
    stack.registry.take().unwrap().stop().await;
}

/// `MIGRATE_ON_START=false` (the Helm chart's workers): the worker does not touch the schema; it
/// waits for the registry to migrate, and says what is missing when nobody does.
#[tokio::test]
async fn a_worker_that_does_not_migrate_waits_for_the_registry() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let database = TestDatabase::create().await.unwrap();
    let nas = tempfile::tempdir().unwrap();
    let worker_config = |timeout: &str| {
        datamill_worker::WorkerConfig::from_env(Env::from_pairs([
            ("DATABASE_URL", database.url.clone()),
            ("LOCAL_STORAGE_BASE", nas.path().display().to_string()),
            ("MIGRATE_ON_START", "false".to_owned()),
            ("MIGRATE_TIMEOUT_SECS", timeout.to_owned()),
            ("LOG_LEVEL", "warn".to_owned()),
        ]))
        .unwrap()
    };
    let error = datamill_worker::start(worker_config("1"))
        .await
        .unwrap_err();
    assert!(
        format!("{error:#}").contains("waiting for migration"),
        "{error:#}"
    );
    let (db, _) =
        datamill_db::connect_lazy(&database.url, &datamill_db::PoolOptions::default()).unwrap();
    assert!(
        !datamill_db::pending_migrations(&db)
            .await
            .unwrap()
            .is_empty(),
        "the worker left the schema alone"
    );

    let waiting = tokio::spawn(datamill_worker::start(worker_config("60")));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiting.is_finished(), "it waits for the schema");
    let registry = datamill_registry::start(
        datamill_registry::RegistryConfig::from_env(Env::from_pairs([
            ("DATABASE_URL", database.url.clone()),
            ("LOCAL_STORAGE_BASE", nas.path().display().to_string()),
            ("HTTP_ADDR", "127.0.0.1:0".to_owned()),
            ("LOG_LEVEL", "warn".to_owned()),
        ]))
        .unwrap(),
    )
    .await
    .unwrap();
    let worker = tokio::time::timeout(Duration::from_secs(30), waiting)
        .await
        .expect("the worker starts once the registry has migrated")
        .unwrap()
        .unwrap();
    worker.stop().await.unwrap();
    registry.stop().await;
}
