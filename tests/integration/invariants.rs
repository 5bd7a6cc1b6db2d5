//! The invariants of DESIGN.md, as property tests over generated text and as checks
//! over the fixtures, the examples and (when present) the shared sample corpus.

use proptest::prelude::*;

use crate::util::{pipeline, shared_seeds};

/// Pieces of text that resemble scraped MT articles, artifacts included.
const PIECES: &[&str] = &[
    "Jingdong",
    "Jingdong mall",
    "jingdong Mall",
    "caifutong",
    "electricity supplier",
    "Ali",
    "Alibaba",
    "two-dimensional code",
    "WeChat public number",
    "WeChat circles of friends",
    "small programs",
    "Tiktok",
    "Leave a Reply",
    "首页 News 正文",
    "您需要登录后才可以回帖 登录 | 立即注册",
    "Home > News > x",
    "Click to register",
    "京东",
    "商城",
    "微信",
    "，",
    "。",
    "（",
    "）",
    "……",
    "——",
    "：",
    "\u{200B}",
    "\u{A0}",
    "\u{3000}",
    "\u{FEFF}",
    "e\u{301}",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\n\n\n",
    ".",
    ",",
    "\"",
    "“",
    "”",
    "'s",
    "!",
    "?",
    "(",
    ")",
    "the",
    "said",
    "market",
    "JD.com",
    "e-commerce",
    "Co., Ltd.",
    "Beijing",
    "nail",
    "hungry",
    "money paid through",
    "1",
    "2023",
    "x",
    "\u{7}",
    "•",
    "  • 粉丝",
    ",",
    "PREVIOUS NEXT",
    "recommend",
    "●",
    "#",
];

/// Words, CJK and punctuation with ordinary spacing: no rule should touch it.
const PLAIN: &[&str] = &[
    "the",
    "company",
    "said",
    "on",
    "Monday",
    "that",
    "sales",
    "rose",
    "by",
    "12%",
    "in",
    "March",
    "JD.com",
    "Tencent",
    "Alibaba",
    "Taobao",
    "WeChat",
    "Pay",
    "e-commerce",
    "QR",
    "code",
    "京东",
    "淘宝",
    "微信支付",
    "platform",
    "users",
    "can",
    "pay",
    "with",
    "and",
    "merchants",
    "(Reuters)",
    "\"fast\"",
    "it's",
    "2,000",
    "yuan",
];

fn messy_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![4 => prop::sample::select(PIECES).prop_map(str::to_string), 1 => "[a-zA-Z ]{0,6}"],
        0..60,
    )
    .prop_map(|v| v.concat())
}

fn plain_text() -> impl Strategy<Value = String> {
    let sentence = prop::collection::vec(prop::sample::select(PLAIN), 1..12).prop_map(|w| {
        let mut s = w.join(" ");
        s.push('.');
        s
    });
    (prop::collection::vec(sentence, 0..12), prop::sample::select(&["\n", "\r\n", "\n\n"][..]))
        .prop_map(|(ss, sep)| ss.join(sep))
}

/// Every byte the pipeline changed lies inside the original span of some edit: the
/// parts of the original that no edit covers appear in the output unchanged, in order,
/// with the first at the start and the last at the end.
fn assert_traceable(original: &str) {
    let cleaned = pipeline().clean(original);
    let known: Vec<&str> = pipeline().rules().iter().map(|r| &*r.id).collect();
    let mut covered: Vec<(usize, usize)> = Vec::new();
    for e in &cleaned.edits {
        assert!(known.contains(&&*e.rule), "unknown rule {}", e.rule);
        assert!(e.original.end <= original.len());
        covered.push((e.original.start, e.original.end));
    }
    covered.sort();
    let mut untouched = Vec::new();
    let mut at = 0;
    for (s, e) in covered {
        if s > at {
            untouched.push((at, s));
        }
        at = at.max(e);
    }
    let tail_start = at;
    let out: &str = &cleaned.text;
    let mut pos = 0;
    for (i, &(s, e)) in untouched.iter().enumerate() {
        let seg = &original[s..e];
        if i == 0 && s == 0 {
            assert!(out.starts_with(seg), "untouched start {seg:?} changed in {out:?}");
            pos = seg.len();
        } else {
            let found = out[pos..]
                .find(seg)
                .unwrap_or_else(|| panic!("untouched text {seg:?} lost from {out:?}; edits {:?}", cleaned.edits));
            pos += found + seg.len();
        }
    }
    if tail_start < original.len() {
        let seg = &original[tail_start..];
        assert!(out[pos..].ends_with(seg), "untouched end {seg:?} changed in {out:?}");
    }
    if cleaned.edits.is_empty() {
        assert_eq!(out, original);
    }
}

fn assert_idempotent(text: &str) {
    let once = pipeline().clean(text).text.into_owned();
    let twice = pipeline().clean(&once);
    assert_eq!(twice.text, once, "second pass changed the text; edits: {:?}", twice.edits);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn idempotent_on_messy_text(text in messy_text()) {
        assert_idempotent(&text);
    }

    #[test]
    fn idempotent_on_any_string(text in any::<String>()) {
        assert_idempotent(&text);
    }

    #[test]
    fn every_change_is_traceable(text in messy_text()) {
        assert_traceable(&text);
    }

    #[test]
    fn untouched_text_is_byte_identical(text in plain_text()) {
        let out = pipeline().clean(&text);
        prop_assert!(out.edits.is_empty(), "edits on plain text: {:?}", out.edits);
        prop_assert_eq!(&*out.text, &*text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(doc) = pipeline().clean_bytes(&bytes, None) {
            assert_idempotent(doc.cleaned());
        }
    }
}

fn text_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = walk(dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    v.sort();
    v
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn fixtures_examples_and_samples_are_idempotent_and_traceable() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = text_files(&root.join("tests/fixtures"));
    files.extend(text_files(&root.join("examples/articles")));
    if let Some(seeds) = shared_seeds() {
        files.extend(text_files(&seeds));
    }
    assert!(files.len() >= 5);
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let doc = pipeline().clean_bytes(&bytes, None).unwrap_or_else(|e| panic!("{}: {e:?}", f.display()));
        assert_idempotent(doc.cleaned());
        assert_traceable(&doc.original);
    }
}

#[test]
fn crlf_line_endings_are_kept() {
    let text = "Jingdong mall opened.\r\n\r\nLeave a Reply\r\n\r\nYour email address will not be published. Required fields are marked *\r\n";
    let out = pipeline().clean(text).text.into_owned();
    assert_eq!(out, "JD.com opened.\r\n");
}
