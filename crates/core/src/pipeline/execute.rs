//! Phase B: carrying a [`Plan`] out into an output directory.
//!
//! Order matters for resuming: a marker file (`.datamill-pipeline.json`, holding the plan's
//! fingerprint) is written first, then the annotation files, then the images, in parallel; the
//! marker is removed last. A run that finds its own marker resumes: the annotation files are
//! written again (they are deterministic, so a half-written one is simply replaced) and every
//! image already in place is skipped. An image that is decoded and encoded only ever appears complete: it is written to an
//! anonymous file (`O_TMPFILE`) in its directory and linked into place when finished; on file
//! systems without `O_TMPFILE` a hidden `.name.partial` file is renamed instead (and overwritten
//! by the rerun if a kill left it). Nothing is written outside the output directory.
//!
//! Copy-only images are cloned (reflink) where the file system can, else hard-linked when asked,
//! else copied with `copy_file_range`, straight to their final name (a clone or link is atomic;
//! an interrupted copy is shorter than its source, which is how a rerun recognises it). Transformed images are decoded once, all their operations
//! applied in order, and encoded once ([`datamill_imaging`]).

use std::fs::{self, File};
use std::io::Write as _;
use std::os::fd::{AsFd, AsRawFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use datamill_imaging::{OutputEncoding, PixelOp, Request};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::engine::{ImagePlan, PipelineError, Plan, Progress, Stage};
use super::manipulator::{ImageManipulationSpec, Region};
use crate::codecs;

/// The marker of an unfinished run, inside the output directory.
pub const MARKER: &str = ".datamill-pipeline.json";
/// The pipeline's report, written into the output with the annotations.
pub const REPORT_FILE: &str = "pipeline_report.json";

/// How Phase B runs.
#[derive(Debug, Clone)]
pub struct ExecuteOptions {
    /// Worker threads; 0 = one per core.
    pub threads: usize,
    /// Hard-link copy-only images when they cannot be cloned (same file system only; the output
    /// then shares the source's inodes).
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

/// Writes the plan's output into `output` (created if needed), resuming an interrupted run of
/// the same plan there.
pub fn execute(
    plan: &Plan,
    output: &Path,
    options: &ExecuteOptions,
    progress: &dyn Progress,
) -> Result<ExecutionSummary, PipelineError> {
    let fingerprint = fingerprint(plan);
    claim_output(output, &fingerprint, plan.images.len() as u64)?;

    progress.update(Stage::Annotations, 0, 1);
    let mut report = plan.report.clone();
    codecs::write(
        plan.format,
        &plan.meta,
        output,
        &plan.write,
        &mut report.conversion,
    )
    .map_err(PipelineError::Write)?;
    progress.update(Stage::Annotations, 1, 1);

    let (summary, missing) = place_images(plan, output, options, progress)?;
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
    write_atomic(&output.join(REPORT_FILE), format!("{text}\n").as_bytes())?;
    let marker = output.join(MARKER);
    fs::remove_file(&marker).map_err(|source| io("remove", &marker, source))?;
    progress.update(
        Stage::Done,
        plan.images.len() as u64,
        plan.images.len() as u64,
    );
    Ok(summary)
}

/// Whether `output` holds an unfinished run of this plan.
#[must_use]
pub fn is_resumable(plan: &Plan, output: &Path) -> bool {
    read_marker(output).is_some_and(|m| m.fingerprint == fingerprint(plan))
}

fn read_marker(output: &Path) -> Option<Marker> {
    let text = fs::read_to_string(output.join(MARKER)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Makes `output` ours: new or empty, or holding our own unfinished run.
fn claim_output(output: &Path, fingerprint: &str, images: u64) -> Result<(), PipelineError> {
    let refuse = |message: String| PipelineError::Output {
        path: output.to_owned(),
        message,
    };
    if output.exists() {
        match read_marker(output) {
            Some(marker) if marker.fingerprint == fingerprint => return Ok(()),
            Some(_) => {
                return Err(refuse(
                    "holds an unfinished run of a different pipeline (or of other source data); remove the directory to start over".to_owned(),
                ));
            }
            None => {
                let mut entries =
                    fs::read_dir(output).map_err(|source| io("read", output, source))?;
                if entries.next().is_some() {
                    return Err(refuse(
                        "already exists and is not empty; dataset versions are immutable, choose another version".to_owned(),
                    ));
                }
            }
        }
    }
    fs::create_dir_all(output).map_err(|source| io("create", output, source))?;
    let marker = Marker {
        fingerprint: fingerprint.to_owned(),
        images,
    };
    let text = serde_json::to_string(&marker).unwrap_or_default();
    write_atomic(&output.join(MARKER), text.as_bytes())
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
        fs::create_dir_all(directory).map_err(|source| io("create", directory, source))?;
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
                let placed = place_one(image, &images_dir, options)?;
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

fn place_one(
    image: &ImagePlan,
    images_dir: &Path,
    options: &ExecuteOptions,
) -> Result<Placed, PipelineError> {
    let destination = images_dir.join(&image.destination);
    let source = match File::open(&image.source) {
        Ok(file) => file,
        Err(error)
            if error.kind() == std::io::ErrorKind::NotFound
                && options.missing_images == MissingImages::Report =>
        {
            return Ok(Placed::Missing);
        }
        Err(error) => return Err(io("open", &image.source, error)),
    };
    if let Ok(existing) = destination.symlink_metadata() {
        // Transformed images appear only complete; a copy is complete when it has the
        // source's size (copies are written front to back, so a killed one is shorter).
        if !image.ops.is_empty() || copy_is_complete(&source, &existing) {
            return Ok(Placed::AlreadyThere);
        }
    }
    if image.ops.is_empty() {
        copy_image(source, &image.source, &destination, options.hardlink)
    } else {
        transform_image(source, image, &destination, options)
    }
}

fn copy_is_complete(source: &File, existing: &fs::Metadata) -> bool {
    existing.file_type().is_file()
        && source
            .metadata()
            .is_ok_and(|metadata| metadata.len() == existing.len())
}

/// Set when the output's file system refuses clones, so later images skip the attempt.
static NO_REFLINK: AtomicBool = AtomicBool::new(false);

/// Copy-only images go straight to their final name: a clone or a hard link is atomic, and a
/// copy interrupted by a kill is recognised on resume by its size (see [`copy_is_complete`]).
/// Staging every copy in an anonymous file would cost two journal updates per image on ext4.
fn copy_image(
    mut from: File,
    source: &Path,
    destination: &Path,
    hardlink: bool,
) -> Result<Placed, PipelineError> {
    let create = || {
        fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(destination)
            .map_err(|e| io("create", destination, e))
    };
    if !NO_REFLINK.load(Ordering::Relaxed) {
        let to = create()?;
        match rustix::fs::ioctl_ficlone(to.as_fd(), from.as_fd()) {
            Ok(()) => return Ok(Placed::Cloned),
            Err(_) => NO_REFLINK.store(true, Ordering::Relaxed),
        }
    }
    if hardlink {
        // A previous partial copy would make the link fail with EEXIST.
        let _ = fs::remove_file(destination);
        match fs::hard_link(source, destination) {
            Ok(()) => return Ok(Placed::Linked),
            // EXDEV: another file system; copy instead.
            Err(error) if error.raw_os_error() == Some(18) => {}
            Err(error) => return Err(io("link", destination, error)),
        }
    }
    let mut to = create()?;
    // File-to-file `io::copy` is `copy_file_range` on Linux (server-side on NFS).
    std::io::copy(&mut from, &mut to).map_err(|e| io("copy", source, e))?;
    Ok(Placed::Copied)
}

fn transform_image(
    mut source: File,
    image: &ImagePlan,
    destination: &Path,
    options: &ExecuteOptions,
) -> Result<Placed, PipelineError> {
    let mut bytes = Vec::with_capacity(source.metadata().map_or(0, |m| m.len() as usize));
    std::io::Read::read_to_end(&mut source, &mut bytes)
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
    write_atomic(destination, &processed.bytes)?;
    Ok(Placed::Transformed {
        lossless: processed.lossless,
    })
}

fn io(action: &'static str, path: &Path, source: std::io::Error) -> PipelineError {
    PipelineError::Io {
        action,
        path: path.to_owned(),
        source,
    }
}

/// Writes a whole file so that it appears complete or not at all.
fn write_atomic(destination: &Path, bytes: &[u8]) -> Result<(), PipelineError> {
    let mut staged = Staged::new(destination)?;
    staged
        .file
        .write_all(bytes)
        .map_err(|e| io("write", destination, e))?;
    staged.commit()
}

/// O_TMPFILE works on local Linux file systems; NFS and CIFS refuse it. Remember a refusal.
static NO_TMPFILE: AtomicBool = AtomicBool::new(false);

/// A file being written, invisible until committed.
struct Staged {
    file: File,
    destination: PathBuf,
    /// The hidden name used where O_TMPFILE is not available.
    partial: Option<PathBuf>,
}

impl Staged {
    fn new(destination: &Path) -> Result<Self, PipelineError> {
        let directory = destination.parent().unwrap_or_else(|| Path::new("."));
        if !NO_TMPFILE.load(Ordering::Relaxed) {
            use rustix::fs::{Mode, OFlags};
            match rustix::fs::open(
                directory,
                OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o644),
            ) {
                Ok(fd) => {
                    return Ok(Self {
                        file: File::from(fd),
                        destination: destination.to_owned(),
                        partial: None,
                    });
                }
                Err(errno)
                    if errno == rustix::io::Errno::OPNOTSUPP
                        || errno == rustix::io::Errno::ISDIR
                        || errno == rustix::io::Errno::INVAL
                        || errno == rustix::io::Errno::NOENT && directory.is_dir() =>
                {
                    NO_TMPFILE.store(true, Ordering::Relaxed);
                }
                Err(errno) => return Err(io("create a file in", directory, errno.into())),
            }
        }
        let name = destination
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let partial = directory.join(format!(".{name}.partial"));
        let file = File::create(&partial).map_err(|e| io("create", &partial, e))?;
        Ok(Self {
            file,
            destination: destination.to_owned(),
            partial: Some(partial),
        })
    }

    fn commit(self) -> Result<(), PipelineError> {
        if let Some(partial) = &self.partial {
            return fs::rename(partial, &self.destination).map_err(|e| io("rename", partial, e));
        }
        let proc_path = format!("/proc/self/fd/{}", self.file.as_raw_fd());
        match rustix::fs::linkat(
            rustix::fs::CWD,
            proc_path.as_str(),
            rustix::fs::CWD,
            &self.destination,
            rustix::fs::AtFlags::SYMLINK_FOLLOW,
        ) {
            // A file already there is a complete one (written by a concurrent or earlier run of
            // the same plan): keep it.
            Ok(()) | Err(rustix::io::Errno::EXIST) => Ok(()),
            Err(errno) => Err(io("link", &self.destination, errno.into())),
        }
    }
}
