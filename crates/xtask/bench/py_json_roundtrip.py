#!/usr/bin/env python3
"""Peer of `make bench`'s "COCO read + write" row: the COCO file through the standard library's
json module and back, written compactly (no spaces) as OUT_DIR/annotation.json.

json.dumps, then one write: with a file argument json.dump streams through json's pure-Python
encoder, about 2.7x slower than the C encoder that dumps uses (on this bench's data); a careful
hand-written round trip takes the faster one. With the trailing newline the output is
byte-identical to `datamill convert --from coco --to coco` of the bench's synthetic file.

    py_json_roundtrip.py DATASET_DIR_OR_annotation.json OUT_DIR
"""
import json
import os
import sys


def main(src, out):
    path = os.path.join(src, "annotation.json") if os.path.isdir(src) else src
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    os.makedirs(out, exist_ok=True)
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    with open(os.path.join(out, "annotation.json"), "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")
    print(len(data["images"]), len(data["annotations"]), len(text))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
