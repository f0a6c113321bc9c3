//! The pipeline engine end to end on real files: synthetic COCO/YOLO/VisDrone datasets with real
//! JPEGs in a temporary NAS, every manipulator, merges with colliding names, determinism,
//! resuming after an interruption, and nothing written outside the output.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use datamill_core::codecs::{self, ReadOptions};
use datamill_core::pipeline::{
    ExecuteOptions, NoProgress, PipelineConfig, PipelineError, Plan, Progress, Stage, execute,
    local,
};
use datamill_core::synth::{self, SynthConfig, SynthFormat};
use datamill_core::{AnnotationFormat, Files};

/// A NAS with three small sources whose image file names collide (synth names images by id).
struct Nas {
    dir: tempfile::TempDir,
}

impl Nas {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let nas = Self { dir };
        nas.synth("raw/coco/train/v1.0.0", SynthFormat::Coco, 24, 1);
        nas.synth("source/yolo/train/v1.0.0", SynthFormat::Yolo, 16, 2);
        nas.synth("raw/drone/none/v1.0.0", SynthFormat::VisDrone, 8, 3);
        nas
    }

    fn synth(&self, path: &str, format: SynthFormat, images: usize, seed: u64) {
        let config = SynthConfig {
            images,
            seed,
            format,
            min_size: (48, 40),
            max_size: (160, 120),
            mean_boxes: 4.0,
            crowd_fraction: 0.05,
            ..SynthConfig::default()
        };
        synth::write_dataset(&config, &self.path().join(path)).unwrap();
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn plan(&self, yaml: &str) -> Result<(local::LocalPipeline<'static>, Plan), PipelineError> {
        let config = PipelineConfig::parse(yaml).map_err(PipelineError::Invalid)?;
        let pipeline = local::prepare(Files::local(), &config, self.path())?;
        let plan = pipeline.plan(&NoProgress)?;
        Ok((pipeline, plan))
    }

    /// Plans and executes; returns the output directory.
    fn run(&self, yaml: &str) -> (Plan, PathBuf) {
        let (pipeline, plan) = self.plan(yaml).unwrap_or_else(|e| panic!("{e}"));
        let (_, output) = pipeline.output_dir(&plan);
        execute(Files::local(), &plan, &output, &options(), &NoProgress)
            .unwrap_or_else(|e| panic!("{e}"));
        (plan, output)
    }
}

fn options() -> ExecuteOptions {
    ExecuteOptions {
        threads: 2,
        ..ExecuteOptions::default()
    }
}

/// Every file under `dir` with its content hash (FNV-1a), relative paths.
fn tree(dir: &Path) -> BTreeMap<String, u64> {
    datamill_core::tree::file_hashes(dir).unwrap()
}

const OUT_YOLO: &str = "output: {group: out, dataset_type: PROCESSED, split: TRAIN, annotation_format: YOLO, task_types: [DETECTION]}\n";
const OUT_COCO: &str = "output: {group: out, dataset_type: PROCESSED, split: TRAIN, annotation_format: COCO, task_types: [DETECTION]}\n";

fn coco_source(steps: &str) -> String {
    format!(
        "sources:\n  - path: raw/coco/train/v1.0.0\n    annotation_format: COCO\n    manipulators: [{steps}]\n"
    )
}

#[test]
fn every_manipulator_runs_and_the_dry_run_counts_are_the_outputs_counts() {
    let nas = Nas::new();
    let cases: Vec<(&str, String)> = vec![
        (
            "filter+remap+yolo",
            format!(
                "{OUT_YOLO}{}",
                coco_source(
                    "{name: filter_keep_by_class, params: {classes: [person, car]}}, {name: remap_class_name, params: {names: {car: vehicle}, ids: {\"1\": human}}}, {name: format_convert_to_yolo, params: {iscrowd: box}}"
                )
            ),
        ),
        (
            "remove+invalid+sample",
            format!(
                "{OUT_COCO}{}",
                coco_source(
                    "{name: filter_remove_by_class, params: {classes: [dog]}}, {name: filter_invalid_class_name, params: {pattern: '^b', blacklist: [cat]}}, {name: sample_n_images, params: {n: 5, seed: 3}}"
                )
            ),
        ),
        (
            "final classes",
            format!(
                "{OUT_COCO}{}post_merge:\n  - {{name: filter_final_classes, params: {{classes: [car, person], drop_empty_images: true}}}}\n  - {{name: shuffle_image_ids, params: {{seed: 9}}}}\n",
                coco_source("")
            ),
        ),
        (
            "yolo to coco",
            format!(
                "{OUT_COCO}sources:\n  - path: source/yolo/train/v1.0.0\n    annotation_format: YOLO\n    manipulators: [{{name: format_convert_to_coco}}]\n"
            ),
        ),
        (
            "visdrone to yolo",
            format!(
                "{OUT_YOLO}sources:\n  - path: raw/drone/none/v1.0.0\n    annotation_format: VISDRONE\n    manipulators: [{{name: format_convert_visdrone_to_yolo}}]\n"
            ),
        ),
        (
            "visdrone to coco",
            format!(
                "{OUT_COCO}sources:\n  - path: raw/drone/none/v1.0.0\n    annotation_format: VISDRONE\n    manipulators: [{{name: format_convert_visdrone_to_coco}}]\n"
            ),
        ),
    ];
    let mut snapshot = BTreeMap::new();
    for (name, yaml) in cases {
        let (plan, output) = nas.run(&yaml);
        let written = codecs::read(
            Files::local(),
            plan.format,
            &output,
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(
            written.meta.images.len() as u64,
            plan.summary.images,
            "{name}"
        );
        assert_eq!(
            written.meta.annotation_count() as u64,
            plan.summary.annotations,
            "{name}: the dry run's annotation count is the output's"
        );
        let on_disk = tree(&output.join("images")).len() as u64;
        assert_eq!(on_disk, plan.summary.images, "{name}: one file per image");
        assert!(output.join("pipeline_report.json").is_file());
        assert!(
            !output.join(".datamill-pipeline.json").exists(),
            "{name}: marker removed"
        );
        let mut summary = serde_json::to_value(&plan.summary).unwrap();
        // The synthetic classes without objects are only noise in the snapshot.
        if let Some(classes) = summary["classes"].as_array_mut() {
            classes.retain(|c| c["annotations"] != 0);
        }
        snapshot.insert(
            name,
            serde_json::json!({
                "summary": summary,
                "steps": plan.report.steps,
                "warnings": plan.report.warnings,
            }),
        );
    }
    insta::assert_json_snapshot!("every_manipulator", snapshot);
}

#[test]
fn merging_sources_with_colliding_names_keeps_every_image_once() {
    let nas = Nas::new();
    let yaml = [
        "output: {group: fused, dataset_type: FUSION, split: TRAIN, annotation_format: YOLO, task_types: [DETECTION]}",
        "sources:",
        "  - path: raw/coco/train/v1.0.0",
        "    annotation_format: COCO",
        "    manipulators: [{name: format_convert_to_yolo}]",
        "  - path: source/yolo/train/v1.0.0",
        "    annotation_format: YOLO",
        "post_merge:",
        "  - {name: merge_datasets, params: {synonyms: {truck: car}}}",
    ]
    .join("\n");
    let (plan, output) = nas.run(&yaml);
    assert_eq!(plan.summary.images, 24 + 16);
    let names =
        |dir: &str| -> BTreeSet<String> { tree(&nas.path().join(dir)).into_keys().collect() };
    let colliding = names("raw/coco/train/v1.0.0/images")
        .intersection(&names("source/yolo/train/v1.0.0/images"))
        .count();
    assert!(colliding > 0, "the fixture must have colliding names");
    assert_eq!(
        plan.report.renames.len(),
        colliding,
        "only colliding names are renamed"
    );
    assert!(
        plan.report
            .renames
            .iter()
            .all(|r| r.to.starts_with("yolo_")),
        "{:?}",
        plan.report.renames
    );
    let names: BTreeSet<&str> = plan
        .meta
        .categories
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names.len(),
        plan.meta.categories.len(),
        "categories unified by name"
    );
    assert!(!names.contains("truck"));
    // Every output image is byte-for-byte its source image, and every source image is there once.
    let out = tree(&output.join("images"));
    let coco = tree(&nas.path().join("raw/coco/train/v1.0.0/images"));
    let yolo = tree(&nas.path().join("source/yolo/train/v1.0.0/images"));
    let mut expected: Vec<u64> = coco.values().chain(yolo.values()).copied().collect();
    let mut got: Vec<u64> = out.values().copied().collect();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected);
    // The YOLO label files agree with the images.
    let labels = tree(&output.join("labels"));
    assert!(labels.len() <= out.len());
}

#[test]
fn the_same_config_gives_byte_identical_output_and_nothing_outside_it() {
    let nas = Nas::new();
    let yaml = format!(
        "{OUT_YOLO}{}post_merge:\n  - {{name: shuffle_image_ids, params: {{seed: 7}}}}\n  - {{name: sample_n_images, params: {{n: 12, seed: 1}}}}\n",
        coco_source(
            "{name: filter_keep_by_class, params: {classes: [person]}}, {name: format_convert_to_yolo}"
        )
    );
    let before = tree(nas.path());
    let (_, first) = nas.run(&yaml);
    let (_, second) = nas.run(&yaml);
    assert!(
        first.ends_with("v1.0.0") && second.ends_with("v1.0.1"),
        "{first:?} {second:?}"
    );
    assert_eq!(tree(&first), tree(&second));
    let after = tree(nas.path());
    let outside: Vec<&String> = after
        .keys()
        .filter(|k| !before.contains_key(*k) && !k.starts_with("processed/out/train/"))
        .collect();
    assert!(outside.is_empty(), "files outside the outputs: {outside:?}");
}

/// Stops the run after `limit` images, as a kill would (without the kill).
struct StopAfter {
    limit: u64,
    done: AtomicU64,
}

impl Progress for StopAfter {
    fn update(&self, stage: Stage, done: u64, _: u64) {
        if stage == Stage::Images {
            self.done.store(done, Ordering::SeqCst);
        }
    }
    fn cancelled(&self) -> bool {
        self.done.load(Ordering::SeqCst) >= self.limit
    }
}

#[test]
fn an_interrupted_run_resumes_to_the_same_output() {
    let nas = Nas::new();
    let yaml = format!(
        "{OUT_COCO}version: v3.0.0\n{}",
        coco_source("{name: filter_remove_by_class, params: {classes: [dog]}}")
    )
    .replace("version: v3.0.0\n", "");
    let yaml = yaml.replace(
        "task_types: [DETECTION]}",
        "task_types: [DETECTION], version: v2.0.0}",
    );
    let (pipeline, plan) = nas.plan(&yaml).unwrap();
    let (_, output) = pipeline.output_dir(&plan);
    let stop = StopAfter {
        limit: 5,
        done: AtomicU64::new(0),
    };
    let error = execute(
        Files::local(),
        &plan,
        &output,
        &ExecuteOptions {
            threads: 1,
            ..options()
        },
        &stop,
    )
    .unwrap_err();
    assert!(matches!(error, PipelineError::Cancelled), "{error}");
    assert!(output.join(".datamill-pipeline.json").exists());
    let partial = tree(&output.join("images")).len();
    assert!(
        partial >= 5 && (partial as u64) < plan.summary.images,
        "{partial}"
    );

    // Another plan may not take over the unfinished directory.
    let other = yaml.replace("[dog]", "[person]");
    let (_, other_plan) = nas.plan(&other).unwrap();
    let refused = execute(
        Files::local(),
        &other_plan,
        &output,
        &options(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(refused.to_string().contains("unfinished run"), "{refused}");

    let summary = execute(Files::local(), &plan, &output, &options(), &NoProgress).unwrap();
    assert_eq!(summary.resumed as usize, partial);
    let reference = nas.path().join("reference");
    execute(Files::local(), &plan, &reference, &options(), &NoProgress).unwrap();
    assert_eq!(tree(&output), tree(&reference));

    // A finished version is immutable: running again into it is refused.
    let again = execute(Files::local(), &plan, &output, &options(), &NoProgress).unwrap_err();
    assert!(again.to_string().contains("not empty"), "{again}");
}

#[test]
fn invalid_configs_list_every_problem_with_its_path() {
    let nas = Nas::new();
    let yaml = format!(
        "{OUT_YOLO}sources:\n  - path: raw/coco/train/v1.0.0\n    annotation_format: COCO\n    manipulators: [{{name: nope}}, {{name: change_compression, params: {{quality: 101}}}}]\n  - path: ../escape\n    annotation_format: COCO\n  - path: raw/missing/train/v1.0.0\n"
    );
    let Err(PipelineError::Invalid(problems)) = nas.plan(&yaml) else {
        panic!("expected problems");
    };
    let paths: BTreeSet<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    for expected in [
        "$.sources[0].manipulators[0].name",
        "$.sources[0].manipulators[1].params.quality",
        "$.sources[0]",
        "$.sources[1].path",
        "$.sources[2].path",
        "$.sources[2].annotation_format",
    ] {
        assert!(
            paths.contains(expected),
            "{expected} missing from {problems:#?}"
        );
    }
}

#[test]
fn sixteen_bit_images_are_refused_for_jpeg_recompression_before_anything_is_written() {
    let nas = Nas::new();
    let dir = nas.path().join("raw/thermal/train/v1.0.0");
    std::fs::create_dir_all(dir.join("images")).unwrap();
    let pixels = image::ImageBuffer::<image::Luma<u16>, Vec<u16>>::from_fn(8, 6, |x, y| {
        image::Luma([(x * 4000 + y) as u16])
    });
    pixels.save(dir.join("images/a.png")).unwrap();
    let yaml = format!(
        "{OUT_COCO}sources:\n  - path: raw/thermal/train/v1.0.0\n    annotation_format: NONE\n    manipulators: [{{name: change_compression, params: {{quality: 80}}}}]\n"
    ).replace("annotation_format: COCO, task_types", "annotation_format: NONE, task_types");
    let Err(PipelineError::Invalid(problems)) = nas.plan(&yaml) else {
        panic!("a 16-bit source must be refused");
    };
    assert_eq!(problems[0].path, "$.sources[0].manipulators[0].name");
    assert!(
        problems[0].message.contains("16-bit") && problems[0].message.contains("a.png"),
        "{problems:?}"
    );
    assert!(!nas.path().join("processed").exists());
}

/// The VisDrone corpus sample through `format_convert_visdrone_to_yolo`: labels byte-identical to
/// Ultralytics' own output.
#[test]
fn visdrone_corpus_converts_like_ultralytics_through_a_pipeline() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/visdrone/chaizwj_yolov8-tricks");
    let nas = tempfile::tempdir().unwrap();
    for (split, stem, width, height) in [
        (
            "VisDrone2019-DET-val",
            "0000001_02999_d_0000005",
            1920,
            1080,
        ),
        (
            "VisDrone2019-DET-test-dev",
            "0000006_00159_d_0000001",
            1360,
            765,
        ),
    ] {
        let source = nas.path().join(format!(
            "raw/visdrone/{}/v1.0.0",
            if split.ends_with("val") {
                "val"
            } else {
                "test"
            }
        ));
        std::fs::create_dir_all(source.join("annotations")).unwrap();
        std::fs::create_dir_all(source.join("images")).unwrap();
        std::fs::copy(
            corpus.join(format!("{split}/annotations/{stem}.txt")),
            source.join(format!("annotations/{stem}.txt")),
        )
        .unwrap();
        image::GrayImage::new(width, height)
            .save(source.join(format!("images/{stem}.jpg")))
            .unwrap();
        let relative = source
            .strip_prefix(nas.path())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let yaml = format!(
            "output: {{group: visdrone_yolo, dataset_type: PROCESSED, split: VAL, annotation_format: YOLO, task_types: [DETECTION]}}\n\
             sources:\n  - path: {relative}\n    annotation_format: VISDRONE\n    manipulators: [{{name: format_convert_visdrone_to_yolo}}]\n"
        );
        let config = PipelineConfig::parse(&yaml).unwrap();
        let pipeline = local::prepare(Files::local(), &config, nas.path()).unwrap();
        let plan = pipeline.plan(&NoProgress).unwrap();
        let output = nas.path().join(format!("out-{stem}"));
        execute(Files::local(), &plan, &output, &options(), &NoProgress).unwrap();
        let written = std::fs::read(output.join(format!("labels/{stem}.txt"))).unwrap();
        let expected = std::fs::read(corpus.join(format!("{split}/labels/{stem}.txt"))).unwrap();
        assert!(
            written == expected,
            "{split}: labels differ from Ultralytics'"
        );
        assert_eq!(plan.format, AnnotationFormat::Yolo);
    }
}

/// Turning COCO then converting to YOLO gives the same labels and pixels as converting first and
/// turning the YOLO dataset: the geometry of both formats agrees.
#[test]
fn rotate_then_convert_agrees_with_convert_then_rotate() {
    let nas = Nas::new();
    let to_yolo = format!(
        "{}{}",
        OUT_YOLO.replace("group: out", "group: plain"),
        coco_source("{name: format_convert_to_yolo, params: {iscrowd: box}}")
    );
    let (_, plain) = nas.run(&to_yolo);
    let relative = plain
        .strip_prefix(nas.path())
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let turned_yolo = format!(
        "{}sources:\n  - path: {relative}\n    annotation_format: YOLO\n    manipulators: [{{name: rotate_180}}]\n",
        OUT_YOLO.replace("group: out", "group: yolo_turned")
    );
    let turned_coco = format!(
        "{}{}",
        OUT_YOLO.replace("group: out", "group: coco_turned"),
        coco_source("{name: rotate_180}, {name: format_convert_to_yolo, params: {iscrowd: box}}")
    );
    let (_, a) = nas.run(&turned_yolo);
    let (_, b) = nas.run(&turned_coco);
    let (a_files, b_files) = (tree(&a.join("images")), tree(&b.join("images")));
    assert_eq!(a_files, b_files, "the same pixels either way");
    let labels = |dir: &Path| -> BTreeMap<String, Vec<Vec<f64>>> {
        tree(&dir.join("labels"))
            .into_keys()
            .map(|name| {
                let text = std::fs::read_to_string(dir.join("labels").join(&name)).unwrap();
                // A polygon's first vertex depends on how it was made (a turned rectangle starts
                // at the opposite corner), so polygon rows compare as sorted vertex lists.
                let rows = text
                    .lines()
                    .map(|l| {
                        let values: Vec<f64> =
                            l.split_whitespace().map(|v| v.parse().unwrap()).collect();
                        if values.len() <= 5 {
                            return values;
                        }
                        let mut points: Vec<[f64; 2]> =
                            values[1..].chunks(2).map(|p| [p[0], p[1]]).collect();
                        points.sort_by(|a, b| a.partial_cmp(b).unwrap());
                        std::iter::once(values[0])
                            .chain(points.into_iter().flatten())
                            .collect()
                    })
                    .collect();
                (name, rows)
            })
            .collect()
    };
    let (la, lb) = (labels(&a), labels(&b));
    assert_eq!(la.keys().collect::<Vec<_>>(), lb.keys().collect::<Vec<_>>());
    for (name, rows) in &la {
        for (ra, rb) in rows.iter().zip(&lb[name]) {
            for (va, vb) in ra.iter().zip(rb) {
                assert!((va - vb).abs() <= 2e-6, "{name}: {ra:?} vs {rb:?}");
            }
        }
    }
}

/// `mask_region_by_class` paints exactly the boxes of its class, in the pixels that are written.
#[test]
fn masking_paints_the_named_boxes() {
    let nas = Nas::new();
    let yaml = format!(
        "{OUT_COCO}{}",
        coco_source(
            "{name: mask_region_by_class, params: {classes: [person], fill: [255, 0, 255]}}"
        )
    );
    let (plan, output) = nas.run(&yaml);
    let person = plan
        .meta
        .categories
        .iter()
        .find(|c| c.name == "person")
        .unwrap()
        .id;
    let mut checked = 0;
    for image in &plan.meta.images {
        let pixels = image::open(output.join("images").join(&image.file_name))
            .unwrap()
            .into_rgb8();
        for annotation in image
            .annotations
            .iter()
            .filter(|a| a.category_id == Some(person))
        {
            let b = annotation.bbox.unwrap();
            // The centre of a box at least 6 px wide and high is magenta after JPEG coding.
            if b.w < 6.0 || b.h < 6.0 {
                continue;
            }
            let pixel = pixels.get_pixel((b.x + b.w / 2.0) as u32, (b.y + b.h / 2.0) as u32);
            assert!(
                pixel[0] > 200 && pixel[1] < 60 && pixel[2] > 200,
                "{}: {pixel:?}",
                image.file_name
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "the fixture has person boxes");
    assert!(
        plan.summary.images_transformed > 0 && plan.summary.images_copied > 0,
        "{:?}",
        plan.summary
    );
}

/// PNG sources become JPEG files under new names, and the annotation file names follow.
#[test]
fn change_compression_turns_png_sources_into_jpegs_and_renames_them() {
    let nas = Nas::new();
    let dir = nas.path().join("raw/coco/train/v1.0.0");
    let annotation = dir.join("annotation.json");
    let mut coco: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&annotation).unwrap()).unwrap();
    for image in coco["images"].as_array_mut().unwrap().iter_mut().take(5) {
        let name = image["file_name"].as_str().unwrap().to_owned();
        let png = name.replace(".jpg", ".png");
        image::open(dir.join("images").join(&name))
            .unwrap()
            .save(dir.join("images").join(&png))
            .unwrap();
        std::fs::remove_file(dir.join("images").join(&name)).unwrap();
        image["file_name"] = png.into();
    }
    std::fs::write(&annotation, serde_json::to_vec(&coco).unwrap()).unwrap();
    let yaml = format!(
        "{OUT_COCO}{}",
        coco_source("{name: change_compression, params: {quality: 60}}")
    );
    let (plan, output) = nas.run(&yaml);
    assert_eq!(plan.report.renames.len(), 5);
    assert_eq!(plan.summary.images_transformed, 24);
    let written = codecs::read(
        Files::local(),
        AnnotationFormat::Coco,
        &output,
        &ReadOptions::default(),
    )
    .unwrap();
    for image in &written.meta.images {
        assert!(
            Path::new(&image.file_name)
                .extension()
                .is_some_and(|e| e == "jpg"),
            "{}",
            image.file_name
        );
        let bytes = std::fs::read(output.join("images").join(&image.file_name)).unwrap();
        assert_eq!(
            &bytes[..3],
            &[0xFF, 0xD8, 0xFF],
            "{} is a JPEG",
            image.file_name
        );
    }
}

/// A real COCO export without its images (the corpus keeps annotations only): the pipeline runs,
/// the annotations are complete, every missing file is reported and the dry run's counts hold.
#[test]
fn a_corpus_dataset_without_images_runs_and_reports_them() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/coco/roboflow_chess_pieces_cc0/valid");
    let nas = tempfile::tempdir().unwrap();
    let source = nas.path().join("raw/chess/val/v1.0.0");
    std::fs::create_dir_all(&source).unwrap();
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_file() {
            std::fs::copy(entry.path(), source.join(entry.file_name())).unwrap();
        }
    }
    let yaml = "output: {group: chess_yolo, dataset_type: PROCESSED, split: VAL, annotation_format: YOLO, task_types: [DETECTION]}\n\
                sources:\n  - {path: raw/chess/val/v1.0.0, annotation_format: COCO, manipulators: [{name: filter_remove_by_class, params: {classes: [pieces]}}, {name: format_convert_to_yolo}]}\n";
    let config = PipelineConfig::parse(yaml).unwrap();
    let pipeline = local::prepare(Files::local(), &config, nas.path()).unwrap();
    let plan = pipeline.plan(&NoProgress).unwrap();
    let (_, output) = pipeline.output_dir(&plan);
    let summary = execute(Files::local(), &plan, &output, &options(), &NoProgress).unwrap();
    assert_eq!(summary.missing, plan.summary.images);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(output.join("pipeline_report.json")).unwrap())
            .unwrap();
    let missing = report["conversion"]["summary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["reason"] == "missing_image")
        .map(|t| t["count"].clone());
    assert_eq!(missing, Some(serde_json::json!(plan.summary.images)));
    let labels = tree(&output.join("labels"));
    let rows: usize = labels
        .keys()
        .map(|f| {
            std::fs::read_to_string(output.join("labels").join(f))
                .unwrap()
                .lines()
                .count()
        })
        .sum();
    assert_eq!(rows as u64, plan.summary.annotations);
    let strict = ExecuteOptions {
        missing_images: datamill_core::pipeline::MissingImages::Fail,
        ..options()
    };
    let error = execute(
        Files::local(),
        &plan,
        &nas.path().join("strict"),
        &strict,
        &NoProgress,
    )
    .unwrap_err();
    assert!(error.to_string().contains("No such file"), "{error}");
}

/// A copy killed half-way leaves a short file under its final name; the rerun recognises it by
/// its size and copies it again.
#[test]
fn a_half_written_copy_is_redone_on_resume() {
    let nas = Nas::new();
    let yaml = format!("{OUT_COCO}{}", coco_source(""));
    let (pipeline, plan) = nas.plan(&yaml).unwrap();
    let (_, output) = pipeline.output_dir(&plan);
    let stop = StopAfter {
        limit: 3,
        done: AtomicU64::new(0),
    };
    assert!(
        execute(
            Files::local(),
            &plan,
            &output,
            &ExecuteOptions {
                threads: 1,
                ..options()
            },
            &stop
        )
        .is_err()
    );
    let victim = plan.images.last().unwrap();
    let bytes = std::fs::read(&victim.source).unwrap();
    std::fs::write(
        output.join("images").join(&victim.destination),
        &bytes[..bytes.len() / 2],
    )
    .unwrap();
    let summary = execute(Files::local(), &plan, &output, &options(), &NoProgress).unwrap();
    assert_eq!(summary.resumed, 3);
    assert_eq!(
        std::fs::read(output.join("images").join(&victim.destination)).unwrap(),
        bytes
    );
}
