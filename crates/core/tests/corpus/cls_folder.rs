//! Corpus tests for the cls_folder codec.
