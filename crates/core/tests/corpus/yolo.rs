//! Corpus tests for the yolo codec.
