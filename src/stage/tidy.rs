//! The tidy stage: spacing and blank lines left behind where earlier stages removed
//! text. It only looks at those places ("seams"), so a document that no other rule
//! touched is never changed here.

use crate::edit::Change;

/// For sorted positions: the nearest byte before and at-or-after each position that is
/// not white space. The answer for the previous position is reused when only white
/// space lies between the two, so many seams in one long run of spaces stay linear.
struct WsScan<'a> {
    b: &'a [u8],
    ws: fn(u8) -> bool,
    prev: Option<(usize, Option<usize>, Option<usize>)>,
}

impl<'a> WsScan<'a> {
    fn new(b: &'a [u8], ws: fn(u8) -> bool) -> WsScan<'a> {
        WsScan { b, ws, prev: None }
    }

    fn at(&mut self, q: usize) -> (Option<usize>, Option<usize>) {
        let (b, ws) = (self.b, self.ws);
        let result = match self.prev {
            Some((p, before, after)) if p <= q && b[p..q].iter().all(|&c| ws(c)) => (before, after),
            _ => (b[..q].iter().rposition(|&c| !ws(c)), b[q..].iter().position(|&c| !ws(c)).map(|i| q + i)),
        };
        self.prev = Some((q, result.0, result.1));
        result
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// End of the line starting at `s`, including its `\n`.
fn line_end(b: &[u8], s: usize) -> usize {
    memchr::memchr(b'\n', &b[s..]).map_or(b.len(), |i| s + i + 1)
}

/// Folds the blank lines around each seam: none at the start or end of the document,
/// at most one elsewhere.
pub(crate) fn blank_lines(text: &str, seams: &[usize], rule: usize, out: &mut Vec<Change>) {
    let b = text.as_bytes();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut scan = WsScan::new(b, |c| matches!(c, b' ' | b'\t' | b'\r'));
    // End of the last run of blank lines looked at: seams inside it add nothing.
    let mut covered = 0;
    for &q in seams {
        let q = q.min(b.len());
        if q < covered {
            continue;
        }
        // Only a seam on a blank line, or at a line start, can touch blank lines. Both
        // are decided by looking across white space only, so long lines stay linear.
        let (before, after) = scan.at(q);
        let at_line_start = before.is_none_or(|i| b[i] == b'\n');
        let rest_blank = after.is_none_or(|j| b[j] == b'\n');
        if !at_line_start {
            continue;
        }
        let ls = before.map_or(0, |i| i + 1);
        let here_blank = rest_blank;
        let mut start = ls;
        let mut end = ls;
        if !here_blank && ls == 0 {
            continue;
        }
        // Extend backwards over blank lines (each test looks across white space only).
        while start > 0 {
            let ws = b[..start - 1].iter().rev().take_while(|&&c| matches!(c, b' ' | b'\t' | b'\r')).count();
            let ps = start - 1 - ws;
            if ps == 0 || b[ps - 1] == b'\n' {
                start = ps;
            } else {
                break;
            }
        }
        // Extend forwards over blank lines.
        while end < b.len() {
            let le = line_end(b, end);
            let content = if b[le - 1] == b'\n' { &b[end..le - 1] } else { &b[end..le] };
            if is_blank(content) {
                end = le;
            } else {
                break;
            }
        }
        covered = end;
        if start == end {
            continue;
        }
        if start == 0 || end == b.len() {
            // Leading or trailing blank lines: remove them all; at the end keep the
            // line break that ends the last line of text.
            if end == b.len() && start > 0 || start == 0 {
                ranges.push((start, end));
            }
        } else {
            // Keep the first blank line.
            let keep = line_end(b, start);
            if keep < end {
                ranges.push((keep, end));
            }
        }
    }
    ranges.sort();
    ranges.dedup();
    let mut last = 0;
    for (s, e) in ranges {
        let s = s.max(last);
        if s < e {
            out.push(Change::new(s..e, "", rule));
            last = e;
        }
    }
}

/// Folds a doubled space, or a space left before punctuation, at each seam inside a line.
pub(crate) fn seam_spaces(text: &str, seams: &[usize], rule: usize, out: &mut Vec<Change>) {
    let b = text.as_bytes();
    let mut found: Vec<usize> = Vec::new();
    let mut scan = WsScan::new(b, |c| matches!(c, b' ' | b'\t'));
    for &q in seams {
        if q == 0 || q >= b.len() || b[q - 1] != b' ' {
            continue;
        }
        // Only inside a line: something other than spaces before the seam.
        if scan.at(q).0.is_none_or(|i| b[i] == b'\n') {
            continue;
        }
        match b[q] {
            b' ' => found.push(q),
            b',' | b'.' | b';' | b':' | b'!' | b'?' | b')' => found.push(q - 1),
            b'\n' | b'\r' => found.push(q - 1),
            _ => {}
        }
    }
    found.sort_unstable();
    found.dedup();
    for p in found {
        out.push(Change::new(p..p + 1, "", rule));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn run(f: fn(&str, &[usize], usize, &mut Vec<Change>), s: &str, seams: &[usize]) -> String {
        let mut out = Vec::new();
        f(s, seams, 0, &mut out);
        apply(s, &out)
    }

    #[test]
    fn blank_lines_at_seams_only() {
        // A removal between two paragraphs left three blank lines.
        assert_eq!(run(blank_lines, "a\n\n\n\nb\n\n\n\nc\n", &[3]), "a\n\nb\n\n\n\nc\n");
        // At the end and at the start of the document.
        assert_eq!(run(blank_lines, "a\n\n\n", &[3]), "a\n");
        assert_eq!(run(blank_lines, "\n\nb\n", &[0]), "b\n");
        // No blank lines at the seam: nothing to do.
        assert_eq!(run(blank_lines, "a\nb\n", &[2]), "a\nb\n");
        assert_eq!(run(blank_lines, "a\r\n\r\n\r\nb", &[4]), "a\r\n\r\nb");
    }

    #[test]
    fn seam_spaces_fold() {
        assert_eq!(run(seam_spaces, "a  b", &[2]), "a b");
        assert_eq!(run(seam_spaces, "word , x", &[5]), "word, x");
        assert_eq!(run(seam_spaces, "  indented", &[1]), "  indented");
    }
}
