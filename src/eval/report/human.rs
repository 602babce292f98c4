//! The report for people: plain text, each finding pointing at its clause.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde_json::Value as Json;

use super::*;
use crate::ast::Money;
use crate::eval::compute::Val;
use crate::eval::outcome::{CommitmentStatus, Status};

/// `, compounded monthly` (or yearly), or nothing for simple interest.
fn compounding_words(every: Option<crate::ast::RatePeriod>) -> &'static str {
    match every {
        None => "",
        Some(crate::ast::RatePeriod::Month) => ", compounded monthly",
        Some(crate::ast::RatePeriod::Year) => ", compounded yearly",
    }
}

/// The closing lines of a finding: its reasoning (with `--explain`) and
/// where its rule is written.
fn close_finding(
    out: &mut String,
    inputs: &Inputs<'_>,
    why: impl FnOnce() -> Vec<String>,
    rule: Span,
) {
    if inputs.explain {
        // The reasoning quotes the contract's own text (the rule, labels):
        // escaped here, for people; the JSON report keeps it exact.
        for line in why() {
            let _ = writeln!(out, "    why: {}", crate::text::for_people(&line));
        }
    }
    if inputs.locations {
        let _ = writeln!(out, "    --> {}", inputs.location(rule));
    }
}

/// The report for people.
pub fn human(inputs: &Inputs<'_>) -> String {
    let outcome = inputs.outcome;
    let mut out = String::new();
    let title = inputs
        .contract
        .file
        .header
        .as_ref()
        .map_or_else(String::new, |h| h.title.node.clone());
    let as_of = outcome
        .as_of
        .map_or_else(|| "?".to_string(), |d| d.to_string());
    let _ = writeln!(out, "{}, as of {as_of}", crate::text::for_people(&title));
    let later = outcome.read.saturating_sub(outcome.considered);
    let _ = write!(
        out,
        "{} read from {}",
        count(outcome.read as u64, "event", "events"),
        crate::text::for_people(inputs.events_file)
    );
    if later > 0 {
        let _ = write!(out, "; {later} dated after {as_of} not considered");
    }
    out.push('\n');
    // A renewing term: where it stands, and why.
    let renews = inputs
        .contract
        .file
        .header
        .as_ref()
        .is_some_and(|h| h.renewal.is_some());
    if renews && let Some(term) = &outcome.term {
        let _ = write!(
            out,
            "Term: from {} through {}",
            term.days.first,
            term.days
                .last
                .map_or_else(|| "no end yet".to_string(), |d| d.to_string())
        );
        let times = match term.renewals {
            0 => "not renewed".to_string(),
            1 => "renewed once".to_string(),
            n => format!("renewed {n} times"),
        };
        match (term.stopped_by, term.notice_by) {
            (Some(seq), _) => {
                let _ = write!(
                    out,
                    ", {times}; no further renewal: notice given by {}",
                    inputs.event_text(seq)
                );
            }
            (None, Some(by)) => {
                let _ = write!(out, ", {times}; it renews unless notice is given by {by}");
            }
            (None, None) => {
                let _ = write!(out, ", {times}");
            }
        }
        out.push('\n');
    }
    out.push('\n');

    if !outcome.suspensions.is_empty() {
        out.push_str("Suspensions\n");
        for s in &outcome.suspensions {
            let numbers = inputs.suspended_clauses(s.clause, s.rule);
            let _ = write!(
                out,
                "  clause {} \"{}\" suspended clause{numbers} from {} ({})",
                inputs.clause_number(s.clause),
                inputs.heading_shown(s.clause),
                s.from,
                inputs.event_text(s.began_by)
            );
            match (s.until, s.ended_by) {
                (Some(until), Some(seq)) => {
                    let days = s.from.until(until).map_or(0, |span| span.get_days());
                    let last = until.yesterday().unwrap_or(until);
                    let _ = writeln!(
                        out,
                        " through {last}, ended by {}: {}",
                        inputs.event_text(seq),
                        count(u64::try_from(days).unwrap_or(0), "day", "days")
                    );
                }
                (None, _) | (_, None) => out.push_str(": STILL IN FORCE\n"),
            }
        }
        out.push('\n');
    }

    if !outcome.milestones.is_empty() {
        out.push_str("Milestones\n");
        for m in &outcome.milestones {
            let name = inputs
                .contract
                .milestone(m.milestone)
                .map_or("?", |d| d.name.node.as_str());
            match &m.reached {
                Some(r) => {
                    if r.events.is_empty() {
                        // Reached on its date, by no event.
                        let _ = writeln!(out, "  {name}: reached {}", r.date);
                    } else {
                        let events = inputs.event_list(&r.events);
                        let _ = writeln!(out, "  {name}: reached {} by {events}", r.date);
                    }
                }
                None => {
                    let _ = writeln!(out, "  {name}: not reached");
                }
            }
            for running in &m.running {
                let _ = writeln!(
                    out,
                    "    {}: {}",
                    crate::text::for_people(&running.measure),
                    running_text(running, m.reached.is_some())
                );
            }
        }
        out.push('\n');
    }

    if !outcome.obligations.is_empty() {
        out.push_str("Obligations\n");
        for o in &outcome.obligations {
            let clause = o.clause;
            let _ = write!(
                out,
                "  clause {} \"{}\": {} owes {} {}",
                inputs.clause_number(clause),
                inputs.heading_shown(clause),
                inputs.party(o.debtor),
                inputs.party(o.creditor),
                money_text(&o.amount)
            );
            if let Some(period) = o.period {
                let _ = write!(
                    out,
                    " for {}",
                    inputs.rule_period_label(clause, o.rule, period)
                );
            }
            match o.source {
                crate::eval::outcome::Source::Rule => {}
                crate::eval::outcome::Source::Shortfall => out.push_str(" as a shortfall payment"),
                crate::eval::outcome::Source::Default { missed } => {
                    let _ = write!(out, " for the default on what was due {missed}");
                }
                crate::eval::outcome::Source::Floor { floor, counted } => {
                    let _ = write!(
                        out,
                        " to make up the floor of {} (the clauses named came to {})",
                        money_text(&floor),
                        money_text(&counted)
                    );
                }
            }
            if let Some((inside, days)) = o.prorated {
                let _ = write!(
                    out,
                    " (prorated: {inside} of its {days} days in the window)"
                );
            }
            match o.due {
                Some(due) => {
                    let _ = write!(out, ", due {due}");
                }
                None => out.push_str(", not yet due"),
            }
            match (o.days_late(), o.discharged_on) {
                (Some(days), Some(paid)) => {
                    let _ = writeln!(
                        out,
                        ": {} LATE, paid in full on {paid}, {} after it was due",
                        status_word(o.status).to_uppercase(),
                        count(u64::try_from(days).unwrap_or(u64::MAX), "day", "days")
                    );
                }
                (None, _) | (_, None) => {
                    let _ = writeln!(out, ": {}", status_word(o.status).to_uppercase());
                }
            }
            if !o.paid.is_zero() && o.status != Status::Discharged {
                let _ = writeln!(
                    out,
                    "    paid so far {}",
                    money_text(&Money {
                        currency: o.amount.currency,
                        amount: o.paid
                    })
                );
            }
            if !o.events.is_empty() {
                let _ = writeln!(out, "    from {}", inputs.event_list(&o.events));
            }
            if !o.payments.is_empty() {
                let _ = writeln!(out, "    paid by {}", inputs.event_list(&o.payments));
            }
            if let Some(moved) = inputs.moved_text("due date", o.due, &o.moved) {
                let _ = writeln!(out, "    {moved}");
            }
            for capped in &o.capped {
                let _ = writeln!(out, "    {}", inputs.capped_text(capped));
            }
            if let Some(cure) = o.cure {
                let _ = writeln!(out, "    {}", inputs.cure_text(cure));
            }
            if let Some(interest) = &o.interest {
                let (from, to) = interest_dates(interest);
                let _ = writeln!(
                    out,
                    "    late interest {} on what was unpaid from {from} to {to}, at {}% a year{}, {}",
                    money_text(&interest.amount),
                    interest.yearly_percent.normalize(),
                    compounding_words(interest.compounding),
                    interest.day_count.as_str()
                );
            }
            close_finding(&mut out, inputs, || inputs.explain_obligation(o), o.rule);
        }
        out.push('\n');
    }

    if !outcome.acts.is_empty() {
        out.push_str("Obligations to act\n");
        for a in &outcome.acts {
            let action = inputs
                .contract
                .event_type(a.action)
                .map_or("?", |e| e.name.node.as_str());
            let _ = write!(
                out,
                "  clause {} \"{}\": {} must {action}",
                inputs.clause_number(a.clause),
                inputs.heading_shown(a.clause),
                inputs.actor(a.party)
            );
            match a.due {
                Some(due) => {
                    let _ = write!(out, ", due {due}");
                }
                None => out.push_str(", no due date yet"),
            }
            let late = if a.late { " (LATE)" } else { "" };
            let _ = writeln!(out, ": {}{late}", status_word(a.status).to_uppercase());
            if let Some(seq) = a.raised_by {
                let _ = writeln!(out, "    from {}", inputs.event_text(seq));
            }
            if let Some(seq) = a.done_by {
                let _ = writeln!(out, "    done by {}", inputs.event_text(seq));
            }
            if let Some(moved) = inputs.moved_text("due date", a.due, &a.moved) {
                let _ = writeln!(out, "    {moved}");
            }
            if let Some(cure) = a.cure {
                let _ = writeln!(out, "    {}", inputs.cure_text(cure));
            }
            close_finding(&mut out, inputs, || inputs.explain_act(a), a.rule);
        }
        out.push('\n');
    }

    if !outcome.permissions.is_empty() {
        out.push_str("Permitted\n");
        for p in &outcome.permissions {
            let _ = writeln!(
                out,
                "  clause {} \"{}\" permits {}, which clause {} \"{}\" would forbid",
                inputs.clause_number(p.clause),
                inputs.heading_shown(p.clause),
                inputs.event_text(p.event),
                inputs.clause_number(p.over),
                inputs.heading_shown(p.over)
            );
            close_finding(&mut out, inputs, Vec::new, inputs.statement_span(p.clause));
        }
        out.push('\n');
    }

    if !outcome.rights.is_empty() {
        out.push_str("Rights available\n");
        for r in &outcome.rights {
            let action = inputs
                .contract
                .event_type(r.action)
                .map_or("?", |e| e.name.node.as_str());
            let when = match &r.arising {
                Some(arising) => inputs.arising_text(r.clause, arising, r.window),
                None => inputs.window_text(r.clause, r.rule, Some(r.window)),
            };
            let _ = writeln!(
                out,
                "  clause {} \"{}\": {} may {action}, {when}",
                inputs.clause_number(r.clause),
                inputs.heading_shown(r.clause),
                inputs.actor(r.party),
            );
            if let Some(seq) = r.arising.and_then(|a| a.exercised_by) {
                let _ = writeln!(out, "    exercised by {}", inputs.event_text(seq));
            }
            close_finding(&mut out, inputs, Vec::new, r.rule);
        }
        out.push('\n');
    }

    if !outcome.violations.is_empty() {
        out.push_str("Violations\n");
        for v in &outcome.violations {
            let clause = v.clause;
            let word = if v.conflicting.is_some() {
                "CONFLICT"
            } else {
                "VIOLATION"
            };
            let _ = writeln!(
                out,
                "  {word} of clause {} \"{}\" by {}",
                inputs.clause_number(clause),
                inputs.heading_shown(clause),
                inputs.event_text(v.event)
            );
            if v.ground == crate::eval::outcome::Ground::NoRightArisen {
                let _ = writeln!(
                    out,
                    "    no right to it on {}: the right lasts only while an obligation of clause {} is in default (unperformed after its due date, or after its cure period), and none was on that day",
                    v.window.first,
                    inputs.clause_number(clause)
                );
            }
            for span in &v.carve_outs {
                let _ = writeln!(
                    out,
                    "    carve-out considered, did not apply: {}",
                    inputs.source_text(*span)
                );
            }
            for exception in &v.exceptions {
                let _ = writeln!(
                    out,
                    "    exception considered, did not apply: clause {} \"{}\"",
                    inputs.clause_number(*exception),
                    inputs.heading_shown(*exception)
                );
            }
            if let Some(other) = v.conflicting {
                let _ = writeln!(
                    out,
                    "    clause {} \"{}\" permits it, and neither clause is an exception to the other",
                    inputs.clause_number(other),
                    inputs.heading_shown(other)
                );
            }
            close_finding(&mut out, inputs, || inputs.explain_violation(v), v.rule);
        }
        out.push('\n');
    }

    if !outcome.entitlements.is_empty() {
        out.push_str("Entitlements\n");
        for e in &outcome.entitlements {
            let (covered, reason) = coverage_words(inputs, &e.coverage);
            let reason = crate::text::for_people(&reason);
            let _ = writeln!(
                out,
                "  clause {} \"{}\": {} {} {} by {}: {reason}",
                inputs.clause_number(e.clause),
                inputs.heading_shown(e.clause),
                inputs.event_text(e.event),
                if covered {
                    "is granted to"
                } else {
                    "is not granted to"
                },
                inputs.actor(e.grantee),
                inputs.actor(e.grantor),
            );
            if inputs.explain {
                close_finding(&mut out, inputs, || inputs.explain_entitlement(e), e.rule);
            }
        }
        out.push('\n');
    }

    if !outcome.assets.is_empty() {
        out.push_str("Assets\n");
        for a in &outcome.assets {
            let share = if a.share == Decimal::ONE_HUNDRED {
                "an asset owned by".to_string()
            } else {
                format!("an asset, {}% of which is owned by", a.share.normalize())
            };
            let passed = match a.passed.last() {
                Some(p) => match p.event {
                    Some(seq) if seq == a.made_by => ", title passed as it was made".to_string(),
                    Some(seq) => format!(", title passed by {}", inputs.event_text(seq)),
                    None => format!(", title passed on {}", p.date),
                },
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "  clause {} \"{}\": {} made {share} {}{passed}",
                inputs.clause_number(a.clause),
                inputs.heading_shown(a.clause),
                inputs.event_text(a.made_by),
                inputs.party(a.owner),
            );
            if inputs.explain {
                close_finding(&mut out, inputs, || inputs.explain_asset(a), a.rule);
            }
        }
        out.push('\n');
    }

    if !outcome.commitments.is_empty() {
        out.push_str("Commitments\n");
        for c in &outcome.commitments {
            let as_money = |amount: Decimal| match &c.target {
                Val::Money(m) => money_text(&Money {
                    currency: m.currency,
                    amount,
                }),
                _ => decimal_text(amount, 0),
            };
            let target = match &c.target {
                Val::Money(m) => money_text(m),
                Val::Number(n) => decimal_text(*n, 0),
                _ => String::new(),
            };
            let standing = match (c.status, c.deadline) {
                (CommitmentStatus::Met(day), _) => format!("met on {day}"),
                (CommitmentStatus::Breached(day), _) => format!(
                    "{} short at the deadline {day}: BREACHED",
                    as_money(c.remaining)
                ),
                (CommitmentStatus::Open, Some(day)) => {
                    format!("{} remains, to be reached by {day}", as_money(c.remaining))
                }
                (CommitmentStatus::Open, None) => format!("{} remains", as_money(c.remaining)),
            };
            let period = c.period.map_or_else(String::new, |p| {
                format!(" for {}", inputs.period_label(c.clause, p))
            });
            let _ = writeln!(
                out,
                "  clause {} \"{}\": {} has fulfilled {} of {}{period}; {standing}",
                inputs.clause_number(c.clause),
                inputs.heading_shown(c.clause),
                inputs.party(c.party),
                as_money(c.fulfilled),
                target,
            );
        }
        out.push('\n');
    }

    if !outcome.cap_tables.is_empty() {
        out.push_str("Cap tables\n");
        for t in &outcome.cap_tables {
            let complete = if t.complete {
                ", declared complete"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {}: stakes add up to {}%{complete}",
                inputs.party(t.entity),
                decimal_text(t.total, 0)
            );
            for s in &t.stakes {
                let _ = write!(
                    out,
                    "    {} holds {}% (clause {})",
                    inputs.party(s.holder),
                    decimal_text(s.percent, 0),
                    inputs.clause_number(s.clause)
                );
                if let (Some(v), Some(implied)) = (s.valuation, s.implied_entity_value) {
                    let rounded = Money {
                        currency: implied.currency,
                        amount: implied.amount.round_dp(2),
                    };
                    let _ = write!(
                        out,
                        ", valued at {}, implying {} for the whole",
                        money_text(&v),
                        money_text(&rounded)
                    );
                }
                out.push('\n');
            }
        }
        out.push('\n');
    }

    if !outcome.accounts.is_empty() {
        out.push_str("Accounts\n");
        for statement in &outcome.accounts {
            let Some(account) = inputs.account(statement) else {
                continue;
            };
            let label = account.label.as_ref().map_or_else(String::new, |l| {
                format!(" \"{}\"", crate::text::for_people(&l.node))
            });
            let standing = match (statement.balance, outcome.as_of) {
                (Some(balance), Some(as_of)) => format!(
                    "{} at the end of {as_of}; opened at {} on {}",
                    money_text(&balance),
                    money_text(&statement.opening),
                    statement.opens
                ),
                (Some(balance), None) => format!(
                    "{}; opened at {} on {}",
                    money_text(&balance),
                    money_text(&statement.opening),
                    statement.opens
                ),
                (None, _) => format!(
                    "not open yet; opens at {} on {}",
                    money_text(&statement.opening),
                    statement.opens
                ),
            };
            let _ = writeln!(out, "  {}{label}: {standing}", account.name.node);
            for entry in &statement.entries {
                let _ = writeln!(
                    out,
                    "    {} {} by {} {}: {}",
                    entry.date,
                    entry.direction.word(),
                    money_text(&entry.amount),
                    inputs.movement_when(account, entry),
                    money_text(&entry.balance)
                );
                if inputs.explain {
                    for line in inputs.explain_entry(account, entry) {
                        let _ = writeln!(out, "      why: {line}");
                    }
                }
                if inputs.locations
                    && let Some(movement) = account.movements.get(entry.movement)
                {
                    let _ = writeln!(out, "      --> {}", inputs.location(movement.span));
                }
            }
        }
        out.push('\n');
    }

    let summary = super::json::summary_json(outcome);
    let n = |key: &str| summary.get(key).and_then(Json::as_u64).unwrap_or(0);
    let _ = write!(
        out,
        "{} ({} open, {} discharged, {} overdue",
        count(n("obligations"), "obligation", "obligations"),
        n("open"),
        n("discharged"),
        n("overdue"),
    );
    if n("discharged_late") > 0 {
        let _ = write!(out, ", {} paid late", n("discharged_late"));
    }
    out.push_str("), ");
    if n("acts") > 0 {
        let _ = write!(
            out,
            "{} ({} overdue",
            count(n("acts"), "obligation to act", "obligations to act"),
            n("acts_overdue")
        );
        if n("acts_late") > 0 {
            let _ = write!(out, ", {} done late", n("acts_late"));
        }
        out.push_str("), ");
    }
    let _ = write!(
        out,
        "{}, {}",
        count(n("violations"), "violation", "violations"),
        count(n("conflicts"), "conflict", "conflicts")
    );
    if n("commitments_breached") > 0 {
        let _ = write!(
            out,
            ", {}",
            count(
                n("commitments_breached"),
                "commitment breached",
                "commitments breached"
            )
        );
    }
    out.push('\n');
    out
}

/// The first and last day late interest ran.
pub(super) fn interest_dates(interest: &crate::eval::outcome::InterestAccrued) -> (String, String) {
    let day = |d: Option<jiff::civil::Date>| d.map_or_else(String::new, |d| d.to_string());
    (
        day(interest.stretches.first().map(|s| s.0)),
        day(interest.stretches.last().map(|s| s.1)),
    )
}

/// `USD 99,999.99 of USD 100,000.00 so far`, `3 of 3`: how far a running
/// total or count has come (when its milestone was reached, by another
/// part perhaps, it stopped counting then).
fn running_text(running: &crate::eval::outcome::RunningSum, milestone_reached: bool) -> String {
    use crate::eval::outcome::RunningUnit;
    let amount = |value| match running.unit {
        RunningUnit::Money(currency) => super::money_text(&crate::ast::Money {
            currency,
            amount: value,
        }),
        RunningUnit::Number | RunningUnit::Events => super::decimal_text(value, 0),
        RunningUnit::Percent => format!("{}%", super::decimal_text(value, 0)),
        RunningUnit::Days if value == rust_decimal::Decimal::ONE => "1 day".to_string(),
        RunningUnit::Days => format!("{} days", super::decimal_text(value, 0)),
        RunningUnit::Months if value == rust_decimal::Decimal::ONE => "1 month".to_string(),
        RunningUnit::Months => format!("{} months", super::decimal_text(value, 0)),
    };
    format!(
        "{} of {}{}",
        amount(running.so_far),
        amount(running.threshold),
        if running.reached || milestone_reached {
            ""
        } else {
            " so far"
        }
    )
}
