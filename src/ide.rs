//! Editor support that does not depend on any editor protocol: what a
//! language server (`proviso lsp`) or the playground asks of a clause file
//! as it is being typed — its diagnostics (check and lint together), its
//! outline, positions as editors count them.

use crate::ast::{ClauseNumber, ContractFile, Span};
use crate::diagnostics::Diagnostic;
use crate::limits::Limits;
use crate::source::SourceFile;

/// What an editor shows of a clause file: every diagnostic of `check`, and
/// of `lint` once the file checks.
pub fn diagnostics(name: &str, text: &str) -> Vec<Diagnostic> {
    let source = SourceFile::new(name, text);
    let outcome = crate::check_source(&source, &Limits::default());
    let mut all = outcome.diagnostics;
    if let Some(checked) = &outcome.checked {
        all.extend(
            crate::lint::lint(checked, text, &crate::lint::Config::default())
                .into_iter()
                .map(|finding| finding.diagnostic),
        );
    }
    all.sort_by_key(|d| d.primary.span.start);
    all
}

/// A line and a column counted in UTF-16 code units, from 0, as the
/// language server protocol counts them (a `€` is one unit, an emoji two).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

/// The editor position of a byte offset (clamped to the text, and to a
/// character boundary). It indexes the whole text: to convert many
/// offsets of one text, build a [`LineIndex`] once.
pub fn position(text: &str, offset: usize) -> Position {
    LineIndex::new(text).position(offset)
}

/// The byte offset of an editor position (past the end of a line: its
/// end, before its line break; past the last line: the end of the text).
/// It indexes the whole text: for many positions, build a [`LineIndex`].
pub fn offset(text: &str, at: Position) -> usize {
    LineIndex::new(text).offset(at)
}

/// Where the lines of a text start and end, and where its characters of
/// more than one byte are, found once: each conversion between a byte
/// offset and an editor position is then two binary searches, whatever
/// the length of the text or of its lines (the highlighting of a large
/// document converts every token's position). A line ends at `\n`,
/// `\r\n` or a `\r` on its own, as the protocol counts lines and as `check`
/// reads them.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Every line: the byte offset of its start, and of its end before
    /// its line break.
    lines: Vec<(usize, usize)>,
    /// Every character that is not ASCII, in order.
    wide: Vec<Wide>,
    /// The bytes beyond their UTF-16 units of all of them.
    saved: usize,
    /// The length of the text, in bytes.
    len: usize,
}

/// A character of more than one byte: where it starts, its length in
/// bytes and in UTF-16 units, and the bytes beyond their units of the
/// characters of more than one byte before it.
#[derive(Clone, Copy, Debug)]
struct Wide {
    at: usize,
    bytes: u8,
    units: u8,
    saved_before: usize,
}

impl Wide {
    fn end(self) -> usize {
        self.at + usize::from(self.bytes)
    }

    fn saved(self) -> usize {
        usize::from(self.bytes.saturating_sub(self.units))
    }
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut lines = Vec::new();
        let mut wide = Vec::new();
        let mut saved = 0usize;
        let mut start = 0usize;
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '\n' => {
                    lines.push((start, at));
                    start = at + 1;
                }
                '\r' => {
                    lines.push((start, at));
                    start = match chars.next_if(|&(_, next)| next == '\n') {
                        Some((newline, _)) => newline + 1,
                        None => at + 1,
                    };
                }
                c if !c.is_ascii() => {
                    let w = Wide {
                        at,
                        bytes: u8::try_from(c.len_utf8()).unwrap_or(4),
                        units: u8::try_from(c.len_utf16()).unwrap_or(2),
                        saved_before: saved,
                    };
                    saved += w.saved();
                    wide.push(w);
                }
                _ => {}
            }
        }
        lines.push((start, text.len()));
        LineIndex {
            lines,
            wide,
            saved,
            len: text.len(),
        }
    }

    /// The number of lines (a text without a line break has one).
    pub fn lines(&self) -> usize {
        self.lines.len()
    }

    /// The bytes beyond their UTF-16 units of the characters before the
    /// `k`th character of more than one byte.
    fn saved_before_wide(&self, k: usize) -> usize {
        self.wide.get(k).map_or(self.saved, |w| w.saved_before)
    }

    /// The number of characters of more than one byte before a character
    /// boundary.
    fn wide_before(&self, offset: usize) -> usize {
        self.wide.partition_point(|w| w.at < offset)
    }

    /// An offset clamped to the text, and back to the start of the
    /// character it falls in.
    fn boundary(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.wide_before(offset).checked_sub(1) {
            Some(k) => match self.wide.get(k) {
                Some(w) if w.end() > offset => w.at,
                _ => offset,
            },
            None => offset,
        }
    }

    /// The editor position of a byte offset (clamped to the text, and to a
    /// character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.boundary(offset);
        let line = self
            .lines
            .partition_point(|&(start, _)| start <= offset)
            .saturating_sub(1);
        let start = self.lines.get(line).map_or(0, |&(start, _)| start);
        let saved = self
            .saved_before_wide(self.wide_before(offset))
            .saturating_sub(self.saved_before_wide(self.wide_before(start)));
        let character = offset.saturating_sub(start).saturating_sub(saved);
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: u32::try_from(character).unwrap_or(u32::MAX),
        }
    }

    /// The byte offset of an editor position: the first character
    /// boundary at or past its column (past the end of a line: its end,
    /// before its line break; past the last line: the end of the text).
    pub fn offset(&self, at: Position) -> usize {
        let Some(&(start, end)) = usize::try_from(at.line)
            .ok()
            .and_then(|line| self.lines.get(line))
        else {
            return self.len;
        };
        let target = usize::try_from(at.character).unwrap_or(usize::MAX);
        let first = self.wide_before(start);
        let base = self.saved_before_wide(first);
        let in_line = self
            .wide
            .get(first..self.wide_before(end))
            .unwrap_or_default();
        // The UTF-16 units on the line before a character of it.
        let units_before = |w: &Wide| {
            w.at.saturating_sub(start)
                .saturating_sub(w.saved_before.saturating_sub(base))
        };
        // The first wide character at or past the column; the boundary
        // after the one before it, and the units up to there.
        let next = in_line.partition_point(|w| units_before(w) < target);
        let (from, units) = match next.checked_sub(1).and_then(|k| in_line.get(k)) {
            Some(w) => (w.end(), units_before(w) + usize::from(w.units)),
            None => (start, 0),
        };
        if units >= target {
            return from;
        }
        // Between them, one byte is one unit.
        let run_end = in_line.get(next).map_or(end, |w| w.at);
        from.saturating_add(target - units).min(run_end)
    }
}

/// A document as an editor holds it, and the text proviso reads of it:
/// without a byte-order mark at the start (which `check` and `fmt` drop as
/// they read a file) and with each `\r` on its own read as a line break,
/// `\n`, byte for byte (as `check` reads a file). Offsets are in that
/// text; positions are the editor's, in its own text (the mark, when there
/// is one, is the first unit of the first line).
#[derive(Clone, Debug, Default)]
pub struct Document {
    text: String,
    /// Whether the editor's text starts with a byte-order mark.
    mark: bool,
    /// Whether a `\r` on its own was read as `\n`.
    rewritten: bool,
    lines: LineIndex,
}

impl Document {
    pub fn new(text: String) -> Document {
        let (mark, text) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest.to_string()),
            None => (false, text),
        };
        let (text, rewritten) = crate::source::lone_carriage_returns_as_line_feeds(text);
        let lines = LineIndex::new(&text);
        Document {
            text,
            mark,
            rewritten,
            lines,
        }
    }

    /// The text proviso reads.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the editor's text is [`Document::text`], but for a
    /// byte-order mark at the start (not when a lone `\r` was read as a
    /// line break).
    pub fn is_as_read(&self) -> bool {
        !self.rewritten
    }

    /// The editor position of a byte offset of [`Document::text`].
    pub fn position(&self, offset: usize) -> Position {
        let mut at = self.lines.position(offset);
        if self.mark && at.line == 0 {
            at.character = at.character.saturating_add(1);
        }
        at
    }

    /// The byte offset in [`Document::text`] of an editor position (on the
    /// byte-order mark: the start of the text).
    pub fn offset(&self, at: Position) -> usize {
        let mut at = at;
        if self.mark && at.line == 0 {
            at.character = at.character.saturating_sub(1);
        }
        self.lines.offset(at)
    }
}

/// What an item of the outline is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Contract,
    Party,
    Group,
    Category,
    Period,
    Event,
    Milestone,
    Definition,
    Account,
    Clause,
}

/// An item of a clause file's outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    /// Its label, legal name or heading.
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole item, and its name.
    pub span: Span,
    pub name_span: Span,
}

/// The outline of a clause file: the header, every declaration and every
/// clause, in file order, from whatever parsed (a file with errors still
/// has an outline).
pub fn outline(text: &str) -> Vec<Symbol> {
    // On a thread with room for deep nesting, as `check` reads.
    let parsed = crate::fmt::parse(text, &Limits::default());
    let ContractFile {
        header,
        parties,
        groups,
        categories,
        periods,
        events,
        milestones,
        definitions,
        accounts,
        clauses,
    } = &parsed.file;
    let mut symbols = Vec::new();
    if let Some(header) = header {
        symbols.push(Symbol {
            name: header.title.node.clone(),
            detail: None,
            kind: SymbolKind::Contract,
            span: header.span,
            name_span: header.title.span,
        });
    }
    let mut push = |name: &crate::ast::Name, detail: Option<&str>, kind, span| {
        symbols.push(Symbol {
            name: name.node.clone(),
            detail: detail.map(str::to_string),
            kind,
            span,
            name_span: name.span,
        });
    };
    for p in parties {
        push(
            &p.name,
            p.legal_name.as_ref().map(|l| l.node.as_str()),
            SymbolKind::Party,
            p.span,
        );
    }
    for g in groups {
        push(
            &g.name,
            g.label.as_ref().map(|l| l.node.as_str()),
            SymbolKind::Group,
            g.span,
        );
    }
    for c in categories {
        push(
            &c.name,
            c.label.as_ref().map(|l| l.node.as_str()),
            SymbolKind::Category,
            c.span,
        );
    }
    for p in periods {
        push(
            &p.name,
            p.label.as_ref().map(|l| l.node.as_str()),
            SymbolKind::Period,
            p.span,
        );
    }
    for e in events {
        push(
            &e.name,
            e.label.as_ref().map(|l| l.node.as_str()),
            SymbolKind::Event,
            e.span,
        );
    }
    for m in milestones {
        push(
            &m.name,
            m.label.as_ref().map(|l| l.node.as_str()),
            SymbolKind::Milestone,
            m.span,
        );
    }
    for d in definitions {
        push(
            &d.name,
            d.label.as_ref().map(|l| l.node.as_str()),
            SymbolKind::Definition,
            d.span,
        );
    }
    for a in accounts {
        push(
            &a.name,
            a.label.as_ref().map(|l| l.node.as_str()),
            SymbolKind::Account,
            a.span,
        );
    }
    for c in clauses {
        symbols.push(Symbol {
            name: format!("clause {}", c.number.node),
            detail: c.heading.as_ref().map(|h| h.node.clone()),
            kind: SymbolKind::Clause,
            span: c.span,
            name_span: c.number.span,
        });
    }
    symbols.sort_by_key(|s| s.span.start);
    symbols
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "party a \"€ 😀\" # x\nparty b";
        // `#` is after `party a "` (9), `€` (1 unit), space, `😀` (2 units), `" `.
        let hash = text.find('#').unwrap_or(0);
        assert_eq!(
            position(text, hash),
            Position {
                line: 0,
                character: 15
            }
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 0,
                    character: 15
                }
            ),
            hash
        );
        let b = text.rfind('b').unwrap_or(0);
        assert_eq!(
            position(text, b),
            Position {
                line: 1,
                character: 6
            }
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 1,
                    character: 6
                }
            ),
            b
        );
        // Past the end of a line, past the last line.
        assert_eq!(
            offset(
                text,
                Position {
                    line: 0,
                    character: 99
                }
            ),
            text.find('\n').unwrap_or(0)
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 7,
                    character: 0
                }
            ),
            text.len()
        );
    }

    /// The positions before the line index: a scan from the start of the
    /// text for every offset, lines ending at `\n` only.
    fn scanned_position(text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let head = &text[..offset];
        let line_start = head.rfind('\n').map_or(0, |n| n + 1);
        let line = head.matches('\n').count();
        let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
        Position {
            line: u32::try_from(line).unwrap(),
            character: u32::try_from(character).unwrap(),
        }
    }

    fn scanned_offset(text: &str, at: Position) -> usize {
        let mut line_start = 0usize;
        for _ in 0..at.line {
            match text[line_start..].find('\n') {
                Some(n) => line_start += n + 1,
                None => return text.len(),
            }
        }
        let line = text[line_start..].split('\n').next().unwrap();
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units >= at.character {
                return line_start + i;
            }
            units += u32::try_from(c.len_utf16()).unwrap();
        }
        line_start + line.len()
    }

    fn text_of(pieces: &[&str]) -> String {
        pieces.concat()
    }

    const PIECES: [&str; 10] = [
        "a", "bc", " ", "\n", "\r", "\r\n", "é", "€", "😀", "\u{feff}",
    ];

    proptest::proptest! {
        /// Without carriage returns, the index answers what scanning from
        /// the start of the text answered, for every offset and for every
        /// position (on and past each line, and past the last).
        #[test]
        fn the_index_agrees_with_scanning_from_the_start(
            picks in proptest::collection::vec(0usize..10, 0..120)
        ) {
            let pieces: Vec<&str> = picks.iter().map(|&i| PIECES[i]).filter(|p| !p.contains('\r')).collect();
            let text = text_of(&pieces);
            let index = LineIndex::new(&text);
            for at in 0..=text.len() + 2 {
                proptest::prop_assert_eq!(index.position(at), scanned_position(&text, at), "offset {}", at);
            }
            // Every column of every line, and two past its end; then past
            // the last line.
            let lengths: Vec<usize> = text.split('\n').map(str::len).chain([0, 0]).collect();
            for (line, length) in lengths.iter().enumerate() {
                for character in 0..=length + 2 {
                    let at = Position { line: u32::try_from(line).unwrap(), character: u32::try_from(character).unwrap() };
                    proptest::prop_assert_eq!(index.offset(at), scanned_offset(&text, at), "{:?}", at);
                }
            }
        }

        /// With carriage returns, a `\r` on its own is a line break as `\n`
        /// is, and past the end of a line ending `\r\n` is before the `\r`.
        #[test]
        fn a_lone_carriage_return_ends_a_line(
            picks in proptest::collection::vec(0usize..10, 0..120)
        ) {
            let pieces: Vec<&str> = picks.iter().map(|&i| PIECES[i]).collect();
            let text = text_of(&pieces);
            // Read as `check` reads it: every lone `\r` a `\n`, byte for byte.
            let (read, _) = crate::source::lone_carriage_returns_as_line_feeds(text.clone());
            let index = LineIndex::new(&text);
            for at in 0..=text.len() + 2 {
                proptest::prop_assert_eq!(index.position(at), scanned_position(&read, at), "offset {}", at);
            }
            let lines: Vec<&str> = read.split('\n').collect();
            proptest::prop_assert_eq!(index.lines(), lines.len());
            let mut start = 0;
            for line in 0..=lines.len() {
                let written = lines.get(line).copied().unwrap_or("");
                for character in 0..=written.len() + 2 {
                    let at = Position { line: u32::try_from(line).unwrap(), character: u32::try_from(character).unwrap() };
                    let mut expected = scanned_offset(&read, at);
                    if line < lines.len() {
                        expected = expected.min(start + written.strip_suffix('\r').unwrap_or(written).len());
                    }
                    proptest::prop_assert_eq!(index.offset(at), expected, "{:?}", at);
                }
                start += written.len() + 1;
            }
        }
    }

    #[test]
    fn every_kind_of_line_break_counts_once_both_ways() {
        let text = "ab\ncd\r\nef\rgh";
        let index = LineIndex::new(text);
        assert_eq!(index.lines(), 4);
        let at = |line, character| Position { line, character };
        for (offset, position) in [
            (0, at(0, 0)),
            (3, at(1, 0)),
            (7, at(2, 0)),
            (10, at(3, 0)),
            (12, at(3, 2)),
        ] {
            assert_eq!(index.position(offset), position, "offset {offset}");
            assert_eq!(index.offset(position), offset, "{position:?}");
        }
        // Past the end of each line: its end, before its line break.
        assert_eq!(index.offset(at(0, 9)), 2);
        assert_eq!(index.offset(at(1, 9)), 5);
        assert_eq!(index.offset(at(2, 9)), 9);
        assert_eq!(index.offset(at(3, 9)), 12);
        assert_eq!(index.offset(at(4, 0)), 12);
    }

    #[test]
    fn a_document_reads_past_a_byte_order_mark_and_counts_it_as_the_editor_does() {
        let document = Document::new("\u{feff}party a \"€\"\rparty b".to_string());
        assert_eq!(document.text(), "party a \"€\"\nparty b");
        assert!(!document.is_as_read());
        // The mark is the first unit of line 0 in the editor's text.
        let at = |line, character| Position { line, character };
        assert_eq!(document.position(0), at(0, 1));
        assert_eq!(document.position(6), at(0, 7));
        let b = document.text().rfind('b').unwrap();
        assert_eq!(document.position(b), at(1, 6));
        assert_eq!(document.position(document.text().len()), at(1, 7));
        assert_eq!(document.offset(at(0, 0)), 0);
        assert_eq!(document.offset(at(0, 1)), 0);
        assert_eq!(document.offset(at(0, 7)), 6);
        assert_eq!(document.offset(at(1, 6)), b);
        // Without a mark or a lone `\r`, the text as the editor has it.
        let plain = Document::new("party a \"A\"\r\n".to_string());
        assert!(plain.is_as_read());
        assert_eq!(plain.position(0), at(0, 0));
        assert_eq!(plain.position(plain.text().len()), at(1, 0));
    }

    #[test]
    fn a_misspelt_party_is_diagnosed_with_its_fix_and_the_outline_lists_the_clause() {
        let text = "contract \"T\" effective 2026-01-01 term through 2026-12-31\n\
                    party alpha \"A\"\nparty beta \"B\"\nevent ping by party { }\n\
                    clause 1 \"Pings\"\n  bteta may ping\n";
        let found = diagnostics("t", text);
        assert_eq!(found[0].code.as_str(), "E0204");
        assert_eq!(
            found[0].suggestion.as_ref().map(|s| s.replacement.as_str()),
            Some("beta")
        );
        let names: Vec<String> = outline(text).into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["T", "alpha", "beta", "ping", "clause 1"]);
    }
}

pub use crate::model::Target;

/// Where every declared name is declared and where it is used: what go to
/// definition, find references, hover and rename read. Built from the
/// checker's resolution, so a name means here what it means to `check`
/// (a field named like a party is the field); it works on a file with
/// errors too, for the names that resolved.
#[derive(Debug, Default)]
pub struct Navigation {
    file: ContractFile,
    declarations: Vec<(Target, Span)>,
    references: Vec<crate::model::Reference>,
}

impl Navigation {
    pub fn new(text: &str) -> Navigation {
        let source = SourceFile::new("document", text);
        let references = crate::check_source(&source, &Limits::default()).references;
        let file = crate::fmt::parse(text, &Limits::default()).file;
        let mut declarations = Vec::new();
        for p in &file.parties {
            declarations.push((Target::Party(p.name.node.as_str().into()), p.name.span));
        }
        for c in &file.categories {
            declarations.push((Target::Category(c.name.node.as_str().into()), c.name.span));
            for m in &c.members {
                declarations.push((
                    Target::Member {
                        category: c.name.node.as_str().into(),
                        member: m.node.as_str().into(),
                    },
                    m.span,
                ));
            }
        }
        for p in &file.periods {
            declarations.push((Target::Period(p.name.node.as_str().into()), p.name.span));
        }
        for e in &file.events {
            declarations.push((Target::Event(e.name.node.as_str().into()), e.name.span));
            for f in &e.fields {
                declarations.push((
                    Target::Field {
                        event: e.name.node.as_str().into(),
                        field: f.name.node.as_str().into(),
                    },
                    f.name.span,
                ));
            }
        }
        for g in &file.groups {
            declarations.push((Target::Group(g.name.node.as_str().into()), g.name.span));
        }
        for m in &file.milestones {
            declarations.push((Target::Milestone(m.name.node.as_str().into()), m.name.span));
        }
        for d in &file.definitions {
            declarations.push((Target::Definition(d.name.node.as_str().into()), d.name.span));
        }
        for a in &file.accounts {
            declarations.push((Target::Account(a.name.node.as_str().into()), a.name.span));
        }
        for c in &file.clauses {
            declarations.push((Target::Clause(c.number.node.clone()), c.number.span));
        }
        Navigation {
            file,
            declarations,
            references: references
                .into_iter()
                .filter(|r| !r.span.is_empty())
                .collect(),
        }
    }

    /// The name at a byte offset (in it, or just after it), if it is one
    /// the contract declares.
    pub fn target_at(&self, offset: usize) -> Option<&Target> {
        let at = |span: Span| span.start <= offset && offset <= span.end;
        self.references
            .iter()
            .find(|r| at(r.span))
            .map(|r| &r.target)
            .or_else(|| {
                self.declarations
                    .iter()
                    .find(|(_, span)| at(*span))
                    .map(|(target, _)| target)
            })
    }

    /// Where a name is declared.
    pub fn definition(&self, target: &Target) -> Option<Span> {
        self.declarations
            .iter()
            .find(|(t, _)| t == target)
            .map(|(_, span)| *span)
    }

    /// Every place a name is written: its declaration first, then its
    /// uses in file order.
    pub fn occurrences(&self, target: &Target) -> Vec<Span> {
        let mut uses: Vec<Span> = self
            .references
            .iter()
            .filter(|r| &r.target == target)
            .map(|r| r.span)
            .collect();
        uses.sort();
        uses.dedup();
        self.definition(target).into_iter().chain(uses).collect()
    }

    /// The clauses a name is used in, by number.
    fn used_in(&self, target: &Target) -> Vec<String> {
        let mut clauses: Vec<String> = Vec::new();
        for span in self.occurrences(target) {
            if let Some(c) = self
                .file
                .clauses
                .iter()
                .find(|c| c.span.start <= span.start && span.end <= c.span.end)
            {
                let number = c.number.node.to_string();
                if !clauses.contains(&number) {
                    clauses.push(number);
                }
            }
        }
        clauses
    }

    /// What a name is, in Markdown: a party's legal name, an event type's
    /// label and fields, a field's type, a member's category, a period's
    /// definition, a milestone's steps; and the clauses that use it.
    pub fn hover(&self, target: &Target) -> String {
        use crate::syntax::one_line;
        let file = &self.file;
        let mut text = match target {
            Target::Party(name) => {
                let party = file.parties.iter().find(|p| &p.name.node == name);
                match party.and_then(|p| p.legal_name.as_ref()) {
                    Some(legal) => format!("**party `{name}`**: {}", markdown(&legal.node)),
                    None => format!("**party `{name}`**"),
                }
            }
            Target::Group(name) => {
                let group = file.groups.iter().find(|g| &g.name.node == name);
                let label = group
                    .and_then(|g| g.label.as_ref())
                    .map_or_else(String::new, |l| format!(": {}", markdown(&l.node)));
                let members = group
                    .map(|g| {
                        g.members
                            .iter()
                            .map(|m| format!("`{}`", m.node))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                let changes = if group.is_some_and(|g| !g.changes.is_empty()) {
                    " and the parties that join it by an event, while they belong"
                } else {
                    ""
                };
                format!("**group `{name}`**{label}\n\nMembers from the start: {members}{changes}.")
            }
            Target::Category(name) => {
                let category = file.categories.iter().find(|c| &c.name.node == name);
                let label = category
                    .and_then(|c| c.label.as_ref())
                    .map_or_else(String::new, |l| format!(": {}", markdown(&l.node)));
                let members = category
                    .map(|c| {
                        c.members
                            .iter()
                            .map(|m| format!("`{}`", m.node))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    })
                    .unwrap_or_default();
                format!("**category `{name}`**{label}\n\n{members}")
            }
            Target::Member { category, member } => {
                format!("**`{member}`**, a member of category `{category}`")
            }
            Target::Period(name) => {
                let period = file.periods.iter().find(|p| &p.name.node == name);
                match period {
                    Some(p) => format!("**period `{name}`**: {}", one_line::period_base(p)),
                    None => format!("**period `{name}`**"),
                }
            }
            Target::Event(name) => {
                let event = file.events.iter().find(|e| &e.name.node == name);
                let label = event
                    .and_then(|e| e.label.as_ref())
                    .map_or_else(String::new, |l| format!(": {}", markdown(&l.node)));
                let by = if event.is_some_and(|e| e.has_actor) {
                    "\n\nNames the party that performed it (`by`)."
                } else {
                    ""
                };
                let fields = event
                    .map(|e| {
                        e.fields
                            .iter()
                            .map(|f| {
                                format!("`{}`: {}", f.name.node, one_line::type_name(&f.ty.node))
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                let fields = if fields.is_empty() {
                    String::from("\n\nNo fields.")
                } else {
                    format!("\n\nFields: {fields}")
                };
                format!("**event `{name}`**{label}{by}{fields}")
            }
            Target::Field { event, field } => {
                let ty = file
                    .events
                    .iter()
                    .find(|e| &e.name.node == event)
                    .and_then(|e| e.fields.iter().find(|f| &f.name.node == field))
                    .map(|f| one_line::type_name(&f.ty.node))
                    .unwrap_or_default();
                format!("**field `{field}`** of event `{event}`: {ty}")
            }
            Target::Milestone(name) => {
                let milestone = file.milestones.iter().find(|m| &m.name.node == name);
                let label = milestone
                    .and_then(|m| m.label.as_ref())
                    .map_or_else(String::new, |l| format!(": {}", markdown(&l.node)));
                let steps = milestone
                    .map(|m| one_line::milestone_condition(&m.condition))
                    .unwrap_or_default();
                format!("**milestone `{name}`**{label}\n\nReached by `{steps}`.")
            }
            Target::Definition(name) => {
                let definition = file.definitions.iter().find(|d| &d.name.node == name);
                let label = definition
                    .and_then(|d| d.label.as_ref())
                    .map_or_else(String::new, |l| format!(": {}", markdown(&l.node)));
                let body = definition
                    .map(|d| match &d.body {
                        crate::ast::DefinitionBody::Value(value) => one_line::expr(value),
                        crate::ast::DefinitionBody::Condition(condition) => {
                            one_line::condition(condition)
                        }
                    })
                    .unwrap_or_default();
                let period = definition
                    .and_then(|d| d.period.as_ref())
                    .map_or_else(String::new, |p| format!(", worked out for each {}", p.node));
                format!("**definition `{name}`**{label}\n\nMeans `{body}`{period}.")
            }
            Target::Account(name) => {
                let account = file.accounts.iter().find(|a| &a.name.node == name);
                let label = account
                    .and_then(|a| a.label.as_ref())
                    .map_or_else(String::new, |l| format!(": {}", markdown(&l.node)));
                let opening = account
                    .map(|a| {
                        format!(
                            "Opens at `{}` on {}; {} movement{}.",
                            one_line::money(&a.opening.node),
                            a.opens.node,
                            a.movements.len(),
                            if a.movements.len() == 1 { "" } else { "s" }
                        )
                    })
                    .unwrap_or_default();
                format!("**account `{name}`**{label}\n\n{opening}")
            }
            Target::Clause(number) => return self.clause_hover(number),
        };
        let clauses = self.used_in(target);
        if !clauses.is_empty() {
            text.push_str(&format!("\n\nUsed in clause {}.", clauses.join(", ")));
        }
        text
    }

    /// What a value written at `offset` is: an amount to the cent, a
    /// percentage as a fraction, a date with its day of the week; on a
    /// stake, the value its valuation implies for the whole entity.
    pub fn value_hover(&self, text: &str, offset: usize) -> Option<String> {
        use crate::syntax::Literal;
        let (span, value) = crate::syntax::literal_at(text, offset)?;
        let mut hover = match value {
            Literal::Money(money) => {
                format!("**amount** {}", crate::eval::report::money_text(&money))
            }
            Literal::Percent(percent) => {
                let fraction = percent / rust_decimal::Decimal::ONE_HUNDRED;
                format!(
                    "**percentage** {}%, a fraction of {}",
                    crate::eval::report::decimal_text(percent, 0),
                    fraction.normalize()
                )
            }
            Literal::Date(date) => format!("**date** {}", date.strftime("%A %-d %B %Y")),
        };
        let holding = self
            .file
            .clauses
            .iter()
            .flat_map(|c| &c.statements)
            .find_map(|s| match s {
                crate::ast::Statement::Holding(h)
                    if h.span.start <= span.start && span.end <= h.span.end =>
                {
                    Some(h)
                }
                _ => None,
            });
        if let Some(h) = holding
            && let Some(valuation) = &h.valuation
            && let Some(whole) = crate::render::reading::implied_value(valuation.node, h.stake.node)
        {
            hover.push_str(&format!(
                "\n\nA stake of {}% valued at {} values the whole of `{}` at {}.",
                crate::eval::report::decimal_text(h.stake.node, 0),
                crate::eval::report::money_text(&valuation.node),
                h.entity.node,
                crate::eval::report::money_text(&whole)
            ));
        }
        Some(hover)
    }

    /// A clause's heading and wording, what it is an exception to, and the
    /// clauses that name it (as their exception or in a suspension).
    fn clause_hover(&self, number: &ClauseNumber) -> String {
        let clause = self.file.clauses.iter().find(|c| &c.number.node == number);
        let Some(clause) = clause else {
            return format!("**clause {number}**");
        };
        let mut text = match &clause.heading {
            Some(heading) => format!("**clause {number}** {}", markdown(&heading.node)),
            None => format!("**clause {number}**"),
        };
        for wording in &clause.wording {
            // Line by line, so that each line of a long wording stays a
            // line of the quotation.
            let lines: Vec<String> = wording.node.split('\n').map(markdown).collect();
            text.push_str(&format!("\n\n> {}", lines.join("  \n> ")));
        }
        if !clause.exception_to.is_empty() {
            let targets: Vec<String> = clause
                .exception_to
                .iter()
                .map(|t| t.node.to_string())
                .collect();
            text.push_str(&format!(
                "\n\nAn exception to clause {}.",
                targets.join(", ")
            ));
        }
        let own = number.to_string();
        let named_in: Vec<String> = self
            .used_in(&Target::Clause(number.clone()))
            .into_iter()
            .filter(|n| n != &own)
            .collect();
        if !named_in.is_empty() {
            text.push_str(&format!("\n\nNamed in clause {}.", named_in.join(", ")));
        }
        text
    }

    /// The places to rewrite to rename a name, or why it cannot be: the
    /// new name must read as a name and must not be declared already where it
    /// would clash (parties, categories, periods, events and milestones
    /// share one namespace; fields are an event's, members a category's).
    pub fn rename(&self, target: &Target, new_name: &str) -> Result<Vec<Span>, String> {
        if let Target::Clause(_) = target {
            return self.renumber(target, new_name);
        }
        if !crate::syntax::is_name(new_name) {
            return Err(format!(
                "`{new_name}` is not a name: a lowercase letter, then lowercase letters, digits and `_`, and not a word of the language"
            ));
        }
        let clash = match target {
            Target::Party(_)
            | Target::Group(_)
            | Target::Category(_)
            | Target::Period(_)
            | Target::Event(_)
            | Target::Milestone(_)
            | Target::Definition(_)
            | Target::Account(_) => self.declarations.iter().any(|(t, _)| match t {
                Target::Party(n)
                | Target::Group(n)
                | Target::Category(n)
                | Target::Period(n)
                | Target::Event(n)
                | Target::Milestone(n)
                | Target::Definition(n)
                | Target::Account(n) => n == new_name,
                Target::Member { .. } | Target::Field { .. } | Target::Clause(_) => false,
            }),
            Target::Field { event, .. } => self.declarations.iter().any(|(t, _)| {
                matches!(t, Target::Field { event: e, field } if e == event && field == new_name)
            }),
            Target::Member { category, .. } => self.declarations.iter().any(|(t, _)| {
                matches!(t, Target::Member { category: c, member } if c == category && member == new_name)
            }),
            // Renumbered above.
            Target::Clause(_) => false,
        };
        if clash {
            return Err(format!("`{new_name}` is declared already"));
        }
        Ok(self.occurrences(target))
    }

    /// Renumbering a clause rewrites its number and every `exception to`
    /// and `suspends clauses` naming it; refused when the new number is
    /// not a clause number or another clause has it.
    fn renumber(&self, target: &Target, new_number: &str) -> Result<Vec<Span>, String> {
        let parts: Option<Vec<u32>> = new_number
            .split('.')
            .map(|part| {
                let digits = !part.is_empty()
                    && part.bytes().all(|b| b.is_ascii_digit())
                    && !part.starts_with('0');
                digits
                    .then(|| part.parse::<u32>().ok())
                    .flatten()
                    .filter(|&n| n > 0)
            })
            .collect();
        let Some(parts) = parts else {
            return Err(format!(
                "`{new_number}` is not a clause number: numbers from 1 up, separated by dots, such as `4` or `4.1`"
            ));
        };
        let new = Target::Clause(ClauseNumber(parts));
        if &new != target && self.definition(&new).is_some() {
            return Err(format!("clause {new_number} exists already"));
        }
        Ok(self.occurrences(target))
    }
}

/// Contract text as Markdown that shows it as written: control and
/// direction characters made visible, and the characters Markdown would
/// read as formatting, links or HTML escaped.
fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let shown = crate::text::for_people(text);
    // A line that starts like a list item (`- `, `+ `, `1. `) would be
    // shown as one.
    let digits = shown.len() - shown.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    for (i, c) in shown.chars().enumerate() {
        let list_marker = (i == 0 && matches!(c, '-' | '+'))
            || (digits > 0 && i == digits && matches!(c, '.' | ')'));
        if list_marker
            || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '&'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod navigation_tests {
    use super::*;

    const TEXT: &str = include_str!("../contracts/microsoft-openai-2025.proviso");

    fn at(needle: &str, nth: usize) -> usize {
        TEXT.match_indices(needle).nth(nth).map_or(0, |(i, _)| i)
    }

    #[test]
    fn a_group_is_found_where_it_is_declared_and_used_and_its_hover_lists_its_members() {
        let text = include_str!("../examples/affiliates.proviso");
        let nav = Navigation::new(text);
        let used = text.find("lumen must not").unwrap_or(0);
        let target = nav.target_at(used + 1).cloned();
        assert_eq!(target, Some(Target::Group("lumen".into())));
        let target = target.unwrap_or(Target::Group(Default::default()));
        let definition = nav.definition(&target).unwrap_or_default();
        assert_eq!(
            definition.start,
            text.find("group lumen").unwrap_or(0) + "group ".len()
        );
        // Declared, then named by clauses 1 and 2.
        assert_eq!(nav.occurrences(&target).len(), 3);
        let hover = nav.hover(&target);
        assert!(
            hover.starts_with("**group `lumen`**: Lumen and its Affiliates\n\nMembers from the start: `lumen_ai`, `lumen_devices` and the parties that join it by an event, while they belong."),
            "{hover}"
        );
        // A member is a party, found where the group lists it.
        let member = text.find("= lumen_ai").unwrap_or(0) + 2;
        assert_eq!(
            nav.target_at(member + 1),
            Some(&Target::Party("lumen_ai".into()))
        );
        // A rename to a name the file declares clashes.
        assert!(nav.rename(&target, "stratus").is_err());
        let spans = nav.rename(&target, "lumen_group").unwrap_or_default();
        assert_eq!(spans.len(), 3);
    }

    #[test]
    fn a_party_is_found_where_it_is_declared_and_wherever_it_is_used() {
        let nav = Navigation::new(TEXT);
        // `openai must pay microsoft ...` in clause 1.
        let target = nav.target_at(at("openai must pay", 0) + 2).cloned();
        assert_eq!(target, Some(Target::Party("openai".into())));
        let target = target.unwrap_or(Target::Party(Default::default()));
        let definition = nav.definition(&target).unwrap_or_default();
        assert_eq!(&TEXT[definition.start..definition.end], "openai");
        assert_eq!(definition.start, at("party openai", 0) + "party ".len());
        // Declared once; used by the milestone (declare_agi by openai),
        // clauses 1, 2 (three stakes and the cap table), 3, 4, 4.1, 4.2, 5,
        // 6, 7 and 8.
        let occurrences = nav.occurrences(&target);
        assert!(
            occurrences
                .iter()
                .all(|s| &TEXT[s.start..s.end] == "openai")
        );
        assert_eq!(
            occurrences.len(),
            1 + 1 + 1 + 4 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1
        );
        let hover = nav.hover(&target);
        assert!(
            hover.starts_with("**party `openai`**: OpenAI Group PBC"),
            "{hover}"
        );
        assert!(
            hover.ends_with("Used in clause 1, 2, 3, 4, 4.1, 4.2, 5, 6, 7, 8."),
            "{hover}"
        );
    }

    #[test]
    fn a_definition_is_found_hovered_and_renamed_like_any_declaration() {
        let text = include_str!("../examples/resale-net-revenue.proviso");
        let nav = Navigation::new(text);
        let used = text.find("20% of net_revenue").unwrap_or(0) + "20% of ".len();
        let target = nav.target_at(used + 1).cloned();
        assert_eq!(target, Some(Target::Definition("net_revenue".into())));
        let target = target.unwrap_or(Target::Party(Default::default()));
        let declared = nav.definition(&target).unwrap_or_default();
        assert_eq!(
            declared.start,
            text.find("define net_revenue").unwrap_or(0) + "define ".len()
        );
        // Declared once, used once (clause 1).
        assert_eq!(nav.occurrences(&target).len(), 2);
        let hover = nav.hover(&target);
        assert!(
            hover.starts_with("**definition `net_revenue`**: Net Revenue"),
            "{hover}"
        );
        assert!(
            hover.contains(
                "Means `total sale.amount - total refund.amount`, worked out for each quarter."
            ),
            "{hover}"
        );
        assert!(hover.ends_with("Used in clause 1."), "{hover}");
        // Definitions share the namespace of parties and the rest.
        assert_eq!(
            nav.rename(&target, "vendor"),
            Err("`vendor` is declared already".to_string())
        );
        assert_eq!(nav.rename(&target, "net_sales").map(|s| s.len()), Ok(2));
        // The outline lists it; highlighting marks it by what it is.
        assert!(
            outline(text)
                .iter()
                .any(|s| s.kind == SymbolKind::Definition && s.name == "qualifying_sale")
        );
        assert!(tokens(text).iter().any(|t| t.kind == TokenKind::Definition
            && &text[t.span.start..t.span.end] == "qualifying_sale"));
    }

    #[test]
    fn fields_and_members_resolve_in_their_event_and_category() {
        let nav = Navigation::new(TEXT);
        // `where kind is api_product` in clause 4: the field of `serve`.
        let kind = at("kind is api_product", 0);
        assert_eq!(
            nav.target_at(kind).cloned(),
            Some(Target::Field {
                event: "serve".into(),
                field: "kind".into()
            })
        );
        let member = at("api_product and", 0);
        assert_eq!(
            nav.target_at(member).cloned(),
            Some(Target::Member {
                category: "product".into(),
                member: "api_product".into()
            })
        );
        let hover = nav.hover(&Target::Event("serve".into()));
        assert!(
            hover.contains("Fields: `product`: text, `kind`: product"),
            "{hover}"
        );
    }

    #[test]
    fn a_rename_rewrites_every_occurrence_and_refuses_a_clash() {
        let nav = Navigation::new(TEXT);
        let panel = Target::Party("panel".into());
        let spans = nav.rename(&panel, "experts").unwrap_or_default();
        // `party panel` and `verify_agi by panel`.
        assert_eq!(spans.len(), 2);
        assert_eq!(
            nav.rename(&panel, "microsoft"),
            Err("`microsoft` is declared already".to_string())
        );
        assert!(nav.rename(&panel, "Experts").is_err());
        assert!(nav.rename(&panel, "clause").is_err());
    }

    #[test]
    fn a_clause_number_leads_to_its_clause_and_can_be_renumbered() {
        let nav = Navigation::new(TEXT);
        // `clause 3.1 "Consumer hardware" exception to 3`.
        let three = at("exception to 3", 0) + "exception to ".len();
        let target = nav.target_at(three).cloned();
        assert_eq!(target, Some(Target::Clause(ClauseNumber(vec![3]))));
        let target = target.unwrap_or(Target::Clause(ClauseNumber(Vec::new())));
        let definition = nav.definition(&target).unwrap_or_default();
        assert_eq!(definition.start, at("clause 3 ", 0) + "clause ".len());
        assert_eq!(&TEXT[definition.start..definition.end], "3");
        let hover = nav.hover(&target);
        assert!(
            hover.starts_with("**clause 3** Intellectual property licence\n\n> Microsoft retains exclusive licenses"),
            "{hover}"
        );
        assert!(hover.ends_with("Named in clause 3.1."), "{hover}");
        let hover = nav.hover(&Target::Clause(ClauseNumber(vec![4, 2])));
        assert!(hover.ends_with("An exception to clause 4."), "{hover}");
        // The number of clause 3 and the `3` of `exception to 3`.
        assert_eq!(nav.rename(&target, "3.5").map(|s| s.len()), Ok(2));
        assert_eq!(
            nav.rename(&target, "4.1"),
            Err("clause 4.1 exists already".to_string())
        );
        for not_a_number in ["3.", "three", "3.0", "-3", ""] {
            assert!(nav.rename(&target, not_a_number).is_err(), "{not_a_number}");
        }
    }

    #[test]
    fn contract_text_in_a_hover_is_shown_as_written() {
        assert_eq!(
            markdown("[click](http://x) <b>*bold*</b> \u{202e}"),
            "\\[click\\](http://x) \\<b\\>\\*bold\\*\\</b\\> \\\\u{202e}"
        );
    }

    #[test]
    fn a_value_shows_what_it_is_and_a_stake_its_implied_valuation() {
        let nav = Navigation::new(TEXT);
        let hover = |needle: &str, into: usize| nav.value_hover(TEXT, at(needle, 0) + into);
        // `valued at USD 135 billion`: 135,000,000,000 / 27% = 500 billion.
        let expected = "**amount** USD 135,000,000,000.00\n\nA stake of 27% valued at \
                        USD 135,000,000,000.00 values the whole of `openai` at \
                        USD 500,000,000,000.00.";
        assert_eq!(hover("USD 135 billion", 0).as_deref(), Some(expected));
        assert_eq!(hover("USD 135 billion", 5).as_deref(), Some(expected));
        assert_eq!(hover("USD 135 billion", 15).as_deref(), Some(expected));
        // The stake's percentage too.
        assert!(
            hover("27% of openai", 1).is_some_and(|h| h.starts_with("**percentage** 27%, a fraction of 0.27\n\nA stake")),
        );
        // `20% of total report_revenue.amount`.
        assert_eq!(
            hover("20% of total", 2).as_deref(),
            Some("**percentage** 20%, a fraction of 0.2")
        );
        // The term ends on `through 2032-12-31`, a Friday.
        assert_eq!(
            hover("term through 2032-12-31", 21).as_deref(),
            Some("**date** Friday 31 December 2032")
        );
        // Not values: a name, a number in a name, a date in a comment or
        // a quotation.
        assert_eq!(hover("openai must pay", 1), None);
        assert_eq!(hover("# 135 billion", 3), None);
        assert_eq!(hover("2031-12-31 or 2032-12-31", 14), None);
        assert_eq!(hover("27% on an as-converted", 1), None);
    }

    #[test]
    fn a_long_wording_is_quoted_line_by_line_and_values_in_it_are_text() {
        let text = include_str!("../examples/late-delivery.proviso");
        let nav = Navigation::new(text);
        let hover = nav.hover(&Target::Clause(ClauseNumber(vec![7, 1])));
        assert!(!hover.contains("\\u{a}"), "{hover}");
        assert!(hover.contains("  \n> "), "{hover}");
        // `10.5%` is written inside the `"""` wording: text, not a value.
        let inside = text.find("10.5%").unwrap_or(0);
        assert!(inside > 0);
        assert_eq!(nav.value_hover(text, inside + 1), None);
        // Escaped quotation marks keep a short quotation open.
        let escaped = "contract \"A \\\" EUR 5\" effective 2026-01-01";
        let eur = escaped.find("EUR").unwrap_or(0);
        assert_eq!(Navigation::new(escaped).value_hover(escaped, eur + 1), None);
        let date = escaped.find("2026").unwrap_or(0);
        assert!(
            Navigation::new(escaped)
                .value_hover(escaped, date + 1)
                .is_some()
        );
    }

    #[test]
    fn list_markers_and_ampersands_in_contract_text_stay_text() {
        assert_eq!(markdown("1. Fees & costs"), "1\\. Fees \\& costs");
        assert_eq!(markdown("- item"), "\\- item");
        assert_eq!(markdown("2026 fees"), "2026 fees");
    }

    #[test]
    fn a_suspended_clause_is_named_where_it_is_suspended() {
        let text = include_str!("../examples/supply-force-majeure.proviso");
        let nav = Navigation::new(text);
        let one = text.find("suspends clause 1").unwrap_or(0) + "suspends clause ".len();
        let target = Target::Clause(ClauseNumber(vec![1]));
        assert_eq!(nav.target_at(one), Some(&target));
        assert_eq!(nav.occurrences(&target).len(), 2);
        assert!(nav.hover(&target).ends_with("Named in clause 3."));
    }
}

/// What a completion offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Party,
    Event,
    Field,
    Member,
    Milestone,
    Period,
    Category,
}

/// One completion: the text to insert and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// A legal name, a label, a field's type.
    pub detail: Option<String>,
}

/// Words of the language that are not reserved (they mean something only
/// where they stand), offered beside the reserved ones.
const CONTEXTUAL_WORDS: &[&str] = &[
    "as",
    "balance",
    "count",
    "cure",
    "earned",
    "group",
    "highest",
    "joins",
    "late",
    "latest",
    "leaves",
    "lowest",
    "matching",
    "otherwise",
    "owns",
    "partial",
    "previous",
    "reaches",
    "reported",
    "right",
    "shortfall",
    "suspends",
    "within",
];

/// Whether a word is one of the language's (reserved or not).
fn is_language_word(word: &str) -> bool {
    crate::syntax::keywords().any(|k| k == word) || CONTEXTUAL_WORDS.contains(&word)
}

/// What may be written at a byte offset, given what comes before it on
/// its line: after `EVENT.`, that event's fields; after `FIELD is` (or
/// `in`, `(`, `,` in a list of members), the members of the field's
/// category; after `must`, `may`, `must not`, `each`, `over`, `excludes`
/// and `settled by`, the event types; after `by`, `pay`, `to`, or where a
/// rule begins, the parties; elsewhere the keywords and every declared
/// name. Only those that start
/// with the word being typed.
pub fn completions(text: &str, offset: usize) -> Vec<Completion> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let head = text.get(..offset).unwrap_or("");
    let line = head.rsplit('\n').next().unwrap_or("");
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let typed_len = line.len() - line.trim_end_matches(is_word).len();
    let typed = line.get(line.len() - typed_len..).unwrap_or("");
    let before = line.get(..line.len() - typed_len).unwrap_or("");
    let file = crate::fmt::parse(text, &Limits::default()).file;
    let mut found: Vec<Completion> = Vec::new();
    let mut offer = |label: &str, kind, detail: Option<&str>| {
        if label.starts_with(typed) && !found.iter().any(|c| c.label == label) {
            found.push(Completion {
                label: label.to_string(),
                kind,
                detail: detail.map(str::to_string),
            });
        }
    };
    let words: Vec<&str> = before
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.last().copied().unwrap_or("");
    // The event type the rule being written is about, from its first line.
    let rule_event = rule_so_far(head)
        .split_whitespace()
        .skip_while(|w| !matches!(*w, "must" | "may" | "each" | "over"))
        .find_map(|w| file.events.iter().find(|e| e.name.node == w));
    // `EVENT.`: its fields.
    if let Some(event) = before.strip_suffix('.').map(|b| {
        let start = b.len() - b.trim_end_matches(is_word).len();
        b.get(b.len() - start..).unwrap_or("")
    }) {
        if let Some(decl) = file.events.iter().find(|e| e.name.node == event) {
            for f in &decl.fields {
                let ty = crate::syntax::one_line::type_name(&f.ty.node);
                offer(&f.name.node, CompletionKind::Field, Some(&ty));
            }
            for (name, ty) in [("date", "date"), ("id", "text"), ("type", "text")] {
                offer(name, CompletionKind::Field, Some(ty));
            }
            if decl.has_actor {
                offer("by", CompletionKind::Field, Some("party"));
            }
        }
        return found;
    }
    // `FIELD is`, `FIELD in (...`: the members of the field's category.
    let member_of = words
        .iter()
        .rposition(|w| matches!(*w, "is" | "in" | "not"))
        .and_then(|i| i.checked_sub(1).and_then(|j| words.get(j)))
        .map(|w| w.trim_start_matches("not"));
    if let Some(field) = member_of
        .filter(|_| matches!(last, "is" | "in" | "not") || before.trim_end().ends_with(['(', ',']))
    {
        // The field of the event named (`build.kind`), else of the rule's
        // event, else any event's of that name.
        let (named_event, field_name) = match field.rsplit_once('.') {
            Some((event, name)) => (file.events.iter().find(|e| e.name.node == event), name),
            None => (None, field),
        };
        let of_rule = named_event
            .or_else(|| rule_event.filter(|e| e.fields.iter().any(|f| f.name.node == field_name)));
        let categories: Vec<&str> = of_rule
            .map_or(file.events.as_slice(), std::slice::from_ref)
            .iter()
            .flat_map(|e| e.fields.iter())
            .filter(|f| f.name.node == field_name)
            .filter_map(|f| f.ty.node.named())
            .collect();
        let members: Vec<(String, String)> = file
            .categories
            .iter()
            .filter(|c| categories.contains(&c.name.node.as_str()))
            .flat_map(|c| {
                c.members
                    .iter()
                    .map(move |m| (m.node.clone(), c.name.node.clone()))
            })
            .collect();
        if !members.is_empty() {
            for (member, category) in &members {
                offer(member, CompletionKind::Member, Some(category));
            }
            return found;
        }
    }
    // Where an event type is written: the act a rule is about, what a
    // rule recurs on, what settles a payment.
    let second_last = words
        .len()
        .checked_sub(2)
        .and_then(|i| words.get(i))
        .copied();
    let event_here = matches!(last, "must" | "may" | "each" | "over" | "excludes")
        || (last == "not" && second_last == Some("must"))
        || (last == "by" && matches!(second_last, Some("settled" | "settlement" | "made")))
        || (last == "to" && second_last == Some("passes") && !before.contains("title"));
    if event_here {
        for e in &file.events {
            offer(
                &e.name.node,
                CompletionKind::Event,
                e.label.as_ref().map(|l| l.node.as_str()),
            );
        }
        if last == "must" {
            // `must pay`, `must not`.
            offer("pay", CompletionKind::Keyword, None);
            offer("not", CompletionKind::Keyword, None);
        }
        return found;
    }
    // In a condition (`where`, `unless`, `and`, `or`, `not`): the fields of
    // the rule's event first, then everything else.
    if let Some(event) = rule_event
        && matches!(last, "where" | "unless" | "and" | "or" | "not")
    {
        for f in &event.fields {
            let ty = crate::syntax::one_line::type_name(&f.ty.node);
            offer(&f.name.node, CompletionKind::Field, Some(&ty));
        }
    }
    // Where a party is written.
    let at_rule_start = words.is_empty() && line.starts_with(' ');
    if matches!(last, "by" | "pay" | "to" | "holds" | "of" | "grants") || at_rule_start {
        for p in &file.parties {
            offer(
                &p.name.node,
                CompletionKind::Party,
                p.legal_name.as_ref().map(|l| l.node.as_str()),
            );
        }
        // A group stands where a rule binds or benefits, or after `by`.
        if matches!(last, "by" | "grants") || at_rule_start {
            for g in &file.groups {
                offer(
                    &g.name.node,
                    CompletionKind::Party,
                    g.label.as_ref().map(|l| l.node.as_str()),
                );
            }
        }
        if !at_rule_start {
            return found;
        }
    }
    for p in &file.parties {
        offer(
            &p.name.node,
            CompletionKind::Party,
            p.legal_name.as_ref().map(|l| l.node.as_str()),
        );
    }
    for e in &file.events {
        offer(
            &e.name.node,
            CompletionKind::Event,
            e.label.as_ref().map(|l| l.node.as_str()),
        );
    }
    for m in &file.milestones {
        offer(
            &m.name.node,
            CompletionKind::Milestone,
            m.label.as_ref().map(|l| l.node.as_str()),
        );
    }
    for p in &file.periods {
        offer(
            &p.name.node,
            CompletionKind::Period,
            p.label.as_ref().map(|l| l.node.as_str()),
        );
    }
    for c in &file.categories {
        offer(
            &c.name.node,
            CompletionKind::Category,
            c.label.as_ref().map(|l| l.node.as_str()),
        );
    }
    let mut words: Vec<&str> = crate::syntax::keywords()
        .chain(CONTEXTUAL_WORDS.iter().copied())
        .filter(|w| !w.contains('-'))
        .collect();
    words.sort_unstable();
    words.dedup();
    for word in words {
        offer(word, CompletionKind::Keyword, None);
    }
    found
}

/// The rule being written, from its first line to the end of `head`: a
/// clause's rules start two spaces in, their continuation lines further.
fn rule_so_far(head: &str) -> &str {
    let mut start = head.len();
    for line in head.rsplit('\n') {
        start = start.saturating_sub(line.len());
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let body = line.trim_start();
        if !body.is_empty() && !body.starts_with('#') && indent <= 2 {
            break;
        }
        start = start.saturating_sub(1); // the line break
    }
    head.get(start..).unwrap_or("")
}

#[cfg(test)]
mod completion_tests {
    use super::*;

    const TEXT: &str = include_str!("../contracts/microsoft-openai-2025.proviso");

    fn labels(text: &str) -> Vec<String> {
        completions(text, text.len())
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    #[test]
    fn a_group_is_offered_where_a_rule_binds_a_party_and_after_by_but_not_after_pay() {
        let text = include_str!("../examples/affiliates.proviso");
        let at_start = format!("{text}\nclause 9 \"X\"\n  lu");
        assert_eq!(
            labels(&at_start),
            ["lumen_ai", "lumen_devices", "lumen_europe", "lumen"]
        );
        let after_pay = format!("{text}\nclause 9 \"X\"\n  stratus must pay lu");
        assert_eq!(
            labels(&after_pay),
            ["lumen_ai", "lumen_devices", "lumen_europe"]
        );
        let after_by = format!("{text}\nmilestone m: release by lu");
        assert!(labels(&after_by).contains(&"lumen".to_string()));
        // `assets made by` and a grant's `passes to` are followed by an
        // event; `title passes to` by a party.
        let software = include_str!("../examples/software-title.proviso");
        let made_by = format!("{software}\nclause 9 \"X\"\n  developer owns assets made by de");
        assert_eq!(labels(&made_by), ["deliver"]);
        let passes = format!(
            "{software}\nclause 9 \"X\"\n  developer grants client licence over use_toolkit\n    passes to as"
        );
        assert_eq!(labels(&passes), ["assign_licence"]);
        let title = format!(
            "{software}\nclause 9 \"X\"\n  developer owns assets made by deliver\n    title passes to cl"
        );
        assert_eq!(labels(&title), ["client"]);
    }

    #[test]
    fn after_an_event_and_a_dot_its_fields() {
        let text = format!(
            "{TEXT}\nclause 9 \"X\"\n  openai must pay microsoft 1% of total report_revenue."
        );
        assert_eq!(
            labels(&text),
            ["quarter", "amount", "date", "id", "type", "by"]
        );
        let text = format!("{text}am");
        assert_eq!(labels(&text), ["amount"]);
    }

    #[test]
    fn after_a_field_and_is_the_members_of_its_category() {
        let text = format!("{TEXT}\nclause 9 \"X\"\n  openai must not serve where cloud is ");
        assert_eq!(
            labels(&text),
            ["azure", "aws", "gcp", "oracle", "other_cloud"]
        );
        let text =
            format!("{TEXT}\nclause 9 \"X\"\n  openai must not serve where kind in (model, ");
        assert_eq!(
            labels(&text),
            [
                "model",
                "api_product",
                "non_api_product",
                "consumer_hardware"
            ]
        );
    }

    #[test]
    fn after_pay_the_parties_and_elsewhere_names_and_keywords() {
        let text = format!("{TEXT}\nclause 9 \"X\"\n  openai must pay m");
        assert_eq!(labels(&text), ["microsoft"]);
        let text = format!("{TEXT}\nclause 9 \"X\"\n  openai must not re");
        // After `must not`: the event types, only.
        assert_eq!(labels(&text), ["report_revenue", "release", "research_agi"]);
        let text = format!("{TEXT}\nclause 9 \"X\"\n  openai must not release until ag");
        assert_eq!(labels(&text), ["agi"]);
        // In a condition, over two lines: the fields of the rule's event
        // (`serve`: product, kind, cloud, customer, with_third_party, in
        // the order declared) first.
        let text = format!("{TEXT}\nclause 9 \"X\"\n  openai must not serve\n    where ");
        let offered = labels(&text);
        assert_eq!(
            offered.get(..5),
            Some(
                &["product", "kind", "cloud", "customer", "with_third_party"].map(String::from)[..]
            )
        );
        assert!(offered.contains(&"microsoft".to_string()));
        // `kind is` in that rule: the members of `serve.kind`'s category.
        let text = format!("{TEXT}\nclause 9 \"X\"\n  openai must not serve\n    where kind is ");
        // An event named before the field decides whose field it is.
        let two = "contract \"T\" effective 2026-01-01 term through 2026-12-31\n\
                   party alpha \"A\"\n\
                   category colour: red | green\n\
                   category size: small | large\n\
                   event paint { kind: colour }\n\
                   event build { kind: size }\n\
                   clause 1 \"X\"\n  alpha must not paint\n    where build.kind is ";
        assert_eq!(labels(two), ["small", "large"]);
        assert_eq!(labels(&two.replace("build.kind", "kind")), ["red", "green"]);
        assert_eq!(
            labels(&text),
            [
                "model",
                "api_product",
                "non_api_product",
                "consumer_hardware"
            ]
        );
        let text = format!(
            "{TEXT}\nclause 9 \"X\"\n  openai must pay microsoft USD 1 due 2026-01-01 settled by "
        );
        assert_eq!(
            labels(&text),
            [
                "report_revenue",
                "payment",
                "declare_agi",
                "verify_agi",
                "release",
                "serve",
                "buy_compute",
                "research_agi"
            ]
        );
    }
}

/// What a stretch of text is, for highlighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Keyword,
    String,
    Number,
    Comment,
    Party,
    Category,
    Member,
    Period,
    Event,
    Field,
    Milestone,
    Definition,
    Account,
}

/// A stretch of text to highlight, on one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

fn token_kind(target: &Target) -> TokenKind {
    match target {
        // A group is highlighted as the parties it stands for.
        Target::Party(_) | Target::Group(_) => TokenKind::Party,
        Target::Category(_) => TokenKind::Category,
        Target::Member { .. } => TokenKind::Member,
        Target::Period(_) => TokenKind::Period,
        Target::Event(_) => TokenKind::Event,
        Target::Field { .. } => TokenKind::Field,
        Target::Milestone(_) => TokenKind::Milestone,
        Target::Definition(_) => TokenKind::Definition,
        Target::Account(_) => TokenKind::Account,
        // Never asked: a clause number is written in digits, a number.
        Target::Clause(_) => TokenKind::Number,
    }
}

/// The text's tokens for highlighting, in order, none across a line
/// break: comments, quotations, numbers (amounts, dates, percentages),
/// the words of the language, and every name by what it names — as the
/// checker resolved it, so a field and a party of the same name differ.
pub fn tokens(text: &str) -> Vec<Token> {
    let nav = Navigation::new(text);
    let mut names: std::collections::BTreeMap<usize, (usize, TokenKind)> = nav
        .declarations
        .iter()
        .map(|(target, span)| (span.start, (span.end, token_kind(target))))
        .collect();
    for r in &nav.references {
        names.insert(r.span.start, (r.span.end, token_kind(&r.target)));
    }
    let mut found = Vec::new();
    // One token per line of a stretch that may span lines.
    let mut push = |start: usize, end: usize, kind: TokenKind| {
        let mut at = start;
        for line in text.get(start..end).unwrap_or("").split('\n') {
            let line = line.trim_end_matches('\r');
            if !line.is_empty() {
                found.push(Token {
                    span: Span::new(at, at + line.len()),
                    kind,
                });
            }
            at += line.len() + 1;
        }
    };
    let bytes = text.as_bytes();
    let mut prose = crate::syntax::prose(text).peekable();
    let mut at = 0usize;
    while let Some(&byte) = bytes.get(at) {
        let rest = text.get(at..).unwrap_or("");
        while prose.next_if(|(span, _)| span.start < at).is_some() {}
        if let Some(&(span, kind)) = prose.peek().filter(|(span, _)| span.start == at) {
            prose.next();
            let kind = match kind {
                crate::syntax::Prose::Comment => TokenKind::Comment,
                crate::syntax::Prose::Quotation => TokenKind::String,
            };
            push(span.start, span.end, kind);
            at = span.end.max(at + 1);
        } else if byte.is_ascii_digit() {
            let len = rest
                .find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '%')))
                .unwrap_or(rest.len());
            push(at, at + len, TokenKind::Number);
            at += len.max(1);
        } else if byte.is_ascii_lowercase() || byte == b'_' {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let word = rest.get(..len).unwrap_or("");
            match names.get(&at) {
                Some(&(end, kind)) if end == at + len => push(at, end, kind),
                _ if is_language_word(word) => {
                    push(at, at + len, TokenKind::Keyword);
                }
                Some(_) | None => {}
            }
            at += len.max(1);
        } else {
            // Any other character, whole.
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

#[cfg(test)]
mod token_tests {
    use super::*;

    #[test]
    fn names_are_told_apart_by_what_they_name() {
        let text = "contract \"T\" effective 2026-01-01 term through 2026-12-31\n\
                    party bank \"Bank\"\n\
                    event sell by party { bank: party }  # a field named like a party\n\
                    clause 1 \"X\"\n  text \"\"\"two\n  lines\"\"\"\n  bank must not sell where bank is bank\n";
        let tokens = tokens(text);
        let shown: Vec<(&str, TokenKind)> = tokens
            .iter()
            .map(|t| (&text[t.span.start..t.span.end], t.kind))
            .collect();
        assert_eq!(shown[0], ("contract", TokenKind::Keyword));
        assert_eq!(shown[1], ("\"T\"", TokenKind::String));
        assert_eq!(shown[3], ("2026-01-01", TokenKind::Number));
        // The rule: `bank` the party, `sell` the event, then `where bank
        // is bank` is the field on both sides — a bare name is the field
        // of the event in scope before it is a party, and highlighting
        // shows the drafter that this compares the field with itself.
        let rule: Vec<TokenKind> = tokens
            .iter()
            .filter(|t| t.span.start >= text.rfind("bank must").unwrap_or(0))
            .map(|t| t.kind)
            .collect();
        assert_eq!(
            rule,
            [
                TokenKind::Party,
                TokenKind::Keyword,
                TokenKind::Keyword,
                TokenKind::Event,
                TokenKind::Keyword,
                TokenKind::Field,
                TokenKind::Keyword,
                TokenKind::Field,
            ]
        );
        // The comment, and the quotation over two lines as two tokens.
        assert!(shown.contains(&("# a field named like a party", TokenKind::Comment)));
        assert!(shown.contains(&("\"\"\"two", TokenKind::String)));
        assert!(shown.contains(&("  lines\"\"\"", TokenKind::String)));
    }
}
