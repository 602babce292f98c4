//! The command line: one module per command, typed exit codes.

mod check;
mod eval;
mod fmt;
mod lint;
mod lsp;
mod output;
mod render;
mod test;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use proviso::diagnostics::ColorChoice;

/// proviso: contract clauses a machine can check.
#[derive(Debug, Parser)]
#[command(name = "proviso", version, about, long_about = None)]
struct Cli {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse, resolve names and type-check clause files.
    Check {
        /// The clause files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// How to report problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Evaluate a contract against dated events.
    Eval {
        /// The clause file.
        #[arg(value_name = "CONTRACT")]
        contract: PathBuf,
        /// The events: `.json`, `.yaml`, `.ndjson` or `.csv` (both
        /// streamed), or `-` for NDJSON on standard input.
        #[arg(value_name = "EVENTS")]
        events: PathBuf,
        /// The date the report is as of (YYYY-MM-DD); by default, the date
        /// of the last event. Events after it are not considered.
        #[arg(long, value_name = "DATE", value_parser = as_of_date)]
        as_of: Option<jiff::civil::Date>,
        /// Add the reasoning behind each obligation and violation: the rule,
        /// the window, the events counted, the arithmetic and its rounding,
        /// the carve-outs and exceptions weighed.
        #[arg(long)]
        explain: bool,
        /// How to report.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Look for drafting problems: the lint catalogue (docs/lints.md).
    Lint {
        /// The clause files to lint.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Review FILE as a change from this older version: every clause
        /// added, removed or changed, every value old → new, whom each
        /// change favours, and the scenarios that read differently.
        #[arg(long, value_name = "OLD")]
        against: Option<PathBuf>,
        /// How to report: for people, as JSON, or as SARIF 2.1.0 for
        /// code-review tools.
        #[arg(long, value_enum, default_value_t = LintFormat::Human)]
        format: LintFormat,
        /// Treat a rule (by name or code) as an error; `warnings` makes
        /// every warning an error. Prevails over `--allow`.
        #[arg(long, value_name = "NAME")]
        deny: Vec<String>,
        /// Do not report a rule (by name or code).
        #[arg(long, value_name = "NAME")]
        allow: Vec<String>,
    },
    /// Lay clause files out as the shipped contracts are, keeping every
    /// comment: in place, or with `--check` only say which would change.
    Fmt {
        /// The clause files; `-` reads standard input and writes the
        /// formatted text to standard output.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Write nothing: print what formatting would change, as a diff,
        /// and exit 1 if any file is not formatted.
        #[arg(long)]
        check: bool,
    },
    /// A language server for editors, over standard input and output:
    /// diagnostics, quick fixes, hover, definitions, references, rename,
    /// formatting and the outline.
    Lsp,
    /// Write the contract as one self-contained HTML page: its clauses
    /// with their wording and a reading in plain words; with events, a
    /// timeline and every finding; with `--against`, a redline.
    Render {
        /// The clause file.
        #[arg(value_name = "CONTRACT")]
        contract: PathBuf,
        /// The events, as for `eval`: `.json`, `.yaml`, `.ndjson`, `.csv`, or `-`.
        #[arg(value_name = "EVENTS")]
        events: Option<PathBuf>,
        /// The date the page is as of (YYYY-MM-DD); by default, the date
        /// of the last event. Without events, where the contract stands
        /// on that date with nothing having happened.
        #[arg(long, value_name = "DATE", value_parser = as_of_date)]
        as_of: Option<jiff::civil::Date>,
        /// Show the changes from this older version as a redline.
        #[arg(long, value_name = "OLD")]
        against: Option<PathBuf>,
        /// Write the page to this file (atomically) instead of standard
        /// output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Run scenario files (`*.scenario.yaml`) and compare each
    /// interpretation with its reviewed snapshot.
    Test {
        /// Scenario files, or folders to search for them (default: `.`).
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Accept the interpretations as they are now: rewrite changed
        /// snapshots (atomically).
        #[arg(long)]
        update: bool,
        /// Run only the scenarios whose name or file contains this text.
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        /// Also write the results as JUnit XML, for CI systems.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
        /// Let scenarios name contracts, event files and snapshots outside
        /// the current folder and the folders given (by default they are
        /// refused, links followed).
        #[arg(long)]
        allow_outside: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: rendered diagnostics.
    Human,
    /// For tools: one JSON document.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// For people: rendered findings.
    Human,
    /// For tools: one JSON document (`proviso.lint/1`).
    Json,
    /// SARIF 2.1.0, for code-review tools.
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// The exit codes of every command (see `docs/` and the product brief).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// Findings: violations, overdue obligations, failed tests, denied lints.
    Findings = 1,
    /// Invalid input: the files could not be read, parsed or checked.
    Invalid = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return match error.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    Exit::Ok.into()
                }
                _ => Exit::Invalid.into(),
            };
        }
    };
    let color = match cli.color {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto => {
            if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
                ColorChoice::Always
            } else {
                ColorChoice::Never
            }
        }
    };
    // The language server writes to standard output itself, a message at a
    // time, so it runs before the command's output takes hold of it.
    if matches!(cli.command, Command::Lsp) {
        return lsp::run().into();
    }
    let mut out = output::Output::new();
    let exit = match cli.command {
        Command::Check { files, format } => check::run(&mut out, &files, format, color),
        Command::Eval {
            contract,
            events,
            as_of,
            explain,
            format,
        } => eval::run(&mut out, &contract, &events, as_of, explain, format, color),
        Command::Lint {
            files,
            against,
            format,
            deny,
            allow,
        } => lint::run(
            &mut out,
            &lint::Options {
                files,
                against,
                format,
                deny,
                allow,
            },
            color,
        ),
        Command::Lsp => lsp::run(),
        Command::Fmt { files, check } => fmt::run(&mut out, &fmt::Options { files, check }, color),
        Command::Render {
            contract,
            events,
            as_of,
            against,
            output,
        } => render::run(
            &mut out,
            &render::Options {
                contract,
                events,
                as_of,
                against,
                output,
            },
            color,
        ),
        Command::Test {
            paths,
            update,
            filter,
            junit,
            allow_outside,
        } => test::run(
            &mut out,
            &test::Options {
                paths,
                update,
                filter,
                junit,
                allow_outside,
            },
            color,
        ),
    };
    out.finish(exit).into()
}

/// `--as-of`: a date as the language writes them (`YYYY-MM-DD`, years 0001
/// to 9999, a day that exists), with the language's own words when it is
/// not one.
fn as_of_date(text: &str) -> Result<jiff::civil::Date, String> {
    proviso::syntax::parse_date_text(text, proviso::ast::Span::default()).map_err(|d| {
        let label = d.primary.message;
        match d.help {
            Some(help) => format!("{label}; {help}"),
            None => label,
        }
    })
}
