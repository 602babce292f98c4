//! JUnit XML, the report format CI systems read, for `proviso test --junit`.

/// One scenario's result.
pub struct Case<'a> {
    pub name: &'a str,
    pub file: &'a str,
    /// The failure messages; empty when it passed.
    pub failures: &'a [String],
}

/// A `<testsuites>` document for the cases.
pub fn document(cases: &[Case<'_>]) -> String {
    let failed = cases.iter().filter(|c| !c.failures.is_empty()).count();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!(
        "<testsuites name=\"proviso\" tests=\"{}\" failures=\"{failed}\">\n  <testsuite name=\"scenarios\" tests=\"{}\" failures=\"{failed}\">\n",
        cases.len(),
        cases.len()
    ));
    for case in cases {
        xml.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"{}\"",
            escape(case.name),
            escape(case.file)
        ));
        if case.failures.is_empty() {
            xml.push_str("/>\n");
        } else {
            let first = case.failures.first().map_or("", String::as_str);
            let first_line = first.lines().next().unwrap_or("");
            xml.push_str(&format!(
                ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                escape(first_line),
                escape(&case.failures.join("\n\n"))
            ));
        }
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

/// Text safe inside XML attributes and elements. Characters XML 1.0 cannot
/// hold at all (most control characters) are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            // Not allowed in XML 1.0: other C0 controls, the surrogates
            // (never in a `char`), U+FFFE and U+FFFF. Shown as U+FFFD.
            c if (c as u32) < 0x20 => {}
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_hold_are_replaced() {
        assert_eq!(escape("a\u{FFFE}b\u{FFFF}<\u{1}"), "a\u{FFFD}b\u{FFFD}&lt;");
    }

    #[test]
    fn failures_are_escaped_and_counted() {
        let failures = vec!["expected <1> & \"2\"".to_string()];
        let xml = document(&[
            Case {
                name: "a",
                file: "a.scenario.yaml",
                failures: &[],
            },
            Case {
                name: "b",
                file: "b.scenario.yaml",
                failures: &failures,
            },
        ]);
        assert!(xml.contains("tests=\"2\" failures=\"1\""));
        assert!(xml.contains("<testcase name=\"a\" classname=\"a.scenario.yaml\"/>"));
        assert!(xml.contains("expected &lt;1&gt; &amp; &quot;2&quot;"));
    }
}
