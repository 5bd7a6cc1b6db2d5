//! Edits: what a stage changed, and how every change maps back to the original.
//!
//! Each pass of the pipeline produces [`Change`]s against its own input. The
//! [`OffsetMap`] composes them, so that every [`Edit`] of a [`crate::Document`] names a
//! byte range of the *original* text, whatever stage made it.

use std::ops::Range;

use crate::rules::{RuleId, Stage};

/// One change made by one rule, as reported to users.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    /// The rule that made the change.
    pub rule: RuleId,
    /// The stage the rule belongs to.
    pub stage: Stage,
    /// Byte range of the original (decoded) text that this change rewrote. For a change
    /// to text that an earlier stage produced, the range of the original text that
    /// text came from.
    pub original: Range<usize>,
    /// The text the rule replaced, as the stage saw it.
    pub before: String,
    /// What the rule put in its place.
    pub after: String,
}

/// A change proposed by a stage, against that stage's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub range: Range<usize>,
    pub replacement: String,
    /// Index of the rule in the pipeline's rule table.
    pub rule: usize,
}

impl Change {
    pub fn new(range: Range<usize>, replacement: impl Into<String>, rule: usize) -> Change {
        Change { range, replacement: replacement.into(), rule }
    }
}

/// Applies sorted, non-overlapping changes to `text`.
pub(crate) fn apply(text: &str, changes: &[Change]) -> String {
    let grow: usize = changes.iter().map(|c| c.replacement.len()).sum();
    let mut out = String::with_capacity(text.len() + grow);
    let mut at = 0;
    for c in changes {
        out.push_str(&text[at..c.range.start]);
        out.push_str(&c.replacement);
        at = c.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A replaced region: `cur` in the current text came from `orig` in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Region {
    cur: Range<usize>,
    orig: Range<usize>,
}

/// Maps positions of the current text back to the original text.
#[derive(Debug, Default, Clone)]
pub(crate) struct OffsetMap {
    regions: Vec<Region>,
}

/// Where a span starting at `p` starts in the original.
fn map_start(regions: &[Region], p: usize) -> usize {
    let i = regions.partition_point(|r| r.cur.start <= p);
    match i.checked_sub(1).map(|i| &regions[i]) {
        None => p,
        Some(r) if p < r.cur.end => r.orig.start,
        Some(r) => r.orig.end + (p - r.cur.end),
    }
}

/// Where a span ending at `p` ends in the original.
fn map_end(regions: &[Region], p: usize) -> usize {
    let i = regions.partition_point(|r| r.cur.start < p);
    match i.checked_sub(1).map(|i| &regions[i]) {
        None => p,
        Some(r) if p <= r.cur.end => r.orig.end,
        Some(r) => r.orig.end + (p - r.cur.end),
    }
}

impl OffsetMap {
    /// The original range of the current range `r`.
    pub fn original(&self, r: &Range<usize>) -> Range<usize> {
        let start = map_start(&self.regions, r.start);
        start..map_end(&self.regions, r.end).max(start)
    }

    /// Records that `changes` (sorted, against the current text) were applied.
    ///
    /// Each change is widened to the earlier regions it overlaps; changes whose widened
    /// spans overlap become one region, so that a region always maps a whole span of
    /// the new text to a whole span of the original.
    pub fn update(&mut self, changes: &[Change]) {
        struct Group {
            start: usize,
            end: usize,
            delta: isize,
        }
        let old = std::mem::take(&mut self.regions);
        let mut groups: Vec<Group> = Vec::with_capacity(changes.len());
        for c in changes {
            let (a, b) = (c.range.start, c.range.end);
            let first = old.partition_point(|r| r.cur.end <= a);
            let (mut start, mut end) = (a, b);
            for r in old[first..].iter().take_while(|r| r.cur.start < b) {
                start = start.min(r.cur.start);
                end = end.max(r.cur.end);
            }
            let delta = c.replacement.len() as isize - (b - a) as isize;
            match groups.last_mut() {
                Some(g) if start < g.end => {
                    g.end = g.end.max(end);
                    g.delta += delta;
                }
                _ => groups.push(Group { start, end, delta }),
            }
        }
        let mut out: Vec<Region> = Vec::with_capacity(old.len() + groups.len());
        let mut shift: isize = 0;
        let mut i = 0;
        let shifted = |r: &Region, shift: isize| Region {
            cur: r.cur.start.wrapping_add_signed(shift)..r.cur.end.wrapping_add_signed(shift),
            orig: r.orig.clone(),
        };
        for g in &groups {
            while i < old.len() && old[i].cur.end <= g.start {
                out.push(shifted(&old[i], shift));
                i += 1;
            }
            while i < old.len() && old[i].cur.start < g.end {
                i += 1;
            }
            let orig_start = map_start(&old, g.start);
            let orig = orig_start..map_end(&old, g.end).max(orig_start);
            let start = g.start.wrapping_add_signed(shift);
            let len = ((g.end - g.start) as isize + g.delta) as usize;
            out.push(Region { cur: start..start + len, orig });
            shift += g.delta;
        }
        out.extend(old[i..].iter().map(|r| shifted(r, shift)));
        self.regions = out;
    }
}

/// Maps sorted positions of a pass's input to the pass's output, in one sweep.
///
/// A position inside a replaced range maps to the start of its replacement; a
/// position where text was inserted stays before the insertion.
pub(crate) fn forward(positions: &mut [usize], changes: &[Change]) {
    let mut shift: isize = 0;
    let mut k = 0;
    for pos in positions.iter_mut() {
        while k < changes.len() {
            let c = &changes[k];
            if c.range.end <= *pos && !(c.range.start == *pos && c.range.end == *pos) {
                shift += c.replacement.len() as isize - c.range.len() as isize;
                k += 1;
            } else {
                break;
            }
        }
        let inside = changes.get(k).is_some_and(|c| c.range.start < *pos);
        *pos = if inside { changes[k].range.start.wrapping_add_signed(shift) } else { pos.wrapping_add_signed(shift) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, passes: &[Vec<Change>]) -> (String, Vec<Range<usize>>) {
        let mut map = OffsetMap::default();
        let mut cur = text.to_string();
        let mut origs = Vec::new();
        for changes in passes {
            for c in changes {
                origs.push(map.original(&c.range));
            }
            cur = apply(&cur, changes);
            map.update(changes);
        }
        (cur, origs)
    }

    #[test]
    fn single_pass_maps_identity() {
        let (out, o) = run("abc def ghi", &[vec![Change::new(4..7, "XY", 0)]]);
        assert_eq!(out, "abc XY ghi");
        assert_eq!(o, vec![4..7]);
    }

    #[test]
    fn later_pass_maps_through_earlier_one() {
        // pass 1 deletes "bbb ", pass 2 replaces "ccc" (now at 4..7) and the X produced
        // by pass 1's second change.
        let p1 = vec![Change::new(4..8, "", 0), Change::new(12..13, "XX", 0)];
        let (out, _) = run("aaa bbb ccc d eee", std::slice::from_ref(&p1));
        assert_eq!(out, "aaa ccc XX eee");
        let p2 = vec![Change::new(4..7, "C", 1), Change::new(8..10, "Y", 1)];
        let (out, o) = run("aaa bbb ccc d eee", &[p1, p2]);
        assert_eq!(out, "aaa C Y eee");
        assert_eq!(o, vec![4..8, 12..13, 8..11, 12..13]);
    }

    #[test]
    fn two_changes_inside_one_earlier_region() {
        let p1 = vec![Change::new(2..3, "0123456789", 0)];
        let p2 = vec![Change::new(3..4, "", 1), Change::new(8..9, "", 1)];
        let (out, o) = run("ab-cd", &[p1, p2]);
        assert_eq!(out, "ab02345789cd");
        assert_eq!(o[1..], [2..3, 2..3]);
    }

    #[test]
    fn several_changes_inside_one_earlier_region_then_a_later_one() {
        // pass 1 rewrites "abc" (0..3) as "ABCDE"; pass 2 shortens two parts of it and
        // then deletes a space after it.
        let p1 = vec![Change::new(0..3, "ABCDE", 0)];
        let p2 = vec![Change::new(1..2, "", 1), Change::new(3..5, "x", 1), Change::new(6..7, "", 1)];
        let (out, o) = run("abc  z", &[p1, p2.clone()]);
        assert_eq!(out, "ACx z");
        assert_eq!(o[1..], [0..3, 0..3, 4..5]);
    }

    #[test]
    fn forward_positions() {
        let cs = vec![Change::new(2..4, "", 0), Change::new(6..6, "xyz", 0)];
        let mut p = [1, 3, 5, 6, 7];
        forward(&mut p, &cs);
        assert_eq!(p, [1, 2, 3, 4, 8]);
    }
}
