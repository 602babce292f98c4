//! A quick pass over the raw text before the grammar sees it.
//!
//! It finds what a PEG parser reports badly or not at all: text quotations
//! left open (which would otherwise surface as a confusing error at the end
//! of the file) and bracket nesting deep enough to exhaust the stack of a
//! recursive parser. Comments and quotations are skipped exactly as the
//! grammar skips them.

use crate::ast::Span;
use crate::diagnostics::{Code, Diagnostic};

pub fn prescan(text: &str, max_nesting: usize) -> Vec<Diagnostic> {
    let bytes = text.as_bytes();
    let mut diagnostics = Vec::new();
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'#' => {
                i = memchr_newline(bytes, i);
            }
            b'"' if bytes.get(i..i + 3) == Some(b"\"\"\"") => match find(bytes, i + 3, b"\"\"\"") {
                Some(close) => i = close + 3,
                None => {
                    let end = memchr_newline(bytes, i);
                    diagnostics.push(
                        Diagnostic::error(
                            Code::UnterminatedText,
                            "unterminated text: `\"\"\"` is never closed",
                            Span::new(i, end),
                            "this quotation runs to the end of the file",
                        )
                        .with_help("close the quotation with `\"\"\"`"),
                    );
                    break;
                }
            },
            b'"' => {
                let start = i;
                i += 1;
                loop {
                    match bytes.get(i) {
                        Some(b'\\') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\n') | None => {
                            diagnostics.push(
                                Diagnostic::error(
                                    Code::UnterminatedText,
                                    "unterminated text: the quotation mark is never closed",
                                    Span::new(start, i.min(bytes.len())),
                                    "this quotation has no closing `\"` on its line",
                                )
                                .with_help(
                                    "add the closing `\"`; for wording over several lines, quote it with `\"\"\"`",
                                ),
                            );
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            b'(' | b'{' => {
                depth += 1;
                if depth > max_nesting {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::NestingTooDeep,
                            format!("brackets are nested more than {max_nesting} levels deep"),
                            Span::new(i, i + 1),
                            format!("nesting level {depth} starts here"),
                        )
                        .with_help("split the computation into simpler parts; no clause needs this much nesting"),
                    );
                    break;
                }
                i += 1;
            }
            b')' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    diagnostics
}

/// The index of the next newline at or after `from`, or the end of the text.
fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |p| from + p)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_open_quotations() {
        let d = prescan("party a \"Alpha\nparty b \"Beta\"\n", 64);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::UnterminatedText);
        assert_eq!(d[0].primary.span, Span::new(8, 14));
    }

    #[test]
    fn skips_comments_and_long_quotations() {
        assert!(prescan("# a \" quote\ntext \"\"\"two\n\"lines\"\"\"", 64).is_empty());
        assert_eq!(prescan("text \"\"\"open", 64).len(), 1);
    }

    #[test]
    fn limits_nesting() {
        let deep = "(".repeat(65);
        let d = prescan(&deep, 64);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::NestingTooDeep);
        assert!(prescan(&"(".repeat(64), 64).is_empty());
    }
}
