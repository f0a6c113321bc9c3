//! Interoperability: COCO written by Datamill loads in pycocotools with the same counts, areas
//! and decoded masks. The Python side runs from the project's virtualenv (`make python-env`).

use std::path::{Path, PathBuf};
use std::process::Command;

use datamill_core::Files;
use datamill_core::codecs::{self, ReadOptions, WriteOptions};
use datamill_core::geometry::{Segmentation, rle};
use datamill_core::report::ConversionReport;
use datamill_core::{AnnotationFormat, DatasetMeta};
use serde_json::json;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn python() -> PathBuf {
    let venv = std::env::var_os("DATAMILL_PYTHON")
        .map_or_else(|| repo_root().join(".venv/bin/python"), PathBuf::from);
    assert!(
        venv.exists(),
        "{} is missing: run `make python-env` (installs pycocotools into .venv)",
        venv.display()
    );
    venv
}

fn corpus(relative: &str) -> PathBuf {
    let dir = std::env::var_os("DATAMILL_CORPUS")
        .map_or_else(|| repo_root().join("../shared/corpus"), PathBuf::from);
    dir.join(relative)
}

/// Writes `meta` as COCO plus Datamill's own view of every annotation, and has pycocotools
/// compare the two.
fn assert_pycocotools_agrees(meta: &DatasetMeta) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut report = ConversionReport::new(None, AnnotationFormat::Coco);
    codecs::write(
        Files::local(),
        AnnotationFormat::Coco,
        meta,
        dir.path(),
        &WriteOptions::default(),
        &mut report,
    )
    .expect("writes COCO");
    // Read back what we wrote, so ids assigned at write time are the ones compared.
    let written = codecs::read(
        Files::local(),
        AnnotationFormat::Coco,
        dir.path(),
        &ReadOptions::default(),
    )
    .expect("reads back");
    let mut per_annotation = Vec::new();
    for image in &written.meta.images {
        for annotation in &image.annotations {
            let mut item = json!({
                "id": annotation.id.map(|id| id.0),
                "image_id": image.id.0,
                "category_id": annotation.category_id.map(|c| c.0),
                "area": annotation.effective_area(),
            });
            let mask = match &annotation.segmentation {
                Some(Segmentation::Polygons(parts)) if !parts.is_empty() => {
                    Some(rle::from_polygons(parts, image.height, image.width))
                }
                Some(Segmentation::Rle(mask)) => Some(mask.clone()),
                _ => None,
            };
            if let Some(mask) = mask {
                let runs = mask.runs().expect("valid mask");
                let bbox = rle::to_bbox(&runs, mask.height);
                item["rle"] = json!(rle::to_compressed(&runs));
                item["mask_area"] = json!(rle::area(&runs));
                item["mask_bbox"] = json!([bbox.x, bbox.y, bbox.w, bbox.h]);
            }
            per_annotation.push(item);
        }
    }
    let expectations = json!({
        "images": written.meta.images.len(),
        "annotations": written.meta.annotation_count(),
        "categories": written.meta.categories.len(),
        "per_annotation": per_annotation,
    });
    let expectations_path = dir.path().join("expectations.json");
    std::fs::write(&expectations_path, expectations.to_string()).expect("write expectations");
    let output = Command::new(python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/check_pycocotools.py"))
        .arg(dir.path().join("annotation.json"))
        .arg(&expectations_path)
        .output()
        .expect("runs python");
    assert!(
        output.status.success(),
        "pycocotools disagrees:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn read_coco(relative: &str) -> DatasetMeta {
    codecs::read(
        Files::local(),
        AnnotationFormat::Coco,
        &corpus(relative),
        &ReadOptions::default(),
    )
    .expect("reads")
    .meta
}

#[test]
fn real_coco_polygons_load_in_pycocotools_with_identical_masks() {
    assert_pycocotools_agrees(&read_coco(
        "coco/apple_ml-cvnets_val2017_subset/annotations/instances_val2017.json",
    ));
}

#[test]
fn uncompressed_rle_crowds_load_in_pycocotools_with_identical_masks() {
    assert_pycocotools_agrees(&read_coco(
        "coco/datumaro_coco_instances/annotations/instances_val.json",
    ));
    assert_pycocotools_agrees(&read_coco("coco/roboflow_chess_pieces_cc0/valid"));
    assert_pycocotools_agrees(&read_coco("coco/mmdetection_tests/coco_sample.json"));
}

#[test]
fn synthetic_coco_with_polygons_and_crowds_loads_in_pycocotools() {
    let config = datamill_core::synth::SynthConfig {
        images: 60,
        seed: 7,
        ..datamill_core::synth::SynthConfig::default()
    };
    let meta = datamill_core::synth::generate(&config);
    assert!(
        meta.images
            .iter()
            .flat_map(|i| &i.annotations)
            .any(|a| a.iscrowd)
    );
    assert_pycocotools_agrees(&meta);
}
