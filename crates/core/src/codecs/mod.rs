//! Format codecs: each reads a dataset directory into a [`DatasetMeta`] and (where the format can
//! be written) writes one back.
//!
//! A dataset directory holds `images/` plus the format's annotation files, as on the NAS. Readers
//! are forgiving where real exports are sloppy (no trailing newline, CRLF, stray files) and report
//! every such thing as a [`Problem`](crate::Problem) with its location; they fail with a
//! [`CodecError`] only when the input is not a dataset of the format at all.
//!
//! Writers write annotation files only; [`crate::convert`] moves the images.
//!
//! Every file is reached through the [`Files`] given (see [`crate::files`]): paths are inside that
//! storage, and so are the [`Dataset::image_root`] and the paths in errors.

pub mod attr_json;
pub mod cls_folder;
pub mod coco;
pub mod custom;
mod fixed;
pub mod importers;
mod json_fast;
mod json_scan;
pub mod none;
pub mod visdrone;
pub mod yolo;

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::diagnostics::{Diagnostics, Location};
use crate::files::Files;
use crate::format::AnnotationFormat;
use crate::model::DatasetMeta;
use crate::report::ConversionReport;

/// A fatal reading or writing failure. Problems a reader can work around are
/// [`Diagnostics`] instead.
#[derive(Debug, Error)]
pub enum CodecError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The file is not valid in its syntax (JSON, YAML…).
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: u64,
        column: u64,
        message: String,
    },
    /// The file is well-formed but is another kind of thing (e.g. a COCO results list, captions).
    #[error("{} is {what}, not {} dataset. {hint}", path.display(), expected.with_article())]
    WrongKind {
        path: PathBuf,
        what: String,
        expected: AnnotationFormat,
        hint: String,
    },
    /// No dataset of the format at the path.
    #[error("no {} dataset at {}: {detail}", format.title(), path.display())]
    NotFound {
        path: PathBuf,
        format: AnnotationFormat,
        detail: String,
    },
    /// A value the format does not allow, where reading cannot go on.
    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },
    /// The operation is not available for this format.
    #[error("{}: {reason}", format.title())]
    Unsupported {
        format: AnnotationFormat,
        reason: String,
    },
}

impl CodecError {
    /// Whether the storage itself failed to read (a NAS away, a timeout) rather than the data in
    /// it being missing or wrong: the caller may try again later.
    #[must_use]
    pub fn is_storage_failure(&self) -> bool {
        use io::ErrorKind;
        matches!(
            self,
            Self::Read { source, .. } if !matches!(
                source.kind(),
                ErrorKind::NotFound | ErrorKind::InvalidData | ErrorKind::InvalidInput
                    | ErrorKind::PermissionDenied | ErrorKind::IsADirectory | ErrorKind::NotADirectory
            )
        )
    }

    pub(crate) fn read(path: &Path, source: io::Error) -> Self {
        Self::Read {
            path: path.to_owned(),
            source,
        }
    }

    pub(crate) fn write(path: &Path, source: io::Error) -> Self {
        Self::Write {
            path: path.to_owned(),
            source,
        }
    }
}

/// How to read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Recorded as every image's [`ImageOrigin::dataset`](crate::ImageOrigin) when set.
    pub origin: Option<String>,
    /// Read image headers for sizes where the format stores none (YOLO, VisDrone, class folders).
    /// Without it those images get width and height 0 and boxes stay normalised-unknown: only
    /// useful for counting.
    pub probe_image_sizes: bool,
    /// Problems listed per code at most (all are counted).
    pub problem_limit: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            origin: None,
            probe_image_sizes: true,
            problem_limit: Diagnostics::DEFAULT_LIMIT_PER_CODE,
        }
    }
}

/// What a reader found.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub meta: DatasetMeta,
    pub diagnostics: Diagnostics,
    /// The directory that `ImageRecord::file_name`s are relative to.
    pub image_root: PathBuf,
    /// The annotation files that were read, relative to the dataset directory.
    pub annotation_files: Vec<String>,
}

/// What to do with COCO crowd regions (`iscrowd = 1`) in a format that has no such notion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum CrowdPolicy {
    /// Leave them out (Ultralytics' choice).
    #[default]
    Skip,
    /// Write their box as an ordinary object.
    Box,
    /// Write their mask outline as polygons (segmentation) or box (detection).
    Polygon,
}

impl std::str::FromStr for CrowdPolicy {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "skip" => Ok(Self::Skip),
            "box" => Ok(Self::Box),
            "polygon" => Ok(Self::Polygon),
            other => Err(format!(
                "unknown iscrowd policy `{other}`; expected skip, box or polygon"
            )),
        }
    }
}

impl std::fmt::Display for CrowdPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Skip => "skip",
            Self::Box => "box",
            Self::Polygon => "polygon",
        })
    }
}

/// What kind of YOLO labels to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum YoloTask {
    /// `class cx cy w h`.
    Detect,
    /// `class x1 y1 … xn yn` (every object as a polygon; boxes as rectangles).
    Segment,
}

/// How to write.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    pub crowd: CrowdPolicy,
    /// Class names by index for index-based formats (YOLO). `None`: categories sorted by id.
    /// Give the same list to every split so that indices agree across splits.
    pub class_names: Option<Vec<String>>,
    /// YOLO: detection or segmentation labels; `None` picks segmentation when any annotation has
    /// a mask.
    pub yolo_task: Option<YoloTask>,
    /// Decimal places of normalised YOLO coordinates.
    pub yolo_precision: usize,
    /// Normalise as `v * (1 / size)` instead of `v / size`. Ultralytics' VisDrone converter does
    /// the former; the results differ in the last bit now and then, which a 6-decimal print can
    /// turn into a different last digit.
    pub yolo_reciprocal_normalisation: bool,
    /// Cut boxes and polygons to the image (YOLO). Off for rules that must reproduce another
    /// tool's output exactly (Ultralytics' VisDrone converter clips nothing).
    pub clamp_to_image: bool,
    /// Pretty-print JSON output (indent 2); compact otherwise.
    pub pretty_json: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self {
            crowd: CrowdPolicy::Skip,
            class_names: None,
            yolo_task: None,
            yolo_precision: 6,
            yolo_reciprocal_normalisation: false,
            clamp_to_image: true,
            pretty_json: false,
        }
    }
}

/// Reads a dataset of the given format at `path` in `files` (a dataset directory; for JSON formats
/// also the annotation file itself).
pub fn read(
    files: Files<'_>,
    format: AnnotationFormat,
    path: &Path,
    options: &ReadOptions,
) -> Result<Dataset, CodecError> {
    let mut dataset = match format {
        AnnotationFormat::Coco => coco::read(files, path, options),
        AnnotationFormat::Yolo => yolo::read(files, path, options),
        AnnotationFormat::AttrJson => attr_json::read(files, path, options),
        AnnotationFormat::ClsFolder => cls_folder::read(files, path, options),
        AnnotationFormat::VisDrone => visdrone::read(files, path, options),
        AnnotationFormat::Custom => custom::read(files, path, options),
        AnnotationFormat::None => none::read(files, path, options),
    }?;
    dataset.meta.source.format = Some(format);
    if let Some(origin) = &options.origin {
        for image in &mut dataset.meta.images {
            image.origin = Some(crate::model::ImageOrigin {
                dataset: origin.clone(),
                path: image.file_name.clone(),
            });
        }
    }
    Ok(dataset)
}

/// Writes the annotation files of `meta` in `format` into the directory `dir` of `files` (created
/// if needed), recording every loss in `report`. Each file appears whole or not at all, replacing
/// an older one.
pub fn write(
    files: Files<'_>,
    format: AnnotationFormat,
    meta: &DatasetMeta,
    dir: &Path,
    options: &WriteOptions,
    report: &mut ConversionReport,
) -> Result<(), CodecError> {
    files
        .create_dir_all(dir)
        .map_err(|e| CodecError::write(dir, e))?;
    match format {
        AnnotationFormat::Coco => coco::write(files, meta, dir, options, report),
        AnnotationFormat::Yolo => yolo::write(files, meta, dir, options, report),
        AnnotationFormat::AttrJson => attr_json::write(files, meta, dir, options, report),
        AnnotationFormat::ClsFolder => cls_folder::write(files, meta, dir, options, report),
        AnnotationFormat::None => none::write(files, meta, dir, options, report),
        AnnotationFormat::VisDrone | AnnotationFormat::Custom => Err(CodecError::Unsupported {
            format,
            reason: "Datamill reads this format but does not write it".to_owned(),
        }),
    }
}

/// `path` relative to `base`, `/`-separated, for messages and file names in the model.
#[must_use]
pub fn relative_name(path: &Path, base: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_storage_that_fails_to_answer_is_a_storage_failure() {
        let read = |kind| CodecError::read(Path::new("a.json"), io::Error::from(kind));
        assert!(read(io::ErrorKind::TimedOut).is_storage_failure());
        assert!(read(io::ErrorKind::ConnectionReset).is_storage_failure());
        assert!(!read(io::ErrorKind::NotFound).is_storage_failure());
        assert!(!read(io::ErrorKind::InvalidData).is_storage_failure());
        assert!(!read(io::ErrorKind::PermissionDenied).is_storage_failure());
        let syntax = CodecError::Syntax {
            path: PathBuf::from("a.json"),
            line: 1,
            column: 2,
            message: "expected value".to_owned(),
        };
        assert!(!syntax.is_storage_failure());
    }
}
