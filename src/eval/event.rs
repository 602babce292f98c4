//! Events as the evaluator sees them: validated against the contract's
//! declarations, with every value exact and every name resolved to an index.

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::compute::Val;
use crate::ast::{Money, Span};
use crate::model::{EventTypeId, PartyId};

/// One dated event, checked against its declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Position in the event file, from 0: same-date events keep this order.
    pub seq: usize,
    pub kind: EventTypeId,
    pub id: Option<String>,
    pub date: Date,
    /// The party that performed it, for event types declared `by party`.
    pub by: Option<PartyId>,
    /// One value per declared field, in the order of the declaration.
    pub fields: Vec<Value>,
    /// Where the event is written in its file.
    pub span: Span,
    /// The answers to the contract's `after EVENT ...` conditions about
    /// this event, in the order of `Symbols::earlier` (filled by the
    /// evaluation, which remembers earlier events; empty for an event no
    /// such condition is about).
    pub earlier: Vec<bool>,
    /// The values of the contract's running totals (`total ... in the same
    /// month`) as this event comes, in the order of `Symbols::running`
    /// (filled by the evaluation; empty when the contract has none).
    pub running: Vec<Val>,
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
    Text(String),
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
