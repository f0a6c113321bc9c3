//! Any bytes as a YOLO label file and as a data.yaml: errors are fine, panics are not.
#![no_main]

use datamill_core::Diagnostics;
use datamill_core::codecs::yolo::{self, LabelSyntax};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut diagnostics = Diagnostics::default();
    for class_count in [None, Some(3)] {
        let syntax = LabelSyntax {
            class_count,
            keypoint_values: None,
        };
        let _ = yolo::parse_label_text(&text, "fuzz.txt", syntax, &mut diagnostics);
    }
    let _ = yolo::parse_names_yaml(&text);
});
