//! Hand-written JSON Schemas for the geometry types.
//!
//! [`BBox`] and [`Segmentation`] have hand-written serde impls (a 4-tuple, and polygons-or-RLE
//! without serde's untagged buffering), so a derived schema would describe the Rust structs, not
//! the JSON they read and write. These impls describe the wire shape instead.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::{BBox, Segmentation};

impl JsonSchema for BBox {
    fn schema_name() -> Cow<'static, str> {
        "BBox".into()
    }

    fn schema_id() -> Cow<'static, str> {
        "datamill_core::geometry::BBox".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An axis-aligned box `[x, y, width, height]` in absolute pixels, origin at the top-left corner of the image.",
            "type": "array",
            "items": { "type": "number" },
            "minItems": 4,
            "maxItems": 4
        })
    }
}

impl JsonSchema for Segmentation {
    fn schema_name() -> Cow<'static, str> {
        "Segmentation".into()
    }

    fn schema_id() -> Cow<'static, str> {
        "datamill_core::geometry::Segmentation".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A mask as COCO stores it: a list of polygons (flat `[x1, y1, x2, y2, …]` lists in absolute pixels, one per part; `[]` = no mask) or a run-length encoding (`counts` uncompressed as run lengths, or compressed as pycocotools' string; column-major).",
            "oneOf": [
                {
                    "title": "Polygons",
                    "type": "array",
                    "items": { "type": "array", "items": { "type": "number" } }
                },
                {
                    "title": "RLE",
                    "type": "object",
                    "properties": {
                        "size": {
                            "description": "`[height, width]` of the mask.",
                            "type": "array",
                            "items": { "type": "integer", "minimum": 0 },
                            "minItems": 2,
                            "maxItems": 2
                        },
                        "counts": {
                            "oneOf": [
                                { "type": "array", "items": { "type": "integer", "minimum": 0 } },
                                { "type": "string" }
                            ]
                        }
                    },
                    "required": ["size", "counts"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_box_schema_is_a_four_number_array() {
        let schema = schemars::schema_for!(BBox);
        assert_eq!(schema.get("minItems"), Some(&serde_json::json!(4)));
    }
}
