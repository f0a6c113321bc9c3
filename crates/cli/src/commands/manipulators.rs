//! `datamill manipulators list`.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use datamill_core::pipeline::catalog;

#[derive(Debug, Subcommand)]
pub(crate) enum ManipulatorsCommand {
    /// List every manipulator: scope, formats, task types, status, params.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Print the catalog (with each params JSON Schema) as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) fn run(command: &ManipulatorsCommand) -> anyhow::Result<ExitCode> {
    let ManipulatorsCommand::List(args) = command;
    let entries = catalog();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&entries)?);
        return Ok(ExitCode::SUCCESS);
    }
    for entry in &entries {
        let scopes: Vec<String> = entry.scopes.iter().map(wire).collect();
        let formats: Vec<&str> = entry.formats.iter().map(|f| f.title()).collect();
        let params: Vec<String> = entry.params_schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        println!(
            "{:<34} {:<15} {:<22} {:<12} {}",
            entry.name,
            wire(&entry.category),
            scopes.join(","),
            wire(&entry.status),
            entry.description
        );
        println!(
            "{:<34} formats: {}{}; params: {}",
            "",
            formats.join(", "),
            entry
                .output_format
                .map(|f| format!(" → {}", f.title()))
                .unwrap_or_default(),
            if params.is_empty() {
                "none".to_owned()
            } else {
                params.join(", ")
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn wire<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
