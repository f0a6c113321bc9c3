//! [`Files`]: the core's only way to the files of a dataset.
//!
//! Every function of the core that reads or writes files (the codecs, [`crate::imageinfo`],
//! [`crate::validate`], the pipeline engine) does it through a `Files`, which hands each call to a
//! [`StorageClient`]. The services give it their NAS client ([`Files::new`]) and paths relative to
//! the NAS (a dataset's `storage_uri`); the CLI gives it the whole local filesystem
//! ([`Files::local`]) and the paths the user typed. A second storage backend (S3) therefore needs
//! no change here, and a test can run the same code against memory.
//!
//! The methods look like `std::fs`: they take `&Path`s and return `std::io::Result`s, so the core's
//! error types keep their `io::Error` sources. A path becomes a [`StoragePath`] on the way, which
//! refuses `..` and absolute paths for a storage: an annotation naming `../../etc/passwd` cannot
//! read outside the dataset's storage. Storage errors become `io::Error`s of the matching
//! [`io::ErrorKind`] (`NotFound` stays `NotFound`), with the storage error kept inside
//! ([`storage_error`]).

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

pub use datamill_storage::{
    Copied, EntryKind, LinkKind, LocalStorageClient, Metadata, StorageClient, StorageError,
    StoragePath, WriteOptions,
};

/// Files of one storage, with `std::fs`-like methods on `&Path`s inside it. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Files<'a> {
    storage: &'a dyn StorageClient,
    /// Paths are local paths (absolute, or relative to the working directory) on a storage based
    /// at the filesystem root.
    local: bool,
    /// The working directory relative local paths start from; `None`: ask for it each time.
    cwd: Option<&'a Path>,
}

impl fmt::Debug for Files<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Files").field(&self.storage.base()).finish()
    }
}

/// One child of a directory, as [`Files::list`] returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// The directory's path joined with `name`.
    pub path: PathBuf,
    /// After following a symbolic link (inside the storage).
    pub kind: EntryKind,
    /// Length in bytes for files; 0 otherwise.
    pub size: u64,
    pub is_symlink: bool,
}

impl Entry {
    #[must_use]
    pub fn is_dir(&self) -> bool {
        self.kind == EntryKind::Dir
    }

    #[must_use]
    pub fn is_file(&self) -> bool {
        self.kind == EntryKind::File
    }
}

/// A file being written through [`Files::create`]: nothing is visible under its name until
/// [`FileWriter::commit`]; dropped uncommitted, it leaves nothing behind.
#[derive(Debug)]
pub struct FileWriter {
    inner: Box<dyn datamill_storage::StorageWriter>,
}

impl Write for FileWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl FileWriter {
    /// Puts the file in place.
    pub fn commit(self) -> io::Result<()> {
        self.inner.commit().map_err(io_error)
    }
}

/// How annotation files, reports and markers are written: atomically, replacing what is there,
/// without waiting for the disk (as `std::fs::write` did; a resumed pipeline rewrites them).
fn replace() -> WriteOptions {
    WriteOptions::new().overwrite(true).sync(false)
}

impl<'a> Files<'a> {
    /// Files of `storage`; paths are relative to its base (a dataset's `storage_uri` and what is
    /// below it). Absolute paths and `..` are refused.
    #[must_use]
    pub fn new(storage: &'a dyn StorageClient) -> Self {
        Self {
            storage,
            local: false,
            cwd: None,
        }
    }

    /// The storage behind these files.
    #[must_use]
    pub fn storage(&self) -> &'a dyn StorageClient {
        self.storage
    }

    /// Turns a path into the storage's form: components joined by `/` (`a//b` and `a/./b` are
    /// `a/b`), then parsed with [`StoragePath::parse`]'s rules.
    pub fn storage_path(&self, path: &Path) -> io::Result<StoragePath> {
        let path = if self.local {
            local_path(path, self.cwd)?
        } else {
            Cow::Borrowed(path)
        };
        let given = || path.to_string_lossy().into_owned();
        let mut text = String::with_capacity(path.as_os_str().len());
        for component in path.components() {
            match component {
                Component::Normal(name) => {
                    let name = name.to_str().ok_or_else(|| {
                        io_error(StorageError::InvalidPath {
                            path: given(),
                            reason: "it is not UTF-8".to_owned(),
                        })
                    })?;
                    if !text.is_empty() {
                        text.push('/');
                    }
                    text.push_str(name);
                }
                Component::CurDir => {}
                // A local path is absolute by now: its root is the storage's.
                Component::RootDir if self.local => {}
                Component::RootDir | Component::Prefix(_) => {
                    return Err(io_error(StorageError::Absolute { path: given() }));
                }
                Component::ParentDir => {
                    return Err(io_error(StorageError::Traversal { path: given() }));
                }
            }
        }
        StoragePath::parse(&text).map_err(|error| match error {
            StorageError::InvalidPath { reason, .. } => io_error(StorageError::InvalidPath {
                path: given(),
                reason,
            }),
            other => io_error(other),
        })
    }

    /// Kind, size and modification time (following links).
    pub fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        self.storage
            .stat(&self.storage_path(path)?)
            .map_err(io_error)
    }

    /// Whether something is at `path`; errors other than "not there" are errors.
    pub fn try_exists(&self, path: &Path) -> io::Result<bool> {
        self.storage
            .exists(&self.storage_path(path)?)
            .map_err(io_error)
    }

    /// Whether `path` is a file (any error: no).
    #[must_use]
    pub fn is_file(&self, path: &Path) -> bool {
        self.metadata(path)
            .is_ok_and(|meta| meta.kind == EntryKind::File)
    }

    /// Whether `path` is a directory (any error: no).
    #[must_use]
    pub fn is_dir(&self, path: &Path) -> bool {
        self.metadata(path)
            .is_ok_and(|meta| meta.kind == EntryKind::Dir)
    }

    /// The whole file.
    pub fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.storage
            .read(&self.storage_path(path)?)
            .map_err(io_error)
    }

    /// The whole file as UTF-8 text.
    pub fn read_to_string(&self, path: &Path) -> io::Result<String> {
        String::from_utf8(self.read(path)?)
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error.utf8_error()))
    }

    /// The file as a (buffered) reader, for files read as a stream (COCO JSON).
    pub fn open(&self, path: &Path) -> io::Result<Box<dyn Read + Send>> {
        self.storage
            .open_read(&self.storage_path(path)?)
            .map_err(io_error)
    }

    /// Up to `len` bytes from `offset` (shorter at the end, empty past it): image headers.
    pub fn read_range(&self, path: &Path, offset: u64, len: u64) -> io::Result<Vec<u8>> {
        self.storage
            .read_range(&self.storage_path(path)?, offset, len)
            .map_err(io_error)
    }

    /// The directory's children sorted by name (names that cannot be storage paths, and the
    /// temporary files of unfinished writes, left out).
    pub fn list(&self, dir: &Path) -> io::Result<Vec<Entry>> {
        let entries = self
            .storage
            .list(&self.storage_path(dir)?)
            .map_err(io_error)?;
        Ok(entries
            .into_iter()
            .map(|entry| Entry {
                path: dir.join(&entry.name),
                name: entry.name,
                kind: entry.kind,
                size: entry.size,
                is_symlink: entry.is_symlink,
            })
            .collect())
    }

    /// Creates the directory and its missing parents.
    pub fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        self.storage
            .create_dir_all(&self.storage_path(path)?)
            .map_err(io_error)
    }

    /// Writes the whole file atomically, replacing an existing one (parents created).
    pub fn write(&self, path: &Path, data: impl AsRef<[u8]>) -> io::Result<()> {
        self.write_with(path, data.as_ref(), replace())
    }

    /// Writes the whole file straight under its name, replacing an existing one (its name, never
    /// its bytes: a hard-linked copy elsewhere keeps them). For bulk output of many small files
    /// whose completeness the caller tracks otherwise (YOLO labels: a pipeline run rewrites every
    /// annotation file when it resumes): it spares the staging (a rename per file), and a crash
    /// can leave a file cut short.
    pub fn write_bulk(&self, path: &Path, data: impl AsRef<[u8]>) -> io::Result<()> {
        self.write_with(path, data.as_ref(), replace().atomic(false))
    }

    /// Writes the whole file as `options` say.
    pub fn write_with(&self, path: &Path, data: &[u8], options: WriteOptions) -> io::Result<()> {
        self.storage
            .write(&self.storage_path(path)?, data, options)
            .map_err(io_error)
    }

    /// Starts writing a file that replaces an existing one on commit (parents created).
    pub fn create(&self, path: &Path) -> io::Result<FileWriter> {
        self.create_with(path, replace())
    }

    /// Starts writing a file as `options` say.
    pub fn create_with(&self, path: &Path, options: WriteOptions) -> io::Result<FileWriter> {
        let inner = self
            .storage
            .create_write(&self.storage_path(path)?, options)
            .map_err(io_error)?;
        Ok(FileWriter { inner })
    }

    /// Copies a file (cloning its data where the storage can).
    pub fn copy(&self, from: &Path, to: &Path, options: WriteOptions) -> io::Result<Copied> {
        self.storage
            .copy(&self.storage_path(from)?, &self.storage_path(to)?, options)
            .map_err(io_error)
    }

    /// Gives a file a second name: a hard link where the storage can, else a copy. Never
    /// overwrites.
    pub fn link(&self, from: &Path, to: &Path) -> io::Result<LinkKind> {
        self.storage
            .link(&self.storage_path(from)?, &self.storage_path(to)?)
            .map_err(io_error)
    }

    /// Removes a file.
    pub fn remove_file(&self, path: &Path) -> io::Result<()> {
        self.storage
            .remove_file(&self.storage_path(path)?)
            .map_err(io_error)
    }
}

/// The process-wide client of the whole local filesystem.
fn local_storage() -> &'static LocalStorageClient {
    static LOCAL: OnceLock<LocalStorageClient> = OnceLock::new();
    LOCAL.get_or_init(LocalStorageClient::whole_filesystem)
}

impl Files<'static> {
    /// The local filesystem, for the CLI and local tests: paths are local paths, absolute or
    /// relative to the working directory (`..` resolved against the disk, as the kernel would).
    #[must_use]
    pub fn local() -> Self {
        Self {
            storage: local_storage(),
            local: true,
            cwd: None,
        }
    }
}

impl<'a> Files<'a> {
    /// [`Files::local`] with relative paths taken from `cwd` (absolute: the caller's working
    /// directory, asked once), which spares a `getcwd` per file when a tool reads a hundred
    /// thousand files under a relative path.
    #[must_use]
    pub fn local_at(cwd: &'a Path) -> Self {
        Self {
            storage: local_storage(),
            local: true,
            cwd: cwd.is_absolute().then_some(cwd),
        }
    }
}

/// A local path made absolute (against `cwd`, or the working directory). `..` is resolved the
/// way the kernel would: the longest existing prefix is canonicalised (a `..` after a symbolic
/// link climbs from the link's target), the rest appended; a `..` left in a part that does not
/// exist is refused by the conversion.
fn local_path<'p>(path: &'p Path, cwd: Option<&Path>) -> io::Result<Cow<'p, Path>> {
    let absolute = if path.is_absolute() {
        Cow::Borrowed(path)
    } else if let Some(cwd) = cwd {
        Cow::Owned(cwd.join(path))
    } else {
        Cow::Owned(std::path::absolute(path)?)
    };
    if !absolute.components().any(|c| c == Component::ParentDir) {
        return Ok(absolute);
    }
    for prefix in absolute.ancestors() {
        if let Ok(canonical) = std::fs::canonicalize(prefix) {
            let rest = absolute.strip_prefix(prefix).unwrap_or(Path::new(""));
            return Ok(Cow::Owned(canonical.join(rest)));
        }
    }
    Ok(absolute)
}

/// A storage error as the `io::Error` the core's error types carry.
fn io_error(error: StorageError) -> io::Error {
    // The operating system's own error: nothing to add, the caller names the path.
    if let StorageError::Io { source, .. } = error {
        return source;
    }
    let kind = match &error {
        StorageError::NotFound { .. } => io::ErrorKind::NotFound,
        StorageError::AlreadyExists { .. } => io::ErrorKind::AlreadyExists,
        StorageError::NotADirectory { .. } => io::ErrorKind::NotADirectory,
        StorageError::IsADirectory { .. } => io::ErrorKind::IsADirectory,
        StorageError::Absolute { .. }
        | StorageError::Traversal { .. }
        | StorageError::InvalidPath { .. }
        | StorageError::EscapesBase { .. } => io::ErrorKind::InvalidInput,
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, Failure(error))
}

/// The storage error a [`Files`] method failed with, if it was one.
#[must_use]
pub fn storage_error(error: &io::Error) -> Option<&StorageError> {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Failure>())
        .map(|failure| &failure.0)
}

/// A storage error inside an `io::Error`. Callers put the path in their own messages
/// (`cannot read {path}: …`), so the common cases read like the operating system's, without it;
/// refusals keep the storage's explanation.
#[derive(Debug)]
struct Failure(StorageError);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            StorageError::NotFound { .. } => f.write_str("No such file or directory"),
            StorageError::AlreadyExists { .. } => f.write_str("File exists"),
            StorageError::NotADirectory { .. } => f.write_str("Not a directory"),
            StorageError::IsADirectory { .. } => f.write_str("Is a directory"),
            other => other.fmt(f),
        }
    }
}

impl std::error::Error for Failure {}

#[cfg(test)]
mod tests {
    use datamill_storage::testing::MemoryStorageClient;

    use super::*;

    #[test]
    fn paths_inside_a_storage_are_normalised_and_escapes_refused() {
        let memory = MemoryStorageClient::new();
        let files = Files::new(&memory);
        let path = |text: &str| files.storage_path(Path::new(text));
        assert_eq!(
            path("raw/x/./images//a.jpg").unwrap().as_str(),
            "raw/x/images/a.jpg"
        );
        assert!(path("").unwrap().is_root());
        for (bad, kind) in [
            ("raw/x/../../etc/passwd", "climbs up"),
            ("/etc/passwd", "absolute"),
            ("images/%2e%2e/x", "climbs up"),
            ("a\\b", "backslash"),
        ] {
            let error = path(bad).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{bad}");
            assert!(error.to_string().contains(kind), "{bad}: {error}");
            assert!(error.to_string().contains(bad), "{bad}: {error}");
        }
    }

    #[test]
    fn storage_errors_keep_their_kind_and_stay_reachable() {
        let memory = MemoryStorageClient::new();
        let files = Files::new(&memory);
        files.write(Path::new("d/a.txt"), "x").unwrap();
        let missing = files.read(Path::new("d/b.txt")).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        assert_eq!(missing.to_string(), "No such file or directory");
        assert!(matches!(
            storage_error(&missing),
            Some(StorageError::NotFound { path }) if path == "d/b.txt"
        ));
        assert_eq!(
            files.read(Path::new("d")).unwrap_err().kind(),
            io::ErrorKind::IsADirectory
        );
        assert_eq!(
            files.list(Path::new("d/a.txt")).unwrap_err().kind(),
            io::ErrorKind::NotADirectory
        );
    }

    #[test]
    fn local_paths_are_absolute_relative_or_climbing_like_the_kernel_sees_them() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(base.join("a/b")).unwrap();
        std::fs::write(base.join("a/x.txt"), "X").unwrap();
        std::os::unix::fs::symlink(base.join("a/b"), base.join("link")).unwrap();
        let files = Files::local();
        assert_eq!(files.read(&base.join("a/b/../x.txt")).unwrap(), b"X");
        // `link/..` is `a`, the link target's parent, not the base.
        assert_eq!(files.read(&base.join("link/../x.txt")).unwrap(), b"X");
        let relative = pathdiff(&base.join("a/x.txt"));
        assert_eq!(files.read(&relative).unwrap(), b"X");
        assert_eq!(
            Files::local_at(&base).read(Path::new("a/x.txt")).unwrap(),
            b"X"
        );
        files.write(&base.join("new/dir/y.txt"), "Y").unwrap();
        assert_eq!(std::fs::read(base.join("new/dir/y.txt")).unwrap(), b"Y");
        let listed: Vec<_> = files
            .list(&base.join("a"))
            .unwrap()
            .into_iter()
            .map(|e| (e.name, e.path, e.kind))
            .collect();
        assert_eq!(
            listed,
            [
                ("b".to_owned(), base.join("a/b"), EntryKind::Dir),
                ("x.txt".to_owned(), base.join("a/x.txt"), EntryKind::File),
            ]
        );
    }

    /// `target` relative to the working directory.
    fn pathdiff(target: &Path) -> PathBuf {
        let cwd = std::env::current_dir().unwrap();
        let ups = cwd.components().count() - 1;
        let mut relative = PathBuf::new();
        for _ in 0..ups {
            relative.push("..");
        }
        relative.join(target.strip_prefix("/").unwrap())
    }
}
