//! Dataset versions: `vMAJOR.MINOR.PATCH`, compared numerically (v1.0.10 > v1.0.9).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A dataset version `vMAJOR.MINOR.PATCH`, ordered numerically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    /// The first version of a split.
    pub const FIRST: Self = Self {
        major: 1,
        minor: 0,
        patch: 0,
    };

    /// The next patch version.
    #[must_use]
    pub const fn next_patch(self) -> Self {
        Self {
            patch: self.patch + 1,
            ..self
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Why a version string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{given:?} is not a version: expected vMAJOR.MINOR.PATCH such as v1.0.0")]
pub struct InvalidVersion {
    pub given: String,
}

impl FromStr for Version {
    type Err = InvalidVersion;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidVersion {
            given: s.to_owned(),
        };
        let rest = s.strip_prefix('v').ok_or_else(invalid)?;
        let mut parts = rest.split('.');
        let mut next = || -> Result<u32, InvalidVersion> {
            let part = parts.next().ok_or_else(invalid)?;
            // Leading zeros would make v1.01.0 and v1.1.0 the same version under two names.
            let canonical = !part.is_empty()
                && part.len() <= 9
                && part.bytes().all(|b| b.is_ascii_digit())
                && (part == "0" || !part.starts_with('0'));
            if !canonical {
                return Err(invalid());
            }
            part.parse().map_err(|_| invalid())
        };
        let version = Self {
            major: next()?,
            minor: next()?,
            patch: next()?,
        };
        if parts.next().is_some() {
            return Err(invalid());
        }
        Ok(version)
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Version {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(VERSION_PATTERN))
            .examples([serde_json::json!("v1.0.0")])
            .description(Some("A dataset version, vMAJOR.MINOR.PATCH"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Version {}

impl schemars::JsonSchema for Version {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Version".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": VERSION_PATTERN,
            "description": "A dataset version, vMAJOR.MINOR.PATCH",
            "examples": ["v1.0.0"]
        })
    }
}

/// The regular expression every version matches (no leading zeros, at most nine digits a part).
pub const VERSION_PATTERN: &str =
    r"^v(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$";
