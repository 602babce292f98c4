//! What happened under the contract, as the report says it: each finding
//! in words, with its status in words as well as in colour, and its
//! reasoning (`--explain`) folded under it.
//!
//! The findings are read from the JSON report (`proviso.report/1`), the
//! documented form of the evaluation, so that the page says exactly what
//! `proviso eval --format json --explain` says. `SECTIONS` names every
//! part of that report and where the page shows it; a test fails when the
//! report gains a part the page does not place.

use maud::{Markup, html};
use rust_decimal::Decimal;
use serde_json::Value as Json;

use super::charts::{self, PeriodAmounts};
use super::reading::{account_anchor, clause_anchor, milestone_anchor, party_anchor};
use super::{amount, user};
use crate::model::Checked;

/// Every top-level part of the JSON report, and where the page shows it.
pub const SECTIONS: &[(&str, &str)] = &[
    ("schema", "not shown: the report's version"),
    ("contract", "the header: title and term as it stands"),
    (
        "events",
        "the status line: the event file, events read and considered",
    ),
    ("as_of", "the status line"),
    ("summary", "the summary table"),
    ("milestones", "Milestones"),
    (
        "obligations",
        "Payments owed, and the chart of amounts per period",
    ),
    ("acts", "Obligations to act"),
    ("violations", "Violations"),
    ("permissions", "Permitted by an exception"),
    ("rights", "Rights available"),
    ("entitlements", "Entitlements"),
    ("commitments", "Commitments"),
    (
        "cap_tables",
        "the cap table under each clause that declares holdings",
    ),
    ("suspensions", "Suspensions"),
    ("accounts", "Accounts: each balance and its movements"),
    ("assets", "Assets: who owns each share of what was made"),
];

fn text<'a>(value: &'a Json, key: &str) -> &'a str {
    value.get(key).and_then(Json::as_str).unwrap_or("")
}

fn opt<'a>(value: &'a Json, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Json::as_str)
}

fn list<'a>(value: &'a Json, key: &str) -> &'a [Json] {
    value
        .get(key)
        .and_then(Json::as_array)
        .map_or(&[][..], Vec::as_slice)
}

fn decimal(value: &Json, key: &str) -> Decimal {
    opt(value, key)
        .and_then(|t| t.parse::<Decimal>().ok())
        .unwrap_or(Decimal::ZERO)
}

/// `USD 2,000,000.00`, from an amount and a currency field; a count (no
/// currency) as the number it is.
fn money(value: &Json, key: &str) -> String {
    match opt(value, "currency") {
        Some(currency) => format!("{currency} {}", amount(decimal(value, key))),
        None => crate::eval::report::decimal_text(decimal(value, key), 0),
    }
}

/// How far a running total or count has come: `USD 99,999.99 of USD
/// 100,000.00 so far`, `3 of 3`.
fn running_progress(running: &Json, milestone_reached: bool) -> String {
    let shown = |key: &str| {
        let n = decimal(running, key);
        let number = crate::eval::report::decimal_text(n, 0);
        match text(running, "unit") {
            "money" => money(running, key),
            "percent" => format!("{number}%"),
            "days" if n == Decimal::ONE => "1 day".to_string(),
            "months" if n == Decimal::ONE => "1 month".to_string(),
            "days" => format!("{number} days"),
            "months" => format!("{number} months"),
            _ => number,
        }
    };
    let reached = running
        .get("reached")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    format!(
        "{} of {}{}",
        shown("so_far"),
        shown("threshold"),
        if reached || milestone_reached {
            ""
        } else {
            " so far"
        }
    )
}

/// The words and class of a status.
fn status(word: &str) -> (&str, &'static str) {
    match word {
        "discharged" => ("discharged", "status-discharged"),
        "overdue" => ("overdue", "status-overdue"),
        "met" => ("met", "status-discharged"),
        "breached" => ("breached", "status-overdue"),
        "violation" => ("violation", "status-overdue"),
        "conflict" => ("conflict", "status-overdue"),
        "covered" => ("covered", "status-discharged"),
        "not covered" => ("not covered", "status-neutral"),
        "reached" => ("reached", "status-discharged"),
        "not reached" => ("not reached", "status-neutral"),
        "in force" => ("in force", "status-open"),
        "ended" => ("ended", "status-neutral"),
        "available" => ("available", "status-open"),
        "permitted" => ("permitted", "status-discharged"),
        "open" => ("open", "status-open"),
        // A status this page does not know yet: shown as the report says it.
        other => (other, "status-neutral"),
    }
}

fn chip(word: &str) -> Markup {
    let (word, class) = status(word);
    html! { span class=(format!("chip {class}")) { (word.to_uppercase()) } }
}

/// `#4 serve 2026-08-01 (id serve-1)`
pub(super) fn event(value: &Json) -> String {
    let index = value.get("index").and_then(Json::as_u64).unwrap_or(0);
    let mut text = format!(
        "#{index} {} {}",
        self::text(value, "type"),
        self::text(value, "date")
    );
    if let Some(id) = opt(value, "id") {
        text.push_str(&format!(" (id {})", user(id)));
    }
    text
}

fn events(values: &[Json]) -> String {
    const SHOWN: usize = 10;
    let mut text = values
        .iter()
        .take(SHOWN)
        .map(event)
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > SHOWN {
        text.push_str(&format!(" and {} more", values.len() - SHOWN));
    }
    text
}

/// The events of a finding, as a line of the finding.
fn events_line(label: &str, values: &[Json]) -> Markup {
    html! {
        @if !values.is_empty() {
            p class="finding-events" { (label) " " (events(values)) }
        }
    }
}

/// A link to a clause, with its heading.
fn clause_link(number: &str, heading: &str) -> Markup {
    html! {
        a href=(format!("#{}", clause_anchor(number))) {
            "clause " (number)
            @if !heading.is_empty() { " “" (user(heading)) "”" }
        }
    }
}

/// The reasoning behind a finding, folded.
fn why(value: &Json) -> Markup {
    let lines = list(value, "explain");
    html! {
        @if !lines.is_empty() {
            details class="why" {
                summary { "Why" }
                ol {
                    @for line in lines {
                        li { (user(line.as_str().unwrap_or(""))) }
                    }
                }
            }
        }
    }
}

pub struct Findings<'a> {
    pub contract: &'a Checked,
    pub report: &'a Json,
}

impl Findings<'_> {
    /// A party by its legal name, linked to its definition.
    fn party(&self, name: &str) -> Markup {
        let group = self
            .contract
            .symbols
            .groups
            .get(name)
            .and_then(|&id| self.contract.group(id));
        let (shown, title) = match group {
            // A group reads as its label ("Lumen and its Affiliates").
            Some(group) => (
                group
                    .label
                    .as_ref()
                    .map_or_else(|| name.to_string(), |l| l.node.clone()),
                format!("group `{name}`"),
            ),
            None => (
                self.contract
                    .party_named(name)
                    .and_then(|id| self.contract.party(id))
                    .and_then(|p| p.legal_name.as_ref())
                    .map_or_else(|| name.to_string(), |l| l.node.clone()),
                format!("party `{name}`"),
            ),
        };
        html! { a class="term" href=(format!("#{}", party_anchor(name))) title=(title) { (user(&shown)) } }
    }

    /// Every section, in the order a reader asks: what is owed, what was
    /// breached, what is held.
    pub fn sections(&self) -> Markup {
        let r = self.report;
        html! {
            (self.summary())
            (self.section("Suspensions", "suspensions", |v| self.suspension(v)))
            (self.section("Milestones", "milestones", |v| self.milestone(v)))
            (self.section("Payments owed", "obligations", |v| self.obligation(v)))
            (self.period_chart())
            (self.section("Obligations to act", "acts", |v| self.act(v)))
            (self.section("Violations", "violations", |v| self.violation(v)))
            (self.section("Permitted by an exception", "permissions", |v| self.permitted(v)))
            (self.section("Rights available", "rights", |v| self.right(v)))
            (self.section("Entitlements", "entitlements", |v| self.entitlement(v)))
            (self.section("Commitments", "commitments", |v| self.commitment(v)))
            (self.section("Accounts", "accounts", |v| self.account(v)))
            (self.section("Assets", "assets", |v| self.asset(v)))
            @if list(r, "obligations").is_empty() && list(r, "violations").is_empty()
                && list(r, "acts").is_empty() && list(r, "commitments").is_empty() {
                p { "No obligation, violation or commitment arose from these events." }
            }
        }
    }

    fn section(&self, heading: &str, key: &str, item: impl Fn(&Json) -> Markup) -> Markup {
        let items = list(self.report, key);
        html! {
            @if !items.is_empty() {
                section class="findings" id=(format!("findings-{key}")) aria-labelledby=(format!("findings-{key}-h")) {
                    h3 id=(format!("findings-{key}-h")) { (heading) " " span class="count" { "(" (items.len()) ")" } }
                    @for value in items { (item(value)) }
                }
            }
        }
    }

    fn summary(&self) -> Markup {
        let s = self.report.get("summary").cloned().unwrap_or(Json::Null);
        let n = |key: &str| s.get(key).and_then(Json::as_u64).unwrap_or(0);
        let rows: [(&str, u64); 14] = [
            ("Payments owed", n("obligations")),
            ("  of which open", n("open")),
            ("  of which overdue", n("overdue")),
            ("  of which paid late", n("discharged_late")),
            ("Obligations to act", n("acts")),
            ("  of which overdue", n("acts_overdue")),
            ("  of which done late", n("acts_late")),
            ("Violations", n("violations")),
            ("Conflicts", n("conflicts")),
            ("Acts permitted by an exception", n("permitted")),
            ("Rights available", n("rights")),
            ("Entitlements", n("entitlements")),
            ("Commitments breached", n("commitments_breached")),
            ("Milestones reached", n("milestones_reached")),
        ];
        html! {
            table class="summary" {
                caption { "Summary" }
                thead { tr { th scope="col" { "Finding" } th scope="col" class="num" { "Count" } } }
                tbody {
                    @for (label, count) in rows {
                        tr class=(if label.starts_with("  ") { "sub" } else { "" }) {
                            th scope="row" { (label.trim()) }
                            td class="num" { (count) }
                        }
                    }
                }
            }
        }
    }

    /// An account: where it stands, and a table of its movements with the
    /// balance after each, the reasoning folded under each.
    fn asset(&self, v: &Json) -> Markup {
        let share = text(v, "share");
        let passed = list(v, "title_passed");
        html! {
            article class="finding status-neutral" {
                p class="finding-head" {
                    (clause_link(text(v, "clause"), text(v, "heading"))) ": "
                    @if let Some(e) = v.get("made_by") { (event(e)) }
                    " made an asset; "
                    @if share != "100" { (share) "% of it is" } @else { "it is" }
                    " owned by " (self.party(text(v, "owner")))
                    @if let Some(last) = passed.last() {
                        @if last.get("event") == v.get("made_by") {
                            " (title passed as it was made)"
                        } @else if let Some(e) = last.get("event").filter(|e| !e.is_null()) {
                            " (title passed by " (event(e)) ")"
                        } @else {
                            " (title passed on " (text(last, "date")) ")"
                        }
                    }
                }
                (why(v))
            }
        }
    }

    fn account(&self, v: &Json) -> Markup {
        let name = text(v, "name");
        let currency = text(v, "currency");
        let shown = |key: &str, value: &Json| format!("{currency} {}", amount(decimal(value, key)));
        let movements = list(v, "movements");
        html! {
            article class="finding" {
                p class="finding-head" {
                    a class="term" href=(format!("#{}", account_anchor(name))) {
                        (user(opt(v, "label").unwrap_or(name)))
                    }
                    ": "
                    @match opt(v, "balance") {
                        Some(_) => {
                            strong { (shown("balance", v)) }
                            "; opened at " (shown("opening", v)) " on " (text(v, "opens"))
                        }
                        None => { "not open yet; opens at " (shown("opening", v)) " on " (text(v, "opens")) }
                    }
                }
                @if !movements.is_empty() {
                    table class="figures" {
                        caption { "Movements of " (user(name)) }
                        thead { tr {
                            th scope="col" { "Date" }
                            th scope="col" { "Movement" }
                            th scope="col" class="num" { "Amount" }
                            th scope="col" class="num" { "Balance" }
                        } }
                        tbody {
                            @for m in movements {
                                tr {
                                    td { (text(m, "date")) }
                                    td { (text(m, "direction")) " " (user(text(m, "when"))) (why(m)) }
                                    td class="num" { (shown("amount", m)) }
                                    td class="num" { (shown("balance", m)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    fn milestone(&self, v: &Json) -> Markup {
        let name = text(v, "name");
        let reached = v.get("reached").and_then(Json::as_bool).unwrap_or(false);
        html! {
            article class="finding" {
                p class="finding-head" {
                    (chip(if reached { "reached" } else { "not reached" })) " "
                    a class="term" href=(format!("#{}", milestone_anchor(name))) {
                        (user(opt(v, "label").unwrap_or(name)))
                    }
                    @if let Some(date) = opt(v, "date") { ": reached " (date) }
                }
                @for running in list(v, "running") {
                    p class="finding-detail" {
                        code { (user(text(running, "measure"))) } ": " (running_progress(running, reached))
                    }
                }
                (events_line("by", list(v, "events")))
            }
        }
    }

    fn obligation(&self, v: &Json) -> Markup {
        let period = v.get("period").and_then(|p| opt(p, "label"));
        let state = text(v, "status");
        let late = v.get("days_late").and_then(Json::as_u64);
        html! {
            article class=(format!("finding {}", status(state).1)) {
                p class="finding-head" {
                    (chip(state))
                    @if let Some(days) = late { " " span class="chip status-overdue" { (format!("PAID {days} DAYS LATE")) } }
                    " " (clause_link(text(v, "clause"), text(v, "heading"))) ": "
                    (self.party(text(v, "debtor"))) " owes " (self.party(text(v, "creditor"))) " "
                    strong { (money(v, "amount")) }
                    @if let Some(period) = period { " for " (period) }
                    @match text(v, "source") {
                        "shortfall" => { " as a shortfall payment" }
                        "default" => { " as damages for a default" }
                        "rule" => {}
                        other => { " (" (other) ")" }
                    }
                    @match opt(v, "due") {
                        Some(due) => { ", due " (due) }
                        None => { ", not yet due" }
                    }
                }
                p class="finding-detail" {
                    "Paid " (money(v, "paid")) " of " (money(v, "amount"))
                    @if let Some(day) = opt(v, "discharged_on") { "; paid in full on " (day) }
                    @for c in list(v, "capped") {
                        "; reduced from " (money(&with_currency(c, v), "before"))
                        " by the cap of " (clause_link(text(c, "clause"), ""))
                        " (" (money(&with_currency(c, v), "cap"))
                        @match c.get("period").and_then(|p| opt(p, "label")) {
                            Some(label) => { " for " (label) }
                            None => { " over the whole contract" }
                        }
                        "; " (money(&with_currency(c, v), "earlier")) " owed before it)"
                    }
                    @if let Some(p) = v.get("prorated").filter(|p| !p.is_null()) {
                        "; prorated: " (p.get("days_in_window").and_then(Json::as_u64).unwrap_or(0))
                        " of its " (p.get("days_in_period").and_then(Json::as_u64).unwrap_or(0)) " days in the window"
                    }
                    @if let Some(i) = v.get("late_interest").filter(|i| !i.is_null()) {
                        "; late interest " (money(&with_currency(i, v), "amount"))
                        " at " (crate::eval::report::decimal_text(decimal(i, "yearly_percent"), 0)) "% a year ("
                        (text(i, "day_count"))
                        @if let Some(every) = opt(i, "compounding") { ", compounded " (every) }
                        ")"
                        @if let Some(to) = list(i, "stretches").last().and_then(|s| opt(s, "to")) { " to " (to) }
                    }
                    @if let Some(c) = v.get("cure").filter(|c| !c.is_null()) { (cure(c)) }
                    @for m in list(v, "due_moved") {
                        "; due date moved " (m.get("days").and_then(Json::as_i64).unwrap_or(0)) " days by the suspension in clause " (text(m, "clause"))
                    }
                    "."
                }
                (events_line("Raised by", list(v, "events")))
                (events_line("Paid by", list(v, "payments")))
                (why(v))
            }
        }
    }

    fn act(&self, v: &Json) -> Markup {
        let state = text(v, "status");
        let late = v.get("late").and_then(Json::as_bool).unwrap_or(false);
        html! {
            article class=(format!("finding {}", status(state).1)) {
                p class="finding-head" {
                    (chip(state))
                    @if late { " " span class="chip status-overdue" { "DONE LATE" } }
                    " " (clause_link(text(v, "clause"), text(v, "heading"))) ": "
                    (self.party(text(v, "party"))) " must " (super::reading::words(text(v, "action")))
                    @match opt(v, "due") {
                        Some(due) => { ", due " (due) }
                        None => { ", not yet due" }
                    }
                    @if let Some(c) = v.get("cure").filter(|c| !c.is_null()) { (cure(c)) }
                    @for m in list(v, "due_moved") {
                        "; due date moved " (m.get("days").and_then(Json::as_i64).unwrap_or(0)) " days by the suspension in clause " (text(m, "clause"))
                    }
                }
                @if let Some(e) = v.get("raised_by").filter(|e| !e.is_null()) {
                    p class="finding-events" { "Raised by " (event(e)) }
                }
                @if let Some(e) = v.get("done_by").filter(|e| !e.is_null()) {
                    p class="finding-events" { "Done by " (event(e)) }
                }
                (why(v))
            }
        }
    }

    fn violation(&self, v: &Json) -> Markup {
        let kind = text(v, "kind");
        html! {
            article class="finding status-overdue" {
                p class="finding-head" {
                    (chip(kind)) " of " (clause_link(text(v, "clause"), text(v, "heading")))
                    @if let Some(e) = v.get("event") { " by " (event(e)) }
                    @if text(v, "ground") == "no_right_arisen" { ": it claims a right that no default had given" }
                    @if let Some(other) = opt(v, "conflicting_clause") {
                        ": " (clause_link(other, "")) " also permits it, and neither prevails"
                    }
                }
                @for carve in list(v, "carve_outs_considered") {
                    p class="finding-detail" { "Carve-out considered, did not apply: " code { (user(carve.as_str().unwrap_or(""))) } }
                }
                @for exception in list(v, "exceptions_considered") {
                    p class="finding-detail" { "Exception considered, did not apply: " (clause_link(exception.as_str().unwrap_or(""), "")) }
                }
                (why(v))
            }
        }
    }

    fn permitted(&self, v: &Json) -> Markup {
        html! {
            article class="finding status-discharged" {
                p class="finding-head" {
                    (chip("permitted")) " " (clause_link(text(v, "clause"), text(v, "heading")))
                    " permits "
                    @if let Some(e) = v.get("event") { (event(e)) }
                    ", which " (clause_link(text(v, "prohibition_clause"), text(v, "prohibition_heading"))) " would forbid"
                }
            }
        }
    }

    fn right(&self, v: &Json) -> Markup {
        html! {
            article class="finding status-open" {
                p class="finding-head" {
                    (chip("available")) " " (clause_link(text(v, "clause"), text(v, "heading"))) ": "
                    (self.party(text(v, "party"))) " may " (super::reading::words(text(v, "action")))
                    " from " (text(v, "from"))
                    @match opt(v, "until") {
                        Some(until) => { " through " (until) }
                        None => { ", with no end yet" }
                    }
                }
                @if let Some(a) = v.get("arising").filter(|a| !a.is_null()) {
                    p class="finding-detail" {
                        "Arose on the default of what was due " (text(a, "due"))
                        @if let Some(day) = opt(a, "performed") { "; performed in full on " (day) }
                        @if let Some(e) = a.get("exercised_by").filter(|e| !e.is_null()) { "; exercised by " (event(e)) }
                        "."
                    }
                }
                (why(v))
            }
        }
    }

    fn entitlement(&self, v: &Json) -> Markup {
        let covered = v.get("covered").and_then(Json::as_bool).unwrap_or(false);
        html! {
            article class=(format!("finding {}", if covered { "status-discharged" } else { "status-neutral" })) {
                p class="finding-head" {
                    (chip(if covered { "covered" } else { "not covered" })) " "
                    (clause_link(text(v, "clause"), text(v, "heading"))) ": "
                    @if let Some(e) = v.get("event") { (event(e)) }
                    " granted to " (self.party(text(v, "grantee")))
                    " by " (self.party(text(v, "grantor")))
                    @if !covered { ": " (user(text(v, "reason"))) }
                }
                (why(v))
            }
        }
    }

    fn commitment(&self, v: &Json) -> Markup {
        let state = text(v, "status");
        let target = decimal(v, "target");
        let fulfilled = decimal(v, "fulfilled");
        let words = format!("{} of {}", money(v, "fulfilled"), money(v, "target"));
        html! {
            article class=(format!("finding {}", status(state).1)) {
                p class="finding-head" {
                    (chip(state)) " " (clause_link(text(v, "clause"), text(v, "heading"))) ": "
                    (self.party(text(v, "party"))) " committed " strong { (money(v, "target")) }
                    @if let Some(period) = v.get("period").and_then(|p| opt(p, "label")) { " for " (period) }
                    @match opt(v, "deadline") {
                        Some(deadline) => { " by " (deadline) }
                        None => { ", with no deadline yet" }
                    }
                    @if state == "breached" { ": " (money(v, "remaining")) " short" }
                    @if let Some(day) = opt(v, "met_on") { ": met on " (day) }
                }
                (charts::progress(fulfilled, target, &words))
                (events_line("Counted", list(v, "events")))
            }
        }
    }

    fn suspension(&self, v: &Json) -> Markup {
        let until = opt(v, "until");
        let suspends: Vec<String> = list(v, "suspends")
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect();
        html! {
            article class="finding status-open" {
                p class="finding-head" {
                    (chip(if until.is_some() { "ended" } else { "in force" })) " "
                    (clause_link(text(v, "clause"), text(v, "heading"))) " suspended "
                    @for (i, number) in suspends.iter().enumerate() {
                        @if i > 0 { ", " }
                        (clause_link(number, ""))
                    }
                    " from " (text(v, "from"))
                    @match until {
                        Some(until) => { " through " (day_before(until)) " (" (v.get("days").and_then(Json::as_i64).unwrap_or(0)) " days)" }
                        None => { ", still in force" }
                    }
                }
                @if let Some(e) = v.get("began_by").filter(|e| !e.is_null()) {
                    p class="finding-events" { "Began with " (event(e))
                        @if let Some(e) = v.get("ended_by").filter(|e| !e.is_null()) { "; ended by " (event(e)) }
                    }
                }
            }
        }
    }

    /// Owed and paid per period, for the payments that recur per period:
    /// a chart and the same figures as a table.
    fn period_chart(&self) -> Markup {
        // One chart per clause and direction of payment, so that a fee
        // and a rebate in the same quarter are never added together.
        struct Chart {
            clause: String,
            heading: String,
            debtor: String,
            creditor: String,
            currency: String,
            /// By the period's first day, then its label.
            periods: Vec<(String, PeriodAmounts)>,
        }
        let mut charts: Vec<Chart> = Vec::new();
        for o in list(self.report, "obligations") {
            let Some(period) = o.get("period").filter(|p| !p.is_null()) else {
                continue;
            };
            let (label, first) = (text(period, "label"), text(period, "first"));
            let key = (
                text(o, "clause"),
                text(o, "debtor"),
                text(o, "creditor"),
                text(o, "currency"),
            );
            let index = match charts.iter().position(|c| {
                (
                    c.clause.as_str(),
                    c.debtor.as_str(),
                    c.creditor.as_str(),
                    c.currency.as_str(),
                ) == key
            }) {
                Some(index) => index,
                None => {
                    charts.push(Chart {
                        clause: key.0.to_string(),
                        heading: text(o, "heading").to_string(),
                        debtor: key.1.to_string(),
                        creditor: key.2.to_string(),
                        currency: key.3.to_string(),
                        periods: Vec::new(),
                    });
                    charts.len() - 1
                }
            };
            let Some(chart) = charts.get_mut(index) else {
                continue;
            };
            let (owed, paid) = (decimal(o, "amount"), decimal(o, "paid"));
            match chart.periods.iter_mut().find(|(_, p)| p.label == label) {
                Some((_, p)) => {
                    p.owed = p.owed.saturating_add(owed);
                    p.paid = p.paid.saturating_add(paid);
                }
                None => chart.periods.push((
                    first.to_string(),
                    PeriodAmounts {
                        label: label.to_string(),
                        currency: chart.currency.clone(),
                        owed,
                        paid,
                    },
                )),
            }
        }
        for chart in &mut charts {
            chart
                .periods
                .sort_by(|(a, p), (b, q)| (a, &p.label).cmp(&(b, &q.label)));
        }
        html! {
            @for chart in &charts {
                @let periods: Vec<&PeriodAmounts> = chart.periods.iter().map(|(_, p)| p).collect();
                figure class="chart-figure" {
                    figcaption {
                        "Owed and paid per period under " (clause_link(&chart.clause, &chart.heading)) ", "
                        (self.party(&chart.debtor)) " to " (self.party(&chart.creditor))
                        span class="legend" { span class="key key-owed" {} "owed " span class="key key-paid" {} "paid" }
                    }
                    (charts::owed_and_paid(&periods))
                    table class="figures" {
                        thead { tr { th scope="col" { "Period" } th scope="col" class="num" { "Owed" } th scope="col" class="num" { "Paid" } } }
                        tbody {
                            @for p in &periods {
                                tr {
                                    th scope="row" { (p.label) }
                                    td class="num" { (p.currency) " " (amount(p.owed)) }
                                    td class="num" { (p.currency) " " (amount(p.paid)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where a cure period stands: `; cure period: cured on 2026-05-12 (it
/// ran from 2026-05-02 until 2026-05-12, after #7 notice ...)`.
fn cure(c: &Json) -> Markup {
    html! {
        "; cure period: " (text(c, "state").replace('_', " "))
        @if let Some(on) = opt(c, "on") { " on " (on) }
        @if let (Some(from), Some(until)) = (opt(c, "from"), opt(c, "until")) { " (from " (from) " through " (until) ")" }
        @else if let Some(until) = opt(c, "until") { " (through " (until) ")" }
        @if let Some(notice) = c.get("notice").filter(|n| !n.is_null()) { ", after notice " (event(notice)) }
    }
}

/// The day before a date as the report writes it (`until` is the first
/// day no longer suspended).
fn day_before(date: &str) -> String {
    date.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.yesterday().ok())
        .map_or_else(|| date.to_string(), |d| d.to_string())
}

/// Late interest carries no currency of its own: the obligation's.
fn with_currency(interest: &Json, obligation: &Json) -> Json {
    let mut value = interest.clone();
    if let (Some(map), Some(currency)) = (value.as_object_mut(), obligation.get("currency")) {
        map.insert("currency".to_string(), currency.clone());
    }
    value
}
