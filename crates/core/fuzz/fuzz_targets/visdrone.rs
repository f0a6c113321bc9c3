//! Any bytes as a VisDrone annotation file: errors are fine, panics are not.
#![no_main]

use datamill_core::Diagnostics;
use datamill_core::codecs::visdrone;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut diagnostics = Diagnostics::default();
    let _ = visdrone::parse_annotation_text(&text, "fuzz.txt", &mut diagnostics);
});
