//! Geometric transforms of annotations that follow a pixel transform of their image.
//!
//! A 180° turn of a `width × height` image moves pixel `(i, j)` to `(width-1-i, height-1-j)`,
//! i.e. the pixel square `[i, i+1)` to `[width-1-i, width-i)`: in continuous coordinates
//! `x ↦ width - x`, `y ↦ height - y`, exactly (no half-pixel shift). In a column-major RLE the
//! pixel at index `k = i·height + j` moves to `width·height - 1 - k`: the turned mask is the run
//! list read backwards.

use super::rle::{self, Rle, RleCounts, RleError};
use super::{BBox, Segmentation};

/// The box after turning a `width × height` image by 180°.
#[must_use]
pub fn rotate_bbox_180(bbox: BBox, width: u32, height: u32) -> BBox {
    BBox::new(
        f64::from(width) - bbox.x - bbox.w,
        f64::from(height) - bbox.y - bbox.h,
        bbox.w,
        bbox.h,
    )
}

/// A flat `[x1, y1, x2, y2, …]` list after turning the image by 180°. The point order is kept,
/// so the winding (and the signed area) is unchanged: a 180° turn is a rotation, not a mirror.
#[must_use]
pub fn rotate_points_180(points: &[f64], width: u32, height: u32) -> Vec<f64> {
    let (w, h) = (f64::from(width), f64::from(height));
    points
        .chunks(2)
        .flat_map(|xy| match xy {
            [x, y] => [w - x, h - y],
            // An odd trailing value has no partner; keep it as it was (the validator reports it).
            [x] => [*x, f64::NAN],
            _ => [f64::NAN, f64::NAN],
        })
        .filter(|v| !v.is_nan())
        .collect()
}

/// Run lengths (starting with background) read backwards, as a valid RLE again: a leading run
/// of 1s gets an empty background run before it, trailing empty runs are dropped (pycocotools
/// never writes them), so that turning twice gives back the same counts.
#[must_use]
pub fn reverse_runs(counts: &[u32]) -> Vec<u32> {
    let mut trimmed = counts;
    while let [rest @ .., 0] = trimmed {
        if rest.is_empty() {
            break;
        }
        trimmed = rest;
    }
    let mut reversed = Vec::with_capacity(trimmed.len() + 1);
    // The last run is background when it has an even index.
    if trimmed.len().is_multiple_of(2) {
        reversed.push(0);
    }
    reversed.extend(trimmed.iter().rev());
    while reversed.len() > 1 && reversed.last() == Some(&0) {
        reversed.pop();
    }
    reversed
}

/// The RLE after turning its image by 180°, in the same form (compressed or not) as given.
pub fn rotate_rle_180(mask: &Rle) -> Result<Rle, RleError> {
    let runs = reverse_runs(&mask.runs()?);
    let counts = match &mask.counts {
        RleCounts::Uncompressed(_) => RleCounts::Uncompressed(runs),
        RleCounts::Compressed(_) => RleCounts::Compressed(rle::to_compressed(&runs)),
    };
    Ok(Rle {
        height: mask.height,
        width: mask.width,
        counts,
    })
}

/// A mask after turning its `width × height` image by 180°.
pub fn rotate_segmentation_180(
    segmentation: &Segmentation,
    width: u32,
    height: u32,
) -> Result<Segmentation, RleError> {
    Ok(match segmentation {
        Segmentation::Polygons(parts) => Segmentation::Polygons(
            parts
                .iter()
                .map(|part| rotate_points_180(part, width, height))
                .collect(),
        ),
        Segmentation::Rle(mask) => Segmentation::Rle(rotate_rle_180(mask)?),
    })
}

/// COCO keypoints `[x1, y1, v1, …]` after a 180° turn; unlabelled points (`v = 0`, stored as
/// `0, 0, 0`) stay at the origin, as COCO writes them.
#[must_use]
pub fn rotate_keypoints_180(keypoints: &[f64], width: u32, height: u32) -> Vec<f64> {
    let (w, h) = (f64::from(width), f64::from(height));
    let mut out = keypoints.to_vec();
    for point in out.chunks_mut(3) {
        if let [x, y, v] = point
            && *v > 0.0
        {
            *x = w - *x;
            *y = h - *y;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_box_in_the_corner_moves_to_the_opposite_corner() {
        let turned = rotate_bbox_180(BBox::new(0.0, 0.0, 10.0, 5.0), 100, 50);
        assert_eq!(turned, BBox::new(90.0, 45.0, 10.0, 5.0));
    }

    #[test]
    fn runs_reverse_into_valid_rle() {
        assert_eq!(reverse_runs(&[0, 5]), vec![0, 5]);
        assert_eq!(reverse_runs(&[2, 3]), vec![0, 3, 2]);
        assert_eq!(reverse_runs(&[2, 3, 1]), vec![1, 3, 2]);
        assert_eq!(reverse_runs(&[6]), vec![6]);
    }

    #[test]
    fn a_turned_mask_is_the_pixelwise_turn_of_the_mask() {
        let (height, width) = (3u32, 4u32);
        // Column-major mask with one pixel set at (x=0, y=1) and the column x=3.
        let mut mask = vec![false; 12];
        mask[1] = true;
        for y in 0..3 {
            mask[(3 * height + y) as usize] = true;
        }
        let rle = Rle::from_mask(&mask, height, width);
        let turned = rotate_rle_180(&rle)
            .and_then(|r| r.decode())
            .unwrap_or_default();
        let expected: Vec<bool> = (0..12).map(|k| mask[11 - k]).collect();
        assert_eq!(turned, expected);
    }

    proptest! {
        #[test]
        fn turning_twice_is_the_identity_for_boxes_and_polygons(
            x in -10.0f64..500.0, y in -10.0f64..500.0, w in 0.0f64..300.0, h in 0.0f64..300.0,
            width in 1u32..2000, height in 1u32..2000,
            points in proptest::collection::vec(0.0f64..2000.0, 0..40),
        ) {
            let bbox = BBox::new(x, y, w, h);
            let twice = rotate_bbox_180(rotate_bbox_180(bbox, width, height), width, height);
            prop_assert!((twice.x - x).abs() < 1e-9 && (twice.y - y).abs() < 1e-9);
            prop_assert_eq!((twice.w, twice.h), (w, h));
            let even = &points[..points.len() / 2 * 2];
            let back = rotate_points_180(&rotate_points_180(even, width, height), width, height);
            prop_assert_eq!(back.len(), even.len());
            for (a, b) in back.iter().zip(even) {
                prop_assert!((a - b).abs() < 1e-9);
            }
        }

        #[test]
        fn turning_twice_is_the_identity_for_rle(
            mask in proptest::collection::vec(any::<bool>(), 1..400),
            compressed in any::<bool>(),
        ) {
            let height = 1 + (mask.len() as u32 % 7);
            let width = mask.len() as u32 / height;
            let mask = &mask[..(height * width) as usize];
            prop_assume!(width > 0);
            let mut rle = Rle::from_mask(mask, height, width);
            if compressed {
                rle = rle.compressed().unwrap();
            }
            let once = rotate_rle_180(&rle).unwrap();
            prop_assert_eq!(once.area().unwrap(), rle.area().unwrap());
            let twice = rotate_rle_180(&once).unwrap();
            prop_assert_eq!(twice, rle);
        }
    }
}
