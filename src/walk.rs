//! Which files to clean: the paths given, folders walked recursively (`ignore`), and
//! where each one's output goes under `--out`.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// A document to clean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file; `rel` is its path relative to the folder argument it was found under
    /// (its file name for a file argument), used to mirror the tree under `--out`.
    File {
        /// The path to read.
        path: PathBuf,
        /// Relative output path.
        rel: PathBuf,
    },
}

impl Input {
    /// The name shown in messages and diff headers (`a/NAME`).
    pub fn display_name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File { path, .. } => {
                let s = path.to_string_lossy().replace('\\', "/");
                s.strip_prefix("./").map(str::to_string).unwrap_or(s)
            }
        }
    }
}

/// The default file name patterns for folders.
pub const DEFAULT_GLOBS: [&str; 2] = ["*.txt", "*.md"];

/// Builds the matcher for `--glob` patterns.
pub fn glob_set(patterns: &[String]) -> Result<GlobSet, globset::Error> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p)?);
    }
    b.build()
}

/// Expands the arguments into inputs, in a stable order: arguments in the order
/// given, each folder's files sorted by path. Problems (a missing path, an unreadable
/// folder) are returned beside the inputs so that the rest can still run.
pub fn collect(paths: &[PathBuf], globs: &GlobSet) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let mut found = Vec::new();
            for entry in ignore::WalkBuilder::new(p).standard_filters(false).hidden(true).build() {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                        let path = e.into_path();
                        let rel = path.strip_prefix(p).unwrap_or(&path).to_path_buf();
                        if globs.is_match(&rel) || rel.file_name().is_some_and(|n| globs.is_match(Path::new(n))) {
                            found.push(Input::File { path, rel });
                        }
                    }
                    Ok(_) => {}
                    Err(e) => problems.push(format!("{}: {e}", p.display())),
                }
            }
            found.sort_by_cached_key(Input::display_name);
            inputs.extend(found);
        } else if p.is_file() {
            let rel = p.file_name().map(PathBuf::from).unwrap_or_else(|| p.clone());
            inputs.push(Input::File { path: p.clone(), rel });
        } else {
            problems.push(format!("{}: no such file or folder", p.display()));
        }
    }
    (inputs, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_folders_with_globs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        for f in ["a/x.txt", "a/b/y.md", "a/b/z.html", "top.txt"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        let globs = glob_set(&DEFAULT_GLOBS.map(String::from)).unwrap();
        let (inputs, problems) =
            collect(&[dir.path().join("a"), dir.path().join("top.txt"), dir.path().join("nope")], &globs);
        let rels: Vec<_> = inputs
            .iter()
            .map(|i| match i {
                Input::File { rel, .. } => rel.to_string_lossy().into_owned(),
                Input::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(rels, ["b/y.md", "x.txt", "top.txt"]);
        assert_eq!(problems.len(), 1);
    }
}
