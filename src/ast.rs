//! The typed tree of a clause file.
//!
//! Every later stage (the checker, and later evaluation, lint and change
//! review) reads this tree and nothing else: the pest parse tree never leaves
//! `syntax`. Every node that a diagnostic or a report may point at carries the
//! byte [`Span`] of its source text.
//!
//! Literals are already exact values here (`Decimal`, `jiff::civil::Date`,
//! currency codes checked against ISO 4217); names are still plain text and
//! are resolved by `check`, which guarantees that every name in a checked
//! file refers to a declaration.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

/// A byte range `start..end` in the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// A value together with the source text it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl DateRef {
    /// The date, when one was written that exists.
    pub fn date(&self) -> Option<Date> {
        match self {
            DateRef::Date(d) => Some(*d),
            DateRef::YearOnly(_) | DateRef::Invalid => None,
        }
    }
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// A name written by the drafter: a party, category member, event type,
/// field, period or milestone.
pub type Name = Spanned<String>;

/// A whole clause file, items in source order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ContractFile {
    /// The `contract` header; `None` only in files that failed to parse it,
    /// which the checker reports.
    pub header: Option<Header>,
    pub parties: Vec<Party>,
    pub groups: Vec<Group>,
    pub categories: Vec<Category>,
    pub periods: Vec<PeriodDecl>,
    pub events: Vec<EventDecl>,
    pub milestones: Vec<Milestone>,
    pub definitions: Vec<Definition>,
    pub accounts: Vec<Account>,
    pub clauses: Vec<Clause>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Header {
    pub title: Spanned<String>,
    pub effective: Option<Spanned<DateRef>>,
    pub term: Option<WindowEnd>,
    /// `renews for 1 year unless NOTICE 90 days before the end`.
    pub renewal: Option<Renewal>,
    pub currency: Option<Spanned<Currency>>,
    pub rounding: Option<Rounding>,
    /// The event type that records payments, for every `must pay` obligation
    /// that does not name its own.
    pub settlement: Option<Name>,
    pub span: Span,
}

/// A term that renews for successive periods unless notice is given a
/// stated time before its end.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Renewal {
    /// How long each renewal lasts.
    pub period: Spanned<Duration>,
    /// The notice that stops the next renewal.
    pub notice: EventPattern,
    /// How long before the end the notice must come at the latest.
    pub before: Spanned<Duration>,
    pub span: Span,
}

/// An ISO 4217 currency code, such as `USD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency(pub [u8; 3]);

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl TypeName {
    /// The category or period a field's type names (`kind: product`);
    /// `None` for a built-in type.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeName::Named(name) => Some(name),
            TypeName::Money
            | TypeName::SignedMoney
            | TypeName::MoneyIn { .. }
            | TypeName::Percent
            | TypeName::Number
            | TypeName::Count
            | TypeName::Days
            | TypeName::Date
            | TypeName::Text
            | TypeName::Bool
            | TypeName::Party => None,
        }
    }
}

impl Currency {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A date as written. A year on its own is kept so that the checker can
/// reject it with a precise diagnostic instead of a parse error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DateRef {
    Date(#[serde(serialize_with = "ser_date")] Date),
    YearOnly(i16),
    /// A date that does not exist; already reported when the file was read.
    Invalid,
}

pub(crate) fn ser_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// A written date with its span, as `{"node": "2026-01-01", "span": ...}`.
fn ser_spanned_date<S: serde::Serializer>(d: &Spanned<Date>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut out = s.serialize_struct("Spanned", 2)?;
    out.serialize_field("node", &d.node.to_string())?;
    out.serialize_field("span", &d.span)?;
    out.end()
}

fn ser_optional_date<S: serde::Serializer>(
    d: &Option<Spanned<Date>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => ser_spanned_date(d, s),
        None => s.serialize_none(),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Party {
    pub name: Name,
    pub legal_name: Option<Spanned<String>>,
    pub span: Span,
}

/// `group openai_group "OpenAI and its affiliates" = openai, openai_opco`
/// with `joins on EVENT.FIELD` and `leaves on EVENT.FIELD` lines: parties
/// a rule may name together, whose membership changes with events.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub name: Name,
    pub label: Option<Spanned<String>>,
    /// The parties that belong from the start, in the order written.
    pub members: Vec<Name>,
    /// The events that add or remove a member, in the order written.
    pub changes: Vec<MembershipChange>,
    pub span: Span,
}

/// `joins on affiliate_joined.company where parent is openai`: each event
/// of that kind that meets the condition adds (or, with `leaves`, removes)
/// the party named in the field, from that event on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MembershipChange {
    pub kind: Spanned<MembershipKind>,
    /// The event and its field of kind `party` that names the member.
    pub field: FieldRef,
    pub filter: Option<Condition>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum MembershipKind {
    Joins,
    Leaves,
}

impl MembershipKind {
    /// The word as written: `joins` or `leaves`.
    pub fn word(self) -> &'static str {
        match self {
            MembershipKind::Joins => "joins",
            MembershipKind::Leaves => "leaves",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Category {
    pub name: Name,
    pub label: Option<Spanned<String>>,
    pub members: Vec<Name>,
    pub span: Span,
}

/// The unit a period is built on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PeriodBase {
    Month,
    Quarter,
    Year,
}

/// `period fiscal_year: year starting july`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodDecl {
    pub name: Name,
    pub label: Option<Spanned<String>>,
    pub base: Spanned<PeriodBase>,
    /// The month the period starts in, 1 = January; lowered from a month
    /// name, or January when none is written.
    pub start_month: Spanned<u8>,
    /// Whether `starting MONTH` was written.
    pub start_written: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventDecl {
    pub name: Name,
    pub label: Option<Spanned<String>>,
    /// `by party`: events of this type name the party that performed them.
    pub has_actor: bool,
    pub fields: Vec<FieldDecl>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldDecl {
    pub name: Name,
    pub ty: Spanned<TypeName>,
    pub span: Span,
}

/// A field type as written in an event declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum TypeName {
    /// Money that is never below zero: an event giving a negative amount
    /// is refused.
    Money,
    /// `signed money`: money that may be below zero (corrections, refunds).
    SignedMoney,
    /// `money in EUR`: money in a currency other than the contract's,
    /// never below zero (`signed money in EUR`: that may be); a rule
    /// converts it before paying it.
    MoneyIn {
        currency: Currency,
        signed: bool,
    },
    Percent,
    Number,
    Count,
    Days,
    Date,
    Text,
    Bool,
    Party,
    /// A category or a period, resolved by the checker.
    Named(String),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Milestone {
    pub name: Name,
    pub label: Option<Spanned<String>>,
    pub condition: MilestoneCond,
    pub span: Span,
}

/// `define net_revenue "Net Revenue" = total sale.amount - total refund.amount`:
/// a name for a value or a condition, usable wherever one may be written,
/// and meaning there exactly what its body would mean written in its place.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Definition {
    pub name: Name,
    pub label: Option<Spanned<String>>,
    pub body: DefinitionBody,
    /// `for each quarter`: the events the body adds up are those of one
    /// such period (the period of the payment it is used in, or the one
    /// the event in view falls in, up to that event).
    pub period: Option<Name>,
    pub span: Span,
}

/// `account NAME "Label" opening MONEY on DATE` and its movements: a
/// balance carried from day to day, moved by events and at period ends.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Account {
    pub name: Name,
    pub label: Option<Spanned<String>>,
    /// What the balance is at the start of its opening day.
    pub opening: Spanned<Money>,
    /// The day it opens: nothing before it moves the balance.
    #[serde(serialize_with = "ser_spanned_date")]
    pub opens: Spanned<Date>,
    /// What moves the balance, in the order written: on one day they
    /// apply in this order.
    pub movements: Vec<Movement>,
    pub span: Span,
}

/// `increased by AMOUNT on each EVENT` or `decreased by AMOUNT at the end
/// of each PERIOD`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Movement {
    pub direction: Spanned<Direction>,
    pub amount: Expr,
    pub when: MovementTime,
    pub span: Span,
}

/// Which way a movement moves a balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Direction {
    Increased,
    Decreased,
}

impl Direction {
    pub fn word(self) -> &'static str {
        match self {
            Direction::Increased => "increased",
            Direction::Decreased => "decreased",
        }
    }
}

/// When a movement happens.
// A contract has a few movements: their size does not matter, and a box
// would only make every match on them harder to read.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum MovementTime {
    /// `on each payment by borrower where ...`: once for each such event.
    EachEvent(EventPattern),
    /// `at the end of each month`: on the last day of each period.
    PeriodEnd(Name),
}

/// What a definition names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum DefinitionBody {
    /// An amount, a percentage, a date ... (or a yes/no field).
    Value(Expr),
    /// A condition: `order.value > USD 1,000,000 and order.channel is retail`.
    Condition(Condition),
}

impl Condition {
    /// Every value the condition compares or tests, through any depth of
    /// `and`, `or` and `not`, with how many conditions it is made of. (An
    /// earlier event's matched fields are names of fields, not values.)
    pub fn values(&self) -> (Vec<&Expr>, usize) {
        let mut values = Vec::new();
        let mut count = 0usize;
        let mut work = vec![self];
        while let Some(c) = work.pop() {
            count = count.saturating_add(1);
            match &c.kind {
                ConditionKind::Any(parts) | ConditionKind::All(parts) => work.extend(parts),
                ConditionKind::Not(inner) => work.push(inner),
                ConditionKind::Compare { left, right, .. } => {
                    values.push(left);
                    values.extend(right);
                }
                ConditionKind::Test(e) => values.push(e),
                ConditionKind::Earlier(_) => {}
            }
        }
        (values, count)
    }
}

impl DefinitionBody {
    pub fn span(&self) -> Span {
        match self {
            DefinitionBody::Value(e) => e.span,
            DefinitionBody::Condition(c) => c.span,
        }
    }
}

/// When a milestone is reached.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum MilestoneCond {
    /// An event matching the pattern happened.
    Event(Box<EventPattern>),
    /// The given date arrived.
    Date(Spanned<DateRef>),
    /// Each part was reached by an event that comes after the event that
    /// reached the previous part (`X, then Y`); events are ordered by date,
    /// then by their order in the event file.
    Sequence(Vec<MilestoneCond>, Span),
    /// Every part was reached, in any order (`X and Y`).
    All(Vec<MilestoneCond>, Span),
    /// Any part was reached (`X or Y`).
    Any(Vec<MilestoneCond>, Span),
    /// `total payment.amount where ... reaches USD 100,000.00`: the sum of
    /// a field over the matching events came to the threshold or more.
    Total(Box<TotalReaches>),
    /// `count deliver where late reaches 3`: that many matching events.
    Count(Box<CountReaches>),
    /// `clause 1 paid in full`: every payment the clause owes (each made
    /// once) has arisen and been paid in full.
    PaidInFull(Box<PaidInFull>),
}

/// A value that adds up events, seen whole: a `total` or a `count`.
#[derive(Clone, Copy, Debug)]
pub enum Aggregate<'e> {
    /// `total EVENT.FIELD [where ...]`
    Total {
        field: &'e FieldRef,
        filter: Option<&'e Condition>,
    },
    /// `count EVENT [by PARTY] [where ...]`
    Count {
        event: &'e Name,
        by: Option<&'e Name>,
        filter: Option<&'e Condition>,
    },
    /// `highest EVENT.FIELD [where ...]` and the other picks (what is
    /// used when there is none is not part of what is looked at).
    Pick {
        which: Which,
        field: &'e FieldRef,
        filter: Option<&'e Condition>,
    },
}

/// `highest offer.price within the last 12 months where ... otherwise
/// USD 0.00`: one event's value, picked from the events up to the one in
/// view.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pick {
    pub which: Spanned<Which>,
    pub field: FieldRef,
    pub stretch: Option<Spanned<Stretch>>,
    pub filter: Option<Condition>,
    /// What the value is when no event is there to pick from.
    pub otherwise: Option<Expr>,
}

/// Which event's value a `Pick` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Which {
    /// The greatest value (the latest event's among equals).
    Highest,
    /// The least value.
    Lowest,
    /// The value of the last event, the event in view included.
    Latest,
    /// The value of the last event before the event in view.
    Previous,
}

impl Which {
    pub fn word(self) -> &'static str {
        match self {
            Which::Highest => "highest",
            Which::Lowest => "lowest",
            Which::Latest => "latest",
            Which::Previous => "previous",
        }
    }

    /// Whether the event in view can be the one picked.
    pub fn includes_event_in_view(self) -> bool {
        match self {
            Which::Highest | Which::Lowest | Which::Latest => true,
            Which::Previous => false,
        }
    }

    /// Whether only events from the effective date count: the highest and
    /// lowest measure what happened under the contract, as totals do; the
    /// latest value is the one in effect, whenever it was set.
    pub fn from_effective_date(self) -> bool {
        match self {
            Which::Highest | Which::Lowest => true,
            Which::Latest | Which::Previous => false,
        }
    }
}

impl<'e> Aggregate<'e> {
    /// The kind of event added up or counted.
    pub fn event(self) -> &'e Name {
        match self {
            Aggregate::Total { field, .. } | Aggregate::Pick { field, .. } => &field.event,
            Aggregate::Count { event, .. } => event,
        }
    }

    pub fn filter(self) -> Option<&'e Condition> {
        match self {
            Aggregate::Total { filter, .. }
            | Aggregate::Count { filter, .. }
            | Aggregate::Pick { filter, .. } => filter,
        }
    }
}

/// The stretch of time a running total adds up over, counted back from
/// the event in view: up to and including it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Stretch {
    /// `in the same month`: since the start of the period the event falls in.
    SamePeriod(Name),
    /// `within the last 12 months`: the events of the length that ends on
    /// the event's day.
    Last(Duration),
}

/// `total EVENT.FIELD [where CONDITION] reaches THRESHOLD`, a milestone
/// reached by the event that brings the running sum to the threshold.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TotalReaches {
    pub field: FieldRef,
    pub filter: Option<Condition>,
    /// A literal amount, number, percentage or duration.
    pub threshold: Expr,
    pub span: Span,
}

/// `count EVENT [by PARTY] [where CONDITION] reaches N`, a milestone
/// reached by the Nth matching event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountReaches {
    pub pattern: EventPattern,
    /// A literal whole number, at least 1 (the checker says so).
    pub threshold: Expr,
    pub span: Span,
}

/// `clause 1 paid in full`, as a part of a milestone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaidInFull {
    /// The clause whose payments are meant.
    pub clause: Spanned<ClauseNumber>,
    pub span: Span,
}

impl MilestoneCond {
    pub fn span(&self) -> Span {
        match self {
            MilestoneCond::PaidInFull(p) => p.span,
            MilestoneCond::Event(p) => p.span,
            MilestoneCond::Date(d) => d.span,
            MilestoneCond::Total(t) => t.span,
            MilestoneCond::Count(c) => c.span,
            MilestoneCond::Sequence(_, s) | MilestoneCond::All(_, s) | MilestoneCond::Any(_, s) => {
                *s
            }
        }
    }
}

/// `declare_agi by openai where ...`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventPattern {
    pub event: Name,
    pub by: Option<Name>,
    pub filter: Option<Condition>,
    pub span: Span,
}

/// `survives`, or `survives for 3 years`: the clause's rules keep applying
/// after the term ends, without end or for that long.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Survival {
    pub length: Option<Spanned<Duration>>,
    pub span: Span,
}

/// A numbered clause: `clause 5.1 "Heading" exception to 5 survives ...`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Clause {
    pub number: Spanned<ClauseNumber>,
    pub heading: Option<Spanned<String>>,
    pub exception_to: Vec<Spanned<ClauseNumber>>,
    /// `survives` (and for how long) the end of the term.
    pub survives: Option<Survival>,
    /// The contract's own wording for this clause, if quoted.
    pub wording: Vec<Spanned<String>>,
    pub allows: Vec<Allow>,
    pub statements: Vec<Statement>,
    pub span: Span,
}

/// A clause number such as `5.1`, kept as its parts so that `5.10` sorts
/// after `5.9`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ClauseNumber(pub Vec<u32>);

impl std::fmt::Display for ClauseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, part) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{part}")?;
        }
        Ok(())
    }
}

/// `allow unused_party because "kept for the schedule"`: lint codes switched
/// off for one clause.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Allow {
    pub codes: Vec<Name>,
    pub reason: Spanned<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Statement {
    Pay(Box<PayObligation>),
    Do(Box<ActionRule>),
    MustNot(Box<ActionRule>),
    May(Box<ActionRule>),
    Grant(Box<Grant>),
    Exclusion(Box<Exclusion>),
    Holding(Box<Holding>),
    CapTable(Box<CapTable>),
    Commitment(Box<Commitment>),
    Suspension(Box<Suspension>),
    Cap(Box<AggregateCap>),
    Own(Box<Ownership>),
}

impl Statement {
    pub fn span(&self) -> Span {
        match self {
            Statement::Pay(s) => s.span,
            Statement::Do(s) | Statement::MustNot(s) | Statement::May(s) => s.span,
            Statement::Grant(s) => s.span,
            Statement::Exclusion(s) => s.span,
            Statement::Holding(s) => s.span,
            Statement::CapTable(s) => s.span,
            Statement::Commitment(s) => s.span,
            Statement::Suspension(s) => s.span,
            Statement::Cap(s) => s.span,
            Statement::Own(s) => s.span,
        }
    }

    /// When the rule applies, for the kinds of rule that have a window.
    pub fn window(&self) -> Option<&Window> {
        match self {
            Statement::Pay(s) => Some(&s.window),
            Statement::Do(s) | Statement::MustNot(s) | Statement::May(s) => Some(&s.window),
            Statement::Grant(s) => Some(&s.window),
            Statement::Commitment(s) => Some(&s.window),
            Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Suspension(_)
            | Statement::Cap(_)
            | Statement::Own(_) => None,
        }
    }

    /// The payment obligation, if this is one. (These accessors match every
    /// kind, so that a new kind of rule is placed here once, not skipped by
    /// a catch-all wherever one kind is picked out.)
    pub fn as_pay(&self) -> Option<&PayObligation> {
        match self {
            Statement::Pay(p) => Some(p),
            Statement::Do(_)
            | Statement::MustNot(_)
            | Statement::May(_)
            | Statement::Grant(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Commitment(_)
            | Statement::Suspension(_)
            | Statement::Cap(_)
            | Statement::Own(_) => None,
        }
    }

    /// The prohibition (`must not`), if this is one.
    pub fn as_prohibition(&self) -> Option<&ActionRule> {
        match self {
            Statement::MustNot(r) => Some(r),
            Statement::Pay(_)
            | Statement::Do(_)
            | Statement::May(_)
            | Statement::Grant(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Commitment(_)
            | Statement::Suspension(_)
            | Statement::Cap(_)
            | Statement::Own(_) => None,
        }
    }

    /// The commitment, if this is one.
    pub fn as_commitment(&self) -> Option<&Commitment> {
        match self {
            Statement::Commitment(c) => Some(c),
            Statement::Pay(_)
            | Statement::Do(_)
            | Statement::MustNot(_)
            | Statement::May(_)
            | Statement::Grant(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Suspension(_)
            | Statement::Cap(_)
            | Statement::Own(_) => None,
        }
    }

    /// The obligation to act (`must EVENT`), if this is one.
    pub fn as_duty(&self) -> Option<&ActionRule> {
        match self {
            Statement::Do(r) => Some(r),
            Statement::Pay(_)
            | Statement::MustNot(_)
            | Statement::May(_)
            | Statement::Grant(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Commitment(_)
            | Statement::Suspension(_)
            | Statement::Cap(_)
            | Statement::Own(_) => None,
        }
    }

    /// The permission (`may EVENT`), if this is one.
    pub fn as_permission(&self) -> Option<&ActionRule> {
        match self {
            Statement::May(r) => Some(r),
            Statement::Pay(_)
            | Statement::Do(_)
            | Statement::MustNot(_)
            | Statement::Grant(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Commitment(_)
            | Statement::Suspension(_)
            | Statement::Cap(_)
            | Statement::Own(_) => None,
        }
    }

    /// The grant, if this is one.
    pub fn as_grant(&self) -> Option<&Grant> {
        match self {
            Statement::Grant(g) => Some(g),
            Statement::Pay(_)
            | Statement::Do(_)
            | Statement::MustNot(_)
            | Statement::May(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Commitment(_)
            | Statement::Suspension(_)
            | Statement::Cap(_)
            | Statement::Own(_) => None,
        }
    }

    /// The suspension, if this is one.
    pub fn as_suspension(&self) -> Option<&Suspension> {
        match self {
            Statement::Suspension(s) => Some(s),
            Statement::Pay(_)
            | Statement::Do(_)
            | Statement::MustNot(_)
            | Statement::May(_)
            | Statement::Grant(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Commitment(_)
            | Statement::Cap(_)
            | Statement::Own(_) => None,
        }
    }

    /// The cap, if this is one.
    pub fn as_cap(&self) -> Option<&AggregateCap> {
        match self {
            Statement::Cap(c) => Some(c),
            Statement::Pay(_)
            | Statement::Do(_)
            | Statement::MustNot(_)
            | Statement::May(_)
            | Statement::Grant(_)
            | Statement::Exclusion(_)
            | Statement::Holding(_)
            | Statement::CapTable(_)
            | Statement::Commitment(_)
            | Statement::Suspension(_)
            | Statement::Own(_) => None,
        }
    }

    /// The modality in the contract's words, for messages.
    pub fn kind_word(&self) -> &'static str {
        match self {
            Statement::Pay(_) => "payment obligation",
            Statement::Do(_) => "obligation",
            Statement::MustNot(_) => "prohibition",
            Statement::May(_) => "permission",
            Statement::Grant(_) => "grant",
            Statement::Exclusion(_) => "exclusion",
            Statement::Holding(_) => "holding",
            Statement::CapTable(_) => "cap table declaration",
            Statement::Commitment(_) => "commitment",
            Statement::Suspension(_) => "suspension",
            Statement::Cap(cap) => match cap.kind.node {
                LimitKind::Cap => "cap",
                LimitKind::Floor => "floor",
            },
            Statement::Own(_) => "ownership",
        }
    }
}

/// An aggregate limit over what a party owes under several clauses.
///
/// `total owed by provider under clauses 9, 9.1 capped at USD 5,000.00 for
/// each month` (a cap): what a party owes under the clauses named, added
/// up in each period (or over the whole contract without `for each`), is
/// no more than the cap; what passes it is taken off the latest
/// obligations.
///
/// `total owed by licensee to licensor under clauses 4, 5 at least USD
/// 20,000.00 for each year due 30 days after the end of the period` (a
/// floor): what falls short of the floor in a period is owed as well.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AggregateCap {
    pub kind: Spanned<LimitKind>,
    pub debtor: Name,
    /// A floor's: the party the shortfall is owed to.
    pub creditor: Option<Name>,
    pub clauses: Vec<Spanned<ClauseNumber>>,
    /// The most (a cap) or the least (a floor) owed.
    pub amount: Expr,
    /// The period the limit applies to afresh; `None`: the whole contract.
    pub per: Option<Name>,
    /// A floor's: what a period only partly in the term is held to (the
    /// whole floor, without this).
    pub partial: Option<Spanned<PartialPeriods>>,
    /// A floor's: how long after the end of its period a shortfall is
    /// due (at the end, without one).
    pub due: Option<Spanned<Duration>>,
    pub span: Span,
}

/// Whether an aggregate limit is a most or a least.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum LimitKind {
    /// `capped at`
    Cap,
    /// `at least`
    Floor,
}

/// `openai must pay microsoft 20% of total report_revenue.amount for each quarter ...`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PayObligation {
    pub debtor: Name,
    pub creditor: Name,
    pub amount: Expr,
    pub recurrence: Option<Recurrence>,
    /// For `for each EVENT.FIELD`: whether the window tests the period each
    /// event names (`as earned`, the default) or the event's own date (`as
    /// reported`).
    pub basis: Option<Spanned<PeriodBasis>>,
    /// For a payment per period: what a period only partly inside the
    /// window owes (`partial periods whole`, the default, `prorated` or
    /// `excluded`).
    pub partial: Option<Spanned<PartialPeriods>>,
    pub window: Window,
    pub due: Option<Due>,
    pub settled_by: Option<Name>,
    pub rounding: Option<Rounding>,
    /// `late interest at 1.5% per month, actual/365`: interest on what is
    /// unpaid after the due date.
    pub interest: Option<LateInterest>,
    /// `cure within 30 days after notice by supplier` (boxed: most
    /// obligations have none, and a rule is kept small).
    pub cure: Option<Box<Cure>>,
    /// `then licensor may terminate`: rights the obligation's default gives.
    pub rights: Vec<ArisingRight>,
    pub carve_outs: Vec<CarveOut>,
    pub span: Span,
}

/// `then licensor may terminate`: a right that arises when an obligation
/// is in default, and lasts while it stays so.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArisingRight {
    pub party: Name,
    pub action: Action,
    pub span: Span,
}

/// `then supplier must pay buyer USD 5,000.00 within 30 days`: a payment
/// owed for each default of an obligation to act, from its first day in
/// default.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArisingPayment {
    pub debtor: Name,
    pub creditor: Name,
    pub amount: Expr,
    /// How long after the first day in default it falls due; `None`: that day.
    pub within: Option<Spanned<Duration>>,
    pub span: Span,
}

/// A cure period: how long after a notice (or after the due date) a
/// payment missed on its due date may still be made.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cure {
    pub within: Spanned<Duration>,
    /// The notice the period counts from; `None`: the due date.
    pub notice: Option<EventPattern>,
    pub span: Span,
}

/// Interest on an amount paid late: simple interest at a rate per year or
/// per month, on what is unpaid from the due date until it is paid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LateInterest {
    /// The rate as a percentage: `1.5` for 1.5%.
    pub rate: Spanned<Decimal>,
    pub per: Spanned<RatePeriod>,
    /// `compounded monthly` (or `yearly`): at each month (or year) from
    /// the due date, the interest so far is added to what bears interest.
    /// `None`: simple interest.
    pub compounding: Option<Spanned<RatePeriod>>,
    /// How days are counted; `None` is actual/365.
    pub day_count: Option<Spanned<DayCount>>,
    pub span: Span,
}

/// What an interest rate is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RatePeriod {
    Year,
    Month,
}

impl RatePeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            RatePeriod::Year => "per year",
            RatePeriod::Month => "per month",
        }
    }
}

/// How the days of a stretch of time are counted, and how many make a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DayCount {
    /// Actual days, over a year of 365 (leap years too).
    Actual365,
    /// Actual days, over a year of 360.
    Actual360,
    /// Every month 30 days (a 31st counts as the 30th; 30E/360), over a
    /// year of 360.
    Thirty360,
}

impl DayCount {
    /// The days the count gives a year.
    pub fn days_in_year(self) -> i64 {
        match self {
            DayCount::Actual365 => 365,
            DayCount::Actual360 | DayCount::Thirty360 => 360,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DayCount::Actual365 => "actual/365",
            DayCount::Actual360 => "actual/360",
            DayCount::Thirty360 => "30/360",
        }
    }
}

/// Which date of an event a per-period payment's window tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PeriodBasis {
    /// The period the event names (revenue earned in 2028-Q1 counts if
    /// 2028-Q1 is in the window, whenever it is reported).
    Earned,
    /// The event's own date.
    Reported,
}

impl PeriodBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodBasis::Earned => "as earned",
            PeriodBasis::Reported => "as reported",
        }
    }
}

/// What a period only partly inside a payment's window owes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PartialPeriods {
    /// The whole amount of the period.
    Whole,
    /// The amount times the share of the period's days inside the window.
    Prorated,
    /// Nothing.
    Excluded,
}

impl PartialPeriods {
    pub fn as_str(self) -> &'static str {
        match self {
            PartialPeriods::Whole => "partial periods whole",
            PartialPeriods::Prorated => "partial periods prorated",
            PartialPeriods::Excluded => "partial periods excluded",
        }
    }
}

/// What makes a payment obligation arise.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Recurrence {
    /// `for each quarter`: one obligation per period, over the events dated in it.
    EachPeriod(Name),
    /// `for each report_revenue.quarter`: one obligation per value of a
    /// period-typed field, over the events carrying that value.
    EachPeriodField(FieldRef),
    /// `on each deliver where ...`: one obligation per matching event.
    EachEvent(EventPattern),
}

/// An action rule: `must`, `must not` or `may` followed by an event type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActionRule {
    pub party: Name,
    pub action: Action,
    /// `on each EVENT`: an obligation to act raised by each matching event
    /// (`must deliver on each order due 30 days after the event`).
    pub trigger: Option<EventPattern>,
    pub window: Window,
    pub due: Option<Due>,
    /// For `must`: how long an act missed on its due date may still be
    /// done (the grammar gives `must not` and `may` none).
    pub cure: Option<Box<Cure>>,
    /// For `must`: rights its default gives (`then buyer may terminate`).
    pub rights: Vec<ArisingRight>,
    /// For `must`: damages its default owes (`then supplier must pay buyer
    /// USD 5,000.00 within 30 days`).
    pub damages: Vec<ArisingPayment>,
    /// For `must ... on each EVENT matching FIELD`: an obligation is
    /// performed only by an act with the same values of these fields as
    /// the event that raised it (the repair of the unit reported).
    pub matching: Vec<Name>,
    pub carve_outs: Vec<CarveOut>,
    pub span: Span,
}

/// An event type with an optional `where` filter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Action {
    pub event: Name,
    pub filter: Option<Condition>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum GrantKind {
    Licence,
    Right,
}

/// `openai grants microsoft exclusive licence "IP" over release where ... through ...`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Grant {
    pub grantor: Name,
    pub grantee: Name,
    pub exclusive: Option<Spanned<bool>>,
    pub kind: Spanned<GrantKind>,
    pub label: Option<Spanned<String>>,
    /// The assets covered: those produced by events of this type that match.
    pub scope: Action,
    pub window: Window,
    pub carve_outs: Vec<CarveOut>,
    /// `passes to assign.assignee`: events that pass the grant to another
    /// grantee.
    pub passes: Option<GrantPasses>,
    pub span: Span,
}

/// `passes to assign.assignee where ...`: on each event of that kind that
/// meets the condition, the grant passes to the party in the field, who
/// is its grantee from that event on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GrantPasses {
    pub field: FieldRef,
    pub filter: Option<Condition>,
    pub span: Span,
}

/// `supplier owns assets made by deliver where custom` with `title passes
/// to customer on payment by customer`: each matching event makes an
/// asset, of which the owner holds the share (all of it when none is
/// written) until a title-passing event passes it on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ownership {
    pub owner: Name,
    /// `60% of`: the owner's share of each asset; `None`: all of it.
    pub share: Option<Spanned<Decimal>>,
    /// The events that make the assets.
    pub made_by: Action,
    /// The events that pass title, in the order written.
    pub passes: Vec<TitlePassing>,
    pub span: Span,
}

/// `title passes to customer on payment by customer` or `title passes to
/// customer once paid_in_full`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TitlePassing {
    pub to: Name,
    pub when: PassingWhen,
    pub span: Span,
}

/// When title passes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum PassingWhen {
    /// On each matching event: the share of every asset made up to it.
    On(Box<EventPattern>),
    /// Once the milestone is reached: every asset made by that day then,
    /// and every one made later as it is made.
    Once(Name),
}

/// `excludes release where kind is consumer_hardware`: inside an exception
/// clause, takes matching events out of the rules it is an exception to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exclusion {
    pub scope: Action,
    pub span: Span,
}

/// `microsoft holds 27% of openai basis "as-converted diluted" valued at USD 135 billion`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Holding {
    pub holder: Name,
    pub stake: Spanned<Decimal>,
    pub entity: Name,
    pub basis: Option<Spanned<String>>,
    pub valuation: Option<Spanned<Money>>,
    pub span: Span,
}

/// `cap table of openai complete`: the holdings declared for the entity are
/// all of its shares.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CapTable {
    pub entity: Name,
    pub span: Span,
}

/// `openai commits to microsoft USD 250 billion measured by buy_compute.amount where ...`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Commitment {
    pub party: Name,
    pub beneficiary: Option<Name>,
    pub target: Expr,
    pub measure: FieldRef,
    pub filter: Option<Condition>,
    /// `for each year`: the target is to be reached in each period.
    pub per: Option<Name>,
    /// `shortfall payment 20% within 30 days`: what a missed target owes
    /// (boxed: most commitments have none).
    pub shortfall: Option<Box<Shortfall>>,
    pub window: Window,
    pub carve_outs: Vec<CarveOut>,
    pub span: Span,
}

/// A take-or-pay clause: the payment a commitment missed at its deadline
/// owes its beneficiary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Shortfall {
    pub rate: ShortfallRate,
    /// How long after the deadline it falls due; `None`: the day after.
    pub within: Option<Spanned<Duration>>,
    pub span: Span,
}

/// What each part of the shortfall costs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ShortfallRate {
    /// `20%`: that share of the amount short (a money target).
    Share(Spanned<Decimal>),
    /// `USD 5 per unit`: that much for each unit short (a count).
    PerUnit(Spanned<Money>),
}

/// `suspends clauses 4, 6 from force_majeure by supplier until
/// force_majeure_end`: while suspended, the due dates and deadlines of the
/// named clauses move later by the days suspended.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suspension {
    /// The clauses whose obligations are suspended, as written.
    pub clauses: Vec<Spanned<ClauseNumber>>,
    /// The event that begins a suspension.
    pub from: EventPattern,
    /// The event that ends it.
    pub until: EventPattern,
    pub span: Span,
}

/// When a rule applies. Both ends are optional; a missing start is the
/// contract's effective date and a missing end is the end of its term.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Window {
    pub from: Option<Spanned<Bound>>,
    pub end: Option<WindowEnd>,
}

/// One or more ends; with several, the window ends at whichever is earlier.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WindowEnd {
    pub bounds: Vec<EndBound>,
    /// Whether `whichever is earlier` was written (required with several ends).
    pub whichever_earlier: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum EndBound {
    /// `through X`: the window includes day X (a date, or the day a
    /// milestone is reached).
    Through(Spanned<Bound>),
    /// `until X`: the window ends the day before X (a date or a milestone).
    Until(Spanned<Bound>),
    /// `for 12 months`: the window ends the day before that length of time
    /// after its start (its `from`, or else the effective date).
    For(Spanned<Duration>),
}

impl EndBound {
    pub fn span(&self) -> Span {
        match self {
            EndBound::Through(d) => d.span,
            EndBound::Until(b) => b.span,
            EndBound::For(length) => length.span,
        }
    }
}

/// A point in time: a date, the day a milestone is reached, or a delay
/// after either.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Bound {
    Date(DateRef),
    Milestone(String),
    /// `90 days after notice`: the day that long after the anchor (a date
    /// or a milestone, never itself a delay).
    After {
        delay: Spanned<Duration>,
        anchor: Box<Spanned<Bound>>,
    },
}

impl Bound {
    /// The day the point falls on, given the day each milestone was
    /// reached (`None` for one not reached): `None` when it has not come.
    pub fn day_when(
        &self,
        reached: &impl Fn(&str) -> Option<jiff::civil::Date>,
    ) -> Option<jiff::civil::Date> {
        match self {
            Bound::Date(d) => d.date(),
            Bound::Milestone(m) => reached(m),
            Bound::After { delay, anchor } => delay.node.after(anchor.node.day_when(reached)?),
        }
    }

    /// The day the point falls on whatever happens: a date, or a delay
    /// after one; `None` for anything counted from a milestone.
    pub fn fixed_day(&self) -> Option<jiff::civil::Date> {
        self.day_when(&|_| None)
    }

    /// The milestone the point is counted from, if any.
    pub fn milestone(&self) -> Option<&str> {
        match self {
            Bound::Date(_) => None,
            Bound::Milestone(name) => Some(name),
            Bound::After { anchor, .. } => anchor.node.milestone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Due {
    /// `due 2026-03-01`
    On(Spanned<DateRef>),
    /// `due 45 days after the end of the period`
    After {
        delay: Spanned<Duration>,
        anchor: Spanned<DueAnchor>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum DueAnchor {
    PeriodEnd,
    Event,
    Date(DateRef),
    /// The day a milestone is reached.
    Milestone(String),
}

/// A length of time in whole days or whole months (weeks are written as
/// days, years as months, when read).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Duration {
    Days(i64),
    Months(i64),
}

impl Duration {
    /// Whether this is no time at all (`0 days`, `0 months`).
    pub fn is_zero(self) -> bool {
        match self {
            Duration::Days(n) | Duration::Months(n) => n == 0,
        }
    }

    /// The day this long after `date`. Months are calendar months: the
    /// same day of the month, or the month's last day when it has no such
    /// day (31 January + 1 month is 28 February, or 29 in a leap year).
    /// `None` past the last date proviso knows (9999-12-31).
    pub fn after(self, date: jiff::civil::Date) -> Option<jiff::civil::Date> {
        let span = match self {
            Duration::Days(n) => jiff::Span::new().try_days(n).ok()?,
            Duration::Months(n) => jiff::Span::new().try_months(n).ok()?,
        };
        date.checked_add(span).ok()
    }

    /// The day this long before `date`, months counted as `after` counts
    /// them. `None` before the first date proviso knows (0001-01-01).
    pub fn before(self, date: jiff::civil::Date) -> Option<jiff::civil::Date> {
        let span = match self {
            Duration::Days(n) => jiff::Span::new().try_days(n).ok()?,
            Duration::Months(n) => jiff::Span::new().try_months(n).ok()?,
        };
        date.checked_sub(span).ok()
    }

    /// As it is written: `1 day`, `90 days`, `12 months` (weeks were read
    /// as days, and years as months).
    pub fn written(self) -> String {
        let (n, one, many) = match self {
            Duration::Days(n) => (n, "day", "days"),
            Duration::Months(n) => (n, "month", "months"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

/// An inline carve-out: `except COND` or `unless COND` (the same meaning:
/// the rule does not apply where the condition holds).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CarveOut {
    pub keyword: Spanned<String>,
    pub condition: Condition,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RoundingMode {
    HalfUp,
    HalfEven,
    HalfDown,
    Up,
    Down,
    Ceiling,
    Floor,
}

impl RoundingMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundingMode::HalfUp => "half-up",
            RoundingMode::HalfEven => "half-even",
            RoundingMode::HalfDown => "half-down",
            RoundingMode::Up => "up",
            RoundingMode::Down => "down",
            RoundingMode::Ceiling => "ceiling",
            RoundingMode::Floor => "floor",
        }
    }
}

/// `half-up to 0.01`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rounding {
    pub mode: Spanned<RoundingMode>,
    /// The unit results are rounded to: 0.01, 1, 1000 ...
    pub unit: Spanned<Decimal>,
    pub span: Span,
}

/// An exact amount of money.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Money {
    pub currency: Currency,
    pub amount: Decimal,
}

/// `event.field`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldRef {
    pub event: Name,
    pub field: Name,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    /// The events this value adds up or counts, and the stretch it counts
    /// back over (`None`: the period's events); `None` for any other value.
    pub fn aggregate(&self) -> Option<(Aggregate<'_>, Option<&Spanned<Stretch>>)> {
        match &self.kind {
            ExprKind::Total {
                field,
                filter,
                stretch,
            } => Some((
                Aggregate::Total {
                    field,
                    filter: filter.as_deref(),
                },
                stretch.as_deref(),
            )),
            ExprKind::Count {
                event,
                by,
                filter,
                stretch,
            } => Some((
                Aggregate::Count {
                    event,
                    by: by.as_ref(),
                    filter: filter.as_deref(),
                },
                stretch.as_deref(),
            )),
            ExprKind::Pick(pick) => {
                let Pick {
                    which,
                    field,
                    stretch,
                    filter,
                    otherwise: _,
                } = &**pick;
                Some((
                    Aggregate::Pick {
                        which: which.node,
                        field,
                        filter: filter.as_ref(),
                    },
                    stretch.as_ref(),
                ))
            }
            ExprKind::Money(_)
            | ExprKind::Percent(_)
            | ExprKind::Number(_)
            | ExprKind::Duration(_)
            | ExprKind::Date(_)
            | ExprKind::Bool(_)
            | ExprKind::Text(_)
            | ExprKind::Name(_)
            | ExprKind::Field(_)
            | ExprKind::Chain { .. }
            | ExprKind::Negate(_)
            | ExprKind::Of { .. }
            | ExprKind::CappedAt { .. }
            | ExprKind::AtLeast { .. }
            | ExprKind::PerStep { .. }
            | ExprKind::DaysBetween { .. }
            | ExprKind::Tiers { .. }
            | ExprKind::Rounded { .. }
            | ExprKind::Converted { .. }
            | ExprKind::Balance { .. }
            | ExprKind::Invalid => None,
        }
    }

    /// Whether this value adds up or counts a period's events (a `total`
    /// or `count` with no stretch of its own).
    pub fn is_period_aggregate(&self) -> bool {
        match self.aggregate() {
            Some((Aggregate::Total { .. } | Aggregate::Count { .. }, stretch)) => stretch.is_none(),
            // A pick always looks back from an event in view.
            Some((Aggregate::Pick { .. }, _)) | None => false,
        }
    }

    /// Whether this value is worked out for each event as it comes, from
    /// the events up to it: a `total` or `count` with a stretch, or a pick.
    pub fn is_running(&self) -> bool {
        self.aggregate().is_some() && !self.is_period_aggregate()
    }

    /// The number a literal stands for: an amount's, a percentage's, a
    /// number of days or months; `None` for anything worked out.
    pub fn literal_value(&self) -> Option<Decimal> {
        match &self.kind {
            ExprKind::Number(n) | ExprKind::Percent(n) => Some(*n),
            ExprKind::Money(m) => Some(m.amount),
            ExprKind::Duration(Duration::Days(d) | Duration::Months(d)) => Some(Decimal::from(*d)),
            ExprKind::Negate(inner) => inner.literal_value().map(|v| -v),
            ExprKind::Date(_)
            | ExprKind::Bool(_)
            | ExprKind::Text(_)
            | ExprKind::Name(_)
            | ExprKind::Field(_)
            | ExprKind::Total { .. }
            | ExprKind::Count { .. }
            | ExprKind::Pick(_)
            | ExprKind::Chain { .. }
            | ExprKind::Of { .. }
            | ExprKind::CappedAt { .. }
            | ExprKind::AtLeast { .. }
            | ExprKind::PerStep { .. }
            | ExprKind::DaysBetween { .. }
            | ExprKind::Tiers { .. }
            | ExprKind::Rounded { .. }
            | ExprKind::Converted { .. }
            | ExprKind::Balance { .. }
            | ExprKind::Invalid => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum StepKind {
    /// `for each full N in D`: only complete steps count (rounds down).
    Full,
    /// `for each started N in D`: a begun step counts (rounds up).
    Started,
}

impl Expr {
    /// Whether the value adds up a period's events (holds a `total` with
    /// no stretch of its own).
    pub fn adds_up_events(&self) -> bool {
        let mut work = vec![self];
        while let Some(e) = work.pop() {
            if e.is_period_aggregate() {
                return true;
            }
            e.push_children(&mut work);
        }
        false
    }

    /// Pushes the direct sub-expressions of this expression (not those
    /// inside conditions, such as a `total`'s filter).
    pub fn push_children<'e>(&'e self, out: &mut Vec<&'e Expr>) {
        match &self.kind {
            ExprKind::Chain { first, rest } => {
                out.push(first);
                out.extend(rest.iter().map(|(_, e)| e));
            }
            ExprKind::Negate(e) | ExprKind::Rounded { value: e, .. } => out.push(e),
            ExprKind::Of { share, base } => out.extend([&**share, &**base]),
            ExprKind::CappedAt { value, cap } => out.extend([&**value, &**cap]),
            ExprKind::AtLeast { value, floor } => out.extend([&**value, &**floor]),
            ExprKind::Converted { value, rate, .. } => out.extend([&**value, &**rate]),
            ExprKind::PerStep {
                value,
                step,
                measure,
                ..
            } => out.extend([&**value, &**step, &**measure]),
            ExprKind::DaysBetween { start, end } => out.extend([&**start, &**end]),
            ExprKind::Tiers { subject, tiers, .. } => {
                out.push(subject);
                for tier in tiers {
                    out.extend(tier.lower.iter().map(|b| &b.value));
                    out.extend(tier.upper.iter().map(|b| &b.value));
                    out.push(&tier.value);
                }
            }
            // What a pick is when there is nothing to pick from is worked
            // out where the pick is; its filter is a condition.
            ExprKind::Pick(pick) => out.extend(pick.otherwise.as_ref()),
            ExprKind::Money(_)
            | ExprKind::Percent(_)
            | ExprKind::Number(_)
            | ExprKind::Duration(_)
            | ExprKind::Date(_)
            | ExprKind::Bool(_)
            | ExprKind::Text(_)
            | ExprKind::Name(_)
            | ExprKind::Field(_)
            | ExprKind::Total { .. }
            | ExprKind::Count { .. }
            | ExprKind::Balance { .. }
            | ExprKind::Invalid => {}
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ExprKind {
    Money(Money),
    Percent(Decimal),
    Number(Decimal),
    Duration(Duration),
    Date(#[serde(serialize_with = "ser_date")] Date),
    Bool(bool),
    Text(String),
    /// A bare name: a field of the event in scope, a category member or a party.
    Name(String),
    Field(FieldRef),
    /// `total event.field where ...`: the sum over the events of the period
    /// (those matching the condition, when one is given); with a stretch,
    /// over the events up to the one in view.
    Total {
        field: FieldRef,
        filter: Option<Box<Condition>>,
        stretch: Option<Box<Spanned<Stretch>>>,
    },
    /// `count deliver by supplier where late`: how many events of the
    /// period match; with a stretch, how many up to the one in view.
    Count {
        event: Name,
        by: Option<Name>,
        filter: Option<Box<Condition>>,
        stretch: Option<Box<Spanned<Stretch>>>,
    },
    /// `highest offer.price within the last 12 months`, `latest
    /// list_price.amount where ... otherwise USD 0.00`: one event's value,
    /// picked from the events up to the one in view (before it, for
    /// `previous`), over a stretch or all of them so far.
    Pick(Box<Pick>),
    /// `first op second op third ...`, evaluated left to right; all operators
    /// of one precedence level, kept flat so long chains never nest deeply.
    Chain {
        first: Box<Expr>,
        rest: Vec<(Spanned<ArithOp>, Expr)>,
    },
    Negate(Box<Expr>),
    /// `share of base`
    Of {
        share: Box<Expr>,
        base: Box<Expr>,
    },
    /// `value capped at cap`
    CappedAt {
        value: Box<Expr>,
        cap: Box<Expr>,
    },
    /// `value at least floor`
    AtLeast {
        value: Box<Expr>,
        floor: Box<Expr>,
    },
    /// `value for each full step in measure`
    PerStep {
        value: Box<Expr>,
        kind: StepKind,
        step: Box<Expr>,
        measure: Box<Expr>,
    },
    /// `days from start to end`: end minus start, in days.
    DaysBetween {
        start: Box<Expr>,
        end: Box<Expr>,
    },
    /// `tiers of subject (through a: x, through b: y, above: z)`, or
    /// `marginal tiers of ...`.
    Tiers {
        mode: TierMode,
        subject: Box<Expr>,
        tiers: Vec<Tier>,
    },
    Rounded {
        value: Box<Expr>,
        rounding: Rounding,
    },
    /// `value converted to USD at rate`: an amount in another currency
    /// times the rate, in USD; an amount already in USD is taken as it is.
    Converted {
        value: Box<Expr>,
        currency: Spanned<Currency>,
        rate: Box<Expr>,
    },
    /// `balance of loan`, `balance of loan as of 2026-03-31`: an
    /// account's balance, at the moment the place it is used gives, or at
    /// the end of the day given.
    Balance {
        account: Name,
        #[serde(serialize_with = "ser_optional_date")]
        as_of: Option<Spanned<Date>>,
    },
    /// A literal that could not be read; already reported, and skipped by
    /// the checker so that one mistake gives one diagnostic.
    Invalid,
}

/// How a tier table turns its subject into a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TierMode {
    /// `tiers of X`: the band X falls in gives the value, for the whole of X.
    Whole,
    /// `marginal tiers of X`: each band's rate applies to the part of X that
    /// lies in that band, and the parts add up.
    Marginal,
}

/// One band of a tier table: `over 10,000 through 50,000: 5%`. A band may
/// leave out either end; it then starts where the band before it stops, or
/// stops where the band after it starts. `above: 10%` leaves out both.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tier {
    /// `from A` or `over A`.
    pub lower: Option<TierBound<LowerEnd>>,
    /// `below B`, `through B` or `up to B`.
    pub upper: Option<TierBound<UpperEnd>>,
    pub value: Expr,
    pub span: Span,
}

/// One end of a band, with the word that says whether it is included.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TierBound<K> {
    pub kind: K,
    pub value: Expr,
}

/// How a band's lower end is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum LowerEnd {
    /// `from A`: A itself is in the band.
    From,
    /// `over A`: A itself is not.
    Over,
}

/// How a band's upper end is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum UpperEnd {
    /// `below B`: B itself is not in the band.
    Below,
    /// `through B`: B itself is in the band.
    Through,
    /// `up to B`: the same as `through B`, as some contracts word it.
    UpTo,
}

impl LowerEnd {
    pub fn keyword(self) -> &'static str {
        match self {
            LowerEnd::From => "from",
            LowerEnd::Over => "over",
        }
    }
    /// Whether the bound itself belongs to the band.
    pub fn includes_bound(self) -> bool {
        match self {
            LowerEnd::From => true,
            LowerEnd::Over => false,
        }
    }
}

impl UpperEnd {
    pub fn keyword(self) -> &'static str {
        match self {
            UpperEnd::Below => "below",
            UpperEnd::Through => "through",
            UpperEnd::UpTo => "up to",
        }
    }
    /// Whether the bound itself belongs to the band.
    pub fn includes_bound(self) -> bool {
        match self {
            UpperEnd::Below => false,
            UpperEnd::Through | UpperEnd::UpTo => true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CompareOp {
    Is,
    IsNot,
    In,
    NotIn,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Is => "is",
            CompareOp::IsNot => "is not",
            CompareOp::In => "in",
            CompareOp::NotIn => "not in",
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Condition {
    pub kind: ConditionKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ConditionKind {
    Any(Vec<Condition>),
    All(Vec<Condition>),
    /// `not` written `count` times (an odd count negates).
    Not(Box<Condition>),
    Compare {
        left: Expr,
        op: Spanned<CompareOp>,
        right: Vec<Expr>,
    },
    /// A yes/no field or literal used as a condition.
    Test(Expr),
    /// `after consent by landlord with the same unit`: an earlier event of a
    /// kind, with the same values of some fields (boxed: most conditions
    /// are comparisons).
    Earlier(Box<EarlierEvent>),
}

/// `after EVENT [by PARTY] [matching FIELD, ...] [within LENGTH | at least
/// LENGTH before]`: an event of that kind, dated on or before the day of
/// the event the condition is about, with the same values of the fields
/// named.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EarlierEvent {
    pub event: Name,
    pub by: Option<Name>,
    /// Fields both events declare, whose values must be the same.
    pub matching: Vec<Name>,
    pub when: Option<Spanned<EarlierWhen>>,
}

/// How long before the event an earlier one may or must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum EarlierWhen {
    /// `within 12 months`: the latest such event less than that long before.
    Within(Duration),
    /// `at least 30 days before`: the first such event that long before, or longer.
    AtLeastBefore(Duration),
}
