//! Prohibitions (`A must not ...`) and permissions (`A may ...`): an act
//! in a prohibition's window breaches it unless its own carve-outs or an
//! exception clause lift it; a permission elsewhere, with no priority over
//! the prohibition, makes a conflict, never a silent pick.

use super::{Ending, Step};
use crate::ast::*;
use crate::diagnostics::Diagnostic;
use crate::eval::engine::{Engine, Rule};
use crate::eval::event::Event;
use crate::eval::milestones::Milestones;
use crate::eval::outcome::{Ground, Permitted, RightAvailable, Violation};
use crate::eval::windows::{Closed, Days};
use crate::model::ClauseId;

/// What a prohibition makes of an event.
enum Verdict {
    /// The event is not an act the prohibition names, in its window.
    NotConcerned,
    /// The prohibition's own `except`/`unless` lets it off.
    CarvedOut,
    /// An exception clause (this one) excludes or permits it.
    LiftedBy(ClauseId),
    Breach(Violation),
}

/// The breaches found so far, by rule index.
#[derive(Default)]
pub(in crate::eval) struct Prohibitions {
    violations: Vec<(usize, Violation)>,
    permitted: Vec<(usize, Permitted)>,
}

impl Prohibitions {
    /// What prohibition `index` makes of an event, with its window that day.
    pub(in crate::eval) fn apply(
        &mut self,
        step: &mut Step<'_, '_>,
        index: usize,
        rule: &Rule<'_>,
        prohibition: &ActionRule,
        window: Result<Days, Closed>,
        event: &Event,
    ) -> Result<(), Diagnostic> {
        let Ok(days) = window else { return Ok(()) };
        let verdict = prohibition_verdict(
            step.engine,
            rule,
            prohibition,
            days,
            event,
            step.rules,
            step.term,
            step.milestones,
        )?;
        match verdict {
            Verdict::NotConcerned => {}
            Verdict::CarvedOut => step.exercise(rule.clause),
            Verdict::LiftedBy(exception) => {
                step.exercise(rule.clause);
                step.exercise(exception);
                self.permitted.push((
                    index,
                    Permitted {
                        clause: exception,
                        over: rule.clause,
                        event: event.seq,
                    },
                ));
                step.note(event);
            }
            Verdict::Breach(violation) => {
                self.violations.push((index, violation));
                step.note(event);
            }
        }
        Ok(())
    }

    /// The breaches rule by rule, in the order of the events, each with its
    /// rule's window as it stands at the end; and the acts exceptions
    /// allowed, by the prohibition they were allowed over, in event order.
    pub(in crate::eval) fn finish(self, end: &Ending<'_, '_>) -> (Vec<Violation>, Vec<Permitted>) {
        let mut violations = self.violations;
        violations.sort_by_key(|(index, _)| *index);
        let violations = violations
            .into_iter()
            .map(|(index, mut violation)| {
                if let Some(Ok(days)) = end.rules.get(index).map(|r| end.window_of(r)) {
                    violation.window = days;
                }
                violation
            })
            .collect();
        let mut permitted = self.permitted;
        // Stable: within a rule, in the order the events were evaluated
        // (date, then file order), never by position in the file alone.
        permitted.sort_by_key(|(index, _)| *index);
        (violations, permitted.into_iter().map(|(_, p)| p).collect())
    }
}

/// A permission decides nothing by itself; it is exercised (for coverage)
/// once it has applied to an act.
pub(in crate::eval) fn apply_permission(
    step: &mut Step<'_, '_>,
    rule: &Rule<'_>,
    permission: &ActionRule,
    event: &Event,
) -> Result<(), Diagnostic> {
    if !step.exercised.contains(&rule.clause)
        && step
            .engine
            .permits(rule, permission, event, step.term, step.milestones)?
    {
        step.exercise(rule.clause);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn prohibition_verdict(
    engine: &Engine<'_>,
    rule: &Rule<'_>,
    prohibition: &ActionRule,
    days: Days,
    event: &Event,
    rules: &[Rule<'_>],
    term: Days,
    milestones: &Milestones<'_>,
) -> Result<Verdict, Diagnostic> {
    if !days.contains(event.date)
        || !event.done_by(engine.actor(&prohibition.party))
        || !engine.action_matches(&prohibition.action, event)?
    {
        return Ok(Verdict::NotConcerned);
    }
    if engine.carved_out(&prohibition.carve_outs, event)?.is_some() {
        return Ok(Verdict::CarvedOut);
    }
    if let Some(exception) = engine.lifted_by(rule, event, term, milestones)? {
        return Ok(Verdict::LiftedBy(exception));
    }
    // A permission elsewhere, with no priority over this prohibition.
    let conflicting = rules
        .iter()
        .filter(|other| {
            // A permission in an exception to this clause lifts the
            // prohibition (above); one in a clause this one is an exception
            // to is limited by it: neither is a conflict.
            other.clause != rule.clause
                && !engine.contract().is_exception_to(other.clause, rule.clause)
                && !engine.contract().is_exception_to(rule.clause, other.clause)
        })
        .find_map(|other| {
            let permission = other.statement.as_permission()?;
            match engine.permits(other, permission, event, term, milestones) {
                Ok(true) => Some(Ok(other.clause)),
                Ok(false) => None,
                Err(e) => Some(Err(e)),
            }
        })
        .transpose()?;
    Ok(Verdict::Breach(Violation {
        clause: rule.clause,
        rule: rule.statement.span(),
        event: event.seq,
        carve_outs: prohibition.carve_outs.iter().map(|c| c.span).collect(),
        exceptions: engine.contract().exceptions_to(rule.clause).to_vec(),
        conflicting,
        window: days,
        ground: Ground::Prohibited,
    }))
}

/// The permissions whose window opened after the effective date, by the
/// report date: rights that became exercisable (a permission open from the
/// start is a standing term of the contract, not something that happened).
pub(in crate::eval) fn rights(end: &Ending<'_, '_>) -> Vec<RightAvailable> {
    let engine = end.engine;
    end.rules
        .iter()
        .filter_map(|rule| {
            let permission = rule.statement.as_permission()?;
            let window = end.window_of(rule).ok()?;
            if window.first <= end.term.first || window.first > end.as_of {
                return None;
            }
            Some(RightAvailable {
                clause: rule.clause,
                rule: rule.statement.span(),
                party: engine.actor(&permission.party)?,
                action: engine
                    .contract()
                    .event_type_named(&permission.action.event.node)?,
                window,
                arising: None,
            })
        })
        .collect()
}
