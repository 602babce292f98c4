//! `proviso lint FILE... [--format human|json|sarif] [--deny NAME|warnings]
//! [--allow NAME]`: the lint catalogue on each file. Exit 0 when nothing is
//! found at the deny level, 1 when something is, 2 when a file cannot be
//! read or checked (its diagnostics are printed as `check` prints them).

use std::io::Write;
use std::path::PathBuf;

use proviso::diagnostics::{ColorChoice, closest, render_human};
use proviso::diff::{self, Version};
use proviso::lint::{self, Config, Finding, LINTS, Level};
use proviso::{Diagnostic, Limits, SourceFile, load};

use super::output::Output;
use super::{Exit, LintFormat};

pub struct Options {
    pub files: Vec<PathBuf>,
    /// `--against OLD`: review the (one) file as a change from OLD.
    pub against: Option<PathBuf>,
    pub format: LintFormat,
    pub deny: Vec<String>,
    pub allow: Vec<String>,
}

enum Linted {
    /// The file could not be read or checked: its diagnostics.
    Invalid(SourceFile, Vec<Diagnostic>),
    Checked(SourceFile, Box<proviso::Checked>, Vec<Finding>),
}

/// With `--format json` or `sarif`, a document that says the old version
/// of `--against` could not be read or checked (as a file that failed:
/// `valid: false` with its diagnostics, or a SARIF run whose execution did
/// not succeed), so that a program reading the output is not left with
/// none. The human format says it on standard error alone.
fn old_version_failed(
    out: &mut Output,
    format: LintFormat,
    source: &SourceFile,
    diagnostics: &[Diagnostic],
) {
    let document = match format {
        LintFormat::Human => return,
        LintFormat::Json => serde_json::json!({
            "schema": lint::JSON_SCHEMA,
            "files": [lint::json_entry(source, Err(diagnostics))],
        }),
        LintFormat::Sarif => lint::sarif::document(&[], &[(source, diagnostics)]),
    };
    let _ = writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&document).unwrap_or_default()
    );
}

pub fn run(out: &mut Output, options: &Options, color: ColorChoice) -> Exit {
    let mut config = Config::default();
    // An explicit --deny prevails over an --allow of the same rule.
    for name in &options.allow {
        config.levels.push((name.clone(), Level::Allow));
    }
    for name in &options.deny {
        if name == "warnings" {
            config.deny_warnings = true;
        } else {
            config.levels.push((name.clone(), Level::Deny));
        }
    }
    let unknown = config.unknown_names();
    if !unknown.is_empty() {
        let names: Vec<String> = LINTS.iter().map(lint::Lint::name).collect();
        let mut err = std::io::stderr().lock();
        for name in unknown {
            let hint = closest(name, names.iter().map(String::as_str))
                .map_or_else(String::new, |best| format!("; did you mean `{best}`?"));
            let _ = writeln!(
                err,
                "error: no lint rule is named `{name}`{hint} (the rules are listed in docs/lints.md)"
            );
        }
        return Exit::Invalid;
    }

    let limits = Limits::default();
    if options.against.is_some() && options.files.len() != 1 {
        let _ = writeln!(
            std::io::stderr(),
            "error: --against compares one file with its older version: give one FILE"
        );
        return Exit::Invalid;
    }
    // The old version, checked, before anything is printed.
    let old = match &options.against {
        None => None,
        Some(path) => match load::read_file(path, &limits) {
            Err(error) => {
                let diagnostics = [error.diagnostic];
                old_version_failed(out, options.format, &error.file, &diagnostics);
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "{}", render_human(&error.file, &diagnostics, color));
                let _ = writeln!(
                    err,
                    "error: the old version {} cannot be read",
                    proviso::text::for_people(&path.display().to_string())
                );
                return Exit::Invalid;
            }
            Ok(source) => {
                let outcome = proviso::check_source(&source, &limits);
                match outcome.checked {
                    Some(checked) => Some((source, checked)),
                    None => {
                        old_version_failed(out, options.format, &source, &outcome.diagnostics);
                        let mut err = std::io::stderr().lock();
                        let _ = write!(
                            err,
                            "{}",
                            render_human(&source, &outcome.diagnostics, color)
                        );
                        let _ = writeln!(
                            err,
                            "error: the old version {} cannot be compared until it checks",
                            proviso::text::for_people(source.name())
                        );
                        return Exit::Invalid;
                    }
                }
            }
        },
    };
    // Each file on its own core; printed in the order given.
    let results: Vec<Linted> =
        proviso::parallel::map(&options.files, |path| {
            match load::read_file(path, &limits) {
                Err(error) => Linted::Invalid(error.file, vec![error.diagnostic]),
                Ok(source) => {
                    let outcome = proviso::check_source(&source, &limits);
                    match outcome.checked {
                        Some(checked) => {
                            let findings = lint::lint(&checked, source.text(), &config);
                            Linted::Checked(source, Box::new(checked), findings)
                        }
                        None => Linted::Invalid(source, outcome.diagnostics),
                    }
                }
            }
        });

    let invalid = results.iter().any(|r| matches!(r, Linted::Invalid(..)));
    // The change review, when there is an old version and the new one checks.
    let review = match (
        &old,
        results.first(),
        &options.against,
        options.files.first(),
    ) {
        (
            Some((old_source, old_checked)),
            Some(Linted::Checked(new_source, new_checked, _)),
            Some(old_path),
            Some(new_path),
        ) => {
            let old_version = Version {
                checked: old_checked,
                source: old_source,
            };
            let new_version = Version {
                checked: new_checked,
                source: new_source,
            };
            let changes = diff::review(old_version, new_version);
            let impacts = diff::impact::impact(old_path, new_path);
            Some((old_version, new_version, changes, impacts))
        }
        _ => None,
    };
    let denied = results.iter().any(|r| match r {
        Linted::Checked(_, _, findings) => findings.iter().any(|f| f.level == Level::Deny),
        Linted::Invalid(..) => false,
    });

    let stdout = &mut *out;
    match options.format {
        LintFormat::Human => {
            let mut stderr = std::io::stderr().lock();
            for result in &results {
                match result {
                    Linted::Invalid(source, diagnostics) => {
                        let _ = write!(stderr, "{}", render_human(source, diagnostics, color));
                        let _ = writeln!(
                            stderr,
                            "error: {} cannot be linted until it checks",
                            proviso::text::for_people(source.name())
                        );
                    }
                    Linted::Checked(source, _, findings) => {
                        let diagnostics: Vec<Diagnostic> =
                            findings.iter().map(|f| f.diagnostic.clone()).collect();
                        let _ = write!(stdout, "{}", render_human(source, &diagnostics, color));
                        let errors = findings.iter().filter(|f| f.level == Level::Deny).count();
                        let warnings = findings.len() - errors;
                        if findings.is_empty() {
                            let _ = writeln!(
                                stdout,
                                "{}: clean",
                                proviso::text::for_people(source.name())
                            );
                        } else {
                            let _ = writeln!(
                                stdout,
                                "{}: {errors} error{}, {warnings} warning{}",
                                proviso::text::for_people(source.name()),
                                if errors == 1 { "" } else { "s" },
                                if warnings == 1 { "" } else { "s" }
                            );
                        }
                    }
                }
            }
            if let Some((old, new, changes, impacts)) = &review {
                let _ = write!(
                    stdout,
                    "\n{}",
                    diff::report::human(*old, *new, changes, impacts)
                );
            }
        }
        LintFormat::Json => {
            let files: Vec<serde_json::Value> = results
                .iter()
                .map(|result| match result {
                    Linted::Invalid(source, diagnostics) => {
                        lint::json_entry(source, Err(diagnostics))
                    }
                    Linted::Checked(source, _, findings) => lint::json_entry(source, Ok(findings)),
                })
                .collect();
            let mut document = serde_json::json!({ "schema": lint::JSON_SCHEMA, "files": files });
            if let (Some((old, new, changes, impacts)), Some(fields)) =
                (&review, document.as_object_mut())
            {
                fields.insert(
                    "review".to_string(),
                    diff::report::json(*old, *new, changes, impacts),
                );
            }
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&document).unwrap_or_default()
            );
        }
        LintFormat::Sarif => {
            let files: Vec<(&SourceFile, &[Finding])> = results
                .iter()
                .filter_map(|r| match r {
                    Linted::Checked(source, _, findings) => Some((source, findings.as_slice())),
                    Linted::Invalid(..) => None,
                })
                .collect();
            let failed: Vec<(&SourceFile, &[Diagnostic])> = results
                .iter()
                .filter_map(|r| match r {
                    Linted::Invalid(source, diagnostics) => Some((source, diagnostics.as_slice())),
                    Linted::Checked(..) => None,
                })
                .collect();
            let mut document = lint::sarif::document(&files, &failed);
            if let Some((old, new, changes, _)) = &review {
                if let Some(rules) = document
                    .pointer_mut("/runs/0/tool/driver/rules")
                    .and_then(serde_json::Value::as_array_mut)
                {
                    rules.extend(diff::report::sarif_rules());
                }
                if let Some(results) = document
                    .pointer_mut("/runs/0/results")
                    .and_then(serde_json::Value::as_array_mut)
                {
                    results.extend(diff::report::sarif_results(*old, *new, changes));
                }
            }
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&document).unwrap_or_default()
            );
            if invalid {
                let mut stderr = std::io::stderr().lock();
                for result in &results {
                    if let Linted::Invalid(source, diagnostics) = result {
                        let _ = write!(stderr, "{}", render_human(source, diagnostics, color));
                    }
                }
            }
        }
    }
    if invalid {
        Exit::Invalid
    } else if denied {
        Exit::Findings
    } else {
        Exit::Ok
    }
}
