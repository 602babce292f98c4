//! One diagnostic model for every stage, rendered for people with miette and
//! serialised for tools as JSON.
//!
//! Style (after Cedar and rustc): the message is lowercase, one line, no
//! trailing period, user text in backticks; the detail goes into the labels
//! and the help. Every diagnostic has a stable [`Code`] documented in
//! `docs/diagnostics.md`.

use std::fmt;

use serde::Serialize;

use crate::ast::Span;
use crate::source::{Position, SourceFile};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $slug:literal; )*) => {
        /// Every diagnostic code proviso can emit. Codes are stable: once
        /// published, a code keeps its meaning.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The code as printed: `E0204`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// A short name for the code, for documentation and JSON.
            pub fn slug(self) -> &'static str {
                match self { $( Code::$variant => $slug, )* }
            }

            /// The code printed as `text` (`E0204`), if there is one.
            pub fn from_str_code(text: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str() == text)
            }
        }
    };
}

codes! {
    /// The text does not follow the grammar.
    Syntax = "E0100", "syntax";
    /// A word where a keyword belongs is not one (usually a typo).
    UnknownKeyword = "E0101", "unknown-keyword";
    /// A quotation has no closing quotation mark.
    UnterminatedText = "E0102", "unterminated-text";
    /// A date that does not exist, such as `2026-02-30`.
    InvalidDate = "E0103", "invalid-date";
    /// A year where a full date belongs (`until 2032`).
    YearWithoutDay = "E0104", "year-without-day";
    /// Digits grouped wrongly by thousands separators.
    MalformedNumber = "E0105", "malformed-number";
    /// A number too large (or too precise) to be held exactly.
    NumberTooLarge = "E0106", "number-too-large";
    /// A currency code that is not an ISO 4217 code.
    UnknownCurrency = "E0107", "unknown-currency";
    /// Money written with a symbol (`$135`) instead of a currency code.
    CurrencySymbol = "E0108", "currency-symbol";
    /// A clause number part of 0 or beyond the supported range.
    InvalidClauseNumber = "E0109", "invalid-clause-number";
    /// A month name that is not one.
    UnknownMonth = "E0110", "unknown-month";
    /// A duration that is not a whole number of days or months.
    InvalidDuration = "E0111", "invalid-duration";
    /// A rounding unit that is zero.
    InvalidRounding = "E0112", "invalid-rounding";
    /// A period declaration that means nothing (`month starting june`).
    InvalidPeriod = "E0113", "invalid-period";
    /// A day count for interest that is not one of those proviso knows.
    UnknownDayCount = "E0114", "unknown-day-count";

    /// The file has no `contract` header.
    MissingHeader = "E0201", "missing-header";
    /// The file has more than one `contract` header.
    DuplicateHeader = "E0202", "duplicate-header";
    /// Two declarations share a name.
    DuplicateName = "E0203", "duplicate-name";
    /// A party that is not declared.
    UnknownParty = "E0204", "unknown-party";
    /// An event type that is not declared.
    UnknownEvent = "E0205", "unknown-event";
    /// A field the event type does not declare.
    UnknownField = "E0206", "unknown-field";
    /// A value that is not a member of the field's category.
    UnknownMember = "E0207", "unknown-member";
    /// A milestone that is not declared.
    UnknownMilestone = "E0208", "unknown-milestone";
    /// A field type that is neither built in nor a declared category or period.
    UnknownType = "E0209", "unknown-type";
    /// A name that means nothing where it stands.
    UnknownName = "E0210", "unknown-name";
    /// Two clauses share a number.
    DuplicateClause = "E0211", "duplicate-clause";
    /// `by PARTY` on an event type that records no party.
    EventWithoutActor = "E0212", "event-without-actor";
    /// A period that is neither built in nor declared.
    UnknownPeriod = "E0213", "unknown-period";
    /// A declared field uses a name reserved for every event.
    ReservedField = "E0214", "reserved-field";
    /// The contract header lacks its effective date or its term.
    IncompleteHeader = "E0215", "incomplete-header";
    /// A field of an event that is not in scope at that point.
    EventNotInScope = "E0216", "event-not-in-scope";
    /// Definitions that use one another in a circle.
    DefinitionCycle = "E0217", "definition-cycle";
    /// `balance of X` where no account `X` is declared.
    UnknownAccount = "E0218", "unknown-account";
    /// A group of parties where only one party can stand: a payment's
    /// payer or payee, a holding, a cap, a member of another group.
    GroupNotAParty = "E0219", "group-not-a-party";

    /// A value of the wrong kind (money where a percentage is expected ...).
    TypeMismatch = "E0301", "type-mismatch";
    /// Amounts in different currencies combined in one computation.
    MixedCurrencies = "E0302", "mixed-currencies";
    /// Division by zero.
    DivisionByZero = "E0303", "division-by-zero";
    /// A per-event field used where only a period total makes sense, or the reverse.
    TotalMisuse = "E0304", "total-misuse";
    /// Tier bounds that do not rise, a band with nothing in it, a band
    /// after the one that covers everything above, or tiers with no band
    /// for the highest values.
    InvalidTiers = "E0305", "invalid-tiers";
    /// A payment obligation with no event that settles it, or a settlement
    /// event that cannot record a payment.
    NoSettlement = "E0306", "no-settlement";
    /// Several window ends without `, whichever is earlier`.
    AmbiguousWindow = "E0307", "ambiguous-window";
    /// A due date counted from something the obligation does not have: the
    /// end of a period, or the event that raised it.
    DueWithoutPeriod = "E0308", "due-without-period";
    /// A percentage stake outside 0% to 100%, or shares of the same
    /// assets above 100% in all.
    InvalidStake = "E0309", "invalid-stake";
    /// `partial periods ...` where it cannot apply: a payment not made per
    /// period, one counted `as reported`, or `prorated` on an amount whose
    /// events already stop at the window's edge.
    PartialPeriodsNotApplicable = "E0310", "partial-periods-not-applicable";
    /// A delay (`0 days after X`) or a window's length (`for 0 months`) of
    /// no time at all.
    ZeroLength = "E0311", "zero-length";
    /// Late interest on a payment with no due date.
    InterestWithoutDueDate = "E0312", "interest-without-due-date";
    /// Late interest at a rate of 0%.
    ZeroInterestRate = "E0313", "zero-interest-rate";
    /// A cure period on a payment with no due date.
    CureWithoutDueDate = "E0314", "cure-without-due-date";
    /// A renewal on a term that does not end on one date.
    RenewalWithoutDatedTerm = "E0315", "renewal-without-dated-term";
    /// A shortfall payment whose rate does not fit the target: a share of
    /// a count, or a price per unit of an amount.
    ShortfallRateMismatch = "E0316", "shortfall-rate-mismatch";
    /// A shortfall payment on a commitment made to no one.
    ShortfallWithoutBeneficiary = "E0317", "shortfall-without-beneficiary";
    /// A right arising on default (`then ... may ...`) on an obligation
    /// with no due date.
    RightWithoutDueDate = "E0318", "right-without-due-date";
    /// `after EVENT` in a condition about no event.
    EarlierEventWithoutEvent = "E0319", "earlier-event-without-event";
    /// `matching FIELD` where the two events' fields differ in kind.
    MatchingFieldMismatch = "E0320", "matching-field-mismatch";
    /// A shortfall payment of 0% or of nothing per unit.
    ZeroShortfallPayment = "E0321", "zero-shortfall-payment";
    /// `matching` on an obligation to act not raised `on each` event.
    MatchingWithoutTrigger = "E0322", "matching-without-trigger";
    /// Two neighbouring tier bands leave values between them in neither.
    TierGap = "E0323", "tier-gap";
    /// Two neighbouring tier bands both cover some values.
    TierOverlap = "E0324", "tier-overlap";
    /// A conversion rate of zero or less, or an amount converted to the
    /// currency it is in already.
    InvalidRate = "E0325", "invalid-rate";
    /// An account's balance used where it has no meaning: outside a
    /// payment's amount, another account's in a movement, or as of a day
    /// before the account opens.
    BalanceMisuse = "E0326", "balance-misuse";
    /// A milestone's `reaches` that no running total or count can mean:
    /// zero or less, a count that is not a whole number, or a field that
    /// cannot be added up.
    InvalidThreshold = "E0327", "invalid-threshold";

    /// An aggregate limit written with what it cannot have or without what
    /// it needs: a floor with no party to pay or no period, a cap with
    /// one, or a due date a floor's shortfall cannot have.
    LimitTerms = "E0328", "limit-terms";

    /// An exception to a clause that does not exist.
    DanglingException = "E0401", "dangling-exception";
    /// Exceptions that form a cycle (5.1 excepts 5.2, which excepts 5.1).
    ExceptionCycle = "E0402", "exception-cycle";
    /// An exception clause with nothing that can override its target.
    IneffectiveException = "E0403", "ineffective-exception";
    /// `excludes` in a clause that is not an exception to any clause.
    ExclusionWithoutTarget = "E0404", "exclusion-without-target";
    /// A suspension of a clause that does not exist.
    DanglingSuspension = "E0405", "dangling-suspension";
    /// A suspension of a clause with no due date or deadline to move.
    NothingToSuspend = "E0406", "nothing-to-suspend";
    /// An aggregate cap on a clause that does not exist.
    DanglingCap = "E0407", "dangling-cap";
    /// An aggregate cap on a clause under which its party owes nothing.
    CapOverNothing = "E0408", "cap-over-nothing";
    /// A grant that passes to another party (`passes to`) in an exception
    /// clause.
    PassingGrantInException = "E0409", "passing-grant-in-exception";
    /// `clause N paid in full` naming a clause that does not exist, owes
    /// no payment, or owes payments that recur (each period, each event).
    NothingPaidInFull = "E0410", "nothing-paid-in-full";
    /// A milestone reached when a clause is paid in full, on which that
    /// clause's payments themselves depend (their window or due date).
    PaidInFullCycle = "E0411", "paid-in-full-cycle";

    /// The file is larger than proviso accepts.
    FileTooLarge = "E0501", "file-too-large";
    /// Brackets nested deeper than proviso accepts.
    NestingTooDeep = "E0502", "nesting-too-deep";
    /// The file is not UTF-8 text.
    InvalidUtf8 = "E0503", "invalid-utf8";
    /// The file holds nothing but blank lines and comments.
    EmptyFile = "E0504", "empty-file";
    /// The file could not be read.
    UnreadableFile = "E0505", "unreadable-file";
    /// So many problems that proviso stopped reporting them.
    TooManyProblems = "E0506", "too-many-problems";

    /// An event file that is not valid JSON.
    EventSyntax = "E0601", "event-syntax";
    /// An event that is not an object, has no `type`, or repeats a member.
    InvalidEvent = "E0602", "invalid-event";
    /// An event whose `type` the contract does not declare.
    UnknownEventType = "E0603", "unknown-event-type";
    /// An event without a field its declaration requires.
    MissingField = "E0604", "missing-field";
    /// An event with a field its declaration does not have.
    UnexpectedField = "E0605", "unexpected-field";
    /// A field whose value is not of the declared kind.
    WrongValue = "E0606", "wrong-value";
    /// Money written as a bare JSON number.
    MoneyAsNumber = "E0607", "money-as-number";
    /// An amount in another currency than the contract's.
    WrongCurrency = "E0608", "wrong-currency";
    /// A streamed event dated before one that came earlier in the stream.
    EventsOutOfOrder = "E0609", "events-out-of-order";
    /// More events on one date of a stream than the limit that bounds the
    /// memory a day's events are held in.
    TooManyEventsOnOneDay = "E0610", "too-many-events-on-one-day";

    /// A computation whose result is too large to hold exactly.
    ArithmeticOverflow = "E0701", "arithmetic-overflow";
    /// A computation that could not be carried out (a defect in proviso).
    EvaluationError = "E0702", "evaluation-error";
    /// An amount owed that works out below zero.
    NegativeAmount = "E0703", "negative-amount";
    /// An account's balance asked for on a day it does not have one yet:
    /// before it opens, or before that day is over.
    BalanceNotKnown = "E0704", "balance-not-known";

    /// A pick (`latest price.amount`) asked for when no event is there to
    /// pick from, and no `otherwise` says what it is then.
    NothingToPick = "E0705", "nothing-to-pick";

    /// A scenario file that is not YAML of the scenario's shape.
    ScenarioSyntax = "E0801", "scenario-syntax";
    /// A key a scenario file does not know (often a misspelling).
    UnknownScenarioKey = "E0802", "unknown-scenario-key";
    /// A key every scenario needs, missing.
    MissingScenarioKey = "E0803", "missing-scenario-key";
    /// A value of the wrong kind in a scenario (a date that is not one ...).
    InvalidScenarioValue = "E0804", "invalid-scenario-value";

    // Lint rules (`proviso lint`), documented in docs/lints.md.
    /// An `allow` that names no lint rule.
    UnknownLint = "L0001", "unknown-lint";
    /// A party no rule names.
    UnusedParty = "L0101", "unused-party";
    /// A category member no condition names.
    UnusedMember = "L0102", "unused-member";
    /// An event type no rule names.
    UnusedEvent = "L0103", "unused-event";
    /// A milestone nothing waits for.
    UnusedMilestone = "L0104", "unused-milestone";
    /// A definition nothing uses.
    UnusedDefinition = "L0105", "unused-definition";
    /// A term that ends before the effective date.
    TermEndsBeforeStart = "L0201", "term-ends-before-start";
    /// A window past the end of the term.
    WindowBeyondTerm = "L0202", "window-beyond-term";
    /// One fixed due date for a recurring payment.
    FixedDueDateForRecurringPayment = "L0203", "fixed-due-date-for-recurring-payment";
    /// A renewal whose notice falls due before the renewal it stops begins.
    NoticeBeforeRenewalBegins = "L0204", "notice-before-renewal-begins";
    /// A suspension begun and ended by the same event.
    SuspensionEndsAsItBegins = "L0205", "suspension-ends-as-it-begins";
    /// A right on default (`then P may ...`) given to the party in default.
    RightForThePartyInDefault = "L0206", "right-for-the-party-in-default";
    /// Stakes in one entity over 100%.
    StakesOverHundred = "L0301", "stakes-over-hundred";
    /// A complete cap table that is not 100%.
    CapTableNotHundred = "L0302", "cap-table-not-hundred";
    /// An amount in another currency than the contract's.
    ForeignCurrencyAmount = "L0303", "foreign-currency-amount";
    /// `P of X - Y`: a subtraction from a share, which can go below zero.
    SubtractionAfterShare = "L0304", "subtraction-after-share";
    /// Late interest with no rounding anywhere.
    UnroundedInterest = "L0305", "unrounded-interest";
    /// `through USD 999,999.99` before another band: USD 999,999.995 falls
    /// in the next band.
    TierBoundShortOfRoundFigure = "L0306", "tier-bound-short-of-round-figure";
    /// An account's movement that multiplies or takes a share, unrounded,
    /// in a contract that rounds its payments.
    UnroundedMovement = "L0307", "unrounded-movement";
    FloorShorterThanPayments = "L0308", "floor-shorter-than-payments";
    /// Shares of the same assets (`owns 60% of assets made by ...`) that
    /// add up to less than the whole.
    AssetSharesBelowWhole = "L0309", "asset-shares-below-whole";
    /// An exception whose scope lies outside its target.
    ExceptionNeverApplies = "L0401", "exception-never-applies";
    /// An exception that takes everything out of its target.
    ExceptionSwallowsRule = "L0402", "exception-swallows-rule";
    /// A permission and a prohibition with no priority between them.
    UnprioritisedConflict = "L0403", "unprioritised-conflict";
    /// A milestone that can never be reached.
    UnreachableMilestone = "L0501", "unreachable-milestone";
    /// An obligation that never ends.
    ObligationWithoutEnd = "L0502", "obligation-without-end";
    /// An obligation with no due date.
    ObligationWithoutDueDate = "L0503", "obligation-without-due-date";
    /// A clause without the contract's wording.
    ClauseWithoutWording = "L0601", "clause-without-wording";
    /// Clause numbers that skip one.
    SkippedClauseNumber = "L0602", "skipped-clause-number";
    /// A clause without a heading.
    ClauseWithoutHeading = "L0603", "clause-without-heading";
    /// A bidirectional control character in the clause file (Trojan Source).
    TextDirectionControl = "L0604", "text-direction-control";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A span with a short explanation of what is there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// A replacement that fixes the problem: put `replacement` at `span`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub span: Span,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub related: Vec<Label>,
    pub help: Option<String>,
    pub suggestion: Option<Suggestion>,
}

impl Diagnostic {
    pub fn error(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: Label {
                span,
                message: label.into(),
            },
            related: Vec::new(),
            help: None,
            suggestion: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Suggest replacing the primary span with `replacement`; the help says so.
    pub fn with_suggestion(mut self, replacement: impl Into<String>) -> Self {
        let replacement = replacement.into();
        if self.help.is_none() {
            self.help = Some(format!("did you mean `{replacement}`?"));
        }
        self.suggestion = Some(Suggestion {
            span: self.primary.span,
            replacement,
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The closest candidate to a misspelt name, if any is close enough to be a
/// plausible typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    // Ranked by distance, then by the longest shared beginning (a typo more
    // often falls late in a word), then alphabetically so that ties are stable.
    let mut best: Option<(usize, std::cmp::Reverse<usize>, &str)> = None;
    // Edit distance is quadratic in length; no real name is this long.
    const LONGEST: usize = 64;
    if wrong.len() > LONGEST {
        return None;
    }
    for candidate in candidates {
        if candidate.len() > LONGEST || candidate.len().abs_diff(wrong.len()) > wrong.len() / 3 + 1
        {
            continue;
        }
        let candidate_lower = candidate.to_lowercase();
        let distance = strsim::damerau_levenshtein(&wrong_lower, &candidate_lower);
        // Allow roughly one typo per three letters, and never a whole rewrite.
        let allowed = (wrong.chars().count().max(candidate.chars().count()) / 3).max(1);
        if distance == 0 || distance > allowed {
            continue;
        }
        let prefix = wrong_lower
            .chars()
            .zip(candidate_lower.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let key = (distance, std::cmp::Reverse(prefix), candidate);
        if best.is_none_or(|b| key < b) {
            best = Some(key);
        }
    }
    best.map(|(_, _, c)| c)
}

/// How to draw diagnostics for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Always,
    Never,
}

/// Renders diagnostics of one file for a terminal, through miette.
pub fn render_human(file: &SourceFile, diagnostics: &[Diagnostic], color: ColorChoice) -> String {
    let theme = match color {
        ColorChoice::Always => miette::GraphicalTheme::unicode(),
        ColorChoice::Never => miette::GraphicalTheme::unicode_nocolor(),
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    // Quoted for people: escape sequences and direction controls in the
    // file (or in an event's values) are shown, never acted on.
    let quotable = crate::text::quotable(file.text());
    let name = crate::text::for_people(file.name());
    let safe_file;
    let file = match (quotable, name) {
        (std::borrow::Cow::Borrowed(_), std::borrow::Cow::Borrowed(_)) => file,
        (text, name) => {
            safe_file = file.with_text(text.into_owned()).renamed(name.into_owned());
            &safe_file
        }
    };
    for diagnostic in diagnostics {
        let safe = for_people_diagnostic(diagnostic);
        let diagnostic = &safe;
        // A line too long to show (a whole contract on one line) is named by
        // its position instead, so that a report stays readable and small.
        let spans = std::iter::once(diagnostic.primary.span)
            .chain(diagnostic.related.iter().map(|l| l.span));
        let show_source = spans
            .into_iter()
            .all(|s| file.line_length_at(s.start) <= MAX_SHOWN_LINE);
        let placed;
        let diagnostic = if show_source {
            diagnostic
        } else {
            let p = file.position(diagnostic.primary.span.start);
            let mut copy = diagnostic.clone();
            copy.message = format!(
                "{} (at {}:{}:{})",
                copy.message,
                file.name(),
                p.line,
                p.column
            );
            placed = copy;
            &placed
        };
        let report = MietteView {
            file,
            diagnostic,
            show_source,
        };
        if handler.render_report(&mut out, &report).is_err() {
            // Rendering into a String cannot fail; fall back to plain text anyway.
            out.push_str(&format!("{}: {}\n", diagnostic.code, diagnostic.message));
        }
        out.push('\n');
    }
    out
}

/// A diagnostic's words with any user text in them made safe to print.
fn for_people_diagnostic(diagnostic: &Diagnostic) -> Diagnostic {
    let safe = |s: &str| crate::text::for_people(s).into_owned();
    let mut copy = diagnostic.clone();
    copy.message = safe(&copy.message);
    copy.primary.message = safe(&copy.primary.message);
    for label in &mut copy.related {
        label.message = safe(&label.message);
    }
    copy.help = copy.help.as_deref().map(safe);
    copy
}

/// Lines longer than this are not quoted in a rendered diagnostic.
const MAX_SHOWN_LINE: usize = 1_000;

/// A diagnostic seen through miette's trait, with its file attached.
struct MietteView<'a> {
    file: &'a SourceFile,
    diagnostic: &'a Diagnostic,
    show_source: bool,
}

impl fmt::Debug for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        if self.show_source {
            Some(self.file)
        } else {
            None
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let len = self.file.text().len();
        let clamp = move |span: Span| {
            let start = span.start.min(len);
            let end = span.end.clamp(start, len);
            (start, end - start)
        };
        let primary = std::iter::once({
            let (offset, length) = clamp(self.diagnostic.primary.span);
            miette::LabeledSpan::new_primary_with_span(
                Some(self.diagnostic.primary.message.clone()),
                (offset, length),
            )
        });
        let related = self.diagnostic.related.iter().map(move |label| {
            let (offset, length) = clamp(label.span);
            miette::LabeledSpan::new_with_span(Some(label.message.clone()), (offset, length))
        });
        Some(Box::new(primary.chain(related)))
    }
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    start: usize,
    end: usize,
    #[serde(rename = "startPosition")]
    start_position: Position,
    #[serde(rename = "endPosition")]
    end_position: Position,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    code: Code,
    name: &'static str,
    severity: Severity,
    message: &'a str,
    primary: JsonLabel<'a>,
    related: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    suggestion: Option<&'a Suggestion>,
}

/// The JSON document of `--format json` for diagnostics
/// (`proviso.check/1`): one entry per file, valid or not, with its
/// diagnostics. Groups that name the same file (the lines of a streamed
/// event file, kept one by one) make one entry.
pub fn json_document(files: &[(&SourceFile, &[Diagnostic])]) -> serde_json::Value {
    let mut entries: Vec<(&str, bool, Vec<serde_json::Value>)> = Vec::new();
    for (file, diagnostics) in files {
        let valid = !diagnostics.iter().any(Diagnostic::is_error);
        let json = diagnostics.iter().map(|d| to_json(file, d));
        match entries.iter_mut().find(|(name, _, _)| *name == file.name()) {
            Some((_, all_valid, list)) => {
                *all_valid &= valid;
                list.extend(json);
            }
            None => entries.push((file.name(), valid, json.collect())),
        }
    }
    let files: Vec<serde_json::Value> = entries
        .into_iter()
        .map(|(name, valid, diagnostics)| {
            serde_json::json!({ "file": name, "valid": valid, "diagnostics": diagnostics })
        })
        .collect();
    serde_json::json!({ "schema": "proviso.check/1", "files": files })
}

/// The JSON value of a diagnostic, with line and column positions resolved
/// against its file.
pub fn to_json(file: &SourceFile, diagnostic: &Diagnostic) -> serde_json::Value {
    fn label<'l>(file: &SourceFile, l: &'l Label) -> JsonLabel<'l> {
        JsonLabel {
            message: &l.message,
            start: l.span.start,
            end: l.span.end,
            start_position: file.position(l.span.start),
            end_position: file.position(l.span.end),
        }
    }
    let json = JsonDiagnostic {
        file: file.name(),
        code: diagnostic.code,
        name: diagnostic.code.slug(),
        severity: diagnostic.severity,
        message: &diagnostic.message,
        primary: label(file, &diagnostic.primary),
        related: diagnostic.related.iter().map(|l| label(file, l)).collect(),
        help: diagnostic.help.as_deref(),
        suggestion: diagnostic.suggestion.as_ref(),
    };
    serde_json::to_value(json).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let parties = ["microsoft", "openai", "panel"];
        assert_eq!(closest("microsft", parties), Some("microsoft"));
        assert_eq!(closest("opnai", parties), Some("openai"));
        assert_eq!(closest("google", parties), None);
        assert_eq!(closest("x", parties), None);
        // Ties go to the candidate sharing the longest beginning.
        assert_eq!(closest("USX", ["UGX", "USD"]), Some("USD"));
        // Ties go to the candidate sharing the longest beginning.
        assert_eq!(closest("USX", ["UGX", "USD"]), Some("USD"));
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} used twice");
        }
    }
}
