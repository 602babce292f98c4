//! Rights that arise on a default (`then licensor may terminate`): the
//! acts that exercise one while events go by, and at the end, once every
//! obligation's due date, performance and cure period are known, when each
//! right lasted and whether each act had a right behind it.
//!
//! A right arises the day an obligation of its rule is in default: the day
//! after its due date when it was not performed in full by then, or, when
//! the rule gives a cure period, the day after a cure period that ran out.
//! It lasts through the day before the obligation is performed in full. An
//! act of the right's kind by its party while no such right lasts (and no
//! permission of the contract allows it) is a violation.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::ast::{ArisingRight, Span, Statement};
use crate::diagnostics::Diagnostic;
use crate::eval::engine::{Engine, Rule};
use crate::eval::event::Event;
use crate::eval::milestones::Milestones;
use crate::eval::outcome::{
    Act, Arising, CureState, EventNote, Ground, Obligation, RightAvailable, Violation,
};
use crate::eval::windows::Days;
use crate::model::{ClauseId, EventTypeId};

/// The rights a rule's default gives (payments and obligations to act).
pub(in crate::eval) fn rights_of<'r>(rule: &'r Rule<'_>) -> &'r [ArisingRight] {
    match rule.statement {
        Statement::Pay(pay) => &pay.rights,
        Statement::Do(duty) => &duty.rights,
        Statement::MustNot(_)
        | Statement::May(_)
        | Statement::Grant(_)
        | Statement::Exclusion(_)
        | Statement::Holding(_)
        | Statement::Own(_)
        | Statement::CapTable(_)
        | Statement::Commitment(_)
        | Statement::Suspension(_)
        | Statement::Cap(_) => &[],
    }
}

/// The days a right lasted (first, last or `None` while it lasts) and its
/// place in the list of rights.
type Lasted = (Date, Option<Date>, usize);

/// An act of the kind some right names, by its party.
struct Exercise {
    seq: usize,
    date: Date,
    note: EventNote,
    /// The rules and rights (by index) it would exercise.
    rights: Vec<(usize, usize)>,
    /// Whether a permission of the contract allowed it anyway.
    permitted: bool,
}

/// The acts that exercise rights arising on a default, in date order.
pub(in crate::eval) struct Exercises {
    /// The event types some right names.
    kinds: Vec<EventTypeId>,
    seen: Vec<Exercise>,
}

impl Exercises {
    pub(in crate::eval) fn new(engine: &Engine<'_>, rules: &[Rule<'_>]) -> Self {
        let mut kinds: Vec<EventTypeId> = rules
            .iter()
            .flat_map(rights_of)
            .filter_map(|right| engine.contract().event_type_named(&right.action.event.node))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        Exercises {
            kinds,
            seen: Vec::new(),
        }
    }

    /// Notes an event that exercises some right arising on a default.
    pub(in crate::eval) fn record(
        &mut self,
        engine: &Engine<'_>,
        rules: &[Rule<'_>],
        event: &Event,
        term: Days,
        milestones: &Milestones<'_>,
    ) -> Result<(), Diagnostic> {
        if !self.kinds.contains(&event.kind) {
            return Ok(());
        }
        let mut found = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            for (which, right) in rights_of(rule).iter().enumerate() {
                if engine.party(&right.party) == event.by
                    && engine.action_matches(&right.action, event)?
                {
                    found.push((index, which));
                }
            }
        }
        if found.is_empty() {
            return Ok(());
        }
        let mut permitted = false;
        for rule in rules {
            if let Some(permission) = rule.statement.as_permission()
                && engine.permits(rule, permission, event, term, milestones)?
            {
                permitted = true;
                break;
            }
        }
        self.seen.push(Exercise {
            seq: event.seq,
            date: event.date,
            note: EventNote::of(event),
            rights: found,
            permitted,
        });
        Ok(())
    }

    /// The rights that arose by `as_of`, and the acts that exercised a
    /// right none had given.
    pub(in crate::eval) fn finish(
        self,
        engine: &Engine<'_>,
        rules: &[Rule<'_>],
        (obligations, acts): (&[Obligation], &[Act]),
        as_of: Date,
        notes: &mut BTreeMap<usize, EventNote>,
    ) -> (Vec<RightAvailable>, Vec<Violation>) {
        // Each obligation in default under a rule with rights: its rule
        // (by where it is written), and when it was in default.
        let mut defaults: Vec<(ClauseId, Span, Arising, Days)> = Vec::new();
        for o in obligations {
            if let Some(found) = in_default(o.due, o.discharged_on, o.cure, as_of) {
                defaults.push((o.clause, o.rule, with_period(found.0, o.period), found.1));
            }
        }
        for a in acts {
            if let Some(found) = in_default(a.due, a.done_on, a.cure, as_of) {
                defaults.push((a.clause, a.rule, found.0, found.1));
            }
        }
        let mut rights = Vec::new();
        // (rule index, right index, default) for every right that arose.
        let mut arisen: Vec<(usize, usize, usize)> = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let given = rights_of(rule);
            if given.is_empty() {
                continue;
            }
            let span = rule.statement.span();
            for (d, (clause, at, arising, days)) in defaults.iter().enumerate() {
                if *clause != rule.clause || *at != span {
                    continue;
                }
                for (which, right) in given.iter().enumerate() {
                    let (Some(party), Some(action)) = (
                        engine.party(&right.party),
                        engine.contract().event_type_named(&right.action.event.node),
                    ) else {
                        continue;
                    };
                    arisen.push((index, which, d));
                    rights.push(RightAvailable {
                        clause: rule.clause,
                        rule: right.span,
                        party: crate::model::Actor::Party(party),
                        action,
                        window: *days,
                        arising: Some(*arising),
                    });
                }
            }
        }
        // By right, the days each lasted, sorted by first day, with the
        // furthest-reaching so far at each place: whether a right lasted
        // on a day is then one search, however many defaults there were.
        let mut by_right: BTreeMap<(usize, usize), Vec<Lasted>> = BTreeMap::new();
        for (position, &(index, which, d)) in arisen.iter().enumerate() {
            if let Some((_, _, _, days)) = defaults.get(d) {
                by_right
                    .entry((index, which))
                    .or_default()
                    .push((days.first, days.last, position));
            }
        }
        for windows in by_right.values_mut() {
            windows.sort_unstable();
        }
        // At each place in a right's list: the window reaching furthest
        // among those so far (a right without end reaches furthest of all).
        let reach: BTreeMap<(usize, usize), Vec<Option<Date>>> = by_right
            .iter()
            .map(|(right, windows)| {
                let mut best: Option<Option<Date>> = None;
                let reached = windows
                    .iter()
                    .map(|&(_, last, _)| {
                        let furthest = match best {
                            None => last,
                            Some(None) => None,
                            Some(Some(b)) => last.map(|l| l.max(b)),
                        };
                        best = Some(furthest);
                        furthest
                    })
                    .collect();
                (*right, reached)
            })
            .collect();
        // For naming the first act that exercised each right: the acts come
        // in date order, so each right's windows are passed once, in order
        // of their first day.
        let mut next: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        let mut violations = Vec::new();
        for exercise in self.seen {
            // A right of its kind that lasted on its day.
            let mut backed = false;
            for right in &exercise.rights {
                let (Some(windows), Some(reached)) = (by_right.get(right), reach.get(right)) else {
                    continue;
                };
                let started = windows.partition_point(|(first, _, _)| *first <= exercise.date);
                if let Some(furthest) = started.checked_sub(1).and_then(|i| reached.get(i))
                    && furthest.is_none_or(|last| last >= exercise.date)
                {
                    backed = true;
                }
                let from = next.entry(*right).or_default();
                for &(_, last, position) in windows.get(*from..started).unwrap_or(&[]) {
                    if last.is_none_or(|last| last >= exercise.date)
                        && let Some(right) = rights.get_mut(position)
                        && let Some(arising) = right.arising.as_mut()
                        && arising.exercised_by.is_none()
                    {
                        arising.exercised_by = Some(exercise.seq);
                        notes.entry(exercise.seq).or_insert(exercise.note.clone());
                    }
                }
                *from = started.max(*from);
            }
            if backed || exercise.permitted {
                continue;
            }
            let Some(&(index, which)) = exercise.rights.first() else {
                continue;
            };
            let (Some(rule), Some(right)) = (
                rules.get(index),
                rules.get(index).and_then(|r| rights_of(r).get(which)),
            ) else {
                continue;
            };
            notes.entry(exercise.seq).or_insert(exercise.note);
            violations.push(Violation {
                clause: rule.clause,
                rule: right.span,
                event: exercise.seq,
                carve_outs: Vec::new(),
                exceptions: Vec::new(),
                conflicting: None,
                window: Days {
                    first: exercise.date,
                    last: Some(exercise.date),
                },
                ground: Ground::NoRightArisen,
            });
        }
        (rights, violations)
    }
}

/// The damages each obligation to act in default owes (`then PARTY must
/// pay ...`): one payment per default and per damages written, arising on
/// the first day in default and due `within` after it (or that day), its
/// amount rounded as the header rounds amounts.
pub(in crate::eval) fn damages(
    end: &super::Ending<'_, '_>,
    acts: &[Act],
) -> Result<Vec<Obligation>, Diagnostic> {
    let engine = end.engine;
    let rounding = engine
        .contract()
        .file
        .header
        .as_ref()
        .and_then(|h| h.rounding.as_ref());
    let mut owed = Vec::new();
    for act in acts {
        let Some(duty) = end
            .rules
            .iter()
            .filter(|r| r.clause == act.clause && r.statement.span() == act.rule)
            .find_map(|r| r.statement.as_duty())
        else {
            continue;
        };
        if duty.damages.is_empty() {
            continue;
        }
        let Some((arising, days)) = in_default(act.due, act.done_on, act.cure, end.as_of) else {
            continue;
        };
        for payment in &duty.damages {
            let (Some(debtor), Some(creditor)) = (
                engine.party(&payment.debtor),
                engine.party(&payment.creditor),
            ) else {
                continue;
            };
            let working = crate::eval::compute::Working::default();
            let value = crate::eval::compute::Context {
                working: Some(&working),
                ..engine.blank_context()
            }
            .value(&payment.amount)?;
            let crate::eval::compute::Val::Money(unrounded) = value else {
                return Err(Diagnostic::error(
                    crate::diagnostics::Code::EvaluationError,
                    "damages that are not money",
                    payment.amount.span,
                    "here",
                ));
            };
            let (amount, note) = match rounding {
                Some(r) => (
                    crate::ast::Money {
                        currency: unrounded.currency,
                        amount: crate::eval::compute::round_to(
                            unrounded.amount,
                            r.unit.node,
                            r.mode.node,
                            payment.amount.span,
                        )?,
                    },
                    Some(format!(
                        "{} to {} (the contract's default)",
                        r.mode.node.as_str(),
                        r.unit.node
                    )),
                ),
                None => (unrounded, None),
            };
            let due = match &payment.within {
                Some(within) => within.node.after(days.first),
                None => Some(days.first),
            };
            let mut lines = vec![match arising.cure_until {
                Some(until) => format!(
                    "the obligation due {} was in default from {}, after its cure period ended on {until}",
                    arising.due, days.first
                ),
                None => format!(
                    "the obligation due {} was in default from {}, not performed by its due date",
                    arising.due, days.first
                ),
            }];
            lines.extend(working.into_inner());
            owed.push(Obligation {
                clause: act.clause,
                rule: payment.span,
                debtor,
                creditor,
                amount,
                unrounded,
                rounding: note,
                prorated: None,
                working: lines,
                window: None,
                paid: rust_decimal::Decimal::ZERO,
                period: None,
                due,
                status: crate::eval::outcome::Status::Open,
                events: act.raised_by.into_iter().collect(),
                raised: days.first,
                payments: Vec::new(),
                discharged_on: None,
                paid_on: Vec::new(),
                interest: None,
                cure: None,
                moved: Vec::new(),
                capped: Vec::new(),
                source: crate::eval::outcome::Source::Default {
                    missed: arising.due,
                },
            });
        }
    }
    Ok(owed)
}

fn with_period(mut arising: Arising, period: Option<crate::eval::event::PeriodValue>) -> Arising {
    arising.period = period;
    arising
}

/// When an obligation due on `due` and performed in full on `performed`
/// was in default by `as_of`: from the day after its due date (or after a
/// cure period that ran out) through the day before it was performed.
/// `None` when it never was: performed on time or within its cure period,
/// not yet due, or still awaiting a notice or in cure.
fn in_default(
    due: Option<Date>,
    performed: Option<Date>,
    cure: Option<CureState>,
    as_of: Date,
) -> Option<(Arising, Days)> {
    let due = due?;
    let (first, cure_until) = match cure {
        Some(CureState::Defaulted { until, .. }) => (until.tomorrow().ok()?, Some(until)),
        Some(CureState::AwaitingNotice | CureState::InCure { .. } | CureState::Cured { .. }) => {
            return None;
        }
        // No cure period: a breach is a default. (With a cure period, a
        // state of `None` means it was performed on time or is not due.)
        None => {
            if performed.is_some_and(|day| day <= due) {
                return None;
            }
            (due.tomorrow().ok()?, None)
        }
    };
    if first > as_of || performed.is_some_and(|day| day <= first) {
        return None;
    }
    let last = match performed {
        Some(day) => Some(day.yesterday().ok()?),
        None => None,
    };
    Some((
        Arising {
            due,
            cure_until,
            performed,
            period: None,
            exercised_by: None,
        },
        Days { first, last },
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn window(
        due: &str,
        performed: Option<&str>,
        cure: Option<CureState>,
    ) -> Option<(String, Option<String>)> {
        in_default(Some(day(due)), performed.map(day), cure, day("2026-12-31"))
            .map(|(_, d)| (d.first.to_string(), d.last.map(|l| l.to_string())))
    }

    #[test]
    fn without_a_cure_period_a_default_runs_from_the_day_after_the_due_date_until_performance() {
        assert_eq!(
            window("2026-04-30", Some("2026-05-20"), None),
            Some(("2026-05-01".into(), Some("2026-05-19".into())))
        );
        assert_eq!(
            window("2026-04-30", None, None),
            Some(("2026-05-01".into(), None))
        );
        // On time, or the day after (no whole day in default): no right.
        assert_eq!(window("2026-04-30", Some("2026-04-30"), None), None);
        assert_eq!(window("2026-04-30", Some("2026-05-01"), None), None);
        // Not yet due on the as-of date.
        assert_eq!(window("2027-01-31", None, None), None);
    }

    #[test]
    fn with_a_cure_period_only_one_that_ran_out_is_a_default() {
        let defaulted = Some(CureState::Defaulted {
            notice: None,
            until: day("2026-05-20"),
        });
        assert_eq!(
            window("2026-04-30", Some("2026-06-10"), defaulted),
            Some(("2026-05-21".into(), Some("2026-06-09".into())))
        );
        let in_cure = Some(CureState::InCure {
            notice: None,
            from: day("2026-05-05"),
            until: day("2026-05-20"),
        });
        assert_eq!(window("2026-04-30", None, in_cure), None);
        assert_eq!(
            window("2026-04-30", None, Some(CureState::AwaitingNotice)),
            None
        );
    }
}
