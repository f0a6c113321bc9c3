//! Phase B: carrying a [`Plan`] out into an output directory, every file through [`Files`].
//!
//! Order matters for resuming: a marker file (`.datamill-pipeline.json`, holding the plan's
//! fingerprint) is written first, then the annotation files, then the images, in parallel; the
//! marker is removed last. A run that finds its own marker resumes: the annotation files are
//! written again (they are deterministic, so a half-written one is simply replaced) and every
//! image already in place is skipped. Nothing is written outside the output directory.
//!
//! A transformed image is decoded once, all its operations applied in order, encoded once
//! ([`datamill_imaging`]), and written whole by the storage without overwriting (the local one
//! stages it as an anonymous `O_TMPFILE` file and links it into place, or renames a temporary
//! file where the filesystem has no `O_TMPFILE`): it only ever appears complete.
//!
//! A copy-only image is copied by the storage, which clones it where the filesystem can (reflink)
//! and copies with `copy_file_range` otherwise, or hard-linked when asked (a copy where it cannot
//! link). Copies go straight to their final name ([`WriteOptions::atomic`] off): staging every
//! copy would cost two journal updates per image on ext4. A clone or link is atomic; a copy
//! interrupted by a kill is shorter than its source, which is how a rerun recognises it (see
//! `place_one`).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use datamill_imaging::{OutputEncoding, PixelOp, Request};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::engine::{ImagePlan, PipelineError, Plan, Progress, Stage};
use super::manipulator::{ImageManipulationSpec, Region};
use crate::codecs;
use crate::files::{Files, LinkKind, WriteOptions};

/// The marker of an unfinished run, inside the output directory.
pub const MARKER: &str = ".datamill-pipeline.json";
/// The pipeline's report, written into the output with the annotations.
pub const REPORT_FILE: &str = "pipeline_report.json";

/// How Phase B runs.
#[derive(Debug, Clone)]
pub struct ExecuteOptions {
    /// Worker threads; 0 = one per core.
    pub threads: usize,
    /// Hard-link copy-only images instead of copying them (where the storage can link; the output
    /// then shares the source's files). Otherwise they are cloned where the filesystem can, else
    /// copied.
    pub hardlink: bool,
    /// JPEG quality when an image must be re-encoded without a `change_compression` step (a 180°
    /// turn of a JPEG whose size is not a multiple of its MCU).
    pub reencode_quality: u8,
    /// What a source image that is not on disk does: stop the run, or (like `datamill convert`)
    /// keep its annotations, leave the file out and report it.
    pub missing_images: MissingImages,
}

/// See [`ExecuteOptions::missing_images`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MissingImages {
    /// Stop with an error naming the file.
    Fail,
    /// Report it (`missing_image` in the conversion report) and go on.
    #[default]
    Report,
}

impl Default for ExecuteOptions {
    fn default() -> Self {
        Self {
            threads: 0,
            hardlink: false,
            reencode_quality: 95,
            missing_images: MissingImages::default(),
        }
    }
}

/// What Phase B did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutionSummary {
    /// Images already in place from an interrupted run.
    pub resumed: u64,
    pub cloned: u64,
    pub linked: u64,
    pub copied: u64,
    pub transformed: u64,
    /// Transformed JPEGs turned in the DCT domain, without re-encoding.
    pub lossless: u64,
    /// Source images not on disk (their annotations are kept; see the report).
    pub missing: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    fingerprint: String,
    images: u64,
}

/// Writes the plan's output into `output` of `files` (created if needed), resuming an
/// interrupted run of the same plan there. The plan's image sources are read from `files` too.
pub fn execute(
    files: Files<'_>,
    plan: &Plan,
    output: &Path,
    options: &ExecuteOptions,
    progress: &dyn Progress,
) -> Result<ExecutionSummary, PipelineError> {
    let fingerprint = fingerprint(plan);
    claim_output(files, output, &fingerprint, plan.images.len() as u64)?;

    progress.update(Stage::Annotations, 0, 1);
    let mut report = plan.report.clone();
    codecs::write(
        files,
        plan.format,
        &plan.meta,
        output,
        &plan.write,
        &mut report.conversion,
    )
    .map_err(PipelineError::Write)?;
    progress.update(Stage::Annotations, 1, 1);

    let (summary, missing) = place_images(files, plan, output, options, progress)?;
    for destination in missing {
        report.conversion.note(
            crate::report::Action::Lossy,
            crate::report::Reason::MissingImage,
            Some(&destination),
            None,
            "the source image is not on disk; its annotations were written without it",
        );
    }

    let text = serde_json::to_string_pretty(&report).map_err(|e| PipelineError::Output {
        path: output.join(REPORT_FILE),
        message: e.to_string(),
    })?;
    let report_path = output.join(REPORT_FILE);
    files
        .write(&report_path, format!("{text}\n"))
        .map_err(|source| io("write", &report_path, source))?;
    let marker = output.join(MARKER);
    files
        .remove_file(&marker)
        .map_err(|source| io("remove", &marker, source))?;
    progress.update(
        Stage::Done,
        plan.images.len() as u64,
        plan.images.len() as u64,
    );
    Ok(summary)
}

/// Whether `output` (in `files`) holds an unfinished run of this plan.
#[must_use]
pub fn is_resumable(files: Files<'_>, plan: &Plan, output: &Path) -> bool {
    read_marker(files, output).is_some_and(|m| m.fingerprint == fingerprint(plan))
}

fn read_marker(files: Files<'_>, output: &Path) -> Option<Marker> {
    let text = files.read(&output.join(MARKER)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Makes `output` ours: new or empty, or holding our own unfinished run.
fn claim_output(
    files: Files<'_>,
    output: &Path,
    fingerprint: &str,
    images: u64,
) -> Result<(), PipelineError> {
    let refuse = |message: String| PipelineError::Output {
        path: output.to_owned(),
        message,
    };
    let exists = files
        .try_exists(output)
        .map_err(|source| io("read", output, source))?;
    if exists {
        match read_marker(files, output) {
            Some(marker) if marker.fingerprint == fingerprint => return Ok(()),
            Some(_) => {
                return Err(refuse(
                    "holds an unfinished run of a different pipeline (or of other source data); remove the directory to start over".to_owned(),
                ));
            }
            None => {
                let entries = files
                    .list(output)
                    .map_err(|source| io("read", output, source))?;
                if !entries.is_empty() {
                    return Err(refuse(
                        "already exists and is not empty; dataset versions are immutable, choose another version".to_owned(),
                    ));
                }
            }
        }
    }
    files
        .create_dir_all(output)
        .map_err(|source| io("create", output, source))?;
    let marker = Marker {
        fingerprint: fingerprint.to_owned(),
        images,
    };
    let text = serde_json::to_string(&marker).unwrap_or_default();
    let path = output.join(MARKER);
    files
        .write(&path, text)
        .map_err(|source| io("write", &path, source))
}

/// A digest of everything that decides the output's bytes: the annotations as they will be
/// written, the format and write options, and every image's source, destination and operations.
fn fingerprint(plan: &Plan) -> String {
    let mut hash = Fnv::new();
    hash.write(plan.format.cli_name().as_bytes());
    hash.write(format!("{:?}", plan.write).as_bytes());
    if let Ok(meta) = serde_json::to_vec(&plan.meta) {
        hash.write(&meta);
    }
    for image in &plan.images {
        hash.write(image.source.as_os_str().as_encoded_bytes());
        hash.write(b"\0");
        hash.write(image.destination.as_bytes());
        hash.write(b"\0");
        if let Ok(ops) = serde_json::to_vec(&image.ops) {
            hash.write(&ops);
        }
    }
    format!("{:016x}", hash.0)
}

/// FNV-1a 64: stable across Rust versions, unlike `DefaultHasher`.
struct Fnv(u64);

impl Fnv {
    const fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placed {
    AlreadyThere,
    Cloned,
    Linked,
    Copied,
    Transformed { lossless: bool },
    Missing,
}

fn place_images(
    files: Files<'_>,
    plan: &Plan,
    output: &Path,
    options: &ExecuteOptions,
    progress: &dyn Progress,
) -> Result<(ExecutionSummary, Vec<String>), PipelineError> {
    let images_dir = output.join("images");
    // Every directory first, once, rather than a `create_dir_all` per image.
    let mut directories: Vec<PathBuf> = plan
        .images
        .iter()
        .filter_map(|i| {
            images_dir
                .join(&i.destination)
                .parent()
                .map(Path::to_path_buf)
        })
        .collect();
    directories.sort_unstable();
    directories.dedup();
    for directory in &directories {
        files
            .create_dir_all(directory)
            .map_err(|source| io("create", directory, source))?;
    }

    let total = plan.images.len() as u64;
    let done = AtomicU64::new(0);
    let cancelled = AtomicBool::new(false);
    progress.update(Stage::Images, 0, total);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .thread_name(|i| format!("datamill-phase-b-{i}"))
        .build()
        .map_err(|e| PipelineError::Output {
            path: output.to_owned(),
            message: format!("cannot start worker threads: {e}"),
        })?;
    let results: Result<Vec<Placed>, PipelineError> = pool.install(|| {
        plan.images
            .par_iter()
            .map(|image| {
                if cancelled.load(Ordering::Relaxed) || progress.cancelled() {
                    cancelled.store(true, Ordering::Relaxed);
                    return Err(PipelineError::Cancelled);
                }
                let placed = place_one(files, image, &images_dir, options)?;
                let now = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress.update(Stage::Images, now, total);
                Ok(placed)
            })
            .collect()
    });
    let mut summary = ExecutionSummary::default();
    let mut missing = Vec::new();
    for (placed, image) in results?.into_iter().zip(&plan.images) {
        match placed {
            Placed::Missing => {
                summary.missing += 1;
                missing.push(image.destination.clone());
            }
            Placed::AlreadyThere => summary.resumed += 1,
            Placed::Cloned => summary.cloned += 1,
            Placed::Linked => summary.linked += 1,
            Placed::Copied => summary.copied += 1,
            Placed::Transformed { lossless } => {
                summary.transformed += 1;
                summary.lossless += u64::from(lossless);
            }
        }
    }
    Ok((summary, missing))
}

/// Places one image, or finds it in place: a transformed image is complete when it is there at
/// all; a copy when it has the source's size (copies are written front to back, so a killed one
/// is shorter).
fn place_one(
    files: Files<'_>,
    image: &ImagePlan,
    images_dir: &Path,
    options: &ExecuteOptions,
) -> Result<Placed, PipelineError> {
    let destination = images_dir.join(&image.destination);
    let source = match files.metadata(&image.source) {
        Ok(metadata) => metadata,
        Err(error)
            if error.kind() == io::ErrorKind::NotFound
                && options.missing_images == MissingImages::Report =>
        {
            return Ok(Placed::Missing);
        }
        Err(error) => return Err(io("open", &image.source, error)),
    };
    let existing = files.metadata(&destination).ok();
    if let Some(existing) = &existing
        && (!image.ops.is_empty()
            || existing.kind == crate::files::EntryKind::File && existing.size == source.size)
    {
        return Ok(Placed::AlreadyThere);
    }
    if image.ops.is_empty() {
        copy_image(
            files,
            image,
            &destination,
            options.hardlink,
            existing.is_some(),
        )
    } else {
        transform_image(files, image, &destination, options)
    }
}

/// Copies (or links) a copy-only image to its final name, replacing a partial copy.
fn copy_image(
    files: Files<'_>,
    image: &ImagePlan,
    destination: &Path,
    hardlink: bool,
    partial: bool,
) -> Result<Placed, PipelineError> {
    if hardlink {
        // A link never replaces a name.
        if partial {
            files
                .remove_file(destination)
                .map_err(|e| io("remove", destination, e))?;
        }
        return match files.link(&image.source, destination) {
            Ok(LinkKind::HardLink) => Ok(Placed::Linked),
            Ok(LinkKind::Copy) => Ok(Placed::Copied),
            Err(error) => Err(io("link", destination, error)),
        };
    }
    // Replacing costs an unlink: asked only for a partial copy found in place (or one that
    // appeared since, from a concurrent run of the same plan).
    let bulk = WriteOptions::new().sync(false).atomic(false);
    let copied = match files.copy(&image.source, destination, bulk.overwrite(partial)) {
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            files.copy(&image.source, destination, bulk.overwrite(true))
        }
        other => other,
    }
    .map_err(|e| io("copy", &image.source, e))?;
    Ok(if copied.cloned {
        Placed::Cloned
    } else {
        Placed::Copied
    })
}

fn transform_image(
    files: Files<'_>,
    image: &ImagePlan,
    destination: &Path,
    options: &ExecuteOptions,
) -> Result<Placed, PipelineError> {
    let bytes = files
        .read(&image.source)
        .map_err(|e| io("read", &image.source, e))?;
    let orientation = crate::imageinfo::jpeg_orientation(&bytes).unwrap_or(1);
    let mut ops = Vec::with_capacity(image.ops.len());
    let mut output = OutputEncoding::SameAsSource {
        jpeg_quality: options.reencode_quality,
    };
    for op in &image.ops {
        match op {
            ImageManipulationSpec::Rotate180 => ops.push(PixelOp::Rotate180),
            ImageManipulationSpec::EncodeJpeg { quality } => {
                output = OutputEncoding::Jpeg { quality: *quality };
            }
            ImageManipulationSpec::Fill { regions, color } => {
                for region in regions {
                    ops.push(match region {
                        Region::Rect { x0, y0, x1, y1 } => PixelOp::FillRect {
                            x0: *x0,
                            y0: *y0,
                            x1: *x1,
                            y1: *y1,
                            color: *color,
                        },
                        Region::Mask { counts } => PixelOp::FillRuns {
                            counts: counts.clone(),
                            color: *color,
                        },
                    });
                }
            }
        }
    }
    let processed = datamill_imaging::process(&Request {
        source: &bytes,
        orientation,
        ops: &ops,
        output,
    })
    .map_err(|error| PipelineError::Image {
        destination: image.destination.clone(),
        source_path: image.source.clone(),
        message: error.to_string(),
    })?;
    // Not synced: like copies, images are bulk output; a run that died is rerun.
    match files.write_with(
        destination,
        &processed.bytes,
        WriteOptions::new().sync(false),
    ) {
        // Already there: a complete file from a concurrent or earlier run of the same plan.
        Err(error) if error.kind() != io::ErrorKind::AlreadyExists => {
            return Err(io("write", destination, error));
        }
        _ => {}
    }
    Ok(Placed::Transformed {
        lossless: processed.lossless,
    })
}

fn io(action: &'static str, path: &Path, source: io::Error) -> PipelineError {
    PipelineError::Io {
        action,
        path: path.to_owned(),
        source,
    }
}
