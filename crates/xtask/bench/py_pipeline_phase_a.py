#!/usr/bin/env python3
"""Plain-Python Phase A: the reference `cargo xtask bench-pipeline` compares Datamill's dry run
(`datamill pipeline run --dry-run`) against. In memory, like Phase A: no file is written.

    py_pipeline_phase_a.py single ANNOTATION.json
        filter_keep_by_class [person, dog] -> remap_class_name {car: vehicle}
        -> format_convert_to_yolo (crowds skipped; class index by id; normalised boxes)
    py_pipeline_phase_a.py merge A.json B.json
        merge_datasets: categories unified by name, image and annotation ids renumbered,
        file names used by both prefixed with the second source's label

Prints {"images": n, "annotations": m} as JSON.
"""
import json
import sys


def single(path):
    with open(path) as f:
        data = json.load(f)
    names = {c["id"]: c["name"] for c in data["categories"]}
    keep = {i for i, n in names.items() if n in ("person", "dog")}
    names = {i: {"car": "vehicle"}.get(n, n) for i, n in names.items()}
    index = {cid: k for k, cid in enumerate(sorted(names))}
    by_image = {}
    for a in data["annotations"]:
        by_image.setdefault(a["image_id"], []).append(a)
    images = annotations = 0
    for im in data["images"]:
        anns = by_image.get(im["id"], [])
        if not any(a["category_id"] in keep for a in anns):
            continue
        w, h = im["width"], im["height"]
        rows = []
        for a in anns:
            if a.get("iscrowd", 0):
                continue
            x, y, bw, bh = a["bbox"]
            rows.append((index[a["category_id"]], (x + bw / 2) / w, (y + bh / 2) / h, bw / w, bh / h))
        images += 1
        annotations += len(rows)
    return images, annotations


def merge(paths):
    sources = []
    for p in paths:
        with open(p) as f:
            sources.append(json.load(f))
    categories, by_name = [], {}
    images, annotations = [], []
    seen = {im["file_name"] for im in sources[0]["images"]}
    taken = set(seen)
    for k, s in enumerate(sources):
        cat_map = {}
        for c in s["categories"]:
            if c["name"] not in by_name:
                by_name[c["name"]] = len(categories) + 1
                categories.append({"id": by_name[c["name"]], "name": c["name"]})
            cat_map[c["id"]] = by_name[c["name"]]
        image_map = {}
        for im in s["images"]:
            new = dict(im, id=len(images) + 1)
            if k > 0 and im["file_name"] in seen:
                name = "s%d_%s" % (k, im["file_name"])
                while name in taken:
                    name = "_" + name
                new["file_name"] = name
            taken.add(new["file_name"])
            image_map[im["id"]] = new["id"]
            images.append(new)
        for a in s["annotations"]:
            annotations.append(dict(a, id=len(annotations) + 1, image_id=image_map[a["image_id"]], category_id=cat_map[a["category_id"]]))
    return len(images), len(annotations)


if __name__ == "__main__":
    mode = sys.argv[1]
    n, m = single(sys.argv[2]) if mode == "single" else merge(sys.argv[2:])
    print(json.dumps({"images": n, "annotations": m}))
