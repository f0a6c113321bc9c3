//! Every sample of `../shared/corpus/` in one of our formats: it round-trips or it is refused with
//! an exact message. One test binary for the whole corpus keeps link time down.

mod attr_json;
mod cls_folder;
mod coco;
mod none;
mod robustness;
mod support;
mod visdrone;
mod yolo;
