//! The documentation of the configuration against the code: every environment variable a
//! service reads is in the table of docs/operations.md, and every variable the table lists is read
//! by some service. (A variable added without a line in the table, or a line left after the code
//! stopped reading it, fails here.)
#![allow(clippy::unwrap_used)] // test harness

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

use datamill_platform::config::Env;

fn documented() -> BTreeSet<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/operations.md"),
    )
    .unwrap();
    let start = text
        .find("| variable | service | default | meaning |")
        .expect("the variables table in docs/operations.md");
    text[start..]
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .filter_map(|line| line.split('|').nth(1))
        .flat_map(|cell| cell.split('/'))
        .map(|name| name.trim().trim_matches('`').to_owned())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Names every service's configuration asks for, from a minimal valid environment.
fn read_by_the_services() -> BTreeSet<String> {
    let nas = tempfile::tempdir().unwrap();
    let asked = Arc::new(Mutex::new(BTreeSet::new()));
    let base = [
        ("DATABASE_URL", "postgres://u@localhost/db".to_owned()),
        ("LOCAL_STORAGE_BASE", nas.path().display().to_string()),
        ("REGISTRY_URL", "http://localhost:8081".to_owned()),
    ];
    datamill_registry::RegistryConfig::from_env(
        Env::from_pairs(base.clone()).recording(Arc::clone(&asked)),
    )
    .unwrap();
    datamill_worker::WorkerConfig::from_env(
        Env::from_pairs(base.clone()).recording(Arc::clone(&asked)),
    )
    .unwrap();
    datamill_eda_worker::EdaWorkerConfig::from_env(
        Env::from_pairs(base.clone()).recording(Arc::clone(&asked)),
    )
    .unwrap();
    datamill_gateway::GatewayConfig::from_env(Env::from_pairs(base).recording(Arc::clone(&asked)))
        .unwrap();
    asked.lock().unwrap().clone()
}

#[test]
fn every_variable_the_services_read_is_documented_and_nothing_else() {
    let documented = documented();
    let read = read_by_the_services();
    let undocumented: Vec<_> = read.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&read).collect();
    assert!(
        undocumented.is_empty() && stale.is_empty(),
        "read by a service but not in docs/operations.md: {undocumented:?}; \
         in docs/operations.md but read by no service: {stale:?}"
    );
}
