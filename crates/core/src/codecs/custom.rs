//! CUSTOM: opaque files the platform registers but does not interpret.
//!
//! Reading lists the files under `DIR` (their count and total size go into `source.extra` as
//! `file_count` and `total_bytes`, so that a dataset version can show what it holds), and the
//! images under `DIR/images/` when there is such a directory. There are never annotations.
//! Writing is not possible: there is nothing Datamill could write that a custom consumer expects.

use std::path::Path;

use serde_json::Value;

use super::{CodecError, Dataset, ReadOptions, WriteOptions, none};
use crate::diagnostics::Diagnostics;
use crate::files::Files;
use crate::format::AnnotationFormat;
use crate::model::{DatasetMeta, SourceInfo};
use crate::report::ConversionReport;

/// Reads what can be said about an opaque dataset directory.
pub fn read(files: Files<'_>, path: &Path, options: &ReadOptions) -> Result<Dataset, CodecError> {
    if !files.is_dir(path) {
        return Err(CodecError::NotFound {
            path: path.to_owned(),
            format: AnnotationFormat::Custom,
            detail: "the path is not a directory".to_owned(),
        });
    }
    let found = none::walk_entries(files, path)?;
    let total_bytes = found
        .iter()
        .fold(0_u64, |total, file| total.saturating_add(file.size));
    let mut diagnostics = Diagnostics::with_limit(options.problem_limit);
    let images_root = path.join("images");
    let (images, image_root) = if files.is_dir(&images_root) {
        // Non-image files are the norm in a custom dataset, so they are not reported here.
        let mut ignored = Diagnostics::with_limit(0);
        let (paths, names) = none::list_images(files, &images_root, path, &mut ignored)?;
        let images = none::image_records(
            files,
            &paths,
            names,
            options.probe_image_sizes,
            &mut diagnostics,
        );
        (images, images_root)
    } else {
        (Vec::new(), path.to_owned())
    };
    let mut extra = serde_json::Map::new();
    extra.insert("file_count".to_owned(), Value::from(found.len() as u64));
    extra.insert("total_bytes".to_owned(), Value::from(total_bytes));
    Ok(Dataset {
        meta: DatasetMeta {
            categories: Vec::new(),
            images,
            attribute_schema: Vec::new(),
            source: SourceInfo {
                format: None,
                extra: extra.into(),
            },
        },
        diagnostics,
        image_root,
        annotation_files: Vec::new(),
    })
}

/// Custom datasets cannot be written ([`super::write`] refuses before calling this).
pub fn write(
    _files: Files<'_>,
    _meta: &DatasetMeta,
    _dir: &Path,
    _options: &WriteOptions,
    _report: &mut ConversionReport,
) -> Result<(), CodecError> {
    Err(CodecError::Unsupported {
        format: AnnotationFormat::Custom,
        reason: "custom datasets are opaque; Datamill does not write them".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_files_and_lists_images() {
        let dir = tempfile::tempdir().expect("test setup");
        std::fs::create_dir_all(dir.path().join("images/sub")).expect("test setup");
        std::fs::write(dir.path().join("images/sub/a.jpg"), b"1234").expect("test setup");
        std::fs::write(dir.path().join("weights.bin"), b"123456").expect("test setup");
        let options = ReadOptions {
            probe_image_sizes: false,
            ..ReadOptions::default()
        };
        let dataset = read(Files::local(), dir.path(), &options).expect("test setup");
        assert_eq!(dataset.meta.source.extra["file_count"], 2);
        assert_eq!(dataset.meta.source.extra["total_bytes"], 10);
        assert_eq!(dataset.meta.images[0].file_name, "sub/a.jpg");
        assert_eq!(dataset.meta.annotation_count(), 0);
    }
}
