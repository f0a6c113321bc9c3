//! The gallery through a storage client: thumbnails under `eda/{id}/gallery/`, spread over the
//! classes, broken images skipped, the same choice every run, old thumbnails replaced.

use std::collections::BTreeSet;
use std::path::Path;

use datamill_core::codecs::{self, ReadOptions};
use datamill_core::eda::{self, EdaOptions, GalleryOptions, NoProgress};
use datamill_core::{AnnotationFormat, Files};
use datamill_storage::testing::MemoryStorageClient;
use serde_json::json;

use super::support::{jpeg, png_rgb, with_orientation};

/// Five readable images (two identical), a missing and a truncated one, in a memory storage.
fn nas() -> MemoryStorageClient {
    let memory = MemoryStorageClient::new();
    let files = Files::new(&memory);
    let root = Path::new("raw/pets/train/v1.0.0");
    let put =
        |name: &str, bytes: &[u8]| files.write(&root.join("images").join(name), bytes).unwrap();
    let a = jpeg(100, 80, 1);
    put("a.jpg", &a);
    put("b.jpg", &a);
    put("c.jpg", &jpeg(120, 80, 2));
    put("rotated.jpg", &with_orientation(&jpeg(100, 80, 3), 6));
    let whole = jpeg(100, 80, 4);
    put("corrupt.jpg", &whole[..whole.len() / 2]);
    put("big.png", &png_rgb(200, 150));
    let image = |id: i64, name: &str, w: u32, h: u32| json!({"id": id, "file_name": name, "width": w, "height": h});
    let object = |id: i64, image_id: i64, category_id: i64| {
        json!({"id": id, "image_id": image_id, "category_id": category_id,
               "bbox": [1, 1, 10, 10], "iscrowd": 0})
    };
    let document = json!({
        "images": [
            image(1, "a.jpg", 100, 80), image(2, "b.jpg", 100, 80), image(3, "c.jpg", 120, 80),
            image(4, "rotated.jpg", 80, 100), image(5, "corrupt.jpg", 100, 80),
            image(6, "missing.jpg", 100, 80), image(7, "big.png", 200, 150)
        ],
        "annotations": [
            object(1, 1, 1), object(2, 1, 2), object(3, 2, 1), object(4, 4, 2),
            object(5, 5, 1), object(6, 6, 2), object(7, 7, 1)
        ],
        "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}]
    });
    files
        .write(&root.join("annotation.json"), document.to_string())
        .unwrap();
    memory
}

#[test]
fn the_gallery_spreads_over_classes_skips_broken_images_and_is_stable() {
    let memory = nas();
    let files = Files::new(&memory);
    let root = Path::new("raw/pets/train/v1.0.0");
    let dataset =
        codecs::read(files, AnnotationFormat::Coco, root, &ReadOptions::default()).unwrap();
    let out = eda::eda_dir("0b6e5f1c-0000-4000-8000-000000000001");
    assert_eq!(out, Path::new("eda/0b6e5f1c-0000-4000-8000-000000000001"));
    // A thumbnail of an earlier run, to be replaced.
    files
        .write(&out.join("gallery/0099_42.jpg"), b"old")
        .unwrap();
    let options = GalleryOptions {
        count: 3,
        max_side: 50,
        quality: 80,
    };
    let items = eda::write_gallery(files, &dataset, &options, &out, &NoProgress).unwrap();
    assert_eq!(items.len(), 3);
    // The first round takes a cat, a dog and the image without annotations (a broken pick is
    // replaced by the next one in turn).
    assert!(
        items
            .iter()
            .any(|i| (i.file_name.as_str(), i.class_id) == ("c.jpg", None))
    );
    let distinct: BTreeSet<&str> = items.iter().map(|i| i.file_name.as_str()).collect();
    assert_eq!(distinct.len(), 3);
    assert!(!distinct.contains("corrupt.jpg") && !distinct.contains("missing.jpg"));
    for (rank, item) in items.iter().enumerate() {
        assert_eq!(
            item.thumbnail,
            format!(
                "eda/0b6e5f1c-0000-4000-8000-000000000001/gallery/{rank:04}_{}.jpg",
                item.image_id
            )
        );
        let bytes = files.read(Path::new(&item.thumbnail)).unwrap();
        let image = image::load_from_memory(&bytes).unwrap();
        assert_eq!((image.width(), image.height()), (item.width, item.height));
        assert_eq!(item.width.max(item.height), 50);
    }
    assert!(!files.is_file(&out.join("gallery/0099_42.jpg")));
    let again = eda::write_gallery(files, &dataset, &options, &out, &NoProgress).unwrap();
    assert_eq!(again, items);

    // Asked for more than there is: every readable image once, none of the broken ones.
    let all = eda::write_gallery(
        files,
        &dataset,
        &GalleryOptions {
            count: 10,
            ..options
        },
        &out,
        &NoProgress,
    )
    .unwrap();
    let shown: BTreeSet<&str> = all.iter().map(|i| i.file_name.as_str()).collect();
    assert_eq!(
        shown,
        BTreeSet::from(["a.jpg", "b.jpg", "big.png", "c.jpg", "rotated.jpg"])
    );
    let rotated = all.iter().find(|i| i.file_name == "rotated.jpg").unwrap();
    assert_eq!(
        (
            rotated.original_width,
            rotated.original_height,
            rotated.width,
            rotated.height
        ),
        (80, 100, 40, 50)
    );
    assert_eq!(files.list(&out.join("gallery")).unwrap().len(), 5);
}

#[test]
fn the_whole_analysis_runs_on_any_storage() {
    let memory = nas();
    let report = eda::analyse(
        Files::new(&memory),
        Path::new("raw/pets/train/v1.0.0"),
        AnnotationFormat::Coco,
        &EdaOptions::default(),
        &NoProgress,
    )
    .unwrap();
    let health = &report.health;
    assert_eq!(health.missing_files.as_ref().unwrap().count, 1);
    assert_eq!(health.unreadable_images.as_ref().unwrap().count, 1);
    assert_eq!(health.duplicate_images.as_ref().unwrap().count, 1);
    assert_eq!(health.exif_rotated.as_ref().unwrap().count, 1);
    assert_eq!(report.resolutions.images, 5);
}

#[test]
fn progress_is_reported_per_stage_and_a_cancelled_run_stops() {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};

    struct Watch {
        seen: Mutex<Vec<(eda::Stage, u64, u64)>>,
        cancel: AtomicBool,
    }
    impl eda::Progress for Watch {
        fn update(&self, stage: eda::Stage, done: u64, total: u64) {
            self.seen.lock().unwrap().push((stage, done, total));
        }
        fn cancelled(&self) -> bool {
            self.cancel.load(Ordering::Relaxed)
        }
    }
    let memory = nas();
    let watch = Watch {
        seen: Mutex::new(Vec::new()),
        cancel: AtomicBool::new(false),
    };
    let root = Path::new("raw/pets/train/v1.0.0");
    eda::analyse(
        Files::new(&memory),
        root,
        AnnotationFormat::Coco,
        &EdaOptions::default(),
        &watch,
    )
    .unwrap();
    let seen = watch.seen.lock().unwrap().clone();
    let last = |stage| seen.iter().rev().find(|(s, _, _)| *s == stage).copied();
    assert_eq!(last(eda::Stage::Reading), Some((eda::Stage::Reading, 1, 1)));
    assert_eq!(last(eda::Stage::Headers), Some((eda::Stage::Headers, 7, 7)));
    assert_eq!(
        last(eda::Stage::Duplicates),
        Some((eda::Stage::Duplicates, 2, 2))
    );

    watch.cancel.store(true, Ordering::Relaxed);
    let error = eda::analyse(
        Files::new(&memory),
        root,
        AnnotationFormat::Coco,
        &EdaOptions::default(),
        &watch,
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "the analysis was cancelled");
    // A path that is no dataset is the one error that is not about the run itself.
    let error = eda::analyse(
        Files::new(&memory),
        Path::new("raw/absent"),
        AnnotationFormat::Coco,
        &EdaOptions::default(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(
        error.to_string().starts_with("cannot read the dataset: "),
        "{error}"
    );
}
