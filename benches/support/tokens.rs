//! A pest grammar that only splits a clause file into tokens
//! (`tokens.pest`): what pest costs to find a file's tokens and nothing
//! else, measured beside the real parse in `cargo bench --bench
//! parse_check`, and as a whole process by the `token-floor` example.

/// The parser generated from `tokens.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "../benches/support/tokens.pest"]
pub struct Tokens;

/// The number of tokens in `text`, or where the grammar stopped.
pub fn count(text: &str) -> Result<usize, usize> {
    use pest::Parser as _;
    match Tokens::parse(Rule::file, text) {
        Ok(pairs) => Ok(pairs.flatten().count()),
        Err(error) => Err(match error.location {
            pest::error::InputLocation::Pos(at) => at,
            pest::error::InputLocation::Span((at, _)) => at,
        }),
    }
}
