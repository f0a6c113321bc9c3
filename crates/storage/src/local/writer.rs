//! The atomic writer: a temporary file beside the target, renamed into place on commit.
//!
//! The temporary file lives in the target's own directory because only a rename within one
//! filesystem is atomic. Its name starts with [`TEMP_PREFIX`] so that listings can hide unfinished
//! writes, and so that an operator can find (`find -name '.datamill-tmp-*'`) the leftovers of a
//! process killed before it could clean up; a writer dropped normally removes its file.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, PersistError};

use crate::error::shown;
use crate::{Result, StorageError, StoragePath, StorageWriter, WriteOptions};

/// Name prefix of temporary files.
pub(super) const TEMP_PREFIX: &str = ".datamill-tmp-";

/// Buffer between callers' (often tiny, e.g. serde) writes and the system calls.
const BUFFER_BYTES: usize = 256 * 1024;

#[derive(Debug)]
pub(super) struct LocalWriter {
    file: BufWriter<NamedTempFile>,
    /// Local path the file will have once committed.
    target: PathBuf,
    /// The storage path, for messages.
    path: StoragePath,
    options: WriteOptions,
}

impl LocalWriter {
    /// Creates the temporary file in `target`'s directory, which must exist and be confined.
    pub(super) fn create(
        target: PathBuf,
        path: &StoragePath,
        options: WriteOptions,
    ) -> Result<Self> {
        use std::os::unix::fs::PermissionsExt;

        let dir = target
            .parent()
            .ok_or_else(|| StorageError::IsADirectory { path: shown(path) })?;
        // tempfile's default mode is 0600; a dataset file must be readable like any other file
        // (nginx serves the NAS), so ask for 0666 and let the umask decide, as `File::create` does.
        let file = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .permissions(fs::Permissions::from_mode(0o666))
            .tempfile_in(dir)
            .map_err(|error| StorageError::from_io(error, path))?;
        Ok(Self {
            file: BufWriter::with_capacity(BUFFER_BYTES, file),
            target,
            path: path.clone(),
            options,
        })
    }

    /// The temporary file itself, for `io::copy` to use `copy_file_range` (server-side copy on
    /// NFS 4.2, reflinks on btrfs/XFS). Only valid before anything was written through the buffer.
    pub(super) fn file_mut(&mut self) -> &mut File {
        self.file.get_mut().as_file_mut()
    }
}

impl Write for LocalWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl StorageWriter for LocalWriter {
    fn commit(self: Box<Self>) -> Result<()> {
        let this = *self;
        let file = this
            .file
            .into_inner()
            .map_err(|error| io_error(&this.path, error.into_error()))?;
        if this.options.sync {
            file.as_file()
                .sync_all()
                .map_err(|error| io_error(&this.path, error))?;
        }
        persist(file, &this.target, &this.path, this.options.overwrite)?;
        if this.options.sync
            && let Some(dir) = this.target.parent()
        {
            sync_dir(dir).map_err(|error| io_error(&this.path, error))?;
        }
        Ok(())
    }
}

/// An error of the writing itself: reported as I/O, even "not found" (the directory vanished
/// under the writer is the storage's problem, not the caller's).
fn io_error(path: &StoragePath, source: io::Error) -> StorageError {
    StorageError::Io {
        path: shown(path),
        source,
    }
}

/// Renames the temporary file to `target`, atomically refusing an existing target unless
/// `overwrite`.
fn persist(file: NamedTempFile, target: &Path, path: &StoragePath, overwrite: bool) -> Result<()> {
    if overwrite {
        return file
            .persist(target)
            .map(drop)
            .map_err(|error| StorageError::from_io(error.error, path));
    }
    // `renameat2(RENAME_NOREPLACE)`, or a hard link then unlink where the filesystem lacks it
    // (NFS): both refuse an existing target without a window.
    match file.persist_noclobber(target) {
        Ok(_) => Ok(()),
        Err(PersistError { error, file })
            if matches!(
                error.kind(),
                io::ErrorKind::PermissionDenied | io::ErrorKind::Unsupported
            ) =>
        {
            // Neither is available (SMB shares without hard links): check, then rename. Racing
            // writers of one name are prevented upstream (versions are unique in the database).
            if fs::symlink_metadata(target).is_ok() {
                return Err(StorageError::AlreadyExists { path: shown(path) });
            }
            file.persist(target)
                .map(drop)
                .map_err(|error| StorageError::from_io(error.error, path))
        }
        Err(error) => Err(StorageError::from_io(error.error, path)),
    }
}

/// Makes a rename in `dir` durable. Some network filesystems cannot fsync a directory; there the
/// server's own ordering is all there is, so that refusal is not an error.
fn sync_dir(dir: &Path) -> io::Result<()> {
    match File::open(dir).and_then(|dir| dir.sync_all()) {
        Err(error)
            if matches!(
                error.kind(),
                io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}
