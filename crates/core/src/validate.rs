//! The validator: reads a dataset directory in a format and checks it as a whole — the registry's
//! "validate path" and `datamill validate`.
//!
//! The codec reports what is wrong in the annotation files themselves (syntax, ids, references);
//! this module adds what needs the model or the disk: degenerate and out-of-bounds geometry,
//! duplicate file names, missing and unannotated image files, and images whose size on disk
//! (after EXIF orientation) differs from the size the annotations were made for.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::codecs::{self, CodecError, Dataset, ReadOptions, relative_name};
use crate::diagnostics::{Diagnostics, Location, Problem, ProblemCode, SeverityCounts};
use crate::files::Files;
use crate::format::AnnotationFormat;
use crate::geometry::{BBox, Segmentation};
use crate::imageinfo::{self, is_image_path};
use crate::model::{Annotation, AnnotationType, DatasetMeta, ImageRecord};

/// How thoroughly to validate.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    pub read: ReadOptions,
    /// Look at the image files (existence, header sizes, unannotated files).
    pub check_images: bool,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        Self {
            read: ReadOptions::default(),
            check_images: true,
        }
    }
}

/// Counts of what the dataset holds.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetCounts {
    pub images: u64,
    pub annotations: u64,
    pub classes: u64,
    /// Images without any annotation (negatives).
    pub images_without_annotations: u64,
    /// Annotations with `iscrowd`.
    pub crowd_annotations: u64,
    /// Annotations per type (`BBOX`, `SEGMENTATION`, …).
    pub annotation_types: BTreeMap<AnnotationType, u64>,
}

/// One row of the class histogram.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCount {
    pub id: i64,
    pub name: String,
    pub annotations: u64,
    /// Images with at least one annotation of the class.
    pub images: u64,
}

/// Where the dataset's files are.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    pub annotation_files: Vec<String>,
    /// The image directory, relative to the dataset directory.
    pub image_root: String,
}

/// The validator's answer: counts, the class histogram and every problem with its location.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationReport {
    pub format: AnnotationFormat,
    /// `true` when there are no errors (warnings allowed).
    pub valid: bool,
    pub errors: u64,
    pub warnings: u64,
    /// `None` when the path is not a readable dataset of the format at all.
    pub layout: Option<Layout>,
    pub counts: DatasetCounts,
    pub class_histogram: Vec<ClassCount>,
    /// Problems, at most a fixed number per code; `problem_counts` has the exact numbers.
    pub problems: Vec<Problem>,
    pub problem_counts: BTreeMap<ProblemCode, SeverityCounts>,
}

/// What [`summarise`] counts, for one run of images.
#[derive(Default)]
struct Tally {
    images_without_annotations: u64,
    crowd_annotations: u64,
    annotation_types: BTreeMap<AnnotationType, u64>,
    /// Category id → (annotations, images).
    per_class: HashMap<i64, (u64, u64)>,
    /// The image's category ids, sorted to count each class once per image.
    scratch: Vec<i64>,
}

impl Tally {
    fn add(&mut self, image: &ImageRecord) {
        if image.annotations.is_empty() {
            self.images_without_annotations += 1;
        }
        self.scratch.clear();
        for annotation in &image.annotations {
            *self
                .annotation_types
                .entry(annotation.annotation_type)
                .or_default() += 1;
            if annotation.iscrowd {
                self.crowd_annotations += 1;
            }
            if let Some(id) = annotation.category_id {
                self.per_class.entry(id.0).or_default().0 += 1;
                self.scratch.push(id.0);
            }
        }
        self.scratch.sort_unstable();
        self.scratch.dedup();
        for id in &self.scratch {
            self.per_class.entry(*id).or_default().1 += 1;
        }
    }

    fn merge(mut self, other: Self) -> Self {
        self.images_without_annotations += other.images_without_annotations;
        self.crowd_annotations += other.crowd_annotations;
        for (kind, count) in other.annotation_types {
            *self.annotation_types.entry(kind).or_default() += count;
        }
        for (id, (annotations, images)) in other.per_class {
            let entry = self.per_class.entry(id).or_default();
            entry.0 += annotations;
            entry.1 += images;
        }
        self
    }
}

/// Counts and histogram of a model (what `datamill inspect` shows).
#[must_use]
pub fn summarise(meta: &DatasetMeta) -> (DatasetCounts, Vec<ClassCount>) {
    let mut counts = DatasetCounts {
        images: meta.images.len() as u64,
        annotations: meta.annotation_count() as u64,
        classes: meta.categories.len() as u64,
        ..DatasetCounts::default()
    };
    // Counted on all cores, per run of images, then added up (the totals do not depend on
    // how the images were split).
    let tally = meta
        .images
        .par_iter()
        .fold(Tally::default, |mut tally, image| {
            tally.add(image);
            tally
        })
        .reduce(Tally::default, Tally::merge);
    counts.images_without_annotations = tally.images_without_annotations;
    counts.crowd_annotations = tally.crowd_annotations;
    counts.annotation_types = tally.annotation_types;
    let per_class = tally.per_class;
    let names = meta.category_names();
    let mut histogram: Vec<ClassCount> = meta
        .categories
        .iter()
        .map(|category| {
            let (annotations, images) = per_class.get(&category.id.0).copied().unwrap_or((0, 0));
            ClassCount {
                id: category.id.0,
                name: category.name.clone(),
                annotations,
                images,
            }
        })
        .collect();
    // Classes used by annotations but not declared (reported as problems by the codecs).
    let mut undeclared: Vec<_> = per_class
        .iter()
        .filter(|(id, _)| !names.contains_key(&crate::CategoryId(**id)))
        .collect();
    undeclared.sort();
    for (&id, &(annotations, images)) in undeclared {
        histogram.push(ClassCount {
            id,
            name: String::new(),
            annotations,
            images,
        });
    }
    (counts, histogram)
}

/// Validates the dataset at `path` of `files` in `format`. A path that is not a dataset of the
/// format gives a report with that error, not an `Err`: the caller shows it like any other
/// problem.
#[must_use]
pub fn validate(
    files: Files<'_>,
    format: AnnotationFormat,
    path: &Path,
    options: &ValidateOptions,
) -> ValidationReport {
    match codecs::read(files, format, path, &options.read) {
        Ok(dataset) => validate_dataset(files, format, path, dataset, options),
        Err(error) => refused(format, path, &error),
    }
}

fn refused(format: AnnotationFormat, path: &Path, error: &CodecError) -> ValidationReport {
    let mut diagnostics = Diagnostics::default();
    let (code, location) = match error {
        CodecError::Syntax {
            path: file, line, ..
        } => (
            ProblemCode::Unparsable,
            Location::line(display_relative(file, path), *line),
        ),
        CodecError::Invalid { location, .. } => (ProblemCode::InvalidValue, location.clone()),
        CodecError::Read { path: file, .. } => (
            ProblemCode::MissingFile,
            Location::file(display_relative(file, path)),
        ),
        CodecError::WrongKind { path: file, .. } | CodecError::NotFound { path: file, .. } => (
            ProblemCode::NotADataset,
            Location::file(display_relative(file, path)),
        ),
        CodecError::Write { .. } | CodecError::Unsupported { .. } => {
            (ProblemCode::NotADataset, Location::default())
        }
    };
    // A syntax error's location already names file and line; the message adds the column.
    let message = match error {
        CodecError::Syntax {
            column, message, ..
        } => format!("column {column}: {message}"),
        other => other.to_string(),
    };
    diagnostics.error(code, location, message);
    ValidationReport {
        format,
        valid: false,
        errors: diagnostics.error_count(),
        warnings: 0,
        layout: None,
        counts: DatasetCounts::default(),
        class_histogram: Vec::new(),
        problems: diagnostics.problems,
        problem_counts: diagnostics.counts,
    }
}

fn display_relative(file: &Path, base: &Path) -> String {
    let name = relative_name(file, base);
    if name.is_empty() && file == base {
        ".".to_owned()
    } else if name.is_empty() {
        file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    } else {
        name
    }
}

/// Validates an already-read dataset (the registry reads once and validates).
#[must_use]
pub fn validate_dataset(
    files: Files<'_>,
    format: AnnotationFormat,
    path: &Path,
    dataset: Dataset,
    options: &ValidateOptions,
) -> ValidationReport {
    let Dataset {
        meta,
        mut diagnostics,
        image_root,
        annotation_files,
    } = dataset;
    let base = if files.is_file(path) {
        path.parent().unwrap_or(Path::new(".")).to_owned()
    } else {
        path.to_owned()
    };
    check_geometry(format, &meta, &annotation_files, &mut diagnostics);
    check_file_names(&meta, &annotation_files, &mut diagnostics);
    if options.check_images && matches!(format, AnnotationFormat::Coco | AnnotationFormat::AttrJson)
    {
        check_image_files(
            files,
            &meta,
            &image_root,
            &base,
            &annotation_files,
            &mut diagnostics,
        );
    }
    let (counts, class_histogram) = summarise(&meta);
    meta.dispose();
    let errors = diagnostics.error_count();
    ValidationReport {
        format,
        valid: errors == 0,
        errors,
        warnings: diagnostics.warning_count(),
        layout: Some(Layout {
            annotation_files,
            image_root: display_relative(&image_root, &base),
        }),
        counts,
        class_histogram,
        problems: diagnostics.problems,
        problem_counts: diagnostics.counts,
    }
}

fn annotation_file(files: &[String]) -> String {
    files.first().cloned().unwrap_or_default()
}

/// What the geometry check found on one annotation.
enum GeometryFinding {
    Degenerate(BBox),
    OutOfBounds(BBox),
    PolygonOutside,
}

fn geometry_finding(
    annotation: &Annotation,
    image: &ImageRecord,
    check_bounds: bool,
) -> Option<GeometryFinding> {
    let bbox = annotation.bbox?;
    let sized = image.width > 0 && image.height > 0;
    if bbox.is_degenerate() {
        return Some(GeometryFinding::Degenerate(bbox));
    }
    if !check_bounds || !sized {
        return None;
    }
    if bbox.is_out_of_bounds(image.width, image.height) {
        return Some(GeometryFinding::OutOfBounds(bbox));
    }
    let Some(Segmentation::Polygons(parts)) = &annotation.segmentation else {
        return None;
    };
    let (w, h) = (f64::from(image.width), f64::from(image.height));
    parts
        .iter()
        .flat_map(|p| p.chunks_exact(2))
        .any(|p| p[0] < 0.0 || p[1] < 0.0 || p[0] > w || p[1] > h)
        .then_some(GeometryFinding::PolygonOutside)
}

fn check_geometry(
    format: AnnotationFormat,
    meta: &DatasetMeta,
    files: &[String],
    diagnostics: &mut Diagnostics,
) {
    // YOLO's reader checks normalised coordinates itself, against [0, 1].
    let check_bounds = format != AnnotationFormat::Yolo;
    let file = annotation_file(files);
    // Looked for on all cores (every polygon point of COCO-train is a third of a gigabyte to
    // read), reported in the images' order as one pass would.
    let findings: Vec<(usize, usize, GeometryFinding)> = meta
        .images
        .par_iter()
        .enumerate()
        .flat_map_iter(|(image_index, image)| {
            image
                .annotations
                .iter()
                .enumerate()
                .filter_map(move |(index, annotation)| {
                    geometry_finding(annotation, image, check_bounds)
                        .map(|finding| (image_index, index, finding))
                })
        })
        .collect();
    for (image_index, index, finding) in findings {
        let image = &meta.images[image_index];
        let annotation = &image.annotations[index];
        let subject = annotation.id.map_or_else(
            || format!("{}#{index}", image.file_name),
            |id| format!("annotation {id}"),
        );
        let location = Location::json(file.clone(), subject);
        match finding {
            GeometryFinding::Degenerate(bbox) => diagnostics.error(
                ProblemCode::DegenerateBox,
                location,
                format!(
                    "box [{}, {}, {}, {}] on {} has no area",
                    bbox.x, bbox.y, bbox.w, bbox.h, image.file_name
                ),
            ),
            GeometryFinding::OutOfBounds(bbox) => diagnostics.warning(
                ProblemCode::OutOfBounds,
                location,
                format!(
                    "box [{}, {}, {}, {}] reaches outside {} ({}×{})",
                    bbox.x, bbox.y, bbox.w, bbox.h, image.file_name, image.width, image.height
                ),
            ),
            GeometryFinding::PolygonOutside => diagnostics.warning(
                ProblemCode::OutOfBounds,
                location,
                format!(
                    "a polygon point lies outside {} ({}×{})",
                    image.file_name, image.width, image.height
                ),
            ),
        }
    }
}

fn check_file_names(meta: &DatasetMeta, files: &[String], diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<&str, i64> = HashMap::with_capacity(meta.images.len());
    for image in &meta.images {
        if let Some(first) = seen.insert(image.file_name.as_str(), image.id.0) {
            diagnostics.error(
                ProblemCode::DuplicateId,
                Location::json(annotation_file(files), format!("image {}", image.id)),
                format!(
                    "file name {} is used by images {first} and {}",
                    image.file_name, image.id
                ),
            );
        }
    }
}

fn check_image_files(
    files: Files<'_>,
    meta: &DatasetMeta,
    image_root: &Path,
    base: &Path,
    annotation_files: &[String],
    diagnostics: &mut Diagnostics,
) {
    let root_name = display_relative(image_root, base);
    let shown = |file_name: &str| {
        if root_name.is_empty() || root_name == "." {
            file_name.to_owned()
        } else {
            format!("{root_name}/{file_name}")
        }
    };
    let paths: Vec<PathBuf> = meta
        .images
        .iter()
        .map(|i| image_root.join(&i.file_name))
        .collect();
    // One read per image: a file that is not there (or is a directory) fails the probe with a
    // kind that says so.
    let infos: Vec<_> = paths
        .par_iter()
        .map(|path| match imageinfo::probe(files, path) {
            Err(imageinfo::ImageInfoError::Io { source, .. })
                if matches!(
                    source.kind(),
                    std::io::ErrorKind::NotFound
                        | std::io::ErrorKind::IsADirectory
                        | std::io::ErrorKind::NotADirectory
                ) =>
            {
                None
            }
            other => Some(other),
        })
        .collect();
    for (image, info) in meta.images.iter().zip(infos) {
        match info {
            None => diagnostics.error(
                ProblemCode::MissingImage,
                Location::file(shown(&image.file_name)),
                format!("image {} ({}) is not on disk", image.id, image.file_name),
            ),
            Some(Err(error)) => diagnostics.error(
                ProblemCode::UnreadableImage,
                Location::file(shown(&image.file_name)),
                error.to_string(),
            ),
            Some(Ok(info)) => {
                let (width, height) = info.display_size();
                if (width, height) != (image.width, image.height) {
                    let stored =
                        (info.stored_width, info.stored_height) == (image.width, image.height);
                    let why = if stored && info.orientation >= 5 {
                        format!(
                            "; its EXIF orientation {} turns the stored {}×{} a quarter turn, and \
                             the annotations use the unturned size",
                            info.orientation, info.stored_width, info.stored_height
                        )
                    } else {
                        String::new()
                    };
                    diagnostics.error(
                        ProblemCode::SizeMismatch,
                        Location::file(shown(&image.file_name)),
                        format!(
                            "image {} is {width}×{height} as displayed but the annotations say \
                             {}×{}{why}",
                            image.file_name, image.width, image.height
                        ),
                    );
                }
            }
        }
    }

    // Image files nobody annotated.
    let known: HashSet<&str> = meta.images.iter().map(|i| i.file_name.as_str()).collect();
    let mut stack = vec![image_root.to_owned()];
    let mut unannotated = Vec::new();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = files.list(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.path;
            if entry.kind == crate::files::EntryKind::Dir && !entry.is_symlink {
                stack.push(path);
            } else if is_image_path(&path) {
                let name = relative_name(&path, image_root);
                if !known.contains(name.as_str()) {
                    unannotated.push(name);
                }
            }
        }
    }
    unannotated.sort();
    let annotation_file = annotation_file(annotation_files);
    for name in unannotated {
        diagnostics.warning(
            ProblemCode::UnannotatedImage,
            Location::file(shown(&name)),
            format!("{name} is on disk but not in {annotation_file}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real 8×4 JPEG whose EXIF orientation is `orientation`.
    fn jpeg_with_orientation(orientation: u16) -> Vec<u8> {
        let mut plain = Vec::new();
        image::RgbImage::from_pixel(8, 4, image::Rgb([200, 10, 10]))
            .write_to(
                &mut std::io::Cursor::new(&mut plain),
                image::ImageFormat::Jpeg,
            )
            .expect("encodes");
        let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec();
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
        tiff.extend_from_slice(&orientation.to_be_bytes());
        tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        let mut segment = b"Exif\0\0".to_vec();
        segment.extend(tiff);
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
        jpeg.extend_from_slice(&((segment.len() + 2) as u16).to_be_bytes());
        jpeg.extend(segment);
        jpeg.extend_from_slice(&plain[2..]);
        jpeg
    }

    fn dataset_with(images: &[(&str, u32, u32)], files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("images")).expect("images dir");
        for (name, bytes) in files {
            std::fs::write(dir.path().join("images").join(name), bytes).expect("image");
        }
        let images: Vec<serde_json::Value> = images
            .iter()
            .enumerate()
            .map(|(id, (name, w, h))| {
                serde_json::json!({"id": id, "file_name": name, "width": w, "height": h})
            })
            .collect();
        let document = serde_json::json!({
            "images": images,
            "annotations": [{"id": 1, "image_id": 0, "category_id": 1, "bbox": [1, 1, 0, 2]}],
            "categories": [{"id": 1, "name": "a"}]
        });
        std::fs::write(dir.path().join("annotation.json"), document.to_string()).expect("json");
        dir
    }

    #[test]
    fn a_quarter_turned_exif_image_annotated_at_its_stored_size_is_a_size_mismatch() {
        let dir = dataset_with(
            &[("turned.jpg", 8, 4), ("missing.jpg", 8, 4)],
            &[
                ("turned.jpg", jpeg_with_orientation(6)),
                ("stray.jpg", jpeg_with_orientation(1)),
            ],
        );
        let report = validate(
            Files::local(),
            AnnotationFormat::Coco,
            dir.path(),
            &ValidateOptions::default(),
        );
        assert!(!report.valid);
        let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "error: annotation.json annotation 1: box [1, 1, 0, 2] on turned.jpg has no area",
                "error: images/turned.jpg: image turned.jpg is 4×8 as displayed but the \
                 annotations say 8×4; its EXIF orientation 6 turns the stored 8×4 a quarter turn, \
                 and the annotations use the unturned size",
                "error: images/missing.jpg: image 1 (missing.jpg) is not on disk",
                "warning: images/stray.jpg: stray.jpg is on disk but not in annotation.json",
            ]
        );
    }

    #[test]
    fn a_path_that_is_no_dataset_gives_a_report_not_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let report = validate(
            Files::local(),
            AnnotationFormat::Coco,
            &dir.path().join("absent"),
            &ValidateOptions::default(),
        );
        assert!(!report.valid);
        assert!(report.layout.is_none());
        assert_eq!(report.problems[0].code, ProblemCode::NotADataset);
    }

    /// Through a storage, a file name cannot climb out of the dataset: the image is reported as
    /// unreadable, and the file outside is never read.
    #[test]
    fn an_image_name_climbing_out_of_the_dataset_is_refused_not_read() {
        use datamill_storage::testing::{CountingStorageClient, MemoryStorageClient, Operation};

        let storage = CountingStorageClient::new(MemoryStorageClient::new());
        let files = Files::new(&storage);
        files
            .write(Path::new("secret/x.jpg"), jpeg_with_orientation(1))
            .expect("secret");
        files
            .write(Path::new("ds/images/a.jpg"), jpeg_with_orientation(1))
            .expect("image");
        let document = serde_json::json!({
            "images": [
                {"id": 1, "file_name": "a.jpg", "width": 8, "height": 4},
                {"id": 2, "file_name": "../../secret/x.jpg", "width": 8, "height": 4}
            ],
            "annotations": [],
            "categories": [{"id": 1, "name": "a"}]
        });
        files
            .write(Path::new("ds/annotation.json"), document.to_string())
            .expect("json");
        storage.reset();
        let report = validate(
            files,
            AnnotationFormat::Coco,
            Path::new("ds"),
            &ValidateOptions::default(),
        );
        let unreadable: Vec<&Problem> = report
            .problems
            .iter()
            .filter(|p| p.code == ProblemCode::UnreadableImage)
            .collect();
        assert_eq!(unreadable.len(), 1, "{:?}", report.problems);
        assert!(
            unreadable[0].message.contains("climbs up"),
            "{}",
            unreadable[0].message
        );
        // Only the dataset's own image was read.
        assert_eq!(storage.counts().calls(Operation::ReadRange), 1);
    }
}
