//! Evaluation throughput: the flagship contract against one million
//! generated events, streamed as NDJSON, next to parsing the same lines
//! with serde_json alone: into `serde_json::Value` (what a tool reading the
//! events pays before it does anything with them), and syntax only; and
//! the same events as CSV (one column per member any event has).
//!
//! `cargo bench --bench eval`; figures in `docs/performance.md`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use proviso::{Contract, EventFormat};

#[path = "support/events.rs"]
mod events;

const EVENTS: u64 = 1_000_000;

fn flagship() -> Contract {
    let text = include_str!("../contracts/microsoft-openai-2025.proviso");
    Contract::parse("flagship", text).expect("the flagship checks")
}

fn evaluate(c: &mut Criterion) {
    let mut ndjson = Vec::new();
    events::write(EVENTS, false, &mut ndjson).unwrap();
    let contract = flagship();
    let text = std::str::from_utf8(&ndjson).unwrap();

    let mut group = c.benchmark_group("flagship, 1,000,000 events");
    group.sample_size(10);
    group.throughput(Throughput::Elements(EVENTS));
    group.bench_function("serde_json parse alone", |b| {
        b.iter(|| {
            let mut parsed = 0usize;
            for line in ndjson.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let value: serde_json::Value = serde_json::from_slice(line).unwrap();
                parsed += usize::from(value.is_object());
            }
            black_box(parsed)
        });
    });
    // The floor: checking the JSON syntax and nothing else.
    group.bench_function("serde_json syntax check alone", |b| {
        b.iter(|| {
            for line in ndjson.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let _: serde::de::IgnoredAny = serde_json::from_slice(line).unwrap();
            }
        });
    });
    group.bench_function("proviso eval (decode + evaluate)", |b| {
        b.iter(|| {
            let report = contract.evaluate(text, EventFormat::Ndjson, None).unwrap();
            black_box(report.outcome().obligations.len())
        });
    });
    let csv = to_csv(text);
    group.bench_function("proviso eval, the same events as CSV", |b| {
        b.iter(|| {
            let report = contract.evaluate(&csv, EventFormat::Csv, None).unwrap();
            black_box(report.outcome().obligations.len())
        });
    });
    group.finish();
}

/// NDJSON events as a CSV file: a header of every member any event has,
/// then one row per event, a cell quoted where it holds a comma.
fn to_csv(ndjson: &str) -> String {
    let events: Vec<serde_json::Map<String, serde_json::Value>> = ndjson
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut columns: Vec<String> = Vec::new();
    for event in &events {
        for key in event.keys() {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    let mut csv = columns.join(",") + "\n";
    for event in &events {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match event.get(c) {
                None => String::new(),
                Some(serde_json::Value::String(s)) if s.contains(',') => format!("\"{s}\""),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            })
            .collect();
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    csv
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
