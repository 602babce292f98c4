//! Comments, which the grammar skips, found again in the text so that the
//! formatter can keep them (`proviso fmt`).
//!
//! The tree has no comments; what it has is a byte span for every node.
//! So the formatter works as rust-analyzer's and Catala's do in spirit —
//! comments are trivia beside the tree — but without a second tree: each
//! comment is attached to a line the printer starts (an *anchor*: the
//! start of an item, a header option, a field, a clause's text, a rule or
//! one of its options). A comment on a line of its own belongs to the next
//! anchor and is printed before it at its indentation; a comment after
//! code on its line belongs to the anchor before it and is printed at the
//! end of that anchor's line. So every comment survives, in order, and
//! stays beside the text it was written about even when the printer puts
//! options in their canonical order.

/// One comment: `# ...` to the end of its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Byte offset of the `#`.
    pub start: usize,
    /// The comment as written, `#` included, trailing spaces removed.
    pub text: String,
    /// Whether only spaces come before it on its line.
    pub own_line: bool,
    /// Whether an empty line comes between it and what precedes it.
    pub blank_before: bool,
}

/// Every comment of a clause file, in order. Quotations are skipped (a
/// `#` inside `"..."` or `"""..."""` is text), with the grammar's escapes.
pub fn comments(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0usize;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' if bytes.get(at..at + 3) == Some(b"\"\"\"") => {
                at = text
                    .get(at + 3..)
                    .and_then(|rest| rest.find("\"\"\""))
                    .map_or(bytes.len(), |end| at + 3 + end + 3);
            }
            b'"' => {
                at += 1;
                while let Some(&c) = bytes.get(at) {
                    at += 1;
                    match c {
                        b'\\' => at += 1,
                        b'"' | b'\n' => break,
                        _ => {}
                    }
                }
            }
            b'#' => {
                let end = text
                    .get(at..)
                    .and_then(|rest| rest.find('\n'))
                    .map_or(bytes.len(), |n| at + n);
                let comment = text.get(at..end).unwrap_or("").trim_end();
                found.push(Comment {
                    start: at,
                    text: comment.to_string(),
                    own_line: line_start(text, at) == at,
                    // Only a comment on its own line can have a blank line
                    // before it.
                    blank_before: line_start(text, at) == at && blank_before(text, at),
                });
                at = end;
            }
            _ => at += 1,
        }
    }
    found
}

/// The first character on `pos`'s line that is not a space or a tab.
pub fn line_start(text: &str, pos: usize) -> usize {
    let head = text.get(..pos).unwrap_or("");
    let begin = head.rfind('\n').map_or(0, |n| n + 1);
    let indent = text.get(begin..pos).map_or(0, |line| {
        line.len() - line.trim_start_matches([' ', '\t']).len()
    });
    begin + indent
}

/// Whether an empty line comes between `pos` and the text before it.
pub fn blank_before(text: &str, pos: usize) -> bool {
    let head = text.get(..pos).unwrap_or("");
    let code = head.trim_end_matches([' ', '\t', '\r', '\n']);
    if code.is_empty() {
        return false;
    }
    head.get(code.len()..)
        .is_some_and(|gap| gap.matches('\n').count() >= 2)
}

/// The line (from 0) a byte offset is on.
pub fn line_of(text: &str, pos: usize) -> usize {
    text.get(..pos).map_or(0, |head| head.matches('\n').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_outside_quotations_only() {
        let text = "# head\n\nparty a \"A # not\" # tail\nclause 1 \"x\"\n  text \"\"\"\n  # not either\n  \"\"\"\n  # own\n";
        let found: Vec<(String, bool, bool)> = comments(text)
            .into_iter()
            .map(|c| (c.text, c.own_line, c.blank_before))
            .collect();
        assert_eq!(
            found,
            [
                ("# head".to_string(), true, false),
                ("# tail".to_string(), false, false),
                ("# own".to_string(), true, false),
            ]
        );
    }

    #[test]
    fn an_escaped_quote_does_not_end_a_quotation() {
        let text = "party a \"say \\\"#1\\\"\" # real";
        let found: Vec<String> = comments(text).into_iter().map(|c| c.text).collect();
        assert_eq!(found, ["# real"]);
    }
}
