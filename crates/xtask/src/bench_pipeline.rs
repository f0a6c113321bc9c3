//! `cargo xtask bench-pipeline` (part of `make bench`): the pipeline engine against its peers.
//!
//! * **Phase A** at COCO-train scale (synthetic, 118,000 images, annotations only):
//!   filter_keep_by_class + remap_class_name + format_convert_to_yolo as a dry run, and a merge of
//!   two such sets, against the same steps in plain Python (`json`), in memory on both sides.
//! * **Phase B** on 2,000 synthetic 1920×1080 JPEGs: a copy-only pipeline against `cp -r`, and
//!   rotate_180 + change_compression (q85) against Pillow with 1 and 2 threads.
//!
//! Every row runs as its own process in the same run on the same files. Writes
//! `bench-results/pipeline.md` and `bench-results/pipeline.json` and says whether each target is
//! met. Options: `--images N` (118000), `--jpegs M` (2000), `--keep` (reuse generated data).

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::bench::{met, move_aside, os, python, remove_dir, time_once, workspace_root};

const PHASE_A_TARGET: f64 = 20.0;
const COPY_TARGET: f64 = 0.9;
const PIXELS_TARGET: f64 = 2.0;

struct Options {
    images: usize,
    jpegs: usize,
    keep: bool,
}

fn parse(args: &[String]) -> anyhow::Result<Options> {
    let mut options = Options {
        images: 118_000,
        jpegs: 2_000,
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
            "--jpegs" => options.jpegs = value("--jpegs")?.parse().context("--jpegs")?,
            "--keep" => options.keep = true,
            other => bail!(
                "unknown option {other}; cargo xtask bench-pipeline [--images N] [--jpegs M] [--keep]"
            ),
        }
    }
    Ok(options)
}

const PHASE_A: &str = "\
output: {group: bench_yolo, dataset_type: PROCESSED, split: TRAIN, annotation_format: YOLO, task_types: [DETECTION]}
sources:
  - path: raw/coco_a/train/v1.0.0
    annotation_format: COCO
    manipulators:
      - {name: filter_keep_by_class, params: {classes: [person, dog]}}
      - {name: remap_class_name, params: {names: {car: vehicle}}}
      - {name: format_convert_to_yolo, params: {iscrowd: skip}}
";

const MERGE: &str = "\
output: {group: bench_fused, dataset_type: FUSION, split: TRAIN, annotation_format: COCO, task_types: [DETECTION]}
sources:
  - {path: raw/coco_a/train/v1.0.0, annotation_format: COCO}
  - {path: raw/coco_b/train/v1.0.0, annotation_format: COCO}
post_merge:
  - {name: merge_datasets}
";

const COPY: &str = "\
output: {group: bench_copy, dataset_type: PROCESSED, split: TRAIN, annotation_format: COCO, task_types: [DETECTION]}
sources:
  - {path: raw/photos/train/v1.0.0, annotation_format: COCO}
";

const ROTATE: &str = "\
output: {group: bench_rotate, dataset_type: PROCESSED, split: TRAIN, annotation_format: COCO, task_types: [DETECTION]}
sources:
  - path: raw/photos/train/v1.0.0
    annotation_format: COCO
    manipulators:
      - {name: rotate_180}
      - {name: change_compression, params: {quality: 85}}
";

struct Row {
    task: String,
    tool: String,
    seconds: f64,
    detail: String,
}

pub(crate) fn run(args: &[String]) -> anyhow::Result<()> {
    let options = parse(args)?;
    let root = workspace_root();
    let results = root.join("bench-results");
    let python = python(&root)?;
    let scripts = root.join("crates/xtask/bench");
    let datamill = build_datamill(&root)?;

    let data = results.join(format!(
        "data/pipeline-{}-{}",
        options.images, options.jpegs
    ));
    let nas = data.join("nas");
    let trash = data.join("trash");
    if !(options.keep && nas.join("raw/photos").exists()) {
        remove_dir(&data)?;
        eprintln!(
            "bench-pipeline: generating {} + {} annotated images and {} JPEGs …",
            options.images, options.images, options.jpegs
        );
        for (name, seed, extra) in [
            ("coco_a", "2", vec!["--annotations-only"]),
            ("coco_b", "3", vec!["--annotations-only"]),
        ] {
            let out = nas.join(format!("raw/{name}/train/v1.0.0"));
            let mut synth: Vec<OsString> = os(&[
                &"synth",
                &"--out",
                &out,
                &"--images",
                &options.images.to_string(),
                &"--seed",
                &seed,
            ]);
            synth.extend(extra.into_iter().map(OsString::from));
            time_once(&datamill, &synth, &root)?;
        }
        let photos = nas.join("raw/photos/train/v1.0.0");
        let synth = os(&[
            &"synth",
            &"--out",
            &photos,
            &"--images",
            &options.jpegs.to_string(),
            &"--seed",
            &"4",
            &"--size",
            &"1920x1080",
            &"--mean-boxes",
            &"3",
        ]);
        time_once(&datamill, &synth, &root)?;
    }
    for (file, text) in [
        ("phase_a.yaml", PHASE_A),
        ("merge.yaml", MERGE),
        ("copy.yaml", COPY),
        ("rotate.yaml", ROTATE),
    ] {
        fs::write(data.join(file), text).with_context(|| format!("cannot write {file}"))?;
    }
    let coco_a = nas.join("raw/coco_a/train/v1.0.0/annotation.json");
    let coco_b = nas.join("raw/coco_b/train/v1.0.0/annotation.json");
    let photos = nas.join("raw/photos/train/v1.0.0/images");
    let megapixels = options.jpegs as f64 * 1920.0 * 1080.0 / 1e6;
    let mut rows = Vec::new();

    // Phase A.
    let dry = |config: &str| -> anyhow::Result<(f64, Value)> {
        let args = os(&[
            &"pipeline",
            &"run",
            &data.join(config),
            &"--nas",
            &nas,
            &"--dry-run",
            &"--json",
        ]);
        let run = time_once(&datamill, &args, &root)?;
        let value: Value = serde_json::from_str(&run.stdout).context("datamill --json output")?;
        Ok((run.measurement.wall_s, value))
    };
    eprintln!("bench-pipeline: Phase A …");
    let (a_datamill, a_plan) = dry("phase_a.yaml")?;
    let a_python = time_once(
        &python,
        &os(&[&scripts.join("py_pipeline_phase_a.py"), &"single", &coco_a]),
        &root,
    )?;
    let a_counts: Value = serde_json::from_str(&a_python.stdout).context("python output")?;
    check_counts("filter+remap+convert", &a_plan, &a_counts)?;
    rows.push(Row {
        task: "Phase A: filter + remap + convert to YOLO".into(),
        tool: "datamill pipeline run --dry-run".into(),
        seconds: a_datamill,
        detail: counts(&a_plan),
    });
    rows.push(Row {
        task: "Phase A: filter + remap + convert to YOLO".into(),
        tool: "plain Python (json)".into(),
        seconds: a_python.measurement.wall_s,
        detail: String::new(),
    });
    let (m_datamill, m_plan) = dry("merge.yaml")?;
    let m_python = time_once(
        &python,
        &os(&[
            &scripts.join("py_pipeline_phase_a.py"),
            &"merge",
            &coco_a,
            &coco_b,
        ]),
        &root,
    )?;
    let m_counts: Value = serde_json::from_str(&m_python.stdout).context("python output")?;
    check_counts("merge", &m_plan, &m_counts)?;
    rows.push(Row {
        task: "Phase A: merge of two sets".into(),
        tool: "datamill pipeline run --dry-run".into(),
        seconds: m_datamill,
        detail: counts(&m_plan),
    });
    rows.push(Row {
        task: "Phase A: merge of two sets".into(),
        tool: "plain Python (json)".into(),
        seconds: m_python.measurement.wall_s,
        detail: String::new(),
    });

    // Phase B, copy only. The cache is warmed by a first copy so that both read from memory.
    eprintln!("bench-pipeline: Phase B copy …");
    let copy_out = data.join("cp-out");
    let cp = |out: &Path| time_once(Path::new("/bin/cp"), &os(&[&"-r", &photos, &out]), &root);
    cp(&copy_out)?;
    move_aside(&copy_out, &trash)?;
    let cp_run = cp(&copy_out)?;
    move_aside(&copy_out, &trash)?;
    let full = |config: &str, threads: usize| -> anyhow::Result<Value> {
        let output = nas.join("processed");
        move_aside(&output, &trash)?;
        let args = os(&[
            &"pipeline",
            &"run",
            &data.join(config),
            &"--nas",
            &nas,
            &"--json",
            &"--threads",
            &threads.to_string(),
        ]);
        let run = time_once(&datamill, &args, &root)?;
        let value: Value = serde_json::from_str(&run.stdout).context("datamill --json output")?;
        move_aside(&output, &trash)?;
        Ok(value)
    };
    let copied = full("copy.yaml", 0)?;
    let copy_s = copied["timings"]["phase_b_s"].as_f64().unwrap_or(f64::NAN);
    rows.push(Row {
        task: format!("Phase B: copy {} JPEGs", options.jpegs),
        tool: "cp -r".into(),
        seconds: cp_run.measurement.wall_s,
        detail: String::new(),
    });
    rows.push(Row {
        task: format!("Phase B: copy {} JPEGs", options.jpegs),
        tool: "datamill (copy-only pipeline)".into(),
        seconds: copy_s,
        detail: format!(
            "{} cloned, {} copied",
            copied["execution"]["cloned"], copied["execution"]["copied"]
        ),
    });

    // Phase B, rotate + recompress.
    eprintln!("bench-pipeline: Phase B rotate + recompress …");
    let mut pixel_rows = Vec::new();
    for threads in [1usize, 2] {
        let turned = full("rotate.yaml", threads)?;
        let ours = turned["timings"]["phase_b_s"].as_f64().unwrap_or(f64::NAN);
        let pillow_out = data.join("pillow-out");
        let pillow = time_once(
            &python,
            &os(&[
                &scripts.join("py_pillow_rotate_recompress.py"),
                &photos,
                &pillow_out,
                &"85",
                &threads.to_string(),
            ]),
            &root,
        )?;
        move_aside(&pillow_out, &trash)?;
        let pillow: Value = serde_json::from_str(&pillow.stdout).context("pillow output")?;
        let theirs = pillow["seconds"].as_f64().unwrap_or(f64::NAN);
        rows.push(Row {
            task: format!("Phase B: rotate_180 + change_compression q85, {threads} thread(s)"),
            tool: "datamill".into(),
            seconds: ours,
            detail: format!("{:.0} MP/s", megapixels / ours),
        });
        rows.push(Row {
            task: format!("Phase B: rotate_180 + change_compression q85, {threads} thread(s)"),
            tool: "Pillow (ThreadPoolExecutor)".into(),
            seconds: theirs,
            detail: format!("{:.0} MP/s", megapixels / theirs),
        });
        pixel_rows.push((threads, ours, theirs));
    }
    remove_dir(&trash)?;

    let phase_a_ratio = a_python.measurement.wall_s / a_datamill;
    let merge_ratio = m_python.measurement.wall_s / m_datamill;
    let copy_ratio = cp_run.measurement.wall_s / copy_s;
    let mut md = String::new();
    let _ = writeln!(md, "# Pipeline benchmark\n");
    let _ = writeln!(
        md,
        "{} annotated images per COCO set (synthetic, annotations only); {} synthetic 1920×1080 JPEGs ({megapixels:.0} MP). Same machine, same run; wall seconds.\n",
        options.images, options.jpegs
    );
    let _ = writeln!(md, "| task | tool | seconds | notes |\n|---|---|---:|---|");
    for row in &rows {
        let _ = writeln!(
            md,
            "| {} | {} | {:.2} | {} |",
            row.task, row.tool, row.seconds, row.detail
        );
    }
    let _ = writeln!(md, "\n## Targets\n");
    let _ = writeln!(
        md,
        "* Phase A ≥ {PHASE_A_TARGET}× faster than plain Python: {} (filter + remap + convert {phase_a_ratio:.1}×, merge {merge_ratio:.1}×).",
        met(phase_a_ratio >= PHASE_A_TARGET && merge_ratio >= PHASE_A_TARGET),
    );
    let _ = writeln!(
        md,
        "* Copy-only ≥ {:.0} % of `cp -r`: {} ({:.0} %).",
        COPY_TARGET * 100.0,
        met(copy_ratio >= COPY_TARGET),
        copy_ratio * 100.0
    );
    for (threads, ours, theirs) in &pixel_rows {
        let ratio = theirs / ours;
        let _ = writeln!(
            md,
            "* rotate + recompress ≥ {PIXELS_TARGET}× Pillow per core, {threads} thread(s): {} ({ratio:.1}×).",
            met(ratio >= PIXELS_TARGET)
        );
    }
    if let [(1, one, _), (2, two, _)] = pixel_rows.as_slice() {
        let _ = writeln!(
            md,
            "* Scaling from 1 to 2 threads: {:.2}× (2 cores, shared with the OS).",
            one / two
        );
    }
    fs::create_dir_all(&results)?;
    fs::write(results.join("pipeline.md"), &md).context("cannot write pipeline.md")?;
    let value = json!({
        "images": options.images,
        "jpegs": options.jpegs,
        "rows": rows.iter().map(|r| json!({"task": r.task, "tool": r.tool, "seconds": r.seconds, "detail": r.detail})).collect::<Vec<_>>(),
        "phase_a_ratio": phase_a_ratio,
        "merge_ratio": merge_ratio,
        "copy_ratio": copy_ratio,
    });
    fs::write(
        results.join("pipeline.json"),
        serde_json::to_string_pretty(&value)?,
    )
    .context("cannot write pipeline.json")?;
    if !options.keep {
        remove_dir(&data)?;
    }
    println!("{md}");
    Ok(())
}

fn build_datamill(root: &Path) -> anyhow::Result<PathBuf> {
    eprintln!("bench-pipeline: building datamill (release) …");
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

fn counts(plan: &Value) -> String {
    format!(
        "{} images, {} annotations",
        plan["summary"]["images"], plan["summary"]["annotations"]
    )
}

/// Both sides must have done the same work.
fn check_counts(what: &str, plan: &Value, python: &Value) -> anyhow::Result<()> {
    let ours = (&plan["summary"]["images"], &plan["summary"]["annotations"]);
    let theirs = (&python["images"], &python["annotations"]);
    if ours != theirs {
        bail!(
            "{what}: Datamill planned {ours:?} (images, annotations) but the Python reference made {theirs:?}"
        );
    }
    Ok(())
}
