//! Integration tests: the real `copydesk` binary, and the library's invariants.

mod clean;
mod diff;
mod invariants;
mod regression;
mod rules;
mod util;
