//! Editor support that does not depend on any editor protocol: what a
//! language server (`proviso lsp`) or the playground asks of a clause file
//! as it is being typed — its diagnostics (check and lint together), its
//! outline, positions as editors count them.

use crate::ast::{ContractFile, Span};
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
/// character boundary).
pub fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let head = text.get(..offset).unwrap_or("");
    let line_start = head.rfind('\n').map_or(0, |n| n + 1);
    let line = head.matches('\n').count();
    let character: usize = text
        .get(line_start..offset)
        .unwrap_or("")
        .chars()
        .map(char::len_utf16)
        .sum();
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        character: u32::try_from(character).unwrap_or(u32::MAX),
    }
}

/// The byte offset of an editor position (past the end of a line: its
/// end; past the last line: the end of the text).
pub fn offset(text: &str, at: Position) -> usize {
    let mut line_start = 0usize;
    for _ in 0..at.line {
        match text.get(line_start..).and_then(|rest| rest.find('\n')) {
            Some(n) => line_start += n + 1,
            None => return text.len(),
        }
    }
    let line = text.get(line_start..).unwrap_or("");
    let line = line.split('\n').next().unwrap_or("");
    let mut units = 0u32;
    for (i, c) in line.char_indices() {
        if units >= at.character {
            return line_start + i;
        }
        units += u32::try_from(c.len_utf16()).unwrap_or(2);
    }
    line_start + line.len()
}

/// What an item of the outline is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Contract,
    Party,
    Category,
    Period,
    Event,
    Milestone,
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
        categories,
        periods,
        events,
        milestones,
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
