//! Coalesced refreshes of `dataset_group_summary`.
//!
//! Every change to groups or datasets must show in the list, and a caller that changed something
//! expects to see it when its request returns. Refreshing once per change would make a burst of
//! 50 registrations cost 50 refreshes; instead each change takes a ticket and waits until a
//! refresh that *started after* its ticket has finished. One refresh serves every ticket taken
//! while the previous one ran, so a burst costs about two.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio::sync::{Mutex, watch};

#[derive(Debug, Default, Clone, Copy)]
struct Progress {
    requested: u64,
    completed: u64,
    runs: u64,
}

/// Handle to the refresher task; cheap to clone.
#[derive(Debug, Clone)]
pub struct SummaryRefresher {
    progress: Arc<watch::Sender<Progress>>,
    ticket_lock: Arc<Mutex<()>>,
}

/// How long a request waits for the refresh that includes its change before answering anyway
/// (the change is committed; the list catches up with the next refresh).
const WAIT_LIMIT: Duration = Duration::from_secs(15);

impl SummaryRefresher {
    /// Starts the background task on the current runtime.
    #[must_use]
    pub fn spawn(db: DatabaseConnection) -> Self {
        let (sender, mut receiver) = watch::channel(Progress::default());
        let sender = Arc::new(sender);
        let task_sender = Arc::clone(&sender);
        tokio::spawn(async move {
            let mut backoff = Duration::from_millis(200);
            loop {
                let target = {
                    let progress = *receiver.borrow_and_update();
                    if progress.requested <= progress.completed {
                        None
                    } else {
                        Some(progress.requested)
                    }
                };
                let Some(target) = target else {
                    if receiver.changed().await.is_err() {
                        return; // every handle dropped
                    }
                    continue;
                };
                match datamill_db::refresh_group_summary(&db).await {
                    Ok(()) => {
                        backoff = Duration::from_millis(200);
                        task_sender.send_modify(|p| {
                            p.completed = p.completed.max(target);
                            p.runs += 1;
                        });
                    }
                    Err(error) => {
                        tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64,
                            "refreshing dataset_group_summary failed");
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(10));
                    }
                }
            }
        });
        Self {
            progress: sender,
            ticket_lock: Arc::new(Mutex::new(())),
        }
    }

    /// Asks for a refresh and waits until one that started after this call has finished.
    pub async fn refresh(&self) {
        let ticket = {
            let _guard = self.ticket_lock.lock().await;
            let mut ticket = 0;
            self.progress.send_modify(|p| {
                p.requested += 1;
                ticket = p.requested;
            });
            ticket
        };
        let mut receiver = self.progress.subscribe();
        let waited =
            tokio::time::timeout(WAIT_LIMIT, receiver.wait_for(|p| p.completed >= ticket)).await;
        if waited.is_err() {
            tracing::warn!(
                "the dataset list was not refreshed within {WAIT_LIMIT:?}; it will catch up"
            );
        }
    }

    /// Changes that asked for a refresh, and refreshes actually run (for tests and metrics).
    #[must_use]
    pub fn counts(&self) -> (u64, u64) {
        let p = *self.progress.borrow();
        (p.requested, p.runs)
    }
}
