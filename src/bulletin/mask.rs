//! Subscribers' addresses masked for display (`history`, logs), so a screen or a pasted report
//! does not leak a reader's number or mailbox.
//!
//! A phone number keeps its `+` and its last four digits (fewer when it is short: never more than
//! half its digits); an email address keeps the first character of its mailbox and its domain.
//!
//! ```
//! use newsdigest::bulletin::mask;
//! assert_eq!(mask::address("+8801712345678"), "+•••••••••5678");
//! assert_eq!(mask::address("alice@example.com"), "a•••@example.com");
//! ```

/// What stands for a hidden character.
const HIDDEN: char = '•';

/// `address` with everything but what identifies it to its owner hidden.
pub fn address(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((mailbox, domain)) => email(mailbox, domain),
        None => phone(address),
    }
}

/// `a•••@example.com`: three marks whatever the mailbox's length, which they do not reveal.
fn email(mailbox: &str, domain: &str) -> String {
    let first: String = mailbox.chars().take(1).collect();
    format!("{first}{HIDDEN}{HIDDEN}{HIDDEN}@{domain}")
}

/// `+•••••••••5678`: a leading `+` and the last digits kept, every other character hidden.
fn phone(number: &str) -> String {
    let digits = number.chars().filter(char::is_ascii_digit).count();
    if digits == 0 {
        return HIDDEN.to_string().repeat(3);
    }
    let shown = (digits / 2).min(4);
    let mut seen = 0;
    number
        .chars()
        .enumerate()
        .map(|(index, c)| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen > digits - shown {
                    return c;
                }
            } else if index == 0 && c == '+' {
                return c;
            }
            HIDDEN
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::address;

    #[test]
    fn addresses_keep_only_what_their_owner_recognises() {
        let cases = [
            ("+8801712345678", "+•••••••••5678"),
            ("+447700900123", "+••••••••0123"),
            ("01712345678", "•••••••5678"),
            ("12345", "•••45"),
            ("7", "•"),
            ("+", "•••"),
            ("", "•••"),
            ("not a number", "•••"),
            ("+1 (555) 010-9999", "+••••••••••••9999"),
            ("alice@example.com", "a•••@example.com"),
            ("a@example.com", "a•••@example.com"),
            ("@example.com", "•••@example.com"),
            ("ñandú@correo.es", "ñ•••@correo.es"),
            ("\"odd@name\"@example.com", "\"•••@example.com"),
        ];
        for (input, masked) in cases {
            assert_eq!(address(input), masked, "{input:?}");
        }
    }
}
