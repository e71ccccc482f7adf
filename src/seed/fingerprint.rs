//! A seed directory's fingerprint: a hash of its seed files' names and contents, the same
//! wherever the directory is and whenever its files were touched, and different when
//! any of them says anything else.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::{files_in, has_ext};

/// The fingerprint of the `*.toml` and `*.jsonl` files of `dir`, the files a seed is
/// read from: `sha256:` and the hash in hex.
pub fn fingerprint(dir: &Path) -> std::io::Result<String> {
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    for path in files_in(dir)? {
        if !has_ext(&path, "toml") && !has_ext(&path, "jsonl") {
            continue;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let mut file = std::fs::File::open(&path)?;
        let len = file.metadata()?.len();
        // Each file framed by its name and length, so that no two seeds hash alike by
        // moving bytes from one file to the next.
        hash.update(name.unwrap_or_default().as_bytes());
        hash.update([0]);
        hash.update(len.to_be_bytes());
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hash.update(&buf[..n]);
        }
    }
    let digest = hash.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("sha256:{hex}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_files_anywhere_hash_alike_and_any_change_shows() {
        let base = std::env::temp_dir().join(format!("pledgegraph-fp-{}", std::process::id()));
        let (a, b) = (base.join("a"), base.join("b"));
        for dir in [&a, &b] {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join("one.toml"), "x = 1\n").unwrap();
            std::fs::write(dir.join("two.jsonl"), "{}\n").unwrap();
            std::fs::write(dir.join("notes.md"), "not part of the seed").unwrap();
        }
        std::fs::write(b.join("notes.md"), "other notes").unwrap();
        let fa = fingerprint(&a).unwrap();
        assert!(fa.starts_with("sha256:") && fa.len() == 7 + 64, "{fa}");
        assert_eq!(fa, fingerprint(&b).unwrap(), "other files do not count");
        std::fs::write(b.join("one.toml"), "x = 2\n").unwrap();
        assert_ne!(fa, fingerprint(&b).unwrap(), "a changed file shows");
        std::fs::write(b.join("one.toml"), "x = 1\n").unwrap();
        std::fs::rename(b.join("two.jsonl"), b.join("three.jsonl")).unwrap();
        assert_ne!(fa, fingerprint(&b).unwrap(), "a renamed file shows");
        let _ = std::fs::remove_dir_all(&base);
    }
}
