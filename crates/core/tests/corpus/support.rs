//! Shared helpers for the corpus tests.

use std::path::{Path, PathBuf};

/// The shared corpus: `$DATAMILL_CORPUS`, else `shared/corpus` beside the repository (where CI and
/// every developer machine have it). A missing corpus fails the tests rather than skipping them.
pub(crate) fn corpus() -> PathBuf {
    let dir = std::env::var_os("DATAMILL_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
        PathBuf::from,
    );
    assert!(
        dir.join("FORMATS.md").is_file(),
        "the shared corpus is not at {}; set DATAMILL_CORPUS",
        dir.display()
    );
    dir
}

/// A sample directory or file of the corpus.
pub(crate) fn sample(relative: &str) -> PathBuf {
    corpus().join(relative)
}

/// A copy of a corpus sample in a temporary directory, for tests that write beside it.
#[allow(dead_code)]
pub(crate) fn copy_of(relative: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    copy_tree(&sample(relative), temp.path());
    temp
}

#[allow(dead_code)]
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
