//! Placeholder until this codec lands.

use std::path::Path;

use super::{CodecError, Dataset, ReadOptions, WriteOptions};
use crate::format::AnnotationFormat;
use crate::model::DatasetMeta;
use crate::report::ConversionReport;

pub fn read(_path: &Path, _options: &ReadOptions) -> Result<Dataset, CodecError> {
    Err(CodecError::Unsupported {
        format: AnnotationFormat::VisDrone,
        reason: "not implemented yet".to_owned(),
    })
}

pub fn write(
    _meta: &DatasetMeta,
    _dir: &Path,
    _options: &WriteOptions,
    _report: &mut ConversionReport,
) -> Result<(), CodecError> {
    Err(CodecError::Unsupported {
        format: AnnotationFormat::VisDrone,
        reason: "not implemented yet".to_owned(),
    })
}
