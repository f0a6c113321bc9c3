//! GPUs from `nvidia-smi --query-gpu=… --format=csv`, reservations in `training_jobs.gpu_ids`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use sqlx::PgPool;
use uuid::Uuid;

use crate::{Gpu, GpuResourceManager, TrainingError};

/// The fields asked for, in this order (also the column order of `noheader` output).
pub const QUERY_FIELDS: [&str; 6] = [
    "index",
    "uuid",
    "name",
    "memory.total",
    "memory.used",
    "utilization.gpu",
];

/// Serialises reservations across processes: two jobs reserving at once must not both see a GPU
/// as free.
const RESERVATION_LOCK_KEY: i64 = 0x4450_5552_4553_5256; // "GPURESRV"

/// Parses nvidia-smi's CSV: with or without the header line (`noheader`), with or without units
/// (`nounits`), `[N/A]` and `[Not Supported]` as unknown, CRLF line ends, and "No devices were
/// found" as no GPU. Columns are found by the header's names when there is one, else they are
/// [`QUERY_FIELDS`] in order.
pub fn parse_csv(text: &str) -> Result<Vec<Gpu>, TrainingError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty())
        .peekable();
    if lines
        .peek()
        .is_some_and(|(_, line)| line.starts_with("No devices were found"))
    {
        return Ok(Vec::new());
    }
    let columns: Vec<String> = match lines.peek() {
        Some((_, first)) if first.starts_with("index") => {
            let header = first
                .split(',')
                .map(|name| {
                    name.trim()
                        .split(" [")
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect();
            lines.next();
            header
        }
        _ => QUERY_FIELDS.iter().map(|&f| f.to_owned()).collect(),
    };
    let position = |field: &str| columns.iter().position(|c| c == field);
    let required = |field: &str| {
        position(field).ok_or_else(|| TrainingError::Parse {
            line: 1,
            message: format!("no `{field}` column in the header {columns:?}"),
        })
    };
    let (index_at, uuid_at, name_at) = (required("index")?, required("uuid")?, required("name")?);
    let total_at = position("memory.total");
    let used_at = position("memory.used");
    let utilization_at = position("utilization.gpu");

    lines
        .map(|(line, text)| {
            let values: Vec<&str> = text.split(',').map(str::trim).collect();
            if values.len() != columns.len() {
                return Err(TrainingError::Parse {
                    line,
                    message: format!(
                        "{} values for {} columns in {text:?}",
                        values.len(),
                        columns.len()
                    ),
                });
            }
            let index = values[index_at]
                .parse::<u32>()
                .map_err(|_| TrainingError::Parse {
                    line,
                    message: format!("index {:?} is not a number", values[index_at]),
                })?;
            let number = |at: Option<usize>, field: &str| -> Result<Option<u64>, TrainingError> {
                let Some(raw) = at.map(|at| values[at]) else {
                    return Ok(None);
                };
                if raw.starts_with('[') {
                    return Ok(None);
                }
                let digits = raw.trim_end_matches("MiB").trim_end_matches('%').trim_end();
                digits
                    .parse::<u64>()
                    .map(Some)
                    .map_err(|_| TrainingError::Parse {
                        line,
                        message: format!("{field} {raw:?} is not a number"),
                    })
            };
            Ok(Gpu {
                index,
                uuid: values[uuid_at].to_owned(),
                name: values[name_at].to_owned(),
                memory_total_mib: number(total_at, "memory.total")?,
                memory_used_mib: number(used_at, "memory.used")?,
                utilization_percent: number(utilization_at, "utilization.gpu")?
                    .map(|u| u32::try_from(u).unwrap_or(u32::MAX)),
            })
        })
        .collect()
}

/// The GPUs of this machine by `nvidia-smi`, reserved through the release-2 tables.
#[derive(Debug, Clone)]
pub struct NvidiaSmiGpuManager {
    command: PathBuf,
    pool: PgPool,
}

impl NvidiaSmiGpuManager {
    /// `nvidia-smi` from `PATH`.
    #[must_use]
    pub fn new(pool: PgPool) -> Self {
        Self::with_command(pool, "nvidia-smi")
    }

    /// Another `nvidia-smi` (a full path in a container image).
    #[must_use]
    pub fn with_command(pool: PgPool, command: impl Into<PathBuf>) -> Self {
        Self {
            command: command.into(),
            pool,
        }
    }

    /// Every GPU the driver sees, held or not.
    pub async fn all_gpus(&self) -> Result<Vec<Gpu>, TrainingError> {
        let command = self.command.display().to_string();
        let output = tokio::process::Command::new(&self.command)
            .arg(format!("--query-gpu={}", QUERY_FIELDS.join(",")))
            .arg("--format=csv")
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|source| TrainingError::Command {
                command: command.clone(),
                source,
            })?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        // nvidia-smi exits non-zero when there is no GPU; that is an answer, not a failure.
        if output.status.success() || stdout.contains("No devices were found") {
            return parse_csv(&stdout);
        }
        Err(TrainingError::CommandFailed {
            command,
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }

    async fn held(
        connection: &mut sqlx::PgConnection,
        except: Option<Uuid>,
    ) -> Result<BTreeSet<u32>, TrainingError> {
        let rows: Vec<serde_json::Value> = sqlx::query_scalar(
            "SELECT gpu_ids FROM training_jobs \
             WHERE finished_at IS NULL AND ($1::uuid IS NULL OR id <> $1)",
        )
        .bind(except)
        .fetch_all(connection)
        .await?;
        Ok(rows
            .iter()
            .filter_map(serde_json::Value::as_array)
            .flatten()
            .filter_map(serde_json::Value::as_u64)
            .filter_map(|index| u32::try_from(index).ok())
            .collect())
    }
}

impl GpuResourceManager for NvidiaSmiGpuManager {
    async fn get_available_gpus(&self) -> Result<Vec<Gpu>, TrainingError> {
        let gpus = self.all_gpus().await?;
        let mut connection = self.pool.acquire().await?;
        let held = Self::held(&mut connection, None).await?;
        Ok(gpus
            .into_iter()
            .filter(|gpu| !held.contains(&gpu.index))
            .collect())
    }

    async fn reserve_gpus(&self, job_id: Uuid, count: u32) -> Result<Vec<u32>, TrainingError> {
        let gpus = self.all_gpus().await?;
        let mut transaction = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(RESERVATION_LOCK_KEY)
            .execute(&mut *transaction)
            .await?;
        let held = Self::held(&mut transaction, Some(job_id)).await?;
        let mut free: Vec<&Gpu> = gpus
            .iter()
            .filter(|gpu| !held.contains(&gpu.index))
            .collect();
        if free.len() < count as usize {
            return Err(TrainingError::NotEnoughGpus {
                wanted: count,
                free: u32::try_from(free.len()).unwrap_or(u32::MAX),
            });
        }
        // Least used memory first: a GPU someone uses outside Datamill is taken last.
        free.sort_by_key(|gpu| (gpu.memory_used_mib.unwrap_or(u64::MAX), gpu.index));
        let mut chosen: Vec<u32> = free
            .iter()
            .take(count as usize)
            .map(|gpu| gpu.index)
            .collect();
        chosen.sort_unstable();
        let updated = sqlx::query(
            "UPDATE training_jobs SET gpu_ids = $2, started_at = COALESCE(started_at, now()) \
             WHERE id = $1 AND finished_at IS NULL",
        )
        .bind(job_id)
        .bind(serde_json::json!(chosen))
        .execute(&mut *transaction)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(TrainingError::UnknownJob(job_id));
        }
        transaction.commit().await?;
        Ok(chosen)
    }

    async fn release_gpus(&self, job_id: Uuid) -> Result<(), TrainingError> {
        let updated = sqlx::query("UPDATE training_jobs SET gpu_ids = '[]'::jsonb WHERE id = $1")
            .bind(job_id)
            .execute(&self.pool)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(TrainingError::UnknownJob(job_id));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("fixture")
    }

    #[test]
    fn header_and_units() {
        let gpus = parse_csv(&fixture("a100x4.csv")).unwrap();
        assert_eq!(gpus.len(), 4);
        assert_eq!(
            gpus[1],
            Gpu {
                index: 1,
                uuid: "GPU-7c0d2a51-93be-2f44-1a7e-0b5e3d9c8f12".to_owned(),
                name: "NVIDIA A100-SXM4-40GB".to_owned(),
                memory_total_mib: Some(40960),
                memory_used_mib: Some(30211),
                utilization_percent: Some(97),
            }
        );
    }

    #[test]
    fn unknown_values_crlf_and_noheader() {
        let gpus = parse_csv(&fixture("geforce_not_supported.csv")).unwrap();
        assert_eq!(gpus[0].utilization_percent, None);
        assert_eq!(gpus[0].memory_used_mib, Some(1234));
        assert_eq!(gpus[1].memory_used_mib, None);
        assert_eq!(gpus[1].name, "NVIDIA GeForce GTX 1080 Ti");
        let t4 = parse_csv(&fixture("t4_crlf.csv")).unwrap();
        assert_eq!(t4.len(), 1);
        assert_eq!(t4[0].utilization_percent, Some(0));
        let h100 = parse_csv(&fixture("noheader_nounits.csv")).unwrap();
        assert_eq!(h100[1].memory_used_mib, Some(18560));
        assert_eq!(h100[1].utilization_percent, Some(64));
        assert_eq!(parse_csv(&fixture("no_devices.txt")).unwrap(), Vec::new());
        assert_eq!(parse_csv("").unwrap(), Vec::new());
    }

    #[test]
    fn malformed_output_names_the_line() {
        let error = parse_csv("index, uuid, name\n0, GPU-1, A, extra\n").unwrap_err();
        assert!(error.to_string().contains("line 2"), "{error}");
        let error = parse_csv("index, uuid, name\nzero, GPU-1, A\n").unwrap_err();
        assert!(error.to_string().contains("index \"zero\""), "{error}");
        let error = parse_csv("index, name\n0, A\n").unwrap_err();
        assert!(error.to_string().contains("uuid"), "{error}");
    }
}
