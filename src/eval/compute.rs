//! Exact computation of values and conditions for one event.
//!
//! Every amount is a `rust_decimal::Decimal`; every operation is checked, so
//! an overflow or a division by zero becomes a diagnostic pointing at the
//! computation, never a panic or a wrong number. Rounding happens only where
//! the contract says so, with the mode it names.

use super::event::Looked;
use jiff::civil::Date;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::event::{Event, PeriodValue, Value};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{CategoryId, Checked, NamedType, PartyId};

/// A computed value.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Money(Money),
    /// A percentage as written: `Percent(20)` is 20%.
    Percent(Decimal),
    Number(Decimal),
    Duration(Duration),
    Date(Date),
    Bool(bool),
    Text(String),
    Party(PartyId),
    /// A category member: the category, and the member's index in it.
    Member {
        category: CategoryId,
        member: usize,
    },
    Period(PeriodValue),
}

/// Computes `total event.field where ...` over the events of the current period.
/// The value of a `total` or `count` over the period, given the expression
/// as written.
pub type Totals<'a> = dyn Fn(&Expr) -> Result<Val, Diagnostic> + 'a;

/// What names refer to while computing: the event a rule is looking at, and
/// for per-period payments, the totals of the period.
pub struct Context<'a> {
    pub contract: &'a Checked,
    pub event: Option<&'a Event>,
    /// Computes `total event.field where ...` for the current period.
    pub totals: Option<&'a Totals<'a>>,
    /// What `balance of ACCOUNT` reads: the ledger at a moment, or inside
    /// a movement its own running balance. `None` where the checker
    /// allows no balance.
    pub balances: Option<&'a super::accounts::BalanceView<'a>>,
    /// When given, each step of a computation is written here in the order
    /// it is worked out (`20% of USD 40,000,000.00 = USD 8,000,000.00`),
    /// for `--explain`.
    pub working: Option<&'a Working>,
}

/// The steps of a computation, as `--explain` shows them.
pub type Working = std::cell::RefCell<Vec<String>>;

fn overflow(span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::ArithmeticOverflow,
        "the result is too large to hold exactly",
        span,
        "this computation overflows",
    )
    .with_help(
        "amounts are exact up to 28 significant digits; check the values of the events involved",
    )
}

fn division_by_zero(span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::DivisionByZero,
        "division by zero",
        span,
        "the divisor is zero here",
    )
    .with_help("check the event values this computation divides by")
}

/// Reports a value of an unexpected kind. The checker makes this impossible
/// for checked contracts; it is kept as a diagnostic rather than a panic.
pub(crate) fn unexpected(span: Span, what: &str) -> Diagnostic {
    Diagnostic::error(
        Code::EvaluationError,
        format!("cannot compute this: {what}"),
        span,
        "here",
    )
    .with_help("this is a bug in proviso; please report it with the contract and events")
}

/// Rounds to a multiple of `unit` (0.01 for cents, 1000 for thousands).
pub fn round_to(
    value: Decimal,
    unit: Decimal,
    mode: RoundingMode,
    span: Span,
) -> Result<Decimal, Diagnostic> {
    if unit.is_zero() {
        return Err(division_by_zero(span));
    }
    // Worked from the remainder rather than by counting units (value ÷
    // unit): the count of cents in an amount above about 7.9 × 10²⁶ is too
    // large to hold, but the remainder never is, and neither is the
    // multiple of `unit` below it. Only rounding away from zero past the
    // largest value proviso holds overflows.
    let unit = unit.abs();
    let rest = value.checked_rem(unit).ok_or_else(|| overflow(span))?;
    if rest.is_zero() {
        return Ok(at_scale(value, unit.scale()));
    }
    // The remainder has the sign of `value`, so this is toward zero.
    let toward_zero = value.checked_sub(rest).ok_or_else(|| overflow(span))?;
    let away = || {
        if value.is_sign_negative() {
            toward_zero.checked_sub(unit)
        } else {
            toward_zero.checked_add(unit)
        }
    };
    // How the remainder compares with the distance to the next multiple.
    let half = rest.abs().cmp(&(unit - rest.abs()));
    let go_away = match mode {
        RoundingMode::HalfUp => half.is_ge(),
        RoundingMode::HalfDown => half.is_gt(),
        RoundingMode::HalfEven => {
            half.is_gt()
                || (half.is_eq()
                    && unit
                        .checked_mul(Decimal::TWO)
                        .and_then(|two_units| toward_zero.checked_rem(two_units))
                        .is_some_and(|r| !r.is_zero()))
        }
        RoundingMode::Up => true,
        RoundingMode::Down => false,
        RoundingMode::Ceiling => value.is_sign_positive(),
        RoundingMode::Floor => value.is_sign_negative(),
    };
    let rounded = if go_away {
        away().ok_or_else(|| overflow(span))?
    } else {
        toward_zero
    };
    Ok(at_scale(rounded, unit.scale()))
}

/// A multiple of the rounding unit written with the unit's decimal places
/// (`2.35`, not `2.350`), or with as many as the amount leaves room for.
fn at_scale(mut value: Decimal, scale: u32) -> Decimal {
    value.rescale(scale);
    value
}

/// The numeric part of a value, for arithmetic.
fn amount(val: &Val) -> Option<Decimal> {
    match val {
        Val::Money(m) => Some(m.amount),
        Val::Percent(p) | Val::Number(p) => Some(*p),
        Val::Duration(Duration::Days(n) | Duration::Months(n)) => Some(Decimal::from(*n)),
        _ => None,
    }
}

/// The same kind of value, with another amount.
fn with_amount(like: &Val, amount: Decimal, span: Span) -> Result<Val, Diagnostic> {
    Ok(match like {
        Val::Money(m) => Val::Money(Money {
            currency: m.currency,
            amount,
        }),
        Val::Percent(_) => Val::Percent(amount),
        Val::Number(_) => Val::Number(amount),
        Val::Duration(d) => {
            let whole = amount.trunc().to_i64().ok_or_else(|| overflow(span))?;
            match d {
                Duration::Days(_) => Val::Duration(Duration::Days(whole)),
                Duration::Months(_) => Val::Duration(Duration::Months(whole)),
            }
        }
        _ => {
            return Err(unexpected(
                span,
                "arithmetic on a value that is not a number",
            ));
        }
    })
}

/// `share` percent of `a`. Multiplied first, so that the share of an
/// ordinary amount is exact to the last digit; for an amount so large that
/// the product overflows, the percentage is divided first (100% of the
/// largest amount is that amount, not an overflow).
fn share_of(share: Decimal, a: Decimal, span: Span) -> Result<Decimal, Diagnostic> {
    a.checked_mul(share)
        .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
        .or_else(|| {
            share
                .checked_div(Decimal::ONE_HUNDRED)
                .and_then(|fraction| a.checked_mul(fraction))
        })
        .ok_or_else(|| overflow(span))
}

/// E0705: a pick with nothing to pick from and no `otherwise`.
fn nothing_to_pick(pick: &Expr, which: Which, field: &FieldRef) -> Diagnostic {
    let written = crate::syntax::one_line::expr(pick);
    let narrowed = match pick.aggregate() {
        Some((aggregate, stretch)) => stretch.is_some() || aggregate.filter().is_some(),
        None => false,
    };
    let counted = if narrowed { " that it counts" } else { "" };
    let when = match which {
        Which::Previous => "came before this one",
        Which::Highest | Which::Lowest | Which::Latest => "has come yet",
    };
    // Evaluation adds which event this was for.
    Diagnostic::error(
        Code::NothingToPick,
        format!(
            "`{written}` has nothing to pick from: no `{}` event{counted} {when}",
            field.event.node
        ),
        pick.span,
        "nothing to pick from",
    )
    .with_help(format!(
        "say what the value is until there is one: `({})`, with a VALUE of the field's kind",
        with_otherwise(pick)
    ))
}

/// A pick as written with `otherwise VALUE` added, as the formatter would
/// lay it out (its own condition bracketed, so that `otherwise` is the
/// pick's and not that of a pick inside the condition).
fn with_otherwise(pick: &Expr) -> String {
    let mut written = pick.clone();
    if let ExprKind::Pick(inner) = &mut written.kind {
        inner.otherwise = Some(Expr {
            kind: ExprKind::Name("VALUE".to_string()),
            span: pick.span,
        });
    }
    crate::syntax::one_line::expr(&written)
}

fn same_currency(a: &Val, b: &Val, span: Span) -> Result<(), Diagnostic> {
    if let (Val::Money(x), Val::Money(y)) = (a, b)
        && x.currency != y.currency
    {
        return Err(Diagnostic::error(
            Code::MixedCurrencies,
            format!(
                "cannot combine {} and {} in one computation",
                x.currency, y.currency
            ),
            span,
            "the amounts here are in different currencies",
        )
        .with_help(
            "proviso converts only where the contract says (`converted to USD at RATE`); record the events in the contract's currency",
        ));
    }
    Ok(())
}

impl Context<'_> {
    /// Writes a step of the working, when one is kept.
    fn note(&self, step: impl FnOnce() -> String) {
        if let Some(working) = self.working {
            working.borrow_mut().push(step());
        }
    }

    /// A value as the working shows it: money with its currency and
    /// separators, a party or member by name.
    fn shown(&self, value: &Val) -> String {
        let number = |n: Decimal| crate::eval::report::decimal_text(n, 0);
        match value {
            Val::Money(m) => format!(
                "{} {}",
                m.currency,
                crate::eval::report::decimal_text(m.amount, 2)
            ),
            Val::Percent(p) => format!("{}%", number(*p)),
            Val::Number(n) => number(*n),
            Val::Duration(Duration::Days(d)) => format!("{d} days"),
            Val::Duration(Duration::Months(m)) => format!("{m} months"),
            Val::Date(d) => d.to_string(),
            Val::Bool(b) => b.to_string(),
            Val::Text(t) => format!("{t:?}"),
            Val::Party(p) => self
                .contract
                .party(*p)
                .map_or_else(|| "a party".to_string(), |p| p.name.node.clone()),
            Val::Member { category, member } => self
                .contract
                .category(*category)
                .and_then(|c| c.members.get(*member))
                .map_or_else(|| "a member".to_string(), |m| m.node.clone()),
            Val::Period(p) => format!("{} to {}", p.first, p.last),
        }
    }

    /// Computes a value.
    pub fn value(&self, expr: &Expr) -> Result<Val, Diagnostic> {
        let span = expr.span;
        match &expr.kind {
            ExprKind::Money(m) => Ok(Val::Money(*m)),
            ExprKind::Percent(p) => Ok(Val::Percent(*p)),
            ExprKind::Number(n) => Ok(Val::Number(*n)),
            ExprKind::Duration(d) => Ok(Val::Duration(*d)),
            ExprKind::Date(d) => Ok(Val::Date(*d)),
            ExprKind::Bool(b) => Ok(Val::Bool(*b)),
            ExprKind::Text(t) => Ok(Val::Text(t.clone())),
            ExprKind::Invalid => Err(unexpected(span, "a value that could not be read")),
            ExprKind::Name(name) => {
                let value = self.name(name, span)?;
                // A definition notes its own working, ending with its value.
                if self.working.is_some() && !matches!(value, Val::Party(_)) {
                    let defined = self
                        .event
                        .is_none_or(|e| self.field_value(e, name).is_none())
                        && self.contract.definition_named(name).is_some();
                    if !defined {
                        self.note(|| format!("{name} = {}", self.shown(&value)));
                    }
                }
                Ok(value)
            }
            ExprKind::Field(field) => {
                let value = self.field(&field.field.node, span)?;
                self.note(|| {
                    format!(
                        "{}.{} = {}",
                        field.event.node,
                        field.field.node,
                        self.shown(&value)
                    )
                });
                Ok(value)
            }
            ExprKind::Balance { account, as_of } => {
                use super::accounts::{BalanceView, Moment};
                let Some((id, _)) = self.contract.account_named(&account.node) else {
                    return Err(unexpected(span, "a balance of an unknown account"));
                };
                let (money, moment) = match self.balances {
                    Some(BalanceView::Ledger { ledger, moment }) => {
                        let moment = as_of.as_ref().map_or(*moment, |d| Moment::EndOf(d.node));
                        (
                            ledger.balance(self.contract, id, moment, span)?,
                            Some(moment),
                        )
                    }
                    Some(BalanceView::Running {
                        account: own,
                        balance,
                    }) if *own == id => (*balance, None),
                    Some(BalanceView::Running { .. }) | None => {
                        return Err(unexpected(span, "a balance where none is known"));
                    }
                };
                let value = Val::Money(money);
                self.note(|| match moment {
                    Some(moment) => format!(
                        "balance of {} {moment} = {}",
                        account.node,
                        self.shown(&value)
                    ),
                    None => format!(
                        "balance of {} before this movement = {}",
                        account.node,
                        self.shown(&value)
                    ),
                });
                Ok(value)
            }
            // Worked out as the event came (`evaluation::Running`).
            ExprKind::Total {
                stretch: Some(_), ..
            }
            | ExprKind::Count {
                stretch: Some(_), ..
            } => self.as_the_event_came(expr, ""),
            // Picked as the event came (`evaluation::Running`).
            ExprKind::Pick(pick) => {
                let Pick {
                    which,
                    field,
                    otherwise,
                    stretch: _,
                    filter: _,
                } = &**pick;
                let (event, picked) = self.looked_back(span)?;
                let event_text = || {
                    format!(
                        "#{} {} {}",
                        event.seq + 1,
                        self.contract
                            .event_type(event.kind)
                            .map_or("?", |d| d.name.node.as_str()),
                        event.date
                    )
                };
                let value = match picked {
                    Some(value) => value,
                    None => match otherwise {
                        Some(otherwise) => {
                            let value = self.otherwise_value(otherwise, field)?;
                            self.note(|| {
                                format!(
                                    "{} has no event to pick from as of {}: otherwise {}",
                                    crate::syntax::one_line::expr(expr),
                                    event_text(),
                                    self.shown(&value)
                                )
                            });
                            return Ok(value);
                        }
                        None => {
                            return Err(nothing_to_pick(expr, which.node, field));
                        }
                    },
                };
                self.note(|| {
                    format!(
                        "{} = {} (as of {})",
                        crate::syntax::one_line::expr(expr),
                        self.shown(&value),
                        event_text()
                    )
                });
                Ok(value)
            }
            ExprKind::Total { stretch: None, .. } | ExprKind::Count { stretch: None, .. } => {
                match self.totals {
                    Some(totals) => {
                        let value = totals(expr)?;
                        self.note(|| {
                            format!(
                                "{} = {}",
                                crate::syntax::one_line::expr(expr),
                                self.shown(&value)
                            )
                        });
                        Ok(value)
                    }
                    // In a definition `for each` period, used about an
                    // event: the period so far, worked out as the event came
                    // (the checker registered it as a running total).
                    None if self.event.is_some() => {
                        self.as_the_event_came(expr, "the period so far, ")
                    }
                    None => Err(unexpected(span, "`total` outside a period")),
                }
            }
            ExprKind::Negate(inner) => {
                let v = self.value(inner)?;
                let a = amount(&v)
                    .ok_or_else(|| unexpected(span, "negating a value that is not a number"))?;
                with_amount(&v, -a, span)
            }
            ExprKind::Chain { first, rest } => {
                let mut acc = self.value(first)?;
                let mut written = self.shown(&acc);
                for (op, operand) in rest {
                    let right = self.value(operand)?;
                    if self.working.is_some() {
                        written = format!("{written} {} {}", op.node.symbol(), self.shown(&right));
                    }
                    acc = self.arith(op.node, acc, right, first.span.to(operand.span))?;
                }
                self.note(|| format!("{written} = {}", self.shown(&acc)));
                Ok(acc)
            }
            ExprKind::Of { share, base } => {
                let share = match self.value(share)? {
                    Val::Percent(p) => p,
                    _ => return Err(unexpected(span, "`of` without a percentage")),
                };
                let base = self.value(base)?;
                let a = amount(&base)
                    .ok_or_else(|| unexpected(span, "a share of a value that is not a number"))?;
                let result = with_amount(&base, share_of(share, a, span)?, span)?;
                self.note(|| {
                    format!(
                        "{} of {} = {}",
                        self.shown(&Val::Percent(share)),
                        self.shown(&base),
                        self.shown(&result)
                    )
                });
                Ok(result)
            }
            ExprKind::CappedAt { value, cap } => {
                let v = self.value(value)?;
                let c = self.value(cap)?;
                same_currency(&v, &c, span)?;
                let text = || format!("{} capped at {}", self.shown(&v), self.shown(&c));
                let written = self.working.map(|_| text());
                let result = if self.less(&c, &v, span)? { c } else { v };
                if let Some(written) = written {
                    self.note(|| format!("{written} = {}", self.shown(&result)));
                }
                Ok(result)
            }
            ExprKind::AtLeast { value, floor } => {
                let v = self.value(value)?;
                let f = self.value(floor)?;
                same_currency(&v, &f, span)?;
                let text = || format!("{} at least {}", self.shown(&v), self.shown(&f));
                let written = self.working.map(|_| text());
                let result = if self.less(&v, &f, span)? { f } else { v };
                if let Some(written) = written {
                    self.note(|| format!("{written} = {}", self.shown(&result)));
                }
                Ok(result)
            }
            ExprKind::PerStep {
                value,
                kind,
                step,
                measure,
            } => {
                let v = self.value(value)?;
                let step_value = self.value(step)?;
                let measure_value = self.value(measure)?;
                let s = amount(&step_value)
                    .ok_or_else(|| unexpected(span, "a step that is not a number"))?;
                let m = amount(&measure_value)
                    .ok_or_else(|| unexpected(span, "a measure that is not a number"))?;
                if s.is_zero() {
                    return Err(division_by_zero(step.span));
                }
                let ratio = m.checked_div(s).ok_or_else(|| overflow(span))?;
                // A negative measure (a delivery before its due date) counts as none.
                let steps = match kind {
                    StepKind::Full => ratio.floor(),
                    StepKind::Started => ratio.ceil(),
                }
                .max(Decimal::ZERO);
                let a = amount(&v)
                    .ok_or_else(|| unexpected(span, "a value per step that is not a number"))?;
                let result = with_amount(
                    &v,
                    a.checked_mul(steps).ok_or_else(|| overflow(span))?,
                    span,
                )?;
                self.note(|| {
                    let kind = match kind {
                        StepKind::Full => "full",
                        StepKind::Started => "started",
                    };
                    format!(
                        "{} for each {kind} {} in {}: {} = {}",
                        self.shown(&v),
                        self.shown(&step_value),
                        self.shown(&measure_value),
                        if steps == Decimal::ONE {
                            "1 step".to_string()
                        } else {
                            format!("{} steps", crate::eval::report::decimal_text(steps, 0))
                        },
                        self.shown(&result)
                    )
                });
                Ok(result)
            }
            ExprKind::DaysBetween { start, end } => {
                let (Val::Date(a), Val::Date(b)) = (self.value(start)?, self.value(end)?) else {
                    return Err(unexpected(
                        span,
                        "`days from` between values that are not dates",
                    ));
                };
                let days = a
                    .until((jiff::Unit::Day, b))
                    .map_err(|_| overflow(span))?
                    .get_days();
                self.note(|| format!("days from {a} to {b} = {days} days"));
                Ok(Val::Duration(Duration::Days(i64::from(days))))
            }
            ExprKind::Tiers {
                mode,
                subject,
                tiers,
            } => self.tiers(*mode, subject, tiers, span),
            ExprKind::Converted {
                value,
                currency,
                rate,
            } => self.converted(value, currency, rate, span),
            ExprKind::Rounded { value, rounding } => {
                let v = self.value(value)?;
                let a = amount(&v)
                    .ok_or_else(|| unexpected(span, "rounding a value that is not a number"))?;
                let rounded = round_to(a, rounding.unit.node, rounding.mode.node, span)?;
                let result = with_amount(&v, rounded, span)?;
                self.note(|| {
                    format!(
                        "{} rounded {} to {} = {}",
                        self.shown(&v),
                        rounding.mode.node.as_str(),
                        rounding.unit.node,
                        self.shown(&result)
                    )
                });
                Ok(result)
            }
        }
    }

    /// `tiers of X (...)` and `marginal tiers of X (...)`. The bands' ends
    /// are laid out by `crate::tiers`, which the checker ran on the written
    /// bounds; it runs again here because a bound may be a field.
    fn tiers(
        &self,
        mode: TierMode,
        subject: &Expr,
        tiers: &[Tier],
        span: Span,
    ) -> Result<Val, Diagnostic> {
        let x = self.value(subject)?;
        let at =
            amount(&x).ok_or_else(|| unexpected(span, "tiers of a value that is not a number"))?;
        let mut failure = None;
        let written = crate::tiers::written(tiers, |bound| {
            let value = self
                .value(bound)
                .and_then(|b| same_currency(&x, &b, bound.span).map(|()| b));
            match value {
                Ok(b) => amount(&b),
                Err(diagnostic) => {
                    failure.get_or_insert(diagnostic);
                    None
                }
            }
        });
        if let Some(diagnostic) = failure {
            return Err(diagnostic);
        }
        if let Some(problem) = crate::tiers::problems(&written).first() {
            return Err(self.tier_layout(*problem, &written, &x, span));
        }
        let bands = crate::tiers::filled(&written);
        match mode {
            TierMode::Whole => {
                let Some(index) = crate::tiers::band_of(&bands, at) else {
                    let start = bands.first().and_then(|b| b.lower);
                    return Err(Diagnostic::error(
                        Code::TierGap,
                        format!(
                            "{} falls in no band: the first band starts {}",
                            self.shown(&x),
                            self.end_text(start, &x, true)
                        ),
                        span,
                        "no band covers this value",
                    )
                    .with_help("add a band below the first, or check the event's value"));
                };
                let (tier, band) = tiers
                    .get(index)
                    .zip(bands.get(index))
                    .ok_or_else(|| unexpected(span, "a band that is not in the table"))?;
                let value = self.value(&tier.value)?;
                self.note(|| {
                    format!(
                        "tiers of {}: the band {} applies: {}",
                        self.shown(&x),
                        self.band_text(band, &x),
                        self.shown(&value)
                    )
                });
                Ok(value)
            }
            TierMode::Marginal => {
                let parts = crate::tiers::portions(&bands, at).ok_or_else(|| overflow(span))?;
                let mut total: Option<Val> = None;
                let mut shown_parts = Vec::new();
                for ((tier, band), part) in tiers.iter().zip(&bands).zip(parts) {
                    let rate = self.value(&tier.value)?;
                    let part_val = with_amount(&x, part, span)?;
                    let product = match rate {
                        Val::Percent(p) => with_amount(&x, share_of(p, part, span)?, span)?,
                        _ => self.arith(ArithOp::Mul, rate.clone(), Val::Number(part), span)?,
                    };
                    if !part.is_zero() && self.working.is_some() {
                        let rate_text = match rate {
                            Val::Percent(_) => format!("{} of", self.shown(&rate)),
                            _ => format!("{} for each of", self.shown(&rate)),
                        };
                        self.note(|| {
                            format!(
                                "marginal tiers of {}: the band {}: {rate_text} {} = {}",
                                self.shown(&x),
                                self.band_text(band, &x),
                                self.shown(&part_val),
                                self.shown(&product)
                            )
                        });
                        shown_parts.push(self.shown(&product));
                    }
                    total = Some(match total {
                        None => product,
                        Some(sum) => self.arith(ArithOp::Add, sum, product, span)?,
                    });
                }
                let total = total.ok_or_else(|| unexpected(span, "tiers with no band"))?;
                if shown_parts.len() > 1 {
                    self.note(|| {
                        format!(
                            "marginal tiers of {} = {} = {}",
                            self.shown(&x),
                            shown_parts.join(" + "),
                            self.shown(&total)
                        )
                    });
                }
                Ok(total)
            }
        }
    }

    /// A band as the working shows it: `over USD 10,000.00 through USD
    /// 50,000.00`, with its ends as filled in from its neighbours.
    fn band_text(&self, band: &crate::tiers::Band, like: &Val) -> String {
        match (band.lower, band.upper) {
            (None, None) => "covering every value".to_string(),
            (Some(lower), None) => self.end_text(Some(lower), like, true),
            (None, Some(upper)) => self.end_text(Some(upper), like, false),
            (Some(lower), Some(upper)) => format!(
                "{} {}",
                self.end_text(Some(lower), like, true),
                self.end_text(Some(upper), like, false)
            ),
        }
    }

    /// One end of a band: `from A`, `over A`, `through B` or `below B`.
    fn end_text(&self, end: Option<crate::tiers::End>, like: &Val, lower: bool) -> String {
        let Some(end) = end else {
            return "nowhere".to_string();
        };
        let word = match (lower, end.included) {
            (true, true) => "from",
            (true, false) => "over",
            (false, true) => "through",
            (false, false) => "below",
        };
        let at = end
            .at
            .and_then(|a| with_amount(like, a, Span::default()).ok())
            .map_or_else(|| "a bound".to_string(), |v| self.shown(&v));
        format!("{word} {at}")
    }

    /// A table whose bounds, as this event gives them, leave a gap or an
    /// overlap (the checker reports the same of written bounds).
    fn tier_layout(
        &self,
        problem: crate::tiers::Problem,
        bands: &[crate::tiers::Band],
        like: &Val,
        span: Span,
    ) -> Diagnostic {
        use crate::tiers::Problem;
        let end = |band: Option<usize>, lower: bool| {
            band.and_then(|b| bands.get(b))
                .and_then(|b| if lower { b.lower } else { b.upper })
                .and_then(|e| e.at)
                .and_then(|a| with_amount(like, a, span).ok())
                .map_or_else(|| "a bound".to_string(), |v| self.shown(&v))
        };
        let (code, message) = match problem {
            Problem::Gap { band } => (
                Code::TierGap,
                format!(
                    "with this event's values, the tier bands leave the values between {} and {} in no band",
                    end(band.checked_sub(1), false),
                    end(Some(band), true)
                ),
            ),
            Problem::Overlap { band } => (
                Code::TierOverlap,
                format!(
                    "with this event's values, the tier bands put the values between {} and {} in two bands",
                    end(Some(band), true),
                    end(band.checked_sub(1), false)
                ),
            ),
            Problem::Empty { .. } => (
                Code::InvalidTiers,
                "with this event's values, the tier bounds do not rise".to_string(),
            ),
            Problem::AfterOpenBand { .. } | Problem::NoTopBand { .. } => {
                return unexpected(span, "tiers the checker should have refused");
            }
        };
        Diagnostic::error(code, message, span, "these tiers")
            .with_help("each band must start exactly where the one before stops; check the events that give the bounds")
    }

    fn arith(&self, op: ArithOp, left: Val, right: Val, span: Span) -> Result<Val, Diagnostic> {
        match (op, &left, &right) {
            (ArithOp::Add | ArithOp::Sub, Val::Date(d), Val::Duration(n)) => {
                let n = match *n {
                    Duration::Days(n) | Duration::Months(n) => n,
                };
                let n = if op == ArithOp::Sub { -n } else { n };
                let span_of = match right {
                    Val::Duration(Duration::Months(_)) => jiff::Span::new().try_months(n),
                    _ => jiff::Span::new().try_days(n),
                }
                .map_err(|_| overflow(span))?;
                d.checked_add(span_of)
                    .map(Val::Date)
                    .map_err(|_| overflow(span))
            }
            _ => {
                let a = amount(&left).ok_or_else(|| {
                    unexpected(span, "arithmetic on a value that is not a number")
                })?;
                let b = amount(&right).ok_or_else(|| {
                    unexpected(span, "arithmetic on a value that is not a number")
                })?;
                same_currency(&left, &right, span)?;
                // The kind of the result, as the checker types it: money
                // times a number (or a duration) is money; a percentage or a
                // duration times a number keeps its kind; otherwise the left's.
                let like = match (op, &left, &right) {
                    (ArithOp::Mul, _, Val::Money(_)) => &right,
                    (ArithOp::Mul, Val::Number(_), Val::Percent(_) | Val::Duration(_)) => &right,
                    _ => &left,
                };
                let result = match op {
                    ArithOp::Add => a.checked_add(b),
                    ArithOp::Sub => a.checked_sub(b),
                    ArithOp::Mul => a.checked_mul(b),
                    ArithOp::Div => {
                        if b.is_zero() {
                            return Err(division_by_zero(span));
                        }
                        a.checked_div(b)
                    }
                }
                .ok_or_else(|| overflow(span))?;
                // Money divided by money, or like by like, is a plain number.
                let dimensionless = op == ArithOp::Div
                    && matches!(
                        (&left, &right),
                        (Val::Money(_), Val::Money(_))
                            | (Val::Percent(_), Val::Percent(_))
                            | (Val::Duration(_), Val::Duration(_))
                    );
                if dimensionless {
                    Ok(Val::Number(result))
                } else {
                    with_amount(like, result, span)
                }
            }
        }
    }

    /// `value converted to USD at rate`: money in another currency times
    /// the rate, exactly; money already in USD as it is. Rounded only where
    /// the contract says.
    fn converted(
        &self,
        value: &Expr,
        currency: &Spanned<Currency>,
        rate: &Expr,
        span: Span,
    ) -> Result<Val, Diagnostic> {
        let v = self.value(value)?;
        let Val::Money(money) = v else {
            return Err(unexpected(span, "converting a value that is not money"));
        };
        if money.currency == currency.node {
            self.note(|| {
                format!(
                    "{} is in {} already: not converted",
                    self.shown(&v),
                    currency.node
                )
            });
            return Ok(v);
        }
        let r = match self.value(rate)? {
            Val::Number(r) => r,
            _ => return Err(unexpected(span, "a conversion rate that is not a number")),
        };
        if r <= Decimal::ZERO {
            return Err(Diagnostic::error(
                Code::InvalidRate,
                format!(
                    "the rate to convert {} to {} is {}, and a rate must be more than zero",
                    money.currency,
                    currency.node,
                    crate::eval::report::decimal_text(r, 0)
                ),
                rate.span,
                "this rate",
            )
            .with_help("check the event that gives the rate"));
        }
        let amount = money.amount.checked_mul(r).ok_or_else(|| overflow(span))?;
        let result = Val::Money(Money {
            currency: currency.node,
            amount,
        });
        self.note(|| {
            format!(
                "{} converted to {} at {} = {}",
                self.shown(&v),
                currency.node,
                crate::eval::report::decimal_text(r, 0),
                self.shown(&result)
            )
        });
        Ok(result)
    }

    /// A defined term's value where it is used: its body, worked out in
    /// the same context (the event in view, the period's totals), as if
    /// written in its place. The checker made sure definitions do not use
    /// one another in a circle and nest a bounded depth.
    fn defined(&self, definition: &Definition) -> Result<Val, Diagnostic> {
        let value = match &definition.body {
            DefinitionBody::Value(value) => self.value(value)?,
            DefinitionBody::Condition(condition) => Val::Bool(self.holds(condition)?),
        };
        self.note(|| {
            let body = match &definition.body {
                DefinitionBody::Value(value) => crate::syntax::one_line::expr(value),
                DefinitionBody::Condition(condition) => {
                    crate::syntax::one_line::condition(condition)
                }
            };
            format!(
                "{} = {body} = {}",
                definition.name.node,
                match value {
                    Val::Bool(true) => "yes".to_string(),
                    Val::Bool(false) => "no".to_string(),
                    ref other => self.shown(other),
                }
            )
        });
        Ok(value)
    }

    /// Whether `a` is strictly less than `b`.
    fn less(&self, a: &Val, b: &Val, span: Span) -> Result<bool, Diagnostic> {
        match (a, b) {
            (Val::Date(x), Val::Date(y)) => Ok(x < y),
            _ => {
                same_currency(a, b, span)?;
                match (amount(a), amount(b)) {
                    (Some(x), Some(y)) => Ok(x < y),
                    _ => Err(unexpected(span, "comparing values that have no order")),
                }
            }
        }
    }

    fn name(&self, name: &str, span: Span) -> Result<Val, Diagnostic> {
        if let Some(event) = self.event
            && let Some(value) = self.field_value(event, name)
        {
            return Ok(value);
        }
        if let Some(definition) = self.contract.definition_named(name) {
            return self.defined(definition);
        }
        match self.contract.party_named(name) {
            Some(p) => Ok(Val::Party(p)),
            None => Err(unexpected(
                span,
                "a name that is neither a field nor a party",
            )),
        }
    }

    fn field(&self, field: &str, span: Span) -> Result<Val, Diagnostic> {
        self.event
            .and_then(|event| self.field_value(event, field))
            .ok_or_else(|| unexpected(span, "a field of an event that is not in view"))
    }

    fn field_value(&self, event: &Event, field: &str) -> Option<Val> {
        let decl = self.contract.event_type(event.kind)?;
        match field {
            "date" => return Some(Val::Date(event.date)),
            "by" => return event.by.map(Val::Party),
            "id" => {
                return Some(Val::Text(
                    event.id.as_deref().unwrap_or_default().to_string(),
                ));
            }
            "type" => return Some(Val::Text(decl.name.node.clone())),
            _ => {}
        }
        let index = decl.fields.iter().position(|f| f.name.node == field)?;
        Some(match event.fields.get(index)? {
            Value::Money(m) => Val::Money(*m),
            Value::Percent(p) => Val::Percent(*p),
            Value::Number(n) => Val::Number(*n),
            Value::Days(d) => Val::Duration(Duration::Days(*d)),
            Value::Date(d) => Val::Date(*d),
            Value::Text(t) => Val::Text(t.to_string()),
            Value::Bool(b) => Val::Bool(*b),
            Value::Party(p) => Val::Party(*p),
            Value::Member(m) => {
                let category = match self.contract.named_type(event.kind, index)? {
                    NamedType::Category(category) => category,
                    NamedType::Period(_) => return None,
                };
                Val::Member {
                    category,
                    member: *m,
                }
            }
            Value::Period(p) => Val::Period(*p),
        })
    }

    /// Whether a condition holds for the event in view.
    pub fn holds(&self, condition: &Condition) -> Result<bool, Diagnostic> {
        let span = condition.span;
        match &condition.kind {
            ConditionKind::Any(parts) => {
                for part in parts {
                    if self.holds(part)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            ConditionKind::All(parts) => {
                for part in parts {
                    if !self.holds(part)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            ConditionKind::Not(inner) => Ok(!self.holds(inner)?),
            // Worked out as the event came, from the earlier events
            // remembered (`evaluation::History`).
            ConditionKind::Earlier(_) => {
                let event = self
                    .event
                    .ok_or_else(|| unexpected(span, "`after` with no event to look back from"))?;
                let index = self
                    .contract
                    .symbols
                    .earlier
                    .iter()
                    .position(|e| e.span == span)
                    .ok_or_else(|| unexpected(span, "an `after` condition not resolved"))?;
                Ok(event.earlier(index).unwrap_or(false))
            }
            ConditionKind::Test(expr) => match self.value(expr)? {
                Val::Bool(b) => Ok(b),
                _ => Err(unexpected(span, "a condition that is not yes or no")),
            },
            ConditionKind::Compare { left, op, right } => {
                let l = self.value(left)?;
                let mut matches = false;
                for value in right {
                    let r = self.compared(value, &l)?;
                    let equal = self.equal(&l, &r, span)?;
                    let result = match op.node {
                        CompareOp::Is | CompareOp::In | CompareOp::Eq => equal,
                        CompareOp::IsNot | CompareOp::NotIn | CompareOp::Ne => equal,
                        CompareOp::Lt => self.less(&l, &r, span)?,
                        CompareOp::Le => !self.less(&r, &l, span)?,
                        CompareOp::Gt => self.less(&r, &l, span)?,
                        CompareOp::Ge => !self.less(&l, &r, span)?,
                    };
                    if result {
                        matches = true;
                        break;
                    }
                }
                Ok(match op.node {
                    CompareOp::IsNot | CompareOp::NotIn | CompareOp::Ne => !matches,
                    _ => matches,
                })
            }
        }
    }

    /// The right side of a comparison: a bare name there is a member of the
    /// left side's category, or a party.
    fn compared(&self, value: &Expr, left: &Val) -> Result<Val, Diagnostic> {
        if let (ExprKind::Name(name), Val::Member { category, .. }) = (&value.kind, left)
            && self.event.and_then(|e| self.field_value(e, name)).is_none()
        {
            // The checker resolved the name against the left side's category.
            let member = self
                .contract
                .category(*category)
                .and_then(|c| c.members.iter().position(|m| &m.node == name))
                .ok_or_else(|| unexpected(value.span, "a member its category does not have"))?;
            return Ok(Val::Member {
                category: *category,
                member,
            });
        }
        self.value(value)
    }

    /// A running total's value as the event in view came, noted for
    /// `--explain` (`what` says what it is, before `as of`).
    fn as_the_event_came(&self, expr: &Expr, what: &str) -> Result<Val, Diagnostic> {
        let (event, value) = self.looked_back(expr.span)?;
        let value = value.ok_or_else(|| unexpected(expr.span, "a running total with no value"))?;
        self.note(|| {
            format!(
                "{} = {} ({what}as of #{} {} {})",
                crate::syntax::one_line::expr(expr),
                self.shown(&value),
                event.seq + 1,
                self.contract
                    .event_type(event.kind)
                    .map_or("?", |d| d.name.node.as_str()),
                event.date
            )
        });
        Ok(value)
    }

    /// The event in view and the value, as it came, of the running total
    /// or pick written at `span` (`None`: a pick with nothing to pick
    /// from); an error when it was not known (`Looked::Unknown`).
    fn looked_back(&self, span: Span) -> Result<(&Event, Option<Val>), Diagnostic> {
        let event = self
            .event
            .ok_or_else(|| unexpected(span, "a running total or pick with no event in view"))?;
        let index = self
            .contract
            .symbols
            .running
            .iter()
            .position(|r| r.span == span)
            .ok_or_else(|| unexpected(span, "a running total or pick not resolved"))?;
        match event.running(index) {
            Some(Looked::Value(value)) => Ok((event, Some(value.clone()))),
            Some(Looked::Nothing) => Ok((event, None)),
            Some(Looked::Unknown(failed)) => Err((**failed).clone()),
            None => Err(unexpected(span, "a running total or pick not worked out")),
        }
    }

    /// What a pick's `otherwise` gives: a bare name that is no field is
    /// a member of the picked field's category, as the checker resolved it.
    fn otherwise_value(&self, otherwise: &Expr, field: &FieldRef) -> Result<Val, Diagnostic> {
        let category = self
            .contract
            .event_type_named(&field.event.node)
            .and_then(|id| self.contract.event_type(id))
            .and_then(|decl| decl.fields.iter().find(|f| f.name.node == field.field.node))
            .and_then(|f| f.ty.node.named())
            .and_then(|name| self.contract.symbols.categories.get(name).copied());
        match category {
            // `compared` reads only the category of the value it is given.
            Some(category) => self.compared(
                otherwise,
                &Val::Member {
                    category,
                    member: 0,
                },
            ),
            None => self.value(otherwise),
        }
    }

    fn equal(&self, a: &Val, b: &Val, span: Span) -> Result<bool, Diagnostic> {
        match (a, b) {
            (Val::Money(_), Val::Money(_)) => {
                same_currency(a, b, span)?;
                Ok(amount(a) == amount(b))
            }
            _ => match (amount(a), amount(b)) {
                (Some(x), Some(y)) => Ok(x == y),
                _ => Ok(a == b),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::eval::Decoder;
    use crate::{Limits, SourceFile};

    fn contract(text: &str) -> Checked {
        let outcome = crate::check_source(&SourceFile::new("t", text), &Limits::default());
        outcome.checked.expect("checks")
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// The amount the first payment of a clause comes to for one event, and
    /// whether the rule's event filter holds.
    fn owed(contract: &Checked, clause: &str, event_json: &str) -> (Val, bool) {
        let (events, diagnostics) = Decoder::new(contract).json(&format!("[{event_json}]"));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let event = &events[0];
        let clause = contract
            .file
            .clauses
            .iter()
            .find(|c| c.number.node.to_string() == clause)
            .unwrap();
        let Statement::Pay(pay) = &clause.statements[0] else {
            panic!("not a payment")
        };
        let context = Context {
            contract,
            event: Some(event),
            totals: None,
            balances: None,
            working: None,
        };
        let applies = match &pay.recurrence {
            Some(Recurrence::EachEvent(pattern)) => pattern
                .filter
                .as_ref()
                .is_none_or(|f| context.holds(f).unwrap()),
            _ => true,
        };
        (context.value(&pay.amount).unwrap(), applies)
    }

    fn money(code: &[u8; 3], amount: &str) -> Val {
        Val::Money(Money {
            currency: Currency(*code),
            amount: d(amount),
        })
    }

    #[test]
    fn late_delivery_penalty_per_full_two_days_capped() {
        let c = contract(include_str!("../../examples/late-delivery.proviso"));
        let delivery = |date: &str| {
            format!(
                r#"{{"type": "deliver", "date": "{date}", "by": "supplier", "order": "PO-1",
                   "price": "EUR 80,000.00", "due_date": "2026-03-02", "force_majeure": false}}"#
            )
        };
        // 5 days late: 2 full periods of 2 days, 2 × 10.5% = 21% of 80,000 = 16,800.
        assert_eq!(
            owed(&c, "7.1", &delivery("2026-03-07")),
            (money(b"EUR", "16800.000"), true)
        );
        // 1 day late: no full period, nothing owed, though the rule applies.
        assert_eq!(
            owed(&c, "7.1", &delivery("2026-03-03")).0,
            money(b"EUR", "0.000")
        );
        // 12 days late: 6 × 10.5% = 63%, capped at 55% of 80,000 = 44,000.
        assert_eq!(
            owed(&c, "7.1", &delivery("2026-03-14")).0,
            money(b"EUR", "44000.00")
        );
        // On time: the `where date > due_date` filter does not hold.
        assert!(!owed(&c, "7.1", &delivery("2026-03-02")).1);
    }

    #[test]
    fn service_credits_count_started_steps() {
        let c = contract(include_str!("../../examples/service-credits.proviso"));
        let report = |uptime: &str| {
            format!(
                r#"{{"type": "report_uptime", "date": "2026-02-01", "by": "provider",
                   "monthly_fee": "EUR 10,000.00", "uptime": "{uptime}"}}"#
            )
        };
        // 99.75%: 0.15 points short, 2 started steps of 0.1, 2 × 10% = 20% of 10,000.
        assert_eq!(
            owed(&c, "9.2", &report("99.75%")),
            (money(b"EUR", "2000.0000"), true)
        );
        // 99.8%: exactly one step short.
        assert_eq!(
            owed(&c, "9.2", &report("99.8%")).0,
            money(b"EUR", "1000.0000")
        );
        // 98%: 19 steps, 190%, capped at 50% of 10,000.
        assert_eq!(owed(&c, "9.2", &report("98%")).0, money(b"EUR", "5000.00"));
        // 99.9% is not below 99.9%.
        assert!(!owed(&c, "9.2", &report("99.9%")).1);
    }

    #[test]
    fn volume_discount_tiers_include_their_bounds() {
        let c = contract(include_str!("../../examples/volume-discount.proviso"));
        let order = |units: u32| {
            format!(
                r#"{{"type": "order", "date": "2026-04-01", "by": "buyer", "units": {units},
                   "list_value": "GBP 100,000.00"}}"#
            )
        };
        // Exactly 10,000 units: the first tier (through 10,000) gives 0%.
        assert_eq!(
            owed(&c, "3", &order(10_000)).0,
            money(b"GBP", "100000.0000")
        );
        // One more unit: 5% off, 95,000.
        assert_eq!(owed(&c, "3", &order(10_001)).0, money(b"GBP", "95000.0000"));
        // Exactly 50,000 is still in the 5% tier; 50,001 gets 10%.
        assert_eq!(owed(&c, "3", &order(50_000)).0, money(b"GBP", "95000.0000"));
        assert_eq!(owed(&c, "3", &order(50_001)).0, money(b"GBP", "90000.0000"));
    }

    /// A contract whose clause 1 pays `AMOUNT` on each `sale`, an event with
    /// an amount, a count and two bounds.
    fn tiered(amount: &str) -> Checked {
        contract(&format!(
            r#"contract "Tiers" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party seller "Seller"
party agent "Agent"
event sale by party {{ amount: money, units: count, low: money, high: money }}
event payment by party {{ to: party, amount: money }}
clause 1 "Commission"
  seller must pay agent {amount} on each sale due 30 days after the event
"#
        ))
    }

    fn sale(amount: &str, units: u32) -> String {
        format!(
            r#"{{"type": "sale", "date": "2026-02-01", "by": "seller", "amount": "{amount}",
               "units": {units}, "low": "USD 100.00", "high": "USD 200.00"}}"#
        )
    }

    /// The problem working out clause 1's amount for one event gives.
    fn amount_error(contract: &Checked, event_json: &str) -> Diagnostic {
        let (events, _) = Decoder::new(contract).json(&format!("[{event_json}]"));
        let Statement::Pay(pay) = &contract.file.clauses[0].statements[0] else {
            panic!("not a payment")
        };
        let context = Context {
            contract,
            event: Some(&events[0]),
            totals: None,
            balances: None,
            working: None,
        };
        context.value(&pay.amount).unwrap_err()
    }

    #[test]
    fn below_stops_a_band_short_of_its_bound_and_from_starts_one_on_it() {
        let c = tiered(
            "(tiers of sale.amount (below USD 1,000,000: 3%, from USD 1,000,000: 2.9%)) of sale.amount",
        );
        // 999,999.995 is below 1,000,000: 3% of it = 29,999.99985.
        assert_eq!(
            owed(&c, "1", &sale("USD 999,999.995", 1)).0,
            money(b"USD", "29999.99985")
        );
        // Exactly 1,000,000: `from` includes it, 2.9% = 29,000.
        assert_eq!(
            owed(&c, "1", &sale("USD 1,000,000.00", 1)).0,
            money(b"USD", "29000.0000")
        );
    }

    #[test]
    fn over_leaves_its_bound_to_the_band_before() {
        let c = tiered(
            "(tiers of sale.amount (from USD 0 through USD 100: 1%, over USD 100: 2%)) of sale.amount",
        );
        // 100 is through 100: 1% = 1.00; 100.01 is over 100: 2% = 2.0002.
        assert_eq!(
            owed(&c, "1", &sale("USD 100.00", 1)).0,
            money(b"USD", "1.0000")
        );
        assert_eq!(
            owed(&c, "1", &sale("USD 100.01", 1)).0,
            money(b"USD", "2.0002")
        );
    }

    #[test]
    fn a_value_below_the_first_band_is_a_diagnostic() {
        let c = tiered("(tiers of sale.amount (from USD 100: 1%)) of sale.amount");
        let problem = amount_error(&c, &sale("USD 50.00", 1));
        assert_eq!(problem.code, Code::TierGap);
        assert_eq!(
            problem.message,
            "USD 50.00 falls in no band: the first band starts from USD 100.00"
        );
    }

    #[test]
    fn bounds_from_fields_are_held_to_the_same_layout() {
        // low = 100, high = 200: `through sale.low` then `from sale.high`
        // leaves 100 to 200 out.
        let c = tiered(
            "(tiers of sale.amount (through sale.low: 1%, from sale.high: 2%)) of sale.amount",
        );
        let problem = amount_error(&c, &sale("USD 150.00", 1));
        assert_eq!(problem.code, Code::TierGap);
        assert_eq!(
            problem.message,
            "with this event's values, the tier bands leave the values between USD 100.00 and USD 200.00 in no band"
        );
        // Meeting exactly, they work as written bounds do.
        let c = tiered(
            "(tiers of sale.amount (through sale.low: 1%, over sale.low through sale.high: 2%, above: 3%)) of sale.amount",
        );
        assert_eq!(
            owed(&c, "1", &sale("USD 150.00", 1)).0,
            money(b"USD", "3.0000")
        );
    }

    #[test]
    fn marginal_tiers_apply_each_rate_to_its_part() {
        let c = tiered(
            "marginal tiers of sale.amount (up to USD 1,000,000: 3%, over USD 1,000,000 up to USD 5,000,000: 2.9%, above: 2.5%)",
        );
        // 3% × 1,000,000 + 2.9% × 4,000,000 + 2.5% × 1,500,000
        // = 30,000 + 116,000 + 37,500 = 183,500.
        assert_eq!(
            owed(&c, "1", &sale("USD 6,500,000.00", 1)).0,
            money(b"USD", "183500")
        );
        // Nothing: nothing owed.
        assert_eq!(owed(&c, "1", &sale("USD 0.00", 1)).0, money(b"USD", "0"));
        // Per unit: 1,000 × 2.00 + 500 × 1.50 = 2,750.
        let c = tiered("marginal tiers of sale.units (through 1,000: USD 2.00, above: USD 1.50)");
        assert_eq!(
            owed(&c, "1", &sale("USD 0.00", 1500)).0,
            money(b"USD", "2750")
        );
        // A first band that starts above zero counts from its start:
        // 10% of (250 - 100) = 15; a value below its start gives nothing.
        let c = tiered("marginal tiers of sale.amount (from USD 100: 10%)");
        assert_eq!(owed(&c, "1", &sale("USD 250.00", 1)).0, money(b"USD", "15"));
        assert_eq!(owed(&c, "1", &sale("USD 50.00", 1)).0, money(b"USD", "0"));
    }

    #[test]
    fn instalment_interest_rounds_half_up_to_cents() {
        // Interest on a balance given by the lender's statement.
        let c = contract(
            r#"contract "Equipment loan"
  effective 2026-01-15
  term through 2026-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment
party lender
party borrower
event instalment_due by party { principal: money, balance: money }
event payment by party { to: party, amount: money }
clause 5 "Repayment with interest"
  borrower must pay lender
    instalment_due.principal + (1.25% of instalment_due.balance rounded half-up to 0.01)
    on each instalment_due by lender
    due 10 days after the event
"#,
        );
        let statement = |balance: &str| {
            format!(
                r#"{{"type": "instalment_due", "date": "2026-02-15", "by": "lender",
                   "principal": "USD 1,000.00", "balance": "{balance}"}}"#
            )
        };
        // 1.25% of 12,345.67 = 154.320875 → 154.32; plus 1,000.00.
        assert_eq!(
            owed(&c, "5", &statement("USD 12,345.67")).0,
            money(b"USD", "1154.32")
        );
        // 1.25% of 10,000.40 = 125.005, exactly half a cent: half-up gives 125.01.
        assert_eq!(
            owed(&c, "5", &statement("USD 10,000.40")).0,
            money(b"USD", "1125.01")
        );
    }

    #[test]
    fn rounding_modes_on_halves() {
        let s = Span::default();
        let cent = d("0.01");
        let cases = [
            (RoundingMode::HalfUp, "2.345", "2.35"),
            (RoundingMode::HalfEven, "2.345", "2.34"),
            (RoundingMode::HalfEven, "2.355", "2.36"),
            (RoundingMode::HalfDown, "2.345", "2.34"),
            (RoundingMode::Up, "2.341", "2.35"),
            (RoundingMode::Down, "2.349", "2.34"),
            (RoundingMode::Ceiling, "-2.341", "-2.34"),
            (RoundingMode::Floor, "-2.341", "-2.35"),
            (RoundingMode::HalfUp, "-2.345", "-2.35"),
        ];
        for (mode, value, expected) in cases {
            assert_eq!(
                round_to(d(value), cent, mode, s).unwrap(),
                d(expected),
                "{mode:?} {value}"
            );
        }
        // To a unit other than a power of ten: 1,234 to the nearest 5 (half-up) is 1,235.
        assert_eq!(
            round_to(d("1232.5"), d("5"), RoundingMode::HalfUp, s).unwrap(),
            d("1235")
        );
    }

    #[test]
    fn rounding_follows_the_table_of_the_language_guide() {
        // docs/language.md, "Rounding": every mode on 2.345, 2.355, 2.341,
        // -2.345 and -2.341, to 0.01.
        let s = Span::default();
        let values = ["2.345", "2.355", "2.341", "-2.345", "-2.341"];
        let table = [
            (
                RoundingMode::HalfUp,
                ["2.35", "2.36", "2.34", "-2.35", "-2.34"],
            ),
            (
                RoundingMode::HalfEven,
                ["2.34", "2.36", "2.34", "-2.34", "-2.34"],
            ),
            (
                RoundingMode::HalfDown,
                ["2.34", "2.35", "2.34", "-2.34", "-2.34"],
            ),
            (RoundingMode::Up, ["2.35", "2.36", "2.35", "-2.35", "-2.35"]),
            (
                RoundingMode::Down,
                ["2.34", "2.35", "2.34", "-2.34", "-2.34"],
            ),
            (
                RoundingMode::Ceiling,
                ["2.35", "2.36", "2.35", "-2.34", "-2.34"],
            ),
            (
                RoundingMode::Floor,
                ["2.34", "2.35", "2.34", "-2.35", "-2.35"],
            ),
        ];
        for (mode, expected) in table {
            for (value, want) in values.iter().zip(expected) {
                let got = round_to(d(value), d("0.01"), mode, s).unwrap();
                // Written with the unit's two places, not the value's three.
                assert_eq!(got.to_string(), want, "{mode:?} {value}");
            }
        }
        // Half-even to a unit of 0.05 counts units: 0.075 lies between one
        // unit (odd) and two (even), so it goes to 0.10; 0.125 between two
        // and three, so it stays at 0.10.
        assert_eq!(
            round_to(d("0.075"), d("0.05"), RoundingMode::HalfEven, s)
                .unwrap()
                .to_string(),
            "0.10"
        );
        assert_eq!(
            round_to(d("0.125"), d("0.05"), RoundingMode::HalfEven, s)
                .unwrap()
                .to_string(),
            "0.10"
        );
    }

    #[test]
    fn amounts_too_large_to_count_in_cents_are_still_rounded_exactly() {
        let s = Span::default();
        // 79,000,000,000,000,000,000,000,000,000 has 29 digits: in cents it
        // would need 31, more than a Decimal holds. It is a whole amount,
        // so rounding to the cent leaves it as it is.
        let huge = d("79000000000000000000000000000");
        assert_eq!(
            round_to(huge, d("0.01"), RoundingMode::HalfUp, s).unwrap(),
            huge
        );
        // 790,000,000,000,000,000,000,000,000.4 to the cent: unchanged
        // (28 digits, already within a cent); to 1: down to ...000.
        let near = d("790000000000000000000000000.4");
        assert_eq!(
            round_to(near, d("0.01"), RoundingMode::HalfUp, s).unwrap(),
            near
        );
        assert_eq!(
            round_to(near, d("1"), RoundingMode::HalfUp, s).unwrap(),
            d("790000000000000000000000000")
        );
        // The largest value: down to thousands is ...950,000; up to
        // thousands is past the largest value, and overflows.
        let max = Decimal::MAX;
        assert_eq!(
            round_to(max, d("1000"), RoundingMode::Down, s).unwrap(),
            d("79228162514264337593543950000")
        );
        let up = round_to(max, d("1000"), RoundingMode::Up, s).unwrap_err();
        assert_eq!(up.code, Code::ArithmeticOverflow);
    }

    #[test]
    fn overflow_is_a_diagnostic() {
        let c = contract(
            "contract \"T\" effective 2026-01-01 term through 2026-12-31 settlement by payment
             party a party b
             event payment by party { to: party, amount: money }
             clause 1 \"Huge\"
               a must pay b payment.amount * 79,000,000,000,000,000,000,000,000,000 on each payment",
        );
        let (events, _) = Decoder::new(&c).json(
            r#"[{"type": "payment", "date": "2026-01-02", "by": "a", "to": "b", "amount": "USD 1,000"}]"#,
        );
        let Statement::Pay(pay) = &c.file.clauses[0].statements[0] else {
            panic!()
        };
        let context = Context {
            contract: &c,
            event: Some(&events[0]),
            totals: None,
            balances: None,
            working: None,
        };
        let error = context.value(&pay.amount).unwrap_err();
        assert_eq!(error.code, Code::ArithmeticOverflow);
    }
}
