//! `datamill validate`.

use std::process::ExitCode;

use clap::Args;
use datamill_core::Files;
use datamill_core::validate::{self, ValidateOptions};

use super::DatasetArgs;
use crate::output::{render_report, spinner};

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    #[command(flatten)]
    pub(crate) dataset: DatasetArgs,
    /// Skip the image files (existence, header sizes); annotations only.
    #[arg(long)]
    pub(crate) no_images: bool,
}

pub(crate) fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let dataset = &args.dataset;
    let progress = spinner(
        dataset.json,
        &format!("validating {} …", dataset.format.title()),
    );
    let options = ValidateOptions {
        check_images: !args.no_images,
        ..ValidateOptions::default()
    };
    let cwd = super::working_dir();
    let report = validate::validate(
        Files::local_at(&cwd),
        dataset.format,
        &dataset.dir,
        &options,
    );
    progress.finish_and_clear();
    if dataset.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!(
            "{}",
            render_report(&report, &dataset.dir.display().to_string(), dataset.classes)
        );
        println!("{}", if report.valid { "valid" } else { "INVALID" });
    }
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
