//! Datamill's core: the format-independent annotation model, the codecs that read and write it,
//! the validator, conversion reports and pixel geometry (polygons, RLE, boxes).
//!
//! This crate knows nothing of HTTP or SQL; services and the CLI build on it. Its files are reached
//! through [`Files`] only: a `datamill-storage` client (the NAS, or the local filesystem for the
//! CLI), never `std::fs` directly.

pub mod codecs;
pub mod convert;
pub mod diagnostics;
pub mod eda;
pub mod files;
pub mod format;
pub mod geometry;
pub mod imageinfo;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod samples;
pub mod synth;
pub mod taxonomy;
pub mod tree;
pub mod validate;
pub mod version;

pub use diagnostics::{Diagnostics, Location, Problem, ProblemCode, Severity};
pub use files::Files;
pub use format::AnnotationFormat;
pub use model::{
    Annotation, AnnotationId, AnnotationType, AttributeDef, AttributeKind, AttributeScope,
    AttributeValue, Attributes, Category, CategoryId, DatasetMeta, ImageId, ImageOrigin,
    ImageRecord, SourceInfo,
};
pub use report::ConversionReport;
pub use taxonomy::{DatasetType, Modality, Split, TaskType};
pub use version::{InvalidVersion, Version};
