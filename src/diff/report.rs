//! The change review for people, as JSON, and as SARIF results.

use std::fmt::Write as _;

use serde_json::{Value as Json, json};

use super::impact::{Impact, Outcome};
use super::redline;
use super::{Change, ChangeKind, Detail, Materiality, Subject, Version};
use crate::ast::Span;
use crate::model::ClauseId;

/// The heading of each group of changes in the review for people.
pub(crate) fn group_heading(materiality: Materiality) -> &'static str {
    match materiality {
        Materiality::Money => "Money and percentages",
        Materiality::Time => "Dates, terms and windows",
        Materiality::Scope => "Scope, carve-outs and exceptions",
        Materiality::Parties => "Parties and roles",
        Materiality::Wording => "Wording and housekeeping",
    }
}

/// `clause 2 "Equity"`, `party panel`, `the contract header`.
pub(crate) fn title(old: Version<'_>, new: Version<'_>, change: &Change) -> String {
    match &change.subject {
        Subject::Header => "the contract header".to_string(),
        Subject::Party(name) => format!("party {name}"),
        Subject::Group(name) => format!("group {name}"),
        Subject::Category(name) => format!("category {name}"),
        Subject::Period(name) => format!("period {name}"),
        Subject::EventType(name) => format!("event type {name}"),
        Subject::Milestone(name) => format!("milestone {name}"),
        Subject::Definition(name) => format!("definition {name}"),
        Subject::Account(name) => format!("account {name}"),
        Subject::Clause { old: o, new: n } => match change.kind {
            ChangeKind::Removed => clause_title(old, *o),
            ChangeKind::Added | ChangeKind::Changed => clause_title(new, *n),
        },
    }
}

/// A changed clause's title in the old version, when it differs from its
/// title now (renumbered, or its heading changed).
pub(crate) fn former_title(old: Version<'_>, new: Version<'_>, change: &Change) -> Option<String> {
    match (&change.subject, change.kind) {
        (Subject::Clause { old: o, .. }, ChangeKind::Changed) => {
            let was = clause_title(old, *o);
            (was != title(old, new, change)).then_some(was)
        }
        (Subject::Clause { .. }, ChangeKind::Added | ChangeKind::Removed)
        | (
            Subject::Header
            | Subject::Party(_)
            | Subject::Group(_)
            | Subject::Category(_)
            | Subject::Period(_)
            | Subject::EventType(_)
            | Subject::Milestone(_)
            | Subject::Definition(_)
            | Subject::Account(_),
            _,
        ) => None,
    }
}

pub(crate) fn clause_title(version: Version<'_>, index: Option<ClauseId>) -> String {
    index
        .and_then(|i| version.checked.clause(i))
        .map_or_else(String::new, |c| {
            format!(
                "clause {}{}",
                c.number.node,
                c.heading
                    .as_ref()
                    .map_or_else(String::new, |h| format!(" \"{}\"", h.node))
            )
        })
}

/// Where a change is written: the clause's number, or its first detail
/// (in the old version when the item was removed).
fn anchor<'a>(old: Version<'a>, new: Version<'a>, change: &Change) -> (Version<'a>, Span) {
    if let Subject::Clause { old: o, new: n } = &change.subject {
        let (version, index) = match change.kind {
            ChangeKind::Removed => (old, *o),
            ChangeKind::Added | ChangeKind::Changed => (new, *n),
        };
        if let Some(clause) = index.and_then(|i| version.checked.clause(i)) {
            return (version, clause.number.span);
        }
    }
    match change.details.first() {
        Some(d) if d.in_old => (old, d.span),
        Some(d) => (new, d.span),
        None => (new, Span::default()),
    }
}

fn detail_line(d: &Detail) -> String {
    let mut line = match (&d.old, &d.new, d.whole, &d.redline) {
        (_, _, false, Some(edits)) => format!("{}: {}", d.what, redline::human(edits)),
        (None, Some(new), true, _) => format!("added {}: `{new}`", d.what),
        (Some(old), None, true, _) => format!("removed {}: `{old}`", d.what),
        (old, new, _, _) => format!(
            "{}: {} → {}",
            d.what,
            old.as_deref().unwrap_or("none"),
            new.as_deref().unwrap_or("none")
        ),
    };
    if let Some(favours) = &d.favours {
        let _ = write!(line, " ({favours})");
    }
    line
}

fn location(version: Version<'_>, span: Span) -> String {
    let p = version.source.position(span.start);
    format!("{}:{}:{}", version.source.name(), p.line, p.column)
}

/// The review for people: changes grouped by how much they matter, most
/// first; then the interpretation impact.
pub fn human(old: Version<'_>, new: Version<'_>, changes: &[Change], impacts: &[Impact]) -> String {
    let mut out = format!(
        "Change review: {} against {}\n",
        shown(new.source.name()),
        shown(old.source.name())
    );
    if changes.is_empty() {
        out.push_str("\nNothing changed.\n");
    }
    let mut group = None;
    for change in changes {
        let materiality = change.materiality();
        if group != Some(materiality) {
            group = Some(materiality);
            let _ = writeln!(out, "\n{}", group_heading(materiality));
        }
        let word = match former_title(old, new, change) {
            Some(was) => format!("changed (was {})", shown(&was)),
            None => change.kind.as_str().to_string(),
        };
        let (version, span) = anchor(old, new, change);
        let _ = writeln!(
            out,
            "{}: {word}\n    --> {}",
            shown(&title(old, new, change)),
            shown(&location(version, span))
        );
        for detail in &change.details {
            let _ = writeln!(out, "  - {}", shown(&detail_line(detail)));
        }
    }
    let _ = writeln!(out, "\n{}", summary(changes));
    if !impacts.is_empty() {
        impact_human(&mut out, impacts);
    }
    out
}

/// A piece of the review for people that may quote the contract or name
/// a file or a scenario: on one line, its control and direction
/// characters (a line break too) escaped.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    crate::text::for_people(text)
}

/// One line: how many clauses, declarations and header items changed.
pub(crate) fn summary(changes: &[Change]) -> String {
    let clauses = |k: ChangeKind| {
        changes
            .iter()
            .filter(|c| c.kind == k && matches!(c.subject, Subject::Clause { .. }))
            .count()
    };
    let declarations = |k: ChangeKind| {
        changes
            .iter()
            .filter(|c| {
                c.kind == k && !matches!(c.subject, Subject::Clause { .. } | Subject::Header)
            })
            .count()
    };
    let mut line = format!(
        "{} clauses added, {} removed, {} changed",
        clauses(ChangeKind::Added),
        clauses(ChangeKind::Removed),
        clauses(ChangeKind::Changed)
    );
    let (a, r, c) = (
        declarations(ChangeKind::Added),
        declarations(ChangeKind::Removed),
        declarations(ChangeKind::Changed),
    );
    if a + r + c > 0 {
        let _ = write!(line, "; declarations: {a} added, {r} removed, {c} changed");
    }
    if changes.iter().any(|c| c.subject == Subject::Header) {
        line.push_str("; the header changed");
    }
    line
}

fn impact_human(out: &mut String, impacts: &[Impact]) {
    let _ = writeln!(
        out,
        "\nInterpretation impact: {} scenario{} of the new version read{} differently under the old one",
        impacts.len(),
        if impacts.len() == 1 { "" } else { "s" },
        if impacts.len() == 1 { "s" } else { "" },
    );
    let grouped = super::impact::group(impacts);
    // Shared lines, gathered by the set of scenarios they occur in.
    let mut by_set: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
    for (line, names) in &grouped.shared {
        match by_set.iter_mut().find(|(set, _)| set == names) {
            Some((_, lines)) => lines.push(line),
            None => by_set.push((names.clone(), vec![line])),
        }
    }
    let with_findings = impacts
        .iter()
        .filter(|i| matches!(i.outcome, Outcome::Findings(_)))
        .count();
    for (names, lines) in &by_set {
        let others: Vec<&str> = impacts
            .iter()
            .filter(|i| matches!(i.outcome, Outcome::Findings(_)))
            .map(|i| i.name.as_str())
            .filter(|n| !names.contains(n))
            .collect();
        if names.len() == with_findings {
            let _ = writeln!(
                out,
                "  In each of the {} scenarios read under both versions:",
                names.len()
            );
        } else if others.len() < names.len() {
            let _ = writeln!(
                out,
                "  In {} of the {with_findings} scenarios read under both versions, all but: {}",
                names.len(),
                shown(&others.join("; "))
            );
        } else {
            let _ = writeln!(
                out,
                "  In {} scenarios ({}):",
                names.len(),
                shown(&names.join("; "))
            );
        }
        for line in lines {
            let _ = writeln!(out, "    {}", shown(line));
        }
    }
    for (impact, lines) in &grouped.own {
        let _ = writeln!(out, "  {} ({})", shown(&impact.name), shown(&impact.file));
        match &impact.outcome {
            Outcome::OldRefuses(why) => {
                let _ = writeln!(out, "    cannot run under the old version: {}", shown(why));
            }
            Outcome::NewRefuses(why) => {
                let _ = writeln!(out, "    cannot run under the new version: {}", shown(why));
            }
            Outcome::Findings(_) if lines.is_empty() => {
                let _ = writeln!(out, "    only the changes listed above as shared");
            }
            Outcome::Findings(_) => {
                for line in lines {
                    let _ = writeln!(out, "    {}", shown(line));
                }
            }
        }
    }
}

/// The review as JSON: the `review` member of `proviso.lint/1`.
pub fn json(old: Version<'_>, new: Version<'_>, changes: &[Change], impacts: &[Impact]) -> Json {
    let number = |version: Version<'_>, index: Option<ClauseId>| {
        index
            .and_then(|i| version.checked.clause(i))
            .map(|c| c.number.node.to_string())
    };
    json!({
        "old": old.source.name(),
        "new": new.source.name(),
        "changes": changes.iter().map(|c| {
            let (old_clause, new_clause, name) = match &c.subject {
                Subject::Clause { old: o, new: n } => (number(old, *o), number(new, *n), None),
                Subject::Header => (None, None, None),
                Subject::Party(name)
                | Subject::Group(name)
                | Subject::Category(name)
                | Subject::Period(name)
                | Subject::EventType(name)
                | Subject::Milestone(name)
                | Subject::Definition(name)
                | Subject::Account(name) => (None, None, Some(name.clone())),
            };
            json!({
                "subject": c.subject.kind(),
                "name": name,
                "kind": c.kind.as_str(),
                "materiality": c.materiality().as_str(),
                "old_clause": old_clause,
                "new_clause": new_clause,
                "details": c.details.iter().map(|d| {
                    let version = if d.in_old { old } else { new };
                    let p = version.source.position(d.span.start);
                    json!({
                        "what": d.what,
                        "change": if d.whole { if d.old.is_some() { "removed" } else { "added" } } else { "changed" },
                        "materiality": d.materiality.as_str(),
                        "old": d.old,
                        "new": d.new,
                        "favours": d.favours,
                        "redline": d.redline,
                        "file": version.source.name(),
                        "line": p.line,
                        "column": p.column,
                    })
                }).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
        "impact": impacts.iter().map(|i| {
            let (refused_by, why, findings) = match &i.outcome {
                Outcome::Findings(changes) => (None, None, changes.as_slice()),
                Outcome::OldRefuses(why) => (Some("old"), Some(why), [].as_slice()),
                Outcome::NewRefuses(why) => (Some("new"), Some(why), [].as_slice()),
            };
            json!({
                "scenario": i.name,
                "file": i.file,
                "refused_by": refused_by,
                "why": why,
                "findings": findings.iter().map(|f| json!({
                    "change": f.kind.as_str(),
                    "finding": f.finding,
                    "fields": f.fields,
                })).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
    })
}

/// The review's SARIF rules.
pub fn sarif_rules() -> Vec<Json> {
    [
        (
            "review/added",
            "added",
            "a clause or declaration the old version does not have",
        ),
        (
            "review/removed",
            "removed",
            "a clause or declaration the new version no longer has",
        ),
        (
            "review/changed",
            "changed",
            "the header, a declaration or a clause whose values changed",
        ),
    ]
    .into_iter()
    .map(|(id, name, text)| {
        json!({
            "id": id,
            "name": name,
            "shortDescription": { "text": text },
            "defaultConfiguration": { "level": "note" },
        })
    })
    .collect()
}

/// One SARIF result per change, where it is written in the new version (in
/// the old, for something removed).
pub fn sarif_results(old: Version<'_>, new: Version<'_>, changes: &[Change]) -> Vec<Json> {
    changes
        .iter()
        .map(|change| {
            let id = format!("review/{}", change.kind.as_str());
            let (version, span) = anchor(old, new, change);
            let start = version.source.position(span.start);
            let end = version.source.position(span.end);
            let mut text = format!("{} {}", title(old, new, change), change.kind.as_str());
            for detail in &change.details {
                let _ = write!(text, "; {}", detail_line(detail));
            }
            json!({
                "ruleId": id,
                "level": "note",
                "message": { "text": text },
                "properties": { "materiality": change.materiality().as_str() },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": crate::lint::sarif::uri(version.source.name()) },
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column,
                        }
                    }
                }],
            })
        })
        .collect()
}
