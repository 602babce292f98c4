//! Late interest: simple interest on what is unpaid after the due date.
//!
//! Interest runs from the due date to the day the amount is paid in full,
//! or to the as-of date while it is not. A payment made on or before the
//! due date reduces the amount interest runs on from the start; one made
//! later reduces it from its day. Each stretch with the same unpaid amount
//! earns `unpaid × yearly rate × days ÷ days in a year`, its days and year
//! counted as the day count says; the stretches are added exactly and the
//! sum rounded once, as the obligation's amount is rounded. A rate per
//! month is twelve times that rate per year. Compounded monthly or yearly,
//! the stretches are cut again at each month or year from the due date,
//! from which the interest so far bears interest too.

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::compute::round_to;
use super::outcome::{InterestAccrued, Obligation};
use crate::ast::{DayCount, LateInterest, Money, RatePeriod, Rounding};
use crate::diagnostics::{Code, Diagnostic};

/// The days from `from` to `to` as the day count counts them, and the
/// days it gives a year.
pub fn days(from: Date, to: Date, count: DayCount) -> (i64, i64) {
    let actual = || from.until(to).map_or(0, |span| i64::from(span.get_days()));
    let year = count.days_in_year();
    match count {
        DayCount::Actual365 | DayCount::Actual360 => (actual(), year),
        DayCount::Thirty360 => {
            // 30E/360: every month has 30 days; a 31st counts as the 30th.
            let day = |d: Date| i64::from(d.day()).min(30);
            let days = 360 * (i64::from(to.year()) - i64::from(from.year()))
                + 30 * (i64::from(to.month()) - i64::from(from.month()))
                + (day(to) - day(from));
            (days, year)
        }
    }
}

/// The interest an obligation has run up by `as_of` (or by the day it was
/// paid in full): `None` when it was paid on time, is not yet due, or has
/// no due date.
pub fn accrue(
    obligation: &Obligation,
    interest: &LateInterest,
    rounding: Option<&Rounding>,
    as_of: Date,
) -> Result<Option<InterestAccrued>, Diagnostic> {
    let overflow = || {
        Diagnostic::error(
            Code::ArithmeticOverflow,
            "the late interest is too large to hold exactly",
            interest.span,
            "this interest",
        )
    };
    let Some(due) = obligation.due else {
        return Ok(None);
    };
    let end = obligation.discharged_on.unwrap_or(as_of);
    if end <= due {
        return Ok(None);
    }
    let count = interest
        .day_count
        .as_ref()
        .map_or(DayCount::Actual365, |c| c.node);
    let months = match interest.per.node {
        RatePeriod::Year => Decimal::ONE,
        RatePeriod::Month => Decimal::from(12),
    };
    let yearly_percent = interest
        .rate
        .node
        .checked_mul(months)
        .ok_or_else(overflow)?;
    // What is unpaid when interest starts: payments up to the due date
    // count in full.
    let mut unpaid = obligation.amount.amount;
    for (day, applied) in &obligation.paid_on {
        if *day <= due {
            unpaid -= applied;
        }
    }
    let mut stretches = Vec::new();
    let mut start = due;
    let later = obligation
        .paid_on
        .iter()
        .filter(|(day, _)| *day > due && *day <= end);
    for (day, applied) in later {
        if unpaid > Decimal::ZERO && *day > start {
            stretches.push((start, *day, unpaid));
        }
        unpaid -= applied;
        start = start.max(*day);
    }
    if unpaid > Decimal::ZERO && end > start {
        stretches.push((start, end, unpaid));
    }
    if let Some(every) = interest.compounding.as_ref().map(|c| c.node) {
        return compounded(
            obligation,
            interest,
            (due, every, count),
            yearly_percent,
            stretches,
            rounding,
        );
    }
    // Every stretch shares one denominator (the days of a year × 100), so
    // the numerators are added exactly and the sum divided once: dividing
    // each stretch first would cut each to 28 digits, and a total exactly
    // on a half cent could round the wrong way.
    let mut numerator = Decimal::ZERO;
    let year = count.days_in_year();
    let mut counted = Vec::with_capacity(stretches.len());
    for (from, to, unpaid) in stretches {
        let (days, _) = days(from, to, count);
        let product = unpaid
            .checked_mul(yearly_percent)
            .and_then(|v| v.checked_mul(Decimal::from(days)))
            .ok_or_else(overflow)?;
        numerator = numerator.checked_add(product).ok_or_else(overflow)?;
        counted.push((from, to, unpaid, days));
    }
    if counted.is_empty() {
        return Ok(None);
    }
    let total = numerator
        .checked_div(Decimal::from(year * 100))
        .ok_or_else(overflow)?;
    accrued(
        obligation,
        interest,
        rounding,
        (total, yearly_percent, count),
        counted,
    )
}

/// The interest run up, `total` before rounding, rounded as the
/// obligation's amount is.
fn accrued(
    obligation: &Obligation,
    interest: &LateInterest,
    rounding: Option<&Rounding>,
    (total, yearly_percent, count): (Decimal, Decimal, DayCount),
    stretches: Vec<(Date, Date, Decimal, i64)>,
) -> Result<Option<InterestAccrued>, Diagnostic> {
    let amount = match rounding {
        Some(r) => round_to(total, r.unit.node, r.mode.node, interest.span)?,
        None => total,
    };
    Ok(Some(InterestAccrued {
        amount: Money {
            currency: obligation.amount.currency,
            amount,
        },
        unrounded: total,
        yearly_percent,
        day_count: count,
        compounding: interest.compounding.as_ref().map(|c| c.node),
        stretches,
    }))
}

/// Interest compounded `every` month or year from the due date: the
/// stretches are cut again at each such day, and from it the interest so
/// far bears interest too. Each piece is divided out as it comes (the base
/// of the next depends on it) and the sum rounded once.
fn compounded(
    obligation: &Obligation,
    interest: &LateInterest,
    (due, every, count): (Date, RatePeriod, DayCount),
    yearly_percent: Decimal,
    stretches: Vec<(Date, Date, Decimal)>,
    rounding: Option<&Rounding>,
) -> Result<Option<InterestAccrued>, Diagnostic> {
    let overflow = || {
        Diagnostic::error(
            Code::ArithmeticOverflow,
            "the late interest is too large to hold exactly",
            interest.span,
            "this interest",
        )
    };
    let step = |n: i32| -> Option<Date> {
        let span = match every {
            RatePeriod::Month => jiff::Span::new().try_months(n).ok()?,
            RatePeriod::Year => jiff::Span::new().try_years(n).ok()?,
        };
        due.checked_add(span).ok()
    };
    let year = Decimal::from(count.days_in_year() * 100);
    let mut capitalised = Decimal::ZERO;
    let mut since = Decimal::ZERO;
    let mut total = Decimal::ZERO;
    let mut counted = Vec::new();
    let mut next = 1;
    for (from, to, unpaid) in stretches {
        let mut start = from;
        while start < to {
            // Interest so far joins the base on each compounding day.
            while let Some(day) = step(next)
                && day <= start
            {
                capitalised = capitalised.checked_add(since).ok_or_else(overflow)?;
                since = Decimal::ZERO;
                next += 1;
            }
            let stop = step(next).map_or(to, |day| day.min(to));
            let base = unpaid.checked_add(capitalised).ok_or_else(overflow)?;
            let (days, _) = days(start, stop, count);
            let piece = base
                .checked_mul(yearly_percent)
                .and_then(|v| v.checked_mul(Decimal::from(days)))
                .and_then(|v| v.checked_div(year))
                .ok_or_else(overflow)?;
            since = since.checked_add(piece).ok_or_else(overflow)?;
            total = total.checked_add(piece).ok_or_else(overflow)?;
            counted.push((start, stop, base, days));
            if stop <= start {
                break;
            }
            start = stop;
        }
    }
    if counted.is_empty() {
        return Ok(None);
    }
    accrued(
        obligation,
        interest,
        rounding,
        (total, yearly_percent, count),
        counted,
    )
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn a_total_exactly_on_a_half_cent_rounds_half_up() {
        use crate::ast::{RoundingMode, Span, Spanned};
        use crate::eval::outcome::Status;
        // 11,272.57 due 2028-01-31 at 18% a year; 124.98 paid on
        // 2028-02-01 and 8,585.98 on 2028-03-04; as of 2028-04-03:
        // (11,272.57 × 1 + 11,147.59 × 32 + 2,561.61 × 30) × 18 ÷ 36,500
        // = 219.375 exactly, half-up 219.38 (divided stretch by stretch,
        // it came to 219.37499...).
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        let usd = crate::ast::Currency(*b"USD");
        let money = |amount| Money {
            currency: usd,
            amount,
        };
        let obligation = Obligation {
            clause: crate::model::ClauseId::from_index(0),
            rule: Span::default(),
            debtor: crate::model::PartyId::from_index(0),
            creditor: crate::model::PartyId::from_index(1),
            amount: money(d("11272.57")),
            paid: d("8710.96"),
            period: None,
            due: Some(date(2028, 1, 31)),
            status: Status::Overdue,
            events: Vec::new(),
            raised: date(2026, 1, 1),
            payments: Vec::new(),
            discharged_on: None,
            prorated: None,
            working: Vec::new(),
            unrounded: money(d("11272.57")),
            rounding: None,
            window: None,
            paid_on: vec![
                (date(2028, 2, 1), d("124.98")),
                (date(2028, 3, 4), d("8585.98")),
            ],
            interest: None,
            cure: None,
            moved: Vec::new(),
            capped: Vec::new(),
            source: crate::eval::outcome::Source::Rule,
        };
        let interest = LateInterest {
            rate: Spanned::new(d("18"), Span::default()),
            per: Spanned::new(RatePeriod::Year, Span::default()),
            compounding: None,
            day_count: None,
            span: Span::default(),
        };
        let cents = Rounding {
            mode: Spanned::new(RoundingMode::HalfUp, Span::default()),
            unit: Spanned::new(d("0.01"), Span::default()),
            span: Span::default(),
        };
        let accrued = accrue(&obligation, &interest, Some(&cents), date(2028, 4, 3))
            .ok()
            .flatten()
            .map(|i| (i.unrounded, i.amount.amount));
        assert_eq!(accrued, Some((d("219.375"), d("219.38"))));
    }

    #[test]
    fn compounded_interest_bears_interest_from_each_month_and_payments_reduce_the_principal() {
        use crate::ast::{RoundingMode, Span, Spanned};
        use crate::eval::outcome::Status;
        // 10,000.00 due 2028-01-31 at 1.5% a month (18% a year) compounded
        // monthly, 5,000.00 paid on 2028-03-15, as of 2028-04-30:
        //   to 02-29, 10,000 × 18% × 29 ÷ 365          = 143.013698...
        //   to 03-15, (10,000 + 143.013698) × 18% × 15  =  75.030512...
        //   to 03-31, (5,000 + 143.013698) × 18% × 16   =  40.580491...
        //   to 04-30, (5,000 + 258.624702) × 18% × 30   =  77.798831...
        // 336.423533..., half-up 336.42.
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        let usd = crate::ast::Currency(*b"USD");
        let money = |amount| Money {
            currency: usd,
            amount,
        };
        let obligation = Obligation {
            clause: crate::model::ClauseId::from_index(0),
            rule: Span::default(),
            debtor: crate::model::PartyId::from_index(0),
            creditor: crate::model::PartyId::from_index(1),
            amount: money(d("10000")),
            paid: d("5000"),
            period: None,
            due: Some(date(2028, 1, 31)),
            status: Status::Overdue,
            events: Vec::new(),
            raised: date(2028, 1, 1),
            payments: Vec::new(),
            discharged_on: None,
            prorated: None,
            working: Vec::new(),
            unrounded: money(d("10000")),
            rounding: None,
            window: None,
            paid_on: vec![(date(2028, 3, 15), d("5000"))],
            interest: None,
            cure: None,
            moved: Vec::new(),
            capped: Vec::new(),
            source: crate::eval::outcome::Source::Rule,
        };
        let interest = LateInterest {
            rate: Spanned::new(d("1.5"), Span::default()),
            per: Spanned::new(RatePeriod::Month, Span::default()),
            compounding: Some(Spanned::new(RatePeriod::Month, Span::default())),
            day_count: None,
            span: Span::default(),
        };
        let cents = Rounding {
            mode: Spanned::new(RoundingMode::HalfUp, Span::default()),
            unit: Spanned::new(d("0.01"), Span::default()),
            span: Span::default(),
        };
        let accrued = accrue(&obligation, &interest, Some(&cents), date(2028, 4, 30))
            .ok()
            .flatten();
        let days: Vec<i64> = accrued
            .iter()
            .flat_map(|i| i.stretches.iter().map(|s| s.3))
            .collect();
        assert_eq!(days, [29, 15, 16, 30]);
        assert_eq!(accrued.map(|i| i.amount.amount), Some(d("336.42")));
    }

    #[test]
    fn day_counts_count_days_and_years_as_their_names_say() {
        // 2028 is a leap year: 2028-02-15 to 2028-03-15 is 29 actual days.
        let (from, to) = (date(2028, 2, 15), date(2028, 3, 15));
        assert_eq!(days(from, to, DayCount::Actual365), (29, 365));
        assert_eq!(days(from, to, DayCount::Actual360), (29, 360));
        // 30/360: one month, 30 days, whatever February holds.
        assert_eq!(days(from, to, DayCount::Thirty360), (30, 360));
        // A 31st counts as the 30th: 2026-01-31 to 2026-03-31 is two months.
        assert_eq!(
            days(date(2026, 1, 31), date(2026, 3, 31), DayCount::Thirty360),
            (60, 360)
        );
        // Across a year end: 2026-12-15 to 2027-01-15.
        assert_eq!(
            days(date(2026, 12, 15), date(2027, 1, 15), DayCount::Thirty360),
            (30, 360)
        );
        assert_eq!(
            days(date(2026, 12, 15), date(2027, 1, 15), DayCount::Actual365),
            (31, 365)
        );
    }
}
