//! The sample gallery: JPEG thumbnails of a deterministic choice of images, spread over the
//! classes, written under `eda/{dataset_id}/gallery/` of the storage (served read-only).
//!
//! The choice: one queue of images per class (classes on most images first, then by id; images
//! without annotations last, as one more queue), each queue ordered by the hash of the file
//! name; the queues are taken round-robin, skipping images already taken, so `N` thumbnails show
//! `N` classes when there are that many. An image that cannot be previewed (missing, corrupt) is
//! skipped for the next one. The same dataset gives the same gallery.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use datamill_imaging::{PreviewOptions, preview};
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use super::report::GalleryItem;
use super::{EdaError, Progress, Stage};
use crate::codecs::Dataset;
use crate::files::Files;

/// How many thumbnails, and how big.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GalleryOptions {
    /// Thumbnails wanted (fewer when the dataset has fewer readable images).
    pub count: usize,
    /// Longer side of a thumbnail in pixels (smaller images keep their size).
    pub max_side: u32,
    /// JPEG quality, 1..=100.
    pub quality: u8,
}

impl Default for GalleryOptions {
    fn default() -> Self {
        Self {
            count: 24,
            max_side: 320,
            quality: 80,
        }
    }
}

/// The storage folder of a dataset's EDA files: `eda/{dataset_id}` (work order §6).
#[must_use]
pub fn eda_dir(dataset_id: impl Display) -> PathBuf {
    Path::new("eda").join(dataset_id.to_string())
}

/// Candidates tried per thumbnail wanted, at most, before giving up on a dataset whose images
/// mostly fail.
const ATTEMPTS_PER_THUMBNAIL: usize = 4;

/// Writes up to `options.count` thumbnails into `out_dir/gallery/` of `files` (each written
/// atomically; `.jpg` files left there by an earlier run and not written now are removed) and
/// returns them in gallery order. `out_dir` is usually [`eda_dir`] of the dataset.
pub fn write_gallery(
    files: Files<'_>,
    dataset: &Dataset,
    options: &GalleryOptions,
    out_dir: &Path,
    progress: &dyn Progress,
) -> Result<Vec<GalleryItem>, EdaError> {
    if !(1..=100).contains(&options.quality) || options.max_side == 0 {
        return Err(EdaError::Options(format!(
            "gallery thumbnails need a quality in 1..=100 and a size of at least 1 (got quality {} and size {})",
            options.quality, options.max_side
        )));
    }
    let gallery_dir = out_dir.join("gallery");
    let meta = &dataset.meta;
    let wanted = options.count;
    let mut candidates = Candidates::new(dataset);
    let preview_options = PreviewOptions {
        quality: options.quality,
        ..PreviewOptions::default()
    };
    let done = AtomicU64::new(0);
    progress.update(Stage::Gallery, 0, wanted as u64);
    let mut made = Vec::new();
    let mut attempts = 0;
    while made.len() < wanted && attempts < wanted * ATTEMPTS_PER_THUMBNAIL {
        if progress.cancelled() {
            return Err(EdaError::Cancelled);
        }
        let batch: Vec<(usize, Option<i64>)> =
            candidates.by_ref().take(wanted - made.len()).collect();
        if batch.is_empty() {
            break;
        }
        attempts += batch.len();
        let previews: Vec<_> = batch
            .par_iter()
            .map(|&(index, class_id)| {
                let image = &meta.images[index];
                let path = dataset.image_root.join(&image.file_name);
                let result = files
                    .read(&path)
                    .ok()
                    .and_then(|bytes| preview(&bytes, options.max_side, &preview_options).ok());
                if result.is_some() {
                    let count = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress.update(Stage::Gallery, count.min(wanted as u64), wanted as u64);
                }
                result.map(|preview| (index, class_id, preview))
            })
            .collect();
        made.extend(previews.into_iter().flatten());
    }

    let mut items = Vec::with_capacity(made.len());
    let mut written = HashSet::new();
    for (rank, (index, class_id, preview)) in made.into_iter().enumerate() {
        let image = &meta.images[index];
        let name = format!("{rank:04}_{}.jpg", image.id.0);
        let path = gallery_dir.join(&name);
        files
            .write(&path, &preview.jpeg)
            .map_err(|source| EdaError::Write {
                path: path.clone(),
                source,
            })?;
        written.insert(name);
        items.push(GalleryItem {
            image_id: image.id.0,
            file_name: image.file_name.clone(),
            class_id,
            thumbnail: path.to_string_lossy().into_owned(),
            width: preview.width,
            height: preview.height,
            original_width: preview.source_width,
            original_height: preview.source_height,
        });
    }
    // Thumbnails of an earlier run that this one did not write (best effort: a leftover file
    // is harmless, the report lists the current ones).
    if let Ok(entries) = files.list(&gallery_dir) {
        for entry in entries {
            if entry.is_file()
                && Path::new(&entry.name)
                    .extension()
                    .is_some_and(|ext| ext.eq_ignore_ascii_case("jpg"))
                && !written.contains(&entry.name)
            {
                let _ = files.remove_file(&entry.path);
            }
        }
    }
    Ok(items)
}

/// Images in gallery order: the class queues taken round-robin.
struct Candidates {
    /// Per queue: its class (`None`: images without annotations) and image indices in order.
    queues: Vec<(Option<i64>, Vec<usize>)>,
    cursors: Vec<usize>,
    next_queue: usize,
    taken: HashSet<usize>,
}

impl Candidates {
    fn new(dataset: &Dataset) -> Self {
        let meta = &dataset.meta;
        let mut by_class: BTreeMap<Option<i64>, Vec<(u64, usize)>> = BTreeMap::new();
        let mut classes = Vec::new();
        for (index, image) in meta.images.iter().enumerate() {
            let hash = xxh3_64(image.file_name.as_bytes());
            classes.clear();
            classes.extend(image.annotations.iter().filter_map(|a| a.category_id));
            classes.sort_unstable();
            classes.dedup();
            if classes.is_empty() {
                by_class.entry(None).or_default().push((hash, index));
            }
            for class in &classes {
                by_class
                    .entry(Some(class.0))
                    .or_default()
                    .push((hash, index));
            }
        }
        let mut queues: Vec<(Option<i64>, Vec<usize>)> = by_class
            .into_iter()
            .map(|(class, mut images)| {
                images.sort_unstable_by(|a, b| {
                    a.0.cmp(&b.0)
                        .then_with(|| meta.images[a.1].file_name.cmp(&meta.images[b.1].file_name))
                });
                (class, images.into_iter().map(|(_, index)| index).collect())
            })
            .collect();
        // Classes on most images first, then by id; images without annotations last.
        queues.sort_by(|(a, a_images), (b, b_images)| {
            a.is_none()
                .cmp(&b.is_none())
                .then(b_images.len().cmp(&a_images.len()))
                .then(a.cmp(b))
        });
        Self {
            cursors: vec![0; queues.len()],
            queues,
            next_queue: 0,
            taken: HashSet::new(),
        }
    }
}

impl Iterator for Candidates {
    type Item = (usize, Option<i64>);

    fn next(&mut self) -> Option<Self::Item> {
        // At most one full turn over the queues without finding an image means all are empty.
        let mut idle = 0;
        while idle < self.queues.len() {
            let queue = self.next_queue;
            self.next_queue = (self.next_queue + 1) % self.queues.len();
            let (class, images) = &self.queues[queue];
            let cursor = &mut self.cursors[queue];
            while let Some(&index) = images.get(*cursor) {
                *cursor += 1;
                if self.taken.insert(index) {
                    return Some((index, *class));
                }
            }
            idle += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;
    use crate::geometry::BBox;
    use crate::model::{Annotation, CategoryId, DatasetMeta, ImageRecord};

    #[test]
    fn candidates_take_the_class_queues_in_turn() {
        // Class 1 on 3 images, class 2 on 2 (one shared with class 1), class 3 on 1, one
        // image without annotations.
        let mut images = Vec::new();
        for (id, classes) in [
            (1, vec![1]),
            (2, vec![1, 2]),
            (3, vec![1]),
            (4, vec![2]),
            (5, vec![3]),
            (6, vec![]),
        ] {
            let mut image = ImageRecord::new(id, format!("{id}.jpg"), 10, 10);
            image.annotations = classes
                .into_iter()
                .map(|c| Annotation::bbox(CategoryId(c), BBox::new(0.0, 0.0, 1.0, 1.0)))
                .collect();
            images.push(image);
        }
        let dataset = Dataset {
            meta: DatasetMeta {
                images,
                ..DatasetMeta::default()
            },
            diagnostics: Diagnostics::default(),
            image_root: PathBuf::from("images"),
            annotation_files: Vec::new(),
        };
        let order: Vec<(usize, Option<i64>)> = Candidates::new(&dataset).collect();
        // Every image exactly once.
        let mut indices: Vec<usize> = order.iter().map(|(i, _)| *i).collect();
        indices.sort_unstable();
        assert_eq!(indices, [0, 1, 2, 3, 4, 5]);
        // The first round: one per class, most frequent class first, the negative last.
        let classes: Vec<Option<i64>> = order.iter().take(4).map(|(_, c)| *c).collect();
        assert_eq!(classes, [Some(1), Some(2), Some(3), None]);
        assert_eq!(order[3].0, 5);
        // The same order every time.
        assert_eq!(Candidates::new(&dataset).collect::<Vec<_>>(), order);
    }
}
