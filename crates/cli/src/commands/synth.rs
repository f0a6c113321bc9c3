//! `datamill synth`: a synthetic dataset with COCO-like statistics (benchmarks, demos, tests).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use datamill_core::Files;
use datamill_core::synth::{self, SynthConfig, SynthFormat};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, Args)]
pub(crate) struct SynthArgs {
    /// Output directory; must be empty or absent unless --overwrite.
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// Number of images.
    #[arg(long)]
    pub(crate) images: usize,
    /// Seed: the same seed and options give the same dataset, byte for byte.
    #[arg(long, default_value_t = 0)]
    pub(crate) seed: u64,
    /// Layout: coco (annotation.json), yolo (labels/ + data.yaml) or visdrone (annotations/).
    #[arg(long, default_value = "coco")]
    pub(crate) format: SynthFormat,
    /// Write the annotation files only, no JPEGs.
    #[arg(long)]
    pub(crate) annotations_only: bool,
    /// Mean objects per image (COCO train2017: 7.3).
    #[arg(long, default_value_t = 7.3)]
    pub(crate) mean_boxes: f64,
    /// Fraction of objects that are crowd regions (iscrowd=1, RLE); COCO and YOLO only.
    #[arg(long, default_value_t = 0.01)]
    pub(crate) crowd_fraction: f64,
    /// JPEG quality, 1..=100.
    #[arg(long, default_value_t = 90)]
    pub(crate) quality: u8,
    /// Every image this size (`1920x1080`) instead of COCO-like sizes from 640x480 to 1920x1080.
    #[arg(long, value_parser = parse_size)]
    pub(crate) size: Option<(u32, u32)>,
    /// Write into a non-empty OUT.
    #[arg(long)]
    pub(crate) overwrite: bool,
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{text}` is not a size like 1920x1080"))?;
    let parse = |v: &str| v.trim().parse::<u32>().ok().filter(|v| *v > 0);
    match (parse(w), parse(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(format!("`{text}` is not a size like 1920x1080")),
    }
}

pub(crate) fn run(args: &SynthArgs) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.crowd_fraction) {
        bail!("--crowd-fraction must be within 0..=1");
    }
    if !(args.mean_boxes.is_finite() && args.mean_boxes >= 0.0) {
        bail!("--mean-boxes must be a non-negative number");
    }
    if args.out.exists() && !args.overwrite {
        let non_empty = std::fs::read_dir(&args.out)
            .with_context(|| format!("cannot read {}", args.out.display()))?
            .next()
            .is_some();
        if non_empty {
            bail!(
                "{} is not empty; choose an empty output directory or pass --overwrite",
                args.out.display()
            );
        }
    }
    let config = SynthConfig {
        images: args.images,
        seed: args.seed,
        annotations_only: args.annotations_only,
        format: args.format,
        mean_boxes: args.mean_boxes,
        crowd_fraction: args.crowd_fraction,
        jpeg_quality: args.quality,
        min_size: args.size.unwrap_or(SynthConfig::default().min_size),
        max_size: args.size.unwrap_or(SynthConfig::default().max_size),
        ..SynthConfig::default()
    };
    let started = Instant::now();
    // indicatif draws nothing when stderr is not a terminal, so scripts see only the summary.
    let bar = if args.annotations_only {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::new(args.images as u64)
    };
    let template = if args.annotations_only {
        "{spinner} {msg} {elapsed}"
    } else {
        "{msg} [{bar:30}] {pos}/{len} images, {per_sec}, eta {eta}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(format!("synth {} ({})", args.out.display(), args.format));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let cwd = super::working_dir();
    let summary =
        synth::write_dataset_with_progress(Files::local_at(&cwd), &config, &args.out, &|| {
            bar.inc(1);
        });
    bar.finish_and_clear();
    let summary = summary.with_context(|| format!("cannot write {}", args.out.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}: {} images, {} annotations ({:.2}/image, {} crowd, {} polygons), {} format",
        args.out.display(),
        summary.images,
        summary.annotations,
        summary.annotations as f64 / summary.images.max(1) as f64,
        summary.crowd,
        summary.polygons,
        args.format
    );
    let mut sizes = format!("annotations {:.2} MB", mb(summary.annotation_bytes));
    if !args.annotations_only {
        // Writing into a String cannot fail.
        let _ = write!(
            sizes,
            ", images {:.1} MB ({:.0} KB/image)",
            mb(summary.image_bytes),
            summary.image_bytes as f64 / 1e3 / summary.images.max(1) as f64
        );
    }
    println!("  {sizes}, {seconds:.1} s");
    Ok(())
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}
