//! Criterion benchmarks of the cleaning pipeline, reported as input bytes per second.
//!
//! ```text
//! cargo bench --bench pipeline                 # everything, a few minutes
//! cargo bench --bench pipeline -- stage/       # one group
//! ```
//!
//! Groups:
//!
//! - `stage/NAME`: each stage alone with the built-in packs (`normalize`, `boilerplate`,
//!   `terms`, `tidy`), then `all` (the four stages end to end) and `all+decode`
//!   (`clean_bytes`: decoding and the four stages). `tidy` alone only measures the pass
//!   overhead: it acts where an earlier stage removed text, and alone there is none.
//! - `terms_10k/literal`: the terms stage with 10,000 generated literal rules
//!   (pinyin-like variants to made-up brand names, loaded from a temporary TSV file),
//!   on text where some of those variants occur.
//! - `load_10k/...`: reading and validating the 10,000-rule TSV (`load`), and that plus
//!   compiling it into a pipeline (`load+compile`).
//! - `seeds/all`: the full pipeline over `../shared/corpus/seeds/*.input.txt`, read at run
//!   time; skipped with a message when that folder is absent.
//!
//! The input text (about 1 MB in 4 KB documents) is generated here, deterministically:
//! English business news made from templates, with machine-translation artifacts
//! ("Jingdong mall", "caifutong", "electricity supplier"), fullwidth commas, no-break and
//! zero-width spaces, doubled and trailing spaces, forum footers and a few CRLF documents.

use std::collections::HashSet;
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use copydesk::Pipeline;
use copydesk::rules::{Loader, Stage};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Target size of the generated corpus.
const CORPUS_BYTES: usize = 1 << 20;
/// Number of generated literal rules.
const RULES: usize = 10_000;
/// How many of the generated rules have variants in the text.
const HIT_RULES: usize = 300;

// ---------------------------------------------------------------------------------
// A small deterministic random generator (xorshift64*), so that every run measures
// the same text.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    fn word(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }
}

// ---------------------------------------------------------------------------------
// Generated rules: pinyin-like variants to made-up brand names.

const SYLLABLES: &[&str] = &[
    "zhong", "xing", "qian", "xiao", "zhi", "chuang", "huan", "jiang", "shou", "guo", "yuan", "feng", "tian", "bao",
    "jin", "hui", "lian", "xin", "wei", "peng", "rui", "kai", "ming", "sheng", "hong", "yong", "qiao", "zhuo", "xuan",
    "cheng", "heng", "jun", "kun", "liang", "shuo", "tong",
];
/// Second halves for `Xi'an`-style apostrophe variants.
const VOWEL_SYLLABLES: &[&str] = &["an", "ou", "ang", "en", "ao"];
const SURNAMES: &[&str] = &["Zhang", "Wang", "Liu", "Chen", "Zhao", "Huang", "Zhou", "Xu", "Sun", "Guo"];
const SUFFIXES: &[&str] = &["technology", "group", "mall", "network", "cloud", "holdings", "logistics", "finance"];
/// Brand syllables start with `v`, which no pinyin syllable does: a canonical term can
/// never contain a variant.
const BRAND_HEADS: &[&str] = &["Vel", "Vor", "Vex", "Vyn", "Vard", "Vil", "Vux", "Vorn", "Vask", "Vent"];
const BRAND_TAILS: &[&str] = &["tra", "mix", "lon", "dex", "ric", "zor", "nyx", "pel", "quad", "sia"];
const BRAND_SUFFIXES: &[&str] = &["", "", " Labs", " Systems", " Holdings", " Networks", " AI"];

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

fn pinyin_word(rng: &mut Rng) -> String {
    cap(&format!("{}{}", rng.word(SYLLABLES), rng.word(SYLLABLES)))
}

/// `n` rules `(variant, canonical)`, variants unique ASCII-case-insensitively. About a
/// tenth extend an earlier variant ("Huanxing" / "Huanxing mall"), so that
/// leftmost-longest has prefixes to choose between.
fn generate_rules(n: usize) -> Vec<(String, String)> {
    let mut rng = Rng::new(0x5EED_0001);
    let mut seen = HashSet::new();
    let mut rules: Vec<(String, String)> = Vec::with_capacity(n);
    while rules.len() < n {
        let variant = match rng.below(10) {
            0 if !rules.is_empty() => {
                let (base, _) = &rules[rng.below(rules.len())];
                format!("{base} {}", rng.word(SUFFIXES))
            }
            1 | 2 => format!("{} {}", pinyin_word(&mut rng), rng.word(SUFFIXES)),
            3 => format!("{} {}", rng.word(SURNAMES), pinyin_word(&mut rng)),
            4 => format!("{}-{}", cap(rng.word(SYLLABLES)), rng.word(SYLLABLES)),
            5 => format!("{}'{}", cap(rng.word(SYLLABLES)), rng.word(VOWEL_SYLLABLES)),
            6 => format!("{} {} {}", pinyin_word(&mut rng), pinyin_word(&mut rng), rng.word(SUFFIXES)),
            _ => pinyin_word(&mut rng),
        };
        if !seen.insert(variant.to_ascii_lowercase()) {
            continue;
        }
        let canonical = format!("{}{}{}", rng.word(BRAND_HEADS), rng.word(BRAND_TAILS), rng.word(BRAND_SUFFIXES));
        rules.push((variant, canonical));
    }
    rules
}

/// The rules written as a TSV word list in a temporary folder (kept alive by the
/// returned guard).
fn write_tsv(rules: &[(String, String)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("bench-rules.tsv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create TSV"));
    for (v, c) in rules {
        writeln!(f, "{v}\t{c}").expect("write TSV");
    }
    f.flush().expect("write TSV");
    (dir, path)
}

// ---------------------------------------------------------------------------------
// Generated text: English business news with machine-translation artifacts.

/// Literal translations that the built-in term packs fix.
const ARTIFACTS: &[&str] = &[
    "Jingdong mall",
    "Jingdong",
    "Jingdong Logistics",
    "caifutong",
    "Cai Futong",
    "electricity supplier",
    "electricity suppliers",
    "pay treasure",
    "micro letter",
    "micro-blog",
    "know almost",
    "millet",
    "Byte Dance",
    "small program",
    "US group",
    "net easy cloud music",
    "spell more more",
    "Tao treasure",
    "rookie station",
    "little red book",
    "idle fish",
    "balance treasure",
    "courier little brother",
    "WeChat public number",
    "drip travel",
];
/// Names that no rule touches.
const NEUTRAL: &[&str] =
    &["Lenovo", "Haier", "the regulator", "the company", "Sinopec", "the exchange", "Geely", "BYD"];
const PEOPLE: &[&str] = &[
    "a spokesperson",
    "the chief executive",
    "an analyst at a Shanghai brokerage",
    "one investor",
    "a senior engineer",
];
const NUMBERS: &[&str] = &["3.2", "12", "48.5", "150", "7", "2.75", "96", "1,200"];
const MONTHS: &[&str] = &["January", "March", "May", "July", "September", "November"];
const CITIES: &[&str] = &["Beijing", "Shenzhen", "Hangzhou", "Chengdu", "Wuhan", "Nanjing"];

/// Sentence templates; `{E}` is an entity, `{P}` a person, `{N}` a number, `{M}` a
/// month, `{C}` a city.
const SENTENCES: &[&str] = &[
    "{E} reported revenue of {N} billion yuan for the quarter, ahead of forecasts.",
    "Shares of {E} rose {N} percent in early trading in {C}.",
    "{P} said that {E} would expand its delivery network to smaller cities.",
    "According to {P}, {E} plans to hire {N} engineers before {M}.",
    "The partnership with {E} covers payments, logistics and cloud services.",
    "{E} declined to comment on the report.",
    "Analysts expect {E} to announce a new round of price cuts in {M}.",
    "In {C}, {E} opened a flagship store that sells mostly imported goods.",
    "{P} told reporters that competition with {E} had become intense.",
    "Regulators in {C} fined {E} {N} million yuan over misleading promotions.",
    "Sales on the {E} platform grew faster than the market as a whole.",
    "The deal values {E} at roughly {N} billion dollars.",
    "Users of {E} can now pay with {E} at checkout.",
    "{E} and {E} agreed to share warehouse space in {C}.",
    "Growth slowed in {M} as shoppers cut back on spending.",
    "The figures do not include sales made through third-party sellers.",
    "Inventory levels remained high at the end of {M}, the company said.",
];
const HEADLINES: &[&str] = &[
    "{E} bets on rural shoppers",
    "{E} profit beats expectations",
    "Why {E} is cutting prices again",
    "{E} expands into {C}",
];
const FOOTERS: &[&str] = &[
    "\nLeave a Reply\nYour email address will not be published. Required fields are marked *\nComment\nName *\nEmail *\nWebsite\nSave my name, email, and website in this browser for the next time I comment.\nPost Comment\n",
    "\n0 Comments\nThis site uses Akismet to reduce spam. Learn how your comment data is processed.\n",
    "\n返回列表 | 发新帖 | 回复\n本版积分规则\n",
];

/// Source of entity names: artifacts of the built-in packs, variants of the first
/// generated rules (written as they are, lower-cased or upper-cased), and neutral names.
struct Entities {
    generated: Vec<String>,
}

impl Entities {
    fn pick(&self, rng: &mut Rng) -> String {
        match rng.below(10) {
            0..=3 => rng.word(ARTIFACTS).to_string(),
            4..=7 => {
                let v = rng.pick(&self.generated);
                match rng.below(6) {
                    0 => v.to_ascii_lowercase(),
                    1 => v.to_ascii_uppercase(),
                    _ => v.clone(),
                }
            }
            _ => rng.word(NEUTRAL).to_string(),
        }
    }
}

fn fill(template: &str, ents: &Entities, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let slot = &rest[i + 1..i + 2];
        rest = &rest[i + 3..];
        match slot {
            "E" => {
                let e = ents.pick(rng);
                // Glued to punctuation now and then: "(caifutong)", "Jingdong's".
                match rng.below(12) {
                    0 => out.push_str(&format!("({e})")),
                    1 => out.push_str(&format!("{e}'s")),
                    2 => out.push_str(&format!("“{e}”")),
                    _ => out.push_str(&e),
                }
            }
            "P" => out.push_str(rng.word(PEOPLE)),
            "N" => out.push_str(rng.word(NUMBERS)),
            "M" => out.push_str(rng.word(MONTHS)),
            "C" => out.push_str(rng.word(CITIES)),
            _ => unreachable!("unknown slot {slot}"),
        }
    }
    out.push_str(rest);
    out
}

/// One sentence with the noise that machine translation and copy-paste leave behind.
fn noisy_sentence(ents: &Entities, rng: &mut Rng) -> String {
    let mut s = fill(rng.word(SENTENCES), ents, rng);
    // A fullwidth comma between Latin words.
    if rng.chance(40)
        && let Some(i) = s.find(", ")
    {
        s.replace_range(i..i + 2, "，");
    }
    if rng.chance(5)
        && let Some(i) = s.find(' ')
    {
        s.replace_range(i..i + 1, "\u{a0}");
    }
    if rng.chance(3)
        && let Some(i) = s.rfind(' ')
    {
        s.insert(i, '\u{200b}');
    }
    if rng.chance(4) {
        s = s.replacen(' ', "  ", 1);
    }
    s
}

fn document(ents: &Entities, rng: &mut Rng, size: usize) -> String {
    let mut doc = fill(rng.word(HEADLINES), ents, rng);
    doc.push_str("\n\n");
    while doc.len() < size {
        let sentences = 2 + rng.below(4);
        for i in 0..sentences {
            if i > 0 {
                doc.push(' ');
            }
            doc.push_str(&noisy_sentence(ents, rng));
        }
        if rng.chance(10) {
            doc.push_str("  ");
        }
        doc.push_str("\n\n");
    }
    if rng.chance(30) {
        doc.push_str(rng.word(FOOTERS));
    }
    if rng.chance(5) {
        doc = doc.replace('\n', "\r\n");
    }
    doc
}

/// About [`CORPUS_BYTES`] of documents of 1 to 8 KB.
fn corpus(generated: &[(String, String)]) -> Vec<String> {
    let ents = Entities { generated: generated.iter().take(HIT_RULES).map(|(v, _)| v.clone()).collect() };
    let mut rng = Rng::new(0xC0FF_EE00);
    let mut docs = Vec::new();
    let mut total = 0;
    while total < CORPUS_BYTES {
        let size = 1024 + rng.below(7 * 1024);
        let doc = document(&ents, &mut rng, size);
        total += doc.len();
        docs.push(doc);
    }
    docs
}

fn total_bytes(docs: &[String]) -> u64 {
    docs.iter().map(|d| d.len() as u64).sum()
}

fn quick<'a>(c: &'a mut Criterion, name: &str) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    g
}

// ---------------------------------------------------------------------------------
// The benchmarks.

fn stages(c: &mut Criterion) {
    let docs = corpus(&generate_rules(HIT_RULES));
    let mut g = quick(c, "stage");
    g.throughput(Throughput::Bytes(total_bytes(&docs)));
    let one = |s: Stage| (s.name(), vec![s]);
    let runs = Stage::ALL.map(one).into_iter().chain([("all", Stage::ALL.to_vec())]);
    for (name, stages) in runs {
        let rules = Loader::new().stages(stages).load().expect("built-in packs load");
        let pipeline = Pipeline::new(rules).expect("built-in packs compile");
        g.bench_function(name, |b| {
            b.iter(|| {
                for d in &docs {
                    black_box(pipeline.clean(d));
                }
            })
        });
    }
    let pipeline = Pipeline::new(Loader::new().load().expect("built-in packs load")).expect("built-in packs compile");
    g.bench_function("all+decode", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(pipeline.clean_bytes(d.as_bytes(), None).expect("UTF-8 text decodes"));
            }
        })
    });
    g.finish();
}

fn terms_10k(c: &mut Criterion) {
    let rules = generate_rules(RULES);
    let docs = corpus(&rules);
    let (_dir, tsv) = write_tsv(&rules);
    let loaded = Loader::new().builtin(false).path(&tsv).load().expect("generated TSV loads");
    let pipeline = Pipeline::new(loaded).expect("generated rules compile");
    let edits: usize = docs.iter().map(|d| pipeline.clean(d).edits.len()).sum();
    assert!(edits > 0, "the generated text should contain generated variants");
    let mut g = quick(c, "terms_10k");
    g.throughput(Throughput::Bytes(total_bytes(&docs)));
    g.bench_function("literal", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(pipeline.clean(d));
            }
        })
    });
    g.finish();
}

fn load_10k(c: &mut Criterion) {
    let rules = generate_rules(RULES);
    let (_dir, tsv) = write_tsv(&rules);
    let mut g = quick(c, "load_10k");
    g.throughput(Throughput::Bytes(std::fs::metadata(&tsv).expect("TSV written").len()));
    g.bench_function("load", |b| {
        b.iter(|| black_box(Loader::new().builtin(false).path(&tsv).load().expect("TSV loads")))
    });
    g.bench_function("load+compile", |b| {
        b.iter(|| {
            let loaded = Loader::new().builtin(false).path(&tsv).load().expect("TSV loads");
            black_box(Pipeline::new(loaded).expect("rules compile"))
        })
    });
    g.finish();
}

fn seeds(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("seeds: skipping: ../shared/corpus not found ({})", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".input.txt")))
        .collect();
    files.sort();
    let docs: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    if docs.is_empty() {
        eprintln!("seeds: skipping: no *.input.txt in {}", dir.display());
        return;
    }
    let pipeline = Pipeline::new(Loader::new().load().expect("built-in packs load")).expect("built-in packs compile");
    let mut g = quick(c, "seeds");
    g.throughput(Throughput::Bytes(docs.iter().map(|d| d.len() as u64).sum()));
    g.bench_function("all", |b| {
        b.iter(|| {
            for d in &docs {
                // A seed that does not decode is measured as far as it goes.
                let _ = black_box(pipeline.clean_bytes(d, None));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, stages, terms_10k, load_10k, seeds);
criterion_main!(benches);
