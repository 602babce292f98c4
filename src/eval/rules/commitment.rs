//! Commitments (`A commits to B at least ... of total ...`): the events
//! that count towards each, and what remains at the end.

use rust_decimal::Decimal;

use super::{Ending, Step};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::eval::compute::Val;
use crate::eval::engine::{Engine, Rule};
use crate::eval::event::Event;
use crate::eval::outcome::{CommitmentProgress, CommitmentStatus};
use crate::model::ClauseId;

/// The progress of one commitment.
#[derive(Default)]
struct Progress {
    fulfilled: Decimal,
    counted: Vec<usize>,
    /// The day the progress first reached the target.
    met_on: Option<jiff::civil::Date>,
}

/// The progress of every commitment, by rule index (empty for rules of
/// other kinds).
pub(in crate::eval) struct Commitments {
    progress: Vec<Progress>,
    /// The target of each commitment, when it can be worked out.
    targets: Vec<Option<Val>>,
}

impl Commitments {
    pub(in crate::eval) fn new(engine: &Engine<'_>, rules: &[Rule<'_>]) -> Self {
        Commitments {
            progress: rules.iter().map(|_| Progress::default()).collect(),
            targets: rules
                .iter()
                .map(|rule| {
                    let commitment = rule.statement.as_commitment()?;
                    engine.blank_context().value(&commitment.target).ok()
                })
                .collect(),
        }
    }

    /// What an event in its window adds to commitment `index`.
    pub(in crate::eval) fn apply(
        &mut self,
        step: &mut Step<'_, '_>,
        index: usize,
        rule: &Rule<'_>,
        commitment: &Commitment,
        event: &Event,
    ) -> Result<(), Diagnostic> {
        let Some(target) = self.targets.get(index).and_then(Option::as_ref) else {
            return Ok(());
        };
        let counted = match commitment_amount(step, rule, commitment, target, event)? {
            Ok(counted) => counted,
            Err(decided) => {
                step.exercise(decided);
                None
            }
        };
        if let Some(amount) = counted {
            let Some(state) = self.progress.get_mut(index) else {
                return Ok(());
            };
            state.fulfilled = state.fulfilled.checked_add(amount).ok_or_else(|| {
                Diagnostic::error(
                    Code::ArithmeticOverflow,
                    "the commitment's progress is too large",
                    commitment.span,
                    "here",
                )
            })?;
            state.counted.push(event.seq);
            // Met on the day progress reaches the target; a correction
            // below zero (a `signed money` measure) can take it back under.
            if state.fulfilled >= target_amount(target) {
                state.met_on = state.met_on.or(Some(event.date));
            } else {
                state.met_on = None;
            }
            step.note(event);
        }
        Ok(())
    }

    /// Each commitment's progress at the end, in the order of the rules.
    pub(in crate::eval) fn finish(
        mut self,
        end: &Ending<'_, '_>,
    ) -> Result<Vec<CommitmentProgress>, Diagnostic> {
        let engine = end.engine;
        let mut found = Vec::new();
        for (index, rule) in end.rules.iter().enumerate() {
            let Some(commitment) = rule.statement.as_commitment() else {
                continue;
            };
            // Worked out again so that an error in the target is reported.
            let target = engine.blank_context().value(&commitment.target)?;
            let target_amount = target_amount(&target);
            let party = engine.party(&commitment.party).ok_or_else(|| {
                Diagnostic::error(
                    Code::EvaluationError,
                    "unknown party",
                    commitment.span,
                    "here",
                )
            })?;
            let state = self
                .progress
                .get_mut(index)
                .map(std::mem::take)
                .unwrap_or_default();
            // The target must be reached by the end of the window: once its
            // last day has passed (the as-of date is later), a shortfall is
            // a breach.
            let window = end.window_of(rule).ok();
            let (deadline, moved) = match window {
                Some(days) => {
                    end.suspending
                        .shift(rule.clause, days.first, days.last, end.as_of)
                }
                None => (None, Vec::new()),
            };
            // A target of nothing is met as the window opens.
            let met_on = state.met_on.or_else(|| {
                (state.fulfilled >= target_amount)
                    .then(|| window.map(|days| days.first))
                    .flatten()
            });
            let status = match (met_on, deadline) {
                (Some(day), _) => CommitmentStatus::Met(day),
                (None, Some(last)) if last < end.as_of => CommitmentStatus::Breached(last),
                (None, _) => CommitmentStatus::Open,
            };
            found.push(CommitmentProgress {
                clause: rule.clause,
                rule: rule.statement.span(),
                party,
                target,
                fulfilled: state.fulfilled,
                remaining: target_amount
                    .checked_sub(state.fulfilled)
                    .ok_or_else(|| {
                        Diagnostic::error(
                            Code::ArithmeticOverflow,
                            "what remains of the commitment is too large to hold exactly",
                            commitment.span,
                            "here",
                        )
                    })?
                    .max(Decimal::ZERO),
                events: state.counted,
                deadline,
                status,
                moved,
            });
        }
        Ok(found)
    }
}

/// The amount a target names: money's amount, or a number.
fn target_amount(target: &Val) -> Decimal {
    match target {
        Val::Money(m) => m.amount,
        Val::Number(n) => *n,
        _ => Decimal::ZERO,
    }
}

/// How much an event adds to a commitment: `Ok(Err(clause))` when a
/// carve-out or exception (in that clause) takes it out.
fn commitment_amount(
    step: &Step<'_, '_>,
    rule: &Rule<'_>,
    commitment: &Commitment,
    target: &Val,
    event: &Event,
) -> Result<Result<Option<Decimal>, ClauseId>, Diagnostic> {
    let engine = step.engine;
    if !engine.event_is(&commitment.measure.event, event) {
        return Ok(Ok(None));
    }
    let context = engine.context(event);
    if let Some(filter) = &commitment.filter
        && !context.holds(filter)?
    {
        return Ok(Ok(None));
    }
    if let Some(decided) = engine.taken_out(
        rule,
        &commitment.carve_outs,
        event,
        step.term,
        step.milestones,
    )? {
        return Ok(Err(decided));
    }
    let value = context.value(&Expr {
        kind: ExprKind::Field(commitment.measure.clone()),
        span: commitment.measure.span,
    })?;
    match (&value, target) {
        (Val::Money(v), Val::Money(t)) if v.currency == t.currency => Ok(Ok(Some(v.amount))),
        (Val::Number(n), Val::Number(_)) => Ok(Ok(Some(*n))),
        _ => Err(Diagnostic::error(
            Code::MixedCurrencies,
            "an event counts towards a commitment in another currency",
            commitment.measure.span,
            "measured here",
        )),
    }
}
