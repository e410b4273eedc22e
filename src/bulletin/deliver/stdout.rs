//! The `stdout` target: each message printed with a one-line header, to try a bulletin by hand or
//! to pipe it into another program.
//!
//! ```text
//! ==> +8801711000001 (morning 2025-04-23T01:00:00Z)
//! ঢাকায় আজ ভারী বৃষ্টি।
//! ```
//!
//! An email prints its subject (`Subject: ...`), a blank line, then its plain text. Each message
//! is written under one lock of stdout, so messages sent from several threads never interleave.

use std::io::{self, Write};

use chrono::SecondsFormat;

use super::{Gateway, Outcome};
use crate::bulletin::outbox::{Content, Message};

/// Prints messages on standard output.
#[derive(Debug, Clone, Copy, Default)]
pub struct StdoutGateway;

impl Gateway for StdoutGateway {
    fn send(&self, messages: &[&Message]) -> Vec<Outcome> {
        messages
            .iter()
            .map(|message| {
                let mut out = io::stdout().lock();
                match write_message(&mut out, message).and_then(|()| out.flush()) {
                    Ok(()) => Outcome::Sent("stdout".into()),
                    Err(error) => Outcome::RetryLater(format!("stdout: {error}")),
                }
            })
            .collect()
    }
}

/// Writes `message` with its header line to `out`.
pub fn write_message(out: &mut impl Write, message: &Message) -> io::Result<()> {
    writeln!(
        out,
        "==> {} ({} {})",
        message.address,
        message.bulletin,
        message.slot.to_rfc3339_opts(SecondsFormat::Secs, true)
    )?;
    match &message.render.content {
        Content::Sms { text, .. } => writeln!(out, "{text}"),
        Content::Email { subject, text, .. } => writeln!(out, "Subject: {subject}\n\n{text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::deliver::tests::{email_content, message, sms};

    #[test]
    fn a_header_line_then_the_text() {
        let mut out = Vec::new();
        write_message(&mut out, &message(1, "+8801711000001", sms("Rain."))).unwrap();
        write_message(&mut out, &message(2, "reader@example.com", email_content())).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "==> +8801711000001 (morning 2025-04-23T01:00:00Z)\nRain.\n\
             ==> reader@example.com (morning 2025-04-23T01:00:00Z)\n\
             Subject: ঢাকায় বৃষ্টি\n\nRain in Dhaka.\n"
        );
    }

    #[test]
    fn sending_answers_stdout() {
        let outcome = StdoutGateway.send(&[&message(1, "+8801711000001", sms("Rain."))]);
        assert_eq!(outcome, [Outcome::Sent("stdout".into())]);
    }
}
