//! Rules: what they are, how packs are read, and which ones ship with copydesk.
//!
//! A [`Rule`] is one table of a pack file (see `rules/README.md` for the format):
//! an id, a description, what it matches and produces ([`RuleKind`]), optional
//! context conditions and examples. [`Loader`] reads packs (built in, from files and
//! folders, or TSV word lists), applies `--disable`, and reports every error at once.

mod load;
mod pack;

use std::fmt;
use std::sync::Arc;

use regex::Regex;

use crate::error::Location;

pub use load::{BUILTIN_PACKS, Loader};

/// A rule's stable identifier, cheap to clone.
pub type RuleId = Arc<str>;

/// The stages of the pipeline, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Unicode and punctuation clean-up.
    Normalize,
    /// Removal of site and forum boilerplate.
    Boilerplate,
    /// Replacement of machine-translation artifacts by canonical terms.
    Terms,
    /// Blank lines and spacing left behind by the other stages.
    Tidy,
}

impl Stage {
    /// All stages in pipeline order.
    pub const ALL: [Stage; 4] = [Stage::Normalize, Stage::Boilerplate, Stage::Terms, Stage::Tidy];

    /// The stage's name as written in packs and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Normalize => "normalize",
            Stage::Boilerplate => "boilerplate",
            Stage::Terms => "terms",
            Stage::Tidy => "tidy",
        }
    }

    /// Parses a stage name.
    pub fn from_name(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The transforms that are written in code and switched on by a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// Unicode NFC.
    Nfc,
    /// Zero-width characters.
    ZeroWidth,
    /// C0/C1 control characters other than tab and line endings.
    ControlChars,
    /// No-break and other Unicode spaces to a plain space.
    Nbsp,
    /// Fullwidth and CJK punctuation next to Latin text to ASCII.
    FullwidthPunctuation,
    /// Runs of spaces inside a line to one.
    SpaceRuns,
    /// Spaces and tabs at line ends.
    TrailingSpaces,
    /// Blank lines around removals.
    BlankLines,
    /// Doubled spaces and spaces before punctuation around removals.
    SeamSpaces,
}

impl Builtin {
    /// Every builtin with its name and stage, in the order they run.
    pub const ALL: [(Builtin, &'static str, Stage); 9] = [
        (Builtin::Nfc, "nfc", Stage::Normalize),
        (Builtin::ControlChars, "control-chars", Stage::Normalize),
        (Builtin::ZeroWidth, "zero-width", Stage::Normalize),
        (Builtin::Nbsp, "nbsp", Stage::Normalize),
        (Builtin::FullwidthPunctuation, "fullwidth-punctuation", Stage::Normalize),
        (Builtin::SpaceRuns, "space-runs", Stage::Normalize),
        (Builtin::TrailingSpaces, "trailing-spaces", Stage::Normalize),
        (Builtin::BlankLines, "blank-lines", Stage::Tidy),
        (Builtin::SeamSpaces, "seam-spaces", Stage::Tidy),
    ];

    /// The builtin's name as written in packs.
    pub fn name(self) -> &'static str {
        Builtin::ALL.iter().find(|b| b.0 == self).map_or("?", |b| b.1)
    }

    /// The stage the builtin runs in.
    pub fn stage(self) -> Stage {
        Builtin::ALL.iter().find(|b| b.0 == self).map_or(Stage::Normalize, |b| b.2)
    }

    /// Position in the fixed running order of builtins.
    pub(crate) fn order(self) -> usize {
        Builtin::ALL.iter().position(|b| b.0 == self).unwrap_or(0)
    }
}

/// Where a boilerplate rule looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The whole document.
    #[default]
    All,
    /// The first N non-blank lines.
    Head(usize),
    /// The last N non-blank lines.
    Tail(usize),
}

/// What a rule matches and what it produces.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RuleKind {
    /// Literal variants replaced by a canonical term (terms stage).
    Literal {
        /// The replacement.
        canonical: String,
        /// The texts to replace.
        variants: Vec<String>,
        /// Match exactly instead of ASCII case-insensitively.
        case_sensitive: bool,
        /// Capitalize a lower-case canonical term at sentence start.
        sentence_case: bool,
    },
    /// A regex and its replacement (normalize or terms stage).
    Regex {
        /// The pattern.
        pattern: Regex,
        /// The replacement, with `$1`-style group references.
        replace: String,
    },
    /// Remove each matching line (boilerplate stage).
    Line {
        /// Tested against each line without its ending.
        pattern: Regex,
        /// Which lines are considered.
        scope: Scope,
    },
    /// Remove a block of lines (boilerplate stage).
    Block {
        /// First line of the block; `None`: the start of the document.
        start: Option<Regex>,
        /// Last line of the block; `None`: the end of the document.
        end: Option<Regex>,
        /// Where the block may start.
        scope: Scope,
    },
    /// A transform written in code.
    Builtin(Builtin),
}

/// Conditions on the text around a match.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Skip when the text before the match matches (anchored at its end).
    pub unless_before: Option<Regex>,
    /// Skip when the text after the match matches (anchored at its start).
    pub unless_after: Option<Regex>,
    /// Apply only when the text before the match matches.
    pub only_before: Option<Regex>,
    /// Apply only when the text after the match matches.
    pub only_after: Option<Regex>,
    /// Apply only when the line (paragraph) of the match contains a match of this.
    pub only_in_line: Option<Regex>,
    /// Skip when the line (paragraph) of the match contains a match of this.
    pub unless_in_line: Option<Regex>,
}

impl Context {
    /// True when no condition is set.
    pub fn is_empty(&self) -> bool {
        self.unless_before.is_none()
            && self.unless_after.is_none()
            && self.only_before.is_none()
            && self.only_after.is_none()
            && self.only_in_line.is_none()
            && self.unless_in_line.is_none()
    }

    /// Whether a match with `before` and `after` as its surroundings may apply.
    /// `in_line` answers the line conditions (the caller may cache them per line).
    pub fn allows(&self, before: &str, after: &str, mut in_line: impl FnMut(&Regex) -> bool) -> bool {
        let hit = |re: &Option<Regex>, s: &str| re.as_ref().map(|re| re.is_match(s));
        hit(&self.unless_before, before) != Some(true)
            && hit(&self.unless_after, after) != Some(true)
            && hit(&self.only_before, before) != Some(false)
            && hit(&self.only_after, after) != Some(false)
            && self.only_in_line.as_ref().is_none_or(&mut in_line)
            && !self.unless_in_line.as_ref().is_some_and(&mut in_line)
    }
}

/// An example of a rule's effect; `output: None` means the input must stay unchanged.
#[derive(Debug, Clone)]
pub struct Example {
    /// Text to clean.
    pub input: String,
    /// What it must become, or `None` for "unchanged".
    pub output: Option<String>,
    /// Where the example is written.
    pub location: Location,
}

/// One rule, compiled and validated.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable identifier.
    pub id: RuleId,
    /// One line: what it fixes.
    pub description: String,
    /// The stage it runs in.
    pub stage: Stage,
    /// What it does.
    pub kind: RuleKind,
    /// Conditions on the surrounding text.
    pub context: Context,
    /// Examples run by the tests.
    pub examples: Vec<Example>,
    /// Where the rule is defined.
    pub location: Location,
}

/// A rule example whose result differs from what it claims.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    /// The rule.
    pub rule: RuleId,
    /// Where the example is written.
    pub location: Location,
    /// The example's input.
    pub input: String,
    /// What it should become.
    pub expected: String,
    /// What it became.
    pub actual: String,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: example of rule `{}` failed\n  input:    {:?}\n  expected: {:?}\n  actual:   {:?}",
            self.location, self.rule, self.input, self.expected, self.actual
        )
    }
}

/// Runs every example of `rules` against its rule alone; returns the failures.
///
/// Tidy builtins only act where another stage removed text, so their examples run
/// through all of `rules`.
pub fn run_examples(rules: &[Rule]) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for rule in rules {
        if rule.examples.is_empty() {
            continue;
        }
        let alone = if rule.stage == Stage::Tidy && matches!(rule.kind, RuleKind::Builtin(_)) {
            rules.to_vec()
        } else {
            vec![rule.clone()]
        };
        let pipeline = match crate::Pipeline::new(alone) {
            Ok(p) => p,
            Err(e) => {
                failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    location: rule.location.clone(),
                    input: String::new(),
                    expected: String::new(),
                    actual: e.to_string(),
                });
                continue;
            }
        };
        for ex in &rule.examples {
            let expected = ex.output.clone().unwrap_or_else(|| ex.input.clone());
            let actual = pipeline.clean(&ex.input).text.into_owned();
            if actual != expected {
                failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    location: ex.location.clone(),
                    input: ex.input.clone(),
                    expected,
                    actual,
                });
            }
        }
    }
    failures
}
