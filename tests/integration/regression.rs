//! One test per problem found in review, named after what broke.

use std::time::{Duration, Instant};

use crate::util::pipeline;

fn clean(s: &str) -> String {
    pipeline().clean(s).text.into_owned()
}

/// Cases where a second run used to change the first run's output.
#[test]
fn second_runs_change_nothing() {
    for input in [
        "It,2d code\n",                                 // terms output completed a punctuation rule
        "JINGDONG.The price rose.\n",                   // same, with a canonical term
        "Body.\n\nScan the 2-D code to follow us\n",    // terms output completed a boilerplate line
        "Body.\n.\n.\n.\n.\n",                          // a removal brought new lines into a tail scope
        "English\nEN\n中文\nEnglish\nTitle\n",          // ... and into a head scope
        "\u{ad}\u{200c}查",                             // a removal gave a zero-width joiner new neighbours
        "y\u{200c}\u{301}",                             // NFC became possible after a removal
        "，Jingdonge\u{301}small programs京东Jingdong", // line context saw a word the matcher did not
    ] {
        let once = clean(input);
        assert_eq!(clean(&once), once, "input {input:?}");
    }
}

#[test]
fn ordinary_english_is_left_alone() {
    for input in [
        "Somali hungry children waited.",
        "The opposition hungry for power.",
        "Use nail varnish remover.",
        "use nail-polish and nail scissors",
        "It costs 1,000 yuan.",
        "The goalkeeper's fast hand reactions and quick hand speed.",
        "The US group stage draw is on Friday.",
    ] {
        assert_eq!(clean(input), input);
    }
    assert_eq!(clean("It costs １，０００ yuan"), "It costs 1,000 yuan");
}

/// Shapes that used to take quadratic time; each must finish quickly even unoptimized.
#[test]
fn pathological_shapes_stay_linear() {
    let shapes = [
        "（（（）".repeat(20_000) + "\n",
        "本版积分规则\n\n".repeat(20_000),
        "x".to_string() + &"  \t".repeat(50_000) + "y",
        "Jingdong mall，caifutong  ".repeat(20_000),
    ];
    for s in shapes {
        let t = Instant::now();
        let _ = clean(&s);
        assert!(t.elapsed() < Duration::from_secs(8), "{} bytes took {:?}", s.len(), t.elapsed());
    }
}
