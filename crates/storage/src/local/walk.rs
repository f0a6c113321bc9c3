//! The lazy depth-first walk behind [`StorageClient::walk`](crate::StorageClient::walk).
//!
//! Lazy because a dataset directory can hold a hundred thousand images and the caller may want
//! only the first few; each directory is still read whole, because its children are sorted.

use std::path::PathBuf;
use std::vec;

use super::LocalStorageClient;
use crate::{DirEntry, EntryKind, Result, StorageError, StoragePath};

#[derive(Debug)]
pub(super) struct WalkIter {
    client: LocalStorageClient,
    /// Directories being listed: their local path and the children not yet yielded.
    stack: Vec<(PathBuf, vec::IntoIter<DirEntry>)>,
    /// The directory just yielded, read on the next call so that yielding stays cheap.
    descend: Option<(PathBuf, StoragePath)>,
}

impl WalkIter {
    pub(super) fn new(client: LocalStorageClient, dir: PathBuf, entries: Vec<DirEntry>) -> Self {
        Self {
            client,
            stack: vec![(dir, entries.into_iter())],
            descend: None,
        }
    }
}

impl Iterator for WalkIter {
    type Item = Result<DirEntry>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some((dir, path)) = self.descend.take() {
            match self.client.read_dir_sorted(&dir, &path) {
                Ok(entries) => self.stack.push((dir, entries.into_iter())),
                // Removed since it was listed: nothing below it to report.
                Err(StorageError::NotFound { .. }) => {}
                Err(error) => return Some(Err(error)),
            }
        }
        loop {
            let (dir, entries) = self.stack.last_mut()?;
            if let Some(entry) = entries.next() {
                // Linked directories are not entered: a link can loop, and whatever it points to
                // inside the base is walked where it really is.
                if entry.kind == EntryKind::Dir && !entry.is_symlink {
                    self.descend = Some((dir.join(&entry.name), entry.path.clone()));
                }
                return Some(Ok(entry));
            }
            self.stack.pop();
        }
    }
}
