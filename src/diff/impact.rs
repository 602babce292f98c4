//! The interpretation impact of a change: the scenarios written for the new
//! version, run on both versions, and the outcomes that differ.

use std::path::{Path, PathBuf};

use crate::limits::Limits;
use crate::scenario::{self, run};

/// A scenario whose interpretation differs between the versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Impact {
    pub name: String,
    pub file: String,
    /// The lines of the interpretation that differ: `- old`, `+ new`.
    pub differences: Vec<String>,
}

/// The scenarios under the new version's folder that test it, each run on
/// the old and the new version; those whose interpretations differ.
/// Scenario files that cannot be read are skipped (`proviso test` reports
/// them).
pub fn impact(old: &Path, new: &Path) -> Vec<Impact> {
    let folder = new
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let folder = if folder.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        folder
    };
    let target = new.canonicalize().ok();
    let limits = Limits::default();
    let mut impacts = Vec::new();
    for file in scenario::discover(&[folder]) {
        let Ok(scenario) = scenario::load(&file, &limits) else {
            continue;
        };
        if target.is_none() || scenario.contract.canonicalize().ok() != target {
            continue;
        }
        let before = run::interpret(&scenario, old);
        let after = run::interpret(&scenario, new);
        // The report's first line names the contract by its title, which
        // versions often change; that is not a change of meaning.
        let body = |text: &str| -> String {
            if text.starts_with("The input is refused") {
                text.to_string()
            } else {
                text.split_once('\n')
                    .map_or("", |(_, rest)| rest)
                    .to_string()
            }
        };
        let (before, after) = (body(&before.text), body(&after.text));
        if before == after {
            continue;
        }
        let differences = similar::TextDiff::from_lines(&before, &after)
            .iter_all_changes()
            .filter_map(|change| match change.tag() {
                similar::ChangeTag::Delete => Some(format!("- {}", change.value().trim_end())),
                similar::ChangeTag::Insert => Some(format!("+ {}", change.value().trim_end())),
                similar::ChangeTag::Equal => None,
            })
            .collect();
        impacts.push(Impact {
            name: scenario.name.clone(),
            file: file.display().to_string(),
            differences,
        });
    }
    impacts
}
