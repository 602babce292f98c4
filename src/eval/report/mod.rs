//! The evaluation report: for people (plain text pointing at the clauses),
//! and for tools (JSON, schema `proviso.report/1`, documented in
//! `docs/report.md`). Both list findings in a fixed order, so the same
//! inputs always give the same bytes.
//!
//! `human.rs` writes the text, `json.rs` the JSON, `explain.rs` the
//! reasoning behind each finding that both carry with `--explain`; this
//! module holds what they share: the inputs and how names, events,
//! amounts and periods are written.

mod explain;
mod human;
mod json;

pub use human::human;
pub use json::JsonReport;

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde_json::{Value as Json, json};

use super::event::PeriodValue;
use super::outcome::EventNote;
use super::outcome::{AccountEntry, AccountStatement, Coverage, Outcome, Status};
use super::windows::Days;
use crate::ast::{Bound, Clause, EndBound, Money, Name, Span, Statement};
use crate::model::{Actor, Checked, ClauseId, PartyId};
use crate::source::SourceFile;
use crate::syntax::group_thousands;

/// What the report is about.
pub struct Inputs<'a> {
    pub contract: &'a Checked,
    pub source: &'a SourceFile,
    pub events_file: &'a str,
    pub outcome: &'a Outcome,
    /// Whether to add the reasoning behind each finding.
    pub explain: bool,
    /// Whether to say where each finding's rule is written (`--> file:line`).
    /// Interpretation snapshots leave it out, so that adding a clause above
    /// does not change every finding below it.
    pub locations: bool,
}

/// An amount with thousands separators and at least two decimals:
/// `USD 1,250,000.00`.
pub fn money_text(money: &Money) -> String {
    format!("{} {}", money.currency, decimal_text(money.amount, 2))
}

/// A decimal with thousands separators, at least `min_dp` decimals, and
/// every decimal the computation produced: `USD 154.320875`.
pub fn decimal_text(value: Decimal, min_dp: u32) -> String {
    let mut v = value.normalize();
    if v.scale() < min_dp {
        v.rescale(min_dp);
    }
    let text = v.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if v.is_sign_negative() && !v.is_zero() {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{}", group_thousands(whole))
    } else {
        format!("{sign}{}.{fraction}", group_thousands(whole))
    }
}

impl Inputs<'_> {
    fn clause(&self, index: ClauseId) -> Option<&Clause> {
        self.contract.clause(index)
    }

    fn clause_number(&self, index: ClauseId) -> String {
        self.clause(index)
            .map_or_else(|| "?".to_string(), |c| c.number.node.to_string())
    }

    /// A clause's heading as written, made safe to print for people.
    fn heading_shown(&self, index: ClauseId) -> String {
        let heading = self
            .clause(index)
            .and_then(|c| c.heading.as_ref())
            .map_or("", |h| h.node.as_str());
        crate::text::for_people(heading).into_owned()
    }

    fn heading(&self, index: ClauseId) -> String {
        self.clause(index)
            .and_then(|c| c.heading.as_ref())
            .map_or_else(String::new, |h| h.node.clone())
    }

    fn party(&self, index: PartyId) -> String {
        self.contract
            .party(index)
            .map_or_else(|| "?".to_string(), |p| p.name.node.clone())
    }

    /// A party's or a group's name.
    fn actor(&self, actor: Actor) -> &str {
        self.contract.actor_name(actor).unwrap_or("?")
    }

    fn event(&self, seq: usize) -> Option<&EventNote> {
        self.outcome.events.get(&seq)
    }

    fn event_type(&self, event: &EventNote) -> String {
        self.contract
            .event_type(event.kind)
            .map_or_else(|| "?".to_string(), |e| e.name.node.clone())
    }

    /// `#3 serve 2026-08-01 (id s-1)`
    fn event_text(&self, seq: usize) -> String {
        let mut text = String::with_capacity(40);
        self.write_event(&mut text, seq);
        text
    }

    /// Writes `event_text` at the end of `out`, which a list of events
    /// builds up without a string for each.
    fn write_event(&self, out: &mut String, seq: usize) {
        let _ = write!(out, "#{}", seq + 1);
        if let Some(e) = self.event(seq) {
            let kind = self
                .contract
                .event_type(e.kind)
                .map_or("?", |d| d.name.node.as_str());
            let _ = write!(out, " {kind} {}", e.date);
            if let Some(id) = &e.id {
                let _ = write!(out, " (id {})", crate::text::for_people(id));
            }
        }
    }

    /// The first events of a list, and how many more there are: a quarter
    /// of a long history may count thousands (the JSON report lists all).
    fn event_list(&self, seqs: &[usize]) -> String {
        const SHOWN: usize = 10;
        let mut text = String::new();
        for (i, &seq) in seqs.iter().take(SHOWN).enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            self.write_event(&mut text, seq);
        }
        if seqs.len() > SHOWN {
            let more = group_thousands(&(seqs.len() - SHOWN).to_string());
            let _ = write!(text, " and {more} more");
        }
        text
    }

    fn event_json(&self, seq: usize) -> Json {
        match self.event(seq) {
            Some(e) => json!({
                "index": seq + 1,
                "id": e.id,
                "type": self.event_type(e),
                "date": e.date.to_string(),
            }),
            None => json!({ "index": seq + 1 }),
        }
    }

    /// `contracts/x.proviso:12:3`, for people: the file's name escaped.
    fn location(&self, span: Span) -> String {
        let p = self.source.position(span.start);
        format!(
            "{}:{}:{}",
            crate::text::for_people(self.source.name()),
            p.line,
            p.column
        )
    }

    /// Where the first rule of a clause is written.
    fn statement_span(&self, clause: ClauseId) -> Span {
        self.clause(clause)
            .and_then(|c| c.statements.first().map(Statement::span))
            .unwrap_or_default()
    }

    /// `s 4, 6` or ` 4`: the clauses the suspension written at `rule` in
    /// `clause` suspends, after the word `clause`.
    fn suspended_clauses(&self, clause: ClauseId, rule: Span) -> String {
        let numbers = self.suspended_numbers(clause, rule);
        let plural = if numbers.len() == 1 { "" } else { "s" };
        format!("{plural} {}", numbers.join(", "))
    }

    /// When a right that arose on a default lasts, in words: `from
    /// 2026-05-21 (the payment due 2026-04-30 in default after its cure
    /// period ended on 2026-05-20), while it stays so`.
    fn arising_text(
        &self,
        clause: ClauseId,
        arising: &crate::eval::outcome::Arising,
        window: Days,
    ) -> String {
        let what = match arising.period {
            Some(period) => format!(
                "the obligation for {}, due {},",
                self.period_label(clause, period),
                arising.due
            ),
            None => format!("the obligation due {}", arising.due),
        };
        let after = match arising.cure_until {
            Some(until) => {
                format!("{what} in default after its cure period ended on {until}")
            }
            None => format!("{what} in default, not performed by then"),
        };
        let lasts = match (arising.performed, window.last) {
            (Some(day), Some(last)) => {
                format!("through {last}: it was performed in full on {day}")
            }
            _ => "while it stays in default".to_string(),
        };
        format!("from {} ({after}), {lasts}", window.first)
    }

    /// The numbers of the clauses the suspension written at `rule` in
    /// `clause` suspends.
    fn suspended_numbers(&self, clause: ClauseId, rule: Span) -> Vec<String> {
        self.clause(clause)
            .and_then(|c| {
                c.statements
                    .iter()
                    .filter(|s| s.span() == rule)
                    .find_map(Statement::as_suspension)
            })
            .map_or_else(Vec::new, |suspension| {
                suspension
                    .clauses
                    .iter()
                    .map(|n| n.node.to_string())
                    .collect()
            })
    }

    /// The account a statement is of, and the movement an entry made.
    fn account(&self, statement: &AccountStatement) -> Option<&crate::ast::Account> {
        self.contract.file.accounts.get(statement.account.index())
    }

    /// When a movement happened, in words: `on #3 payment 2026-02-28`,
    /// `at the end of 2026-02`.
    fn movement_when(&self, account: &crate::ast::Account, entry: &AccountEntry) -> String {
        match (
            entry.event,
            account.movements.get(entry.movement).map(|m| &m.when),
        ) {
            (Some(seq), _) => format!("on {}", self.event_text(seq)),
            (None, Some(crate::ast::MovementTime::PeriodEnd(name))) => {
                match self.contract.symbols.periods.get(&name.node) {
                    Some(info) => format!(
                        "at the end of {}",
                        crate::eval::period::label(
                            info,
                            crate::eval::period::containing(info, entry.date)
                        )
                    ),
                    None => format!("at the end of a {}", name.node),
                }
            }
            (None, _) => String::new(),
        }
    }

    /// The reasoning behind one movement.
    fn explain_entry(&self, account: &crate::ast::Account, entry: &AccountEntry) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(movement) = account.movements.get(entry.movement) {
            lines.push(format!("movement: `{}`", self.source_text(movement.span)));
        }
        for step in &entry.working {
            lines.push(format!("working: {step}"));
        }
        lines.push(format!(
            "balance: {} {} {} = {}",
            money_text(&entry.before),
            match entry.direction {
                crate::ast::Direction::Increased => "+",
                crate::ast::Direction::Decreased => "-",
            },
            money_text(&entry.amount),
            money_text(&entry.balance)
        ));
        lines
    }

    /// How a cap reduced an obligation: `reduced from USD 3,000.00 by the
    /// cap of clause 9.2 (USD 5,000.00 for 2026-03; USD 4,000.00 owed
    /// before it)`.
    pub(super) fn capped_text(&self, capped: &crate::eval::outcome::Capped) -> String {
        let period = match self.capped_period(capped) {
            Some(label) => format!(" for {label}"),
            None => " over the whole contract".to_string(),
        };
        format!(
            "reduced from {} by the cap of clause {} ({}{period}; {} owed before it)",
            money_text(&capped.before),
            self.clause_number(capped.clause),
            money_text(&capped.cap),
            money_text(&capped.earlier)
        )
    }

    /// The cap's period an obligation was counted in, in the cap's own
    /// terms (`2026-03`, a fiscal year `2026`); `None` for a cap over the
    /// whole contract.
    pub(super) fn capped_period(&self, capped: &crate::eval::outcome::Capped) -> Option<String> {
        let period = capped.period?;
        Some(
            match capped
                .per
                .as_ref()
                .and_then(|name| self.contract.symbols.periods.get(name))
            {
                Some(info) => super::period::label(info, period),
                None => format!("{} to {}", period.first, period.last),
            },
        )
    }

    fn source_text(&self, span: Span) -> String {
        self.source.one_line(span)
    }

    /// `2026-Q1` for a quarterly obligation, in the terms of the period of
    /// the rule written at `rule` (a clause may hold a yearly floor beside
    /// a monthly payment), else as [`Self::period_label`] finds them.
    pub(super) fn rule_period_label(
        &self,
        clause: ClauseId,
        rule: Span,
        period: PeriodValue,
    ) -> String {
        let own = self.clause(clause).and_then(|c| {
            let statement = c.statements.iter().find(|s| s.span() == rule)?;
            let name = match statement {
                Statement::Cap(limit) => limit.per.as_ref(),
                Statement::Commitment(c) => c.per.as_ref(),
                Statement::Pay(p) => match &p.recurrence {
                    Some(crate::ast::Recurrence::EachPeriod(name)) => Some(name),
                    Some(
                        crate::ast::Recurrence::EachPeriodField(_)
                        | crate::ast::Recurrence::EachEvent(_),
                    )
                    | None => None,
                },
                Statement::Do(_)
                | Statement::MustNot(_)
                | Statement::May(_)
                | Statement::Grant(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::Own(_)
                | Statement::CapTable(_)
                | Statement::Suspension(_) => None,
            }?;
            self.contract.symbols.periods.get(&name.node)
        });
        match own {
            Some(info) => super::period::label(info, period),
            None => self.period_label(clause, period),
        }
    }

    /// `2026-Q1` for a quarterly obligation, in the period's own terms.
    fn period_label(&self, clause: ClauseId, period: PeriodValue) -> String {
        let info = self.clause(clause).and_then(|c| {
            c.statements
                .iter()
                .find_map(|s| match &s.as_pay()?.recurrence {
                    Some(crate::ast::Recurrence::EachPeriod(name)) => {
                        self.contract.symbols.periods.get(&name.node)
                    }
                    Some(crate::ast::Recurrence::EachPeriodField(field)) => {
                        let decl = self
                            .contract
                            .event_type(self.contract.event_type_named(&field.event.node)?)?;
                        let ty = &decl
                            .fields
                            .iter()
                            .find(|f| f.name.node == field.field.node)?
                            .ty
                            .node;
                        ty.named()
                            .and_then(|name| self.contract.symbols.periods.get(name))
                    }
                    Some(crate::ast::Recurrence::EachEvent(_)) | None => None,
                })
                // A commitment with a target per period, or a floor.
                .or_else(|| {
                    c.statements.iter().find_map(|s| {
                        let name = if let Statement::Cap(limit) = s {
                            limit.per.as_ref()?
                        } else {
                            s.as_commitment()?.per.as_ref()?
                        };
                        self.contract.symbols.periods.get(&name.node)
                    })
                })
        });
        match info {
            Some(info) => super::period::label(info, period),
            None => format!("{} to {}", period.first, period.last),
        }
    }

    /// A rule's window as days, and why it starts and ends there: the
    /// effective date, a date written in the rule, the day a milestone was
    /// reached, the end of the term (and which milestones had not been
    /// reached by then).
    fn window_text(&self, clause: ClauseId, rule: Span, window: Option<Days>) -> String {
        let Some(days) = window else {
            return "no window".to_string();
        };
        let written = self
            .clause(clause)
            .and_then(|c| c.statements.iter().find(|s| s.span() == rule))
            .and_then(Statement::window);
        let survives = self.clause(clause).is_some_and(|c| c.survives.is_some());
        let effective = self.contract.effective_date();
        let from = written.and_then(|w| w.from.as_ref()).map(|b| &b.node);
        // The start as written, which a length (`for 12 months`) counts from.
        let written_start = match from {
            Some(bound) => self.moment(bound).map(|(day, _)| day),
            None => effective,
        };
        let relative = matches!(from, Some(Bound::After { .. }));
        let start = match from.and_then(|b| self.moment(b)) {
            Some((day, Some(what))) if day == days.first && relative => {
                format!("from {day} ({what})")
            }
            Some((day, Some(what))) if day == days.first => format!("from {day} (the day {what})"),
            Some((day, None)) if day == days.first => format!("from {day}"),
            _ if effective == Some(days.first) => {
                format!("from {} (the effective date)", days.first)
            }
            _ => format!("from {}", days.first),
        };
        let bounds = written
            .and_then(|w| w.end.as_ref())
            .map_or(&[][..], |end| end.bounds.as_slice());
        let unreached: Vec<&str> = bounds
            .iter()
            .filter_map(|b| match b {
                EndBound::Through(b) | EndBound::Until(b) => {
                    b.node.milestone().filter(|m| self.reached(m).is_none())
                }
                EndBound::For(_) => None,
            })
            .collect();
        let not_yet = || {
            unreached
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let Some(last) = days.last else {
            return if unreached.is_empty() {
                format!("{start}, with no end (the clause survives the term)")
            } else {
                format!("{start}, with no end yet: {} not reached", not_yet())
            };
        };
        let why = bounds.iter().find_map(|b| {
            let (bound, until) = match b {
                EndBound::Through(b) => (&b.node, false),
                EndBound::Until(b) => (&b.node, true),
                EndBound::For(length) => {
                    let from = written_start?;
                    let day = length.node.after(from)?;
                    return (day.yesterday().ok()? == last).then(|| {
                        format!(
                            "the day before {day}, {} from the start on {from}",
                            length.node.written()
                        )
                    });
                }
            };
            let (day, what) = self.moment(bound)?;
            let ends = if until { day.yesterday().ok()? } else { day };
            let relative = matches!(bound, Bound::After { .. });
            (ends == last).then(|| match (what, until) {
                (Some(what), true) if relative => format!("the day before {day}, {what}"),
                (Some(what), false) if relative => what,
                (Some(what), true) => format!("the day before {what} on {day}"),
                (Some(what), false) => format!("the day {what}"),
                (None, true) => format!("the day before {day}"),
                (None, false) => "as written".to_string(),
            })
        });
        let survival = self
            .clause(clause)
            .and_then(|c| c.survives.as_ref())
            .and_then(|s| s.length.as_ref())
            .map(|l| l.node);
        match (why, survival) {
            (Some(why), _) => format!("{start} through {last} ({why})"),
            (None, Some(length)) => format!(
                "{start} through {last} ({} after the end of the term: the clause survives it for that long)",
                length.written()
            ),
            (None, None) if unreached.is_empty() || survives => {
                format!("{start} through {last} (the end of the term)")
            }
            (None, None) => format!(
                "{start} through {last} (the end of the term: {} not reached by then)",
                not_yet()
            ),
        }
    }

    /// Where a cure period stands, in words: `breach CURED on 2026-05-20,
    /// within the cure period that ran through 2026-06-09 (from #3 notice
    /// 2026-05-10)`.
    pub(super) fn cure_text(&self, cure: crate::eval::outcome::CureState) -> String {
        use crate::eval::outcome::CureState;
        let from = |notice: Option<usize>| {
            notice.map_or_else(String::new, |seq| {
                format!(" (from {})", self.event_list(&[seq]))
            })
        };
        match cure {
            CureState::AwaitingNotice => {
                "breach: not performed by its due date; the cure period starts with a notice, not yet given"
                    .to_string()
            }
            CureState::InCure {
                notice,
                from: start,
                until,
            } => format!(
                "breach: IN CURE from {start} through {until}{}",
                from(notice)
            ),
            CureState::Cured {
                notice,
                on,
                until: Some(until),
            } => format!(
                "breach: CURED, performed on {on}, within the cure period through {until}{}",
                from(notice)
            ),
            CureState::Cured {
                on, until: None, ..
            } => format!("breach: CURED, performed on {on}, before any notice"),
            CureState::Defaulted { notice, until } => format!(
                "breach: DEFAULTED, not cured by the end of the cure period on {until}{}",
                from(notice)
            ),
        }
    }

    /// How suspensions moved a due date or deadline (`due`, as moved), in
    /// words: `due date moved 20 days from 2026-04-01: clause 12 "Force
    /// majeure" suspended it from 2026-03-20 until 2026-04-09`; `None`
    /// when none did.
    pub(super) fn moved_text(
        &self,
        what: &str,
        due: Option<jiff::civil::Date>,
        moved: &[crate::eval::outcome::Moved],
    ) -> Option<String> {
        if moved.is_empty() {
            return None;
        }
        let total: i64 = moved.iter().map(|m| m.days).sum();
        let written = due
            .and_then(|d| d.checked_sub(jiff::Span::new().try_days(total).ok()?).ok())
            .map_or_else(String::new, |d| format!(" from {d}"));
        let parts: Vec<String> = moved
            .iter()
            .map(|m| {
                let stretch = match m.by.until.and_then(|until| until.yesterday().ok()) {
                    Some(last) => format!("from {} through {last}", m.by.from),
                    None => format!(
                        "from {}, still in force on the as-of date (a day more for each further day)",
                        m.by.from
                    ),
                };
                let days = if moved.len() > 1 {
                    format!(
                        " ({})",
                        count(u64::try_from(m.days).unwrap_or(0), "day", "days")
                    )
                } else {
                    String::new()
                };
                format!(
                    "clause {} \"{}\" suspended it {stretch}{days}",
                    self.clause_number(m.by.clause),
                    self.heading_shown(m.by.clause),
                )
            })
            .collect();
        Some(format!(
            "{what} moved {}{written}: {}",
            count(u64::try_from(total).unwrap_or(0), "day", "days"),
            parts.join("; ")
        ))
    }

    /// The day a point in time fell on, if it has come, and what it was
    /// when it is not a plain date ("`notice` was reached", "90 days after
    /// `notice` was reached on 2026-03-02").
    fn moment(&self, bound: &Bound) -> Option<(jiff::civil::Date, Option<String>)> {
        match bound {
            Bound::Date(d) => Some((d.date()?, None)),
            Bound::Milestone(m) => Some((self.reached(m)?, Some(format!("`{m}` was reached")))),
            Bound::After { delay, anchor } => {
                let (from, what) = self.moment(&anchor.node)?;
                let day = delay.node.after(from)?;
                let anchor = match what {
                    Some(what) => format!("{what} on {from}"),
                    None => from.to_string(),
                };
                Some((
                    day,
                    Some(format!("{} after {anchor}", delay.node.written())),
                ))
            }
        }
    }

    /// The day a milestone was reached, if it was.
    fn reached(&self, name: &str) -> Option<jiff::civil::Date> {
        self.outcome.milestones.iter().find_map(|m| {
            let decl = self.contract.milestone(m.milestone)?;
            (decl.name.node == name).then(|| m.reached.as_ref().map(|r| r.date))?
        })
    }

    /// For a rule that names a group: which member performed the event,
    /// and that it belonged to the group as the event came.
    fn group_line(&self, clause: ClauseId, rule: Span, seq: usize) -> Option<String> {
        let statement = self
            .clause(clause)?
            .statements
            .iter()
            .find(|s| s.span() == rule)?;
        let named: Vec<&Name> = match statement {
            Statement::Do(r) | Statement::MustNot(r) | Statement::May(r) => vec![&r.party],
            Statement::Grant(g) => vec![&g.grantor, &g.grantee],
            Statement::Pay(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::Own(_)
            | Statement::CapTable(_)
            | Statement::Commitment(_)
            | Statement::Suspension(_)
            | Statement::Cap(_) => Vec::new(),
        };
        let note = self.event(seq)?;
        let by = note.by?;
        let group =
            named
                .into_iter()
                .find_map(|name| match self.contract.actor_named(&name.node)? {
                    Actor::Group(group) if note.groups.contains(&group) => Some(name.node.clone()),
                    Actor::Group(_) | Actor::Party(_) => None,
                })?;
        Some(format!(
            "{} was performed by {}, a member of group {group} as it came",
            self.event_text(seq),
            self.party(by)
        ))
    }

    /// The rule that produced a finding, for the reasoning lines.
    fn rule_line(&self, clause: ClauseId, rule: Span) -> String {
        format!(
            "rule: `{}` (clause {})",
            self.source_text(rule),
            self.clause_number(clause)
        )
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Open => "open",
        Status::Discharged => "discharged",
        Status::Overdue => "overdue",
    }
}

fn coverage_words(inputs: &Inputs<'_>, coverage: &Coverage) -> (bool, String) {
    match coverage {
        Coverage::Covered => (true, "covered".to_string()),
        Coverage::OutsideWindow => (false, "outside the grant's window".to_string()),
        Coverage::CarvedOut(span) => (false, format!("carved out: {}", inputs.source_text(*span))),
        Coverage::Excluded { clause } => (
            false,
            format!(
                "excluded by clause {} ({})",
                inputs.clause_number(*clause),
                inputs.heading(*clause)
            ),
        ),
    }
}

/// `1 event`, `2 events`.
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn amounts_are_written_with_separators_and_cents() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(decimal_text(d("2000000"), 2), "2,000,000.00");
        assert_eq!(decimal_text(d("154.320875"), 2), "154.320875");
        assert_eq!(decimal_text(d("-1234.5"), 2), "-1,234.50");
        assert_eq!(decimal_text(d("0"), 0), "0");
    }
}
