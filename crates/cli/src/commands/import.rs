//! `datamill import`: a public attribute dataset's own label files → ATTR_JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use datamill_core::codecs::{ReadOptions, WriteOptions};
use datamill_core::convert::{self, ConvertOptions, ImageTransfer, Importer};

use crate::output::spinner;

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The source's label layout: celeba or market1501.
    #[arg(long)]
    pub(crate) from: Importer,
    /// The source dataset directory (CelebA: the folder with Anno/ or the list_attr file itself).
    pub(crate) src: PathBuf,
    /// Output directory for the ATTR_JSON dataset; must be empty or absent unless --overwrite.
    pub(crate) dst: PathBuf,
    /// Market-1501: the attribute label file (default: market_attribute.converted.json in SRC).
    #[arg(long)]
    pub(crate) labels: Option<PathBuf>,
    /// How images reach DST/images: copy, hardlink, symlink or none.
    #[arg(long, default_value = "copy")]
    pub(crate) images: ImageTransfer,
    /// Write into a non-empty DST.
    #[arg(long)]
    pub(crate) overwrite: bool,
    /// Pretty-print the ATTR_JSON file.
    #[arg(long)]
    pub(crate) pretty: bool,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) fn run(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    super::ensure_empty_output(&args.dst, args.overwrite)?;
    let options = ConvertOptions {
        read: ReadOptions::default(),
        write: WriteOptions {
            pretty_json: args.pretty,
            ..WriteOptions::default()
        },
        images: args.images,
    };
    let progress = spinner(args.json, "importing …");
    let conversion = convert::import(
        args.from,
        &args.src,
        args.labels.as_deref(),
        &args.dst,
        &options,
    );
    progress.finish_and_clear();
    let conversion = conversion?;
    let (report_path, text) = super::write_report(&args.dst, &conversion.report)?;
    if args.json {
        println!("{text}");
    } else {
        let report = &conversion.report;
        println!(
            "imported {} images, {} annotations into {}",
            report.output.images,
            report.output.annotations,
            args.dst.join("annotation.json").display()
        );
        for problem in &conversion.diagnostics.problems {
            println!("  {problem}");
        }
        println!("report: {}", report_path.display());
    }
    Ok(ExitCode::SUCCESS)
}
