#!/usr/bin/env python3
"""Peer row of `make bench`: load a COCO file with the standard library's json module.

    py_json_load.py DATASET_DIR_OR_annotation.json
"""
import json
import os
import sys

src = sys.argv[1]
path = os.path.join(src, "annotation.json") if os.path.isdir(src) else src
with open(path) as f:
    data = json.load(f)
print(len(data["images"]), len(data["annotations"]), len(data["categories"]))
