//! Backends for tests of code built on [`StorageClient`](crate::StorageClient) (feature
//! `test-support`).
//!
//! * [`MemoryStorageClient`]: a complete backend in memory, with the local one's semantics (sorted
//!   listings, atomic writers, the same refusals). Business code that runs against it needs no
//!   local filesystem, which is what "a second backend needs no change outside `crates/storage`"
//!   means in practice.
//! * [`CountingStorageClient`]: wraps any client and counts calls per operation and the bytes that
//!   passed through, so a test can show that the I/O went through the trait.

mod counting;
mod memory;

pub use counting::{CountingStorageClient, Counts, Operation};
pub use memory::MemoryStorageClient;
