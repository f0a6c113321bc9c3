//! Repositories: every SQL statement of the registry, behind functions that take and return
//! typed values. Handlers and services never build queries.

pub mod datasets;
pub mod eda;
pub mod executions;
pub mod groups;
pub mod manipulators;
pub mod summary;
