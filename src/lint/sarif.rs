//! SARIF 2.1.0, the format code-review tools read to annotate files: one
//! run, the catalogue as the tool's rules, one result per finding.

use serde_json::{Value as Json, json};

use super::{Finding, LINTS, Level};
use crate::source::SourceFile;

fn level(level: Level) -> &'static str {
    match level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "none",
    }
}

/// The SARIF log for the findings of some files.
/// `failed`: the files that could not be linted (they do not read or do
/// not check), with their diagnostics: the run is then not successful, and
/// each diagnostic is a notification, so that no viewer shows them clean.
pub fn document(
    files: &[(&SourceFile, &[Finding])],
    failed: &[(&SourceFile, &[crate::diagnostics::Diagnostic])],
) -> Json {
    let rules: Vec<Json> = LINTS
        .iter()
        .map(|lint| {
            json!({
                "id": lint.code.as_str(),
                "name": lint.name(),
                "shortDescription": { "text": lint.summary },
                "helpUri": format!("https://github.com/proviso-lang/proviso/blob/main/docs/lints.md#{}-{}", lint.code.as_str().to_lowercase(), lint.code.slug()),
                "defaultConfiguration": { "level": level(lint.default) },
            })
        })
        .collect();
    let mut results = Vec::new();
    for (file, findings) in files {
        for finding in *findings {
            let d = &finding.diagnostic;
            let start = file.position(d.primary.span.start);
            let end = file.position(d.primary.span.end);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(&format!(" ({help})"));
            }
            results.push(json!({
                "ruleId": finding.lint.code.as_str(),
                "ruleIndex": LINTS.iter().position(|l| l.code == finding.lint.code),
                "level": level(finding.level),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(file.name()) },
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column,
                        }
                    }
                }],
                "relatedLocations": d.related.iter().enumerate().map(|(i, label)| {
                    let s = file.position(label.span.start);
                    let e = file.position(label.span.end);
                    json!({
                        "id": i,
                        "message": { "text": label.message },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(file.name()) },
                            "region": { "startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column }
                        }
                    })
                }).collect::<Vec<_>>(),
            }));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "proviso",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/proviso-lang/proviso",
                    "rules": rules,
                }
            },
            "results": results,
            // Columns count characters (Unicode code points), as in the
            // report for people and in JSON.
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": failed.is_empty(),
                "toolExecutionNotifications": failed.iter().flat_map(|(file, diagnostics)| {
                    diagnostics.iter().map(move |d| {
                        let start = file.position(d.primary.span.start);
                        json!({
                            "level": "error",
                            "descriptor": { "id": d.code.as_str() },
                            "message": { "text": d.message },
                            "locations": [{
                                "physicalLocation": {
                                    "artifactLocation": { "uri": uri(file.name()) },
                                    "region": { "startLine": start.line, "startColumn": start.column }
                                }
                            }]
                        })
                    })
                }).collect::<Vec<_>>(),
            }],
        }]
    })
}

/// A file name as a SARIF artifact URI: `/` between folders, characters
/// outside a URI's unreserved set percent-encoded (`#`, `%`, spaces, any
/// non-ASCII byte), and an absolute path as a `file:` URI.
pub(crate) fn uri(name: &str) -> String {
    let path = name.replace('\\', "/");
    let mut out = String::with_capacity(path.len() + 8);
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_percent_encoded_and_absolute_paths_are_file_uris() {
        assert_eq!(
            super::uri("contracts/a b#1%.proviso"),
            "contracts/a%20b%231%25.proviso"
        );
        assert_eq!(super::uri("/tmp/x.proviso"), "file:///tmp/x.proviso");
        assert_eq!(super::uri("d\\é.proviso"), "d/%C3%A9.proviso");
    }
}
