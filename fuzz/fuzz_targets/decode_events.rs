//! Any text as an event file for the flagship: JSON, YAML, NDJSON and CSV.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use proviso::eval::Decoder;
use proviso::{Contract, EventFormat};

fn flagship() -> &'static Contract {
    static FLAGSHIP: OnceLock<Contract> = OnceLock::new();
    FLAGSHIP.get_or_init(|| {
        let text = include_str!("../../contracts/microsoft-openai-2025.proviso");
        Contract::parse("flagship", text).unwrap_or_else(|_| std::process::abort())
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let contract = flagship();
    // The decoder on its own: every diagnostic points inside the text.
    let decoder = Decoder::new(contract.checked());
    for (events, diagnostics) in [decoder.json(text), decoder.yaml(text)] {
        for d in &diagnostics {
            assert!(d.primary.span.end <= text.len(), "{d:?}");
        }
        let _ = events;
    }
    // The one-pass reader and serde_json read every line alike: the same
    // event, or the same diagnostics.
    for line in text.lines() {
        assert_eq!(
            decoder.ndjson_line(line, 0),
            decoder.ndjson_line_by_serde(line, 0),
            "{line:?}"
        );
    }
    // And through the front door, streamed: NDJSON, and CSV, whose
    // diagnostics point inside the row they are about.
    let _ = contract.evaluate(text, EventFormat::Ndjson, None);
    if let Err(problems) = contract.evaluate(text, EventFormat::Csv, None) {
        for (file, diagnostics) in &problems.files {
            for d in diagnostics {
                assert!(d.primary.span.end <= file.text().len(), "{d:?}");
            }
        }
    }
});
