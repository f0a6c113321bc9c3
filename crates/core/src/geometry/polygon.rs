//! COCO polygons: flat `[x1, y1, x2, y2, …]` lists in absolute pixels.

use super::BBox;

/// Area of one polygon (shoelace formula; the absolute value, so either winding works). An odd
/// trailing coordinate is ignored; fewer than three points have no area.
#[must_use]
pub fn area(xy: &[f64]) -> f64 {
    let points = xy.len() / 2;
    if points < 3 {
        return 0.0;
    }
    let mut twice = 0.0;
    for i in 0..points {
        let j = (i + 1) % points;
        twice += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    }
    twice.abs() / 2.0
}

/// The tight box around every point of every part; `None` when there are no points.
#[must_use]
pub fn bbox(parts: &[Vec<f64>]) -> Option<BBox> {
    let mut points = parts
        .iter()
        .flat_map(|part| part.chunks_exact(2).map(|p| (p[0], p[1])));
    let (x0, y0) = points.next()?;
    let (mut x_min, mut y_min, mut x_max, mut y_max) = (x0, y0, x0, y0);
    for (x, y) in points {
        x_min = x_min.min(x);
        y_min = y_min.min(y);
        x_max = x_max.max(x);
        y_max = y_max.max(y);
    }
    Some(BBox::from_corners(x_min, y_min, x_max, y_max))
}

/// A part is usable when it has at least three points, an even number of coordinates and no
/// non-finite value.
#[must_use]
pub fn is_valid(xy: &[f64]) -> bool {
    xy.len() >= 6 && xy.len().is_multiple_of(2) && xy.iter().all(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::rle;
    use proptest::prelude::*;

    #[test]
    fn area_of_a_rectangle_is_width_times_height() {
        assert_eq!(area(&[1.0, 1.0, 5.0, 1.0, 5.0, 4.0, 1.0, 4.0]), 12.0);
    }

    #[test]
    fn bbox_covers_all_parts() {
        let parts = vec![
            vec![1.0, 2.0, 3.0, 2.0, 3.0, 5.0],
            vec![10.0, 0.5, 11.0, 1.0, 10.5, 2.0],
        ];
        assert_eq!(bbox(&parts), Some(BBox::new(1.0, 0.5, 10.0, 4.5)));
    }

    fn convex_polygon() -> impl Strategy<Value = Vec<f64>> {
        // A convex polygon: points on an ellipse at sorted angles, well inside a 64×64 image.
        (
            8.0_f64..56.0,
            8.0_f64..56.0,
            4.0_f64..8.0,
            4.0_f64..8.0,
            proptest::collection::vec(0.0_f64..std::f64::consts::TAU, 3..12),
        )
            .prop_map(|(cx, cy, rx, ry, mut angles)| {
                angles.sort_by(f64::total_cmp);
                angles
                    .into_iter()
                    .flat_map(|a| [cx + rx * a.cos(), cy + ry * a.sin()])
                    .collect()
            })
    }

    proptest! {
        /// The rasterised mask (pixel centres inside) approximates the exact area: the difference
        /// is bounded by the boundary pixels, about the perimeter.
        #[test]
        fn polygon_area_agrees_with_the_area_of_its_rasterised_mask(xy in convex_polygon()) {
            let exact = area(&xy);
            let raster = rle::area(&rle::from_polygon(&xy, 64, 64)) as f64;
            let perimeter: f64 = (0..xy.len() / 2)
                .map(|i| {
                    let j = (i + 1) % (xy.len() / 2);
                    (xy[2 * j] - xy[2 * i]).hypot(xy[2 * j + 1] - xy[2 * i + 1])
                })
                .sum();
            prop_assert!((exact - raster).abs() <= perimeter + 1.0,
                "exact {exact} raster {raster} perimeter {perimeter}");
        }
    }
}
