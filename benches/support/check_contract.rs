//! `proviso check` of one file without the 8 MiB limit on its size, so
//! that a generated contract of 100,000 clauses (23 MB) can be measured as
//! a whole process:
//!
//! ```text
//! cargo run --release --example generate-contract -- 100000 > /tmp/c100k.proviso
//! cargo build --release --example check-contract
//! /usr/bin/time -f "%e s %M KB" target/release/examples/check-contract /tmp/c100k.proviso
//! ```
//!
//! It reads, parses and checks as the command does, and prints the number
//! of clauses, or the first problem.

use std::process::ExitCode;

use proviso::{Limits, load};

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: check-contract FILE");
        return ExitCode::FAILURE;
    };
    let limits = Limits {
        max_file_bytes: usize::MAX / 2,
        ..Limits::default()
    };
    let source = match load::read_file(std::path::Path::new(&path), &limits) {
        Ok(source) => source,
        Err(error) => {
            eprintln!("{}", error.diagnostic.message);
            return ExitCode::FAILURE;
        }
    };
    let outcome = proviso::check_source(&source, &limits);
    match (&outcome.checked, outcome.diagnostics.first()) {
        (Some(checked), None) => {
            println!(
                "{}: ok ({} clauses)",
                source.name(),
                checked.file.clauses.len()
            );
            ExitCode::SUCCESS
        }
        (_, first) => {
            eprintln!(
                "{} problems; the first: {:?}",
                outcome.diagnostics.len(),
                first.map(|d| &d.message)
            );
            ExitCode::FAILURE
        }
    }
}
