//! A word-level redline of two wordings, as a lawyer marks up a draft.

use serde::Serialize;

/// One run of words: kept, struck out, or inserted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum Edit {
    Equal(String),
    Delete(String),
    Insert(String),
}

/// The edits that turn `old` into `new`, word by word (spaces and line
/// breaks between words are not compared). A stretch of changed words is
/// one deletion and one insertion, as a lawyer strikes a phrase and writes
/// its replacement, not word against word.
pub fn redline(old: &str, new: &str) -> Vec<Edit> {
    let old = super::folded(old);
    let new = super::folded(new);
    let diff = similar::TextDiff::from_words(&old, &new);
    let changes: Vec<(similar::ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    let mut edits: Vec<Edit> = Vec::new();
    let (mut struck, mut written) = (String::new(), String::new());
    let flush = |edits: &mut Vec<Edit>, struck: &mut String, written: &mut String| {
        if !struck.trim().is_empty() {
            edits.push(Edit::Delete(std::mem::take(struck)));
        }
        if !written.trim().is_empty() {
            edits.push(Edit::Insert(std::mem::take(written)));
        }
        struck.clear();
        written.clear();
    };
    let mut rest = changes.iter().peekable();
    while let Some((tag, text)) = rest.next() {
        match tag {
            similar::ChangeTag::Delete => struck.push_str(text),
            similar::ChangeTag::Insert => written.push_str(text),
            similar::ChangeTag::Equal => {
                let in_change = !struck.is_empty() || !written.is_empty();
                let change_follows = rest
                    .peek()
                    .is_some_and(|(next, _)| *next != similar::ChangeTag::Equal);
                if text.trim().is_empty() && in_change && change_follows {
                    // A space between changed words belongs to the change.
                    struck.push_str(text);
                    written.push_str(text);
                    continue;
                }
                flush(&mut edits, &mut struck, &mut written);
                match edits.last_mut() {
                    Some(Edit::Equal(kept)) => kept.push_str(text),
                    Some(Edit::Delete(_) | Edit::Insert(_)) | None => {
                        edits.push(Edit::Equal(text.to_string()));
                    }
                }
            }
        }
    }
    flush(&mut edits, &mut struck, &mut written);
    edits
}

/// Words of unchanged text kept on each side of a change when a redline is
/// printed for people.
const CONTEXT_WORDS: usize = 6;

/// The redline for people: `[-struck-] {+inserted+}`, with long unchanged
/// stretches cut to a few words either side of each change (`…`).
pub fn human(edits: &[Edit]) -> String {
    let mut pieces: Vec<String> = Vec::new();
    let last = edits.len().saturating_sub(1);
    for (i, edit) in edits.iter().enumerate() {
        match edit {
            Edit::Delete(text) if !text.trim().is_empty() => {
                pieces.push(format!("[-{}-]", text.trim()));
            }
            Edit::Insert(text) if !text.trim().is_empty() => {
                pieces.push(format!("{{+{}+}}", text.trim()));
            }
            Edit::Delete(_) | Edit::Insert(_) => {}
            Edit::Equal(text) => {
                let words: Vec<&str> = text.split_whitespace().collect();
                let keep_start = if i == 0 { 0 } else { CONTEXT_WORDS };
                let keep_end = if i == last { 0 } else { CONTEXT_WORDS };
                if words.len() > keep_start + keep_end + 1 {
                    pieces.extend(words.iter().take(keep_start).map(|w| w.to_string()));
                    pieces.push("…".to_string());
                    pieces.extend(
                        words
                            .iter()
                            .skip(words.len() - keep_end)
                            .map(|w| w.to_string()),
                    );
                } else {
                    pieces.extend(words.iter().map(|w| w.to_string()));
                }
            }
        }
    }
    pieces.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_word_is_struck_and_inserted() {
        let edits = redline("shall pay 20% of revenue", "shall pay 15% of revenue");
        assert_eq!(human(&edits), "shall pay [-20%-] {+15%+} of revenue");
    }

    #[test]
    fn layout_is_not_a_change() {
        let edits = redline("shall  pay\n  the fee", "shall pay the fee");
        assert_eq!(edits, vec![Edit::Equal("shall pay the fee".to_string())]);
    }

    #[test]
    fn long_unchanged_stretches_are_cut() {
        let old = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen";
        let new = old.replace("eight", "EIGHT");
        let text = human(&redline(old, &new));
        assert_eq!(
            text,
            "one two three four five six seven [-eight-] {+EIGHT+} nine ten eleven twelve thirteen fourteen …"
        );
        let old = format!("{old} {old} {old}");
        let new = old.replacen("eight", "EIGHT", 1);
        let text = human(&redline(&old, &new));
        assert!(
            text.contains("[-eight-] {+EIGHT+} nine ten eleven twelve thirteen fourteen …"),
            "{text}"
        );
    }

    #[test]
    fn a_rewritten_phrase_is_struck_and_written_whole() {
        let edits = redline(
            "OpenAI was historically tied exclusively to Microsoft Azure.",
            "OpenAI may work with third parties on Azure.",
        );
        assert_eq!(
            human(&edits),
            "OpenAI [-was historically tied exclusively to Microsoft-] {+may work with third parties on+} Azure."
        );
    }
}
