//! [`MemoryStorageClient`]: the whole storage in a map.

use std::collections::BTreeMap;
use std::io::{self, Cursor, Read, Write};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use crate::error::shown;
use crate::{
    Copied, DirEntry, EntryKind, LinkKind, Metadata, Result, StorageClient, StorageError,
    StoragePath, StorageWriter, Walk, WriteOptions, refuse_reserved,
};

/// A storage held in memory: files and directories under a root, with the semantics of
/// [`LocalStorageClient`](crate::LocalStorageClient) (sorted listings, depth-first walks, writers
/// whose file appears only on commit, the same refusals and error variants). There are no
/// symbolic links; [`StorageClient::link`] shares the data and reports [`LinkKind::Copy`].
///
/// Clones share the same storage, so a test can keep one and hand another to the code under test.
#[derive(Debug, Clone, Default)]
pub struct MemoryStorageClient {
    state: Arc<Mutex<State>>,
}

/// Every entry but the root, by its storage path (`a/b`); a parent sorts before its children.
#[derive(Debug, Default)]
struct State {
    nodes: BTreeMap<String, Node>,
}

#[derive(Debug, Clone)]
enum Node {
    Dir {
        modified: SystemTime,
    },
    File {
        /// Shared by copies and links: nothing ever changes a file's bytes in place.
        data: Arc<Vec<u8>>,
        modified: SystemTime,
    },
}

impl Node {
    fn metadata(&self) -> Metadata {
        match self {
            Self::Dir { modified } => Metadata {
                kind: EntryKind::Dir,
                size: 0,
                modified: Some(*modified),
                is_symlink: false,
            },
            Self::File { data, modified } => Metadata {
                kind: EntryKind::File,
                size: data.len() as u64,
                modified: Some(*modified),
                is_symlink: false,
            },
        }
    }
}

/// The bytes of a file as a reader's buffer.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// `a`, `a/b` for `a/b/c`: the ancestors of a key, outermost first, the root left out.
fn ancestors(key: &str) -> impl Iterator<Item = &str> {
    key.match_indices('/').map(|(at, _)| &key[..at])
}

/// The key prefix of a directory's descendants: `""` for the root, `a/b/` otherwise.
fn prefix_of(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

impl State {
    /// The node at `path`: the root is a directory; a missing path is [`StorageError::NotFound`],
    /// or [`StorageError::NotADirectory`] when one of its parents is a file (as the local client
    /// reports `ENOTDIR`).
    fn node(&self, path: &StoragePath) -> Result<Node> {
        if path.is_root() {
            return Ok(Node::Dir {
                modified: SystemTime::UNIX_EPOCH,
            });
        }
        if let Some(node) = self.nodes.get(path.as_str()) {
            return Ok(node.clone());
        }
        self.check_parents(path)?;
        Err(StorageError::NotFound { path: shown(path) })
    }

    /// Refuses a path below a file.
    fn check_parents(&self, path: &StoragePath) -> Result<()> {
        for ancestor in ancestors(path.as_str()) {
            if let Some(Node::File { .. }) = self.nodes.get(ancestor) {
                return Err(StorageError::NotADirectory { path: shown(path) });
            }
        }
        Ok(())
    }

    /// Creates the missing parents of `path`.
    fn create_parents(&mut self, path: &StoragePath) -> Result<()> {
        self.check_parents(path)?;
        let now = SystemTime::now();
        for ancestor in ancestors(path.as_str()) {
            self.nodes
                .entry(ancestor.to_owned())
                .or_insert(Node::Dir { modified: now });
        }
        Ok(())
    }

    /// The file at `path`, or the error a reader gets.
    fn file(&self, path: &StoragePath) -> Result<Arc<Vec<u8>>> {
        match self.node(path)? {
            Node::File { data, .. } => Ok(data),
            Node::Dir { .. } => Err(StorageError::IsADirectory { path: shown(path) }),
        }
    }

    /// Checks that a file may be created at `path`.
    fn check_destination(&self, path: &StoragePath, overwrite: bool) -> Result<()> {
        if path.is_root() {
            return Err(StorageError::IsADirectory { path: shown(path) });
        }
        refuse_reserved(path)?;
        match self.node(path) {
            Ok(Node::Dir { .. }) => Err(StorageError::IsADirectory { path: shown(path) }),
            Ok(Node::File { .. }) if !overwrite => {
                Err(StorageError::AlreadyExists { path: shown(path) })
            }
            Ok(Node::File { .. }) | Err(StorageError::NotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Puts a file at `path` (after [`State::check_destination`]).
    fn put(&mut self, path: &StoragePath, data: Arc<Vec<u8>>, overwrite: bool) -> Result<()> {
        self.check_destination(path, overwrite)?;
        self.create_parents(path)?;
        self.nodes.insert(
            path.as_str().to_owned(),
            Node::File {
                data,
                modified: SystemTime::now(),
            },
        );
        Ok(())
    }

    /// The keys of every descendant of the directory `dir`, in key order.
    fn descendants(&self, dir: &StoragePath) -> Vec<String> {
        let prefix = prefix_of(dir.as_str());
        self.nodes
            .range(prefix.clone()..)
            .take_while(|(key, _)| key.starts_with(&prefix))
            .map(|(key, _)| key.clone())
            .collect()
    }

    /// The direct children of the directory `dir`, sorted by name.
    fn children(&self, dir: &StoragePath) -> Result<Vec<DirEntry>> {
        if let Node::File { .. } = self.node(dir)? {
            return Err(StorageError::NotADirectory { path: shown(dir) });
        }
        let prefix = prefix_of(dir.as_str());
        let mut entries = Vec::new();
        for (key, node) in self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(key, _)| key.starts_with(&prefix))
        {
            let name = &key[prefix.len()..];
            if name.contains('/') {
                continue;
            }
            let metadata = node.metadata();
            entries.push(DirEntry {
                name: name.to_owned(),
                path: dir.join(name)?,
                kind: metadata.kind,
                size: metadata.size,
                modified: metadata.modified,
                is_symlink: false,
            });
        }
        // Keys of one directory's children differ only in the name, so key order is name order.
        Ok(entries)
    }

    /// Depth first, each directory's children sorted by name.
    fn walk_into(&self, dir: &StoragePath, out: &mut Vec<DirEntry>) -> Result<()> {
        for entry in self.children(dir)? {
            let descend = (entry.kind == EntryKind::Dir).then(|| entry.path.clone());
            out.push(entry);
            if let Some(child) = descend {
                self.walk_into(&child, out)?;
            }
        }
        Ok(())
    }
}

impl MemoryStorageClient {
    /// An empty storage (the root directory only).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock left the map consistent: every change is
        // one insert or a sequence of them, none half done.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl StorageClient for MemoryStorageClient {
    fn base(&self) -> &'static str {
        "memory:"
    }

    fn stat(&self, path: &StoragePath) -> Result<Metadata> {
        Ok(self.lock().node(path)?.metadata())
    }

    fn list(&self, path: &StoragePath) -> Result<Vec<DirEntry>> {
        self.lock().children(path)
    }

    fn walk(&self, path: &StoragePath) -> Result<Walk> {
        let mut entries = Vec::new();
        self.lock().walk_into(path, &mut entries)?;
        Ok(Box::new(entries.into_iter().map(Ok)))
    }

    fn open_read(&self, path: &StoragePath) -> Result<Box<dyn Read + Send>> {
        let data = self.lock().file(path)?;
        Ok(Box::new(Cursor::new(Shared(data))))
    }

    fn read_range(&self, path: &StoragePath, offset: u64, len: u64) -> Result<Vec<u8>> {
        let data = self.lock().file(path)?;
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(data.len());
        let end = usize::try_from(offset.saturating_add(len))
            .unwrap_or(usize::MAX)
            .min(data.len());
        Ok(data[start..end].to_vec())
    }

    fn read(&self, path: &StoragePath) -> Result<Vec<u8>> {
        Ok(self.lock().file(path)?.as_ref().clone())
    }

    fn create_write(
        &self,
        path: &StoragePath,
        options: WriteOptions,
    ) -> Result<Box<dyn StorageWriter>> {
        let mut state = self.lock();
        state.check_destination(path, options.overwrite)?;
        state.create_parents(path)?;
        Ok(Box::new(MemoryWriter {
            storage: self.clone(),
            path: path.clone(),
            data: Vec::new(),
            overwrite: options.overwrite,
        }))
    }

    fn create_dir_all(&self, path: &StoragePath) -> Result<()> {
        refuse_reserved(path)?;
        let mut state = self.lock();
        match state.node(path) {
            Ok(Node::Dir { .. }) => Ok(()),
            Ok(Node::File { .. }) => Err(StorageError::NotADirectory { path: shown(path) }),
            Err(StorageError::NotFound { .. }) => {
                state.create_parents(path)?;
                state.nodes.insert(
                    path.as_str().to_owned(),
                    Node::Dir {
                        modified: SystemTime::now(),
                    },
                );
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    fn copy(&self, from: &StoragePath, to: &StoragePath, options: WriteOptions) -> Result<Copied> {
        let mut state = self.lock();
        let data = state.file(from)?;
        let bytes = data.len() as u64;
        state.put(to, data, options.overwrite)?;
        Ok(Copied {
            bytes,
            cloned: true,
        })
    }

    fn link(&self, from: &StoragePath, to: &StoragePath) -> Result<LinkKind> {
        let mut state = self.lock();
        let data = state.file(from)?;
        state.put(to, data, false)?;
        Ok(LinkKind::Copy)
    }

    fn remove_file(&self, path: &StoragePath) -> Result<()> {
        let mut state = self.lock();
        match state.node(path)? {
            Node::Dir { .. } => Err(StorageError::IsADirectory { path: shown(path) }),
            Node::File { .. } => {
                state.nodes.remove(path.as_str());
                Ok(())
            }
        }
    }

    fn remove_dir_all(&self, path: &StoragePath) -> Result<()> {
        if path.is_root() {
            return Err(StorageError::InvalidPath {
                path: shown(path),
                reason: "the storage base itself cannot be removed".to_owned(),
            });
        }
        let mut state = self.lock();
        if let Node::File { .. } = state.node(path)? {
            return Err(StorageError::NotADirectory { path: shown(path) });
        }
        for key in state.descendants(path) {
            state.nodes.remove(&key);
        }
        state.nodes.remove(path.as_str());
        Ok(())
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
        let mut state = self.lock();
        let node = state.node(from)?;
        match state.node(to) {
            Ok(_) => return Err(StorageError::AlreadyExists { path: shown(to) }),
            Err(StorageError::NotFound { .. }) => {}
            Err(error) => return Err(error),
        }
        state.create_parents(to)?;
        let old_prefix = prefix_of(from.as_str());
        let new_prefix = prefix_of(to.as_str());
        for key in state.descendants(from) {
            if let Some(moved) = state.nodes.remove(&key) {
                let renamed = format!("{new_prefix}{}", &key[old_prefix.len()..]);
                state.nodes.insert(renamed, moved);
            }
        }
        state.nodes.remove(from.as_str());
        state.nodes.insert(to.as_str().to_owned(), node);
        Ok(())
    }
}

/// A file being written: its bytes stay here until commit.
#[derive(Debug)]
struct MemoryWriter {
    storage: MemoryStorageClient,
    path: StoragePath,
    data: Vec<u8>,
    overwrite: bool,
}

impl Write for MemoryWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.data.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl StorageWriter for MemoryWriter {
    fn commit(self: Box<Self>) -> Result<()> {
        let this = *self;
        this.storage
            .lock()
            .put(&this.path, Arc::new(this.data), this.overwrite)
    }
}
