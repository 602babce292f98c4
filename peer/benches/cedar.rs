//! Peer comparison: the flagship's cloud exclusivity rule — an API product
//! built with a third party may be served only on Azure, except for U.S.
//! national-security customers — decided for the same 1,000,000 generated
//! deployment requests by proviso (the flagship contract, clauses 4, 4.1 and
//! 4.2) and by Cedar (a `forbid` with an `unless`, and a `permit`).
//!
//! Both engines get their requests built before the clock starts (proviso:
//! decoded events; Cedar: requests with their context), and both must give
//! the same answer for every request; the benchmark checks that first.
//!
//! `cd peer && cargo bench`; figures in docs/performance.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hint::black_box;
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid,
    PolicySet, Request, RestrictedExpression,
};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use proviso::eval::engine::Engine;
use proviso::eval::{Decoder, Evaluation};

const REQUESTS: usize = 1_000_000;
const CLOUDS: [&str; 5] = ["azure", "aws", "gcp", "oracle", "other_cloud"];

const POLICIES: &str = r#"
permit (principal, action == Action::"serve", resource);

forbid (principal == Party::"openai", action == Action::"serve", resource)
when { resource.kind == "api_product" && resource.with_third_party && context.cloud != "azure" }
unless { context.customer == "us_national_security" };
"#;

/// One deployment request.
#[derive(Clone, Copy)]
struct Deployment {
    api: bool,
    third_party: bool,
    cloud: &'static str,
    national_security: bool,
}

fn deployments() -> Vec<Deployment> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..REQUESTS)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            Deployment {
                api: state % 2 == 0,
                third_party: (state >> 1) % 2 == 0,
                cloud: CLOUDS[((state >> 2) % 5) as usize],
                national_security: (state >> 5) % 4 == 0,
            }
        })
        .collect()
}

fn uid(kind: &str, id: &str) -> EntityUid {
    EntityUid::from_type_name_and_id(
        EntityTypeName::from_str(kind).unwrap(),
        EntityId::from_str(id).unwrap(),
    )
}

fn product(d: &Deployment) -> EntityUid {
    uid(
        "Product",
        &format!("{}-{}", if d.api { "api" } else { "other" }, d.third_party),
    )
}

fn cedar_inputs(requests: &[Deployment]) -> (PolicySet, Entities, Vec<Request>) {
    let policies: PolicySet = POLICIES.parse().unwrap();
    let mut entities = vec![Entity::new_no_attrs(uid("Party", "openai"), HashSet::new())];
    for api in [true, false] {
        for third_party in [true, false] {
            let d = Deployment {
                api,
                third_party,
                cloud: "azure",
                national_security: false,
            };
            let attrs = HashMap::from([
                (
                    "kind".to_string(),
                    RestrictedExpression::new_string(
                        if api {
                            "api_product"
                        } else {
                            "non_api_product"
                        }
                        .to_string(),
                    ),
                ),
                (
                    "with_third_party".to_string(),
                    RestrictedExpression::new_bool(third_party),
                ),
            ]);
            entities.push(Entity::new(product(&d), attrs, HashSet::new()).unwrap());
        }
    }
    let entities = Entities::from_entities(entities, None).unwrap();
    let built = requests
        .iter()
        .map(|d| {
            let context = Context::from_pairs([
                (
                    "cloud".to_string(),
                    RestrictedExpression::new_string(d.cloud.to_string()),
                ),
                (
                    "customer".to_string(),
                    RestrictedExpression::new_string(
                        if d.national_security {
                            "us_national_security"
                        } else {
                            "commercial"
                        }
                        .to_string(),
                    ),
                ),
            ])
            .unwrap();
            Request::new(
                uid("Party", "openai"),
                uid("Action", "serve"),
                product(d),
                context,
                None,
            )
            .unwrap()
        })
        .collect();
    (policies, entities, built)
}

fn proviso_events(
    contract: &proviso::Checked,
    requests: &[Deployment],
) -> Vec<proviso::eval::Event> {
    // One request a minute's worth apart is irrelevant; spread them over
    // days inside the term so that every one is in the rule's window.
    let lines: Vec<String> = requests
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let day = jiff::civil::date(2026, 1, 1)
                .checked_add(jiff::Span::new().days((i / 1000) as i64))
                .unwrap();
            format!(
                r#"{{"type":"serve","date":"{day}","by":"openai","product":"p","kind":"{}","cloud":"{}","customer":"{}","with_third_party":{}}}"#,
                if d.api { "api_product" } else { "non_api_product" },
                d.cloud,
                if d.national_security { "us_national_security" } else { "commercial" },
                d.third_party
            )
        })
        .collect();
    let (events, diagnostics) = Decoder::new(contract).json(&format!("[{}]", lines.join(",")));
    assert!(diagnostics.is_empty(), "{:?}", diagnostics.first());
    events
}

/// The requests proviso finds in breach (by position).
fn proviso_denials(engine: &Engine<'_>, events: Vec<proviso::eval::Event>) -> BTreeSet<usize> {
    let mut evaluation = Evaluation::new(engine, None);
    let last = events.last().map(|e| e.date).unwrap();
    for event in events {
        evaluation.push(event).unwrap();
    }
    let outcome = evaluation.finish(last).unwrap();
    outcome
        .violations
        .iter()
        .filter(|v| v.conflicting.is_none())
        .map(|v| v.event)
        .collect()
}

fn compare(c: &mut Criterion) {
    let text = include_str!("../../contracts/microsoft-openai-2025.proviso");
    let contract = proviso::Contract::parse("flagship", text).unwrap();
    // Evaluation alone is timed, as Cedar's authorisation alone is: the
    // events are decoded before the clock starts, so this drives the
    // engine below the facade's decode-and-evaluate.
    let engine = Engine::new(contract.checked());
    let requests = deployments();
    let events = proviso_events(contract.checked(), &requests);
    let (policies, entities, cedar_requests) = cedar_inputs(&requests);
    let authorizer = Authorizer::new();

    // The same answer for every request, before anything is timed.
    let denied_by_proviso = proviso_denials(&engine, events.clone());
    let mut denied = 0usize;
    for (i, request) in cedar_requests.iter().enumerate() {
        let cedar_denies = authorizer
            .is_authorized(request, &policies, &entities)
            .decision()
            == Decision::Deny;
        assert_eq!(
            cedar_denies,
            denied_by_proviso.contains(&i),
            "request {i} is decided differently"
        );
        denied += usize::from(cedar_denies);
    }
    println!("{REQUESTS} requests, {denied} denied by both engines, the same answer for every one");

    let mut group = c.benchmark_group("peer: cloud exclusivity, 1,000,000 requests");
    group.sample_size(10);
    group.throughput(Throughput::Elements(REQUESTS as u64));
    group.bench_function("proviso", |b| {
        b.iter_batched(
            || events.clone(),
            |events| black_box(proviso_denials(&engine, events)),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("cedar", |b| {
        b.iter(|| {
            let mut denied = 0usize;
            for request in &cedar_requests {
                let response = authorizer.is_authorized(request, &policies, &entities);
                denied += usize::from(response.decision() == Decision::Deny);
            }
            black_box(denied)
        })
    });
    group.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);
