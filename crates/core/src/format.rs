//! The annotation formats Datamill knows.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An annotation format, as stored on a dataset (`annotation_format`). On the wire the names are
/// upper case (`COCO`); on the command line any case is accepted (`coco`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AnnotationFormat {
    /// COCO instances JSON (`annotation.json`).
    Coco,
    /// Ultralytics YOLO (`labels/*.txt` + `data.yaml`).
    Yolo,
    /// COCO-shaped JSON with typed attributes (`annotation.json` with `attribute_schema`).
    AttrJson,
    /// `images/<class>/<file>` class folders.
    ClsFolder,
    /// VisDrone2019-DET `annotations/*.txt` (read and convert only).
    #[serde(rename = "VISDRONE")]
    VisDrone,
    /// Opaque files the platform registers but does not interpret.
    Custom,
    /// Images only.
    None,
}

impl AnnotationFormat {
    pub const ALL: [Self; 7] = [
        Self::Coco,
        Self::Yolo,
        Self::AttrJson,
        Self::ClsFolder,
        Self::VisDrone,
        Self::Custom,
        Self::None,
    ];

    /// The lower-case name used on the command line and in file names.
    #[must_use]
    pub const fn cli_name(self) -> &'static str {
        match self {
            Self::Coco => "coco",
            Self::Yolo => "yolo",
            Self::AttrJson => "attr_json",
            Self::ClsFolder => "cls_folder",
            Self::VisDrone => "visdrone",
            Self::Custom => "custom",
            Self::None => "none",
        }
    }

    /// The name people know the format by, for messages.
    #[must_use]
    pub const fn title(self) -> &'static str {
        match self {
            Self::Coco => "COCO",
            Self::Yolo => "YOLO",
            Self::AttrJson => "ATTR_JSON",
            Self::ClsFolder => "class-folder",
            Self::VisDrone => "VisDrone",
            Self::Custom => "custom",
            Self::None => "images-only",
        }
    }

    /// The title with its indefinite article ("a COCO", "an ATTR_JSON"), for sentences.
    #[must_use]
    pub const fn with_article(self) -> &'static str {
        match self {
            Self::Coco => "a COCO",
            Self::Yolo => "a YOLO",
            Self::AttrJson => "an ATTR_JSON",
            Self::ClsFolder => "a class-folder",
            Self::VisDrone => "a VisDrone",
            Self::Custom => "a custom",
            Self::None => "an images-only",
        }
    }

    /// Whether Datamill can write this format.
    #[must_use]
    pub const fn is_writable(self) -> bool {
        !matches!(self, Self::VisDrone | Self::Custom)
    }
}

impl fmt::Display for AnnotationFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cli_name())
    }
}

/// A format name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown annotation format `{given}`; expected one of: coco, yolo, attr_json, cls_folder, visdrone, custom, none"
)]
pub struct UnknownFormat {
    pub given: String,
}

impl FromStr for AnnotationFormat {
    type Err = UnknownFormat;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|format| format.cli_name() == wanted)
            .ok_or_else(|| UnknownFormat {
                given: text.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_any_case_and_serialise_upper_case() {
        assert_eq!("COCO".parse(), Ok(AnnotationFormat::Coco));
        assert_eq!("attr-json".parse(), Ok(AnnotationFormat::AttrJson));
        assert_eq!(
            serde_json::to_string(&AnnotationFormat::VisDrone)
                .ok()
                .as_deref(),
            Some("\"VISDRONE\"")
        );
        assert!("pascal".parse::<AnnotationFormat>().is_err());
    }
}
