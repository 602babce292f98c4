//! Evaluation of a checked contract against dated events.
//!
//! This stage reads events (`decode`), each validated against the event
//! types the contract declares, and works out periods (`period`).

pub mod compute;
pub mod decode;
pub mod engine;
pub mod event;
pub mod milestones;
pub mod period;
pub mod report;
pub mod windows;

pub use decode::Decoder;
pub use event::{Event, PeriodValue, Value};
