//! The samples viewer: pages of a version's images with their annotations
//! (`GET /datasets/{id}/samples`) and resized previews of single images
//! (`GET /datasets/{id}/images/{image_id}`).
//!
//! Annotations are read with the version's codec once and kept in a small least-recently-used
//! cache (a READY version does not change; the key includes `updated_at` all the same), so that
//! paging, filtering and the image endpoint do not re-read a 400 MB COCO file per request.
//! Previews are made once per image and size and cached on the NAS under
//! `eda/{dataset_id}/previews/{size}/`, where every registry replica finds them.

use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use datamill_core::codecs::{self, CodecError, Dataset, ReadOptions};
use datamill_core::geometry::Segmentation;
use datamill_core::samples::SampleIndex;
use datamill_core::{AnnotationFormat, AttributeValue, Attributes, CategoryId, Files, ImageId};
use datamill_db::types::DatasetStatus;
use datamill_imaging::{PreviewOptions, preview};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::dto::{Sample, SampleAnnotation, SampleCategory, SampleMask, SamplePage, SamplesQuery};
use crate::error::ApiError;
use crate::repo;
use crate::service::{Registry, bad_query};

/// The preview sizes that are made and cached; a request's `max` is rounded up to one of them so
/// that the cache holds a few files per image, not one per pixel count a client asks for.
pub const PREVIEW_SIZES: [u32; 11] = [128, 256, 320, 512, 768, 1024, 1280, 1600, 2048, 3072, 4096];
const DEFAULT_PREVIEW: u32 = 1024;
const DEFAULT_PAGE_SIZE: u32 = 24;
const MAX_PAGE_SIZE: u32 = 200;

/// A version's annotations, read once.
#[derive(Debug)]
pub struct LoadedDataset {
    pub dataset: Dataset,
    pub index: SampleIndex,
}

type Key = (Uuid, i64);

#[derive(Debug)]
struct Slot {
    key: Key,
    cell: Arc<OnceCell<Arc<LoadedDataset>>>,
    used: u64,
}

/// The least recently used versions' annotations. Concurrent requests for one version share
/// one read; a failed read is not kept, so the next request tries again.
#[derive(Debug)]
pub struct SampleCache {
    capacity: usize,
    slots: Mutex<Vec<Slot>>,
    clock: AtomicU64,
}

impl SampleCache {
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            slots: Mutex::new(Vec::new()),
            clock: AtomicU64::new(0),
        }
    }

    fn cell(&self, key: Key) -> Arc<OnceCell<Arc<LoadedDataset>>> {
        let now = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut slots = self
            .slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(slot) = slots.iter_mut().find(|slot| slot.key == key) {
            slot.used = now;
            return Arc::clone(&slot.cell);
        }
        // Another version of the same id (changed since) is stale.
        slots.retain(|slot| slot.key.0 != key.0);
        while slots.len() >= self.capacity {
            let Some(oldest) = slots
                .iter()
                .enumerate()
                .min_by_key(|(_, slot)| slot.used)
                .map(|(i, _)| i)
            else {
                break;
            };
            slots.swap_remove(oldest);
        }
        let cell = Arc::new(OnceCell::new());
        slots.push(Slot {
            key,
            cell: Arc::clone(&cell),
            used: now,
        });
        cell
    }

    /// Drops a version (deleted, or changed).
    pub fn forget(&self, id: Uuid) {
        self.slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|slot| slot.key.0 != id);
    }
}

/// The preview size made for a request's `max`.
pub fn preview_size(max: Option<u32>) -> Result<u32, ApiError> {
    let max = max.unwrap_or(DEFAULT_PREVIEW);
    if !(16..=4096).contains(&max) {
        return Err(ApiError::Problem(bad_query(
            "max",
            format!("{max} is out of range; ask for 16..=4096 pixels"),
        )));
    }
    Ok(PREVIEW_SIZES
        .into_iter()
        .find(|&size| size >= max)
        .unwrap_or(4096))
}

/// Where the preview of `image_id` at `size` is cached on the storage.
#[must_use]
pub fn preview_path(dataset_id: Uuid, size: u32, image_id: i64) -> PathBuf {
    datamill_core::eda::eda_dir(dataset_id)
        .join("previews")
        .join(size.to_string())
        .join(format!("{image_id}.jpg"))
}

/// A JPEG preview and the size it was made for.
#[derive(Debug)]
pub struct ImagePreview {
    pub jpeg: Vec<u8>,
    pub size: u32,
}

impl Registry {
    /// The version's annotations, read now or taken from the cache.
    async fn loaded(&self, id: Uuid) -> Result<Arc<LoadedDataset>, ApiError> {
        let model = repo::datasets::get(&self.db, id).await?;
        if model.status != DatasetStatus::Ready {
            return Err(ApiError::conflict(
                "DATASET_NOT_READY",
                format!(
                    "dataset {id} is {}: samples are shown for READY versions only",
                    format!("{:?}", model.status).to_uppercase()
                ),
            ));
        }
        let group = repo::groups::get(&self.db, model.group_id).await?;
        let format = model
            .annotation_format
            .as_deref()
            .or(Some(group.annotation_format.as_str()))
            .and_then(datamill_db::types::parse_format)
            .ok_or_else(|| {
                ApiError::Internal(format!("dataset {id} has an unknown annotation format"))
            })?;
        let key = (id, model.updated_at.timestamp_micros());
        let cell = self.samples.cell(key);
        let storage = Arc::clone(&self.storage);
        let dir = PathBuf::from(model.storage_uri);
        let loaded = cell
            .get_or_try_init(|| async move {
                tokio::task::spawn_blocking(move || read_dataset(&*storage, &dir, format))
                    .await
                    .map_err(|error| ApiError::Internal(format!("reading stopped: {error}")))?
                    .map(Arc::new)
            })
            .await?;
        Ok(Arc::clone(loaded))
    }

    /// A page of the version's images in the seeded random order, with their annotations.
    pub async fn samples(&self, id: Uuid, query: &SamplesQuery) -> Result<SamplePage, ApiError> {
        let n = query.n.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&n) {
            return Err(ApiError::Problem(bad_query(
                "n",
                format!("{n} is out of range; ask for 1..={MAX_PAGE_SIZE} images per page"),
            )));
        }
        let page = query.page.unwrap_or(1);
        if page == 0 {
            return Err(ApiError::Problem(bad_query(
                "page",
                "pages count from 1".to_owned(),
            )));
        }
        let loaded = self.loaded(id).await?;
        let meta = &loaded.dataset.meta;
        let classes: Vec<CategoryId> = match &query.class {
            None => Vec::new(),
            Some(name) => {
                let ids: Vec<CategoryId> = meta
                    .categories
                    .iter()
                    .filter(|category| category.name == *name)
                    .map(|category| category.id)
                    .collect();
                if ids.is_empty() {
                    let known: Vec<&str> = meta
                        .categories
                        .iter()
                        .take(20)
                        .map(|c| c.name.as_str())
                        .collect();
                    return Err(ApiError::Problem(bad_query(
                        "class",
                        format!(
                            "dataset {id} has no category named {name:?}; it has {}{}",
                            if known.is_empty() {
                                "none".to_owned()
                            } else {
                                known.join(", ")
                            },
                            if meta.categories.len() > known.len() {
                                ", …"
                            } else {
                                ""
                            }
                        ),
                    )));
                }
                ids
            }
        };
        // A fresh random order unless the client continues one.
        let seed = query
            .seed
            .unwrap_or_else(|| (Uuid::new_v4().as_u128() & u128::from(u32::MAX)) as u32);
        let selection = loaded.index.select(&classes);
        let total = selection.len() as u64;
        let names = meta.category_names();
        let items = selection
            .page(u64::from(seed), u64::from(page), u64::from(n))
            .into_iter()
            .map(|index| {
                let image = &meta.images[index];
                Sample {
                    image_id: image.id.0,
                    file_name: image.file_name.clone(),
                    width: image.width,
                    height: image.height,
                    url: format!("/api/v1/datasets/{id}/images/{}", image.id.0),
                    attributes: attributes_json(&image.attributes),
                    annotations: image
                        .annotations
                        .iter()
                        .map(|annotation| SampleAnnotation {
                            id: annotation.id.map(|a| a.0),
                            annotation_type: annotation.annotation_type,
                            category_id: annotation.category_id.map(|c| c.0),
                            category: annotation
                                .category_id
                                .and_then(|c| names.get(&c))
                                .map(|name| (*name).to_owned()),
                            bbox: annotation.bbox.map(|b| [b.x, b.y, b.w, b.h]),
                            polygons: match &annotation.segmentation {
                                Some(Segmentation::Polygons(parts)) if !parts.is_empty() => {
                                    Some(parts.clone())
                                }
                                _ => None,
                            },
                            mask: match &annotation.segmentation {
                                Some(Segmentation::Rle(rle)) => mask_of(rle),
                                _ => None,
                            },
                            area: annotation.effective_area(),
                            iscrowd: annotation.iscrowd,
                            label: annotation.label.clone(),
                            attributes: attributes_json(&annotation.attributes),
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(SamplePage {
            dataset_id: id,
            seed,
            n,
            page,
            total,
            pages: total.div_ceil(u64::from(n)),
            class: query.class.clone(),
            categories: meta
                .categories
                .iter()
                .map(|category| SampleCategory {
                    id: category.id.0,
                    name: category.name.clone(),
                    supercategory: category.supercategory.clone(),
                    images: loaded.index.images_with_class(category.id) as u64,
                })
                .collect(),
            items,
        })
    }

    /// `Ok` when the version is READY and has the image.
    pub async fn image_exists(&self, id: Uuid, image_id: i64) -> Result<(), ApiError> {
        let loaded = self.loaded(id).await?;
        match loaded.index.image(ImageId(image_id)) {
            Some(_) => Ok(()),
            None => Err(ApiError::not_found(
                "image",
                format!("{image_id} of dataset {id}"),
            )),
        }
    }

    /// A JPEG preview of one image of the version, longest side `size` (one of
    /// [`PREVIEW_SIZES`]): from the NAS cache, or made now (EXIF orientation applied, 16-bit
    /// images windowed to 8 bits) and cached.
    pub async fn image_preview(
        &self,
        id: Uuid,
        image_id: i64,
        size: u32,
    ) -> Result<ImagePreview, ApiError> {
        let loaded = self.loaded(id).await?;
        let Some(index) = loaded.index.image(ImageId(image_id)) else {
            return Err(ApiError::not_found(
                "image",
                format!("{image_id} of dataset {id}"),
            ));
        };
        let image = &loaded.dataset.meta.images[index];
        if !Path::new(&image.file_name)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(ApiError::not_found(
                "image file",
                format!(
                    "{:?} (image {image_id} of dataset {id} names a file outside the dataset)",
                    image.file_name
                ),
            ));
        }
        let source = loaded.dataset.image_root.join(&image.file_name);
        let cached = preview_path(id, size, image_id);
        let storage = Arc::clone(&self.storage);
        let file_name = image.file_name.clone();
        tokio::task::spawn_blocking(move || {
            let files = Files::new(&*storage);
            if let Ok(jpeg) = files.read(&cached) {
                return Ok(ImagePreview { jpeg, size });
            }
            let bytes = files.read(&source).map_err(|error| match error.kind() {
                io::ErrorKind::NotFound => ApiError::not_found(
                    "image file",
                    format!("{file_name} (image {image_id} of dataset {id})"),
                ),
                _ => storage_read_error(&source, &error),
            })?;
            let made = preview(&bytes, size, &PreviewOptions::default()).map_err(|error| {
                ApiError::conflict(
                    "IMAGE_UNREADABLE",
                    format!(
                        "{file_name} (image {image_id} of dataset {id}) cannot be decoded: {error}"
                    ),
                )
            })?;
            // The cache is an optimisation: a read-only NAS still gets its previews.
            if let Err(error) = files.write(&cached, &made.jpeg) {
                tracing::warn!(path = %cached.display(), %error, "the preview could not be cached");
            }
            Ok(ImagePreview {
                jpeg: made.jpeg,
                size,
            })
        })
        .await
        .map_err(|error| ApiError::Internal(format!("the preview stopped: {error}")))?
    }
}

fn read_dataset(
    storage: &dyn datamill_storage::StorageClient,
    dir: &Path,
    format: AnnotationFormat,
) -> Result<LoadedDataset, ApiError> {
    let dataset = codecs::read(Files::new(storage), format, dir, &ReadOptions::default())
        .map_err(|error| codec_error(dir, &error))?;
    let index = SampleIndex::new(&dataset.meta);
    Ok(LoadedDataset { dataset, index })
}

/// A version whose files no longer read is a conflict with its READY state; a storage that
/// does not answer is a 503.
fn codec_error(dir: &Path, error: &CodecError) -> ApiError {
    if error.is_storage_failure() {
        return storage_read_error(dir, error);
    }
    ApiError::conflict(
        "DATASET_UNREADABLE",
        format!(
            "the annotations under {} cannot be read: {error}",
            dir.display()
        ),
    )
}

fn storage_read_error(path: &Path, error: &dyn std::fmt::Display) -> ApiError {
    ApiError::Unavailable {
        code: "STORAGE_UNAVAILABLE",
        detail: format!(
            "the storage did not answer for {}: {error}; retry later",
            path.display()
        ),
    }
}

fn attributes_json(attributes: &Attributes) -> serde_json::Map<String, serde_json::Value> {
    attributes
        .iter()
        .map(|(name, value)| {
            let value = match value {
                AttributeValue::Bool(b) => serde_json::Value::Bool(*b),
                AttributeValue::Number(n) => serde_json::Number::from_f64(*n)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number),
                AttributeValue::Text(t) => serde_json::Value::String(t.clone()),
                AttributeValue::Unknown => serde_json::Value::Null,
            };
            (name.clone(), value)
        })
        .collect()
}

/// The mask as uncompressed runs; a mask that does not decode (wrong length, bad characters)
/// is left out rather than drawn wrong.
fn mask_of(rle: &datamill_core::geometry::Rle) -> Option<SampleMask> {
    Some(SampleMask {
        size: [rle.height, rle.width],
        counts: rle.runs().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_up_to_the_cached_ones() {
        assert_eq!(preview_size(None).unwrap(), 1024);
        assert_eq!(preview_size(Some(16)).unwrap(), 128);
        assert_eq!(preview_size(Some(320)).unwrap(), 320);
        assert_eq!(preview_size(Some(321)).unwrap(), 512);
        assert_eq!(preview_size(Some(4096)).unwrap(), 4096);
        assert!(preview_size(Some(15)).is_err());
        assert!(preview_size(Some(4097)).is_err());
    }

    #[test]
    fn the_cache_drops_the_least_recently_used_and_stale_versions() {
        let cache = SampleCache::new(2);
        let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let first_a = cache.cell((a, 1));
        cache.cell((b, 1));
        assert!(
            Arc::ptr_eq(&first_a, &cache.cell((a, 1))),
            "a is used again"
        );
        cache.cell((c, 1));
        let keys = |cache: &SampleCache| {
            let mut keys: Vec<Key> = cache.slots.lock().unwrap().iter().map(|s| s.key).collect();
            keys.sort();
            keys
        };
        let mut expected = vec![(a, 1), (c, 1)];
        expected.sort();
        assert_eq!(keys(&cache), expected, "b was the least recently used");
        let changed_a = cache.cell((a, 2));
        assert!(!Arc::ptr_eq(&first_a, &changed_a), "a changed: read again");
        assert_eq!(keys(&cache).iter().filter(|k| k.0 == a).count(), 1);
        cache.forget(a);
        assert_eq!(keys(&cache), vec![(c, 1)]);
    }
}
