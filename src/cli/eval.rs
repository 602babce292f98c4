//! `proviso eval CONTRACT EVENTS [--as-of DATE] [--format human|json]`:
//! exit 0 with no violations or overdue obligations, 1 with some, 2 when
//! the contract or the events are invalid (nothing is evaluated then).

use std::io::{Read, Write};
use std::path::Path;

use jiff::civil::Date;
use proviso::diagnostics::{ColorChoice, json_document, render_human};
use proviso::eval::engine::{Engine, Status};
use proviso::eval::report::{self, Inputs};
use proviso::eval::{Decoder, Event};
use proviso::{Code, Diagnostic, Limits, SourceFile, load};

use super::{Exit, Format};

/// Prints diagnostics of one file the way `check` does.
fn report_problems(
    source: &SourceFile,
    diagnostics: &[Diagnostic],
    format: Format,
    color: ColorChoice,
) {
    match format {
        Format::Json => {
            let document = json_document(&[(source, diagnostics)]);
            let _ = writeln!(
                std::io::stdout(),
                "{}",
                serde_json::to_string_pretty(&document).unwrap_or_default()
            );
        }
        Format::Human => {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "{}", render_human(source, diagnostics, color));
            let n = diagnostics.iter().filter(|d| d.is_error()).count();
            let _ = writeln!(
                stderr,
                "error: {n} problem{} in {}",
                if n == 1 { "" } else { "s" },
                source.name()
            );
        }
    }
}

/// Reads the event file: JSON (`.json`) or NDJSON (`.ndjson`, or `-` for
/// standard input). Returns the file (for diagnostics) and its events.
fn read_events(
    path: &Path,
    decoder: &Decoder<'_>,
) -> Result<(SourceFile, Vec<Event>), (SourceFile, Vec<Diagnostic>)> {
    let name = path.display().to_string();
    let stdin = name == "-";
    let text = if stdin {
        let mut text = String::new();
        match std::io::stdin().read_to_string(&mut text) {
            Ok(_) => text,
            Err(e) => {
                return Err((
                    SourceFile::new("standard input", ""),
                    vec![Diagnostic::error(
                        Code::UnreadableFile,
                        format!("cannot read standard input: {e}"),
                        Default::default(),
                        "here",
                    )],
                ));
            }
        }
    } else {
        match load::read_file(path, &Limits::default()) {
            Ok(source) => source.text().to_string(),
            Err(error) => return Err((error.file, vec![error.diagnostic])),
        }
    };
    let source = SourceFile::new(
        if stdin {
            "standard input".to_string()
        } else {
            name.clone()
        },
        text,
    );
    let ndjson = stdin || name.ends_with(".ndjson") || name.ends_with(".jsonl");
    if !ndjson && !name.ends_with(".json") {
        return Err((
            source,
            vec![Diagnostic::error(
                Code::EventSyntax,
                format!("`{name}` is not an event file proviso can read"),
                Default::default(),
                "unknown kind of file",
            )
            .with_help("give events as a `.json` file (an array, or an object with an `events` array) or as `.ndjson` (one event per line, or `-` for standard input)")],
        ));
    }
    let (events, diagnostics) = if ndjson {
        let mut events = Vec::new();
        let mut diagnostics = Vec::new();
        let mut offset = 0usize;
        for line in source.text().split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            if !content.trim().is_empty() {
                match decoder.ndjson_line(content, events.len() + diagnostics.len()) {
                    Ok(event) => events.push(event),
                    Err(found) => diagnostics.extend(found.into_iter().map(|d| shift(d, offset))),
                }
            }
            offset += line.len();
        }
        (events, diagnostics)
    } else {
        decoder.json(source.text())
    };
    if diagnostics.is_empty() {
        Ok((source, events))
    } else {
        Err((source, diagnostics))
    }
}

/// Moves a diagnostic from a line's coordinates to the file's.
fn shift(mut d: Diagnostic, offset: usize) -> Diagnostic {
    let move_span = |s: &mut proviso::ast::Span| {
        s.start += offset;
        s.end += offset;
    };
    move_span(&mut d.primary.span);
    for label in &mut d.related {
        move_span(&mut label.span);
    }
    if let Some(suggestion) = &mut d.suggestion {
        move_span(&mut suggestion.span);
    }
    d
}

pub fn run(
    contract: &Path,
    events: &Path,
    as_of: Option<Date>,
    explain: bool,
    format: Format,
    color: ColorChoice,
) -> Exit {
    let limits = Limits::default();
    let source = match load::read_file(contract, &limits) {
        Ok(source) => source,
        Err(error) => {
            report_problems(&error.file, &[error.diagnostic], format, color);
            return Exit::Invalid;
        }
    };
    let outcome = proviso::check_source(&source, &limits);
    let Some(checked) = outcome.checked else {
        report_problems(&source, &outcome.diagnostics, format, color);
        return Exit::Invalid;
    };
    let decoder = Decoder::new(&checked);
    let (events_source, events) = match read_events(events, &decoder) {
        Ok(read) => read,
        Err((file, diagnostics)) => {
            report_problems(&file, &diagnostics, format, color);
            return Exit::Invalid;
        }
    };
    // Without --as-of, the report is as of the last event, so that the
    // same files always give the same report.
    let Some(as_of) = as_of.or_else(|| events.iter().map(|e| e.date).max()) else {
        let _ = writeln!(
            std::io::stderr(),
            "error: the event file holds no events; give --as-of to evaluate an empty history"
        );
        return Exit::Invalid;
    };
    let result = match Engine::new(&checked).evaluate(&events, as_of) {
        Ok(result) => result,
        Err(diagnostic) => {
            report_problems(&source, &[diagnostic], format, color);
            return Exit::Invalid;
        }
    };
    let inputs = Inputs {
        contract: &checked,
        source: &source,
        events_file: events_source.name(),
        events: &events,
        outcome: &result,
        explain,
    };
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Json => {
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&report::json(&inputs)).unwrap_or_default()
            );
        }
        Format::Human => {
            let _ = write!(stdout, "{}", report::human(&inputs));
        }
    }
    let findings = !result.violations.is_empty()
        || result
            .obligations
            .iter()
            .any(|o| o.status == Status::Overdue)
        || result.acts.iter().any(|a| a.status == Status::Overdue);
    if findings { Exit::Findings } else { Exit::Ok }
}
