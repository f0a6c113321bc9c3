#!/usr/bin/env python3
"""Data preparation for `cargo xtask bench-pipeline`: re-encodes every JPEG of a directory in
place as baseline 4:2:0 at QUALITY with Pillow (libjpeg-turbo), so that the Phase B sets have the
layout most cameras and datasets use. `datamill synth` writes its JPEGs with the `image` crate,
which encodes 4:4:4: at 4:4:4 an MCU is 8x8 and 1920x1080 is a whole number of them, while at
4:2:0 (16x16 MCUs) 1080 rows are not.

    py_jpeg_420.py DIR QUALITY [THREADS]

Prints {"images": n, "subsampling": "4:2:0"} as JSON once every file reads back as 4:2:0.
"""
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

from PIL import Image, JpegImagePlugin

SUBSAMPLING_420 = 2  # Pillow's code for 4:2:0 (JpegImagePlugin.get_sampling)


def one(args):
    path, quality = args
    with Image.open(path) as im:
        im.load()
        rgb = im.convert("RGB")
    tmp = path + ".tmp"
    rgb.save(tmp, "JPEG", quality=quality, subsampling=SUBSAMPLING_420)
    os.replace(tmp, path)
    with Image.open(path) as im:
        if JpegImagePlugin.get_sampling(im) != SUBSAMPLING_420:
            raise SystemExit("%s: not 4:2:0 after re-encoding" % path)


def main(directory, quality, threads):
    jobs = [(os.path.join(directory, n), quality) for n in sorted(os.listdir(directory))
            if n.lower().endswith((".jpg", ".jpeg"))]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, jobs))
    print(json.dumps({"images": len(jobs), "subsampling": "4:2:0"}))


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) == 4 else os.cpu_count() or 1)
