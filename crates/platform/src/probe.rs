//! A dependency-free HTTP status probe for `<service> healthcheck`, so container images need no
//! curl.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// `GET path` on `addr` (host:port) over plain HTTP/1.0; the status code, or `None` when nothing
/// answered within 3 s.
#[must_use]
pub fn http_get_status(addr: &str, path: &str) -> Option<u16> {
    let timeout = Duration::from_secs(3);
    let target = addr.to_socket_addrs().ok()?.next()?;
    let mut stream = TcpStream::connect_timeout(&target, timeout).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    stream.set_write_timeout(Some(timeout)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 64];
    let read = stream.read(&mut head).ok()?;
    let line = std::str::from_utf8(&head[..read]).ok()?;
    line.split_whitespace().nth(1)?.parse().ok()
}
