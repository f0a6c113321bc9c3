//! One module per subcommand.

pub(crate) mod convert;
pub(crate) mod eda;
pub(crate) mod import;
pub(crate) mod inspect;
pub(crate) mod manipulators;
pub(crate) mod pipeline;
pub(crate) mod synth;
pub(crate) mod validate;

use std::path::PathBuf;

use clap::Args;
use datamill_core::AnnotationFormat;

/// The dataset a reading command looks at, and how it prints.
#[derive(Debug, Args)]
pub(crate) struct DatasetArgs {
    /// Dataset directory (for COCO/ATTR_JSON also the JSON file).
    pub(crate) dir: PathBuf,
    /// Annotation format: coco, yolo, visdrone, cls_folder, attr_json, none, custom.
    #[arg(long, short, value_parser = format_arg)]
    pub(crate) format: AnnotationFormat,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// How many classes to list.
    #[arg(long, default_value_t = 20)]
    pub(crate) classes: usize,
}

/// The working directory, asked once per command: the core resolves relative paths against it
/// ([`datamill_core::Files::local_at`]) instead of asking for every file it reads.
pub(crate) fn working_dir() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}

/// Parses a format name for clap.
pub(crate) fn format_arg(text: &str) -> Result<AnnotationFormat, String> {
    text.parse()
        .map_err(|e: datamill_core::format::UnknownFormat| e.to_string())
}

/// Refuses to write into a directory that already holds something, unless asked to.
pub(crate) fn ensure_empty_output(dst: &std::path::Path, overwrite: bool) -> anyhow::Result<()> {
    use anyhow::Context;
    if dst.exists() {
        let non_empty = std::fs::read_dir(dst)
            .with_context(|| format!("cannot read {}", dst.display()))?
            .next()
            .is_some();
        if non_empty && !overwrite {
            anyhow::bail!(
                "{} is not empty; choose an empty output directory or pass --overwrite",
                dst.display()
            );
        }
    }
    Ok(())
}

/// Writes `conversion_report.json` into the output directory; returns its path and text.
pub(crate) fn write_report(
    dst: &std::path::Path,
    report: &datamill_core::ConversionReport,
) -> anyhow::Result<(std::path::PathBuf, String)> {
    use anyhow::Context;
    let path = dst.join("conversion_report.json");
    let text = serde_json::to_string_pretty(report)?;
    std::fs::write(&path, format!("{text}\n"))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok((path, text))
}
