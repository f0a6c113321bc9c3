//! Statistics from the image files: one parallel pass over the headers (size, EXIF orientation,
//! bit depth, readability — never a full decode of a sound file), exact duplicates, and the
//! intensity histogram of 16-bit images.
//!
//! Per file: the first [`HEADER_BYTES`] (the whole file when it is smaller), the size from a
//! `stat` only when it is larger, and its last [`TAIL_BYTES`] to see that it ends where its
//! format ends (JPEG `EOI`, PNG `IEND`, WebP's RIFF length). A file that does not is decoded once
//! to tell a truncated file from one with bytes after its end; only a decoding failure makes it
//! unreadable.
//!
//! Duplicates: files are grouped by (size, hash of the header bytes already read); only files
//! that share both with another are read whole and hashed (XXH3-128), so a dataset without
//! duplicates costs no extra reads beyond near-identical headers.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use datamill_imaging::SourceFormat;
use rayon::prelude::*;
use xxhash_rust::xxh3::{Xxh3, xxh3_64, xxh3_128};

use super::annotations::round;
use super::report::{
    DuplicateCheck, DuplicateGroup, EdaLimits, ExifCheck, HealthCheck, HealthExample, Histogram,
    IntensityHistogram, ResolutionCount, ResolutionSource, Resolutions, Thermal, ValueStats,
};
use super::select::Examples;
use super::{EdaError, Progress, Stage};
use crate::codecs::Dataset;
use crate::diagnostics::ProblemCode;
use crate::files::Files;
use crate::model::DatasetMeta;

/// Bytes read from the start of every file: JPEG frame headers after a large EXIF block (an
/// embedded thumbnail) fit; a file whose size is not found in them is read whole.
pub(super) const HEADER_BYTES: u64 = 64 * 1024;
/// Bytes read from the end of a larger file to find its format's end marker.
pub(super) const TAIL_BYTES: u64 = 1024;
/// Progress is reported every this many files.
const PROGRESS_EVERY: u64 = 512;

/// What the image files say.
#[derive(Debug)]
pub(super) struct ImageScan {
    pub(super) resolutions: Resolutions,
    pub(super) missing_files: HealthCheck,
    pub(super) duplicate_images: DuplicateCheck,
    pub(super) exif_rotated: ExifCheck,
    pub(super) unreadable_images: HealthCheck,
    pub(super) size_mismatches: HealthCheck,
    pub(super) thermal: Option<Thermal>,
}

/// One image file, as its header describes it.
#[derive(Debug, Clone)]
pub(super) enum Probe {
    Missing,
    Unreadable(String),
    Found(Found),
}

#[derive(Debug, Clone)]
pub(super) struct Found {
    /// File size.
    bytes: u64,
    /// Size as stored (before orientation).
    stored: (u32, u32),
    orientation: u8,
    bit_depth: Option<u8>,
    format: Option<SourceFormat>,
    /// XXH3-128 of the bytes read from the start; of the whole content when `whole`.
    prefix: u128,
    whole: bool,
}

impl Found {
    fn display(&self) -> (u32, u32) {
        if (5..=8).contains(&self.orientation) {
            (self.stored.1, self.stored.0)
        } else {
            self.stored
        }
    }
}

fn is_missing(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// Reads one file's header (and tail); never fails: what goes wrong is the answer.
pub(super) fn probe(files: Files<'_>, path: &Path) -> Probe {
    let header = match files.read_range(path, 0, HEADER_BYTES) {
        Ok(header) => header,
        Err(error) if is_missing(&error) => return Probe::Missing,
        Err(error) => return Probe::Unreadable(format!("cannot read the file: {error}")),
    };
    if header.is_empty() {
        return Probe::Unreadable("the file is empty".to_owned());
    }
    let bytes = if (header.len() as u64) < HEADER_BYTES {
        header.len() as u64
    } else {
        match files.metadata(path) {
            Ok(meta) => meta.size,
            Err(error) => return Probe::Unreadable(format!("cannot read the file: {error}")),
        }
    };
    let whole = bytes <= header.len() as u64;
    let size = match imagesize::blob_size(&header) {
        Ok(size) => size,
        Err(_) if !whole => match files.read(path) {
            Ok(all) => match imagesize::blob_size(&all) {
                Ok(size) => size,
                Err(error) => return unrecognised(&error),
            },
            Err(error) => return Probe::Unreadable(format!("cannot read the file: {error}")),
        },
        Err(error) => return unrecognised(&error),
    };
    if size.width == 0 || size.height == 0 {
        return Probe::Unreadable("the header gives a size of zero".to_owned());
    }
    let format = datamill_imaging::sniff(&header);
    let complete = if whole {
        ends_properly(format, &header, &header, bytes)
    } else {
        match files.read_range(path, bytes.saturating_sub(TAIL_BYTES), TAIL_BYTES) {
            Ok(tail) => ends_properly(format, &header, &tail, bytes),
            Err(error) => return Probe::Unreadable(format!("cannot read the file: {error}")),
        }
    };
    if !complete {
        // Cut short, or followed by bytes after its end (some cameras append data): decoding
        // tells which.
        let verified = if whole {
            datamill_imaging::verify(&header)
        } else {
            match files.read(path) {
                Ok(all) => datamill_imaging::verify(&all),
                Err(error) => return Probe::Unreadable(format!("cannot read the file: {error}")),
            }
        };
        if let Err(error) = verified {
            return Probe::Unreadable(format!("the file is cut short or corrupt ({error})"));
        }
    }
    let to_u32 = |value: usize| u32::try_from(value).unwrap_or(u32::MAX);
    Probe::Found(Found {
        bytes,
        stored: (to_u32(size.width), to_u32(size.height)),
        orientation: datamill_imaging::exif_orientation(&header).unwrap_or(1),
        bit_depth: datamill_imaging::bit_depth(&header),
        format,
        prefix: xxh3_128(&header),
        whole,
    })
}

fn unrecognised(error: &imagesize::ImageError) -> Probe {
    Probe::Unreadable(format!(
        "not an image Datamill can read the size of ({error})"
    ))
}

/// Whether the file ends where its format says it ends: a JPEG's last bytes hold its `EOI`
/// marker, a PNG's its `IEND` chunk, a WebP is as long as its RIFF header says. Other formats
/// are not checked.
fn ends_properly(format: Option<SourceFormat>, header: &[u8], tail: &[u8], bytes: u64) -> bool {
    match format {
        Some(SourceFormat::Jpeg) => tail.windows(2).any(|w| w == [0xFF, 0xD9]),
        Some(SourceFormat::Png) => tail.windows(4).any(|w| w == b"IEND"),
        Some(SourceFormat::Webp) => header
            .get(4..8)
            .and_then(|b| b.try_into().ok())
            .is_some_and(|b: [u8; 4]| u64::from(u32::from_le_bytes(b)) + 8 <= bytes),
        _ => true,
    }
}

/// Probes every image of the dataset, in parallel, in the dataset's order.
pub(super) fn probe_all(
    files: Files<'_>,
    paths: &[PathBuf],
    progress: &dyn Progress,
) -> Result<Vec<Probe>, EdaError> {
    let total = paths.len() as u64;
    let done = AtomicU64::new(0);
    progress.update(Stage::Headers, 0, total);
    let probes = paths
        .par_iter()
        .map(|path| {
            if progress.cancelled() {
                return Err(EdaError::Cancelled);
            }
            let probe = probe(files, path);
            let count = done.fetch_add(1, Ordering::Relaxed) + 1;
            if count.is_multiple_of(PROGRESS_EVERY) {
                progress.update(Stage::Headers, count, total);
            }
            Ok(probe)
        })
        .collect::<Result<Vec<_>, _>>()?;
    progress.update(Stage::Headers, total, total);
    Ok(probes)
}

/// Everything the files say, from their probes.
pub(super) fn scan(
    files: Files<'_>,
    dataset: &Dataset,
    probes: &[Probe],
    check_sizes: bool,
    limits: &EdaLimits,
    progress: &dyn Progress,
) -> Result<ImageScan, EdaError> {
    let meta = &dataset.meta;
    let examples = limits.examples as usize;
    let example = |index: usize, detail: String| {
        let image = &meta.images[index];
        HealthExample {
            image_id: Some(image.id.0),
            file_name: image.file_name.clone(),
            annotation_index: None,
            annotation_id: None,
            detail,
        }
    };
    let mut missing = Examples::new(examples);
    let mut unreadable = Examples::new(examples);
    let mut mismatched = Examples::new(examples);
    let mut rotated = Examples::new(examples);
    let mut by_orientation: BTreeMap<String, u64> = BTreeMap::new();
    let mut sizes = Vec::with_capacity(probes.len());
    let mut formats: BTreeMap<String, u64> = BTreeMap::new();
    let mut file_bytes = 0u64;
    for (index, probe) in probes.iter().enumerate() {
        let image = &meta.images[index];
        let name = image.file_name.as_str();
        match probe {
            Probe::Missing => missing.record(name, None, || {
                example(index, "the file is not in the image folder".to_owned())
            }),
            Probe::Unreadable(reason) => {
                unreadable.record(name, None, || example(index, reason.clone()));
            }
            Probe::Found(found) => {
                let display = found.display();
                sizes.push(display);
                file_bytes += found.bytes;
                let format = found.format.map_or("other", SourceFormat::name);
                *formats.entry(format.to_owned()).or_default() += 1;
                if found.orientation != 1 {
                    *by_orientation
                        .entry(found.orientation.to_string())
                        .or_default() += 1;
                    rotated.record(name, None, || {
                        example(
                            index,
                            format!(
                                "EXIF orientation {} ({}); stored {}×{}, shown {}×{}",
                                found.orientation,
                                orientation_name(found.orientation),
                                found.stored.0,
                                found.stored.1,
                                display.0,
                                display.1
                            ),
                        )
                    });
                }
                if check_sizes
                    && image.width > 0
                    && image.height > 0
                    && display != (image.width, image.height)
                {
                    mismatched.record(name, None, || {
                        example(
                            index,
                            format!(
                                "the file is {}×{} as shown but the annotations say {}×{}",
                                display.0, display.1, image.width, image.height
                            ),
                        )
                    });
                }
            }
        }
    }
    orphan_labels(dataset, &mut missing);

    let duplicate_images = duplicates(files, dataset, probes, limits, progress)?;
    let thermal = thermal(files, dataset, probes, limits, &mut unreadable, progress)?;
    let unknown = (probes.len() - sizes.len()) as u64;
    Ok(ImageScan {
        resolutions: resolutions(
            &sizes,
            unknown,
            ResolutionSource::Headers,
            formats,
            file_bytes,
            limits,
        ),
        missing_files: missing.finish(),
        duplicate_images,
        exif_rotated: {
            let check = rotated.finish();
            ExifCheck {
                count: check.count,
                by_orientation,
                examples: check.examples,
            }
        },
        unreadable_images: unreadable.finish(),
        size_mismatches: mismatched.finish(),
        thermal,
    })
}

/// YOLO label files without an image (reported by the reader) are annotations pointing at
/// missing files.
fn orphan_labels(dataset: &Dataset, missing: &mut Examples) {
    let Some(counts) = dataset.diagnostics.counts.get(&ProblemCode::OrphanLabel) else {
        return;
    };
    let total = counts.error + counts.warning + counts.note;
    let mut listed = 0;
    for problem in dataset.diagnostics.of(ProblemCode::OrphanLabel) {
        let file = problem.location.file.as_deref().unwrap_or_default();
        listed += 1;
        missing.record(file, None, || HealthExample {
            image_id: None,
            file_name: file.to_owned(),
            annotation_index: None,
            annotation_id: None,
            detail: "a label file whose image is not in the image folder".to_owned(),
        });
    }
    // Orphans past the reader's listing limit are counted without an example.
    missing.count += total.saturating_sub(listed);
}

const fn orientation_name(orientation: u8) -> &'static str {
    match orientation {
        2 => "flipped left to right",
        3 => "turned 180°",
        4 => "flipped top to bottom",
        5 => "transposed",
        6 => "turned 90° clockwise",
        7 => "transversed",
        8 => "turned 90° counter-clockwise",
        _ => "as stored",
    }
}

/// Megapixel bin edges.
const MEGAPIXEL_EDGES: [f64; 11] = [0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 12.0, 24.0, 50.0];

/// The size statistics of `sizes` (displayed width × height of each image with a known size).
pub(super) fn resolutions(
    sizes: &[(u32, u32)],
    unknown: u64,
    source: ResolutionSource,
    formats: BTreeMap<String, u64>,
    file_bytes: u64,
    limits: &EdaLimits,
) -> Resolutions {
    let mut counts: HashMap<(u32, u32), u64> = HashMap::new();
    let mut megapixels = vec![0u64; MEGAPIXEL_EDGES.len() - 1];
    let mut overflow = 0;
    for &(w, h) in sizes {
        *counts.entry((w, h)).or_default() += 1;
        let mp = f64::from(w) * f64::from(h) / 1e6;
        match MEGAPIXEL_EDGES.iter().rposition(|edge| mp >= *edge) {
            Some(bin) if bin < megapixels.len() => megapixels[bin] += 1,
            _ => overflow += 1,
        }
    }
    let distinct = counts.len() as u64;
    let mut ranked: Vec<((u32, u32), u64)> = counts.into_iter().collect();
    ranked.sort_by(|((aw, ah), an), ((bw, bh), bn)| {
        bn.cmp(an)
            .then((u64::from(*bw) * u64::from(*bh)).cmp(&(u64::from(*aw) * u64::from(*ah))))
            .then(bw.cmp(aw))
    });
    let other = ranked
        .iter()
        .skip(limits.top_resolutions as usize)
        .map(|(_, n)| n)
        .sum();
    ranked.truncate(limits.top_resolutions as usize);
    let stats = |values: Vec<u32>| value_stats(values.into_iter().map(f64::from).collect());
    Resolutions {
        source,
        images: sizes.len() as u64,
        unknown,
        distinct,
        top: ranked
            .into_iter()
            .map(|((width, height), images)| ResolutionCount {
                width,
                height,
                images,
            })
            .collect(),
        other,
        width: stats(sizes.iter().map(|s| s.0).collect()),
        height: stats(sizes.iter().map(|s| s.1).collect()),
        megapixels: Histogram {
            edges: MEGAPIXEL_EDGES.to_vec(),
            counts: megapixels,
            overflow,
        },
        formats,
        file_bytes,
    }
}

/// Resolutions from the sizes the annotations state.
pub(super) fn annotated_resolutions(meta: &DatasetMeta, limits: &EdaLimits) -> Resolutions {
    let sizes: Vec<(u32, u32)> = meta
        .images
        .iter()
        .filter(|i| i.width > 0 && i.height > 0)
        .map(|i| (i.width, i.height))
        .collect();
    let unknown = (meta.images.len() - sizes.len()) as u64;
    resolutions(
        &sizes,
        unknown,
        ResolutionSource::Annotations,
        BTreeMap::new(),
        0,
        limits,
    )
}

fn value_stats(mut values: Vec<f64>) -> ValueStats {
    if values.is_empty() {
        return ValueStats::default();
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    ValueStats {
        min: values[0],
        median: values[(n - 1) / 2],
        mean: round(values.iter().sum::<f64>() / n as f64, 4),
        max: values[n - 1],
    }
}

/// Byte-identical files: grouped by (size, header hash), then by the hash of the whole content
/// where the header was not the whole file.
fn duplicates(
    files: Files<'_>,
    dataset: &Dataset,
    probes: &[Probe],
    limits: &EdaLimits,
    progress: &dyn Progress,
) -> Result<DuplicateCheck, EdaError> {
    let meta = &dataset.meta;
    // One entry per file name (a file listed twice is not its own duplicate).
    let mut by_prefix: HashMap<(u64, u128), Vec<usize>> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for (index, probe) in probes.iter().enumerate() {
        if let Probe::Found(found) = probe
            && seen.insert(meta.images[index].file_name.as_str())
        {
            by_prefix
                .entry((found.bytes, found.prefix))
                .or_default()
                .push(index);
        }
    }
    let candidates: Vec<usize> = by_prefix
        .into_values()
        .filter(|group| group.len() > 1)
        .flatten()
        .collect();
    let total = candidates.len() as u64;
    progress.update(Stage::Duplicates, 0, total);
    let done = AtomicU64::new(0);
    let hashed = candidates
        .par_iter()
        .map(|&index| {
            if progress.cancelled() {
                return Err(EdaError::Cancelled);
            }
            let Probe::Found(found) = &probes[index] else {
                return Ok(None);
            };
            let content = if found.whole {
                Some(found.prefix)
            } else {
                let path = dataset.image_root.join(&meta.images[index].file_name);
                // A file that cannot be read now (gone since the header pass) is left out.
                content_hash(files, &path).ok()
            };
            let count = done.fetch_add(1, Ordering::Relaxed) + 1;
            if count.is_multiple_of(PROGRESS_EVERY) {
                progress.update(Stage::Duplicates, count, total);
            }
            Ok(content.map(|hash| ((found.bytes, hash), index)))
        })
        .collect::<Result<Vec<_>, EdaError>>()?;
    progress.update(Stage::Duplicates, total, total);
    let mut groups: HashMap<(u64, u128), Vec<&str>> = HashMap::new();
    for ((bytes, hash), index) in hashed.into_iter().flatten() {
        groups
            .entry((bytes, hash))
            .or_default()
            .push(meta.images[index].file_name.as_str());
    }
    let mut groups: Vec<DuplicateGroup> = groups
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|((bytes, hash), mut names)| {
            names.sort_unstable();
            let count = names.len() as u64;
            names.truncate(limits.examples as usize);
            DuplicateGroup {
                hash: format!("{hash:032x}"),
                bytes,
                count,
                file_names: names.into_iter().map(str::to_owned).collect(),
            }
        })
        .collect();
    groups.sort_by(|a, b| a.file_names.cmp(&b.file_names));
    let check = DuplicateCheck {
        count: groups.len() as u64,
        images: groups.iter().map(|g| g.count).sum(),
        groups: groups.into_iter().take(limits.examples as usize).collect(),
    };
    Ok(check)
}

/// XXH3-128 of a whole file, read in blocks.
fn content_hash(files: Files<'_>, path: &Path) -> io::Result<u128> {
    let mut reader = files.open(path)?;
    let mut hasher = Xxh3::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buffer[..n]),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(hasher.digest128())
}

/// The intensity statistics of up to `limits.thermal_images` 16-bit PNG/TIFF images (those whose
/// file-name hash is smallest). Files that fail to decode are added to `unreadable`.
fn thermal(
    files: Files<'_>,
    dataset: &Dataset,
    probes: &[Probe],
    limits: &EdaLimits,
    unreadable: &mut Examples,
    progress: &dyn Progress,
) -> Result<Option<Thermal>, EdaError> {
    let meta = &dataset.meta;
    let mut candidates: Vec<(u64, &str, usize)> = probes
        .iter()
        .enumerate()
        .filter_map(|(index, probe)| match probe {
            Probe::Found(found)
                if found.bit_depth.is_some_and(|bits| bits > 8)
                    && matches!(found.format, Some(SourceFormat::Png | SourceFormat::Tiff)) =>
            {
                let name = meta.images[index].file_name.as_str();
                Some((xxh3_64(name.as_bytes()), name, index))
            }
            _ => None,
        })
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    let images = candidates.len() as u64;
    candidates.sort_unstable();
    candidates.dedup_by(|a, b| a.1 == b.1);
    candidates.truncate(limits.thermal_images as usize);
    let total = candidates.len() as u64;
    progress.update(Stage::Thermal, 0, total);
    let done = AtomicU64::new(0);
    let decoded = candidates
        .par_iter()
        .map(|&(_, name, index)| {
            if progress.cancelled() {
                return Err(EdaError::Cancelled);
            }
            let path = dataset.image_root.join(name);
            let result = files
                .read(&path)
                .map_err(|e| format!("cannot read the file: {e}"))
                .and_then(|bytes| {
                    datamill_imaging::sample_histogram(&bytes).map_err(|e| e.to_string())
                });
            let count = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress.update(Stage::Thermal, count, total);
            Ok((index, result))
        })
        .collect::<Result<Vec<_>, EdaError>>()?;
    let mut counts = vec![0u64; 65_536];
    let mut failed = 0;
    for (index, result) in decoded {
        match result {
            Ok(histogram) if histogram.bit_depth == 16 => {
                counts
                    .iter_mut()
                    .zip(&histogram.counts)
                    .for_each(|(a, b)| *a += b);
            }
            // The header said 16 bits, the decoder gave 8: not a thermal frame after all.
            Ok(_) => {}
            Err(reason) => {
                failed += 1;
                let image = &meta.images[index];
                unreadable.record(&image.file_name, None, || HealthExample {
                    image_id: Some(image.id.0),
                    file_name: image.file_name.clone(),
                    annotation_index: None,
                    annotation_id: None,
                    detail: format!("the file does not decode ({reason})"),
                });
            }
        }
    }
    Ok(Some(intensity_stats(&counts, images, total, failed)))
}

/// Percentiles, mean and a histogram of at most 256 bins of a 16-bit value histogram.
fn intensity_stats(counts: &[u64], images: u64, sampled: u64, failed: u64) -> Thermal {
    let samples: u64 = counts.iter().sum();
    let min = counts.iter().position(|c| *c > 0).unwrap_or(0) as u32;
    let max = counts.iter().rposition(|c| *c > 0).unwrap_or(0) as u32;
    let percentile = |p: f64| -> u32 {
        if samples == 0 {
            return 0;
        }
        let rank = (p / 100.0 * (samples - 1) as f64).round() as u64;
        let mut seen = 0;
        for (value, count) in counts.iter().enumerate() {
            seen += count;
            if seen > rank {
                return value as u32;
            }
        }
        max
    };
    let sum: f64 = counts
        .iter()
        .enumerate()
        .map(|(value, count)| value as f64 * *count as f64)
        .sum();
    let span = max - min + 1;
    let bin_width = span.div_ceil(256);
    let bins = span.div_ceil(bin_width) as usize;
    let mut histogram = vec![0u64; if samples == 0 { 0 } else { bins }];
    if samples > 0 {
        for (value, count) in counts
            .iter()
            .enumerate()
            .skip(min as usize)
            .take(span as usize)
        {
            histogram[(value as u32 - min) as usize / bin_width as usize] += count;
        }
    }
    Thermal {
        images,
        sampled,
        failed,
        bit_depth: 16,
        effective_bits: (32 - max.leading_zeros()) as u8,
        samples,
        min,
        max,
        p1: percentile(1.0),
        p50: percentile(50.0),
        p99: percentile(99.0),
        mean: if samples == 0 {
            0.0
        } else {
            round(sum / samples as f64, 4)
        },
        histogram: IntensityHistogram {
            start: min,
            bin_width,
            counts: histogram,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intensity_statistics_are_exact() {
        let mut counts = vec![0u64; 65_536];
        counts[1000] = 1;
        counts[2000] = 98;
        counts[16_383] = 1;
        let stats = intensity_stats(&counts, 3, 2, 0);
        assert_eq!(
            (stats.min, stats.max, stats.p1, stats.p50, stats.p99),
            (1000, 16_383, 2000, 2000, 2000)
        );
        assert_eq!(stats.effective_bits, 14);
        assert_eq!(stats.samples, 100);
        assert_eq!(stats.histogram.start, 1000);
        // 15,384 values in bins of 61: 253 bins.
        assert_eq!(stats.histogram.bin_width, 61);
        assert_eq!(stats.histogram.counts.len(), 253);
        assert_eq!(stats.histogram.counts.iter().sum::<u64>(), 100);
        assert_eq!(stats.histogram.counts[0], 1);
        assert_eq!(stats.histogram.counts[(2000 - 1000) / 61], 98);
        assert_eq!(stats.mean, (1000.0 + 98.0 * 2000.0 + 16_383.0) / 100.0);
    }

    #[test]
    fn files_end_where_their_format_ends() {
        assert!(ends_properly(
            Some(SourceFormat::Jpeg),
            b"",
            b"\x00\xFF\xD9\x00",
            4
        ));
        assert!(!ends_properly(
            Some(SourceFormat::Jpeg),
            b"",
            b"\x00\xFF\xD8",
            3
        ));
        assert!(ends_properly(
            Some(SourceFormat::Png),
            b"",
            b"..IEND....",
            10
        ));
        let webp = b"RIFF\x10\x00\x00\x00WEBP";
        assert!(ends_properly(Some(SourceFormat::Webp), webp, b"", 24));
        assert!(!ends_properly(Some(SourceFormat::Webp), webp, b"", 23));
        assert!(ends_properly(Some(SourceFormat::Bmp), b"", b"", 1));
    }
}
