//! Conversion between formats (pending).
