//! `datamill inspect`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use datamill_core::AnnotationFormat;
use datamill_core::validate::{self, ValidateOptions};

use crate::output::{render_report, spinner};

#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    /// Dataset directory (for COCO/ATTR_JSON also the JSON file).
    pub(crate) dir: PathBuf,
    /// Annotation format: coco, yolo, visdrone, cls_folder, attr_json, none, custom.
    #[arg(long, short, value_parser = super::format_arg)]
    pub(crate) format: AnnotationFormat,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// How many classes to list.
    #[arg(long, default_value_t = 20)]
    pub(crate) classes: usize,
}

pub(crate) fn run(args: &InspectArgs) -> anyhow::Result<ExitCode> {
    let progress = spinner(args.json, &format!("reading {} …", args.format.title()));
    let options = ValidateOptions {
        check_images: false,
        ..ValidateOptions::default()
    };
    let report = validate::validate(args.format, &args.dir, &options);
    progress.finish_and_clear();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!(
            "{}",
            render_report(&report, &args.dir.display().to_string(), args.classes)
        );
    }
    // A path that is not a dataset at all is a failure of inspect; content problems are not.
    Ok(if report.layout.is_none() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
