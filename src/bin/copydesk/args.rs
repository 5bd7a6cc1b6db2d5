//! The command line, as the user types it (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Clean machine-translated text: MT artifacts, site boilerplate, Unicode noise.
#[derive(Debug, Parser)]
#[command(name = "copydesk", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean files, folders (recursively) or `-` (stdin to stdout).
    Clean(CleanArgs),
    /// Show what `clean` would change, as unified diffs naming the rules (a dry run).
    Diff(DiffArgs),
    /// Inspect and test rule packs.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Load more rule packs: a .toml/.tsv file or a folder of them (repeatable).
    #[arg(long = "rules", value_name = "PATH", help_heading = "Rules")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in rule packs.
    #[arg(long, help_heading = "Rules")]
    pub no_default_rules: bool,
    /// Turn off the rule with this id (repeatable).
    #[arg(long, value_name = "ID", help_heading = "Rules")]
    pub disable: Vec<String>,
    /// Run only these stages (comma-separated: normalize,boilerplate,terms,tidy).
    #[arg(long, value_name = "LIST", value_delimiter = ',', help_heading = "Rules")]
    pub stages: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files, folders, or `-` for standard input.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// File name patterns to pick in folders (repeatable; default: *.txt, *.md).
    #[arg(long = "glob", value_name = "GLOB", help_heading = "Input")]
    pub globs: Vec<String>,
    /// Decode inputs with this encoding instead of detecting it (e.g. gbk, big5, utf-16le).
    #[arg(long, value_name = "LABEL", help_heading = "Input")]
    pub encoding: Option<String>,
    /// Number of threads (default: all cores).
    #[arg(short = 'j', long = "threads", value_name = "N", help_heading = "Input")]
    pub threads: Option<usize>,
    /// No summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write results under this folder, mirroring the input tree.
    #[arg(long, value_name = "DIR", conflicts_with = "in_place", help_heading = "Output")]
    pub out: Option<PathBuf>,
    /// Replace each changed file atomically; unchanged files are not touched.
    #[arg(long, help_heading = "Output")]
    pub in_place: bool,
    /// Also print the diff of every change to standard output.
    #[arg(long, help_heading = "Output")]
    pub diff: bool,
    /// Color for --diff.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, help_heading = "Output")]
    pub color: ColorChoice,
    /// Write every edit as JSON Lines to this file.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Exit with status 1 when any file would change (for CI).
    #[arg(long)]
    pub check: bool,
    /// Color the diff and highlight changed words.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the loaded rules: id, stage, where defined, description.
    List {
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Validate the rule packs (exit 2 on errors).
    Check {
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run every rule's examples against that rule alone.
    Test {
        #[command(flatten)]
        rules: RuleArgs,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
