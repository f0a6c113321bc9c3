//! Integration tests of the storage clients: the contract every backend meets, run against
//! `LocalStorageClient` (real files in temporary directories) and `MemoryStorageClient`, and what
//! only the local one has (links, inodes, permissions, staging files).

#![expect(
    clippy::unwrap_used,
    reason = "fixture helpers outside #[test] functions fail the test by panicking"
)]

mod confinement;
mod contract;
mod counting;
mod operations;
mod writes;

use std::fs;
use std::path::Path;

use datamill_storage::{LocalStorageClient, StoragePath};
use tempfile::TempDir;

/// A fresh storage base and a client rooted at it.
struct Fixture {
    /// Owns the directory: it is deleted when the fixture is dropped.
    _dir: TempDir,
    client: LocalStorageClient,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let client = LocalStorageClient::new(dir.path()).unwrap();
        Self { _dir: dir, client }
    }

    /// The canonical base on disk, for arranging and checking files behind the client's back.
    fn base(&self) -> &Path {
        self.client.base_dir()
    }

    /// Writes a file below the base with `std::fs`, creating parents.
    fn put(&self, relative: &str, contents: &str) {
        let path = self.base().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    fn symlink(&self, relative: &str, target: impl AsRef<Path>) {
        let path = self.base().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, path).unwrap();
    }

    fn contents(&self, relative: &str) -> String {
        fs::read_to_string(self.base().join(relative)).unwrap()
    }

    /// Names in a directory below the base, as the filesystem has them (temporary files included).
    fn names_on_disk(&self, relative: &str) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.base().join(relative))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }
}

fn sp(path: &str) -> StoragePath {
    StoragePath::parse(path).unwrap()
}
