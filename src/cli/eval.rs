//! `proviso eval CONTRACT EVENTS [--as-of DATE] [--format human|json]`:
//! exit 0 with no violations or overdue obligations, 1 with some, 2 when
//! the contract or the events are invalid (nothing is evaluated then).

use std::io::Write;
use std::path::Path;

use jiff::civil::Date;
use proviso::diagnostics::{ColorChoice, json_document, render_human};
use proviso::{Contract, Diagnostic, Problems, SourceFile};

use super::output::Output;
use super::{Exit, Format};

/// Prints diagnostics the way `check` does. The groups are files, or the
/// lines of a streamed file, each with the diagnostics that point into it.
fn report_problems(
    out: &mut Output,
    groups: &[(SourceFile, Vec<Diagnostic>)],
    format: Format,
    color: ColorChoice,
) {
    match format {
        Format::Json => {
            let groups: Vec<(&SourceFile, &[Diagnostic])> =
                groups.iter().map(|(s, d)| (s, d.as_slice())).collect();
            let document = json_document(&groups);
            let _ = writeln!(
                out,
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
                    proviso::text::for_people(source.name())
                );
            }
        }
    }
}

pub fn run(
    out: &mut Output,
    contract: &Path,
    events: &Path,
    as_of: Option<Date>,
    explain: bool,
    format: Format,
    color: ColorChoice,
) -> Exit {
    let mut refused = |problems: Problems| {
        report_problems(out, &problems.files, format, color);
        if let Some(message) = &problems.message {
            let _ = writeln!(std::io::stderr(), "{message}");
        }
        Exit::Invalid
    };
    let contract = match Contract::load(contract) {
        Ok(contract) => contract,
        Err(problems) => return refused(problems),
    };
    let report = match contract.evaluate_file(events, as_of) {
        Ok(report) => report,
        Err(problems) => return refused(problems),
    };
    match format {
        Format::Json => {
            let _ = report.write_json(explain, &mut *out);
            let _ = writeln!(out);
        }
        Format::Human => {
            let _ = write!(out, "{}", report.to_text(explain));
        }
    }
    if report.has_findings() {
        Exit::Findings
    } else {
        Exit::Ok
    }
}
