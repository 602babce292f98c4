//! What the language server does after each keystroke: re-check and lint
//! a whole document (`ide::diagnostics`), for the flagship and for a
//! generated 100-clause contract; and the outline.
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

criterion_group!(benches, recheck);
criterion_main!(benches);
