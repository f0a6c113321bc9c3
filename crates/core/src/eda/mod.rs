//! Exploratory data analysis of one dataset version: statistics, health checks and a thumbnail
//! gallery, for every format. What each number means: `docs/eda.md`.
//!
//! * [`analyse`] reads the dataset with its codec (once), computes the statistics of the
//!   annotations ([`annotations`], in parallel), then — unless [`EdaOptions::inspect_images`] is
//!   off — one parallel pass over the image headers (sizes, EXIF orientation, readability; no
//!   decoding of sound files), exact duplicates (files hashed only where size and header
//!   collide) and the intensity histogram of 16-bit images. [`analyse_dataset`] does the same
//!   for a dataset already read.
//! * [`write_gallery`] writes JPEG thumbnails of a deterministic, class-spread choice of images
//!   under `eda/{dataset_id}/gallery/` of the storage.
//!
//! Nothing here speaks HTTP or SQL: the EDA worker stores the [`EdaReport`] in
//! `datasets.metadata` and the API serves it. A corrupt or missing image is a health-check entry,
//! never an error: [`EdaError`] means the dataset cannot be read at all, the run was cancelled,
//! or a thumbnail could not be written.

mod annotations;
mod gallery;
mod images;
mod report;
mod select;

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

pub use gallery::{GalleryOptions, eda_dir, write_gallery};
pub use report::{
    AttributeStats, BoxPoints, BoxSizes, BucketCounts, CentreHeatmap, ClassStats, Cooccurrence,
    CountBin, CountHistogram, DuplicateCheck, DuplicateGroup, EDA_REPORT_VERSION, EdaLimits,
    EdaReport, EdaSummary, ExifCheck, GalleryItem, Health, HealthCheck, HealthExample, Histogram,
    IntensityHistogram, ReaderProblems, ResolutionCount, ResolutionSource, Resolutions,
    SizeBuckets, Thermal, ValueCount, ValueCounts, ValueStats, json_schema,
};

use crate::codecs::{self, CodecError, Dataset, ReadOptions};
use crate::files::Files;
use crate::format::AnnotationFormat;

/// A step of the analysis, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Reading the annotation files (`done`/`total` are 0/1, then 1/1).
    Reading,
    /// The annotation statistics (0/1, then 1/1).
    Annotations,
    /// The image headers (`done` of `total` images).
    Headers,
    /// Hashing files whose size and header collide (`done` of `total` files).
    Duplicates,
    /// Decoding 16-bit images for the intensity histogram.
    Thermal,
    /// Writing thumbnails (`done` of `total` thumbnails).
    Gallery,
}

impl Stage {
    /// A stable lower-case name (`reading`, `headers`, …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Reading => "reading",
            Self::Annotations => "annotations",
            Self::Headers => "headers",
            Self::Duplicates => "duplicates",
            Self::Thermal => "thermal",
            Self::Gallery => "gallery",
        }
    }
}

/// Where progress goes (the CLI's spinner, the worker's database row). Called from several
/// threads, at most every few hundred files.
pub trait Progress: Sync {
    fn update(&self, stage: Stage, done: u64, total: u64);
    /// Asked before each file: `true` stops the run with [`EdaError::Cancelled`].
    fn cancelled(&self) -> bool {
        false
    }
}

impl<F: Fn(Stage, u64, u64) + Sync> Progress for F {
    fn update(&self, stage: Stage, done: u64, total: u64) {
        self(stage, done, total);
    }
}

/// Progress nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&self, _: Stage, _: u64, _: u64) {}
}

/// How to analyse.
#[derive(Debug, Clone)]
pub struct EdaOptions {
    /// How the dataset is read (image sizes are probed for formats that store none).
    pub read: ReadOptions,
    /// Look at the image files: headers, duplicates, thermal statistics. Off, the sections that
    /// need them are `null` and resolutions come from the annotations.
    pub inspect_images: bool,
    pub limits: EdaLimits,
}

impl Default for EdaOptions {
    fn default() -> Self {
        Self {
            read: ReadOptions::default(),
            inspect_images: true,
            limits: EdaLimits::default(),
        }
    }
}

/// Why an analysis stopped. Problems of single images are never errors: they are health checks.
#[derive(Debug, Error)]
pub enum EdaError {
    /// The dataset cannot be read as the format at all.
    #[error("cannot read the dataset: {0}")]
    Read(#[from] CodecError),
    /// [`Progress::cancelled`] said so.
    #[error("the analysis was cancelled")]
    Cancelled,
    /// A thumbnail could not be written to the storage.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// An option out of its range.
    #[error("invalid EDA option: {0}")]
    Options(String),
}

/// Reads the dataset at `dataset_dir` of `files` in `format` and analyses it.
pub fn analyse(
    files: Files<'_>,
    dataset_dir: &Path,
    format: AnnotationFormat,
    options: &EdaOptions,
    progress: &dyn Progress,
) -> Result<EdaReport, EdaError> {
    check(options)?;
    progress.update(Stage::Reading, 0, 1);
    let dataset = codecs::read(files, format, dataset_dir, &options.read)?;
    progress.update(Stage::Reading, 1, 1);
    analyse_dataset(files, format, &dataset, options, progress)
}

fn check(options: &EdaOptions) -> Result<(), EdaError> {
    let grid = options.limits.heatmap_grid;
    if !(1..=1024).contains(&grid) {
        return Err(EdaError::Options(format!(
            "heatmap_grid must be between 1 and 1024, got {grid}"
        )));
    }
    Ok(())
}

/// Analyses a dataset already read (with [`codecs::read`]) from `files`.
pub fn analyse_dataset(
    files: Files<'_>,
    format: AnnotationFormat,
    dataset: &Dataset,
    options: &EdaOptions,
    progress: &dyn Progress,
) -> Result<EdaReport, EdaError> {
    check(options)?;
    let limits = &options.limits;
    let meta = &dataset.meta;
    progress.update(Stage::Annotations, 0, 1);
    let stats = annotations::compute(meta, limits);
    progress.update(Stage::Annotations, 1, 1);

    let scan = if options.inspect_images {
        let paths: Vec<PathBuf> = meta
            .images
            .iter()
            .map(|image| dataset.image_root.join(&image.file_name))
            .collect();
        let probes = images::probe_all(files, &paths, progress)?;
        // Formats that store image sizes can disagree with the files; the others take them
        // from the headers.
        let check_sizes = matches!(format, AnnotationFormat::Coco | AnnotationFormat::AttrJson);
        Some(images::scan(
            files,
            dataset,
            &probes,
            check_sizes,
            limits,
            progress,
        )?)
    } else {
        None
    };

    let (resolutions, thermal, missing, duplicates, exif, unreadable, mismatches) = match scan {
        Some(scan) => (
            scan.resolutions,
            scan.thermal,
            Some(scan.missing_files),
            Some(scan.duplicate_images),
            Some(scan.exif_rotated),
            Some(scan.unreadable_images),
            Some(scan.size_mismatches),
        ),
        None => (
            images::annotated_resolutions(meta, limits),
            None,
            None,
            None,
            None,
            None,
            None,
        ),
    };
    let health = Health {
        images_without_annotations: stats.images_without_annotations,
        missing_files: missing,
        degenerate_boxes: stats.degenerate_boxes,
        out_of_bounds_boxes: stats.out_of_bounds_boxes,
        duplicate_images: duplicates,
        exif_rotated: exif,
        unreadable_images: unreadable,
        size_mismatches: mismatches,
    };
    let health_issues = health.images_without_annotations.count
        + health.missing_files.as_ref().map_or(0, |c| c.count)
        + health.degenerate_boxes.count
        + health.out_of_bounds_boxes.count
        + health.duplicate_images.as_ref().map_or(0, |c| c.count)
        + health.exif_rotated.as_ref().map_or(0, |c| c.count)
        + health.unreadable_images.as_ref().map_or(0, |c| c.count)
        + health.size_mismatches.as_ref().map_or(0, |c| c.count);
    let diagnostics = &dataset.diagnostics;
    let reader = ReaderProblems {
        errors: diagnostics.error_count(),
        warnings: diagnostics.warning_count(),
        by_code: diagnostics
            .counts
            .iter()
            .map(|(code, counts)| {
                let name = serde_json::to_value(code)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_else(|| format!("{code:?}"));
                (name, counts.error + counts.warning + counts.note)
            })
            .collect(),
    };
    let summary = EdaSummary {
        images: meta.images.len() as u64,
        annotations: stats.annotation_types.values().sum(),
        objects: stats.objects,
        classes: meta.categories.len() as u64,
        classes_used: stats.classes.iter().filter(|c| c.instances > 0).count() as u64,
        images_without_annotations: health.images_without_annotations.count,
        crowd_annotations: stats.crowd,
        annotation_types: stats.annotation_types,
        images_inspected: options.inspect_images,
        health_issues,
        reader,
    };
    Ok(EdaReport {
        schema_version: EDA_REPORT_VERSION,
        format,
        limits: *limits,
        summary,
        classes: stats.classes,
        boxes_per_image: stats.boxes_per_image,
        box_sizes: stats.box_sizes,
        size_buckets: stats.size_buckets,
        centre_heatmap: stats.centre_heatmap,
        cooccurrence: stats.cooccurrence,
        resolutions,
        health,
        attributes: stats.attributes,
        thermal,
        gallery: Vec::new(),
    })
}
