//! `datamill inspect`.

use std::process::ExitCode;

use clap::Args;
use datamill_core::Files;
use datamill_core::validate::{self, ValidateOptions};

use super::DatasetArgs;
use crate::output::{render_report, spinner};

#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    #[command(flatten)]
    pub(crate) dataset: DatasetArgs,
}

pub(crate) fn run(args: &InspectArgs) -> anyhow::Result<ExitCode> {
    let args = &args.dataset;
    let progress = spinner(args.json, &format!("reading {} …", args.format.title()));
    let options = ValidateOptions {
        check_images: false,
        ..ValidateOptions::default()
    };
    let cwd = super::working_dir();
    let report = validate::validate(Files::local_at(&cwd), args.format, &args.dir, &options);
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
