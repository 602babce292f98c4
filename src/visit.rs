//! Every name a part of a contract refers to, found by one walk over the
//! tree.
//!
//! Each node is destructured field by field and each kind matched without
//! a catch-all, so a field or a construct added to the tree does not
//! compile until this walk says which names it holds. Quoted text (a
//! wording, a label, a `"gift"` compared in a condition) is not a name and
//! is not visited.

use crate::ast::*;

/// Calls `f` with each name (party, category member, event type, field,
/// period, milestone) that `statement` refers to.
pub fn statement_names(statement: &Statement, f: &mut impl FnMut(&str)) {
    match statement {
        Statement::Pay(pay) => {
            let PayObligation {
                debtor,
                creditor,
                amount,
                recurrence,
                // Words of the language, not names.
                basis: _,
                partial: _,
                window: w,
                due: d,
                settled_by,
                rounding: _,
                interest: _,
                cure,
                rights,
                carve_outs: c,
                span: _,
            } = &**pay;
            arising_rights(rights, f);
            f(&debtor.node);
            f(&creditor.node);
            expr(amount, f);
            match recurrence {
                Some(Recurrence::EachPeriod(period)) => f(&period.node),
                Some(Recurrence::EachPeriodField(field)) => field_ref(field, f),
                Some(Recurrence::EachEvent(pattern)) => event_pattern(pattern, f),
                None => {}
            }
            window(w, f);
            due(d.as_ref(), f);
            if let Some(notice) = cure.as_ref().and_then(|c| c.notice.as_ref()) {
                event_pattern(notice, f);
            }
            if let Some(settled_by) = settled_by {
                f(&settled_by.node);
            }
            carve_outs(c, f);
        }
        Statement::Do(rule) | Statement::MustNot(rule) | Statement::May(rule) => {
            let ActionRule {
                party,
                action: a,
                trigger,
                window: w,
                due: d,
                cure,
                rights,
                damages,
                matching,
                carve_outs: c,
                span: _,
            } = &**rule;
            arising_rights(rights, f);
            for payment in damages {
                let ArisingPayment {
                    debtor,
                    creditor,
                    amount,
                    within: _,
                    span: _,
                } = payment;
                f(&debtor.node);
                f(&creditor.node);
                expr(amount, f);
            }
            for field in matching {
                f(&field.node);
            }
            f(&party.node);
            action(a, f);
            if let Some(trigger) = trigger {
                event_pattern(trigger, f);
            }
            if let Some(notice) = cure.as_ref().and_then(|c| c.notice.as_ref()) {
                event_pattern(notice, f);
            }
            window(w, f);
            due(d.as_ref(), f);
            carve_outs(c, f);
        }
        Statement::Grant(grant) => {
            let Grant {
                grantor,
                grantee,
                exclusive: _,
                kind: _,
                label: _,
                scope,
                window: w,
                carve_outs: c,
                passes,
                span: _,
            } = &**grant;
            f(&grantor.node);
            f(&grantee.node);
            action(scope, f);
            window(w, f);
            carve_outs(c, f);
            if let Some(passes) = passes {
                let GrantPasses {
                    field,
                    filter,
                    span: _,
                } = passes;
                field_ref(field, f);
                if let Some(filter) = filter {
                    condition(filter, f);
                }
            }
        }
        Statement::Exclusion(exclusion) => {
            let Exclusion { scope, span: _ } = &**exclusion;
            action(scope, f);
        }
        Statement::Holding(holding) => {
            let Holding {
                holder,
                stake: _,
                entity,
                basis: _,
                valuation: _,
                span: _,
            } = &**holding;
            f(&holder.node);
            f(&entity.node);
        }
        Statement::CapTable(table) => {
            let CapTable { entity, span: _ } = &**table;
            f(&entity.node);
        }
        Statement::Commitment(commitment) => {
            let Commitment {
                party,
                beneficiary,
                target,
                measure,
                filter,
                per,
                // Amounts and lengths, not names.
                shortfall: _,
                window: w,
                carve_outs: c,
                span: _,
            } = &**commitment;
            if let Some(period) = per {
                f(&period.node);
            }
            f(&party.node);
            if let Some(beneficiary) = beneficiary {
                f(&beneficiary.node);
            }
            expr(target, f);
            field_ref(measure, f);
            if let Some(filter) = filter {
                condition(filter, f);
            }
            window(w, f);
            carve_outs(c, f);
        }
        Statement::Suspension(suspension) => {
            // Clause numbers are not names.
            let Suspension {
                clauses: _,
                from,
                until,
                span: _,
            } = &**suspension;
            event_pattern(from, f);
            event_pattern(until, f);
        }
        Statement::Cap(cap) => {
            let AggregateCap {
                kind: _,
                debtor,
                creditor,
                clauses: _,
                amount,
                per,
                partial: _,
                due: _,
                span: _,
            } = &**cap;
            f(&debtor.node);
            if let Some(creditor) = creditor {
                f(&creditor.node);
            }
            expr(amount, f);
            if let Some(period) = per {
                f(&period.node);
            }
        }
        Statement::Own(ownership) => {
            let Ownership {
                owner,
                share: _,
                made_by,
                passes,
                span: _,
            } = &**ownership;
            f(&owner.node);
            action(made_by, f);
            for passing in passes {
                let TitlePassing { to, when, span: _ } = passing;
                f(&to.node);
                match when {
                    PassingWhen::On(on) => event_pattern(on, f),
                    PassingWhen::Once(milestone) => f(&milestone.node),
                }
            }
        }
    }
}

/// The names in rights that arise on a default: the party and its act.
fn arising_rights(rights: &[ArisingRight], f: &mut impl FnMut(&str)) {
    for right in rights {
        let ArisingRight {
            party,
            action: a,
            span: _,
        } = right;
        f(&party.node);
        action(a, f);
    }
}

/// The names in a milestone's condition: its events, their actors, and
/// what their filters name.
pub fn milestone_names(milestone: &MilestoneCond, f: &mut impl FnMut(&str)) {
    match milestone {
        MilestoneCond::Event(pattern) => event_pattern(pattern, f),
        MilestoneCond::Date(_) => {}
        MilestoneCond::Total(total) => {
            let TotalReaches {
                field,
                filter,
                threshold,
                span: _,
            } = total.as_ref();
            field_ref(field, f);
            if let Some(filter) = filter {
                condition(filter, f);
            }
            expr(threshold, f);
        }
        MilestoneCond::Count(count) => {
            let CountReaches {
                pattern,
                threshold,
                span: _,
            } = count.as_ref();
            event_pattern(pattern, f);
            expr(threshold, f);
        }
        // A clause number is not a name.
        MilestoneCond::PaidInFull(paid) => {
            let PaidInFull { clause: _, span: _ } = paid.as_ref();
        }
        MilestoneCond::Sequence(parts, _)
        | MilestoneCond::All(parts, _)
        | MilestoneCond::Any(parts, _) => {
            for part in parts {
                milestone_names(part, f);
            }
        }
    }
}

/// Calls `f` with each clause a milestone waits to be paid in full
/// (`clause 1 paid in full`), in the order written.
pub fn milestone_clauses<'m>(milestone: &'m MilestoneCond, f: &mut impl FnMut(&'m ClauseNumber)) {
    match milestone {
        MilestoneCond::PaidInFull(paid) => f(&paid.clause.node),
        MilestoneCond::Sequence(parts, _)
        | MilestoneCond::All(parts, _)
        | MilestoneCond::Any(parts, _) => {
            for part in parts {
                milestone_clauses(part, f);
            }
        }
        MilestoneCond::Event(_)
        | MilestoneCond::Date(_)
        | MilestoneCond::Total(_)
        | MilestoneCond::Count(_) => {}
    }
}

/// The milestones a window's end waits for (a contract's term, say).
pub fn window_end_names(end: &WindowEnd, f: &mut impl FnMut(&str)) {
    let WindowEnd {
        bounds,
        whichever_earlier: _,
        span: _,
    } = end;
    for end in bounds {
        match end {
            EndBound::Through(b) | EndBound::Until(b) => bound(&b.node, f),
            EndBound::For(_) => {}
        }
    }
}

/// Calls `f` with each milestone a payment's window or due date waits for
/// (never a field's name, which a condition may share with a milestone).
pub fn payment_milestones(pay: &PayObligation, f: &mut impl FnMut(&str)) {
    window(&pay.window, f);
    due(pay.due.as_ref(), f);
}

fn window(window: &Window, f: &mut impl FnMut(&str)) {
    let Window { from, end } = window;
    if let Some(from) = from {
        bound(&from.node, f);
    }
    if let Some(end) = end {
        window_end_names(end, f);
    }
}

fn bound(bound: &Bound, f: &mut impl FnMut(&str)) {
    match bound {
        Bound::Date(_) => {}
        Bound::Milestone(name) => f(name),
        Bound::After { delay: _, anchor } => self::bound(&anchor.node, f),
    }
}

fn due(due: Option<&Due>, f: &mut impl FnMut(&str)) {
    match due {
        None | Some(Due::On(_)) => {}
        Some(Due::After { delay: _, anchor }) => match &anchor.node {
            DueAnchor::Milestone(name) => f(name),
            DueAnchor::PeriodEnd | DueAnchor::Event | DueAnchor::Date(_) => {}
        },
    }
}

fn carve_outs(carve_outs: &[CarveOut], f: &mut impl FnMut(&str)) {
    for carve_out in carve_outs {
        let CarveOut {
            keyword: _,
            condition: c,
            span: _,
        } = carve_out;
        condition(c, f);
    }
}

fn action(action: &Action, f: &mut impl FnMut(&str)) {
    let Action {
        event,
        filter,
        span: _,
    } = action;
    f(&event.node);
    if let Some(filter) = filter {
        condition(filter, f);
    }
}

/// The names an event pattern refers to (its event type, party, fields).
pub fn event_pattern_names(pattern: &EventPattern, f: &mut impl FnMut(&str)) {
    event_pattern(pattern, f);
}

fn event_pattern(pattern: &EventPattern, f: &mut impl FnMut(&str)) {
    let EventPattern {
        event,
        by,
        filter,
        span: _,
    } = pattern;
    f(&event.node);
    if let Some(by) = by {
        f(&by.node);
    }
    if let Some(filter) = filter {
        condition(filter, f);
    }
}

/// Calls `f` with each name a definition's body refers to (its own name
/// is not one of them).
pub fn definition_names(definition: &Definition, f: &mut impl FnMut(&str)) {
    let Definition {
        name: _,
        label: _,
        body,
        period,
        span: _,
    } = definition;
    match body {
        DefinitionBody::Value(value) => expr(value, f),
        DefinitionBody::Condition(c) => condition(c, f),
    }
    if let Some(period) = period {
        f(&period.node);
    }
}

/// Calls `f` with each name an account's movements refer to: the events
/// and parties of their patterns, the periods, the names in their amounts
/// (its own name, in `balance of`, among them).
pub fn account_names(account: &Account, f: &mut impl FnMut(&str)) {
    let Account {
        name: _,
        label: _,
        opening: _,
        opens: _,
        movements,
        span: _,
    } = account;
    for movement in movements {
        let Movement {
            direction: _,
            amount,
            when,
            span: _,
        } = movement;
        expr(amount, f);
        match when {
            MovementTime::EachEvent(pattern) => event_pattern(pattern, f),
            MovementTime::PeriodEnd(period) => f(&period.node),
        }
    }
}

/// The names a group uses: its members, and the events, fields and
/// conditions that change who belongs.
pub fn group_names(group: &Group, f: &mut impl FnMut(&str)) {
    let Group {
        name: _,
        label: _,
        members,
        changes,
        span: _,
    } = group;
    for member in members {
        f(&member.node);
    }
    for change in changes {
        let MembershipChange {
            kind: _,
            field,
            filter,
            span: _,
        } = change;
        field_ref(field, f);
        if let Some(filter) = filter {
            condition(filter, f);
        }
    }
}

fn field_ref(field: &FieldRef, f: &mut impl FnMut(&str)) {
    let FieldRef {
        event,
        field,
        span: _,
    } = field;
    f(&event.node);
    f(&field.node);
}

fn condition(condition: &Condition, f: &mut impl FnMut(&str)) {
    match &condition.kind {
        ConditionKind::Any(parts) | ConditionKind::All(parts) => {
            for part in parts {
                self::condition(part, f);
            }
        }
        ConditionKind::Not(inner) => self::condition(inner, f),
        ConditionKind::Compare { left, op: _, right } => {
            expr(left, f);
            for value in right {
                expr(value, f);
            }
        }
        ConditionKind::Test(value) => expr(value, f),
        ConditionKind::Earlier(earlier) => {
            let EarlierEvent {
                event,
                by,
                matching,
                when: _,
            } = earlier.as_ref();
            f(&event.node);
            if let Some(by) = by {
                f(&by.node);
            }
            for field in matching {
                f(&field.node);
            }
        }
    }
}

fn expr(expr: &Expr, f: &mut impl FnMut(&str)) {
    match &expr.kind {
        ExprKind::Money(_)
        | ExprKind::Percent(_)
        | ExprKind::Number(_)
        | ExprKind::Duration(_)
        | ExprKind::Date(_)
        | ExprKind::Bool(_)
        | ExprKind::Text(_)
        | ExprKind::Invalid => {}
        ExprKind::Name(name) => f(name),
        ExprKind::Field(field) => field_ref(field, f),
        ExprKind::Balance { account, as_of: _ } => f(&account.node),
        ExprKind::Total {
            field,
            filter,
            stretch,
        } => {
            field_ref(field, f);
            if let Some(stretch) = stretch {
                match &stretch.node {
                    Stretch::SamePeriod(period) => f(&period.node),
                    Stretch::Last(_) => {}
                }
            }
            if let Some(filter) = filter {
                condition(filter, f);
            }
        }
        ExprKind::Pick(pick) => {
            let Pick {
                which: _,
                field,
                stretch,
                filter,
                otherwise,
            } = &**pick;
            field_ref(field, f);
            if let Some(stretch) = stretch {
                match &stretch.node {
                    Stretch::SamePeriod(period) => f(&period.node),
                    Stretch::Last(_) => {}
                }
            }
            if let Some(filter) = filter {
                condition(filter, f);
            }
            if let Some(otherwise) = otherwise {
                self::expr(otherwise, f);
            }
        }
        ExprKind::Count {
            event,
            by,
            filter,
            stretch,
        } => {
            f(&event.node);
            if let Some(by) = by {
                f(&by.node);
            }
            if let Some(stretch) = stretch {
                match &stretch.node {
                    Stretch::SamePeriod(period) => f(&period.node),
                    Stretch::Last(_) => {}
                }
            }
            if let Some(filter) = filter {
                condition(filter, f);
            }
        }
        ExprKind::Chain { first, rest } => {
            self::expr(first, f);
            for (_, value) in rest {
                self::expr(value, f);
            }
        }
        ExprKind::Negate(inner) => self::expr(inner, f),
        ExprKind::Of { share: a, base: b }
        | ExprKind::CappedAt { value: a, cap: b }
        | ExprKind::AtLeast { value: a, floor: b }
        | ExprKind::DaysBetween { start: a, end: b } => {
            self::expr(a, f);
            self::expr(b, f);
        }
        ExprKind::PerStep {
            value,
            kind: _,
            step,
            measure,
        } => {
            self::expr(value, f);
            self::expr(step, f);
            self::expr(measure, f);
        }
        ExprKind::Tiers {
            mode: _,
            subject,
            tiers,
        } => {
            self::expr(subject, f);
            for tier in tiers {
                let Tier {
                    lower,
                    upper,
                    value,
                    span: _,
                } = tier;
                if let Some(TierBound { kind: _, value }) = lower {
                    self::expr(value, f);
                }
                if let Some(TierBound { kind: _, value }) = upper {
                    self::expr(value, f);
                }
                self::expr(value, f);
            }
        }
        ExprKind::Rounded { value, rounding: _ } => self::expr(value, f),
        ExprKind::Converted {
            value,
            currency: _,
            rate,
        } => {
            self::expr(value, f);
            self::expr(rate, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, SourceFile};

    fn names_of(text: &str) -> Vec<String> {
        let outcome = crate::check_source(&SourceFile::new("t.proviso", text), &Limits::default());
        let checked = outcome.checked.expect("checks");
        let mut names = Vec::new();
        for clause in &checked.file.clauses {
            for statement in &clause.statements {
                statement_names(statement, &mut |n| names.push(n.to_string()));
            }
        }
        names.sort();
        names.dedup();
        names
    }

    #[test]
    fn names_are_visited_and_quoted_text_is_not() {
        let names = names_of(
            r#"
contract "T" effective 2026-01-01 term through 2026-12-31
party seller "Seller"
party buyer "Buyer"
party agent "Agent"
category channel: retail | online
event sale by party { channel: channel, note: text, amount: money }
event payment by party { to: party, amount: money }
milestone done: sale by buyer
clause 1 "Fee"
  seller must pay buyer 2% of sale.amount on each sale where note != "agent"
    until done
    settled by payment
    except channel is online
"#,
        );
        // `agent` is only quoted text here: not a use of the party.
        assert_eq!(
            names,
            [
                "amount", "buyer", "channel", "done", "note", "online", "payment", "sale", "seller"
            ]
        );
    }
}
