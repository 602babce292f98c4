//! `proviso check` through the real binary: every broken file in
//! `tests/check/` gives exit 2 and a diagnostic whose rendered text is an
//! insta snapshot; the flagship contracts and the examples check cleanly.

// Test code: a failed expectation should stop the test loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

mod common;
use common::{assert_checks, proviso};

fn files_in(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .expect("directory exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "proviso"))
        .map(|p| {
            p.strip_prefix(root)
                .expect("inside the project")
                .to_path_buf()
        })
        .collect();
    files.sort();
    files
}

fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/check");
    settings.set_prepend_module_to_snapshot(false);
    settings
}

#[test]
fn every_broken_file_gives_exit_2_and_a_reviewed_diagnostic() {
    let files = files_in("tests/check");
    assert!(files.len() >= 40, "the corpus has {} files", files.len());
    let settings = snapshot_settings();
    for file in files {
        let path = file.to_str().expect("utf-8 path");
        let output = proviso(&["check", "--color", "never", path]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{path}: {stderr}");
        assert!(!stderr.contains("panicked"), "{path} panicked: {stderr}");
        assert!(stderr.contains("× "), "{path} has no diagnostic: {stderr}");
        let name = file
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        settings.bind(|| insta::assert_snapshot!(name, stderr));
    }
}

#[test]
fn contracts_and_examples_check_cleanly() {
    let mut args = vec!["check".to_string(), "--color".into(), "never".into()];
    // The editor's highlighting samples are clause files too (all but the
    // one that shows what is refused).
    let samples = files_in("editors/vscode/tests")
        .into_iter()
        .filter(|f| !f.ends_with("rejected.proviso"));
    let files: Vec<PathBuf> = files_in("contracts")
        .into_iter()
        .chain(files_in("examples"))
        .chain(samples)
        .collect();
    assert!(files.len() >= 7);
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = proviso(&args);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout.lines().count(), files.len());
    assert!(stdout.lines().all(|l| l.contains(": ok (")), "{stdout}");
}

/// Writes a generated file to a fresh temporary folder.
fn generated(name: &str, contents: &[u8]) -> (tempdir::Dir, String) {
    let dir = tempdir::Dir::new();
    let path = dir.path.join(name);
    std::fs::write(&path, contents).expect("write");
    let shown = path.display().to_string();
    (dir, shown)
}

mod tempdir {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A folder under the target directory, removed when dropped.
    pub struct Dir {
        pub path: PathBuf,
    }

    impl Dir {
        pub fn new() -> Dir {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("check-{}-{n}", std::process::id()));
            std::fs::create_dir_all(&path).expect("create temp dir");
            Dir { path }
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Runs `check` on a generated file and returns its diagnostics with the
/// temporary path replaced, for a stable snapshot.
fn check_generated(name: &str, contents: &[u8]) -> String {
    let (_dir, path) = generated(name, contents);
    let output = proviso(&["check", "--color", "never", &path]);
    let stderr = String::from_utf8_lossy(&output.stderr).replace(&path, name);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

const HEADER: &str = "contract \"Test\"\n  effective 2026-01-01\n  term through 2026-12-31\n  settlement by payment\n\
    party alpha \"Alpha\"\nparty beta \"Beta\"\nevent payment by party { to: party, amount: money }\n";

#[test]
fn nesting_100_000_levels_deep_is_a_diagnostic() {
    // Brackets on lines of 80, so that the snapshot shows a short line.
    let mut text = format!("{HEADER}clause 1 \"Deep\"\n  alpha must pay beta\n");
    for _ in 0..(100_000 / 80) {
        text.push_str(&"(".repeat(80));
        text.push('\n');
    }
    text.push_str("USD 1\n");
    let stderr = check_generated("deep.proviso", text.as_bytes());
    snapshot_settings().bind(|| insta::assert_snapshot!("generated-nesting-100000", stderr));
}

#[test]
fn long_chains_without_brackets_are_a_diagnostic() {
    // `of` and `capped at` nest the tree without brackets.
    let chain = "1% of ".repeat(100_000);
    let text =
        format!("{HEADER}clause 1 \"Chain\"\n  alpha must pay beta {chain}USD 1 due 2026-03-01\n");
    let stderr = check_generated("chain.proviso", text.as_bytes());
    assert!(stderr.contains("E0502"), "{stderr}");
    // A hundred thousand `not`s and minus signs collapse without nesting.
    let nots = "not ".repeat(100_000);
    let text = format!(
        "{HEADER}event serve by party {{ api: bool }}\nclause 1 \"Nots\"\n  alpha must not serve where {nots}api\n  alpha must pay beta {} USD 1 due 2026-03-01\n",
        "- ".repeat(100_000)
    );
    let (_dir, path) = generated("nots.proviso", text.as_bytes());
    assert_checks(&path);
}

#[test]
fn a_10_mb_file_is_a_diagnostic() {
    let mut text = String::from(HEADER);
    let clause = "clause 1 \"Fee\"\n  alpha must pay beta USD 1,000 due 2026-03-01\n";
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(clause);
    }
    let stderr = check_generated("huge.proviso", text.as_bytes());
    snapshot_settings().bind(|| insta::assert_snapshot!("generated-10mb", stderr));
}

#[test]
fn a_file_of_many_errors_stops_after_the_limit() {
    let mut text = String::from(HEADER);
    for i in 1..=5_000 {
        text.push_str(&format!(
            "clause {i} \"Fee\"\n  alpha must pya beta USD 1,000 due 2026-03-01\n"
        ));
    }
    let stderr = check_generated("many.proviso", text.as_bytes());
    assert!(stderr.contains("E0506"), "{stderr}");
    // The hundred problems, then the note that reading stopped.
    assert_eq!(stderr.matches("  × ").count(), 101, "{stderr}");
    // The same for problems found in values rather than in the grammar.
    let mut text = String::from(HEADER);
    for i in 1..=5_000 {
        text.push_str(&format!(
            "clause {i} \"Fee\"\n  alpha must pay beta USD 1,00 due 2026-03-01\n"
        ));
    }
    let stderr = check_generated("many-values.proviso", text.as_bytes());
    assert!(stderr.contains("E0506"), "{stderr}");
    assert_eq!(stderr.matches("  × ").count(), 101, "{stderr}");
}

#[test]
fn a_missing_file_is_a_diagnostic() {
    let output = proviso(&["check", "--color", "never", "tests/no-such-file.proviso"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("E0505"), "{stderr}");
}

#[test]
fn json_output_names_file_line_and_column() {
    let output = proviso(&[
        "check",
        "--format",
        "json",
        "tests/check/misspelt-party.proviso",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    snapshot_settings().bind(|| insta::assert_json_snapshot!("json-misspelt-party", json));
}

#[test]
fn every_problem_in_a_file_is_reported() {
    let output = proviso(&[
        "check",
        "--color",
        "never",
        "tests/check/several-errors.proviso",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // A misspelt party (line 17), a misspelt keyword (line 20) and an
    // impossible date (line 23); clause 4 is fine.
    for code in ["E0204", "E0101", "E0103"] {
        assert!(stderr.contains(code), "{code} missing: {stderr}");
    }
    assert!(stderr.contains("error: 3 problems in 1 file"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(proviso(&["check"]).status.code(), Some(2));
    assert_eq!(proviso(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(proviso(&["--help"]).status.code(), Some(0));
}

#[test]
fn a_file_using_every_construct_checks_cleanly() {
    let output = proviso(&[
        "check",
        "--color",
        "never",
        "tests/valid/every-construct.proviso",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_diagnostic_code_is_documented() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .expect("docs/diagnostics.md exists");
    let lints =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lints.md"))
            .expect("docs/lints.md exists");
    for code in proviso::Code::ALL {
        let heading = format!("## {} {}", code.as_str(), code.slug());
        // Lint rules (L codes) are documented in the lint catalogue.
        let (doc, name) = if code.as_str().starts_with('L') {
            (&lints, "docs/lints.md")
        } else {
            (&docs, "docs/diagnostics.md")
        };
        assert!(doc.contains(&heading), "{name} has no section `{heading}`");
    }
}

#[test]
fn a_byte_order_mark_and_windows_line_endings_are_accepted() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts/microsoft-openai-2025.proviso"),
    )
    .expect("flagship");
    let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let (_dir, path) = generated("windows.proviso", windows.as_bytes());
    assert_checks(&path);
}

/// Inputs found by review that once crashed or hung proviso.
#[test]
fn nesting_without_brackets_and_backtracking_are_bounded() {
    let header = "contract \"T\"\n  effective 2026-01-01\n  term through 2028-12-31\n  currency USD\n  settlement by payment\n\
        party a \"A\"\nparty b \"B\"\nevent payment by party { to: party, amount: money }\n\
        event sell by party { net: money, d: date, units: count, ok: bool }\n";
    let cases = [
        (
            "totals.proviso",
            format!(
                "{header}clause 1\n  a must pay b {}USD 1 for each quarter due 2026-01-01\n",
                "total sell.net where net > ".repeat(500)
            ),
        ),
        (
            "days.proviso",
            format!(
                "{header}clause 1\n  a must pay b USD 1 * ({}sell.d{}) on each sell due 2026-01-01\n",
                "days from ".repeat(8000),
                " to sell.d".repeat(8000)
            ),
        ),
        (
            "tiers.proviso",
            format!(
                "{header}clause 1\n  a must pay b {}sell.net{} on each sell due 2026-01-01\n",
                "tiers of ".repeat(8000),
                " (above: USD 1)".repeat(8000)
            ),
        ),
        ("backtracking.proviso", {
            let mut x = String::from("ok");
            for _ in 0..22 {
                x = format!("(ok and (total sell.net where {x}) > USD 0)");
            }
            format!(
                "{header}clause 1\n  a must pay b USD 1 * (total sell.net where {x}) for each quarter due 2026-01-01\n"
            )
        }),
    ];
    for (name, text) in cases {
        let started = std::time::Instant::now();
        let stderr = check_generated(name, text.as_bytes());
        assert!(stderr.contains("× "), "{name}: {stderr}");
        // Not a timing test: a generous bound that only a hang would break.
        assert!(
            started.elapsed().as_secs() < 60,
            "{name} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn old_mac_line_endings_lose_nothing() {
    let text = "contract \"T\"\r effective 2026-01-01\r term through 2028-12-31\r settlement by payment\r\
        party a\rparty b\revent payment by party { to: party, amount: money }\r\
        clause 1 \"Fee\" # signing fee\r a must pay b USD 100 due 2026-02-01\r\
        clause 2\r a must pay b USD 1000000 due 2026-02-01\r";
    let (_dir, path) = generated("mac.proviso", text.as_bytes());
    let output = assert_checks(&path);
    assert!(String::from_utf8_lossy(&output.stdout).contains("ok (2 clauses)"));
}
