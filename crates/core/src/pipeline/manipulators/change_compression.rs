//! `change_compression`: re-encodes every image as JPEG at a given quality.
//!
//! A non-JPEG source (PNG, BMP, …) becomes a `.jpg` and its file name in the annotations changes
//! with it; when that name is already taken, the old extension is kept in the stem
//! (`a.png` → `a_png.jpg`) and the rename is reported. JPEG holds 8 bits per sample, so 16-bit
//! sources (thermal PNG/TIFF) are refused before anything is written.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ALL_TASKS, IMAGE_FORMATS};
use crate::model::{DatasetMeta, ImageRecord};
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ImageContext, ImageManipulationSpec, ManipulatorError,
    ManipulatorInfo, ParamProblem, Scope, Status, TransformContext, UnitManipulator,
};
use crate::pipeline::report::FileRename;

#[derive(Debug, Clone, Copy, Default)]
pub struct ChangeCompression;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeCompressionParams {
    /// JPEG quality, 1 (smallest) to 100 (best), as libjpeg and Pillow count it.
    #[schemars(range(min = 1, max = 100))]
    pub quality: u8,
}

impl UnitManipulator for ChangeCompression {
    type Params = ChangeCompressionParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "change_compression",
        category: Category::Augment,
        scopes: &[Scope::PerSource],
        task_types: ALL_TASKS,
        formats: IMAGE_FORMATS,
        output_format: None,
        status: Status::Active,
        version: "1.0.0",
        description: "Re-encodes every image as JPEG at the given quality; other formats become .jpg files. Not for 16-bit images.",
        changes_pixels: true,
        needs_8bit_images: true,
    };

    fn check(&self, params: &Self::Params) -> Vec<ParamProblem> {
        if (1..=100).contains(&params.quality) {
            Vec::new()
        } else {
            vec![ParamProblem::new(
                "quality",
                format!("quality must be between 1 and 100, not {}", params.quality),
            )]
        }
    }

    fn transform_annotation(
        &self,
        input: AnnotationInput,
        _params: &Self::Params,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        let mut meta = input.into_one(Self::INFO.name)?;
        let mut taken: HashSet<String> = meta.images.iter().map(|i| i.file_name.clone()).collect();
        for image in &mut meta.images {
            if is_jpeg_name(&image.file_name) {
                continue;
            }
            let renamed = jpeg_name(&image.file_name, &taken);
            taken.insert(renamed.clone());
            context.report.renames.push(FileRename {
                step: context.step_path.to_owned(),
                source: image
                    .origin
                    .as_ref()
                    .map_or_else(String::new, |origin| source_label(context, &origin.dataset)),
                from: image.file_name.clone(),
                to: renamed.clone(),
                reason: "re-encoded as JPEG".to_owned(),
            });
            image.file_name = renamed;
        }
        Ok(meta)
    }

    fn build_image_manipulation(
        &self,
        _image: &ImageRecord,
        params: &Self::Params,
        _context: &ImageContext<'_>,
    ) -> Vec<ImageManipulationSpec> {
        vec![ImageManipulationSpec::EncodeJpeg {
            quality: params.quality,
        }]
    }
}

fn source_label(context: &TransformContext<'_>, reference: &str) -> String {
    context
        .sources
        .iter()
        .find(|s| s.reference == reference)
        .map_or_else(|| reference.to_owned(), |s| s.label.clone())
}

fn is_jpeg_name(name: &str) -> bool {
    crate::pipeline::engine::has_extension(name, &["jpg", "jpeg", "jfif"])
}

/// `dir/a.png` → `dir/a.jpg`, or `dir/a_png.jpg` when `dir/a.jpg` exists, then `dir/a_png_2.jpg`…
fn jpeg_name(name: &str, taken: &HashSet<String>) -> String {
    let (stem, extension) = match name.rfind('.') {
        Some(dot) if !name[dot..].contains('/') => (&name[..dot], &name[dot + 1..]),
        _ => (name, ""),
    };
    let plain = format!("{stem}.jpg");
    if !taken.contains(&plain) {
        return plain;
    }
    let base = if extension.is_empty() {
        stem.to_owned()
    } else {
        format!("{stem}_{extension}")
    };
    let mut candidate = format!("{base}.jpg");
    let mut counter = 2u32;
    while taken.contains(&candidate) {
        candidate = format!("{base}_{counter}.jpg");
        counter += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::run_one;

    #[test]
    fn png_files_become_jpg_without_colliding() {
        let images = vec![
            ImageRecord::new(1, "a.png", 4, 4),
            ImageRecord::new(2, "a.jpg", 4, 4),
            ImageRecord::new(3, "dir/b.PNG", 4, 4),
            ImageRecord::new(4, "c.jpeg", 4, 4),
        ];
        let (meta, ops) = run_one(
            &ChangeCompression,
            &serde_json::json!({"quality": 70}),
            images,
        );
        let names: Vec<&str> = meta.images.iter().map(|i| i.file_name.as_str()).collect();
        assert_eq!(names, ["a_png.jpg", "a.jpg", "dir/b.jpg", "c.jpeg"]);
        assert!(
            ops.iter()
                .all(|o| o == &vec![ImageManipulationSpec::EncodeJpeg { quality: 70 }])
        );
    }

    #[test]
    fn quality_out_of_range_is_refused_by_name() {
        use crate::pipeline::manipulator::Manipulator;
        for quality in [0, 101] {
            let problems = ChangeCompression
                .prepare(&serde_json::json!({ "quality": quality }))
                .err()
                .unwrap_or_default();
            assert_eq!(problems[0].path, "quality", "{problems:?}");
        }
        assert!(ChangeCompression.prepare(&serde_json::json!({})).is_err());
    }
}
