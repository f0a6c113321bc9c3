//! Pipelines through the API: the config's sources resolved against the registry (dataset ids →
//! READY versions with their format, task types, modality and NAS directory), the engine's
//! checks, and the dry run (`POST /pipelines/preview`), which reads the sources through the
//! storage client.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use datamill_core::Files;
use datamill_core::pipeline::{
    self, ConfigProblem, NoProgress, PipelineConfig, PipelineError, ResolveOptions,
    ResolvedPipeline, SourceFacts, Status,
};
use datamill_db::entity::dataset_group;
use datamill_db::types::{DatasetStatus, Split, Version, parse_format};
use datamill_platform::problem::FieldProblem;
use datamill_storage::StoragePath;
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::dto::{
    Execution, ExecutionListQuery, ExecutionPage, NewGroup, PipelineOutput, PipelinePreview,
};
use crate::error::ApiError;
use crate::repo;
use crate::repo::manipulators::CatalogFilter;
use crate::service::Registry;

/// A 422 listing every problem with its JSON path.
fn invalid(problems: Vec<ConfigProblem>) -> ApiError {
    let detail = match problems.as_slice() {
        [one] => format!("the pipeline config is invalid: {one}"),
        many => format!("the pipeline config has {} problems", many.len()),
    };
    ApiError::Invalid {
        code: "PIPELINE_INVALID",
        detail,
        errors: problems
            .into_iter()
            .map(|p| FieldProblem {
                field: p.path,
                message: p.message,
            })
            .collect(),
    }
}

/// A checked pipeline with its sources' directories.
pub(crate) struct Checked {
    pub(crate) resolved: ResolvedPipeline,
    /// Each source's directory in storage (its `storage_uri`).
    pub(crate) dirs: Vec<PathBuf>,
    /// The output group when it exists already.
    pub(crate) group: Option<dataset_group::Model>,
    pub(crate) version: Version,
}

impl Registry {
    /// Parses and checks a config against the registry; every problem becomes a 422 entry.
    pub(crate) async fn check_pipeline(
        &self,
        body: serde_json::Value,
    ) -> Result<Checked, ApiError> {
        let config = PipelineConfig::from_value(body).map_err(invalid)?;
        let mut problems = Vec::new();
        let mut references = Vec::new();
        let mut partial = Vec::new();
        for (index, source) in config.sources.iter().enumerate() {
            let resolved = self.source(index, source, &mut problems).await?;
            references.push(
                resolved
                    .as_ref()
                    .map_or_else(|| format!("source{index}"), |r| r.0.clone()),
            );
            partial.push(resolved);
        }
        let labels = pipeline::resolve::source_labels(&references);
        let mut facts = Vec::new();
        let mut dirs = Vec::new();
        for (resolved, label) in partial.into_iter().zip(labels) {
            let Some((_, format, task_types, modality, dir)) = resolved else {
                continue;
            };
            facts.push(SourceFacts {
                label,
                format,
                task_types,
                modality,
            });
            dirs.push(dir);
        }
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let statuses: BTreeMap<String, Status> =
            repo::manipulators::list(&self.db, &CatalogFilter::default())
                .await?
                .into_iter()
                .filter_map(|m| {
                    let status =
                        serde_json::from_value(serde_json::to_value(m.status).ok()?).ok()?;
                    Some((m.name, status))
                })
                .collect();
        let options = ResolveOptions {
            refuse_experimental: false,
            statuses,
        };
        let resolved = pipeline::resolve(&config, &facts, &options).map_err(invalid)?;

        let group = repo::groups::find_by_name(&self.db, &config.output.group).await?;
        let split: Split = config.output.split.into();
        let version = match (config.output.version, &group) {
            (Some(version), _) => version,
            (None, Some(group)) => repo::datasets::latest_version(&self.db, group.id, split)
                .await?
                .map_or(Version::FIRST, Version::next_patch),
            (None, None) => Version::FIRST,
        };
        Ok(Checked {
            resolved,
            dirs,
            group,
            version,
        })
    }

    /// One source: `(reference, format, task types, modality, directory)`, or `None` with its
    /// problems recorded.
    #[allow(clippy::type_complexity, reason = "a private tuple read right below")]
    async fn source(
        &self,
        index: usize,
        source: &pipeline::SourceSpec,
        problems: &mut Vec<ConfigProblem>,
    ) -> Result<
        Option<(
            String,
            datamill_core::AnnotationFormat,
            Vec<datamill_core::TaskType>,
            datamill_core::Modality,
            PathBuf,
        )>,
        ApiError,
    > {
        let at = format!("$.sources[{index}]");
        let Some(raw) = &source.dataset_id else {
            problems.push(ConfigProblem::new(
                format!("{at}.dataset_id"),
                "give the source's dataset_id (paths are for the local CLI)",
            ));
            return Ok(None);
        };
        let Ok(id) = Uuid::parse_str(raw.trim()) else {
            problems.push(ConfigProblem::new(
                format!("{at}.dataset_id"),
                format!("{raw:?} is not a UUID"),
            ));
            return Ok(None);
        };
        let record = match datamill_db::sources::load(&self.db, id).await {
            Ok(record) => record,
            Err(datamill_db::sources::SourceError::Missing(_)) => {
                problems.push(ConfigProblem::new(
                    format!("{at}.dataset_id"),
                    format!("there is no dataset {id}"),
                ));
                return Ok(None);
            }
            Err(datamill_db::sources::SourceError::Database(error)) => return Err(error.into()),
            Err(error) => return Err(ApiError::Internal(error.to_string())),
        };
        if !record.is_ready() {
            problems.push(ConfigProblem::new(
                format!("{at}.dataset_id"),
                format!(
                    "dataset {id} is {}, not READY; only READY versions can be sources",
                    serde_json::to_value(record.dataset.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                ),
            ));
            return Ok(None);
        }
        let format = record.format;
        if let Some(given) = source.annotation_format
            && given != format
        {
            problems.push(ConfigProblem::new(
                format!("{at}.annotation_format"),
                format!("dataset {id} is {}, not {}", format.title(), given.title()),
            ));
        }
        let (task_types, modality, dataset) = (record.task_types, record.modality, record.dataset);
        let path = StoragePath::parse(&dataset.storage_uri)
            .map(|p| PathBuf::from(p.as_str()))
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(Some((id.to_string(), format, task_types, modality, path)))
    }

    /// The engine's dry run: exact counts, class histogram and report, nothing written.
    pub async fn preview_pipeline(
        &self,
        body: serde_json::Value,
    ) -> Result<PipelinePreview, ApiError> {
        let checked = self.check_pipeline(body).await?;
        let output = &checked.resolved.config.output;
        let storage_uri = format!(
            "{}/{}/{}/{}",
            output.dataset_type.folder(),
            output.group,
            output.split.folder(),
            checked.version
        );
        let output = PipelineOutput {
            group: output.group.clone(),
            group_id: checked.group.as_ref().map(|g| g.id),
            split: output.split.into(),
            version: checked.version,
            storage_uri,
        };
        let storage = Arc::clone(&self.storage);
        let plan = tokio::task::spawn_blocking(move || {
            let files = Files::new(storage.as_ref());
            let loaded = checked
                .resolved
                .sources
                .iter()
                .zip(&checked.dirs)
                .map(|(source, dir)| pipeline::load_source(files, &source.facts, dir))
                .collect::<Result<Vec<_>, _>>()?;
            pipeline::phase_a(files, &checked.resolved, loaded, &NoProgress)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("the dry run stopped: {e}")))?
        .map_err(engine_error)?;
        Ok(PipelinePreview {
            output,
            summary: plan.summary,
            report: serde_json::to_value(&plan.report).unwrap_or_default(),
        })
    }
}

/// Engine failures in Phase A are about the data or the config: 422 with what and where.
fn engine_error(error: PipelineError) -> ApiError {
    match error {
        PipelineError::Invalid(problems) => invalid(problems),
        other => ApiError::Invalid {
            code: "PIPELINE_FAILED",
            detail: other.to_string(),
            errors: Vec::new(),
        },
    }
}

fn execution_dto(model: datamill_db::entity::pipeline_execution::Model) -> Execution {
    Execution {
        id: model.id,
        status: model.status,
        current_stage: model.current_stage,
        processed_count: model.processed_count,
        total_count: model.total_count,
        error_message: model.error_message,
        attempts: model.attempts,
        cancel_requested: model.cancel_requested,
        worker_id: model.worker_id,
        job_id: model.job_id,
        output_dataset_id: model.output_dataset_id,
        output_group_id: model.output_group_id,
        config: model.config,
        report: model.report,
        started_at: model.started_at,
        finished_at: model.finished_at,
        created_at: model.created_at,
        updated_at: model.updated_at,
    }
}

impl Registry {
    /// Checks the config and, in one transaction, creates the output group (when new), the
    /// output dataset (PENDING), the execution (with the config snapshot) and the lineage edges.
    pub async fn submit_pipeline(&self, body: serde_json::Value) -> Result<Execution, ApiError> {
        let checked = self.check_pipeline(body).await?;
        let config = &checked.resolved.config;
        let output = &config.output;
        let dataset_type: datamill_db::types::DatasetType = output.dataset_type.into();
        let split: Split = output.split.into();
        if let Some(group) = &checked.group
            && group.dataset_type != dataset_type
        {
            return Err(invalid(vec![ConfigProblem::new(
                "$.output.dataset_type",
                format!(
                    "the group {} exists and holds {} datasets",
                    group.name,
                    output_type_name(group.dataset_type)
                ),
            )]));
        }
        let txn = self.db.begin().await?;
        let group = match &checked.group {
            Some(group) => group.clone(),
            None => {
                repo::groups::insert(
                    &txn,
                    &NewGroup {
                        name: output.group.clone(),
                        dataset_type,
                        annotation_format: output.annotation_format,
                        task_types: output.task_types.iter().map(|t| (*t).into()).collect(),
                        modality: Some(output.modality.into()),
                        source_origin: Some("pipeline".to_owned()),
                        description: output.description.clone(),
                        extra: None,
                    },
                )
                .await?
            }
        };
        repo::datasets::lock_split(&txn, group.id, split).await?;
        let version = match output.version {
            Some(version) => version,
            None => repo::datasets::latest_version(&txn, group.id, split)
                .await?
                .map_or(Version::FIRST, Version::next_patch),
        };
        let group_format = parse_format(&group.annotation_format)
            .ok_or_else(|| ApiError::Internal("stored group format is unknown".to_owned()))?;
        let storage_uri = format!(
            "{}/{}/{}/{}",
            output.dataset_type.folder(),
            group.name,
            output.split.folder(),
            version
        );
        let record = repo::datasets::NewRecord {
            group_id: group.id,
            split,
            version,
            annotation_format: Some(output.annotation_format).filter(|f| *f != group_format),
            storage_uri,
            status: DatasetStatus::Pending,
            image_count: None,
            class_count: None,
            metadata: serde_json::json!({}),
            description: output.description.clone(),
        };
        let dataset = repo::datasets::insert(&txn, record)
            .await
            .map_err(|error| match error {
                ApiError::Conflict { detail, .. } => {
                    invalid(vec![ConfigProblem::new("$.output.version", detail)])
                }
                other => other,
            })?;
        let mut snapshot = config.clone();
        snapshot.output.version = Some(version);
        let snapshot =
            serde_json::to_value(&snapshot).map_err(|e| ApiError::Internal(e.to_string()))?;
        let execution = repo::executions::insert(&txn, dataset.id, group.id, snapshot).await?;
        // One edge per distinct source version, carrying what was done to it.
        let mut edges: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
        for (index, source) in config.sources.iter().enumerate() {
            if let Some(id) = &source.dataset_id {
                edges
                    .entry(id.trim().to_owned())
                    .or_default()
                    .push(serde_json::json!({
                        "source_index": index,
                        "manipulators": source.manipulators,
                    }));
            }
        }
        for (parent, sources) in edges {
            let parent = Uuid::parse_str(&parent).map_err(|e| ApiError::Internal(e.to_string()))?;
            let transform = serde_json::json!({
                "execution_id": execution.id,
                "sources": sources,
                "post_merge": config.post_merge,
            });
            repo::executions::insert_edge(&txn, parent, dataset.id, transform).await?;
        }
        txn.commit().await?;
        self.refresher.refresh().await;
        // After the commit, so a worker never finds a job without its execution; a failure here
        // leaves the execution PENDING without a job, which the workers' sweep queues.
        let mut execution = execution;
        match datamill_queue::enqueue_pipeline(&self.pool, execution.id).await {
            Ok(job_id) => {
                repo::executions::set_job(&self.db, execution.id, &job_id).await?;
                execution.job_id = Some(job_id);
            }
            Err(error) => {
                tracing::warn!(execution = %execution.id, %error, "not queued yet; the workers' sweep will");
            }
        }
        Ok(execution_dto(execution))
    }

    pub async fn get_execution(&self, id: Uuid) -> Result<Execution, ApiError> {
        Ok(execution_dto(repo::executions::get(&self.db, id).await?))
    }

    pub async fn list_executions(
        &self,
        query: &ExecutionListQuery,
    ) -> Result<ExecutionPage, ApiError> {
        let page = query.page.unwrap_or(1);
        let page_size = query.page_size.unwrap_or(20);
        if page == 0 {
            return Err(ApiError::Problem(crate::service::bad_query(
                "page",
                "pages start at 1".to_owned(),
            )));
        }
        if !(1..=200).contains(&page_size) {
            return Err(ApiError::Problem(crate::service::bad_query(
                "page_size",
                format!("{page_size} is outside 1..=200"),
            )));
        }
        let status = query
            .status
            .as_deref()
            .map(|raw| {
                serde_json::from_value(serde_json::Value::String(raw.trim().to_ascii_uppercase()))
                    .map_err(|_| {
                        ApiError::Problem(crate::service::bad_query(
                            "status",
                            format!(
                                "{raw:?} is not one of PENDING, RUNNING, DONE, FAILED, CANCELLED"
                            ),
                        ))
                    })
            })
            .transpose()?;
        let filter = repo::executions::HistoryFilter {
            status,
            output_group_id: query.output_group_id,
            created_after: query.created_after,
            created_before: query.created_before,
        };
        let (items, total) = repo::executions::list(&self.db, &filter, page, page_size).await?;
        Ok(ExecutionPage {
            items: items.into_iter().map(execution_dto).collect(),
            total,
            page,
            page_size,
        })
    }

    /// A pending execution is cancelled at once (its output dataset becomes ERROR); a running
    /// one is asked to stop at its next image; an ended one is a conflict.
    pub async fn cancel_execution(&self, id: Uuid) -> Result<Execution, ApiError> {
        let txn = self.db.begin().await?;
        let Some(execution) = repo::executions::cancel(&txn, id).await? else {
            let existing = repo::executions::get(&txn, id).await?;
            return Err(ApiError::conflict(
                "EXECUTION_ENDED",
                format!(
                    "execution {id} has ended ({}); only PENDING or RUNNING executions can be cancelled",
                    serde_json::to_value(existing.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                ),
            ));
        };
        if execution.status == datamill_db::types::ExecutionStatus::Cancelled
            && let Some(job) = &execution.job_id
        {
            // A queued job is never fetched once killed; a fetched one finds the execution ended.
            datamill_queue::kill_pending(&self.pool, job)
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))?;
        }
        if execution.status == datamill_db::types::ExecutionStatus::Cancelled
            && let Some(dataset) = execution.output_dataset_id
        {
            let current = repo::datasets::get(&txn, dataset).await?;
            repo::datasets::update(&txn, current, None, Some(DatasetStatus::Error)).await?;
        }
        txn.commit().await?;
        self.refresher.refresh().await;
        Ok(execution_dto(execution))
    }
}

fn output_type_name(dataset_type: datamill_db::types::DatasetType) -> String {
    serde_json::to_value(dataset_type)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
