//! Lint and change review of generated contracts of 1,000, 10,000 and
//! 100,000 clauses. `cargo bench --bench lint`; figures in
//! docs/performance.md. The contracts are parsed and checked once, outside
//! the measurement.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use proviso::diff::{self, Version};
use proviso::lint::{self, Config};
use proviso::{Limits, SourceFile};

#[path = "generated.rs"]
mod generated;

fn lint_and_review(c: &mut Criterion) {
    let limits = Limits {
        max_file_bytes: usize::MAX,
        ..Limits::default()
    };
    let mut group = c.benchmark_group("lint");
    group.sample_size(10);
    for clauses in [1_000usize, 10_000, 100_000] {
        let text = generated::contract(clauses);
        let source = SourceFile::new("generated.proviso", text.clone());
        let checked = proviso::check_source(&source, &limits)
            .checked
            .expect("the generated contract checks");
        // A second version: every tenth share changed, a clause renumbered.
        let edited = text.replace("pay beta 11% of", "pay beta 12% of").replace(
            "clause 5 \"Late delivery 5\"",
            "clause 999999 \"Late delivery 5\"",
        );
        let edited_source = SourceFile::new("edited.proviso", edited);
        let edited_checked = proviso::check_source(&edited_source, &limits)
            .checked
            .expect("the edited contract checks");
        group.throughput(Throughput::Elements(clauses as u64));
        group.bench_with_input(BenchmarkId::new("lint", clauses), &checked, |b, checked| {
            b.iter(|| black_box(lint::lint(checked, source.text(), &Config::default())))
        });
        group.bench_function(BenchmarkId::new("review", clauses), |b| {
            b.iter(|| {
                black_box(diff::review(
                    Version {
                        checked: &checked,
                        source: &source,
                    },
                    Version {
                        checked: &edited_checked,
                        source: &edited_source,
                    },
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, lint_and_review);
criterion_main!(benches);
