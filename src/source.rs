//! A clause file's text with its name, and the line index that turns byte
//! offsets into the line and column a person reads.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A position for people and tools: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    /// Byte offset of the first character of every line.
    line_starts: Vec<usize>,
    /// For an excerpt of a larger file: the number of lines before it.
    line_offset: usize,
}

impl SourceFile {
    /// A file's text. A carriage return on its own (old Mac line endings)
    /// is read as a line break, byte for byte, so that offsets are kept.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let (text, _) = lone_carriage_returns_as_line_feeds(text.into());
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            line_offset: 0,
        }
    }

    /// One part of a larger file that is not kept whole (a line of a
    /// streamed event file): offsets are relative to the excerpt, line
    /// numbers count from `first_line` (1-based) as in the whole file.
    pub fn excerpt(name: impl Into<String>, text: impl Into<String>, first_line: usize) -> Self {
        let mut file = SourceFile::new(name, text);
        file.line_offset = first_line.saturating_sub(1);
        file
    }

    /// Another text of the same length under this name, keeping the line
    /// numbering (for a text made safe to print, byte for byte).
    pub fn with_text(&self, text: impl Into<String>) -> Self {
        let mut file = SourceFile::new(self.name.clone(), text);
        file.line_offset = self.line_offset;
        file
    }

    /// The same text under another name (an excerpt keeps its line numbers).
    pub fn renamed(&self, name: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            ..self.clone()
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text a span covers, its blanks and line breaks each made one
    /// space: for quoting a clause in a message.
    pub fn one_line(&self, span: crate::ast::Span) -> String {
        self.text
            .get(span.start..span.end)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The length in bytes of the line holding `offset`.
    pub fn line_length_at(&self, offset: usize) -> usize {
        let index = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let start = self.line_starts.get(index).copied().unwrap_or(0);
        let end = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        end.saturating_sub(start)
    }

    /// The 1-based line and column (counted in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line_index = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(offset - line_start, |s| s.chars().count());
        Position {
            line: line_index + 1 + self.line_offset,
            column: column + 1,
        }
    }
}

/// A text with each carriage return on its own (old Mac line endings)
/// made a line feed, byte for byte, so that offsets are kept; and whether
/// there was one.
pub(crate) fn lone_carriage_returns_as_line_feeds(text: String) -> (String, bool) {
    if !text.contains('\r') {
        return (text, false);
    }
    let bytes = text.as_bytes();
    let lone: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .map(|(i, _)| i)
        .collect();
    if lone.is_empty() {
        return (text, false);
    }
    let mut owned = text.into_bytes();
    for i in lone {
        if let Some(b) = owned.get_mut(i) {
            *b = b'\n';
        }
    }
    // Replacing one ASCII byte by another keeps the text UTF-8.
    (String::from_utf8(owned).unwrap_or_default(), true)
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // miette reads a `str` from its beginning to find the lines around a
        // span; start it a few lines before the span instead, so that a
        // report on a large file does not rescan the file per diagnostic.
        let line = self
            .line_starts
            .partition_point(|&start| start <= span.offset())
            .saturating_sub(1);
        let first_line = line.saturating_sub(context_lines_before + 1);
        let base = self.line_starts.get(first_line).copied().unwrap_or(0);
        let rest = self.text.get(base..).unwrap_or("");
        let local = SourceSpan::new(span.offset().saturating_sub(base).into(), span.len());
        let inner = rest.read_span(&local, context_lines_before, context_lines_after)?;
        let data_span = SourceSpan::new((inner.span().offset() + base).into(), inner.span().len());
        // miette counts the column of a span read without context (the one
        // it prints in the `[file:line:column]` header) in bytes; proviso
        // counts columns in characters everywhere (JSON, SARIF, this header),
        // as miette itself does when it lays out a line.
        let column = if context_lines_before == 0 {
            self.position(span.offset()).column.saturating_sub(1)
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            data_span,
            inner.line() + first_line + self.line_offset,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_of_a_diagnostic_counts_columns_in_characters() {
        let file = SourceFile::new("t.proviso", "x\n\"\u{e9}\u{20ac}\" bad\n");
        // `bad` starts at byte 10 (x 1, newline 1, quote 1, é 2, € 3,
        // quote 1, space 1) and is the sixth character of line 2.
        let at = file.text().find("bad").unwrap_or_default();
        assert_eq!(at, 10);
        let contents = file.read_span(&SourceSpan::new(at.into(), 3), 0, 0).ok();
        let column = contents.map(|c| (c.line(), c.column()));
        assert_eq!(column, Some((1, 5)), "0-based line 1, column 5");
        assert_eq!(file.position(at), Position { line: 2, column: 6 });
    }

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let file = SourceFile::new("t.proviso", "ab\n€x\n");
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        assert_eq!(file.position(3), Position { line: 2, column: 1 });
        // `x` comes after the three bytes of `€`: column 2, not 4.
        assert_eq!(file.position(6), Position { line: 2, column: 2 });
        assert_eq!(file.position(999), Position { line: 3, column: 1 });
    }
}
