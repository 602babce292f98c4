//! Aggregate caps (`total owed by PARTY under clauses ... capped at AMOUNT
//! [for each PERIOD]`), applied to the payment obligations once they are
//! all known and before any payment is set against them.
//!
//! A cap takes the obligations its party owes under the clauses it names
//! (payments, shortfall payments and damages alike), in its currency, and
//! groups them by the period containing the day each arose (one group for
//! a cap over the whole contract). In each group they are taken in the
//! order they arose — by day, then in the order the cap lists their
//! clauses, then in the order of the events that raised them — and each is
//! allowed what is left of the cap: the one that reaches it is reduced to
//! what was left, and those after it to zero. So the cap is reached on the
//! day it is reached, mid-month if so, and what came earlier is owed in
//! full. Caps apply in the order the contract writes them, each to the
//! amounts the ones before it left.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::Ending;
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::eval::compute::Val;
use crate::eval::event::PeriodValue;
use crate::eval::outcome::{Capped, Obligation};
use crate::eval::period;
use crate::model::ClauseId;

/// Reduces the obligations as every cap of the contract says.
pub(in crate::eval) fn apply(
    end: &Ending<'_, '_>,
    obligations: &mut [Obligation],
) -> Result<(), Diagnostic> {
    let engine = end.engine;
    let contract = engine.contract();
    for rule in end.rules {
        let Statement::Cap(cap) = rule.statement else {
            continue;
        };
        let Some(debtor) = engine.party(&cap.debtor) else {
            continue;
        };
        let clauses: Vec<ClauseId> = cap
            .clauses
            .iter()
            .filter_map(|n| contract.clause_numbered(&n.node))
            .collect();
        let Val::Money(limit) = engine.blank_context().value(&cap.cap)? else {
            return Err(Diagnostic::error(
                Code::EvaluationError,
                "cannot compute this: a cap that is not money",
                cap.cap.span,
                "here",
            ));
        };
        let info = cap
            .per
            .as_ref()
            .and_then(|p| contract.symbols.periods.get(&p.node));
        let mut groups: BTreeMap<Option<PeriodValue>, Vec<usize>> = BTreeMap::new();
        for (i, o) in obligations.iter().enumerate() {
            if o.debtor != debtor || !clauses.contains(&o.clause) {
                continue;
            }
            if o.amount.currency != limit.currency {
                return Err(Diagnostic::error(
                    Code::MixedCurrencies,
                    format!(
                        "this cap is in {}, and an obligation under clause {} is in {}",
                        limit.currency,
                        contract
                            .clause(o.clause)
                            .map_or_else(String::new, |c| c.number.node.to_string()),
                        o.amount.currency
                    ),
                    cap.cap.span,
                    format!("in {}", limit.currency),
                )
                .with_help("state the cap in the currency of the payments it limits"));
            }
            let key = info.map(|info| period::containing(info, o.raised));
            groups.entry(key).or_default().push(i);
        }
        for (period, mut members) in groups {
            // The order the obligations arose in.
            members.sort_by_key(|&i| {
                obligations.get(i).map(|o| {
                    (
                        o.raised,
                        clauses.iter().position(|c| *c == o.clause),
                        o.events.first().copied(),
                        o.due,
                    )
                })
            });
            let mut used = Decimal::ZERO;
            for i in members {
                let Some(o) = obligations.get_mut(i) else {
                    continue;
                };
                let left = limit
                    .amount
                    .checked_sub(used)
                    .unwrap_or(Decimal::ZERO)
                    .max(Decimal::ZERO);
                if o.amount.amount > left {
                    o.capped.push(Capped {
                        clause: rule.clause,
                        rule: cap.span,
                        before: o.amount,
                        cap: limit,
                        period,
                        earlier: Money {
                            currency: limit.currency,
                            amount: used,
                        },
                    });
                    o.amount.amount = left;
                }
                used = used.checked_add(o.amount.amount).ok_or_else(|| {
                    Diagnostic::error(
                        Code::ArithmeticOverflow,
                        "the amounts under this cap are too large to add up exactly",
                        cap.cap.span,
                        "here",
                    )
                })?;
            }
        }
    }
    Ok(())
}
