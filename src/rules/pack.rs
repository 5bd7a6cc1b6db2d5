//! Reading one pack file (TOML) or word list (TSV) into [`Rule`]s.
//!
//! serde does the parsing (`deny_unknown_fields`), `toml::Spanned` keeps the byte
//! position of every value that can be wrong, so each error names file:line:col.

use std::ops::Range;
use std::sync::Arc;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::{Builtin, Context, Example, Rule, RuleKind, Scope, Stage};
use crate::error::{LineIndex, Location, RuleError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: Option<Spanned<RawHeader>>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    stage: Spanned<String>,
    #[allow(dead_code)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    description: Option<String>,
    canonical: Option<Spanned<String>>,
    variants: Option<Spanned<Vec<Spanned<String>>>>,
    case_sensitive: Option<bool>,
    sentence_case: Option<bool>,
    pattern: Option<Spanned<String>>,
    replace: Option<Spanned<String>>,
    unless_before: Option<Spanned<String>>,
    unless_after: Option<Spanned<String>>,
    only_before: Option<Spanned<String>>,
    only_after: Option<Spanned<String>>,
    only_in_line: Option<Spanned<String>>,
    unless_in_line: Option<Spanned<String>>,
    line: Option<Spanned<String>>,
    start: Option<Spanned<String>>,
    end: Option<Spanned<String>>,
    head: Option<Spanned<usize>>,
    tail: Option<Spanned<usize>>,
    builtin: Option<Spanned<String>>,
    #[serde(default)]
    examples: Vec<Spanned<RawExample>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    input: String,
    output: Option<String>,
}

/// Collects errors against one source file.
struct Diag<'a> {
    path: &'a str,
    lines: LineIndex<'a>,
    errors: Vec<RuleError>,
}

impl<'a> Diag<'a> {
    fn new(path: &'a str, source: &'a str) -> Diag<'a> {
        Diag { path, lines: LineIndex::new(source), errors: Vec::new() }
    }

    fn loc(&self, span: &Range<usize>) -> Location {
        self.lines.location(self.path, span.start)
    }

    fn err(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let location = self.loc(span);
        self.errors.push(RuleError { location, message: message.into() });
    }

    /// Compiles a regex; `wrap` turns the author's pattern into the one compiled.
    fn regex(&mut self, s: &Spanned<String>, wrap: impl Fn(&str) -> String) -> Option<Regex> {
        match Regex::new(&wrap(s.get_ref())) {
            Ok(re) => Some(re),
            Err(e) => {
                let msg = e.to_string();
                let detail = msg
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or(&msg)
                    .trim()
                    .trim_start_matches("error: ");
                self.err(&s.span(), format!("invalid regex `{}`: {detail}", s.get_ref()));
                None
            }
        }
    }
}

/// A rule id: lower-case letters, digits, and `-._:/`, starting with a letter or digit.
pub(crate) fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._:/".contains(c))
}

/// Parses a TOML pack. Returns the rules, or every error found.
pub(crate) fn parse_pack(path: &str, source: &str) -> Result<Vec<Rule>, Vec<RuleError>> {
    let mut d = Diag::new(path, source);
    let raw: RawPack = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            d.err(&span, e.message().trim().to_string());
            return Err(d.errors);
        }
    };
    let stage = match &raw.pack {
        None => {
            d.err(&(0..0), "missing `[pack]` table with `stage = \"normalize|boilerplate|terms|tidy\"`");
            return Err(d.errors);
        }
        Some(h) => match Stage::from_name(h.get_ref().stage.get_ref()) {
            Some(s) => s,
            None => {
                let h = h.get_ref();
                d.err(
                    &h.stage.span(),
                    format!("unknown stage `{}`: expected normalize, boilerplate, terms or tidy", h.stage.get_ref()),
                );
                return Err(d.errors);
            }
        },
    };
    let mut rules = Vec::with_capacity(raw.rule.len());
    for r in &raw.rule {
        if let Some(rule) = compile_rule(&mut d, stage, r) {
            rules.push(rule);
        }
    }
    if d.errors.is_empty() { Ok(rules) } else { Err(d.errors) }
}

fn compile_rule(d: &mut Diag, stage: Stage, spanned: &Spanned<RawRule>) -> Option<Rule> {
    let r = spanned.get_ref();
    let before = d.errors.len();
    let id = r.id.get_ref();
    if !valid_id(id) {
        d.err(&r.id.span(), format!("invalid rule id `{id}`: use lower-case letters, digits and `-._:/`"));
    }
    let description = match &r.description {
        Some(s) if !s.trim().is_empty() => s.clone(),
        _ => {
            d.err(&r.id.span(), format!("rule `{id}` has no `description`"));
            String::new()
        }
    };
    let literal = r.canonical.is_some() || r.variants.is_some();
    let regex = r.pattern.is_some() || r.replace.is_some();
    let line = r.line.is_some();
    let block = r.start.is_some() || r.end.is_some();
    let builtin = r.builtin.is_some();
    let kinds = [literal, regex, line, block, builtin].iter().filter(|&&k| k).count();
    if kinds != 1 {
        let what = if kinds == 0 { "says nothing about what to match" } else { "mixes fields of different kinds" };
        d.err(
            &r.id.span(),
            format!("rule `{id}` {what}: give exactly one of `canonical`+`variants`, `pattern`+`replace`, `line`, `start`/`end`, or `builtin`"),
        );
        return None;
    }
    let allowed: &[Stage] = match () {
        _ if literal => &[Stage::Terms],
        _ if regex => &[Stage::Normalize, Stage::Terms, Stage::Tidy],
        _ if line || block => &[Stage::Boilerplate],
        _ => &[Stage::Normalize, Stage::Tidy],
    };
    if !allowed.contains(&stage) {
        d.err(&r.id.span(), format!("rule `{id}` cannot run in the {stage} stage of this pack"));
    }
    let scope = match (&r.head, &r.tail) {
        (Some(h), Some(_)) => {
            d.err(&h.span(), "give `head` or `tail`, not both");
            Scope::All
        }
        (Some(h), None) => Scope::Head(*h.get_ref()),
        (None, Some(t)) => Scope::Tail(*t.get_ref()),
        (None, None) => Scope::All,
    };
    if !(line || block)
        && let Some(s) = r.head.as_ref().or(r.tail.as_ref())
    {
        d.err(&s.span(), "`head` and `tail` apply to boilerplate rules only");
    }
    let kind = if literal {
        compile_literal(d, r)?
    } else if regex {
        let (Some(p), Some(rep)) = (&r.pattern, &r.replace) else {
            d.err(&r.id.span(), format!("rule `{id}` needs both `pattern` and `replace`"));
            return None;
        };
        let pattern = nonempty_regex(d, p)?;
        RuleKind::Regex { pattern, replace: rep.get_ref().clone() }
    } else if line {
        let pattern = nonempty_regex(d, r.line.as_ref()?)?;
        RuleKind::Line { pattern, scope }
    } else if block {
        // An absent marker is `None`; an invalid one ends the rule (its error is recorded).
        let start = match &r.start {
            None => None,
            Some(s) => Some(nonempty_regex(d, s)?),
        };
        let end = match &r.end {
            None => None,
            Some(s) => Some(nonempty_regex(d, s)?),
        };
        RuleKind::Block { start, end, scope }
    } else {
        let b = r.builtin.as_ref()?;
        match Builtin::ALL.iter().find(|x| x.1 == b.get_ref()) {
            Some(&(builtin, _, bstage)) if bstage == stage => RuleKind::Builtin(builtin),
            Some(&(_, name, bstage)) => {
                d.err(&b.span(), format!("builtin `{name}` belongs to the {bstage} stage, not {stage}"));
                return None;
            }
            None => {
                let names: Vec<&str> = Builtin::ALL.iter().filter(|x| x.2 == stage).map(|x| x.1).collect();
                d.err(&b.span(), format!("unknown builtin `{}`: expected one of {}", b.get_ref(), names.join(", ")));
                return None;
            }
        }
    };
    let ctx_allowed = literal || regex;
    let mut context = Context::default();
    for (field, slot, side) in [
        (&r.unless_before, &mut context.unless_before, Side::Before),
        (&r.unless_after, &mut context.unless_after, Side::After),
        (&r.only_before, &mut context.only_before, Side::Before),
        (&r.only_after, &mut context.only_after, Side::After),
        (&r.only_in_line, &mut context.only_in_line, Side::Line),
        (&r.unless_in_line, &mut context.unless_in_line, Side::Line),
    ] {
        if let Some(s) = field {
            if !ctx_allowed {
                d.err(&s.span(), "context conditions apply to literal and regex rules only");
                continue;
            }
            *slot = match side {
                Side::Before => d.regex(s, |p| format!("(?:{p})\\z")),
                Side::After => d.regex(s, |p| format!("\\A(?:{p})")),
                Side::Line => d.regex(s, str::to_string),
            };
        }
    }
    let examples = r
        .examples
        .iter()
        .map(|e| Example {
            input: e.get_ref().input.clone(),
            output: e.get_ref().output.clone(),
            location: d.loc(&e.span()),
        })
        .collect();
    if d.errors.len() > before {
        return None;
    }
    Some(Rule {
        id: Arc::from(id.as_str()),
        description,
        stage,
        kind,
        context,
        examples,
        location: d.loc(&spanned.span()),
    })
}

enum Side {
    Before,
    After,
    Line,
}

fn compile_literal(d: &mut Diag, r: &RawRule) -> Option<RuleKind> {
    let id = r.id.get_ref();
    let (Some(canonical), Some(variants)) = (&r.canonical, &r.variants) else {
        d.err(&r.id.span(), format!("rule `{id}` needs both `canonical` and `variants`"));
        return None;
    };
    if variants.get_ref().is_empty() {
        d.err(&variants.span(), format!("rule `{id}` has an empty `variants` list"));
    }
    let mut seen = std::collections::HashSet::new();
    for v in variants.get_ref() {
        let s = v.get_ref();
        if s.trim().is_empty() || s.trim() != s {
            d.err(&v.span(), "a variant must not be empty or start or end with white space");
        } else if !seen.insert(s.to_ascii_lowercase()) && r.case_sensitive != Some(true) {
            d.err(&v.span(), format!("duplicate variant `{s}` in rule `{id}`"));
        } else if s == canonical.get_ref() {
            d.err(&v.span(), format!("variant `{s}` is the canonical term itself"));
        }
    }
    Some(RuleKind::Literal {
        canonical: canonical.get_ref().clone(),
        variants: variants.get_ref().iter().map(|v| v.get_ref().clone()).collect(),
        case_sensitive: r.case_sensitive.unwrap_or(false),
        sentence_case: r.sentence_case.unwrap_or(true),
    })
}

/// Compiles a regex that must not match the empty string.
fn nonempty_regex(d: &mut Diag, s: &Spanned<String>) -> Option<Regex> {
    let re = d.regex(s, str::to_string)?;
    let min = regex_syntax::parse(s.get_ref()).ok().and_then(|h| h.properties().minimum_len());
    if min == Some(0) {
        d.err(&s.span(), format!("regex `{}` can match the empty string", s.get_ref()));
        return None;
    }
    Some(re)
}

/// Parses a TSV word list: `variant<TAB>canonical` per line, `#` comments.
pub(crate) fn parse_tsv(path: &str, source: &str) -> Result<Vec<Rule>, Vec<RuleError>> {
    let stem = std::path::Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or("tsv");
    let stem: String =
        stem.to_ascii_lowercase().chars().map(|c| if valid_id(&c.to_string()) { c } else { '-' }).collect();
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (n, raw_line) in source.split_inclusive('\n').enumerate() {
        let line = raw_line.trim_end_matches(['\n', '\r']);
        // A line without a tab that starts with `#` is a comment; with a tab, `#` can
        // start a variant ("#micro-blog#").
        if line.trim().is_empty() || (line.starts_with('#') && !line.contains('\t')) {
            continue;
        }
        let location = Location { path: path.to_string(), line: n + 1, column: 1 };
        let Some((variant, canonical)) = line.split_once('\t') else {
            errors.push(RuleError { location, message: "expected `variant<TAB>canonical`".into() });
            continue;
        };
        if variant.trim().is_empty() || variant.trim() != variant {
            errors
                .push(RuleError { location, message: "empty variant or variant with surrounding white space".into() });
            continue;
        }
        rules.push(Rule {
            id: Arc::from(format!("{stem}:{}", n + 1)),
            description: format!("{variant} -> {canonical}"),
            stage: Stage::Terms,
            kind: RuleKind::Literal {
                canonical: canonical.to_string(),
                variants: vec![variant.to_string()],
                case_sensitive: false,
                sentence_case: false,
            },
            context: Context::default(),
            examples: Vec::new(),
            location,
        });
    }
    if errors.is_empty() { Ok(rules) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(src: &str) -> Vec<String> {
        parse_pack("p.toml", src).unwrap_err().iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn parses_every_kind() {
        let src = r#"
[pack]
stage = "terms"
[[rule]]
id = "jd"
description = "d"
canonical = "JD.com"
variants = ["Jingdong", "Jingdong mall"]
unless_after = '\s+Co\.'
examples = [{ input = "Jingdong", output = "JD.com" }]
[[rule]]
id = "nail"
description = "d"
pattern = '(?i)\bnail nail\b'
replace = "DingTalk"
"#;
        let rules = parse_pack("p.toml", src).unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].examples[0].location.line, 10);
        assert!(!rules[0].context.allows("x", " Co. Ltd", |_| true));
        assert!(rules[0].context.allows("x", " said", |_| true));
        assert_eq!(rules[1].location.to_string(), "p.toml:11:1");
    }

    #[test]
    fn reports_location_of_each_error() {
        let e = errs(
            "[pack]\nstage = \"terms\"\n[[rule]]\nid = \"a\"\ndescription = \"d\"\npattern = '(unclosed'\nreplace = 'x'\n",
        );
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with("p.toml:6:11: invalid regex `(unclosed`"), "{e:?}");
        let e = errs(
            "[pack]\nstage = \"terms\"\n[[rule]]\nid = \"a\"\ndescription = \"d\"\ncanonical = 'x'\nvariants = ['y']\ncolour = 1\n",
        );
        assert!(e[0].starts_with("p.toml:8:1: unknown field `colour`"), "{e:?}");
        let e = errs("[pack]\nstage = \"boilerplate\"\n[[rule]]\nid = \"a\"\ndescription = \"d\"\nline = 'x*'\n");
        assert!(e[0].contains("can match the empty string"), "{e:?}");
        let e = errs("[pack]\nstage = \"terms\"\n[[rule]]\nid = \"A b\"\ncanonical = 'x'\nvariants = ['y', 'Y']\n");
        assert_eq!(e.len(), 3, "{e:?}");
        let e = errs("[pack]\nstage = 'terms'\n[[rule]\n");
        assert!(e[0].starts_with("p.toml:3:"), "{e:?}");
    }

    #[test]
    fn tsv_lists() {
        let rules = parse_tsv("dir/My List.tsv", "# c\nJingdong\tJD.com\r\n\npay treasure\tAlipay\n").unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(&*rules[1].id, "my-list:4");
        let e = parse_tsv("w.tsv", "a\tb\nno tab\n").unwrap_err();
        assert_eq!(e[0].to_string(), "w.tsv:2:1: expected `variant<TAB>canonical`");
    }
}
