//! Dataset validation (pending).
