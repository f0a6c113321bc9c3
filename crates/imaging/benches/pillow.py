"""Pillow doing what benches/pixels.rs times, on the same files, one thread, best of N.

    DATAMILL_BENCH_JPEGS=/tmp/bj cargo bench -p datamill-imaging --bench pixels   # writes them
    .venv/bin/python crates/imaging/benches/pillow.py /tmp/bj

Prints MP/s (megapixels per second) for: open → save(quality=85) and
open → transpose(ROTATE_180) → save(quality=85), as Pillow users write them.
"""

import io
import sys
import time
from pathlib import Path

from PIL import Image


def best_of(fn, repeats=7, inner=10):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        best = min(best, (time.perf_counter() - start) / inner)
    return best


def main():
    directory = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bj")
    for path in sorted(directory.glob("*.jpg")):
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as probe:
            megapixels = probe.width * probe.height / 1e6

        def requantise():
            with Image.open(io.BytesIO(data)) as image:
                image.save(io.BytesIO(), "JPEG", quality=85)

        def rotate():
            with Image.open(io.BytesIO(data)) as image:
                image.transpose(Image.Transpose.ROTATE_180).save(io.BytesIO(), "JPEG", quality=85)

        for name, fn in [("q85", requantise), ("rotate180+q85", rotate)]:
            seconds = best_of(fn)
            print(f"{path.name:28} {name:14} {seconds * 1e3:7.2f} ms {megapixels / seconds:7.1f} MP/s")


if __name__ == "__main__":
    main()
