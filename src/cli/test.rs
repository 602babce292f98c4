//! `proviso test [PATH...] [--update] [--filter TEXT] [--junit FILE]`: runs
//! scenario files, checks what each expects, compares each interpretation
//! with its reviewed snapshot. Exit 0 when all pass, 1 when any fails, 2
//! when a scenario file (or its contract or events) cannot be read as one.

use std::io::Write;
use std::path::{Path, PathBuf};

use proviso::Limits;
use proviso::diagnostics::{ColorChoice, render_human};
use proviso::scenario::run::{self, Interpretation};
use proviso::scenario::{self, junit, snapshot};
use proviso::text::for_people;

use super::Exit;
use super::output::Output;

pub struct Options {
    pub paths: Vec<PathBuf>,
    pub update: bool,
    pub filter: Option<String>,
    pub junit: Option<PathBuf>,
    /// Whether scenarios may name files outside the folders given.
    pub allow_outside: bool,
}

/// Where a path leads once links are followed: the file itself if it
/// exists, else its folder's real path and its name (a snapshot not yet
/// written), or the target of a dangling link.
fn real_place(path: &Path) -> Option<PathBuf> {
    if let Ok(real) = std::fs::canonicalize(path) {
        return Some(real);
    }
    let target = match std::fs::read_link(path) {
        Ok(target) if target.is_absolute() => target,
        Ok(target) => path.parent()?.join(target),
        Err(_) => path.to_path_buf(),
    };
    // A bare file name (`fee.interpretation.txt`) has an empty folder,
    // which is the current one.
    let folder = match target.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let folder = std::fs::canonicalize(folder).ok()?;
    Some(folder.join(target.file_name()?))
}

/// The files a scenario names (its contract, its event file, its
/// snapshot) that lie outside every one of `roots`, links followed.
fn outside(scenario: &scenario::Scenario, snapshot: &Path, roots: &[PathBuf]) -> Vec<String> {
    let mut named: Vec<&Path> = vec![scenario.contract.as_path(), snapshot];
    if let scenario::Events::File { path, .. } = &scenario.events {
        named.push(path.as_path());
    }
    named
        .into_iter()
        .filter(|path| {
            real_place(path).is_none_or(|real| !roots.iter().any(|root| real.starts_with(root)))
        })
        .map(|path| path.display().to_string())
        .collect()
}

struct Ran {
    name: String,
    file: String,
    contract: PathBuf,
    failures: Vec<String>,
    interpretation: Interpretation,
}

/// A scenario file read and interpreted, or why it is not.
enum Prepared {
    /// Left out by `--filter`.
    Filtered,
    /// Not a valid scenario file.
    Unreadable(Box<scenario::Invalid>),
    /// It names files outside the folders given: the problem, in words.
    Outside(String),
    Interpreted {
        scenario: Box<scenario::Scenario>,
        interpretation: Interpretation,
        /// Where its reviewed interpretation is kept.
        snapshot: PathBuf,
    },
}

/// Reads a scenario file and interprets it (nothing printed or written).
fn prepare(file: &Path, limits: &Limits, options: &Options, roots: &[PathBuf]) -> Prepared {
    let scenario = match scenario::load(file, limits) {
        Ok(scenario) => scenario,
        Err(problem) => return Prepared::Unreadable(problem),
    };
    let file_name = file.display().to_string();
    if let Some(filter) = &options.filter
        && !scenario.name.contains(filter.as_str())
        && !file_name.contains(filter.as_str())
    {
        return Prepared::Filtered;
    }
    let snapshot = snapshot::path_of(file);
    if !options.allow_outside {
        let beyond = outside(&scenario, &snapshot, roots);
        if !beyond.is_empty() {
            return Prepared::Outside(format!(
                "the scenario names {}, outside the folder `proviso test` runs in and the folders given to it: it is not read; run from a folder that holds it, or give `--allow-outside`",
                beyond
                    .iter()
                    .map(|p| format!("`{}`", proviso::text::for_people(p)))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ));
        }
    }
    let interpretation = run::interpret(&scenario, &scenario.contract);
    Prepared::Interpreted {
        scenario: Box::new(scenario),
        interpretation,
        snapshot,
    }
}

pub fn run(out: &mut Output, options: &Options, color: ColorChoice) -> Exit {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let mut err = std::io::stderr().lock();
    let mut invalid = false;
    let mut unreadable = 0usize;
    // Scenario files that could not be read, with their problems (for JUnit).
    let mut broken: Vec<(String, Vec<String>)> = Vec::new();
    for path in &paths {
        if !path.exists() {
            let _ = writeln!(err, "error: `{}` does not exist", shown_path(path));
            invalid = true;
        }
    }
    let files = scenario::discover(&paths);
    // Where a suite's files may be, links followed: the folder proviso
    // runs in, and each folder given (a scenario file given on its own
    // belongs to its folder).
    let roots: Vec<PathBuf> = std::iter::once(PathBuf::from("."))
        .chain(paths.iter().map(|p| {
            if p.is_dir() {
                p.clone()
            } else {
                p.parent()
                    .filter(|f| !f.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .to_path_buf()
            }
        }))
        .filter_map(|folder| std::fs::canonicalize(folder).ok())
        .collect();
    let limits = Limits::default();
    // Reading and interpreting each scenario is independent of the others:
    // on every core, in the order of the files. What is printed and
    // written is then done in that order.
    let prepared = proviso::parallel::map(&files, |file| prepare(file, &limits, options, &roots));
    let mut ran: Vec<Ran> = Vec::new();
    for (file, prepared) in files.iter().zip(prepared) {
        let (scenario, interpretation, snapshot_path) = match prepared {
            Prepared::Filtered => continue,
            Prepared::Unreadable(problem) => {
                let _ = write!(
                    err,
                    "{}",
                    render_human(&problem.file, &problem.diagnostics, color)
                );
                let _ = writeln!(err, "error: `{}` is not a valid scenario", shown_path(file));
                invalid = true;
                unreadable += 1;
                broken.push((
                    file.display().to_string(),
                    problem
                        .diagnostics
                        .iter()
                        .map(|d| format!("{}: {}", d.code, d.message))
                        .collect::<Vec<_>>(),
                ));
                continue;
            }
            Prepared::Outside(problem) => {
                let _ = writeln!(err, "error: {}: {}", shown_path(file), for_people(&problem));
                invalid = true;
                unreadable += 1;
                broken.push((file.display().to_string(), vec![problem]));
                continue;
            }
            Prepared::Interpreted {
                scenario,
                interpretation,
                snapshot,
            } => (scenario, interpretation, snapshot),
        };
        let file_name = file.display().to_string();
        // A contract or event file that does not exist is a broken suite,
        // not a failing scenario (unless the scenario expects exactly that).
        if interpretation.unreadable && scenario.error.is_none() {
            invalid = true;
        }
        let mut failures = run::check(&scenario, &interpretation);
        let broken_files = interpretation.unreadable && scenario.error.is_none();
        let now = snapshot::render(&scenario, &interpretation.text);
        // A snapshot that is a pipe or a device is neither read (a pipe
        // with no writer would wait for ever) nor written: the suite is
        // broken, as when a contract is one.
        let special = std::fs::metadata(&snapshot_path).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if special {
            invalid = true;
        }
        // A checkout may have turned line ends into CRLF: compare the text.
        let accepted = if special {
            Err(std::io::Error::other("it is not a regular file"))
        } else {
            std::fs::read_to_string(&snapshot_path).map(|t| t.replace("\r\n", "\n"))
        };
        match accepted {
            // Nothing to keep of a scenario whose files are missing.
            _ if broken_files => {}
            Ok(accepted) if accepted == now => {}
            Ok(_) if options.update => {
                write_snapshot(&snapshot_path, &now, "updated", out, &mut failures);
            }
            Ok(accepted) => failures.push(format!(
                "the interpretation changed; review the difference, then accept it with `proviso test --update`:\n{}",
                snapshot::diff(&accepted, &now)
            )),
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => failures.push(format!(
                "cannot read the interpretation snapshot {}: {}; it is left as it is",
                snapshot_path.display(),
                e.to_string().to_lowercase()
            )),
            Err(_) if snapshot::on_ci() && !options.update => failures.push(format!(
                "no interpretation snapshot yet, and CI is set, so none is written: run `proviso test --update` and commit {}",
                snapshot_path.display()
            )),
            Err(_) => {
                write_snapshot(&snapshot_path, &now, "wrote new", out, &mut failures);
            }
        }
        ran.push(Ran {
            name: scenario.name.clone(),
            file: file_name,
            contract: scenario.contract.clone(),
            failures,
            interpretation,
        });
    }

    for r in ran.iter().filter(|r| !r.failures.is_empty()) {
        let _ = writeln!(
            out,
            "FAIL {} ({})",
            for_people(&r.name),
            for_people(&r.file)
        );
        for failure in &r.failures {
            for (i, line) in failure.lines().enumerate() {
                let lead = if i == 0 { "  - " } else { "    " };
                let _ = writeln!(out, "{lead}{}", for_people(line));
            }
        }
    }

    // Coverage: the clauses of each contract no scenario exercised.
    let mut contracts: Vec<PathBuf> = ran
        .iter()
        .map(|r| {
            r.contract
                .canonicalize()
                .unwrap_or_else(|_| r.contract.clone())
        })
        .collect();
    contracts.sort();
    contracts.dedup();
    if options.filter.is_none() {
        for contract in &contracts {
            let runs: Vec<&Interpretation> = ran
                .iter()
                .filter(|r| {
                    r.contract
                        .canonicalize()
                        .unwrap_or_else(|_| r.contract.clone())
                        == *contract
                })
                .map(|r| &r.interpretation)
                .collect();
            let shown = ran
                .iter()
                .find(|r| r.contract.canonicalize().ok().as_ref() == Some(contract))
                .map_or_else(
                    || contract.display().to_string(),
                    |r| scenario::tidy(&r.contract).display().to_string(),
                );
            let unexercised = run::unexercised(&runs);
            if !unexercised.is_empty() {
                let _ = writeln!(
                    out,
                    "warning: no scenario exercises {} of {} (no finding came from {}, and {} decided nothing):",
                    if unexercised.len() == 1 {
                        "this clause"
                    } else {
                        "these clauses"
                    },
                    for_people(&shown),
                    if unexercised.len() == 1 { "it" } else { "them" },
                    if unexercised.len() == 1 { "it" } else { "they" },
                );
                for clause in unexercised {
                    let _ = writeln!(
                        out,
                        "  clause {} \"{}\"",
                        clause.number,
                        for_people(&clause.heading)
                    );
                }
            }
        }
    }

    let failed = ran.iter().filter(|r| !r.failures.is_empty()).count();
    if ran.is_empty() && unreadable == 0 {
        let where_ = paths
            .iter()
            .map(|p| shown_path(p))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            err,
            "error: no scenario ran: {}",
            match &options.filter {
                Some(filter) => format!("none under {where_} has `{filter}` in its name or file"),
                None => format!("no scenario file (`*.scenario.yaml`) under {where_}"),
            }
        );
        invalid = true;
    }
    let _ = write!(out, "{} passed, {failed} failed", ran.len() - failed);
    if unreadable > 0 {
        let _ = write!(out, ", {unreadable} not valid scenarios");
    }
    let _ = writeln!(out);

    if let Some(path) = &options.junit {
        let mut cases: Vec<junit::Case<'_>> = ran
            .iter()
            .map(|r| junit::Case {
                name: &r.name,
                file: &r.file,
                failures: &r.failures,
            })
            .collect();
        // A scenario file that cannot be read fails too.
        cases.extend(broken.iter().map(|(file, problems)| junit::Case {
            name: file,
            file,
            failures: problems,
        }));
        if let Err(e) = snapshot::write_atomically(path, &junit::document(&cases)) {
            let _ = writeln!(err, "error: cannot write {}: {e}", shown_path(path));
            invalid = true;
        }
    }

    if invalid {
        Exit::Invalid
    } else if failed > 0 {
        Exit::Findings
    } else {
        Exit::Ok
    }
}

/// A path as it is printed for people: control and direction characters
/// in a file's name escaped.
fn shown_path(path: &Path) -> String {
    for_people(&path.display().to_string()).into_owned()
}

fn write_snapshot(
    path: &std::path::Path,
    text: &str,
    verb: &str,
    out: &mut impl Write,
    failures: &mut Vec<String>,
) {
    match snapshot::write_atomically(path, text) {
        Ok(()) => {
            let _ = writeln!(out, "{verb} interpretation snapshot {}", shown_path(path));
        }
        Err(e) => failures.push(format!("cannot write {}: {e}", path.display())),
    }
}
