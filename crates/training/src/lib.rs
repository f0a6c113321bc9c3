//! Release 2's training interfaces, defined now so that the platform's shape does not change when
//! training arrives: a [`TrainingExecutor`] runs training jobs (Docker or Kubernetes, see
//! `docs/training.md`), a [`GpuResourceManager`] knows which GPUs are free and hands them to jobs.
//!
//! [`NvidiaSmiGpuManager`] is the real GPU manager: it asks `nvidia-smi` for the GPUs and records
//! reservations in the release-2 table `training_jobs.gpu_ids`, so that every process sharing the
//! database agrees on who holds which GPU.

mod nvidia_smi;

use std::future::Future;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

pub use nvidia_smi::{NvidiaSmiGpuManager, QUERY_FIELDS, parse_csv};

/// One GPU as the driver reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gpu {
    /// The driver's index (`CUDA_VISIBLE_DEVICES` numbering with the default PCI order).
    pub index: u32,
    /// `GPU-…`: stable across reboots, unlike the index.
    pub uuid: String,
    pub name: String,
    pub memory_total_mib: Option<u64>,
    /// `None` when the driver says `[N/A]` or `[Not Supported]`.
    pub memory_used_mib: Option<u64>,
    pub utilization_percent: Option<u32>,
}

/// What a training job asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingJobSpec {
    /// The `training_jobs` row the run belongs to.
    pub job_id: Uuid,
    /// The container image that trains.
    pub image: String,
    pub command: Vec<String>,
    pub env: Vec<(String, String)>,
    pub gpu_count: u32,
    /// Dataset versions mounted read-only (NAS paths relative to the storage base).
    pub datasets: Vec<String>,
}

/// Where a training job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TrainingJobStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// A job as an executor knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingJobHandle {
    pub job_id: Uuid,
    /// The executor's own id (a container id, a Kubernetes Job name).
    pub external_id: String,
}

/// Why a training or GPU call failed.
#[derive(Debug, Error)]
pub enum TrainingError {
    #[error("cannot run {command}: {source}")]
    Command {
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{command} exited with {status}: {stderr}")]
    CommandFailed {
        command: String,
        status: String,
        stderr: String,
    },
    #[error("nvidia-smi output, line {line}: {message}")]
    Parse { line: usize, message: String },
    #[error("{wanted} GPU(s) wanted but only {free} free")]
    NotEnoughGpus { wanted: u32, free: u32 },
    #[error("training job {0} does not exist")]
    UnknownJob(Uuid),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("not available before release 2: {0}")]
    NotImplemented(&'static str),
}

/// Runs training jobs somewhere (release 2: `DockerExecutor`, `KubernetesExecutor`).
pub trait TrainingExecutor: Send + Sync {
    fn submit_job(
        &self,
        spec: &TrainingJobSpec,
    ) -> impl Future<Output = Result<TrainingJobHandle, TrainingError>> + Send;
    fn get_job_status(
        &self,
        handle: &TrainingJobHandle,
    ) -> impl Future<Output = Result<TrainingJobStatus, TrainingError>> + Send;
    fn cancel_job(
        &self,
        handle: &TrainingJobHandle,
    ) -> impl Future<Output = Result<(), TrainingError>> + Send;
}

/// Knows the machine's GPUs and who holds them.
pub trait GpuResourceManager: Send + Sync {
    /// GPUs no running job holds.
    fn get_available_gpus(&self) -> impl Future<Output = Result<Vec<Gpu>, TrainingError>> + Send;
    /// Gives `count` free GPUs to `job_id` (all or none) and returns their indices.
    fn reserve_gpus(
        &self,
        job_id: Uuid,
        count: u32,
    ) -> impl Future<Output = Result<Vec<u32>, TrainingError>> + Send;
    /// Returns the job's GPUs.
    fn release_gpus(&self, job_id: Uuid) -> impl Future<Output = Result<(), TrainingError>> + Send;
}

/// The work order's spelling of [`GpuResourceManager`].
pub use GpuResourceManager as GPUResourceManager;
