//! NONE: images only, no annotations.
//!
//! Reading lists every image file under `DIR/images/` (recursively, sorted by path) with its size
//! from the header; other files are reported. Writing writes nothing and reports every annotation,
//! attribute and category it cannot carry.

use std::path::{Path, PathBuf};

use super::{CodecError, Dataset, ReadOptions, WriteOptions, relative_name};
use crate::diagnostics::{Diagnostics, Location, ProblemCode};
use crate::files::{Entry, Files};
use crate::format::AnnotationFormat;
use crate::imageinfo;
use crate::model::{DatasetMeta, ImageRecord, SourceInfo};
use crate::report::{Action, ConversionReport, Counts, Reason};

/// Every regular file under `dir`, recursively, sorted by path. Symbolic links to directories are
/// not followed, so a link loop cannot make a read run forever.
pub(crate) fn walk_files(files: Files<'_>, dir: &Path) -> Result<Vec<PathBuf>, CodecError> {
    Ok(walk_entries(files, dir)?
        .into_iter()
        .map(|entry| entry.path)
        .collect())
}

/// [`walk_files`] with each file's listing entry (its size).
pub(crate) fn walk_entries(files: Files<'_>, dir: &Path) -> Result<Vec<Entry>, CodecError> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        let entries = files
            .list(&current)
            .map_err(|e| CodecError::read(&current, e))?;
        for entry in entries {
            if entry.is_dir() && !entry.is_symlink {
                pending.push(entry.path);
            } else if entry.is_file() {
                found.push(entry);
            }
        }
    }
    found.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// Display sizes of images from their headers (all cores), `(0, 0)` when not probing or when a
/// header cannot be read (reported as `UnreadableImage` against `names[i]`).
pub(crate) fn probe_sizes(
    files: Files<'_>,
    paths: &[PathBuf],
    names: &[String],
    probe: bool,
    diagnostics: &mut Diagnostics,
) -> Vec<(u32, u32)> {
    if !probe {
        return vec![(0, 0); paths.len()];
    }
    imageinfo::probe_all(files, paths)
        .into_iter()
        .zip(names)
        .map(|(result, name)| match result {
            Ok(info) => info.display_size(),
            Err(error) => {
                diagnostics.warning(
                    ProblemCode::UnreadableImage,
                    Location::file(name.clone()),
                    format!("{error}; width and height are left 0"),
                );
                (0, 0)
            }
        })
        .collect()
}

/// `DIR/images`, or a `NotFound` error for `format`.
pub(crate) fn images_dir(
    files: Files<'_>,
    path: &Path,
    format: AnnotationFormat,
) -> Result<PathBuf, CodecError> {
    let images = path.join("images");
    if files.is_dir(&images) {
        Ok(images)
    } else {
        Err(CodecError::NotFound {
            path: path.to_owned(),
            format,
            detail: if files.is_dir(path) {
                "expected an images/ directory".to_owned()
            } else {
                "the path is not a directory".to_owned()
            },
        })
    }
}

/// Reads the images of `DIR/images/`.
/// Image records (ids from 1) for listed image files, their sizes from the headers.
pub(crate) fn image_records(
    files: Files<'_>,
    paths: &[PathBuf],
    names: Vec<String>,
    probe: bool,
    diagnostics: &mut Diagnostics,
) -> Vec<ImageRecord> {
    let shown: Vec<String> = names.iter().map(|n| format!("images/{n}")).collect();
    let sizes = probe_sizes(files, paths, &shown, probe, diagnostics);
    names
        .into_iter()
        .zip(sizes)
        .zip(1..)
        .map(|((name, (width, height)), id)| ImageRecord::new(id, name, width, height))
        .collect()
}

pub fn read(files: Files<'_>, path: &Path, options: &ReadOptions) -> Result<Dataset, CodecError> {
    let root = images_dir(files, path, AnnotationFormat::None)?;
    let mut diagnostics = Diagnostics::with_limit(options.problem_limit);
    let (paths, names) = list_images(files, &root, path, &mut diagnostics)?;
    let images = image_records(
        files,
        &paths,
        names,
        options.probe_image_sizes,
        &mut diagnostics,
    );
    Ok(Dataset {
        meta: DatasetMeta {
            categories: Vec::new(),
            images,
            attribute_schema: Vec::new(),
            source: SourceInfo::default(),
        },
        diagnostics,
        image_root: root,
        annotation_files: Vec::new(),
    })
}

/// Image files under `root` (paths, and names relative to `root`); others reported as
/// unexpected, with their path relative to the dataset directory `base`.
pub(crate) fn list_images(
    files: Files<'_>,
    root: &Path,
    base: &Path,
    diagnostics: &mut Diagnostics,
) -> Result<(Vec<PathBuf>, Vec<String>), CodecError> {
    let mut paths = Vec::new();
    let mut names = Vec::new();
    for file in walk_files(files, root)? {
        if imageinfo::is_image_path(&file) {
            names.push(relative_name(&file, root));
            paths.push(file);
        } else {
            diagnostics.note(
                ProblemCode::UnexpectedFile,
                Location::file(relative_name(&file, base)),
                "not an image (by its extension); left out",
            );
        }
    }
    Ok((paths, names))
}

/// Writes nothing: reports what an images-only dataset leaves behind.
pub fn write(
    _files: Files<'_>,
    meta: &DatasetMeta,
    _dir: &Path,
    _options: &WriteOptions,
    report: &mut ConversionReport,
) -> Result<(), CodecError> {
    for image in &meta.images {
        if !image.attributes.is_empty() {
            report.note(
                Action::Dropped,
                Reason::UnsupportedField,
                Some(&image.file_name),
                None,
                format!(
                    "{} image attribute(s); an images-only dataset has no annotations",
                    image.attributes.len()
                ),
            );
        }
        for (index, annotation) in image.annotations.iter().enumerate() {
            report.note(
                Action::Dropped,
                Reason::UnsupportedField,
                Some(&image.file_name),
                Some(
                    annotation
                        .id
                        .map_or_else(|| format!("#{index}"), |id| id.to_string()),
                ),
                "an images-only dataset has no annotations",
            );
        }
    }
    report.output = Counts {
        images: meta.images.len() as u64,
        annotations: 0,
        categories: 0,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, CategoryId};

    #[test]
    fn reads_images_recursively_and_reports_other_files() {
        let dir = tempfile::tempdir().expect("test setup");
        let images = dir.path().join("images");
        std::fs::create_dir_all(images.join("a/b")).expect("test setup");
        std::fs::write(images.join("a/b/x.JPG"), b"not really").expect("test setup");
        std::fs::write(images.join("top.png"), b"").expect("test setup");
        std::fs::write(images.join("notes.txt"), b"").expect("test setup");
        let options = ReadOptions {
            probe_image_sizes: false,
            ..ReadOptions::default()
        };
        let dataset = read(Files::local(), dir.path(), &options).expect("test setup");
        let names: Vec<_> = dataset
            .meta
            .images
            .iter()
            .map(|i| i.file_name.as_str())
            .collect();
        assert_eq!(names, ["a/b/x.JPG", "top.png"]);
        let unexpected: Vec<_> = dataset
            .diagnostics
            .of(ProblemCode::UnexpectedFile)
            .map(|p| p.location.to_string())
            .collect();
        assert_eq!(unexpected, ["images/notes.txt"]);
    }

    #[test]
    fn writing_reports_every_annotation() {
        let mut meta = DatasetMeta::default();
        let mut image = ImageRecord::new(1, "a.jpg", 1, 1);
        image.annotations.push(Annotation::bbox(
            CategoryId(1),
            crate::geometry::BBox::default(),
        ));
        image.annotations.push(Annotation::bbox(
            CategoryId(2),
            crate::geometry::BBox::default(),
        ));
        meta.images.push(image);
        let mut report = ConversionReport::new(None, AnnotationFormat::None);
        let dir = tempfile::tempdir().expect("test setup");
        write(
            Files::local(),
            &meta,
            dir.path(),
            &WriteOptions::default(),
            &mut report,
        )
        .expect("test setup");
        assert_eq!(report.count(Action::Dropped, Reason::UnsupportedField), 2);
        assert_eq!(
            std::fs::read_dir(dir.path()).expect("test setup").count(),
            0
        );
    }
}
