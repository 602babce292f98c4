//! Changes to the header and the declarations: parties, categories and
//! their members, periods, event types and their fields, milestones,
//! definitions.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    Change, ChangeKind, Details, Materiality, Shown, Subject, Version, Written, as_written, at,
    name, pair_by_name, quoted,
};
use crate::ast::*;
use crate::syntax::one_line;

pub(super) fn review(old: Version<'_>, new: Version<'_>) -> Vec<Change> {
    let ContractFile {
        header: old_header,
        parties: old_parties,
        groups: old_groups,
        categories: old_categories,
        periods: old_periods,
        events: old_events,
        milestones: old_milestones,
        definitions: old_definitions,
        accounts: old_accounts,
        clauses: _,
    } = &old.checked.file;
    let ContractFile {
        header: new_header,
        parties: new_parties,
        groups: new_groups,
        categories: new_categories,
        periods: new_periods,
        events: new_events,
        milestones: new_milestones,
        definitions: new_definitions,
        accounts: new_accounts,
        clauses: _,
    } = &new.checked.file;
    let mut changes = Vec::new();
    let mut push = |subject: Subject, kind: ChangeKind, details: Details<'_>| {
        if !details.out.is_empty() {
            changes.push(Change {
                subject,
                kind,
                details: details.out,
            });
        }
    };

    let mut details = Details::new(old, new, Span::default());
    header(&mut details, old_header.as_ref(), new_header.as_ref());
    push(Subject::Header, ChangeKind::Changed, details);

    for (a, b) in pair_by_name(old_parties, new_parties, |p| &p.name.node) {
        let (kind, details) = party(old, new, a, b);
        let subject = Subject::Party(either(a, b, |p| &p.name.node));
        push(subject, kind, details);
    }
    for (a, b) in pair_by_name(old_groups, new_groups, |g| &g.name.node) {
        let (kind, details) = group(old, new, a, b);
        let subject = Subject::Group(either(a, b, |g| &g.name.node));
        push(subject, kind, details);
    }
    for (a, b) in pair_by_name(old_categories, new_categories, |c| &c.name.node) {
        let (kind, details) = category(old, new, a, b);
        let subject = Subject::Category(either(a, b, |c| &c.name.node));
        push(subject, kind, details);
    }
    for (a, b) in pair_by_name(old_periods, new_periods, |p| &p.name.node) {
        let (kind, details) = period(old, new, a, b);
        let subject = Subject::Period(either(a, b, |p| &p.name.node));
        push(subject, kind, details);
    }
    for (a, b) in pair_by_name(old_events, new_events, |e| &e.name.node) {
        let (kind, details) = event_type(old, new, a, b);
        let subject = Subject::EventType(either(a, b, |e| &e.name.node));
        push(subject, kind, details);
    }
    for (a, b) in pair_by_name(old_milestones, new_milestones, |m| &m.name.node) {
        let (kind, details) = milestone(old, new, a, b);
        let subject = Subject::Milestone(either(a, b, |m| &m.name.node));
        push(subject, kind, details);
    }
    for (a, b) in pair_by_name(old_definitions, new_definitions, |d| &d.name.node) {
        let (kind, details) = definition(old, new, a, b);
        let subject = Subject::Definition(either(a, b, |d| &d.name.node));
        push(subject, kind, details);
    }
    for (a, b) in pair_by_name(old_accounts, new_accounts, |a| &a.name.node) {
        let (kind, details) = account(old, new, a, b);
        let subject = Subject::Account(either(a, b, |a| &a.name.node));
        push(subject, kind, details);
    }
    changes
}

/// The name of a paired item, from whichever version has it.
fn either<T>(a: Option<&T>, b: Option<&T>, key: impl Fn(&T) -> &String) -> String {
    b.or(a).map(|x| key(x).clone()).unwrap_or_default()
}

/// Added, removed or changed, by which versions have the item.
fn kind_of<T>(a: Option<&T>, b: Option<&T>) -> ChangeKind {
    match (a, b) {
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
        (Some(_), Some(_)) | (None, None) => ChangeKind::Changed,
    }
}

fn header(d: &mut Details<'_>, a: Option<&Header>, b: Option<&Header>) {
    // Each part of the header, as written in one version.
    struct Parts {
        title: Written,
        effective: Written,
        term: Written,
        renewal: Written,
        currency: Written,
        rounding: Written,
        settlement: Written,
    }
    fn parts(header: Option<&Header>) -> Parts {
        let Some(Header {
            title,
            effective,
            term,
            renewal,
            currency,
            rounding,
            settlement,
            span: _,
        }) = header
        else {
            return Parts {
                title: None,
                effective: None,
                term: None,
                renewal: None,
                currency: None,
                rounding: None,
                settlement: None,
            };
        };
        Parts {
            title: quoted(Some(title)),
            effective: effective
                .as_ref()
                .and_then(|e| at(one_line::date_ref(&e.node), e.span)),
            term: term
                .as_ref()
                .and_then(|t| at(one_line::window_end(t), t.span)),
            renewal: renewal
                .as_ref()
                .and_then(|r| at(one_line::renewal(r), r.span)),
            currency: currency
                .as_ref()
                .and_then(|c| at(c.node.as_str().to_string(), c.span)),
            rounding: rounding
                .as_ref()
                .and_then(|r| at(one_line::rounding(r), r.span)),
            settlement: settlement.as_ref().and_then(name),
        }
    }
    let (a, b) = (parts(a), parts(b));
    d.fallback = b
        .title
        .as_ref()
        .or(a.title.as_ref())
        .map_or_else(Span::default, |t| t.span);
    d.value(
        Materiality::Time,
        "effective date",
        a.effective,
        b.effective,
        None,
    );
    d.value(Materiality::Time, "term", a.term, b.term, None);
    d.value(Materiality::Time, "renewal", a.renewal, b.renewal, None);
    d.value(Materiality::Money, "currency", a.currency, b.currency, None);
    d.value(
        Materiality::Money,
        "rounding of amounts owed (where a rule sets none)",
        a.rounding,
        b.rounding,
        None,
    );
    d.value(
        Materiality::Scope,
        "event that records payments (where a rule names none)",
        a.settlement,
        b.settlement,
        None,
    );
    d.value(Materiality::Wording, "title", a.title, b.title, None);
}

/// The declaration as written, for an item added or removed whole.
fn whole<T>(
    d: &mut Details<'_>,
    materiality: Materiality,
    what: &str,
    a: Option<&T>,
    b: Option<&T>,
    text: impl Fn(&T) -> (String, Span),
) -> bool {
    let written = |x: &T| {
        let (text, span) = text(x);
        at(text, span)
    };
    match (a, b) {
        (Some(_), Some(_)) | (None, None) => false,
        (a, b) => {
            d.item(
                materiality,
                what,
                a.and_then(&written),
                b.and_then(&written),
                None,
            );
            true
        }
    }
}

fn party<'a>(
    old: Version<'a>,
    new: Version<'a>,
    a: Option<&Party>,
    b: Option<&Party>,
) -> (ChangeKind, Details<'a>) {
    let mut d = Details::new(old, new, Span::default());
    let text = |p: &Party| {
        let Party {
            name,
            legal_name,
            span,
        } = p;
        let legal = legal_name
            .as_ref()
            .map_or_else(String::new, |l| format!(" {}", one_line::string(&l.node)));
        (format!("party {}{legal}", name.node), *span)
    };
    if !whole(&mut d, Materiality::Parties, "party", a, b, text)
        && let (Some(a), Some(b)) = (a, b)
    {
        let Party {
            name: _,
            legal_name: old_legal,
            span: _,
        } = a;
        let Party {
            name: new_name,
            legal_name: new_legal,
            span: _,
        } = b;
        d.fallback = new_name.span;
        d.value(
            Materiality::Parties,
            &format!("legal name of {}", new_name.node),
            quoted(old_legal.as_ref()),
            quoted(new_legal.as_ref()),
            None,
        );
    }
    (kind_of(a, b), d)
}

fn group<'a>(
    old: Version<'a>,
    new: Version<'a>,
    a: Option<&Group>,
    b: Option<&Group>,
) -> (ChangeKind, Details<'a>) {
    let mut d = Details::new(old, new, Span::default());
    let text = |g: &Group| {
        let Group {
            name,
            label: _,
            members,
            changes,
            span,
        } = g;
        let members: Vec<&str> = members.iter().map(|m| m.node.as_str()).collect();
        let changes = if changes.is_empty() {
            String::new()
        } else {
            format!(
                " (changed by {})",
                changes
                    .iter()
                    .map(membership_text)
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        (
            format!("group {} = {}{changes}", name.node, members.join(", ")),
            *span,
        )
    };
    if !whole(&mut d, Materiality::Parties, "group", a, b, text)
        && let (Some(a), Some(b)) = (a, b)
    {
        let Group {
            name: _,
            label: old_label,
            members: old_members,
            changes: old_changes,
            span: _,
        } = a;
        let Group {
            name: new_name,
            label: new_label,
            members: new_members,
            changes: new_changes,
            span: _,
        } = b;
        d.fallback = new_name.span;
        let group = &new_name.node;
        let (wider, narrower) = membership_direction(new, group);
        let members = |list: &[Name]| -> Vec<Shown> { list.iter().filter_map(name).collect() };
        d.set(
            Materiality::Parties,
            &format!("member of group {group}"),
            members(old_members),
            members(new_members),
            wider.clone(),
            narrower.clone(),
        );
        // More ways to join, or fewer to leave, make the group larger.
        for (kind, grows) in [
            (MembershipKind::Joins, true),
            (MembershipKind::Leaves, false),
        ] {
            let (larger, smaller) = if grows {
                (wider.clone(), narrower.clone())
            } else {
                (narrower.clone(), wider.clone())
            };
            let what = format!("event by which a party {} group {group}", kind.word());
            let olds: Vec<&MembershipChange> =
                old_changes.iter().filter(|c| c.kind.node == kind).collect();
            let news: Vec<&MembershipChange> =
                new_changes.iter().filter(|c| c.kind.node == kind).collect();
            let same = |a: &MembershipChange, b: &MembershipChange| {
                membership_text(a) == membership_text(b)
            };
            let field =
                |c: &MembershipChange| format!("{}.{}", c.field.event.node, c.field.field.node);
            let gone: Vec<&MembershipChange> = olds
                .iter()
                .filter(|o| !news.iter().any(|n| same(o, n)))
                .copied()
                .collect();
            let mut came: Vec<Option<&MembershipChange>> = news
                .iter()
                .filter(|n| !olds.iter().any(|o| same(o, n)))
                .map(|n| Some(*n))
                .collect();
            let mut left: Vec<&MembershipChange> = Vec::new();
            for o in gone {
                // The same event and field with another condition: a
                // condition added narrows the line, one removed widens it.
                let counterpart = came
                    .iter_mut()
                    .find(|n| n.is_some_and(|n| field(n) == field(o)))
                    .and_then(Option::take);
                match counterpart {
                    Some(n) => {
                        let direction = match (o.filter.is_some(), n.filter.is_some()) {
                            (false, true) => smaller.clone(),
                            (true, false) => larger.clone(),
                            (true, true) | (false, false) => None,
                        };
                        d.value(
                            Materiality::Parties,
                            &what,
                            at(membership_text(o), o.span),
                            at(membership_text(n), n.span),
                            direction,
                        );
                    }
                    None => left.push(o),
                }
            }
            // The rest paired in order as changed, then added or removed.
            let mut came = came.into_iter().flatten();
            for o in left {
                match came.next() {
                    Some(n) => d.value(
                        Materiality::Parties,
                        &what,
                        at(membership_text(o), o.span),
                        at(membership_text(n), n.span),
                        None,
                    ),
                    None => d.item(
                        Materiality::Parties,
                        &what,
                        at(membership_text(o), o.span),
                        None,
                        smaller.clone(),
                    ),
                }
            }
            for n in came {
                d.item(
                    Materiality::Parties,
                    &what,
                    None,
                    at(membership_text(n), n.span),
                    larger.clone(),
                );
            }
        }
        d.value(
            Materiality::Wording,
            &format!("label of group {group}"),
            quoted(old_label.as_ref()),
            quoted(new_label.as_ref()),
            None,
        );
    }
    (kind_of(a, b), d)
}

/// `joins on affiliate_joined.company where parent is openai`.
fn membership_text(change: &MembershipChange) -> String {
    let MembershipChange {
        kind,
        field,
        filter,
        span: _,
    } = change;
    let filter = filter.as_ref().map_or_else(String::new, |f| {
        format!(" where {}", one_line::condition(f))
    });
    format!(
        "{} on {}.{}{filter}",
        kind.node.word(),
        field.event.node,
        field.field.node
    )
}

/// Whom a larger and a smaller group favour, as the new version uses it:
/// a group bound by prohibitions (`must not`) or granting something
/// loses when it grows, since its prohibitions bind more parties and its
/// grants cover more; one that benefits (`may`, the grantee of a grant)
/// gains, and so does one bound to act (`must EVENT`), since any
/// member's act performs the obligation.
/// A group used both ways, or only after `by` in an event pattern (where
/// more members may bring a milestone sooner or later), names no one.
fn membership_direction(version: Version<'_>, group: &str) -> (Option<String>, Option<String>) {
    let (mut binds, mut benefits) = (false, false);
    for (_, clause) in version.checked.clauses() {
        for statement in &clause.statements {
            match statement {
                Statement::MustNot(rule) => binds |= rule.party.node == group,
                // Any member's act performs an obligation to act, so more
                // members can perform it; a larger group has more rights.
                Statement::Do(rule) | Statement::May(rule) => {
                    benefits |= rule.party.node == group;
                }
                // A larger grantor licenses what more parties produce; a
                // larger grantee is licensed for more parties' acts.
                Statement::Grant(grant) => {
                    binds |= grant.grantor.node == group;
                    benefits |= grant.grantee.node == group;
                }
                Statement::Pay(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::Own(_)
                | Statement::CapTable(_)
                | Statement::Commitment(_)
                | Statement::Suspension(_)
                | Statement::Cap(_) => {}
            }
        }
    }
    match (binds, benefits) {
        (true, false) => (
            Some(format!("against {group}: its rules bind more parties")),
            Some(format!("favours {group}: its rules bind fewer parties")),
        ),
        (false, true) => (
            Some(format!("favours {group}: more parties have its rights")),
            Some(format!("against {group}: fewer parties have its rights")),
        ),
        (true, true) | (false, false) => (None, None),
    }
}

fn category<'a>(
    old: Version<'a>,
    new: Version<'a>,
    a: Option<&Category>,
    b: Option<&Category>,
) -> (ChangeKind, Details<'a>) {
    let mut d = Details::new(old, new, Span::default());
    let text = |c: &Category| {
        let Category {
            name,
            label: _,
            members,
            span,
        } = c;
        let members: Vec<&str> = members.iter().map(|m| m.node.as_str()).collect();
        (
            format!("category {}: {}", name.node, members.join(" | ")),
            *span,
        )
    };
    if !whole(&mut d, Materiality::Scope, "category", a, b, text)
        && let (Some(a), Some(b)) = (a, b)
    {
        let Category {
            name: _,
            label: old_label,
            members: old_members,
            span: _,
        } = a;
        let Category {
            name: new_name,
            label: new_label,
            members: new_members,
            span: _,
        } = b;
        d.fallback = new_name.span;
        let members = |list: &[Name]| -> Vec<Shown> { list.iter().filter_map(name).collect() };
        d.set(
            Materiality::Scope,
            &format!("member of category {}", new_name.node),
            members(old_members),
            members(new_members),
            None,
            None,
        );
        d.value(
            Materiality::Wording,
            &format!("label of category {}", new_name.node),
            quoted(old_label.as_ref()),
            quoted(new_label.as_ref()),
            None,
        );
    }
    (kind_of(a, b), d)
}

fn period<'a>(
    old: Version<'a>,
    new: Version<'a>,
    a: Option<&PeriodDecl>,
    b: Option<&PeriodDecl>,
) -> (ChangeKind, Details<'a>) {
    let mut d = Details::new(old, new, Span::default());
    let definition = |p: &PeriodDecl| {
        let PeriodDecl {
            name: _,
            label: _,
            base,
            start_month,
            start_written: _,
            span: _,
        } = p;
        at(one_line::period_base(p), base.span.to(start_month.span))
    };
    let text = |p: &PeriodDecl| {
        let definition = definition(p).map(|d| d.text).unwrap_or_default();
        (format!("period {}: {definition}", p.name.node), p.span)
    };
    if !whole(&mut d, Materiality::Time, "period", a, b, text)
        && let (Some(a), Some(b)) = (a, b)
    {
        d.fallback = b.name.span;
        d.value(
            Materiality::Time,
            &format!("period {}", b.name.node),
            definition(a),
            definition(b),
            None,
        );
        d.value(
            Materiality::Wording,
            &format!("label of period {}", b.name.node),
            quoted(a.label.as_ref()),
            quoted(b.label.as_ref()),
            None,
        );
    }
    (kind_of(a, b), d)
}

fn event_type<'a>(
    old: Version<'a>,
    new: Version<'a>,
    a: Option<&EventDecl>,
    b: Option<&EventDecl>,
) -> (ChangeKind, Details<'a>) {
    let mut d = Details::new(old, new, Span::default());
    let text = |e: &EventDecl| {
        let EventDecl {
            name,
            label: _,
            has_actor,
            fields,
            span,
        } = e;
        let fields: Vec<String> = fields
            .iter()
            .map(|f| format!("{}: {}", f.name.node, one_line::type_name(&f.ty.node)))
            .collect();
        let by = if *has_actor { " by party" } else { "" };
        (
            if fields.is_empty() {
                format!("event {}{by} {{ }}", name.node)
            } else {
                format!("event {}{by} {{ {} }}", name.node, fields.join(", "))
            },
            *span,
        )
    };
    if !whole(&mut d, Materiality::Scope, "event type", a, b, text)
        && let (Some(a), Some(b)) = (a, b)
    {
        let EventDecl {
            name: _,
            label: old_label,
            has_actor: old_actor,
            fields: old_fields,
            span: _,
        } = a;
        let EventDecl {
            name: new_name,
            label: new_label,
            has_actor: new_actor,
            fields: new_fields,
            span: _,
        } = b;
        let event = &new_name.node;
        d.fallback = new_name.span;
        let actor = |has: bool| at(if has { "yes" } else { "no" }.to_string(), new_name.span);
        d.value(
            Materiality::Parties,
            &format!("whether events of type {event} name the party that performed them"),
            actor(*old_actor),
            actor(*new_actor),
            None,
        );
        let declared = |f: &FieldDecl| {
            let FieldDecl { name, ty, span } = f;
            at(
                format!("{}: {}", name.node, one_line::type_name(&ty.node)),
                *span,
            )
        };
        // Fields of one name compare their types; the fields left over in
        // each version (renamed, added or removed) compare as a list.
        let (mut gone, mut new_ones) = (Vec::new(), Vec::new());
        for (x, y) in pair_by_name(old_fields, new_fields, |f| &f.name.node) {
            match (x, y) {
                (Some(x), Some(y)) => {
                    let ty = |f: &FieldDecl| at(one_line::type_name(&f.ty.node), f.ty.span);
                    d.value(
                        Materiality::Scope,
                        &format!("type of field {event}.{}", y.name.node),
                        ty(x),
                        ty(y),
                        None,
                    );
                }
                (x, y) => {
                    gone.extend(x.and_then(declared));
                    new_ones.extend(y.and_then(declared));
                }
            }
        }
        d.set(
            Materiality::Scope,
            &format!("field of {event}"),
            gone,
            new_ones,
            None,
            None,
        );
        d.value(
            Materiality::Wording,
            &format!("label of event type {event}"),
            quoted(old_label.as_ref()),
            quoted(new_label.as_ref()),
            None,
        );
    }
    (kind_of(a, b), d)
}

fn milestone<'a>(
    old: Version<'a>,
    new: Version<'a>,
    a: Option<&Milestone>,
    b: Option<&Milestone>,
) -> (ChangeKind, Details<'a>) {
    let mut d = Details::new(old, new, Span::default());
    let text = |m: &Milestone| {
        let Milestone {
            name,
            label: _,
            condition,
            span,
        } = m;
        (
            format!(
                "milestone {}: {}",
                name.node,
                one_line::milestone_condition(condition)
            ),
            *span,
        )
    };
    if !whole(&mut d, Materiality::Time, "milestone", a, b, text)
        && let (Some(a), Some(b)) = (a, b)
    {
        let Milestone {
            name: _,
            label: old_label,
            condition: old_condition,
            span: _,
        } = a;
        let Milestone {
            name: new_name,
            label: new_label,
            condition: new_condition,
            span: _,
        } = b;
        d.fallback = new_name.span;
        let favours = milestone_favours(new, &new_name.node, old_condition, new_condition);
        d.value(
            Materiality::Time,
            &format!("when milestone {} is reached", new_name.node),
            as_written(
                one_line::milestone_condition(old_condition),
                old,
                old_condition.span(),
            ),
            as_written(
                one_line::milestone_condition(new_condition),
                new,
                new_condition.span(),
            ),
            favours,
        );
        d.value(
            Materiality::Wording,
            &format!("label of milestone {}", new_name.node),
            quoted(old_label.as_ref()),
            quoted(new_label.as_ref()),
            None,
        );
    }
    (kind_of(a, b), d)
}

fn definition<'a>(
    old: Version<'a>,
    new: Version<'a>,
    a: Option<&Definition>,
    b: Option<&Definition>,
) -> (ChangeKind, Details<'a>) {
    let mut d = Details::new(old, new, Span::default());
    let body_text = |body: &DefinitionBody| match body {
        DefinitionBody::Value(value) => one_line::expr(value),
        DefinitionBody::Condition(condition) => one_line::condition(condition),
    };
    let text = |x: &Definition| {
        let Definition {
            name,
            label: _,
            body,
            period,
            span,
        } = x;
        let each = period
            .as_ref()
            .map_or_else(String::new, |p| format!(" for each {}", p.node));
        (
            format!("define {} = {}{each}", name.node, body_text(body)),
            *span,
        )
    };
    // A value is most likely an amount or a rate; a condition decides when
    // rules apply.
    let materiality = |x: &Definition| match x.body {
        DefinitionBody::Value(_) => Materiality::Money,
        DefinitionBody::Condition(_) => Materiality::Scope,
    };
    let whole_materiality = b.or(a).map_or(Materiality::Money, materiality);
    if !whole(&mut d, whole_materiality, "definition", a, b, text)
        && let (Some(a), Some(b)) = (a, b)
    {
        let Definition {
            name: _,
            label: old_label,
            body: old_body,
            period: old_period,
            span: _,
        } = a;
        let Definition {
            name: new_name,
            label: new_label,
            body: new_body,
            period: new_period,
            span: _,
        } = b;
        d.fallback = new_name.span;
        let favours = match (old_body, new_body) {
            (DefinitionBody::Value(x), DefinitionBody::Value(y)) => {
                super::clauses::definition_favours(new, &new_name.node, x, y)
            }
            (DefinitionBody::Condition(_), _) | (_, DefinitionBody::Condition(_)) => None,
        };
        d.value(
            materiality(b),
            &format!("what {} means", new_name.node),
            as_written(body_text(old_body), old, old_body.span()),
            as_written(body_text(new_body), new, new_body.span()),
            favours,
        );
        // Over another kind of period the same body adds up other events:
        // more or fewer of them, for every use alike, so no one side.
        d.value(
            Materiality::Money,
            &format!("the period {} is worked out for", new_name.node),
            old_period
                .as_ref()
                .and_then(|p| at(format!("for each {}", p.node), p.span)),
            new_period
                .as_ref()
                .and_then(|p| at(format!("for each {}", p.node), p.span)),
            None,
        );
        d.value(
            Materiality::Wording,
            &format!("label of definition {}", new_name.node),
            quoted(old_label.as_ref()),
            quoted(new_label.as_ref()),
            None,
        );
    }
    (kind_of(a, b), d)
}

fn account<'a>(
    old: Version<'a>,
    new: Version<'a>,
    a: Option<&Account>,
    b: Option<&Account>,
) -> (ChangeKind, Details<'a>) {
    let mut d = Details::new(old, new, Span::default());
    let text = |x: &Account| {
        let Account {
            name,
            label: _,
            opening,
            opens,
            movements,
            span,
        } = x;
        let mut text = format!(
            "account {} opening {} on {}",
            name.node,
            one_line::money(&opening.node),
            opens.node
        );
        for m in movements {
            text.push_str("; ");
            text.push_str(&movement_text(m));
        }
        (text, *span)
    };
    if whole(&mut d, Materiality::Money, "account", a, b, text) || a.is_none() || b.is_none() {
        return (kind_of(a, b), d);
    }
    let (Some(a), Some(b)) = (a, b) else {
        return (kind_of(a, b), d);
    };
    let Account {
        name: _,
        label: old_label,
        opening: old_opening,
        opens: old_opens,
        movements: old_movements,
        span: _,
    } = a;
    let Account {
        name,
        label: new_label,
        opening: new_opening,
        opens: new_opens,
        movements: new_movements,
        span: _,
    } = b;
    d.fallback = name.span;
    // Whom a change favours is said only of a change made alone: two
    // changes (movements swapped, a larger opening later) may cancel out.
    let texts = |ms: &[Movement]| ms.iter().map(movement_text).collect::<Vec<_>>();
    let (old_texts, new_texts) = (texts(old_movements), texts(new_movements));
    let differing = old_texts
        .iter()
        .zip(&new_texts)
        .filter(|(x, y)| x != y)
        .count()
        + old_texts.len().abs_diff(new_texts.len());
    let opening_same = old_opening.node == new_opening.node && old_opens.node == new_opens.node;
    let monotone = super::clauses::balance_rises_with_opening(new, b);
    let favours = |up: bool, what: &str| {
        monotone
            .then(|| {
                super::clauses::favoured_through_payments(
                    new,
                    super::tiers::Leaf::Balance(&name.node),
                    up,
                    what,
                )
            })
            .flatten()
    };
    let (x, y) = (old_opening.node, new_opening.node);
    d.value(
        Materiality::Money,
        &format!("opening balance of {}", name.node),
        as_written(one_line::money(&x), old, old_opening.span),
        as_written(one_line::money(&y), new, new_opening.span),
        (x.currency == y.currency
            && x.amount != y.amount
            && old_opens.node == new_opens.node
            && differing == 0)
            .then(|| favours(y.amount > x.amount, "opening balance"))
            .flatten(),
    );
    d.value(
        Materiality::Time,
        &format!("day {} opens", name.node),
        as_written(old_opens.node.to_string(), old, old_opens.span),
        as_written(new_opens.node.to_string(), new, new_opens.span),
        None,
    );
    if old_movements.len() == new_movements.len() {
        for (i, (m, n)) in old_movements.iter().zip(new_movements).enumerate() {
            // Which way a changed amount moves the balance, and so whom it
            // favours through the payments that read it.
            let favour = match (m.direction.node, n.direction.node) {
                (Direction::Increased, Direction::Increased)
                | (Direction::Decreased, Direction::Decreased)
                    if movement_timing(m) == movement_timing(n)
                        && differing == 1
                        && opening_same =>
                {
                    super::clauses::higher(&m.amount, &n.amount).and_then(|(up, what)| {
                        let rises = match n.direction.node {
                            Direction::Increased => up,
                            Direction::Decreased => !up,
                        };
                        favours(rises, &format!("{what} of movement {}", i + 1))
                    })
                }
                _ => None,
            };
            d.value(
                Materiality::Money,
                &format!("movement {} of {}", i + 1, name.node),
                as_written(movement_text(m), old, m.span),
                as_written(movement_text(n), new, n.span),
                favour,
            );
        }
    } else {
        let all = |ms: &[Movement]| ms.iter().map(movement_text).collect::<Vec<_>>().join("; ");
        let span = |ms: &[Movement], fallback: Span| {
            ms.first()
                .zip(ms.last())
                .map_or(fallback, |(f, l)| f.span.to(l.span))
        };
        d.value(
            Materiality::Money,
            &format!("movements of {}", name.node),
            as_written(all(old_movements), old, span(old_movements, a.name.span)),
            as_written(all(new_movements), new, span(new_movements, name.span)),
            None,
        );
    }
    d.value(
        Materiality::Wording,
        &format!("label of account {}", name.node),
        quoted(old_label.as_ref()),
        quoted(new_label.as_ref()),
        None,
    );
    (kind_of(Some(a), Some(b)), d)
}

/// A movement as one line: `increased by 1.5% of balance of loan at the
/// end of each month`.
fn movement_text(movement: &Movement) -> String {
    let Movement {
        direction,
        amount,
        when: _,
        span: _,
    } = movement;
    format!(
        "{} by {} {}",
        direction.node.word(),
        one_line::expr(amount),
        movement_timing(movement)
    )
}

/// When a movement happens, as written.
fn movement_timing(movement: &Movement) -> String {
    match &movement.when {
        MovementTime::EachEvent(pattern) => format!("on each {}", one_line::event_pattern(pattern)),
        MovementTime::PeriodEnd(period) => format!("at the end of each {}", period.node),
    }
}

/// The steps a milestone needs, all of them, when its condition is a
/// single step, a sequence or an `and` of steps (`None` with an `or`,
/// where steps are alternatives): each step as (event type, actor, the
/// whole step as written).
fn required_steps(condition: &MilestoneCond) -> Option<Vec<(String, Option<String>, String)>> {
    let mut steps = Vec::new();
    let mut work = vec![condition];
    while let Some(c) = work.pop() {
        match c {
            MilestoneCond::Event(pattern) => steps.push((
                pattern.event.node.clone(),
                pattern.by.as_ref().map(|b| b.node.clone()),
                one_line::event_pattern(pattern),
            )),
            MilestoneCond::Date(date) => {
                steps.push((String::new(), None, one_line::date_ref(&date.node)));
            }
            // Many events of anyone's, adding up: no single actor.
            MilestoneCond::Total(total) => steps.push((
                total.field.event.node.clone(),
                None,
                one_line::milestone_condition(c),
            )),
            MilestoneCond::Count(count) => steps.push((
                count.pattern.event.node.clone(),
                count.pattern.by.as_ref().map(|b| b.node.clone()),
                one_line::milestone_condition(c),
            )),
            // Reached by whichever payment completes the clause's amounts:
            // the step is the clause, with no one actor named in it.
            MilestoneCond::PaidInFull(paid) => steps.push((
                format!("clause {}", paid.clause.node),
                None,
                one_line::milestone_condition(c),
            )),
            MilestoneCond::Sequence(parts, _) | MilestoneCond::All(parts, _) => {
                work.extend(parts.iter().rev());
            }
            MilestoneCond::Any(..) => return None,
        }
    }
    Some(steps)
}

/// For a milestone that is one running total or count, changed only in
/// the amount or number it must reach: whether that went up.
fn threshold_raised(old: &MilestoneCond, new: &MilestoneCond) -> Option<bool> {
    // Only amounts of one kind compare: USD with USD, days with days.
    let comparable = |a: &Expr, b: &Expr| match (&a.kind, &b.kind) {
        (ExprKind::Money(x), ExprKind::Money(y)) => x.currency == y.currency,
        (ExprKind::Number(_), ExprKind::Number(_))
        | (ExprKind::Percent(_), ExprKind::Percent(_))
        | (ExprKind::Duration(Duration::Days(_)), ExprKind::Duration(Duration::Days(_)))
        | (ExprKind::Duration(Duration::Months(_)), ExprKind::Duration(Duration::Months(_))) => {
            true
        }
        // Any other pair (a currency against a number, days against
        // months): not comparable, so no claim; the change is still listed.
        _ => false,
    };
    let (a, b) = match (old, new) {
        (MilestoneCond::Total(a), MilestoneCond::Total(b))
            if a.field.event.node == b.field.event.node
                && a.field.field.node == b.field.field.node
                && a.filter.as_ref().map(one_line::condition)
                    == b.filter.as_ref().map(one_line::condition) =>
        {
            (&a.threshold, &b.threshold)
        }
        (MilestoneCond::Count(a), MilestoneCond::Count(b))
            if one_line::event_pattern(&a.pattern) == one_line::event_pattern(&b.pattern) =>
        {
            (&a.threshold, &b.threshold)
        }
        // Anything else changed besides the threshold (or another kind of
        // condition altogether): whom it favours is not told here.
        _ => return None,
    };
    if !comparable(a, b) {
        return None;
    }
    let (a, b) = (a.literal_value()?, b.literal_value()?);
    (a != b).then_some(b > a)
}

/// Whom a change to when a milestone is reached favours: the party who now
/// performs a step another party performed (the timing is in their hands),
/// or, when steps were only added (or only taken away), whoever gains from
/// the windows that end at the milestone running longer (or shorter).
fn milestone_favours(
    version: Version<'_>,
    milestone: &str,
    old: &MilestoneCond,
    new: &MilestoneCond,
) -> Option<String> {
    if let Some(raised) = threshold_raised(old, new) {
        let who = later_gainer(version, milestone)?;
        return Some(if raised {
            format!("favours {who}: a higher amount to reach, so {milestone} is reached later")
        } else {
            format!("against {who}: a lower amount to reach, so {milestone} is reached sooner")
        });
    }
    let a = required_steps(old)?;
    let b = required_steps(new)?;
    // One step's actor changed, the rest as they were.
    if a.len() == b.len() {
        let changed: Vec<_> = a.iter().zip(&b).filter(|(x, y)| x != y).collect();
        if let [(x, y)] = changed.as_slice()
            && x.0 == y.0
            && x.1 != y.1
            && let Some(actor) = &y.1
        {
            return Some(format!(
                "favours {actor}, who now performs `{}` and so decides when {milestone} is reached",
                y.0
            ));
        }
        return None;
    }
    // Steps compared as written, each as many times as it is written: `X,
    // then X` is one step more than `X`.
    let texts = |steps: &[(String, Option<String>, String)]| -> BTreeMap<String, usize> {
        let mut counted = BTreeMap::new();
        for step in steps {
            *counted.entry(step.2.clone()).or_insert(0) += 1;
        }
        counted
    };
    let within = |x: &BTreeMap<String, usize>, y: &BTreeMap<String, usize>| {
        x.iter()
            .all(|(text, n)| y.get(text).is_some_and(|m| m >= n))
    };
    let (ta, tb) = (texts(&a), texts(&b));
    let later = if within(&ta, &tb) {
        true
    } else if within(&tb, &ta) {
        false
    } else {
        return None;
    };
    let gainers = window_gainers(version, milestone);
    if gainers.is_empty() {
        return None;
    }
    let who = gainers.into_iter().collect::<Vec<_>>().join(" and ");
    Some(if later {
        format!("favours {who}: more steps, so the rules that end at {milestone} run longer")
    } else {
        format!("against {who}: fewer steps, so the rules that end at {milestone} end sooner")
    })
}

/// The one party who gains when `milestone` is reached later, judged over
/// every rule that turns on it: a payment starting or falling due later
/// gains its debtor and ending later its creditor; a grant starting later
/// gains its grantor and ending later its grantee; a permission ending
/// later gains its holder; a prohibition or an act starting or due later
/// gains the party bound. `None` when rules pull different ways, or one
/// turns on the milestone in a way no single party gains from.
fn later_gainer(version: Version<'_>, milestone: &str) -> Option<String> {
    let is_it = |bound: &Spanned<Bound>| bound.node.milestone() == Some(milestone);
    // A window that starts at the milestone and lasts a length (`from m
    // for 12 months`) moves later whole, rather than starting later: no
    // party can be said to gain.
    let moves = |window: &Window| {
        window.from.as_ref().is_some_and(is_it)
            && window
                .end
                .as_ref()
                .is_some_and(|end| end.bounds.iter().any(|b| matches!(b, EndBound::For(_))))
    };
    let starts = |window: &Window| window.from.as_ref().is_some_and(is_it);
    let ends = |window: &Window| {
        window.end.as_ref().is_some_and(|end| {
            end.bounds.iter().any(|b| match b {
                EndBound::Through(bound) | EndBound::Until(bound) => is_it(bound),
                EndBound::For(_) => false,
            })
        })
    };
    let due = |due: Option<&Due>| match due {
        Some(Due::After { anchor, .. }) => match &anchor.node {
            DueAnchor::Milestone(m) => m == milestone,
            DueAnchor::PeriodEnd | DueAnchor::Event | DueAnchor::Date(_) => false,
        },
        Some(Due::On(_)) | None => false,
    };
    // A term that ends at the milestone moves every rule at once.
    let header = version.checked.file.header.as_ref();
    if header.and_then(|h| h.term.as_ref()).is_some_and(|term| {
        term.bounds.iter().any(|b| match b {
            EndBound::Through(bound) | EndBound::Until(bound) => is_it(bound),
            EndBound::For(_) => false,
        })
    }) {
        return None;
    }
    let mut gainers = BTreeSet::new();
    let file = &version.checked.file;
    for clause in &file.clauses {
        // An exception replaces the rule it names while it applies: a later
        // start keeps the general rule in force longer, so neither the
        // exception's nor the general rule's parties can be said to gain.
        let excepted = !clause.exception_to.is_empty()
            || file
                .clauses
                .iter()
                .any(|c| c.exception_to.iter().any(|n| n.node == clause.number.node));
        for statement in &clause.statements {
            let mut mentioned = false;
            crate::visit::statement_names(statement, &mut |name| mentioned |= name == milestone);
            if !mentioned {
                continue;
            }
            if excepted {
                return None;
            }
            // Each way the rule turns on the milestone, and who gains from
            // it coming later; `None` for a way no party is known to gain.
            let ways: Vec<Option<&Name>> = match statement {
                Statement::Pay(p) => [
                    (starts(&p.window), Some(&p.debtor)),
                    (ends(&p.window), Some(&p.creditor)),
                    (due(p.due.as_ref()), Some(&p.debtor)),
                ]
                .into_iter()
                .filter_map(|(turns, gainer)| turns.then_some(gainer))
                .collect(),
                Statement::Grant(g) => [
                    (starts(&g.window), Some(&g.grantor)),
                    (ends(&g.window), Some(&g.grantee)),
                ]
                .into_iter()
                .filter_map(|(turns, gainer)| turns.then_some(gainer))
                .collect(),
                Statement::May(r) => [(starts(&r.window), None), (ends(&r.window), Some(&r.party))]
                    .into_iter()
                    .filter_map(|(turns, gainer)| turns.then_some(gainer))
                    .collect(),
                Statement::Do(r) | Statement::MustNot(r) => [
                    (starts(&r.window), Some(&r.party)),
                    (ends(&r.window), None),
                    (due(r.due.as_ref()), Some(&r.party)),
                ]
                .into_iter()
                .filter_map(|(turns, gainer)| turns.then_some(gainer))
                .collect(),
                Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::Own(_)
                | Statement::CapTable(_)
                | Statement::Commitment(_)
                | Statement::Suspension(_)
                | Statement::Cap(_) => Vec::new(),
            };
            // Named, but in none of the ways above, or moving a window
            // whole: its effect is unknown.
            let window = match statement {
                Statement::Pay(p) => Some(&p.window),
                Statement::Grant(g) => Some(&g.window),
                Statement::May(r) | Statement::Do(r) | Statement::MustNot(r) => Some(&r.window),
                Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::Own(_)
                | Statement::CapTable(_)
                | Statement::Commitment(_)
                | Statement::Suspension(_)
                | Statement::Cap(_) => None,
            };
            if ways.is_empty() || window.is_some_and(moves) {
                return None;
            }
            for gainer in ways {
                gainers.insert(gainer?.node.clone());
            }
        }
    }
    let mut gainers = gainers.into_iter();
    match (gainers.next(), gainers.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// The parties who gain when the rules that end at `milestone` run longer:
/// the creditor of a payment, the grantee of a grant, the holder of a
/// permission.
fn window_gainers(version: Version<'_>, milestone: &str) -> BTreeSet<String> {
    let ends_at = |window: &Window| {
        window.end.as_ref().is_some_and(|end| {
            end.bounds.iter().any(|b| match b {
                EndBound::Through(bound) | EndBound::Until(bound) => {
                    bound.node.milestone() == Some(milestone)
                }
                EndBound::For(_) => false,
            })
        })
    };
    let mut gainers = BTreeSet::new();
    for clause in &version.checked.file.clauses {
        for statement in &clause.statements {
            let gainer = match statement {
                Statement::Pay(p) if ends_at(&p.window) => Some(&p.creditor),
                Statement::Grant(g) if ends_at(&g.window) => Some(&g.grantee),
                Statement::May(r) if ends_at(&r.window) => Some(&r.party),
                Statement::Pay(_)
                | Statement::Grant(_)
                | Statement::May(_)
                | Statement::Do(_)
                | Statement::MustNot(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::Own(_)
                | Statement::CapTable(_)
                | Statement::Commitment(_)
                | Statement::Suspension(_)
                | Statement::Cap(_) => None,
            };
            if let Some(gainer) = gainer {
                gainers.insert(gainer.node.clone());
            }
        }
    }
    gainers
}
