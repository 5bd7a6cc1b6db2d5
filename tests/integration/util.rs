//! A temporary folder and a way to run the real `copydesk` binary in it.

use std::path::{Path, PathBuf};
use std::process::Output;

pub struct TestDir {
    pub dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> TestDir {
        TestDir { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders) and returns its path.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap()
    }

    /// Runs `copydesk ARGS` in this folder with `input` on standard input.
    pub fn run_stdin(&self, args: &[&str], input: impl Into<Vec<u8>>) -> Output {
        self.cmd(args).write_stdin(input).output().unwrap()
    }

    /// A `copydesk` command running in this folder.
    pub fn cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::cargo_bin("copydesk").unwrap();
        c.current_dir(self.path()).args(args).env_remove("RAYON_NUM_THREADS").env("NO_COLOR", "1");
        c
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The fixture file's text.
pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

/// The shared sample corpus, when this checkout has `../shared` beside it.
pub fn shared_seeds() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/seeds");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared/corpus/seeds not found (the sample corpus lives outside the repository)");
        None
    }
}

/// The default pipeline, compiled once per test binary.
pub fn pipeline() -> &'static copydesk::Pipeline {
    static P: std::sync::OnceLock<copydesk::Pipeline> = std::sync::OnceLock::new();
    P.get_or_init(|| copydesk::Pipeline::new(copydesk::rules::Loader::new().load().unwrap()).unwrap())
}
