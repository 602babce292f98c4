//! Declarations: one namespace for parties, categories, periods, event types,
//! milestones and definitions; members within each category; fields within
//! each event.

use std::collections::BTreeMap;

use super::types::{Scope, Ty};
use super::{BUILTIN_PERIODS, Checker, PeriodInfo, RESERVED_FIELDS};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{
    AccountId, CategoryId, ClauseId, DefinitionId, EventTypeId, GroupId, MilestoneId, PartyId,
};

impl<'a> Checker<'a> {
    /// Enters every declaration in the symbol tables, reporting duplicates.
    pub(super) fn declare_all(&mut self) {
        let file = self.file;
        // Every top-level name, with what it names and where, for duplicate reports.
        let mut seen: BTreeMap<&str, (&'static str, Span)> = BTreeMap::new();
        for (name, base) in BUILTIN_PERIODS {
            self.symbols.periods.insert(
                name.to_string(),
                PeriodInfo {
                    base,
                    start_month: 1,
                    declared: None,
                },
            );
            seen.insert(name, ("built-in period", Span::default()));
        }
        // A category or period named like a built-in kind of value could
        // never be used as a field's type.
        for name in ["money", "percent", "number", "count", "date", "bool"] {
            seen.insert(name, ("built-in kind of value", Span::default()));
        }
        let mut declare = |checker: &mut Self, name: &'a Name, kind: &'static str| -> bool {
            if let Some((first_kind, first_span)) = seen.get(name.node.as_str()) {
                let mut diagnostic = Diagnostic::error(
                    Code::DuplicateName,
                    if first_kind.starts_with("built-in") {
                        format!("`{}` is a built-in name", name.node)
                    } else {
                        format!("`{}` is declared twice", name.node)
                    },
                    name.span,
                    format!("this {kind} reuses the name"),
                );
                if *first_kind == "built-in period" {
                    diagnostic = diagnostic.with_help(format!(
                        "`{}` is a built-in calendar period; give this declaration another name, such as `fiscal_{}`",
                        name.node, name.node
                    ));
                } else if *first_kind == "built-in kind of value" {
                    diagnostic = diagnostic.with_help(format!(
                        "`{}` is a built-in kind of value for fields; give this declaration another name",
                        name.node
                    ));
                } else {
                    diagnostic = diagnostic
                        .with_related(
                            *first_span,
                            format!("first declared here as a {first_kind}"),
                        )
                        .with_help(
                            "every party, group, category, period, event, milestone and definition needs its own name",
                        );
                }
                checker.report(diagnostic);
                false
            } else {
                seen.insert(name.node.as_str(), (kind, name.span));
                true
            }
        };
        for (i, party) in file.parties.iter().enumerate() {
            if declare(self, &party.name, "party") {
                self.symbols
                    .parties
                    .insert(party.name.node.clone(), PartyId::from_index(i));
            }
        }
        for (i, group) in file.groups.iter().enumerate() {
            if declare(self, &group.name, "group") {
                self.symbols
                    .groups
                    .insert(group.name.node.clone(), GroupId::from_index(i));
            }
        }
        for (i, category) in file.categories.iter().enumerate() {
            if declare(self, &category.name, "category") {
                self.symbols
                    .categories
                    .insert(category.name.node.clone(), CategoryId::from_index(i));
            }
        }
        for (i, period) in file.periods.iter().enumerate() {
            if declare(self, &period.name, "period") {
                self.symbols.periods.insert(
                    period.name.node.clone(),
                    PeriodInfo {
                        base: period.base.node,
                        start_month: period.start_month.node,
                        declared: Some(i),
                    },
                );
            }
        }
        for (i, event) in file.events.iter().enumerate() {
            if declare(self, &event.name, "event") {
                self.symbols
                    .events
                    .insert(event.name.node.clone(), EventTypeId::from_index(i));
            }
        }
        for (i, milestone) in file.milestones.iter().enumerate() {
            if declare(self, &milestone.name, "milestone") {
                self.symbols
                    .milestones
                    .insert(milestone.name.node.clone(), MilestoneId::from_index(i));
            }
        }
        for (i, definition) in file.definitions.iter().enumerate() {
            if declare(self, &definition.name, "definition") {
                self.symbols
                    .definitions
                    .insert(definition.name.node.clone(), DefinitionId::from_index(i));
            }
        }
        for (i, account) in file.accounts.iter().enumerate() {
            if declare(self, &account.name, "account") {
                self.symbols
                    .accounts
                    .insert(account.name.node.clone(), AccountId::from_index(i));
            }
        }
        for (i, clause) in file.clauses.iter().enumerate() {
            if clause.number.node.0.contains(&0) {
                continue; // reported when read
            }
            match self.symbols.clauses.get(&clause.number.node) {
                Some(&first) => {
                    let first_span = file
                        .clauses
                        .get(first.index())
                        .map_or(Span::default(), |c| c.number.span);
                    self.report(
                        Diagnostic::error(
                            Code::DuplicateClause,
                            format!("clause {} is numbered twice", clause.number.node),
                            clause.number.span,
                            "second clause with this number",
                        )
                        .with_related(first_span, "first clause with this number")
                        .with_help("give each clause its own number; exceptions and reports refer to clauses by number"),
                    );
                }
                None => {
                    self.symbols
                        .clauses
                        .insert(clause.number.node.clone(), ClauseId::from_index(i));
                }
            }
        }
    }

    /// Groups, once definitions are checked: a condition for joining or
    /// leaving may use one.
    pub(super) fn check_groups(&mut self) {
        let file = self.file;
        for group in &file.groups {
            self.check_group(group);
        }
    }

    pub(super) fn check_declarations(&mut self) {
        let file = self.file;
        for category in &file.categories {
            let mut members: BTreeMap<&str, Span> = BTreeMap::new();
            for member in &category.members {
                if let Some(first) = members.insert(member.node.as_str(), member.span) {
                    self.report(
                        Diagnostic::error(
                            Code::DuplicateName,
                            format!(
                                "`{}` is listed twice in category `{}`",
                                member.node, category.name.node
                            ),
                            member.span,
                            "listed again here",
                        )
                        .with_related(first, "first listed here")
                        .with_help("remove the repeated member"),
                    );
                }
            }
        }
        for event in &file.events {
            let mut fields: BTreeMap<&str, Span> = BTreeMap::new();
            for field in &event.fields {
                if RESERVED_FIELDS.contains(&field.name.node.as_str()) {
                    let help = if field.name.node == "by" {
                        format!(
                            "every event can name the party that performed it: write `event {} by party {{ ... }}` and leave `by` out of the fields",
                            event.name.node
                        )
                    } else {
                        format!(
                            "every event already has `{}`; give this field another name",
                            field.name.node
                        )
                    };
                    self.report(
                        Diagnostic::error(
                            Code::ReservedField,
                            format!(
                                "`{}` is a built-in attribute of every event",
                                field.name.node
                            ),
                            field.name.span,
                            "reserved name",
                        )
                        .with_help(help),
                    );
                    continue;
                }
                if let Some(first) = fields.insert(field.name.node.as_str(), field.name.span) {
                    self.report(
                        Diagnostic::error(
                            Code::DuplicateName,
                            format!(
                                "event `{}` declares field `{}` twice",
                                event.name.node, field.name.node
                            ),
                            field.name.span,
                            "declared again here",
                        )
                        .with_related(first, "first declared here")
                        .with_help("remove one, or rename it"),
                    );
                }
                if let TypeName::Named(name) = &field.ty.node {
                    let declared_period = self
                        .symbols
                        .periods
                        .get(name)
                        .is_some_and(|p| p.declared.is_some());
                    if self.symbols.categories.contains_key(name) {
                        self.refer(
                            field.ty.span,
                            crate::model::Target::Category(name.as_str().into()),
                        );
                    } else if declared_period {
                        self.refer(
                            field.ty.span,
                            crate::model::Target::Period(name.as_str().into()),
                        );
                    }
                }
                if let TypeName::Named(name) = &field.ty.node
                    && !self.symbols.categories.contains_key(name)
                    && !self.symbols.periods.contains_key(name)
                    && !self.full()
                {
                    let mut candidates: Vec<String> = [
                        "money", "percent", "number", "count", "days", "date", "text", "bool",
                        "party",
                    ]
                    .map(String::from)
                    .to_vec();
                    candidates.extend(file.categories.iter().map(|c| c.name.node.clone()));
                    candidates.extend(self.symbols.periods.keys().cloned());
                    let help = format!(
                        "a field's type is `money`, `percent`, `number`, `count`, `days`, `date`, `text`, `bool`, `party`, a category or a period; to declare a category: `category {name}: first | second`"
                    );
                    let ty = Spanned::new(name.clone(), field.ty.span);
                    self.unknown(Code::UnknownType, "type", &ty, candidates, help);
                }
            }
        }
        for period in &file.periods {
            if period.base.node == PeriodBase::Month && period.start_written {
                self.report(
                    Diagnostic::error(
                        Code::InvalidPeriod,
                        "a month always starts on its first day",
                        period.start_month.span,
                        "`starting` means nothing for months",
                    )
                    .with_help(format!(
                        "write `period {}: month`, or use `quarter starting ...` or `year starting ...` for a fiscal period",
                        period.name.node
                    )),
                );
            }
        }
    }

    /// Milestones' conditions, once definitions are known (a milestone may
    /// use one: `sale where large_sale`).
    pub(super) fn check_milestones(&mut self) {
        for milestone in &self.file.milestones {
            self.expanded = 0;
            self.check_milestone_cond(milestone, &milestone.condition);
        }
    }

    fn check_milestone_cond(&mut self, milestone: &Milestone, condition: &MilestoneCond) {
        // Iterative: milestone conditions nest only through brackets, which
        // are limited, but a work list costs nothing.
        let mut work = vec![condition];
        while let Some(c) = work.pop() {
            match c {
                MilestoneCond::Event(pattern) => self.check_event_pattern(pattern),
                MilestoneCond::Date(_) => {}
                MilestoneCond::Total(total) => self.check_total_reaches(total),
                MilestoneCond::Count(count) => self.check_count_reaches(count),
                MilestoneCond::PaidInFull(paid) => self.check_paid_in_full(milestone, paid),
                MilestoneCond::Sequence(parts, _)
                | MilestoneCond::All(parts, _)
                | MilestoneCond::Any(parts, _) => {
                    work.extend(parts.iter().rev());
                }
            }
        }
    }

    /// `total EVENT.FIELD where ... reaches AMOUNT`: a field that can be
    /// added up, and a threshold of its kind above zero.
    fn check_total_reaches(&mut self, total: &TotalReaches) {
        let TotalReaches {
            field,
            filter,
            threshold,
            span: _,
        } = total;
        if matches!(threshold.kind, ExprKind::Invalid) {
            return;
        }
        let threshold_ty = self.check_expr(threshold, &Scope::none());
        let Some(decl) = self.resolve_event(&field.event) else {
            return;
        };
        if let Some(filter) = filter {
            self.check_condition(filter, &Scope::event(decl));
        }
        let Some(field_ty) = self.resolve_field(decl, &field.field) else {
            return;
        };
        match field_ty {
            Ty::Money(_) | Ty::Number | Ty::Days | Ty::Months | Ty::Percent => {}
            Ty::Unknown => return,
            Ty::Date | Ty::Bool | Ty::Text | Ty::Party | Ty::Category(_) | Ty::Period(_) => {
                self.report(
                    Diagnostic::error(
                        Code::InvalidThreshold,
                        format!(
                            "`{}.{}` is {}, which cannot be added up",
                            field.event.node,
                            field.field.node,
                            field_ty
                        ),
                        field.span,
                        "not an amount or a number",
                    )
                    .with_help(
                        "a running total adds up money, numbers, percentages or days; to count the events instead, write `count EVENT ... reaches N`",
                    ),
                );
                return;
            }
        }
        if self.agree(field_ty, threshold_ty, threshold.span, field.span, true) == Ty::Unknown {
            return;
        }
        if super::types::literal_value(threshold).is_some_and(|v| v <= rust_decimal::Decimal::ZERO)
        {
            self.report(
                Diagnostic::error(
                    Code::InvalidThreshold,
                    "a running total reaches zero before any event",
                    threshold.span,
                    "the milestone would be reached by nothing at all",
                )
                .with_help(
                    "write the amount the events must add up to, above zero; for the first such event, write the event alone",
                ),
            );
        }
    }

    /// `clause N paid in full`: a clause that owes payments, each made once
    /// (a payment that recurs is never paid in full once and for all),
    /// none of which waits for this milestone.
    fn check_paid_in_full(&mut self, milestone: &Milestone, paid: &PaidInFull) {
        let PaidInFull { clause, span: _ } = paid;
        let found = self.resolve_clause_list(
            std::slice::from_ref(clause),
            Code::NothingPaidInFull,
            "to be paid in full",
            None,
        );
        let Some(&(number, target)) = found.first() else {
            return;
        };
        let pays: Vec<&PayObligation> = target
            .statements
            .iter()
            .filter_map(Statement::as_pay)
            .collect();
        if pays.is_empty() {
            self.report(
                Diagnostic::error(
                    Code::NothingPaidInFull,
                    format!(
                        "clause {} owes no payment, so it is never paid in full",
                        number.node
                    ),
                    number.span,
                    "no `must pay` in this clause",
                )
                .with_related(target.number.span, "this clause owes nothing")
                .with_help(
                    "name the clause whose `must pay` the milestone waits for; to wait for an amount paid in total, write `total payment.amount where ... reaches AMOUNT`",
                ),
            );
            return;
        }
        for pay in &pays {
            let how = match &pay.recurrence {
                None => continue,
                Some(Recurrence::EachEvent(_)) => "on each event",
                Some(Recurrence::EachPeriod(_) | Recurrence::EachPeriodField(_)) => {
                    "for each period"
                }
            };
            self.report(
                Diagnostic::error(
                    Code::NothingPaidInFull,
                    format!(
                        "clause {} owes a payment {how}, which is never paid in full once and for all",
                        number.node
                    ),
                    number.span,
                    "a milestone is reached once",
                )
                .with_related(pay.span, format!("owed again {how}"))
                .with_help(
                    "wait for an amount paid in total instead (`total payment.amount where ... reaches AMOUNT`), or put the payments made once in a clause of their own",
                ),
            );
        }
        if let Some(path) = self.paid_in_full_cycle(milestone, &clause.node) {
            self.report(
                Diagnostic::error(
                    Code::PaidInFullCycle,
                    format!(
                        "`{}` waits for clause {} to be paid in full, but what clause {} owes waits for `{}`",
                        milestone.name.node, number.node, number.node, milestone.name.node
                    ),
                    number.span,
                    format!("what this clause owes waits for `{}`", milestone.name.node),
                )
                .with_related(
                    milestone.name.span,
                    format!("the circle: {} → {path}", milestone.name.node),
                )
                .with_help(format!(
                    "a payment cannot fall due, or begin, only once it is itself paid; count clause {}'s window or due date from another milestone or a date",
                    number.node
                )),
            );
        }
    }

    /// Whether the payments of clause `start` depend, through the
    /// milestones their windows, due dates and the term wait for (and the
    /// clauses those milestones wait to be paid), on `milestone` itself:
    /// the way round, as `clause 1 → fee_paid`, if they do.
    fn paid_in_full_cycle(&self, milestone: &Milestone, start: &ClauseNumber) -> Option<String> {
        // The term bounds every rule's window.
        let mut term_waits: Vec<String> = Vec::new();
        if let Some(term) = self.file.header.as_ref().and_then(|h| h.term.as_ref()) {
            crate::visit::window_end_names(term, &mut |name| {
                if self.symbols.milestones.contains_key(name) {
                    term_waits.push(name.to_string());
                }
            });
        }
        // Depth first over (clause, the way to it), each clause once.
        let mut seen: std::collections::BTreeSet<ClauseNumber> = std::collections::BTreeSet::new();
        let mut work = vec![(start.clone(), format!("clause {start}"))];
        while let Some((number, path)) = work.pop() {
            if !seen.insert(number.clone()) {
                continue;
            }
            let Some(clause) = self
                .symbols
                .clauses
                .get(&number)
                .and_then(|&id| self.file.clauses.get(id.index()))
            else {
                continue;
            };
            let mut waits: Vec<String> = term_waits.clone();
            for pay in clause.statements.iter().filter_map(Statement::as_pay) {
                crate::visit::payment_milestones(pay, &mut |name| {
                    if self.symbols.milestones.contains_key(name) {
                        waits.push(name.to_string());
                    }
                });
            }
            waits.sort();
            waits.dedup();
            for name in waits {
                let path = format!("{path} → {name}");
                if name == milestone.name.node {
                    return Some(path);
                }
                let Some(other) = self
                    .symbols
                    .milestones
                    .get(&name)
                    .and_then(|&id| self.file.milestones.get(id.index()))
                else {
                    continue;
                };
                crate::visit::milestone_clauses(&other.condition, &mut |number| {
                    work.push((number.clone(), format!("{path} → clause {number}")));
                });
            }
        }
        None
    }

    /// `count EVENT where ... reaches N`: a whole number of events, at least one.
    fn check_count_reaches(&mut self, count: &CountReaches) {
        let CountReaches {
            pattern,
            threshold,
            span: _,
        } = count;
        self.check_event_pattern(pattern);
        // A threshold that could not be read was reported when it was.
        if matches!(threshold.kind, ExprKind::Invalid) {
            return;
        }
        let number = matches!(threshold.kind, ExprKind::Number(_));
        let whole = number
            && threshold
                .literal_value()
                .is_some_and(|n| n.fract().is_zero() && n >= rust_decimal::Decimal::ONE);
        if !whole {
            let written = crate::syntax::one_line::expr(threshold);
            let money = matches!(threshold.kind, ExprKind::Money(_));
            self.report(
                Diagnostic::error(
                    Code::InvalidThreshold,
                    format!(
                        "a count of events reaches a whole number of at least 1, not `{written}`"
                    ),
                    threshold.span,
                    "not a number of events",
                )
                .with_help(if money {
                    "to add up amounts, write `total EVENT.FIELD ... reaches` the amount"
                } else {
                    "write how many events reach the milestone: `reaches 3`; for the first one, write the event alone"
                }),
            );
        }
    }

    /// `event by party where condition`
    pub(super) fn check_event_pattern(&mut self, pattern: &EventPattern) {
        let Some(decl) = self.resolve_event(&pattern.event) else {
            return;
        };
        if let Some(by) = &pattern.by {
            if !decl.has_actor {
                self.report(super::event_without_actor(
                    decl,
                    by.span.to(pattern.event.span),
                    "`by` needs an event that names a party".to_string(),
                ));
            } else {
                self.resolve_actor(by);
            }
        }
        if let Some(filter) = &pattern.filter {
            self.check_condition(filter, &Scope::event(decl));
        }
    }

    /// A group: its members are parties, each listed once; each change of
    /// membership names a field of kind `party` of a declared event.
    fn check_group(&mut self, group: &'a Group) {
        let Group {
            name: _,
            label: _,
            members,
            changes,
            span: _,
        } = group;
        let mut listed: BTreeMap<&str, Span> = BTreeMap::new();
        for member in members {
            if let Some(inner) = self.group_decl(&member.node) {
                let parties: Vec<String> = inner
                    .members
                    .iter()
                    .map(|m| format!("`{}`", m.node))
                    .collect();
                self.refer(
                    member.span,
                    crate::model::Target::Group(member.node.as_str().into()),
                );
                self.report(
                    Diagnostic::error(
                        Code::GroupNotAParty,
                        format!(
                            "`{}` is a group, and a group's members are parties",
                            member.node
                        ),
                        member.span,
                        "a group, not a party",
                    )
                    .with_related(inner.name.span, "the group is declared here")
                    .with_help(format!(
                        "list its members instead ({}); a party that joins `{}` later must be added to `{}` by its own `joins on` line",
                        parties.join(", "),
                        member.node,
                        group.name.node
                    )),
                );
            } else {
                self.resolve_party(member);
            }
            if let Some(first) = listed.insert(member.node.as_str(), member.span) {
                self.report(
                    Diagnostic::error(
                        Code::DuplicateName,
                        format!(
                            "`{}` is listed twice in group `{}`",
                            member.node, group.name.node
                        ),
                        member.span,
                        "listed again here",
                    )
                    .with_related(first, "first listed here")
                    .with_help("remove the repeated member"),
                );
            }
        }
        for change in changes {
            let MembershipChange {
                kind,
                field,
                filter,
                span: _,
            } = change;
            let Some(decl) = self.resolve_event(&field.event) else {
                continue;
            };
            let ty = self.resolve_field(decl, &field.field);
            if let Some(ty) = ty
                && ty != Ty::Party
            {
                let word = match kind.node {
                    MembershipKind::Joins => "joins",
                    MembershipKind::Leaves => "leaves",
                };
                let mut diagnostic = Diagnostic::error(
                    Code::TypeMismatch,
                    format!(
                        "`{word} on {}.{}` needs a field that names a party",
                        field.event.node, field.field.node
                    ),
                    field.span,
                    format!("{ty} here, not a party"),
                )
                .with_help(format!(
                    "name the field of `{}` that says which party {word} the group, declared with the kind `party` (`company: party`)",
                    decl.name.node
                ));
                if let Some(declared) = decl.fields.iter().find(|f| f.name.node == field.field.node)
                {
                    diagnostic = diagnostic.with_related(declared.span, "declared here");
                }
                self.report(diagnostic);
            }
            if let Some(filter) = filter {
                self.check_condition(filter, &Scope::event(decl));
                if let Some(at) = self.looks_back(filter) {
                    self.report(
                        Diagnostic::error(
                            Code::TotalMisuse,
                            format!(
                                "the condition on `{} on {}.{}` looks back at earlier events",
                                kind.node.word(),
                                field.event.node,
                                field.field.node
                            ),
                            at,
                            "looks back at earlier events",
                        )
                        .with_help(
                            "who belongs to a group is settled before anything looks back at earlier events (a running total, a pick, `after`), since those may count only the group's members; test the joining event's own fields here",
                        ),
                    );
                }
            }
        }
    }

    /// Where a condition, or a definition it uses, looks back at earlier
    /// events: a running total or count, a pick, or `after EVENT`.
    fn looks_back(&self, condition: &Condition) -> Option<Span> {
        let file = self.file;
        let mut seen: Vec<&str> = Vec::new();
        // Each with the use of the definition it is in, if it is in one.
        let mut conditions: Vec<(&Condition, Option<Span>)> = vec![(condition, None)];
        let mut exprs: Vec<(&Expr, Option<Span>)> = Vec::new();
        loop {
            if let Some((c, used)) = conditions.pop() {
                match &c.kind {
                    ConditionKind::Any(parts) | ConditionKind::All(parts) => {
                        conditions.extend(parts.iter().map(|p| (p, used)));
                    }
                    ConditionKind::Not(inner) => conditions.push((inner, used)),
                    ConditionKind::Compare { left, right, .. } => {
                        exprs.push((left, used));
                        exprs.extend(right.iter().map(|e| (e, used)));
                    }
                    ConditionKind::Test(e) => exprs.push((e, used)),
                    ConditionKind::Earlier(_) => return Some(used.unwrap_or(c.span)),
                }
            } else if let Some((e, used)) = exprs.pop() {
                if e.is_running() {
                    return Some(used.unwrap_or(e.span));
                }
                if let ExprKind::Name(name) = &e.kind
                    && !seen.contains(&name.as_str())
                    && let Some(&id) = self.symbols.definitions.get(name)
                    && let Some(definition) = file.definitions.get(id.index())
                {
                    seen.push(name);
                    let used = Some(used.unwrap_or(e.span));
                    match &definition.body {
                        DefinitionBody::Value(value) => exprs.push((value, used)),
                        DefinitionBody::Condition(c) => conditions.push((c, used)),
                    }
                }
                let mut children = Vec::new();
                e.push_children(&mut children);
                exprs.extend(children.into_iter().map(|c| (c, used)));
            } else {
                return None;
            }
        }
    }

    /// The event named as the one that records payments: it must say who
    /// paid and how much.
    pub(super) fn check_settlement_event(&mut self, name: &Name) {
        let Some(decl) = self.resolve_event(name) else {
            return;
        };
        let amount = decl.fields.iter().find(|f| f.name.node == "amount");
        let amount_is_money = amount.is_some_and(|f| f.ty.node == TypeName::Money);
        if !decl.has_actor || !amount_is_money {
            let mut missing = Vec::new();
            if !decl.has_actor {
                missing.push("`by party` (who paid)");
            }
            if !amount_is_money {
                missing.push("a field `amount: money` (how much)");
            }
            self.report(
                Diagnostic::error(
                    Code::NoSettlement,
                    format!("event `{}` cannot record a payment", decl.name.node),
                    name.span,
                    "named here as the event that settles payments",
                )
                .with_related(decl.name.span, "declared here")
                .with_help(format!(
                    "a settlement event needs {}: `event {} by party {{ to: party, amount: money }}`",
                    missing.join(" and "),
                    decl.name.node
                )),
            );
        }
    }

    /// The type of a declared field, or of a built-in attribute.
    pub(crate) fn field_type(&self, decl: &EventDecl, field: &str) -> Option<Ty> {
        match field {
            "date" => return Some(Ty::Date),
            "id" | "type" => return Some(Ty::Text),
            "by" if decl.has_actor => return Some(Ty::Party),
            _ => {}
        }
        let declared = decl.fields.iter().find(|f| f.name.node == field)?;
        Some(match &declared.ty.node {
            // Amounts recorded in events are in the contract's currency
            // when it declares one; evaluation checks each event against it.
            TypeName::MoneyIn { currency, .. } => Ty::Money(Some(*currency)),
            TypeName::Money | TypeName::SignedMoney => Ty::Money(
                self.file
                    .header
                    .as_ref()
                    .and_then(|h| h.currency.as_ref())
                    .map(|c| c.node),
            ),
            TypeName::Percent => Ty::Percent,
            TypeName::Number | TypeName::Count => Ty::Number,
            TypeName::Days => Ty::Days,
            TypeName::Date => Ty::Date,
            TypeName::Text => Ty::Text,
            TypeName::Bool => Ty::Bool,
            TypeName::Party => Ty::Party,
            TypeName::Named(name) => {
                if self.symbols.categories.contains_key(name) {
                    Ty::Category(name.clone())
                } else if self.symbols.periods.contains_key(name) {
                    Ty::Period(name.clone())
                } else {
                    Ty::Unknown
                }
            }
        })
    }
}
