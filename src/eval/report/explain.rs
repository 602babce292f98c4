//! The reasoning behind each finding, line by line, in the order it was
//! weighed: what `--explain` adds to the text and to the JSON.

use super::*;
use crate::ast::{Money, Span};
use crate::eval::event::Looked;
use crate::eval::outcome::{
    Act, AssetShare, Coverage, Entitlement, Ground, Obligation, Status, Violation,
};

/// `: counted from 2026-04-01` (and `; 2026-05-01` for each further
/// suspension), the first suspended day each counted.
fn counted_from(moved: &[crate::eval::outcome::Moved]) -> String {
    let days: Vec<String> = moved.iter().map(|m| m.counted_from.to_string()).collect();
    if days.is_empty() {
        String::new()
    } else {
        format!(": counted from {}", days.join("; "))
    }
}

impl Inputs<'_> {
    /// The running totals and picks written in a rule, each with its value
    /// as the event came: `as #5 order 2026-02-02 came, \`total order.units in the
    /// same month\` = 11,000`.
    fn running_lines(&self, rule: Span, seq: usize) -> Vec<String> {
        let Some(note) = self.event(seq) else {
            return Vec::new();
        };
        let inside =
            |outer: Span, inner: Span| outer.start <= inner.start && inner.end <= outer.end;
        // The conditions of the running totals: one written there is worked
        // out for the events the total looks at, not for this one, and is
        // left out, with any definition used only there.
        let filters: Vec<Span> = self
            .contract
            .symbols
            .running
            .iter()
            .filter_map(|total| total.aggregate.aggregate()?.0.filter().map(|f| f.span))
            .collect();
        // The definitions the rule uses about this event (and those they
        // use): a running total written in one is shown with its name.
        let definitions = self.definitions_used(rule, &filters);
        let mut found: Vec<(Option<usize>, String, &Looked)> = self
            .contract
            .symbols
            .running
            .iter()
            .zip(&note.running)
            .filter_map(|(total, value)| {
                // Those written in the rule in the order they were worked
                // out; then those of its definitions, in the order written.
                let (order, shown) = if inside(rule, total.span) {
                    (None, format!("`{}`", self.source_text(total.span)))
                } else {
                    let (name, _) = definitions
                        .iter()
                        .find(|(_, body)| inside(*body, total.span))?;
                    (
                        Some(total.span.start),
                        format!("`{}` in `{name}`", self.source_text(total.span)),
                    )
                };
                (!filters.iter().any(|&f| inside(f, total.span))).then_some((order, shown, value))
            })
            .collect();
        found.sort_by_key(|(order, _, _)| *order);
        found
            .into_iter()
            .map(|(_, shown, value)| match value {
                Looked::Value(value) => format!(
                    "as {} came, {shown} = {}",
                    self.event_text(seq),
                    crate::eval::sums::shown(value)
                ),
                Looked::Nothing => format!(
                    "as {} came, {shown} had no event to pick from",
                    self.event_text(seq),
                ),
                Looked::Unknown(_) => {
                    format!("as {} came, {shown} was not known", self.event_text(seq))
                }
            })
            .collect()
    }

    /// The definitions the rule written at `rule` uses about the event in
    /// view, directly or through other definitions (not only inside one of
    /// the `filters`, the conditions of running totals, which are about
    /// other events): each name with where its body is written.
    fn definitions_used(&self, rule: Span, filters: &[Span]) -> Vec<(&str, Span)> {
        let file = &self.contract.file;
        let Some(statement) = file
            .clauses
            .iter()
            .flat_map(|c| &c.statements)
            .find(|s| s.span() == rule)
        else {
            return Vec::new();
        };
        // A payment for each period adds up its definitions' totals over
        // the period, not as an event came.
        if let crate::ast::Statement::Pay(pay) = statement
            && matches!(
                pay.recurrence,
                Some(
                    crate::ast::Recurrence::EachPeriod(_)
                        | crate::ast::Recurrence::EachPeriodField(_)
                )
            )
        {
            return Vec::new();
        }
        let inside =
            |outer: Span, inner: Span| outer.start <= inner.start && inner.end <= outer.end;
        let text = self.source.text();
        let mut found: Vec<(&str, Span)> = Vec::new();
        let mut regions = vec![rule];
        while let Some(region) = regions.pop() {
            for (word, at) in words_in(text, region) {
                if filters.iter().any(|&f| inside(f, at)) {
                    continue;
                }
                let Some(definition) = self.contract.definition_named(word) else {
                    continue;
                };
                if found.iter().any(|(n, _)| *n == definition.name.node) {
                    continue;
                }
                found.push((definition.name.node.as_str(), definition.body.span()));
                regions.push(definition.body.span());
            }
        }
        found
    }

    /// The reasoning behind a share of an asset: who owned it first, and
    /// each passing of title since.
    pub(super) fn explain_asset(&self, a: &AssetShare) -> Vec<String> {
        let mut lines = vec![self.rule_line(a.clause, a.rule)];
        lines.push(format!(
            "{} made the asset; {} owned {}% of it",
            self.event_text(a.made_by),
            self.party(a.first_owner),
            a.share.normalize()
        ));
        lines.extend(self.running_lines(a.rule, a.made_by));
        for p in &a.passed {
            lines.push(match p.event {
                Some(seq) if seq == a.made_by => {
                    format!("title passed to {} as the asset was made", self.party(p.to))
                }
                Some(seq) => format!(
                    "{} passed title to {}",
                    self.event_text(seq),
                    self.party(p.to)
                ),
                None => format!("title passed to {} on {}", self.party(p.to), p.date),
            });
        }
        lines
    }

    /// The reasoning behind an entitlement: the window, then each carve-out
    /// and exception in the order they are weighed, down to the one that
    /// decided.
    pub(super) fn explain_entitlement(&self, e: &Entitlement) -> Vec<String> {
        let event = self.event_text(e.event);
        let day = self.event(e.event).map(|n| n.date);
        let mut lines = vec![self.rule_line(e.clause, e.rule)];
        if let Some(seq) = e.passed_by {
            lines.push(format!(
                "{} passed the grant to {}, its grantee from then on",
                self.event_text(seq),
                self.actor(e.grantee)
            ));
        }
        lines.extend(self.group_line(e.clause, e.rule, e.event));
        lines.push(format!(
            "{event} produces an asset the grant's scope names; window: {}",
            self.window_text(e.clause, e.rule, e.window)
        ));
        if e.coverage == Coverage::OutsideWindow {
            lines.push(match day {
                Some(day) => format!("{day} is outside the window: not granted"),
                None => "the event is outside the window: not granted".to_string(),
            });
            return lines;
        }
        lines.push("the event falls inside the window".to_string());
        let grant = self.clause(e.clause).and_then(|c| {
            c.statements
                .iter()
                .find_map(crate::ast::Statement::as_grant)
        });
        for carve_out in grant.map_or(&[][..], |g| g.carve_outs.as_slice()) {
            if e.coverage == Coverage::CarvedOut(carve_out.span) {
                lines.push(format!(
                    "carve-out `{}` holds for it: not granted",
                    self.source_text(carve_out.span)
                ));
                return lines;
            }
            lines.push(format!(
                "carve-out `{}` does not hold for it",
                self.source_text(carve_out.span)
            ));
        }
        for &exception in self.contract.exceptions_to(e.clause) {
            if e.coverage == (Coverage::Excluded { clause: exception }) {
                lines.push(format!(
                    "clause {} (\"{}\") is an exception to clause {} and excludes it: not granted",
                    self.clause_number(exception),
                    self.heading_shown(exception),
                    self.clause_number(e.clause)
                ));
                return lines;
            }
            lines.push(format!(
                "clause {} (\"{}\") is an exception to clause {}, but does not exclude it",
                self.clause_number(exception),
                self.heading_shown(exception),
                self.clause_number(e.clause)
            ));
        }
        lines.push("nothing takes it out: granted".to_string());
        lines
    }

    /// The reasoning behind an obligation to act: when it arose, when it
    /// is due, and what performed it.
    pub(super) fn explain_act(&self, a: &Act) -> Vec<String> {
        let mut lines = vec![self.rule_line(a.clause, a.rule)];
        lines.push(format!(
            "window: {}",
            self.window_text(a.clause, a.rule, a.window)
        ));
        lines.push(match a.raised_by {
            Some(seq) => format!("arose on {}, raised by {}", a.raised, self.event_text(seq)),
            None => format!("arose on {}, when the window opened", a.raised),
        });
        let written = self
            .clause(a.clause)
            .and_then(|c| {
                c.statements
                    .iter()
                    .filter(|s| s.span() == a.rule)
                    .find_map(|s| s.as_duty().and_then(|duty| duty.due.as_ref()))
            })
            .map(|due| match due {
                crate::ast::Due::On(d) => self.source_text(d.span),
                crate::ast::Due::After { delay, anchor } => {
                    self.source_text(Span::new(delay.span.start, anchor.span.end))
                }
            });
        let then_moved = if a.moved.is_empty() {
            ""
        } else {
            ", then moved by a suspension"
        };
        lines.push(match (a.due, written) {
            (Some(due), Some(written)) => format!("due {due}: {written}{then_moved}"),
            (Some(due), None) => format!("due {due}"),
            (None, _) => {
                "no due date (none written, or it counts from a milestone not yet reached)"
                    .to_string()
            }
        });
        let as_of = self.outcome.as_of;
        if let Some(moved) = self.moved_text("due date", a.due, &a.moved) {
            lines.push(format!(
                "{moved}; suspended days count from the later of the suspension's first day and the day the obligation arose{}",
                counted_from(&a.moved)
            ));
        }
        lines.push(match (a.done_by, a.due) {
            (Some(seq), Some(due)) if a.late => {
                format!("performed by {}, after {due}: late", self.event_text(seq))
            }
            (Some(seq), _) => format!(
                "performed by {}, the first such event of {} on or after the day it arose",
                self.event_text(seq),
                self.actor(a.party)
            ),
            (None, Some(due)) if a.status == Status::Overdue => format!(
                "not performed, and {due} is before the as-of date{}: overdue",
                as_of.map_or_else(String::new, |d| format!(" {d}"))
            ),
            (None, _) => "not performed yet, and not yet overdue".to_string(),
        });
        if let Some(cure) = a.cure {
            lines.push(self.cure_text(cure));
        }
        lines
    }

    /// The reasoning behind a payment obligation, line by line.
    pub(super) fn explain_obligation(&self, o: &Obligation) -> Vec<String> {
        let mut lines = vec![format!(
            "rule: `{}` (clause {})",
            self.source_text(o.rule),
            self.clause_number(o.clause)
        )];
        // A shortfall payment has no window of its own: its commitment's
        // deadline, in its working, says when it arose.
        if o.source == crate::eval::outcome::Source::Rule {
            lines.push(format!(
                "window: {}",
                self.window_text(o.clause, o.rule, o.window)
            ));
        }
        if let Some(period) = o.period {
            lines.push(format!(
                "period: {} ({} to {})",
                self.rule_period_label(o.clause, o.rule, period),
                period.first,
                period.last
            ));
        }
        if !o.events.is_empty() {
            lines.push(format!("counted: {}", self.event_list(&o.events)));
        }
        if let [event] = o.events.as_slice() {
            lines.extend(self.running_lines(o.rule, *event));
        }
        for step in &o.working {
            lines.push(format!("working: {step}"));
        }
        if let Some((inside, days)) = o.prorated {
            lines.push(format!(
                "the period is only partly in the window: the amount is prorated, {inside} of its {days} days"
            ));
        }
        match &o.rounding {
            Some(how) => lines.push(format!(
                "amount: {} before rounding; rounded {how}: {}",
                money_text(&o.unrounded),
                money_text(o.capped.first().map_or(&o.amount, |c| &c.before))
            )),
            None => lines.push(format!("amount: {}, not rounded", money_text(&o.unrounded))),
        }
        for capped in &o.capped {
            let left = Money {
                currency: capped.cap.currency,
                amount: capped
                    .cap
                    .amount
                    .checked_sub(capped.earlier.amount)
                    .unwrap_or(Decimal::ZERO)
                    .max(Decimal::ZERO),
            };
            lines.push(format!(
                "capped: `{}` (clause {}): of the {} cap{}, {} was owed before this, leaving {}: reduced from {} to {}",
                self.source_text(capped.rule),
                self.clause_number(capped.clause),
                money_text(&capped.cap),
                self.capped_period(capped)
                    .map_or_else(|| " over the whole contract".to_string(), |label| format!(" for {label}")),
                money_text(&capped.earlier),
                money_text(&left),
                money_text(&capped.before),
                money_text(&left)
            ));
        }
        match o.due {
            Some(due) if !o.moved.is_empty() => {
                lines.push(format!("due: {due}, moved by a suspension"));
            }
            Some(due) => lines.push(format!("due: {due}")),
            None => lines.push("due: not yet, it counts from a milestone not reached".to_string()),
        }
        if let Some(moved) = self.moved_text("due date", o.due, &o.moved) {
            lines.push(format!(
                "{moved}; suspended days count from the later of the suspension's first day and the day the payment could first be made{}",
                counted_from(&o.moved)
            ));
        }
        let paid = Money {
            currency: o.amount.currency,
            amount: o.paid,
        };
        lines.push(format!(
            "paid: {} of {}",
            money_text(&paid),
            money_text(&o.amount)
        ));
        let as_of = self
            .outcome
            .as_of
            .map_or_else(String::new, |d| d.to_string());
        lines.push(match o.status {
            Status::Discharged => match (o.discharged_on, o.days_late()) {
                (Some(paid), Some(days)) => format!(
                    "status: discharged late, paid in full on {paid}, {} after it was due on {}",
                    count(u64::try_from(days).unwrap_or(u64::MAX), "day", "days"),
                    o.due.map_or_else(String::new, |d| d.to_string())
                ),
                (Some(paid), None) => format!("status: discharged, paid in full on {paid}"),
                (None, _) => "status: discharged, paid in full".to_string(),
            },
            Status::Overdue => format!(
                "status: overdue, not paid in full and due {} before the as-of date {as_of}",
                o.due.map_or_else(String::new, |d| d.to_string())
            ),
            Status::Open => format!("status: open, not yet due on {as_of}"),
        });
        if let Some(cure) = o.cure {
            lines.push(self.cure_text(cure));
        }
        if let Some(interest) = &o.interest {
            let money = |amount: rust_decimal::Decimal| {
                money_text(&Money {
                    currency: o.amount.currency,
                    amount,
                })
            };
            let year = interest.day_count.days_in_year();
            for (from, to, unpaid, days) in &interest.stretches {
                let earned = unpaid
                    .checked_mul(interest.yearly_percent)
                    .and_then(|v| v.checked_mul((*days).into()))
                    .and_then(|v| v.checked_div((year * 100).into()))
                    .unwrap_or_default();
                lines.push(format!(
                    "late interest: {} {} from {from} to {to}, {} ({}) at {}% a year: {} × {}% × {days} ÷ {year} = {}",
                    money(*unpaid),
                    if interest.compounding.is_some() {
                        "bearing interest (unpaid, and interest compounded so far)"
                    } else {
                        "unpaid"
                    },
                    count(u64::try_from(*days).unwrap_or(0), "day", "days"),
                    interest.day_count.as_str(),
                    interest.yearly_percent.normalize(),
                    money(*unpaid),
                    interest.yearly_percent.normalize(),
                    money(earned),
                ));
            }
            let how = o
                .rounding
                .as_deref()
                .map_or_else(|| "not rounded".to_string(), |how| format!("rounded {how}"));
            lines.push(format!(
                "late interest: {} in all; {how}: {}",
                money(interest.unrounded),
                money_text(&interest.amount)
            ));
        }
        lines
    }

    /// The reasoning behind a violation or a conflict, line by line.
    pub(super) fn explain_violation(&self, v: &Violation) -> Vec<String> {
        let mut lines = vec![format!(
            "rule: `{}` (clause {})",
            self.source_text(v.rule),
            self.clause_number(v.clause)
        )];
        match v.ground {
            Ground::Prohibited => {}
            Ground::NoRightArisen => {
                lines.push(format!(
                    "{} is the act this right permits, but the right lasts only while an obligation of clause {} is in default (not performed in full by its due date, or by the end of its cure period, and not yet performed that day), and none was on {}",
                    self.event_text(v.event),
                    self.clause_number(v.clause),
                    v.window.first
                ));
                lines.push("no other rule of the contract permits it: a violation".to_string());
                return lines;
            }
        }
        lines.extend(self.group_line(v.clause, v.rule, v.event));
        lines.push(format!(
            "{} matches the rule and falls in its window, {}",
            self.event_text(v.event),
            self.window_text(v.clause, v.rule, Some(v.window))
        ));
        lines.extend(self.running_lines(v.rule, v.event));
        for span in &v.carve_outs {
            lines.push(format!(
                "carve-out `{}` does not hold for it",
                self.source_text(*span)
            ));
        }
        for exception in &v.exceptions {
            lines.push(format!(
                "clause {} (\"{}\") is an exception to this clause, but none of its rules applies to this event",
                self.clause_number(*exception),
                self.heading_shown(*exception)
            ));
        }
        lines.push(match v.conflicting {
            Some(other) => format!(
                "clause {} permits the same event and is not an exception to clause {} (nor the reverse): neither takes priority, so proviso reports the conflict instead of choosing",
                self.clause_number(other),
                self.clause_number(v.clause)
            ),
            None => "nothing permits it: a violation".to_string(),
        });
        lines
    }
}

/// The words (names) written in `region` of a clause file, with where each
/// is, leaving out quoted text and comments: a name a definition shares
/// with no field or declaration is a use of it.
fn words_in(text: &str, region: Span) -> Vec<(&str, Span)> {
    let Some(part) = text.get(region.start..region.end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut chars = part.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            // Quoted text, `"..."` or `"""..."""`: up to the closing quote.
            '"' => {
                let triple = part.get(i..).is_some_and(|rest| rest.starts_with("\"\"\""));
                let close = if triple { "\"\"\"" } else { "\"" };
                let from = i + if triple { 3 } else { 1 };
                let end = part
                    .get(from..)
                    .and_then(|rest| rest.find(close))
                    .map_or(part.len(), |at| from + at + close.len());
                while chars.peek().is_some_and(|&(j, _)| j < end) {
                    chars.next();
                }
            }
            '#' => {
                while chars.peek().is_some_and(|&(_, c)| c != '\n') {
                    chars.next();
                }
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_ascii_alphanumeric() || d == '_' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                if let Some(word) = part.get(i..end) {
                    out.push((word, Span::new(region.start + i, region.start + end)));
                }
            }
            _ => {}
        }
    }
    out
}
