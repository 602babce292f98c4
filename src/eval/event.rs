//! Events as the evaluator sees them: validated against the contract's
//! declarations, with every value exact and every name resolved to an index.

use jiff::civil::Date;
use rust_decimal::Decimal;
use smol_str::SmolStr;

use super::compute::Val;
use crate::ast::{Money, Span};
use crate::model::{Actor, EventTypeId, GroupId, PartyId};

/// One dated event, checked against its declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Position in the event file, from 0: same-date events keep this order.
    pub seq: usize,
    pub kind: EventTypeId,
    /// Short ids are held inline, without an allocation.
    pub id: Option<SmolStr>,
    pub date: Date,
    /// The party that performed it, for event types declared `by party`.
    pub by: Option<PartyId>,
    /// One value per declared field, in the order of the declaration.
    pub fields: Vec<Value>,
    /// Where the event is written in its file.
    pub span: Span,
    /// What the evaluation worked out about this event from the events
    /// before it; `None` when the contract looks back at none (most do
    /// not: an event stays small, and is moved around a great deal).
    pub looked_back: Option<Box<LookedBack>>,
}

impl Event {
    /// The answer to the contract's `index`th `after EVENT ...` condition.
    pub fn earlier(&self, index: usize) -> Option<bool> {
        self.looked_back.as_ref()?.earlier.get(index).copied()
    }

    /// The value of the contract's `index`th running total as this event
    /// came.
    pub fn running(&self, index: usize) -> Option<&Looked> {
        self.looked_back.as_ref()?.running.get(index)
    }

    /// Whether the party that performed the event belonged to `group` as
    /// it came.
    pub fn in_group(&self, group: GroupId) -> bool {
        self.looked_back
            .as_ref()
            .is_some_and(|l| l.groups.contains(&group))
    }

    /// Whether the event was performed by `actor`: by the party, or by a
    /// member of the group as the event came. `None` (a name the contract
    /// does not declare) is no one.
    pub fn done_by(&self, actor: Option<Actor>) -> bool {
        match actor {
            Some(Actor::Party(party)) => self.by == Some(party),
            Some(Actor::Group(group)) => self.in_group(group),
            None => false,
        }
    }

    /// The party the event names in a field of kind `party`, or in `by`
    /// (`assign.assignee`, `company_bought.company`, `release.by`).
    pub fn party_in(&self, contract: &crate::model::Checked, field: &str) -> Option<PartyId> {
        if field == "by" {
            return self.by;
        }
        let decl = contract.event_type(self.kind)?;
        let position = decl.fields.iter().position(|f| f.name.node == field)?;
        match self.fields.get(position) {
            Some(Value::Party(party)) => Some(*party),
            _ => None,
        }
    }

    /// Where the evaluation writes what it works out about the event.
    pub(super) fn looked_back_mut(&mut self) -> &mut LookedBack {
        self.looked_back.get_or_insert_with(Box::default)
    }
}

/// What the evaluation works out about an event from the events before it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LookedBack {
    /// The answers to the contract's `after EVENT ...` conditions about
    /// the event, in the order of `Symbols::earlier` (empty for an event
    /// no such condition is about).
    pub earlier: Vec<bool>,
    /// The values of the contract's running totals and picks (`total
    /// ... in the same month`, `latest ...`) as the event came, in the
    /// order of `Symbols::running`.
    pub running: Vec<Looked>,
    /// The groups the event's party belonged to as it came (empty for a
    /// party in no group).
    pub groups: Vec<GroupId>,
}

/// A running total's or pick's value as an event came.
#[derive(Clone, Debug, PartialEq)]
pub enum Looked {
    Value(Val),
    /// A pick with nothing to pick from.
    Nothing,
    /// Not known: an event it counts has a condition that could not be
    /// worked out (a pick there with nothing to pick from). Reported only
    /// if the value is needed, since a value nothing needs is not asked
    /// for.
    Unknown(std::sync::Arc<crate::diagnostics::Diagnostic>),
}

/// A field's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Money(Money),
    Percent(Decimal),
    Number(Decimal),
    /// A number of days.
    Days(i64),
    Date(Date),
    /// Short text is held inline, without an allocation.
    Text(SmolStr),
    Bool(bool),
    Party(PartyId),
    /// Index of the member in its category's list.
    Member(usize),
    Period(PeriodValue),
}

/// One period (a quarter, a fiscal year ...), as its first and last day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PeriodValue {
    pub first: Date,
    pub last: Date,
}
