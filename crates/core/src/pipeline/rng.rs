//! The seeded random numbers behind `sample_n_images` and `shuffle_image_ids`.
//!
//! A pipeline rerun months later must pick the same images, so the generator is ours and fixed
//! (SplitMix64, Steele et al. 2014) rather than a library's, whose stream may change between
//! versions. Changing anything here changes outputs: bump the manipulators' versions if you must.

/// SplitMix64: tiny, fast, and good enough for sampling (it passes BigCrush).
#[derive(Debug, Clone)]
pub struct StableRng {
    state: u64,
}

impl StableRng {
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub const fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (`bound > 0`), without modulo bias (Lemire's method).
    pub fn below(&mut self, bound: u64) -> u64 {
        debug_assert!(bound > 0);
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(bound);
            if (product as u64) >= threshold {
                return (product >> 64) as u64;
            }
        }
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// `n` distinct indices of `0..len`, in increasing order (all of them when `n >= len`).
    pub fn sample_indices(&mut self, len: usize, n: usize) -> Vec<usize> {
        if n >= len {
            return (0..len).collect();
        }
        // A partial Fisher–Yates over the index list: the first n positions are the sample.
        let mut indices: Vec<usize> = (0..len).collect();
        for i in 0..n {
            let j = i + self.below((len - i) as u64) as usize;
            indices.swap(i, j);
        }
        indices.truncate(n);
        indices.sort_unstable();
        indices
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_fixed_forever() {
        // Reference values of SplitMix64 with seed 0 (published with the algorithm).
        let mut rng = StableRng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn samples_are_distinct_sorted_and_seeded() {
        let a = StableRng::new(7).sample_indices(1000, 10);
        let b = StableRng::new(7).sample_indices(1000, 10);
        let c = StableRng::new(8).sample_indices(1000, 10);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(StableRng::new(1).sample_indices(3, 10), vec![0, 1, 2]);
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut items: Vec<u32> = (0..100).collect();
        StableRng::new(3).shuffle(&mut items);
        let mut sorted = items.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        assert_ne!(items, sorted);
    }
}
