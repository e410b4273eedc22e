//! Fuzz target: any text measured with any options encodes into parts of at most 140 octets that
//! decode back to the (smart-encoded) text; and any bytes given to the part decoder never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdigest::sms::national::Language;
use newsdigest::sms::{self, ConcatRef, Encoding, NationalTables, Options, SplitPolicy, pdu};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    // Hostile PDUs: the decoder must refuse, never panic.
    let (udh, payload) = rest.split_at(rest.len() / 3);
    for encoding in [Encoding::Gsm7, Encoding::Ucs2] {
        let _ = pdu::decode_part(udh, payload, encoding, payload.len());
    }
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let languages: Vec<Language> = [("bn", 1), ("hi", 2), ("ur", 4)]
        .iter()
        .filter(|(_, bit)| flags & bit != 0)
        .filter_map(|(code, _)| Language::from_code(code))
        .collect();
    let options = Options {
        split: if flags & 8 != 0 { SplitPolicy::CodeUnits } else { SplitPolicy::Graphemes },
        concat_ref: if flags & 16 != 0 { ConcatRef::Sixteen } else { ConcatRef::Eight },
        smart_encoding: flags & 32 != 0,
        national: NationalTables::of(&languages),
        danda_as_period: flags & 64 != 0,
    };
    let measurement = sms::measure(text, &options);
    let Ok(parts) = pdu::encode(&measurement, options.concat_ref, 0x1234) else {
        assert!(measurement.parts.len() > 255, "only a text of over 255 parts cannot be encoded");
        return;
    };
    let mut decoded = String::new();
    for part in &parts {
        assert!(part.udh.len() + part.payload.len() <= 140);
        decoded.push_str(
            &pdu::decode_part(&part.udh, &part.payload, measurement.encoding, part.units).unwrap(),
        );
    }
    assert_eq!(decoded, measurement.text);
});
