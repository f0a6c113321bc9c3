//! Corpus tests for the visdrone codec.
