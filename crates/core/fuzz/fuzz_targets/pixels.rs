//! Any bytes as an image file through Phase B's pixel pipeline: errors are fine, panics are not.
#![no_main]

use datamill_imaging::{OutputEncoding, PixelOp, Request, process};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let ops = [
        PixelOp::Rotate180,
        PixelOp::FillRect {
            x0: 1,
            y0: 1,
            x1: 4,
            y1: 4,
            color: [9, 9, 9],
        },
    ];
    for orientation in [1, 6] {
        let _ = process(&Request {
            source: data,
            orientation,
            ops: &ops,
            output: OutputEncoding::Jpeg { quality: 80 },
        });
    }
    let _ = datamill_imaging::bit_depth(data);
});
