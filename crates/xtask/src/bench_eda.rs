//! `cargo xtask bench-eda` (part of `make bench`): the EDA at COCO-train scale.
//!
//! Generates two synthetic COCO datasets of N images (118,000 by default) with `datamill synth`:
//! annotations only (≈ 860,000 objects, ≈ 420 MB of JSON), and the same size with a real
//! 160×120 JPEG per image (≈ 9 KB each). Then times `datamill eda` as separate processes, each
//! first run once to warm the page cache and then best of R:
//!
//! * **from annotations** — `eda --no-images`: the COCO read and every annotation statistic
//!   (target < 5 s on 2 cores);
//! * **with images** — `eda`: the same plus one pass over the headers of all N files, the
//!   duplicate check and the thermal step (target for the header pass: < 10 s warm).
//!
//! Stage times come from `datamill eda --timings`; wall time and peak RSS from our clock and GNU
//! time. Writes `bench-results/eda.md` and `bench-results/eda.json` and says whether each target
//! is met. Options: `--images N`, `--seed S` (2), `--repeat R` (3), `--keep` (reuse the data).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::bench::{Run, fmt_rss, met, os, remove_dir, time_once, workspace_root};

/// Targets of issue 13, on 2 cores.
const FROM_ANNOTATIONS_TARGET_S: f64 = 5.0;
const HEADERS_TARGET_S: f64 = 10.0;
/// Size of the generated images: small, so that 118,000 of them are ≈ 1 GB (the header pass
/// reads at most 64 KiB of each file whatever its size).
const IMAGE_SIZE: &str = "160x120";

struct Options {
    images: usize,
    seed: u64,
    repeat: usize,
    keep: bool,
}

fn parse(args: &[String]) -> anyhow::Result<Options> {
    let mut options = Options {
        images: 118_000,
        seed: 2,
        repeat: 3,
        keep: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .with_context(|| format!("{name} needs a value"))
                .cloned()
        };
        match arg.as_str() {
            "--images" => options.images = value("--images")?.parse().context("--images")?,
            "--seed" => options.seed = value("--seed")?.parse().context("--seed")?,
            "--repeat" => options.repeat = value("--repeat")?.parse().context("--repeat")?,
            "--keep" => options.keep = true,
            other => bail!(
                "unknown option {other}; cargo xtask bench-eda [--images N] [--seed S] [--repeat R] [--keep]"
            ),
        }
    }
    if options.images == 0 || options.repeat == 0 {
        bail!("--images and --repeat must be at least 1");
    }
    Ok(options)
}

/// One measured `datamill eda` run: wall time, peak RSS, its stage times and its report.
struct Measured {
    run: Run,
    stages: BTreeMap<String, f64>,
    report: Value,
}

/// `timing: <stage> <seconds> s` lines of `datamill eda --timings`.
fn stages(stderr: &str) -> BTreeMap<String, f64> {
    stderr
        .lines()
        .filter_map(|line| {
            let mut words = line.strip_prefix("timing: ")?.split_whitespace();
            let stage = words.next()?;
            let seconds = words.next()?.parse().ok()?;
            Some((stage.to_owned(), seconds))
        })
        .collect()
}

/// Runs once to warm the cache, then `repeat` times; keeps the fastest.
fn measure(
    datamill: &Path,
    args: &[OsString],
    cwd: &Path,
    repeat: usize,
) -> anyhow::Result<Measured> {
    time_once(datamill, args, cwd)?;
    let mut best: Option<Run> = None;
    for _ in 0..repeat {
        let run = time_once(datamill, args, cwd)?;
        if best
            .as_ref()
            .is_none_or(|b| run.measurement.wall_s < b.measurement.wall_s)
        {
            best = Some(run);
        }
    }
    let run = best.context("no run")?;
    let report =
        serde_json::from_str(&run.stdout).context("datamill eda --json printed no report")?;
    Ok(Measured {
        stages: stages(&run.stderr),
        report,
        run,
    })
}

fn stage(measured: &Measured, name: &str) -> f64 {
    measured.stages.get(name).copied().unwrap_or(0.0)
}

pub(crate) fn run(args: &[String]) -> anyhow::Result<()> {
    let options = parse(args)?;
    let root = workspace_root();
    let results = root.join("bench-results");
    fs::create_dir_all(&results).with_context(|| format!("cannot create {}", results.display()))?;
    let datamill = build_datamill(&root)?;
    let data = results.join(format!("data/eda-{}-{}", options.images, options.seed));
    let annotations = data.join("annotations");
    let with_images = data.join("images");
    if !(options.keep && annotations.join("annotation.json").exists()) {
        remove_dir(&annotations)?;
        synth(
            &datamill,
            &root,
            &annotations,
            &options,
            &["--annotations-only"],
        )?;
    }
    if !(options.keep && with_images.join("annotation.json").exists()) {
        remove_dir(&with_images)?;
        synth(
            &datamill,
            &root,
            &with_images,
            &options,
            &["--size", IMAGE_SIZE],
        )?;
    }

    eprintln!("bench-eda: from annotations …");
    let from_annotations = measure(
        &datamill,
        &os(&[
            &"eda",
            &annotations,
            &"--format",
            &"coco",
            &"--json",
            &"--no-images",
            &"--timings",
        ]),
        &root,
        options.repeat,
    )?;
    eprintln!("bench-eda: with the images …");
    let full = measure(
        &datamill,
        &os(&[
            &"eda",
            &with_images,
            &"--format",
            &"coco",
            &"--json",
            &"--timings",
        ]),
        &root,
        options.repeat,
    )?;

    // Both runs must have seen the whole dataset.
    let images = |m: &Measured| m.report["summary"]["images"].as_u64().unwrap_or(0);
    if images(&from_annotations) != options.images as u64 || images(&full) != options.images as u64
    {
        bail!(
            "datamill eda saw {} and {} images, expected {}",
            images(&from_annotations),
            images(&full),
            options.images
        );
    }
    let headers_read = full.report["resolutions"]["images"].as_u64().unwrap_or(0);
    if headers_read != options.images as u64 {
        bail!(
            "the header pass read {headers_read} of {} images",
            options.images
        );
    }

    let from_annotations_s = from_annotations.run.measurement.wall_s;
    let headers_s = stage(&full, "headers");
    let summary = &from_annotations.report["summary"];
    let values = json!({
        "images": options.images,
        "seed": options.seed,
        "repeat": options.repeat,
        "objects": summary["objects"],
        "json_bytes": fs::metadata(annotations.join("annotation.json")).map_or(0, |m| m.len()),
        "image_bytes": full.report["resolutions"]["file_bytes"],
        "cpus": std::thread::available_parallelism().map_or(1, usize::from),
        "from_annotations": {
            "wall_s": from_annotations_s,
            "peak_rss_mb": from_annotations.run.measurement.peak_rss_mb,
            "stages": from_annotations.stages,
        },
        "with_images": {
            "wall_s": full.run.measurement.wall_s,
            "peak_rss_mb": full.run.measurement.peak_rss_mb,
            "stages": full.stages,
        },
        "targets": {
            "from_annotations_s": FROM_ANNOTATIONS_TARGET_S,
            "headers_s": HEADERS_TARGET_S,
            "from_annotations_met": from_annotations_s < FROM_ANNOTATIONS_TARGET_S,
            "headers_met": headers_s < HEADERS_TARGET_S,
        },
    });
    let markdown = render(&options, &values, &from_annotations, &full);
    print!("{markdown}");
    fs::write(results.join("eda.md"), &markdown).context("cannot write bench-results/eda.md")?;
    fs::write(
        results.join("eda.json"),
        format!("{}\n", serde_json::to_string_pretty(&values)?),
    )
    .context("cannot write bench-results/eda.json")?;
    if !options.keep {
        remove_dir(&data)?;
    }
    Ok(())
}

fn synth(
    datamill: &Path,
    root: &Path,
    out: &Path,
    options: &Options,
    extra: &[&str],
) -> anyhow::Result<()> {
    eprintln!(
        "bench-eda: generating {} ({}) …",
        out.display(),
        extra.join(" ")
    );
    let mut args = os(&[
        &"synth",
        &"--out",
        &out,
        &"--images",
        &options.images.to_string(),
        &"--seed",
        &options.seed.to_string(),
    ]);
    args.extend(extra.iter().map(OsString::from));
    time_once(datamill, &args, root)?;
    Ok(())
}

fn render(
    options: &Options,
    values: &Value,
    from_annotations: &Measured,
    full: &Measured,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# EDA benchmark\n");
    let _ = writeln!(
        out,
        "{} images, {} objects, {:.1} MB COCO JSON; {} JPEGs of {IMAGE_SIZE} ({:.0} MB); {} CPUs; best of {} warm runs.\n",
        options.images,
        values["objects"],
        values["json_bytes"].as_f64().unwrap_or(0.0) / 1e6,
        options.images,
        values["image_bytes"].as_f64().unwrap_or(0.0) / 1e6,
        values["cpus"],
        options.repeat
    );
    let _ = writeln!(out, "| run | stage | seconds | peak RSS MB |");
    let _ = writeln!(out, "|---|---|---:|---:|");
    for (name, measured) in [
        ("from annotations", from_annotations),
        ("with images", full),
    ] {
        let _ = writeln!(
            out,
            "| {name} | whole process | {:.2} | {} |",
            measured.run.measurement.wall_s,
            fmt_rss(&measured.run.measurement)
        );
        for stage in ["reading", "annotations", "headers", "duplicates", "thermal"] {
            if let Some(seconds) = measured.stages.get(stage) {
                let _ = writeln!(out, "| {name} | {stage} | {seconds:.2} | |");
            }
        }
    }
    let from_annotations_s = from_annotations.run.measurement.wall_s;
    let headers_s = stage(full, "headers");
    let _ = writeln!(out, "\n## Targets\n");
    let _ = writeln!(
        out,
        "- EDA from annotations (read + statistics, whole process) < {FROM_ANNOTATIONS_TARGET_S} s: {from_annotations_s:.2} s — {}",
        met(from_annotations_s < FROM_ANNOTATIONS_TARGET_S)
    );
    let _ = writeln!(
        out,
        "- resolution from the headers of {} files < {HEADERS_TARGET_S} s warm: {headers_s:.2} s — {}",
        options.images,
        met(headers_s < HEADERS_TARGET_S)
    );
    out
}

fn build_datamill(root: &Path) -> anyhow::Result<PathBuf> {
    eprintln!("bench-eda: building datamill (release) …");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "-p", "datamill-cli"])
        .current_dir(root)
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("cargo build --release -p datamill-cli failed");
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("release/datamill"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_times_are_read_from_the_timings_lines() {
        let parsed = stages(
            "warning: x\ntiming: reading 2.125 s\ntiming: headers 3.5 s\ntiming: total 6 s\n",
        );
        assert_eq!(parsed.get("reading"), Some(&2.125));
        assert_eq!(parsed.get("headers"), Some(&3.5));
        assert_eq!(parsed.len(), 3);
    }
}
