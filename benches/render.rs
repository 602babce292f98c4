//! Rendering the flagship as a page: the contract alone, with its events
//! (timeline, findings and their reasoning), and with the 2019 version
//! beside it (the redline). Evaluation and review are done once outside
//! the loop, so the figure is the page itself.
//!
//! `cargo bench --bench render`; figures in `docs/performance.md`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use proviso::{Contract, EventFormat};

fn render(c: &mut Criterion) {
    let contract = Contract::parse(
        "flagship",
        include_str!("../contracts/microsoft-openai-2025.proviso"),
    )
    .expect("the flagship checks");
    let old = Contract::parse(
        "2019",
        include_str!("../contracts/microsoft-openai-2019.proviso"),
    )
    .expect("the 2019 version checks");
    let events = include_str!("../contracts/events/microsoft-openai-2025.json");
    let report = contract
        .evaluate(events, EventFormat::Json, None)
        .expect("the events evaluate");

    let mut group = c.benchmark_group("render the flagship");
    group.bench_function("contract alone", |b| {
        b.iter(|| black_box(contract.render(None, None).len()));
    });
    group.bench_function("with its events", |b| {
        b.iter(|| black_box(contract.render(Some(&report), None).len()));
    });
    group.bench_function("with its events and the 2019 redline", |b| {
        b.iter(|| black_box(contract.render(Some(&report), Some(&old)).len()));
    });
    // The whole of what the command does after reading the files.
    group.bench_function("evaluate, review and render", |b| {
        b.iter(|| {
            let report = contract.evaluate(events, EventFormat::Json, None).unwrap();
            black_box(contract.render(Some(&report), Some(&old)).len())
        });
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
