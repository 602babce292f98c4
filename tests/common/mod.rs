//! Helpers shared by the integration tests.

#![allow(dead_code, clippy::expect_used)]

use std::process::{Command, Output};

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
