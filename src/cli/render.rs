//! `proviso render CONTRACT [EVENTS] [--as-of DATE] [--against OLD] [-o FILE]`:
//! the contract as one self-contained HTML page (docs/render.md). Exit 0
//! once the page is written, whatever it reports (rendering is for
//! reading, not a check: `eval` and `lint` give the exit codes that gate);
//! 2 when a file is invalid or the page cannot be written, and then
//! nothing is written.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use proviso::diagnostics::{ColorChoice, render_human};
use proviso::{Contract, EventFormat, Problems};

use super::Exit;
use super::output::Output;

pub struct Options {
    pub contract: PathBuf,
    pub events: Option<PathBuf>,
    pub as_of: Option<Date>,
    pub against: Option<PathBuf>,
    pub output: Option<PathBuf>,
}

fn refused(problems: &Problems, color: ColorChoice) -> Exit {
    let mut stderr = std::io::stderr().lock();
    for (source, diagnostics) in &problems.files {
        let _ = write!(stderr, "{}", render_human(source, diagnostics, color));
    }
    if let Some(message) = &problems.message {
        let _ = writeln!(stderr, "{message}");
    }
    Exit::Invalid
}

pub fn run(out: &mut Output, options: &Options, color: ColorChoice) -> Exit {
    let contract = match Contract::load(&options.contract) {
        Ok(contract) => contract,
        Err(problems) => return refused(&problems, color),
    };
    let older = match &options.against {
        Some(path) => match Contract::load(path) {
            Ok(old) => Some(old),
            Err(problems) => return refused(&problems, color),
        },
        None => None,
    };
    // With a date and no events, the page says where the contract stands
    // on that date with nothing having happened.
    let report = match (&options.events, options.as_of) {
        (Some(events), as_of) => contract.evaluate_file(events, as_of).map(Some),
        (None, Some(as_of)) => contract
            .evaluate("[]", EventFormat::Json, Some(as_of))
            .map(Some),
        (None, None) => Ok(None),
    };
    let report = match report {
        Ok(report) => report,
        Err(problems) => return refused(&problems, color),
    };
    let page = contract.render(report.as_ref(), older.as_ref());
    match &options.output {
        None => {
            let _ = out.write_all(page.as_bytes());
            Exit::Ok
        }
        Some(path) => write_page(path, &page),
    }
}

fn write_page(path: &Path, page: &str) -> Exit {
    match proviso::scenario::snapshot::write_atomically(path, page) {
        Ok(()) => Exit::Ok,
        Err(error) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: the page could not be written to {}: {error}",
                proviso::text::for_people(&path.display().to_string())
            );
            Exit::Invalid
        }
    }
}
