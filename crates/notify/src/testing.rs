//! A real SMTP server for tests: aiosmtpd from the project's `.venv` (`make python-env`), storing
//! what it receives in a maildir.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)] // test support: failing loudly is the point

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn python() -> PathBuf {
    let python = std::env::var_os("DATAMILL_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"),
        PathBuf::from,
    );
    assert!(
        python.exists(),
        "{} is missing: run `make python-env` (installs aiosmtpd into .venv)",
        python.display()
    );
    python
}

#[derive(Debug)]
pub struct SmtpServer {
    pub port: u16,
    child: Child,
    maildir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// SMTP settings for a server on `127.0.0.1:port` without TLS, mailing `to`.
#[must_use]
pub fn plain_config(port: u16, to: &str) -> crate::SmtpConfig {
    let mut env = datamill_platform::config::Env::from_pairs([
        ("SMTP_HOST", "127.0.0.1".to_owned()),
        ("SMTP_PORT", port.to_string()),
        ("SMTP_TLS", "none".to_owned()),
        ("SMTP_FROM", "Datamill <datamill@example.com>".to_owned()),
        ("NOTIFY_TO", to.to_owned()),
    ]);
    let config = crate::SmtpConfig::from_env(&mut env);
    env.finish(config).unwrap()
}

#[must_use]
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpServer {
    /// Starts aiosmtpd on a free loopback port and waits until it accepts connections.
    #[must_use]
    pub fn start() -> Self {
        let maildir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer {
            port,
            child,
            maildir,
        }
    }

    /// The SMTP settings for this server (no TLS), mailing `to`.
    #[must_use]
    pub fn config(&self, to: &str) -> crate::SmtpConfig {
        plain_config(self.port, to)
    }

    /// The mails received so far, whole (headers, including aiosmtpd's `X-RcptTo`, and body).
    #[must_use]
    pub fn received(&self) -> Vec<String> {
        received(self.maildir.path())
    }
}

fn received(maildir: &Path) -> Vec<String> {
    let new = maildir.join("mail/new");
    let mut mails: Vec<String> = std::fs::read_dir(new)
        .map(|entries| {
            entries
                .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
                .collect()
        })
        .unwrap_or_default();
    mails.sort();
    mails
}
