//! Changes to clauses: pairing the clauses of two versions, then comparing
//! each part of a clause and each field of each of its rules.

use std::collections::{BTreeSet, HashMap, VecDeque};

use rust_decimal::Decimal;

use super::tiers::Leaf;
use super::{
    Change, ChangeKind, Details, Materiality, Shown, Subject, Version, Written, as_written, at,
    folded, name,
};
use crate::ast::*;
use crate::model::ClauseId;
use crate::syntax::one_line;

pub(super) fn review(old: Version<'_>, new: Version<'_>) -> Vec<Change> {
    let mut changes = Vec::new();
    let pairs = pair_clauses(old, new);
    // Each old clause number as the number of the clause it is paired
    // with, so that an exception to a renumbered clause is no change.
    let renumbered: HashMap<ClauseNumber, ClauseNumber> = pairs
        .iter()
        .filter_map(|(o, n)| {
            let a = old.clause((*o)?)?;
            let b = new.clause((*n)?)?;
            Some((a.number.node.clone(), b.number.node.clone()))
        })
        .collect();
    for (o, n) in pairs {
        let subject = Subject::Clause { old: o, new: n };
        match (o.and_then(|o| old.clause(o)), n.and_then(|n| new.clause(n))) {
            (Some(a), Some(b)) => {
                let details = compare_clauses(old, a, new, b, &renumbered);
                if !details.out.is_empty() {
                    changes.push(Change {
                        subject,
                        kind: ChangeKind::Changed,
                        details: details.out,
                    });
                }
            }
            (None, Some(b)) => changes.push(Change {
                subject,
                kind: ChangeKind::Added,
                details: whole_clause(new, b, false).out,
            }),
            (Some(a), None) => changes.push(Change {
                subject,
                kind: ChangeKind::Removed,
                details: whole_clause(old, a, true).out,
            }),
            (None, None) => {}
        }
    }
    changes
}

/// A key to pair clauses by.
type ClauseKey<'a> = dyn Fn(&Clause) -> Option<String> + 'a;

/// Pairs of (old, new) clause indices, in the new version's order with
/// removed clauses placed after the clause that preceded them.
/// Old and new clause paired; a clause with no partner was removed or added.
type ClausePair = (Option<ClauseId>, Option<ClauseId>);

fn pair_clauses(old: Version<'_>, new: Version<'_>) -> Vec<ClausePair> {
    let old_clauses = &old.checked.file.clauses;
    let new_clauses = &new.checked.file.clauses;
    let mut partner: Vec<Option<usize>> = vec![None; new_clauses.len()];
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    // Three keys, tried in turn, each looked up in an index of the old
    // clauses not yet paired (so pairing stays linear): the number, the
    // heading, and what the rules are about.
    let number = |c: &Clause| Some(c.number.node.to_string());
    let heading = |c: &Clause| c.heading.as_ref().map(|h| h.node.to_lowercase());
    let subjects = |c: &Clause| {
        let keys: BTreeSet<String> = c.statements.iter().map(key).collect();
        (!keys.is_empty()).then(|| keys.into_iter().collect::<Vec<_>>().join("|"))
    };
    let keys: [&ClauseKey<'_>; 3] = [&number, &heading, &subjects];
    for key_of in keys {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (o, clause) in old_clauses.iter().enumerate().rev() {
            if !taken.contains(&o)
                && let Some(k) = key_of(clause)
            {
                index.entry(k).or_default().push(o);
            }
        }
        for (n, clause) in new_clauses.iter().enumerate() {
            if partner.get(n).copied().flatten().is_some() {
                continue;
            }
            let Some(k) = key_of(clause) else { continue };
            // The earliest old clause with this key (the lists were built in reverse).
            if let Some(o) = index.get_mut(&k).and_then(Vec::pop)
                && let Some(slot) = partner.get_mut(n)
            {
                *slot = Some(o);
                taken.insert(o);
            }
        }
    }
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut removed: VecDeque<usize> = (0..old_clauses.len())
        .filter(|o| !taken.contains(o))
        .collect();
    for (n, o) in partner.iter().enumerate() {
        // Removed clauses that stood before this one's partner come first.
        if let Some(o) = o {
            while let Some(&r) = removed.front()
                && r < *o
            {
                removed.pop_front();
                pairs.push((Some(r), None));
            }
        }
        pairs.push((*o, Some(n)));
    }
    pairs.extend(removed.into_iter().map(|r| (Some(r), None)));
    pairs
        .into_iter()
        .map(|(o, n)| (o.map(ClauseId::from_index), n.map(ClauseId::from_index)))
        .collect()
}

/// What a rule is about, to pair it with its counterpart in the other
/// version.
fn key(statement: &Statement) -> String {
    match statement {
        Statement::Pay(p) => format!(
            "pay {} {} {}",
            p.debtor.node,
            p.creditor.node,
            match &p.recurrence {
                None => "once".to_string(),
                Some(Recurrence::EachPeriod(n)) => format!("each {}", n.node),
                Some(Recurrence::EachPeriodField(f)) =>
                    format!("each {}.{}", f.event.node, f.field.node),
                Some(Recurrence::EachEvent(p)) => format!("on each {}", p.event.node),
            }
        ),
        Statement::Do(r) => format!("must {} {}", r.party.node, r.action.event.node),
        Statement::MustNot(r) => format!("must not {} {}", r.party.node, r.action.event.node),
        Statement::May(r) => format!("may {} {}", r.party.node, r.action.event.node),
        Statement::Grant(g) => format!(
            "grant {} {} {}",
            g.grantor.node, g.grantee.node, g.scope.event.node
        ),
        Statement::Exclusion(e) => format!("excludes {}", e.scope.event.node),
        Statement::Holding(h) => format!("holds {} {}", h.holder.node, h.entity.node),
        Statement::Own(o) => format!("owns {} {}", o.owner.node, o.made_by.event.node),
        Statement::CapTable(c) => format!("cap table {}", c.entity.node),
        Statement::Commitment(c) => format!("commits {}", c.party.node),
        Statement::Suspension(s) => format!("suspends {}", s.from.event.node),
        Statement::Cap(c) => format!(
            "{} {} {} {}",
            statement.kind_word(),
            c.debtor.node,
            c.per.as_ref().map_or("contract", |p| p.node.as_str()),
            c.clauses
                .iter()
                .map(|n| n.node.to_string())
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// Whether two rules are of the same kind (`must pay`, `may`, `holds` ...).
fn same_kind(a: &Statement, b: &Statement) -> bool {
    // A cap and a floor are limits the opposite way: one replacing the
    // other is one removed and one added.
    std::mem::discriminant(a) == std::mem::discriminant(b) && a.kind_word() == b.kind_word()
}

/// A rule in words: "the prohibition of `serve` by openai".
fn describe(statement: &Statement) -> String {
    match statement {
        Statement::Pay(p) => format!("the payment from {} to {}", p.debtor.node, p.creditor.node),
        Statement::Do(r) => format!(
            "the obligation of {} to `{}`",
            r.party.node, r.action.event.node
        ),
        Statement::MustNot(r) => format!(
            "the prohibition of `{}` by {}",
            r.action.event.node, r.party.node
        ),
        Statement::May(r) => format!(
            "the permission for {} to `{}`",
            r.party.node, r.action.event.node
        ),
        Statement::Grant(g) => format!(
            "the {} {} from {} to {} over `{}`",
            if g.exclusive.as_ref().is_some_and(|e| e.node) {
                "exclusive"
            } else {
                "non-exclusive"
            },
            match g.kind.node {
                GrantKind::Licence => "licence",
                GrantKind::Right => "right",
            },
            g.grantor.node,
            g.grantee.node,
            g.scope.event.node
        ),
        Statement::Exclusion(e) => format!("the exclusion of `{}`", e.scope.event.node),
        Statement::Holding(h) => format!("the stake of {} in {}", h.holder.node, h.entity.node),
        Statement::Own(o) => format!(
            "the ownership by {} of what `{}` makes",
            o.owner.node, o.made_by.event.node
        ),
        Statement::CapTable(c) => format!(
            "the declaration that the cap table of {} is complete",
            c.entity.node
        ),
        Statement::Commitment(c) => format!("the commitment of {}", c.party.node),
        Statement::Suspension(s) => format!(
            "the suspension of clause{} {} from `{}`",
            if s.clauses.len() == 1 { "" } else { "s" },
            s.clauses
                .iter()
                .map(|n| n.node.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            s.from.event.node
        ),
        Statement::Cap(c) => format!(
            "the {} on what {} owes under clause{} {}",
            statement.kind_word(),
            c.debtor.node,
            if c.clauses.len() == 1 { "" } else { "s" },
            c.clauses
                .iter()
                .map(|n| n.node.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// How much a whole rule, added or removed, matters.
fn rule_materiality(statement: &Statement) -> Materiality {
    match statement {
        Statement::Pay(_)
        | Statement::Holding(_)
        | Statement::Commitment(_)
        | Statement::Own(_) => Materiality::Money,
        Statement::Do(_)
        | Statement::MustNot(_)
        | Statement::May(_)
        | Statement::Grant(_)
        | Statement::Exclusion(_)
        | Statement::CapTable(_) => Materiality::Scope,
        // Due dates that move are money paid later.
        Statement::Suspension(_) | Statement::Cap(_) => Materiality::Money,
    }
}

/// The party a rule helps or binds, and the verb that says how.
type Role<'a> = Option<(String, &'a str)>;

/// Whom adding a rule (or, `removed`, taking it away) favours, and why.
fn whole_rule_favours(
    version: Version<'_>,
    clause: &Clause,
    statement: &Statement,
    removed: bool,
) -> Option<String> {
    // (the party the rule helps, why; the party it binds, why)
    let (helps, binds): (Role<'_>, Role<'_>) = match statement {
        Statement::Pay(p) => (
            Some((p.creditor.node.clone(), "is paid")),
            Some((p.debtor.node.clone(), "pays")),
        ),
        Statement::Do(r) => (None, Some((r.party.node.clone(), "must act"))),
        Statement::MustNot(r) => (None, Some((r.party.node.clone(), "is forbidden"))),
        Statement::May(r) => (Some((r.party.node.clone(), "is permitted")), None),
        Statement::Grant(g) => (
            Some((g.grantee.node.clone(), "is granted")),
            Some((g.grantor.node.clone(), "grants")),
        ),
        Statement::Commitment(c) => (
            c.beneficiary
                .as_ref()
                .map(|b| (b.node.clone(), "is owed the commitment")),
            Some((c.party.node.clone(), "is committed")),
        ),
        Statement::Exclusion(_) => {
            let bound = excepted_party(version, clause)?;
            return Some(if removed {
                format!("against {bound}: the rule it excepted covers more again")
            } else {
                format!("favours {bound}: the rule it excepts covers less")
            });
        }
        Statement::Suspension(s) => {
            let bound = suspended_party(version, s)?;
            return Some(if removed {
                format!("against {bound}: its due dates no longer move while suspended")
            } else {
                format!("favours {bound}: its due dates move later while suspended")
            });
        }
        // A cap helps the party whose payments it limits; a floor binds
        // it, and helps the party it makes paid.
        Statement::Cap(c) => match c.kind.node {
            LimitKind::Cap => (Some((c.debtor.node.clone(), "owes less")), None),
            LimitKind::Floor => (
                c.creditor
                    .as_ref()
                    .map(|p| (p.node.clone(), "is paid a shortfall")),
                Some((c.debtor.node.clone(), "owes at least the floor")),
            ),
        },
        // Owning what is made helps the owner; a passing of title helps
        // whom it passes to, which the rule's own review says.
        Statement::Own(o) => (Some((o.owner.node.clone(), "owns the assets")), None),
        Statement::Holding(_) | Statement::CapTable(_) => return None,
    };
    match (removed, helps, binds) {
        (false, Some((who, why)), _) => Some(format!("favours {who}, who {why}")),
        (false, None, Some((who, why))) => Some(format!("against {who}, who {why}")),
        (true, _, Some((who, why))) => Some(format!("favours {who}, who {}", no_longer(why))),
        (true, Some((who, why)), None) => Some(format!("against {who}, who {}", no_longer(why))),
        (_, None, None) => None,
    }
}

/// The party bound by the first rule of the clauses an exception clause
/// is an exception to: whom narrowing those rules helps.
fn excepted_party(version: Version<'_>, clause: &Clause) -> Option<String> {
    clause
        .exception_to
        .iter()
        .filter_map(|t| {
            version
                .checked
                .file
                .clauses
                .iter()
                .find(|c| c.number.node == t.node)
        })
        .flat_map(|c| c.statements.iter())
        .find_map(|s| match s {
            Statement::Grant(g) => Some(g.grantor.node.clone()),
            Statement::Pay(p) => Some(p.debtor.node.clone()),
            Statement::MustNot(r) | Statement::Do(r) => Some(r.party.node.clone()),
            // Less counts towards a commitment: its beneficiary gains.
            Statement::Commitment(c) => c.beneficiary.as_ref().map(|b| b.node.clone()),
            Statement::May(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::Own(_)
            | Statement::CapTable(_)
            | Statement::Suspension(_)
            | Statement::Cap(_) => None,
        })
}

/// The party bound by the first obligation a suspension suspends: whom
/// moving its due dates helps.
pub(super) fn suspended_party(version: Version<'_>, suspension: &Suspension) -> Option<String> {
    suspension
        .clauses
        .iter()
        .filter_map(|n| {
            version
                .checked
                .file
                .clauses
                .iter()
                .find(|c| c.number.node == n.node)
        })
        .flat_map(|c| c.statements.iter())
        .find_map(|s| match s {
            Statement::Pay(p) => Some(p.debtor.node.clone()),
            Statement::Do(r) => Some(r.party.node.clone()),
            Statement::Commitment(c) => Some(c.party.node.clone()),
            Statement::MustNot(_)
            | Statement::May(_)
            | Statement::Grant(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::Own(_)
            | Statement::CapTable(_)
            | Statement::Suspension(_)
            | Statement::Cap(_) => None,
        })
}

/// A list of clause numbers as written, for a review line.
fn clause_list(list: &[Spanned<ClauseNumber>], fallback: Span) -> Written {
    let text = list
        .iter()
        .map(|n| n.node.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let span = match (list.first(), list.last()) {
        (Some(first), Some(last)) => first.span.to(last.span),
        _ => fallback,
    };
    at(text, span)
}

/// Whether a list of clauses only gained clauses (`Some(true)`) or only
/// lost some (`Some(false)`); `None` when it did both or neither.
fn clause_list_grew(old: &[Spanned<ClauseNumber>], new: &[Spanned<ClauseNumber>]) -> Option<bool> {
    let set = |list: &[Spanned<ClauseNumber>]| {
        list.iter()
            .map(|n| n.node.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (old, new) = (set(old), set(new));
    if old == new {
        None
    } else if old.is_subset(&new) {
        Some(true)
    } else if new.is_subset(&old) {
        Some(false)
    } else {
        None
    }
}

/// "is paid" → "is no longer paid"; "pays" → "no longer pays".
fn no_longer(why: &str) -> String {
    match why.strip_prefix("is ") {
        Some(rest) => format!("is no longer {rest}"),
        None => match why.strip_prefix("must ") {
            Some(rest) => format!("need no longer {rest}"),
            None => format!("no longer {why}"),
        },
    }
}

/// A rule added (or, `removed`, taken away), as a detail.
fn rule_added(d: &mut Details<'_>, clause: &Clause, statement: &Statement, removed: bool) {
    let version = if removed { d.old } else { d.new };
    let text = at(one_line::statement(statement), statement.span());
    let favours = whole_rule_favours(version, clause, statement, removed);
    let (a, b) = if removed { (text, None) } else { (None, text) };
    let prefix = std::mem::take(&mut d.prefix);
    d.item(
        rule_materiality(statement),
        &describe(statement),
        a,
        b,
        favours,
    );
    d.prefix = prefix;
}

/// The details of a clause added (or removed) whole: its rules, and what it
/// is an exception to.
fn whole_clause<'a>(version: Version<'a>, clause: &Clause, removed: bool) -> Details<'a> {
    let mut d = Details::new(version, version, clause.number.span);
    for statement in &clause.statements {
        rule_added(&mut d, clause, statement, removed);
    }
    let targets = exception_targets(&clause.exception_to);
    if targets.is_some() {
        let (a, b) = if removed {
            (targets, None)
        } else {
            (None, targets)
        };
        d.value(Materiality::Scope, "exception to", a, b, None);
    }
    d
}

fn exception_targets(targets: &[Spanned<ClauseNumber>]) -> Written {
    let first = targets.first()?;
    let last = targets.last().unwrap_or(first);
    let text = targets
        .iter()
        .map(|t| format!("clause {}", t.node))
        .collect::<Vec<_>>()
        .join(", ");
    at(text, first.span.to(last.span))
}

fn compare_clauses<'a>(
    old: Version<'a>,
    a: &Clause,
    new: Version<'a>,
    b: &Clause,
    renumbered: &HashMap<ClauseNumber, ClauseNumber>,
) -> Details<'a> {
    let Clause {
        number: old_number,
        heading: old_heading,
        exception_to: old_exception_to,
        survives: old_survives,
        wording: old_wording,
        allows: old_allows,
        statements: old_statements,
        span: _,
    } = a;
    let Clause {
        number: new_number,
        heading: new_heading,
        exception_to: new_exception_to,
        survives: new_survives,
        wording: new_wording,
        allows: new_allows,
        statements: new_statements,
        span: _,
    } = b;
    let mut d = Details::new(old, new, new_number.span);

    // Rules, paired by what they are about, then what is left by kind.
    let mut used = vec![false; old_statements.len()];
    let mut partner: Vec<Option<usize>> = new_statements
        .iter()
        .map(|s| {
            let k = key(s);
            let found = old_statements
                .iter()
                .enumerate()
                .position(|(i, o)| !used.get(i).copied().unwrap_or(true) && key(o) == k);
            if let Some(slot) = found.and_then(|i| used.get_mut(i)) {
                *slot = true;
            }
            found
        })
        .collect();
    for (n, statement) in new_statements.iter().enumerate() {
        if partner.get(n).copied().flatten().is_some() {
            continue;
        }
        let found = old_statements
            .iter()
            .enumerate()
            .position(|(i, o)| !used.get(i).copied().unwrap_or(true) && same_kind(o, statement));
        if let Some(i) = found {
            if let Some(slot) = used.get_mut(i) {
                *slot = true;
            }
            if let Some(slot) = partner.get_mut(n) {
                *slot = Some(i);
            }
        }
    }
    for (statement, o) in new_statements.iter().zip(&partner) {
        match o.and_then(|o| old_statements.get(o)) {
            Some(before) => compare_rules(&mut d, a, before, b, statement),
            None => rule_added(&mut d, b, statement, false),
        }
    }
    for (statement, used) in old_statements.iter().zip(&used) {
        if !used {
            rule_added(&mut d, a, statement, true);
        }
    }

    // Old targets compared by the numbers their clauses now have.
    let old_targets = exception_targets(old_exception_to).map(|mut shown| {
        let translated: Vec<Spanned<ClauseNumber>> = old_exception_to
            .iter()
            .map(|t| {
                let number = renumbered.get(&t.node).unwrap_or(&t.node);
                Spanned::new(number.clone(), t.span)
            })
            .collect();
        if let Some(key) = exception_targets(&translated) {
            shown.key = key.key;
        }
        shown
    });
    d.value(
        Materiality::Scope,
        "exception to",
        old_targets,
        exception_targets(new_exception_to),
        None,
    );
    let survives = |s: &Option<Survival>, span: Span| match s {
        None => at("no".to_string(), span),
        Some(Survival { length: None, span }) => at("yes, without end".to_string(), *span),
        Some(Survival {
            length: Some(length),
            span,
        }) => at(format!("yes, for {}", length.node.written()), *span),
    };
    // Longer survival: `None` < `for N` < without end; lengths compare in
    // one unit.
    let reach = |s: &Option<Survival>| -> Option<(u8, Option<(bool, i64)>)> {
        match s {
            None => Some((0, None)),
            Some(Survival {
                length: Some(length),
                ..
            }) => Some((
                1,
                Some(match length.node {
                    Duration::Days(n) => (false, n),
                    Duration::Months(n) => (true, n),
                }),
            )),
            Some(Survival { length: None, .. }) => Some((2, None)),
        }
    };
    let longer = match (reach(old_survives), reach(new_survives)) {
        (Some((1, Some((ma, a)))), Some((1, Some((mb, b))))) if ma == mb && a != b => Some(b > a),
        (Some((1, _)), Some((1, _))) => None,
        (Some((ka, _)), Some((kb, _))) if ka != kb => Some(kb > ka),
        _ => None,
    };
    d.value(
        Materiality::Time,
        "survives the end of the term",
        survives(old_survives, old_number.span),
        survives(new_survives, new_number.span),
        longer.map(|longer| {
            if longer {
                "its rules go on longer after the term".to_string()
            } else {
                "its rules stop sooner after the term".to_string()
            }
        }),
    );
    d.value(
        Materiality::Wording,
        "number",
        at(old_number.node.to_string(), old_number.span),
        at(new_number.node.to_string(), new_number.span),
        None,
    );
    d.value(
        Materiality::Wording,
        "heading",
        super::quoted(old_heading.as_ref()),
        super::quoted(new_heading.as_ref()),
        None,
    );
    let wording = |w: &[Spanned<String>]| -> Written {
        let first = w.first()?;
        let last = w.last().unwrap_or(first);
        let text = w
            .iter()
            .map(|t| folded(&t.node))
            .collect::<Vec<_>>()
            .join(" ");
        at(text, first.span.to(last.span))
    };
    d.wording("wording", wording(old_wording), wording(new_wording));
    let allows = |list: &[Allow]| -> Vec<Shown> {
        list.iter()
            .flat_map(|allow| {
                let Allow {
                    codes,
                    reason,
                    span,
                } = allow;
                codes.iter().filter_map(move |code| {
                    at(
                        format!("{} because {}", code.node, one_line::string(&reason.node)),
                        *span,
                    )
                })
            })
            .collect()
    };
    d.set(
        Materiality::Wording,
        "lint allowed",
        allows(old_allows),
        allows(new_allows),
        None,
        None,
    );
    d
}

// ------------------------------------------------------------ values as written

fn expr(version: Version<'_>, e: &Expr) -> Written {
    as_written(one_line::expr(e), version, e.span)
}

fn condition(version: Version<'_>, c: Option<&Condition>) -> Written {
    c.and_then(|c| as_written(one_line::condition(c), version, c.span))
}

/// A window as written, or "the whole term" when no end is written.
fn window(w: &Window, rule: Span) -> Written {
    let text = one_line::window(w);
    if text.is_empty() {
        return at("the whole term".to_string(), rule);
    }
    let start = w.from.as_ref().map(|f| f.span);
    let end = w.end.as_ref().map(|e| e.span);
    let span = match (start, end) {
        (Some(s), Some(e)) => s.to(e),
        (Some(s), None) | (None, Some(s)) => s,
        (None, None) => rule,
    };
    at(text, span)
}

fn due(due: Option<&Due>) -> Written {
    let due = due?;
    let span = match due {
        Due::On(d) => d.span,
        Due::After { delay, anchor } => delay.span.to(anchor.span),
    };
    at(one_line::due(due), span)
}

fn carve_outs(version: Version<'_>, list: &[CarveOut]) -> Vec<Shown> {
    list.iter()
        .filter_map(|c| {
            let CarveOut {
                keyword,
                condition,
                span,
            } = c;
            as_written(
                format!("{} {}", keyword.node, one_line::condition(condition)),
                version,
                *span,
            )
        })
        .collect()
}

fn pattern(p: Option<&EventPattern>) -> Written {
    p.and_then(|p| at(one_line::event_pattern(p), p.span))
}

fn rounding(r: Option<&Rounding>) -> Written {
    r.and_then(|r| at(one_line::rounding(r), r.span))
}

fn cure(c: Option<&Cure>) -> Written {
    c.and_then(|c| at(one_line::cure(c), c.span))
}

/// Whether the cure period grew (`Some(true)`) or shrank: added or
/// removed, or the same notice with a period in one unit lengthened or
/// shortened.
fn longer_cure(old: Option<&Cure>, new: Option<&Cure>) -> Option<bool> {
    match (old, new) {
        (None, Some(_)) => Some(true),
        (Some(_), None) => Some(false),
        (Some(a), Some(b)) => {
            let notice = |c: &Cure| c.notice.as_ref().map(one_line::event_pattern);
            if notice(a) == notice(b) {
                longer_length(a.within.node, b.within.node)
            } else {
                None
            }
        }
        (None, None) => None,
    }
}

/// Whether length `b` is longer than `a` (`Some(false)`: shorter), when
/// both are counted in the same unit and differ; `None` otherwise (days
/// against months cannot be told apart without dates).
fn longer_length(a: Duration, b: Duration) -> Option<bool> {
    match (a, b) {
        (Duration::Days(x), Duration::Days(y)) | (Duration::Months(x), Duration::Months(y))
            if x != y =>
        {
            Some(y > x)
        }
        (Duration::Days(_) | Duration::Months(_), _) => None,
    }
}

fn shortfall(s: Option<&Shortfall>) -> Written {
    s.and_then(|s| at(one_line::shortfall(s), s.span))
}

/// Whether a shortfall payment grew (`Some(true)`) or shrank: added or
/// removed, a higher or lower rate with the same time to pay, or the same
/// rate with less or more time to pay; `None` when it cannot be told.
fn more_shortfall(old: Option<&Shortfall>, new: Option<&Shortfall>) -> Option<bool> {
    match (old, new) {
        (None, Some(_)) => Some(true),
        (Some(_), None) => Some(false),
        (Some(a), Some(b)) => {
            let rate = match (&a.rate, &b.rate) {
                (ShortfallRate::Share(x), ShortfallRate::Share(y)) if x.node != y.node => {
                    Some(y.node > x.node)
                }
                (ShortfallRate::PerUnit(x), ShortfallRate::PerUnit(y))
                    if x.node.currency == y.node.currency && x.node.amount != y.node.amount =>
                {
                    Some(y.node.amount > x.node.amount)
                }
                _ => None,
            };
            let days = |s: &Shortfall| s.within.as_ref().map(|w| w.node);
            let sooner = match (days(a), days(b)) {
                (None, None) => None,
                (None, Some(_)) => Some(false),
                (Some(_), None) => Some(true),
                (Some(x), Some(y)) => longer_length(y, x),
            };
            let same_rate = std::mem::discriminant(&a.rate) == std::mem::discriminant(&b.rate)
                && rate.is_none();
            match (rate, sooner) {
                (Some(up), None) if days(a) == days(b) => Some(up),
                (None, Some(sooner)) if same_rate => Some(sooner),
                (Some(up), Some(sooner)) if up == sooner => Some(up),
                _ => None,
            }
        }
        (None, None) => None,
    }
}

fn late_interest(i: Option<&LateInterest>) -> Written {
    i.and_then(|i| at(one_line::late_interest(i), i.span))
}

/// Whether late interest grew (`Some(true)`) or shrank: added or removed,
/// or a rate in the same terms (per year or per month, one day count)
/// raised or lowered.
fn more_interest(old: Option<&LateInterest>, new: Option<&LateInterest>) -> Option<bool> {
    match (old, new) {
        (None, Some(_)) => Some(true),
        (Some(_), None) => Some(false),
        (Some(a), Some(b))
            if a.per.node == b.per.node
                && a.day_count.as_ref().map(|c| c.node) == b.day_count.as_ref().map(|c| c.node)
                && a.compounding.as_ref().map(|c| c.node)
                    == b.compounding.as_ref().map(|c| c.node)
                && a.rate.node != b.rate.node =>
        {
            Some(b.rate.node > a.rate.node)
        }
        // The same rate, compounded where it was simple, or more often:
        // more interest.
        (Some(a), Some(b))
            if a.per.node == b.per.node
                && a.rate.node == b.rate.node
                && a.day_count.as_ref().map(|c| c.node) == b.day_count.as_ref().map(|c| c.node) =>
        {
            let often = |c: Option<&Spanned<RatePeriod>>| match c.map(|c| c.node) {
                None => 0,
                Some(RatePeriod::Year) => 1,
                Some(RatePeriod::Month) => 2,
            };
            let (x, y) = (often(a.compounding.as_ref()), often(b.compounding.as_ref()));
            (x != y).then_some(y > x)
        }
        (None, None) | (Some(_), Some(_)) => None,
    }
}

fn recurrence(r: Option<&Recurrence>, rule: Span) -> Written {
    match r {
        None => at("once".to_string(), rule),
        Some(Recurrence::EachPeriod(period)) => {
            at(format!("for each {}", period.node), period.span)
        }
        Some(Recurrence::EachPeriodField(field)) => at(
            format!("for each {}.{}", field.event.node, field.field.node),
            field.span,
        ),
        Some(Recurrence::EachEvent(p)) => {
            at(format!("on each {}", one_line::event_pattern(p)), p.span)
        }
    }
}

// ------------------------------------------------------------ whom a change favours

/// The first percentage written in an amount.
/// `None` when the amount subtracts or negates anything: a higher share
/// there may mean a lower amount.
fn first_percent(expr: &Expr) -> Option<Decimal> {
    let mut work = vec![expr];
    let mut first = None;
    while let Some(e) = work.pop() {
        match &e.kind {
            ExprKind::Percent(p) if first.is_none() => first = Some(*p),
            ExprKind::Negate(_) => return None,
            ExprKind::Chain { rest, .. }
                if rest
                    .iter()
                    .any(|(op, _)| matches!(op.node, ArithOp::Sub | ArithOp::Div)) =>
            {
                return None;
            }
            _ => {}
        }
        let mut children = Vec::new();
        e.push_children(&mut children);
        work.extend(children.into_iter().rev());
    }
    first
}

/// Whom a change to what a defined value means favours: when the new value
/// is higher (or lower) for every input, as [`higher`] tells, and every
/// payment whose amount uses it gains the same party by the change.
pub(super) fn definition_favours(
    version: Version<'_>,
    name: &str,
    old: &Expr,
    new: &Expr,
) -> Option<String> {
    let (up, what) = higher(old, new)?;
    favoured_through_payments(version, Leaf::Name(name), up, what)
}

/// Whether an account's balance, at every later moment, is higher when it
/// opens higher (or a movement leaves it higher): every increase uses its
/// own balance only the same way (interest on it), and every decrease
/// either does not use it or is `AMOUNT capped at balance of ACCOUNT`
/// (what is left, `balance - min(amount, balance)`, still rises with it).
pub(super) fn balance_rises_with_opening(version: Version<'_>, account: &Account) -> bool {
    let contract = version.checked;
    let own = Leaf::Balance(&account.name.node);
    account.movements.iter().all(|movement| {
        let direction = super::tiers::name_direction(contract, &movement.amount, own);
        match movement.direction.node {
            Direction::Increased => matches!(direction, Some(None | Some(true))),
            Direction::Decreased => match &movement.amount.kind {
                _ if direction == Some(None) => true,
                ExprKind::CappedAt { value, cap } => {
                    own.is_balance(cap) && !super::tiers::value_mentions(contract, value, own)
                }
                _ => false,
            },
        }
    })
}

/// Whom it favours that a definition or a balance (`leaf`) is higher (`up`)
/// or lower for every input: the one party every payment whose amount
/// uses it gains by that, directly or through definitions; no one when it
/// is used where it decides whether something applies (a condition, a
/// milestone, a rule that is not a payment, an account's movement) or
/// payments disagree.
pub(super) fn favoured_through_payments(
    version: Version<'_>,
    leaf: Leaf<'_>,
    up: bool,
    what: &str,
) -> Option<String> {
    let contract = version.checked;
    let name = leaf.declared();
    // The names whose meaning the change moves: the leaf, and every
    // definition built on it.
    let moved = |n: &str| {
        n == name
            || contract.definition_named(n).is_some_and(|d| match &d.body {
                DefinitionBody::Value(value) => super::tiers::value_mentions(contract, value, leaf),
                DefinitionBody::Condition(c) => super::tiers::mentions(contract, c, leaf),
            })
    };
    // Used where it decides whether something applies (a condition, a
    // milestone, a rule that is not a payment), its direction is unknown.
    let mut elsewhere = false;
    // A definition that moves an account moves its balance in a direction
    // not worked out here. (An account's own balance in its movements is
    // how it is kept, not a use.)
    for account in &contract.file.accounts {
        crate::visit::account_names(account, &mut |n| {
            elsewhere |= n != account.name.node && moved(n);
        });
    }
    for milestone in &contract.file.milestones {
        crate::visit::milestone_names(&milestone.condition, &mut |n| elsewhere |= moved(n));
    }
    let mut gains: Option<&str> = None;
    for clause in &contract.file.clauses {
        for statement in &clause.statements {
            let Some(pay) = statement.as_pay() else {
                crate::visit::statement_names(statement, &mut |n| elsewhere |= moved(n));
                continue;
            };
            let filter = match &pay.recurrence {
                Some(Recurrence::EachEvent(pattern)) => pattern.filter.as_ref(),
                Some(Recurrence::EachPeriod(_) | Recurrence::EachPeriodField(_)) | None => None,
            };
            let conditions = filter
                .into_iter()
                .chain(pay.carve_outs.iter().map(|c| &c.condition));
            for condition in conditions {
                elsewhere |= super::tiers::mentions(contract, condition, leaf);
            }
            let Some(same_way) = super::tiers::name_direction(version.checked, &pay.amount, leaf)?
            else {
                continue;
            };
            let party = if up == same_way {
                pay.creditor.node.as_str()
            } else {
                pay.debtor.node.as_str()
            };
            if gains.is_some_and(|g| g != party) {
                return None;
            }
            gains = Some(party);
        }
    }
    if elsewhere {
        return None;
    }
    let party = gains?;
    let higher = if up { "higher" } else { "lower" };
    Some(match leaf {
        Leaf::Name(_) => {
            format!("favours {party}: a {higher} {what} in the amounts that use {name}")
        }
        Leaf::Balance(_) => format!(
            "favours {party}: a {higher} balance of {name} ({what}) in the amounts that use it"
        ),
    })
}

/// Whether an amount went up (`Some((true, "amount"))`) or down, when that
/// can be told from what is written: one tier table changed, compared value
/// by value; two sums of money in one currency ("amount"); or the first
/// share written in each ("share").
pub(super) fn higher(old: &Expr, new: &Expr) -> Option<(bool, &'static str)> {
    if let Some(direction) = super::tiers::direction(old, new) {
        return Some(direction);
    }
    if let Some(direction) = super::picks::direction(old, new) {
        return Some(direction);
    }
    // The same amount converted at another written rate.
    if let (
        ExprKind::Converted {
            value: a,
            currency: ca,
            rate: ra,
        },
        ExprKind::Converted {
            value: b,
            currency: cb,
            rate: rb,
        },
    ) = (&old.kind, &new.kind)
        && ca.node == cb.node
        && one_line::expr(a) == one_line::expr(b)
        && let (ExprKind::Number(x), ExprKind::Number(y)) = (&ra.kind, &rb.kind)
        && x != y
    {
        return Some((y > x, "conversion rate"));
    }
    if let (ExprKind::Money(a), ExprKind::Money(b)) = (&old.kind, &new.kind) {
        return (a.currency == b.currency && a.amount != b.amount)
            .then_some((b.amount > a.amount, "amount"));
    }
    match (first_percent(old), first_percent(new)) {
        // Only when the share is all that changed: `3% of the last month's
        // orders` against `2% of the last year's` says nothing by itself.
        (Some(a), Some(b)) if a != b && without_percent(old, a) == without_percent(new, b) => {
            Some((b > a, "share"))
        }
        _ => None,
    }
}

/// An amount as written with the percentage `share` (its first) taken out,
/// to tell whether two amounts differ in anything else.
fn without_percent(expr: &Expr, share: Decimal) -> String {
    let percent = one_line::expr(&Expr {
        kind: ExprKind::Percent(share),
        span: expr.span,
    });
    one_line::expr(expr).replacen(&percent, "%", 1)
}

/// A point in time as written, its spans aside.
#[derive(Clone, Debug, PartialEq)]
enum Point {
    Date(Option<jiff::civil::Date>),
    Milestone(String),
    After(Duration, Box<Point>),
}

impl Point {
    fn of(bound: &Bound) -> Point {
        match bound {
            Bound::Date(d) => Point::Date(d.date()),
            Bound::Milestone(m) => Point::Milestone(m.clone()),
            Bound::After { delay, anchor } => {
                Point::After(delay.node, Box::new(Point::of(&anchor.node)))
            }
        }
    }
}

/// A window's end as written, its spans aside.
#[derive(Clone, Debug, PartialEq)]
enum End {
    Through(Point),
    Until(Point),
    For(Duration),
}

impl End {
    fn of(end: &EndBound) -> End {
        match end {
            EndBound::Through(b) => End::Through(Point::of(&b.node)),
            EndBound::Until(b) => End::Until(Point::of(&b.node)),
            EndBound::For(length) => End::For(length.node),
        }
    }

    /// The end as an anchor and a delay after it, in one unit: `until 90
    /// days after notice` is (until, notice, days, 90); `for 12 months` is
    /// (for, the start, months, 12).
    fn offset(&self) -> Option<(u8, Option<&Point>, bool, i64)> {
        let split = |d: &Duration| match *d {
            Duration::Days(n) => (false, n),
            Duration::Months(n) => (true, n),
        };
        match self {
            End::Through(Point::After(d, anchor)) => {
                let (months, n) = split(d);
                Some((0, Some(anchor), months, n))
            }
            End::Until(Point::After(d, anchor)) => {
                let (months, n) = split(d);
                Some((1, Some(anchor), months, n))
            }
            End::For(d) => {
                let (months, n) = split(d);
                Some((2, None, months, n))
            }
            End::Through(Point::Date(_) | Point::Milestone(_))
            | End::Until(Point::Date(_) | Point::Milestone(_)) => None,
        }
    }
}

/// Whether a window's ends, as written, let it run longer (`Some(true)`),
/// shorter (`Some(false)`), or neither can be told.
fn longer(old: &Window, new: &Window) -> Option<bool> {
    let ends = |w: &Window| -> Vec<End> {
        w.end
            .as_ref()
            .map_or_else(Vec::new, |e| e.bounds.iter().map(End::of).collect())
    };
    // The last day in the window by its fixed ends (`until D` is the day
    // before D), and the milestones it may also end at.
    let dates = |w: &Window| -> Option<jiff::civil::Date> {
        w.end
            .as_ref()?
            .bounds
            .iter()
            .filter_map(|b| match b {
                EndBound::Through(s) => s.node.fixed_day(),
                EndBound::Until(s) => s.node.fixed_day().map(|d| d.yesterday().unwrap_or(d)),
                EndBound::For(length) => length
                    .node
                    .after(w.from.as_ref()?.node.fixed_day()?)
                    .map(|d| d.yesterday().unwrap_or(d)),
            })
            .min()
    };
    let milestones = |w: &Window| -> BTreeSet<String> {
        w.end.as_ref().map_or_else(BTreeSet::new, |e| {
            e.bounds
                .iter()
                .filter_map(|b| match b {
                    EndBound::Through(s) | EndBound::Until(s) => {
                        s.node.milestone().map(str::to_string)
                    }
                    EndBound::For(_) => None,
                })
                .collect()
        })
    };
    let (a, b) = (ends(old), ends(new));
    // The same ends and a start that moved: an earlier start runs longer.
    if a == b
        && let (Some(x), Some(y)) = (&old.from, &new.from)
    {
        if let (Some(x), Some(y)) = (x.node.fixed_day(), y.node.fixed_day())
            && x != y
        {
            return Some(y < x);
        }
        let (x, y) = (
            End::Through(Point::of(&x.node)),
            End::Through(Point::of(&y.node)),
        );
        if let (Some((_, ax, mx, nx)), Some((_, ay, my, ny))) = (x.offset(), y.offset())
            && (ax, mx) == (ay, my)
            && nx != ny
        {
            return Some(ny < nx);
        }
    }
    match (old.end.is_some(), new.end.is_some()) {
        (true, false) => return Some(true),
        (false, true) => return Some(false),
        (true, true) | (false, false) => {}
    }
    // Dates decide only when both windows may end at the same milestones.
    if let (Some(x), Some(y)) = (dates(old), dates(new))
        && x != y
        && milestones(old) == milestones(new)
    {
        return Some(y > x);
    }
    // The same ends but one, which differs only in its delay after the
    // same anchor (`until 90 days after notice` → `until 60 days after
    // notice`), or in its length from the same start: the longer delay
    // runs longer.
    let same_start = old.from.as_ref().map(|f| Point::of(&f.node))
        == new.from.as_ref().map(|f| Point::of(&f.node));
    if a.len() == b.len() {
        let differing: Vec<(&End, &End)> = a.iter().zip(&b).filter(|(x, y)| x != y).collect();
        if let [(x, y)] = differing.as_slice()
            && let (Some((kx, ax, mx, nx)), Some((ky, ay, my, ny))) = (x.offset(), y.offset())
            && (kx, ax, mx) == (ky, ay, my)
            && (kx != 2 || same_start)
        {
            return Some(ny > nx);
        }
    }
    // With `whichever is earlier`, fewer ends can only mean a later end.
    let contained = |small: &[End], big: &[End]| small.iter().all(|s| big.contains(s));
    if b.len() < a.len() && contained(&b, &a) {
        return Some(true);
    }
    if a.len() < b.len() && contained(&a, &b) {
        return Some(false);
    }
    None
}

/// Whether a due date moved later (`Some(true)`) or earlier, when both are
/// dates, or both the same anchor with delays in the same unit.
fn later_due(old: Option<&Due>, new: Option<&Due>) -> Option<bool> {
    match (old?, new?) {
        (Due::On(a), Due::On(b)) => match (a.node, b.node) {
            (DateRef::Date(x), DateRef::Date(y)) if x != y => Some(y > x),
            _ => None,
        },
        (
            Due::After {
                delay: d1,
                anchor: a1,
            },
            Due::After {
                delay: d2,
                anchor: a2,
            },
        ) if a1.node == a2.node => longer_length(d1.node, d2.node),
        _ => None,
    }
}

/// One of two verdicts, by which way a change went.
fn pick(direction: Option<bool>, if_true: String, if_false: String) -> Option<String> {
    direction.map(|up| if up { if_true } else { if_false })
}

/// A filter added narrows a rule; removed, widens it.
fn narrower(a: Option<&Condition>, b: Option<&Condition>) -> Option<bool> {
    match (a.is_some(), b.is_some()) {
        (false, true) => Some(true),
        (true, false) => Some(false),
        (true, true) | (false, false) => None,
    }
}

/// Carve-outs compared as sets: each one added or removed.
fn compare_carve_outs(
    d: &mut Details<'_>,
    a: &[CarveOut],
    b: &[CarveOut],
    narrower: String,
    wider: String,
) {
    d.set(
        Materiality::Scope,
        "carve-out",
        carve_outs(d.old, a),
        carve_outs(d.new, b),
        Some(narrower),
        Some(wider),
    );
}

/// Rights that arise on a default, added or removed: each favours the
/// party it is given to, against the party whose default gives it.
fn compare_rights(d: &mut Details<'_>, a: &[ArisingRight], b: &[ArisingRight], bound: &str) {
    let holder = b
        .first()
        .or_else(|| a.first())
        .map_or_else(|| "the other party".to_string(), |r| r.party.node.clone());
    d.set(
        Materiality::Parties,
        "right on default",
        arising_rights(d.old, a),
        arising_rights(d.new, b),
        Some(format!(
            "favours {holder}: a right when {bound} is in default"
        )),
        Some(format!(
            "favours {bound}: no such right when {bound} is in default"
        )),
    );
}

fn damages_list(version: Version<'_>, list: &[ArisingPayment]) -> Vec<Shown> {
    list.iter()
        .filter_map(|p| as_written(one_line::arising_payment(p), version, p.span))
        .collect()
}

fn arising_rights(version: Version<'_>, list: &[ArisingRight]) -> Vec<Shown> {
    list.iter()
        .filter_map(|r| as_written(one_line::arising_right(r), version, r.span))
        .collect()
}

fn compare_rules(
    d: &mut Details<'_>,
    old_clause: &Clause,
    before: &Statement,
    new_clause: &Clause,
    after: &Statement,
) {
    d.prefix = format!("{}, ", describe(after));
    let at_rule = after.span();
    match (before, after) {
        (Statement::Pay(a), Statement::Pay(b)) => {
            let PayObligation {
                debtor: debtor_a,
                creditor: creditor_a,
                amount: amount_a,
                recurrence: recurrence_a,
                basis: basis_a,
                partial: partial_a,
                window: window_a,
                due: due_a,
                settled_by: settled_a,
                rounding: rounding_a,
                interest: interest_a,
                cure: cure_a,
                rights: rights_a,
                carve_outs: carve_outs_a,
                span: span_a,
            } = &**a;
            let PayObligation {
                debtor: debtor_b,
                creditor: creditor_b,
                amount: amount_b,
                recurrence: recurrence_b,
                basis: basis_b,
                partial: partial_b,
                window: window_b,
                due: due_b,
                settled_by: settled_b,
                rounding: rounding_b,
                interest: interest_b,
                cure: cure_b,
                rights: rights_b,
                carve_outs: carve_outs_b,
                span: _,
            } = &**b;
            let (debtor, creditor) = (&debtor_b.node, &creditor_b.node);
            compare_rights(d, rights_a, rights_b, debtor);
            d.value(
                Materiality::Money,
                "amount",
                expr(d.old, amount_a),
                expr(d.new, amount_b),
                higher(amount_a, amount_b).map(|(up, what)| {
                    if up {
                        format!("favours {creditor}: a higher {what}")
                    } else {
                        format!("favours {debtor}: a lower {what}")
                    }
                }),
            );
            d.value(
                Materiality::Money,
                "rounding",
                rounding(rounding_a.as_ref()),
                rounding(rounding_b.as_ref()),
                None,
            );
            d.value(
                Materiality::Time,
                "cure period",
                cure(cure_a.as_deref()),
                cure(cure_b.as_deref()),
                pick(
                    longer_cure(cure_a.as_deref(), cure_b.as_deref()),
                    format!("favours {debtor}: more time to cure a missed payment"),
                    format!("favours {creditor}: less time to cure a missed payment"),
                ),
            );
            d.value(
                Materiality::Money,
                "late interest",
                late_interest(interest_a.as_ref()),
                late_interest(interest_b.as_ref()),
                pick(
                    more_interest(interest_a.as_ref(), interest_b.as_ref()),
                    format!("favours {creditor}: more interest on late payment"),
                    format!("favours {debtor}: less interest on late payment"),
                ),
            );
            d.value(
                Materiality::Time,
                "how often it arises",
                recurrence(recurrence_a.as_ref(), *span_a),
                recurrence(recurrence_b.as_ref(), at_rule),
                None,
            );
            // Unwritten, each is its default: a change from `as earned`
            // written out to nothing written is no change.
            let basis_of = |b: &Option<Spanned<PeriodBasis>>, rule: Span| {
                let basis = b.as_ref().map_or(PeriodBasis::Earned, |b| b.node);
                at(
                    basis.as_str().to_string(),
                    b.as_ref().map_or(rule, |b| b.span),
                )
            };
            let per_field =
                |r: &Option<Recurrence>| matches!(r, Some(Recurrence::EachPeriodField(_)));
            if per_field(recurrence_a) && per_field(recurrence_b) {
                d.value(
                    Materiality::Time,
                    "which date its window tests",
                    basis_of(basis_a, *span_a),
                    basis_of(basis_b, at_rule),
                    None,
                );
            }
            let partial_of = |p: &Option<Spanned<PartialPeriods>>, rule: Span| {
                let partial = p.as_ref().map_or(PartialPeriods::Whole, |p| p.node);
                at(
                    partial.as_str().to_string(),
                    p.as_ref().map_or(rule, |p| p.span),
                )
            };
            let owed = |p: &Option<Spanned<PartialPeriods>>| match p.as_ref().map(|p| p.node) {
                None | Some(PartialPeriods::Whole) => 2,
                Some(PartialPeriods::Prorated) => 1,
                Some(PartialPeriods::Excluded) => 0,
            };
            d.value(
                Materiality::Money,
                "what a period partly in its window owes",
                partial_of(partial_a, *span_a),
                partial_of(partial_b, at_rule),
                match owed(partial_b).cmp(&owed(partial_a)) {
                    std::cmp::Ordering::Greater => Some(format!(
                        "favours {creditor}: more is owed for a partial period"
                    )),
                    std::cmp::Ordering::Less => Some(format!(
                        "favours {debtor}: less is owed for a partial period"
                    )),
                    std::cmp::Ordering::Equal => None,
                },
            );
            d.value(
                Materiality::Time,
                "window",
                window(window_a, *span_a),
                window(window_b, at_rule),
                pick(
                    longer(window_a, window_b),
                    format!("favours {creditor}: paid for longer"),
                    format!("favours {debtor}: pays for less long"),
                ),
            );
            d.value(
                Materiality::Time,
                "due",
                due(due_a.as_ref()),
                due(due_b.as_ref()),
                pick(
                    later_due(due_a.as_ref(), due_b.as_ref()),
                    format!("favours {debtor}: pays later"),
                    format!("favours {creditor}: paid sooner"),
                ),
            );
            compare_carve_outs(
                d,
                carve_outs_a,
                carve_outs_b,
                format!("favours {debtor}: pays in fewer cases"),
                format!("favours {creditor}: paid in more cases"),
            );
            d.value(
                Materiality::Scope,
                "event that settles it",
                settled_a.as_ref().and_then(name),
                settled_b.as_ref().and_then(name),
                None,
            );
            d.value(
                Materiality::Parties,
                "debtor",
                name(debtor_a),
                name(debtor_b),
                None,
            );
            d.value(
                Materiality::Parties,
                "creditor",
                name(creditor_a),
                name(creditor_b),
                None,
            );
        }
        (Statement::Do(a), Statement::Do(b))
        | (Statement::MustNot(a), Statement::MustNot(b))
        | (Statement::May(a), Statement::May(b)) => {
            let ActionRule {
                party: party_a,
                action: action_a,
                trigger: trigger_a,
                window: window_a,
                due: due_a,
                cure: cure_a,
                rights: rights_a,
                damages: damages_a,
                matching: matching_a,
                carve_outs: carve_outs_a,
                span: span_a,
            } = &**a;
            let ActionRule {
                party: party_b,
                action: action_b,
                trigger: trigger_b,
                window: window_b,
                due: due_b,
                cure: cure_b,
                rights: rights_b,
                damages: damages_b,
                matching: matching_b,
                carve_outs: carve_outs_b,
                span: _,
            } = &**b;
            let party = &party_b.node;
            compare_rights(d, rights_a, rights_b, party);
            d.set(
                Materiality::Money,
                "damages on default",
                damages_list(d.old, damages_a),
                damages_list(d.new, damages_b),
                Some(format!("against {party}: it pays damages when in default")),
                Some(format!("favours {party}: no damages when in default")),
            );
            let fields = |list: &[Name]| {
                let text = list
                    .iter()
                    .map(|f| f.node.clone())
                    .collect::<Vec<_>>()
                    .join(", ");
                match (list.first(), list.last()) {
                    (Some(first), Some(last)) => {
                        at(format!("matching {text}"), first.span.to(last.span))
                    }
                    _ => None,
                }
            };
            d.value(
                Materiality::Scope,
                "act that performs it",
                fields(matching_a),
                fields(matching_b),
                // Fewer fields to match: more acts perform an obligation.
                pick(
                    match (matching_a.len(), matching_b.len()) {
                        (x, y) if x == y => None,
                        (x, y) => Some(y < x),
                    },
                    format!("favours {party}: more acts perform each obligation"),
                    format!("against {party}: only an act matching the raising event performs it"),
                ),
            );
            // What a narrower scope and a wider one mean for the party,
            // then a longer window and a shorter one.
            let (narrows, widens, runs_longer, ends_sooner) = match after {
                Statement::May(_) => (
                    format!("against {party}: permits less"),
                    format!("favours {party}: permits more"),
                    format!("favours {party}: permitted for longer"),
                    format!("against {party}: permitted for less long"),
                ),
                Statement::MustNot(_) => (
                    format!("favours {party}: forbids less"),
                    format!("against {party}: forbids more"),
                    format!("against {party}: forbidden for longer"),
                    format!("favours {party}: forbidden for less long"),
                ),
                Statement::Do(_)
                | Statement::Pay(_)
                | Statement::Grant(_)
                | Statement::Exclusion(_)
                | Statement::Holding(_)
                | Statement::Own(_)
                | Statement::CapTable(_)
                | Statement::Commitment(_)
                | Statement::Suspension(_)
                | Statement::Cap(_) => (
                    format!("favours {party}: requires less"),
                    format!("against {party}: requires more"),
                    format!("against {party}: required for longer"),
                    format!("favours {party}: required for less long"),
                ),
            };
            let Action {
                event: event_a,
                filter: filter_a,
                span: _,
            } = action_a;
            let Action {
                event: event_b,
                filter: filter_b,
                span: _,
            } = action_b;
            d.value(
                Materiality::Time,
                "window",
                window(window_a, *span_a),
                window(window_b, at_rule),
                pick(longer(window_a, window_b), runs_longer, ends_sooner),
            );
            d.value(
                Materiality::Time,
                "due",
                due(due_a.as_ref()),
                due(due_b.as_ref()),
                pick(
                    later_due(due_a.as_ref(), due_b.as_ref()),
                    format!("favours {party}: more time to act"),
                    format!("against {party}: less time to act"),
                ),
            );
            d.value(
                Materiality::Time,
                "cure period",
                cure(cure_a.as_deref()),
                cure(cure_b.as_deref()),
                pick(
                    longer_cure(cure_a.as_deref(), cure_b.as_deref()),
                    format!("favours {party}: more time to cure a missed act"),
                    format!("against {party}: less time to cure a missed act"),
                ),
            );
            d.value(
                Materiality::Scope,
                "what is done",
                name(event_a),
                name(event_b),
                None,
            );
            d.value(
                Materiality::Scope,
                "scope",
                condition(d.old, filter_a.as_ref()),
                condition(d.new, filter_b.as_ref()),
                pick(
                    narrower(filter_a.as_ref(), filter_b.as_ref()),
                    narrows.clone(),
                    widens.clone(),
                ),
            );
            d.value(
                Materiality::Scope,
                "what gives rise to it",
                pattern(trigger_a.as_ref()),
                pattern(trigger_b.as_ref()),
                None,
            );
            compare_carve_outs(d, carve_outs_a, carve_outs_b, narrows, widens);
            d.value(
                Materiality::Parties,
                "party",
                name(party_a),
                name(party_b),
                None,
            );
        }
        (Statement::Grant(a), Statement::Grant(b)) => {
            let Grant {
                grantor: grantor_a,
                grantee: grantee_a,
                exclusive: exclusive_a,
                kind: kind_a,
                label: label_a,
                scope: scope_a,
                window: window_a,
                carve_outs: carve_outs_a,
                passes: passes_a,
                span: span_a,
            } = &**a;
            let Grant {
                grantor: grantor_b,
                grantee: grantee_b,
                exclusive: exclusive_b,
                kind: kind_b,
                label: label_b,
                scope: scope_b,
                window: window_b,
                carve_outs: carve_outs_b,
                passes: passes_b,
                span: _,
            } = &**b;
            let (grantor, grantee) = (&grantor_b.node, &grantee_b.node);
            // A grant that may pass to another is worth more to its
            // grantee: it can assign it.
            let passes = |p: &Option<GrantPasses>| {
                p.as_ref().and_then(|p| {
                    let GrantPasses {
                        field,
                        filter,
                        span,
                    } = p;
                    let filter = filter.as_ref().map_or_else(String::new, |f| {
                        format!(" where {}", one_line::condition(f))
                    });
                    at(
                        format!(
                            "passes to {}.{}{filter}",
                            field.event.node, field.field.node
                        ),
                        *span,
                    )
                })
            };
            d.value(
                Materiality::Parties,
                "who may take it over",
                passes(passes_a),
                passes(passes_b),
                match (passes_a.is_some(), passes_b.is_some()) {
                    (false, true) => Some(format!("favours {grantee}: it may now pass to another")),
                    (true, false) => {
                        Some(format!("favours {grantor}: it no longer passes to another"))
                    }
                    (true, true) | (false, false) => None,
                },
            );
            d.value(
                Materiality::Time,
                "window",
                window(window_a, *span_a),
                window(window_b, at_rule),
                pick(
                    longer(window_a, window_b),
                    format!("favours {grantee}: runs longer"),
                    format!("favours {grantor}: ends sooner"),
                ),
            );
            let exclusive = |e: &Option<Spanned<bool>>, kind: &Spanned<GrantKind>| {
                let exclusive = e.as_ref().is_some_and(|e| e.node);
                at(
                    if exclusive {
                        "exclusive"
                    } else {
                        "non-exclusive"
                    }
                    .to_string(),
                    e.as_ref().map_or(kind.span, |e| e.span),
                )
            };
            let (ex_a, ex_b) = (
                exclusive_a.as_ref().is_some_and(|e| e.node),
                exclusive_b.as_ref().is_some_and(|e| e.node),
            );
            d.value(
                Materiality::Scope,
                "exclusivity",
                exclusive(exclusive_a, kind_a),
                exclusive(exclusive_b, kind_b),
                (ex_a != ex_b).then(|| {
                    if ex_b {
                        format!("favours {grantee}: now exclusive")
                    } else {
                        format!("favours {grantor}: no longer exclusive")
                    }
                }),
            );
            let kind = |k: &Spanned<GrantKind>| {
                at(
                    match k.node {
                        GrantKind::Licence => "licence",
                        GrantKind::Right => "right",
                    }
                    .to_string(),
                    k.span,
                )
            };
            d.value(Materiality::Scope, "kind", kind(kind_a), kind(kind_b), None);
            let Action {
                event: event_a,
                filter: filter_a,
                span: _,
            } = scope_a;
            let Action {
                event: event_b,
                filter: filter_b,
                span: _,
            } = scope_b;
            d.value(
                Materiality::Scope,
                "what it is over",
                name(event_a),
                name(event_b),
                None,
            );
            d.value(
                Materiality::Scope,
                "scope",
                condition(d.old, filter_a.as_ref()),
                condition(d.new, filter_b.as_ref()),
                pick(
                    narrower(filter_a.as_ref(), filter_b.as_ref()),
                    format!("favours {grantor}: covers less"),
                    format!("favours {grantee}: covers more"),
                ),
            );
            compare_carve_outs(
                d,
                carve_outs_a,
                carve_outs_b,
                format!("favours {grantor}: covers less"),
                format!("favours {grantee}: covers more"),
            );
            d.value(
                Materiality::Parties,
                "grantor",
                name(grantor_a),
                name(grantor_b),
                None,
            );
            d.value(
                Materiality::Parties,
                "grantee",
                name(grantee_a),
                name(grantee_b),
                None,
            );
            d.value(
                Materiality::Wording,
                "label",
                super::quoted(label_a.as_ref()),
                super::quoted(label_b.as_ref()),
                None,
            );
        }
        (Statement::Exclusion(a), Statement::Exclusion(b)) => {
            let Exclusion {
                scope: scope_a,
                span: _,
            } = &**a;
            let Exclusion {
                scope: scope_b,
                span: _,
            } = &**b;
            let Action {
                event: event_a,
                filter: filter_a,
                span: _,
            } = scope_a;
            let Action {
                event: event_b,
                filter: filter_b,
                span: _,
            } = scope_b;
            let bound = excepted_party(d.new, new_clause);
            let _ = old_clause;
            d.value(
                Materiality::Scope,
                "what it takes out",
                name(event_a),
                name(event_b),
                None,
            );
            d.value(
                Materiality::Scope,
                "scope",
                condition(d.old, filter_a.as_ref()),
                condition(d.new, filter_b.as_ref()),
                bound.and_then(|bound| {
                    pick(
                        narrower(filter_a.as_ref(), filter_b.as_ref()),
                        format!("against {bound}: takes out less"),
                        format!("favours {bound}: takes out more"),
                    )
                }),
            );
        }
        (Statement::Holding(a), Statement::Holding(b)) => {
            let Holding {
                holder: holder_a,
                stake: stake_a,
                entity: entity_a,
                basis: basis_a,
                valuation: valuation_a,
                span: _,
            } = &**a;
            let Holding {
                holder: holder_b,
                stake: stake_b,
                entity: entity_b,
                basis: basis_b,
                valuation: valuation_b,
                span: _,
            } = &**b;
            let holder = &holder_b.node;
            let stake = |s: &Spanned<Decimal>| at(format!("{}%", one_line::number(s.node)), s.span);
            d.value(
                Materiality::Money,
                "percentage",
                stake(stake_a),
                stake(stake_b),
                pick(
                    (stake_a.node != stake_b.node).then_some(stake_b.node > stake_a.node),
                    format!("favours {holder}: a higher stake"),
                    format!("against {holder}: a lower stake"),
                ),
            );
            let valuation = |v: &Option<Spanned<Money>>| {
                v.as_ref()
                    .and_then(|v| at(one_line::money(&v.node), v.span))
            };
            d.value(
                Materiality::Money,
                "valuation",
                valuation(valuation_a),
                valuation(valuation_b),
                None,
            );
            d.value(
                Materiality::Money,
                "basis",
                super::quoted(basis_a.as_ref()),
                super::quoted(basis_b.as_ref()),
                None,
            );
            d.value(
                Materiality::Parties,
                "holder",
                name(holder_a),
                name(holder_b),
                None,
            );
            d.value(
                Materiality::Parties,
                "entity",
                name(entity_a),
                name(entity_b),
                None,
            );
        }
        (Statement::Own(a), Statement::Own(b)) => {
            let Ownership {
                owner: owner_a,
                share: share_a,
                made_by: made_by_a,
                passes: passes_a,
                span: span_a,
            } = &**a;
            let Ownership {
                owner: owner_b,
                share: share_b,
                made_by: made_by_b,
                passes: passes_b,
                span: _,
            } = &**b;
            let owner = &owner_b.node;
            let share_of =
                |s: &Option<Spanned<Decimal>>| s.as_ref().map_or(Decimal::ONE_HUNDRED, |s| s.node);
            let share = |s: &Option<Spanned<Decimal>>, fallback: Span| {
                at(
                    format!("{}%", one_line::number(share_of(s))),
                    s.as_ref().map_or(fallback, |s| s.span),
                )
            };
            let (old_share, new_share) = (share_of(share_a), share_of(share_b));
            d.value(
                Materiality::Money,
                "share of each asset",
                share(share_a, *span_a),
                share(share_b, at_rule),
                pick(
                    (old_share != new_share).then_some(new_share > old_share),
                    format!("favours {owner}: a larger share"),
                    format!("against {owner}: a smaller share"),
                ),
            );
            let Action {
                event: event_a,
                filter: filter_a,
                span: _,
            } = made_by_a;
            let Action {
                event: event_b,
                filter: filter_b,
                span: _,
            } = made_by_b;
            d.value(
                Materiality::Scope,
                "what makes the assets",
                name(event_a),
                name(event_b),
                None,
            );
            d.value(
                Materiality::Scope,
                "which assets",
                condition(d.old, filter_a.as_ref()),
                condition(d.new, filter_b.as_ref()),
                pick(
                    narrower(filter_a.as_ref(), filter_b.as_ref()),
                    format!("against {owner}: owns fewer"),
                    format!("favours {owner}: owns more"),
                ),
            );
            let passing_text = |p: &TitlePassing| match &p.when {
                PassingWhen::On(on) => format!(
                    "title passes to {} on {}",
                    p.to.node,
                    one_line::event_pattern(on)
                ),
                PassingWhen::Once(m) => format!("title passes to {} once {}", p.to.node, m.node),
            };
            // A passing to the owner itself brings its title back: for the
            // owner, the opposite of a passing to another.
            let added = |p: &TitlePassing| {
                Some(if p.to.node == *owner {
                    format!("favours {owner}: its title comes back to it")
                } else {
                    format!("against {owner}: its title may pass")
                })
            };
            let removed = |p: &TitlePassing| {
                Some(if p.to.node == *owner {
                    format!("against {owner}: its title no longer comes back to it")
                } else {
                    format!("favours {owner}: its title passes on fewer events")
                })
            };
            let gone: Vec<&TitlePassing> = passes_a
                .iter()
                .filter(|p| !passes_b.iter().any(|q| passing_text(q) == passing_text(p)))
                .collect();
            let came: Vec<&TitlePassing> = passes_b
                .iter()
                .filter(|q| !passes_a.iter().any(|p| passing_text(p) == passing_text(q)))
                .collect();
            for (i, p) in gone.iter().enumerate() {
                match came.get(i) {
                    Some(q) => {
                        // The same moment, another party: to the owner or
                        // away from it.
                        let when = |p: &TitlePassing| {
                            let text = passing_text(p);
                            text.split_once(&format!("to {} ", p.to.node))
                                .map(|(_, rest)| rest.to_string())
                                .unwrap_or(text)
                        };
                        let direction = if when(p) == when(q) && p.to.node != q.to.node {
                            if q.to.node == *owner {
                                added(q)
                            } else if p.to.node == *owner {
                                removed(p)
                            } else {
                                None
                            }
                        } else {
                            None
                        };
                        d.value(
                            Materiality::Parties,
                            "passing of title",
                            at(passing_text(p), p.span),
                            at(passing_text(q), q.span),
                            direction,
                        );
                    }
                    None => d.item(
                        Materiality::Parties,
                        "passing of title",
                        at(passing_text(p), p.span),
                        None,
                        removed(p),
                    ),
                }
            }
            for q in came.iter().skip(gone.len()) {
                d.item(
                    Materiality::Parties,
                    "passing of title",
                    None,
                    at(passing_text(q), q.span),
                    added(q),
                );
            }
            d.value(
                Materiality::Parties,
                "owner",
                name(owner_a),
                name(owner_b),
                None,
            );
        }
        (Statement::CapTable(a), Statement::CapTable(b)) => {
            let CapTable {
                entity: entity_a,
                span: _,
            } = &**a;
            let CapTable {
                entity: entity_b,
                span: _,
            } = &**b;
            d.value(
                Materiality::Parties,
                "entity",
                name(entity_a),
                name(entity_b),
                None,
            );
        }
        (Statement::Commitment(a), Statement::Commitment(b)) => {
            let Commitment {
                party: party_a,
                beneficiary: beneficiary_a,
                target: target_a,
                measure: measure_a,
                filter: filter_a,
                per: per_a,
                shortfall: shortfall_a,
                window: window_a,
                carve_outs: carve_outs_a,
                span: span_a,
            } = &**a;
            let Commitment {
                party: party_b,
                beneficiary: beneficiary_b,
                target: target_b,
                measure: measure_b,
                filter: filter_b,
                per: per_b,
                shortfall: shortfall_b,
                window: window_b,
                carve_outs: carve_outs_b,
                span: _,
            } = &**b;
            let party = &party_b.node;
            d.value(
                Materiality::Time,
                "target per period",
                per_a
                    .as_ref()
                    .and_then(|p| at(format!("for each {}", p.node), p.span)),
                per_b
                    .as_ref()
                    .and_then(|p| at(format!("for each {}", p.node), p.span)),
                None,
            );
            d.value(
                Materiality::Money,
                "shortfall payment",
                shortfall(shortfall_a.as_deref()),
                shortfall(shortfall_b.as_deref()),
                pick(
                    more_shortfall(shortfall_a.as_deref(), shortfall_b.as_deref()),
                    format!(
                        "favours {}: more is paid for a missed target",
                        beneficiary_b
                            .as_ref()
                            .map_or_else(|| "its beneficiary".to_string(), |b| b.node.clone())
                    ),
                    format!("favours {party}: less is paid for a missed target"),
                ),
            );
            let helped = beneficiary_b
                .as_ref()
                .map_or_else(|| "its beneficiary".to_string(), |b| b.node.clone());
            d.value(
                Materiality::Money,
                "target",
                expr(d.old, target_a),
                expr(d.new, target_b),
                pick(
                    higher(target_a, target_b).map(|(up, _)| up),
                    format!("favours {helped}: a larger commitment"),
                    format!("favours {party}: a smaller commitment"),
                ),
            );
            d.value(
                Materiality::Time,
                "window",
                window(window_a, *span_a),
                window(window_b, at_rule),
                pick(
                    longer(window_a, window_b),
                    format!("favours {party}: more time to fulfil it"),
                    format!("favours {helped}: to be fulfilled sooner"),
                ),
            );
            let measure = |f: &FieldRef| at(format!("{}.{}", f.event.node, f.field.node), f.span);
            d.value(
                Materiality::Scope,
                "what is measured",
                measure(measure_a),
                measure(measure_b),
                None,
            );
            d.value(
                Materiality::Scope,
                "what counts",
                condition(d.old, filter_a.as_ref()),
                condition(d.new, filter_b.as_ref()),
                pick(
                    narrower(filter_a.as_ref(), filter_b.as_ref()),
                    format!("favours {helped}: less counts towards it"),
                    format!("favours {party}: more counts towards it"),
                ),
            );
            compare_carve_outs(
                d,
                carve_outs_a,
                carve_outs_b,
                format!("favours {helped}: less counts towards it"),
                format!("favours {party}: more counts towards it"),
            );
            d.value(
                Materiality::Parties,
                "committed party",
                name(party_a),
                name(party_b),
                None,
            );
            d.value(
                Materiality::Parties,
                "beneficiary",
                beneficiary_a.as_ref().and_then(name),
                beneficiary_b.as_ref().and_then(name),
                None,
            );
        }
        (Statement::Suspension(a), Statement::Suspension(b)) => {
            let Suspension {
                clauses: clauses_a,
                from: from_a,
                until: until_a,
                span: span_a,
            } = &**a;
            let Suspension {
                clauses: clauses_b,
                from: from_b,
                until: until_b,
                span: _,
            } = &**b;
            let bound = suspended_party(d.new, b)
                .or_else(|| suspended_party(d.old, a))
                .unwrap_or_else(|| "the party bound".to_string());
            let grew = clause_list_grew(clauses_a, clauses_b);
            d.value(
                Materiality::Money,
                "suspended clauses",
                clause_list(clauses_a, *span_a),
                clause_list(clauses_b, at_rule),
                pick(
                    grew,
                    format!("favours {bound}: more due dates move while suspended"),
                    format!("against {bound}: fewer due dates move while suspended"),
                ),
            );
            let pattern = |p: &EventPattern| at(one_line::event_pattern(p), p.span);
            // The same event with a filter added: fewer events begin one.
            let begins_less = (from_a.event.node == from_b.event.node
                && from_a.by.as_ref().map(|b| &b.node) == from_b.by.as_ref().map(|b| &b.node))
            .then(|| narrower(from_a.filter.as_ref(), from_b.filter.as_ref()))
            .flatten();
            d.value(
                Materiality::Time,
                "what begins a suspension",
                pattern(from_a),
                pattern(from_b),
                pick(
                    begins_less,
                    format!("against {bound}: fewer events begin a suspension"),
                    format!("favours {bound}: more events begin a suspension"),
                ),
            );
            d.value(
                Materiality::Time,
                "what ends a suspension",
                pattern(until_a),
                pattern(until_b),
                None,
            );
        }
        (Statement::Cap(a), Statement::Cap(b)) => {
            let AggregateCap {
                kind: kind_a,
                debtor: debtor_a,
                creditor: creditor_a,
                clauses: clauses_a,
                amount: cap_a,
                per: per_a,
                partial: partial_a,
                due: due_a,
                span: span_a,
            } = &**a;
            let AggregateCap {
                kind: kind_b,
                debtor: debtor_b,
                creditor: creditor_b,
                clauses: clauses_b,
                amount: cap_b,
                per: per_b,
                partial: partial_b,
                due: due_b,
                span: _,
            } = &**b;
            // Paired only with their own kind (`same_kind`).
            let floor = match (kind_a.node, kind_b.node) {
                (LimitKind::Floor, LimitKind::Floor) => true,
                (LimitKind::Cap, LimitKind::Cap)
                | (LimitKind::Cap, LimitKind::Floor)
                | (LimitKind::Floor, LimitKind::Cap) => false,
            };
            let word = if floor { "floor" } else { "cap" };
            let party = debtor_b.node.as_str();
            d.value(
                Materiality::Parties,
                if floor {
                    "party whose payments have a floor"
                } else {
                    "party whose payments are capped"
                },
                name(debtor_a),
                name(debtor_b),
                None,
            );
            let payee = |c: &Option<Name>, fallback: Span| match c {
                Some(c) => at(c.node.clone(), c.span),
                None => at("anyone".to_string(), fallback),
            };
            d.value(
                Materiality::Parties,
                "party a shortfall is owed to",
                payee(creditor_a, *span_a),
                payee(creditor_b, at_rule),
                None,
            );
            let grew = clause_list_grew(clauses_a, clauses_b);
            let same_party = debtor_a.node == debtor_b.node;
            // More clauses under a cap limit more of what the party owes;
            // under a floor, more of what it owes counts towards it: the
            // party that pays gains either way.
            d.value(
                Materiality::Money,
                if floor {
                    "clauses under the floor"
                } else {
                    "capped clauses"
                },
                clause_list(clauses_a, *span_a),
                clause_list(clauses_b, at_rule),
                pick(
                    grew.filter(|_| same_party),
                    if floor {
                        format!("favours {party}: more of what it owes counts towards the floor")
                    } else {
                        format!("favours {party}: the cap limits what it owes under more clauses")
                    },
                    if floor {
                        format!("against {party}: less of what it owes counts towards the floor")
                    } else {
                        format!("against {party}: the cap limits what it owes under fewer clauses")
                    },
                ),
            );
            // A lower cap limits more, and a lower floor asks less: the
            // party that pays gains from either (over the same periods: a
            // higher yearly floor may ask less than a quarterly one).
            let same_period = per_a.as_ref().map(|p| &p.node) == per_b.as_ref().map(|p| &p.node);
            let lower = higher(cap_a, cap_b)
                .map(|(up, _)| !up)
                .filter(|_| same_period);
            d.value(
                Materiality::Money,
                word,
                as_written(one_line::expr(cap_a), d.old, cap_a.span),
                as_written(one_line::expr(cap_b), d.new, cap_b.span),
                pick(
                    lower.filter(|_| same_party),
                    format!("favours {party}: a lower {word} on what it owes"),
                    format!("against {party}: a higher {word} on what it owes"),
                ),
            );
            // A floor held in full for a partial period asks the most of the
            // party that pays, excluded the least.
            let partial_of = |p: &Option<Spanned<PartialPeriods>>, rule: Span| {
                let partial = p.as_ref().map_or(PartialPeriods::Whole, |p| p.node);
                at(
                    partial.as_str().to_string(),
                    p.as_ref().map_or(rule, |p| p.span),
                )
            };
            let asks = |p: &Option<Spanned<PartialPeriods>>| match p.as_ref().map(|p| p.node) {
                None | Some(PartialPeriods::Whole) => 2,
                Some(PartialPeriods::Prorated) => 1,
                Some(PartialPeriods::Excluded) => 0,
            };
            d.value(
                Materiality::Money,
                "what a period partly in the term is held to",
                partial_of(partial_a, *span_a),
                partial_of(partial_b, at_rule),
                pick(
                    (asks(partial_b) != asks(partial_a))
                        .then_some(asks(partial_b) < asks(partial_a))
                        .filter(|_| same_party && floor),
                    format!("favours {party}: less is asked for a partial period"),
                    format!("against {party}: more is asked for a partial period"),
                ),
            );
            // A later due date favours the party that pays, as for any
            // payment.
            let due_words = |due: &Option<Spanned<Duration>>, fallback: Span| match due {
                Some(delay) => at(
                    format!("{} after the end of the period", delay.node.written()),
                    delay.span,
                ),
                None => at("the end of the period".to_string(), fallback),
            };
            let length = |due: &Option<Spanned<Duration>>| match due.as_ref().map(|d| d.node) {
                None => (0, None),
                Some(Duration::Days(n)) => (n, Some(false)),
                Some(Duration::Months(n)) => (n, Some(true)),
            };
            // Compared only in one unit (or against none at all).
            let later = match (length(due_a), length(due_b)) {
                ((a, ua), (b, ub)) if a != b && (ua == ub || ua.is_none() || ub.is_none()) => {
                    Some(b > a)
                }
                _ => None,
            };
            d.value(
                Materiality::Time,
                "due date of a shortfall",
                due_words(due_a, *span_a),
                due_words(due_b, at_rule),
                pick(
                    later.filter(|_| same_party && floor),
                    format!("favours {party}: pays later"),
                    format!("against {party}: pays sooner"),
                ),
            );
            d.value(
                Materiality::Time,
                if floor {
                    "period of the floor"
                } else {
                    "period of the cap"
                },
                at(
                    per_a
                        .as_ref()
                        .map_or_else(|| "the whole contract".to_string(), |p| p.node.clone()),
                    per_a.as_ref().map_or(*span_a, |p| p.span),
                ),
                at(
                    per_b
                        .as_ref()
                        .map_or_else(|| "the whole contract".to_string(), |p| p.node.clone()),
                    per_b.as_ref().map_or(at_rule, |p| p.span),
                ),
                None,
            );
        }
        // Rules are only paired with rules of their own kind; were two of
        // different kinds ever paired, the one is removed and the other added.
        (
            Statement::Suspension(_)
            | Statement::Cap(_)
            | Statement::Pay(_)
            | Statement::Do(_)
            | Statement::MustNot(_)
            | Statement::May(_)
            | Statement::Grant(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::Own(_)
            | Statement::CapTable(_)
            | Statement::Commitment(_),
            _,
        ) => {
            rule_added(d, old_clause, before, true);
            rule_added(d, new_clause, after, false);
        }
    }
    d.prefix.clear();
}
