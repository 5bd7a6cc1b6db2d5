//! The stages of the pipeline and the passes they compile to.
//!
//! Each pass is a pure function of its input text (and, for tidy, of where earlier
//! passes removed text) that returns sorted, non-overlapping [`Change`]s.

pub(crate) mod boilerplate;
pub(crate) mod context;
pub(crate) mod normalize;
pub(crate) mod terms;
pub(crate) mod tidy;

use regex::Regex;

use crate::edit::Change;
use crate::rules::{Builtin, Context, Stage};

/// A regex rule outside the terms stage (normalize).
pub(crate) struct RegexPass {
    /// Normalize (before boilerplate) or tidy (after terms).
    pub stage: Stage,
    pub rules: Vec<(usize, Regex, String, Context)>,
}

impl RegexPass {
    fn run(&self, text: &str, out: &mut Vec<Change>) {
        let mut found = Vec::new();
        for (rule, re, replace, ctx) in &self.rules {
            regex_changes(*rule, re, replace, ctx, text, &mut found);
        }
        keep_leftmost_longest(found, out);
    }
}

/// The changes one regex rule proposes: every non-empty match its context allows,
/// with the replacement expanded, unless it equals the match.
pub(crate) fn regex_changes(
    rule: usize,
    re: &Regex,
    replace: &str,
    ctx: &Context,
    text: &str,
    found: &mut Vec<Change>,
) {
    let mut lines = context::Lines::new(text);
    for caps in re.captures_iter(text) {
        let m = caps.get(0).expect("group 0 always matches");
        if m.is_empty() || !lines.allows(ctx, m.start(), m.end()) {
            continue;
        }
        let mut rep = String::new();
        caps.expand(replace, &mut rep);
        if rep != m.as_str() {
            found.push(Change::new(m.range(), rep, rule));
        }
    }
}

/// Resolves overlaps between proposed changes: the leftmost wins, then the longest.
pub(crate) fn keep_leftmost_longest(mut found: Vec<Change>, out: &mut Vec<Change>) {
    found.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(b.range.end.cmp(&a.range.end)));
    let mut end = 0;
    for c in found {
        if c.range.start >= end {
            end = c.range.end;
            out.push(c);
        }
    }
}

/// One pass over the text.
pub(crate) enum Pass {
    Builtin(Builtin, usize),
    Regex(RegexPass),
    Boilerplate(boilerplate::Boilerplate),
    Terms(Box<terms::Terms>),
    Tidy { blank_lines: Option<usize>, seam_spaces: Option<usize> },
}

impl Pass {
    pub fn stage(&self) -> Stage {
        match self {
            Pass::Builtin(b, _) => b.stage(),
            Pass::Regex(r) => r.stage,
            Pass::Boilerplate(_) => Stage::Boilerplate,
            Pass::Terms(_) => Stage::Terms,
            Pass::Tidy { .. } => Stage::Tidy,
        }
    }

    pub fn run(&self, text: &str, seams: &[usize], out: &mut Vec<Change>) {
        match self {
            Pass::Builtin(b, rule) => {
                let f = match b {
                    Builtin::Nfc => normalize::nfc,
                    Builtin::ZeroWidth => normalize::zero_width,
                    Builtin::ControlChars => normalize::control_chars,
                    Builtin::Nbsp => normalize::nbsp,
                    Builtin::FullwidthPunctuation => normalize::fullwidth_punctuation,
                    Builtin::SpaceRuns => normalize::space_runs,
                    Builtin::TrailingSpaces => normalize::trailing_spaces,
                    Builtin::BlankLines | Builtin::SeamSpaces => return,
                };
                f(text, *rule, out);
            }
            Pass::Regex(r) => r.run(text, out),
            Pass::Boilerplate(b) => b.run(text, out),
            Pass::Terms(t) => t.run(text, out),
            Pass::Tidy { blank_lines, seam_spaces } => {
                if seams.is_empty() {
                    return;
                }
                let mut a = Vec::new();
                if let Some(rule) = seam_spaces {
                    tidy::seam_spaces(text, seams, *rule, &mut a);
                }
                let mut b = Vec::new();
                if let Some(rule) = blank_lines {
                    tidy::blank_lines(text, seams, *rule, &mut b);
                }
                // Merge the two lists, dropping overlaps (the longer blank-line fold wins).
                keep_leftmost_longest(a.into_iter().chain(b).collect(), out);
            }
        }
    }
}
