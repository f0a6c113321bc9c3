//! `datamill eda`: statistics and health checks of a dataset, and optionally a thumbnail gallery.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use datamill_core::Files;
use datamill_core::codecs;
use datamill_core::eda::{self, EdaOptions, EdaReport, GalleryOptions, HealthCheck, Stage};

use super::DatasetArgs;
use crate::output::spinner;

#[derive(Debug, Args)]
pub(crate) struct EdaArgs {
    #[command(flatten)]
    pub(crate) dataset: DatasetArgs,
    /// Write N thumbnails, spread over the classes, into OUT/gallery/ (needs --out).
    #[arg(long, value_name = "N", requires = "out")]
    pub(crate) gallery: Option<usize>,
    /// Folder for the gallery and the report (OUT/eda_report.json).
    #[arg(long, value_name = "OUT")]
    pub(crate) out: Option<PathBuf>,
    /// Longer side of the thumbnails, in pixels.
    #[arg(long, default_value_t = 320)]
    pub(crate) thumbnail_size: u32,
    /// Statistics from the annotations only: do not open the image files (no resolutions from
    /// headers, duplicates, EXIF, unreadable files or thermal statistics).
    #[arg(long)]
    pub(crate) no_images: bool,
    /// Print how long each stage took, on stderr (`timing: <stage> <seconds> s`).
    #[arg(long)]
    pub(crate) timings: bool,
}

/// When each stage was first reported.
struct Clock {
    started: Instant,
    stages: Mutex<Vec<(&'static str, Instant)>>,
}

impl Clock {
    fn new() -> Self {
        Self {
            started: Instant::now(),
            stages: Mutex::new(Vec::new()),
        }
    }

    fn mark(&self, stage: &'static str) {
        if let Ok(mut stages) = self.stages.lock()
            && stages.last().is_none_or(|(last, _)| *last != stage)
        {
            stages.push((stage, Instant::now()));
        }
    }

    /// Each stage's duration (until the next stage started, or now), and the total.
    fn lines(&self) -> String {
        let end = Instant::now();
        let mut out = String::new();
        if let Ok(stages) = self.stages.lock() {
            for (index, (stage, start)) in stages.iter().enumerate() {
                let until = stages.get(index + 1).map_or(end, |(_, next)| *next);
                let _ = writeln!(
                    out,
                    "timing: {stage} {:.3} s",
                    until.duration_since(*start).as_secs_f64()
                );
            }
        }
        let _ = writeln!(
            out,
            "timing: total {:.3} s",
            end.duration_since(self.started).as_secs_f64()
        );
        out
    }
}

pub(crate) fn run(args: &EdaArgs) -> anyhow::Result<ExitCode> {
    let dataset_args = &args.dataset;
    let cwd = super::working_dir();
    let files = Files::local_at(&cwd);
    let bar = spinner(
        dataset_args.json,
        &format!("reading {} …", dataset_args.format.title()),
    );
    let clock = Clock::new();
    let options = EdaOptions {
        inspect_images: !args.no_images,
        ..EdaOptions::default()
    };
    clock.mark(Stage::Reading.as_str());
    let dataset = codecs::read(files, dataset_args.format, &dataset_args.dir, &options.read)
        .with_context(|| {
            format!(
                "cannot read {} as {}",
                dataset_args.dir.display(),
                dataset_args.format.title()
            )
        })?;
    let progress = |stage: Stage, done: u64, total: u64| {
        clock.mark(stage.as_str());
        if total > 1 {
            bar.set_message(format!("{} {done}/{total} …", stage.as_str()));
        } else {
            bar.set_message(format!("{} …", stage.as_str()));
        }
    };
    let mut report =
        eda::analyse_dataset(files, dataset_args.format, &dataset, &options, &progress)?;
    if let (Some(count), Some(out)) = (args.gallery, &args.out) {
        let gallery = GalleryOptions {
            count,
            max_side: args.thumbnail_size,
            ..GalleryOptions::default()
        };
        report.gallery = eda::write_gallery(files, &dataset, &gallery, out, &progress)?;
    }
    bar.finish_and_clear();
    let json = serde_json::to_string_pretty(&report)?;
    if let Some(out) = &args.out {
        let path = out.join("eda_report.json");
        files
            .write(&path, format!("{json}\n"))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if args.timings {
        eprint!("{}", clock.lines());
    }
    if dataset_args.json {
        println!("{json}");
    } else {
        print!(
            "{}",
            render(
                &report,
                &dataset_args.dir.display().to_string(),
                dataset_args.classes
            )
        );
        if let Some(out) = &args.out {
            println!("  report: {}", out.join("eda_report.json").display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The text form of an EDA report.
fn render(report: &EdaReport, path: &str, max_classes: usize) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(out, "{path} ({}) — EDA", report.format.title());
    let _ = writeln!(
        out,
        "  {} images ({} without annotations), {} annotations ({} with boxes, {} crowd), {} classes ({} used)",
        s.images,
        s.images_without_annotations,
        s.annotations,
        s.objects,
        s.crowd_annotations,
        s.classes,
        s.classes_used
    );
    let per_image = &report.boxes_per_image;
    if s.objects > 0 {
        let _ = writeln!(
            out,
            "  boxes per image: mean {}, median {}, max {}",
            per_image.mean, per_image.median, per_image.max
        );
        let b = &report.size_buckets;
        let _ = writeln!(
            out,
            "  object sizes (COCO): {} small, {} medium, {} large, {} unknown (area from the annotation: {}, from the box: {})",
            b.small, b.medium, b.large, b.unknown, b.area_from_annotation, b.area_from_box
        );
    }
    let r = &report.resolutions;
    let source = match r.source {
        eda::ResolutionSource::Headers => "headers",
        eda::ResolutionSource::Annotations => "annotations",
    };
    let top: Vec<String> = r
        .top
        .iter()
        .take(5)
        .map(|t| format!("{}×{} ({})", t.width, t.height, t.images))
        .collect();
    let _ = writeln!(
        out,
        "  resolutions (from {source}): {} distinct over {} images{}; most common: {}",
        r.distinct,
        r.images,
        if r.unknown > 0 {
            format!(", {} unknown", r.unknown)
        } else {
            String::new()
        },
        if top.is_empty() {
            "-".to_owned()
        } else {
            top.join(", ")
        }
    );
    if !report.classes.is_empty() {
        let mut classes: Vec<_> = report.classes.iter().collect();
        classes.sort_by(|a, b| b.instances.cmp(&a.instances).then(a.id.cmp(&b.id)));
        let _ = writeln!(out, "  classes (most annotations first):");
        for class in classes.iter().take(max_classes) {
            let _ = writeln!(
                out,
                "    {:>6}  {:<24} {:>9} annotations on {:>7} images",
                class.id,
                if class.declared {
                    class.name.as_str()
                } else {
                    "(undeclared)"
                },
                class.instances,
                class.images
            );
        }
        if classes.len() > max_classes {
            let _ = writeln!(out, "    … {} more", classes.len() - max_classes);
        }
    }
    for attribute in &report.attributes {
        for (scope, counts) in [
            ("images", &attribute.images),
            ("annotations", &attribute.annotations),
        ] {
            let Some(counts) = counts else { continue };
            let values: Vec<String> = counts
                .values
                .iter()
                .take(6)
                .map(|v| format!("{} {}", v.value, v.count))
                .collect();
            let _ = writeln!(
                out,
                "  attribute {} ({}, {scope}): {}; missing {}",
                attribute.name,
                attribute.kind,
                values.join(", "),
                counts.missing
            );
        }
    }
    if let Some(thermal) = &report.thermal {
        let _ = writeln!(
            out,
            "  thermal: {} images of {} bits ({} effective), {} sampled; min {}, p1 {}, median {}, p99 {}, max {}",
            thermal.images,
            thermal.bit_depth,
            thermal.effective_bits,
            thermal.sampled,
            thermal.min,
            thermal.p1,
            thermal.p50,
            thermal.p99,
            thermal.max
        );
    }
    render_health(&mut out, report);
    if !report.gallery.is_empty() {
        let _ = writeln!(out, "  gallery: {} thumbnails", report.gallery.len());
    }
    out
}

fn render_health(out: &mut String, report: &EdaReport) {
    let h = &report.health;
    let _ = writeln!(out, "  health: {} issues", report.summary.health_issues);
    let mut check = |name: &str, check: Option<&HealthCheck>| match check {
        None => {
            let _ = writeln!(out, "    {name:<28} not checked");
        }
        Some(check) => {
            let _ = writeln!(out, "    {name:<28} {:>7}", check.count);
            for example in check.examples.iter().take(3) {
                let _ = writeln!(out, "      {}: {}", example.file_name, example.detail);
            }
        }
    };
    check(
        "images without annotations",
        Some(&h.images_without_annotations),
    );
    check("missing files", h.missing_files.as_ref());
    check("degenerate boxes", Some(&h.degenerate_boxes));
    check("out-of-bounds boxes", Some(&h.out_of_bounds_boxes));
    check("unreadable images", h.unreadable_images.as_ref());
    check("size mismatches", h.size_mismatches.as_ref());
    let exif = h.exif_rotated.as_ref().map(|e| HealthCheck {
        count: e.count,
        examples: e.examples.clone(),
    });
    check("EXIF-rotated images", exif.as_ref());
    match &h.duplicate_images {
        None => {
            let _ = writeln!(out, "    {:<28} not checked", "duplicate images");
        }
        Some(duplicates) => {
            let _ = writeln!(
                out,
                "    {:<28} {:>7} groups ({} files)",
                "duplicate images", duplicates.count, duplicates.images
            );
            for group in duplicates.groups.iter().take(3) {
                let _ = writeln!(out, "      {}", group.file_names.join(" = "));
            }
        }
    }
}
