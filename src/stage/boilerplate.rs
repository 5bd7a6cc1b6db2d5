//! The boilerplate stage: removes whole lines and blocks of lines.
//!
//! Line rules are tested together with one `RegexSet` per line. Block rules look for
//! their start line (or the document start) and their end line (or the document end).
//! `head`/`tail` scopes count non-blank lines, so blank lines between widget items do
//! not push them out of scope.

use regex::{Regex, RegexSet};

use crate::edit::Change;
use crate::rules::Scope;

/// One line of a document: its content and where its terminator ends.
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

fn lines(text: &str) -> Vec<Line> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    while start < b.len() {
        let nl = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |p| start + p);
        let content_end = if nl < b.len() && nl > start && b[nl - 1] == b'\r' { nl - 1 } else { nl };
        let end = (nl + 1).min(b.len());
        out.push(Line { start, content_end, end });
        start = end;
    }
    out
}

pub(crate) struct BlockRule {
    pub rule: usize,
    pub start: Option<Regex>,
    pub end: Option<Regex>,
    pub scope: Scope,
}

/// The compiled boilerplate rules.
pub(crate) struct Boilerplate {
    line_set: RegexSet,
    line_rules: Vec<(usize, Scope)>,
    blocks: Vec<BlockRule>,
}

impl Boilerplate {
    pub fn new(line_rules: Vec<(usize, Regex, Scope)>, blocks: Vec<BlockRule>) -> Boilerplate {
        let line_set =
            RegexSet::new(line_rules.iter().map(|(_, re, _)| re.as_str())).expect("patterns compiled once already");
        Boilerplate { line_set, line_rules: line_rules.into_iter().map(|(r, _, s)| (r, s)).collect(), blocks }
    }

    pub fn run(&self, text: &str, out: &mut Vec<Change>) {
        let lines = lines(text);
        let blank: Vec<bool> = lines.iter().map(|l| text[l.start..l.content_end].trim().is_empty()).collect();
        // Ordinal of each line among non-blank lines, from the start and from the end.
        let total = blank.iter().filter(|b| !**b).count();
        let mut from_start = Vec::with_capacity(lines.len());
        let mut seen = 0;
        for &b in &blank {
            from_start.push(seen);
            if !b {
                seen += 1;
            }
        }
        let in_scope = |i: usize, scope: Scope| match scope {
            Scope::All => true,
            Scope::Head(n) => from_start[i] < n,
            Scope::Tail(n) => total - from_start[i] <= n,
        };
        let mut removed: Vec<Option<usize>> = vec![None; lines.len()];
        for block in &self.blocks {
            let mut i = 0;
            while i < lines.len() {
                let start = match &block.start {
                    None if i == 0 => Some(0),
                    None => None,
                    Some(re) => (i..lines.len()).find(|&j| {
                        !blank[j]
                            && in_scope(j, block.scope)
                            && re.is_match(&text[lines[j].start..lines[j].content_end])
                    }),
                };
                let Some(s) = start else { break };
                let end = match &block.end {
                    None => Some(lines.len() - 1),
                    Some(re) => {
                        // A block that runs from the document start must end within its scope.
                        let (from, scoped) = if block.start.is_some() { (s + 1, false) } else { (s, true) };
                        (from..lines.len())
                            .take_while(|&j| !scoped || blank[j] || in_scope(j, block.scope))
                            .find(|&j| re.is_match(&text[lines[j].start..lines[j].content_end]))
                    }
                };
                let Some(e) = end else { break };
                for slot in &mut removed[s..=e] {
                    slot.get_or_insert(block.rule);
                }
                i = e + 1;
            }
        }
        if !self.line_rules.is_empty() {
            for (i, l) in lines.iter().enumerate() {
                if removed[i].is_some() || blank[i] {
                    continue;
                }
                let content = &text[l.start..l.content_end];
                if let Some(k) = self.line_set.matches(content).iter().find(|&k| in_scope(i, self.line_rules[k].1)) {
                    removed[i] = Some(self.line_rules[k].0);
                }
            }
        }
        // One change per run of lines removed by the same rule.
        let mut i = 0;
        while i < lines.len() {
            let Some(rule) = removed[i] else {
                i += 1;
                continue;
            };
            let mut j = i;
            while j + 1 < lines.len() && removed[j + 1] == Some(rule) {
                j += 1;
            }
            out.push(Change::new(lines[i].start..lines[j].end, "", rule));
            i = j + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn run(b: &Boilerplate, s: &str) -> String {
        let mut out = Vec::new();
        b.run(s, &mut out);
        apply(s, &out)
    }

    #[test]
    fn lines_and_blocks() {
        let re = |s: &str| Regex::new(s).unwrap();
        let b = Boilerplate::new(
            vec![(0, re("^Leave a Reply$"), Scope::Tail(7)), (1, re("^HOME > "), Scope::Head(2))],
            vec![
                BlockRule { rule: 2, start: Some(re("^您需要登录")), end: None, scope: Scope::All },
                BlockRule { rule: 3, start: Some(re("^<<$")), end: Some(re("^>>$")), scope: Scope::All },
            ],
        );
        let text =
            "HOME > NEWS > x\r\nBody.\r\nLeave a Reply\r\n<<\r\nad\r\n>>\r\nMore.\n您需要登录后才可以回帖\n\n  0\n";
        assert_eq!(run(&b, text), "Body.\r\nMore.\n");
        // Out of scope: the reply line is not among the last seven non-blank lines.
        assert_eq!(run(&b, "Leave a Reply\na\nb\nc\nd\ne\nf\ng\n"), "Leave a Reply\na\nb\nc\nd\ne\nf\ng\n");
        // A block from the document start must end within its scope.
        let head = Boilerplate::new(
            vec![],
            vec![BlockRule { rule: 4, start: None, end: Some(re("^HOME > ")), scope: Scope::Head(3) }],
        );
        assert_eq!(run(&head, "Site\nEnglish\nHOME > x\nBody\n"), "Body\n");
        assert_eq!(run(&head, "Title\na\nb\nc\nHOME > back\n"), "Title\na\nb\nc\nHOME > back\n");
        // An unterminated block is left alone.
        assert_eq!(run(&b, "x\n<<\ny\n"), "x\n<<\ny\n");
    }
}
