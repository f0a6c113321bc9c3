#!/usr/bin/env python3
"""Pillow's rotate_180 + change_compression, the reference for Datamill's Phase B:
open -> transpose(ROTATE_180) -> save(JPEG, quality) for every JPEG of a directory, on a thread
pool (Pillow releases the GIL while decoding and encoding).

    py_pillow_rotate_recompress.py SRC_DIR OUT_DIR QUALITY THREADS

Prints {"images": n, "seconds": s, "megapixels": mp} as JSON.
"""
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from PIL import Image


def one(args):
    src, dst, quality = args
    with Image.open(src) as im:
        out = im.transpose(Image.Transpose.ROTATE_180)
        out.save(dst, "JPEG", quality=quality)
        return im.width * im.height


def main(src, out, quality, threads):
    os.makedirs(out, exist_ok=True)
    jobs = [(os.path.join(src, n), os.path.join(out, n), quality) for n in sorted(os.listdir(src))]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pixels = sum(pool.map(one, jobs))
    seconds = time.perf_counter() - started
    print(json.dumps({"images": len(jobs), "seconds": seconds, "megapixels": pixels / 1e6}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
