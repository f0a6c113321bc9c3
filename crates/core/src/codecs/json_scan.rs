//! A streaming scanner over a large JSON document's top level.
//!
//! COCO-train's `instances_train2017.json` is ~450 MB. Parsing it into a `serde_json::Value`
//! takes several times that in memory; parsing it from a reader with serde_json goes byte by byte.
//! This scanner reads the document in blocks, finds the extent of each top-level member and of
//! each element of the large arrays (strings and escapes respected), and hands the raw bytes of
//! batches of elements to serde_json's fast slice parser on all cores. Memory stays at one batch
//! plus the parsed model.

use std::io::{self, Read};

/// A syntax error the scanner itself found, with its 1-based position.
#[derive(Debug)]
pub(crate) enum ScanError {
    Io(io::Error),
    Syntax {
        line: u64,
        column: u64,
        message: String,
    },
}

impl ScanError {
    /// The codec error for the file at `path`.
    pub(crate) fn into_codec_error(self, path: &std::path::Path) -> super::CodecError {
        match self {
            Self::Io(source) => super::CodecError::read(path, source),
            Self::Syntax {
                line,
                column,
                message,
            } => super::CodecError::Syntax {
                path: path.to_owned(),
                line,
                column,
                message,
            },
        }
    }
}

impl From<io::Error> for ScanError {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

const BLOCK: usize = 1 << 20;

pub(crate) struct Scanner<R> {
    reader: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    line: u64,
    /// Absolute offset of `buf[0]`.
    base: u64,
    /// Absolute offset just after the last newline seen.
    line_start: u64,
}

/// Where a captured value started.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Start {
    pub line: u64,
    pub column: u64,
}

impl<R: Read> Scanner<R> {
    pub(crate) fn new(reader: R) -> Self {
        Self {
            reader,
            buf: vec![0; BLOCK],
            pos: 0,
            end: 0,
            eof: false,
            line: 1,
            base: 0,
            line_start: 0,
        }
    }

    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.end {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        self.base += self.end as u64;
        self.pos = 0;
        self.end = 0;
        loop {
            match self.reader.read(&mut self.buf) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end = n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    fn column(&self) -> u64 {
        self.base + self.pos as u64 - self.line_start + 1
    }

    pub(crate) fn position(&self) -> Start {
        Start {
            line: self.line,
            column: self.column(),
        }
    }

    pub(crate) fn error(&self, message: impl Into<String>) -> ScanError {
        ScanError::Syntax {
            line: self.line,
            column: self.column(),
            message: message.into(),
        }
    }

    /// Skips whitespace (and a UTF-8 byte-order mark at the very start); returns the next byte.
    pub(crate) fn peek(&mut self) -> Result<Option<u8>, ScanError> {
        loop {
            if !self.fill()? {
                return Ok(None);
            }
            let byte = self.buf[self.pos];
            match byte {
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.base + self.pos as u64;
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                0xEF if self.base == 0 && self.pos == 0 => {
                    // A BOM is three bytes; tolerate it only at offset 0.
                    self.pos += 1;
                    for expected in [0xBB, 0xBF] {
                        if !self.fill()? || self.buf[self.pos] != expected {
                            return Err(self.error("invalid byte at the start of the file"));
                        }
                        self.pos += 1;
                    }
                    self.line_start = self.base + self.pos as u64;
                }
                _ => return Ok(Some(byte)),
            }
        }
    }

    /// Consumes the next non-whitespace byte, which must be `expected`.
    pub(crate) fn consume(&mut self, expected: u8, what: &str) -> Result<(), ScanError> {
        match self.peek()? {
            Some(byte) if byte == expected => {
                self.pos += 1;
                Ok(())
            }
            Some(byte) => Err(self.error(format!(
                "expected {what} but found `{}`",
                char::from(byte).escape_default()
            ))),
            None => Err(self.error(format!("expected {what} but the file ends"))),
        }
    }

    /// Consumes `,` (returns true) or the closing byte (returns false).
    pub(crate) fn comma_or(&mut self, close: u8) -> Result<bool, ScanError> {
        match self.peek()? {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(byte) if byte == close => {
                self.pos += 1;
                Ok(false)
            }
            Some(byte) => Err(self.error(format!(
                "expected `,` or `{}` but found `{}`",
                char::from(close),
                char::from(byte).escape_default()
            ))),
            None => Err(self.error(format!(
                "expected `,` or `{}` but the file ends",
                char::from(close)
            ))),
        }
    }

    /// Consumes the closing byte if it is next (for empty containers).
    pub(crate) fn eat(&mut self, byte: u8) -> Result<bool, ScanError> {
        if self.peek()? == Some(byte) {
            self.pos += 1;
            return Ok(true);
        }
        Ok(false)
    }

    /// Appends the raw bytes of the next JSON value to `out`.
    pub(crate) fn capture(&mut self, out: &mut Vec<u8>) -> Result<Start, ScanError> {
        let first = self
            .peek()?
            .ok_or_else(|| self.error("expected a value but the file ends"))?;
        let start = self.position();
        match first {
            b'{' | b'[' => self.capture_container(out)?,
            b'"' => {
                out.push(b'"');
                self.pos += 1;
                self.capture_string_rest(out)?;
            }
            _ => self.capture_scalar(out)?,
        }
        Ok(start)
    }

    fn capture_container(&mut self, out: &mut Vec<u8>) -> Result<(), ScanError> {
        let mut state = ContainerState::default();
        loop {
            if !self.fill()? {
                return Err(self.error("unterminated object or array: the file ends inside it"));
            }
            let block = &self.buf[self.pos..self.end];
            let block_start = self.base + self.pos as u64;
            let (taken, done) = scan_container(
                block,
                block_start,
                (&mut self.line, &mut self.line_start),
                &mut state,
            );
            out.extend_from_slice(&block[..taken]);
            self.pos += taken;
            if done {
                return Ok(());
            }
        }
    }

    fn capture_string_rest(&mut self, out: &mut Vec<u8>) -> Result<(), ScanError> {
        let mut escaped = false;
        loop {
            if !self.fill()? {
                return Err(self.error("unterminated string: the file ends inside it"));
            }
            let block = &self.buf[self.pos..self.end];
            let mut done = None;
            for (index, &byte) in block.iter().enumerate() {
                if escaped {
                    escaped = false;
                } else if byte == b'\\' {
                    escaped = true;
                } else if byte == b'"' {
                    done = Some(index + 1);
                    break;
                }
            }
            let taken = done.unwrap_or(block.len());
            out.extend_from_slice(&block[..taken]);
            self.pos += taken;
            if done.is_some() {
                return Ok(());
            }
        }
    }

    fn capture_scalar(&mut self, out: &mut Vec<u8>) -> Result<(), ScanError> {
        loop {
            if !self.fill()? {
                return Ok(());
            }
            let byte = self.buf[self.pos];
            if matches!(byte, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                return Ok(());
            }
            out.push(byte);
            self.pos += 1;
        }
    }

    /// Reads an object key and the `:` after it.
    pub(crate) fn key(&mut self, scratch: &mut Vec<u8>) -> Result<String, ScanError> {
        if self.peek()? != Some(b'"') {
            return Err(self.error("expected a quoted member name"));
        }
        scratch.clear();
        self.capture(scratch)?;
        let key: String = serde_json::from_slice(scratch)
            .map_err(|e| self.error(format!("invalid member name: {e}")))?;
        self.consume(b':', "`:` after a member name")?;
        Ok(key)
    }

    /// After the document: only whitespace may follow.
    pub(crate) fn finish(&mut self) -> Result<(), ScanError> {
        match self.peek()? {
            None => Ok(()),
            Some(byte) => Err(self.error(format!(
                "unexpected `{}` after the end of the document",
                char::from(byte).escape_default()
            ))),
        }
    }
}

/// Follows nesting, strings and lines through `block` (the unread part of the buffer):
/// returns how many bytes belong to the container and whether it ended.
///
/// Most bytes of COCO's large arrays are numbers, commas and dots, which matter to nothing here:
/// the block is looked at 16 bytes at a time as a bit mask of the bytes that matter (quotes,
/// backslashes, brackets, braces, newlines), which vectorises, and only those bytes are visited,
/// in order; a chunk without any is passed over whole.
fn scan_container(
    block: &[u8],
    block_start: u64,
    (line, line_start): (&mut u64, &mut u64),
    state: &mut ContainerState,
) -> (usize, bool) {
    let mut offset = 0;
    while let Some(chunk) = block[offset..].first_chunk::<16>() {
        let mut mask = special_mask(chunk);
        if state.escaped {
            // The byte after a backslash in a string is data, whatever it is.
            state.escaped = false;
            mask &= !1;
        }
        while mask != 0 {
            let index = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            match visit(chunk[index], state) {
                Visit::Line => {
                    *line += 1;
                    *line_start = block_start + (offset + index) as u64 + 1;
                }
                Visit::Escape if index + 1 < chunk.len() => mask &= !(1 << (index + 1)),
                Visit::Escape => state.escaped = true,
                Visit::Closed => return (offset + index + 1, true),
                Visit::Nothing => {}
            }
        }
        offset += 16;
    }
    // The last few bytes, one at a time.
    for (index, &byte) in block[offset..].iter().enumerate() {
        if state.escaped {
            state.escaped = false;
            continue;
        }
        match visit(byte, state) {
            Visit::Line => {
                *line += 1;
                *line_start = block_start + (offset + index) as u64 + 1;
            }
            Visit::Escape => state.escaped = true,
            Visit::Closed => return (offset + index + 1, true),
            Visit::Nothing => {}
        }
    }
    (block.len(), false)
}

/// What a byte (not escaped) did to the container scan.
enum Visit {
    Nothing,
    /// A newline: counted even inside a string (invalid JSON there, which serde_json reports
    /// with the element's position, so the line count must include it).
    Line,
    /// A backslash inside a string: the next byte is data.
    Escape,
    /// The container's last closing bracket or brace.
    Closed,
}

#[inline]
fn visit(byte: u8, state: &mut ContainerState) -> Visit {
    if byte == b'\n' {
        return Visit::Line;
    }
    if state.in_string {
        match byte {
            b'\\' => return Visit::Escape,
            b'"' => state.in_string = false,
            _ => {}
        }
        return Visit::Nothing;
    }
    match byte {
        b'"' => state.in_string = true,
        b'{' | b'[' => state.depth += 1,
        b'}' | b']' => {
            state.depth = state.depth.saturating_sub(1);
            if state.depth == 0 {
                return Visit::Closed;
            }
        }
        _ => {}
    }
    Visit::Nothing
}

/// Where [`Scanner::capture_container`] is between blocks.
#[derive(Default)]
struct ContainerState {
    depth: u32,
    in_string: bool,
    /// The previous byte was a backslash inside a string.
    escaped: bool,
}

/// Whether a byte can matter to the container scan: `"` `\\` `\n` and, with bit 5 ignored,
/// `[` `\\` `]` (which also catches `{` `|` `}`, harmlessly).
#[inline]
#[allow(clippy::needless_bitwise_bool)]
fn is_special(byte: u8) -> bool {
    // `|`, not `||`: no branches, so that a chunk's test vectorises.
    (byte == b'"') | (byte == b'\n') | ((byte & 0xDF).wrapping_sub(b'[') < 3)
}

/// Bit `i` set when byte `i` of the chunk [`is_special`]: no branches, so that it compiles to a
/// few vector compares and a move of their mask.
#[inline]
fn special_mask(chunk: &[u8; 16]) -> u16 {
    chunk
        .iter()
        .enumerate()
        .fold(0_u16, |mask, (index, &byte)| {
            mask | (u16::from(is_special(byte)) << index)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_nested_values_with_tricky_strings() {
        let text = br#" {"a": [1, {"b": "x]}\"y"}], "c": 3.5e2 } "#;
        let mut scanner = Scanner::new(&text[..]);
        scanner.consume(b'{', "`{`").ok();
        let mut scratch = Vec::new();
        assert_eq!(scanner.key(&mut scratch).ok().as_deref(), Some("a"));
        let mut value = Vec::new();
        scanner.capture(&mut value).ok();
        assert_eq!(value, br#"[1, {"b": "x]}\"y"}]"#);
        assert!(matches!(scanner.comma_or(b'}'), Ok(true)));
        assert_eq!(scanner.key(&mut scratch).ok().as_deref(), Some("c"));
        value.clear();
        scanner.capture(&mut value).ok();
        assert_eq!(value, b"3.5e2");
        assert!(matches!(scanner.comma_or(b'}'), Ok(false)));
        assert!(scanner.finish().is_ok());
    }

    #[test]
    fn reports_the_line_of_a_truncated_document() {
        let text = b"{\n\"a\": [1,\n2";
        let mut scanner = Scanner::new(&text[..]);
        scanner.consume(b'{', "`{`").ok();
        let mut scratch = Vec::new();
        scanner.key(&mut scratch).ok();
        let mut value = Vec::new();
        match scanner.capture(&mut value) {
            Err(ScanError::Syntax { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    /// The byte-at-a-time scan the vectorised one replaced, as the reference.
    fn reference_capture(text: &[u8]) -> Option<(usize, u64)> {
        let (mut depth, mut in_string, mut escaped, mut lines) = (0_u32, false, false, 0_u64);
        for (index, &byte) in text.iter().enumerate() {
            if byte == b'\n' && !escaped {
                lines += 1;
            }
            if in_string {
                if escaped {
                    escaped = false;
                } else if byte == b'\\' {
                    escaped = true;
                } else if byte == b'"' {
                    in_string = false;
                }
                continue;
            }
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((index + 1, lines));
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Hands out its bytes in pieces of the given sizes, so blocks end anywhere.
    struct Pieces<'a> {
        text: &'a [u8],
        sizes: Vec<usize>,
        next: usize,
    }

    impl Read for Pieces<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let size = self.sizes[self.next % self.sizes.len()]
                .min(buf.len())
                .min(self.text.len());
            self.next += 1;
            buf[..size].copy_from_slice(&self.text[..size]);
            self.text = &self.text[size..];
            Ok(size)
        }
    }

    proptest::proptest! {
        #[test]
        fn container_scan_matches_the_byte_at_a_time_scan(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "[", "]", "{", "}", "\"", "\\", "\\\"", "\n", "1.5,", "  ", "|", "\"a]b\"",
                    "0123456789abcdef0123", "\"\\\\\"",
                ]),
                0..60,
            ),
            sizes in proptest::collection::vec(1_usize..40, 1..5),
        ) {
            let mut text = b"[".to_vec();
            for part in &parts {
                text.extend_from_slice(part.as_bytes());
            }
            text.extend_from_slice(b"\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
            let expected = reference_capture(&text);
            let mut scanner = Scanner::new(Pieces { text: &text, sizes, next: 0 });
            let mut out = Vec::new();
            let captured = scanner.capture(&mut out);
            match expected {
                Some((length, lines)) => {
                    proptest::prop_assert!(captured.is_ok());
                    proptest::prop_assert_eq!(&out[..], &text[..length]);
                    proptest::prop_assert_eq!(scanner.line, 1 + lines);
                }
                None => proptest::prop_assert!(captured.is_err()),
            }
        }
    }
}
