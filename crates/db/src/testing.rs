//! A fresh PostgreSQL database per test, dropped afterwards.

use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{ConnectionTrait, Database};

/// The server tests use: `TEST_DATABASE_URL`, else the local trust-auth server.
#[must_use]
pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn with_database(url: &str, name: &str) -> String {
    // Replace the path (database name) of the URL, keeping its query.
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let prefix = match base.rfind('/') {
        Some(slash) if slash > base.find("://").map_or(0, |p| p + 2) => &base[..slash],
        _ => base,
    };
    match query {
        Some(query) => format!("{prefix}/{name}?{query}"),
        None => format!("{prefix}/{name}"),
    }
}

/// A database that exists until this value is dropped.
#[derive(Debug)]
pub struct TestDatabase {
    pub name: String,
    pub url: String,
    admin: String,
}

impl TestDatabase {
    /// Creates an empty database with a unique name.
    pub async fn create() -> Result<Self, sea_orm::DbErr> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let admin = admin_url();
        let name = format!(
            "datamill_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            uuid::Uuid::new_v4()
                .simple()
                .to_string()
                .get(..8)
                .unwrap_or("x")
        );
        let conn = Database::connect(&admin).await?;
        conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        conn.close().await?;
        Ok(Self {
            url: with_database(&admin, &name),
            name,
            admin,
        })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        // Drop runs inside or outside a runtime; a thread with its own runtime works in both.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(conn) = Database::connect(&admin).await {
                    let _ = conn
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/postgres?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u@h:5432", "x"),
            "postgres://u@h:5432/x"
        );
    }
}

/// A TCP relay in front of PostgreSQL that a test can cut (every open connection and the
/// listener closed, as when the server restarts) and restore on the same port.
#[derive(Debug)]
pub struct Relay {
    /// The local port clients connect to.
    pub port: u16,
    target: String,
    tasks: std::sync::Arc<tokio::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
    acceptor: Option<tokio::task::JoinHandle<()>>,
}

impl Relay {
    /// Relays `127.0.0.1:port` (0: any free port) to `target` (`host:port`).
    pub async fn start(target: String, port: u16) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let port = listener.local_addr()?.port();
        let tasks: std::sync::Arc<tokio::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>> =
            std::sync::Arc::default();
        let inner = std::sync::Arc::clone(&tasks);
        let to = target.clone();
        let acceptor = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let to = to.clone();
                inner.lock().await.push(tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&to).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                }));
            }
        });
        Ok(Self {
            port,
            target,
            tasks,
            acceptor: Some(acceptor),
        })
    }

    /// `url` with its host and port replaced by the relay's.
    #[must_use]
    pub fn relayed(&self, url: &str) -> String {
        url.replacen(&host_port(url), &format!("127.0.0.1:{}", self.port), 1)
    }

    /// Closes the listener and every relayed connection.
    pub async fn cut(&mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            acceptor.abort();
            let _ = acceptor.await;
        }
        for task in self.tasks.lock().await.drain(..) {
            task.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn restore(&mut self) -> std::io::Result<()> {
        let again = Self::start(self.target.clone(), self.port).await?;
        self.tasks = again.tasks;
        self.acceptor = again.acceptor;
        Ok(())
    }
}

/// `host:port` of a PostgreSQL URL (port 5432 when absent).
#[must_use]
pub fn host_port(url: &str) -> String {
    let after_at = url.rsplit('@').next().unwrap_or(url);
    let host = after_at.split('/').next().unwrap_or(after_at);
    if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:5432")
    }
}
