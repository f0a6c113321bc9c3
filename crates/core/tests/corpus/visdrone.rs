//! Corpus tests for the VisDrone codec: the real VisDrone2019-DET annotations read with their 12
//! categories, and VisDrone → YOLO reproduces Ultralytics' converted labels byte for byte.
//!
//! The corpus has the annotation files but not the images (1.3–1.9 MB each), and the conversion
//! needs the image sizes. The tests therefore build the dataset directory in a temporary
//! directory: the annotation file copied to `annotations/`, and a blank JPEG of the image's real
//! size (FORMATS.md §3) as `images/<stem>.jpg`.

use std::path::Path;

use datamill_core::Files;
use datamill_core::codecs::{self, ReadOptions, visdrone, yolo};
use datamill_core::report::{Action, ConversionReport, Reason};
use datamill_core::{AnnotationFormat, AttributeValue, CategoryId, ProblemCode};

use super::support::sample;

const SAMPLE: &str = "visdrone/chaizwj_yolov8-tricks";

/// (split, image stem, width, height, annotation rows, rows with score 0)
const SPLITS: [(&str, &str, u32, u32, usize, u64); 2] = [
    (
        "VisDrone2019-DET-val",
        "0000001_02999_d_0000005",
        1920,
        1080,
        128,
        1,
    ),
    (
        "VisDrone2019-DET-test-dev",
        "0000006_00159_d_0000001",
        1360,
        765,
        75,
        4,
    ),
];

/// `DIR/annotations/<stem>.txt` from the corpus and, when `size` is given, `DIR/images/<stem>.jpg`.
fn dataset_dir(split: &str, stem: &str, size: Option<(u32, u32)>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let annotations = dir.path().join("annotations");
    std::fs::create_dir_all(&annotations).expect("annotations dir");
    std::fs::copy(
        sample(&format!("{SAMPLE}/{split}/annotations/{stem}.txt")),
        annotations.join(format!("{stem}.txt")),
    )
    .expect("copy annotations");
    if let Some((width, height)) = size {
        write_blank_jpeg(
            &dir.path().join("images").join(format!("{stem}.jpg")),
            width,
            height,
        );
    }
    dir
}

fn write_blank_jpeg(path: &Path, width: u32, height: u32) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("images dir");
    image::GrayImage::new(width, height)
        .save(path)
        .expect("write jpeg");
}

#[test]
fn visdrone_to_yolo_is_byte_identical_to_the_ultralytics_labels() {
    for (split, stem, width, height, rows, ignored) in SPLITS {
        let dir = dataset_dir(split, stem, Some((width, height)));
        let dataset = codecs::read(
            Files::local(),
            AnnotationFormat::VisDrone,
            dir.path(),
            &ReadOptions::default(),
        )
        .expect("reads");
        assert!(
            !dataset.diagnostics.has_errors(),
            "{:?}",
            dataset.diagnostics
        );
        let image = &dataset.meta.images[0];
        assert_eq!((image.width, image.height), (width, height));
        assert_eq!(image.annotations.len(), rows);

        let mut report =
            ConversionReport::new(Some(AnnotationFormat::VisDrone), AnnotationFormat::Yolo);
        let detection = visdrone::to_detection(&dataset.meta, &mut report);
        let out = tempfile::tempdir().expect("temp dir");
        yolo::write(
            Files::local(),
            &detection,
            out.path(),
            &visdrone::yolo_write_options(),
            &mut report,
        )
        .expect("writes");

        let written =
            std::fs::read(out.path().join(format!("labels/{stem}.txt"))).expect("written");
        let expected =
            std::fs::read(sample(&format!("{SAMPLE}/{split}/labels/{stem}.txt"))).expect("corpus");
        assert!(
            expected.ends_with(b"\n"),
            "Ultralytics ends every line with \\n"
        );
        if written != expected {
            let (w, e) = (
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&expected),
            );
            for (index, (a, b)) in w.lines().zip(e.lines()).enumerate() {
                assert_eq!(a, b, "{split} line {}", index + 1);
            }
            panic!(
                "{split}: {} lines written, {} expected",
                w.lines().count(),
                e.lines().count()
            );
        }
        assert_eq!(
            report.count(Action::Dropped, Reason::IgnoredRegion),
            ignored,
            "{split}"
        );
        assert_eq!(report.count(Action::Dropped, Reason::UnknownCategory), 0);
        assert_eq!(
            report.count(Action::Clamped, Reason::OutOfBounds),
            0,
            "no clipping"
        );
        assert_eq!(report.output.annotations, rows as u64 - ignored);
        // truncation/occlusion/score have no place in YOLO: said so, once per written row.
        assert_eq!(
            report.count(Action::Lossy, Reason::UnsupportedField),
            rows as u64 - ignored
        );
        assert_eq!(report.class_names, visdrone::DETECTION_NAMES);
    }
}

#[test]
fn the_cli_conversion_path_gives_the_same_bytes() {
    let (split, stem, width, height, _, _) = SPLITS[1];
    let dir = dataset_dir(split, stem, Some((width, height)));
    let out = tempfile::tempdir().expect("temp dir");
    let options = datamill_core::convert::ConvertOptions {
        images: datamill_core::convert::ImageTransfer::None,
        ..datamill_core::convert::ConvertOptions::default()
    };
    datamill_core::convert::convert(
        AnnotationFormat::VisDrone,
        AnnotationFormat::Yolo,
        dir.path(),
        out.path(),
        &options,
    )
    .expect("converts");
    let written = std::fs::read(out.path().join(format!("labels/{stem}.txt"))).expect("written");
    let expected =
        std::fs::read(sample(&format!("{SAMPLE}/{split}/labels/{stem}.txt"))).expect("corpus");
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(&expected)
    );
}

#[test]
fn real_annotations_keep_12_categories_and_their_attributes() {
    let (split, stem, width, height, rows, _) = SPLITS[0];
    let dir = dataset_dir(split, stem, Some((width, height)));
    let dataset = codecs::read(
        Files::local(),
        AnnotationFormat::VisDrone,
        dir.path(),
        &ReadOptions::default(),
    )
    .expect("reads");
    let meta = &dataset.meta;
    assert_eq!(meta.categories.len(), 12);
    assert_eq!(meta.categories[0].name, "ignored regions");
    assert_eq!(meta.categories[11].name, "others");
    assert_eq!(meta.annotation_count(), rows);
    let first = &meta.images[0].annotations[0];
    // 871,572,54,92,1,4,0,0
    assert_eq!(first.category_id, Some(CategoryId(4)));
    assert_eq!(
        first.bbox.map(|b| (b.x, b.y, b.w, b.h)),
        Some((871.0, 572.0, 54.0, 92.0))
    );
    assert_eq!(first.attributes["score"], AttributeValue::Number(1.0));
    assert_eq!(first.attributes["occlusion"], AttributeValue::Number(0.0));
    let histogram = meta.class_histogram();
    assert_eq!(histogram[&CategoryId(0)] + histogram[&CategoryId(11)], 1);
    assert_eq!(
        dataset.annotation_files,
        [format!("annotations/{stem}.txt")]
    );
}

#[test]
fn annotations_without_images_are_read_but_cannot_become_yolo() {
    let (split, stem, _, _, rows, ignored) = SPLITS[1];
    let dir = dataset_dir(split, stem, None);
    let dataset = codecs::read(
        Files::local(),
        AnnotationFormat::VisDrone,
        dir.path(),
        &ReadOptions::default(),
    )
    .expect("reads");
    let missing: Vec<_> = dataset.diagnostics.of(ProblemCode::MissingImage).collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(
        missing[0].location.file.as_deref(),
        Some(&*format!("annotations/{stem}.txt"))
    );
    let image = &dataset.meta.images[0];
    assert_eq!(
        (image.file_name.as_str(), image.width),
        (&*format!("{stem}.jpg"), 0)
    );
    assert_eq!(image.annotations.len(), rows);

    let mut report =
        ConversionReport::new(Some(AnnotationFormat::VisDrone), AnnotationFormat::Yolo);
    let detection = visdrone::to_detection(&dataset.meta, &mut report);
    let out = tempfile::tempdir().expect("temp dir");
    yolo::write(
        Files::local(),
        &detection,
        out.path(),
        &visdrone::yolo_write_options(),
        &mut report,
    )
    .expect("writes");
    assert_eq!(
        report.count(Action::Dropped, Reason::MissingImage),
        rows as u64 - ignored
    );
    let written =
        std::fs::read_to_string(out.path().join(format!("labels/{stem}.txt"))).expect("written");
    assert_eq!(written, "");
}

#[test]
fn writing_visdrone_is_unsupported_and_a_yolo_dir_is_not_visdrone() {
    let mut report = ConversionReport::new(None, AnnotationFormat::VisDrone);
    let error = codecs::write(
        Files::local(),
        AnnotationFormat::VisDrone,
        &datamill_core::DatasetMeta::default(),
        tempfile::tempdir().expect("temp").path(),
        &codecs::WriteOptions::default(),
        &mut report,
    )
    .expect_err("read only");
    assert!(error.to_string().contains("does not write"), "{error}");
    let error = codecs::read(
        Files::local(),
        AnnotationFormat::VisDrone,
        &sample("yolo/roboflow_conesandcubes_ccby4/train"),
        &ReadOptions::default(),
    )
    .expect_err("not VisDrone");
    assert!(
        error
            .to_string()
            .contains("expected annotations/<image>.txt beside images/"),
        "{error}"
    );
}
