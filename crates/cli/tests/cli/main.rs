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

pub(crate) fn datamill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_datamill"))
        .args(args)
        .output()
        .expect("runs datamill")
}

pub(crate) fn text(bytes: &[u8]) -> String {
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

#[test]
fn import_celeba_writes_a_valid_attr_json_dataset_with_its_images() {
    let out = tempfile::tempdir().expect("temp dir");
    let dst = out.path().join("celeba");
    let src = corpus("attributes/datumaro_celeba");
    let output = datamill(&[
        "import",
        "--from",
        "celeba",
        src.to_str().expect("utf-8"),
        dst.to_str().expect("utf-8"),
    ]);
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert!(dst.join("images/000001.jpg").is_file());
    let validate = datamill(&[
        "validate",
        dst.to_str().expect("utf-8"),
        "--format",
        "attr_json",
        "--json",
    ]);
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        text(&validate.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&validate.stdout).expect("JSON");
    assert_eq!(report["counts"]["images"], 5);
    let document: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dst.join("annotation.json")).expect("annotation.json"),
    )
    .expect("JSON");
    assert_eq!(document["format"], "ATTR_JSON");
    assert!(
        document["attribute_schema"]
            .as_array()
            .is_some_and(|a| a.len() >= 8)
    );
}

#[test]
fn visdrone_converts_to_yolo_with_ultralytics_class_names() {
    let out = tempfile::tempdir().expect("temp dir");
    let src = out.path().join("visdrone");
    std::fs::create_dir_all(src.join("annotations")).expect("dir");
    std::fs::create_dir_all(src.join("images")).expect("dir");
    std::fs::write(
        src.join("annotations/a.txt"),
        "10,20,30,40,1,4,0,1\n0,0,5,5,0,0,0,0\n1,1,2,2,0,11,0,0\n",
    )
    .expect("write");
    // A 100×50 PNG: the smallest valid header is enough for the size.
    let png = {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        bytes.extend_from_slice(&100_u32.to_be_bytes());
        bytes.extend_from_slice(&50_u32.to_be_bytes());
        bytes.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    };
    std::fs::write(src.join("images/a.png"), png).expect("write");
    let dst = out.path().join("yolo");
    let output = datamill(&[
        "convert",
        "--from",
        "visdrone",
        "--to",
        "yolo",
        src.to_str().expect("utf-8"),
        dst.to_str().expect("utf-8"),
        "--images",
        "none",
    ]);
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dst.join("labels/a.txt")).expect("labels"),
        "3 0.250000 0.800000 0.300000 0.800000\n",
        "unclipped, as Ultralytics writes it"
    );
    let yaml = std::fs::read_to_string(dst.join("data.yaml")).expect("data.yaml");
    assert!(
        yaml.contains("pedestrian") && yaml.contains("motor") && !yaml.contains("others"),
        "{yaml}"
    );
}

#[test]
fn validate_reports_where_a_truncated_coco_file_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let full = std::fs::read(corpus(
        "coco/datumaro_coco_instances/annotations/instances_val.json",
    ))
    .expect("corpus file");
    std::fs::write(dir.path().join("annotation.json"), &full[..full.len() / 2]).expect("write");
    let output = datamill(&[
        "validate",
        dir.path().to_str().expect("utf-8"),
        "--format",
        "coco",
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let problem = &report["problems"][0];
    assert_eq!(problem["code"], "unparsable");
    assert_eq!(problem["location"]["file"], "annotation.json");
    assert!(
        problem["location"]["line"]
            .as_u64()
            .is_some_and(|line| line > 1),
        "{problem}"
    );
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.contains("ends inside")),
        "{problem}"
    );
}
mod eda;
mod pipeline;
