//! The flagship evaluated against an arbitrary stream of valid-looking
//! events: each input byte chooses an event kind, a day and its values, so
//! the fuzzer explores histories rather than JSON syntax.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use proviso::{Contract, EventFormat};

fn flagship() -> &'static Contract {
    static FLAGSHIP: OnceLock<Contract> = OnceLock::new();
    FLAGSHIP.get_or_init(|| {
        let text = include_str!("../../contracts/microsoft-openai-2025.proviso");
        Contract::parse("flagship", text).unwrap_or_else(|_| std::process::abort())
    })
}

const CLOUDS: [&str; 5] = ["azure", "aws", "gcp", "oracle", "other_cloud"];
const KINDS: [&str; 4] = [
    "model",
    "api_product",
    "non_api_product",
    "consumer_hardware",
];

fn event(chunk: &[u8], day: &mut i64) -> String {
    let b = |i: usize| chunk.get(i).copied().unwrap_or(0);
    *day += i64::from(b(1) % 40);
    let date = jiff::civil::date(2025, 9, 1)
        .checked_add(jiff::Span::new().days(*day))
        .unwrap_or(jiff::civil::date(2040, 1, 1));
    let cloud = CLOUDS[usize::from(b(2)) % CLOUDS.len()];
    let kind = KINDS[usize::from(b(3)) % KINDS.len()];
    let flag = b(2) % 2 == 0;
    let amount = format!(
        "USD {}.{:02}",
        u64::from(b(2)) * 1_000_003 + u64::from(b(3)) * 7,
        b(3) % 100
    );
    let quarter = format!("{}-Q{}", date.year() - i16::from(b(3) % 2), b(2) % 4 + 1);
    match b(0) % 8 {
        0 => format!(
            r#"{{"type":"report_revenue","date":"{date}","by":"openai","quarter":"{quarter}","amount":"{amount}"}}"#
        ),
        1 => format!(
            r#"{{"type":"payment","date":"{date}","by":"openai","to":"microsoft","amount":"{amount}"}}"#
        ),
        2 => format!(
            r#"{{"type":"serve","date":"{date}","by":"openai","product":"p","kind":"{kind}","cloud":"{cloud}","customer":"{}","with_third_party":{flag}}}"#,
            if b(3) % 3 == 0 {
                "us_national_security"
            } else {
                "commercial"
            }
        ),
        3 => format!(
            r#"{{"type":"release","date":"{date}","by":"openai","product":"m","kind":"{kind}","open_weights":{flag},"meets_capability_criteria":{}}}"#,
            b(3) % 2 == 0
        ),
        4 => format!(
            r#"{{"type":"buy_compute","date":"{date}","by":"openai","provider":"{cloud}","amount":"{amount}"}}"#
        ),
        5 => format!(r#"{{"type":"declare_agi","date":"{date}","by":"openai"}}"#),
        6 => format!(r#"{{"type":"verify_agi","date":"{date}","by":"panel"}}"#),
        _ => format!(r#"{{"type":"research_agi","date":"{date}","by":"microsoft"}}"#),
    }
}

fuzz_target!(|data: &[u8]| {
    let contract = flagship();
    let mut day = 0i64;
    let lines: Vec<String> = data
        .chunks(4)
        .take(2_000)
        .map(|c| event(c, &mut day))
        .collect();
    let text = format!("[{}]", lines.join(","));
    let report = match contract.evaluate(&text, EventFormat::Json, None) {
        Ok(report) => report,
        Err(problems) => {
            // The events are valid by construction: only evaluation may stop.
            for d in problems.diagnostics() {
                assert!(d.code.as_str().starts_with("E07"), "{d:?}");
            }
            return;
        }
    };
    // Money is exact: what is paid never exceeds what is owed.
    for o in &report.outcome().obligations {
        assert!(o.paid <= o.amount.amount || o.amount.amount.is_sign_negative());
    }
    let _ = report.to_text(true);
    let _ = report.to_json(true);
});
