//! COCO run-length encoding, bit-compatible with pycocotools (`maskApi.c`).
//!
//! A mask of `height × width` pixels is read column by column (Fortran order); `counts` are the
//! lengths of alternating runs, starting with a run of background (which may be 0). The compressed
//! form is pycocotools' ASCII encoding of the same runs: each count (from the fourth on, as the
//! difference to the count two places back) in 5-bit groups, little end first, offset by 48.

use thiserror::Error;

use super::BBox;

/// An RLE mask as stored: the size and the counts in whichever form the source used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rle {
    pub height: u32,
    pub width: u32,
    pub counts: RleCounts,
}

/// The two ways COCO stores run lengths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RleCounts {
    /// A JSON list of run lengths (COCO ground truth with `iscrowd = 1`).
    Uncompressed(Vec<u32>),
    /// pycocotools' compressed string (results files, `mask.encode`).
    Compressed(String),
}

/// Why a mask could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RleError {
    #[error(
        "compressed RLE has a character {found:?} at byte {position} outside pycocotools' alphabet ('0'..'o')"
    )]
    InvalidCharacter { position: usize, found: char },
    #[error("compressed RLE ends in the middle of a count")]
    Truncated,
    #[error("RLE decodes to a negative or oversized run at count {index}")]
    InvalidRun { index: usize },
    #[error("RLE runs cover {covered} pixels but the mask has {expected} ({height}×{width})")]
    LengthMismatch {
        covered: u64,
        expected: u64,
        height: u32,
        width: u32,
    },
    #[error(
        "masks of different sizes cannot be merged ({a_height}×{a_width} and {b_height}×{b_width})"
    )]
    SizeMismatch {
        a_height: u32,
        a_width: u32,
        b_height: u32,
        b_width: u32,
    },
}

impl Rle {
    /// An RLE from a column-major mask.
    #[must_use]
    pub fn from_mask(mask: &[bool], height: u32, width: u32) -> Self {
        Self {
            height,
            width,
            counts: RleCounts::Uncompressed(encode(mask)),
        }
    }

    /// The run lengths, decompressing if needed (checked against the mask size).
    pub fn runs(&self) -> Result<Vec<u32>, RleError> {
        let runs = match &self.counts {
            RleCounts::Uncompressed(counts) => counts.clone(),
            RleCounts::Compressed(text) => from_compressed(text)?,
        };
        let covered: u64 = runs.iter().map(|&r| u64::from(r)).sum();
        let expected = u64::from(self.height) * u64::from(self.width);
        if covered != expected {
            return Err(RleError::LengthMismatch {
                covered,
                expected,
                height: self.height,
                width: self.width,
            });
        }
        Ok(runs)
    }

    /// The same mask with compressed counts.
    pub fn compressed(&self) -> Result<Self, RleError> {
        Ok(Self {
            counts: RleCounts::Compressed(to_compressed(&self.runs()?)),
            ..self.clone()
        })
    }

    /// The same mask with a plain list of counts.
    pub fn uncompressed(&self) -> Result<Self, RleError> {
        Ok(Self {
            counts: RleCounts::Uncompressed(self.runs()?),
            ..self.clone()
        })
    }

    /// Number of foreground pixels (pycocotools `area`).
    pub fn area(&self) -> Result<u64, RleError> {
        Ok(area(&self.runs()?))
    }

    /// pycocotools `toBbox`.
    pub fn bbox(&self) -> Result<BBox, RleError> {
        Ok(to_bbox(&self.runs()?, self.height))
    }

    /// The column-major mask.
    pub fn decode(&self) -> Result<Vec<bool>, RleError> {
        Ok(decode(&self.runs()?))
    }
}

/// Run lengths of a column-major mask, starting with background.
#[must_use]
pub fn encode(mask: &[bool]) -> Vec<u32> {
    let mut counts = Vec::new();
    let mut current = false;
    let mut run = 0_u32;
    for &pixel in mask {
        if pixel != current {
            counts.push(run);
            run = 0;
            current = pixel;
        }
        run += 1;
    }
    counts.push(run);
    counts
}

/// The column-major mask of run lengths.
#[must_use]
pub fn decode(counts: &[u32]) -> Vec<bool> {
    let total: usize = counts.iter().map(|&c| c as usize).sum();
    let mut mask = Vec::with_capacity(total);
    for (index, &count) in counts.iter().enumerate() {
        mask.extend(std::iter::repeat_n(index % 2 == 1, count as usize));
    }
    mask
}

/// Foreground pixel count: the sum of the odd runs.
#[must_use]
pub fn area(counts: &[u32]) -> u64 {
    counts
        .iter()
        .skip(1)
        .step_by(2)
        .map(|&c| u64::from(c))
        .sum()
}

/// pycocotools' `rleToString`.
#[must_use]
pub fn to_compressed(counts: &[u32]) -> String {
    let mut out = Vec::with_capacity(counts.len() * 2);
    for (index, &count) in counts.iter().enumerate() {
        let mut value = i64::from(count);
        if index > 2 {
            value -= i64::from(counts[index - 2]);
        }
        loop {
            let mut chunk = (value & 0x1f) as u8;
            value >>= 5;
            let more = if chunk & 0x10 != 0 {
                value != -1
            } else {
                value != 0
            };
            if more {
                chunk |= 0x20;
            }
            out.push(chunk + 48);
            if !more {
                break;
            }
        }
    }
    // Every byte is in 48..=111, so this is ASCII.
    out.into_iter().map(char::from).collect()
}

/// pycocotools' `rleFrString`.
pub fn from_compressed(text: &str) -> Result<Vec<u32>, RleError> {
    let bytes = text.as_bytes();
    let mut counts: Vec<u32> = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while position < bytes.len() {
        let mut value: i64 = 0;
        let mut shift = 0_u32;
        loop {
            let Some(&byte) = bytes.get(position) else {
                return Err(RleError::Truncated);
            };
            if !(48..48 + 64).contains(&byte) {
                return Err(RleError::InvalidCharacter {
                    position,
                    found: text[position..].chars().next().unwrap_or('\u{fffd}'),
                });
            }
            let chunk = i64::from(byte - 48);
            if shift > 60 {
                return Err(RleError::InvalidRun {
                    index: counts.len(),
                });
            }
            value |= (chunk & 0x1f) << shift;
            shift += 5;
            position += 1;
            if chunk & 0x20 == 0 {
                if chunk & 0x10 != 0 && shift < 64 {
                    value |= -1_i64 << shift;
                }
                break;
            }
        }
        let index = counts.len();
        if index > 2 {
            value += i64::from(counts[index - 2]);
        }
        let run = u32::try_from(value).map_err(|_| RleError::InvalidRun { index })?;
        counts.push(run);
    }
    Ok(counts)
}

/// pycocotools' `rleToBbox`: the extent of the foreground, with the quirk that a run spanning two
/// columns makes the box full height.
#[must_use]
pub fn to_bbox(counts: &[u32], height: u32) -> BBox {
    let runs = counts.len() / 2 * 2;
    if runs == 0 || height == 0 {
        return BBox::default();
    }
    let h = u64::from(height);
    let (mut xs, mut ys, mut xe, mut ye) = (u64::MAX, u64::MAX, 0_u64, 0_u64);
    let mut cumulative = 0_u64;
    let mut x_previous = 0_u64;
    let mut any = false;
    for (index, &count) in counts.iter().take(runs).enumerate() {
        cumulative += u64::from(count);
        let odd = (index % 2) as u64;
        let Some(t) = cumulative.checked_sub(odd) else {
            continue;
        };
        let y = t % h;
        let x = (t - y) / h;
        if odd == 0 {
            x_previous = x;
        } else {
            any = true;
            if x_previous < x {
                ys = 0;
                ye = h - 1;
            }
        }
        xs = xs.min(x);
        xe = xe.max(x);
        ys = ys.min(y);
        ye = ye.max(y);
    }
    if !any {
        return BBox::default();
    }
    BBox::new(
        xs as f64,
        ys as f64,
        (xe - xs + 1) as f64,
        (ye - ys + 1) as f64,
    )
}

/// Union of masks of one size, run by run (pycocotools `merge` with `intersect = 0`).
pub fn union(masks: &[&Rle]) -> Result<Rle, RleError> {
    let Some(first) = masks.first() else {
        return Ok(Rle {
            height: 0,
            width: 0,
            counts: RleCounts::Uncompressed(Vec::new()),
        });
    };
    let mut merged = first.runs()?;
    for mask in &masks[1..] {
        if (mask.height, mask.width) != (first.height, first.width) {
            return Err(RleError::SizeMismatch {
                a_height: first.height,
                a_width: first.width,
                b_height: mask.height,
                b_width: mask.width,
            });
        }
        merged = union_runs(&merged, &mask.runs()?);
    }
    Ok(Rle {
        height: first.height,
        width: first.width,
        counts: RleCounts::Uncompressed(merged),
    })
}

fn union_runs(a: &[u32], b: &[u32]) -> Vec<u32> {
    // Walk both run lists in step; `remaining_*` is what is left of the current run of each.
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut ia, mut ib) = (0_usize, 0_usize);
    let (mut remaining_a, mut remaining_b) = (
        a.first().copied().unwrap_or(0),
        b.first().copied().unwrap_or(0),
    );
    let (mut value_a, mut value_b) = (false, false);
    let mut current = false;
    let mut run = 0_u32;
    loop {
        // Skip exhausted (zero-length) runs, flipping the value each time.
        while remaining_a == 0 && ia + 1 < a.len() {
            ia += 1;
            remaining_a = a[ia];
            value_a = !value_a;
        }
        while remaining_b == 0 && ib + 1 < b.len() {
            ib += 1;
            remaining_b = b[ib];
            value_b = !value_b;
        }
        if remaining_a == 0 || remaining_b == 0 {
            break;
        }
        let step = remaining_a.min(remaining_b);
        let value = value_a || value_b;
        if value != current {
            out.push(run);
            run = 0;
            current = value;
        }
        run += step;
        remaining_a -= step;
        remaining_b -= step;
    }
    out.push(run);
    out
}

/// pycocotools' `rleFrPoly`: rasterise one polygon `[x1, y1, x2, y2, …]` exactly as pycocotools
/// does (5× upsampled boundary, pixel centres), so that areas and masks agree pixel for pixel.
#[must_use]
pub fn from_polygon(xy: &[f64], height: u32, width: u32) -> Vec<u32> {
    const SCALE: f64 = 5.0;
    let k = xy.len() / 2;
    let (h, w) = (i64::from(height), i64::from(width));
    if k == 0 || h == 0 || w == 0 {
        return vec![(h * w) as u32];
    }
    // C's `(int)(v + .5)` truncates toward zero; `as i64` does the same.
    let mut xs: Vec<i64> = (0..k).map(|j| (SCALE * xy[2 * j] + 0.5) as i64).collect();
    let mut ys: Vec<i64> = (0..k)
        .map(|j| (SCALE * xy[2 * j + 1] + 0.5) as i64)
        .collect();
    xs.push(xs[0]);
    ys.push(ys[0]);

    // Dense boundary points on the upsampled grid.
    let mut u: Vec<i64> = Vec::new();
    let mut v: Vec<i64> = Vec::new();
    for j in 0..k {
        let (mut x_start, mut x_end, mut y_start, mut y_end) = (xs[j], xs[j + 1], ys[j], ys[j + 1]);
        let dx = (x_end - x_start).abs();
        let dy = (y_start - y_end).abs();
        let flip = (dx >= dy && x_start > x_end) || (dx < dy && y_start > y_end);
        if flip {
            std::mem::swap(&mut x_start, &mut x_end);
            std::mem::swap(&mut y_start, &mut y_end);
        }
        if dx >= dy {
            let slope = if dx == 0 {
                0.0
            } else {
                (y_end - y_start) as f64 / dx as f64
            };
            for d in 0..=dx {
                let t = if flip { dx - d } else { d };
                u.push(t + x_start);
                v.push((y_start as f64 + slope * t as f64 + 0.5) as i64);
            }
        } else {
            let slope = (x_end - x_start) as f64 / dy as f64;
            for d in 0..=dy {
                let t = if flip { dy - d } else { d };
                v.push(t + y_start);
                u.push((x_start as f64 + slope * t as f64 + 0.5) as i64);
            }
        }
    }

    // Points where the boundary crosses a pixel-centre column, downsampled.
    let mut boundary: Vec<u64> = Vec::new();
    for j in 1..u.len() {
        if u[j] == u[j - 1] {
            continue;
        }
        let xd = if u[j] < u[j - 1] { u[j] } else { u[j] - 1 } as f64;
        let xd = (xd + 0.5) / SCALE - 0.5;
        if xd.floor() != xd || xd < 0.0 || xd > (w - 1) as f64 {
            continue;
        }
        let yd = if v[j] < v[j - 1] { v[j] } else { v[j - 1] } as f64;
        let yd = ((yd + 0.5) / SCALE - 0.5).clamp(0.0, h as f64).ceil();
        // pycocotools stores these as `uint`; the same wrap-around is kept for identical output.
        let position = (xd as i64 * h + yd as i64) as u32;
        boundary.push(u64::from(position));
    }
    boundary.push((h * w) as u64 & u64::from(u32::MAX));
    boundary.sort_unstable();

    let mut previous = 0_u64;
    for value in &mut boundary {
        let t = *value;
        *value -= previous;
        previous = t;
    }
    let mut counts: Vec<u32> = Vec::with_capacity(boundary.len());
    let mut j = 0;
    counts.push(boundary[j] as u32);
    j += 1;
    while j < boundary.len() {
        if boundary[j] > 0 {
            counts.push(boundary[j] as u32);
            j += 1;
        } else {
            j += 1;
            if j < boundary.len()
                && let Some(last) = counts.last_mut()
            {
                *last += boundary[j] as u32;
                j += 1;
            }
        }
    }
    counts
}

/// The union mask of a COCO polygon list, as pycocotools' `annToRLE` builds it.
#[must_use]
pub fn from_polygons(parts: &[Vec<f64>], height: u32, width: u32) -> Rle {
    let masks: Vec<Rle> = parts
        .iter()
        .map(|part| Rle {
            height,
            width,
            counts: RleCounts::Uncompressed(from_polygon(part, height, width)),
        })
        .collect();
    let refs: Vec<&Rle> = masks.iter().collect();
    union(&refs).unwrap_or(Rle {
        height,
        width,
        counts: RleCounts::Uncompressed(vec![height * width]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mask_strategy() -> impl Strategy<Value = (u32, u32, Vec<bool>)> {
        (1_u32..24, 1_u32..24).prop_flat_map(|(h, w)| {
            proptest::collection::vec(any::<bool>(), (h * w) as usize)
                .prop_map(move |mask| (h, w, mask))
        })
    }

    #[test]
    fn compressed_string_matches_pycocotools_for_a_known_mask() {
        // pycocotools: mask.encode(np.asfortranarray(m)) for a 4x4 mask with a 2x2 block at (1,1).
        let mut mask = vec![false; 16];
        for (x, y) in [(1, 1), (1, 2), (2, 1), (2, 2)] {
            mask[x * 4 + y] = true;
        }
        let counts = encode(&mask);
        assert_eq!(counts, vec![5, 2, 2, 2, 5]);
        assert_eq!(to_compressed(&counts), "52203");
        assert_eq!(from_compressed("52203").ok(), Some(counts));
    }

    #[test]
    fn decompression_rejects_characters_outside_the_alphabet() {
        assert!(matches!(
            from_compressed("5 2"),
            Err(RleError::InvalidCharacter { position: 1, .. })
        ));
        assert_eq!(from_compressed("0`"), Err(RleError::Truncated));
    }

    #[test]
    fn bbox_of_a_block_is_its_extent() {
        let mut mask = vec![false; 6 * 5];
        // columns 1..=3, rows 2..=3 of a 6-high, 5-wide mask
        for x in 1..=3 {
            for y in 2..=3 {
                mask[x * 6 + y] = true;
            }
        }
        assert_eq!(to_bbox(&encode(&mask), 6), BBox::new(1.0, 2.0, 3.0, 2.0));
    }

    #[test]
    fn a_rectangle_polygon_rasterises_like_pycocotools() {
        // pycocotools frPyObjects([[1,1, 4,1, 4,3, 1,3]], 5, 6) -> area 6, counts [6, 2, 3, 2, 3, 2, 12]
        let counts = from_polygon(&[1.0, 1.0, 4.0, 1.0, 4.0, 3.0, 1.0, 3.0], 5, 6);
        assert_eq!(area(&counts), 6);
        assert_eq!(counts, vec![6, 2, 3, 2, 3, 2, 12]);
    }

    proptest! {
        #[test]
        fn encode_then_decode_is_the_identity((_h, _w, mask) in mask_strategy()) {
            prop_assert_eq!(decode(&encode(&mask)), mask);
        }

        #[test]
        fn compress_then_decompress_is_the_identity((_h, _w, mask) in mask_strategy()) {
            let counts = encode(&mask);
            prop_assert_eq!(from_compressed(&to_compressed(&counts)), Ok(counts));
        }

        #[test]
        fn area_counts_foreground_pixels((_h, _w, mask) in mask_strategy()) {
            prop_assert_eq!(area(&encode(&mask)), mask.iter().filter(|&&p| p).count() as u64);
        }

        #[test]
        fn union_equals_pixelwise_or((h, w, a) in mask_strategy(), seed in any::<u64>()) {
            let b: Vec<bool> = (0..a.len()).map(|i| (seed >> (i % 64)) & 1 == 1).collect();
            let ra = Rle::from_mask(&a, h, w);
            let rb = Rle::from_mask(&b, h, w);
            let merged = union(&[&ra, &rb]).and_then(|m| m.decode()).ok();
            let expected: Vec<bool> = a.iter().zip(&b).map(|(x, y)| *x || *y).collect();
            prop_assert_eq!(merged, Some(expected));
        }

        #[test]
        fn arbitrary_text_never_panics_the_decompressor(text in "\\PC{0,40}") {
            let _ = from_compressed(&text);
        }
    }
}
