//! [`LocalStorageClient`]: storage on a locally mounted filesystem (the NAS), confined to a base
//! directory (`LOCAL_STORAGE_BASE`).
//!
//! Every operation resolves its paths with [`confine`](confine::confine) first; see that module
//! for how links are judged and for the limits of the check.

mod confine;
mod walk;
mod writer;

use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use self::confine::{Resolved, confine, recheck};
use self::walk::WalkIter;
use self::writer::{LocalWriter, TEMP_PREFIX};
use crate::error::shown;
use crate::{
    DirEntry, EntryKind, LinkKind, Metadata, Result, StorageClient, StorageError, StoragePath,
    StorageWriter, Walk, WriteOptions,
};

/// Read buffer of [`StorageClient::open_read`]: large enough for NAS round trips, small enough
/// for many concurrent readers.
const READ_BUFFER_BYTES: usize = 128 * 1024;

/// How often a read is retried when the file at the path changes between resolution and opening
/// (a concurrent atomic overwrite replaces the inode).
const OPEN_ATTEMPTS: usize = 3;

/// Most bytes [`StorageClient::read_range`] reserves up front, whatever `len` the caller asked for.
const MAX_PREALLOCATION: u64 = 64 * 1024 * 1024;

/// Storage on a local (or locally mounted) filesystem under one base directory.
///
/// Unix only: confinement relies on Unix link semantics and device/inode numbers.
#[derive(Debug, Clone)]
pub struct LocalStorageClient {
    /// Canonical (absolute, link-free) base: confinement compares against it.
    base: PathBuf,
    description: String,
}

impl LocalStorageClient {
    /// A client rooted at `base`, which must be an existing directory. The base is canonicalised
    /// once, here, so a base reached through a link (`/mnt/nas -> /volume1`) works and every later
    /// check compares link-free paths.
    pub fn new(base: impl AsRef<Path>) -> Result<Self> {
        let given = base.as_ref();
        let invalid = |reason: String| StorageError::InvalidBase {
            path: given.to_path_buf(),
            reason,
        };
        let canonical = fs::canonicalize(given).map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => invalid("it does not exist".to_owned()),
            _ => invalid(error.to_string()),
        })?;
        if !canonical.is_dir() {
            return Err(invalid("it is not a directory".to_owned()));
        }
        Ok(Self {
            description: format!("local:{}", canonical.display()),
            base: canonical,
        })
    }

    /// The canonical base directory.
    #[must_use]
    pub fn base_dir(&self) -> &Path {
        &self.base
    }

    fn confine(&self, path: &StoragePath) -> Result<Resolved> {
        confine(&self.base, path)
    }

    /// Opens the regular file at `path`, making sure the file opened is the one resolved. Returns
    /// the file, its metadata and its local path.
    fn open_file(&self, path: &StoragePath) -> Result<(File, fs::Metadata, PathBuf)> {
        for _ in 0..OPEN_ATTEMPTS {
            let resolved = self.confine(path)?;
            let expected = resolved.metadata(path)?;
            if expected.is_dir() {
                return Err(StorageError::IsADirectory { path: shown(path) });
            }
            if !expected.is_file() {
                // Opening a FIFO would block; devices have no place in a dataset.
                return Err(StorageError::InvalidPath {
                    path: shown(path),
                    reason: "it is not a regular file".to_owned(),
                });
            }
            let file = match File::open(&resolved.real) {
                Ok(file) => file,
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(StorageError::from_io(error, path)),
            };
            let opened = file
                .metadata()
                .map_err(|error| StorageError::from_io(error, path))?;
            if opened.dev() == expected.dev() && opened.ino() == expected.ino() {
                return Ok((file, opened, resolved.real));
            }
        }
        Err(StorageError::io_other(
            path,
            "the file kept changing while it was being opened",
        ))
    }

    /// Creates `dir` (a write destination's directory) and checks it is still inside the base.
    fn create_parent(&self, dir: Option<&Path>, path: &StoragePath) -> Result<()> {
        let Some(dir) = dir else {
            return Ok(());
        };
        fs::create_dir_all(dir).map_err(|error| StorageError::from_io(error, path))?;
        recheck(&self.base, dir, path)
    }

    /// Resolves a write destination, refusing an existing one unless `overwrite`, and creates its
    /// directory. Returns the local path to write to (links followed, like `open(O_CREAT)`).
    fn prepare_destination(&self, path: &StoragePath, overwrite: bool) -> Result<PathBuf> {
        if path.is_root() {
            return Err(StorageError::IsADirectory { path: shown(path) });
        }
        refuse_reserved(path)?;
        let resolved = self.confine(path)?;
        if resolved.exists {
            if resolved.metadata(path)?.is_dir() {
                return Err(StorageError::IsADirectory { path: shown(path) });
            }
            if !overwrite {
                return Err(StorageError::AlreadyExists { path: shown(path) });
            }
        } else if resolved.is_symlink && !overwrite {
            // A dangling link is still a name that exists.
            return Err(StorageError::AlreadyExists { path: shown(path) });
        }
        self.create_parent(resolved.real.parent(), path)?;
        Ok(resolved.real)
    }

    fn prepare_write(&self, path: &StoragePath, options: WriteOptions) -> Result<LocalWriter> {
        let target = self.prepare_destination(path, options.overwrite)?;
        LocalWriter::create(target, path, options)
    }

    /// The children of the local directory `dir` (which is `dir_path` in storage), sorted by name.
    fn read_dir_sorted(&self, dir: &Path, dir_path: &StoragePath) -> Result<Vec<DirEntry>> {
        let io_error = |error| StorageError::from_io(error, dir_path);
        let mut entries = Vec::new();
        for item in fs::read_dir(dir).map_err(io_error)? {
            let item = item.map_err(io_error)?;
            let Ok(name) = item.file_name().into_string() else {
                continue;
            };
            if name.starts_with(TEMP_PREFIX) {
                continue;
            }
            let Ok(path) = dir_path.join(&name) else {
                continue;
            };
            let file_type = match item.file_type() {
                Ok(file_type) => file_type,
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(io_error(error)),
            };
            let metadata = if file_type.is_symlink() {
                // A link is described by its target only when that target is inside the base;
                // otherwise a listing would leak facts about files outside it.
                match self.confine(&path).and_then(|r| r.metadata(&path)) {
                    Ok(meta) => metadata_from(&meta, true),
                    Err(_) => Metadata {
                        kind: EntryKind::Other,
                        size: 0,
                        modified: None,
                        is_symlink: true,
                    },
                }
            } else {
                match item.metadata() {
                    Ok(meta) => metadata_from(&meta, false),
                    Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                    Err(error) => return Err(io_error(error)),
                }
            };
            entries.push(DirEntry {
                name,
                path,
                kind: metadata.kind,
                size: metadata.size,
                modified: metadata.modified,
                is_symlink: metadata.is_symlink,
            });
        }
        entries.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    /// Copies the already-opened `source` to the destination `to`.
    fn copy_from(&self, mut source: File, to: &StoragePath, options: WriteOptions) -> Result<u64> {
        let mut writer = self.prepare_write(to, options)?;
        let copied =
            io::copy(&mut source, writer.file_mut()).map_err(|source| StorageError::Io {
                path: shown(to),
                source,
            })?;
        Box::new(writer).commit()?;
        Ok(copied)
    }
}

fn metadata_from(meta: &fs::Metadata, is_symlink: bool) -> Metadata {
    let kind = if meta.is_file() {
        EntryKind::File
    } else if meta.is_dir() {
        EntryKind::Dir
    } else {
        EntryKind::Other
    };
    Metadata {
        kind,
        size: if kind == EntryKind::File {
            meta.len()
        } else {
            0
        },
        modified: meta.modified().ok(),
        is_symlink,
    }
}

/// Refuses destinations named like the temporary files of unfinished writes, which listings hide:
/// a file written under such a name would be invisible.
fn refuse_reserved(path: &StoragePath) -> Result<()> {
    if path
        .segments()
        .any(|segment| segment.starts_with(TEMP_PREFIX))
    {
        return Err(StorageError::InvalidPath {
            path: shown(path),
            reason: format!(
                "names starting with `{TEMP_PREFIX}` are reserved for unfinished writes"
            ),
        });
    }
    Ok(())
}

/// Whether a failed hard link should become a copy: the two names are on different filesystems,
/// or the filesystem (or its policy, e.g. `fs.protected_hardlinks`, or an SMB share) does not
/// allow hard links here, or the file has reached its link limit.
fn link_falls_back_to_copy(kind: io::ErrorKind) -> bool {
    matches!(
        kind,
        io::ErrorKind::CrossesDevices
            | io::ErrorKind::PermissionDenied
            | io::ErrorKind::Unsupported
            | io::ErrorKind::TooManyLinks
    )
}

impl StorageClient for LocalStorageClient {
    fn base(&self) -> &str {
        &self.description
    }

    fn stat(&self, path: &StoragePath) -> Result<Metadata> {
        let resolved = self.confine(path)?;
        Ok(metadata_from(
            &resolved.metadata(path)?,
            resolved.is_symlink,
        ))
    }

    fn list(&self, path: &StoragePath) -> Result<Vec<DirEntry>> {
        let resolved = self.confine(path)?;
        if !resolved.metadata(path)?.is_dir() {
            return Err(StorageError::NotADirectory { path: shown(path) });
        }
        self.read_dir_sorted(&resolved.real, path)
    }

    fn walk(&self, path: &StoragePath) -> Result<Walk> {
        let resolved = self.confine(path)?;
        if !resolved.metadata(path)?.is_dir() {
            return Err(StorageError::NotADirectory { path: shown(path) });
        }
        let entries = self.read_dir_sorted(&resolved.real, path)?;
        Ok(Box::new(WalkIter::new(
            self.clone(),
            resolved.real,
            entries,
        )))
    }

    fn open_read(&self, path: &StoragePath) -> Result<Box<dyn Read + Send>> {
        let (file, _, _) = self.open_file(path)?;
        Ok(Box::new(BufReader::with_capacity(READ_BUFFER_BYTES, file)))
    }

    fn read_range(&self, path: &StoragePath, offset: u64, len: u64) -> Result<Vec<u8>> {
        let io_error = |source| StorageError::Io {
            path: shown(path),
            source,
        };
        let (mut file, meta, _) = self.open_file(path)?;
        let available = meta.len().saturating_sub(offset).min(len);
        let mut data = Vec::with_capacity(available.min(MAX_PREALLOCATION) as usize);
        if available > 0 {
            file.seek(SeekFrom::Start(offset)).map_err(io_error)?;
            file.take(len).read_to_end(&mut data).map_err(io_error)?;
        }
        Ok(data)
    }

    fn create_write(
        &self,
        path: &StoragePath,
        options: WriteOptions,
    ) -> Result<Box<dyn StorageWriter>> {
        Ok(Box::new(self.prepare_write(path, options)?))
    }

    fn create_dir_all(&self, path: &StoragePath) -> Result<()> {
        refuse_reserved(path)?;
        let resolved = self.confine(path)?;
        if resolved.exists {
            return if resolved.metadata(path)?.is_dir() {
                Ok(())
            } else {
                Err(StorageError::NotADirectory { path: shown(path) })
            };
        }
        fs::create_dir_all(&resolved.real).map_err(|error| StorageError::from_io(error, path))?;
        recheck(&self.base, &resolved.real, path)
    }

    fn copy(&self, from: &StoragePath, to: &StoragePath, options: WriteOptions) -> Result<u64> {
        let (source, _, _) = self.open_file(from)?;
        self.copy_from(source, to, options)
    }

    fn link(&self, from: &StoragePath, to: &StoragePath) -> Result<LinkKind> {
        // Opening (not just resolving) the source gives the same checks as a read and keeps it
        // open for the copy fallback.
        let (source, _, source_path) = self.open_file(from)?;
        let target = self.prepare_destination(to, false)?;
        match fs::hard_link(&source_path, &target) {
            Ok(()) => Ok(LinkKind::HardLink),
            Err(error) if link_falls_back_to_copy(error.kind()) => {
                self.copy_from(source, to, WriteOptions::default())?;
                Ok(LinkKind::Copy)
            }
            Err(error) => Err(StorageError::from_io(error, to)),
        }
    }

    fn remove_file(&self, path: &StoragePath) -> Result<()> {
        if path.is_root() {
            return Err(StorageError::IsADirectory { path: shown(path) });
        }
        let resolved = self.confine(path)?;
        let meta = fs::symlink_metadata(&resolved.entry)
            .map_err(|error| StorageError::from_io(error, path))?;
        if meta.is_dir() {
            return Err(StorageError::IsADirectory { path: shown(path) });
        }
        fs::remove_file(&resolved.entry).map_err(|error| StorageError::from_io(error, path))
    }

    fn remove_dir_all(&self, path: &StoragePath) -> Result<()> {
        if path.is_root() {
            return Err(StorageError::InvalidPath {
                path: shown(path),
                reason: "the storage base itself cannot be removed".to_owned(),
            });
        }
        let resolved = self.confine(path)?;
        let meta = fs::symlink_metadata(&resolved.entry)
            .map_err(|error| StorageError::from_io(error, path))?;
        let result = if meta.file_type().is_symlink() {
            fs::remove_file(&resolved.entry)
        } else if meta.is_dir() {
            // std's remove_dir_all does not follow links inside the tree, so nothing outside the
            // base can be deleted through one.
            fs::remove_dir_all(&resolved.entry)
        } else {
            return Err(StorageError::NotADirectory { path: shown(path) });
        };
        result.map_err(|error| StorageError::from_io(error, path))
    }

    fn rename(&self, from: &StoragePath, to: &StoragePath) -> Result<()> {
        if from.is_root() {
            return Err(StorageError::InvalidPath {
                path: shown(from),
                reason: "the storage base itself cannot be moved".to_owned(),
            });
        }
        if to.is_root() {
            return Err(StorageError::AlreadyExists { path: shown(to) });
        }
        refuse_reserved(to)?;
        if to.starts_with(from) && to != from {
            return Err(StorageError::InvalidPath {
                path: shown(to),
                reason: format!("it is inside `{from}`, which cannot be moved into itself"),
            });
        }
        let source = self.confine(from)?;
        fs::symlink_metadata(&source.entry).map_err(|error| StorageError::from_io(error, from))?;
        let target = self.confine(to)?;
        if target.exists || target.is_symlink {
            return Err(StorageError::AlreadyExists { path: shown(to) });
        }
        self.create_parent(target.entry.parent(), to)?;
        // Check-then-rename: std has no RENAME_NOREPLACE, and a concurrent creator of the same
        // name is prevented upstream (versions are unique in the database).
        fs::rename(&source.entry, &target.entry).map_err(|error| StorageError::from_io(error, to))
    }

    fn resolve(&self, path: &StoragePath) -> Result<PathBuf> {
        Ok(self.confine(path)?.real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_link_failures_that_mean_no_link_possible_fall_back_to_a_copy() {
        for kind in [
            io::ErrorKind::CrossesDevices,
            io::ErrorKind::PermissionDenied,
            io::ErrorKind::Unsupported,
            io::ErrorKind::TooManyLinks,
        ] {
            assert!(link_falls_back_to_copy(kind), "{kind:?}");
        }
        for kind in [
            io::ErrorKind::AlreadyExists,
            io::ErrorKind::NotFound,
            io::ErrorKind::StorageFull,
        ] {
            assert!(!link_falls_back_to_copy(kind), "{kind:?}");
        }
    }
}
