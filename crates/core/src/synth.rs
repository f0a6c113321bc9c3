//! Synthetic detection datasets with COCO-like statistics, for benchmarks, demos and tests.
//!
//! Everything is a pure function of [`SynthConfig`]: image `i` draws from its own generator seeded
//! by `(seed, i)`, so the output does not depend on the number of threads, and any image can be
//! regenerated on its own (the JPEG writer relies on that).
//!
//! The statistics follow COCO train2017 (and the reference generator the benchmarks were first
//! measured with): the 80 real categories with their real ids 1..90 and gaps, a long-tailed class
//! frequency (person ≈ 30 % of objects, the rest falling off as rank^-1.2), an overdispersed
//! number of objects per image (negative binomial, mean 7.3, a few % empty images), log-uniform
//! object sizes (a small/medium/large mix), polygons with 6–40 points on 95 % of the non-crowd
//! objects, ~1 % crowd regions as uncompressed RLE, and sparse image ids with COCO-style file
//! names. VisDrone mode draws the VisDrone-DET classes, smaller objects, and ignored regions.

use std::fmt::{self, Write as _};
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, RgbImage};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use serde_json::{Value, json};
use thiserror::Error;

use crate::codecs::{self, CodecError, CrowdPolicy, WriteOptions, YoloTask};
use crate::files::Files;
use crate::format::AnnotationFormat;
use crate::geometry::{BBox, Rle, RleCounts, Segmentation, polygon};
use crate::model::{
    Annotation, AnnotationId, Category, CategoryId, DatasetMeta, Extra, ImageRecord, SourceInfo,
};
use crate::report::ConversionReport;

/// COCO 2017's categories: `(id, name, supercategory)` with the real ids (1..90 with gaps).
pub const COCO_CATEGORIES: [(i64, &str, &str); 80] = [
    (1, "person", "person"),
    (2, "bicycle", "vehicle"),
    (3, "car", "vehicle"),
    (4, "motorcycle", "vehicle"),
    (5, "airplane", "vehicle"),
    (6, "bus", "vehicle"),
    (7, "train", "vehicle"),
    (8, "truck", "vehicle"),
    (9, "boat", "vehicle"),
    (10, "traffic light", "outdoor"),
    (11, "fire hydrant", "outdoor"),
    (13, "stop sign", "outdoor"),
    (14, "parking meter", "outdoor"),
    (15, "bench", "outdoor"),
    (16, "bird", "animal"),
    (17, "cat", "animal"),
    (18, "dog", "animal"),
    (19, "horse", "animal"),
    (20, "sheep", "animal"),
    (21, "cow", "animal"),
    (22, "elephant", "animal"),
    (23, "bear", "animal"),
    (24, "zebra", "animal"),
    (25, "giraffe", "animal"),
    (27, "backpack", "accessory"),
    (28, "umbrella", "accessory"),
    (31, "handbag", "accessory"),
    (32, "tie", "accessory"),
    (33, "suitcase", "accessory"),
    (34, "frisbee", "sports"),
    (35, "skis", "sports"),
    (36, "snowboard", "sports"),
    (37, "sports ball", "sports"),
    (38, "kite", "sports"),
    (39, "baseball bat", "sports"),
    (40, "baseball glove", "sports"),
    (41, "skateboard", "sports"),
    (42, "surfboard", "sports"),
    (43, "tennis racket", "sports"),
    (44, "bottle", "kitchen"),
    (46, "wine glass", "kitchen"),
    (47, "cup", "kitchen"),
    (48, "fork", "kitchen"),
    (49, "knife", "kitchen"),
    (50, "spoon", "kitchen"),
    (51, "bowl", "kitchen"),
    (52, "banana", "food"),
    (53, "apple", "food"),
    (54, "sandwich", "food"),
    (55, "orange", "food"),
    (56, "broccoli", "food"),
    (57, "carrot", "food"),
    (58, "hot dog", "food"),
    (59, "pizza", "food"),
    (60, "donut", "food"),
    (61, "cake", "food"),
    (62, "chair", "furniture"),
    (63, "couch", "furniture"),
    (64, "potted plant", "furniture"),
    (65, "bed", "furniture"),
    (67, "dining table", "furniture"),
    (70, "toilet", "furniture"),
    (72, "tv", "electronic"),
    (73, "laptop", "electronic"),
    (74, "mouse", "electronic"),
    (75, "remote", "electronic"),
    (76, "keyboard", "electronic"),
    (77, "cell phone", "electronic"),
    (78, "microwave", "appliance"),
    (79, "oven", "appliance"),
    (80, "toaster", "appliance"),
    (81, "sink", "appliance"),
    (82, "refrigerator", "appliance"),
    (84, "book", "indoor"),
    (85, "clock", "indoor"),
    (86, "vase", "indoor"),
    (87, "scissors", "indoor"),
    (88, "teddy bear", "indoor"),
    (89, "hair drier", "indoor"),
    (90, "toothbrush", "indoor"),
];

/// COCO train2017's categories, most frequent first (roughly), which shapes the long tail.
const COCO_FREQUENCY_ORDER: [&str; 80] = [
    "person",
    "car",
    "chair",
    "book",
    "bottle",
    "cup",
    "dining table",
    "bowl",
    "traffic light",
    "handbag",
    "umbrella",
    "bird",
    "boat",
    "truck",
    "bench",
    "sheep",
    "banana",
    "kite",
    "motorcycle",
    "backpack",
    "potted plant",
    "cow",
    "wine glass",
    "carrot",
    "knife",
    "broccoli",
    "donut",
    "bicycle",
    "skis",
    "vase",
    "horse",
    "tie",
    "cell phone",
    "orange",
    "cake",
    "sports ball",
    "clock",
    "suitcase",
    "spoon",
    "surfboard",
    "bus",
    "apple",
    "pizza",
    "tv",
    "couch",
    "remote",
    "sink",
    "skateboard",
    "elephant",
    "dog",
    "fork",
    "zebra",
    "airplane",
    "giraffe",
    "laptop",
    "tennis racket",
    "teddy bear",
    "cat",
    "train",
    "sandwich",
    "bed",
    "toilet",
    "baseball glove",
    "oven",
    "baseball bat",
    "hot dog",
    "keyboard",
    "snowboard",
    "frisbee",
    "refrigerator",
    "mouse",
    "stop sign",
    "toothbrush",
    "fire hydrant",
    "microwave",
    "scissors",
    "bear",
    "parking meter",
    "toaster",
    "hair drier",
];

/// Approximate VisDrone-DET train frequencies of classes 0..11 (0 is drawn separately).
const VISDRONE_WEIGHTS: [f64; 12] = [
    0.0, 0.22, 0.078, 0.03, 0.40, 0.07, 0.036, 0.014, 0.009, 0.016, 0.085, 0.002,
];

/// Common camera and web sizes; about a third of the images take one of them, the rest a uniform
/// size in the configured range, as COCO mixes a few dominant sizes with a long spread.
const COMMON_SIZES: [(u32, u32); 6] = [
    (640, 480),
    (800, 600),
    (1024, 768),
    (1280, 720),
    (1280, 960),
    (1920, 1080),
];

/// Which layout [`write_dataset`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SynthFormat {
    /// `annotation.json` (COCO instances).
    #[default]
    Coco,
    /// `labels/*.txt` + `data.yaml` (detection labels).
    Yolo,
    /// VisDrone2019-DET `annotations/*.txt` with the VisDrone classes.
    VisDrone,
}

impl SynthFormat {
    /// The matching [`AnnotationFormat`], to read the output back.
    #[must_use]
    pub const fn annotation_format(self) -> AnnotationFormat {
        match self {
            Self::Coco => AnnotationFormat::Coco,
            Self::Yolo => AnnotationFormat::Yolo,
            Self::VisDrone => AnnotationFormat::VisDrone,
        }
    }
}

impl FromStr for SynthFormat {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "coco" => Ok(Self::Coco),
            "yolo" => Ok(Self::Yolo),
            "visdrone" => Ok(Self::VisDrone),
            other => Err(format!(
                "unknown synth format `{other}`; expected coco, yolo or visdrone"
            )),
        }
    }
}

impl fmt::Display for SynthFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.annotation_format().cli_name())
    }
}

/// What to generate. [`SynthConfig::default`] is COCO-train-like; set `images` and `seed`.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// Number of images.
    pub images: usize,
    /// Everything is a function of this seed (and the other fields).
    pub seed: u64,
    /// Write annotation files only, no JPEGs.
    pub annotations_only: bool,
    pub format: SynthFormat,
    /// Mean objects per image (COCO train2017: 7.3).
    pub mean_boxes: f64,
    /// Objects per image at most (COCO caps detections at 100).
    pub max_boxes: usize,
    /// Fraction of objects that are crowd regions (`iscrowd = 1`, RLE); COCO only.
    pub crowd_fraction: f64,
    /// Fraction of non-crowd objects with a polygon mask (the rest have `segmentation: []`).
    pub polygon_fraction: f64,
    /// Smallest image `(width, height)`.
    pub min_size: (u32, u32),
    /// Largest image `(width, height)`.
    pub max_size: (u32, u32),
    /// JPEG quality 1..=100.
    pub jpeg_quality: u8,
}

impl Default for SynthConfig {
    fn default() -> Self {
        Self {
            images: 1000,
            seed: 0,
            annotations_only: false,
            format: SynthFormat::Coco,
            mean_boxes: 7.3,
            max_boxes: 100,
            crowd_fraction: 0.01,
            polygon_fraction: 0.95,
            min_size: (640, 480),
            max_size: (1920, 1080),
            jpeg_quality: 90,
        }
    }
}

/// Why writing failed.
#[derive(Debug, Error)]
pub enum SynthError {
    #[error(transparent)]
    Codec(#[from] CodecError),
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot encode {}: {source}", path.display())]
    Image {
        path: PathBuf,
        #[source]
        source: image::ImageError,
    },
    #[error("invalid synth configuration: {0}")]
    Config(String),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> SynthError + '_ {
    move |source| SynthError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What [`write_dataset`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SynthSummary {
    pub images: u64,
    pub annotations: u64,
    pub crowd: u64,
    pub polygons: u64,
    /// Bytes of annotation files (the JSON, or all label files).
    pub annotation_bytes: u64,
    /// Bytes of JPEGs (0 with `annotations_only`).
    pub image_bytes: u64,
}

// ---------------------------------------------------------------------------------------------
// Random helpers. `rand` 0.9 without `rand_distr`: the few distributions needed are written out.

/// SplitMix64's finaliser: decorrelates nearby seeds (`seed`, `seed + 1`, image 0, image 1 …).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The generator of one image (or of one purpose, via `salt`), independent of thread scheduling.
fn rng_for(seed: u64, index: u64, salt: u64) -> SmallRng {
    SmallRng::seed_from_u64(mix(mix(seed ^ salt).wrapping_add(index)))
}

const SALT_IMAGE: u64 = 0x696d_6167_6573;
const SALT_IDS: u64 = 0x6964_7373;
const SALT_PIXELS: u64 = 0x7069_7865_6c73;

fn uniform(rng: &mut SmallRng, low: f64, high: f64) -> f64 {
    low + (high - low) * rng.random::<f64>()
}

/// Standard normal (Box–Muller).
fn normal(rng: &mut SmallRng) -> f64 {
    let u1 = 1.0 - rng.random::<f64>(); // (0, 1]: ln stays finite
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Negative binomial with `r = 3` failures-before-success form and the given mean: the sum of
/// three geometric draws. Overdispersed like real object counts (a few % empty images).
fn object_count(rng: &mut SmallRng, mean: f64) -> usize {
    const R: f64 = 3.0;
    let p = R / (R + mean.max(0.0));
    if p >= 1.0 {
        return 0;
    }
    let log_q = (1.0 - p).ln();
    (0..3)
        .map(|_| {
            let u = 1.0 - rng.random::<f64>();
            (u.ln() / log_q).floor() as usize
        })
        .sum()
}

/// Cumulative weights for [`pick`].
fn cumulative(weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    weights
        .iter()
        .map(|w| {
            acc += w / total;
            acc
        })
        .collect()
}

fn pick(rng: &mut SmallRng, cumulative: &[f64]) -> usize {
    let u = rng.random::<f64>();
    cumulative
        .partition_point(|&c| c <= u)
        .min(cumulative.len() - 1)
}

/// COCO-like long tail over [`COCO_CATEGORIES`]: person 30 %, the rest ∝ rank^-1.2 (the second
/// most frequent class ≈ 200× the last, as in train2017).
fn coco_weights() -> Vec<f64> {
    let rest: Vec<f64> = (1..COCO_FREQUENCY_ORDER.len())
        .map(|rank| (rank as f64).powf(-1.2))
        .collect();
    let rest_total: f64 = rest.iter().sum();
    COCO_CATEGORIES
        .iter()
        .map(|(_, name, _)| {
            let rank = COCO_FREQUENCY_ORDER
                .iter()
                .position(|n| n == name)
                .unwrap_or(COCO_FREQUENCY_ORDER.len() - 1);
            if rank == 0 {
                0.30
            } else {
                rest[rank - 1] / rest_total * 0.70
            }
        })
        .collect()
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

// ---------------------------------------------------------------------------------------------
// Generation

/// Shared, read-only state of one generation run.
struct Plan<'a> {
    config: &'a SynthConfig,
    category_ids: Vec<i64>,
    cumulative: Vec<f64>,
}

impl<'a> Plan<'a> {
    fn new(config: &'a SynthConfig) -> Self {
        let (category_ids, weights): (Vec<i64>, Vec<f64>) = match config.format {
            SynthFormat::VisDrone => ((0..12).collect(), VISDRONE_WEIGHTS.to_vec()),
            SynthFormat::Coco | SynthFormat::Yolo => (
                COCO_CATEGORIES.iter().map(|c| c.0).collect(),
                coco_weights(),
            ),
        };
        Self {
            config,
            category_ids,
            cumulative: cumulative(&weights),
        }
    }

    fn visdrone(&self) -> bool {
        self.config.format == SynthFormat::VisDrone
    }

    fn image_size(&self, rng: &mut SmallRng) -> (u32, u32) {
        let (min_w, min_h) = self.config.min_size;
        let (max_w, max_h) = self.config.max_size;
        if rng.random::<f64>() < 0.35 {
            let fitting: Vec<(u32, u32)> = COMMON_SIZES
                .iter()
                .copied()
                .filter(|&(w, h)| (min_w..=max_w).contains(&w) && (min_h..=max_h).contains(&h))
                .collect();
            if !fitting.is_empty() {
                return fitting[rng.random_range(0..fitting.len())];
            }
        }
        // Even sizes, like most camera output.
        let w = rng.random_range(min_w.div_ceil(2)..=max_w / 2) * 2;
        let h = rng.random_range(min_h.div_ceil(2)..=max_h / 2) * 2;
        (w, h)
    }

    /// One image and its objects (annotation ids are assigned later, in image order).
    fn image(&self, index: usize, image_id: i64) -> ImageRecord {
        let config = self.config;
        let mut rng = rng_for(config.seed, index as u64, SALT_IMAGE);
        let (width, height) = self.image_size(&mut rng);
        let (wf, hf) = (f64::from(width), f64::from(height));
        let mut image = ImageRecord::new(image_id, format!("{image_id:012}.jpg"), width, height);
        if !self.visdrone() {
            let name = &image.file_name;
            let extra = &mut image.extra;
            extra.insert("license".into(), json!(1 + index % 8));
            extra.insert(
                "coco_url".into(),
                json!(format!("http://images.example.invalid/{name}")),
            );
            extra.insert("date_captured".into(), json!("2013-11-14 11:18:45"));
            extra.insert(
                "flickr_url".into(),
                json!(format!("http://flickr.example.invalid/{name}")),
            );
        }
        let count = object_count(&mut rng, config.mean_boxes).min(config.max_boxes);
        // VisDrone objects are small (drone altitude); COCO's span the whole range.
        let scale = if self.visdrone() { 0.35 } else { 1.0 };
        let max_side = (0.9 * wf.min(hf) * scale).max(8.0);
        image.annotations.reserve(count + 1);
        for _ in 0..count {
            let class = pick(&mut rng, &self.cumulative);
            let category = CategoryId(self.category_ids[class]);
            let crowd = !self.visdrone()
                && config.crowd_fraction > 0.0
                && rng.random::<f64>() < config.crowd_fraction;
            // Crowd regions are never tiny: at least 24 px a side, so the RLE is not empty.
            let min_side: f64 = if crowd { 24.0 } else { 6.0 };
            let side = uniform(&mut rng, min_side.ln(), max_side.max(min_side + 1.0).ln()).exp();
            let aspect = (0.5 * normal(&mut rng)).exp();
            let floor = if crowd { 21.0 } else { 2.0 };
            let bw = (side * aspect.sqrt()).clamp(floor, wf - 1.0);
            let bh = (side / aspect.sqrt()).clamp(floor, hf - 1.0);
            let x = uniform(&mut rng, 0.0, wf - bw);
            let y = uniform(&mut rng, 0.0, hf - bh);
            let annotation = if crowd {
                crowd_annotation(category, x, y, bw, bh, width, height)
            } else if self.visdrone() {
                visdrone_annotation(&mut rng, category, BBox::new(x, y, bw, bh))
            } else if rng.random::<f64>() < config.polygon_fraction {
                polygon_annotation(&mut rng, category, x, y, bw, bh, wf, hf)
            } else {
                let bbox = BBox::new(round2(x), round2(y), round2(bw), round2(bh));
                let mut annotation = Annotation::bbox(category, bbox);
                // `segmentation: []`, as COCO writes box-only objects (pycocotools expects the key).
                annotation.segmentation = Some(Segmentation::Polygons(Vec::new()));
                annotation.area = Some(round2(bbox.area()));
                annotation
            };
            image.annotations.push(annotation);
        }
        if self.visdrone() && rng.random::<f64>() < 0.3 {
            let bw = uniform(&mut rng, 20.0, (wf / 4.0).max(21.0));
            let bh = uniform(&mut rng, 20.0, (hf / 4.0).max(21.0));
            let x = uniform(&mut rng, 0.0, wf - bw);
            let y = uniform(&mut rng, 0.0, hf - bh);
            let mut region = visdrone_annotation(&mut rng, CategoryId(0), BBox::new(x, y, bw, bh));
            region.extra.insert("truncation".into(), json!(0));
            region.extra.insert("occlusion".into(), json!(0));
            image.annotations.push(region);
        }
        image
    }
}

/// An ellipse-shaped polygon (sorted angles, jittered radius: always simple, never
/// self-intersecting) inside the box; one part, or two halves for ~5 % of objects (COCO has
/// multi-part masks for occluded objects).
#[allow(clippy::too_many_arguments)]
fn polygon_annotation(
    rng: &mut SmallRng,
    category: CategoryId,
    x: f64,
    y: f64,
    bw: f64,
    bh: f64,
    wf: f64,
    hf: f64,
) -> Annotation {
    let parts_count = if rng.random::<f64>() < 0.05 { 2 } else { 1 };
    let mut parts = Vec::with_capacity(parts_count);
    for part in 0..parts_count {
        let (px, pw) = if parts_count == 2 {
            (x + bw / 2.0 * part as f64, bw / 2.0)
        } else {
            (x, bw)
        };
        let points = rng.random_range(6..=40_usize);
        let mut angles: Vec<f64> = (0..points)
            .map(|_| rng.random::<f64>() * std::f64::consts::TAU)
            .collect();
        angles.sort_by(f64::total_cmp);
        let (cx, cy, rx, ry) = (px + pw / 2.0, y + bh / 2.0, pw / 2.0, bh / 2.0);
        let mut xy = Vec::with_capacity(points * 2);
        for angle in angles {
            let r = uniform(rng, 0.75, 1.0);
            xy.push(round2(cx + angle.cos() * r * rx).clamp(0.0, wf));
            xy.push(round2(cy + angle.sin() * r * ry).clamp(0.0, hf));
        }
        parts.push(xy);
    }
    let area = round2(parts.iter().map(|p| polygon::area(p)).sum());
    let mut annotation = Annotation::segmentation(category, Segmentation::Polygons(parts));
    // The points have two decimals, so their extremes do too; rounding only removes float noise
    // from the subtraction.
    annotation.bbox = annotation
        .bbox
        .map(|b| BBox::new(round2(b.x), round2(b.y), round2(b.w), round2(b.h)));
    annotation.area = Some(area);
    annotation
}

/// A crowd region: an axis-aligned ellipse as uncompressed RLE, box and area taken from the RLE.
fn crowd_annotation(
    category: CategoryId,
    x: f64,
    y: f64,
    bw: f64,
    bh: f64,
    width: u32,
    height: u32,
) -> Annotation {
    let rle = ellipse_rle(x as u32, y as u32, bw as u32, bh as u32, width, height);
    let area = rle.area().map_or(0.0, |a| a as f64);
    let mut annotation = Annotation::segmentation(category, Segmentation::Rle(rle));
    annotation.iscrowd = true;
    annotation.area = Some(area);
    annotation
}

/// Column-major run lengths of the ellipse inscribed in the integer box; canonical (no
/// zero-length runs other than a leading one).
fn ellipse_rle(x0: u32, y0: u32, bw: u32, bh: u32, width: u32, height: u32) -> Rle {
    let (cx, cy) = (
        f64::from(x0) + f64::from(bw) / 2.0,
        f64::from(y0) + f64::from(bh) / 2.0,
    );
    let (rx, ry) = (f64::from(bw) / 2.0, f64::from(bh) / 2.0);
    let total = u64::from(width) * u64::from(height);
    let mut counts: Vec<u32> = Vec::with_capacity(2 * bw as usize + 1);
    let mut position = 0_u64;
    for column in x0..(x0 + bw).min(width) {
        let dx = (f64::from(column) + 0.5 - cx) / rx;
        if dx.abs() >= 1.0 {
            continue;
        }
        let half = ry * (1.0 - dx * dx).sqrt();
        let r0 = (cy - half).round().max(0.0) as u32;
        let r1 = ((cy + half).round() as u32).min(height);
        if r1 <= r0 {
            continue;
        }
        let start = u64::from(column) * u64::from(height) + u64::from(r0);
        let gap = start - position;
        if gap == 0 && counts.len() >= 2 {
            // Touches the previous run (bottom of one column, top of the next): extend it.
            if let Some(last) = counts.last_mut() {
                *last += r1 - r0;
            }
        } else {
            counts.push(gap as u32);
            counts.push(r1 - r0);
        }
        position = u64::from(column) * u64::from(height) + u64::from(r1);
    }
    counts.push((total - position) as u32);
    Rle {
        height,
        width,
        counts: RleCounts::Uncompressed(counts),
    }
}

/// A VisDrone box (integer pixels) with score, truncation and occlusion in `extra`, as the
/// VisDrone text rows carry them.
fn visdrone_annotation(rng: &mut SmallRng, category: CategoryId, bbox: BBox) -> Annotation {
    let bbox = BBox::new(
        bbox.x.round(),
        bbox.y.round(),
        bbox.w.round().max(1.0),
        bbox.h.round().max(1.0),
    );
    let mut annotation = Annotation::bbox(category, bbox);
    // Classes 0 (ignored regions) and 11 (others) are not evaluated: score 0.
    let score = i64::from(category.0 != 0 && category.0 != 11);
    let truncation = i64::from(rng.random::<f64>() < 0.12);
    let occlusion = match rng.random::<f64>() {
        u if u < 0.6 => 0,
        u if u < 0.9 => 1,
        _ => 2,
    };
    annotation.extra.insert("score".into(), json!(score));
    annotation
        .extra
        .insert("truncation".into(), json!(truncation));
    annotation
        .extra
        .insert("occlusion".into(), json!(occlusion));
    annotation
}

/// Sparse image ids: `images` distinct ids out of `1..=5 × images`, ascending (COCO's ids are
/// sparse too, which catches code that confuses ids with indices).
fn image_ids(config: &SynthConfig) -> Vec<i64> {
    let mut rng = rng_for(config.seed, 0, SALT_IDS);
    let range = config.images.saturating_mul(5).max(1);
    let mut ids: Vec<i64> = rand::seq::index::sample(&mut rng, range, config.images)
        .into_iter()
        .map(|i| i as i64 + 1)
        .collect();
    ids.sort_unstable();
    ids
}

fn categories(format: SynthFormat) -> Vec<Category> {
    match format {
        SynthFormat::VisDrone => crate::codecs::visdrone::CATEGORIES
            .iter()
            .enumerate()
            .map(|(id, name)| Category::new(id as i64, *name))
            .collect(),
        SynthFormat::Coco | SynthFormat::Yolo => COCO_CATEGORIES
            .iter()
            .map(|&(id, name, supercategory)| Category {
                supercategory: Some(supercategory.to_owned()),
                ..Category::new(id, name)
            })
            .collect(),
    }
}

fn source_info(config: &SynthConfig) -> SourceInfo {
    let mut extra = Extra::new();
    if config.format != SynthFormat::VisDrone {
        extra.insert(
            "info".into(),
            json!({
                "description": "Synthetic COCO-like detection dataset (datamill synth)",
                "url": "",
                "version": "1.0",
                "year": 2017,
                "contributor": "datamill",
                "date_created": "2017/09/01",
                "seed": config.seed,
            }),
        );
        let licenses: Vec<Value> = (1..=8)
            .map(|k| {
                json!({
                    "url": format!("http://license.example.invalid/{k}"),
                    "id": k,
                    "name": format!("License {k}"),
                })
            })
            .collect();
        extra.insert("licenses".into(), Value::Array(licenses));
    }
    SourceInfo {
        format: Some(config.format.annotation_format()),
        extra,
    }
}

/// The dataset's annotations, in memory. Deterministic: the same config gives an equal result,
/// whatever the number of threads.
#[must_use]
pub fn generate(config: &SynthConfig) -> DatasetMeta {
    let plan = Plan::new(config);
    let ids = image_ids(config);
    let mut images: Vec<ImageRecord> = ids
        .par_iter()
        .enumerate()
        .map(|(index, &id)| plan.image(index, id))
        .collect();
    // Annotation ids follow image order from 1, as in COCO exports; VisDrone rows have none.
    if config.format != SynthFormat::VisDrone {
        for (annotation, id) in images
            .iter_mut()
            .flat_map(|i| &mut i.annotations)
            .zip(1_i64..)
        {
            annotation.id = Some(AnnotationId(id));
        }
    }
    DatasetMeta {
        categories: categories(config.format),
        images,
        attribute_schema: Vec::new(),
        source: source_info(config),
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

/// [`write_dataset_with_progress`] on the local filesystem, without progress reporting.
pub fn write_dataset(config: &SynthConfig, dir: &Path) -> Result<SynthSummary, SynthError> {
    write_dataset_with_progress(Files::local(), config, dir, &|| {})
}

/// [`write_dataset_with_progress`] into any storage (a test's in-memory one), without progress
/// reporting.
pub fn write_dataset_to(
    files: Files<'_>,
    config: &SynthConfig,
    dir: &Path,
) -> Result<SynthSummary, SynthError> {
    write_dataset_with_progress(files, config, dir, &|| {})
}

/// Generates the dataset and writes it into `dir` (created if needed): the annotation files of
/// `config.format` and, unless `annotations_only`, one JPEG per image in `dir/images/`, encoded in
/// parallel; `on_image` is called once per JPEG written (from worker threads).
pub fn write_dataset_with_progress(
    files: Files<'_>,
    config: &SynthConfig,
    dir: &Path,
    on_image: &(dyn Fn() + Sync),
) -> Result<SynthSummary, SynthError> {
    if !(1..=100).contains(&config.jpeg_quality) {
        return Err(SynthError::Config(format!(
            "JPEG quality {} is outside 1..=100",
            config.jpeg_quality
        )));
    }
    if config.min_size.0 == 0
        || config.min_size.1 == 0
        || config.min_size.0 > config.max_size.0
        || config.min_size.1 > config.max_size.1
    {
        return Err(SynthError::Config(format!(
            "image sizes {:?}..{:?} are empty",
            config.min_size, config.max_size
        )));
    }
    files.create_dir_all(dir).map_err(io_error(dir))?;
    let meta = generate(config);
    let mut summary = SynthSummary {
        images: meta.images.len() as u64,
        annotations: meta.annotation_count() as u64,
        ..SynthSummary::default()
    };
    for annotation in meta.images.iter().flat_map(|i| &i.annotations) {
        summary.crowd += u64::from(annotation.iscrowd);
        summary.polygons += u64::from(matches!(
            annotation.segmentation,
            Some(Segmentation::Polygons(ref parts)) if !parts.is_empty()
        ));
    }
    summary.annotation_bytes = match config.format {
        SynthFormat::Coco => {
            let mut report = ConversionReport::new(None, AnnotationFormat::Coco);
            codecs::write(
                files,
                AnnotationFormat::Coco,
                &meta,
                dir,
                &WriteOptions::default(),
                &mut report,
            )?;
            file_size(files, &dir.join("annotation.json"))
        }
        SynthFormat::Yolo => {
            let mut report = ConversionReport::new(None, AnnotationFormat::Yolo);
            // Detection labels, as most YOLO datasets are; crowd regions become ordinary boxes so
            // that every generated object is in the labels.
            let options = WriteOptions {
                yolo_task: Some(YoloTask::Detect),
                crowd: CrowdPolicy::Box,
                ..WriteOptions::default()
            };
            codecs::write(
                files,
                AnnotationFormat::Yolo,
                &meta,
                dir,
                &options,
                &mut report,
            )?;
            directory_size(files, &dir.join("labels"))
        }
        SynthFormat::VisDrone => write_visdrone(files, &meta, dir)?,
    };
    if !config.annotations_only {
        summary.image_bytes = write_images(files, config, &meta, dir, on_image)?;
    }
    Ok(summary)
}

fn file_size(files: Files<'_>, path: &Path) -> u64 {
    files.metadata(path).map_or(0, |m| m.size)
}

/// Bytes of the files directly in `path`.
fn directory_size(files: Files<'_>, path: &Path) -> u64 {
    files
        .list(path)
        .map_or(0, |entries| entries.iter().map(|e| e.size).sum())
}

fn file_stem(file_name: &str) -> &str {
    file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem)
}

/// `annotations/<stem>.txt`, one `x,y,w,h,score,category,truncation,occlusion` row per object
/// (the codecs read VisDrone but do not write it). Returns the bytes written.
fn write_visdrone(files: Files<'_>, meta: &DatasetMeta, dir: &Path) -> Result<u64, SynthError> {
    let annotations_dir = dir.join("annotations");
    files
        .create_dir_all(&annotations_dir)
        .map_err(io_error(&annotations_dir))?;
    meta.images
        .par_iter()
        .map(|image| {
            let mut text = String::with_capacity(image.annotations.len() * 32);
            for annotation in &image.annotations {
                let (Some(bbox), Some(category)) = (annotation.bbox, annotation.category_id) else {
                    continue;
                };
                let field = |key: &str| {
                    annotation
                        .extra
                        .get(key)
                        .and_then(Value::as_i64)
                        .unwrap_or(0)
                };
                // Writing into a String cannot fail.
                let _ = writeln!(
                    text,
                    "{},{},{},{},{},{},{},{}",
                    bbox.x as i64,
                    bbox.y as i64,
                    bbox.w as i64,
                    bbox.h as i64,
                    field("score"),
                    category.0,
                    field("truncation"),
                    field("occlusion"),
                );
            }
            let path = annotations_dir.join(format!("{}.txt", file_stem(&image.file_name)));
            files
                .write(&path, text.as_bytes())
                .map_err(io_error(&path))?;
            Ok(text.len() as u64)
        })
        .sum()
}

fn write_images(
    files: Files<'_>,
    config: &SynthConfig,
    meta: &DatasetMeta,
    dir: &Path,
    on_image: &(dyn Fn() + Sync),
) -> Result<u64, SynthError> {
    let images_dir = dir.join("images");
    files
        .create_dir_all(&images_dir)
        .map_err(io_error(&images_dir))?;
    meta.images
        .par_iter()
        .enumerate()
        .map(|(index, image)| {
            let pixels = draw(config.seed, index as u64, image);
            let path = images_dir.join(&image.file_name);
            let mut jpeg = Vec::new();
            JpegEncoder::new_with_quality(&mut jpeg, config.jpeg_quality)
                .encode(
                    pixels.as_raw(),
                    image.width,
                    image.height,
                    ExtendedColorType::Rgb8,
                )
                .map_err(|source| SynthError::Image {
                    path: path.clone(),
                    source,
                })?;
            files.write(&path, &jpeg).map_err(io_error(&path))?;
            on_image();
            Ok(jpeg.len() as u64)
        })
        .sum()
}

// ---------------------------------------------------------------------------------------------
// Drawing: cheap, but enough structure that thumbnails and overlays look like something and the
// JPEGs have photo-like sizes (gradient + sensor noise + clutter + the objects themselves).

fn category_colour(category: i64) -> [u8; 3] {
    [
        ((category * 97 + 40) % 256) as u8,
        ((category * 57 + 90) % 256) as u8,
        ((category * 31 + 150) % 256) as u8,
    ]
}

/// The picture of one image, a function of `(seed, index)` and its annotations.
#[must_use]
pub fn draw(seed: u64, index: u64, image: &ImageRecord) -> RgbImage {
    let mut rng = rng_for(seed, index, SALT_PIXELS);
    let (width, height) = (image.width, image.height);
    let c0: [f32; 3] = std::array::from_fn(|_| f32::from(rng.random::<u8>()));
    let c1: [f32; 3] = std::array::from_fn(|_| f32::from(rng.random::<u8>()));
    let mut canvas = RgbImage::new(width, height);
    let (wf, hf) = (width.max(2) as f32 - 1.0, height.max(2) as f32 - 1.0);
    for (y, row) in canvas.enumerate_rows_mut() {
        let ty = 0.6 * y as f32 / hf;
        for (x, _, pixel) in row {
            let t = ty + 0.4 * x as f32 / wf;
            // Two random bytes summed: a triangular, roughly normal noise of σ ≈ 5 grey levels,
            // one draw per pixel instead of Box–Muller's logarithms.
            let bits = rng.random::<u16>();
            let noise =
                (f32::from((bits & 0xff) as u8) + f32::from((bits >> 8) as u8) - 255.0) / 21.0;
            for channel in 0..3 {
                let value = c0[channel] * (1.0 - t) + c1[channel] * t + noise;
                pixel.0[channel] = value.clamp(0.0, 255.0) as u8;
            }
        }
    }
    for _ in 0..rng.random_range(2..8) {
        let colour = [rng.random(), rng.random(), rng.random()];
        let from = (
            uniform(&mut rng, 0.0, wf as f64),
            uniform(&mut rng, 0.0, hf as f64),
        );
        let to = (
            uniform(&mut rng, 0.0, wf as f64),
            uniform(&mut rng, 0.0, hf as f64),
        );
        let thickness = rng.random_range(1..6);
        draw_line(&mut canvas, from, to, thickness, colour);
    }
    for annotation in &image.annotations {
        let colour = category_colour(annotation.category_id.map_or(0, |c| c.0));
        match &annotation.segmentation {
            Some(Segmentation::Polygons(parts)) if !parts.is_empty() => {
                for part in parts {
                    fill_polygon(&mut canvas, part, colour);
                }
            }
            Some(Segmentation::Rle(rle)) => fill_rle(&mut canvas, rle, colour),
            _ => {
                if let Some(bbox) = annotation.bbox {
                    outline_box(&mut canvas, bbox, 3, colour);
                }
            }
        }
    }
    canvas
}

fn put(canvas: &mut RgbImage, x: i64, y: i64, colour: [u8; 3]) {
    if x >= 0 && y >= 0 && x < i64::from(canvas.width()) && y < i64::from(canvas.height()) {
        canvas.put_pixel(x as u32, y as u32, image::Rgb(colour));
    }
}

fn draw_line(
    canvas: &mut RgbImage,
    from: (f64, f64),
    to: (f64, f64),
    thickness: i64,
    colour: [u8; 3],
) {
    let steps = (to.0 - from.0)
        .abs()
        .max((to.1 - from.1).abs())
        .ceil()
        .max(1.0) as i64;
    for step in 0..=steps {
        let t = step as f64 / steps as f64;
        let x = (from.0 + (to.0 - from.0) * t) as i64;
        let y = (from.1 + (to.1 - from.1) * t) as i64;
        for d in 0..thickness {
            put(canvas, x, y + d, colour);
        }
    }
}

/// Even–odd scanline fill at pixel centres (the rule COCO's rasteriser approximates).
fn fill_polygon(canvas: &mut RgbImage, xy: &[f64], colour: [u8; 3]) {
    let points: Vec<(f64, f64)> = xy.chunks_exact(2).map(|p| (p[0], p[1])).collect();
    if points.len() < 3 {
        return;
    }
    let y_min = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let y_max = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let last_row = i64::from(canvas.height()) - 1;
    let mut crossings: Vec<f64> = Vec::with_capacity(8);
    for row in (y_min.floor().max(0.0) as i64)..=(y_max.ceil() as i64).min(last_row) {
        let yc = row as f64 + 0.5;
        crossings.clear();
        for (i, &(x1, y1)) in points.iter().enumerate() {
            let (x2, y2) = points[(i + 1) % points.len()];
            if (y1 <= yc) != (y2 <= yc) {
                crossings.push(x1 + (yc - y1) * (x2 - x1) / (y2 - y1));
            }
        }
        crossings.sort_by(f64::total_cmp);
        for pair in crossings.chunks_exact(2) {
            let start = (pair[0] - 0.5).ceil() as i64;
            let end = (pair[1] - 0.5).floor() as i64;
            for x in start..=end {
                put(canvas, x, row, colour);
            }
        }
    }
}

fn fill_rle(canvas: &mut RgbImage, rle: &Rle, colour: [u8; 3]) {
    let Ok(runs) = rle.runs() else { return };
    let height = u64::from(rle.height);
    let mut position = 0_u64;
    for (index, &run) in runs.iter().enumerate() {
        if index % 2 == 1 {
            for p in position..position + u64::from(run) {
                put(canvas, (p / height) as i64, (p % height) as i64, colour);
            }
        }
        position += u64::from(run);
    }
}

fn outline_box(canvas: &mut RgbImage, bbox: BBox, thickness: i64, colour: [u8; 3]) {
    let (x1, y1) = (bbox.x as i64, bbox.y as i64);
    let (x2, y2) = (bbox.x2() as i64, bbox.y2() as i64);
    for d in 0..thickness {
        for x in x1..=x2 {
            put(canvas, x, y1 + d, colour);
            put(canvas, x, y2 - d, colour);
        }
        for y in y1..=y2 {
            put(canvas, x1 + d, y, colour);
            put(canvas, x2 - d, y, colour);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::rle;

    fn config(images: usize, seed: u64) -> SynthConfig {
        SynthConfig {
            images,
            seed,
            annotations_only: true,
            ..SynthConfig::default()
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_dataset_and_another_seed_another() {
        let a = generate(&config(300, 7));
        let b = generate(&config(300, 7));
        let c = generate(&config(300, 8));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn the_result_does_not_depend_on_the_thread_count() {
        let single = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("generated data is well-formed")
            .install(|| generate(&config(200, 3)));
        assert_eq!(single, generate(&config(200, 3)));
    }

    #[test]
    fn statistics_are_coco_like() {
        let meta = generate(&config(20_000, 1));
        let images = meta.images.len() as f64;
        let annotations = meta.annotation_count() as f64;
        let per_image = annotations / images;
        assert!((7.0..7.6).contains(&per_image), "{per_image} boxes/image");

        let empty = meta
            .images
            .iter()
            .filter(|i| i.annotations.is_empty())
            .count() as f64;
        assert!(
            (0.01..0.06).contains(&(empty / images)),
            "{empty} empty images"
        );

        let all = || meta.images.iter().flat_map(|i| &i.annotations);
        let crowd = all().filter(|a| a.iscrowd).count() as f64 / annotations;
        assert!((0.008..0.012).contains(&crowd), "crowd fraction {crowd}");
        let polygons = all()
            .filter(|a| matches!(&a.segmentation, Some(Segmentation::Polygons(p)) if !p.is_empty()))
            .count() as f64
            / annotations;
        assert!(
            (0.92..0.96).contains(&polygons),
            "polygon fraction {polygons}"
        );

        let histogram = meta.class_histogram();
        assert_eq!(histogram.len(), 80);
        assert!(histogram.values().all(|&n| n > 0), "every class is used");
        let mut counts: Vec<u64> = histogram.values().copied().collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let person = histogram[&CategoryId(1)] as f64 / annotations;
        assert!((0.28..0.32).contains(&person), "person share {person}");
        // Long tail: the second class is two orders of magnitude above the last.
        assert!(counts[1] > 50 * counts[79], "{counts:?}");

        let ids: Vec<i64> = meta.images.iter().map(|i| i.id.0).collect();
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "ids ascending and unique"
        );
        assert!(
            *ids.last().unwrap_or(&0) > 2 * ids.len() as i64,
            "ids are sparse"
        );
        let sizes = |f: fn(&ImageRecord) -> u32| meta.images.iter().map(f).collect::<Vec<_>>();
        assert!(sizes(|i| i.width).iter().all(|w| (640..=1920).contains(w)));
        assert!(sizes(|i| i.height).iter().all(|h| (480..=1080).contains(h)));
    }

    #[test]
    fn the_categories_are_cocos_with_their_gaps() {
        let meta = generate(&config(1, 0));
        let ids: Vec<i64> = meta.categories.iter().map(|c| c.id.0).collect();
        assert_eq!(ids.len(), 80);
        assert_eq!(ids[0], 1);
        assert_eq!(ids[79], 90);
        for gap in [12, 26, 29, 30, 45, 66, 68, 69, 71, 83] {
            assert!(!ids.contains(&gap), "{gap} is one of COCO's unused ids");
        }
        let mut sorted = COCO_FREQUENCY_ORDER.to_vec();
        sorted.sort_unstable();
        let mut names: Vec<&str> = COCO_CATEGORIES.iter().map(|c| c.1).collect();
        names.sort_unstable();
        assert_eq!(
            sorted, names,
            "the frequency order names every category once"
        );
    }

    #[test]
    fn geometry_is_valid_and_consistent() {
        let meta = generate(&config(3000, 11));
        let mut next_id = 1;
        for image in &meta.images {
            assert_eq!(image.file_name, format!("{:012}.jpg", image.id.0));
            for annotation in &image.annotations {
                assert_eq!(annotation.id, Some(AnnotationId(next_id)));
                next_id += 1;
                let bbox = annotation.bbox.expect("generated data is well-formed");
                assert!(!bbox.is_degenerate(), "{bbox:?}");
                assert!(
                    !bbox.is_out_of_bounds(image.width, image.height),
                    "{bbox:?}"
                );
                let area = annotation.area.expect("generated data is well-formed");
                match &annotation.segmentation {
                    Some(Segmentation::Polygons(parts)) if !parts.is_empty() => {
                        assert!(!annotation.iscrowd);
                        for part in parts {
                            assert!(polygon::is_valid(part));
                            assert!((12..=80).contains(&part.len()));
                            for p in part.chunks_exact(2) {
                                assert!((0.0..=f64::from(image.width)).contains(&p[0]));
                                assert!((0.0..=f64::from(image.height)).contains(&p[1]));
                            }
                        }
                        let derived = polygon::bbox(parts).expect("generated data is well-formed");
                        for (a, b) in [
                            (bbox.x, derived.x),
                            (bbox.y, derived.y),
                            (bbox.w, derived.w),
                            (bbox.h, derived.h),
                        ] {
                            assert!((a - b).abs() < 1e-6, "{bbox:?} vs {derived:?}");
                        }
                        let exact: f64 = parts.iter().map(|p| polygon::area(p)).sum();
                        assert!((area - exact).abs() <= 0.005 + 1e-9, "{area} vs {exact}");
                        assert!(area > 0.0);
                    }
                    Some(Segmentation::Rle(mask)) => {
                        assert!(annotation.iscrowd);
                        assert!(matches!(mask.counts, RleCounts::Uncompressed(_)));
                        assert_eq!((mask.height, mask.width), (image.height, image.width));
                        let runs = mask.runs().expect("generated data is well-formed");
                        assert!(runs.iter().skip(1).all(|&r| r > 0), "canonical runs");
                        assert_eq!(mask.bbox().expect("generated data is well-formed"), bbox);
                        assert_eq!(
                            mask.area().expect("generated data is well-formed") as f64,
                            area
                        );
                        assert!(area > 0.0);
                    }
                    _ => {
                        assert!(!annotation.iscrowd);
                        assert!((area - bbox.area()).abs() < 0.01);
                    }
                }
            }
        }
    }

    #[test]
    fn ellipse_rle_agrees_with_a_pixelwise_mask() {
        let (width, height) = (40, 30);
        let rle = ellipse_rle(3, 0, 20, 30, width, height);
        let mask = rle.decode().expect("generated data is well-formed");
        let mut expected = vec![false; (width * height) as usize];
        for column in 3..23_u32 {
            let dx = (f64::from(column) + 0.5 - 13.0) / 10.0;
            if dx.abs() >= 1.0 {
                continue;
            }
            let half = 15.0 * (1.0 - dx * dx).sqrt();
            let r0 = (15.0 - half).round().max(0.0) as u32;
            let r1 = ((15.0 + half).round() as u32).min(height);
            for row in r0..r1 {
                expected[(column * height + row) as usize] = true;
            }
        }
        assert_eq!(mask, expected);
        assert_eq!(
            rle.runs().expect("generated data is well-formed"),
            rle::encode(&expected),
            "the same canonical runs as encoding the mask"
        );
    }

    #[test]
    fn visdrone_rows_follow_the_visdrone_rules() {
        let meta = generate(&SynthConfig {
            format: SynthFormat::VisDrone,
            ..config(2000, 5)
        });
        assert_eq!(meta.categories.len(), 12);
        let mut ignored = 0;
        for image in &meta.images {
            for annotation in &image.annotations {
                assert!(annotation.id.is_none());
                assert!(annotation.segmentation.is_none());
                let category = annotation
                    .category_id
                    .expect("generated data is well-formed")
                    .0;
                let score = annotation.extra["score"]
                    .as_i64()
                    .expect("generated data is well-formed");
                assert_eq!(score == 0, category == 0 || category == 11);
                ignored += usize::from(category == 0);
                assert!(
                    annotation.extra["truncation"]
                        .as_i64()
                        .expect("generated data is well-formed")
                        <= 1
                );
                assert!(
                    annotation.extra["occlusion"]
                        .as_i64()
                        .expect("generated data is well-formed")
                        <= 2
                );
                let bbox = annotation.bbox.expect("generated data is well-formed");
                assert_eq!(bbox.x, bbox.x.round());
                assert!(!bbox.is_out_of_bounds(image.width, image.height));
            }
        }
        assert!((400..800).contains(&ignored), "{ignored} ignored regions");
    }

    #[test]
    fn visdrone_and_images_are_written() {
        let dir = tempfile::tempdir().expect("generated data is well-formed");
        let config = SynthConfig {
            format: SynthFormat::VisDrone,
            annotations_only: false,
            images: 4,
            min_size: (64, 48),
            max_size: (128, 96),
            ..SynthConfig::default()
        };
        let written = std::sync::atomic::AtomicUsize::new(0);
        let summary = write_dataset_with_progress(Files::local(), &config, dir.path(), &|| {
            written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        })
        .expect("generated data is well-formed");
        assert_eq!(written.into_inner(), 4);
        assert_eq!(summary.images, 4);
        let meta = generate(&config);
        for image in &meta.images {
            let (w, h) = imagesize::size(dir.path().join("images").join(&image.file_name))
                .map(|s| (s.width, s.height))
                .expect("generated data is well-formed");
            assert_eq!((w as u32, h as u32), (image.width, image.height));
            let stem = file_stem(&image.file_name);
            let text =
                std::fs::read_to_string(dir.path().join("annotations").join(format!("{stem}.txt")))
                    .expect("generated data is well-formed");
            assert_eq!(text.lines().count(), image.annotations.len());
            for line in text.lines() {
                assert_eq!(line.split(',').count(), 8);
            }
        }
    }

    #[test]
    fn drawing_fills_the_objects_with_their_colour() {
        let mut image = ImageRecord::new(1, "a.jpg", 100, 80);
        image.annotations.push(Annotation::segmentation(
            CategoryId(3),
            Segmentation::Polygons(vec![vec![10.0, 10.0, 60.0, 10.0, 60.0, 50.0, 10.0, 50.0]]),
        ));
        let canvas = draw(0, 0, &image);
        assert_eq!(canvas.get_pixel(30, 30).0, category_colour(3));
        assert_eq!(canvas.dimensions(), (100, 80));
    }
}
