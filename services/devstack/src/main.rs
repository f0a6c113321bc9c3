//! `make dev`: starts the dataset-registry, a pipeline worker, an eda-worker and the api-gateway in this process, writes a demo
//! NAS under `./data/nas` (first run only), registers it **through the API** like a user would,
//! prints the URL and runs until Ctrl-C.
//!
//! Environment: `DATABASE_URL` (required; `scripts/dev.sh` provides one), `DATAMILL_NAS`
//! (default `./data/nas`), `DATAMILL_PORT` (gateway, default 8080), `DATAMILL_REGISTRY_PORT`
//! (default 8081), `GUI_DIR`, `LOG_LEVEL`, `LOG_FORMAT`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use datamill_core::synth::{SynthConfig, SynthFormat, write_dataset};
use datamill_platform::config::Env;
use serde_json::{Value, json};

/// One demo dataset: where it goes, how it is made, how it is registered.
struct Demo {
    group: &'static str,
    dataset_type: &'static str,
    format: &'static str,
    tasks: &'static [&'static str],
    split: &'static str,
    uri: &'static str,
    synth: SynthFormat,
    images: usize,
    seed: u64,
    description: &'static str,
}

const DEMOS: &[Demo] = &[
    Demo {
        group: "demo_coco",
        dataset_type: "RAW",
        format: "COCO",
        tasks: &["DETECTION", "SEGMENTATION"],
        split: "TRAIN",
        uri: "raw/demo_coco/train/v1.0.0",
        synth: SynthFormat::Coco,
        images: 120,
        seed: 1,
        description: "Synthetic COCO detection/segmentation set (train).",
    },
    Demo {
        group: "demo_coco",
        dataset_type: "RAW",
        format: "COCO",
        tasks: &["DETECTION", "SEGMENTATION"],
        split: "VAL",
        uri: "raw/demo_coco/val/v1.0.0",
        synth: SynthFormat::Coco,
        images: 30,
        seed: 2,
        description: "Synthetic COCO detection/segmentation set (val).",
    },
    Demo {
        group: "demo_yolo",
        dataset_type: "SOURCE",
        format: "YOLO",
        tasks: &["DETECTION"],
        split: "TRAIN",
        uri: "source/demo_yolo/train/v1.0.0",
        synth: SynthFormat::Yolo,
        images: 60,
        seed: 3,
        description: "Synthetic Ultralytics YOLO detection set.",
    },
    Demo {
        group: "demo_visdrone",
        dataset_type: "RAW",
        format: "VISDRONE",
        tasks: &["DETECTION"],
        split: "NONE",
        uri: "raw/demo_visdrone/none/v1.0.0",
        synth: SynthFormat::VisDrone,
        images: 40,
        seed: 4,
        description: "Synthetic VisDrone2019-DET raw set (convert it with a pipeline).",
    },
];

fn var(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// A dataset on the demo NAS that `make dev` does not register: the one a newcomer registers
/// through the GUI (Datasets → Register dataset → Validate path → Register).
const UNREGISTERED: Demo = Demo {
    group: "demo_street",
    dataset_type: "RAW",
    format: "COCO",
    tasks: &["DETECTION", "SEGMENTATION"],
    split: "TRAIN",
    uri: "raw/demo_street/train/v1.0.0",
    synth: SynthFormat::Coco,
    images: 48,
    seed: 5,
    description: "Synthetic street scenes, left for you to register.",
};

fn write_demo_nas(nas: &Path) -> anyhow::Result<()> {
    for demo in DEMOS.iter().chain(std::iter::once(&UNREGISTERED)) {
        let dir = nas.join(demo.uri);
        if dir.exists() {
            continue;
        }
        let summary = write_dataset(
            &SynthConfig {
                images: demo.images,
                seed: demo.seed,
                format: demo.synth,
                min_size: (320, 240),
                max_size: (640, 480),
                mean_boxes: 4.0,
                ..SynthConfig::default()
            },
            &dir,
        )
        .with_context(|| format!("writing the demo dataset {}", dir.display()))?;
        println!(
            "  wrote {} ({} images, {} annotations)",
            demo.uri, summary.images, summary.annotations
        );
    }
    Ok(())
}

async fn json_of(response: reqwest::Response) -> anyhow::Result<(u16, Value)> {
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    Ok((status, body))
}

/// Registers every demo dataset that is not registered yet, through the gateway.
async fn register_demos(api: &str) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    for demo in DEMOS {
        let (status, page) = json_of(
            client
                .get(format!(
                    "{api}/dataset-groups?q={}&page_size=200",
                    demo.group
                ))
                .send()
                .await?,
        )
        .await?;
        if status != 200 {
            bail!("listing groups failed ({status}): {page}");
        }
        let existing = page["items"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["name"] == demo.group))
            .cloned();
        let group_id = if let Some(group) = existing {
            group["group_id"].as_str().unwrap_or_default().to_owned()
        } else {
            let (status, group) = json_of(
                client
                    .post(format!("{api}/dataset-groups"))
                    .json(&json!({
                        "name": demo.group,
                        "dataset_type": demo.dataset_type,
                        "annotation_format": demo.format,
                        "task_types": demo.tasks,
                        "source_origin": "datamill synth (make dev)",
                        "description": "Demo data generated by `make dev`.",
                    }))
                    .send()
                    .await?,
            )
            .await?;
            if status != 201 {
                bail!("creating group {} failed ({status}): {group}", demo.group);
            }
            group["id"].as_str().unwrap_or_default().to_owned()
        };
        let (_, detail) = json_of(
            client
                .get(format!("{api}/dataset-groups/{group_id}"))
                .send()
                .await?,
        )
        .await?;
        let registered = detail["datasets"]
            .as_array()
            .is_some_and(|ds| ds.iter().any(|d| d["storage_uri"] == demo.uri));
        if registered {
            continue;
        }
        let (status, report) = json_of(
            client
                .post(format!("{api}/datasets/validate-path"))
                .json(&json!({"storage_uri": demo.uri, "annotation_format": demo.format}))
                .send()
                .await?,
        )
        .await?;
        if status != 200 || report["valid"] != true {
            bail!("validating {} failed ({status}): {report}", demo.uri);
        }
        let (status, dataset) = json_of(
            client
                .post(format!("{api}/datasets"))
                .json(&json!({
                    "group_id": group_id,
                    "split": demo.split,
                    "version": "v1.0.0",
                    "storage_uri": demo.uri,
                    "description": demo.description,
                }))
                .send()
                .await?,
        )
        .await?;
        if status != 201 {
            bail!("registering {} failed ({status}): {dataset}", demo.uri);
        }
        println!(
            "  registered {} {} {} ({} images)",
            demo.group,
            demo.split,
            dataset["version"].as_str().unwrap_or("?"),
            dataset["image_count"]
        );
    }
    Ok(())
}

async fn run() -> anyhow::Result<()> {
    let database_url = std::env::var("DATABASE_URL").context(
        "DATABASE_URL is not set; run `make dev`, which starts a PostgreSQL when needed",
    )?;
    let nas = PathBuf::from(var("DATAMILL_NAS", "data/nas"));
    std::fs::create_dir_all(&nas).with_context(|| format!("creating {}", nas.display()))?;
    let nas = nas.canonicalize()?;
    let port = var("DATAMILL_PORT", "8080");
    let registry_port = var("DATAMILL_REGISTRY_PORT", "8081");
    let log_level = var("LOG_LEVEL", "info,sqlx=warn,sea_orm=warn");
    let log_format = var("LOG_FORMAT", "compact");

    println!("Preparing the demo NAS in {}", nas.display());
    write_demo_nas(&nas)?;

    let registry_config = datamill_registry::RegistryConfig::from_env(Env::from_pairs([
        ("DATABASE_URL", database_url.clone()),
        ("LOCAL_STORAGE_BASE", nas.display().to_string()),
        ("HTTP_ADDR", format!("127.0.0.1:{registry_port}")),
        ("LOG_LEVEL", log_level.clone()),
        ("LOG_FORMAT", log_format.clone()),
    ]))?;
    datamill_platform::telemetry::init(&registry_config.log);
    datamill_gateway::install_crypto_provider();
    let registry = datamill_registry::start(registry_config).await?;
    let worker =
        datamill_worker::start(datamill_worker::WorkerConfig::from_env(Env::from_pairs([
            ("DATABASE_URL", database_url.clone()),
            ("LOCAL_STORAGE_BASE", nas.display().to_string()),
            ("LOG_LEVEL", log_level.clone()),
            ("LOG_FORMAT", log_format.clone()),
        ]))?)
        .await?;
    let eda_worker = datamill_eda_worker::start(datamill_eda_worker::EdaWorkerConfig::from_env(
        Env::from_pairs([
            ("DATABASE_URL", database_url),
            ("LOCAL_STORAGE_BASE", nas.display().to_string()),
            ("WORKER_ID", "dev-eda".to_owned()),
            ("LOG_LEVEL", log_level.clone()),
            ("LOG_FORMAT", log_format.clone()),
        ]),
    )?)
    .await?;

    let mut gateway_env = vec![
        ("REGISTRY_URL".to_owned(), registry.url()),
        ("HTTP_ADDR".to_owned(), format!("0.0.0.0:{port}")),
        ("SERVE_STATIC".to_owned(), "true".to_owned()),
        ("LOCAL_STORAGE_BASE".to_owned(), nas.display().to_string()),
        ("LOG_LEVEL".to_owned(), log_level),
        ("LOG_FORMAT".to_owned(), log_format),
    ];
    if let Ok(gui) = std::env::var("GUI_DIR") {
        gateway_env.push(("GUI_DIR".to_owned(), gui));
    }
    let gateway_config = datamill_gateway::GatewayConfig::from_env(Env::from_pairs(gateway_env))?;
    let gateway = datamill_gateway::start(gateway_config).await?;
    let url = format!("http://localhost:{}", gateway.addr().port());

    println!("Registering the demo datasets through {url}/api/v1");
    register_demos(&format!("{url}/api/v1")).await?;

    println!();
    println!("Datamill is running: {url}");
    println!("  GUI        {url}/datasets");
    println!("  API docs   {url}/api/docs/");
    println!("  datasets   {url}/api/v1/dataset-groups");
    println!("  NAS files  {url}/static/raw/demo_coco/train/v1.0.0/annotation.json");
    println!(
        "  try it     Datasets → Register dataset: {} ({}) is on the NAS, not registered yet",
        UNREGISTERED.uri, UNREGISTERED.format
    );
    println!("  pipelines  POST {url}/api/v1/pipelines (a pipeline worker runs in this process)");
    println!(
        "  EDA        GET {url}/api/v1/datasets/{{id}}/eda (an eda-worker runs in this process)"
    );
    println!("Press Ctrl-C to stop.");

    // Ctrl-C, or SIGTERM (`kill`, `pkill`, `scripts/dev.sh` passing on its own): either stops
    // the services cleanly, as the workers' own binaries do.
    datamill_queue::worker::shutdown_signal().await;
    println!("Stopping…");
    let _ = gateway.stop().await;
    let _ = worker.stop().await;
    let _ = eda_worker.stop().await;
    registry.stop().await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("datamill-dev: {error:#}");
            ExitCode::FAILURE
        }
    }
}
