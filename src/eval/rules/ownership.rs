//! Ownership (`supplier owns assets made by deliver` with `title passes to
//! customer on payment by customer`, or `... once paid_in_full`): each
//! event the rule's `made by` matches makes an asset, of which the owner
//! holds the rule's share.
//!
//! - `on EVENT`: on each such event, the share of every asset the rule
//!   made up to it (that event included, if it made one) passes to the
//!   party named; an asset made later stays with its holder until the next
//!   such event.
//! - `once MILESTONE`: on the day the milestone is reached, the share of
//!   every asset made by the end of that day passes (named by the event
//!   that reached it); every asset made later passes as it is made.
//!
//! Passings apply in the order of the events; a milestone's is applied
//! before the first event after it is reached, or at the end. Memory
//! grows with the assets made, as findings do.

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::{Ending, Step};
use crate::ast::{Ownership, PassingWhen};
use crate::diagnostics::Diagnostic;
use crate::eval::engine::Rule;
use crate::eval::event::Event;
use crate::eval::milestones::Milestones;
use crate::eval::outcome::{AssetShare, TitlePassed};

/// The shares of the assets made so far, by rule index.
#[derive(Default)]
pub(in crate::eval) struct Titles {
    shares: Vec<(usize, AssetShare)>,
    /// The `once` passings already applied: (rule index, passing index)
    /// with the event that reached the milestone and the party.
    done: Vec<((usize, usize), TitlePassed)>,
}

impl Titles {
    /// What ownership rule `index` makes of an event: the passings of
    /// milestones reached by its day, a new asset, then a passing of
    /// title on the event.
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
        self.catch_up(step.milestones, engine, index, ownership, event.date);
        if engine.action_matches(&ownership.made_by, event)? {
            let mut share = AssetShare {
                clause: rule.clause,
                rule: rule.statement.span(),
                made_by: event.seq,
                share: ownership
                    .share
                    .as_ref()
                    .map_or(Decimal::ONE_HUNDRED, |s| s.node),
                first_owner: owner,
                owner,
                passed: Vec::new(),
            };
            // Made after a milestone that passed title: it passes as made.
            for &((i, _), passed) in &self.done {
                if i == index && share.owner != passed.to {
                    share.owner = passed.to;
                    // Passes as it is made.
                    share.passed.push(TitlePassed {
                        event: Some(event.seq),
                        date: event.date,
                        to: passed.to,
                    });
                }
            }
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

    /// Passes every share rule `index` made so far; whether any passed.
    fn pass(&mut self, index: usize, passed: TitlePassed) -> bool {
        let mut passed_any = false;
        for (_, share) in self.shares.iter_mut().filter(|(i, _)| *i == index) {
            if share.owner != passed.to {
                share.owner = passed.to;
                share.passed.push(passed);
                passed_any = true;
            }
        }
        passed_any
    }

    /// Applies the `once` passings of rule `index` whose milestone was
    /// reached on or before `day`.
    fn catch_up(
        &mut self,
        milestones: &Milestones<'_>,
        engine: &crate::eval::engine::Engine<'_>,
        index: usize,
        ownership: &Ownership,
        day: Date,
    ) {
        for (which, passing) in ownership.passes.iter().enumerate() {
            let PassingWhen::Once(milestone) = &passing.when else {
                continue;
            };
            if self.done.iter().any(|(key, _)| *key == (index, which)) {
                continue;
            }
            let Some(reached) = milestones.reached_by_name(&milestone.node) else {
                continue;
            };
            let Some(to) = engine.party(&passing.to) else {
                continue;
            };
            if reached.date > day {
                continue;
            }
            let passed = TitlePassed {
                event: reached.events.last().copied(),
                date: reached.date,
                to,
            };
            self.pass(index, passed);
            self.done.push(((index, which), passed));
        }
    }

    /// Every share as it stands at the report date, in the order the
    /// assets were made (then the rules').
    pub(in crate::eval) fn finish(mut self, end: &Ending<'_, '_>) -> Vec<AssetShare> {
        for (index, rule) in end.rules.iter().enumerate() {
            if let crate::ast::Statement::Own(ownership) = rule.statement {
                self.catch_up(end.milestones, end.engine, index, ownership, end.as_of);
            }
        }
        let mut shares: Vec<(usize, AssetShare)> = self.shares;
        shares.sort_by_key(|(index, share)| (share.made_by, *index));
        shares.into_iter().map(|(_, share)| share).collect()
    }
}
