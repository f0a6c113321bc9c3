//! Any bytes through the COCO parser: errors are fine, panics are not.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = datamill_core::codecs::coco::parse_bytes(data, "fuzz.json");
});
