//! No edit of a clause file, however clumsy, may crash proviso: every
//! contract and example is mutated hundreds of times (deterministically)
//! and each result must come back as either a checked contract or
//! diagnostics with spans inside the file.

// Test code: a failed expectation should stop the test loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use proviso::{Limits, SourceFile};

/// A small, fast, deterministic generator (xorshift64*), so that a failure
/// is reproducible from the seed printed with it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Fragments a drafter might type, or paste in the wrong place.
const FRAGMENTS: &[&str] = &[
    "(",
    ")",
    "\"",
    "\"\"\"",
    "#",
    ",",
    ".",
    ":",
    "|",
    "{",
    "}",
    "%",
    "-",
    "+",
    "*",
    "/",
    "$",
    " ",
    "\n",
    "clause 9 ",
    "must ",
    "must not ",
    "may ",
    "pay ",
    "except ",
    "unless ",
    "where ",
    "until ",
    "through ",
    "from ",
    "due ",
    "exception to 1 ",
    "total ",
    "tiers of ",
    "of ",
    "capped at ",
    "for each ",
    "on each ",
    "2026-02-30",
    "2032",
    "USD ",
    "USD 1,00",
    "XXX 5",
    "99999999999999999999999999999999",
    "0",
    "0.0",
    "-1",
    "1.5 days",
    "€5",
    "é",
    "\u{0}",
    "\u{feff}",
    "not not not ",
    "is ",
    "in (",
    "then ",
    "whichever is earlier",
    "rounded half-up to 0",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 => {
                let end = (at + rng.below(40)).min(bytes.len());
                bytes.drain(at..end);
            }
            1 => {
                let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())];
                bytes.splice(at..at, fragment.bytes());
            }
            2 => {
                let end = (at + rng.below(80)).min(bytes.len());
                let copy: Vec<u8> = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            _ => {
                if at < bytes.len() {
                    bytes[at] = (rng.next() & 0x7f) as u8;
                }
            }
        }
    }
    // Mutations may split a UTF-8 sequence; the loader reports that case
    // (tested elsewhere), so keep the text valid here.
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_contracts_never_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["contracts", "examples", "tests/valid"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "proviso") {
                files.push(path);
            }
        }
    }
    files.sort();
    let limits = Limits::default();
    let mut checked = 0usize;
    for (n, path) in files.iter().enumerate() {
        let original = std::fs::read_to_string(path).unwrap();
        let original_source = SourceFile::new("original.proviso", original.clone());
        let original_checked = proviso::check_source(&original_source, &limits).checked;
        for round in 0..500u64 {
            let seed = 0x9E37_79B9_7F4A_7C15 ^ ((n as u64) << 32 | round);
            let mut rng = Rng(seed | 1);
            let text = mutate(&original, &mut rng);
            let source = SourceFile::new("mutated.proviso", text.clone());
            let outcome = proviso::check_source(&source, &limits);
            if let Some(contract) = &outcome.checked {
                checked += 1;
                // A mutant that checks is linted, and reviewed as a change
                // from the original: neither may crash, and findings must
                // point inside the file.
                for finding in
                    proviso::lint::lint(contract, source.text(), &proviso::lint::Config::default())
                {
                    let span = finding.diagnostic.primary.span;
                    assert!(span.end <= text.len(), "seed {seed:#x}: lint span {span:?}");
                }
                if let Some(old) = &original_checked {
                    let _ = proviso::diff::review(
                        proviso::diff::Version {
                            checked: old,
                            source: &original_source,
                        },
                        proviso::diff::Version {
                            checked: contract,
                            source: &source,
                        },
                    );
                }
            } else {
                assert!(
                    !outcome.diagnostics.is_empty(),
                    "seed {seed:#x}: no result and no diagnostic"
                );
            }
            for d in &outcome.diagnostics {
                let span = d.primary.span;
                assert!(
                    span.start <= span.end && span.end <= text.len(),
                    "seed {seed:#x}: span {span:?} outside a file of {} bytes",
                    text.len()
                );
            }
            // Rendering must not fail either.
            let _ = proviso::diagnostics::render_human(
                &source,
                outcome.diagnostics.get(..1).unwrap_or_default(),
                proviso::diagnostics::ColorChoice::Never,
            );
        }
    }
    // Some mutations (inside comments or quotations) leave the file valid.
    assert!(checked > 0);
}

#[test]
fn checking_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let limits = Limits::default();
    for entry in std::fs::read_dir(root.join("tests/check")).unwrap() {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let source = SourceFile::new(path.display().to_string(), text);
        let first = proviso::check_source(&source, &limits).diagnostics;
        let second = proviso::check_source(&source, &limits).diagnostics;
        assert_eq!(first, second, "{}", path.display());
    }
}

/// No edit of a CSV event file may crash the evaluation: the flagship's
/// events as CSV (quoted cells, a line break inside quotes), mutated
/// thousands of times, give a report or diagnostics that point inside the
/// row they are about.
#[test]
fn mutated_csv_events_never_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let contract = proviso::Contract::load(&root.join("contracts/microsoft-openai-2025.proviso"))
        .map_err(|p| p.render())
        .unwrap();
    let original = "type,date,id,by,quarter,amount,to,product,kind,cloud,customer,with_third_party\n\
        report_revenue,2026-04-20,rev-1,openai,2026-Q1,\"USD 10,000,000.00\",,,,,,\n\
        payment,2026-05-10,pay-1,openai,,USD 2000000.00,microsoft,,,,,\n\
        serve,2026-08-01,\"serve\n1\",openai,,,,\"joint API, partner\",api_product,aws,commercial,TRUE\n";
    assert!(
        contract
            .evaluate(original, proviso::EventFormat::Csv, None)
            .is_ok()
    );
    let mut refused = 0usize;
    for round in 0..3000u64 {
        let mut rng = Rng((0xC5C5_0000_0000_0000 ^ round) | 1);
        let text = mutate(original, &mut rng);
        if let Err(problems) = contract.evaluate(&text, proviso::EventFormat::Csv, None) {
            refused += 1;
            for (file, diagnostics) in &problems.files {
                for d in diagnostics {
                    assert!(
                        d.primary.span.end <= file.text().len(),
                        "round {round}: {d:?} outside {:?}",
                        file.text()
                    );
                }
            }
        }
    }
    // The mutations break most files: the test exercises the refusals.
    assert!(refused > 1000, "{refused}");
}
