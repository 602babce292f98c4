//! The baselines evaluation is measured against: reading each line of an
//! NDJSON file with serde_json alone, either checking its syntax only
//! (`IgnoredAny`) or parsing it into a `serde_json::Value`.
//!
//!     cargo run --release --example json-baseline -- syntax FILE
//!     cargo run --release --example json-baseline -- value FILE
//!
//! Run under `valgrind --tool=callgrind` beside `proviso eval` on the same
//! file to compare instructions (docs/performance.md).

// A measuring tool: a bad argument should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().expect("usage: json-baseline syntax|value FILE");
    let path = args.next().expect("usage: json-baseline syntax|value FILE");
    let data = std::fs::read(path).expect("the file can be read");
    let mut objects = 0usize;
    for line in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        match mode.as_str() {
            "syntax" => {
                let _: serde::de::IgnoredAny = serde_json::from_slice(line).expect("JSON");
                objects += 1;
            }
            "value" => {
                let value: serde_json::Value = serde_json::from_slice(line).expect("JSON");
                objects += usize::from(value.is_object());
            }
            _ => panic!("usage: json-baseline syntax|value FILE"),
        }
    }
    println!("{objects} lines read");
}
