//! The engine: what every kind of rule asks of a checked contract and an
//! event — whether the event is the act a rule names, whether a carve-out
//! or an exception clause takes it out, a rule's window, a due date — so
//! that the rules (`rules/`) share one answer to each question.
//!
//! Every rule applies only to events dated inside its window (see
//! `windows`). Carve-outs are weighed in this order: the rule's own
//! `except`/`unless`, then the clauses that are exceptions to the rule's
//! clause (an exclusion takes the event out of the rule; a permission
//! lifts a prohibition). A permission in a clause that is not an exception
//! to the prohibition's clause has no priority over it: the two are
//! reported as a conflict, never decided silently.

use jiff::civil::Date;

use super::compute::Context;
use super::event::{Event, PeriodValue, Value};
use super::milestones::Milestones;
use super::period;
use super::windows::{self, Closed, Days};
use crate::ast::*;
use crate::diagnostics::Diagnostic;
use crate::model::{Actor, Checked, ClauseId, EventTypeId, PartyId};

/// A statement together with where it sits.
pub(super) struct Rule<'c> {
    pub(super) clause: ClauseId,
    pub(super) statement: &'c Statement,
}

pub struct Engine<'c> {
    contract: &'c Checked,
}

impl<'c> Engine<'c> {
    pub fn new(contract: &'c Checked) -> Self {
        Engine { contract }
    }

    pub(super) fn contract(&self) -> &'c Checked {
        self.contract
    }

    /// A context with no event, for amounts that do not depend on one.
    pub(super) fn blank_context(&self) -> Context<'c> {
        Context {
            contract: self.contract,
            event: None,
            totals: None,
            balances: None,
            working: None,
        }
    }

    /// Whether a rule would act on an event, its window aside: the act of
    /// its party, the event it is paid on, the events it sums or counts.
    pub(super) fn concerns(
        &self,
        statement: &Statement,
        event: &Event,
    ) -> Result<bool, Diagnostic> {
        match statement {
            Statement::MustNot(r) | Statement::May(r) | Statement::Do(r) => {
                Ok(event.done_by(self.actor(&r.party)) && self.action_matches(&r.action, event)?)
            }
            Statement::Pay(p) => match &p.recurrence {
                Some(Recurrence::EachEvent(pattern)) => self.pattern_matches(pattern, event),
                Some(_) => Ok(true),
                None => Ok(false),
            },
            Statement::Commitment(c) => Ok(self.event_is(&c.measure.event, event)),
            Statement::Grant(g) => Ok(self.action_matches(&g.scope, event)?
                || g.passes
                    .as_ref()
                    .is_some_and(|p| self.event_is(&p.field.event, event))),
            Statement::Suspension(s) => {
                Ok(self.pattern_matches(&s.from, event)?
                    || self.pattern_matches(&s.until, event)?)
            }
            Statement::Own(o) => {
                if self.action_matches(&o.made_by, event)? {
                    return Ok(true);
                }
                for passing in &o.passes {
                    if let PassingWhen::On(on) = &passing.when
                        && self.pattern_matches(on, event)?
                    {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Cap(_) => Ok(false),
        }
    }

    /// The event types a rule can act on: those it matches, raises, counts
    /// or sums. `None` when a name does not resolve (never for a checked
    /// contract), meaning every type.
    pub(super) fn event_types_of(&self, statement: &Statement) -> Option<Vec<EventTypeId>> {
        let kind = |name: &Name| self.contract.event_type_named(&name.node);
        let mut names: Vec<&Name> = Vec::new();
        match statement {
            Statement::Pay(pay) => {
                match &pay.recurrence {
                    Some(Recurrence::EachEvent(pattern)) => names.push(&pattern.event),
                    Some(Recurrence::EachPeriodField(field)) => names.push(&field.event),
                    Some(Recurrence::EachPeriod(_)) | None => {}
                }
                if matches!(
                    pay.recurrence,
                    Some(Recurrence::EachPeriod(_) | Recurrence::EachPeriodField(_))
                ) {
                    for total in self.contract.totals_in(&pay.amount) {
                        if let Some((aggregate, _)) = total.aggregate() {
                            names.push(aggregate.event());
                        }
                    }
                }
            }
            Statement::Do(duty) => {
                names.push(&duty.action.event);
                if let Some(trigger) = &duty.trigger {
                    names.push(&trigger.event);
                }
            }
            Statement::MustNot(rule) | Statement::May(rule) => names.push(&rule.action.event),
            Statement::Grant(grant) => {
                names.push(&grant.scope.event);
                if let Some(passes) = &grant.passes {
                    names.push(&passes.field.event);
                }
            }
            Statement::Own(ownership) => {
                names.push(&ownership.made_by.event);
                for passing in &ownership.passes {
                    match &passing.when {
                        PassingWhen::On(on) => names.push(&on.event),
                        PassingWhen::Once(_) => {}
                    }
                }
            }
            Statement::Commitment(commitment) => names.push(&commitment.measure.event),
            Statement::Suspension(suspension) => {
                names.push(&suspension.from.event);
                names.push(&suspension.until.event);
            }
            Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Cap(_) => {}
        }
        let mut kinds = names
            .into_iter()
            .map(kind)
            .collect::<Option<Vec<EventTypeId>>>()?;
        kinds.sort_unstable();
        kinds.dedup();
        Some(kinds)
    }

    /// The clause that takes the event out of the rule, if one does: the
    /// rule's own (an `except`/`unless` that holds), or an exception clause
    /// that excludes it or holds a rule of the same kind that applies to it
    /// instead (see [`Engine::replaced_by`]).
    pub(super) fn taken_out(
        &self,
        rule: &Rule<'_>,
        carve_outs: &[CarveOut],
        event: &Event,
        term: Days,
        milestones: &Milestones<'_>,
    ) -> Result<Option<ClauseId>, Diagnostic> {
        if self.carved_out(carve_outs, event)?.is_some() {
            return Ok(Some(rule.clause));
        }
        if let Some(exception) = self.excluded_by(rule.clause, event)? {
            return Ok(Some(exception));
        }
        self.replaced_by(rule, event, term, milestones)
    }

    /// An exception clause of the rule's clause holding a rule of the same
    /// kind that applies to the event: the more specific rule replaces the
    /// general one for that event (a payment, an obligation to act, a grant
    /// or a commitment; prohibitions and permissions are weighed against
    /// each other instead, and exclusions take events out of any rule).
    pub(super) fn replaced_by(
        &self,
        rule: &Rule<'_>,
        event: &Event,
        term: Days,
        milestones: &Milestones<'_>,
    ) -> Result<Option<ClauseId>, Diagnostic> {
        for &exception in self.contract.exceptions_to(rule.clause) {
            let Some(clause) = self.contract.clause(exception) else {
                continue;
            };
            for statement in &clause.statements {
                let instead = Rule {
                    clause: exception,
                    statement,
                };
                if self.applies_instead(&instead, rule.statement, event, term, milestones)? {
                    return Ok(Some(exception));
                }
            }
        }
        Ok(None)
    }

    /// An exception clause of a grant's clause holding a prohibition that
    /// forbids the act: the prohibition limits the grant, so the act is
    /// outside it.
    pub(super) fn limited_by(
        &self,
        grant: &Rule<'_>,
        event: &Event,
        term: Days,
        milestones: &Milestones<'_>,
    ) -> Result<Option<ClauseId>, Diagnostic> {
        for &exception in self.contract.exceptions_to(grant.clause) {
            let Some(clause) = self.contract.clause(exception) else {
                continue;
            };
            for statement in &clause.statements {
                if let Some(prohibition) = statement.as_prohibition() {
                    let rule = Rule {
                        clause: exception,
                        statement,
                    };
                    // A prohibition lifted by its own exceptions limits nothing.
                    if self.forbids(&rule, prohibition, event, term, milestones)?
                        && self.lifted_by(&rule, event, term, milestones)?.is_none()
                    {
                        return Ok(Some(exception));
                    }
                }
            }
        }
        Ok(None)
    }

    /// Whether a prohibition forbids an act, its exceptions aside: the act
    /// of its party that it names, in its window, not carved out.
    pub(super) fn forbids(
        &self,
        rule: &Rule<'_>,
        prohibition: &ActionRule,
        event: &Event,
        term: Days,
        milestones: &Milestones<'_>,
    ) -> Result<bool, Diagnostic> {
        Ok(event.done_by(self.actor(&prohibition.party))
            && self.action_matches(&prohibition.action, event)?
            && self
                .window(rule, &prohibition.window, term, milestones)
                .is_ok_and(|days| days.contains(event.date))
            && self.carved_out(&prohibition.carve_outs, event)?.is_none())
    }

    /// The period an event counts towards in a per-period payment.
    pub(super) fn period_key(&self, pay: &PayObligation, event: &Event) -> Option<PeriodValue> {
        match &pay.recurrence {
            Some(Recurrence::EachPeriod(name)) => {
                let info = self.contract().symbols.periods.get(&name.node)?;
                Some(period::containing(info, event.date))
            }
            Some(Recurrence::EachPeriodField(field)) => {
                if !self.event_is(&field.event, event) {
                    return None;
                }
                let decl = self.contract().event_type(event.kind)?;
                let index = decl
                    .fields
                    .iter()
                    .position(|f| f.name.node == field.field.node)?;
                match event.fields.get(index)? {
                    Value::Period(p) => Some(*p),
                    _ => None,
                }
            }
            Some(Recurrence::EachEvent(_)) | None => None,
        }
    }

    /// Whether a permission applies to an act: the act of its party that
    /// it names, in its window, not carved out.
    pub(super) fn permits(
        &self,
        rule: &Rule<'_>,
        permission: &ActionRule,
        event: &Event,
        term: Days,
        milestones: &Milestones<'_>,
    ) -> Result<bool, Diagnostic> {
        if !event.done_by(self.actor(&permission.party))
            || !self.action_matches(&permission.action, event)?
        {
            return Ok(false);
        }
        if !self
            .window(rule, &permission.window, term, milestones)
            .is_ok_and(|d| d.contains(event.date))
        {
            return Ok(false);
        }
        Ok(self.carved_out(&permission.carve_outs, event)?.is_none())
    }

    /// The exception to a prohibition's clause that lifts it for an act, if
    /// one does: an exclusion that takes the act out, or a permission that
    /// applies.
    pub(super) fn lifted_by(
        &self,
        prohibition: &Rule<'_>,
        event: &Event,
        term: Days,
        milestones: &Milestones<'_>,
    ) -> Result<Option<ClauseId>, Diagnostic> {
        for &exception in self.contract.exceptions_to(prohibition.clause) {
            let Some(clause) = self.contract.clause(exception) else {
                continue;
            };
            for statement in &clause.statements {
                let rule = Rule {
                    clause: exception,
                    statement,
                };
                let lifts = match statement {
                    Statement::Exclusion(exclusion) => {
                        self.action_matches(&exclusion.scope, event)?
                    }
                    Statement::May(permission) => {
                        self.permits(&rule, permission, event, term, milestones)?
                    }
                    Statement::Pay(_)
                    | Statement::Do(_)
                    | Statement::MustNot(_)
                    | Statement::Grant(_)
                    | Statement::Holding(_)
                    | Statement::CapTable(_)
                    | Statement::Commitment(_)
                    | Statement::Suspension(_)
                    | Statement::Cap(_)
                    | Statement::Own(_) => false,
                };
                if lifts {
                    return Ok(Some(exception));
                }
            }
        }
        Ok(None)
    }

    /// Whether `instead` is a rule of the same kind as `general` that acts
    /// on the event: in its window, matching what it names, not carved out.
    fn applies_instead(
        &self,
        instead: &Rule<'_>,
        general: &Statement,
        event: &Event,
        term: Days,
        milestones: &Milestones<'_>,
    ) -> Result<bool, Diagnostic> {
        let in_window = |window: &Window| {
            self.window(instead, window, term, milestones)
                .is_ok_and(|days| days.contains(event.date))
        };
        let applies = match instead.statement {
            Statement::Pay(pay) => {
                // Counted as earned, the exception applies to an event if
                // the period the event names lies (partly) in its window.
                let in_its_window = if crate::eval::evaluation::counts_as_earned(pay) {
                    match (
                        self.period_key(pay, event),
                        self.window(instead, &pay.window, term, milestones),
                    ) {
                        (Some(period), Ok(window)) => {
                            overlap(period, window).is_some_and(|(inside, _)| inside > 0)
                        }
                        (None, _) | (_, Err(_)) => false,
                    }
                } else {
                    in_window(&pay.window)
                };
                general.as_pay().is_some()
                    && in_its_window
                    && match &pay.recurrence {
                        Some(Recurrence::EachEvent(pattern)) => {
                            self.pattern_matches(pattern, event)?
                        }
                        Some(Recurrence::EachPeriod(_) | Recurrence::EachPeriodField(_)) => {
                            self.counts_towards(&pay.amount, event)?
                        }
                        // A payment made once is raised by no event.
                        None => false,
                    }
                    && self.carved_out(&pay.carve_outs, event)?.is_none()
            }
            Statement::Do(duty) => {
                general.as_duty().is_some()
                    && in_window(&duty.window)
                    && match &duty.trigger {
                        Some(pattern) => self.pattern_matches(pattern, event)?,
                        // An obligation to act once is raised by no event.
                        None => false,
                    }
                    && self.carved_out(&duty.carve_outs, event)?.is_none()
            }
            Statement::Grant(grant) => {
                general.as_grant().is_some()
                    && in_window(&grant.window)
                    && self.grant_acts_on(grant, event)
                    && self.action_matches(&grant.scope, event)?
                    && self.carved_out(&grant.carve_outs, event)?.is_none()
            }
            Statement::Commitment(commitment) => {
                general.as_commitment().is_some()
                    && in_window(&commitment.window)
                    && self.event_is(&commitment.measure.event, event)
                    && match &commitment.filter {
                        Some(filter) => self.context(event).holds(filter)?,
                        None => true,
                    }
                    && self.carved_out(&commitment.carve_outs, event)?.is_none()
            }
            Statement::MustNot(_)
            | Statement::May(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Suspension(_)
            | Statement::Cap(_)
            | Statement::Own(_) => false,
        };
        Ok(applies)
    }

    /// Whether an event counts towards any `total` or `count` of its
    /// period in an amount: of the kind counted (by the party named) and
    /// meeting its `where`.
    pub(super) fn counts_towards(&self, amount: &Expr, event: &Event) -> Result<bool, Diagnostic> {
        for total in self.contract.totals_in(amount) {
            if let Some((aggregate, None)) = total.aggregate()
                && crate::eval::sums::share(self.contract, aggregate, event)?.is_some()
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub(super) fn rules(&self) -> impl Iterator<Item = Rule<'c>> + 'c {
        self.contract.clauses().flat_map(|(clause, c)| {
            c.statements
                .iter()
                .map(move |statement| Rule { clause, statement })
        })
    }

    pub(super) fn context<'a>(&'a self, event: &'a Event) -> Context<'a> {
        Context {
            contract: self.contract,
            event: Some(event),
            totals: None,
            balances: None,
            working: None,
        }
    }

    pub(super) fn event_is(&self, name: &Name, event: &Event) -> bool {
        // Event type names are unique: comparing with the event's own type
        // is one comparison, where looking the name up takes several.
        self.contract
            .event_type(event.kind)
            .is_some_and(|decl| decl.name.node == name.node)
    }

    pub(super) fn party(&self, name: &Name) -> Option<PartyId> {
        self.contract.party_named(&name.node)
    }

    /// The party or group a rule names.
    pub(super) fn actor(&self, name: &Name) -> Option<Actor> {
        self.contract.actor_named(&name.node)
    }

    /// Whether an event can be a grant's: one that records who performed
    /// it must be the grantor's (what it produces) or the grantee's (what
    /// it does under the grant); for a group, a member's as it came. The
    /// grantee is the one the grant names (a grant passed to another is
    /// followed where the grant's own findings are made).
    pub(super) fn grant_acts_on(&self, grant: &Grant, event: &Event) -> bool {
        event.by.is_none()
            || event.done_by(self.actor(&grant.grantor))
            || event.done_by(self.actor(&grant.grantee))
    }

    /// Whether an action (`event where ...`) matches an event.
    pub(super) fn action_matches(
        &self,
        action: &Action,
        event: &Event,
    ) -> Result<bool, Diagnostic> {
        if !self.event_is(&action.event, event) {
            return Ok(false);
        }
        match &action.filter {
            None => Ok(true),
            Some(filter) => self.context(event).holds(filter),
        }
    }

    /// The first inline carve-out that holds for the event.
    pub(super) fn carved_out(
        &self,
        carve_outs: &[CarveOut],
        event: &Event,
    ) -> Result<Option<Span>, Diagnostic> {
        for carve_out in carve_outs {
            if self.context(event).holds(&carve_out.condition)? {
                return Ok(Some(carve_out.span));
            }
        }
        Ok(None)
    }

    /// An exception clause of `clause` whose exclusion takes the event out.
    pub(super) fn excluded_by(
        &self,
        clause: ClauseId,
        event: &Event,
    ) -> Result<Option<ClauseId>, Diagnostic> {
        for &exception in self.contract.exceptions_to(clause) {
            let Some(c) = self.contract.clause(exception) else {
                continue;
            };
            for statement in &c.statements {
                if let Statement::Exclusion(exclusion) = statement
                    && self.action_matches(&exclusion.scope, event)?
                {
                    return Ok(Some(exception));
                }
            }
        }
        Ok(None)
    }

    pub(super) fn window(
        &self,
        rule: &Rule<'_>,
        window: &Window,
        term: Days,
        milestones: &Milestones<'_>,
    ) -> Result<Days, Closed> {
        let survives = self.contract.clause(rule.clause).and_then(|c| {
            c.survives
                .as_ref()
                .map(|s| s.length.as_ref().map(|l| l.node))
        });
        windows::resolve(window, term, survives, milestones)
    }

    pub(super) fn pattern_matches(
        &self,
        pattern: &EventPattern,
        event: &Event,
    ) -> Result<bool, Diagnostic> {
        if !self.event_is(&pattern.event, event) {
            return Ok(false);
        }
        if let Some(by) = &pattern.by
            && !event.done_by(self.actor(by))
        {
            return Ok(false);
        }
        match &pattern.filter {
            None => Ok(true),
            Some(filter) => self.context(event).holds(filter),
        }
    }

    pub(super) fn due_date(
        &self,
        due: Option<&Due>,
        event: Option<Date>,
        period_end: Option<Date>,
        milestones: &Milestones<'_>,
    ) -> Option<Date> {
        match due? {
            Due::On(d) => d.node.date(),
            Due::After { delay, anchor } => {
                let from = match &anchor.node {
                    DueAnchor::PeriodEnd => period_end?,
                    DueAnchor::Event => event?,
                    DueAnchor::Date(DateRef::Date(d)) => *d,
                    DueAnchor::Date(_) => return None,
                    DueAnchor::Milestone(m) => milestones.reached_by_name(m)?.date,
                };
                delay.node.after(from)
            }
        }
    }
}

/// How many of a period's days lie in a window, and how many days it has;
/// `None` when a day cannot be counted.
pub(super) fn overlap(period: PeriodValue, window: Days) -> Option<(i64, i64)> {
    let days = |first: Date, last: Date| -> Option<i64> {
        Some(i64::from(first.until(last).ok()?.get_days()) + 1)
    };
    let total = days(period.first, period.last)?;
    let first = period.first.max(window.first);
    let last = window.last.map_or(period.last, |l| l.min(period.last));
    let inside = if first > last { 0 } else { days(first, last)? };
    Some((inside, total))
}
