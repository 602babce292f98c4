//! Nothing here: see benches/cedar.rs.
