//! [`StoragePath`]: the only form in which a path reaches a storage client.
//!
//! Paths arrive from people (registration forms, pipeline configs, URLs) and are stored in the
//! database, so a path that escapes the base must be impossible to *represent*, not merely checked
//! for by every operation ("parse, don't validate"). The rules are stricter than any filesystem's:
//! anything that some layer (a URL decoder, a Windows client over SMB, an S3 gateway) could turn
//! into a separator or a `..` is refused here, once, with a message saying what is wrong.
//!
//! What parsing cannot see is the disk: symbolic links are checked by the client when the path is
//! used.

use std::fmt;
use std::str::FromStr;

use crate::StorageError;

/// Longest accepted segment, in bytes: Linux's `NAME_MAX`. Checked here so that an over-long name is
/// a clear client error instead of an `ENAMETOOLONG` from deep inside an operation.
pub const MAX_SEGMENT_BYTES: usize = 255;

/// Longest accepted path, in bytes (Linux's `PATH_MAX` less the terminating NUL).
pub const MAX_PATH_BYTES: usize = 4095;

/// How many rounds of percent-decoding are tried when deciding whether an encoded path hides a
/// `..`; more than enough for the double and triple encodings seen in attacks.
const DECODE_ROUNDS: usize = 4;

/// A validated, normalised path relative to the storage base.
///
/// Segments are separated by `/`; none is empty, `.` or `..`; there are no NUL bytes, no
/// backslashes, no drive prefixes and no percent-encoded separators or dots. The empty path is the
/// base itself ([`StoragePath::root`]). A leading `./` and trailing `/` are accepted and dropped, so
/// `"./a/b/"` and `"a/b"` are the same path.
///
/// `Display` prints the normalised form, and parsing it again gives the same path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct StoragePath(String);

impl StoragePath {
    /// The storage base itself.
    #[must_use]
    pub fn root() -> Self {
        Self(String::new())
    }

    /// Parses and normalises a path given relative to the storage base.
    ///
    /// `""`, `"."` and `"./"` are the root. Refusals are [`StorageError::Absolute`],
    /// [`StorageError::Traversal`] or [`StorageError::InvalidPath`], each carrying `input`.
    pub fn parse(input: &str) -> Result<Self, StorageError> {
        let invalid = |reason: &str| StorageError::InvalidPath {
            path: input.to_owned(),
            reason: reason.to_owned(),
        };
        if input.contains('\0') {
            return Err(invalid("it contains a NUL byte"));
        }
        if input.contains('\\') {
            return Err(invalid(
                "it contains a backslash; separate directories with `/`",
            ));
        }
        check_percent_encoding(input)?;

        let mut rest = input;
        while let Some(stripped) = rest.strip_prefix("./") {
            rest = stripped;
        }
        // Checked after the `./` is dropped, so that `./C:` cannot become the drive path `C:`.
        if rest.starts_with('/') || has_drive_prefix(rest) {
            return Err(StorageError::Absolute {
                path: input.to_owned(),
            });
        }
        let rest = rest.trim_end_matches('/');
        if rest.is_empty() || rest == "." {
            return Ok(Self::root());
        }
        // `..` is looked for first so that a traversal attempt is always reported as one, whatever
        // else is wrong with the path.
        if rest.split('/').any(|segment| segment == "..") {
            return Err(StorageError::Traversal {
                path: input.to_owned(),
            });
        }
        for segment in rest.split('/') {
            if segment.is_empty() {
                return Err(invalid("it has an empty segment (`//`)"));
            }
            if segment == "." {
                return Err(invalid("it has a `.` segment"));
            }
            if segment.len() > MAX_SEGMENT_BYTES {
                return Err(invalid(&format!(
                    "the name `{}…` is longer than {MAX_SEGMENT_BYTES} bytes",
                    prefix_chars(segment, 32)
                )));
            }
        }
        if rest.len() > MAX_PATH_BYTES {
            return Err(invalid(&format!(
                "it is longer than {MAX_PATH_BYTES} bytes"
            )));
        }
        Ok(Self(rest.to_owned()))
    }

    /// The normalised path; `""` for the root.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the storage base itself.
    #[must_use]
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The segments, outermost first; none for the root.
    #[must_use]
    pub fn segments(&self) -> impl DoubleEndedIterator<Item = &str> + '_ {
        self.0.split('/').filter(|segment| !segment.is_empty())
    }

    /// Appends a relative path (one segment or several), which is parsed with the same rules as
    /// [`StoragePath::parse`]; a refusal names `relative`.
    pub fn join(&self, relative: &str) -> Result<Self, StorageError> {
        Ok(self.join_path(&Self::parse(relative)?))
    }

    /// Appends an already-validated path.
    #[must_use]
    pub fn join_path(&self, relative: &StoragePath) -> Self {
        match (self.is_root(), relative.is_root()) {
            (_, true) => self.clone(),
            (true, false) => relative.clone(),
            (false, false) => Self(format!("{}/{}", self.0, relative.0)),
        }
    }

    /// The containing directory; `None` for the root.
    #[must_use]
    pub fn parent(&self) -> Option<Self> {
        if self.is_root() {
            return None;
        }
        Some(match self.0.rsplit_once('/') {
            Some((parent, _)) => Self(parent.to_owned()),
            None => Self::root(),
        })
    }

    /// The last segment; `None` for the root.
    #[must_use]
    pub fn file_name(&self) -> Option<&str> {
        self.segments().next_back()
    }

    /// Whether `prefix` is this path or one of its ancestors (segment-wise: `a/bc` does not start
    /// with `a/b`).
    #[must_use]
    pub fn starts_with(&self, prefix: &StoragePath) -> bool {
        prefix.is_root()
            || self.0 == prefix.0
            || self
                .0
                .strip_prefix(&prefix.0)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

impl fmt::Display for StoragePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for StoragePath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for StoragePath {
    type Err = StorageError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input)
    }
}

impl TryFrom<&str> for StoragePath {
    type Error = StorageError;

    fn try_from(input: &str) -> Result<Self, Self::Error> {
        Self::parse(input)
    }
}

impl TryFrom<String> for StoragePath {
    type Error = StorageError;

    fn try_from(input: String) -> Result<Self, Self::Error> {
        Self::parse(&input)
    }
}

impl From<StoragePath> for String {
    fn from(path: StoragePath) -> Self {
        path.0
    }
}

/// `C:`, `c:foo`: a Windows drive. Linux would take it as a name, but a path that means "another
/// disk" to a Windows client over SMB has no business in a dataset path.
fn has_drive_prefix(input: &str) -> bool {
    let bytes = input.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// Refuses percent-escapes that some later decoding layer could turn into a separator, a dot, a NUL
/// or another escape (double encoding), and overlong UTF-8 lead bytes (`%c0%ae` is a `.` to lax
/// decoders). Escapes of other bytes are left alone: `100%.jpg` and `a%20b` are ordinary names.
fn check_percent_encoding(input: &str) -> Result<(), StorageError> {
    let bytes = input.as_bytes();
    for (at, _) in input.match_indices('%') {
        let Some(byte) = decode_escape(bytes, at) else {
            continue;
        };
        let what = match byte {
            b'.' => "`.`",
            b'/' => "`/`",
            b'\\' => "backslash",
            0 => "NUL byte",
            b'%' => "`%` (double encoding)",
            0xC0 | 0xC1 => "overlong UTF-8 byte",
            _ => continue,
        };
        if decodes_to_traversal(input) {
            return Err(StorageError::Traversal {
                path: input.to_owned(),
            });
        }
        return Err(StorageError::InvalidPath {
            path: input.to_owned(),
            reason: format!(
                "`{}` is a percent-encoded {what}; send the path decoded",
                &input[at..at + 3]
            ),
        });
    }
    Ok(())
}

/// The byte encoded by the `%XX` escape at `at`, if there is a complete one.
fn decode_escape(bytes: &[u8], at: usize) -> Option<u8> {
    let high = char::from(*bytes.get(at + 1)?).to_digit(16)?;
    let low = char::from(*bytes.get(at + 2)?).to_digit(16)?;
    Some((high * 16 + low) as u8)
}

/// Whether decoding `input` (repeatedly, as a chain of careless layers might) yields a `..` segment.
fn decodes_to_traversal(input: &str) -> bool {
    let mut current = input.to_owned();
    for _ in 0..DECODE_ROUNDS {
        let bytes = current.as_bytes();
        let mut decoded = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%'
                && let Some(byte) = decode_escape(bytes, i)
            {
                decoded.push(byte);
                i += 3;
            } else {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
        let decoded = String::from_utf8_lossy(&decoded).into_owned();
        if decoded.split(['/', '\\']).any(|segment| segment == "..") {
            return true;
        }
        if decoded == current {
            return false;
        }
        current = decoded;
    }
    false
}

fn prefix_chars(text: &str, count: usize) -> &str {
    text.char_indices()
        .nth(count)
        .map_or(text, |(end, _)| &text[..end])
}

#[cfg(test)]
mod tests {
    use std::path::{Component, Path};

    use proptest::prelude::*;

    use super::*;

    fn parsed(input: &str) -> String {
        StoragePath::parse(input).unwrap().to_string()
    }

    #[test]
    fn ordinary_relative_paths_are_kept_as_given() {
        assert_eq!(parsed("raw/coco/train/v1.0.0"), "raw/coco/train/v1.0.0");
        assert_eq!(parsed("images/0001 copy.jpg"), "images/0001 copy.jpg");
        assert_eq!(parsed("a/.hidden/..name/x..y"), "a/.hidden/..name/x..y");
        assert_eq!(parsed("100%.jpg"), "100%.jpg");
        assert_eq!(parsed("a%20b/%zz"), "a%20b/%zz");
        assert_eq!(parsed("2024-01-01T10:00:00.jpg"), "2024-01-01T10:00:00.jpg");
        assert_eq!(parsed("데이터/이미지.png"), "데이터/이미지.png");
    }

    #[test]
    fn a_leading_dot_slash_and_trailing_slashes_are_normalised_away() {
        assert_eq!(parsed("./a/b"), "a/b");
        assert_eq!(parsed("././a"), "a");
        assert_eq!(parsed("a/b/"), "a/b");
        assert_eq!(parsed("a/b//"), "a/b");
    }

    #[test]
    fn the_empty_path_and_dot_are_the_root() {
        for input in ["", ".", "./", "././"] {
            let path = StoragePath::parse(input).unwrap();
            assert!(path.is_root(), "{input:?}");
            assert_eq!(path, StoragePath::root());
        }
        assert_eq!(StoragePath::root().segments().count(), 0);
    }

    #[test]
    fn parent_traversal_is_refused_as_traversal() {
        for input in [
            "..",
            "../x",
            "a/../../x",
            "a/..",
            "a/b/../c",
            "./../x",
            "../",
        ] {
            let error = StoragePath::parse(input).unwrap_err();
            assert!(
                matches!(&error, StorageError::Traversal { path } if path == input),
                "{input:?}: {error:?}"
            );
            assert!(error.is_client_error());
        }
    }

    #[test]
    fn absolute_paths_and_drive_prefixes_are_refused_as_absolute() {
        for input in [
            "/etc/passwd",
            "/",
            "//server/share",
            "C:",
            "c:/windows",
            "D:data",
            "./C:",
            ".//etc",
        ] {
            let error = StoragePath::parse(input).unwrap_err();
            assert!(
                matches!(&error, StorageError::Absolute { path } if path == input),
                "{input:?}: {error:?}"
            );
        }
    }

    #[test]
    fn percent_encoded_dots_and_separators_are_refused() {
        for input in [
            "%2e%2e/x",
            "%2E%2E/x",
            "a/%2e%2e",
            ".%2e/x",
            "%252e%252e/x",
            "a%2f..%2fb",
        ] {
            let error = StoragePath::parse(input).unwrap_err();
            assert!(
                matches!(&error, StorageError::Traversal { path } if path == input),
                "{input:?}: {error:?}"
            );
        }
        for (input, needle) in [
            ("a%2fb", "%2f"),
            ("a%2Fb", "%2F"),
            ("a%5cb", "%5c"),
            ("a%00b", "%00"),
            ("a%2eb", "%2e"),
            ("a%25b", "%25"),
            ("%c0%ae%c0%ae/x", "%c0"),
        ] {
            let error = StoragePath::parse(input).unwrap_err();
            match &error {
                StorageError::InvalidPath { path, reason } => {
                    assert_eq!(path, input);
                    assert!(reason.contains(needle), "{reason}");
                }
                other => panic!("{input:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn nul_bytes_backslashes_and_malformed_segments_are_refused_with_a_reason() {
        for (input, reason) in [
            ("a\0b", "NUL"),
            ("a\\b", "backslash"),
            ("..\\x", "backslash"),
            ("a//b", "empty segment"),
            ("a/./b", "`.` segment"),
            ("a/.", "`.` segment"),
        ] {
            match StoragePath::parse(input).unwrap_err() {
                StorageError::InvalidPath { path, reason: got } => {
                    assert_eq!(path, input);
                    assert!(got.contains(reason), "{input:?}: {got}");
                }
                other => panic!("{input:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn messages_escape_control_characters_but_keep_the_raw_path() {
        let error = StoragePath::parse("a\0b\nc").unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("`a\\u{0}b\\nc` is not a valid storage path"),
            "{message}"
        );
        assert_eq!(error.path(), Some("a\0b\nc"));
        let error = StoragePath::parse("../데이터").unwrap_err();
        assert!(
            error.to_string().starts_with("`../데이터` climbs up"),
            "{error}"
        );
    }

    #[test]
    fn over_long_names_and_paths_are_refused() {
        let long_name = "x".repeat(MAX_SEGMENT_BYTES + 1);
        assert!(StoragePath::parse(&"x".repeat(MAX_SEGMENT_BYTES)).is_ok());
        assert!(matches!(
            StoragePath::parse(&long_name),
            Err(StorageError::InvalidPath { .. })
        ));
        let long_path = vec!["abcdefgh"; MAX_PATH_BYTES / 9 + 1].join("/");
        assert!(matches!(
            StoragePath::parse(&long_path),
            Err(StorageError::InvalidPath { .. })
        ));
    }

    #[test]
    fn join_appends_validated_segments() {
        let base = StoragePath::parse("raw/coco").unwrap();
        assert_eq!(base.join("train").unwrap().as_str(), "raw/coco/train");
        assert_eq!(base.join("a/b/").unwrap().as_str(), "raw/coco/a/b");
        assert_eq!(base.join("").unwrap(), base);
        assert_eq!(StoragePath::root().join("x").unwrap().as_str(), "x");
        assert!(matches!(base.join(".."), Err(StorageError::Traversal { path }) if path == ".."));
        assert!(matches!(
            base.join("/x"),
            Err(StorageError::Absolute { .. })
        ));
        assert!(matches!(
            base.join("a%2fb"),
            Err(StorageError::InvalidPath { .. })
        ));
    }

    #[test]
    fn parent_and_file_name_walk_up_to_the_root() {
        let path = StoragePath::parse("a/b/c.json").unwrap();
        assert_eq!(path.file_name(), Some("c.json"));
        let parent = path.parent().unwrap();
        assert_eq!(parent.as_str(), "a/b");
        assert_eq!(parent.parent().unwrap().as_str(), "a");
        assert_eq!(
            parent.parent().unwrap().parent().unwrap(),
            StoragePath::root()
        );
        assert_eq!(StoragePath::root().parent(), None);
        assert_eq!(StoragePath::root().file_name(), None);
    }

    #[test]
    fn starts_with_compares_whole_segments() {
        let path = StoragePath::parse("a/bc/d").unwrap();
        assert!(path.starts_with(&StoragePath::root()));
        assert!(path.starts_with(&StoragePath::parse("a").unwrap()));
        assert!(path.starts_with(&StoragePath::parse("a/bc").unwrap()));
        assert!(path.starts_with(&path));
        assert!(!path.starts_with(&StoragePath::parse("a/b").unwrap()));
        assert!(!StoragePath::root().starts_with(&path));
    }

    #[test]
    fn conversions_agree_with_parse() {
        let path: StoragePath = "a/b".parse().unwrap();
        assert_eq!(StoragePath::try_from("a/b").unwrap(), path);
        assert_eq!(StoragePath::try_from("./a/b/".to_owned()).unwrap(), path);
        assert_eq!(String::from(path.clone()), "a/b");
        assert_eq!(path.as_ref() as &str, "a/b");
    }

    /// Segments mixing ordinary names with every kind of trouble the parser must handle.
    fn segment() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9_ .-]{1,8}",
            "[a-z.%/\\\\:25cefEF0]{0,6}",
            Just(String::new()),
            Just(".".to_owned()),
            Just("..".to_owned()),
            Just("%2e%2e".to_owned()),
            Just("%2f".to_owned()),
            Just("%252e".to_owned()),
            Just("\0".to_owned()),
            Just("a\\..".to_owned()),
            Just("C:".to_owned()),
            Just("~".to_owned()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn any_accepted_path_stays_under_the_base_and_round_trips(
            prefix in prop_oneof![Just(""), Just("/"), Just("./"), Just("../")],
            segments in proptest::collection::vec(segment(), 0..6),
            suffix in prop_oneof![Just(""), Just("/")],
        ) {
            let input = format!("{prefix}{}{suffix}", segments.join("/"));
            if let Ok(path) = StoragePath::parse(&input) {
                let base = Path::new("/mnt/nas/datasets");
                let joined = base.join(path.as_str());
                prop_assert!(joined.starts_with(base));
                prop_assert!(
                    joined.components().all(|c| matches!(c, Component::RootDir | Component::Normal(_))),
                    "{joined:?}"
                );
                prop_assert_eq!(
                    joined.components().count(),
                    base.components().count() + path.segments().count()
                );
                prop_assert!(!path.as_str().contains(['\\', '\0']));
                prop_assert!(path.segments().all(|s| !s.is_empty() && s != "." && s != ".."));
                prop_assert_eq!(StoragePath::parse(&format!("{path}")).unwrap(), path);
            }
        }

        #[test]
        fn plain_names_always_parse_to_themselves(
            segments in proptest::collection::vec("[a-zA-Z0-9_][a-zA-Z0-9_ .-]{0,10}", 1..6),
        ) {
            let input = segments.join("/");
            let path = StoragePath::parse(&input).unwrap();
            prop_assert_eq!(path.as_str(), input.as_str());
            prop_assert_eq!(path.segments().collect::<Vec<_>>(), segments.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
}
