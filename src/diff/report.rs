//! The change review for people, as JSON, and as SARIF results.

use std::fmt::Write as _;

use serde_json::{Value as Json, json};

use super::impact::Impact;
use super::{Change, ChangeKind, Detail, Version};

fn clause_title(version: Version<'_>, index: Option<usize>) -> String {
    index
        .and_then(|i| version.checked.file.clauses.get(i))
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

fn detail_line(d: &Detail) -> String {
    let mut line = match (&d.old, &d.new, d.whole_rule) {
        (None, Some(new), true) => format!("added {}: `{new}`", d.what),
        (Some(old), None, true) => format!("removed {}: `{old}`", d.what),
        (None, None, _) => d.what.clone(),
        (old, new, _) => format!(
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

fn location(version: Version<'_>, span: crate::ast::Span) -> String {
    let p = version.source.position(span.start);
    format!("{}:{}:{}", version.source.name(), p.line, p.column)
}

/// The review for people.
pub fn human(old: Version<'_>, new: Version<'_>, changes: &[Change], impacts: &[Impact]) -> String {
    let mut out = format!(
        "Change review: {} against {}\n\n",
        new.source.name(),
        old.source.name()
    );
    if changes.is_empty() {
        out.push_str("No clause changed.\n");
    }
    for change in changes {
        let (title, word) = match change.kind {
            ChangeKind::Added => (clause_title(new, change.new), "added".to_string()),
            ChangeKind::Removed => (clause_title(old, change.old), "removed".to_string()),
            ChangeKind::Changed => {
                let old_title = clause_title(old, change.old);
                let new_title = clause_title(new, change.new);
                (new_title, format!("changed (was {old_title})"))
            }
        };
        let (version, index) = match change.kind {
            ChangeKind::Removed => (old, change.old),
            _ => (new, change.new),
        };
        let at = index
            .and_then(|i| version.checked.file.clauses.get(i))
            .map_or_else(String::new, |c| location(version, c.number.span));
        let _ = writeln!(out, "{title}: {word}\n    --> {at}");
        for detail in &change.details {
            let _ = writeln!(out, "  - {}", detail_line(detail));
        }
    }
    let count = |k: ChangeKind| changes.iter().filter(|c| c.kind == k).count();
    let _ = writeln!(
        out,
        "\n{} clauses added, {} removed, {} changed",
        count(ChangeKind::Added),
        count(ChangeKind::Removed),
        count(ChangeKind::Changed)
    );
    if !impacts.is_empty() {
        let _ = writeln!(
            out,
            "\nInterpretation impact: {} scenario{} of the new version read differently under the old one",
            impacts.len(),
            if impacts.len() == 1 { "" } else { "s" }
        );
        for impact in impacts {
            let _ = writeln!(out, "  {} ({})", impact.name, impact.file);
            for line in impact.differences.iter().take(12) {
                let _ = writeln!(out, "    {line}");
            }
            if impact.differences.len() > 12 {
                let _ = writeln!(
                    out,
                    "    ... and {} more lines",
                    impact.differences.len() - 12
                );
            }
        }
    }
    out
}

/// The review as JSON: the `review` member of `proviso.lint/1`.
pub fn json(old: Version<'_>, new: Version<'_>, changes: &[Change], impacts: &[Impact]) -> Json {
    let number = |version: Version<'_>, index: Option<usize>| {
        index
            .and_then(|i| version.checked.file.clauses.get(i))
            .map(|c| c.number.node.to_string())
    };
    json!({
        "old": old.source.name(),
        "new": new.source.name(),
        "changes": changes.iter().map(|c| json!({
            "kind": match c.kind { ChangeKind::Added => "added", ChangeKind::Removed => "removed", ChangeKind::Changed => "changed" },
            "old_clause": number(old, c.old),
            "new_clause": number(new, c.new),
            "details": c.details.iter().map(|d| {
                let (version, span) = if d.in_old { (old, d.span) } else { (new, d.span) };
                let p = version.source.position(span.start);
                json!({
                    "what": d.what,
                    "rule": if d.whole_rule { if d.old.is_some() { "removed" } else { "added" } } else { "changed" },
                    "old": d.old,
                    "new": d.new,
                    "favours": d.favours,
                    "file": version.source.name(),
                    "line": p.line,
                    "column": p.column,
                })
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "impact": impacts.iter().map(|i| json!({
            "scenario": i.name,
            "file": i.file,
            "differences": i.differences,
        })).collect::<Vec<_>>(),
    })
}

/// The review's SARIF rules.
pub fn sarif_rules() -> Vec<Json> {
    [
        (
            "review/added",
            "clause-added",
            "a clause the old version does not have",
        ),
        (
            "review/removed",
            "clause-removed",
            "a clause the new version no longer has",
        ),
        (
            "review/changed",
            "clause-changed",
            "a clause whose rules or values changed",
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

/// One SARIF result per changed clause, at the clause in the new version
/// (in the old, for a removed clause).
pub fn sarif_results(old: Version<'_>, new: Version<'_>, changes: &[Change]) -> Vec<Json> {
    changes
        .iter()
        .filter_map(|change| {
            let (id, version, index) = match change.kind {
                ChangeKind::Added => ("review/added", new, change.new),
                ChangeKind::Removed => ("review/removed", old, change.old),
                ChangeKind::Changed => ("review/changed", new, change.new),
            };
            let clause = index.and_then(|i| version.checked.file.clauses.get(i))?;
            let start = version.source.position(clause.number.span.start);
            let end = version.source.position(clause.number.span.end);
            let mut text = format!(
                "{} {}",
                clause_title(version, index),
                id.strip_prefix("review/").unwrap_or(id)
            );
            for detail in &change.details {
                let _ = write!(text, "; {}", detail_line(detail));
            }
            Some(json!({
                "ruleId": id,
                "level": "note",
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": version.source.name().replace('\\', "/") },
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column,
                        }
                    }
                }],
            }))
        })
        .collect()
}
