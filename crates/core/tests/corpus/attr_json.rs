//! Corpus tests for the attr_json codec.
