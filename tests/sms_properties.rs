//! Property tests for the SMS invariants over arbitrary text mixing GSM, extension characters,
//! Bengali, emoji, combining marks and ZWJ sequences.

use newsdigest::sms::national::{self, Language};
use newsdigest::sms::{self, ConcatRef, Encoding, NationalTables, Options, SplitPolicy, pdu};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

/// Pieces text is built from: each is one or more characters that stress a rule.
const PIECES: &[&str] = &[
    "a",
    "Z",
    " ",
    "\n",
    "\r\n",
    "@",
    "é",
    "Ä",
    "€",
    "[",
    "]",
    "^",
    "{",
    "}",
    "\\",
    "|",
    "~",
    "\u{c}",
    "ক",
    "কি",
    "ক্ষ",
    "র\u{200c}য",
    "।",
    "😀",
    "👍🏽",
    "👨\u{200d}👩\u{200d}👧",
    "🇧🇩",
    "e\u{301}",
    "’",
    "“",
    "…",
    "\u{a0}",
    "\u{202f}",
    "–",
    "中",
    "ع",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..200).prop_map(|pieces| pieces.concat())
}

fn options() -> impl Strategy<Value = Options> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0..4usize,
        any::<bool>(),
    )
        .prop_map(|(graphemes, sixteen, smart, national, danda)| Options {
            split: if graphemes {
                SplitPolicy::Graphemes
            } else {
                SplitPolicy::CodeUnits
            },
            concat_ref: if sixteen {
                ConcatRef::Sixteen
            } else {
                ConcatRef::Eight
            },
            smart_encoding: smart,
            national: NationalTables::of(match national {
                0 => &[],
                1 => &[Language::Bengali],
                2 => &[Language::Hindi, Language::Urdu],
                _ => &[
                    Language::Bengali,
                    Language::Hindi,
                    Language::Turkish,
                    Language::Spanish,
                ],
            }),
            danda_as_period: danda,
        })
}

/// Units per message and per part for a measurement (national tables change them).
fn limits_of(m: &sms::Measurement, concat_ref: ConcatRef) -> (usize, usize) {
    match m.tables {
        Some(pair) => national::limits(pair.locking, pair.single, concat_ref),
        None => sms::limits(m.encoding, concat_ref),
    }
}

/// Byte offsets where one part ends and the next begins.
fn cuts(parts: &[sms::Part]) -> Vec<usize> {
    let mut offset = 0;
    let mut cuts = Vec::new();
    for part in &parts[..parts.len().saturating_sub(1)] {
        offset += part.text.len();
        cuts.push(offset);
    }
    cuts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn parts_are_within_limits_and_join_back(text in text(), options in options()) {
        let m = sms::measure(&text, &options);
        let (single, per_part) = limits_of(&m, options.concat_ref);
        let joined: String = m.parts.iter().map(|p| p.text.as_str()).collect();
        prop_assert_eq!(&joined, &m.text);
        prop_assert_eq!(m.parts.iter().map(|p| p.units).sum::<usize>(), m.units);
        prop_assert_eq!(m.segments() == 1, m.units <= single);
        if m.segments() > 1 {
            for part in &m.parts {
                prop_assert!(part.units <= per_part, "{} > {}", part.units, per_part);
                prop_assert!(part.units > 0);
            }
        }
        let tables = national::Tables::get().unwrap();
        for part in &m.parts {
            let units: usize = match (m.encoding, m.tables) {
                (Encoding::Gsm7, None) => part.text.chars().map(|c| usize::from(sms::gsm7_cost(c).unwrap())).sum(),
                (Encoding::Gsm7, Some(pair)) => tables.septets(&part.text, pair.locking, pair.single).unwrap(),
                (Encoding::Ucs2, _) => part.text.encode_utf16().count(),
            };
            prop_assert_eq!(units, part.units);
        }
    }

    #[test]
    fn counting_gives_the_measured_figures(text in text(), options in options()) {
        let m = sms::measure(&text, &options);
        let c = sms::count(&text, &options);
        prop_assert_eq!(
            (c.encoding, c.units, c.segments, c.tables, c.danda_kept_ucs2),
            (m.encoding, m.units, m.segments(), m.tables, m.danda_kept_ucs2)
        );
    }

    #[test]
    fn hostile_pdus_are_refused_not_panicked_on(udh in proptest::collection::vec(any::<u8>(), 0..12), payload in proptest::collection::vec(any::<u8>(), 0..160), units in 0usize..400) {
        // The twin of the `sms_roundtrip` fuzz target's decoder half: any bytes, no panic.
        for encoding in [Encoding::Gsm7, Encoding::Ucs2] {
            let _ = pdu::decode_part(&udh, &payload, encoding, units);
        }
    }

    #[test]
    fn encoded_parts_decode_back_to_the_text(text in text(), options in options(), reference in any::<u16>()) {
        let m = sms::measure(&text, &options);
        let parts = pdu::encode(&m, options.concat_ref, reference).unwrap();
        let mut decoded = String::new();
        for part in &parts {
            prop_assert!(part.udh.len() + part.payload.len() <= 140, "{} octets", part.udh.len() + part.payload.len());
            decoded.push_str(&pdu::decode_part(&part.udh, &part.payload, m.encoding, part.units).unwrap());
        }
        prop_assert_eq!(decoded, m.text);
    }

    #[test]
    fn grapheme_policy_never_splits_a_cluster(text in text(), sixteen in any::<bool>()) {
        let options = Options {
            concat_ref: if sixteen { ConcatRef::Sixteen } else { ConcatRef::Eight },
            ..Options::default()
        };
        let m = sms::measure(&text, &options);
        let boundaries: Vec<usize> = m.text.grapheme_indices(true).map(|(i, _)| i).collect();
        for cut in cuts(&m.parts) {
            prop_assert!(boundaries.binary_search(&cut).is_ok(), "cut at {} inside a grapheme", cut);
        }
    }

    #[test]
    fn smart_encoding_is_idempotent_and_only_makes_gsm(text in text()) {
        let once = sms::smart_encode(&text).into_owned();
        let twice = sms::smart_encode(&once).into_owned();
        prop_assert_eq!(&once, &twice);
        if once != text {
            prop_assert!(sms::is_gsm7(&once));
        }
        if !sms::is_gsm7(&once) {
            prop_assert_eq!(&once, &text, "text that stays UCS-2 is untouched");
        }
    }

    #[test]
    fn measuring_a_part_gives_one_segment(text in text(), options in options()) {
        // Fitting is idempotent: a part measured again is a single message of the same units.
        let m = sms::measure(&text, &options);
        for part in &m.parts {
            let again = sms::measure(&part.text, &Options { smart_encoding: false, ..options });
            prop_assert_eq!(again.segments(), 1);
            if again.encoding == m.encoding && again.tables == m.tables {
                prop_assert_eq!(again.units, part.units);
            }
        }
    }
}
