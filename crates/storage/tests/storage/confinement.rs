//! No path leads outside the base: not by parsing, not through symbolic links.

use std::fs;
use std::path::Path;

use datamill_storage::{
    EntryKind, ErrorClass, StorageClient, StorageError, StoragePath, WriteOptions,
};
use tempfile::TempDir;

use crate::{Fixture, sp};

/// A base with links leading outside it, and the outside directory (holding `secret.txt`).
struct Escapes {
    fixture: Fixture,
    outside: TempDir,
}

impl Escapes {
    fn new() -> Self {
        let fixture = Fixture::new();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        fs::create_dir(outside.path().join("sub")).unwrap();
        fixture.symlink("out", outside.path());
        fixture.symlink("secret_link.txt", outside.path().join("secret.txt"));
        fixture.symlink("dangling", outside.path().join("missing/x.txt"));
        fixture.symlink("tmp", "/tmp");
        // A relative link climbing out: ds/up -> ../.. is the base's parent.
        fixture.symlink("ds/up", "../..");
        Self { fixture, outside }
    }

    fn outside_names(&self) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(self.outside.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }
}

#[track_caller]
fn assert_escapes<T: std::fmt::Debug>(result: Result<T, StorageError>, expected_path: &str) {
    match result {
        Err(StorageError::EscapesBase { path }) => assert_eq!(path, expected_path),
        other => panic!("expected EscapesBase for {expected_path}, got {other:?}"),
    }
}

#[test]
fn paths_that_could_escape_are_refused_before_touching_the_disk() {
    for (input, class) in [
        ("../x", "traversal"),
        ("a/../../x", "traversal"),
        ("%2e%2e/x", "traversal"),
        ("/etc/passwd", "absolute"),
        ("a%2fb", "invalid"),
        ("a\0b", "invalid"),
        ("a\\..\\b", "invalid"),
    ] {
        let error = StoragePath::parse(input).unwrap_err();
        let matched = match class {
            "traversal" => matches!(error, StorageError::Traversal { .. }),
            "absolute" => matches!(error, StorageError::Absolute { .. }),
            _ => matches!(error, StorageError::InvalidPath { .. }),
        };
        assert!(matched, "{input:?}: {error:?}");
        assert_eq!(error.class(), ErrorClass::BadPath);
        assert_eq!(error.path(), Some(input));
        let shown = input.replace('\0', "\\u{0}");
        assert!(error.to_string().contains(&shown), "{error}");
    }
}

#[test]
fn reading_through_a_link_to_outside_is_refused() {
    let escapes = Escapes::new();
    let client = &escapes.fixture.client;
    assert_escapes(
        client.open_read(&sp("out/secret.txt")).map(drop),
        "out/secret.txt",
    );
    assert_escapes(client.read(&sp("out/secret.txt")), "out/secret.txt");
    assert_escapes(
        client.read_range(&sp("out/secret.txt"), 0, 3),
        "out/secret.txt",
    );
    assert_escapes(
        client.open_read(&sp("secret_link.txt")).map(drop),
        "secret_link.txt",
    );
    assert_escapes(client.stat(&sp("out/secret.txt")), "out/secret.txt");
    assert_escapes(client.stat(&sp("out")), "out");
    assert_escapes(client.stat(&sp("secret_link.txt")), "secret_link.txt");
    assert_escapes(client.stat(&sp("tmp")), "tmp");
    assert_escapes(client.exists(&sp("out/secret.txt")), "out/secret.txt");
    assert_escapes(client.exists(&sp("out/nothing-here")), "out/nothing-here");
    assert_escapes(client.resolve(&sp("out/secret.txt")), "out/secret.txt");
    assert_escapes(client.stat(&sp("ds/up")), "ds/up");
    assert_escapes(client.stat(&sp("ds/up/etc")), "ds/up/etc");
    let error = client.stat(&sp("out")).unwrap_err();
    assert_eq!(error.class(), ErrorClass::BadPath);
    assert!(
        !error
            .to_string()
            .contains(&*escapes.outside.path().to_string_lossy()),
        "the message does not reveal where the link points: {error}"
    );
}

#[test]
fn listing_through_a_link_to_outside_is_refused() {
    let escapes = Escapes::new();
    let client = &escapes.fixture.client;
    assert_escapes(client.list(&sp("out")), "out");
    assert_escapes(client.list(&sp("out/sub")), "out/sub");
    assert_escapes(client.list(&sp("tmp")), "tmp");
    assert_escapes(client.walk(&sp("out")).map(drop), "out");
}

#[test]
fn listings_show_links_to_outside_without_describing_their_targets() {
    let escapes = Escapes::new();
    let entries = escapes.fixture.client.list(&StoragePath::root()).unwrap();
    let summary: Vec<_> = entries
        .iter()
        .map(|e| (e.name.as_str(), e.kind, e.size, e.is_symlink))
        .collect();
    assert_eq!(
        summary,
        [
            ("dangling", EntryKind::Other, 0, true),
            ("ds", EntryKind::Dir, 0, false),
            ("out", EntryKind::Other, 0, true),
            ("secret_link.txt", EntryKind::Other, 0, true),
            ("tmp", EntryKind::Other, 0, true),
        ]
    );
    assert!(
        entries
            .iter()
            .filter(|e| e.is_symlink)
            .all(|e| e.modified.is_none())
    );

    let walked: Vec<_> = escapes
        .fixture
        .client
        .walk(&StoragePath::root())
        .unwrap()
        .map(|e| e.unwrap().path.to_string())
        .collect();
    assert_eq!(
        walked,
        ["dangling", "ds", "ds/up", "out", "secret_link.txt", "tmp"]
    );
}

#[test]
fn writing_through_a_link_to_outside_is_refused_and_creates_nothing_there() {
    let escapes = Escapes::new();
    let client = &escapes.fixture.client;
    escapes.fixture.put("inside.txt", "inside");
    let before = escapes.outside_names();

    assert_escapes(
        client
            .create_write(&sp("out/new.txt"), WriteOptions::new())
            .map(drop),
        "out/new.txt",
    );
    assert_escapes(
        client.write(&sp("out/sub/deeper/new.txt"), b"x", WriteOptions::new()),
        "out/sub/deeper/new.txt",
    );
    assert_escapes(
        client.write(
            &sp("secret_link.txt"),
            b"pwned",
            WriteOptions::new().overwrite(true),
        ),
        "secret_link.txt",
    );
    assert_escapes(client.create_dir_all(&sp("out/made")), "out/made");
    assert_escapes(
        client.copy(
            &sp("inside.txt"),
            &sp("out/copied.txt"),
            WriteOptions::new(),
        ),
        "out/copied.txt",
    );
    assert_escapes(
        client.copy(
            &sp("out/secret.txt"),
            &sp("stolen.txt"),
            WriteOptions::new(),
        ),
        "out/secret.txt",
    );
    assert_escapes(
        client.link(&sp("inside.txt"), &sp("out/linked.txt")),
        "out/linked.txt",
    );
    assert_escapes(
        client.link(&sp("out/secret.txt"), &sp("stolen.txt")),
        "out/secret.txt",
    );
    assert_escapes(
        client.rename(&sp("inside.txt"), &sp("out/moved.txt")),
        "out/moved.txt",
    );
    assert_escapes(
        client.rename(&sp("out/secret.txt"), &sp("moved.txt")),
        "out/secret.txt",
    );
    assert_escapes(client.remove_file(&sp("out/secret.txt")), "out/secret.txt");
    assert_escapes(client.remove_dir_all(&sp("out/sub")), "out/sub");
    assert_escapes(client.create_dir_all(&sp("ds/up/escaped")), "ds/up/escaped");
    // Bulk writes (no staging) create new files in one open: confined all the same.
    let bulk = WriteOptions::new().atomic(false).sync(false);
    for path in [
        "out/bulk.txt",
        "out/sub/bulk.txt",
        "ds/up/bulk.txt",
        "tmp/bulk.txt",
    ] {
        assert_escapes(client.write(&sp(path), b"x", bulk), path);
    }
    assert_escapes(
        client.write(&sp("dangling"), b"x", bulk.overwrite(true)),
        "dangling",
    );
    assert_escapes(
        client.write(&sp("secret_link.txt"), b"x", bulk.overwrite(true)),
        "secret_link.txt",
    );
    assert!(!escapes.outside.path().join("missing").exists());
    assert!(!escapes.outside.path().join("sub/bulk.txt").exists());

    assert_eq!(escapes.outside_names(), before);
    assert_eq!(
        fs::read_to_string(escapes.outside.path().join("secret.txt")).unwrap(),
        "secret"
    );
    assert!(escapes.outside.path().join("sub").is_dir());
    assert_eq!(escapes.fixture.contents("inside.txt"), "inside");
    assert!(!escapes.fixture.base().join("stolen.txt").exists());
}

#[test]
fn a_dangling_link_pointing_outside_is_refused() {
    let escapes = Escapes::new();
    let client = &escapes.fixture.client;
    assert_escapes(client.stat(&sp("dangling")), "dangling");
    assert_escapes(client.exists(&sp("dangling")), "dangling");
    assert_escapes(
        client.write(&sp("dangling"), b"x", WriteOptions::new().overwrite(true)),
        "dangling",
    );
    assert_escapes(client.create_dir_all(&sp("dangling/x")), "dangling/x");
    assert!(!escapes.outside.path().join("missing").exists());
}

#[test]
fn a_relative_link_climbing_out_of_a_newly_named_place_is_refused() {
    let fixture = Fixture::new();
    let base_name = fixture
        .base()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    // ds/sibling -> ../../<something next to the base>
    fixture.symlink("ds/sibling", format!("../../{base_name}-sibling"));
    assert_escapes(
        fixture
            .client
            .write(&sp("ds/sibling/x"), b"x", WriteOptions::new()),
        "ds/sibling/x",
    );
    assert!(
        !fixture
            .base()
            .with_file_name(format!("{base_name}-sibling"))
            .exists()
    );
}

#[test]
fn links_from_inside_the_base_to_inside_the_base_are_followed() {
    let fixture = Fixture::new();
    fixture.put("data/real.txt", "real");
    fixture.symlink("alias", "data");
    fixture.symlink("abs_alias", fixture.base().join("data"));
    fixture.symlink("file_link.txt", "data/real.txt");
    fixture.symlink("chain", "alias");
    let base_name = fixture
        .base()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    // Leaves the base and comes back: only where it ends matters.
    fixture.symlink("round_trip", format!("../{base_name}/data"));
    let client = &fixture.client;

    for path in [
        "alias/real.txt",
        "abs_alias/real.txt",
        "chain/real.txt",
        "round_trip/real.txt",
        "file_link.txt",
    ] {
        assert_eq!(client.read(&sp(path)).unwrap(), b"real", "{path}");
        assert_eq!(
            client.resolve(&sp(path)).unwrap(),
            fixture.base().join("data/real.txt"),
            "{path}"
        );
    }
    let meta = client.stat(&sp("file_link.txt")).unwrap();
    assert!(meta.is_symlink);
    assert_eq!((meta.kind, meta.size), (EntryKind::File, 4));

    let names: Vec<_> = client
        .list(&sp("alias"))
        .unwrap()
        .into_iter()
        .map(|e| e.path.to_string())
        .collect();
    assert_eq!(names, ["alias/real.txt"]);

    let root = client.list(&StoragePath::root()).unwrap();
    let alias = root.iter().find(|e| e.name == "alias").unwrap();
    assert_eq!((alias.kind, alias.is_symlink), (EntryKind::Dir, true));
    let file_link = root.iter().find(|e| e.name == "file_link.txt").unwrap();
    assert_eq!((file_link.kind, file_link.size), (EntryKind::File, 4));

    client
        .write(&sp("alias/new.txt"), b"new", WriteOptions::new())
        .unwrap();
    assert_eq!(fixture.contents("data/new.txt"), "new");
    client.create_dir_all(&sp("abs_alias/sub/dir")).unwrap();
    assert!(fixture.base().join("data/sub/dir").is_dir());
}

#[test]
fn overwriting_through_a_final_link_inside_the_base_replaces_the_target_file() {
    let fixture = Fixture::new();
    fixture.put("data/real.txt", "old");
    fixture.symlink("file_link.txt", "data/real.txt");
    fixture
        .client
        .write(
            &sp("file_link.txt"),
            b"new",
            WriteOptions::new().overwrite(true),
        )
        .unwrap();
    assert_eq!(fixture.contents("data/real.txt"), "new");
    assert!(
        fs::symlink_metadata(fixture.base().join("file_link.txt"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
}

#[test]
fn a_dangling_link_inside_the_base_is_a_name_that_exists_but_has_no_file() {
    let fixture = Fixture::new();
    fixture.symlink("later.txt", "data/later.txt");
    let client = &fixture.client;
    assert!(matches!(
        client.stat(&sp("later.txt")),
        Err(StorageError::NotFound { .. })
    ));
    assert!(!client.exists(&sp("later.txt")).unwrap());
    assert!(matches!(
        client.write(&sp("later.txt"), b"x", WriteOptions::new()),
        Err(StorageError::AlreadyExists { .. })
    ));
    client
        .write(&sp("later.txt"), b"x", WriteOptions::new().overwrite(true))
        .unwrap();
    assert_eq!(fixture.contents("data/later.txt"), "x");
}

#[test]
fn a_symlink_loop_is_a_storage_error_not_a_hang() {
    let fixture = Fixture::new();
    fixture.symlink("loop1", "loop2");
    fixture.symlink("loop2", "loop1");
    let error = fixture.client.stat(&sp("loop1/x")).unwrap_err();
    assert!(
        matches!(&error, StorageError::Io { path, .. } if path == "loop1/x"),
        "{error:?}"
    );
    assert!(error.to_string().contains("symbolic links"), "{error}");
}

#[test]
fn removing_a_link_to_outside_is_refused_and_leaves_its_target() {
    let escapes = Escapes::new();
    assert_escapes(escapes.fixture.client.remove_dir_all(&sp("out")), "out");
    assert_escapes(
        escapes.fixture.client.remove_file(&sp("secret_link.txt")),
        "secret_link.txt",
    );
    assert!(escapes.outside.path().join("secret.txt").exists());
    assert!(Path::new(&escapes.fixture.base().join("out")).exists());
}
