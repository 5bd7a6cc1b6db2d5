//! Errors of the library: every one names where it happened.
//!
//! Rule errors carry a [`Location`] (file, line, column) so that a malformed pack is
//! reported like a compiler error. Decoding errors are [`crate::decode::DecodeError`],
//! with the byte offset; the command line adds the path, line and column.

use std::fmt;

/// A place in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file (or a pseudo-path such as `<builtin>/terms/companies.toml`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `source`.
    pub fn at(path: &str, source: &str, offset: usize) -> Location {
        LineIndex::new(source).location(path, offset)
    }
}

/// Line starts of a source, so that many locations in it cost O(log n) each.
pub(crate) struct LineIndex<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(source: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
        LineIndex { source, starts }
    }

    /// The location of byte `offset` (clamped to the source, rounded down to a char).
    pub(crate) fn location(&self, path: &str, offset: usize) -> Location {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let column = self.source[self.starts[line - 1]..offset].chars().count() + 1;
        Location { path: path.to_string(), line, column }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// One problem found in a rule pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every problem found while loading rules: loading reports all of them, not the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_chars() {
        let src = "ab\n京东x\n";
        let l = Location::at("f", src, src.find('x').unwrap());
        assert_eq!((l.line, l.column), (2, 3));
        assert_eq!(Location::at("f", src, 0).to_string(), "f:1:1");
        assert_eq!(Location::at("f", src, 999).line, 3);
    }
}
