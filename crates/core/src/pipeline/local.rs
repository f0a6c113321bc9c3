//! Local mode: sources named by their path under a NAS directory, output written to
//! `{nas}/{processed|fusion}/{group}/{split}/{version}/` (what `datamill pipeline run` does, with
//! [`Files::local`]; the service resolves sources through the registry instead).

use std::path::{Path, PathBuf};

use super::config::{ConfigProblem, PipelineConfig};
use super::engine::{self, LoadedSource, PipelineError, Plan, Progress, Stage};
use super::execute::{self, MARKER};
use super::resolve::{self, ResolveOptions, ResolvedPipeline, SourceFacts};
use crate::files::Files;
use crate::version::Version;

/// A pipeline ready to run locally.
#[derive(Debug)]
pub struct LocalPipeline<'a> {
    /// Where `nas` is.
    pub files: Files<'a>,
    pub resolved: ResolvedPipeline,
    /// Each source's dataset directory.
    pub source_dirs: Vec<PathBuf>,
    pub nas: PathBuf,
}

/// Checks a config for local mode against a NAS directory of `files`.
pub fn prepare<'a>(
    files: Files<'a>,
    config: &PipelineConfig,
    nas: &Path,
) -> Result<LocalPipeline<'a>, PipelineError> {
    let mut problems = Vec::new();
    let mut references = Vec::new();
    let mut dirs = Vec::new();
    for (index, source) in config.sources.iter().enumerate() {
        let base = format!("$.sources[{index}]");
        match (&source.path, &source.dataset_id) {
            (Some(path), _) => {
                let clean = path.trim_matches('/');
                if !engine::is_safe_relative(clean) {
                    problems.push(ConfigProblem::new(
                        format!("{base}.path"),
                        format!("`{path}` must be a path inside the NAS (relative, without `..`)"),
                    ));
                } else if !files.is_dir(&nas.join(clean)) {
                    problems.push(ConfigProblem::new(
                        format!("{base}.path"),
                        format!(
                            "there is no dataset directory `{clean}` under {}",
                            nas.display()
                        ),
                    ));
                }
                references.push(clean.to_owned());
                dirs.push(nas.join(clean));
            }
            (None, Some(_)) => {
                problems.push(ConfigProblem::new(
                    format!("{base}.dataset_id"),
                    "sources given by dataset_id need the pipeline service; locally, give `path`",
                ));
                references.push(format!("source{index}"));
                dirs.push(PathBuf::new());
            }
            (None, None) => {
                problems.push(ConfigProblem::new(base.clone(), "give the source's `path`"));
                references.push(format!("source{index}"));
                dirs.push(PathBuf::new());
            }
        }
        if source.annotation_format.is_none() {
            problems.push(ConfigProblem::new(
                format!("{base}.annotation_format"),
                "give the source's annotation_format (COCO, YOLO, VISDRONE, …)",
            ));
        }
    }
    let labels = resolve::source_labels(&references);
    let facts: Vec<SourceFacts> = config
        .sources
        .iter()
        .zip(labels)
        .map(|(source, label)| SourceFacts {
            label,
            format: source
                .annotation_format
                .unwrap_or(config.output.annotation_format),
            task_types: source
                .task_types
                .clone()
                .unwrap_or_else(|| config.output.task_types.clone()),
            modality: source.modality.unwrap_or(config.output.modality),
        })
        .collect();
    let resolved = resolve::resolve(config, &facts, &ResolveOptions::default());
    match resolved {
        Ok(resolved) if problems.is_empty() => Ok(LocalPipeline {
            files,
            resolved,
            source_dirs: dirs,
            nas: nas.to_owned(),
        }),
        Ok(_) => Err(PipelineError::Invalid(problems)),
        Err(more) => {
            problems.extend(more);
            Err(PipelineError::Invalid(problems))
        }
    }
}

impl LocalPipeline<'_> {
    /// Reads the sources and runs Phase A.
    pub fn plan(&self, progress: &dyn Progress) -> Result<Plan, PipelineError> {
        let total = self.source_dirs.len() as u64;
        progress.update(Stage::Loading, 0, total);
        let mut loaded: Vec<LoadedSource> = Vec::with_capacity(self.source_dirs.len());
        for (index, (source, dir)) in self
            .resolved
            .sources
            .iter()
            .zip(&self.source_dirs)
            .enumerate()
        {
            loaded.push(engine::load_source(self.files, &source.facts, dir)?);
            progress.update(Stage::Loading, index as u64 + 1, total);
        }
        engine::phase_a(self.files, &self.resolved, loaded, progress)
    }

    /// The split directory the versions live in.
    #[must_use]
    pub fn split_dir(&self) -> PathBuf {
        let output = &self.resolved.config.output;
        self.nas
            .join(output.dataset_type.folder())
            .join(&output.group)
            .join(output.split.folder())
    }

    /// The output directory: the configured version, or the unfinished run of this plan, or the
    /// next patch version after the highest one there (v1.0.0 for a new split).
    #[must_use]
    pub fn output_dir(&self, plan: &Plan) -> (Version, PathBuf) {
        let split_dir = self.split_dir();
        if let Some(version) = self.resolved.config.output.version {
            return (version, split_dir.join(version.to_string()));
        }
        let mut versions: Vec<Version> = self
            .files
            .list(&split_dir)
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.name.parse().ok())
            .collect();
        versions.sort_unstable();
        if let Some(&last) = versions.last() {
            let dir = split_dir.join(last.to_string());
            // A run killed between creating the directory and writing its marker leaves it empty.
            let empty = self
                .files
                .list(&dir)
                .is_ok_and(|entries| entries.is_empty());
            if empty
                || self.files.is_file(&dir.join(MARKER))
                    && execute::is_resumable(self.files, plan, &dir)
            {
                return (last, dir);
            }
            let next = last.next_patch();
            return (next, split_dir.join(next.to_string()));
        }
        (Version::FIRST, split_dir.join(Version::FIRST.to_string()))
    }
}
