//! Running totals: `total order.units in the same month`, `total
//! claim.amount within the last 12 months`, worked out for each event as
//! it comes.
//!
//! Events come in evaluation order: by date, then by their order in the
//! event file. An event's value of a running total adds up the events
//! before it in that order and the event itself, never one after it, even
//! on the same day: the third order of a day sees the first two, not the
//! fourth. Only events from the effective date count, as in a period's
//! `total`: an order placed before the contract is not one under it.
//!
//! Each total is kept as one sum, so memory does not grow with the events:
//! since the start of the current period for `in the same PERIOD`; for
//! `within the last LENGTH`, a queue of the days still inside the stretch
//! (one entry a day), each taken off once the stretch that ends on the
//! event in view's day no longer reaches it: an event of day C counts for
//! an event of day D when C is after D less LENGTH (so `within the last 1
//! month` on 28 February counts from 29 January, and on 31 March from 1
//! March).

use std::collections::VecDeque;

use jiff::civil::Date;

use super::compute::Val;
use super::event::{Event, PeriodValue};
use super::period;
use super::sums::{add, share, subtract, zero_of_aggregate};
use crate::diagnostics::Diagnostic;
use crate::model::{Checked, RunningRef, RunningStretch};

/// Every running total of a contract, as the events so far leave it.
pub(super) struct Running<'c> {
    contract: &'c Checked,
    /// The effective date: events before it are not counted.
    effective: Option<Date>,
    sums: Vec<Sum>,
}

struct Sum {
    value: Val,
    /// What the sum is when nothing is counted.
    zero: Val,
    /// `in the same PERIOD`: the period the sum is for.
    period: Option<PeriodValue>,
    /// `within the last LENGTH`: the days still counted, each with what
    /// its events added, oldest first.
    inside: VecDeque<(Date, Val)>,
}

impl<'c> Running<'c> {
    pub(super) fn new(contract: &'c Checked) -> Self {
        let currency = contract
            .file
            .header
            .as_ref()
            .and_then(|h| h.currency.as_ref())
            .map(|c| c.node);
        let sums = contract
            .symbols
            .running
            .iter()
            .map(|r| {
                let zero = match r.aggregate.aggregate() {
                    Some((aggregate, _)) => zero_of_aggregate(contract, aggregate, currency),
                    None => Val::Number(rust_decimal::Decimal::ZERO),
                };
                Sum {
                    value: zero.clone(),
                    zero,
                    period: None,
                    inside: VecDeque::new(),
                }
            })
            .collect();
        let effective = contract
            .file
            .header
            .as_ref()
            .and_then(|h| h.effective.as_ref())
            .and_then(|e| match e.node {
                crate::ast::DateRef::Date(day) => Some(day),
                crate::ast::DateRef::YearOnly(_) | crate::ast::DateRef::Invalid => None,
            });
        Running {
            contract,
            effective,
            sums,
        }
    }

    /// Whether the contract has any running total (most: none).
    pub(super) fn is_empty(&self) -> bool {
        self.sums.is_empty()
    }

    /// Counts `event` into every running total it belongs to, and records
    /// on it the value of each as it comes. Events must be given in
    /// evaluation order.
    pub(super) fn answer(&mut self, event: &mut Event) -> Result<(), Diagnostic> {
        let contract = self.contract;
        event.looked_back_mut().running.clear();
        for (total, sum) in contract.symbols.running.iter().zip(self.sums.iter_mut()) {
            sum.leave_before(total, event.date)?;
            let in_force = self.effective.is_none_or(|first| event.date >= first);
            let value = match total.aggregate.aggregate() {
                Some((aggregate, _)) if in_force && total.event == event.kind => {
                    share(contract, aggregate, event)?
                }
                Some(_) | None => None,
            };
            if let Some(value) = value {
                sum.value = add(sum.value.clone(), value.clone(), total.span)?;
                if let RunningStretch::Last(_) = total.stretch {
                    // One entry a day: the day's events leave together.
                    match sum.inside.back_mut() {
                        Some((day, added)) if *day == event.date => {
                            *added = add(added.clone(), value, total.span)?;
                        }
                        Some(_) | None => sum.inside.push_back((event.date, value)),
                    }
                }
            }
            event.looked_back_mut().running.push(sum.value.clone());
        }
        Ok(())
    }
}

impl Sum {
    /// Takes off what no longer counts on `day`: a period that has ended,
    /// the events of a rolling stretch that have left it.
    fn leave_before(&mut self, total: &RunningRef, day: Date) -> Result<(), Diagnostic> {
        match total.stretch {
            RunningStretch::SamePeriod(info) => {
                let current = period::containing(&info, day);
                if self.period != Some(current) {
                    self.period = Some(current);
                    self.value = self.zero.clone();
                }
            }
            // Counted back from `day`: a day on or before `day` less the
            // length is outside. (`day` only grows, and so does that cut-off,
            // so a day once outside stays outside.)
            RunningStretch::Last(length) => {
                let Some(cutoff) = length.before(day) else {
                    return Ok(());
                };
                while let Some((counted, _)) = self.inside.front()
                    && *counted <= cutoff
                {
                    if let Some((_, value)) = self.inside.pop_front() {
                        self.value = subtract(self.value.clone(), value, total.span)?;
                    }
                }
            }
        }
        Ok(())
    }
}
