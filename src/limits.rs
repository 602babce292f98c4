//! The limits that keep any input from exhausting time, memory or stack.
//! Each is a diagnostic when exceeded, never a crash; the values are
//! documented in `docs/reliability.md`.

/// Limits applied while reading a clause file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest clause file accepted, in bytes.
    pub max_file_bytes: usize,
    /// The deepest nesting of brackets accepted, and the longest chain of
    /// qualifications on one value (`x of y capped at z ...`).
    pub max_nesting: usize,
    /// The most diagnostics reported for one file; past it, reading stops
    /// with a note, so that a file of garbage cannot take forever to report.
    pub max_diagnostics: usize,
    /// The largest JSON or YAML event file accepted, in bytes. Such a file
    /// is read whole; longer histories are given as NDJSON, which streams.
    pub max_event_file_bytes: usize,
    /// The longest line of an NDJSON event file, in bytes, its line break
    /// not counted.
    pub max_event_line_bytes: usize,
    /// The most events of one date in a streamed (NDJSON) event file. A
    /// day's events are held until the day is complete (a milestone
    /// reached late in the day changes the whole day), so this bounds the
    /// memory a stream can take.
    pub max_events_per_day: usize,
}

impl Limits {
    /// 8 MiB holds a contract of well over 50,000 clauses.
    pub const DEFAULT_MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
    /// No real clause needs more than a handful of brackets.
    pub const DEFAULT_MAX_NESTING: usize = 64;
    /// Enough to see every problem in a file edited by hand.
    pub const DEFAULT_MAX_DIAGNOSTICS: usize = 100;
    /// About a million events written out as a JSON array.
    pub const DEFAULT_MAX_EVENT_FILE_BYTES: usize = 256 * 1024 * 1024;
    /// An event is a few hundred bytes; a megabyte leaves room for long texts.
    pub const DEFAULT_MAX_EVENT_LINE_BYTES: usize = 1024 * 1024;
    /// A million events of one day take about 350 MB while they are held
    /// (measured on the flagship's `buy_compute` events; docs/performance.md).
    pub const DEFAULT_MAX_EVENTS_PER_DAY: usize = 1_000_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: Self::DEFAULT_MAX_FILE_BYTES,
            max_nesting: Self::DEFAULT_MAX_NESTING,
            max_diagnostics: Self::DEFAULT_MAX_DIAGNOSTICS,
            max_event_file_bytes: Self::DEFAULT_MAX_EVENT_FILE_BYTES,
            max_event_line_bytes: Self::DEFAULT_MAX_EVENT_LINE_BYTES,
            max_events_per_day: Self::DEFAULT_MAX_EVENTS_PER_DAY,
        }
    }
}
