//! The limits that keep any input from exhausting time, memory or stack.
//! Each is a diagnostic when exceeded, never a crash; the values are
//! documented in `docs/reliability.md`.

/// Limits applied while reading a clause file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest clause file accepted, in bytes.
    pub max_file_bytes: usize,
    /// The deepest nesting of brackets accepted.
    pub max_nesting: usize,
}

impl Limits {
    /// 8 MiB holds a contract of well over 50,000 clauses.
    pub const DEFAULT_MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
    /// No real clause needs more than a handful of brackets.
    pub const DEFAULT_MAX_NESTING: usize = 64;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: Self::DEFAULT_MAX_FILE_BYTES,
            max_nesting: Self::DEFAULT_MAX_NESTING,
        }
    }
}
