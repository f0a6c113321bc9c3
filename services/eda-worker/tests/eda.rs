//! The eda-worker against a real PostgreSQL, the real registry and a temp NAS: a registered
//! dataset gets its EDA without anyone asking, with exactly the numbers of its annotations; a
//! corrupt image is a health-check finding, not a failed run; a re-run goes through the API; a
//! worker killed mid-run is replaced and the run completes.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::Path;
use std::time::{Duration, Instant};

use datamill_core::synth::{SynthConfig, SynthFormat, write_dataset};
use datamill_db::testing::TestDatabase;
use datamill_platform::config::Env;
use serde_json::{Value, json};

struct Stack {
    registry: Option<datamill_registry::RunningRegistry>,
    url: String,
    nas: tempfile::TempDir,
    client: reqwest::Client,
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
        Self {
            url: registry.url(),
            registry: Some(registry),
            nas,
            client: reqwest::Client::new(),
            database,
        }
    }

    fn worker_config(&self, id: &str, gallery: usize) -> datamill_eda_worker::EdaWorkerConfig {
        datamill_eda_worker::EdaWorkerConfig::from_env(Env::from_pairs([
            ("DATABASE_URL", self.database.url.clone()),
            ("LOCAL_STORAGE_BASE", self.nas.path().display().to_string()),
            ("WORKER_ID", id.to_owned()),
            ("HEARTBEAT_SECS", "1".to_owned()),
            ("PROGRESS_INTERVAL_MS", "50".to_owned()),
            ("EDA_GALLERY_SIZE", gallery.to_string()),
        ]))
        .unwrap()
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

    async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None).await.1
    }

    /// Registers the COCO dataset at `uri` (a new group `name`); returns the dataset id.
    async fn register(&self, name: &str, uri: &str) -> String {
        let (status, group) = self
            .call(reqwest::Method::POST, "/dataset-groups", Some(json!({"name": name, "dataset_type": "RAW", "annotation_format": "COCO", "task_types": ["DETECTION"]})))
            .await;
        assert_eq!(status, 201, "{group}");
        let (status, dataset) = self
            .call(
                reqwest::Method::POST,
                "/datasets",
                Some(json!({"group_id": group["id"], "split": "TRAIN", "storage_uri": uri})),
            )
            .await;
        assert_eq!(status, 201, "{dataset}");
        dataset["id"].as_str().unwrap().to_owned()
    }

    /// Polls `GET /datasets/{id}/eda` until `done` holds (2 minutes at most).
    async fn wait_for(&self, id: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_mins(2);
        loop {
            let run = self.get(&format!("/datasets/{id}/eda")).await;
            if done(&run) {
                return run;
            }
            assert!(Instant::now() < deadline, "timed out: {}", brief(&run));
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn ended(run: &Value) -> bool {
    run["status"] == "DONE" || run["status"] == "FAILED"
}

/// The run without its report, for assertion messages.
fn brief(run: &Value) -> Value {
    let mut run = run.clone();
    if let Some(object) = run.as_object_mut() {
        object.remove("report");
    }
    run
}

/// Five real JPEGs (64×48) from the synthesiser, re-annotated by hand so that every count is
/// known:
///
/// | image | objects |
/// |---|---|
/// | 1 | cat, dog |
/// | 2 | cat |
/// | 3 | none |
/// | 4 | dog, dog |
/// | 5 | cat — and its file is cut to 40 % |
///
/// Categories 1 cat, 2 dog, 3 bird (unused).
/// Returns the corrupt image's file name.
fn known_dataset(nas: &Path, uri: &str) -> String {
    let dir = nas.join(uri);
    write_dataset(
        &SynthConfig {
            images: 5,
            seed: 21,
            format: SynthFormat::Coco,
            min_size: (64, 48),
            max_size: (64, 48),
            mean_boxes: 1.0,
            ..SynthConfig::default()
        },
        &dir,
    )
    .unwrap();
    let json_path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "json"))
        .expect("the synthesiser's COCO file");
    let mut coco: Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    let images: Vec<(i64, String)> = coco["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|image| {
            (
                image["id"].as_i64().unwrap(),
                image["file_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(images.len(), 5);
    let objects: [&[i64]; 5] = [&[1, 2], &[1], &[], &[2, 2], &[1]];
    let mut annotations = Vec::new();
    for ((image_id, _), categories) in images.iter().zip(objects) {
        for (index, category) in categories.iter().enumerate() {
            let offset = 4.0 * index as f64;
            annotations.push(json!({
                "id": annotations.len() + 1,
                "image_id": image_id,
                "category_id": category,
                "bbox": [4.0 + offset, 4.0 + offset, 16.0, 12.0],
                "area": 192.0,
                "iscrowd": 0,
                "segmentation": [],
            }));
        }
    }
    coco["annotations"] = Value::Array(annotations);
    coco["categories"] = json!([
        {"id": 1, "name": "cat", "supercategory": "animal"},
        {"id": 2, "name": "dog", "supercategory": "animal"},
        {"id": 3, "name": "bird", "supercategory": "animal"},
    ]);
    std::fs::write(&json_path, serde_json::to_vec_pretty(&coco).unwrap()).unwrap();
    let corrupt = dir.join("images").join(&images[4].1);
    let bytes = std::fs::read(&corrupt).unwrap();
    std::fs::write(&corrupt, &bytes[..bytes.len() * 2 / 5]).unwrap();
    images[4].1.clone()
}

fn class<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["classes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|class| class["name"] == name)
        .unwrap_or_else(|| panic!("class {name} in {}", report["classes"]))
}

#[tokio::test]
async fn a_registered_dataset_gets_its_eda_without_a_click_with_exact_numbers() {
    let stack = Stack::start().await;
    let worker = datamill_eda_worker::start(stack.worker_config("eda-test", 3))
        .await
        .unwrap();
    let corrupt = known_dataset(stack.nas.path(), "raw/known/train/v1.0.0");
    let id = stack.register("known", "raw/known/train/v1.0.0").await;

    let run = stack.wait_for(&id, ended).await;
    assert_eq!(run["status"], "DONE", "{}", brief(&run));
    assert_eq!(run["attempts"], 1);
    assert_eq!(run["worker_id"], "eda-test");
    let report = &run["report"];
    let summary = &report["summary"];
    assert_eq!(summary["images"], 5);
    assert_eq!(summary["annotations"], 6);
    assert_eq!(summary["objects"], 6);
    assert_eq!(summary["classes"], 3);
    assert_eq!(summary["classes_used"], 2);
    assert_eq!(summary["images_without_annotations"], 1);
    assert_eq!(summary["images_inspected"], true);
    assert_eq!(
        (
            class(report, "cat")["images"].clone(),
            class(report, "cat")["instances"].clone()
        ),
        (json!(3), json!(3))
    );
    assert_eq!(
        (
            class(report, "dog")["images"].clone(),
            class(report, "dog")["instances"].clone()
        ),
        (json!(2), json!(3))
    );
    assert_eq!(class(report, "bird")["instances"], 0);
    // Boxes per image: one image with 0, two with 1, two with 2.
    let bins: Vec<(u64, u64, u64)> = report["boxes_per_image"]["bins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|bin| {
            let field = |name: &str| bin[name].as_u64().unwrap();
            (field("min"), field("max"), field("count"))
        })
        .filter(|&(_, _, count)| count > 0)
        .collect();
    assert_eq!(
        bins,
        vec![(0, 0, 1), (1, 1, 2), (2, 2, 2)],
        "{}",
        report["boxes_per_image"]
    );
    // 16×12 boxes are all small (area < 32²).
    assert_eq!(
        report["size_buckets"]["small"], 6,
        "{}",
        report["size_buckets"]
    );

    // The corrupt image is a finding of the health checks, the run is DONE.
    let unreadable = &report["health"]["unreadable_images"];
    assert_eq!(unreadable["count"], 1, "{unreadable}");
    let corrupt_name = unreadable["examples"][0]["file_name"].as_str().unwrap();
    assert!(corrupt.ends_with(corrupt_name), "{corrupt}: {unreadable}");
    assert_eq!(report["health"]["images_without_annotations"]["count"], 1);

    // The gallery's thumbnails are on the NAS, under eda/{id}/.
    let gallery = report["gallery"].as_array().unwrap();
    assert_eq!(gallery.len(), 3, "{}", report["gallery"]);
    for item in gallery {
        let thumbnail = item["thumbnail"].as_str().unwrap();
        assert!(thumbnail.starts_with(&format!("eda/{id}/")), "{thumbnail}");
        let bytes = std::fs::read(stack.nas.path().join(thumbnail)).unwrap();
        assert_eq!(&bytes[..2], [0xFF, 0xD8], "{thumbnail} is a JPEG");
        assert!(
            !thumbnail.contains(corrupt_name),
            "no thumbnail of the corrupt image"
        );
    }

    // The list shows the version's EDA once the worker's refresh of it, which follows the DONE
    // commit, has finished.
    let deadline = Instant::now() + Duration::from_secs(10);
    let list = loop {
        let list = stack.get("/dataset-groups").await;
        if list["items"][0]["splits"][0]["versions"][0]["eda"]["status"] == "DONE"
            || Instant::now() > deadline
        {
            break list;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let version = &list["items"][0]["splits"][0]["versions"][0];
    assert_eq!(version["eda"]["status"], "DONE", "{version}");
    assert_eq!(version["eda"]["objects"], 6, "{version}");
    assert_eq!(version["eda"]["classes_used"], 2, "{version}");
    assert_eq!(
        version["eda"]["health_issues"], summary["health_issues"],
        "{version}"
    );
    // The dataset's own metadata does not carry the report twice.
    let dataset = stack.get(&format!("/datasets/{id}")).await;
    assert!(dataset["metadata"].get("eda").is_none(), "{dataset}");

    // A re-run through the API: 202, then DONE again with the same numbers.
    let (status, accepted) = stack
        .call(reqwest::Method::POST, &format!("/datasets/{id}/eda"), None)
        .await;
    assert_eq!(status, 202, "{accepted}");
    // The worker may have taken it already.
    assert!(
        ["PENDING", "RUNNING", "DONE"].contains(&accepted["status"].as_str().unwrap()),
        "{}",
        brief(&accepted)
    );
    let rerun = stack
        .wait_for(&id, |rerun| {
            ended(rerun) && rerun["finished_at"] != run["finished_at"]
        })
        .await;
    assert_eq!(rerun["status"], "DONE", "{}", brief(&rerun));
    assert_eq!(rerun["report"]["summary"], *summary);

    worker.stop().await.unwrap();
    stack.registry.unwrap().stop().await;
}

#[tokio::test]
async fn re_runs_are_refused_while_running_and_for_unfinished_versions() {
    let stack = Stack::start().await;
    let _ = known_dataset(stack.nas.path(), "raw/refused/train/v1.0.0");
    let id = stack.register("refused", "raw/refused/train/v1.0.0").await;
    // No worker runs: the automatic request waits, PENDING.
    let run = stack.get(&format!("/datasets/{id}/eda")).await;
    assert_eq!(run["status"], "PENDING", "{}", brief(&run));
    assert_eq!(run["report"], Value::Null);

    let pool = sqlx::PgPool::connect(&stack.database.url).await.unwrap();
    sqlx::query("UPDATE dataset_eda SET status = 'RUNNING' WHERE dataset_id = $1::uuid")
        .bind(&id)
        .execute(&pool)
        .await
        .unwrap();
    let (status, problem) = stack
        .call(reqwest::Method::POST, &format!("/datasets/{id}/eda"), None)
        .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "EDA_RUNNING", "{problem}");

    let (status, problem) = stack
        .call(
            reqwest::Method::POST,
            "/datasets/00000000-0000-0000-0000-000000000000/eda",
            None,
        )
        .await;
    assert_eq!(status, 404, "{problem}");
    stack.registry.unwrap().stop().await;
}

/// READY datasets nobody asked an EDA for (inserted with SQL, or registered before EDA existed)
/// are found by the worker's sweep.
#[tokio::test]
async fn the_sweep_analyses_ready_datasets_that_never_had_an_eda() {
    let stack = Stack::start().await;
    let _ = known_dataset(stack.nas.path(), "raw/swept/train/v1.0.0");
    let id = stack.register("swept", "raw/swept/train/v1.0.0").await;
    let pool = sqlx::PgPool::connect(&stack.database.url).await.unwrap();
    sqlx::query("DELETE FROM dataset_eda WHERE dataset_id = $1::uuid")
        .bind(&id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        stack.get(&format!("/datasets/{id}/eda")).await["status"],
        "NOT_REQUESTED"
    );
    let worker = datamill_eda_worker::start(stack.worker_config("sweeper", 0))
        .await
        .unwrap();
    let run = stack.wait_for(&id, ended).await;
    assert_eq!(run["status"], "DONE", "{}", brief(&run));
    assert_eq!(run["report"]["summary"]["objects"], 6);
    assert_eq!(run["report"]["gallery"], json!([]));
    worker.stop().await.unwrap();
    stack.registry.unwrap().stop().await;
}

fn spawn_worker(stack: &Stack, name: &str, gallery: usize) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_eda-worker"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DATABASE_URL", &stack.database.url)
        .env("LOCAL_STORAGE_BASE", stack.nas.path())
        .env("WORKER_ID", name)
        .env("HEARTBEAT_SECS", "1")
        .env("PROGRESS_INTERVAL_MS", "20")
        .env("EDA_GALLERY_SIZE", gallery.to_string())
        .env("LOG_LEVEL", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// SIGKILL mid-run (while it writes the gallery): a new worker process gets the job back from
/// the queue and the run completes, with the report a clean run gives.
#[tokio::test]
async fn a_killed_worker_is_replaced_and_the_run_completes() {
    let stack = Stack::start().await;
    let uri = "raw/large/train/v1.0.0";
    write_dataset(
        &SynthConfig {
            images: 160,
            seed: 5,
            format: SynthFormat::Coco,
            min_size: (1024, 768),
            max_size: (1280, 960),
            mean_boxes: 3.0,
            ..SynthConfig::default()
        },
        &stack.nas.path().join(uri),
    )
    .unwrap();
    let mut first = spawn_worker(&stack, "first", 160);
    let id = stack.register("large", uri).await;
    let running = stack
        .wait_for(&id, |run| {
            run["current_stage"] == "gallery" && run["processed_count"].as_i64().unwrap_or(0) >= 3
                || ended(run)
        })
        .await;
    assert!(
        !ended(&running),
        "the run ended before the kill; make it longer: {}",
        brief(&running)
    );
    first.kill().unwrap();
    first.wait().unwrap();

    let mut second = spawn_worker(&stack, "second", 160);
    let done = stack.wait_for(&id, ended).await;
    assert_eq!(done["status"], "DONE", "{}", brief(&done));
    assert_eq!(done["attempts"], 2, "{}", brief(&done));
    assert_eq!(done["worker_id"], "second");
    assert_eq!(done["report"]["summary"]["images"], 160);
    assert_eq!(done["report"]["gallery"].as_array().unwrap().len(), 160);

    // SIGTERM: the worker stops cleanly.
    std::process::Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status()
        .unwrap();
    assert!(second.wait().unwrap().success(), "graceful stop");
    stack.registry.unwrap().stop().await;
}
