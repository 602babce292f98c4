//! Any bytes as a clause file: read, parse, check, lint, render; and every
//! file that reads without a problem prints back to text that reads as the
//! same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use proviso::diagnostics::{ColorChoice, render_human};
use proviso::{Code, Limits, load, syntax};

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
        let findings =
            proviso::lint::lint(checked, source.text(), &proviso::lint::Config::default());
        let diagnostics: Vec<_> = findings.into_iter().map(|f| f.diagnostic).collect();
        let _ = render_human(&source, &diagnostics, ColorChoice::Never);
    }

    let parsed = syntax::parse(source.text(), &limits);
    if parsed.diagnostics.is_empty() {
        let printed = syntax::print(&parsed.file);
        let again = syntax::parse(&printed, &limits);
        // Brackets the printer must add (a `total ... where` inside a
        // comparison) can take a file past the nesting limit; nothing else
        // may stop the printed text from reading back.
        if again
            .diagnostics
            .iter()
            .all(|d| d.code == Code::NestingTooDeep)
            && !again.diagnostics.is_empty()
        {
            return;
        }
        assert!(
            again.diagnostics.is_empty(),
            "{printed}\n{:?}",
            again.diagnostics
        );
        assert_eq!(
            syntax::without_spans(&parsed.file),
            syntax::without_spans(&again.file),
            "{printed}"
        );
    }
});
