//! `proviso lint` through the real binary: every rule of the catalogue
//! fires on its triggering file and stays quiet on its clean one
//! (`tests/lint/RULE/{bad,good}.proviso`), the flagship and the examples
//! are clean, seeded errors in the flagship are caught, levels switch, and
//! the JSON and SARIF outputs are reviewed snapshots.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

mod common;
use common::proviso;

fn settings() -> insta::Settings {
    common::snapshots_in("lint")
}

fn rules_in(output: &[u8]) -> Vec<String> {
    let document: serde_json::Value = serde_json::from_slice(output).unwrap();
    document["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap().iter())
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_rule_fires_on_its_bad_file_and_not_on_its_good_one() {
    for lint in proviso::lint::LINTS {
        let name = lint.name();
        let dir = format!("tests/lint/{name}");
        for (file, should_fire) in [("bad", true), ("good", false)] {
            let path = format!("{dir}/{file}.proviso");
            assert!(
                Path::new(env!("CARGO_MANIFEST_DIR")).join(&path).exists(),
                "{path} is missing: every rule has a file that triggers it and one that does not"
            );
            // `--deny` so that rules allowed by default are reported too.
            let output = proviso(&["lint", "--deny", &name, "--format", "json", &path]);
            let rules = rules_in(&output.stdout);
            assert_eq!(
                rules.contains(&name),
                should_fire,
                "{path}: {rules:?} {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert_eq!(output.status.code(), Some(i32::from(should_fire)), "{path}");
            if !should_fire {
                assert!(rules.is_empty(), "{path} is clean of every rule: {rules:?}");
            }
        }
        let output = proviso(&[
            "lint",
            "--color",
            "never",
            "--deny",
            &name,
            &format!("{dir}/bad.proviso"),
        ]);
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        settings().bind(|| insta::assert_snapshot!(format!("rule-{name}"), text));
    }
}

#[test]
fn the_flagship_and_the_examples_are_clean() {
    let mut files = vec![
        "contracts/microsoft-openai-2025.proviso".to_string(),
        "contracts/microsoft-openai-2019.proviso".to_string(),
    ];
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")).unwrap()
    {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "proviso") {
            files.push(format!(
                "examples/{}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    let mut args = vec!["lint", "--color", "never"];
    args.extend(files.iter().map(String::as_str));
    let output = proviso(&args);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert_eq!(text.matches(": clean").count(), files.len(), "{text}");
}

/// Lints a copy of the flagship with one edit; returns the rules found and
/// the exit code.
fn lint_edited_flagship(name: &str, from: &str, to: &str) -> (Vec<String>, Option<i32>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(root.join("contracts/microsoft-openai-2025.proviso")).unwrap();
    assert!(text.contains(from), "the flagship no longer says `{from}`");
    let dir = std::env::temp_dir().join(format!("proviso-lint-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("flagship.proviso");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    let output = proviso(&["lint", "--format", "json", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    (rules_in(&output.stdout), output.status.code())
}

#[test]
fn seeded_error_stakes_adding_up_to_103_percent() {
    // 27 + 26 + 50 = 103.
    let (rules, code) = lint_edited_flagship(
        "stakes",
        "others holds 47% of openai",
        "others holds 50% of openai",
    );
    assert_eq!(rules, ["stakes_over_hundred"]);
    assert_eq!(code, Some(1));
}

#[test]
fn seeded_error_a_carve_out_for_what_the_licence_never_covered() {
    // The licence covers only models; the hardware exception can never apply.
    let (rules, code) = lint_edited_flagship(
        "carve-out",
        "    over release\n    through 2032-12-31",
        "    over release where kind is model\n    through 2032-12-31",
    );
    assert_eq!(rules, ["exception_never_applies"]);
    assert_eq!(code, Some(1));
}

#[test]
fn seeded_error_a_term_ending_before_the_licence() {
    let (rules, code) =
        lint_edited_flagship("term", "term through 2032-12-31", "term through 2031-12-31");
    assert_eq!(rules, ["window_beyond_term"]);
    assert_eq!(code, Some(1));
}

#[test]
fn levels_switch_per_run_and_per_clause() {
    let bad = "tests/lint/clause_without_wording/bad.proviso";
    // A warning by default: reported, exit 0.
    let output = proviso(&["lint", "--format", "json", bad]);
    assert_eq!(rules_in(&output.stdout), ["clause_without_wording"]);
    assert_eq!(output.status.code(), Some(0));
    // --deny warnings, or --deny by name or code: exit 1.
    for deny in ["warnings", "clause_without_wording", "L0601"] {
        let output = proviso(&["lint", "--deny", deny, bad]);
        assert_eq!(output.status.code(), Some(1), "--deny {deny}");
    }
    // --allow: not reported; --deny prevails over --allow.
    let output = proviso(&[
        "lint",
        "--format",
        "json",
        "--allow",
        "clause_without_wording",
        bad,
    ]);
    assert!(rules_in(&output.stdout).is_empty());
    let output = proviso(&[
        "lint",
        "--allow",
        "clause_without_wording",
        "--deny",
        "clause_without_wording",
        bad,
    ]);
    assert_eq!(output.status.code(), Some(1));
    // An unknown name is a usage error, with a suggestion.
    let output = proviso(&["lint", "--deny", "clause_without_wordng", bad]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("did you mean `clause_without_wording`?")
    );
    // Per clause: the royalty example's skipped number carries an `allow`.
    let output = proviso(&["lint", "--format", "json", "examples/royalty.proviso"]);
    assert!(rules_in(&output.stdout).is_empty());
}

#[test]
fn json_and_sarif_outputs() {
    let bad = "tests/lint/window_beyond_term/bad.proviso";
    let output = proviso(&["lint", "--format", "json", bad]);
    let json = String::from_utf8_lossy(&output.stdout).into_owned();
    let output = proviso(&["lint", "--format", "sarif", bad]);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        proviso::lint::LINTS.len()
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "L0202");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        19
    );
    let sarif_text = serde_json::to_string_pretty(&sarif).unwrap();
    settings().bind(|| {
        insta::assert_snapshot!("window-beyond-term-json", json);
        insta::assert_snapshot!("window-beyond-term-sarif", sarif_text);
    });
}

#[test]
fn a_file_that_does_not_check_is_named_and_exits_2() {
    let output = proviso(&[
        "lint",
        "--color",
        "never",
        "tests/check/misspelt-party.proviso",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("tests/check/misspelt-party.proviso cannot be linted until it checks"),
        "{stderr}"
    );
}

#[test]
fn change_review_of_the_flagship_against_2019() {
    let args = [
        "lint",
        "--color",
        "never",
        "contracts/microsoft-openai-2025.proviso",
        "--against",
        "contracts/microsoft-openai-2019.proviso",
    ];
    let output = proviso(&args);
    assert_eq!(output.status.code(), Some(0));
    let human = String::from_utf8_lossy(&output.stdout).into_owned();
    // Every difference the term sheet lists.
    for expected in [
        // The stake, with whom it favours.
        "the stake of microsoft in openai, percentage: 32.5% → 27% (against microsoft: a lower stake)",
        // The right of first refusal, removed.
        "removed the non-exclusive right from openai to microsoft over `buy_compute`",
        // Azure exclusivity narrowed, with its two carve-outs.
        "the prohibition of `serve` by openai, scope: none → kind is api_product and with_third_party (favours openai: forbids less)",
        "clause 4.1 \"Non-API products on any cloud\": added",
        "clause 4.2 \"U.S. national security customers\": added",
        // The consumer-hardware carve-out.
        "clause 3.1 \"Consumer hardware\": added",
        "`excludes release where kind is consumer_hardware` (favours openai: the rule it excepts covers less)",
        // The licence window: no longer until AGI.
        "window: until agi or through 2032-12-31, whichever is earlier → through 2032-12-31 (favours microsoft: runs longer)",
    ] {
        assert!(human.contains(expected), "missing `{expected}` in\n{human}");
    }
    // Nothing spurious: the revenue share's rule is unchanged.
    assert!(
        !human.contains("the payment from openai to microsoft"),
        "{human}"
    );

    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let json = String::from_utf8_lossy(&proviso(&json_args).stdout).into_owned();
    let mut sarif_args = args.to_vec();
    sarif_args.extend(["--format", "sarif"]);
    let sarif = String::from_utf8_lossy(&proviso(&sarif_args).stdout).into_owned();
    let parsed: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(parsed["version"], "2.1.0");
    settings().bind(|| {
        insta::assert_snapshot!("review-flagship-human", human);
        insta::assert_snapshot!("review-flagship-json", json);
        insta::assert_snapshot!("review-flagship-sarif", sarif);
    });
}

#[test]
fn renumbered_clauses_are_paired_by_heading() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("examples/late-delivery.proviso")).unwrap();
    let renumbered = text
        .replace(
            "clause 7.1 \"Late-delivery penalty\"",
            "clause 8.1 \"Late-delivery penalty\"",
        )
        .replace("exception to 7.1", "exception to 8.1")
        .replace("10.5% of deliver.price", "12% of deliver.price");
    let dir = std::env::temp_dir().join(format!("proviso-renumbered-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let new = dir.join("late-delivery.proviso");
    std::fs::write(&new, renumbered).unwrap();
    let output = proviso(&[
        "lint",
        "--color",
        "never",
        new.to_str().unwrap(),
        "--against",
        "examples/late-delivery.proviso",
    ]);
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(text.contains("clause 8.1 \"Late-delivery penalty\": changed (was clause 7.1 \"Late-delivery penalty\")"), "{text}");
    assert!(text.contains("number: 7.1 → 8.1"), "{text}");
    assert!(text.contains("amount: 10.5% of deliver.price"), "{text}");
    assert!(text.contains("(favours buyer: a higher share)"), "{text}");
    // Clause 7.2 is still an exception to the same clause, now numbered 8.1.
    assert!(!text.contains("exception to: clause 7.1"), "{text}");
    assert!(
        text.contains("0 clauses added, 0 removed, 1 changed"),
        "{text}"
    );
}

#[test]
fn a_malformed_old_version_is_named() {
    let output = proviso(&[
        "lint",
        "--color",
        "never",
        "contracts/microsoft-openai-2025.proviso",
        "--against",
        "tests/check/misspelt-party.proviso",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "the old version tests/check/misspelt-party.proviso cannot be compared until it checks"
        ),
        "{stderr}"
    );
    let output = proviso(&[
        "lint",
        "contracts/microsoft-openai-2025.proviso",
        "--against",
        "no/such/file.proviso",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no/such/file.proviso"));
}

#[test]
fn a_malformed_old_version_is_a_failed_run_in_json_and_sarif_too() {
    for (old, code) in [
        ("tests/check/misspelt-party.proviso", "E0204"),
        ("no/such/file.proviso", "E0505"),
    ] {
        let args = |format| {
            [
                "lint",
                "--format",
                format,
                "contracts/microsoft-openai-2025.proviso",
                "--against",
                old,
            ]
        };
        let output = proviso(&args("sarif"));
        assert_eq!(output.status.code(), Some(2));
        let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let invocation = &sarif["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false, "{old}");
        assert_eq!(
            invocation["toolExecutionNotifications"][0]["descriptor"]["id"], code,
            "{old}"
        );
        let output = proviso(&args("json"));
        assert_eq!(output.status.code(), Some(2));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(json["files"][0]["file"], old);
        assert_eq!(json["files"][0]["valid"], false);
        assert_eq!(json["files"][0]["diagnostics"][0]["code"], code, "{old}");
    }
}

#[test]
fn sarif_for_a_file_that_does_not_check_is_a_failed_run_not_a_clean_one() {
    let output = proviso(&[
        "lint",
        "--format",
        "sarif",
        "tests/check/missing-amount.proviso",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["descriptor"]["id"], "E0100");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["region"]["startLine"],
        17
    );
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
}

#[test]
fn a_window_counted_from_a_milestone_made_longer_or_shorter_says_whom_it_favours() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("examples/software-licence.proviso")).unwrap();
    let edited = text
        .replace(
            "from delivered\n    for 12 months",
            "from delivered\n    for 18 months",
        )
        .replace(
            "licensee must not use\n    from 90 days after notified",
            "licensee must not use\n    from 60 days after notified",
        )
        .replace(
            "late interest at 1.5% per month",
            "late interest at 2% per month",
        );
    let dir = std::env::temp_dir().join(format!("proviso-relative-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let new = dir.join("software-licence.proviso");
    std::fs::write(&new, edited).unwrap();
    let output = proviso(&[
        "lint",
        "--color",
        "never",
        new.to_str().unwrap(),
        "--against",
        "examples/software-licence.proviso",
    ]);
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    std::fs::remove_dir_all(&dir).unwrap();
    // Support for longer: the licensor must answer for six more months.
    assert!(
        text.contains("window: from delivered for 12 months → from delivered for 18 months (against licensor: required for longer)"),
        "{text}"
    );
    // A higher rate of late interest.
    assert!(
        text.contains("late interest: late interest at 1.5% per month, actual/365 → late interest at 2% per month, actual/365 (favours licensor: more interest on late payment)"),
        "{text}"
    );
    // The wind-down's ban starts 30 days sooner, so it runs longer.
    assert!(
        text.contains("window: from 90 days after notified → from 60 days after notified (against licensee: forbidden for longer)"),
        "{text}"
    );
}

/// The change review of `new` against `old`, both written to a
/// temporary folder (each in its own subfolder, under the name `file`).
fn review_text(file: &str, old: &str, new: &str) -> String {
    let dir = std::env::temp_dir().join(format!(
        "proviso-review-{}-{}",
        std::process::id(),
        file.replace('.', "-")
    ));
    std::fs::create_dir_all(dir.join("old")).unwrap();
    std::fs::create_dir_all(dir.join("new")).unwrap();
    let (old_path, new_path) = (dir.join("old").join(file), dir.join("new").join(file));
    std::fs::write(&old_path, old).unwrap();
    std::fs::write(&new_path, new).unwrap();
    let output = proviso(&[
        "lint",
        "--color",
        "never",
        new_path.to_str().unwrap(),
        "--against",
        old_path.to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A change to a tier table says whom it favours, worked out value by
/// value: a lower rate in one band of a marginal table favours the payer;
/// moving the bonus's first bound down puts more years in a paying band and
/// favours the payee; a band's bound made strict moves one value into the
/// next band.
#[test]
fn a_change_to_a_tier_table_says_whom_it_favours() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("examples/sales-commission.proviso")).unwrap();
    let edited = text
        .replace(
            "over USD 1,000,000 up to USD 5,000,000: 2.9%",
            "over USD 1,000,000 up to USD 5,000,000: 2.8%",
        )
        .replace(
            "below USD 10,000,000: 0%, from USD 10,000,000 below",
            "below USD 8,000,000: 0%, from USD 8,000,000 below",
        )
        .replace(
            "through 1,000: USD 2.00, above: USD 1.50",
            "below 1,000: USD 2.00, above: USD 1.50",
        );
    let text = review_text("sales-commission.proviso", &text, &edited);
    assert!(
        text.contains("2.8%, above: 2.5%) (favours principal: a lower amount from the tiers)"),
        "{text}"
    );
    assert!(
        text.contains("from USD 20,000,000: 1%) of total sale.amount (favours agent: a higher rate in the tiers)"),
        "{text}"
    );
    // Per unit, marginal: whether 1,000 itself is in the first band makes
    // no difference to any amount, so nobody is favoured.
    assert!(
        text.contains("(below 1,000: USD 2.00, above: USD 1.50)\n"),
        "{text}"
    );
}

/// A changed definition is shown with its old and new meaning and, when
/// its value falls for every input, favours whoever pays the amounts that
/// use it.
#[test]
fn a_changed_definition_says_whom_it_favours() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("examples/resale-net-revenue.proviso")).unwrap();
    let with_rate = |rate: &str| {
        text.replace(
            "reseller must pay vendor 20% of net_revenue",
            "reseller must pay vendor share_rate of net_revenue",
        )
        .replace(
            "define qualifying_sale",
            &format!("define share_rate \"Share Rate\" = {rate}\ndefine qualifying_sale"),
        )
    };
    let text = review_text("resale.proviso", &with_rate("20%"), &with_rate("18%"));
    assert!(text.contains("definition share_rate: changed"), "{text}");
    assert!(
        text.contains("what share_rate means: 20% → 18% (favours reseller: a lower share in the amounts that use share_rate)"),
        "{text}"
    );
}

/// A definition used through another, the other way round, gains the other
/// party: when the uses disagree, the review names no one.
#[test]
fn a_changed_definition_used_both_ways_favours_no_one() {
    let contract = |allowance: &str| {
        format!(
            r#"contract "Favours" effective 2026-01-01 term through 2026-12-31
  currency USD
  settlement by payment
party seller "Seller"
party agent "Agent"
event sale by party {{ amount: money }}
event payment by party {{ to: party, amount: money }}
define allowance "Selling allowance" = USD {allowance}
define net_sale "Net Sale" = sale.amount - allowance
clause 1 "Allowance fee"
  seller must pay agent 10% of allowance on each sale due 30 days after the event
clause 2 "Commission"
  seller must pay agent 50% of net_sale on each sale due 30 days after the event
"#
        )
    };
    let text = review_text("favours.proviso", &contract("100.00"), &contract("200.00"));
    // Per sale, clause 1 owes USD 10 more and clause 2 USD 50 less.
    assert!(
        text.contains("what allowance means: USD 100.00 → USD 200.00\n"),
        "{text}"
    );
}

/// A lower aggregate cap, or one over more clauses, favours the party that
/// pays; a higher opening balance of a loan favours the lender its final
/// payment goes to; interest at a lower rate favours the borrower.
#[test]
fn changed_caps_and_accounts_say_whom_they_favour() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let caps = std::fs::read_to_string(root.join("examples/service-credits-cap.proviso")).unwrap();
    let lower = caps.replace(
        "capped at 10% of USD 50,000.00",
        "capped at 8% of USD 50,000.00",
    );
    let text = review_text("caps.proviso", &caps, &lower);
    assert!(
        text.contains("cap: 10% of USD 50,000.00 → 8% of USD 50,000.00 (favours provider: a lower cap on what it owes)"),
        "{text}"
    );
    let fewer = caps.replace(
        "under clauses 9, 9.1 capped at USD 12,000.00",
        "under clause 9 capped at USD 12,000.00",
    );
    assert_ne!(fewer, caps);
    let text = review_text("caps.proviso", &caps, &fewer);
    assert!(
        text.contains("capped clauses: 9, 9.1 → 9 (against provider: the cap limits what it owes under fewer clauses)"),
        "{text}"
    );

    let loan = std::fs::read_to_string(root.join("examples/instalment-interest.proviso")).unwrap();
    let bigger = loan.replace("opening EUR 10,000.00", "opening EUR 12,000.00");
    let text = review_text("loan.proviso", &loan, &bigger);
    assert!(
        text.contains("opening balance of loan: EUR 10,000.00 → EUR 12,000.00 (favours lender: a higher balance of loan (opening balance) in the amounts that use it)"),
        "{text}"
    );
    let cheaper = loan.replace(
        "increased by 1.5% of balance",
        "increased by 1.25% of balance",
    );
    let text = review_text("loan.proviso", &loan, &cheaper);
    assert!(
        text.contains("(favours borrower: a lower balance of loan (share of movement 2) in the amounts that use it)"),
        "{text}"
    );
}

/// Two movements swapped, or a larger opening on a later day, may cancel
/// out: the review names no one for either.
#[test]
fn changes_to_an_account_that_may_cancel_out_favour_no_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let loan = std::fs::read_to_string(root.join("examples/instalment-interest.proviso")).unwrap();
    let later = loan.replace(
        "opening EUR 10,000.00 on 2026-01-01",
        "opening EUR 12,000.00 on 2026-02-01",
    );
    let text = review_text("loan.proviso", &loan, &later);
    assert!(
        text.contains("opening balance of loan: EUR 10,000.00 → EUR 12,000.00\n"),
        "{text}"
    );
    let swapped = loan.replace(
        "  decreased by payment.amount capped at balance of loan\n    on each payment by borrower where payment.to = lender\n  increased by 1.5% of balance of loan rounded half-up to 0.01\n    at the end of each month\n",
        "  increased by 1.5% of balance of loan rounded half-up to 0.01\n    at the end of each month\n  decreased by payment.amount capped at balance of loan\n    on each payment by borrower where payment.to = lender\n",
    );
    assert_ne!(swapped, loan);
    let text = review_text("loan.proviso", &loan, &swapped);
    assert!(text.contains("movement 1 of loan"), "{text}");
    assert!(!text.contains("favours"), "{text}");
}

/// A milestone's running total or count made higher or lower says whom it
/// favours when every rule that turns on the milestone gains one party
/// from it coming later, and says nothing when rules pull different ways.
#[test]
fn a_threshold_raised_or_lowered_says_whom_it_favours_only_when_all_rules_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("examples/licence-instalments.proviso")).unwrap();
    // The licence (the licensor's to give later) and the maintenance (the
    // licensee's to pay later) both start at `fee_paid`: no one party.
    let higher_fee = text.replace("reaches USD 100,000.00", "reaches USD 120,000.00");
    let review = review_text("licence-instalments.proviso", &text, &higher_fee);
    assert!(
        review.contains(
            "reaches USD 100,000.00 → total instalment.amount where cleared reaches USD 120,000.00"
        ),
        "{review}"
    );
    assert!(!review.contains("(favours "), "{review}");
    assert!(!review.contains("(against "), "{review}");
    // Without the maintenance, only the licence turns on it: a higher fee
    // puts the licence off, which favours the licensor.
    let without_maintenance = |t: &str| {
        let start = t.find("clause 2 \"Maintenance\"").unwrap();
        let end = t.find("clause 3 \"Persistent delay\"").unwrap();
        format!("{}{}", &t[..start], &t[end..])
    };
    let review = review_text(
        "licence-only.proviso",
        &without_maintenance(&text),
        &without_maintenance(&higher_fee),
    );
    assert!(
        review
            .contains("(favours licensor: a higher amount to reach, so fee_paid is reached later)"),
        "{review}"
    );
    let lower_fee = text.replace("reaches USD 100,000.00", "reaches USD 80,000.00");
    let review = review_text(
        "licence-lower.proviso",
        &without_maintenance(&text),
        &without_maintenance(&lower_fee),
    );
    assert!(
        review
            .contains("(against licensor: a lower amount to reach, so fee_paid is reached sooner)"),
        "{review}"
    );
    // The credits start at the third late release (the licensor's to pay
    // later) and so does the right to terminate, whose other side the
    // contract does not name: nothing is said.
    let fourth = text.replace("where late reaches 3", "where late reaches 4");
    let review = review_text("licence-fourth.proviso", &text, &fourth);
    assert!(
        review.contains("reaches 3 → count release by licensor where late reaches 4"),
        "{review}"
    );
    assert!(!review.contains("(favours "), "{review}");
}

/// The review names no one for a threshold changed where an exception
/// turns on the milestone (a later milestone keeps the general rule in
/// force longer), nor for amounts in different currencies; a step written
/// twice and taken away once is one step fewer.
#[test]
fn a_threshold_in_an_exception_or_another_currency_names_no_one() {
    let contract = |threshold: &str| {
        format!(
            r#"contract "Royalty" effective 2026-01-01 term through 2027-12-31
  currency USD
  settlement by payment
party licensor "Licensor"
party licensee "Licensee"
event sell by party {{ net_sales: money }}
event payment by party {{ to: party, amount: money }}
milestone volume_reached: total sell.net_sales reaches {threshold}
clause 4 "Royalty"
  licensee must pay licensor 8% of sell.net_sales on each sell due 30 days after the event
clause 4.1 "Reduced royalty" exception to 4
  licensee must pay licensor 4% of sell.net_sales on each sell from volume_reached due 30 days after the event
"#
        )
    };
    let review = review_text(
        "royalty-exception.proviso",
        &contract("USD 1,000,000.00"),
        &contract("USD 2,000,000.00"),
    );
    assert!(review.contains("reaches USD 2,000,000.00"), "{review}");
    assert!(!review.contains("(favours "), "{review}");
    assert!(!review.contains("(against "), "{review}");

    let licence = |milestone: &str| {
        format!(
            r#"contract "Licence" effective 2026-01-01 term through 2027-12-31
party licensor "Licensor"
party licensee "Licensee"
event payment by party {{ amount: money }}
event use by party {{ }}
milestone paid: {milestone}
clause 1 "Licence"
  licensor grants licensee licence "use" over use until paid
"#
        )
    };
    let review = review_text(
        "licence-currency.proviso",
        &licence("total payment.amount reaches USD 100,000.00"),
        &licence("total payment.amount reaches JPY 90,000.00"),
    );
    assert!(review.contains("reaches JPY 90,000.00"), "{review}");
    assert!(!review.contains("(favours "), "{review}");
    assert!(!review.contains("(against "), "{review}");
    // One of two identical steps taken away: the licence ends sooner.
    let review = review_text(
        "licence-steps.proviso",
        &licence(
            "total payment.amount reaches USD 100.00, then total payment.amount reaches USD 100.00",
        ),
        &licence("total payment.amount reaches USD 100.00"),
    );
    assert!(
        review.contains("(against licensee: fewer steps"),
        "{review}"
    );
}

/// A higher share favours the party paid only when the share is all that
/// changed: with the base made a month's orders instead of a year's, no
/// direction can be told.
#[test]
fn a_higher_share_of_another_base_names_no_one() {
    let contract = |amount: &str| {
        format!(
            r#"contract "Supply" effective 2026-01-01 term through 2027-12-31
  currency USD
  settlement by payment
party buyer "Buyer"
party supplier "Supplier"
event order by party {{ value: money }}
event payment by party {{ to: party, amount: money }}
clause 2 "Volume rebate"
  supplier must pay buyer {amount}
    on each order
    due 30 days after the event
"#
        )
    };
    let old = contract("2% of total order.value within the last 12 months");
    let review = review_text(
        "rebate-base.proviso",
        &old,
        &contract("3% of total order.value within the last 1 month"),
    );
    assert!(review.contains("within the last 1 month"), "{review}");
    assert!(!review.contains("(favours "), "{review}");
    let review = review_text(
        "rebate-share.proviso",
        &old,
        &contract("3% of total order.value within the last 12 months"),
    );
    assert!(
        review.contains("(favours buyer: a higher share)"),
        "{review}"
    );
}

/// A group bound by a prohibition that grows (a member listed, a way of
/// leaving removed) binds more parties: the review says it is against the
/// group; a group that is only a grantee gains by growing.
#[test]
fn a_changed_group_says_whom_it_favours() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let old = std::fs::read_to_string(root.join("examples/affiliates.proviso")).unwrap();
    let wider = old
        .replace(
            "= lumen_ai, lumen_devices",
            "= lumen_ai, lumen_devices, lumen_europe",
        )
        .replace(
            "  leaves on company_sold.company where seller is lumen_ai\n",
            "",
        );
    assert_ne!(wider, old);
    let text = review_text("affiliates.proviso", &old, &wider);
    assert!(
        text.contains("added member of group lumen: `lumen_europe` (against lumen: its rules bind more parties)"),
        "{text}"
    );
    assert!(
        text.contains("removed event by which a party leaves group lumen: `leaves on company_sold.company where seller is lumen_ai` (against lumen: its rules bind more parties)"),
        "{text}"
    );
    // A condition taken off a way of joining widens the group.
    let any_buyer = old.replace(" where buyer is lumen_ai", "");
    let text = review_text("affiliates.proviso", &old, &any_buyer);
    assert!(
        text.contains(
            "joins on company_bought.company (against lumen: its rules bind more parties)"
        ),
        "{text}"
    );
    // Bound to act: any member's act performs it, so more members favour
    // the group.
    let must = old.replace(
        "  lumen must not buy_compute\n",
        "  lumen must buy_compute\n    due 2026-06-30\n",
    );
    let (must_old, must_new) = (
        must.replace(
            "  lumen grants stratus non_exclusive licence \"Lumen models\"\n    over release\n",
            "",
        ),
        wider
            .replace(
                "  lumen must not buy_compute\n",
                "  lumen must buy_compute\n    due 2026-06-30\n",
            )
            .replace(
                "  lumen grants stratus non_exclusive licence \"Lumen models\"\n    over release\n",
                "",
            ),
    );
    assert_ne!(must_old, old);
    let text = review_text("affiliates.proviso", &must_old, &must_new);
    assert!(
        text.contains("added member of group lumen: `lumen_europe` (favours lumen: more parties have its rights)"),
        "{text}"
    );
    // Only a grantee: a larger group has the licence for more parties.
    let grantee =
        |text: &str| {
            text.replace(
            "  lumen grants stratus non_exclusive licence \"Lumen models\"\n    over release\n",
            "  stratus grants lumen non_exclusive licence \"Stratus models\"\n    over release\n",
        )
        .replace("  lumen must not buy_compute\n", "  stratus must not buy_compute\n")
        };
    let (old, wider) = (grantee(&old), grantee(&wider));
    let text = review_text("affiliates.proviso", &old, &wider);
    assert!(
        text.contains("added member of group lumen: `lumen_europe` (favours lumen: more parties have its rights)"),
        "{text}"
    );
    // A changed condition for joining names no one.
    let other = old.replace("where buyer is lumen_ai", "where buyer is lumen_devices");
    let text = review_text("affiliates.proviso", &old, &other);
    assert!(
        text.contains("event by which a party joins group lumen: joins on company_bought.company where buyer is lumen_ai → joins on company_bought.company where buyer is lumen_devices\n"),
        "{text}"
    );
}

/// A prohibition of a group and a permission of one of its members (or
/// the reverse) can apply to the same act: the conflict lint says so.
#[test]
fn a_group_and_its_member_meet_in_the_conflict_lint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = std::fs::read_to_string(root.join("examples/affiliates.proviso")).unwrap();
    let with_permission = format!(
        "{base}\nclause 3 \"Burst capacity\"\n  text \"Lumen AI may buy compute elsewhere.\"\n  lumen_ai may buy_compute\n"
    );
    let dir = std::env::temp_dir().join(format!("proviso-group-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("affiliates.proviso");
    std::fs::write(&path, &with_permission).unwrap();
    let output = proviso(&["lint", path.to_str().unwrap(), "--color", "never"]);
    std::fs::remove_dir_all(&dir).unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        text.contains(
            "clause 3 permits what clause 2 forbids, and neither is an exception to the other"
        ),
        "{text}"
    );
}

/// Changes to an ownership rule say whom they favour: a larger share its
/// owner, a passing of title to another against the owner, one back to
/// the owner for it; a grant that may now pass, its grantee.
#[test]
fn changed_ownership_says_whom_it_favours() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let old = std::fs::read_to_string(root.join("examples/software-title.proviso")).unwrap();
    let edit = |from: &str, to: &str| {
        let new = old.replace(from, to);
        assert_ne!(new, old, "{from}");
        review_text("software-title.proviso", &old, &new)
    };
    let text = edit("developer owns 60% of", "developer owns 50% of");
    assert!(
        text.contains("share of each asset: 60% → 50% (against developer: a smaller share)"),
        "{text}"
    );
    let text = edit(
        "    title passes to client once paid_in_full\n",
        "    title passes to client once paid_in_full\n    title passes to developer on payment by client where amount > USD 100,000.00\n",
    );
    assert!(
        text.contains("(favours developer: its title comes back to it)"),
        "{text}"
    );
    let text = edit(
        "  university owns 40% of assets made by invent\n",
        "  university owns 40% of assets made by invent\n    title passes to client on payment by client\n",
    );
    assert!(
        text.contains(
            "`title passes to client on payment by client` (against university: its title may pass)"
        ),
        "{text}"
    );
    let text = edit(
        "    passes to assign_licence.assignee where assign_licence.by is client\n",
        "",
    );
    assert!(
        text.contains("(favours developer: it no longer passes to another)"),
        "{text}"
    );
}
