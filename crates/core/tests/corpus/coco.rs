//! Corpus tests for the coco codec.
