//! `proviso check FILE...`: exit 0 when every file is valid, 2 otherwise.

use std::io::Write;
use std::path::PathBuf;

use proviso::diagnostics::{ColorChoice, json_document, render_human};
use proviso::{Diagnostic, Limits, SourceFile, load};

use super::output::Output;
use super::{Exit, Format};

/// The diagnostics of one file, with the text they point into.
struct FileResult {
    source: SourceFile,
    diagnostics: Vec<Diagnostic>,
    clauses: usize,
}

pub fn run(out: &mut Output, paths: &[PathBuf], format: Format, color: ColorChoice) -> Exit {
    let limits = Limits::default();
    // Each file on its own core; printed in the order given.
    let results: Vec<FileResult> =
        proviso::parallel::map(paths, |path| match load::read_file(path, &limits) {
            Ok(source) => {
                let outcome = proviso::check_source(&source, &limits);
                let clauses = outcome.checked.as_ref().map_or(0, |c| c.file.clauses.len());
                FileResult {
                    source,
                    diagnostics: outcome.diagnostics,
                    clauses,
                }
            }
            Err(error) => FileResult {
                source: error.file,
                diagnostics: vec![error.diagnostic],
                clauses: 0,
            },
        });
    let errors: usize = results
        .iter()
        .map(|r| r.diagnostics.iter().filter(|d| d.is_error()).count())
        .sum();
    let failed_files = results
        .iter()
        .filter(|r| r.diagnostics.iter().any(Diagnostic::is_error))
        .count();

    match format {
        Format::Json => {
            let files: Vec<(&SourceFile, &[Diagnostic])> = results
                .iter()
                .map(|r| (&r.source, r.diagnostics.as_slice()))
                .collect();
            let document = json_document(&files);
            let text = serde_json::to_string_pretty(&document).unwrap_or_default();
            let _ = writeln!(out, "{text}");
        }
        Format::Human => {
            let mut stderr = std::io::stderr().lock();
            let stdout = &mut *out;
            for result in &results {
                if !result.diagnostics.is_empty() {
                    let _ = write!(
                        stderr,
                        "{}",
                        render_human(&result.source, &result.diagnostics, color)
                    );
                }
                if !result.diagnostics.iter().any(Diagnostic::is_error) {
                    let plural = if result.clauses == 1 { "" } else { "s" };
                    let _ = writeln!(
                        stdout,
                        "{}: ok ({} clause{plural})",
                        proviso::text::for_people(result.source.name()),
                        result.clauses
                    );
                }
            }
            if errors > 0 {
                let problems = if errors == 1 { "problem" } else { "problems" };
                let files = if failed_files == 1 { "file" } else { "files" };
                let _ = writeln!(
                    stderr,
                    "error: {errors} {problems} in {failed_files} {files}"
                );
            }
        }
    }
    if errors > 0 { Exit::Invalid } else { Exit::Ok }
}
