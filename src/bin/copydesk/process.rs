//! `copydesk clean` and `copydesk diff`: documents in parallel, output in input order.

use std::io::{self, Read, Write};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use copydesk::decode::{DecodeError, encoding_for_label};
use copydesk::diff::{Color, document_diff};
use copydesk::rules::Stage;
use copydesk::walk::{DEFAULT_GLOBS, Input, collect, glob_set};
use copydesk::write::{replace_atomically, write_output};
use copydesk::{Document, Pipeline};

use crate::args::{CleanArgs, DiffArgs, InputArgs};
use crate::use_color;

/// Where cleaned text goes.
#[derive(Clone, Copy)]
enum Sink<'a> {
    /// Nowhere (`diff`).
    None,
    /// Standard output (one input).
    Stdout,
    /// A mirrored tree.
    Out(&'a Path),
    /// Over the input, atomically.
    InPlace,
}

enum Outcome {
    Unchanged,
    Changed,
    Skipped(String),
    Failed(String),
}

struct FileResult {
    outcome: Outcome,
    bytes: usize,
    by_stage: [usize; 4],
    diff: String,
    stdout: Option<Vec<u8>>,
    report: String,
}

struct Run<'a> {
    pipeline: &'a Pipeline,
    encoding: Option<&'static encoding_rs::Encoding>,
    sink: Sink<'a>,
    diff: Option<Color>,
    report: bool,
    /// `--out` names a folder that is also an input root (or a file argument's folder),
    /// so outputs may be the inputs themselves and must be replaced atomically.
    out_is_input_root: bool,
}

fn read_input(input: &Input) -> io::Result<Vec<u8>> {
    match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf)?;
            Ok(buf)
        }
        Input::File { path, .. } => std::fs::read(path),
    }
}

fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let col = offset - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
    (line, col)
}

impl Run<'_> {
    fn process(&self, input: &Input) -> FileResult {
        let name = input.display_name();
        let mut res = FileResult {
            outcome: Outcome::Unchanged,
            bytes: 0,
            by_stage: [0; 4],
            diff: String::new(),
            stdout: None,
            report: String::new(),
        };
        let bytes = match read_input(input) {
            Ok(b) => b,
            Err(e) => {
                res.outcome = Outcome::Failed(format!("{name}: {e}"));
                return res;
            }
        };
        res.bytes = bytes.len();
        let doc = match self.pipeline.clean_bytes(&bytes, self.encoding) {
            Ok(d) => d,
            Err(DecodeError::Binary { offset }) => {
                res.outcome = Outcome::Skipped(format!("{name}: binary file (NUL byte at offset {offset}), skipped"));
                return res;
            }
            Err(DecodeError::Invalid { encoding, offset }) => {
                let (line, col) = line_col(&bytes, offset);
                res.outcome = Outcome::Failed(format!(
                    "{name}:{line}:{col}: invalid {} at byte {offset}; use --encoding to choose another encoding",
                    encoding.name()
                ));
                return res;
            }
        };
        res.by_stage = doc.edits_by_stage();
        if let Some(color) = self.diff {
            res.diff = document_diff(&name, &doc, color);
        }
        if self.report {
            res.report = report_lines(&name, &doc);
        }
        let out_bytes = || {
            let prefix = doc.decoding.output_prefix();
            let mut v = Vec::with_capacity(prefix.len() + doc.cleaned().len());
            v.extend_from_slice(prefix);
            v.extend_from_slice(doc.cleaned().as_bytes());
            v
        };
        let written = match (self.sink, input) {
            (Sink::None, _) => Ok(()),
            (Sink::Stdout, _) | (_, Input::Stdin) => {
                res.stdout = Some(out_bytes());
                Ok(())
            }
            (Sink::Out(dir), Input::File { path, rel }) => {
                let target = dir.join(rel);
                let same = self.out_is_input_root
                    && std::fs::canonicalize(&target).ok().is_some_and(|t| std::fs::canonicalize(path).ok() == Some(t));
                if same {
                    if doc.changed() { replace_atomically(&target, &out_bytes()) } else { Ok(()) }
                } else if doc.needs_rewrite() {
                    write_output(&target, &out_bytes())
                } else {
                    write_output(&target, &bytes)
                }
            }
            (Sink::InPlace, Input::File { path, .. }) => {
                if doc.changed() {
                    replace_atomically(path, &out_bytes())
                } else {
                    Ok(())
                }
            }
        };
        res.outcome = match written {
            Err(e) => Outcome::Failed(format!("{name}: cannot write: {e}")),
            Ok(()) if doc.changed() => Outcome::Changed,
            Ok(()) => Outcome::Unchanged,
        };
        res
    }
}

fn report_lines(name: &str, doc: &Document) -> String {
    let mut s = String::new();
    // Line starts once per document: a location per edit by binary search, not by
    // rescanning the text (a large document can have millions of edits).
    let bytes = doc.original.as_bytes();
    let starts: Vec<usize> = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)).collect();
    for e in &doc.edits {
        let line = starts.partition_point(|&p| p <= e.original.start);
        let column = e.original.start - starts[line - 1] + 1;
        let v = serde_json::json!({
            "path": name, "rule": &*e.rule, "stage": e.stage, "line": line, "column": column,
            "start": e.original.start, "end": e.original.end, "before": e.before, "after": e.after,
        });
        s.push_str(&v.to_string());
        s.push('\n');
    }
    s
}

/// The documents to clean, what went wrong finding them, and the forced encoding.
struct Inputs {
    list: Vec<Input>,
    problems: Vec<String>,
    encoding: Option<&'static encoding_rs::Encoding>,
}

/// Finds the inputs; on a usage error prints it and returns `None`.
fn setup(input: &InputArgs) -> Option<Inputs> {
    find_inputs(input).inspect_err(|msg| eprintln!("copydesk: {msg}")).ok()
}

fn find_inputs(input: &InputArgs) -> Result<Inputs, String> {
    if let Some(n) = input.threads {
        rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global().map_err(|e| e.to_string())?;
    }
    let encoding = match &input.encoding {
        None => None,
        Some(label) => Some(encoding_for_label(label).ok_or_else(|| format!("unknown encoding `{label}`"))?),
    };
    let globs: Vec<String> =
        if input.globs.is_empty() { DEFAULT_GLOBS.map(String::from).to_vec() } else { input.globs.clone() };
    let globs = glob_set(&globs).map_err(|e| format!("invalid --glob: {e}"))?;
    let (inputs, problems) = collect(&input.paths, &globs);
    if inputs.iter().filter(|i| **i == Input::Stdin).count() > 1 {
        return Err("`-` (standard input) can be given only once".into());
    }
    Ok(Inputs { list: inputs, problems, encoding })
}

struct Summary {
    docs: usize,
    changed: usize,
    skipped: usize,
    failed: usize,
    bytes: usize,
    by_stage: [usize; 4],
}

fn execute(
    run: &Run,
    inputs: &[Input],
    problems: Vec<String>,
    quiet: bool,
    report: Option<&Path>,
) -> io::Result<Summary> {
    let started = Instant::now();
    let results: Vec<FileResult> = inputs.par_iter().map(|i| run.process(i)).collect();
    let mut s = Summary { docs: 0, changed: 0, skipped: 0, failed: problems.len(), bytes: 0, by_stage: [0; 4] };
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    for p in &problems {
        writeln!(stderr, "copydesk: {p}")?;
    }
    for r in &results {
        s.bytes += r.bytes;
        match &r.outcome {
            Outcome::Skipped(msg) => {
                s.skipped += 1;
                writeln!(stderr, "copydesk: {msg}")?;
                continue;
            }
            Outcome::Failed(msg) => {
                s.failed += 1;
                writeln!(stderr, "copydesk: {msg}")?;
                continue;
            }
            Outcome::Changed => s.changed += 1,
            Outcome::Unchanged => {}
        }
        s.docs += 1;
        for (t, n) in s.by_stage.iter_mut().zip(r.by_stage) {
            *t += n;
        }
        stdout.write_all(r.diff.as_bytes())?;
        if let Some(b) = &r.stdout {
            stdout.write_all(b)?;
        }
    }
    stdout.flush()?;
    if let Some(path) = report {
        let all: String = results.iter().map(|r| r.report.as_str()).collect();
        write_output(path, all.as_bytes()).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    }
    if !quiet {
        let secs = started.elapsed().as_secs_f64();
        let stages: Vec<String> = Stage::ALL.iter().zip(s.by_stage).map(|(st, n)| format!("{st} {n}")).collect();
        writeln!(
            stderr,
            "copydesk: {} documents, {} changed, {} skipped, {} failed; edits: {}; {:.1} MB in {:.2} s ({:.1} MB/s)",
            s.docs,
            s.changed,
            s.skipped,
            s.failed,
            stages.join(", "),
            s.bytes as f64 / 1e6,
            secs,
            s.bytes as f64 / 1e6 / secs.max(1e-9)
        )?;
    }
    Ok(s)
}

pub fn clean(pipeline: &Pipeline, a: &CleanArgs) -> io::Result<u8> {
    let Some(Inputs { list: inputs, problems, encoding }) = setup(&a.input) else { return Ok(2) };
    let sink = match (&a.out, a.in_place) {
        (Some(dir), _) => Sink::Out(dir),
        (None, true) => Sink::InPlace,
        (None, false) => {
            if inputs.len() + problems.len() > 1
                || inputs.iter().any(|i| matches!(i, Input::File { .. }) && a.input.paths.iter().any(|p| p.is_dir()))
            {
                eprintln!("copydesk: several inputs: choose --out DIR or --in-place (standard output takes one input)");
                return Ok(2);
            }
            Sink::Stdout
        }
    };
    if matches!(sink, Sink::InPlace) && inputs.contains(&Input::Stdin) {
        eprintln!("copydesk: --in-place cannot replace standard input");
        return Ok(2);
    }
    let color =
        if use_color(a.color) && matches!(sink, Sink::Out(_) | Sink::InPlace) { Color::Always } else { Color::Never };
    let out_is_input_root = a.out.as_ref().is_some_and(|out| {
        let Ok(out) = std::fs::canonicalize(out) else {
            return false;
        };
        a.input.paths.iter().any(|p| {
            let root = if p.is_dir() { p.as_path() } else { p.parent().unwrap_or(Path::new(".")) };
            let root = if root.as_os_str().is_empty() { Path::new(".") } else { root };
            std::fs::canonicalize(root).is_ok_and(|r| r == out)
        })
    });
    let run =
        Run { pipeline, encoding, sink, diff: a.diff.then_some(color), report: a.report.is_some(), out_is_input_root };
    let s = execute(&run, &inputs, problems, a.input.quiet, a.report.as_deref())?;
    Ok(if s.failed > 0 { 1 } else { 0 })
}

pub fn diff(pipeline: &Pipeline, a: &DiffArgs) -> io::Result<u8> {
    let Some(Inputs { list: inputs, problems, encoding }) = setup(&a.input) else { return Ok(2) };
    let color = if use_color(a.color) { Color::Always } else { Color::Never };
    let run = Run { pipeline, encoding, sink: Sink::None, diff: Some(color), report: false, out_is_input_root: false };
    let s = execute(&run, &inputs, problems, a.input.quiet, None)?;
    Ok(if s.failed > 0 || (a.check && s.changed > 0) { 1 } else { 0 })
}
