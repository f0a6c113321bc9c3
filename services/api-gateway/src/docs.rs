//! The API documents: the checked-in OpenAPI document and Swagger UI over it.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use utoipa::openapi::OpenApi;
use utoipa_swagger_ui::{Config, SwaggerUi};

/// The contract the GUI's client is generated from; CI keeps it equal to the registry's code.
pub(crate) const OPENAPI_JSON: &str = include_str!("../../../proto-schemas/openapi.json");

/// Where the document is served.
pub(crate) const OPENAPI_PATH: &str = "/api/openapi.json";

/// Where Swagger UI lives.
pub(crate) const DOCS_PATH: &str = "/api/docs/";

/// Checks the embedded document: one that is not OpenAPI stops the start-up rather than giving a
/// docs page that cannot render.
pub(crate) fn check_openapi() -> anyhow::Result<OpenApi> {
    serde_json::from_str(OPENAPI_JSON).map_err(|error| {
        anyhow::anyhow!("proto-schemas/openapi.json is not an OpenAPI document: {error}")
    })
}

/// The checked-in bytes themselves, not a re-serialisation of the parsed document, so that what
/// clients download is exactly the reviewed file.
#[allow(clippy::unused_async)] // actix handlers are async by contract
pub(crate) async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .body(OPENAPI_JSON)
}

#[allow(clippy::unused_async)] // actix handlers are async by contract
pub(crate) async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, DOCS_PATH))
        .finish()
}

/// Swagger UI, its assets served from the binary (the `vendored` feature), loading the document
/// from [`OPENAPI_PATH`].
///
/// The document is given as a URL in the config rather than with `SwaggerUi::url`, which would
/// register a second handler serving a re-serialised copy of the parsed document.
fn swagger_ui() -> SwaggerUi {
    SwaggerUi::new(format!("{DOCS_PATH}{{_:.*}}"))
        .config(Config::new([OPENAPI_PATH]).try_it_out_enabled(true))
}

/// Registers the document, the redirect to the UI and the UI.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(OPENAPI_PATH, web::get().to(openapi_json))
        .route(
            DOCS_PATH.trim_end_matches('/'),
            web::get().to(docs_redirect),
        )
        .service(swagger_ui());
}
