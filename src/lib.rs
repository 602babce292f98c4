//! proviso: a rules language and interpreter for contract clauses.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! bytes ──load──▶ SourceFile ──syntax::parse──▶ ast::ContractFile ──check──▶ model::Checked
//! ```
//!
//! Every stage reports problems as [`diagnostics::Diagnostic`]s; none of them
//! panics on any input.
//!
//! To embed proviso, start with [`Contract`]: [`Contract::parse`] or
//! [`Contract::load`] reads and checks a clause file,
//! [`Contract::evaluate`] applies it to events and gives a [`Report`], and
//! [`Contract::review`] lists what changed from another version. The
//! `proviso` command is behind the default `cli` feature; a program that
//! embeds the library can turn it off.

pub mod ast;
pub mod check;
#[deny(missing_docs)]
mod contract;
pub mod diagnostics;
pub mod diff;
pub mod eval;
pub mod fmt;
pub mod ide;
pub mod limits;
pub mod lint;
pub mod load;
pub mod model;
pub mod parallel;
pub mod render;
pub mod scenario;
pub mod source;
pub mod syntax;
pub mod text;
pub mod tiers;
pub mod visit;

pub use check::check;
pub use contract::{Contract, EventFormat, Problems, Report};
pub use diagnostics::{Code, Diagnostic, Severity};
pub use limits::Limits;
pub use model::Checked;
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
    let work = || check::check(syntax::parse(source.text(), limits), limits);
    // The parser descends one level of its grammar per bracket: within the
    // nesting limit that fits any release build's stack, but not every
    // caller's thread in a debug build. So the work runs on a thread of its
    // own with room to spare; only if none can be made does it run here.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("proviso-check".to_string())
            .stack_size(PARSER_STACK_BYTES)
            .spawn_scoped(scope, work)
            .ok()
            .and_then(|handle| handle.join().ok())
    })
    .unwrap_or_else(work)
}

/// The stack given to parsing and checking: far more than the deepest
/// input the limits accept needs (about 8 MiB in a debug build). Only the
/// pages touched are ever allocated.
pub const PARSER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// The stack of the command's threads (its main thread, and the workers
/// that check, lint and run scenarios in parallel): evaluation walks
/// expressions as deep as the limits allow. Reserved, not used: pages are
/// touched only as deep as the work goes.
pub const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;
