//! `proviso test` through the real binary: what it prints for a passing
//! suite and for each kind of failure (insta snapshots), exit codes,
//! `--update`, `--junit`, `--filter`, and coverage. Each test works in a
//! folder of its own under the system's temporary folder, named `TMP` in
//! the snapshots.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

const FLAGSHIP: &str = include_str!("../contracts/microsoft-openai-2025.proviso");

fn settings() -> insta::Settings {
    common::snapshots_in("test")
}

/// A fresh folder holding the given files.
fn workspace(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("proviso-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Runs `proviso test` in a folder; returns the exit code and what it
/// printed, with the folder's path written `TMP`.
fn test_in(dir: &Path, args: &[&str], ci: bool) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_proviso"));
    command
        .arg("--color")
        .arg("never")
        .arg("test")
        .args(args)
        .current_dir(dir);
    if ci {
        command.env("CI", "true");
    } else {
        command.env_remove("CI");
    }
    let output = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().unwrap(),
        text.replace(&dir.display().to_string(), "TMP"),
    )
}

const REVENUE: &str = r#"name: Revenue share for 2026-Q1
contract: ../contract.proviso
as-of: 2026-09-30
events:
  - {type: report_revenue, date: 2026-04-20, id: rev-q1, by: openai, quarter: 2026-Q1, amount: "USD 10,000,000.00"}
expect:
  # 20% of USD 10,000,000.00, due 2026-03-31 + 45 days.
  obligations:
    - {clause: 1, period: 2026-Q1, amount: "USD 2,000,000.00", due: 2026-05-15, status: overdue}
"#;

const SERVE: &str = r#"name: A joint API product served on AWS
contract: ../contract.proviso
as-of: 2026-12-31
events:
  - {type: serve, date: 2026-08-01, id: s-1, by: openai, product: joint api, kind: api_product, cloud: aws, customer: commercial, with_third_party: true}
expect:
  violations:
    - {clause: 4, event: s-1}
"#;

#[test]
fn a_passing_suite_writes_its_snapshots_then_passes() {
    let dir = workspace(
        "passing",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/revenue.scenario.yaml", REVENUE),
            ("s/serve.scenario.yaml", SERVE),
        ],
    );
    let (code, first) = test_in(&dir, &["s"], false);
    assert_eq!(code, 0, "{first}");
    let (code, second) = test_in(&dir, &["s"], false);
    assert_eq!(code, 0, "{second}");
    settings().bind(|| {
        insta::assert_snapshot!("passing-first-run", first);
        insta::assert_snapshot!("passing-second-run", second);
    });
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_changed_amount_fails_with_the_difference_and_update_accepts_it() {
    let dir = workspace(
        "amount",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/revenue.scenario.yaml", REVENUE),
        ],
    );
    assert_eq!(test_in(&dir, &["s"], false).0, 0);
    let edited = FLAGSHIP.replace("pay microsoft 20% of", "pay microsoft 25% of");
    assert_ne!(edited, FLAGSHIP);
    std::fs::write(dir.join("contract.proviso"), edited).unwrap();
    let (code, output) = test_in(&dir, &["s"], false);
    assert_eq!(code, 1, "{output}");
    settings().bind(|| insta::assert_snapshot!("amount-changed", output));

    // Accepting the new interpretation does not make a wrong expectation
    // right: the scenario still fails on its amount, but no longer on the
    // snapshot.
    let (code, output) = test_in(&dir, &["s", "--update"], false);
    assert_eq!(code, 1);
    assert!(
        output.contains("updated interpretation snapshot"),
        "{output}"
    );
    assert!(!output.contains("the interpretation changed"), "{output}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_violation_that_disappears_fails() {
    let dir = workspace(
        "violation-gone",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/serve.scenario.yaml", SERVE),
        ],
    );
    assert_eq!(test_in(&dir, &["s"], false).0, 0);
    // Clause 4 narrowed: only API products built with two third parties.
    let edited = FLAGSHIP.replace(
        "openai must not serve where kind is api_product and with_third_party",
        "openai must not serve where kind is api_product and with_third_party and customer is us_national_security",
    );
    assert_ne!(edited, FLAGSHIP);
    std::fs::write(dir.join("contract.proviso"), edited).unwrap();
    let (code, output) = test_in(&dir, &["s"], false);
    assert_eq!(code, 1, "{output}");
    settings().bind(|| insta::assert_snapshot!("violation-disappeared", output));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_expected_error_that_does_not_occur_fails() {
    let scenario = r#"name: A misspelt event type is refused
contract: ../contract.proviso
as-of: 2026-12-31
events:
  - {type: report_revenue, date: 2026-04-20, by: openai, quarter: 2026-Q1, amount: "USD 1.00"}
error: E0603
"#;
    let dir = workspace(
        "error-expected",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/e.scenario.yaml", scenario),
        ],
    );
    let (code, output) = test_in(&dir, &["s"], false);
    assert_eq!(code, 1, "{output}");
    settings().bind(|| insta::assert_snapshot!("expected-error-missing", output));

    // And it passes when the error does occur.
    let refused = scenario.replace("type: report_revenue", "type: report_revenu");
    std::fs::write(dir.join("s/e.scenario.yaml"), refused).unwrap();
    std::fs::remove_file(dir.join("s/e.interpretation.txt")).unwrap();
    let (code, output) = test_in(&dir, &["s"], false);
    assert_eq!(code, 0, "{output}");
    let snapshot = std::fs::read_to_string(dir.join("s/e.interpretation.txt")).unwrap();
    assert!(snapshot.contains("E0603"), "{snapshot}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn no_violations_expected_but_one_reported_fails() {
    let scenario = SERVE.replace(
        "  violations:\n    - {clause: 4, event: s-1}\n",
        "  violations: []\n",
    );
    let dir = workspace(
        "none-expected",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/serve.scenario.yaml", &scenario),
        ],
    );
    let (code, output) = test_in(&dir, &["s"], false);
    assert_eq!(code, 1, "{output}");
    settings().bind(|| insta::assert_snapshot!("no-violations-expected", output));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_missing_snapshot_fails_under_ci_and_nothing_is_written() {
    let dir = workspace(
        "ci",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/revenue.scenario.yaml", REVENUE),
        ],
    );
    let (code, output) = test_in(&dir, &["s"], true);
    assert_eq!(code, 1, "{output}");
    assert!(!dir.join("s/revenue.interpretation.txt").exists());
    settings().bind(|| insta::assert_snapshot!("missing-snapshot-ci", output));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_malformed_scenario_is_a_diagnostic_with_its_place() {
    let scenario = r#"name: Broken
contract: ../contract.proviso
as-of: 2026-02-30
expect:
  obligations:
    - {clause: 1, amout: "USD 1.00"}
  violatons: []
"#;
    let dir = workspace(
        "malformed",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/broken.scenario.yaml", scenario),
        ],
    );
    let (code, output) = test_in(&dir, &["s"], false);
    assert_eq!(code, 2, "{output}");
    settings().bind(|| insta::assert_snapshot!("malformed-scenario", output));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn mistakes_in_inline_events_are_told_in_yaml_terms() {
    // The fixes shown are written as YAML, without JSON's quotes.
    let scenario = r#"name: Typed by hand
contract: ../contract.proviso
as-of: 2026-12-31
events:
  - {type: report_revenue, date: 2026-04-20, by: opnai, quarter: 2026-Q1, amount: 10000000.00}
  - {type: buy_compute, date: 20260801, by: openai, amount: USD 5.00}
expect:
  violations: []
"#;
    let dir = workspace(
        "inline-yaml",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/typed.scenario.yaml", scenario),
        ],
    );
    // Refused input fails the scenario; the diagnostics are its interpretation.
    let (code, output) = test_in(&dir, &["s"], false);
    assert_eq!(code, 1, "{output}");
    let interpretation = std::fs::read_to_string(dir.join("s/typed.interpretation.txt")).unwrap();
    let refused = interpretation.split("The input is refused").nth(1).unwrap();
    assert!(!refused.contains('"'), "{interpretation}");
    settings().bind(|| insta::assert_snapshot!("inline-events-in-yaml-terms", interpretation));
    std::fs::remove_dir_all(dir).unwrap();
}

/// Copies the project's `contracts` folder (contracts and scenarios with
/// their accepted snapshots) into a workspace.
fn copy_of_contracts(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts");
    let mut files: Vec<(String, String)> = Vec::new();
    let mut work = vec![root.clone()];
    while let Some(dir) = work.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                work.push(path);
            } else {
                let relative = path.strip_prefix(&root).unwrap().display().to_string();
                files.push((
                    format!("contracts/{relative}"),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    workspace(name, &borrowed)
}

#[test]
fn editing_one_percentage_fails_exactly_the_scenarios_it_affects() {
    let dir = copy_of_contracts("percentage");
    let (code, output) = test_in(&dir, &["contracts"], true);
    assert_eq!(code, 0, "the accepted snapshots pass as they are: {output}");

    let flagship = dir.join("contracts/microsoft-openai-2025.proviso");
    let text = std::fs::read_to_string(&flagship).unwrap();
    std::fs::write(
        &flagship,
        text.replace("pay microsoft 20% of", "pay microsoft 19% of"),
    )
    .unwrap();
    let (code, output) = test_in(&dir, &["contracts"], true);
    assert_eq!(code, 1, "{output}");
    let failed: Vec<&str> = output.lines().filter(|l| l.starts_with("FAIL ")).collect();
    assert_eq!(
        failed,
        [
            "FAIL Revenue share stops with revenue earned before AGI is verified, not when it is declared (contracts/scenarios/revenue-and-agi.scenario.yaml)",
            "FAIL Revenue share per quarter, paid and overdue (contracts/scenarios/revenue-share.scenario.yaml)",
        ],
        "{output}"
    );
    assert!(output.contains(
        "-  clause 1 \"Revenue share\": openai owes microsoft USD 2,000,000.00 for 2026-Q1"
    ));
    assert!(output.contains(
        "+  clause 1 \"Revenue share\": openai owes microsoft USD 1,900,000.00 for 2026-Q1"
    ));

    // Accepting the change rewrites the snapshots whole, leaving no
    // temporary file behind.
    let (_, output) = test_in(&dir, &["contracts", "--update"], true);
    assert_eq!(
        output.matches("updated interpretation snapshot").count(),
        2,
        "{output}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("contracts/scenarios"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // The snapshots now pass; the amounts the scenarios expect still fail.
    let (_, output) = test_in(&dir, &["contracts"], true);
    assert!(!output.contains("the interpretation changed"), "{output}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn coverage_names_a_clause_no_scenario_exercises() {
    let dir = copy_of_contracts("coverage");
    let flagship = dir.join("contracts/microsoft-openai-2025.proviso");
    let mut text = std::fs::read_to_string(&flagship).unwrap();
    text.push_str(
        "\nclause 9 \"No competing models\"\n  text \"Microsoft shall not release models of its own.\"\n  microsoft must not release where kind is model\n",
    );
    std::fs::write(&flagship, text).unwrap();
    // A filter that matches nothing runs nothing: an error, not a pass.
    let (code, output) = test_in(
        &dir,
        &["contracts", "--filter", "nothing-matches-this"],
        false,
    );
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains("error: no scenario ran: none under contracts has `nothing-matches-this`"),
        "{output}"
    );
    let (_, output) = test_in(&dir, &["contracts", "--update"], false);
    assert!(
        output.contains(
            "warning: no scenario exercises this clause of contracts/microsoft-openai-2025.proviso (no finding came from it, and it decided nothing):\n  clause 9 \"No competing models\"\n"
        ),
        "{output}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn junit_and_filter() {
    let dir = workspace(
        "junit",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/revenue.scenario.yaml", REVENUE),
            ("s/serve.scenario.yaml", SERVE),
        ],
    );
    let (code, output) = test_in(
        &dir,
        &["s", "--filter", "AWS", "--junit", "results.xml"],
        false,
    );
    assert_eq!(code, 0, "{output}");
    assert!(output.ends_with("1 passed, 0 failed\n"), "{output}");
    let xml = std::fs::read_to_string(dir.join("results.xml")).unwrap();
    assert!(xml.contains("tests=\"1\" failures=\"0\""), "{xml}");
    assert!(
        xml.contains("name=\"A joint API product served on AWS\""),
        "{xml}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_broken_suite_is_invalid_input_not_a_pass() {
    // A scenario that expects nothing, and one whose contract is missing.
    let empty = "contract: ../contract.proviso\nas-of: 2026-12-31\nexpect: {}\n";
    let missing = REVENUE.replace("../contract.proviso", "../no-such-contract.proviso");
    let dir = workspace(
        "broken-suite",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/empty.scenario.yaml", empty),
            ("t/missing.scenario.yaml", &missing),
        ],
    );
    let (code, output) = test_in(&dir, &["s"], false);
    assert_eq!(code, 2, "{output}");
    assert!(output.contains("the scenario expects nothing"), "{output}");
    let (code, output) = test_in(&dir, &["t"], false);
    assert_eq!(code, 2, "{output}");
    // Named as the scenario writes it, not by where proviso runs; and no
    // snapshot is kept of it.
    assert!(
        output.contains("cannot read `../no-such-contract.proviso`"),
        "{output}"
    );
    assert!(!dir.join("t/missing.interpretation.txt").exists());
    // No scenario at all: exit 2.
    std::fs::create_dir_all(dir.join("u")).unwrap();
    let (code, _) = test_in(&dir, &["u"], false);
    assert_eq!(code, 2);
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn linked_folders_are_not_followed() {
    let dir = workspace(
        "links",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/revenue.scenario.yaml", REVENUE),
        ],
    );
    // Two links back to the folder itself: following them would never end.
    std::os::unix::fs::symlink(".", dir.join("s/a")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("s/b")).unwrap();
    let (code, output) = test_in(&dir, &["s"], false);
    assert_eq!(code, 0, "{output}");
    assert!(output.ends_with("1 passed, 0 failed\n"), "{output}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_snapshot_with_windows_line_ends_still_matches() {
    let dir = workspace(
        "crlf",
        &[
            ("contract.proviso", FLAGSHIP),
            ("s/revenue.scenario.yaml", REVENUE),
        ],
    );
    assert_eq!(test_in(&dir, &["s"], false).0, 0);
    let path = dir.join("s/revenue.interpretation.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    let (code, output) = test_in(&dir, &["s"], true);
    assert_eq!(code, 0, "{output}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Runs `proviso` and waits at most `seconds` for it: a command that
/// would wait for ever fails the test instead of hanging it.
#[cfg(unix)]
fn within(seconds: u64, args: &[&str]) -> std::process::Output {
    use std::time::{Duration, Instant};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_proviso"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(seconds) {
            child.kill().unwrap();
            panic!("`proviso {}` did not finish in {seconds} s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
#[cfg(unix)]
fn a_pipe_named_like_a_scenario_or_named_as_a_contract_is_not_read() {
    let dir = std::env::temp_dir().join(format!("proviso-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mkfifo = |path: &std::path::Path| {
        std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .is_ok_and(|s| s.success())
    };
    // A FIFO named like a scenario, beside a scenario whose contract is a FIFO.
    if !mkfifo(&dir.join("waiting.scenario.yaml")) || !mkfifo(&dir.join("contract.proviso")) {
        std::fs::remove_dir_all(&dir).unwrap();
        return; // no mkfifo here
    }
    std::fs::write(
        dir.join("real.scenario.yaml"),
        "name: A contract that is a pipe\ncontract: contract.proviso\nas-of: 2026-01-01\nexpect:\n  violations: []\n",
    )
    .unwrap();
    let output = within(20, &["test", "--color", "never", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The pipe named like a scenario is skipped; the scenario whose
    // contract is a pipe is refused as unreadable (exit 2), not hung on.
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("it is not a regular file"),
        "{stdout}{stderr}"
    );
}

#[test]
#[cfg(unix)]
fn a_snapshot_that_is_a_pipe_is_neither_read_nor_written() {
    let dir = std::env::temp_dir().join(format!("proviso-fifo-snapshot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("c.proviso"), FLAGSHIP).unwrap();
    std::fs::write(
        dir.join("f.scenario.yaml"),
        "name: f\ncontract: c.proviso\nas-of: 2026-12-31\nexpect:\n  violations: []\n",
    )
    .unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("f.interpretation.txt"))
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        std::fs::remove_dir_all(&dir).unwrap();
        return;
    }
    for update in [false, true] {
        let mut args = vec!["test", "--color", "never"];
        if update {
            args.push("--update");
        }
        args.push(dir.to_str().unwrap());
        let output = within(20, &args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(text.contains("it is not a regular file"), "{text}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[cfg(unix)]
fn junit_into_a_pipe_or_a_device_writes_into_it_and_never_replaces_it() {
    use std::io::Read;
    let dir = std::env::temp_dir().join(format!("proviso-junit-special-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("report.xml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        std::fs::remove_dir_all(&dir).unwrap();
        return;
    }
    // A reader waits on the pipe while `proviso test` writes the report.
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let output = within(
        30,
        &["test", "contracts", "--junit", fifo.to_str().unwrap()],
    );
    // The pipe is still a pipe (checked first: were it replaced, the
    // reader would wait for ever).
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let received = reader.join().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(received.contains("<testsuite"), "{received}");
    std::fs::remove_dir_all(&dir).unwrap();
    // /dev/null stays a device.
    if std::path::Path::new("/dev/null").exists() {
        let output = within(30, &["test", "contracts", "--junit", "/dev/null"]);
        assert_eq!(output.status.code(), Some(0));
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
}

#[test]
#[cfg(unix)]
fn a_scenario_cannot_read_or_write_outside_the_suite() {
    // A secret beside the suite, and a contract outside it.
    let outside = workspace(
        "outside-secret",
        &[
            ("secret.txt", "TOP SECRET: do not print\n"),
            ("contract.proviso", FLAGSHIP),
        ],
    );
    let secret = outside.join("secret.txt");
    let contract = outside.join("contract.proviso");
    let suite = workspace(
        "outside-suite",
        &[
            (
                "reads.scenario.yaml",
                &format!(
                    "contract: {}\nas-of: 2026-12-31\nexpect:\n  violations: []\n",
                    contract.display()
                ),
            ),
            (
                "writes.scenario.yaml",
                "contract: inside.proviso\nas-of: 2026-12-31\nexpect:\n  violations: []\n",
            ),
            ("inside.proviso", FLAGSHIP),
        ],
    );
    // The snapshot of the second scenario is a link to the secret.
    std::os::unix::fs::symlink(&secret, suite.join("writes.interpretation.txt")).unwrap();
    let (code, text) = test_in(&suite, &["--update", "."], false);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("outside the folder `proviso test` runs in"),
        "{text}"
    );
    assert!(!text.contains("TOP SECRET"), "{text}");
    // The secret is untouched, and still the file the link points to.
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "TOP SECRET: do not print\n"
    );
    // Given leave, the contract outside is read.
    std::fs::remove_file(suite.join("writes.interpretation.txt")).unwrap();
    std::fs::remove_file(suite.join("writes.scenario.yaml")).unwrap();
    let (code, text) = test_in(&suite, &["--allow-outside", "."], false);
    assert_eq!(code, 0, "{text}");
    std::fs::remove_dir_all(&suite).unwrap();
    std::fs::remove_dir_all(&outside).unwrap();
}

/// A scenario named by its bare file name, run in its own folder: its
/// snapshot, not yet written, lies in that folder too.
#[test]
fn a_scenario_named_without_a_folder_writes_its_first_snapshot_beside_it() {
    let dir = workspace(
        "bare-name",
        &[
            (
                "fee.scenario.yaml",
                "contract: inside.proviso\nas-of: 2026-12-31\nexpect:\n  violations: []\n",
            ),
            ("inside.proviso", FLAGSHIP),
        ],
    );
    let (code, text) = test_in(&dir, &["fee.scenario.yaml"], false);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("1 passed, 0 failed"), "{text}");
    assert!(dir.join("fee.interpretation.txt").is_file());
    // Once written, it is read from there.
    let (code, text) = test_in(&dir, &["fee.scenario.yaml"], true);
    assert_eq!(code, 0, "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Files and scenarios are worked on in parallel and printed in the order
/// given: one thread or several, the same bytes.
#[test]
fn the_output_does_not_depend_on_the_number_of_threads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |threads: &str, args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_proviso"))
            .args(args)
            .current_dir(root)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        (output.status.code(), output.stdout, output.stderr)
    };
    let mut files: Vec<String> = Vec::new();
    for dir in ["contracts", "examples", "tests/valid", "tests/check"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "proviso") {
                files.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    files.sort();
    for command in ["check", "lint"] {
        let mut args = vec![command, "--color", "never"];
        args.extend(files.iter().map(String::as_str));
        assert_eq!(run("1", &args), run("4", &args), "{command}");
    }
    let args = ["test", "--color", "never", "contracts", "examples"];
    assert_eq!(run("1", &args), run("4", &args), "test");
}
