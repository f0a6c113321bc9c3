//! The counting wrapper sees every call and every byte, whatever it wraps.

use std::io::{Read, Write};

use datamill_storage::testing::{CountingStorageClient, Counts, MemoryStorageClient, Operation};
use datamill_storage::{StorageClient, WriteOptions};

use crate::{Fixture, sp};

/// The same calls through any backend.
fn exercise(client: &dyn StorageClient) {
    client
        .write(&sp("d/a.txt"), b"12345", WriteOptions::new())
        .unwrap();
    let mut writer = client
        .create_write(&sp("d/b.txt"), WriteOptions::new())
        .unwrap();
    writer.write_all(b"abc").unwrap();
    writer.commit().unwrap();
    assert_eq!(client.read(&sp("d/a.txt")).unwrap(), b"12345");
    assert_eq!(client.read_range(&sp("d/a.txt"), 1, 2).unwrap(), b"23");
    let mut text = String::new();
    client
        .open_read(&sp("d/b.txt"))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(client.list(&sp("d")).unwrap().len(), 2);
    assert!(client.exists(&sp("d/a.txt")).unwrap());
    assert!(client.stat(&sp("d/missing")).is_err());
    client
        .copy(&sp("d/a.txt"), &sp("e/a.txt"), WriteOptions::new())
        .unwrap();
}

fn expected() -> Counts {
    Counts {
        calls: [
            (Operation::Write, 1),
            (Operation::CreateWrite, 1),
            (Operation::Read, 1),
            (Operation::ReadRange, 1),
            (Operation::OpenRead, 1),
            (Operation::List, 1),
            (Operation::Exists, 1),
            (Operation::Stat, 1),
            (Operation::Copy, 1),
        ]
        .into_iter()
        .collect(),
        bytes_read: 5 + 2 + 3,
        bytes_written: 5 + 3,
    }
}

#[test]
fn every_call_and_byte_is_counted_per_operation_over_memory() {
    let client = CountingStorageClient::new(MemoryStorageClient::new());
    exercise(&client);
    assert_eq!(client.counts(), expected());
    assert_eq!(client.counts().calls(Operation::Rename), 0);
    assert_eq!(client.counts().total_calls(), 9);
    client.reset();
    assert_eq!(client.counts(), Counts::default());
}

#[test]
fn every_call_and_byte_is_counted_per_operation_over_local_files() {
    let fixture = Fixture::new();
    let client = CountingStorageClient::new(fixture.client.clone());
    exercise(&client);
    assert_eq!(client.counts(), expected());
    assert_eq!(fixture.contents("e/a.txt"), "12345");
}
