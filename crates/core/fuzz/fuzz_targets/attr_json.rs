//! Any bytes through the ATTR_JSON parser: errors are fine, panics are not.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = datamill_core::codecs::attr_json::parse_bytes(data, "fuzz.json");
});
