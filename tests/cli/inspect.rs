//! `newsdigest inspect`: what was understood of each article.

use crate::run_json;

#[test]
fn inspects_wire_and_json_articles() {
    let json = run_json(&[
        "inspect",
        "samples/en-flood-sylhet.txt",
        "samples/bn-dhaka-rain.txt",
        "samples/en-metro-rail.json",
    ]);
    let articles = json.as_array().unwrap();
    assert_eq!(articles.len(), 3);

    let en = &articles[0];
    assert_eq!(en["source"], "Newsdesk");
    assert_eq!(en["language"], "en");
    assert_eq!(en["editor"], "RK");
    assert_eq!(en["published"], "2025-04-23T13:47:00+06:00");
    assert_eq!(en["published_utc"], "2025-04-23T07:47:00Z");
    assert_eq!(en["zone"], "Asia/Dhaka");
    assert!(en["title"].is_null());
    let sentences = en["sentences"].as_array().unwrap();
    assert!(
        sentences.iter().any(|s| s
            .as_str()
            .unwrap()
            .starts_with("Dr. Anwar Hossain, the civil surgeon")),
        "Dr. does not end a sentence"
    );

    let bn = &articles[1];
    assert_eq!(bn["language"], "bn");
    assert_eq!(bn["editor"], "আরকে");
    assert_eq!(bn["published_utc"], "2025-04-23T07:47:00Z");
    assert!(
        bn["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().starts_with("ডা. মো. রফিকুল ইসলাম বলেন"))
    );

    let metro = &articles[2];
    assert_eq!(
        metro["title"],
        "Metro rail to run until midnight from next month"
    );
    assert_eq!(metro["published_utc"], "2025-04-22T09:10:00Z");
    assert_eq!(metro["url"], "https://news.example.com/metro-rail-midnight");
}

#[test]
fn the_opener_dateline_is_shown_apart_from_the_sentences() {
    let wire = "KHULNA, April 22 (UNB) - Shrimp farmers counted their losses after the storm.\n\
                Officials promised help within a week.\n";
    let run = crate::run_with_stdin(
        &[
            "inspect",
            "-",
            "--country",
            "BD",
            "--now",
            "2025-04-25T12:00:00Z",
        ],
        wire.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let article = &json[0];
    assert_eq!(
        article["opener"],
        serde_json::json!({
            "text": "KHULNA, April 22 (UNB) -",
            "place": "KHULNA",
            "date": "April 22",
            "agency": "UNB",
        })
    );
    assert_eq!(
        article["sentences"][0],
        "Shrimp farmers counted their losses after the storm."
    );
    assert!(article["dateline"].is_null());
    assert_eq!(article["published"], "2025-04-22T00:00:00+06:00");
    assert_eq!(
        article["notes"][0],
        "no dateline; the time is from the opener dateline \"KHULNA, April 22 (UNB) -\""
    );
    // A body without an opener has none.
    let plain = run_json(&["inspect", "samples/en-flood-sylhet.txt"]);
    assert!(plain[0]["opener"].is_null());
}
