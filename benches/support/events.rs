//! Generated event histories for the flagship contract, for benchmarks and
//! memory measurements: NDJSON in date order, from a fixed seed, so that
//! every run sees the same events.
//!
//! The mix is what a year of the partnership might record, scaled up:
//! mostly products served (a few of them on another cloud, some of those
//! for U.S. national-security customers), compute purchases, releases,
//! quarterly revenue reports and payments. `compliant_only` gives a stream
//! that raises no finding at all (products served on Azure), to show that
//! memory does not grow with the number of events.

// Benchmark support: the indices are reduced modulo the table's length.
#![allow(clippy::indexing_slicing)]

use std::io::Write;

/// Days from 2026-01-01 over which the events are spread (to 2032-12-31).
const DAYS: u64 = 2557;

/// A small, fixed pseudo-random sequence (xorshift), so no dependency and
/// no run-to-run difference.
struct Seq(u64);

impl Seq {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The civil date `days` after 2026-01-01, as `YYYY-MM-DD`.
fn date(days: u64) -> (i32, u32, String) {
    let mut year = 2026;
    let mut left = days;
    loop {
        let leap = year % 4 == 0;
        let length = if leap { 366 } else { 365 };
        if left < length {
            break;
        }
        left -= length;
        year += 1;
    }
    let leap = year % 4 == 0;
    let months = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 1;
    for length in months {
        if left < length {
            break;
        }
        left -= length;
        month += 1;
    }
    (year, month, format!("{year}-{month:02}-{:02}", left + 1))
}

/// Writes `count` events, one per line.
pub fn write(count: u64, compliant_only: bool, out: &mut impl Write) -> std::io::Result<()> {
    let mut seq = Seq(0x9E37_79B9_7F4A_7C15);
    let clouds = ["aws", "gcp", "oracle"];
    let kinds = [
        "model",
        "api_product",
        "non_api_product",
        "consumer_hardware",
    ];
    for i in 0..count {
        let (year, month, day) = date(i * DAYS / count.max(1));
        let roll = seq.next() % 100;
        let r = seq.next();
        if compliant_only || roll < 70 {
            // 1 in 50 served elsewhere than Azure: some breach clause 4,
            // some are let off by the national-security exception.
            let elsewhere = !compliant_only && r.is_multiple_of(50);
            let cloud = if elsewhere {
                clouds[(r % 3) as usize]
            } else {
                "azure"
            };
            let customer = if r.is_multiple_of(4) {
                "us_national_security"
            } else {
                "commercial"
            };
            let kind = if r.is_multiple_of(3) {
                "non_api_product"
            } else {
                "api_product"
            };
            writeln!(
                out,
                r#"{{"type":"serve","date":"{day}","id":"s-{i}","by":"openai","product":"api-{}","kind":"{kind}","cloud":"{cloud}","customer":"{customer}","with_third_party":{}}}"#,
                r % 1000,
                r.is_multiple_of(2)
            )?;
        } else if roll < 80 {
            let provider = if r.is_multiple_of(5) {
                clouds[(r % 3) as usize]
            } else {
                "azure"
            };
            writeln!(
                out,
                r#"{{"type":"buy_compute","date":"{day}","id":"c-{i}","by":"openai","provider":"{provider}","amount":"USD {}.{:02}"}}"#,
                1_000 + r % 1_000_000,
                r % 100
            )?;
        } else if roll < 85 {
            writeln!(
                out,
                r#"{{"type":"release","date":"{day}","id":"r-{i}","by":"openai","product":"p-{}","kind":"{}","open_weights":false,"meets_capability_criteria":false}}"#,
                r % 10_000,
                kinds[(r % 4) as usize]
            )?;
        } else if roll < 95 {
            // Revenue of the quarter before the one the report is made in.
            let quarter = (month - 1) / 3 + 1;
            let (y, q) = if quarter == 1 {
                (year - 1, 4)
            } else {
                (year, quarter - 1)
            };
            writeln!(
                out,
                r#"{{"type":"report_revenue","date":"{day}","id":"v-{i}","by":"openai","quarter":"{y}-Q{q}","amount":"USD {}.{:02}"}}"#,
                10_000 + r % 10_000_000,
                r % 100
            )?;
        } else {
            writeln!(
                out,
                r#"{{"type":"payment","date":"{day}","id":"p-{i}","by":"openai","to":"microsoft","amount":"USD {}.00"}}"#,
                1_000 + r % 2_000_000
            )?;
        }
    }
    Ok(())
}
