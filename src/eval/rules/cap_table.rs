//! Holdings (`A holds 27% of E`) and cap tables (`cap table of E
//! complete`): the stakes in each entity, their sum, and the valuation a
//! stake implies. They depend on no event.

use rust_decimal::Decimal;

use crate::ast::*;
use crate::eval::engine::Engine;
use crate::eval::outcome::{CapTable, Stake};

/// The holdings the contract declares, entity by entity, in the order
/// entities first appear.
pub(in crate::eval) fn cap_tables(engine: &Engine<'_>) -> Vec<CapTable> {
    let mut tables: Vec<CapTable> = Vec::new();
    for rule in engine.rules() {
        let entity_of = |name: &Name| engine.party(name);
        match rule.statement {
            Statement::Holding(holding) => {
                let (Some(entity), Some(holder)) =
                    (entity_of(&holding.entity), engine.party(&holding.holder))
                else {
                    continue;
                };
                let percent = holding.stake.node;
                let valuation = holding.valuation.as_ref().map(|v| v.node);
                let implied_entity_value =
                    valuation.and_then(|v| Stake::implied_entity_value(v, percent));
                let stake = Stake {
                    clause: rule.clause,
                    holder,
                    percent,
                    basis: holding.basis.as_ref().map(|b| b.node.clone()),
                    valuation,
                    implied_entity_value,
                };
                match tables.iter_mut().find(|t| t.entity == entity) {
                    Some(table) => {
                        table.total = table.total.saturating_add(percent);
                        table.stakes.push(stake);
                    }
                    None => tables.push(CapTable {
                        entity,
                        total: percent,
                        stakes: vec![stake],
                        complete: false,
                    }),
                }
            }
            Statement::CapTable(cap) => {
                let Some(entity) = entity_of(&cap.entity) else {
                    continue;
                };
                match tables.iter_mut().find(|t| t.entity == entity) {
                    Some(table) => table.complete = true,
                    None => tables.push(CapTable {
                        entity,
                        stakes: Vec::new(),
                        total: Decimal::ZERO,
                        complete: true,
                    }),
                }
            }
            Statement::Pay(_)
            | Statement::Do(_)
            | Statement::MustNot(_)
            | Statement::May(_)
            | Statement::Grant(_)
            | Statement::Exclusion(_)
            | Statement::Commitment(_)
            | Statement::Suspension(_)
            | Statement::Cap(_)
            | Statement::Own(_) => {}
        }
    }
    tables
}
