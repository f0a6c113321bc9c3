//! CelebA: `Anno/list_attr_celeba.txt` and its companions.
//!
//! * `list_attr_celeba.txt` — line 1 the image count (trusted only for a warning: excerpts keep
//!   the full set's 202599), line 2 the attribute names (trailing space), then
//!   `<file> v1 … vN` with `v ∈ {-1, 1}`, columns padded with variable spaces. Each name becomes a
//!   boolean image attribute with `source_encoding` `-1/1`.
//! * `list_bbox_celeba.txt` (optional) — count, header `image_id x_1 y_1 width height`, rows: one
//!   `BBOX` of the single category `face` per row.
//! * `list_eval_partition.txt` (optional) — `<file> 0|1|2`: the enum attribute `partition`
//!   (train/val/test).
//! * `identity_CelebA.txt` (optional) — `<file> <id>`: the whole-number attribute `identity`.
//!
//! Files are looked up in `Anno/`, `Eval/` and the directory itself; images in `Img/img_celeba/`,
//! `Img/img_align_celeba/`, `img_align_celeba/`, `images/` or `Img/`. Images listed in any file
//! are imported; an attribute a file does not give for an image is `null` (not labelled). Bad rows
//! are reported with file and line and left out.

use std::collections::HashMap;
use std::path::Path;

use super::{fill_unknown, first_file, probe_images, provenance, read_text};
use crate::codecs::{CodecError, Dataset, ReadOptions, relative_name};
use crate::diagnostics::{Diagnostics, Location, ProblemCode};
use crate::format::AnnotationFormat;
use crate::geometry::BBox;
use crate::model::{
    Annotation, AnnotationId, AttributeDef, AttributeKind, AttributeScope, AttributeValue,
    Category, CategoryId, DatasetMeta, ImageRecord, SourceInfo,
};

/// The attribute list's file name.
pub const ATTR_FILE: &str = "list_attr_celeba.txt";
const BBOX_FILE: &str = "list_bbox_celeba.txt";
const PARTITION_FILE: &str = "list_eval_partition.txt";
const IDENTITY_FILE: &str = "identity_CelebA.txt";
const LANDMARKS_FILE: &str = "list_landmarks_celeba.txt";
/// The category of the face boxes.
pub const FACE_CATEGORY: i64 = 1;
const PARTITIONS: [&str; 3] = ["train", "val", "test"];

/// Imports a CelebA directory (or the path of a `list_attr_celeba.txt`-style file itself).
pub fn import(path: &Path, options: &ReadOptions) -> Result<Dataset, CodecError> {
    let (attr_file, base) = if path.is_file() {
        (
            path.to_owned(),
            path.parent().unwrap_or(Path::new(".")).to_owned(),
        )
    } else {
        let found = first_file([path.join("Anno").join(ATTR_FILE), path.join(ATTR_FILE)]);
        let Some(found) = found else {
            return Err(CodecError::NotFound {
                path: path.to_owned(),
                format: AnnotationFormat::AttrJson,
                detail: format!("no CelebA Anno/{ATTR_FILE}"),
            });
        };
        (found, path.to_owned())
    };
    let companion = |name: &str| {
        first_file([
            base.join("Anno").join(name),
            base.join("Eval").join(name),
            base.join(name),
        ])
    };
    let mut importer = Importer {
        base: &base,
        diagnostics: Diagnostics::with_limit(options.problem_limit),
        images: Vec::new(),
        by_name: HashMap::new(),
        schema: Vec::new(),
        files: Vec::new(),
        annotation_count: 0,
    };
    importer.attributes(&attr_file)?;
    let mut categories = Vec::new();
    if let Some(file) = companion(BBOX_FILE) {
        importer.boxes(&file)?;
        categories.push(Category::new(FACE_CATEGORY, "face"));
    }
    if let Some(file) = companion(PARTITION_FILE) {
        importer.partition(&file)?;
    }
    if let Some(file) = companion(IDENTITY_FILE) {
        importer.identity(&file)?;
    }
    if let Some(file) = companion(LANDMARKS_FILE) {
        importer.diagnostics.note(
            ProblemCode::Unsupported,
            Location::file(relative_name(&file, &base)),
            "facial landmarks are not imported (the model has no keypoints)",
        );
    }
    let Importer {
        mut diagnostics,
        mut images,
        schema,
        files,
        ..
    } = importer;
    let image_root = [
        base.join("Img").join("img_celeba"),
        base.join("Img").join("img_align_celeba"),
        base.join("img_align_celeba"),
        base.join("images"),
        base.join("Img"),
    ]
    .into_iter()
    .find(|p| p.is_dir());
    probe_images(
        &mut images,
        image_root.as_deref(),
        options.probe_image_sizes,
        &mut diagnostics,
    );
    let mut meta = DatasetMeta {
        categories,
        images,
        attribute_schema: schema,
        source: SourceInfo {
            format: None,
            extra: provenance("celeba"),
        },
    };
    fill_unknown(&mut meta);
    Ok(Dataset {
        meta,
        diagnostics,
        image_root: image_root.unwrap_or(base),
        annotation_files: files,
    })
}

/// `(1-based line number, whitespace-separated fields)` of a label file's data lines.
type Rows = Vec<(u64, Vec<String>)>;

struct Importer<'a> {
    base: &'a Path,
    diagnostics: Diagnostics,
    images: Vec<ImageRecord>,
    by_name: HashMap<String, usize>,
    schema: Vec<AttributeDef>,
    files: Vec<String>,
    annotation_count: i64,
}

impl Importer<'_> {
    /// The image of a file name, added on first mention.
    fn image(&mut self, file: &str) -> &mut ImageRecord {
        let next = self.images.len();
        let index = *self.by_name.entry(file.to_owned()).or_insert(next);
        if index == next {
            self.images
                .push(ImageRecord::new(next as i64 + 1, file, 0, 0));
        }
        &mut self.images[index]
    }

    /// Reads a file, records it, and returns its name and `(line number, tokens)` of non-blank
    /// lines from `skip` on.
    fn rows(&mut self, path: &Path, skip: usize) -> Result<(String, String, Rows), CodecError> {
        let name = relative_name(path, self.base);
        self.files.push(name.clone());
        let text = read_text(path)?;
        let rows = text
            .lines()
            .enumerate()
            .skip(skip)
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(index, line)| {
                (
                    index as u64 + 1,
                    line.split_whitespace().map(str::to_owned).collect(),
                )
            })
            .collect();
        Ok((name, text, rows))
    }

    /// Checks line 1's count against the rows and warns when they disagree.
    fn check_count(&mut self, file: &str, text: &str, rows: usize) {
        let first = text.lines().next().unwrap_or("").trim();
        match first.parse::<usize>() {
            Ok(count) if count == rows => {}
            Ok(count) => self.diagnostics.warning(
                ProblemCode::InconsistentMetadata,
                Location::line(file, 1),
                format!("line 1 says {count} images, the file lists {rows}"),
            ),
            Err(_) => self.diagnostics.warning(
                ProblemCode::Unparsable,
                Location::line(file, 1),
                format!("expected the image count on line 1, found `{first}`"),
            ),
        }
    }

    fn attributes(&mut self, path: &Path) -> Result<(), CodecError> {
        let (file, text, rows) = self.rows(path, 2)?;
        let names: Vec<String> = text
            .lines()
            .nth(1)
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if names.is_empty() {
            return Err(CodecError::Invalid {
                location: Location::line(file, 2),
                message: "expected the attribute names on line 2".to_owned(),
            });
        }
        self.check_count(&file, &text, rows.len());
        for name in &names {
            self.schema.push(AttributeDef {
                name: name.clone(),
                kind: AttributeKind::Bool,
                applies_to: AttributeScope::Image,
                description: None,
                source_encoding: Some("-1/1".to_owned()),
            });
        }
        let mut seen: HashMap<String, u64> = HashMap::new();
        for (line, tokens) in rows {
            let location = Location::line(file.clone(), line);
            if tokens.len() != names.len() + 1 {
                self.diagnostics.error(
                    ProblemCode::Unparsable,
                    location,
                    format!(
                        "expected a file name and {} values, found {} fields; row left out",
                        names.len(),
                        tokens.len()
                    ),
                );
                continue;
            }
            if let Some(first) = seen.insert(tokens[0].clone(), line) {
                self.diagnostics.warning(
                    ProblemCode::DuplicateId,
                    location,
                    format!(
                        "{} is listed again (first on line {first}); row left out",
                        tokens[0]
                    ),
                );
                continue;
            }
            let mut values = Vec::with_capacity(names.len());
            for (name, token) in names.iter().zip(&tokens[1..]) {
                values.push(match token.as_str() {
                    "1" => AttributeValue::Bool(true),
                    "-1" => AttributeValue::Bool(false),
                    other => {
                        self.diagnostics.error(
                            ProblemCode::InvalidValue,
                            location.clone(),
                            format!("{name} is `{other}`, expected -1 or 1; read as unknown"),
                        );
                        AttributeValue::Unknown
                    }
                });
            }
            let image = self.image(&tokens[0]);
            for (name, value) in names.iter().zip(values) {
                image.attributes.insert(name.clone(), value);
            }
        }
        Ok(())
    }

    fn boxes(&mut self, path: &Path) -> Result<(), CodecError> {
        let (file, text, mut rows) = self.rows(path, 1)?;
        // The header row (`image_id x_1 y_1 width height`) is not a box.
        if rows
            .first()
            .is_some_and(|(_, tokens)| tokens.first().is_some_and(|t| t == "image_id"))
        {
            rows.remove(0);
        }
        self.check_count(&file, &text, rows.len());
        for (line, tokens) in rows {
            let numbers: Vec<f64> = tokens
                .iter()
                .skip(1)
                .filter_map(|t| t.parse::<f64>().ok())
                .collect();
            if tokens.len() != 5 || numbers.len() != 4 {
                self.diagnostics.error(
                    ProblemCode::Unparsable,
                    Location::line(file.clone(), line),
                    "expected `<file> x_1 y_1 width height`; row left out",
                );
                continue;
            }
            self.annotation_count += 1;
            let id = self.annotation_count;
            let mut annotation = Annotation::bbox(
                CategoryId(FACE_CATEGORY),
                BBox::new(numbers[0], numbers[1], numbers[2], numbers[3]),
            );
            annotation.id = Some(AnnotationId(id));
            self.image(&tokens[0]).annotations.push(annotation);
        }
        Ok(())
    }

    fn partition(&mut self, path: &Path) -> Result<(), CodecError> {
        self.schema.push(AttributeDef {
            name: "partition".to_owned(),
            kind: AttributeKind::Enum {
                values: PARTITIONS.iter().map(|&p| p.to_owned()).collect(),
            },
            applies_to: AttributeScope::Image,
            description: Some("CelebA evaluation partition (list_eval_partition.txt)".to_owned()),
            source_encoding: Some("0/1/2".to_owned()),
        });
        let (file, _, rows) = self.rows(path, 0)?;
        for (line, tokens) in rows {
            let partition = match tokens.as_slice() {
                [_, code] => code
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| PARTITIONS.get(i).copied()),
                _ => None,
            };
            let Some(partition) = partition else {
                self.diagnostics.error(
                    ProblemCode::Unparsable,
                    Location::line(file.clone(), line),
                    "expected `<file> 0|1|2`; row left out",
                );
                continue;
            };
            self.image(&tokens[0]).attributes.insert(
                "partition".to_owned(),
                AttributeValue::Text(partition.to_owned()),
            );
        }
        Ok(())
    }

    fn identity(&mut self, path: &Path) -> Result<(), CodecError> {
        self.schema.push(AttributeDef {
            name: "identity".to_owned(),
            kind: AttributeKind::Number {
                minimum: None,
                maximum: None,
                integer: true,
            },
            applies_to: AttributeScope::Image,
            description: Some("CelebA celebrity identity (identity_CelebA.txt)".to_owned()),
            source_encoding: None,
        });
        let (file, _, rows) = self.rows(path, 0)?;
        for (line, tokens) in rows {
            let identity = match tokens.as_slice() {
                [_, id] => id.parse::<i64>().ok(),
                _ => None,
            };
            let Some(identity) = identity else {
                self.diagnostics.error(
                    ProblemCode::Unparsable,
                    Location::line(file.clone(), line),
                    "expected `<file> <identity>`; row left out",
                );
                continue;
            };
            self.image(&tokens[0]).attributes.insert(
                "identity".to_owned(),
                AttributeValue::Number(identity as f64),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_rows_are_reported_with_file_and_line() {
        let dir = tempfile::tempdir().expect("test setup");
        std::fs::write(
            dir.path().join(ATTR_FILE),
            "3\nA B \na.jpg -1  1\nb.jpg 1\nc.jpg 0 1\n",
        )
        .expect("test setup");
        let options = ReadOptions {
            probe_image_sizes: false,
            ..ReadOptions::default()
        };
        let dataset = import(dir.path(), &options).expect("test setup");
        let problems: Vec<String> = dataset
            .diagnostics
            .problems
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(problems.iter().any(|p| {
            p.starts_with("error: list_attr_celeba.txt:4: expected a file name and 2 values")
        }));
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("error: list_attr_celeba.txt:5: A is `0`"))
        );
        assert_eq!(
            dataset
                .diagnostics
                .of(ProblemCode::InconsistentMetadata)
                .count(),
            0
        );
        let images = &dataset.meta.images;
        assert_eq!(images.len(), 2);
        assert_eq!(images[1].attributes["A"], AttributeValue::Unknown);
        assert_eq!(images[1].attributes["B"], AttributeValue::Bool(true));
    }
}
