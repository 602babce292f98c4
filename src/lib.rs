//! proviso: a rules language and interpreter for contract clauses.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! bytes ──load──▶ SourceFile ──syntax::parse──▶ ast::ContractFile ──check──▶ check::Checked
//! ```
//!
//! Every stage reports problems as [`diagnostics::Diagnostic`]s; none of them
//! panics on any input.

pub mod ast;
pub mod check;
pub mod diagnostics;
pub mod diff;
pub mod eval;
pub mod limits;
pub mod lint;
pub mod load;
pub mod scenario;
pub mod source;
pub mod syntax;

pub use check::{Checked, check};
pub use diagnostics::{Code, Diagnostic, Severity};
pub use limits::Limits;
pub use source::SourceFile;

/// Parses and checks one clause file's text.
///
/// ```
/// use proviso::{Limits, SourceFile};
///
/// let text = r#"
///     contract "Loan" effective 2026-01-01 term through 2026-12-31
///     party lender "First Bank"
///     party borrower "Acme Ltd"
///     event payment by party { to: party, amount: money }
///     clause 1 "Fee"
///       borrower must pay lender USD 1,000 due 2026-03-31 settled by payment
/// "#;
/// let outcome = proviso::check_source(&SourceFile::new("loan.proviso", text), &Limits::default());
/// assert!(outcome.diagnostics.is_empty());
/// assert_eq!(outcome.checked.map(|c| c.file.clauses.len()), Some(1));
///
/// // A misspelt party is reported with a suggestion.
/// let broken = text.replace("pay lender", "pay lendr");
/// let outcome = proviso::check_source(&SourceFile::new("loan.proviso", broken), &Limits::default());
/// assert_eq!(outcome.diagnostics[0].code.as_str(), "E0204");
/// assert_eq!(outcome.diagnostics[0].help.as_deref(), Some("did you mean `lender`?"));
/// ```
pub fn check_source(source: &SourceFile, limits: &Limits) -> check::Outcome {
    check::check(syntax::parse(source.text(), limits), limits)
}
