//! Commitments (`A commits to B at least ... of total ...`): the events
//! that count towards each, and what remains at the end.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::{Ending, Step};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::eval::compute::Val;
use crate::eval::compute::round_to;
use crate::eval::engine::{Engine, Rule};
use crate::eval::event::Event;
use crate::eval::event::PeriodValue;
use crate::eval::outcome::{CommitmentProgress, CommitmentStatus, Obligation, Source, Status};
use crate::eval::period;
use crate::eval::report::{decimal_text, money_text};
use crate::eval::rules::pay::periods_of;
use crate::eval::windows::Days;
use crate::model::{ClauseId, PartyId};

/// The progress of one commitment.
#[derive(Default)]
struct Progress {
    fulfilled: Decimal,
    counted: Vec<usize>,
    /// The day the progress first reached the target.
    met_on: Option<Date>,
}

/// The progress of every commitment, by rule index (empty for rules of
/// other kinds), and within a rule by period (`None` for a commitment
/// without `for each`).
pub(in crate::eval) struct Commitments {
    progress: Vec<BTreeMap<Option<PeriodValue>, Progress>>,
    /// The target of each commitment, when it can be worked out.
    targets: Vec<Option<Val>>,
}

impl Commitments {
    pub(in crate::eval) fn new(engine: &Engine<'_>, rules: &[Rule<'_>]) -> Self {
        Commitments {
            progress: rules.iter().map(|_| BTreeMap::new()).collect(),
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
            // A target for each period: the event counts towards its own.
            let period = commitment.per.as_ref().and_then(|name| {
                let info = step.engine.contract().symbols.periods.get(&name.node)?;
                Some(period::containing(info, event.date))
            });
            let Some(state) = self
                .progress
                .get_mut(index)
                .map(|periods| periods.entry(period).or_default())
            else {
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

    /// Each commitment's progress at the end, in the order of the rules
    /// (and of the periods, for a target per period), with the shortfall
    /// payments that breached ones owe.
    pub(in crate::eval) fn finish(
        mut self,
        end: &Ending<'_, '_>,
    ) -> Result<(Vec<CommitmentProgress>, Vec<Obligation>), Diagnostic> {
        let engine = end.engine;
        let mut found = Vec::new();
        let mut owed = Vec::new();
        for (index, rule) in end.rules.iter().enumerate() {
            let Some(commitment) = rule.statement.as_commitment() else {
                continue;
            };
            // Worked out again so that an error in the target is reported.
            let target = engine.blank_context().value(&commitment.target)?;
            let party = engine.party(&commitment.party).ok_or_else(|| {
                Diagnostic::error(
                    Code::EvaluationError,
                    "unknown party",
                    commitment.span,
                    "here",
                )
            })?;
            let mut states = self
                .progress
                .get_mut(index)
                .map(std::mem::take)
                .unwrap_or_default();
            let window = end.window_of(rule).ok();
            // The stretches of time, each with its own target: the window,
            // or each period of it begun by the report date.
            let stretches: Vec<(Option<PeriodValue>, Option<Days>)> = match &commitment.per {
                None => vec![(None, window)],
                Some(name) => {
                    let info = engine.contract().symbols.periods.get(&name.node);
                    let mut periods: Vec<PeriodValue> = match (info, window) {
                        (Some(info), Some(window)) => periods_of(info, window, end.as_of),
                        _ => Vec::new(),
                    };
                    // Periods with progress but outside the window (counted
                    // as the window stood on the event's day) are kept too.
                    periods.extend(states.keys().flatten().copied());
                    periods.sort();
                    periods.dedup();
                    periods
                        .into_iter()
                        .map(|p| {
                            let days = window.map(|w| Days {
                                first: w.first.max(p.first),
                                last: Some(w.last.map_or(p.last, |last| last.min(p.last))),
                            });
                            (Some(p), days)
                        })
                        .collect()
                }
            };
            for (period, days) in stretches {
                let state = states.remove(&period).unwrap_or_default();
                let progress =
                    progress_of(end, rule, commitment, &target, party, state, (period, days))?;
                if let (CommitmentStatus::Breached(deadline), Some(shortfall)) =
                    (progress.status, commitment.shortfall.as_deref())
                {
                    owed.push(shortfall_payment(
                        end, rule, commitment, &progress, shortfall, deadline,
                    )?);
                }
                found.push(progress);
            }
        }
        Ok((found, owed))
    }
}

/// Where one commitment (for one period, with a target per period) stands
/// at the end: `days` is the stretch of time it is to be met in.
fn progress_of(
    end: &Ending<'_, '_>,
    rule: &Rule<'_>,
    commitment: &Commitment,
    target: &Val,
    party: PartyId,
    state: Progress,
    (period, days): (Option<PeriodValue>, Option<Days>),
) -> Result<CommitmentProgress, Diagnostic> {
    let target_amount = target_amount(target);
    // The target must be reached by the end of the stretch: once its last
    // day has passed (the as-of date is later), a shortfall is a breach.
    // (A suspension does not move it: the events of the extra days would
    // belong to two stretches at once.)
    let deadline = days.and_then(|days| days.last);
    // A target of nothing is met as the stretch opens.
    let met_on = state.met_on.or_else(|| {
        (state.fulfilled >= target_amount)
            .then(|| days.map(|days| days.first))
            .flatten()
    });
    let status = match (met_on, deadline) {
        (Some(day), _) => CommitmentStatus::Met(day),
        (None, Some(last)) if last < end.as_of => CommitmentStatus::Breached(last),
        (None, _) => CommitmentStatus::Open,
    };
    Ok(CommitmentProgress {
        clause: rule.clause,
        rule: rule.statement.span(),
        party,
        target: target.clone(),
        period,
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
    })
}

/// What a commitment breached at `deadline` owes under its shortfall
/// payment: a share of the amount short, or a price for each unit short,
/// rounded as the contract rounds amounts; due `within` after the
/// deadline (or the day after it), to the party the commitment is made to.
fn shortfall_payment(
    end: &Ending<'_, '_>,
    rule: &Rule<'_>,
    commitment: &Commitment,
    progress: &CommitmentProgress,
    shortfall: &Shortfall,
    deadline: Date,
) -> Result<Obligation, Diagnostic> {
    let engine = end.engine;
    let overflow = || {
        Diagnostic::error(
            Code::ArithmeticOverflow,
            "the shortfall payment is too large to hold exactly",
            shortfall.span,
            "here",
        )
    };
    let short = progress.remaining;
    let (unrounded, working) = match (&shortfall.rate, &progress.target) {
        (ShortfallRate::Share(share), Val::Money(target)) => {
            let amount = share
                .node
                .checked_div(Decimal::ONE_HUNDRED)
                .and_then(|rate| rate.checked_mul(short))
                .ok_or_else(overflow)?;
            let money = Money {
                currency: target.currency,
                amount,
            };
            let shortfall_text = money_text(&Money {
                currency: target.currency,
                amount: short,
            });
            (
                money,
                format!(
                    "{}% of the shortfall {shortfall_text} = {}",
                    share.node.normalize(),
                    money_text(&money)
                ),
            )
        }
        (ShortfallRate::PerUnit(price), _) => {
            let amount = price.node.amount.checked_mul(short).ok_or_else(overflow)?;
            let money = Money {
                currency: price.node.currency,
                amount,
            };
            (
                money,
                format!(
                    "{} per unit × {} units short = {}",
                    money_text(&price.node),
                    decimal_text(short, 0),
                    money_text(&money)
                ),
            )
        }
        (ShortfallRate::Share(_), _) => {
            return Err(Diagnostic::error(
                Code::EvaluationError,
                "a share of a shortfall that is not money",
                shortfall.span,
                "here",
            ));
        }
    };
    let header_rounding = engine
        .contract()
        .file
        .header
        .as_ref()
        .and_then(|h| h.rounding.as_ref());
    let (money, rounding) = match header_rounding {
        Some(rounding) => (
            Money {
                currency: unrounded.currency,
                amount: round_to(
                    unrounded.amount,
                    rounding.unit.node,
                    rounding.mode.node,
                    shortfall.span,
                )?,
            },
            Some(format!(
                "{} to {} (the contract's default)",
                rounding.mode.node.as_str(),
                rounding.unit.node
            )),
        ),
        None => (unrounded, None),
    };
    let raised = deadline.tomorrow().unwrap_or(deadline);
    let due = match &shortfall.within {
        Some(within) => within.node.after(deadline),
        None => Some(raised),
    };
    // A payment of the clause: a suspension of it moves its due date.
    let (due, moved) = end.suspending.shift(rule.clause, raised, due, end.as_of);
    let creditor = commitment
        .beneficiary
        .as_ref()
        .and_then(|b| engine.party(b))
        .ok_or_else(|| {
            Diagnostic::error(
                Code::EvaluationError,
                "a shortfall payment with no one to pay",
                shortfall.span,
                "here",
            )
        })?;
    Ok(Obligation {
        clause: rule.clause,
        rule: rule.statement.span(),
        debtor: progress.party,
        creditor,
        amount: money,
        unrounded,
        rounding,
        prorated: None,
        working: vec![
            format!(
                "the commitment was missed at its deadline {deadline}, {} short",
                match &progress.target {
                    Val::Money(target) => money_text(&Money {
                        currency: target.currency,
                        amount: short,
                    }),
                    _ => decimal_text(short, 0),
                }
            ),
            working,
            match &shortfall.within {
                Some(within) => format!("due {} after the deadline", within.node.written()),
                None => "due the day after the deadline".to_string(),
            },
        ],
        window: None,
        paid: Decimal::ZERO,
        period: progress.period,
        due,
        status: Status::Open,
        events: Vec::new(),
        raised,
        payments: Vec::new(),
        discharged_on: None,
        paid_on: Vec::new(),
        interest: None,
        cure: None,
        moved,
        capped: Vec::new(),
        source: Source::Shortfall,
    })
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
