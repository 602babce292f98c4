//! Writes generated flagship events as NDJSON to standard output, for
//! measuring memory on long streams:
//!
//! ```text
//! cargo run --release --example generate-events -- 10000000 \
//!   | /usr/bin/time -v target/release/proviso eval contracts/microsoft-openai-2025.proviso -
//! ```
//!
//! Add `--compliant` for a stream that raises no finding.

use std::io::Write;

mod events;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count = args
        .iter()
        .find_map(|a| a.replace('_', "").parse::<u64>().ok())
        .unwrap_or(1_000);
    let compliant = args.iter().any(|a| a == "--compliant");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    events::write(count, compliant, &mut out)?;
    out.flush()
}
