//! The `kannel` target: Kannel's HTTP `sendsms` interface (smsbox), one GET per SMS part.
//!
//! We measured and split the message ourselves ([`crate::sms`]), so Kannel must not do it again:
//! each part goes with our user-data header (`udh=`, the header's bytes percent-encoded), its
//! data coding (`coding=0` GSM-7, `coding=2` UCS-2), `charset=UTF-8` and the part's text
//! (`text=`). Kannel turns the text into the SMSC's alphabet (GSM-7 septets, or UTF-16BE) and
//! keeps our header, so the phone joins the parts with our concatenation reference. A message with
//! no header (a single part) is sent without `udh=`.
//!
//! ```text
//! GET /cgi-bin/sendsms?username=…&password=…&from=NEWS&to=%2B8801711000001+%2B8801711000002
//!     &text=%E0%A6%A2…&coding=2&charset=UTF-8&udh=%05%00%03%AB%02%01
//! ```
//!
//! With `report_url` (and `report_token_env`), each part also asks for delivery reports
//! (`dlr-mask=27`: delivered, undelivered, SMSC accepted, SMSC rejected) at a `dlr-url` of
//! `newsdigest serve` that carries our message id and the part's number:
//! `{report_url}/kannel/dlr?token=…&msg=17&part=2&to=%p&type=%d&reply=%A` (Kannel fills in the
//! recipient, the report type and the SMSC's words). A batched request's URL carries the first
//! message's id; `serve` finds each recipient's message of the same slot by `to`.
//!
//! Recipients of one render are batched: up to `batch` of them (default 1) in one request's `to`,
//! separated by spaces. What Kannel answers:
//!
//! | Answer | Outcome |
//! |---|---|
//! | 2xx (`202 0: Accepted for delivery`, `202 3: Queued for later delivery`, `202 Sent.`) | accepted |
//! | 2xx listing `Denied receivers are: …` | those recipients failed, the others accepted |
//! | 5xx, 408, 429 (`503 Temporal failure, try again later.`), timeout, refused connection | retry later |
//! | 5xx listing `Failed receivers are: …` | those retry later, the others accepted |
//! | other 4xx (`403 Authorization failed for sendsms`, `400 Number(s) has/have been denied…`), 3xx | failed |
//!
//! A message is sent when every part was accepted. Resend risk: when part 2 of 3 is refused after
//! part 1 was accepted, the message is retried later as a whole, and the reader may get part 1
//! twice (with the same concatenation reference, so most phones show it once). Batching trades
//! per-recipient answers for throughput: with its default delayed reply, Kannel answers a batch
//! with the first recipient's acknowledgement only, and a recipient its lists deny is dropped
//! without a word; so numbers Kannel would refuse (anything but `+` and digits) fail here, before
//! any request.
//!
//! Kannel (1.4.5) trusts our measure only as far as it fits: a part over one SMS (140 octets with
//! the header, escapes counting two septets, as we count them) is cut to fit without a word when
//! the sendsms-user has `max-messages = 1` (the default), and split into two SMS that both carry
//! our header (a broken concatenation) when it allows more; either way the answer is
//! `0: Accepted for delivery`. Our parts always fit, so Kannel sends each as one SMS. National
//! language shift tables cannot be sent this way (Kannel would re-encode the text in the default
//! alphabet), so such messages fail with a reason.

use std::time::Duration;

use url::form_urlencoded::byte_serialize;

use super::http::{self, checked_url, read_answer, transport_failure};
use super::reports::{self, Reports};
use super::{Gateway, Outcome, secret, target_error, timeout};
use crate::bulletin::config::TargetConfig;
use crate::bulletin::outbox::{Content, Message, SmsPart};
use crate::error::Result;
use crate::sms::pdu;

/// The delivery reports asked for: delivered (1), undelivered (2), SMSC accepted (8) and SMSC
/// rejected (16).
pub const DLR_MASK: u32 = 27;

/// Most recipients in one request.
pub const MAX_BATCH: usize = 100;

/// How to reach one smsbox's `sendsms`.
#[derive(Clone)]
pub struct KannelSettings {
    /// `http://host:13013/cgi-bin/sendsms` (it may carry a query of its own, kept first).
    pub url: String,
    pub username: String,
    pub password: String,
    /// The sender (`from=`); Kannel's `default-sender` or `global-sender` when `None`.
    pub from: Option<String>,
    /// Recipients per request.
    pub batch: usize,
    pub timeout: Duration,
    /// Where Kannel sends delivery reports, if anywhere.
    pub reports: Option<Reports>,
}

impl std::fmt::Debug for KannelSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KannelSettings")
            .field("url", &http::one_line(&self.url, 80))
            .field("from", &self.from)
            .field("batch", &self.batch)
            .field("timeout", &self.timeout)
            .field(
                "reports",
                &self.reports.as_ref().map(|r| http::one_line(&r.url, 80)),
            )
            .finish_non_exhaustive()
    }
}

/// Sends SMS through Kannel.
#[derive(Debug)]
pub struct KannelGateway {
    settings: KannelSettings,
    agent: ureq::Agent,
}

impl KannelGateway {
    /// The gateway for a `kannel` target: `url`, `username_env` and `password_env` are required,
    /// and the two variables they name must be set.
    pub fn open(target: &TargetConfig) -> Result<KannelGateway> {
        let url = checked_url(target)?;
        let credential = |key: &str, variable: Option<&String>| {
            let variable = variable.ok_or_else(|| {
                target_error(target, format!("{key} is missing (Kannel's sendsms-user)"))
            })?;
            secret(target, key, Some(variable)).map(Option::unwrap_or_default)
        };
        let username = credential("username_env", target.username_env.as_ref())?;
        let password = credential("password_env", target.password_env.as_ref())?;
        let batch = target.batch.unwrap_or(1);
        if !(1..=MAX_BATCH).contains(&batch) {
            return Err(target_error(
                target,
                format!("batch must be between 1 and {MAX_BATCH}"),
            ));
        }
        let reports = reports::of(target)?;
        Ok(KannelGateway::new(KannelSettings {
            url,
            username,
            password,
            from: target.from.clone(),
            batch,
            timeout: timeout(target)?,
            reports,
        }))
    }

    pub fn new(settings: KannelSettings) -> KannelGateway {
        let agent = http::agent(settings.timeout);
        KannelGateway { settings, agent }
    }

    /// The request for one part to `to` (several recipients are joined by spaces); `report` is
    /// the message id and part number a delivery report names, when reports are asked for.
    pub fn part_url(
        &self,
        text: &str,
        udh: &[u8],
        coding: u8,
        to: &[&str],
        report: (i64, usize),
    ) -> String {
        let settings = &self.settings;
        let encode = |bytes: &[u8]| byte_serialize(bytes).collect::<String>();
        let separator = if settings.url.contains('?') { '&' } else { '?' };
        let mut url = format!(
            "{}{separator}username={}&password={}",
            settings.url,
            encode(settings.username.as_bytes()),
            encode(settings.password.as_bytes())
        );
        if let Some(from) = &settings.from {
            url.push_str(&format!("&from={}", encode(from.as_bytes())));
        }
        url.push_str(&format!(
            "&to={}&text={}&coding={coding}&charset=UTF-8",
            encode(to.join(" ").as_bytes()),
            encode(text.as_bytes())
        ));
        if !udh.is_empty() {
            url.push_str(&format!("&udh={}", encode(udh)));
        }
        // A message outside the outbox (a STOP confirmation, id 0) asks for no report.
        if let Some(reports) = &settings.reports
            && report.0 > 0
        {
            let (message, part) = report;
            let dlr_url = reports.kannel_dlr_url(message, part);
            url.push_str(&format!(
                "&dlr-mask={DLR_MASK}&dlr-url={}",
                encode(dlr_url.as_bytes())
            ));
        }
        url
    }

    /// Sends every part of one render to `messages`; one outcome per message.
    fn send_render(&self, messages: &[&Message]) -> Vec<Outcome> {
        let parts = match prepare(&messages[0].render.content) {
            Ok(parts) => parts,
            Err(reason) => return vec![Outcome::Failed(reason); messages.len()],
        };
        let mut progress: Vec<Progress> = messages
            .iter()
            .map(|message| Progress::new(&message.address))
            .collect();
        let total = parts.parts.len();
        for (index, (part, udh)) in parts.parts.iter().enumerate() {
            let open: Vec<usize> = (0..progress.len())
                .filter(|&i| progress[i].outcome.is_none())
                .collect();
            if open.is_empty() {
                break;
            }
            let to: Vec<&str> = open.iter().map(|&i| messages[i].address.as_str()).collect();
            let report = (messages[open[0]].id, index + 1);
            let answers = self.send_part(&part.text, udh, parts.coding, &to, report);
            for (&i, answer) in open.iter().zip(answers) {
                progress[i].record(answer, index + 1, total);
            }
        }
        progress.into_iter().map(|p| p.finish(total)).collect()
    }

    /// One request; per recipient of `to`, the accepted answer or the outcome of a refusal.
    fn send_part(
        &self,
        text: &str,
        udh: &[u8],
        coding: u8,
        to: &[&str],
        report: (i64, usize),
    ) -> Vec<std::result::Result<String, Outcome>> {
        let url = self.part_url(text, udh, coding, to, report);
        match self.agent.get(&url).call() {
            Ok(response) => {
                let (status, body) = read_answer(response);
                classify(status, &body, to)
            }
            Err(error) => {
                let why = transport_failure(&error, self.settings.timeout);
                vec![Err(Outcome::RetryLater(why)); to.len()]
            }
        }
    }
}

impl Gateway for KannelGateway {
    fn batch_size(&self) -> usize {
        self.settings.batch
    }

    fn send(&self, messages: &[&Message]) -> Vec<Outcome> {
        // By contract a batch shares one render and fits the batch size; should it not, each run
        // of equal renders goes in requests of its own, `batch` recipients at a time.
        let mut outcomes = Vec::with_capacity(messages.len());
        let mut start = 0;
        while start < messages.len() {
            let content = &messages[start].render.content;
            let end = (start..messages.len())
                .find(|&i| &messages[i].render.content != content)
                .unwrap_or(messages.len());
            for chunk in messages[start..end].chunks(self.settings.batch.max(1)) {
                outcomes.extend(self.send_render(chunk));
            }
            start = end;
        }
        outcomes
    }
}

/// A render as Kannel takes it: the data coding and each part with its header's bytes.
struct Prepared<'a> {
    coding: u8,
    parts: Vec<(&'a SmsPart, Vec<u8>)>,
}

/// Checks a render can go through `sendsms`, and decodes the parts' headers.
fn prepare(content: &Content) -> std::result::Result<Prepared<'_>, String> {
    let Content::Sms {
        encoding, parts, ..
    } = content
    else {
        return Err("Kannel sends SMS; this message is an email".into());
    };
    let coding = match encoding.as_str() {
        "gsm7" => 0,
        "ucs2" => 2,
        other => return Err(format!("unknown SMS encoding {other:?}")),
    };
    if parts.is_empty() {
        return Err("the message has no parts".into());
    }
    let parts = parts
        .iter()
        .map(|part| {
            let udh = pdu::from_hex(&part.udh).map_err(|e| format!("user-data header: {e}"))?;
            if coding == 0 && has_national_shift(&udh) {
                return Err(
                    "national language shift tables cannot be sent through Kannel's \
                            sendsms (it encodes text in the default GSM alphabet)"
                        .to_string(),
                );
            }
            Ok((part, udh))
        })
        .collect::<std::result::Result<Vec<_>, String>>()?;
    Ok(Prepared { coding, parts })
}

/// Whether a user-data header has a national language single (0x24) or locking (0x25) shift IE.
pub fn has_national_shift(udh: &[u8]) -> bool {
    let Some((&length, mut rest)) = udh.split_first() else {
        return false;
    };
    rest = &rest[..usize::from(length).min(rest.len())];
    while let [iei, len, tail @ ..] = rest {
        if matches!(iei, 0x24 | 0x25) {
            return true;
        }
        rest = tail.get(usize::from(*len)..).unwrap_or(&[]);
    }
    false
}

/// Whether `address` is a number Kannel's default `sendsms-chars` accept: `+` and digits.
pub fn is_sendable_number(address: &str) -> bool {
    let digits = address.strip_prefix('+').unwrap_or(address);
    (1..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Sorts Kannel's answer to a request for `to`: per recipient, `Ok(answer)` when accepted, or the
/// outcome of its refusal.
pub fn classify(status: u16, body: &str, to: &[&str]) -> Vec<std::result::Result<String, Outcome>> {
    let answer = format!("{status} {body}").trim_end().to_string();
    let all = |outcome: Outcome| vec![Err(outcome); to.len()];
    match status {
        200..=299 => {
            let denied = listed(body, "Denied receivers are:");
            per_recipient(to, &denied, &answer, |why| {
                Outcome::Failed(format!("denied by Kannel: {why}"))
            })
        }
        _ if crate::ingest::fetch::worth_retrying(status) => {
            let failed = listed(body, "Failed receivers are:");
            if failed.is_empty() {
                all(Outcome::RetryLater(answer))
            } else {
                per_recipient(to, &failed, &answer, Outcome::RetryLater)
            }
        }
        _ => all(Outcome::Failed(answer)),
    }
}

/// `Ok(answer)` for each recipient of `to` not in `refused`, `refuse(answer)` for the others.
fn per_recipient(
    to: &[&str],
    refused: &[&str],
    answer: &str,
    refuse: impl Fn(String) -> Outcome,
) -> Vec<std::result::Result<String, Outcome>> {
    to.iter()
        .map(|address| {
            if refused.contains(address) {
                Err(refuse(answer.to_string()))
            } else {
                Ok(answer.to_string())
            }
        })
        .collect()
}

/// The numbers Kannel lists after `marker` in its answer (space-separated, to the end).
fn listed<'a>(body: &'a str, marker: &str) -> Vec<&'a str> {
    body.find(marker)
        .map(|at| body[at + marker.len()..].split_whitespace().collect())
        .unwrap_or_default()
}

/// How far one recipient's message got.
struct Progress {
    accepted: usize,
    last_answer: String,
    outcome: Option<Outcome>,
}

impl Progress {
    fn new(address: &str) -> Progress {
        let outcome = (!is_sendable_number(address)).then(|| {
            Outcome::Failed(format!(
                "{:?} is not a number Kannel's sendsms takes (+ and digits)",
                http::one_line(address, 40)
            ))
        });
        Progress {
            accepted: 0,
            last_answer: String::new(),
            outcome,
        }
    }

    /// Records the answer to part `number` of `total`.
    fn record(
        &mut self,
        answer: std::result::Result<String, Outcome>,
        number: usize,
        total: usize,
    ) {
        match answer {
            Ok(text) => {
                self.accepted += 1;
                self.last_answer = text;
            }
            Err(refusal) if self.accepted == 0 => self.outcome = Some(refusal),
            Err(refusal) => {
                self.outcome = Some(Outcome::RetryLater(format!(
                    "part {number} of {total} not accepted ({}); the {} part(s) before it \
                     were and will be sent again",
                    refusal.text(),
                    self.accepted
                )));
            }
        }
    }

    fn finish(self, total: usize) -> Outcome {
        match self.outcome {
            Some(outcome) => outcome,
            None if total > 1 => Outcome::Sent(format!("{} ({total} parts)", self.last_answer)),
            None => Outcome::Sent(self.last_answer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::deliver::tests::{message, target};

    fn gateway(url: &str, from: Option<&str>) -> KannelGateway {
        KannelGateway::new(KannelSettings {
            url: url.into(),
            username: "news desk".into(),
            password: "p&ss=1+2".into(),
            from: from.map(str::to_string),
            batch: 3,
            timeout: Duration::from_secs(30),
            reports: None,
        })
    }

    #[test]
    fn urls_carry_our_header_coding_charset_and_batched_recipients() {
        let kannel = gateway("http://127.0.0.1:13013/cgi-bin/sendsms", Some("NEWS"));
        let udh = pdu::from_hex("050003AB0201").unwrap();
        let url = kannel.part_url(
            "ঢাকা, বৃষ্টি",
            &udh,
            2,
            &["+8801711000001", "+8801711000002"],
            (1, 1),
        );
        assert_eq!(
            url,
            "http://127.0.0.1:13013/cgi-bin/sendsms?username=news+desk&password=p%26ss%3D1%2B2\
             &from=NEWS&to=%2B8801711000001+%2B8801711000002\
             &text=%E0%A6%A2%E0%A6%BE%E0%A6%95%E0%A6%BE%2C+%E0%A6%AC%E0%A7%83%E0%A6%B7%E0%A7%8D%E0%A6%9F%E0%A6%BF\
             &coding=2&charset=UTF-8&udh=%05%00%03%AB%02%01"
        );
    }

    #[test]
    fn a_single_part_has_no_udh_and_a_url_query_is_kept() {
        let kannel = gateway("http://gw/cgi-bin/sendsms?smsc=robi", None);
        let url = kannel.part_url("Rain {today} €5", &[], 0, &["+8801711000001"], (1, 1));
        assert_eq!(
            url,
            "http://gw/cgi-bin/sendsms?smsc=robi&username=news+desk&password=p%26ss%3D1%2B2\
             &to=%2B8801711000001&text=Rain+%7Btoday%7D+%E2%82%AC5&coding=0&charset=UTF-8"
        );
    }

    #[test]
    fn with_reports_each_part_asks_for_them_with_its_id_and_number() {
        let mut kannel = gateway("http://gw/cgi-bin/sendsms", None);
        kannel.settings.reports = Some(Reports {
            url: "http://127.0.0.1:8088/".into(),
            token: "t0ken-0123456789abc".into(),
        });
        let url = kannel.part_url("hi", &[], 0, &["+8801711000001"], (17, 2));
        let dlr = "http://127.0.0.1:8088/kannel/dlr?token=t0ken-0123456789abc&msg=17&part=2\
                   &to=%p&type=%d&reply=%A";
        let encoded: String = byte_serialize(dlr.as_bytes()).collect();
        assert!(
            url.ends_with(&format!("&dlr-mask=27&dlr-url={encoded}")),
            "{url}"
        );
    }

    #[test]
    fn answers_are_classified() {
        let to = ["+1", "+2"];
        let ok = |text: &str| Ok::<String, Outcome>(text.to_string());
        for body in [
            "0: Accepted for delivery",
            "3: Queued for later delivery",
            "Sent.",
        ] {
            assert_eq!(
                classify(202, body, &to),
                [ok(&format!("202 {body}")), ok(&format!("202 {body}"))]
            );
        }
        let denied = classify(202, "Sent. Denied receivers are: +2", &to);
        assert_eq!(denied[0], ok("202 Sent. Denied receivers are: +2"));
        assert_eq!(
            denied[1],
            Err(Outcome::Failed(
                "denied by Kannel: 202 Sent. Denied receivers are: +2".into()
            ))
        );
        let forbidden = Outcome::Failed("403 Authorization failed for sendsms".into());
        assert_eq!(
            classify(403, "Authorization failed for sendsms", &to),
            [Err(forbidden.clone()), Err(forbidden)]
        );
        let bad = classify(
            400,
            "Number(s) has/have been denied by white- and/or black-lists.",
            &to[..1],
        );
        assert!(matches!(&bad[0], Err(Outcome::Failed(why)) if why.starts_with("400 Number(s)")));
        let later = Outcome::RetryLater("503 Temporal failure, try again later.".into());
        assert_eq!(
            classify(503, "Temporal failure, try again later.", &to[..1]),
            [Err(later)]
        );
        let failed = classify(500, "Sending failed. Failed receivers are: +1", &to);
        assert!(matches!(&failed[0], Err(Outcome::RetryLater(_))));
        assert!(failed[1].is_ok());
        assert!(matches!(
            &classify(302, "", &to[..1])[0],
            Err(Outcome::Failed(_))
        ));
        assert!(matches!(
            &classify(429, "slow down", &to[..1])[0],
            Err(Outcome::RetryLater(_))
        ));
    }

    #[test]
    fn a_refusal_after_an_accepted_part_is_retried_with_a_note() {
        let mut progress = Progress::new("+8801711000001");
        progress.record(Ok("202 Sent.".into()), 1, 3);
        progress.record(Err(Outcome::Failed("400 bad".into())), 2, 3);
        assert_eq!(
            progress.finish(3),
            Outcome::RetryLater(
                "part 2 of 3 not accepted (400 bad); the 1 part(s) before it were and will be \
                 sent again"
                    .into()
            )
        );
        let mut first = Progress::new("+8801711000001");
        first.record(Err(Outcome::Failed("403 no".into())), 1, 2);
        assert_eq!(first.finish(2), Outcome::Failed("403 no".into()));
        let mut whole = Progress::new("+8801711000001");
        whole.record(Ok("202 a".into()), 1, 2);
        whole.record(Ok("202 b".into()), 2, 2);
        assert_eq!(whole.finish(2), Outcome::Sent("202 b (2 parts)".into()));
    }

    #[test]
    fn numbers_kannel_would_drop_fail_before_any_request() {
        for good in ["+8801711000001", "8801711000001", "123"] {
            assert!(is_sendable_number(good), "{good}");
        }
        for bad in [
            "",
            "+",
            "+880 171",
            "+880-171",
            "reader@example.com",
            "+12345678901234567890123",
        ] {
            assert!(!is_sendable_number(bad), "{bad}");
        }
        // Nothing listens on port 9: a request would be RetryLater, not Failed.
        let kannel = gateway("http://127.0.0.1:9/cgi-bin/sendsms", None);
        let outcome = kannel.send(&[&message(1, "+880 171", super::super::tests::sms("hi"))]);
        assert!(
            matches!(&outcome[0], Outcome::Failed(why) if why.contains("not a number")),
            "{outcome:?}"
        );
    }

    #[test]
    fn national_shift_headers_are_found() {
        assert!(!has_national_shift(&[]));
        assert!(!has_national_shift(&pdu::from_hex("050003AB0201").unwrap()));
        assert!(has_national_shift(&pdu::from_hex("03250106").unwrap()));
        assert!(has_national_shift(
            &pdu::from_hex("080003AB020124010D").unwrap()
        ));
        // A length octet larger than the header, or an IE running past it, stops the walk.
        assert!(!has_national_shift(&pdu::from_hex("FF0003").unwrap()));
        assert!(!has_national_shift(&pdu::from_hex("0300FF").unwrap()));
    }

    #[test]
    fn configuration_errors_name_the_key_or_variable() {
        let base = "kind = \"kannel\"\nurl = \"http://127.0.0.1:13013/cgi-bin/sendsms\"";
        let error = |keys: &str| KannelGateway::open(&target(keys)).unwrap_err().to_string();
        assert_eq!(
            error(base),
            "target t: username_env is missing (Kannel's sendsms-user)"
        );
        let unset =
            format!("{base}\nusername_env = \"PATH\"\npassword_env = \"NEWSDIGEST_UNSET_PW\"");
        assert_eq!(
            error(&unset),
            "target t: the environment variable NEWSDIGEST_UNSET_PW (password_env) is not set"
        );
        let both = format!("{base}\nusername_env = \"PATH\"\npassword_env = \"PATH\"");
        assert_eq!(
            error(&format!("{both}\nbatch = 0")),
            "target t: batch must be between 1 and 100"
        );
        let opened = KannelGateway::open(&target(&format!("{both}\nbatch = 5"))).unwrap();
        assert_eq!(opened.batch_size(), 5);
        assert_eq!(KannelGateway::open(&target(&both)).unwrap().batch_size(), 1);
        let shown = format!("{opened:?}");
        assert!(!shown.contains(&std::env::var("PATH").unwrap()), "{shown}");
    }

    #[test]
    fn emails_and_unknown_encodings_fail() {
        let kannel = gateway("http://127.0.0.1:9/cgi-bin/sendsms", None);
        let mail = message(1, "+8801711000001", super::super::tests::email_content());
        assert_eq!(
            kannel.send(&[&mail]),
            [Outcome::Failed(
                "Kannel sends SMS; this message is an email".into()
            )]
        );
    }
}
