//! Obligations to act (`A must EVENT ... due ...`): raised once (when the
//! rule's window opens) or by each triggering event (`on each`), each done
//! by the first matching act of the party on or after the day it arose.

use std::collections::{HashMap, VecDeque};

use jiff::civil::Date;

use super::cure::{Notices, cure_state};
use super::{Ending, Step};
use crate::ast::ActionRule;
use crate::diagnostics::Diagnostic;
use crate::eval::engine::{Engine, Rule};
use crate::eval::event::Event;
use crate::eval::history::key;
use crate::eval::outcome::{Act, EventNote, Status};
use crate::eval::windows::{Closed, Days};

/// One obligation to act raised by an event.
struct Record {
    raised_day: Date,
    raised_by: usize,
    /// The event that performed it, and its day.
    done: Option<(usize, Date)>,
}

/// An obligation to act as it stands at the end: the day it arose, the
/// event that raised it (`on each`), and the event that performed it.
type Arisen = (Date, Option<usize>, Option<(usize, Date)>);

/// The progress of one `must EVENT` rule.
#[derive(Default)]
struct Duty {
    /// For `on each`: one record per raising event, in order.
    records: Vec<Record>,
    /// The records not yet performed, oldest first: all in one queue, or
    /// with `matching`, one queue per value of the matched fields (so that
    /// an act finds its own at once, however many others are open).
    open: HashMap<Option<Vec<String>>, VecDeque<usize>>,
    /// Without `on each`: the event that performed the one obligation.
    whole: Option<(usize, Date)>,
    /// Acts of the day being evaluated that found nothing open to perform,
    /// with their matched values: an obligation raised later the same day
    /// is performed by one of them, so that the order of a day's events
    /// in the file does not decide whether an act came in time.
    spare: Vec<(Option<Vec<String>>, usize, EventNote)>,
}

/// The progress of every obligation to act, by rule index (empty for
/// rules of other kinds).
pub(in crate::eval) struct Acts {
    duties: Vec<Duty>,
    /// By rule, for `matching FIELD, ...`: the fields' places in the act's
    /// fields and in the raising event's (empty without `matching`).
    keys: Vec<Option<(Vec<usize>, Vec<usize>)>>,
}

impl Acts {
    pub(in crate::eval) fn new(engine: &Engine<'_>, rules: &[Rule<'_>]) -> Self {
        let contract = engine.contract();
        let places = |event: &str, fields: &[crate::ast::Name]| -> Option<Vec<usize>> {
            let decl = contract.event_type(contract.event_type_named(event)?)?;
            fields
                .iter()
                .map(|f| decl.fields.iter().position(|d| d.name.node == f.node))
                .collect()
        };
        let keys = rules
            .iter()
            .map(|rule| {
                let duty = rule.statement.as_duty()?;
                let trigger = duty.trigger.as_ref()?;
                if duty.matching.is_empty() {
                    return None;
                }
                Some((
                    places(&duty.action.event.node, &duty.matching)?,
                    places(&trigger.event.node, &duty.matching)?,
                ))
            })
            .collect();
        Acts {
            duties: rules.iter().map(|_| Duty::default()).collect(),
            keys,
        }
    }

    /// What an event does to rule `index`: performs its oldest open
    /// obligation, raises a new one, or both (performing first, so an
    /// event never performs the obligation it raises itself).
    pub(in crate::eval) fn apply(
        &mut self,
        step: &mut Step<'_, '_>,
        index: usize,
        rule: &Rule<'_>,
        duty: &ActionRule,
        window: Result<Days, Closed>,
        event: &Event,
    ) -> Result<(), Diagnostic> {
        let engine = step.engine;
        let Some(party) = engine.actor(&duty.party) else {
            return Ok(());
        };
        let Some(state) = self.duties.get_mut(index) else {
            return Ok(());
        };
        let keys = self.keys.get(index).and_then(Option::as_ref);
        let in_window = window.is_ok_and(|days| days.contains(event.date));
        let mut noted = false;
        if event.done_by(Some(party))
            && engine.action_matches(&duty.action, event)?
            && engine.carved_out(&duty.carve_outs, event)?.is_none()
        {
            match &duty.trigger {
                Some(_) => {
                    // The oldest open obligation this act performs: any,
                    // or with `matching`, the oldest raised by an event
                    // with the act's values.
                    let wanted = keys.and_then(|(here, _)| key(here.iter().copied(), event));
                    let queue = state.open.get_mut(&wanted);
                    let found = queue.and_then(VecDeque::pop_front);
                    if state.open.get(&wanted).is_some_and(VecDeque::is_empty) {
                        state.open.remove(&wanted);
                    }
                    if let Some(open) = found
                        && let Some(record) = state.records.get_mut(open)
                    {
                        record.done = Some((event.seq, event.date));
                        noted = true;
                    } else {
                        state.spare.retain(|(_, _, note)| note.date == event.date);
                        state.spare.push((wanted, event.seq, EventNote::of(event)));
                    }
                }
                None => {
                    if state.whole.is_none() && window.is_ok_and(|days| event.date >= days.first) {
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
            // An exception's own obligation, raised by the same event,
            // replaces this one.
            if let Some(exception) = engine.replaced_by(rule, event, step.term, step.milestones)? {
                step.exercise(exception);
                if noted {
                    step.note(event);
                }
                return Ok(());
            }
            let raised_key = keys.and_then(|(_, there)| key(there.iter().copied(), event));
            // An act earlier the same day that found nothing to perform
            // performs this one (never the event that raised it).
            let spare = state.spare.iter().position(|(wanted, seq, note)| {
                note.date == event.date
                    && *seq != event.seq
                    && (wanted.is_none() || *wanted == raised_key)
            });
            let done = match spare {
                Some(at) if at < state.spare.len() => {
                    let (_, seq, note) = state.spare.remove(at);
                    step.notes.entry(seq).or_insert(note);
                    Some((seq, event.date))
                }
                Some(_) | None => {
                    state
                        .open
                        .entry(raised_key)
                        .or_default()
                        .push_back(state.records.len());
                    None
                }
            };
            state.records.push(Record {
                raised_day: event.date,
                raised_by: event.seq,
                done,
            });
            noted = true;
        }
        if noted {
            step.note(event);
        }
        Ok(())
    }

    /// Every obligation to act as of the end: done (on time or late),
    /// open, or overdue.
    pub(in crate::eval) fn finish(self, end: &Ending<'_, '_>, notices: &Notices) -> Vec<Act> {
        let engine = end.engine;
        let mut acts = Vec::new();
        for (index, (rule, state)) in end.rules.iter().zip(&self.duties).enumerate() {
            let Some(duty) = rule.statement.as_duty() else {
                continue;
            };
            let (Some(party), Some(action)) = (
                engine.actor(&duty.party),
                engine.contract().event_type_named(&duty.action.event.node),
            ) else {
                continue;
            };
            let Ok(days) = end.window_of(rule) else {
                continue;
            };
            let records: Vec<Arisen> = match &duty.trigger {
                Some(_) => state
                    .records
                    .iter()
                    .map(|r| (r.raised_day, Some(r.raised_by), r.done))
                    .collect(),
                // Owed once, from when the window opens: not yet, if that is
                // after the report date.
                None if days.first > end.as_of => Vec::new(),
                None => vec![(days.first, None, state.whole)],
            };
            for (day, raised_by, done) in records {
                let due = engine.due_date(duty.due.as_ref(), Some(day), None, end.milestones);
                let (due, moved) = end.suspending.shift(rule.clause, day, due, end.as_of);
                let (status, late) = match done {
                    Some((_, date)) => (Status::Discharged, due.is_some_and(|d| date > d)),
                    None if due.is_some_and(|d| d < end.as_of) => (Status::Overdue, false),
                    None => (Status::Open, false),
                };
                let done_on = done.map(|(_, date)| date);
                let cure = duty
                    .cure
                    .as_deref()
                    .and_then(|cure| cure_state(due, done_on, cure, notices.of(index), end.as_of));
                acts.push(Act {
                    clause: rule.clause,
                    rule: rule.statement.span(),
                    party,
                    action,
                    due,
                    status,
                    raised_by,
                    done_by: done.map(|(seq, _)| seq),
                    done_on,
                    late,
                    raised: day,
                    window: Some(days),
                    cure,
                    moved,
                });
            }
        }
        acts
    }
}
