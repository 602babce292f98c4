//! The fold over time: events pushed in date order, one day at a time, each
//! rule keeping the little state it needs; the outcome at the as-of date.
//!
//! A day's events are held back until the day is complete, because a
//! milestone reached by the last event of a day changes the windows of the
//! whole day (`until M` ends the day before M is reached). So the milestones
//! see the whole day first; then every rule sees each of the day's events
//! in file order. Beyond that one day nothing is kept of an event except
//! what a finding needs to name it (an `EventNote`) and the payments that
//! may settle obligations: memory grows with the findings, not with the
//! number of events.
//!
//! Everything that depends on how the story ends — due dates counted from a
//! milestone, the windows shown by `--explain`, what is overdue — is worked
//! out once, by `finish`, from the milestones as they stand at the as-of
//! date. For any one event the windows seen on its day and at the end agree:
//! a milestone reached later than the event cannot move a window across it.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::compute::{Context, Val};
use super::engine::{
    Act, Amount, CommitmentProgress, Coverage, Engine, Entitlement, MilestoneState, Obligation,
    Outcome, PeriodSums, Rule, Status, Verdict, Violation,
};
use super::event::{Event, PeriodValue, Value};
use super::milestones::Milestones;
use super::windows::{self, Closed, Days};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{ClauseId, EventTypeId, MilestoneId, PartyId};

/// What a report needs to name an event: kept for the events that findings
/// refer to, once the event itself has been let go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventNote {
    pub kind: EventTypeId,
    pub id: Option<String>,
    pub date: Date,
}

impl EventNote {
    fn of(event: &Event) -> Self {
        EventNote {
            kind: event.kind,
            id: event.id.clone(),
            date: event.date,
        }
    }
}

/// A payment obligation waiting for the end, when its due date and window
/// can be known.
struct Pending {
    rule: usize,
    amount: Amount,
    period: Option<PeriodValue>,
    /// The day of the event that raised it, for `due N days after the event`.
    event_date: Option<Date>,
    raised: Date,
    events: Vec<usize>,
}

/// A payment event, kept to settle obligations at the end.
struct Payment {
    seq: usize,
    /// Kept for the report if the payment settles something.
    note: EventNote,
    kind: EventTypeId,
    date: Date,
    payer: PartyId,
    payee: Option<PartyId>,
    money: Money,
}

/// One obligation to act raised by an event.
struct ActRecord {
    raised_day: Date,
    raised_by: usize,
    /// The event that performed it, and its day.
    done: Option<(usize, Date)>,
}

/// An obligation to act as it stands at the end: the day it arose, the
/// event that raised it (for `on each`), and the event that performed it.
type ActState = (Date, Option<usize>, Option<(usize, Date)>);

/// The progress of one `must EVENT` rule.
#[derive(Default)]
struct DutyState {
    /// For `on each`: one record per raising event, in order.
    records: Vec<ActRecord>,
    /// The records not yet performed, oldest first.
    open: VecDeque<usize>,
    /// Without `on each`: the event that performed the one obligation.
    whole: Option<(usize, Date)>,
}

/// The progress of one commitment.
#[derive(Default)]
struct CommitmentState {
    fulfilled: Decimal,
    counted: Vec<usize>,
}

/// An evaluation in progress.
pub struct Evaluation<'e, 'c> {
    engine: &'e Engine<'c>,
    rules: Vec<Rule<'c>>,
    /// Events dated after this day are read but not considered.
    limit: Option<Date>,
    milestones: Milestones<'c>,
    /// The events of the day being gathered, in file order.
    day: Vec<Event>,
    last_date: Option<Date>,
    read: usize,
    considered: usize,
    notes: BTreeMap<usize, EventNote>,
    /// Payment obligations raised by single events.
    per_event: Vec<Pending>,
    /// Per-period payments: the sums of each `total`, by rule and period.
    periods: BTreeMap<(usize, PeriodValue), PeriodSums>,
    violations: Vec<(usize, Violation)>,
    entitlements: Vec<(usize, Entitlement)>,
    /// By rule index; empty state for rules of other kinds.
    duties: Vec<DutyState>,
    commitments: Vec<CommitmentState>,
    /// The target of each commitment, by rule index, when it can be worked out.
    targets: Vec<Option<Val>>,
    payments: Vec<Payment>,
    /// The event types that settle a payment obligation.
    settlement_kinds: Vec<EventTypeId>,
    /// The parties that owe under some payment rule.
    debtors: Vec<PartyId>,
    /// By event type: the rules that events of that type can concern, so
    /// that each event is shown only to them.
    by_kind: Vec<Vec<usize>>,
    /// Clauses that took an event out of a rule or permitted an act.
    exercised: BTreeSet<ClauseId>,
}

impl<'e, 'c> Evaluation<'e, 'c> {
    /// Starts an evaluation. Events dated after `limit` will be counted as
    /// read but not considered.
    pub fn new(engine: &'e Engine<'c>, limit: Option<Date>) -> Self {
        let rules: Vec<Rule<'c>> = engine.rules().collect();
        let mut settlement_kinds: Vec<EventTypeId> = rules
            .iter()
            .filter_map(|rule| match rule.statement {
                Statement::Pay(pay) => engine.contract().settlement(pay),
                Statement::Do(_)
                | Statement::MustNot(_)
                | Statement::May(_)
                | Statement::Grant(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::CapTable(_)
                | Statement::Commitment(_) => None,
            })
            .collect();
        settlement_kinds.sort_unstable();
        settlement_kinds.dedup();
        let mut debtors: Vec<PartyId> = rules
            .iter()
            .filter_map(|rule| match rule.statement {
                Statement::Pay(pay) => engine.party(&pay.debtor),
                Statement::Do(_)
                | Statement::MustNot(_)
                | Statement::May(_)
                | Statement::Grant(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::CapTable(_)
                | Statement::Commitment(_) => None,
            })
            .collect();
        debtors.sort_unstable();
        debtors.dedup();
        let targets = rules
            .iter()
            .map(|rule| match rule.statement {
                Statement::Commitment(c) => engine.blank_context().value(&c.target).ok(),
                Statement::Pay(_)
                | Statement::Do(_)
                | Statement::MustNot(_)
                | Statement::May(_)
                | Statement::Grant(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::CapTable(_) => None,
            })
            .collect();
        let kinds = engine.contract().file.events.len();
        let mut by_kind = vec![Vec::new(); kinds];
        for (index, rule) in rules.iter().enumerate() {
            match engine.event_types_of(rule.statement) {
                Some(types) => {
                    for kind in types {
                        if let Some(list) = by_kind.get_mut(kind.index())
                            && list.last() != Some(&index)
                        {
                            list.push(index);
                        }
                    }
                }
                None => by_kind.iter_mut().for_each(|list| list.push(index)),
            }
        }
        Evaluation {
            debtors,
            exercised: BTreeSet::new(),
            by_kind,
            engine,
            duties: rules.iter().map(|_| DutyState::default()).collect(),
            commitments: rules.iter().map(|_| CommitmentState::default()).collect(),
            targets,
            rules,
            limit,
            milestones: Milestones::new(engine.contract()),
            day: Vec::new(),
            last_date: None,
            read: 0,
            considered: 0,
            notes: BTreeMap::new(),
            per_event: Vec::new(),
            periods: BTreeMap::new(),
            violations: Vec::new(),
            entitlements: Vec::new(),
            payments: Vec::new(),
            settlement_kinds,
        }
    }

    /// The date of the latest event pushed so far.
    pub fn last_date(&self) -> Option<Date> {
        self.last_date
    }

    /// Adds the next event. Events must come in date order (same-date
    /// events in file order); an earlier date than one already pushed is
    /// refused, and callers that cannot promise the order sort first.
    pub fn push(&mut self, event: Event) -> Result<(), Diagnostic> {
        if let Some(last) = self.last_date
            && event.date < last
        {
            return Err(Diagnostic::error(
                Code::EventsOutOfOrder,
                format!("an event dated {} comes after one dated {last}", event.date),
                event.span,
                "out of date order",
            ));
        }
        self.read += 1;
        self.last_date = Some(event.date);
        if self.limit.is_some_and(|limit| event.date > limit) {
            return Ok(());
        }
        if self
            .day
            .first()
            .is_some_and(|first| first.date != event.date)
        {
            self.close_day()?;
        }
        self.considered += 1;
        self.day.push(event);
        Ok(())
    }

    /// Evaluates the gathered day: milestones first, then every rule.
    fn close_day(&mut self) -> Result<(), Diagnostic> {
        let day = std::mem::take(&mut self.day);
        let Some(date) = day.first().map(|e| e.date) else {
            return Ok(());
        };
        self.milestones.advance_to(date);
        for event in &day {
            if self.milestones.watches(event.kind) && self.milestones.feed(event)? {
                self.note(event);
            }
        }
        let term = self.term()?;
        let windows: Vec<Result<Days, Closed>> = self
            .rules
            .iter()
            .map(|rule| match rule.statement.window() {
                Some(window) => self.engine.window(rule, window, term, &self.milestones),
                None => Err(Closed::NotOpened),
            })
            .collect();
        let by_kind = std::mem::take(&mut self.by_kind);
        let mut result = Ok(());
        'events: for event in &day {
            let rules = by_kind
                .get(event.kind.index())
                .map_or(&[][..], Vec::as_slice);
            for &index in rules {
                let window = windows
                    .get(index)
                    .copied()
                    .unwrap_or(Err(Closed::NotOpened));
                if let Err(error) = self.apply(index, window, event, term) {
                    result = Err(error);
                    break 'events;
                }
            }
            self.record_payment(event);
        }
        self.by_kind = by_kind;
        result
    }

    fn term(&self) -> Result<Days, Diagnostic> {
        self.engine
            .contract()
            .file
            .header
            .as_ref()
            .and_then(|h| windows::term(h, &self.milestones))
            .ok_or_else(|| {
                Diagnostic::error(
                    Code::EvaluationError,
                    "the contract has no term",
                    Span::default(),
                    "here",
                )
            })
    }

    fn note(&mut self, event: &Event) {
        self.notes
            .entry(event.seq)
            .or_insert_with(|| EventNote::of(event));
    }

    /// What one rule makes of one event, with the rule's window on that day.
    fn apply(
        &mut self,
        index: usize,
        window: Result<Days, Closed>,
        event: &Event,
        term: Days,
    ) -> Result<(), Diagnostic> {
        let engine = self.engine;
        let Some(rule) = self.rules.get(index) else {
            return Ok(());
        };
        let in_window = window.is_ok_and(|days| days.contains(event.date));
        // An event of a type the rule concerns, outside its window: the
        // window decided that the rule does not apply (for coverage).
        if !in_window
            && !matches!(rule.statement, Statement::Grant(_))
            && !self.exercised.contains(&rule.clause)
            && engine.concerns(rule.statement, event)?
        {
            self.exercised.insert(rule.clause);
        }
        match rule.statement {
            Statement::Pay(pay) => {
                if !in_window {
                    return Ok(());
                }
                match &pay.recurrence {
                    Some(Recurrence::EachEvent(pattern)) => {
                        if !engine.pattern_matches(pattern, event)? {
                            return Ok(());
                        }
                        if let Some(decided) = engine.taken_out(rule, &pay.carve_outs, event)? {
                            self.exercised.insert(decided);
                            return Ok(());
                        }
                        let amount = engine.amount(pay, &engine.context(event))?;
                        self.per_event.push(Pending {
                            rule: index,
                            amount,
                            period: None,
                            event_date: Some(event.date),
                            raised: event.date,
                            events: vec![event.seq],
                        });
                        self.note(event);
                    }
                    Some(Recurrence::EachPeriod(_) | Recurrence::EachPeriodField(_)) => {
                        let Some(key) = engine.period_key(pay, event) else {
                            return Ok(());
                        };
                        if let Some(decided) = engine.taken_out(rule, &pay.carve_outs, event)? {
                            self.exercised.insert(decided);
                            return Ok(());
                        }
                        let sums = self.periods.entry((index, key)).or_default();
                        if engine.add_to_totals(&pay.amount, event, sums)? {
                            self.note(event);
                        }
                    }
                    None => {}
                }
            }
            Statement::MustNot(prohibition) => {
                let Ok(days) = window else { return Ok(()) };
                let clause = rule.clause;
                match engine.prohibition(
                    rule,
                    prohibition,
                    days,
                    event,
                    &self.rules,
                    term,
                    &self.milestones,
                )? {
                    Verdict::NotConcerned => {}
                    Verdict::CarvedOut => {
                        self.exercised.insert(clause);
                    }
                    Verdict::LiftedBy(exception) => {
                        self.exercised.extend([clause, exception]);
                    }
                    Verdict::Breach(violation) => {
                        self.violations.push((index, violation));
                        self.note(event);
                    }
                }
            }
            Statement::May(permission) => {
                // Only for coverage: once a permission has applied, it has.
                if !self.exercised.contains(&rule.clause)
                    && engine.permits(rule, permission, event, term, &self.milestones)?
                {
                    self.exercised.insert(rule.clause);
                }
            }
            Statement::Grant(grant) => {
                let Some(grantee) = engine.party(&grant.grantee) else {
                    return Ok(());
                };
                if !engine.action_matches(&grant.scope, event)? {
                    return Ok(());
                }
                let coverage = if !in_window {
                    Coverage::OutsideWindow
                } else if let Some(span) = engine.carved_out(&grant.carve_outs, event)? {
                    Coverage::CarvedOut(span)
                } else if let Some(clause) = engine.excluded_by(rule.clause, event)? {
                    Coverage::Excluded { clause }
                } else {
                    Coverage::Covered
                };
                self.entitlements.push((
                    index,
                    Entitlement {
                        clause: rule.clause,
                        grantee,
                        event: event.seq,
                        coverage,
                        window: None,
                    },
                ));
                self.note(event);
            }
            Statement::Commitment(commitment) => {
                if !in_window {
                    return Ok(());
                }
                let Some(target) = self.targets.get(index).and_then(Option::as_ref) else {
                    return Ok(());
                };
                let counted = match engine.commitment_amount(rule, commitment, target, event)? {
                    Ok(counted) => counted,
                    Err(decided) => {
                        self.exercised.insert(decided);
                        None
                    }
                };
                if let Some(amount) = counted {
                    let Some(state) = self.commitments.get_mut(index) else {
                        return Ok(());
                    };
                    state.fulfilled = state.fulfilled.checked_add(amount).ok_or_else(|| {
                        Diagnostic::error(
                            Code::ArithmeticOverflow,
                            "the commitment's progress is too large",
                            commitment.span,
                            "here",
                        )
                    })?;
                    state.counted.push(event.seq);
                    self.note(event);
                }
            }
            Statement::Do(duty) => {
                let Some(party) = engine.party(&duty.party) else {
                    return Ok(());
                };
                let Some(state) = self.duties.get_mut(index) else {
                    return Ok(());
                };
                let mut noted = false;
                // Performing comes before raising: an event never performs
                // the obligation it raises itself.
                if event.by == Some(party)
                    && engine.action_matches(&duty.action, event)?
                    && engine.carved_out(&duty.carve_outs, event)?.is_none()
                {
                    match &duty.trigger {
                        Some(_) => {
                            if let Some(open) = state.open.pop_front()
                                && let Some(record) = state.records.get_mut(open)
                            {
                                record.done = Some((event.seq, event.date));
                                noted = true;
                            }
                        }
                        None => {
                            if state.whole.is_none()
                                && window.is_ok_and(|days| event.date >= days.first)
                            {
                                state.whole = Some((event.seq, event.date));
                                noted = true;
                            }
                        }
                    }
                }
                if let Some(pattern) = &duty.trigger
                    && in_window
                    && engine.pattern_matches(pattern, event)?
                {
                    state.open.push_back(state.records.len());
                    state.records.push(ActRecord {
                        raised_day: event.date,
                        raised_by: event.seq,
                        done: None,
                    });
                    noted = true;
                }
                if noted {
                    self.note(event);
                }
            }
            Statement::Exclusion(_) | Statement::Holding(_) | Statement::CapTable(_) => {}
        }
        Ok(())
    }

    /// Keeps a payment event for settlement at the end.
    fn record_payment(&mut self, event: &Event) {
        if !self.settlement_kinds.contains(&event.kind) {
            return;
        }
        // Only a party that owes under some rule can settle anything.
        let Some(payer) = event.by.filter(|p| self.debtors.contains(p)) else {
            return;
        };
        let contract = self.engine.contract();
        let decl = contract.event_type(event.kind);
        let field = |name: &str| {
            let index = decl?.fields.iter().position(|f| f.name.node == name)?;
            event.fields.get(index)
        };
        let Some(Value::Money(money)) = field("amount") else {
            return;
        };
        let payee = match field("to") {
            Some(Value::Party(p)) => Some(*p),
            _ => None,
        };
        self.payments.push(Payment {
            seq: event.seq,
            note: EventNote::of(event),
            kind: event.kind,
            date: event.date,
            payer,
            payee,
            money: *money,
        });
    }

    /// Ends the evaluation: everything found, as of the date.
    pub fn finish(mut self, as_of: Date) -> Result<Outcome, Diagnostic> {
        self.close_day()?;
        self.milestones.advance_to(as_of);
        let engine = self.engine;
        let contract = engine.contract();
        let term = self.term()?;
        let milestones = &self.milestones;
        let window_of = |rule: &Rule<'_>| -> Result<Days, Closed> {
            match rule.statement.window() {
                Some(window) => engine.window(rule, window, term, milestones),
                None => Err(Closed::NotOpened),
            }
        };

        let mut outcome = Outcome {
            as_of: Some(as_of),
            read: self.read,
            considered: self.considered,
            ..Outcome::default()
        };
        for (i, _) in contract.file.milestones.iter().enumerate() {
            let i = MilestoneId::from_index(i);
            outcome.milestones.push(MilestoneState {
                milestone: i,
                reached: milestones.reached(i).cloned(),
            });
        }

        // Payment obligations: those raised by events and the one-off ones,
        // rule by rule, then those of each period.
        let mut pending = std::mem::take(&mut self.per_event);
        for (index, rule) in self.rules.iter().enumerate() {
            if let Statement::Pay(pay) = rule.statement
                && pay.recurrence.is_none()
                && window_of(rule).is_ok()
            {
                pending.push(Pending {
                    rule: index,
                    amount: engine.amount(pay, &engine.blank_context())?,
                    period: None,
                    event_date: None,
                    raised: term.first,
                    events: Vec::new(),
                });
            }
        }
        pending.sort_by_key(|p| p.rule);
        for ((index, key), sums) in std::mem::take(&mut self.periods) {
            let Some(Statement::Pay(pay)) = self.rules.get(index).map(|r| r.statement) else {
                continue;
            };
            let totals = |field: &FieldRef,
                          filter: Option<&Condition>|
             -> Result<Val, Diagnostic> { Ok(sums.total(field, filter)) };
            let context = Context {
                contract,
                event: None,
                totals: Some(&totals),
            };
            pending.push(Pending {
                rule: index,
                amount: engine.amount(pay, &context)?,
                period: Some(key),
                event_date: None,
                raised: sums.first_date.unwrap_or(key.last),
                events: sums.events,
            });
        }
        for p in pending {
            let Some(rule) = self.rules.get(p.rule) else {
                continue;
            };
            let Statement::Pay(pay) = rule.statement else {
                continue;
            };
            let due = engine.due_date(
                pay.due.as_ref(),
                p.event_date,
                p.period.map(|k| k.last),
                milestones,
            );
            let mut obligation =
                engine.obligation(rule, pay, p.amount, (p.period, due, p.raised), p.events)?;
            obligation.window = window_of(rule).ok();
            outcome.obligations.push(obligation);
        }
        settle(engine, &mut outcome.obligations, &self.payments, as_of);
        // Name the payments that settled something.
        let applied: BTreeSet<usize> = outcome
            .obligations
            .iter()
            .flat_map(|o| o.payments.iter().copied())
            .collect();
        for payment in std::mem::take(&mut self.payments) {
            if applied.contains(&payment.seq) {
                self.notes.entry(payment.seq).or_insert(payment.note);
            }
        }
        outcome.obligations.sort_by(|a, b| {
            (a.clause, a.due, a.period, &a.events).cmp(&(b.clause, b.due, b.period, &b.events))
        });

        // Findings rule by rule; within a rule, in the order of the events.
        let mut violations = std::mem::take(&mut self.violations);
        violations.sort_by_key(|(index, _)| *index);
        outcome.violations = violations
            .into_iter()
            .map(|(index, mut violation)| {
                if let Some(Ok(days)) = self.rules.get(index).map(&window_of) {
                    violation.window = days;
                }
                violation
            })
            .collect();
        let mut entitlements = std::mem::take(&mut self.entitlements);
        entitlements.sort_by_key(|(index, _)| *index);
        outcome.entitlements = entitlements
            .into_iter()
            .map(|(index, mut entitlement)| {
                entitlement.window = self.rules.get(index).and_then(|r| window_of(r).ok());
                entitlement
            })
            .collect();

        for (index, rule) in self.rules.iter().enumerate() {
            match rule.statement {
                Statement::Do(duty) => {
                    let (Some(party), Some(&action)) = (
                        engine.party(&duty.party),
                        contract.symbols.events.get(&duty.action.event.node),
                    ) else {
                        continue;
                    };
                    let Ok(days) = window_of(rule) else { continue };
                    let Some(state) = self.duties.get(index) else {
                        continue;
                    };
                    let records: Vec<ActState> = match &duty.trigger {
                        Some(_) => state
                            .records
                            .iter()
                            .map(|r| (r.raised_day, Some(r.raised_by), r.done))
                            .collect(),
                        None => vec![(days.first, None, state.whole)],
                    };
                    for (day, raised_by, done) in records {
                        let due = engine.due_date(duty.due.as_ref(), Some(day), None, milestones);
                        let (status, late) = match done {
                            Some((_, date)) => (Status::Discharged, due.is_some_and(|d| date > d)),
                            None if due.is_some_and(|d| d < as_of) => (Status::Overdue, false),
                            None => (Status::Open, false),
                        };
                        outcome.acts.push(Act {
                            clause: rule.clause,
                            party,
                            action,
                            due,
                            status,
                            raised_by,
                            done_by: done.map(|(seq, _)| seq),
                            late,
                            raised: day,
                            window: Some(days),
                        });
                    }
                }
                Statement::Commitment(commitment) => {
                    // Worked out again so that an error in the target is reported.
                    let target = engine.blank_context().value(&commitment.target)?;
                    let target_amount = match &target {
                        Val::Money(m) => m.amount,
                        Val::Number(n) => *n,
                        _ => Decimal::ZERO,
                    };
                    let party = engine.party(&commitment.party).ok_or_else(|| {
                        Diagnostic::error(
                            Code::EvaluationError,
                            "unknown party",
                            commitment.span,
                            "here",
                        )
                    })?;
                    let state = self
                        .commitments
                        .get_mut(index)
                        .map(std::mem::take)
                        .unwrap_or_default();
                    outcome.commitments.push(CommitmentProgress {
                        clause: rule.clause,
                        party,
                        target,
                        fulfilled: state.fulfilled,
                        remaining: target_amount
                            .checked_sub(state.fulfilled)
                            .ok_or_else(|| {
                                Diagnostic::error(
                                    Code::ArithmeticOverflow,
                                    "what remains of the commitment is too large to hold exactly",
                                    commitment.span,
                                    "here",
                                )
                            })?
                            .max(Decimal::ZERO),
                        events: state.counted,
                    });
                }
                Statement::Pay(_)
                | Statement::MustNot(_)
                | Statement::May(_)
                | Statement::Grant(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::CapTable(_) => {}
            }
        }

        outcome.cap_tables = engine.cap_tables();
        let mut exercised = std::mem::take(&mut self.exercised);
        exercised.extend(outcome.obligations.iter().map(|o| o.clause));
        exercised.extend(outcome.acts.iter().map(|a| a.clause));
        exercised.extend(
            outcome
                .violations
                .iter()
                .flat_map(|v| std::iter::once(v.clause).chain(v.conflicting)),
        );
        exercised.extend(outcome.entitlements.iter().map(|e| e.clause));
        exercised.extend(
            outcome
                .entitlements
                .iter()
                .filter_map(|e| match e.coverage {
                    Coverage::Excluded { clause } => Some(clause),
                    _ => None,
                }),
        );
        exercised.extend(
            outcome
                .commitments
                .iter()
                .filter(|c| !c.events.is_empty())
                .map(|c| c.clause),
        );
        exercised.extend(
            outcome
                .cap_tables
                .iter()
                .flat_map(|t| t.stakes.iter().map(|s| s.clause)),
        );
        outcome.exercised = exercised;
        outcome.events = self.notes;
        Ok(outcome)
    }
}

/// Applies the payments to the obligations they settle, oldest due first,
/// and sets each obligation's status as of the date. A payment counts only
/// towards obligations that had arisen by its day, of its payer (and payee,
/// when it names one), in its currency, with the rule's settlement event.
fn settle(engine: &Engine<'_>, obligations: &mut [Obligation], payments: &[Payment], as_of: Date) {
    let kinds: Vec<Option<EventTypeId>> = obligations
        .iter()
        .map(|o| engine.settlement_kind_of_clause(o.clause))
        .collect();
    let mut order: Vec<usize> = (0..obligations.len()).collect();
    order.sort_by_key(|&i| {
        obligations
            .get(i)
            .map(|o| (o.due.is_none(), o.due, o.clause))
    });
    for payment in payments {
        let mut left = payment.money.amount;
        for &i in &order {
            if left <= Decimal::ZERO {
                break;
            }
            let Some(o) = obligations.get_mut(i) else {
                continue;
            };
            if kinds.get(i).copied().flatten() != Some(payment.kind)
                || o.debtor != payment.payer
                || payment.payee.is_some_and(|p| p != o.creditor)
                || o.amount.currency != payment.money.currency
                || o.paid >= o.amount.amount
                || o.raised > payment.date
            {
                continue;
            }
            let applied = left.min(o.amount.amount - o.paid);
            o.paid += applied;
            left -= applied;
            o.payments.push(payment.seq);
        }
    }
    for o in obligations.iter_mut() {
        o.status = if o.paid >= o.amount.amount {
            Status::Discharged
        } else if o.due.is_some_and(|due| due < as_of) {
            Status::Overdue
        } else {
            Status::Open
        };
    }
}
