//! The registry's HTTP API against a real PostgreSQL and real files: every endpoint, happy path
//! and errors.

#![allow(clippy::unwrap_used)] // test harness: a failed set-up step should abort the test loudly

mod outage;
mod samples;
mod support;

use datamill_core::synth::SynthFormat;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use support::TestApp;

#[tokio::test]
async fn groups_crud_and_errors() {
    let app = TestApp::start().await;
    let group = app
        .create_group("coco2017", "COCO", &["DETECTION", "SEGMENTATION"])
        .await;
    let id = group["id"].as_str().unwrap().to_owned();
    assert_eq!(group["dataset_type"], "RAW");
    assert_eq!(group["modality"], "RGB");
    assert_eq!(group["task_types"], json!(["DETECTION", "SEGMENTATION"]));

    let (status, detail) = app.get(&format!("/dataset-groups/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(detail["name"], "coco2017");
    assert_eq!(detail["datasets"], json!([]));

    // Same name in another case.
    let (status, problem) = app
        .post(
            "/dataset-groups",
            json!({"name": "COCO2017", "dataset_type": "RAW", "annotation_format": "COCO"}),
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (409, Some("GROUP_NAME_TAKEN"))
    );
    // Invalid enum value, unknown field, bad name: 422 naming the field.
    let (status, problem) = app
        .post(
            "/dataset-groups",
            json!({"name": "x", "dataset_type": "COOKED", "annotation_format": "COCO"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "$.dataset_type");
    let (status, problem) = app
        .post(
            "/dataset-groups",
            json!({"name": "x", "dataset_type": "RAW", "annotation_format": "COCO", "colour": 1}),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        problem["detail"].as_str().unwrap().contains("colour"),
        "{problem}"
    );
    let (status, problem) = app
        .post(
            "/dataset-groups",
            json!({"name": "../etc", "dataset_type": "RAW", "annotation_format": "COCO"}),
        )
        .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("$.name"))
    );
    let (status, problem) = app
        .post("/dataset-groups", json!({"name": "t", "dataset_type": "RAW", "annotation_format": "COCO", "task_types": ["DANCING"]}))
        .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("$.task_types[0]"))
    );
    // Wrong content type, malformed JSON.
    let response = app
        .client
        .post(app.api("/dataset-groups"))
        .header("content-type", "text/plain")
        .body("name=x")
        .send()
        .await
        .unwrap();
    let (status, problem) = support::status_json(response).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (415, Some("UNSUPPORTED_MEDIA_TYPE"))
    );
    let response = app
        .client
        .post(app.api("/dataset-groups"))
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(support::status_json(response).await.0, 400);
    // Bad UUID, unknown id, unknown route.
    let (status, problem) = app.get("/dataset-groups/not-a-uuid").await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (400, Some("id"))
    );
    let (status, problem) = app
        .get("/dataset-groups/0f8fad5b-d9cb-469f-a165-70867728950e")
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (404, Some("DATASET_GROUP_NOT_FOUND"))
    );
    assert_eq!(
        problem["instance"],
        "/api/v1/dataset-groups/0f8fad5b-d9cb-469f-a165-70867728950e"
    );
    assert!(problem["request_id"].is_string());
    let (status, _) = app.get("/nothing-here").await;
    assert_eq!(status, 404);

    // Update: description, clear source_origin; rename allowed while empty.
    let (status, updated) = app
        .patch(
            &format!("/dataset-groups/{id}"),
            json!({"description": "COCO 2017", "source_origin": null, "name": "coco"}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["description"], "COCO 2017");
    assert_eq!(updated["name"], "coco");
    assert_ne!(updated["updated_at"], group["updated_at"]);

    // With a version, the group cannot be deleted without cascade, nor renamed.
    app.synth("raw/coco/train/v1.0.0", SynthFormat::Coco, 4, 1);
    let (status, body) = app
        .post(
            "/datasets",
            json!({"group_id": id, "split": "TRAIN", "storage_uri": "raw/coco/train/v1.0.0"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, problem) = app
        .patch(&format!("/dataset-groups/{id}"), json!({"name": "other"}))
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (409, Some("GROUP_HAS_VERSIONS"))
    );
    let (status, problem) = app.delete(&format!("/dataset-groups/{id}")).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (409, Some("GROUP_NOT_EMPTY"))
    );
    let (status, _) = app
        .delete(&format!("/dataset-groups/{id}?cascade=true"))
        .await;
    assert_eq!(status, 204);
    let (status, _) = app.get(&format!("/dataset-groups/{id}")).await;
    assert_eq!(status, 404);
    // The NAS files stay.
    assert!(
        app.nas
            .path()
            .join("raw/coco/train/v1.0.0/annotation.json")
            .is_file()
    );
    app.stop().await;
}

#[tokio::test]
async fn validate_path_reports_and_confines() {
    let app = TestApp::start().await;
    app.synth("raw/demo/train/v1.0.0", SynthFormat::Coco, 5, 7);
    let (status, body) = app
        .post(
            "/datasets/validate-path",
            json!({"storage_uri": "raw/demo/train/v1.0.0", "annotation_format": "COCO"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["exists"], true);
    assert_eq!(body["valid"], true);
    assert_eq!(body["report"]["counts"]["images"], 5);
    assert!(body["report"]["class_histogram"].as_array().unwrap().len() > 1);
    assert_eq!(
        body["report"]["layout"]["annotation_files"],
        json!(["annotation.json"])
    );

    // Missing path: a report, not an error.
    let (status, body) = app
        .post(
            "/datasets/validate-path",
            json!({"storage_uri": "raw/none/train/v1.0.0", "annotation_format": "COCO"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (body["exists"].as_bool(), body["valid"].as_bool()),
        (Some(false), Some(false))
    );

    // A broken annotation file: valid false with the location.
    let broken = app.nas.path().join("raw/broken/train/v1.0.0");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(
        broken.join("annotation.json"),
        "{\"images\": [ {\"id\": 1,, }",
    )
    .unwrap();
    let (_, body) = app
        .post(
            "/datasets/validate-path",
            json!({"storage_uri": "raw/broken/train/v1.0.0", "annotation_format": "COCO"}),
        )
        .await;
    assert_eq!(body["valid"], false);
    assert_eq!(
        body["report"]["problems"][0]["location"]["file"],
        "annotation.json"
    );

    // Paths that leave the NAS are refused, whatever is on disk.
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), app.nas.path().join("escape")).unwrap();
    for bad in [
        "../x",
        "raw/../../x",
        "/etc",
        "%2e%2e/x",
        "raw/%2E%2E/%2e%2e",
        "escape",
        "escape/data",
        "raw\u{0}x",
        "C:\\data",
    ] {
        let (status, problem) = app
            .post(
                "/datasets/validate-path",
                json!({"storage_uri": bad, "annotation_format": "COCO"}),
            )
            .await;
        assert_eq!(status, 422, "{bad:?}: {problem}");
        assert_eq!(problem["errors"][0]["field"], "$.storage_uri", "{bad:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn register_versions_and_dataset_lifecycle() {
    let app = TestApp::start().await;
    let group = app.create_group("visdrone", "COCO", &["DETECTION"]).await;
    let gid = group["id"].as_str().unwrap();
    app.synth("raw/visdrone/train/a", SynthFormat::Coco, 3, 1);
    app.synth("raw/visdrone/train/b", SynthFormat::Coco, 4, 2);
    app.synth("raw/visdrone/yolo", SynthFormat::Yolo, 2, 3);

    let (status, next) = app
        .get(&format!("/dataset-groups/{gid}/next-version?split=TRAIN"))
        .await;
    assert_eq!((status, next["version"].as_str()), (200, Some("v1.0.0")));
    let (status, problem) = app
        .get(&format!("/dataset-groups/{gid}/next-version"))
        .await;
    assert_eq!(status, 400, "{problem}");
    let (status, problem) = app
        .get(&format!("/dataset-groups/{gid}/next-version?split=BOGUS"))
        .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (400, Some("split"))
    );

    let (status, first) = app
        .post("/datasets", json!({"group_id": gid, "split": "TRAIN", "storage_uri": "raw/visdrone/train/a", "description": "first"}))
        .await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["version"], "v1.0.0");
    assert_eq!(first["status"], "READY");
    assert_eq!(first["image_count"], 3);
    assert_eq!(first["annotation_format"], "COCO");
    assert!(
        first["metadata"]["class_histogram"]
            .as_array()
            .is_some_and(|h| !h.is_empty())
    );
    assert_eq!(first["metadata"]["counts"]["images"], 3);

    // Explicit version v1.0.9, then automatic → v1.0.10 (numeric order, not text).
    let (status, body) = app
        .post("/datasets", json!({"group_id": gid, "split": "TRAIN", "version": "v1.0.9", "storage_uri": "raw/visdrone/train/b"}))
        .await;
    assert_eq!(status, 201, "{body}");
    let (_, next) = app
        .get(&format!("/dataset-groups/{gid}/next-version?split=TRAIN"))
        .await;
    assert_eq!(next["version"], "v1.0.10");
    assert_eq!(next["latest"], "v1.0.9");
    // Splits are independent; a per-version format override.
    let (status, yolo) = app
        .post("/datasets", json!({"group_id": gid, "split": "VAL", "storage_uri": "raw/visdrone/yolo", "annotation_format": "YOLO"}))
        .await;
    assert_eq!(status, 201, "{yolo}");
    assert_eq!(
        (yolo["version"].as_str(), yolo["annotation_format"].as_str()),
        (Some("v1.0.0"), Some("YOLO"))
    );
    assert_eq!(yolo["annotation_format_overridden"], true);

    // Errors: duplicate version, malformed version, data with errors, wrong format, missing group.
    let (status, problem) = app
        .post("/datasets", json!({"group_id": gid, "split": "TRAIN", "version": "v1.0.9", "storage_uri": "raw/visdrone/train/b"}))
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (409, Some("VERSION_EXISTS"))
    );
    let (status, problem) = app
        .post("/datasets", json!({"group_id": gid, "split": "TRAIN", "version": "1.0", "storage_uri": "raw/visdrone/train/b"}))
        .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("$.version"))
    );
    let (status, problem) = app
        .post(
            "/datasets",
            json!({"group_id": gid, "split": "TEST", "storage_uri": "raw/visdrone/yolo"}),
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (422, Some("DATASET_INVALID")),
        "{problem}"
    );
    assert!(!problem["errors"].as_array().unwrap().is_empty());
    let (status, problem) = app
        .post(
            "/datasets",
            json!({"group_id": gid, "split": "TEST", "storage_uri": "raw/visdrone/none"}),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("does not exist")
    );
    let (status, problem) = app
        .post("/datasets", json!({"group_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "split": "TEST", "storage_uri": "raw/visdrone/yolo"}))
        .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("$.group_id"))
    );
    let (status, problem) = app
        .post(
            "/datasets",
            json!({"group_id": "nope", "split": "TEST", "storage_uri": "x"}),
        )
        .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("$.group_id"))
    );

    // The flat list of versions.
    let (status, page) = app
        .get(&format!("/datasets?group_id={gid}&split=TRAIN"))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 2);
    assert_eq!(page["items"][0]["version"], "v1.0.9", "newest first");
    let (_, page) = app.get("/datasets?status=READY&page_size=1&page=3").await;
    assert_eq!(
        (page["total"].as_u64(), page["items"][0]["split"].as_str()),
        (Some(3), Some("TRAIN"))
    );
    let (status, problem) = app.get("/datasets?group_id=nope").await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (400, Some("group_id"))
    );

    // Get, patch, transitions, delete.
    let did = first["id"].as_str().unwrap();
    let (status, got) = app.get(&format!("/datasets/{did}")).await;
    assert_eq!((status, got["description"].as_str()), (200, Some("first")));
    let (status, patched) = app
        .patch(
            &format!("/datasets/{did}"),
            json!({"description": null, "status": "ERROR"}),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(
        (patched["description"].clone(), patched["status"].as_str()),
        (Value::Null, Some("ERROR"))
    );
    let (status, _) = app
        .patch(&format!("/datasets/{did}"), json!({"status": "READY"}))
        .await;
    assert_eq!(status, 200);
    let (status, problem) = app
        .patch(&format!("/datasets/{did}"), json!({"status": "PENDING"}))
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (409, Some("INVALID_STATUS_TRANSITION"))
    );
    let (status, problem) = app
        .patch(&format!("/datasets/{did}"), json!({"status": "DONE"}))
        .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("$.status"))
    );
    let (status, detail) = app.get(&format!("/dataset-groups/{gid}")).await;
    assert_eq!(status, 200);
    let versions: Vec<_> = detail["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["split"].as_str().unwrap().to_owned(),
                d["version"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        [
            ("TRAIN".into(), "v1.0.9".into()),
            ("TRAIN".into(), "v1.0.0".into()),
            ("VAL".into(), "v1.0.0".into())
        ]
    );
    let (status, _) = app.delete(&format!("/datasets/{did}")).await;
    assert_eq!(status, 204);
    let (status, _) = app.get(&format!("/datasets/{did}")).await;
    assert_eq!(status, 404);
    let (status, _) = app.delete(&format!("/datasets/{did}")).await;
    assert_eq!(status, 404);
    assert!(
        app.nas
            .path()
            .join("raw/visdrone/train/a/annotation.json")
            .is_file(),
        "files are never deleted"
    );
    app.stop().await;
}

#[tokio::test]
async fn list_filters_sorts_and_pages() {
    let app = TestApp::start().await;
    app.synth("d/coco", SynthFormat::Coco, 6, 1);
    app.synth("d/coco_small", SynthFormat::Coco, 2, 2);
    app.synth("d/yolo", SynthFormat::Yolo, 3, 3);
    let alpha = app.create_group("alpha_coco", "COCO", &["DETECTION"]).await;
    let beta = app
        .create_group("beta_seg", "COCO", &["SEGMENTATION"])
        .await;
    let gamma = app
        .create_group("gamma_yolo", "YOLO", &["DETECTION", "CLASSIFICATION"])
        .await;
    let (status, _) = app
        .post("/dataset-groups", json!({"name": "delta_thermal", "dataset_type": "SOURCE", "annotation_format": "NONE", "modality": "THERMAL"}))
        .await;
    assert_eq!(status, 201);
    for (group, split, uri) in [
        (&alpha, "TRAIN", "d/coco"),
        (&alpha, "VAL", "d/coco_small"),
        (&beta, "TRAIN", "d/coco_small"),
        (&gamma, "TEST", "d/yolo"),
    ] {
        let (status, body) = app
            .post(
                "/datasets",
                json!({"group_id": group["id"], "split": split, "storage_uri": uri}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let names = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (status, all) = app.get("/dataset-groups?sort=name").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(
        names(&all),
        ["alpha_coco", "beta_seg", "delta_thermal", "gamma_yolo"]
    );
    assert_eq!(
        (
            all["total"].as_u64(),
            all["page"].as_u64(),
            all["page_size"].as_u64()
        ),
        (Some(4), Some(1), Some(20))
    );
    let alpha_row = &all["items"][0];
    assert_eq!(alpha_row["image_count"], 8);
    assert_eq!(alpha_row["version_count"], 2);
    assert_eq!(alpha_row["splits"][0]["split"], "TRAIN");
    assert_eq!(alpha_row["splits"][0]["versions"][0]["version"], "v1.0.0");
    assert_eq!(alpha_row["splits"][1]["split"], "VAL");
    // The view's JSON is passed through unparsed: it must be exactly the documented shape.
    for item in all["items"].as_array().unwrap() {
        let splits: Vec<datamill_registry::dto::SummarySplit> =
            serde_json::from_value(item["splits"].clone()).unwrap();
        let versions: usize = splits.iter().map(|s| s.versions.len()).sum();
        assert_eq!(versions as u64, item["version_count"].as_u64().unwrap());
    }

    for (query, expected) in [
        ("task_types=DETECTION", vec!["alpha_coco", "gamma_yolo"]),
        (
            "task_types=SEGMENTATION,CLASSIFICATION",
            vec!["beta_seg", "gamma_yolo"],
        ),
        ("annotation_format=YOLO", vec!["gamma_yolo"]),
        ("dataset_type=SOURCE", vec!["delta_thermal"]),
        ("modality=THERMAL", vec!["delta_thermal"]),
        ("split=VAL", vec!["alpha_coco"]),
        ("split=TEST&task_types=DETECTION", vec!["gamma_yolo"]),
        ("status=READY", vec!["alpha_coco", "beta_seg", "gamma_yolo"]),
        ("status=ERROR", vec![]),
        ("q=A_C", vec!["alpha_coco"]),
        ("q=%25", vec![]),
        ("q=ET", vec!["beta_seg"]),
        ("q=TA", vec!["beta_seg", "delta_thermal"]),
    ] {
        let (status, body) = app.get(&format!("/dataset-groups?sort=name&{query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(names(&body), expected, "{query}");
        assert_eq!(body["total"], expected.len(), "{query}");
    }
    let (_, by_images) = app.get("/dataset-groups?sort=-image_count").await;
    assert_eq!(
        names(&by_images),
        ["alpha_coco", "gamma_yolo", "beta_seg", "delta_thermal"]
    );
    let (_, newest) = app.get("/dataset-groups?sort=-created_at").await;
    assert_eq!(names(&newest)[0], "delta_thermal");
    let (_, default_order) = app.get("/dataset-groups").await;
    assert_eq!(names(&default_order), names(&newest));
    let (_, page2) = app
        .get("/dataset-groups?sort=name&page=2&page_size=3")
        .await;
    assert_eq!(names(&page2), ["gamma_yolo"]);
    assert_eq!(page2["total"], 4);
    let (_, beyond) = app
        .get("/dataset-groups?sort=name&page=9&page_size=3")
        .await;
    assert_eq!(
        (
            beyond["items"].as_array().unwrap().len(),
            beyond["total"].as_u64()
        ),
        (0, Some(4))
    );

    for (query, field) in [
        ("sort=size", "sort"),
        ("page=0", "page"),
        ("page_size=1000", "page_size"),
        ("split=TRAINING", "split"),
        ("task_types=DANCE", "task_types"),
        ("colour=red", "colour"),
    ] {
        let (status, problem) = app.get(&format!("/dataset-groups?{query}")).await;
        assert_eq!(status, 400, "{query}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
    // Status changes show in the list.
    let did = app
        .get(&format!(
            "/dataset-groups/{}",
            gamma["id"].as_str().unwrap()
        ))
        .await
        .1["datasets"][0]["id"]
        .clone();
    app.patch(
        &format!("/datasets/{}", did.as_str().unwrap()),
        json!({"status": "ERROR"}),
    )
    .await;
    let (_, errors) = app.get("/dataset-groups?status=ERROR").await;
    assert_eq!(names(&errors), ["gamma_yolo"]);
    app.stop().await;
}

/// The registry answers the list from an in-memory index of the view: data inserted with SQL and
/// a refresh typed by an operator (plain or concurrent) show at the next request, and every
/// filter, sort and page agrees with the same query run in SQL on the view.
#[tokio::test]
async fn the_list_follows_refreshes_made_outside_the_registry_and_agrees_with_sql() {
    let app = TestApp::start().await;
    let (_, empty) = app.get("/dataset-groups").await;
    assert_eq!(empty["total"], 0, "{empty}");
    let seed = |from: u32, to: u32| {
        format!(
            "INSERT INTO dataset_groups (name, dataset_type, annotation_format, task_types, modality) \
             SELECT format('g_%s', lpad(i::text, 4, '0')), \
                    (ARRAY['RAW','SOURCE','PROCESSED','FUSION'])[1 + i % 4]::dataset_type, \
                    (ARRAY['COCO','YOLO','ATTR_JSON'])[1 + i % 3], \
                    (CASE i % 3 WHEN 0 THEN '[\"DETECTION\"]' WHEN 1 THEN '[\"SEGMENTATION\",\"DETECTION\"]' \
                     ELSE '[\"CLASSIFICATION\"]' END)::jsonb, \
                    CASE WHEN i % 5 = 0 THEN 'THERMAL' ELSE 'RGB' END \
             FROM generate_series({from}, {to}) AS i; \
             INSERT INTO datasets (group_id, split, version, storage_uri, status, image_count, class_count) \
             SELECT g.id, (ARRAY['TRAIN','VAL','TEST'])[1 + v % 3]::dataset_split, format('v1.0.%s', v), \
                    format('raw/%s/v1.0.%s', g.name, v), \
                    (CASE WHEN (hashtext(g.name) + v) % 4 = 0 THEN 'ERROR' ELSE 'READY' END)::dataset_status, \
                    abs(hashtext(g.name || v)) % 1000, 3 \
             FROM dataset_groups g CROSS JOIN generate_series(0, 1 + abs(hashtext(g.name)) % 3) AS v \
             WHERE g.name BETWEEN format('g_%s', lpad('{from}', 4, '0')) AND format('g_%s', lpad('{to}', 4, '0'));"
        )
    };
    app.sql(&seed(1, 60)).await;
    app.sql("REFRESH MATERIALIZED VIEW dataset_group_summary")
        .await;
    let (_, first) = app.get("/dataset-groups?page_size=200").await;
    assert_eq!(
        first["total"], 60,
        "a plain refresh by an operator shows at once"
    );
    app.sql(&seed(61, 75)).await;
    app.sql("REFRESH MATERIALIZED VIEW CONCURRENTLY dataset_group_summary")
        .await;
    let (_, second) = app.get("/dataset-groups?page_size=200").await;
    assert_eq!(second["total"], 75, "so does a concurrent one");

    // The oracle: the same filters, sorts and pages as SQL on the view.
    let (db, _) =
        datamill_db::connect_lazy(&app.database.url, &datamill_db::PoolOptions::default()).unwrap();
    let sql_names = |condition: &str, order: &str, limit: u64, offset: u64| {
        format!(
            "SELECT name FROM dataset_group_summary {condition} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        )
    };
    for (query, condition) in [
        ("", ""),
        ("dataset_type=PROCESSED", "WHERE dataset_type = 'PROCESSED'"),
        (
            "task_types=SEGMENTATION,CLASSIFICATION",
            "WHERE (task_mask & 18) <> 0",
        ),
        ("annotation_format=YOLO", "WHERE (format_mask & 2) <> 0"),
        ("modality=THERMAL", "WHERE modality = 'THERMAL'"),
        (
            "split=TEST&status=ERROR",
            "WHERE (split_mask & 4) <> 0 AND (status_mask & 8) <> 0",
        ),
        ("q=_00", "WHERE lower(name) LIKE '%\\_00%'"),
    ] {
        for (sort, order) in [
            ("name", "lower(name), group_id"),
            ("-name", "lower(name) DESC, group_id DESC"),
            ("created_at", "created_at, group_id"),
            ("-image_count", "image_count DESC, group_id DESC"),
        ] {
            for (page, page_size) in [(1, 7), (3, 7), (2, 25)] {
                let (status, body) = app
                    .get(&format!(
                        "/dataset-groups?{query}&sort={sort}&page={page}&page_size={page_size}"
                    ))
                    .await;
                assert_eq!(status, 200, "{body}");
                let expected: Vec<String> = db
                    .query_all_raw(sea_orm::Statement::from_string(
                        sea_orm::DbBackend::Postgres,
                        sql_names(condition, order, page_size, (page - 1) * page_size),
                    ))
                    .await
                    .unwrap()
                    .iter()
                    .map(|row| row.try_get::<String>("", "name").unwrap())
                    .collect();
                let got: Vec<String> = body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|item| item["name"].as_str().unwrap().to_owned())
                    .collect();
                assert_eq!(got, expected, "{query} sort={sort} page={page}");
                let total = db
                    .query_one_raw(sea_orm::Statement::from_string(
                        sea_orm::DbBackend::Postgres,
                        format!("SELECT count(*) AS n FROM dataset_group_summary {condition}"),
                    ))
                    .await
                    .unwrap()
                    .unwrap()
                    .try_get::<i64>("", "n")
                    .unwrap();
                assert_eq!(body["total"], total, "{query}");
            }
        }
    }
    db.close().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn concurrent_registrations_get_distinct_versions() {
    let app = TestApp::start().await;
    let group = app.create_group("burst", "COCO", &["DETECTION"]).await;
    app.synth("raw/burst/train/data", SynthFormat::Coco, 2, 5);
    let (before_requested, before_runs) =
        app.registry.as_ref().unwrap().registry.refresher.counts();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let client = app.client.clone();
        let url = app.api("/datasets");
        let body = json!({"group_id": group["id"], "split": "TRAIN", "storage_uri": "raw/burst/train/data"});
        tasks.push(tokio::spawn(async move {
            let response = client.post(url).json(&body).send().await.unwrap();
            support::status_json(response).await
        }));
    }
    let mut versions = Vec::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, 201, "{body}");
        versions.push(body["version"].as_str().unwrap().to_owned());
    }
    versions.sort();
    versions.dedup();
    assert_eq!(versions.len(), 50);
    let expected: Vec<String> = {
        let mut v: Vec<String> = (0..50).map(|p| format!("v1.0.{p}")).collect();
        v.sort();
        v
    };
    assert_eq!(versions, expected);
    let (requested, runs) = app.registry.as_ref().unwrap().registry.refresher.counts();
    assert_eq!(requested - before_requested, 50);
    assert!(
        runs - before_runs < 50,
        "the burst was coalesced: {} refreshes",
        runs - before_runs
    );
    let (_, list) = app.get("/dataset-groups").await;
    assert_eq!(list["items"][0]["version_count"], 50);
    app.stop().await;
}

#[tokio::test]
async fn health_and_request_ids() {
    let app = TestApp::start().await;
    for path in ["/health", "/api/v1/health"] {
        let response = app
            .client
            .get(format!("{}{path}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers().contains_key("x-request-id"));
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["database"]["status"], "up");
        assert!(body["database"]["latency_ms"].as_f64().is_some());
    }
    let response = app
        .client
        .get(app.api("/dataset-groups/bad"))
        .header("x-request-id", "client-chosen-42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "client-chosen-42");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["request_id"], "client-chosen-42");
    app.stop().await;
}

#[tokio::test]
async fn manipulator_catalog_is_synced_listed_and_operated() {
    let mut app = TestApp::start().await;
    let (status, catalog) = app.get("/manipulators").await;
    assert_eq!(status, 200, "{catalog}");
    let items = catalog["items"].as_array().unwrap();
    assert_eq!(items.len(), datamill_core::pipeline::catalog().len());
    for item in items {
        assert_eq!(item["params_schema"]["type"], "object", "{item}");
        assert!(item["version"].as_str().is_some());
    }
    let names = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, post) = app.get("/manipulators?scope=POST_MERGE").await;
    assert!(names(&post).contains(&"shuffle_image_ids".to_owned()));
    assert!(!names(&post).contains(&"rotate_180".to_owned()));
    let (_, classification) = app.get("/manipulators?task_type=CLASSIFICATION").await;
    assert!(!names(&classification).contains(&"mask_region_by_class".to_owned()));
    let (_, visdrone) = app.get("/manipulators?annotation_format=visdrone").await;
    assert!(names(&visdrone).contains(&"format_convert_visdrone_to_yolo".to_owned()));
    assert!(!names(&visdrone).contains(&"format_convert_to_yolo".to_owned()));
    let (_, experimental) = app.get("/manipulators?status=EXPERIMENTAL").await;
    assert_eq!(names(&experimental), ["mask_region_by_class"]);
    let (status, problem) = app.get("/manipulators?scope=SOMEWHERE").await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["field"], "scope", "{problem}");

    let (status, changed) = app
        .patch("/manipulators/rotate_180", json!({"status": "DEPRECATED"}))
        .await;
    assert_eq!(
        (status, changed["status"].as_str()),
        (200, Some("DEPRECATED")),
        "{changed}"
    );
    let (status, _) = app
        .patch("/manipulators/rotate_90", json!({"status": "ACTIVE"}))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .patch("/manipulators/rotate_180", json!({"status": "SOMETIMES"}))
        .await;
    assert_eq!(status, 422);

    // A redeploy: the operator's status stays, a schema changed behind our back is restored,
    // and a manipulator the code no longer has is retired.
    app.sql("UPDATE manipulators SET params_schema = '{}', version = '0.0.1' WHERE name = 'filter_keep_by_class'").await;
    app.sql("INSERT INTO manipulators (name, category, version) VALUES ('old_blur', 'AUGMENT', '1.0.0')").await;
    app.restart().await;
    let (_, all) = app.get("/manipulators").await;
    let find = |name: &str| {
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(find("rotate_180")["status"], "DEPRECATED");
    assert_eq!(
        find("filter_keep_by_class")["params_schema"]["type"],
        "object"
    );
    assert_eq!(find("filter_keep_by_class")["version"], "1.0.0");
    assert_eq!(find("old_blur")["status"], "DEPRECATED");
    app.stop().await;
}

#[tokio::test]
async fn lineage_walks_up_and_down_with_a_depth() {
    let app = TestApp::start().await;
    let group = app.create_group("lineage", "COCO", &["DETECTION"]).await;
    let gid = group["id"].as_str().unwrap();
    let mut ids = Vec::new();
    for name in ["a", "b", "c", "d"] {
        app.synth(
            &format!("raw/lineage/train/{name}"),
            SynthFormat::Coco,
            2,
            1,
        );
        let (status, body) = app
            .post("/datasets", json!({"group_id": gid, "split": "TRAIN", "storage_uri": format!("raw/lineage/train/{name}")}))
            .await;
        assert_eq!(status, 201, "{body}");
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let (a, b, c, d) = (&ids[0], &ids[1], &ids[2], &ids[3]);
    // a → c ← b, c → d
    app.sql(&format!(
        "INSERT INTO dataset_lineage (parent_id, child_id, transform_config) VALUES \
         ('{a}', '{c}', '{{\"manipulators\": [\"rotate_180\"]}}'), ('{b}', '{c}', '{{}}'), ('{c}', '{d}', '{{}}')"
    ))
    .await;
    let depth_of = |body: &Value, id: &str| {
        body["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["dataset"]["id"] == id)
            .map(|n| n["depth"].as_i64().unwrap())
    };
    let (status, both) = app.get(&format!("/datasets/{c}/lineage")).await;
    assert_eq!(status, 200, "{both}");
    assert_eq!(both["edges"].as_array().unwrap().len(), 3);
    assert_eq!(
        (
            depth_of(&both, a),
            depth_of(&both, b),
            depth_of(&both, c),
            depth_of(&both, d)
        ),
        (Some(-1), Some(-1), Some(0), Some(1))
    );
    assert_eq!(both["nodes"][0]["group_name"], "lineage");
    let edge = both["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["parent_id"] == a.as_str())
        .unwrap();
    assert_eq!(edge["transform_config"]["manipulators"][0], "rotate_180");

    let (_, up) = app
        .get(&format!("/datasets/{d}/lineage?direction=up&depth=1"))
        .await;
    assert_eq!(up["nodes"].as_array().unwrap().len(), 2, "{up}");
    assert_eq!(depth_of(&up, c), Some(-1));
    let (_, deeper) = app
        .get(&format!("/datasets/{d}/lineage?direction=up&depth=2"))
        .await;
    assert_eq!(
        (depth_of(&deeper, a), depth_of(&deeper, b)),
        (Some(-2), Some(-2))
    );
    let (_, down) = app
        .get(&format!("/datasets/{a}/lineage?direction=down"))
        .await;
    assert_eq!(
        (depth_of(&down, c), depth_of(&down, d), depth_of(&down, b)),
        (Some(1), Some(2), None)
    );

    let (status, problem) = app.get(&format!("/datasets/{a}/lineage?depth=0")).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (400, Some("depth"))
    );
    let (status, _) = app
        .get(&format!("/datasets/{a}/lineage?direction=sideways"))
        .await;
    assert_eq!(status, 400);
    let (status, _) = app
        .get("/datasets/00000000-0000-0000-0000-000000000000/lineage")
        .await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn pipeline_preview_is_the_engines_dry_run_and_names_every_problem() {
    let app = TestApp::start().await;
    let group = app.create_group("coco_src", "COCO", &["DETECTION"]).await;
    let gid = group["id"].as_str().unwrap();
    app.synth("raw/coco_src/train/v1.0.0", SynthFormat::Coco, 12, 5);
    let (status, source) = app
        .post(
            "/datasets",
            json!({"group_id": gid, "split": "TRAIN", "storage_uri": "raw/coco_src/train/v1.0.0"}),
        )
        .await;
    assert_eq!(status, 201, "{source}");
    let source_id = source["id"].as_str().unwrap();
    let config = |manipulators: Value, source: &str| {
        json!({
            "output": {"group": "coco_yolo", "dataset_type": "PROCESSED", "split": "TRAIN",
                       "annotation_format": "YOLO", "task_types": ["DETECTION"]},
            "sources": [{"dataset_id": source, "manipulators": manipulators}],
            "post_merge": [{"name": "shuffle_image_ids", "params": {"seed": 3}}]
        })
    };
    let good = config(
        json!([{"name": "format_convert_to_yolo", "params": {"iscrowd": "box"}}]),
        source_id,
    );
    let (status, preview) = app.post("/pipelines/preview", good).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["summary"]["images"], 12);
    assert_eq!(preview["output"]["version"], "v1.0.0");
    assert_eq!(
        preview["output"]["storage_uri"],
        "processed/coco_yolo/train/v1.0.0"
    );
    assert_eq!(
        preview["report"]["steps"][0]["manipulator"],
        "format_convert_to_yolo"
    );
    // The same counts the registry stored for the source.
    assert_eq!(preview["summary"]["images"], source["image_count"]);
    assert!(
        !app.nas.path().join("processed").exists(),
        "a preview writes nothing"
    );

    let bad = config(
        json!([
            {"name": "rotate_90"},
            {"name": "shuffle_image_ids"},
            {"name": "change_compression", "params": {"quality": 0}},
            {"name": "format_convert_to_yolo"}
        ]),
        source_id,
    );
    let (status, problem) = app.post("/pipelines/preview", bad).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (422, Some("PIPELINE_INVALID")),
        "{problem}"
    );
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for expected in [
        "$.sources[0].manipulators[0].name",
        "$.sources[0].manipulators[1].name",
        "$.sources[0].manipulators[2].params.quality",
    ] {
        assert!(fields.contains(&expected), "{expected} not in {fields:?}");
    }
    let (status, problem) = app
        .post(
            "/pipelines/preview",
            config(json!([]), "00000000-0000-0000-0000-000000000000"),
        )
        .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("$.sources[0].dataset_id"))
    );
    let (status, problem) = app.post("/pipelines/preview", json!({"output": {}})).await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem["errors"][0]["field"]
            .as_str()
            .unwrap_or_default()
            .starts_with("$.output"),
        "{problem}"
    );
    // A source that is not READY.
    let (status, _) = app
        .patch(
            &format!("/datasets/{source_id}"),
            json!({"status": "ERROR"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, problem) = app
        .post(
            "/pipelines/preview",
            config(json!([{"name": "format_convert_to_yolo"}]), source_id),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("not READY"),
        "{problem}"
    );
    app.stop().await;
}

#[tokio::test]
async fn submitted_pipelines_create_their_records_in_one_go_and_can_be_cancelled() {
    let app = TestApp::start().await;
    let group = app.create_group("coco_in", "COCO", &["DETECTION"]).await;
    let gid = group["id"].as_str().unwrap();
    app.synth("raw/coco_in/train/v1.0.0", SynthFormat::Coco, 6, 2);
    let (_, source) = app
        .post(
            "/datasets",
            json!({"group_id": gid, "split": "TRAIN", "storage_uri": "raw/coco_in/train/v1.0.0"}),
        )
        .await;
    let source_id = source["id"].as_str().unwrap().to_owned();
    let config = |version: Option<&str>| {
        let mut output = json!({"group": "coco_out", "dataset_type": "PROCESSED", "split": "TRAIN",
                                "annotation_format": "YOLO", "task_types": ["DETECTION"]});
        if let Some(version) = version {
            output["version"] = json!(version);
        }
        json!({"output": output, "sources": [{"dataset_id": source_id,
               "manipulators": [{"name": "format_convert_to_yolo"}]}]})
    };
    let response = app
        .client
        .post(app.api("/pipelines"))
        .json(&config(None))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let execution: Value = response.json().await.unwrap();
    assert_eq!(execution["status"], "PENDING");
    assert_eq!(execution["config"]["output"]["version"], "v1.0.0");
    assert_eq!(
        location,
        format!("/api/v1/pipelines/{}", execution["id"].as_str().unwrap())
    );
    let output_id = execution["output_dataset_id"].as_str().unwrap().to_owned();
    let (_, output) = app.get(&format!("/datasets/{output_id}")).await;
    assert_eq!(
        (output["status"].as_str(), output["version"].as_str()),
        (Some("PENDING"), Some("v1.0.0"))
    );
    assert_eq!(output["storage_uri"], "processed/coco_out/train/v1.0.0");
    let (_, lineage) = app
        .get(&format!("/datasets/{output_id}/lineage?direction=up"))
        .await;
    assert_eq!(
        lineage["edges"][0]["parent_id"],
        source_id.as_str(),
        "{lineage}"
    );
    assert_eq!(
        lineage["edges"][0]["transform_config"]["sources"][0]["manipulators"][0]["name"],
        "format_convert_to_yolo"
    );

    // The next one gets the next patch; a taken version is refused by path.
    let (status, second) = app.post("/pipelines", config(None)).await;
    assert_eq!(
        (status, second["config"]["output"]["version"].as_str()),
        (202, Some("v1.0.1")),
        "{second}"
    );
    let (status, problem) = app.post("/pipelines", config(Some("v1.0.0"))).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("$.output.version")),
        "{problem}"
    );

    // History, filters and the execution itself.
    let (_, page) = app
        .get(&format!(
            "/pipelines?output_group_id={}&status=PENDING",
            execution["output_group_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(page["total"], 2, "{page}");
    assert_eq!(page["items"][0]["id"], second["id"], "newest first");
    let (status, _) = app.get("/pipelines?status=SLEEPING").await;
    assert_eq!(status, 400);
    let (status, one) = app.get(&location.replace("/api/v1", "")).await;
    assert_eq!((status, one["id"].clone()), (200, execution["id"].clone()));

    // Cancel a pending one: at once, and its output dataset is ERROR; twice is a conflict.
    let (status, cancelled) = app
        .post(
            &format!("/pipelines/{}/cancel", execution["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, cancelled["status"].as_str()),
        (202, Some("CANCELLED")),
        "{cancelled}"
    );
    let (_, output) = app.get(&format!("/datasets/{output_id}")).await;
    assert_eq!(output["status"], "ERROR");
    let (status, problem) = app
        .post(
            &format!("/pipelines/{}/cancel", execution["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (409, Some("EXECUTION_ENDED"))
    );
    let (status, _) = app
        .get("/pipelines/00000000-0000-0000-0000-000000000000")
        .await;
    assert_eq!(status, 404);

    // An existing group of another type is refused.
    let mut fused = config(None);
    fused["output"]["dataset_type"] = json!("FUSION");
    let (status, problem) = app.post("/pipelines", fused).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("$.output.dataset_type")),
        "{problem}"
    );
    app.stop().await;
}

#[test]
fn openapi_document_is_current() {
    let generated = serde_json::to_string_pretty(&datamill_registry::openapi()).unwrap() + "\n";
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../proto-schemas/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "proto-schemas/openapi.json is stale: run `make openapi` and commit the result"
    );
    // Every operation has a summary; every error response is a problem document.
    let doc: Value = serde_json::from_str(&generated).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path} has no summary"
            );
            // A query parameter declared as a path parameter makes generated clients put it in
            // the URL path (the GUI's client did, for next-version's `split`).
            for parameter in op["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap();
                let in_path = path.contains(&format!("{{{name}}}"));
                assert_eq!(
                    parameter["in"] == "path",
                    in_path,
                    "{method} {path}: parameter `{name}` is declared `in: {}`",
                    parameter["in"]
                );
            }
            for (code, response) in op["responses"].as_object().unwrap() {
                let health = path.ends_with("/health");
                if code.starts_with('4') || (code.starts_with('5') && !health) {
                    let schema = &response["content"]["application/problem+json"]["schema"]["$ref"];
                    assert_eq!(
                        schema, "#/components/schemas/Problem",
                        "{method} {path} {code}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn training_routes_answer_501_naming_release_2() {
    let app = TestApp::start().await;
    for (method, path) in [
        (reqwest::Method::GET, "/training/jobs"),
        (reqwest::Method::POST, "/training/jobs"),
        (
            reqwest::Method::GET,
            "/training/jobs/0f8fad5b-d9cb-469f-a165-70867728950e",
        ),
        (
            reqwest::Method::POST,
            "/training/jobs/0f8fad5b-d9cb-469f-a165-70867728950e/cancel",
        ),
        (reqwest::Method::GET, "/training/gpus"),
        (reqwest::Method::DELETE, "/training/recipes/7"),
        (reqwest::Method::GET, "/training"),
    ] {
        let response = app
            .client
            .request(method.clone(), app.api(path))
            .send()
            .await
            .unwrap();
        let (status, body) = support::status_json(response).await;
        assert_eq!(status, 501, "{method} {path}: {body}");
        assert_eq!(body["code"], "NOT_IMPLEMENTED");
        let detail = body["detail"].as_str().unwrap();
        assert!(
            detail.contains("release 2") && detail.contains(path),
            "{detail}"
        );
    }
    let (status, body) = app.get("/trainingx").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("ROUTE_NOT_FOUND"))
    );
    let openapi = datamill_registry::openapi();
    let paths = serde_json::to_value(&openapi).unwrap()["paths"].clone();
    for path in [
        "/api/v1/training/jobs",
        "/api/v1/training/jobs/{id}/cancel",
        "/api/v1/training/gpus",
    ] {
        assert!(
            paths.get(path).is_some(),
            "{path} is in the OpenAPI document"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn system_status_shows_workers_queues_and_the_database() {
    let app = TestApp::start().await;
    app.sql(
        "INSERT INTO pipeline_workers (id, host, pid, version, last_seen_at) \
             VALUES ('pw-1', 'node-a', 41, '0.1.0', now() - interval '2 seconds'); \
         INSERT INTO eda_workers (id, host, pid, version, last_seen_at) \
             VALUES ('ew-1', 'node-b', 42, '0.1.0', now() - interval '2 minutes'), \
                    ('ew-old', 'node-c', 43, '0.1.0', now() - interval '3 days'); \
         INSERT INTO apalis.jobs (job, id, job_type, status, attempts, max_attempts, run_at, done_at) VALUES \
             (decode('00', 'hex'), 'j1', 'pipeline', 'Pending', 0, 5, now() - interval '10 minutes', NULL), \
             (decode('00', 'hex'), 'j2', 'pipeline', 'Failed', 1, 5, now() - interval '1 minute', NULL), \
             (decode('00', 'hex'), 'j3', 'pipeline', 'Pending', 0, 5, now() + interval '1 hour', NULL), \
             (decode('00', 'hex'), 'j4', 'pipeline', 'Running', 1, 5, now() - interval '20 minutes', NULL), \
             (decode('00', 'hex'), 'j5', 'pipeline', 'Failed', 5, 5, now() - interval '2 hours', now()), \
             (decode('00', 'hex'), 'j6', 'pipeline', 'Done', 1, 5, now() - interval '2 hours', now())",
    )
    .await;
    let (status, body) = app.get("/system/status").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["database"]["status"], "up");
    assert!(body["database"]["latency_ms"].as_f64().unwrap() >= 0.0);

    let workers = body["workers"].as_array().unwrap();
    assert_eq!(
        workers.len(),
        2,
        "workers older than a day are left out: {body}"
    );
    assert_eq!(workers[0]["id"], "pw-1");
    assert_eq!(workers[0]["kind"], "pipeline");
    assert_eq!(workers[0]["state"], "ALIVE");
    let age = workers[0]["heartbeat_age_secs"].as_f64().unwrap();
    assert!((1.0..30.0).contains(&age), "{age}");
    assert_eq!(workers[1]["id"], "ew-1");
    assert_eq!(workers[1]["kind"], "eda");
    assert_eq!(workers[1]["state"], "STALE");
    assert!(workers[1]["heartbeat_age_secs"].as_f64().unwrap() >= 119.0);

    let queues = body["queues"].as_array().unwrap();
    assert_eq!(queues.len(), 2);
    let pipeline = &queues[0];
    assert_eq!(pipeline["name"], "pipeline");
    assert_eq!(
        pipeline["pending"], 2,
        "new and retryable jobs that are due: {pipeline}"
    );
    assert_eq!(pipeline["scheduled"], 1);
    assert_eq!(pipeline["in_flight"], 1);
    assert_eq!(pipeline["failed_last_day"], 1);
    let oldest = pipeline["oldest_pending_age_secs"].as_f64().unwrap();
    assert!((599.0..700.0).contains(&oldest), "{oldest}");
    assert_eq!(
        queues[1],
        json!({"name": "eda", "pending": 0, "in_flight": 0, "scheduled": 0,
               "oldest_pending_age_secs": null, "failed_last_day": 0})
    );
    app.stop().await;
}
