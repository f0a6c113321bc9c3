//! `/static/*`: NAS files, read-only, for development without nginx.
//!
//! Every path goes through the storage crate, which refuses anything that could leave the base
//! (`..`, absolute paths, NUL, symbolic links pointing outside). The path is taken from the raw
//! request target and percent-decoded here exactly once, so an encoded `%2e%2e` reaches the
//! storage crate as the `..` it stands for and is refused as one.

use std::path::Path;
use std::sync::Arc;

use actix_files::NamedFile;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};
use datamill_platform::Problem;
use datamill_storage::{
    EntryKind, ErrorClass, LocalStorageClient, StorageClient, StorageError, StoragePath,
};

/// Where NAS files are served from.
#[derive(Debug)]
pub(crate) struct StaticFiles {
    storage: Arc<LocalStorageClient>,
}

impl StaticFiles {
    pub(crate) fn new(base: &Path) -> anyhow::Result<Self> {
        let storage = LocalStorageClient::new(base).map_err(|error| {
            anyhow::anyhow!(
                "LOCAL_STORAGE_BASE={} cannot be served: {error}",
                base.display()
            )
        })?;
        Ok(Self {
            storage: Arc::new(storage),
        })
    }
}

fn invalid_path(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, "INVALID_PATH", detail)
}

/// Decodes `%XX` escapes; `+` stays a plus (this is a path, not a form).
fn percent_decode(raw: &str) -> Result<String, Problem> {
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let escape = bytes
                .get(i + 1..i + 3)
                .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            let Some(byte) = escape else {
                return Err(invalid_path(format!(
                    "{raw:?} has a malformed percent-escape"
                )));
            };
            decoded.push(byte);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| invalid_path(format!("{raw:?} is not UTF-8")))
}

fn storage_problem(error: &StorageError) -> Problem {
    let (status, code) = match error {
        StorageError::EscapesBase { .. } => (StatusCode::FORBIDDEN, "PATH_FORBIDDEN"),
        StorageError::IsADirectory { .. } => (StatusCode::FORBIDDEN, "IS_A_DIRECTORY"),
        StorageError::NotADirectory { .. } => (StatusCode::NOT_FOUND, "FILE_NOT_FOUND"),
        other => match other.class() {
            ErrorClass::BadPath => (StatusCode::BAD_REQUEST, "INVALID_PATH"),
            ErrorClass::NotFound | ErrorClass::Conflict => {
                (StatusCode::NOT_FOUND, "FILE_NOT_FOUND")
            }
            ErrorClass::Server => (StatusCode::INTERNAL_SERVER_ERROR, "STORAGE_ERROR"),
        },
    };
    if status.is_server_error() {
        tracing::error!(%error, "storage failed while serving /static");
    }
    Problem::new(status, code, error.to_string())
}

fn directory(path: &StoragePath) -> Problem {
    // nginx, which serves /static in deployment, answers 403 too: directories are not listed.
    Problem::new(
        StatusCode::FORBIDDEN,
        "IS_A_DIRECTORY",
        format!(
            "`{}` is a directory; directories are not listed",
            if path.is_root() { "." } else { path.as_str() }
        ),
    )
}

async fn serve(req: HttpRequest, files: web::Data<StaticFiles>) -> Result<HttpResponse, Problem> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let mut response = Problem::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            format!("{} is not allowed: /static is read-only", req.method()),
        )
        .to_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Ok(response);
    }
    // The raw target, not the matched path: actix has already decoded some escapes there.
    let raw = req.uri().path();
    let tail = raw.strip_prefix("/static").unwrap_or_default();
    let tail = tail.strip_prefix('/').unwrap_or(tail);
    let path = StoragePath::parse(&percent_decode(tail)?).map_err(|e| storage_problem(&e))?;
    let storage = Arc::clone(&files.storage);
    let checked = path.clone();
    let resolved = web::block(move || {
        let metadata = storage.stat(&checked)?;
        storage.resolve(&checked).map(|local| (metadata, local))
    })
    .await
    .map_err(|error| {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "STORAGE_ERROR",
            format!("the storage lookup did not finish: {error}"),
        )
    })?;
    let (metadata, local) = resolved.map_err(|e| storage_problem(&e))?;
    match metadata.kind {
        EntryKind::File => {}
        EntryKind::Dir => return Err(directory(&path)),
        EntryKind::Other => {
            return Err(Problem::new(
                StatusCode::NOT_FOUND,
                "FILE_NOT_FOUND",
                format!("`{}` is not a regular file", path.as_str()),
            ));
        }
    }
    let file = NamedFile::open_async(&local).await.map_err(|error| {
        storage_problem(&StorageError::Io {
            path: path.as_str().to_owned(),
            source: error,
        })
    })?;
    // Inline: these are images and annotation files a developer opens in the browser.
    let mut response = file.disable_content_disposition().into_response(&req);
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

#[allow(clippy::unused_async)] // actix handlers are async by contract
async fn disabled(req: HttpRequest) -> HttpResponse {
    Problem::new(
        StatusCode::NOT_FOUND,
        "STATIC_FILES_DISABLED",
        format!(
            "{} is not served here: nginx serves /static in deployment; for development set \
             SERVE_STATIC=true and LOCAL_STORAGE_BASE on the api-gateway",
            req.path()
        ),
    )
    .to_response()
}

/// Registers `/static` (and everything below it): the files when enabled, a 404 saying how to
/// enable them otherwise, so that the GUI's fallback never answers a file URL with HTML.
pub(crate) fn configure(cfg: &mut web::ServiceConfig, files: Option<web::Data<StaticFiles>>) {
    match files {
        Some(files) => {
            cfg.service(
                web::scope("/static")
                    .app_data(files)
                    .default_service(web::to(serve)),
            );
        }
        None => {
            cfg.service(web::scope("/static").default_service(web::to(disabled)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_is_strict() {
        assert_eq!(percent_decode("a%20b+c").unwrap(), "a b+c");
        assert_eq!(percent_decode("%2e%2E/x").unwrap(), "../x");
        assert_eq!(percent_decode("%00").unwrap(), "\0");
        assert_eq!(percent_decode("%C3%A9").unwrap(), "é");
        for bad in ["%", "%2", "%zz", "%+f", "%ff"] {
            assert!(percent_decode(bad).is_err(), "{bad}");
        }
    }
}
