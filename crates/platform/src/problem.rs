//! RFC 9457 problem details: the one error shape every Datamill HTTP response uses.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The media type of a problem document.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One thing wrong with the request, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldProblem {
    /// Where: a JSON path (`$.group_id`), a query or path parameter name, or a file location.
    pub field: String,
    pub message: String,
}

/// An RFC 9457 problem document with Datamill's extension members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "https://datamill.dev/problems/conflict",
    "title": "Conflict",
    "status": 409,
    "detail": "the group has 3 dataset versions; delete them first or pass cascade=true",
    "code": "GROUP_NOT_EMPTY",
    "request_id": "9b0c2a51-8a0e-4c47-9a8f-3f0f2c7f7e11"
}))]
pub struct Problem {
    /// A URI naming the problem type; it ends with the stable `code` in lower case.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the problem type (the HTTP reason phrase).
    pub title: String,
    pub status: u16,
    /// What happened in this occurrence, in words a person can act on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// A stable, machine-readable code (`NOT_FOUND`, `VALIDATION_FAILED`, …).
    pub code: String,
    /// Every individual problem, when there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// The request id of the failing request, for support and log search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl Problem {
    #[must_use]
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!(
                "https://datamill.dev/problems/{}",
                code.to_ascii_lowercase().replace('_', "-")
            ),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: Some(detail.into()),
            instance: None,
            code: code.to_owned(),
            errors: Vec::new(),
            request_id: None,
        }
    }

    #[must_use]
    pub fn with_errors(mut self, errors: Vec<FieldProblem>) -> Self {
        self.errors = errors;
        self
    }

    #[must_use]
    pub fn field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.errors.push(FieldProblem {
            field: field.into(),
            message: message.into(),
        });
        self
    }

    #[must_use]
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The response, with the problem media type.
    #[must_use]
    pub fn to_response(&self) -> HttpResponse {
        let body = serde_json::to_vec(self).unwrap_or_default();
        HttpResponse::build(self.status_code())
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)))
            .body(body)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.code)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        Problem::status_code(self)
    }

    fn error_response(&self) -> HttpResponse {
        self.to_response()
    }
}
