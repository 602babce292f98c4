//! From pest's parse tree to the typed AST.
//!
//! The grammar fixes the shape of every node, so a missing child here means
//! the grammar and this file disagree; that surfaces as a [`Malformed`]
//! error (reported as an internal syntax error), never as a panic.
//! Literal problems that the grammar cannot see (a 30th of February, a
//! misplaced thousands separator, an unknown currency) are reported here,
//! and the node is kept with an `Invalid` value so that later stages can
//! skip it without reporting the same problem twice.

use pest::iterators::{Pair, Pairs};
use rust_decimal::Decimal;

use super::Rule;
use super::literals::{
    group_thousands, parse_currency, parse_date, parse_day_count, parse_month, parse_number,
    parse_whole, scaled, symbol_currency,
};
use crate::ast::*;
use crate::diagnostics::{Code, Diagnostic};

/// The parse tree did not have the shape the grammar promises.
#[derive(Debug)]
pub struct Malformed(pub Span);

type L<T> = Result<T, Malformed>;

pub struct Lowerer {
    /// Where the parsed text starts in the file (parsing resumes mid-file
    /// after a syntax error).
    offset: usize,
    /// The longest chain of qualifications accepted on one value.
    max_chain: usize,
    /// How deep the lowering of values and conditions has recursed, and
    /// whether the limit was already reported for this item.
    depth: usize,
    too_deep: bool,
    /// Whether the item being lowered holds a `#` anywhere. Without one no
    /// node can end in a comment, and a node's span is its text without
    /// trailing whitespace, found without looking for comments.
    may_hold_comments: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// Keywords that carry meaning beyond their position; all others are
/// dropped from a node's children.
fn is_dropped_keyword(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        kw_after
            | kw_allow
            | kw_and
            | kw_at
            | kw_basis
            | kw_because
            | kw_by
            | kw_cap
            | kw_capped
            | kw_category
            | kw_clause
            | kw_commits
            | kw_complete
            | kw_contract
            | kw_converted
            | kw_currency
            | kw_due
            | kw_define
            | kw_account
            | opening_word
            | owns_word
            | once_word
            | assets_made_by
            | title_passes_to
            | passes_to
            | as_of
            | balance_word
            | count_word
            | reaches_word
            | kw_each
            | kw_earlier
            | kw_effective
            | kw_end
            | kw_event
            | kw_exception
            | kw_excludes
            | kw_for
            | kw_from
            | kw_grants
            | kw_holds
            | kw_in
            | kw_is
            | kw_least
            | kw_may
            | kw_measured
            | kw_milestone
            | kw_must
            | kw_of
            | kw_on
            | kw_or
            | kw_over
            | kw_party
            | group_word
            | kw_pay
            | kw_period
            | kw_rounded
            | kw_rounding
            | kw_settled
            | kw_settlement
            | kw_starting
            | kw_table
            | kw_term
            | kw_text
            | kw_the
            | kw_then
            | kw_through
            | kw_tiers
            | kw_to
            | kw_total
            | kw_until
            | kw_valued
            | kw_where
            | kw_days
    )
}

/// A node's children, with positional keywords removed, read in order
/// straight from pest's token queue (no copy of them is made).
struct Kids<'i> {
    span: Span,
    items: std::iter::Peekable<KeptPairs<'i>>,
}

type KeptPairs<'i> = std::iter::Filter<Pairs<'i, Rule>, fn(&Pair<'i, Rule>) -> bool>;

fn is_kept(pair: &Pair<'_, Rule>) -> bool {
    !is_dropped_keyword(pair.as_rule())
}

impl<'i> Kids<'i> {
    fn next(&mut self) -> L<Pair<'i, Rule>> {
        self.items.next().ok_or(Malformed(self.span))
    }

    /// The next child, if there is one.
    fn pop(&mut self) -> Option<Pair<'i, Rule>> {
        self.items.next()
    }

    /// The next child if it is of the given rule.
    fn next_if(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        self.items.next_if(|p| p.as_rule() == rule)
    }

    /// How many children are left.
    fn count(&self) -> usize {
        self.items.clone().count()
    }

    fn rest(self) -> impl Iterator<Item = Pair<'i, Rule>> {
        self.items
    }
}

impl Lowerer {
    /// Reads the options written after a rule (or the header), in any
    /// order: `apply` stores one and says whether that option was already
    /// given, which is reported once per repetition, naming `whole`.
    fn options<'i>(
        &mut self,
        kids: Kids<'i>,
        whole: &str,
        mut apply: impl FnMut(&mut Self, Pair<'i, Rule>) -> L<bool>,
    ) -> L<()> {
        for option in kids.rest() {
            let span = self.span(&option);
            let rule = option.as_rule();
            if apply(self, option)? {
                self.report(duplicate_option(span, whole, rule));
            }
        }
        Ok(())
    }

    pub fn new(offset: usize, max_chain: usize) -> Self {
        Lowerer {
            offset,
            max_chain,
            depth: 0,
            too_deep: false,
            may_hold_comments: true,
            diagnostics: Vec::new(),
        }
    }

    /// Values and conditions can nest without brackets (`total x where y >
    /// total ...`); past this depth they are rejected rather than risk the
    /// stack. Brackets alone are limited far lower, by the prescan.
    const MAX_DEPTH: usize = 600;

    /// Lowers `pair` one level of nesting deeper with `lower`; past the
    /// depth limit it becomes `invalid` (reported once) instead.
    fn nested<'i, T>(
        &mut self,
        pair: Pair<'i, Rule>,
        invalid: fn(Span) -> T,
        lower: fn(&mut Self, Pair<'i, Rule>, Span) -> L<T>,
    ) -> L<T> {
        let span = self.span(&pair);
        let result = if self.enter(span) {
            lower(self, pair, span)
        } else {
            Ok(invalid(span))
        };
        self.depth -= 1;
        result
    }

    /// Enters one level of nesting; `false` (reported once) when too deep.
    fn enter(&mut self, span: Span) -> bool {
        self.depth += 1;
        if self.depth <= Self::MAX_DEPTH {
            return true;
        }
        if !self.too_deep {
            self.too_deep = true;
            self.report(
                Diagnostic::error(
                    Code::NestingTooDeep,
                    "this value nests too deeply to be read",
                    span,
                    "nested here",
                )
                .with_help("split the computation or the condition into simpler parts"),
            );
        }
        false
    }

    /// Qualifications (`of`, `capped at` ...) nest the tree one level each;
    /// past the limit, the value is rejected rather than risk the stack.
    fn chain_too_long(&mut self, count: usize, span: Span) -> bool {
        if count <= self.max_chain {
            return false;
        }
        self.report(
            Diagnostic::error(
                Code::NestingTooDeep,
                format!(
                    "this value is qualified {count} times, more than the limit of {}",
                    self.max_chain
                ),
                span,
                "too many `of`, `capped at`, `at least`, `for each` or `rounded` in a row",
            )
            .with_help("split the computation into simpler parts"),
        );
        true
    }

    /// The span of a node, without the whitespace and comments that pest
    /// includes after a rule ending in an optional part.
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let start = s.start() + self.offset;
        let text = pair.as_str();
        let len = if self.may_hold_comments {
            content_len(text)
        } else {
            text.trim_end().len()
        };
        Span::new(start, start + len)
    }

    fn kids<'i>(&self, pair: Pair<'i, Rule>) -> Kids<'i> {
        let span = self.span(&pair);
        Kids {
            span,
            items: pair
                .into_inner()
                .filter(is_kept as fn(&Pair<'i, Rule>) -> bool)
                .peekable(),
        }
    }

    /// Lowers each remaining child with `lower`, into a vector of exactly
    /// their number: collected one by one, a vector keeps room for up to
    /// twice as many for as long as the file is held.
    fn each<'i, T>(
        &mut self,
        kids: Kids<'i>,
        mut lower: impl FnMut(&mut Self, Pair<'i, Rule>) -> L<T>,
    ) -> L<Vec<T>> {
        let mut lowered = Vec::with_capacity(kids.count());
        for pair in kids.rest() {
            lowered.push(lower(self, pair)?);
        }
        Ok(lowered)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Adds one parsed top-level item to the file.
    pub fn lower_item(&mut self, item: Pair<'_, Rule>, file: &mut ContractFile) -> L<()> {
        // Finding where each node ends without its trailing comments scans
        // the node's last line; one scan of the item tells whether any
        // node can end in a comment at all.
        self.may_hold_comments = item.as_str().contains('#');
        {
            match item.as_rule() {
                Rule::contract => {
                    let header = self.header(item)?;
                    match &file.header {
                        Some(first) => {
                            let first_span = first.span;
                            self.report(
                                Diagnostic::error(
                                    Code::DuplicateHeader,
                                    "the file has two `contract` headers",
                                    header.title.span,
                                    "second header",
                                )
                                .with_related(first_span, "first header")
                                .with_help("a clause file describes one contract; remove one header or split the file"),
                            );
                        }
                        None => file.header = Some(header),
                    }
                }
                Rule::party => file.parties.push(self.party(item)?),
                Rule::group => file.groups.push(self.group(item)?),
                Rule::category => file.categories.push(self.category(item)?),
                Rule::period => file.periods.push(self.period(item)?),
                Rule::event => file.events.push(self.event(item)?),
                Rule::milestone => file.milestones.push(self.milestone(item)?),
                Rule::definition => file.definitions.push(self.definition(item)?),
                Rule::account => {
                    if let Some(account) = self.account(item)? {
                        file.accounts.push(account);
                    }
                }
                Rule::clause => file.clauses.push(self.clause(item)?),
                Rule::EOI => {}
                _ => return Err(Malformed(self.span(&item))),
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------ literals

    fn name(&self, pair: Pair<'_, Rule>) -> Name {
        Spanned::new(pair.as_str().to_string(), self.span(&pair))
    }

    fn string(&self, pair: Pair<'_, Rule>) -> L<Spanned<String>> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next().ok_or(Malformed(span))?;
        let raw = inner.as_str();
        let text = match inner.as_rule() {
            Rule::long_string => dedent(raw.get(3..raw.len().saturating_sub(3)).unwrap_or("")),
            _ => unescape(raw.get(1..raw.len().saturating_sub(1)).unwrap_or("")),
        };
        Ok(Spanned::new(text, span))
    }

    fn decimal(&mut self, pair: &Pair<'_, Rule>) -> Option<Decimal> {
        match parse_number(pair.as_str(), self.span(pair)) {
            Ok(value) => Some(value),
            Err(d) => {
                self.report(d);
                None
            }
        }
    }

    fn date_ref(&mut self, pair: Pair<'_, Rule>) -> L<Spanned<DateRef>> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next().ok_or(Malformed(span))?;
        let text = inner.as_str();
        let value = match inner.as_rule() {
            Rule::year_only => {
                let year: i16 = text.parse().unwrap_or(0);
                self.report(
                    Diagnostic::error(
                        Code::YearWithoutDay,
                        format!("`{text}` is a year, not a date"),
                        span,
                        "which day of the year?",
                    )
                    .with_help(format!(
                        "write the day in full, such as `{year}-12-31` or `{year}-01-01`; as the end of a window, `through {year}-12-31` keeps the whole of {year} and `until {year}-01-01` ends when {prev} ends",
                        prev = year.saturating_sub(1)
                    )),
                );
                DateRef::YearOnly(year)
            }
            _ => match parse_date(text, span) {
                Ok(date) => DateRef::Date(date),
                Err(d) => {
                    self.report(d);
                    DateRef::Invalid
                }
            },
        };
        Ok(Spanned::new(value, span))
    }

    fn money(&mut self, pair: Pair<'_, Rule>) -> L<Option<Money>> {
        let span = self.span(&pair);
        let text = pair.as_str().to_string();
        let mut kids = self.kids(pair);
        let code = kids.next()?;
        let number = kids.next()?;
        let scale = kids.next_if(Rule::scale);
        let currency = match parse_currency(code.as_str(), self.span(&code)) {
            Ok(c) => Some(c),
            Err(d) => {
                self.report(d);
                None
            }
        };
        let Some(mut amount) = self.decimal(&number) else {
            return Ok(None);
        };
        if let Some(scale) = scale {
            match scaled(amount, scale.as_str(), &text, span) {
                Ok(v) => amount = v,
                Err(d) => {
                    self.report(d);
                    return Ok(None);
                }
            }
        }
        Ok(currency.map(|currency| Money { currency, amount }))
    }

    fn rounding(&mut self, pair: Pair<'_, Rule>) -> L<Option<Rounding>> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let mode_pair = kids.next()?;
        let unit_pair = kids.next()?;
        let mode = match mode_pair.as_str() {
            "half-up" => RoundingMode::HalfUp,
            "half-even" => RoundingMode::HalfEven,
            "half-down" => RoundingMode::HalfDown,
            "up" => RoundingMode::Up,
            "down" => RoundingMode::Down,
            "ceiling" => RoundingMode::Ceiling,
            "floor" => RoundingMode::Floor,
            _ => return Err(Malformed(self.span(&mode_pair))),
        };
        let unit_span = self.span(&unit_pair);
        let Some(unit) = self.decimal(&unit_pair) else {
            return Ok(None);
        };
        if unit.is_zero() {
            self.report(
                Diagnostic::error(
                    Code::InvalidRounding,
                    "cannot round to a unit of zero",
                    unit_span,
                    "the rounding unit",
                )
                .with_help(
                    "round to a positive unit, such as `0.01` for cents or `1` for whole units",
                ),
            );
            return Ok(None);
        }
        Ok(Some(Rounding {
            mode: Spanned::new(mode, self.span(&mode_pair)),
            unit: Spanned::new(unit, unit_span),
            span,
        }))
    }

    fn duration(&mut self, pair: Pair<'_, Rule>) -> L<Option<Duration>> {
        let mut kids = self.kids(pair);
        let number = kids.next()?;
        let unit = kids.next()?;
        let unit_word = unit.as_str();
        // Weeks are counted in days and years in months.
        let (plural, factor, months) = match unit_word.trim_end_matches('s') {
            "week" => ("weeks", 7, false),
            "month" => ("months", 1, true),
            "year" => ("years", 12, true),
            "day" => ("days", 1, false),
            _ => return Err(Malformed(self.span(&unit))),
        };
        let span = self.span(&number);
        match parse_whole(number.as_str(), span, plural) {
            Ok(n) => match n.checked_mul(factor) {
                Some(n) if months => Ok(Some(Duration::Months(n))),
                Some(n) => Ok(Some(Duration::Days(n))),
                None => {
                    self.report(Diagnostic::error(
                        Code::NumberTooLarge,
                        format!("`{} {unit_word}` is too long a time", number.as_str()),
                        span,
                        "too large",
                    ));
                    Ok(None)
                }
            },
            Err(d) => {
                self.report(d);
                Ok(None)
            }
        }
    }

    fn clause_number(&mut self, pair: Pair<'_, Rule>) -> Spanned<ClauseNumber> {
        let span = self.span(&pair);
        let mut parts = Vec::new();
        for part in pair.as_str().split('.') {
            match part.parse::<u32>() {
                Ok(n) if n > 0 => parts.push(n),
                _ => {
                    self.report(
                        Diagnostic::error(
                            Code::InvalidClauseNumber,
                            format!("`{}` is not a valid clause number", pair.as_str()),
                            span,
                            "each part of a clause number runs from 1 to 4294967295",
                        )
                        .with_help("number clauses 1, 2, 2.1, 2.2 ..."),
                    );
                    parts.push(0);
                }
            }
        }
        Spanned::new(ClauseNumber(parts), span)
    }

    // ------------------------------------------------------------ header and declarations

    fn header(&mut self, pair: Pair<'_, Rule>) -> L<Header> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let title = self.string(kids.next()?)?;
        let mut header = Header {
            title,
            effective: None,
            term: None,
            renewal: None,
            currency: None,
            rounding: None,
            settlement: None,
            span,
        };
        self.options(kids, "the contract header", |this, prop| {
            let prop_span = this.span(&prop);
            let rule = prop.as_rule();
            let mut inner = this.kids(prop);
            Ok(match rule {
                Rule::effective => header
                    .effective
                    .replace(this.date_ref(inner.next()?)?)
                    .is_some(),
                Rule::term => header
                    .term
                    .replace(this.window_end(inner.next()?)?)
                    .is_some(),
                Rule::renewal => {
                    inner.next_if(Rule::renews_for);
                    let period_pair = inner.next()?;
                    let period_span = this.span(&period_pair);
                    let period = this.duration(period_pair)?.unwrap_or(Duration::Days(0));
                    inner.next_if(Rule::kw_unless);
                    let notice = this.event_pattern(inner.next()?)?;
                    let before_pair = inner.next()?;
                    let before_span = this.span(&before_pair);
                    let before = this.duration(before_pair)?.unwrap_or(Duration::Days(0));
                    let renewal = Renewal {
                        period: Spanned::new(period, period_span),
                        notice,
                        before: Spanned::new(before, before_span),
                        span: prop_span,
                    };
                    header.renewal.replace(renewal).is_some()
                }
                Rule::default_currency => {
                    let code = inner.next()?;
                    let code_span = this.span(&code);
                    match parse_currency(code.as_str(), code_span) {
                        Ok(c) => header
                            .currency
                            .replace(Spanned::new(c, code_span))
                            .is_some(),
                        Err(d) => {
                            this.report(d);
                            false
                        }
                    }
                }
                Rule::default_rounding => match this.rounding(inner.next()?)? {
                    Some(r) => header.rounding.replace(r).is_some(),
                    None => false,
                },
                Rule::settlement => header
                    .settlement
                    .replace(this.name(inner.next()?))
                    .is_some(),
                _ => return Err(Malformed(prop_span)),
            })
        })?;
        Ok(header)
    }

    fn party(&mut self, pair: Pair<'_, Rule>) -> L<Party> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let name = self.name(kids.next()?);
        let legal_name = self.label(&mut kids)?;
        Ok(Party {
            name,
            legal_name,
            span,
        })
    }

    fn group(&mut self, pair: Pair<'_, Rule>) -> L<Group> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let name = self.name(kids.next()?);
        let label = self.label(&mut kids)?;
        let mut members = Vec::new();
        while let Some(member) = kids.next_if(Rule::ident) {
            members.push(self.name(member));
        }
        members.shrink_to_fit();
        let changes = self.each(kids, Self::membership_change)?;
        Ok(Group {
            name,
            label,
            members,
            changes,
            span,
        })
    }

    fn membership_change(&mut self, pair: Pair<'_, Rule>) -> L<MembershipChange> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let word = kids.next()?;
        let kind = match word.as_rule() {
            Rule::joins_word => MembershipKind::Joins,
            _ => MembershipKind::Leaves,
        };
        let kind = Spanned::new(kind, self.span(&word));
        let field = self.field_ref(kids.next()?)?;
        let filter = self.optional_where(&mut kids)?;
        Ok(MembershipChange {
            kind,
            field,
            filter,
            span,
        })
    }

    /// A `where` condition, when one comes next.
    fn optional_where(&mut self, kids: &mut Kids<'_>) -> L<Option<Condition>> {
        match kids.next_if(Rule::where_clause) {
            Some(w) => Ok(Some(self.where_clause(w)?)),
            None => Ok(None),
        }
    }

    /// A quoted string (a label, a legal name, a basis), when one comes next.
    fn label(&mut self, kids: &mut Kids<'_>) -> L<Option<Spanned<String>>> {
        match kids.next_if(Rule::string) {
            Some(s) => Ok(Some(self.string(s)?)),
            None => Ok(None),
        }
    }

    fn category(&mut self, pair: Pair<'_, Rule>) -> L<Category> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let name = self.name(kids.next()?);
        let label = self.label(&mut kids)?;
        let members = kids.rest().map(|m| self.name(m)).collect();
        Ok(Category {
            name,
            label,
            members,
            span,
        })
    }

    fn period(&mut self, pair: Pair<'_, Rule>) -> L<PeriodDecl> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let name = self.name(kids.next()?);
        let label = self.label(&mut kids)?;
        let base_pair = kids.next()?;
        let base = match base_pair.as_str() {
            "year" => PeriodBase::Year,
            "quarter" => PeriodBase::Quarter,
            "month" => PeriodBase::Month,
            _ => return Err(Malformed(self.span(&base_pair))),
        };
        let (month, month_span, start_written) = match kids.pop() {
            Some(month_pair) => {
                let month_span = self.span(&month_pair);
                let month = match parse_month(month_pair.as_str(), month_span) {
                    Ok(m) => m,
                    Err(d) => {
                        self.report(d);
                        1
                    }
                };
                (month, month_span, true)
            }
            None => (1, self.span(&base_pair), false),
        };
        Ok(PeriodDecl {
            name,
            label,
            base: Spanned::new(base, self.span(&base_pair)),
            start_month: Spanned::new(month, month_span),
            start_written,
            span,
        })
    }

    fn event(&mut self, pair: Pair<'_, Rule>) -> L<EventDecl> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let name = self.name(kids.next()?);
        let has_actor = kids.next_if(Rule::event_actor).is_some();
        let label = self.label(&mut kids)?;
        let mut fields = Vec::new();
        for field in kids.rest() {
            let field_span = self.span(&field);
            let mut inner = self.kids(field);
            let field_name = self.name(inner.next()?);
            let ty_pair = inner.next()?;
            let ty_span = self.span(&ty_pair);
            let ty = match ty_pair.as_str() {
                // `signed money`, however it is spaced.
                written if written.split_whitespace().eq(["signed", "money"]) => {
                    TypeName::SignedMoney
                }
                // `money in EUR`, `signed money in EUR`.
                written if written.split_whitespace().any(|w| w == "in") => {
                    let code = written.split_whitespace().last().unwrap_or("");
                    let signed = written.starts_with("signed");
                    match parse_currency(code, ty_span) {
                        Ok(currency) => TypeName::MoneyIn { currency, signed },
                        Err(d) => {
                            self.report(d);
                            TypeName::Money
                        }
                    }
                }
                "money" => TypeName::Money,
                "percent" => TypeName::Percent,
                "number" => TypeName::Number,
                "count" => TypeName::Count,
                "days" => TypeName::Days,
                "date" => TypeName::Date,
                "text" => TypeName::Text,
                "bool" => TypeName::Bool,
                "party" => TypeName::Party,
                other => TypeName::Named(other.to_string()),
            };
            fields.push(FieldDecl {
                name: field_name,
                ty: Spanned::new(ty, ty_span),
                span: field_span,
            });
        }
        Ok(EventDecl {
            name,
            label,
            has_actor,
            fields,
            span,
        })
    }

    fn milestone(&mut self, pair: Pair<'_, Rule>) -> L<Milestone> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let name = self.name(kids.next()?);
        let label = self.label(&mut kids)?;
        let condition = self.milestone_cond(kids.next()?)?;
        Ok(Milestone {
            name,
            label,
            condition,
            span,
        })
    }

    fn definition(&mut self, pair: Pair<'_, Rule>) -> L<Definition> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let name = self.name(kids.next()?);
        let label = self.label(&mut kids)?;
        let body = kids.next()?;
        let body = match body.as_rule() {
            Rule::definition_value => DefinitionBody::Value(self.expr(self.kids(body).next()?)?),
            _ => DefinitionBody::Condition(self.condition(body)?),
        };
        let period = match kids.next_if(Rule::definition_period) {
            Some(period) => Some(self.name(self.kids(period).next()?)),
            None => None,
        };
        Ok(Definition {
            name,
            label,
            body,
            period,
            span,
        })
    }

    /// An account; `None` when its opening amount or date could not be
    /// read (already reported).
    fn account(&mut self, pair: Pair<'_, Rule>) -> L<Option<Account>> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let name = self.name(kids.next()?);
        let label = self.label(&mut kids)?;
        let mut opening = self.kids(kids.next()?);
        let money_pair = opening.next()?;
        let money_span = self.span(&money_pair);
        let money = self.money(money_pair)?;
        let date_pair = opening.next()?;
        let date_span = self.span(&date_pair);
        let opens = match parse_date(date_pair.as_str(), date_span) {
            Ok(date) => Some(date),
            Err(d) => {
                self.report(d);
                None
            }
        };
        let movements = self.each(kids, Self::movement)?;
        let (Some(money), Some(opens)) = (money, opens) else {
            return Ok(None);
        };
        Ok(Some(Account {
            name,
            label,
            opening: Spanned::new(money, money_span),
            opens: Spanned::new(opens, date_span),
            movements,
            span,
        }))
    }

    fn movement(&mut self, pair: Pair<'_, Rule>) -> L<Movement> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let word = kids.next()?;
        let direction = match word.as_rule() {
            Rule::increased_word => Direction::Increased,
            _ => Direction::Decreased,
        };
        let direction = Spanned::new(direction, self.span(&word));
        let amount = self.expr(kids.next()?)?;
        let when = kids.next()?;
        let when = match when.as_rule() {
            Rule::per_event => {
                MovementTime::EachEvent(self.event_pattern(self.kids(when).next()?)?)
            }
            _ => MovementTime::PeriodEnd(self.name(self.kids(when).next()?)),
        };
        Ok(Movement {
            direction,
            amount,
            when,
            span,
        })
    }

    fn milestone_cond(&mut self, pair: Pair<'_, Rule>) -> L<MilestoneCond> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let kids = self.kids(pair);
        match rule {
            Rule::milestone_cond | Rule::milestone_alt | Rule::milestone_seq => {
                let mut parts = self.each(kids, Self::milestone_cond)?;
                if parts.len() == 1 {
                    return parts.pop().ok_or(Malformed(span));
                }
                Ok(match rule {
                    Rule::milestone_cond => MilestoneCond::Any(parts, span),
                    Rule::milestone_alt => MilestoneCond::All(parts, span),
                    _ => MilestoneCond::Sequence(parts, span),
                })
            }
            Rule::milestone_atom => {
                let mut kids = kids;
                let inner = kids.next()?;
                match inner.as_rule() {
                    Rule::milestone_cond => self.milestone_cond(inner),
                    Rule::event_pattern => {
                        Ok(MilestoneCond::Event(Box::new(self.event_pattern(inner)?)))
                    }
                    Rule::running_total => {
                        let span = self.span(&inner);
                        let mut kids = self.kids(inner);
                        let field = self.field_ref(kids.next()?)?;
                        let filter = self.optional_where(&mut kids)?;
                        let threshold = self.primary(kids.next()?)?;
                        Ok(MilestoneCond::Total(Box::new(TotalReaches {
                            field,
                            filter,
                            threshold,
                            span,
                        })))
                    }
                    Rule::running_count => {
                        let span = self.span(&inner);
                        let mut kids = self.kids(inner);
                        let pattern = self.event_pattern(kids.next()?)?;
                        let threshold = self.primary(kids.next()?)?;
                        Ok(MilestoneCond::Count(Box::new(CountReaches {
                            pattern,
                            threshold,
                            span,
                        })))
                    }
                    Rule::paid_in_full => {
                        let span = self.span(&inner);
                        let mut kids = self.kids(inner);
                        let clause = self.clause_number(kids.next()?);
                        Ok(MilestoneCond::PaidInFull(Box::new(PaidInFull {
                            clause,
                            span,
                        })))
                    }
                    _ => Ok(MilestoneCond::Date(self.date_ref(inner)?)),
                }
            }
            _ => Err(Malformed(span)),
        }
    }

    /// `in the same PERIOD` or `within the last LENGTH`, when it is next.
    fn optional_stretch(&mut self, kids: &mut Kids<'_>) -> L<Option<Box<Spanned<Stretch>>>> {
        let Some(stretch) = kids.next_if(Rule::total_stretch) else {
            return Ok(None);
        };
        let at = self.span(&stretch);
        let mut inner = self.kids(stretch);
        let word = inner.next()?;
        let value = inner.next()?;
        let stretch = match word.as_rule() {
            Rule::in_the_same => Stretch::SamePeriod(self.name(value)),
            // A length that cannot be read was reported here; one day stands
            // in for it, so that the checker does not report a stretch of no
            // length as well (a file with an error is never evaluated).
            Rule::within_the_last => {
                Stretch::Last(self.duration(value)?.unwrap_or(Duration::Days(1)))
            }
            _ => return Err(Malformed(at)),
        };
        Ok(Some(Box::new(Spanned::new(stretch, at))))
    }

    fn event_pattern(&mut self, pair: Pair<'_, Rule>) -> L<EventPattern> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let event = self.name(kids.next()?);
        let by = kids.next_if(Rule::ident).map(|p| self.name(p));
        let filter = self.optional_where(&mut kids)?;
        Ok(EventPattern {
            event,
            by,
            filter,
            span,
        })
    }

    // ------------------------------------------------------------ clauses

    fn clause(&mut self, pair: Pair<'_, Rule>) -> L<Clause> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let number = self.clause_number(kids.next()?);
        let heading = self.label(&mut kids)?;
        let mut exception_to = Vec::new();
        if let Some(exc) = kids.next_if(Rule::exception_to) {
            for n in self.kids(exc).rest() {
                exception_to.push(self.clause_number(n));
            }
        }
        let survives = match kids.next_if(Rule::survives) {
            Some(pair) => {
                let span = self.span(&pair);
                let mut inner = self.kids(pair);
                inner.next_if(Rule::kw_survives);
                let mut length = None;
                if let Some(duration_pair) = inner.next_if(Rule::duration) {
                    let at = self.span(&duration_pair);
                    length = self.duration(duration_pair)?.map(|d| Spanned::new(d, at));
                }
                Some(Survival { length, span })
            }
            None => None,
        };
        let mut clause = Clause {
            number,
            heading,
            exception_to,
            survives,
            wording: Vec::new(),
            allows: Vec::new(),
            statements: Vec::new(),
            span,
        };
        // The party a rule binds is read before the rule's own node (the
        // grammar reads it once for every kind of rule that starts with it).
        let mut party = None;
        for part in kids.rest() {
            match part.as_rule() {
                Rule::ident => party = Some(part),
                Rule::wording => {
                    let mut inner = self.kids(part);
                    clause.wording.push(self.string(inner.next()?)?);
                }
                Rule::allow => {
                    let allow_span = self.span(&part);
                    let mut codes = Vec::new();
                    let mut reason = None;
                    for p in self.kids(part).rest() {
                        match p.as_rule() {
                            Rule::word => codes.push(self.name(p)),
                            _ => reason = Some(self.string(p)?),
                        }
                    }
                    clause.allows.push(Allow {
                        codes,
                        reason: reason.ok_or(Malformed(allow_span))?,
                        span: allow_span,
                    });
                }
                _ => clause.statements.push(self.statement(part, party.take())?),
            }
        }
        // A statement is about a kilobyte and most clauses hold one, but a
        // vector's first push makes room for four: without this, room for
        // three unused statements was most of the memory a file took.
        clause.statements.shrink_to_fit();
        clause.wording.shrink_to_fit();
        Ok(clause)
    }

    /// One rule of a clause; `party` is the name written before it, for
    /// the rules that start with the party they bind.
    fn statement<'i>(
        &mut self,
        pair: Pair<'i, Rule>,
        party: Option<Pair<'i, Rule>>,
    ) -> L<Statement> {
        let mut span = self.span(&pair);
        let party = match party {
            Some(party) => {
                span = Span::new(self.span(&party).start, span.end);
                Ok(self.name(party))
            }
            None => Err(Malformed(span)),
        };
        match pair.as_rule() {
            Rule::obligation_pay => self
                .pay(pair, party?, span)
                .map(|rule| Statement::Pay(Box::new(rule))),
            Rule::obligation_do => self
                .action_rule(pair, party?, span)
                .map(|rule| Statement::Do(Box::new(rule))),
            Rule::prohibition => self
                .action_rule(pair, party?, span)
                .map(|rule| Statement::MustNot(Box::new(rule))),
            Rule::permission => self
                .action_rule(pair, party?, span)
                .map(|rule| Statement::May(Box::new(rule))),
            Rule::grant => self
                .grant(pair, party?, span)
                .map(|rule| Statement::Grant(Box::new(rule))),
            Rule::exclusion => {
                let mut kids = self.kids(pair);
                let scope = self.action(kids.next()?)?;
                Ok(Statement::Exclusion(Box::new(Exclusion { scope, span })))
            }
            Rule::holding => self
                .holding(pair, party?, span)
                .map(|rule| Statement::Holding(Box::new(rule))),
            Rule::ownership => self
                .ownership(pair, party?, span)
                .map(|rule| Statement::Own(Box::new(rule))),
            Rule::cap_table => {
                let mut kids = self.kids(pair);
                let entity = self.name(kids.next()?);
                Ok(Statement::CapTable(Box::new(CapTable { entity, span })))
            }
            Rule::commitment => self
                .commitment(pair, party?, span)
                .map(|rule| Statement::Commitment(Box::new(rule))),
            Rule::aggregate_cap => {
                let mut kids = self.kids(pair);
                kids.next_if(Rule::owed_word);
                let debtor = self.name(kids.next()?);
                let creditor = kids.next_if(Rule::ident).map(|p| self.name(p));
                kids.next_if(Rule::under_clauses);
                let mut clauses = Vec::new();
                while let Some(number) = kids.next_if(Rule::clause_number) {
                    clauses.push(self.clause_number(number));
                }
                let word = kids.next()?;
                let kind = match word.as_rule() {
                    Rule::at_least => LimitKind::Floor,
                    _ => LimitKind::Cap,
                };
                let kind = Spanned::new(kind, self.span(&word));
                let amount = self.expr(kids.next()?)?;
                let per = kids.next_if(Rule::ident).map(|p| self.name(p));
                let partial = kids.next_if(Rule::partial_periods).map(|p| {
                    let at = self.span(&p);
                    Spanned::new(partial_periods(p.as_str()), at)
                });
                let due = match kids.next_if(Rule::limit_due) {
                    Some(due) => {
                        let length = self.kids(due).next()?;
                        let at = self.span(&length);
                        // An unreadable length was reported where it was read.
                        let delay = self.duration(length)?.unwrap_or(Duration::Days(0));
                        Some(Spanned::new(delay, at))
                    }
                    None => None,
                };
                Ok(Statement::Cap(Box::new(AggregateCap {
                    kind,
                    debtor,
                    creditor,
                    clauses,
                    amount,
                    per,
                    partial,
                    due,
                    span,
                })))
            }
            Rule::suspension => {
                let mut kids = self.kids(pair);
                kids.next_if(Rule::suspends_clauses);
                let mut clauses = Vec::new();
                while let Some(number) = kids.next_if(Rule::clause_number) {
                    clauses.push(self.clause_number(number));
                }
                let from = self.event_pattern(kids.next()?)?;
                let until = self.event_pattern(kids.next()?)?;
                Ok(Statement::Suspension(Box::new(Suspension {
                    clauses,
                    from,
                    until,
                    span,
                })))
            }
            _ => Err(Malformed(span)),
        }
    }

    fn pay(&mut self, pair: Pair<'_, Rule>, debtor: Name, span: Span) -> L<PayObligation> {
        let mut kids = self.kids(pair);
        let creditor = self.name(kids.next()?);
        let amount = self.expr(kids.next()?)?;
        let mut obligation = PayObligation {
            debtor,
            creditor,
            amount,
            recurrence: None,
            basis: None,
            partial: None,
            window: Window::default(),
            due: None,
            settled_by: None,
            rounding: None,
            interest: None,
            cure: None,
            rights: Vec::new(),
            carve_outs: Vec::new(),
            span,
        };
        self.options(kids, "this obligation", |this, option| {
            Ok(match option.as_rule() {
                Rule::per_period => {
                    let mut inner = this.kids(option);
                    let target = inner.next()?;
                    let recurrence = if target.as_rule() == Rule::field_ref {
                        Recurrence::EachPeriodField(this.field_ref(target)?)
                    } else {
                        Recurrence::EachPeriod(this.name(target))
                    };
                    if let Some(basis) = inner.next_if(Rule::period_basis) {
                        let written = if basis.as_str().ends_with("reported") {
                            PeriodBasis::Reported
                        } else {
                            PeriodBasis::Earned
                        };
                        obligation.basis = Some(Spanned::new(written, this.span(&basis)));
                    }
                    obligation.recurrence.replace(recurrence).is_some()
                }
                Rule::partial_periods => {
                    let partial = partial_periods(option.as_str());
                    let at = this.span(&option);
                    obligation
                        .partial
                        .replace(Spanned::new(partial, at))
                        .is_some()
                }
                Rule::cure => obligation.cure.replace(this.cure(option)?).is_some(),
                Rule::arising_right => {
                    obligation.rights.push(this.arising_right(option)?);
                    false
                }
                Rule::late_interest => {
                    let at = this.span(&option);
                    let mut inner = this.kids(option);
                    inner.next_if(Rule::late_interest_at);
                    let rate_pair = inner.next()?;
                    let rate_span = this.span(&rate_pair);
                    let rate = this.percent_value(rate_pair)?.unwrap_or_default();
                    let per_pair = inner.next()?;
                    let per = if per_pair.as_str().ends_with("month") {
                        RatePeriod::Month
                    } else {
                        RatePeriod::Year
                    };
                    let per = Spanned::new(per, this.span(&per_pair));
                    let compounding = inner.next_if(Rule::compounded).map(|c| {
                        let every = if c.as_str().ends_with("monthly") {
                            RatePeriod::Month
                        } else {
                            RatePeriod::Year
                        };
                        Spanned::new(every, this.span(&c))
                    });
                    let day_count = match inner.next_if(Rule::day_count) {
                        Some(count) => {
                            let count_span = this.span(&count);
                            match parse_day_count(count.as_str(), count_span) {
                                Ok(written) => Some(Spanned::new(written, count_span)),
                                Err(diagnostic) => {
                                    this.report(diagnostic);
                                    None
                                }
                            }
                        }
                        None => None,
                    };
                    let interest = LateInterest {
                        rate: Spanned::new(rate, rate_span),
                        per,
                        compounding,
                        day_count,
                        span: at,
                    };
                    obligation.interest.replace(interest).is_some()
                }
                Rule::per_event => {
                    let mut inner = this.kids(option);
                    let pattern = this.event_pattern(inner.next()?)?;
                    obligation
                        .recurrence
                        .replace(Recurrence::EachEvent(pattern))
                        .is_some()
                }
                Rule::settled_by => {
                    let mut inner = this.kids(option);
                    obligation
                        .settled_by
                        .replace(this.name(inner.next()?))
                        .is_some()
                }
                Rule::rounding => {
                    let mut inner = this.kids(option);
                    match this.rounding(inner.next()?)? {
                        Some(r) => obligation.rounding.replace(r).is_some(),
                        None => false,
                    }
                }
                Rule::due => obligation.due.replace(this.due(option)?).is_some(),
                _ => this.window_or_carve_out(
                    option,
                    &mut obligation.window,
                    &mut obligation.carve_outs,
                )?,
            })
        })?;
        obligation.carve_outs.shrink_to_fit();
        Ok(obligation)
    }

    /// Handles the options every rule shares; returns whether the option
    /// was already given.
    fn window_or_carve_out(
        &mut self,
        option: Pair<'_, Rule>,
        window: &mut Window,
        carve_outs: &mut Vec<CarveOut>,
    ) -> L<bool> {
        let span = self.span(&option);
        match option.as_rule() {
            Rule::window_from => {
                let mut inner = self.kids(option);
                let bound = self.bound(inner.next()?)?;
                Ok(window.from.replace(bound).is_some())
            }
            Rule::window_end => {
                let end = self.window_end(option)?;
                Ok(window.end.replace(end).is_some())
            }
            Rule::carve_out => {
                let mut inner = self.kids(option);
                let keyword_pair = inner.next()?;
                let keyword = self.name(keyword_pair);
                let condition = self.condition(inner.next()?)?;
                carve_outs.push(CarveOut {
                    keyword,
                    condition,
                    span,
                });
                Ok(false)
            }
            _ => Err(Malformed(span)),
        }
    }

    fn action_rule(&mut self, pair: Pair<'_, Rule>, party: Name, span: Span) -> L<ActionRule> {
        let mut kids = self.kids(pair);
        // `must not`: the `not` keyword is kept by the filter; skip it.
        let _ = kids.next_if(Rule::kw_not);
        let action = self.action(kids.next()?)?;
        let mut rule = ActionRule {
            party,
            action,
            trigger: None,
            window: Window::default(),
            due: None,
            cure: None,
            rights: Vec::new(),
            damages: Vec::new(),
            matching: Vec::new(),
            carve_outs: Vec::new(),
            span,
        };
        self.options(kids, "this rule", |this, option| {
            Ok(match option.as_rule() {
                Rule::due => rule.due.replace(this.due(option)?).is_some(),
                Rule::cure => rule.cure.replace(this.cure(option)?).is_some(),
                Rule::arising_right => {
                    rule.rights.push(this.arising_right(option)?);
                    false
                }
                Rule::arising_payment => {
                    rule.damages.push(this.arising_payment(option)?);
                    false
                }
                Rule::matching => {
                    let given = !rule.matching.is_empty();
                    let mut inner = this.kids(option);
                    inner.next_if(Rule::matching_word);
                    rule.matching = inner.rest().map(|field| this.name(field)).collect();
                    given
                }
                Rule::per_event => {
                    let mut inner = this.kids(option);
                    let pattern = this.event_pattern(inner.next()?)?;
                    rule.trigger.replace(pattern).is_some()
                }
                _ => this.window_or_carve_out(option, &mut rule.window, &mut rule.carve_outs)?,
            })
        })?;
        rule.carve_outs.shrink_to_fit();
        Ok(rule)
    }

    /// `then PARTY must pay PARTY AMOUNT [within LENGTH]`.
    fn arising_payment(&mut self, pair: Pair<'_, Rule>) -> L<ArisingPayment> {
        let span = self.span(&pair);
        let mut inner = self.kids(pair);
        let debtor = self.name(inner.next()?);
        let creditor = self.name(inner.next()?);
        let amount = self.expr(inner.next()?)?;
        inner.next_if(Rule::within_word);
        let within = self.optional_length(&mut inner)?;
        Ok(ArisingPayment {
            debtor,
            creditor,
            amount,
            within,
            span,
        })
    }

    /// The length that comes next, if one does (`within 30 days`).
    fn optional_length(&mut self, kids: &mut Kids<'_>) -> L<Option<Spanned<Duration>>> {
        match kids.next_if(Rule::duration) {
            Some(pair) => {
                let at = self.span(&pair);
                Ok(self.duration(pair)?.map(|d| Spanned::new(d, at)))
            }
            None => Ok(None),
        }
    }

    /// `then PARTY may EVENT [where ...]`.
    fn arising_right(&mut self, pair: Pair<'_, Rule>) -> L<ArisingRight> {
        let span = self.span(&pair);
        let mut inner = self.kids(pair);
        let party = self.name(inner.next()?);
        let action = self.action(inner.next()?)?;
        Ok(ArisingRight {
            party,
            action,
            span,
        })
    }

    /// `cure within 15 days [after EVENT [by PARTY] [where ...]]`.
    fn cure(&mut self, pair: Pair<'_, Rule>) -> L<Box<Cure>> {
        let span = self.span(&pair);
        let mut inner = self.kids(pair);
        inner.next_if(Rule::cure_within);
        let within_pair = inner.next()?;
        let within_span = self.span(&within_pair);
        let within = self.duration(within_pair)?.unwrap_or(Duration::Days(0));
        let notice = match inner.next_if(Rule::event_pattern) {
            Some(pattern) => Some(self.event_pattern(pattern)?),
            None => None,
        };
        Ok(Box::new(Cure {
            within: Spanned::new(within, within_span),
            notice,
            span,
        }))
    }

    fn action(&mut self, pair: Pair<'_, Rule>) -> L<Action> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let event = self.name(kids.next()?);
        let filter = self.optional_where(&mut kids)?;
        Ok(Action {
            event,
            filter,
            span,
        })
    }

    fn grant(&mut self, pair: Pair<'_, Rule>, grantor: Name, span: Span) -> L<Grant> {
        let mut kids = self.kids(pair);
        let grantee = self.name(kids.next()?);
        let exclusive = kids.next_if(Rule::exclusivity).map(|p| {
            let s = self.span(&p);
            Spanned::new(p.as_str() == "exclusive", s)
        });
        let kind_pair = kids.next()?;
        let kind = Spanned::new(
            if kind_pair.as_str() == "right" {
                GrantKind::Right
            } else {
                GrantKind::Licence
            },
            self.span(&kind_pair),
        );
        let label = self.label(&mut kids)?;
        let scope = self.action(kids.next()?)?;
        let mut grant = Grant {
            grantor,
            grantee,
            exclusive,
            kind,
            label,
            scope,
            window: Window::default(),
            carve_outs: Vec::new(),
            passes: None,
            span,
        };
        self.options(kids, "this grant", |this, option| {
            if option.as_rule() == Rule::grant_passes {
                let span = this.span(&option);
                let mut inner = this.kids(option);
                let field = this.field_ref(inner.next()?)?;
                let filter = this.optional_where(&mut inner)?;
                let passes = GrantPasses {
                    field,
                    filter,
                    span,
                };
                return Ok(grant.passes.replace(passes).is_some());
            }
            this.window_or_carve_out(option, &mut grant.window, &mut grant.carve_outs)
        })?;
        grant.carve_outs.shrink_to_fit();
        Ok(grant)
    }

    fn ownership(&mut self, pair: Pair<'_, Rule>, owner: Name, span: Span) -> L<Ownership> {
        let mut kids = self.kids(pair);
        let share = match kids.next_if(Rule::percent) {
            Some(p) => {
                let s = self.span(&p);
                self.percent_value(p)?.map(|v| Spanned::new(v, s))
            }
            None => None,
        };
        let made_by = self.action(kids.next()?)?;
        let passes = self.each(kids, |this, pair| {
            let span = this.span(&pair);
            let mut inner = this.kids(pair);
            let to = this.name(inner.next()?);
            let next = inner.next()?;
            let when = match next.as_rule() {
                Rule::event_pattern => PassingWhen::On(Box::new(this.event_pattern(next)?)),
                _ => PassingWhen::Once(this.name(next)),
            };
            Ok(TitlePassing { to, when, span })
        })?;
        Ok(Ownership {
            owner,
            share,
            made_by,
            passes,
            span,
        })
    }

    fn holding(&mut self, pair: Pair<'_, Rule>, holder: Name, span: Span) -> L<Holding> {
        let mut kids = self.kids(pair);
        let stake_pair = kids.next()?;
        let stake_span = self.span(&stake_pair);
        let stake = self.percent_value(stake_pair)?.unwrap_or_default();
        let entity = self.name(kids.next()?);
        let basis = self.label(&mut kids)?;
        let valuation = match kids.next_if(Rule::money) {
            Some(m) => {
                let m_span = self.span(&m);
                self.money(m)?.map(|v| Spanned::new(v, m_span))
            }
            None => None,
        };
        Ok(Holding {
            holder,
            stake: Spanned::new(stake, stake_span),
            entity,
            basis,
            valuation,
            span,
        })
    }

    fn percent_value(&mut self, pair: Pair<'_, Rule>) -> L<Option<Decimal>> {
        let span = self.span(&pair);
        let number = pair.into_inner().next().ok_or(Malformed(span))?;
        Ok(self.decimal(&number))
    }

    fn commitment(&mut self, pair: Pair<'_, Rule>, party: Name, span: Span) -> L<Commitment> {
        let mut kids = self.kids(pair);
        let beneficiary = kids.next_if(Rule::ident).map(|p| self.name(p));
        let target = self.expr(kids.next()?)?;
        let measure = self.field_ref(kids.next()?)?;
        let filter = self.optional_where(&mut kids)?;
        let mut commitment = Commitment {
            party,
            beneficiary,
            target,
            measure,
            filter,
            per: None,
            shortfall: None,
            window: Window::default(),
            carve_outs: Vec::new(),
            span,
        };
        self.options(kids, "this commitment", |this, option| {
            Ok(match option.as_rule() {
                Rule::commit_per => {
                    let mut inner = this.kids(option);
                    let period = this.name(inner.next()?);
                    commitment.per.replace(period).is_some()
                }
                Rule::shortfall => {
                    let shortfall = this.shortfall(option)?;
                    commitment.shortfall.replace(Box::new(shortfall)).is_some()
                }
                _ => this.window_or_carve_out(
                    option,
                    &mut commitment.window,
                    &mut commitment.carve_outs,
                )?,
            })
        })?;
        commitment.carve_outs.shrink_to_fit();
        Ok(commitment)
    }

    /// `shortfall payment 20% [within 30 days]`, or `USD 5 per unit`.
    fn shortfall(&mut self, pair: Pair<'_, Rule>) -> L<Shortfall> {
        let span = self.span(&pair);
        let mut inner = self.kids(pair);
        inner.next_if(Rule::shortfall_payment);
        let rate_pair = inner.next()?;
        let rate_span = self.span(&rate_pair);
        let rate = if rate_pair.as_rule() == Rule::money {
            inner.next_if(Rule::per_unit);
            // An amount that cannot be read was reported; the rest of the
            // rule is still read, with nothing in its place.
            let money = self.money(rate_pair)?.unwrap_or(Money {
                currency: Currency(*b"XXX"),
                amount: Decimal::ZERO,
            });
            ShortfallRate::PerUnit(Spanned::new(money, rate_span))
        } else {
            let share = self.percent_value(rate_pair)?.unwrap_or_default();
            ShortfallRate::Share(Spanned::new(share, rate_span))
        };
        inner.next_if(Rule::within_word);
        let within = self.optional_length(&mut inner)?;
        Ok(Shortfall { rate, within, span })
    }

    // ------------------------------------------------------------ windows and due dates

    /// A `moment`, or the date or name it is built on.
    fn bound(&mut self, pair: Pair<'_, Rule>) -> L<Spanned<Bound>> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::moment => {
                let mut kids = self.kids(pair);
                self.bound(kids.next()?)
            }
            Rule::relative_moment => {
                let mut kids = self.kids(pair);
                let delay_pair = kids.next()?;
                let delay_span = self.span(&delay_pair);
                let delay = self.duration(delay_pair)?.unwrap_or(Duration::Days(0));
                let anchor = self.bound(kids.next()?)?;
                Ok(Spanned::new(
                    Bound::After {
                        delay: Spanned::new(delay, delay_span),
                        anchor: Box::new(anchor),
                    },
                    span,
                ))
            }
            Rule::date_ref => {
                let d = self.date_ref(pair)?;
                Ok(Spanned::new(Bound::Date(d.node), span))
            }
            _ => Ok(Spanned::new(
                Bound::Milestone(pair.as_str().to_string()),
                span,
            )),
        }
    }

    fn window_end(&mut self, pair: Pair<'_, Rule>) -> L<WindowEnd> {
        let span = self.span(&pair);
        let mut bounds = Vec::new();
        let mut whichever_earlier = false;
        for part in self.kids(pair).rest() {
            match part.as_rule() {
                Rule::kw_whichever => whichever_earlier = true,
                Rule::end_bound => {
                    let mut inner = self.kids(part);
                    let bound = inner.next()?;
                    let rule = bound.as_rule();
                    let mut b = self.kids(bound);
                    let target = b.next()?;
                    bounds.push(match rule {
                        Rule::through_bound => EndBound::Through(self.bound(target)?),
                        Rule::for_bound => {
                            let length_span = self.span(&target);
                            let length = self.duration(target)?.unwrap_or(Duration::Days(0));
                            EndBound::For(Spanned::new(length, length_span))
                        }
                        _ => EndBound::Until(self.bound(target)?),
                    });
                }
                _ => return Err(Malformed(self.span(&part))),
            }
        }
        bounds.shrink_to_fit();
        Ok(WindowEnd {
            bounds,
            whichever_earlier,
            span,
        })
    }

    fn due(&mut self, pair: Pair<'_, Rule>) -> L<Due> {
        let mut kids = self.kids(pair);
        let inner = kids.next()?;
        if inner.as_rule() == Rule::date_ref {
            return Ok(Due::On(self.date_ref(inner)?));
        }
        let mut parts = self.kids(inner);
        let duration_pair = parts.next()?;
        let duration_span = self.span(&duration_pair);
        let delay = self.duration(duration_pair)?.unwrap_or(Duration::Days(0));
        let anchor_pair = parts.next()?;
        let anchor_span = self.span(&anchor_pair);
        let mut anchor_kids = self.kids(anchor_pair);
        let anchor_inner = anchor_kids.next()?;
        let anchor = match anchor_inner.as_rule() {
            Rule::period_end => DueAnchor::PeriodEnd,
            Rule::event_anchor => DueAnchor::Event,
            Rule::ident => DueAnchor::Milestone(anchor_inner.as_str().to_string()),
            _ => DueAnchor::Date(self.date_ref(anchor_inner)?.node),
        };
        Ok(Due::After {
            delay: Spanned::new(delay, duration_span),
            anchor: Spanned::new(anchor, anchor_span),
        })
    }

    // ------------------------------------------------------------ conditions

    fn where_clause(&mut self, pair: Pair<'_, Rule>) -> L<Condition> {
        let mut kids = self.kids(pair);
        self.condition(kids.next()?)
    }

    fn condition(&mut self, pair: Pair<'_, Rule>) -> L<Condition> {
        let invalid = |span| Condition {
            kind: ConditionKind::Test(Expr {
                kind: ExprKind::Invalid,
                span,
            }),
            span,
        };
        self.nested(pair, invalid, Self::condition_inner)
    }

    fn condition_inner(&mut self, pair: Pair<'_, Rule>, span: Span) -> L<Condition> {
        let rule = pair.as_rule();
        let kids = self.kids(pair);
        match rule {
            Rule::condition | Rule::cond_and => {
                let mut parts = self.each(kids, Self::condition)?;
                if parts.len() == 1 {
                    return parts.pop().ok_or(Malformed(span));
                }
                let kind = if rule == Rule::condition {
                    ConditionKind::Any(parts)
                } else {
                    ConditionKind::All(parts)
                };
                Ok(Condition { kind, span })
            }
            Rule::cond_not => {
                let (nots, atom) = prefixed(kids, Rule::kw_not, span)?;
                let inner = self.condition(atom)?;
                // `not not x` is `x`: keep the tree shallow however many are written.
                if nots % 2 == 1 {
                    Ok(Condition {
                        kind: ConditionKind::Not(Box::new(inner)),
                        span,
                    })
                } else {
                    Ok(inner)
                }
            }
            Rule::cond_atom => {
                let mut kids = kids;
                let inner = kids.next()?;
                match inner.as_rule() {
                    Rule::condition => self.condition(inner),
                    Rule::earlier_event => self.earlier_event(inner),
                    _ => self.comparison(inner),
                }
            }
            _ => Err(Malformed(span)),
        }
    }

    /// `after EVENT [by PARTY] [with the same F, ...] [within L | at least L before]`.
    fn earlier_event(&mut self, pair: Pair<'_, Rule>) -> L<Condition> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let event = self.name(kids.next()?);
        let by = kids.next_if(Rule::ident).map(|p| self.name(p));
        let mut matching = Vec::new();
        if let Some(list) = kids.next_if(Rule::same_fields) {
            let mut inner = self.kids(list);
            inner.next_if(Rule::with_the_same);
            for field in inner.rest() {
                matching.push(self.name(field));
            }
        }
        let when = match kids.next_if(Rule::earlier_when) {
            Some(when) => {
                let at = self.span(&when);
                let mut inner = self.kids(when);
                let within = inner.next_if(Rule::within_word).is_some();
                let duration_pair = inner.next()?;
                let length = self.duration(duration_pair)?.unwrap_or(Duration::Days(0));
                Some(Spanned::new(
                    if within {
                        EarlierWhen::Within(length)
                    } else {
                        EarlierWhen::AtLeastBefore(length)
                    },
                    at,
                ))
            }
            None => None,
        };
        Ok(Condition {
            kind: ConditionKind::Earlier(Box::new(EarlierEvent {
                event,
                by,
                matching,
                when,
            })),
            span,
        })
    }

    fn comparison(&mut self, pair: Pair<'_, Rule>) -> L<Condition> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let left = self.operand(kids.next()?)?;
        let Some(op_pair) = kids.pop() else {
            return Ok(Condition {
                kind: ConditionKind::Test(left),
                span,
            });
        };
        let op_span = self.span(&op_pair);
        let op_text: String = op_pair
            .as_str()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let op = match op_text.as_str() {
            "is" => CompareOp::Is,
            "is not" => CompareOp::IsNot,
            "in" => CompareOp::In,
            "not in" => CompareOp::NotIn,
            "=" => CompareOp::Eq,
            "!=" => CompareOp::Ne,
            "<" => CompareOp::Lt,
            "<=" => CompareOp::Le,
            ">" => CompareOp::Gt,
            ">=" => CompareOp::Ge,
            _ => return Err(Malformed(op_span)),
        };
        let right_pair = kids.next()?;
        let right = if right_pair.as_rule() == Rule::value_list {
            let values = self.kids(right_pair);
            self.each(values, Self::operand)?
        } else {
            vec![self.operand(right_pair)?]
        };
        Ok(Condition {
            kind: ConditionKind::Compare {
                left,
                op: Spanned::new(op, op_span),
                right,
            },
            span,
        })
    }

    fn operand(&mut self, pair: Pair<'_, Rule>) -> L<Expr> {
        let mut kids = self.kids(pair);
        self.expr(kids.next()?)
    }

    // ------------------------------------------------------------ expressions

    pub fn expr(&mut self, pair: Pair<'_, Rule>) -> L<Expr> {
        self.nested(pair, invalid_expr, Self::expr_inner)
    }

    fn expr_inner(&mut self, pair: Pair<'_, Rule>, span: Span) -> L<Expr> {
        let rule = pair.as_rule();
        match rule {
            Rule::sum | Rule::term_expr => {
                let mut kids = self.kids(pair);
                let first = self.expr(kids.next()?)?;
                let mut rest = Vec::new();
                while let Some(op_pair) = kids.pop() {
                    let op = match op_pair.as_str() {
                        "+" => ArithOp::Add,
                        "-" => ArithOp::Sub,
                        "*" => ArithOp::Mul,
                        "/" => ArithOp::Div,
                        _ => return Err(Malformed(self.span(&op_pair))),
                    };
                    let op = Spanned::new(op, self.span(&op_pair));
                    let operand = self.expr(kids.next()?)?;
                    rest.push((op, operand));
                }
                if rest.is_empty() {
                    return Ok(first);
                }
                Ok(Expr {
                    kind: ExprKind::Chain {
                        first: Box::new(first),
                        rest,
                    },
                    span,
                })
            }
            Rule::unary => {
                let (negations, operand) = prefixed(self.kids(pair), Rule::neg, span)?;
                let inner = self.expr(operand)?;
                if negations % 2 == 1 {
                    Ok(Expr {
                        kind: ExprKind::Negate(Box::new(inner)),
                        span,
                    })
                } else {
                    Ok(inner)
                }
            }
            Rule::expr => {
                let mut kids = self.kids(pair);
                if self.chain_too_long(kids.count().saturating_sub(1), span) {
                    return Ok(Expr {
                        kind: ExprKind::Invalid,
                        span,
                    });
                }
                let mut value = self.expr(kids.next()?)?;
                for suffix in kids.rest() {
                    let end = self.span(&suffix).end;
                    let whole = Span::new(span.start.min(value.span.start), end);
                    let suffix_rule = suffix.as_rule();
                    let mut inner = self.kids(suffix);
                    let kind = match suffix_rule {
                        Rule::capped_suffix => ExprKind::CappedAt {
                            value: Box::new(value),
                            cap: Box::new(self.expr(inner.next()?)?),
                        },
                        Rule::at_least_suffix => ExprKind::AtLeast {
                            value: Box::new(value),
                            floor: Box::new(self.expr(inner.next()?)?),
                        },
                        Rule::for_each_suffix => {
                            let kind_pair = inner.next()?;
                            let kind = match kind_pair.as_str() {
                                "full" => StepKind::Full,
                                "started" => StepKind::Started,
                                _ => return Err(Malformed(self.span(&kind_pair))),
                            };
                            let step = self.primary(inner.next()?)?;
                            let measure = self.primary(inner.next()?)?;
                            ExprKind::PerStep {
                                value: Box::new(value),
                                kind,
                                step: Box::new(step),
                                measure: Box::new(measure),
                            }
                        }
                        Rule::converted_suffix => {
                            let code = inner.next()?;
                            let code_span = self.span(&code);
                            match parse_currency(code.as_str(), code_span) {
                                Ok(currency) => ExprKind::Converted {
                                    value: Box::new(value),
                                    currency: Spanned::new(currency, code_span),
                                    rate: Box::new(self.expr(inner.next()?)?),
                                },
                                Err(d) => {
                                    self.report(d);
                                    ExprKind::Invalid
                                }
                            }
                        }
                        Rule::rounded_suffix => match self.rounding(inner.next()?)? {
                            Some(rounding) => ExprKind::Rounded {
                                value: Box::new(value),
                                rounding,
                            },
                            None => ExprKind::Invalid,
                        },
                        _ => return Err(Malformed(whole)),
                    };
                    value = Expr { kind, span: whole };
                }
                Ok(value)
            }
            Rule::scaled => {
                let mut kids = self.kids(pair);
                if self.chain_too_long(kids.count().saturating_sub(1), span) {
                    return Ok(Expr {
                        kind: ExprKind::Invalid,
                        span,
                    });
                }
                let mut value = self.primary(kids.next()?)?;
                for base_pair in kids.rest() {
                    let base = self.primary(base_pair)?;
                    let whole = Span::new(span.start.min(value.span.start), base.span.end);
                    value = Expr {
                        kind: ExprKind::Of {
                            share: Box::new(value),
                            base: Box::new(base),
                        },
                        span: whole,
                    };
                }
                Ok(value)
            }
            _ => self.primary(pair),
        }
    }

    fn field_ref(&mut self, pair: Pair<'_, Rule>) -> L<FieldRef> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let event = self.name(kids.next()?);
        let field = self.name(kids.next()?);
        Ok(FieldRef { event, field, span })
    }

    fn primary(&mut self, pair: Pair<'_, Rule>) -> L<Expr> {
        self.nested(pair, invalid_expr, Self::primary_inner)
    }

    fn primary_inner(&mut self, pair: Pair<'_, Rule>, span: Span) -> L<Expr> {
        let kind = match pair.as_rule() {
            Rule::expr | Rule::sum | Rule::term_expr | Rule::unary | Rule::scaled => {
                return self.expr(pair);
            }
            Rule::money => match self.money(pair)? {
                Some(m) => ExprKind::Money(m),
                None => ExprKind::Invalid,
            },
            Rule::symbol_money => {
                let text = pair.as_str();
                let mut chars = text.chars();
                let symbol = chars.next().unwrap_or('$');
                let code = symbol_currency(symbol);
                let digits: String = chars.as_str().chars().filter(|c| *c != ',').collect();
                let (whole, fraction) = digits.split_once('.').unwrap_or((&digits, ""));
                let amount = if fraction.is_empty() {
                    group_thousands(whole)
                } else {
                    format!("{}.{fraction}", group_thousands(whole))
                };
                self.report(
                    Diagnostic::error(
                        Code::CurrencySymbol,
                        format!("money must name its currency: `{text}` uses a symbol"),
                        span,
                        if symbol == '$' {
                            "a symbol is ambiguous (`$` is used by many currencies)"
                        } else {
                            "a symbol does not say which currency"
                        },
                    )
                    .with_suggestion(format!("{code} {amount}")),
                );
                ExprKind::Invalid
            }
            Rule::percent => match self.percent_value(pair)? {
                Some(p) => ExprKind::Percent(p),
                None => ExprKind::Invalid,
            },
            Rule::duration => match self.duration(pair)? {
                Some(d) => ExprKind::Duration(d),
                None => ExprKind::Invalid,
            },
            Rule::date => match parse_date(pair.as_str(), span) {
                Ok(d) => ExprKind::Date(d),
                Err(d) => {
                    self.report(d);
                    ExprKind::Invalid
                }
            },
            Rule::boolean => ExprKind::Bool(pair.as_str() == "true"),
            Rule::number => match self.decimal(&pair) {
                Some(n) => ExprKind::Number(n),
                None => ExprKind::Invalid,
            },
            Rule::field_ref => ExprKind::Field(self.field_ref(pair)?),
            Rule::reference => {
                let mut kids = self.kids(pair);
                let first = kids.next()?;
                match kids.pop() {
                    Some(field) => ExprKind::Field(FieldRef {
                        event: self.name(first),
                        field: self.name(field),
                        span,
                    }),
                    None => ExprKind::Name(first.as_str().to_string()),
                }
            }
            Rule::string => ExprKind::Text(self.string(pair)?.node),
            Rule::ident => ExprKind::Name(pair.as_str().to_string()),
            Rule::balance => {
                let mut kids = self.kids(pair);
                let account = self.name(kids.next()?);
                let as_of = match kids.pop() {
                    Some(date) => {
                        let date_span = self.span(&date);
                        match parse_date(date.as_str(), date_span) {
                            Ok(d) => Some(Spanned::new(d, date_span)),
                            Err(d) => {
                                self.report(d);
                                return Ok(Expr {
                                    kind: ExprKind::Invalid,
                                    span,
                                });
                            }
                        }
                    }
                    None => None,
                };
                ExprKind::Balance { account, as_of }
            }
            Rule::total => {
                let mut kids = self.kids(pair);
                let field = self.field_ref(kids.next()?)?;
                let stretch = self.optional_stretch(&mut kids)?;
                let filter = self.optional_where(&mut kids)?.map(Box::new);
                ExprKind::Total {
                    field,
                    filter,
                    stretch,
                }
            }
            Rule::count_of => {
                let mut kids = self.kids(pair);
                let event = self.name(kids.next()?);
                let by = kids.next_if(Rule::ident).map(|p| self.name(p));
                let stretch = self.optional_stretch(&mut kids)?;
                let filter = self.optional_where(&mut kids)?.map(Box::new);
                ExprKind::Count {
                    event,
                    by,
                    filter,
                    stretch,
                }
            }
            Rule::pick => {
                let mut kids = self.kids(pair);
                let word = kids.next()?;
                let which = match word.as_str() {
                    "highest" => Which::Highest,
                    "lowest" => Which::Lowest,
                    "latest" => Which::Latest,
                    "previous" => Which::Previous,
                    _ => return Err(Malformed(self.span(&word))),
                };
                let which = Spanned::new(which, self.span(&word));
                let field = self.field_ref(kids.next()?)?;
                let stretch = self.optional_stretch(&mut kids)?.map(|s| *s);
                let filter = self.optional_where(&mut kids)?;
                // `otherwise` is a word of its own, then the value.
                let otherwise = match kids.next_if(Rule::otherwise_word) {
                    Some(_) => Some(self.primary(kids.next()?)?),
                    None => None,
                };
                ExprKind::Pick(Box::new(Pick {
                    which,
                    field,
                    stretch,
                    filter,
                    otherwise,
                }))
            }
            Rule::days_between => {
                let mut kids = self.kids(pair);
                let start = self.primary(kids.next()?)?;
                let end = self.primary(kids.next()?)?;
                ExprKind::DaysBetween {
                    start: Box::new(start),
                    end: Box::new(end),
                }
            }
            Rule::tiers => {
                let mut kids = self.kids(pair);
                let mut first = kids.next()?;
                // `tiers` and `of` are dropped; `marginal` is kept.
                let mode = if first.as_rule() == Rule::kw_marginal {
                    first = kids.next()?;
                    TierMode::Marginal
                } else {
                    TierMode::Whole
                };
                let subject = self.primary(first)?;
                let mut tiers = Vec::new();
                for tier in kids.rest() {
                    tiers.push(self.tier(tier)?);
                }
                tiers.shrink_to_fit();
                ExprKind::Tiers {
                    mode,
                    subject: Box::new(subject),
                    tiers,
                }
            }
            _ => return Err(Malformed(span)),
        };
        Ok(Expr { kind, span })
    }
}

/// `partial periods whole|prorated|excluded`, as written (the grammar
/// allows only these three).
fn partial_periods(written: &str) -> PartialPeriods {
    if written.ends_with("prorated") {
        PartialPeriods::Prorated
    } else if written.ends_with("excluded") {
        PartialPeriods::Excluded
    } else {
        PartialPeriods::Whole
    }
}

impl Lowerer {
    /// One band of a tier table: `[from|over A] [below|through|up to B]: V`,
    /// or `above: V`.
    fn tier(&mut self, pair: Pair<'_, Rule>) -> Result<Tier, Malformed> {
        let span = self.span(&pair);
        let mut kids = self.kids(pair);
        let mut next = kids.next()?;
        let mut lower = None;
        let mut upper = None;
        if next.as_rule() == Rule::kw_above {
            next = kids.next()?;
        } else {
            if next.as_rule() == Rule::tier_lower {
                // `from` and `over` are dropped keywords: the text says which.
                let kind = if next.as_str().starts_with("over") {
                    LowerEnd::Over
                } else {
                    LowerEnd::From
                };
                let value = self.primary(self.kids(next).next()?)?;
                lower = Some(TierBound { kind, value });
                next = kids.next()?;
            }
            if next.as_rule() == Rule::tier_upper {
                // `through` is dropped; `up to` and `below` are kept.
                let mut inner = self.kids(next);
                let mut word = inner.next()?;
                let kind = match word.as_rule() {
                    Rule::below_word => UpperEnd::Below,
                    Rule::up_to => UpperEnd::UpTo,
                    _ => UpperEnd::Through,
                };
                if kind != UpperEnd::Through {
                    word = inner.next()?;
                }
                let value = self.primary(word)?;
                upper = Some(TierBound { kind, value });
                next = kids.next()?;
            }
        }
        let value = self.primary(next)?;
        Ok(Tier {
            lower,
            upper,
            value,
            span,
        })
    }
}

/// A value that could not be lowered (and was reported).
fn invalid_expr(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Invalid,
        span,
    }
}

/// A prefix operator written any number of times (`not not x`, `--x`):
/// how many, and what they apply to.
fn prefixed<'i>(kids: Kids<'i>, prefix: Rule, span: Span) -> L<(usize, Pair<'i, Rule>)> {
    let mut count = 0usize;
    let mut operand = None;
    for p in kids.rest() {
        if p.as_rule() == prefix {
            count += 1;
        } else {
            operand = Some(p);
        }
    }
    Ok((count, operand.ok_or(Malformed(span))?))
}

fn duplicate_option(span: Span, whole: &str, option: Rule) -> Diagnostic {
    let help = match option {
        Rule::window_end => {
            "keep one end; when several ends are meant, write them together: `until A or through B, whichever is earlier`"
        }
        Rule::window_from => "a window has one start; keep the one that applies",
        Rule::grant_passes => "a grant passes on one kind of event; keep the one that applies",
        Rule::per_period | Rule::per_event => {
            "an obligation recurs `for each` period or arises `on each` event, not both; keep the one that applies"
        }
        _ => "keep one of them",
    };
    Diagnostic::error(
        Code::Syntax,
        format!("{whole} says this twice"),
        span,
        "given again here",
    )
    .with_help(help)
}

/// The length of `text` without trailing whitespace and comments.
fn content_len(text: &str) -> usize {
    let mut kept = text.trim_end();
    loop {
        let line_start = kept.rfind('\n').map_or(0, |p| p + 1);
        let line = kept.get(line_start..).unwrap_or("");
        if !line.contains('#') {
            return kept.len();
        }
        match comment_start(line) {
            Some(c) if line_start + c > 0 => {
                kept = kept.get(..line_start + c).unwrap_or(kept).trim_end();
            }
            _ => return kept.len(),
        }
    }
}

/// Where a `#` comment starts on a line, outside quotations.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_text = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_text => escaped = true,
            '"' => in_text = !in_text,
            '#' if !in_text => return Some(i),
            _ => {}
        }
    }
    None
}

/// Resolves the escapes of a one-line quotation.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Removes the indentation that a multi-line quotation shares with the
/// clause around it, and the blank first and last lines.
pub(super) fn dedent(raw: &str) -> String {
    let lines: Vec<&str> = raw.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let body: Vec<&str> = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect();
    body.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_end_at_the_last_word() {
        assert_eq!(content_len("a must b  \n  \n"), 8);
        assert_eq!(content_len("a must b # why\n  # more\n"), 8);
        assert_eq!(content_len("text \"# not a comment\"  "), 22);
    }

    #[test]
    fn long_quotations_lose_their_indentation() {
        assert_eq!(dedent("\n    one\n      two\n  "), "one\n  two");
    }
}
