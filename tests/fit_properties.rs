//! Fitting never refuses data: for any article and budget where some non-empty cut of the lead
//! fits, `fit_sms` returns an SMS within the budget. The articles are built to break the old cut
//! search: a first sentence that opens with a quotation longer than the budget (a cut inside the
//! quotation has no boundary; a cut after it does), quotations in the middle, words in several
//! scripts, and budgets of 1 to 3 segments. And the mark of a cut matches the encoding: `...`
//! only in GSM-7 messages, `…` in UCS-2.
//!
//! 500 cases by default; `PROPTEST_CASES` overrides it.

use std::sync::Arc;

use newsdigest::compose::fit::{self, SmsBudget};
use newsdigest::compose::render::Renderer;
use newsdigest::compose::view::DigestView;
use newsdigest::{dateline, ingest, locale::Locale, sms, story};
use proptest::prelude::*;

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,12}",
        prop::sample::select(vec!["ঢাকা", "বৃষ্টি", "নদী", "Москва", "дождь", "été", "crue"])
            .prop_map(String::from),
    ]
}

fn words(range: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), range).prop_map(|w| w.join(" "))
}

/// A first sentence that may open with a long quotation, then more sentences.
fn article() -> impl Strategy<Value = String> {
    let quotes = prop::sample::select(vec![("\"", "\""), ("«", "»"), ("“", "”"), ("", "")]);
    (
        quotes,
        words(1..60),
        words(0..20),
        prop::collection::vec(words(3..30), 0..4),
    )
        .prop_map(|((open, close), quoted, rest, more)| {
            let mut body = format!("{open}{quoted}{close} {rest}.");
            for sentence in more {
                body.push_str(&format!(" {sentence}."));
            }
            body.replace(" .", ".")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(500)
    ))]

    #[test]
    fn an_article_always_gets_an_sms(body in article(), segments in 1usize..=3, fill in 0.0f64..=1.0) {
        let wire = format!("{body}\nSource: Desk\nBDST: 1347 HRS, APR 23, 2025\n");
        let now = "2025-04-23T09:00:00Z".parse().unwrap();
        let context = dateline::Context { country: None, home: None, now };
        let articles = ingest::parse_bytes("a.txt", None, wire.as_bytes()).unwrap();
        let stories = story::prepare(articles, &context, story::SentenceLimit::ALL, &mut Vec::new());
        let renderer = Renderer::new(Arc::new(Locale::load("en", None).unwrap()), None).unwrap();
        let view = DigestView::new(&stories, &[1], "sms", renderer.locale(), &[], now);
        let budget = SmsBudget { max_segments: segments, min_words: 6, options: sms::Options::default(), fill };
        let fitted = fit::fit_sms(&renderer, "sms/alert.txt.tera", &view, &stories, &budget);
        let fitted = match fitted {
            Ok(fitted) => fitted,
            Err(error) => return Err(TestCaseError::fail(format!("{body:?} in {segments}: {error}"))),
        };
        let m = &fitted.measurement;
        prop_assert!(m.segments() <= segments, "{} segments for {segments}", m.segments());
        prop_assert!(!fitted.view.stories[0].lead.is_empty());
        if m.encoding == sms::Encoding::Ucs2 {
            prop_assert!(!m.text.ends_with("..."), "UCS-2 with ...: {:?}", m.text);
        }
    }
}
