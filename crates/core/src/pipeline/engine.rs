//! Phase A and the image plan.
//!
//! Phase A runs every step's `transform_annotation` on the annotations alone (no pixel is
//! read), collecting each image's pixel operations from `build_image_manipulation` on the way.
//! Its result, a [`Plan`], fixes the output completely: the final annotations, and for every
//! image where it comes from, where it goes and what happens to its pixels. A dry run stops here;
//! [`execute`](super::execute) carries the plan out.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::config::ConfigProblem;
use super::manipulator::{
    AnnotationInput, ImageContext, ImageManipulationSpec, SourceLabel, TransformContext,
};
use super::manipulators::MERGE_NAME;
use super::report::{PipelineReport, StepSummary};
use super::resolve::{ResolvedPipeline, ResolvedStep, SourceFacts};
use crate::codecs::{self, CodecError, ReadOptions, WriteOptions};
use crate::files::Files;
use crate::format::AnnotationFormat;
use crate::model::DatasetMeta;
use crate::report::Counts;

/// Where a pipeline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading the sources' annotations.
    Loading,
    /// Phase A: running the chains.
    Transforming,
    /// Writing the output's annotation files.
    Annotations,
    /// Phase B: placing the images.
    Images,
    Done,
}

impl Stage {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Loading => "loading",
            Self::Transforming => "transforming",
            Self::Annotations => "annotations",
            Self::Images => "images",
            Self::Done => "done",
        }
    }
}

/// Where progress goes (the CLI's bar, the worker's database row). Called from several threads.
pub trait Progress: Sync {
    fn update(&self, stage: Stage, done: u64, total: u64);
    /// Asked before each image: `true` stops the run at that image boundary.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Progress nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&self, _: Stage, _: u64, _: u64) {}
}

/// Why a pipeline stopped.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("the pipeline config is invalid:\n{}", list(.0))]
    Invalid(Vec<ConfigProblem>),
    #[error("cannot read source {reference}: {source}")]
    Load {
        reference: String,
        #[source]
        source: CodecError,
    },
    #[error("{step} ({manipulator}) failed: {message}")]
    Step {
        step: String,
        manipulator: String,
        message: String,
    },
    #[error("the image plan is impossible: {0}")]
    Plan(String),
    #[error("image `{destination}` (from {}): {message}", source_path.display())]
    Image {
        destination: String,
        source_path: PathBuf,
        message: String,
    },
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("output {}: {message}", path.display())]
    Output { path: PathBuf, message: String },
    #[error(transparent)]
    Write(CodecError),
    #[error("cancelled")]
    Cancelled,
}

impl PipelineError {
    /// Whether running again may succeed without a change (storage hiccups), as opposed to a
    /// problem with the data or the config that will fail the same way every time.
    #[must_use]
    pub fn is_transient(&self) -> bool {
        match self {
            // InvalidInput: a path the storage refuses (`..`, outside the base).
            Self::Io { source, .. } => !matches!(
                source.kind(),
                std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::PermissionDenied
                    | std::io::ErrorKind::InvalidData
                    | std::io::ErrorKind::InvalidInput
                    | std::io::ErrorKind::IsADirectory
                    | std::io::ErrorKind::NotADirectory
            ),
            Self::Load {
                source: CodecError::Read { source, .. },
                ..
            } => !matches!(source.kind(), std::io::ErrorKind::NotFound),
            Self::Write(CodecError::Write { .. }) => true,
            _ => false,
        }
    }
}

fn list(problems: &[ConfigProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A source's annotations as read, and where its images are.
#[derive(Debug, Clone)]
pub struct LoadedSource {
    pub meta: DatasetMeta,
    /// The directory the records' `origin.path`s are relative to (in the storage it was read from).
    pub image_root: PathBuf,
}

/// Reads a source dataset directory of `files`, recording its reference as every image's origin.
pub fn load_source(
    files: Files<'_>,
    facts: &SourceFacts,
    dir: &Path,
) -> Result<LoadedSource, PipelineError> {
    let options = ReadOptions {
        origin: Some(facts.label.reference.clone()),
        ..ReadOptions::default()
    };
    let dataset =
        codecs::read(files, facts.format, dir, &options).map_err(|source| PipelineError::Load {
            reference: facts.label.reference.clone(),
            source,
        })?;
    Ok(LoadedSource {
        meta: dataset.meta,
        image_root: dataset.image_root,
    })
}

/// One image of the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImagePlan {
    /// The source file (in the storage the sources were read from).
    pub source: PathBuf,
    /// Path under the output's `images/`, `/`-separated.
    pub destination: String,
    /// Pixel operations in order; empty: a plain copy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ops: Vec<ImageManipulationSpec>,
}

/// Images and annotations of one class in the output.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassTally {
    pub name: String,
    pub annotations: u64,
    pub images: u64,
}

/// The output's counts, exact, before a single image is written.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub images: u64,
    pub annotations: u64,
    pub categories: u64,
    /// Per class in category order.
    pub classes: Vec<ClassTally>,
    /// Images copied (or linked) as they are.
    pub images_copied: u64,
    /// Images decoded, changed and encoded.
    pub images_transformed: u64,
}

/// Everything Phase A decided.
#[derive(Debug, Clone)]
pub struct Plan {
    pub meta: DatasetMeta,
    pub format: AnnotationFormat,
    pub write: WriteOptions,
    pub report: PipelineReport,
    pub images: Vec<ImagePlan>,
    pub summary: PlanSummary,
}

/// Runs Phase A on the loaded sources (in config order) and plans the images. Reads no pixels;
/// `files` (the sources' storage) is read for image headers only, where a step needs 8-bit images.
pub fn phase_a(
    files: Files<'_>,
    pipeline: &ResolvedPipeline,
    loaded: Vec<LoadedSource>,
    progress: &dyn Progress,
) -> Result<Plan, PipelineError> {
    let output_format = pipeline.config.output.annotation_format;
    let labels = pipeline.labels();
    let mut report = PipelineReport::new(output_format);
    report.conversion.input = Counts {
        images: loaded.iter().map(|s| s.meta.images.len() as u64).sum(),
        annotations: loaded
            .iter()
            .map(|s| s.meta.annotation_count() as u64)
            .sum(),
        categories: loaded.iter().map(|s| s.meta.categories.len() as u64).sum(),
    };
    let mut write = WriteOptions::default();
    let mut ops: HashMap<(usize, String), Vec<ImageManipulationSpec>> = HashMap::new();
    let total_steps = pipeline
        .sources
        .iter()
        .map(|s| s.steps.len())
        .sum::<usize>()
        + pipeline.post_merge.len();
    let mut steps_done = 0u64;
    progress.update(Stage::Transforming, 0, total_steps as u64);

    let roots: Vec<PathBuf> = loaded.iter().map(|s| s.image_root.clone()).collect();
    let mut metas = Vec::with_capacity(loaded.len());
    for (source, loaded) in pipeline.sources.iter().zip(loaded) {
        check_bit_depth(files, source, &loaded)?;
        let mut meta = loaded.meta;
        let mut format = source.facts.format;
        for step in &source.steps {
            meta = run_step(
                step,
                AnnotationInput::One(meta),
                &labels,
                &mut format,
                &mut write,
                &mut report,
                &mut ops,
            )?;
            steps_done += 1;
            progress.update(Stage::Transforming, steps_done, total_steps as u64);
        }
        metas.push(meta);
    }

    let mut format = output_format;
    let mut input = AnnotationInput::Many(metas);
    for step in &pipeline.post_merge {
        let given = if step.name == MERGE_NAME {
            input
        } else {
            AnnotationInput::One(
                input
                    .into_one(step.name)
                    .map_err(|e| step_error(step, e.message))?,
            )
        };
        input = AnnotationInput::One(run_step(
            step,
            given,
            &labels,
            &mut format,
            &mut write,
            &mut report,
            &mut ops,
        )?);
        steps_done += 1;
        progress.update(Stage::Transforming, steps_done, total_steps as u64);
    }
    let mut meta = input
        .into_one("the pipeline")
        .map_err(|e| PipelineError::Plan(e.message))?;
    meta.source.format = Some(output_format);

    let images = plan_images(&meta, &labels, &roots, &mut ops)?;
    let summary = summarise(&meta, &images);
    report.conversion.output = Counts {
        images: summary.images,
        annotations: summary.annotations,
        categories: summary.categories,
    };
    Ok(Plan {
        meta,
        format: output_format,
        write,
        report,
        images,
        summary,
    })
}

fn step_error(step: &ResolvedStep, message: String) -> PipelineError {
    PipelineError::Step {
        step: step.path.clone(),
        manipulator: step.name.to_owned(),
        message,
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "the engine's state, threaded through one step"
)]
fn run_step(
    step: &ResolvedStep,
    input: AnnotationInput,
    labels: &[SourceLabel],
    format: &mut AnnotationFormat,
    write: &mut WriteOptions,
    report: &mut PipelineReport,
    ops: &mut HashMap<(usize, String), Vec<ImageManipulationSpec>>,
) -> Result<DatasetMeta, PipelineError> {
    let info = step.step.info();
    let (images_in, annotations_in) = match &input {
        AnnotationInput::One(meta) => (meta.images.len(), meta.annotation_count()),
        AnnotationInput::Many(metas) => (
            metas.iter().map(|m| m.images.len()).sum(),
            metas.iter().map(DatasetMeta::annotation_count).sum(),
        ),
    };
    if info.changes_pixels {
        let metas: Vec<&DatasetMeta> = match &input {
            AnnotationInput::One(meta) => vec![meta],
            AnnotationInput::Many(metas) => metas.iter().collect(),
        };
        for meta in metas {
            let context = ImageContext {
                categories: &meta.categories,
            };
            for image in &meta.images {
                let image_ops = step.step.image_ops(image, &context);
                if image_ops.is_empty() {
                    continue;
                }
                let key = origin_key(image, labels).ok_or_else(|| {
                    step_error(
                        step,
                        format!("image `{}` has lost its origin", image.file_name),
                    )
                })?;
                ops.entry(key).or_default().extend(image_ops);
            }
        }
    }
    let mut context = TransformContext {
        step_path: &step.path,
        sources: labels,
        format: *format,
        write,
        report,
    };
    let meta = step
        .step
        .transform(input, &mut context)
        .map_err(|e| step_error(step, e.message))?;
    if let Some(output) = info.output_format {
        *format = output;
    }
    report.steps.push(StepSummary {
        step: step.path.clone(),
        manipulator: step.name.to_owned(),
        images_in: images_in as u64,
        images_out: meta.images.len() as u64,
        annotations_in: annotations_in as u64,
        annotations_out: meta.annotation_count() as u64,
        categories_out: meta.categories.len() as u64,
    });
    Ok(meta)
}

fn origin_key(
    image: &crate::model::ImageRecord,
    labels: &[SourceLabel],
) -> Option<(usize, String)> {
    let origin = image.origin.as_ref()?;
    let source = labels.iter().position(|l| l.reference == origin.dataset)?;
    Some((source, origin.path.clone()))
}

/// JPEG holds 8 bits per sample: a chain that re-encodes as JPEG is refused for a source with
/// 16-bit images (thermal PNG/TIFF) before anything is written. Only PNG and TIFF headers are
/// read; a 12-bit JPEG is rare enough to be caught when it is decoded.
fn check_bit_depth(
    files: Files<'_>,
    source: &super::resolve::ResolvedSource,
    loaded: &LoadedSource,
) -> Result<(), PipelineError> {
    let Some(step) = source
        .steps
        .iter()
        .find(|s| s.step.info().needs_8bit_images)
    else {
        return Ok(());
    };
    let deep: Vec<&str> = loaded
        .meta
        .images
        .par_iter()
        .filter_map(|image| {
            let path = image
                .origin
                .as_ref()
                .map_or(image.file_name.as_str(), |o| o.path.as_str());
            if !has_extension(path, &["png", "tif", "tiff"]) {
                return None;
            }
            let header = files
                .read_range(&loaded.image_root.join(path), 0, 4096)
                .ok()?;
            (datamill_imaging::bit_depth(&header)? > 8).then_some(path)
        })
        .collect();
    if deep.is_empty() {
        return Ok(());
    }
    let mut examples: Vec<&str> = deep.clone();
    examples.sort_unstable();
    examples.truncate(3);
    Err(PipelineError::Invalid(vec![ConfigProblem::new(
        format!("{}.name", step.path),
        format!(
            "{} re-encodes as JPEG, which holds 8 bits per sample, but {} images of {} are 16-bit (e.g. {}); remove it from this source's chain",
            step.name,
            deep.len(),
            source.facts.label.reference,
            examples.join(", ")
        ),
    )]))
}

/// Whether the file name ends in one of these extensions (any case).
pub(crate) fn has_extension(name: &str, extensions: &[&str]) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

fn plan_images(
    meta: &DatasetMeta,
    labels: &[SourceLabel],
    roots: &[PathBuf],
    ops: &mut HashMap<(usize, String), Vec<ImageManipulationSpec>>,
) -> Result<Vec<ImagePlan>, PipelineError> {
    let mut destinations: HashSet<&str> = HashSet::with_capacity(meta.images.len());
    let mut images = Vec::with_capacity(meta.images.len());
    for image in &meta.images {
        let key = origin_key(image, labels).ok_or_else(|| {
            PipelineError::Plan(format!("image `{}` has no known source", image.file_name))
        })?;
        if !is_safe_relative(&image.file_name) {
            return Err(PipelineError::Plan(format!(
                "image file name `{}` would be written outside images/ (absolute, `..` or empty parts)",
                image.file_name
            )));
        }
        if !destinations.insert(&image.file_name) {
            return Err(PipelineError::Plan(format!(
                "two images would be written to images/{}; rename one in the source or add a merge",
                image.file_name
            )));
        }
        let source = roots[key.0].join(&key.1);
        images.push(ImagePlan {
            source,
            destination: image.file_name.clone(),
            ops: ops.remove(&key).unwrap_or_default(),
        });
    }
    Ok(images)
}

/// A `/`-separated relative path with no empty, `.` or `..` parts.
pub(crate) fn is_safe_relative(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains('\0')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

fn summarise(meta: &DatasetMeta, images: &[ImagePlan]) -> PlanSummary {
    let mut tallies: BTreeMap<crate::model::CategoryId, (u64, u64)> = BTreeMap::new();
    for image in &meta.images {
        let mut seen = HashSet::new();
        for annotation in &image.annotations {
            if let Some(id) = annotation.category_id {
                let entry = tallies.entry(id).or_default();
                entry.0 += 1;
                if seen.insert(id) {
                    entry.1 += 1;
                }
            }
        }
    }
    let classes = meta
        .categories
        .iter()
        .map(|c| {
            let (annotations, images) = tallies.get(&c.id).copied().unwrap_or_default();
            ClassTally {
                name: c.name.clone(),
                annotations,
                images,
            }
        })
        .collect();
    let transformed = images.iter().filter(|i| !i.ops.is_empty()).count() as u64;
    PlanSummary {
        images: meta.images.len() as u64,
        annotations: meta.annotation_count() as u64,
        categories: meta.categories.len() as u64,
        classes,
        images_copied: images.len() as u64 - transformed,
        images_transformed: transformed,
    }
}
