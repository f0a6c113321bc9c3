//! The typed values the schema stores: enums (native PostgreSQL enums or checked text), the
//! version newtype, and the annotation-format mapping. They are also the wire types, so each
//! serialises exactly as the work order §7 spells it (`RAW`, `TRAIN`, `READY`, `v1.0.0`).

use std::str::FromStr;

use datamill_core::AnnotationFormat;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What stage of refinement a group's data is at; also the NAS top-level folder.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "dataset_type")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DatasetType {
    #[sea_orm(string_value = "RAW")]
    Raw,
    #[sea_orm(string_value = "SOURCE")]
    Source,
    #[sea_orm(string_value = "PROCESSED")]
    Processed,
    #[sea_orm(string_value = "FUSION")]
    Fusion,
}

/// A dataset split. Versions increase independently per (group, split).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "dataset_split")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Split {
    #[sea_orm(string_value = "TRAIN")]
    Train,
    #[sea_orm(string_value = "VAL")]
    Val,
    #[sea_orm(string_value = "TEST")]
    Test,
    #[sea_orm(string_value = "NONE")]
    None,
}

/// The life cycle of a dataset version. READY versions are immutable.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "dataset_status")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DatasetStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "PROCESSING")]
    Processing,
    #[sea_orm(string_value = "READY")]
    Ready,
    #[sea_orm(string_value = "ERROR")]
    Error,
}

/// What a manipulator does.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Enum",
    enum_name = "manipulator_category"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ManipulatorCategory {
    #[sea_orm(string_value = "FILTER")]
    Filter,
    #[sea_orm(string_value = "AUGMENT")]
    Augment,
    #[sea_orm(string_value = "FORMAT_CONVERT")]
    FormatConvert,
    #[sea_orm(string_value = "MERGE")]
    Merge,
    #[sea_orm(string_value = "SAMPLE")]
    Sample,
    #[sea_orm(string_value = "REMAP")]
    Remap,
}

/// Whether a manipulator may be used.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "manipulator_status")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ManipulatorStatus {
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "EXPERIMENTAL")]
    Experimental,
    #[sea_orm(string_value = "DEPRECATED")]
    Deprecated,
}

/// The state of a pipeline execution.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "execution_status")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "RUNNING")]
    Running,
    #[sea_orm(string_value = "DONE")]
    Done,
    #[sea_orm(string_value = "FAILED")]
    Failed,
    /// Stopped at an image boundary on request.
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

/// The kind of imagery (checked text column).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Modality {
    #[sea_orm(string_value = "RGB")]
    Rgb,
    #[sea_orm(string_value = "THERMAL")]
    Thermal,
    #[sea_orm(string_value = "DEPTH")]
    Depth,
    #[sea_orm(string_value = "MULTISPECTRAL")]
    Multispectral,
}

/// A task a dataset serves (stored in the `task_types` JSON array).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskType {
    Detection,
    Segmentation,
    AttrClassification,
    ZeroShot,
    Classification,
}

impl TaskType {
    pub const ALL: [Self; 5] = [
        Self::Detection,
        Self::Segmentation,
        Self::AttrClassification,
        Self::ZeroShot,
        Self::Classification,
    ];

    /// The wire name (`DETECTION`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Detection => "DETECTION",
            Self::Segmentation => "SEGMENTATION",
            Self::AttrClassification => "ATTR_CLASSIFICATION",
            Self::ZeroShot => "ZERO_SHOT",
            Self::Classification => "CLASSIFICATION",
        }
    }
}

impl FromStr for TaskType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown task type {s:?}, expected one of {}",
                    Self::ALL.map(Self::as_str).join(", ")
                )
            })
    }
}

/// Formats in the order of their bit in `dataset_group_summary.format_mask` (the SQL array in
/// the view's migration lists them in the same order).
pub const FORMAT_BITS: [AnnotationFormat; 7] = AnnotationFormat::ALL;

/// Task types in the order of their bit in `dataset_group_summary.task_mask`.
pub const TASK_BITS: [TaskType; 5] = TaskType::ALL;

/// The summary-view bit of `value` among `order` (0 when absent, which matches nothing).
#[must_use]
pub fn mask_bit<T: PartialEq>(order: &[T], value: &T) -> i32 {
    order
        .iter()
        .position(|v| v == value)
        .map_or(0, |position| 1 << position)
}

/// The stored (upper-case) name of a format, as in `annotation_format` columns.
#[must_use]
pub fn format_name(format: AnnotationFormat) -> &'static str {
    match format {
        AnnotationFormat::Coco => "COCO",
        AnnotationFormat::Yolo => "YOLO",
        AnnotationFormat::AttrJson => "ATTR_JSON",
        AnnotationFormat::ClsFolder => "CLS_FOLDER",
        AnnotationFormat::VisDrone => "VISDRONE",
        AnnotationFormat::Custom => "CUSTOM",
        AnnotationFormat::None => "NONE",
    }
}

/// The format of a stored name; the schema's CHECK constraint guarantees one of the known names.
#[must_use]
pub fn parse_format(name: &str) -> Option<AnnotationFormat> {
    name.parse().ok()
}

pub use datamill_core::version::{InvalidVersion, Version};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_strictly_and_order_numerically() {
        let v: Version = "v1.0.10".parse().unwrap();
        assert!(v > "v1.0.9".parse().unwrap());
        assert_eq!(v.to_string(), "v1.0.10");
        assert_eq!(v.next_patch().to_string(), "v1.0.11");
        for bad in [
            "1.0.0",
            "v1.0",
            "v1.0.0.0",
            "v01.0.0",
            "v1..0",
            "v1.0.x",
            "v-1.0.0",
            "v1234567890.0.0",
            "",
        ] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
    }

    #[test]
    fn wire_names_are_upper_case() {
        assert_eq!(serde_json::to_string(&Split::Train).unwrap(), "\"TRAIN\"");
        assert_eq!(
            serde_json::to_string(&TaskType::AttrClassification).unwrap(),
            "\"ATTR_CLASSIFICATION\""
        );
        assert_eq!(
            serde_json::to_string(&DatasetType::Fusion).unwrap(),
            "\"FUSION\""
        );
        for format in AnnotationFormat::ALL {
            assert_eq!(parse_format(format_name(format)), Some(format));
            assert_eq!(serde_json::to_value(format).unwrap(), format_name(format));
        }
    }
}

/// The database's enums and the core's vocabulary are the same sets of names: conversions both
/// ways, so that services hand the engine core types and store database ones.
macro_rules! same_as_core {
    ($name:ident { $($variant:ident),+ $(,)? }) => {
        impl From<$name> for datamill_core::taxonomy::$name {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => Self::$variant),+
                }
            }
        }

        impl From<datamill_core::taxonomy::$name> for $name {
            fn from(value: datamill_core::taxonomy::$name) -> Self {
                match value {
                    $(datamill_core::taxonomy::$name::$variant => Self::$variant),+
                }
            }
        }
    };
}

same_as_core!(DatasetType {
    Raw,
    Source,
    Processed,
    Fusion
});
same_as_core!(Split {
    Train,
    Val,
    Test,
    None
});
same_as_core!(Modality {
    Rgb,
    Thermal,
    Depth,
    Multispectral
});
same_as_core!(TaskType {
    Detection,
    Segmentation,
    AttrClassification,
    ZeroShot,
    Classification
});
