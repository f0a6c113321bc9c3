#!/usr/bin/env python3
"""Plain-Python COCO -> YOLO detection labels: the reference the `make bench` target compares
`datamill convert --from coco --to yolo` against (Datamill's goal: <= 1/20 of this time).

Deliberately what a careful person writes by hand: json.load, class index = categories sorted by
id, one labels/<stem>.txt per image (empty for images without objects), iscrowd skipped (as
Ultralytics does), `cls cx cy w h` normalised with 6 decimals.

    py_coco_to_yolo.py DATASET_DIR_OR_annotation.json OUT_DIR
"""
import json
import os
import sys


def main(src, out):
    path = os.path.join(src, "annotation.json") if os.path.isdir(src) else src
    with open(path) as f:
        data = json.load(f)
    cats = sorted(data["categories"], key=lambda c: c["id"])
    index = {c["id"]: k for k, c in enumerate(cats)}
    by_image = {}
    for a in data["annotations"]:
        if a.get("iscrowd", 0):
            continue
        by_image.setdefault(a["image_id"], []).append(a)
    labels = os.path.join(out, "labels")
    os.makedirs(labels, exist_ok=True)
    for im in data["images"]:
        w, h = im["width"], im["height"]
        lines = []
        for a in by_image.get(im["id"], ()):
            x, y, bw, bh = a["bbox"]
            if bw <= 0 or bh <= 0:
                continue
            lines.append("%d %.6f %.6f %.6f %.6f" % (index[a["category_id"]], (x + bw / 2) / w,
                                                      (y + bh / 2) / h, bw / w, bh / h))
        stem = os.path.splitext(os.path.basename(im["file_name"]))[0]
        with open(os.path.join(labels, stem + ".txt"), "w") as f:
            f.write("\n".join(lines) + ("\n" if lines else ""))
    with open(os.path.join(out, "classes.txt"), "w") as f:
        f.write("\n".join(c["name"] for c in cats) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
