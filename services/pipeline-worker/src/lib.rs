//! The pipeline worker: runs one pipeline execution end to end — the config's sources resolved
//! from the registry's tables, the engine's Phase A and Phase B, progress written to
//! `pipeline_executions` at a bounded rate, cancel at an image boundary, and the output dataset
//! made READY with its counts (or the execution FAILED with a message a person can act on).
//!
//! [`run::run_execution`] is idempotent and resumable: run again after a crash, it picks up where
//! the files on the NAS say the last attempt stopped.

pub mod config;
pub mod run;
pub mod service;

pub use config::WorkerConfig;
pub use run::{Context, Outcome, RunError, run_execution};
pub use service::{RunningWorker, start, start_with_storage};
