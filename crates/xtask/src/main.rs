//! Datamill's development tasks (`cargo xtask <task>`).
//!
//! * `schemas` — writes the checked-in JSON Schemas under `proto-schemas/` from the Rust types
//!   they describe; `schemas --check` fails (exit 1) with a diff when one is stale, for CI.
//! * `bench` — the COCO-train-scale benchmark table (see `bench.rs`); `bench-pipeline` and
//!   `bench-eda` — the pipeline engine and the EDA at the same scale.
//!
//! Schemas are generated, never edited by hand: the Rust types (serde + schemars) are the single
//! source of truth, and the check keeps the files other services read from drifting. A new schema
//! is one more entry in [`schemas`].

mod bench;
mod bench_eda;
mod bench_pipeline;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

/// One generated schema file.
struct SchemaFile {
    /// Path relative to the workspace root.
    path: String,
    schema: serde_json::Value,
}

/// Every generated schema: the ATTR_JSON format, the pipeline config, and one per manipulator
/// (from the catalog, so a new manipulator brings its schema file with it).
fn job_schema<J: datamill_queue::Job>() -> SchemaFile {
    SchemaFile {
        path: format!("proto-schemas/jobs/{}", J::SCHEMA_FILE),
        schema: J::payload_schema(),
    }
}

fn schemas() -> Vec<SchemaFile> {
    let mut files = vec![
        SchemaFile {
            path: "proto-schemas/attr_json.schema.json".to_owned(),
            schema: datamill_core::codecs::attr_json::json_schema(),
        },
        SchemaFile {
            path: "proto-schemas/pipeline_config.schema.json".to_owned(),
            schema: datamill_core::pipeline::PipelineConfig::json_schema(),
        },
        job_schema::<datamill_queue::PipelineJob>(),
        job_schema::<datamill_queue::EdaJob>(),
        SchemaFile {
            path: "proto-schemas/eda_report.schema.json".to_owned(),
            schema: datamill_core::eda::json_schema(),
        },
    ];
    for manipulator in datamill_core::pipeline::manipulators::CATALOG {
        files.push(SchemaFile {
            path: format!(
                "proto-schemas/manipulators/{}.schema.json",
                manipulator.info().name
            ),
            schema: manipulator.params_schema(),
        });
    }
    files
}

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  schemas [--check]   write proto-schemas/*.schema.json (--check: fail if any is stale)
  bench [options]     COCO-train-scale benchmark (bench-results/bench.md)
  bench-pipeline [options]
                      pipeline Phase A and Phase B benchmark (bench-results/pipeline.md)
  bench-eda [options] EDA at COCO-train scale: from annotations, and the header pass
                      (bench-results/eda.md)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    match args.first().map(String::as_str) {
        Some("schemas") => match &args[1..] {
            [] => write_schemas(&workspace_root()).map(|()| ExitCode::SUCCESS),
            [flag] if flag == "--check" => {
                let stale = stale_schemas(&workspace_root())?;
                if stale.is_empty() {
                    println!("schemas: all {} up to date", schemas().len());
                    Ok(ExitCode::SUCCESS)
                } else {
                    eprint!("{}", stale_report(&stale));
                    Ok(ExitCode::FAILURE)
                }
            }
            other => bail!("unknown schemas option(s) {other:?}\n\n{USAGE}"),
        },
        Some("bench") => bench::run(&args[1..]).map(|()| ExitCode::SUCCESS),
        Some("bench-pipeline") => bench_pipeline::run(&args[1..]).map(|()| ExitCode::SUCCESS),
        Some("bench-eda") => bench_eda::run(&args[1..]).map(|()| ExitCode::SUCCESS),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => bail!("unknown task `{other}`\n\n{USAGE}"),
    }
}

/// The workspace root: this crate lives in `crates/xtask`, so that does not depend on the
/// directory cargo was run from.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A schema as written: pretty (2-space indent), with a trailing newline. serde_json keeps the
/// generated key order (schemars' `preserve_order`), which follows the Rust field order, so the
/// output is stable across runs.
fn render(schema: &serde_json::Value) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(schema).context("cannot serialise a schema")?;
    text.push('\n');
    Ok(text)
}

fn write_schemas(root: &Path) -> anyhow::Result<()> {
    for schema in schemas() {
        let path = root.join(&schema.path);
        let text = render(&schema.schema)?;
        if fs::read_to_string(&path).is_ok_and(|old| old == text) {
            println!("schemas: {} unchanged", schema.path);
            continue;
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        println!("schemas: wrote {}", schema.path);
    }
    Ok(())
}

/// A schema file whose checked-in text differs from the generated one.
struct Stale {
    path: String,
    /// `None` when the file does not exist.
    checked_in: Option<String>,
    generated: String,
}

fn stale_schemas(root: &Path) -> anyhow::Result<Vec<Stale>> {
    let mut stale = Vec::new();
    for schema in schemas() {
        let generated = render(&schema.schema)?;
        let checked_in = fs::read_to_string(root.join(&schema.path)).ok();
        if checked_in.as_deref() != Some(generated.as_str()) {
            stale.push(Stale {
                path: schema.path,
                checked_in,
                generated,
            });
        }
    }
    Ok(stale)
}

fn stale_report(stale: &[Stale]) -> String {
    let mut out = String::new();
    for file in stale {
        match &file.checked_in {
            None => {
                let _ = writeln!(out, "{} is missing", file.path);
            }
            Some(old) => {
                let _ = writeln!(out, "{} is stale:", file.path);
                out.push_str(&diff(old, &file.generated, 40));
            }
        }
    }
    let _ = writeln!(
        out,
        "\nRun `cargo xtask schemas` (or `make schemas`) and commit the result."
    );
    out
}

/// A unified-style line diff (`---`/`+++`, `@@` hunks with 2 lines of context), cut after
/// `max_lines` changed lines. Quadratic LCS: schema files are a few hundred lines.
fn diff(old: &str, new: &str, max_lines: usize) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j] = length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0_u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // Edit script: (' ' | '-' | '+', line number in the old file, text).
    let mut script: Vec<(char, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            script.push((' ', i + 1, a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removals before additions, as unified diffs show a replaced line.
            script.push(('-', i + 1, a[i]));
            i += 1;
        } else {
            script.push(('+', i + 1, b[j]));
            j += 1;
        }
    }
    // Show every change with 2 lines of context around it; a gap starts a new hunk.
    let visible: Vec<bool> = (0..script.len())
        .map(|k| {
            let from = k.saturating_sub(2);
            let to = (k + 2).min(script.len() - 1);
            script[from..=to].iter().any(|(kind, _, _)| *kind != ' ')
        })
        .collect();
    let total = script.iter().filter(|(kind, _, _)| *kind != ' ').count();
    let mut out = String::from("--- checked in\n+++ generated\n");
    let mut shown = 0;
    for (k, &(kind, line, text)) in script.iter().enumerate() {
        if !visible[k] {
            continue;
        }
        if shown >= max_lines {
            let _ = writeln!(out, "… {} more changed line(s)", total - shown);
            break;
        }
        if k == 0 || !visible[k - 1] {
            let _ = writeln!(out, "@@ line {line} @@");
        }
        let _ = writeln!(out, "{kind}{text}");
        if kind != ' ' {
            shown += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_in_schemas_are_current() {
        let stale = stale_schemas(&workspace_root()).expect("generates");
        assert!(stale.is_empty(), "{}", stale_report(&stale));
    }

    #[test]
    fn schemas_render_stably_with_a_trailing_newline() {
        for (schema, again) in schemas().into_iter().zip(schemas()) {
            let first = render(&schema.schema).expect("generates");
            assert_eq!(first, render(&again.schema).expect("generates"));
            assert!(first.ends_with("}\n"));
        }
    }

    #[test]
    fn the_diff_shows_changed_lines_with_context() {
        let old = "a\nb\nc\nd\ne\nf\n";
        let new = "a\nb\nC\nd\ne\nf\ng\n";
        let shown = diff(old, new, 40);
        assert!(shown.contains("-c\n+C\n"), "{shown}");
        assert!(shown.contains("+g\n"), "{shown}");
        assert!(shown.starts_with("--- checked in\n+++ generated\n@@ line 1 @@\n a\n b\n"));
    }
}
