//! ATTR_JSON: COCO-shaped JSON with a typed, ordered attribute schema. Read and write.
//!
//! # Layout
//!
//! `DIR/annotation.json` with the images in `DIR/images/`. Reading also accepts the path of the
//! JSON file itself (images then in `images/` beside it, else beside the file).
//!
//! # Document
//!
//! ```json
//! {
//!   "format": "ATTR_JSON",
//!   "version": 1,
//!   "attribute_schema": [
//!     {"name": "hat", "type": "bool", "applies_to": "image", "source_encoding": "1/2"},
//!     {"name": "age", "type": "enum", "values": ["young", "adult"], "applies_to": "image"}
//!   ],
//!   "categories": [{"id": 1, "name": "face"}],
//!   "images": [{"id": 1, "file_name": "a.jpg", "width": 640, "height": 480,
//!               "attributes": {"hat": false, "age": null}}],
//!   "annotations": [{"id": 1, "image_id": 1, "type": "BBOX", "category_id": 1,
//!                    "bbox": [10, 20, 30, 40], "iscrowd": 0, "attributes": {}}]
//! }
//! ```
//!
//! The types below are the document; `proto-schemas/attr_json.schema.json` is generated from
//! them (`cargo xtask schemas`). `null` means "not labelled" and is kept apart from `false`; an
//! attribute missing from an `attributes` object is not labelled either, but is kept missing so
//! that a read → write → read round trip is exact.
//!
//! # Checks on reading
//!
//! Every attribute value is checked against the schema: its type, enum membership, number bounds
//! and wholeness, whether the name is declared, and whether the attribute may label an image or
//! an annotation. Each violation is an error with its JSON path (`$.images[3].attributes.hat`) and
//! the value is left out; the rest of the record is kept. A plain COCO file (no
//! `attribute_schema`) is refused with a hint to read it as COCO.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json_scan::{ScanError, Scanner, Start};
use super::{CodecError, Dataset, ReadOptions, WriteOptions, relative_name};
use crate::diagnostics::{Diagnostics, Location, ProblemCode};
use crate::files::{EntryKind, Files};
use crate::format::AnnotationFormat;
use crate::geometry::{BBox, Segmentation};
use crate::model::{
    Annotation, AnnotationId, AnnotationType, AttributeDef, AttributeKind, AttributeScope,
    AttributeValue, Attributes, Category, CategoryId, DatasetMeta, Extra, ImageId, ImageRecord,
    SourceInfo,
};
use crate::report::{Action, ConversionReport, Counts, Reason};

/// The file name Datamill reads and writes.
pub const ANNOTATION_FILE: &str = "annotation.json";
/// The document version this code reads and writes.
pub const VERSION: u32 = 1;

/// Top-level keys the document defines; dataset-level extras must not shadow them.
const RESERVED_KEYS: [&str; 6] = [
    "format",
    "version",
    "attribute_schema",
    "categories",
    "images",
    "annotations",
];

/// The `format` tag that tells an ATTR_JSON file from COCO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum FormatTag {
    #[serde(rename = "ATTR_JSON")]
    AttrJson,
}

/// An ATTR_JSON document: COCO instances plus a typed attribute schema and per-image and
/// per-annotation attribute values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "ATTR_JSON")]
pub struct AttrJsonDocument {
    /// Always `"ATTR_JSON"`; tells this file from plain COCO.
    pub format: FormatTag,
    /// Document version; this is version 1.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// The attributes, in display and export order. Names are unique. Every value in `images` and
    /// `annotations` must be declared here and match its type; `null` means "not labelled".
    pub attribute_schema: Vec<AttributeDef>,
    /// Classes, as in COCO; ids need not be contiguous.
    #[serde(default)]
    pub categories: Vec<AttrJsonCategory>,
    /// Images, as in COCO, with their image-level attributes.
    #[serde(default)]
    pub images: Vec<AttrJsonImage>,
    /// Objects and labels, as in COCO, with their annotation-level attributes.
    #[serde(default)]
    pub annotations: Vec<AttrJsonAnnotation>,
    /// Other dataset-level fields (COCO `info`, `licenses`, importer provenance), kept as they are.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AttrJsonCategory {
    pub id: CategoryId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supercategory: Option<String>,
    /// Other fields, kept as they are.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AttrJsonImage {
    /// Unique image id.
    pub id: ImageId,
    /// Path relative to `images/`, `/`-separated.
    pub file_name: String,
    /// Width in pixels as displayed (0 when unknown).
    pub width: u32,
    /// Height in pixels as displayed (0 when unknown).
    pub height: u32,
    /// Image-level attribute values by name (`null` = not labelled).
    #[serde(
        default,
        skip_serializing_if = "Attributes::is_empty",
        serialize_with = "serialize_attributes"
    )]
    pub attributes: Attributes,
    /// Other fields (`license`, `coco_url`, …), kept as they are.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One annotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AttrJsonAnnotation {
    /// Unique annotation id.
    pub id: AnnotationId,
    /// The image annotated.
    pub image_id: ImageId,
    /// What the annotation is. When absent it is inferred: `SEGMENTATION` with a non-empty mask,
    /// else `BBOX` with a box, else `LABEL` with a category, else `ATTRIBUTE`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub annotation_type: Option<AnnotationType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<CategoryId>,
    /// `[x, y, width, height]` in absolute pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segmentation: Option<Segmentation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<f64>,
    /// COCO's crowd flag: 0 or 1.
    #[serde(default)]
    #[schemars(range(min = 0, max = 1))]
    pub iscrowd: u8,
    /// Free-text label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Annotation-level attribute values by name (`null` = not labelled).
    #[serde(
        default,
        skip_serializing_if = "Attributes::is_empty",
        serialize_with = "serialize_attributes"
    )]
    pub attributes: Attributes,
    /// Other fields (`score`, …), kept as they are.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Attribute values as JSON, whole numbers without a fraction (`12`, not `12.0`): the model
/// holds every number as `f64`, but identities, frames and counts are integers to every reader.
fn serialize_attributes<S: serde::Serializer>(
    attributes: &Attributes,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    // Beyond 2^53 an f64 no longer holds every integer, so such values keep their float form.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    let mut map = serializer.serialize_map(Some(attributes.len()))?;
    for (name, value) in attributes {
        match value {
            AttributeValue::Number(n) if n.fract() == 0.0 && n.abs() <= EXACT => {
                map.serialize_entry(name, &(*n as i64))?;
            }
            other => map.serialize_entry(name, other)?,
        }
    }
    map.end()
}

/// The JSON Schema of [`AttrJsonDocument`], as checked in at `proto-schemas/attr_json.schema.json`.
#[must_use]
pub fn json_schema() -> Value {
    let mut generated = match schemars::schema_for!(AttrJsonDocument).to_value() {
        Value::Object(map) => map,
        // schemars makes an object schema for a struct; anything else is passed on untouched.
        other => return other,
    };
    // Header keys first, so that a reader of the file sees what it is before the details.
    let mut ordered = serde_json::Map::new();
    for key in ["$schema", "title", "description"] {
        if let Some(value) = generated.remove(key) {
            ordered.insert(key.to_owned(), value);
        }
    }
    ordered.extend(generated);
    Value::Object(ordered)
}

/// Finds the annotation file and the image root for a path given by the user.
pub fn locate(files: Files<'_>, path: &Path) -> Result<(PathBuf, PathBuf), CodecError> {
    let (json, dir) = match files.metadata(path).map(|meta| meta.kind) {
        Ok(EntryKind::File) => (
            path.to_owned(),
            path.parent().unwrap_or(Path::new(".")).to_owned(),
        ),
        Ok(EntryKind::Dir) => (path.join(ANNOTATION_FILE), path.to_owned()),
        _ => {
            return Err(CodecError::NotFound {
                path: path.to_owned(),
                format: AnnotationFormat::AttrJson,
                detail: "the path does not exist".to_owned(),
            });
        }
    };
    if json != path && !files.is_file(&json) {
        return Err(CodecError::NotFound {
            path: path.to_owned(),
            format: AnnotationFormat::AttrJson,
            detail: format!("expected {ANNOTATION_FILE} in the directory"),
        });
    }
    let images = dir.join("images");
    let root = if files.is_dir(&images) { images } else { dir };
    Ok((json, root))
}

/// Reads an ATTR_JSON dataset.
pub fn read(files: Files<'_>, path: &Path, options: &ReadOptions) -> Result<Dataset, CodecError> {
    let (json, image_root) = locate(files, path)?;
    let base = json.parent().unwrap_or(Path::new("."));
    let file_name = relative_name(&json, base);
    let file = files.open(&json).map_err(|e| CodecError::read(&json, e))?;
    let mut diagnostics = Diagnostics::with_limit(options.problem_limit);
    let meta = parse(file, &json, &file_name, &mut diagnostics)?;
    Ok(Dataset {
        meta,
        diagnostics,
        image_root,
        annotation_files: vec![file_name],
    })
}

/// Parses ATTR_JSON bytes (the fuzzing entry point; `file` names it in messages).
pub fn parse_bytes(bytes: &[u8], file: &str) -> Result<(DatasetMeta, Diagnostics), CodecError> {
    let mut diagnostics = Diagnostics::default();
    let meta = parse(bytes, Path::new(file), file, &mut diagnostics)?;
    Ok((meta, diagnostics))
}

/// An image or annotation element kept as raw bytes until what it needs has been read.
type Pending = Vec<(Start, Vec<u8>)>;

/// Streams the document: the top-level members are small except `images` and `annotations`,
/// whose elements are parsed one at a time, so memory holds the model plus one element rather
/// than a `Value` tree of the whole file (a CelebA-sized file, 200k images × 40 attributes, is
/// 140 MB of JSON and several GB as a tree). Elements that arrive before what they depend on
/// (images before `attribute_schema`, annotations before `images`) are kept as bytes until then;
/// Datamill writes the members in dependency order, so its own files never wait.
fn parse<R: Read>(
    reader: R,
    path: &Path,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Result<DatasetMeta, CodecError> {
    let syntax = |error: ScanError| error.into_codec_error(path);
    let mut scanner = Scanner::new(reader);
    match scanner.peek().map_err(syntax)? {
        Some(b'{') => {}
        Some(b'[') => {
            return Err(CodecError::WrongKind {
                path: path.to_owned(),
                what: "a JSON list".to_owned(),
                expected: AnnotationFormat::AttrJson,
                hint: "An ATTR_JSON file is an object with format, version, attribute_schema, \
                       categories, images and annotations."
                    .to_owned(),
            });
        }
        Some(_) => {
            return Err(syntax(scanner.error(
                "an ATTR_JSON file is a JSON object ({\"format\": \"ATTR_JSON\", …})",
            )));
        }
        None => return Err(syntax(scanner.error("the file is empty"))),
    }
    scanner.consume(b'{', "`{`").map_err(syntax)?;

    let mut parser = Parser::new(file);
    let mut root = Extra::new();
    let mut pending_images: Pending = Vec::new();
    let mut pending_annotations: Pending = Vec::new();
    let mut image_count = 0;
    let mut annotation_count = 0;
    let mut scratch = Vec::new();
    if !scanner.eat(b'}').map_err(syntax)? {
        loop {
            let key = scanner.key(&mut scratch).map_err(syntax)?;
            match key.as_str() {
                "images" | "annotations" if scanner.peek().map_err(syntax)? == Some(b'[') => {
                    let images = key == "images";
                    scanner.consume(b'[', "`[`").map_err(syntax)?;
                    if !scanner.eat(b']').map_err(syntax)? {
                        loop {
                            let mut bytes = Vec::new();
                            let start = scanner.capture(&mut bytes).map_err(syntax)?;
                            if images && parser.context.is_some() {
                                parser.image(image_count, start, &bytes, path, diagnostics)?;
                            } else if images {
                                pending_images.push((start, bytes));
                            } else if parser.context.is_some() && parser.images_done {
                                parser.annotation(
                                    annotation_count,
                                    start,
                                    &bytes,
                                    path,
                                    diagnostics,
                                )?;
                            } else {
                                pending_annotations.push((start, bytes));
                            }
                            if images {
                                image_count += 1;
                            } else {
                                annotation_count += 1;
                            }
                            if !scanner.comma_or(b']').map_err(syntax)? {
                                break;
                            }
                        }
                    }
                    if images && parser.context.is_some() {
                        parser.images_done = true;
                    }
                    root.insert(key, Value::Array(Vec::new()));
                }
                _ => {
                    scratch.clear();
                    let start = scanner.capture(&mut scratch).map_err(syntax)?;
                    let value: Value = serde_json::from_slice(&scratch)
                        .map_err(|e| element_syntax(path, start, &e))?;
                    match key.as_str() {
                        "attribute_schema" => {
                            let schema = parse_schema(value, file, diagnostics)?;
                            parser.set_schema(schema);
                        }
                        "categories" => {
                            let elements = array_of(value, "categories", file)?;
                            parser.categories(elements, diagnostics);
                        }
                        _ => {
                            root.insert(key, value);
                        }
                    }
                }
            }
            if !scanner.comma_or(b'}').map_err(syntax)? {
                break;
            }
        }
    }
    scanner.finish().map_err(syntax)?;

    if parser.context.is_none() {
        let looks_like_coco = ["images", "annotations", "categories"]
            .iter()
            .any(|key| root.contains_key(*key))
            || parser.categories_seen;
        return Err(CodecError::WrongKind {
            path: path.to_owned(),
            what: if looks_like_coco {
                "a plain COCO file (it has no attribute_schema)".to_owned()
            } else {
                "a JSON object without attribute_schema".to_owned()
            },
            expected: AnnotationFormat::AttrJson,
            hint: if looks_like_coco {
                "Read it with the coco format instead (--format coco).".to_owned()
            } else {
                "An ATTR_JSON file declares its attributes in attribute_schema.".to_owned()
            },
        });
    }
    for key in ["images", "annotations"] {
        match root.remove(key) {
            None | Some(Value::Array(_) | Value::Null) => {}
            Some(other) => {
                return Err(CodecError::Invalid {
                    location: Location::json(file, format!("$.{key}")),
                    message: format!("{key} is a {}; it must be a list", json_type(&other)),
                });
            }
        }
    }
    check_header(&mut root, file, diagnostics)?;
    for (index, (start, bytes)) in pending_images.into_iter().enumerate() {
        parser.image(index, start, &bytes, path, diagnostics)?;
    }
    parser.images_done = true;
    let first_pending = annotation_count - pending_annotations.len();
    for (offset, (start, bytes)) in pending_annotations.into_iter().enumerate() {
        parser.annotation(first_pending + offset, start, &bytes, path, diagnostics)?;
    }
    parser.check_categories(diagnostics);
    Ok(parser.finish(root))
}

/// A syntax error inside a captured element, placed in the file.
fn element_syntax(path: &Path, start: Start, error: &serde_json::Error) -> CodecError {
    if error.is_io() {
        return CodecError::read(path, std::io::Error::other(error.to_string()));
    }
    let line = error.line() as u64;
    let (line, column) = if line <= 1 {
        (
            start.line,
            start.column + error.column().saturating_sub(1) as u64,
        )
    } else {
        (start.line + line - 1, error.column() as u64)
    };
    CodecError::Syntax {
        path: path.to_owned(),
        line,
        column,
        message: strip_position(error),
    }
}

/// A location with a line (where the element starts) and a JSON path.
fn at_line(file: &str, line: Option<u64>, path: impl Into<String>) -> Location {
    Location {
        file: Some(file.to_owned()),
        line,
        json_path: Some(path.into()),
    }
}

/// What attribute values are checked against.
struct Context {
    schema: Vec<AttributeDef>,
    by_name: HashMap<String, usize>,
}

/// Builds the model element by element.
struct Parser<'a> {
    file: &'a str,
    context: Option<Context>,
    categories: Vec<Category>,
    categories_seen: bool,
    images: Vec<ImageRecord>,
    images_done: bool,
    by_id: HashMap<ImageId, usize>,
    file_names: HashSet<String>,
    annotation_ids: HashSet<AnnotationId>,
    /// Category ids to check once `categories` is read: (annotation index, line, id).
    category_uses: Vec<(usize, u64, CategoryId)>,
}

impl<'a> Parser<'a> {
    fn new(file: &'a str) -> Self {
        Self {
            file,
            context: None,
            categories: Vec::new(),
            categories_seen: false,
            images: Vec::new(),
            images_done: false,
            by_id: HashMap::new(),
            file_names: HashSet::new(),
            annotation_ids: HashSet::new(),
            category_uses: Vec::new(),
        }
    }

    fn set_schema(&mut self, schema: Vec<AttributeDef>) {
        let by_name = schema
            .iter()
            .enumerate()
            .map(|(index, def)| (def.name.clone(), index))
            .collect();
        self.context = Some(Context { schema, by_name });
    }

    fn categories(&mut self, elements: Vec<Value>, diagnostics: &mut Diagnostics) {
        self.categories_seen = true;
        self.categories = parse_categories(elements, self.file, diagnostics);
    }

    fn image(
        &mut self,
        index: usize,
        start: Start,
        bytes: &[u8],
        path: &Path,
        diagnostics: &mut Diagnostics,
    ) -> Result<(), CodecError> {
        let file = self.file;
        let Some(context) = &self.context else {
            return Ok(());
        };
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| element_syntax(path, start, &e))?;
        let at = format!("$.images[{index}]");
        let line = Some(start.line);
        let Some((raw, attributes)) = split_element::<AttrJsonImage>(
            value,
            &at,
            line,
            AttributeScope::Image,
            file,
            context,
            diagnostics,
        ) else {
            return Ok(());
        };
        if self.by_id.contains_key(&raw.id) {
            diagnostics.error(
                ProblemCode::DuplicateId,
                at_line(file, line, format!("{at}.id")),
                format!("image id {} is used twice; this one is left out", raw.id),
            );
            return Ok(());
        }
        if !self.file_names.insert(raw.file_name.clone()) {
            diagnostics.warning(
                ProblemCode::DuplicateId,
                at_line(file, line, format!("{at}.file_name")),
                format!("file_name `{}` is listed twice", raw.file_name),
            );
        }
        self.by_id.insert(raw.id, self.images.len());
        self.images.push(ImageRecord {
            id: raw.id,
            file_name: raw.file_name,
            width: raw.width,
            height: raw.height,
            origin: None,
            annotations: Vec::new(),
            attributes,
            extra: raw.extra,
        });
        Ok(())
    }

    fn annotation(
        &mut self,
        index: usize,
        start: Start,
        bytes: &[u8],
        path: &Path,
        diagnostics: &mut Diagnostics,
    ) -> Result<(), CodecError> {
        let file = self.file;
        let Some(context) = &self.context else {
            return Ok(());
        };
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| element_syntax(path, start, &e))?;
        let at = format!("$.annotations[{index}]");
        let line = Some(start.line);
        let Some((raw, attributes)) = split_element::<AttrJsonAnnotation>(
            value,
            &at,
            line,
            AttributeScope::Annotation,
            file,
            context,
            diagnostics,
        ) else {
            return Ok(());
        };
        let Some(&image_index) = self.by_id.get(&raw.image_id) else {
            diagnostics.error(
                ProblemCode::UnknownImage,
                at_line(file, line, format!("{at}.image_id")),
                format!(
                    "image_id {} is not an image of the file; the annotation is left out",
                    raw.image_id
                ),
            );
            return Ok(());
        };
        if !self.annotation_ids.insert(raw.id) {
            diagnostics.error(
                ProblemCode::DuplicateId,
                at_line(file, line, format!("{at}.id")),
                format!("annotation id {} is used twice", raw.id),
            );
        }
        if let Some(category) = raw.category_id {
            self.category_uses.push((index, start.line, category));
        }
        if raw.iscrowd > 1 {
            diagnostics.error(
                ProblemCode::InvalidValue,
                at_line(file, line, format!("{at}.iscrowd")),
                format!("iscrowd is {}; it must be 0 or 1 (read as 1)", raw.iscrowd),
            );
        }
        let annotation_type = raw.annotation_type.unwrap_or_else(|| {
            infer_type(
                raw.bbox.as_ref(),
                raw.segmentation.as_ref(),
                raw.category_id,
            )
        });
        self.images[image_index].annotations.push(Annotation {
            id: Some(raw.id),
            annotation_type,
            category_id: raw.category_id,
            bbox: raw.bbox,
            segmentation: raw.segmentation,
            area: raw.area,
            iscrowd: raw.iscrowd != 0,
            label: raw.label,
            attributes,
            extra: raw.extra,
        });
        Ok(())
    }

    /// Category ids are checked at the end: `categories` may come after `annotations`.
    fn check_categories(&mut self, diagnostics: &mut Diagnostics) {
        let known: HashSet<CategoryId> = self.categories.iter().map(|c| c.id).collect();
        for (index, line, category) in std::mem::take(&mut self.category_uses) {
            if !known.contains(&category) {
                diagnostics.error(
                    ProblemCode::UnknownCategory,
                    at_line(
                        self.file,
                        Some(line),
                        format!("$.annotations[{index}].category_id"),
                    ),
                    format!("category_id {category} is not in categories"),
                );
            }
        }
    }

    fn finish(self, extra: Extra) -> DatasetMeta {
        DatasetMeta {
            categories: self.categories,
            images: self.images,
            attribute_schema: self.context.map(|c| c.schema).unwrap_or_default(),
            source: SourceInfo {
                format: None,
                extra,
            },
        }
    }
}

/// Checks and consumes `format` and `version`.
fn check_header(
    root: &mut Extra,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Result<(), CodecError> {
    match root.remove("format") {
        Some(Value::String(tag)) if tag == "ATTR_JSON" => {}
        Some(other) => diagnostics.warning(
            ProblemCode::InconsistentMetadata,
            Location::json(file, "$.format"),
            format!("format is {other}, expected \"ATTR_JSON\"; read as ATTR_JSON"),
        ),
        None => diagnostics.warning(
            ProblemCode::InconsistentMetadata,
            Location::json(file, "$.format"),
            "no format tag; read as ATTR_JSON because attribute_schema is present",
        ),
    }
    match root.remove("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(u64::from(VERSION)) => {}
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v > u64::from(VERSION)) => {
            // A newer version may change meanings silently; refusing beats misreading.
            return Err(CodecError::Invalid {
                location: Location::json(file, "$.version"),
                message: format!(
                    "ATTR_JSON version {n} is newer than this Datamill reads (version {VERSION}); \
                     upgrade Datamill"
                ),
            });
        }
        Some(other) => diagnostics.warning(
            ProblemCode::InconsistentMetadata,
            Location::json(file, "$.version"),
            format!("version is {other}, expected {VERSION}; read as version {VERSION}"),
        ),
        None => diagnostics.warning(
            ProblemCode::InconsistentMetadata,
            Location::json(file, "$.version"),
            format!("no version; read as version {VERSION}"),
        ),
    }
    Ok(())
}

fn parse_schema(
    value: Value,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Result<Vec<AttributeDef>, CodecError> {
    let Value::Array(elements) = value else {
        return Err(CodecError::Invalid {
            location: Location::json(file, "$.attribute_schema"),
            message: format!(
                "attribute_schema is a {}; it must be a list of attribute definitions",
                json_type(&value)
            ),
        });
    };
    let mut schema: Vec<AttributeDef> = Vec::with_capacity(elements.len());
    for (index, element) in elements.into_iter().enumerate() {
        let at = format!("$.attribute_schema[{index}]");
        let def = match serde_json::from_value::<AttributeDef>(element) {
            Ok(def) => def,
            Err(error) => {
                diagnostics.error(
                    ProblemCode::InconsistentMetadata,
                    Location::json(file, at),
                    format!("not an attribute definition: {error}; the attribute is left out"),
                );
                continue;
            }
        };
        if let Err(message) = check_def(&def) {
            diagnostics.error(
                ProblemCode::InconsistentMetadata,
                Location::json(file, at),
                format!("{message}; the attribute is left out"),
            );
            continue;
        }
        if schema.iter().any(|known| known.name == def.name) {
            diagnostics.error(
                ProblemCode::InconsistentMetadata,
                Location::json(file, format!("{at}.name")),
                format!(
                    "attribute `{}` is declared twice; the second is left out",
                    def.name
                ),
            );
            continue;
        }
        schema.push(def);
    }
    Ok(schema)
}

/// Whether a definition can hold any value at all.
fn check_def(def: &AttributeDef) -> Result<(), String> {
    if def.name.is_empty() {
        return Err("the attribute name is empty".to_owned());
    }
    match &def.kind {
        AttributeKind::Enum { values } => {
            if values.is_empty() {
                return Err(format!("enum attribute `{}` has no values", def.name));
            }
            let mut seen = HashSet::new();
            if let Some(duplicate) = values.iter().find(|v| !seen.insert(v.as_str())) {
                return Err(format!(
                    "enum attribute `{}` lists `{duplicate}` twice",
                    def.name
                ));
            }
        }
        AttributeKind::Number {
            minimum: Some(min),
            maximum: Some(max),
            ..
        } if min > max => {
            return Err(format!(
                "number attribute `{}` has minimum {min} above maximum {max}",
                def.name
            ));
        }
        _ => {}
    }
    Ok(())
}

fn parse_categories(
    elements: Vec<Value>,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::with_capacity(elements.len());
    for (index, element) in elements.into_iter().enumerate() {
        let at = format!("$.categories[{index}]");
        match serde_json::from_value::<AttrJsonCategory>(element) {
            Ok(raw) if categories.iter().any(|c| c.id == raw.id) => diagnostics.error(
                ProblemCode::DuplicateId,
                Location::json(file, format!("{at}.id")),
                format!("category id {} is used twice; this one is left out", raw.id),
            ),
            Ok(raw) => categories.push(Category {
                id: raw.id,
                name: raw.name,
                supercategory: raw.supercategory,
                extra: raw.extra,
            }),
            Err(error) => diagnostics.error(
                ProblemCode::InvalidValue,
                Location::json(file, at),
                format!("not a category: {error}; it is left out"),
            ),
        }
    }
    categories
}

/// A top-level member that must be a list (`null` = empty).
fn array_of(value: Value, key: &str, file: &str) -> Result<Vec<Value>, CodecError> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(elements) => Ok(elements),
        other => Err(CodecError::Invalid {
            location: Location::json(file, format!("$.{key}")),
            message: format!("{key} is a {}; it must be a list", json_type(&other)),
        }),
    }
}

/// Splits an image or annotation element into its typed fields and its checked attributes. The
/// attributes are taken out before serde sees the element so that one bad value costs that value,
/// not the whole record.
fn split_element<T: for<'de> Deserialize<'de>>(
    value: Value,
    at: &str,
    line: Option<u64>,
    scope: AttributeScope,
    file: &str,
    context: &Context,
    diagnostics: &mut Diagnostics,
) -> Option<(T, Attributes)> {
    let Value::Object(mut map) = value else {
        diagnostics.error(
            ProblemCode::InvalidValue,
            at_line(file, line, at),
            format!(
                "expected an object, found a {}; it is left out",
                json_type(&value)
            ),
        );
        return None;
    };
    let attributes = match map.remove("attributes") {
        None | Some(Value::Null) => Attributes::new(),
        Some(Value::Object(values)) => {
            let mut attributes = Attributes::new();
            for (name, value) in values {
                let location = || at_line(file, line, format!("{at}.attributes.{name}"));
                match check_attribute(&name, value, scope, context) {
                    Ok(value) => {
                        attributes.insert(name, value);
                    }
                    Err(message) => diagnostics.error(
                        ProblemCode::InvalidValue,
                        location(),
                        format!("{message}; the value is left out"),
                    ),
                }
            }
            attributes
        }
        Some(other) => {
            diagnostics.error(
                ProblemCode::InvalidValue,
                at_line(file, line, format!("{at}.attributes")),
                format!(
                    "attributes is a {}; it must be an object of name → value",
                    json_type(&other)
                ),
            );
            Attributes::new()
        }
    };
    match serde_json::from_value::<T>(Value::Object(map)) {
        Ok(raw) => Some((raw, attributes)),
        Err(error) => {
            diagnostics.error(
                ProblemCode::InvalidValue,
                at_line(file, line, at),
                format!("{error}; the record is left out"),
            );
            None
        }
    }
}

/// One attribute value checked against the schema: declared, allowed here, of its type.
fn check_attribute(
    name: &str,
    value: Value,
    scope: AttributeScope,
    context: &Context,
) -> Result<AttributeValue, String> {
    let Some(&index) = context.by_name.get(name) else {
        return Err(format!(
            "attribute `{name}` is not declared in attribute_schema"
        ));
    };
    let def = &context.schema[index];
    if !scope_allows(def.applies_to, scope) {
        return Err(format!(
            "attribute `{name}` applies to {} only",
            scope_noun(def.applies_to)
        ));
    }
    let value = from_json(value)?;
    check_value(def, &value)?;
    Ok(value)
}

/// A JSON value as an attribute value, before checking it against its definition.
fn from_json(value: Value) -> Result<AttributeValue, String> {
    match value {
        Value::Null => Ok(AttributeValue::Unknown),
        Value::Bool(b) => Ok(AttributeValue::Bool(b)),
        Value::Number(n) => n
            .as_f64()
            .map(AttributeValue::Number)
            .ok_or_else(|| format!("{n} is not a representable number")),
        Value::String(s) => Ok(AttributeValue::Text(s)),
        other => Err(format!(
            "an attribute value is a boolean, number, string or null, not a {}",
            json_type(&other)
        )),
    }
}

/// Whether a value fits its definition (type, enum membership, bounds). `Unknown` always fits.
pub fn check_value(def: &AttributeDef, value: &AttributeValue) -> Result<(), String> {
    let name = &def.name;
    match (&def.kind, value) {
        (_, AttributeValue::Unknown)
        | (AttributeKind::Bool, AttributeValue::Bool(_))
        | (AttributeKind::Text, AttributeValue::Text(_)) => Ok(()),
        (AttributeKind::Enum { values }, AttributeValue::Text(text)) => {
            if values.iter().any(|v| v == text) {
                Ok(())
            } else {
                Err(format!(
                    "`{text}` is not a value of enum attribute `{name}` ({})",
                    values.join(", ")
                ))
            }
        }
        (
            AttributeKind::Number {
                minimum,
                maximum,
                integer,
            },
            AttributeValue::Number(number),
        ) => {
            if *integer && number.fract() != 0.0 {
                return Err(format!(
                    "attribute `{name}` takes whole numbers, not {number}"
                ));
            }
            if let Some(min) = minimum
                && number < min
            {
                return Err(format!("{number} is below the minimum {min} of `{name}`"));
            }
            if let Some(max) = maximum
                && number > max
            {
                return Err(format!("{number} is above the maximum {max} of `{name}`"));
            }
            Ok(())
        }
        (kind, value) => Err(format!(
            "attribute `{name}` takes {}, not {}",
            kind_noun(kind),
            value_noun(value)
        )),
    }
}

fn scope_allows(applies_to: AttributeScope, used_on: AttributeScope) -> bool {
    applies_to == AttributeScope::Both || applies_to == used_on
}

fn scope_noun(scope: AttributeScope) -> &'static str {
    match scope {
        AttributeScope::Image => "images",
        AttributeScope::Annotation => "annotations",
        AttributeScope::Both => "images and annotations",
    }
}

fn kind_noun(kind: &AttributeKind) -> &'static str {
    match kind {
        AttributeKind::Bool => "true/false",
        AttributeKind::Enum { .. } => "one of its enum values (a string)",
        AttributeKind::Number { .. } => "a number",
        AttributeKind::Text => "text",
    }
}

fn value_noun(value: &AttributeValue) -> String {
    match value {
        AttributeValue::Bool(b) => format!("the boolean {b}"),
        AttributeValue::Number(n) => format!("the number {n}"),
        AttributeValue::Text(t) => format!("the string {t:?}"),
        AttributeValue::Unknown => "null".to_owned(),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

fn infer_type(
    bbox: Option<&BBox>,
    segmentation: Option<&Segmentation>,
    category: Option<CategoryId>,
) -> AnnotationType {
    if segmentation.is_some_and(|s| !s.is_empty()) {
        AnnotationType::Segmentation
    } else if bbox.is_some() {
        AnnotationType::Bbox
    } else if category.is_some() {
        AnnotationType::Label
    } else {
        AnnotationType::Attribute
    }
}

/// serde_json appends " at line L column C"; the position is given separately.
fn strip_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Writes `DIR/annotation.json`.
pub fn write(
    files: Files<'_>,
    meta: &DatasetMeta,
    dir: &Path,
    options: &WriteOptions,
    report: &mut ConversionReport,
) -> Result<(), CodecError> {
    let document = to_document(meta, report);
    let path = dir.join(ANNOTATION_FILE);
    // Staged by the storage: a failed write never leaves half a file under the real name.
    let file = files
        .create(&path)
        .map_err(|e| CodecError::write(&path, e))?;
    let mut writer = BufWriter::new(file);
    let result = if options.pretty_json {
        serde_json::to_writer_pretty(&mut writer, &document)
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
    report.output = Counts {
        images: document.images.len() as u64,
        annotations: document.annotations.len() as u64,
        categories: document.categories.len() as u64,
    };
    Ok(())
}

/// The document for a dataset, recording in `report` what it cannot hold.
///
/// Attributes the schema does not declare (e.g. COCO's free-form `attributes`) are declared here,
/// typed by their first labelled value, so that the file written always passes its own checks;
/// values that still do not fit are dropped and reported. Annotations without ids (YOLO,
/// VisDrone) get ids after the largest existing one.
#[must_use]
pub fn to_document(meta: &DatasetMeta, report: &mut ConversionReport) -> AttrJsonDocument {
    let schema = complete_schema(meta);
    let by_name: HashMap<&str, &AttributeDef> =
        schema.iter().map(|def| (def.name.as_str(), def)).collect();
    let mut next_id = meta
        .images
        .iter()
        .flat_map(|image| &image.annotations)
        .filter_map(|a| a.id.map(|id| id.0))
        .max()
        .unwrap_or(0)
        .saturating_add(1);

    let mut extra = Extra::new();
    for (key, value) in &meta.source.extra {
        if RESERVED_KEYS.contains(&key.as_str()) {
            report.note(
                Action::Dropped,
                Reason::UnsupportedField,
                None,
                None,
                format!("dataset field `{key}` would shadow an ATTR_JSON key"),
            );
        } else {
            extra.insert(key.clone(), value.clone());
        }
    }

    let mut images = Vec::with_capacity(meta.images.len());
    let mut annotations = Vec::with_capacity(meta.annotation_count());
    for image in &meta.images {
        let attributes = fitting_attributes(
            &image.attributes,
            AttributeScope::Image,
            &by_name,
            &image.file_name,
            None,
            report,
        );
        images.push(AttrJsonImage {
            id: image.id,
            file_name: image.file_name.clone(),
            width: image.width,
            height: image.height,
            attributes,
            extra: image.extra.clone(),
        });
        for annotation in &image.annotations {
            let id = annotation.id.unwrap_or_else(|| {
                let id = AnnotationId(next_id);
                next_id = next_id.saturating_add(1);
                id
            });
            let attributes = fitting_attributes(
                &annotation.attributes,
                AttributeScope::Annotation,
                &by_name,
                &image.file_name,
                Some(id),
                report,
            );
            annotations.push(AttrJsonAnnotation {
                id,
                image_id: image.id,
                annotation_type: Some(annotation.annotation_type),
                category_id: annotation.category_id,
                bbox: annotation.bbox,
                segmentation: annotation.segmentation.clone(),
                area: annotation.area,
                iscrowd: u8::from(annotation.iscrowd),
                label: annotation.label.clone(),
                attributes,
                extra: annotation.extra.clone(),
            });
        }
    }

    AttrJsonDocument {
        format: FormatTag::AttrJson,
        version: VERSION,
        attribute_schema: schema,
        categories: meta
            .categories
            .iter()
            .map(|c| AttrJsonCategory {
                id: c.id,
                name: c.name.clone(),
                supercategory: c.supercategory.clone(),
                extra: c.extra.clone(),
            })
            .collect(),
        images,
        annotations,
        extra,
    }
}

/// The dataset's schema plus a declaration for every attribute name used but not declared,
/// in name order after the declared ones.
fn complete_schema(meta: &DatasetMeta) -> Vec<AttributeDef> {
    let mut schema = meta.attribute_schema.clone();
    let declared: HashSet<&str> = schema.iter().map(|def| def.name.as_str()).collect();
    // name → (first labelled value, used on images, used on annotations)
    let mut undeclared: BTreeMap<&str, (Option<&AttributeValue>, bool, bool)> = BTreeMap::new();
    let used = meta.images.iter().flat_map(|image| {
        std::iter::once((&image.attributes, true)).chain(
            image
                .annotations
                .iter()
                .map(|annotation| (&annotation.attributes, false)),
        )
    });
    for (attributes, on_image) in used {
        for (name, value) in attributes {
            if declared.contains(name.as_str()) {
                continue;
            }
            let entry = undeclared.entry(name.as_str()).or_default();
            if entry.0.is_none() && !value.is_unknown() {
                entry.0 = Some(value);
            }
            if on_image {
                entry.1 = true;
            } else {
                entry.2 = true;
            }
        }
    }
    for (name, (first, on_image, on_annotation)) in undeclared {
        let kind = match first {
            Some(AttributeValue::Bool(_)) => AttributeKind::Bool,
            Some(AttributeValue::Number(_)) => AttributeKind::Number {
                minimum: None,
                maximum: None,
                integer: false,
            },
            _ => AttributeKind::Text,
        };
        let applies_to = match (on_image, on_annotation) {
            (true, false) => AttributeScope::Image,
            (false, true) => AttributeScope::Annotation,
            _ => AttributeScope::Both,
        };
        schema.push(AttributeDef {
            name: name.to_owned(),
            kind,
            applies_to,
            description: None,
            source_encoding: None,
        });
    }
    schema
}

fn fitting_attributes(
    attributes: &Attributes,
    scope: AttributeScope,
    by_name: &HashMap<&str, &AttributeDef>,
    image: &str,
    annotation: Option<AnnotationId>,
    report: &mut ConversionReport,
) -> Attributes {
    let mut kept = Attributes::new();
    for (name, value) in attributes {
        // complete_schema declared every name, so the lookup only fails on a bug of ours.
        let fits = by_name.get(name.as_str()).map_or_else(
            || Err(format!("attribute `{name}` is not declared")),
            |def| {
                if scope_allows(def.applies_to, scope) {
                    check_value(def, value)
                } else {
                    Err(format!(
                        "attribute `{name}` applies to {} only",
                        scope_noun(def.applies_to)
                    ))
                }
            },
        );
        match fits {
            Ok(()) => {
                kept.insert(name.clone(), value.clone());
            }
            Err(message) => report.note(
                Action::Dropped,
                Reason::UnsupportedField,
                Some(image),
                annotation.map(|id| id.to_string()),
                message,
            ),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    const DOC: &str = r#"{
  "format": "ATTR_JSON",
  "version": 1,
  "attribute_schema": [
    {"name": "hat", "type": "bool", "applies_to": "image"},
    {"name": "age", "type": "enum", "values": ["young", "old"]},
    {"name": "score", "type": "number", "minimum": 0, "maximum": 1},
    {"name": "count", "type": "number", "integer": true, "applies_to": "annotation"},
    {"name": "note", "type": "text"}
  ],
  "categories": [{"id": 1, "name": "person"}],
  "images": [
    {"id": 1, "file_name": "a.jpg", "width": 10, "height": 10,
     "attributes": {"hat": false, "age": null}},
    {"id": 2, "file_name": "b.jpg", "width": 10, "height": 10,
     "attributes": {"hat": 1, "age": "middle", "colour": "red", "count": 3, "score": 2}}
  ],
  "annotations": [
    {"id": 7, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "iscrowd": 0,
     "attributes": {"count": 2.5, "note": "x", "hat": true}}
  ]
}"#;

    fn problems(diagnostics: &Diagnostics) -> Vec<String> {
        diagnostics
            .problems
            .iter()
            .map(|p| {
                format!(
                    "{} {}",
                    p.location.json_path.as_deref().unwrap_or(""),
                    p.message
                )
            })
            .collect()
    }

    #[test]
    fn values_are_checked_against_the_schema_with_json_paths() {
        let (meta, diagnostics) =
            parse_bytes(DOC.as_bytes(), "annotation.json").expect("test setup");
        assert_eq!(meta.images.len(), 2);
        let first = &meta.images[0].attributes;
        assert_eq!(first.get("hat"), Some(&AttributeValue::Bool(false)));
        assert_eq!(first.get("age"), Some(&AttributeValue::Unknown));
        assert!(meta.images[1].attributes.is_empty());
        let annotation = &meta.images[0].annotations[0];
        assert_eq!(annotation.annotation_type, AnnotationType::Bbox);
        assert_eq!(
            annotation.attributes.get("note"),
            Some(&AttributeValue::Text("x".into()))
        );
        let listed = problems(&diagnostics);
        let expected = [
            "$.images[1].attributes.hat attribute `hat` takes true/false, not the number 1",
            "$.images[1].attributes.age `middle` is not a value of enum attribute `age`",
            "$.images[1].attributes.colour attribute `colour` is not declared",
            "$.images[1].attributes.count attribute `count` applies to annotations only",
            "$.images[1].attributes.score 2 is above the maximum 1 of `score`",
            "$.annotations[0].attributes.count attribute `count` takes whole numbers, not 2.5",
            "$.annotations[0].attributes.hat attribute `hat` applies to images only",
        ];
        for wanted in expected {
            assert!(
                listed.iter().any(|p| p.starts_with(wanted)),
                "missing {wanted:?} in {listed:#?}"
            );
        }
        assert_eq!(diagnostics.error_count(), expected.len() as u64);
        assert!(
            diagnostics
                .problems
                .iter()
                .all(|p| p.severity == Severity::Error)
        );
    }

    #[test]
    fn plain_coco_is_refused_with_a_hint() {
        let coco = r#"{"images": [], "annotations": [], "categories": []}"#;
        let error = parse_bytes(coco.as_bytes(), "annotation.json").expect_err("fails");
        let message = error.to_string();
        assert!(message.contains("plain COCO"), "{message}");
        assert!(message.contains("coco format"), "{message}");
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let error = parse_bytes(b"{\n  \"format\": ,\n}", "a.json").expect_err("fails");
        match error {
            CodecError::Syntax { line, column, .. } => assert_eq!((line, column), (2, 13)),
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn newer_versions_are_refused() {
        let doc = r#"{"format": "ATTR_JSON", "version": 2, "attribute_schema": []}"#;
        assert!(matches!(
            parse_bytes(doc.as_bytes(), "a.json"),
            Err(CodecError::Invalid { .. })
        ));
    }

    #[test]
    fn a_clean_document_round_trips() {
        let doc = r#"{"format": "ATTR_JSON", "version": 1,
          "attribute_schema": [{"name": "hat", "type": "bool", "source_encoding": "1/2"}],
          "categories": [{"id": 3, "name": "p", "supercategory": "x"}],
          "images": [{"id": 1, "file_name": "a.jpg", "width": 4, "height": 5, "license": 2,
                      "attributes": {"hat": null}}],
          "annotations": [{"id": 0, "image_id": 1, "category_id": 3, "type": "LABEL",
                           "iscrowd": 0, "score": 0.5, "attributes": {"hat": true}}],
          "info": {"year": 2026}}"#;
        let (meta, diagnostics) = parse_bytes(doc.as_bytes(), "a.json").expect("test setup");
        assert_eq!(diagnostics.problems, Vec::new());
        let mut report = ConversionReport::new(None, AnnotationFormat::AttrJson);
        let written = serde_json::to_vec(&to_document(&meta, &mut report)).expect("test setup");
        let (again, diagnostics) = parse_bytes(&written, "a.json").expect("test setup");
        assert_eq!(diagnostics.problems, Vec::new());
        assert_eq!(again, meta);
        assert!(report.events.is_empty());
    }

    #[test]
    fn undeclared_attributes_are_declared_on_write() {
        let mut meta = DatasetMeta::default();
        let mut image = ImageRecord::new(1, "a.jpg", 1, 1);
        image
            .attributes
            .insert("occluded".into(), AttributeValue::Bool(true));
        let mut annotation = Annotation::bbox(CategoryId(1), BBox::new(0.0, 0.0, 1.0, 1.0));
        annotation
            .attributes
            .insert("occluded".into(), AttributeValue::Text("yes".into()));
        image.annotations.push(annotation);
        meta.images.push(image);
        let mut report = ConversionReport::new(None, AnnotationFormat::AttrJson);
        let document = to_document(&meta, &mut report);
        assert_eq!(document.attribute_schema.len(), 1);
        assert_eq!(document.attribute_schema[0].kind, AttributeKind::Bool);
        assert_eq!(
            document.attribute_schema[0].applies_to,
            AttributeScope::Both
        );
        assert_eq!(report.count(Action::Dropped, Reason::UnsupportedField), 1);
        assert_eq!(document.annotations[0].id, AnnotationId(1));
    }

    #[test]
    fn the_schema_names_the_document() {
        let schema = json_schema();
        assert_eq!(schema["title"], "ATTR_JSON");
        assert!(schema["properties"]["attribute_schema"].is_object());
    }

    mod round_trip {
        use proptest::prelude::*;

        use super::*;

        /// A value of any kind, numbers whole or not (whole ones are written as integers).
        fn value() -> impl Strategy<Value = AttributeValue> {
            prop_oneof![
                Just(AttributeValue::Unknown),
                any::<bool>().prop_map(AttributeValue::Bool),
                (-1.0e6_f64..1.0e6).prop_map(AttributeValue::Number),
                (-1000_i64..1000).prop_map(|n| AttributeValue::Number(n as f64)),
                "[a-z ]{0,6}".prop_map(AttributeValue::Text),
            ]
        }

        fn meta() -> impl Strategy<Value = DatasetMeta> {
            let attributes = || {
                proptest::collection::btree_map(
                    proptest::sample::select(vec!["a", "b", "c", "d"]).prop_map(str::to_owned),
                    value(),
                    0..4,
                )
            };
            let annotation =
                (attributes(), any::<bool>(), 0_u8..3).prop_map(|(attributes, iscrowd, kind)| {
                    let mut annotation =
                        Annotation::bbox(CategoryId(1), BBox::new(1.0, 2.0, 3.5, 4.0));
                    annotation.annotation_type = match kind {
                        0 => AnnotationType::Bbox,
                        1 => AnnotationType::Label,
                        _ => AnnotationType::Attribute,
                    };
                    annotation.iscrowd = iscrowd;
                    annotation.attributes = attributes;
                    annotation
                });
            let image = (
                attributes(),
                proptest::collection::vec(annotation, 0..3),
                0_u32..2000,
            )
                .prop_map(|(attributes, annotations, width)| {
                    let mut image = ImageRecord::new(0, "x.jpg", width, 7);
                    image.attributes = attributes;
                    image.annotations = annotations;
                    image
                });
            proptest::collection::vec(image, 0..5).prop_map(|mut images| {
                for (index, image) in images.iter_mut().enumerate() {
                    image.id = ImageId(index as i64);
                    image.file_name = format!("{index}.jpg");
                }
                DatasetMeta {
                    categories: vec![Category::new(1, "thing")],
                    images,
                    attribute_schema: Vec::new(),
                    source: SourceInfo::default(),
                }
            })
        }

        proptest! {
            /// Whatever the model holds, the file written passes its own checks, and reading it
            /// back gives the model as written (undeclared names declared, misfits dropped and
            /// reported), and a second round trip changes nothing.
            #[test]
            fn written_files_read_back_clean(meta in meta()) {
                let mut report = ConversionReport::new(None, AnnotationFormat::AttrJson);
                let written = serde_json::to_vec(&to_document(&meta, &mut report))
                    .expect("serialises");
                let (first, diagnostics) = parse_bytes(&written, "a.json").expect("reads");
                prop_assert_eq!(diagnostics.problems, Vec::new());
                prop_assert_eq!(first.images.len(), meta.images.len());
                let kept: usize = first
                    .images
                    .iter()
                    .map(|i| i.attributes.len() + i.annotations.iter().map(|a| a.attributes.len()).sum::<usize>())
                    .sum();
                let all: usize = meta
                    .images
                    .iter()
                    .map(|i| i.attributes.len() + i.annotations.iter().map(|a| a.attributes.len()).sum::<usize>())
                    .sum();
                prop_assert_eq!(
                    kept as u64 + report.count(Action::Dropped, Reason::UnsupportedField),
                    all as u64
                );
                let mut again = ConversionReport::new(None, AnnotationFormat::AttrJson);
                let rewritten = serde_json::to_vec(&to_document(&first, &mut again))
                    .expect("serialises");
                let (second, _) = parse_bytes(&rewritten, "a.json").expect("reads");
                prop_assert!(again.events.is_empty());
                prop_assert_eq!(second, first);
            }
        }
    }
}
