//! The dataset list under load, as a user meets it: the registry and the gateway started as
//! `make dev` starts them (one process), N groups × 10 versions inserted with SQL and the view
//! refreshed, then `GET /api/v1/dataset-groups` **through the gateway** from 16 concurrent
//! clients: single filters and sorts, deep pages, name search, and a mix of all of them. Reports
//! p50/p90/p95/p99 latency and throughput per scenario, and the first request after a refresh of
//! the view (bench-results/api-list.{json,md}).
//!
//!     cargo bench -p datamill-dev --bench list -- [--groups 10000] [--seconds 5] [--clients 16]
//!
//! Client, gateway, registry and PostgreSQL share this machine's cores.
#![allow(clippy::unwrap_used)] // a benchmark: a failed set-up step should abort loudly

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use datamill_db::sea_orm::{self, ConnectionTrait};
use datamill_db::testing::TestDatabase;
use datamill_platform::config::Env;
use serde_json::{Value, json};

const TARGET_P95_MS: f64 = 20.0;

struct Options {
    groups: u64,
    seconds: u64,
    clients: usize,
}

fn options() -> Options {
    let mut options = Options {
        groups: 10_000,
        seconds: 5,
        clients: 16,
    };
    let args: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < args.len() {
        let value = args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match (args[i].as_str(), value) {
            ("--groups", Some(v)) => options.groups = v,
            ("--seconds", Some(v)) => options.seconds = v,
            ("--clients", Some(v)) => options.clients = v as usize,
            _ => {
                i += 1; // cargo passes --bench; ignore what is not ours
                continue;
            }
        }
        i += 2;
    }
    if let Ok(groups) = std::env::var("BENCH_GROUPS") {
        options.groups = groups.parse().unwrap();
    }
    options
}

async fn seed(db: &sea_orm::DatabaseConnection, groups: u64) {
    let sql = format!(
        r#"
INSERT INTO dataset_groups (name, dataset_type, annotation_format, task_types, modality, description, created_at, updated_at)
SELECT format('ds_%s_%s', lpad(i::text, 6, '0'), (ARRAY['coco','yolo','attr','cls','raw'])[1 + i % 5]),
       (ARRAY['RAW','SOURCE','PROCESSED','FUSION'])[1 + i % 4]::dataset_type,
       (ARRAY['COCO','YOLO','ATTR_JSON','CLS_FOLDER','NONE'])[1 + i % 5],
       (CASE i % 5 WHEN 0 THEN '["DETECTION"]' WHEN 1 THEN '["DETECTION","SEGMENTATION"]'
                   WHEN 2 THEN '["ATTR_CLASSIFICATION","ZERO_SHOT"]' WHEN 3 THEN '["CLASSIFICATION"]'
                   ELSE '["SEGMENTATION","DETECTION","ZERO_SHOT"]' END)::jsonb,
       CASE WHEN i % 7 = 0 THEN 'THERMAL' ELSE 'RGB' END,
       'seeded for the list benchmark',
       now() - make_interval(mins => i), now() - make_interval(mins => i)
FROM generate_series(1, {groups}) AS i;

INSERT INTO datasets (group_id, split, version, storage_uri, status, image_count, class_count, created_at, updated_at)
SELECT g.id,
       (ARRAY['TRAIN','VAL','TEST','NONE'])[1 + v % 4]::dataset_split,
       format('v1.%s.%s', v / 8, v % 8 / 4),
       format('raw/%s/%s/v1.%s.%s', g.name, lower((ARRAY['TRAIN','VAL','TEST','NONE'])[1 + v % 4]), v / 8, v % 8 / 4),
       (CASE WHEN random() < 0.9 THEN 'READY' WHEN random() < 0.5 THEN 'PENDING' ELSE 'ERROR' END)::dataset_status,
       (random() * 120000)::int,
       1 + (random() * 80)::int,
       g.created_at + make_interval(mins => v), g.created_at + make_interval(mins => v)
FROM dataset_groups g CROSS JOIN generate_series(0, 9) AS v
WHERE g.description = 'seeded for the list benchmark';

REFRESH MATERIALIZED VIEW dataset_group_summary;
ANALYZE;
"#
    );
    db.execute_unprepared(&sql).await.unwrap();
}

struct Outcome {
    name: String,
    query: String,
    total: u64,
    requests: usize,
    errors: usize,
    rps: f64,
    p50: f64,
    p90: f64,
    p95: f64,
    p99: f64,
    max: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

async fn drive(
    client: &reqwest::Client,
    base: &str,
    queries: &[&str],
    seconds: u64,
    clients: usize,
) -> (Vec<f64>, usize, f64) {
    let queries: Arc<Vec<String>> =
        Arc::new(queries.iter().map(|q| format!("{base}?{q}")).collect());
    // Warm-up: plans cached, connections open.
    let warm_until = Instant::now() + Duration::from_secs(1);
    while Instant::now() < warm_until {
        for url in queries.iter() {
            client.get(url).send().await.unwrap().bytes().await.unwrap();
        }
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for worker in 0..clients {
        let client = client.clone();
        let queries = Arc::clone(&queries);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            let mut n = worker;
            while Instant::now() < deadline {
                let url = &queries[n % queries.len()];
                n += 1;
                let sent = Instant::now();
                match client.get(url).send().await {
                    Ok(response) if response.status() == 200 => {
                        let _ = response.bytes().await;
                        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (latencies, e) = task.await.unwrap();
        all.extend(latencies);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    (all, errors, elapsed)
}

#[tokio::main]
async fn main() {
    let options = options();
    datamill_gateway::install_crypto_provider();
    let database = TestDatabase::create().await.unwrap();
    let nas = tempfile::tempdir().unwrap();
    // The same start-up as `make dev` (services/devstack): registry and gateway in this process,
    // every setting at its default.
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
    let gateway = datamill_gateway::start(
        datamill_gateway::GatewayConfig::from_env(Env::from_pairs([
            ("REGISTRY_URL", registry.url()),
            ("HTTP_ADDR", "127.0.0.1:0".to_owned()),
            ("LOG_LEVEL", "warn".to_owned()),
        ]))
        .unwrap(),
    )
    .await
    .unwrap();
    let seeding = Instant::now();
    seed(&registry.registry.db, options.groups).await;
    eprintln!(
        "seeded {} groups × 10 versions in {:.1} s",
        options.groups,
        seeding.elapsed().as_secs_f64()
    );

    let base = format!("{}/api/v1/dataset-groups", gateway.url());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.clients)
        .build()
        .unwrap();
    let last_page = options.groups / 20;
    let deep_name = format!("page={}&sort=name", last_page * 4 / 5);
    let deep_filtered = format!(
        "split=VAL&status=READY&sort=-image_count&page={}",
        last_page / 4
    );
    let deep_tasks = format!(
        "task_types=DETECTION,SEGMENTATION&sort=name&page={}",
        last_page / 10
    );
    let scenarios: Vec<(&str, Vec<&str>)> = vec![
        ("default (newest first)", vec![""]),
        ("sort by name", vec!["sort=name"]),
        ("sort by images, descending", vec!["sort=-image_count"]),
        (
            "task types any-of",
            vec!["task_types=DETECTION,SEGMENTATION"],
        ),
        (
            "type + newest",
            vec!["dataset_type=PROCESSED&sort=-created_at"],
        ),
        ("split + status", vec!["split=VAL&status=READY"]),
        (
            "format + modality",
            vec!["annotation_format=YOLO&modality=THERMAL"],
        ),
        ("name search", vec!["q=0042&sort=name"]),
        ("deep page (80 % of the list)", vec![deep_name.as_str()]),
        ("deep filtered page", vec![deep_filtered.as_str()]),
        (
            "filters, deep pages and search",
            vec![
                "dataset_type=PROCESSED&sort=-created_at",
                deep_tasks.as_str(),
                deep_filtered.as_str(),
                "q=004&sort=-image_count",
                "annotation_format=YOLO&modality=THERMAL&page=3",
                deep_name.as_str(),
            ],
        ),
    ];
    let mixed: Vec<&str> = scenarios
        .iter()
        .flat_map(|(_, q)| q.iter().copied())
        .collect();
    let mut outcomes = Vec::new();
    for (name, queries) in scenarios
        .iter()
        .cloned()
        .chain(std::iter::once(("mixed (all of the above)", mixed)))
    {
        let first: Value = client
            .get(format!("{base}?{}", queries[0]))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let (latencies, errors, elapsed) =
            drive(&client, &base, &queries, options.seconds, options.clients).await;
        let outcome = Outcome {
            name: name.to_owned(),
            query: if queries.len() == 1 {
                queries[0].to_owned()
            } else {
                format!("{} queries in turn", queries.len())
            },
            total: first["total"].as_u64().unwrap_or(0),
            requests: latencies.len(),
            errors,
            rps: latencies.len() as f64 / elapsed,
            p50: percentile(&latencies, 50.0),
            p90: percentile(&latencies, 90.0),
            p95: percentile(&latencies, 95.0),
            p99: percentile(&latencies, 99.0),
            max: latencies.last().copied().unwrap_or(f64::NAN),
        };
        eprintln!(
            "{:<30} p50 {:6.2} ms  p90 {:6.2} ms  p95 {:6.2} ms  p99 {:6.2} ms  {:7.0} req/s",
            outcome.name, outcome.p50, outcome.p90, outcome.p95, outcome.p99, outcome.rps
        );
        outcomes.push(outcome);
    }
    // The first request after a refresh reloads the registry's list index.
    let mut after_refresh = Vec::new();
    for _ in 0..5 {
        registry
            .registry
            .db
            .execute_unprepared("REFRESH MATERIALIZED VIEW CONCURRENTLY dataset_group_summary")
            .await
            .unwrap();
        let sent = Instant::now();
        let response = client
            .get(format!("{base}?sort=name"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let _ = response.bytes().await;
        after_refresh.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    after_refresh.sort_by(f64::total_cmp);
    let after_refresh_ms = percentile(&after_refresh, 50.0);
    eprintln!("first request after a refresh: median {after_refresh_ms:.2} ms");
    let _ = gateway.stop().await;
    registry.stop().await;

    let pass = outcomes
        .iter()
        .all(|o| o.p95 < TARGET_P95_MS && o.errors == 0);
    let json = json!({
        "benchmark": "GET /api/v1/dataset-groups",
        "groups": options.groups,
        "versions": options.groups * 10,
        "clients": options.clients,
        "seconds_per_scenario": options.seconds,
        "target_p95_ms": TARGET_P95_MS,
        "pass": pass,
        "first_request_after_refresh_ms": after_refresh_ms,
        "scenarios": outcomes.iter().map(|o| json!({
            "name": o.name, "query": o.query, "matching_groups": o.total, "requests": o.requests,
            "errors": o.errors, "requests_per_second": o.rps, "p50_ms": o.p50, "p90_ms": o.p90, "p95_ms": o.p95,
            "p99_ms": o.p99, "max_ms": o.max,
        })).collect::<Vec<_>>(),
    });
    let mut md = format!(
        "# Dataset list under load\n\n`GET /api/v1/dataset-groups` through the gateway (registry and gateway in one process, as `make dev` runs them) on {} groups × 10 versions, {} concurrent clients, {} s per scenario, \
         clients and servers on the same {}-core machine. Target: p95 < {TARGET_P95_MS} ms — **{}**. \
         First request after a refresh of the view (the registry reloads its list index): {after_refresh_ms:.1} ms.\n\n\
         | scenario | query | matching | requests | errors | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        options.groups,
        options.clients,
        options.seconds,
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        if pass { "met" } else { "not met" },
    );
    for o in &outcomes {
        let _ = writeln!(
            md,
            "| {} | `{}` | {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            o.name,
            o.query,
            o.total,
            o.requests,
            o.errors,
            o.rps,
            o.p50,
            o.p90,
            o.p95,
            o.p99,
            o.max
        );
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("api-list.json"),
        serde_json::to_string_pretty(&json).unwrap(),
    )
    .unwrap();
    std::fs::write(out.join("api-list.md"), &md).unwrap();
    println!("{md}");
}
