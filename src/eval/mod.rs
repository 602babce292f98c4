//! Evaluation of a checked contract against dated events.
//!
//! This stage reads events (`decode`), each validated against the event
//! types the contract declares, and works out periods (`period`).

pub mod accounts;
pub mod compute;
pub mod csv;
pub mod decode;
pub mod engine;
pub mod evaluation;
pub mod event;
mod groups;
mod history;
pub mod input;
pub mod interest;
pub mod milestones;
pub mod outcome;
pub mod paid_in_full;
pub mod period;
pub mod report;
mod rules;
mod running;
mod scan;
mod sums;
pub mod windows;
pub mod yaml;

#[cfg(test)]
mod tests;

pub use decode::Decoder;
pub use evaluation::Evaluation;
pub use event::{Event, PeriodValue, Value};
pub use outcome::{EventNote, Outcome};
