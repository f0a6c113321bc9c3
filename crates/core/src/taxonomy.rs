//! The platform's vocabulary for datasets: what a dataset is for (task types), what its pixels
//! measure (modality), where it sits in the NAS (dataset type) and its split.
//!
//! Wire names are upper case (`DETECTION`, `TRAIN`), as in the API and the database; any case is
//! accepted when parsing.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            JsonSchema,
        )]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $wire)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire name (upper case).
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(text.trim()))
                    .ok_or_else(|| {
                        format!(
                            "unknown {} `{text}`; expected one of {}",
                            stringify!($name),
                            Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
                        )
                    })
            }
        }
    };
}

wire_enum!(
    /// What a dataset's annotations are for.
    TaskType {
        Detection = "DETECTION",
        Segmentation = "SEGMENTATION",
        AttrClassification = "ATTR_CLASSIFICATION",
        ZeroShot = "ZERO_SHOT",
        Classification = "CLASSIFICATION",
    }
);

wire_enum!(
    /// What the pixels measure.
    Modality {
        Rgb = "RGB",
        Thermal = "THERMAL",
        Depth = "DEPTH",
        Multispectral = "MULTISPECTRAL",
    }
);

wire_enum!(
    /// Where a dataset sits in the NAS: collected (raw), curated (source), or built by a pipeline
    /// from one source (processed) or several (fusion).
    DatasetType {
        Raw = "RAW",
        Source = "SOURCE",
        Processed = "PROCESSED",
        Fusion = "FUSION",
    }
);

wire_enum!(
    /// A dataset split.
    Split {
        Train = "TRAIN",
        Val = "VAL",
        Test = "TEST",
        None = "NONE",
    }
);

impl DatasetType {
    /// The NAS folder of this type (`raw`, `source`, …).
    #[must_use]
    pub const fn folder(self) -> &'static str {
        match self {
            Self::Raw => "raw",
            Self::Source => "source",
            Self::Processed => "processed",
            Self::Fusion => "fusion",
        }
    }
}

impl Split {
    /// The NAS folder of the split (`train`, …, `none`).
    #[must_use]
    pub const fn folder(self) -> &'static str {
        match self {
            Self::Train => "train",
            Self::Val => "val",
            Self::Test => "test",
            Self::None => "none",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_and_parse_in_any_case() {
        assert_eq!("detection".parse(), Ok(TaskType::Detection));
        assert_eq!(
            "Attr_Classification".parse(),
            Ok(TaskType::AttrClassification)
        );
        assert_eq!(Split::Val.folder(), "val");
        assert_eq!(
            serde_json::to_value(Modality::Multispectral).ok(),
            Some(serde_json::json!("MULTISPECTRAL"))
        );
        let error = "rgbd".parse::<Modality>().err().unwrap_or_default();
        assert!(error.contains("RGB, THERMAL"), "{error}");
    }
}
