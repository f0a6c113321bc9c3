//! CLS_FOLDER: ImageNet-style class folders, `DIR/images/<class>/<file>`. Read and write.
//!
//! # Reading
//!
//! The classes are the folder names directly under `images/`, sorted (byte order, as
//! torchvision's `ImageFolder`), numbered 0..n-1 as category ids; empty class folders are classes
//! too, so that indices do not shift when a class has no images yet. Every image file directly in a
//! class folder becomes one image with one `LABEL` annotation of that class; its `file_name` is
//! `<class>/<file>`. What does not fit the layout is reported with its path and left out rather
//! than guessed: images directly under `images/` (no class), images in nested folders
//! (`images/a/b/x.jpg`: class `a` or `a/b`?), and files without an image extension. An image whose
//! type differs from the rest of its folder (a GIF among JPEGs) is read and noted. Images with no
//! class folder at all are refused as another kind of dataset (e.g. an ImageNet txt list).
//!
//! # Writing
//!
//! The label *is* the path, so the model's `file_name` of a CLS_FOLDER image must be
//! `<class>/<file>`. Writing writes no file; it creates `images/<class>/` for every category and
//! reports, per image, what cannot be expressed: no or several `LABEL` annotations (dropped), other
//! annotations and attributes (dropped), and a `file_name` that is not `<class>/<file>` (renamed
//! to it; [`target_names`] gives the names, so that the images can be moved there).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::{CodecError, Dataset, ReadOptions, WriteOptions, none, relative_name};
use crate::diagnostics::{Diagnostics, Location, ProblemCode};
use crate::files::Files;
use crate::format::AnnotationFormat;
use crate::imageinfo;
use crate::model::{
    Annotation, AnnotationType, Attributes, Category, CategoryId, DatasetMeta, Extra, ImageRecord,
    SourceInfo,
};
use crate::report::{Action, ConversionReport, Counts, Reason};

/// Reads `DIR/images/<class>/<file>`.
pub fn read(files: Files<'_>, path: &Path, options: &ReadOptions) -> Result<Dataset, CodecError> {
    let root = none::images_dir(files, path, AnnotationFormat::ClsFolder)?;
    let mut diagnostics = Diagnostics::with_limit(options.problem_limit);
    let mut classes: Vec<(String, PathBuf)> = Vec::new();
    let entries = files.list(&root).map_err(|e| CodecError::read(&root, e))?;
    for entry in entries {
        let entry_path = entry.path;
        if entry.kind == crate::files::EntryKind::Dir {
            classes.push((entry.name, entry_path));
        } else {
            let name = relative_name(&entry_path, path);
            if imageinfo::is_image_path(&entry_path) {
                diagnostics.warning(
                    ProblemCode::UnannotatedImage,
                    Location::file(name),
                    "image directly under images/, in no class folder; left out",
                );
            } else {
                diagnostics.warning(
                    ProblemCode::UnexpectedFile,
                    Location::file(name),
                    "not an image (by its extension) and not a class folder; left out",
                );
            }
        }
    }
    classes.sort();
    if classes.is_empty()
        && diagnostics
            .problems
            .iter()
            .any(|p| p.code == ProblemCode::UnannotatedImage)
    {
        // Images but no class folder at all: not a class-folder dataset, whatever else it is.
        let txt_list =
            files.is_file(&path.join("train.txt")) || files.is_file(&path.join("synsets.txt"));
        return Err(CodecError::WrongKind {
            path: path.to_owned(),
            what: if txt_list {
                "an ImageNet txt-list dataset (images/ plus train.txt and synsets.txt)".to_owned()
            } else {
                "a folder of images without class folders".to_owned()
            },
            expected: AnnotationFormat::ClsFolder,
            hint: if txt_list {
                "Datamill does not read txt class lists; move each image into images/<class>/, \
                 or read the images alone with --format none."
                    .to_owned()
            } else {
                "Put each image into images/<class>/, \
                 or read the images alone with --format none."
                    .to_owned()
            },
        });
    }

    let mut paths = Vec::new();
    let mut names = Vec::new();
    let mut labels = Vec::new();
    for (index, (class, class_dir)) in classes.iter().enumerate() {
        let mut in_class: Vec<PathBuf> = Vec::new();
        for file in none::walk_files(files, class_dir)? {
            let name = relative_name(&file, path);
            let nested = file.parent() != Some(class_dir.as_path());
            match (nested, imageinfo::is_image_path(&file)) {
                (true, true) => diagnostics.warning(
                    ProblemCode::UnannotatedImage,
                    Location::file(name),
                    format!(
                        "image in a nested folder of class `{class}`: its class is ambiguous; \
                         left out"
                    ),
                ),
                (_, false) => diagnostics.warning(
                    ProblemCode::UnexpectedFile,
                    Location::file(name),
                    "not an image (by its extension); left out",
                ),
                (false, true) => in_class.push(file),
            }
        }
        if in_class.is_empty() {
            diagnostics.note(
                ProblemCode::UnannotatedImage,
                Location::file(relative_name(class_dir, path)),
                format!("class folder `{class}` holds no images; the class is kept"),
            );
        }
        note_odd_types(&in_class, path, &mut diagnostics);
        for file in in_class {
            names.push(format!("{class}/{}", relative_name(&file, class_dir)));
            paths.push(file);
            labels.push(index);
        }
    }

    let sizes = none::probe_sizes(
        files,
        &paths,
        &names
            .iter()
            .map(|n| format!("images/{n}"))
            .collect::<Vec<_>>(),
        options.probe_image_sizes,
        &mut diagnostics,
    );
    let images = names
        .into_iter()
        .zip(sizes)
        .zip(labels)
        .zip(1..)
        .map(|(((name, (width, height)), label), id)| {
            let mut image = ImageRecord::new(id, name, width, height);
            image
                .annotations
                .push(label_annotation(CategoryId(label as i64)));
            image
        })
        .collect();
    Ok(Dataset {
        meta: DatasetMeta {
            categories: classes
                .into_iter()
                .enumerate()
                .map(|(index, (name, _))| Category::new(index as i64, name))
                .collect(),
            images,
            attribute_schema: Vec::new(),
            source: SourceInfo::default(),
        },
        diagnostics,
        image_root: root,
        annotation_files: Vec::new(),
    })
}

fn label_annotation(category: CategoryId) -> Annotation {
    Annotation {
        id: None,
        annotation_type: AnnotationType::Label,
        category_id: Some(category),
        bbox: None,
        segmentation: None,
        area: None,
        iscrowd: false,
        label: None,
        attributes: Attributes::new(),
        extra: Extra::new(),
    }
}

/// The kind of image a file is by its extension (`jpg`, `jpeg` and `jfif` are all JPEG).
fn image_kind(path: &Path) -> String {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "jpg" | "jpeg" | "jfif" => "JPEG".to_owned(),
        "tif" | "tiff" => "TIFF".to_owned(),
        other => other.to_ascii_uppercase(),
    }
}

/// Notes images whose type is not the folder's usual one: they are read like the others, but a
/// GIF in a JPEG class is often a placeholder ("image not found") rather than a sample.
fn note_odd_types(files: &[PathBuf], base: &Path, diagnostics: &mut Diagnostics) {
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for file in files {
        *kinds.entry(image_kind(file)).or_default() += 1;
    }
    let Some((usual, _)) = kinds.iter().max_by_key(|(_, count)| **count) else {
        return;
    };
    if kinds.len() < 2 {
        return;
    }
    for file in files {
        let kind = image_kind(file);
        if &kind != usual {
            diagnostics.note(
                ProblemCode::Unsupported,
                Location::file(relative_name(file, base)),
                format!(
                    "a {kind} image among {usual} images; read as an image of its class \
                     (check it is not a placeholder)"
                ),
            );
        }
    }
}

/// Whether a category name can be a folder name.
fn folder_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("an empty class name cannot be a folder")
    } else if name == "." || name == ".." {
        Some("`.` and `..` cannot be class folders")
    } else if name.contains(['/', '\\', '\0']) {
        Some("a class name with a path separator cannot be one folder")
    } else {
        None
    }
}

/// Per image, the `file_name` it has as a CLS_FOLDER image (`<class>/<file>`), or `None` when it
/// cannot be written; every drop, rename and loss is recorded in `report`.
#[must_use]
pub fn target_names(meta: &DatasetMeta, report: &mut ConversionReport) -> Vec<Option<String>> {
    let names = meta.category_names();
    let mut taken: HashSet<String> = HashSet::new();
    let mut targets = Vec::with_capacity(meta.images.len());
    for image in &meta.images {
        let file = image.file_name.as_str();
        if !image.attributes.is_empty() {
            report.note(
                Action::Dropped,
                Reason::UnsupportedField,
                Some(file),
                None,
                format!(
                    "{} image attribute(s): class folders hold only the class",
                    image.attributes.len()
                ),
            );
        }
        let mut labels = Vec::new();
        for (index, annotation) in image.annotations.iter().enumerate() {
            let which = annotation
                .id
                .map_or_else(|| format!("#{index}"), |id| id.to_string());
            if annotation.annotation_type == AnnotationType::Label {
                if !annotation.attributes.is_empty() {
                    report.note(
                        Action::Dropped,
                        Reason::UnsupportedField,
                        Some(file),
                        Some(which.clone()),
                        "label attributes: class folders hold only the class",
                    );
                }
                labels.push((which, annotation.category_id));
            } else {
                report.note(
                    Action::Dropped,
                    Reason::UnsupportedField,
                    Some(file),
                    Some(which),
                    format!(
                        "a {:?} annotation: class folders hold one LABEL per image",
                        annotation.annotation_type
                    ),
                );
            }
        }
        let target = match labels.as_slice() {
            [] => {
                report.note(
                    Action::Dropped,
                    Reason::NoCategory,
                    Some(file),
                    None,
                    "no LABEL annotation: a class-folder image needs exactly one",
                );
                None
            }
            [(which, category)] => {
                let class = category.and_then(|id| names.get(&id).copied());
                match class {
                    None => {
                        report.note(
                            Action::Dropped,
                            Reason::UnknownCategory,
                            Some(file),
                            Some(which.clone()),
                            format!(
                                "the LABEL's category {} is not a category of the dataset",
                                category.map_or_else(|| "(none)".to_owned(), |c| c.to_string())
                            ),
                        );
                        None
                    }
                    Some(class) if folder_name_problem(class).is_some() => {
                        report.note(
                            Action::Dropped,
                            Reason::ClassName,
                            Some(file),
                            Some(which.clone()),
                            format!(
                                "class `{class}`: {}",
                                folder_name_problem(class).unwrap_or_default()
                            ),
                        );
                        None
                    }
                    Some(class) => Some(class),
                }
            }
            several => {
                report.note(
                    Action::Dropped,
                    Reason::UnsupportedField,
                    Some(file),
                    None,
                    format!(
                        "{} LABEL annotations: a class-folder image has exactly one class",
                        several.len()
                    ),
                );
                None
            }
        };
        let Some(class) = target else {
            targets.push(None);
            continue;
        };
        let base = file.rsplit('/').next().unwrap_or(file);
        let wanted = format!("{class}/{base}");
        if !taken.insert(wanted.clone()) {
            report.note(
                Action::Dropped,
                Reason::NameCollision,
                Some(file),
                None,
                format!("images/{wanted} is already taken by another image"),
            );
            targets.push(None);
            continue;
        }
        if wanted != file {
            report.note(
                Action::Renamed,
                Reason::ClassName,
                Some(file),
                None,
                format!("the class is the folder: written as images/{wanted}"),
            );
        }
        targets.push(Some(wanted));
    }
    targets
}

/// Creates `images/<class>/` for every category and reports what the layout cannot hold.
pub fn write(
    files: Files<'_>,
    meta: &DatasetMeta,
    dir: &Path,
    _options: &WriteOptions,
    report: &mut ConversionReport,
) -> Result<(), CodecError> {
    let mut categories = 0;
    for category in &meta.categories {
        if let Some(problem) = folder_name_problem(&category.name) {
            report.note(
                Action::Dropped,
                Reason::ClassName,
                None,
                None,
                format!("class `{}` (id {}): {problem}", category.name, category.id),
            );
            continue;
        }
        let folder = dir.join("images").join(&category.name);
        files
            .create_dir_all(&folder)
            .map_err(|e| CodecError::write(&folder, e))?;
        categories += 1;
    }
    // Reading numbers classes by sorted folder name; say so when that is not the ids' order.
    let mut sorted: Vec<&Category> = meta.categories.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    for (index, category) in sorted.iter().enumerate() {
        if category.id.0 != index as i64 {
            report.note(
                Action::Reindexed,
                Reason::ClassIndex,
                None,
                None,
                format!(
                    "class `{}` (id {}) reads back as index {index} (sorted folder order)",
                    category.name, category.id
                ),
            );
        }
    }
    let written = target_names(meta, report)
        .iter()
        .filter(|t| t.is_some())
        .count() as u64;
    report.output = Counts {
        images: written,
        annotations: written,
        categories,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::BBox;

    #[test]
    fn reports_what_a_class_folder_cannot_hold() {
        let mut meta = DatasetMeta {
            categories: vec![Category::new(0, "cat"), Category::new(1, "a/b")],
            ..DatasetMeta::default()
        };
        let mut ok = ImageRecord::new(1, "cat/x.jpg", 1, 1);
        ok.annotations.push(label_annotation(CategoryId(0)));
        let mut moved = ImageRecord::new(2, "y.jpg", 1, 1);
        moved.annotations.push(label_annotation(CategoryId(0)));
        moved.annotations.push(Annotation::bbox(
            CategoryId(0),
            BBox::new(0.0, 0.0, 1.0, 1.0),
        ));
        let none = ImageRecord::new(3, "z.jpg", 1, 1);
        let mut bad_class = ImageRecord::new(4, "w.jpg", 1, 1);
        bad_class.annotations.push(label_annotation(CategoryId(1)));
        meta.images = vec![ok, moved, none, bad_class];
        let mut report = ConversionReport::new(None, AnnotationFormat::ClsFolder);
        let targets = target_names(&meta, &mut report);
        assert_eq!(
            targets,
            [
                Some("cat/x.jpg".to_owned()),
                Some("cat/y.jpg".to_owned()),
                None,
                None
            ]
        );
        assert_eq!(report.count(Action::Renamed, Reason::ClassName), 1);
        assert_eq!(report.count(Action::Dropped, Reason::UnsupportedField), 1);
        assert_eq!(report.count(Action::Dropped, Reason::NoCategory), 1);
        assert_eq!(report.count(Action::Dropped, Reason::ClassName), 1);
    }
}
