//! Template mappers: SR content tree to typed records.
//!
//! One module per root template (`projection.rs` for TID 10001, `ct.rs` for TID 10011,
//! `radiopharmaceutical.rs` for TID 10021), and
//! the pieces they share (`common.rs`: header modules, TID 1002 / 1020 / 1021; `units.rs`).
//! A mapper never fails on a missing or malformed item: the field stays `None` and a
//! [`crate::Diagnostic`] says why.

pub(crate) mod common;
pub(crate) mod ct;
pub(crate) mod derived;
mod detect;
mod hints;
pub(crate) mod projection;
pub(crate) mod radiopharmaceutical;
pub(crate) mod units;

pub use detect::detect_template;
pub(crate) use detect::infer_template;
pub use hints::{ConceptAlias, Hints};
