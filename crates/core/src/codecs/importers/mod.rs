//! Importers from attribute label files of public datasets into the model (and so ATTR_JSON).
//!
//! These are not formats Datamill writes: each importer reads a dataset's own label files once
//! and produces a [`DatasetMeta`] with a typed `attribute_schema`, which is then written as
//! ATTR_JSON. The source's value coding is kept in each attribute's `source_encoding`.

pub mod celeba;
pub mod market1501;

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{CodecError, none};
use crate::diagnostics::{Diagnostics, Location, ProblemCode};
use crate::files::Files;
use crate::model::{AttributeValue, DatasetMeta, Extra, ImageRecord};

/// A text label file, BOM stripped, invalid UTF-8 replaced (file names in these lists are ASCII).
pub(crate) fn read_text(path: &Path) -> Result<String, CodecError> {
    let bytes = std::fs::read(path).map_err(|e| CodecError::read(path, e))?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned())
}

/// The first of `candidates` that is a file.
pub(crate) fn first_file(candidates: impl IntoIterator<Item = PathBuf>) -> Option<PathBuf> {
    candidates.into_iter().find(|p| p.is_file())
}

/// Gives every image every schema attribute: a value the source does not label becomes
/// `null` (unknown), so that the written file says "not labelled" rather than leaving it out.
pub(crate) fn fill_unknown(meta: &mut DatasetMeta) {
    let names: Vec<String> = meta
        .attribute_schema
        .iter()
        .map(|def| def.name.clone())
        .collect();
    for image in &mut meta.images {
        for name in &names {
            image
                .attributes
                .entry(name.clone())
                .or_insert(AttributeValue::Unknown);
        }
    }
}

/// Sets the sizes of the images found under `root` from their headers; images not on disk are
/// reported as missing (one problem per image) unless there are no images at all, which is one
/// warning: label files are often imported without the images.
pub(crate) fn probe_images(
    images: &mut [ImageRecord],
    root: Option<&Path>,
    probe: bool,
    diagnostics: &mut Diagnostics,
) {
    let Some(root) = root else {
        diagnostics.warning(
            ProblemCode::MissingImage,
            Location::default(),
            "no image directory found; image sizes are left 0",
        );
        return;
    };
    let mut present = Vec::new();
    for (index, image) in images.iter().enumerate() {
        let path = root.join(&image.file_name);
        if path.is_file() {
            present.push((index, path));
        } else {
            diagnostics.warning(
                ProblemCode::MissingImage,
                Location::file(image.file_name.clone()),
                "listed in the labels but not on disk",
            );
        }
    }
    let (indices, paths): (Vec<usize>, Vec<PathBuf>) = present.into_iter().unzip();
    let names: Vec<String> = indices
        .iter()
        .map(|&i| images[i].file_name.clone())
        .collect();
    let sizes = none::probe_sizes(Files::local(), &paths, &names, probe, diagnostics);
    for (index, (width, height)) in indices.into_iter().zip(sizes) {
        images[index].width = width;
        images[index].height = height;
    }
}

/// `source.extra` naming the importer, so that a written file says where it came from.
pub(crate) fn provenance(importer: &str) -> Extra {
    let mut extra = Extra::new();
    extra.insert("importer".to_owned(), Value::from(importer));
    extra
}
