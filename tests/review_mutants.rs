//! The change review misses nothing: every field of the contract model,
//! edited once, is reported with its old and its new value.
//!
//! Each mutant is one edit of `tests/valid/every-construct.proviso`. The
//! test checks two things:
//! - the review of the mutant against the original reports a change whose
//!   old value contains the expected old text and whose new value contains
//!   the expected new text (`None`: that side is absent);
//! - together the mutants change every field of the tree: each leaf of the
//!   tree of the original (spans aside; a value, a condition and a
//!   milestone's condition count as one leaf, since the review quotes them
//!   whole) is changed by at least one mutant. A field added to the tree
//!   appears here as a leaf no mutant changes, and fails the test until a
//!   mutant (and so the review) covers it.

// Helpers outside `#[test]` functions fail the test by panicking.
#![allow(clippy::panic)]

use std::collections::BTreeSet;

use proviso::diff::{self, Change, Version};
use proviso::{Limits, SourceFile};
use serde_json::Value as Json;

const BASE: &str = include_str!("valid/every-construct.proviso");

/// (edits: each text to replace, once, and its replacement; old value
/// expected; new value expected)
type Mutant = (
    &'static [(&'static str, &'static str)],
    Option<&'static str>,
    Option<&'static str>,
);

/// Fields of the tree that no text can give a value: `must not` and `may`
/// share the tree node of `must`, but the grammar gives them no due date
/// and no `on each` trigger.
const NO_VALUE_CAN_BE_WRITTEN: &[&str] = &[
    ".clauses[].statements[].May.rights",
    ".clauses[].statements[].May.matching",
    ".clauses[].statements[].May.damages",
    ".clauses[].statements[].MustNot.damages",
    ".clauses[].statements[].MustNot.matching",
    ".clauses[].statements[].MustNot.rights",
    ".clauses[].statements[].May.due",
    ".clauses[].statements[].May.trigger",
    ".clauses[].statements[].MustNot.due",
    ".clauses[].statements[].MustNot.trigger",
    ".clauses[].statements[].May.cure",
    ".clauses[].statements[].MustNot.cure",
];

/// Names changed wherever they occur, as whole words: (old name, new name,
/// old value expected, new value expected).
const RENAMES: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    ("USD", "EUR", Some("USD"), Some("EUR")),
    ("bank", "escrow", Some("bank"), Some("escrow")),
    ("region", "territory", Some("region"), Some("territory")),
    ("wholesale", "trade", Some("wholesale"), Some("trade")),
    (
        "calendar_year",
        "civil_year",
        Some("period calendar_year"),
        None,
    ),
    ("note", "memo", Some("note: text"), Some("memo: text")),
    ("audit", "inspect", Some("audit"), Some("inspect")),
    ("big_sale", "large_sale", Some("milestone big_sale"), None),
    ("net_of_fee", "net_amount", Some("define net_of_fee"), None),
    ("deposit", "held_funds", Some("account deposit"), None),
    ("allies", "partners", Some("group allies"), None),
];

/// `text` with every whole-word occurrence of `old` replaced by `new`.
fn rename(text: &str, old: &str, new: &str) -> String {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(old) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + old.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(word) || after.is_some_and(word) {
            out.push_str(old);
        } else {
            out.push_str(new);
        }
        rest = &rest[at + old.len()..];
    }
    out.push_str(rest);
    out
}

#[rustfmt::skip]
const MUTANTS: &[Mutant] = &[
    // The header.
    (&[("contract \"Every construct\"", "contract \"Every construct v2\"")], Some("Every construct"), Some("Every construct v2")),
    (&[("effective 2026-01-01", "effective 2026-02-01")], Some("2026-01-01"), Some("2026-02-01")),
    (&[("term through 2028-12-31", "term through 2029-12-31")], Some("through 2028-12-31"), Some("through 2029-12-31")),
    (&[("  currency USD\n", "")], Some("USD"), None),
    (&[("rounding half-even to 0.01", "rounding half-up to 0.01")], Some("half-even to 0.01"), Some("half-up to 0.01")),
    (&[("rounding half-even to 0.01", "rounding half-even to 1")], Some("half-even to 0.01"), Some("half-even to 1")),
    (&[("settlement by payment\n", "settlement by credit\n")], Some("payment"), Some("credit")),
    // Parties.
    (&[("party seller \"Seller Ltd\"", "party seller \"Seller Limited\"")], Some("\"Seller Ltd\""), Some("\"Seller Limited\"")),
    (&[("party bank   \"Escrow Bank\"", "party bank   \"Escrow Bank\"\nparty agent \"Agent\"")], None, Some("party agent \"Agent\"")),
    // Groups.
    (&[("group allies \"Seller and its affiliates\"", "group allies \"Affiliates\"")], Some("\"Seller and its affiliates\""), Some("\"Affiliates\"")),
    (&[("= seller, bank", "= seller")], Some("bank"), None),
    (&[("= seller, bank", "= seller, bank, buyer")], None, Some("buyer")),
    (&[("  leaves on payment.to\n", "  joins on payment.to\n")], Some("leaves on payment.to"), None),
    (&[("leaves on payment.to", "leaves on sell.counterparty")], Some("leaves on payment.to"), Some("leaves on sell.counterparty")),
    (&[("counterparty where promo", "counterparty where not promo")], Some("where promo"), Some("where not promo")),
    // Categories and members.
    (&[("category channel \"Sales channels\"", "category channel \"Channels\"")], Some("\"Sales channels\""), Some("\"Channels\"")),
    (&[("retail | online | wholesale", "retail | online | wholesale | direct")], None, Some("direct")),
    (&[("emea | apac | americas", "emea | apac")], Some("americas"), None),
    // Periods.
    (&[("period fiscal_year \"Seller's fiscal year\"", "period fiscal_year \"Fiscal year\"")], Some("\"Seller's fiscal year\""), Some("\"Fiscal year\"")),
    (&[("year starting july", "year starting october")], Some("year starting july"), Some("year starting october")),
    (&[("quarter starting april", "quarter starting may")], Some("quarter starting april"), Some("quarter starting may")),
    (&[("period calendar_year: year", "period calendar_year: quarter")], Some("year"), Some("quarter")),
    (&[("period calendar_year: year", "period calendar_year: year starting january")], Some("year"), Some("year starting january")),
    // Event types and fields.
    (&[("event payment by party \"Payment\"", "event payment by party \"Payment made\"")], Some("\"Payment\""), Some("\"Payment made\"")),
    (&[("event audit { }", "event audit by party { }")], Some("no"), Some("yes")),
    (&[("  units: count,\n", "  units: number,\n")], Some("count"), Some("number")),
    (&[("  weight: number,\n", "  weight: number,\n  colour: text,\n")], None, Some("colour: text")),
    (&[("event payment by party \"Payment\" { to: party, amount: money }", "event payment by party \"Payment\" { to: party, amount: money, memo: text }")], None, Some("memo: text")),
    // Milestones.
    (&[("milestone go_live \"Accepted, then audited or a fixed date\"", "milestone go_live \"Live\"")], Some("\"Accepted, then audited or a fixed date\""), Some("\"Live\"")),
    (&[("(accept by buyer, then audit) or 2028-06-30", "(accept by seller, then audit) or 2028-06-30")], Some("accept by buyer"), Some("accept by seller")),
    (&[("accept by buyer and audit", "accept by buyer and audit and sell")], Some("accept by buyer and audit"), Some("accept by buyer and audit and sell")),
    (&[("milestone big_sale: sell where net >= USD 1 million", "milestone big_sale: sell where net >= USD 2 million")], Some("USD 1 million"), Some("USD 2 million")),
    (&[("where payment.to is bank reaches USD 5,000.00", "where payment.to is bank reaches USD 6,000.00")], Some("reaches USD 5,000.00"), Some("reaches USD 6,000.00")),
    (&[("where payment.to is bank reaches", "where payment.to is seller reaches")], Some("payment.to is bank"), Some("payment.to is seller")),
    (&[("count audit reaches 3", "count audit reaches 4")], Some("count audit reaches 3"), Some("count audit reaches 4")),
    (&[("total sell.net\n  for each fiscal_quarter", "total sell.net\n  for each calendar_year")], Some("for each fiscal_quarter"), Some("for each calendar_year")),
    (&[("define period_units = total sell.units\n", "define period_units = total sell.units for each month\n")], None, Some("for each month")),
    (&[("clause 34 paid in full", "clause 34 paid in full or 2027-01-01")], Some("clause 34 paid in full"), Some("clause 34 paid in full or 2027-01-01")),
    (&[("USD 2,000.00\n    due 2026-06-30", "USD 2,000.00\n    due 2026-07-31")], Some("2026-06-30"), Some("2026-07-31")),
    (&[("clause 34 paid in full", "2027-01-01"), ("USD 2,000.00\n    due 2026-06-30", "USD 2,000.00\n    on each audit\n    due 2026-06-30")], Some("once"), Some("on each audit")),
    // Clause 1: every option of a payment.
    (&[("clause 1 \"Royalty\"", "clause 1 \"Royalties\"")], Some("\"Royalty\""), Some("\"Royalties\"")),
    (&[("clause 1 \"Royalty\"", "clause 1.5 \"Royalty\"")], Some("1"), Some("1.5")),
    (&[("A royalty per fiscal quarter on retail sales.", "A royalty per fiscal quarter on all sales.")], Some("retail"), Some("all")),
    (&[("8% of (total sell.net where channel is retail)", "9% of (total sell.net where channel is retail)")], Some("8%"), Some("9%")),
    (&[("    for each sell.quarter as earned\n    partial periods prorated\n", "    for each fiscal_quarter\n")], Some("for each sell.quarter"), Some("for each fiscal_quarter")),
    (&[("    from 2026-04-01\n", "    from 2026-05-01\n")], Some("from 2026-04-01"), Some("from 2026-05-01")),
    (&[("until go_live or through 2028-03-31, whichever is earlier", "until big_sale or through 2028-03-31, whichever is earlier")], Some("until go_live"), Some("until big_sale")),
    (&[("    due 30 days after the end of the period\n", "    due 45 days after the end of the period\n")], Some("30 days"), Some("45 days")),
    (&[("    settled by payment\n    late interest", "    settled by credit\n    late interest")], Some("payment"), Some("credit")),
    (&[("    rounded half-up to 0.01\n", "    rounded half-down to 0.01\n")], Some("half-up to 0.01"), Some("half-down to 0.01")),
    (&[("for each sell.quarter as earned\n    partial periods prorated\n", "for each sell.quarter as reported\n")], Some("as earned"), Some("as reported")),
    (&[("    partial periods prorated\n", "    partial periods excluded\n")], Some("partial periods prorated"), Some("partial periods excluded")),
    // Unwritten, a partial period owes the whole amount.
    (&[("    partial periods prorated\n", "")], Some("partial periods prorated"), Some("partial periods whole")),
    (&[("  seller must pay buyer 8%", "  buyer must pay seller 8%")], Some("seller"), Some("buyer")),
    // Clause 2: a payment on each event.
    (&[("on each sell by seller where channel is online", "on each sell by buyer where channel is online")], Some("by seller"), Some("by buyer")),
    (&[("    due 2 weeks after the event\n", "    due 3 weeks after the event\n")], Some("14 days"), Some("21 days")),
    (&[("USD 10 * sell.delay", "USD 20 * sell.delay")], Some("USD 10 * sell.delay"), Some("USD 20 * sell.delay")),
    // Clause 3: tiers.
    (&[("up to 1,000: 2%", "up to 1,000: 2.5%")], Some("2%"), Some("2.5%")),
    (&[("through USD 500: 1%", "below USD 500: 1%")], Some("through USD 500"), Some("below USD 500")),
    (&[("    due 1 month after the event\n", "    due 1 month after go_live\n")], Some("after the event"), Some("after go_live")),
    // Clause 4: obligations to act.
    (&[("seller must deliver on each order due 30 days", "seller must deliver on each deliver due 30 days")], Some("order"), Some("deliver")),
    (&[("seller must deliver on each order", "buyer must deliver on each order")], Some("seller"), Some("buyer")),
    (&[("seller must accept due 2026-12-31", "seller must accept due 2027-01-31")], Some("2026-12-31"), Some("2027-01-31")),
    (&[("seller must accept due 2026-12-31", "seller must deliver due 2026-12-31")], Some("accept"), Some("deliver")),
    (&[("buyer must accept due 10 days after go_live", "buyer must accept due 10 days after both")], Some("go_live"), Some("both")),
    // Clause 5: a prohibition, its carve-outs and window.
    (&[("seller must not sell where channel is wholesale", "seller must not sell where channel is retail")], Some("wholesale"), Some("retail")),
    (&[("    except region is apac\n", "    except region is americas\n")], Some("except region is apac"), Some("except region is americas")),
    (&[("    except region is apac\n", "    unless region is apac\n")], Some("except region is apac"), Some("unless region is apac")),
    (&[("    through go_live\n\nclause 5.1", "    through both\n\nclause 5.1")], Some("through go_live"), Some("through both")),
    // Clause 5.1: an exception and a permission.
    (&[("clause 6.1 \"Promotions\" exception to 6", "clause 6.1 \"Promotions\" exception to 6, 1")], Some("clause 6"), Some("clause 6, clause 1")),
    (&[("seller may sell where region is emea", "seller may sell where region is apac")], Some("emea"), Some("apac")),
    (&[("seller may sell where region is emea", "buyer may sell where region is emea")], Some("seller"), Some("buyer")),
    // Clause 6: grants.
    (&[("clause 6 \"Licence\" survives", "clause 6 \"Licence\"")], Some("yes"), Some("no")),
    (&[("clause 6 \"Licence\" survives", "clause 6 \"Licence\" survives for 3 years")], Some("yes, without end"), Some("yes, for 36 months")),
    (&[("seller grants buyer exclusive licence \"brand\"", "seller grants buyer non_exclusive licence \"brand\"")], Some("exclusive"), Some("non-exclusive")),
    (&[("seller grants buyer exclusive licence \"brand\"", "seller grants buyer exclusive right \"brand\"")], Some("licence"), Some("right")),
    (&[("seller grants buyer exclusive licence \"brand\"", "seller grants buyer exclusive licence \"trade mark\"")], Some("\"brand\""), Some("\"trade mark\"")),
    (&[("over sell where channel in (retail, online)", "over sell where channel in (retail)")], Some("(retail, online)"), Some("channel in (retail)")),
    (&[("over audit", "over accept")], Some("audit"), Some("accept")),
    (&[("from 2026-01-01 through 2030-12-31", "from 2026-01-01 through 2031-12-31")], Some("2030-12-31"), Some("2031-12-31")),
    (&[("    except channel not in (retail)\n", "    except channel not in (online)\n")], Some("(retail)"), Some("online")),
    (&[("seller grants bank non_exclusive right", "buyer grants bank non_exclusive right")], Some("seller"), Some("buyer")),
    (&[("seller grants bank non_exclusive right", "seller grants buyer non_exclusive right")], Some("bank"), Some("buyer")),
    (&[("passes to payment.to where", "passes to payment.by where")], Some("payment.to"), Some("payment.by")),
    (&[("passes to payment.to where amount > USD 100", "passes to sell.counterparty where net > USD 100")], Some("passes to payment.to"), Some("passes to sell.counterparty")),
    (&[("where amount > USD 100\n", "where amount > USD 200\n")], Some("amount > USD 100"), Some("amount > USD 200")),
    (&[("    passes to payment.to where amount > USD 100\n", "")], Some("passes to payment.to"), None),
    // Clause 6.1: an exclusion.
    (&[("excludes sell where promo", "excludes sell where not promo")], Some("promo"), Some("not promo")),
    (&[("excludes sell where promo", "excludes audit")], Some("sell"), Some("audit")),
    // Clause 7: holdings and the cap table.
    (&[("allow unused_party because \"kept for the schedule\"", "allow unused_party because \"kept\"")], Some("\"kept for the schedule\""), Some("\"kept\"")),
    (&[("allow unused_party because", "allow unused_member because")], Some("unused_party"), Some("unused_member")),
    (&[("seller holds 60% of bank", "seller holds 55% of bank")], Some("60%"), Some("55%")),
    (&[("basis \"fully diluted\"", "basis \"as converted\"")], Some("\"fully diluted\""), Some("\"as converted\"")),
    (&[("valued at USD 6 million", "valued at USD 7 million")], Some("USD 6 million"), Some("USD 7 million")),
    (&[("seller holds 60% of bank", "buyer holds 60% of bank")], Some("seller"), Some("buyer")),
    (&[("buyer holds 40% of bank", "buyer holds 40% of seller")], Some("bank"), Some("seller")),
    (&[("cap table of bank complete", "cap table of seller complete")], Some("bank"), Some("seller")),
    // Clause 8: a commitment.
    (&[("buyer commits to seller USD 2.5 billion", "buyer commits to seller USD 3 billion")], Some("USD 2.5 billion"), Some("USD 3 billion")),
    (&[("buyer commits to seller", "buyer commits to bank")], Some("seller"), Some("bank")),
    (&[("buyer commits to seller", "seller commits to buyer")], Some("buyer"), Some("seller")),
    (&[("measured by order.value", "measured by deliver.value")], Some("order.value"), Some("deliver.value")),
    (&[("where value > USD 0\n    until 2028-01-01", "where value > USD 1\n    until 2028-01-01")], Some("value > USD 0"), Some("value > USD 1")),
    (&[("    until 2028-01-01\n", "    until 2028-02-01\n")], Some("until 2028-01-01"), Some("until 2028-02-01")),
    (&[("    except due_date > 2028-06-30", "    except due_date > 2028-07-31")], Some("2028-06-30"), Some("2028-07-31")),
    // Clause 33: ownership.
    (&[("seller owns 70% of", "buyer owns 70% of")], Some("seller"), Some("buyer")),
    (&[("owns 70% of", "owns 80% of")], Some("70%"), Some("80%")),
    (&[("owns 70% of assets", "owns assets")], Some("70%"), Some("100%")),
    (&[("assets made by deliver where", "assets made by order where")], Some("deliver"), Some("order")),
    (&[("deliver where value > USD 0\n", "deliver where value > USD 5\n")], Some("value > USD 0"), Some("value > USD 5")),
    (&[("title passes to buyer on accept by buyer", "title passes to bank on accept by buyer")], Some("title passes to buyer on accept by buyer"), Some("title passes to bank on accept by buyer")),
    (&[("title passes to buyer on accept by buyer", "title passes to buyer on audit")], Some("on accept by buyer"), Some("on audit")),
    (&[("once paid_up", "once go_live")], Some("once paid_up"), Some("once go_live")),
    (&[("title passes to buyer on accept by buyer", "title passes to buyer on accept by seller")], Some("on accept by buyer"), Some("on accept by seller")),
    (&[("title passes to buyer on accept by buyer", "title passes to buyer on accept by buyer where true")], Some("on accept by buyer"), Some("on accept by buyer where true")),
    (&[("    title passes to bank once paid_up\n", "")], Some("title passes to bank once paid_up"), None),
    // Whole items added and removed.
    (&[("clause 8 \"Purchase commitment\"", "clause 9 \"Acceptance\"\n  buyer must accept due 2027-06-30\n\nclause 8 \"Purchase commitment\"")], None, Some("buyer must accept due 2027-06-30")),
    (&[("  buyer holds 40% of bank\n", "")], Some("buyer holds 40% of bank"), None),
    // Fields left empty in the base, given a value; values not covered above.
    (&[("category region:", "category region \"Regions\":")], None, Some("\"Regions\"")),
    (&[("  weight: number,\n", "  weight: number,\n  half: fiscal_year,\n"), ("for each sell.quarter", "for each sell.half")], Some("sell.quarter"), Some("sell.half")),
    (&[("  quarter: fiscal_quarter,", "  quarter: fiscal_year,")], Some("fiscal_quarter"), Some("fiscal_year")),
    (&[("event order by party { value: money, due_date: date }", "event order by party { value: money, due_date: date, quarter: fiscal_quarter }"), ("8% of (total sell.net where channel is retail) at least USD 5,000\n    for each sell.quarter", "8% of (total order.value) at least USD 5,000\n    for each order.quarter")], Some("sell.quarter"), Some("order.quarter")),
    (&[("event audit { }", "event audit \"Audit\" { }")], None, Some("\"Audit\"")),
    (&[("term through 2028-12-31\n  renews for 1 year unless audit 3 months before the end", "term through 2028-12-31 or until go_live, whichever is earlier")], Some("through 2028-12-31"), Some("until go_live")),
    (&[("renews for 1 year unless audit", "renews for 2 years unless audit")], Some("renews for 12 months"), Some("renews for 24 months")),
    (&[("unless audit 3 months before the end", "unless audit 60 days before the end")], Some("3 months before"), Some("60 days before")),
    (&[("unless audit 3 months before the end", "unless accept by buyer where true 3 months before the end")], Some("unless audit"), Some("unless accept by buyer where true")),
    (&[("milestone big_sale:", "milestone big_sale \"A big sale\":")], None, Some("\"A big sale\"")),
    // Definitions.
    (&[("define net_of_fee \"Net of the fee\"", "define net_of_fee \"Net sales\"")], Some("\"Net of the fee\""), Some("\"Net sales\"")),
    (&[("= sell.net - USD 10\n", "= sell.net - USD 20\n")], Some("sell.net - USD 10"), Some("sell.net - USD 20")),
    (&[("= sell.units > 500 and not promo", "= sell.units > 600 and not promo")], Some("sell.units > 500"), Some("sell.units > 600")),
    (&[("define bulk =", "define bulk \"Bulk sale\" =")], None, Some("\"Bulk sale\"")),
    // Accounts.
    (&[("account deposit \"Deposit held\"", "account deposit \"Deposit kept\"")], Some("\"Deposit held\""), Some("\"Deposit kept\"")),
    (&[("opening USD 5,000.00 on", "opening USD 6,000.00 on")], Some("USD 5,000.00"), Some("USD 6,000.00")),
    (&[("opening USD 5,000.00 on 2026-01-01", "opening USD 5,000.00 on 2026-02-01")], Some("2026-01-01"), Some("2026-02-01")),
    (&[("  decreased by credit.amount", "  increased by credit.amount")], Some("decreased by credit.amount"), Some("increased by credit.amount")),
    (&[("0.5% of balance of deposit", "0.75% of balance of deposit")], Some("0.5% of balance of deposit"), Some("0.75% of balance of deposit")),
    (&[("    on each credit by seller", "    on each credit by buyer")], Some("on each credit by seller"), Some("on each credit by buyer")),
    (&[("at the end of each fiscal_quarter", "at the end of each month")], Some("at the end of each fiscal_quarter"), Some("at the end of each month")),
    (&[("balance of deposit as of 2026-03-31", "balance of deposit as of 2026-02-28")], Some("as of 2026-03-31"), Some("as of 2026-02-28")),
    (&[("decreased by credit.amount", "decreased by payment.amount"), ("    on each credit by seller", "    on each payment by seller")], Some("on each credit by seller"), Some("on each payment by seller")),
    (&[("    on each credit by seller", "    on each credit by seller where amount > USD 0")], Some("on each credit by seller"), Some("on each credit by seller where amount > USD 0")),
    // Caps.
    (&[("total owed by seller under clauses 2, 3", "total owed by buyer under clause 30")], Some("seller"), Some("buyer")),
    (&[("under clauses 2, 3 capped", "under clauses 2, 3, 1 capped")], Some("2, 3"), Some("2, 3, 1")),
    (&[("under clauses 2, 3 capped", "under clauses 2, 1 capped")], Some("2, 3"), Some("2, 1")),
    (&[("capped at USD 1 million for each fiscal_year", "capped at USD 2 million for each fiscal_year")], Some("USD 1 million"), Some("USD 2 million")),
    (&[("USD 1 million for each fiscal_year", "USD 1 million for each quarter")], Some("fiscal_year"), Some("quarter")),
    (&[("USD 1 million for each fiscal_year\n", "USD 1 million\n")], Some("fiscal_year"), Some("the whole contract")),
    // Floors.
    (&[("total owed by seller to buyer under clauses 2, 3 at least", "total owed by buyer to seller under clause 30 at least")], Some("seller"), Some("buyer")),
    (&[("total owed by seller to buyer under clauses 2, 3 at least", "total owed by seller to bank under clause 2 at least"), ("  seller must pay buyer\n    ((USD 100", "  seller must pay bank\n    ((USD 100")], Some("buyer"), Some("bank")),
    (&[("under clauses 2, 3 at least", "under clauses 2, 3, 1 at least")], Some("2, 3"), Some("2, 3, 1")),
    (&[("at least USD 5,000 for each calendar_year", "at least USD 6,000 for each calendar_year")], Some("USD 5,000"), Some("USD 6,000")),
    (&[("USD 5,000 for each calendar_year", "USD 5,000 for each fiscal_year")], Some("calendar_year"), Some("fiscal_year")),
    (&[("for each calendar_year\n    partial periods excluded\n    due 45 days after the end of the period\n", "for each calendar_year\n    partial periods excluded\n    due 60 days after the end of the period\n")], Some("45 days"), Some("60 days")),
    (&[("to buyer under clauses 2, 3 at least USD 5,000 for each calendar_year\n    partial periods excluded\n    due 45 days after the end of the period\n", "under clauses 2, 3 capped at USD 5,000 for each calendar_year\n")], Some("at least"), None),
    (&[("for each calendar_year\n    partial periods excluded\n", "for each calendar_year\n    partial periods whole\n")], Some("excluded"), Some("whole")),
    // Conversion.
    (&[("converted to USD at 1.25", "converted to USD at 1.30")], Some("converted to USD at 1.25"), Some("converted to USD at 1.30")),
    (&[("duty: money in GBP", "duty: money in CHF")], Some("money in GBP"), Some("money in CHF")),
    (&[("duty: money in GBP", "duty: signed money in GBP")], Some("money in GBP"), Some("signed money in GBP")),
    (&[("period fiscal_quarter:", "period fiscal_quarter \"Fiscal quarter\":")], None, Some("\"Fiscal quarter\"")),
    (&[("clause 5 \"No wholesale\"", "clause 9 \"No wholesale\""), ("exception to 5", "exception to 9")], Some("5"), Some("9")),
    (&[("    due 1 month after the event\n", "    due 2 months after the event\n")], Some("1 month"), Some("2 months")),
    (&[("    on each sell where units > 0", "    on each sell by buyer where units > 0")], Some("on each sell where"), Some("on each sell by buyer where")),
    (&[("seller must pay buyer\n    (tiers of sell.units (below 100: 1%, from 100 up to 1,000: 2%, over 1,000: 3%)) of sell.net\n      + marginal tiers of sell.net (through USD 500: 1%, above: 0.5%)\n      + 1% of net_of_fee\n      + (sell.duty converted to USD at 1.25)\n    on each sell where units > 0 and margin <= 50% and weight < 10.5 and not bulk", "seller must pay buyer 1% of deliver.value\n    on each deliver")], Some("on each sell"), Some("on each deliver")),
    (&[("where channel is online and not promo", "where channel is retail and not promo")], Some("channel is online"), Some("channel is retail")),
    (&[("    due 1 month after the event\n", "    due 1 month after the event\n    rounded half-up to 1\n")], None, Some("half-up to 1")),
    (&[("    rounded half-up to 0.01\n", "    rounded half-up to 1\n")], Some("half-up to 0.01"), Some("half-up to 1")),
    (&[("    due 2 weeks after the event\n", "    due 2 weeks after the event\n    settled by credit\n")], None, Some("credit")),
    (&[("    due 2 weeks after the event\n", "    from 2026-03-01\n    through 2027-12-31\n    due 2 weeks after the event\n")], Some("the whole term"), Some("from 2026-03-01 through 2027-12-31")),
    (&[("until go_live or through 2028-03-31, whichever is earlier", "until go_live or through 2028-02-29, whichever is earlier")], Some("2028-03-31"), Some("2028-02-29")),
    (&[("until go_live or through 2028-03-31, whichever is earlier", "through 2028-03-31")], Some("until go_live"), Some("through 2028-03-31")),
    (&[("seller must deliver on each order due 30 days after the event", "seller must deliver where value > USD 0 on each order by buyer where value > USD 1 due 31 days after 2027-01-01")], Some("order"), Some("order by buyer where value > USD 1")),
    (&[("seller must deliver on each order due 30 days after the event", "seller must deliver where value > USD 0 on each order due 30 days after the event")], None, Some("value > USD 0")),
    (&[("seller must deliver on each order due 30 days after the event", "seller must deliver on each order due 31 days after 2027-01-01")], Some("30 days after the event"), Some("31 days after 2027-01-01")),
    (&[("seller must accept due 2026-12-31", "seller must accept on each order from 2026-02-01 through 2027-12-31 due 2026-12-31")], Some("the whole term"), Some("from 2026-02-01 through 2027-12-31")),
    (&[("    except channel not in (retail)\n", "    unless channel not in (retail)\n")], Some("except channel"), Some("unless channel")),
    (&[("over audit", "over audit\n    from 2026-02-01 through 2027-12-31")], Some("the whole term"), Some("from 2026-02-01 through 2027-12-31")),
    (&[("from 2026-01-01 through 2030-12-31", "from 2026-02-01 through 2030-12-31 or until go_live, whichever is earlier")], Some("from 2026-01-01 through 2030-12-31"), Some("from 2026-02-01 through 2030-12-31 or until go_live, whichever is earlier")),
    (&[("buyer holds 40% of bank", "buyer holds 40% of bank basis \"fully diluted\" valued at USD 4 million")], None, Some("USD 4 million")),
    (&[("valued at USD 6 million", "valued at EUR 6 million")], Some("USD 6 million"), Some("EUR 6 million")),
    (&[("seller must not sell where channel is wholesale\n    except region is apac\n    unless counterparty is bank", "buyer must not deliver where value > USD 0"), ("seller may sell where region is emea", "buyer may deliver where value > USD 5")], Some("sell"), Some("deliver")),
    (&[("seller may sell where region is emea", "seller may sell where region is emea\n    from 2026-02-01 through 2027-12-31")], Some("the whole term"), Some("from 2026-02-01 through 2027-12-31")),
    (&[("seller must not sell where channel is wholesale", "buyer must not sell where channel is wholesale")], Some("seller"), Some("buyer")),
    (&[("    through go_live\n\nclause 5.1", "    from 2026-02-01\n    through go_live or through 2027-12-31, whichever is earlier\n\nclause 5.1")], Some("through go_live"), Some("from 2026-02-01 through go_live or through 2027-12-31, whichever is earlier")),
    (&[("    until 2028-01-01\n", "    from 2026-06-01\n    until 2028-01-01 or until go_live, whichever is earlier\n")], Some("until 2028-01-01"), Some("from 2026-06-01 until 2028-01-01 or until go_live, whichever is earlier")),
    (&[("    except due_date > 2028-06-30", "    unless due_date > 2028-06-30")], Some("except due_date"), Some("unless due_date")),
    (&[("    due 2 weeks after the event\n", "    due 2 weeks after the event\n    late interest at 1% per month\n")], None, Some("late interest at 1% per month")),
    (&[("cure within 15 days after deliver by buyer", "cure within 15 days after deliver by seller")], Some("deliver by buyer"), Some("deliver by seller")),
    (&[("cure within 15 days after deliver by buyer", "cure within 15 days after order by buyer")], Some("after deliver"), Some("after order")),
    (&[("buyer must accept due 10 days after go_live\n    cure within 5 days after audit", "buyer must accept due 10 days after go_live\n    cure within 7 days after audit")], Some("cure within 5 days"), Some("cure within 7 days")),
    (&[("buyer must accept due 10 days after go_live\n    cure within 5 days after audit", "buyer must accept due 10 days after go_live")], Some("cure within 5 days after audit"), None),
    (&[("    cure within 5 days after audit", "    cure within 5 days after order by seller where value > USD 1")], Some("after audit"), Some("after order by seller where value > USD 1")),
    (&[("cure within 15 days after", "cure within 10 days after")], Some("cure within 15 days"), Some("cure within 10 days")),
    (&[("cure within 15 days after deliver by buyer where value > USD 0", "cure within 15 days")], Some("after deliver"), Some("cure within 15 days")),
    (&[("    due 2 weeks after the event\n", "    due 2 weeks after the event\n    cure within 5 days\n")], None, Some("cure within 5 days")),
    (&[("late interest at 1.5% per month, actual/360", "late interest at 2% per month, actual/360")], Some("1.5% per month"), Some("2% per month")),
    (&[("late interest at 1.5% per month, actual/360", "late interest at 1.5% per year, actual/360")], Some("per month"), Some("per year")),
    (&[("late interest at 1.5% per month, actual/360", "late interest at 1.5% per month, 30/360")], Some("actual/360"), Some("30/360")),
    (&[("late interest at 1.5% per month, actual/360", "late interest at 1.5% per month, compounded monthly, actual/360")], Some("1.5% per month, actual/360"), Some("compounded monthly")),
    (&[("from 30 days after big_sale", "from 45 days after big_sale")], Some("from 30 days after big_sale"), Some("from 45 days after big_sale")),
    (&[("for 6 months or until", "for 9 months or until")], Some("for 6 months"), Some("for 9 months")),
    (&[("until 90 days after 2027-01-01", "until 60 days after 2027-01-01")], Some("until 90 days after"), Some("until 60 days after")),
    (&[("until 90 days after 2027-01-01", "until 90 days after 2027-02-01")], Some("after 2027-01-01"), Some("after 2027-02-01")),
    (&[("for 6 months or until 90 days after 2027-01-01, whichever is earlier", "for 6 months")], Some("until 90 days after 2027-01-01"), Some("for 6 months")),
    (&[("event order by party { value: money, due_date: date }", "event order by party { value: money, due_date: date, fee: money }"), ("measured by order.value", "measured by order.fee")], Some("order.value"), Some("order.fee")),
    (&[("    for each quarter\n    shortfall payment USD 2.50", "    for each month\n    shortfall payment USD 2.50")], Some("for each quarter"), Some("for each month")),
    (&[("shortfall payment 10% within 30 days", "shortfall payment 15% within 30 days")], Some("shortfall payment 10%"), Some("shortfall payment 15%")),
    (&[("shortfall payment 10% within 30 days", "shortfall payment 10% within 45 days")], Some("within 30 days"), Some("within 45 days")),
    (&[("shortfall payment USD 2.50 per unit", "shortfall payment USD 3.00 per unit")], Some("USD 2.50 per unit"), Some("USD 3.00 per unit")),
    (&[("shortfall payment USD 2.50 per unit", "shortfall payment USD 2.50 per unit within 10 days")], Some("USD 2.50 per unit"), Some("within 10 days")),
    (&[("    until 2028-01-01\n    shortfall payment 10%", "    for each year\n    until 2028-01-01\n    shortfall payment 10%")], None, Some("for each year")),
    (&[("    for each quarter\n    shortfall payment USD 2.50", "    for each quarter\n    through 2027-12-31\n    shortfall payment USD 2.50")], Some("the whole term"), Some("through 2027-12-31")),
    (&[("    then buyer may accept\n", "    then seller may accept\n")], Some("buyer may accept"), Some("seller may accept")),
    (&[("    then buyer may accept\n", "    then buyer may deliver\n")], Some("buyer may accept"), Some("buyer may deliver")),
    (&[("    then buyer may accept\n", "    then buyer may accept where true\n")], Some("buyer may accept"), Some("buyer may accept where true")),
    (&[("    then buyer may order where value > USD 0\n", "    then buyer may order where value > USD 9\n")], Some("value > USD 0"), Some("value > USD 9")),
    (&[("    then buyer may order where value > USD 0\n", "")], Some("buyer may order"), None),
    (&[("    then buyer may order where value > USD 0\n", "    then seller may order where value > USD 0\n")], Some("buyer may order"), Some("seller may order")),
    (&[("    then buyer may order where value > USD 0\n", "    then buyer may deliver where value > USD 0\n")], Some("buyer may order"), Some("buyer may deliver")),
    (&[("    due 2 weeks after the event\n", "    due 2 weeks after the event\n    then buyer may accept\n")], None, Some("then buyer may accept")),
    (&[("  seller must accept due 2026-12-31\n", "  seller must accept due 2026-12-31\n    then buyer may accept\n")], None, Some("then buyer may accept")),
    (&[("unless after order by buyer with the same", "unless after deliver by buyer with the same")], Some("after order by buyer"), Some("after deliver by buyer")),
    (&[("unless after order by buyer with the same", "unless after order by seller with the same")], Some("after order by buyer"), Some("after order by seller")),
    (&[("with the same value, due_date within", "with the same value within")], Some("with the same value, due_date"), Some("with the same value within")),
    (&[("with the same value, due_date within", "with the same due_date, due_date within")], Some("with the same value, due_date"), Some("with the same due_date, due_date")),
    (&[("due_date within 6 months", "due_date within 3 months")], Some("within 6 months"), Some("within 3 months")),
    (&[("due_date within 6 months", "due_date at least 6 months before")], Some("within 6 months"), Some("at least 6 months before")),
    (&[("unless after order at least 30 days before", "unless after order by buyer at least 30 days before")], Some("after order at least"), Some("after order by buyer at least")),
    (&[("unless after order at least 30 days before", "unless after order with the same value at least 30 days before")], Some("after order at least"), Some("after order with the same value")),
    (&[("unless after order at least 30 days before", "unless after order")], Some("at least 30 days before"), Some("after order")),
    (&[("total sell.weight in the same fiscal_quarter", "total sell.weight in the same month")], Some("in the same fiscal_quarter"), Some("in the same month")),
    (&[("total sell.weight in the same fiscal_quarter", "total sell.weight within the last 3 months")], Some("in the same fiscal_quarter"), Some("within the last 3 months")),
    (&[("within the last 90 days where promo", "within the last 60 days where promo")], Some("within the last 90 days"), Some("within the last 60 days")),
    (&[("count order by buyer in the same month", "count order by seller in the same month")], Some("count order by buyer"), Some("count order by seller")),
    (&[("USD 5 * count deliver by seller where value > USD 0", "USD 5 * count deliver where value > USD 0")], Some("count deliver by seller"), Some("count deliver where")),
    (&[("USD 5 * count deliver by seller where value > USD 0\n    for each month\n", "USD 5 * count deliver by seller where value > USD 0\n    for each quarter\n")], Some("for each month"), Some("for each quarter")),
    // Picks.
    (&[("110% of (previous sell.net otherwise net)", "110% of (latest sell.net otherwise net)")], Some("previous sell.net"), Some("latest sell.net")),
    (&[("110% of (previous sell.net otherwise net)", "110% of (previous sell.net otherwise USD 0)")], Some("otherwise net"), Some("otherwise USD 0")),
    (&[("highest sell.units within the last 30 days where promo", "lowest sell.units within the last 30 days where promo")], Some("highest sell.units"), Some("lowest sell.units")),
    (&[("highest sell.units within the last 30 days where promo", "highest sell.units within the last 60 days where promo")], Some("30 days"), Some("60 days")),
    (&[("highest sell.units within the last 30 days where promo", "highest sell.units within the last 30 days where not promo")], Some("where promo"), Some("where not promo")),
    (&[("1% of latest sell.net in the same month\n", "1% of latest sell.net in the same quarter\n")], Some("in the same month"), Some("in the same quarter")),
    (&[("    on each sell where promo\n    due 15 days after the event\n", "    on each sell where not promo\n    due 15 days after the event\n")], Some("where promo"), Some("where not promo")),
    (&[("    on each sell where promo\n    due 15 days after the event\n", "    on each sell where promo\n    due 20 days after the event\n")], Some("15 days"), Some("20 days")),
    (&[("  seller must not deliver unless after order at least 30 days before\n", "  seller must not deliver unless after order at least 30 days before\n    through 2027-06-30\n")], Some("the whole term"), Some("through 2027-06-30")),
    (&[("then seller must pay buyer USD 250.00", "then buyer must pay buyer USD 250.00")], Some("then seller must pay"), Some("then buyer must pay")),
    (&[("then seller must pay buyer USD 250.00", "then seller must pay bank USD 250.00")], Some("must pay buyer"), Some("must pay bank")),
    (&[("USD 250.00 capped at USD 1,000.00 within", "USD 300.00 capped at USD 1,000.00 within")], Some("USD 250.00"), Some("USD 300.00")),
    (&[("capped at USD 1,000.00 within 14 days", "capped at USD 1,000.00 within 21 days")], Some("within 14 days"), Some("within 21 days")),
    (&[("capped at USD 1,000.00 within 14 days", "capped at USD 1,000.00")], Some("within 14 days"), Some("capped at USD 1,000.00")),
    (&[("  seller must accept due 2026-12-31\n", "  seller must accept due 2026-12-31\n    then seller must pay buyer USD 10.00\n")], None, Some("then seller must pay buyer USD 10.00")),
    (&[("    matching value\n", "    matching due_date\n")], Some("matching value"), Some("matching due_date")),
    (&[("    matching value\n", "    matching value, due_date\n")], Some("matching value"), Some("matching value, due_date")),
    (&[("suspends clauses 2, 8", "suspends clauses 1, 2, 8")], Some("2, 8"), Some("1, 2, 8")),
    (&[("suspends clauses 2, 8", "suspends clauses 1, 8")], Some("2, 8"), Some("1, 8")),
    (&[("from deliver by seller where value > USD 0\n    until", "from order by seller where value > USD 0\n    until")], Some("deliver by seller"), Some("order by seller")),
    (&[("from deliver by seller where value > USD 0\n    until", "from deliver by buyer where value > USD 0\n    until")], Some("deliver by seller"), Some("deliver by buyer")),
    (&[("from deliver by seller where value > USD 0\n    until", "from deliver by seller where value > USD 5\n    until")], Some("value > USD 0"), Some("value > USD 5")),
    (&[("    until accept by buyer\n", "    until audit\n")], Some("accept by buyer"), Some("audit")),
    (&[("    until accept by buyer\n", "    until accept by seller\n")], Some("accept by buyer"), Some("accept by seller")),
    (&[("    until accept by buyer\n", "    until accept by buyer where true\n")], Some("accept by buyer"), Some("accept by buyer where true")),
];

fn check(name: &str, text: &str) -> proviso::Checked {
    let outcome = proviso::check_source(&SourceFile::new(name, text), &Limits::default());
    match outcome.checked {
        Some(checked) => checked,
        None => {
            let problems: Vec<String> = outcome
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.code.as_str(), d.message))
                .collect();
            panic!("a mutant does not check: {problems:?}\n{text}")
        }
    }
}

fn review(old: &str, new: &str) -> Vec<Change> {
    let (a, b) = (check("old.proviso", old), check("new.proviso", new));
    let (sa, sb) = (
        SourceFile::new("old.proviso", old),
        SourceFile::new("new.proviso", new),
    );
    diff::review(
        Version {
            checked: &a,
            source: &sa,
        },
        Version {
            checked: &b,
            source: &sb,
        },
    )
}

/// The tree without spans, as JSON.
fn tree(text: &str) -> Json {
    proviso::syntax::without_spans(&check("tree.proviso", text).file)
}

/// Whether a value is quoted whole by the review: an expression or a
/// condition (an object whose only member, spans aside, is `kind`).
fn quoted_whole(value: &Json) -> bool {
    value
        .as_object()
        .is_some_and(|m| m.len() == 1 && m.contains_key("kind"))
}

/// The leaves of a tree, as paths with list positions left out
/// (`clauses[].statements[].Pay.due.After.delay.node.Days`).
fn leaves(value: &Json, path: &str, out: &mut BTreeSet<String>) {
    if quoted_whole(value) || path.ends_with("milestones[].condition") {
        out.insert(path.to_string());
        return;
    }
    match value {
        Json::Object(map) => {
            for (k, v) in map {
                leaves(v, &format!("{path}.{k}"), out);
            }
        }
        Json::Array(items) => {
            for item in items {
                leaves(item, &format!("{path}[]"), out);
            }
        }
        _ => {
            out.insert(path.to_string());
        }
    }
}

/// The leaves that differ between two trees, as paths like [`leaves`].
fn changed(a: &Json, b: &Json, path: &str, out: &mut BTreeSet<String>) {
    if a == b {
        return;
    }
    let whole = quoted_whole(a) || quoted_whole(b) || path.ends_with("milestones[].condition");
    match (a, b) {
        (Json::Object(x), Json::Object(y)) if !whole => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let (va, vb) = (
                    x.get(k).unwrap_or(&Json::Null),
                    y.get(k).unwrap_or(&Json::Null),
                );
                changed(va, vb, &format!("{path}.{k}"), out);
            }
        }
        (Json::Array(x), Json::Array(y)) if !whole && x.len() == y.len() => {
            for (va, vb) in x.iter().zip(y) {
                changed(va, vb, &format!("{path}[]"), out);
            }
        }
        _ => {
            out.insert(path.to_string());
        }
    }
}

fn contains(value: &Option<String>, expected: Option<&str>) -> bool {
    match (value, expected) {
        (None, None) => true,
        (Some(v), Some(e)) => v.contains(e),
        (Some(_), None) | (None, Some(_)) => false,
    }
}

#[test]
fn every_field_edited_once_is_reported_with_its_old_and_new_value() {
    let base_tree = tree(BASE);
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    let mut cases: Vec<(String, String, Option<&str>, Option<&str>)> = Vec::new();
    for (edits, old, new) in MUTANTS {
        let mut mutant = BASE.to_string();
        for (find, replace) in *edits {
            assert_eq!(
                mutant.matches(find).count(),
                1,
                "`{find}` must occur exactly once in the base contract"
            );
            mutant = mutant.replacen(find, replace, 1);
        }
        cases.push((format!("{edits:?}"), mutant, *old, *new));
    }
    for (from, to, old, new) in RENAMES {
        cases.push((
            format!("rename {from} to {to}"),
            rename(BASE, from, to),
            *old,
            *new,
        ));
    }
    for (edit, mutant, old, new) in cases {
        let (find, replace) = (&edit, "");
        let outcome =
            proviso::check_source(&SourceFile::new("mutant", &mutant), &Limits::default());
        if outcome.checked.is_none() {
            let problems: Vec<String> = outcome
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.code.as_str(), d.message))
                .collect();
            failures.push(format!("{find}{replace} does not check: {problems:?}"));
            continue;
        }
        changed(&base_tree, &tree(&mutant), "", &mut covered);
        let changes = review(BASE, &mutant);
        let found = changes
            .iter()
            .flat_map(|c| &c.details)
            .any(|d| contains(&d.old, old) && contains(&d.new, new));
        if !found {
            let reported: Vec<String> = changes
                .iter()
                .flat_map(|c| &c.details)
                .map(|d| format!("{}: {:?} → {:?}", d.what, d.old, d.new))
                .collect();
            failures.push(format!(
                "{find}{replace}: expected {old:?} → {new:?}, the review says {reported:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    let mut all = BTreeSet::new();
    leaves(&base_tree, "", &mut all);
    for path in NO_VALUE_CAN_BE_WRITTEN {
        all.remove(*path);
    }
    let missed: Vec<&String> = all.difference(&covered).collect();
    assert!(
        missed.is_empty(),
        "no mutant changes these fields of the tree (add one, and make the review report it):\n{missed:#?}"
    );
}

#[test]
fn the_same_contract_laid_out_differently_has_no_change() {
    let relaid = BASE
        .replace("\n    ", "\n      ")
        .replace(" must pay buyer", "  must  pay\n  buyer");
    assert!(review(BASE, &relaid).is_empty());
    assert!(review(BASE, BASE).is_empty());
}

/// The verdict on the first detail whose `what` ends with `what`.
fn favours(old: &str, new: &str, what: &str) -> Option<String> {
    review(old, new)
        .iter()
        .flat_map(|c| &c.details)
        .find(|d| d.what.ends_with(what))
        .unwrap_or_else(|| panic!("no change of `{what}`"))
        .favours
        .clone()
}

#[test]
fn whom_a_change_favours_points_the_right_way() {
    // `until 2028-01-01` and `through 2027-12-31` end on the same day.
    let same_day = BASE.replace("    until 2028-01-01\n", "    through 2027-12-31\n");
    assert_eq!(favours(BASE, &same_day, "window"), None);
    let later = BASE.replace("    until 2028-01-01\n", "    through 2028-01-01\n");
    assert_eq!(
        favours(BASE, &later, "window").as_deref(),
        Some("favours buyer: more time to fulfil it")
    );
    // An exclusion from a commitment: less counts towards it, which the
    // beneficiary gains from.
    let excluded = format!(
        "{BASE}\nclause 8.1 \"Small orders\" exception to 8\n  excludes order where value < USD 5\n"
    );
    assert_eq!(
        favours(BASE, &excluded, "the exclusion of `order`").as_deref(),
        Some("favours seller: the rule it excepts covers less")
    );
    // A later due date favours the party who pays.
    let later_due = BASE.replace("due 30 days after the end", "due 60 days after the end");
    assert_eq!(
        favours(BASE, &later_due, "due").as_deref(),
        Some("favours seller: pays later")
    );
    // A share that is subtracted: no verdict from the percentage alone.
    let minus = BASE.replace(
        "USD 10 * sell.delay",
        "USD 10 * sell.delay - 3% of sell.net",
    );
    let more_minus = BASE.replace(
        "USD 10 * sell.delay",
        "USD 10 * sell.delay - 4% of sell.net",
    );
    assert_eq!(favours(&minus, &more_minus, "amount"), None);
    // The highest over a longer stretch is never lower: the payee gains;
    // the lowest instead of the highest, the payer.
    let longer = BASE.replace(
        "highest sell.units within the last 30 days where promo",
        "highest sell.units within the last 60 days where promo",
    );
    assert_eq!(
        favours(BASE, &longer, "amount").as_deref(),
        Some("favours buyer: a higher amount, from the value picked")
    );
    let lowest = BASE.replace(
        "highest sell.units within the last 30 days where promo",
        "lowest sell.units within the last 30 days where promo",
    );
    assert_eq!(
        favours(BASE, &lowest, "amount").as_deref(),
        Some("favours seller: a lower amount, from the value picked")
    );
    // A definition used in a pick's own condition moves which events
    // count, in no direction of its own: a higher limit raises clause 1's
    // payment to the buyer but may raise clause 2's to the supplier (an
    // invoice of USD 150.00 no longer counts, leaving USD 1,000,000.00).
    let limit = |amount: &str| {
        format!(
            r#"contract "D"
  effective 2026-01-01
  term through 2027-12-31
  currency USD
  settlement by payment

party buyer "B"
party supplier "S"

event invoice by party {{ amount: money }}
event late by party {{ order: text }}
event payment by party {{ to: party, amount: money }}

define limit = {amount}

clause 1 "A"
  supplier must pay buyer limit on each late due 10 days after the event

clause 2 "B"
  buyer must pay supplier (lowest invoice.amount where amount > limit otherwise USD 1,000,000.00) on each late due 10 days after the event
"#
        )
    };
    assert_eq!(
        favours(
            &limit("USD 100.00"),
            &limit("USD 200.00"),
            "what limit means"
        ),
        None
    );
    // A floor added favours the party it makes paid.
    let no_floor = BASE.replace(
        "  total owed by seller to buyer under clauses 2, 3 at least USD 5,000 for each calendar_year\n    partial periods excluded\n    due 45 days after the end of the period\n",
        "  seller must accept due 2027-06-30\n",
    );
    assert_ne!(no_floor, BASE);
    let added = review(&no_floor, BASE);
    let verdict = added
        .iter()
        .flat_map(|c| &c.details)
        .find(|d| {
            d.new
                .as_deref()
                .is_some_and(|n| n.contains("at least USD 5,000"))
        })
        .and_then(|d| d.favours.clone());
    assert_eq!(
        verdict.as_deref(),
        Some("favours buyer, who is paid a shortfall")
    );
    // A floor held in full for a partial period, not excluded, asks more.
    let whole = BASE.replace(
        "for each calendar_year\n    partial periods excluded\n",
        "for each calendar_year\n    partial periods whole\n",
    );
    assert_eq!(
        favours(BASE, &whole, "what a period partly in the term is held to").as_deref(),
        Some("against seller: more is asked for a partial period")
    );
    // A higher floor asks more of the party that pays; a later due date
    // for its shortfall lets it pay later.
    let higher_floor = BASE.replace(
        "at least USD 5,000 for each calendar_year",
        "at least USD 6,000 for each calendar_year",
    );
    assert_eq!(
        favours(BASE, &higher_floor, "floor").as_deref(),
        Some("against seller: a higher floor on what it owes")
    );
    let later_shortfall = BASE.replace(
        "due 45 days after the end of the period",
        "due 60 days after the end of the period",
    );
    assert_eq!(
        favours(BASE, &later_shortfall, "due date of a shortfall").as_deref(),
        Some("favours seller: pays later")
    );
    // The latest instead of the highest may be higher or lower: no verdict.
    let latest = BASE.replace(
        "highest sell.units within the last 30 days where promo",
        "latest sell.units within the last 30 days where promo",
    );
    assert_eq!(favours(BASE, &latest, "amount"), None);
}
