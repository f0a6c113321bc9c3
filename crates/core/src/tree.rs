//! Fingerprints of a directory tree, for comparing outputs: a resumed pipeline run against an
//! uninterrupted one, two runs of the same config, a NAS before and after.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// Every file under `dir` (relative path, `/`-separated as the OS writes it) with a 64-bit FNV-1a
/// hash of its bytes. A directory that does not exist counts as empty: a run killed early may
/// not have created it yet.
///
/// # Errors
/// Any I/O error other than a missing directory.
pub fn file_hashes(dir: &Path) -> io::Result<BTreeMap<String, u64>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let hash = std::fs::read(&path)?
                .iter()
                .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                    (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
                });
            let relative = path.strip_prefix(dir).unwrap_or(&path);
            files.insert(relative.to_string_lossy().into_owned(), hash);
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_trees_hash_equal_and_a_changed_byte_shows() {
        let a = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(a.path().join("images")).unwrap();
        std::fs::write(a.path().join("images/1.jpg"), b"abc").unwrap();
        std::fs::write(a.path().join("annotation.json"), b"{}").unwrap();
        let first = file_hashes(a.path()).unwrap();
        assert_eq!(first.len(), 2);
        assert!(first.contains_key(&format!("images{}1.jpg", std::path::MAIN_SEPARATOR)));
        assert_eq!(file_hashes(a.path()).unwrap(), first);
        std::fs::write(a.path().join("images/1.jpg"), b"abd").unwrap();
        assert_ne!(file_hashes(a.path()).unwrap(), first);
    }

    #[test]
    fn a_missing_directory_is_empty() {
        let a = tempfile::tempdir().unwrap();
        assert!(file_hashes(&a.path().join("absent")).unwrap().is_empty());
    }
}
