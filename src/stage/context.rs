//! The text around a match, for context conditions: the match's line (paragraph),
//! found incrementally as matches are visited left to right, and line conditions
//! computed once per line. Everything here is linear in the text, even for a single
//! line of hundreds of megabytes.

use regex::Regex;

use crate::rules::Context;

/// How far `before`/`after` conditions look on each side of a match, within its line.
pub(crate) const CONTEXT_WINDOW: usize = 256;

pub(crate) struct Lines<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    known: bool,
    /// Per line condition: the spans where it matches in the current line.
    memo: Vec<(*const Regex, Vec<(usize, usize)>)>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        Lines { text, start: 0, end: 0, known: false, memo: Vec::new() }
    }

    /// Makes the line containing `pos` current.
    fn seek(&mut self, pos: usize) {
        if self.known && pos >= self.start && pos <= self.end {
            return;
        }
        let b = self.text.as_bytes();
        let from = if self.known && pos > self.end { self.end } else { 0 };
        self.start = memchr::memrchr(b'\n', &b[from..pos]).map_or(from, |i| from + i + 1);
        if from > 0 && self.start == from && b[from] == b'\n' {
            self.start = from + 1;
        }
        self.end = memchr::memchr(b'\n', &b[pos..]).map_or(b.len(), |i| pos + i);
        self.known = true;
        self.memo.clear();
    }

    fn before(&self, s: usize) -> &'t str {
        let mut from = self.start.max(s.saturating_sub(CONTEXT_WINDOW));
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        &self.text[from..s]
    }

    fn after(&self, e: usize) -> &'t str {
        let b = self.text.as_bytes();
        let end = if e <= self.end { self.end } else { memchr::memchr(b'\n', &b[e..]).map_or(b.len(), |i| e + i) };
        let mut to = end.min(e + CONTEXT_WINDOW);
        while !self.text.is_char_boundary(to) {
            to -= 1;
        }
        &self.text[e..to]
    }

    /// Whether `ctx` allows a match at `s..e`.
    pub fn allows(&mut self, ctx: &Context, s: usize, e: usize) -> bool {
        if ctx.is_empty() {
            return true;
        }
        self.seek(s);
        let (before, after) = (self.before(s), self.after(e));
        let (line, line_start) = (&self.text[self.start..self.end], self.start);
        let memo = &mut self.memo;
        // A line condition holds when it matches somewhere other than inside the match
        // itself: a rule's own variant does not count as context for it.
        ctx.allows(before, after, |re| {
            let key = re as *const Regex;
            let spans = match memo.iter().position(|(k, _)| *k == key) {
                Some(i) => &memo[i].1,
                None => {
                    let spans = re.find_iter(line).map(|m| (line_start + m.start(), line_start + m.end())).collect();
                    memo.push((key, spans));
                    &memo[memo.len() - 1].1
                }
            };
            let inside_from = spans.partition_point(|&(a, _)| a < s);
            let inside_to = spans.partition_point(|&(a, b)| a < e && b <= e);
            let inside = inside_to.saturating_sub(inside_from);
            spans.len() > inside
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_stay_in_the_line() {
        let text = "first line\nsecond Jingdong here\nthird";
        let mut l = Lines::new(text);
        let s = text.find("Jingdong").unwrap();
        l.seek(s);
        assert_eq!(l.before(s), "second ");
        assert_eq!(l.after(s + 8), " here");
        let t = text.find("third").unwrap();
        l.seek(t);
        assert_eq!(l.before(t + 2), "th");
        let mut l = Lines::new("\n\nab");
        l.seek(3);
        assert_eq!(l.before(3), "a");
    }
}
