//! Every operation of the client on ordinary files and directories.

use std::fs;
use std::io::Read;
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
fn stat_reports_kind_size_and_modification_time() {
    let fixture = Fixture::new();
    fixture.put("d/file.bin", "12345");

    let file = fixture.client.stat(&sp("d/file.bin")).unwrap();
    assert_eq!(file.kind, EntryKind::File);
    assert_eq!(file.size, 5);
    assert!(file.modified.is_some());
    assert!(!file.is_symlink);

    let dir = fixture.client.stat(&sp("d")).unwrap();
    assert_eq!((dir.kind, dir.size), (EntryKind::Dir, 0));
    let root = fixture.client.stat(&StoragePath::root()).unwrap();
    assert_eq!(root.kind, EntryKind::Dir);
}

#[test]
fn stat_of_a_missing_path_is_not_found_and_names_the_path() {
    let fixture = Fixture::new();
    let error = fixture.client.stat(&sp("nope/x.json")).unwrap_err();
    assert!(matches!(&error, StorageError::NotFound { path } if path == "nope/x.json"));
    assert_eq!(error.class(), ErrorClass::NotFound);
    assert!(error.is_client_error());
    assert_eq!(error.path(), Some("nope/x.json"));
}

#[test]
fn exists_is_false_for_missing_paths_and_paths_below_a_file() {
    let fixture = Fixture::new();
    fixture.put("a/file.txt", "x");
    assert!(fixture.client.exists(&sp("a/file.txt")).unwrap());
    assert!(fixture.client.exists(&sp("a")).unwrap());
    assert!(fixture.client.exists(&StoragePath::root()).unwrap());
    assert!(!fixture.client.exists(&sp("a/other.txt")).unwrap());
    assert!(!fixture.client.exists(&sp("a/file.txt/below")).unwrap());
}

#[test]
fn list_returns_direct_children_sorted_by_name_with_kind_and_size() {
    let fixture = Fixture::new();
    fixture.put("ds/b.txt", "bb");
    fixture.put("ds/a.txt", "a");
    fixture.put("ds/images/1.jpg", "jpeg");
    fixture.put("ds/C.txt", "ccc");

    let entries = fixture.client.list(&sp("ds")).unwrap();
    let summary: Vec<_> = entries
        .iter()
        .map(|e| (e.name.as_str(), e.path.as_str(), e.kind, e.size))
        .collect();
    assert_eq!(
        summary,
        [
            ("C.txt", "ds/C.txt", EntryKind::File, 3),
            ("a.txt", "ds/a.txt", EntryKind::File, 1),
            ("b.txt", "ds/b.txt", EntryKind::File, 2),
            ("images", "ds/images", EntryKind::Dir, 0),
        ]
    );
    assert!(
        entries
            .iter()
            .all(|e| e.modified.is_some() && !e.is_symlink)
    );

    let root: Vec<_> = fixture.client.list(&StoragePath::root()).unwrap();
    assert_eq!(root.len(), 1);
    assert_eq!(root[0].path.as_str(), "ds");
}

#[test]
fn list_refuses_files_and_missing_directories() {
    let fixture = Fixture::new();
    fixture.put("f.txt", "x");
    assert!(matches!(
        fixture.client.list(&sp("f.txt")),
        Err(StorageError::NotADirectory { path }) if path == "f.txt"
    ));
    assert!(matches!(
        fixture.client.list(&sp("missing")),
        Err(StorageError::NotFound { .. })
    ));
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
fn walk_yields_every_entry_depth_first_with_children_sorted() {
    let fixture = Fixture::new();
    fixture.put("ds/b/2.txt", "x");
    fixture.put("ds/b/1.txt", "x");
    fixture.put("ds/a.txt", "x");
    fixture.put("ds/c/d/e.txt", "x");
    fs::create_dir_all(fixture.base().join("ds/empty")).unwrap();

    let paths: Vec<String> = fixture
        .client
        .walk(&sp("ds"))
        .unwrap()
        .map(|entry| entry.unwrap().path.to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "ds/a.txt",
            "ds/b",
            "ds/b/1.txt",
            "ds/b/2.txt",
            "ds/c",
            "ds/c/d",
            "ds/c/d/e.txt",
            "ds/empty",
        ]
    );

    let first_three: Vec<_> = fixture
        .client
        .walk(&sp("ds"))
        .unwrap()
        .take(3)
        .map(|entry| entry.unwrap().name)
        .collect();
    assert_eq!(first_three, ["a.txt", "b", "1.txt"]);
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

#[test]
fn walk_of_a_file_is_refused() {
    let fixture = Fixture::new();
    fixture.put("f.txt", "x");
    assert!(matches!(
        fixture.client.walk(&sp("f.txt")),
        Err(StorageError::NotADirectory { .. })
    ));
}

#[test]
fn open_read_reads_the_whole_file() {
    let fixture = Fixture::new();
    fixture.put("a/b.json", "{\"images\": []}");
    let mut text = String::new();
    fixture
        .client
        .open_read(&sp("a/b.json"))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "{\"images\": []}");
    assert_eq!(fixture.client.read(&sp("a/b.json")).unwrap().len(), 14);
}

#[test]
fn open_read_refuses_directories_and_missing_files() {
    let fixture = Fixture::new();
    fixture.put("a/b.json", "x");
    assert!(matches!(
        fixture.client.open_read(&sp("a")).map(drop),
        Err(StorageError::IsADirectory { path }) if path == "a"
    ));
    assert!(matches!(
        fixture.client.open_read(&StoragePath::root()).map(drop),
        Err(StorageError::IsADirectory { path }) if path == "."
    ));
    assert!(matches!(
        fixture.client.open_read(&sp("a/c.json")).map(drop),
        Err(StorageError::NotFound { .. })
    ));
}

#[test]
fn read_range_returns_the_requested_bytes_shorter_at_the_end() {
    let fixture = Fixture::new();
    fixture.put("f.bin", "0123456789");
    let client = &fixture.client;
    assert_eq!(client.read_range(&sp("f.bin"), 2, 3).unwrap(), b"234");
    assert_eq!(
        client.read_range(&sp("f.bin"), 0, 10).unwrap(),
        b"0123456789"
    );
    assert_eq!(client.read_range(&sp("f.bin"), 8, 100).unwrap(), b"89");
    assert_eq!(client.read_range(&sp("f.bin"), 10, 5).unwrap(), b"");
    assert_eq!(client.read_range(&sp("f.bin"), 50, 5).unwrap(), b"");
    assert_eq!(client.read_range(&sp("f.bin"), 3, 0).unwrap(), b"");
    assert_eq!(
        client.read_range(&sp("f.bin"), 1, u64::MAX).unwrap(),
        b"123456789"
    );
    assert!(matches!(
        client.read_range(&sp("nope"), 0, 1),
        Err(StorageError::NotFound { .. })
    ));
}

#[test]
fn create_dir_all_creates_missing_parents_and_accepts_existing_directories() {
    let fixture = Fixture::new();
    fixture
        .client
        .create_dir_all(&sp("raw/x/train/v1.0.0"))
        .unwrap();
    assert!(fixture.base().join("raw/x/train/v1.0.0").is_dir());
    fixture
        .client
        .create_dir_all(&sp("raw/x/train/v1.0.0"))
        .unwrap();
    fixture.client.create_dir_all(&StoragePath::root()).unwrap();
}

#[test]
fn create_dir_all_refuses_a_path_that_is_or_goes_through_a_file() {
    let fixture = Fixture::new();
    fixture.put("f.txt", "x");
    assert!(matches!(
        fixture.client.create_dir_all(&sp("f.txt")),
        Err(StorageError::NotADirectory { path }) if path == "f.txt"
    ));
    assert!(matches!(
        fixture.client.create_dir_all(&sp("f.txt/sub")),
        Err(StorageError::NotADirectory { .. })
    ));
}

#[test]
fn copy_copies_the_bytes_into_a_new_file_and_creates_parents() {
    let fixture = Fixture::new();
    fixture.put("src/a.jpg", "jpeg bytes");
    let copied = fixture
        .client
        .copy(
            &sp("src/a.jpg"),
            &sp("out/images/a.jpg"),
            WriteOptions::new(),
        )
        .unwrap();
    assert_eq!(copied, 10);
    assert_eq!(fixture.contents("out/images/a.jpg"), "jpeg bytes");
    let source = fs::metadata(fixture.base().join("src/a.jpg")).unwrap();
    let copy = fs::metadata(fixture.base().join("out/images/a.jpg")).unwrap();
    assert_ne!(source.ino(), copy.ino());
}

#[test]
fn copy_refuses_an_existing_target_unless_overwriting() {
    let fixture = Fixture::new();
    fixture.put("a.txt", "new");
    fixture.put("b.txt", "old");
    assert!(matches!(
        fixture.client.copy(&sp("a.txt"), &sp("b.txt"), WriteOptions::new()),
        Err(StorageError::AlreadyExists { path }) if path == "b.txt"
    ));
    assert_eq!(fixture.contents("b.txt"), "old");
    fixture
        .client
        .copy(
            &sp("a.txt"),
            &sp("b.txt"),
            WriteOptions::new().overwrite(true),
        )
        .unwrap();
    assert_eq!(fixture.contents("b.txt"), "new");
}

#[test]
fn copy_refuses_directories_and_missing_sources() {
    let fixture = Fixture::new();
    fixture.put("d/a.txt", "x");
    assert!(matches!(
        fixture.client.copy(&sp("d"), &sp("e"), WriteOptions::new()),
        Err(StorageError::IsADirectory { .. })
    ));
    assert!(matches!(
        fixture.client.copy(&sp("d/nope"), &sp("e"), WriteOptions::new()),
        Err(StorageError::NotFound { path }) if path == "d/nope"
    ));
    assert!(matches!(
        fixture.client.copy(&sp("d/a.txt"), &sp("d"), WriteOptions::new().overwrite(true)),
        Err(StorageError::IsADirectory { path }) if path == "d"
    ));
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
fn link_never_overwrites_and_refuses_directories() {
    let fixture = Fixture::new();
    fixture.put("a.jpg", "a");
    fixture.put("b.jpg", "b");
    fs::create_dir(fixture.base().join("dir")).unwrap();
    assert!(matches!(
        fixture.client.link(&sp("a.jpg"), &sp("b.jpg")),
        Err(StorageError::AlreadyExists { path }) if path == "b.jpg"
    ));
    assert_eq!(fixture.contents("b.jpg"), "b");
    assert!(matches!(
        fixture.client.link(&sp("dir"), &sp("dir2")),
        Err(StorageError::IsADirectory { .. })
    ));
    assert!(matches!(
        fixture.client.link(&sp("missing"), &sp("c.jpg")),
        Err(StorageError::NotFound { .. })
    ));
}

#[test]
fn remove_file_removes_files_and_links_but_not_directories() {
    let fixture = Fixture::new();
    fixture.put("d/a.txt", "x");
    fixture.symlink("link.txt", "d/a.txt");

    fixture.client.remove_file(&sp("link.txt")).unwrap();
    assert!(fs::symlink_metadata(fixture.base().join("link.txt")).is_err());
    assert_eq!(fixture.contents("d/a.txt"), "x", "the link's target stays");

    fixture.client.remove_file(&sp("d/a.txt")).unwrap();
    assert!(!fixture.base().join("d/a.txt").exists());
    assert!(matches!(
        fixture.client.remove_file(&sp("d/a.txt")),
        Err(StorageError::NotFound { .. })
    ));
    assert!(matches!(
        fixture.client.remove_file(&sp("d")),
        Err(StorageError::IsADirectory { .. })
    ));
    assert!(matches!(
        fixture.client.remove_file(&StoragePath::root()),
        Err(StorageError::IsADirectory { .. })
    ));
}

#[test]
fn remove_dir_all_removes_a_tree_but_never_the_base() {
    let fixture = Fixture::new();
    fixture.put("ds/v1/images/a.jpg", "x");
    fixture.put("ds/v1/labels.json", "x");
    fixture.put("keep.txt", "x");

    fixture.client.remove_dir_all(&sp("ds/v1")).unwrap();
    assert!(!fixture.base().join("ds/v1").exists());
    assert!(fixture.base().join("ds").is_dir());

    let error = fixture
        .client
        .remove_dir_all(&StoragePath::root())
        .unwrap_err();
    assert!(matches!(&error, StorageError::InvalidPath { reason, .. } if reason.contains("base")));
    assert!(fixture.base().join("keep.txt").exists());

    assert!(matches!(
        fixture.client.remove_dir_all(&sp("keep.txt")),
        Err(StorageError::NotADirectory { .. })
    ));
    assert!(matches!(
        fixture.client.remove_dir_all(&sp("ds/v1")),
        Err(StorageError::NotFound { .. })
    ));
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

#[test]
fn rename_moves_files_and_directories_creating_parents() {
    let fixture = Fixture::new();
    fixture.put("staging/v1/a.json", "A");
    fixture.put("f.txt", "F");

    fixture
        .client
        .rename(&sp("staging/v1"), &sp("raw/x/train/v1.0.0"))
        .unwrap();
    assert_eq!(fixture.contents("raw/x/train/v1.0.0/a.json"), "A");
    assert!(!fixture.base().join("staging/v1").exists());

    fixture.client.rename(&sp("f.txt"), &sp("g/h.txt")).unwrap();
    assert_eq!(fixture.contents("g/h.txt"), "F");
}

#[test]
fn rename_refuses_existing_targets_the_base_and_moves_into_itself() {
    let fixture = Fixture::new();
    fixture.put("a/x.txt", "a");
    fixture.put("b.txt", "b");
    fs::create_dir(fixture.base().join("empty")).unwrap();
    let client = &fixture.client;

    assert!(matches!(
        client.rename(&sp("a/x.txt"), &sp("b.txt")),
        Err(StorageError::AlreadyExists { path }) if path == "b.txt"
    ));
    assert!(matches!(
        client.rename(&sp("a"), &sp("empty")),
        Err(StorageError::AlreadyExists { .. })
    ));
    assert!(matches!(
        client.rename(&sp("a"), &sp("a/inner")),
        Err(StorageError::InvalidPath { path, .. }) if path == "a/inner"
    ));
    assert!(matches!(
        client.rename(&StoragePath::root(), &sp("z")),
        Err(StorageError::InvalidPath { .. })
    ));
    assert!(matches!(
        client.rename(&sp("a"), &StoragePath::root()),
        Err(StorageError::AlreadyExists { .. })
    ));
    assert!(matches!(
        client.rename(&sp("missing"), &sp("z")),
        Err(StorageError::NotFound { path }) if path == "missing"
    ));
    assert_eq!(fixture.contents("a/x.txt"), "a");
    assert_eq!(fixture.contents("b.txt"), "b");
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

#[test]
fn errors_are_classified_for_the_http_edge() {
    let fixture = Fixture::new();
    fixture.put("a.txt", "x");
    let client = &fixture.client;
    let cases = [
        (StoragePath::parse("../x").unwrap_err(), ErrorClass::BadPath),
        (StoragePath::parse("/x").unwrap_err(), ErrorClass::BadPath),
        (StoragePath::parse("a//b").unwrap_err(), ErrorClass::BadPath),
        (client.stat(&sp("b.txt")).unwrap_err(), ErrorClass::NotFound),
        (
            client
                .write(&sp("a.txt"), b"", WriteOptions::new())
                .unwrap_err(),
            ErrorClass::Conflict,
        ),
        (client.list(&sp("a.txt")).unwrap_err(), ErrorClass::Conflict),
        (
            StorageError::Io {
                path: "a.txt".to_owned(),
                source: std::io::Error::other("disk on fire"),
            },
            ErrorClass::Server,
        ),
    ];
    for (error, class) in cases {
        assert_eq!(error.class(), class, "{error}");
        assert_eq!(error.is_client_error(), class != ErrorClass::Server);
    }
}
