//! [`LocalStorageClient`]: storage on a locally mounted filesystem (the NAS), confined to a base
//! directory (`LOCAL_STORAGE_BASE`).
//!
//! Every operation resolves its paths with [`confine`](confine::confine) first; see that module
//! for how links are judged and for the limits of the check.
//!
//! What the pipeline needs from a local filesystem lives here, behind the trait, so that business
//! code stays backend-neutral: copies are reflink clones where the filesystem can make them
//! (`FICLONE`), else `copy_file_range` (server-side on NFS 4.2); new files are staged as anonymous
//! `O_TMPFILE` files where available (see [`writer`]); whole-file reads are sized from the
//! metadata. Refusals of the filesystem (no clones, no `O_TMPFILE`) are remembered per client.

mod confine;
mod walk;
mod writer;

use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write as _};
use std::os::fd::OwnedFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use self::confine::{Resolved, confine, recheck};
use self::walk::WalkIter;
use self::writer::{BUFFER_BYTES, LocalWriter};
use crate::error::shown;
use crate::{
    Copied, DirEntry, EntryKind, LinkKind, Metadata, Result, StorageClient, StorageError,
    StoragePath, StorageWriter, TEMP_PREFIX, Walk, WriteOptions, refuse_reserved,
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
    unsupported: Arc<Unsupported>,
    /// The base, opened (`O_PATH`), for reads confined by the kernel (`openat2`).
    base_fd: Option<Arc<OwnedFd>>,
}

/// What the filesystem turned out not to support, so that later calls skip the attempt.
#[derive(Debug, Default)]
pub(super) struct Unsupported {
    /// `O_TMPFILE` refused (NFS, CIFS): stage under a temporary name instead.
    pub(super) tmpfile: AtomicBool,
    /// `FICLONE` refused (ext4, tmpfs): copy the data instead.
    pub(super) reflink: AtomicBool,
    /// `openat2` missing (kernels before 5.6) or forbidden (seccomp): walk the path instead.
    pub(super) openat2: AtomicBool,
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
        let base_fd = rustix::fs::open(
            &canonical,
            rustix::fs::OFlags::PATH | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )
        .ok()
        .map(Arc::new);
        Ok(Self {
            description: format!("local:{}", canonical.display()),
            base: canonical,
            unsupported: Arc::default(),
            base_fd,
        })
    }

    /// A client whose base is the filesystem root: storage path `a/b` is the local `/a/b`. For
    /// local tools (the CLI), which take any path the user can read; there is nothing to escape
    /// from, so no path pays for a link-by-link confinement walk.
    #[must_use]
    pub fn whole_filesystem() -> Self {
        Self {
            base: PathBuf::from("/"),
            description: "local:/".to_owned(),
            unsupported: Arc::default(),
            base_fd: None,
        }
    }

    /// The canonical base directory.
    #[must_use]
    pub fn base_dir(&self) -> &Path {
        &self.base
    }

    /// The local filesystem path of `path`, confined to the base (links followed); it need not
    /// exist. Not part of [`StorageClient`]: an object store has no such path, and business code
    /// works through the trait. For tests and local tools that arrange files behind the client.
    pub fn resolve(&self, path: &StoragePath) -> Result<PathBuf> {
        Ok(self.confine(path)?.real)
    }

    fn confine(&self, path: &StoragePath) -> Result<Resolved> {
        confine(&self.base, path)
    }

    /// Opens the regular file at `path` for reading, with its metadata.
    ///
    /// The kernel confines it where it can: `openat2(RESOLVE_BENEATH)` from the base resolves the
    /// whole path in one call and refuses any way out, so a read costs what `std::fs::read` does,
    /// however deep the path (a YOLO dataset is a hundred thousand reads). Whatever it refuses —
    /// an absolute link (even one pointing inside the base), a missing file, an old kernel — goes
    /// the way of [`LocalStorageClient::open_resolved`], which decides and names the error.
    fn open_file(&self, path: &StoragePath) -> Result<(File, fs::Metadata)> {
        if self.base == Path::new("/") {
            return open_unconfined(path).map(|(file, meta, _)| (file, meta));
        }
        if let Some(opened) = self.open_beneath(path) {
            return opened;
        }
        self.open_resolved(path).map(|(file, meta, _)| (file, meta))
    }

    /// The `openat2` way of [`LocalStorageClient::open_file`]; `None` when the walk must decide.
    fn open_beneath(&self, path: &StoragePath) -> Option<Result<(File, fs::Metadata)>> {
        use rustix::fs::{Mode, OFlags, ResolveFlags};
        use rustix::io::Errno;

        let base = self.base_fd.as_ref()?;
        if path.is_root() || self.unsupported.openat2.load(Ordering::Relaxed) {
            return None;
        }
        let fd = match rustix::fs::openat2(
            base.as_ref(),
            path.as_str(),
            // Non-blocking, so that opening a FIFO cannot hang; it is refused below.
            OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK,
            Mode::empty(),
            ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS,
        ) {
            Ok(fd) => fd,
            Err(Errno::NOSYS | Errno::PERM) => {
                self.unsupported.openat2.store(true, Ordering::Relaxed);
                return None;
            }
            Err(_) => return None,
        };
        Some(regular_file(File::from(fd), path))
    }

    /// Opens the regular file at `path` by walking it ([`confine`]), making sure the file opened
    /// is the one resolved. Returns the file, its metadata and its local path (links followed).
    fn open_resolved(&self, path: &StoragePath) -> Result<(File, fs::Metadata, PathBuf)> {
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
        self.prepare_target(path, overwrite)
            .map(|(target, _)| target)
    }

    /// [`LocalStorageClient::prepare_destination`], also saying whether something was there.
    fn prepare_target(&self, path: &StoragePath, overwrite: bool) -> Result<(PathBuf, bool)> {
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
        if !resolved.parent_exists {
            self.create_parent(resolved.real.parent(), path)?;
        }
        Ok((resolved.real, resolved.exists))
    }

    /// A non-atomic write of a file that is not there yet, in one `open` without the walk and
    /// the `stat`s of [`LocalStorageClient::prepare_target`]: the conversions write a hundred
    /// thousand label files into fresh directories, and on tmpfs those look-ups were a third of
    /// the time. `O_CREAT | O_EXCL` refuses any existing name, a link included, and below a base
    /// `openat2(RESOLVE_BENEATH)` confines the path as a read's is. `None` when the file could
    /// not be created so (it exists, a parent is missing, the kernel refused): the caller's full
    /// way then decides, and names any error.
    fn write_new(&self, path: &StoragePath, data: &[u8]) -> Option<Result<()>> {
        use rustix::fs::{Mode, OFlags, ResolveFlags};
        use rustix::io::Errno;

        if path.is_root() {
            return None;
        }
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::CLOEXEC;
        let mode = Mode::from_raw_mode(writer::FILE_MODE);
        let local = self.base.join(path.as_str());
        let opened = if self.base == Path::new("/") {
            rustix::fs::open(&local, flags, mode)
        } else {
            let base = self.base_fd.as_ref()?;
            if self.unsupported.openat2.load(Ordering::Relaxed) {
                return None;
            }
            rustix::fs::openat2(
                base.as_ref(),
                path.as_str(),
                flags,
                mode,
                ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS,
            )
            .inspect_err(|errno| {
                if matches!(*errno, Errno::NOSYS | Errno::PERM) {
                    self.unsupported.openat2.store(true, Ordering::Relaxed);
                }
            })
        };
        let mut file = File::from(opened.ok()?);
        Some(file.write_all(data).map_err(|source| {
            // Half a file must not stay under the name, as a dropped direct writer removes its own.
            let _ = fs::remove_file(&local);
            StorageError::Io {
                path: shown(path),
                source,
            }
        }))
    }

    /// A writer for `path` with a write buffer of `buffer` bytes.
    fn prepare_write(
        &self,
        path: &StoragePath,
        options: WriteOptions,
        buffer: usize,
    ) -> Result<LocalWriter> {
        let (target, exists) = self.prepare_target(path, options.overwrite)?;
        LocalWriter::create(target, exists, path, options, &self.unsupported, buffer)
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

    /// Copies the already-opened `source` (of length `len`) to the destination `to`: a clone
    /// where the filesystem can share the data, else `copy_file_range` (file-to-file `io::copy`).
    fn copy_from(
        &self,
        mut source: File,
        len: u64,
        to: &StoragePath,
        options: WriteOptions,
    ) -> Result<Copied> {
        let mut writer = self.prepare_write(to, options, 0)?;
        let cloned = self.clone_file(&source, writer.file_mut());
        let bytes = if cloned {
            len
        } else {
            io::copy(&mut source, writer.file_mut()).map_err(|source| StorageError::Io {
                path: shown(to),
                source,
            })?
        };
        Box::new(writer).commit()?;
        Ok(Copied { bytes, cloned })
    }

    /// Tries a reflink clone of `source` into the empty `target`; remembers a filesystem that
    /// cannot (another device is no such proof: the next pair may share one).
    fn clone_file(&self, source: &File, target: &File) -> bool {
        if self.unsupported.reflink.load(Ordering::Relaxed) {
            return false;
        }
        match rustix::fs::ioctl_ficlone(target, source) {
            Ok(()) => true,
            Err(rustix::io::Errno::XDEV) => false,
            Err(_) => {
                self.unsupported.reflink.store(true, Ordering::Relaxed);
                false
            }
        }
    }
}

/// [`LocalStorageClient::open_file`] under the filesystem root, where there is nothing to escape
/// and so nothing to check before opening: open (non-blocking, so that a FIFO cannot hang us),
/// then look at what was opened. As cheap as `std::fs::read`.
fn open_unconfined(path: &StoragePath) -> Result<(File, fs::Metadata, PathBuf)> {
    use std::os::unix::fs::OpenOptionsExt;

    let local = Path::new("/").join(path.as_str());
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(&local)
        .map_err(|error| StorageError::from_io(error, path))?;
    let (file, meta) = regular_file(file, path)?;
    Ok((file, meta, local))
}

/// The opened `file` with its metadata, if it is a regular file.
fn regular_file(file: File, path: &StoragePath) -> Result<(File, fs::Metadata)> {
    let meta = file
        .metadata()
        .map_err(|error| StorageError::from_io(error, path))?;
    if meta.is_dir() {
        return Err(StorageError::IsADirectory { path: shown(path) });
    }
    if !meta.is_file() {
        // Devices and FIFOs have no place in a dataset.
        return Err(StorageError::InvalidPath {
            path: shown(path),
            reason: "it is not a regular file".to_owned(),
        });
    }
    Ok((file, meta))
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
        let (file, _) = self.open_file(path)?;
        Ok(Box::new(BufReader::with_capacity(READ_BUFFER_BYTES, file)))
    }

    fn read(&self, path: &StoragePath) -> Result<Vec<u8>> {
        let (file, meta) = self.open_file(path)?;
        // Sized from the metadata: one allocation and no read-buffer per file (YOLO datasets are
        // a hundred thousand small label files). One byte more sees the end without a second
        // allocation; a file that grew meanwhile is still read whole.
        let mut data = Vec::with_capacity(meta.len().min(MAX_PREALLOCATION) as usize + 1);
        file.take(u64::MAX)
            .read_to_end(&mut data)
            .map_err(|source| StorageError::Io {
                path: shown(path),
                source,
            })?;
        Ok(data)
    }

    fn read_range(&self, path: &StoragePath, offset: u64, len: u64) -> Result<Vec<u8>> {
        let io_error = |source| StorageError::Io {
            path: shown(path),
            source,
        };
        let (mut file, meta) = self.open_file(path)?;
        let available = meta.len().saturating_sub(offset).min(len);
        let mut data = Vec::with_capacity(available.min(MAX_PREALLOCATION) as usize);
        if available > 0 {
            if offset > 0 {
                file.seek(SeekFrom::Start(offset)).map_err(io_error)?;
            }
            file.take(len).read_to_end(&mut data).map_err(io_error)?;
        }
        Ok(data)
    }

    fn create_write(
        &self,
        path: &StoragePath,
        options: WriteOptions,
    ) -> Result<Box<dyn StorageWriter>> {
        Ok(Box::new(self.prepare_write(path, options, BUFFER_BYTES)?))
    }

    fn write(&self, path: &StoragePath, data: &[u8], options: WriteOptions) -> Result<()> {
        refuse_reserved(path)?;
        if !options.atomic
            && !options.sync
            && let Some(written) = self.write_new(path, data)
        {
            return written;
        }
        // No write buffer: the data is whole already.
        let mut writer = self.prepare_write(path, options, 0)?;
        writer.write_all(data).map_err(|source| StorageError::Io {
            path: shown(path),
            source,
        })?;
        Box::new(writer).commit()
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

    fn copy(&self, from: &StoragePath, to: &StoragePath, options: WriteOptions) -> Result<Copied> {
        let (source, meta) = self.open_file(from)?;
        self.copy_from(source, meta.len(), to, options)
    }

    fn link(&self, from: &StoragePath, to: &StoragePath) -> Result<LinkKind> {
        // Opening (not just resolving) the source gives the same checks as a read and keeps it
        // open for the copy fallback; the resolved path (links followed) is what gets linked, as a
        // hard link of a symbolic link would link the link.
        let (source, meta, source_path) = self.open_resolved(from)?;
        let target = self.prepare_destination(to, false)?;
        match fs::hard_link(&source_path, &target) {
            Ok(()) => Ok(LinkKind::HardLink),
            Err(error) if link_falls_back_to_copy(error.kind()) => {
                self.copy_from(source, meta.len(), to, WriteOptions::default())?;
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
        if !target.parent_exists {
            self.create_parent(target.entry.parent(), to)?;
        }
        // Check-then-rename: std has no RENAME_NOREPLACE, and a concurrent creator of the same
        // name is prevented upstream (versions are unique in the database).
        fs::rename(&source.entry, &target.entry).map_err(|error| StorageError::from_io(error, to))
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
