//! The database going away and coming back, through a TCP relay the test can cut.

use std::time::Duration;

use datamill_db::testing::{Relay, TestDatabase, host_port};
use serde_json::{Value, json};

use crate::support;

#[tokio::test]
async fn database_outage_gives_503_and_recovers() {
    let database = TestDatabase::create().await.unwrap();
    let mut relay = Relay::start(host_port(&database.url), 0).await.unwrap();
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

    relay.restore().await.unwrap();
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
