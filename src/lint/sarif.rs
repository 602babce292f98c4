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
pub fn document(files: &[(&SourceFile, &[Finding])]) -> Json {
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
                        "artifactLocation": { "uri": file.name().replace('\\', "/") },
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
                            "artifactLocation": { "uri": file.name().replace('\\', "/") },
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
        }]
    })
}
