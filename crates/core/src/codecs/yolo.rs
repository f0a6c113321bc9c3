//! Ultralytics YOLO: one `.txt` of normalised rows per image, class names in `data.yaml`.
//!
//! # Layout
//!
//! A dataset directory is **one split**:
//!
//! ```text
//! DIR/data.yaml                 names (list or {0: a} map), optional nc; other keys are kept
//! DIR/images/**/<stem>.<ext>    the images (any depth)
//! DIR/labels/**/<stem>.txt      one file per image, at the image's relative path
//! ```
//!
//! Without `data.yaml`, `DIR/classes.txt` or `DIR/obj.names` (one name per line) give the names.
//! Without any of them the names are unknown: a `MissingFile` error, and every row's class is an
//! `UnknownCategory` error (the annotation is kept with its class index as category id, as for any
//! index beyond the names; Datamill never invents a name).
//!
//! Rows (whitespace-separated, CRLF and a missing final newline tolerated, blank lines skipped):
//! 5 values = box `class cx cy w h`; an odd count ≥ 7 = polygon `class x1 y1 … xn yn`, read as a
//! `SEGMENTATION` annotation in absolute pixels with its box derived from the polygon. With
//! `kpt_shape: [K, D]` in `data.yaml` a row of `5 + K·D` values is a pose row: its box is read and
//! its keypoints are not (the model has no keypoints; one `Unsupported` warning says so). An OBB
//! dataset's 9-value rows read as 4-point polygons: the same geometry.
//!
//! What counts as a label file: `labels/<p>.txt` for an image `images/<p>.<ext>`. Any other `.txt`
//! under `labels/` is an `OrphanLabel` warning and is not read (a notes file such as `README.txt`
//! cannot be told apart from a label whose image is gone); any other file (`#temp`, `.cache`) is an
//! `UnexpectedFile` warning. An image without a label file has no objects.
//!
//! Image sizes come from the image headers (EXIF-aware display size). An image whose header cannot
//! be read is kept with width and height 0 (an `UnreadableImage` error); its rows cannot be turned
//! into pixels, so its annotations keep the normalised row in `extra["yolo"]` and have zero boxes.
//! The same holds for every image when [`ReadOptions::probe_image_sizes`] is off.
//!
//! Layouts that are not this one are refused with what they are: a Roboflow export root
//! (`train/images`, … — read one split directory), a Darknet `obj.data` layout, a DOTA-style
//! `labelTxt/` directory.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use thiserror::Error;
use yaml_rust2::{Yaml, YamlEmitter, YamlLoader};

use super::fixed::{push_fixed, push_integer};
use super::{CodecError, CrowdPolicy, Dataset, ReadOptions, WriteOptions, YoloTask, relative_name};
use crate::diagnostics::{Diagnostics, Location, ProblemCode};
use crate::files::{Entry, Files};
use crate::format::AnnotationFormat;
use crate::geometry::contour;
use crate::geometry::{BBox, Segmentation, polygon};
use crate::imageinfo::{self, is_image_path};
use crate::model::{Annotation, Category, CategoryId, DatasetMeta, Extra, ImageRecord};
use crate::report::{Action, ConversionReport, Reason};

/// The keys of `data.yaml` that the writer produces itself.
const GENERATED_KEYS: [&str; 6] = ["path", "train", "val", "test", "nc", "names"];

/// Pose keys: they describe keypoint columns, which are not read and so not written.
const POSE_KEYS: [&str; 2] = ["kpt_shape", "flip_idx"];

/// One parsed label row.
#[derive(Debug, Clone, PartialEq)]
pub struct YoloRow {
    /// 1-based line number in the file.
    pub line: u64,
    /// The class index.
    pub class: usize,
    pub shape: YoloShape,
}

/// The geometry of a row, normalised to the image size.
#[derive(Debug, Clone, PartialEq)]
pub enum YoloShape {
    /// `cx cy w h`.
    Box([f64; 4]),
    /// `x1 y1 … xn yn`, n ≥ 3.
    Polygon(Vec<f64>),
}

/// What a label parser needs to know besides the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LabelSyntax {
    /// Number of class names; `Some` makes indices beyond it `UnknownCategory` errors.
    pub class_count: Option<usize>,
    /// Values per row after the box in a pose dataset (`K·D` of `kpt_shape: [K, D]`).
    pub keypoint_values: Option<usize>,
}

/// Parses the text of one label file. Every bad line is a problem located at `file` and its
/// 1-based line; good lines are returned, including those with an unknown class or coordinates
/// outside `[0, 1]` (reported, not dropped).
#[must_use]
pub fn parse_label_text(
    text: &str,
    file: &str,
    syntax: LabelSyntax,
    diagnostics: &mut Diagnostics,
) -> Vec<YoloRow> {
    let mut rows = Vec::new();
    // `str::lines` splits on `\n` and strips one `\r` before it; a final line without `\n` counts.
    for (index, raw) in text.lines().enumerate() {
        let line = index as u64 + 1;
        let location = || Location::line(file, line);
        // A stray `\r` elsewhere (old Mac endings) is whitespace too.
        let tokens: Vec<&str> = raw
            .split(|c: char| c.is_whitespace() || c == '\r')
            .filter(|t| !t.is_empty())
            .collect();
        if tokens.is_empty() {
            continue;
        }
        let count = tokens.len() - 1;
        let is_pose_row = syntax.keypoint_values.is_some_and(|k| count == 4 + k);
        if count != 4 && !is_pose_row && (count < 6 || count % 2 == 1) {
            diagnostics.error(
                ProblemCode::Unparsable,
                location(),
                format!(
                    "{count} values after the class; expected 4 (box: cx cy w h) or an even \
                     number of at least 6 (polygon: x1 y1 x2 y2 x3 y3 …)"
                ),
            );
            continue;
        }
        let Some(class) = parse_class(tokens[0]) else {
            diagnostics.error(
                ProblemCode::Unparsable,
                location(),
                format!(
                    "class `{}` is not a non-negative integer class index",
                    tokens[0]
                ),
            );
            continue;
        };
        let mut values = Vec::with_capacity(count);
        let mut bad = None;
        for token in &tokens[1..] {
            match token.parse::<f64>() {
                Ok(value) if value.is_finite() => values.push(value),
                _ => {
                    bad = Some(*token);
                    break;
                }
            }
        }
        if let Some(token) = bad {
            diagnostics.error(
                ProblemCode::Unparsable,
                location(),
                format!("`{token}` is not a finite number"),
            );
            continue;
        }
        if let Some(class_count) = syntax.class_count
            && class >= class_count
        {
            diagnostics.error(
                ProblemCode::UnknownCategory,
                location(),
                format!(
                    "class {class} is beyond the {class_count} class name(s); kept with category \
                     id {class}"
                ),
            );
        }
        let shape = if count == 4 || is_pose_row {
            let b = [values[0], values[1], values[2], values[3]];
            if b[2] <= 0.0 || b[3] <= 0.0 {
                diagnostics.warning(
                    ProblemCode::DegenerateBox,
                    location(),
                    format!("box width {} or height {} is not positive", b[2], b[3]),
                );
            }
            let corners = [
                b[0] - b[2] / 2.0,
                b[1] - b[3] / 2.0,
                b[0] + b[2] / 2.0,
                b[1] + b[3] / 2.0,
            ];
            // Tolerance 1e-6: values printed at 6 decimals put the corners of a box touching the
            // edge up to 7.5e-7 outside (`0.133333 - 0.266667 / 2`); that is rounding, not a fault.
            if b.iter()
                .chain(&corners)
                .any(|v| !(-1e-6..=1.0 + 1e-6).contains(v))
            {
                diagnostics.warning(
                    ProblemCode::OutOfBounds,
                    location(),
                    "box reaches outside the normalised range [0, 1]; kept as is",
                );
            }
            YoloShape::Box(b)
        } else {
            if let Some(v) = values.iter().find(|v| !(0.0..=1.0).contains(*v)) {
                diagnostics.warning(
                    ProblemCode::OutOfBounds,
                    location(),
                    format!(
                        "polygon coordinate {v} is outside the normalised range [0, 1]; kept as is"
                    ),
                );
            }
            YoloShape::Polygon(values)
        };
        rows.push(YoloRow { line, class, shape });
    }
    rows
}

/// A class index: an integer, or a float with no fraction (`3.0`, as some exporters write).
fn parse_class(token: &str) -> Option<usize> {
    if let Ok(class) = token.parse::<usize>() {
        return Some(class);
    }
    let value = token.parse::<f64>().ok()?;
    (value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value < 1e15)
        .then_some(value as usize)
}

/// What `data.yaml` says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataYaml {
    /// Names by class index.
    pub names: Vec<String>,
    /// The stated `nc`, if any.
    pub nc: Option<i64>,
    /// `kpt_shape: [K, D]` of a pose dataset.
    pub kpt_shape: Option<(usize, usize)>,
    /// Every other key, in file order, as JSON.
    pub extra: Extra,
}

/// Why a `data.yaml` cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DataYamlError {
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{0}")]
    Invalid(String),
}

/// Parses an Ultralytics `data.yaml`: `names` as a list or as a `{0: a, 1: b}` map whose keys are
/// exactly `0..n`; other keys are kept as JSON.
pub fn parse_names_yaml(text: &str) -> Result<DataYaml, DataYamlError> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| DataYamlError::Syntax {
        line: e.marker().line() as u64,
        column: e.marker().col() as u64 + 1,
        message: e.info().to_owned(),
    })?;
    let Some(Yaml::Hash(root)) = docs.into_iter().next() else {
        return Err(DataYamlError::Invalid(
            "the file is not a YAML mapping of keys (names, nc, train, …)".to_owned(),
        ));
    };
    let mut data = DataYaml::default();
    let mut names_seen = false;
    for (key, value) in root {
        let key = yaml_scalar_text(&key).unwrap_or_else(|| format!("{key:?}"));
        match key.as_str() {
            "names" => {
                names_seen = true;
                data.names = parse_names(&value)?;
            }
            "nc" => match value {
                Yaml::Integer(nc) => data.nc = Some(nc),
                other => {
                    return Err(DataYamlError::Invalid(format!(
                        "`nc` must be an integer, found {}",
                        yaml_to_json(&other)
                    )));
                }
            },
            _ => {
                if key == "kpt_shape"
                    && let Yaml::Array(shape) = &value
                    && let [Yaml::Integer(k), Yaml::Integer(d)] = shape.as_slice()
                    && *k >= 0
                    && (2..=3).contains(d)
                {
                    data.kpt_shape = Some((*k as usize, *d as usize));
                }
                data.extra.insert(key, yaml_to_json(&value));
            }
        }
    }
    if !names_seen {
        return Err(DataYamlError::Invalid(
            "no `names` key: the class names are unknown".to_owned(),
        ));
    }
    Ok(data)
}

fn parse_names(value: &Yaml) -> Result<Vec<String>, DataYamlError> {
    match value {
        Yaml::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                yaml_scalar_text(item).ok_or_else(|| {
                    DataYamlError::Invalid(format!("names[{index}] is not a plain name"))
                })
            })
            .collect(),
        Yaml::Hash(map) => {
            let mut by_index = BTreeMap::new();
            for (key, name) in map {
                let Yaml::Integer(index) = key else {
                    return Err(DataYamlError::Invalid(format!(
                        "names key {} is not a class index",
                        yaml_to_json(key)
                    )));
                };
                let name = yaml_scalar_text(name).ok_or_else(|| {
                    DataYamlError::Invalid(format!("names[{index}] is not a plain name"))
                })?;
                by_index.insert(*index, name);
            }
            // Ultralytics requires the keys to be exactly 0..n.
            if by_index.keys().copied().ne(0..by_index.len() as i64) {
                return Err(DataYamlError::Invalid(format!(
                    "names keys {:?} are not the class indices 0..{}",
                    by_index.keys().collect::<Vec<_>>(),
                    by_index.len()
                )));
            }
            Ok(by_index.into_values().collect())
        }
        other => Err(DataYamlError::Invalid(format!(
            "`names` must be a list or a {{0: name}} map, found {}",
            yaml_to_json(other)
        ))),
    }
}

fn yaml_scalar_text(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(crate) fn yaml_to_json(value: &Yaml) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::String(s.clone()), Value::Number),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    (
                        yaml_scalar_text(k).unwrap_or_else(|| yaml_to_json(k).to_string()),
                        yaml_to_json(v),
                    )
                })
                .collect(),
        ),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}

fn json_to_yaml(value: &serde_json::Value) -> Yaml {
    use serde_json::Value;
    match value {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Boolean(*b),
        Value::Number(n) => n
            .as_i64()
            .map_or_else(|| Yaml::Real(n.to_string()), Yaml::Integer),
        Value::String(s) => Yaml::String(s.clone()),
        Value::Array(items) => Yaml::Array(items.iter().map(json_to_yaml).collect()),
        Value::Object(map) => Yaml::Hash(
            map.iter()
                .map(|(k, v)| (Yaml::String(k.clone()), json_to_yaml(v)))
                .collect(),
        ),
    }
}

/// Names file (`classes.txt`, `obj.names`): one name per line, blank lines ignored at the end only
/// (a blank line in the middle would shift every index after it, so it is kept as a name `""` and
/// reported).
fn parse_names_lines(text: &str, file: &str, diagnostics: &mut Diagnostics) -> Vec<String> {
    let mut names: Vec<String> = text.lines().map(|l| l.trim().to_owned()).collect();
    while names.last().is_some_and(String::is_empty) {
        names.pop();
    }
    for (index, name) in names.iter().enumerate() {
        if name.is_empty() {
            diagnostics.warning(
                ProblemCode::InconsistentMetadata,
                Location::line(file, index as u64 + 1),
                format!("blank class name for class {index}"),
            );
        }
    }
    names
}

/// Reads the YOLO dataset directory `path` (see the module documentation for the layout).
pub fn read(files: Files<'_>, path: &Path, options: &ReadOptions) -> Result<Dataset, CodecError> {
    let not_found = |detail: String| CodecError::NotFound {
        path: path.to_owned(),
        format: AnnotationFormat::Yolo,
        detail,
    };
    if !files.is_dir(path) {
        return Err(not_found(
            "expected a dataset directory holding images/, labels/ and data.yaml".to_owned(),
        ));
    }
    let images_dir = path.join("images");
    let labels_dir = path.join("labels");
    let has_labels = files.is_dir(&labels_dir);
    if !files.is_dir(&images_dir) || (!has_labels && files.is_dir(&path.join("labelTxt"))) {
        return Err(refusal(files, path, &not_found));
    }

    let mut diagnostics = Diagnostics::with_limit(options.problem_limit);
    let mut annotation_files = Vec::new();
    let mut meta = DatasetMeta::default();
    let (names, syntax) = read_names(
        files,
        path,
        &mut meta,
        &mut diagnostics,
        &mut annotation_files,
    )?;
    meta.categories = names
        .iter()
        .enumerate()
        .map(|(index, name)| Category::new(index as i64, name.clone()))
        .collect();

    // Images, sorted by relative name for stable ids.
    let mut image_paths = Vec::new();
    let mut stray = Vec::new();
    walk(files, &images_dir, &mut image_paths, &mut stray)?;
    stray.sort();
    for file in stray {
        diagnostics.warning(
            ProblemCode::UnexpectedFile,
            Location::file(relative_name(&file, path)),
            "not a regular file (a broken link, or nested too deep); ignored",
        );
    }
    image_paths.sort();
    for file in image_paths.iter().filter(|p| !is_image_path(p)) {
        diagnostics.warning(
            ProblemCode::UnexpectedFile,
            Location::file(relative_name(file, path)),
            "not an image (by its extension); ignored",
        );
    }
    image_paths.retain(|p| is_image_path(p));
    let sizes: Vec<Option<(u32, u32)>> = if options.probe_image_sizes {
        imageinfo::probe_all(files, &image_paths)
            .into_iter()
            .zip(&image_paths)
            .map(|(result, image)| match result {
                Ok(info) => Some(info.display_size()),
                Err(error) => {
                    diagnostics.error(
                        ProblemCode::UnreadableImage,
                        Location::file(relative_name(image, path)),
                        format!("{error}; its labels stay normalised (size unknown)"),
                    );
                    None
                }
            })
            .collect()
    } else {
        vec![None; image_paths.len()]
    };

    // Label files by the image path they belong to (relative, without extension).
    let mut by_stem: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, image) in image_paths.iter().enumerate() {
        by_stem
            .entry(relative_name(&image.with_extension(""), &images_dir))
            .or_default()
            .push(index);
    }
    let mut label_of: Vec<Option<PathBuf>> = vec![None; image_paths.len()];
    if has_labels {
        let mut label_paths = Vec::new();
        let mut others = Vec::new();
        walk(files, &labels_dir, &mut label_paths, &mut others)?;
        label_paths.append(&mut others);
        label_paths.sort();
        for label in label_paths {
            let name = relative_name(&label, path);
            let is_txt = label.extension().is_some_and(|e| e == "txt");
            let images = is_txt
                .then(|| by_stem.get(&relative_name(&label.with_extension(""), &labels_dir)))
                .flatten();
            match images {
                Some(images) => {
                    if images.len() > 1 {
                        diagnostics.warning(
                            ProblemCode::DuplicateId,
                            Location::file(name.clone()),
                            format!(
                                "{} images share this label file (same name, other extension); \
                                 it applies to each, as in Ultralytics",
                                images.len()
                            ),
                        );
                    }
                    for &image in images {
                        label_of[image] = Some(label.clone());
                    }
                    annotation_files.push(name);
                }
                None if is_txt => diagnostics.warning(
                    ProblemCode::OrphanLabel,
                    Location::file(name),
                    "no image with this name under images/; not read",
                ),
                None => diagnostics.warning(
                    ProblemCode::UnexpectedFile,
                    Location::file(name),
                    "not a .txt label file; ignored",
                ),
            }
        }
    } else if !image_paths.is_empty() {
        diagnostics.warning(
            ProblemCode::MissingFile,
            Location::file("labels"),
            "no labels/ directory: every image reads as having no objects",
        );
    }

    // Parse label files on all cores; each image collects its own problems, merged in order.
    let limit = options.problem_limit;
    let parsed: Vec<(ImageRecord, Diagnostics)> = image_paths
        .par_iter()
        .enumerate()
        .map(|(index, image)| {
            let mut local = Diagnostics::with_limit(limit);
            let (width, height) = sizes[index].unwrap_or((0, 0));
            let mut record = ImageRecord::new(
                index as i64,
                relative_name(image, &images_dir),
                width,
                height,
            );
            if let Some(label) = &label_of[index] {
                let file = relative_name(label, path);
                match files.read(label) {
                    Ok(bytes) => {
                        let text = String::from_utf8_lossy(&bytes);
                        let rows = parse_label_text(&text, &file, syntax, &mut local);
                        record.annotations = rows
                            .into_iter()
                            .map(|row| to_annotation(row, width, height))
                            .collect();
                    }
                    Err(error) => local.error(
                        ProblemCode::MissingFile,
                        Location::file(file),
                        format!("cannot read: {error}"),
                    ),
                }
            }
            (record, local)
        })
        .collect();
    for (record, local) in parsed {
        diagnostics.extend(local);
        meta.images.push(record);
    }
    meta.source.format = Some(AnnotationFormat::Yolo);
    Ok(Dataset {
        meta,
        diagnostics,
        image_root: images_dir,
        annotation_files,
    })
}

/// Why a directory without `images/` is not our layout, as precisely as we can tell.
fn refusal(files: Files<'_>, path: &Path, not_found: &dyn Fn(String) -> CodecError) -> CodecError {
    const SPLITS: [&str; 5] = ["train", "valid", "val", "validate", "test"];
    let wrong_kind = |file: PathBuf, what: &str, hint: &str| CodecError::WrongKind {
        path: file,
        what: what.to_owned(),
        expected: AnnotationFormat::Yolo,
        hint: hint.to_owned(),
    };
    let dota = std::iter::once(path.join("labelTxt"))
        .chain(SPLITS.iter().map(|split| path.join(split).join("labelTxt")))
        .find(|dir| files.is_dir(dir));
    if let Some(dir) = dota {
        return wrong_kind(
            dir,
            "a DOTA-style oriented-box directory (rows `x1 y1 … x4 y4 class_name difficult` in \
             pixels, classes by name)",
            "Roboflow calls this export `yolo_obb`, but it is not YOLO; export the dataset as \
             YOLOv8 (or YOLOv8 OBB) instead.",
        );
    }
    let darknet = [path.to_owned(), path.join("cfg")]
        .iter()
        .filter_map(|dir| files.list(dir).ok())
        .flatten()
        .filter(Entry::is_file)
        .map(|entry| entry.path)
        .filter(|file| file.extension().is_some_and(|e| e == "data"))
        .min();
    if let Some(file) = darknet {
        return wrong_kind(
            file,
            "a Darknet configuration (`key = value` lines naming train lists and a names file)",
            "Datamill reads Ultralytics YOLO: put the images in images/, their .txt files at the \
             same relative path in labels/, and the names file beside them as classes.txt.",
        );
    }
    let splits: Vec<&str> = SPLITS
        .into_iter()
        .filter(|split| files.is_dir(&path.join(split).join("images")))
        .collect();
    if !splits.is_empty() {
        return not_found(format!(
            "no images/ directory; this looks like a multi-split export ({}): read one split \
             at a time, as a directory holding images/, labels/ and data.yaml",
            splits
                .iter()
                .map(|s| format!("{s}/images"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let class_folders = SPLITS.iter().map(|split| path.join(split)).any(|split| {
        files.list(&split).into_iter().flatten().any(|class| {
            files
                .list(&class.path)
                .into_iter()
                .flatten()
                .any(|file| is_image_path(&file.path))
        })
    });
    if class_folders {
        return wrong_kind(
            path.to_owned(),
            "an image-classification layout (<split>/<class>/<image>)",
            "read it as cls_folder.",
        );
    }
    let mut entries: Vec<String> = files
        .list(path)
        .into_iter()
        .flatten()
        .map(|entry| {
            if entry.is_dir() {
                format!("{}/", entry.name)
            } else {
                entry.name
            }
        })
        .collect();
    entries.sort();
    not_found(format!(
        "no images/ directory (found: {})",
        if entries.is_empty() {
            "nothing".to_owned()
        } else {
            entries.join(", ")
        }
    ))
}

/// Class names and parsing hints from `data.yaml`, `classes.txt` or `obj.names`.
fn read_names(
    files: Files<'_>,
    dir: &Path,
    meta: &mut DatasetMeta,
    diagnostics: &mut Diagnostics,
    annotation_files: &mut Vec<String>,
) -> Result<(Vec<String>, LabelSyntax), CodecError> {
    let yaml_path = dir.join("data.yaml");
    if files.is_file(&yaml_path) {
        let text = files
            .read_to_string(&yaml_path)
            .map_err(|e| CodecError::read(&yaml_path, e))?;
        annotation_files.push("data.yaml".to_owned());
        let data = parse_names_yaml(&text).map_err(|error| match error {
            DataYamlError::Syntax {
                line,
                column,
                message,
            } => CodecError::Syntax {
                path: yaml_path.clone(),
                line: line + 1,
                column,
                message,
            },
            DataYamlError::Invalid(message) => CodecError::Invalid {
                location: Location::file("data.yaml"),
                message,
            },
        })?;
        if let Some(nc) = data.nc
            && nc != data.names.len() as i64
        {
            diagnostics.warning(
                ProblemCode::InconsistentMetadata,
                Location::file("data.yaml"),
                format!(
                    "nc is {nc} but names lists {} class(es); the names decide",
                    data.names.len()
                ),
            );
        }
        let keypoint_values = data.kpt_shape.map(|(k, d)| k * d);
        if let Some((k, d)) = data.kpt_shape {
            diagnostics.warning(
                ProblemCode::Unsupported,
                Location::file("data.yaml"),
                format!(
                    "a pose dataset (kpt_shape [{k}, {d}]): the boxes are read, the keypoints \
                     are not (Datamill's model has no keypoints)"
                ),
            );
        }
        meta.source.extra = data.extra;
        let syntax = LabelSyntax {
            class_count: Some(data.names.len()),
            keypoint_values,
        };
        return Ok((data.names, syntax));
    }
    for file in ["classes.txt", "obj.names"] {
        let names_path = dir.join(file);
        if files.is_file(&names_path) {
            let text = files
                .read_to_string(&names_path)
                .map_err(|e| CodecError::read(&names_path, e))?;
            annotation_files.push(file.to_owned());
            let names = parse_names_lines(&text, file, diagnostics);
            let syntax = LabelSyntax {
                class_count: Some(names.len()),
                keypoint_values: None,
            };
            return Ok((names, syntax));
        }
    }
    diagnostics.error(
        ProblemCode::MissingFile,
        Location::file("data.yaml"),
        "no data.yaml, classes.txt or obj.names: the class names are unknown",
    );
    Ok((
        Vec::new(),
        LabelSyntax {
            class_count: Some(0),
            keypoint_values: None,
        },
    ))
}

/// Every file under `dir`, images or not; `others` gets the entries that are neither files nor
/// directories we can descend into (kept apart so the caller can report them).
fn walk(
    files: Files<'_>,
    dir: &Path,
    found: &mut Vec<PathBuf>,
    others: &mut Vec<PathBuf>,
) -> Result<(), CodecError> {
    walk_at(files, dir, found, others, 0)
}

/// Directory symlinks are followed (NAS trees use them), so a depth bound stands in for cycle
/// detection.
const MAX_DEPTH: usize = 32;

fn walk_at(
    files: Files<'_>,
    dir: &Path,
    found: &mut Vec<PathBuf>,
    others: &mut Vec<PathBuf>,
    depth: usize,
) -> Result<(), CodecError> {
    let entries = files.list(dir).map_err(|e| CodecError::read(dir, e))?;
    for entry in entries {
        if entry.is_dir() && depth < MAX_DEPTH {
            walk_at(files, &entry.path, found, others, depth + 1)?;
        } else if entry.is_file() {
            found.push(entry.path);
        } else {
            others.push(entry.path);
        }
    }
    Ok(())
}

/// A row in pixels of an image of this size (zero size: normalised values kept in `extra`).
fn to_annotation(row: YoloRow, width: u32, height: u32) -> Annotation {
    let category = CategoryId(row.class as i64);
    let (w, h) = (f64::from(width), f64::from(height));
    let mut annotation = match &row.shape {
        YoloShape::Box([cx, cy, bw, bh]) => {
            Annotation::bbox(category, BBox::from_yolo(*cx, *cy, *bw, *bh, width, height))
        }
        YoloShape::Polygon(values) => {
            let absolute: Vec<f64> = values
                .chunks_exact(2)
                .flat_map(|p| [p[0] * w, p[1] * h])
                .collect();
            Annotation::segmentation(category, Segmentation::Polygons(vec![absolute]))
        }
    };
    if width == 0 || height == 0 {
        let values = match row.shape {
            YoloShape::Box(b) => b.to_vec(),
            YoloShape::Polygon(values) => values,
        };
        annotation.extra.insert("yolo".to_owned(), values.into());
    }
    annotation
}

/// Images per parallel work item when writing. One conversion report per chunk rather than per
/// image: a report keeps up to 500 events of each kind, and 118,000 per-image reports held until
/// the end cost hundreds of MB.
const CHUNK: usize = 1024;

/// Writes `labels/<image path>.txt` for every image and `data.yaml` into `dir`.
pub fn write(
    files: Files<'_>,
    meta: &DatasetMeta,
    dir: &Path,
    options: &WriteOptions,
    report: &mut ConversionReport,
) -> Result<(), CodecError> {
    // Class index per category id.
    let (names, class_of): (Vec<String>, HashMap<CategoryId, usize>) =
        if let Some(names) = &options.class_names {
            // Position by name; a name listed twice keeps its first index.
            let mut position: HashMap<&str, usize> = HashMap::new();
            for (index, name) in names.iter().enumerate() {
                position.entry(name.as_str()).or_insert(index);
            }
            let class_of = meta
                .categories
                .iter()
                .filter_map(|c| position.get(c.name.as_str()).map(|&i| (c.id, i)))
                .collect();
            (names.clone(), class_of)
        } else {
            // Categories sorted by id, densely: COCO's 1..90 with gaps become 0..79.
            let mut sorted: Vec<&Category> = meta.categories.iter().collect();
            sorted.sort_by_key(|c| c.id);
            (
                sorted.iter().map(|c| c.name.clone()).collect(),
                sorted
                    .iter()
                    .enumerate()
                    .map(|(index, c)| (c.id, index))
                    .collect(),
            )
        };
    let dense = meta
        .categories
        .iter()
        .all(|c| class_of.get(&c.id).is_some_and(|&i| i as i64 == c.id.0));
    if !dense && !class_of.is_empty() {
        report.note(
            Action::Reindexed,
            Reason::ClassIndex,
            None,
            None,
            format!(
                "category ids mapped to class indices 0..{}: {}",
                names.len(),
                meta.categories
                    .iter()
                    .filter_map(|c| class_of.get(&c.id).map(|i| format!("{}→{i}", c.id)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    let task = options.yolo_task.unwrap_or_else(|| {
        let any_mask = meta
            .images
            .iter()
            .flat_map(|i| &i.annotations)
            .any(|a| !a.iscrowd && a.segmentation.as_ref().is_some_and(|s| !s.is_empty()));
        if any_mask {
            YoloTask::Segment
        } else {
            YoloTask::Detect
        }
    });
    report.options.insert(
        "yolo_task".to_owned(),
        match task {
            YoloTask::Detect => "detect",
            YoloTask::Segment => "segment",
        }
        .to_owned(),
    );

    // Label paths; two images with one label path (a.jpg, a.png) would overwrite each other.
    let labels_dir = dir.join("labels");
    // Label paths relative to `labels/` (short: this list has an entry per image).
    let labels: Vec<PathBuf> = meta
        .images
        .iter()
        .map(|image| {
            let relative: PathBuf = Path::new(&image.file_name)
                .components()
                .filter_map(|c| match c {
                    Component::Normal(part) => Some(part),
                    _ => None,
                })
                .collect();
            if relative.as_os_str().is_empty() {
                relative
            } else {
                relative.with_extension("txt")
            }
        })
        .collect();
    // Two images with one label path (a.jpg, a.png) would overwrite each other: the first keeps
    // it. Sorting indices finds the clashes without a second copy of every path.
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_unstable_by(|&a, &b| labels[a].cmp(&labels[b]).then(a.cmp(&b)));
    let mut writable = vec![true; labels.len()];
    for pair in order.windows(2) {
        if labels[pair[0]] == labels[pair[1]] {
            writable[pair[1]] = false;
        }
    }
    for (index, image) in meta.images.iter().enumerate() {
        if labels[index].as_os_str().is_empty() {
            writable[index] = false;
        }
        if !writable[index] {
            report.note(
                Action::Dropped,
                Reason::NameCollision,
                Some(&image.file_name),
                None,
                format!(
                    "its label file labels/{} is another image's; {} annotation(s) not written",
                    labels[index].display(),
                    image.annotations.len()
                ),
            );
        }
    }
    let parents: BTreeSet<&Path> = labels
        .iter()
        .zip(&writable)
        .filter(|&(_, &ok)| ok)
        .filter_map(|(label, _)| label.parent())
        .collect();
    for parent in parents {
        let parent = labels_dir.join(parent);
        files
            .create_dir_all(&parent)
            .map_err(|e| CodecError::write(&parent, e))?;
    }
    files
        .create_dir_all(&labels_dir)
        .map_err(|e| CodecError::write(&labels_dir, e))?;

    let context = WriteContext {
        class_of: &class_of,
        task,
        options,
        from: report.from,
    };
    let results: Vec<Result<ConversionReport, CodecError>> = meta
        .images
        .par_chunks(CHUNK)
        .zip(labels.par_chunks(CHUNK).zip(writable.par_chunks(CHUNK)))
        .map(|(images, (labels, writable))| {
            let mut local = ConversionReport::new(context.from, AnnotationFormat::Yolo);
            for ((image, label), &ok) in images.iter().zip(labels).zip(writable) {
                if !ok {
                    continue;
                }
                let text = context.label_text(image, &mut local);
                let target = labels_dir.join(label);
                // Many small files: not staged one by one (see `Files::write_bulk`).
                files
                    .write_bulk(&target, text)
                    .map_err(|e| CodecError::write(&target, e))?;
            }
            Ok(local)
        })
        .collect();
    let mut written = 0_u64;
    for result in results {
        let local = result?;
        written += local.output.annotations;
        report.absorb(local);
    }
    report.output.images = meta.images.len() as u64;
    report.output.annotations = written;
    report.output.categories = names.len() as u64;

    if meta.source.format == Some(AnnotationFormat::Yolo)
        && POSE_KEYS
            .iter()
            .any(|key| meta.source.extra.contains_key(*key))
    {
        report.note(
            Action::Lossy,
            Reason::UnsupportedField,
            None,
            None,
            "pose dataset: keypoints are not read, so kpt_shape/flip_idx are not written",
        );
    }
    let yaml = data_yaml(&names, meta);
    let yaml_path = dir.join("data.yaml");
    files
        .write(&yaml_path, yaml)
        .map_err(|e| CodecError::write(&yaml_path, e))?;
    report.class_names = names;
    Ok(())
}

/// `data.yaml` for a split written as `images/` + `labels/` beside it. Keys of a YOLO source that
/// we do not generate (e.g. `roboflow:`) are written back after ours.
fn data_yaml(names: &[String], meta: &DatasetMeta) -> String {
    let mut out = String::from("path: .\ntrain: images\nval: images\n");
    let _ = writeln!(out, "nc: {}", names.len());
    if names.is_empty() {
        out.push_str("names: []\n");
    } else {
        out.push_str("names:\n");
        for name in names {
            // A JSON string is a valid YAML double-quoted scalar: safe for `:`, `#`, quotes, …
            let quoted = serde_json::to_string(name).unwrap_or_else(|_| format!("{name:?}"));
            let _ = writeln!(out, "  - {quoted}");
        }
    }
    if meta.source.format == Some(AnnotationFormat::Yolo) {
        let mut rest = yaml_rust2::yaml::Hash::new();
        for (key, value) in &meta.source.extra {
            if !GENERATED_KEYS.contains(&key.as_str()) && !POSE_KEYS.contains(&key.as_str()) {
                rest.insert(Yaml::String(key.clone()), json_to_yaml(value));
            }
        }
        if !rest.is_empty() {
            let mut emitted = String::new();
            if YamlEmitter::new(&mut emitted)
                .dump(&Yaml::Hash(rest))
                .is_ok()
            {
                out.push_str(emitted.trim_start_matches("---").trim_start_matches('\n'));
                out.push('\n');
            }
        }
    }
    out
}

struct WriteContext<'a> {
    class_of: &'a HashMap<CategoryId, usize>,
    task: YoloTask,
    options: &'a WriteOptions,
    from: Option<AnnotationFormat>,
}

/// What one annotation becomes.
enum Geometry {
    Box(BBox),
    Polygon(Vec<f64>),
}

impl WriteContext<'_> {
    /// The label file of one image; `local.output.annotations` counts the rows.
    fn label_text(&self, image: &ImageRecord, local: &mut ConversionReport) -> String {
        let mut out = String::new();
        for (index, annotation) in image.annotations.iter().enumerate() {
            let which = Some(
                annotation
                    .id
                    .map_or_else(|| format!("#{index}"), |id| id.to_string()),
            );
            let mut note = |action, reason, detail: String| {
                local.note(
                    action,
                    reason,
                    Some(&image.file_name),
                    which.clone(),
                    detail,
                );
            };
            if image.width == 0 || image.height == 0 {
                note(
                    Action::Dropped,
                    Reason::MissingImage,
                    "the image size is unknown, so the annotation cannot be normalised".to_owned(),
                );
                continue;
            }
            let Some(category) = annotation.category_id else {
                note(
                    Action::Dropped,
                    Reason::NoCategory,
                    "annotation without a category".to_owned(),
                );
                continue;
            };
            let Some(&class) = self.class_of.get(&category) else {
                note(
                    Action::Dropped,
                    Reason::UnknownCategory,
                    format!("category {category} is not in the class names written"),
                );
                continue;
            };
            if !annotation.attributes.is_empty() {
                note(
                    Action::Lossy,
                    Reason::UnsupportedField,
                    format!(
                        "YOLO has no attributes: {} not written",
                        annotation
                            .attributes
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            let Some(geometry) = self.geometry(annotation, &mut note) else {
                continue;
            };
            let geometry = if self.options.clamp_to_image {
                clamp(geometry, image.width, image.height, &mut note)
            } else {
                unclamped(geometry, image.width, image.height, &mut note)
            };
            let Some(geometry) = geometry else {
                continue;
            };
            self.push_row(&mut out, class, &geometry, image.width, image.height);
            local.output.annotations += 1;
        }
        out
    }

    /// The shape to write for the task, before clamping; `None` when dropped (and noted).
    fn geometry(
        &self,
        annotation: &Annotation,
        note: &mut dyn FnMut(Action, Reason, String),
    ) -> Option<Geometry> {
        let bbox = annotation.bbox.or_else(|| {
            annotation
                .segmentation
                .as_ref()
                .and_then(Segmentation::bbox)
        });
        if annotation.iscrowd {
            match self.options.crowd {
                CrowdPolicy::Skip => {
                    note(
                        Action::Dropped,
                        Reason::CrowdSkipped,
                        "crowd region (iscrowd) skipped".to_owned(),
                    );
                    return None;
                }
                CrowdPolicy::Box => {
                    note(
                        Action::Converted,
                        Reason::CrowdConverted,
                        "crowd region written as its box".to_owned(),
                    );
                    let Some(bbox) = bbox else {
                        note(
                            Action::Dropped,
                            Reason::DegenerateBox,
                            "crowd region without a box".to_owned(),
                        );
                        return None;
                    };
                    return Some(match self.task {
                        YoloTask::Detect => Geometry::Box(bbox),
                        YoloTask::Segment => Geometry::Polygon(rectangle(bbox)),
                    });
                }
                CrowdPolicy::Polygon => {
                    note(
                        Action::Converted,
                        Reason::CrowdConverted,
                        match self.task {
                            YoloTask::Detect => "crowd region written as its box",
                            YoloTask::Segment => "crowd region written as its outline",
                        }
                        .to_owned(),
                    );
                }
            }
        }
        let segmentation = annotation.segmentation.as_ref().filter(|s| !s.is_empty());
        match self.task {
            YoloTask::Detect => {
                if segmentation.is_some() && !annotation.iscrowd {
                    note(
                        Action::Lossy,
                        Reason::MaskConverted,
                        "detection labels: the mask is written as its box".to_owned(),
                    );
                }
                let Some(bbox) = bbox else {
                    note(
                        Action::Dropped,
                        Reason::DegenerateBox,
                        "annotation without a box or mask".to_owned(),
                    );
                    return None;
                };
                Some(Geometry::Box(bbox))
            }
            YoloTask::Segment => {
                let parts = match segmentation {
                    None => {
                        let Some(bbox) = bbox else {
                            note(
                                Action::Dropped,
                                Reason::DegenerateBox,
                                "annotation without a box or mask".to_owned(),
                            );
                            return None;
                        };
                        note(
                            Action::Converted,
                            Reason::MaskConverted,
                            "box written as a 4-corner polygon (segmentation labels)".to_owned(),
                        );
                        return Some(Geometry::Polygon(rectangle(bbox)));
                    }
                    Some(Segmentation::Polygons(parts)) => {
                        let valid: Vec<Vec<f64>> = parts
                            .iter()
                            .filter(|p| polygon::is_valid(p))
                            .cloned()
                            .collect();
                        if valid.len() < parts.len() {
                            note(
                                Action::Dropped,
                                Reason::InvalidPolygon,
                                format!(
                                    "{} polygon part(s) with fewer than 3 points or bad numbers \
                                     left out",
                                    parts.len() - valid.len()
                                ),
                            );
                        }
                        valid
                    }
                    Some(Segmentation::Rle(rle)) => match rle.decode() {
                        Ok(mask) => {
                            if !annotation.iscrowd {
                                note(
                                    Action::Converted,
                                    Reason::MaskConverted,
                                    "RLE mask traced into its outline polygon".to_owned(),
                                );
                            }
                            contour::trace(&mask, rle.height, rle.width)
                        }
                        Err(error) => {
                            note(
                                Action::Dropped,
                                Reason::InvalidRle,
                                format!("RLE cannot be decoded: {error}"),
                            );
                            return None;
                        }
                    },
                };
                if parts.is_empty() {
                    note(
                        Action::Dropped,
                        Reason::InvalidPolygon,
                        "no usable polygon".to_owned(),
                    );
                    return None;
                }
                if parts.len() > 1 {
                    note(
                        Action::Converted,
                        Reason::MaskConverted,
                        format!(
                            "{} polygon parts joined into one (Ultralytics merge_multi_segment)",
                            parts.len()
                        ),
                    );
                }
                Some(Geometry::Polygon(merge_multi_segment(&parts)))
            }
        }
    }

    fn push_row(
        &self,
        out: &mut String,
        class: usize,
        geometry: &Geometry,
        width: u32,
        height: u32,
    ) {
        let precision = self.options.yolo_precision;
        let (w, h) = (f64::from(width), f64::from(height));
        let normalise = |value: f64, size: f64| {
            if self.options.yolo_reciprocal_normalisation {
                value * (1.0 / size)
            } else {
                value / size
            }
        };
        push_integer(out, class as u64);
        let mut push = |value: f64| {
            out.push(' ');
            push_fixed(out, value, precision);
        };
        match geometry {
            Geometry::Box(b) => {
                push(normalise(b.x + b.w / 2.0, w));
                push(normalise(b.y + b.h / 2.0, h));
                push(normalise(b.w, w));
                push(normalise(b.h, h));
            }
            Geometry::Polygon(points) => {
                for point in points.chunks_exact(2) {
                    push(normalise(point[0], w));
                    push(normalise(point[1], h));
                }
            }
        }
        out.push('\n');
    }
}

/// The four corners of a box, clockwise from the top-left.
fn rectangle(b: BBox) -> Vec<f64> {
    vec![b.x, b.y, b.x2(), b.y, b.x2(), b.y2(), b.x, b.y2()]
}

/// Keeps the shape as it is (Ultralytics' VisDrone rule clips nothing), noting what a clamp would
/// have changed; only non-finite numbers, which cannot be written, drop it.
fn unclamped(
    geometry: Geometry,
    width: u32,
    height: u32,
    note: &mut dyn FnMut(Action, Reason, String),
) -> Option<Geometry> {
    let values: &[f64] = match &geometry {
        Geometry::Box(b) => &[b.x, b.y, b.w, b.h],
        Geometry::Polygon(points) => points,
    };
    if values.iter().any(|v| !v.is_finite()) {
        note(
            Action::Dropped,
            Reason::DegenerateBox,
            "a coordinate is not a finite number".to_owned(),
        );
        return None;
    }
    if let Geometry::Box(b) = &geometry {
        if b.is_degenerate() {
            note(
                Action::Lossy,
                Reason::DegenerateBox,
                format!(
                    "box [{}, {}, {}, {}] has no area; written as it is",
                    b.x, b.y, b.w, b.h
                ),
            );
        } else if b.is_out_of_bounds(width, height) {
            note(
                Action::Lossy,
                Reason::OutOfBounds,
                format!(
                    "box [{}, {}, {}, {}] reaches outside the {width}×{height} image; written \
                     unclipped",
                    b.x, b.y, b.w, b.h
                ),
            );
        }
    }
    Some(geometry)
}

/// Cuts the shape to the image; `None` (noted) when nothing usable is left.
fn clamp(
    geometry: Geometry,
    width: u32,
    height: u32,
    note: &mut dyn FnMut(Action, Reason, String),
) -> Option<Geometry> {
    match geometry {
        Geometry::Box(b) => {
            if b.is_degenerate() {
                note(
                    Action::Dropped,
                    Reason::DegenerateBox,
                    format!("box [{}, {}, {}, {}] has no area", b.x, b.y, b.w, b.h),
                );
                return None;
            }
            let (tol_x, tol_y) = tolerance(width, height);
            let inside = b.x >= -tol_x
                && b.y >= -tol_y
                && b.x2() <= f64::from(width) + tol_x
                && b.y2() <= f64::from(height) + tol_y;
            if inside {
                return Some(Geometry::Box(b));
            }
            let Some(clamped) = b.clamped(width, height) else {
                note(
                    Action::Dropped,
                    Reason::DegenerateBox,
                    format!(
                        "box [{}, {}, {}, {}] lies outside the {width}×{height} image",
                        b.x, b.y, b.w, b.h
                    ),
                );
                return None;
            };
            if clamped != b {
                note(
                    Action::Clamped,
                    Reason::OutOfBounds,
                    format!(
                        "box [{}, {}, {}, {}] cut to the {width}×{height} image",
                        b.x, b.y, b.w, b.h
                    ),
                );
            }
            Some(Geometry::Box(clamped))
        }
        Geometry::Polygon(points) => {
            let (w, h) = (f64::from(width), f64::from(height));
            let (tol_x, tol_y) = tolerance(width, height);
            let cut = |v: f64, size: f64, tol: f64| {
                if (-tol..=size + tol).contains(&v) {
                    v
                } else {
                    v.clamp(0.0, size)
                }
            };
            let clamped: Vec<f64> = points
                .chunks_exact(2)
                .flat_map(|p| [cut(p[0], w, tol_x), cut(p[1], h, tol_y)])
                .collect();
            if clamped != points {
                note(
                    Action::Clamped,
                    Reason::OutOfBounds,
                    format!("polygon points cut to the {width}×{height} image"),
                );
            }
            let degenerate =
                polygon::bbox(std::slice::from_ref(&clamped)).is_none_or(|b| b.is_degenerate());
            if clamped.len() < 6 || degenerate {
                note(
                    Action::Dropped,
                    Reason::DegenerateBox,
                    "polygon has no extent inside the image".to_owned(),
                );
                return None;
            }
            Some(Geometry::Polygon(clamped))
        }
    }
}

/// How far outside the image a coordinate may be and still count as inside: 1e-6 of the size.
/// YOLO files printed at 6 decimals put a box touching the edge up to ~7.5e-7 of the size
/// outside (`cx − w/2` of two rounded values); cutting those would report rounding noise as
/// clamps and move every such box in a round trip.
fn tolerance(width: u32, height: u32) -> (f64, f64) {
    (f64::from(width) * 1e-6, f64::from(height) * 1e-6)
}

/// Joins polygon parts into one ring the way Ultralytics' `merge_multi_segment` does: each part is
/// linked to the next at their closest pair of points; the result walks forward through the parts
/// (first part whole, middle parts from their entry to their exit point, last part whole) and
/// back through the rest of the middle parts, so that every link is traversed twice and the
/// outline encloses no extra area.
#[must_use]
pub fn merge_multi_segment(parts: &[Vec<f64>]) -> Vec<f64> {
    let parts: Vec<Vec<[f64; 2]>> = parts
        .iter()
        .map(|p| p.chunks_exact(2).map(|c| [c[0], c[1]]).collect())
        .filter(|p: &Vec<[f64; 2]>| !p.is_empty())
        .collect();
    match parts.len() {
        0 => return Vec::new(),
        1 => return parts[0].iter().flatten().copied().collect(),
        _ => {}
    }
    let last = parts.len() - 1;
    // entry[i]: the point of part i closest to part i-1; exit[i]: closest to part i+1.
    let mut entry = vec![0_usize; parts.len()];
    let mut exit = vec![0_usize; parts.len()];
    for i in 1..parts.len() {
        let (a, b) = closest_pair(&parts[i - 1], &parts[i]);
        exit[i - 1] = a;
        entry[i] = b;
    }
    // A closed walk around part `i` starting at `start`, in direction `step` (±1), n+1 points.
    let ring = |i: usize, start: usize, forward: bool| -> Vec<[f64; 2]> {
        let n = parts[i].len();
        (0..=n)
            .map(|k| {
                let index = if forward {
                    (start + k) % n
                } else {
                    (start + n - k % n) % n
                };
                parts[i][index]
            })
            .collect()
    };
    let mut out: Vec<[f64; 2]> = Vec::new();
    let mut backward: Vec<Vec<[f64; 2]>> = Vec::new();
    for i in 0..parts.len() {
        if i == 0 {
            out.extend(ring(0, exit[0], true));
        } else if i == last {
            out.extend(ring(i, entry[i], true));
        } else {
            let forward = entry[i] <= exit[i];
            let walk = ring(i, entry[i], forward);
            let steps = entry[i].abs_diff(exit[i]);
            out.extend_from_slice(&walk[..=steps]);
            backward.push(walk[steps..].to_vec());
        }
    }
    for piece in backward.into_iter().rev() {
        out.extend(piece);
    }
    out.into_iter().flatten().collect()
}

/// Indices of the closest pair of points (the first such pair in row-major order, as NumPy's
/// `argmin` picks it).
fn closest_pair(a: &[[f64; 2]], b: &[[f64; 2]]) -> (usize, usize) {
    let mut best = (0, 0);
    let mut best_distance = f64::INFINITY;
    for (i, p) in a.iter().enumerate() {
        for (j, q) in b.iter().enumerate() {
            let distance = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2);
            if distance < best_distance {
                best_distance = distance;
                best = (i, j);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str, class_count: Option<usize>) -> (Vec<YoloRow>, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let syntax = LabelSyntax {
            class_count,
            keypoint_values: None,
        };
        let rows = parse_label_text(text, "labels/a.txt", syntax, &mut diagnostics);
        (rows, diagnostics)
    }

    #[test]
    fn boxes_polygons_crlf_blank_lines_and_no_final_newline() {
        let text = "0 0.5 0.5 0.2 0.2\r\n\r\n1 0.1 0.1 0.2 0.1 0.2 0.2\r\n0 0.5 0.5 0.1 0.1";
        let (rows, diagnostics) = parse(text, Some(2));
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].shape, YoloShape::Box([0.5, 0.5, 0.2, 0.2]));
        assert_eq!(rows[1].line, 3);
        assert!(matches!(&rows[1].shape, YoloShape::Polygon(p) if p.len() == 6));
        assert_eq!(rows[2].line, 4);
        assert!(diagnostics.problems.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn bad_lines_are_located_and_skipped() {
        let text = "0 0.5 0.5 0.2\nx 0.5 0.5 0.2 0.2\n0 0.5 nan 0.2 0.2\n7 0.5 0.5 0.2 0.2\n\
                    0 1.5 0.5 0.2 0.2\n";
        let (rows, diagnostics) = parse(text, Some(2));
        assert_eq!(
            rows.len(),
            2,
            "the unknown class and the out-of-range box are kept"
        );
        let located: Vec<(ProblemCode, Option<u64>)> = diagnostics
            .problems
            .iter()
            .map(|p| (p.code, p.location.line))
            .collect();
        assert_eq!(
            located,
            vec![
                (ProblemCode::Unparsable, Some(1)),
                (ProblemCode::Unparsable, Some(2)),
                (ProblemCode::Unparsable, Some(3)),
                (ProblemCode::UnknownCategory, Some(4)),
                (ProblemCode::OutOfBounds, Some(5)),
            ]
        );
        assert_eq!(rows[0].class, 7);
    }

    #[test]
    fn names_as_list_or_map_and_extra_keys() {
        let list = parse_names_yaml("nc: 2\nnames: ['a', 'b']\nroboflow:\n  version: 1\n");
        let list = list.unwrap_or_default();
        assert_eq!(list.names, ["a", "b"]);
        assert_eq!(list.nc, Some(2));
        assert_eq!(list.extra["roboflow"]["version"], 1);
        let map = parse_names_yaml("names:\n  1: b\n  0: a\n").unwrap_or_default();
        assert_eq!(map.names, ["a", "b"]);
        assert!(matches!(
            parse_names_yaml("names:\n  0: a\n  2: c\n"),
            Err(DataYamlError::Invalid(_))
        ));
        assert!(matches!(
            parse_names_yaml("names: [a\n"),
            Err(DataYamlError::Syntax { .. })
        ));
    }

    #[test]
    fn merging_two_squares_links_them_at_their_closest_points() {
        let a = vec![0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0];
        let b = vec![3.0, 0.0, 4.0, 0.0, 4.0, 1.0, 3.0, 1.0];
        let merged = merge_multi_segment(&[a, b]);
        // a from (1,0) round to (1,0), then b from (3,0) round to (3,0).
        assert_eq!(
            merged,
            vec![
                1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 3.0, 0.0, 4.0, 0.0, 4.0, 1.0,
                3.0, 1.0, 3.0, 0.0
            ]
        );
    }

    #[test]
    fn merging_three_parts_visits_every_point_of_the_middle_one() {
        let a = vec![0.0, 0.0, 1.0, 0.0, 1.0, 1.0];
        let b = vec![5.0, 0.0, 6.0, 0.0, 6.0, 1.0, 5.0, 1.0];
        let c = vec![10.0, 0.0, 11.0, 0.0, 11.0, 1.0];
        let merged = merge_multi_segment(&[a, b.clone(), c]);
        // 4 (a closed) + middle 5 (closed, split at the exit with the exit twice) + 4 (c closed)
        assert_eq!(merged.len() / 2, 4 + 6 + 4);
        for point in b.chunks_exact(2) {
            assert!(merged.chunks_exact(2).any(|p| p == point));
        }
    }

    /// A 10×10 image with a two-part polygon, a non-crowd RLE, a crowd RLE and a plain box.
    fn mixed_meta() -> DatasetMeta {
        use crate::geometry::Rle;
        let mut mask = vec![false; 100];
        for x in 2..5 {
            for y in 3..6 {
                mask[x * 10 + y] = true;
            }
        }
        let rle = Rle::from_mask(&mask, 10, 10);
        let mut image = ImageRecord::new(0, "sub/a.jpg", 10, 10);
        image.annotations = vec![
            Annotation::segmentation(
                CategoryId(7),
                Segmentation::Polygons(vec![
                    vec![0.0, 0.0, 2.0, 0.0, 2.0, 2.0],
                    vec![5.0, 5.0, 7.0, 5.0, 7.0, 7.0],
                ]),
            ),
            Annotation::segmentation(CategoryId(7), Segmentation::Rle(rle.clone())),
            Annotation {
                iscrowd: true,
                ..Annotation::segmentation(CategoryId(3), Segmentation::Rle(rle))
            },
            Annotation::bbox(CategoryId(3), BBox::new(-1.0, 1.0, 4.0, 2.0)),
        ];
        DatasetMeta {
            categories: vec![Category::new(7, "b"), Category::new(3, "a")],
            images: vec![image, ImageRecord::new(1, "b.jpg", 0, 0)],
            ..DatasetMeta::default()
        }
    }

    fn write_mixed(options: &WriteOptions) -> (String, ConversionReport) {
        let dir = tempfile::tempdir().expect("temp");
        let mut report = ConversionReport::new(None, AnnotationFormat::Yolo);
        write(
            Files::local(),
            &mixed_meta(),
            dir.path(),
            options,
            &mut report,
        )
        .expect("writes");
        let text = std::fs::read_to_string(dir.path().join("labels/sub/a.txt")).expect("label");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("labels/b.txt")).expect("empty label"),
            ""
        );
        (text, report)
    }

    #[test]
    fn images_sharing_a_label_path_keep_the_first_and_report_the_rest() {
        let mut meta = DatasetMeta::default();
        meta.categories.push(Category::new(0, "a"));
        for (id, name) in [(1, "x/a.jpg"), (2, "x/a.png"), (3, "b.jpg")] {
            let mut image = ImageRecord::new(id, name, 10, 10);
            image.annotations.push(Annotation::bbox(
                CategoryId(0),
                BBox::new(1.0, 1.0, 2.0, 2.0),
            ));
            meta.images.push(image);
        }
        let dir = tempfile::tempdir().expect("temp");
        let mut report = ConversionReport::new(None, AnnotationFormat::Yolo);
        write(
            Files::local(),
            &meta,
            dir.path(),
            &WriteOptions::default(),
            &mut report,
        )
        .expect("writes");
        assert_eq!(report.count(Action::Dropped, Reason::NameCollision), 1);
        assert_eq!(report.events[0].image.as_deref(), Some("x/a.png"));
        assert_eq!(report.output.annotations, 2);
        assert!(dir.path().join("labels/x/a.txt").is_file());
        assert!(dir.path().join("labels/b.txt").is_file());
    }

    #[test]
    fn segment_task_merges_parts_traces_rle_and_turns_boxes_into_rectangles() {
        let options = WriteOptions {
            yolo_precision: 2,
            crowd: CrowdPolicy::Polygon,
            ..WriteOptions::default()
        };
        let (text, report) = write_mixed(&options);
        assert_eq!(
            text,
            "1 0.20 0.20 0.00 0.00 0.20 0.00 0.20 0.20 0.50 0.50 0.70 0.50 0.70 0.70 0.50 0.50\n\
             1 0.20 0.30 0.50 0.30 0.50 0.60 0.20 0.60\n\
             0 0.20 0.30 0.50 0.30 0.50 0.60 0.20 0.60\n\
             0 0.00 0.10 0.30 0.10 0.30 0.30 0.00 0.30\n"
        );
        assert_eq!(report.class_names, ["a", "b"], "sorted by id: 3 → 0, 7 → 1");
        assert_eq!(report.count(Action::Reindexed, Reason::ClassIndex), 1);
        assert_eq!(report.count(Action::Converted, Reason::MaskConverted), 3);
        assert_eq!(report.count(Action::Converted, Reason::CrowdConverted), 1);
        assert_eq!(report.count(Action::Clamped, Reason::OutOfBounds), 1);
        assert_eq!(report.output.annotations, 4);
    }

    #[test]
    fn detect_task_and_crowd_policies() {
        let detect = WriteOptions {
            yolo_task: Some(YoloTask::Detect),
            ..WriteOptions::default()
        };
        let (text, report) = write_mixed(&detect);
        assert_eq!(text.lines().count(), 3, "crowd skipped by default:\n{text}");
        assert_eq!(report.count(Action::Dropped, Reason::CrowdSkipped), 1);
        assert_eq!(report.count(Action::Lossy, Reason::MaskConverted), 2);
        assert!(
            text.ends_with("0 0.150000 0.200000 0.300000 0.200000\n"),
            "{text}"
        );

        let boxes = WriteOptions {
            crowd: CrowdPolicy::Box,
            ..detect
        };
        let (text, report) = write_mixed(&boxes);
        assert_eq!(text.lines().count(), 4);
        assert!(
            text.contains("0 0.350000 0.450000 0.300000 0.300000\n"),
            "{text}"
        );
        assert_eq!(report.count(Action::Converted, Reason::CrowdConverted), 1);
    }

    #[test]
    fn names_not_given_drop_their_annotations_and_unknown_sizes_drop_everything() {
        let mut meta = mixed_meta();
        meta.images[1].annotations = meta.images[0].annotations.clone();
        let options = WriteOptions {
            class_names: Some(vec!["b".to_owned()]),
            yolo_task: Some(YoloTask::Detect),
            ..WriteOptions::default()
        };
        let dir = tempfile::tempdir().expect("temp");
        let mut report = ConversionReport::new(None, AnnotationFormat::Yolo);
        write(Files::local(), &meta, dir.path(), &options, &mut report).expect("writes");
        // Both category-3 annotations of the sized image (the crowd one too).
        assert_eq!(report.count(Action::Dropped, Reason::UnknownCategory), 2);
        assert_eq!(report.count(Action::Dropped, Reason::MissingImage), 4);
        let yaml = std::fs::read_to_string(dir.path().join("data.yaml")).expect("yaml");
        assert_eq!(
            yaml,
            "path: .\ntrain: images\nval: images\nnc: 1\nnames:\n  - \"b\"\n"
        );
    }

    #[test]
    fn an_unreadable_image_is_kept_with_size_zero_and_its_rows_normalised() {
        let dir = tempfile::tempdir().expect("temp");
        std::fs::create_dir_all(dir.path().join("images")).expect("images");
        std::fs::create_dir_all(dir.path().join("labels")).expect("labels");
        std::fs::write(dir.path().join("images/a.jpg"), b"not a jpeg").expect("image");
        std::fs::write(dir.path().join("images/notes.md"), b"hi").expect("notes");
        std::fs::write(dir.path().join("labels/a.txt"), "0 0.5 0.5 0.2 0.2\n").expect("label");
        std::fs::write(dir.path().join("classes.txt"), "thing\n").expect("names");
        let dataset = read(Files::local(), dir.path(), &ReadOptions::default()).expect("reads");
        let codes: Vec<ProblemCode> = dataset
            .diagnostics
            .problems
            .iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(
            codes,
            [ProblemCode::UnexpectedFile, ProblemCode::UnreadableImage]
        );
        let image = &dataset.meta.images[0];
        assert_eq!((image.width, image.height), (0, 0));
        assert_eq!(
            image.annotations[0].extra["yolo"],
            serde_json::json!([0.5, 0.5, 0.2, 0.2])
        );
    }

    proptest! {
        #[test]
        fn bbox_to_yolo_and_back_is_exact_to_1e_9(
            x in 0.0_f64..1000.0, y in 0.0_f64..1000.0,
            w in 0.01_f64..1000.0, h in 0.01_f64..1000.0,
            width in 1_u32..8000, height in 1_u32..8000,
        ) {
            let b = BBox::new(x, y, w, h);
            let [cx, cy, nw, nh] = b.to_yolo(width, height);
            let back = BBox::from_yolo(cx, cy, nw, nh, width, height);
            for (a, b) in [(b.x, back.x), (b.y, back.y), (b.w, back.w), (b.h, back.h)] {
                prop_assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0), "{a} vs {b}");
            }
        }

        #[test]
        fn arbitrary_label_text_never_panics(text in "\\PC{0,200}") {
            let mut diagnostics = Diagnostics::default();
            let _ = parse_label_text(&text, "a.txt", LabelSyntax::default(), &mut diagnostics);
        }

        #[test]
        fn arbitrary_yaml_never_panics(text in "\\PC{0,200}") {
            let _ = parse_names_yaml(&text);
        }
    }
}
