//! Fuzz target: any subject, text and HTML build into a message whose lines fit 998 octets and end
//! in CRLF, or into an error; never a panic.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use newsdigest::email::{self, EmailContent, Envelope};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut fields = text.splitn(3, '\u{1f}');
    let content = EmailContent {
        subject: fields.next().unwrap_or_default().to_string(),
        text: fields.next().unwrap_or_default().to_string(),
        html: fields.next().unwrap_or_default().to_string(),
    };
    let envelope = Envelope {
        from: email::parse_mailbox("Desk <desk@news.example>", "from").unwrap(),
        to: vec![email::parse_mailbox("readers@news.example", "to").unwrap()],
        date: Utc.with_ymd_and_hms(2025, 4, 23, 7, 47, 0).unwrap(),
        unsubscribe: None,
        message_id: None,
    };
    if let Ok(message) = email::build(&content, &envelope) {
        for line in message.split(|&b| b == b'\n') {
            assert!(line.len() <= 999, "a line of {} octets", line.len());
        }
        assert!(!message.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'));
    }
});
