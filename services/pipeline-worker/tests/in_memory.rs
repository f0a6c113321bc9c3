//! The proof that business code reaches files only through `StorageClient`: the registry and the
//! worker run against an in-memory storage (wrapped in a call counter) with no dataset directory
//! on disk at all. A leftover `std::fs` (or a "local path of" shortcut) anywhere on the path would
//! find nothing and fail the run.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use datamill_core::Files;
use datamill_core::synth::{SynthConfig, SynthFormat, write_dataset_to};
use datamill_db::testing::TestDatabase;
use datamill_platform::config::{Env, StorageConfig};
use datamill_storage::testing::{CountingStorageClient, MemoryStorageClient, Operation};
use datamill_storage::{EntryKind, StorageClient, StoragePath};
use datamill_worker::{Context, Outcome, run_execution};
use serde_json::{Value, json};
use uuid::Uuid;

const SOURCE: &str = "raw/in_memory/train/v1.0.0";

async fn call(
    client: &reqwest::Client,
    url: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client.request(method, format!("{url}/api/v1{path}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn sp(path: &str) -> StoragePath {
    StoragePath::parse(path).unwrap()
}

/// The names and bytes of the files directly in `dir`.
fn files_in(storage: &dyn StorageClient, dir: &str) -> Vec<(String, Vec<u8>)> {
    storage
        .list(&sp(dir))
        .unwrap()
        .into_iter()
        .filter(|entry| entry.kind == EntryKind::File)
        .map(|entry| {
            let bytes = storage.read(&entry.path).unwrap();
            (entry.name, bytes)
        })
        .collect()
}

/// Mean absolute difference per channel between two images of one size.
fn difference(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let total: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    total as f64 / a.as_raw().len() as f64
}

#[tokio::test]
async fn a_pipeline_runs_to_ready_on_a_storage_that_is_not_a_disk() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let database = TestDatabase::create().await.unwrap();
    let memory = MemoryStorageClient::new();
    let counting = Arc::new(CountingStorageClient::new(memory.clone()));
    let storage: Arc<dyn StorageClient> = counting.clone();

    // A COCO source with real JPEGs, generated straight into memory.
    let summary = write_dataset_to(
        Files::new(&memory),
        &SynthConfig {
            images: 6,
            seed: 11,
            format: SynthFormat::Coco,
            min_size: (64, 48),
            max_size: (120, 90),
            mean_boxes: 3.0,
            ..SynthConfig::default()
        },
        Path::new(SOURCE),
    )
    .unwrap();
    assert_eq!(summary.images, 6);
    assert!(!Path::new("raw").exists() && !Path::new("/raw").exists());

    // The registry, on that storage. Its configuration must name a local base to parse; the
    // injected storage replaces it, so it names one that does not exist.
    let mut config = datamill_registry::RegistryConfig::from_env(Env::from_pairs([
        ("DATABASE_URL", database.url.clone()),
        ("LOCAL_STORAGE_BASE", "/".to_owned()),
        ("HTTP_ADDR", "127.0.0.1:0".to_owned()),
        ("LOG_LEVEL", "warn".to_owned()),
    ]))
    .unwrap();
    config.storage = StorageConfig::Local {
        base: "/nonexistent/datamill-nas".into(),
    };
    let registry = datamill_registry::start_with_storage(config, Arc::clone(&storage))
        .await
        .unwrap();
    let url = registry.url();
    let http = reqwest::Client::new();

    // Registration validates the dataset through the storage (annotations and image headers).
    let (_, group) = call(
        &http,
        &url,
        reqwest::Method::POST,
        "/dataset-groups",
        Some(json!({"name": "in_memory", "dataset_type": "RAW", "annotation_format": "COCO", "task_types": ["DETECTION"]})),
    )
    .await;
    let (status, source) = call(
        &http,
        &url,
        reqwest::Method::POST,
        "/datasets",
        Some(json!({"group_id": group["id"], "split": "TRAIN", "storage_uri": SOURCE})),
    )
    .await;
    assert_eq!(status, 201, "{source}");
    assert_eq!(source["image_count"], 6, "{source}");
    let validated = counting.counts();
    assert!(validated.calls(Operation::OpenRead) >= 1, "{validated:?}");
    assert!(validated.calls(Operation::ReadRange) >= 6, "{validated:?}");

    // A pipeline that turns every image and writes YOLO labels: previewed, submitted, run.
    let body = json!({
        "output": {"group": "turned", "dataset_type": "PROCESSED", "split": "TRAIN",
                   "annotation_format": "YOLO", "task_types": ["DETECTION"]},
        "sources": [{"dataset_id": source["id"], "manipulators": [
            {"name": "rotate_180"},
            {"name": "format_convert_to_yolo", "params": {"iscrowd": "box"}}
        ]}]
    });
    let (status, preview) = call(
        &http,
        &url,
        reqwest::Method::POST,
        "/pipelines/preview",
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["summary"]["images_transformed"], 6, "{preview}");
    let (status, execution) =
        call(&http, &url, reqwest::Method::POST, "/pipelines", Some(body)).await;
    assert_eq!(status, 202, "{execution}");
    let id = Uuid::parse_str(execution["id"].as_str().unwrap()).unwrap();

    counting.reset();
    let (db, _) =
        datamill_db::connect_lazy(&database.url, &datamill_db::PoolOptions::default()).unwrap();
    let context = Context {
        db,
        storage: Arc::clone(&storage),
        worker_id: "in-memory".to_owned(),
        threads: 2,
        progress_interval: Duration::from_millis(50),
        notifier: None,
    };
    assert_eq!(run_execution(&context, id).await.unwrap(), Outcome::Done);
    let ran = counting.counts();

    let (_, done) = call(
        &http,
        &url,
        reqwest::Method::GET,
        &format!("/pipelines/{id}"),
        None,
    )
    .await;
    assert_eq!(done["status"], "DONE", "{done}");
    let (_, output) = call(
        &http,
        &url,
        reqwest::Method::GET,
        &format!("/datasets/{}", done["output_dataset_id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(output["status"], "READY", "{output}");
    assert_eq!(output["image_count"], 6, "{output}");
    let output_dir = output["storage_uri"].as_str().unwrap().to_owned();

    // The output, read back from memory: a label file and a turned JPEG per image.
    let labels = files_in(&memory, &format!("{output_dir}/labels"));
    let turned = files_in(&memory, &format!("{output_dir}/images"));
    let originals = files_in(&memory, &format!("{SOURCE}/images"));
    assert_eq!(labels.len(), 6);
    assert_eq!(turned.len(), 6);
    assert!(
        memory
            .exists(&sp(&format!("{output_dir}/data.yaml")))
            .unwrap()
    );
    assert!(
        memory
            .exists(&sp(&format!("{output_dir}/pipeline_report.json")))
            .unwrap()
    );
    assert!(
        !memory
            .exists(&sp(&format!("{output_dir}/.datamill-pipeline.json")))
            .unwrap(),
        "the run's marker is gone"
    );
    for ((name, turned), (original_name, original)) in turned.iter().zip(&originals) {
        assert_eq!(name, original_name);
        assert_ne!(turned, original, "{name} was not changed");
        let turned = image::load_from_memory(turned).unwrap().to_rgb8();
        let expected =
            image::imageops::rotate180(&image::load_from_memory(original).unwrap().to_rgb8());
        let unturned = image::load_from_memory(original).unwrap().to_rgb8();
        let close = difference(&turned, &expected);
        assert!(
            close < 6.0 && close < difference(&turned, &unturned),
            "{name}: {close} from the turned original"
        );
    }
    // Every stem of an image has its label file.
    let mut stems: Vec<_> = labels
        .iter()
        .map(|(name, _)| name.trim_end_matches(".txt").to_owned())
        .collect();
    stems.sort();
    let mut images: Vec<_> = turned
        .iter()
        .map(|(name, _)| name.rsplit_once('.').unwrap().0.to_owned())
        .collect();
    images.sort();
    assert_eq!(stems, images);

    // And all of it went through the trait: the sources read, the output written.
    assert!(ran.calls(Operation::OpenRead) >= 1, "{ran:?}");
    assert!(ran.calls(Operation::Read) >= 6, "{ran:?}");
    assert!(ran.calls(Operation::Write) >= 6 + 6, "{ran:?}");
    assert!(ran.bytes_read > 0 && ran.bytes_written > 0, "{ran:?}");
    let image_bytes: usize = turned.iter().map(|(_, bytes)| bytes.len()).sum();
    assert!(ran.bytes_written >= image_bytes as u64, "{ran:?}");
    registry.stop().await;
}
