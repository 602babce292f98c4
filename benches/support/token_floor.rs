//! Reads a clause file with the token-only grammar (`tokens.pest`) and
//! prints how many tokens it holds: what pest costs to find the file's
//! tokens and nothing else, for comparison with `proviso check` on the
//! same file:
//!
//! ```text
//! cargo run --release --example generate-contract -- 10000 > /tmp/c10k.proviso
//! cargo build --release --example token-floor
//! /usr/bin/time -f "%e s %M KB" target/release/examples/token-floor /tmp/c10k.proviso
//! valgrind --tool=callgrind target/release/examples/token-floor /tmp/c10k.proviso
//! ```

use std::process::ExitCode;

#[path = "tokens.rs"]
mod tokens;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: token-floor FILE");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{}: {error}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    match tokens::count(&text) {
        Ok(tokens) => {
            println!("{tokens} tokens");
            ExitCode::SUCCESS
        }
        Err(at) => {
            eprintln!("no token at byte {at}");
            ExitCode::from(1)
        }
    }
}
