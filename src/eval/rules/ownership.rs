//! Ownership (`supplier owns assets made by deliver` with `title passes to
//! customer on payment by customer`, or `... once paid_in_full`): each
//! event the rule's `made by` matches makes an asset, of which the owner
//! holds the rule's share.
//!
//! Passings apply in the order of the events (by date, then as recorded):
//!
//! - `on EVENT`: at each such event, the share of every asset the rule
//!   made up to it (that event included, if it made one) passes to the
//!   party named; an asset made later stays with its holder until the
//!   next passing.
//! - `once MILESTONE`: at the event that reaches the milestone (at the
//!   start of its day, for a milestone reached on a date), the share of
//!   every asset made up to then passes; every asset made after it passes
//!   as it is made.
//!
//! A rule's `once` passings are applied when the rule next sees an event,
//! or at the end, in the order their milestones were reached. Each share
//! is moved only when its holder changes: the shares are kept by holder,
//! so a passing costs what it moves, not every asset made so far.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{Ending, Step};
use crate::ast::{Ownership, PassingWhen};
use crate::diagnostics::Diagnostic;
use crate::eval::engine::{Engine, Rule};
use crate::eval::event::Event;
use crate::eval::milestones::Milestones;
use crate::eval::outcome::{AssetShare, TitlePassed};
use crate::model::PartyId;

/// One rule's assets: their shares by holder, and the `once` passings
/// applied so far.
#[derive(Default)]
struct Held {
    /// For each holder, the places in `Titles::shares` of what it holds.
    by_holder: BTreeMap<PartyId, Vec<usize>>,
    /// The `once` lines applied (by their place in the rule), with the
    /// passing each gave, in the order applied.
    once: Vec<(usize, TitlePassed)>,
}

/// The shares of the assets made so far.
#[derive(Default)]
pub(in crate::eval) struct Titles {
    /// Every share, with its rule's index, in the order made.
    shares: Vec<(usize, AssetShare)>,
    /// By rule index.
    held: BTreeMap<usize, Held>,
}

impl Titles {
    /// What ownership rule `index` makes of an event: the `once` passings
    /// reached before it, a new asset, then a passing of title on it.
    pub(in crate::eval) fn apply(
        &mut self,
        step: &mut Step<'_, '_>,
        index: usize,
        rule: &Rule<'_>,
        ownership: &Ownership,
        event: &Event,
    ) -> Result<(), Diagnostic> {
        let engine = step.engine;
        let Some(owner) = engine.party(&ownership.owner) else {
            return Ok(());
        };
        self.catch_up(step.milestones, engine, index, ownership, Some(event));
        if engine.action_matches(&ownership.made_by, event)? {
            let mut share = AssetShare {
                clause: rule.clause,
                rule: rule.statement.span(),
                made_by: event.seq,
                share: ownership
                    .share
                    .as_ref()
                    .map_or(Decimal::ONE_HUNDRED, |s| s.node.normalize()),
                first_owner: owner,
                owner,
                passed: Vec::new(),
            };
            // Made after a milestone that passes title: it passes as it
            // is made, to the party of the last such milestone reached.
            let held = self.held.entry(index).or_default();
            if let Some(&(_, last)) = held.once.last()
                && last.to != owner
            {
                share.owner = last.to;
                share.passed.push(TitlePassed {
                    event: Some(event.seq),
                    date: event.date,
                    to: last.to,
                });
            }
            held.by_holder
                .entry(share.owner)
                .or_default()
                .push(self.shares.len());
            self.shares.push((index, share));
            step.note(event);
            step.exercise(rule.clause);
        }
        for passing in &ownership.passes {
            let PassingWhen::On(on) = &passing.when else {
                continue;
            };
            if !engine.pattern_matches(on, event)? {
                continue;
            }
            let Some(to) = engine.party(&passing.to) else {
                continue;
            };
            let passed = TitlePassed {
                event: Some(event.seq),
                date: event.date,
                to,
            };
            if self.pass(index, passed) {
                step.note(event);
                step.exercise(rule.clause);
            }
        }
        Ok(())
    }

    /// Passes every share rule `index` made so far to `passed.to`;
    /// whether any passed. Only the shares held by others move.
    fn pass(&mut self, index: usize, passed: TitlePassed) -> bool {
        let held = self.held.entry(index).or_default();
        let others: Vec<PartyId> = held
            .by_holder
            .keys()
            .copied()
            .filter(|holder| *holder != passed.to)
            .collect();
        let mut moved = Vec::new();
        for holder in others {
            moved.extend(held.by_holder.remove(&holder).unwrap_or_default());
        }
        for &place in &moved {
            if let Some((_, share)) = self.shares.get_mut(place) {
                share.owner = passed.to;
                share.passed.push(passed);
            }
        }
        let any = !moved.is_empty();
        held.by_holder.entry(passed.to).or_default().extend(moved);
        any
    }

    /// Applies, in the order reached, the `once` passings of rule `index`
    /// whose milestones were reached before `event` (by an earlier event,
    /// or on a date no later than its day); with no event, all reached.
    fn catch_up(
        &mut self,
        milestones: &Milestones<'_>,
        engine: &Engine<'_>,
        index: usize,
        ownership: &Ownership,
        event: Option<&Event>,
    ) {
        let mut due: Vec<(usize, TitlePassed)> = Vec::new();
        for (which, passing) in ownership.passes.iter().enumerate() {
            let PassingWhen::Once(milestone) = &passing.when else {
                continue;
            };
            let done = self
                .held
                .get(&index)
                .is_some_and(|h| h.once.iter().any(|(w, _)| *w == which));
            if done {
                continue;
            }
            let (Some(reached), Some(to)) = (
                milestones.reached_by_name(&milestone.node),
                engine.party(&passing.to),
            ) else {
                continue;
            };
            let by = reached.events.last().copied();
            let before = match event {
                None => true,
                Some(event) => match by {
                    Some(seq) => (reached.date, seq) < (event.date, event.seq),
                    None => reached.date <= event.date,
                },
            };
            if before {
                due.push((
                    which,
                    TitlePassed {
                        event: by,
                        date: reached.date,
                        to,
                    },
                ));
            }
        }
        // A milestone reached on a date comes before the events of its day.
        due.sort_by_key(|(_, p)| (p.date, p.event.map_or(0, |seq| seq + 1)));
        for (which, passed) in due {
            self.pass(index, passed);
            self.held
                .entry(index)
                .or_default()
                .once
                .push((which, passed));
        }
    }

    /// Every share as it stands at the report date, in the order the
    /// assets were made (then the rules').
    pub(in crate::eval) fn finish(mut self, end: &Ending<'_, '_>) -> Vec<AssetShare> {
        for (index, rule) in end.rules.iter().enumerate() {
            if let crate::ast::Statement::Own(ownership) = rule.statement {
                self.catch_up(end.milestones, end.engine, index, ownership, None);
            }
        }
        let mut shares: Vec<(usize, AssetShare)> = self.shares;
        shares.sort_by_key(|(index, share)| (share.made_by, *index));
        shares.into_iter().map(|(_, share)| share).collect()
    }
}
