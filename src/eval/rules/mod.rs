//! What each kind of rule makes of events: one module per kind, each with
//! the little state it keeps while events go by (`apply`, one event at a
//! time) and the findings it gives at the end (`finish`, once the
//! milestones as of the report date are known).
//!
//! The fold over time (`evaluation`) owns one state per kind and hands
//! each rule only the events of the types it concerns; what every kind
//! shares — the contract, the rules, the milestones, the term, and the
//! record of which clauses decided something — comes in a [`Step`] while
//! events go by and an [`Ending`] at the end.

pub(super) mod act;
pub(super) mod cap;
pub(super) mod cap_table;
pub(super) mod commitment;
pub(super) mod cure;
pub(super) mod floor;
pub(super) mod grant;
pub(super) mod ownership;
pub(super) mod pay;
pub(super) mod prohibition;
pub(super) mod remedy;
pub(super) mod suspension;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use super::accounts::Ledger;
use super::engine::{Engine, Rule};
use super::event::Event;
use super::milestones::Milestones;
use super::outcome::EventNote;
use super::windows::{Closed, Days};
use crate::model::ClauseId;

/// What a rule sees of the evaluation while it applies to one event.
pub(super) struct Step<'s, 'c> {
    pub(super) engine: &'s Engine<'c>,
    /// The balances of the accounts at the start of the event's day.
    pub(super) ledger: &'s Ledger,
    pub(super) rules: &'s [Rule<'c>],
    pub(super) milestones: &'s Milestones<'c>,
    pub(super) term: Days,
    /// Clauses that took an event out of a rule or permitted an act.
    pub(super) exercised: &'s mut BTreeSet<ClauseId>,
    /// The events findings refer to, by `seq`.
    pub(super) notes: &'s mut BTreeMap<usize, EventNote>,
}

impl Step<'_, '_> {
    /// Keeps what a finding needs to name the event.
    pub(super) fn note(&mut self, event: &Event) {
        self.notes
            .entry(event.seq)
            .or_insert_with(|| EventNote::of(event));
    }

    /// Records that a clause decided something (for scenario coverage).
    pub(super) fn exercise(&mut self, clause: ClauseId) {
        self.exercised.insert(clause);
    }
}

/// What a rule sees of the evaluation at the end, as of the report date.
pub(super) struct Ending<'s, 'c> {
    pub(super) engine: &'s Engine<'c>,
    /// The balances of the accounts up to the end of the report date.
    pub(super) ledger: &'s Ledger,
    pub(super) rules: &'s [Rule<'c>],
    pub(super) milestones: &'s Milestones<'c>,
    pub(super) term: Days,
    pub(super) as_of: Date,
    /// The suspensions as they stand, to move due dates and deadlines.
    pub(super) suspending: &'s suspension::Suspending,
}

impl Ending<'_, '_> {
    /// A rule's window as it stands at the end.
    pub(super) fn window_of(&self, rule: &Rule<'_>) -> Result<Days, Closed> {
        match rule.statement.window() {
            Some(window) => self.engine.window(rule, window, self.term, self.milestones),
            None => Err(Closed::NotOpened),
        }
    }
}
