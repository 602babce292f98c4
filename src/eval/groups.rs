//! Groups of parties (`group openai_group = openai, openai_opco` with
//! `joins on EVENT.FIELD` and `leaves on EVENT.FIELD`): who belongs to each
//! as the events come.
//!
//! The members listed belong from the start. Each event that adds or
//! removes a member does so from that event on: the event itself, and
//! every later one (on its own day, those after it in the order they
//! happened). Each event performed by a party is marked with the groups
//! the party belongs to as it comes, before anything else looks at it,
//! so that every rule, milestone and count that names a group sees the
//! same membership.

use super::compute::Context;
use super::event::Event;
use crate::ast::{Condition, MembershipKind};
use crate::diagnostics::Diagnostic;
use crate::model::{Checked, GroupId, PartyId};

struct Change<'c> {
    group: GroupId,
    joins: bool,
    /// The field (or `by`) that names the party joining or leaving.
    field: &'c str,
    filter: Option<&'c Condition>,
}

pub(super) struct Membership<'c> {
    contract: &'c Checked,
    /// Per group, per party: whether the party belongs now.
    members: Vec<Vec<bool>>,
    /// Per event type: the membership changes its events make, in the
    /// order the groups and their lines are written.
    changes: Vec<Vec<Change<'c>>>,
}

impl<'c> Membership<'c> {
    pub(super) fn new(contract: &'c Checked) -> Self {
        let file = &contract.file;
        let parties = file.parties.len();
        let mut members = Vec::with_capacity(file.groups.len());
        let mut changes: Vec<Vec<Change<'c>>> =
            (0..file.events.len()).map(|_| Vec::new()).collect();
        for (index, group) in file.groups.iter().enumerate() {
            let mut now = vec![false; parties];
            for member in &group.members {
                if let Some(party) = contract.party_named(&member.node)
                    && let Some(slot) = now.get_mut(party.index())
                {
                    *slot = true;
                }
            }
            members.push(now);
            for change in &group.changes {
                let Some(kind) = contract.event_type_named(&change.field.event.node) else {
                    continue;
                };
                if let Some(list) = changes.get_mut(kind.index()) {
                    list.push(Change {
                        group: GroupId::from_index(index),
                        joins: change.kind.node == MembershipKind::Joins,
                        field: &change.field.field.node,
                        filter: change.filter.as_ref(),
                    });
                }
            }
        }
        Membership {
            contract,
            members,
            changes,
        }
    }

    /// Whether the contract declares any group (most declare none).
    pub(super) fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Applies the membership changes `event` makes, then marks it with
    /// the groups its party belongs to.
    pub(super) fn observe(&mut self, event: &mut Event) -> Result<(), Diagnostic> {
        if let Some(changes) = self.changes.get(event.kind.index()) {
            for change in changes {
                if let Some(filter) = change.filter {
                    let context = Context {
                        contract: self.contract,
                        event: Some(event),
                        totals: None,
                        balances: None,
                        working: None,
                    };
                    if !context.holds(filter)? {
                        continue;
                    }
                }
                let party = event.party_in(self.contract, change.field);
                if let Some(party) = party
                    && let Some(belongs) = self
                        .members
                        .get_mut(change.group.index())
                        .and_then(|m| m.get_mut(party.index()))
                {
                    *belongs = change.joins;
                }
            }
        }
        if let Some(by) = event.by {
            let groups = self.groups_of(by);
            if !groups.is_empty() {
                event.looked_back_mut().groups = groups;
            }
        }
        Ok(())
    }

    /// The groups `party` belongs to now.
    fn groups_of(&self, party: PartyId) -> Vec<GroupId> {
        self.members
            .iter()
            .enumerate()
            .filter(|(_, members)| members.get(party.index()).copied().unwrap_or(false))
            .map(|(index, _)| GroupId::from_index(index))
            .collect()
    }
}
