//! Pest's parse errors, said in a drafter's terms.
//!
//! Pest reports the furthest position it reached and the rules it tried
//! there. This module names what was found at that position, lists what
//! would have been accepted in words (`a date`, `quoted text`, `` `clause` ``),
//! and, when the word found is a near miss for an expected keyword, says
//! which keyword was meant.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::Rule;
use crate::ast::Span;
use crate::diagnostics::{Code, Diagnostic, closest};

pub fn from_pest(
    error: &Error<Rule>,
    text: &str,
    offset: usize,
    declared: &Declared,
) -> Diagnostic {
    let local = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let position = offset + local;
    let positives: Vec<Rule> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { message } => {
            // Pest's own limits ("call limit reached", "stack limit reached").
            return Diagnostic::error(
                Code::NestingTooDeep,
                "this part of the file is too complex to read",
                Span::new(position, position + 1),
                message.clone(),
            )
            .with_help("split the clause into simpler parts");
        }
    };

    let found = token_at(text, position);
    // At the end of the file, point just after the last word written: a
    // label on the empty line past the end would not be shown.
    let found_span = if found.is_empty() {
        let end = text
            .get(..position)
            .map_or(position, |t| t.trim_end().len());
        Span::new(end, end)
    } else {
        Span::new(position, position + found.len())
    };
    let mut keywords: Vec<&'static str> = positives
        .iter()
        .flat_map(|r| {
            keyword_of(*r)
                .into_iter()
                .chain(leading_keywords(*r).iter().copied())
        })
        .collect();
    keywords.sort_unstable();
    keywords.dedup();

    let is_word = found
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic());
    if is_word {
        if let Some(best) = closest(found, keywords.iter().copied()) {
            return Diagnostic::error(
                Code::UnknownKeyword,
                format!("unknown keyword `{found}`"),
                found_span,
                "not a word proviso knows here",
            )
            .with_suggestion(best);
        }
        if !positives.is_empty() && positives.iter().all(|r| expects_name(*r)) && is_reserved(found)
        {
            return Diagnostic::error(
                Code::Syntax,
                format!("`{found}` is a reserved word and cannot be used as a name"),
                found_span,
                "a name is expected here",
            )
            .with_help(format!(
                "choose another name, such as `{found}_1` or a more specific word"
            ));
        }
    }

    if let Some(advice) = amount_advice(text, position, found) {
        return advice;
    }
    if expects_verb(&positives)
        && let Some((span, keyword)) = misspelt_keyword_before(text, position, declared)
    {
        let word = text.get(span.start..span.end).unwrap_or("");
        return Diagnostic::error(
            Code::UnknownKeyword,
            format!("unknown keyword `{word}`"),
            span,
            "not a word proviso knows here",
        )
        .with_suggestion(keyword);
    }

    // At the boundary between rules or items, a name starts the next rule.
    let at_boundary = positives.contains(&Rule::kw_clause) || positives.contains(&Rule::EOI);
    let mut ranked: Vec<(u8, &'static str)> = Vec::new();
    for rule in &positives {
        let description = match rule {
            Rule::ident if at_boundary => Some("another rule such as `party must ...`"),
            _ => describe(*rule),
        };
        if let Some(description) = description
            && !ranked.iter().any(|(_, e)| *e == description)
        {
            ranked.push((rank(*rule), description));
        }
    }
    // What continues the current rule first, the start of the next item last.
    ranked.sort_by_key(|(r, _)| *r);
    let expected: Vec<String> = ranked.into_iter().map(|(_, d)| d.to_string()).collect();
    let label = if expected.is_empty() {
        "not expected here".to_string()
    } else {
        format!("expected {}", join_or(&expected))
    };
    let message = if found.is_empty() {
        "the file ends too early".to_string()
    } else {
        format!("unexpected `{found}`")
    };
    let mut diagnostic = Diagnostic::error(Code::Syntax, message, found_span, label);
    if let Some(help) = help_for(&positives, found) {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// The token starting at `position`: a word, a number, or one character.
fn token_at(text: &str, position: usize) -> &str {
    let Some(rest) = text.get(position..) else {
        return "";
    };
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return "";
    };
    let end = if first.is_ascii_alphanumeric() || first == '_' {
        rest.find(|c: char| {
            !(c.is_ascii_alphanumeric() || c == '_' || c == '-' && first.is_ascii_digit())
        })
        .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    rest.get(..end).unwrap_or("")
}

fn join_or(items: &[String]) -> String {
    const MAX: usize = 8;
    let shown: Vec<&str> = items.iter().take(MAX).map(String::as_str).collect();
    match shown.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => {
            let more = if items.len() > MAX { ", " } else { " or " };
            let tail = if items.len() > MAX {
                format!("{last} ...")
            } else {
                (*last).to_string()
            };
            format!("{}{more}{tail}", init.join(", "))
        }
    }
}

fn is_reserved(word: &str) -> bool {
    matches!(
        super::ProvisoParser::parse(Rule::keyword, word),
        Ok(pairs) if pairs.as_str() == word
    )
}

use pest::Parser as _;

/// The keyword a keyword rule stands for.
fn keyword_of(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        kw_above => "above",
        kw_after => "after",
        kw_allow => "allow",
        kw_and => "and",
        kw_at => "at",
        kw_basis => "basis",
        kw_because => "because",
        kw_by => "by",
        kw_cap => "cap",
        kw_capped => "capped",
        kw_category => "category",
        kw_clause => "clause",
        kw_commits => "commits",
        kw_complete => "complete",
        kw_contract => "contract",
        kw_converted => "converted",
        kw_currency => "currency",
        kw_days => "days",
        kw_define => "define",
        kw_account => "account",
        kw_due => "due",
        kw_each => "each",
        kw_earlier => "earlier",
        kw_effective => "effective",
        kw_end => "end",
        kw_event => "event",
        kw_except => "except",
        kw_exception => "exception",
        kw_excludes => "excludes",
        kw_exclusive => "exclusive",
        kw_for => "for",
        kw_from => "from",
        kw_grants => "grants",
        kw_holds => "holds",
        kw_in => "in",
        kw_is => "is",
        kw_least => "least",
        kw_may => "may",
        kw_marginal => "marginal",
        kw_measured => "measured",
        kw_milestone => "milestone",
        kw_must => "must",
        kw_non_exclusive => "non_exclusive",
        kw_not => "not",
        kw_of => "of",
        kw_on => "on",
        kw_or => "or",
        kw_over => "over",
        kw_party => "party",
        kw_pay => "pay",
        kw_period => "period",
        kw_rounded => "rounded",
        kw_rounding => "rounding",
        kw_settled => "settled",
        kw_settlement => "settlement",
        kw_starting => "starting",
        kw_survives => "survives",
        kw_table => "table",
        kw_term => "term",
        kw_text => "text",
        kw_the => "the",
        kw_then => "then",
        kw_through => "through",
        kw_tiers => "tiers",
        kw_to => "to",
        kw_total => "total",
        kw_unless => "unless",
        kw_until => "until",
        kw_valued => "valued",
        kw_where => "where",
        kw_whichever => "whichever",
        grant_kind => "licence",
        _ => return None,
    })
}

/// The keywords a rule starts with, for suggesting the one a typo meant.
fn leading_keywords(rule: Rule) -> &'static [&'static str] {
    use Rule::*;
    match rule {
        contract => &["contract"],
        party => &["party"],
        category => &["category"],
        period => &["period"],
        event => &["event"],
        milestone => &["milestone"],
        clause => &["clause"],
        effective => &["effective"],
        term => &["term"],
        default_currency => &["currency"],
        default_rounding => &["rounding"],
        settlement => &["settlement"],
        wording => &["text"],
        allow => &["allow"],
        cap_table => &["cap"],
        exclusion => &["excludes"],
        window_from => &["from"],
        window_end | end_bound => &["through", "until"],
        through_bound => &["through"],
        until_bound => &["until"],
        due => &["due"],
        carve_out => &["except", "unless"],
        per_period => &["for"],
        per_event => &["on"],
        settled_by => &["settled"],
        rounding => &["rounded"],
        exception_to => &["exception"],
        survives => &["survives"],
        where_clause => &["where"],
        exclusivity => &["exclusive", "non_exclusive"],
        grant_kind => &["licence", "license", "right"],
        _ => &[],
    }
}

/// Whether a rule starts with a name, so a reserved word there was meant as one.
fn expects_name(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        ident | type_name | field_decl | event_pattern | action | field_ref
    )
}

/// Whether the parser was expecting the verb of a rule (`must`, `may` ...),
/// which means it took the word before as a party starting a new rule.
fn expects_verb(positives: &[Rule]) -> bool {
    use Rule::*;
    positives
        .iter()
        .any(|r| matches!(r, kw_must | kw_may | kw_grants | kw_holds | kw_commits))
}

/// A misspelt keyword earlier on the line of an error: the parser often
/// reads a misspelt keyword as a name and only fails a word or two later.
/// Words the file declares as names, and quoted text, are never taken for
/// typos.
fn misspelt_keyword_before(
    text: &str,
    position: usize,
    declared: &Declared,
) -> Option<(Span, &'static str)> {
    let line_start = text.get(..position)?.rfind('\n').map_or(0, |p| p + 1);
    // Only the words just before the error matter; a bound keeps an error
    // at the end of an enormous line cheap.
    let window_start = (line_start..position)
        .find(|&i| position - i <= 240 && text.is_char_boundary(i))
        .unwrap_or(position);
    let line = text.get(window_start..position)?;
    let mut found = None;
    let mut in_text = false;
    let mut word_start: Option<usize> = None;
    // One pass over the characters, skipping quoted text.
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        let is_word = c.is_ascii_alphanumeric() || c == '_';
        if is_word && !in_text {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = word_start.take()
            && let Some(word) = line.get(start..i)
            && let Some(keyword) = typo_of(word, declared)
        {
            found = Some((Span::new(window_start + start, window_start + i), keyword));
        }
        if c == '"' {
            in_text = !in_text;
        }
    }
    found
}

/// The keyword a word misspells, if it plausibly does.
fn typo_of(word: &str, declared: &Declared) -> Option<&'static str> {
    if word.len() < 3 || !word.starts_with(|c: char| c.is_ascii_lowercase()) || is_reserved(word) {
        return None;
    }
    let keyword = closest(word, KEYWORD_QUOTED.iter().map(|(k, _)| *k))?;
    (keyword.len() >= 3 && !declared.contains(word)).then_some(keyword)
}

/// The names a file declares, found by a quick scan of its words: after
/// `party`, `event` and the other declaration keywords, as a field
/// (`word:`) or as a category member (`| word`, `: word |`). Used only to
/// avoid taking a declared name for a misspelt keyword.
#[derive(Debug, Default)]
pub struct Declared(std::collections::HashSet<String>);

impl Declared {
    pub fn scan(text: &str) -> Self {
        const DECLARING: [&str; 5] = ["party", "event", "category", "milestone", "period"];
        let mut names = std::collections::HashSet::new();
        let mut previous_word = "";
        let mut previous_char = ' ';
        let bytes = text.as_bytes();
        let mut i = 0usize;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii_alphanumeric() || b == b'_' {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or("");
                let next = text
                    .get(i..)
                    .and_then(|rest| rest.trim_start_matches([' ', '\t']).chars().next());
                if DECLARING.contains(&previous_word)
                    || previous_char == '|'
                    || matches!(next, Some(':' | '|'))
                {
                    names.insert(word.to_string());
                }
                previous_word = word;
                previous_char = ' ';
            } else {
                if !b.is_ascii_whitespace() {
                    previous_char = char::from(b);
                    previous_word = "";
                }
                i += 1;
            }
        }
        Declared(names)
    }

    fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// The word that ends just before `position` (skipping spaces), with its span.
fn previous_word(text: &str, position: usize) -> Option<(Span, &str)> {
    let before = text.get(..position)?.trim_end();
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |p| p + 1);
    let word = before.get(start..)?;
    (!word.is_empty()).then_some((Span::new(start, before.len()), word))
}

/// Advice for an amount written the way many people write it, but not the
/// way proviso reads it: `usd 100`, `EUR 1.250,00`.
fn amount_advice(text: &str, position: usize, found: &str) -> Option<Diagnostic> {
    let (span, word) = previous_word(text, position)?;
    let upper = word.to_ascii_uppercase();
    if found.starts_with(|c: char| c.is_ascii_digit())
        && word.len() == 3
        && word.chars().all(|c| c.is_ascii_lowercase())
        && iso_currency::Currency::from_code(&upper).is_some()
    {
        return Some(
            Diagnostic::error(
                Code::Syntax,
                format!("currency codes are written in capitals: `{word}` should be `{upper}`"),
                span,
                "read as a name, not a currency",
            )
            .with_suggestion(upper),
        );
    }
    if (found == "," || found == ".") && word.chars().all(|c| c.is_ascii_digit()) {
        let number_start = text
            .get(..position)?
            .rfind(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .map_or(0, |p| p + 1);
        let written = text.get(number_start..position)?;
        if written.contains('.') || found == "," {
            return Some(
                Diagnostic::error(
                    Code::MalformedNumber,
                    "this number is written with `.` between thousands or `,` before the decimals",
                    Span::new(number_start, position + 1),
                    "proviso reads `,` as the thousands separator and `.` as the decimal point",
                )
                .with_help("write amounts as `1,250.00`: commas between thousands, a point before the decimals"),
            );
        }
    }
    None
}

/// What a rule accepts, in words, for the "expected ..." label.
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    if let Some(kw) = keyword_of(rule) {
        return Some(
            KEYWORD_QUOTED
                .iter()
                .find(|(k, _)| *k == kw)
                .map_or("a keyword", |(_, q)| *q),
        );
    }
    Some(match rule {
        EOI => "the end of the file",
        ident | field_name => "a name",
        month => "a month such as `july`",
        word => "the name of a lint rule such as `unused_party`",
        string | short_string | long_string => "quoted text",
        date | date_ref => "a date such as `2032-12-31`",
        number => "a number",
        percent => "a percentage such as `20%`",
        money | currency_code => "an amount such as `USD 1,000`",
        duration => "a duration such as `30 days`",
        clause_number => "a clause number such as `5.1`",
        field_ref => "a field such as `event.field`",
        expr | operand | sum | term_expr | unary | scaled => "a value",
        type_name => "a type such as `money`, `date`, `text` or a category",
        field_decl => "a field such as `amount: money`",
        event_pattern | action => "an event",
        obligation_pay | obligation_do | prohibition | permission | grant | holding
        | commitment => "a rule such as `party must ...`",
        cap_table => "`cap table of`",
        exclusion => "`excludes`",
        wording => "`text`",
        allow => "`allow`",
        condition | cond_and | cond_not | cond_atom | comparison => "a condition",
        where_clause => "`where`",
        window_from => "`from`",
        window_end | end_bound => "`through` or `until`",
        through_bound => "`through`",
        until_bound => "`until`",
        due => "`due`",
        due_relative => "a delay such as `30 days after`",
        due_anchor => "`the end of the period`, `the event` or a date",
        carve_out => "`except` or `unless`",
        per_period => "`for each`",
        per_event => "`on each`",
        settled_by => "`settled by`",
        rounding => "`rounded`",
        rounding_spec => "a rounding such as `half-up to 0.01`",
        effective => "`effective`",
        term => "`term`",
        default_currency => "`currency`",
        default_rounding => "`rounding`",
        settlement => "`settlement by`",
        contract => "`contract`",
        party => "`party`",
        group => "`group`",
        ownership => "`owns`",
        owns_word => "`owns`",
        assets_made_by => "`assets made by`",
        title_passes | title_passes_to => "`title passes to`",
        once_word => "`once`",
        grant_passes | passes_to => "`passes to`",
        group_word => "`group`",
        membership_change => "`joins on EVENT.FIELD` or `leaves on EVENT.FIELD`",
        joins_word => "`joins on`",
        leaves_word => "`leaves on`",
        category => "`category`",
        period => "`period`",
        event => "`event`",
        milestone => "`milestone`",
        definition => "`define`",
        definition_value => "a value",
        account => "`account`",
        account_opening => "`opening` with an amount and a date (`opening USD 0.00 on 2026-01-01`)",
        opening_word => "`opening`",
        movement => "a movement: `increased by ...` or `decreased by ...`",
        increased_word => "`increased by`",
        decreased_word => "`decreased by`",
        at_period_end => "`at the end of each` period",
        balance => "`balance of` an account",
        as_of => "`as of` a date",
        clause => "`clause`",
        exception_to => "`exception to`",
        survives => "`survives`",
        milestone_cond | milestone_alt | milestone_seq | milestone_atom => {
            "an event, a date, `total` or `count`"
        }
        running_total => "`total EVENT.FIELD ... reaches` an amount",
        running_count => "`count EVENT ... reaches` a number",
        count_word => "`count`",
        reaches_word => "`reaches` and the amount or number that reaches the milestone",
        tiers => "`tiers of`",
        converted_suffix => "`converted to`",
        tier => "a tier such as `through 10,000: 5%`",
        tier_lower => "`from` or `over`",
        tier_upper => "`below`, `through` or `up to`",
        up_to => "`up to`",
        below_word => "`below`",
        value_list => "a list such as `(a, b)`",
        exclusivity => "`exclusive` or `non_exclusive`",
        grant_kind => "`licence` or `right`",
        event_actor => "`by party`",
        total => "`total`",
        total_stretch => "`in the same` period or `within the last` length",
        count_of => "`count` and an event",
        in_the_same => "`in the same`",
        within_the_last => "`within the last`",
        days_between => "`days from`",
        compare_op => "a comparison (`is`, `is not`, `in`, `=`, `<`, `>` ...)",
        rounding_mode => "a rounding mode such as `half-up`",
        period_base => "`year`, `quarter` or `month`",
        step_kind => "`full` or `started`",
        boolean => "`true` or `false`",
        scale => "`thousand`, `million`, `billion` or `trillion`",
        _ => return None,
    })
}

/// The reserved words of the language (those `ident` refuses), for
/// editors that offer them.
pub fn keywords() -> impl Iterator<Item = &'static str> {
    KEYWORD_QUOTED.iter().map(|(k, _)| *k)
}

macro_rules! quoted {
    ($($k:literal),* $(,)?) => { &[ $( ($k, concat!("`", $k, "`")), )* ] };
}

const KEYWORD_QUOTED: &[(&str, &str)] = quoted![
    "above",
    "account",
    "after",
    "allow",
    "and",
    "at",
    "basis",
    "because",
    "by",
    "cap",
    "capped",
    "category",
    "clause",
    "commits",
    "complete",
    "contract",
    "converted",
    "currency",
    "days",
    "define",
    "due",
    "each",
    "earlier",
    "effective",
    "end",
    "event",
    "except",
    "exception",
    "excludes",
    "exclusive",
    "false",
    "for",
    "from",
    "full",
    "grants",
    "holds",
    "in",
    "is",
    "least",
    "licence",
    "license",
    "marginal",
    "may",
    "measured",
    "milestone",
    "must",
    "non_exclusive",
    "not",
    "of",
    "on",
    "or",
    "over",
    "party",
    "pay",
    "period",
    "right",
    "rounded",
    "rounding",
    "settled",
    "settlement",
    "started",
    "starting",
    "survives",
    "table",
    "term",
    "text",
    "the",
    "then",
    "through",
    "tiers",
    "to",
    "total",
    "true",
    "unless",
    "until",
    "valued",
    "where",
    "whichever",
];

/// The order in which expected things are listed.
fn rank(rule: Rule) -> u8 {
    use Rule::*;
    match rule {
        EOI => 4,
        kw_clause | kw_party | kw_category | kw_period | kw_event | kw_milestone | kw_define
        | kw_account | kw_contract | clause | party | category | period | event | milestone
        | definition | account | contract => 3,
        ident | obligation_pay | obligation_do | prohibition | permission | grant | holding
        | commitment | cap_table | exclusion | wording | allow | kw_allow | kw_cap
        | kw_excludes | kw_text | aggregate_cap | kw_total => 2,
        _ => 1,
    }
}

/// A hint for common situations, keyed on what was expected.
fn help_for(positives: &[Rule], found: &str) -> Option<String> {
    use Rule::*;
    if matches!(found, "+" | "-" | "*" | "/") {
        return Some(
            "a qualification (`capped at`, `at least`, `for each`, `rounded`) ends the value it qualifies; to go on computing, put the qualified part in brackets: `(X capped at Y) + Z`"
                .to_string(),
        );
    }
    if positives
        .iter()
        .any(|r| matches!(r, expr | operand | sum | term_expr | unary | scaled))
    {
        return Some(
            "a value is an amount (`USD 1,000`), a percentage (`20%`), a number, a duration (`30 days`), a date or a field (`event.field`)"
                .to_string(),
        );
    }
    // Where only a single value may stand (the X of `tiers of X`, a date of
    // `days from`, the step of `for each`), a `total`, `days from` or
    // `tiers` must be bracketed.
    if matches!(found, "total" | "days" | "tiers") && positives.contains(&date) {
        return Some(format!(
            "here a single value is expected: put the `{found} ...` in brackets, as in `tiers of ({found} ...) (...)`"
        ));
    }
    if positives.contains(&kw_clause) && positives.contains(&EOI) {
        return Some(
            "a file holds `contract`, `party`, `group`, `category`, `period`, `event`, `milestone`, `define` and `account` declarations and numbered `clause`s; inside a clause, every rule starts with a party and `must`, `must not`, `may`, `grants`, `holds`, `owns` or `commits`"
                .to_string(),
        );
    }
    if positives.contains(&date) || positives.contains(&date_ref) {
        return Some("write dates in full as `YYYY-MM-DD`".to_string());
    }
    if positives.contains(&ident) && found.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!(
            "names are written in lowercase: `{}`",
            found.to_lowercase()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    /// The words of the grammar's `keyword` rule: each line `"a" ~ ("bove"
    /// | "fter" ...)` is a first letter and the rests of its words.
    fn reserved_by_the_grammar() -> Vec<String> {
        let grammar = include_str!("../../grammar/proviso.pest");
        let rule = grammar
            .split("\nkeyword = @{")
            .nth(1)
            .and_then(|rest| rest.split("~ !ident_char").next())
            .unwrap_or_default();
        let mut words = Vec::new();
        for line in rule.lines() {
            let quoted: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
            if let Some((first, rests)) = quoted.split_first() {
                words.extend(rests.iter().map(|rest| format!("{first}{rest}")));
            }
        }
        words.sort();
        words
    }

    #[test]
    fn the_keyword_list_is_the_grammars() {
        let grammar = reserved_by_the_grammar();
        assert!(grammar.len() > 70, "{grammar:?}");
        let mut listed: Vec<String> = super::keywords().map(str::to_string).collect();
        listed.sort();
        assert_eq!(listed, grammar);
    }
}
