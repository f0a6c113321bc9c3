//! Extractors whose rejections are problem documents naming the field that was wrong.
//!
//! actix-web's own `Json` and `Query` say "unknown variant `FOO`" without saying which field held
//! it; these deserialise through `serde_path_to_error` so the answer is `$.split: unknown variant…`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::problem::Problem;

/// Largest JSON body accepted.
pub const JSON_LIMIT: usize = 2 * 1024 * 1024;

/// A JSON body (`application/json` or any `+json` type).
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

fn json_path(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    if text == "." {
        "$".to_owned()
    } else {
        format!("$.{text}")
    }
}

/// The serde message without its trailing " at line 1 column 17" (the path says where).
fn serde_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// Parses a JSON body, naming the field of a type error.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let field = json_path(error.path());
        let inner = error.inner();
        if inner.is_syntax() || inner.is_eof() {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "MALFORMED_JSON",
                format!("the body is not valid JSON: {inner}"),
            )
        } else {
            let message = serde_message(inner);
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "INVALID_FIELD",
                format!("{field}: {message}"),
            )
            .field(field, message)
        }
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let mut payload = payload.take();
        Box::pin(async move {
            let essence = content_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if essence != "application/json" && !essence.ends_with("+json") {
                return Err(Problem::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "UNSUPPORTED_MEDIA_TYPE",
                    format!(
                        "the body must be application/json, not {}",
                        if essence.is_empty() {
                            "untyped"
                        } else {
                            &essence
                        }
                    ),
                )
                .field("content-type", "expected application/json"));
            }
            let mut body = Vec::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|error| {
                    Problem::new(
                        StatusCode::BAD_REQUEST,
                        "BODY_UNREADABLE",
                        format!("the body could not be read: {error}"),
                    )
                })?;
                if body.len() + chunk.len() > JSON_LIMIT {
                    return Err(Problem::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "BODY_TOO_LARGE",
                        format!("the body is larger than {JSON_LIMIT} bytes"),
                    ));
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(ApiJson)
        })
    }
}

/// Query parameters.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

/// Parses a query string, naming the parameter of an error.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, Problem> {
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let field = error.path().to_string();
        let message = error.inner().to_string();
        let field = if field == "." {
            "query".to_owned()
        } else {
            field
        };
        Problem::new(
            StatusCode::BAD_REQUEST,
            "INVALID_QUERY",
            format!("query parameter {field}: {message}"),
        )
        .field(field, message)
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiQuery<T> {
    type Error = Problem;
    type Future = std::future::Ready<Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(ApiQuery))
    }
}

/// Parses a UUID path parameter, naming it when it is not one.
pub fn parse_uuid(name: &str, raw: &str) -> Result<uuid::Uuid, Problem> {
    uuid::Uuid::parse_str(raw).map_err(|_| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "INVALID_ID",
            format!("path parameter {name}: {raw:?} is not a UUID"),
        )
        .field(
            name,
            "expected a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        split: Split,
        nested: Option<Nested>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Nested {
        count: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "UPPERCASE")]
    enum Split {
        Train,
    }

    #[test]
    fn type_errors_name_the_field() {
        let problem =
            parse_json::<Body>(br#"{"split": "TRAIN", "nested": {"count": -1}}"#).unwrap_err();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors[0].field, "$.nested.count");
        let problem = parse_json::<Body>(br#"{"split": "BOGUS"}"#).unwrap_err();
        assert_eq!(problem.errors[0].field, "$.split");
        assert!(
            problem.errors[0]
                .message
                .contains("unknown variant `BOGUS`")
        );
        let problem = parse_json::<Body>(br#"{"split": "TRAIN", "extra": 1}"#).unwrap_err();
        assert!(problem.errors[0].message.contains("unknown field `extra`"));
        let problem = parse_json::<Body>(b"{").unwrap_err();
        assert_eq!(
            (problem.status, problem.code.as_str()),
            (400, "MALFORMED_JSON")
        );
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Query {
        page: Option<u32>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let problem = parse_query::<Query>("page=zero").unwrap_err();
        assert_eq!(problem.errors[0].field, "page");
        assert!(parse_query::<Query>("page=2").is_ok());
        assert_eq!(parse_uuid("id", "nope").unwrap_err().errors[0].field, "id");
    }
}
