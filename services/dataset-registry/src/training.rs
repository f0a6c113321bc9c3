//! `/api/v1/training/*`: release 2's model training, registered now so that clients, the GUI and
//! the OpenAPI document know the routes. Every one answers 501 with a problem that names the
//! release; so does any other path under `/api/v1/training/`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post};
use datamill_platform::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

/// The path prefix every training route shares.
pub const PREFIX: &str = "/api/v1/training";

/// The training routes.
pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_training_jobs)
        .service(submit_training_job)
        .service(get_training_job)
        .service(cancel_training_job)
        .service(list_gpus);
}

/// The answer of every training route until release 2.
#[must_use]
pub fn not_implemented(request: &HttpRequest) -> HttpResponse {
    Problem::new(
        StatusCode::NOT_IMPLEMENTED,
        "NOT_IMPLEMENTED",
        format!(
            "{} {}: model training arrives in release 2; this release manages datasets and pipelines only",
            request.method(),
            request.path()
        ),
    )
    .to_response()
}

/// Training jobs (release 2).
#[utoipa::path(
    tag = "training",
    responses((status = 501, description = "Release 2", body = Problem, content_type = "application/problem+json"))
)]
#[get("/training/jobs")]
async fn list_training_jobs(request: HttpRequest) -> HttpResponse {
    not_implemented(&request)
}

/// Submit a training job: a solution version on reserved GPUs (release 2).
#[utoipa::path(
    tag = "training",
    responses((status = 501, description = "Release 2", body = Problem, content_type = "application/problem+json"))
)]
#[post("/training/jobs")]
async fn submit_training_job(request: HttpRequest) -> HttpResponse {
    not_implemented(&request)
}

/// A training job's status and metrics (release 2).
#[utoipa::path(
    tag = "training",
    params(("id" = uuid::Uuid, Path, description = "Training job id")),
    responses((status = 501, description = "Release 2", body = Problem, content_type = "application/problem+json"))
)]
#[get("/training/jobs/{id}")]
async fn get_training_job(request: HttpRequest) -> HttpResponse {
    not_implemented(&request)
}

/// Cancel a training job (release 2).
#[utoipa::path(
    tag = "training",
    params(("id" = uuid::Uuid, Path, description = "Training job id")),
    responses((status = 501, description = "Release 2", body = Problem, content_type = "application/problem+json"))
)]
#[post("/training/jobs/{id}/cancel")]
async fn cancel_training_job(request: HttpRequest) -> HttpResponse {
    not_implemented(&request)
}

/// The GPUs and who holds them (release 2).
#[utoipa::path(
    tag = "training",
    responses((status = 501, description = "Release 2", body = Problem, content_type = "application/problem+json"))
)]
#[get("/training/gpus")]
async fn list_gpus(request: HttpRequest) -> HttpResponse {
    not_implemented(&request)
}
