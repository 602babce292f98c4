//! Whom a change to a pick favours (`highest invoice.amount in the same
//! quarter` → `highest invoice.amount within the last 12 months`): the one
//! pick that differs between two amounts, when what it picks from can be
//! compared as written.
//!
//! Over the same events, the highest is never below the lowest; and over
//! more events (a stretch that holds the other), the highest can only
//! rise and the lowest only fall. `latest` and `previous` move either way,
//! and a change to the field, the condition or the `otherwise` says
//! nothing by itself: no claim is made for those.

use crate::ast::*;
use crate::syntax::one_line;

/// When `old` and `new` differ only in one pick, whether the new amount is
/// at least as high for every record of events and higher for some
/// (`Some(true)`), or the other way round.
pub(super) fn direction(old: &Expr, new: &Expr) -> Option<(bool, &'static str)> {
    let is_pick = |e: &Expr| matches!(e.kind, ExprKind::Pick(_));
    let (old_pick, new_pick, rising) = super::tiers::changed_part(old, new, true, is_pick)?;
    let (ExprKind::Pick(a), ExprKind::Pick(b)) = (&old_pick.kind, &new_pick.kind) else {
        return None;
    };
    let Pick {
        which: which_a,
        field: field_a,
        stretch: stretch_a,
        filter: filter_a,
        otherwise: otherwise_a,
    } = &**a;
    let Pick {
        which: which_b,
        field: field_b,
        stretch: stretch_b,
        filter: filter_b,
        otherwise: otherwise_b,
    } = &**b;
    let written = |f: &FieldRef| (f.event.node.clone(), f.field.node.clone());
    if written(field_a) != written(field_b)
        || filter_a.as_ref().map(one_line::condition) != filter_b.as_ref().map(one_line::condition)
        || otherwise_a.as_ref().map(one_line::expr) != otherwise_b.as_ref().map(one_line::expr)
    {
        return None;
    }
    let (stretch_a, stretch_b) = (
        stretch_a.as_ref().map(|s| &s.node),
        stretch_b.as_ref().map(|s| &s.node),
    );
    // As written, spans aside.
    let same_stretch = stretch_a.map(as_written) == stretch_b.map(as_written);
    let up = match (which_a.node, which_b.node) {
        (Which::Lowest, Which::Highest) if same_stretch => true,
        (Which::Highest, Which::Lowest) if same_stretch => false,
        (Which::Highest, Which::Highest) => wider(stretch_a, stretch_b)?,
        (Which::Lowest, Which::Lowest) => !wider(stretch_a, stretch_b)?,
        (
            Which::Highest | Which::Lowest | Which::Latest | Which::Previous,
            Which::Highest | Which::Lowest | Which::Latest | Which::Previous,
        ) => return None,
    };
    Some((
        if rising { up } else { !up },
        "amount, from the value picked",
    ))
}

fn as_written(stretch: &Stretch) -> String {
    match stretch {
        Stretch::SamePeriod(period) => format!("in the same {}", period.node),
        Stretch::Last(length) => format!("within the last {}", length.written()),
    }
}

/// Whether the stretch `new` holds every event `old` does and more
/// (`Some(true)`), fewer (`Some(false)`), or neither can be told: every
/// event so far holds any stretch; a longer `within the last` holds a
/// shorter one in the same unit. Periods are not compared (a fiscal
/// quarter need not lie inside a calendar year).
fn wider(old: Option<&Stretch>, new: Option<&Stretch>) -> Option<bool> {
    match (old, new) {
        (Some(_), None) => Some(true),
        (None, Some(_)) => Some(false),
        (Some(Stretch::Last(a)), Some(Stretch::Last(b))) => match (a, b) {
            (Duration::Days(x), Duration::Days(y)) | (Duration::Months(x), Duration::Months(y))
                if x != y =>
            {
                Some(y > x)
            }
            (Duration::Days(_) | Duration::Months(_), Duration::Days(_) | Duration::Months(_)) => {
                None
            }
        },
        (None, None)
        | (Some(Stretch::SamePeriod(_)), Some(_))
        | (Some(Stretch::Last(_)), Some(Stretch::SamePeriod(_))) => None,
    }
}
