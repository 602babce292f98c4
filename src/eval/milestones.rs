//! Milestones: which conditions over events are reached, when, and by which
//! events.
//!
//! Events are fed in evaluation order (by date, then by their order in the
//! event file). A milestone is reached once, by the first events that
//! satisfy it, and stays reached. In `X, then Y`, Y must be reached by an
//! event that comes after the one that reached X; the same event never
//! completes two steps. A date reaches its milestone on that day, whether
//! or not any event happens then.
//!
//! `clause N paid in full` depends on how payments settle, which is worked
//! out only once every event is in; so an evaluation is told in advance
//! when each such clause was paid in full (see `paid_in_full`). Once paid,
//! a clause stays paid, like a date that has passed.

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::compute::Context;
use super::event::{Event, Value};
use super::outcome::{RunningSum, RunningUnit};
use super::paid_in_full::PaidInFull;
use crate::ast::{
    Condition, Duration, EventPattern, Expr, ExprKind, MilestoneCond, Statement, TotalReaches,
};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Checked, EventTypeId, MilestoneId};

/// When a milestone was reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reached {
    pub date: Date,
    /// The `seq` of the events that reached it, in order.
    pub events: Vec<usize>,
}

/// The progress of one condition, mirroring its tree.
#[derive(Debug)]
struct Tracker<'c> {
    condition: &'c MilestoneCond,
    reached: Option<Reached>,
    children: Vec<Tracker<'c>>,
    /// For a sequence: the step now being waited for.
    step: usize,
    /// For a running total or count: the sum so far, of the events offered
    /// to this part (in a sequence, those after the step before it).
    sum: Decimal,
    /// For `clause N paid in full`: when the clause was paid, as assumed.
    paid: Option<Reached>,
}

impl<'c> Tracker<'c> {
    fn new(condition: &'c MilestoneCond, paid_in_full: &PaidInFull) -> Self {
        let children = match condition {
            MilestoneCond::Sequence(parts, _)
            | MilestoneCond::All(parts, _)
            | MilestoneCond::Any(parts, _) => parts
                .iter()
                .map(|part| Tracker::new(part, paid_in_full))
                .collect(),
            MilestoneCond::Event(_)
            | MilestoneCond::Date(_)
            | MilestoneCond::Total(_)
            | MilestoneCond::Count(_)
            | MilestoneCond::PaidInFull(_) => Vec::new(),
        };
        let paid = match condition {
            MilestoneCond::PaidInFull(paid) => paid_in_full.get(&paid.clause.node).cloned(),
            MilestoneCond::Sequence(..)
            | MilestoneCond::All(..)
            | MilestoneCond::Any(..)
            | MilestoneCond::Event(_)
            | MilestoneCond::Date(_)
            | MilestoneCond::Total(_)
            | MilestoneCond::Count(_) => None,
        };
        Tracker {
            condition,
            reached: None,
            children,
            step: 0,
            sum: Decimal::ZERO,
            paid,
        }
    }

    /// Lets time pass up to `date`: date conditions on or before it are reached.
    fn advance_to(&mut self, date: Date) {
        if self.reached.is_some() {
            return;
        }
        match self.condition {
            MilestoneCond::Date(d) => {
                if let crate::ast::DateRef::Date(day) = d.node
                    && day <= date
                {
                    self.reached = Some(Reached {
                        date: day,
                        events: Vec::new(),
                    });
                }
            }
            // Paid on an earlier day, or with nothing left to pay that day:
            // paid, like a date that has passed.
            MilestoneCond::PaidInFull(_) => {
                if let Some(paid) = &self.paid
                    && (paid.date < date || (paid.date == date && paid.events.is_empty()))
                {
                    self.reached = Some(paid.clone());
                }
            }
            MilestoneCond::Event(_) | MilestoneCond::Total(_) | MilestoneCond::Count(_) => {}
            MilestoneCond::Sequence(..) => {
                while let Some(child) = self.children.get_mut(self.step) {
                    child.advance_to(date);
                    if child.reached.is_none() {
                        break;
                    }
                    self.step += 1;
                }
                self.settle();
            }
            MilestoneCond::All(..) | MilestoneCond::Any(..) => {
                for child in &mut self.children {
                    child.advance_to(date);
                }
                self.settle();
            }
        }
    }

    /// Offers an event; returns whether it was used to reach a condition
    /// (an event completes at most one step of a sequence).
    fn feed(&mut self, event: &Event, matches: &Matcher<'_>) -> Result<bool, Diagnostic> {
        if self.reached.is_some() {
            return Ok(false);
        }
        self.advance_to(event.date);
        if self.reached.is_some() {
            return Ok(false);
        }
        let used = match self.condition {
            MilestoneCond::Event(pattern) => {
                if matches.pattern(pattern, event)? {
                    self.reached = Some(Reached {
                        date: event.date,
                        events: vec![event.seq],
                    });
                    true
                } else {
                    false
                }
            }
            MilestoneCond::Date(_) => false,
            // The payment that completed the clause, or any event after it
            // (when this is a later step, offered events only from then).
            MilestoneCond::PaidInFull(_) => match &self.paid {
                Some(paid) if paid_by_then(paid, event) => {
                    self.reached = Some(paid.clone());
                    paid.events.last() == Some(&event.seq)
                }
                Some(_) | None => false,
            },
            MilestoneCond::Total(total) => match matches.addend(total, event)? {
                Some(addend) => self.add(addend, &total.threshold, event)?,
                None => false,
            },
            MilestoneCond::Count(count) => {
                matches.pattern(&count.pattern, event)?
                    && self.add(Decimal::ONE, &count.threshold, event)?
            }
            MilestoneCond::Sequence(..) => {
                let used = match self.children.get_mut(self.step) {
                    Some(child) => child.feed(event, matches)?,
                    None => false,
                };
                while self
                    .children
                    .get(self.step)
                    .is_some_and(|c| c.reached.is_some())
                {
                    self.step += 1;
                    // A following date step may already have passed, and
                    // a clause may have been paid already.
                    if let Some(next) = self.children.get_mut(self.step) {
                        next.advance_to(event.date);
                        next.paid_by(event);
                    }
                }
                used
            }
            MilestoneCond::All(..) | MilestoneCond::Any(..) => {
                let mut used = false;
                for child in &mut self.children {
                    used |= child.feed(event, matches)?;
                }
                used
            }
        };
        self.settle();
        Ok(used)
    }

    /// Marks `clause N paid in full` reached when the payment that
    /// completed it is this event or came before it: for a step that
    /// became the one waited for at this event.
    fn paid_by(&mut self, event: &Event) {
        if self.reached.is_some() {
            return;
        }
        match self.condition {
            MilestoneCond::PaidInFull(_) => {
                if let Some(paid) = &self.paid
                    && paid_by_then(paid, event)
                {
                    self.reached = Some(paid.clone());
                }
            }
            MilestoneCond::Sequence(..) => {
                if let Some(child) = self.children.get_mut(self.step) {
                    child.paid_by(event);
                    if child.reached.is_some() {
                        self.step += 1;
                        if let Some(next) = self.children.get_mut(self.step) {
                            next.paid_by(event);
                        }
                    }
                }
                self.settle();
            }
            MilestoneCond::All(..) | MilestoneCond::Any(..) => {
                for child in &mut self.children {
                    child.paid_by(event);
                }
                self.settle();
            }
            MilestoneCond::Event(_)
            | MilestoneCond::Date(_)
            | MilestoneCond::Total(_)
            | MilestoneCond::Count(_) => {}
        }
    }

    /// Adds an event's share to a running total or count; says whether it
    /// brought the sum to the threshold (that event reaches the part; the
    /// events before it only led up to it).
    fn add(
        &mut self,
        addend: Decimal,
        threshold: &Expr,
        event: &Event,
    ) -> Result<bool, Diagnostic> {
        self.sum = super::sums::exact_add(self.sum, addend).ok_or_else(|| {
            Diagnostic::error(
                Code::ArithmeticOverflow,
                "a milestone's running total is too large to hold exactly",
                threshold.span,
                "the total towards this amount overflows",
            )
            .with_help(
                "amounts are exact up to 28 significant digits; check the values of the events involved",
            )
        })?;
        // The grammar writes a threshold as a literal.
        let Some(target) = threshold.literal_value() else {
            return Err(Diagnostic::error(
                Code::EvaluationError,
                "a milestone's threshold is not a literal amount or number",
                threshold.span,
                "not a literal",
            ));
        };
        if self.sum < target {
            return Ok(false);
        }
        self.reached = Some(Reached {
            date: event.date,
            events: vec![event.seq],
        });
        Ok(true)
    }

    /// Marks a composite condition reached once its parts say so.
    fn settle(&mut self) {
        if self.reached.is_some() {
            return;
        }
        let mut done: Vec<&Reached> = self
            .children
            .iter()
            .filter_map(|c| c.reached.as_ref())
            .collect();
        // The events that reached the parts, in the order the parts were
        // reached (and, on one day, the order the parts are written), never
        // by their position in the file, which a reordering would change.
        done.sort_by_key(|r| r.date);
        let reached = match self.condition {
            MilestoneCond::Sequence(..) | MilestoneCond::All(..)
                if done.len() == self.children.len() =>
            {
                let date = done.iter().map(|r| r.date).max();
                date.map(|date| Reached {
                    date,
                    events: done.iter().flat_map(|r| r.events.iter().copied()).collect(),
                })
            }
            MilestoneCond::Any(..) => done
                .into_iter()
                .min_by_key(|r| (r.date, r.events.last().copied()))
                .cloned(),
            // Not all parts reached yet; an event or a date is reached
            // when it is fed, not settled from parts.
            MilestoneCond::Sequence(..)
            | MilestoneCond::All(..)
            | MilestoneCond::Event(_)
            | MilestoneCond::Date(_)
            | MilestoneCond::Total(_)
            | MilestoneCond::Count(_)
            | MilestoneCond::PaidInFull(_) => None,
        };
        self.reached = reached;
    }
}

/// Whether a clause paid by the payment `paid` names is paid as `event`
/// comes: the payment is this event or came before it, by date, then by
/// order in the record (`seq` alone is the order in the file, and a file
/// read whole may list events in any order of dates).
fn paid_by_then(paid: &Reached, event: &Event) -> bool {
    paid.events
        .last()
        .is_some_and(|&seq| (paid.date, seq) <= (event.date, event.seq))
}

/// Whether an event matches a part of a milestone.
struct Matcher<'c> {
    contract: &'c Checked,
}

impl Matcher<'_> {
    fn pattern(&self, pattern: &EventPattern, event: &Event) -> Result<bool, Diagnostic> {
        let contract = self.contract;
        if contract.event_type_named(&pattern.event.node) != Some(event.kind) {
            return Ok(false);
        }
        if let Some(by) = &pattern.by
            && !event.done_by(contract.actor_named(&by.node))
        {
            return Ok(false);
        }
        match &pattern.filter {
            None => Ok(true),
            Some(filter) => self.holds(filter, event),
        }
    }

    fn holds(&self, filter: &Condition, event: &Event) -> Result<bool, Diagnostic> {
        Context {
            contract: self.contract,
            event: Some(event),
            totals: None,
            balances: None,
            working: None,
        }
        .holds(filter)
    }

    /// What the event adds to a running total: its field's value, when it
    /// is of the total's type and meets its condition.
    fn addend(&self, total: &TotalReaches, event: &Event) -> Result<Option<Decimal>, Diagnostic> {
        let contract = self.contract;
        if contract.event_type_named(&total.field.event.node) != Some(event.kind) {
            return Ok(None);
        }
        if let Some(filter) = &total.filter
            && !self.holds(filter, event)?
        {
            return Ok(None);
        }
        let value = contract
            .event_type(event.kind)
            .and_then(|decl| {
                decl.fields
                    .iter()
                    .position(|f| f.name.node == total.field.field.node)
            })
            .and_then(|i| event.fields.get(i));
        Ok(match value {
            Some(Value::Money(m)) => {
                // A contract with no currency of its own takes amounts in
                // any: one in another currency than the threshold's cannot
                // be added to it without a rate.
                if let ExprKind::Money(target) = &total.threshold.kind
                    && target.currency != m.currency
                {
                    return Err(Diagnostic::error(
                        Code::MixedCurrencies,
                        format!(
                            "an amount in {} cannot be added to a total in {}",
                            m.currency, target.currency
                        ),
                        total.threshold.span,
                        format!("a total in {}", target.currency),
                    )
                    .with_help(format!(
                        "declare `currency {}` in the contract header, so that an amount in another currency is refused when the events are read",
                        target.currency
                    )));
                }
                Some(m.amount)
            }
            Some(Value::Number(n) | Value::Percent(n)) => Some(*n),
            Some(Value::Days(d)) => Some(Decimal::from(*d)),
            Some(
                Value::Date(_)
                | Value::Text(_)
                | Value::Bool(_)
                | Value::Party(_)
                | Value::Member(_)
                | Value::Period(_),
            )
            | None => None,
        })
    }
}

/// Tracks every milestone of a contract over an event stream.
pub struct Milestones<'c> {
    contract: &'c Checked,
    trackers: Vec<Tracker<'c>>,
    /// By event type: whether any milestone names it.
    watched: Vec<bool>,
}

impl<'c> Milestones<'c> {
    /// The milestones of a contract, with no clause paid in full.
    pub fn new(contract: &'c Checked) -> Self {
        Self::assuming(contract, &PaidInFull::new())
    }

    /// The milestones of a contract, with each clause a milestone waits to
    /// be paid in full taken as paid when `paid_in_full` says.
    pub fn assuming(contract: &'c Checked, paid_in_full: &PaidInFull) -> Self {
        let mut watched = vec![false; contract.file.events.len()];
        let mut work: Vec<&MilestoneCond> = contract
            .file
            .milestones
            .iter()
            .map(|m| &m.condition)
            .collect();
        while let Some(condition) = work.pop() {
            let watched_event = match condition {
                MilestoneCond::Event(pattern) => Some(&pattern.event),
                MilestoneCond::Count(count) => Some(&count.pattern.event),
                MilestoneCond::Total(total) => Some(&total.field.event),
                MilestoneCond::Date(_) => None,
                // The payment that completes the clause is to be seen.
                MilestoneCond::PaidInFull(paid) => {
                    let settling = contract
                        .clause_numbered(&paid.clause.node)
                        .and_then(|id| contract.clause(id))
                        .into_iter()
                        .flat_map(|clause| clause.statements.iter())
                        .filter_map(Statement::as_pay)
                        .filter_map(|pay| contract.settlement(pay));
                    for kind in settling {
                        if let Some(w) = watched.get_mut(kind.index()) {
                            *w = true;
                        }
                    }
                    None
                }
                MilestoneCond::Sequence(parts, _)
                | MilestoneCond::All(parts, _)
                | MilestoneCond::Any(parts, _) => {
                    work.extend(parts);
                    None
                }
            };
            if let Some(event) = watched_event {
                match contract.event_type_named(&event.node) {
                    Some(kind) => {
                        if let Some(w) = watched.get_mut(kind.index()) {
                            *w = true;
                        }
                    }
                    // Unresolved (never in a checked contract): watch all.
                    None => watched.iter_mut().for_each(|w| *w = true),
                }
            }
        }
        Milestones {
            contract,
            trackers: contract
                .file
                .milestones
                .iter()
                .map(|m| Tracker::new(&m.condition, paid_in_full))
                .collect(),
            watched,
        }
    }

    /// Whether events of this type can reach any milestone. Others need
    /// not be fed: letting time pass (`advance_to`) does all they would.
    pub fn watches(&self, kind: EventTypeId) -> bool {
        self.watched.get(kind.index()).copied().unwrap_or(true)
    }

    /// Feeds the next event, in evaluation order; says whether it counted
    /// towards any milestone.
    pub fn feed(&mut self, event: &Event) -> Result<bool, Diagnostic> {
        let matches = Matcher {
            contract: self.contract,
        };
        let mut used = false;
        for tracker in &mut self.trackers {
            used |= tracker.feed(event, &matches)?;
        }
        Ok(used)
    }

    /// Lets time pass to `date` (the as-of date), for milestones that are dates.
    pub fn advance_to(&mut self, date: Date) {
        for tracker in &mut self.trackers {
            tracker.advance_to(date);
        }
    }

    /// When the milestone was reached, if it was.
    pub fn reached(&self, milestone: MilestoneId) -> Option<&Reached> {
        self.trackers
            .get(milestone.index())
            .and_then(|t| t.reached.as_ref())
    }

    /// How far each running total or count of the milestone has come, in
    /// the order its condition writes them.
    pub fn running(&self, milestone: MilestoneId) -> Vec<RunningSum> {
        let mut out = Vec::new();
        let mut work: Vec<&Tracker<'_>> =
            self.trackers.get(milestone.index()).into_iter().collect();
        while let Some(tracker) = work.pop() {
            let (measure, threshold, unit) = match tracker.condition {
                MilestoneCond::Total(total) => {
                    let measure = match &total.filter {
                        Some(filter) => format!(
                            "total {}.{} where {}",
                            total.field.event.node,
                            total.field.field.node,
                            crate::syntax::one_line::condition(filter)
                        ),
                        None => format!(
                            "total {}.{}",
                            total.field.event.node, total.field.field.node
                        ),
                    };
                    // The grammar writes a threshold as one of these literals.
                    let unit = match &total.threshold.kind {
                        ExprKind::Money(m) => RunningUnit::Money(m.currency),
                        ExprKind::Percent(_) => RunningUnit::Percent,
                        ExprKind::Duration(Duration::Days(_)) => RunningUnit::Days,
                        ExprKind::Duration(Duration::Months(_)) => RunningUnit::Months,
                        ExprKind::Number(_)
                        | ExprKind::Date(_)
                        | ExprKind::Bool(_)
                        | ExprKind::Text(_)
                        | ExprKind::Name(_)
                        | ExprKind::Field(_)
                        | ExprKind::Total { .. }
                        | ExprKind::Count { .. }
                        | ExprKind::Pick(_)
                        | ExprKind::Chain { .. }
                        | ExprKind::Negate(_)
                        | ExprKind::Of { .. }
                        | ExprKind::CappedAt { .. }
                        | ExprKind::AtLeast { .. }
                        | ExprKind::PerStep { .. }
                        | ExprKind::DaysBetween { .. }
                        | ExprKind::Tiers { .. }
                        | ExprKind::Rounded { .. }
                        | ExprKind::Converted { .. }
                        | ExprKind::Balance { .. }
                        | ExprKind::Invalid => RunningUnit::Number,
                    };
                    (measure, &total.threshold, unit)
                }
                MilestoneCond::Count(count) => (
                    format!(
                        "count {}",
                        crate::syntax::one_line::event_pattern(&count.pattern)
                    ),
                    &count.threshold,
                    RunningUnit::Events,
                ),
                MilestoneCond::Event(_) | MilestoneCond::Date(_) | MilestoneCond::PaidInFull(_) => {
                    continue;
                }
                MilestoneCond::Sequence(..) | MilestoneCond::All(..) | MilestoneCond::Any(..) => {
                    work.extend(tracker.children.iter().rev());
                    continue;
                }
            };
            out.push(RunningSum {
                measure,
                so_far: tracker.sum,
                threshold: threshold.literal_value().unwrap_or_default(),
                unit,
                reached: tracker.reached.is_some(),
            });
        }
        out
    }

    /// When the milestone of this name was reached, if it was.
    pub fn reached_by_name(&self, name: &str) -> Option<&Reached> {
        self.contract
            .symbols
            .milestones
            .get(name)
            .and_then(|&i| self.reached(i))
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::eval::Decoder;
    use crate::{Limits, SourceFile};

    fn run(contract_text: &str, events: &str, as_of: Date) -> Vec<(String, Option<Reached>)> {
        let outcome = crate::check_source(&SourceFile::new("t", contract_text), &Limits::default());
        let contract = outcome.checked.expect("checks");
        let (events, diagnostics) = Decoder::new(&contract).json(events);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let mut milestones = Milestones::new(&contract);
        for event in &events {
            milestones.feed(event).unwrap();
        }
        milestones.advance_to(as_of);
        contract
            .file
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| {
                (
                    m.name.node.clone(),
                    milestones.reached(MilestoneId::from_index(i)).cloned(),
                )
            })
            .collect()
    }

    const FLAGSHIP: &str = include_str!("../../contracts/microsoft-openai-2025.proviso");

    #[test]
    fn agi_needs_a_declaration_then_a_verification() {
        let events = r#"[
          {"type": "verify_agi", "date": "2029-01-10", "by": "panel"},
          {"type": "declare_agi", "date": "2030-03-01", "by": "openai"},
          {"type": "declare_agi", "date": "2030-03-02", "by": "microsoft"},
          {"type": "verify_agi", "date": "2030-06-15", "by": "panel"}
        ]"#;
        // The verification of 2029 came before any declaration and does not
        // count; Microsoft's declaration is not OpenAI's. Reached on
        // 2030-06-15 by events 1 and 3.
        let result = run(FLAGSHIP, events, date(2032, 12, 31));
        assert_eq!(
            result,
            [(
                "agi".to_string(),
                Some(Reached {
                    date: date(2030, 6, 15),
                    events: vec![1, 3]
                })
            )]
        );
    }

    #[test]
    fn a_declaration_alone_does_not_reach_agi() {
        let events = r#"[{"type": "declare_agi", "date": "2030-03-01", "by": "openai"}]"#;
        assert_eq!(
            run(FLAGSHIP, events, date(2032, 12, 31)),
            [("agi".to_string(), None)]
        );
    }

    #[test]
    fn one_event_never_completes_two_steps_and_dates_pass_without_events() {
        let contract = r#"contract "T" effective 2026-01-01 term through 2030-12-31
            party a
            event ping by party { }
            milestone twice "Two pings": ping, then ping
            milestone either "A ping or the new year": ping or 2027-01-01
            milestone both "A ping and the new year": ping and 2027-01-01
            milestone dated "A ping after the new year": 2027-01-01, then ping"#;
        let events = r#"[
          {"type": "ping", "date": "2026-05-01", "by": "a"},
          {"type": "ping", "date": "2026-05-01", "by": "a"}
        ]"#;
        let result = run(contract, events, date(2027, 6, 1));
        let r = |d: Date, e: Vec<usize>| Some(Reached { date: d, events: e });
        assert_eq!(result[0].1, r(date(2026, 5, 1), vec![0, 1]));
        assert_eq!(result[1].1, r(date(2026, 5, 1), vec![0]));
        // Both parts are needed; the later is the new year.
        assert_eq!(result[2].1, r(date(2027, 1, 1), vec![0]));
        // The pings came before the date: no ping after it yet.
        assert_eq!(result[3].1, None);
    }

    const RUNNING: &str = r#"contract "T" effective 2026-01-01 term through 2030-12-31
        party licensee
        party licensor
        event payment by party { to: party, amount: money }
        event deliver by party { late: bool }
        event accept by party { }
        milestone fee_paid: total payment.amount where payment.to is licensor reaches USD 100,000.00
        milestone third_late: count deliver by licensor where late reaches 3
        milestone paid_after: accept, then total payment.amount reaches USD 50.00
        milestone either: count accept reaches 2 or total payment.amount reaches USD 1,000,000.00"#;

    #[test]
    fn a_running_total_is_reached_by_the_event_that_brings_it_to_the_amount() {
        let events = r#"[
          {"type": "payment", "date": "2026-02-10", "by": "licensee", "to": "licensor", "amount": "USD 40,000.00"},
          {"type": "payment", "date": "2026-03-10", "by": "licensor", "to": "licensee", "amount": "USD 100.00"},
          {"type": "payment", "date": "2026-04-10", "by": "licensee", "to": "licensor", "amount": "USD 59,999.99"},
          {"type": "deliver", "date": "2026-04-11", "by": "licensor", "late": true},
          {"type": "deliver", "date": "2026-04-12", "by": "licensor", "late": false},
          {"type": "deliver", "date": "2026-04-13", "by": "licensee", "late": true},
          {"type": "deliver", "date": "2026-04-14", "by": "licensor", "late": true},
          {"type": "payment", "date": "2026-05-10", "by": "licensee", "to": "licensor", "amount": "USD 0.01"},
          {"type": "deliver", "date": "2026-05-14", "by": "licensor", "late": true},
          {"type": "accept", "date": "2026-05-20", "by": "licensee"},
          {"type": "payment", "date": "2026-05-21", "by": "licensee", "to": "licensor", "amount": "USD 49.99"},
          {"type": "payment", "date": "2026-05-22", "by": "licensee", "to": "licensor", "amount": "USD 0.01"},
          {"type": "accept", "date": "2026-05-23", "by": "licensee"}
        ]"#;
        let result = run(RUNNING, events, date(2026, 12, 31));
        let r = |d: Date, e: Vec<usize>| Some(Reached { date: d, events: e });
        // To the licensor: 40,000.00 + 59,999.99 = 99,999.99, short by a
        // cent; the cent of 10 May (event 7) makes 100,000.00. The
        // licensor's own payment of 100.00 is not to the licensor.
        assert_eq!(result[0].1, r(date(2026, 5, 10), vec![7]));
        // The licensor's late deliveries: events 3, 6 and 8 (4 was on
        // time, 5 was the licensee's).
        assert_eq!(result[1].1, r(date(2026, 5, 14), vec![8]));
        // After the acceptance (event 9), payments of 49.99 and 0.01 come
        // to 50.00; the 100,000.00 paid before it does not count.
        assert_eq!(result[2].1, r(date(2026, 5, 22), vec![9, 11]));
        // The second acceptance, before any million is paid.
        assert_eq!(result[3].1, r(date(2026, 5, 23), vec![12]));
    }

    #[test]
    fn the_event_that_completes_a_step_is_not_counted_for_the_next() {
        let contract = r#"contract "T" effective 2026-01-01 term through 2030-12-31
            party a
            event ping by party { n: number }
            milestone two_then_one: count ping reaches 2, then total ping.n reaches 5"#;
        // The second ping reaches the count, and its 1 is not added to
        // the total: were it added, the third would reach 5 (1 + 4).
        let events = r#"[
          {"type": "ping", "date": "2026-05-01", "by": "a", "n": 4},
          {"type": "ping", "date": "2026-05-02", "by": "a", "n": 1},
          {"type": "ping", "date": "2026-05-03", "by": "a", "n": 4},
          {"type": "ping", "date": "2026-05-04", "by": "a", "n": 1}
        ]"#;
        let result = run(contract, events, date(2027, 6, 1));
        // 4 (the third) alone is short of 5; with the fourth's 1, it is 5.
        assert_eq!(
            result[0].1,
            Some(Reached {
                date: date(2026, 5, 4),
                events: vec![1, 3]
            })
        );
    }

    #[test]
    fn a_running_total_short_of_its_amount_is_not_reached() {
        let events = r#"[
          {"type": "payment", "date": "2026-02-10", "by": "licensee", "to": "licensor", "amount": "USD 99,999.99"},
          {"type": "deliver", "date": "2026-04-11", "by": "licensor", "late": true},
          {"type": "deliver", "date": "2026-04-11", "by": "licensor", "late": true}
        ]"#;
        let result = run(RUNNING, events, date(2030, 12, 31));
        assert!(
            result.iter().all(|(_, reached)| reached.is_none()),
            "{result:?}"
        );
    }
}
