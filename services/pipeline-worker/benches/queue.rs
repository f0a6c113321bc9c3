//! `make bench-worker`: the queue and the worker under measurement, against a real PostgreSQL.
//!
//! * enqueue → start latency: `started_at − created_at` of 50 small pipelines submitted one after
//!   the other (both database clock; includes the registry's commit, the enqueue, the NOTIFY and
//!   the worker's start-up writes), median and p95;
//! * throughput: 20 small pipelines with 1 worker, then 20 with 2 workers, pipelines per minute;
//! * the cost of progress writes: one 120-image rotate + re-encode pipeline with progress every
//!   500 ms against the same with progress effectively off, run time (best of 2 each).
//!
//! Writes `bench-results/worker.md` and `bench-results/worker.json`.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "benchmark")]

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use datamill_core::synth::{SynthConfig, SynthFormat, write_dataset};
use datamill_db::testing::TestDatabase;
use datamill_platform::config::Env;
use serde_json::{Value, json};

struct Bench {
    url: String,
    client: reqwest::Client,
    nas: tempfile::TempDir,
    database: TestDatabase,
}

impl Bench {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self
            .client
            .request(method, format!("{}/api/v1{path}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap().json().await.unwrap()
    }

    async fn source(&self, name: &str, images: usize, size: (u32, u32)) -> String {
        write_dataset(
            &SynthConfig {
                images,
                seed: 5,
                format: SynthFormat::Coco,
                min_size: size,
                max_size: size,
                mean_boxes: 2.0,
                ..SynthConfig::default()
            },
            &self.nas.path().join(format!("raw/{name}/train/v1.0.0")),
        )
        .unwrap();
        let group = self
            .call(reqwest::Method::POST, "/dataset-groups", Some(json!({"name": name, "dataset_type": "RAW", "annotation_format": "COCO", "task_types": ["DETECTION"]})))
            .await;
        let dataset = self
            .call(reqwest::Method::POST, "/datasets", Some(json!({"group_id": group["id"], "split": "TRAIN", "storage_uri": format!("raw/{name}/train/v1.0.0")})))
            .await;
        dataset["id"].as_str().unwrap().to_owned()
    }

    async fn submit(&self, group: &str, source: &str, manipulators: &Value) -> String {
        let execution = self
            .call(
                reqwest::Method::POST,
                "/pipelines",
                Some(json!({
                    "output": {"group": group, "dataset_type": "PROCESSED", "split": "TRAIN", "annotation_format": "YOLO", "task_types": ["DETECTION"]},
                    "sources": [{"dataset_id": source, "manipulators": manipulators}]
                })),
            )
            .await;
        execution["id"].as_str().unwrap().to_owned()
    }

    async fn wait(&self, id: &str) -> Value {
        let deadline = Instant::now() + Duration::from_mins(3);
        loop {
            assert!(
                Instant::now() < deadline,
                "execution {id} did not end in 3 minutes"
            );
            let execution = self
                .call(reqwest::Method::GET, &format!("/pipelines/{id}"), None)
                .await;
            if execution["status"] == "DONE" || execution["status"] == "FAILED" {
                assert_eq!(execution["status"], "DONE", "{execution}");
                return execution;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// A worker process (apalis' monitor is meant to run once per process: a second one started
    /// in a process whose first was stopped does not take jobs).
    fn worker(&self, progress_ms: u64) -> Worker {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_pipeline-worker"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DATABASE_URL", &self.database.url)
            .env("LOCAL_STORAGE_BASE", self.nas.path())
            .env("HEARTBEAT_SECS", "1")
            .env("PROGRESS_INTERVAL_MS", progress_ms.to_string())
            .env("WORKER_THREADS", "1")
            .env("LOG_LEVEL", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(
                std::fs::File::create(format!(
                    "/tmp/bench-worker-{progress_ms}-{}.log",
                    std::process::id()
                ))
                .map_or_else(|_| std::process::Stdio::null(), std::process::Stdio::from),
            )
            .spawn()
            .unwrap();
        Worker(child)
    }
}

struct Worker(std::process::Child);

impl Worker {
    /// SIGTERM, then wait: the worker finishes its job and exits.
    fn stop(mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

fn seconds_between(execution: &Value, from: &str, to: &str) -> f64 {
    let at =
        |key: &str| chrono::DateTime::parse_from_rfc3339(execution[key].as_str().unwrap()).unwrap();
    (at(to) - at(from)).as_seconds_f64()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let database = TestDatabase::create().await.unwrap();
    let nas = tempfile::tempdir().unwrap();
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
    let bench = Bench {
        url: registry.url(),
        client: reqwest::Client::new(),
        nas,
        database,
    };
    let small = bench.source("small", 2, (64, 48)).await;
    let big = bench.source("big", 120, (640, 480)).await;
    let light = json!([{"name": "format_convert_to_yolo"}]);
    let heavy = json!([{"name": "rotate_180"}, {"name": "change_compression", "params": {"quality": 70}}, {"name": "format_convert_to_yolo"}]);

    eprintln!("bench-worker: latency …");
    let first = bench.worker(500);
    let mut latencies = Vec::new();
    for _ in 0..50 {
        let id = bench.submit("latency", &small, &light).await;
        let done = bench.wait(&id).await;
        latencies.push(seconds_between(&done, "created_at", "started_at") * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    let (median, p95) = (percentile(&latencies, 0.5), percentile(&latencies, 0.95));
    eprintln!("bench-worker: enqueue → start median {median:.1} ms, p95 {p95:.1} ms");

    eprintln!("bench-worker: throughput …");
    let mut per_minute = Vec::new();
    let mut second = None;
    for workers in [1, 2] {
        if workers == 2 {
            second = Some(bench.worker(500));
        }
        let started = Instant::now();
        let mut ids = Vec::new();
        for _ in 0..20 {
            ids.push(
                bench
                    .submit(&format!("throughput{workers}"), &small, &light)
                    .await,
            );
        }
        for id in &ids {
            bench.wait(id).await;
        }
        per_minute.push((workers, 20.0 / started.elapsed().as_secs_f64() * 60.0));
        eprintln!(
            "bench-worker: {workers} worker(s): {:.0} pipelines/minute",
            20.0 / started.elapsed().as_secs_f64() * 60.0
        );
    }
    if let Some(second) = second {
        second.stop();
    }
    first.stop();

    eprintln!("bench-worker: progress writes …");
    let mut runs = Vec::new();
    for (label, interval) in [("every 500 ms", 500u64), ("off", 600_000)] {
        let worker = bench.worker(interval);
        let mut best = f64::INFINITY;
        for _ in 0..2 {
            let id = bench
                .submit(&format!("progress{interval}"), &big, &heavy)
                .await;
            let done = bench.wait(&id).await;
            best = best.min(seconds_between(&done, "started_at", "finished_at"));
        }
        worker.stop();
        runs.push((label, best));
    }
    let overhead = (runs[0].1 / runs[1].1 - 1.0) * 100.0;

    let mut md = String::new();
    let _ = writeln!(md, "# Queue and worker benchmark\n");
    let _ = writeln!(md, "| measure | value | target |\n|---|---:|---|");
    let _ = writeln!(
        md,
        "| enqueue → start, median (50 jobs) | {median:.1} ms | |"
    );
    let _ = writeln!(md, "| enqueue → start, p95 | {p95:.1} ms | |");
    for (workers, rate) in &per_minute {
        let _ = writeln!(
            md,
            "| small pipelines per minute, {workers} worker(s) | {rate:.0} | |"
        );
    }
    for (label, seconds) in &runs {
        let _ = writeln!(
            md,
            "| 120-image rotate + re-encode, progress {label} | {seconds:.2} s | |"
        );
    }
    let _ = writeln!(
        md,
        "| cost of progress writes | {overhead:+.1} % | < 5 %: {} |",
        if overhead < 5.0 {
            "**met**"
        } else {
            "**not met**"
        }
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench-results");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("worker.md"), &md).unwrap();
    let value = json!({
        "latency_ms": {"median": median, "p95": p95, "all": latencies},
        "pipelines_per_minute": per_minute.iter().map(|(w, r)| json!({"workers": w, "rate": r})).collect::<Vec<_>>(),
        "progress": runs.iter().map(|(l, s)| json!({"progress": l, "seconds": s})).collect::<Vec<_>>(),
        "progress_overhead_percent": overhead,
    });
    std::fs::write(
        root.join("worker.json"),
        serde_json::to_string_pretty(&value).unwrap(),
    )
    .unwrap();
    println!("{md}");
    registry.stop().await;
}
