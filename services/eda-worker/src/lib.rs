//! The eda-worker: for one dataset version, reads its annotations and image headers from the
//! NAS (through the storage trait), computes the EDA report of `datamill_core::eda` (statistics
//! and health checks), writes a gallery of thumbnails under `eda/{dataset_id}/` and stores the
//! report in `datasets.metadata.eda`, with the run's state and progress in `dataset_eda`.
//!
//! Runs come from the `eda` queue: queued by the registry when a dataset becomes READY (and on
//! `POST /datasets/{id}/eda`), by the pipeline worker for its outputs, and by this worker's own
//! sweep for READY datasets that never had one (registered before EDA existed, or inserted with
//! SQL). A run is idempotent: a redelivered job finds the run ended and does nothing.

pub mod config;
pub mod run;
pub mod service;

pub use config::EdaWorkerConfig;
pub use run::{Context, Outcome, run_eda};
pub use service::{RunningEdaWorker, start, start_with_storage};
