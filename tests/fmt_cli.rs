//! `proviso fmt` through the real binary: in place, `--check`, standard
//! input, a file that does not parse, and the shipped contracts already
//! formatted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Command, Stdio};

mod common;
use common::proviso;

const MESSY: &str = r#"contract "Fee" effective 2026-01-01 term through 2026-12-31  # one year
party lender   "First Bank"
party borrower "Acme Ltd"
event payment by party { to: party, amount: money }
clause 1 "Fee"
  # The arrangement fee.
  borrower must pay lender USD 1,000 due 2026-03-31 settled by payment
"#;

const TIDY: &str = r#"contract "Fee"
  effective 2026-01-01
  term through 2026-12-31  # one year

party lender "First Bank"
party borrower "Acme Ltd"

event payment by party {
  to: party,
  amount: money,
}

clause 1 "Fee"
  # The arrangement fee.
  borrower must pay lender USD 1,000
    due 2026-03-31
    settled by payment
"#;

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("proviso-fmt-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_file_is_rewritten_in_place_and_then_left_alone() {
    let dir = tempdir("in-place");
    let path = dir.join("fee.proviso");
    std::fs::write(&path, MESSY).unwrap();
    let output = proviso(&["fmt", path.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), TIDY);
    // Formatted already: --check is clean and says nothing.
    let output = proviso(&["fmt", "--check", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    // No temporary file left beside it.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["fee.proviso"]);
}

#[test]
fn check_prints_a_diff_writes_nothing_and_exits_1() {
    let dir = tempdir("check");
    let path = dir.join("fee.proviso");
    std::fs::write(&path, MESSY).unwrap();
    let output = proviso(&["fmt", "--check", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(diff.contains("fee.proviso (as written)") && diff.contains("fee.proviso (formatted)"));
    assert!(diff.contains("-party lender   \"First Bank\""), "{diff}");
    assert!(diff.contains("+party lender \"First Bank\""), "{diff}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), MESSY);
}

#[test]
fn a_file_that_does_not_parse_exits_2_untouched_and_the_others_are_formatted() {
    let dir = tempdir("broken");
    let broken = dir.join("broken.proviso");
    let text = "contract \"X\" effective 2026-13-01\nparty a   \"A\"\n";
    std::fs::write(&broken, text).unwrap();
    let good = dir.join("good.proviso");
    std::fs::write(&good, MESSY).unwrap();
    let output = proviso(&[
        "fmt",
        "--color",
        "never",
        broken.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("E0103"), "{stderr}");
    assert!(
        stderr.contains("does not parse, so it was not formatted"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), text);
    assert_eq!(std::fs::read_to_string(&good).unwrap(), TIDY);
}

#[test]
fn standard_input_to_standard_output() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_proviso"))
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(MESSY.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), TIDY);
}

#[test]
fn the_shipped_contracts_and_examples_are_formatted() {
    let mut files: Vec<String> = ["contracts", "examples"]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "proviso"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["fmt", "--check"];
    args.extend(files.iter().map(String::as_str));
    let output = proviso(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// A pipe cannot be rewritten in place: refused at once, nothing read from
/// it (a writer waiting on it is not consumed).
#[test]
#[cfg(unix)]
fn a_pipe_is_refused_for_formatting_in_place_without_waiting() {
    let dir = tempdir("fifo");
    let fifo = dir.join("pipe.proviso");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        std::fs::remove_dir_all(&dir).unwrap();
        return;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_proviso"))
        .args(["fmt", fifo.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Not a timing test: a generous bound that only a hang would break.
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed().as_secs() > 30 {
            child.kill().unwrap();
            panic!("`proviso fmt` waited on a pipe");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is not a regular file"), "{stderr}");
    assert!(stderr.contains("proviso fmt - < FILE"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}
