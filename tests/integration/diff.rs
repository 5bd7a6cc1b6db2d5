//! `copydesk diff`: patches that git and patch accept, rule names, color, --check.

use std::process::Command;

use crate::util::{TestDir, fixture, stdout};

#[test]
fn diff_snapshot_names_rules_per_hunk() {
    let t = TestDir::new();
    t.write("article.txt", fixture("mixed.txt"));
    let o = t.cmd(&["diff", "article.txt", "--color", "never", "-q"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("diff_mixed", stdout(&o));
}

#[test]
fn check_exit_codes() {
    let t = TestDir::new();
    t.write("dirty.txt", "Jingdong mall\n");
    t.write("clean.txt", "JD.com\n");
    assert_eq!(t.cmd(&["diff", "--check", "dirty.txt", "-q"]).output().unwrap().status.code(), Some(1));
    assert_eq!(t.cmd(&["diff", "--check", "clean.txt", "-q"]).output().unwrap().status.code(), Some(0));
    // Without --check a diff is not a failure.
    assert_eq!(t.cmd(&["diff", "dirty.txt", "-q"]).output().unwrap().status.code(), Some(0));
}

#[test]
fn color_highlights_changed_words() {
    let t = TestDir::new();
    t.write("a.txt", "We met Jingdong mall staff today.\n");
    let o = t.cmd(&["diff", "a.txt", "--color", "always", "-q"]).output().unwrap();
    let s = stdout(&o);
    assert!(s.contains("\x1b[31m-We met \x1b[7mJingdong mall\x1b[27m staff today.\x1b[0m"), "{s:?}");
    assert!(s.contains("\x1b[32m+We met \x1b[7mJD.com\x1b[27m staff today.\x1b[0m"), "{s:?}");
    let o = t.cmd(&["diff", "a.txt", "--color", "never", "-q"]).output().unwrap();
    assert!(!stdout(&o).contains('\x1b'));
}

#[test]
fn clean_diff_prints_while_writing() {
    let t = TestDir::new();
    t.write("in/a.txt", "caifutong\n");
    let o = t.cmd(&["clean", "in", "--out", "out", "--diff", "-q"]).output().unwrap();
    assert_eq!(stdout(&o), "--- a/in/a.txt\n+++ b/in/a.txt\n@@ -1 +1 @@ tenpay\n-caifutong\n+Tenpay\n");
    assert_eq!(t.read("out/a.txt"), "Tenpay\n");
}

fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping the {tool} part: {tool} is not installed");
    }
    ok
}

/// The patch applies with git and with patch -p1 and gives exactly what `clean` writes.
#[test]
fn patches_apply_with_git_and_patch() {
    let t = TestDir::new();
    t.write("docs/a.txt", fixture("mixed.txt"));
    t.write("docs/b.txt", "no newline at the end: Jingdong");
    t.write("docs/c.txt", "Line one\r\nthe electricity supplier\r\n");
    t.write("docs/d.txt", "a\rJingdong\n\u{FEFF}");
    t.write("docs/e.txt", "\u{FEFF}Jingdong mall\n");
    let patch = stdout(&t.cmd(&["diff", "docs", "--color", "never", "-q"]).output().unwrap());
    t.write("changes.patch", &patch);
    let o = t.cmd(&["clean", "docs", "--out", "want"]).output().unwrap();
    assert!(o.status.success());
    let check = |dir: &str| {
        for f in ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"] {
            assert_eq!(t.read(&format!("{dir}/docs/{f}")), t.read(&format!("want/{f}")), "{dir}/{f}");
        }
    };
    for (tool, args) in [
        ("git", vec!["apply", "--whitespace=nowarn", "../changes.patch"]),
        ("patch", vec!["-p1", "-s", "-i", "../changes.patch"]),
    ] {
        if !have(tool) {
            continue;
        }
        let dir = format!("with-{tool}");
        for f in ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"] {
            t.write(&format!("{dir}/docs/{f}"), std::fs::read(t.path().join("docs").join(f)).unwrap());
        }
        let o = Command::new(tool).args(&args).current_dir(t.path().join(&dir)).output().unwrap();
        assert!(o.status.success(), "{tool}: {}", String::from_utf8_lossy(&o.stderr));
        check(&dir);
    }
}
