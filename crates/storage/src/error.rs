//! The one error type of the storage crate.
//!
//! Every refusal names the offending path and what was wrong with it, because the message travels all
//! the way to the person who typed the path into a form. Variants are typed rather than stringly so
//! that the HTTP edge can choose a status from [`StorageError::class`] without parsing messages.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

use crate::StoragePath;

/// Why a storage operation failed.
///
/// `path` fields hold the *storage* path (relative to the base) as the caller gave it, never the
/// absolute path on the NAS: these messages may be shown to clients, and the NAS layout is not their
/// business. Messages escape control characters in paths (a raw newline or NUL in a log line or a
/// response could forge or cut it); [`StorageError::path`] gives the path unescaped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// The path starts at the filesystem root (`/…`) or a Windows drive (`C:…`).
    #[error(
        "`{}` is an absolute path; give a path relative to the storage base",
        printable(path)
    )]
    Absolute { path: String },
    /// The path uses `..` (plainly or percent-encoded) to climb out of where it starts.
    #[error(
        "`{}` climbs up with `..`; give a path inside the storage base without `..`",
        printable(path)
    )]
    Traversal { path: String },
    /// The path is malformed: empty or `.` segments, NUL bytes, backslashes, encoded separators,
    /// over-long names.
    #[error("`{}` is not a valid storage path: {reason}", printable(path))]
    InvalidPath { path: String, reason: String },
    /// A symbolic link on the way (or the final component) resolves outside the storage base.
    #[error(
        "`{}` leads outside the storage base through a symbolic link",
        printable(path)
    )]
    EscapesBase { path: String },
    /// Nothing exists at the path.
    #[error("`{}` does not exist in storage", printable(path))]
    NotFound { path: String },
    /// Something already exists where the operation would create an entry and overwriting was not
    /// asked for.
    #[error("`{}` already exists in storage", printable(path))]
    AlreadyExists { path: String },
    /// A directory was needed but the path (or one of its parents) is a file.
    #[error(
        "`{}` is not a directory (or one of its parents is a file)",
        printable(path)
    )]
    NotADirectory { path: String },
    /// A file was needed but the path is a directory.
    #[error("`{}` is a directory, not a file", printable(path))]
    IsADirectory { path: String },
    /// The storage base given at construction cannot be used (a configuration error).
    #[error("storage base {} cannot be used: {reason}", path.display())]
    InvalidBase { path: PathBuf, reason: String },
    /// Any other failure of the underlying storage (permissions on the NAS, full disk, network
    /// filesystem errors, symlink loops).
    #[error("storage I/O error on `{}`: {source}", printable(path))]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// How a [`StorageError`] should be reported at an API edge.
///
/// Suggested HTTP statuses: `BadPath` → 400, `NotFound` → 404, `Conflict` → 409, `Server` → 500.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// The caller gave a path that is refused whatever is on disk (malformed, absolute, `..`, or
    /// leading outside the base).
    BadPath,
    /// The caller named something that does not exist.
    NotFound,
    /// The request contradicts what is stored (exists already, file where a directory is needed, or
    /// the other way round).
    Conflict,
    /// The storage itself failed or is misconfigured; the caller cannot fix it.
    Server,
}

impl ErrorClass {
    /// Whether the caller caused the error (a 4xx rather than a 5xx).
    #[must_use]
    pub fn is_client_error(self) -> bool {
        !matches!(self, Self::Server)
    }
}

impl StorageError {
    /// Classifies the error for the HTTP edge.
    #[must_use]
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Absolute { .. }
            | Self::Traversal { .. }
            | Self::InvalidPath { .. }
            | Self::EscapesBase { .. } => ErrorClass::BadPath,
            Self::NotFound { .. } => ErrorClass::NotFound,
            Self::AlreadyExists { .. } | Self::NotADirectory { .. } | Self::IsADirectory { .. } => {
                ErrorClass::Conflict
            }
            Self::InvalidBase { .. } | Self::Io { .. } => ErrorClass::Server,
        }
    }

    /// Whether the caller caused the error (a 4xx rather than a 5xx).
    #[must_use]
    pub fn is_client_error(&self) -> bool {
        self.class().is_client_error()
    }

    /// The storage path the error is about (`None` for [`StorageError::InvalidBase`], which is about
    /// a local directory).
    #[must_use]
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::Absolute { path }
            | Self::Traversal { path }
            | Self::InvalidPath { path, .. }
            | Self::EscapesBase { path }
            | Self::NotFound { path }
            | Self::AlreadyExists { path }
            | Self::NotADirectory { path }
            | Self::IsADirectory { path }
            | Self::Io { path, .. } => Some(path),
            Self::InvalidBase { .. } => None,
        }
    }

    /// Maps an I/O error on `path` to the most specific variant, so that "not found" from the
    /// filesystem reaches the client as a 404 and not as a 500.
    pub(crate) fn from_io(source: io::Error, path: &StoragePath) -> Self {
        let path = shown(path);
        match source.kind() {
            io::ErrorKind::NotFound => Self::NotFound { path },
            io::ErrorKind::AlreadyExists => Self::AlreadyExists { path },
            io::ErrorKind::NotADirectory => Self::NotADirectory { path },
            io::ErrorKind::IsADirectory => Self::IsADirectory { path },
            io::ErrorKind::InvalidFilename => Self::InvalidPath {
                path,
                reason: "a name in it is too long for the filesystem".to_owned(),
            },
            _ => Self::Io { path, source },
        }
    }

    /// An [`StorageError::Io`] with a message of our own (no OS error behind it).
    pub(crate) fn io_other(path: &StoragePath, message: &str) -> Self {
        Self::Io {
            path: shown(path),
            source: io::Error::other(message.to_owned()),
        }
    }
}

/// How a storage path appears in messages: the root is shown as `.` because an empty pair of
/// backticks reads like a formatting accident.
pub(crate) fn shown(path: &StoragePath) -> String {
    if path.is_root() {
        ".".to_owned()
    } else {
        path.as_str().to_owned()
    }
}

/// `text` with control characters escaped (`\n`, `\u{0}`), for messages.
fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            let _ = write!(escaped, "{}", c.escape_default());
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}
