//! `datamill validate`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use datamill_core::AnnotationFormat;
use datamill_core::validate::{self, ValidateOptions};

use crate::output::{render_report, spinner};

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Dataset directory (for COCO/ATTR_JSON also the JSON file).
    pub(crate) dir: PathBuf,
    /// Annotation format: coco, yolo, visdrone, cls_folder, attr_json, none, custom.
    #[arg(long, short, value_parser = super::format_arg)]
    pub(crate) format: AnnotationFormat,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// Skip the image files (existence, header sizes); annotations only.
    #[arg(long)]
    pub(crate) no_images: bool,
    /// How many classes to list.
    #[arg(long, default_value_t = 20)]
    pub(crate) classes: usize,
}

pub(crate) fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let progress = spinner(args.json, &format!("validating {} …", args.format.title()));
    let options = ValidateOptions {
        check_images: !args.no_images,
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
        println!("{}", if report.valid { "valid" } else { "INVALID" });
    }
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
