//! Conversion between formats: read, apply the source format's conversion rules, write, move the
//! images, and account for every change in a [`ConversionReport`].
//!
//! A local tool (`datamill convert`, `datamill import`): annotations are read and written by the
//! codecs through [`Files::local`]; images are copied, hard-linked or symlinked with `std::fs`,
//! because symbolic links and cross-directory hard links are local-filesystem notions.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use thiserror::Error;

use crate::codecs::{self, CodecError, ReadOptions, WriteOptions, visdrone};
use crate::diagnostics::Diagnostics;
use crate::files::Files;
use crate::format::AnnotationFormat;
use crate::report::{Action, ConversionReport, Counts, Reason};

/// How images get from the source to the output's `images/`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ImageTransfer {
    /// A full copy (safe everywhere).
    #[default]
    Copy,
    /// A hard link (same file system only; no extra space).
    Hardlink,
    /// A symbolic link to the source file's absolute path.
    Symlink,
    /// Annotations only.
    None,
}

impl std::str::FromStr for ImageTransfer {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "copy" => Ok(Self::Copy),
            "hardlink" => Ok(Self::Hardlink),
            "symlink" => Ok(Self::Symlink),
            "none" => Ok(Self::None),
            other => Err(format!(
                "unknown image transfer `{other}`; expected copy, hardlink, symlink or none"
            )),
        }
    }
}

impl std::fmt::Display for ImageTransfer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Copy => "copy",
            Self::Hardlink => "hardlink",
            Self::Symlink => "symlink",
            Self::None => "none",
        })
    }
}

/// Everything that shapes a conversion.
#[derive(Debug, Clone, Default)]
pub struct ConvertOptions {
    pub read: ReadOptions,
    pub write: WriteOptions,
    pub images: ImageTransfer,
}

/// A conversion that could not be done.
#[derive(Debug, Error)]
pub enum ConvertError {
    #[error(transparent)]
    Codec(#[from] CodecError),
    #[error("Datamill cannot write {}", .0.title())]
    NotWritable(AnnotationFormat),
    #[error("cannot {action} {} to {}: {source}", from.display(), to.display())]
    Image {
        action: ImageTransfer,
        from: PathBuf,
        to: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What a conversion did, and what the reader found on the way.
#[derive(Debug, Clone)]
pub struct Conversion {
    pub report: ConversionReport,
    pub diagnostics: Diagnostics,
}

/// Converts the dataset at `source` from `from` to `to` into the directory `destination`.
pub fn convert(
    from: AnnotationFormat,
    to: AnnotationFormat,
    source: &Path,
    destination: &Path,
    options: &ConvertOptions,
) -> Result<Conversion, ConvertError> {
    if !to.is_writable() {
        return Err(ConvertError::NotWritable(to));
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let files = Files::local_at(&cwd);
    let dataset = codecs::read(files, from, source, &options.read)?;
    let mut report = ConversionReport::new(Some(from), to);
    report.input = Counts {
        images: dataset.meta.images.len() as u64,
        annotations: dataset.meta.annotation_count() as u64,
        categories: dataset.meta.categories.len() as u64,
    };
    let mut write_options = options.write.clone();
    let meta = if from == AnnotationFormat::VisDrone {
        // VisDrone's ignore regions and 0-based shift follow Ultralytics' converter.
        if to == AnnotationFormat::Yolo {
            let rule = visdrone::yolo_write_options();
            write_options.class_names = rule.class_names;
            write_options.yolo_reciprocal_normalisation = rule.yolo_reciprocal_normalisation;
            write_options.yolo_precision = rule.yolo_precision;
            write_options.clamp_to_image = rule.clamp_to_image;
        }
        visdrone::to_detection(&dataset.meta, &mut report)
    } else {
        dataset.meta
    };
    report
        .options
        .insert("iscrowd".to_owned(), write_options.crowd.to_string());
    report
        .options
        .insert("images".to_owned(), options.images.to_string());
    codecs::write(files, to, &meta, destination, &write_options, &mut report)?;

    transfer_images(
        &meta,
        &dataset.image_root,
        destination,
        options.images,
        &mut report,
    )?;
    meta.dispose();
    Ok(Conversion {
        report,
        diagnostics: dataset.diagnostics,
    })
}

/// A public dataset's own label files that [`import`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Importer {
    /// CelebA `list_attr_celeba.txt` (+ boxes, partition, identity).
    CelebA,
    /// Market-1501 attributes (`market_attribute.converted.json`) on `PPPP_cCsS_FFFFFF_BB.jpg` images.
    Market1501,
}

impl std::str::FromStr for Importer {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "celeba" => Ok(Self::CelebA),
            "market1501" | "market" => Ok(Self::Market1501),
            other => Err(format!(
                "unknown importer `{other}`; expected celeba or market1501"
            )),
        }
    }
}

/// Imports a public attribute dataset into an ATTR_JSON dataset at `destination`.
pub fn import(
    importer: Importer,
    source: &Path,
    labels: Option<&Path>,
    destination: &Path,
    options: &ConvertOptions,
) -> Result<Conversion, ConvertError> {
    let dataset = match importer {
        Importer::CelebA => codecs::importers::celeba::import(source, &options.read)?,
        Importer::Market1501 => {
            codecs::importers::market1501::import(source, labels, &options.read)?
        }
    };
    let mut report = ConversionReport::new(None, AnnotationFormat::AttrJson);
    report.input = Counts {
        images: dataset.meta.images.len() as u64,
        annotations: dataset.meta.annotation_count() as u64,
        categories: dataset.meta.categories.len() as u64,
    };
    report
        .options
        .insert("images".to_owned(), options.images.to_string());
    let cwd = std::env::current_dir().unwrap_or_default();
    codecs::write(
        Files::local_at(&cwd),
        AnnotationFormat::AttrJson,
        &dataset.meta,
        destination,
        &options.write,
        &mut report,
    )?;
    transfer_images(
        &dataset.meta,
        &dataset.image_root,
        destination,
        options.images,
        &mut report,
    )?;
    Ok(Conversion {
        report,
        diagnostics: dataset.diagnostics,
    })
}

/// Puts every image of `meta` from `image_root` into `destination/images/`; a missing source
/// image is reported, any other failure stops the conversion.
fn transfer_images(
    meta: &crate::model::DatasetMeta,
    image_root: &Path,
    destination: &Path,
    mode: ImageTransfer,
    report: &mut ConversionReport,
) -> Result<(), ConvertError> {
    if mode == ImageTransfer::None {
        return Ok(());
    }
    let images_dir = destination.join("images");
    let failures: Vec<(String, Option<ConvertError>)> = meta
        .images
        .par_iter()
        .filter_map(|image| {
            let from = image_root.join(&image.file_name);
            let to = images_dir.join(&image.file_name);
            if !from.is_file() {
                return Some((image.file_name.clone(), None));
            }
            transfer(mode, &from, &to)
                .err()
                .map(|error| (image.file_name.clone(), Some(error)))
        })
        .collect();
    for (file_name, error) in failures {
        if let Some(error) = error {
            return Err(error);
        }
        report.note(
            Action::Lossy,
            Reason::MissingImage,
            Some(&file_name),
            None,
            "the source image is not on disk; its annotations were written without it",
        );
    }
    Ok(())
}

fn transfer(mode: ImageTransfer, from: &Path, to: &Path) -> Result<(), ConvertError> {
    let error = |source| ConvertError::Image {
        action: mode,
        from: from.to_owned(),
        to: to.to_owned(),
        source,
    };
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(error)?;
    }
    if to.symlink_metadata().is_ok() {
        std::fs::remove_file(to).map_err(error)?;
    }
    match mode {
        ImageTransfer::Copy => std::fs::copy(from, to).map(|_| ()),
        ImageTransfer::Hardlink => std::fs::hard_link(from, to),
        ImageTransfer::Symlink => {
            let absolute = std::fs::canonicalize(from).map_err(error)?;
            symlink(&absolute, to)
        }
        ImageTransfer::None => Ok(()),
    }
    .map_err(error)
}

#[cfg(unix)]
fn symlink(from: &Path, to: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(from, to)
}

#[cfg(not(unix))]
fn symlink(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::copy(from, to).map(|_| ())
}
