//! `datamill eda` as a user runs it.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use datamill_core::synth::{self, SynthConfig};

use super::{datamill, text};

fn small_coco() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = SynthConfig {
        images: 30,
        seed: 5,
        min_size: (96, 72),
        max_size: (96, 72),
        ..SynthConfig::default()
    };
    synth::write_dataset(&config, &dir.path().join("ds")).unwrap();
    // One image twice: a duplicate the report must find.
    let images = dir.path().join("ds/images");
    let first = std::fs::read_dir(&images)
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let second = std::fs::read_dir(&images)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| *p != first)
        .min()
        .unwrap();
    std::fs::copy(&first, &second).unwrap();
    dir
}

#[test]
fn eda_prints_the_report_as_json_and_writes_a_gallery() {
    let dir = small_coco();
    let out = dir.path().join("eda");
    let ds = dir.path().join("ds");
    let output = datamill(&[
        "eda",
        ds.to_str().unwrap(),
        "--format",
        "coco",
        "--json",
        "--gallery",
        "5",
        "--out",
        out.to_str().unwrap(),
        "--thumbnail-size",
        "48",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["summary"]["images"], 30);
    assert_eq!(report["health"]["duplicate_images"]["count"], 1);
    assert_eq!(report["gallery"].as_array().unwrap().len(), 5);
    for item in report["gallery"].as_array().unwrap() {
        let thumbnail = std::path::Path::new(item["thumbnail"].as_str().unwrap());
        assert!(thumbnail.starts_with(out.join("gallery")), "{thumbnail:?}");
        assert!(thumbnail.is_file());
        assert_eq!(item["width"], 48);
    }
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("eda_report.json")).unwrap()).unwrap();
    assert_eq!(written, report);
}

#[test]
fn eda_prints_a_readable_summary_and_timings() {
    let dir = small_coco();
    let ds = dir.path().join("ds");
    let output = datamill(&["eda", ds.to_str().unwrap(), "--format", "coco", "--timings"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("30 images (2 without annotations), 188 annotations"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "resolutions (from headers): 1 distinct over 30 images; most common: 96×72 (30)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains(" 1 groups (2 files)"), "{stdout}");
    let stderr = text(&output.stderr);
    for stage in ["reading", "annotations", "headers", "total"] {
        assert!(stderr.contains(&format!("timing: {stage} ")), "{stderr}");
    }
    let annotations_only = datamill(&[
        "eda",
        ds.to_str().unwrap(),
        "--format",
        "coco",
        "--no-images",
    ]);
    let stdout = text(&annotations_only.stdout);
    assert!(
        stdout.contains("resolutions (from annotations)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("duplicate images             not checked"),
        "{stdout}"
    );
}

#[test]
fn eda_of_a_path_that_is_no_dataset_fails_with_what_it_read() {
    let dir = tempfile::tempdir().unwrap();
    let output = datamill(&["eda", dir.path().to_str().unwrap(), "--format", "coco"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("error: cannot read "), "{stderr}");
    assert!(stderr.contains("as COCO"), "{stderr}");
}
