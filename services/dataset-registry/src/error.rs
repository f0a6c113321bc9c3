//! The registry's errors and their one mapping to RFC 9457 problem documents.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use datamill_platform::problem::{FieldProblem, Problem};
use sea_orm::DbErr;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: String },
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("{detail}")]
    Invalid {
        code: &'static str,
        detail: String,
        errors: Vec<FieldProblem>,
    },
    /// Something the request needs (the NAS) does not answer: 503, retry later.
    #[error("{detail}")]
    Unavailable { code: &'static str, detail: String },
    #[error("the database is unavailable: {0}")]
    DatabaseUnavailable(String),
    #[error("database error: {0}")]
    Database(DbErr),
    #[error("{0}")]
    Internal(String),
    /// A problem built elsewhere (extractors).
    #[error("{0}")]
    Problem(Problem),
}

impl ApiError {
    pub fn not_found(what: &'static str, id: impl std::fmt::Display) -> Self {
        Self::NotFound {
            what,
            id: id.to_string(),
        }
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            detail: detail.into(),
        }
    }

    /// A 422 naming one field.
    pub fn field(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Invalid {
            code,
            detail: format!("{field}: {message}"),
            errors: vec![FieldProblem {
                field: field.to_owned(),
                message,
            }],
        }
    }

    fn problem(&self) -> Problem {
        match self {
            Self::NotFound { what, .. } => Problem::new(
                StatusCode::NOT_FOUND,
                &format!(
                    "{}_NOT_FOUND",
                    what.to_ascii_uppercase().replace([' ', '-'], "_")
                ),
                self.to_string(),
            ),
            Self::Conflict { code, detail } => {
                Problem::new(StatusCode::CONFLICT, code, detail.clone())
            }
            Self::Invalid {
                code,
                detail,
                errors,
            } => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail.clone())
                .with_errors(errors.clone()),
            Self::Unavailable { code, detail } => {
                Problem::new(StatusCode::SERVICE_UNAVAILABLE, code, detail.clone())
            }
            Self::DatabaseUnavailable(_) => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "DATABASE_UNAVAILABLE",
                "the database cannot be reached; the request was not applied, retry later",
            ),
            Self::Database(_) | Self::Internal(_) => Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "an unexpected error happened; the request id identifies it in the logs",
            ),
            Self::Problem(problem) => problem.clone(),
        }
    }
}

/// Whether a database error means "cannot reach the database" (503) rather than a bug (500).
fn is_unavailable(error: &DbErr) -> bool {
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Query(sea_orm::RuntimeErr::SqlxError(e)) => matches!(
            e.as_ref(),
            sqlx::Error::Io(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Tls(_)
                | sqlx::Error::WorkerCrashed
        ),
        _ => false,
    }
}

impl From<DbErr> for ApiError {
    fn from(error: DbErr) -> Self {
        if is_unavailable(&error) {
            Self::DatabaseUnavailable(error.to_string())
        } else {
            Self::Database(error)
        }
    }
}

impl From<Problem> for ApiError {
    fn from(problem: Problem) -> Self {
        Self::Problem(problem)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.problem().status_code()
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Database(error) => tracing::error!(%error, "database error"),
            Self::Internal(error) => tracing::error!(%error, "internal error"),
            Self::DatabaseUnavailable(error) => tracing::warn!(%error, "database unavailable"),
            Self::Unavailable { detail, .. } => tracing::warn!(%detail, "storage unavailable"),
            _ => {}
        }
        self.problem().to_response()
    }
}

/// The unique-constraint name a database error violated, if any.
pub fn violated_constraint(error: &DbErr) -> Option<String> {
    let (DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e))
    | DbErr::Query(sea_orm::RuntimeErr::SqlxError(e))) = error
    else {
        return None;
    };
    match e.as_ref() {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("23505") => {
            db.constraint().map(str::to_owned)
        }
        _ => None,
    }
}
