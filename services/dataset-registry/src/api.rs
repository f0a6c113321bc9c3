//! HTTP routes under `/api/v1`: thin handlers that parse, call the [`Registry`] and answer.

use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use datamill_db::types::TaskType;
use datamill_platform::extract::{ApiJson, ApiQuery, parse_uuid};
use datamill_platform::problem::Problem;
use sea_orm::ConnectionTrait;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::dto::{
    DatabaseHealth, Dataset, DatasetListQuery, DatasetPage, DatasetPatch, DeleteGroupQuery, Group,
    GroupDetail, GroupListQuery, GroupPage, GroupPatch, Health, Lineage, LineageQuery, Manipulator,
    ManipulatorList, ManipulatorListQuery, ManipulatorPatch, NewDataset, NewGroup, NextVersion,
    NextVersionQuery, ValidatePathRequest, ValidatePathResponse,
};
use crate::dto::{EdaRun, Execution, ExecutionListQuery, ExecutionPage, PipelinePreview};
use crate::dto::{ImagePreviewQuery, JpegImage, SamplePage, SamplesQuery, SystemStatus};
use crate::error::ApiError;
use crate::repo::summary::{ListFilter, SortKey};
use crate::service::Registry;

type State = web::Data<Registry>;

/// Routes under `/api/v1`.
pub fn configure(config: &mut ServiceConfig) {
    config
        .service(health_v1)
        .service(list_groups)
        .service(create_group)
        .service(get_group)
        .service(update_group)
        .service(delete_group)
        .service(next_version)
        .service(validate_path)
        .service(list_datasets)
        .service(register_dataset)
        .service(get_dataset)
        .service(update_dataset)
        .service(delete_dataset)
        .service(dataset_lineage)
        .service(dataset_samples)
        .service(dataset_image)
        .service(get_eda)
        .service(rerun_eda)
        .service(preview_pipeline)
        .service(submit_pipeline)
        .service(list_pipelines)
        .service(get_pipeline)
        .service(cancel_pipeline)
        .service(system_status)
        .service(list_manipulators)
        .service(update_manipulator);
}

// ----- health ---------------------------------------------------------------------------------

/// Database state and latency; 503 when the database cannot be reached.
/// The database's state and the latency of a trivial query (2 s at most).
pub async fn database_health(registry: &Registry) -> DatabaseHealth {
    let started = Instant::now();
    let probe = tokio::time::timeout(
        Duration::from_secs(2),
        registry.db.execute_unprepared("SELECT 1"),
    )
    .await;
    match probe {
        Ok(Ok(_)) => DatabaseHealth {
            status: "up".to_owned(),
            latency_ms: Some((started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0),
            error: None,
        },
        Ok(Err(error)) => DatabaseHealth {
            status: "down".to_owned(),
            latency_ms: None,
            error: Some(error.to_string()),
        },
        Err(_) => DatabaseHealth {
            status: "down".to_owned(),
            latency_ms: None,
            error: Some("no answer within 2 s".to_owned()),
        },
    }
}

pub async fn health_response(registry: &Registry) -> HttpResponse {
    let database = database_health(registry).await;
    let ok = database.status == "up";
    let body = Health {
        status: if ok { "ok" } else { "unavailable" }.to_owned(),
        service: "dataset-registry".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database,
    };
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    HttpResponse::build(status).json(body)
}

/// Service health with the database state.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "The service and its database are up", body = Health),
        (status = 503, description = "The database is unreachable", body = Health),
    )
)]
#[get("/health")]
async fn health_v1(state: State) -> HttpResponse {
    health_response(&state).await
}

// ----- dataset groups -------------------------------------------------------------------------

fn parse_sort(raw: Option<&str>) -> Result<(SortKey, bool), ApiError> {
    let raw = raw
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("-created_at");
    let (descending, key) = match raw.strip_prefix('-') {
        Some(key) => (true, key),
        None => (false, raw.strip_prefix('+').unwrap_or(raw)),
    };
    let key = match key {
        "name" => SortKey::Name,
        "created_at" => SortKey::CreatedAt,
        "image_count" => SortKey::ImageCount,
        other => {
            return Err(ApiError::Problem(
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    "INVALID_QUERY",
                    format!("query parameter sort: {other:?} is not a sort key; use name, created_at or image_count, with a leading - for descending"),
                )
                .field("sort", "expected name, created_at or image_count"),
            ));
        }
    };
    Ok((key, descending))
}

fn bad_query(field: &str, message: String) -> ApiError {
    ApiError::Problem(crate::service::bad_query(field, message))
}

fn list_filter(query: GroupListQuery) -> Result<ListFilter, ApiError> {
    let (sort, descending) = parse_sort(query.sort.as_deref())?;
    let task_types = query
        .task_types
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<TaskType>()
                .map_err(|e| bad_query("task_types", e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let page = query.page.unwrap_or(1);
    if page == 0 || page > 1_000_000 {
        return Err(bad_query(
            "page",
            format!("{page} is out of range (1–1000000)"),
        ));
    }
    let page_size = query.page_size.unwrap_or(20);
    if !(1..=200).contains(&page_size) {
        return Err(bad_query(
            "page_size",
            format!("{page_size} is out of range (1–200)"),
        ));
    }
    if query.q.as_ref().is_some_and(|q| q.len() > 200) {
        return Err(bad_query("q", "longer than 200 characters".to_owned()));
    }
    Ok(ListFilter {
        dataset_type: query.dataset_type,
        task_types,
        annotation_format: query.annotation_format,
        modality: query.modality,
        split: query.split,
        status: query.status,
        q: query.q,
        sort,
        descending,
        page,
        page_size,
    })
}

/// List dataset groups with their splits × versions (filtered, sorted and paged server-side).
#[utoipa::path(
    tag = "dataset-groups",
    params(GroupListQuery),
    responses(
        (status = 200, body = GroupPage),
        (status = 400, description = "An invalid query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dataset-groups")]
async fn list_groups(
    state: State,
    query: ApiQuery<GroupListQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = list_filter(query.0)?;
    let body = crate::repo::summary::list(&state.pool, &state.list_index, &filter).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// Create a dataset group.
#[utoipa::path(
    tag = "dataset-groups",
    request_body = NewGroup,
    responses(
        (status = 201, body = Group),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a JSON body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/dataset-groups")]
async fn create_group(state: State, body: ApiJson<NewGroup>) -> Result<HttpResponse, ApiError> {
    let group = state.create_group(body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/dataset-groups/{}", group.id)))
        .json(group))
}

/// A group with all its dataset versions.
#[utoipa::path(
    tag = "dataset-groups",
    params(("id" = uuid::Uuid, Path, description = "Group id")),
    responses(
        (status = 200, body = GroupDetail),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dataset-groups/{id}")]
async fn get_group(
    state: State,
    id: web::Path<String>,
) -> Result<web::Json<GroupDetail>, ApiError> {
    let id = parse_uuid("id", &id)?;
    Ok(web::Json(state.group_detail(id).await?))
}

/// Change a group's metadata. Name, type and format cannot change while versions exist.
#[utoipa::path(
    tag = "dataset-groups",
    params(("id" = uuid::Uuid, Path, description = "Group id")),
    request_body = GroupPatch,
    responses(
        (status = 200, body = Group),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken, or versions exist", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/dataset-groups/{id}")]
async fn update_group(
    state: State,
    id: web::Path<String>,
    body: ApiJson<GroupPatch>,
) -> Result<web::Json<Group>, ApiError> {
    let id = parse_uuid("id", &id)?;
    Ok(web::Json(state.update_group(id, body.0).await?))
}

/// Delete a group; refused while versions exist unless `cascade=true`. NAS files are kept.
#[utoipa::path(
    tag = "dataset-groups",
    params(("id" = uuid::Uuid, Path, description = "Group id"), DeleteGroupQuery),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Versions exist", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/dataset-groups/{id}")]
async fn delete_group(
    state: State,
    id: web::Path<String>,
    query: ApiQuery<DeleteGroupQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_uuid("id", &id)?;
    state.delete_group(id, query.0.cascade).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The version a new dataset of this split would get (latest + 1 patch, or v1.0.0).
#[utoipa::path(
    tag = "dataset-groups",
    params(("id" = uuid::Uuid, Path, description = "Group id"), NextVersionQuery),
    responses(
        (status = 200, body = NextVersion),
        (status = 400, description = "Not a UUID or no split", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dataset-groups/{id}/next-version")]
async fn next_version(
    state: State,
    id: web::Path<String>,
    query: ApiQuery<NextVersionQuery>,
) -> Result<web::Json<NextVersion>, ApiError> {
    let id = parse_uuid("id", &id)?;
    Ok(web::Json(state.next_version(id, query.0.split).await?))
}

// ----- datasets -------------------------------------------------------------------------------

/// Run the validator on a NAS path: existence, layout, counts, class histogram, problems.
#[utoipa::path(
    tag = "datasets",
    request_body = ValidatePathRequest,
    responses(
        (status = 200, description = "The report (also when the data has errors)", body = ValidatePathResponse),
        (status = 415, description = "Not a JSON body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The path is refused (absolute, `..`, escapes the NAS)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/datasets/validate-path")]
async fn validate_path(
    state: State,
    body: ApiJson<ValidatePathRequest>,
) -> Result<web::Json<ValidatePathResponse>, ApiError> {
    let request = body.0;
    Ok(web::Json(
        state
            .validate_path(&request.storage_uri, request.annotation_format)
            .await?,
    ))
}

/// Register a dataset version already on the NAS (validated first; READY when valid).
#[utoipa::path(
    tag = "datasets",
    request_body = NewDataset,
    responses(
        (status = 201, body = Dataset),
        (status = 409, description = "The version exists", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a JSON body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the data has errors (each listed with its location)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/datasets")]
async fn register_dataset(
    state: State,
    body: ApiJson<NewDataset>,
) -> Result<HttpResponse, ApiError> {
    let dataset = state.register(body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/datasets/{}", dataset.id)))
        .json(dataset))
}

/// List dataset versions (all groups, or one), newest first.
#[utoipa::path(
    tag = "datasets",
    params(DatasetListQuery),
    responses(
        (status = 200, body = DatasetPage),
        (status = 400, description = "An invalid query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/datasets")]
async fn list_datasets(
    state: State,
    query: ApiQuery<DatasetListQuery>,
) -> Result<web::Json<DatasetPage>, ApiError> {
    Ok(web::Json(state.list_datasets(query.0).await?))
}

/// A dataset version.
#[utoipa::path(
    tag = "datasets",
    params(("id" = uuid::Uuid, Path, description = "Dataset id")),
    responses(
        (status = 200, body = Dataset),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/datasets/{id}")]
async fn get_dataset(state: State, id: web::Path<String>) -> Result<web::Json<Dataset>, ApiError> {
    let id = parse_uuid("id", &id)?;
    Ok(web::Json(state.get_dataset(id).await?))
}

/// Change a dataset's description or status.
#[utoipa::path(
    tag = "datasets",
    params(("id" = uuid::Uuid, Path, description = "Dataset id")),
    request_body = DatasetPatch,
    responses(
        (status = 200, body = Dataset),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A status change that is not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/datasets/{id}")]
async fn update_dataset(
    state: State,
    id: web::Path<String>,
    body: ApiJson<DatasetPatch>,
) -> Result<web::Json<Dataset>, ApiError> {
    let id = parse_uuid("id", &id)?;
    Ok(web::Json(state.update_dataset(id, body.0).await?))
}

/// Delete a dataset record. NAS files of data the platform did not create are never deleted.
#[utoipa::path(
    tag = "datasets",
    params(("id" = uuid::Uuid, Path, description = "Dataset id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/datasets/{id}")]
async fn delete_dataset(state: State, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let id = parse_uuid("id", &id)?;
    state.delete_dataset(id).await?;
    Ok(HttpResponse::NoContent().finish())
}

// ----- system -------------------------------------------------------------------------------

/// What runs and what waits: each worker (pipeline and eda) with the age of its last heartbeat,
/// each queue's due backlog, in-flight and scheduled jobs and the age of its oldest due job, and
/// the database latency. With the database down: its error, and no workers or queues.
#[utoipa::path(
    tag = "health",
    responses((status = 200, body = SystemStatus))
)]
#[get("/system/status")]
async fn system_status(state: State) -> Result<web::Json<SystemStatus>, ApiError> {
    Ok(web::Json(state.system_status().await?))
}

// ----- manipulators ---------------------------------------------------------------------------

/// The manipulator catalog (synced from the code at start-up), with each params JSON Schema.
#[utoipa::path(
    tag = "manipulators",
    params(ManipulatorListQuery),
    responses(
        (status = 200, body = ManipulatorList),
        (status = 400, description = "An invalid query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/manipulators")]
async fn list_manipulators(
    state: State,
    query: ApiQuery<ManipulatorListQuery>,
) -> Result<web::Json<ManipulatorList>, ApiError> {
    Ok(web::Json(state.list_manipulators(&query.0).await?))
}

/// Set a manipulator's status (ACTIVE, EXPERIMENTAL, DEPRECATED); kept across restarts.
#[utoipa::path(
    tag = "manipulators",
    params(("name" = String, Path, description = "Manipulator name")),
    request_body = ManipulatorPatch,
    responses(
        (status = 200, body = Manipulator),
        (status = 404, description = "No such manipulator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/manipulators/{name}")]
async fn update_manipulator(
    state: State,
    name: web::Path<String>,
    body: ApiJson<ManipulatorPatch>,
) -> Result<web::Json<Manipulator>, ApiError> {
    Ok(web::Json(state.update_manipulator(&name, body.0).await?))
}

/// The versions a dataset was built from and those built from it (nodes and edges, with the
/// transform each edge carries).
#[utoipa::path(
    tag = "datasets",
    params(("id" = uuid::Uuid, Path, description = "Dataset id"), LineageQuery),
    responses(
        (status = 200, body = Lineage),
        (status = 400, description = "Not a UUID, or an invalid query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/datasets/{id}/lineage")]
async fn dataset_lineage(
    state: State,
    id: web::Path<String>,
    query: ApiQuery<LineageQuery>,
) -> Result<web::Json<Lineage>, ApiError> {
    let id = parse_uuid("id", &id)?;
    Ok(web::Json(state.lineage(id, &query.0).await?))
}

// ----- samples ------------------------------------------------------------------------------

/// A page of the version's images in a seeded random order (optionally only those with a
/// class), each with its annotations in the format-independent model: boxes, polygons, RLE masks
/// as uncompressed runs, labels and attributes.
#[utoipa::path(
    tag = "datasets",
    params(("id" = uuid::Uuid, Path, description = "Dataset id"), SamplesQuery),
    responses(
        (status = 200, body = SamplePage),
        (status = 400, description = "Not a UUID, an invalid query parameter or an unknown class", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The dataset is not READY, or its annotations no longer read", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database or the storage is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/datasets/{id}/samples")]
async fn dataset_samples(
    state: State,
    id: web::Path<String>,
    query: ApiQuery<SamplesQuery>,
) -> Result<web::Json<SamplePage>, ApiError> {
    let id = parse_uuid("id", &id)?;
    Ok(web::Json(state.samples(id, &query.0).await?))
}

/// A JPEG preview of one image of the version: EXIF orientation applied, 16-bit (thermal)
/// images windowed to 8 bits by percentiles, longest side at most the size `max` rounds up to.
/// Made once and cached on the NAS.
#[utoipa::path(
    tag = "datasets",
    params(
        ("id" = uuid::Uuid, Path, description = "Dataset id"),
        ("image_id" = i64, Path, description = "The image's id in the dataset (as `samples` lists it)"),
        ImagePreviewQuery,
    ),
    responses(
        (status = 200, description = "The preview", content_type = "image/jpeg", body = JpegImage),
        (status = 304, description = "The client's copy (If-None-Match) is current"),
        (status = 400, description = "Not a UUID, not an image id, or `max` out of range", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dataset, image or image file", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The dataset is not READY, or the image does not decode", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database or the storage is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/datasets/{id}/images/{image_id}")]
async fn dataset_image(
    state: State,
    request: actix_web::HttpRequest,
    path: web::Path<(String, String)>,
    query: ApiQuery<ImagePreviewQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, image_id) = path.into_inner();
    let id = parse_uuid("id", &id)?;
    let image_id: i64 = image_id.parse().map_err(|_| {
        ApiError::Problem(
            Problem::new(
                StatusCode::BAD_REQUEST,
                "INVALID_ID",
                format!("path parameter image_id: {image_id:?} is not an integer image id"),
            )
            .field("image_id", "expected an integer such as 397133"),
        )
    })?;
    let size = crate::samples::preview_size(query.0.max)?;
    // A version's images do not change while it is READY: the id, image and size name the bytes.
    let etag = format!("\"{id}-{image_id}-{size}\"");
    let cache_control = ("Cache-Control", "private, max-age=86400");
    let matches = request
        .headers()
        .get(actix_web::http::header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag));
    if matches {
        // Still an error when the dataset or image is gone.
        state.image_exists(id, image_id).await?;
        return Ok(HttpResponse::NotModified()
            .insert_header(("ETag", etag))
            .insert_header(cache_control)
            .finish());
    }
    let preview = state.image_preview(id, image_id, size).await?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header(("ETag", etag))
        .insert_header(cache_control)
        .body(preview.jpeg))
}

// ----- EDA ------------------------------------------------------------------------------------

/// The version's EDA: the state of its run (queued, running with progress, done, failed) and the
/// report of the last finished run (statistics, health checks, gallery).
#[utoipa::path(
    tag = "datasets",
    params(("id" = uuid::Uuid, Path, description = "Dataset id")),
    responses(
        (status = 200, body = EdaRun),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/datasets/{id}/eda")]
async fn get_eda(state: State, id: web::Path<String>) -> Result<web::Json<EdaRun>, ApiError> {
    let id = parse_uuid("id", &id)?;
    Ok(web::Json(state.eda(id).await?))
}

/// Run the version's EDA again (READY versions only). A run already waiting is kept; the report
/// of the last run stays readable until the new one ends.
#[utoipa::path(
    tag = "datasets",
    params(("id" = uuid::Uuid, Path, description = "Dataset id")),
    responses(
        (status = 202, description = "Queued", body = EdaRun),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dataset", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The dataset is not READY, or a run is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/datasets/{id}/eda")]
async fn rerun_eda(state: State, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let id = parse_uuid("id", &id)?;
    Ok(HttpResponse::Accepted().json(state.rerun_eda(id).await?))
}

// ----- pipelines ------------------------------------------------------------------------------

/// Dry run of a pipeline: every check, then Phase A on the sources' annotations; the exact
/// output counts, class histogram and report. Nothing is created or written.
#[utoipa::path(
    tag = "pipelines",
    request_body(content = Object, description = "A pipeline config (proto-schemas/pipeline_config.schema.json) whose sources name `dataset_id`s"),
    responses(
        (status = 200, body = PipelinePreview),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every problem of the config, each with its JSON path", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/pipelines/preview")]
async fn preview_pipeline(
    state: State,
    body: ApiJson<serde_json::Value>,
) -> Result<web::Json<PipelinePreview>, ApiError> {
    Ok(web::Json(state.preview_pipeline(body.0).await?))
}

/// Submit a pipeline. In one transaction: the output group (when new), the output dataset
/// (PENDING, version assigned), the execution with the config snapshot and the lineage edges.
#[utoipa::path(
    tag = "pipelines",
    request_body(content = Object, description = "A pipeline config (proto-schemas/pipeline_config.schema.json) whose sources name `dataset_id`s"),
    responses(
        (status = 202, description = "Accepted; follow the execution at Location", body = Execution),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every problem of the config, each with its JSON path", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/pipelines")]
async fn submit_pipeline(
    state: State,
    body: ApiJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let execution = state.submit_pipeline(body.0).await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/pipelines/{}", execution.id)))
        .json(execution))
}

/// The execution history, newest first.
#[utoipa::path(
    tag = "pipelines",
    params(ExecutionListQuery),
    responses(
        (status = 200, body = ExecutionPage),
        (status = 400, description = "An invalid query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pipelines")]
async fn list_pipelines(
    state: State,
    query: ApiQuery<ExecutionListQuery>,
) -> Result<web::Json<ExecutionPage>, ApiError> {
    Ok(web::Json(state.list_executions(&query.0).await?))
}

/// An execution: status, stage, progress, error, timings.
#[utoipa::path(
    tag = "pipelines",
    params(("id" = uuid::Uuid, Path, description = "Execution id")),
    responses(
        (status = 200, body = Execution),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such execution", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pipelines/{id}")]
async fn get_pipeline(
    state: State,
    id: web::Path<String>,
) -> Result<web::Json<Execution>, ApiError> {
    let id = parse_uuid("id", &id)?;
    Ok(web::Json(state.get_execution(id).await?))
}

/// Cancel: a PENDING execution at once, a RUNNING one at its next image boundary.
#[utoipa::path(
    tag = "pipelines",
    params(("id" = uuid::Uuid, Path, description = "Execution id")),
    responses(
        (status = 202, description = "Cancelled, or asked to stop", body = Execution),
        (status = 400, description = "Not a UUID", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such execution", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The execution has ended", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/pipelines/{id}/cancel")]
async fn cancel_pipeline(state: State, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let id = parse_uuid("id", &id)?;
    Ok(HttpResponse::Accepted().json(state.cancel_execution(id).await?))
}
