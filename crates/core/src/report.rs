//! What a conversion did to the data: every drop, clamp, rename and re-index, with its reason.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::format::AnnotationFormat;

/// What happened to a piece of data.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ConversionAction))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Left out of the output.
    Dropped,
    /// Geometry cut to the image bounds.
    Clamped,
    /// Given another name (file name, class name).
    Renamed,
    /// Given another id or class index.
    Reindexed,
    /// Represented differently (e.g. a crowd RLE written as a box or a polygon).
    Converted,
    /// Kept, but the target format cannot say everything about it (e.g. attributes in YOLO).
    Lossy,
}

/// Why it happened. Stable snake_case names: tools and the GUI group by them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ConversionReason))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// `iscrowd = 1` with the `skip` crowd policy.
    CrowdSkipped,
    /// `iscrowd = 1` turned into a box or polygons.
    CrowdConverted,
    /// VisDrone `score = 0` rows: ignored regions (category 0) and, in practice, `others` (11).
    IgnoredRegion,
    /// Width or height ≤ 0 (or not finite) before or after clamping.
    DegenerateBox,
    /// Coordinates outside the image, cut to it.
    OutOfBounds,
    /// A category id / class index that the names do not define.
    UnknownCategory,
    /// Category ids mapped to 0-based class indices.
    ClassIndex,
    /// A polygon with fewer than three points.
    InvalidPolygon,
    /// A mask the target cannot store (e.g. RLE in YOLO), written as polygons or a box.
    MaskConverted,
    /// An RLE that could not be decoded.
    InvalidRle,
    /// The image file is missing or unreadable.
    MissingImage,
    /// Attributes, labels or format-specific fields the target format has no place for.
    UnsupportedField,
    /// An annotation without a category.
    NoCategory,
    /// Two outputs would have the same file name.
    NameCollision,
    /// A class name that is empty or collides after cleaning.
    ClassName,
}

/// One event, with the thing it concerns.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionEvent {
    pub action: Action,
    pub reason: Reason,
    /// The image file the event concerns, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The annotation id (or line) it concerns, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
    pub detail: String,
}

/// A tally of one (action, reason) pair.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ConversionTally))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub action: Action,
    pub reason: Reason,
    pub count: u64,
}

/// Counts on both sides of a conversion.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ConversionCounts))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub images: u64,
    pub annotations: u64,
    pub categories: u64,
}

/// The typed result of a conversion; the CLI writes it as `conversion_report.json`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionReport {
    pub from: Option<AnnotationFormat>,
    pub to: AnnotationFormat,
    pub input: Counts,
    pub output: Counts,
    /// Exact counts per (action, reason), most frequent first.
    pub summary: Vec<Tally>,
    /// The events themselves, up to `events_limit` per (action, reason).
    pub events: Vec<ConversionEvent>,
    /// The class index → name list written (YOLO) or the category mapping used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class_names: Vec<String>,
    /// Options that shaped the result (crowd policy, image transfer mode, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    #[serde(skip)]
    tallies: BTreeMap<(Action, Reason), u64>,
    #[serde(skip)]
    events_limit: u64,
}

impl ConversionReport {
    pub const DEFAULT_EVENTS_LIMIT: u64 = 500;

    #[must_use]
    pub fn new(from: Option<AnnotationFormat>, to: AnnotationFormat) -> Self {
        Self {
            from,
            to,
            input: Counts::default(),
            output: Counts::default(),
            summary: Vec::new(),
            events: Vec::new(),
            class_names: Vec::new(),
            options: BTreeMap::new(),
            tallies: BTreeMap::new(),
            events_limit: Self::DEFAULT_EVENTS_LIMIT,
        }
    }

    /// Records an event; it is always counted, and listed while under the limit.
    pub fn record(&mut self, event: ConversionEvent) {
        let count = self
            .tallies
            .entry((event.action, event.reason))
            .or_default();
        *count += 1;
        if *count <= self.events_limit {
            self.events.push(event);
        }
        self.refresh_summary();
    }

    /// Shorthand for [`ConversionReport::record`].
    pub fn note(
        &mut self,
        action: Action,
        reason: Reason,
        image: Option<&str>,
        annotation: Option<String>,
        detail: impl Into<String>,
    ) {
        self.record(ConversionEvent {
            action,
            reason,
            image: image.map(str::to_owned),
            annotation,
            detail: detail.into(),
        });
    }

    /// Merges another report's events (e.g. from a parallel part of the same conversion).
    pub fn absorb(&mut self, other: ConversionReport) {
        for ((action, reason), count) in other.tallies {
            let mine = self.tallies.entry((action, reason)).or_default();
            let room = self.events_limit.saturating_sub(*mine);
            self.events.extend(
                other
                    .events
                    .iter()
                    .filter(|e| e.action == action && e.reason == reason)
                    .take(room as usize)
                    .cloned(),
            );
            *mine += count;
        }
        self.refresh_summary();
    }

    /// How many events of this kind happened.
    #[must_use]
    pub fn count(&self, action: Action, reason: Reason) -> u64 {
        self.tallies.get(&(action, reason)).copied().unwrap_or(0)
    }

    fn refresh_summary(&mut self) {
        let mut summary: Vec<Tally> = self
            .tallies
            .iter()
            .map(|(&(action, reason), &count)| Tally {
                action,
                reason,
                count,
            })
            .collect();
        summary.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.action.cmp(&b.action))
                .then(a.reason.cmp(&b.reason))
        });
        self.summary = summary;
    }
}
