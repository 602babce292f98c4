//! AST → clause file text: the inverse of parsing.
//!
//! [`print`] writes a [`ContractFile`] back as text that parses to the same
//! tree, spans aside. [`format`] does the same for a text and its tree, and
//! keeps the text's comments, its empty lines between groups, and lengths
//! as written (`proviso fmt`; how comments are attached is in
//! `comments.rs`). The output follows the layout of the contracts shipped
//! with proviso: the header's options and each statement on lines of their
//! own, every option of a statement on a line of its own below it.
//!
//! Brackets are added exactly where the grammar needs them to read the tree
//! back the same way (`(a + b) * c`, `not (x or y)`, a `total ... where`
//! inside a comparison); brackets never appear in the tree, so they are
//! never printed where they are not needed. One consequence: a value
//! that nests without brackets more deeply than the bracket limit
//! (`total x where y > total ...`, 64 levels and more) prints to text past
//! that limit, which is then refused when read.
//!
//! A tree that holds a value already reported as unreadable (`Invalid`)
//! prints it as `<invalid>`, which does not parse, rather than as a value
//! that could be mistaken for what was meant.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::comments::{Comment, blank_before, comments, line_of, line_start};
use super::literals::{MONTHS, group_thousands, scale_factor};
use super::lower::dedent;
use crate::ast::*;

/// The text of a clause file whose tree is `file`.
pub fn print(file: &ContractFile) -> String {
    let mut p = Printer::default();
    p.file(file);
    p.out
}

/// `text`, whose tree is `file`, in the canonical layout, with every
/// comment kept in order and empty lines between groups kept (one at
/// most). Formatting formatted text changes nothing.
pub fn format(text: &str, file: &ContractFile) -> String {
    // First the lines the printer starts, then the comments attached to them.
    let mut p = Printer {
        trivia: Some(Trivia {
            collecting: true,
            ..Trivia::default()
        }),
        source: Some(text.to_string()),
        ..Printer::default()
    };
    p.file(file);
    let anchors = p.trivia.map(|t| t.anchors).unwrap_or_default();
    let mut p = Printer {
        trivia: Some(Trivia::attach(text, &anchors)),
        source: Some(text.to_string()),
        ..Printer::default()
    };
    p.file(file);
    p.finish();
    p.out
}

/// How tightly an expression binds, loosest first. A sub-expression is
/// bracketed when it binds more loosely than its position requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// `x capped at y`, `x rounded ...`, and a `total ... where` (whose
    /// condition would otherwise swallow what follows it).
    Qualified,
    /// `a + b - c`
    Sum,
    /// `a * b / c`
    Product,
    /// `-a`
    Negated,
    /// `a of b`
    Share,
    /// Any other single value: `tiers ...`, `days from ...`, text, yes/no.
    Primary,
    /// The values allowed where the grammar takes an atom: a name or field,
    /// a date, money, a percentage, a duration or a number.
    Atom,
}

fn level(expr: &Expr) -> Level {
    match &expr.kind {
        ExprKind::CappedAt { .. }
        | ExprKind::AtLeast { .. }
        | ExprKind::PerStep { .. }
        | ExprKind::Rounded { .. }
        | ExprKind::Converted { .. } => Level::Qualified,
        ExprKind::Total {
            filter: Some(_), ..
        }
        | ExprKind::Count {
            filter: Some(_), ..
        } => Level::Qualified,
        // Bracketed wherever it is part of more when it has a `where`, or
        // an `otherwise`, so that what `otherwise` takes is plain:
        // `105% of (previous price.amount otherwise 0)`.
        ExprKind::Pick(pick) if pick.filter.is_some() || pick.otherwise.is_some() => {
            Level::Qualified
        }
        ExprKind::Chain { rest, .. } => match rest.first().map(|(op, _)| op.node) {
            Some(ArithOp::Mul | ArithOp::Div) => Level::Product,
            _ => Level::Sum,
        },
        ExprKind::Negate(_) => Level::Negated,
        ExprKind::Of { .. } => Level::Share,
        ExprKind::Total { filter: None, .. }
        | ExprKind::Count { filter: None, .. }
        | ExprKind::Pick(_)
        | ExprKind::Tiers { .. }
        | ExprKind::DaysBetween { .. }
        | ExprKind::Text(_)
        | ExprKind::Bool(_)
        | ExprKind::Invalid => Level::Primary,
        ExprKind::Money(_)
        | ExprKind::Percent(_)
        | ExprKind::Number(_)
        | ExprKind::Duration(_)
        | ExprKind::Date(_)
        | ExprKind::Name(_)
        | ExprKind::Field(_)
        | ExprKind::Balance { .. } => Level::Atom,
    }
}

/// How tightly a condition binds, loosest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum CondLevel {
    Any,
    All,
    Not,
    Atom,
}

/// Whether a condition ends with `after EVENT ...` written without a
/// length, which a following `within ...` would give it.
fn ends_with_open_after(condition: &Condition) -> bool {
    match &condition.kind {
        ConditionKind::Any(parts) | ConditionKind::All(parts) => {
            parts.last().is_some_and(ends_with_open_after)
        }
        ConditionKind::Not(inner) => ends_with_open_after(inner),
        ConditionKind::Earlier(earlier) => earlier.when.is_none(),
        ConditionKind::Compare { .. } | ConditionKind::Test(_) => false,
    }
}

fn cond_level(condition: &Condition) -> CondLevel {
    match condition.kind {
        ConditionKind::Any(_) => CondLevel::Any,
        ConditionKind::All(_) => CondLevel::All,
        ConditionKind::Not(_) => CondLevel::Not,
        ConditionKind::Compare { .. } | ConditionKind::Test(_) | ConditionKind::Earlier(_) => {
            CondLevel::Atom
        }
    }
}

/// How tightly a milestone's condition binds, loosest first. An event with
/// a `where` filter counts as loosest: its condition would swallow an `and`
/// or `or` written after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum StepLevel {
    Any,
    All,
    Sequence,
    Atom,
}

fn step_level(condition: &MilestoneCond) -> StepLevel {
    match condition {
        MilestoneCond::Any(..) => StepLevel::Any,
        MilestoneCond::All(..) => StepLevel::All,
        MilestoneCond::Sequence(..) => StepLevel::Sequence,
        MilestoneCond::Event(pattern) if pattern.filter.is_some() => StepLevel::Any,
        // `reaches` closes a running total's condition: nothing after it
        // can be read into the condition.
        MilestoneCond::Event(_)
        | MilestoneCond::Date(_)
        | MilestoneCond::Total(_)
        | MilestoneCond::Count(_)
        | MilestoneCond::PaidInFull(_) => StepLevel::Atom,
    }
}

/// The tree without its spans, as JSON: two readings of the same contract
/// give equal values however the text was laid out.
pub fn without_spans(file: &ContractFile) -> serde_json::Value {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("span");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => {
                // Compound milestone conditions hold their span as a tuple field.
                items.retain(|v| !is_span(v));
                items.iter_mut().for_each(strip);
            }
            _ => {}
        }
    }
    fn is_span(value: &serde_json::Value) -> bool {
        value.as_object().is_some_and(|m| {
            m.len() == 2
                && m.get("start").is_some_and(serde_json::Value::is_u64)
                && m.get("end").is_some_and(serde_json::Value::is_u64)
        })
    }
    let mut value = serde_json::to_value(file).unwrap_or_default();
    strip(&mut value);
    value
}

#[derive(Default)]
struct Printer {
    out: String,
    /// Write everything on one line (for a part of a contract quoted in a
    /// message, such as a window or an amount in a change review).
    one_line: bool,
    /// The comments to keep, for `format`.
    trivia: Option<Trivia>,
    /// End-of-line comments of the line being written.
    pending: Vec<Comment>,
    /// The text being formatted, for literals kept as written.
    source: Option<String>,
    /// The indentation of the line being written.
    indent: String,
}

/// The comments of the text being formatted, attached to the lines the
/// printer starts (see `comments.rs`).
#[derive(Default)]
struct Trivia {
    /// While true, the printer only records where it starts lines.
    collecting: bool,
    /// Each line the printer starts: the start of its node (the key the
    /// printer knows it by) and the keyword printed before the node, if
    /// the node's span does not hold it (`due`, `settled by` ...).
    anchors: Vec<(usize, Option<&'static str>)>,
    /// By anchor: the comments on lines of their own before it, and those
    /// that follow its line (at its end, or on lines of their own below it).
    leading: BTreeMap<usize, Vec<Comment>>,
    following: BTreeMap<usize, Vec<Comment>>,
    /// The anchors with an empty line before them (after their comments).
    blank_before: BTreeSet<usize>,
    /// Comments after the last anchor.
    trailer: Vec<Comment>,
}

/// Where an anchor's line begins in the text: its keyword, found by going
/// back from the node over spaces and comments, word by word; the node
/// itself when the keyword is not there.
fn keyword_start(text: &str, node: usize, keyword: Option<&str>, comments: &[Comment]) -> usize {
    let Some(keyword) = keyword else {
        return node;
    };
    let mut at = node;
    for word in keyword.split_whitespace().rev() {
        // Back over spaces, line breaks and comments.
        loop {
            let head = text.get(..at).unwrap_or("");
            let trimmed = head.trim_end_matches([' ', '\t', '\r', '\n']);
            at = trimmed.len();
            match comments.iter().find(|c| {
                c.start < at
                    && c.start + c.text.len() >= at
                    && !text.get(c.start..at).unwrap_or("").contains('\n')
            }) {
                Some(comment) => at = comment.start,
                None => break,
            }
        }
        let head = text.get(..at).unwrap_or("");
        if head.ends_with(word) {
            at -= word.len();
        } else {
            return node;
        }
    }
    at
}

/// The column (in characters) of the line `pos` is on, where its text starts.
fn column(text: &str, pos: usize) -> usize {
    let start = line_start(text, pos);
    let head = text.get(..start).unwrap_or("");
    let begin = head.rfind('\n').map_or(0, |n| n + 1);
    text.get(begin..start)
        .map_or(0, |indent| indent.chars().count())
}

impl Trivia {
    /// Attaches each comment of `text` to an anchor: a comment after code
    /// follows the line of that code; a comment on a line of its own
    /// leads the next line, unless it hugs the line before and is indented
    /// deeper than the next line (it was written under the line before:
    /// inside a condition or a list that spans lines, or under an item).
    fn attach(text: &str, anchors: &[(usize, Option<&'static str>)]) -> Trivia {
        let found = comments(text);
        // (where its line begins, the key the printer knows it by)
        let mut lines: Vec<(usize, usize)> = anchors
            .iter()
            .map(|&(key, keyword)| (keyword_start(text, key, keyword, &found), key))
            .collect();
        lines.sort_unstable();
        lines.dedup_by_key(|(_, key)| *key);
        let mut trivia = Trivia::default();
        for comment in found {
            let next = lines.iter().find(|(pos, _)| *pos > comment.start).copied();
            let previous = lines
                .iter()
                .rev()
                .find(|(pos, _)| *pos < comment.start)
                .copied();
            let written_under = |(_, _): (usize, usize)| {
                let deeper_than_next = match next {
                    Some((pos, _)) => column(text, comment.start) > column(text, pos),
                    None => column(text, comment.start) > 0,
                };
                !comment.blank_before && deeper_than_next
            };
            match (comment.own_line, previous, next) {
                (false, Some((_, key)), _) => {
                    trivia.following.entry(key).or_default().push(comment);
                }
                (true, Some(line), _) if written_under(line) => {
                    trivia.following.entry(line.1).or_default().push(comment);
                }
                (true | false, _, Some((_, key))) => {
                    trivia.leading.entry(key).or_default().push(comment);
                }
                (true | false, _, None) => trivia.trailer.push(comment),
            }
        }
        for (i, &(pos, key)) in lines.iter().enumerate() {
            // A line that shares its line in the text with the one before
            // it (an option written on the rule's line) has no empty line
            // of its own before it.
            let shares_line = i
                .checked_sub(1)
                .and_then(|j| lines.get(j))
                .is_some_and(|&(before, _)| line_of(text, before) == line_of(text, pos));
            if !shares_line && blank_before(text, line_start(text, pos)) {
                trivia.blank_before.insert(key);
            }
        }
        trivia
    }
}

/// How many characters the last line of `out` holds so far.
fn current_width(out: &str) -> usize {
    out.rsplit('\n')
        .next()
        .map_or(0, |line| line.chars().count())
}

/// Parts of a contract printed on one line, as they would be written in a
/// clause file. Change review quotes values this way, so that two versions
/// laid out differently compare equal when they mean the same.
pub mod one_line {
    use super::*;

    fn with(write: impl FnOnce(&mut Printer)) -> String {
        let mut p = Printer {
            one_line: true,
            ..Printer::default()
        };
        write(&mut p);
        p.out.trim().to_string()
    }

    /// A value, as written where any value may stand.
    pub fn expr(expr: &Expr) -> String {
        with(|p| p.expr(expr, Level::Qualified))
    }

    /// A condition, as written after `where`.
    pub fn condition(condition: &Condition) -> String {
        with(|p| p.condition(condition, CondLevel::Any))
    }

    /// `from X`, `through Y`, ...; empty for a window with no ends written.
    pub fn window(window: &Window) -> String {
        with(|p| p.window(window))
    }

    /// `through 2032-12-31`, `until agi or through ..., whichever is earlier`.
    pub fn window_end(end: &WindowEnd) -> String {
        with(|p| p.window_end(end))
    }

    /// `due 45 days after the end of the period`.
    pub fn due(due: &Due) -> String {
        with(|p| p.due(Some(due)))
    }

    /// `half-up to 0.01`.
    pub fn rounding(rounding: &Rounding) -> String {
        with(|p| p.rounding(rounding))
    }

    /// `renews for 1 year unless non_renewal 90 days before the end`.
    pub fn renewal(renewal: &Renewal) -> String {
        with(|p| p.renewal(renewal))
    }

    /// `cure within 30 days after notice by supplier`.
    pub fn cure(cure: &Cure) -> String {
        with(|p| p.cure(cure))
    }

    /// `late interest at 1.5% per month, actual/365`.
    pub fn late_interest(interest: &LateInterest) -> String {
        with(|p| p.late_interest(interest))
    }

    /// `shortfall payment 20% within 30 days`.
    pub fn shortfall(shortfall: &Shortfall) -> String {
        with(|p| p.shortfall(shortfall))
    }

    /// `then supplier must pay buyer USD 5,000.00 within 30 days`.
    pub fn arising_payment(payment: &ArisingPayment) -> String {
        with(|p| p.arising_payment(payment))
    }

    /// `then licensor may terminate`.
    pub fn arising_right(right: &ArisingRight) -> String {
        with(|p| p.arising_right(right))
    }

    /// `verify_agi by panel where ...`.
    pub fn event_pattern(pattern: &EventPattern) -> String {
        with(|p| p.event_pattern(pattern))
    }

    /// A milestone's condition: `declare_agi by openai, then verify_agi by panel`.
    pub fn milestone_condition(condition: &MilestoneCond) -> String {
        with(|p| p.milestone_cond(condition, StepLevel::Any))
    }

    /// An event type and its filter: `serve where cloud is aws`.
    pub fn action(action: &Action) -> String {
        with(|p| p.action(action))
    }

    /// A whole rule.
    pub fn statement(statement: &Statement) -> String {
        with(|p| p.statement(statement))
    }

    /// `USD 135 billion`.
    pub fn money(money: &Money) -> String {
        with(|p| p.money(money))
    }

    /// `27`, `1,250,000.00`: a number as a contract writes it.
    pub fn number(n: Decimal) -> String {
        with(|p| p.number(n))
    }

    /// `2026-01-01`.
    pub fn date_ref(date: &DateRef) -> String {
        with(|p| p.date_ref(date))
    }

    /// A quotation, escaped as in a clause file: `"as-converted diluted"`.
    pub fn string(text: &str) -> String {
        with(|p| p.string(text))
    }

    /// A field type as written in an event declaration: `money`, `kind`.
    pub fn type_name(ty: &TypeName) -> String {
        with(|p| p.type_name(ty))
    }

    /// A period's definition: `year starting july`, `quarter`.
    pub fn period_base(period: &PeriodDecl) -> String {
        with(|p| p.period_base(period))
    }
}

/// Indentation of a declaration's or a clause's body, and of a statement's
/// options.
const BODY: &str = "  ";
const OPTION: &str = "    ";

impl Printer {
    fn put(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// Ends the output with an empty line, unless it is empty or has one.
    fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Writes the comments that follow the line being written: the first,
    /// if it was written after code, at the line's end; the others on lines
    /// of their own at `indent`.
    fn flush_pending(&mut self, indent: &str) {
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_by_key(|c| c.start);
        for (i, comment) in pending.iter().enumerate() {
            if i == 0 && !comment.own_line {
                self.out.push_str("  ");
            } else {
                self.out.push('\n');
                self.out.push_str(indent);
            }
            self.out.push_str(&comment.text);
        }
    }

    /// Registers an anchor (while collecting) and takes what is attached
    /// to it (while printing).
    fn take_anchor(
        &mut self,
        anchor: usize,
        keyword: Option<&'static str>,
    ) -> (Vec<Comment>, bool, Vec<Comment>) {
        match &mut self.trivia {
            None => (Vec::new(), false, Vec::new()),
            Some(t) if t.collecting => {
                t.anchors.push((anchor, keyword));
                (Vec::new(), false, Vec::new())
            }
            Some(t) => (
                t.leading.remove(&anchor).unwrap_or_default(),
                t.blank_before.contains(&anchor),
                t.following.remove(&anchor).unwrap_or_default(),
            ),
        }
    }

    /// An anchor whose line is not started after all (members kept on the
    /// category's line, a short amount, an event with nothing between its
    /// braces): its comments follow the line being written.
    fn absorb(&mut self, anchor: usize) {
        let (leading, _, following) = self.take_anchor(anchor, None);
        self.pending.extend(leading.into_iter().map(|c| Comment {
            own_line: true,
            ..c
        }));
        self.pending.extend(following);
    }

    /// Whether comments wait to be written before `anchor`'s line.
    fn has_leading(&self, anchor: usize) -> bool {
        self.trivia
            .as_ref()
            .is_some_and(|t| t.leading.contains_key(&anchor))
    }

    /// Starts the line of the node at byte `anchor` (printed after
    /// `keyword`, if its span does not hold it), at `indent`: first the
    /// comments that follow the line before, then those written before
    /// this one (at `comment_indent`), and an empty line where the text
    /// had one.
    fn line_at_with(
        &mut self,
        comment_indent: &str,
        indent: &str,
        anchor: usize,
        keyword: Option<&'static str>,
    ) {
        if self.one_line {
            self.out.push(' ');
            return;
        }
        let (leading, blank, following) = self.take_anchor(anchor, keyword);
        // Comments under the line before stay under it, at its indentation
        // or this line's, whichever is deeper.
        let under = if comment_indent.len() > self.indent.len() {
            comment_indent.to_string()
        } else {
            self.indent.clone()
        };
        self.flush_pending(&under);
        for comment in leading {
            self.out.push('\n');
            if comment.blank_before {
                self.blank();
            }
            self.out.push_str(comment_indent);
            self.out.push_str(&comment.text);
        }
        self.out.push('\n');
        if blank {
            self.blank();
        }
        self.out.push_str(indent);
        self.indent = indent.to_string();
        self.pending = following;
    }

    fn line_at(&mut self, indent: &str, anchor: usize) {
        self.line_at_with(indent, indent, anchor, None);
    }

    /// A line printed after a keyword its node's span does not hold.
    fn line_after(&mut self, indent: &str, anchor: usize, keyword: &'static str) {
        self.line_at_with(indent, indent, anchor, Some(keyword));
    }

    /// Starts a top-level item at byte `anchor`: its comments, and an
    /// empty line before it where `separated` (between kinds of item,
    /// events and clauses) or where the text had one. A block of comments
    /// right above the item goes with it (the empty line before the
    /// block); one set apart from it by an empty line stays where it was.
    fn item_at(&mut self, anchor: usize, separated: bool) {
        let (leading, blank, following) = self.take_anchor(anchor, None);
        if leading.is_empty() {
            if blank || separated {
                self.blank();
            }
        } else {
            if separated && !blank {
                self.blank();
            }
            for comment in leading {
                if comment.blank_before {
                    self.blank();
                }
                self.out.push_str(&comment.text);
                self.out.push('\n');
            }
            if blank {
                self.blank();
            }
        }
        self.indent = String::new();
        self.pending = following;
    }

    /// Ends a top-level item's last line, with the comments that follow it
    /// (those on lines of their own indented under it).
    fn end_item(&mut self) {
        let under = if self.indent.len() > BODY.len() {
            self.indent.clone()
        } else {
            BODY.to_string()
        };
        self.flush_pending(&under);
        self.out.push('\n');
    }

    /// After the last item: the comments that follow it.
    fn finish(&mut self) {
        let Some(trivia) = self.trivia.take() else {
            return;
        };
        // Whatever was not printed at its anchor (nothing, if every anchor
        // was printed) is kept at the end rather than lost.
        let mut rest: Vec<Comment> = trivia
            .leading
            .into_values()
            .chain(trivia.following.into_values())
            .flatten()
            .chain(trivia.trailer)
            .collect();
        rest.sort_by_key(|c| c.start);
        for comment in rest {
            if comment.blank_before {
                self.blank();
            }
            self.out.push_str(&comment.text);
            self.out.push('\n');
        }
    }

    // ------------------------------------------------------------ file

    fn file(&mut self, file: &ContractFile) {
        // An empty line between kinds of item, and around each event and
        // each clause.
        let mut any = false;
        let mut first_of_kind = true;
        let mut start = |p: &mut Printer, anchor: usize, separate: bool| {
            p.item_at(anchor, any && separate);
            any = true;
        };
        if let Some(header) = &file.header {
            start(self, header.span.start, true);
            self.header(header);
        }
        for party in &file.parties {
            start(self, party.span.start, first_of_kind);
            first_of_kind = false;
            self.party(party);
        }
        first_of_kind = true;
        for group in &file.groups {
            start(self, group.span.start, first_of_kind);
            first_of_kind = false;
            self.group(group);
        }
        first_of_kind = true;
        for category in &file.categories {
            start(self, category.span.start, first_of_kind);
            first_of_kind = false;
            self.category(category);
        }
        first_of_kind = true;
        for period in &file.periods {
            start(self, period.span.start, first_of_kind);
            first_of_kind = false;
            self.period(period);
        }
        for event in &file.events {
            start(self, event.span.start, true);
            self.event(event);
        }
        first_of_kind = true;
        for milestone in &file.milestones {
            start(self, milestone.span.start, first_of_kind);
            first_of_kind = false;
            self.milestone(milestone);
        }
        first_of_kind = true;
        for definition in &file.definitions {
            start(self, definition.span.start, first_of_kind);
            first_of_kind = false;
            self.definition(definition);
        }
        first_of_kind = true;
        for account in &file.accounts {
            start(self, account.span.start, first_of_kind);
            first_of_kind = false;
            self.account(account);
        }
        for clause in &file.clauses {
            start(self, clause.span.start, true);
            self.clause(clause);
        }
    }

    fn header(&mut self, header: &Header) {
        let Header {
            title,
            effective,
            term,
            renewal,
            currency,
            rounding,
            settlement,
            span: _,
        } = header;
        self.put("contract ");
        self.string(&title.node);
        if let Some(effective) = effective {
            self.line_after(BODY, effective.span.start, "effective");
            self.put("effective ");
            self.date_ref(&effective.node);
        }
        if let Some(term) = term {
            self.line_after(BODY, term.span.start, "term");
            self.put("term ");
            self.window_end(term);
        }
        if let Some(renewal) = renewal {
            self.line_at(BODY, renewal.span.start);
            self.renewal(renewal);
        }
        if let Some(currency) = currency {
            self.line_after(BODY, currency.span.start, "currency");
            self.put("currency ");
            self.put(currency.node.as_str());
        }
        if let Some(rounding) = rounding {
            self.line_after(BODY, rounding.span.start, "rounding");
            self.put("rounding ");
            self.rounding(rounding);
        }
        if let Some(settlement) = settlement {
            self.line_after(BODY, settlement.span.start, "settlement by");
            self.put("settlement by ");
            self.put(&settlement.node);
        }
        self.end_item();
    }

    /// ` "label"` when there is one.
    fn label(&mut self, label: Option<&Spanned<String>>) {
        if let Some(label) = label {
            self.put(" ");
            self.string(&label.node);
        }
    }

    fn party(&mut self, party: &Party) {
        self.put("party ");
        self.put(&party.name.node);
        self.label(party.legal_name.as_ref());
        self.end_item();
    }

    fn group(&mut self, group: &Group) {
        let Group {
            name,
            label,
            members,
            changes,
            span: _,
        } = group;
        self.put("group ");
        self.put(&name.node);
        self.label(label.as_ref());
        self.put(" =");
        for (i, member) in members.iter().enumerate() {
            self.put(if i == 0 { " " } else { ", " });
            self.put(&member.node);
        }
        for change in changes {
            let MembershipChange {
                kind,
                field,
                filter,
                span: _,
            } = change;
            self.line_at(BODY, kind.span.start);
            self.put(kind.node.word());
            self.put(" on ");
            self.field_ref(field);
            if let Some(filter) = filter {
                self.put(" where ");
                self.condition(filter, CondLevel::Any);
            }
        }
        self.end_item();
    }

    fn category(&mut self, category: &Category) {
        self.put("category ");
        self.put(&category.name.node);
        self.label(category.label.as_ref());
        self.put(":");
        // The members on the line of the name, or on a line of their own
        // below it when together they would run past 80 columns.
        let line = current_width(&self.out);
        // ` a | b | c`: a space, the names, and ` | ` between them.
        let members: usize = 1
            + category
                .members
                .iter()
                .map(|m| m.node.chars().count())
                .sum::<usize>()
            + 3 * category.members.len().saturating_sub(1);
        for (i, member) in category.members.iter().enumerate() {
            if i == 0 {
                if line + members > 80 && !self.one_line {
                    self.line_at(BODY, member.span.start);
                } else {
                    self.absorb(member.span.start);
                    self.put(" ");
                }
            } else {
                self.put(" | ");
            }
            self.put(&member.node);
        }
        self.end_item();
    }

    fn period(&mut self, period: &PeriodDecl) {
        self.put("period ");
        self.put(&period.name.node);
        self.label(period.label.as_ref());
        self.put(": ");
        self.period_base(period);
        self.end_item();
    }

    fn period_base(&mut self, period: &PeriodDecl) {
        self.put(match period.base.node {
            PeriodBase::Month => "month",
            PeriodBase::Quarter => "quarter",
            PeriodBase::Year => "year",
        });
        if period.start_written {
            let month = MONTHS
                .get(usize::from(period.start_month.node).wrapping_sub(1))
                .copied()
                .unwrap_or("<invalid>");
            self.put(" starting ");
            self.put(month);
        }
    }

    fn event(&mut self, event: &EventDecl) {
        self.put("event ");
        self.put(&event.name.node);
        if event.has_actor {
            self.put(" by party");
        }
        self.label(event.label.as_ref());
        let brace = event.span.end.saturating_sub(1);
        if event.fields.is_empty() {
            // Comments written between the braces stay between them.
            let collecting = self.trivia.as_ref().is_some_and(|t| t.collecting);
            if collecting {
                self.take_anchor(brace, None);
            }
            let inside = self.pending.iter().any(|c| c.own_line && c.start < brace);
            if !collecting && (self.has_leading(brace) || inside) {
                self.put(" {");
                self.line_at_with(BODY, "", brace, None);
                self.put("}");
            } else {
                self.put(" { }");
                self.absorb(brace);
            }
            self.end_item();
            return;
        }
        self.put(" {");
        for field in &event.fields {
            self.line_at(BODY, field.span.start);
            self.put(&field.name.node);
            self.put(": ");
            self.type_name(&field.ty.node);
            self.put(",");
        }
        // The closing brace: comments before it stay inside the braces.
        self.line_at_with(BODY, "", brace, None);
        self.put("}");
        self.end_item();
    }

    fn type_name(&mut self, ty: &TypeName) {
        if let TypeName::MoneyIn { currency, signed } = ty {
            self.put(if *signed {
                "signed money in "
            } else {
                "money in "
            });
            self.put(currency.as_str());
            return;
        }
        self.put(match ty {
            TypeName::MoneyIn { .. } => "money",
            TypeName::Money => "money",
            TypeName::SignedMoney => "signed money",
            TypeName::Percent => "percent",
            TypeName::Number => "number",
            TypeName::Count => "count",
            TypeName::Days => "days",
            TypeName::Date => "date",
            TypeName::Text => "text",
            TypeName::Bool => "bool",
            TypeName::Party => "party",
            TypeName::Named(name) => name,
        });
    }

    fn milestone(&mut self, milestone: &Milestone) {
        self.put("milestone ");
        self.put(&milestone.name.node);
        self.label(milestone.label.as_ref());
        self.put(":");
        self.line_at(BODY, milestone.condition.span().start);
        self.milestone_cond(&milestone.condition, StepLevel::Any);
        self.end_item();
    }

    fn definition(&mut self, definition: &Definition) {
        let Definition {
            name,
            label,
            body,
            period,
            span: _,
        } = definition;
        self.put("define ");
        self.put(&name.node);
        self.label(label.as_ref());
        self.put(" =");
        self.line_at(BODY, body.span().start);
        match body {
            // A value that would read as the start of a condition (`x > y`
            // cannot be one, but a bare yes/no field or a bracketed value
            // can) is still read as a value: the grammar tries the value
            // first.
            DefinitionBody::Value(value) => self.expr(value, Level::Qualified),
            DefinitionBody::Condition(condition) => self.condition(condition, CondLevel::Any),
        }
        if let Some(period) = period {
            self.line_at(BODY, period.span.start);
            self.put("for each ");
            self.put(&period.node);
        }
        self.end_item();
    }

    fn account(&mut self, account: &Account) {
        let Account {
            name,
            label,
            opening,
            opens,
            movements,
            span: _,
        } = account;
        self.put("account ");
        self.put(&name.node);
        self.label(label.as_ref());
        self.line_at(BODY, opening.span.start);
        self.put("opening ");
        self.money_written(&opening.node, opening.span);
        self.put(" on ");
        self.put(&opens.node.to_string());
        for movement in movements {
            let Movement {
                direction,
                amount,
                when,
                span: _,
            } = movement;
            self.line_at(BODY, direction.span.start);
            self.put(direction.node.word());
            self.put(" by ");
            self.absorb(amount.span.start);
            self.expr(amount, Level::Qualified);
            match when {
                MovementTime::EachEvent(pattern) => {
                    self.line_after(OPTION, pattern.span.start, "on each");
                    self.put("on each ");
                    self.event_pattern(pattern);
                }
                MovementTime::PeriodEnd(period) => {
                    self.line_after(OPTION, period.span.start, "at the end of each");
                    self.put("at the end of each ");
                    self.put(&period.node);
                }
            }
        }
        self.end_item();
    }

    fn milestone_cond(&mut self, condition: &MilestoneCond, at: StepLevel) {
        let bracket = step_level(condition) < at;
        if bracket {
            self.put("(");
        }
        match condition {
            MilestoneCond::Event(pattern) => self.event_pattern(pattern),
            MilestoneCond::Date(date) => self.date_ref(&date.node),
            MilestoneCond::Total(total) => {
                let TotalReaches {
                    field,
                    filter,
                    threshold,
                    span: _,
                } = total.as_ref();
                self.put("total ");
                self.field_ref(field);
                if let Some(filter) = filter {
                    self.put(" where ");
                    self.condition(filter, CondLevel::Any);
                }
                self.put(" reaches ");
                self.expr(threshold, Level::Qualified);
            }
            MilestoneCond::Count(count) => {
                let CountReaches {
                    pattern,
                    threshold,
                    span: _,
                } = count.as_ref();
                self.put("count ");
                self.event_pattern(pattern);
                self.put(" reaches ");
                self.expr(threshold, Level::Qualified);
            }
            MilestoneCond::PaidInFull(paid) => {
                let PaidInFull { clause, span: _ } = paid.as_ref();
                self.put(&format!("clause {} paid in full", clause.node));
            }
            MilestoneCond::Any(parts, _) => {
                self.milestone_parts(parts, " or ", StepLevel::All);
            }
            MilestoneCond::All(parts, _) => {
                self.milestone_parts(parts, " and ", StepLevel::Sequence);
            }
            MilestoneCond::Sequence(parts, _) => {
                self.milestone_parts(parts, ", then ", StepLevel::Atom);
            }
        }
        if bracket {
            self.put(")");
        }
    }

    fn milestone_parts(&mut self, parts: &[MilestoneCond], joiner: &str, at: StepLevel) {
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.put(joiner);
            }
            self.milestone_cond(part, at);
        }
    }

    fn event_pattern(&mut self, pattern: &EventPattern) {
        self.put(&pattern.event.node);
        if let Some(by) = &pattern.by {
            self.put(" by ");
            self.put(&by.node);
        }
        if let Some(filter) = &pattern.filter {
            self.put(" where ");
            self.condition(filter, CondLevel::Any);
        }
    }

    // ------------------------------------------------------------ clauses

    fn clause(&mut self, clause: &Clause) {
        self.put("clause ");
        self.put(&clause.number.node.to_string());
        self.label(clause.heading.as_ref());
        for (i, target) in clause.exception_to.iter().enumerate() {
            self.put(if i == 0 { " exception to " } else { ", " });
            self.put(&target.node.to_string());
        }
        if let Some(survival) = &clause.survives {
            self.put(" survives");
            if let Some(length) = &survival.length {
                self.put(" for ");
                self.spanned_duration(length);
            }
        }
        for wording in &clause.wording {
            self.line_after(BODY, wording.span.start, "text");
            self.put("text ");
            self.wording(&wording.node);
        }
        for allow in &clause.allows {
            self.line_at(BODY, allow.span.start);
            self.put("allow ");
            for (i, code) in allow.codes.iter().enumerate() {
                if i > 0 {
                    self.put(", ");
                }
                self.put(&code.node);
            }
            self.put(" because ");
            self.string(&allow.reason.node);
        }
        for statement in &clause.statements {
            self.line_at(BODY, statement.span().start);
            self.statement(statement);
        }
        self.end_item();
    }

    fn statement(&mut self, statement: &Statement) {
        match statement {
            Statement::Pay(pay) => self.pay(pay),
            Statement::Do(rule) => self.action_rule(rule, " must "),
            Statement::MustNot(rule) => self.action_rule(rule, " must not "),
            Statement::May(rule) => self.action_rule(rule, " may "),
            Statement::Grant(grant) => self.grant(grant),
            Statement::Exclusion(exclusion) => {
                self.put("excludes ");
                self.action(&exclusion.scope);
            }
            Statement::Holding(holding) => self.holding(holding),
            Statement::CapTable(table) => {
                self.put("cap table of ");
                self.put(&table.entity.node);
                self.put(" complete");
            }
            Statement::Commitment(commitment) => self.commitment(commitment),
            Statement::Suspension(suspension) => self.suspension(suspension),
            Statement::Cap(cap) => self.cap(cap),
            Statement::Own(ownership) => self.ownership(ownership),
        }
    }

    fn ownership(&mut self, ownership: &Ownership) {
        let Ownership {
            owner,
            share,
            made_by,
            passes,
            span: _,
        } = ownership;
        self.put(&owner.node);
        self.put(" owns ");
        if let Some(share) = share {
            self.number(share.node);
            self.put("% of ");
        }
        self.put("assets made by ");
        self.action(made_by);
        for passing in passes {
            let TitlePassing { to, when, span } = passing;
            self.line_at(OPTION, span.start);
            self.put("title passes to ");
            self.put(&to.node);
            match when {
                PassingWhen::On(on) => {
                    self.put(" on ");
                    self.event_pattern(on);
                }
                PassingWhen::Once(milestone) => {
                    self.put(" once ");
                    self.put(&milestone.node);
                }
            }
        }
    }

    fn cap(&mut self, cap: &AggregateCap) {
        let AggregateCap {
            kind,
            debtor,
            creditor,
            clauses,
            amount,
            per,
            partial,
            due,
            span: _,
        } = cap;
        self.put("total owed by ");
        self.put(&debtor.node);
        if let Some(creditor) = creditor {
            self.put(" to ");
            self.put(&creditor.node);
        }
        self.put(if clauses.len() == 1 {
            " under clause "
        } else {
            " under clauses "
        });
        for (i, number) in clauses.iter().enumerate() {
            if i > 0 {
                self.put(", ");
            }
            self.put(&number.node.to_string());
        }
        let words = match kind.node {
            LimitKind::Cap => "capped at",
            LimitKind::Floor => "at least",
        };
        // The limit on the same line when it fits.
        let line = current_width(&self.out);
        if !self.one_line && line + 12 + one_line::expr(amount).chars().count() > 80 {
            self.line_after(OPTION, amount.span.start, words);
        } else {
            self.absorb(amount.span.start);
            self.put(" ");
        }
        self.put(words);
        self.put(" ");
        self.expr(amount, Level::Share);
        if let Some(period) = per {
            self.line_after(OPTION, period.span.start, "for each");
            self.put("for each ");
            self.put(&period.node);
        }
        if let Some(partial) = partial {
            self.line_at(OPTION, partial.span.start);
            self.put(partial.node.as_str());
        }
        if let Some(delay) = due {
            self.line_after(OPTION, delay.span.start, "due");
            self.put("due ");
            self.spanned_duration(delay);
            self.put(" after the end of the period");
        }
    }

    fn suspension(&mut self, suspension: &Suspension) {
        let Suspension {
            clauses,
            from,
            until,
            span: _,
        } = suspension;
        self.put(if clauses.len() == 1 {
            "suspends clause "
        } else {
            "suspends clauses "
        });
        for (i, number) in clauses.iter().enumerate() {
            if i > 0 {
                self.put(", ");
            }
            self.put(&number.node.to_string());
        }
        self.line_after(OPTION, from.span.start, "from");
        self.put("from ");
        self.event_pattern(from);
        self.line_after(OPTION, until.span.start, "until");
        self.put("until ");
        self.event_pattern(until);
    }

    fn pay(&mut self, pay: &PayObligation) {
        let PayObligation {
            debtor,
            creditor,
            amount,
            recurrence,
            basis,
            partial,
            window,
            due,
            settled_by,
            rounding,
            interest,
            cure,
            rights,
            carve_outs,
            span: _,
        } = pay;
        self.put(&debtor.node);
        self.put(" must pay ");
        self.put(&creditor.node);
        // A long amount on a line of its own below the parties.
        let line = current_width(&self.out);
        if !self.one_line && line + 1 + one_line::expr(amount).chars().count() > 80 {
            self.line_at(OPTION, amount.span.start);
        } else {
            self.absorb(amount.span.start);
            self.put(" ");
        }
        self.expr(amount, Level::Qualified);
        match recurrence {
            Some(Recurrence::EachPeriod(period)) => {
                self.line_after(OPTION, period.span.start, "for each");
                self.put("for each ");
                self.put(&period.node);
            }
            Some(Recurrence::EachPeriodField(field)) => {
                self.line_after(OPTION, field.span.start, "for each");
                self.put("for each ");
                self.field_ref(field);
            }
            Some(Recurrence::EachEvent(pattern)) => {
                self.line_after(OPTION, pattern.span.start, "on each");
                self.put("on each ");
                self.event_pattern(pattern);
            }
            None => {}
        }
        // Only after `for each EVENT.FIELD` (the grammar allows it nowhere
        // else); written as the drafter wrote it.
        if let Some(basis) = basis {
            self.put(" ");
            self.put(basis.node.as_str());
        }
        if let Some(partial) = partial {
            self.line_at(OPTION, partial.span.start);
            self.put(partial.node.as_str());
        }
        self.window(window);
        self.due(due.as_ref());
        if let Some(settled_by) = settled_by {
            self.line_after(OPTION, settled_by.span.start, "settled by");
            self.put("settled by ");
            self.put(&settled_by.node);
        }
        if let Some(interest) = interest {
            self.line_at(OPTION, interest.span.start);
            self.late_interest(interest);
        }
        if let Some(cure) = cure {
            self.line_at(OPTION, cure.span.start);
            self.cure(cure);
        }
        self.arising_rights(rights);
        // Written straight after the amount, `rounded` would round the
        // amount itself; when no other option comes between, the carve-outs
        // go first.
        let rounding_follows_amount = recurrence.is_none()
            && partial.is_none()
            && window.from.is_none()
            && window.end.is_none()
            && due.is_none()
            && settled_by.is_none()
            && interest.is_none()
            && cure.is_none()
            && rights.is_empty();
        if rounding_follows_amount {
            self.carve_outs(carve_outs);
        }
        if let Some(rounding) = rounding {
            self.line_after(OPTION, rounding.span.start, "rounded");
            self.put("rounded ");
            self.rounding(rounding);
        }
        if !rounding_follows_amount {
            self.carve_outs(carve_outs);
        }
    }

    fn renewal(&mut self, renewal: &Renewal) {
        let Renewal {
            period,
            notice,
            before,
            span: _,
        } = renewal;
        self.put("renews for ");
        self.spanned_duration(period);
        self.put(" unless ");
        self.event_pattern(notice);
        self.put(" ");
        self.spanned_duration(before);
        self.put(" before the end");
    }

    fn cure(&mut self, cure: &Cure) {
        let Cure {
            within,
            notice,
            span: _,
        } = cure;
        self.put("cure within ");
        self.spanned_duration(within);
        if let Some(notice) = notice {
            self.put(" after ");
            self.event_pattern(notice);
        }
    }

    fn late_interest(&mut self, interest: &LateInterest) {
        let LateInterest {
            rate,
            per,
            compounding,
            day_count,
            span: _,
        } = interest;
        self.put("late interest at ");
        self.number(rate.node);
        self.put("% ");
        self.put(per.node.as_str());
        if let Some(every) = compounding {
            self.put(match every.node {
                RatePeriod::Month => ", compounded monthly",
                RatePeriod::Year => ", compounded yearly",
            });
        }
        if let Some(count) = day_count {
            self.put(", ");
            self.put(count.node.as_str());
        }
    }

    fn action_rule(&mut self, rule: &ActionRule, modality: &str) {
        let ActionRule {
            party,
            action,
            trigger,
            window,
            due,
            cure,
            rights,
            damages,
            matching,
            carve_outs,
            span: _,
        } = rule;
        self.put(&party.node);
        self.put(modality);
        self.action(action);
        if let Some(trigger) = trigger {
            self.line_after(OPTION, trigger.span.start, "on each");
            self.put("on each ");
            self.event_pattern(trigger);
        }
        for (i, field) in matching.iter().enumerate() {
            if i == 0 {
                self.line_after(OPTION, field.span.start, "matching");
                self.put("matching ");
            } else {
                self.put(", ");
            }
            self.put(&field.node);
        }
        self.window(window);
        self.due(due.as_ref());
        if let Some(cure) = cure {
            self.line_at(OPTION, cure.span.start);
            self.cure(cure);
        }
        self.arising_rights(rights);
        for payment in damages {
            self.line_at(OPTION, payment.span.start);
            self.arising_payment(payment);
        }
        self.carve_outs(carve_outs);
    }

    fn earlier_event(&mut self, earlier: &EarlierEvent) {
        let EarlierEvent {
            event,
            by,
            matching,
            when,
        } = earlier;
        self.put("after ");
        self.put(&event.node);
        if let Some(by) = by {
            self.put(" by ");
            self.put(&by.node);
        }
        for (i, field) in matching.iter().enumerate() {
            self.put(if i == 0 { " with the same " } else { ", " });
            self.put(&field.node);
        }
        // The length as written: the words of `when` less its keywords.
        let source = self.source.clone();
        let length_span = |w: &Spanned<EarlierWhen>, head: &str, tail: &str| {
            let text = source.as_deref()?.get(w.span.start..w.span.end)?;
            let inner = text
                .strip_prefix(head)?
                .strip_suffix(tail)
                .unwrap_or(text.strip_prefix(head)?);
            let start = w.span.start + head.len() + (inner.len() - inner.trim_start().len());
            Some(Span::new(start, start + inner.trim().len()))
        };
        match when.as_ref().map(|w| (w, w.node)) {
            Some((w, EarlierWhen::Within(length))) => {
                self.put(" within ");
                let span = length_span(w, "within", "").unwrap_or_default();
                self.duration_written(length, span);
            }
            Some((w, EarlierWhen::AtLeastBefore(length))) => {
                self.put(" at least ");
                let span = length_span(w, "at least", "before").unwrap_or_default();
                self.duration_written(length, span);
                self.put(" before");
            }
            None => {}
        }
    }

    fn arising_payment(&mut self, payment: &ArisingPayment) {
        let ArisingPayment {
            debtor,
            creditor,
            amount,
            within,
            span: _,
        } = payment;
        self.put("then ");
        self.put(&debtor.node);
        self.put(" must pay ");
        self.put(&creditor.node);
        self.put(" ");
        self.expr(amount, Level::Qualified);
        if let Some(within) = within {
            self.put(" within ");
            self.spanned_duration(within);
        }
    }

    fn arising_rights(&mut self, rights: &[ArisingRight]) {
        for right in rights {
            self.line_at(OPTION, right.span.start);
            self.arising_right(right);
        }
    }

    fn arising_right(&mut self, right: &ArisingRight) {
        let ArisingRight {
            party,
            action,
            span: _,
        } = right;
        self.put("then ");
        self.put(&party.node);
        self.put(" may ");
        self.action(action);
    }

    fn action(&mut self, action: &Action) {
        self.put(&action.event.node);
        if let Some(filter) = &action.filter {
            self.put(" where ");
            self.condition(filter, CondLevel::Any);
        }
    }

    fn grant(&mut self, grant: &Grant) {
        let Grant {
            grantor,
            grantee,
            exclusive,
            kind,
            label,
            scope,
            window,
            carve_outs,
            passes,
            span: _,
        } = grant;
        self.put(&grantor.node);
        self.put(" grants ");
        self.put(&grantee.node);
        match exclusive.as_ref().map(|e| e.node) {
            Some(true) => self.put(" exclusive"),
            Some(false) => self.put(" non_exclusive"),
            None => {}
        }
        self.put(match kind.node {
            GrantKind::Licence => " licence",
            GrantKind::Right => " right",
        });
        self.label(label.as_ref());
        self.line_after(OPTION, scope.span.start, "over");
        self.put("over ");
        self.action(scope);
        self.window(window);
        self.carve_outs(carve_outs);
        if let Some(passes) = passes {
            let GrantPasses {
                field,
                filter,
                span,
            } = passes;
            self.line_at(OPTION, span.start);
            self.put("passes to ");
            self.field_ref(field);
            if let Some(filter) = filter {
                self.put(" where ");
                self.condition(filter, CondLevel::Any);
            }
        }
    }

    fn holding(&mut self, holding: &Holding) {
        self.put(&holding.holder.node);
        self.put(" holds ");
        self.number(holding.stake.node);
        self.put("% of ");
        self.put(&holding.entity.node);
        if let Some(basis) = &holding.basis {
            self.put(" basis ");
            self.string(&basis.node);
        }
        if let Some(valuation) = &holding.valuation {
            self.put(" valued at ");
            self.money_written(&valuation.node, valuation.span);
        }
    }

    fn commitment(&mut self, commitment: &Commitment) {
        let Commitment {
            party,
            beneficiary,
            target,
            measure,
            filter,
            per,
            shortfall,
            window,
            carve_outs,
            span: _,
        } = commitment;
        self.put(&party.node);
        self.put(" commits ");
        if let Some(beneficiary) = beneficiary {
            self.put("to ");
            self.put(&beneficiary.node);
            self.put(" ");
        }
        self.expr(target, Level::Qualified);
        self.line_after(OPTION, measure.span.start, "measured by");
        self.put("measured by ");
        self.field_ref(measure);
        if let Some(filter) = filter {
            self.put(" where ");
            self.condition(filter, CondLevel::Any);
        }
        if let Some(period) = per {
            self.line_after(OPTION, period.span.start, "for each");
            self.put("for each ");
            self.put(&period.node);
        }
        self.window(window);
        if let Some(shortfall) = shortfall {
            self.line_at(OPTION, shortfall.span.start);
            self.shortfall(shortfall);
        }
        self.carve_outs(carve_outs);
    }

    fn shortfall(&mut self, shortfall: &Shortfall) {
        let Shortfall {
            rate,
            within,
            span: _,
        } = shortfall;
        self.put("shortfall payment ");
        match rate {
            ShortfallRate::Share(share) => {
                self.number(share.node);
                self.put("%");
            }
            ShortfallRate::PerUnit(price) => {
                self.money_written(&price.node, price.span);
                self.put(" per unit");
            }
        }
        if let Some(within) = within {
            self.put(" within ");
            self.spanned_duration(within);
        }
    }

    fn carve_outs(&mut self, carve_outs: &[CarveOut]) {
        for carve_out in carve_outs {
            self.line_at(OPTION, carve_out.span.start);
            self.put(&carve_out.keyword.node);
            self.put(" ");
            self.condition(&carve_out.condition, CondLevel::Any);
        }
    }

    // ------------------------------------------------------------ windows and due dates

    fn window(&mut self, window: &Window) {
        if let Some(from) = &window.from {
            self.line_after(OPTION, from.span.start, "from");
            self.put("from ");
            self.bound(&from.node);
        }
        if let Some(end) = &window.end {
            self.line_at(OPTION, end.span.start);
            self.window_end(end);
        }
    }

    fn window_end(&mut self, end: &WindowEnd) {
        for (i, bound) in end.bounds.iter().enumerate() {
            if i > 0 {
                self.put(" or ");
            }
            match bound {
                EndBound::Through(b) => {
                    self.put("through ");
                    self.bound(&b.node);
                }
                EndBound::Until(b) => {
                    self.put("until ");
                    self.bound(&b.node);
                }
                EndBound::For(length) => {
                    self.put("for ");
                    self.spanned_duration(length);
                }
            }
        }
        if end.whichever_earlier {
            self.put(", whichever is earlier");
        }
    }

    fn bound(&mut self, bound: &Bound) {
        match bound {
            Bound::Date(date) => self.date_ref(date),
            Bound::Milestone(name) => self.put(name),
            Bound::After { delay, anchor } => {
                self.spanned_duration(delay);
                self.put(" after ");
                self.bound(&anchor.node);
            }
        }
    }

    fn due(&mut self, due: Option<&Due>) {
        let Some(due) = due else { return };
        let start = match due {
            Due::On(date) => date.span.start,
            Due::After { delay, .. } => delay.span.start,
        };
        self.line_after(OPTION, start, "due");
        self.put("due ");
        match due {
            Due::On(date) => self.date_ref(&date.node),
            Due::After { delay, anchor } => {
                self.spanned_duration(delay);
                self.put(" after ");
                match &anchor.node {
                    DueAnchor::PeriodEnd => self.put("the end of the period"),
                    DueAnchor::Event => self.put("the event"),
                    DueAnchor::Date(date) => self.date_ref(date),
                    DueAnchor::Milestone(name) => self.put(name),
                }
            }
        }
    }

    // ------------------------------------------------------------ conditions

    fn condition(&mut self, condition: &Condition, at: CondLevel) {
        let bracket = cond_level(condition) < at;
        if bracket {
            self.put("(");
        }
        match &condition.kind {
            ConditionKind::Any(parts) => self.condition_parts(parts, " or ", CondLevel::All),
            ConditionKind::All(parts) => self.condition_parts(parts, " and ", CondLevel::Not),
            ConditionKind::Not(inner) => {
                self.put("not ");
                self.condition(inner, CondLevel::Atom);
            }
            ConditionKind::Compare { left, op, right } => {
                self.expr(left, Level::Sum);
                self.put(" ");
                self.put(op.node.as_str());
                self.put(" ");
                if let [single] = right.as_slice() {
                    self.expr(single, Level::Sum);
                } else {
                    self.put("(");
                    for (i, value) in right.iter().enumerate() {
                        if i > 0 {
                            self.put(", ");
                        }
                        self.expr(value, Level::Sum);
                    }
                    self.put(")");
                }
            }
            ConditionKind::Test(value) => self.expr(value, Level::Sum),
            ConditionKind::Earlier(earlier) => self.earlier_event(earlier),
        }
        if bracket {
            self.put(")");
        }
    }

    fn condition_parts(&mut self, parts: &[Condition], joiner: &str, at: CondLevel) {
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.put(joiner);
            }
            self.condition(part, at);
        }
    }

    // ------------------------------------------------------------ expressions

    /// Writes `expr` where the grammar expects a value of level `at`,
    /// bracketing it when it binds more loosely.
    fn expr(&mut self, expr: &Expr, at: Level) {
        let bracket = level(expr) < at;
        if bracket {
            self.put("(");
        }
        self.expr_bare(expr);
        if bracket {
            self.put(")");
        }
    }

    fn expr_bare(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Money(money) => self.money_written(money, expr.span),
            ExprKind::Percent(share) => {
                self.number(*share);
                self.put("%");
            }
            ExprKind::Number(n) => self.number(*n),
            ExprKind::Duration(d) => self.duration_written(*d, expr.span),
            ExprKind::Date(date) => self.put(&date.to_string()),
            ExprKind::Bool(b) => self.put(if *b { "true" } else { "false" }),
            ExprKind::Text(text) => self.string(text),
            ExprKind::Name(name) => self.put(name),
            ExprKind::Field(field) => self.field_ref(field),
            ExprKind::Balance { account, as_of } => {
                self.put("balance of ");
                self.put(&account.node);
                if let Some(date) = as_of {
                    self.put(" as of ");
                    self.put(&date.node.to_string());
                }
            }
            ExprKind::Total {
                field,
                filter,
                stretch,
            } => {
                self.put("total ");
                self.field_ref(field);
                if let Some(stretch) = stretch {
                    self.stretch(&stretch.node);
                }
                if let Some(filter) = filter {
                    // `where after EVENT` then `within ...` (damages' time
                    // to pay) would read as the time `after` allows.
                    if ends_with_open_after(filter) {
                        self.put(" where (");
                        self.condition(filter, CondLevel::Any);
                        self.put(")");
                    } else {
                        self.put(" where ");
                        self.condition(filter, CondLevel::Any);
                    }
                }
            }
            ExprKind::Pick(pick) => {
                let Pick {
                    which,
                    field,
                    stretch,
                    filter,
                    otherwise,
                } = &**pick;
                self.put(which.node.word());
                self.put(" ");
                self.field_ref(field);
                if let Some(stretch) = stretch {
                    self.stretch(&stretch.node);
                }
                if let Some(filter) = filter {
                    // Bracketed before `otherwise`, which a pick at the end
                    // of the condition would otherwise take as its own.
                    if otherwise.is_some() || ends_with_open_after(filter) {
                        self.put(" where (");
                        self.condition(filter, CondLevel::Any);
                        self.put(")");
                    } else {
                        self.put(" where ");
                        self.condition(filter, CondLevel::Any);
                    }
                }
                if let Some(otherwise) = otherwise {
                    self.put(" otherwise ");
                    // An atom, or text or yes/no written as they are.
                    let at = if matches!(otherwise.kind, ExprKind::Text(_) | ExprKind::Bool(_)) {
                        Level::Primary
                    } else {
                        Level::Atom
                    };
                    self.expr(otherwise, at);
                }
            }
            ExprKind::Count {
                event,
                by,
                filter,
                stretch,
            } => {
                self.put("count ");
                self.put(&event.node);
                if let Some(by) = by {
                    self.put(" by ");
                    self.put(&by.node);
                }
                if let Some(stretch) = stretch {
                    self.stretch(&stretch.node);
                }
                if let Some(filter) = filter {
                    if ends_with_open_after(filter) {
                        self.put(" where (");
                        self.condition(filter, CondLevel::Any);
                        self.put(")");
                    } else {
                        self.put(" where ");
                        self.condition(filter, CondLevel::Any);
                    }
                }
            }
            ExprKind::Chain { first, rest } => {
                // Operators of one level are read left to right, so an
                // operand of the same level is bracketed: `a - (b - c)`.
                let operand = match level(expr) {
                    Level::Product => Level::Negated,
                    _ => Level::Product,
                };
                self.expr(first, operand);
                for (op, value) in rest {
                    self.put(" ");
                    self.put(op.node.symbol());
                    self.put(" ");
                    self.expr(value, operand);
                }
            }
            ExprKind::Negate(inner) => {
                self.put("-");
                self.expr(inner, Level::Share);
            }
            ExprKind::Of { share, base } => {
                // `balance of x` would read as an account's balance.
                if matches!(&share.kind, ExprKind::Name(n) if n == "balance") {
                    self.put("(balance)");
                } else {
                    self.expr(share, Level::Share);
                }
                self.put(" of ");
                self.expr(base, Level::Primary);
            }
            ExprKind::CappedAt { value, cap } => {
                self.expr(value, Level::Qualified);
                self.put(" capped at ");
                self.expr(cap, Level::Share);
            }
            ExprKind::AtLeast { value, floor } => {
                self.expr(value, Level::Qualified);
                self.put(" at least ");
                self.expr(floor, Level::Share);
            }
            ExprKind::PerStep {
                value,
                kind,
                step,
                measure,
            } => {
                self.expr(value, Level::Qualified);
                self.put(match kind {
                    StepKind::Full => " for each full ",
                    StepKind::Started => " for each started ",
                });
                self.expr(step, Level::Atom);
                self.put(" in ");
                self.expr(measure, Level::Primary);
            }
            ExprKind::DaysBetween { start, end } => {
                self.put("days from ");
                self.expr(start, Level::Atom);
                self.put(" to ");
                self.expr(end, Level::Atom);
            }
            ExprKind::Tiers {
                mode,
                subject,
                tiers,
            } => {
                self.put(match mode {
                    TierMode::Whole => "tiers of ",
                    TierMode::Marginal => "marginal tiers of ",
                });
                self.expr(subject, Level::Atom);
                self.put(" (");
                for (i, tier) in tiers.iter().enumerate() {
                    let Tier {
                        lower,
                        upper,
                        value,
                        span: _,
                    } = tier;
                    if i > 0 {
                        self.put(", ");
                    }
                    if let Some(TierBound { kind, value }) = lower {
                        self.put(kind.keyword());
                        self.put(" ");
                        self.expr(value, Level::Atom);
                    }
                    if let Some(TierBound { kind, value }) = upper {
                        if lower.is_some() {
                            self.put(" ");
                        }
                        self.put(kind.keyword());
                        self.put(" ");
                        self.expr(value, Level::Atom);
                    }
                    if lower.is_none() && upper.is_none() {
                        self.put("above");
                    }
                    self.put(": ");
                    self.expr(value, Level::Atom);
                }
                self.put(")");
            }
            ExprKind::Rounded { value, rounding } => {
                self.expr(value, Level::Qualified);
                self.put(" rounded ");
                self.rounding(rounding);
            }
            ExprKind::Converted {
                value,
                currency,
                rate,
            } => {
                self.expr(value, Level::Qualified);
                self.put(" converted to ");
                self.put(&currency.node.to_string());
                self.put(" at ");
                self.expr(rate, Level::Share);
            }
            ExprKind::Invalid => self.put("<invalid>"),
        }
    }

    /// ` in the same month`, ` within the last 12 months`.
    fn stretch(&mut self, stretch: &Stretch) {
        match stretch {
            Stretch::SamePeriod(period) => {
                self.put(" in the same ");
                self.put(&period.node);
            }
            Stretch::Last(length) => {
                self.put(" within the last ");
                self.duration(*length);
            }
        }
    }

    fn field_ref(&mut self, field: &FieldRef) {
        self.put(&field.event.node);
        self.put(".");
        self.put(&field.field.node);
    }

    // ------------------------------------------------------------ literals

    fn rounding(&mut self, rounding: &Rounding) {
        self.put(rounding.mode.node.as_str());
        self.put(" to ");
        self.number(rounding.unit.node);
    }

    /// A number as written in a contract: thousands grouped, every decimal
    /// kept (`1,250,000.00` stays `1,250,000.00`, not `1250000`).
    fn number(&mut self, n: Decimal) {
        let text = n.to_string();
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (digits, None),
        };
        self.put(sign);
        self.put(&group_thousands(whole));
        if let Some(fraction) = fraction {
            self.put(".");
            self.put(fraction);
        }
    }

    /// `USD 135 billion` for a whole number of millions, billions or
    /// trillions, as contracts write large sums; digits otherwise, with
    /// every decimal kept (`USD 1,250,000.00`).
    fn money(&mut self, money: &Money) {
        self.put(money.currency.as_str());
        self.put(" ");
        let amount = money.amount;
        if amount.scale() == 0 && !amount.is_zero() {
            for word in ["trillion", "billion", "million"] {
                let factor = scale_factor(word);
                if (amount % factor).is_zero() {
                    self.number(amount / factor);
                    self.put(" ");
                    self.put(word);
                    return;
                }
            }
        }
        self.number(amount);
    }

    fn duration(&mut self, duration: Duration) {
        self.put(&duration.written());
    }

    /// An amount as the drafter wrote it (`GBP 1.5 million`, `USD
    /// 1,000,000`), when formatting a text that has it.
    fn money_written(&mut self, money: &Money, span: Span) {
        let written = self
            .source
            .as_deref()
            .and_then(|text| text.get(span.start..span.end))
            .filter(|t| {
                let mut words = t.split_whitespace();
                let code = words.next().unwrap_or("");
                let figure = words.next().unwrap_or("");
                let scale = words.next();
                code.len() == 3
                    && code.chars().all(|c| c.is_ascii_uppercase())
                    && figure.starts_with(|c: char| c.is_ascii_digit())
                    && figure
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
                    && scale
                        .is_none_or(|w| ["thousand", "million", "billion", "trillion"].contains(&w))
                    && words.next().is_none()
            })
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
        match written {
            Some(text) => self.put(&text),
            None => self.money(money),
        }
    }

    fn spanned_duration(&mut self, duration: &Spanned<Duration>) {
        self.duration_written(duration.node, duration.span);
    }

    /// A length as the drafter wrote it (`3 years`, `2 weeks`), when
    /// formatting a text that has it; the tree keeps weeks as days and years
    /// as months, which read the same but are not what was written.
    fn duration_written(&mut self, duration: Duration, span: Span) {
        let written = self
            .source
            .as_deref()
            .and_then(|text| text.get(span.start..span.end))
            .filter(|t| {
                t.starts_with(|c: char| c.is_ascii_digit())
                    && t.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == ',')
            })
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
        match written {
            Some(text) => self.put(&text),
            None => self.duration(duration),
        }
    }

    fn date_ref(&mut self, date: &DateRef) {
        match date {
            DateRef::Date(d) => self.put(&d.to_string()),
            DateRef::YearOnly(year) => self.put(&format!("{year:04}")),
            DateRef::Invalid => self.put("<invalid>"),
        }
    }

    /// A one-line quotation, with `"`, `\` and line breaks escaped.
    fn string(&mut self, text: &str) {
        self.out.reserve(text.len() + 2);
        self.out.push('"');
        for c in text.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                other => self.out.push(other),
            }
        }
        self.out.push('"');
    }

    /// A clause's wording: over several lines in triple quotes when it has
    /// line breaks and reads back exactly that way, else one quotation.
    fn wording(&mut self, text: &str) {
        if text.contains('\n') && !text.contains("\"\"\"") {
            let mut body = String::with_capacity(text.len() + 64);
            for line in text.split('\n') {
                body.push('\n');
                if !line.is_empty() {
                    body.push_str(OPTION);
                    body.push_str(line);
                }
            }
            body.push('\n');
            body.push_str(OPTION);
            if dedent(&body) == text {
                self.put("\"\"\"");
                self.put(&body);
                self.put("\"\"\"");
                return;
            }
        }
        self.string(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn reprint(text: &str) -> String {
        let parsed = super::super::parse(text, &Limits::default());
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        print(&parsed.file)
    }

    #[test]
    fn brackets_only_where_the_grammar_needs_them() {
        let text = "clause 1\n  a must pay b (x + y) * z - -(-w) of (20% of v) capped at (c - d)\n";
        assert_eq!(
            reprint(text),
            "clause 1\n  a must pay b (x + y) * z - -(-w) of (20% of v) capped at (c - d)\n"
        );
        let text = "clause 1\n  a must not serve where not (k is x or k is y) and (z)\n";
        assert_eq!(
            reprint(text),
            "clause 1\n  a must not serve where not (k is x or k is y) and z\n"
        );
    }

    #[test]
    fn a_filtered_total_is_bracketed_inside_a_comparison() {
        let text = "clause 1\n  a must not serve where (total e.n where k is x) > 5\n";
        assert_eq!(reprint(text), text);
    }

    #[test]
    fn rounding_never_lands_on_the_amount() {
        let text = "clause 1\n  a must pay b x\n    unless k is y\n    rounded half-up to 0.01\n";
        let parsed = super::super::parse(text, &Limits::default());
        let Some(Statement::Pay(pay)) = parsed.file.clauses[0].statements.first() else {
            panic!("not a payment: {:?}", parsed.file);
        };
        assert!(pay.rounding.is_some());
        assert_eq!(reprint(text), text);
    }

    #[test]
    fn numbers_keep_their_decimals() {
        let text = "clause 1\n  a holds 12.50% of b valued at USD 1,250,000.00\n";
        assert_eq!(reprint(text), text);
        // Whole millions and more read as a contract writes them.
        let text = "clause 1\n  a holds 1% of b valued at USD 1500000000\n";
        assert_eq!(
            reprint(text),
            "clause 1\n  a holds 1% of b valued at USD 1,500 million\n"
        );
        let text = "clause 1\n  a holds 1% of b valued at USD 135 billion\n";
        assert_eq!(reprint(text), text);
    }

    #[test]
    fn wording_with_line_breaks_keeps_them() {
        let text = "clause 1\n  text \"\"\"\n    First line.\n\n      Indented.\n    \"\"\"\n";
        assert_eq!(reprint(text), text);
        // Leading spaces cannot survive a triple quotation: one line instead.
        let text = "clause 1\n  text \"  two\\nlines\"\n";
        assert_eq!(reprint(text), text);
    }
}
