//! Any bytes as a clause file: read, parse, check, lint, render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use proviso::diagnostics::{ColorChoice, render_human};
use proviso::{Limits, load};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let Ok(source) = load::from_bytes("fuzz.proviso".to_string(), data.to_vec(), &limits) else {
        return;
    };
    let outcome = proviso::check_source(&source, &limits);
    for d in &outcome.diagnostics {
        assert!(d.primary.span.start <= d.primary.span.end);
        assert!(d.primary.span.end <= source.text().len());
    }
    let _ = render_human(&source, &outcome.diagnostics, ColorChoice::Never);
    if let Some(checked) = &outcome.checked {
        let findings = proviso::lint::lint(checked, &proviso::lint::Config::default());
        let diagnostics: Vec<_> = findings.into_iter().map(|f| f.diagnostic).collect();
        let _ = render_human(&source, &diagnostics, ColorChoice::Never);
    }
});
