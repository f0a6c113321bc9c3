//! `datamill convert`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use datamill_core::AnnotationFormat;
use datamill_core::codecs::{CrowdPolicy, ReadOptions, WriteOptions, YoloTask};
use datamill_core::convert::{self, ConvertOptions, ImageTransfer};

use crate::output::spinner;

#[derive(Debug, Args)]
pub(crate) struct ConvertArgs {
    /// Source format.
    #[arg(long, value_parser = super::format_arg)]
    pub(crate) from: AnnotationFormat,
    /// Target format.
    #[arg(long, value_parser = super::format_arg)]
    pub(crate) to: AnnotationFormat,
    /// Source dataset directory (for COCO also the JSON file).
    pub(crate) src: PathBuf,
    /// Output directory; must be empty or absent unless --overwrite.
    pub(crate) dst: PathBuf,
    /// How images reach DST/images: copy, hardlink, symlink or none.
    #[arg(long, default_value = "copy")]
    pub(crate) images: ImageTransfer,
    /// COCO crowd regions (iscrowd=1) in formats without them: skip, box or polygon.
    #[arg(long, default_value = "skip")]
    pub(crate) iscrowd: CrowdPolicy,
    /// YOLO class order: a file with one class name per line (or a data.yaml's names); use the same
    /// file for every split so that class indices agree. Default: categories sorted by id.
    #[arg(long)]
    pub(crate) names: Option<PathBuf>,
    /// YOLO label kind: detect or segment (default: segment when any object has a mask).
    #[arg(long)]
    pub(crate) task: Option<String>,
    /// Decimal places of YOLO coordinates.
    #[arg(long, default_value_t = 6)]
    pub(crate) precision: usize,
    /// Write into a non-empty DST.
    #[arg(long)]
    pub(crate) overwrite: bool,
    /// Pretty-print JSON outputs.
    #[arg(long)]
    pub(crate) pretty: bool,
    /// Print the conversion report as JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

fn read_names(path: &Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the class names file {}", path.display()))?;
    let names: Vec<String> = text
        .lines()
        .map(|line| line.trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect();
    if names.is_empty() {
        bail!("{} lists no class names", path.display());
    }
    Ok(names)
}

pub(crate) fn run(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    super::ensure_empty_output(&args.dst, args.overwrite)?;
    if let (Ok(src), Ok(dst)) = (args.src.canonicalize(), args.dst.canonicalize())
        && (src == dst || dst.starts_with(&src) && args.from == args.to)
    {
        bail!("the output directory must not be the source dataset");
    }
    let yolo_task = match args.task.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => None,
        Some("detect") => Some(YoloTask::Detect),
        Some("segment") => Some(YoloTask::Segment),
        Some(other) => bail!("unknown --task `{other}`; expected detect or segment"),
    };
    let class_names = args.names.as_deref().map(read_names).transpose()?;
    let options = ConvertOptions {
        read: ReadOptions::default(),
        write: WriteOptions {
            crowd: args.iscrowd,
            class_names,
            yolo_task,
            yolo_precision: args.precision,
            pretty_json: args.pretty,
            ..WriteOptions::default()
        },
        images: args.images,
    };
    let progress = spinner(
        args.json,
        &format!("converting {} → {} …", args.from.title(), args.to.title()),
    );
    let conversion = convert::convert(args.from, args.to, &args.src, &args.dst, &options);
    progress.finish_and_clear();
    let conversion = conversion?;
    let (report_path, text) = super::write_report(&args.dst, &conversion.report)?;
    if args.json {
        println!("{text}");
    } else {
        let report = &conversion.report;
        println!(
            "{} → {}: {} images, {} annotations in; {} images, {} annotations out",
            args.from.title(),
            args.to.title(),
            report.input.images,
            report.input.annotations,
            report.output.images,
            report.output.annotations
        );
        for tally in &report.summary {
            println!(
                "  {:>8} {:?} ({:?})",
                tally.count, tally.action, tally.reason
            );
        }
        let errors = conversion.diagnostics.error_count();
        if errors > 0 {
            println!(
                "  the source has {errors} errors; run `datamill validate` on it for the list"
            );
        }
        println!("report: {}", report_path.display());
    }
    Ok(ExitCode::SUCCESS)
}
