//! `copydesk clean`: inputs, outputs, encodings, errors, exit codes.

use crate::util::{TestDir, fixture, stderr, stdout};

#[test]
fn stdin_to_stdout() {
    let t = TestDir::new();
    let o = t.run_stdin(&["clean", "-", "-q"], "Jingdong mall uses caifutong.\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "JD.com uses Tenpay.\n");
    assert_eq!(stderr(&o), "");
}

#[test]
fn single_file_to_stdout_and_summary() {
    let t = TestDir::new();
    t.write("a.txt", fixture("mixed.txt"));
    let o = t.cmd(&["clean", "a.txt"]).output().unwrap();
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("JD.com and Tenpay sign a payment deal\n"), "{}", stdout(&o));
    let summary = stderr(&o);
    assert!(
        summary.starts_with("copydesk: 1 documents, 1 changed, 0 skipped, 0 failed; edits: normalize "),
        "{summary}"
    );
    assert!(summary.contains("MB/s)"), "{summary}");
}

#[test]
fn out_dir_mirrors_the_tree() {
    let t = TestDir::new();
    t.write("in/a.txt", "Jingdong mall\n");
    t.write("in/sub/deep/b.md", "plain text that no rule touches.\n");
    t.write("in/sub/skip.html", "Jingdong mall\n");
    let o = t.cmd(&["clean", "in", "--out", "out"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(t.read("out/a.txt"), "JD.com\n");
    assert_eq!(t.read("out/sub/deep/b.md"), "plain text that no rule touches.\n");
    assert!(!t.path().join("out/sub/skip.html").exists());
    // --glob chooses other files.
    let o = t.cmd(&["clean", "in", "--out", "out2", "--glob", "*.html"]).output().unwrap();
    assert!(o.status.success());
    assert_eq!(t.read("out2/sub/skip.html"), "JD.com\n");
    assert!(!t.path().join("out2/a.txt").exists());
}

#[test]
fn in_place_replaces_only_changed_files() {
    let t = TestDir::new();
    let changed = t.write("d/changed.txt", "the electricity supplier grew\n");
    let same = t.write("d/same.txt", "nothing to fix here\n");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    let f = std::fs::File::options().write(true).open(&same).unwrap();
    f.set_modified(old).unwrap();
    drop(f);
    let o = t.cmd(&["clean", "d", "--in-place"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&changed).unwrap(), "the e-commerce grew\n");
    assert_eq!(std::fs::metadata(&same).unwrap().modified().unwrap(), old, "unchanged file was rewritten");
    let names: Vec<_> = std::fs::read_dir(t.path().join("d")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "temporary files left behind: {names:?}");
}

#[test]
fn several_inputs_need_an_output_choice() {
    let t = TestDir::new();
    t.write("a.txt", "x");
    t.write("b.txt", "y");
    let o = t.cmd(&["clean", "a.txt", "b.txt"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out DIR or --in-place"));
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let t = TestDir::new();
    t.write("in/good.txt", "Jingdong mall\n");
    let mut bad = "京东商城 淘宝 天猫 微信 支付宝\nline two ".as_bytes().to_vec();
    bad.push(0xFF);
    t.write("in/bad.txt", &bad);
    t.write("in/zz.txt", "caifutong\n");
    let o = t.cmd(&["clean", "in", "--out", "out"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("in/bad.txt:2:10: invalid UTF-8 at byte"), "{err}");
    assert!(err.contains("2 documents, 2 changed, 0 skipped, 1 failed"), "{err}");
    assert_eq!(t.read("out/good.txt"), "JD.com\n");
    assert_eq!(t.read("out/zz.txt"), "Tenpay\n");
    assert!(!t.path().join("out/bad.txt").exists());
}

#[test]
fn binary_files_are_skipped() {
    let t = TestDir::new();
    t.write("in/img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    t.write("in/ok.txt", "fine\n");
    let o = t.cmd(&["clean", "in", "--out", "out"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("in/img.txt: binary file (NUL byte at offset 8), skipped"), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 skipped"));
}

#[test]
fn legacy_encodings_become_utf8() {
    let t = TestDir::new();
    let text = "Jingdong mall 京东商城 said the electricity supplier market grew this year。\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    t.write("in/gbk.txt", &gbk);
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
    t.write("in/utf16.txt", &utf16);
    let o = t.cmd(&["clean", "in", "--out", "out"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let want = "JD.com 京东商城 said the e-commerce market grew this year.\n";
    assert_eq!(t.read("out/gbk.txt"), want);
    assert_eq!(t.read("out/utf16.txt"), want);
    // Forcing a wrong encoding is an error naming the place.
    let o = t.cmd(&["clean", "in/gbk.txt", "--encoding", "utf-8"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("in/gbk.txt:1:15: invalid UTF-8 at byte 14"), "{}", stderr(&o));
    let o = t.cmd(&["clean", "in/gbk.txt", "--encoding", "klingon"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn crlf_and_bom_are_preserved() {
    let t = TestDir::new();
    t.write("a.txt", "\u{FEFF}Jingdong mall\r\nLine two\r\n");
    let o = t.cmd(&["clean", "a.txt", "-q"]).output().unwrap();
    assert_eq!(o.stdout, "\u{FEFF}JD.com\r\nLine two\r\n".as_bytes());
}

#[test]
fn empty_and_untouched_files_are_byte_identical() {
    let t = TestDir::new();
    t.write("in/empty.txt", "");
    let odd =
        "  indented line\n\n\n\nthree blank lines above,  and two spaces here? no: only one.\r\nno newline at end";
    t.write("in/odd.txt", odd);
    let o = t.cmd(&["clean", "in", "--out", "out", "--disable", "space-runs"]).output().unwrap();
    assert!(o.status.success());
    assert_eq!(t.read("out/empty.txt"), "");
    assert_eq!(t.read("out/odd.txt"), odd);
}

#[test]
fn report_lists_every_edit_as_json_lines() {
    let t = TestDir::new();
    t.write("a.txt", "Leave a Reply\nJingdong mall，ok\n");
    let o = t.cmd(&["clean", "a.txt", "--report", "r.jsonl", "-q"]).output().unwrap();
    assert!(o.status.success());
    let lines: Vec<serde_json::Value> = t.read("r.jsonl").lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let rules: Vec<&str> = lines.iter().map(|v| v["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"jd-com") && rules.contains(&"fullwidth-punctuation"), "{rules:?}");
    let jd = lines.iter().find(|v| v["rule"] == "jd-com").unwrap();
    assert_eq!(
        (jd["line"].as_u64(), jd["column"].as_u64(), jd["before"].as_str()),
        (Some(2), Some(1), Some("Jingdong mall"))
    );
}

#[test]
fn threads_flag_and_deterministic_order() {
    let t = TestDir::new();
    for i in 0..40 {
        t.write(&format!("in/{i:02}.txt"), format!("doc {i}: Jingdong mall\n"));
    }
    let a = t.cmd(&["diff", "in", "-j", "1", "-q"]).output().unwrap();
    let b = t.cmd(&["diff", "in", "-j", "4", "-q"]).output().unwrap();
    assert_eq!(stdout(&a), stdout(&b));
    assert!(stdout(&a).find("in/00.txt").unwrap() < stdout(&a).find("in/39.txt").unwrap());
}

#[test]
fn broken_pipe_exits_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let t = TestDir::new();
    for i in 0..200 {
        t.write(&format!("in/{i:03}.txt"), "Jingdong mall and caifutong\n".repeat(50));
    }
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("copydesk"))
        .current_dir(t.path())
        .args(["diff", "in", "--color", "never"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is now closed
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "status {:?}", out.status);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn stdin_large_single_line_does_not_panic() {
    let t = TestDir::new();
    let line = "Jingdong mall，caifutong  ".repeat(200_000);
    let o = t.run_stdin(&["clean", "-", "-q"], line.clone());
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("JD.com, Tenpay JD.com"));
}
