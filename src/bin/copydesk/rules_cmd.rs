//! `copydesk rules list|check|test`.

use std::io::{self, Write};

use copydesk::Pipeline;
use copydesk::rules::Rule;

use crate::args::{RuleArgs, RulesCommand};

impl RulesCommand {
    pub fn rule_args(&self) -> &RuleArgs {
        match self {
            RulesCommand::List { rules } | RulesCommand::Check { rules } | RulesCommand::Test { rules } => rules,
        }
    }
}

pub fn run(pipeline: &Pipeline, cmd: &RulesCommand) -> io::Result<u8> {
    let mut out = io::stdout().lock();
    match cmd {
        RulesCommand::List { .. } => {
            for r in pipeline.rules() {
                writeln!(out, "{:<32} {:<11} {:<44} {}", r.id, r.stage, r.location.to_string(), r.description)?;
            }
            Ok(0)
        }
        RulesCommand::Check { .. } => {
            let n = pipeline.rules().len();
            let missing: Vec<&Rule> = pipeline.rules().iter().filter(|r| r.examples.is_empty()).collect();
            for r in &missing {
                writeln!(out, "{}: warning: rule `{}` has no example", r.location, r.id)?;
            }
            writeln!(out, "{n} rules OK")?;
            Ok(0)
        }
        RulesCommand::Test { .. } => {
            let failures = copydesk::rules::run_examples(pipeline.rules());
            let total: usize = pipeline.rules().iter().map(|r| r.examples.len()).sum();
            for f in &failures {
                writeln!(out, "{f}\n")?;
            }
            writeln!(out, "{} passed, {} failed", total - failures.len(), failures.len())?;
            Ok(if failures.is_empty() { 0 } else { 1 })
        }
    }
}
