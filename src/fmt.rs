//! `proviso fmt`: a clause file in the canonical layout, every comment
//! kept. The layout is the printer's (`syntax::print`), the comments are
//! found again in the text and attached to the lines the printer starts
//! (`syntax::comments`).
//!
//! Formatting never changes what a contract says: the formatted text is
//! read back, and it must give the same tree (spans aside) and the same
//! comments, or nothing is written. A file that does not
//! parse is not formatted.

use crate::diagnostics::Diagnostic;
use crate::limits::Limits;
use crate::source::SourceFile;
use crate::syntax::{self, Parsed};

/// Why a file was not formatted.
#[derive(Debug)]
pub enum Refused {
    /// It does not parse: its diagnostics.
    Problems(Vec<Diagnostic>),
    /// The formatted text would not read back as the same contract with
    /// the same comments (a defect in proviso, said as such).
    WouldChange(String),
}

pub(crate) fn parse(text: &str, limits: &Limits) -> Parsed {
    // As `check_source`: deep nesting needs room on the stack.
    let work = || syntax::parse(text, limits);
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("proviso-fmt".to_string())
            .stack_size(crate::PARSER_STACK_BYTES)
            .spawn_scoped(scope, work)
            .ok()
            .and_then(|handle| handle.join().ok())
    })
    .unwrap_or_else(work)
}

/// The formatted text of a clause file.
pub fn format_source(source: &SourceFile, limits: &Limits) -> Result<String, Refused> {
    let text = source.text();
    let parsed = parse(text, limits);
    let errors: Vec<Diagnostic> = parsed
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !errors.is_empty() {
        return Err(Refused::Problems(errors));
    }
    let formatted = syntax::format(text, &parsed.file);
    // Read back: the same tree, the same comments.
    let again = parse(&formatted, limits);
    if again.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Refused::WouldChange(
            "the formatted text does not parse".to_string(),
        ));
    }
    if syntax::without_spans(&again.file) != syntax::without_spans(&parsed.file) {
        return Err(Refused::WouldChange(
            "the formatted text reads as a different contract".to_string(),
        ));
    }
    // Every comment, none lost or repeated. (Their order may change where
    // the canonical order of a rule's options moves the line they are on.)
    let comments = |t: &str| -> Vec<String> {
        let mut all: Vec<String> = syntax::comments(t).into_iter().map(|c| c.text).collect();
        all.sort();
        all
    };
    if comments(&formatted) != comments(text) {
        return Err(Refused::WouldChange(
            "the formatted text does not keep every comment".to_string(),
        ));
    }
    Ok(formatted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(text: &str) -> String {
        match format_source(&SourceFile::new("t", text), &Limits::default()) {
            Ok(formatted) => formatted,
            Err(refused) => panic!("{refused:?}"),
        }
    }

    const MESSY: &str = r#"# The head of the file.

contract "T"   effective 2026-01-01
  term through 2026-12-31 # the first year
  currency USD
party b "B"
party a   "A"   # the payer

# Payments.
event payment by party {
  # who is paid
  to: party,
  amount: money, # in USD
  # nothing after this
}
clause 1 "Fee"
  # The fee.
  a must pay b USD 10 due 2026-03-01 settled by payment # once

  # A second rule, set apart.
  a must pay b USD 20
    settled by payment
    # the due date
    due 2026-04-01
# The end.
"#;

    #[test]
    fn comments_and_groups_are_kept_in_the_canonical_layout() {
        let formatted = format(MESSY);
        assert_eq!(
            formatted,
            r#"# The head of the file.

contract "T"
  effective 2026-01-01
  term through 2026-12-31  # the first year
  currency USD

party b "B"
party a "A"  # the payer

# Payments.
event payment by party {
  # who is paid
  to: party,
  amount: money,  # in USD
  # nothing after this
}

clause 1 "Fee"
  # The fee.
  a must pay b USD 10
    due 2026-03-01
    settled by payment  # once

  # A second rule, set apart.
  a must pay b USD 20
    # the due date
    due 2026-04-01
    settled by payment
# The end.
"#
        );
        // Formatting twice changes nothing.
        assert_eq!(format(&formatted), formatted);
    }

    #[test]
    fn a_file_that_does_not_parse_is_refused_with_its_diagnostics() {
        let refused = format_source(
            &SourceFile::new("t", "contract \"T\" effective 2026-13-01"),
            &Limits::default(),
        );
        match refused {
            Err(Refused::Problems(ds)) => assert_eq!(ds[0].code.as_str(), "E0103"),
            other => panic!("{other:?}"),
        }
    }
}
