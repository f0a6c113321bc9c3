//! The deployment files, exercised for real: Debian's nginx with `deploy/nginx/default.conf.template`
//! in front of the running registry and gateway (against a fresh PostgreSQL database and a temp
//! NAS), and `docker-compose.yml` validated by `docker-compose config` (no engine needed).
//! `make test` installs both programs (scripts/install-test-tools.sh).
#![allow(clippy::unwrap_used)] // test harness: a failed set-up step should abort the test loudly

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use datamill_core::synth::{SynthConfig, SynthFormat, write_dataset};
use datamill_db::testing::TestDatabase;
use datamill_platform::config::Env;
use serde_json::{Value, json};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn render(template: &Path, vars: &[(&str, String)]) -> String {
    let mut text = std::fs::read_to_string(template).unwrap();
    for (name, value) in vars {
        text = text.replace(&format!("${{{name}}}"), value);
    }
    assert!(
        !text.contains("${"),
        "unrendered variable left in {}",
        template.display()
    );
    text
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// nginx workers run as `nobody` when the tests run as root: they must be able to read.
fn open_up(path: &Path) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGQUIT lets the master stop its workers; SIGKILL would leave them listening.
        let quit = Command::new("kill")
            .args(["-QUIT", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while quit.is_ok() && Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A raw HTTP/1.1 request, so that paths reach nginx exactly as written (no client normalising).
fn raw_get(
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(name);
        request.push_str(": ");
        request.push_str(value);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect::<Vec<_>>();
    let mut body = response[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v == "chunked")
    {
        body = dechunk(&body);
    }
    (status, headers, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16)
                .unwrap();
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_serves_gui_static_and_api_in_front_of_the_services() {
    let nginx_bin = which("nginx")
        .expect("nginx is not installed: run scripts/install-test-tools.sh (make test does)");

    // The NAS: a real dataset, a plain file, and a link leading outside.
    let nas = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "outside").unwrap();
    open_up(nas.path());
    open_up(outside.path());
    let dataset = nas.path().join("raw/demo/train/v1.0.0");
    write_dataset(
        &SynthConfig {
            images: 3,
            seed: 9,
            format: SynthFormat::Coco,
            min_size: (64, 48),
            max_size: (96, 64),
            ..SynthConfig::default()
        },
        &dataset,
    )
    .unwrap();
    for dir in [
        "raw",
        "raw/demo",
        "raw/demo/train",
        "raw/demo/train/v1.0.0",
        "raw/demo/train/v1.0.0/images",
    ] {
        open_up(&nas.path().join(dir));
    }
    std::os::unix::fs::symlink(outside.path(), nas.path().join("escape")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        nas.path().join("raw/secret.txt"),
    )
    .unwrap();
    let gui = tempfile::tempdir().unwrap();
    open_up(gui.path());
    std::fs::write(gui.path().join("index.html"), "<html>datamill gui</html>").unwrap();
    std::fs::write(gui.path().join("app.js"), "console.log(1)").unwrap();

    // The services, in-process.
    let database = TestDatabase::create().await.unwrap();
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

    // nginx with the deployment's template.
    let run = tempfile::tempdir().unwrap();
    let port = free_port();
    let deploy = repo_root().join("deploy/nginx");
    let server_conf = run.path().join("default.conf");
    std::fs::write(
        &server_conf,
        render(
            &deploy.join("default.conf.template"),
            &[
                ("LISTEN_PORT", format!("127.0.0.1:{port}")),
                ("GATEWAY_UPSTREAM", gateway.addr().to_string()),
                ("NAS_ROOT", nas.path().display().to_string()),
                ("GUI_ROOT", gui.path().display().to_string()),
            ],
        ),
    )
    .unwrap();
    let wrapper = run.path().join("nginx.conf");
    std::fs::write(
        &wrapper,
        render(
            &deploy.join("test-wrapper.conf.template"),
            &[
                ("RUN_DIR", run.path().display().to_string()),
                ("SERVER_CONF", server_conf.display().to_string()),
                ("MIME_TYPES", "/etc/nginx/mime.types".to_owned()),
            ],
        ),
    )
    .unwrap();
    let check = Command::new(&nginx_bin)
        .args([
            "-t",
            "-q",
            "-e",
            &run.path().join("error.log").display().to_string(),
            "-p",
        ])
        .arg(run.path())
        .arg("-c")
        .arg(&wrapper)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "nginx -t: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    let _nginx = Nginx(
        Command::new(&nginx_bin)
            .args([
                "-e",
                &run.path().join("error.log").display().to_string(),
                "-p",
            ])
            .arg(run.path())
            .arg("-c")
            .arg(&wrapper)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nginx did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    tokio::task::spawn_blocking(move || {
        // API through nginx → gateway → registry → PostgreSQL, request id kept end to end.
        let (status, headers, body) =
            raw_get(port, "/api/v1/health", &[("X-Request-Id", "nginx-test-1")]);
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        assert_eq!(header(&headers, "x-request-id"), Some("nginx-test-1"));
        let health: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(health["database"]["status"], "up");
        let (status, headers, _) = raw_get(port, "/health", &[]);
        assert_eq!(status, 200);
        assert!(
            header(&headers, "x-request-id").is_some_and(|id| !id.is_empty()),
            "nginx generates an id"
        );
        let (status, _, body) = raw_get(port, "/api/v1/dataset-groups?sort=name", &[]);
        assert_eq!(status, 200);
        assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["total"], 0);
        let (status, headers, body) = raw_get(port, "/api/v1/dataset-groups/not-a-uuid", &[]);
        assert_eq!(status, 400);
        assert_eq!(
            header(&headers, "content-type"),
            Some("application/problem+json")
        );
        assert_eq!(
            serde_json::from_slice::<Value>(&body).unwrap()["errors"][0]["field"],
            "id"
        );

        // NAS files, read-only, confined.
        let (status, headers, body) =
            raw_get(port, "/static/raw/demo/train/v1.0.0/annotation.json", &[]);
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-type"), Some("application/json"));
        assert_eq!(
            body,
            std::fs::read(dataset.join("annotation.json")).unwrap()
        );
        let image = std::fs::read_dir(dataset.join("images"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        let (status, headers, _) = raw_get(
            port,
            &format!(
                "/static/raw/demo/train/v1.0.0/images/{}",
                image.file_name().to_string_lossy()
            ),
            &[],
        );
        assert_eq!(
            (status, header(&headers, "content-type")),
            (200, Some("image/jpeg"))
        );
        for path in [
            "/static/escape/secret.txt",
            "/static/raw/secret.txt",
            "/static/../etc/passwd",
            "/static/%2e%2e/etc/passwd",
            "/static/raw/",
            "/static/raw/none.json",
        ] {
            let (status, _, body) = raw_get(port, path, &[]);
            // nginx resolves `/static/../x` to `/x` before routing: that is the GUI's fallback page.
            let gui_page = body == b"<html>datamill gui</html>";
            assert!(
                matches!(status, 400 | 403 | 404) || (status == 200 && gui_page),
                "{path}: {status}"
            );
            let text = String::from_utf8_lossy(&body);
            assert!(
                !text.contains("outside") && !text.contains("root:"),
                "{path} leaked a file outside the NAS"
            );
        }

        // The GUI with its single-page fallback.
        let (status, _, body) = raw_get(port, "/", &[]);
        assert_eq!(
            (status, body.as_slice()),
            (200, b"<html>datamill gui</html>".as_slice())
        );
        let (status, _, body) = raw_get(port, "/datasets/some/client/route", &[]);
        assert_eq!(
            (status, body.as_slice()),
            (200, b"<html>datamill gui</html>".as_slice())
        );
        let (status, headers, _) = raw_get(port, "/app.js", &[]);
        assert_eq!(status, 200);
        assert!(header(&headers, "content-type").is_some_and(|t| t.contains("javascript")));
    })
    .await
    .unwrap();

    // A write through nginx, seen in the list.
    let client = reqwest::Client::new();
    let created = client
        .post(format!("http://127.0.0.1:{port}/api/v1/dataset-groups"))
        .json(&json!({"name": "through_nginx", "dataset_type": "RAW", "annotation_format": "COCO"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let list: Value = client
        .get(format!("http://127.0.0.1:{port}/api/v1/dataset-groups"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["name"], "through_nginx");

    gateway.stop().await.unwrap();
    registry.stop().await;
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(program))
        .chain(["/usr/sbin", "/sbin"].map(|d| Path::new(d).join(program)))
        .find(|p| p.is_file())
}

#[test]
fn compose_file_is_valid_and_complete() {
    let compose = which("docker-compose").expect(
        "docker-compose is not installed: run scripts/install-test-tools.sh (make test does)",
    );
    let root = repo_root();
    for env_file in [None, Some("deploy/compose.env.example")] {
        let mut command = Command::new(&compose);
        command.current_dir(&root);
        if let Some(file) = env_file {
            command.args(["--env-file", file]);
        }
        let output = command
            .args(["-f", "docker-compose.yml", "config"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "docker-compose config ({env_file:?}): {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8_lossy(&output.stdout);
        for service in [
            "postgres:",
            "dataset-registry:",
            "api-gateway:",
            "pipeline-worker:",
            "eda-worker:",
            "nginx:",
        ] {
            assert!(
                text.contains(&format!("\n  {service}")),
                "service {service} missing"
            );
        }
        assert_eq!(
            text.matches("healthcheck:").count(),
            5,
            "postgres, registry, gateway and both workers have health checks"
        );
        assert!(text.contains("image: postgres:16"), "PostgreSQL 16");
        assert!(text.contains("pgdata:"), "a named volume for PostgreSQL");
        assert!(
            text.contains("/mnt/nas/datasets:ro"),
            "nginx mounts the NAS read-only"
        );
    }
}
