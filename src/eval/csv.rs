//! CSV event files: the exports finance teams have. The first row names
//! the columns (`type`, `date`, `id`, `by`, then the event's fields); each
//! further row is one event. A row is turned into the JSON event the
//! decoder knows, with a map from every value back to its cell, so that a
//! diagnostic points at the cell the person wrote (as for YAML).
//!
//! Cells are split by `csv-core`, the parser beneath the `csv` crate, used
//! directly because it says how many bytes of the row each cell took: the
//! `csv` crate's records know only where each row starts.

use csv_core::{ReadFieldResult, Reader};

use crate::ast::Span;

/// A cell of a row: its text (quotes taken off, doubled quotes undone) and
/// where it is written in the row, quotes included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub span: Span,
}

/// The cells of one row (its text without the line end); none for an
/// empty row.
pub fn cells(row: &str) -> Vec<Cell> {
    let mut reader = Reader::new();
    let bytes = row.as_bytes();
    // A cell is never longer than the text it is written in.
    let mut out = vec![0u8; bytes.len() + 1];
    let mut cells = Vec::new();
    let mut at = 0usize;
    let mut start = 0usize;
    let mut field: Vec<u8> = Vec::new();
    loop {
        let input = bytes.get(at..).unwrap_or_default();
        let (result, read, written) = reader.read_field(input, &mut out);
        field.extend_from_slice(out.get(..written).unwrap_or_default());
        at += read;
        match result {
            // The row's text has ended inside a cell: the call with no
            // input that follows ends the cell.
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {
                if read == 0 && written == 0 && input.is_empty() {
                    // Nothing more will come: keep what was read.
                    cells.push(cell(&field, row, start, at));
                    break;
                }
            }
            ReadFieldResult::Field { record_end } => {
                cells.push(cell(&field, row, start, at));
                field.clear();
                start = at;
                if record_end {
                    break;
                }
            }
            ReadFieldResult::End => break,
        }
    }
    cells
}

/// A cell read from `row[start..end]`, less the delimiter or line end that
/// closed it.
fn cell(text: &[u8], row: &str, start: usize, end: usize) -> Cell {
    let written = row.get(start..end.min(row.len())).unwrap_or_default();
    let written = written
        .strip_suffix(',')
        .unwrap_or(written)
        .trim_end_matches(['\r', '\n']);
    Cell {
        text: String::from_utf8_lossy(text).into_owned(),
        span: Span::new(start, start + written.len()),
    }
}

/// Whether the lines gathered so far make a whole row: a quoted cell may
/// hold line breaks, so a row ends only where its quotation marks balance.
pub fn is_whole_row(text: &str) -> bool {
    text.bytes().filter(|&b| b == b'"').count() % 2 == 0
}

/// `value` as a CSV cell: in quotes when it holds a comma, a quotation mark
/// or a line break.
pub fn literal(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(row: &str) -> Vec<(String, &str)> {
        cells(row)
            .into_iter()
            .map(|c| (c.text, row.get(c.span.start..c.span.end).unwrap_or("?")))
            .collect()
    }

    #[test]
    fn cells_with_their_places() {
        assert_eq!(
            texts("serve,2026-08-01,\"USD 1,250.00\",,x"),
            [
                ("serve".to_string(), "serve"),
                ("2026-08-01".to_string(), "2026-08-01"),
                ("USD 1,250.00".to_string(), "\"USD 1,250.00\""),
                (String::new(), ""),
                ("x".to_string(), "x"),
            ]
        );
        // Doubled quotes, a line break in quotes, a trailing empty cell.
        assert_eq!(
            texts("\"say \"\"hi\"\"\",\"two\nlines\","),
            [
                ("say \"hi\"".to_string(), "\"say \"\"hi\"\"\""),
                ("two\nlines".to_string(), "\"two\nlines\""),
                (String::new(), ""),
            ]
        );
        assert!(texts("").is_empty());
        assert_eq!(
            texts("€,é"),
            [("€".to_string(), "€"), ("é".to_string(), "é")]
        );
    }

    #[test]
    fn a_row_is_whole_when_its_quotes_balance() {
        assert!(is_whole_row("a,\"b,c\""));
        assert!(!is_whole_row("a,\"b\nc"));
        assert_eq!(literal("USD 1,250.00"), "\"USD 1,250.00\"");
        assert_eq!(literal("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(literal("api_product"), "api_product");
    }
}
