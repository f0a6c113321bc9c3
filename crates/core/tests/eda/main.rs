//! The EDA end to end on real files: hand-built datasets with known counts (every section
//! checked to the number), each format's own statistics, determinism, the gallery, and a
//! snapshot of the whole report of a small synthetic dataset.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod determinism;
mod formats;
mod gallery;
mod known;
mod snapshot;
mod support;
