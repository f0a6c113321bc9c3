//! The database going away and coming back, through a TCP relay the test can cut.

use std::sync::Arc;
use std::time::Duration;

use datamill_db::testing::TestDatabase;
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use crate::support;

/// Forwards a local port to PostgreSQL; `cut` closes the listener and every open connection.
struct Relay {
    port: u16,
    target: String,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
    acceptor: Option<JoinHandle<()>>,
}

impl Relay {
    async fn start(target: String, port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let tasks: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let inner = Arc::clone(&tasks);
        let to = target.clone();
        let acceptor = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let to = to.clone();
                inner.lock().await.push(tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&to).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                }));
            }
        });
        Self {
            port,
            target,
            tasks,
            acceptor: Some(acceptor),
        }
    }

    async fn cut(&mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            acceptor.abort();
            let _ = acceptor.await;
        }
        for task in self.tasks.lock().await.drain(..) {
            task.abort();
        }
    }

    async fn restore(&mut self) {
        let again = Relay::start(self.target.clone(), self.port).await;
        self.tasks = again.tasks;
        self.acceptor = Some(again.acceptor.unwrap());
    }
}

fn host_port(url: &str) -> String {
    let after_at = url.rsplit('@').next().unwrap();
    let host = after_at.split('/').next().unwrap();
    if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:5432")
    }
}

#[tokio::test]
async fn database_outage_gives_503_and_recovers() {
    let database = TestDatabase::create().await.unwrap();
    let mut relay = Relay::start(host_port(&database.url), 0).await;
    let relayed = database.url.replacen(
        &host_port(&database.url),
        &format!("127.0.0.1:{}", relay.port),
        1,
    );
    let nas = tempfile::tempdir().unwrap();
    let registry = datamill_registry::start(support::config(&relayed, nas.path(), true))
        .await
        .unwrap();
    let client = support::client();
    let url = registry.url();

    let health = client.get(format!("{url}/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    relay.cut().await;
    let health = client.get(format!("{url}/health")).send().await.unwrap();
    assert_eq!(health.status(), 503);
    let body: Value = health.json().await.unwrap();
    assert_eq!(body["database"]["status"], "down");
    let response = client
        .get(format!("{url}/api/v1/dataset-groups"))
        .send()
        .await
        .unwrap();
    let (status, problem) = support::status_json(response).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (503, Some("DATABASE_UNAVAILABLE")),
        "{problem}"
    );
    let response = client
        .post(format!("{url}/api/v1/dataset-groups"))
        .json(&json!({"name": "during_outage", "dataset_type": "RAW", "annotation_format": "COCO"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);

    relay.restore().await;
    let mut recovered = false;
    for _ in 0..40 {
        let health = client.get(format!("{url}/health")).send().await.unwrap();
        if health.status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        recovered,
        "the registry did not recover after the database returned"
    );
    let response = client
        .get(format!("{url}/api/v1/dataset-groups"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    registry.stop().await;
}

#[tokio::test]
async fn unreachable_database_at_start_serves_503() {
    // A port nobody listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let nas = tempfile::tempdir().unwrap();
    let registry = datamill_registry::start(support::config(
        &format!("postgres://postgres@127.0.0.1:{port}/none"),
        nas.path(),
        false,
    ))
    .await
    .unwrap();
    let client = support::client();
    let health = client
        .get(format!("{}/health", registry.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503);
    let response = client
        .get(format!("{}/api/v1/dataset-groups", registry.url()))
        .send()
        .await
        .unwrap();
    let (status, problem) = support::status_json(response).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (503, Some("DATABASE_UNAVAILABLE"))
    );
    registry.stop().await;
}
