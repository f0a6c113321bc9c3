//! Where Datamill's files live, behind one interface.
//!
//! Business code (the registry, the pipeline and EDA workers) never touches `std::fs` with a path a
//! user gave; it holds an `Arc<dyn StorageClient>` and passes [`StoragePath`]s. That buys two things:
//!
//! * **Confinement in one place.** A [`StoragePath`] cannot express `..`, an absolute path or an
//!   encoded separator, and the client refuses any path that a symbolic link on the NAS would lead
//!   out of the storage base ([`StorageError::EscapesBase`]). No caller can forget the check.
//! * **A second backend without touching business code.** [`LocalStorageClient`] serves a mounted
//!   NAS today; an S3 client can implement the same trait later. The trait is object-safe and
//!   `Send + Sync` for that reason.
//!
//! The interface is blocking (`std::fs` underneath, which has no real asynchronous counterpart for
//! local files anyway); async callers run it on a blocking thread (`tokio::task::spawn_blocking`).
//!
//! Writes are atomic: [`StorageClient::create_write`] writes to a temporary file beside the target
//! and moves it into place on [`StorageWriter::commit`], so a reader — or a pipeline resuming after
//! a crash — never sees half a file under its final name. The same rule is what makes
//! [`StorageClient::link`] safe: dataset versions share image files through hard links, and since
//! nothing here ever rewrites a file in place, changing one version can never change another.
//! (The one exception a caller can ask for, [`WriteOptions::atomic`]`(false)`, still never writes
//! into an existing file: it replaces the name.)
//!
//! There is deliberately no "local path of" operation: an object store has none, and business code
//! that needed one would be code a second backend breaks. With the `test-support` feature,
//! [`testing`] has an in-memory backend and a wrapper that counts calls, which prove the point.

mod error;
mod local;
mod path;
#[cfg(feature = "test-support")]
pub mod testing;

use std::fmt;
use std::io::{Read, Write};
use std::time::SystemTime;

pub use error::{ErrorClass, StorageError};
pub use local::LocalStorageClient;
pub use path::{MAX_PATH_BYTES, MAX_SEGMENT_BYTES, StoragePath};

/// Shorthand for results of storage operations.
pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// The lazy, depth-first listing returned by [`StorageClient::walk`].
pub type Walk = Box<dyn Iterator<Item = Result<DirEntry>> + Send>;

/// What kind of thing a path names (after following symbolic links).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    File,
    Dir,
    /// Anything else: sockets, devices, FIFOs, and — in listings — symbolic links that dangle or
    /// lead outside the base.
    Other,
}

/// What [`StorageClient::stat`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    pub kind: EntryKind,
    /// Length in bytes for files; 0 for everything else (a directory's own size means nothing
    /// portable).
    pub size: u64,
    /// Last modification, where the storage records one.
    pub modified: Option<SystemTime>,
    /// Whether the path itself is a symbolic link (the other fields describe its target).
    pub is_symlink: bool,
}

/// One child of a directory, as returned by [`StorageClient::list`] and [`StorageClient::walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The child's name (last segment of `path`).
    pub name: String,
    /// The child's full storage path.
    pub path: StoragePath,
    pub kind: EntryKind,
    /// Length in bytes for files; 0 otherwise.
    pub size: u64,
    pub modified: Option<SystemTime>,
    /// Whether the child is a symbolic link. A link that resolves inside the base reports its
    /// target's kind and size; one that dangles or leads outside reports [`EntryKind::Other`].
    pub is_symlink: bool,
}

/// How a new file is put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct WriteOptions {
    /// Replace an existing file. Off by default: dataset versions are immutable, and a resumed
    /// pipeline must not clobber what an earlier attempt finished.
    pub overwrite: bool,
    /// Flush the file (and its directory entry) to stable storage before `commit` returns. On by
    /// default, because a resumed pipeline trusts any file present under its final name; turn it off
    /// for bulk outputs whose loss after a power cut is acceptable or is detected otherwise.
    pub sync: bool,
    /// Stage the data and move it into place whole on commit. On by default.
    ///
    /// Turned off, a backend *may* write straight to the final name, which saves the staging on
    /// filesystems where it costs a journal update per file (Phase B's bulk image copies). Then a
    /// reader can see the file before it is complete, and a process killed mid-write leaves a
    /// shorter file under the final name, so the caller must recognise incomplete files itself
    /// (Phase B compares sizes with the source). An existing file is still never written into: with
    /// `overwrite` its name is removed first, so hard-linked versions stay independent. Backends
    /// without such a mode (object stores, memory) write atomically anyway.
    pub atomic: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self {
            overwrite: false,
            sync: true,
            atomic: true,
        }
    }
}

impl WriteOptions {
    /// No overwrite, synced, atomic: the safe default.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`WriteOptions::overwrite`].
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// Sets [`WriteOptions::sync`].
    pub fn sync(mut self, sync: bool) -> Self {
        self.sync = sync;
        self
    }

    /// Sets [`WriteOptions::atomic`].
    pub fn atomic(mut self, atomic: bool) -> Self {
        self.atomic = atomic;
        self
    }
}

/// What [`StorageClient::copy`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Copied {
    /// Length of the new file.
    pub bytes: u64,
    /// Whether the storage shared the data instead of copying it (a reflink clone on btrfs/XFS, a
    /// server-side clone): no data moved, no space used until one side changes.
    pub cloned: bool,
}

/// How [`StorageClient::link`] made the new name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// A hard link: no data copied, no space used.
    HardLink,
    /// The storage could not link (another filesystem, or one without hard links), so the data was
    /// copied.
    Copy,
}

/// A file being written; nothing is visible at the target path until [`StorageWriter::commit`].
///
/// Dropping the writer without committing discards what was written.
pub trait StorageWriter: Write + Send + fmt::Debug {
    /// Flushes, makes durable when [`WriteOptions::sync`] is set, and moves the file into place
    /// atomically. Fails with [`StorageError::AlreadyExists`] if, without
    /// [`WriteOptions::overwrite`], something appeared at the target meanwhile.
    fn commit(self: Box<Self>) -> Result<()>;
}

/// Storage of dataset files, relative to one base (a NAS mount, later an S3 prefix).
///
/// Every path is a [`StoragePath`]; implementations must refuse anything that would resolve outside
/// their base with [`StorageError::EscapesBase`]. Destinations (`create_write`, `copy`, `link`,
/// `rename`) get their missing parent directories created. Nothing overwrites an existing entry unless
/// [`WriteOptions::overwrite`] says so.
pub trait StorageClient: Send + Sync + fmt::Debug {
    /// A human description of the base for logs, e.g. `local:/mnt/nas/datasets`.
    fn base(&self) -> &str;

    /// Kind, size and modification time of `path`, following symbolic links.
    fn stat(&self, path: &StoragePath) -> Result<Metadata>;

    /// Whether something exists at `path`. Paths that cannot exist (a parent is a file) are `false`;
    /// paths that are refused (escaping the base) are still errors.
    fn exists(&self, path: &StoragePath) -> Result<bool> {
        match self.stat(path) {
            Ok(_) => Ok(true),
            Err(StorageError::NotFound { .. } | StorageError::NotADirectory { .. }) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// The direct children of the directory `path`, sorted by name.
    ///
    /// Names that cannot be a [`StoragePath`] segment (not UTF-8, or containing a backslash or an
    /// encoded separator) are left out, as are the temporary files of unfinished writes.
    fn list(&self, path: &StoragePath) -> Result<Vec<DirEntry>>;

    /// Every entry below the directory `path`, depth first, each directory's children sorted by
    /// name, lazily. Symbolic links to directories are reported but not descended into (no loops,
    /// no double counting). Take as many as needed: `walk(p)?.take(1000)`.
    fn walk(&self, path: &StoragePath) -> Result<Walk>;

    /// Opens the file `path` for reading (buffered).
    fn open_read(&self, path: &StoragePath) -> Result<Box<dyn Read + Send>>;

    /// Reads up to `len` bytes of the file `path` starting at byte `offset`; shorter at the end of the
    /// file, empty past it.
    fn read_range(&self, path: &StoragePath, offset: u64, len: u64) -> Result<Vec<u8>>;

    /// Reads the whole file `path`.
    fn read(&self, path: &StoragePath) -> Result<Vec<u8>> {
        let mut data = Vec::new();
        self.open_read(path)?
            .read_to_end(&mut data)
            .map_err(|source| StorageError::Io {
                path: error::shown(path),
                source,
            })?;
        Ok(data)
    }

    /// Starts writing the file `path` (see [`StorageWriter`]). Fails early with
    /// [`StorageError::AlreadyExists`] when the file exists and overwriting was not asked for.
    fn create_write(
        &self,
        path: &StoragePath,
        options: WriteOptions,
    ) -> Result<Box<dyn StorageWriter>>;

    /// Writes `data` to the file `path` atomically.
    fn write(&self, path: &StoragePath, data: &[u8], options: WriteOptions) -> Result<()> {
        let mut writer = self.create_write(path, options)?;
        writer.write_all(data).map_err(|source| StorageError::Io {
            path: error::shown(path),
            source,
        })?;
        writer.commit()
    }

    /// Creates the directory `path` and its missing parents; fine if it exists already.
    fn create_dir_all(&self, path: &StoragePath) -> Result<()>;

    /// Copies the file `from` to `to` (atomically unless [`WriteOptions::atomic`] is off), cloning
    /// the data where the storage can.
    fn copy(&self, from: &StoragePath, to: &StoragePath, options: WriteOptions) -> Result<Copied>;

    /// Gives the file `from` the second name `to`: a hard link where the storage can make one, a
    /// copy otherwise. Never overwrites `to`.
    fn link(&self, from: &StoragePath, to: &StoragePath) -> Result<LinkKind>;

    /// Removes the file (or symbolic link) `path`.
    fn remove_file(&self, path: &StoragePath) -> Result<()>;

    /// Removes the directory `path` and everything in it. A symbolic link is removed itself, never
    /// what it points to. The base itself cannot be removed.
    fn remove_dir_all(&self, path: &StoragePath) -> Result<()>;

    /// Moves the file or directory `from` to `to`, which must not exist.
    fn rename(&self, from: &StoragePath, to: &StoragePath) -> Result<()>;
}

/// Name prefix of the temporary files of unfinished writes: listings hide such names, so no
/// backend lets a caller create one.
pub(crate) const TEMP_PREFIX: &str = ".datamill-tmp-";

/// Refuses destinations named like the temporary files of unfinished writes, which listings hide:
/// a file written under such a name would be invisible.
pub(crate) fn refuse_reserved(path: &StoragePath) -> Result<()> {
    if path
        .segments()
        .any(|segment| segment.starts_with(TEMP_PREFIX))
    {
        return Err(StorageError::InvalidPath {
            path: error::shown(path),
            reason: format!(
                "names starting with `{TEMP_PREFIX}` are reserved for unfinished writes"
            ),
        });
    }
    Ok(())
}
