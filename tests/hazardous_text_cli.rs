//! Control and direction characters in a contract's text, a file's name or
//! a scenario's name never reach the terminal as they are, whichever
//! command prints them: each is shown as an escape (`\u{1b}`), so that it
//! is seen and does nothing (docs/reliability.md, "Trojan Source").

// Test code: a failed expectation should stop the test loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// An escape sequence that would clear the screen, a bell, a terminal
/// title change, and a right-to-left override.
const HAZARDS: [&str; 4] = ["\u{1b}[2J", "\u{7}", "\u{1b}]0;pwned\u{7}", "\u{202e}"];

fn hazardous(text: &str) -> Option<&'static str> {
    HAZARDS
        .iter()
        .copied()
        .find(|h| text.contains(h))
        .or_else(|| {
            text.contains(|c: char| {
                (c.is_control() && !matches!(c, '\n' | '\t')) || c == '\u{202e}'
            })
            .then_some("a control character")
        })
}

/// Runs proviso in `dir`; what it printed, both streams.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_proviso"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .unwrap();
    (
        output.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

fn assert_escaped(what: &str, (code, text): (Option<i32>, String)) -> String {
    if let Some(hazard) = hazardous(&text) {
        panic!("{what} (exit {code:?}) printed {hazard:?} as it is:\n{text}");
    }
    // A line break in user text is escaped too: no line of its own.
    if let Some(line) = text.lines().find(|l| l.trim_start().starts_with("FAKE")) {
        panic!("{what} (exit {code:?}) printed a forged line {line:?}:\n{text}");
    }
    text
}

fn workspace(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("proviso-hazards-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let royalty = std::fs::read_to_string(root.join("examples/royalty.proviso")).unwrap();
    std::fs::write(dir.join("plain.proviso"), &royalty).unwrap();
    // The same contract with hazards in a heading, a label and a legal name.
    let tampered = royalty
        .replace(
            "\"Distribution licence for Ledgerly\"",
            "\"Distribution\u{1b}[2J licence\u{202e}\"",
        )
        .replace(
            "\"distribution of Ledgerly\"",
            "\"distribution\u{7} of \u{1b}]0;pwned\u{7}Ledgerly\"",
        )
        .replace("\"Ledgerly Software Inc.\"", "\"Ledgerly\u{202e} Inc.\"")
        // A line break written in a quotation (`\n`), to forge a line.
        .replace(
            "clause 2 \"Licence\"",
            "clause 2 \"Licence\\nFAKE: Nothing changed.\"",
        );
    assert_ne!(tampered, royalty);
    std::fs::write(dir.join("tampered.proviso"), &tampered).unwrap();
    std::fs::copy(
        root.join("examples/events/royalty.json"),
        dir.join("events.json"),
    )
    .unwrap();
    dir
}

#[test]
fn contract_text_is_escaped_in_the_change_review_and_the_reasoning() {
    let dir = workspace("review");
    let review = assert_escaped(
        "lint --against",
        run(
            &dir,
            &["lint", "plain.proviso", "--against", "tampered.proviso"],
        ),
    );
    assert!(review.contains("\\u{1b}"), "{review}");
    assert_escaped(
        "lint --against, the other way",
        run(
            &dir,
            &["lint", "tampered.proviso", "--against", "plain.proviso"],
        ),
    );
    let report = assert_escaped(
        "eval --explain",
        run(
            &dir,
            &[
                "eval",
                "tampered.proviso",
                "events.json",
                "--as-of",
                "2026-08-31",
                "--explain",
            ],
        ),
    );
    assert!(report.contains("why: "), "{report}");
    // The JSON report keeps the text exact.
    let (_, json) = run(
        &dir,
        &[
            "eval",
            "tampered.proviso",
            "events.json",
            "--as-of",
            "2026-08-31",
            "--format",
            "json",
        ],
    );
    assert!(json.contains("\\u001b[2J"), "{json}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn contract_text_is_escaped_in_the_layout_diff() {
    let dir = workspace("layout");
    // Out of layout, with a hazard in a comment and in the header's title.
    let messy = "contract \"x\u{1b}[2J\"   effective 2026-01-01\n# note \u{1b}]0;title\u{7} \u{202e}\nparty  a \"A\"\n";
    std::fs::write(dir.join("messy.proviso"), messy).unwrap();
    let diff = assert_escaped(
        "fmt --check",
        run(&dir, &["fmt", "--check", "messy.proviso"]),
    );
    assert!(diff.contains("\\u{1b}"), "{diff}");
    // A file whose name holds a line break, with CRLF line ends.
    #[cfg(unix)]
    {
        let name = "n\nFAKE: all formatted.proviso";
        std::fs::write(dir.join(name), messy.replace('\n', "\r\n")).unwrap();
        let diff = assert_escaped("fmt --check, a name", run(&dir, &["fmt", "--check", name]));
        assert!(diff.contains("line endings CRLF"), "{diff}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[cfg(unix)]
fn file_and_scenario_names_are_escaped() {
    let dir = workspace("names");
    let name = "x\u{1b}[31m\u{202e}.proviso";
    std::fs::copy(dir.join("plain.proviso"), dir.join(name)).unwrap();
    let checked = assert_escaped("check", run(&dir, &["check", name]));
    assert!(checked.contains(": ok"), "{checked}");
    let evaluated = assert_escaped(
        "eval",
        run(
            &dir,
            &["eval", name, "events.json", "--as-of", "2026-08-31"],
        ),
    );
    assert!(evaluated.contains("-->"), "{evaluated}");
    let linted = assert_escaped("lint", run(&dir, &["lint", name]));
    assert!(linted.contains(": clean"), "{linted}");
    assert_escaped(
        "lint --against",
        run(&dir, &["lint", name, "--against", "plain.proviso"]),
    );
    // A scenario with a hazard in its name, its file's name and its
    // contract's name, expecting what does not happen: it fails.
    let scenario = "s\u{1b}[31m.scenario.yaml";
    std::fs::write(
        dir.join(scenario),
        format!(
            "name: \"evil \\e[31m \\u202e\"\ncontract: \"{name}\"\nas-of: 2026-08-31\nevents-file: events.json\nexpect:\n  violations: [{{clause: \"2\"}}]\n"
        ),
    )
    .unwrap();
    let tested = assert_escaped("test", run(&dir, &["test", scenario]));
    assert!(tested.contains("FAIL evil"), "{tested}");
    assert!(tested.contains("interpretation snapshot"), "{tested}");
    std::fs::remove_dir_all(&dir).unwrap();
}
