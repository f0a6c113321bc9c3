//! Market-1501: person attributes per identity, applied to the images through their file names.
//!
//! * Labels: `market_attribute.converted.json`, the lossless JSON transcription of
//!   `market_attribute.mat` (Datamill does not read MATLAB files). `train` and `test` each hold
//!   `attributes` (column names — in a different order per split, so columns are looked up by
//!   name) and `labels` (`{"0002": [v1, …, v27]}`, one row per identity, 1/2-coded; age 1..4).
//! * Images: every `PPPP_cCsS_FFFFFF_BB.jpg` under the directory (`bounding_box_train/`,
//!   `bounding_box_test/`, `query/`, …). The file name gives `person_id` (-1 = distractor,
//!   0 = junk), `camera`, `sequence`, `frame` and `bbox_index`; the top folder gives `subset`.
//!   The identity's labels become the image's attributes.
//!
//! The 17 clothing colours are independent booleans: the labels' README says exactly one upper and
//! one lower colour is "yes" per identity, but about one identity in ten has none or several, so
//! assuming one-hot would invent or lose labels. Such identities are counted in a note.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::{fill_unknown, first_file, probe_images, provenance};
use crate::codecs::{CodecError, Dataset, ReadOptions, none, relative_name};
use crate::diagnostics::{Diagnostics, Location, ProblemCode};
use crate::files::Files;
use crate::format::AnnotationFormat;
use crate::imageinfo;
use crate::model::{
    AttributeDef, AttributeKind, AttributeScope, AttributeValue, Attributes, DatasetMeta,
    ImageRecord, SourceInfo,
};

/// The label file's name.
pub const LABEL_FILE: &str = "market_attribute.converted.json";

/// How a labelled attribute is coded in the `.mat` file.
#[derive(Debug, Clone, Copy)]
enum Coding {
    /// 1 = no, 2 = yes.
    YesNo,
    /// 1 = first name, 2 = second, … .
    Named(&'static [&'static str]),
}

/// The 27 labelled attributes, in the order of the labels' README.
const LABELLED: [(&str, Coding, &str); 27] = [
    ("gender", Coding::Named(&["male", "female"]), "gender"),
    ("hair", Coding::Named(&["short", "long"]), "hair length"),
    (
        "up",
        Coding::Named(&["long_sleeve", "short_sleeve"]),
        "sleeve length",
    ),
    (
        "down",
        Coding::Named(&["long", "short"]),
        "length of lower-body clothing",
    ),
    (
        "clothes",
        Coding::Named(&["dress", "pants"]),
        "type of lower-body clothing",
    ),
    ("hat", Coding::YesNo, "wearing a hat"),
    ("backpack", Coding::YesNo, "carrying a backpack"),
    ("bag", Coding::YesNo, "carrying a bag"),
    ("handbag", Coding::YesNo, "carrying a handbag"),
    (
        "age",
        Coding::Named(&["young", "teenager", "adult", "old"]),
        "age group",
    ),
    ("upblack", Coding::YesNo, "upper-body clothing is black"),
    ("upwhite", Coding::YesNo, "upper-body clothing is white"),
    ("upred", Coding::YesNo, "upper-body clothing is red"),
    ("uppurple", Coding::YesNo, "upper-body clothing is purple"),
    ("upyellow", Coding::YesNo, "upper-body clothing is yellow"),
    ("upgray", Coding::YesNo, "upper-body clothing is gray"),
    ("upblue", Coding::YesNo, "upper-body clothing is blue"),
    ("upgreen", Coding::YesNo, "upper-body clothing is green"),
    ("downblack", Coding::YesNo, "lower-body clothing is black"),
    ("downwhite", Coding::YesNo, "lower-body clothing is white"),
    ("downpink", Coding::YesNo, "lower-body clothing is pink"),
    ("downpurple", Coding::YesNo, "lower-body clothing is purple"),
    ("downyellow", Coding::YesNo, "lower-body clothing is yellow"),
    ("downgray", Coding::YesNo, "lower-body clothing is gray"),
    ("downblue", Coding::YesNo, "lower-body clothing is blue"),
    ("downgreen", Coding::YesNo, "lower-body clothing is green"),
    ("downbrown", Coding::YesNo, "lower-body clothing is brown"),
];

/// Attributes read from the file name: (name, minimum, description).
const FROM_NAME: [(&str, f64, &str); 5] = [
    (
        "person_id",
        -1.0,
        "identity from the file name (-1 = distractor, 0 = junk)",
    ),
    ("camera", 1.0, "camera number from the file name (cC)"),
    ("sequence", 1.0, "video sequence from the file name (sS)"),
    ("frame", 0.0, "frame number from the file name"),
    ("bbox_index", 0.0, "detection box index within the frame"),
];

/// The attribute schema this importer produces.
#[must_use]
pub fn schema() -> Vec<AttributeDef> {
    let mut schema: Vec<AttributeDef> = FROM_NAME
        .iter()
        .map(|&(name, minimum, description)| AttributeDef {
            name: name.to_owned(),
            kind: AttributeKind::Number {
                minimum: Some(minimum),
                maximum: None,
                integer: true,
            },
            applies_to: AttributeScope::Image,
            description: Some(description.to_owned()),
            source_encoding: Some("file name PPPP_cCsS_FFFFFF_BB".to_owned()),
        })
        .collect();
    schema.push(AttributeDef {
        name: "subset".to_owned(),
        kind: AttributeKind::Text,
        applies_to: AttributeScope::Image,
        description: Some(
            "top folder of the image (bounding_box_train, bounding_box_test, query, …)".to_owned(),
        ),
        source_encoding: None,
    });
    for (name, coding, description) in LABELLED {
        let (kind, encoding) = match coding {
            Coding::YesNo => (AttributeKind::Bool, "1/2 (1 = no, 2 = yes)".to_owned()),
            Coding::Named(values) => (
                AttributeKind::Enum {
                    values: values.iter().map(|&v| v.to_owned()).collect(),
                },
                format!(
                    "{} ({})",
                    (1..=values.len())
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join("/"),
                    values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| format!("{} = {v}", i + 1))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        };
        schema.push(AttributeDef {
            name: name.to_owned(),
            kind,
            applies_to: AttributeScope::Image,
            description: Some(format!("{description} (per identity)")),
            source_encoding: Some(encoding),
        });
    }
    schema
}

/// What a Market-1501 file name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameParts {
    pub person_id: i64,
    pub camera: u32,
    pub sequence: u32,
    pub frame: u64,
    pub bbox_index: u32,
}

/// Parses `PPPP_cCsS_FFFFFF_BB.<ext>` (`-1_c1s1_…` for distractors).
#[must_use]
pub fn parse_name(file_name: &str) -> Option<NameParts> {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let mut parts = stem.split('_');
    let person_id = parts.next()?.parse::<i64>().ok()?;
    let camera_sequence = parts.next()?.strip_prefix('c')?;
    let (camera, sequence) = camera_sequence.split_once('s')?;
    let frame = parts.next()?;
    let bbox_index = parts.next()?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !all_digits(frame) || !all_digits(bbox_index) {
        return None;
    }
    Some(NameParts {
        person_id,
        camera: camera.parse().ok()?,
        sequence: sequence.parse().ok()?,
        frame: frame.parse().ok()?,
        bbox_index: bbox_index.parse().ok()?,
    })
}

/// Imports the images under `dir` with the labels of `labels` (default: `dir/`
/// [`LABEL_FILE`] or `dir/attribute/`[`LABEL_FILE`]; without a label file only the file-name
/// attributes are imported, with a warning).
pub fn import(
    dir: &Path,
    labels: Option<&Path>,
    options: &ReadOptions,
) -> Result<Dataset, CodecError> {
    if !dir.is_dir() {
        return Err(CodecError::NotFound {
            path: dir.to_owned(),
            format: AnnotationFormat::AttrJson,
            detail: "the path is not a directory of Market-1501 images".to_owned(),
        });
    }
    let mut diagnostics = Diagnostics::with_limit(options.problem_limit);
    let label_file = match labels {
        Some(path) if path.is_file() => Some(path.to_owned()),
        Some(path) => {
            return Err(CodecError::NotFound {
                path: path.to_owned(),
                format: AnnotationFormat::AttrJson,
                detail: format!("no Market-1501 label file ({LABEL_FILE})"),
            });
        }
        None => first_file([dir.join(LABEL_FILE), dir.join("attribute").join(LABEL_FILE)]),
    };
    let mut annotation_files = Vec::new();
    let identities = if let Some(path) = &label_file {
        // Outside the image directory, the file name alone keeps messages short and stable.
        let file = if path.starts_with(dir) {
            relative_name(path, dir)
        } else {
            path.file_name().map_or_else(
                || LABEL_FILE.to_owned(),
                |n| n.to_string_lossy().into_owned(),
            )
        };
        annotation_files.push(file.clone());
        read_labels(path, &file, &mut diagnostics)?
    } else {
        diagnostics.warning(
            ProblemCode::MissingFile,
            Location::file(LABEL_FILE),
            "no attribute labels; only the attributes in the file names are imported",
        );
        HashMap::new()
    };

    let mut images = Vec::new();
    let mut unlabelled = 0_usize;
    for path in none::walk_files(Files::local(), dir)? {
        if !imageinfo::is_image_path(&path) {
            continue;
        }
        let file_name = relative_name(&path, dir);
        let mut image = ImageRecord::new(images.len() as i64 + 1, file_name.clone(), 0, 0);
        let base = file_name.rsplit('/').next().unwrap_or(&file_name);
        if let Some((subset, _)) = file_name.split_once('/') {
            image
                .attributes
                .insert("subset".to_owned(), AttributeValue::Text(subset.to_owned()));
        }
        if let Some(parts) = parse_name(base) {
            for (name, value) in [
                ("person_id", parts.person_id as f64),
                ("camera", f64::from(parts.camera)),
                ("sequence", f64::from(parts.sequence)),
                ("frame", parts.frame as f64),
                ("bbox_index", f64::from(parts.bbox_index)),
            ] {
                image
                    .attributes
                    .insert(name.to_owned(), AttributeValue::Number(value));
            }
            match identities.get(&parts.person_id) {
                Some(labels) => image
                    .attributes
                    .extend(labels.iter().map(|(k, v)| (k.clone(), v.clone()))),
                // Distractors (-1) and junk (0) have no identity to label.
                None if parts.person_id > 0 && label_file.is_some() => unlabelled += 1,
                None => {}
            }
        } else {
            diagnostics.warning(
                ProblemCode::Unparsable,
                Location::file(file_name),
                "not a Market-1501 name (PPPP_cCsS_FFFFFF_BB.jpg); imported without attributes",
            );
        }
        images.push(image);
    }
    if unlabelled > 0 {
        diagnostics.note(
            ProblemCode::MissingFile,
            Location::default(),
            format!(
                "{unlabelled} image(s) show identities the label file does not label; their \
                 attributes are unknown (null)"
            ),
        );
    }
    probe_images(
        &mut images,
        Some(dir),
        options.probe_image_sizes,
        &mut diagnostics,
    );
    let mut meta = DatasetMeta {
        categories: Vec::new(),
        images,
        attribute_schema: schema(),
        source: SourceInfo {
            format: None,
            extra: provenance("market1501"),
        },
    };
    fill_unknown(&mut meta);
    Ok(Dataset {
        meta,
        diagnostics,
        image_root: dir.to_owned(),
        annotation_files,
    })
}

/// Person id → labelled attributes, from both splits.
fn read_labels(
    path: &Path,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Result<HashMap<i64, Attributes>, CodecError> {
    let bytes = std::fs::read(path).map_err(|e| CodecError::read(path, e))?;
    let root: Value = serde_json::from_slice(&bytes).map_err(|error| CodecError::Syntax {
        path: path.to_owned(),
        line: error.line() as u64,
        column: error.column() as u64,
        message: error.to_string(),
    })?;
    let mut identities: HashMap<i64, Attributes> = HashMap::new();
    let mut not_one_colour = [0_usize; 2];
    for split in ["train", "test"] {
        let Some(part) = root.get(split) else {
            diagnostics.warning(
                ProblemCode::MissingFile,
                Location::json(file, format!("$.{split}")),
                format!("no `{split}` labels"),
            );
            continue;
        };
        let columns: Vec<&str> = part
            .get("attributes")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        // Columns by name: the train and test structs order their fields differently.
        let mut wanted = Vec::with_capacity(LABELLED.len());
        for (name, coding, _) in LABELLED {
            match columns.iter().position(|c| *c == name) {
                Some(column) => wanted.push((name, coding, column)),
                None => diagnostics.error(
                    ProblemCode::InconsistentMetadata,
                    Location::json(file, format!("$.{split}.attributes")),
                    format!("no `{name}` column; it stays unknown for {split} identities"),
                ),
            }
        }
        let Some(labels) = part.get("labels").and_then(Value::as_object) else {
            diagnostics.error(
                ProblemCode::InconsistentMetadata,
                Location::json(file, format!("$.{split}.labels")),
                "expected an object of identity → values",
            );
            continue;
        };
        for (identity, row) in labels {
            let at = format!("$.{split}.labels[\"{identity}\"]");
            let (Ok(person), Some(row)) = (identity.parse::<i64>(), row.as_array()) else {
                diagnostics.error(
                    ProblemCode::Unparsable,
                    Location::json(file, at),
                    "expected a numeric identity with a list of values; left out",
                );
                continue;
            };
            if row.len() != columns.len() {
                diagnostics.error(
                    ProblemCode::Unparsable,
                    Location::json(file, at),
                    format!(
                        "{} values for {} attributes; identity left out",
                        row.len(),
                        columns.len()
                    ),
                );
                continue;
            }
            let mut attributes = Attributes::new();
            for &(name, coding, column) in &wanted {
                let code = row[column].as_u64();
                let value = match (coding, code) {
                    (Coding::YesNo, Some(1)) => Some(AttributeValue::Bool(false)),
                    (Coding::YesNo, Some(2)) => Some(AttributeValue::Bool(true)),
                    (Coding::Named(values), Some(code)) => usize::try_from(code)
                        .ok()
                        .and_then(|c| c.checked_sub(1))
                        .and_then(|i| values.get(i))
                        .map(|v| AttributeValue::Text((*v).to_owned())),
                    _ => None,
                };
                let value = value.unwrap_or_else(|| {
                    diagnostics.error(
                        ProblemCode::InvalidValue,
                        Location::json(file, format!("{at}[{column}]")),
                        format!(
                            "{name} is {}, outside its coding; read as unknown",
                            row[column]
                        ),
                    );
                    AttributeValue::Unknown
                });
                attributes.insert(name.to_owned(), value);
            }
            for (index, prefix) in ["up", "down"].iter().enumerate() {
                let yes = attributes
                    .iter()
                    .filter(|(name, value)| {
                        name.starts_with(prefix)
                            && name.len() > prefix.len()
                            && **value == AttributeValue::Bool(true)
                    })
                    .count();
                if yes != 1 {
                    not_one_colour[index] += 1;
                }
            }
            if identities.insert(person, attributes).is_some() {
                diagnostics.warning(
                    ProblemCode::DuplicateId,
                    Location::json(file, at),
                    format!("identity {identity} is labelled in more than one split; the {split} labels are kept"),
                );
            }
        }
    }
    if not_one_colour.iter().any(|&n| n > 0) {
        diagnostics.note(
            ProblemCode::InconsistentMetadata,
            Location::file(file),
            format!(
                "{} identities have not exactly one upper-body colour and {} not exactly one \
                 lower-body colour (the README says one each); colours are kept as independent \
                 booleans",
                not_one_colour[0], not_one_colour[1]
            ),
        );
    }
    Ok(identities)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_market_file_names() {
        assert_eq!(
            parse_name("0002_c1s3_000151_00.jpg"),
            Some(NameParts {
                person_id: 2,
                camera: 1,
                sequence: 3,
                frame: 151,
                bbox_index: 0
            })
        );
        assert_eq!(
            parse_name("-1_c6s4_002260_03.jpg").map(|p| p.person_id),
            Some(-1)
        );
        assert_eq!(parse_name("Thumbs.jpg"), None);
        assert_eq!(parse_name("0002_c1s3_000151_00_x.jpg"), None);
    }

    #[test]
    fn the_schema_declares_unique_names() {
        let schema = schema();
        let mut names: Vec<_> = schema.iter().map(|d| d.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), schema.len());
        assert_eq!(schema.len(), 33);
    }
}
