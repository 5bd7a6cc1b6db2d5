//! Unified diffs of a document, each hunk naming the rules that made its changes.
//!
//! The output is what `git apply` and `patch -p1` accept: `--- a/PATH`, `+++ b/PATH`,
//! hunks with three lines of context, and `\ No newline at end of file` markers.
//! The rule ids go after the second `@@`, where git puts its function context.
//! With color, removed and added lines are red and green and the words that changed
//! inside them are shown in reverse video.

use std::fmt::Write;

use similar::{ChangeTag, DiffOp, TextDiff, udiff::UnifiedHunkHeader};

use crate::{Document, Edit};

/// How to render a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// Plain text.
    Never,
    /// ANSI colors, changed words highlighted.
    Always,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const REVERSE: &str = "\x1b[7m";
const NO_REVERSE: &str = "\x1b[27m";
const RESET: &str = "\x1b[0m";

/// The diff of a cleaned document against its file: like [`unified`], but when the
/// file starts with a UTF-8 byte-order mark (which cleaning keeps), the patch's lines
/// carry it too, so that it applies to the file's bytes.
pub fn document_diff(path: &str, doc: &Document, color: Color) -> String {
    if doc.decoding.output_prefix().is_empty() {
        return unified(path, &doc.original, doc.cleaned(), &doc.edits, color);
    }
    let bom = '\u{FEFF}'.len_utf8();
    let edits: Vec<Edit> = doc
        .edits
        .iter()
        .cloned()
        .map(|mut e| {
            e.original = e.original.start + bom..e.original.end + bom;
            e
        })
        .collect();
    unified(path, &format!("\u{FEFF}{}", doc.original), &format!("\u{FEFF}{}", doc.cleaned()), &edits, color)
}

/// Renders the unified diff between `original` and `cleaned` for `path` (as it should
/// appear after `a/` and `b/`). Returns an empty string when they are equal.
pub fn unified(path: &str, original: &str, cleaned: &str, edits: &[Edit], color: Color) -> String {
    if original == cleaned {
        return String::new();
    }
    // Lines end at `\n` only, as git and patch see them (a lone `\r` is not a line end).
    let old_lines: Vec<&str> = original.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = cleaned.split_inclusive('\n').collect();
    let diff = TextDiff::from_slices(&old_lines, &new_lines);
    let line_starts = line_starts(original);
    let paint = |code: &'static str| if color == Color::Always { code } else { "" };
    let mut out = String::new();
    let _ = writeln!(out, "{}--- a/{path}{}", paint(BOLD), paint(RESET));
    let _ = writeln!(out, "{}+++ b/{path}{}", paint(BOLD), paint(RESET));
    for group in diff.grouped_ops(3) {
        let header = UnifiedHunkHeader::new(&group);
        let rules = rules_in(&group, &line_starts, original.len(), edits);
        let _ = writeln!(out, "{}{header}{} {}", paint(CYAN), paint(RESET), rules.join(", "));
        for op in &group {
            if color == Color::Always {
                for change in diff.iter_inline_changes(op) {
                    let (sign, base) = match change.tag() {
                        ChangeTag::Delete => ('-', RED),
                        ChangeTag::Insert => ('+', GREEN),
                        ChangeTag::Equal => (' ', ""),
                    };
                    out.push_str(base);
                    out.push(sign);
                    let mut text = String::new();
                    for (emph, value) in change.iter_strings_lossy() {
                        if emph && change.tag() != ChangeTag::Equal {
                            let _ = write!(text, "{REVERSE}{}{NO_REVERSE}", value.trim_end_matches(['\n', '\r']));
                            if value.ends_with('\n') {
                                text.push('\n');
                            }
                        } else {
                            text.push_str(&value);
                        }
                    }
                    let missing = !text.ends_with('\n');
                    let body = text.trim_end_matches('\n');
                    out.push_str(body);
                    out.push_str(if base.is_empty() { "" } else { RESET });
                    out.push('\n');
                    if missing {
                        out.push_str("\\ No newline at end of file\n");
                    }
                }
            } else {
                for change in diff.iter_changes(op) {
                    let sign = match change.tag() {
                        ChangeTag::Delete => '-',
                        ChangeTag::Insert => '+',
                        ChangeTag::Equal => ' ',
                    };
                    out.push(sign);
                    out.push_str(change.value());
                    if !change.value().ends_with('\n') {
                        out.push_str("\n\\ No newline at end of file\n");
                    }
                }
            }
        }
    }
    out
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    v
}

/// The rule ids of the edits that touch the old lines of a hunk, in order of appearance.
fn rules_in(group: &[DiffOp], line_starts: &[usize], len: usize, edits: &[Edit]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let at = |line: usize| line_starts.get(line).copied().unwrap_or(len);
    for op in group {
        if matches!(op, DiffOp::Equal { .. }) {
            continue;
        }
        let old = op.old_range();
        let (from, to) = (at(old.start), at(old.end));
        for e in edits {
            let touches = if e.original.is_empty() || from == to {
                e.original.start >= from && e.original.start <= to
            } else {
                e.original.start < to && e.original.end > from
            };
            if touches && !ids.iter().any(|i| **i == *e.rule) {
                ids.push(e.rule.to_string());
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Stage;
    use std::sync::Arc;

    #[test]
    fn hunks_name_their_rules() {
        let edit = |rule: &str, r: std::ops::Range<usize>| Edit {
            rule: Arc::from(rule),
            stage: Stage::Terms,
            original: r,
            before: String::new(),
            after: String::new(),
        };
        let original = "one Jingdong\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nLeave a Reply";
        let cleaned = "one JD.com\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n";
        let d =
            unified("x.txt", original, cleaned, &[edit("jd-com", 4..12), edit("leave-a-reply", 57..70)], Color::Never);
        assert_eq!(
            d,
            "--- a/x.txt\n+++ b/x.txt\n@@ -1,4 +1,4 @@ jd-com\n-one Jingdong\n+one JD.com\n two\n three\n four\n@@ -6,4 +6,3 @@ leave-a-reply\n six\n seven\n eight\n-Leave a Reply\n\\ No newline at end of file\n"
        );
        assert_eq!(unified("x", "same", "same", &[], Color::Never), "");
    }
}
