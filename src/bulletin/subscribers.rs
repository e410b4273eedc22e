//! A bulletin's subscribers: read from a CSV file or the configuration's inline list, each checked
//! and normalized.
//!
//! Owns [`Subscriber`], [`Problem`] and [`load`]. Reads the subscribers file (or the inline list);
//! writes nothing. Addresses are normalized so that one reader is one address: phone numbers (SMS)
//! to E.164 with the outlet's country as the default region (`01712-345678` in `BD` is
//! `+8801712345678`); email addresses to an ASCII (punycode, lower-case) domain. A bad row is a
//! [`Problem`] with its line and is skipped; it never stops the other rows. A file that cannot be
//! read (or is larger than 256 MiB), or whose header is wrong, is an error.
//!
//! The file is CSV with a header row naming the columns `address`, `locale` and `tz` and optionally
//! `name` and `quiet` (the reader's quiet hours: a window such as `21:00-06:00`, `none` or `off`
//! for none, empty for the bulletin's; see [`quiet`](super::quiet)), in any order (any case). Quoted fields may hold commas and line breaks; fields are
//! trimmed; CRLF line ends, a UTF-8 byte order mark, blank lines and lines starting with `#`
//! (comments) are all accepted:
//!
//! ```
//! use newsdigest::bulletin::config::{ChannelConfig, SubscribersConfig};
//! use newsdigest::bulletin::subscribers;
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("morning.csv");
//! std::fs::write(&path, "address,locale,tz,name\n# the newsroom\n\
//!     01712-345678,bn,Asia/Dhaka,\"Rahim, Dhaka\"\n\
//!     0171,bn,Asia/Dhaka,\n")?;
//! let config = SubscribersConfig::File(path);
//! let known = |tag: &str| tag == "bn";
//! let (subscribers, problems) = subscribers::load(&config, ChannelConfig::Sms, Some("BD"), &known)?;
//! assert_eq!(subscribers[0].address, "+8801712345678");
//! assert_eq!(subscribers[0].name.as_deref(), Some("Rahim, Dhaka"));
//! assert_eq!((problems[0].line, problems[0].message.as_str()), (4, "0171 is not a valid phone number for BD"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

use chrono_tz::Tz;
use lettre::Address;
use lettre::message::Mailbox;

use self::phone::PhoneNumbers;
use super::config::{ChannelConfig, InlineSubscriber, SubscribersConfig};
use super::quiet::Setting;
use crate::dateline::Zone;
use crate::email;
use crate::error::{Error, Result};

mod phone;

/// One reader of a bulletin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    /// E.164 (`+8801712345678`) for SMS, `user@ascii-domain` for email.
    pub address: String,
    /// The locale tag as written (`bn`, `en-GB`).
    pub locale: String,
    pub zone: Tz,
    pub name: Option<String>,
    /// The reader's quiet hours: the bulletin's, none, or their own.
    pub quiet: Setting,
    /// The line in the subscribers file; 0 for a subscriber listed in the configuration.
    pub line: usize,
}

/// One row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line in the subscribers file; for an inline list, the subscriber's position in it
    /// (from 1).
    pub line: usize,
    pub message: String,
    /// Whether the subscriber is listed in the configuration rather than a file.
    pub in_list: bool,
}

impl std::fmt::Display for Problem {
    /// `line 7: ...` for a file, `subscriber 2: ...` for an inline list.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let place = if self.in_list { "subscriber" } else { "line" };
        write!(f, "{place} {}: {}", self.line, self.message)
    }
}

/// The columns of a subscribers file, then the optional ones.
const COLUMNS: [&str; 5] = ["address", "locale", "tz", "name", "quiet"];
/// The largest subscribers file read: 256 MiB, about five million rows.
const MAX_FILE_BYTES: u64 = 256 << 20;
/// What a header error adds.
const HEADER_HINT: &str = "the first row must name the columns: address,locale,tz[,name][,quiet]";

/// Reads and checks the subscribers of a bulletin on `channel`. `default_region` (ISO 3166, the
/// bulletin's first source's country) reads national phone numbers; `known_locale` says whether a
/// locale tag can be loaded. Every bad row is a [`Problem`]; a file that cannot be read is
/// [`Error::InputMissing`] (exit 66) or [`Error::Read`] (74), a bad header [`Error::BadDataLine`]
/// (65).
pub fn load(
    config: &SubscribersConfig,
    channel: ChannelConfig,
    default_region: Option<&str>,
    known_locale: &dyn Fn(&str) -> bool,
) -> Result<(Vec<Subscriber>, Vec<Problem>)> {
    let mut rows = Rows::new(channel, default_region, known_locale);
    match config {
        SubscribersConfig::File(path) => read_file(path, &mut rows)?,
        SubscribersConfig::Inline(list) => read_inline(list, &mut rows),
    }
    Ok((rows.subscribers, rows.problems))
}

/// Where `problem` is, for messages: `/etc/newsdigest/morning.csv:7` for a file, `subscriber 2`
/// for an inline list.
pub fn place(config: &SubscribersConfig, problem: &Problem) -> String {
    match config {
        SubscribersConfig::File(path) => format!("{}:{}", path.display(), problem.line),
        SubscribersConfig::Inline(_) => format!("subscriber {}", problem.line),
    }
}

fn read_inline(list: &[InlineSubscriber], rows: &mut Rows<'_>) {
    rows.in_list = true;
    for (index, entry) in list.iter().enumerate() {
        let row = Row {
            address: entry.address.trim(),
            locale: entry.locale.trim(),
            tz: entry.tz.trim(),
            name: entry.name.as_deref().map(str::trim),
            quiet: entry.quiet.as_deref().map(str::trim),
        };
        rows.add(index + 1, 0, &row);
    }
}

fn read_file(path: &Path, rows: &mut Rows<'_>) -> Result<()> {
    let bytes = read_capped(path)?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text);
    let bad_line = |line: usize, message: String| Error::BadDataLine {
        path: path.to_path_buf(),
        line,
        message,
    };
    // csv counts no line in a comment, so lines are counted here from the records' byte offsets.
    let mut lines = LineCounter::new(text);
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Header> = None;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let line = error.position().map_or(0, |p| lines.record_line(p.byte()));
                return Err(bad_line(line, format!("not readable as CSV: {error}")));
            }
        }
        let line = record.position().map_or(0, |p| lines.record_line(p.byte()));
        if record.iter().all(<[u8]>::is_empty) {
            continue;
        }
        match &header {
            None => header = Some(Header::parse(&record).map_err(|m| bad_line(line, m))?),
            Some(header) => match header.row(&record) {
                Ok(row) => rows.add(line, line, &row),
                Err(message) => rows.problem(line, message),
            },
        }
    }
    if header.is_none() {
        return Err(bad_line(1, format!("no header row ({HEADER_HINT})")));
    }
    Ok(())
}

/// The whole file, refused past [`MAX_FILE_BYTES`] (a path to `/dev/zero` must not grow memory).
fn read_capped(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let read_error = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::NotFound => Error::InputMissing {
            path: path.to_path_buf(),
        },
        _ => Error::Read {
            path: path.to_path_buf(),
            source,
        },
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::BadDataLine {
            path: path.to_path_buf(),
            line: 1,
            message: format!("larger than {} MiB: split the list", MAX_FILE_BYTES >> 20),
        });
    }
    Ok(bytes)
}

/// The line of a byte offset, for offsets that only grow.
struct LineCounter<'t> {
    text: &'t [u8],
    offset: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t [u8]) -> LineCounter<'t> {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line (from 1) of the record csv places at `offset`: csv places a record where the one
    /// before it ended, before any blank and comment lines, which are skipped here.
    fn record_line(&mut self, offset: u64) -> usize {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        loop {
            match self.text.get(offset) {
                Some(b'\r' | b'\n') => offset += 1,
                Some(b'#') => {
                    let rest = &self.text[offset..];
                    offset += rest
                        .iter()
                        .position(|&b| b == b'\r' || b == b'\n')
                        .unwrap_or(rest.len());
                }
                _ => break,
            }
        }
        self.line_at(offset)
    }

    /// The line (from 1) holding byte `offset`: line ends are LF, CRLF or a lone CR, as for csv.
    fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset > self.offset {
            let passed = &self.text[self.offset..offset];
            let lone_cr = |(i, byte): (usize, &u8)| {
                *byte == b'\r' && self.text.get(self.offset + i + 1) != Some(&b'\n')
            };
            let ends = passed.iter().filter(|&&byte| byte == b'\n').count()
                + passed
                    .iter()
                    .enumerate()
                    .filter(|&entry| lone_cr(entry))
                    .count();
            self.line += ends;
            self.offset = offset;
        }
        self.line
    }
}

/// Where each column is in the rows.
struct Header {
    address: usize,
    locale: usize,
    tz: usize,
    name: Option<usize>,
    quiet: Option<usize>,
    width: usize,
}

impl Header {
    fn parse(record: &csv::ByteRecord) -> std::result::Result<Header, String> {
        let mut found: [Option<usize>; 5] = [None; 5];
        let mut unknown = Vec::new();
        for (index, field) in record.iter().enumerate() {
            let name = String::from_utf8_lossy(field).to_lowercase();
            match COLUMNS.iter().position(|column| *column == name) {
                Some(slot) if found[slot].is_some() => {
                    return Err(format!("the column {name:?} is named twice"));
                }
                Some(slot) => found[slot] = Some(index),
                None => unknown.push(format!("{:?}", String::from_utf8_lossy(field))),
            }
        }
        if !unknown.is_empty() {
            return Err(format!(
                "unknown column{} {}: {}",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.join(", "),
                HEADER_HINT
            ));
        }
        let [Some(address), Some(locale), Some(tz), name, quiet] = found else {
            let missing: Vec<&str> = COLUMNS[..3]
                .iter()
                .zip(found)
                .filter(|(_, index)| index.is_none())
                .map(|(column, _)| *column)
                .collect();
            return Err(format!("no column {}: {HEADER_HINT}", missing.join(", ")));
        };
        Ok(Header {
            address,
            locale,
            tz,
            name,
            quiet,
            width: record.len(),
        })
    }

    fn row<'r>(&self, record: &'r csv::ByteRecord) -> std::result::Result<Row<'r>, String> {
        if record.len() != self.width {
            return Err(format!(
                "{} fields, but the header names {} columns",
                record.len(),
                self.width
            ));
        }
        let field = |index: usize, column: &str| {
            let bytes = record.get(index).unwrap_or_default();
            std::str::from_utf8(bytes)
                .map_err(|_| format!("the {column} is not valid UTF-8 (save the file as UTF-8)"))
        };
        Ok(Row {
            address: field(self.address, "address")?,
            locale: field(self.locale, "locale")?,
            tz: field(self.tz, "tz")?,
            name: self.name.map(|index| field(index, "name")).transpose()?,
            quiet: self.quiet.map(|index| field(index, "quiet")).transpose()?,
        })
    }
}

/// One row's fields, trimmed.
struct Row<'r> {
    address: &'r str,
    locale: &'r str,
    tz: &'r str,
    name: Option<&'r str>,
    quiet: Option<&'r str>,
}

/// The rows read so far and what checking them needs.
struct Rows<'a> {
    channel: ChannelConfig,
    phones: PhoneNumbers,
    known_locale: &'a dyn Fn(&str) -> bool,
    /// Answers of `known_locale`, which may be slow, by tag.
    locales: HashMap<String, bool>,
    /// Each address taken, and where.
    seen: HashMap<String, usize>,
    /// Whether the rows come from the configuration's inline list.
    in_list: bool,
    subscribers: Vec<Subscriber>,
    problems: Vec<Problem>,
}

impl<'a> Rows<'a> {
    fn new(
        channel: ChannelConfig,
        default_region: Option<&'a str>,
        known_locale: &'a dyn Fn(&str) -> bool,
    ) -> Rows<'a> {
        Rows {
            channel,
            phones: PhoneNumbers::new(default_region),
            known_locale,
            locales: HashMap::new(),
            seen: HashMap::new(),
            in_list: false,
            subscribers: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Checks the row at `place` (a line, or a position in the inline list) and keeps it or
    /// records why not.
    fn add(&mut self, place: usize, line: usize, row: &Row<'_>) {
        let subscriber = match self.subscriber(row, line) {
            Ok(subscriber) => subscriber,
            Err(message) => return self.problem(place, message),
        };
        if let Some(first) = self.seen.get(&subscriber.address) {
            let word = if self.in_list { "subscriber" } else { "line" };
            let message = format!("{} is a duplicate of {word} {first}", subscriber.address);
            return self.problem(place, message);
        }
        self.seen.insert(subscriber.address.clone(), place);
        self.subscribers.push(subscriber);
    }

    fn problem(&mut self, line: usize, message: String) {
        self.problems.push(Problem {
            line,
            message,
            in_list: self.in_list,
        });
    }

    /// The subscriber in `row`, or every reason it is refused (joined with `; `).
    fn subscriber(
        &mut self,
        row: &Row<'_>,
        line: usize,
    ) -> std::result::Result<Subscriber, String> {
        let address = match self.channel {
            ChannelConfig::Sms => self.phones.normalize(row.address),
            ChannelConfig::Email => email_address(row.address),
        };
        let locale = self.locale(row.locale);
        let zone = zone(row.tz);
        let name = name(row.name);
        let quiet = row.quiet.map_or(Ok(Setting::Bulletin), Setting::parse);
        match (address, locale, zone, name, quiet) {
            (Ok(address), Ok(()), Ok(zone), Ok(name), Ok(quiet)) => Ok(Subscriber {
                address,
                locale: row.locale.to_string(),
                zone,
                name,
                quiet,
                line,
            }),
            (address, locale, zone, name, quiet) => {
                let reasons: Vec<String> = [
                    address.err(),
                    locale.err(),
                    zone.err(),
                    name.err(),
                    quiet.err(),
                ]
                .into_iter()
                .flatten()
                .collect();
                Err(reasons.join("; "))
            }
        }
    }

    fn locale(&mut self, tag: &str) -> std::result::Result<(), String> {
        if tag.is_empty() {
            return Err("no locale".into());
        }
        let known = match self.locales.get(tag) {
            Some(&known) => known,
            None => {
                let known = (self.known_locale)(tag);
                self.locales.insert(tag.to_string(), known);
                known
            }
        };
        if known {
            Ok(())
        } else {
            Err(format!("{tag:?} is not a known locale"))
        }
    }
}

/// `text` as an email address with an ASCII domain; never one with a line break, which could add
/// a header.
fn email_address(text: &str) -> std::result::Result<String, String> {
    if text.is_empty() {
        return Err("no address".into());
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(format!("{text:?} contains the control character {c:?}"));
    }
    let address = Address::from_str(text)
        .map_err(|error| format!("{text:?} is not an email address: {error}"))?;
    let mailbox = email::to_header_mailbox(&Mailbox::new(None, address), "to").map_err(
        |error| match error {
            Error::Usage { message, .. } => message,
            other => other.to_string(),
        },
    )?;
    Ok(mailbox.email.to_string())
}

/// An IANA zone, spelled as `--tz` takes it; a fixed offset is refused, as it would not follow
/// the reader's daylight saving time.
fn zone(text: &str) -> std::result::Result<Tz, String> {
    if text.is_empty() {
        return Err("no tz".into());
    }
    match text.parse::<Zone>() {
        Ok(Zone::Named(tz)) => Ok(tz),
        Ok(Zone::Fixed(_)) => Err(format!(
            "tz {text:?} is a UTC offset; name an IANA zone such as Asia/Dhaka"
        )),
        Err(error) => Err(format!("tz {text:?}: {}", error.reason)),
    }
}

fn name(text: Option<&str>) -> std::result::Result<Option<String>, String> {
    match text {
        None | Some("") => Ok(None),
        Some(text) if text.chars().any(char::is_control) => {
            Err(format!("the name {text:?} contains a control character"))
        }
        Some(text) if text.chars().count() > email::MAX_NAME_CHARS => Err(format!(
            "the name is longer than {} characters",
            email::MAX_NAME_CHARS
        )),
        Some(text) => Ok(Some(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn known(tag: &str) -> bool {
        ["en", "bn", "hi", "en-GB"].contains(&tag)
    }

    /// Loads `text` written to a file, for `channel` with the default region `region`.
    fn load_text(
        text: &str,
        channel: ChannelConfig,
        region: Option<&str>,
    ) -> Result<(Vec<Subscriber>, Vec<Problem>)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        std::fs::write(&path, text).unwrap();
        load(&SubscribersConfig::File(path), channel, region, &known)
    }

    fn sms(text: &str, region: &str) -> (Vec<Subscriber>, Vec<Problem>) {
        load_text(text, ChannelConfig::Sms, Some(region)).unwrap()
    }

    fn problems(problems: &[Problem]) -> Vec<(usize, &str)> {
        problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect()
    }

    #[test]
    fn phone_numbers_become_e164_in_the_outlet_region() {
        let table = [
            ("BD", "01712-345678", "+8801712345678"),
            ("BD", "+880 1712 345678", "+8801712345678"),
            ("BD", "008801712345678", "+8801712345678"),
            ("GB", "+44 20 7946 0958", "+442079460958"),
            ("GB", "020 7946 0958", "+442079460958"),
            ("GB", "07911 123456", "+447911123456"),
            ("US", "(201) 555-0123", "+12015550123"),
            ("US", "+1 212 736 5000", "+12127365000"),
            ("IN", "098765 43210", "+919876543210"),
            ("IN", "+91 98765 43210", "+919876543210"),
            ("BD", "+44 20 7946 0958", "+442079460958"),
        ];
        for (region, written, e164) in table {
            let (subscribers, found) = sms(
                &format!("address,locale,tz\n\"{written}\",en,Asia/Dhaka\n"),
                region,
            );
            assert_eq!(problems(&found), [], "{region} {written}");
            assert_eq!(subscribers[0].address, e164, "{region} {written}");
        }
    }

    #[test]
    fn bad_phone_numbers_are_problems_with_their_line() {
        let text = "address,locale,tz\n\
                    01712345678,bn,Asia/Dhaka\n\
                    0171,bn,Asia/Dhaka\n\
                    +44 20,en,Europe/London\n\
                    1-800-FLOWERS,en,Asia/Dhaka\n\
                    01712345679 ext. 12,bn,Asia/Dhaka\n\
                    01812345678,bn,Asia/Dhaka\n";
        let (subscribers, found) = sms(text, "BD");
        assert_eq!(
            problems(&found),
            [
                (3, "0171 is not a valid phone number for BD"),
                (4, "+44 20 is not a valid phone number"),
                (5, "1-800-FLOWERS is not a valid phone number for BD"),
                (6, "01712345679 ext. 12 is not a valid phone number for BD"),
            ]
        );
        let lines: Vec<usize> = subscribers.iter().map(|s| s.line).collect();
        assert_eq!(lines, [2, 7]);
        assert_eq!(
            found[0].to_string(),
            "line 3: 0171 is not a valid phone number for BD"
        );
    }

    #[test]
    fn national_numbers_need_a_region() {
        let text = "address,locale,tz\n01712345678,bn,Asia/Dhaka\n+8801812345678,bn,Asia/Dhaka\n";
        let (subscribers, found) = load_text(text, ChannelConfig::Sms, None).unwrap();
        assert_eq!(
            problems(&found),
            [(
                2,
                "01712345678 has no country code (+...) and the bulletin's first source has no valid country"
            )]
        );
        assert_eq!(subscribers[0].address, "+8801812345678");
    }

    #[test]
    fn every_field_is_checked_and_every_reason_given() {
        let text = "tz,locale,address,name\n\
                    Asia/Dhaka,xx,01712345678,\n\
                    Mars/Olympus,bn,01712345679,\n\
                    +06:00,bn,01712345670,\n\
                    EST,bn,0171,\n\
                    Asia/Dhaka,,01712345671,\n\
                    Asia/Dhaka,bn,01712345672\n";
        let (subscribers, found) = sms(text, "BD");
        assert_eq!(
            problems(&found),
            [
                (2, "\"xx\" is not a known locale"),
                (3, "tz \"Mars/Olympus\": unknown IANA time zone"),
                (
                    4,
                    "tz \"+06:00\" is a UTC offset; name an IANA zone such as Asia/Dhaka"
                ),
                (
                    5,
                    "0171 is not a valid phone number for BD; tz \"EST\": not an IANA time zone name or a UTC offset"
                ),
                (6, "no locale"),
                (7, "3 fields, but the header names 4 columns"),
            ]
        );
        assert!(subscribers.is_empty());
    }

    #[test]
    fn duplicates_after_normalization_are_skipped() {
        let text = "address,locale,tz\n\
                    +8801712345678,bn,Asia/Dhaka\n\
                    01812345678,bn,Asia/Dhaka\n\
                    01712-345678,en,Asia/Dhaka\n";
        let (subscribers, found) = sms(text, "BD");
        assert_eq!(
            problems(&found),
            [(4, "+8801712345678 is a duplicate of line 2")]
        );
        assert_eq!(subscribers.len(), 2);
    }

    #[test]
    fn bom_crlf_quotes_comments_and_blank_lines() {
        let text = "\u{feff}Address,LOCALE,tz,name\r\n\
                    # a comment, with a comma\r\n\
                    \r\n\
                    \"01712345678\",bn,Asia/Dhaka,\"Begum, Rahima\"\r\n\
                    01812345678 , en , Europe/London ,\"two\r\nlines\"\r\n\
                    01912345678,hi,Asia/Kolkata,\"say \"\"hi\"\"\"\r\n\
                    0171,bn,Asia/Dhaka,\r\n";
        let (subscribers, found) = sms(text, "BD");
        let names: Vec<Option<&str>> = subscribers.iter().map(|s| s.name.as_deref()).collect();
        assert_eq!(
            names,
            [Some("Begum, Rahima"), Some("say \"hi\"")],
            "{found:?}"
        );
        assert_eq!(
            problems(&found),
            [
                (
                    5,
                    "the name \"two\\r\\nlines\" contains a control character"
                ),
                (8, "0171 is not a valid phone number for BD"),
            ]
        );
        assert_eq!(subscribers[0].zone, chrono_tz::Asia::Dhaka);
        assert_eq!((subscribers[0].line, subscribers[1].line), (4, 7));
        assert_eq!(subscribers[1].locale, "hi");
    }

    #[test]
    fn lines_are_counted_past_comments_blank_lines_and_quoted_line_breaks() {
        let text = "# list\n\n# of readers\naddress,locale,tz,name\n\n# north\n\
                    0171,bn,Asia/Dhaka,\n\
                    01712345678,bn,Asia/Dhaka,\"a\nb\"\n\r\n\
                    # south\r\n\
                    0181,bn,Asia/Dhaka,\n";
        let (_, found) = sms(text, "BD");
        let lines: Vec<usize> = found.iter().map(|p| p.line).collect();
        assert_eq!(lines, [7, 8, 12], "{found:?}");
    }

    #[test]
    fn header_errors_name_the_file_line_and_columns() {
        let cases = [
            (
                "address,locale,timezone,phone\n",
                "list.csv:1: unknown columns \"timezone\", \"phone\": the first row must name the columns: address,locale,tz[,name][,quiet]",
            ),
            (
                "# subscribers\n+8801712345678,bn,Asia/Dhaka\n",
                "list.csv:2: unknown columns \"+8801712345678\", \"bn\", \"Asia/Dhaka\": the first row must name the columns: address,locale,tz[,name][,quiet]",
            ),
            (
                "address,name\n",
                "list.csv:1: no column locale, tz: the first row must name the columns: address,locale,tz[,name][,quiet]",
            ),
            (
                "address,tz,locale,tz\n",
                "list.csv:1: the column \"tz\" is named twice",
            ),
            (
                "\u{feff}\n\n",
                "list.csv:1: no header row (the first row must name the columns: address,locale,tz[,name][,quiet])",
            ),
        ];
        for (text, expected) in cases {
            let error = load_text(text, ChannelConfig::Sms, Some("BD")).unwrap_err();
            assert_eq!(error.exit_code(), 65);
            let shown = error.to_string();
            assert!(shown.ends_with(expected), "{shown}");
        }
    }

    #[test]
    fn unreadable_files_are_errors() {
        let endless = SubscribersConfig::File(PathBuf::from("/dev/zero"));
        let error = load(&endless, ChannelConfig::Sms, Some("BD"), &known).unwrap_err();
        assert_eq!(
            (error.exit_code(), error.to_string().as_str()),
            (65, "/dev/zero:1: larger than 256 MiB: split the list")
        );
        let missing = SubscribersConfig::File(PathBuf::from("/nonexistent/list.csv"));
        let error = load(&missing, ChannelConfig::Sms, Some("BD"), &known).unwrap_err();
        assert_eq!(error.exit_code(), 66);
        assert_eq!(
            error.to_string(),
            "/nonexistent/list.csv: no such file or directory"
        );
        let dir = tempfile::tempdir().unwrap();
        let folder = SubscribersConfig::File(dir.path().to_path_buf());
        let error = load(&folder, ChannelConfig::Sms, Some("BD"), &known).unwrap_err();
        assert_eq!(error.exit_code(), 74, "{error}");
    }

    #[test]
    fn fields_that_are_not_utf8_are_problems() {
        let mut bytes = b"address,locale,tz,name\n01712345678,bn,Asia/Dhaka,Ra\xefhim\n".to_vec();
        bytes.extend_from_slice(b"01812345678,bn,Asia/Dhaka,\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        std::fs::write(&path, bytes).unwrap();
        let config = SubscribersConfig::File(path);
        let (subscribers, found) = load(&config, ChannelConfig::Sms, Some("BD"), &known).unwrap();
        assert_eq!(
            problems(&found),
            [(2, "the name is not valid UTF-8 (save the file as UTF-8)")]
        );
        assert_eq!(subscribers.len(), 1);
    }

    #[test]
    fn email_addresses_are_checked_and_given_an_ascii_domain() {
        let text = "address,locale,tz\n\
                    Rahim@Example.COM,en,UTC\n\
                    news@bücher.example,en,UTC\n\
                    not-an-address,en,UTC\n\
                    \"a@example.com\r\nBcc: all@example.com\",en,UTC\n\
                    rahim@example.com,en,UTC\n\
                    \"Rahim <r@example.com>\",en,UTC\n\
                    জন@example.com,en,UTC\n";
        let (subscribers, found) = load_text(text, ChannelConfig::Email, Some("BD")).unwrap();
        let addresses: Vec<&str> = subscribers.iter().map(|s| s.address.as_str()).collect();
        assert_eq!(
            addresses,
            [
                "Rahim@example.com",
                "news@xn--bcher-kva.example",
                "rahim@example.com"
            ]
        );
        let found = problems(&found);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(
            found[0]
                .1
                .starts_with("\"not-an-address\" is not an email address"),
            "{found:?}"
        );
        assert_eq!(
            found[1],
            (
                5,
                "\"a@example.com\\r\\nBcc: all@example.com\" contains the control character '\\r'"
            )
        );
        assert!(
            found[2]
                .1
                .starts_with("\"Rahim <r@example.com>\" is not an email address"),
            "{found:?}"
        );
        assert!(found[3].1.contains("must be ASCII"), "{found:?}");
    }

    #[test]
    fn inline_subscribers_are_numbered_by_position() {
        let entry = |address: &str, tz: &str| InlineSubscriber {
            address: address.into(),
            locale: "en".into(),
            tz: tz.into(),
            name: None,
            quiet: None,
        };
        let config = SubscribersConfig::Inline(vec![
            entry(" 01712345678 ", "Asia/Dhaka"),
            entry("01712345678", "Asia/Dhaka"),
            entry("01812345678", "Dhaka"),
        ]);
        let (subscribers, found) = load(&config, ChannelConfig::Sms, Some("bd"), &known).unwrap();
        assert_eq!(subscribers.len(), 1);
        assert_eq!(subscribers[0].line, 0);
        assert_eq!(
            problems(&found),
            [
                (2, "+8801712345678 is a duplicate of subscriber 1"),
                (
                    3,
                    "tz \"Dhaka\": not an IANA time zone name or a UTC offset"
                ),
            ]
        );
        assert_eq!(place(&config, &found[0]), "subscriber 2");
        assert_eq!(
            found[0].to_string(),
            "subscriber 2: +8801712345678 is a duplicate of subscriber 1"
        );
    }

    #[test]
    fn quiet_cells_inherit_turn_off_or_set_a_window() {
        let text = "address,locale,tz,quiet\n\
                    01711000001,bn,Asia/Dhaka,\n\
                    01711000002,bn,Asia/Dhaka,none\n\
                    01711000003,bn,Asia/Dhaka,Off\n\
                    01711000004,bn,Asia/Dhaka,13:00-14:00\n\
                    01711000005,bn,Asia/Dhaka,25:00-07:00\n\
                    0171,bn,Asia/Dhaka,later\n";
        let (subscribers, found) = sms(text, "BD");
        let settings: Vec<Setting> = subscribers.iter().map(|s| s.quiet).collect();
        assert_eq!(
            settings,
            [
                Setting::Bulletin,
                Setting::Off,
                Setting::Off,
                Setting::Own("13:00-14:00".parse().unwrap()),
            ]
        );
        assert_eq!(
            problems(&found),
            [
                (
                    6,
                    "quiet \"25:00-07:00\": \"25:00\" is not a time from 00:00 to 23:59 (write HH:MM-HH:MM, e.g. 22:00-07:00)"
                ),
                (
                    7,
                    "0171 is not a valid phone number for BD; quiet \"later\": not a window (write HH:MM-HH:MM, e.g. 22:00-07:00)"
                ),
            ]
        );
        let (without, _) = sms("address,locale,tz\n01711000001,bn,Asia/Dhaka\n", "BD");
        assert_eq!(without[0].quiet, Setting::Bulletin);
        let config = SubscribersConfig::Inline(vec![
            InlineSubscriber {
                address: "01711000001".into(),
                locale: "bn".into(),
                tz: "Asia/Dhaka".into(),
                name: None,
                quiet: Some(" none ".into()),
            },
            InlineSubscriber {
                address: "01711000002".into(),
                locale: "bn".into(),
                tz: "Asia/Dhaka".into(),
                name: None,
                quiet: Some("7-9".into()),
            },
        ]);
        let (inline, found) = load(&config, ChannelConfig::Sms, Some("BD"), &known).unwrap();
        assert_eq!(inline[0].quiet, Setting::Off);
        assert_eq!(
            found[0].to_string(),
            "subscriber 2: quiet \"7-9\": \"7\" is not a time from 00:00 to 23:59 (write HH:MM-HH:MM, e.g. 22:00-07:00)"
        );
    }

    /// 10,000 distinct national numbers all load (the speed of 100,000 is measured by
    /// `benches/subscribers.rs`).
    #[test]
    fn ten_thousand_rows_load() {
        let mut text = String::from("address,locale,tz,name\n");
        for n in 0..10_000u32 {
            text.push_str(&format!(
                "017{:08},bn,Asia/Dhaka,Reader {n}\n",
                10_000_000 + n * 7
            ));
        }
        let started = std::time::Instant::now();
        let (subscribers, found) = sms(&text, "BD");
        let took = started.elapsed();
        println!("10,000 subscribers loaded in {took:?}");
        assert_eq!((subscribers.len(), found.len()), (10_000, 0));
        assert_eq!(subscribers[9_999].address, "+8801710069993");
    }
}
