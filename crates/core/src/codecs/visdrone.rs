//! VisDrone2019-DET ground truth (read only).
//!
//! # Layout
//!
//! ```text
//! DIR/images/<stem>.jpg
//! DIR/annotations/<stem>.txt   rows `x,y,w,h,score,category,truncation,occlusion` (pixels)
//! ```
//!
//! Rows tolerate spaces around values, a trailing comma, CRLF and a missing final newline. A
//! 10-column row is VisDrone-VID/MOT (`frame_index,target_id,…`) and is an `Unparsable` error
//! saying so.
//!
//! The model keeps VisDrone's own 12 categories, ids 0..=11 (`ignored regions` … `others`), and
//! every row as a `BBOX` annotation with three `Number` attributes: `score` (1 = evaluated, 0 =
//! ignored), `truncation` (0/1) and `occlusion` (0/1/2). Attributes rather than `extra`, so that
//! the validator, the GUI and filters can see them; nothing is dropped on reading.
//! [`to_detection`] applies Ultralytics' conversion rule on top of that.
//!
//! Image sizes come from the image headers. An annotation file whose image is missing is still
//! read (its boxes are in pixels and worth counting): the image record gets the name
//! `<stem>.jpg`, width and height 0, and a `MissingImage` error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{CodecError, Dataset, ReadOptions, WriteOptions, YoloTask, relative_name};
use crate::diagnostics::{Diagnostics, Location, ProblemCode};
use crate::files::{Entry, Files};
use crate::format::AnnotationFormat;
use crate::geometry::BBox;
use crate::imageinfo::{self, is_image_path};
use crate::model::{Annotation, AttributeValue, Category, CategoryId, DatasetMeta, ImageRecord};
use crate::report::{Action, ConversionReport, Reason};

/// VisDrone's categories by id (toolkit README).
pub const CATEGORIES: [&str; 12] = [
    "ignored regions",
    "pedestrian",
    "people",
    "bicycle",
    "car",
    "van",
    "truck",
    "tricycle",
    "awning-tricycle",
    "bus",
    "motor",
    "others",
];

/// Ultralytics' 10 VisDrone class names (`VisDrone.yaml`): categories 1..=10 shifted down by one.
pub const DETECTION_NAMES: [&str; 10] = [
    "pedestrian",
    "people",
    "bicycle",
    "car",
    "van",
    "truck",
    "tricycle",
    "awning-tricycle",
    "bus",
    "motor",
];

/// One parsed annotation row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VisDroneRow {
    /// 1-based line number.
    pub line: u64,
    pub bbox: BBox,
    pub score: i64,
    pub category: i64,
    pub truncation: i64,
    pub occlusion: i64,
}

/// Parses one annotation file's text; bad lines become problems located at `file` and their line.
#[must_use]
pub fn parse_annotation_text(
    text: &str,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<VisDroneRow> {
    let mut rows = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index as u64 + 1;
        let location = || Location::line(file, line);
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let mut fields: Vec<&str> = raw.split(',').map(str::trim).collect();
        // `…,0,0,` — a trailing comma leaves one empty field.
        if fields.last().is_some_and(|f| f.is_empty()) {
            fields.pop();
        }
        if fields.len() == 10 {
            diagnostics.error(
                ProblemCode::Unparsable,
                location(),
                "10 columns: this looks like VisDrone-VID/MOT (frame_index,target_id,x,y,w,h,…), \
                 not VisDrone-DET (x,y,w,h,score,category,truncation,occlusion)",
            );
            continue;
        }
        if fields.len() != 8 {
            diagnostics.error(
                ProblemCode::Unparsable,
                location(),
                format!(
                    "{} columns; expected 8 (x,y,w,h,score,category,truncation,occlusion)",
                    fields.len()
                ),
            );
            continue;
        }
        let mut values = [0_i64; 8];
        let mut bad = None;
        for (value, field) in values.iter_mut().zip(&fields) {
            if let Ok(parsed) = field.parse::<i64>() {
                *value = parsed;
            } else {
                bad = Some(*field);
                break;
            }
        }
        if let Some(field) = bad {
            diagnostics.error(
                ProblemCode::Unparsable,
                location(),
                format!("`{field}` is not an integer"),
            );
            continue;
        }
        let [x, y, w, h, score, category, truncation, occlusion] = values;
        if !(0..=11).contains(&category) {
            diagnostics.error(
                ProblemCode::UnknownCategory,
                location(),
                format!("category {category} is not one of VisDrone's 0..=11; kept"),
            );
        }
        if !(0..=1).contains(&score) {
            diagnostics.warning(
                ProblemCode::InvalidValue,
                location(),
                format!("score {score} in ground truth should be 0 or 1"),
            );
        }
        if w <= 0 || h <= 0 {
            diagnostics.warning(
                ProblemCode::DegenerateBox,
                location(),
                format!("box width {w} or height {h} is not positive"),
            );
        }
        rows.push(VisDroneRow {
            line,
            bbox: BBox::new(x as f64, y as f64, w as f64, h as f64),
            score,
            category,
            truncation,
            occlusion,
        });
    }
    rows
}

/// Reads a VisDrone-DET directory (see the module documentation).
pub fn read(files: Files<'_>, path: &Path, options: &ReadOptions) -> Result<Dataset, CodecError> {
    let annotations_dir = path.join("annotations");
    if !files.is_dir(&annotations_dir) {
        return Err(CodecError::NotFound {
            path: path.to_owned(),
            format: AnnotationFormat::VisDrone,
            detail: "expected annotations/<image>.txt beside images/".to_owned(),
        });
    }
    let images_dir = path.join("images");
    let mut diagnostics = Diagnostics::with_limit(options.problem_limit);

    // Stem → image file.
    let mut images: BTreeMap<String, PathBuf> = BTreeMap::new();
    if files.is_dir(&images_dir) {
        for entry in list(files, &images_dir)? {
            let stem = entry.file_stem().map(|s| s.to_string_lossy().into_owned());
            match stem {
                Some(stem) if is_image_path(&entry) => {
                    images.entry(stem).or_insert(entry);
                }
                _ => diagnostics.warning(
                    ProblemCode::UnexpectedFile,
                    Location::file(relative_name(&entry, path)),
                    "not an image; ignored",
                ),
            }
        }
    }
    let mut annotation_paths: BTreeMap<String, PathBuf> = BTreeMap::new();
    for entry in list(files, &annotations_dir)? {
        let is_txt = entry.extension().is_some_and(|e| e == "txt");
        match entry.file_stem() {
            Some(stem) if is_txt => {
                annotation_paths.insert(stem.to_string_lossy().into_owned(), entry);
            }
            _ => diagnostics.warning(
                ProblemCode::UnexpectedFile,
                Location::file(relative_name(&entry, path)),
                "not a .txt annotation file; ignored",
            ),
        }
    }

    // Every image, plus every annotation file without one, in name order.
    let mut stems: Vec<&String> = images.keys().chain(annotation_paths.keys()).collect();
    stems.sort();
    stems.dedup();
    let image_files: Vec<PathBuf> = stems
        .iter()
        .filter_map(|stem| images.get(*stem).cloned())
        .collect();
    let probed: BTreeMap<&PathBuf, (u32, u32)> = if options.probe_image_sizes {
        image_files
            .iter()
            .zip(imageinfo::probe_all(files, &image_files))
            .filter_map(|(file, result)| match result {
                Ok(info) => Some((file, info.display_size())),
                Err(error) => {
                    diagnostics.error(
                        ProblemCode::UnreadableImage,
                        Location::file(relative_name(file, path)),
                        error.to_string(),
                    );
                    None
                }
            })
            .collect()
    } else {
        BTreeMap::new()
    };

    let limit = options.problem_limit;
    let records: Vec<(ImageRecord, Diagnostics)> = stems
        .par_iter()
        .enumerate()
        .map(|(index, stem)| {
            let mut local = Diagnostics::with_limit(limit);
            let image = images.get(*stem);
            let (width, height) = image.and_then(|i| probed.get(i).copied()).unwrap_or((0, 0));
            let file_name =
                image.map_or_else(|| format!("{stem}.jpg"), |i| relative_name(i, &images_dir));
            let mut record = ImageRecord::new(index as i64, file_name, width, height);
            let Some(annotation_path) = annotation_paths.get(*stem) else {
                return (record, local);
            };
            let file = relative_name(annotation_path, path);
            if image.is_none() {
                local.error(
                    ProblemCode::MissingImage,
                    Location::file(file.clone()),
                    format!(
                        "no image images/{stem}.* for this file; its boxes are read, the image \
                         size is unknown"
                    ),
                );
            }
            match files.read(annotation_path) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    for row in parse_annotation_text(&text, &file, &mut local) {
                        if width > 0 && row.bbox.is_out_of_bounds(width, height) {
                            local.warning(
                                ProblemCode::OutOfBounds,
                                Location::line(file.clone(), row.line),
                                format!("box reaches outside the {width}×{height} image; kept"),
                            );
                        }
                        record.annotations.push(to_annotation(&row));
                    }
                }
                Err(error) => local.error(
                    ProblemCode::MissingFile,
                    Location::file(file),
                    format!("cannot read: {error}"),
                ),
            }
            (record, local)
        })
        .collect();

    let mut meta = DatasetMeta {
        categories: CATEGORIES
            .iter()
            .enumerate()
            .map(|(id, name)| Category::new(id as i64, *name))
            .collect(),
        ..DatasetMeta::default()
    };
    for (record, local) in records {
        diagnostics.extend(local);
        meta.images.push(record);
    }
    meta.source.format = Some(AnnotationFormat::VisDrone);
    Ok(Dataset {
        meta,
        diagnostics,
        image_root: images_dir,
        annotation_files: annotation_paths
            .values()
            .map(|p| relative_name(p, path))
            .collect(),
    })
}

/// The files directly in `dir`, sorted.
fn list(files: Files<'_>, dir: &Path) -> Result<Vec<PathBuf>, CodecError> {
    Ok(files
        .list(dir)
        .map_err(|e| CodecError::read(dir, e))?
        .into_iter()
        .filter(Entry::is_file)
        .map(|entry| entry.path)
        .collect())
}

fn to_annotation(row: &VisDroneRow) -> Annotation {
    let mut annotation = Annotation::bbox(CategoryId(row.category), row.bbox);
    for (name, value) in [
        ("score", row.score),
        ("truncation", row.truncation),
        ("occlusion", row.occlusion),
    ] {
        annotation
            .attributes
            .insert(name.to_owned(), AttributeValue::Number(value as f64));
    }
    annotation
}

/// Ultralytics' VisDrone → detection rule (`visdrone2yolo`): rows with score 0 are dropped
/// (ignored regions and, in practice, `others`), the class is `category − 1` with the 10 names
/// [`DETECTION_NAMES`] (ids 0..=9); a row that would fall outside them (`others` or
/// `ignored regions` with score 1) is dropped too, where Ultralytics would write class 10 or −1.
/// Nothing else changes: no clipping, truncation and occlusion kept as attributes. An annotation
/// without a `score` attribute counts as score 1.
#[must_use]
pub fn to_detection(meta: &DatasetMeta, report: &mut ConversionReport) -> DatasetMeta {
    let mut out = DatasetMeta {
        categories: DETECTION_NAMES
            .iter()
            .enumerate()
            .map(|(id, name)| Category::new(id as i64, *name))
            .collect(),
        images: Vec::with_capacity(meta.images.len()),
        attribute_schema: meta.attribute_schema.clone(),
        source: meta.source.clone(),
    };
    for image in &meta.images {
        let mut kept = ImageRecord {
            annotations: Vec::with_capacity(image.annotations.len()),
            ..image.clone()
        };
        for (index, annotation) in image.annotations.iter().enumerate() {
            let which = Some(format!("#{index}"));
            let score = match annotation.attributes.get("score") {
                Some(AttributeValue::Number(score)) => *score,
                _ => 1.0,
            };
            let category = annotation.category_id.map_or(-1, |c| c.0);
            if score == 0.0 {
                report.note(
                    Action::Dropped,
                    Reason::IgnoredRegion,
                    Some(&image.file_name),
                    which,
                    format!(
                        "score 0 ({}): ignored in VisDrone evaluation, skipped by Ultralytics",
                        category_name(category)
                    ),
                );
                continue;
            }
            let class = category - 1;
            if !(0..DETECTION_NAMES.len() as i64).contains(&class) {
                report.note(
                    Action::Dropped,
                    Reason::UnknownCategory,
                    Some(&image.file_name),
                    which,
                    format!(
                        "category {category} ({}) with score 1 would be class {class} under \
                         Ultralytics' rule, outside its 10 names pedestrian..motor",
                        category_name(category)
                    ),
                );
                continue;
            }
            let mut annotation = annotation.clone();
            annotation.category_id = Some(CategoryId(class));
            kept.annotations.push(annotation);
        }
        out.images.push(kept);
    }
    out
}

fn category_name(category: i64) -> &'static str {
    usize::try_from(category)
        .ok()
        .and_then(|c| CATEGORIES.get(c))
        .copied()
        .unwrap_or("not a VisDrone category")
}

/// The YOLO write options that reproduce Ultralytics' VisDrone labels byte for byte after
/// [`to_detection`]: the 10 names, detection rows, `v * (1 / size)`, 6 decimals.
#[must_use]
pub fn yolo_write_options() -> WriteOptions {
    WriteOptions {
        class_names: Some(DETECTION_NAMES.iter().map(|&n| n.to_owned()).collect()),
        yolo_task: Some(YoloTask::Detect),
        yolo_precision: 6,
        yolo_reciprocal_normalisation: true,
        clamp_to_image: false,
        ..WriteOptions::default()
    }
}

/// VisDrone is read only.
pub fn write(
    _meta: &DatasetMeta,
    _dir: &Path,
    _options: &WriteOptions,
    _report: &mut ConversionReport,
) -> Result<(), CodecError> {
    Err(CodecError::Unsupported {
        format: AnnotationFormat::VisDrone,
        reason: "Datamill reads VisDrone but does not write it".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_with_spaces_trailing_commas_and_crlf() {
        let mut diagnostics = Diagnostics::default();
        let text = "684,8,273,116,0,0,0,0\r\n 406, 119, 265, 70, 1, 4, 0, 1,\r\n1,2,3,4,1,11,0,0";
        let rows = parse_annotation_text(text, "a.txt", &mut diagnostics);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].bbox, BBox::new(406.0, 119.0, 265.0, 70.0));
        assert_eq!((rows[1].category, rows[1].occlusion), (4, 1));
        assert!(diagnostics.problems.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn vid_rows_are_refused_by_name() {
        let mut diagnostics = Diagnostics::default();
        let rows = parse_annotation_text("1,0,593,43,174,190,0,0,0,0\n", "a.txt", &mut diagnostics);
        assert!(rows.is_empty());
        assert!(diagnostics.problems[0].message.contains("VisDrone-VID/MOT"));
        assert_eq!(diagnostics.problems[0].location.line, Some(1));
    }

    #[test]
    fn detection_rule_drops_score_zero_and_others() {
        let mut meta = DatasetMeta::default();
        let mut image = ImageRecord::new(0, "a.jpg", 100, 100);
        for (category, score) in [(0, 0), (11, 0), (4, 1), (11, 1), (1, 1)] {
            image.annotations.push(to_annotation(&VisDroneRow {
                line: 1,
                bbox: BBox::new(1.0, 1.0, 2.0, 2.0),
                score,
                category,
                truncation: 0,
                occlusion: 0,
            }));
        }
        meta.images.push(image);
        let mut report = ConversionReport::new(None, AnnotationFormat::Yolo);
        let out = to_detection(&meta, &mut report);
        let classes: Vec<i64> = out.images[0]
            .annotations
            .iter()
            .filter_map(|a| a.category_id.map(|c| c.0))
            .collect();
        assert_eq!(classes, [3, 0]);
        assert_eq!(report.count(Action::Dropped, Reason::IgnoredRegion), 2);
        assert_eq!(report.count(Action::Dropped, Reason::UnknownCategory), 1);
    }
}
