//! What a pipeline did to the annotations: per-step counts, warnings, file renames and the
//! converters' conversion report. Deterministic (no times, no paths of the machine), so that it
//! can be written into the output and compared between runs.

use serde::{Deserialize, Serialize};

use crate::format::AnnotationFormat;
use crate::report::ConversionReport;

/// Images and annotations before and after one step.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PipelineStepSummary))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepSummary {
    /// JSON path of the step in the config.
    pub step: String,
    pub manipulator: String,
    pub images_in: u64,
    pub images_out: u64,
    pub annotations_in: u64,
    pub annotations_out: u64,
    pub categories_out: u64,
}

/// Something a step noticed that did not stop it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PipelineWarning))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepWarning {
    pub step: String,
    pub message: String,
}

/// One image given another file name, and why.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PipelineFileRename))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRename {
    /// The step that renamed it.
    pub step: String,
    /// The source's label (see [`SourceLabel`](super::SourceLabel)).
    pub source: String,
    pub from: String,
    pub to: String,
    pub reason: String,
}

/// The whole report.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineReport {
    pub steps: Vec<StepSummary>,
    pub warnings: Vec<StepWarning>,
    pub renames: Vec<FileRename>,
    /// Everything converters and the writer dropped, clamped or converted.
    pub conversion: ConversionReport,
}

impl PipelineReport {
    #[must_use]
    pub fn new(output_format: AnnotationFormat) -> Self {
        Self {
            steps: Vec::new(),
            warnings: Vec::new(),
            renames: Vec::new(),
            conversion: ConversionReport::new(None, output_format),
        }
    }

    pub fn warn(&mut self, step: &str, message: impl Into<String>) {
        self.warnings.push(StepWarning {
            step: step.to_owned(),
            message: message.into(),
        });
    }
}
