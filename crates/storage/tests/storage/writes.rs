//! How the local client stages writes on disk (the rules every backend shares are in `contract`).

use std::fs;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

use datamill_storage::{StorageClient, WriteOptions};

use crate::{Fixture, sp};

/// New files are staged where nobody sees them: anonymous (`O_TMPFILE`) where the filesystem
/// allows, else under a hidden temporary name that listings leave out.
#[test]
fn an_unfinished_file_is_not_on_disk_under_a_listed_name() {
    let fixture = Fixture::new();
    for (name, options) in [
        ("new.json", WriteOptions::new()),
        ("replaced.json", WriteOptions::new().overwrite(true)),
    ] {
        let mut writer = fixture
            .client
            .create_write(&sp(&format!("ds/v1/{name}")), options)
            .unwrap();
        writer.write_all(b"{}").unwrap();
        let on_disk = fixture.names_on_disk("ds/v1");
        assert!(
            on_disk.iter().all(|n| n.starts_with(".datamill-tmp-")),
            "{on_disk:?}"
        );
        assert!(fixture.client.list(&sp("ds/v1")).unwrap().is_empty());
        drop(writer);
        assert!(fixture.names_on_disk("ds/v1").is_empty());
    }
}

/// Without atomic staging the file is written in place, and a dropped writer removes it.
#[test]
fn a_non_atomic_writer_writes_in_place_and_cleans_up_when_dropped() {
    let fixture = Fixture::new();
    let mut writer = fixture
        .client
        .create_write(&sp("bulk.bin"), WriteOptions::new().atomic(false))
        .unwrap();
    writer.write_all(b"partial").unwrap();
    writer.flush().unwrap();
    assert_eq!(fixture.contents("bulk.bin"), "partial");
    drop(writer);
    assert!(fixture.names_on_disk("").is_empty());
}

/// Without `O_TMPFILE` (or with overwrite) the staging file has a name; a failed commit removes it.
#[test]
fn a_refused_commit_leaves_no_temporary_file() {
    let fixture = Fixture::new();
    fixture.put("race.json", "old");
    let mut writer = fixture
        .client
        .create_write(&sp("race.json"), WriteOptions::new().overwrite(true))
        .unwrap();
    writer.write_all(b"mine").unwrap();
    fs::remove_file(fixture.base().join("race.json")).unwrap();
    fs::create_dir(fixture.base().join("race.json")).unwrap();
    assert!(writer.commit().is_err());
    assert_eq!(fixture.names_on_disk(""), ["race.json"]);
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
