//! The samples viewer's endpoints on real files: a hand-made COCO version with a box, a polygon,
//! an uncompressed crowd RLE and a compressed RLE; a JPEG with an EXIF turn, a 16-bit thermal
//! PNG, and files that go missing or bad after registration.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::Path;

use datamill_core::geometry::rle;
use image::{GenericImageView, ImageFormat, Rgb, RgbImage};
use serde_json::{Value, json};

use crate::support::TestApp;

const URI: &str = "raw/viewer/train/v1.0.0";

/// A 16×8 stored JPEG, left half red and right half blue, with EXIF orientation 6 (turn 90°
/// clockwise to display): displayed 8×16, red on top.
fn turned_jpeg() -> Vec<u8> {
    let stored = RgbImage::from_fn(16, 8, |x, _| {
        if x < 8 {
            Rgb([230, 20, 20])
        } else {
            Rgb([20, 20, 230])
        }
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(stored)
        .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
        .unwrap();
    // APP1 EXIF (big-endian TIFF, one IFD entry: Orientation = 6) right after SOI.
    let mut tiff = b"MM\x00\x2A\x00\x00\x00\x08\x00\x01".to_vec();
    tiff.extend([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]);
    tiff.extend([0x00, 6, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
    let mut segment = b"Exif\x00\x00".to_vec();
    segment.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(u16::try_from(segment.len() + 2).unwrap().to_be_bytes());
    out.extend(segment);
    out.extend(&jpeg[2..]);
    out
}

/// 32×32 16-bit grey in a narrow band (20000..=20310), as a thermal camera writes.
fn thermal_png() -> Vec<u8> {
    let image = image::ImageBuffer::<image::Luma<u16>, Vec<u16>>::from_fn(32, 32, |x, y| {
        image::Luma([20_000 + (x + y * 32) as u16 * 10 / 33])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma16(image)
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    png
}

fn plain_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(RgbImage::from_pixel(width, height, Rgb([90, 140, 60])))
        .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
        .unwrap();
    jpeg
}

/// The mask of the compressed-RLE annotation: a 6×4 block at x 2..8, y 3..7 of a 20×10 image.
fn block_runs() -> Vec<u32> {
    let (height, width) = (10usize, 20usize);
    let mut mask = vec![false; height * width];
    for x in 2..8 {
        for y in 3..7 {
            mask[x * height + y] = true;
        }
    }
    rle::encode(&mask)
}

fn write_version(nas: &Path) {
    let dir = nas.join(URI);
    std::fs::create_dir_all(dir.join("images")).unwrap();
    std::fs::write(dir.join("images/turned.jpg"), turned_jpeg()).unwrap();
    std::fs::write(dir.join("images/thermal.png"), thermal_png()).unwrap();
    std::fs::write(dir.join("images/plain.jpg"), plain_jpeg(20, 10)).unwrap();
    std::fs::write(dir.join("images/goes_bad.jpg"), plain_jpeg(20, 10)).unwrap();
    let coco = json!({
        "images": [
            {"id": 11, "file_name": "turned.jpg", "width": 8, "height": 16},
            {"id": 12, "file_name": "thermal.png", "width": 32, "height": 32},
            {"id": 13, "file_name": "plain.jpg", "width": 20, "height": 10},
            {"id": 14, "file_name": "goes_bad.jpg", "width": 20, "height": 10},
        ],
        "annotations": [
            {"id": 1, "image_id": 11, "category_id": 1, "bbox": [1.5, 2.0, 4.0, 9.25], "area": 37.0, "iscrowd": 0,
             "segmentation": [], "attributes": {"occluded": true, "pose": "sitting"}},
            {"id": 2, "image_id": 11, "category_id": 2, "bbox": [0.0, 0.0, 6.0, 6.0], "area": 18.0, "iscrowd": 0,
             "segmentation": [[0.0, 0.0, 6.0, 0.0, 0.0, 6.0]]},
            {"id": 3, "image_id": 12, "category_id": 1, "bbox": [0.0, 0.0, 2.0, 1.0], "area": 3.0, "iscrowd": 1,
             "segmentation": {"size": [32, 32], "counts": [0, 2, 30, 1, 991]}},
            {"id": 4, "image_id": 13, "category_id": 2, "bbox": [2.0, 3.0, 6.0, 4.0], "area": 24.0, "iscrowd": 0,
             "segmentation": {"size": [10, 20], "counts": rle::to_compressed(&block_runs())}},
        ],
        "categories": [
            {"id": 1, "name": "cat", "supercategory": "animal"},
            {"id": 2, "name": "dog", "supercategory": "animal"},
            {"id": 3, "name": "bird", "supercategory": "animal"},
        ],
    });
    std::fs::write(
        dir.join("annotations.json"),
        serde_json::to_vec_pretty(&coco).unwrap(),
    )
    .unwrap();
}

async fn registered(app: &TestApp) -> String {
    write_version(app.nas.path());
    let group = app
        .create_group("viewer", "COCO", &["DETECTION", "SEGMENTATION"])
        .await;
    let (status, dataset) = app
        .post(
            "/datasets",
            json!({"group_id": group["id"], "split": "TRAIN", "storage_uri": URI}),
        )
        .await;
    assert_eq!(status, 201, "{dataset}");
    dataset["id"].as_str().unwrap().to_owned()
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["image_id"].as_i64().unwrap())
        .collect()
}

fn item(page: &Value, image_id: i64) -> &Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["image_id"] == image_id)
        .unwrap_or_else(|| panic!("image {image_id} in {page}"))
}

async fn get_image(app: &TestApp, path: &str, etag: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.api(path));
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    request.send().await.unwrap()
}

async fn problem(response: reqwest::Response) -> (u16, Value) {
    crate::support::status_json(response).await
}

#[tokio::test]
async fn samples_page_through_a_seeded_order_with_every_kind_of_geometry() {
    let app = TestApp::start().await;
    let id = registered(&app).await;

    let (status, first) = app.get(&format!("/datasets/{id}/samples?n=3&seed=7")).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["seed"], 7);
    assert_eq!(first["total"], 4);
    assert_eq!(first["pages"], 2);
    assert_eq!(first["page"], 1);
    let (_, second) = app
        .get(&format!("/datasets/{id}/samples?n=3&seed=7&page=2"))
        .await;
    let (_, third) = app
        .get(&format!("/datasets/{id}/samples?n=3&seed=7&page=3"))
        .await;
    let mut seen = ids(&first);
    seen.extend(ids(&second));
    assert_eq!(ids(&third), Vec::<i64>::new());
    assert_eq!(seen.len(), 4);
    assert_eq!(
        seen.iter().copied().collect::<HashSet<_>>(),
        HashSet::from([11, 12, 13, 14]),
        "two pages of one seed show every image once"
    );
    let (_, again) = app.get(&format!("/datasets/{id}/samples?n=3&seed=7")).await;
    assert_eq!(ids(&again), ids(&first), "a seed is an order");
    let orders: HashSet<Vec<i64>> = futures_util::future::join_all((0..12).map(|seed| {
        let app = &app;
        let id = &id;
        async move {
            ids(&app
                .get(&format!("/datasets/{id}/samples?n=4&seed={seed}"))
                .await
                .1)
        }
    }))
    .await
    .into_iter()
    .collect();
    assert!(orders.len() > 3, "seeds shuffle: {orders:?}");
    let (_, unseeded) = app.get(&format!("/datasets/{id}/samples")).await;
    assert!(
        unseeded["seed"].is_u64(),
        "the server picks a seed and says which"
    );
    assert_eq!(unseeded["n"], 24);

    assert_eq!(
        first["categories"],
        json!([
            {"id": 1, "name": "cat", "supercategory": "animal", "images": 2},
            {"id": 2, "name": "dog", "supercategory": "animal", "images": 2},
            {"id": 3, "name": "bird", "supercategory": "animal", "images": 0},
        ])
    );

    let (_, all) = app
        .get(&format!("/datasets/{id}/samples?n=10&seed=1"))
        .await;
    let turned = item(&all, 11);
    assert_eq!(turned["width"], 8, "displayed size: the annotations' space");
    assert_eq!(turned["height"], 16);
    assert_eq!(turned["file_name"], "turned.jpg");
    assert_eq!(turned["url"], format!("/api/v1/datasets/{id}/images/11"));
    let boxed = &turned["annotations"][0];
    assert_eq!(boxed["id"], 1);
    assert_eq!(boxed["category"], "cat");
    assert_eq!(boxed["bbox"], json!([1.5, 2.0, 4.0, 9.25]));
    assert_eq!(boxed["area"], 37.0);
    assert_eq!(boxed["polygons"], Value::Null);
    assert_eq!(boxed["mask"], Value::Null);
    assert_eq!(
        boxed["attributes"],
        json!({"occluded": true, "pose": "sitting"})
    );
    let polygon = &turned["annotations"][1];
    assert_eq!(polygon["annotation_type"], "SEGMENTATION");
    assert_eq!(polygon["polygons"], json!([[0.0, 0.0, 6.0, 0.0, 0.0, 6.0]]));
    assert_eq!(polygon["category"], "dog");

    let crowd = &item(&all, 12)["annotations"][0];
    assert_eq!(crowd["iscrowd"], true);
    assert_eq!(
        crowd["mask"],
        json!({"size": [32, 32], "counts": [0, 2, 30, 1, 991]})
    );
    let compressed = &item(&all, 13)["annotations"][0];
    let runs = block_runs();
    assert_eq!(
        compressed["mask"],
        json!({"size": [10, 20], "counts": runs}),
        "compressed RLE is served as its runs"
    );
    let ones: u64 = runs.iter().skip(1).step_by(2).map(|&r| u64::from(r)).sum();
    assert_eq!(ones, 24);
    assert_eq!(compressed["area"], 24.0);
    assert_eq!(item(&all, 14)["annotations"], json!([]));

    // Class filter.
    let (_, dogs) = app
        .get(&format!("/datasets/{id}/samples?class=dog&seed=3"))
        .await;
    assert_eq!(dogs["total"], 2);
    assert_eq!(dogs["class"], "dog");
    assert_eq!(
        ids(&dogs).into_iter().collect::<HashSet<_>>(),
        HashSet::from([11, 13])
    );
    let (_, birds) = app.get(&format!("/datasets/{id}/samples?class=bird")).await;
    assert_eq!(birds["total"], 0);
    assert_eq!(birds["pages"], 0);
    assert_eq!(birds["items"], json!([]));

    // Rejections name the parameter.
    for (query, field) in [
        ("class=zebra", "class"),
        ("n=0", "n"),
        ("n=201", "n"),
        ("page=0", "page"),
        ("seed=abc", "seed"),
        ("seed=-1", "seed"),
        ("colour=red", "colour"),
    ] {
        let (status, body) = app.get(&format!("/datasets/{id}/samples?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["code"], "INVALID_QUERY", "{query}");
        assert_eq!(body["errors"][0]["field"], field, "{query}: {body}");
    }
    let (_, zebra) = app
        .get(&format!("/datasets/{id}/samples?class=zebra"))
        .await;
    assert!(
        zebra["detail"].as_str().unwrap().contains("cat, dog, bird"),
        "{zebra}"
    );
    let (status, body) = app
        .get("/datasets/00000000-0000-0000-0000-000000000000/samples")
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("DATASET_NOT_FOUND"))
    );
    let (status, _) = app.get("/datasets/not-a-uuid/samples").await;
    assert_eq!(status, 400);

    // Only READY versions.
    let (status, body) = app
        .patch(&format!("/datasets/{id}"), json!({"status": "ERROR"}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.get(&format!("/datasets/{id}/samples")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("DATASET_NOT_READY")),
        "{body}"
    );
    let response = get_image(&app, &format!("/datasets/{id}/images/11"), None).await;
    assert_eq!(response.status().as_u16(), 409);
    app.stop().await;
}

#[tokio::test]
async fn image_previews_are_turned_windowed_cached_and_confined() {
    let app = TestApp::start().await;
    let id = registered(&app).await;
    let dir = app.nas.path().join(URI);
    // After registration the NAS changes under the READY version: one file is corrupted, one
    // removed, and an image naming a file outside the dataset is added to the annotations.
    std::fs::write(
        dir.join("images/goes_bad.jpg"),
        b"\xFF\xD8 not really a JPEG",
    )
    .unwrap();
    let mut coco: Value =
        serde_json::from_slice(&std::fs::read(dir.join("annotations.json")).unwrap()).unwrap();
    coco["images"].as_array_mut().unwrap().extend([
        json!({"id": 15, "file_name": "gone.jpg", "width": 20, "height": 10}),
        json!({"id": 16, "file_name": "../../../../secret.jpg", "width": 20, "height": 10}),
    ]);
    std::fs::write(
        dir.join("annotations.json"),
        serde_json::to_vec(&coco).unwrap(),
    )
    .unwrap();
    std::fs::write(app.nas.path().join("secret.jpg"), plain_jpeg(20, 10)).unwrap();

    // The EXIF turn is applied: displayed 8×16 with the stored left half (red) on top.
    let response = get_image(&app, &format!("/datasets/{id}/images/11?max=64"), None).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let jpeg = response.bytes().await.unwrap();
    let preview = image::load_from_memory(&jpeg).unwrap();
    assert_eq!(
        preview.dimensions(),
        (8, 16),
        "small images keep their size"
    );
    let top = preview.get_pixel(4, 3);
    let bottom = preview.get_pixel(4, 12);
    assert!(top[0] > 150 && top[2] < 100, "red on top: {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "blue below: {bottom:?}");
    // Cached on the NAS under the size `max` rounds up to.
    let cached = app.nas.path().join(format!("eda/{id}/previews/128/11.jpg"));
    assert_eq!(std::fs::read(&cached).unwrap(), jpeg.to_vec());
    // A client with the current copy gets 304; the cache answers after the source is gone.
    let response = get_image(
        &app,
        &format!("/datasets/{id}/images/11?max=100"),
        Some(&etag),
    )
    .await;
    assert_eq!(response.status().as_u16(), 304);
    std::fs::remove_file(dir.join("images/turned.jpg")).unwrap();
    let response = get_image(&app, &format!("/datasets/{id}/images/11?max=128"), None).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.bytes().await.unwrap(), jpeg);

    // 16-bit thermal: the narrow band is stretched to black … white.
    let response = get_image(&app, &format!("/datasets/{id}/images/12"), None).await;
    assert_eq!(response.status().as_u16(), 200);
    let thermal = image::load_from_memory(&response.bytes().await.unwrap())
        .unwrap()
        .to_luma8();
    assert_eq!(thermal.dimensions(), (32, 32));
    let (low, high) = thermal
        .pixels()
        .fold((255u8, 0u8), |(lo, hi), p| (lo.min(p[0]), hi.max(p[0])));
    assert!(low < 20 && high > 235, "windowed to {low}..{high}");

    // A larger size: a larger (upscaled? no: smaller images keep their size) preview.
    let response = get_image(&app, &format!("/datasets/{id}/images/13?max=4096"), None).await;
    assert_eq!(response.status().as_u16(), 200);

    let cases = [
        ("/images/99", 404, "IMAGE_NOT_FOUND"),
        ("/images/15", 404, "IMAGE_FILE_NOT_FOUND"),
        ("/images/16", 404, "IMAGE_FILE_NOT_FOUND"),
        ("/images/14", 409, "IMAGE_UNREADABLE"),
        ("/images/x1", 400, "INVALID_ID"),
        ("/images/11?max=8", 400, "INVALID_QUERY"),
        ("/images/11?max=4097", 400, "INVALID_QUERY"),
        ("/images/11?size=3", 400, "INVALID_QUERY"),
    ];
    for (path, status, code) in cases {
        let (got, body) =
            problem(get_image(&app, &format!("/datasets/{id}{path}"), None).await).await;
        assert_eq!(
            (got, body["code"].as_str()),
            (status, Some(code)),
            "{path}: {body}"
        );
        assert!(
            !body["detail"]
                .as_str()
                .unwrap_or("")
                .contains(&app.nas.path().display().to_string()),
            "no server paths in {body}"
        );
    }
    let (_, outside) =
        problem(get_image(&app, &format!("/datasets/{id}/images/16"), None).await).await;
    assert!(
        outside["detail"]
            .as_str()
            .unwrap()
            .contains("outside the dataset"),
        "{outside}"
    );
    assert!(
        !app.nas
            .path()
            .join(format!("eda/{id}/previews/1024/16.jpg"))
            .exists()
    );
    app.stop().await;
}
