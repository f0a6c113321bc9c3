//! Synthetic dataset generator (pending).
