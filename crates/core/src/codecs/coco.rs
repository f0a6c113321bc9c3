//! COCO instances (`instances_*.json`), read and write, as pycocotools reads it.
//!
//! # Layout
//!
//! A dataset directory on the NAS is `DIR/annotation.json` + `DIR/images/<file_name>`. Reading
//! also accepts the layouts people download:
//!
//! * `DIR/annotations/instances_<split>.json` with images in `DIR/images/<split>/` (or
//!   `DIR/images/`) — the COCO and Datumaro layout;
//! * `DIR/_annotations.coco.json` with the images beside it — the Roboflow layout;
//! * the path of the JSON file itself.
//!
//! # What is kept
//!
//! Every image, annotation and category, in file order, with every value: fields the model names
//! (ids, `file_name`, sizes, `bbox`, polygons, both RLE forms, `area`, `iscrowd`, `attributes`) go
//! into it, all others (`info`, `licenses`, `score`, `keypoints`, `coco_url`, …) into `extra`, so
//! an untouched file reads and writes back with the same content. Ids are kept as they are: 0 is
//! an id like any other, gaps stay gaps. Annotations are grouped under their image, so a file
//! whose annotations are not in image order comes back in image order.
//!
//! # What is refused
//!
//! Files that look like COCO but are not instance datasets: results files (a list of
//! detections), captions, panoptic, and keypoint files whose annotations have no box or mask.
//! Keypoint files with boxes read as detection; the keypoints stay in `extra`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json_fast::Cursor;
use super::json_scan::{ScanError, Scanner, Start};
use super::{CodecError, Dataset, ReadOptions, WriteOptions, relative_name};
use crate::diagnostics::{Diagnostics, Location, ProblemCode};
use crate::files::{EntryKind, Files};
use crate::format::AnnotationFormat;
use crate::geometry::{BBox, Segmentation, polygon};
use crate::model::{
    Annotation, AnnotationId, AnnotationType, AttributeValue, Attributes, Category, CategoryId,
    DatasetMeta, Extra, ImageId, ImageRecord, SourceInfo,
};
use crate::report::{Action, ConversionReport, Counts, Reason};

/// The file name Datamill writes.
pub const ANNOTATION_FILE: &str = "annotation.json";

/// Finds the annotation file and the image root for a path given by the user.
pub fn locate(files: Files<'_>, path: &Path) -> Result<(PathBuf, PathBuf), CodecError> {
    let not_found = |detail: String| CodecError::NotFound {
        path: path.to_owned(),
        format: AnnotationFormat::Coco,
        detail,
    };
    match files.metadata(path).map(|meta| meta.kind) {
        Ok(EntryKind::File) => {
            let dir = path.parent().unwrap_or(Path::new("."));
            return Ok((path.to_owned(), image_root_for(files, path, dir)));
        }
        Ok(EntryKind::Dir) => {}
        _ => return Err(not_found("the path does not exist".to_owned())),
    }
    for name in [
        ANNOTATION_FILE,
        "annotations.json",
        "_annotations.coco.json",
    ] {
        let candidate = path.join(name);
        if files.is_file(&candidate) {
            return Ok((candidate.clone(), image_root_for(files, &candidate, path)));
        }
    }
    let mut candidates: Vec<PathBuf> = Vec::new();
    for dir in [path.join("annotations"), path.to_owned()] {
        if let Ok(entries) = files.list(&dir) {
            candidates.extend(entries.into_iter().map(|e| e.path).filter(|p| {
                p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            }));
        }
        if !candidates.is_empty() {
            break;
        }
    }
    candidates.sort();
    match candidates.as_slice() {
        [] => Err(not_found(format!(
            "expected {ANNOTATION_FILE} (or annotations/instances_<split>.json, or \
             _annotations.coco.json) in the directory"
        ))),
        [single] => Ok((single.clone(), image_root_for(files, single, path))),
        several => Err(not_found(format!(
            "several JSON files could be the annotations ({}); name the file",
            several
                .iter()
                .map(|p| relative_name(p, path))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Where the images of an annotation file live, by the layouts in the module docs.
fn image_root_for(files: Files<'_>, json: &Path, dataset_dir: &Path) -> PathBuf {
    let json_dir = json.parent().unwrap_or(Path::new("."));
    let in_annotations_dir = json_dir.file_name().is_some_and(|n| n == "annotations");
    let root = if in_annotations_dir {
        json_dir.parent().unwrap_or(dataset_dir)
    } else {
        json_dir
    };
    if json
        .file_name()
        .is_some_and(|n| n == "_annotations.coco.json")
    {
        return json_dir.to_owned();
    }
    // instances_train.json → images/train/ when that exists.
    if let Some(split) = json
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.split_once('_').map(|(_, split)| split.to_owned()))
    {
        let split_dir = root.join("images").join(&split);
        if files.is_dir(&split_dir) {
            return split_dir;
        }
    }
    let images = root.join("images");
    if files.is_dir(&images) {
        images
    } else {
        root.to_owned()
    }
}

/// Reads a COCO instances dataset.
pub fn read(files: Files<'_>, path: &Path, options: &ReadOptions) -> Result<Dataset, CodecError> {
    let (json, image_root) = locate(files, path)?;
    // `locate` returns the path itself when it names the file.
    let base = if json == path {
        path.parent().unwrap_or(Path::new(".")).to_owned()
    } else {
        path.to_owned()
    };
    let file_name = relative_name(&json, &base);
    let file = files.open(&json).map_err(|e| CodecError::read(&json, e))?;
    let mut diagnostics = Diagnostics::with_limit(options.problem_limit);
    let meta = parse_reader(file, &json, &file_name, &mut diagnostics)?;
    Ok(Dataset {
        meta,
        diagnostics,
        image_root,
        annotation_files: vec![file_name],
    })
}

/// Parses COCO JSON bytes (the fuzzing entry point; `file` names it in messages).
pub fn parse_bytes(bytes: &[u8], file: &str) -> Result<(DatasetMeta, Diagnostics), CodecError> {
    let mut diagnostics = Diagnostics::default();
    let meta = parse_reader(bytes, Path::new(file), file, &mut diagnostics)?;
    Ok((meta, diagnostics))
}

fn parse_reader<R: Read + Send>(
    reader: R,
    path: &Path,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Result<DatasetMeta, CodecError> {
    let syntax = |error: ScanError| error.into_codec_error(path);
    let mut scanner = Scanner::new(reader);
    match scanner.peek().map_err(syntax)? {
        Some(b'{') => {}
        Some(b'[') => return Err(refuse_list(&mut scanner, path).map_err(syntax)?),
        Some(_) => {
            return Err(syntax(scanner.error(
                "a COCO file is a JSON object ({\"images\": …, \"annotations\": …, \"categories\": …})",
            )));
        }
        None => return Err(syntax(scanner.error("the file is empty"))),
    }
    scanner.consume(b'{', "`{`").map_err(syntax)?;

    let mut assembler = Assembler::new(file);
    let mut extra = Extra::new();
    let mut scratch = Vec::new();
    if !scanner.eat(b'}').map_err(syntax)? {
        loop {
            let key = scanner.key(&mut scratch).map_err(syntax)?;
            match key.as_str() {
                "images" => {
                    let mut images = Vec::new();
                    parse_array::<_, RawImage>(
                        &mut scanner,
                        "images",
                        file,
                        diagnostics,
                        &mut |index, image, _| images.push((index, image)),
                    )
                    .map_err(syntax)?;
                    assembler.images(images, diagnostics);
                }
                "annotations" => {
                    assembler.saw_annotations = true;
                    parse_array::<_, RawAnnotation>(
                        &mut scanner,
                        "annotations",
                        file,
                        diagnostics,
                        &mut |index, annotation, diagnostics| {
                            assembler.annotation(index, annotation, diagnostics);
                        },
                    )
                    .map_err(syntax)?;
                }
                "categories" => {
                    let mut categories = Vec::new();
                    parse_array::<_, RawCategory>(
                        &mut scanner,
                        "categories",
                        file,
                        diagnostics,
                        &mut |_, category, _| categories.push(category),
                    )
                    .map_err(syntax)?;
                    assembler.categories(categories, diagnostics);
                }
                _ => {
                    scratch.clear();
                    let start = scanner.capture(&mut scratch).map_err(syntax)?;
                    let value: Value = serde_json::from_slice(&scratch).map_err(|e| {
                        let (line, column) = position_in(start, &e);
                        CodecError::Syntax {
                            path: path.to_owned(),
                            line,
                            column,
                            message: strip_position(&e),
                        }
                    })?;
                    extra.insert(key, value);
                }
            }
            if !scanner.comma_or(b'}').map_err(syntax)? {
                break;
            }
        }
    }
    scanner.finish().map_err(syntax)?;
    assembler.finish(extra, path, diagnostics)
}

fn refuse_list<R: Read>(scanner: &mut Scanner<R>, path: &Path) -> Result<CodecError, ScanError> {
    scanner.consume(b'[', "`[`")?;
    let mut count = 0_u64;
    let mut first = Vec::new();
    let mut scratch = Vec::new();
    if !scanner.eat(b']')? {
        loop {
            scratch.clear();
            scanner.capture(&mut scratch)?;
            if count == 0 {
                first.clone_from(&scratch);
            }
            count += 1;
            if !scanner.comma_or(b']')? {
                break;
            }
        }
    }
    let looks_like_results = serde_json::from_slice::<Value>(&first)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .is_some_and(|o| o.contains_key("image_id") && o.contains_key("score"));
    Ok(CodecError::WrongKind {
        path: path.to_owned(),
        what: if looks_like_results {
            format!(
                "a COCO results file (a JSON list of {count} detections with `image_id`, \
                 `category_id` and `score`)"
            )
        } else {
            format!("a JSON list of {count} items")
        },
        expected: AnnotationFormat::Coco,
        hint: "A dataset is an object with `images`, `annotations` and `categories`; results \
               files are model predictions, to be evaluated against their ground truth."
            .to_owned(),
    })
}

/// Raw bytes of consecutive array elements, cut out by the scanner.
struct Batch {
    bytes: Vec<u8>,
    /// `(from, to, where the element starts)` in `bytes`.
    spans: Vec<(usize, usize, Start)>,
    /// The array index of the first element.
    first_index: usize,
}

impl Batch {
    const BYTES: usize = 1 << 20;

    fn new() -> Self {
        Self {
            bytes: Vec::with_capacity(Self::BYTES + (1 << 16)),
            spans: Vec::new(),
            first_index: 0,
        }
    }

    /// Scans elements until the batch is full or the array ends; returns whether more follow.
    fn fill<R: Read>(
        &mut self,
        scanner: &mut Scanner<R>,
        next_index: &mut usize,
    ) -> Result<bool, ScanError> {
        self.bytes.clear();
        self.spans.clear();
        self.first_index = *next_index;
        loop {
            let from = self.bytes.len();
            let start = scanner.capture(&mut self.bytes)?;
            self.spans.push((from, self.bytes.len(), start));
            *next_index += 1;
            if !scanner.comma_or(b']')? {
                return Ok(false);
            }
            if self.bytes.len() >= Self::BYTES {
                return Ok(true);
            }
        }
    }

    fn parse<T: Element>(&self) -> Vec<Result<T, serde_json::Error>> {
        self.spans
            .par_iter()
            .map(|&(from, to, _)| {
                let bytes = &self.bytes[from..to];
                let mut parsed =
                    T::parse_fast(bytes).map_or_else(|| serde_json::from_slice::<T>(bytes), Ok)?;
                parsed.check();
                Ok(parsed)
            })
            .collect()
    }
}

/// An element of one of the large arrays.
trait Element: for<'de> Deserialize<'de> + Send {
    /// A faster reading of the common case; `None` sends the element to serde_json.
    fn parse_fast(_bytes: &[u8]) -> Option<Self> {
        None
    }

    /// Checks of the element alone, done on the parsing threads rather than the one building
    /// the model.
    fn check(&mut self) {}
}

impl Element for RawImage {}
impl Element for RawCategory {}
impl Element for RawAnnotation {
    fn parse_fast(bytes: &[u8]) -> Option<Self> {
        Self::parse_common(bytes)
    }

    fn check(&mut self) {
        if let Some(Segmentation::Polygons(parts)) = &self.segmentation {
            self.invalid_parts = parts
                .iter()
                .enumerate()
                .filter(|(_, part)| !polygon::is_valid(part))
                .map(|(index, part)| (index, part.len()))
                .collect();
        }
    }
}

/// Parses the elements of one top-level array and hands each to `sink` in order. Three batches
/// are in flight: while the elements of one are parsed on all cores, the scanner cuts out the
/// next, and the previous one's results go to `sink` (which builds the model and so runs on one
/// thread at a time). Elements that do not fit their type become problems (with their JSON path
/// and line) and are skipped.
fn parse_array<R: Read + Send, T: Element>(
    scanner: &mut Scanner<R>,
    name: &str,
    file: &str,
    diagnostics: &mut Diagnostics,
    sink: &mut (dyn FnMut(usize, T, &mut Diagnostics) + Send),
) -> Result<(), ScanError> {
    if scanner.peek()? != Some(b'[') {
        // Not an array: report it and skip the value.
        let start = scanner.position();
        let mut skipped = Vec::new();
        scanner.capture(&mut skipped)?;
        diagnostics.error(
            ProblemCode::InvalidValue,
            Location {
                file: Some(file.to_owned()),
                line: Some(start.line),
                json_path: Some(format!("$.{name}")),
            },
            format!("`{name}` must be a list"),
        );
        return Ok(());
    }
    scanner.consume(b'[', "`[`")?;
    if scanner.eat(b']')? {
        return Ok(());
    }
    let mut next_index = 0;
    let mut parsed = Batch::new();
    let mut current = Batch::new();
    let mut next = Batch::new();
    let mut results: Vec<Result<T, serde_json::Error>> = Vec::new();
    let mut more = current.fill(scanner, &mut next_index)?;
    loop {
        let finished = std::mem::take(&mut results);
        let ((), (parsed_now, scanned)) = rayon::join(
            || deliver(finished, &parsed, name, file, diagnostics, sink),
            || {
                rayon::join(
                    || current.parse::<T>(),
                    || {
                        if more {
                            next.fill(scanner, &mut next_index).map(Some)
                        } else {
                            Ok(None)
                        }
                    },
                )
            },
        );
        results = parsed_now;
        // `current` becomes the batch whose results are delivered next; `next` is parsed.
        std::mem::swap(&mut parsed, &mut current);
        std::mem::swap(&mut current, &mut next);
        let Some(continues) = scanned? else {
            deliver(results, &parsed, name, file, diagnostics, sink);
            return Ok(());
        };
        more = continues;
    }
}

/// Hands a parsed batch's elements to `sink` in order, or reports why one was skipped.
fn deliver<T>(
    results: Vec<Result<T, serde_json::Error>>,
    batch: &Batch,
    name: &str,
    file: &str,
    diagnostics: &mut Diagnostics,
    sink: &mut (dyn FnMut(usize, T, &mut Diagnostics) + Send),
) {
    for (offset, (result, &(_, _, start))) in results.into_iter().zip(&batch.spans).enumerate() {
        let element = batch.first_index + offset;
        match result {
            Ok(value) => sink(element, value, diagnostics),
            Err(error) => {
                let (line, _) = position_in(start, &error);
                diagnostics.error(
                    ProblemCode::InvalidValue,
                    Location {
                        file: Some(file.to_owned()),
                        line: Some(line),
                        json_path: Some(format!("$.{name}[{element}]")),
                    },
                    format!("{name}[{element}] is skipped: {}", strip_position(&error)),
                );
            }
        }
    }
}

fn position_in(start: Start, error: &serde_json::Error) -> (u64, u64) {
    let line = error.line() as u64;
    if line <= 1 {
        (
            start.line,
            start.column + error.column().saturating_sub(1) as u64,
        )
    } else {
        (start.line + line - 1, error.column() as u64)
    }
}

/// serde_json appends " at line L column C" relative to the element; we give our own position.
fn strip_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// How many annotations of each kind a file has, to tell instances from look-alikes.
#[derive(Default)]
struct Kinds {
    captions: usize,
    panoptic: usize,
    keypoints: usize,
    geometric: usize,
}

/// Hashing of the id maps: a million ids per file, where std's SipHash was 3 % of the read;
/// foldhash is seeded per process like std's, so a crafted file cannot aim for collisions.
type IdHasher = foldhash::fast::RandomState;

/// Builds the model while the arrays stream in. In the usual order (`images`, `annotations`,
/// `categories`) each annotation goes straight to its image, so no second copy of 860,000
/// annotations is ever held; other orders are buffered.
struct Assembler<'a> {
    file: &'a str,
    records: Option<Vec<ImageRecord>>,
    by_id: HashMap<i64, usize, IdHasher>,
    categories: Option<Vec<Category>>,
    category_ids: HashSet<CategoryId>,
    /// Annotations that came before `images`.
    buffered: Vec<(usize, RawAnnotation)>,
    /// `(annotation index, category id)` to check once `categories` has come.
    unchecked_categories: Vec<(usize, i64)>,
    annotation_ids: HashSet<i64, IdHasher>,
    kinds: Kinds,
    saw_annotations: bool,
}

impl<'a> Assembler<'a> {
    fn new(file: &'a str) -> Self {
        Self {
            file,
            records: None,
            by_id: HashMap::default(),
            categories: None,
            category_ids: HashSet::new(),
            buffered: Vec::new(),
            unchecked_categories: Vec::new(),
            annotation_ids: HashSet::default(),
            kinds: Kinds::default(),
            saw_annotations: false,
        }
    }

    fn images(&mut self, images: Vec<(usize, RawImage)>, diagnostics: &mut Diagnostics) {
        let mut records = Vec::with_capacity(images.len());
        self.by_id.reserve(images.len());
        for (index, raw) in images {
            if let Some(problem) = raw.problem {
                diagnostics.error(
                    ProblemCode::InvalidValue,
                    Location::json(self.file, format!("$.images[{index}]")),
                    problem,
                );
            }
            if self.by_id.insert(raw.id, records.len()).is_some() {
                diagnostics.error(
                    ProblemCode::DuplicateId,
                    Location::json(self.file, format!("$.images[{index}].id")),
                    format!(
                        "image id {} is used twice; annotations of that id go to the last image \
                         with it ({})",
                        raw.id, raw.file_name
                    ),
                );
            }
            records.push(ImageRecord {
                id: ImageId(raw.id),
                file_name: raw.file_name,
                width: raw.width,
                height: raw.height,
                origin: None,
                annotations: Vec::new(),
                attributes: raw.attributes,
                extra: raw.extra,
            });
        }
        self.records = Some(records);
        for (index, raw) in std::mem::take(&mut self.buffered) {
            self.annotation(index, raw, diagnostics);
        }
    }

    fn categories(&mut self, raw: Vec<RawCategory>, diagnostics: &mut Diagnostics) {
        let categories: Vec<Category> = raw
            .into_iter()
            .map(|raw| Category {
                id: CategoryId(raw.id),
                name: raw.name,
                supercategory: raw.supercategory,
                extra: raw.extra,
            })
            .collect();
        for (index, category) in categories.iter().enumerate() {
            if !self.category_ids.insert(category.id) {
                diagnostics.error(
                    ProblemCode::DuplicateId,
                    Location::json(self.file, format!("$.categories[{index}].id")),
                    format!("category id {} is used twice", category.id),
                );
            }
        }
        self.categories = Some(categories);
        for (index, id) in std::mem::take(&mut self.unchecked_categories) {
            self.check_category(index, id, diagnostics);
        }
    }

    fn check_category(&self, index: usize, id: i64, diagnostics: &mut Diagnostics) {
        if !self.category_ids.contains(&CategoryId(id)) {
            diagnostics.error(
                ProblemCode::UnknownCategory,
                Location::json(self.file, format!("$.annotations[{index}].category_id")),
                format!("category id {id} is not in `categories`"),
            );
        }
    }

    fn annotation(&mut self, index: usize, raw: RawAnnotation, diagnostics: &mut Diagnostics) {
        if self.records.is_none() {
            self.buffered.push((index, raw));
            return;
        }
        let file = self.file;
        let location = |field: &str| Location::json(file, format!("$.annotations[{index}]{field}"));
        if raw.has_caption {
            self.kinds.captions += 1;
        }
        if raw.has_segments_info {
            self.kinds.panoptic += 1;
        }
        if raw.has_keypoints {
            self.kinds.keypoints += 1;
        }
        if raw.bbox.is_some() || raw.segmentation.is_some() {
            self.kinds.geometric += 1;
        }
        let Some(&image_index) = self.by_id.get(&raw.image_id) else {
            if !raw.has_segments_info {
                diagnostics.error(
                    ProblemCode::UnknownImage,
                    location(".image_id"),
                    format!(
                        "annotation {} refers to image id {}, which is not in `images`; it is \
                         left out",
                        raw.id
                            .map_or_else(|| "without id".to_owned(), |id| id.to_string()),
                        raw.image_id
                    ),
                );
            }
            return;
        };
        if let Some(id) = raw.id
            && !self.annotation_ids.insert(id)
        {
            diagnostics.error(
                ProblemCode::DuplicateId,
                location(".id"),
                format!("annotation id {id} is used twice"),
            );
        }
        if let Some(problem) = &raw.problem {
            diagnostics.error(ProblemCode::InvalidValue, location(""), problem.clone());
        }
        match raw.category_id {
            Some(id) if self.categories.is_some() => self.check_category(index, id, diagnostics),
            Some(id) => self.unchecked_categories.push((index, id)),
            None if !raw.has_caption && !raw.has_segments_info => diagnostics.error(
                ProblemCode::InvalidValue,
                location(".category_id"),
                "the annotation has no `category_id`",
            ),
            None => {}
        }
        if let Some(image) = self.records.as_mut().and_then(|r| r.get_mut(image_index)) {
            check_segmentation(&raw, image, &location, diagnostics);
            let annotations = &mut image.annotations;
            // Grown by half rather than doubled: the slack of 118,000 lists, all held at the
            // peak of memory (at the end of the array), is a third smaller.
            if annotations.len() == annotations.capacity() {
                annotations.reserve_exact((annotations.len() / 2).max(4));
            }
            annotations.push(raw.into_annotation());
        }
    }

    fn finish(
        mut self,
        extra: Extra,
        path: &Path,
        diagnostics: &mut Diagnostics,
    ) -> Result<DatasetMeta, CodecError> {
        let file = self.file;
        // Annotations before images, and no images at all: they can go nowhere.
        if self.records.is_none() && !self.buffered.is_empty() {
            self.images(Vec::new(), diagnostics);
            self.records = None;
        }
        let kinds = &self.kinds;
        let wrong = |what: String, hint: &str| CodecError::WrongKind {
            path: path.to_owned(),
            what,
            expected: AnnotationFormat::Coco,
            hint: hint.to_owned(),
        };
        if kinds.panoptic > 0 {
            return Err(wrong(
                format!(
                    "a COCO panoptic file ({} per-image `segments_info` records with PNG masks)",
                    kinds.panoptic
                ),
                "Panoptic segmentation is not an instances dataset; Datamill does not import it.",
            ));
        }
        if kinds.captions > 0 && kinds.geometric == 0 {
            return Err(wrong(
                format!(
                    "a COCO captions file ({} `caption` annotations, no boxes or masks)",
                    kinds.captions
                ),
                "Captions are not an instances dataset; Datamill does not import them.",
            ));
        }
        if kinds.keypoints > 0 && kinds.geometric == 0 {
            return Err(wrong(
                format!(
                    "a COCO keypoints file whose {} annotations have keypoints but no box or mask",
                    kinds.keypoints
                ),
                "Datamill imports keypoint files as detection when annotations have boxes.",
            ));
        }
        if kinds.keypoints > 0 {
            diagnostics.note(
                ProblemCode::Unsupported,
                Location::json(file, "$.annotations"),
                format!(
                    "{} annotations carry `keypoints`: read as detection, the keypoints are kept \
                     but not interpreted",
                    kinds.keypoints
                ),
            );
        }
        if kinds.captions > 0 {
            diagnostics.warning(
                ProblemCode::Unsupported,
                Location::json(file, "$.annotations"),
                format!(
                    "{} annotations carry a `caption`, kept but not interpreted",
                    kinds.captions
                ),
            );
        }
        let (records, categories) = match (self.records, self.categories) {
            (Some(records), Some(categories)) => (records, categories),
            (records, categories) => {
                let missing: Vec<&str> = [
                    ("images", records.is_none()),
                    ("categories", categories.is_none()),
                ]
                .into_iter()
                .filter_map(|(name, missing)| missing.then_some(name))
                .collect();
                return Err(CodecError::WrongKind {
                    path: path.to_owned(),
                    what: format!("a JSON object without `{}`", missing.join("` and `")),
                    expected: AnnotationFormat::Coco,
                    hint: "A COCO instances file has `images`, `annotations` and `categories` \
                           lists."
                        .to_owned(),
                });
            }
        };
        if extra.get("format").and_then(Value::as_str) == Some("ATTR_JSON")
            || extra.contains_key("attribute_schema")
        {
            diagnostics.warning(
                ProblemCode::Unsupported,
                Location::json(file, "$.attribute_schema"),
                "this is an ATTR_JSON file read as COCO: its attribute schema is kept but the                  attributes are not checked against it; read it with --format attr_json",
            );
        }
        if !self.saw_annotations && !records.is_empty() {
            diagnostics.note(
                ProblemCode::Unsupported,
                Location::json(file, "$.annotations"),
                "the file has no annotations: every image is a negative",
            );
        }
        let mut records = records;
        // Annotations were pushed one by one; give back the doubling slack (tens of MB at scale).
        for record in &mut records {
            record.annotations.shrink_to_fit();
        }
        Ok(DatasetMeta {
            categories,
            images: records,
            attribute_schema: Vec::new(),
            source: SourceInfo {
                format: Some(AnnotationFormat::Coco),
                extra,
            },
        })
    }
}

fn check_segmentation(
    raw: &RawAnnotation,
    image: &ImageRecord,
    location: &dyn Fn(&str) -> Location,
    diagnostics: &mut Diagnostics,
) {
    match &raw.segmentation {
        Some(Segmentation::Polygons(_)) => {
            // Found by `Element::check` on the parsing threads.
            for &(part_index, length) in &raw.invalid_parts {
                diagnostics.warning(
                    ProblemCode::InvalidPolygon,
                    location(&format!(".segmentation[{part_index}]")),
                    format!(
                        "a polygon needs an even number (≥ 6) of finite coordinates; this one \
                         has {length}{}",
                        if length == 4 {
                            " (pycocotools would read 4 numbers as a box)"
                        } else {
                            ""
                        }
                    ),
                );
            }
        }
        Some(Segmentation::Rle(rle)) => {
            if (rle.height, rle.width) != (image.height, image.width) {
                diagnostics.error(
                    ProblemCode::InvalidRle,
                    location(".segmentation.size"),
                    format!(
                        "RLE size [{}, {}] (h, w) differs from the image's {}×{} (w×h)",
                        rle.height, rle.width, image.width, image.height
                    ),
                );
            } else if let Err(error) = rle.runs() {
                diagnostics.error(
                    ProblemCode::InvalidRle,
                    location(".segmentation.counts"),
                    error.to_string(),
                );
            }
        }
        None => {}
    }
    if raw.bbox.is_none() && raw.segmentation.is_none() && !raw.has_caption {
        diagnostics.error(
            ProblemCode::InvalidValue,
            location(""),
            "the annotation has neither `bbox` nor `segmentation`",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Element types. Hand-written visitors: `#[serde(flatten)]` buffers every field and is several
// times slower on COCO-train-sized files.

#[derive(Deserialize)]
struct RawCategory {
    id: i64,
    name: String,
    #[serde(default)]
    supercategory: Option<String>,
    #[serde(flatten)]
    extra: Extra,
}

struct RawImage {
    id: i64,
    file_name: String,
    width: u32,
    height: u32,
    attributes: Attributes,
    extra: Extra,
    /// A field problem that did not stop the image from being read.
    problem: Option<String>,
}

struct RawAnnotation {
    id: Option<i64>,
    image_id: i64,
    category_id: Option<i64>,
    bbox: Option<BBox>,
    segmentation: Option<Segmentation>,
    area: Option<f64>,
    iscrowd: bool,
    attributes: Attributes,
    extra: Extra,
    has_caption: bool,
    has_segments_info: bool,
    has_keypoints: bool,
    problem: Option<String>,
    /// `(index, length)` of each polygon part that is not a polygon, by [`Element::check`].
    invalid_parts: Vec<(usize, usize)>,
}

impl RawAnnotation {
    fn into_annotation(self) -> Annotation {
        let annotation_type = match &self.segmentation {
            Some(segmentation) if !segmentation.is_empty() => AnnotationType::Segmentation,
            _ => AnnotationType::Bbox,
        };
        let bbox = self
            .bbox
            .or_else(|| self.segmentation.as_ref().and_then(Segmentation::bbox));
        Annotation {
            id: self.id.map(AnnotationId),
            annotation_type,
            category_id: self.category_id.map(CategoryId),
            bbox,
            segmentation: self.segmentation,
            area: self.area,
            iscrowd: self.iscrowd,
            label: None,
            attributes: self.attributes,
            extra: self.extra,
        }
    }
}

impl RawAnnotation {
    /// Nothing read yet (`image_id` is required and set at the end).
    fn empty() -> Self {
        Self {
            id: None,
            image_id: 0,
            category_id: None,
            bbox: None,
            segmentation: None,
            area: None,
            iscrowd: false,
            attributes: Attributes::new(),
            extra: Extra::new(),
            has_caption: false,
            has_segments_info: false,
            has_keypoints: false,
            problem: None,
            invalid_parts: Vec::new(),
        }
    }

    /// The common annotation — `id`, `image_id`, `category_id`, `bbox`, polygon `segmentation`,
    /// `area`, `iscrowd`, plain numbers — read without serde_json; `None` for anything else
    /// (other members, RLE masks, `null`s, escapes, errors), which then takes serde_json's path.
    /// Accepts nothing serde_json refuses and reads every value exactly as it does.
    fn parse_common(bytes: &[u8]) -> Option<Self> {
        let mut cursor = Cursor::new(bytes);
        cursor.expect(b'{')?;
        let mut raw = Self::empty();
        let mut image_id = None;
        if !cursor.eat(b'}') {
            loop {
                match cursor.key()? {
                    b"id" => raw.id = Some(cursor.integer()?),
                    b"image_id" => image_id = Some(cursor.integer()?),
                    b"category_id" => raw.category_id = Some(cursor.integer()?),
                    b"area" => raw.area = Some(cursor.f64()?),
                    b"bbox" => {
                        cursor.expect(b'[')?;
                        let mut values = [0.0_f64; 4];
                        for (index, value) in values.iter_mut().enumerate() {
                            if index > 0 {
                                cursor.expect(b',')?;
                            }
                            *value = cursor.f64()?;
                        }
                        cursor.expect(b']')?;
                        raw.bbox = Some(BBox::new(values[0], values[1], values[2], values[3]));
                    }
                    b"iscrowd" => {
                        raw.iscrowd = if cursor.literal(b"true") {
                            true
                        } else if cursor.literal(b"false") {
                            false
                        } else {
                            match cursor.integer()? {
                                0 => false,
                                1 => true,
                                _ => return None,
                            }
                        };
                    }
                    b"segmentation" => raw.segmentation = Some(fast_polygons(&mut cursor)?),
                    _ => return None,
                }
                if !cursor.comma_or(b'}')? {
                    break;
                }
            }
        }
        if !cursor.at_end() {
            return None;
        }
        raw.image_id = image_id?;
        Some(raw)
    }
}

/// `[[x1, y1, …], …]`, each part allocated at its exact length (as [`Segmentation`]'s
/// deserializer does).
fn fast_polygons(cursor: &mut Cursor<'_>) -> Option<Segmentation> {
    thread_local! {
        static NUMBERS: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    cursor.expect(b'[')?;
    let mut parts = Vec::with_capacity(1);
    if !cursor.eat(b']') {
        let mut numbers = NUMBERS.with(|cell| std::mem::take(&mut *cell.borrow_mut()));
        let result = (|| {
            loop {
                cursor.expect(b'[')?;
                numbers.clear();
                if !cursor.eat(b']') {
                    loop {
                        numbers.push(cursor.f64()?);
                        if !cursor.comma_or(b']')? {
                            break;
                        }
                    }
                }
                parts.push(numbers.as_slice().to_vec());
                if !cursor.comma_or(b']')? {
                    return Some(());
                }
            }
        })();
        NUMBERS.with(|cell| *cell.borrow_mut() = numbers);
        result?;
    }
    parts.shrink_to_fit();
    Some(Segmentation::Polygons(parts))
}

/// An integer id, also accepted as an integral float (`5.0`), as Python tools write them.
struct Integer(i64);

impl<'de> Deserialize<'de> for Integer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IntegerVisitor;
        impl Visitor<'_> for IntegerVisitor {
            type Value = Integer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Integer, E> {
                Ok(Integer(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Integer, E> {
                i64::try_from(v)
                    .map(Integer)
                    .map_err(|_| E::custom(format_args!("{v} is too large for an id")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Integer, E> {
                if v.fract() == 0.0 && v.abs() < 9.0e15 {
                    Ok(Integer(v as i64))
                } else {
                    Err(E::custom(format_args!("expected an integer, found {v}")))
                }
            }
        }
        deserializer.deserialize_any(IntegerVisitor)
    }
}

/// `iscrowd`: 0/1 (also `true`/`false`); anything else is remembered as a problem.
enum Crowd {
    Flag(bool),
    Invalid(String),
}

impl<'de> Deserialize<'de> for Crowd {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Ok(match &value {
            Value::Bool(flag) => Crowd::Flag(*flag),
            Value::Number(n) if n.as_f64() == Some(0.0) => Crowd::Flag(false),
            Value::Number(n) if n.as_f64() == Some(1.0) => Crowd::Flag(true),
            Value::Null => Crowd::Flag(false),
            other => Crowd::Invalid(format!("`iscrowd` must be 0 or 1, not {other}")),
        })
    }
}

fn attributes_from(value: Value, extra: &mut Extra, key: &str) -> Attributes {
    // Scalar-valued attribute objects (Datumaro/CVAT style) become typed attributes; anything
    // else stays verbatim in `extra`.
    if let Value::Object(map) = &value
        && map.values().all(|v| !v.is_array() && !v.is_object())
    {
        return map
            .iter()
            .map(|(name, v)| {
                let typed = match v {
                    Value::Bool(b) => AttributeValue::Bool(*b),
                    Value::Number(n) => AttributeValue::Number(n.as_f64().unwrap_or(f64::NAN)),
                    Value::String(s) => AttributeValue::Text(s.clone()),
                    _ => AttributeValue::Unknown,
                };
                (name.clone(), typed)
            })
            .collect();
    }
    extra.insert(key.to_owned(), value);
    Attributes::new()
}

impl<'de> Deserialize<'de> for RawImage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ImageVisitor;
        impl<'de> Visitor<'de> for ImageVisitor {
            type Value = RawImage;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an image object {\"id\", \"file_name\", \"width\", \"height\"}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawImage, A::Error> {
                let mut id = None;
                let mut file_name = None;
                let (mut width, mut height) = (None, None);
                let mut attributes = Attributes::new();
                // Other members are kept as the text of an object (see `Extra`), in their order.
                let mut extra = String::new();
                let mut member = |key: &str, value: &str| {
                    extra.push(if extra.is_empty() { '{' } else { ',' });
                    // The key as a JSON string, then the value's text verbatim.
                    if key
                        .bytes()
                        .any(|byte| byte == b'"' || byte == b'\\' || byte < 0x20)
                    {
                        extra.push_str(&Value::from(key).to_string());
                    } else {
                        extra.push('"');
                        extra.push_str(key);
                        extra.push('"');
                    }
                    extra.push(':');
                    extra.push_str(value);
                };
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "id" => id = Some(map.next_value::<Integer>()?.0),
                        "file_name" => file_name = Some(map.next_value::<String>()?),
                        "width" => width = Some(map.next_value::<Integer>()?.0),
                        "height" => height = Some(map.next_value::<Integer>()?.0),
                        "attributes" => {
                            let value = map.next_value::<Value>()?;
                            let mut kept = Extra::new();
                            attributes = attributes_from(value, &mut kept, "attributes");
                            for (key, value) in &kept {
                                member(key, &value.to_string());
                            }
                        }
                        other => {
                            let value = map.next_value::<&serde_json::value::RawValue>()?;
                            member(other, value.get());
                        }
                    }
                }
                let extra = if extra.is_empty() {
                    Extra::new()
                } else {
                    extra.push('}');
                    Extra::from_json_object(extra)
                };
                let id = id.ok_or_else(|| de::Error::missing_field("id"))?;
                let file_name = file_name.ok_or_else(|| de::Error::missing_field("file_name"))?;
                let mut problem = None;
                let mut dimension = |value: Option<i64>, name: &str| -> u32 {
                    match value.map(u32::try_from) {
                        Some(Ok(v)) if v > 0 => v,
                        Some(_) => {
                            problem =
                                Some(format!("image {id} ({file_name}) has an invalid `{name}`"));
                            0
                        }
                        None => {
                            problem = Some(format!("image {id} ({file_name}) has no `{name}`"));
                            0
                        }
                    }
                };
                let width = dimension(width, "width");
                let height = dimension(height, "height");
                Ok(RawImage {
                    id,
                    file_name,
                    width,
                    height,
                    attributes,
                    extra,
                    problem,
                })
            }
        }
        deserializer.deserialize_map(ImageVisitor)
    }
}

impl<'de> Deserialize<'de> for RawAnnotation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnnotationVisitor;
        impl<'de> Visitor<'de> for AnnotationVisitor {
            type Value = RawAnnotation;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an annotation object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawAnnotation, A::Error> {
                let mut raw = RawAnnotation::empty();
                let mut image_id = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "id" => raw.id = Some(map.next_value::<Integer>()?.0),
                        "image_id" => image_id = Some(map.next_value::<Integer>()?.0),
                        "category_id" => {
                            raw.category_id = map.next_value::<Option<Integer>>()?.map(|i| i.0);
                        }
                        "bbox" => raw.bbox = map.next_value::<Option<BBox>>()?,
                        "segmentation" => {
                            raw.segmentation = map.next_value::<Option<Segmentation>>()?;
                        }
                        "area" => raw.area = map.next_value::<Option<f64>>()?,
                        "iscrowd" => match map.next_value::<Crowd>()? {
                            Crowd::Flag(flag) => raw.iscrowd = flag,
                            Crowd::Invalid(problem) => raw.problem = Some(problem),
                        },
                        "attributes" => {
                            let value = map.next_value::<Value>()?;
                            raw.attributes = attributes_from(value, &mut raw.extra, "attributes");
                        }
                        other => {
                            match other {
                                "caption" => raw.has_caption = true,
                                "segments_info" => raw.has_segments_info = true,
                                "keypoints" => raw.has_keypoints = true,
                                _ => {}
                            }
                            let value = map.next_value::<Value>()?;
                            raw.extra.insert(other.to_owned(), value);
                        }
                    }
                }
                raw.image_id = image_id.ok_or_else(|| de::Error::missing_field("image_id"))?;
                Ok(raw)
            }
        }
        deserializer.deserialize_map(AnnotationVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Writes `DIR/annotation.json`. Annotations without an id get ids after the largest one;
/// annotations COCO cannot hold (no category; image-level labels) are left out and reported.
pub fn write(
    files: Files<'_>,
    meta: &DatasetMeta,
    dir: &Path,
    options: &WriteOptions,
    report: &mut ConversionReport,
) -> Result<(), CodecError> {
    let path = dir.join(ANNOTATION_FILE);
    let file = files
        .create(&path)
        .map_err(|e| CodecError::write(&path, e))?;
    // serde writes in small pieces: buffer them before the storage's writer.
    let mut writer = BufWriter::with_capacity(1 << 20, file);
    let document = Document::new(meta, report);
    let result = if options.pretty_json {
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"  ");
        let mut serializer = serde_json::Serializer::with_formatter(&mut writer, formatter);
        document.serialize(&mut serializer)
    } else {
        serde_json::to_writer(&mut writer, &document)
    };
    result
        .map_err(|e| CodecError::write(&path, e.into()))
        .and_then(|()| {
            writer
                .write_all(b"\n")
                .map_err(|e| CodecError::write(&path, e))
        })?;
    writer
        .into_inner()
        .map_err(|e| CodecError::write(&path, e.into_error()))?
        .commit()
        .map_err(|e| CodecError::write(&path, e))?;
    report.output = document.counts;
    Ok(())
}

/// The serialisable view of a dataset, decided up front so that serialising cannot fail halfway
/// for a reason of ours.
struct Document<'a> {
    meta: &'a DatasetMeta,
    /// Per image, per annotation: the id to write, or `None` to leave it out.
    ids: Vec<Vec<Option<i64>>>,
    counts: Counts,
}

impl<'a> Document<'a> {
    fn new(meta: &'a DatasetMeta, report: &mut ConversionReport) -> Self {
        let mut next_id = meta
            .images
            .iter()
            .flat_map(|image| &image.annotations)
            .filter_map(|a| a.id.map(|id| id.0))
            .max()
            .map_or(1, |max| max + 1);
        let mut counts = Counts {
            images: meta.images.len() as u64,
            annotations: 0,
            categories: meta.categories.len() as u64,
        };
        let ids = meta
            .images
            .iter()
            .map(|image| {
                image
                    .annotations
                    .iter()
                    .enumerate()
                    .map(|(index, annotation)| {
                        let reason = if annotation.category_id.is_none() {
                            Some((Reason::NoCategory, "COCO annotations need a category"))
                        } else if annotation.bbox.is_none() && annotation.segmentation.is_none() {
                            Some((
                                Reason::UnsupportedField,
                                "an image-level label has no place in COCO instances",
                            ))
                        } else {
                            None
                        };
                        if let Some((reason, detail)) = reason {
                            report.note(
                                Action::Dropped,
                                reason,
                                Some(&image.file_name),
                                Some(
                                    annotation
                                        .id
                                        .map_or_else(|| format!("#{index}"), |id| id.to_string()),
                                ),
                                detail,
                            );
                            return None;
                        }
                        counts.annotations += 1;
                        Some(annotation.id.map_or_else(
                            || {
                                let id = next_id;
                                next_id += 1;
                                id
                            },
                            |id| id.0,
                        ))
                    })
                    .collect()
            })
            .collect();
        Self { meta, ids, counts }
    }
}

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        let extra = &self.meta.source.extra;
        for key in ["info", "licenses"] {
            if let Some(value) = extra.get(key) {
                map.serialize_entry(key, value)?;
            }
        }
        map.serialize_entry("images", &Images(self.meta))?;
        map.serialize_entry("annotations", &Annotations(self))?;
        map.serialize_entry("categories", &Categories(self.meta))?;
        for (key, value) in extra {
            if !matches!(key.as_str(), "info" | "licenses") {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

struct Images<'a>(&'a DatasetMeta);

impl Serialize for Images<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.images.len()))?;
        for image in &self.0.images {
            seq.serialize_element(&ImageOut(image))?;
        }
        seq.end()
    }
}

struct ImageOut<'a>(&'a ImageRecord);

impl Serialize for ImageOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let image = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &image.id.0)?;
        map.serialize_entry("file_name", &image.file_name)?;
        map.serialize_entry("width", &image.width)?;
        map.serialize_entry("height", &image.height)?;
        if !image.attributes.is_empty() {
            map.serialize_entry("attributes", &image.attributes)?;
        }
        for (key, value) in image.extra.members().iter() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

struct Annotations<'a>(&'a Document<'a>);

impl Serialize for Annotations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let document = self.0;
        let mut seq = serializer.serialize_seq(Some(document.counts.annotations as usize))?;
        for (image, ids) in document.meta.images.iter().zip(&document.ids) {
            for (annotation, id) in image.annotations.iter().zip(ids) {
                if let Some(id) = id {
                    seq.serialize_element(&AnnotationOut {
                        id: *id,
                        image_id: image.id,
                        annotation,
                    })?;
                }
            }
        }
        seq.end()
    }
}

struct AnnotationOut<'a> {
    id: i64,
    image_id: ImageId,
    annotation: &'a Annotation,
}

impl Serialize for AnnotationOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let a = self.annotation;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("image_id", &self.image_id.0)?;
        map.serialize_entry("category_id", &a.category_id.map(|c| c.0))?;
        if let Some(segmentation) = &a.segmentation {
            map.serialize_entry("segmentation", segmentation)?;
        }
        map.serialize_entry("area", &a.effective_area())?;
        let bbox = a
            .bbox
            .or_else(|| a.segmentation.as_ref().and_then(Segmentation::bbox))
            .unwrap_or_default();
        map.serialize_entry("bbox", &bbox)?;
        map.serialize_entry("iscrowd", &u8::from(a.iscrowd))?;
        if !a.attributes.is_empty() {
            map.serialize_entry("attributes", &a.attributes)?;
        }
        for (key, value) in &a.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

struct Categories<'a>(&'a DatasetMeta);

impl Serialize for Categories<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.categories.len()))?;
        for category in &self.0.categories {
            seq.serialize_element(&CategoryOut(category))?;
        }
        seq.end()
    }
}

struct CategoryOut<'a>(&'a Category);

impl Serialize for CategoryOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let category = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &category.id.0)?;
        map.serialize_entry("name", &category.name)?;
        // pycocotools and most trainers expect the key; "" when the source had none.
        map.serialize_entry(
            "supercategory",
            category.supercategory.as_deref().unwrap_or(""),
        )?;
        for (key, value) in &category.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(DatasetMeta, Diagnostics), CodecError> {
        parse_bytes(text.as_bytes(), "annotation.json")
    }

    #[test]
    fn image_fields_without_a_name_keep_their_order_values_and_escapes() {
        let image = r#"{"license": 3, "id": 1, "k\"ey": "caf\u00e9 \/", "file_name": "a.jpg",
            "attributes": {"nested": [1, 2]}, "width": 4, "height": 2,
            "meta": { "deep" : { "x" : [ 1.5e2 , null , true ] } }, "flickr_url": "http://x/1.jpg"}"#;
        let text = format!(r#"{{"images": [{image}], "annotations": [], "categories": []}}"#);
        let (meta, diagnostics) = parse(&text).unwrap();
        assert_eq!(diagnostics.error_count(), 0);
        let record = &meta.images[0];
        let Value::Object(mut expected) = serde_json::from_str::<Value>(image).unwrap() else {
            unreachable!()
        };
        for known in ["id", "file_name", "width", "height"] {
            expected.shift_remove(known);
        }
        assert_eq!(*record.extra, expected);
        assert_eq!(
            record.extra.keys().collect::<Vec<_>>(),
            ["license", "k\"ey", "attributes", "meta", "flickr_url"]
        );
        assert!(record.attributes.is_empty());

        // Written out as a map of values would be, whether looked at before or not.
        let fresh = parse(&text).unwrap().0;
        assert_eq!(
            serde_json::to_string(&fresh.images[0].extra).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
        // And changed like one.
        let mut changed = fresh.images[0].extra.clone();
        changed.insert("license".to_owned(), Value::from(4));
        changed.shift_remove("meta");
        assert_eq!(changed["license"], 4);
        assert_eq!(changed.len(), 4);
        assert_eq!(fresh.images[0].extra["license"], 3);
    }

    #[test]
    fn reads_ids_zero_gaps_and_images_without_annotations() {
        let (meta, diagnostics) = parse(
            r#"{"images": [{"id": 0, "file_name": "a.jpg", "width": 10, "height": 8},
                           {"id": 7, "file_name": "b.jpg", "width": 10, "height": 8}],
                "annotations": [{"id": 0, "image_id": 0, "category_id": 4, "bbox": [1, 2, 3, 4],
                                 "area": 12, "iscrowd": 0, "score": 0.5}],
                "categories": [{"id": 0, "name": "unused"}, {"id": 4, "name": "dog"}]}"#,
        )
        .expect("parses");
        assert!(!diagnostics.has_errors(), "{diagnostics:?}");
        assert_eq!(meta.images.len(), 2);
        assert_eq!(meta.images[0].annotations[0].id, Some(AnnotationId(0)));
        assert_eq!(meta.images[0].annotations[0].extra["score"], 0.5);
        assert!(meta.images[1].annotations.is_empty());
        assert_eq!(meta.categories[1].id, CategoryId(4));
    }

    #[test]
    fn a_results_list_is_refused_as_such() {
        let error =
            parse(r#"[{"image_id": 1, "category_id": 2, "bbox": [0,0,1,1], "score": 0.9}]"#)
                .expect_err("refused");
        assert!(error.to_string().contains("a COCO results file"), "{error}");
    }

    #[test]
    fn bad_elements_become_problems_with_their_path_and_line() {
        let (meta, diagnostics) = parse(
            "{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": 4, \"height\": 4}],\n\
             \"annotations\": [\n{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3]},\n\
             {\"id\": 1, \"image_id\": 9, \"category_id\": 1, \"bbox\": [0, 0, 1, 1]}],\n\
             \"categories\": [{\"id\": 1, \"name\": \"a\"}]}",
        )
        .expect("parses");
        assert_eq!(meta.annotation_count(), 0);
        let problems: Vec<String> = diagnostics
            .problems
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "error: annotation.json:3 $.annotations[0]: annotations[0] is skipped: invalid length 3, expected a box [x, y, width, height] of four numbers",
                "error: annotation.json $.annotations[1].image_id: annotation 1 refers to image id 9, which is not in `images`; it is left out",
            ]
        );
        assert_eq!(diagnostics.problems[0].location.line, Some(3));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let error = parse("{\"images\": [\n  {\"id\": 1, \"file_name\": \"a\"").expect_err("fails");
        assert_eq!(
            error.to_string(),
            "annotation.json:2:29: unterminated object or array: the file ends inside it"
        );
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;
    use proptest::prelude::*;

    /// Everything a [`RawAnnotation`] holds, floats as bits (so `-0.0` and `0.0` differ).
    #[allow(clippy::type_complexity)]
    fn fields(
        raw: &RawAnnotation,
    ) -> (
        (Option<i64>, i64, Option<i64>),
        Option<[u64; 4]>,
        Option<Vec<Vec<u64>>>,
        Option<u64>,
        (bool, Option<String>, bool, bool),
    ) {
        let bits = |values: &[f64]| values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        (
            (raw.id, raw.image_id, raw.category_id),
            raw.bbox
                .map(|b| [b.x.to_bits(), b.y.to_bits(), b.w.to_bits(), b.h.to_bits()]),
            raw.segmentation.as_ref().map(|s| match s {
                Segmentation::Polygons(parts) => parts.iter().map(|p| bits(p)).collect(),
                Segmentation::Rle(_) => vec![vec![u64::MAX]],
            }),
            raw.area.map(f64::to_bits),
            (
                raw.iscrowd,
                raw.problem.clone(),
                raw.attributes.is_empty() && raw.extra.is_empty(),
                raw.has_caption || raw.has_keypoints || raw.has_segments_info,
            ),
        )
    }

    fn number() -> impl Strategy<Value = String> {
        prop_oneof![
            (0_u32..5000, 0_u32..100).prop_map(|(a, b)| format!("{a}.{b:02}")),
            (-5000_i32..5000).prop_map(|a| a.to_string()),
            any::<f64>()
                .prop_filter("finite", |v| v.is_finite())
                .prop_map(|v| serde_json::to_string(&v).unwrap_or_default()),
            (1_u32..999, -30_i32..30).prop_map(|(a, e)| format!("{a}e{e}")),
            Just("-0".to_owned()),
            Just("-0.0".to_owned()),
            Just("1.000000000000000000001".to_owned()),
            Just("null".to_owned()),
            Just("5.0".to_owned()),
            Just("01".to_owned()),
        ]
    }

    fn space() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(""), Just(" "), Just("\n  "), Just("\t")]
    }

    fn member() -> impl Strategy<Value = String> {
        let list = |n| proptest::collection::vec(number(), n);
        prop_oneof![
            number().prop_map(|n| format!("\"id\":{n}")),
            number().prop_map(|n| format!("\"image_id\":{n}")),
            number().prop_map(|n| format!("\"category_id\":{n}")),
            number().prop_map(|n| format!("\"area\":{n}")),
            list(3..6).prop_map(|v| format!("\"bbox\":[{}]", v.join(","))),
            proptest::collection::vec(list(0..10), 0..3).prop_map(|parts| {
                let parts: Vec<String> = parts
                    .iter()
                    .map(|p| format!("[{}]", p.join(", ")))
                    .collect();
                format!("\"segmentation\":[{}]", parts.join(","))
            }),
            prop_oneof![
                Just("0"),
                Just("1"),
                Just("true"),
                Just("false"),
                Just("2"),
                Just("0.0")
            ]
            .prop_map(|v| format!("\"iscrowd\":{v}")),
            Just("\"segmentation\":{\"size\":[4,4],\"counts\":[16]}".to_owned()),
            Just("\"score\":0.5".to_owned()),
            Just("\"i\\u0064\":3".to_owned()),
        ]
    }

    proptest! {
        /// Whatever the fast path accepts, serde_json reads to the same values.
        #[test]
        fn fast_path_agrees_with_serde(
            members in proptest::collection::vec((member(), space()), 0..9),
            trailing in prop_oneof![Just(""), Just(","), Just(" x")],
        ) {
            let body: Vec<String> =
                members.iter().map(|(m, s)| format!("{s}{m}{s}")).collect();
            let text = format!("{{{}{trailing}}}", body.join(","));
            let serde = serde_json::from_slice::<RawAnnotation>(text.as_bytes());
            if let Some(fast) = RawAnnotation::parse_common(text.as_bytes()) {
                let serde = serde.map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
                prop_assert_eq!(fields(&fast), fields(&serde), "{}", text);
            }
        }
    }

    #[test]
    fn fast_path_takes_the_common_annotation() {
        let text = br#"{"id":1,"image_id":9,"category_id":86,"segmentation":[[752.8,570.81,746.5,572.34,741.72,574.0]],"area":193.08,"bbox":[725.8,563.19,27.0,10.95],"iscrowd":0}"#;
        let raw = RawAnnotation::parse_common(text).expect("the common shape is read fast");
        assert_eq!(raw.bbox, Some(BBox::new(725.8, 563.19, 27.0, 10.95)));
        assert_eq!(raw.area, Some(193.08));
        assert!(RawAnnotation::parse_common(br#"{"image_id":1,"score":0.5}"#).is_none());
    }
}
