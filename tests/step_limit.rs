//! Pest's limit on parser steps is one setting for the whole process. The
//! parser sets it for each item it reads and clears it once no item is
//! being read, so that another pest grammar in the same process (here, the
//! token-only grammar of the parse benchmark), run after proviso has read
//! files on several threads, is not held to proviso's budget. Its own
//! process, so that no other test parses at the same time.

// Test code: a failed expectation should stop the test loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../benches/generated.rs"]
mod generated;
#[path = "../benches/support/tokens.rs"]
mod tokens;

#[test]
fn another_pest_grammar_runs_unlimited_after_proviso_has_parsed() {
    let flagship = include_str!("../contracts/microsoft-openai-2025.proviso");
    let threads: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                proviso::syntax::parse(flagship, &proviso::Limits::default())
            })
        })
        .collect();
    for thread in threads {
        assert!(thread.join().unwrap().diagnostics.is_empty());
    }
    // Ten thousand clauses take more steps to split into tokens than the
    // budget proviso gives an item of the flagship (about four million).
    let text = generated::contract(10_000);
    assert_eq!(tokens::count(&text).map(|n| n > 300_000), Ok(true));
}
