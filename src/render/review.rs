//! The change review as a document (`render --against OLD`): every
//! change grouped by how much it matters, each value old → new with whom
//! it favours, wording marked up word by word as a lawyer marks a draft
//! (struck words in `<del>`, new words in `<ins>`), clauses added and
//! removed.

use maud::{Markup, html};

use super::reading::clause_anchor;
use super::user;
use crate::diff::report::{former_title, group_heading, summary, title};
use crate::diff::{Change, ChangeKind, Detail, Edit, Subject, Version};

pub fn review(old: Version<'_>, new: Version<'_>, changes: &[Change]) -> Markup {
    let mut groups: Vec<(&'static str, Vec<&Change>)> = Vec::new();
    for change in changes {
        let heading = group_heading(change.materiality());
        match groups.last_mut() {
            Some((h, list)) if *h == heading => list.push(change),
            _ => groups.push((heading, vec![change])),
        }
    }
    html! {
        section class="review" id="changes" aria-labelledby="changes-h" {
            h2 id="changes-h" { "Changes from " (user(old.source.name())) }
            p class="review-summary" { (summary(changes)) "." }
            @if changes.is_empty() { p { "Nothing changed." } }
            @for (heading, list) in &groups {
                h3 { (heading) }
                @for change in list { (one(old, new, change)) }
            }
        }
    }
}

fn one(old: Version<'_>, new: Version<'_>, change: &Change) -> Markup {
    let kind = change.kind.as_str();
    let was = former_title(old, new, change);
    // A clause still in the new version links to its text on this page.
    let link = match (&change.subject, change.kind) {
        (Subject::Clause { new: Some(n), .. }, ChangeKind::Added | ChangeKind::Changed) => new
            .checked
            .clause(*n)
            .map(|c| clause_anchor(&c.number.node.to_string())),
        (Subject::Clause { .. }, ChangeKind::Removed)
        | (Subject::Clause { new: None, .. }, _)
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
    };
    html! {
        article class=(format!("change change-{kind}")) {
            p class="change-head" {
                span class=(format!("chip change-chip-{kind}")) { (kind.to_uppercase()) } " "
                @match &link {
                    Some(anchor) => { a href=(format!("#{anchor}")) { (user(&title(old, new, change))) } }
                    None => { (user(&title(old, new, change))) }
                }
                @if let Some(was) = was { " (was " (user(&was)) ")" }
            }
            table class="changes" {
                thead { tr { th scope="col" { "What" } th scope="col" { "Before" } th scope="col" { "After" } th scope="col" { "Favours" } } }
                tbody {
                    @for detail in &change.details { (row(detail)) }
                }
            }
        }
    }
}

fn row(detail: &Detail) -> Markup {
    let Detail {
        what,
        old,
        new,
        favours,
        span: _,
        in_old: _,
        whole,
        materiality: _,
        redline,
    } = detail;
    let what = if *whole {
        match (old, new) {
            (None, Some(_)) => format!("added {what}"),
            (Some(_), None) => format!("removed {what}"),
            _ => what.clone(),
        }
    } else {
        what.clone()
    };
    html! {
        tr {
            th scope="row" { (user(&what)) }
            @match redline {
                Some(edits) if !whole => {
                    td colspan="2" class="redline" { (marked_up(edits)) }
                }
                _ => {
                    td class="old" { @match old { Some(o) => { del { (user(o)) } } None => { span class="none" { "none" } } } }
                    td class="new" { @match new { Some(n) => { ins { (user(n)) } } None => { span class="none" { "none" } } } }
                }
            }
            td class="favours" { @if let Some(f) = favours { (user(f)) } }
        }
    }
}

/// Wording marked up word by word.
pub fn marked_up(edits: &[Edit]) -> Markup {
    html! {
        @for (i, edit) in edits.iter().enumerate() {
            @match edit {
                Edit::Equal(text) => { (user(text)) }
                Edit::Delete(text) => { del { (user(text)) } }
                Edit::Insert(text) => {
                    // A phrase struck and its replacement read as two.
                    @if i > 0 && matches!(edits.get(i - 1), Some(Edit::Delete(_))) { " " }
                    ins { (user(text)) }
                }
            }
        }
    }
}
