//! `cargo xtask bench` (`make bench`): the COCO-train-scale benchmark table.
//!
//! Builds `datamill` in release, generates a synthetic COCO dataset with `datamill synth`
//! (118,000 images by default, annotations only, ≈ 420 MB of JSON), then times each row as a
//! separate process under GNU time (`/usr/bin/time -f '%e %M'`) for wall seconds and peak RSS.
//! Every Datamill row has a peer in the same run on the same file, and its time is reported as a
//! ratio against that peer:
//!
//! * load (`datamill inspect`) against stdlib `json.load` (pycocotools is shown beside it);
//! * COCO → YOLO labels on disk against a plain json-based Python script, with a bare loop
//!   creating as many one-line files on the same disk beside them (the file-creation floor: what
//!   the file system costs any tool);
//! * the same two conversions writing to tmpfs (`/dev/shm/datamill-bench-PID`, skipped with a
//!   note when `/dev/shm` is missing, not tmpfs or too small; removed afterwards);
//! * a COCO read + write (`convert --to coco`) against `json.load` + compact `json.dumps`.
//!
//! Writes `bench-results/bench.md` and `bench-results/bench.json` and says plainly whether the
//! targets are met.
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
/// Datamill's targets: the COCO-train file (424 MB) loaded in at most 0.9 s on 2 cores (an
/// absolute figure, reported as such for other sizes too), conversion in at most 1/20 of the
/// plain Python script's time (on tmpfs and on disk, each against Python on the same file
/// system), peak memory at most twice the JSON size.
const LOAD_TARGET_S: f64 = 0.9;
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
    /// The id of the row this one is compared against, for the ratio column; `None` for the
    /// peers themselves and for the generator (setup, no peer).
    peer: Option<&'static str>,
}

/// Whether two files have the same bytes (read in 1 MiB blocks: they can be 424 MB each).
fn same_bytes(a: &Path, b: &Path) -> bool {
    use std::io::Read as _;
    let (Ok(fa), Ok(fb)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    if fa.metadata().map(|m| m.len()).ok() != fb.metadata().map(|m| m.len()).ok() {
        return false;
    }
    let (mut ra, mut rb) = (
        std::io::BufReader::with_capacity(1 << 20, fa),
        std::io::BufReader::with_capacity(1 << 20, fb),
    );
    let (mut ba, mut bb) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let Ok(na) = ra.read(&mut ba) else {
            return false;
        };
        if na == 0 {
            return rb.read(&mut bb).is_ok_and(|n| n == 0);
        }
        if rb.read_exact(&mut bb[..na]).is_err() || ba[..na] != bb[..na] {
            return false;
        }
    }
}

/// Label files under `dir/labels`, without reading them.
fn count_label_files(dir: &Path) -> u64 {
    fs::read_dir(dir.join("labels")).map_or(0, |entries| entries.count() as u64)
}

/// A scratch directory on tmpfs (`/dev/shm/datamill-bench-PID`), removed when dropped, so that
/// it goes away on errors too.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Why the tmpfs rows cannot run, if they cannot: `/dev/shm` missing, not a tmpfs, or with
/// less room than the label files need (each takes at least one 4 KiB page there; twice that
/// is asked for, plus 64 MiB).
fn tmpfs_problem(images: usize) -> Option<String> {
    const SHM: &str = "/dev/shm";
    let output = Command::new("stat")
        .args(["-f", "-c", "%a %S %T", SHM])
        .stderr(Stdio::null())
        .output();
    let text = match output {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).into_owned()
        }
        _ => return Some(format!("{SHM} is missing")),
    };
    let fields: Vec<&str> = text.split_whitespace().collect();
    let (Some(free), Some(block), Some(kind)) = (
        fields.first().and_then(|n| n.parse::<u64>().ok()),
        fields.get(1).and_then(|n| n.parse::<u64>().ok()),
        fields.get(2),
    ) else {
        return Some(format!(
            "cannot read the free space of {SHM} ({})",
            text.trim()
        ));
    };
    if *kind != "tmpfs" {
        return Some(format!("{SHM} is {kind}, not tmpfs"));
    }
    let available = free * block;
    let needed = (images as u64)
        .saturating_mul(8192)
        .saturating_add(64 << 20);
    (available < needed).then(|| {
        format!(
            "{SHM} has {:.0} MB free, the label files need about {:.0} MB",
            available as f64 / 1e6,
            needed as f64 / 1e6
        )
    })
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
            peer: None,
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
    let py_coco = out.join("python-coco");
    let floor_out = out.join("create-floor");
    let nothing = || Ok(());
    let to_yolo = |dst: &Path| {
        // Detection labels, like the Python script (without --task, polygons would make them
        // segmentation labels: a different, larger output).
        os(&[
            &"convert",
            &"--from",
            &"coco",
            &"--to",
            &"yolo",
            &data,
            &dst,
            &"--images",
            &"none",
            &"--task",
            &"detect",
        ])
    };
    let yolo_command = "datamill convert --from coco --to yolo DIR OUT --images none --task detect";

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
        peer: Some("python_json_load"),
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
        peer: None,
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
        peer: None,
    });

    eprintln!("bench: datamill convert coco → yolo (disk) …");
    let run = time_best(
        options.repeat,
        &datamill,
        &to_yolo(&dm_yolo),
        &root,
        &|| move_aside(&dm_yolo, &trash),
    )?;
    rows.push(Row {
        id: "datamill_coco_to_yolo",
        task: "COCO → YOLO labels (disk)",
        tool: "datamill convert",
        command: yolo_command.into(),
        measurement: run.measurement,
        peer: Some("python_coco_to_yolo"),
    });

    eprintln!("bench: python coco → yolo (disk) …");
    let run = time_best(
        options.repeat,
        &python,
        &os(&[&scripts.join("py_coco_to_yolo.py"), &data, &py_yolo]),
        &root,
        &|| move_aside(&py_yolo, &trash),
    )?;
    rows.push(Row {
        id: "python_coco_to_yolo",
        task: "COCO → YOLO labels (disk)",
        tool: "Python json script",
        command: "py_coco_to_yolo.py DIR OUT".into(),
        measurement: run.measurement,
        peer: None,
    });

    // The file system's share of the disk rows: the same number of files, one line each.
    let label_files = match count_label_files(&py_yolo) {
        0 => options.images as u64,
        n => n,
    };
    eprintln!("bench: file-creation floor ({label_files} files, disk) …");
    let run = time_best(
        options.repeat,
        &python,
        &os(&[
            &scripts.join("py_create_files.py"),
            &floor_out,
            &label_files.to_string(),
        ]),
        &root,
        &|| move_aside(&floor_out, &trash),
    )?;
    rows.push(Row {
        id: "file_creation_floor",
        task: "COCO → YOLO labels (disk)",
        tool: "file-creation floor (bare Python loop)",
        command: format!("py_create_files.py OUT {label_files}"),
        measurement: run.measurement,
        peer: None,
    });

    // The same conversions with their output on tmpfs: what is left without the disk.
    let tmpfs = if let Some(problem) = tmpfs_problem(options.images) {
        eprintln!("bench: skipping the tmpfs rows: {problem}");
        Tmpfs::Skipped(problem)
    } else {
        let scratch = Scratch(PathBuf::from(format!(
            "/dev/shm/datamill-bench-{}",
            std::process::id()
        )));
        let dm_shm = scratch.0.join("datamill-yolo");
        let py_shm = scratch.0.join("python-yolo");
        eprintln!("bench: datamill convert coco → yolo (tmpfs) …");
        let run = time_best(options.repeat, &datamill, &to_yolo(&dm_shm), &root, &|| {
            remove_dir(&dm_shm)
        })?;
        rows.push(Row {
            id: "datamill_coco_to_yolo_tmpfs",
            task: "COCO → YOLO labels (tmpfs)",
            tool: "datamill convert",
            command: format!("{yolo_command} (OUT on /dev/shm)"),
            measurement: run.measurement,
            peer: Some("python_coco_to_yolo_tmpfs"),
        });
        let dm_labels = count_labels(&dm_shm);
        remove_dir(&dm_shm)?;
        eprintln!("bench: python coco → yolo (tmpfs) …");
        let run = time_best(
            options.repeat,
            &python,
            &os(&[&scripts.join("py_coco_to_yolo.py"), &data, &py_shm]),
            &root,
            &|| remove_dir(&py_shm),
        )?;
        rows.push(Row {
            id: "python_coco_to_yolo_tmpfs",
            task: "COCO → YOLO labels (tmpfs)",
            tool: "Python json script",
            command: "py_coco_to_yolo.py DIR OUT (OUT on /dev/shm)".into(),
            measurement: run.measurement,
            peer: None,
        });
        let py_labels = count_labels(&py_shm);
        drop(scratch);
        Tmpfs::Ran([dm_labels, py_labels])
    };

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
        peer: Some("python_json_roundtrip"),
    });

    eprintln!("bench: python json round trip …");
    let run = time_best(
        options.repeat,
        &python,
        &os(&[&scripts.join("py_json_roundtrip.py"), &data, &py_coco]),
        &root,
        &|| move_aside(&py_coco, &trash),
    )?;
    rows.push(Row {
        id: "python_json_roundtrip",
        task: "COCO read + write",
        tool: "Python json load + dumps",
        command: "py_json_roundtrip.py DIR OUT".into(),
        measurement: run.measurement,
        peer: None,
    });

    let written_json_mb = [&dm_coco, &py_coco]
        .map(|dir| fs::metadata(dir.join("annotation.json")).map_or(0.0, |m| m.len() as f64 / 1e6));
    let written_identical = same_bytes(
        &dm_coco.join("annotation.json"),
        &py_coco.join("annotation.json"),
    );
    let labels = Labels {
        disk: [count_labels(&dm_yolo), count_labels(&py_yolo)],
        floor_files: label_files,
        tmpfs,
    };

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
        &labels,
        (written_json_mb, written_identical),
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

/// Whether the tmpfs rows ran: the label files / objects each side wrote there, or why not.
#[derive(Debug)]
enum Tmpfs {
    Ran([(u64, u64); 2]),
    Skipped(String),
}

/// What the conversions wrote, for the check line: label files / objects of datamill and the
/// Python script on disk, the floor loop's file count, and the tmpfs rows.
#[derive(Debug)]
struct Labels {
    disk: [(u64, u64); 2],
    floor_files: u64,
    tmpfs: Tmpfs,
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
    labels: &Labels,
    (written_json_mb, written_identical): ([f64; 2], bool),
) -> Report {
    let find = |id: &str| rows.iter().find(|r| r.id == id);
    let wall = |id: &str| find(id).map(|r| r.measurement.wall_s);
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
        "| task | tool | wall s | peak RSS MB | RSS ÷ JSON | time ÷ peer (same run) |"
    );
    let _ = writeln!(md, "|---|---|---:|---:|---:|---|");
    let mut json_rows = Vec::new();
    for row in rows {
        let m = &row.measurement;
        let rss_ratio = m.peak_rss_mb.map(|mb| mb / json_mb);
        let peer = row.peer.and_then(find);
        let ratio = peer.map(|peer| m.wall_s / peer.measurement.wall_s);
        let ratio_cell = match (peer, ratio) {
            (Some(peer), Some(ratio)) => format!("{} vs {}", speed(ratio), peer.tool),
            _ if row.id == "synth" => "— (setup, no peer)".to_owned(),
            _ => "—".to_owned(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {:.2} | {} | {} | {} |",
            row.task,
            row.tool,
            m.wall_s,
            fmt_rss(m),
            rss_ratio.map_or_else(|| "—".to_owned(), |r| format!("{r:.2}")),
            ratio_cell,
        );
        json_rows.push(json!({
            "id": row.id,
            "task": row.task,
            "tool": row.tool,
            "command": row.command,
            "wall_s": m.wall_s,
            "peak_rss_mb": m.peak_rss_mb,
            "rss_over_json": rss_ratio,
            "peer": row.peer,
            "time_over_peer": ratio,
        }));
    }

    // What the disk rows cost above the bare file-creation loop.
    let floor = wall("file_creation_floor");
    let mut floor_json = Value::Null;
    if let (Some(floor), Some(ours), Some(theirs)) = (
        floor,
        wall("datamill_coco_to_yolo"),
        wall("python_coco_to_yolo"),
    ) {
        let _ = writeln!(
            md,
            "\nFile-creation floor on this disk: a bare Python loop writing the same {} files, one line each, \
             took {floor:.2} s. Above that floor, datamill's conversion took {:.2} s and the Python script's {:.2} s \
             (datamill ÷ Python above the floor: {:.3}).",
            labels.floor_files,
            ours - floor,
            theirs - floor,
            (ours - floor) / (theirs - floor),
        );
        floor_json = json!({
            "files": labels.floor_files,
            "wall_s": floor,
            "datamill_above_floor_s": ours - floor,
            "python_above_floor_s": theirs - floor,
        });
    }
    if let Tmpfs::Skipped(reason) = &labels.tmpfs {
        let _ = writeln!(md, "\nThe tmpfs rows did not run: {reason}.");
    }

    let mut targets = Vec::new();
    let _ = writeln!(md, "\n## Targets\n");
    if let Some(load) = wall("datamill_load") {
        let ok = load <= LOAD_TARGET_S;
        let scale = if json_mb < 400.0 {
            format!(" (set for the 424 MB COCO-train file; this run's file is {json_mb:.0} MB)")
        } else {
            String::new()
        };
        let _ = writeln!(
            md,
            "- load ≤ {LOAD_TARGET_S} s{scale}: {load:.2} s — {}",
            met(ok)
        );
        targets.push(
            json!({"target": "load_time", "value_s": load, "limit_s": LOAD_TARGET_S, "met": ok}),
        );
    }
    for (target, place, ours, theirs) in [
        (
            "conversion_time_tmpfs",
            "on tmpfs",
            "datamill_coco_to_yolo_tmpfs",
            "python_coco_to_yolo_tmpfs",
        ),
        (
            "conversion_time",
            "on disk",
            "datamill_coco_to_yolo",
            "python_coco_to_yolo",
        ),
    ] {
        if let (Some(ours), Some(theirs)) = (wall(ours), wall(theirs)) {
            let ok = ours <= theirs * CONVERSION_TARGET_RATIO;
            let _ = writeln!(
                md,
                "- COCO → YOLO {place} in ≤ 1/20 of the Python script's time {place}: {ours:.2} s vs {theirs:.2} s = 1/{:.1} — {}",
                theirs / ours,
                met(ok)
            );
            targets.push(json!({"target": target, "value": ours / theirs, "limit": CONVERSION_TARGET_RATIO, "met": ok}));
        }
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

    let [(dm_files, dm_lines), (py_files, py_lines)] = labels.disk;
    let agree = dm_files == py_files && dm_lines == py_lines;
    let tick = |agree: bool| if agree { " (agree)" } else { " (**differ**)" };
    let _ = write!(
        md,
        "\nCheck: YOLO label files / objects on disk — datamill {dm_files} / {dm_lines}, Python {py_files} / {py_lines}{}",
        tick(agree)
    );
    let tmpfs_json = match &labels.tmpfs {
        Tmpfs::Ran([(dm_files, dm_lines), (py_files, py_lines)]) => {
            let tmpfs_agree = dm_files == py_files && dm_lines == py_lines;
            let _ = write!(
                md,
                "; on tmpfs — datamill {dm_files} / {dm_lines}, Python {py_files} / {py_lines}{}",
                tick(tmpfs_agree)
            );
            json!({
                "ran": true,
                "datamill": {"files": dm_files, "objects": dm_lines},
                "python": {"files": py_files, "objects": py_lines},
                "agree": tmpfs_agree,
            })
        }
        Tmpfs::Skipped(reason) => json!({"ran": false, "skipped": reason}),
    };
    let [dm_written, py_written] = written_json_mb;
    let _ = writeln!(
        md,
        ". COCO written back: datamill {dm_written:.1} MB, Python {py_written:.1} MB{}.",
        if written_identical {
            " (byte-identical)"
        } else {
            " (not byte-identical)"
        }
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
        "file_creation_floor": floor_json,
        "labels": {
            "datamill": {"files": dm_files, "objects": dm_lines},
            "python": {"files": py_files, "objects": py_lines},
            "agree": agree,
            "tmpfs": tmpfs_json,
        },
        "written_coco_mb": dm_written,
        "written_coco_mb_python": py_written,
        "written_coco_identical": written_identical,
    });
    Report { markdown: md, json }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &'static str, tool: &'static str, wall_s: f64, peer: Option<&'static str>) -> Row {
        Row {
            id,
            task: "task",
            tool,
            command: String::new(),
            measurement: Measurement {
                wall_s,
                peak_rss_mb: Some(10.0),
            },
            peer,
        }
    }

    #[test]
    fn datamill_rows_are_ratios_against_their_peers_and_peers_show_a_dash() {
        let options = Options {
            images: 100,
            seed: 2,
            repeat: 1,
            keep: false,
        };
        let rows = [
            row("synth", "datamill synth", 0.1, None),
            row(
                "datamill_load",
                "datamill inspect",
                0.5,
                Some("python_json_load"),
            ),
            row("python_json_load", "Python json (stdlib)", 2.0, None),
            row(
                "datamill_coco_to_yolo",
                "datamill convert",
                3.0,
                Some("python_coco_to_yolo"),
            ),
            row("python_coco_to_yolo", "Python json script", 6.0, None),
            row("file_creation_floor", "file-creation floor", 2.0, None),
        ];
        let labels = Labels {
            disk: [(100, 700), (100, 700)],
            floor_files: 100,
            tmpfs: Tmpfs::Skipped("/dev/shm is missing".into()),
        };
        let report = render(&options, &rows, 10.0, 730, &labels, ([10.0, 10.0], true));
        let md = &report.markdown;
        assert!(
            md.contains("| datamill inspect | 0.50 | 10 | 1.00 | 0.250 (4.0× faster) vs Python json (stdlib) |"),
            "{md}"
        );
        assert!(
            md.contains("| Python json (stdlib) | 2.00 | 10 | 1.00 | — |"),
            "{md}"
        );
        assert!(md.contains("— (setup, no peer)"), "{md}");
        assert!(
            md.contains(
                "Above that floor, datamill's conversion took 1.00 s and the Python script's 4.00 s"
            ),
            "{md}"
        );
        assert!(
            md.contains("The tmpfs rows did not run: /dev/shm is missing."),
            "{md}"
        );
        assert!(md.contains("load ≤ 0.9 s (set for the 424 MB"), "{md}");
        assert!(!md.contains("on tmpfs in ≤"), "{md}");
        let json = &report.json;
        assert_eq!(json["rows"][1]["time_over_peer"], 0.25);
        assert_eq!(json["rows"][2]["time_over_peer"], Value::Null);
        assert_eq!(json["labels"]["tmpfs"]["ran"], false);
        assert_eq!(json["file_creation_floor"]["python_above_floor_s"], 4.0);
        let targets: Vec<&str> = json["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["target"].as_str().unwrap())
            .collect();
        assert_eq!(
            targets,
            ["load_time", "conversion_time", "peak_rss", "peak_rss"]
        );
    }

    #[test]
    fn tmpfs_rows_are_skipped_when_the_labels_would_not_fit() {
        let problem = tmpfs_problem(usize::MAX).expect("no tmpfs holds that much");
        assert!(
            problem.contains("/dev/shm"),
            "the note names the place: {problem}"
        );
    }
}
