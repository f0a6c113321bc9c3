//! Random pages of a dataset's images, for the samples viewer.
//!
//! A page is a window of one seeded random permutation of the images that match a class filter:
//! the same seed gives the same order, so paging through it never shows an image twice and never
//! skips one. The permutation is computed position by position (a Feistel network over the index
//! domain with cycle walking), so a page of COCO-train costs its `n` images, not a shuffle of
//! 118k indices.

use std::collections::{BTreeMap, HashMap};

use crate::model::{CategoryId, DatasetMeta, ImageId};

/// Which images carry which class, and where each image id is: built once per loaded dataset.
#[derive(Debug, Clone, Default)]
pub struct SampleIndex {
    /// Indices into `DatasetMeta::images` of the images with at least one annotation of the
    /// class, in dataset order.
    by_class: BTreeMap<CategoryId, Vec<u32>>,
    by_id: HashMap<ImageId, u32>,
    image_count: usize,
}

impl SampleIndex {
    #[must_use]
    pub fn new(meta: &DatasetMeta) -> Self {
        let mut by_class: BTreeMap<CategoryId, Vec<u32>> = meta
            .categories
            .iter()
            .map(|category| (category.id, Vec::new()))
            .collect();
        let mut by_id = HashMap::with_capacity(meta.images.len());
        for (index, image) in meta.images.iter().enumerate() {
            // Image counts beyond u32 do not fit in memory as ImageRecords anyway.
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            by_id.entry(image.id).or_insert(index);
            for class in image.annotations.iter().filter_map(|a| a.category_id) {
                let images = by_class.entry(class).or_default();
                if images.last() != Some(&index) {
                    images.push(index);
                }
            }
        }
        Self {
            by_class,
            by_id,
            image_count: meta.images.len(),
        }
    }

    /// The position of the image with this id in `DatasetMeta::images` (the first one when a
    /// broken source repeats an id).
    #[must_use]
    pub fn image(&self, id: ImageId) -> Option<usize> {
        self.by_id.get(&id).map(|&index| index as usize)
    }

    /// How many images carry the class.
    #[must_use]
    pub fn images_with_class(&self, class: CategoryId) -> usize {
        self.by_class.get(&class).map_or(0, Vec::len)
    }

    /// The images a filter selects: every image without classes, else those carrying at least
    /// one of them (in dataset order).
    #[must_use]
    pub fn select(&self, classes: &[CategoryId]) -> Selection {
        match classes {
            [] => Selection::All(self.image_count),
            [one] => Selection::Some(self.by_class.get(one).cloned().unwrap_or_default()),
            several => {
                let mut images: Vec<u32> = several
                    .iter()
                    .filter_map(|class| self.by_class.get(class))
                    .flatten()
                    .copied()
                    .collect();
                images.sort_unstable();
                images.dedup();
                Selection::Some(images)
            }
        }
    }
}

/// The images a filter selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// All images `0..n`.
    All(usize),
    /// These image indices.
    Some(Vec<u32>),
}

impl Selection {
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Self::All(count) => *count,
            Self::Some(images) => images.len(),
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, position: usize) -> usize {
        match self {
            Self::All(_) => position,
            Self::Some(images) => images[position] as usize,
        }
    }

    /// Page `page` (1-based) of `per_page` images of the seeded random order: indices into
    /// `DatasetMeta::images`. Empty past the last page.
    #[must_use]
    pub fn page(&self, seed: u64, page: u64, per_page: u64) -> Vec<usize> {
        let len = self.len() as u64;
        let start = page.saturating_sub(1).saturating_mul(per_page);
        let end = start.saturating_add(per_page).min(len);
        let permutation = Permutation::new(len, seed);
        (start..end)
            .map(|position| self.get(permutation.apply(position) as usize))
            .collect()
    }
}

/// A seeded bijection of `0..len` onto itself, evaluated one position at a time.
///
/// A balanced Feistel network permutes the `2·half_bits`-bit numbers (the smallest even width
/// that holds `len - 1`); values at or past `len` are fed through again ("cycle walking") until
/// they land inside, which keeps the map a bijection of `0..len`. The domain is less than four
/// times `len`, so a position takes fewer than four passes on average.
#[derive(Debug, Clone)]
pub struct Permutation {
    len: u64,
    half_bits: u32,
    keys: [u64; ROUNDS],
}

const ROUNDS: usize = 4;

impl Permutation {
    #[must_use]
    pub fn new(len: u64, seed: u64) -> Self {
        let bits = u64::BITS - len.saturating_sub(1).leading_zeros();
        let half_bits = bits.div_ceil(2).max(1);
        let mut state = seed;
        let keys = std::array::from_fn(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            mix(state)
        });
        Self {
            len,
            half_bits,
            keys,
        }
    }

    /// Where `position` (< `len`) goes; positions outside `0..len` are returned unchanged.
    #[must_use]
    pub fn apply(&self, position: u64) -> u64 {
        if position >= self.len {
            return position;
        }
        let mut value = position;
        loop {
            value = self.feistel(value);
            if value < self.len {
                return value;
            }
        }
    }

    fn feistel(&self, value: u64) -> u64 {
        let mask = (1u64 << self.half_bits) - 1;
        let mut left = value >> self.half_bits;
        let mut right = value & mask;
        for key in self.keys {
            let next = left ^ (mix(right ^ key) & mask);
            left = right;
            right = next;
        }
        (left << self.half_bits) | right
    }
}

/// SplitMix64's output function: every input bit reaches every output bit.
const fn mix(value: u64) -> u64 {
    let mut z = value;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::geometry::BBox;
    use crate::model::{Annotation, Category, ImageRecord};

    fn meta() -> DatasetMeta {
        let mut images: Vec<ImageRecord> = (0..10)
            .map(|i| ImageRecord::new(100 + i, format!("{i}.jpg"), 64, 48))
            .collect();
        let cat = CategoryId(1);
        let dog = CategoryId(2);
        for (image, classes) in [(0, vec![cat, cat]), (3, vec![dog]), (4, vec![cat, dog])] {
            for class in classes {
                images[image]
                    .annotations
                    .push(Annotation::bbox(class, BBox::new(1.0, 2.0, 3.0, 4.0)));
            }
        }
        DatasetMeta {
            categories: vec![
                Category::new(1, "cat"),
                Category::new(2, "dog"),
                Category::new(3, "bird"),
            ],
            images,
            ..DatasetMeta::default()
        }
    }

    #[test]
    fn classes_select_the_images_that_carry_them() {
        let index = SampleIndex::new(&meta());
        assert_eq!(index.images_with_class(CategoryId(1)), 2);
        assert_eq!(index.images_with_class(CategoryId(3)), 0);
        assert_eq!(index.select(&[]), Selection::All(10));
        assert_eq!(index.select(&[CategoryId(1)]), Selection::Some(vec![0, 4]));
        assert_eq!(
            index.select(&[CategoryId(2), CategoryId(1)]),
            Selection::Some(vec![0, 3, 4])
        );
        assert!(index.select(&[CategoryId(3)]).is_empty());
        assert_eq!(index.image(ImageId(104)), Some(4));
        assert_eq!(index.image(ImageId(4)), None);
    }

    #[test]
    fn pages_cover_the_selection_once_and_depend_on_the_seed() {
        let selection = Selection::All(10);
        let pages: Vec<usize> = (1..=4).flat_map(|p| selection.page(7, p, 3)).collect();
        let mut sorted = pages.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
        assert_eq!(selection.page(7, 5, 3), Vec::<usize>::new());
        assert_eq!(selection.page(7, 1, 3), selection.page(7, 1, 3));
        let orders: std::collections::HashSet<Vec<usize>> =
            (0..20).map(|seed| selection.page(seed, 1, 10)).collect();
        assert!(orders.len() > 15, "seeds give different orders");

        let some = Selection::Some(vec![2, 5, 9]);
        let mut all = some.page(1, 1, 100);
        all.sort_unstable();
        assert_eq!(all, vec![2, 5, 9]);
    }

    #[test]
    fn an_empty_selection_has_empty_pages() {
        assert!(Selection::All(0).page(1, 1, 10).is_empty());
        assert_eq!(Selection::All(1).page(99, 1, 10), vec![0]);
    }

    proptest! {
        #[test]
        fn the_permutation_is_a_bijection(len in 0u64..3000, seed in any::<u64>()) {
            let permutation = Permutation::new(len, seed);
            let mut seen = vec![false; len as usize];
            for position in 0..len {
                let value = permutation.apply(position);
                prop_assert!(value < len);
                prop_assert!(!seen[value as usize], "{value} twice");
                seen[value as usize] = true;
            }
        }

        #[test]
        fn large_domains_stay_inside(len in 1u64..u64::MAX, seed in any::<u64>(), position in any::<u64>()) {
            let position = position % len;
            prop_assert!(Permutation::new(len, seed).apply(position) < len);
        }
    }
}
