//! `cargo xtask bench-pipeline` (part of `make bench`): the pipeline engine against its peers.
//!
//! * **Phase A** at COCO-train scale (synthetic, 118,000 images, annotations only):
//!   filter_keep_by_class + remap_class_name + format_convert_to_yolo as a dry run, and a merge of
//!   two such sets, against the same steps in plain Python (`json`), in memory on both sides.
//! * **Phase B** on 2,000 synthetic 1920×1080 JPEGs (synth's, re-encoded as q90 4:2:0 with
//!   Pillow by `py_jpeg_420.py`: synth writes 4:4:4): a copy-only pipeline against
//!   `cp -r`; with 1 and 2 threads against Pillow on as many threads, rotate_180 +
//!   change_compression (q85) (1080 rows are not a whole number of 16-row MCUs: the YCbCr-planes
//!   route) and change_compression q85 alone (the DCT-coefficient route); and on half as many
//!   synthetic 1280×720 JPEGs (whole MCUs) rotate_180 + change_compression q85 (the
//!   coefficient route, turned in the DCT domain).
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

const QUALITY: &str = "\
output: {group: bench_quality, dataset_type: PROCESSED, split: TRAIN, annotation_format: COCO, task_types: [DETECTION]}
sources:
  - path: raw/photos/train/v1.0.0
    annotation_format: COCO
    manipulators:
      - {name: change_compression, params: {quality: 85}}
";

const ROTATE_720: &str = "\
output: {group: bench_rotate_720, dataset_type: PROCESSED, split: TRAIN, annotation_format: COCO, task_types: [DETECTION]}
sources:
  - path: raw/photos720/train/v1.0.0
    annotation_format: COCO
    manipulators:
      - {name: rotate_180}
      - {name: change_compression, params: {quality: 85}}
";

/// One re-encoding row pair: a pipeline against Pillow doing the same to the same files.
struct PixelTask {
    task: String,
    /// The pipeline file under the data directory.
    config: &'static str,
    images: PathBuf,
    count: usize,
    megapixels: f64,
    /// Extra arguments of `py_pillow_rotate_recompress.py`.
    pillow_flags: &'static [&'static str],
}

/// One measured pixel row pair.
struct PixelResult {
    task: String,
    threads: usize,
    ours: f64,
    theirs: f64,
    megapixels: f64,
}

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
    let jpegs_720 = options.jpegs.div_ceil(2);
    // Written once the data is complete (and its JPEGs are 4:2:0): what `--keep` reuses.
    let ready = data.join("jpegs-420");
    if !(options.keep && ready.exists()) {
        remove_dir(&data)?;
        eprintln!(
            "bench-pipeline: generating {} + {} annotated images, {} 1080p and {jpegs_720} 720p JPEGs …",
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
        // The JPEG sets: `datamill synth` writes q90 4:4:4 (the `image` crate's encoder), so
        // each set is re-encoded in place as q90 4:2:0 with Pillow (libjpeg-turbo), the layout of
        // most camera files: 1920×1080 is then not a whole number of 16 × 16 MCUs (1080 = 67.5 ×
        // 16), 1280×720 is (80 × 45).
        for (set, count, seed, size) in [
            ("photos", options.jpegs, "4", "1920x1080"),
            ("photos720", jpegs_720, "5", "1280x720"),
        ] {
            let out = nas.join(format!("raw/{set}/train/v1.0.0"));
            let synth = os(&[
                &"synth",
                &"--out",
                &out,
                &"--images",
                &count.to_string(),
                &"--seed",
                &seed,
                &"--size",
                &size,
                &"--mean-boxes",
                &"3",
            ]);
            time_once(&datamill, &synth, &root)?;
            time_once(
                &python,
                &os(&[&scripts.join("py_jpeg_420.py"), &out.join("images"), &"90"]),
                &root,
            )?;
        }
        fs::write(&ready, "q90 4:2:0\n").context("cannot write the data marker")?;
    }
    for (file, text) in [
        ("phase_a.yaml", PHASE_A),
        ("merge.yaml", MERGE),
        ("copy.yaml", COPY),
        ("rotate.yaml", ROTATE),
        ("quality.yaml", QUALITY),
        ("rotate720.yaml", ROTATE_720),
    ] {
        fs::write(data.join(file), text).with_context(|| format!("cannot write {file}"))?;
    }
    let coco_a = nas.join("raw/coco_a/train/v1.0.0/annotation.json");
    let coco_b = nas.join("raw/coco_b/train/v1.0.0/annotation.json");
    let photos = nas.join("raw/photos/train/v1.0.0/images");
    let photos_720 = nas.join("raw/photos720/train/v1.0.0/images");
    let megapixels = options.jpegs as f64 * 1920.0 * 1080.0 / 1e6;
    let megapixels_720 = jpegs_720 as f64 * 1280.0 * 720.0 / 1e6;
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

    // Phase B, re-encoding: each task with 1 and 2 threads, Pillow on as many threads.
    let pixel_tasks = [
        PixelTask {
            task: "rotate_180 + change_compression q85, 1920×1080 (planes route)".into(),
            config: "rotate.yaml",
            images: photos.clone(),
            count: options.jpegs,
            megapixels,
            pillow_flags: &[],
        },
        PixelTask {
            task: "change_compression q85 only, 1920×1080 (coefficient route)".into(),
            config: "quality.yaml",
            images: photos.clone(),
            count: options.jpegs,
            megapixels,
            pillow_flags: &["--quality-only"],
        },
        PixelTask {
            task: "rotate_180 + change_compression q85, 1280×720 whole MCUs (coefficient route)"
                .into(),
            config: "rotate720.yaml",
            images: photos_720.clone(),
            count: jpegs_720,
            megapixels: megapixels_720,
            pillow_flags: &[],
        },
    ];
    let mut pixel_rows = Vec::new();
    for task in &pixel_tasks {
        eprintln!("bench-pipeline: Phase B {} …", task.task);
        for threads in [1usize, 2] {
            let done = full(task.config, threads)?;
            let transformed = done["execution"]["transformed"].as_u64().unwrap_or(0);
            if transformed != task.count as u64 || done["execution"]["lossless"] != 0 {
                bail!(
                    "{}: expected {} images re-encoded, the pipeline reported {}",
                    task.task,
                    task.count,
                    done["execution"]
                );
            }
            let ours = done["timings"]["phase_b_s"].as_f64().unwrap_or(f64::NAN);
            let pillow_out = data.join("pillow-out");
            let mut args = os(&[
                &scripts.join("py_pillow_rotate_recompress.py"),
                &task.images,
                &pillow_out,
                &"85",
                &threads.to_string(),
            ]);
            args.extend(task.pillow_flags.iter().map(OsString::from));
            let pillow = time_once(&python, &args, &root)?;
            move_aside(&pillow_out, &trash)?;
            let pillow: Value = serde_json::from_str(&pillow.stdout).context("pillow output")?;
            let theirs = pillow["seconds"].as_f64().unwrap_or(f64::NAN);
            let row_task = format!("Phase B: {}, {threads} thread(s)", task.task);
            rows.push(Row {
                task: row_task.clone(),
                tool: "datamill".into(),
                seconds: ours,
                detail: format!(
                    "{:.0} MP/s, {:.2}× Pillow",
                    task.megapixels / ours,
                    theirs / ours
                ),
            });
            rows.push(Row {
                task: row_task,
                tool: "Pillow (ThreadPoolExecutor)".into(),
                seconds: theirs,
                detail: format!("{:.0} MP/s", task.megapixels / theirs),
            });
            pixel_rows.push(PixelResult {
                task: task.task.clone(),
                threads,
                ours,
                theirs,
                megapixels: task.megapixels,
            });
        }
    }
    remove_dir(&trash)?;

    let phase_a_ratio = a_python.measurement.wall_s / a_datamill;
    let merge_ratio = m_python.measurement.wall_s / m_datamill;
    let copy_ratio = cp_run.measurement.wall_s / copy_s;
    let mut md = String::new();
    let _ = writeln!(md, "# Pipeline benchmark\n");
    let _ = writeln!(
        md,
        "{} annotated images per COCO set (synthetic, annotations only); {} synthetic 1920×1080 JPEGs ({megapixels:.0} MP) and {jpegs_720} 1280×720 ({megapixels_720:.0} MP), q90 4:2:0. Same machine, same run; wall seconds.\n",
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
    for row in &pixel_rows {
        let ratio = row.theirs / row.ours;
        let _ = writeln!(
            md,
            "* {} ≥ {PIXELS_TARGET}× Pillow per core, {} thread(s): {} ({:.0} vs {:.0} MP/s, {ratio:.2}×).",
            row.task,
            row.threads,
            met(ratio >= PIXELS_TARGET),
            row.megapixels / row.ours,
            row.megapixels / row.theirs,
        );
    }
    for task in &pixel_tasks {
        let time = |threads: usize| {
            pixel_rows
                .iter()
                .find(|r| r.task == task.task && r.threads == threads)
                .map(|r| r.ours)
        };
        if let (Some(one), Some(two)) = (time(1), time(2)) {
            let _ = writeln!(
                md,
                "* Scaling from 1 to 2 threads, {}: {:.2}× (2 cores, shared with the OS).",
                task.task,
                one / two
            );
        }
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
        "pixels": pixel_rows.iter().map(|r| json!({
            "task": r.task,
            "threads": r.threads,
            "datamill_s": r.ours,
            "pillow_s": r.theirs,
            "datamill_mp_per_s": r.megapixels / r.ours,
            "pillow_mp_per_s": r.megapixels / r.theirs,
            "ratio": r.theirs / r.ours,
            "target": PIXELS_TARGET,
            "met": r.theirs / r.ours >= PIXELS_TARGET,
        })).collect::<Vec<_>>(),
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
