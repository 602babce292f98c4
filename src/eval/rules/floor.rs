//! Floors (`total owed by PARTY to PARTY under clauses ... at least AMOUNT
//! for each PERIOD [due LENGTH after the end of the period]`): once the
//! caps have reduced what is owed, each period that is over and that the
//! term reaches into is looked at, and what the debtor owes the creditor
//! under the clauses named (and the exceptions to them), in the floor's
//! currency, is added up, each obligation on the day it counts on (the
//! last day of the period it is for, or else the day it arose, as for
//! caps). What falls short of the floor is owed as well: one more
//! obligation under the floor's clause, for the period, due at its end or
//! the length after it, settled with the other payments.
//!
//! A period is looked at from the day after it ends: until then more may
//! still be owed in it (a commitment's shortfall payment for it arises the
//! day after). A period only partly inside the term is held to the whole
//! floor. The shortfall is rounded as the contract rounds.

use rust_decimal::Decimal;

use super::Ending;
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::eval::compute::round_to;
use crate::eval::outcome::{Obligation, Source, Status};
use crate::eval::period;

/// Every floor of the contract: the shortfalls owed, given the obligations
/// after the caps.
pub(in crate::eval) fn shortfalls(
    end: &Ending<'_, '_>,
    obligations: &[Obligation],
) -> Result<Vec<Obligation>, Diagnostic> {
    let engine = end.engine;
    let contract = engine.contract();
    let mut owed = Vec::new();
    for rule in end.rules {
        let Statement::Cap(floor) = rule.statement else {
            continue;
        };
        let AggregateCap {
            kind,
            debtor,
            creditor,
            clauses,
            amount,
            per,
            partial,
            due,
            span,
        } = &**floor;
        match kind.node {
            LimitKind::Floor => {}
            LimitKind::Cap => continue,
        }
        // The checker asks a floor for all three.
        let (Some(debtor), Some(creditor), Some(info)) = (
            engine.party(debtor),
            creditor.as_ref().and_then(|c| engine.party(c)),
            per.as_ref()
                .and_then(|p| contract.symbols.periods.get(&p.node)),
        ) else {
            continue;
        };
        let least = super::cap::limit_amount(engine, floor)?;
        let named = super::cap::with_exceptions(contract, clauses);
        let header_rounding = contract
            .file
            .header
            .as_ref()
            .and_then(|h| h.rounding.as_ref());
        let delay = due.as_ref().map(|d| d.node);
        let mut day = end.term.first;
        loop {
            let period = period::containing(info, day);
            // Looked at from the day after the period: what is owed for it
            // (a commitment's shortfall payment) may arise only then.
            if period.last >= end.as_of || end.term.last.is_some_and(|last| period.first > last) {
                break;
            }
            let mut counted = Decimal::ZERO;
            let mut under = Vec::new();
            for (i, o) in obligations.iter().enumerate() {
                let day = super::cap::counts_on(o);
                if o.debtor == debtor
                    && o.creditor == creditor
                    && o.amount.currency == least.currency
                    && named.contains(&o.clause)
                    && period.first <= day
                    && day <= period.last
                {
                    counted = counted.checked_add(o.amount.amount).ok_or_else(|| {
                        Diagnostic::error(
                            Code::ArithmeticOverflow,
                            "the amounts under this floor are too large to add up exactly",
                            amount.span,
                            "here",
                        )
                    })?;
                    under.push(i);
                }
            }
            // A period only partly in the term: held to the whole floor,
            // to its share by days, or to none, as the floor says.
            let share = crate::eval::engine::overlap(period, end.term)
                .filter(|(inside, days)| inside < days)
                .and_then(|(inside, days)| match partial.as_ref().map(|p| p.node) {
                    None | Some(PartialPeriods::Whole) => None,
                    Some(PartialPeriods::Prorated) => Some((inside, days)),
                    Some(PartialPeriods::Excluded) => Some((0, days)),
                });
            let floor_here = match share {
                Some((inside, days)) => least
                    .amount
                    .checked_mul(Decimal::from(inside))
                    .and_then(|m| m.checked_div(Decimal::from(days)))
                    .ok_or_else(|| {
                        Diagnostic::error(
                            Code::ArithmeticOverflow,
                            "the prorated floor is too large to hold exactly",
                            amount.span,
                            "here",
                        )
                    })?,
                None => least.amount,
            };
            if counted < floor_here {
                let unrounded = Money {
                    currency: least.currency,
                    amount: floor_here - counted,
                };
                // Rounded as the contract rounds what it owes.
                let (short, rounding) = match header_rounding {
                    Some(r) => (
                        round_to(unrounded.amount, r.unit.node, r.mode.node, amount.span)?,
                        Some(format!(
                            "{} to {} (the contract's default)",
                            r.mode.node.as_str(),
                            r.unit.node
                        )),
                    ),
                    None => (unrounded.amount, None),
                };
                let due_on = match delay {
                    Some(delay) => delay.after(period.last),
                    None => Some(period.last),
                };
                let payable = period
                    .last
                    .tomorrow()
                    .ok()
                    .map_or(period.last, |d| d.min(due_on.unwrap_or(d)));
                let (due_on, moved) = end
                    .suspending
                    .shift(rule.clause, payable, due_on, end.as_of);
                let shown = |m: Decimal| {
                    crate::eval::report::money_text(&Money {
                        currency: least.currency,
                        amount: m,
                    })
                };
                let mut working = Vec::new();
                if let Some((inside, days)) = share {
                    working.push(format!(
                        "{} is only partly in the term: the floor, prorated, is {} x {inside} / {days} = {}",
                        period::label(info, period),
                        shown(least.amount),
                        shown(floor_here)
                    ));
                }
                working.extend([
                    format!(
                        "owed under the clauses named for {}: {} ({} obligation{})",
                        period::label(info, period),
                        shown(counted),
                        under.len(),
                        if under.len() == 1 { "" } else { "s" }
                    ),
                    format!(
                        "the floor {} less {} = {} short",
                        shown(floor_here),
                        shown(counted),
                        shown(unrounded.amount)
                    ),
                ]);
                let money = Money {
                    currency: least.currency,
                    amount: short,
                };
                owed.push(Obligation {
                    clause: rule.clause,
                    rule: *span,
                    debtor,
                    creditor,
                    amount: money,
                    paid: Decimal::ZERO,
                    period: Some(period),
                    due: due_on,
                    status: Status::Open,
                    events: Vec::new(),
                    raised: period.last,
                    payments: Vec::new(),
                    discharged_on: None,
                    prorated: share.filter(|(inside, _)| *inside > 0),
                    working,
                    unrounded,
                    rounding,
                    window: Some(end.term),
                    paid_on: Vec::new(),
                    interest: None,
                    cure: None,
                    moved,
                    capped: Vec::new(),
                    source: Source::Floor {
                        floor: Money {
                            currency: least.currency,
                            amount: floor_here,
                        },
                        counted: Money {
                            currency: least.currency,
                            amount: counted,
                        },
                    },
                });
            }
            match period.last.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
    }
    Ok(owed)
}
