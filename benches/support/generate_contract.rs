//! Writes a generated contract of N clauses (`benches/generated.rs`, the
//! one the parse benchmark uses) to standard output, for measuring the
//! whole command:
//!
//! ```text
//! cargo run --release --example generate-contract -- 10000 > /tmp/c10k.proviso
//! /usr/bin/time -f "%e s %M KB" target/release/proviso check /tmp/c10k.proviso
//! ```

use std::io::Write;

#[path = "../generated.rs"]
mod generated;

fn main() -> std::io::Result<()> {
    let count = std::env::args()
        .nth(1)
        .and_then(|a| a.replace('_', "").parse::<usize>().ok())
        .unwrap_or(1_000);
    let mut out = std::io::stdout().lock();
    out.write_all(generated::contract(count).as_bytes())?;
    out.flush()
}
