//! What every backend does alike, run against the local client (in a temporary directory) and the
//! in-memory one: a second backend is only a second backend if it passes the same tests.

use std::io::{Read, Write};

use datamill_storage::{
    EntryKind, ErrorClass, StorageClient, StorageError, StoragePath, WriteOptions,
};

use crate::sp;

/// Each test below, once per backend.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod local {
            $(
                #[test]
                fn $name() {
                    let fixture = crate::Fixture::new();
                    super::$name(&fixture.client);
                }
            )*
        }
        mod memory {
            $(
                #[test]
                fn $name() {
                    super::$name(&datamill_storage::testing::MemoryStorageClient::new());
                }
            )*
        }
    };
}

contract!(
    stat_reports_kind_size_and_modification_time,
    stat_of_a_missing_path_is_not_found_and_names_the_path,
    exists_is_false_for_missing_paths_and_paths_below_a_file,
    list_returns_direct_children_sorted_by_name_with_kind_and_size,
    list_refuses_files_and_missing_directories,
    walk_yields_every_entry_depth_first_with_children_sorted,
    walk_of_a_file_is_refused,
    open_read_reads_the_whole_file,
    open_read_refuses_directories_and_missing_files,
    read_range_returns_the_requested_bytes_shorter_at_the_end,
    create_dir_all_creates_missing_parents_and_accepts_existing_directories,
    create_dir_all_refuses_a_path_that_is_or_goes_through_a_file,
    copy_copies_the_bytes_into_a_new_file_and_creates_parents,
    copy_refuses_an_existing_target_unless_overwriting,
    copy_refuses_directories_and_missing_sources,
    link_gives_a_second_name_never_overwrites_and_refuses_directories,
    remove_file_removes_files_but_not_directories,
    remove_dir_all_removes_a_tree_but_never_the_base,
    rename_moves_files_and_directories_creating_parents,
    rename_refuses_existing_targets_the_base_and_moves_into_itself,
    errors_are_classified_for_the_http_edge,
    a_written_file_appears_only_when_committed,
    dropping_a_writer_without_commit_leaves_nothing_behind,
    dropping_an_overwriting_writer_keeps_the_old_file,
    an_existing_file_is_refused_unless_overwrite_is_asked_for,
    a_file_appearing_during_the_write_is_not_clobbered_at_commit,
    overwriting_a_linked_file_leaves_the_other_name_unchanged,
    writing_to_a_directory_or_the_base_is_refused,
    writing_below_a_file_is_refused,
    unsynced_writes_and_many_small_writes_land_whole,
    non_atomic_writes_and_copies_land_whole_and_keep_the_rules,
    names_reserved_for_unfinished_writes_cannot_be_created,
);

/// Writes a file through the client, creating parents.
fn put(client: &dyn StorageClient, path: &str, contents: &str) {
    client
        .write(
            &sp(path),
            contents.as_bytes(),
            WriteOptions::new().overwrite(true).sync(false),
        )
        .unwrap();
}

fn contents(client: &dyn StorageClient, path: &str) -> String {
    String::from_utf8(client.read(&sp(path)).unwrap()).unwrap()
}

fn names(client: &dyn StorageClient, dir: &str) -> Vec<String> {
    client
        .list(&sp(dir))
        .unwrap()
        .into_iter()
        .map(|entry| entry.name)
        .collect()
}

fn stat_reports_kind_size_and_modification_time(client: &dyn StorageClient) {
    put(client, "d/file.bin", "12345");

    let file = client.stat(&sp("d/file.bin")).unwrap();
    assert_eq!(file.kind, EntryKind::File);
    assert_eq!(file.size, 5);
    assert!(file.modified.is_some());
    assert!(!file.is_symlink);

    let dir = client.stat(&sp("d")).unwrap();
    assert_eq!((dir.kind, dir.size), (EntryKind::Dir, 0));
    let root = client.stat(&StoragePath::root()).unwrap();
    assert_eq!(root.kind, EntryKind::Dir);
}

fn stat_of_a_missing_path_is_not_found_and_names_the_path(client: &dyn StorageClient) {
    let error = client.stat(&sp("nope/x.json")).unwrap_err();
    assert!(matches!(&error, StorageError::NotFound { path } if path == "nope/x.json"));
    assert_eq!(error.class(), ErrorClass::NotFound);
    assert!(error.is_client_error());
    assert_eq!(error.path(), Some("nope/x.json"));
}

fn exists_is_false_for_missing_paths_and_paths_below_a_file(client: &dyn StorageClient) {
    put(client, "a/file.txt", "x");
    assert!(client.exists(&sp("a/file.txt")).unwrap());
    assert!(client.exists(&sp("a")).unwrap());
    assert!(client.exists(&StoragePath::root()).unwrap());
    assert!(!client.exists(&sp("a/other.txt")).unwrap());
    assert!(!client.exists(&sp("a/file.txt/below")).unwrap());
}

fn list_returns_direct_children_sorted_by_name_with_kind_and_size(client: &dyn StorageClient) {
    put(client, "ds/b.txt", "bb");
    put(client, "ds/a.txt", "a");
    put(client, "ds/images/1.jpg", "jpeg");
    put(client, "ds/C.txt", "ccc");
    // Sorts between `images` and `images/…` by key, not by name: must not confuse a listing.
    put(client, "ds/images.txt", "i");

    let entries = client.list(&sp("ds")).unwrap();
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
            ("images.txt", "ds/images.txt", EntryKind::File, 1),
        ]
    );
    assert!(
        entries
            .iter()
            .all(|e| e.modified.is_some() && !e.is_symlink)
    );

    let root: Vec<_> = client.list(&StoragePath::root()).unwrap();
    assert_eq!(root.len(), 1);
    assert_eq!(root[0].path.as_str(), "ds");
}

fn list_refuses_files_and_missing_directories(client: &dyn StorageClient) {
    put(client, "f.txt", "x");
    assert!(matches!(
        client.list(&sp("f.txt")),
        Err(StorageError::NotADirectory { path }) if path == "f.txt"
    ));
    assert!(matches!(
        client.list(&sp("missing")),
        Err(StorageError::NotFound { .. })
    ));
}

fn walk_yields_every_entry_depth_first_with_children_sorted(client: &dyn StorageClient) {
    put(client, "ds/b/2.txt", "x");
    put(client, "ds/b/1.txt", "x");
    put(client, "ds/a.txt", "x");
    put(client, "ds/c/d/e.txt", "x");
    put(client, "ds/b.txt", "x");
    client.create_dir_all(&sp("ds/empty")).unwrap();

    let paths: Vec<String> = client
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
            "ds/b.txt",
            "ds/c",
            "ds/c/d",
            "ds/c/d/e.txt",
            "ds/empty",
        ]
    );

    let first_three: Vec<_> = client
        .walk(&sp("ds"))
        .unwrap()
        .take(3)
        .map(|entry| entry.unwrap().name)
        .collect();
    assert_eq!(first_three, ["a.txt", "b", "1.txt"]);
}

fn walk_of_a_file_is_refused(client: &dyn StorageClient) {
    put(client, "f.txt", "x");
    assert!(matches!(
        client.walk(&sp("f.txt")).map(drop),
        Err(StorageError::NotADirectory { .. })
    ));
}

fn open_read_reads_the_whole_file(client: &dyn StorageClient) {
    put(client, "a/b.json", "{\"images\": []}");
    let mut text = String::new();
    client
        .open_read(&sp("a/b.json"))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "{\"images\": []}");
    assert_eq!(client.read(&sp("a/b.json")).unwrap().len(), 14);
}

fn open_read_refuses_directories_and_missing_files(client: &dyn StorageClient) {
    put(client, "a/b.json", "x");
    assert!(matches!(
        client.open_read(&sp("a")).map(drop),
        Err(StorageError::IsADirectory { path }) if path == "a"
    ));
    assert!(matches!(
        client.open_read(&StoragePath::root()).map(drop),
        Err(StorageError::IsADirectory { path }) if path == "."
    ));
    assert!(matches!(
        client.open_read(&sp("a/c.json")).map(drop),
        Err(StorageError::NotFound { .. })
    ));
    assert!(matches!(
        client.read(&sp("a")),
        Err(StorageError::IsADirectory { .. })
    ));
    assert!(matches!(
        client.read(&sp("a/b.json/c")),
        Err(StorageError::NotADirectory { .. })
    ));
}

fn read_range_returns_the_requested_bytes_shorter_at_the_end(client: &dyn StorageClient) {
    put(client, "f.bin", "0123456789");
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

fn create_dir_all_creates_missing_parents_and_accepts_existing_directories(
    client: &dyn StorageClient,
) {
    client.create_dir_all(&sp("raw/x/train/v1.0.0")).unwrap();
    assert_eq!(
        client.stat(&sp("raw/x/train/v1.0.0")).unwrap().kind,
        EntryKind::Dir
    );
    assert_eq!(client.stat(&sp("raw/x")).unwrap().kind, EntryKind::Dir);
    client.create_dir_all(&sp("raw/x/train/v1.0.0")).unwrap();
    client.create_dir_all(&StoragePath::root()).unwrap();
}

fn create_dir_all_refuses_a_path_that_is_or_goes_through_a_file(client: &dyn StorageClient) {
    put(client, "f.txt", "x");
    assert!(matches!(
        client.create_dir_all(&sp("f.txt")),
        Err(StorageError::NotADirectory { path }) if path == "f.txt"
    ));
    assert!(matches!(
        client.create_dir_all(&sp("f.txt/sub")),
        Err(StorageError::NotADirectory { .. })
    ));
}

fn copy_copies_the_bytes_into_a_new_file_and_creates_parents(client: &dyn StorageClient) {
    put(client, "src/a.jpg", "jpeg bytes");
    let copied = client
        .copy(
            &sp("src/a.jpg"),
            &sp("out/images/a.jpg"),
            WriteOptions::new(),
        )
        .unwrap();
    assert_eq!(copied.bytes, 10);
    assert_eq!(contents(client, "out/images/a.jpg"), "jpeg bytes");
    assert_eq!(contents(client, "src/a.jpg"), "jpeg bytes");
}

fn copy_refuses_an_existing_target_unless_overwriting(client: &dyn StorageClient) {
    put(client, "a.txt", "new");
    put(client, "b.txt", "old");
    assert!(matches!(
        client.copy(&sp("a.txt"), &sp("b.txt"), WriteOptions::new()),
        Err(StorageError::AlreadyExists { path }) if path == "b.txt"
    ));
    assert_eq!(contents(client, "b.txt"), "old");
    client
        .copy(
            &sp("a.txt"),
            &sp("b.txt"),
            WriteOptions::new().overwrite(true),
        )
        .unwrap();
    assert_eq!(contents(client, "b.txt"), "new");
}

fn copy_refuses_directories_and_missing_sources(client: &dyn StorageClient) {
    put(client, "d/a.txt", "x");
    assert!(matches!(
        client.copy(&sp("d"), &sp("e"), WriteOptions::new()),
        Err(StorageError::IsADirectory { .. })
    ));
    assert!(matches!(
        client.copy(&sp("d/nope"), &sp("e"), WriteOptions::new()),
        Err(StorageError::NotFound { path }) if path == "d/nope"
    ));
    assert!(matches!(
        client.copy(&sp("d/a.txt"), &sp("d"), WriteOptions::new().overwrite(true)),
        Err(StorageError::IsADirectory { path }) if path == "d"
    ));
}

fn link_gives_a_second_name_never_overwrites_and_refuses_directories(client: &dyn StorageClient) {
    put(client, "a.jpg", "a");
    put(client, "b.jpg", "b");
    client.create_dir_all(&sp("dir")).unwrap();
    client.link(&sp("a.jpg"), &sp("v2/images/a.jpg")).unwrap();
    assert_eq!(contents(client, "v2/images/a.jpg"), "a");
    assert!(matches!(
        client.link(&sp("a.jpg"), &sp("b.jpg")),
        Err(StorageError::AlreadyExists { path }) if path == "b.jpg"
    ));
    assert_eq!(contents(client, "b.jpg"), "b");
    assert!(matches!(
        client.link(&sp("dir"), &sp("dir2")),
        Err(StorageError::IsADirectory { .. })
    ));
    assert!(matches!(
        client.link(&sp("missing"), &sp("c.jpg")),
        Err(StorageError::NotFound { .. })
    ));
}

fn remove_file_removes_files_but_not_directories(client: &dyn StorageClient) {
    put(client, "d/a.txt", "x");
    client.remove_file(&sp("d/a.txt")).unwrap();
    assert!(!client.exists(&sp("d/a.txt")).unwrap());
    assert!(matches!(
        client.remove_file(&sp("d/a.txt")),
        Err(StorageError::NotFound { .. })
    ));
    assert!(matches!(
        client.remove_file(&sp("d")),
        Err(StorageError::IsADirectory { .. })
    ));
    assert!(matches!(
        client.remove_file(&StoragePath::root()),
        Err(StorageError::IsADirectory { .. })
    ));
}

fn remove_dir_all_removes_a_tree_but_never_the_base(client: &dyn StorageClient) {
    put(client, "ds/v1/images/a.jpg", "x");
    put(client, "ds/v1/labels.json", "x");
    put(client, "ds/v10/labels.json", "x");
    put(client, "keep.txt", "x");

    client.remove_dir_all(&sp("ds/v1")).unwrap();
    assert!(!client.exists(&sp("ds/v1")).unwrap());
    assert!(!client.exists(&sp("ds/v1/images/a.jpg")).unwrap());
    assert_eq!(names(client, "ds"), ["v10"]);

    let error = client.remove_dir_all(&StoragePath::root()).unwrap_err();
    assert!(matches!(&error, StorageError::InvalidPath { reason, .. } if reason.contains("base")));
    assert!(client.exists(&sp("keep.txt")).unwrap());

    assert!(matches!(
        client.remove_dir_all(&sp("keep.txt")),
        Err(StorageError::NotADirectory { .. })
    ));
    assert!(matches!(
        client.remove_dir_all(&sp("ds/v1")),
        Err(StorageError::NotFound { .. })
    ));
}

fn rename_moves_files_and_directories_creating_parents(client: &dyn StorageClient) {
    put(client, "staging/v1/a.json", "A");
    put(client, "staging/v1/images/1.jpg", "1");
    put(client, "f.txt", "F");

    client
        .rename(&sp("staging/v1"), &sp("raw/x/train/v1.0.0"))
        .unwrap();
    assert_eq!(contents(client, "raw/x/train/v1.0.0/a.json"), "A");
    assert_eq!(contents(client, "raw/x/train/v1.0.0/images/1.jpg"), "1");
    assert!(!client.exists(&sp("staging/v1")).unwrap());
    assert!(client.list(&sp("staging")).unwrap().is_empty());

    client.rename(&sp("f.txt"), &sp("g/h.txt")).unwrap();
    assert_eq!(contents(client, "g/h.txt"), "F");
}

fn rename_refuses_existing_targets_the_base_and_moves_into_itself(client: &dyn StorageClient) {
    put(client, "a/x.txt", "a");
    put(client, "b.txt", "b");
    client.create_dir_all(&sp("empty")).unwrap();

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
    assert_eq!(contents(client, "a/x.txt"), "a");
    assert_eq!(contents(client, "b.txt"), "b");
}

fn errors_are_classified_for_the_http_edge(client: &dyn StorageClient) {
    put(client, "a.txt", "x");
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

fn a_written_file_appears_only_when_committed(client: &dyn StorageClient) {
    let mut writer = client
        .create_write(&sp("ds/v1/labels.json"), WriteOptions::new())
        .unwrap();
    writer.write_all(b"{\"images\": ").unwrap();
    writer.write_all(b"[]}").unwrap();

    assert!(!client.exists(&sp("ds/v1/labels.json")).unwrap());
    assert!(
        client.list(&sp("ds/v1")).unwrap().is_empty(),
        "nothing unfinished is listed"
    );

    writer.commit().unwrap();
    assert_eq!(contents(client, "ds/v1/labels.json"), "{\"images\": []}");
    assert_eq!(names(client, "ds/v1"), ["labels.json"]);
}

fn dropping_a_writer_without_commit_leaves_nothing_behind(client: &dyn StorageClient) {
    client.create_dir_all(&sp("ds")).unwrap();
    for options in [WriteOptions::new(), WriteOptions::new().atomic(false)] {
        let mut writer = client.create_write(&sp("ds/half.json"), options).unwrap();
        writer.write_all(&vec![b'x'; 1_000_000]).unwrap();
        drop(writer);
        assert!(client.list(&sp("ds")).unwrap().is_empty(), "{options:?}");
    }
}

fn dropping_an_overwriting_writer_keeps_the_old_file(client: &dyn StorageClient) {
    put(client, "a.json", "old");
    let mut writer = client
        .create_write(&sp("a.json"), WriteOptions::new().overwrite(true))
        .unwrap();
    writer.write_all(b"new").unwrap();
    drop(writer);
    assert_eq!(contents(client, "a.json"), "old");
    assert_eq!(names(client, ""), ["a.json"]);
}

fn an_existing_file_is_refused_unless_overwrite_is_asked_for(client: &dyn StorageClient) {
    put(client, "a.json", "old");
    let error = client
        .create_write(&sp("a.json"), WriteOptions::new())
        .unwrap_err();
    assert!(matches!(&error, StorageError::AlreadyExists { path } if path == "a.json"));
    assert!(
        error.to_string().contains("`a.json` already exists"),
        "{error}"
    );

    client
        .write(&sp("a.json"), b"new", WriteOptions::new().overwrite(true))
        .unwrap();
    assert_eq!(contents(client, "a.json"), "new");
    assert_eq!(names(client, ""), ["a.json"]);
}

fn a_file_appearing_during_the_write_is_not_clobbered_at_commit(client: &dyn StorageClient) {
    let mut writer = client
        .create_write(&sp("race.json"), WriteOptions::new())
        .unwrap();
    writer.write_all(b"mine").unwrap();
    put(client, "race.json", "theirs");

    assert!(matches!(
        writer.commit(),
        Err(StorageError::AlreadyExists { path }) if path == "race.json"
    ));
    assert_eq!(contents(client, "race.json"), "theirs");
    assert_eq!(names(client, ""), ["race.json"]);
}

fn overwriting_a_linked_file_leaves_the_other_name_unchanged(client: &dyn StorageClient) {
    put(client, "v1/a.json", "v1 content");
    put(client, "v1/b.json", "v1 content");
    client.link(&sp("v1/a.json"), &sp("v2/a.json")).unwrap();
    client.link(&sp("v1/b.json"), &sp("v2/b.json")).unwrap();
    client
        .write(
            &sp("v2/a.json"),
            b"v2 content",
            WriteOptions::new().overwrite(true),
        )
        .unwrap();
    client
        .write(
            &sp("v2/b.json"),
            b"v2 content",
            WriteOptions::new().overwrite(true).atomic(false),
        )
        .unwrap();
    for name in ["a.json", "b.json"] {
        assert_eq!(contents(client, &format!("v1/{name}")), "v1 content");
        assert_eq!(contents(client, &format!("v2/{name}")), "v2 content");
    }
}

fn writing_to_a_directory_or_the_base_is_refused(client: &dyn StorageClient) {
    client.create_dir_all(&sp("d")).unwrap();
    for (path, shown) in [(sp("d"), "d"), (StoragePath::root(), ".")] {
        let error = client
            .create_write(&path, WriteOptions::new().overwrite(true))
            .unwrap_err();
        assert!(
            matches!(&error, StorageError::IsADirectory { path } if path == shown),
            "{error:?}"
        );
    }
}

fn writing_below_a_file_is_refused(client: &dyn StorageClient) {
    put(client, "f.txt", "x");
    assert!(matches!(
        client
            .create_write(&sp("f.txt/g.txt"), WriteOptions::new())
            .map(drop),
        Err(StorageError::NotADirectory { .. })
    ));
}

fn unsynced_writes_and_many_small_writes_land_whole(client: &dyn StorageClient) {
    let mut writer = client
        .create_write(&sp("lines.txt"), WriteOptions::new().sync(false))
        .unwrap();
    for i in 0..10_000 {
        writeln!(writer, "{i}").unwrap();
    }
    writer.flush().unwrap();
    writer.commit().unwrap();
    let text = contents(client, "lines.txt");
    assert_eq!(text.lines().count(), 10_000);
    assert_eq!(text.lines().last(), Some("9999"));
}

fn non_atomic_writes_and_copies_land_whole_and_keep_the_rules(client: &dyn StorageClient) {
    let bulk = WriteOptions::new().atomic(false).sync(false);
    client.write(&sp("out/a.txt"), b"first", bulk).unwrap();
    assert_eq!(contents(client, "out/a.txt"), "first");
    assert!(matches!(
        client.write(&sp("out/a.txt"), b"again", bulk),
        Err(StorageError::AlreadyExists { .. })
    ));
    client
        .write(&sp("out/a.txt"), b"second", bulk.overwrite(true))
        .unwrap();
    assert_eq!(contents(client, "out/a.txt"), "second");

    put(client, "src.jpg", "0123456789");
    let copied = client
        .copy(&sp("src.jpg"), &sp("out/images/src.jpg"), bulk)
        .unwrap();
    assert_eq!(copied.bytes, 10);
    put(client, "out/images/short.jpg", "01234");
    client
        .copy(
            &sp("src.jpg"),
            &sp("out/images/short.jpg"),
            bulk.overwrite(true),
        )
        .unwrap();
    assert_eq!(contents(client, "out/images/short.jpg"), "0123456789");
    assert_eq!(names(client, "out/images"), ["short.jpg", "src.jpg"]);
}

fn names_reserved_for_unfinished_writes_cannot_be_created(client: &dyn StorageClient) {
    put(client, "a.txt", "x");
    let reserved = sp("d/.datamill-tmp-x/f.txt");
    for result in [
        client.write(&reserved, b"x", WriteOptions::new()),
        client.create_dir_all(&reserved),
        client
            .copy(&sp("a.txt"), &reserved, WriteOptions::new())
            .map(drop),
        client.link(&sp("a.txt"), &reserved).map(drop),
        client.rename(&sp("a.txt"), &reserved),
    ] {
        assert!(
            matches!(&result, Err(StorageError::InvalidPath { reason, .. }) if reason.contains("reserved")),
            "{result:?}"
        );
    }
    assert_eq!(names(client, ""), ["a.txt"]);
}
