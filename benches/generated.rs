//! Generated contracts of any size, for benchmarks: a realistic mix of
//! clauses (payments per period and per event, prohibitions with carve-outs,
//! permissions, grants, exceptions, holdings, commitments), each with its
//! wording, so that parse and check see what a real file holds.

use std::fmt::Write as _;

pub fn contract(clauses: usize) -> String {
    let mut text = String::from(
        "contract \"Generated agreement\"
  effective 2026-01-01
  term through 2030-12-31
  currency USD
  rounding half-up to 0.01
  settlement by payment

party alpha \"Alpha Holdings plc\"
party beta  \"Beta Services Ltd\"
party gamma \"Gamma Partners LLP\"

category cloud: azure | aws | gcp | oracle
category product: model | api_product | hardware | service

event payment by party { to: party, amount: money }
event report by party { quarter: quarter, amount: money, units: count }
event serve by party { kind: product, cloud: cloud, government: bool }
event release by party { kind: product, open: bool }
event deliver by party { price: money, due_date: date, excused: bool }
event declare by party { }
event verify by party { }

milestone launch \"Launch declared and verified\": declare by alpha, then verify by gamma
",
    );
    for i in 0..clauses {
        let n = i + 1;
        let _ = match i % 8 {
            0 => write!(
                text,
                "\nclause {n} \"Revenue share {n}\"
  text \"Alpha shall pay Beta {share}% of its revenue for each quarter until launch.\"
  alpha must pay beta {share}% of total report.amount
    for each report.quarter
    until launch
    due 45 days after the end of the period
",
                share = 1 + i % 30
            ),
            1 => write!(
                text,
                "\nclause {n} \"Cloud exclusivity {n}\"
  text \"Alpha shall not serve API products outside Azure.\"
  alpha must not serve where kind is api_product and cloud in (aws, gcp, oracle)
    unless government
"
            ),
            2 => write!(
                text,
                "\nclause {n} \"Government customers {n}\" exception to {prev}
  text \"Alpha may serve government customers on any cloud.\"
  alpha may serve where government and kind is api_product
",
                prev = n - 1
            ),
            3 => write!(
                text,
                "\nclause {n} \"Licence {n}\"
  text \"Alpha grants Beta an exclusive licence to its models through 2030.\"
  alpha grants beta exclusive licence \"models {n}\" over release where kind in (model, api_product)
    through 2030-12-31
    except kind is hardware
"
            ),
            4 => write!(
                text,
                "\nclause {n} \"Late delivery {n}\"
  text \"For each full two days of delay, 10.5% of the price, up to 55%.\"
  beta must pay alpha
    10.5% of deliver.price
      for each full 2 days in days from deliver.due_date to deliver.date
      capped at 55% of deliver.price
    on each deliver where date > due_date and not excused
    due 30 days after the event
"
            ),
            5 => write!(
                text,
                "\nclause {n} \"Volume rebate {n}\"
  text \"A rebate by volume.\"
  beta must pay alpha (tiers of report.units (through 10,000: 0%, through 50,000: 5%, above: 10%)) of report.amount
    on each report by beta
    due 30 days after the event
"
            ),
            6 => write!(
                text,
                "\nclause {n} \"Commitment {n}\"
  text \"Gamma commits to spend USD {n} million.\"
  gamma commits to alpha USD {n} million measured by report.amount where units > 0
    from 2026-01-01 through 2029-12-31
"
            ),
            _ => write!(
                text,
                "\nclause {n} \"Equity {n}\"
  text \"Gamma holds a stake in Beta.\"
  gamma holds {stake}% of beta basis \"fully diluted\" valued at USD {n} million
",
                stake = i % 100
            ),
        };
    }
    text
}
