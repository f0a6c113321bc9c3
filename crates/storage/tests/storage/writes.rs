//! Atomic writes: nothing appears before commit, nothing stays after a dropped writer.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

use datamill_storage::{StorageClient, StorageError, StoragePath, WriteOptions};

use crate::{Fixture, sp};

#[test]
fn a_written_file_appears_only_when_committed() {
    let fixture = Fixture::new();
    let mut writer = fixture
        .client
        .create_write(&sp("ds/v1/labels.json"), WriteOptions::new())
        .unwrap();
    writer.write_all(b"{\"images\": ").unwrap();
    writer.write_all(b"[]}").unwrap();

    assert!(!fixture.client.exists(&sp("ds/v1/labels.json")).unwrap());
    assert!(
        fixture.client.list(&sp("ds/v1")).unwrap().is_empty(),
        "the temporary file is hidden"
    );
    assert_eq!(fixture.names_on_disk("ds/v1").len(), 1, "but it is on disk");

    writer.commit().unwrap();
    assert_eq!(fixture.contents("ds/v1/labels.json"), "{\"images\": []}");
    assert_eq!(fixture.names_on_disk("ds/v1"), ["labels.json"]);
}

#[test]
fn dropping_a_writer_without_commit_leaves_nothing_behind() {
    let fixture = Fixture::new();
    fixture.client.create_dir_all(&sp("ds")).unwrap();
    let mut writer = fixture
        .client
        .create_write(&sp("ds/half.json"), WriteOptions::new())
        .unwrap();
    writer.write_all(&vec![b'x'; 1_000_000]).unwrap();
    drop(writer);
    assert!(fixture.names_on_disk("ds").is_empty());
}

#[test]
fn dropping_an_overwriting_writer_keeps_the_old_file() {
    let fixture = Fixture::new();
    fixture.put("a.json", "old");
    let mut writer = fixture
        .client
        .create_write(&sp("a.json"), WriteOptions::new().overwrite(true))
        .unwrap();
    writer.write_all(b"new").unwrap();
    drop(writer);
    assert_eq!(fixture.contents("a.json"), "old");
    assert_eq!(fixture.names_on_disk(""), ["a.json"]);
}

#[test]
fn an_existing_file_is_refused_unless_overwrite_is_asked_for() {
    let fixture = Fixture::new();
    fixture.put("a.json", "old");
    let error = fixture
        .client
        .create_write(&sp("a.json"), WriteOptions::new())
        .unwrap_err();
    assert!(matches!(&error, StorageError::AlreadyExists { path } if path == "a.json"));
    assert!(
        error.to_string().contains("`a.json` already exists"),
        "{error}"
    );

    fixture
        .client
        .write(&sp("a.json"), b"new", WriteOptions::new().overwrite(true))
        .unwrap();
    assert_eq!(fixture.contents("a.json"), "new");
    assert_eq!(fixture.names_on_disk(""), ["a.json"]);
}

#[test]
fn a_file_appearing_during_the_write_is_not_clobbered_at_commit() {
    let fixture = Fixture::new();
    let mut writer = fixture
        .client
        .create_write(&sp("race.json"), WriteOptions::new())
        .unwrap();
    writer.write_all(b"mine").unwrap();
    fixture.put("race.json", "theirs");

    assert!(matches!(
        writer.commit(),
        Err(StorageError::AlreadyExists { path }) if path == "race.json"
    ));
    assert_eq!(fixture.contents("race.json"), "theirs");
    assert_eq!(
        fixture.names_on_disk(""),
        ["race.json"],
        "the temporary file is gone"
    );
}

#[test]
fn overwriting_a_hard_linked_file_leaves_the_other_name_unchanged() {
    let fixture = Fixture::new();
    fixture.put("v1/a.json", "v1 content");
    fixture
        .client
        .link(&sp("v1/a.json"), &sp("v2/a.json"))
        .unwrap();
    fixture
        .client
        .write(
            &sp("v2/a.json"),
            b"v2 content",
            WriteOptions::new().overwrite(true),
        )
        .unwrap();
    assert_eq!(fixture.contents("v1/a.json"), "v1 content");
    assert_eq!(fixture.contents("v2/a.json"), "v2 content");
}

#[test]
fn written_files_get_the_usual_permissions_not_private_ones() {
    let fixture = Fixture::new();
    fixture.put("reference.txt", "x");
    fixture
        .client
        .write(&sp("written.txt"), b"x", WriteOptions::new().sync(false))
        .unwrap();
    let mode = |name: &str| {
        fs::metadata(fixture.base().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("written.txt"), mode("reference.txt"));
}

#[test]
fn writing_to_a_directory_or_the_base_is_refused() {
    let fixture = Fixture::new();
    fixture.client.create_dir_all(&sp("d")).unwrap();
    for (path, shown) in [(sp("d"), "d"), (StoragePath::root(), ".")] {
        let error = fixture
            .client
            .create_write(&path, WriteOptions::new().overwrite(true))
            .unwrap_err();
        assert!(
            matches!(&error, StorageError::IsADirectory { path } if path == shown),
            "{error:?}"
        );
    }
}

#[test]
fn writing_below_a_file_is_refused() {
    let fixture = Fixture::new();
    fixture.put("f.txt", "x");
    assert!(matches!(
        fixture
            .client
            .create_write(&sp("f.txt/g.txt"), WriteOptions::new())
            .map(drop),
        Err(StorageError::NotADirectory { .. })
    ));
}

#[test]
fn unsynced_writes_and_many_small_writes_land_whole() {
    let fixture = Fixture::new();
    let mut writer = fixture
        .client
        .create_write(&sp("lines.txt"), WriteOptions::new().sync(false))
        .unwrap();
    for i in 0..10_000 {
        writeln!(writer, "{i}").unwrap();
    }
    writer.flush().unwrap();
    writer.commit().unwrap();
    let text = fixture.contents("lines.txt");
    assert_eq!(text.lines().count(), 10_000);
    assert_eq!(text.lines().last(), Some("9999"));
}

#[test]
fn committing_replaces_the_inode_instead_of_writing_in_place() {
    let fixture = Fixture::new();
    fixture.put("a.json", "old");
    let before = fs::metadata(fixture.base().join("a.json")).unwrap().ino();
    fixture
        .client
        .write(&sp("a.json"), b"new", WriteOptions::new().overwrite(true))
        .unwrap();
    let after = fs::metadata(fixture.base().join("a.json")).unwrap().ino();
    assert_ne!(before, after);
}

#[test]
fn names_reserved_for_unfinished_writes_cannot_be_created() {
    let fixture = Fixture::new();
    fixture.put("a.txt", "x");
    let client = &fixture.client;
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
    assert_eq!(fixture.names_on_disk(""), ["a.txt"]);
}
