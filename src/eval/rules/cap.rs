//! Aggregate caps (`total owed by PARTY under clauses ... capped at AMOUNT
//! [for each PERIOD]`), applied to the payment obligations once they are
//! all known and before any payment is set against them.
//!
//! A cap counts the obligations its party owes under the clauses it names
//! and under the clauses that are exceptions to them (payments, shortfall
//! payments and damages alike), in its currency. Each obligation counts on
//! one day: the last day of the period it is for, or else the day it
//! arose; and in the cap's period that contains that day (one period for a
//! cap over the whole contract). The obligations are taken in the order of
//! those days, then of their clauses in the contract, then of the events
//! that raised them, and each is owed at most what every cap over it has
//! left: the one that reaches a cap is reduced to what was left (rounded
//! down to the contract's rounding unit, so the cap is never passed), and
//! those after it to zero. Since every cap sees the obligations in the same
//! order, the order in which caps are written changes nothing.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::Ending;
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::eval::compute::{Val, round_to};
use crate::eval::event::PeriodValue;
use crate::eval::outcome::{Capped, Obligation};
use crate::eval::period;
use crate::model::{ClauseId, PartyId};

/// One cap, worked out.
struct Limit<'c> {
    clause: ClauseId,
    cap: &'c AggregateCap,
    debtor: PartyId,
    /// The clauses named, and the exceptions to them.
    clauses: Vec<ClauseId>,
    amount: Money,
    /// What has been counted in each of its periods so far.
    used: BTreeMap<Option<PeriodValue>, Decimal>,
}

impl Limit<'_> {
    fn covers(&self, o: &Obligation) -> bool {
        o.debtor == self.debtor
            && o.amount.currency == self.amount.currency
            && self.clauses.contains(&o.clause)
    }
}

/// The day an obligation counts on (for floors too).
pub(super) fn counts_on(o: &Obligation) -> Date {
    o.period.map_or(o.raised, |p| p.last)
}

/// The clauses a limit names, and the clauses that are exceptions to them
/// (and to those, and so on): an exception to a clause named replaces its
/// payments, and what it makes owed counts as the named clause's.
pub(super) fn with_exceptions(
    contract: &crate::model::Checked,
    named: &[Spanned<ClauseNumber>],
) -> Vec<ClauseId> {
    let mut clauses: Vec<ClauseId> = named
        .iter()
        .filter_map(|n| contract.clause_numbered(&n.node))
        .collect();
    let mut i = 0;
    while let Some(&c) = clauses.get(i) {
        for &e in contract.exceptions_to(c) {
            if !clauses.contains(&e) {
                clauses.push(e);
            }
        }
        i += 1;
    }
    clauses
}

/// The amount of a cap or a floor: money, zero or more.
pub(super) fn limit_amount(
    engine: &crate::eval::engine::Engine<'_>,
    limit: &AggregateCap,
) -> Result<Money, Diagnostic> {
    let (word, help) = match limit.kind.node {
        LimitKind::Cap => (
            "cap",
            "a cap is the most that may be owed: write an amount of zero or more",
        ),
        LimitKind::Floor => (
            "floor",
            "a floor is the least that must be owed: write an amount of zero or more",
        ),
    };
    let Val::Money(amount) = engine.blank_context().value(&limit.amount)? else {
        return Err(Diagnostic::error(
            Code::EvaluationError,
            format!("cannot compute this: a {word} that is not money"),
            limit.amount.span,
            "here",
        ));
    };
    if amount.amount.is_sign_negative() && !amount.amount.is_zero() {
        return Err(Diagnostic::error(
            Code::NegativeAmount,
            format!(
                "the {word} works out below zero: {} {}",
                amount.currency,
                crate::eval::report::decimal_text(amount.amount, 2)
            ),
            limit.amount.span,
            "below zero",
        )
        .with_help(help));
    }
    Ok(amount)
}

/// Reduces the obligations as every cap of the contract says.
pub(in crate::eval) fn apply(
    end: &Ending<'_, '_>,
    obligations: &mut [Obligation],
) -> Result<(), Diagnostic> {
    let engine = end.engine;
    let contract = engine.contract();
    let mut limits = Vec::new();
    for rule in end.rules {
        let Statement::Cap(cap) = rule.statement else {
            continue;
        };
        match cap.kind.node {
            LimitKind::Cap => {}
            // Worked out once the caps have been (`floor.rs`).
            LimitKind::Floor => continue,
        }
        let Some(debtor) = engine.party(&cap.debtor) else {
            continue;
        };
        let clauses = with_exceptions(contract, &cap.clauses);
        let amount = limit_amount(engine, cap)?;
        limits.push(Limit {
            clause: rule.clause,
            cap,
            debtor,
            clauses,
            amount,
            used: BTreeMap::new(),
        });
    }
    if limits.is_empty() {
        return Ok(());
    }
    // A reduced amount is rounded down to the contract's unit.
    let unit = contract
        .file
        .header
        .as_ref()
        .and_then(|h| h.rounding.as_ref())
        .map(|r| r.unit.node);
    let mut order: Vec<usize> = (0..obligations.len()).collect();
    order.sort_by_key(|&i| {
        obligations
            .get(i)
            .map(|o| (counts_on(o), o.clause, o.events.first().copied(), o.due))
    });
    for i in order {
        let Some(o) = obligations.get_mut(i) else {
            continue;
        };
        let day = counts_on(o);
        // What each cap over it has left, in the period it counts in.
        let mut binding: Option<(usize, Option<PeriodValue>, Decimal, Decimal)> = None;
        let mut periods = Vec::new();
        for (k, limit) in limits.iter().enumerate() {
            if !limit.covers(o) {
                continue;
            }
            let key = limit
                .cap
                .per
                .as_ref()
                .and_then(|p| contract.symbols.periods.get(&p.node))
                .map(|info| period::containing(info, day));
            let used = limit.used.get(&key).copied().unwrap_or_default();
            let left = limit
                .amount
                .amount
                .checked_sub(used)
                .unwrap_or_default()
                .max(Decimal::ZERO);
            periods.push((k, key));
            if binding.is_none_or(|(_, _, _, least)| left < least) {
                binding = Some((k, key, used, left));
            }
        }
        let Some((k, key, used, left)) = binding else {
            continue;
        };
        if o.amount.amount > left {
            let limit = limits.get(k);
            let reduced = match unit {
                Some(unit) => round_to(left, unit, RoundingMode::Down, o.rule)?,
                None => left,
            };
            if let Some(limit) = limit {
                o.capped.push(Capped {
                    clause: limit.clause,
                    rule: limit.cap.span,
                    before: o.amount,
                    cap: limit.amount,
                    period: key,
                    per: limit.cap.per.as_ref().map(|p| p.node.clone()),
                    earlier: Money {
                        currency: limit.amount.currency,
                        amount: used,
                    },
                });
            }
            o.amount.amount = reduced;
        }
        for (k, key) in periods {
            if let Some(limit) = limits.get_mut(k) {
                let total = limit.used.entry(key).or_default();
                *total = total.checked_add(o.amount.amount).ok_or_else(|| {
                    Diagnostic::error(
                        Code::ArithmeticOverflow,
                        "the amounts under this cap are too large to add up exactly",
                        limit.cap.amount.span,
                        "here",
                    )
                })?;
            }
        }
    }
    Ok(())
}
