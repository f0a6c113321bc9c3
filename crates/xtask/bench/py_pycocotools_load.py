#!/usr/bin/env python3
"""Peer row of `make bench`: load a COCO file with pycocotools (json.load + index building).

    py_pycocotools_load.py DATASET_DIR_OR_annotation.json
"""
import contextlib
import io
import os
import sys

from pycocotools.coco import COCO

src = sys.argv[1]
path = os.path.join(src, "annotation.json") if os.path.isdir(src) else src
with contextlib.redirect_stdout(io.StringIO()):  # COCO() prints progress; keep the output clean
    coco = COCO(path)
print(len(coco.imgs), len(coco.anns), len(coco.cats))
