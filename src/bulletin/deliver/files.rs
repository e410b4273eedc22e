//! The `files` target: one file per message, `<dir>/<bulletin>/<slot>/<address>.txt` for an SMS
//! (its text) and `.eml` for an email (the whole RFC 5322 message), for a spool another program
//! picks up, or to look at what a run would send.
//!
//! The slot folder is the slot's UTC instant with no colon (`2025-04-23T0100Z`, with seconds
//! when it has some: `2025-04-23T010030Z`). Names are made safe by [`file_name`]: letters, digits
//! and `+ - _ . @` stay, every other byte is written `%XX` (so `/`, `\`, NUL and spaces cannot
//! make a path, and a leading `.` is `%2E`, so `..` or a hidden file cannot be named). A file is
//! written to a temporary file in the same folder, flushed to disk, then renamed over its name:
//! a reader never sees half a message, and a resend replaces the file whole.
//!
//! ```
//! use newsdigest::bulletin::deliver::files::{file_name, slot_folder};
//! assert_eq!(file_name("+8801711000001").unwrap(), "+8801711000001");
//! assert_eq!(file_name("../etc/passwd").unwrap(), "%2E.%2Fetc%2Fpasswd");
//! assert_eq!(slot_folder("2025-04-23T01:00:00Z".parse().unwrap()), "2025-04-23T0100Z");
//! ```

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Timelike, Utc};

use super::{Gateway, MailBook, Outcome, email_bytes, target_error};
use crate::bulletin::config::TargetConfig;
use crate::bulletin::outbox::{Content, Message};
use crate::error::Result;

/// Longest file name written, in bytes (file systems allow 255; the suffix and margin fit).
pub const MAX_NAME_BYTES: usize = 240;

/// Writes messages under a folder.
#[derive(Debug, Clone)]
pub struct FilesGateway {
    dir: PathBuf,
    /// Senders of the email bulletins written here.
    mail: MailBook,
}

impl FilesGateway {
    /// The gateway for a `files` target: `dir` is required (created on first write).
    pub fn open(target: &TargetConfig, mail: MailBook) -> Result<FilesGateway> {
        match &target.dir {
            Some(dir) => Ok(FilesGateway {
                dir: dir.clone(),
                mail,
            }),
            None => Err(target_error(target, "dir is missing")),
        }
    }

    pub fn new(dir: PathBuf) -> FilesGateway {
        FilesGateway {
            dir,
            mail: MailBook::new(),
        }
    }

    /// Where `message` is written, or why it cannot be.
    pub fn path_of(&self, message: &Message) -> std::result::Result<PathBuf, String> {
        let extension = match message.render.content {
            Content::Sms { .. } => "txt",
            Content::Email { .. } => "eml",
        };
        Ok(self
            .dir
            .join(file_name(&message.bulletin)?)
            .join(slot_folder(message.slot))
            .join(format!("{}.{extension}", file_name(&message.address)?)))
    }

    fn deliver(&self, message: &Message) -> Outcome {
        let path = match self.path_of(message) {
            Ok(path) => path,
            Err(reason) => return Outcome::Failed(reason),
        };
        let bytes = match &message.render.content {
            Content::Sms { text, .. } => text.as_bytes().to_vec(),
            Content::Email { .. } => match email_bytes(message, &self.mail) {
                Ok(bytes) => bytes,
                Err(reason) => return Outcome::Failed(reason),
            },
        };
        match write_atomically(&path, &bytes) {
            Ok(()) => Outcome::Sent(path.display().to_string()),
            Err(error) => Outcome::RetryLater(format!("{}: {error}", path.display())),
        }
    }
}

impl Gateway for FilesGateway {
    fn send(&self, messages: &[&Message]) -> Vec<Outcome> {
        messages
            .iter()
            .map(|message| self.deliver(message))
            .collect()
    }
}

/// The folder name of a slot: its UTC instant without colons.
pub fn slot_folder(slot: DateTime<Utc>) -> String {
    if slot.second() == 0 {
        slot.format("%Y-%m-%dT%H%MZ").to_string()
    } else {
        slot.format("%Y-%m-%dT%H%M%SZ").to_string()
    }
}

/// `text` as one safe file name: `[A-Za-z0-9+-_.@]` kept, any other byte (and a leading `.`)
/// written `%XX`. Empty or longer than [`MAX_NAME_BYTES`] once encoded is an error.
pub fn file_name(text: &str) -> std::result::Result<String, String> {
    if text.is_empty() {
        return Err("an empty name cannot name a file".into());
    }
    let mut name = String::with_capacity(text.len());
    for (index, byte) in text.bytes().enumerate() {
        let kept = byte.is_ascii_alphanumeric() || b"+-_.@".contains(&byte);
        if kept && !(index == 0 && byte == b'.') {
            name.push(char::from(byte));
        } else {
            let _ = write!(name, "%{byte:02X}");
        }
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(format!(
            "{:?} is too long for a file name ({} bytes once made safe; at most {MAX_NAME_BYTES})",
            super::http::one_line(text, 40),
            name.len()
        ));
    }
    Ok(name)
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk and renames it to `path`.
/// On any error the temporary file is removed.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut file = tempfile::Builder::new()
        .prefix(".newsdigest-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::deliver::tests::{email_content, message, sms};

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn names_are_safe_and_distinct() {
        let table = [
            ("+8801711000001", "+8801711000001"),
            (
                "reader.name+news@example.com",
                "reader.name+news@example.com",
            ),
            ("..", "%2E."),
            (".hidden", "%2Ehidden"),
            ("a/b", "a%2Fb"),
            ("a\\b", "a%5Cb"),
            ("nul\0byte", "nul%00byte"),
            ("50%", "50%25"),
            ("with space", "with%20space"),
            (
                "রহিম@উদাহরণ.বাংলা",
                "%E0%A6%B0%E0%A6%B9%E0%A6%BF%E0%A6%AE@%E0%A6%89%E0%A6%A6%E0%A6%BE%E0%A6%B9%E0%A6%B0%E0%A6%A3.%E0%A6%AC%E0%A6%BE%E0%A6%82%E0%A6%B2%E0%A6%BE",
            ),
        ];
        for (text, expected) in table {
            assert_eq!(file_name(text).unwrap(), expected, "{text:?}");
        }
        assert!(file_name("").is_err());
        let long = file_name(&"ক".repeat(100)).unwrap_err();
        assert!(long.contains("too long for a file name"), "{long}");
    }

    #[test]
    fn slots_have_no_colon() {
        let at = |text: &str| slot_folder(text.parse().unwrap());
        assert_eq!(at("2025-04-23T01:00:00Z"), "2025-04-23T0100Z");
        assert_eq!(at("2025-04-23T01:00:30Z"), "2025-04-23T010030Z");
    }

    #[test]
    fn sms_and_email_are_written_whole_with_no_temporary_file_left() {
        let dir = tempfile::tempdir().unwrap();
        let gateway = FilesGateway::new(dir.path().to_path_buf());
        let text = message(1, "+8801711000001", sms("ঢাকায় বৃষ্টি।"));
        let mail = message(2, "reader@example.com", email_content());
        let outcomes = gateway.send(&[&text, &mail]);
        let folder = dir.path().join("morning").join("2025-04-23T0100Z");
        let sms_path = folder.join("+8801711000001.txt");
        let eml_path = folder.join("reader@example.com.eml");
        assert_eq!(
            outcomes,
            [
                Outcome::Sent(sms_path.display().to_string()),
                Outcome::Sent(eml_path.display().to_string())
            ]
        );
        assert_eq!(std::fs::read_to_string(&sms_path).unwrap(), "ঢাকায় বৃষ্টি।");
        let eml = std::fs::read_to_string(&eml_path).unwrap();
        assert!(eml.contains("To: reader@example.com\r\n"), "{eml}");
        assert_eq!(
            names(&folder),
            ["+8801711000001.txt", "reader@example.com.eml"]
        );
        // A resend replaces the file whole.
        let again = message(1, "+8801711000001", sms("second"));
        assert!(matches!(gateway.send(&[&again])[0], Outcome::Sent(_)));
        assert_eq!(std::fs::read_to_string(&sms_path).unwrap(), "second");
        assert_eq!(names(&folder).len(), 2);
    }

    #[test]
    fn a_write_that_fails_is_retried_later_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let gateway = FilesGateway::new(dir.path().to_path_buf());
        let folder = dir.path().join("morning").join("2025-04-23T0100Z");
        // A folder where the file should go: the rename fails.
        std::fs::create_dir_all(folder.join("+8801711000001.txt").join("x")).unwrap();
        let outcome = gateway.send(&[&message(1, "+8801711000001", sms("hi"))]);
        assert!(
            matches!(&outcome[0], Outcome::RetryLater(why) if why.contains("+8801711000001.txt")),
            "{outcome:?}"
        );
        assert_eq!(names(&folder), ["+8801711000001.txt"]);
    }

    #[test]
    fn addresses_cannot_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let gateway = FilesGateway::new(dir.path().join("spool"));
        let mut hostile = message(1, "../../escaped", sms("hi"));
        hostile.bulletin = "../up".into();
        let outcome = gateway.send(&[&hostile]);
        let expected = dir
            .path()
            .join("spool/%2E.%2Fup/2025-04-23T0100Z/%2E.%2F..%2Fescaped.txt");
        assert_eq!(outcome, [Outcome::Sent(expected.display().to_string())]);
        assert_eq!(names(dir.path()), ["spool"]);
        let empty = gateway.send(&[&message(2, "", sms("hi"))]);
        assert_eq!(
            empty,
            [Outcome::Failed("an empty name cannot name a file".into())]
        );
    }

    #[test]
    fn a_bad_email_address_fails_for_good() {
        let dir = tempfile::tempdir().unwrap();
        let gateway = FilesGateway::new(dir.path().to_path_buf());
        let outcome = gateway.send(&[&message(1, "no-at-sign", email_content())]);
        assert!(
            matches!(&outcome[0], Outcome::Failed(why) if why.contains("not an email address")),
            "{outcome:?}"
        );
    }
}
