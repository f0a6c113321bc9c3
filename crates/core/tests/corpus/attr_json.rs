//! Corpus tests for ATTR_JSON and the attribute importers: CelebA and Market-1501 labels import
//! into a typed schema, are written as ATTR_JSON (snapshotted) and read back unchanged; COCO is
//! refused with a pointer to the coco format.

use std::path::Path;

use datamill_core::Files;
use datamill_core::codecs::importers::{celeba, market1501};
use datamill_core::codecs::{self, ReadOptions, WriteOptions, attr_json};
use datamill_core::report::ConversionReport;
use datamill_core::{AnnotationFormat, AttributeKind, AttributeValue, DatasetMeta, ProblemCode};

use super::support::sample;

/// Writes `meta` as ATTR_JSON, reads it back and checks the model is unchanged; returns the text.
fn write_and_reread(meta: &DatasetMeta) -> String {
    let out = tempfile::tempdir().expect("temp dir");
    let options = WriteOptions {
        pretty_json: true,
        ..WriteOptions::default()
    };
    let mut report = ConversionReport::new(None, AnnotationFormat::AttrJson);
    codecs::write(
        Files::local(),
        AnnotationFormat::AttrJson,
        meta,
        out.path(),
        &options,
        &mut report,
    )
    .expect("writes");
    assert!(report.summary.is_empty(), "nothing is lost: {report:?}");
    let again = codecs::read(
        Files::local(),
        AnnotationFormat::AttrJson,
        out.path(),
        &ReadOptions::default(),
    )
    .expect("reads back");
    assert!(
        again.diagnostics.problems.is_empty(),
        "{:#?}",
        again.diagnostics.problems
    );
    let mut reread = again.meta;
    reread.source.format = None;
    assert_eq!(&reread, meta, "read → write → read is exact");
    std::fs::read_to_string(out.path().join(attr_json::ANNOTATION_FILE)).expect("written file")
}

fn messages(diagnostics: &datamill_core::Diagnostics) -> Vec<String> {
    diagnostics
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn celeba_layout_imports_attributes_boxes_partition_and_identity() {
    let dataset = celeba::import(
        &sample("attributes/datumaro_celeba"),
        &ReadOptions::default(),
    )
    .expect("imports");
    let meta = &dataset.meta;
    assert_eq!(meta.images.len(), 5);
    assert_eq!(meta.attribute_schema.len(), 8 + 2);
    assert_eq!(meta.attribute_schema[0].name, "5_o_Clock_Shadow");
    assert_eq!(
        meta.attribute_schema[0].source_encoding.as_deref(),
        Some("-1/1")
    );
    assert!(matches!(
        meta.attribute_schema[8].kind,
        AttributeKind::Enum { .. }
    ));
    let first = &meta.images[0];
    assert_eq!(first.file_name, "000001.jpg");
    assert_eq!(
        first.attributes["Arched_Eyebrows"],
        AttributeValue::Bool(true)
    );
    assert_eq!(
        first.attributes["5_o_Clock_Shadow"],
        AttributeValue::Bool(false)
    );
    assert_eq!(
        first.attributes["partition"],
        AttributeValue::Text("train".into())
    );
    assert_eq!(first.attributes["identity"], AttributeValue::Number(12.0));
    assert_eq!(first.annotations.len(), 1, "one face box");
    // 000002 has no row in list_attr_celeba.txt: its attributes are unknown, not false.
    let second = meta
        .images
        .iter()
        .find(|i| i.file_name == "000002.jpg")
        .expect("000002");
    assert_eq!(second.attributes["Bald"], AttributeValue::Unknown);
    assert!(
        meta.images.iter().all(|i| i.width > 0),
        "sizes come from the image headers"
    );
    insta::assert_debug_snapshot!(
        "attr_json__celeba_datumaro_problems",
        messages(&dataset.diagnostics)
    );
    let written = write_and_reread(meta);
    insta::assert_snapshot!("attr_json__celeba_datumaro", written);
}

#[test]
fn real_celeba_excerpt_with_a_wrong_count_and_ragged_padding() {
    let dataset = celeba::import(
        &sample("attributes/celeba_real_excerpt_zgjsxx/list_attr_celeba.first10.txt"),
        &ReadOptions::default(),
    )
    .expect("imports");
    let meta = &dataset.meta;
    assert_eq!(meta.images.len(), 10);
    assert_eq!(meta.attribute_schema.len(), 40);
    assert_eq!(meta.attribute_schema[39].name, "Young");
    let count = dataset
        .diagnostics
        .of(ProblemCode::InconsistentMetadata)
        .map(ToString::to_string)
        .collect::<Vec<_>>();
    assert_eq!(
        count,
        ["warning: list_attr_celeba.first10.txt:1: line 1 says 202599 images, the file lists 10"]
    );
    // Rows 000007/000008 start with `1` after a single space.
    let seventh = &meta.images[6];
    assert_eq!(seventh.file_name, "000007.jpg");
    assert_eq!(
        seventh.attributes["5_o_Clock_Shadow"],
        AttributeValue::Bool(true)
    );
    insta::assert_debug_snapshot!(
        "attr_json__celeba_excerpt_problems",
        messages(&dataset.diagnostics)
    );
    let written = write_and_reread(meta);
    insta::assert_snapshot!("attr_json__celeba_excerpt", written);
}

#[test]
fn market1501_labels_apply_to_images_through_their_file_names() {
    let labels = sample("attributes/market1501_attribute_vana77/market_attribute.converted.json");
    let dataset = market1501::import(
        &sample("attributes/datumaro_market1501_filenames"),
        Some(&labels),
        &ReadOptions::default(),
    )
    .expect("imports");
    let meta = &dataset.meta;
    let names: Vec<&str> = meta.images.iter().map(|i| i.file_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "bounding_box_test/0001_c1s1_001051_00.jpg",
            "bounding_box_train/0002_c1s3_000151_00.jpg",
            "query/0001_c2s3_000111_00.jpg"
        ]
    );
    // 0002 is a train identity: age 2 → teenager, downblue 2 → yes, backpack 1 → no; the train
    // struct orders its columns differently from test, so this checks the lookup by name.
    let train = &meta.images[1].attributes;
    assert_eq!(train["age"], AttributeValue::Text("teenager".into()));
    assert_eq!(train["downblue"], AttributeValue::Bool(true));
    assert_eq!(train["backpack"], AttributeValue::Bool(false));
    assert_eq!(train["person_id"], AttributeValue::Number(2.0));
    assert_eq!(train["camera"], AttributeValue::Number(1.0));
    assert_eq!(train["sequence"], AttributeValue::Number(3.0));
    assert_eq!(train["frame"], AttributeValue::Number(151.0));
    assert_eq!(
        train["subset"],
        AttributeValue::Text("bounding_box_train".into())
    );
    // 0001 (test) in two images, both labelled the same.
    assert_eq!(
        meta.images[0].attributes["gender"],
        meta.images[2].attributes["gender"]
    );
    assert_ne!(meta.images[0].attributes["gender"], AttributeValue::Unknown);
    insta::assert_debug_snapshot!(
        "attr_json__market1501_problems",
        messages(&dataset.diagnostics)
    );
    let written = write_and_reread(meta);
    insta::assert_snapshot!("attr_json__market1501", written);
}

#[test]
fn coco_and_broken_files_are_refused_with_their_reason() {
    let coco = codecs::read(
        Files::local(),
        AnnotationFormat::AttrJson,
        &sample("coco/mmdetection_tests/coco_sample.json"),
        &ReadOptions::default(),
    )
    .expect_err("COCO is not ATTR_JSON");
    let broken =
        attr_json::parse_bytes(b"{\"format\": \"ATTR_JSON\",\n \"version\": 1,,}", "x.json")
            .expect_err("syntax error");
    let missing = codecs::read(
        Files::local(),
        AnnotationFormat::AttrJson,
        Path::new("/nonexistent/dataset"),
        &ReadOptions::default(),
    )
    .expect_err("no dataset");
    let messages: Vec<String> = [coco, broken, missing]
        .iter()
        .map(|e| {
            e.to_string()
                .replace(&sample("").display().to_string(), "<corpus>/")
        })
        .collect();
    insta::assert_debug_snapshot!("attr_json__refusals", messages);
}

#[test]
fn checked_in_schema_matches_the_types() {
    let checked_in = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../proto-schemas/attr_json.schema.json"),
    )
    .expect("proto-schemas/attr_json.schema.json (run `cargo xtask schemas`)");
    let checked_in: serde_json::Value = serde_json::from_str(&checked_in).expect("JSON");
    assert_eq!(
        checked_in,
        attr_json::json_schema(),
        "run `cargo xtask schemas`"
    );
}
