//! [`CountingStorageClient`]: any client, with every call counted.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{
    Copied, DirEntry, LinkKind, Metadata, Result, StorageClient, StoragePath, StorageWriter, Walk,
    WriteOptions,
};

/// One method of [`StorageClient`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    Stat,
    Exists,
    List,
    Walk,
    OpenRead,
    ReadRange,
    Read,
    CreateWrite,
    Write,
    CreateDirAll,
    Copy,
    Link,
    RemoveFile,
    RemoveDirAll,
    Rename,
}

impl Operation {
    /// Every operation, in declaration order.
    pub const ALL: [Self; 15] = [
        Self::Stat,
        Self::Exists,
        Self::List,
        Self::Walk,
        Self::OpenRead,
        Self::ReadRange,
        Self::Read,
        Self::CreateWrite,
        Self::Write,
        Self::CreateDirAll,
        Self::Copy,
        Self::Link,
        Self::RemoveFile,
        Self::RemoveDirAll,
        Self::Rename,
    ];
}

/// What went through a [`CountingStorageClient`] so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Calls per operation (operations never called are absent). A call counts whether or not
    /// it succeeded; calls the wrapped client makes to itself (a default `exists` calling `stat`)
    /// do not.
    pub calls: BTreeMap<Operation, u64>,
    /// Bytes handed to callers by `read`, `read_range` and the readers of `open_read`.
    pub bytes_read: u64,
    /// Bytes callers gave to `write` and to the writers of `create_write`. Copies and links move
    /// no bytes through the client and are not counted here.
    pub bytes_written: u64,
}

impl Counts {
    /// Calls of `operation`.
    #[must_use]
    pub fn calls(&self, operation: Operation) -> u64 {
        self.calls.get(&operation).copied().unwrap_or(0)
    }

    /// Calls of every operation together.
    #[must_use]
    pub fn total_calls(&self) -> u64 {
        self.calls.values().sum()
    }
}

#[derive(Debug, Default)]
struct Counters {
    calls: [AtomicU64; Operation::ALL.len()],
    bytes_read: AtomicU64,
    bytes_written: AtomicU64,
}

impl Counters {
    fn call(&self, operation: Operation) {
        self.calls[operation as usize].fetch_add(1, Ordering::Relaxed);
    }

    fn read(&self, bytes: usize) {
        self.bytes_read.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    fn written(&self, bytes: usize) {
        self.bytes_written
            .fetch_add(bytes as u64, Ordering::Relaxed);
    }
}

/// Wraps a client and counts the calls made to it, per [`Operation`], and the bytes read and
/// written through it. Thread-safe; clones share the counters.
#[derive(Debug, Clone)]
pub struct CountingStorageClient<S> {
    inner: S,
    counters: Arc<Counters>,
}

impl<S: StorageClient> CountingStorageClient<S> {
    /// Counts the calls made to `inner`, from zero.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            counters: Arc::default(),
        }
    }

    /// The wrapped client (calls made to it directly are not counted).
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The counts so far.
    #[must_use]
    pub fn counts(&self) -> Counts {
        let calls = Operation::ALL
            .iter()
            .filter_map(|&operation| {
                let count = self.counters.calls[operation as usize].load(Ordering::Relaxed);
                (count > 0).then_some((operation, count))
            })
            .collect();
        Counts {
            calls,
            bytes_read: self.counters.bytes_read.load(Ordering::Relaxed),
            bytes_written: self.counters.bytes_written.load(Ordering::Relaxed),
        }
    }

    /// Starts counting from zero again.
    pub fn reset(&self) {
        for count in &self.counters.calls {
            count.store(0, Ordering::Relaxed);
        }
        self.counters.bytes_read.store(0, Ordering::Relaxed);
        self.counters.bytes_written.store(0, Ordering::Relaxed);
    }
}

impl<S: StorageClient> StorageClient for CountingStorageClient<S> {
    fn base(&self) -> &str {
        self.inner.base()
    }

    fn stat(&self, path: &StoragePath) -> Result<Metadata> {
        self.counters.call(Operation::Stat);
        self.inner.stat(path)
    }

    fn exists(&self, path: &StoragePath) -> Result<bool> {
        self.counters.call(Operation::Exists);
        self.inner.exists(path)
    }

    fn list(&self, path: &StoragePath) -> Result<Vec<DirEntry>> {
        self.counters.call(Operation::List);
        self.inner.list(path)
    }

    fn walk(&self, path: &StoragePath) -> Result<Walk> {
        self.counters.call(Operation::Walk);
        self.inner.walk(path)
    }

    fn open_read(&self, path: &StoragePath) -> Result<Box<dyn Read + Send>> {
        self.counters.call(Operation::OpenRead);
        let inner = self.inner.open_read(path)?;
        Ok(Box::new(CountingReader {
            inner,
            counters: Arc::clone(&self.counters),
        }))
    }

    fn read_range(&self, path: &StoragePath, offset: u64, len: u64) -> Result<Vec<u8>> {
        self.counters.call(Operation::ReadRange);
        let data = self.inner.read_range(path, offset, len)?;
        self.counters.read(data.len());
        Ok(data)
    }

    fn read(&self, path: &StoragePath) -> Result<Vec<u8>> {
        self.counters.call(Operation::Read);
        let data = self.inner.read(path)?;
        self.counters.read(data.len());
        Ok(data)
    }

    fn create_write(
        &self,
        path: &StoragePath,
        options: WriteOptions,
    ) -> Result<Box<dyn StorageWriter>> {
        self.counters.call(Operation::CreateWrite);
        let inner = self.inner.create_write(path, options)?;
        Ok(Box::new(CountingWriter {
            inner,
            counters: Arc::clone(&self.counters),
        }))
    }

    fn write(&self, path: &StoragePath, data: &[u8], options: WriteOptions) -> Result<()> {
        self.counters.call(Operation::Write);
        self.inner.write(path, data, options)?;
        self.counters.written(data.len());
        Ok(())
    }

    fn create_dir_all(&self, path: &StoragePath) -> Result<()> {
        self.counters.call(Operation::CreateDirAll);
        self.inner.create_dir_all(path)
    }

    fn copy(&self, from: &StoragePath, to: &StoragePath, options: WriteOptions) -> Result<Copied> {
        self.counters.call(Operation::Copy);
        self.inner.copy(from, to, options)
    }

    fn link(&self, from: &StoragePath, to: &StoragePath) -> Result<LinkKind> {
        self.counters.call(Operation::Link);
        self.inner.link(from, to)
    }

    fn remove_file(&self, path: &StoragePath) -> Result<()> {
        self.counters.call(Operation::RemoveFile);
        self.inner.remove_file(path)
    }

    fn remove_dir_all(&self, path: &StoragePath) -> Result<()> {
        self.counters.call(Operation::RemoveDirAll);
        self.inner.remove_dir_all(path)
    }

    fn rename(&self, from: &StoragePath, to: &StoragePath) -> Result<()> {
        self.counters.call(Operation::Rename);
        self.inner.rename(from, to)
    }
}

struct CountingReader {
    inner: Box<dyn Read + Send>,
    counters: Arc<Counters>,
}

impl Read for CountingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.counters.read(read);
        Ok(read)
    }
}

#[derive(Debug)]
struct CountingWriter {
    inner: Box<dyn StorageWriter>,
    counters: Arc<Counters>,
}

impl Write for CountingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.counters.written(written);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl StorageWriter for CountingWriter {
    fn commit(self: Box<Self>) -> Result<()> {
        self.inner.commit()
    }
}
