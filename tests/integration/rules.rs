//! Rule loading from the command line: errors with locations, --disable, TSV lists.

use crate::util::{TestDir, stderr, stdout};

#[test]
fn malformed_packs_fail_before_any_text_is_touched() {
    let t = TestDir::new();
    let input = t.write("in/a.txt", "Jingdong mall\n");
    t.write(
        "bad/a.toml",
        "[pack]\nstage = \"terms\"\n\n[[rule]]\nid = \"x\"\ndescription = \"d\"\npattern = '(?i)nail('\nreplace = \"DingTalk\"\n",
    );
    t.write("bad/b.toml", "[pack]\nstage = \"terms\"\n[[rule]]\nid = \"jd-com\"\ndescription = \"dup\"\ncanonical = \"JD\"\nvariants = [\"JDD\"]\n");
    t.write(
        "bad/c.toml",
        "[pack]\nstage = \"boilerplate\"\n[[rule]]\nid = \"y\"\ndescription = \"d\"\nline = \"^x$\"\ncolour = 1\n",
    );
    let o = t.cmd(&["clean", "in", "--in-place", "--rules", "bad"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad/a.toml:7:11: invalid regex `(?i)nail(`"), "{err}");
    assert!(err.contains("bad/b.toml:3:1: duplicate rule id `jd-com` (first defined at rules/terms/"), "{err}");
    assert!(err.contains("bad/c.toml:7:1: unknown field `colour`"), "{err}");
    assert!(err.contains("nothing was cleaned"));
    assert_eq!(std::fs::read_to_string(input).unwrap(), "Jingdong mall\n");
}

#[test]
fn non_idempotent_rule_sets_are_rejected() {
    let t = TestDir::new();
    t.write("loop.toml", "[pack]\nstage = \"terms\"\n[[rule]]\nid = \"loop\"\ndescription = \"d\"\ncanonical = \"Alipay Wallet\"\nvariants = [\"wallet\"]\n");
    let o = t.run_stdin(&["clean", "-", "--rules", "loop.toml"], "x");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("loop.toml:3:1: canonical term `Alipay Wallet` of rule `loop` would be rewritten by rule `loop`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn disable_and_no_default_rules() {
    let t = TestDir::new();
    let o = t.run_stdin(&["clean", "-", "-q", "--disable", "jd-com"], "Jingdong mall and caifutong");
    assert_eq!(stdout(&o), "Jingdong mall and Tenpay");
    let o = t.run_stdin(&["clean", "-", "-q", "--disable", "no-such-rule"], "x");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--disable no-such-rule: no loaded rule has this id"));
    t.write("words.tsv", "# my list\nfoo bar\tFooBar\nbaz\tBAZ\n");
    let o =
        t.run_stdin(&["clean", "-", "-q", "--no-default-rules", "--rules", "words.tsv"], "Foo Bar, jingdong mall. baz");
    assert_eq!(stdout(&o), "FooBar, jingdong mall. BAZ");
}

#[test]
fn stages_flag_limits_the_pipeline() {
    let t = TestDir::new();
    let o = t.run_stdin(&["clean", "-", "-q", "--stages", "terms"], "Jingdong mall，ok\n\nLeave a Reply\n");
    assert_eq!(stdout(&o), "JD.com，ok\n\nLeave a Reply\n");
    let o = t.run_stdin(&["clean", "-", "--stages", "words"], "x");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn builtin_rule_examples_pass() {
    let t = TestDir::new();
    let o = t.cmd(&["rules", "test"]).output().unwrap();
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).ends_with(" passed, 0 failed\n"));
    let failures = copydesk::rules::run_examples(crate::util::pipeline().rules());
    assert!(failures.is_empty(), "{}", failures.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("\n\n"));
}

#[test]
fn builtin_packs_are_tidy() {
    // Every rule has a description and at least one example; ids are sorted in each
    // pack, and so are the variants of each rule: a pull request shows only what it adds.
    let rules = crate::util::pipeline().rules();
    for r in rules {
        assert!(!r.examples.is_empty(), "{}: rule `{}` has no example", r.location, r.id);
        assert!(!r.description.trim().is_empty());
        if let copydesk::rules::RuleKind::Literal { variants, .. } = &r.kind {
            let mut sorted = variants.clone();
            sorted.sort();
            assert_eq!(variants, &sorted, "{}: variants of `{}` are not sorted", r.location, r.id);
        }
    }
    let mut by_file: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for r in rules {
        by_file.entry(&r.location.path).or_default().push(&r.id);
    }
    for (file, ids) in by_file {
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "rules in {file} are not sorted by id");
    }
}

#[test]
fn builtin_examples_are_idempotent_through_the_whole_pipeline() {
    let p = crate::util::pipeline();
    for r in p.rules() {
        for ex in &r.examples {
            let once = p.clean(&ex.input).text.into_owned();
            let twice = p.clean(&once);
            assert_eq!(twice.text, once, "{}: cleaning the example twice differs: {:?}", ex.location, twice.edits);
        }
    }
}

#[test]
fn rules_list_shows_where_rules_live() {
    let t = TestDir::new();
    let o = t.cmd(&["rules", "list"]).output().unwrap();
    let s = stdout(&o);
    let line = s.lines().find(|l| l.starts_with("jd-com ")).expect("jd-com listed");
    assert!(line.contains("terms") && line.contains("rules/terms/"), "{line}");
}
