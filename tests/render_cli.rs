//! `proviso render` through the real binary. The page is parsed with an
//! HTML parser (`scraper`, html5ever underneath, as a browser parses) and
//! its structure asserted: every clause with its heading and wording,
//! every finding with its amount (worked out by hand below), one timeline
//! mark per milestone reached and per due date, nothing fetched from
//! outside the page, user text shown as text; and the redline against the
//! 2019 version. Exit codes and the untouched output on failure too.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use scraper::{Html, Selector};

mod common;
use common::proviso;

const FLAGSHIP: &str = "contracts/microsoft-openai-2025.proviso";
const FLAGSHIP_2019: &str = "contracts/microsoft-openai-2019.proviso";
const FLAGSHIP_EVENTS: &str = "contracts/events/microsoft-openai-2025.json";

fn render(args: &[&str]) -> Html {
    let mut all = vec!["render"];
    all.extend_from_slice(args);
    let output = proviso(&all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Html::parse_document(&String::from_utf8(output.stdout).unwrap())
}

fn select<'a>(page: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    page.select(&Selector::parse(css).unwrap()).collect()
}

fn text(element: &scraper::ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A table row: its cells' text, one space between cells.
fn cells(row: &scraper::ElementRef<'_>) -> String {
    row.select(&Selector::parse("th, td").unwrap())
        .map(|cell| text(&cell))
        .collect::<Vec<_>>()
        .join(" ")
}

fn one(page: &Html, css: &str) -> String {
    let found = select(page, css);
    assert_eq!(found.len(), 1, "{css}: {} found", found.len());
    text(&found[0])
}

#[test]
fn every_clause_is_shown_with_its_heading_wording_and_a_reading() {
    let page = render(&[FLAGSHIP, FLAGSHIP_EVENTS]);
    let contract = proviso::Contract::load(Path::new(FLAGSHIP)).unwrap();
    let clauses = &contract.checked().file.clauses;
    assert_eq!(clauses.len(), 11);
    for clause in clauses {
        let id = format!("clause-{}", clause.number.node);
        let heading = one(&page, &format!("section[id='{id}'] h3"));
        let expected = clause.heading.as_ref().unwrap().node.as_str();
        assert!(heading.contains(expected), "{heading}");
        let wording = text(&select(&page, &format!("section[id='{id}'] blockquote.wording"))[0]);
        for w in &clause.wording {
            assert!(wording.contains(&w.node), "{id}: {wording}");
        }
        let readings = select(&page, &format!("section[id='{id}'] .reading li"));
        assert_eq!(readings.len(), clause.statements.len(), "{id}");
    }
    // The readings say what the rules say, in words.
    let share = one(&page, "section[id='clause-1'] .reading li");
    assert!(
        share
            .starts_with("OpenAI Group PBC must pay Microsoft Corporation 20% of the total amount"),
        "{share}"
    );
    assert!(
        share.contains("due 45 days after the end of the period"),
        "{share}"
    );
    // Exceptions are linked both ways.
    assert!(
        !select(
            &page,
            "section[id='clause-3'] .clause-meta a[href='#clause-3.1']"
        )
        .is_empty()
    );
    assert!(
        !select(
            &page,
            "section[id='clause-3.1'] .clause-meta a[href='#clause-3']"
        )
        .is_empty()
    );
    // Defined terms link to their definitions, which exist.
    for link in select(&page, "a.term") {
        let target = link.value().attr("href").unwrap().trim_start_matches('#');
        assert_eq!(
            select(&page, &format!("[id='{target}']")).len(),
            1,
            "no definition for {target}"
        );
    }
}

#[test]
fn the_parties_and_the_cap_table_with_the_valuation_a_stake_implies() {
    let page = render(&[FLAGSHIP]);
    let parties = select(&page, "table.parties tbody tr");
    assert_eq!(parties.len(), 5);
    assert!(text(&parties[1]).contains("OpenAI Group PBC"));
    let rows: Vec<String> = select(&page, "section[id='clause-2'] figure.cap-table tbody tr")
        .iter()
        .map(cells)
        .collect();
    // USD 135 billion for 27% values the whole at 135 / 0.27 = 500 billion.
    assert_eq!(
        rows[0],
        "Microsoft Corporation 27% as-converted diluted USD 135,000,000,000.00 USD 500,000,000,000.00"
    );
    assert_eq!(rows.len(), 3);
    // 27 + 26 + 47 = 100.
    assert!(
        one(&page, "section[id='clause-2'] figure.cap-table figcaption").contains("100% declared")
    );
    assert_eq!(select(&page, "svg.cap-chart rect.segment-0").len(), 1);
}

#[test]
fn every_finding_is_shown_with_its_amount_and_status_in_words() {
    let page = render(&[FLAGSHIP, FLAGSHIP_EVENTS]);
    let payments: Vec<String> = select(&page, "#findings-obligations article")
        .iter()
        .map(text)
        .collect();
    // 20% of each quarter's revenue: 10,000,000 → 2,000,000 (paid
    // 2026-05-10, before its due date 45 days after 2026-03-31);
    // 12,500,000 → 2,500,000; 40,000,000 → 8,000,000; and 2030-Q2, when
    // AGI was verified on 2030-05-20: 49 of its 91 days (April 1 to May 19)
    // before it, 50,000,000 × 20% × 49 / 91 = 5,384,615.38.
    let expected = [
        ("DISCHARGED", "USD 2,000,000.00 for 2026-Q1, due 2026-05-15"),
        ("OVERDUE", "USD 2,500,000.00 for 2026-Q2, due 2026-08-14"),
        ("OVERDUE", "USD 8,000,000.00 for 2030-Q1, due 2030-05-15"),
        ("OPEN", "USD 5,384,615.38 for 2030-Q2, due 2030-08-14"),
    ];
    assert_eq!(payments.len(), expected.len());
    for (shown, (status, words)) in payments.iter().zip(expected) {
        assert!(shown.starts_with(status), "{shown}");
        assert!(shown.contains(words), "{shown}");
    }
    // The reasoning is folded under each finding.
    assert_eq!(
        select(&page, "#findings-obligations article details.why").len(),
        4
    );
    let violations: Vec<String> = select(&page, "#findings-violations article")
        .iter()
        .map(text)
        .collect();
    assert_eq!(violations.len(), 2);
    assert!(violations[0].contains("clause 4") && violations[0].contains("(id serve-1)"));
    assert!(violations[1].contains("clause 5") && violations[1].contains("(id open-large)"));
    let entitlements: Vec<String> = select(&page, "#findings-entitlements article")
        .iter()
        .map(text)
        .collect();
    assert_eq!(entitlements.len(), 4);
    assert!(entitlements[0].starts_with("NOT COVERED") && entitlements[0].contains("(id device)"));
    // USD 1 billion bought on Azure of the 250 billion: 0.4%.
    let commitment = one(&page, "#findings-commitments article");
    assert!(
        commitment.contains("committed USD 250,000,000,000.00 by 2032-12-31"),
        "{commitment}"
    );
    assert!(
        commitment.contains("0.4% — USD 1,000,000,000.00 of USD 250,000,000,000.00"),
        "{commitment}"
    );
    assert!(one(&page, "#findings-milestones article").contains("reached 2030-05-20"));
    assert!(one(&page, "#findings-permissions article").contains("(id serve-2)"));
    // Owed and paid per period: the same four periods, in figures.
    let periods: Vec<String> = select(&page, "figure.chart-figure table tbody tr")
        .iter()
        .map(cells)
        .collect();
    assert_eq!(periods[0], "2026-Q1 USD 2,000,000.00 USD 2,000,000.00");
    assert_eq!(periods[3], "2030-Q2 USD 5,384,615.38 USD 0.00");
}

#[test]
fn the_timeline_marks_each_milestone_and_each_due_date() {
    let page = render(&[FLAGSHIP, FLAGSHIP_EVENTS]);
    let svg = select(&page, "svg.timeline");
    assert_eq!(svg.len(), 1);
    // One milestone reached (agi); four payments with a due date.
    assert_eq!(select(&page, "svg.timeline .mark-milestone").len(), 1);
    let due: Vec<String> = select(&page, "svg.timeline .mark-due title")
        .iter()
        .map(text)
        .collect();
    assert_eq!(due.len(), 4, "{due:?}");
    assert!(due.iter().any(|t| t.contains("due 2026-08-14: overdue")));
    // Status is a shape as well as a colour: overdue marks are triangles.
    assert_eq!(
        select(&page, "svg.timeline path.mark-due.status-overdue").len(),
        2
    );
    // One payment, two violations, the commitment's deadline.
    assert_eq!(select(&page, "svg.timeline .mark-payment").len(), 1);
    assert_eq!(select(&page, "svg.timeline .mark-violation").len(), 2);
    assert_eq!(select(&page, "svg.timeline .mark-deadline").len(), 1);
    // The term's lane and one per rule with a window: 11 rules, of which
    // 3 (two holdings... ) have none: clause 2's four rules and 3.1's exclusion.
    let lanes = select(&page, "svg.timeline g.lane").len();
    assert_eq!(lanes, 1 + 10);
}

#[test]
fn the_page_fetches_nothing_and_runs_no_script() {
    for args in [
        vec![FLAGSHIP, FLAGSHIP_EVENTS],
        vec![FLAGSHIP, "--against", FLAGSHIP_2019],
    ] {
        let page = render(&args);
        assert!(select(&page, "script").is_empty());
        assert!(select(&page, "link").is_empty());
        assert!(select(&page, "[src]").is_empty());
        for link in select(&page, "[href]") {
            let href = link.value().attr("href").unwrap();
            assert!(href.starts_with('#'), "a link out of the page: {href}");
        }
        assert_eq!(select(&page, "style").len(), 1);
    }
}

#[test]
fn user_text_is_shown_as_text() {
    let dir = tempdir();
    let events = std::fs::read_to_string(FLAGSHIP_EVENTS)
        .unwrap()
        .replace("\"serve-1\"", "\"<script>alert(1)</script>\"")
        .replace("\"open-large\"", "\"large\\u202eegral\"");
    let path = dir.join("events.json");
    std::fs::write(&path, events).unwrap();
    let output = proviso(&["render", FLAGSHIP, path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let html = String::from_utf8(output.stdout).unwrap();
    assert!(!html.contains("<script>"));
    assert!(!html.contains('\u{202e}'));
    let page = Html::parse_document(&html);
    assert!(select(&page, "script").is_empty());
    let violations: Vec<String> = select(&page, "#findings-violations article")
        .iter()
        .map(text)
        .collect();
    assert!(
        violations[0].contains("(id <script>alert(1)</script>)"),
        "{}",
        violations[0]
    );
    // A direction control is shown, not obeyed.
    assert!(
        violations[1].contains("(id large\\u{202e}egral)"),
        "{}",
        violations[1]
    );
}

#[test]
fn the_redline_against_2019() {
    let page = render(&[FLAGSHIP, "--against", FLAGSHIP_2019]);
    let summary = one(&page, "#changes .review-summary");
    assert!(
        summary.starts_with("6 clauses added, 0 removed, 5 changed"),
        "{summary}"
    );
    let changes: Vec<String> = select(&page, "#changes article.change")
        .iter()
        .map(text)
        .collect();
    // Money first: the stake fell from 32.5% to 27%.
    assert!(
        changes[0].starts_with("CHANGED clause 2 \"Equity\""),
        "{}",
        changes[0]
    );
    let rows: Vec<String> = select(&page, "#changes article.change table.changes tbody tr")
        .iter()
        .map(cells)
        .collect();
    assert!(rows.contains(
        &"the stake of microsoft in openai, percentage 32.5% 27% against microsoft: a lower stake".to_string()
    ));
    assert!(
        changes[0].contains("32.5% before Microsoft holds 27%"),
        "{}",
        changes[0]
    );
    assert!(
        changes
            .iter()
            .any(|c| c.starts_with("ADDED clause 6 \"Azure commitment\""))
    );
    // The licence window: until AGI or 2032, now through 2032 whatever happens.
    assert!(
        changes
            .iter()
            .any(|c| c.contains("favours microsoft: runs longer"))
    );
    // Wording, word by word: "holds" struck, "retains" written.
    let licence = select(&page, "#changes article.change")
        .into_iter()
        .find(|c| text(c).contains("clause 3 \"Intellectual property licence\""))
        .unwrap();
    let struck: Vec<String> = licence
        .select(&Selector::parse("td.redline del").unwrap())
        .map(|e| text(&e))
        .collect();
    let written: Vec<String> = licence
        .select(&Selector::parse("td.redline ins").unwrap())
        .map(|e| text(&e))
        .collect();
    assert_eq!(struck[0], "holds");
    assert_eq!(written[0], "retains");
    // A changed clause says so beside its text, linking to the review.
    assert!(one(&page, "section[id='clause-4'] h3").contains("CHANGED since the earlier version"));
}

#[test]
fn without_events_the_term_and_the_windows_and_no_status() {
    let page = render(&[FLAGSHIP]);
    assert!(select(&page, "#status").is_empty());
    assert_eq!(select(&page, "svg.timeline").len(), 1);
    assert!(select(&page, "svg.timeline [class~='mark']").is_empty());
    // With a date and no events: where things stand with nothing done.
    let page = render(&[FLAGSHIP, "--as-of", "2026-12-31"]);
    assert!(one(&page, "#status-h").contains("2026-12-31"));
    assert!(
        one(&page, "#status > p")
            .starts_with("No events: this is where the contract stands on 2026-12-31")
    );
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "proviso-render-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_page_is_written_whole_or_not_at_all() {
    let dir = tempdir();
    let out = dir.join("page.html");
    std::fs::write(&out, "the page before").unwrap();
    // A broken contract: exit 2 with its diagnostics, the old page kept.
    let broken = dir.join("broken.proviso");
    std::fs::write(&broken, "contract \"X\" effective 2026-13-01").unwrap();
    let output = proviso(&[
        "render",
        broken.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("E0103"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the page before");
    // Broken events: the same.
    let events = dir.join("events.json");
    std::fs::write(
        &events,
        "[{\"type\": \"nothing\", \"date\": \"2026-01-01\"}]",
    )
    .unwrap();
    let output = proviso(&[
        "render",
        FLAGSHIP,
        events.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the page before");
    // A page that cannot be written: exit 2, said.
    let nowhere = dir.join("no-such-folder").join("page.html");
    let output = proviso(&["render", FLAGSHIP, "-o", nowhere.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("could not be written"));
    // Written: the whole page, and nothing on standard output.
    let output = proviso(&[
        "render",
        FLAGSHIP,
        FLAGSHIP_EVENTS,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn every_example_renders_with_its_events() {
    let mut rendered = 0;
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "proviso") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let events = Path::new("examples/events").join(format!("{stem}.json"));
        let mut args = vec![path.to_str().unwrap().to_string()];
        if events.exists() {
            args.push(events.to_str().unwrap().to_string());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let page = render(&args);
        // Wording over several lines keeps its breaks, not `\u{a}`.
        for wording in select(&page, "blockquote.wording") {
            assert!(
                !text(&wording).contains("\\u{a}"),
                "{stem}: {}",
                text(&wording)
            );
        }
        let contract = proviso::Contract::load(&path).unwrap();
        assert_eq!(
            select(&page, "section.clause").len(),
            contract.checked().file.clauses.len(),
            "{stem}"
        );
        rendered += 1;
    }
    assert!(rendered >= 14, "{rendered}");
}

/// The plain-words reading of every rule of every shipped contract, as a
/// snapshot: a change to how a rule reads is reviewed like code.
#[test]
fn the_readings_of_every_shipped_contract() {
    let mut files: Vec<std::path::PathBuf> = ["contracts", "examples"]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "proviso"))
        .collect();
    files.sort();
    let mut out = String::new();
    for path in files {
        let contract = proviso::Contract::load(&path).unwrap();
        let checked = contract.checked();
        let mut reader = proviso::render::reading::Reader::new(checked);
        out.push_str(&format!("== {}\n", path.display()));
        for (_, clause) in checked.clauses() {
            out.push_str(&format!("clause {}\n", clause.number.node));
            for statement in &clause.statements {
                let reading = proviso::render::reading::plain(&reader.statement(clause, statement));
                out.push_str(&format!("  - {reading}\n"));
            }
        }
        out.push('\n');
    }
    common::snapshots_in("render").bind(|| insta::assert_snapshot!("readings", out));
}

#[test]
fn damages_and_late_performance_are_marked_on_their_rule() {
    let page = render(&[
        "examples/equipment-warranty.proviso",
        "examples/events/equipment-warranty.json",
    ]);
    let marks: Vec<String> = select(&page, "svg.timeline .mark-due title")
        .iter()
        .map(text)
        .collect();
    // The repair reported 2026-05-04 was due 10 days later, 2026-05-14, and
    // done 2026-05-20: late. The one reported 2026-05-06, due 2026-05-16, was
    // done 2026-05-08. The late one owes USD 500 damages from its first day
    // in default, 2026-05-15, due 30 days later: 2026-06-14, unpaid.
    assert_eq!(
        marks,
        [
            "USD 500.00 owed by supplier to buyer, due 2026-06-14: overdue",
            "supplier to repair, due 2026-05-14: done late",
            "supplier to repair, due 2026-05-16: discharged",
        ]
    );
    assert_eq!(
        select(&page, "svg.timeline rect.mark-due.status-late").len(),
        1
    );

    let page = render(&[
        "examples/saas-breach.proviso",
        "examples/events/saas-breach.json",
    ]);
    // February's fee, due 2026-03-15, was paid in full on 2026-03-27.
    let late: Vec<String> = select(&page, "svg.timeline .status-late title")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        late,
        ["USD 2,000.00 owed by customer to provider, due 2026-03-15: paid in full 12 days late"]
    );
}

#[test]
fn a_term_of_eight_thousand_years_has_a_readable_axis() {
    let dir = tempdir();
    let path = dir.join("long.proviso");
    std::fs::write(
        &path,
        "contract \"Long\" effective 2026-01-01 term through 9999-12-31\n\
         party a \"A\"\n\
         event ping by party { }\n\
         clause 1 \"Pings\"\n  a may ping\n",
    )
    .unwrap();
    let page = render(&[path.to_str().unwrap()]);
    let ticks = select(&page, "svg.timeline text.axis").len();
    assert!((8..=13).contains(&ticks), "{ticks} year labels");
}

/// A milestone reached by a running total or a count reads in words, and
/// its finding shows how far each has come.
#[test]
fn a_running_total_or_count_reads_in_words_and_shows_its_progress() {
    let page = render(&[
        "examples/licence-instalments.proviso",
        "examples/events/licence-instalments.json",
        "--as-of",
        "2026-04-30",
    ]);
    let definitions: Vec<String> = select(&page, "#definitions dd").iter().map(text).collect();
    assert!(
        definitions.iter().any(|d| d.starts_with("Reached once the total amount of “Licence fee instalment paid” events (where cleared) comes to USD 100,000.00 or more.")),
        "{definitions:?}"
    );
    assert!(
        definitions.iter().any(|d| d
            .starts_with("Reached once the 3rd of the “Release delivered” events by Northwind Software Inc. (where late).")),
        "{definitions:?}"
    );
    // On 30 April: 40,000.00 + 59,999.99 cleared, two late releases.
    let progress: Vec<String> = select(&page, "#findings-milestones .finding-detail")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        progress,
        [
            "total instalment.amount where cleared: USD 99,999.99 of USD 100,000.00 so far",
            "count release by licensor where late: 2 of 3 so far"
        ]
    );
}

#[test]
fn a_floor_has_a_row_of_the_term_and_names_the_party_it_pays() {
    let page = render(&[
        "examples/patent-licence-minimum.proviso",
        "examples/events/patent-licence-minimum.json",
        "--as-of",
        "2027-01-01",
    ]);
    // The floor's three shortfalls (Q1 paid, Q3 overdue, Q4 open) are
    // marked on a row of its own, the term's length.
    let due: Vec<String> = select(&page, "svg.timeline .mark-due title")
        .iter()
        .map(text)
        .collect();
    for shortfall in [
        "USD 4,000.00 owed by licensee to licensor, due 2026-05-15: discharged",
        "USD 10,000.00 owed by licensee to licensor, due 2026-11-14: overdue",
        "USD 10,000.00 owed by licensee to licensor, due 2027-02-14: open",
    ] {
        assert!(due.iter().any(|t| t == shortfall), "{shortfall} in {due:?}");
    }
    assert!(
        select(&page, "svg.timeline g.lane title")
            .iter()
            .map(text)
            .any(|t| t == "6 · floor: from 2026-01-01 through 2026-12-31")
    );
    let parties: Vec<String> = select(&page, "table.parties tbody tr")
        .iter()
        .map(cells)
        .collect();
    assert!(
        parties[0].contains("is paid at least a floor (6)"),
        "{parties:?}"
    );
    assert!(
        parties[1].contains("pays at least a floor (6)"),
        "{parties:?}"
    );
}

/// A group is a row of the parties table, with its members and how they
/// join and leave; each member says it belongs from the start; a rule
/// naming the group reads as its label.
#[test]
fn a_group_is_shown_with_its_members_and_read_by_its_label() {
    let page = render(&[
        "examples/affiliates.proviso",
        "examples/events/affiliates.json",
        "--as-of",
        "2026-12-31",
    ]);
    let rows: Vec<String> = select(&page, "table.parties tbody tr")
        .iter()
        .map(cells)
        .collect();
    assert!(
        rows.iter().any(|r| r.contains("lumen") && r.contains("a group: lumen_ai, lumen_devices; a party joins on each company_bought (the party in company) where buyer is lumen_ai; a party leaves on each company_sold (the party in company) where seller is lumen_ai; grants (1); is restricted (2)")),
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("lumen_devices") && r.contains("a member of lumen from the start")),
        "{rows:#?}"
    );
    let page_text = text(&page.root_element());
    assert!(
        page_text.contains(
            "Lumen and its Affiliates grants Stratus Cloud Corp. a non-exclusive licence"
        ),
        "{page_text}"
    );
}

/// A milestone reached when a clause is paid in full reads in words,
/// naming the clause.
#[test]
fn a_clause_paid_in_full_reads_in_words() {
    let page = render(&["examples/software-title.proviso"]);
    let definitions: Vec<String> = select(&page, "#definitions dd").iter().map(text).collect();
    assert!(
        definitions
            .iter()
            .any(|d| d == "Reached once every payment owed under clause 1 is paid in full."),
        "{definitions:?}"
    );
}
