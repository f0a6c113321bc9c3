//! The format-independent annotation model.
//!
//! Every codec reads into [`DatasetMeta`] and writes from it. Fields that a format carries but the
//! model does not name are kept in `extra` maps, so that reading and writing an untouched file in
//! the same format loses nothing.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::format::AnnotationFormat;
use crate::geometry::{BBox, Segmentation};

/// Format-specific fields the model has no name for, in their original order.
///
/// Boxed and allocated only when a record has such fields: most records have none, and an empty
/// map stored inline costs 72 bytes on each of a million annotations. It dereferences to a
/// `serde_json::Map`, so it reads and writes like one.
///
/// A reader of this crate may keep the fields as the JSON object text it read (`from_json_object`),
/// parsed only when something looks at them: COCO-train's images each carry four such fields
/// (`license`, `coco_url`, `date_captured`, `flickr_url`), which as maps of `Value`s took about
/// 85 MB at the peak of reading it. Written out, they are parsed for the moment and not kept.
#[derive(Clone, Default)]
pub struct Extra(Option<Box<Members>>);

#[derive(Clone)]
enum Members {
    Map(serde_json::Map<String, serde_json::Value>),
    Text {
        /// A JSON object, as valid as it was when read.
        json: Box<str>,
        /// Its members, once something has looked at them.
        parsed: std::sync::OnceLock<serde_json::Map<String, serde_json::Value>>,
    },
}

impl Default for Members {
    fn default() -> Self {
        Self::Map(serde_json::Map::new())
    }
}

/// The members of an object's text; an empty map for text that is not one (which
/// [`Extra::from_json_object`]'s callers never give).
fn parse_members(json: &str) -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(json).unwrap_or_default()
}

static EMPTY_EXTRA: std::sync::LazyLock<serde_json::Map<String, serde_json::Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);

impl Extra {
    #[must_use]
    pub const fn new() -> Self {
        Self(None)
    }

    /// Fields kept as the text of the JSON object that holds them (`{"license":1,…}`), parsed
    /// on first use. The text must be a valid JSON object, e.g. built from the raw values a
    /// parser has just checked; `{}` gives no fields.
    #[must_use]
    pub(crate) fn from_json_object(json: String) -> Self {
        let inner = json
            .trim()
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'));
        if inner.is_some_and(|members| members.trim().is_empty()) {
            return Self(None);
        }
        Self(Some(Box::new(Members::Text {
            json: json.into_boxed_str(),
            parsed: std::sync::OnceLock::new(),
        })))
    }

    /// The fields for one look without keeping them parsed: what writers use, so that writing a
    /// dataset out does not grow its text fields back into maps. Dereferencing keeps them.
    #[must_use]
    pub fn members(&self) -> std::borrow::Cow<'_, serde_json::Map<String, serde_json::Value>> {
        match self.0.as_deref() {
            Some(Members::Text { json, parsed }) if parsed.get().is_none() => {
                std::borrow::Cow::Owned(parse_members(json))
            }
            _ => std::borrow::Cow::Borrowed(&**self),
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self.0.as_deref() {
            None => true,
            Some(Members::Map(map)) => map.is_empty(),
            // Never built empty (see from_json_object); a parsed map is not changed.
            Some(Members::Text { .. }) => false,
        }
    }
}

impl std::ops::Deref for Extra {
    type Target = serde_json::Map<String, serde_json::Value>;
    fn deref(&self) -> &Self::Target {
        match self.0.as_deref() {
            None => &EMPTY_EXTRA,
            Some(Members::Map(map)) => map,
            Some(Members::Text { json, parsed }) => parsed.get_or_init(|| parse_members(json)),
        }
    }
}

impl std::ops::DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Self::Target {
        let members = self.0.get_or_insert_with(Box::default);
        if let Members::Text { json, parsed } = &mut **members {
            let map = parsed.take().unwrap_or_else(|| parse_members(json));
            **members = Members::Map(map);
        }
        match &mut **members {
            Members::Map(map) => map,
            Members::Text { .. } => unreachable!("text members were just replaced by their map"),
        }
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl From<serde_json::Map<String, serde_json::Value>> for Extra {
    fn from(map: serde_json::Map<String, serde_json::Value>) -> Self {
        if map.is_empty() {
            Self(None)
        } else {
            Self(Some(Box::new(Members::Map(map))))
        }
    }
}

impl From<Extra> for serde_json::Map<String, serde_json::Value> {
    fn from(extra: Extra) -> Self {
        match extra.0.map(|members| *members) {
            None => Self::new(),
            Some(Members::Map(map)) => map,
            Some(Members::Text { json, parsed }) => {
                parsed.into_inner().unwrap_or_else(|| parse_members(&json))
            }
        }
    }
}

impl FromIterator<(String, serde_json::Value)> for Extra {
    fn from_iter<I: IntoIterator<Item = (String, serde_json::Value)>>(iter: I) -> Self {
        serde_json::Map::from_iter(iter).into()
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a serde_json::Value);
    type IntoIter = serde_json::map::Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

impl IntoIterator for Extra {
    type Item = (String, serde_json::Value);
    type IntoIter = serde_json::map::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        serde_json::Map::from(self).into_iter()
    }
}

impl Extend<(String, serde_json::Value)> for Extra {
    fn extend<I: IntoIterator<Item = (String, serde_json::Value)>>(&mut self, iter: I) {
        let mut iter = iter.into_iter().peekable();
        if iter.peek().is_some() {
            (**self).extend(iter);
        }
    }
}

impl Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.members().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Map::deserialize(deserializer).map(Self::from)
    }
}

impl JsonSchema for Extra {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Extra".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        serde_json::Map::<String, serde_json::Value>::json_schema(generator)
    }
}

macro_rules! id_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_newtype!(
    /// A category id as the source format numbers it (COCO ids are arbitrary, 0 included).
    CategoryId
);
id_newtype!(
    /// An image id, unique within one [`DatasetMeta`].
    ImageId
);
id_newtype!(
    /// An annotation id, unique within one [`DatasetMeta`] when the format has ids.
    AnnotationId
);

/// A whole dataset version's annotations: categories, images and what describes them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DatasetMeta {
    /// Categories in the order the source lists them; ids need not be contiguous.
    pub categories: Vec<Category>,
    /// Images in the order the source lists them, each owning its annotations.
    pub images: Vec<ImageRecord>,
    /// Typed, ordered attribute schema (ATTR_JSON and attribute importers); empty elsewhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attribute_schema: Vec<AttributeDef>,
    /// Where the annotations came from and the dataset-level fields of that format.
    pub source: SourceInfo,
}

impl DatasetMeta {
    /// Drops the model on a pool thread rather than the caller's: freeing a COCO-train-sized
    /// model (860,000 annotations, two or three allocations each) takes a tenth of a second that
    /// a command about to print its report and exit need not wait for.
    pub fn dispose(self) {
        rayon::spawn(move || drop(self));
    }

    /// Number of annotations over all images.
    #[must_use]
    pub fn annotation_count(&self) -> usize {
        self.images
            .iter()
            .map(|image| image.annotations.len())
            .sum()
    }

    /// The category with this id, if any.
    #[must_use]
    pub fn category(&self, id: CategoryId) -> Option<&Category> {
        self.categories.iter().find(|category| category.id == id)
    }

    /// Category id → name, for lookups in hot loops.
    #[must_use]
    pub fn category_names(&self) -> BTreeMap<CategoryId, &str> {
        self.categories
            .iter()
            .map(|category| (category.id, category.name.as_str()))
            .collect()
    }

    /// Annotations per category id (annotations without a category are not counted).
    #[must_use]
    pub fn class_histogram(&self) -> BTreeMap<CategoryId, u64> {
        let mut histogram: BTreeMap<CategoryId, u64> =
            self.categories.iter().map(|c| (c.id, 0)).collect();
        for annotation in self.images.iter().flat_map(|image| &image.annotations) {
            if let Some(id) = annotation.category_id {
                *histogram.entry(id).or_default() += 1;
            }
        }
        histogram
    }
}

/// The format and dataset-level fields of the source (COCO `info`/`licenses`, YOLO `data.yaml`
/// keys we do not interpret, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The format the annotations were read from, when they were read from files.
    pub format: Option<AnnotationFormat>,
    /// Dataset-level fields kept for a lossless round trip (e.g. COCO `info`, `licenses`).
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// One class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    /// COCO's `supercategory`; `None` when the source has no such field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supercategory: Option<String>,
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

impl Category {
    #[must_use]
    pub fn new(id: i64, name: impl Into<String>) -> Self {
        Self {
            id: CategoryId(id),
            name: name.into(),
            supercategory: None,
            extra: Extra::new(),
        }
    }
}

/// Where an image came from: the source dataset version and its path there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageOrigin {
    /// The source dataset reference (a dataset id or a directory), as the caller names it.
    pub dataset: String,
    /// The image's path relative to the source dataset's image root.
    pub path: String,
}

/// One image and its annotations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageRecord {
    pub id: ImageId,
    /// Path relative to the dataset's image root (`images/`), `/`-separated.
    pub file_name: String,
    /// Width in pixels as displayed (after EXIF orientation), as the annotations see it.
    pub width: u32,
    /// Height in pixels as displayed (after EXIF orientation).
    pub height: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<ImageOrigin>,
    pub annotations: Vec<Annotation>,
    /// Image-level attributes (ATTR_JSON, CelebA, Market-1501…).
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

impl ImageRecord {
    #[must_use]
    pub fn new(id: i64, file_name: impl Into<String>, width: u32, height: u32) -> Self {
        Self {
            id: ImageId(id),
            file_name: file_name.into(),
            width,
            height,
            origin: None,
            annotations: Vec::new(),
            attributes: Attributes::new(),
            extra: Extra::new(),
        }
    }
}

/// What an annotation describes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AnnotationType {
    /// An axis-aligned box (and nothing finer).
    Bbox,
    /// A mask, as polygons or RLE (with its box).
    Segmentation,
    /// An image-level class label (classification).
    Label,
    /// Attributes without geometry of their own.
    Attribute,
}

/// One object or label on an image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// The source's annotation id (COCO); `None` for formats without ids (YOLO, VisDrone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<AnnotationId>,
    pub annotation_type: AnnotationType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<CategoryId>,
    /// `[x, y, w, h]` in absolute pixels, top-left origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segmentation: Option<Segmentation>,
    /// The area the source states (COCO `area`); computed from the geometry when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<f64>,
    /// COCO `iscrowd`: a crowd region, ignored in evaluation, normally stored as RLE.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub iscrowd: bool,
    /// Free-text label (classification folders, captions-like sources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// Format-specific fields (e.g. COCO `score`, VisDrone `score`), kept for round trips.
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

impl Annotation {
    /// A plain box annotation of a category.
    #[must_use]
    pub fn bbox(category_id: CategoryId, bbox: BBox) -> Self {
        Self {
            id: None,
            annotation_type: AnnotationType::Bbox,
            category_id: Some(category_id),
            bbox: Some(bbox),
            segmentation: None,
            area: None,
            iscrowd: false,
            label: None,
            attributes: Attributes::new(),
            extra: Extra::new(),
        }
    }

    /// A mask annotation; its box is derived from the mask.
    #[must_use]
    pub fn segmentation(category_id: CategoryId, segmentation: Segmentation) -> Self {
        let bbox = segmentation.bbox();
        Self {
            annotation_type: AnnotationType::Segmentation,
            bbox,
            segmentation: Some(segmentation),
            ..Self::bbox(category_id, BBox::default())
        }
    }

    /// The stated area, else the mask area, else the box area.
    #[must_use]
    pub fn effective_area(&self) -> f64 {
        if let Some(area) = self.area {
            return area;
        }
        if let Some(segmentation) = &self.segmentation
            && let Some(area) = segmentation.area()
        {
            return area;
        }
        self.bbox.map_or(0.0, |b| b.area())
    }
}

/// Attribute name → value, ordered by name for stable output.
pub type Attributes = BTreeMap<String, AttributeValue>;

/// One attribute value. `Unknown` (JSON `null`) means "not labelled", which is not the same as
/// `Bool(false)` ("labelled: no").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AttributeValue {
    Bool(bool),
    Number(f64),
    /// Free text, or the name of one of an enum attribute's values.
    Text(String),
    /// Not labelled (`null`).
    #[default]
    Unknown,
}

impl AttributeValue {
    #[must_use]
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown)
    }
}

/// One attribute in a dataset's schema. The schema is ordered: the order is the column order of
/// exports and of the GUI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AttributeDef {
    /// Unique name, e.g. `hat` or `upper_color_black`.
    pub name: String,
    /// The value type.
    #[serde(flatten)]
    pub kind: AttributeKind,
    /// Whether the attribute labels whole images, single annotations, or either.
    #[serde(default)]
    pub applies_to: AttributeScope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How the source encoded the values (e.g. `"-1/1"` for CelebA, `"1/2"` for Market-1501), so
    /// that an export back to that encoding is lossless.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_encoding: Option<String>,
}

/// The type of an attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AttributeKind {
    /// `true` / `false` (`null` = unknown).
    Bool,
    /// One of a fixed list of named values, in order.
    Enum { values: Vec<String> },
    /// A number, optionally bounded and optionally whole.
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minimum: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maximum: Option<f64>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        integer: bool,
    },
    /// Free text.
    Text,
}

/// What an attribute labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttributeScope {
    Image,
    Annotation,
    #[default]
    Both,
}

#[cfg(test)]
mod extra_tests {
    use super::*;

    fn parsed(extra: &Extra) -> bool {
        match extra.0.as_deref() {
            Some(Members::Text { parsed, .. }) => parsed.get().is_some(),
            _ => true,
        }
    }

    #[test]
    fn object_text_reads_like_its_map_and_is_parsed_only_when_looked_at() {
        let text = r#"{"license":1,"url":"http://x/\u00e9.jpg","deep":{"a":[1,null]}}"#;
        let expected: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(text).unwrap();
        let extra = Extra::from_json_object(text.to_owned());
        assert!(!extra.is_empty());

        // Writing it out leaves it as text.
        assert_eq!(*extra.members(), expected);
        assert_eq!(
            serde_json::to_string(&extra).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
        assert!(!parsed(&extra));

        // Looking at it through the map keeps the map; changing it changes the map.
        assert_eq!(extra["license"], 1);
        assert!(parsed(&extra));
        let mut changed = extra.clone();
        changed.insert("license".to_owned(), serde_json::Value::from(2));
        assert_eq!(changed["license"], 2);
        assert_eq!(extra["license"], 1);
        assert_eq!(serde_json::Map::from(changed).len(), 3);
        assert_eq!(serde_json::Map::from(extra), expected);

        for empty in ["{}", " { \n } "] {
            assert!(Extra::from_json_object(empty.to_owned()).is_empty());
        }
    }
}
