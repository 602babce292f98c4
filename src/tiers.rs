//! The arithmetic of a tier table, apart from the values it gives: where
//! each band starts and stops once its neighbours fill in the ends it leaves
//! out, which band a value falls in, how much of a value lies in each band
//! (marginal tiers), and where bands leave a gap or overlap.
//!
//! The checker runs it on the bounds as written; evaluation runs it again
//! with every bound's value, so that a table whose bounds are event fields
//! is held to the same rules.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::ast::{LowerEnd, Tier, UpperEnd};

/// One end of a band. `at` is `None` when the bound is not known until
/// evaluation (a field, a computation): the checker leaves such ends alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct End {
    pub at: Option<Decimal>,
    /// Whether the bound itself belongs to the band.
    pub included: bool,
}

impl End {
    /// The other side of this end: the end of the next band that starts
    /// where this one stops, or of the band before one that starts here.
    fn other_side(self) -> End {
        End {
            at: self.at,
            included: !self.included,
        }
    }
}

/// A band's two ends. `None` means the band is open that way: below the
/// first band, above the last.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Band {
    pub lower: Option<End>,
    pub upper: Option<End>,
}

/// Something wrong with the layout of a table, by band index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Band `band` comes after a band that has no upper end and so covers
    /// everything above it: band `band` is never reached.
    AfterOpenBand { band: usize },
    /// The last band stops at a bound: nothing says what applies above it.
    NoTopBand { band: usize },
    /// Band `band` has nothing in it: its lower end is at or above its upper
    /// end. `lower_written` tells whether the lower end was written in the
    /// band or taken from the band before (bounds that do not rise).
    Empty { band: usize, lower_written: bool },
    /// Values between band `band - 1`'s upper end and band `band`'s lower
    /// end are in neither band.
    Gap { band: usize },
    /// Values at or between those ends are in both bands.
    Overlap { band: usize },
}

/// The bands' ends as written, with the value each bound has, or `None`
/// where it is not known. `value_of` is asked once per bound, in order.
pub fn written(
    tiers: &[Tier],
    mut value_of: impl FnMut(&crate::ast::Expr) -> Option<Decimal>,
) -> Vec<Band> {
    tiers
        .iter()
        .map(|tier| Band {
            lower: tier.lower.as_ref().map(|b| End {
                at: value_of(&b.value),
                included: LowerEnd::includes_bound(b.kind),
            }),
            upper: tier.upper.as_ref().map(|b| End {
                at: value_of(&b.value),
                included: UpperEnd::includes_bound(b.kind),
            }),
        })
        .collect()
}

/// Every problem with the layout of the bands, in order. A table with none
/// covers every value from its first band's lower end (or from nowhere, if
/// it has none) upwards, each value in exactly one band.
pub fn problems(bands: &[Band]) -> Vec<Problem> {
    let mut found = Vec::new();
    for (index, pair) in bands.windows(2).enumerate() {
        let (Some(before), Some(after)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        let band = index + 1;
        match (before.upper, after.lower) {
            (None, None) => found.push(Problem::AfterOpenBand { band }),
            (Some(upper), Some(lower)) => match compare(upper.at, lower.at) {
                Some(Ordering::Less) => found.push(Problem::Gap { band }),
                Some(Ordering::Greater) => found.push(Problem::Overlap { band }),
                Some(Ordering::Equal) => match (upper.included, lower.included) {
                    (true, true) => found.push(Problem::Overlap { band }),
                    (false, false) => found.push(Problem::Gap { band }),
                    (true, false) | (false, true) => {}
                },
                None => {}
            },
            (Some(_), None) | (None, Some(_)) => {}
        }
    }
    for (band, filled) in filled(bands).iter().enumerate() {
        if let (Some(lower), Some(upper)) = (filled.lower, filled.upper) {
            let empty = match compare(lower.at, upper.at) {
                Some(Ordering::Greater) => true,
                Some(Ordering::Equal) => !(lower.included && upper.included),
                Some(Ordering::Less) | None => false,
            };
            let lower_written = bands.get(band).is_some_and(|b| b.lower.is_some());
            if empty {
                found.push(Problem::Empty {
                    band,
                    lower_written,
                });
            }
        }
    }
    // A last band that is never reached is reported as such, not also as
    // one that leaves the highest values uncovered.
    if let Some(last) = bands.len().checked_sub(1)
        && bands.get(last).is_some_and(|b| b.upper.is_some())
        && !found.contains(&Problem::AfterOpenBand { band: last })
    {
        found.push(Problem::NoTopBand { band: last });
    }
    found.sort_by_key(|p| match *p {
        Problem::AfterOpenBand { band }
        | Problem::NoTopBand { band }
        | Problem::Empty { band, .. }
        | Problem::Gap { band }
        | Problem::Overlap { band } => band,
    });
    found
}

/// The bands with the ends each leaves out filled in from its neighbours:
/// a band with no lower end starts where the one before stops, and one with
/// no upper end stops where the next starts.
pub fn filled(bands: &[Band]) -> Vec<Band> {
    let mut out: Vec<Band> = bands.to_vec();
    for index in 0..out.len() {
        let before = index
            .checked_sub(1)
            .and_then(|i| bands.get(i))
            .and_then(|b| b.upper);
        let after = bands.get(index + 1).and_then(|b| b.lower);
        if let Some(band) = out.get_mut(index) {
            if band.lower.is_none() {
                band.lower = before.map(End::other_side);
            }
            if band.upper.is_none() {
                band.upper = after.map(End::other_side);
            }
        }
    }
    out
}

/// The first band `x` falls in, given bands from [`filled`] with every
/// bound known.
pub fn band_of(bands: &[Band], x: Decimal) -> Option<usize> {
    bands.iter().position(|band| {
        let above_lower = band.lower.is_none_or(|end| match end.at {
            Some(at) => x > at || (end.included && x == at),
            None => false,
        });
        let below_upper = band.upper.is_none_or(|end| match end.at {
            Some(at) => x < at || (end.included && x == at),
            None => false,
        });
        above_lower && below_upper
    })
}

/// How much of `x` lies in each band, for marginal tiers, given bands from
/// [`filled`] with every bound known: the part of the range from the
/// table's start — the first band's lower end, or zero if it has none — up
/// to `x` that lies between the band's ends. Nothing below the table's
/// start counts, so the parts always add up to `x` less the start (or to
/// nothing). Whether an end is included makes no difference to an amount.
/// `None` if a subtraction overflows.
pub fn portions(bands: &[Band], x: Decimal) -> Option<Vec<Decimal>> {
    let origin = match bands.first().and_then(|b| b.lower) {
        Some(end) => end.at?,
        None => Decimal::ZERO,
    };
    bands
        .iter()
        .map(|band| {
            let start = match band.lower {
                Some(end) => end.at?.max(origin),
                // Only the first band may start nowhere in a table without
                // problems, and it starts at the origin.
                None => origin,
            };
            let stop = match band.upper {
                Some(end) => x.min(end.at?),
                None => x,
            };
            Some(stop.checked_sub(start)?.max(Decimal::ZERO))
        })
        .collect()
}

fn compare(a: Option<Decimal>, b: Option<Decimal>) -> Option<Ordering> {
    Some(a?.cmp(&b?))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn end(at: Decimal, included: bool) -> Option<End> {
        Some(End {
            at: Some(at),
            included,
        })
    }
    fn through(at: Decimal) -> Band {
        Band {
            lower: None,
            upper: end(at, true),
        }
    }
    fn below(at: Decimal) -> Band {
        Band {
            lower: None,
            upper: end(at, false),
        }
    }
    fn above() -> Band {
        Band::default()
    }

    #[test]
    fn through_bounds_leave_no_gap_and_include_the_bound() {
        let bands = [through(dec("10000")), through(dec("50000")), above()];
        assert_eq!(problems(&bands), []);
        let filled = filled(&bands);
        assert_eq!(band_of(&filled, dec("10000")), Some(0));
        assert_eq!(band_of(&filled, dec("10000.01")), Some(1));
        assert_eq!(band_of(&filled, dec("50000")), Some(1));
        assert_eq!(band_of(&filled, dec("50000.5")), Some(2));
        assert_eq!(band_of(&filled, dec("-3")), Some(0));
    }

    #[test]
    fn below_excludes_the_bound() {
        // The case `through 999,999.99` gets wrong: 999,999.995 is below
        // 1,000,000 and belongs to the first band.
        let filled = filled(&[below(dec("1000000")), above()]);
        assert_eq!(band_of(&filled, dec("999999.995")), Some(0));
        assert_eq!(band_of(&filled, dec("1000000")), Some(1));
    }

    #[test]
    fn gaps_and_overlaps_between_written_ends() {
        let over = |at| Band {
            lower: end(at, false),
            upper: None,
        };
        let from = |at| Band {
            lower: end(at, true),
            upper: None,
        };
        // below 10 then over 10: 10 itself is in neither band.
        assert_eq!(
            problems(&[below(dec("10")), over(dec("10"))]),
            [Problem::Gap { band: 1 }]
        );
        // through 10 then from 10: 10 is in both.
        assert_eq!(
            problems(&[through(dec("10")), from(dec("10"))]),
            [Problem::Overlap { band: 1 }]
        );
        // through 10 then from 11: 10.5 is in neither.
        assert_eq!(
            problems(&[through(dec("10")), from(dec("11"))]),
            [Problem::Gap { band: 1 }]
        );
        assert_eq!(problems(&[through(dec("10")), over(dec("10"))]), []);
        assert_eq!(problems(&[below(dec("10")), from(dec("10"))]), []);
    }

    #[test]
    fn layout_problems() {
        assert_eq!(
            problems(&[through(dec("5")), through(dec("5")), above()]),
            [Problem::Empty {
                band: 1,
                lower_written: false
            }]
        );
        assert_eq!(
            problems(&[above(), through(dec("5"))]),
            [Problem::AfterOpenBand { band: 1 }]
        );
        let unknown = Band {
            lower: None,
            upper: Some(End {
                at: None,
                included: true,
            }),
        };
        assert_eq!(problems(&[unknown, through(dec("5")), above()]), []);
    }

    #[test]
    fn marginal_portions_add_up_to_the_value() {
        // First USD 1,000,000 at one rate, the next 4,000,000 at another,
        // the rest at a third: USD 6,500,000 splits 1,000,000 / 4,000,000 /
        // 1,500,000.
        let bands = filled(&[through(dec("1000000")), through(dec("5000000")), above()]);
        assert_eq!(
            portions(&bands, dec("6500000")).unwrap(),
            [dec("1000000"), dec("4000000"), dec("1500000")]
        );
        assert_eq!(
            portions(&bands, dec("1000000")).unwrap(),
            [dec("1000000"), dec("0"), dec("0")]
        );
        assert_eq!(
            portions(&bands, dec("-5")).unwrap(),
            [dec("0"), dec("0"), dec("0")]
        );
        // A first bound below zero: the table still starts at zero, so a
        // value of 500 is all in the second band, not 1,500 of it.
        let bands = filled(&[through(dec("-1000")), above()]);
        assert_eq!(
            portions(&bands, dec("500")).unwrap(),
            [dec("0"), dec("500")]
        );
    }
}
