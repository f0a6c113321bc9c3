//! The writer behind [`StorageClient::create_write`](crate::StorageClient::create_write): the data
//! goes to a file that nobody can see under the target's name until commit.
//!
//! Three ways, chosen per write:
//!
//! * **Anonymous** (no overwrite, Linux filesystems with `O_TMPFILE`): a nameless file in the
//!   target's directory, linked in by commit with `linkat`, which refuses an existing name
//!   atomically. A process killed before commit leaves nothing at all behind.
//! * **Named** (overwrite, or no `O_TMPFILE`: NFS, SMB): a temporary file beside the target, renamed
//!   into place. Its name starts with [`TEMP_PREFIX`] so that listings hide unfinished writes and
//!   an operator can find (`find -name '.datamill-tmp-*'`) the leftovers of a killed process; a
//!   writer dropped normally removes its file.
//! * **Direct** ([`WriteOptions::atomic`] off): the target itself, created new (an existing name is
//!   removed first, never written into, so hard-linked versions stay independent). A writer dropped
//!   without commit removes what it wrote.
//!
//! The staging file lives in the target's own directory because only a rename (or link) within one
//! filesystem is atomic.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::Ordering;

use tempfile::{PathPersistError, TempPath};

use super::Unsupported;
use crate::error::shown;
use crate::{Result, StorageError, StoragePath, StorageWriter, TEMP_PREFIX, WriteOptions};

/// Buffer between callers' (often tiny, e.g. serde) writes and the system calls.
pub(super) const BUFFER_BYTES: usize = 256 * 1024;

/// Mode of new files before the umask, as `File::create` asks: a dataset file must be readable
/// like any other file (nginx serves the NAS).
pub(super) const FILE_MODE: u32 = 0o666;

#[derive(Debug)]
enum Staging {
    Named(TempPath),
    Anonymous,
    Direct,
    Committed,
}

#[derive(Debug)]
pub(super) struct LocalWriter {
    file: BufWriter<File>,
    staging: Staging,
    /// Local path the file will have once committed.
    target: PathBuf,
    /// The storage path, for messages.
    path: StoragePath,
    options: WriteOptions,
}

impl LocalWriter {
    /// Creates the staging file for `target`, whose directory must exist and be confined
    /// (`exists`: something was there when it was resolved). `buffer` is the write buffer's size
    /// (0 for callers that write whole files at once).
    pub(super) fn create(
        target: PathBuf,
        exists: bool,
        path: &StoragePath,
        options: WriteOptions,
        unsupported: &Unsupported,
        buffer: usize,
    ) -> Result<Self> {
        let dir = target
            .parent()
            .ok_or_else(|| StorageError::IsADirectory { path: shown(path) })?;
        let (file, staging) = if options.atomic {
            // linkat cannot replace a file, so overwrites take the named way.
            let anonymous = if options.overwrite {
                None
            } else {
                create_anonymous(dir, path, unsupported)?
            };
            if let Some(file) = anonymous {
                (file, Staging::Anonymous)
            } else {
                let (file, temp) = create_named(dir, path)?;
                (file, Staging::Named(temp))
            }
        } else {
            let file = create_direct(&target, path, options.overwrite, exists)?;
            (file, Staging::Direct)
        };
        Ok(Self {
            file: BufWriter::with_capacity(buffer, file),
            staging,
            target,
            path: path.clone(),
            options,
        })
    }

    /// The file itself, for `io::copy` to use `copy_file_range` (server-side copy on NFS 4.2) and
    /// for clones. Only valid before anything was written through the buffer.
    pub(super) fn file_mut(&mut self) -> &mut File {
        self.file.get_mut()
    }
}

/// A new file at the target itself (non-atomic writes). An existing one (there when resolved,
/// or appearing since) is unlinked first when overwriting: its bytes may be another version's.
fn create_direct(target: &Path, path: &StoragePath, overwrite: bool, exists: bool) -> Result<File> {
    let unlink = || match fs::remove_file(target) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            Err(StorageError::from_io(error, path))
        }
        _ => Ok(()),
    };
    if overwrite && exists {
        unlink()?;
    }
    let create = || {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(target)
    };
    match create() {
        Err(error) if overwrite && error.kind() == io::ErrorKind::AlreadyExists => {
            unlink()?;
            create()
        }
        other => other,
    }
    .map_err(|error| StorageError::from_io(error, path))
}

/// Whether `/proc/self/fd` is there: committing an anonymous file links its `/proc` name.
fn proc_fd_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| Path::new("/proc/self/fd").is_dir())
}

/// An `O_TMPFILE` file in `dir`, or `None` where the filesystem has none (remembered).
fn create_anonymous(
    dir: &Path,
    path: &StoragePath,
    unsupported: &Unsupported,
) -> Result<Option<File>> {
    use rustix::fs::{Mode, OFlags};
    use rustix::io::Errno;

    if unsupported.tmpfile.load(Ordering::Relaxed) || !proc_fd_available() {
        return Ok(None);
    }
    match rustix::fs::open(
        dir,
        OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC,
        Mode::from_raw_mode(FILE_MODE),
    ) {
        Ok(fd) => Ok(Some(File::from(fd))),
        // Old kernels take O_TMPFILE for O_DIRECTORY (EISDIR); NFS and CIFS refuse it.
        Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::INVAL) => {
            unsupported.tmpfile.store(true, Ordering::Relaxed);
            Ok(None)
        }
        Err(Errno::NOENT) if dir.is_dir() => {
            unsupported.tmpfile.store(true, Ordering::Relaxed);
            Ok(None)
        }
        Err(errno) => Err(StorageError::from_io(errno.into(), path)),
    }
}

/// A named temporary file in `dir`.
fn create_named(dir: &Path, path: &StoragePath) -> Result<(File, TempPath)> {
    use std::os::unix::fs::PermissionsExt;

    // tempfile's default mode is 0600; ask for the usual one and let the umask decide.
    let file = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .permissions(fs::Permissions::from_mode(FILE_MODE))
        .tempfile_in(dir)
        .map_err(|error| StorageError::from_io(error, path))?;
    Ok(file.into_parts())
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
    fn commit(mut self: Box<Self>) -> Result<()> {
        self.file
            .flush()
            .map_err(|error| io_error(&self.path, error))?;
        if self.options.sync {
            self.file
                .get_ref()
                .sync_all()
                .map_err(|error| io_error(&self.path, error))?;
        }
        match std::mem::replace(&mut self.staging, Staging::Committed) {
            Staging::Named(temp) => {
                persist(temp, &self.target, &self.path, self.options.overwrite)?;
            }
            Staging::Anonymous => link_in(self.file.get_ref(), &self.target, &self.path)?,
            Staging::Direct | Staging::Committed => {}
        }
        if self.options.sync
            && let Some(dir) = self.target.parent()
        {
            sync_dir(dir).map_err(|error| io_error(&self.path, error))?;
        }
        Ok(())
    }
}

impl Drop for LocalWriter {
    fn drop(&mut self) {
        // Named files remove themselves (TempPath), anonymous ones vanish with their descriptor;
        // a direct write that was not committed is half a file under the real name.
        if matches!(self.staging, Staging::Direct) {
            let _ = fs::remove_file(&self.target);
        }
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

/// Gives the anonymous `file` the name `target`; refuses an existing one atomically.
fn link_in(file: &File, target: &Path, path: &StoragePath) -> Result<()> {
    let proc_path = format!("/proc/self/fd/{}", file.as_raw_fd());
    match rustix::fs::linkat(
        rustix::fs::CWD,
        proc_path.as_str(),
        rustix::fs::CWD,
        target,
        rustix::fs::AtFlags::SYMLINK_FOLLOW,
    ) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::EXIST) => Err(StorageError::AlreadyExists { path: shown(path) }),
        Err(errno) => Err(io_error(path, errno.into())),
    }
}

/// Renames the temporary file to `target`, atomically refusing an existing target unless
/// `overwrite`.
fn persist(temp: TempPath, target: &Path, path: &StoragePath, overwrite: bool) -> Result<()> {
    if overwrite {
        return temp
            .persist(target)
            .map_err(|error| StorageError::from_io(error.error, path));
    }
    // `renameat2(RENAME_NOREPLACE)`, or a hard link then unlink where the filesystem lacks it
    // (NFS): both refuse an existing target without a window.
    match temp.persist_noclobber(target) {
        Ok(()) => Ok(()),
        Err(PathPersistError { error, path: temp })
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
            temp.persist(target)
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
