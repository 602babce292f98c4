//! Cure periods: the notices given under them while events go by, and at
//! the end where a missed payment or act stands.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use crate::ast::{Cure, Statement};
use crate::diagnostics::Diagnostic;
use crate::eval::engine::{Engine, Rule};
use crate::eval::event::Event;
use crate::eval::outcome::{CureState, EventNote};
use crate::model::EventTypeId;

/// The cure period a rule gives, if any (payments and obligations to act).
pub(in crate::eval) fn cure_of<'r>(rule: &'r Rule<'_>) -> Option<&'r Cure> {
    match rule.statement {
        Statement::Pay(pay) => pay.cure.as_deref(),
        Statement::Do(duty) => duty.cure.as_deref(),
        Statement::MustNot(_)
        | Statement::May(_)
        | Statement::Grant(_)
        | Statement::Exclusion(_)
        | Statement::Holding(_)
        | Statement::Own(_)
        | Statement::CapTable(_)
        | Statement::Commitment(_)
        | Statement::Suspension(_)
        | Statement::Cap(_) => None,
    }
}

/// The notices given under the rules' cure periods, in date order.
pub(in crate::eval) struct Notices {
    /// The event types some rule's cure period counts from.
    kinds: Vec<EventTypeId>,
    /// The rule whose notice the event is, its day, the event and its note.
    given: Vec<(usize, Date, usize, EventNote)>,
}

impl Notices {
    pub(in crate::eval) fn new(engine: &Engine<'_>, rules: &[Rule<'_>]) -> Self {
        let mut kinds: Vec<EventTypeId> = rules
            .iter()
            .filter_map(|rule| cure_of(rule)?.notice.as_ref())
            .filter_map(|notice| engine.contract().event_type_named(&notice.event.node))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        Notices {
            kinds,
            given: Vec::new(),
        }
    }

    /// Notes an event that gives notice under some rule's cure period.
    pub(in crate::eval) fn record(
        &mut self,
        engine: &Engine<'_>,
        rules: &[Rule<'_>],
        event: &Event,
    ) -> Result<(), Diagnostic> {
        if !self.kinds.contains(&event.kind) {
            return Ok(());
        }
        for (index, rule) in rules.iter().enumerate() {
            let Some(notice) = cure_of(rule).and_then(|cure| cure.notice.as_ref()) else {
                continue;
            };
            if engine.pattern_matches(notice, event)? {
                self.given
                    .push((index, event.date, event.seq, EventNote::of(event)));
            }
        }
        Ok(())
    }

    /// The notices under rule `index`: each one's day and event.
    pub(in crate::eval) fn of(&self, index: usize) -> impl Iterator<Item = (Date, usize)> + '_ {
        self.given
            .iter()
            .filter(move |n| n.0 == index)
            .map(|n| (n.1, n.2))
    }

    /// Keeps the notes of the notices that started a cure period.
    pub(in crate::eval) fn name(
        self,
        states: impl Iterator<Item = CureState>,
        notes: &mut BTreeMap<usize, EventNote>,
    ) {
        let started: BTreeSet<usize> = states
            .filter_map(|state| match state {
                CureState::InCure { notice, .. }
                | CureState::Cured { notice, .. }
                | CureState::Defaulted { notice, .. } => notice,
                CureState::AwaitingNotice => None,
            })
            .collect();
        for (_, _, seq, note) in self.given {
            if started.contains(&seq) {
                notes.entry(seq).or_insert(note);
            }
        }
    }
}

/// Where a missed payment or act stands at `as_of`, given its due date and
/// the day it was paid in full or done: `None` when it was on time or is
/// not yet due. The period runs from the first notice after the due date
/// (or, with no notice named, from the due date) through `within` after
/// it; performance in full in it cures the breach.
pub(in crate::eval) fn cure_state(
    due: Option<Date>,
    done_on: Option<Date>,
    cure: &Cure,
    mut notices: impl Iterator<Item = (Date, usize)>,
    as_of: Date,
) -> Option<CureState> {
    let due = due?;
    if done_on.is_some_and(|done| done <= due) || as_of <= due {
        return None;
    }
    let (notice, from) = match &cure.notice {
        None => (None, due),
        Some(_) => {
            // A notice counts once the obligation is late, and before it
            // was performed (what is done needs no cure).
            let last = done_on.map_or(as_of, |done| done.min(as_of));
            match notices.find(|(day, _)| *day > due && *day <= last) {
                Some((day, seq)) => (Some(seq), day),
                None => {
                    return Some(match done_on {
                        Some(on) => CureState::Cured {
                            notice: None,
                            on,
                            until: None,
                        },
                        None => CureState::AwaitingNotice,
                    });
                }
            }
        }
    };
    let until = cure.within.node.after(from)?;
    Some(match done_on {
        Some(on) if on <= until => CureState::Cured {
            notice,
            on,
            until: Some(until),
        },
        _ if as_of > until => CureState::Defaulted { notice, until },
        _ => CureState::InCure {
            notice,
            from,
            until,
        },
    })
}
