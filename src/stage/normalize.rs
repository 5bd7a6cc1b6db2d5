//! The normalize stage's built-in transforms: Unicode and punctuation noise.
//!
//! Each function scans the text once and pushes [`Change`]s; none of them changes
//! line endings. ASCII-only text is skipped in one check where a transform can only
//! touch non-ASCII characters.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::edit::Change;

/// Letters of CJK scripts (Han, kana, Hangul): text that keeps fullwidth punctuation.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F | 0x20000..=0x2FFFF)
}

/// NFC, applied to each run of non-ASCII characters with the ASCII letter before it.
pub(crate) fn nfc(text: &str, rule: usize, out: &mut Vec<Change>) {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            i += 1;
            continue;
        }
        let start = if i > 0 { i - 1 } else { i };
        let mut end = i;
        while end < bytes.len() && !bytes[end].is_ascii() {
            end += 1;
        }
        let seg = &text[start..end];
        if is_nfc_quick(seg.chars()) != IsNormalized::Yes {
            let n: String = seg.nfc().collect();
            if n != seg {
                // Report only the part that changed.
                let pre: usize =
                    seg.chars().zip(n.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a.len_utf8()).sum();
                let suf: usize = seg[pre..]
                    .chars()
                    .rev()
                    .zip(n[pre..].chars().rev())
                    .take_while(|(a, b)| a == b)
                    .map(|(a, _)| a.len_utf8())
                    .sum();
                out.push(Change::new(start + pre..end - suf, &n[pre..n.len() - suf], rule));
            }
        }
        i = end;
    }
}

/// Calls `f` with (previous char, char, next char) for every character that starts
/// with one of the lead bytes `leads`, found with `memchr` (lead bytes of multi-byte
/// characters only, so every hit is a character start). Text without those bytes is
/// skipped at memory speed.
fn each_candidate(
    text: &str,
    leads: [u8; 3],
    rule: usize,
    out: &mut Vec<Change>,
    f: impl Fn(Option<char>, char, Option<char>) -> Option<&'static str>,
) {
    for i in memchr::memchr3_iter(leads[0], leads[1], leads[2], text.as_bytes()) {
        let Some(c) = text[i..].chars().next() else { continue };
        let end = i + c.len_utf8();
        if let Some(rep) = f(text[..i].chars().next_back(), c, text[end..].chars().next()) {
            out.push(Change::new(i..end, rep, rule));
        }
    }
}

/// Control characters other than tab, line feed and carriage return.
pub(crate) fn control_chars(text: &str, rule: usize, out: &mut Vec<Change>) {
    let b = text.as_bytes();
    // C0 controls and DEL are single bytes; C1 controls are U+0080–U+009F (C2 80–C2 9F).
    for (i, &byte) in b.iter().enumerate() {
        let c1 = byte == 0xC2 && b.get(i + 1).is_some_and(|&n| (0x80..=0x9F).contains(&n));
        if (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0x7F {
            out.push(Change::new(i..i + 1, "", rule));
        } else if c1 {
            out.push(Change::new(i..i + 2, "", rule));
        }
    }
}

/// Zero-width characters. Joiners and direction marks go only next to ASCII, so that
/// emoji sequences and scripts that need them keep them.
pub(crate) fn zero_width(text: &str, rule: usize, out: &mut Vec<Change>) {
    // U+00AD: C2; U+200B–U+200F, U+2060: E2; U+FEFF: EF.
    each_candidate(text, [0xC2, 0xE2, 0xEF], rule, out, |p, c, n| match c {
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => Some(""),
        '\u{200C}' | '\u{200D}' | '\u{200E}' | '\u{200F}' => {
            (p.is_none_or(|p| p.is_ascii()) || n.is_none_or(|n| n.is_ascii())).then_some("")
        }
        _ => None,
    });
}

/// No-break and other fixed-width spaces to a plain space.
pub(crate) fn nbsp(text: &str, rule: usize, out: &mut Vec<Change>) {
    // U+00A0: C2; U+2000–U+200A, U+202F, U+205F: E2.
    each_candidate(text, [0xC2, 0xE2, 0xE2], rule, out, |_, c, _| {
        matches!(c, '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}').then_some(" ")
    });
}

/// The ASCII form of a fullwidth or CJK punctuation mark.
fn ascii_form(c: char) -> Option<char> {
    Some(match c {
        '、' => ',',
        '。' => '.',
        '【' | '〔' => '[',
        '】' | '〕' => ']',
        '「' | '」' | '『' | '』' | '《' | '》' => '"',
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?,
        _ => return None,
    })
}

fn is_open(c: char) -> bool {
    matches!(c, '（' | '【' | '〔' | '「' | '『' | '《' | '［' | '｛')
}

fn closer_of(c: char) -> char {
    match c {
        '（' => '）',
        '【' => '】',
        '〔' => '〕',
        '「' => '」',
        '『' => '』',
        '《' => '》',
        '［' => '］',
        _ => '｝',
    }
}

/// What decides whether punctuation belongs to Latin or CJK text: the nearest
/// character that is neither space nor punctuation.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Edge,
    Cjk,
    Latin,
    Other,
}

fn side_of(chars: impl Iterator<Item = char>) -> Side {
    // Bounded, so that long runs of punctuation stay linear.
    let mut chars = chars.take(64);
    match chars.find(|c| {
        !(c.is_whitespace() || c.is_ascii_punctuation() || ascii_form(*c).is_some() || *c == '…' || *c == '—')
    }) {
        None => Side::Edge,
        Some(c) if is_cjk(c) => Side::Cjk,
        Some(c) if c.is_alphanumeric() => Side::Latin,
        Some(_) => Side::Other,
    }
}

fn latin_context(left: Side, right: Side) -> bool {
    left != Side::Cjk && right != Side::Cjk && (left == Side::Latin || right == Side::Latin)
}

/// How far an opening bracket looks for its closer.
const BRACKET_REACH: usize = 1024;

/// Fullwidth and CJK punctuation to ASCII where it stands in Latin text, with the
/// space English puts after `,` `.` `:` `;` `!` `?` and around brackets. Each line is
/// judged on its own.
pub(crate) fn fullwidth_punctuation(text: &str, rule: usize, out: &mut Vec<Change>) {
    if text.is_ascii() {
        return;
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if !line.is_ascii() {
            fullwidth_line(line.trim_end_matches(['\n', '\r']), offset, rule, out);
        }
        offset += line.len();
    }
}

fn fullwidth_line(line: &str, offset: usize, rule: usize, out: &mut Vec<Change>) {
    // Closing brackets whose fate the opener decided, by position.
    let mut decided_closers: std::collections::BTreeMap<usize, bool> = Default::default();
    let left_of = |i: usize| side_of(line[..i].chars().rev());
    let right_of = |i: usize| side_of(line[i..].chars());
    let mut i = 0;
    while i < line.len() {
        // Every character handled here starts with E2 (… —), E3 (CJK punctuation) or
        // EF (fullwidth forms): jump from one such byte to the next.
        match memchr::memchr3(0xE2, 0xE3, 0xEF, &line.as_bytes()[i..]) {
            Some(off) => i += off,
            None => break,
        }
        let c = line[i..].chars().next().unwrap_or(' ');
        let clen = c.len_utf8();
        // Runs of CJK ellipses or dashes: "……" is "...", "——" is "—" in English text.
        if c == '…' || c == '—' {
            let run = line[i..].chars().take_while(|&x| x == c).count();
            let end = i + run * clen;
            if run >= 2 && latin_context(left_of(i), right_of(end)) {
                out.push(Change::new(offset + i..offset + end, if c == '…' { "..." } else { "—" }, rule));
            }
            i = end;
            continue;
        }
        let Some(a) = ascii_form(c) else {
            i += clen;
            continue;
        };
        let convert = if let Some(d) = decided_closers.remove(&i) {
            d
        } else if is_open(c) {
            let closer = closer_of(c);
            let reach = (i + clen + BRACKET_REACH).min(line.len());
            let reach = (reach..=line.len()).find(|&r| line.is_char_boundary(r)).unwrap_or(line.len());
            match line[i + clen..reach].find(closer) {
                Some(off) => {
                    let close_at = i + clen + off;
                    let after = close_at + closer.len_utf8();
                    let (left, right) = (left_of(i), right_of(after));
                    let inner = side_of(line[i + clen..close_at].chars());
                    let d =
                        latin_context(left, right) || (inner == Side::Latin && left != Side::Cjk && right != Side::Cjk);
                    decided_closers.entry(close_at).or_insert(d);
                    d
                }
                None => latin_context(left_of(i), right_of(i + clen)),
            }
        } else {
            latin_context(left_of(i), right_of(i + clen))
        };
        if convert {
            let prev = line[..i].chars().next_back();
            let next = line[i + clen..].chars().next();
            let mut rep = String::new();
            if matches!(a, '(' | '[') && prev.is_some_and(|p| p.is_alphanumeric()) {
                rep.push(' ');
            }
            rep.push(a);
            let digit = |c: Option<char>| {
                c.is_some_and(|c| c.is_ascii_digit() || ascii_form(c).is_some_and(|a| a.is_ascii_digit()))
            };
            let digits_around = digit(prev) && digit(next);
            if matches!(a, ',' | '.' | ':' | ';' | '!' | '?' | ')' | ']')
                && next.is_some_and(|n| n.is_alphanumeric())
                && !digits_around
            {
                rep.push(' ');
            }
            out.push(Change::new(offset + i..offset + i + clen, rep, rule));
        }
        i += clen;
    }
}

/// Runs of two or more spaces inside a line (not indentation, not at the line end).
pub(crate) fn space_runs(text: &str, rule: usize, out: &mut Vec<Change>) {
    let b = text.as_bytes();
    let mut from = 0;
    // Whether the previous run was indentation, and where it ended: a run that follows
    // it across spaces and tabs only is indentation too (no rescanning: linear time).
    let mut prev: Option<(usize, bool)> = None;
    while let Some(off) = memchr::memmem::find(&b[from..], b"  ") {
        let start = from + off;
        let mut end = start + 2;
        while end < b.len() && b[end] == b' ' {
            end += 1;
        }
        // Indentation: only spaces and tabs between the line start and the run.
        let indentation = match prev {
            Some((prev_end, was)) if b[prev_end..start].iter().all(|&c| c == b' ' || c == b'\t') => was,
            _ => b[..start].iter().rev().find(|&&c| c != b' ' && c != b'\t').is_none_or(|&c| c == b'\n'),
        };
        prev = Some((end, indentation));
        let at_end = end >= b.len() || matches!(b[end], b'\n' | b'\r');
        if !indentation && !at_end {
            out.push(Change::new(start + 1..end, "", rule));
        }
        from = end;
    }
}

/// Spaces and tabs at the end of a line.
pub(crate) fn trailing_spaces(text: &str, rule: usize, out: &mut Vec<Change>) {
    let b = text.as_bytes();
    let mut line_start = 0;
    while line_start <= b.len() {
        let nl = memchr::memchr(b'\n', &b[line_start..]).map_or(b.len(), |p| line_start + p);
        let content_end = if nl > line_start && nl < b.len() && b[nl - 1] == b'\r' { nl - 1 } else { nl };
        let mut s = content_end;
        while s > line_start && matches!(b[s - 1], b' ' | b'\t') {
            s -= 1;
        }
        if s < content_end {
            out.push(Change::new(s..content_end, "", rule));
        }
        if nl >= b.len() {
            break;
        }
        line_start = nl + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn run(f: fn(&str, usize, &mut Vec<Change>), s: &str) -> String {
        let mut out = Vec::new();
        f(s, 0, &mut out);
        apply(s, &out)
    }

    #[test]
    fn table() {
        type Transform = fn(&str, usize, &mut Vec<Change>);
        let cases: &[(Transform, &str, &str)] = &[
            (nfc, "cafe\u{301} 京东", "café 京东"),
            (nfc, "plain ascii", "plain ascii"),
            (control_chars, "a\u{7}b\tc\r\n\u{85}d", "ab\tc\r\nd"),
            (zero_width, "Jing\u{200B}dong 👨\u{200D}👩 a\u{200D}b", "Jingdong 👨\u{200D}👩 ab"),
            (nbsp, "a\u{A0}b\u{202F}c", "a b c"),
            (fullwidth_punctuation, "Hello，world！Fine：ok", "Hello, world! Fine: ok"),
            (fullwidth_punctuation, "京东，淘宝。", "京东，淘宝。"),
            (fullwidth_punctuation, "JD.com（京东）said", "JD.com (京东) said"),
            (fullwidth_punctuation, "京东（JD）表示", "京东（JD）表示"),
            (fullwidth_punctuation, "at 10：30 today", "at 10:30 today"),
            (fullwidth_punctuation, "code image……\n", "code image...\n"),
            (fullwidth_punctuation, "他说……然后", "他说……然后"),
            (fullwidth_punctuation, "Prices rose————sharply", "Prices rose—sharply"),
            (fullwidth_punctuation, "s。\n您需要登录", "s.\n您需要登录"),
            (fullwidth_punctuation, "（（（ text", "((( text"),
            (fullwidth_punctuation, "It costs １，０００ yuan", "It costs 1,000 yuan"),
            (space_runs, "a  b   c\n    indented  x  \n", "a b c\n    indented x  \n"),
            (trailing_spaces, "a  \r\nb\t\nc ", "a\r\nb\nc"),
        ];
        for (i, (f, input, want)) in cases.iter().enumerate() {
            assert_eq!(run(*f, input), *want, "case {i}: {input:?}");
            assert_eq!(run(*f, want), *want, "case {i} not idempotent");
        }
    }
}
