//! Outlines of mask components, for formats that store masks only as polygons (YOLO).
//!
//! [`trace`] follows the cracks between pixels (not pixel centres), so an outline encloses exactly
//! its pixels: the shoelace area of a component's outline is its pixel count plus the pixels of
//! its holes (holes are not traced; YOLO polygons cannot have them). Components are 4-connected,
//! as pycocotools and OpenCV's `RETR_EXTERNAL` with 4-connectivity see them; two pixels touching
//! only at a corner are two components.

/// Direction of travel along a pixel edge: right, down, left, up (image coordinates, y down).
const STEPS: [(i64, i64); 4] = [(1, 0), (0, 1), (-1, 0), (0, -1)];

/// Outer outlines of the 4-connected components of a column-major `height × width` mask
/// (`mask[x * height + y]`, as [`super::Rle::decode`] gives it), as flat `[x1, y1, …]` polygons in
/// pixel-corner coordinates, clockwise on screen, without collinear points. Components are ordered
/// by their first pixel in column-major order. A mask of the wrong length gives no outlines.
#[must_use]
pub fn trace(mask: &[bool], height: u32, width: u32) -> Vec<Vec<f64>> {
    let (h, w) = (height as usize, width as usize);
    if mask.len() != h * w || h == 0 || w == 0 {
        return Vec::new();
    }
    let labels = label_components(mask, h, w);
    let mut seen = vec![false; labels.count];
    let mut outlines = Vec::with_capacity(labels.count);
    for (index, &label) in labels.of_pixel.iter().enumerate() {
        let Some(label) = label else { continue };
        if seen[label] {
            continue;
        }
        seen[label] = true;
        // The first pixel of a component in column-major order has background to its left and
        // above it, so its top edge lies on the outer boundary.
        let (x, y) = ((index / h) as i64, (index % h) as i64);
        outlines.push(follow(&labels.of_pixel, h as i64, w as i64, label, x, y));
    }
    outlines
}

struct Components {
    /// Component per pixel (column-major), `None` for background.
    of_pixel: Vec<Option<usize>>,
    count: usize,
}

fn label_components(mask: &[bool], h: usize, w: usize) -> Components {
    let mut of_pixel: Vec<Option<usize>> = vec![None; mask.len()];
    let mut count = 0;
    let mut stack = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || of_pixel[start].is_some() {
            continue;
        }
        of_pixel[start] = Some(count);
        stack.push(start);
        while let Some(index) = stack.pop() {
            let (x, y) = (index / h, index % h);
            let mut visit = |neighbour: usize| {
                if mask[neighbour] && of_pixel[neighbour].is_none() {
                    of_pixel[neighbour] = Some(count);
                    stack.push(neighbour);
                }
            };
            if y > 0 {
                visit(index - 1);
            }
            if y + 1 < h {
                visit(index + 1);
            }
            if x > 0 {
                visit(index - h);
            }
            if x + 1 < w {
                visit(index + h);
            }
        }
        count += 1;
    }
    Components { of_pixel, count }
}

/// Follows the boundary of component `label` with the component on the right-hand side, starting
/// at the top-left corner of its first pixel `(x0, y0)` heading right.
fn follow(of_pixel: &[Option<usize>], h: i64, w: i64, label: usize, x0: i64, y0: i64) -> Vec<f64> {
    let inside = |x: i64, y: i64| {
        (0..w).contains(&x) && (0..h).contains(&y) && of_pixel[(x * h + y) as usize] == Some(label)
    };
    let mut points = vec![x0 as f64, y0 as f64];
    let (mut vx, mut vy, mut direction) = (x0, y0, 0_usize);
    // Every boundary edge is walked at most once; the bound only guards against a logic error.
    let limit = 4 * (h + 1) * (w + 1);
    for _ in 0..limit {
        let (dx, dy) = STEPS[direction];
        vx += dx;
        vy += dy;
        if (vx, vy) == (x0, y0) {
            break;
        }
        // The pixels ahead of the vertex, right and left of the direction of travel: twice their
        // centres are 2v + d ± r, where r = (-dy, dx) is the right-hand normal.
        let (rx, ry) = (-dy, dx);
        let ahead_right = inside(
            (2 * vx + dx + rx - 1).div_euclid(2),
            (2 * vy + dy + ry - 1).div_euclid(2),
        );
        let ahead_left = inside(
            (2 * vx + dx - rx - 1).div_euclid(2),
            (2 * vy + dy - ry - 1).div_euclid(2),
        );
        // Hug the component (turn right first): diagonal neighbours stay apart, as 4-connectivity
        // requires.
        let turn = if !ahead_right {
            1
        } else if !ahead_left {
            0
        } else {
            3
        };
        if turn != 0 {
            points.push(vx as f64);
            points.push(vy as f64);
            direction = (direction + turn) % 4;
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::polygon;
    use proptest::prelude::*;

    /// Column-major mask from rows of text (`#` = foreground).
    fn mask(rows: &[&str]) -> (Vec<bool>, u32, u32) {
        let (h, w) = (rows.len(), rows[0].len());
        let mut out = vec![false; h * w];
        for (y, row) in rows.iter().enumerate() {
            for (x, c) in row.chars().enumerate() {
                out[x * h + y] = c == '#';
            }
        }
        (out, h as u32, w as u32)
    }

    #[test]
    fn a_filled_rectangle_gives_its_four_corners() {
        let (m, h, w) = mask(&[".....", ".###.", ".###.", "....."]);
        assert_eq!(
            trace(&m, h, w),
            vec![vec![1.0, 1.0, 4.0, 1.0, 4.0, 3.0, 1.0, 3.0]]
        );
    }

    #[test]
    fn diagonal_pixels_are_separate_components() {
        let (m, h, w) = mask(&["#.", ".#"]);
        let outlines = trace(&m, h, w);
        assert_eq!(outlines.len(), 2);
        assert!(outlines.iter().all(|o| polygon::area(o) == 1.0));
    }

    #[test]
    fn a_ring_encloses_its_hole() {
        let (m, h, w) = mask(&["###", "#.#", "###"]);
        let outlines = trace(&m, h, w);
        assert_eq!(outlines, vec![vec![0.0, 0.0, 3.0, 0.0, 3.0, 3.0, 0.0, 3.0]]);
    }

    #[test]
    fn wrong_length_masks_give_nothing() {
        assert!(trace(&[true, false], 2, 2).is_empty());
        assert!(trace(&[], 0, 0).is_empty());
    }

    /// Pixels of each component, and the background pixels it encloses (not reachable from
    /// outside through 8-connected non-component pixels, the complement of 4-connectivity).
    fn component_stats(m: &[bool], h: usize, w: usize) -> Vec<(usize, usize)> {
        let labels = label_components(m, h, w);
        (0..labels.count)
            .map(|label| {
                let pixels = labels
                    .of_pixel
                    .iter()
                    .filter(|&&l| l == Some(label))
                    .count();
                // Flood the padded grid from its corner through non-component cells.
                let (ph, pw) = (h + 2, w + 2);
                let blocked = |x: usize, y: usize| {
                    x >= 1
                        && y >= 1
                        && x <= w
                        && y <= h
                        && labels.of_pixel[(x - 1) * h + (y - 1)] == Some(label)
                };
                let mut reached = vec![false; ph * pw];
                let mut stack = vec![(0_usize, 0_usize)];
                reached[0] = true;
                while let Some((x, y)) = stack.pop() {
                    for dx in -1_i64..=1 {
                        for dy in -1_i64..=1 {
                            let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                            if nx < 0 || ny < 0 || nx >= pw as i64 || ny >= ph as i64 {
                                continue;
                            }
                            let (nx, ny) = (nx as usize, ny as usize);
                            if !reached[nx * ph + ny] && !blocked(nx, ny) {
                                reached[nx * ph + ny] = true;
                                stack.push((nx, ny));
                            }
                        }
                    }
                }
                let holes = (1..=w)
                    .flat_map(|x| (1..=h).map(move |y| (x, y)))
                    .filter(|&(x, y)| !blocked(x, y) && !reached[x * ph + y])
                    .count();
                (pixels, holes)
            })
            .collect()
    }

    proptest! {
        #[test]
        fn outline_area_is_the_pixel_count_plus_enclosed_holes(
            (h, w, m) in (1_usize..10, 1_usize..10).prop_flat_map(|(h, w)| {
                proptest::collection::vec(any::<bool>(), h * w).prop_map(move |m| (h, w, m))
            })
        ) {
            let outlines = trace(&m, h as u32, w as u32);
            let stats = component_stats(&m, h, w);
            prop_assert_eq!(outlines.len(), stats.len());
            for (outline, (pixels, holes)) in outlines.iter().zip(stats) {
                let area = polygon::area(outline);
                prop_assert_eq!(area, (pixels + holes) as f64);
                if holes == 0 {
                    prop_assert_eq!(area, pixels as f64);
                }
                // No collinear points: consecutive edges always turn.
                let n = outline.len() / 2;
                for i in 0..n {
                    let (a, b, c) = (i, (i + 1) % n, (i + 2) % n);
                    let cross = (outline[2 * b] - outline[2 * a]) * (outline[2 * c + 1] - outline[2 * b + 1])
                        - (outline[2 * b + 1] - outline[2 * a + 1]) * (outline[2 * c] - outline[2 * b]);
                    prop_assert!(cross != 0.0, "collinear at {} in {:?}", b, outline);
                }
            }
        }
    }
}
