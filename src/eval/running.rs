//! Running totals and picks: `total order.units in the same month`, `total
//! claim.amount within the last 12 months`, `highest offer.price within the
//! last 12 months`, `latest list_price.amount`, worked out for each event
//! as it comes.
//!
//! Events come in evaluation order: by date, then by their order in the
//! event file. An event's value of a running total adds up the events
//! before it in that order and the event itself, never one after it, even
//! on the same day: the third order of a day sees the first two, not the
//! fourth. Only events from the effective date count, as in a period's
//! `total`: an order placed before the contract is not one under it. The
//! exceptions are `latest` and `previous`, which read the value in effect
//! whenever it was set (a price list published before the contract began
//! is still the price list).
//!
//! A pick keeps the candidates still inside its stretch, best first, each
//! later one worse than the one before (a monotonic queue): a new value
//! removes those it beats from the back, so the front is always the
//! highest (or lowest) and each value is added and removed once. `latest`
//! keeps only the last value. With no rolling stretch, only the front is
//! ever needed, and only it is kept.
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

use std::sync::Arc;

use super::compute::Val;
use super::event::{Event, Looked, PeriodValue};
use super::period;
use super::sums::{add, less, share, subtract, zero_of_aggregate};
use crate::ast::{Aggregate, Span, Which};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Checked, RunningRef, RunningStretch};

/// Every running total and pick of a contract, as the events so far leave
/// it.
pub(super) struct Running<'c> {
    contract: &'c Checked,
    /// The effective date: events before it are not counted.
    effective: Option<Date>,
    tallies: Vec<Tally>,
}

/// One running total or pick, as the events so far leave it.
struct Tally {
    /// `in the same PERIOD`: the period the tally is for.
    period: Option<PeriodValue>,
    kept: Kept,
    /// Not known since the event of this day: its condition needed a pick
    /// with nothing to pick from. Known again once that day has left the
    /// stretch (never, with no stretch).
    unknown: Option<(Date, Arc<Diagnostic>)>,
}

enum Kept {
    /// A total or count.
    Sum {
        value: Val,
        /// What the sum is when nothing is counted.
        zero: Val,
        /// `within the last LENGTH`: the days still counted, each with
        /// what its events added, oldest first.
        inside: VecDeque<(Date, Val)>,
    },
    /// A pick: the events' values that may still be picked, with their
    /// days, the one picked first.
    Pick {
        which: Which,
        candidates: VecDeque<(Date, Val)>,
    },
}

impl<'c> Running<'c> {
    pub(super) fn new(contract: &'c Checked) -> Self {
        let currency = contract
            .file
            .header
            .as_ref()
            .and_then(|h| h.currency.as_ref())
            .map(|c| c.node);
        let tallies = contract
            .symbols
            .running
            .iter()
            .map(|r| {
                let kept = match r.aggregate.aggregate() {
                    Some((Aggregate::Pick { which, .. }, _)) => Kept::Pick {
                        which,
                        candidates: VecDeque::new(),
                    },
                    Some((aggregate @ (Aggregate::Total { .. } | Aggregate::Count { .. }), _)) => {
                        let zero = zero_of_aggregate(contract, aggregate, currency)
                            .unwrap_or(Val::Number(rust_decimal::Decimal::ZERO));
                        Kept::Sum {
                            value: zero.clone(),
                            zero,
                            inside: VecDeque::new(),
                        }
                    }
                    None => Kept::Sum {
                        value: Val::Number(rust_decimal::Decimal::ZERO),
                        zero: Val::Number(rust_decimal::Decimal::ZERO),
                        inside: VecDeque::new(),
                    },
                };
                Tally {
                    period: None,
                    kept,
                    unknown: None,
                }
            })
            .collect();
        let effective = contract.effective_date();
        Running {
            contract,
            effective,
            tallies,
        }
    }

    /// Whether the contract has any running total or pick (most: none).
    pub(super) fn is_empty(&self) -> bool {
        self.tallies.is_empty()
    }

    /// Counts `event` into every running total and pick it belongs to, and
    /// records on it the value of each as it comes (`None`: a pick with
    /// nothing to pick from). Events must be given in evaluation order.
    pub(super) fn answer(&mut self, event: &mut Event) -> Result<(), Diagnostic> {
        let contract = self.contract;
        event.looked_back_mut().running.clear();
        for (running, tally) in contract.symbols.running.iter().zip(self.tallies.iter_mut()) {
            tally.leave_before(running, event.date)?;
            let counted = match running.aggregate.aggregate() {
                Some((aggregate, _)) if running.event == event.kind => {
                    let from_effective = match aggregate {
                        Aggregate::Pick { which, .. } => which.from_effective_date(),
                        Aggregate::Total { .. } | Aggregate::Count { .. } => true,
                    };
                    let in_force =
                        !from_effective || self.effective.is_none_or(|first| event.date >= first);
                    if in_force {
                        match share(contract, aggregate, event) {
                            Ok(counted) => counted,
                            // Whether the event counts cannot be told: the
                            // tally is not known until the event leaves its
                            // stretch, and that is reported only where the
                            // value is needed.
                            Err(failed) if failed.code == Code::NothingToPick => {
                                let failed = naming(contract, failed, event, running);
                                tally.unknown = Some((event.date, Arc::new(failed)));
                                None
                            }
                            Err(failed) => return Err(failed),
                        }
                    } else {
                        None
                    }
                }
                Some(_) | None => None,
            };
            let value = tally.kept.take(running, event.date, counted)?;
            let looked = match (&tally.unknown, value) {
                (Some((_, failed)), _) => Looked::Unknown(Arc::clone(failed)),
                (None, Some(value)) => Looked::Value(value),
                (None, None) => Looked::Nothing,
            };
            event.looked_back_mut().running.push(looked);
        }
        Ok(())
    }
}

/// A problem met deciding whether `event` counts towards a running total
/// or pick, saying which event and which total, for when the total is
/// needed (about another event, which the evaluation names then).
fn naming(
    contract: &Checked,
    mut failed: Diagnostic,
    event: &Event,
    running: &RunningRef,
) -> Diagnostic {
    let kind = contract
        .event_type(event.kind)
        .map_or("event", |d| d.name.node.as_str());
    let id = event
        .id
        .as_ref()
        .map_or_else(String::new, |id| format!(" (id {id})"));
    failed.message = format!(
        "{}, for event #{} {kind} {}{id}, which `{}` looks at",
        failed.message,
        event.seq + 1,
        event.date,
        crate::syntax::one_line::expr(&running.aggregate)
    );
    failed
}

impl Tally {
    /// Takes off what no longer counts on `day`: a period that has ended,
    /// the events of a rolling stretch that have left it.
    fn leave_before(&mut self, running: &RunningRef, day: Date) -> Result<(), Diagnostic> {
        match running.stretch {
            RunningStretch::SoFar => {}
            RunningStretch::SamePeriod(info) => {
                let current = period::containing(&info, day);
                if self.period != Some(current) {
                    self.period = Some(current);
                    self.kept.empty();
                    self.unknown = None;
                }
            }
            // Counted back from `day`: a day on or before `day` less the
            // length is outside. (`day` only grows, and so does that cut-off,
            // so a day once outside stays outside.)
            RunningStretch::Last(length) => {
                if let Some(cutoff) = length.before(day) {
                    self.kept.leave_through(cutoff, running.span)?;
                    if self
                        .unknown
                        .as_ref()
                        .is_some_and(|(since, _)| *since <= cutoff)
                    {
                        self.unknown = None;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Kept {
    /// Back to nothing counted: a new period has begun.
    fn empty(&mut self) {
        match self {
            Kept::Sum {
                value,
                zero,
                inside,
            } => {
                *value = zero.clone();
                inside.clear();
            }
            Kept::Pick { candidates, .. } => candidates.clear(),
        }
    }

    /// Takes off the days up to and including `cutoff`.
    fn leave_through(&mut self, cutoff: Date, span: Span) -> Result<(), Diagnostic> {
        match self {
            Kept::Sum { value, inside, .. } => {
                while let Some((counted, _)) = inside.front()
                    && *counted <= cutoff
                {
                    if let Some((_, added)) = inside.pop_front() {
                        *value = subtract(value.clone(), added, span)?;
                    }
                }
            }
            Kept::Pick { candidates, .. } => {
                while candidates.front().is_some_and(|(day, _)| *day <= cutoff) {
                    candidates.pop_front();
                }
            }
        }
        Ok(())
    }

    /// Counts the value an event of `day` gives (`None`: it is not one
    /// counted), and says what the total or pick is for that event.
    fn take(
        &mut self,
        running: &RunningRef,
        day: Date,
        counted: Option<Val>,
    ) -> Result<Option<Val>, Diagnostic> {
        let span = running.span;
        let rolling = matches!(running.stretch, RunningStretch::Last(_));
        match self {
            Kept::Sum {
                value,
                inside,
                zero: _,
            } => {
                if let Some(counted) = counted {
                    *value = add(value.clone(), counted.clone(), span)?;
                    if rolling {
                        // One entry a day: the day's events leave together.
                        match inside.back_mut() {
                            Some((last, added)) if *last == day => {
                                *added = add(added.clone(), counted, span)?;
                            }
                            Some(_) | None => inside.push_back((day, counted)),
                        }
                    }
                }
                Ok(Some(value.clone()))
            }
            Kept::Pick { which, candidates } => {
                // `previous` is the pick before this event is counted.
                let before = candidates.front().map(|(_, v)| v.clone());
                if let Some(counted) = counted {
                    while let Some((_, last)) = candidates.back() {
                        let beaten = match which {
                            Which::Highest => !less(&counted, last, span)?,
                            Which::Lowest => !less(last, &counted, span)?,
                            Which::Latest | Which::Previous => true,
                        };
                        if !beaten {
                            break;
                        }
                        candidates.pop_back();
                    }
                    candidates.push_back((day, counted));
                    if !rolling {
                        // Nothing leaves but all at once: the best is enough.
                        candidates.truncate(1);
                    }
                }
                Ok(match which {
                    Which::Previous => before,
                    Which::Highest | Which::Lowest | Which::Latest => {
                        candidates.front().map(|(_, v)| v.clone())
                    }
                })
            }
        }
    }
}
