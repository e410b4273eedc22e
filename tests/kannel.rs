//! Delivery through a real Kannel (bearerbox, smsbox, and fakesmsc as the SMSC; see
//! `support/kannel.rs`): our parts arrive as we measured them, with our user-data header and the
//! right data coding, batched recipients each get every part, and Kannel's refusals and absence
//! become the right outcomes.

mod support;

use std::sync::Arc;
use std::time::Duration;

use newsdigest::bulletin::deliver::kannel::{KannelGateway, KannelSettings};
use newsdigest::bulletin::deliver::{Gateway, Outcome};
use newsdigest::bulletin::outbox::{Content, Message, Render, SmsPart};
use newsdigest::sms::report::Report;
use newsdigest::sms::{self, ConcatRef, Encoding, Options};
use support::kannel::{Kannel, PASSWORD, USERNAME};

const BENGALI: &str = "ঢাকায় আজ ভারী বৃষ্টি হয়েছে, নগরের অনেক সড়কে পানি জমে যান চলাচল \
                       ব্যাহত হয়েছে। আবহাওয়া অধিদপ্তর জানিয়েছে।";

/// The render of `text` as the project measures and encodes it (`count --format json`).
fn render(text: &str) -> Arc<Render> {
    let report = Report::new(&sms::measure(text, &Options::default()), ConcatRef::Eight);
    let encoding = match report.encoding {
        Encoding::Gsm7 => "gsm7",
        Encoding::Ucs2 => "ucs2",
    };
    let parts = report
        .parts
        .iter()
        .map(|part| SmsPart {
            udh: part.udh.clone().unwrap(),
            payload: part.payload.clone().unwrap(),
            text: part.text.clone(),
        })
        .collect();
    Arc::new(Render {
        locale: "bn".into(),
        zone: "Asia/Dhaka".into(),
        content: Content::Sms {
            text: report.text,
            encoding: encoding.into(),
            parts,
        },
    })
}

fn parts(render: &Render) -> &[SmsPart] {
    match &render.content {
        Content::Sms { parts, .. } => parts,
        Content::Email { .. } => unreachable!("an SMS render"),
    }
}

fn message(id: i64, address: &str, render: &Arc<Render>) -> Message {
    Message {
        id,
        bulletin: "morning".into(),
        slot: "2025-04-23T01:00:00Z".parse().unwrap(),
        address: address.into(),
        name: None,
        target: "kannel".into(),
        attempts: 0,
        render: Arc::clone(render),
        quiet: None,
    }
}

fn gateway(url: &str, password: &str, batch: usize) -> KannelGateway {
    KannelGateway::new(KannelSettings {
        url: url.into(),
        username: USERNAME.into(),
        password: password.into(),
        from: Some("NEWS".into()),
        batch,
        timeout: Duration::from_secs(10),
        reports: None,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[test]
fn a_bengali_two_part_message_reaches_three_subscribers_with_our_header() {
    let Some(kannel) = Kannel::start() else {
        return;
    };
    let render = render(BENGALI);
    let parts = parts(&render);
    assert_eq!(parts.len(), 2, "the text must measure two UCS-2 segments");
    let to = ["+8801711000001", "+8801711000002", "+8801711000003"];
    let messages: Vec<Message> = (0..3)
        .map(|i| message(i, to[i as usize], &render))
        .collect();
    let batch: Vec<&Message> = messages.iter().collect();

    let outcomes = gateway(&kannel.sendsms_url(), PASSWORD, 3).send(&batch);

    let sent = Outcome::Sent("202 0: Accepted for delivery (2 parts)".into());
    assert_eq!(
        outcomes,
        [sent.clone(), sent.clone(), sent],
        "{}",
        kannel.logs()
    );
    let received = kannel.wait_for(6);
    assert_eq!(
        received.len(),
        6,
        "exactly two parts each:\n{}",
        kannel.logs()
    );
    for part in parts {
        println!(
            "fakesmsc: {}",
            received
                .iter()
                .find(|r| hex(&r.udh) == part.udh)
                .unwrap()
                .line
        );
    }
    for address in to {
        let mine: Vec<_> = received.iter().filter(|r| r.to == address).collect();
        assert_eq!(mine.len(), 2, "{address}");
        for (got, part) in mine.iter().zip(parts) {
            assert_eq!((got.from.as_str(), got.kind.as_str()), ("NEWS", "udh"));
            assert_eq!(hex(&got.udh), part.udh, "our header, untouched");
            assert_eq!(
                hex(&got.data),
                part.payload,
                "our UCS-2 payload, not re-split"
            );
        }
    }
    let logged = kannel.sent();
    assert_eq!(logged.len(), 6);
    assert!(logged.iter().all(|sent| sent.coding == 2), "{logged:?}");
}

#[test]
fn english_arrives_as_gsm7_text_and_full_parts_are_not_cut() {
    let Some(kannel) = Kannel::start() else {
        return;
    };
    let single = render("Dhaka: rain {heavy} expected; bus fares up €5 [BSS]");
    let reader = message(1, "+8801711000001", &single);
    let outcomes = gateway(&kannel.sendsms_url(), PASSWORD, 1).send(&[&reader]);
    assert_eq!(
        outcomes,
        [Outcome::Sent("202 0: Accepted for delivery".into())]
    );
    let received = kannel.wait_for(1);
    assert_eq!(received.len(), 1, "{}", kannel.logs());
    println!("fakesmsc: {}", received[0].line);
    assert_eq!(received[0].kind, "text");
    assert_eq!(
        String::from_utf8_lossy(&received[0].data),
        "Dhaka: rain {heavy} expected; bus fares up €5 [BSS]"
    );

    // Two GSM-7 parts of 153 septets, escapes (€, {, }) included: Kannel keeps each whole.
    let long = "Flood {alert} €20 relief: ".repeat(9);
    let double = render(&long);
    let report = sms::measure(&long, &Options::default());
    let units: Vec<usize> = report.parts.iter().map(|part| part.units).collect();
    assert_eq!(units, [153, 108]);
    let outcomes =
        gateway(&kannel.sendsms_url(), PASSWORD, 1).send(&[&message(2, "+8801711000002", &double)]);
    assert!(matches!(&outcomes[0], Outcome::Sent(_)), "{outcomes:?}");
    let received = kannel.wait_for(3);
    assert_eq!(received.len(), 3, "{}", kannel.logs());
    for (got, part) in received[1..].iter().zip(parts(&double)) {
        println!("fakesmsc: {}", got.line);
        assert_eq!(
            (got.kind.as_str(), hex(&got.udh)),
            ("udh", part.udh.clone())
        );
        assert_eq!(
            String::from_utf8_lossy(&got.data),
            part.text,
            "the whole part"
        );
    }
    let codings: Vec<i32> = kannel.sent().iter().map(|sent| sent.coding).collect();
    assert_eq!(codings, [0, 0, 0]);
}

#[test]
fn a_wrong_password_fails_for_good_and_sends_nothing() {
    let Some(kannel) = Kannel::start() else {
        return;
    };
    let render = render(BENGALI);
    let reader = message(1, "+8801711000001", &render);
    let outcomes = gateway(&kannel.sendsms_url(), "wrong", 1).send(&[&reader]);
    assert_eq!(
        outcomes,
        [Outcome::Failed(
            "403 Authorization failed for sendsms".into()
        )]
    );
    assert!(kannel.wait_for(0).is_empty());
}

#[test]
fn kannel_not_running_is_retried_later() {
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/cgi-bin/sendsms");
    let render = render(BENGALI);
    let readers = [
        message(1, "+8801711000001", &render),
        message(2, "+8801711000002", &render),
    ];
    let outcomes = gateway(&url, PASSWORD, 2).send(&[&readers[0], &readers[1]]);
    let later = Outcome::RetryLater("connection refused".into());
    assert_eq!(outcomes, [later.clone(), later]);
}

#[test]
fn a_number_kannel_would_split_or_drop_fails_and_the_others_arrive() {
    let Some(kannel) = Kannel::start() else {
        return;
    };
    let render = render("Dhaka rain alert.");
    // A space would make Kannel send to `+880` and `1711000009`.
    let readers = [
        message(1, "+8801711000001", &render),
        message(2, "+880 1711000009", &render),
        message(3, "+8801711000003", &render),
    ];
    let outcomes =
        gateway(&kannel.sendsms_url(), PASSWORD, 3).send(&[&readers[0], &readers[1], &readers[2]]);
    let sent = Outcome::Sent("202 0: Accepted for delivery".into());
    let refused = Outcome::Failed(
        "\"+880 1711000009\" is not a number Kannel's sendsms takes (+ and digits)".into(),
    );
    assert_eq!(outcomes, [sent.clone(), refused, sent]);
    let mut to: Vec<String> = kannel.wait_for(2).into_iter().map(|r| r.to).collect();
    to.sort();
    assert_eq!(
        to,
        ["+8801711000001", "+8801711000003"],
        "{}",
        kannel.logs()
    );
}
