//! Pixel geometry: boxes, polygons and COCO run-length encoding.
//!
//! Conventions are COCO's: pixel coordinates with the origin at the top-left corner of the
//! top-left pixel, boxes as `[x, y, w, h]`, masks column-major (Fortran order) as pycocotools
//! stores them.

pub mod contour;
pub mod polygon;
pub mod rle;
mod schema;
pub mod transform;

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeTuple, Serializer};
use serde::{Deserialize, Serialize};

pub use rle::{Rle, RleCounts, RleError};

/// An axis-aligned box `[x, y, w, h]` in absolute pixels.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl BBox {
    #[must_use]
    pub const fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Self { x, y, w, h }
    }

    /// The box spanning two corners.
    #[must_use]
    pub fn from_corners(x1: f64, y1: f64, x2: f64, y2: f64) -> Self {
        Self::new(x1, y1, x2 - x1, y2 - y1)
    }

    #[must_use]
    pub fn area(&self) -> f64 {
        self.w * self.h
    }

    #[must_use]
    pub fn x2(&self) -> f64 {
        self.x + self.w
    }

    #[must_use]
    pub fn y2(&self) -> f64 {
        self.y + self.h
    }

    /// All four numbers finite, width and height strictly positive.
    #[must_use]
    pub fn is_degenerate(&self) -> bool {
        !(self.x.is_finite() && self.y.is_finite() && self.w.is_finite() && self.h.is_finite())
            || self.w <= 0.0
            || self.h <= 0.0
    }

    /// Whether the box leaves the image `[0, width] × [0, height]`.
    #[must_use]
    pub fn is_out_of_bounds(&self, width: u32, height: u32) -> bool {
        self.x < 0.0
            || self.y < 0.0
            || self.x2() > f64::from(width)
            || self.y2() > f64::from(height)
    }

    /// The box cut to the image; `None` when nothing of it is left inside.
    #[must_use]
    pub fn clamped(&self, width: u32, height: u32) -> Option<Self> {
        let (width, height) = (f64::from(width), f64::from(height));
        let x1 = self.x.clamp(0.0, width);
        let y1 = self.y.clamp(0.0, height);
        let x2 = self.x2().clamp(0.0, width);
        let y2 = self.y2().clamp(0.0, height);
        let clamped = Self::from_corners(x1, y1, x2, y2);
        (!clamped.is_degenerate()).then_some(clamped)
    }

    /// YOLO's normalised `(cx, cy, w, h)` for an image of this size.
    #[must_use]
    pub fn to_yolo(&self, width: u32, height: u32) -> [f64; 4] {
        let (width, height) = (f64::from(width), f64::from(height));
        [
            (self.x + self.w / 2.0) / width,
            (self.y + self.h / 2.0) / height,
            self.w / width,
            self.h / height,
        ]
    }

    /// The inverse of [`BBox::to_yolo`].
    #[must_use]
    pub fn from_yolo(cx: f64, cy: f64, w: f64, h: f64, width: u32, height: u32) -> Self {
        let (width, height) = (f64::from(width), f64::from(height));
        let (w, h) = (w * width, h * height);
        Self::new(cx * width - w / 2.0, cy * height - h / 2.0, w, h)
    }
}

impl Serialize for BBox {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut tuple = serializer.serialize_tuple(4)?;
        for value in [self.x, self.y, self.w, self.h] {
            tuple.serialize_element(&value)?;
        }
        tuple.end()
    }
}

impl<'de> Deserialize<'de> for BBox {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BBoxVisitor;
        impl<'de> Visitor<'de> for BBoxVisitor {
            type Value = BBox;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a box [x, y, width, height] of four numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<BBox, A::Error> {
                let mut values = [0.0_f64; 4];
                for (index, value) in values.iter_mut().enumerate() {
                    *value = seq
                        .next_element()?
                        .ok_or_else(|| de::Error::invalid_length(index, &self))?;
                }
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(5, &self));
                }
                Ok(BBox::new(values[0], values[1], values[2], values[3]))
            }
        }
        deserializer.deserialize_seq(BBoxVisitor)
    }
}

/// A mask: COCO polygons (several parts per object) or run-length encoding.
#[derive(Debug, Clone, PartialEq)]
pub enum Segmentation {
    /// Flat `[x1, y1, x2, y2, …]` lists in absolute pixels, one per part.
    Polygons(Vec<Vec<f64>>),
    Rle(Rle),
}

impl Segmentation {
    /// Area in square pixels: the sum of the parts' polygon areas, or the RLE's pixel count.
    #[must_use]
    pub fn area(&self) -> Option<f64> {
        match self {
            Self::Polygons(parts) if parts.is_empty() => None,
            Self::Polygons(parts) => Some(parts.iter().map(|p| polygon::area(p)).sum()),
            Self::Rle(rle) => rle.area().ok().map(|area| area as f64),
        }
    }

    /// The tight box around the mask (COCO's convention: extremes of the polygon points, or the
    /// RLE's pixel extent as pycocotools' `toBbox`).
    #[must_use]
    pub fn bbox(&self) -> Option<BBox> {
        match self {
            Self::Polygons(parts) => polygon::bbox(parts),
            Self::Rle(rle) => rle.bbox().ok(),
        }
    }

    /// `true` for `[]`, the COCO way of saying "no mask".
    #[must_use]
    pub fn is_empty(&self) -> bool {
        matches!(self, Self::Polygons(parts) if parts.is_empty())
    }
}

impl Serialize for Segmentation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Polygons(parts) => parts.serialize(serializer),
            Self::Rle(rle) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("size", &[rle.height, rle.width])?;
                match &rle.counts {
                    RleCounts::Uncompressed(counts) => map.serialize_entry("counts", counts)?,
                    RleCounts::Compressed(counts) => map.serialize_entry("counts", counts)?,
                }
                map.end()
            }
        }
    }
}

// A hand-written visitor rather than `#[serde(untagged)]`: untagged enums buffer every value, which
// costs seconds on COCO-train-sized files.
impl<'de> Deserialize<'de> for Segmentation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SegmentationVisitor)
    }
}

const SEGMENTATION_EXPECTED: &str = "a list of polygons [[x1, y1, …], …] or an RLE \
     {\"size\": [h, w], \"counts\": […] or \"…\"}";

struct SegmentationVisitor;

impl<'de> Visitor<'de> for SegmentationVisitor {
    type Value = Segmentation;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SEGMENTATION_EXPECTED)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Segmentation, A::Error> {
        let mut parts = Vec::with_capacity(seq.size_hint().unwrap_or(1));
        while let Some(part) = seq.next_element_seed(ExactPart)? {
            parts.push(part);
        }
        parts.shrink_to_fit();
        Ok(Segmentation::Polygons(parts))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Segmentation, A::Error> {
        let mut size: Option<[u32; 2]> = None;
        let mut counts: Option<RleCounts> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "size" => size = Some(map.next_value()?),
                "counts" => counts = Some(map.next_value_seed(CountsSeed)?),
                other => {
                    return Err(de::Error::custom(format_args!(
                        "unexpected key `{other}` in an RLE; expected only `size` and `counts`"
                    )));
                }
            }
        }
        let [height, width] = size.ok_or_else(|| de::Error::missing_field("size"))?;
        let counts = counts.ok_or_else(|| de::Error::missing_field("counts"))?;
        Ok(Segmentation::Rle(Rle {
            height,
            width,
            counts,
        }))
    }
}

/// One polygon, allocated at its exact length. JSON gives no length up front, so a plain
/// `Vec<f64>` grows by doubling and wastes a third of its memory on average: 100 MB on
/// COCO-train. The numbers go to a reused per-thread buffer first.
struct ExactPart;

thread_local! {
    static PART_BUFFER: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl<'de> de::DeserializeSeed<'de> for ExactPart {
    type Value = Vec<f64>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<f64>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ExactPart {
    type Value = Vec<f64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a polygon [x1, y1, x2, y2, …]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f64>, A::Error> {
        // Taken out of the cell while in use, so a nested call (there is none) could not alias.
        let mut buffer = PART_BUFFER.with(|cell| std::mem::take(&mut *cell.borrow_mut()));
        buffer.clear();
        let result = loop {
            match seq.next_element::<f64>() {
                Ok(Some(value)) => buffer.push(value),
                Ok(None) => break Ok(buffer.as_slice().to_vec()),
                Err(error) => break Err(error),
            }
        };
        PART_BUFFER.with(|cell| *cell.borrow_mut() = buffer);
        result
    }
}

struct CountsSeed;

impl<'de> de::DeserializeSeed<'de> for CountsSeed {
    type Value = RleCounts;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RleCounts, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CountsSeed {
    type Value = RleCounts;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RLE counts as a list of run lengths or a compressed string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<RleCounts, E> {
        Ok(RleCounts::Compressed(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<RleCounts, E> {
        Ok(RleCounts::Compressed(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RleCounts, A::Error> {
        let mut counts = Vec::with_capacity(seq.size_hint().unwrap_or(16));
        while let Some(count) = seq.next_element::<u32>()? {
            counts.push(count);
        }
        Ok(RleCounts::Uncompressed(counts))
    }
}
