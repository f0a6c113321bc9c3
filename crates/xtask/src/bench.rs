//! `cargo xtask bench` (`make bench`): the COCO-train-scale benchmark table.
//!
//! Builds `datamill` in release, generates a synthetic COCO dataset with `datamill synth`
//! (118,000 images by default, annotations only, ≈ 420 MB of JSON), then times each row as a
//! separate process under GNU time (`/usr/bin/time -f '%e %M'`) for wall seconds and peak RSS:
//! Datamill's load, COCO → YOLO conversion and COCO write, and the Python peers (stdlib `json`,
//! pycocotools, a plain json-based COCO → YOLO script) in the same run on the same file, so that
//! the ratios compare like with like. Writes `bench-results/bench.md` and `bench-results/bench.json`
//! and says plainly whether the targets are met.
//!
//! Options: `--images N` (default 118000), `--seed S` (default 2), `--repeat R` (best of R runs,
//! default 1), `--keep` (reuse the generated data if present, and keep it and the outputs).

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};
use serde_json::{Value, json};

const GNU_TIME: &str = "/usr/bin/time";
/// Datamill's targets: conversion in at most 1/20 of the plain Python script's time, peak memory
/// at most twice the JSON size.
const CONVERSION_TARGET_RATIO: f64 = 1.0 / 20.0;
const RSS_TARGET_FACTOR: f64 = 2.0;

#[derive(Debug)]
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
        repeat: 1,
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
            "-h" | "--help" => {
                println!(
                    "cargo xtask bench [--images N (118000)] [--seed S (2)] [--repeat R (1)] [--keep]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown bench option `{other}` (try --help)"),
        }
    }
    if options.images == 0 || options.repeat == 0 {
        bail!("--images and --repeat must be at least 1");
    }
    Ok(options)
}

/// The workspace root: the nearest ancestor of the working directory with a `[workspace]`
/// manifest (so `cargo xtask bench` works from any subdirectory), else this crate's grandparent.
pub(crate) fn workspace_root() -> PathBuf {
    let is_root = |dir: &Path| {
        fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|text| text.contains("[workspace]"))
    };
    if let Ok(cwd) = std::env::current_dir()
        && let Some(dir) = cwd.ancestors().find(|dir| is_root(dir))
    {
        return dir.to_owned();
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// One timed process.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Measurement {
    pub(crate) wall_s: f64,
    /// `None` when GNU time is not available.
    pub(crate) peak_rss_mb: Option<f64>,
}

pub(crate) struct Run {
    pub(crate) measurement: Measurement,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `program args` once under GNU time; fails with the tail of stderr when it fails.
pub(crate) fn time_once(program: &Path, args: &[OsString], cwd: &Path) -> anyhow::Result<Run> {
    let time_file =
        std::env::temp_dir().join(format!("datamill-bench-{}.time", std::process::id()));
    let have_gnu_time = Path::new(GNU_TIME).exists();
    let mut command = if have_gnu_time {
        let mut command = Command::new(GNU_TIME);
        command
            .arg("-f")
            .arg("%e %M")
            .arg("-o")
            .arg(&time_file)
            .arg(program)
            .args(args);
        command
    } else {
        let mut command = Command::new(program);
        command.args(args);
        command
    };
    command
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let output = command
        .output()
        .with_context(|| format!("cannot run {}", program.display()))?;
    // Our own clock: GNU time's %e has only centisecond resolution.
    let wall_s = started.elapsed().as_secs_f64();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!(
            "{} {} failed ({}):\n{}",
            program.display(),
            args.iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            output.status,
            tail.join("\n")
        );
    }
    let peak_rss_mb = if have_gnu_time {
        let text = fs::read_to_string(&time_file)
            .with_context(|| format!("cannot read {}", time_file.display()))?;
        let _ = fs::remove_file(&time_file);
        // The last line: GNU time puts "Command exited with non-zero status" lines before it.
        text.lines()
            .last()
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb * 1024.0 / 1e6)
    } else {
        None
    };
    Ok(Run {
        measurement: Measurement {
            wall_s,
            peak_rss_mb,
        },
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// Best of `repeat` runs (least wall time); `prepare` runs before each (e.g. emptying the output).
pub(crate) fn time_best(
    repeat: usize,
    program: &Path,
    args: &[OsString],
    cwd: &Path,
    prepare: &dyn Fn() -> anyhow::Result<()>,
) -> anyhow::Result<Run> {
    let mut best: Option<Run> = None;
    for _ in 0..repeat {
        prepare()?;
        let run = time_once(program, args, cwd)?;
        if best
            .as_ref()
            .is_none_or(|b| run.measurement.wall_s < b.measurement.wall_s)
        {
            best = Some(run);
        }
    }
    best.context("no run")
}

/// Moves an earlier output out of the way instead of deleting it: ext4 slows down creating files
/// for about 30 s after many deletions (`recently_deleted` in the kernel), which would charge one
/// tool for another's clean-up. Everything moved aside is deleted after the last measurement.
pub(crate) fn move_aside(path: &Path, trash: &Path) -> anyhow::Result<()> {
    if path.exists() {
        fs::create_dir_all(trash).with_context(|| format!("cannot create {}", trash.display()))?;
        let count = fs::read_dir(trash).map_or(0, Iterator::count);
        let target = trash.join(format!("{count}"));
        fs::rename(path, &target)
            .with_context(|| format!("cannot move {} to {}", path.display(), target.display()))?;
    }
    Ok(())
}

pub(crate) fn remove_dir(path: &Path) -> anyhow::Result<()> {
    if path.exists() {
        fs::remove_dir_all(path).with_context(|| format!("cannot remove {}", path.display()))?;
    }
    Ok(())
}

pub(crate) fn os(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    args.iter().map(|a| a.as_ref().to_owned()).collect()
}

/// Label files and non-empty label lines under `dir/labels`, to check that Datamill and the
/// Python script wrote the same number of objects.
fn count_labels(dir: &Path) -> (u64, u64) {
    let Ok(entries) = fs::read_dir(dir.join("labels")) else {
        return (0, 0);
    };
    let mut files = 0;
    let mut lines = 0;
    for entry in entries.filter_map(Result::ok) {
        files += 1;
        if let Ok(text) = fs::read_to_string(entry.path()) {
            lines += text.lines().filter(|l| !l.trim().is_empty()).count() as u64;
        }
    }
    (files, lines)
}

#[derive(Debug)]
struct Row {
    id: &'static str,
    task: &'static str,
    tool: &'static str,
    command: String,
    measurement: Measurement,
    /// The row's Python reference, for the ratio column.
    reference: Option<&'static str>,
}

pub(crate) fn python(root: &Path) -> anyhow::Result<PathBuf> {
    let python = root.join(".venv/bin/python");
    if python.exists() {
        return Ok(python);
    }
    // `make bench` depends on `make python-env`; this covers `cargo xtask bench` on its own.
    eprintln!("bench: creating .venv with pycocotools …");
    let status = Command::new("python3")
        .args(["-m", "venv", ".venv"])
        .current_dir(root)
        .status()
        .context("cannot run python3")?;
    if !status.success() {
        bail!("python3 -m venv .venv failed");
    }
    let status = Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "-r"])
        .arg(root.join("crates/core/tests/interop/requirements.txt"))
        .current_dir(root)
        .status()
        .context("cannot run pip")?;
    if !status.success() {
        bail!("pip install of the Python peers failed");
    }
    Ok(python)
}

pub(crate) fn fmt_rss(m: &Measurement) -> String {
    m.peak_rss_mb
        .map_or_else(|| "n/a".to_owned(), |mb| format!("{mb:.0}"))
}

/// A time ratio with its plain-words reading.
pub(crate) fn speed(ratio: f64) -> String {
    if ratio <= 1.0 {
        format!("{ratio:.3} ({:.1}× faster)", 1.0 / ratio)
    } else {
        format!("{ratio:.3} ({ratio:.1}× slower)")
    }
}

pub(crate) fn met(ok: bool) -> &'static str {
    if ok { "**met**" } else { "**not met**" }
}

pub(crate) fn run(args: &[String]) -> anyhow::Result<()> {
    let options = parse(args)?;
    let root = workspace_root();
    let results = root.join("bench-results");
    fs::create_dir_all(&results).with_context(|| format!("cannot create {}", results.display()))?;
    let python = python(&root)?;
    let scripts = root.join("crates/xtask/bench");

    eprintln!("bench: building datamill (release) …");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "-p", "datamill-cli"])
        .current_dir(&root)
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("cargo build --release -p datamill-cli failed");
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let datamill = target.join("release/datamill");

    let data = results.join(format!("data/coco-{}-seed{}", options.images, options.seed));
    let json_path = data.join("annotation.json");
    let mut rows: Vec<Row> = Vec::new();
    if options.keep && json_path.exists() {
        eprintln!("bench: reusing {}", data.display());
    } else {
        remove_dir(&data)?;
        eprintln!("bench: generating {} images …", options.images);
        let synth_args = os(&[
            &"synth",
            &"--out",
            &data,
            &"--images",
            &options.images.to_string(),
            &"--seed",
            &options.seed.to_string(),
            &"--annotations-only",
        ]);
        let run = time_once(&datamill, &synth_args, &root)?;
        rows.push(Row {
            id: "synth",
            task: "generate (annotations only)",
            tool: "datamill synth",
            command: format!(
                "datamill synth --out DIR --images {} --seed {} --annotations-only",
                options.images, options.seed
            ),
            measurement: run.measurement,
            reference: None,
        });
    }
    let json_bytes = fs::metadata(&json_path)
        .with_context(|| format!("no {}", json_path.display()))?
        .len();
    let json_mb = json_bytes as f64 / 1e6;

    let out = results.join("out");
    let trash = results.join("trash");
    move_aside(&out, &trash)?;
    let dm_yolo = out.join("datamill-yolo");
    let dm_coco = out.join("datamill-coco");
    let py_yolo = out.join("python-yolo");
    let nothing = || Ok(());

    eprintln!("bench: datamill inspect …");
    let run = time_best(
        options.repeat,
        &datamill,
        &os(&[&"inspect", &data, &"--format", &"coco", &"--json"]),
        &root,
        &nothing,
    )?;
    rows.push(Row {
        id: "datamill_load",
        task: "load",
        tool: "datamill inspect",
        command: "datamill inspect DIR --format coco --json".into(),
        measurement: run.measurement,
        reference: Some("python_json_load"),
    });

    eprintln!("bench: python json.load …");
    let run = time_best(
        options.repeat,
        &python,
        &os(&[&scripts.join("py_json_load.py"), &data]),
        &root,
        &nothing,
    )?;
    let counts: Vec<u64> = run
        .stdout
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let annotations = counts.get(1).copied().unwrap_or(0);
    rows.push(Row {
        id: "python_json_load",
        task: "load",
        tool: "Python json (stdlib)",
        command: "py_json_load.py DIR".into(),
        measurement: run.measurement,
        reference: None,
    });

    eprintln!("bench: pycocotools …");
    let run = time_best(
        options.repeat,
        &python,
        &os(&[&scripts.join("py_pycocotools_load.py"), &data]),
        &root,
        &nothing,
    )?;
    rows.push(Row {
        id: "pycocotools_load",
        task: "load",
        tool: "pycocotools COCO()",
        command: "py_pycocotools_load.py DIR".into(),
        measurement: run.measurement,
        reference: Some("python_json_load"),
    });

    eprintln!("bench: datamill convert coco → yolo …");
    // Detection labels, like the Python script (without --task, polygons would make them
    // segmentation labels: a different, larger output).
    let run = time_best(
        options.repeat,
        &datamill,
        &os(&[
            &"convert",
            &"--from",
            &"coco",
            &"--to",
            &"yolo",
            &data,
            &dm_yolo,
            &"--images",
            &"none",
            &"--task",
            &"detect",
        ]),
        &root,
        &|| move_aside(&dm_yolo, &trash),
    )?;
    rows.push(Row {
        id: "datamill_coco_to_yolo",
        task: "COCO → YOLO labels",
        tool: "datamill convert",
        command: "datamill convert --from coco --to yolo DIR OUT --images none --task detect"
            .into(),
        measurement: run.measurement,
        reference: Some("python_coco_to_yolo"),
    });

    eprintln!("bench: python coco → yolo …");
    let run = time_best(
        options.repeat,
        &python,
        &os(&[&scripts.join("py_coco_to_yolo.py"), &data, &py_yolo]),
        &root,
        &|| move_aside(&py_yolo, &trash),
    )?;
    rows.push(Row {
        id: "python_coco_to_yolo",
        task: "COCO → YOLO labels",
        tool: "Python json script",
        command: "py_coco_to_yolo.py DIR OUT".into(),
        measurement: run.measurement,
        reference: None,
    });

    eprintln!("bench: datamill convert coco → coco …");
    let run = time_best(
        options.repeat,
        &datamill,
        &os(&[
            &"convert",
            &"--from",
            &"coco",
            &"--to",
            &"coco",
            &data,
            &dm_coco,
            &"--images",
            &"none",
        ]),
        &root,
        &|| move_aside(&dm_coco, &trash),
    )?;
    rows.push(Row {
        id: "datamill_coco_write",
        task: "COCO read + write",
        tool: "datamill convert",
        command: "datamill convert --from coco --to coco DIR OUT --images none".into(),
        measurement: run.measurement,
        reference: None,
    });

    let (dm_files, dm_lines) = count_labels(&dm_yolo);
    let (py_files, py_lines) = count_labels(&py_yolo);
    let written_json_mb =
        fs::metadata(dm_coco.join("annotation.json")).map_or(0.0, |m| m.len() as f64 / 1e6);

    remove_dir(&trash)?;
    if !options.keep {
        remove_dir(&out)?;
        remove_dir(&data)?;
    }

    let report = render(
        &options,
        &rows,
        json_mb,
        annotations,
        [(dm_files, dm_lines), (py_files, py_lines)],
        written_json_mb,
    );
    println!("{}", report.markdown);
    let md_path = results.join("bench.md");
    fs::write(&md_path, &report.markdown)
        .with_context(|| format!("cannot write {}", md_path.display()))?;
    let json_out = results.join("bench.json");
    fs::write(
        &json_out,
        serde_json::to_string_pretty(&report.json)? + "\n",
    )
    .with_context(|| format!("cannot write {}", json_out.display()))?;
    eprintln!(
        "bench: wrote {} and {}",
        md_path.display(),
        json_out.display()
    );
    Ok(())
}

struct Report {
    markdown: String,
    json: Value,
}

fn render(
    options: &Options,
    rows: &[Row],
    json_mb: f64,
    annotations: u64,
    labels: [(u64, u64); 2],
    written_json_mb: f64,
) -> Report {
    let wall = |id: &str| {
        rows.iter()
            .find(|r| r.id == id)
            .map(|r| r.measurement.wall_s)
    };
    let cpus = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let mut md = String::new();
    let _ = writeln!(md, "# Datamill benchmark\n");
    let _ = writeln!(
        md,
        "{} images, {} annotations, {:.1} MB COCO JSON (synthetic, seed {}), {} CPUs, best of {}.\n",
        options.images, annotations, json_mb, options.seed, cpus, options.repeat
    );
    let _ = writeln!(
        md,
        "| task | tool | wall s | peak RSS MB | RSS ÷ JSON | time ÷ Python reference |"
    );
    let _ = writeln!(md, "|---|---|---:|---:|---:|---:|");
    let mut json_rows = Vec::new();
    for row in rows {
        let m = &row.measurement;
        let rss_ratio = m.peak_rss_mb.map(|mb| mb / json_mb);
        let ratio = row
            .reference
            .and_then(wall)
            .map(|reference| m.wall_s / reference);
        let _ = writeln!(
            md,
            "| {} | {} | {:.2} | {} | {} | {} |",
            row.task,
            row.tool,
            m.wall_s,
            fmt_rss(m),
            rss_ratio.map_or_else(|| "—".to_owned(), |r| format!("{r:.2}")),
            ratio.map_or_else(|| "—".to_owned(), speed),
        );
        json_rows.push(json!({
            "id": row.id,
            "task": row.task,
            "tool": row.tool,
            "command": row.command,
            "wall_s": m.wall_s,
            "peak_rss_mb": m.peak_rss_mb,
            "rss_over_json": rss_ratio,
            "reference": row.reference,
            "time_over_reference": ratio,
        }));
    }

    let mut targets = Vec::new();
    let _ = writeln!(md, "\n## Targets\n");
    if let (Some(ours), Some(theirs)) = (wall("datamill_coco_to_yolo"), wall("python_coco_to_yolo"))
    {
        let ok = ours <= theirs * CONVERSION_TARGET_RATIO;
        let _ = writeln!(
            md,
            "- COCO → YOLO in ≤ 1/20 of the Python script's time: {:.2} s vs {:.2} s = 1/{:.1} — {}",
            ours,
            theirs,
            theirs / ours,
            met(ok)
        );
        targets.push(json!({"target": "conversion_time", "value": ours / theirs, "limit": CONVERSION_TARGET_RATIO, "met": ok}));
    }
    for row in rows
        .iter()
        .filter(|r| r.tool.starts_with("datamill") && r.id != "synth")
    {
        if let Some(mb) = row.measurement.peak_rss_mb {
            let ok = mb <= RSS_TARGET_FACTOR * json_mb;
            let _ = writeln!(
                md,
                "- peak RSS ≤ 2 × JSON size, {} ({}): {:.0} MB vs {:.0} MB — {}",
                row.tool,
                row.task,
                mb,
                RSS_TARGET_FACTOR * json_mb,
                met(ok)
            );
            targets.push(json!({"target": "peak_rss", "row": row.id, "value_mb": mb, "limit_mb": RSS_TARGET_FACTOR * json_mb, "met": ok}));
        } else {
            let _ = writeln!(md, "- peak RSS of {}: not measured (no GNU time)", row.tool);
        }
    }
    let [(dm_files, dm_lines), (py_files, py_lines)] = labels;
    let agree = dm_files == py_files && dm_lines == py_lines;
    let _ = writeln!(
        md,
        "\nCheck: YOLO label files / objects — datamill {dm_files} / {dm_lines}, Python {py_files} / {py_lines}{}. \
         COCO written back: {written_json_mb:.1} MB.",
        if agree { " (agree)" } else { " (**differ**)" }
    );
    let json = json!({
        "images": options.images,
        "annotations": annotations,
        "seed": options.seed,
        "json_mb": json_mb,
        "repeat": options.repeat,
        "cpus": cpus,
        "rows": json_rows,
        "targets": targets,
        "labels": {
            "datamill": {"files": dm_files, "objects": dm_lines},
            "python": {"files": py_files, "objects": py_lines},
            "agree": agree,
        },
        "written_coco_mb": written_json_mb,
    });
    Report { markdown: md, json }
}
