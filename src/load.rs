//! Reading clause files from disk, with the checks that come before parsing:
//! size, encoding, emptiness.

use std::io::Read as _;
use std::path::Path;

use crate::ast::Span;
use crate::diagnostics::{Code, Diagnostic};
use crate::limits::Limits;
use crate::source::SourceFile;

/// A file that could not be turned into text, with the diagnostic that says
/// why and as much of the text as could be shown.
#[derive(Debug)]
pub struct LoadError {
    pub file: SourceFile,
    pub diagnostic: Diagnostic,
}

/// Reads a clause file from disk.
pub fn read_file(path: &Path, limits: &Limits) -> Result<SourceFile, Box<LoadError>> {
    let name = path.display().to_string();
    let size = match std::fs::metadata(path) {
        Ok(meta) if meta.len() > limits.max_file_bytes as u64 => {
            return Err(too_large(name, meta.len(), limits));
        }
        Ok(meta) => usize::try_from(meta.len()).unwrap_or(0),
        Err(_) => 0,
    };
    // Read at most one byte past the limit: devices and pipes report no
    // size, and must not be read without end. Room for the size the file
    // reports is made at once (growing by doubling left up to half of it
    // unused while the file was checked).
    let read = std::fs::File::open(path).and_then(|file| {
        let mut bytes = Vec::with_capacity(size);
        file.take(limits.max_file_bytes as u64 + 1)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    });
    match read {
        Ok(bytes) => from_bytes(name, bytes, limits),
        Err(error) => Err(Box::new(LoadError {
            file: SourceFile::new(name.clone(), ""),
            diagnostic: Diagnostic::error(
                Code::UnreadableFile,
                format!("cannot read `{name}`: {}", io_reason(&error)),
                Span::new(0, 0),
                error.to_string(),
            )
            .with_help("check the path and that the file is readable"),
        })),
    }
}

/// Reads a file a scenario suite names (a scenario, its contract, its
/// events): only a regular file, since a FIFO or a device found in a
/// folder would be read without end or never.
pub fn read_regular_file(path: &Path, limits: &Limits) -> Result<SourceFile, Box<LoadError>> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(not_regular(path)),
        Ok(_) | Err(_) => read_file(path, limits),
    }
}

/// E0505 for a path that is not a regular file.
pub fn not_regular(path: &Path) -> Box<LoadError> {
    let name = path.display().to_string();
    Box::new(LoadError {
        file: SourceFile::new(name.clone(), ""),
        diagnostic: Diagnostic::error(
            Code::UnreadableFile,
            format!("cannot read `{name}`: it is not a regular file"),
            Span::new(0, 0),
            "not a regular file",
        )
        .with_help("name a file: a folder, a pipe or a device cannot be a contract, an event file or a scenario"),
    })
}

/// Turns the bytes of a clause file into text, checking size and encoding.
pub fn from_bytes(
    name: String,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<SourceFile, Box<LoadError>> {
    if bytes.len() > limits.max_file_bytes {
        return Err(too_large(name, bytes.len() as u64, limits));
    }
    match String::from_utf8(bytes) {
        // A byte-order mark, which some editors write at the start of UTF-8
        // files, is not part of the text.
        Ok(text) => Ok(SourceFile::new(
            name,
            text.strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text),
        )),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let (line, column) = {
                let file = SourceFile::new(name.clone(), text.clone());
                let p = file.position(at);
                (p.line, p.column)
            };
            Err(Box::new(LoadError {
                diagnostic: Diagnostic::error(
                    Code::InvalidUtf8,
                    "the file is not UTF-8 text",
                    Span::new(at, at + 1),
                    format!("this byte (line {line}, column {column}) is not valid UTF-8"),
                )
                .with_help(
                    "save the file as UTF-8; word processors often offer \"Plain text (UTF-8)\"",
                ),
                file: SourceFile::new(name, text),
            }))
        }
    }
}

/// The system's reason, in the lowercase style of every message.
fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".to_string(),
        _ => error.to_string().to_lowercase(),
    }
}

fn too_large(name: String, len: u64, limits: &Limits) -> Box<LoadError> {
    Box::new(LoadError {
        diagnostic: Diagnostic::error(
            Code::FileTooLarge,
            format!(
                "the file is {} bytes, more than the limit of {} bytes",
                crate::syntax::group_thousands(&len.to_string()),
                crate::syntax::group_thousands(&limits.max_file_bytes.to_string())
            ),
            Span::new(0, 0),
            "file too large",
        )
        .with_help(
            "split the contract into several files, or check that this is the file you meant",
        ),
        file: SourceFile::new(name, ""),
    })
}
