//! `proviso fmt [FILE...] [--check]`, `proviso fmt -`: clause files in the
//! canonical layout, every comment kept (docs/fmt.md).
//!
//! Each file is rewritten in place, atomically (a temporary file beside it,
//! renamed over it), and only when its layout changes. `--check` writes
//! nothing: it prints what would change as a diff and exits 1 when a file
//! is not formatted. `-` reads standard input and writes standard output.
//! A file that does not parse gets its diagnostics and exit 2, and is left
//! as it was; the other files are still formatted.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use proviso::diagnostics::{ColorChoice, render_human};
use proviso::fmt::{Refused, format_source};
use proviso::{Limits, SourceFile};

use super::Exit;
use super::output::Output;

pub struct Options {
    pub files: Vec<PathBuf>,
    pub check: bool,
}

/// Says why a file was not formatted; exit 2.
fn refused(source: &SourceFile, why: Refused, color: ColorChoice) -> Exit {
    let mut stderr = std::io::stderr().lock();
    match why {
        Refused::Problems(diagnostics) => {
            let _ = write!(stderr, "{}", render_human(source, &diagnostics, color));
            let _ = writeln!(
                stderr,
                "error: {} does not parse, so it was not formatted",
                proviso::text::for_people(source.name())
            );
        }
        Refused::WouldChange(why) => {
            let _ = writeln!(
                stderr,
                "error: {} was not formatted: {why}. Nothing was written; this is a defect in proviso, please report it with the file",
                proviso::text::for_people(source.name())
            );
        }
    }
    Exit::Invalid
}

/// The change formatting makes, as a unified diff (and a word on line
/// endings, which a diff does not show).
fn diff(name: &str, old: &str, new: &str) -> String {
    // The file's name on one line, escaped, before it heads anything.
    let name = proviso::text::for_people(name);
    let mut out = String::new();
    if old.contains("\r\n") {
        out.push_str(&format!("{name}: line endings CRLF → LF\n"));
    }
    let old = old.replace("\r\n", "\n");
    out.push_str(
        &similar::TextDiff::from_lines(&old, new)
            .unified_diff()
            .context_radius(2)
            .header(
                &format!("{name} (as written)"),
                &format!("{name} (formatted)"),
            )
            .to_string(),
    );
    // The file's own lines, for people: each escaped (a line of the file
    // holds no line break; the name is escaped already).
    proviso::text::lines_for_people(&out).into_owned()
}

pub fn run(out: &mut Output, options: &Options, color: ColorChoice) -> Exit {
    let limits = Limits::default();
    let mut exit = Exit::Ok;
    let worse = |exit: &mut Exit, now: Exit| {
        if (now as u8) > (*exit as u8) {
            *exit = now;
        }
    };
    for path in &options.files {
        if path == Path::new("-") {
            let mut text = String::new();
            if let Err(error) = std::io::stdin().read_to_string(&mut text) {
                let _ = writeln!(
                    std::io::stderr(),
                    "error: standard input could not be read as UTF-8 text: {error}"
                );
                worse(&mut exit, Exit::Invalid);
                continue;
            }
            // As a file is read: a byte-order mark is not part of the text.
            let text = text
                .strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text);
            let source = SourceFile::new("standard input", text);
            match format_source(&source, &limits) {
                Ok(formatted) if options.check => {
                    if formatted != source.text() {
                        let _ =
                            write!(out, "{}", diff("standard input", source.text(), &formatted));
                        worse(&mut exit, Exit::Findings);
                    }
                }
                Ok(formatted) => {
                    let _ = write!(out, "{formatted}");
                }
                Err(why) => worse(&mut exit, refused(&source, why, color)),
            }
            continue;
        }
        // Formatting in place rewrites the file: a pipe or a device cannot
        // be rewritten (a pipe would wait for ever for a reader), so it is
        // refused before anything is read from it.
        if !options.check && std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            let _ = writeln!(
                std::io::stderr(),
                "error: {} is not a regular file, so it cannot be formatted in place; \
                 format it from standard input instead (`proviso fmt - < FILE`)",
                proviso::text::for_people(&path.display().to_string())
            );
            worse(&mut exit, Exit::Invalid);
            continue;
        }
        let source = match proviso::load::read_file(path, &limits) {
            Ok(source) => source,
            Err(error) => {
                let _ = write!(
                    std::io::stderr(),
                    "{}",
                    render_human(&error.file, &[error.diagnostic], color)
                );
                worse(&mut exit, Exit::Invalid);
                continue;
            }
        };
        let formatted = match format_source(&source, &limits) {
            Ok(formatted) => formatted,
            Err(why) => {
                worse(&mut exit, refused(&source, why, color));
                continue;
            }
        };
        if formatted == source.text() {
            continue;
        }
        if options.check {
            let _ = write!(out, "{}", diff(source.name(), source.text(), &formatted));
            worse(&mut exit, Exit::Findings);
        } else if let Err(error) = proviso::scenario::snapshot::write_atomically(path, &formatted) {
            let _ = writeln!(
                std::io::stderr(),
                "error: {} could not be written: {error}",
                proviso::text::for_people(&path.display().to_string())
            );
            worse(&mut exit, Exit::Invalid);
        }
    }
    exit
}
