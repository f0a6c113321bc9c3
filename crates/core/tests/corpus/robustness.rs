//! No input panics a parser: every corpus file, and thousands of mutations of it (bytes flipped,
//! cut short, spliced), go through every parser. The cargo-fuzz targets in `crates/core/fuzz` do
//! the same without end; this is the bounded version that runs in `make test` on stable Rust.

use std::path::{Path, PathBuf};

use datamill_core::Diagnostics;
use datamill_core::codecs::{attr_json, coco, visdrone, yolo};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::support::corpus;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| {
            ["json", "txt", "yaml", "names", "data"].contains(&e.to_string_lossy().as_ref())
        }) && entry.metadata().is_ok_and(|m| m.len() < 64 * 1024)
        {
            out.push(path);
        }
    }
}

fn every_parser(bytes: &[u8]) {
    let _ = coco::parse_bytes(bytes, "input.json");
    let _ = attr_json::parse_bytes(bytes, "input.json");
    let text = String::from_utf8_lossy(bytes);
    let mut diagnostics = Diagnostics::default();
    for class_count in [None, Some(2)] {
        let syntax = yolo::LabelSyntax {
            class_count,
            keypoint_values: None,
        };
        let _ = yolo::parse_label_text(&text, "input.txt", syntax, &mut diagnostics);
    }
    let _ = yolo::parse_names_yaml(&text);
    let _ = visdrone::parse_annotation_text(&text, "input.txt", &mut diagnostics);
}

fn mutate(bytes: &[u8], rng: &mut SmallRng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match rng.random_range(0..4) {
        0 if !out.is_empty() => {
            for _ in 0..rng.random_range(1..8) {
                let at = rng.random_range(0..out.len());
                out[at] = rng.random();
            }
        }
        1 if !out.is_empty() => out.truncate(rng.random_range(0..out.len())),
        2 if !out.is_empty() => {
            // Replace a byte with a structural or numeric character.
            let at = rng.random_range(0..out.len());
            out[at] = *b"{}[],:\"-0.e9 \n\r"
                .get(rng.random_range(0..16))
                .unwrap_or(&b'0');
        }
        _ if !out.is_empty() => {
            let from = rng.random_range(0..out.len());
            let to = rng.random_range(from..out.len());
            let chunk = out[from..to].to_vec();
            let at = rng.random_range(0..out.len());
            out.splice(at..at, chunk);
        }
        _ => out.extend_from_slice(b"{\"images\": [}"),
    }
    out
}

#[test]
fn no_corpus_file_or_mutation_of_it_panics_a_parser() {
    let mut paths = Vec::new();
    files(&corpus(), &mut paths);
    paths.sort();
    assert!(
        paths.len() > 50,
        "the corpus should have many annotation files"
    );
    let mut rng = SmallRng::seed_from_u64(20_261_126);
    for path in &paths {
        let bytes = std::fs::read(path).expect("read corpus file");
        every_parser(&bytes);
        for _ in 0..40 {
            every_parser(&mutate(&bytes, &mut rng));
        }
    }
}
