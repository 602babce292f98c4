//! Adding up the values of events: a `total` over a period, a running
//! total over a stretch of time. Exact decimals throughout; a sum too large
//! to hold is a diagnostic, never a panic.

use rust_decimal::Decimal;

use super::compute::{Context, Val};
use super::event::Event;
use crate::ast::{Aggregate, Currency, Duration, Expr, ExprKind, FieldRef, Money, Span, TypeName};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Checked;

/// What `total EVENT.FIELD` is over no events: zero of the field's kind
/// (money in the rule's currency, or the contract's).
pub(super) fn zero_of(contract: &Checked, field: &FieldRef, currency: Option<Currency>) -> Val {
    let ty = contract
        .event_type_named(&field.event.node)
        .and_then(|id| contract.event_type(id))
        .and_then(|decl| decl.fields.iter().find(|f| f.name.node == field.field.node))
        .map(|f| &f.ty.node);
    match ty {
        Some(TypeName::MoneyIn { currency, .. }) => Val::Money(Money {
            currency: *currency,
            amount: Decimal::ZERO,
        }),
        Some(TypeName::Money | TypeName::SignedMoney) => match currency {
            Some(currency) => Val::Money(Money {
                currency,
                amount: Decimal::ZERO,
            }),
            None => Val::Number(Decimal::ZERO),
        },
        Some(TypeName::Percent) => Val::Percent(Decimal::ZERO),
        Some(TypeName::Days) => Val::Duration(Duration::Days(0)),
        Some(
            TypeName::Number
            | TypeName::Count
            | TypeName::Date
            | TypeName::Text
            | TypeName::Bool
            | TypeName::Party
            | TypeName::Named(_),
        )
        | None => Val::Number(Decimal::ZERO),
    }
}

/// What an aggregate (`total EVENT.FIELD ...`, `count EVENT ...`) is over
/// no events; `None` for a pick (`highest ...`), which then has no value.
pub(super) fn zero_of_aggregate(
    contract: &Checked,
    aggregate: Aggregate<'_>,
    currency: Option<Currency>,
) -> Option<Val> {
    match aggregate {
        Aggregate::Total { field, .. } => Some(zero_of(contract, field, currency)),
        Aggregate::Count { .. } => Some(Val::Number(Decimal::ZERO)),
        Aggregate::Pick { .. } => None,
    }
}

/// What `event` adds to an aggregate: the field's value for a `total`, one
/// for a `count`; `None` when it is not of the kind counted, not by the
/// party named, or does not meet the condition.
pub(super) fn share(
    contract: &Checked,
    aggregate: Aggregate<'_>,
    event: &Event,
) -> Result<Option<Val>, Diagnostic> {
    // Event type names are unique: one comparison with the event's own.
    let same_kind = contract
        .event_type(event.kind)
        .is_some_and(|decl| decl.name.node == aggregate.event().node);
    if !same_kind {
        return Ok(None);
    }
    if let Aggregate::Count { by: Some(by), .. } = aggregate
        && !event.done_by(contract.actor_named(&by.node))
    {
        return Ok(None);
    }
    let context = Context {
        contract,
        event: Some(event),
        totals: None,
        balances: None,
        working: None,
    };
    if let Some(filter) = aggregate.filter()
        && !context.holds(filter)?
    {
        return Ok(None);
    }
    match aggregate {
        Aggregate::Total { field, .. } | Aggregate::Pick { field, .. } => context
            .value(&Expr {
                kind: ExprKind::Field(field.clone()),
                span: field.span,
            })
            .map(Some),
        Aggregate::Count { .. } => Ok(Some(Val::Number(Decimal::ONE))),
    }
}

/// Whether `a` is less than `b`: two amounts in one currency, two numbers,
/// percentages, lengths or dates.
pub(super) fn less(a: &Val, b: &Val, span: Span) -> Result<bool, Diagnostic> {
    match (a, b) {
        (Val::Date(x), Val::Date(y)) => Ok(x < y),
        (Val::Money(x), Val::Money(y)) if x.currency != y.currency => Err(Diagnostic::error(
            Code::MixedCurrencies,
            format!("cannot compare {} and {}", x.currency, y.currency),
            span,
            "the amounts here are in different currencies",
        )
        .with_help(
            "declare the contract's `currency`, so that an amount in another currency is refused when the events are read",
        )),
        (Val::Money(x), Val::Money(y)) => Ok(x.amount < y.amount),
        (Val::Number(x), Val::Number(y)) | (Val::Percent(x), Val::Percent(y)) => Ok(x < y),
        (Val::Duration(Duration::Days(x)), Val::Duration(Duration::Days(y)))
        | (Val::Duration(Duration::Months(x)), Val::Duration(Duration::Months(y))) => Ok(x < y),
        _ => Err(Diagnostic::error(
            Code::EvaluationError,
            "cannot compare values of different kinds",
            span,
            "here",
        )),
    }
}

/// A sum as reports show it: `USD 10,001.00`, `21,001`, `12%`, `5 days`.
pub(super) fn shown(value: &Val) -> String {
    let number = |n: Decimal| super::report::decimal_text(n, 0);
    match value {
        Val::Money(m) => super::report::money_text(m),
        Val::Percent(p) => format!("{}%", number(*p)),
        Val::Number(n) => number(*n),
        Val::Duration(Duration::Days(1)) => "1 day".to_string(),
        Val::Duration(Duration::Days(d)) => format!("{d} days"),
        Val::Duration(Duration::Months(1)) => "1 month".to_string(),
        Val::Duration(Duration::Months(m)) => format!("{m} months"),
        Val::Date(d) => d.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::Text(t) => crate::text::for_people(t).into_owned(),
        // Never a sum; shown for completeness.
        Val::Party(_) | Val::Member { .. } | Val::Period(_) => "a value".to_string(),
    }
}

/// `a + b`, for two values of one kind.
pub(super) fn add(a: Val, b: Val, span: Span) -> Result<Val, Diagnostic> {
    combine(a, b, span, exact_add, i64::checked_add)
}

/// `a - b`, for two values of one kind: a running total taking off an
/// event that has left its stretch.
pub(super) fn subtract(a: Val, b: Val, span: Span) -> Result<Val, Diagnostic> {
    combine(a, b, span, exact_sub, i64::checked_sub)
}

/// `a + b` when it can be held exactly: `None` when it overflows, or when
/// the 28 digits a decimal holds would round it (a huge sum plus a
/// fraction), so that a total is never silently off.
pub(crate) fn exact_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    exact(a, b, a.checked_add(b)?)
}

/// `a - b` when it can be held exactly, as [`exact_add`].
pub(crate) fn exact_sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    exact(a, b, a.checked_sub(b)?)
}

/// `result`, when no digit of `a` or `b` was rounded away to make it: a
/// decimal keeps the decimals of both unless its 28 digits cannot hold
/// them, and then rounds to fewer; both operands written to that many
/// decimals unchanged means nothing was lost.
fn exact(a: Decimal, b: Decimal, result: Decimal) -> Option<Decimal> {
    let kept = result.scale();
    (a.round_dp(kept) == a && b.round_dp(kept) == b).then_some(result)
}

fn combine(
    a: Val,
    b: Val,
    span: Span,
    decimals: fn(Decimal, Decimal) -> Option<Decimal>,
    days: fn(i64, i64) -> Option<i64>,
) -> Result<Val, Diagnostic> {
    let too_large = || {
        Diagnostic::error(
            Code::ArithmeticOverflow,
            "the total is too large to hold exactly",
            span,
            "this total",
        )
        .with_help(
            "amounts are exact up to 28 significant digits; check the values of the events involved",
        )
    };
    match (a, b) {
        (Val::Money(x), Val::Money(y)) if x.currency == y.currency => Ok(Val::Money(Money {
            currency: x.currency,
            amount: decimals(x.amount, y.amount).ok_or_else(too_large)?,
        })),
        (Val::Money(x), Val::Money(y)) => Err(Diagnostic::error(
            Code::MixedCurrencies,
            format!("cannot add {} and {} in one total", x.currency, y.currency),
            span,
            "this total",
        )
        .with_help(
            "declare the contract's `currency`, so that an amount in another currency is refused when the events are read",
        )),
        // An empty total in a contract with no currency of its own is a
        // plain zero: the first amount added gives it its currency.
        (Val::Number(x), Val::Money(y)) if x.is_zero() => Ok(Val::Money(Money {
            currency: y.currency,
            amount: decimals(Decimal::ZERO, y.amount).ok_or_else(too_large)?,
        })),
        (Val::Number(x), Val::Number(y)) => {
            Ok(Val::Number(decimals(x, y).ok_or_else(too_large)?))
        }
        (Val::Percent(x), Val::Percent(y)) => {
            Ok(Val::Percent(decimals(x, y).ok_or_else(too_large)?))
        }
        (Val::Duration(Duration::Days(x)), Val::Duration(Duration::Days(y))) => Ok(
            Val::Duration(Duration::Days(days(x, y).ok_or_else(too_large)?)),
        ),
        _ => Err(Diagnostic::error(
            Code::EvaluationError,
            "cannot add up values of different kinds",
            span,
            "here",
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn usd(amount: &str) -> Val {
        Val::Money(Money {
            currency: Currency(*b"USD"),
            amount: amount.parse().unwrap(),
        })
    }

    #[test]
    fn sums_are_exact_and_overflow_is_a_diagnostic() {
        let span = Span::default();
        assert_eq!(add(usd("0.10"), usd("0.20"), span).unwrap(), usd("0.30"));
        assert_eq!(
            subtract(usd("100000.00"), usd("99999.99"), span).unwrap(),
            usd("0.01")
        );
        let big = Val::Number(Decimal::MAX);
        assert_eq!(
            add(big.clone(), big, span).unwrap_err().code,
            Code::ArithmeticOverflow
        );
        // A sum the 28 digits of a decimal would round is refused too.
        let huge = Val::Number("50000000000000000000000000000".parse().unwrap());
        let fraction = Val::Number("0.6".parse().unwrap());
        assert_eq!(
            add(huge, fraction, span).unwrap_err().code,
            Code::ArithmeticOverflow
        );
        let days = |n| Val::Duration(Duration::Days(n));
        assert_eq!(
            add(days(i64::MAX), days(1), span).unwrap_err().code,
            Code::ArithmeticOverflow
        );
        let eur = Val::Money(Money {
            currency: Currency(*b"EUR"),
            amount: Decimal::ONE,
        });
        assert_eq!(
            add(usd("1"), eur, span).unwrap_err().code,
            Code::MixedCurrencies
        );
    }
}
