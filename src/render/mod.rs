//! `proviso render`: the contract as one self-contained HTML document a
//! client can read — the parties, each clause's wording beside its reading
//! in plain words, the defined terms, the cap table — and, given events,
//! what has happened under it (a timeline, each finding with its
//! reasoning folded under it, amounts per period), and, given an older
//! version, the change review as a redline.
//!
//! The page needs no script and fetches nothing: the style sheet and the
//! pictures (SVG) are inline. It is written with `maud`, which escapes
//! every value it is given; user text (wording, headings, names, event
//! ids) also goes through [`crate::text::for_people`], so that control and
//! direction characters are shown, not obeyed.
//!
//! `reading.rs` puts each rule in words, `findings.rs` the report,
//! `timeline.rs` and `charts.rs` the pictures, `review.rs` the redline.

mod charts;
mod findings;
pub mod reading;
mod review;
mod timeline;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use rust_decimal::Decimal;
use serde_json::Value as Json;

use crate::ast::*;
use crate::diff::{Change, Version};
use crate::eval::outcome::Outcome;
use crate::model::{Checked, ClauseId};
use crate::source::SourceFile;
use reading::{Piece, Reader};

pub use findings::SECTIONS as REPORT_SECTIONS;

/// The style sheet, inline in every page.
const STYLE: &str = include_str!("page.css");

/// What the page shows: the contract, and optionally what happened under
/// it and how it changed.
pub struct Page<'a> {
    pub contract: &'a Checked,
    pub source: &'a SourceFile,
    /// The evaluation: its outcome (for the timeline) and its JSON report
    /// with `--explain` (for the findings).
    pub report: Option<(&'a Outcome, &'a Json)>,
    /// The older version, and the changes from it.
    pub review: Option<(Version<'a>, &'a [Change])>,
}

/// User text, safe to show: control and direction characters escaped
/// (maud escapes the markup).
pub(crate) fn user(text: &str) -> String {
    crate::text::for_people(text).into_owned()
}

/// An amount with thousands separators and two decimals at least.
pub(crate) fn amount(value: Decimal) -> String {
    crate::eval::report::decimal_text(value, 2)
}

/// The page, as one HTML document.
pub fn render(page: &Page<'_>) -> String {
    let contract = page.contract;
    let title = contract
        .file
        .header
        .as_ref()
        .map_or_else(|| "Contract".to_string(), |h| h.title.node.clone());
    let mut reader = Reader::new(contract);
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("proviso {}", env!("CARGO_PKG_VERSION")));
                title { (user(&title)) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header class="masthead" {
                    h1 { (user(&title)) }
                    @if let Some(header) = &contract.file.header {
                        p class="header-reading" { (pieces(&reader.header(header))) }
                    }
                    p class="source" { "From " code { (user(page.source.name())) } }
                }
                nav aria-label="Contents" { (contents(page)) }
                main {
                    (parties(contract))
                    @if let Some((old, changes)) = page.review {
                        (review::review(old, Version { checked: contract, source: page.source }, changes))
                    }
                    @if let Some((outcome, json)) = page.report {
                        (status(contract, outcome, json))
                    } @else {
                        section id="timeline" aria-labelledby="timeline-h" {
                            h2 id="timeline-h" { "Timeline" }
                            p { "The term and when each rule applies, as they stand with nothing having happened: a window that ends at a milestone runs to the end of the term, and one that starts at a milestone is not drawn. Render with events to see them as the events have it." }
                            @if let Some(svg) = timeline::timeline(contract, None) { figure class="timeline-figure" { (svg) } }
                        }
                    }
                    section id="clauses" aria-labelledby="clauses-h" {
                        h2 id="clauses-h" { "Clauses" }
                        @for (id, clause) in contract.clauses() {
                            (clause_section(contract, &mut reader, id, clause, page.review.map(|(_, c)| c)))
                        }
                    }
                    (definitions(contract, &mut reader, page.report.map(|(o, _)| o)))
                }
                footer {
                    p { "Rendered by proviso " (env!("CARGO_PKG_VERSION")) " from " code { (user(page.source.name())) }
                        @if let Some((outcome, _)) = page.report { @if let Some(day) = outcome.as_of { ", as of " (day.to_string()) } }
                        ". The plain-words readings are generated from the clause file; the quoted wording is the contract's own." }
                }
            }
        }
    };
    markup.into_string()
}

/// Wording that runs over several lines, each line shown safely, with
/// its line breaks kept.
fn lines(text: &str) -> Markup {
    html! {
        @for (i, line) in text.lines().enumerate() {
            @if i > 0 { br; }
            (user(line))
        }
    }
}

/// A reading, with each defined term linked to its definition.
fn pieces(pieces: &[Piece]) -> Markup {
    html! {
        @for piece in pieces {
            @match piece {
                Piece::Words(words) => { (user(words)) }
                Piece::Term(term) => {
                    a class="term" href=(format!("#{}", term.anchor)) title=(user(&term.title)) { (user(&term.shown)) }
                }
                Piece::Clause(number) => {
                    a href=(format!("#{}", reading::clause_anchor(number))) { (number) }
                }
            }
        }
    }
}

fn contents(page: &Page<'_>) -> Markup {
    html! {
        h2 class="visually-hidden" { "Contents" }
        ol class="contents" {
            li { a href="#parties" { "Parties" } }
            @if page.review.is_some() { li { a href="#changes" { "Changes" } } }
            @if page.report.is_some() { li { a href="#status" { "Status and timeline" } } }
            @else { li { a href="#timeline" { "Timeline" } } }
            li {
                a href="#clauses" { "Clauses" }
                ol {
                    @for (_, clause) in page.contract.clauses() {
                        li { a href=(format!("#{}", reading::clause_anchor(&clause.number.node.to_string()))) {
                            (clause.number.node.to_string())
                            @if let Some(h) = &clause.heading { " " (user(&h.node)) }
                        } }
                    }
                }
            }
            li { a href="#definitions" { "Definitions" } }
        }
    }
}

/// What each party does under the contract, clause by clause.
fn roles(contract: &Checked, party: &str) -> Vec<(String, Vec<String>)> {
    let mut roles: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |role: &str, clause: &Clause| {
        let number = clause.number.node.to_string();
        match roles.iter_mut().find(|(r, _)| r == role) {
            Some((_, clauses)) => {
                if !clauses.contains(&number) {
                    clauses.push(number);
                }
            }
            None => roles.push((role.to_string(), vec![number])),
        }
    };
    let is = |name: &Name| name.node == party;
    for (_, clause) in contract.clauses() {
        for statement in &clause.statements {
            match statement {
                Statement::Pay(p) => {
                    if is(&p.debtor) {
                        add("pays", clause);
                    }
                    if is(&p.creditor) {
                        add("is paid", clause);
                    }
                    if p.rights.iter().any(|r| is(&r.party)) {
                        add("has rights on a default", clause);
                    }
                }
                Statement::Do(r) | Statement::MustNot(r) | Statement::May(r) => {
                    if is(&r.party) {
                        let role = if statement.as_duty().is_some() {
                            "must act"
                        } else if statement.as_prohibition().is_some() {
                            "is restricted"
                        } else {
                            "is permitted"
                        };
                        add(role, clause);
                    }
                    if r.rights.iter().any(|r| is(&r.party)) {
                        add("has rights on a default", clause);
                    }
                    if r.damages.iter().any(|d| is(&d.creditor)) {
                        add("is owed damages on a default", clause);
                    }
                }
                Statement::Grant(g) => {
                    if is(&g.grantor) {
                        add("grants", clause);
                    }
                    if is(&g.grantee) {
                        add("is granted", clause);
                    }
                }
                Statement::Own(o) => {
                    if is(&o.owner) {
                        add("owns assets", clause);
                    }
                    if o.passes.iter().any(|p| is(&p.to)) {
                        add("takes title to assets", clause);
                    }
                }
                Statement::Holding(h) => {
                    if is(&h.holder) {
                        add("holds shares", clause);
                    }
                    if is(&h.entity) {
                        add("issues shares", clause);
                    }
                }
                Statement::Commitment(c) => {
                    if is(&c.party) {
                        add("commits", clause);
                    }
                    if c.beneficiary.as_ref().is_some_and(is) {
                        add("is committed to", clause);
                    }
                }
                Statement::Cap(c) => match c.kind.node {
                    LimitKind::Cap => {
                        if is(&c.debtor) {
                            add("has payments capped", clause);
                        }
                    }
                    LimitKind::Floor => {
                        if is(&c.debtor) {
                            add("pays at least a floor", clause);
                        }
                        if c.creditor.as_ref().is_some_and(is) {
                            add("is paid at least a floor", clause);
                        }
                    }
                },
                Statement::Exclusion(_) | Statement::CapTable(_) | Statement::Suspension(_) => {}
            }
        }
    }
    roles
}

fn parties(contract: &Checked) -> Markup {
    html! {
        section id="parties" aria-labelledby="parties-h" {
            h2 id="parties-h" { "Parties" }
            table class="parties" {
                thead { tr { th scope="col" { "Party" } th scope="col" { "Legal name" } th scope="col" { "Role" } } }
                tbody {
                    @for party in &contract.file.parties {
                        @let Party { name, legal_name, span: _ } = party;
                        tr id=(reading::party_anchor(&name.node)) {
                            th scope="row" { code { (name.node) } }
                            td { @if let Some(l) = legal_name { (user(&l.node)) } }
                            td {
                                (role_list(contract, &name.node))
                                @let has_roles = !roles(contract, &name.node).is_empty();
                                @for (i, group) in contract.file.groups.iter().filter(|g| g.members.iter().any(|m| m.node == name.node)).enumerate() {
                                    @if has_roles || i > 0 { "; " }
                                    "a member of "
                                    a href=(format!("#{}", reading::party_anchor(&group.name.node))) { code { (group.name.node) } }
                                    " from the start"
                                }
                            }
                        }
                    }
                    @for group in &contract.file.groups {
                        @let Group { name, label, members, changes, span: _ } = group;
                        tr id=(reading::party_anchor(&name.node)) {
                            th scope="row" { code { (name.node) } }
                            td { @if let Some(l) = label { (user(&l.node)) } }
                            td {
                                "a group: "
                                @for (i, member) in members.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    a href=(format!("#{}", reading::party_anchor(&member.node))) { code { (member.node) } }
                                }
                                @for change in changes {
                                    "; a party " (change.kind.node.word()) " on each "
                                    a href=(format!("#{}", reading::event_anchor(&change.field.event.node))) { code { (change.field.event.node) } }
                                    " (the party in " code { (change.field.field.node) } ")"
                                    @if let Some(filter) = &change.filter {
                                        " where " code { (user(&crate::syntax::one_line::condition(filter))) }
                                    }
                                }
                                @if !roles(contract, &name.node).is_empty() { "; " (role_list(contract, &name.node)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A party's or a group's roles, each with the clauses that give it.
fn role_list(contract: &Checked, name: &str) -> Markup {
    html! {
        @for (i, (role, clauses)) in roles(contract, name).iter().enumerate() {
            @if i > 0 { "; " }
            (role) " ("
            @for (j, number) in clauses.iter().enumerate() {
                @if j > 0 { ", " }
                a href=(format!("#{}", reading::clause_anchor(number))) { (number) }
            }
            ")"
        }
    }
}

fn status(contract: &Checked, outcome: &Outcome, json: &Json) -> Markup {
    let as_of = outcome
        .as_of
        .map_or_else(|| "?".to_string(), |d| d.to_string());
    let events = json.get("events").cloned().unwrap_or(Json::Null);
    let read = events.get("read").and_then(Json::as_u64).unwrap_or(0);
    let considered = events.get("considered").and_then(Json::as_u64).unwrap_or(0);
    let file = events.get("file").and_then(Json::as_str).unwrap_or("");
    let term = json.get("contract").and_then(|c| c.get("term"));
    html! {
        section id="status" aria-labelledby="status-h" {
            h2 id="status-h" { "Status as of " (as_of) }
            p {
                @if read == 0 {
                    "No events: this is where the contract stands on " (as_of) " with nothing having happened."
                } @else {
                    (read) " events read from " code { (user(file)) }
                    @if read > considered { "; " (read - considered) " dated after " (as_of) " not considered" }
                    "."
                }
                @if let Some(term) = term {
                    " The term runs from " (term.get("from").and_then(Json::as_str).unwrap_or("?"))
                    @match term.get("through").and_then(Json::as_str) {
                        Some(last) => { " through " (last) }
                        None => { ", with no end yet" }
                    }
                    @match term.get("renewals").and_then(Json::as_u64).unwrap_or(0) {
                        0 => {}
                        1 => { " (renewed once)" }
                        n => { " (renewed " (n) " times)" }
                    }
                    "."
                    @if let Some(notice) = term.get("renewal_stopped_by").filter(|n| !n.is_null()) {
                        " It will not renew again: notice was given by " (findings::event(notice)) "."
                    }
                    @if let Some(by) = term.get("notice_by").and_then(Json::as_str) {
                        " It renews unless notice is given by " (by) "."
                    }
                }
            }
            @if let Some(svg) = timeline::timeline(contract, Some(outcome)) {
                figure class="timeline-figure" {
                    (svg)
                    figcaption {
                        "Each row is a rule's window (to its clause). "
                        span class="legend" {
                            svg class="key" viewBox="0 0 14 14" aria-hidden="true" { circle class="mark status-discharged" cx="7" cy="7" r="6" {} } " paid or done "
                            svg class="key" viewBox="0 0 14 14" aria-hidden="true" { circle class="mark status-open" cx="7" cy="7" r="5.5" {} } " open "
                            svg class="key" viewBox="0 0 14 14" aria-hidden="true" { rect class="mark status-late" x="1.5" y="1.5" width="11" height="11" {} } " paid or done late "
                            svg class="key" viewBox="0 0 14 14" aria-hidden="true" { path class="mark status-overdue" d="M7 1 l6 12 h-12 z" {} } " overdue or breached "
                            svg class="key" viewBox="0 0 14 14" aria-hidden="true" { rect class="mark mark-payment" x="5.5" y="0" width="3" height="14" {} } " payment "
                            svg class="key" viewBox="0 0 14 14" aria-hidden="true" { path class="mark mark-violation" d="M2 2 l10 10 m0 -10 l-10 10" {} } " violation "
                            svg class="key" viewBox="0 0 14 14" aria-hidden="true" { path class="milestone-diamond" d="M7 1 l6 6 l-6 6 l-6 -6 z" {} } " milestone reached"
                        }
                    }
                }
            }
            (findings::Findings { contract, report: json }.sections())
        }
    }
}

fn clause_section(
    contract: &Checked,
    reader: &mut Reader<'_>,
    id: ClauseId,
    clause: &Clause,
    changes: Option<&[Change]>,
) -> Markup {
    let Clause {
        number,
        heading,
        exception_to,
        survives,
        wording,
        // Lint switches are for the drafter, not the reader of the contract.
        allows: _,
        statements,
        span: _,
    } = clause;
    let number_text = number.node.to_string();
    let exceptions: Vec<String> = contract
        .exceptions_to(id)
        .iter()
        .filter_map(|e| contract.clause(*e))
        .map(|c| c.number.node.to_string())
        .collect();
    let changed = changes.and_then(|changes| {
        changes.iter().find_map(|c| match c.subject {
            crate::diff::Subject::Clause { new: Some(n), .. } if n == id => Some(c.kind.as_str()),
            _ => None,
        })
    });
    let holdings: Vec<&Holding> = statements
        .iter()
        .filter_map(|s| match s {
            Statement::Holding(h) => Some(&**h),
            _ => None,
        })
        .collect();
    html! {
        section class="clause" id=(reading::clause_anchor(&number_text)) aria-labelledby=(format!("{}-h", reading::clause_anchor(&number_text))) {
            h3 id=(format!("{}-h", reading::clause_anchor(&number_text))) {
                span class="clause-number" { (number_text) }
                @if let Some(h) = heading { " " (user(&h.node)) }
                @if let Some(kind) = changed { " " a class=(format!("chip change-chip-{kind}")) href="#changes" { (kind.to_uppercase()) " since the earlier version" } }
            }
            @if !exception_to.is_empty() || !exceptions.is_empty() || survives.is_some() {
                p class="clause-meta" {
                    @if !exception_to.is_empty() {
                        "An exception to "
                        @for (i, target) in exception_to.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(format!("#{}", reading::clause_anchor(&target.node.to_string()))) { "clause " (target.node.to_string()) }
                        }
                        ". "
                    }
                    @if !exceptions.is_empty() {
                        "Exceptions: "
                        @for (i, e) in exceptions.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(format!("#{}", reading::clause_anchor(e))) { "clause " (e) }
                        }
                        ". "
                    }
                    @if let Some(Survival { length, span: _ }) = survives {
                        @match length {
                            Some(l) => { "Survives the end of the term for " (l.node.written()) "." }
                            None => { "Survives the end of the term." }
                        }
                    }
                }
            }
            // The wording and its reading side by side where there is room.
            div class=(if wording.is_empty() || statements.is_empty() { "clause-body" } else { "clause-body two" }) {
                @if !wording.is_empty() {
                    div class="wording-column" {
                        h4 { "Wording" }
                        blockquote class="wording" {
                            @for w in wording { p { (lines(&w.node)) } }
                        }
                    }
                }
                @if !statements.is_empty() {
                    div class="reading" {
                        h4 { "In plain words" }
                        ul {
                            @for statement in statements {
                                li { (pieces(&reader.statement(clause, statement))) }
                            }
                        }
                    }
                }
            }
            @if !holdings.is_empty() { (cap_table(reader, &holdings, statements)) }
        }
    }
}

/// The holdings a clause declares, as a table and a bar per entity.
fn cap_table(reader: &mut Reader<'_>, holdings: &[&Holding], statements: &[Statement]) -> Markup {
    let mut entities: Vec<&str> = Vec::new();
    for h in holdings {
        if !entities.contains(&h.entity.node.as_str()) {
            entities.push(&h.entity.node);
        }
    }
    html! {
        @for entity in entities {
            @let stakes: Vec<&&Holding> = holdings.iter().filter(|h| h.entity.node == entity).collect();
            @let total: Decimal = stakes.iter().map(|h| h.stake.node).sum();
            @let complete = statements.iter().any(|s| matches!(s, Statement::CapTable(c) if c.entity.node == entity));
            figure class="cap-table" {
                figcaption {
                    "Holdings in " (pieces(&{ reader.party(entity); reader_take(reader) }))
                    ": " (total.normalize()) "% declared"
                    @if complete { ", the whole of its shares" }
                }
                table {
                    thead { tr {
                        th scope="col" { "Holder" } th scope="col" class="num" { "Stake" } th scope="col" { "Basis" }
                        th scope="col" class="num" { "Valuation" } th scope="col" class="num" { "Implied value of the whole" }
                    } }
                    tbody {
                        @for h in &stakes {
                            tr {
                                th scope="row" { (pieces(&{ reader.party(&h.holder.node); reader_take(reader) })) }
                                td class="num" { (crate::syntax::one_line::number(h.stake.node)) "%" }
                                td { @if let Some(b) = &h.basis { (user(&b.node)) } }
                                td class="num" { @if let Some(v) = &h.valuation { (crate::eval::report::money_text(&v.node)) } }
                                td class="num" {
                                    @if let Some(whole) = h.valuation.as_ref().and_then(|v| reading::implied_value(v.node, h.stake.node)) {
                                        (crate::eval::report::money_text(&whole))
                                    }
                                }
                            }
                        }
                    }
                }
                (charts::cap_table_bar(entity, &stakes.iter().map(|h| (h.holder.node.clone(), h.stake.node)).collect::<Vec<_>>()))
            }
        }
    }
}

/// The pieces a reader gathered outside a whole reading (a single term).
fn reader_take(reader: &mut Reader<'_>) -> Vec<Piece> {
    reader.take_pieces()
}

fn definitions(contract: &Checked, reader: &mut Reader<'_>, outcome: Option<&Outcome>) -> Markup {
    let file = &contract.file;
    html! {
        section id="definitions" aria-labelledby="definitions-h" {
            h2 id="definitions-h" { "Definitions" }
            @if !file.definitions.is_empty() {
                h3 { "Defined terms" }
                dl class="definitions" {
                    @for d in &file.definitions {
                        @let Definition { name, label, body, period, span: _ } = d;
                        dt id=(reading::definition_anchor(&name.node)) {
                            code { (name.node) }
                            @if let Some(l) = label { " — " (user(&l.node)) }
                        }
                        dd {
                            @match body {
                                DefinitionBody::Value(_) => { "Means " }
                                DefinitionBody::Condition(_) => { "Holds when " }
                            }
                            (pieces(&reader.definition_body(body)))
                            @if let Some(p) = period { ", worked out for each " (pieces(&reader.period_pieces(&p.node))) }
                            "."
                        }
                    }
                }
            }
            @if !file.accounts.is_empty() {
                h3 { "Accounts" }
                dl class="definitions" {
                    @for a in &file.accounts {
                        dt id=(reading::account_anchor(&a.name.node)) {
                            code { (a.name.node) }
                            @if let Some(l) = &a.label { " — " (user(&l.node)) }
                        }
                        dd { (pieces(&reader.account_movements(a))) }
                    }
                }
            }
            @if !file.milestones.is_empty() {
                h3 { "Milestones" }
                dl class="definitions" {
                    @for (index, m) in file.milestones.iter().enumerate() {
                        @let Milestone { name, label, condition, span: _ } = m;
                        @let reached = outcome.and_then(|o| o.milestones.iter().find(|s| s.milestone.index() == index)).and_then(|s| s.reached.as_ref());
                        dt id=(reading::milestone_anchor(&name.node)) {
                            code { (name.node) }
                            @if let Some(l) = label { " — " (user(&l.node)) }
                        }
                        dd {
                            "Reached once " (pieces(&reader.milestone_condition(condition))) "."
                            @if let Some(r) = reached { " Reached on " (r.date.to_string()) "." }
                        }
                    }
                }
            }
            @if !file.events.is_empty() {
                h3 { "Events" }
                dl class="definitions" {
                    @for e in &file.events {
                        @let EventDecl { name, label, has_actor, fields, span: _ } = e;
                        dt id=(reading::event_anchor(&name.node)) {
                            code { (name.node) }
                            @if let Some(l) = label { " — " (user(&l.node)) }
                        }
                        dd {
                            @if *has_actor { "Names the party that performed it. " }
                            @if fields.is_empty() { "No fields." } @else {
                                "Fields: "
                                @for (i, field) in fields.iter().enumerate() {
                                    @let FieldDecl { name, ty, span: _ } = field;
                                    @if i > 0 { ", " }
                                    code { (name.node) } " (" (crate::syntax::one_line::type_name(&ty.node)) ")"
                                }
                                "."
                            }
                        }
                    }
                }
            }
            @if !file.categories.is_empty() {
                h3 { "Categories" }
                dl class="definitions" {
                    @for c in &file.categories {
                        @let Category { name, label, members, span: _ } = c;
                        dt id=(reading::category_anchor(&name.node)) {
                            code { (name.node) }
                            @if let Some(l) = label { " — " (user(&l.node)) }
                        }
                        dd {
                            "One of: "
                            @for (i, m) in members.iter().enumerate() {
                                @if i > 0 { ", " }
                                (reading::words(&m.node))
                            }
                            "."
                        }
                    }
                }
            }
            @if !file.periods.is_empty() {
                h3 { "Periods" }
                dl class="definitions" {
                    @for p in &file.periods {
                        @let PeriodDecl { name, label, base: _, start_month: _, start_written: _, span: _ } = p;
                        dt id=(reading::period_anchor(&name.node)) {
                            code { (name.node) }
                            @if let Some(l) = label { " — " (user(&l.node)) }
                        }
                        dd { "A " (crate::syntax::one_line::period_base(p)) "." }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_the_report_has_a_place_on_the_page() {
        let contract = crate::Contract::parse(
            "t",
            include_str!("../../contracts/microsoft-openai-2025.proviso"),
        )
        .expect("checks");
        let report = contract
            .evaluate(
                include_str!("../../contracts/events/microsoft-openai-2025.json"),
                crate::EventFormat::Json,
                None,
            )
            .expect("evaluates");
        let json = report.to_json(true);
        let keys: Vec<&str> = json
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        let placed: Vec<&str> = REPORT_SECTIONS.iter().map(|(k, _)| *k).collect();
        for key in &keys {
            assert!(placed.contains(key), "the page does not place `{key}`");
        }
        assert_eq!(keys.len(), placed.len());
    }
}
