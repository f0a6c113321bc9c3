"""Loads a COCO file written by Datamill with pycocotools and compares it with what Datamill
computed for the same annotations (expectations.json): counts, areas, masks (as pycocotools'
compressed RLE), mask areas and boxes. Exits 1 listing every difference."""

import json
import sys

from pycocotools import mask as mask_utils
from pycocotools.coco import COCO


def main(annotation_path: str, expectations_path: str) -> int:
    coco = COCO(annotation_path)
    with open(expectations_path, encoding="utf-8") as handle:
        expected = json.load(handle)
    problems = []

    def check(what, ours, theirs):
        if ours != theirs:
            problems.append(f"{what}: datamill {ours!r} != pycocotools {theirs!r}")

    check("images", expected["images"], len(coco.imgs))
    check("annotations", expected["annotations"], len(coco.anns))
    check("categories", expected["categories"], len(coco.cats))
    checked_masks = 0
    for item in expected["per_annotation"]:
        ann = coco.anns.get(item["id"])
        if ann is None:
            problems.append(f"annotation {item['id']} is missing in pycocotools' index")
            continue
        check(f"annotation {item['id']} area", item["area"], ann["area"])
        check(f"annotation {item['id']} image", item["image_id"], ann["image_id"])
        check(f"annotation {item['id']} category", item["category_id"], ann["category_id"])
        if "rle" not in item:
            continue
        rle = coco.annToRLE(ann)
        counts = rle["counts"].decode("ascii") if isinstance(rle["counts"], bytes) else rle["counts"]
        check(f"annotation {item['id']} mask (compressed RLE)", item["rle"], counts)
        check(f"annotation {item['id']} mask area", item["mask_area"], int(mask_utils.area(rle)))
        box = [float(v) for v in mask_utils.toBbox(rle)]
        check(f"annotation {item['id']} mask box", item["mask_bbox"], box)
        decoded = coco.annToMask(ann)
        check(f"annotation {item['id']} decoded pixels", item["mask_area"], int(decoded.sum()))
        checked_masks += 1
    if problems:
        print(f"{len(problems)} differences between Datamill and pycocotools:")
        for line in problems[:50]:
            print("  " + line)
        return 1
    print(
        f"pycocotools agrees: {len(coco.imgs)} images, {len(coco.anns)} annotations, "
        f"{len(coco.cats)} categories, {checked_masks} masks"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
