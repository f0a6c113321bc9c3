//! Test harness: a registry started in-process against a fresh PostgreSQL database and a temp NAS.

use std::path::{Path, PathBuf};
use std::time::Duration;

use datamill_core::synth::{SynthConfig, SynthFormat, write_dataset};
use datamill_db::testing::TestDatabase;
use datamill_platform::config::Env;
use datamill_registry::{RegistryConfig, RunningRegistry};
use serde_json::{Value, json};

pub(crate) struct TestApp {
    pub(crate) registry: Option<RunningRegistry>,
    pub(crate) url: String,
    pub(crate) nas: tempfile::TempDir,
    pub(crate) client: reqwest::Client,
    pub(crate) database: TestDatabase,
}

pub(crate) fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_mins(1))
        .build()
        .unwrap()
}

pub(crate) fn config(database_url: &str, nas: &Path, migrate: bool) -> RegistryConfig {
    RegistryConfig::from_env(Env::from_pairs([
        ("DATABASE_URL", database_url.to_owned()),
        ("LOCAL_STORAGE_BASE", nas.display().to_string()),
        ("HTTP_ADDR", "127.0.0.1:0".to_owned()),
        ("MIGRATE_ON_START", migrate.to_string()),
        ("MIGRATE_TIMEOUT_SECS", "10".to_owned()),
        ("DATABASE_CONNECT_TIMEOUT_SECS", "2".to_owned()),
        ("LOG_LEVEL", "warn".to_owned()),
    ]))
    .unwrap()
}

impl TestApp {
    pub(crate) async fn start() -> Self {
        let database = TestDatabase::create().await.unwrap();
        let nas = tempfile::tempdir().unwrap();
        let registry = datamill_registry::start(config(&database.url, nas.path(), true))
            .await
            .unwrap();
        Self {
            url: registry.url(),
            registry: Some(registry),
            nas,
            client: client(),
            database,
        }
    }

    pub(crate) fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    /// Writes a small synthetic dataset at `rel` on the NAS.
    pub(crate) fn synth(
        &self,
        rel: &str,
        format: SynthFormat,
        images: usize,
        seed: u64,
    ) -> PathBuf {
        let dir = self.nas.path().join(rel);
        write_dataset(
            &SynthConfig {
                images,
                seed,
                format,
                min_size: (64, 48),
                max_size: (128, 96),
                mean_boxes: 3.0,
                ..SynthConfig::default()
            },
            &dir,
        )
        .unwrap();
        dir
    }

    pub(crate) async fn get(&self, path: &str) -> (u16, Value) {
        let response = self.client.get(self.api(path)).send().await.unwrap();
        status_json(response).await
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.api(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        status_json(response).await
    }

    pub(crate) async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .patch(self.api(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        status_json(response).await
    }

    pub(crate) async fn delete(&self, path: &str) -> (u16, Value) {
        let response = self.client.delete(self.api(path)).send().await.unwrap();
        status_json(response).await
    }

    pub(crate) async fn create_group(&self, name: &str, format: &str, tasks: &[&str]) -> Value {
        let (status, body) = self
            .post(
                "/dataset-groups",
                json!({"name": name, "dataset_type": "RAW", "annotation_format": format, "task_types": tasks}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }

    pub(crate) async fn stop(mut self) {
        if let Some(registry) = self.registry.take() {
            registry.stop().await;
        }
    }

    /// Stops the registry and starts a new one on the same database and NAS (a redeploy).
    pub(crate) async fn restart(&mut self) {
        if let Some(registry) = self.registry.take() {
            registry.stop().await;
        }
        let registry = datamill_registry::start(config(&self.database.url, self.nas.path(), true))
            .await
            .unwrap();
        self.url = registry.url();
        self.registry = Some(registry);
    }

    /// Runs SQL on the test database directly (what an operator or an older release did).
    pub(crate) async fn sql(&self, statement: &str) {
        use sea_orm::ConnectionTrait;
        let (db, _) =
            datamill_db::connect_lazy(&self.database.url, &datamill_db::PoolOptions::default())
                .unwrap();
        db.execute_unprepared(statement).await.unwrap();
        db.close().await.unwrap();
    }
}

pub(crate) async fn status_json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    if status >= 400 {
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        assert_eq!(content_type, "application/problem+json", "status {status}");
    }
    let text = response.text().await.unwrap();
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    if status >= 400 {
        assert!(value["code"].is_string(), "problem without code: {value}");
        assert_eq!(value["status"], status, "{value}");
    }
    (status, value)
}
