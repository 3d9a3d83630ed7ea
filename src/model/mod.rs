//! The public typed records, `serde`-serialisable, in normalised units.
//!
//! Units (one per quantity): dose area product Gy·m², dose at the reference point Gy,
//! glandular and CT doses mGy, DLP mGy·cm, times s (projection exposure time and pulse width:
//! ms), lengths mm, angles degrees, tube voltage kV, tube current mA, exposure µAs.

pub mod common;
pub mod ct;
pub mod datetime;
pub mod projection;
pub mod summary;

pub use common::{
    DeviceParticipant, Equipment, Observer, ObserverKind, Patient, PatientStudy, PersonParticipant,
    Study,
};
pub use ct::CtReport;
pub use datetime::{DateTime, Precision, Time};
pub use projection::ProjectionReport;
pub use summary::Summary;
