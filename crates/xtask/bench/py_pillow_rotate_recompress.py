#!/usr/bin/env python3
"""Pillow's rotate_180 + change_compression, the reference for Datamill's Phase B:
open -> transpose(ROTATE_180) -> save(JPEG, quality) for every JPEG of a directory, on a thread
pool (Pillow releases the GIL while decoding and encoding). With --quality-only, the peer of a
change_compression-only pipeline: open -> save(JPEG, quality), no turn.

    py_pillow_rotate_recompress.py SRC_DIR OUT_DIR QUALITY THREADS [--quality-only]

Prints {"images": n, "seconds": s, "megapixels": mp} as JSON.
"""
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from PIL import Image


def one(args):
    src, dst, quality, turn = args
    with Image.open(src) as im:
        out = im.transpose(Image.Transpose.ROTATE_180) if turn else im
        out.save(dst, "JPEG", quality=quality)
        return im.width * im.height


def main(src, out, quality, threads, turn):
    os.makedirs(out, exist_ok=True)
    jobs = [(os.path.join(src, n), os.path.join(out, n), quality, turn)
            for n in sorted(os.listdir(src))]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pixels = sum(pool.map(one, jobs))
    seconds = time.perf_counter() - started
    print(json.dumps({"images": len(jobs), "seconds": seconds, "megapixels": pixels / 1e6}))


if __name__ == "__main__":
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 4 or any(f != "--quality-only" for f in flags):
        sys.exit(__doc__)
    main(args[0], args[1], int(args[2]), int(args[3]), "--quality-only" not in flags)
