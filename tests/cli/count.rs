//! `newsdigest count`: text and JSON output, stdin, smart encoding.

use crate::{run, run_json, run_with_stdin};

#[test]
fn counts_an_argument() {
    let run = run(&["count", "Diplomats will meet in London on Wednesday."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "encoding: gsm7\nunits: 43\nsegments: 1\nparts: 43\n"
    );
}

#[test]
fn counts_stdin_without_its_final_newline() {
    let run = run_with_stdin(&["count"], "ঢাকায় আজ বৃষ্টি হতে পারে।\n".as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "encoding: ucs2\nunits: 26\nsegments: 1\nparts: 26\n"
    );
}

#[test]
fn smart_encoding_makes_curly_quotes_gsm() {
    let plain = run(&["count", "Trump’s Ukraine envoy", "--format", "json"]);
    let plain: serde_json::Value = serde_json::from_str(&plain.stdout).unwrap();
    assert_eq!(plain["encoding"], "ucs2");
    let smart = run(&[
        "count",
        "Trump’s Ukraine envoy",
        "--smart-encoding",
        "--format",
        "json",
    ]);
    let smart: serde_json::Value = serde_json::from_str(&smart.stdout).unwrap();
    assert_eq!(smart["encoding"], "gsm7");
    assert_eq!(smart["text"], "Trump's Ukraine envoy");
    assert_eq!(smart["units"], 21);
    assert_eq!(smart["segments"], 1);
}

#[test]
fn json_parts_join_back_to_the_text() {
    let text = "Dhaka rain alert. ".repeat(12);
    let run = run(&["count", &text, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let parts = json["parts"].as_array().unwrap();
    assert_eq!(json["segments"], 2);
    let joined: String = parts.iter().map(|p| p["text"].as_str().unwrap()).collect();
    assert_eq!(joined, text);
    assert_eq!(parts[0]["units"], 153);
}

#[test]
fn explain_lists_what_forced_ucs2_and_what_was_replaced() {
    let run = run(&["count", "Trump’s ঢাকা", "--smart-encoding", "--explain"]);
    assert_eq!(
        run.stdout,
        "encoding: ucs2\nunits: 12\nsegments: 1\nparts: 12\n\
         5: U+2019 '’' kept (right single quotation mark (apostrophe)): the message stays UCS-2 anyway\n\
         8: U+09A2 'ঢ' not in GSM-7: forces UCS-2\n\
         9: U+09BE '\\u{9be}' not in GSM-7: forces UCS-2\n\
         10: U+0995 'ক' not in GSM-7: forces UCS-2\n\
         11: U+09BE '\\u{9be}' not in GSM-7: forces UCS-2\n"
    );
    let json = run_json(&[
        "count",
        "a–b",
        "--smart-encoding",
        "--explain",
        "--format",
        "json",
    ]);
    assert_eq!(json["encoding"], "gsm7");
    assert_eq!(json["explain"][0]["kind"], "replaced");
    assert_eq!(json["explain"][0]["position"], 1);
    assert_eq!(json["explain"][0]["replacement"], "-");
}

#[test]
fn digest_promises_what_count_reports() {
    // The fitted SMS, measured again by `count` with the same options, gives the same encoding,
    // units and parts: fitting is idempotent and uses the same measure.
    for (article, locale, extra) in [
        (
            "samples/en-flood-sylhet.txt",
            "en",
            vec!["--max-segments", "2"],
        ),
        (
            "samples/bn-dhaka-rain.txt",
            "bn",
            vec!["--max-segments", "3"],
        ),
        (
            "samples/bn-dhaka-rain.txt",
            "bn",
            vec!["--national-tables", "bn", "--max-segments", "2"],
        ),
    ] {
        let mut args = vec![
            "digest",
            article,
            "--locale",
            locale,
            "--now",
            "2025-04-23T09:00:00Z",
            "--format",
            "json",
        ];
        args.extend(extra.iter().copied());
        let digest = run_json(&args);
        let message = &digest["messages"][0];
        let mut count_args = vec![
            "count",
            message["text"].as_str().unwrap(),
            "--format",
            "json",
        ];
        count_args.extend(
            extra
                .iter()
                .copied()
                .filter(|a| *a != "--max-segments" && a.parse::<u32>().is_err()),
        );
        let counted = run_json(&count_args);
        assert_eq!(counted["encoding"], message["encoding"], "{article}");
        assert_eq!(counted["units"], message["units"], "{article}");
        assert_eq!(counted["segments"], message["segments"], "{article}");
        let parts: Vec<&serde_json::Value> = counted["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["units"])
            .collect();
        let promised: Vec<&serde_json::Value> = message["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["units"])
            .collect();
        assert_eq!(parts, promised, "{article}");
        // One shape everywhere: the same parts, headers and payloads.
        assert_eq!(counted["parts"], message["parts"], "{article}");
    }
}
