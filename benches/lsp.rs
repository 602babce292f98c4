//! What the language server does after each keystroke: re-check and lint
//! a whole document (`ide::diagnostics`), for the flagship and for a
//! generated 100-clause contract; and the outline. And what highlighting a
//! long document costs beyond finding its tokens: indexing its lines and
//! converting every token's position (`ide::Document`).
//!
//! `cargo bench --bench lsp`; figures in `docs/performance.md`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "generated.rs"]
mod generated;

fn recheck(c: &mut Criterion) {
    let flagship = include_str!("../contracts/microsoft-openai-2025.proviso");
    let hundred = generated::contract(100);
    let mut group = c.benchmark_group("re-check after an edit");
    group.bench_function("flagship (11 clauses)", |b| {
        b.iter(|| black_box(proviso::ide::diagnostics("flagship", flagship).len()));
    });
    group.bench_function("generated, 100 clauses", |b| {
        b.iter(|| black_box(proviso::ide::diagnostics("generated", &hundred).len()));
    });
    group.bench_function("outline, 100 clauses", |b| {
        b.iter(|| black_box(proviso::ide::outline(&hundred).len()));
    });
    group.finish();
}

fn positions(c: &mut Criterion) {
    // About 795 KB, 20,000 lines, 90,000 tokens.
    let text = generated::contract(3_500);
    let starts: Vec<usize> = proviso::ide::tokens(&text)
        .iter()
        .map(|t| t.span.start)
        .collect();
    let mut group = c.benchmark_group("positions");
    group.sample_size(20);
    group.bench_function("index and every token's position, 3,500 clauses", |b| {
        b.iter(|| {
            let document = proviso::ide::Document::new(text.clone());
            black_box(starts.iter().map(|&s| document.position(s).character).max())
        });
    });
    group.finish();
}

criterion_group!(benches, recheck, positions);
criterion_main!(benches);
