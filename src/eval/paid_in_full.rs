//! `clause N paid in full`: a milestone reached by the payment that
//! completes what a clause owes.
//!
//! Which payment completes a clause is for settlement to say (payments set
//! against what is owed, oldest due first, across clauses), and settlement
//! is worked out only once every event is in; yet what is owed may itself
//! wait for the milestone (support owed `until` the fee is paid). So the
//! events are evaluated with an assumption of when each such clause was
//! paid, and again with what that evaluation found, until the two agree:
//! a reading that agrees with itself. Two such readings are sought, one
//! starting from every clause unpaid and one from every clause paid on
//! the effective date; when they differ, both are possible and proviso
//! will not pick one. When a reading never agrees with itself, the
//! payments and the milestone decide each other. Either is E0411.

use std::collections::BTreeMap;

use super::milestones::Reached;
use super::outcome::{Outcome, Source, Status};
use crate::ast::{ClauseNumber, Span, Statement};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Checked;

/// The most readings from one end. A chain of clauses, each owed once the
/// one before is paid, settles one more clause a reading, and each reading
/// is a whole evaluation: a longer chain would take minutes.
pub const MAX_READINGS: usize = 100;

/// When each clause a milestone waits to be paid in full was paid: the day
/// and the payment that completed it (no payment when nothing was left
/// to pay, as when a cap took the whole amount: then the start of the day
/// it arose). A clause not in the map was not paid in full.
pub type PaidInFull = BTreeMap<ClauseNumber, Reached>;

/// The clauses some milestone waits to be paid in full.
pub fn clauses_paid_in_full(contract: &Checked) -> Vec<&ClauseNumber> {
    let mut out: Vec<&ClauseNumber> = Vec::new();
    for milestone in &contract.file.milestones {
        crate::visit::milestone_clauses(&milestone.condition, &mut |number| out.push(number));
    }
    out.sort();
    out.dedup();
    out
}

/// What an outcome says of each clause a milestone waits to be paid in
/// full: paid once every payment the clause owes (each made once) has
/// arisen and been paid, by the payment that completed the last of them.
pub fn paid_in_full(contract: &Checked, outcome: &Outcome) -> PaidInFull {
    let mut out = PaidInFull::new();
    for number in clauses_paid_in_full(contract) {
        let Some((id, clause)) = contract
            .clause_numbered(number)
            .and_then(|id| contract.clause(id).map(|c| (id, c)))
        else {
            continue;
        };
        let mut last: Option<Reached> = None;
        let mut all_paid = true;
        for statement in &clause.statements {
            let Statement::Pay(pay) = statement else {
                continue;
            };
            let owed: Vec<_> = outcome
                .obligations
                .iter()
                .filter(|o| o.clause == id && o.rule == pay.span && o.source == Source::Rule)
                .collect();
            // Not yet arisen (its window has not opened) is not paid.
            all_paid &= !owed.is_empty();
            for obligation in owed {
                let Some(day) = obligation.discharged_on else {
                    all_paid = false;
                    continue;
                };
                if obligation.status != Status::Discharged {
                    all_paid = false;
                    continue;
                }
                let reached = Reached {
                    date: day,
                    events: obligation.payments.last().copied().into_iter().collect(),
                };
                let key = |r: &Reached| (r.date, r.events.last().map(|&s| s + 1).unwrap_or(0));
                if last.as_ref().is_none_or(|l| key(&reached) > key(l)) {
                    last = Some(reached);
                }
            }
        }
        if all_paid && let Some(reached) = last {
            out.insert(number.clone(), reached);
        }
    }
    out
}

/// Whether a contract has a milestone reached when a clause is paid in
/// full, and so is evaluated more than once.
pub fn needed(contract: &Checked) -> bool {
    !clauses_paid_in_full(contract).is_empty()
}

/// The outcome of evaluating the events under the reading that agrees with
/// itself, or the E0411 that says why there is no one such reading.
/// `evaluate` evaluates the events with each clause taken as paid when the
/// map says; its own errors are passed on.
pub fn settle<E>(
    contract: &Checked,
    mut evaluate: impl FnMut(&PaidInFull) -> Result<Outcome, E>,
) -> Result<Result<Outcome, Diagnostic>, E> {
    let clauses = clauses_paid_in_full(contract);
    if clauses.is_empty() {
        return evaluate(&PaidInFull::new()).map(Ok);
    }
    // A chain of clauses, each owing only once the one before is paid,
    // settles one more clause a round.
    let rounds = clauses
        .len()
        .saturating_mul(2)
        .saturating_add(4)
        .min(MAX_READINGS);
    let (low, outcome) = match agree(contract, PaidInFull::new(), rounds, &mut evaluate)? {
        Agreed::Yes(low, outcome) => (low, outcome),
        Agreed::Never {
            now,
            before,
            circle,
        } => {
            return Ok(Err(if circle {
                unsettled(contract, &now, &before)
            } else {
                too_many_readings(contract, &now, &before, rounds)
            }));
        }
    };
    // From the other end: every clause paid as the contract begins.
    if let Some(day) = contract.effective_date() {
        let all_paid: PaidInFull = clauses
            .iter()
            .map(|&number| {
                (
                    number.clone(),
                    Reached {
                        date: day,
                        events: Vec::new(),
                    },
                )
            })
            .collect();
        // A reading from there that never agrees with itself leaves the
        // first as the one that does.
        if let Agreed::Yes(high, _) = agree(contract, all_paid, rounds, &mut evaluate)?
            && high != low
        {
            return Ok(Err(two_readings(contract, &low, &high)));
        }
    }
    Ok(Ok(*outcome))
}

/// Where a run of readings from one assumption ends.
enum Agreed {
    /// At a reading that agrees with itself, with its outcome.
    Yes(PaidInFull, Box<Outcome>),
    /// Nowhere: back to an assumption tried before (`circle`), or still
    /// moving after the rounds allowed; the last assumption and what it
    /// gave.
    Never {
        now: PaidInFull,
        before: PaidInFull,
        circle: bool,
    },
}

fn agree<E>(
    contract: &Checked,
    mut assumed: PaidInFull,
    rounds: usize,
    evaluate: &mut impl FnMut(&PaidInFull) -> Result<Outcome, E>,
) -> Result<Agreed, E> {
    let mut tried: Vec<PaidInFull> = Vec::new();
    loop {
        let outcome = evaluate(&assumed)?;
        let found = paid_in_full(contract, &outcome);
        if found == assumed {
            return Ok(Agreed::Yes(found, Box::new(outcome)));
        }
        let circle = tried.contains(&found);
        if circle || tried.len() >= rounds {
            return Ok(Agreed::Never {
                now: found,
                before: assumed,
                circle,
            });
        }
        tried.push(std::mem::replace(&mut assumed, found));
    }
}

/// `paid on 2026-03-01`, or `unpaid`.
fn shown(paid: Option<&Reached>) -> String {
    paid.map_or_else(|| "unpaid".to_string(), |r| format!("paid on {}", r.date))
}

/// The first clause two readings disagree on, with where the first
/// milestone that waits for it is named.
fn disagreement<'c>(
    contract: &'c Checked,
    a: &PaidInFull,
    b: &PaidInFull,
) -> (Option<&'c ClauseNumber>, Span, String) {
    let clause = clauses_paid_in_full(contract)
        .into_iter()
        .find(|n| a.get(*n) != b.get(*n));
    let milestone = clause.and_then(|number| {
        contract.file.milestones.iter().find(|m| {
            let mut found = false;
            crate::visit::milestone_clauses(&m.condition, &mut |c| found |= c == number);
            found
        })
    });
    match milestone {
        Some(m) => (
            clause,
            m.name.span,
            format!("`{}` waits for it", m.name.node),
        ),
        None => (clause, Span::default(), String::new()),
    }
}

/// A reading that never agrees with itself.
fn unsettled(contract: &Checked, now: &PaidInFull, before: &PaidInFull) -> Diagnostic {
    let (clause, span, label) = disagreement(contract, now, before);
    let number = clause.map_or_else(String::new, ToString::to_string);
    Diagnostic::error(
        Code::PaidInFullCycle,
        format!(
            "whether clause {number} is paid in full turns on itself: taken as {}, the payments leave it {}",
            shown(clause.and_then(|n| before.get(n))),
            shown(clause.and_then(|n| now.get(n))),
        ),
        span,
        label,
    )
    .with_help(format!(
        "the payments that settle clause {number} also settle amounts whose window or due date waits for this milestone; count those from another milestone or a date, or settle them by an event of their own (`settled by ...`)"
    ))
}

/// Readings still moving when proviso stopped.
fn too_many_readings(
    contract: &Checked,
    now: &PaidInFull,
    before: &PaidInFull,
    rounds: usize,
) -> Diagnostic {
    let (clause, span, label) = disagreement(contract, now, before);
    let number = clause.map_or_else(String::new, ToString::to_string);
    Diagnostic::error(
        Code::PaidInFullCycle,
        format!(
            "after {rounds} readings of the events, whether clause {number} is paid in full was still changing: {} on one, {} on the next",
            shown(clause.and_then(|n| before.get(n))),
            shown(clause.and_then(|n| now.get(n))),
        ),
        span,
        label,
    )
    .with_help(format!(
        "each reading settles at least one more of a chain of clauses each owed once the one before is paid, and proviso reads the events at most {MAX_READINGS} times; shorten the chain, or count the later clauses' windows from dates"
    ))
}

/// Two readings that each agree with themselves.
fn two_readings(contract: &Checked, low: &PaidInFull, high: &PaidInFull) -> Diagnostic {
    let (clause, span, label) = disagreement(contract, low, high);
    let number = clause.map_or_else(String::new, ToString::to_string);
    Diagnostic::error(
        Code::PaidInFullCycle,
        format!(
            "clause {number} may be read as {} or as {}: each reading agrees with the payments",
            shown(clause.and_then(|n| high.get(n))),
            shown(clause.and_then(|n| low.get(n))),
        ),
        span,
        label,
    )
    .with_help(format!(
        "what is owed while the milestone is not reached takes a share of the payment that would complete clause {number}, so the answer turns on itself; settle those amounts by an event of their own (`settled by ...`), or count their window from a date"
    ))
}
