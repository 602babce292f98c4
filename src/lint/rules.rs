//! The rules of the catalogue, family by family. Each looks at the checked
//! contract once (or once per clause), so lint grows linearly with the
//! contract: names are gathered into sets first, never compared all with all.

use std::collections::{BTreeMap, HashSet};

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::facts::Facts;
use super::{Finding, LINTS, finding};
use crate::ast::*;
use crate::diagnostics::{Code, closest};
use crate::model::{Checked, ClauseId};
use crate::syntax::one_line;

/// Every finding, at each rule's default level.
pub fn run(contract: &Checked) -> Vec<Finding> {
    let mut out = Vec::new();
    unknown_allows(contract, &mut out);
    references(contract, &mut out);
    dates(contract, &mut out);
    money(contract, &mut out);
    asset_shares(contract, &mut out);
    carve_outs(contract, &mut out);
    obligations(contract, &mut out);
    drafting(contract, &mut out);
    out
}

fn push(out: &mut Vec<Finding>, found: Option<Finding>) {
    out.extend(found);
}

fn with_help(found: Option<Finding>, help: impl Into<String>) -> Option<Finding> {
    found.map(|mut f| {
        f.diagnostic = f.diagnostic.with_help(help);
        f
    })
}

fn with_related(found: Option<Finding>, span: Span, label: impl Into<String>) -> Option<Finding> {
    found.map(|mut f| {
        f.diagnostic = f.diagnostic.with_related(span, label);
        f
    })
}

fn clause_name(clause: &Clause) -> String {
    format!("clause {}", clause.number.node)
}

// ---------------------------------------------------------------------------
// `allow` annotations

fn unknown_allows(contract: &Checked, out: &mut Vec<Finding>) {
    let names: Vec<String> = LINTS.iter().map(super::Lint::name).collect();
    for (index, clause) in contract.clauses() {
        for name in clause.allows.iter().flat_map(|a| a.codes.iter()) {
            if super::find(&name.node).is_some() {
                continue;
            }
            let found = finding(
                Code::UnknownLint,
                format!("`{}` is not a lint rule", name.node),
                name.span,
                "no rule of this name",
                Some(index),
            );
            push(
                out,
                match closest(&name.node, names.iter().map(String::as_str)) {
                    Some(best) => found.map(|mut f| {
                        f.diagnostic = f.diagnostic.with_suggestion(best.to_string());
                        f
                    }),
                    None => with_help(found, "the rules are listed in docs/lints.md"),
                },
            );
        }
    }
}

// ---------------------------------------------------------------------------
// References: declared and never used

fn references(contract: &Checked, out: &mut Vec<Finding>) {
    let file = &contract.file;
    let mut in_rules: HashSet<String> = HashSet::new();
    let mut note = |name: &str| {
        in_rules.insert(name.to_string());
    };
    for clause in &file.clauses {
        for statement in &clause.statements {
            crate::visit::statement_names(statement, &mut note);
        }
    }
    if let Some(header) = &file.header {
        if let Some(term) = &header.term {
            crate::visit::window_end_names(term, &mut note);
        }
        if let Some(settlement) = &header.settlement {
            note(&settlement.node);
        }
        if let Some(renewal) = &header.renewal {
            crate::visit::event_pattern_names(&renewal.notice, &mut note);
        }
    }
    let mut anywhere = in_rules.clone();
    // What moves an account is used: the account is reported whether or
    // not a rule reads its balance.
    for account in &file.accounts {
        crate::visit::account_names(account, &mut |name| {
            anywhere.insert(name.to_string());
        });
    }
    for milestone in &file.milestones {
        crate::visit::milestone_names(&milestone.condition, &mut |name| {
            anywhere.insert(name.to_string());
        });
    }
    // A definition is used when a rule, a milestone, a used definition or
    // a used group names it; what its body names is then used too. A
    // group is used when any of those names it, and uses its members and
    // what changes them.
    let mut explored: HashSet<&str> = HashSet::new();
    loop {
        let mut grew = false;
        for group in &file.groups {
            let name = group.name.node.as_str();
            if anywhere.contains(name) && explored.insert(name) {
                grew = true;
                crate::visit::group_names(group, &mut |used| {
                    anywhere.insert(used.to_string());
                });
            }
        }
        for definition in &file.definitions {
            let name = definition.name.node.as_str();
            if anywhere.contains(name) && explored.insert(name) {
                grew = true;
                crate::visit::definition_names(definition, &mut |used| {
                    anywhere.insert(used.to_string());
                });
            }
        }
        if !grew {
            break;
        }
    }
    for definition in &file.definitions {
        if !anywhere.contains(&definition.name.node) {
            push(
                out,
                with_help(
                    finding(
                        Code::UnusedDefinition,
                        format!(
                            "the definition `{}` is used by no rule, milestone or other definition",
                            definition.name.node
                        ),
                        definition.name.span,
                        "defined here, never used",
                        None,
                    ),
                    "use it where its value or condition is meant, or remove it",
                ),
            );
        }
    }
    // A prohibition names the party it binds, not the one it protects: in
    // a contract between two parties, that is the other one.
    let bound_by_prohibition = |party: &str| {
        file.clauses
            .iter()
            .flat_map(|c| &c.statements)
            .filter_map(Statement::as_prohibition)
            .any(|p| p.party.node == party)
    };
    let protected = |party: &str| {
        file.parties.len() == 2
            && file
                .parties
                .iter()
                .any(|other| other.name.node != party && bound_by_prohibition(&other.name.node))
    };
    for group in &file.groups {
        if !anywhere.contains(&group.name.node) {
            push(
                out,
                with_help(
                    finding(
                        Code::UnusedParty,
                        format!(
                            "the group `{}` is named by no rule or milestone",
                            group.name.node
                        ),
                        group.name.span,
                        "declared here, never used",
                        None,
                    ),
                    "remove it, or name it where the contract binds or benefits the group",
                ),
            );
        }
    }
    // A party a used group's event can add may be a future member, named
    // only by the events that record it joining and acting.
    // The same for a party a grant may pass to.
    let may_join = file.groups.iter().any(|g| {
        anywhere.contains(&g.name.node)
            && g.changes
                .iter()
                .any(|c| c.kind.node == MembershipKind::Joins)
    }) || file
        .clauses
        .iter()
        .flat_map(|c| &c.statements)
        .filter_map(Statement::as_grant)
        .any(|g| g.passes.is_some());
    // Event fields typed by a category use it, but not its members.
    for party in &file.parties {
        if !anywhere.contains(&party.name.node) && !protected(&party.name.node) && !may_join {
            push(
                out,
                with_help(
                    finding(
                        Code::UnusedParty,
                        format!(
                            "the party `{}` is named by no rule, milestone or holding",
                            party.name.node
                        ),
                        party.name.span,
                        "declared here, never used",
                        None,
                    ),
                    "remove it, or add the clause that binds or benefits it",
                ),
            );
        }
    }
    for category in &file.categories {
        for member in &category.members {
            if !anywhere.contains(&member.node) {
                push(
                    out,
                    with_help(
                        finding(
                            Code::UnusedMember,
                            format!(
                                "`{}` of `{}` is named by no condition",
                                member.node, category.name.node
                            ),
                            member.span,
                            "never named",
                            None,
                        ),
                        "a member nothing distinguishes behaves like any other; remove it if it is not needed",
                    ),
                );
            }
        }
    }
    for event in &file.events {
        if !anywhere.contains(&event.name.node) {
            push(
                out,
                with_help(
                    finding(
                        Code::UnusedEvent,
                        format!("no rule or milestone concerns `{}` events", event.name.node),
                        event.name.span,
                        "declared here, never used",
                        None,
                    ),
                    "remove the declaration, or write the clause that gives these events a meaning",
                ),
            );
        }
    }
    for milestone in &file.milestones {
        if !in_rules.contains(&milestone.name.node) {
            push(
                out,
                with_help(
                    finding(
                        Code::UnusedMilestone,
                        format!(
                            "nothing waits for the milestone `{}`: no window, due date or term names it",
                            milestone.name.node
                        ),
                        milestone.name.span,
                        "declared here, never used",
                        None,
                    ),
                    "use it in a window (`until {name}`, `from {name}`) or a due date, or remove it",
                ),
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Dates

fn date_of(d: &DateRef) -> Option<Date> {
    d.date()
}

/// The last day an end allows, from its dates alone (milestones unknown);
/// `start` is the day a length (`for 12 months`) counts from, if known.
fn last_day(end: &WindowEnd, start: Option<Date>) -> Option<(Date, Span)> {
    end.bounds
        .iter()
        .filter_map(|bound| match bound {
            EndBound::Through(b) => b.node.fixed_day().map(|d| (d, b.span)),
            EndBound::Until(b) => b
                .node
                .fixed_day()
                .and_then(|d| d.yesterday().ok())
                .map(|d| (d, b.span)),
            EndBound::For(length) => length
                .node
                .after(start?)
                .and_then(|d| d.yesterday().ok())
                .map(|d| (d, length.span)),
        })
        .min_by_key(|(d, _)| *d)
}

fn dates(contract: &Checked, out: &mut Vec<Finding>) {
    let Some(header) = &contract.file.header else {
        return;
    };
    let effective = header.effective.as_ref().and_then(|e| date_of(&e.node));
    let term_end = header.term.as_ref().and_then(|t| last_day(t, effective));
    // A renewal whose notice period is at least as long as the renewal:
    // the notice that would stop a renewal is due before that renewal has
    // begun, while the term before it still runs.
    if let (Some(renewal), Some((first_end, _))) = (&header.renewal, term_end)
        && let Some(second_end) = first_end
            .tomorrow()
            .ok()
            .and_then(|d| renewal.period.node.after(d))
            .and_then(|d| d.yesterday().ok())
        && let Some(deadline) = renewal.before.node.before(second_end)
        && deadline <= first_end
    {
        push(
            out,
            with_help(
                finding(
                    Code::NoticeBeforeRenewalBegins,
                    format!(
                        "notice {} before the end of a renewal of {} falls due before that renewal begins: to stop the renewal ending {second_end}, notice is due by {deadline}, while the term before it runs to {first_end}",
                        renewal.before.node.written(),
                        renewal.period.node.written()
                    ),
                    renewal.before.span,
                    "longer than the renewal",
                    None,
                ),
                "check the notice period and the renewal period against the contract: notice is usually shorter than the period it ends",
            ),
        );
    }
    if let (Some(start), Some((end, span))) = (effective, term_end)
        && end < start
    {
        push(
            out,
            with_help(
                finding(
                    Code::TermEndsBeforeStart,
                    format!("the term ends on {end}, before the contract takes effect on {start}"),
                    span,
                    "the end of the term",
                    None,
                ),
                "check the years: the term must end on or after the effective date",
            ),
        );
    }
    for (index, clause) in contract.clauses() {
        for statement in &clause.statements {
            // The same event begins and ends a suspension: each one ends
            // the day it begins, so nothing is ever suspended.
            if let Statement::Suspension(suspension) = statement {
                let begins = crate::syntax::one_line::event_pattern(&suspension.from);
                let ends = crate::syntax::one_line::event_pattern(&suspension.until);
                if begins == ends {
                    push(
                        out,
                        with_related(
                            with_help(
                                finding(
                                    Code::SuspensionEndsAsItBegins,
                                    format!(
                                        "`{begins}` both begins and ends the suspension in {}: each one ends the day it begins, so nothing is ever suspended",
                                        clause_name(clause)
                                    ),
                                    suspension.until.span,
                                    "the same event as the beginning",
                                    Some(index),
                                ),
                                "end the suspension with the event that says it is over (`until force_majeure_end`), declared as its own event type",
                            ),
                            suspension.from.span,
                            "begins here",
                        ),
                    );
                }
            }
            // A right that the bound party's own default gives it.
            let (bound, rights) = match statement {
                Statement::Pay(pay) => (Some(&pay.debtor), pay.rights.as_slice()),
                Statement::Do(duty) => (Some(&duty.party), duty.rights.as_slice()),
                Statement::MustNot(_)
                | Statement::May(_)
                | Statement::Grant(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::Own(_)
                | Statement::CapTable(_)
                | Statement::Commitment(_)
                | Statement::Suspension(_)
                | Statement::Cap(_) => (None, &[][..]),
            };
            for right in rights {
                if let Some(bound) = bound
                    && same_parties(&contract.file, &right.party.node, &bound.node)
                {
                    push(
                        out,
                        with_related(
                            with_help(
                                finding(
                                    Code::RightForThePartyInDefault,
                                    format!(
                                        "`{}` is given a right when it is itself in default under {}",
                                        right.party.node,
                                        clause_name(clause)
                                    ),
                                    right.party.span,
                                    "the party in default",
                                    Some(index),
                                ),
                                "a right on default usually belongs to the other party (`then CREDITOR may terminate`); check the party named after `then`",
                            ),
                            bound.span,
                            "bound by the obligation",
                        ),
                    );
                }
            }
            if let Statement::Pay(pay) = statement
                && let Some(Due::On(date)) = &pay.due
                && pay.recurrence.is_some()
            {
                push(
                    out,
                    with_help(
                        finding(
                            Code::FixedDueDateForRecurringPayment,
                            format!(
                                "{} recurs, but every payment is due on the one day {}",
                                clause_name(clause),
                                date_of(&date.node)
                                    .map_or_else(|| "given".to_string(), |d| d.to_string())
                            ),
                            date.span,
                            "one date for every period",
                            Some(index),
                        ),
                        "count the due date from each period or event: `due 30 days after the end of the period` or `due 30 days after the event`",
                    ),
                );
            }
            // A renewing term has no last day to be past: each renewal
            // moves it.
            let renews = header.renewal.is_some();
            let (Some((term_last, term_span)), false, false) =
                (term_end, clause.survives.is_some(), renews)
            else {
                continue;
            };
            let Some(window) = statement.window() else {
                continue;
            };
            // A length counts from the window's start as written: a date
            // (or a delay after one), else the effective date.
            let start = match &window.from {
                Some(from) => from.node.fixed_day(),
                None => effective,
            };
            if let Some((last, span)) = window.end.as_ref().and_then(|end| last_day(end, start))
                && last > term_last
            {
                push(
                    out,
                    with_related(
                        with_help(
                            finding(
                                Code::WindowBeyondTerm,
                                format!(
                                    "a rule of {} runs to {last}, past the end of the term on {term_last}",
                                    clause_name(clause)
                                ),
                                span,
                                "past the term",
                                Some(index),
                            ),
                            format!(
                                "without `survives`, nothing in {} applies after {term_last}: end its window by then, extend the term, or add `survives` if it is meant to outlive the term",
                                clause_name(clause)
                            ),
                        ),
                        term_span,
                        "the term ends here",
                    ),
                );
            }
            if let Some(from) = &window.from
                && let Some(first) = from.node.fixed_day()
                && first > term_last
            {
                push(
                    out,
                    with_related(
                        finding(
                            Code::WindowBeyondTerm,
                            format!(
                                "{} starts on {first}, after the term ends on {term_last}: it can never apply",
                                clause_name(clause)
                            ),
                            from.span,
                            "after the term",
                            Some(index),
                        ),
                        term_span,
                        "the term ends here",
                    ),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Money

/// Every expression of a statement, with those nested in it.
fn expressions(statement: &Statement) -> Vec<&Expr> {
    let mut roots: Vec<&Expr> = Vec::new();
    let mut conditions: Vec<&Condition> = Vec::new();
    match statement {
        Statement::Pay(p) => {
            roots.push(&p.amount);
            conditions.extend(p.carve_outs.iter().map(|c| &c.condition));
        }
        Statement::Do(r) | Statement::MustNot(r) | Statement::May(r) => {
            conditions.extend(r.action.filter.iter());
            conditions.extend(r.carve_outs.iter().map(|c| &c.condition));
        }
        Statement::Grant(g) => {
            conditions.extend(g.scope.filter.iter());
            conditions.extend(g.carve_outs.iter().map(|c| &c.condition));
            conditions.extend(g.passes.iter().flat_map(|p| p.filter.iter()));
        }
        Statement::Own(o) => {
            conditions.extend(o.made_by.filter.iter());
            for passing in &o.passes {
                match &passing.when {
                    PassingWhen::On(on) => conditions.extend(on.filter.iter()),
                    PassingWhen::Once(_) => {}
                }
            }
        }
        Statement::Exclusion(e) => conditions.extend(e.scope.filter.iter()),
        Statement::Commitment(c) => {
            roots.push(&c.target);
            conditions.extend(c.filter.iter());
            conditions.extend(c.carve_outs.iter().map(|c| &c.condition));
        }
        Statement::Suspension(s) => {
            conditions.extend(s.from.filter.iter());
            conditions.extend(s.until.filter.iter());
        }
        Statement::Cap(c) => roots.push(&c.amount),
        Statement::Holding(_) | Statement::CapTable(_) => {}
    }
    let mut all = Vec::new();
    let mut work = roots;
    while let Some(condition) = conditions.pop() {
        match &condition.kind {
            ConditionKind::Any(parts) | ConditionKind::All(parts) => conditions.extend(parts),
            ConditionKind::Not(inner) => conditions.push(inner),
            ConditionKind::Compare { left, right, .. } => {
                work.push(left);
                work.extend(right);
            }
            ConditionKind::Test(e) => work.push(e),
            ConditionKind::Earlier(_) => {}
        }
    }
    while let Some(expr) = work.pop() {
        all.push(expr);
        expr.push_children(&mut work);
    }
    all
}

/// The sum of the stakes in one entity, and each holding with its clause.
type Stakes<'a> = (Decimal, Vec<(ClauseId, &'a Holding)>);

/// A prohibition by its clause and where it is written.
type Prohibition = (ClauseId, Span);

/// Prohibitions of one act that apply under the same facts.
type ProhibitionGroup = (Facts, Vec<Prohibition>);

/// How many months a period lasts.
fn months_in(base: PeriodBase) -> u8 {
    match base {
        PeriodBase::Month => 1,
        PeriodBase::Quarter => 3,
        PeriodBase::Year => 12,
    }
}

/// A floor over payments made per longer period (`at least ... for each
/// month` over a royalty `for each quarter`): a payment counts on the last
/// day of its period, so the months before it see nothing counted and owe
/// the whole floor.
fn floors_over_longer_periods(contract: &Checked, out: &mut Vec<Finding>) {
    let period_of = |name: &Name| contract.symbols.periods.get(&name.node).copied();
    for (_, clause) in contract.clauses() {
        for statement in &clause.statements {
            let Statement::Cap(floor) = statement else {
                continue;
            };
            if floor.kind.node != LimitKind::Floor {
                continue;
            }
            let Some(own) = floor.per.as_ref().and_then(period_of) else {
                continue;
            };
            for number in &floor.clauses {
                let Some(named) = contract
                    .clause_numbered(&number.node)
                    .and_then(|id| contract.clause(id))
                else {
                    continue;
                };
                let longer = named.statements.iter().find_map(|s| {
                    let pay = s.as_pay()?;
                    let Some(Recurrence::EachPeriod(period)) = &pay.recurrence else {
                        return None;
                    };
                    let theirs = period_of(period)?;
                    (months_in(theirs.base) > months_in(own.base)).then_some(period)
                });
                let Some(period) = longer else {
                    continue;
                };
                let per = floor.per.as_ref().map_or("", |p| p.node.as_str());
                push(
                    out,
                    with_help(
                        finding(
                            Code::FloorShorterThanPayments,
                            format!(
                                "this floor is reckoned for each {per}, but clause {} pays for each {}: its payment counts on the last day of each {}, so the {per}s before it owe the whole floor",
                                number.node, period.node, period.node
                            ),
                            number.span,
                            format!("paid for each {}", period.node),
                            None,
                        ),
                        format!(
                            "reckon the floor for each {}, as the payments are, or have clause {} pay for each {per}",
                            period.node, number.node
                        ),
                    ),
                );
            }
        }
    }
}

fn money(contract: &Checked, out: &mut Vec<Finding>) {
    floors_over_longer_periods(contract, out);
    let file = &contract.file;
    // Interest on a balance, unrounded where payments are rounded.
    if let Some(rounding) = file.header.as_ref().and_then(|h| h.rounding.as_ref()) {
        for account in &file.accounts {
            for movement in &account.movements {
                let amount = &movement.amount;
                if matches!(amount.kind, ExprKind::Rounded { .. }) {
                    continue;
                }
                let mut work = vec![amount];
                let mut divides = false;
                while let Some(e) = work.pop() {
                    // Every kind named, so that a new way of multiplying
                    // is not silently left out.
                    divides |= match &e.kind {
                        ExprKind::Of { .. }
                        | ExprKind::PerStep { .. }
                        | ExprKind::Converted { .. }
                        | ExprKind::Tiers { .. } => true,
                        ExprKind::Chain { rest, .. } => rest
                            .iter()
                            .any(|(op, _)| matches!(op.node, ArithOp::Mul | ArithOp::Div)),
                        ExprKind::Money(_)
                        | ExprKind::Percent(_)
                        | ExprKind::Number(_)
                        | ExprKind::Duration(_)
                        | ExprKind::Date(_)
                        | ExprKind::Bool(_)
                        | ExprKind::Text(_)
                        | ExprKind::Name(_)
                        | ExprKind::Field(_)
                        | ExprKind::Balance { .. }
                        | ExprKind::Total { .. }
                        | ExprKind::Count { .. }
                        | ExprKind::Pick(_)
                        | ExprKind::Negate(_)
                        | ExprKind::CappedAt { .. }
                        | ExprKind::AtLeast { .. }
                        | ExprKind::DaysBetween { .. }
                        | ExprKind::Rounded { .. }
                        | ExprKind::Invalid => false,
                    };
                    e.push_children(&mut work);
                }
                if !divides {
                    continue;
                }
                let unit = format!("{} to {}", rounding.mode.node.as_str(), rounding.unit.node);
                push(
                    out,
                    with_help(
                        finding(
                            Code::UnroundedMovement,
                            format!(
                                "the contract rounds payments {unit}, but this movement of `{}` is not rounded: the balance carries every decimal the computation gives",
                                account.name.node
                            ),
                            amount.span,
                            "never rounded",
                            None,
                        ),
                        format!(
                            "round the movement as the contract does: `... rounded {unit}` (or, if the balance is meant to keep every decimal, run lint with `--allow unrounded_movement`)"
                        ),
                    ),
                );
            }
        }
    }
    // Tier tables written in definitions, wherever they are used.
    for definition in &file.definitions {
        if let DefinitionBody::Value(body) = &definition.body {
            let mut work = vec![body];
            while let Some(e) = work.pop() {
                if let ExprKind::Tiers {
                    mode: TierMode::Whole,
                    tiers,
                    ..
                } = &e.kind
                {
                    for finding in tier_bounds_short_of_round_figures(tiers, None) {
                        push(out, Some(finding));
                    }
                }
                e.push_children(&mut work);
            }
        }
    }
    let currency = file
        .header
        .as_ref()
        .and_then(|h| h.currency.as_ref())
        .map(|c| c.node);
    // Stakes by entity, in the order entities first appear.
    let mut tables: BTreeMap<String, Stakes<'_>> = BTreeMap::new();
    let mut complete: Vec<(ClauseId, &crate::ast::CapTable)> = Vec::new();
    for (index, clause) in contract.clauses() {
        for statement in &clause.statements {
            match statement {
                Statement::Holding(h) => {
                    let entry = tables.entry(h.entity.node.clone()).or_default();
                    entry.0 = entry.0.saturating_add(h.stake.node);
                    entry.1.push((index, h));
                    if let (Some(valuation), Some(currency)) = (&h.valuation, currency)
                        && valuation.node.currency != currency
                    {
                        push(
                            out,
                            foreign(valuation.span, valuation.node.currency, currency, index),
                        );
                    }
                }
                Statement::CapTable(c) => complete.push((index, c)),
                Statement::Pay(_)
                | Statement::Do(_)
                | Statement::MustNot(_)
                | Statement::May(_)
                | Statement::Grant(_)
                | Statement::Exclusion(_)
                | Statement::Commitment(_)
                | Statement::Suspension(_)
                | Statement::Cap(_)
                | Statement::Own(_) => {}
            }
            if let Some(currency) = currency {
                let all = expressions(statement);
                // An amount written to be converted is meant to be foreign.
                let converted: Vec<Span> = all
                    .iter()
                    .filter_map(|e| match &e.kind {
                        ExprKind::Converted { value, .. } => Some(value.span),
                        _ => None,
                    })
                    .collect();
                for expr in all {
                    if let ExprKind::Money(m) = &expr.kind
                        && m.currency != currency
                        && !converted
                            .iter()
                            .any(|c| c.start <= expr.span.start && expr.span.end <= c.end)
                    {
                        push(out, foreign(expr.span, m.currency, currency, index));
                    }
                }
            }
            for expr in expressions(statement) {
                if let ExprKind::Tiers {
                    mode: TierMode::Whole,
                    tiers,
                    ..
                } = &expr.kind
                {
                    for finding in tier_bounds_short_of_round_figures(tiers, Some(index)) {
                        push(out, Some(finding));
                    }
                }
            }
            if let Some(pay) = statement.as_pay() {
                for expr in expressions(statement) {
                    push(out, subtraction_after_share(expr, index));
                }
                if let Some(interest) = &pay.interest
                    && contract.rounding(pay).is_none()
                    && !matches!(pay.amount.kind, ExprKind::Rounded { .. })
                {
                    push(
                        out,
                        with_help(
                            finding(
                                Code::UnroundedInterest,
                                "late interest is charged, but nothing rounds it: it is owed to as many decimal places as the division gives".to_string(),
                                interest.span,
                                "never rounded",
                                Some(index),
                            ),
                            "round the obligation (`rounded half-up to 0.01`) or the whole contract (`rounding half-up to 0.01` in the header); the interest is rounded as the amount is",
                        ),
                    );
                }
            }
        }
    }
    for (entity, (total, holdings)) in &tables {
        if *total > Decimal::ONE_HUNDRED
            && let Some(&(index, last)) = holdings.last()
        {
            let mut found = finding(
                Code::StakesOverHundred,
                format!(
                    "the stakes in `{entity}` add up to {}%, more than 100%",
                    total.normalize()
                ),
                last.span,
                format!("brings the total to {}%", total.normalize()),
                Some(index),
            );
            for (_, h) in holdings.iter().rev().skip(1) {
                found = with_related(
                    found,
                    h.stake.span,
                    format!("{}%", h.stake.node.normalize()),
                );
            }
            push(
                out,
                with_help(
                    found,
                    "check each holder's percentage against the term sheet; together they can be at most 100%",
                ),
            );
        }
    }
    for (index, cap) in complete {
        let total = tables
            .get(&cap.entity.node)
            .map_or(Decimal::ZERO, |(t, _)| *t);
        if total < Decimal::ONE_HUNDRED {
            push(
                out,
                with_help(
                    finding(
                        Code::CapTableNotHundred,
                        format!(
                            "the cap table of `{}` is declared complete, but its stakes add up to {}%",
                            cap.entity.node,
                            total.normalize()
                        ),
                        cap.span,
                        "declared complete",
                        Some(index),
                    ),
                    format!(
                        "{}% of `{}` is held by no one the contract names: add the missing holders, or drop `complete`",
                        (Decimal::ONE_HUNDRED - total).normalize(),
                        cap.entity.node
                    ),
                ),
            );
        }
    }
}

/// Shares of the same assets (the same event and condition, as the checker
/// compares them) that add up to less than 100%: the rest of each asset is
/// owned by no one the contract names. (Above 100% the checker refuses.)
fn asset_shares(contract: &Checked, out: &mut Vec<Finding>) {
    // By what makes the assets: the total, and the first rule with its clause.
    let mut shares: Vec<(String, Decimal, ClauseId, Span)> = Vec::new();
    for (index, clause) in contract.clauses() {
        for statement in &clause.statements {
            if let Statement::Own(ownership) = statement {
                let made_by = crate::syntax::one_line::action(&ownership.made_by);
                let share = ownership
                    .share
                    .as_ref()
                    .map_or(Decimal::ONE_HUNDRED, |s| s.node);
                match shares.iter_mut().find(|(m, ..)| *m == made_by) {
                    Some(entry) => entry.1 = entry.1.saturating_add(share),
                    None => shares.push((made_by, share, index, ownership.span)),
                }
            }
        }
    }
    for (made_by, total, clause, span) in shares {
        if total < Decimal::ONE_HUNDRED {
            push(
                out,
                with_help(
                    finding(
                        Code::AssetSharesBelowWhole,
                        format!(
                            "the shares of the assets made by `{made_by}` add up to {}%",
                            total.normalize()
                        ),
                        span,
                        "the first share of these assets",
                        Some(clause),
                    ),
                    format!(
                        "{}% of each asset is owned by no one the contract names: add the other owners' shares, or correct the percentages against the signed text",
                        (Decimal::ONE_HUNDRED - total).normalize()
                    ),
                ),
            );
        }
    }
}

/// `1.5% of balance - EUR 2,500.00`: `of` joins more tightly than `-`, so
/// the amount is the share less 2,500.00 — usually below zero, and usually
/// meant as the share of (balance - 2,500.00).
fn subtraction_after_share(expr: &Expr, clause: ClauseId) -> Option<Finding> {
    let ExprKind::Chain { first, rest } = &expr.kind else {
        return None;
    };
    let ExprKind::Of { share, base } = &first.kind else {
        return None;
    };
    if !rest.iter().any(|(op, _)| op.node == ArithOp::Sub) {
        return None;
    }
    let after: String = rest
        .iter()
        .map(|(op, operand)| format!(" {} {}", op.node.symbol(), one_line::expr(operand)))
        .collect();
    let share = one_line::expr(share);
    let base = one_line::expr(base);
    with_help(
        finding(
            Code::SubtractionAfterShare,
            format!(
                "`{}` applies to the share `{share} of {base}`, not to `{base}`",
                after.trim_start()
            ),
            expr.span,
            "the share first, then the subtraction: this can go below zero",
            Some(clause),
        ),
        format!(
            "if the share is of the difference, write `{share} of ({base}{after})`; if the subtraction is meant, give the amount a floor with `at least`"
        ),
    )
}

/// `through USD 999,999.99: 3%, above: 2.9%`: a band meant to stop short of
/// a round figure, written with an inclusive bound one cent below it, puts
/// USD 999,999.995 in the next band. Only bounds written with decimals are
/// looked at: `through 9,999` units is exact for whole units.
fn tier_bounds_short_of_round_figures(tiers: &[Tier], clause: Option<ClauseId>) -> Vec<Finding> {
    let mut found = Vec::new();
    // The last band has no upper end; a bound there is reported by the checker.
    let Some((_, banded)) = tiers.split_last() else {
        return found;
    };
    for tier in banded {
        let Some(TierBound {
            kind: UpperEnd::Through | UpperEnd::UpTo,
            value: bound,
        }) = &tier.upper
        else {
            continue;
        };
        let written = match &bound.kind {
            ExprKind::Money(m) => m.amount,
            ExprKind::Percent(p) | ExprKind::Number(p) => *p,
            _ => continue,
        };
        let scale = written.scale();
        if scale == 0 {
            continue;
        }
        let step = Decimal::new(1, scale);
        let Some(round) = written.checked_add(step) else {
            continue;
        };
        // Round: a whole multiple of a hundred steps (1,000,000.00, 50.00%,
        // 100.0%), so that the bound reads as "just short of" it.
        let hundred_steps = step * Decimal::ONE_HUNDRED;
        if !(round % hundred_steps).is_zero() {
            continue;
        }
        let between = (written + step / Decimal::TWO).normalize();
        // Written in full, digits grouped: `USD 1,000,000`, not `USD 1 million`.
        let like = |value: Decimal| {
            let digits = crate::eval::report::decimal_text(value, 0);
            match &bound.kind {
                ExprKind::Money(m) => format!("{} {digits}", m.currency),
                ExprKind::Percent(_) => format!("{digits}%"),
                _ => digits,
            }
        };
        let (bound_text, between_text, round_text) =
            (like(written), like(between), like(round.normalize()));
        if let Some(finding) = with_help(
            finding(
                Code::TierBoundShortOfRoundFigure,
                format!("the band stops at {bound_text}, so {between_text} falls in the next band"),
                bound.span,
                format!("{bound_text} is included, anything above it is not"),
                clause,
            ),
            format!(
                "if the band is meant to stop short of {round_text}, write `below {round_text}`: every value under {round_text} is then in this band"
            ),
        ) {
            found.push(finding);
        }
    }
    found
}

fn foreign(span: Span, written: Currency, contract: Currency, clause: ClauseId) -> Option<Finding> {
    with_help(
        finding(
            Code::ForeignCurrencyAmount,
            format!("an amount in {written} in a contract whose amounts are in {contract}"),
            span,
            format!("in {written}"),
            Some(clause),
        ),
        format!(
            "write the amount in {contract}, convert it (`{written} 1,000 converted to {contract} at RATE`), or check that {written} is meant"
        ),
    )
}

// ---------------------------------------------------------------------------
// Carve-outs and priorities

/// The facts that hold whenever a rule applies to an event: its filter,
/// and none of its own carve-outs.
fn applies_when(filter: Option<&Condition>, carve_outs: &[CarveOut]) -> Facts {
    let mut facts = filter.map_or_else(Facts::none, |f| Facts::of(f, false));
    for carve_out in carve_outs {
        facts = facts.and(&Facts::of(&carve_out.condition, true));
    }
    facts
}

/// The event type, party and facts of a rule an exception can act on.
fn scope_of(statement: &Statement) -> Option<(&str, Option<&str>, Facts, Span)> {
    match statement {
        Statement::Grant(g) => Some((
            &g.scope.event.node,
            None,
            applies_when(g.scope.filter.as_ref(), &g.carve_outs),
            g.span,
        )),
        Statement::MustNot(r) | Statement::May(r) | Statement::Do(r) => Some((
            &r.action.event.node,
            Some(&r.party.node),
            applies_when(r.action.filter.as_ref(), &r.carve_outs),
            r.span,
        )),
        Statement::Pay(p) => match &p.recurrence {
            Some(Recurrence::EachEvent(pattern)) => Some((
                &pattern.event.node,
                None,
                applies_when(pattern.filter.as_ref(), &p.carve_outs),
                p.span,
            )),
            Some(Recurrence::EachPeriod(_) | Recurrence::EachPeriodField(_)) | None => None,
        },
        Statement::Commitment(c) => Some((
            &c.measure.event.node,
            None,
            applies_when(c.filter.as_ref(), &c.carve_outs),
            c.span,
        )),
        Statement::Exclusion(_)
        | Statement::Holding(_)
        | Statement::Own(_)
        | Statement::CapTable(_)
        | Statement::Suspension(_)
        | Statement::Cap(_) => None,
    }
}

/// Whether two rules' parties can be the same party: the same name, or
/// a group and a member it lists, or two groups that list one member.
fn same_parties(file: &ContractFile, a: &str, b: &str) -> bool {
    a == b || {
        let of_b = listed_parties(file, b);
        listed_parties(file, a).iter().any(|p| of_b.contains(p))
    }
}

/// The parties a name stands for before any event: a group's listed
/// members, or the party itself.
fn listed_parties(file: &ContractFile, name: &str) -> Vec<String> {
    match file.groups.iter().find(|g| g.name.node == name) {
        Some(group) => group.members.iter().map(|m| m.node.clone()).collect(),
        None => vec![name.to_string()],
    }
}

fn carve_outs(contract: &Checked, out: &mut Vec<Finding>) {
    for (index, clause) in contract.clauses() {
        for &target in contract.exception_targets(index) {
            let Some(target) = contract.clause(target) else {
                continue;
            };
            for statement in &clause.statements {
                let (event, party, facts, span, what) = match statement {
                    Statement::Exclusion(e) => (
                        e.scope.event.node.as_str(),
                        None,
                        applies_when(e.scope.filter.as_ref(), &[]),
                        e.span,
                        "exclusion",
                    ),
                    Statement::May(r) => (
                        r.action.event.node.as_str(),
                        Some(r.party.node.as_str()),
                        applies_when(r.action.filter.as_ref(), &r.carve_outs),
                        r.span,
                        "permission",
                    ),
                    Statement::Pay(_)
                    | Statement::Do(_)
                    | Statement::MustNot(_)
                    | Statement::Grant(_)
                    | Statement::Holding(_)
                    | Statement::Own(_)
                    | Statement::CapTable(_)
                    | Statement::Commitment(_)
                    | Statement::Suspension(_)
                    | Statement::Cap(_) => continue,
                };
                let targets: Vec<(Facts, Span)> = target
                    .statements
                    .iter()
                    // A permission is weighed against the prohibitions it
                    // lifts; anything else against every rule.
                    .filter(|s| {
                        statement.as_permission().is_none() || matches!(s, Statement::MustNot(_))
                    })
                    .filter_map(scope_of)
                    .filter(|(e, p, _, _)| {
                        *e == event
                            && match (party, p) {
                                (Some(a), Some(b)) => same_parties(&contract.file, a, b),
                                (None, _) | (_, None) => true,
                            }
                    })
                    .map(|(_, _, f, s)| (f, s))
                    .collect();
                if targets.is_empty() {
                    // The checker refuses an exception with no rule to act on.
                    continue;
                }
                if targets.iter().all(|(t, _)| t.and(&facts).impossible()) {
                    let mut found = finding(
                        Code::ExceptionNeverApplies,
                        format!(
                            "the {what} in {} can never apply: no `{event}` it covers is one {} covers",
                            clause_name(clause),
                            clause_name(target)
                        ),
                        span,
                        "covers only what the rule never does",
                        Some(index),
                    );
                    for (_, target_span) in &targets {
                        found = with_related(found, *target_span, "the rule it is an exception to");
                    }
                    push(
                        out,
                        with_help(
                            found,
                            format!(
                                "an exception narrows the rule it excepts; check the condition against {}'s, or make it an exception to the clause it was meant for",
                                clause_name(target)
                            ),
                        ),
                    );
                } else {
                    let unconditional = match statement {
                        Statement::Exclusion(e) => e.scope.filter.is_none(),
                        Statement::May(r) => {
                            r.action.filter.is_none()
                                && r.carve_outs.is_empty()
                                && r.window.from.is_none()
                                && r.window.end.is_none()
                        }
                        Statement::Pay(_)
                        | Statement::Do(_)
                        | Statement::MustNot(_)
                        | Statement::Grant(_)
                        | Statement::Holding(_)
                        | Statement::Own(_)
                        | Statement::CapTable(_)
                        | Statement::Commitment(_)
                        | Statement::Suspension(_)
                        | Statement::Cap(_) => false,
                    };
                    if unconditional {
                        push(
                            out,
                            with_related(
                                with_help(
                                    finding(
                                        Code::ExceptionSwallowsRule,
                                        format!(
                                            "the {what} in {} covers every `{event}`, so {} never applies to one",
                                            clause_name(clause),
                                            clause_name(target)
                                        ),
                                        span,
                                        "no condition",
                                        Some(index),
                                    ),
                                    "add the condition that limits the exception (`where ...`), or remove the rule it cancels",
                                ),
                                targets.first().map_or(target.span, |(_, s)| *s),
                                "the rule it cancels",
                            ),
                        );
                    }
                }
            }
        }
    }

    // Permissions and prohibitions of the same act in clauses with no
    // priority between them. Prohibitions are indexed by party and event
    // type, so this is not a comparison of every rule with every other.
    // Prohibitions of one act that apply under the same facts are grouped,
    // so that a permission is weighed once against each distinct condition,
    // not once against every clause that repeats it.
    // A group stands for its members from the start: a rule naming it
    // and one naming a member can meet. (Parties that join later are
    // known only from events, which evaluation weighs.)
    let file = &contract.file;
    let parties_of = |name: &str| -> Vec<String> {
        let mut names = listed_parties(file, name);
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
        names
    };
    let mut prohibitions: BTreeMap<(String, &str), Vec<ProhibitionGroup>> = BTreeMap::new();
    for (index, clause) in contract.clauses() {
        for statement in &clause.statements {
            if let Statement::MustNot(r) = statement {
                let facts = applies_when(r.action.filter.as_ref(), &r.carve_outs);
                for party in parties_of(&r.party.node) {
                    let groups = prohibitions
                        .entry((party, &r.action.event.node))
                        .or_default();
                    let entry = (index, r.span);
                    match groups.iter_mut().find(|(f, _)| *f == facts) {
                        Some((_, members)) => members.push(entry),
                        None => groups.push((facts.clone(), vec![entry])),
                    }
                }
            }
        }
    }
    for (index, clause) in contract.clauses() {
        for statement in &clause.statements {
            let Statement::May(permission) = statement else {
                continue;
            };
            let facts = applies_when(permission.action.filter.as_ref(), &permission.carve_outs);
            let mut meeting: Vec<Prohibition> = Vec::new();
            for party in parties_of(&permission.party.node) {
                let key = (party, permission.action.event.node.as_str());
                let groups = prohibitions.get(&key).map_or(&[][..], Vec::as_slice);
                for &entry in groups
                    .iter()
                    .filter(|(prohibition, _)| !facts.and(prohibition).impossible())
                    .flat_map(|(_, members)| members.iter())
                {
                    if !meeting.contains(&entry) {
                        meeting.push(entry);
                    }
                }
            }
            for (other, span) in meeting {
                let Some(other_clause) = contract.clause(other) else {
                    continue;
                };
                if other == index
                    || contract.is_exception_to(index, other)
                    || contract.is_exception_to(other, index)
                {
                    continue;
                }
                push(
                    out,
                    with_related(
                        with_help(
                            finding(
                                Code::UnprioritisedConflict,
                                format!(
                                    "{} permits what {} forbids, and neither is an exception to the other",
                                    clause_name(clause),
                                    clause_name(other_clause)
                                ),
                                permission.span,
                                "permits",
                                Some(index),
                            ),
                            format!(
                                "say which prevails: make {} an exception to {} (`exception to {}`), or narrow one of them so they cannot meet; until then proviso reports each such act as a conflict",
                                clause_name(clause),
                                clause_name(other_clause),
                                other_clause.number.node
                            ),
                        ),
                        span,
                        "forbids",
                    ),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Obligations

fn reachable(condition: &MilestoneCond) -> bool {
    match condition {
        MilestoneCond::Event(pattern) => !pattern
            .filter
            .as_ref()
            .is_some_and(|f| Facts::of(f, false).impossible()),
        // The checker makes sure the clause owes payments made once.
        MilestoneCond::Date(_) | MilestoneCond::PaidInFull(_) => true,
        MilestoneCond::Total(total) => !total
            .filter
            .as_ref()
            .is_some_and(|f| Facts::of(f, false).impossible()),
        MilestoneCond::Count(count) => !count
            .pattern
            .filter
            .as_ref()
            .is_some_and(|f| Facts::of(f, false).impossible()),
        MilestoneCond::Sequence(parts, _) | MilestoneCond::All(parts, _) => {
            parts.iter().all(reachable)
        }
        MilestoneCond::Any(parts, _) => parts.iter().any(reachable),
    }
}

fn obligations(contract: &Checked, out: &mut Vec<Finding>) {
    let file = &contract.file;
    for milestone in &file.milestones {
        if !reachable(&milestone.condition) {
            push(
                out,
                with_help(
                    finding(
                        Code::UnreachableMilestone,
                        format!(
                            "the milestone `{}` can never be reached: its condition asks for events no event can be",
                            milestone.name.node
                        ),
                        milestone.condition.span(),
                        "can never hold",
                        None,
                    ),
                    format!(
                        "a window that runs `until {name}` never ends, and one `from {name}` never starts; check the values the condition compares",
                        name = milestone.name.node
                    ),
                ),
            );
        }
    }
    for (index, clause) in contract.clauses() {
        for statement in &clause.statements {
            // `once`: an obligation that arises once ends when it is met,
            // whatever its window.
            let (window, due, span, once) = match statement {
                Statement::Pay(p) => (&p.window, p.due.as_ref(), p.span, p.recurrence.is_none()),
                Statement::Do(r) => (&r.window, r.due.as_ref(), r.span, r.trigger.is_none()),
                Statement::MustNot(_)
                | Statement::May(_)
                | Statement::Grant(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::Own(_)
                | Statement::CapTable(_)
                | Statement::Commitment(_)
                | Statement::Suspension(_)
                | Statement::Cap(_) => continue,
            };
            if clause.survives.as_ref().is_some_and(|s| s.length.is_none())
                && window.end.is_none()
                && !once
            {
                push(
                    out,
                    with_help(
                        finding(
                            Code::ObligationWithoutEnd,
                            format!(
                                "{} survives the term and this obligation has no end of its own: it never ends",
                                clause_name(clause)
                            ),
                            span,
                            "no end",
                            Some(index),
                        ),
                        "give it an end (`until 2035-12-31`, `until MILESTONE`), or record with `allow obligation_without_end because \"...\"` that it is meant to last",
                    ),
                );
            }
            if due.is_none() {
                push(
                    out,
                    with_help(
                        finding(
                            Code::ObligationWithoutDueDate,
                            format!(
                                "an obligation in {} has no due date, so it can never be overdue",
                                clause_name(clause)
                            ),
                            span,
                            "no `due`",
                            Some(index),
                        ),
                        "add when it falls due: `due 30 days after the event`, `due 45 days after the end of the period`, or a date",
                    ),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Drafting

fn drafting(contract: &Checked, out: &mut Vec<Finding>) {
    let file = &contract.file;
    // Siblings by their parent number: `3.1` and `3.2` under `3`.
    let mut siblings: BTreeMap<Vec<u32>, Vec<(u32, ClauseId)>> = BTreeMap::new();
    for (index, clause) in contract.clauses() {
        if !clause.statements.is_empty() && clause.wording.is_empty() {
            push(
                out,
                with_help(
                    finding(
                        Code::ClauseWithoutWording,
                        format!(
                            "{} has rules but quotes none of the contract's wording",
                            clause_name(clause)
                        ),
                        clause.number.span,
                        "no `text`",
                        Some(index),
                    ),
                    "add the clause as the contract words it (`text \"...\"`), so that a reader can check the rules against it",
                ),
            );
        }
        if clause.heading.is_none() {
            push(
                out,
                finding(
                    Code::ClauseWithoutHeading,
                    format!("{} has no heading", clause_name(clause)),
                    clause.number.span,
                    "no heading",
                    Some(index),
                ),
            );
        }
        let parts = &clause.number.node.0;
        if let Some((last, parent)) = parts.split_last() {
            siblings
                .entry(parent.to_vec())
                .or_default()
                .push((*last, index));
        }
    }
    let present: HashSet<&[u32]> = file
        .clauses
        .iter()
        .map(|c| c.number.node.0.as_slice())
        .collect();
    for (parent, mut numbers) in siblings {
        numbers.sort_unstable();
        // A file may hold an extract (clauses 4 to 7 of a longer contract),
        // so numbering need not start at 1; sub-clauses of a clause that is
        // in the file must (3.1 under 3).
        let mut previous: Option<u32> = if !parent.is_empty() && present.contains(parent.as_slice())
        {
            Some(0)
        } else {
            None
        };
        for (number, index) in numbers {
            if let Some(before) = previous
                && number > before.saturating_add(1)
                && let Some(clause) = contract.clause(index)
            {
                let missing: Vec<String> = (before + 1..number)
                    .take(5)
                    .map(|n| {
                        let mut parts = parent.clone();
                        parts.push(n);
                        ClauseNumber(parts).to_string()
                    })
                    .collect();
                push(
                    out,
                    with_help(
                        finding(
                            Code::SkippedClauseNumber,
                            format!(
                                "{} follows {}: {} {} missing",
                                clause_name(clause),
                                if before == 0 {
                                    "no earlier clause".to_string()
                                } else {
                                    let mut parts = parent.clone();
                                    parts.push(before);
                                    format!("clause {}", ClauseNumber(parts))
                                },
                                missing.join(", "),
                                if missing.len() == 1 { "is" } else { "are" }
                            ),
                            clause.number.span,
                            "numbering skips",
                            Some(index),
                        ),
                        "renumber the clauses, or record why with `allow skipped_clause_number because \"...\"` (for example, numbers kept to match another version)",
                    ),
                );
            }
            previous = Some(number);
        }
    }
}

/// Direction controls anywhere in the file — in quoted wording, headings,
/// legal names or comments — can make a clause read differently from what
/// proviso reads (Trojan Source; rustc's `text_direction_codepoint_in_literal`).
pub(super) fn direction_controls(contract: &Checked, text: &str, out: &mut Vec<Finding>) {
    for (at, c) in text.char_indices() {
        if !crate::text::is_direction_control(c) {
            continue;
        }
        let span = Span::new(at, at + c.len_utf8());
        // Within a clause, its `allow` can apply.
        let clause = contract
            .clauses()
            .find(|(_, clause)| clause.span.start <= at && at < clause.span.end)
            .map(|(id, _)| id);
        push(
            out,
            with_help(
                finding(
                    Code::TextDirectionControl,
                    format!(
                        "the file holds U+{:04X} {}, an invisible character that changes the order the text around it is shown in",
                        u32::from(c),
                        crate::text::direction_control_name(c)
                    ),
                    span,
                    "here, invisible",
                    clause,
                ),
                "delete it: what is shown may not be what proviso reads; right-to-left text needs no direction controls",
            ),
        );
    }
}
