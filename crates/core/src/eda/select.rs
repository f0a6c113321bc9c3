//! Deterministic selection: the `k` smallest items by a total order, and health-check examples
//! by file name. Both are mergeable (one per rayon fold, merged in any order) and give the same
//! result whatever the order of the input and the number of threads.

use std::collections::BinaryHeap;

use super::report::HealthExample;

/// SplitMix64's finaliser: spreads a 64-bit value over all bits.
pub(super) const fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The `k` smallest items pushed.
#[derive(Debug, Clone)]
pub(super) struct BottomK<T: Ord> {
    k: usize,
    /// A max-heap: the largest kept item is on top, the first to go.
    heap: BinaryHeap<T>,
}

impl<T: Ord> BottomK<T> {
    pub(super) fn new(k: usize) -> Self {
        Self {
            k,
            heap: BinaryHeap::new(),
        }
    }

    /// Whether an item with this key would be kept (cheap check before building the item).
    pub(super) fn admits(&self, item: &T) -> bool {
        self.heap.len() < self.k || self.heap.peek().is_some_and(|top| item < top)
    }

    pub(super) fn push(&mut self, item: T) {
        if self.heap.len() < self.k {
            self.heap.push(item);
        } else if let Some(mut top) = self.heap.peek_mut()
            && item < *top
        {
            *top = item;
        }
    }

    pub(super) fn merge(&mut self, other: Self) {
        for item in other.heap {
            self.push(item);
        }
    }

    /// The kept items, smallest first.
    pub(super) fn into_sorted_vec(self) -> Vec<T> {
        self.heap.into_sorted_vec()
    }
}

/// Up to `limit` examples of one health check: those with the smallest (file name, annotation
/// index), and the exact number of failures.
#[derive(Debug, Clone)]
pub(super) struct Examples {
    limit: usize,
    pub(super) count: u64,
    /// Sorted by key, at most `limit` long.
    items: Vec<HealthExample>,
}

fn key(example: &HealthExample) -> (&str, u32) {
    (
        example.file_name.as_str(),
        example.annotation_index.unwrap_or(0),
    )
}

impl Examples {
    pub(super) fn new(limit: usize) -> Self {
        Self {
            limit,
            count: 0,
            items: Vec::new(),
        }
    }

    /// Counts one failure and keeps its example if it is among the first by key; `example` is
    /// only called then.
    pub(super) fn record(
        &mut self,
        file_name: &str,
        annotation_index: Option<u32>,
        example: impl FnOnce() -> HealthExample,
    ) {
        self.count += 1;
        let wanted = (file_name, annotation_index.unwrap_or(0));
        if self.items.len() < self.limit || self.items.last().is_some_and(|last| wanted < key(last))
        {
            self.insert(example());
        }
    }

    fn insert(&mut self, example: HealthExample) {
        if self.limit == 0 {
            return;
        }
        let at = self
            .items
            .partition_point(|item| key(item) <= key(&example));
        self.items.insert(at, example);
        self.items.truncate(self.limit);
    }

    pub(super) fn merge(&mut self, other: Self) {
        self.count += other.count;
        for item in other.items {
            if self.items.len() < self.limit
                || self.items.last().is_some_and(|last| key(&item) < key(last))
            {
                self.insert(item);
            }
        }
    }

    pub(super) fn finish(self) -> super::report::HealthCheck {
        super::report::HealthCheck {
            count: self.count,
            examples: self.items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(file_name: &str, index: u32) -> HealthExample {
        HealthExample {
            image_id: None,
            file_name: file_name.to_owned(),
            annotation_index: Some(index),
            annotation_id: None,
            detail: String::new(),
        }
    }

    #[test]
    fn bottom_k_keeps_the_smallest_whatever_the_order_and_split() {
        let values: Vec<u64> = (0..1000).map(|i| mix64(i) % 10_000).collect();
        let mut expected = values.clone();
        expected.sort_unstable();
        expected.truncate(17);
        for split in [1, 7, 500, 999] {
            let (a, b) = values.split_at(split);
            let mut left = BottomK::new(17);
            let mut right = BottomK::new(17);
            for v in a.iter().rev() {
                left.push(*v);
            }
            for v in b {
                right.push(*v);
            }
            right.merge(left);
            assert_eq!(right.into_sorted_vec(), expected, "split {split}");
        }
    }

    #[test]
    fn examples_are_the_first_by_file_name_and_index() {
        let mut a = Examples::new(3);
        let mut b = Examples::new(3);
        for (name, index) in [("d", 0), ("b", 2), ("z", 1)] {
            a.record(name, Some(index), || example(name, index));
        }
        for (name, index) in [("b", 1), ("a", 9), ("c", 0)] {
            b.record(name, Some(index), || example(name, index));
        }
        a.merge(b);
        let check = a.finish();
        assert_eq!(check.count, 6);
        let kept: Vec<_> = check
            .examples
            .iter()
            .map(|e| (e.file_name.as_str(), e.annotation_index))
            .collect();
        assert_eq!(kept, [("a", Some(9)), ("b", Some(1)), ("b", Some(2))]);
    }
}
