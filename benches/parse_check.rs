//! Parse and check of generated contracts of 1,000 and 10,000 clauses.
//! Run with `cargo bench --bench parse_check`; figures in docs/performance.md.

// Test code: a failed expectation should stop the test loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use proviso::{Limits, SourceFile};

#[path = "generated.rs"]
mod generated;
#[path = "support/tokens.rs"]
mod tokens;

fn parse_and_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_check");
    let flagship = include_str!("../contracts/microsoft-openai-2025.proviso");
    let source = SourceFile::new("microsoft-openai-2025.proviso", flagship);
    group.throughput(Throughput::Bytes(flagship.len() as u64));
    group.bench_function("parse+check/flagship", |b| {
        b.iter(|| proviso::check_source(&source, &Limits::default()))
    });
    for clauses in [1_000usize, 10_000] {
        let text = generated::contract(clauses);
        let source = SourceFile::new("generated.proviso", text.clone());
        let limits = Limits::default();
        // The generated contract must be valid, or the benchmark measures error paths.
        let outcome = proviso::check_source(&source, &limits);
        assert!(
            outcome.checked.is_some(),
            "{:?}",
            outcome.diagnostics.first()
        );
        group.throughput(Throughput::Bytes(text.len() as u64));
        // What pest costs to find the same text's tokens, and nothing else.
        assert!(tokens::count(&text).is_ok());
        group.bench_with_input(BenchmarkId::new("tokens", clauses), &text, |b, text| {
            b.iter(|| tokens::count(text))
        });
        group.bench_with_input(BenchmarkId::new("parse", clauses), &text, |b, text| {
            b.iter(|| proviso::syntax::parse(text, &limits))
        });
        group.bench_with_input(
            BenchmarkId::new("parse+check", clauses),
            &source,
            |b, source| b.iter(|| proviso::check_source(source, &limits)),
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = parse_and_check
}
criterion_main!(benches);
