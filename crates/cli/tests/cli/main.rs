//! The `datamill` binary end to end: real corpus files, real temp dirs, exit codes and outputs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn corpus(relative: &str) -> PathBuf {
    std::env::var_os("DATAMILL_CORPUS")
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
            PathBuf::from,
        )
        .join(relative)
}

fn datamill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_datamill"))
        .args(args)
        .output()
        .expect("runs datamill")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn inspect_prints_counts_and_classes_of_a_real_coco_file() {
    let path = corpus("coco/roboflow_chess_pieces_cc0/valid");
    let output = datamill(&[
        "inspect",
        path.to_str().expect("utf-8"),
        "--format",
        "coco",
        "--json",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(report["counts"]["images"], 58);
    assert_eq!(report["counts"]["annotations"], 386);
    assert_eq!(report["class_histogram"][0]["name"], "pieces");
    assert_eq!(report["class_histogram"][0]["annotations"], 0);
}

#[test]
fn validate_exits_1_and_names_the_duplicate_id() {
    let path = corpus("coco/mmdetection_tests/coco_wrong_format_sample.json");
    let output = datamill(&[
        "validate",
        path.to_str().expect("utf-8"),
        "--format",
        "coco",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("error[duplicate_id] coco_wrong_format_sample.json $.annotations[1].id: annotation id 1 is used twice"), "{stdout}");
    assert!(stdout.contains("INVALID"));
}

#[test]
fn validate_refuses_a_results_file_with_what_it_is() {
    let path =
        corpus("coco/cocoapi_results_not_a_dataset/instances_val2014_fakebbox100_results.json");
    let output = datamill(&[
        "validate",
        path.to_str().expect("utf-8"),
        "--format",
        "coco",
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(report["problems"][0]["code"], "not_a_dataset");
    assert!(
        report["problems"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("COCO results file"))
    );
}

#[test]
fn convert_coco_to_yolo_writes_labels_names_and_the_report() {
    let out = tempfile::tempdir().expect("temp dir");
    let dst = out.path().join("yolo");
    let src = corpus("coco/datumaro_coco_instances/annotations/instances_val.json");
    let output = datamill(&[
        "convert",
        "--from",
        "coco",
        "--to",
        "yolo",
        src.to_str().expect("utf-8"),
        dst.to_str().expect("utf-8"),
        "--iscrowd",
        "box",
        "--task",
        "detect",
    ]);
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dst.join("conversion_report.json")).expect("report written"),
    )
    .expect("report is JSON");
    assert_eq!(report["options"]["iscrowd"], "box");
    assert_eq!(report["class_names"], serde_json::json!(["a", "b", "c"]));
    let labels = std::fs::read_to_string(dst.join("labels/b.txt")).expect("label file");
    assert_eq!(labels.lines().count(), 2, "{labels}");
    assert!(dst.join("images/b.jpg").is_file(), "image copied");
    assert!(dst.join("data.yaml").is_file());
}

#[test]
fn convert_refuses_a_non_empty_output_directory() {
    let out = tempfile::tempdir().expect("temp dir");
    std::fs::write(out.path().join("keep.txt"), "mine").expect("write");
    let src = corpus("coco/mmdetection_tests/coco_sample.json");
    let output = datamill(&[
        "convert",
        "--from",
        "coco",
        "--to",
        "yolo",
        src.to_str().expect("utf-8"),
        out.path().to_str().expect("utf-8"),
        "--images",
        "none",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("is not empty"),
        "{}",
        text(&output.stderr)
    );
}
