//! The sources directory on disk: where it is, reading a document's text at start, and
//! putting a new one in place atomically, never over a different file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::Config;

/// The directory of the documents' files a data directory keeps when no `sources_dir`
/// is given.
pub const DEFAULT_SUBDIR: &str = "sources";

/// The sources directory in force: `sources_dir`, else `DATA_DIR/sources` with a data
/// directory, else none.
pub fn resolve(config: &Config) -> Option<PathBuf> {
    config
        .sources_dir
        .clone()
        .or_else(|| config.data_dir.as_ref().map(|d| d.join(DEFAULT_SUBDIR)))
}

/// Why a document's file could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourcesError {
    /// The file could not be read.
    #[error("cannot read the document {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is larger than a document may be.
    #[error(
        "the document {} has {bytes} bytes, more than `max_body_bytes` ({max}) allows a document; raise `max_body_bytes` to serve it",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// The largest allowed.
        max: usize,
    },
    /// The file is not UTF-8 text.
    #[error("the document {} is not UTF-8 text", path.display())]
    NotText {
        /// The file.
        path: PathBuf,
    },
    /// A different file is already there under the name.
    #[error(
        "{} already holds a different text; it is left as it is (move it away and restart to have the change log's text written)",
        path.display()
    )]
    Differs {
        /// The file.
        path: PathBuf,
    },
    /// The file could not be written.
    #[error("cannot write the document {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// Reads the text of document `file` in `dir`, at most `max_bytes` long; none when there
/// is no such file.
pub fn read(dir: &Path, file: &str, max_bytes: usize) -> Result<Option<String>, SourcesError> {
    let path = dir.join(file);
    let failed = |source| SourcesError::Read {
        path: path.clone(),
        source,
    };
    let meta = match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        other => other.map_err(failed)?,
    };
    if meta.len() > max_bytes as u64 {
        return Err(SourcesError::TooLarge {
            path,
            bytes: meta.len(),
            max: max_bytes,
        });
    }
    let bytes = std::fs::read(&path).map_err(failed)?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| SourcesError::NotText { path })
}

/// What [`place`] found or did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// The file was written.
    Written,
    /// The file was there already, with the same text.
    AlreadyThere,
}

/// Puts `text` in `dir` as `file`, creating the directory: written to a file beside it,
/// synced, then given its name, and the directory synced, so a crash leaves either no
/// file or the whole one. A file already there is never written over: the same text is
/// [`Placed::AlreadyThere`], a different one [`SourcesError::Differs`].
pub fn place(dir: &Path, file: &str, text: &str) -> Result<Placed, SourcesError> {
    let target = dir.join(file);
    let failed = |source| SourcesError::Write {
        path: target.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    if let Some(placed) = compare(&target, text)? {
        return Ok(placed);
    }
    let part = dir.join(format!(".{file}.part-{}", std::process::id()));
    let written = write_synced(&part, text).and_then(|()| {
        // A second name for the written file, which fails rather than replace a file
        // that appeared meanwhile; a rename where the file system has no hard links.
        match std::fs::hard_link(&part, &target) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists && !target.exists() => {
                std::fs::rename(&part, &target)
            }
            other => other,
        }
    });
    let _ = std::fs::remove_file(&part);
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return compare(&target, text)?.ok_or_else(|| failed(e));
        }
        Err(e) => return Err(failed(e)),
    }
    // Makes the new name durable where the platform allows syncing a directory.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(Placed::Written)
}

/// What is at `target` already: nothing (`None`), the same text, or a different one.
fn compare(target: &Path, text: &str) -> Result<Option<Placed>, SourcesError> {
    match std::fs::read(target) {
        Ok(bytes) if bytes == text.as_bytes() => Ok(Some(Placed::AlreadyThere)),
        Ok(_) => Err(SourcesError::Differs {
            path: target.to_path_buf(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SourcesError::Read {
            path: target.to_path_buf(),
            source,
        }),
    }
}

/// Writes `text` to a new file `path` and syncs it to disk.
fn write_synced(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_placed_once_and_never_over_another_text() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let sources = dir.path().join("sources");
        let placed = place(&sources, "a.txt", "one\ntwo\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(placed, Placed::Written);
        let again = place(&sources, "a.txt", "one\ntwo\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, Placed::AlreadyThere);
        assert!(matches!(
            place(&sources, "a.txt", "other"),
            Err(SourcesError::Differs { .. })
        ));
        let read = read(&sources, "a.txt", 1024).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.as_deref(), Some("one\ntwo\n"));
        // Nothing is left beside it.
        let names: Vec<_> = std::fs::read_dir(&sources)
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        assert_eq!(names, ["a.txt"]);
    }

    #[test]
    fn a_missing_file_is_none_and_a_large_or_binary_one_an_error() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(read(dir.path(), "none.txt", 1024), Ok(None)));
        std::fs::write(dir.path().join("big.txt"), "x".repeat(2048))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            read(dir.path(), "big.txt", 1024),
            Err(SourcesError::TooLarge { bytes: 2048, .. })
        ));
        std::fs::write(dir.path().join("bin.txt"), [0xff, 0xfe]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            read(dir.path(), "bin.txt", 1024),
            Err(SourcesError::NotText { .. })
        ));
    }

    #[test]
    fn the_sources_directory_defaults_to_one_in_the_data_directory() {
        let mut config = Config::default();
        assert_eq!(resolve(&config), None);
        config.data_dir = Some(PathBuf::from("data"));
        assert_eq!(resolve(&config), Some(PathBuf::from("data/sources")));
        config.sources_dir = Some(PathBuf::from("../shared/sources"));
        assert_eq!(resolve(&config), Some(PathBuf::from("../shared/sources")));
    }
}
