//! The GUI: the built single-page app, or a page saying it is not built.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, guard, web};
use datamill_platform::http::not_found;

/// The page `/` answers when there is no GUI to serve.
const NOT_BUILT: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Datamill</title></head>
<body>
<h1>Datamill</h1>
<p>The GUI is not built. Build it with <code>npm ci &amp;&amp; npm run build</code> in
<code>frontend/</code>, or point <code>GUI_DIR</code> at a built GUI.</p>
<p>The API is available: <a href="/api/docs/">API documentation</a>.</p>
</body>
</html>
"#;

fn get_or_head() -> impl guard::Guard {
    guard::Any(guard::Get()).or(guard::Head())
}

/// Client-side routes (`/datasets/42`) have no file extension; a missing `/assets/x.js` does,
/// and answering it with `index.html` would hand the browser HTML as JavaScript.
fn is_client_route(path: &str) -> bool {
    let api = path == "/api" || path.starts_with("/api/");
    let last = path.rsplit('/').next().unwrap_or_default();
    !api && !last.contains('.')
}

async fn spa_fallback(
    req: ServiceRequest,
    index: PathBuf,
) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    if !is_client_route(req.path()) {
        let response = not_found(req.clone()).await;
        return Ok(ServiceResponse::new(req, response));
    }
    let mut response = NamedFile::open_async(&index).await?.into_response(&req);
    // index.html names the hashed bundles of the current build; a cached copy would keep
    // loading the previous deployment's.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(ServiceResponse::new(req, response))
}

#[allow(clippy::unused_async)] // actix handlers are async by contract
async fn not_built() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(NOT_BUILT)
}

/// Registers the GUI; it must come after every other route, since it answers any GET path.
pub(crate) fn configure(cfg: &mut web::ServiceConfig, gui_dir: Option<&Path>) {
    match gui_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            cfg.service(
                Files::new("/", dir)
                    .index_file("index.html")
                    .guard(get_or_head())
                    .default_handler(fn_service(move |req| spa_fallback(req, index.clone()))),
            );
        }
        None => {
            cfg.route("/", web::route().guard(get_or_head()).to(not_built));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_extensionless_non_api_paths_fall_back() {
        assert!(is_client_route("/"));
        assert!(is_client_route("/datasets/42"));
        assert!(is_client_route("/settings/manipulators"));
        assert!(!is_client_route("/assets/missing.js"));
        assert!(!is_client_route("/favicon.ico"));
        assert!(!is_client_route("/api"));
        assert!(!is_client_route("/api/v1/nothing"));
        assert!(is_client_route("/apiary"));
    }
}
