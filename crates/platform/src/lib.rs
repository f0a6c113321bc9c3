//! What every Datamill service shares: typed configuration from the environment ([`config`]),
//! logging ([`telemetry`]), request ids ([`http`]), RFC 9457 problem documents ([`problem`]) and
//! extractors whose rejections name the field that was wrong ([`extract`]).

pub mod config;
pub mod extract;
pub mod http;
pub mod probe;
pub mod problem;
pub mod telemetry;

pub use probe::http_get_status;
pub use problem::{FieldProblem, Problem};
