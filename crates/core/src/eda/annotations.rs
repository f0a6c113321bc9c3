//! Statistics from the annotations alone: one parallel pass over the images (classes, boxes per
//! image, the size scatter, area buckets, the centre heatmap, box checks, attributes), then one
//! for the co-occurrence of the most frequent classes.
//!
//! Every accumulator is a sum, a mergeable bottom-k or a mergeable example list, so the result
//! does not depend on how rayon splits the images.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde_json::Value;

use super::report::{
    AttributeStats, BoxPoints, BoxSizes, BucketCounts, CentreHeatmap, ClassStats, Cooccurrence,
    CountBin, CountHistogram, EdaLimits, HealthCheck, HealthExample, SizeBuckets, ValueCount,
    ValueCounts,
};
use super::select::{BottomK, Examples, mix64};
use crate::geometry::BBox;
use crate::model::{
    Annotation, AnnotationType, AttributeKind, AttributeScope, AttributeValue, Attributes,
    CategoryId, DatasetMeta, ImageRecord,
};

/// What [`compute`] finds.
#[derive(Debug)]
pub(super) struct AnnotationStats {
    pub(super) classes: Vec<ClassStats>,
    pub(super) objects: u64,
    pub(super) crowd: u64,
    pub(super) annotation_types: BTreeMap<AnnotationType, u64>,
    pub(super) boxes_per_image: CountHistogram,
    pub(super) box_sizes: BoxSizes,
    pub(super) size_buckets: SizeBuckets,
    pub(super) centre_heatmap: CentreHeatmap,
    pub(super) cooccurrence: Cooccurrence,
    pub(super) images_without_annotations: HealthCheck,
    pub(super) degenerate_boxes: HealthCheck,
    pub(super) out_of_bounds_boxes: HealthCheck,
    pub(super) attributes: Vec<crate::eda::report::AttributeStats>,
}

/// Boxes-per-image bins: every count up to 10, then wider bins; 101 and more overflow.
const BOX_BINS: [(u64, u64); 16] = [
    (0, 0),
    (1, 1),
    (2, 2),
    (3, 3),
    (4, 4),
    (5, 5),
    (6, 6),
    (7, 7),
    (8, 8),
    (9, 9),
    (10, 10),
    (11, 15),
    (16, 20),
    (21, 30),
    (31, 50),
    (51, 100),
];

/// COCO's bucket limits: small below 32², large from 96².
const SMALL_AREA: f64 = 32.0 * 32.0;
const LARGE_AREA: f64 = 96.0 * 96.0;

/// Images per rayon task at least (keeps the number of accumulators, each holding a few
/// thousand sample points, small).
const MIN_IMAGES_PER_TASK: usize = 512;

pub(super) fn compute(meta: &DatasetMeta, limits: &EdaLimits) -> AnnotationStats {
    let classes = ClassIndex::new(meta);
    let attributes = AttributeIndex::new(meta);
    let acc = meta
        .images
        .par_iter()
        .with_min_len(MIN_IMAGES_PER_TASK)
        .fold(
            || Acc::new(&classes, &attributes, limits),
            |mut acc, image| {
                acc.image(image, &classes, &attributes, limits);
                acc
            },
        )
        .reduce_with(Acc::merge)
        .unwrap_or_else(|| Acc::new(&classes, &attributes, limits));
    let cooccurrence = cooccurrence(meta, &classes, &acc.class_images, limits);
    acc.finish(meta, &classes, &attributes, limits, cooccurrence)
}

// ---------------------------------------------------------------------------------------------
// Classes

/// Category id → dense index: declared categories first (in the dataset's order, a repeated id
/// once), then ids that annotations use without a declaration, ascending.
#[derive(Debug)]
struct ClassIndex {
    ids: Vec<i64>,
    /// `names[i]`: `Some` for a declared class.
    names: Vec<Option<String>>,
    lookup: Lookup,
}

#[derive(Debug)]
enum Lookup {
    /// Ids in `min..min + slots.len()`: a direct table (`u32::MAX`: no class).
    Table {
        min: i64,
        slots: Vec<u32>,
    },
    Map(HashMap<i64, u32>),
}

/// Ids spanning at most this range get a direct table.
const MAX_TABLE: i64 = 1 << 20;

impl ClassIndex {
    fn new(meta: &DatasetMeta) -> Self {
        let mut ids = Vec::new();
        let mut names = Vec::new();
        let mut seen = BTreeSet::new();
        for category in &meta.categories {
            if seen.insert(category.id.0) {
                ids.push(category.id.0);
                names.push(Some(category.name.clone()));
            }
        }
        let undeclared: BTreeSet<i64> = meta
            .images
            .par_iter()
            .fold(BTreeSet::new, |mut found, image| {
                for annotation in &image.annotations {
                    if let Some(CategoryId(id)) = annotation.category_id
                        && !seen.contains(&id)
                    {
                        found.insert(id);
                    }
                }
                found
            })
            .reduce(BTreeSet::new, |mut a, b| {
                a.extend(b);
                a
            });
        for id in undeclared {
            ids.push(id);
            names.push(None);
        }
        let lookup = match (ids.iter().min(), ids.iter().max()) {
            (Some(&min), Some(&max)) if max.saturating_sub(min) < MAX_TABLE => {
                let mut slots = vec![u32::MAX; (max - min + 1) as usize];
                for (index, id) in ids.iter().enumerate() {
                    slots[(id - min) as usize] = index as u32;
                }
                Lookup::Table { min, slots }
            }
            _ => Lookup::Map(
                ids.iter()
                    .enumerate()
                    .map(|(index, id)| (*id, index as u32))
                    .collect(),
            ),
        };
        Self { ids, names, lookup }
    }

    fn len(&self) -> usize {
        self.ids.len()
    }

    fn slot(&self, id: CategoryId) -> Option<usize> {
        match &self.lookup {
            Lookup::Table { min, slots } => {
                let offset = usize::try_from(id.0.checked_sub(*min)?).ok()?;
                slots
                    .get(offset)
                    .filter(|slot| **slot != u32::MAX)
                    .map(|slot| *slot as usize)
            }
            Lookup::Map(map) => map.get(&id.0).map(|slot| *slot as usize),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Geometry

/// An annotation's box, in pixels and/or normalised to the image (`[x, y, w, h]` in 0..1).
#[derive(Debug, Clone, Copy)]
struct Geometry {
    pixels: Option<BBox>,
    normalised: Option<BBox>,
}

impl Geometry {
    fn of(image: &ImageRecord, annotation: &Annotation) -> Option<Self> {
        let sized = image.width > 0 && image.height > 0;
        // YOLO rows on an image whose size is unknown keep their normalised values here.
        if !sized && let Some(Value::Array(values)) = annotation.extra.get("yolo") {
            let values: Vec<f64> = values.iter().filter_map(Value::as_f64).collect();
            return yolo_box(&values).map(|normalised| Self {
                pixels: None,
                normalised: Some(normalised),
            });
        }
        let pixels = annotation.bbox?;
        let normalised = sized.then(|| {
            let (w, h) = (f64::from(image.width), f64::from(image.height));
            BBox::new(pixels.x / w, pixels.y / h, pixels.w / w, pixels.h / h)
        });
        Some(Self {
            pixels: Some(pixels),
            normalised,
        })
    }

    fn is_degenerate(&self) -> bool {
        self.pixels
            .or(self.normalised)
            .is_none_or(|b| b.is_degenerate())
    }
}

/// A YOLO row's box: `cx cy w h`, or the bounds of a polygon `x1 y1 … xn yn`.
fn yolo_box(values: &[f64]) -> Option<BBox> {
    match values {
        [cx, cy, w, h] => Some(BBox::new(cx - w / 2.0, cy - h / 2.0, *w, *h)),
        points if points.len() >= 6 && points.len() % 2 == 0 => {
            let (mut x1, mut y1, mut x2, mut y2) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for point in points.chunks_exact(2) {
                x1 = x1.min(point[0]);
                x2 = x2.max(point[0]);
                y1 = y1.min(point[1]);
                y2 = y2.max(point[1]);
            }
            Some(BBox::from_corners(x1, y1, x2, y2))
        }
        _ => None,
    }
}

/// How far the box reaches past `[0, width] × [0, height]` (0 when inside).
fn overhang(b: &BBox, width: f64, height: f64) -> f64 {
    [-b.x, -b.y, b.x2() - width, b.y2() - height]
        .into_iter()
        .fold(0.0, f64::max)
}

pub(super) fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor
}

fn format_box(b: &BBox) -> String {
    format!(
        "[{}, {}, {}, {}]",
        round(b.x, 2),
        round(b.y, 2),
        round(b.w, 2),
        round(b.h, 2)
    )
}

fn bucket(area: f64) -> usize {
    if area < SMALL_AREA {
        0
    } else if area < LARGE_AREA {
        1
    } else {
        2
    }
}

/// One point of the scatter, ordered by its sampling key (then by its values, so that the order
/// is total even if two keys collide).
#[derive(Debug, Clone, Copy)]
struct Point {
    key: (u64, u64, u32),
    width: Option<f64>,
    height: Option<f64>,
    norm_width: Option<f64>,
    norm_height: Option<f64>,
    class_id: Option<i64>,
}

impl Point {
    fn bits(&self) -> [u64; 5] {
        let bits = |v: Option<f64>| v.map_or(u64::MAX, f64::to_bits);
        [
            bits(self.width),
            bits(self.height),
            bits(self.norm_width),
            bits(self.norm_height),
            self.class_id.map_or(u64::MAX, |id| id as u64),
        ]
    }
}

impl PartialEq for Point {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Point {}

impl PartialOrd for Point {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Point {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .cmp(&other.key)
            .then_with(|| self.bits().cmp(&other.bits()))
    }
}

/// The sampling key of annotation `index` of the image whose file name hashes to `name`.
fn point_key(name: u128, index: usize) -> (u64, u64, u32) {
    let (high, low) = ((name >> 64) as u64, name as u64);
    (
        mix64(high ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
        low,
        index as u32,
    )
}

// ---------------------------------------------------------------------------------------------
// Attributes

/// Attribute name → index: the schema's attributes in order, then undeclared names ascending.
#[derive(Debug)]
struct AttributeIndex<'a> {
    names: Vec<&'a str>,
    /// The schema's type and scope, `None` for undeclared attributes.
    defs: Vec<Option<(&'a AttributeKind, AttributeScope)>>,
    /// Whether any image / annotation carries the attribute (for undeclared ones).
    on_images: Vec<bool>,
    on_annotations: Vec<bool>,
    lookup: HashMap<&'a str, usize>,
}

impl<'a> AttributeIndex<'a> {
    fn new(meta: &'a DatasetMeta) -> Self {
        let (on_images, on_annotations) = meta
            .images
            .par_iter()
            .fold(
                || (BTreeSet::new(), BTreeSet::new()),
                |(mut images, mut annotations), image| {
                    images.extend(image.attributes.keys().map(String::as_str));
                    for annotation in &image.annotations {
                        annotations.extend(annotation.attributes.keys().map(String::as_str));
                    }
                    (images, annotations)
                },
            )
            .reduce(
                || (BTreeSet::new(), BTreeSet::new()),
                |(mut a, mut b), (c, d)| {
                    a.extend(c);
                    b.extend(d);
                    (a, b)
                },
            );
        let mut index = Self {
            names: Vec::new(),
            defs: Vec::new(),
            on_images: Vec::new(),
            on_annotations: Vec::new(),
            lookup: HashMap::new(),
        };
        for def in &meta.attribute_schema {
            if index.lookup.contains_key(def.name.as_str()) {
                continue;
            }
            index.add(def.name.as_str(), Some((&def.kind, def.applies_to)));
        }
        let undeclared: BTreeSet<&str> = on_images.union(&on_annotations).copied().collect();
        for name in undeclared {
            if !index.lookup.contains_key(name) {
                index.add(name, None);
            }
        }
        for (slot, name) in index.names.iter().enumerate() {
            index.on_images[slot] = on_images.contains(name);
            index.on_annotations[slot] = on_annotations.contains(name);
        }
        index
    }

    fn add(&mut self, name: &'a str, def: Option<(&'a AttributeKind, AttributeScope)>) {
        self.lookup.insert(name, self.names.len());
        self.names.push(name);
        self.defs.push(def);
        self.on_images.push(false);
        self.on_annotations.push(false);
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether attribute `slot` is counted over images / over annotations.
    fn scopes(&self, slot: usize) -> (bool, bool) {
        match self.defs[slot] {
            Some((_, AttributeScope::Image)) => (true, false),
            Some((_, AttributeScope::Annotation)) => (false, true),
            Some((_, AttributeScope::Both)) => (true, true),
            None => (self.on_images[slot], self.on_annotations[slot]),
        }
    }
}

/// A value as a hashable key borrowed from the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ValueKey<'a> {
    Bool(bool),
    /// The bits of the number (`-0` as `0`).
    Number(u64),
    Text(&'a str),
}

impl<'a> ValueKey<'a> {
    fn of(value: &'a AttributeValue) -> Option<Self> {
        match value {
            AttributeValue::Bool(b) => Some(Self::Bool(*b)),
            AttributeValue::Number(n) => Some(Self::Number((n + 0.0).to_bits())),
            AttributeValue::Text(t) => Some(Self::Text(t)),
            AttributeValue::Unknown => None,
        }
    }

    fn to_json(self) -> Value {
        match self {
            Self::Bool(b) => Value::Bool(b),
            Self::Number(bits) => serde_json::Number::from_f64(f64::from_bits(bits))
                .map_or(Value::Null, Value::Number),
            Self::Text(t) => Value::String(t.to_owned()),
        }
    }
}

/// Counts of one attribute over one population.
#[derive(Debug, Clone, Default)]
struct Tally<'a> {
    labelled: u64,
    values: HashMap<ValueKey<'a>, u64>,
}

impl Tally<'_> {
    fn merge(&mut self, other: Self) {
        self.labelled += other.labelled;
        for (key, count) in other.values {
            *self.values.entry(key).or_default() += count;
        }
    }
}

fn tally_attributes<'a>(
    attributes: &'a Attributes,
    index: &AttributeIndex<'a>,
    tallies: &mut [Tally<'a>],
) {
    for (name, value) in attributes {
        if let (Some(&slot), Some(key)) = (index.lookup.get(name.as_str()), ValueKey::of(value)) {
            let tally = &mut tallies[slot];
            tally.labelled += 1;
            *tally.values.entry(key).or_default() += 1;
        }
    }
}

fn value_counts<'a>(
    tally: Tally<'a>,
    population: u64,
    kind: Option<&'a AttributeKind>,
    limit: usize,
) -> ValueCounts {
    let distinct = tally.values.len() as u64;
    let mut rest: Vec<(ValueKey<'a>, u64)> = tally.values.into_iter().collect();
    let mut take = |key: ValueKey<'a>| {
        let count = rest
            .iter()
            .position(|(k, _)| *k == key)
            .map_or(0, |at| rest.swap_remove(at).1);
        (key, count)
    };
    // Declared values first, in their order, zeros included; then whatever else was seen.
    let mut listed: Vec<(ValueKey<'a>, u64)> = match kind {
        Some(AttributeKind::Bool) => vec![take(ValueKey::Bool(true)), take(ValueKey::Bool(false))],
        Some(AttributeKind::Enum { values }) => values
            .iter()
            .map(|name| take(ValueKey::Text(name)))
            .collect(),
        _ => Vec::new(),
    };
    if matches!(kind, Some(AttributeKind::Number { .. })) {
        rest.sort_by(|a, b| order(&a.0, &b.0));
    } else {
        rest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| order(&a.0, &b.0)));
    }
    listed.extend(rest);
    let other = listed.iter().skip(limit).map(|(_, count)| count).sum();
    listed.truncate(limit);
    ValueCounts {
        labelled: tally.labelled,
        missing: population.saturating_sub(tally.labelled),
        distinct,
        values: listed
            .into_iter()
            .map(|(key, count)| ValueCount {
                value: key.to_json(),
                count,
            })
            .collect(),
        other,
    }
}

/// A total order over values: booleans, then numbers ascending, then text by bytes.
fn order(a: &ValueKey<'_>, b: &ValueKey<'_>) -> Ordering {
    let rank = |key: &ValueKey<'_>| match key {
        ValueKey::Bool(_) => 0,
        ValueKey::Number(_) => 1,
        ValueKey::Text(_) => 2,
    };
    match (a, b) {
        (ValueKey::Bool(x), ValueKey::Bool(y)) => y.cmp(x),
        (ValueKey::Number(x), ValueKey::Number(y)) => {
            f64::from_bits(*x).total_cmp(&f64::from_bits(*y))
        }
        (ValueKey::Text(x), ValueKey::Text(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

// ---------------------------------------------------------------------------------------------
// The pass

#[derive(Debug, Clone)]
struct Acc<'a> {
    class_images: Vec<u64>,
    class_instances: Vec<u64>,
    class_buckets: Vec<[u64; 4]>,
    /// Objects per image → images.
    boxes_per_image: BTreeMap<u32, u64>,
    objects: u64,
    crowd: u64,
    types: [u64; 4],
    buckets: [u64; 4],
    area_from_annotation: u64,
    area_from_box: u64,
    heatmap: Vec<u64>,
    heat_outside: u64,
    heat_unknown: u64,
    population: u64,
    with_pixels: u64,
    with_normalised: u64,
    sample: BottomK<Point>,
    unannotated: Examples,
    degenerate: Examples,
    out_of_bounds: Examples,
    image_attributes: Vec<Tally<'a>>,
    annotation_attributes: Vec<Tally<'a>>,
    /// Scratch: the current image's distinct class slots.
    scratch: Vec<usize>,
}

const fn type_slot(kind: AnnotationType) -> usize {
    match kind {
        AnnotationType::Bbox => 0,
        AnnotationType::Segmentation => 1,
        AnnotationType::Label => 2,
        AnnotationType::Attribute => 3,
    }
}

const TYPES: [AnnotationType; 4] = [
    AnnotationType::Bbox,
    AnnotationType::Segmentation,
    AnnotationType::Label,
    AnnotationType::Attribute,
];

impl<'a> Acc<'a> {
    fn new(classes: &ClassIndex, attributes: &AttributeIndex<'a>, limits: &EdaLimits) -> Self {
        let grid = limits.heatmap_grid as usize;
        let examples = limits.examples as usize;
        Self {
            class_images: vec![0; classes.len()],
            class_instances: vec![0; classes.len()],
            class_buckets: vec![[0; 4]; classes.len()],
            boxes_per_image: BTreeMap::new(),
            objects: 0,
            crowd: 0,
            types: [0; 4],
            buckets: [0; 4],
            area_from_annotation: 0,
            area_from_box: 0,
            heatmap: vec![0; grid * grid],
            heat_outside: 0,
            heat_unknown: 0,
            population: 0,
            with_pixels: 0,
            with_normalised: 0,
            sample: BottomK::new(limits.max_points as usize),
            unannotated: Examples::new(examples),
            degenerate: Examples::new(examples),
            out_of_bounds: Examples::new(examples),
            image_attributes: vec![Tally::default(); attributes.len()],
            annotation_attributes: vec![Tally::default(); attributes.len()],
            scratch: Vec::new(),
        }
    }

    fn image(
        &mut self,
        image: &'a ImageRecord,
        classes: &ClassIndex,
        attributes: &AttributeIndex<'a>,
        limits: &EdaLimits,
    ) {
        if image.annotations.is_empty() {
            self.unannotated
                .record(&image.file_name, None, || HealthExample {
                    image_id: Some(image.id.0),
                    file_name: image.file_name.clone(),
                    annotation_index: None,
                    annotation_id: None,
                    detail: "the image has no annotations".to_owned(),
                });
        }
        tally_attributes(&image.attributes, attributes, &mut self.image_attributes);
        let name_hash = xxhash_rust::xxh3::xxh3_128(image.file_name.as_bytes());
        self.scratch.clear();
        let mut objects = 0u32;
        for (index, annotation) in image.annotations.iter().enumerate() {
            self.types[type_slot(annotation.annotation_type)] += 1;
            self.crowd += u64::from(annotation.iscrowd);
            tally_attributes(
                &annotation.attributes,
                attributes,
                &mut self.annotation_attributes,
            );
            let slot = annotation.category_id.and_then(|id| classes.slot(id));
            if let Some(slot) = slot {
                self.class_instances[slot] += 1;
                self.scratch.push(slot);
            }
            if let Some(geometry) = Geometry::of(image, annotation) {
                objects += 1;
                let size = self.object(image, annotation, index, name_hash, geometry, limits);
                if let Some(slot) = slot {
                    self.class_buckets[slot][size] += 1;
                }
            }
        }
        self.objects += u64::from(objects);
        *self.boxes_per_image.entry(objects).or_default() += 1;
        self.scratch.sort_unstable();
        self.scratch.dedup();
        for &slot in &self.scratch {
            self.class_images[slot] += 1;
        }
    }

    /// Counts one object; returns its bucket (0 small, 1 medium, 2 large, 3 unknown).
    fn object(
        &mut self,
        image: &ImageRecord,
        annotation: &Annotation,
        index: usize,
        name_hash: u128,
        geometry: Geometry,
        limits: &EdaLimits,
    ) -> usize {
        let example = |detail: String| HealthExample {
            image_id: Some(image.id.0),
            file_name: image.file_name.clone(),
            annotation_index: Some(index as u32),
            annotation_id: annotation.id.map(|id| id.0),
            detail,
        };
        let stated = annotation.area.filter(|a| a.is_finite() && *a >= 0.0);
        if geometry.is_degenerate() {
            self.degenerate
                .record(&image.file_name, Some(index as u32), || {
                    example(match (geometry.pixels, geometry.normalised) {
                        (Some(b), _) => format!("box {} has no area", format_box(&b)),
                        (None, Some(b)) => format!(
                            "normalised box [{}, {}, {}, {}] has no area",
                            b.x + b.w / 2.0,
                            b.y + b.h / 2.0,
                            b.w,
                            b.h
                        ),
                        (None, None) => "box has no area".to_owned(),
                    })
                });
            let size = stated.map_or(3, bucket);
            self.count_bucket(size, stated.is_some(), false);
            return size;
        }
        self.population += 1;
        self.with_pixels += u64::from(geometry.pixels.is_some());
        self.with_normalised += u64::from(geometry.normalised.is_some());

        // Out of bounds: in pixels on an image of known size, else normalised.
        let sized = image.width > 0 && image.height > 0;
        if let Some(b) = geometry.pixels
            && sized
        {
            let over = overhang(&b, f64::from(image.width), f64::from(image.height));
            if over > limits.out_of_bounds_tolerance_px {
                self.out_of_bounds
                    .record(&image.file_name, Some(index as u32), || {
                        example(format!(
                            "box {} reaches {} px outside the {}×{} image",
                            format_box(&b),
                            round(over, 2),
                            image.width,
                            image.height
                        ))
                    });
            }
        } else if geometry.pixels.is_none()
            && let Some(b) = geometry.normalised
        {
            let over = overhang(&b, 1.0, 1.0);
            if over > limits.out_of_bounds_tolerance_normalised {
                self.out_of_bounds
                    .record(&image.file_name, Some(index as u32), || {
                        example(format!(
                            "normalised box [{}, {}, {}, {}] reaches {} outside [0, 1]",
                            round(b.x + b.w / 2.0, 6),
                            round(b.y + b.h / 2.0, 6),
                            round(b.w, 6),
                            round(b.h, 6),
                            round(over, 6)
                        ))
                    });
            }
        }

        // The centre heatmap.
        if let Some(b) = geometry.normalised {
            let (cx, cy) = (b.x + b.w / 2.0, b.y + b.h / 2.0);
            if (0.0..=1.0).contains(&cx) && (0.0..=1.0).contains(&cy) {
                let grid = limits.heatmap_grid as usize;
                let cell = |v: f64| ((v * grid as f64) as usize).min(grid - 1);
                self.heatmap[cell(cy) * grid + cell(cx)] += 1;
            } else {
                self.heat_outside += 1;
            }
        } else {
            self.heat_unknown += 1;
        }

        // The scatter sample.
        let key = point_key(name_hash, index);
        let probe = Point {
            key,
            width: None,
            height: None,
            norm_width: None,
            norm_height: None,
            class_id: None,
        };
        if self.sample.admits(&probe) {
            self.sample.push(Point {
                key,
                width: geometry.pixels.map(|b| round(b.w, 2)),
                height: geometry.pixels.map(|b| round(b.h, 2)),
                norm_width: geometry.normalised.map(|b| round(b.w, 6)),
                norm_height: geometry.normalised.map(|b| round(b.h, 6)),
                class_id: annotation.category_id.map(|id| id.0),
            });
        }

        // Area bucket: the stated area, else the box's.
        let (size, from_box) = match (stated, geometry.pixels) {
            (Some(area), _) => (bucket(area), false),
            (None, Some(b)) => (bucket(b.area()), true),
            (None, None) => (3, false),
        };
        self.count_bucket(size, stated.is_some(), from_box);
        size
    }

    fn count_bucket(&mut self, size: usize, from_annotation: bool, from_box: bool) {
        self.buckets[size] += 1;
        self.area_from_annotation += u64::from(from_annotation);
        self.area_from_box += u64::from(from_box);
    }

    fn merge(mut self, other: Self) -> Self {
        let add = |a: &mut [u64], b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.class_images, &other.class_images);
        add(&mut self.class_instances, &other.class_instances);
        for (a, b) in self.class_buckets.iter_mut().zip(&other.class_buckets) {
            add(a, b);
        }
        for (objects, images) in other.boxes_per_image {
            *self.boxes_per_image.entry(objects).or_default() += images;
        }
        self.objects += other.objects;
        self.crowd += other.crowd;
        add(&mut self.types, &other.types);
        add(&mut self.buckets, &other.buckets);
        self.area_from_annotation += other.area_from_annotation;
        self.area_from_box += other.area_from_box;
        add(&mut self.heatmap, &other.heatmap);
        self.heat_outside += other.heat_outside;
        self.heat_unknown += other.heat_unknown;
        self.population += other.population;
        self.with_pixels += other.with_pixels;
        self.with_normalised += other.with_normalised;
        self.sample.merge(other.sample);
        self.unannotated.merge(other.unannotated);
        self.degenerate.merge(other.degenerate);
        self.out_of_bounds.merge(other.out_of_bounds);
        for (a, b) in self.image_attributes.iter_mut().zip(other.image_attributes) {
            a.merge(b);
        }
        for (a, b) in self
            .annotation_attributes
            .iter_mut()
            .zip(other.annotation_attributes)
        {
            a.merge(b);
        }
        self
    }

    fn finish(
        self,
        meta: &DatasetMeta,
        classes: &ClassIndex,
        attributes: &AttributeIndex<'_>,
        limits: &EdaLimits,
        cooccurrence: Cooccurrence,
    ) -> AnnotationStats {
        let class_stats = (0..classes.len())
            .map(|slot| {
                let [small, medium, large, unknown] = self.class_buckets[slot];
                ClassStats {
                    id: classes.ids[slot],
                    name: classes.names[slot].clone().unwrap_or_default(),
                    declared: classes.names[slot].is_some(),
                    images: self.class_images[slot],
                    instances: self.class_instances[slot],
                    sizes: BucketCounts {
                        small,
                        medium,
                        large,
                        unknown,
                    },
                }
            })
            .collect();
        let points = self.sample.into_sorted_vec();
        let box_sizes = BoxSizes {
            total: self.population,
            sampled: points.len() as u64,
            with_pixels: self.with_pixels,
            with_normalised: self.with_normalised,
            points: BoxPoints {
                width: points.iter().map(|p| p.width).collect(),
                height: points.iter().map(|p| p.height).collect(),
                norm_width: points.iter().map(|p| p.norm_width).collect(),
                norm_height: points.iter().map(|p| p.norm_height).collect(),
                class_id: points.iter().map(|p| p.class_id).collect(),
            },
        };
        let [small, medium, large, unknown] = self.buckets;
        let images = meta.images.len() as u64;
        let annotations: u64 = self.types.iter().sum();
        let attribute_stats = (0..attributes.len())
            .zip(self.image_attributes)
            .zip(self.annotation_attributes)
            .map(|((slot, on_images), on_annotations)| {
                let (images_scope, annotations_scope) = attributes.scopes(slot);
                let kind = attributes.defs[slot].map(|(kind, _)| kind);
                let limit = limits.attribute_values as usize;
                AttributeStats {
                    name: attributes.names[slot].to_owned(),
                    kind: kind.map_or("undeclared", kind_name).to_owned(),
                    images: images_scope.then(|| value_counts(on_images, images, kind, limit)),
                    annotations: annotations_scope
                        .then(|| value_counts(on_annotations, annotations, kind, limit)),
                }
            })
            .collect();
        AnnotationStats {
            classes: class_stats,
            objects: self.objects,
            crowd: self.crowd,
            annotation_types: TYPES
                .iter()
                .zip(self.types)
                .filter(|(_, count)| *count > 0)
                .map(|(kind, count)| (*kind, count))
                .collect(),
            boxes_per_image: count_histogram(&self.boxes_per_image),
            box_sizes,
            size_buckets: SizeBuckets {
                small,
                medium,
                large,
                unknown,
                area_from_annotation: self.area_from_annotation,
                area_from_box: self.area_from_box,
            },
            centre_heatmap: CentreHeatmap {
                grid: limits.heatmap_grid,
                total: self.heatmap.iter().sum(),
                counts: self.heatmap,
                outside: self.heat_outside,
                unknown: self.heat_unknown,
            },
            cooccurrence,
            images_without_annotations: self.unannotated.finish(),
            degenerate_boxes: self.degenerate.finish(),
            out_of_bounds_boxes: self.out_of_bounds.finish(),
            attributes: attribute_stats,
        }
    }
}

const fn kind_name(kind: &AttributeKind) -> &'static str {
    match kind {
        AttributeKind::Bool => "bool",
        AttributeKind::Enum { .. } => "enum",
        AttributeKind::Number { .. } => "number",
        AttributeKind::Text => "text",
    }
}

fn count_histogram(values: &BTreeMap<u32, u64>) -> CountHistogram {
    let total: u64 = values.values().sum();
    let sum: u64 = values.iter().map(|(v, n)| u64::from(*v) * n).sum();
    let count_in = |min: u64, max: u64| -> u64 {
        values
            .range(min as u32..=max.min(u64::from(u32::MAX)) as u32)
            .map(|(_, n)| n)
            .sum()
    };
    let overflow_min = BOX_BINS[BOX_BINS.len() - 1].1 + 1;
    // The lower median: the value at rank (total − 1) / 2.
    let mut median = 0;
    let mut seen = 0;
    for (value, count) in values {
        seen += count;
        if seen > (total.saturating_sub(1)) / 2 {
            median = u64::from(*value);
            break;
        }
    }
    CountHistogram {
        bins: BOX_BINS
            .iter()
            .map(|&(min, max)| CountBin {
                min,
                max,
                count: count_in(min, max),
            })
            .collect(),
        overflow_min,
        overflow: values.range(overflow_min as u32..).map(|(_, n)| n).sum(),
        total,
        mean: if total == 0 {
            0.0
        } else {
            round(sum as f64 / total as f64, 4)
        },
        median,
        max: values.keys().next_back().map_or(0, |v| u64::from(*v)),
    }
}

/// Images containing each pair of the `limits.cooccurrence_classes` classes on most images.
fn cooccurrence(
    meta: &DatasetMeta,
    classes: &ClassIndex,
    class_images: &[u64],
    limits: &EdaLimits,
) -> Cooccurrence {
    let mut ranked: Vec<usize> = (0..classes.len())
        .filter(|slot| class_images[*slot] > 0)
        .collect();
    ranked.sort_by(|a, b| {
        class_images[*b]
            .cmp(&class_images[*a])
            .then(classes.ids[*a].cmp(&classes.ids[*b]))
    });
    let classes_total = ranked.len() as u64;
    let truncated = ranked.len() > limits.cooccurrence_classes as usize;
    ranked.truncate(limits.cooccurrence_classes as usize);
    let n = ranked.len();
    let mut position = vec![usize::MAX; classes.len()];
    for (at, slot) in ranked.iter().enumerate() {
        position[*slot] = at;
    }
    let upper = meta
        .images
        .par_iter()
        .with_min_len(MIN_IMAGES_PER_TASK)
        .fold(
            || (vec![0u64; n * n], Vec::new()),
            |(mut matrix, mut present): (Vec<u64>, Vec<usize>), image| {
                present.clear();
                present.extend(
                    image
                        .annotations
                        .iter()
                        .filter_map(|a| a.category_id.and_then(|id| classes.slot(id)))
                        .map(|slot| position[slot])
                        .filter(|at| *at != usize::MAX),
                );
                present.sort_unstable();
                present.dedup();
                for (k, &i) in present.iter().enumerate() {
                    for &j in &present[k..] {
                        matrix[i * n + j] += 1;
                    }
                }
                (matrix, present)
            },
        )
        .map(|(matrix, _)| matrix)
        .reduce(
            || vec![0u64; n * n],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        );
    let matrix = (0..n)
        .map(|i| (0..n).map(|j| upper[i.min(j) * n + i.max(j)]).collect())
        .collect();
    Cooccurrence {
        class_ids: ranked.iter().map(|slot| classes.ids[*slot]).collect(),
        matrix,
        classes_total,
        truncated,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::model::{Category, ImageRecord};

    fn image(id: i64, boxes: &[(i64, [f64; 4])]) -> ImageRecord {
        let mut image = ImageRecord::new(id, format!("{id:03}.jpg"), 100, 100);
        image.annotations = boxes
            .iter()
            .map(|(class, [x, y, w, h])| {
                Annotation::bbox(CategoryId(*class), BBox::new(*x, *y, *w, *h))
            })
            .collect();
        image
    }

    #[test]
    fn counts_are_exact_on_a_small_set() {
        let meta = DatasetMeta {
            categories: vec![Category::new(1, "a"), Category::new(2, "b")],
            images: vec![
                image(
                    1,
                    &[
                        (1, [0.0, 0.0, 10.0, 10.0]),
                        (1, [50.0, 50.0, 50.0, 50.0]),
                        (2, [0.0, 0.0, 40.0, 40.0]),
                    ],
                ),
                image(
                    2,
                    &[(2, [90.0, 90.0, 20.0, 20.0]), (7, [10.0, 10.0, 0.0, 5.0])],
                ),
                image(3, &[]),
            ],
            ..DatasetMeta::default()
        };
        let stats = compute(&meta, &EdaLimits::default());
        let classes: Vec<_> = stats
            .classes
            .iter()
            .map(|c| (c.id, c.declared, c.images, c.instances))
            .collect();
        assert_eq!(
            classes,
            [(1, true, 1, 2), (2, true, 2, 2), (7, false, 1, 1)]
        );
        assert_eq!(stats.objects, 5);
        assert_eq!(stats.degenerate_boxes.count, 1);
        assert_eq!(stats.out_of_bounds_boxes.count, 1);
        assert_eq!(
            stats.out_of_bounds_boxes.examples[0].detail,
            "box [90, 90, 20, 20] reaches 10 px outside the 100×100 image"
        );
        assert_eq!(stats.images_without_annotations.count, 1);
        // 10² small; 40² and 20² medium... 20² = 400 < 1024: small. 50² = 2500: medium.
        assert_eq!(
            (
                stats.size_buckets.small,
                stats.size_buckets.medium,
                stats.size_buckets.large,
                stats.size_buckets.unknown
            ),
            (2, 2, 0, 1)
        );
        assert_eq!(stats.box_sizes.total, 4);
        assert_eq!(stats.cooccurrence.class_ids, [2, 1, 7]);
        assert_eq!(stats.cooccurrence.matrix, [[2, 1, 1], [1, 1, 0], [1, 0, 1]]);
        let bins: Vec<u64> = stats
            .boxes_per_image
            .bins
            .iter()
            .take(4)
            .map(|b| b.count)
            .collect();
        assert_eq!(bins, [1, 0, 1, 1]);
        assert_eq!(
            (stats.boxes_per_image.median, stats.boxes_per_image.max),
            (2, 3)
        );
    }

    #[test]
    fn yolo_rows_of_unsized_images_are_read_normalised() {
        assert_eq!(
            yolo_box(&[0.5, 0.5, 0.2, 0.4]),
            Some(BBox::new(0.4, 0.3, 0.2, 0.4))
        );
        let polygon = yolo_box(&[0.1, 0.2, 0.3, 0.2, 0.3, 0.6]).unwrap();
        assert!((polygon.w - 0.2).abs() < 1e-12 && (polygon.h - 0.4).abs() < 1e-12);
        assert_eq!(yolo_box(&[0.1, 0.2]), None);
    }
}
