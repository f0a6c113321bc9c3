//! The EDA report: the typed, versioned shape stored in `datasets.metadata` and read by the API
//! and the GUI. Its JSON Schema is `proto-schemas/eda_report.schema.json` ([`json_schema`]).
//!
//! Conventions: counts are exact; lists that could grow with the dataset are cut to a limit
//! named in [`EdaLimits`] and say how many there were (`total`, `other`, `truncated`); a section
//! that needs the image files is `null` when they were not inspected; classes are named by their
//! category id as the dataset numbers them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::format::AnnotationFormat;
use crate::model::AnnotationType;

/// The version of the report's shape; bumped on any change a reader must know about.
pub const EDA_REPORT_VERSION: u32 = 1;

/// Statistics and health checks of one dataset version.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "EDA report")]
pub struct EdaReport {
    /// `EDA_REPORT_VERSION` of the code that wrote the report (this shape: 1).
    pub schema_version: u32,
    /// The annotation format the dataset was read as.
    pub format: AnnotationFormat,
    /// The caps applied to the lists below.
    pub limits: EdaLimits,
    pub summary: EdaSummary,
    /// Every declared category in the dataset's order, then categories used by annotations but
    /// not declared (`declared: false`), by id.
    pub classes: Vec<ClassStats>,
    /// Objects (annotations with geometry) per image.
    pub boxes_per_image: CountHistogram,
    /// Width × height scatter of the boxes, downsampled.
    pub box_sizes: BoxSizes,
    /// COCO's small / medium / large object areas.
    pub size_buckets: SizeBuckets,
    /// Where box centres fall, on a grid over the normalised image.
    pub centre_heatmap: CentreHeatmap,
    /// Images containing two classes.
    pub cooccurrence: Cooccurrence,
    /// Image sizes: from the headers when the images were inspected, else from the annotations.
    pub resolutions: Resolutions,
    pub health: Health,
    /// Per-attribute value balance (ATTR_JSON, and attributes of any format); empty without
    /// attributes.
    pub attributes: Vec<AttributeStats>,
    /// Intensity statistics of the images with more than 8 bits per sample (thermal IR);
    /// `null` when there are none or the images were not inspected.
    pub thermal: Option<Thermal>,
    /// Thumbnails written by the gallery step; empty until then.
    pub gallery: Vec<GalleryItem>,
}

/// The caps applied while computing a report, so that a reader knows what "top" means.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EdaLimits {
    /// Points of the box-size scatter at most.
    pub max_points: u32,
    /// Examples listed per health check (and duplicate groups listed) at most.
    pub examples: u32,
    /// Distinct resolutions listed at most (the rest are counted in `other`).
    pub top_resolutions: u32,
    /// Classes in the co-occurrence matrix at most (those on the most images).
    pub cooccurrence_classes: u32,
    /// Cells per side of the centre heatmap.
    pub heatmap_grid: u32,
    /// Values listed per attribute at most (the rest are counted in `other`).
    pub attribute_values: u32,
    /// 16-bit images decoded for the thermal histogram at most.
    pub thermal_images: u32,
    /// How far (pixels) a box may reach past the image before it counts as out of bounds;
    /// `out_of_bounds_tolerance_normalised` for boxes on images of unknown size.
    pub out_of_bounds_tolerance_px: f64,
    pub out_of_bounds_tolerance_normalised: f64,
}

impl Default for EdaLimits {
    fn default() -> Self {
        Self {
            max_points: 5_000,
            examples: 20,
            top_resolutions: 20,
            cooccurrence_classes: 100,
            heatmap_grid: 16,
            attribute_values: 50,
            thermal_images: 200,
            out_of_bounds_tolerance_px: 1.0,
            out_of_bounds_tolerance_normalised: 0.001,
        }
    }
}

/// The headline numbers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EdaSummary {
    pub images: u64,
    /// Annotations of every type.
    pub annotations: u64,
    /// Annotations with geometry (a box, or a mask and its box): what the box statistics count.
    pub objects: u64,
    /// Declared categories.
    pub classes: u64,
    /// Classes (declared or not) with at least one annotation.
    pub classes_used: u64,
    pub images_without_annotations: u64,
    /// Annotations with `iscrowd`.
    pub crowd_annotations: u64,
    /// Annotations per type (`BBOX`, `SEGMENTATION`, `LABEL`, `ATTRIBUTE`).
    pub annotation_types: BTreeMap<AnnotationType, u64>,
    /// Whether the image files were looked at (headers, duplicates, thermal); the sections that
    /// need them are `null` otherwise.
    pub images_inspected: bool,
    /// The sum of the health checks' counts (duplicate images count once per group).
    pub health_issues: u64,
    /// What the format's reader reported while reading.
    pub reader: ReaderProblems,
}

/// Problems the reader reported (they are the validator's business; counted here so that the
/// EDA page can point to them).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaReaderProblems))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReaderProblems {
    pub errors: u64,
    pub warnings: u64,
    /// Problems per stable code (`unknown_category`, `orphan_label`, …), all severities.
    pub by_code: BTreeMap<String, u64>,
}

/// One class.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaClassStats))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ClassStats {
    /// The category id as the dataset numbers it (YOLO: the class index).
    pub id: i64,
    /// The category name; empty for a class that annotations use but no category declares.
    pub name: String,
    /// Whether the dataset declares the category.
    pub declared: bool,
    /// Images with at least one annotation of the class.
    pub images: u64,
    /// Annotations of the class (every type: a class folder's labels count here).
    pub instances: u64,
    /// The class's objects by COCO area bucket.
    pub sizes: BucketCounts,
}

/// Objects per COCO area bucket.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaBucketCounts))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BucketCounts {
    /// Area < 32².
    pub small: u64,
    /// 32² ≤ area < 96².
    pub medium: u64,
    /// Area ≥ 96².
    pub large: u64,
    /// No area in pixels: a box on an image of unknown size, or a degenerate box without a
    /// stated area.
    pub unknown: u64,
}

/// A histogram of whole numbers with explicit, inclusive bins and an open last bin.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaCountHistogram))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CountHistogram {
    /// Consecutive bins covering `0..=overflow_min - 1`.
    pub bins: Vec<CountBin>,
    /// Values at or above this are counted in `overflow`.
    pub overflow_min: u64,
    pub overflow: u64,
    /// What was counted (images).
    pub total: u64,
    pub mean: f64,
    /// The lower median.
    pub median: u64,
    pub max: u64,
}

/// One bin: values `min..=max`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaCountBin))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CountBin {
    pub min: u64,
    pub max: u64,
    pub count: u64,
}

/// The box-size scatter: a deterministic sample of at most `limits.max_points` boxes (those
/// whose hash of image file name and annotation index is smallest, so the same dataset gives the
/// same points whatever the order of its images or the number of threads).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaBoxSizes))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BoxSizes {
    /// Boxes with a positive, finite size: the population sampled.
    pub total: u64,
    /// Points in `points` (`min(total, max_points)`).
    pub sampled: u64,
    /// Boxes of the population whose size in pixels is known.
    pub with_pixels: u64,
    /// Boxes of the population whose normalised size is known (the image size is known, or the
    /// format stores normalised boxes).
    pub with_normalised: u64,
    pub points: BoxPoints,
}

/// The scatter's points, column by column (index `i` of every column is one box). A value is
/// `null` where it is unknown: pixels on an image whose size could not be read (YOLO stores
/// normalised boxes), normalised values on an image whose size is 0.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaBoxPoints))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BoxPoints {
    /// Box width in pixels (2 decimals).
    pub width: Vec<Option<f64>>,
    pub height: Vec<Option<f64>>,
    /// Box width ÷ image width (6 decimals).
    pub norm_width: Vec<Option<f64>>,
    pub norm_height: Vec<Option<f64>>,
    /// The box's category id (`null`: none).
    pub class_id: Vec<Option<i64>>,
}

/// COCO's area buckets over every object.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaSizeBuckets))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SizeBuckets {
    /// Area < 32².
    pub small: u64,
    /// 32² ≤ area < 96².
    pub medium: u64,
    /// Area ≥ 96².
    pub large: u64,
    /// No area in pixels: a box on an image of unknown size, or a degenerate box without a
    /// stated area.
    pub unknown: u64,
    /// Objects bucketed by the area the annotation states (COCO/ATTR_JSON `area`: the mask's
    /// area, as COCO's evaluation does).
    pub area_from_annotation: u64,
    /// Objects bucketed by their box's area (formats without `area`, e.g. YOLO).
    pub area_from_box: u64,
}

/// Box centres on a `grid × grid` raster of the normalised image.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaCentreHeatmap))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CentreHeatmap {
    pub grid: u32,
    /// Row-major, row 0 at the top, column 0 at the left: `counts[row * grid + column]`.
    /// A centre at exactly 1.0 falls in the last row or column.
    pub counts: Vec<u64>,
    /// Centres counted in the grid.
    pub total: u64,
    /// Centres outside `[0, 1]²` (boxes hanging off the image), not in the grid.
    pub outside: u64,
    /// Boxes without a normalised centre (image size unknown), not in the grid.
    pub unknown: u64,
}

/// Images containing two classes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaCooccurrence))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Cooccurrence {
    /// The classes of the matrix, by images (most first, then id).
    pub class_ids: Vec<i64>,
    /// `matrix[i][j]`: images with at least one annotation of class `class_ids[i]` and one of
    /// `class_ids[j]`; the diagonal is the images containing the class.
    pub matrix: Vec<Vec<u64>>,
    /// Classes with at least one image.
    pub classes_total: u64,
    /// Whether classes were left out (more than `limits.cooccurrence_classes`).
    pub truncated: bool,
}

/// Where the image sizes came from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaResolutionSource))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionSource {
    /// The image files' headers (displayed size: after EXIF orientation).
    Headers,
    /// The sizes the annotations state (the images were not inspected).
    Annotations,
}

/// Image sizes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaResolutions))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Resolutions {
    pub source: ResolutionSource,
    /// Images with a known size.
    pub images: u64,
    /// Images without one (missing or unreadable files, or a size of 0 in the annotations).
    pub unknown: u64,
    /// Distinct width × height pairs.
    pub distinct: u64,
    /// The most frequent sizes (most images first, then larger first).
    pub top: Vec<ResolutionCount>,
    /// Images whose size is not in `top`.
    pub other: u64,
    pub width: ValueStats,
    pub height: ValueStats,
    /// Images by megapixels (width × height / 10⁶).
    pub megapixels: Histogram,
    /// Images per container format from the headers (`JPEG`, `PNG`, …); empty without headers.
    pub formats: BTreeMap<String, u64>,
    /// Bytes of the image files read; 0 without headers.
    pub file_bytes: u64,
}

/// How many images have one size.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaResolutionCount))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ResolutionCount {
    pub width: u32,
    pub height: u32,
    pub images: u64,
}

/// Smallest, lower median, mean and largest of a set of values (all 0 for an empty set).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaValueStats))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ValueStats {
    pub min: f64,
    pub median: f64,
    pub mean: f64,
    pub max: f64,
}

/// A histogram over real values: `counts[i]` counts `edges[i] ≤ v < edges[i + 1]`; values at or
/// above the last edge are in `overflow`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaHistogram))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
    pub overflow: u64,
}

/// The health checks. A check that needs the image files is `null` when they were not
/// inspected.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaHealth))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Health {
    /// Images without any annotation (negatives, or forgotten ones).
    pub images_without_annotations: HealthCheck,
    /// Images the annotations list that are not on disk (YOLO: label files without an image).
    pub missing_files: Option<HealthCheck>,
    /// Boxes whose width or height is ≤ 0 or not a finite number (one per annotation).
    pub degenerate_boxes: HealthCheck,
    /// Boxes reaching past the image by more than the tolerance in `limits` (one per
    /// annotation).
    pub out_of_bounds_boxes: HealthCheck,
    /// Groups of byte-identical image files.
    pub duplicate_images: Option<DuplicateCheck>,
    /// Images whose EXIF orientation is not 1: viewers (and Ultralytics) turn them, so their
    /// pixels are not stored the way they are shown.
    pub exif_rotated: Option<ExifCheck>,
    /// Files whose header cannot be read, or that are cut short or corrupt.
    pub unreadable_images: Option<HealthCheck>,
    /// Images whose displayed size differs from the size the annotations state (COCO,
    /// ATTR_JSON: other formats take the size from the header).
    pub size_mismatches: Option<HealthCheck>,
}

/// One health check.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaHealthCheck))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HealthCheck {
    /// How many images (or annotations, for the box checks) fail it.
    pub count: u64,
    /// The first of them by file name (then annotation index), at most `limits.examples`.
    pub examples: Vec<HealthExample>,
}

/// One failing image or annotation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaHealthExample))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HealthExample {
    /// `null` for a file that is no image of the dataset (a YOLO label without an image).
    pub image_id: Option<i64>,
    /// Relative to the image root (a label file: relative to the dataset directory).
    pub file_name: String,
    /// The annotation's position in its image's list, for the box checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_index: Option<u32>,
    /// The annotation's id, where the format has ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_id: Option<i64>,
    /// What is wrong, in words.
    pub detail: String,
}

/// Byte-identical image files.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaDuplicateCheck))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DuplicateCheck {
    /// Groups of identical files.
    pub count: u64,
    /// Files in those groups (a group of 3 is 3 files, 2 of them redundant).
    pub images: u64,
    /// The groups, by their first file name, at most `limits.examples`.
    pub groups: Vec<DuplicateGroup>,
}

/// Files with the same content.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaDuplicateGroup))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DuplicateGroup {
    /// XXH3-128 of the content, 32 hex digits.
    pub hash: String,
    /// File size in bytes.
    pub bytes: u64,
    /// Files in the group.
    pub count: u64,
    /// Their names, sorted, at most `limits.examples`.
    pub file_names: Vec<String>,
}

/// Images with an EXIF orientation other than 1.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaExifCheck))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExifCheck {
    pub count: u64,
    /// Images per orientation value (`"2"` … `"8"`; 5–8 swap width and height).
    pub by_orientation: BTreeMap<String, u64>,
    pub examples: Vec<HealthExample>,
}

/// Value balance of one attribute.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaAttributeStats))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AttributeStats {
    pub name: String,
    /// The schema's type (`bool`, `enum`, `number`, `text`), or `undeclared` for an attribute
    /// that records carry but the schema does not name.
    pub kind: String,
    /// Over all images; `null` when the attribute does not apply to images.
    pub images: Option<ValueCounts>,
    /// Over all annotations; `null` when it does not apply to annotations.
    pub annotations: Option<ValueCounts>,
}

/// How often each value occurs.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaValueCounts))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ValueCounts {
    /// Records with a value.
    pub labelled: u64,
    /// Records without one (absent or `null`: not labelled, which is not `false`).
    pub missing: u64,
    /// Distinct values seen.
    pub distinct: u64,
    /// Values with their counts: an enum's values in schema order and a bool's `true`, `false`
    /// (zeros included), numbers ascending, text by count; at most `limits.attribute_values`.
    pub values: Vec<ValueCount>,
    /// Records whose value is not listed in `values`.
    pub other: u64,
}

/// One value and how many records have it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaValueCount))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ValueCount {
    /// A JSON boolean, number or string.
    #[cfg_attr(feature = "openapi", schema(schema_with = scalar_value_schema))]
    pub value: Value,
    pub count: u64,
}

/// `boolean | number | string`: an attribute value as the OpenAPI document describes it (a
/// schema with no type would not be a valid OpenAPI schema object for strict readers).
#[cfg(feature = "openapi")]
fn scalar_value_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Boolean))
        .item(ObjectBuilder::new().schema_type(Type::Number))
        .item(ObjectBuilder::new().schema_type(Type::String))
        .description(Some("A JSON boolean, number or string."))
        .build()
        .into()
}

/// Intensities of the images with more than 8 bits per sample.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaThermal))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Thermal {
    /// Images whose header says more than 8 bits per sample.
    pub images: u64,
    /// Of those, the images decoded for the statistics: at most `limits.thermal_images`,
    /// chosen by the hash of their file name.
    pub sampled: u64,
    /// Sampled images that could not be decoded (also in `health.unreadable_images`).
    pub failed: u64,
    /// Bits per sample of the container (16).
    pub bit_depth: u8,
    /// Bits needed for the largest value seen (a 14-bit sensor in a 16-bit PNG: 14).
    pub effective_bits: u8,
    /// Samples counted (pixels, times 3 for colour images).
    pub samples: u64,
    pub min: u32,
    pub max: u32,
    pub p1: u32,
    pub p50: u32,
    pub p99: u32,
    pub mean: f64,
    /// `counts[i]` counts values `start + i·bin_width ..= start + (i + 1)·bin_width − 1`; at
    /// most 256 bins from `min` to `max`.
    pub histogram: IntensityHistogram,
}

/// Equal-width integer bins.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaIntensityHistogram))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IntensityHistogram {
    pub start: u32,
    pub bin_width: u32,
    pub counts: Vec<u64>,
}

/// One thumbnail of the gallery.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EdaGalleryItem))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GalleryItem {
    pub image_id: i64,
    /// Relative to the image root.
    pub file_name: String,
    /// The class the image was picked for (`null`: an image without annotations).
    pub class_id: Option<i64>,
    /// The thumbnail's path inside the storage (`eda/{dataset_id}/gallery/0003_42.jpg`), served
    /// read-only under `/static/`.
    pub thumbnail: String,
    pub width: u32,
    pub height: u32,
    /// The image's displayed size.
    pub original_width: u32,
    pub original_height: u32,
}

/// The JSON Schema of [`EdaReport`], as checked in at `proto-schemas/eda_report.schema.json`.
#[must_use]
pub fn json_schema() -> Value {
    let mut generated = match schemars::schema_for!(EdaReport).to_value() {
        Value::Object(map) => map,
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
