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

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use super::accounts::Ledger;
use super::engine::{Engine, Rule};
use super::event::Event;
use super::groups::Membership;
use super::history::History;
use super::milestones::Milestones;
use super::outcome::{Coverage, EventNote, MilestoneState, Outcome};
use super::rules::act::Acts;
use super::rules::commitment::Commitments;
use super::rules::cure::Notices;
use super::rules::grant::Grants;
use super::rules::ownership::Titles;
use super::rules::pay::Payments;
use super::rules::prohibition::{self, Prohibitions};
use super::rules::remedy::Exercises;
use super::rules::suspension::Suspensions;
use super::rules::{Ending, Step, cap_table};
use super::running::Running;
use super::windows::{self, Closed, Days};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{ClauseId, MilestoneId};

/// The most emptied field lists an evaluation keeps for the events still
/// to be read: more than most days hold events, and never more memory
/// than a few of them take.
const MAX_SPARE_FIELDS: usize = 4096;

/// An evaluation in progress.
pub struct Evaluation<'e, 'c> {
    engine: &'e Engine<'c>,
    rules: Vec<Rule<'c>>,
    /// Events dated after this day are read but not considered.
    limit: Option<Date>,
    milestones: Milestones<'c>,
    /// The events of the day being gathered, in file order.
    day: Vec<Event>,
    /// The field lists of the events of days evaluated, emptied, for the
    /// reader to hold later events' fields in (`spare_fields`).
    spare_fields: Vec<Vec<super::event::Value>>,
    last_date: Option<Date>,
    read: usize,
    considered: usize,
    notes: BTreeMap<usize, EventNote>,
    /// What each kind of rule has gathered so far.
    payments: Payments,
    /// Notices given under cure periods, for payments and acts alike.
    notices: Notices,
    /// Notices that stop the term's renewal: their days and events.
    renewal_notices: Vec<(Date, usize)>,
    prohibitions: Prohibitions,
    grants: Grants,
    titles: Titles,
    acts: Acts,
    commitments: Commitments,
    suspensions: Suspensions,
    /// Earlier events remembered for `after EVENT ...` conditions.
    history: History,
    running: Running<'c>,
    /// Who belongs to each group of parties.
    membership: Membership<'c>,
    /// Acts that exercise a right arising on a default.
    exercises: Exercises,
    /// Every account's balance and movements so far.
    ledger: Ledger,
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
            payments: Payments::new(engine, &rules),
            notices: Notices::new(engine, &rules),
            renewal_notices: Vec::new(),
            prohibitions: Prohibitions::default(),
            grants: Grants::default(),
            titles: Titles::default(),
            acts: Acts::new(engine, &rules),
            commitments: Commitments::new(engine, &rules),
            suspensions: Suspensions::default(),
            history: History::new(engine.contract()),
            running: Running::new(engine.contract()),
            membership: Membership::new(engine.contract()),
            exercises: Exercises::new(engine, &rules),
            ledger: Ledger::new(engine.contract()),
            exercised: BTreeSet::new(),
            by_kind,
            engine,
            rules,
            limit,
            milestones: Milestones::new(engine.contract()),
            day: Vec::new(),
            spare_fields: Vec::new(),
            last_date: None,
            read: 0,
            considered: 0,
            notes: BTreeMap::new(),
        }
    }

    /// Takes each clause a milestone waits to be paid in full as paid when
    /// `paid_in_full` says (see `milestones`), before any event is pushed.
    pub fn assume_paid_in_full(&mut self, paid_in_full: &super::paid_in_full::PaidInFull) {
        self.milestones = Milestones::assuming(self.engine.contract(), paid_in_full);
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

    /// Evaluates the gathered day, then keeps its emptied list for the
    /// next day's events (a day's list grows to its size once, not daily).
    fn close_day(&mut self) -> Result<(), Diagnostic> {
        let mut day = std::mem::take(&mut self.day);
        let result = self.evaluate_day(&mut day);
        for event in day.drain(..) {
            if self.spare_fields.len() < MAX_SPARE_FIELDS {
                let mut fields = event.fields;
                fields.clear();
                self.spare_fields.push(fields);
            }
        }
        self.day = day;
        result
    }

    /// An emptied list an evaluated event held its fields in, for the next
    /// event read to hold its own (`Decoder::ndjson_line_in`): a stream of
    /// events then makes a list for the events of its busiest day, not one
    /// per event. Empty when there is none.
    pub fn spare_fields(&mut self) -> Vec<super::event::Value> {
        self.spare_fields.pop().unwrap_or_default()
    }

    /// Evaluates a day's events: milestones first, then every rule.
    fn evaluate_day(&mut self, day: &mut [Event]) -> Result<(), Diagnostic> {
        let Some(date) = day.first().map(|e| e.date) else {
            return Ok(());
        };
        // Who belongs to each group as each event comes, before anything
        // that may count only a group's members looks at the events.
        if !self.membership.is_empty() {
            for event in day.iter_mut() {
                if let Err(error) = self.membership.observe(event) {
                    return Err(self.naming_the_event(error, event));
                }
            }
        }
        // What `after EVENT ...` says of each event, before anything asks.
        if !self.history.is_empty() {
            self.history.remember(day);
            for event in day.iter_mut() {
                self.history.answer(event);
            }
        }
        // The running totals as each event comes, in the day's order.
        if !self.running.is_empty() {
            for event in day.iter_mut() {
                if let Err(error) = self.running.answer(event) {
                    return Err(self.naming_the_event(error, event));
                }
            }
        }
        self.milestones.advance_to(date);
        let renewal = self
            .engine
            .contract()
            .file
            .header
            .as_ref()
            .and_then(|h| h.renewal.as_ref());
        for event in day.iter() {
            let counted = if self.milestones.watches(event.kind) {
                match self.milestones.feed(event) {
                    Ok(counted) => counted,
                    Err(error) => return Err(self.naming_the_event(error, event)),
                }
            } else {
                false
            };
            if counted {
                self.note(event);
            }
            // A notice stopping the term's renewal counts from its own day.
            if let Some(renewal) = renewal
                && self.engine.pattern_matches(&renewal.notice, event)?
            {
                self.renewal_notices.push((event.date, event.seq));
                self.note(event);
            }
        }
        // The balances as they stand at the start of the day, for the
        // rules; the day's own movements apply once the rules have run.
        if let Err(failed) = self.ledger.advance_before(self.engine, date) {
            return Err(failed.diagnostic);
        }
        let term = self.term(date)?;
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
        'events: for event in day.iter() {
            let rules = by_kind
                .get(event.kind.index())
                .map_or(&[][..], Vec::as_slice);
            for &index in rules {
                let window = windows
                    .get(index)
                    .copied()
                    .unwrap_or(Err(Closed::NotOpened));
                if let Err(error) = self.apply(index, window, event, term) {
                    result = Err(self.naming_the_event(error, event));
                    break 'events;
                }
            }
            self.payments.record_payment(self.engine, event);
            if result.is_ok()
                && let Err(error) = self.notices.record(self.engine, &self.rules, event)
            {
                result = Err(self.naming_the_event(error, event));
                break 'events;
            }
            if let Err(error) =
                self.exercises
                    .record(self.engine, &self.rules, event, term, &self.milestones)
            {
                result = Err(self.naming_the_event(error, event));
                break 'events;
            }
        }
        self.by_kind = by_kind;
        result?;
        match self.ledger.apply_day(self.engine, date, day) {
            Ok(moved) => {
                for k in moved {
                    if let Some(event) = day.get(k) {
                        self.note(event);
                    }
                }
                Ok(())
            }
            Err(failed) => Err(match failed.event.and_then(|k| day.get(k)) {
                Some(event) => self.naming_the_event(failed.diagnostic, event),
                None => failed.diagnostic,
            }),
        }
    }

    /// The term as it stands on `today`.
    fn term(&self, today: Date) -> Result<Days, Diagnostic> {
        Ok(self.term_state(today)?.days)
    }

    /// The term and its renewals as they stand on `today`.
    fn term_state(&self, today: Date) -> Result<windows::TermState, Diagnostic> {
        self.engine
            .contract()
            .file
            .header
            .as_ref()
            .and_then(|h| windows::term_state(h, &self.milestones, &self.renewal_notices, today))
            .ok_or_else(|| {
                Diagnostic::error(
                    Code::EvaluationError,
                    "the contract has no term",
                    Span::default(),
                    "here",
                )
            })
    }

    /// A problem met while applying a rule to an event, saying which event
    /// (the diagnostic points into the contract, where the rule is).
    fn naming_the_event(&self, mut diagnostic: Diagnostic, event: &Event) -> Diagnostic {
        // E0703 names its event already.
        if diagnostic.code != Code::NegativeAmount {
            let kind = self
                .engine
                .contract()
                .event_type(event.kind)
                .map_or("event", |d| d.name.node.as_str());
            let id = event
                .id
                .as_ref()
                .map_or_else(String::new, |id| format!(" (id {id})"));
            diagnostic.message = format!(
                "{}, for event #{} {kind} {}{id}",
                diagnostic.message,
                event.seq + 1,
                event.date
            );
        }
        diagnostic
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
        // window decided that the rule does not apply (for coverage). A
        // condition that cannot be worked out for an event the rule does
        // not apply to (`latest price.amount` with no price yet) is not
        // an error: nothing needs it; the event counts as concerned.
        if !in_window
            && !matches!(rule.statement, Statement::Grant(_))
            && !self.exercised.contains(&rule.clause)
            && engine.concerns(rule.statement, event).unwrap_or(true)
        {
            self.exercised.insert(rule.clause);
        }
        let mut step = Step {
            engine,
            ledger: &self.ledger,
            rules: &self.rules,
            milestones: &self.milestones,
            term,
            exercised: &mut self.exercised,
            notes: &mut self.notes,
        };
        match rule.statement {
            // A payment for each period an event names, counted as earned,
            // takes every such event: its window is tested against the
            // period at the end, not against the day the event was reported.
            Statement::Pay(pay) if in_window || counts_as_earned(pay) => {
                self.payments.apply(&mut step, index, rule, pay, event)
            }
            Statement::Pay(_) => Ok(()),
            Statement::MustNot(prohibition) => {
                self.prohibitions
                    .apply(&mut step, index, rule, prohibition, window, event)
            }
            Statement::May(permission) => {
                prohibition::apply_permission(&mut step, rule, permission, event)
            }
            Statement::Grant(grant) => self
                .grants
                .apply(&mut step, index, rule, grant, in_window, event),
            Statement::Commitment(commitment) if in_window => self
                .commitments
                .apply(&mut step, index, rule, commitment, event),
            Statement::Commitment(_) => Ok(()),
            Statement::Do(duty) => self.acts.apply(&mut step, index, rule, duty, window, event),
            // A suspension's events count whenever they come: the days it
            // holds a clause still matter only to that clause's due dates.
            Statement::Suspension(suspension) => {
                self.suspensions.apply(&mut step, index, suspension, event)
            }
            Statement::Own(ownership) => {
                self.titles.apply(&mut step, index, rule, ownership, event)
            }
            // A cap applies to the obligations at the end.
            Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Cap(_) => Ok(()),
        }
    }

    /// Ends the evaluation: everything found, as of the date.
    pub fn finish(mut self, as_of: Date) -> Result<Outcome, Diagnostic> {
        self.close_day()?;
        self.milestones.advance_to(as_of);
        let term_state = self.term_state(as_of)?;
        let term = term_state.days;
        let mut notes = self.notes;
        let suspending = self
            .suspensions
            .finish(self.engine, &self.rules, &mut notes);
        // Every movement up to the end of the report date.
        if let Err(failed) = self.ledger.advance_through(self.engine, as_of) {
            return Err(failed.diagnostic);
        }
        let end = Ending {
            engine: self.engine,
            ledger: &self.ledger,
            rules: &self.rules,
            milestones: &self.milestones,
            term,
            as_of,
            suspending: &suspending,
        };
        let (violations, permissions) = self.prohibitions.finish(&end);
        let (commitments, mut owed) = self.commitments.finish(&end)?;
        let acts = self.acts.finish(&end, &self.notices);
        owed.extend(super::rules::remedy::damages(&end, &acts)?);
        let mut outcome = Outcome {
            as_of: Some(as_of),
            read: self.read,
            considered: self.considered,
            milestones: (0..self.engine.contract().file.milestones.len())
                .map(MilestoneId::from_index)
                .map(|milestone| MilestoneState {
                    milestone,
                    reached: self.milestones.reached(milestone).cloned(),
                    running: self.milestones.running(milestone),
                })
                .collect(),
            obligations: self
                .payments
                .finish(&end, &self.notices, owed, &mut notes)?,
            acts,
            violations,
            permissions,
            rights: prohibition::rights(&end),
            entitlements: self.grants.finish(&end),
            assets: std::mem::take(&mut self.titles).finish(&end),
            commitments,
            cap_tables: cap_table::cap_tables(self.engine),
            accounts: Vec::new(),
            term: Some(term_state),
            suspensions: suspending.stretches.clone(),
            exercised: BTreeSet::new(),
            events: BTreeMap::new(),
        };
        // Rights that defaults gave, and acts that claimed one none gave.
        let (arisen, unfounded) = self.exercises.finish(
            self.engine,
            &self.rules,
            (&outcome.obligations, &outcome.acts),
            as_of,
            &mut notes,
        );
        outcome.rights.extend(arisen);
        outcome.rights.sort_by_key(|r| r.clause);
        outcome.violations.extend(unfounded);
        // By clause; within one, in the order the events came (a stable
        // sort: the order of `seq` is the file's, not the dates').
        outcome.violations.sort_by_key(|v| v.clause);
        let mut exercised = self.exercised;
        exercised.extend(outcome.obligations.iter().map(|o| o.clause));
        // A cap decided something when it reduced an obligation.
        exercised.extend(
            outcome
                .obligations
                .iter()
                .flat_map(|o| o.capped.iter().map(|c| c.clause)),
        );
        exercised.extend(outcome.acts.iter().map(|a| a.clause));
        exercised.extend(
            outcome
                .violations
                .iter()
                .flat_map(|v| std::iter::once(v.clause).chain(v.conflicting)),
        );
        exercised.extend(outcome.permissions.iter().flat_map(|p| [p.clause, p.over]));
        exercised.extend(outcome.entitlements.iter().map(|e| e.clause));
        exercised.extend(outcome.suspensions.iter().map(|s| s.clause));
        exercised.extend(
            outcome
                .entitlements
                .iter()
                .filter_map(|e| match e.coverage {
                    Coverage::Excluded { clause } => Some(clause),
                    Coverage::Covered | Coverage::OutsideWindow | Coverage::CarvedOut(_) => None,
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
        // Name the notices that started a cure period.
        let states = outcome
            .obligations
            .iter()
            .filter_map(|o| o.cure)
            .chain(outcome.acts.iter().filter_map(|a| a.cure));
        self.notices.name(states, &mut notes);
        outcome.events = notes;
        outcome.accounts = self.ledger.statements(as_of);
        Ok(outcome)
    }
}

/// Whether a payment's window tests the period each event names (`for
/// each EVENT.FIELD`, unless written `as reported`).
pub(super) fn counts_as_earned(pay: &PayObligation) -> bool {
    matches!(pay.recurrence, Some(Recurrence::EachPeriodField(_)))
        && pay.basis.as_ref().map(|b| b.node) != Some(PeriodBasis::Reported)
}
