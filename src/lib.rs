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
pub mod eval;
pub mod limits;
pub mod load;
pub mod source;
pub mod syntax;

pub use check::{Checked, check};
pub use diagnostics::{Code, Diagnostic, Severity};
pub use limits::Limits;
pub use source::SourceFile;

/// Parses and checks one clause file's text.
pub fn check_source(source: &SourceFile, limits: &Limits) -> check::Outcome {
    check::check(syntax::parse(source.text(), limits), limits)
}
