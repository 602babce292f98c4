//! Any text as an event file for the flagship: JSON, YAML and NDJSON.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use proviso::eval::engine::Engine;
use proviso::eval::{Decoder, Evaluation, input};
use proviso::{Checked, Limits, SourceFile};

fn flagship() -> &'static Checked {
    static FLAGSHIP: OnceLock<Checked> = OnceLock::new();
    FLAGSHIP.get_or_init(|| {
        let text = include_str!("../../contracts/microsoft-openai-2025.proviso");
        let checked =
            proviso::check_source(&SourceFile::new("flagship", text), &Limits::default()).checked;
        checked.unwrap_or_else(|| std::process::abort())
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let contract = flagship();
    let decoder = Decoder::new(contract);
    for (events, diagnostics) in [decoder.json(text), decoder.yaml(text)] {
        for d in &diagnostics {
            assert!(d.primary.span.end <= text.len(), "{d:?}");
        }
        let _ = events;
    }
    let engine = Engine::new(contract);
    let mut evaluation = Evaluation::new(&engine, None);
    let _ = input::stream_ndjson("fuzz", data, &decoder, &mut evaluation, &Limits::default());
});
