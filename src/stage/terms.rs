//! The terms stage: literal variants in one automaton pass, plus regex rules.
//!
//! All variants of all literal rules are lower-cased (ASCII) into one aho-corasick
//! automaton with leftmost-longest semantics, searched over an ASCII-lower-cased copy
//! of the text (same offsets). The automaton reports, at the leftmost position, the
//! longest variant; that one may still fail a check (word boundary, exact case,
//! `unless`/`only` context), so each automaton key knows the shorter keys that are
//! prefixes of it and could apply at the same position instead ("Jingdong malls":
//! "Jingdong mall" fails the right boundary, "Jingdong" applies). When nothing
//! applies, the search resumes after the failed word, or after the failed character
//! where the match did not start inside a word.

use std::cell::RefCell;
use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use regex::{Regex, RegexSet};

use super::context::Lines;
use super::{keep_leftmost_longest, regex_changes};
use crate::edit::Change;
use crate::error::RuleError;
use crate::rules::{Context, Rule, RuleKind};

/// Automata with up to this many keys are built as DFAs: about twice the search
/// speed for a build time of a few milliseconds.
const DFA_MAX_KEYS: usize = 5000;

#[inline]
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// A distinct (lower-cased) variant: one pattern of the automaton.
struct Key {
    len: usize,
    /// Variants with this key, case-sensitive ones first.
    cands: Vec<u32>,
    /// Keys that are prefixes of this one and could end at a word boundary inside it,
    /// longest first.
    fallback: Vec<u32>,
}

struct Variant {
    text: Box<str>,
    case_sensitive: bool,
    lit: u32,
}

struct Literal {
    rule: usize,
    canonical: String,
    capitalized: Option<String>,
    context: Context,
}

struct RegexRule {
    rule: usize,
    pattern: Regex,
    replace: String,
    context: Context,
}

/// A variant as the automaton sees it (lower-cased), plus its exact text when it is
/// case-sensitive.
type VariantKey = (Box<[u8]>, Option<Box<str>>);

/// The compiled terms stage.
pub(crate) struct Terms {
    ac: Option<AhoCorasick>,
    keys: Vec<Key>,
    variants: Vec<Variant>,
    literals: Vec<Literal>,
    regexes: Vec<RegexRule>,
    regex_set: Option<RegexSet>,
}

thread_local! {
    static LOWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Lower-cases the first letter when the rule asks for sentence case.
fn capitalized(canonical: &str) -> Option<String> {
    let first = canonical.chars().next()?;
    first.is_lowercase().then(|| first.to_uppercase().chain(canonical.chars().skip(1)).collect())
}

impl Terms {
    /// Compiles the terms rules (`(index in the rule table, rule)`).
    pub fn new<'a>(rules: impl IntoIterator<Item = (usize, &'a Rule)>) -> Result<Terms, Vec<RuleError>> {
        let mut errors = Vec::new();
        let mut key_ids: HashMap<Box<[u8]>, u32> = HashMap::new();
        let mut keys: Vec<Key> = Vec::new();
        let mut key_bytes: Vec<Box<[u8]>> = Vec::new();
        let mut variants: Vec<Variant> = Vec::new();
        let mut literals = Vec::new();
        let mut regexes = Vec::new();
        // Which variant already claims a (lower-cased key, exact text if case-sensitive).
        let mut owner: HashMap<VariantKey, usize> = HashMap::new();
        for (index, rule) in rules {
            match &rule.kind {
                RuleKind::Literal { canonical, variants: vs, case_sensitive, sentence_case } => {
                    let lit = literals.len() as u32;
                    literals.push(Literal {
                        rule: index,
                        canonical: canonical.clone(),
                        capitalized: if *sentence_case { capitalized(canonical) } else { None },
                        context: rule.context.clone(),
                    });
                    for v in vs {
                        let lower: Box<[u8]> = v.to_ascii_lowercase().into_bytes().into();
                        let exact: Option<Box<str>> = case_sensitive.then(|| v.as_str().into());
                        if let Some(&other) = owner.get(&(lower.clone(), exact.clone())) {
                            let o = &literals[variants[other].lit as usize];
                            if o.rule != index {
                                errors.push(RuleError {
                                    location: rule.location.clone(),
                                    message: format!(
                                        "variant `{v}` of rule `{}` is already a variant of another rule (-> `{}`)",
                                        rule.id, o.canonical
                                    ),
                                });
                            }
                            continue;
                        }
                        let k = *key_ids.entry(lower.clone()).or_insert_with(|| {
                            keys.push(Key { len: lower.len(), cands: Vec::new(), fallback: Vec::new() });
                            key_bytes.push(lower.clone());
                            keys.len() as u32 - 1
                        });
                        let id = variants.len() as u32;
                        owner.insert((lower, exact), id as usize);
                        variants.push(Variant { text: v.as_str().into(), case_sensitive: *case_sensitive, lit });
                        let cands = &mut keys[k as usize].cands;
                        if *case_sensitive { cands.insert(0, id) } else { cands.push(id) }
                    }
                }
                RuleKind::Regex { pattern, replace } => {
                    regexes.push(RegexRule {
                        rule: index,
                        pattern: pattern.clone(),
                        replace: replace.clone(),
                        context: rule.context.clone(),
                    });
                }
                _ => {}
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Prefix keys that could apply inside a longer key: those followed, inside it, by
        // a byte that is not an ASCII letter or digit (a word boundary).
        for (k, bytes) in key_bytes.iter().enumerate() {
            let mut fb = Vec::new();
            for cut in (1..bytes.len()).rev() {
                if !is_word(bytes[cut])
                    && let Some(&p) = key_ids.get(&bytes[..cut])
                {
                    fb.push(p);
                }
            }
            keys[k].fallback = fb;
        }
        let ac = if key_bytes.is_empty() {
            None
        } else {
            let kind = if key_bytes.len() <= DFA_MAX_KEYS { Some(AhoCorasickKind::DFA) } else { None };
            let built = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).kind(kind).build(&key_bytes);
            match built {
                Ok(ac) => Some(ac),
                Err(e) => {
                    return Err(vec![RuleError {
                        location: crate::error::Location { path: "<terms>".into(), line: 1, column: 1 },
                        message: format!("cannot build the term automaton: {e}"),
                    }]);
                }
            }
        };
        let regex_set = if regexes.len() > 1 {
            RegexSet::new(regexes.iter().map(|r: &RegexRule| r.pattern.as_str())).ok()
        } else {
            None
        };
        Ok(Terms { ac, keys, variants, literals, regexes, regex_set })
    }

    /// Whether the stage has anything to do.
    pub fn is_empty(&self) -> bool {
        self.ac.is_none() && self.regexes.is_empty()
    }

    pub fn run(&self, text: &str, out: &mut Vec<Change>) {
        let mut found = Vec::new();
        if let Some(ac) = &self.ac {
            LOWER.with(|buf| {
                let mut buf = buf.borrow_mut();
                buf.clear();
                buf.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
                self.literal_matches(ac, text, &buf, &mut found);
            });
        }
        if self.regexes.is_empty() {
            out.extend(found);
            return;
        }
        let active: Vec<usize> = match &self.regex_set {
            Some(set) => set.matches(text).into_iter().collect(),
            None => (0..self.regexes.len()).collect(),
        };
        for i in active {
            let r = &self.regexes[i];
            regex_changes(r.rule, &r.pattern, &r.replace, &r.context, text, &mut found);
        }
        keep_leftmost_longest(found, out);
    }

    fn literal_matches(&self, ac: &AhoCorasick, text: &str, hay: &[u8], out: &mut Vec<Change>) {
        let mut pos = 0;
        let mut lines = Lines::new(text);
        while pos < hay.len() {
            let Some(m) = ac.find(Input::new(hay).span(pos..hay.len())) else {
                break;
            };
            let s = m.start();
            let k = m.pattern().as_usize();
            if s > 0 && is_word(hay[s - 1]) {
                pos = skip(hay, s);
                continue;
            }
            match self.accept(text, hay, s, k, &mut lines) {
                Some((v, e)) => {
                    let lit = &self.literals[self.variants[v].lit as usize];
                    let rep = match &lit.capitalized {
                        Some(cap) if sentence_start(text, s) => cap.clone(),
                        _ => lit.canonical.clone(),
                    };
                    if rep != text[s..e] {
                        out.push(Change::new(s..e, rep, lit.rule));
                    }
                    pos = e;
                }
                None => pos = skip(hay, s),
            }
        }
    }

    /// The variant that applies at `s`, trying the matched key and then its prefixes.
    fn accept(&self, text: &str, hay: &[u8], s: usize, k: usize, lines: &mut Lines) -> Option<(usize, usize)> {
        let key = &self.keys[k];
        std::iter::once(k as u32).chain(key.fallback.iter().copied()).find_map(|kk| {
            let key = &self.keys[kk as usize];
            let e = s + key.len;
            if e < hay.len() && is_word(hay[e]) {
                return None;
            }
            key.cands.iter().find_map(|&v| {
                let var = &self.variants[v as usize];
                if var.case_sensitive && text.as_bytes()[s..e] != *var.text.as_bytes() {
                    return None;
                }
                let lit = &self.literals[var.lit as usize];
                if !lit.context.is_empty() && !lines.allows(&lit.context, s, e) {
                    return None;
                }
                Some((v as usize, e))
            })
        })
    }
}

/// Where to resume after a failed match at `s`: past the word it starts in, or past
/// its first character.
fn skip(hay: &[u8], s: usize) -> usize {
    if is_word(hay[s]) {
        s + hay[s..].iter().position(|&b| !is_word(b)).unwrap_or(hay.len() - s)
    } else {
        let lead = hay[s];
        s + match lead {
            0xF0..=0xFF => 4,
            0xE0..=0xEF => 3,
            0xC0..=0xDF => 2,
            _ => 1,
        }
    }
}

/// True when `s` starts a sentence: at a line start (after indentation, quotes and
/// brackets), or after `.`, `!`, `?` and white space.
fn sentence_start(text: &str, s: usize) -> bool {
    let mut spaced = false;
    for c in text[..s].chars().rev() {
        match c {
            '\n' => return true,
            ' ' | '\t' | '\u{3000}' => spaced = true,
            '"' | '\'' | '“' | '‘' | '(' | '[' | '「' | '《' | '（' | '*' | '#' | '-' | '•' | '●' => {}
            '.' | '!' | '?' | '。' | '！' | '？' | '…' => return spaced || !c.is_ascii(),
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;
    use crate::rules::{Context, Stage};
    use std::sync::Arc;

    fn lit(id: &str, canonical: &str, variants: &[&str], cs: bool) -> Rule {
        Rule {
            id: Arc::from(id),
            description: String::new(),
            stage: Stage::Terms,
            kind: RuleKind::Literal {
                canonical: canonical.into(),
                variants: variants.iter().map(|s| s.to_string()).collect(),
                case_sensitive: cs,
                sentence_case: true,
            },
            context: Context::default(),
            examples: vec![],
            location: crate::error::Location { path: "t".into(), line: 1, column: 1 },
        }
    }

    fn clean(t: &Terms, s: &str) -> String {
        let mut out = Vec::new();
        t.run(s, &mut out);
        apply(s, &out)
    }

    #[test]
    fn leftmost_longest_with_boundaries() {
        let rules = [
            lit("jd", "JD.com", &["Jingdong", "Jingdong mall"], false),
            lit("jdl", "JD Logistics", &["Jingdong Logistics"], false),
            lit("ec", "e-commerce", &["electricity supplier"], false),
            lit("dy", "Douyin", &["Tiktok"], true),
            lit("jdcn", "JD.com", &["京东"], false),
        ];
        let t = Terms::new(rules.iter().enumerate()).unwrap();
        let cases = [
            ("Jingdong mall and jingdong MALL", "JD.com and JD.com"),
            ("Jingdong malls", "JD.com malls"),
            ("Jingdongs xJingdong Jingdong2 (Jingdong)", "Jingdongs xJingdong Jingdong2 (JD.com)"),
            ("Jingdong Logistics won", "JD Logistics won"),
            ("Electricity supplier rose. electricity supplier", "E-commerce rose. E-commerce"),
            ("the electricity supplier", "the e-commerce"),
            ("Tiktok and TikTok", "Douyin and TikTok"),
            ("京东商城 and a京东 and 在京东上", "JD.com商城 and a京东 and 在JD.com上"),
            ("@jingdong_official", "@JD.com_official"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(&t, input), want, "{input}");
        }
    }

    #[test]
    fn conflicting_variants_are_errors() {
        let rules = [lit("a", "A", &["same"], false), lit("b", "B", &["Same"], false)];
        let e = Terms::new(rules.iter().enumerate()).err().unwrap();
        assert!(e[0].message.contains("already a variant"));
    }
}
