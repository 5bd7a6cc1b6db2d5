//! The pipeline: compiled rules and the passes they run, in stage order.

use std::borrow::Cow;
use std::sync::Arc;

use crate::decode::{DecodeError, Decoding, decode};
use crate::edit::{Change, Edit, OffsetMap, apply, forward};
use crate::error::{RuleError, RuleErrors};
use crate::rules::{Builtin, Rule, RuleKind, Stage};
use crate::stage::boilerplate::{BlockRule, Boilerplate};
use crate::stage::terms::Terms;
use crate::stage::{Pass, RegexPass};

/// Compiled rules, ready to clean any number of documents from any number of threads.
///
/// ```
/// let pipeline = copydesk::Pipeline::new(copydesk::rules::Loader::new().load()?)?;
/// let cleaned = pipeline.clean("Jingdong mall opened a store on the electricity supplier platform.");
/// assert_eq!(cleaned.text, "JD.com opened a store on the e-commerce platform.");
/// assert_eq!(&*cleaned.edits[0].rule, "jd-com");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Pipeline {
    rules: Vec<Rule>,
    passes: Vec<Pass>,
    /// The order passes run in: ranges of `passes`, each run once or until it changes
    /// nothing more (a pass may appear twice: boilerplate runs again after terms).
    schedule: Vec<(std::ops::Range<usize>, Repeat)>,
}

/// Whether a group of passes runs once or until it changes nothing more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    Once,
    /// At most [`MAX_ROUNDS`] rounds: a removal can bring a new line into a rule's
    /// `head`/`tail` scope, a removed character can give a zero-width one new
    /// neighbours. Running the group to a fixed point keeps cleaning idempotent.
    UntilStable,
}

/// Bound on [`Repeat::UntilStable`] rounds.
const MAX_ROUNDS: usize = 4;

/// A text being cleaned, with everything recorded about it so far.
struct State<'a> {
    cur: Cow<'a, str>,
    edits: Vec<Edit>,
    /// Maps the current text back to the original.
    map: OffsetMap,
    /// Where earlier passes removed text, in the current text.
    seams: Vec<usize>,
    /// Scratch buffer for one pass's changes.
    changes: Vec<Change>,
}

/// The result of cleaning one text.
#[derive(Debug, Clone)]
pub struct Cleaned<'a> {
    /// The cleaned text (borrowed when nothing changed).
    pub text: Cow<'a, str>,
    /// Every change, in the order the stages made them.
    pub edits: Vec<Edit>,
}

impl Cleaned<'_> {
    /// Number of edits made by each stage, in [`Stage::ALL`] order.
    pub fn edits_by_stage(&self) -> [usize; 4] {
        count_by_stage(&self.edits)
    }
}

impl Pipeline {
    /// Compiles `rules` (as returned by [`crate::rules::Loader::load`]).
    ///
    /// Fails when two rules claim the same variant, or when a canonical term would be
    /// rewritten by the rule set (which would break idempotence).
    pub fn new(rules: Vec<Rule>) -> Result<Pipeline, RuleErrors> {
        let mut passes = Vec::new();
        let mut builtins: Vec<(Builtin, usize)> = Vec::new();
        let mut normalize_regex = Vec::new();
        let mut tidy_regex = Vec::new();
        let mut lines = Vec::new();
        let mut blocks = Vec::new();
        let mut tidy = (None, None);
        for (i, r) in rules.iter().enumerate() {
            match &r.kind {
                RuleKind::Builtin(Builtin::BlankLines) => tidy.0 = Some(i),
                RuleKind::Builtin(Builtin::SeamSpaces) => tidy.1 = Some(i),
                RuleKind::Builtin(b) => builtins.push((*b, i)),
                RuleKind::Regex { pattern, replace } if r.stage == Stage::Normalize => {
                    normalize_regex.push((i, pattern.clone(), replace.clone(), r.context.clone()))
                }
                RuleKind::Regex { pattern, replace } if r.stage == Stage::Tidy => {
                    tidy_regex.push((i, pattern.clone(), replace.clone(), r.context.clone()))
                }
                RuleKind::Line { pattern, scope } => lines.push((i, pattern.clone(), *scope)),
                RuleKind::Block { start, end, scope } => {
                    blocks.push(BlockRule { rule: i, start: start.clone(), end: end.clone(), scope: *scope })
                }
                _ => {}
            }
        }
        builtins.sort_by_key(|(b, _)| b.order());
        let (early, late): (Vec<_>, Vec<_>) =
            builtins.into_iter().partition(|(b, _)| !matches!(b, Builtin::SpaceRuns | Builtin::TrailingSpaces));
        let mut schedule = Vec::new();
        passes.extend(early.into_iter().map(|(b, i)| Pass::Builtin(b, i)));
        if !normalize_regex.is_empty() {
            passes.push(Pass::Regex(RegexPass { stage: Stage::Normalize, rules: normalize_regex }));
        }
        passes.extend(late.into_iter().map(|(b, i)| Pass::Builtin(b, i)));
        schedule.push((0..passes.len(), Repeat::UntilStable));
        let boilerplate = (!lines.is_empty() || !blocks.is_empty()).then(|| {
            passes.push(Pass::Boilerplate(Boilerplate::new(lines, blocks)));
            passes.len() - 1..passes.len()
        });
        schedule.extend(boilerplate.clone().map(|r| (r, Repeat::UntilStable)));
        let terms =
            Terms::new(rules.iter().enumerate().filter(|(_, r)| r.stage == Stage::Terms)).map_err(RuleErrors)?;
        if !terms.is_empty() {
            passes.push(Pass::Terms(Box::new(terms)));
            schedule.push((passes.len() - 1..passes.len(), Repeat::Once));
            // A replaced term can complete a boilerplate line ("Scan the 2-D code to
            // follow us"): look again.
            schedule.extend(boilerplate.map(|r| (r, Repeat::UntilStable)));
        }
        let tidy_start = passes.len();
        if !tidy_regex.is_empty() {
            passes.push(Pass::Regex(RegexPass { stage: Stage::Tidy, rules: tidy_regex }));
        }
        if tidy.0.is_some() || tidy.1.is_some() {
            passes.push(Pass::Tidy { blank_lines: tidy.0, seam_spaces: tidy.1 });
        }
        schedule.push((tidy_start..passes.len(), Repeat::Once));
        schedule.retain(|(r, _)| !r.is_empty());
        let pipeline = Pipeline { rules, passes, schedule };
        pipeline.check_canonical_terms()?;
        Ok(pipeline)
    }

    /// A canonical term that the rules would change again breaks idempotence. All of
    /// them are checked in one run: each alone on a line and inside a sentence.
    fn check_canonical_terms(&self) -> Result<(), RuleErrors> {
        let mut probe = String::new();
        let mut owners: Vec<(usize, usize)> = Vec::new(); // (line start, rule index)
        for (i, r) in self.rules.iter().enumerate() {
            if let RuleKind::Literal { canonical, .. } = &r.kind {
                for line in [canonical.clone(), format!("The {canonical} said.")] {
                    owners.push((probe.len(), i));
                    probe.push_str(&line);
                    probe.push('\n');
                }
            }
        }
        let out = self.clean(&probe);
        let mut errors: Vec<RuleError> = Vec::new();
        let mut reported = std::collections::HashSet::new();
        for e in out.edits.iter().filter(|e| e.stage == Stage::Terms) {
            let line = owners.partition_point(|&(start, _)| start <= e.original.start) - 1;
            let r = &self.rules[owners[line].1];
            if let RuleKind::Literal { canonical, .. } = &r.kind
                && reported.insert(owners[line].1)
            {
                errors.push(RuleError {
                    location: r.location.clone(),
                    message: format!(
                        "canonical term `{canonical}` of rule `{}` would be rewritten by rule `{}` (`{}` -> `{}`): cleaning would not be idempotent",
                        r.id, e.rule, e.before, e.after
                    ),
                });
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(RuleErrors(errors)) }
    }

    /// The rules, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Cleans a text.
    pub fn clean<'a>(&self, text: &'a str) -> Cleaned<'a> {
        let mut state = State {
            cur: Cow::Borrowed(text),
            edits: Vec::new(),
            map: OffsetMap::default(),
            seams: Vec::new(),
            changes: Vec::new(),
        };
        for (range, repeat) in &self.schedule {
            let rounds = match repeat {
                Repeat::Once => 1,
                Repeat::UntilStable => MAX_ROUNDS,
            };
            for _ in 0..rounds {
                let mut changed = false;
                for pass in &self.passes[range.clone()] {
                    changed |= self.run_pass(pass, &mut state);
                }
                if !changed {
                    break;
                }
            }
        }
        Cleaned { text: state.cur, edits: state.edits }
    }

    /// Runs one pass and records its edits; returns whether it changed anything.
    fn run_pass(&self, pass: &Pass, st: &mut State<'_>) -> bool {
        st.changes.clear();
        pass.run(&st.cur, &st.seams, &mut st.changes);
        if st.changes.is_empty() {
            return false;
        }
        let changes = &st.changes;
        debug_assert!(changes.windows(2).all(|w| w[0].range.end <= w[1].range.start), "overlapping changes");
        let stage = pass.stage();
        for c in changes {
            st.edits.push(Edit {
                rule: Arc::clone(&self.rules[c.rule].id),
                stage,
                original: st.map.original(&c.range),
                before: st.cur[c.range.clone()].to_string(),
                after: c.replacement.clone(),
            });
        }
        if stage != Stage::Tidy {
            // Where text was removed, tidy looks for blank lines and spaces to fold.
            forward(&mut st.seams, changes);
            let mut shift: isize = 0;
            for c in changes {
                if c.replacement.is_empty() {
                    st.seams.push(c.range.start.wrapping_add_signed(shift));
                }
                shift += c.replacement.len() as isize - c.range.len() as isize;
            }
            st.seams.sort_unstable();
            st.seams.dedup();
        }
        let next = apply(&st.cur, changes);
        st.map.update(changes);
        st.cur = Cow::Owned(next);
        true
    }

    /// Decodes and cleans a document's bytes.
    pub fn clean_bytes(
        &self,
        bytes: &[u8],
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> Result<Document, DecodeError> {
        let (original, decoding) = decode(bytes, encoding)?;
        let cleaned = self.clean(&original);
        let edits = cleaned.edits;
        let cleaned = match cleaned.text {
            Cow::Borrowed(_) => None,
            Cow::Owned(s) => Some(s),
        };
        Ok(Document { decoding, original, cleaned, edits })
    }
}

/// A decoded, cleaned document.
#[derive(Debug, Clone)]
pub struct Document {
    /// How the bytes were decoded.
    pub decoding: Decoding,
    /// The decoded text before cleaning.
    pub original: String,
    cleaned: Option<String>,
    /// Every change, in the order the stages made them.
    pub edits: Vec<Edit>,
}

impl Document {
    /// The cleaned text.
    pub fn cleaned(&self) -> &str {
        self.cleaned.as_deref().unwrap_or(&self.original)
    }

    /// Whether cleaning changed the text.
    pub fn changed(&self) -> bool {
        self.cleaned.as_deref().is_some_and(|c| c != self.original)
    }

    /// Whether the output bytes differ from the input bytes (text changed, or the input
    /// was not UTF-8 and so is re-encoded).
    pub fn needs_rewrite(&self) -> bool {
        self.changed() || self.decoding.encoding != encoding_rs::UTF_8
    }

    /// Number of edits made by each stage, in [`Stage::ALL`] order.
    pub fn edits_by_stage(&self) -> [usize; 4] {
        count_by_stage(&self.edits)
    }
}

/// Number of edits made by each stage, in [`Stage::ALL`] order.
fn count_by_stage(edits: &[Edit]) -> [usize; 4] {
    let mut n = [0; 4];
    for e in edits {
        n[e.stage as usize] += 1;
    }
    n
}
