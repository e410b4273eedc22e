//! Mailboxes (`--from`, `--to`) as they may appear in a 7-bit header.
//!
//! Reads the option text or a [`Mailbox`] built elsewhere; writes a [`Mailbox`] whose address is
//! all ASCII: an internationalized domain becomes punycode (IDNA, UTS #46), the local part must
//! already be ASCII (sending UTF-8 local parts needs SMTPUTF8, which a `.eml` cannot promise), and
//! the display name is one line of at most [`MAX_NAME_CHARS`] characters. Example:
//!
//! ```
//! use newsdigest::email::parse_mailbox;
//! let from = parse_mailbox("News <news@bücher.example>", "from").unwrap();
//! assert_eq!(from.email.to_string(), "news@xn--bcher-kva.example");
//! ```

use lettre::Address;
use lettre::message::Mailbox;

use crate::error::{Error, Result};

/// The longest display name accepted: longer names cannot be kept readable in one header field.
pub const MAX_NAME_CHARS: usize = 200;

/// Parses an address such as `Newsroom <news@example.com>`; `what` names the option in errors.
pub fn parse_mailbox(text: &str, what: &'static str) -> Result<Mailbox> {
    if let Some(c) = text.chars().find(|&c| is_line_breaking(c)) {
        return Err(usage(
            what,
            format!("{text:?} contains the control character {c:?}"),
        ));
    }
    if text.contains(':') && text.trim_end().ends_with(';') {
        return Err(usage(
            what,
            format!("{text:?} is a group; give each address in its own --{what}"),
        ));
    }
    let mailbox: Mailbox = text
        .parse()
        .map_err(|e| usage(what, format!("{text:?} is not an email address: {e}")))?;
    to_header_mailbox(&mailbox, what)
}

/// `mailbox` with an ASCII (punycode) domain and a checked display name.
pub fn to_header_mailbox(mailbox: &Mailbox, what: &'static str) -> Result<Mailbox> {
    let user = mailbox.email.user();
    let domain = mailbox.email.domain();
    if !user.is_ascii() {
        return Err(usage(
            what,
            format!("{mailbox}: the part before @ must be ASCII (UTF-8 local parts need SMTPUTF8)"),
        ));
    }
    let ascii = idna::domain_to_ascii(domain).map_err(|_| {
        usage(
            what,
            format!("{domain:?} is not a valid domain name (IDNA)"),
        )
    })?;
    let email = Address::new(user, &ascii)
        .map_err(|e| usage(what, format!("{user}@{ascii} is not an email address: {e}")))?;
    let name = match &mailbox.name {
        Some(name) => Some(checked_name(name, what)?),
        None => None,
    };
    Ok(Mailbox::new(name, email))
}

/// A display name that is one line and short enough for a header.
fn checked_name(name: &str, what: &'static str) -> Result<String> {
    if let Some(c) = name.chars().find(|&c| is_line_breaking(c)) {
        return Err(usage(
            what,
            format!("the name {name:?} contains the control character {c:?}"),
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(usage(
            what,
            format!("the name is {chars} characters long; at most {MAX_NAME_CHARS} are accepted"),
        ));
    }
    Ok(name.to_string())
}

/// Control characters and Unicode line or paragraph separators: never part of a header.
pub(crate) fn is_line_breaking(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

fn usage(option: &'static str, message: String) -> Error {
    Error::Usage { option, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<Mailbox>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn international_domains_become_punycode() {
        let from = parse_mailbox("Дайджест <news@пример.рф>", "from").unwrap();
        assert_eq!(from.email.to_string(), "news@xn--e1afmkfd.xn--p1ai");
        assert_eq!(from.name.as_deref(), Some("Дайджест"));
        let plain = parse_mailbox("news@bücher.example", "to").unwrap();
        assert_eq!(plain.email.domain(), "xn--bcher-kva.example");
    }

    #[test]
    fn invalid_idna_domain_names_the_option() {
        let error = message(parse_mailbox("news@xn--a.example", "from"));
        assert!(error.starts_with("--from: "), "{error}");
    }

    #[test]
    fn non_ascii_local_part_is_refused() {
        let error = message(parse_mailbox("новости@пример.рф", "from"));
        assert!(error.contains("must be ASCII"), "{error}");
    }

    #[test]
    fn line_breaks_and_controls_are_refused() {
        for c in [
            '\r', '\n', '\u{85}', '\u{2028}', '\u{2029}', '\0', '\u{7}', '\u{7f}',
        ] {
            let text = format!("News{c}Bcc: x@y.example <news@example.com>");
            let error = message(parse_mailbox(&text, "from"));
            assert!(error.starts_with("--from: "), "{c:?}: {error}");
            let named = Mailbox::new(Some(format!("a{c}b")), "a@b.example".parse().unwrap());
            assert!(to_header_mailbox(&named, "to").is_err(), "{c:?}");
        }
    }

    #[test]
    fn long_names_and_groups_are_refused() {
        let long = format!("{} <news@example.com>", "N".repeat(2000));
        assert_eq!(
            message(parse_mailbox(&long, "from")),
            "--from: the name is 2000 characters long; at most 200 are accepted"
        );
        let group = "Team: a@example.com, b@example.com;";
        assert_eq!(
            message(parse_mailbox(group, "to")),
            "--to: \"Team: a@example.com, b@example.com;\" is a group; give each address in its own --to"
        );
    }
}
