//! `/static/*`: NAS files, read-only, for development without nginx.
//!
//! Every path goes through the storage crate, which refuses anything that could leave the base
//! (`..`, absolute paths, NUL, symbolic links pointing outside). The path is taken from the raw
//! request target and percent-decoded here exactly once, so an encoded `%2e%2e` reaches the
//! storage crate as the `..` it stands for and is refused as one.
//!
//! Files are streamed through the `StorageClient` trait (`stat`, then `read_range` in chunks), so
//! this works on any backend; what `actix-files` would add for a local file is done here: type by
//! extension, `ETag` and `Last-Modified` with their conditional requests, and single byte ranges.

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use actix_files::HttpRange;
use actix_web::body::SizedStream;
use actix_web::http::header::{self, EntityTag, HeaderValue, HttpDate};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use bytes::Bytes;
use datamill_platform::Problem;
use datamill_storage::{
    EntryKind, ErrorClass, LocalStorageClient, Metadata, StorageClient, StorageError, StoragePath,
};

/// Bytes read per storage call while streaming a file.
const CHUNK_BYTES: u64 = 256 * 1024;

/// Where NAS files are served from.
#[derive(Debug)]
pub(crate) struct StaticFiles {
    storage: Arc<dyn StorageClient>,
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
    let metadata = web::block(move || storage.stat(&checked))
        .await
        .map_err(|error| {
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "STORAGE_ERROR",
                format!("the storage lookup did not finish: {error}"),
            )
        })?
        .map_err(|e| storage_problem(&e))?;
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
    // Inline (no Content-Disposition): these are images and annotation files a developer opens
    // in the browser.
    let mut response = respond(&req, Arc::clone(&files.storage), path, &metadata);
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

/// The response for the file `path` described by `metadata`: conditional requests, one byte
/// range, and the (partial) body streamed from storage.
fn respond(
    req: &HttpRequest,
    storage: Arc<dyn StorageClient>,
    path: StoragePath,
    metadata: &Metadata,
) -> HttpResponse {
    let size = metadata.size;
    let etag = metadata.modified.map(|modified| {
        let since = modified.duration_since(UNIX_EPOCH).unwrap_or_default();
        EntityTag::new_strong(format!(
            "{size:x}:{:x}:{:x}",
            since.as_secs(),
            since.subsec_nanos()
        ))
    });
    let last_modified = metadata.modified.map(HttpDate::from);

    let mut response = HttpResponse::Ok();
    response.insert_header((header::CONTENT_TYPE, content_type(&path)));
    if let Some(last_modified) = last_modified {
        response.insert_header((header::LAST_MODIFIED, last_modified.to_string()));
    }
    if let Some(etag) = &etag {
        response.insert_header((header::ETAG, etag.to_string()));
    }
    response.insert_header((header::ACCEPT_RANGES, "bytes"));

    if !if_match(req, etag.as_ref()) || modified_after(req, metadata.modified) {
        return response.status(StatusCode::PRECONDITION_FAILED).finish();
    }
    if !if_none_match(req, etag.as_ref()) || not_modified_since(req, metadata.modified) {
        return response.status(StatusCode::NOT_MODIFIED).finish();
    }

    let (mut offset, mut length) = (0, size);
    if let Some(range) = req.headers().get(header::RANGE) {
        let Ok(range) = range.to_str() else {
            return response.status(StatusCode::BAD_REQUEST).finish();
        };
        let Some(range) = HttpRange::parse(range, size)
            .ok()
            .and_then(|ranges| ranges.first().copied())
        else {
            response.insert_header((header::CONTENT_RANGE, format!("bytes */{size}")));
            return response.status(StatusCode::RANGE_NOT_SATISFIABLE).finish();
        };
        (offset, length) = (range.start, range.length);
        response.status(StatusCode::PARTIAL_CONTENT);
        response.insert_header((
            header::CONTENT_RANGE,
            format!("bytes {offset}-{}/{size}", offset + length - 1),
        ));
    }
    response.body(SizedStream::new(
        length,
        stream(storage, path, offset, length),
    ))
}

/// `length` bytes of the file from `offset`, read from storage a chunk at a time on the blocking
/// pool, only as fast as the client takes them.
fn stream(
    storage: Arc<dyn StorageClient>,
    path: StoragePath,
    offset: u64,
    length: u64,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::unfold(
        (storage, path, offset, length),
        |(storage, path, offset, remaining)| async move {
            if remaining == 0 {
                return None;
            }
            let want = remaining.min(CHUNK_BYTES);
            let (reader, at) = (Arc::clone(&storage), path.clone());
            let read = web::block(move || reader.read_range(&at, offset, want)).await;
            let chunk = match read {
                Ok(Ok(bytes)) if !bytes.is_empty() => bytes,
                Ok(Ok(_)) => {
                    return Some((
                        Err(std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            format!("`{path}` became shorter while it was being sent"),
                        )),
                        (storage, path, offset, 0),
                    ));
                }
                Ok(Err(error)) => {
                    tracing::error!(%error, "storage failed while streaming /static");
                    return Some((
                        Err(std::io::Error::other(error)),
                        (storage, path, offset, 0),
                    ));
                }
                Err(error) => {
                    return Some((
                        Err(std::io::Error::other(error.to_string())),
                        (storage, path, offset, 0),
                    ));
                }
            };
            let read = chunk.len() as u64;
            Some((
                Ok(Bytes::from(chunk)),
                (storage, path, offset + read, remaining.saturating_sub(read)),
            ))
        },
    )
}

/// The type by extension; text as UTF-8 (what nginx's `charset utf-8` and actix-files do).
fn content_type(path: &StoragePath) -> String {
    let extension = path
        .file_name()
        .and_then(|name| Path::new(name).extension())
        .and_then(|extension| extension.to_str())
        .unwrap_or_default();
    let mime = actix_files::file_extension_to_mime(extension);
    if mime.type_().as_str() == "text" && mime.get_param("charset").is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// No `If-Match`, or one naming this file's tag (strong comparison).
fn if_match(req: &HttpRequest, etag: Option<&EntityTag>) -> bool {
    match req.get_header::<header::IfMatch>() {
        None | Some(header::IfMatch::Any) => true,
        Some(header::IfMatch::Items(items)) => {
            etag.is_some_and(|etag| items.iter().any(|item| item.strong_eq(etag)))
        }
    }
}

/// No `If-None-Match`, or one not naming this file's tag (weak comparison).
fn if_none_match(req: &HttpRequest, etag: Option<&EntityTag>) -> bool {
    match req.get_header::<header::IfNoneMatch>() {
        None => true,
        Some(header::IfNoneMatch::Any) => false,
        Some(header::IfNoneMatch::Items(items)) => {
            !etag.is_some_and(|etag| items.iter().any(|item| item.weak_eq(etag)))
        }
    }
}

/// `If-Unmodified-Since` before the file's modification (whole seconds, as HTTP dates are).
fn modified_after(req: &HttpRequest, modified: Option<SystemTime>) -> bool {
    match (modified, req.get_header::<header::IfUnmodifiedSince>()) {
        (Some(modified), Some(header::IfUnmodifiedSince(since))) => {
            seconds(modified) > seconds(since.into())
        }
        _ => false,
    }
}

/// `If-Modified-Since` (honoured only without `If-None-Match`) at or after the modification.
fn not_modified_since(req: &HttpRequest, modified: Option<SystemTime>) -> bool {
    if req.headers().contains_key(header::IF_NONE_MATCH) {
        return false;
    }
    match (modified, req.get_header::<header::IfModifiedSince>()) {
        (Some(modified), Some(header::IfModifiedSince(since))) => {
            seconds(modified) <= seconds(since.into())
        }
        _ => false,
    }
}

fn seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
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
