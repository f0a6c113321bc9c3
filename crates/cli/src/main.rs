//! `datamill`: inspect, validate, convert and generate computer-vision datasets, and build new
//! versions with pipelines.

mod commands;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

// COCO-train-sized datasets are millions of small allocations; mimalloc is faster than glibc's
// malloc at that and returns memory to the system more readily.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Datamill's dataset tool: exact COCO/YOLO/VisDrone/ATTR_JSON/class-folder codecs.
#[derive(Debug, Parser)]
#[command(name = "datamill", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read a dataset and print what it holds: counts, classes, problems found while reading.
    Inspect(commands::inspect::InspectArgs),
    /// Check a dataset thoroughly (files, sizes, geometry); exit status 1 when it has errors.
    Validate(commands::validate::ValidateArgs),
    /// Convert a dataset to another format, writing `conversion_report.json` into the output.
    Convert(commands::convert::ConvertArgs),
    /// Statistics and health checks of a dataset (class balance, box sizes, resolutions,
    /// duplicates, EXIF, corrupt files, thermal intensities), and a thumbnail gallery.
    Eda(commands::eda::EdaArgs),
    /// Import a public attribute dataset (CelebA, Market-1501) into ATTR_JSON.
    Import(commands::import::ImportArgs),
    /// Generate a synthetic dataset with COCO-like statistics (deterministic by seed).
    Synth(commands::synth::SynthArgs),
    /// Build dataset versions with pipelines of manipulators.
    #[command(subcommand)]
    Pipeline(commands::pipeline::PipelineCommand),
    /// The manipulators pipelines can use.
    #[command(subcommand)]
    Manipulators(commands::manipulators::ManipulatorsCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Inspect(args) => commands::inspect::run(args),
        Command::Validate(args) => commands::validate::run(args),
        Command::Convert(args) => commands::convert::run(args),
        Command::Eda(args) => commands::eda::run(args),
        Command::Import(args) => commands::import::run(args),
        Command::Synth(args) => commands::synth::run(args).map(|()| ExitCode::SUCCESS),
        Command::Pipeline(command) => commands::pipeline::run(command),
        Command::Manipulators(command) => commands::manipulators::run(command),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
