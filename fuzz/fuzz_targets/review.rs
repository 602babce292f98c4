//! Two versions of a contract, split at the first 0xFF byte: when both
//! check, linting the new one and reviewing it against the old (the change
//! review and its reports for people, JSON and SARIF) must never crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use proviso::Contract;
use proviso::lint::{self, Config};

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len());
    let (old, new) = data.split_at(split);
    let new = new.get(1..).unwrap_or_default();
    let (Ok(old), Ok(new)) = (std::str::from_utf8(old), std::str::from_utf8(new)) else {
        return;
    };
    let (Ok(old), Ok(new)) = (
        Contract::parse("old.proviso", old),
        Contract::parse("new.proviso", new),
    ) else {
        return;
    };
    for finding in lint::lint(new.checked(), new.source().text(), &Config::default()) {
        assert!(finding.diagnostic.primary.span.end <= new.source().text().len());
    }
    let changes = new.review(&old);
    let _ = proviso::diff::report::human(old.version(), new.version(), &changes, &[]);
    let _ = proviso::diff::report::json(old.version(), new.version(), &changes, &[]);
    let _ = proviso::diff::report::sarif_results(old.version(), new.version(), &changes);
});
