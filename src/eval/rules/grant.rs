//! Grants (`A grants B an exclusive licence to ...`): each act the grant's
//! scope names is an entitlement, covered or not (outside the window,
//! carved out, or excluded by an exception clause).

use super::{Ending, Step};
use crate::ast::Grant;
use crate::diagnostics::Diagnostic;
use crate::eval::engine::Rule;
use crate::eval::event::Event;
use crate::eval::outcome::{Coverage, Entitlement};
use crate::model::{Actor, PartyId};

/// The entitlements found so far, by rule index.
#[derive(Default)]
pub(in crate::eval) struct Grants {
    entitlements: Vec<(usize, Entitlement)>,
    /// The grants that passed to another grantee (`passes to ...`), by
    /// rule index: the grantee now.
    passed: std::collections::BTreeMap<usize, (PartyId, usize)>,
}

impl Grants {
    /// What grant `index` makes of an event; `in_window`: whether the
    /// event falls in the grant's window that day.
    pub(in crate::eval) fn apply(
        &mut self,
        step: &mut Step<'_, '_>,
        index: usize,
        rule: &Rule<'_>,
        grant: &Grant,
        in_window: bool,
        event: &Event,
    ) -> Result<(), Diagnostic> {
        let engine = step.engine;
        // An assignment passes the grant first: the event that assigns it
        // is no act under it.
        if let Some(passes) = &grant.passes
            && engine.event_is(&passes.field.event, event)
        {
            let holds = match &passes.filter {
                Some(filter) => engine.context(event).holds(filter)?,
                None => true,
            };
            if holds && let Some(to) = event.party_in(engine.contract(), &passes.field.field.node) {
                self.passed.insert(index, (to, event.seq));
                step.note(event);
                step.exercise(rule.clause);
                return Ok(());
            }
            // Not an assignment: the event may still be an act under it.
        }
        let passed = self.passed.get(&index).copied();
        let grantee = match passed {
            Some((party, _)) => Some(Actor::Party(party)),
            None => engine.actor(&grant.grantee),
        };
        let (Some(grantor), Some(grantee)) = (engine.actor(&grant.grantor), grantee) else {
            return Ok(());
        };
        // A grant is about what its grantor produces (a model released)
        // or what its grantee does under it (a copy sold): an event that
        // records who performed it is the grant's only if one of them did
        // (for a group, a member of it as the event came). What a third
        // party does is not.
        if event.by.is_some() && !event.done_by(Some(grantor)) && !event.done_by(Some(grantee)) {
            return Ok(());
        }
        if !engine.action_matches(&grant.scope, event)? {
            return Ok(());
        }
        let coverage = if !in_window {
            Coverage::OutsideWindow
        } else if let Some(span) = engine.carved_out(&grant.carve_outs, event)? {
            Coverage::CarvedOut(span)
        } else if let Some(clause) = engine.excluded_by(rule.clause, event)? {
            Coverage::Excluded { clause }
        } else if let Some(clause) = engine.limited_by(rule, event, step.term, step.milestones)? {
            Coverage::Excluded { clause }
        } else if let Some(clause) = engine.replaced_by(rule, event, step.term, step.milestones)? {
            // The exception's own grant gives the entitlement instead.
            step.exercise(clause);
            return Ok(());
        } else {
            Coverage::Covered
        };
        self.entitlements.push((
            index,
            Entitlement {
                clause: rule.clause,
                rule: rule.statement.span(),
                grantor,
                grantee,
                passed_by: passed.map(|(_, seq)| seq),
                event: event.seq,
                coverage,
                window: None,
            },
        ));
        step.note(event);
        Ok(())
    }

    /// The entitlements rule by rule, in the order of the events, each with
    /// its grant's window as it stands at the end.
    pub(in crate::eval) fn finish(self, end: &Ending<'_, '_>) -> Vec<Entitlement> {
        let mut entitlements = self.entitlements;
        entitlements.sort_by_key(|(index, _)| *index);
        entitlements
            .into_iter()
            .map(|(index, mut entitlement)| {
                entitlement.window = end.rules.get(index).and_then(|r| end.window_of(r).ok());
                entitlement
            })
            .collect()
    }
}
