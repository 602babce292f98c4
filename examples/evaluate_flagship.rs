//! Evaluates the flagship contract through the library alone, as a program
//! that embeds proviso would:
//!
//! ```sh
//! cargo run --example evaluate_flagship
//! ```

use std::path::Path;

use proviso::Contract;

fn main() -> std::process::ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let contract = match Contract::load(&root.join("contracts/microsoft-openai-2025.proviso")) {
        Ok(contract) => contract,
        Err(problems) => {
            eprint!("{}", problems.render());
            return std::process::ExitCode::from(2);
        }
    };
    let as_of = jiff::civil::date(2030, 12, 31);
    let events = root.join("contracts/events/microsoft-openai-2025.json");
    let report = match contract.evaluate_file(&events, Some(as_of)) {
        Ok(report) => report,
        Err(problems) => {
            eprint!("{}", problems.render());
            return std::process::ExitCode::from(2);
        }
    };
    let json = report.to_json(false);
    let text = |value: &serde_json::Value, pointer: &str| {
        value
            .pointer(pointer)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("-")
            .to_string()
    };
    let list = |key: &str| {
        json.get(key)
            .and_then(serde_json::Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for obligation in list("obligations") {
        println!(
            "clause {}: {} owes {} {} {} for {}, due {}: {}",
            text(&obligation, "/clause"),
            text(&obligation, "/debtor"),
            text(&obligation, "/creditor"),
            text(&obligation, "/currency"),
            text(&obligation, "/amount"),
            text(&obligation, "/period/label"),
            text(&obligation, "/due"),
            text(&obligation, "/status"),
        );
    }
    println!(
        "{} violations; exit 1 from `proviso eval`: {}",
        list("violations").len(),
        report.has_findings()
    );
    std::process::ExitCode::SUCCESS
}
