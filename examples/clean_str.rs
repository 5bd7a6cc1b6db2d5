//! Cleaning a string with the built-in rules, and listing what changed.
//!
//! cargo run --example clean_str

use copydesk::Pipeline;
use copydesk::rules::Loader;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pipeline = Pipeline::new(Loader::new().load()?)?;
    let text = "Jingdong mall blocked caifutong，the electricity supplier war goes on.\n\nLeave a Reply\n";
    let cleaned = pipeline.clean(text);
    print!("{}", cleaned.text);
    for e in &cleaned.edits {
        println!("{:<24} {:>10} {:?} -> {:?}", e.rule, format!("{:?}", e.original), e.before, e.after);
    }
    Ok(())
}
