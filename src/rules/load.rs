//! Finding and loading packs: built-in, `--rules PATH`, `--disable ID`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::pack::{parse_pack, parse_tsv};
use super::{Rule, Stage};
use crate::error::{Location, RuleError, RuleErrors};

include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// Gathers rules from the built-in packs and from user paths.
///
/// ```
/// let rules = copydesk::rules::Loader::new().disable("ali").load().unwrap();
/// assert!(rules.iter().all(|r| &*r.id != "ali"));
/// ```
#[derive(Debug, Clone)]
pub struct Loader {
    builtin: bool,
    paths: Vec<PathBuf>,
    disabled: Vec<String>,
    stages: Option<Vec<Stage>>,
}

impl Default for Loader {
    fn default() -> Self {
        Loader::new()
    }
}

impl Loader {
    /// A loader with the built-in packs and nothing else.
    pub fn new() -> Loader {
        Loader { builtin: true, paths: Vec::new(), disabled: Vec::new(), stages: None }
    }

    /// Whether to include the built-in packs.
    pub fn builtin(mut self, yes: bool) -> Loader {
        self.builtin = yes;
        self
    }

    /// Adds a pack file (`.toml`, `.tsv`) or every pack below a folder.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Loader {
        self.paths.push(path.into());
        self
    }

    /// Turns off the rule with this id (an unknown id is an error at load time).
    pub fn disable(mut self, id: impl Into<String>) -> Loader {
        self.disabled.push(id.into());
        self
    }

    /// Keeps only the rules of these stages.
    pub fn stages(mut self, stages: Vec<Stage>) -> Loader {
        self.stages = Some(stages);
        self
    }

    /// Reads and validates everything; returns all errors found, not just the first.
    pub fn load(&self) -> Result<Vec<Rule>, RuleErrors> {
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        let add = |rules: &mut Vec<Rule>, errors: &mut Vec<RuleError>, path: &str, source: &str| {
            let parsed = if path.ends_with(".tsv") { parse_tsv(path, source) } else { parse_pack(path, source) };
            match parsed {
                Ok(r) => rules.extend(r),
                Err(e) => errors.extend(e),
            }
        };
        if self.builtin {
            for (path, source) in BUILTIN_PACKS {
                add(&mut rules, &mut errors, path, source);
            }
        }
        for root in &self.paths {
            for file in pack_files(root, &mut errors) {
                let shown = file.display().to_string();
                match std::fs::read(&file) {
                    Ok(bytes) => match String::from_utf8(bytes) {
                        Ok(source) => add(&mut rules, &mut errors, &shown, &source),
                        Err(e) => {
                            let off = e.utf8_error().valid_up_to();
                            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                            errors.push(RuleError {
                                location: Location::at(&shown, &text, off),
                                message: "pack is not valid UTF-8".into(),
                            });
                        }
                    },
                    Err(e) => errors.push(RuleError {
                        location: Location { path: shown, line: 1, column: 1 },
                        message: format!("cannot read: {e}"),
                    }),
                }
            }
        }
        let mut first: HashMap<&str, &Location> = HashMap::new();
        for r in &rules {
            if let Some(prev) = first.insert(&r.id, &r.location) {
                errors.push(RuleError {
                    location: r.location.clone(),
                    message: format!("duplicate rule id `{}` (first defined at {prev})", r.id),
                });
                first.insert(&r.id, prev);
            }
        }
        for id in &self.disabled {
            if !first.contains_key(id.as_str()) {
                errors.push(RuleError {
                    location: Location { path: "<command line>".into(), line: 1, column: 1 },
                    message: format!("--disable {id}: no loaded rule has this id"),
                });
            }
        }
        if !errors.is_empty() {
            return Err(RuleErrors(errors));
        }
        rules.retain(|r| !self.disabled.iter().any(|d| **d == *r.id));
        if let Some(stages) = &self.stages {
            rules.retain(|r| stages.contains(&r.stage));
        }
        Ok(rules)
    }
}

/// The pack files at `root`: itself if it is a file, else every `.toml`/`.tsv` below it.
fn pack_files(root: &Path, errors: &mut Vec<RuleError>) -> Vec<PathBuf> {
    if root.is_file() {
        return vec![root.to_path_buf()];
    }
    if !root.is_dir() {
        errors.push(RuleError {
            location: Location { path: root.display().to_string(), line: 1, column: 1 },
            message: "no such rule file or folder".into(),
        });
        return Vec::new();
    }
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(true)
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("toml" | "tsv")))
        .collect();
    files.sort();
    files
}
