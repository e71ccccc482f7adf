//! Who may write: the editors' tokens file, a token checked against it in constant time,
//! and fresh tokens for `pledgegraph token new`. The file holds each token's SHA-256,
//! never the token itself.

use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The editors named in a tokens file.
#[derive(Debug, Clone)]
pub struct Editors {
    editors: Vec<Editor>,
}

#[derive(Debug, Clone)]
struct Editor {
    name: String,
    digest: [u8; 32],
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TokensFile {
    #[serde(default)]
    editor: Vec<EditorLine>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EditorLine {
    name: String,
    token_sha256: String,
}

/// Why a tokens file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokensError {
    /// The file cannot be read.
    #[error("cannot read the tokens file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not a tokens file.
    #[error("the tokens file {} is not valid: {reason}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        reason: String,
    },
}

/// Why a write's credentials are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No token was sent.
    #[error(
        "writes need an editor's token: send `Authorization: Bearer <token>` (over the websocket, `{{\"Authorization\": \"Bearer <token>\"}}` in the connection_init payload)"
    )]
    Missing,
    /// The token is not one of the editors'.
    #[error("the token is not an editor's token")]
    Wrong,
    /// The server was started without editors or without a data directory.
    #[error(
        "this server takes no writes: start it with a data directory (`--data-dir`) and an editors' tokens file (`--tokens-file`)"
    )]
    WritesOff,
}

impl Editors {
    /// Reads a tokens file: `[[editor]]` tables of `name` and `token_sha256` (64 hex digits).
    pub fn load(path: &Path) -> Result<Self, TokensError> {
        let text = std::fs::read_to_string(path).map_err(|source| TokensError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |reason: String| TokensError::Invalid {
            path: path.to_path_buf(),
            reason,
        };
        let file: TokensFile = toml::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        let mut editors: Vec<Editor> = Vec::with_capacity(file.editor.len());
        for (at, line) in file.editor.into_iter().enumerate() {
            let which = format!("editor {} (`{}`)", at + 1, line.name);
            if line.name.trim().is_empty() {
                return Err(invalid(format!("editor {} has an empty name", at + 1)));
            }
            if editors.iter().any(|e| e.name == line.name) {
                return Err(invalid(format!("{which} is named twice")));
            }
            let digest = parse_digest(&line.token_sha256).ok_or_else(|| {
                invalid(format!(
                    "{which}: `token_sha256` must be 64 hex digits (the line `pledgegraph token new` prints)"
                ))
            })?;
            editors.push(Editor {
                name: line.name,
                digest,
            });
        }
        Ok(Editors { editors })
    }

    /// The name of the editor whose token `token` is. Every editor's digest is compared,
    /// each in constant time, so the time taken says nothing of which bytes matched.
    pub fn check(&self, token: &str) -> Result<&str, AuthError> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let mut found = None;
        for editor in &self.editors {
            if bool::from(editor.digest.ct_eq(&digest)) {
                found = Some(editor.name.as_str());
            }
        }
        found.ok_or(AuthError::Wrong)
    }

    /// How many editors the file names.
    pub fn len(&self) -> usize {
        self.editors.len()
    }

    /// True when the file names no editor.
    pub fn is_empty(&self) -> bool {
        self.editors.is_empty()
    }
}

/// A fresh token, and the line that lets its editor write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// The token: shown once, kept by the editor.
    pub token: String,
    /// The `[[editor]]` table to add to the tokens file.
    pub entry: String,
}

/// Makes a random token of 256 bits for editor `name` (not empty, no control characters).
pub fn new_token(name: &str) -> Result<NewToken, std::io::Error> {
    if name.trim().is_empty() || name.chars().any(char::is_control) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "an editor's name must not be empty or hold control characters",
        ));
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
    let token = format!(
        "pgt_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let digest = Sha256::digest(token.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    // A JSON string without control characters is a TOML basic string.
    let name = serde_json::Value::String(name.to_string());
    let entry = format!("[[editor]]\nname = {name}\ntoken_sha256 = \"{hex}\"\n");
    Ok(NewToken { token, entry })
}

fn parse_digest(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let text = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("tokens.toml");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        (dir, path)
    }

    #[test]
    fn a_new_token_is_accepted_by_the_line_it_comes_with_and_no_other() {
        let ana = new_token("Ana \"the curator\"").unwrap_or_else(|e| panic!("{e}"));
        let bo = new_token("Bo").unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(ana.token, bo.token);
        assert!(ana.token.starts_with("pgt_") && ana.token.len() == 4 + 43);
        let (_dir, path) = file(&format!("{}\n{}", ana.entry, bo.entry));
        let editors = Editors::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(editors.len(), 2);
        assert_eq!(editors.check(&ana.token), Ok("Ana \"the curator\""));
        assert_eq!(editors.check(&bo.token), Ok("Bo"));
        assert_eq!(editors.check("pgt_wrong"), Err(AuthError::Wrong));
        assert_eq!(editors.check(""), Err(AuthError::Wrong));
        assert!(
            !ana.entry.contains(&ana.token),
            "the file never holds the token"
        );
    }

    #[test]
    fn a_bad_tokens_file_is_refused_with_what_is_wrong() {
        let cases = [
            (
                "[[editor]]\nname = \"a\"\ntoken_sha256 = \"abc\"\n",
                "64 hex digits",
            ),
            ("[[editor]]\nname = \"a\"\n", "token_sha256"),
            ("[[editor]]\nname = \"a\"\ntoken = \"x\"\n", "token"),
            ("[[editor]\n", "TOML"),
            (
                "[[editor]]\nname = \"a\"\ntoken_sha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\n[[editor]]\nname = \"a\"\ntoken_sha256 = \"0000000000000000000000000000000000000000000000000000000000000001\"\n",
                "named twice",
            ),
        ];
        for (text, says) in cases {
            let (_dir, path) = file(text);
            match Editors::load(&path) {
                Err(e) => {
                    let message = e.to_string();
                    assert!(
                        message.contains(says)
                            || message.to_lowercase().contains(&says.to_lowercase()),
                        "{text:?}: {message}"
                    );
                }
                Ok(_) => panic!("{text:?} was accepted"),
            }
        }
        let missing = Editors::load(Path::new("/nonexistent/tokens.toml"));
        assert!(matches!(missing, Err(TokensError::Read { .. })));
    }
}
