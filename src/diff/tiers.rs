//! Whom a change to a tier table favours: the one table that differs
//! between two amounts, compared value by value.
//!
//! Two tables with written bounds and values give, for every value of their
//! subject, a step function (`tiers of`) or a piecewise straight line
//! (`marginal tiers of`) whose breaks are at the bounds. So comparing them
//! at every bound of either table, between each two neighbouring bounds and
//! past the last tells, for *every* value, whether the new table gives more,
//! less, or more for some values and less for others (then nothing is said).

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::ast::*;
use crate::syntax::one_line;
use crate::tiers::{self, Band};

/// When `old` and `new` differ only inside one tier table, whether the new
/// amount is higher (`Some(true)`) or lower for every value of the table's
/// subject, and what rose or fell.
pub(super) fn direction(old: &Expr, new: &Expr) -> Option<(bool, &'static str)> {
    let is_table = |e: &Expr| matches!(e.kind, ExprKind::Tiers { .. });
    let (old_table, new_table, rising) = changed_part(old, new, true, is_table)?;
    let (
        ExprKind::Tiers {
            mode: mode_a,
            subject: subject_a,
            tiers: tiers_a,
        },
        ExprKind::Tiers {
            mode: mode_b,
            subject: subject_b,
            tiers: tiers_b,
        },
    ) = (&old_table.kind, &new_table.kind)
    else {
        return None;
    };
    // Each sample scans the bands: past this many, say nothing rather than
    // take quadratic time over a generated table.
    const MOST_BANDS: usize = 1_000;
    if mode_a != mode_b
        || one_line::expr(subject_a) != one_line::expr(subject_b)
        || tiers_a.len() > MOST_BANDS
        || tiers_b.len() > MOST_BANDS
    {
        return None;
    }
    let a = Table::of(tiers_a)?;
    let b = Table::of(tiers_b)?;
    if a.kind != b.kind {
        return None;
    }
    let what = match mode_a {
        TierMode::Whole => "rate in the tiers",
        TierMode::Marginal => "amount from the tiers",
    };
    let mut points: Vec<Decimal> = a.bounds().chain(b.bounds()).collect();
    points.push(Decimal::ZERO);
    points.sort();
    points.dedup();
    let (first, last) = (*points.first()?, *points.last()?);
    // Between each two neighbours, and past either end.
    let mut samples = points.clone();
    samples.extend(
        points
            .windows(2)
            .filter_map(|w| Some((*w.first()? + *w.get(1)?) / Decimal::TWO)),
    );
    samples.extend([
        first - Decimal::ONE,
        last + Decimal::ONE,
        last + Decimal::TWO,
    ]);
    let mut more = false;
    let mut less = false;
    for x in samples {
        let (was, is) = match mode_a {
            TierMode::Whole => (a.band_value(x)?, b.band_value(x)?),
            TierMode::Marginal => (a.marginal_value(x)?, b.marginal_value(x)?),
        };
        match is.cmp(&was) {
            Ordering::Greater => more = true,
            Ordering::Less => less = true,
            Ordering::Equal => {}
        }
    }
    match (more, less) {
        (true, false) => Some((rising, what)),
        (false, true) => Some((!rising, what)),
        (true, true) | (false, false) => None,
    }
}

/// The one part of the kind `target` (a tier table, a pick) that differs
/// between two amounts otherwise written alike, with whether a larger
/// value of that part makes the amount larger (`rising`): a minus sign, a
/// subtraction or a division turns it round.
pub(super) fn changed_part<'e>(
    old: &'e Expr,
    new: &'e Expr,
    rising: bool,
    target: impl Fn(&Expr) -> bool + Copy,
) -> Option<(&'e Expr, &'e Expr, bool)> {
    if one_line::expr(old) == one_line::expr(new) {
        return None;
    }
    if target(old) && target(new) {
        return Some((old, new, rising));
    }
    let (a, b) = (signed_children(old)?, signed_children(new)?);
    if a.len() != b.len() || std::mem::discriminant(&old.kind) != std::mem::discriminant(&new.kind)
    {
        return None;
    }
    let mut differing = a
        .iter()
        .zip(&b)
        .filter(|((x, _), (y, _))| one_line::expr(x) != one_line::expr(y));
    let ((x, same_way), (y, _)) = differing.next()?;
    if differing.next().is_some() {
        return None;
    }
    changed_part(x, y, if *same_way { rising } else { !rising }, target)
}

/// Each child of an amount with whether it moves the amount the same way
/// (`true`) or the other way (`false`, after a minus sign, a subtraction or
/// a division); `None` for a node whose children move it in no known
/// direction.
fn signed_children(e: &Expr) -> Option<Vec<(&Expr, bool)>> {
    Some(match &e.kind {
        ExprKind::Chain { first, rest } => std::iter::once((&**first, true))
            .chain(rest.iter().map(|(op, operand)| {
                (
                    operand,
                    match op.node {
                        ArithOp::Add | ArithOp::Mul => true,
                        ArithOp::Sub | ArithOp::Div => false,
                    },
                )
            }))
            .collect(),
        ExprKind::Negate(inner) => vec![(&**inner, false)],
        ExprKind::Of { share, base } => vec![(&**share, true), (&**base, true)],
        ExprKind::CappedAt { value, cap } => vec![(&**value, true), (&**cap, true)],
        ExprKind::AtLeast { value, floor } => vec![(&**value, true), (&**floor, true)],
        ExprKind::Rounded { value, .. } => vec![(&**value, true)],
        ExprKind::Converted { value, rate, .. } => vec![(&**value, true), (&**rate, true)],
        ExprKind::PerStep {
            value,
            step,
            measure,
            ..
        } => vec![(&**value, true), (&**step, false), (&**measure, true)],
        // A table inside another table's bounds or subject, a date, a
        // total's filter: which way it moves the amount is not known.
        ExprKind::Money(_)
        | ExprKind::Percent(_)
        | ExprKind::Number(_)
        | ExprKind::Duration(_)
        | ExprKind::Date(_)
        | ExprKind::Bool(_)
        | ExprKind::Text(_)
        | ExprKind::Name(_)
        | ExprKind::Field(_)
        | ExprKind::Balance { .. }
        | ExprKind::Total { .. }
        | ExprKind::Count { .. }
        | ExprKind::Pick(_)
        | ExprKind::DaysBetween { .. }
        | ExprKind::Tiers { .. }
        | ExprKind::Invalid => return None,
    })
}

/// What a change moves, as it is written in amounts: a definition, used
/// by its name, or an account, read by `balance of`.
#[derive(Clone, Copy, Debug)]
pub(super) enum Leaf<'n> {
    Name(&'n str),
    Balance(&'n str),
}

impl<'n> Leaf<'n> {
    fn is(self, e: &Expr) -> bool {
        match (self, &e.kind) {
            (Leaf::Name(name), ExprKind::Name(n)) => n == name,
            (Leaf::Balance(name), ExprKind::Balance { account, .. }) => account.node == name,
            (Leaf::Name(_) | Leaf::Balance(_), _) => false,
        }
    }

    /// Whether `e` is the balance itself, written as it is.
    pub(super) fn is_balance(self, e: &Expr) -> bool {
        matches!(self, Leaf::Balance(_)) && self.is(e)
    }

    /// The name it is declared with.
    pub(super) fn declared(self) -> &'n str {
        match self {
            Leaf::Name(n) | Leaf::Balance(n) => n,
        }
    }
}

/// Whether a leaf (a definition, a balance) moves an amount the same way
/// (`Some(Some(true))`) or the other way wherever it is written in it,
/// directly or through the definitions the amount uses; `Some(None)` when
/// it is not used; `None` when it is used both ways, or where which way it
/// moves the amount is not known.
pub(super) fn name_direction(
    contract: &crate::model::Checked,
    amount: &Expr,
    name: Leaf<'_>,
) -> Option<Option<bool>> {
    let mut found: Option<bool> = None;
    let mut work = vec![(amount, true)];
    while let Some((e, same_way)) = work.pop() {
        if name.is(e) {
            if found.is_some_and(|f| f != same_way) {
                return None;
            }
            found = Some(same_way);
            continue;
        }
        if let ExprKind::Name(n) = &e.kind {
            if let Some(definition) = contract.definition_named(n) {
                match &definition.body {
                    DefinitionBody::Value(value) => work.push((value, same_way)),
                    // A condition decides whether the amount is owed at
                    // all, in no direction of its own.
                    DefinitionBody::Condition(condition) => {
                        if mentions(contract, condition, name) {
                            return None;
                        }
                    }
                }
            }
            continue;
        }
        match signed_children(e) {
            Some(children) => {
                work.extend(children.into_iter().map(|(c, s)| (c, s == same_way)));
            }
            None => {
                // Leaves hold no names; anything else might hold it in an
                // unknown direction.
                if value_mentions(contract, e, name) {
                    return None;
                }
            }
        }
    }
    Some(found)
}

/// Whether a condition uses a definition, directly or through others.
pub(super) fn mentions(
    contract: &crate::model::Checked,
    condition: &Condition,
    name: Leaf<'_>,
) -> bool {
    condition
        .values()
        .0
        .into_iter()
        .any(|e| value_mentions(contract, e, name))
}

/// Whether a value uses a definition, directly or through others.
pub(super) fn value_mentions(
    contract: &crate::model::Checked,
    value: &Expr,
    name: Leaf<'_>,
) -> bool {
    let mut uses = false;
    // A total's or pick's own condition decides which events count, in no
    // direction of its own: a use there is a use too.
    let mut filters: Vec<&Condition> = Vec::new();
    contract.walk_through_definitions(value, |x| {
        uses |= name.is(x);
        if let Some((aggregate, _)) = x.aggregate()
            && let Some(filter) = aggregate.filter()
        {
            filters.push(filter);
        }
        !uses
    });
    uses || filters.iter().any(|f| mentions(contract, f, name))
}

/// A table whose bounds and values are all written numbers of one kind.
struct Table {
    bands: Vec<Band>,
    values: Vec<Decimal>,
    /// The kind of the values: a percentage, a number, or money in a
    /// currency, so that only like tables are compared.
    kind: Kind,
}

#[derive(PartialEq)]
enum Kind {
    Percent,
    Number,
    Money(Currency),
}

impl Table {
    fn of(tiers: &[Tier]) -> Option<Table> {
        let mut known = true;
        let written = tiers::written(tiers, |e| {
            let v = literal(e);
            known &= v.is_some();
            v
        });
        if !known || !tiers::problems(&written).is_empty() {
            return None;
        }
        let mut kind = None;
        let mut values = Vec::new();
        for tier in tiers {
            let this = match &tier.value.kind {
                ExprKind::Percent(_) => Kind::Percent,
                ExprKind::Number(_) => Kind::Number,
                ExprKind::Money(m) => Kind::Money(m.currency),
                _ => return None,
            };
            if kind.as_ref().is_some_and(|k| *k != this) {
                return None;
            }
            kind = Some(this);
            values.push(literal(&tier.value)?);
        }
        Some(Table {
            bands: tiers::filled(&written),
            values,
            kind: kind?,
        })
    }

    fn bounds(&self) -> impl Iterator<Item = Decimal> + '_ {
        self.bands
            .iter()
            .flat_map(|b| [b.lower, b.upper])
            .flatten()
            .filter_map(|end| end.at)
    }

    fn band_value(&self, x: Decimal) -> Option<Decimal> {
        // Below a first band that starts somewhere, nothing applies: count
        // it as zero, as neither table pays there.
        match tiers::band_of(&self.bands, x) {
            Some(i) => self.values.get(i).copied(),
            None => Some(Decimal::ZERO),
        }
    }

    fn marginal_value(&self, x: Decimal) -> Option<Decimal> {
        let parts = tiers::portions(&self.bands, x)?;
        parts
            .iter()
            .zip(&self.values)
            .try_fold(Decimal::ZERO, |sum, (part, rate)| {
                sum.checked_add(part.checked_mul(*rate)?)
            })
    }
}

fn literal(expr: &Expr) -> Option<Decimal> {
    match &expr.kind {
        ExprKind::Number(n) | ExprKind::Percent(n) => Some(*n),
        ExprKind::Money(m) => Some(m.amount),
        ExprKind::Negate(inner) => literal(inner).map(|v| -v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn amount(text: &str) -> Expr {
        let source = format!(
            "contract \"T\" effective 2026-01-01 term through 2026-12-31\nclause 1 \"A\"\n  a must pay b {text} due 2026-06-30\n"
        );
        let parsed = crate::syntax::parse(&source, &crate::Limits::default());
        let clause = parsed.file.clauses.into_iter().next().expect("a clause");
        match clause.statements.into_iter().next() {
            Some(Statement::Pay(pay)) => pay.amount,
            _ => panic!("not a payment"),
        }
    }

    fn compare(old: &str, new: &str) -> Option<(bool, &'static str)> {
        direction(&amount(old), &amount(new))
    }

    #[test]
    fn a_higher_rate_in_one_band_is_higher() {
        assert_eq!(
            compare(
                "(tiers of x.units (through 10: 1%, above: 2%)) of x.value",
                "(tiers of x.units (through 10: 1%, above: 3%)) of x.value"
            ),
            Some((true, "rate in the tiers"))
        );
    }

    #[test]
    fn a_discount_that_grows_lowers_the_amount() {
        assert_eq!(
            compare(
                "x.value - (tiers of x.units (through 10: 0%, above: 5%)) of x.value",
                "x.value - (tiers of x.units (through 10: 0%, above: 6%)) of x.value"
            ),
            Some((false, "rate in the tiers"))
        );
    }

    #[test]
    fn moving_a_bound_up_keeps_more_values_in_the_cheaper_band() {
        // through 10 → through 20: values 10 to 20 now get 1%, not 2%.
        assert_eq!(
            compare(
                "(tiers of x.units (through 10: 1%, above: 2%)) of x.value",
                "(tiers of x.units (through 20: 1%, above: 2%)) of x.value"
            ),
            Some((false, "rate in the tiers"))
        );
        // through 10 → below 10: 10 itself now gets 2%.
        assert_eq!(
            compare(
                "(tiers of x.units (through 10: 1%, above: 2%)) of x.value",
                "(tiers of x.units (below 10: 1%, above: 2%)) of x.value"
            ),
            Some((true, "rate in the tiers"))
        );
    }

    #[test]
    fn marginal_tables_are_compared_as_amounts() {
        // A lower second rate: less for every value over 1,000,000.
        assert_eq!(
            compare(
                "marginal tiers of x.value (up to USD 1,000,000: 3%, above: 2.9%)",
                "marginal tiers of x.value (up to USD 1,000,000: 3%, above: 2.8%)"
            ),
            Some((false, "amount from the tiers"))
        );
        // Only the inclusion of a bound: no value changes.
        assert_eq!(
            compare(
                "marginal tiers of x.value (up to USD 1,000,000: 3%, above: 2.9%)",
                "marginal tiers of x.value (below USD 1,000,000: 3%, above: 2.9%)"
            ),
            None
        );
    }

    #[test]
    fn more_for_some_values_and_less_for_others_says_nothing() {
        assert_eq!(
            compare(
                "(tiers of x.units (through 10: 1%, above: 2%)) of x.value",
                "(tiers of x.units (through 10: 2%, above: 1%)) of x.value"
            ),
            None
        );
    }
}
