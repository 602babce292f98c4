//! The kinds of values and the rules that combine them.
//!
//! Money carries its currency when it is known from a literal; money read
//! from an event field has its currency checked when events arrive. A value
//! whose type could not be worked out (after an error already reported) is
//! [`Ty::Unknown`] and agrees with everything, so one mistake gives one
//! diagnostic.

use std::fmt;

use rust_decimal::Decimal;

use super::Checker;
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic, closest};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Money; the currency when known.
    Money(Option<Currency>),
    Percent,
    Number,
    /// A number of days (`30 days`, `2 weeks`, `days from A to B`).
    Days,
    /// A number of months (`1 month`, `2 years`). Months and days are never
    /// mixed: a month is not a fixed number of days.
    Months,
    Date,
    Bool,
    Text,
    Party,
    Category(String),
    Period(String),
    Unknown,
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Money(Some(c)) => write!(f, "money in {c}"),
            Ty::Money(None) => f.write_str("money"),
            Ty::Percent => f.write_str("a percentage"),
            Ty::Number => f.write_str("a number"),
            Ty::Days => f.write_str("a number of days"),
            Ty::Months => f.write_str("a number of months"),
            Ty::Date => f.write_str("a date"),
            Ty::Bool => f.write_str("yes or no"),
            Ty::Text => f.write_str("text"),
            Ty::Party => f.write_str("a party"),
            Ty::Category(c) => write!(f, "a `{c}`"),
            Ty::Period(p) => write!(f, "a `{p}`"),
            Ty::Unknown => f.write_str("a value"),
        }
    }
}

impl Ty {
    fn is_numeric(&self) -> bool {
        matches!(
            self,
            Ty::Money(_) | Ty::Percent | Ty::Number | Ty::Days | Ty::Months | Ty::Unknown
        )
    }

    fn is_ordered(&self) -> bool {
        self.is_numeric() || matches!(self, Ty::Date)
    }
}

/// What names mean where an expression or condition stands.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    /// The event whose fields bare names and `event.field` refer to.
    pub event: Option<&'a EventDecl>,
    /// Whether some event is in view even where `event` is not known: in
    /// a definition's body that counts back from one (`total ... in the
    /// same month`), which may be used about any kind of event.
    pub any_event: bool,
    /// Whether `total event.field` is allowed (in per-period obligations).
    pub totals: bool,
    /// The period whose definitions `for each` it may use.
    pub period: PeriodView,
    /// Which accounts' balances may be used.
    pub balances: Balances<'a>,
}

/// Where a definition worked out `for each` period may be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodView {
    /// In a payment made for each such period: the period's events.
    Of(crate::model::PeriodInfo),
    /// In another definition's body: its uses decide.
    Any,
    /// Elsewhere: only where an event is in view, the period so far.
    None,
}

/// Where `balance of ACCOUNT` may be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Balances<'a> {
    /// Nowhere: conditions, milestones, commitments, due dates.
    Refused,
    /// Any account's, at the moment the payment gives, or as of a day.
    Any,
    /// Only this account's, as it stands before the movement: in its own
    /// movements.
    Own(&'a str),
}

impl<'a> Scope<'a> {
    pub fn none() -> Self {
        Scope {
            event: None,
            any_event: false,
            totals: false,
            period: PeriodView::None,
            balances: Balances::Refused,
        }
    }

    pub fn event(decl: &'a EventDecl) -> Self {
        Scope {
            event: Some(decl),
            any_event: false,
            totals: false,
            period: PeriodView::None,
            balances: Balances::Refused,
        }
    }
}

/// `count ticket where late > 2` as it was meant: `(count ticket where
/// late) > 2`, when the aggregate's condition ends in a comparison (alone,
/// or the last of an `and`).
fn bracketed_comparison(expr: &Expr) -> Option<String> {
    let (aggregate, _) = expr.aggregate()?;
    let filter = aggregate.filter()?;
    let (kept, compared): (Vec<&Condition>, &Condition) = match &filter.kind {
        ConditionKind::All(parts) => {
            let (last, rest) = parts.split_last()?;
            (rest.iter().collect(), last)
        }
        ConditionKind::Compare { .. } => (Vec::new(), filter),
        ConditionKind::Any(_)
        | ConditionKind::Not(_)
        | ConditionKind::Test(_)
        | ConditionKind::Earlier(_) => return None,
    };
    let ConditionKind::Compare { left, op, right } = &compared.kind else {
        return None;
    };
    let [right] = right.as_slice() else {
        return None;
    };
    let written = crate::syntax::one_line::expr(expr);
    let head = written.split(" where ").next()?;
    let mut own: Vec<String> = kept
        .iter()
        .map(|c| crate::syntax::one_line::condition(c))
        .collect();
    own.push(crate::syntax::one_line::expr(left));
    Some(format!(
        "({head} where {}) {} {}",
        own.join(" and "),
        op.node.as_str(),
        crate::syntax::one_line::expr(right)
    ))
}

/// Whether an expression is a literal zero, for division checks.
fn literal_zero(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Number(n) | ExprKind::Percent(n) => n.is_zero(),
        ExprKind::Money(m) => m.amount.is_zero(),
        ExprKind::Duration(Duration::Days(0) | Duration::Months(0)) => true,
        _ => false,
    }
}

/// The value of a literal bound, for ordering tiers.
pub(super) fn literal_value(expr: &Expr) -> Option<Decimal> {
    expr.literal_value()
}

/// The diagnostic for a problem with the layout of a tier table, pointing at
/// the bounds concerned.
fn tier_problem(problem: crate::tiers::Problem, tiers: &[Tier]) -> Option<Diagnostic> {
    use crate::tiers::Problem;
    let text = |e: &Expr| crate::syntax::one_line::expr(e);
    Some(match problem {
        Problem::AfterOpenBand { band } => {
            let tier = tiers.get(band)?;
            let before = tiers.get(band.checked_sub(1)?)?;
            let above = before.lower.is_none();
            Diagnostic::error(
                Code::InvalidTiers,
                if above {
                    "a tier follows the `above` tier".to_string()
                } else {
                    "a tier follows a band with no upper end".to_string()
                },
                tier.span,
                "never reached",
            )
            .with_help(if above {
                "`above` covers everything past the last bound, so it must come last"
            } else {
                "a band with no upper end covers everything past its start, so it must come last; give it an end with `below`, `through` or `up to`"
            })
        }
        Problem::NoTopBand { band } => {
            let tier = tiers.get(band)?;
            let last = tier.upper.as_ref().map_or(tier.span, |b| b.value.span);
            Diagnostic::error(
                Code::InvalidTiers,
                "the tiers do not say what applies above the last bound",
                last,
                "nothing covers values above this",
            )
            .with_help("end the tiers with `above: VALUE`")
        }
        Problem::Empty {
            band,
            lower_written: false,
        } => {
            let tier = tiers.get(band)?;
            let bound = tier.upper.as_ref()?;
            let mut diagnostic = Diagnostic::error(
                Code::InvalidTiers,
                "tier bounds must rise",
                bound.value.span,
                "this bound is not above the one before",
            )
            .with_help("list tiers from the lowest bound to the highest");
            if let Some(previous) = band
                .checked_sub(1)
                .and_then(|b| tiers.get(b))
                .and_then(|t| t.upper.as_ref())
            {
                diagnostic = diagnostic.with_related(previous.value.span, "previous bound");
            }
            diagnostic
        }
        Problem::Empty {
            band,
            lower_written: true,
        } => {
            let tier = tiers.get(band)?;
            let lower = tier.lower.as_ref()?;
            let mut diagnostic = Diagnostic::error(
                Code::InvalidTiers,
                "this band has nothing in it",
                lower.value.span,
                "the band starts here, at or above where it stops",
            )
            .with_help("a band's lower end (`from`, `over`) must be below its upper end (`below`, `through`, `up to`)");
            // Where it stops: its own upper end, or the next band's start.
            let stop = match &tier.upper {
                Some(upper) => Some(upper.value.span),
                None => tiers
                    .get(band + 1)
                    .and_then(|next| next.lower.as_ref())
                    .map(|next| next.value.span),
            };
            if let Some(stop) = stop {
                diagnostic = diagnostic.with_related(stop, "where it stops");
            }
            diagnostic
        }
        Problem::Gap { band } | Problem::Overlap { band } => {
            let tier = tiers.get(band)?;
            let before = tiers.get(band.checked_sub(1)?)?.upper.as_ref()?;
            let lower = tier.lower.as_ref()?;
            let (stop, start) = (text(&before.value), text(&lower.value));
            let gap = matches!(problem, Problem::Gap { .. });
            let range = |low: &str, low_in: bool, high: &str, high_in: bool| {
                format!(
                    "values {} {low} {} {high}",
                    if low_in { "from" } else { "over" },
                    if high_in {
                        "up to and including"
                    } else {
                        "and below"
                    },
                )
            };
            let (stop_in, start_in) = (before.kind.includes_bound(), lower.kind.includes_bound());
            let message = match (gap, stop == start) {
                (true, true) => format!("{stop} itself falls in no band"),
                (true, false) => format!(
                    "{} fall in no band",
                    range(&stop, !stop_in, &start, !start_in)
                ),
                (false, true) => format!("{stop} falls in two bands"),
                (false, false) => format!(
                    "{} fall in two bands",
                    range(&start, start_in, &stop, stop_in)
                ),
            };
            // The band starts exactly where the one before stops.
            let closing = format!(
                "{} {stop}",
                if before.kind.includes_bound() {
                    "over"
                } else {
                    "from"
                }
            );
            Diagnostic::error(
                if gap { Code::TierGap } else { Code::TierOverlap },
                message,
                tier.span,
                if gap {
                    "this band starts after the one before stops"
                } else {
                    "this band starts before the one before stops"
                },
            )
            .with_related(before.value.span, "the band before stops here")
            .with_help(format!(
                "start this band with `{closing}`, or leave its lower end out: a band with none starts where the one before stops"
            ))
        }
    })
}

impl<'a> Checker<'a> {
    pub(crate) fn mismatch(
        &mut self,
        span: Span,
        expected: &str,
        found: &Ty,
        help: Option<String>,
    ) -> Ty {
        let mut diagnostic = Diagnostic::error(
            Code::TypeMismatch,
            format!("expected {expected}, found {found}"),
            span,
            format!("this is {found}"),
        );
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.report(diagnostic);
        Ty::Unknown
    }

    /// The common type of two values that must agree (both sides of `+`,
    /// a value and its cap ...), reporting when they do not.
    fn unify(&mut self, left: Ty, right: Ty, right_span: Span, left_span: Span) -> Ty {
        self.agree(left, right, right_span, left_span, false)
    }

    /// As [`Self::unify`]; `comparing` says the two are being compared
    /// rather than combined, which changes the advice.
    pub(super) fn agree(
        &mut self,
        left: Ty,
        right: Ty,
        right_span: Span,
        left_span: Span,
        comparing: bool,
    ) -> Ty {
        match (&left, &right) {
            (Ty::Unknown, _) => right,
            (_, Ty::Unknown) => left,
            (Ty::Money(a), Ty::Money(b)) => match (a, b) {
                (Some(x), Some(y)) if x != y => {
                    self.report(
                        Diagnostic::error(
                            Code::MixedCurrencies,
                            if comparing {
                                format!("cannot compare {x} with {y}")
                            } else {
                                format!("cannot combine {x} and {y} in one computation")
                            },
                            right_span,
                            format!("this amount is in {y}"),
                        )
                        .with_related(left_span, format!("this amount is in {x}"))
                        .with_help(
                            "proviso converts only where the contract says: state both amounts in one currency, or convert one (`converted to USD at RATE`)",
                        ),
                    );
                    Ty::Unknown
                }
                (Some(x), _) | (_, Some(x)) => Ty::Money(Some(*x)),
                _ => Ty::Money(None),
            },
            (a, b) if a == b => left,
            _ => {
                let help = match (&left, &right) {
                    (Ty::Days, Ty::Months) | (Ty::Months, Ty::Days) => Some(
                        "a month is not a fixed number of days: compare or combine days with days (`30 days`, `2 weeks`) and months with months (`3 months`, `1 year`)"
                            .to_string(),
                    ),
                    _ if comparing => Some(
                        "compare like with like: an amount with an amount (`USD 1,000`), a percentage with a percentage (`20%`), a date with a date"
                            .to_string(),
                    ),
                    (Ty::Money(_), Ty::Percent) | (Ty::Percent, Ty::Money(_)) => Some(
                        "to take a share of an amount, write `20% of amount`; a cap on an amount is written `capped at 55% of amount`"
                            .to_string(),
                    ),
                    _ => None,
                };
                self.mismatch(right_span, &left.to_string(), &right, help)
            }
        }
    }

    /// Checks an expression and returns its type.
    pub fn check_expr(&mut self, expr: &Expr, scope: &Scope<'a>) -> Ty {
        match &expr.kind {
            ExprKind::Invalid => Ty::Unknown,
            ExprKind::Money(m) => Ty::Money(Some(m.currency)),
            ExprKind::Percent(_) => Ty::Percent,
            ExprKind::Number(_) => Ty::Number,
            ExprKind::Duration(Duration::Days(_)) => Ty::Days,
            ExprKind::Duration(Duration::Months(_)) => Ty::Months,
            ExprKind::Date(_) => Ty::Date,
            ExprKind::Bool(_) => Ty::Bool,
            ExprKind::Text(_) => Ty::Text,
            ExprKind::Name(name) => {
                self.check_bare_name(&Spanned::new(name.clone(), expr.span), scope)
            }
            ExprKind::Field(field) => self.check_field(field, scope),
            ExprKind::Balance { account, as_of } => {
                self.check_balance(account, as_of.as_ref(), expr.span, scope)
            }
            ExprKind::Total {
                field,
                filter,
                stretch: None,
            } => self.check_total(field, filter.as_deref(), expr.span, scope),
            ExprKind::Count {
                event,
                by,
                filter,
                stretch: None,
            } => self.check_count(event, by.as_ref(), filter.as_deref(), expr.span, scope),
            ExprKind::Total {
                stretch: Some(stretch),
                ..
            }
            | ExprKind::Count {
                stretch: Some(stretch),
                ..
            } => self.check_running_total(expr, stretch, scope),
            ExprKind::Pick(pick) => self.check_pick(expr, pick, scope),
            ExprKind::Negate(inner) => {
                let ty = self.check_expr(inner, scope);
                if !ty.is_numeric() {
                    return self.mismatch(inner.span, "a number or an amount", &ty, None);
                }
                ty
            }
            ExprKind::Chain { first, rest } => {
                let mut acc = self.check_expr(first, scope);
                let mut acc_span = first.span;
                for (op, operand) in rest {
                    let right = self.check_expr(operand, scope);
                    acc = self.arith(op, acc, acc_span, right, operand);
                    acc_span = acc_span.to(operand.span);
                }
                acc
            }
            ExprKind::Of { share, base } => {
                let share_ty = self.check_expr(share, scope);
                let base_ty = self.check_expr(base, scope);
                if !matches!(share_ty, Ty::Percent | Ty::Unknown) {
                    let help = match share_ty {
                        Ty::Money(_) => Some(
                            "`of` takes a share: write a percentage before it, such as `20% of revenue`".to_string(),
                        ),
                        Ty::Number => Some("write the share as a percentage, such as `20%`".to_string()),
                        _ => None,
                    };
                    return self.mismatch(share.span, "a percentage", &share_ty, help);
                }
                match base_ty {
                    Ty::Money(_)
                    | Ty::Number
                    | Ty::Percent
                    | Ty::Days
                    | Ty::Months
                    | Ty::Unknown => base_ty,
                    other => self.mismatch(
                        base.span,
                        "an amount, a number or a percentage",
                        &other,
                        None,
                    ),
                }
            }
            ExprKind::CappedAt { value, cap } => {
                let v = self.check_expr(value, scope);
                let c = self.check_expr(cap, scope);
                self.numeric(&v, value.span);
                self.unify(v, c, cap.span, value.span)
            }
            ExprKind::AtLeast { value, floor } => {
                let v = self.check_expr(value, scope);
                let c = self.check_expr(floor, scope);
                self.numeric(&v, value.span);
                self.unify(v, c, floor.span, value.span)
            }
            ExprKind::PerStep {
                value,
                step,
                measure,
                ..
            } => {
                let v = self.check_expr(value, scope);
                self.numeric(&v, value.span);
                let s = self.check_expr(step, scope);
                let m = self.check_expr(measure, scope);
                self.numeric(&s, step.span);
                self.unify(s, m, measure.span, step.span);
                if literal_zero(step) {
                    self.division_by_zero(
                        step.span,
                        "a step of zero would count infinitely many steps",
                    );
                }
                v
            }
            ExprKind::DaysBetween { start, end } => {
                for part in [start, end] {
                    let ty = self.check_expr(part, scope);
                    if !matches!(ty, Ty::Date | Ty::Unknown) {
                        self.mismatch(part.span, "a date", &ty, None);
                    }
                }
                Ty::Days
            }
            ExprKind::Tiers {
                mode,
                subject,
                tiers,
            } => self.check_tiers(*mode, subject, tiers, scope),
            ExprKind::Rounded { value, .. } => {
                let v = self.check_expr(value, scope);
                self.numeric(&v, value.span);
                v
            }
            ExprKind::Converted {
                value,
                currency,
                rate,
            } => {
                let v = self.check_expr(value, scope);
                if !matches!(v, Ty::Money(_) | Ty::Unknown) {
                    self.mismatch(
                        value.span,
                        "an amount of money",
                        &v,
                        Some("only money is converted from one currency to another".to_string()),
                    );
                }
                let r = self.check_expr(rate, scope);
                if !matches!(r, Ty::Number | Ty::Unknown) {
                    self.mismatch(
                        rate.span,
                        "a number",
                        &r,
                        Some(format!(
                            "a rate is how many {} one unit of the other currency is worth, written as a number such as `1.0850`",
                            currency.node
                        )),
                    );
                }
                if let Some(written) = literal_value(rate)
                    && written <= Decimal::ZERO
                {
                    self.report(
                        Diagnostic::error(
                            Code::InvalidRate,
                            "a conversion rate must be more than zero",
                            rate.span,
                            "at this rate every amount comes to nothing or less",
                        )
                        .with_help(format!(
                            "write how many {} one unit of the other currency is worth, such as `1.0850`",
                            currency.node
                        )),
                    );
                }
                if let Ty::Money(Some(from)) = v
                    && from == currency.node
                {
                    self.report(
                        Diagnostic::error(
                            Code::InvalidRate,
                            format!("the amount is in {from} already"),
                            currency.span,
                            "converted to the currency it is in",
                        )
                        .with_related(value.span, format!("in {from}")),
                    );
                }
                Ty::Money(Some(currency.node))
            }
        }
    }

    fn numeric(&mut self, ty: &Ty, span: Span) {
        if !ty.is_numeric() {
            self.mismatch(
                span,
                "a number, a percentage, a duration or an amount",
                ty,
                None,
            );
        }
    }

    fn division_by_zero(&mut self, span: Span, why: &str) {
        self.report(
            Diagnostic::error(
                Code::DivisionByZero,
                "division by zero",
                span,
                why.to_string(),
            )
            .with_help("use a value other than zero"),
        );
    }

    fn arith(
        &mut self,
        op: &Spanned<ArithOp>,
        left: Ty,
        left_span: Span,
        right: Ty,
        right_expr: &Expr,
    ) -> Ty {
        use Ty::*;
        let right_span = right_expr.span;
        if left == Unknown || right == Unknown {
            return Unknown;
        }
        // Blame the side that cannot take part in arithmetic at all.
        if !left.is_numeric() && left != Date {
            return self.mismatch(
                left_span,
                &format!("a number or an amount (for `{}`)", op.node.symbol()),
                &left,
                None,
            );
        }
        let symbol = op.node.symbol();
        match op.node {
            ArithOp::Add | ArithOp::Sub => match (&left, &right) {
                (Date, Days | Months) => Date,
                (Date, Date) if op.node == ArithOp::Sub => self.mismatch(
                    right_span,
                    "a duration",
                    &right,
                    Some(
                        "to count the days between two dates, write `days from earlier to later`"
                            .to_string(),
                    ),
                ),
                _ if left.is_numeric() => self.unify(left, right, right_span, left_span),
                _ => self.mismatch(
                    left_span,
                    &format!("a value that can be added (for `{symbol}`)"),
                    &left,
                    None,
                ),
            },
            ArithOp::Mul => match (&left, &right) {
                (Money(c), Number) | (Number, Money(c)) => Money(*c),
                // A rate per day times a number of days (or per month times months).
                (Money(c), Days | Months) | (Days | Months, Money(c)) => Money(*c),
                (Percent, Number) | (Number, Percent) => Percent,
                (Days, Number) | (Number, Days) => Days,
                (Months, Number) | (Number, Months) => Months,
                (Number, Number) => Number,
                (Percent, Money(_)) | (Money(_), Percent) => self.mismatch(
                    op.span,
                    "a number on one side of `*`",
                    &right,
                    Some("to take a share of an amount, write `20% of amount`".to_string()),
                ),
                _ => self.mismatch(right_span, "a number (to multiply by)", &right, None),
            },
            ArithOp::Div => {
                if literal_zero(right_expr) {
                    self.division_by_zero(right_span, "this divisor is zero");
                    return Unknown;
                }
                match (&left, &right) {
                    (Money(c), Number) => Money(*c),
                    (Money(_), Money(_)) => {
                        self.unify(left.clone(), right.clone(), right_span, left_span);
                        Number
                    }
                    (Percent, Number) => Percent,
                    (Percent, Percent) | (Number, Number) | (Days, Days) | (Months, Months) => {
                        Number
                    }
                    (Days, Number) => Days,
                    (Months, Number) => Months,
                    _ => self.mismatch(
                        right_span,
                        &format!("a number to divide {left} by"),
                        &right,
                        None,
                    ),
                }
            }
        }
    }

    /// Records a use of a declared field (`date`, `id`, `type` and `by`
    /// are every event's, declared nowhere).
    pub(crate) fn refer_field(&mut self, decl: &EventDecl, field: &Name) {
        if decl.fields.iter().any(|f| f.name.node == field.node) {
            self.refer(
                field.span,
                crate::model::Target::Field {
                    event: decl.name.node.as_str().into(),
                    field: field.node.as_str().into(),
                },
            );
        }
    }

    /// A bare name: a field of the event in scope, or a party.
    fn check_bare_name(&mut self, name: &Name, scope: &Scope<'a>) -> Ty {
        if let Some(decl) = scope.event
            && let Some(ty) = self.field_type(decl, &name.node)
        {
            self.refer_field(decl, name);
            return ty;
        }
        if let Some(ty) = self.use_definition(name, scope) {
            return ty;
        }
        if self.symbols.parties.contains_key(&name.node) {
            self.refer(
                name.span,
                crate::model::Target::Party(name.node.as_str().into()),
            );
            return Ty::Party;
        }
        if self.full() {
            return Ty::Unknown;
        }
        let mut candidates: Vec<String> = Vec::new();
        if let Some(decl) = scope.event {
            candidates.extend(decl.fields.iter().map(|f| f.name.node.clone()));
            candidates.push("date".to_string());
        }
        let help = match scope.event {
            Some(decl) => format!(
                "event `{}` has the fields {}",
                decl.name.node,
                field_list(decl)
            ),
            None => "here a name must be a party or a field written as `event.field`".to_string(),
        };
        let code = if scope.event.is_some() {
            Code::UnknownField
        } else {
            Code::UnknownName
        };
        let what = if scope.event.is_some() {
            "field"
        } else {
            "name"
        };
        self.unknown(code, what, name, candidates, help);
        Ty::Unknown
    }

    /// `event.field`: the event must be the one the rule is about.
    fn check_field(&mut self, field: &FieldRef, scope: &Scope<'a>) -> Ty {
        let Some(decl) = self.resolve_event(&field.event) else {
            return Ty::Unknown;
        };
        let Some(ty) = self.resolve_field(decl, &field.field) else {
            return Ty::Unknown;
        };
        match scope.event {
            Some(current) if current.name.node == decl.name.node => ty,
            _ if scope.totals => {
                self.report(
                    Diagnostic::error(
                        Code::TotalMisuse,
                        format!("`{}` has many values in a period", field_text(field)),
                        field.span,
                        "one value per event, and a period holds many events",
                    )
                    .with_help(format!(
                        "to add them up over the period, write `total {}`",
                        field_text(field)
                    )),
                );
                Ty::Unknown
            }
            Some(current) => {
                self.report(
                    Diagnostic::error(
                        Code::EventNotInScope,
                        format!("this rule is about `{}` events, not `{}`", current.name.node, decl.name.node),
                        field.event.span,
                        format!("`{}` is not the event this rule looks at", decl.name.node),
                    )
                    .with_help(format!(
                        "refer to the fields of `{}`, such as `{}.date`; to depend on another event, declare a milestone for it and use `from` or `until`",
                        current.name.node, current.name.node
                    )),
                );
                Ty::Unknown
            }
            None => {
                self.report(
                    Diagnostic::error(
                        Code::EventNotInScope,
                        format!("no `{}` event is in view here", decl.name.node),
                        field.span,
                        "this rule does not look at events",
                    )
                    .with_help(
                        "event fields can be used in a rule that runs `on each` event or `for each` period, and in `where` conditions",
                    ),
                );
                Ty::Unknown
            }
        }
    }

    /// `total event.field`: only in obligations that recur per period.
    fn check_total(
        &mut self,
        field: &FieldRef,
        filter: Option<&Condition>,
        span: Span,
        scope: &Scope<'a>,
    ) -> Ty {
        let Some(decl) = self.resolve_event(&field.event) else {
            return Ty::Unknown;
        };
        if let Some(filter) = filter {
            self.check_condition(filter, &Scope::event(decl));
        }
        let Some(ty) = self.resolve_field(decl, &field.field) else {
            return Ty::Unknown;
        };
        if !scope.totals {
            self.report(
                Diagnostic::error(
                    Code::TotalMisuse,
                    "`total` adds up a field over a period, but this rule has no period",
                    span,
                    "no period to add up over",
                )
                .with_help(if scope.event.is_some() || scope.any_event {
                    "to add up the events up to this one, write `total ... in the same month` (or `within the last 12 months`); in a payment, `for each quarter` adds up a period's instead; or drop `total` to use this event's value"
                } else {
                    "add `for each quarter` (or another period) to the obligation, or drop `total` to use one event's value"
                }),
            );
            return Ty::Unknown;
        }
        match ty {
            Ty::Money(_) | Ty::Number | Ty::Days | Ty::Months | Ty::Percent | Ty::Unknown => ty,
            other => self.mismatch(
                field.field.span,
                "a field that can be added up",
                &other,
                None,
            ),
        }
    }

    /// `count EVENT [by PARTY] [where ...]` over a period: how many of its
    /// events match.
    fn check_count(
        &mut self,
        event: &Name,
        by: Option<&Name>,
        filter: Option<&Condition>,
        span: Span,
        scope: &Scope<'a>,
    ) -> Ty {
        if !self.check_counted(event, by, filter) {
            return Ty::Unknown;
        }
        if !scope.totals {
            self.report(
                Diagnostic::error(
                    Code::TotalMisuse,
                    "`count` counts the events of a period, but this rule has no period",
                    span,
                    "no period to count over",
                )
                .with_help(
                    "add `for each month` (or another period) to the obligation, or write `count EVENT in the same month` to count back from the event in view",
                ),
            );
            return Ty::Unknown;
        }
        Ty::Number
    }

    /// The events a `count` counts: the kind, the party and the condition.
    /// Whether they are known.
    fn check_counted(
        &mut self,
        event: &Name,
        by: Option<&Name>,
        filter: Option<&Condition>,
    ) -> bool {
        let Some(decl) = self.resolve_event(event) else {
            return false;
        };
        if let Some(by) = by {
            if decl.has_actor {
                self.resolve_actor(by);
            } else {
                self.report(super::event_without_actor(
                    decl,
                    by.span.to(event.span),
                    "`by` needs an event that names a party".to_string(),
                ));
            }
        }
        if let Some(filter) = filter {
            self.check_condition(filter, &Scope::event(decl));
        }
        true
    }

    /// A running total or count, `total EVENT.FIELD in the same PERIOD`,
    /// `count EVENT within the last LENGTH`: what it adds up, counted back
    /// from an event in view.
    fn check_running_total(
        &mut self,
        expr: &Expr,
        stretch: &Spanned<Stretch>,
        scope: &Scope<'a>,
    ) -> Ty {
        let span = expr.span;
        let Some((aggregate, _)) = expr.aggregate() else {
            return Ty::Unknown;
        };
        // The condition first, so that a running total inside it is
        // worked out before this one (evaluation follows this order).
        let ty = match aggregate {
            Aggregate::Total { field, filter } => {
                let Some(decl) = self.resolve_event(&field.event) else {
                    return Ty::Unknown;
                };
                if let Some(filter) = filter {
                    self.check_condition(filter, &Scope::event(decl));
                }
                let Some(ty) = self.resolve_field(decl, &field.field) else {
                    return Ty::Unknown;
                };
                ty
            }
            Aggregate::Count { event, by, filter } => {
                if !self.check_counted(event, by, filter) {
                    return Ty::Unknown;
                }
                Ty::Number
            }
            // Checked by `check_pick`.
            Aggregate::Pick { .. } => return Ty::Unknown,
        };
        let resolved = self.resolve_stretch(stretch);
        if scope.event.is_none() && !scope.any_event {
            let what = match aggregate {
                Aggregate::Total { .. } => "a running total",
                Aggregate::Count { .. } => "a running count",
                Aggregate::Pick { .. } => "a pick",
            };
            self.report(
                Diagnostic::error(
                    Code::TotalMisuse,
                    format!("{what} counts back from an event, and no event is in view here"),
                    span,
                    "no event to count back from",
                )
                .with_help(if scope.totals {
                    "in a payment made `for each` period, drop `in the same ...` or `within the last ...`: it then counts the period's events"
                } else {
                    "use it where an event is in view: an amount paid `on each` event, or a `where` condition of a rule about events"
                }),
            );
            return Ty::Unknown;
        }
        match ty {
            Ty::Money(None) => {
                let at = match aggregate {
                    Aggregate::Total { field, .. } | Aggregate::Pick { field, .. } => field.span,
                    Aggregate::Count { .. } => span,
                };
                self.report(
                    Diagnostic::error(
                        Code::MixedCurrencies,
                        "a running total of money needs the contract's currency",
                        at,
                        "amounts in any currency",
                    )
                    .with_help("declare `currency USD` (or the contract's currency) in the contract header, so that every amount added up is in it"),
                );
                return Ty::Unknown;
            }
            Ty::Money(Some(_)) | Ty::Number | Ty::Days | Ty::Months | Ty::Percent => {}
            Ty::Unknown => return Ty::Unknown,
            Ty::Date | Ty::Bool | Ty::Text | Ty::Party | Ty::Category(_) | Ty::Period(_) => {
                let at = match aggregate {
                    Aggregate::Total { field, .. } | Aggregate::Pick { field, .. } => {
                        field.field.span
                    }
                    Aggregate::Count { .. } => span,
                };
                return self.mismatch(at, "a field that can be added up", &ty, None);
            }
        }
        if let Some(stretch) = resolved {
            self.register_running(expr, aggregate, stretch);
        }
        ty
    }

    /// What a running total or pick counts back over.
    fn resolve_stretch(
        &mut self,
        stretch: &Spanned<Stretch>,
    ) -> Option<crate::model::RunningStretch> {
        match &stretch.node {
            Stretch::SamePeriod(name) => {
                self.resolve_period(name);
                self.symbols
                    .periods
                    .get(&name.node)
                    .copied()
                    .map(crate::model::RunningStretch::SamePeriod)
            }
            Stretch::Last(length) => {
                if length.is_zero() {
                    self.report(
                        Diagnostic::error(
                            Code::TotalMisuse,
                            "a stretch of no time holds no events",
                            stretch.span,
                            "a stretch of no length",
                        )
                        .with_help(
                            "give the length to count back, such as `within the last 12 months`",
                        ),
                    );
                    None
                } else {
                    Some(crate::model::RunningStretch::Last(*length))
                }
            }
        }
    }

    /// Records a running total or pick for evaluation to work out as the
    /// events come (once, however often a definition using it is checked).
    pub(super) fn register_running(
        &mut self,
        expr: &Expr,
        aggregate: Aggregate<'_>,
        stretch: crate::model::RunningStretch,
    ) {
        if let Some(event) = self.symbols.events.get(&aggregate.event().node).copied()
            && !self.symbols.running.iter().any(|r| r.span == expr.span)
        {
            self.symbols.running.push(crate::model::RunningRef {
                span: expr.span,
                event,
                aggregate: expr.clone(),
                stretch,
            });
        }
    }

    /// `highest EVENT.FIELD [stretch] [where ...] [otherwise VALUE]` and
    /// the other picks: one event's value, looked back for from the event
    /// in view.
    fn check_pick(&mut self, expr: &Expr, pick: &Pick, scope: &Scope<'a>) -> Ty {
        let Pick {
            which,
            field,
            stretch,
            filter,
            otherwise,
        } = pick;
        let Some(decl) = self.resolve_event(&field.event) else {
            return Ty::Unknown;
        };
        // The condition first, so that a running total inside it is worked
        // out before this pick (evaluation follows this order).
        if let Some(filter) = filter {
            self.check_condition(filter, &Scope::event(decl));
        }
        let ty = self
            .resolve_field(decl, &field.field)
            .unwrap_or(Ty::Unknown);
        let resolved = match stretch {
            Some(stretch) => self.resolve_stretch(stretch),
            None => Some(crate::model::RunningStretch::SoFar),
        };
        // A bare name there is a member of the field's category, as on the
        // right of `is`.
        let fallback = otherwise
            .as_ref()
            .map(|o| (o, self.check_compared(o, &ty, scope)));
        if scope.event.is_none() && !scope.any_event {
            self.report(
                Diagnostic::error(
                    Code::TotalMisuse,
                    format!(
                        "`{}` looks back from an event, and no event is in view here",
                        which.node.word()
                    ),
                    expr.span,
                    "no event to look back from",
                )
                .with_help(if scope.totals {
                    "a payment made `for each` period has no one event in view: use it in an amount paid `on each` event, or in a `where` condition"
                } else {
                    "use it where an event is in view: an amount paid `on each` event, or a `where` condition of a rule about events"
                }),
            );
            return Ty::Unknown;
        }
        let ordered = match which.node {
            Which::Highest | Which::Lowest => true,
            Which::Latest | Which::Previous => false,
        };
        match &ty {
            Ty::Unknown => return Ty::Unknown,
            Ty::Money(None) if ordered => {
                self.report(
                    Diagnostic::error(
                        Code::MixedCurrencies,
                        format!(
                            "the {} of amounts needs the contract's currency",
                            which.node.word()
                        ),
                        field.span,
                        "amounts in any currency",
                    )
                    .with_help("declare `currency USD` (or the contract's currency) in the contract header, so that every amount compared is in it"),
                );
                return Ty::Unknown;
            }
            Ty::Money(_) | Ty::Number | Ty::Days | Ty::Months | Ty::Percent | Ty::Date => {}
            Ty::Bool | Ty::Text | Ty::Party | Ty::Category(_) | Ty::Period(_) if ordered => {
                return self.mismatch(
                    field.field.span,
                    "a field with an order (an amount, a number or a date)",
                    &ty,
                    Some(format!(
                        "`{}` compares values; `latest {}` takes the last one whatever it is",
                        which.node.word(),
                        field_text(field)
                    )),
                );
            }
            Ty::Bool | Ty::Text | Ty::Party | Ty::Category(_) | Ty::Period(_) => {}
        }
        if let Some((otherwise, given)) = fallback {
            let same_kind = match (&ty, &given) {
                (Ty::Unknown, _) | (_, Ty::Unknown) | (Ty::Money(_), Ty::Money(_)) => true,
                (a, b) => a == b,
            };
            if same_kind {
                // Two currencies are reported as in any computation.
                self.unify(ty.clone(), given, otherwise.span, field.span);
            } else {
                self.report(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("expected {ty}, found {given}"),
                        otherwise.span,
                        format!("this is {given}"),
                    )
                    .with_related(field.span, format!("this is {ty}"))
                    .with_help(format!(
                        "`otherwise` stands in for `{} {}` when there is nothing to pick from, so it must be {ty} as well",
                        which.node.word(),
                        field_text(field)
                    )),
                );
            }
        }
        if let (Some(stretch), Some((aggregate, _))) = (resolved, expr.aggregate()) {
            self.register_running(expr, aggregate, stretch);
        }
        ty
    }

    /// A field of a declared event, reporting it when unknown.
    pub(crate) fn resolve_field(&mut self, decl: &'a EventDecl, field: &Name) -> Option<Ty> {
        if let Some(ty) = self.field_type(decl, &field.node) {
            self.refer_field(decl, field);
            return Some(ty);
        }
        if self.full() {
            return None;
        }
        if field.node == "by" {
            self.report(super::event_without_actor(
                decl,
                field.span,
                "no `by` on this event".to_string(),
            ));
            return None;
        }
        let mut candidates: Vec<String> = decl.fields.iter().map(|f| f.name.node.clone()).collect();
        candidates.push("date".to_string());
        let help = format!(
            "event `{}` has the fields {}",
            decl.name.node,
            field_list(decl)
        );
        self.unknown(Code::UnknownField, "field", field, candidates, help);
        None
    }

    fn check_tiers(
        &mut self,
        mode: TierMode,
        subject: &Expr,
        tiers: &[Tier],
        scope: &Scope<'a>,
    ) -> Ty {
        let subject_ty = self.check_expr(subject, scope);
        self.numeric(&subject_ty, subject.span);
        let mut value_ty: Option<(Ty, Span)> = None;
        for tier in tiers {
            let Tier {
                lower,
                upper,
                value,
                span: _,
            } = tier;
            let bounds = lower.iter().map(|b| &b.value);
            for bound in bounds.chain(upper.iter().map(|b| &b.value)) {
                let bound_ty = self.check_expr(bound, scope);
                self.unify(subject_ty.clone(), bound_ty, bound.span, subject.span);
            }
            let ty = self.check_expr(value, scope);
            value_ty = Some(match value_ty {
                None => (ty, value.span),
                Some((first, first_span)) => {
                    (self.unify(first, ty, value.span, first_span), first_span)
                }
            });
        }
        let bands = crate::tiers::written(tiers, literal_value);
        for problem in crate::tiers::problems(&bands) {
            if let Some(diagnostic) = tier_problem(problem, tiers) {
                self.report(diagnostic);
            }
        }
        let Some((value_ty, value_span)) = value_ty else {
            return Ty::Unknown;
        };
        match mode {
            TierMode::Whole => value_ty,
            TierMode::Marginal => match (&value_ty, &subject_ty) {
                (Ty::Unknown, _) | (_, Ty::Unknown) => Ty::Unknown,
                (Ty::Percent, Ty::Money(_) | Ty::Number) => subject_ty,
                (Ty::Money(_) | Ty::Number, Ty::Number) => value_ty,
                // A subject that is not a number at all was reported above.
                (Ty::Percent, _) if !subject_ty.is_numeric() => Ty::Unknown,
                (Ty::Percent, _) => self.mismatch(
                    subject.span,
                    "an amount or a number",
                    &subject_ty,
                    Some(
                        "marginal tiers apply each band's percentage to the part of an amount or a count that lies in the band"
                            .to_string(),
                    ),
                ),
                _ => self.mismatch(
                    value_span,
                    "a percentage",
                    &value_ty,
                    Some(
                        "each band of marginal tiers gives a rate: a percentage of the part in the band, or, when the tiers count units (a number), an amount per unit"
                            .to_string(),
                    ),
                ),
            },
        }
    }

    /// Checks a condition: it must be yes or no, and its comparisons must
    /// compare like with like.
    pub fn check_condition(&mut self, condition: &Condition, scope: &Scope<'a>) {
        match &condition.kind {
            ConditionKind::Earlier(earlier) => self.check_earlier(earlier, condition.span, scope),
            ConditionKind::Any(parts) | ConditionKind::All(parts) => {
                for part in parts {
                    self.check_condition(part, scope);
                }
            }
            ConditionKind::Not(inner) => self.check_condition(inner, scope),
            // `where count ticket where late > 2`: the comparison was read
            // into the count's own condition, which leaves a number where a
            // yes/no is wanted. Said once, with the brackets that fix it,
            // rather than as the three mismatches it comes to.
            // (A pick of a yes/no field is a condition of its own.)
            ConditionKind::Test(expr)
                if expr
                    .aggregate()
                    .is_some_and(|(aggregate, _)| match aggregate {
                        Aggregate::Total { filter, .. } | Aggregate::Count { filter, .. } => {
                            filter.is_some()
                        }
                        Aggregate::Pick { .. } => false,
                    }) =>
            {
                let diagnostic = Diagnostic::error(
                    Code::TypeMismatch,
                    "this reads as a total or count with no comparison after it",
                    expr.span,
                    "everything after its `where` is its own condition",
                );
                self.report(match bracketed_comparison(expr) {
                    Some(fixed) => diagnostic
                        .with_help(format!(
                            "put the total or count with its own condition in brackets, then compare: `{fixed}`"
                        ))
                        .with_suggestion(fixed),
                    None => diagnostic.with_help(
                        "put the total or count with its own condition in brackets, then compare: `(total ... where ...) > ...`",
                    ),
                });
            }
            ConditionKind::Test(expr) => {
                let ty = self.check_expr(expr, scope);
                if !matches!(ty, Ty::Bool | Ty::Unknown) {
                    let help = match &ty {
                        Ty::Category(c) => Some(format!(
                            "compare it with a member of category `{c}`: `{} is ...`",
                            snippet_name(expr)
                        )),
                        _ => Some(
                            "a condition is a yes/no field or a comparison such as `x > 0`"
                                .to_string(),
                        ),
                    };
                    self.mismatch(expr.span, "a yes/no condition", &ty, help);
                }
            }
            ConditionKind::Compare { left, op, right } => {
                let left_ty = self.check_expr(left, scope);
                let list = matches!(op.node, CompareOp::In | CompareOp::NotIn);
                if !list && right.len() > 1 {
                    self.report(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            format!("`{}` compares with one value, not a list", op.node.as_str()),
                            op.span,
                            "a list follows",
                        )
                        .with_help("to test membership of a list, write `in (a, b)`"),
                    );
                }
                for value in right {
                    let right_ty = self.check_compared(value, &left_ty, scope);
                    self.agree(left_ty.clone(), right_ty, value.span, left.span, true);
                }
                if matches!(
                    op.node,
                    CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge
                ) && !left_ty.is_ordered()
                {
                    self.mismatch(
                        left.span,
                        "a number, an amount, a percentage, a duration or a date (to compare by size)",
                        &left_ty,
                        Some(format!("to test equality, write `{} is ...`", snippet_name(left))),
                    );
                }
            }
        }
    }

    /// `after EVENT [by PARTY] [with the same F, ...] [within L]`: about an
    /// event in scope, naming a declared event, fields both declare alike.
    fn check_earlier(&mut self, earlier: &EarlierEvent, span: Span, scope: &Scope<'a>) {
        let decl = self.resolve_event(&earlier.event);
        if let Some(by) = &earlier.by {
            match decl {
                Some(decl) if !decl.has_actor => self.report(super::event_without_actor(
                    decl,
                    by.span.to(earlier.event.span),
                    "`by` needs an event that names a party".to_string(),
                )),
                _ => {
                    self.resolve_party(by);
                }
            }
        }
        if let Some(when) = &earlier.when {
            let length = match when.node {
                EarlierWhen::Within(length) | EarlierWhen::AtLeastBefore(length) => length,
            };
            self.check_length(
                &Spanned::new(length, when.span),
                "a time between events",
                "leave out `within` (or `at least ... before`) for an earlier event at any time before",
            );
        }
        let Some(subject) = scope.event else {
            self.report(
                Diagnostic::error(
                    Code::EarlierEventWithoutEvent,
                    format!(
                        "`after {}` looks back from an event, but this condition is about none",
                        earlier.event.node
                    ),
                    span,
                    "no event to look back from",
                )
                .with_help(
                    "use `after ...` in a condition about an event: an action's `where`, an `on each` event, or the `except`/`unless` of a rule about events",
                ),
            );
            return;
        };
        let Some(decl) = decl else {
            return;
        };
        let mut keys = Vec::new();
        for field in &earlier.matching {
            let here = self.resolve_field(subject, field);
            let there = self.resolve_field(decl, field);
            let positions = (
                subject
                    .fields
                    .iter()
                    .position(|f| f.name.node == field.node),
                decl.fields.iter().position(|f| f.name.node == field.node),
            );
            match (here, there, positions) {
                (Some(a), Some(b), (Some(i), Some(j))) if a == b => keys.push((i, j)),
                (Some(a), Some(b), _) if a != b => self.report(
                    Diagnostic::error(
                        Code::MatchingFieldMismatch,
                        format!(
                            "`{}` is {a} in `{}` but {b} in `{}`, so their values can never be the same",
                            field.node, subject.name.node, decl.name.node
                        ),
                        field.span,
                        "matched here",
                    )
                    .with_help("match fields that hold the same kind of value in both events, such as a text reference or a serial number"),
                ),
                (Some(_), Some(_), _) => self.report(
                    Diagnostic::error(
                        Code::MatchingFieldMismatch,
                        format!("`{}` is not a field both events declare", field.node),
                        field.span,
                        "matched here",
                    )
                    .with_help("match declared fields; the date and the party are not matched"),
                ),
                _ => {} // the unknown field was reported
            }
        }
        if let (Some(&subject_id), Some(&event_id)) = (
            self.symbols.events.get(&subject.name.node),
            self.symbols.events.get(&decl.name.node),
        ) {
            let by = earlier
                .by
                .as_ref()
                .and_then(|b| self.symbols.parties.get(&b.node).copied());
            self.symbols.earlier.push(crate::model::EarlierRef {
                span,
                subject: subject_id,
                event: event_id,
                by,
                keys,
                when: earlier.when.as_ref().map(|w| w.node),
            });
        }
    }

    /// The right-hand side of a comparison: a bare name there is a member of
    /// the left side's category, or a party.
    fn check_compared(&mut self, value: &Expr, left: &Ty, scope: &Scope<'a>) -> Ty {
        let ExprKind::Name(name) = &value.kind else {
            return self.check_expr(value, scope);
        };
        // A field comes first, on the right as on the left.
        if scope
            .event
            .is_some_and(|decl| self.field_type(decl, name).is_some())
        {
            return self.check_expr(value, scope);
        }
        let name = Spanned::new(name.clone(), value.span);
        match left {
            Ty::Category(category) => {
                let file = self.file;
                let Some(decl) = self
                    .symbols
                    .categories
                    .get(category)
                    .and_then(|&i| file.categories.get(i.index()))
                else {
                    return Ty::Unknown;
                };
                if decl.members.iter().any(|m| m.node == name.node) {
                    self.refer(
                        name.span,
                        crate::model::Target::Member {
                            category: category.as_str().into(),
                            member: name.node.as_str().into(),
                        },
                    );
                    return left.clone();
                }
                let candidates: Vec<&str> = decl.members.iter().map(|m| m.node.as_str()).collect();
                let help = format!(
                    "category `{}` has the members {}; to add one, list it in the category",
                    category,
                    candidates
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                let mut diagnostic = Diagnostic::error(
                    Code::UnknownMember,
                    format!("`{}` is not a member of category `{category}`", name.node),
                    name.span,
                    format!("not a `{category}`"),
                )
                .with_related(decl.name.span, "category declared here");
                diagnostic = match closest(&name.node, candidates.iter().copied()) {
                    Some(best) => diagnostic
                        .with_suggestion(best)
                        .with_help(format!("did you mean `{best}`? {help}")),
                    None => diagnostic.with_help(help),
                };
                self.report(diagnostic);
                Ty::Unknown
            }
            // The left side was already reported; its members cannot be known.
            Ty::Unknown => Ty::Unknown,
            Ty::Party => {
                if self.resolve_party(&name) {
                    Ty::Party
                } else {
                    Ty::Unknown
                }
            }
            _ => self.check_expr(value, scope),
        }
    }
}

fn field_text(field: &FieldRef) -> String {
    format!("{}.{}", field.event.node, field.field.node)
}

fn snippet_name(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Field(f) => field_text(f),
        _ => "value".to_string(),
    }
}

fn field_list(decl: &EventDecl) -> String {
    let mut names: Vec<String> = decl
        .fields
        .iter()
        .map(|f| format!("`{}`", f.name.node))
        .collect();
    names.push("`date`".to_string());
    if decl.has_actor {
        names.push("`by`".to_string());
    }
    names.push("`id`".to_string());
    names.push("`type`".to_string());
    names.join(", ")
}
