//! `proviso eval CONTRACT EVENTS [--as-of DATE] [--format human|json]`:
//! exit 0 with no violations or overdue obligations, 1 with some, 2 when
//! the contract or the events are invalid (nothing is evaluated then).

use std::io::Write;
use std::path::Path;

use jiff::civil::Date;
use proviso::diagnostics::{ColorChoice, render_human, to_json};
use proviso::eval::engine::{Engine, Status};
use proviso::eval::input::{self, Stopped};
use proviso::eval::report::{self, Inputs};
use proviso::eval::{Decoder, Evaluation};
use proviso::{Diagnostic, Limits, SourceFile, load};

use super::{Exit, Format};

/// Prints diagnostics the way `check` does. The groups are files, or the
/// lines of a streamed file, each with the diagnostics that point into it.
fn report_problems(groups: &[(SourceFile, Vec<Diagnostic>)], format: Format, color: ColorChoice) {
    match format {
        Format::Json => {
            // One entry per file, even when its problems were kept line by line.
            let mut files: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
            for (source, diagnostics) in groups {
                let json = diagnostics.iter().map(|d| to_json(source, d));
                match files.iter_mut().find(|(name, _)| name == source.name()) {
                    Some((_, list)) => list.extend(json),
                    None => files.push((source.name().to_string(), json.collect())),
                }
            }
            let files: Vec<serde_json::Value> = files
                .into_iter()
                .map(|(name, diagnostics)| {
                    let valid = !diagnostics.iter().any(|d| d["severity"] == "error");
                    serde_json::json!({ "file": name, "valid": valid, "diagnostics": diagnostics })
                })
                .collect();
            let document = serde_json::json!({ "schema": "proviso.check/1", "files": files });
            let _ = writeln!(
                std::io::stdout(),
                "{}",
                serde_json::to_string_pretty(&document).unwrap_or_default()
            );
        }
        Format::Human => {
            let mut stderr = std::io::stderr().lock();
            let mut count = 0;
            for (source, diagnostics) in groups {
                let _ = write!(stderr, "{}", render_human(source, diagnostics, color));
                count += diagnostics.iter().filter(|d| d.is_error()).count();
            }
            if let Some((source, _)) = groups.first() {
                let _ = writeln!(
                    stderr,
                    "error: {count} problem{} in {}",
                    if count == 1 { "" } else { "s" },
                    source.name()
                );
            }
        }
    }
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
            report_problems(&[(error.file, vec![error.diagnostic])], format, color);
            return Exit::Invalid;
        }
    };
    let outcome = proviso::check_source(&source, &limits);
    let Some(checked) = outcome.checked else {
        report_problems(&[(source, outcome.diagnostics)], format, color);
        return Exit::Invalid;
    };
    let decoder = Decoder::new(&checked);
    let engine = Engine::new(&checked);
    let mut evaluation = Evaluation::new(&engine, as_of);
    match input::read_into(events, &decoder, &mut evaluation, &limits) {
        Ok(()) => {}
        Err(Stopped::Input(groups)) => {
            report_problems(&groups, format, color);
            return Exit::Invalid;
        }
        Err(Stopped::Contract(diagnostic)) => {
            report_problems(&[(source, vec![diagnostic])], format, color);
            return Exit::Invalid;
        }
    }
    // Without --as-of, the report is as of the last event, so that the
    // same files always give the same report.
    let Some(as_of) = as_of.or_else(|| evaluation.last_date()) else {
        let _ = writeln!(
            std::io::stderr(),
            "error: the event file holds no events; give --as-of to evaluate an empty history"
        );
        return Exit::Invalid;
    };
    let result = match evaluation.finish(as_of) {
        Ok(result) => result,
        Err(diagnostic) => {
            report_problems(&[(source, vec![diagnostic])], format, color);
            return Exit::Invalid;
        }
    };
    let events_file = input::display_name(events);
    let inputs = Inputs {
        contract: &checked,
        source: &source,
        events_file: &events_file,
        outcome: &result,
        explain,
        locations: true,
    };
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Json => {
            let mut out = std::io::BufWriter::new(&mut stdout);
            let _ = serde_json::to_writer_pretty(&mut out, &report::JsonReport(&inputs));
            let _ = writeln!(out);
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
