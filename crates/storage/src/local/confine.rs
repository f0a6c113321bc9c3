//! Confinement of a [`StoragePath`] to the base on a filesystem that has symbolic links.
//!
//! A `StoragePath` cannot say `..`, but a symbolic link on the NAS can: `raw/x -> /etc` turns
//! `raw/x/passwd` into `/etc/passwd`. `fs::canonicalize` is no help for the cases that matter —
//! it fails on paths that do not exist yet (every write target) and on dangling links, and it only
//! judges the whole path. So the path is resolved here the way the kernel resolves it: component by
//! component, reading each link and continuing from its target, with a missing tail taken as it is.
//! After each segment of the caller's path the position reached must lie inside the canonical base;
//! a link from one place inside the base to another is fine.
//!
//! A client whose base is the filesystem root (the CLI's) has nothing to confine: it skips the
//! walk, lets the kernel follow the links, and opens files without looking first.
//!
//! # Limits (time of check to time of use)
//!
//! The check and the later system call are separate, so someone who can change the NAS between the
//! two (swap a directory for a link) can win a race. The threat this guards against is a *path*
//! given through the API, with links left on the NAS by people or tools; local users racing the
//! service are out of scope (they can read the NAS directly anyway). Two cheap narrowings remain:
//! reads check that the file opened is the one resolved (same device and inode), and directories
//! created for a write are re-checked after creation. Reads try the kernel-enforced way first,
//! `openat2(RESOLVE_BENEATH)` from the base (rustix, no `unsafe`), which has no such window and costs
//! one call however deep the path; it refuses every absolute link, even one pointing inside the
//! base, so whatever it refuses comes here to be judged.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::error::shown;
use crate::{Result, StorageError, StoragePath};

/// Links followed in one resolution before giving up; Linux's own limit (`MAXSYMLINKS`).
const MAX_SYMLINK_HOPS: u32 = 40;

/// Where a storage path leads on the local filesystem.
#[derive(Debug)]
pub(super) struct Resolved {
    /// The path with every symbolic link followed; under the base; may not exist yet.
    pub(super) real: PathBuf,
    /// The directory entry the path names: parents resolved, the last component not followed
    /// (what `remove_file` and `rename` act on).
    pub(super) entry: PathBuf,
    /// Whether `real` existed during resolution.
    pub(super) exists: bool,
    /// Whether the last component is a symbolic link (possibly dangling).
    pub(super) is_symlink: bool,
    /// Whether the directory holding `real` existed during resolution (then a write needs none
    /// created, and nothing to re-check).
    pub(super) parent_exists: bool,
    /// `real`'s metadata, when resolution saw it anyway.
    meta: Option<fs::Metadata>,
}

impl Resolved {
    /// Metadata of `real` (links followed); [`StorageError::NotFound`] when it does not exist.
    pub(super) fn metadata(&self, path: &StoragePath) -> Result<fs::Metadata> {
        if !self.exists {
            return Err(StorageError::NotFound { path: shown(path) });
        }
        match &self.meta {
            Some(meta) => Ok(meta.clone()),
            None => fs::metadata(&self.real).map_err(|error| StorageError::from_io(error, path)),
        }
    }
}

/// Resolves `path` under the canonical `base`, refusing it with [`StorageError::EscapesBase`] if
/// any prefix of it resolves outside.
pub(super) fn confine(base: &Path, path: &StoragePath) -> Result<Resolved> {
    if base == Path::new("/")
        && let Some(resolved) = under_root(path)?
    {
        return Ok(resolved);
    }
    let mut walker = Walker {
        base,
        path,
        current: base.to_path_buf(),
        missing: false,
        first_missing: None,
        hops: 0,
        meta: None,
    };
    let mut entry = base.to_path_buf();
    let mut is_symlink = false;
    for segment in path.segments() {
        entry = walker.current.join(segment);
        is_symlink = walker.step(segment)?;
    }
    // The first missing component is the last one: only the file itself is new.
    let parent_exists =
        !walker.missing || walker.first_missing.as_deref() == Some(walker.current.as_path());
    Ok(Resolved {
        real: walker.current,
        entry,
        exists: !walker.missing,
        is_symlink,
        parent_exists,
        meta: walker.meta,
    })
}

/// With the filesystem root as the base nothing can lead outside, so the kernel may follow the
/// links on the way: one `lstat` instead of one per segment (the CLI's case). `None` when the last
/// component is itself a link: where it points decides what a write replaces, so the full walk
/// resolves it.
fn under_root(path: &StoragePath) -> Result<Option<Resolved>> {
    let local = Path::new("/").join(path.as_str());
    let (exists, meta, parent_exists) = match fs::symlink_metadata(&local) {
        Ok(meta) if meta.file_type().is_symlink() => return Ok(None),
        Ok(meta) => (true, Some(meta), true),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            let parent_exists = local.parent().is_none_or(Path::is_dir);
            (false, None, parent_exists)
        }
        Err(error) => return Err(StorageError::from_io(error, path)),
    };
    Ok(Some(Resolved {
        real: local.clone(),
        entry: local,
        exists,
        is_symlink: false,
        parent_exists,
        meta,
    }))
}

/// Checks that an existing local directory (just created for a write) still resolves inside the
/// base, which catches a parent swapped for a link between resolution and creation.
pub(super) fn recheck(base: &Path, local: &Path, path: &StoragePath) -> Result<()> {
    if base == Path::new("/") {
        return Ok(());
    }
    let canonical = fs::canonicalize(local).map_err(|error| StorageError::from_io(error, path))?;
    if canonical.starts_with(base) {
        Ok(())
    } else {
        Err(StorageError::EscapesBase { path: shown(path) })
    }
}

enum Step {
    Root,
    Parent,
    Name(OsString),
}

struct Walker<'a> {
    base: &'a Path,
    path: &'a StoragePath,
    /// Resolved so far: free of links while `missing` is false.
    current: PathBuf,
    /// Whether `current` is known not to exist (the rest is then taken lexically).
    missing: bool,
    /// The first component found missing.
    first_missing: Option<PathBuf>,
    hops: u32,
    meta: Option<fs::Metadata>,
}

impl Walker<'_> {
    /// Resolves one segment of the caller's path, following links; returns whether the segment
    /// itself is a link.
    fn step(&mut self, segment: &str) -> Result<bool> {
        let mut pending = VecDeque::from([Step::Name(OsString::from(segment))]);
        let mut first = true;
        let mut segment_is_symlink = false;
        while let Some(step) = pending.pop_front() {
            let is_segment_itself = std::mem::replace(&mut first, false);
            let name = match step {
                Step::Root => {
                    self.current = PathBuf::from("/");
                    self.meta = None;
                    continue;
                }
                Step::Parent => {
                    // Past a missing component the kernel would fail with ENOENT; going on
                    // lexically could climb back into existing territory without checking it.
                    if self.missing {
                        return Err(StorageError::NotFound {
                            path: shown(self.path),
                        });
                    }
                    self.current.pop();
                    self.meta = None;
                    continue;
                }
                Step::Name(name) => name,
            };
            let next = self.current.join(&name);
            if self.missing {
                self.current = next;
                continue;
            }
            match fs::symlink_metadata(&next) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    segment_is_symlink |= is_segment_itself;
                    self.hops += 1;
                    if self.hops > MAX_SYMLINK_HOPS {
                        return Err(StorageError::io_other(
                            self.path,
                            "too many levels of symbolic links",
                        ));
                    }
                    let target = fs::read_link(&next)
                        .map_err(|error| StorageError::from_io(error, self.path))?;
                    // A relative target continues from the link's directory, which is `current`.
                    for component in target.components().rev() {
                        match component {
                            Component::RootDir => pending.push_front(Step::Root),
                            Component::ParentDir => pending.push_front(Step::Parent),
                            Component::Normal(name) => {
                                pending.push_front(Step::Name(name.to_owned()));
                            }
                            Component::CurDir | Component::Prefix(_) => {}
                        }
                    }
                }
                Ok(meta) => {
                    self.current = next;
                    self.meta = Some(meta);
                }
                Err(error) if error.kind() == io::ErrorKind::NotFound => {
                    self.first_missing = Some(next.clone());
                    self.current = next;
                    self.missing = true;
                    self.meta = None;
                }
                Err(error) => return Err(StorageError::from_io(error, self.path)),
            }
        }
        if self.current.starts_with(self.base) {
            Ok(segment_is_symlink)
        } else {
            Err(StorageError::EscapesBase {
                path: shown(self.path),
            })
        }
    }
}
