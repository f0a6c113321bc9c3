//! One module per subcommand.

pub(crate) mod convert;
pub(crate) mod import;
pub(crate) mod inspect;
pub(crate) mod synth;
pub(crate) mod validate;

use datamill_core::AnnotationFormat;

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
