//! The `copydesk` command: a thin layer over the library. Parses arguments, loads
//! rules, runs the documents in parallel, prints results in input order.
//!
//! Exit status: 0 success; 1 a document failed, or `diff --check` found changes;
//! 2 usage or rule errors. A closed standard output (broken pipe) exits 0 quietly.

mod args;
mod process;
mod rules_cmd;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, ColorChoice, Command, RuleArgs};
use copydesk::Pipeline;
use copydesk::rules::{Loader, Stage};

/// Loads and compiles the rules the user asked for; prints errors and returns `None`.
fn pipeline(args: &RuleArgs) -> Result<Pipeline, String> {
    let mut loader = Loader::new().builtin(!args.no_default_rules);
    for p in &args.rules {
        loader = loader.path(p);
    }
    for id in &args.disable {
        loader = loader.disable(id);
    }
    if !args.stages.is_empty() {
        let mut stages = Vec::new();
        for s in &args.stages {
            stages.push(
                Stage::from_name(s.trim())
                    .ok_or_else(|| format!("unknown stage `{s}` (normalize, boilerplate, terms, tidy)"))?,
            );
        }
        loader = loader.stages(stages);
    }
    let rules = loader.load().map_err(|e| e.to_string())?;
    Pipeline::new(rules).map_err(|e| e.to_string())
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

fn run(cli: Cli) -> io::Result<u8> {
    let rule_args = match &cli.command {
        Command::Clean(a) => &a.rules,
        Command::Diff(a) => &a.rules,
        Command::Rules(r) => r.rule_args(),
    };
    let pipeline = match pipeline(rule_args) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("{msg}");
            eprintln!("copydesk: rule errors, nothing was cleaned");
            return Ok(2);
        }
    };
    match cli.command {
        Command::Clean(a) => process::clean(&pipeline, &a),
        Command::Diff(a) => process::diff(&pipeline, &a),
        Command::Rules(r) => rules_cmd::run(&pipeline, &r),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "copydesk: {e}");
            ExitCode::from(2)
        }
    }
}
