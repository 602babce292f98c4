//! Any text as a scenario file, placed beside the flagship's scenarios so
//! that `contract: ../microsoft-openai-2025.proviso` resolves: reading it,
//! running it and checking its expectations must never crash, and every
//! diagnostic must point inside the text.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use proviso::SourceFile;
use proviso::scenario::{self, run};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("../contracts/scenarios/fuzz.scenario.yaml");
    match scenario::from_source(SourceFile::new("fuzz.scenario.yaml", text), path) {
        Err(invalid) => {
            for d in &invalid.diagnostics {
                assert!(d.primary.span.end <= text.len(), "{d:?}");
            }
        }
        Ok(scenario) => {
            let interpretation = run::interpret(&scenario, &scenario.contract);
            let _ = run::check(&scenario, &interpretation);
        }
    }
});
