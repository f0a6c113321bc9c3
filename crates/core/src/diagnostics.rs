//! Problems found while reading or validating a dataset, each with a severity and a location.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a problem is. Errors make a dataset unusable as it stands (the validator exits 1);
/// warnings are worth a look; notes are informational.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// Where a problem is: a file (relative to the dataset directory), and in it a line or a JSON
/// path.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// e.g. `$.annotations[12].bbox`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_path: Option<String>,
}

impl Location {
    #[must_use]
    pub fn file(file: impl Into<String>) -> Self {
        Self {
            file: Some(file.into()),
            ..Self::default()
        }
    }

    #[must_use]
    pub fn line(file: impl Into<String>, line: u64) -> Self {
        Self {
            file: Some(file.into()),
            line: Some(line),
            json_path: None,
        }
    }

    #[must_use]
    pub fn json(file: impl Into<String>, path: impl Into<String>) -> Self {
        Self {
            file: Some(file.into()),
            line: None,
            json_path: Some(path.into()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line, &self.json_path) {
            (Some(file), Some(line), Some(path)) => write!(f, "{file}:{line} {path}"),
            (Some(file), Some(line), None) => write!(f, "{file}:{line}"),
            (Some(file), None, Some(path)) => write!(f, "{file} {path}"),
            (Some(file), None, None) => f.write_str(file),
            (None, _, Some(path)) => f.write_str(path),
            (None, _, None) => f.write_str("(dataset)"),
        }
    }
}

/// A stable, machine-readable kind of problem.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// An annotation file or directory the layout needs is not there.
    MissingFile,
    /// An image named by the annotations is not on disk.
    MissingImage,
    /// An image on disk that no annotation record names (COCO) or without a label file (YOLO).
    UnannotatedImage,
    /// A label/annotation file whose image is missing.
    OrphanLabel,
    /// A file in the layout that is neither an image nor an annotation file.
    UnexpectedFile,
    /// A line or value that cannot be parsed.
    Unparsable,
    /// A field with a value of the wrong type or out of its domain.
    InvalidValue,
    /// A category id / class index that no category defines.
    UnknownCategory,
    /// An annotation that points to an image id that does not exist.
    UnknownImage,
    /// Two records with the same id (or file name).
    DuplicateId,
    /// A box with zero or negative width/height, or a non-finite number.
    DegenerateBox,
    /// A box (or polygon) reaching outside the image.
    OutOfBounds,
    /// A polygon with fewer than three points or an odd number of coordinates.
    InvalidPolygon,
    /// An RLE that does not decode to its stated size.
    InvalidRle,
    /// The image's size on disk (after EXIF orientation) differs from the annotation's.
    SizeMismatch,
    /// An image file whose header cannot be read.
    UnreadableImage,
    /// The format's own metadata (data.yaml, names file, schema) is inconsistent.
    InconsistentMetadata,
    /// The path holds something other than a dataset of the format (or nothing at all).
    NotADataset,
    /// Content the format allows but Datamill does not interpret (kept or skipped as stated).
    Unsupported,
}

/// One problem.
// Named `ValidationProblem` in the OpenAPI document: the HTTP edge's RFC 9457 `Problem` owns the
// bare name, and two schemas of one name made the validator's problems look like problem+json.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ValidationProblem))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub severity: Severity,
    pub code: ProblemCode,
    pub message: String,
    pub location: Location,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{severity}: {}: {}", self.location, self.message)
    }
}

/// Problems collected while reading, counted exactly but listed only up to a limit per code, so
/// that a COCO-train-sized dataset with one systematic fault does not produce a million lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostics {
    pub problems: Vec<Problem>,
    /// Exact number of problems per code and severity, listed or not.
    pub counts: BTreeMap<ProblemCode, SeverityCounts>,
    /// How many problems per code are listed at most.
    #[serde(skip)]
    limit_per_code: usize,
}

/// Counts per severity.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    pub error: u64,
    pub warning: u64,
    pub note: u64,
}

impl Default for Diagnostics {
    fn default() -> Self {
        Self::with_limit(Self::DEFAULT_LIMIT_PER_CODE)
    }
}

impl Diagnostics {
    pub const DEFAULT_LIMIT_PER_CODE: usize = 200;

    #[must_use]
    pub fn with_limit(limit_per_code: usize) -> Self {
        Self {
            problems: Vec::new(),
            counts: BTreeMap::new(),
            limit_per_code,
        }
    }

    pub fn push(
        &mut self,
        severity: Severity,
        code: ProblemCode,
        location: Location,
        message: impl Into<String>,
    ) {
        let counts = self.counts.entry(code).or_default();
        let listed = counts.error + counts.warning + counts.note;
        match severity {
            Severity::Error => counts.error += 1,
            Severity::Warning => counts.warning += 1,
            Severity::Note => counts.note += 1,
        }
        if listed < self.limit_per_code as u64 {
            self.problems.push(Problem {
                severity,
                code,
                message: message.into(),
                location,
            });
        }
    }

    pub fn error(&mut self, code: ProblemCode, location: Location, message: impl Into<String>) {
        self.push(Severity::Error, code, location, message);
    }

    pub fn warning(&mut self, code: ProblemCode, location: Location, message: impl Into<String>) {
        self.push(Severity::Warning, code, location, message);
    }

    pub fn note(&mut self, code: ProblemCode, location: Location, message: impl Into<String>) {
        self.push(Severity::Note, code, location, message);
    }

    /// Adds everything from another collection (e.g. one built on another thread).
    pub fn extend(&mut self, other: Diagnostics) {
        for (code, counts) in other.counts {
            let mine = self.counts.entry(code).or_default();
            let listed = (mine.error + mine.warning + mine.note) as usize;
            let room = self.limit_per_code.saturating_sub(listed);
            self.problems.extend(
                other
                    .problems
                    .iter()
                    .filter(|p| p.code == code)
                    .take(room)
                    .cloned(),
            );
            mine.error += counts.error;
            mine.warning += counts.warning;
            mine.note += counts.note;
        }
    }

    #[must_use]
    pub fn error_count(&self) -> u64 {
        self.counts.values().map(|c| c.error).sum()
    }

    #[must_use]
    pub fn warning_count(&self) -> u64 {
        self.counts.values().map(|c| c.warning).sum()
    }

    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Problems of one code that were listed.
    pub fn of(&self, code: ProblemCode) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(move |p| p.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_stay_exact_beyond_the_listing_limit() {
        let mut diagnostics = Diagnostics::with_limit(2);
        for line in 1..=5 {
            diagnostics.error(
                ProblemCode::Unparsable,
                Location::line("a.txt", line),
                "bad",
            );
        }
        assert_eq!(diagnostics.problems.len(), 2);
        assert_eq!(diagnostics.error_count(), 5);
    }
}
