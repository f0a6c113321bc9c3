#!/usr/bin/env python3
"""The file-creation floor of `make bench`: a bare loop that writes N small files, one short
line each, into OUT/labels, as the COCO -> YOLO conversions do (one label file per image). Whatever
a conversion to the same disk takes above this is its own work; this much is the file system's.

    py_create_files.py OUT_DIR N
"""
import os
import sys


def main(out, n):
    labels = os.path.join(out, "labels")
    os.makedirs(labels, exist_ok=True)
    line = "0 0.500000 0.500000 0.250000 0.250000\n"
    for i in range(n):
        with open(os.path.join(labels, "%012d.txt" % i), "w") as f:
            f.write(line)
    print(n)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]))
