//! copydesk cleans machine-translated text: MT artifacts ("Jingdong mall" for JD.com),
//! site and forum boilerplate, and Unicode and punctuation noise, with rules kept in
//! TOML packs, and shows every change with the id of the rule that made it.
//!
//! ```text
//! bytes ─decode─▶ text ─normalize─▶ ─boilerplate─▶ ─terms─▶ ─tidy─▶ cleaned text
//!                  each stage records Edits (rule id, original span, before, after)
//! ```
//!
//! ```
//! use copydesk::{Pipeline, rules::Loader};
//!
//! let pipeline = Pipeline::new(Loader::new().load()?)?;
//! let doc = pipeline.clean_bytes("Tencent's caifutong and Jingdong mall.\n".as_bytes(), None)?;
//! assert_eq!(doc.cleaned(), "Tencent's Tenpay and JD.com.\n");
//! for edit in &doc.edits {
//!     println!("{} {:?}: {:?} -> {:?}", edit.rule, edit.original, edit.before, edit.after);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Invariants, tested in `tests/`: cleaning is idempotent; text no rule matches comes
//! out byte-identical; every change is an [`Edit`] with a rule id; one pass per stage,
//! so the cost grows with the text, not with text × rules.

#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod decode;
pub mod diff;
mod edit;
pub mod error;
mod pipeline;
pub mod rules;
mod stage;
pub mod walk;
pub mod write;

pub use edit::Edit;
pub use pipeline::{Cleaned, Document, Pipeline};
