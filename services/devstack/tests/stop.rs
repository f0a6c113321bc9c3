//! `datamill-dev` stops cleanly on SIGTERM as on Ctrl-C: `scripts/dev.sh` passes a `pkill` or a
//! supervisor's TERM on to it, and a process killed by the signal would skip the services' stop.
#![allow(clippy::unwrap_used)] // test harness: a failed set-up step should abort the test loudly

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use datamill_db::testing::TestDatabase;

#[tokio::test]
async fn sigterm_stops_every_service_and_exits_successfully() {
    let database = TestDatabase::create().await.unwrap();
    let nas = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_datamill-dev"))
        .env("DATABASE_URL", &database.url)
        .env("DATAMILL_NAS", nas.path())
        .env("DATAMILL_PORT", "0")
        .env("DATAMILL_REGISTRY_PORT", "0")
        .env("LOG_LEVEL", "warn")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    // Lines as they come, read to the end so that the child never blocks on a full pipe.
    let (lines, received) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let started = Instant::now();
    loop {
        let line = received
            .recv_timeout(Duration::from_mins(3).saturating_sub(started.elapsed()))
            .unwrap_or_else(|_| panic!("datamill-dev did not start within 180 s"));
        if line.contains("Press Ctrl-C to stop") {
            break;
        }
    }

    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("datamill-dev was still running 30 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "datamill-dev ended with {status} on SIGTERM"
    );
    // The reader ends at the end of the pipe, which the process closed by exiting.
    let rest: Vec<String> = received.iter().collect();
    assert!(
        rest.iter().any(|line| line.contains("Stopping")),
        "it did not go through its stop: {rest:?}"
    );
}
