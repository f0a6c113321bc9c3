//! Every operation of the client on ordinary files and directories.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::sync::Arc;

use datamill_storage::{
    EntryKind, ErrorClass, LinkKind, LocalStorageClient, StorageClient, StorageError, StoragePath,
    WriteOptions,
};

use crate::{Fixture, sp};

#[test]
fn a_client_needs_an_existing_directory_as_its_base() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let error = LocalStorageClient::new(&missing).unwrap_err();
    assert!(matches!(&error, StorageError::InvalidBase { path, .. } if *path == missing));
    assert!(error.to_string().contains("does not exist"), "{error}");
    assert_eq!(error.class(), ErrorClass::Server);

    let file = dir.path().join("file");
    fs::write(&file, "x").unwrap();
    let error = LocalStorageClient::new(&file).unwrap_err();
    assert!(error.to_string().contains("not a directory"), "{error}");
}

#[test]
fn a_base_reached_through_a_link_is_canonicalised() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("volume1");
    fs::create_dir(&real).unwrap();
    fs::write(real.join("a.txt"), "A").unwrap();
    let link = dir.path().join("nas");
    std::os::unix::fs::symlink(&real, &link).unwrap();

    let client = LocalStorageClient::new(&link).unwrap();
    let canonical = fs::canonicalize(&real).unwrap();
    assert_eq!(client.base_dir(), canonical);
    assert_eq!(client.base(), format!("local:{}", canonical.display()));
    assert_eq!(client.read(&sp("a.txt")).unwrap(), b"A");
}

#[test]
fn the_client_works_as_a_shared_trait_object_across_threads() {
    let fixture = Fixture::new();
    fixture.put("a.txt", "shared");
    let client: Arc<dyn StorageClient> = Arc::new(fixture.client.clone());
    let handle = std::thread::spawn(move || client.read(&sp("a.txt")).unwrap());
    assert_eq!(handle.join().unwrap(), b"shared");
}

#[test]
fn list_leaves_out_names_that_cannot_be_storage_paths() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let fixture = Fixture::new();
    fixture.put("d/ok.txt", "x");
    fixture.put("d/back\\slash.txt", "x");
    fixture.put("d/enc%2fsep.txt", "x");
    fs::write(
        fixture
            .base()
            .join("d")
            .join(OsStr::from_bytes(b"latin1-\xe9.txt")),
        "x",
    )
    .unwrap();

    let names: Vec<_> = fixture
        .client
        .list(&sp("d"))
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["ok.txt"]);
}

#[test]
fn walk_reports_linked_directories_without_entering_them() {
    let fixture = Fixture::new();
    fixture.put("ds/real/x.txt", "x");
    fixture.symlink("ds/alias", "real");
    fixture.symlink("ds/loop", ".");

    let entries: Vec<_> = fixture
        .client
        .walk(&sp("ds"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let summary: Vec<_> = entries
        .iter()
        .map(|e| (e.path.as_str(), e.kind, e.is_symlink))
        .collect();
    assert_eq!(
        summary,
        [
            ("ds/alias", EntryKind::Dir, true),
            ("ds/loop", EntryKind::Dir, true),
            ("ds/real", EntryKind::Dir, false),
            ("ds/real/x.txt", EntryKind::File, false),
        ]
    );
}

/// A copy is a file of its own (a clone shares blocks, never the inode), whichever way the
/// filesystem made it; without atomic staging it is the same.
#[test]
fn a_copy_is_a_new_file_cloned_where_the_filesystem_can() {
    let fixture = Fixture::new();
    fixture.put("src/a.jpg", "jpeg bytes");
    for (target, options) in [
        ("out/images/a.jpg", WriteOptions::new()),
        (
            "out/images/b.jpg",
            WriteOptions::new().atomic(false).sync(false),
        ),
    ] {
        let copied = fixture
            .client
            .copy(&sp("src/a.jpg"), &sp(target), options)
            .unwrap();
        assert_eq!(copied.bytes, 10);
        assert_eq!(fixture.contents(target), "jpeg bytes");
        let source = fs::metadata(fixture.base().join("src/a.jpg")).unwrap();
        let copy = fs::metadata(fixture.base().join(target)).unwrap();
        assert_ne!(source.ino(), copy.ino());
        assert_eq!(copy.nlink(), 1);
    }
    assert_eq!(fixture.names_on_disk("out/images"), ["a.jpg", "b.jpg"]);
}

#[test]
fn link_makes_a_hard_link_on_one_filesystem() {
    let fixture = Fixture::new();
    fixture.put("v1/images/a.jpg", "pixels");
    let kind = fixture
        .client
        .link(&sp("v1/images/a.jpg"), &sp("v2/images/a.jpg"))
        .unwrap();
    assert_eq!(kind, LinkKind::HardLink);
    let first = fs::metadata(fixture.base().join("v1/images/a.jpg")).unwrap();
    let second = fs::metadata(fixture.base().join("v2/images/a.jpg")).unwrap();
    assert_eq!(first.ino(), second.ino());
    assert_eq!(second.nlink(), 2);
}

#[test]
fn link_of_a_linked_name_links_the_real_file() {
    let fixture = Fixture::new();
    fixture.put("v1/a.jpg", "pixels");
    fixture.symlink("v1/alias.jpg", "a.jpg");
    fixture
        .client
        .link(&sp("v1/alias.jpg"), &sp("v2/deep/a.jpg"))
        .unwrap();
    let created = fixture.base().join("v2/deep/a.jpg");
    assert!(
        !fs::symlink_metadata(&created)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fixture.contents("v2/deep/a.jpg"), "pixels");
}

#[test]
fn remove_file_removes_a_link_not_its_target() {
    let fixture = Fixture::new();
    fixture.put("d/a.txt", "x");
    fixture.symlink("link.txt", "d/a.txt");

    fixture.client.remove_file(&sp("link.txt")).unwrap();
    assert!(fs::symlink_metadata(fixture.base().join("link.txt")).is_err());
    assert_eq!(fixture.contents("d/a.txt"), "x", "the link's target stays");
}

#[test]
fn remove_dir_all_of_a_linked_directory_removes_only_the_link() {
    let fixture = Fixture::new();
    fixture.put("real/a.txt", "x");
    fixture.symlink("alias", "real");
    fixture.client.remove_dir_all(&sp("alias")).unwrap();
    assert!(fs::symlink_metadata(fixture.base().join("alias")).is_err());
    assert_eq!(fixture.contents("real/a.txt"), "x");
}

/// The CLI's client: storage paths are absolute local paths without their leading `/`.
#[test]
fn a_client_of_the_whole_filesystem_reads_and_writes_absolute_paths() {
    let fixture = Fixture::new();
    fixture.put("d/a.txt", "A");
    let client = LocalStorageClient::whole_filesystem();
    assert_eq!(client.base(), "local:/");
    let inside = |relative: &str| {
        let local = fixture.base().join(relative);
        sp(local.to_str().unwrap().trim_start_matches('/'))
    };
    assert_eq!(client.read(&inside("d/a.txt")).unwrap(), b"A");
    client
        .write(&inside("e/f/b.txt"), b"B", WriteOptions::new())
        .unwrap();
    assert_eq!(fixture.contents("e/f/b.txt"), "B");
    assert!(matches!(
        client.stat(&inside("d/missing.txt")),
        Err(StorageError::NotFound { .. })
    ));
    // Links are followed by the kernel; a final link is resolved so that an overwrite replaces
    // its target, as under any other base.
    fixture.symlink("alias", "d");
    fixture.symlink("alias.txt", "d/a.txt");
    assert_eq!(client.read(&inside("alias/a.txt")).unwrap(), b"A");
    client
        .write(
            &inside("alias.txt"),
            b"A2",
            WriteOptions::new().overwrite(true),
        )
        .unwrap();
    assert_eq!(fixture.contents("d/a.txt"), "A2");
    assert!(
        fs::symlink_metadata(fixture.base().join("alias.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A link of a linked name links the real file, not the link.
    assert_eq!(
        client
            .link(&inside("alias.txt"), &inside("v2/a.txt"))
            .unwrap(),
        LinkKind::HardLink
    );
    let linked = fs::symlink_metadata(fixture.base().join("v2/a.txt")).unwrap();
    assert!(linked.file_type().is_file());
    assert_eq!(linked.nlink(), 2);
    assert!(matches!(
        client.read(&inside("d")),
        Err(StorageError::IsADirectory { .. })
    ));
}

#[test]
fn resolve_gives_the_local_path_under_the_base_even_before_it_exists() {
    let fixture = Fixture::new();
    fixture.put("a/b.txt", "x");
    assert_eq!(
        fixture.client.resolve(&sp("a/b.txt")).unwrap(),
        fixture.base().join("a/b.txt")
    );
    assert_eq!(
        fixture.client.resolve(&sp("new/dir/c.txt")).unwrap(),
        fixture.base().join("new/dir/c.txt")
    );
    assert_eq!(
        fixture.client.resolve(&StoragePath::root()).unwrap(),
        fixture.base()
    );
}
