//! The resolved contract model: what `check` hands every later stage.
//!
//! A [`Checked`] contract is the tree that passed every check, together
//! with what the checker worked out about it once, so that no later stage
//! works it out again or meets a name it cannot resolve:
//!
//! - **typed ids** ([`ClauseId`], [`PartyId`], [`GroupId`], [`EventTypeId`],
//!   [`MilestoneId`], [`CategoryId`]) for every declaration, so a clause's
//!   index can never be used as a party's;
//! - **names resolved** to those ids ([`Symbols`]);
//! - **exception edges** in both directions ([`Checked::exceptions_to`],
//!   [`Checked::exception_targets`]);
//! - **effective values**: the event that settles a payment rule (its own
//!   `settled by` or the header's) and the rounding that applies to it
//!   (its own, or the header's default, or none).
//!
//! Ids are only made by the checker and by readers of a checked contract
//! (an event's type and party are looked up by name once, when it is
//! decoded), so a lookup by id fails only for an id of another contract.

use smol_str::SmolStr;
use std::collections::BTreeMap;

use crate::ast::*;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl $name {
            #[doc = concat!("The id of the ", $what, " at this position in its list.")]
            pub fn from_index(index: usize) -> Self {
                Self(index)
            }

            #[doc = concat!("The position of the ", $what, " in its list in the file.")]
            pub fn index(self) -> usize {
                self.0
            }
        }
    };
}

typed_id!(
    /// A clause, by its position in `ContractFile::clauses`.
    ClauseId,
    "clause"
);
typed_id!(
    /// A party, by its position in `ContractFile::parties`.
    PartyId,
    "party"
);
typed_id!(
    /// A group of parties, by its position in `ContractFile::groups`.
    GroupId,
    "group"
);
typed_id!(
    /// An event type, by its position in `ContractFile::events`.
    EventTypeId,
    "event type"
);
typed_id!(
    /// A milestone, by its position in `ContractFile::milestones`.
    MilestoneId,
    "milestone"
);
typed_id!(
    /// A category, by its position in `ContractFile::categories`.
    CategoryId,
    "category"
);
typed_id!(
    /// A definition, by its position in `ContractFile::definitions`.
    DefinitionId,
    "definition"
);
typed_id!(
    /// An account, by its position in `ContractFile::accounts`.
    AccountId,
    "account"
);

/// Who a rule binds or benefits: one party, or a group of parties
/// (`group openai_group = openai, openai_opco ...`), whose members act for
/// it while they belong to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Actor {
    Party(PartyId),
    Group(GroupId),
}

/// A clause file that passed every check, with what was resolved about it.
#[derive(Debug)]
pub struct Checked {
    pub file: ContractFile,
    pub symbols: Symbols,
    /// For each clause, the clauses that are exceptions to it, in file order.
    exceptions_to: Vec<Vec<ClauseId>>,
    /// For each clause, the clauses it is an exception to, as written.
    exception_targets: Vec<Vec<ClauseId>>,
    /// The header's `settlement by` event, if any.
    default_settlement: Option<EventTypeId>,
    /// For each event type, for each of its fields in declaration order,
    /// the category or period its type names (`None` for a built-in type):
    /// reading an event or a field finds it by position instead of by name.
    named_types: Vec<Vec<Option<NamedType>>>,
}

/// What a field's named type (`kind: product`, `quarter: fiscal_quarter`)
/// refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedType {
    Category(CategoryId),
    Period(PeriodInfo),
}

/// What each declared name refers to.
#[derive(Debug, Default)]
pub struct Symbols {
    pub parties: BTreeMap<String, PartyId>,
    pub groups: BTreeMap<String, GroupId>,
    pub categories: BTreeMap<String, CategoryId>,
    pub periods: BTreeMap<String, PeriodInfo>,
    pub events: BTreeMap<String, EventTypeId>,
    pub milestones: BTreeMap<String, MilestoneId>,
    pub definitions: BTreeMap<String, DefinitionId>,
    pub accounts: BTreeMap<String, AccountId>,
    pub clauses: BTreeMap<ClauseNumber, ClauseId>,
    /// Every `after EVENT ...` condition, resolved: what evaluation needs
    /// to remember of earlier events to answer it.
    pub earlier: Vec<EarlierRef>,
    /// Every `total ... in the same PERIOD`, `total ... within the last
    /// LENGTH` and pick (`highest`, `latest` ...), resolved: what
    /// evaluation works out as the events come.
    pub running: Vec<RunningRef>,
}

/// A running total, resolved: `total order.units in the same month where
/// ...` adds up a field of one kind of event over a stretch of time that
/// ends with the event in view.
#[derive(Clone, Debug, PartialEq)]
pub struct RunningRef {
    /// Where the total is written: how evaluation finds its value.
    pub span: crate::ast::Span,
    /// The kind of event added up or counted.
    pub event: EventTypeId,
    /// The `total` or `count` as written.
    pub aggregate: crate::ast::Expr,
    pub stretch: RunningStretch,
}

/// The stretch a running total adds up over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RunningStretch {
    /// Every event so far (a pick with no stretch: `latest price.amount`).
    SoFar,
    /// Since the start of the period the event in view falls in.
    SamePeriod(PeriodInfo),
    /// The events of this length ending on the day of the event in view.
    Last(crate::ast::Duration),
}

/// What a name written in a contract refers to: the key of its
/// declaration. Editors use it to go to a definition, find references and
/// rename. Names are held inline (`SmolStr`, up to 23 bytes without an
/// allocation): a contract of 10,000 clauses resolves some 200,000 names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Party(SmolStr),
    Group(SmolStr),
    Category(SmolStr),
    /// A member of a category.
    Member {
        category: SmolStr,
        member: SmolStr,
    },
    Period(SmolStr),
    Event(SmolStr),
    /// A field of an event type.
    Field {
        event: SmolStr,
        field: SmolStr,
    },
    Milestone(SmolStr),
    /// A defined term: `define net_revenue = ...`.
    Definition(SmolStr),
    /// An account: `account loan ...`.
    Account(SmolStr),
    /// A clause, by its number: `exception to 4`, `suspends clauses 4, 6`.
    Clause(ClauseNumber),
}

/// A name written in the contract, where it is written, and what the
/// checker resolved it to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub span: crate::ast::Span,
    pub target: Target,
}

/// An `after EVENT [by PARTY] [matching ...]` condition, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct EarlierRef {
    /// Where the condition is written: how evaluation finds its answer.
    pub span: crate::ast::Span,
    /// The event type the condition is about.
    pub subject: EventTypeId,
    /// The earlier event's type and party.
    pub event: EventTypeId,
    pub by: Option<PartyId>,
    /// For each field matched: its index in the subject's fields and in
    /// the earlier event's.
    pub keys: Vec<(usize, usize)>,
    pub when: Option<crate::ast::EarlierWhen>,
}

/// A period a rule can recur over: a built-in calendar period or a declared one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeriodInfo {
    pub base: PeriodBase,
    /// 1 = January.
    pub start_month: u8,
    /// Index into `ContractFile::periods`; `None` for `month`, `quarter`, `year`.
    pub declared: Option<usize>,
}

/// The category or period a type names, as the checker resolved it
/// (categories first, as it looks them up).
fn named_type(symbols: &Symbols, ty: &crate::ast::TypeName) -> Option<NamedType> {
    let name = ty.named()?;
    match symbols.categories.get(name) {
        Some(&category) => Some(NamedType::Category(category)),
        None => symbols.periods.get(name).copied().map(NamedType::Period),
    }
}

/// Where the rounding of a payment rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundingSource {
    /// The rule's own `rounded` option.
    Rule,
    /// The header's default, for a rule whose amount is not rounded already.
    Header,
}

impl Checked {
    /// The effective date, when the header writes a day.
    pub fn effective_date(&self) -> Option<jiff::civil::Date> {
        self.file
            .header
            .as_ref()
            .and_then(|h| h.effective.as_ref())
            .and_then(|e| e.node.date())
    }

    /// Resolves what later stages need once: names were checked, so every
    /// lookup here succeeds; one that does not is left out rather than
    /// guessed.
    pub(crate) fn new(file: ContractFile, symbols: Symbols) -> Self {
        let mut exceptions_to = vec![Vec::new(); file.clauses.len()];
        let mut exception_targets = Vec::with_capacity(file.clauses.len());
        for (index, clause) in file.clauses.iter().enumerate() {
            let targets: Vec<ClauseId> = clause
                .exception_to
                .iter()
                .filter_map(|target| symbols.clauses.get(&target.node).copied())
                .collect();
            for target in &targets {
                if let Some(list) = exceptions_to.get_mut(target.index()) {
                    list.push(ClauseId::from_index(index));
                }
            }
            exception_targets.push(targets);
        }
        let default_settlement = file
            .header
            .as_ref()
            .and_then(|h| h.settlement.as_ref())
            .and_then(|name| symbols.events.get(&name.node).copied());
        let named_types = file
            .events
            .iter()
            .map(|event| {
                event
                    .fields
                    .iter()
                    .map(|field| named_type(&symbols, &field.ty.node))
                    .collect()
            })
            .collect();
        Checked {
            file,
            symbols,
            exceptions_to,
            exception_targets,
            default_settlement,
            named_types,
        }
    }

    /// The category or period the type of field `index` of event type
    /// `event` names; `None` for a built-in type.
    pub fn named_type(&self, event: EventTypeId, index: usize) -> Option<NamedType> {
        *self.named_types.get(event.index())?.get(index)?
    }

    /// Every clause with its id, in file order.
    pub fn clauses(&self) -> impl Iterator<Item = (ClauseId, &Clause)> {
        self.file
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| (ClauseId::from_index(i), c))
    }

    pub fn clause(&self, id: ClauseId) -> Option<&Clause> {
        self.file.clauses.get(id.index())
    }

    pub fn party(&self, id: PartyId) -> Option<&Party> {
        self.file.parties.get(id.index())
    }

    pub fn event_type(&self, id: EventTypeId) -> Option<&EventDecl> {
        self.file.events.get(id.index())
    }

    pub fn milestone(&self, id: MilestoneId) -> Option<&Milestone> {
        self.file.milestones.get(id.index())
    }

    pub fn category(&self, id: CategoryId) -> Option<&Category> {
        self.file.categories.get(id.index())
    }

    /// The definition a name refers to, when it is not a field of the
    /// event in view (fields come first, as the checker resolves them).
    pub fn definition_named(&self, name: &str) -> Option<&Definition> {
        let id = self.symbols.definitions.get(name)?;
        self.file.definitions.get(id.index())
    }

    /// The account a name refers to, with its id.
    pub fn account_named(&self, name: &str) -> Option<(AccountId, &Account)> {
        let id = *self.symbols.accounts.get(name)?;
        Some((id, self.file.accounts.get(id.index())?))
    }

    /// Every `total ...` and `count ...` an amount adds up over its period
    /// (not the running ones), looking through the definitions
    /// it uses (and those they use), in no particular order. The checker
    /// bounds how far definitions expand, so this walk is bounded too.
    pub fn totals_in<'e>(&'e self, expr: &'e Expr) -> Vec<&'e Expr> {
        let mut found = Vec::new();
        self.walk_through_definitions(expr, |e| {
            // A running total (`in the same month`) is not the period's.
            if e.is_period_aggregate() {
                found.push(e);
                false
            } else {
                true
            }
        });
        found
    }

    /// Calls `visit` with every value in `expr`, outermost first, going on
    /// into the bodies of the definitions it uses (a condition's values
    /// too); `visit` answers whether to go on into the value's own parts.
    pub fn walk_through_definitions<'e>(
        &'e self,
        expr: &'e Expr,
        mut visit: impl FnMut(&'e Expr) -> bool,
    ) {
        let mut exprs = vec![expr];
        while let Some(e) = exprs.pop() {
            if !visit(e) {
                continue;
            }
            match &e.kind {
                ExprKind::Name(name) => match self.definition_named(name).map(|d| &d.body) {
                    Some(DefinitionBody::Value(value)) => exprs.push(value),
                    Some(DefinitionBody::Condition(condition)) => {
                        exprs.extend(condition.values().0);
                    }
                    None => {}
                },
                _ => e.push_children(&mut exprs),
            }
        }
    }

    /// The party a name refers to.
    pub fn party_named(&self, name: &str) -> Option<PartyId> {
        // Evaluation asks this for every event a rule looks at. A contract
        // names a few parties: a scan of their names, each compared only
        // when its length matches, costs less than a search of the map,
        // which compares the name with every key it passes.
        if self.file.parties.len() <= 32 {
            return self
                .file
                .parties
                .iter()
                .position(|p| p.name.node == name)
                .map(PartyId::from_index);
        }
        self.symbols.parties.get(name).copied()
    }

    /// The party or group a name refers to, where a rule may name either.
    pub fn actor_named(&self, name: &str) -> Option<Actor> {
        match self.party_named(name) {
            Some(party) => Some(Actor::Party(party)),
            None => self.symbols.groups.get(name).map(|&g| Actor::Group(g)),
        }
    }

    pub fn group(&self, id: GroupId) -> Option<&Group> {
        self.file.groups.get(id.index())
    }

    /// The name an actor is written with in the contract.
    pub fn actor_name(&self, actor: Actor) -> Option<&str> {
        match actor {
            Actor::Party(id) => self.party(id).map(|p| p.name.node.as_str()),
            Actor::Group(id) => self.group(id).map(|g| g.name.node.as_str()),
        }
    }

    /// The event type a name refers to.
    pub fn event_type_named(&self, name: &str) -> Option<EventTypeId> {
        self.symbols.events.get(name).copied()
    }

    /// The clause a number refers to.
    pub fn clause_numbered(&self, number: &ClauseNumber) -> Option<ClauseId> {
        self.symbols.clauses.get(number).copied()
    }

    /// The clauses that are exceptions to `clause`, in file order.
    pub fn exceptions_to(&self, clause: ClauseId) -> &[ClauseId] {
        self.exceptions_to
            .get(clause.index())
            .map_or(&[][..], Vec::as_slice)
    }

    /// The clauses `clause` is an exception to, in the order written.
    pub fn exception_targets(&self, clause: ClauseId) -> &[ClauseId] {
        self.exception_targets
            .get(clause.index())
            .map_or(&[][..], Vec::as_slice)
    }

    /// Whether `clause` is an exception to `target`.
    pub fn is_exception_to(&self, clause: ClauseId, target: ClauseId) -> bool {
        self.exception_targets(clause).contains(&target)
    }

    /// The event type that settles a payment rule: its own `settled by`,
    /// or the header's `settlement by`.
    pub fn settlement(&self, pay: &PayObligation) -> Option<EventTypeId> {
        match &pay.settled_by {
            Some(name) => self.event_type_named(&name.node),
            None => self.default_settlement,
        }
    }

    /// The rounding that applies to a payment rule's amount, and where it
    /// comes from: the rule's own `rounded`; else the header's default,
    /// unless the amount is rounded as a whole already (`(...) rounded
    /// ...`), which is as much the rule's own rounding as the option is.
    pub fn rounding<'a>(
        &'a self,
        pay: &'a PayObligation,
    ) -> Option<(&'a Rounding, RoundingSource)> {
        if let Some(own) = &pay.rounding {
            return Some((own, RoundingSource::Rule));
        }
        if matches!(pay.amount.kind, ExprKind::Rounded { .. }) {
            return None;
        }
        let header = self.file.header.as_ref()?.rounding.as_ref()?;
        Some((header, RoundingSource::Header))
    }
}
