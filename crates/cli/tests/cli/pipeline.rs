//! `datamill pipeline run` and `datamill manipulators list` as a user runs them, including a
//! process killed (SIGKILL) at random moments of Phase B and run again.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use datamill_core::synth::{self, SynthConfig, SynthFormat};

use super::{datamill, text};

fn hashes(dir: &Path) -> BTreeMap<String, u64> {
    datamill_core::tree::file_hashes(dir).unwrap()
}

fn nas_with_coco(images: usize, size: (u32, u32)) -> tempfile::TempDir {
    let nas = tempfile::tempdir().unwrap();
    let config = SynthConfig {
        images,
        seed: 11,
        format: SynthFormat::Coco,
        min_size: size,
        max_size: size,
        mean_boxes: 3.0,
        ..SynthConfig::default()
    };
    synth::write_dataset(&config, &nas.path().join("raw/coco/train/v1.0.0")).unwrap();
    nas
}

const CONFIG: &str = "\
output: {group: coco_aug, dataset_type: PROCESSED, split: TRAIN, annotation_format: YOLO, task_types: [DETECTION]}
sources:
  - path: raw/coco/train/v1.0.0
    annotation_format: COCO
    manipulators:
      - {name: rotate_180}
      - {name: change_compression, params: {quality: 70}}
      - {name: format_convert_to_yolo, params: {iscrowd: box}}
post_merge:
  - {name: shuffle_image_ids, params: {seed: 7}}
";

fn write_config(dir: &Path) -> String {
    let path = dir.join("pipeline.yaml");
    std::fs::write(&path, CONFIG).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn dry_run_prints_the_exact_counts_and_writes_nothing() {
    let nas = nas_with_coco(6, (64, 48));
    let config = write_config(nas.path());
    let nas_dir = nas.path().to_str().unwrap();
    let output = datamill(&[
        "pipeline",
        "run",
        &config,
        "--nas",
        nas_dir,
        "--dry-run",
        "--json",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["summary"]["images"], 6);
    assert_eq!(plan["summary"]["images_transformed"], 6);
    assert!(!nas.path().join("processed").exists());

    let run = datamill(&["pipeline", "run", &config, "--nas", nas_dir, "--json"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let done: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        done["summary"], plan["summary"],
        "the dry run's counts are the run's"
    );
    assert_eq!(done["version"], "v1.0.0");
    let labels = hashes(&nas.path().join("processed/coco_aug/train/v1.0.0/labels"));
    assert!(!labels.is_empty());
}

#[test]
fn an_invalid_config_exits_1_with_every_problem_located() {
    let nas = nas_with_coco(2, (32, 32));
    let path = nas.path().join("bad.yaml");
    std::fs::write(
        &path,
        CONFIG
            .replace("quality: 70", "quality: 0")
            .replace("rotate_180", "rotate_90"),
    )
    .unwrap();
    let output = datamill(&[
        "pipeline",
        "run",
        path.to_str().unwrap(),
        "--nas",
        nas.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("$.sources[0].manipulators[0].name: there is no manipulator `rotate_90`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("$.sources[0].manipulators[1].params.quality"),
        "{stderr}"
    );
}

#[test]
fn manipulators_list_shows_the_catalog() {
    let output = datamill(&["manipulators", "list", "--json"]);
    assert!(output.status.success());
    let catalog: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<&str> = catalog
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert_eq!(names.len(), 15);
    assert!(names.contains(&"mask_region_by_class"));
    let human = text(&datamill(&["manipulators", "list"]).stdout);
    assert!(
        human.contains("EXPERIMENTAL") && human.contains("PER_SOURCE,POST_MERGE"),
        "{human}"
    );
}

#[test]
fn killed_at_random_moments_and_rerun_the_output_is_identical() {
    let nas = nas_with_coco(48, (640, 480));
    let config = write_config(nas.path());
    let nas_dir = nas.path().to_str().unwrap().to_owned();

    // The reference: the same config, uninterrupted, in a copy of the NAS.
    let reference_nas = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(reference_nas.path().join("raw/coco/train")).unwrap();
    copy_tree(&nas.path().join("raw"), &reference_nas.path().join("raw"));
    let run = datamill(&[
        "pipeline",
        "run",
        &config,
        "--nas",
        reference_nas.path().to_str().unwrap(),
        "--threads",
        "1",
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let reference = hashes(&reference_nas.path().join("processed/coco_aug/train/v1.0.0"));

    let output_dir = nas.path().join("processed/coco_aug/train/v1.0.0");
    // Kill points spread over Phase B (a fixed pseudo-random sequence of image counts, so a
    // failure reproduces): the process is killed as soon as that many images are in place,
    // whatever the machine's speed.
    let images_dir = output_dir.join("images");
    for kill_after in [2usize, 17, 9, 31, 44] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_datamill"))
            .args([
                "pipeline",
                "run",
                &config,
                "--nas",
                &nas_dir,
                "--threads",
                "1",
                "--json",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        loop {
            let placed = std::fs::read_dir(&images_dir).map_or(0, Iterator::count);
            if placed >= kill_after || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "the run finished before the kill at {kill_after} images"
        );
        // Whatever is there is complete: every image present is byte-identical to the reference.
        for (file, hash) in hashes(&output_dir) {
            if file.starts_with("images/") {
                assert_eq!(
                    reference.get(&file),
                    Some(&hash),
                    "{file} is incomplete or wrong after a kill"
                );
            }
        }
    }
    let finish = datamill(&[
        "pipeline",
        "run",
        &config,
        "--nas",
        &nas_dir,
        "--threads",
        "2",
        "--json",
    ]);
    assert!(finish.status.success(), "{}", text(&finish.stderr));
    let result: serde_json::Value = serde_json::from_slice(&finish.stdout).unwrap();
    assert_eq!(
        result["version"], "v1.0.0",
        "the unfinished version is resumed, not a new one"
    );
    assert_eq!(
        hashes(&output_dir),
        reference,
        "resumed output differs from an uninterrupted run"
    );
    let leftovers: Vec<String> = hashes(nas.path())
        .into_keys()
        .filter(|f| f.contains(".partial") || f.contains(".datamill-pipeline"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
