//! `datamill pipeline run`: a pipeline on a local NAS directory.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Context;
use clap::{Args, Subcommand};
use datamill_core::Files;
use datamill_core::pipeline::{
    ExecuteOptions, MissingImages, PipelineConfig, PipelineError, Plan, Progress, Stage, execute,
    local,
};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

#[derive(Debug, Subcommand)]
pub(crate) enum PipelineCommand {
    /// Build a dataset version from a config (YAML or JSON): Phase A on the annotations, then the
    /// images. Rerun the same command after an interruption to resume.
    Run(RunArgs),
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// The pipeline config (YAML or JSON).
    pub(crate) config: PathBuf,
    /// The NAS base directory: sources are paths under it, the output goes to
    /// NAS/{processed|fusion}/{group}/{split}/{version}/.
    #[arg(long)]
    pub(crate) nas: PathBuf,
    /// Phase A only: print the exact counts, class histogram and report; write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// Worker threads for the images (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub(crate) threads: usize,
    /// Hard-link unchanged images when the file system cannot clone them (same file system only).
    #[arg(long)]
    pub(crate) hardlink: bool,
    /// Stop when a source image is not on disk (default: keep its annotations, report the file).
    #[arg(long)]
    pub(crate) strict_images: bool,
    /// JPEG quality for images re-encoded without change_compression (non-lossless 180° turns).
    #[arg(long, default_value_t = 95, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub(crate) reencode_quality: u8,
}

pub(crate) fn run(command: &PipelineCommand) -> anyhow::Result<ExitCode> {
    match command {
        PipelineCommand::Run(args) => run_pipeline(args),
    }
}

fn run_pipeline(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.config)
        .with_context(|| format!("cannot read {}", args.config.display()))?;
    let config = match PipelineConfig::parse(&text) {
        Ok(config) => config,
        Err(problems) => return Ok(invalid(args, &PipelineError::Invalid(problems))),
    };
    let cwd = super::working_dir();
    let pipeline = match local::prepare(Files::local_at(&cwd), &config, &args.nas) {
        Ok(pipeline) => pipeline,
        Err(error @ PipelineError::Invalid(_)) => return Ok(invalid(args, &error)),
        Err(error) => return Err(error.into()),
    };
    let bar = Bar::new(args.json);
    let started = std::time::Instant::now();
    let plan = match pipeline.plan(&bar) {
        Ok(plan) => plan,
        Err(error @ PipelineError::Invalid(_)) => {
            bar.finish();
            return Ok(invalid(args, &error));
        }
        Err(error) => {
            bar.finish();
            return Err(error.into());
        }
    };
    let mut timings = Timings {
        phase_a_s: started.elapsed().as_secs_f64(),
        phase_b_s: None,
    };
    let (version, output) = pipeline.output_dir(&plan);
    if args.dry_run {
        bar.finish();
        print_plan(args, &plan, &output, version, None, &timings);
        return Ok(ExitCode::SUCCESS);
    }
    let options = ExecuteOptions {
        threads: args.threads,
        hardlink: args.hardlink,
        reencode_quality: args.reencode_quality,
        missing_images: if args.strict_images {
            MissingImages::Fail
        } else {
            MissingImages::Report
        },
    };
    let executing = std::time::Instant::now();
    let summary = execute(pipeline.files, &plan, &output, &options, &bar);
    bar.finish();
    let summary = summary?;
    timings.phase_b_s = Some(executing.elapsed().as_secs_f64());
    print_plan(args, &plan, &output, version, Some(&summary), &timings);
    Ok(ExitCode::SUCCESS)
}

fn invalid(args: &RunArgs, error: &PipelineError) -> ExitCode {
    let PipelineError::Invalid(problems) = error else {
        return ExitCode::from(2);
    };
    if args.json {
        println!("{}", json!({ "valid": false, "problems": problems }));
    } else {
        eprintln!("{} is not a valid pipeline:", args.config.display());
        for problem in problems {
            eprintln!("  {problem}");
        }
    }
    ExitCode::from(1)
}

fn print_plan(
    args: &RunArgs,
    plan: &Plan,
    output: &std::path::Path,
    version: datamill_core::Version,
    summary: Option<&datamill_core::pipeline::ExecutionSummary>,
    timings: &Timings,
) {
    if args.json {
        let value = json!({
            "valid": true,
            "dry_run": args.dry_run,
            "output": output,
            "version": version,
            "summary": plan.summary,
            "report": plan.report,
            "execution": summary,
            "timings": timings,
        });
        println!("{value}");
        return;
    }
    let s = &plan.summary;
    let verb = if args.dry_run { "would write" } else { "wrote" };
    println!(
        "{verb} {} ({}): {} images ({} copied, {} transformed), {} annotations, {} classes",
        output.display(),
        plan.format.title(),
        s.images,
        s.images_copied,
        s.images_transformed,
        s.annotations,
        s.categories
    );
    for class in s.classes.iter().take(30) {
        println!(
            "  {:<24} {:>9} annotations on {:>8} images",
            class.name, class.annotations, class.images
        );
    }
    for step in &plan.report.steps {
        println!(
            "  {} {}: images {} → {}, annotations {} → {}",
            step.step,
            step.manipulator,
            step.images_in,
            step.images_out,
            step.annotations_in,
            step.annotations_out
        );
    }
    for warning in &plan.report.warnings {
        println!("  warning: {}: {}", warning.step, warning.message);
    }
    if !plan.report.renames.is_empty() {
        println!(
            "  {} files renamed (see pipeline_report.json)",
            plan.report.renames.len()
        );
    }
    if let Some(summary) = summary {
        println!(
            "  images: {} cloned, {} linked, {} copied, {} transformed ({} losslessly), {} already in place",
            summary.cloned,
            summary.linked,
            summary.copied,
            summary.transformed,
            summary.lossless,
            summary.resumed
        );
    }
}

/// Wall time of the two phases (Phase B includes writing the annotation files).
#[derive(Debug, serde::Serialize)]
struct Timings {
    phase_a_s: f64,
    phase_b_s: Option<f64>,
}

/// The progress bar on stderr (hidden with --json).
struct Bar {
    bar: ProgressBar,
    stage: Mutex<Option<Stage>>,
}

impl Bar {
    fn new(quiet: bool) -> Self {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(0)
        };
        if let Ok(style) =
            ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} {elapsed} (eta {eta})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Self {
            bar,
            stage: Mutex::new(None),
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn update(&self, stage: Stage, done: u64, total: u64) {
        if let Ok(mut current) = self.stage.lock()
            && *current != Some(stage)
        {
            *current = Some(stage);
            self.bar.set_message(stage.as_str());
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
    }
}
