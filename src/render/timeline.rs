//! The timeline: the term, each rule's window, the milestones, and what
//! happened under each rule (due dates by status, payments, violations,
//! deadlines, suspensions), drawn as one SVG.
//!
//! Each rule with a window has a lane of its own, so a mark sits beside
//! the clause that produced it. Colour is never the only signal: every
//! status has its own shape too, and every mark says what it is in its
//! `<title>` (read out by screen readers and shown on hovering); the
//! findings below the timeline say it all again in words.

use jiff::civil::Date;
use maud::{Markup, html};

use crate::ast::{Span, Window};
use crate::eval::outcome::{CommitmentStatus, Outcome, Status};
use crate::eval::report::money_text;
use crate::eval::windows::{self, Days};
use crate::model::{Checked, ClauseId};

/// What a mark on the timeline stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    /// A due date, by the status of what is due.
    Due(Status),
    /// A due date met late: paid or done in full after it.
    Late,
    Payment,
    Violation,
    /// A commitment's deadline, and whether it was met.
    Deadline(CommitmentStatus),
}

impl Mark {
    /// The class tests and styles select on.
    fn class(self) -> &'static str {
        match self {
            Mark::Due(Status::Open) => "mark mark-due status-open",
            Mark::Due(Status::Discharged) => "mark mark-due status-discharged",
            Mark::Due(Status::Overdue) => "mark mark-due status-overdue",
            Mark::Late => "mark mark-due status-late",
            Mark::Payment => "mark mark-payment",
            Mark::Violation => "mark mark-violation",
            Mark::Deadline(CommitmentStatus::Open) => "mark mark-deadline status-open",
            Mark::Deadline(CommitmentStatus::Met(_)) => "mark mark-deadline status-discharged",
            Mark::Deadline(CommitmentStatus::Breached(_)) => "mark mark-deadline status-overdue",
        }
    }
}

struct Lane {
    label: String,
    /// The clause it belongs to, linked from the label.
    clause: Option<String>,
    /// Stretches drawn as bars: (first, last; `None` runs off the end).
    bars: Vec<(Date, Option<Date>)>,
    /// Whether the bars are suspensions (drawn hatched).
    suspended: bool,
    marks: Vec<(Date, Mark, String)>,
}

/// The term as days: from the report, or from the header alone.
pub fn term_days(contract: &Checked, outcome: Option<&Outcome>) -> Option<Days> {
    if let Some(term) = outcome.and_then(|o| o.term) {
        return Some(term.days);
    }
    let header = contract.file.header.as_ref()?;
    let first = header.effective.as_ref()?.node.date()?;
    let window = Window {
        from: None,
        end: header.term.clone(),
    };
    windows::resolve_given(&window, Days { first, last: None }, None, &|_| None).ok()
}

/// The timeline as SVG, as of the report (or with no events: the term and
/// the windows that depend on no milestone).
pub fn timeline(contract: &Checked, outcome: Option<&Outcome>) -> Option<Markup> {
    let term = term_days(contract, outcome)?;
    let reached = |name: &str| -> Option<Date> {
        let outcome = outcome?;
        let id = contract.symbols.milestones.get(name)?;
        outcome
            .milestones
            .iter()
            .find(|m| m.milestone == *id)?
            .reached
            .as_ref()
            .map(|r| r.date)
    };
    let mut lanes = vec![Lane {
        label: "Term".to_string(),
        clause: None,
        bars: vec![(term.first, term.last)],
        suspended: false,
        marks: Vec::new(),
    }];
    for (id, clause) in contract.clauses() {
        let survives = clause
            .survives
            .as_ref()
            .map(|s| s.length.as_ref().map(|l| l.node));
        for (index, statement) in clause.statements.iter().enumerate() {
            // A floor has no window of its own but owes over the term: its
            // shortfalls are marked on a row of the term's length.
            let floor = matches!(statement, crate::ast::Statement::Cap(c) if c.kind.node == crate::ast::LimitKind::Floor);
            let window = statement.window();
            if window.is_none() && !floor {
                continue;
            }
            // Two rules of a kind in one clause: numbered, so each row is told apart.
            let alike = clause
                .statements
                .iter()
                .filter(|s| s.kind_word() == statement.kind_word())
                .count();
            let nth = clause
                .statements
                .iter()
                .take(index)
                .filter(|s| s.kind_word() == statement.kind_word())
                .count()
                + 1;
            let bars = match window {
                Some(window) => windows::resolve_given(window, term, survives, &reached)
                    .map(|days| vec![(days.first, days.last)])
                    .unwrap_or_default(),
                None => vec![(term.first, term.last)],
            };
            lanes.push(Lane {
                label: if alike > 1 {
                    format!("{} · {} {nth}", clause.number.node, statement.kind_word())
                } else {
                    format!("{} · {}", clause.number.node, statement.kind_word())
                },
                clause: Some(clause.number.node.to_string()),
                bars,
                suspended: false,
                marks: outcome.map_or_else(Vec::new, |o| marks(contract, o, id, statement.span())),
            });
        }
    }
    if let Some(outcome) = outcome {
        for (id, clause) in contract.clauses() {
            let stretches: Vec<(Date, Option<Date>)> = outcome
                .suspensions
                .iter()
                .filter(|s| s.clause == id)
                .map(|s| (s.from, s.until.and_then(|u| u.yesterday().ok())))
                .collect();
            if !stretches.is_empty() {
                lanes.push(Lane {
                    label: format!("{} · suspension", clause.number.node),
                    clause: Some(clause.number.node.to_string()),
                    bars: stretches,
                    suspended: true,
                    marks: Vec::new(),
                });
            }
        }
    }
    let milestones: Vec<(Date, String)> = outcome
        .map(|o| {
            o.milestones
                .iter()
                .filter_map(|m| {
                    let reached = m.reached.as_ref()?;
                    let declared = contract.milestone(m.milestone)?;
                    let label = declared
                        .label
                        .as_ref()
                        .map_or_else(|| declared.name.node.clone(), |l| l.node.clone());
                    Some((reached.date, label))
                })
                .collect()
        })
        .unwrap_or_default();
    let as_of = outcome.and_then(|o| o.as_of);
    Some(draw(term, &lanes, &milestones, as_of))
}

/// Whether a finding's rule is written inside a statement: the statement
/// itself, or a part of it (the damages or the right a default gives).
fn within(rule: Span, statement: Span) -> bool {
    statement.start <= rule.start && rule.end <= statement.end
}

/// The marks of one rule: its obligations' due dates and payments, its
/// acts' due dates, its violations, its commitments' deadlines.
fn marks(
    contract: &Checked,
    outcome: &Outcome,
    clause: ClauseId,
    rule: Span,
) -> Vec<(Date, Mark, String)> {
    let mut out = Vec::new();
    let party = |id| contract.party(id).map_or("?", |p| p.name.node.as_str());
    for o in outcome
        .obligations
        .iter()
        .filter(|o| o.clause == clause && within(o.rule, rule))
    {
        if let Some(due) = o.due {
            let (mark, state) = match o.days_late() {
                Some(days) => (Mark::Late, format!("paid in full {days} days late")),
                None => (Mark::Due(o.status), status_word(o.status).to_string()),
            };
            out.push((
                due,
                mark,
                format!(
                    "{} owed by {} to {}, due {due}: {state}",
                    money_text(&o.amount),
                    party(o.debtor),
                    party(o.creditor),
                ),
            ));
        }
        for (day, amount) in &o.paid_on {
            out.push((
                *day,
                Mark::Payment,
                format!(
                    "paid {} {} on {day}",
                    o.amount.currency,
                    crate::eval::report::decimal_text(*amount, 2)
                ),
            ));
        }
    }
    for a in outcome
        .acts
        .iter()
        .filter(|a| a.clause == clause && within(a.rule, rule))
    {
        if let Some(due) = a.due {
            let action = contract
                .event_type(a.action)
                .map_or("?", |e| e.name.node.as_str());
            let (mark, state) = if a.late && a.status == Status::Discharged {
                (Mark::Late, "done late".to_string())
            } else {
                (Mark::Due(a.status), status_word(a.status).to_string())
            };
            out.push((
                due,
                mark,
                format!(
                    "{} to {action}, due {due}: {state}",
                    contract.actor_name(a.party).unwrap_or("?")
                ),
            ));
        }
    }
    for v in outcome
        .violations
        .iter()
        .filter(|v| v.clause == clause && within(v.rule, rule))
    {
        if let Some(event) = outcome.events.get(&v.event) {
            let id = event.id.as_deref().map_or_else(String::new, |id| {
                format!(" (id {})", crate::text::for_people(id))
            });
            out.push((
                event.date,
                Mark::Violation,
                format!("violation by event #{} on {}{id}", v.event + 1, event.date),
            ));
        }
    }
    for c in outcome
        .commitments
        .iter()
        .filter(|c| c.clause == clause && within(c.rule, rule))
    {
        if let Some(deadline) = c.deadline {
            let state = match c.status {
                CommitmentStatus::Open => "open".to_string(),
                CommitmentStatus::Met(day) => format!("met on {day}"),
                CommitmentStatus::Breached(_) => "breached".to_string(),
            };
            out.push((
                deadline,
                Mark::Deadline(c.status),
                format!("commitment deadline {deadline}: {state}"),
            ));
        }
    }
    out
}

pub fn status_word(status: Status) -> &'static str {
    match status {
        Status::Open => "open",
        Status::Discharged => "discharged",
        Status::Overdue => "overdue",
    }
}

const WIDTH: f64 = 960.0;
const LABEL: f64 = 190.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const LANE: f64 = 26.0;

/// Days from `start` to `day` (negative before it).
fn days(start: Date, day: Date) -> i64 {
    start
        .until(day)
        .map_or(0, |span| i64::from(span.get_days()))
}

fn draw(term: Days, lanes: &[Lane], milestones: &[(Date, String)], as_of: Option<Date>) -> Markup {
    // The span drawn: the term, and everything shown, whichever is wider.
    let mut first = term.first;
    let mut last = term.last.unwrap_or(term.first);
    let mut see = |day: Date| {
        first = first.min(day);
        last = last.max(day);
    };
    for lane in lanes {
        for (from, to) in &lane.bars {
            see(*from);
            if let Some(to) = to {
                see(*to);
            }
        }
        for (day, _, _) in &lane.marks {
            see(*day);
        }
    }
    for (day, _) in milestones {
        see(*day);
    }
    if let Some(day) = as_of {
        see(day);
    }
    // A little room after the last day, and never a span of nothing.
    let total = days(first, last).max(1) as f64 * 1.03 + 1.0;
    let plot = WIDTH - LABEL - RIGHT;
    let x = |day: Date| LABEL + days(first, day) as f64 / total * plot;
    let end_x = WIDTH - RIGHT;
    let height = TOP + LANE * lanes.len() as f64 + 30.0;
    // A tick a year, or every few years over a long span: a dozen at most.
    let step = usize::try_from((last.year() - first.year()) / 12 + 1).unwrap_or(1);
    let years: Vec<(i16, f64)> = (first.year()..=last.year())
        .step_by(step.max(1))
        .filter_map(|year| {
            let day = jiff::civil::Date::new(year, 1, 1).ok()?;
            (day >= first).then(|| (year, x(day)))
        })
        .collect();
    let lane_y = |i: usize| TOP + LANE * i as f64;
    let title = format!(
        "Timeline from {first} to {last}: the term, each rule's window, milestones and what happened under each rule"
    );
    html! {
        // A group, not an image: its lane labels are links to the clauses.
        svg class="timeline" role="group" aria-labelledby="timeline-title"
            viewBox=(format!("0 0 {WIDTH} {height:.0}")) xmlns="http://www.w3.org/2000/svg" {
            title id="timeline-title" { (title) }
            defs {
                pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                    rect width="6" height="6" class="hatch-ground" {}
                    line x1="0" y1="0" x2="0" y2="6" class="hatch-line" {}
                }
            }
            // Years.
            @for (year, at) in &years {
                line class="grid" x1=(f(*at)) y1=(f(TOP - 14.0)) x2=(f(*at)) y2=(f(height - 24.0)) {}
                text class="axis" x=(f(*at + 3.0)) y=(f(TOP - 18.0)) { (year) }
            }
            @for (i, lane) in lanes.iter().enumerate() {
                @let y = lane_y(i);
                g class="lane" {
                    @if i % 2 == 1 {
                        rect class="band" x="0" y=(f(y)) width=(f(WIDTH)) height=(f(LANE)) {}
                    }
                    @match &lane.clause {
                        Some(number) => {
                            a href=(format!("#{}", super::reading::clause_anchor(number))) {
                                text class="lane-label" x="8" y=(f(y + 17.0)) { (lane.label) }
                            }
                        }
                        None => { text class="lane-label" x="8" y=(f(y + 17.0)) { (lane.label) } }
                    }
                    @for (from, to) in &lane.bars {
                        @let x0 = x(*from);
                        // A bar runs to the end of its last day.
                        @let x1 = to.map_or(end_x, |t| x(t.tomorrow().unwrap_or(t)).max(x0 + 2.0));
                        rect class=(if lane.suspended { "bar bar-suspended" } else if i == 0 { "bar bar-term" } else { "bar" })
                            x=(f(x0)) y=(f(y + 8.0)) width=(f((x1 - x0).max(2.0))) height="10" rx="2" {
                            title {
                                (format!("{}: from {from} {}", lane.label, to.map_or_else(|| "with no end yet".to_string(), |t| format!("through {t}"))))
                            }
                        }
                        @if to.is_none() {
                            path class="open-end" d=(format!("M{:.1} {:.1} l6 5 l-6 5 z", end_x - 6.0, y + 8.0)) {}
                        }
                    }
                    @for (day, mark, title) in &lane.marks {
                        @let cx = x(*day);
                        @let cy = y + 13.0;
                        (mark_shape(*mark, cx, cy, title))
                    }
                }
            }
            @for (day, label) in milestones {
                @let at = x(*day);
                g class="mark mark-milestone" {
                    title { (format!("milestone reached {day}: {}", crate::text::for_people(label))) }
                    line class="milestone-line" x1=(f(at)) y1=(f(TOP - 6.0)) x2=(f(at)) y2=(f(height - 24.0)) {}
                    path class="milestone-diamond" d=(format!("M{:.1} {:.1} l6 6 l-6 6 l-6 -6 z", at, TOP - 18.0)) {}
                }
            }
            @if let Some(day) = as_of {
                @let at = x(day);
                g class="as-of" {
                    line x1=(f(at)) y1=(f(TOP - 6.0)) x2=(f(at)) y2=(f(height - 20.0)) {}
                    text x=(f(at - 4.0)) y=(f(height - 6.0)) text-anchor="end" { (format!("as of {day}")) }
                }
            }
        }
    }
}

/// One mark: a shape per kind and status, so that none depends on colour.
fn mark_shape(mark: Mark, cx: f64, cy: f64, title: &str) -> Markup {
    let class = mark.class();
    html! {
        @match mark {
            Mark::Due(Status::Discharged) | Mark::Deadline(CommitmentStatus::Met(_)) => {
                circle class=(class) cx=(f(cx)) cy=(f(cy)) r="6" { title { (title) } }
            }
            Mark::Due(Status::Open) | Mark::Deadline(CommitmentStatus::Open) => {
                circle class=(class) cx=(f(cx)) cy=(f(cy)) r="5.5" { title { (title) } }
            }
            Mark::Due(Status::Overdue) | Mark::Deadline(CommitmentStatus::Breached(_)) => {
                path class=(class) d=(format!("M{:.1} {:.1} l7 12 h-14 z", cx, cy - 7.0)) { title { (title) } }
            }
            Mark::Late => {
                rect class=(class) x=(f(cx - 5.5)) y=(f(cy - 5.5)) width="11" height="11" { title { (title) } }
            }
            Mark::Payment => {
                rect class=(class) x=(f(cx - 1.5)) y=(f(cy - 9.0)) width="3" height="18" { title { (title) } }
            }
            Mark::Violation => {
                path class=(class) d=(format!("M{:.1} {:.1} l10 10 m0 -10 l-10 10", cx - 5.0, cy - 5.0)) { title { (title) } }
            }
        }
    }
}

/// A coordinate, to a tenth of a pixel.
fn f(value: f64) -> String {
    format!("{value:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Statement;

    /// The statement kinds that get a lane.
    fn has_lane(statement: &Statement) -> bool {
        statement.window().is_some()
    }

    #[test]
    fn every_rule_with_a_window_gets_a_lane_and_the_rest_none() {
        let text = include_str!("../../contracts/microsoft-openai-2025.proviso");
        let checked = crate::check_source(
            &crate::SourceFile::new("t", text),
            &crate::Limits::default(),
        )
        .checked
        .expect("checks");
        let svg = timeline(&checked, None).expect("a term").into_string();
        let lanes = checked
            .clauses()
            .flat_map(|(_, c)| c.statements.iter())
            .filter(|s| has_lane(s))
            .count();
        // The term's lane, and one per rule with a window.
        assert_eq!(svg.matches("class=\"lane\"").count(), lanes + 1);
        // With no events, nothing happened: no marks.
        assert_eq!(svg.matches("class=\"mark ").count(), 0);
    }
}
