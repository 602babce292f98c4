//! Helpers shared by the integration tests.

#![allow(dead_code, clippy::expect_used)]

use std::process::{Command, Output};

/// insta settings that keep a command's snapshots in `tests/snapshots/FOLDER`.
pub fn snapshots_in(folder: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(format!("snapshots/{folder}"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// Runs the real `proviso` binary from the project's root.
pub fn proviso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_proviso"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("proviso runs")
}

/// Asserts that `proviso check` accepts a file.
pub fn assert_checks(path: &str) -> Output {
    let output = proviso(&["check", "--color", "never", path]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{path}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs the real `proviso` binary with `input` on its standard input.
pub fn proviso_with_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_proviso"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("proviso runs");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input).expect("input written");
    }
    child.wait_with_output().expect("proviso runs")
}
