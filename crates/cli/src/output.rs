//! Human-readable output shared by the commands.

use std::fmt::Write as _;

use datamill_core::diagnostics::{Problem, Severity};
use datamill_core::validate::ValidationReport;
use indicatif::{ProgressBar, ProgressStyle};

/// A spinner on stderr for a phase of work; hidden with `--json` and when stderr is not a terminal.
pub(crate) fn spinner(quiet: bool, message: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        bar.set_style(style);
    }
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn problem_line(problem: &Problem) -> String {
    let tag = match problem.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    format!(
        "  {tag}[{}] {}: {}",
        code_name(problem),
        problem.location,
        problem.message
    )
}

fn code_name(problem: &Problem) -> String {
    serde_json::to_value(problem.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The text form of a validation report.
pub(crate) fn render_report(report: &ValidationReport, path: &str, max_classes: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{path} ({})", report.format.title());
    if let Some(layout) = &report.layout {
        let _ = writeln!(
            out,
            "  annotations: {}   images: {}/",
            layout.annotation_files.join(", "),
            layout.image_root
        );
    }
    let counts = &report.counts;
    let _ = writeln!(
        out,
        "  {} images ({} without annotations), {} annotations ({} crowd), {} classes",
        counts.images,
        counts.images_without_annotations,
        counts.annotations,
        counts.crowd_annotations,
        counts.classes
    );
    if !report.class_histogram.is_empty() {
        let mut classes = report.class_histogram.clone();
        classes.sort_by(|a, b| b.annotations.cmp(&a.annotations).then(a.id.cmp(&b.id)));
        let _ = writeln!(out, "  classes (most annotated first):");
        for class in classes.iter().take(max_classes) {
            let _ = writeln!(
                out,
                "    {:>6}  {:<24} {:>9} annotations on {:>7} images",
                class.id,
                if class.name.is_empty() {
                    "(undeclared)"
                } else {
                    &class.name
                },
                class.annotations,
                class.images
            );
        }
        if classes.len() > max_classes {
            let _ = writeln!(out, "    … {} more", classes.len() - max_classes);
        }
    }
    if report.problems.is_empty() {
        let _ = writeln!(out, "  no problems found");
    } else {
        let _ = writeln!(
            out,
            "  {} errors, {} warnings:",
            report.errors, report.warnings
        );
        for problem in &report.problems {
            let _ = writeln!(out, "{}", problem_line(problem));
        }
        let listed = report.problems.len() as u64;
        let total: u64 = report
            .problem_counts
            .values()
            .map(|c| c.error + c.warning + c.note)
            .sum();
        if total > listed {
            let _ = writeln!(
                out,
                "  … {} more problems not listed (see --json for counts)",
                total - listed
            );
        }
    }
    out
}
