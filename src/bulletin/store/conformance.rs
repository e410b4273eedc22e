//! What every [`Store`] must do, as checks over `&mut dyn Store`, so both backends (SQLite and
//! PostgreSQL) run the same suite from this one source: [`store_suite!`] makes one test per check
//! for a backend, given how to open a fresh store; [`check_all`] runs them all on one store.
//!
//! Each check uses bulletins (and targets) of its own and leaves no message `sending`, so the
//! checks can share one store.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};

use super::{Claimant, Filter, Step, Store, Sweep, UncertainPolicy};
use crate::bulletin::delivery::{PartReport, PartStatus, Recorded};
use crate::bulletin::outbox::{
    Content, Delivery, Message, OPTED_OUT, Plan, Recipient, Render, SmsPart, Status,
};
use crate::error::Error;

/// One `#[test]` per check for a backend: `store_suite!(fresh())`, where `fresh()` gives an
/// `Option` of a new store (anything that derefs mutably to `dyn Store`): `None` when the
/// backend is missing here and the test passes without checking (its harness says why).
#[macro_export]
#[doc(hidden)]
macro_rules! store_suite {
    ($fresh:expr) => {
        $crate::store_suite!(
            @tests ($fresh)
            plans_a_slot_once,
            knows_the_last_slot,
            knows_the_stories_sent,
            hands_out_due_messages_in_order,
            shares_one_render_between_its_messages,
            moves_through_every_status,
            refuses_steps_out_of_order,
            recovers_holding_uncertain_messages,
            recovers_resending_uncertain_messages,
            filters_history,
            retries_all_but_sent_messages,
            claims_each_message_once,
            recovers_only_expired_leases,
            finishes_a_window_at_once,
            books_rate_limit_departures_in_turn,
            counts_each_bulletin_status,
            combines_part_reports_never_backwards,
            keeps_the_opt_out_list,
            records_skipped_and_later_recipients,
        );
    };
    (@tests ($fresh:expr) $($check:ident),* $(,)?) => {
        $(
            #[test]
            fn $check() {
                if let Some(mut store) = $fresh {
                    $crate::bulletin::store::conformance::$check(&mut *store);
                }
            }
        )*
    };
}

/// Runs every check on one store.
pub fn check_all(store: &mut dyn Store) {
    plans_a_slot_once(store);
    knows_the_last_slot(store);
    knows_the_stories_sent(store);
    hands_out_due_messages_in_order(store);
    shares_one_render_between_its_messages(store);
    moves_through_every_status(store);
    refuses_steps_out_of_order(store);
    recovers_holding_uncertain_messages(store);
    recovers_resending_uncertain_messages(store);
    filters_history(store);
    retries_all_but_sent_messages(store);
    claims_each_message_once(store);
    recovers_only_expired_leases(store);
    finishes_a_window_at_once(store);
    books_rate_limit_departures_in_turn(store);
    counts_each_bulletin_status(store);
    combines_part_reports_never_backwards(store);
    keeps_the_opt_out_list(store);
    records_skipped_and_later_recipients(store);
}

/// The worker the checks claim as, with an hour's lease.
pub fn worker() -> Claimant {
    Claimant {
        worker: "host-a:1".into(),
        lease: StdDuration::from_secs(3600),
    }
}

/// `2025-04-23T07:00:00Z` plus `hours`.
pub fn at(hours: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_745_391_600, 0).unwrap() + Duration::hours(hours)
}

/// An SMS render for `locale` in `zone`.
pub fn sms_render(locale: &str, zone: &str, text: &str) -> Render {
    Render {
        locale: locale.into(),
        zone: zone.into(),
        content: Content::Sms {
            text: text.into(),
            encoding: "gsm7".into(),
            parts: vec![SmsPart {
                udh: String::new(),
                payload: "c8329bfd06".into(),
                text: text.into(),
            }],
        },
    }
}

/// A plan for `bulletin`'s slot at `slot` hours, planned then: an English render in Dhaka and a
/// Bengali one in London, recipients alternating between them, stories `s1`, `s2`.
pub fn plan(bulletin: &str, slot: i64, addresses: &[&str]) -> Plan {
    Plan {
        bulletin: bulletin.into(),
        slot: at(slot),
        channel: "sms".into(),
        target: "spool".into(),
        stories: vec![format!("{bulletin}-s1"), format!("{bulletin}-s2")],
        renders: vec![
            sms_render("en", "Asia/Dhaka", "Morning news"),
            sms_render("bn", "Europe/London", "সকালের খবর"),
        ],
        recipients: addresses
            .iter()
            .enumerate()
            .map(|(index, address)| Recipient {
                address: address.to_string(),
                name: (index == 0).then(|| "First".to_string()),
                render: index % 2,
                ..Recipient::default()
            })
            .collect(),
        planned_at: at(slot),
        planned_by: "host-a:1".into(),
    }
}

fn only(bulletin: &str) -> Filter {
    Filter {
        bulletins: vec![bulletin.into()],
        ..Filter::default()
    }
}

fn due_of(store: &mut dyn Store, bulletin: &str, now: DateTime<Utc>) -> Vec<Message> {
    store.due(&[bulletin.to_string()], now, 1000).unwrap()
}

fn statuses(store: &mut dyn Store, bulletin: &str) -> Vec<(String, Status, u32)> {
    let rows = store.history(&only(bulletin)).unwrap();
    rows.into_iter()
        .map(|row| (row.address, row.status, row.attempts))
        .collect()
}

pub fn plans_a_slot_once(store: &mut dyn Store) {
    assert!(
        store
            .record_plan(&plan("once", 0, &["+8801711111111"]))
            .unwrap()
    );
    let mut again = plan("once", 0, &["+8801722222222", "+8801733333333"]);
    again.stories = vec!["once-other".into()];
    assert!(
        !store.record_plan(&again).unwrap(),
        "a slot is planned once"
    );
    let rows = store.history(&only("once")).unwrap();
    assert_eq!(rows.len(), 1, "the second plan recorded no message");
    assert_eq!(rows[0].address, "+8801711111111");
    let keys = vec!["once-other".to_string()];
    assert!(store.sent_stories("once", &keys).unwrap().is_empty());
    assert!(
        store
            .record_plan(&plan("once", 12, &["+8801711111111"]))
            .unwrap()
    );
    assert_eq!(store.history(&only("once")).unwrap().len(), 2);
}

pub fn knows_the_last_slot(store: &mut dyn Store) {
    assert_eq!(store.last_slot("last").unwrap(), None);
    assert!(
        store
            .record_plan(&plan("last", 12, &["a@example.com"]))
            .unwrap()
    );
    assert!(
        store
            .record_plan(&plan("last", 0, &["a@example.com"]))
            .unwrap()
    );
    assert!(
        store
            .record_plan(&plan("last-other", 48, &["a@example.com"]))
            .unwrap()
    );
    assert_eq!(store.last_slot("last").unwrap(), Some(at(12)));
}

pub fn knows_the_stories_sent(store: &mut dyn Store) {
    assert!(
        store
            .record_plan(&plan("stories", 0, &["a@example.com"]))
            .unwrap()
    );
    let keys: Vec<String> = ["stories-s2", "stories-new", "stories-s1"]
        .map(String::from)
        .to_vec();
    assert_eq!(
        store.sent_stories("stories", &keys).unwrap(),
        ["stories-s2", "stories-s1"]
    );
    assert!(
        store
            .sent_stories("stories-else", &keys)
            .unwrap()
            .is_empty(),
        "stories are sent per bulletin"
    );
    assert!(store.sent_stories("stories", &[]).unwrap().is_empty());
}

pub fn hands_out_due_messages_in_order(store: &mut dyn Store) {
    // The later slot is recorded first; the oldest slot still comes first.
    assert!(
        store
            .record_plan(&plan("order", 24, &["+15550000003"]))
            .unwrap()
    );
    assert!(
        store
            .record_plan(&plan("order", 0, &["+15550000001", "+15550000002"]))
            .unwrap()
    );
    let future = plan("order", 48, &["+15550000004"]);
    assert!(store.record_plan(&future).unwrap());
    let due = due_of(store, "order", at(30));
    let addresses: Vec<&str> = due.iter().map(|m| m.address.as_str()).collect();
    assert_eq!(addresses, ["+15550000001", "+15550000002", "+15550000003"]);
    assert_eq!(due[0].slot, at(0));
    assert_eq!(due[0].name.as_deref(), Some("First"));
    assert_eq!(due[0].target, "spool");
    assert_eq!(due[0].attempts, 0);
    assert_eq!(*due[1].render, plan("order", 0, &[]).renders[1]);
    let limited = store.due(&["order".into()], at(30), 2).unwrap();
    assert_eq!(limited.len(), 2);
    assert_eq!(limited[1].address, "+15550000002");
    assert!(
        due_of(store, "order", at(-1)).is_empty(),
        "nothing is due before its plan"
    );
    assert!(due_of(store, "order-else", at(30)).is_empty());
    // A retry waits for its next try.
    let first = due[0].id;
    store.mark_sending(&[first], at(30), &worker()).unwrap();
    store.mark_retry(first, at(31), "HTTP 503").unwrap();
    assert_eq!(due_of(store, "order", at(30)).len(), 2);
    let later = due_of(store, "order", at(31));
    assert_eq!(later[0].id, first);
    assert_eq!(later[0].attempts, 1);
    let all = store.due(&[], at(100), usize::MAX).unwrap();
    assert_eq!(all.iter().filter(|m| m.bulletin == "order").count(), 4);
}

pub fn shares_one_render_between_its_messages(store: &mut dyn Store) {
    let addresses = ["a@example.com", "b@example.com", "c@example.com"];
    assert!(store.record_plan(&plan("shared", 0, &addresses)).unwrap());
    let due = due_of(store, "shared", at(0));
    assert_eq!(due.len(), 3);
    let english: Vec<&Message> = due.iter().filter(|m| m.render.locale == "en").collect();
    assert_eq!(english.len(), 2);
    assert!(Arc::ptr_eq(&english[0].render, &english[1].render));
    assert_eq!(*english[0].render, plan("shared", 0, &[]).renders[0]);
    // Grouped by render: both English messages come before the Bengali one.
    assert_eq!(due[2].render.locale, "bn");
}

pub fn moves_through_every_status(store: &mut dyn Store) {
    let addresses = ["+15551000001", "+15551000002"];
    assert!(store.record_plan(&plan("steps", 0, &addresses)).unwrap());
    let ids: Vec<i64> = due_of(store, "steps", at(0)).iter().map(|m| m.id).collect();
    store.mark_sending(&ids, at(0), &worker()).unwrap();
    assert_eq!(
        statuses(store, "steps"),
        [
            (addresses[0].into(), Status::Sending, 1),
            (addresses[1].into(), Status::Sending, 1)
        ]
    );
    assert!(
        due_of(store, "steps", at(0)).is_empty(),
        "sending is not due"
    );
    store.mark_retry(ids[0], at(1), "HTTP 503").unwrap();
    store
        .mark_failed(ids[1], at(0), "HTTP 400 bad number")
        .unwrap();
    store.mark_sending(&ids[..1], at(1), &worker()).unwrap();
    store
        .mark_sent(ids[0], at(1), "0: Accepted for delivery")
        .unwrap();
    let rows = store.history(&only("steps")).unwrap();
    assert_eq!((rows[0].status, rows[0].attempts), (Status::Sent, 2));
    assert_eq!(rows[0].sent_at.as_deref(), Some("2025-04-23T08:00:00Z"));
    assert_eq!(rows[0].answer.as_deref(), Some("0: Accepted for delivery"));
    assert_eq!(rows[0].last_error.as_deref(), Some("HTTP 503"));
    assert_eq!((rows[1].status, rows[1].attempts), (Status::Failed, 1));
    assert_eq!(rows[1].sent_at, None);
    assert_eq!(rows[1].answer.as_deref(), Some("HTTP 400 bad number"));
    assert!(due_of(store, "steps", at(100)).is_empty());
}

fn assert_state_error(result: crate::error::Result<()>, says: &str) {
    match result {
        Err(Error::State { message, .. }) => assert!(message.contains(says), "{message}"),
        other => panic!("expected a state error saying {says:?}, got {other:?}"),
    }
}

pub fn refuses_steps_out_of_order(store: &mut dyn Store) {
    let addresses = ["+15552000001", "+15552000002"];
    assert!(store.record_plan(&plan("strict", 0, &addresses)).unwrap());
    let ids: Vec<i64> = due_of(store, "strict", at(0))
        .iter()
        .map(|m| m.id)
        .collect();
    assert_state_error(
        store.mark_sent(ids[0], at(0), "ok"),
        "is pending, not sending",
    );
    assert_state_error(store.mark_retry(ids[0], at(1), "x"), "not sending");
    assert_state_error(store.mark_failed(ids[0], at(0), "x"), "not sending");
    assert_state_error(
        store.mark_sending(&[i64::MAX], at(0), &worker()),
        "no message",
    );
    store.mark_sending(&ids[..1], at(0), &worker()).unwrap();
    // All or nothing: the second id is pending, the first is not.
    assert_state_error(
        store.mark_sending(&[ids[1], ids[0]], at(0), &worker()),
        "is sending, not pending",
    );
    store.mark_sent(ids[0], at(0), "ok").unwrap();
    assert_state_error(
        store.mark_sending(&ids[..1], at(0), &worker()),
        "is sent, not pending",
    );
    assert_eq!(
        statuses(store, "strict"),
        [
            (addresses[0].into(), Status::Sent, 1),
            (addresses[1].into(), Status::Pending, 0)
        ]
    );
}

/// Plans `bulletin` with three recipients: the first sent, the other two left `sending` as by a
/// killed run. Returns their ids.
fn interrupted(store: &mut dyn Store, bulletin: &str) -> Vec<i64> {
    let addresses = ["+15553000001", "+15553000002", "+15553000003"];
    assert!(store.record_plan(&plan(bulletin, 0, &addresses)).unwrap());
    let ids: Vec<i64> = due_of(store, bulletin, at(0))
        .iter()
        .map(|m| m.id)
        .collect();
    store.mark_sending(&ids, at(0), &worker()).unwrap();
    store.mark_sent(ids[0], at(0), "ok").unwrap();
    ids
}

pub fn recovers_holding_uncertain_messages(store: &mut dyn Store) {
    interrupted(store, "held");
    let found = store
        .recover(&|_| UncertainPolicy::Hold, at(2), Sweep::All)
        .unwrap();
    assert_eq!(found, 2);
    let rows = store.history(&only("held")).unwrap();
    let held: Vec<Status> = rows.iter().map(|r| r.status).collect();
    assert_eq!(held, [Status::Sent, Status::Uncertain, Status::Uncertain]);
    assert!(
        rows[1]
            .last_error
            .as_deref()
            .unwrap()
            .starts_with("uncertain")
    );
    assert!(
        due_of(store, "held", at(100)).is_empty(),
        "held, not sent again"
    );
    assert_eq!(
        store
            .recover(&|_| UncertainPolicy::Resend, at(3), Sweep::All)
            .unwrap(),
        0
    );
    assert_eq!(store.retry(&only("held"), at(4)).unwrap(), 2);
    let due = due_of(store, "held", at(4));
    assert_eq!(due.len(), 2);
    assert_eq!(due[0].attempts, 0);
    assert!(
        due_of(store, "held", at(3)).is_empty(),
        "due from the retry on"
    );
}

pub fn recovers_resending_uncertain_messages(store: &mut dyn Store) {
    interrupted(store, "resent");
    interrupted(store, "resent-held");
    let policy = |bulletin: &str| match bulletin {
        "resent" => UncertainPolicy::Resend,
        _ => UncertainPolicy::Hold,
    };
    assert_eq!(store.recover(&policy, at(2), Sweep::All).unwrap(), 4);
    let due = due_of(store, "resent", at(2));
    assert_eq!(due.len(), 2, "resent at once");
    assert_eq!(due[0].attempts, 1, "the interrupted attempt still counts");
    assert!(due_of(store, "resent", at(1)).is_empty());
    let rows = store.history(&only("resent")).unwrap();
    assert_eq!(rows[1].status, Status::Pending);
    assert_eq!(
        rows[1].last_error.as_deref(),
        Some("uncertain: resent after an interrupted run")
    );
    let held = statuses(store, "resent-held");
    assert_eq!(held[1].1, Status::Uncertain, "each bulletin has its policy");
    // Sent again, the note stays visible.
    let ids: Vec<i64> = due.iter().map(|m| m.id).collect();
    store.mark_sending(&ids, at(2), &worker()).unwrap();
    for id in ids {
        store.mark_sent(id, at(2), "ok").unwrap();
    }
    let rows = store.history(&only("resent")).unwrap();
    assert_eq!((rows[1].status, rows[1].attempts), (Status::Sent, 2));
    assert!(rows[1].last_error.as_deref().unwrap().contains("resent"));
}

pub fn filters_history(store: &mut dyn Store) {
    assert!(
        store
            .record_plan(&plan("hist-a", 0, &["a1@example.com"]))
            .unwrap()
    );
    assert!(
        store
            .record_plan(&plan("hist-a", 24, &["a2@example.com"]))
            .unwrap()
    );
    assert!(
        store
            .record_plan(&plan("hist-b", 12, &["b1@example.com"]))
            .unwrap()
    );
    let both = Filter {
        bulletins: vec!["hist-a".into(), "hist-b".into()],
        ..Filter::default()
    };
    let rows = store.history(&both).unwrap();
    let addresses: Vec<&str> = rows.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addresses,
        ["a1@example.com", "b1@example.com", "a2@example.com"]
    );
    let first = &rows[0];
    assert_eq!(first.slot, "2025-04-23T07:00:00Z");
    assert_eq!(
        (first.channel.as_str(), first.target.as_str()),
        ("sms", "spool")
    );
    assert_eq!(
        (first.locale.as_str(), first.zone.as_str()),
        ("en", "Asia/Dhaka")
    );
    assert_eq!(first.stories, ["hist-a-s1", "hist-a-s2"]);
    assert_eq!(first.status, Status::Pending);
    let since = Filter {
        since: Some(at(12)),
        ..both.clone()
    };
    let rows = store.history(&since).unwrap();
    assert_eq!(rows.len(), 2, "slots at or after --since");
    assert_eq!(rows[0].address, "b1@example.com");
    let id = due_of(store, "hist-b", at(12))[0].id;
    store.mark_sending(&[id], at(12), &worker()).unwrap();
    store.mark_failed(id, at(12), "refused").unwrap();
    let failed = Filter {
        statuses: vec![Status::Failed, Status::Sent],
        ..both.clone()
    };
    let rows = store.history(&failed).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].address, "b1@example.com");
    assert!(store.history(&only("hist-none")).unwrap().is_empty());
}

pub fn retries_all_but_sent_messages(store: &mut dyn Store) {
    let addresses = [
        "+15554000001",
        "+15554000002",
        "+15554000003",
        "+15554000004",
    ];
    assert!(store.record_plan(&plan("again", 0, &addresses)).unwrap());
    assert!(
        store
            .record_plan(&plan("again-else", 0, &addresses[..1]))
            .unwrap()
    );
    let ids: Vec<i64> = due_of(store, "again", at(0)).iter().map(|m| m.id).collect();
    store.mark_sending(&ids, at(0), &worker()).unwrap();
    store.mark_sent(ids[0], at(0), "ok").unwrap();
    store.mark_failed(ids[1], at(0), "refused").unwrap();
    store.mark_retry(ids[2], at(50), "HTTP 503").unwrap();
    let other = due_of(store, "again-else", at(0))[0].id;
    store.mark_sending(&[other], at(0), &worker()).unwrap();
    store.mark_failed(other, at(0), "refused").unwrap();
    store
        .recover(&|_| UncertainPolicy::Hold, at(1), Sweep::All)
        .unwrap();
    assert_eq!(store.retry(&only("again"), at(2)).unwrap(), 3);
    let rows = store.history(&only("again")).unwrap();
    let after: Vec<(Status, u32)> = rows.iter().map(|r| (r.status, r.attempts)).collect();
    assert_eq!(
        after,
        [
            (Status::Sent, 1),
            (Status::Pending, 0),
            (Status::Pending, 0),
            (Status::Pending, 0)
        ]
    );
    assert_eq!(due_of(store, "again", at(2)).len(), 3, "all due now");
    assert_eq!(
        statuses(store, "again-else")[0].1,
        Status::Failed,
        "other bulletins untouched"
    );
    let only_failed = Filter {
        statuses: vec![Status::Failed, Status::Sent],
        ..only("again")
    };
    assert_eq!(
        store.retry(&only_failed, at(3)).unwrap(),
        0,
        "never sent ones"
    );
}

pub fn claims_each_message_once(store: &mut dyn Store) {
    let addresses = ["+15555000001", "+15555000002", "+15555000003"];
    assert!(store.record_plan(&plan("claimed", 0, &addresses)).unwrap());
    let bulletins = ["claimed".to_string()];
    let order: Vec<String> = due_of(store, "claimed", at(0))
        .into_iter()
        .map(|m| m.address)
        .collect();
    let first = store.claim(&bulletins, at(0), 2, &worker()).unwrap();
    let got: Vec<&str> = first.iter().map(|m| m.address.as_str()).collect();
    assert_eq!(got, order[..2], "in the order `due` gives");
    assert_eq!(first[0].attempts, 0, "attempts before this one");
    assert_eq!(first[0].target, "spool");
    assert_eq!(first[0].render.locale, "en");
    let other = Claimant {
        worker: "host-b:2".into(),
        ..worker()
    };
    let second = store.claim(&bulletins, at(0), 10, &other).unwrap();
    assert_eq!(second.len(), 1, "a claimed message is not handed out again");
    assert_eq!(second[0].address, order[2]);
    assert!(
        store
            .claim(&bulletins, at(0), 10, &other)
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .claim(&["claimed-else".into()], at(0), 10, &other)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        statuses(store, "claimed"),
        addresses.map(|a| (a.to_string(), Status::Sending, 1)),
    );
    let status = store.status().unwrap();
    let claimed = status.iter().find(|s| s.bulletin == "claimed").unwrap();
    assert_eq!(claimed.sending.get("host-a:1"), Some(&2));
    assert_eq!(claimed.sending.get("host-b:2"), Some(&1));
    for message in first.iter().chain(&second) {
        store.mark_sent(message.id, at(0), "ok").unwrap();
    }
    assert!(
        store.claim(&[], at(1), 0, &worker()).unwrap().is_empty(),
        "a limit of nothing claims nothing"
    );
}

pub fn recovers_only_expired_leases(store: &mut dyn Store) {
    let addresses = ["+15556000001", "+15556000002"];
    assert!(store.record_plan(&plan("leased", 0, &addresses)).unwrap());
    let bulletins = ["leased".to_string()];
    let alive = store.claim(&bulletins, at(0), 1, &worker()).unwrap();
    let dead = Claimant {
        worker: "host-dead:9".into(),
        lease: StdDuration::ZERO,
    };
    let lost = store.claim(&bulletins, at(0), 1, &dead).unwrap();
    let hold = |_: &str| UncertainPolicy::Hold;
    assert_eq!(
        store.recover(&hold, at(1), Sweep::Expired).unwrap(),
        1,
        "only the lease that ran out"
    );
    let rows = store.history(&only("leased")).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.status).collect::<Vec<_>>(),
        [Status::Sending, Status::Uncertain]
    );
    assert_eq!(rows[1].address, lost[0].address);
    store.mark_sent(alive[0].id, at(1), "ok").unwrap();
    assert_eq!(store.recover(&hold, at(1), Sweep::Expired).unwrap(), 0);
}

pub fn finishes_a_window_at_once(store: &mut dyn Store) {
    let addresses = [
        "+15557000001",
        "+15557000002",
        "+15557000003",
        "+15557000004",
    ];
    assert!(store.record_plan(&plan("window", 0, &addresses)).unwrap());
    let claimed = store
        .claim(&["window".into()], at(0), 10, &worker())
        .unwrap();
    let mut ids: Vec<i64> = claimed.iter().map(|m| m.id).collect();
    ids.sort();
    let steps = vec![
        (ids[0], Step::Sent("0: Accepted".into())),
        (
            ids[1],
            Step::Retry {
                next_try: at(5),
                error: "HTTP 503".into(),
            },
        ),
        (ids[2], Step::Failed("HTTP 400".into())),
    ];
    store.finish(&steps, at(1)).unwrap();
    let rows = store.history(&only("window")).unwrap();
    let got: Vec<(Status, Option<&str>)> = rows
        .iter()
        .map(|r| (r.status, r.answer.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (Status::Sent, Some("0: Accepted")),
            (Status::Pending, Some("HTTP 503")),
            (Status::Failed, Some("HTTP 400")),
            (Status::Sending, None),
        ]
    );
    assert_eq!(rows[0].sent_at.as_deref(), Some("2025-04-23T08:00:00Z"));
    assert_eq!(due_of(store, "window", at(4)).len(), 0);
    assert_eq!(due_of(store, "window", at(5))[0].id, ids[1]);
    // A step on a message no longer sending refuses the whole window.
    let bad = vec![
        (ids[3], Step::Sent("ok".into())),
        (ids[0], Step::Sent("again".into())),
    ];
    match store.finish(&bad, at(2)) {
        Err(Error::State { message, .. }) => {
            assert!(message.contains("is sent, not sending"), "{message}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        statuses(store, "window")[3].1,
        Status::Sending,
        "rolled back"
    );
    store.finish(&bad[..1], at(2)).unwrap();
}

pub fn books_rate_limit_departures_in_turn(store: &mut dyn Store) {
    let interval = StdDuration::from_millis(100);
    let first = store.reserve("paced", 10, interval).unwrap();
    assert!(first < StdDuration::from_millis(50), "{first:?}");
    let second = store.reserve("paced", 1, interval).unwrap();
    assert!(
        second > StdDuration::from_millis(800) && second <= StdDuration::from_millis(1000),
        "the next departure follows the ten booked: {second:?}"
    );
    let elsewhere = store.reserve("paced-else", 1, interval).unwrap();
    assert!(
        elsewhere < StdDuration::from_millis(50),
        "each target has its own"
    );
}

pub fn counts_each_bulletin_status(store: &mut dyn Store) {
    let addresses = ["+15558000001", "+15558000002", "+15558000003"];
    assert!(store.record_plan(&plan("counted", 0, &addresses)).unwrap());
    assert!(
        store
            .record_plan(&plan("counted", 24, &addresses[..1]))
            .unwrap()
    );
    let claimed = store
        .claim(&["counted".into()], at(30), 2, &worker())
        .unwrap();
    store.mark_sent(claimed[0].id, at(30), "ok").unwrap();
    store.mark_failed(claimed[1].id, at(30), "no").unwrap();
    let status = store.status().unwrap();
    let counted = status.iter().find(|s| s.bulletin == "counted").unwrap();
    assert_eq!(counted.last_slot.as_deref(), Some("2025-04-24T07:00:00Z"));
    assert_eq!(counted.planned_by.as_deref(), Some("host-a:1"));
    assert_eq!(
        (
            counted.pending,
            counted.sent,
            counted.failed,
            counted.uncertain
        ),
        (2, 1, 1, 0)
    );
    assert!(counted.sending.is_empty());
    let names: Vec<&str> = status.iter().map(|s| s.bulletin.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "by name");
}

/// A report on `part` of message `id`.
fn report(id: i64, part: Option<u32>, status: PartStatus) -> PartReport {
    PartReport {
        message: id,
        address: None,
        part,
        status,
        reason: None,
    }
}

pub fn combines_part_reports_never_backwards(store: &mut dyn Store) {
    let addresses = ["+15559000001", "+15559000002", "+15559000003"];
    let mut two_parts = plan("reported", 0, &addresses);
    for render in &mut two_parts.renders {
        if let Content::Sms { parts, .. } = &mut render.content {
            parts.push(parts[0].clone());
        }
    }
    assert!(store.record_plan(&two_parts).unwrap());
    let claimed = store
        .claim(&["reported".into()], at(0), 10, &worker())
        .unwrap();
    let id = |address: &str| claimed.iter().find(|m| m.address == address).unwrap().id;
    let (first, second, third) = (id(addresses[0]), id(addresses[1]), id(addresses[2]));
    let steps: Vec<(i64, Step)> = claimed
        .iter()
        .map(|m| (m.id, Step::Sent("0: Accepted for delivery".into())))
        .collect();
    store.finish(&steps, at(0)).unwrap();
    let record =
        |store: &mut dyn Store, report: PartReport| store.record_report(&report, at(1)).unwrap();
    // The phone's report on part 1 comes before the SMSC's acceptance of it.
    assert_eq!(
        record(store, report(first, Some(1), PartStatus::Delivered)),
        Recorded::Updated {
            message: first,
            delivery: Delivery::Accepted
        }
    );
    assert_eq!(
        record(store, report(first, Some(1), PartStatus::Accepted)),
        Recorded::Unchanged {
            message: first,
            delivery: Some(Delivery::Accepted)
        },
        "a late SMSC acceptance does not undo delivered"
    );
    assert_eq!(
        record(store, report(first, Some(1), PartStatus::Delivered)),
        Recorded::Unchanged {
            message: first,
            delivery: Some(Delivery::Accepted)
        },
        "a repeat changes nothing"
    );
    assert_eq!(
        record(store, report(first, Some(2), PartStatus::Delivered)),
        Recorded::Updated {
            message: first,
            delivery: Delivery::Delivered
        },
        "delivered only when both parts are"
    );
    assert_eq!(
        record(store, report(first, Some(2), PartStatus::Undelivered)),
        Recorded::Unchanged {
            message: first,
            delivery: Some(Delivery::Delivered)
        },
        "a final status stays"
    );
    assert_eq!(
        record(store, report(first, Some(3), PartStatus::Delivered)),
        Recorded::NoSuchPart { parts: 2 }
    );
    assert_eq!(
        record(store, report(first, Some(0), PartStatus::Delivered)),
        Recorded::NoSuchPart { parts: 2 }
    );
    assert_eq!(
        record(store, report(i64::MAX, Some(1), PartStatus::Delivered)),
        Recorded::Unknown
    );
    // A batched request's report names the first message and the real recipient.
    let batched = PartReport {
        address: Some(addresses[1].into()),
        reason: Some("absent subscriber".into()),
        ..report(first, Some(2), PartStatus::Undelivered)
    };
    assert_eq!(
        record(store, batched),
        Recorded::Updated {
            message: second,
            delivery: Delivery::Failed
        }
    );
    let stranger = PartReport {
        address: Some("+15550000000".into()),
        ..report(first, Some(1), PartStatus::Delivered)
    };
    assert_eq!(record(store, stranger), Recorded::Unknown);
    // A webhook's status on the whole message.
    assert_eq!(
        record(store, report(third, None, PartStatus::Delivered)),
        Recorded::Updated {
            message: third,
            delivery: Delivery::Delivered
        }
    );
    let rows = store.history(&only("reported")).unwrap();
    let row = |address: &str| rows.iter().find(|r| r.address == address).unwrap();
    assert_eq!(row(addresses[0]).delivery, Some(Delivery::Delivered));
    let parts: Vec<(u32, &str)> = row(addresses[0])
        .parts
        .iter()
        .map(|p| (p.part, p.status.as_str()))
        .collect();
    assert_eq!(parts, [(1, "delivered"), (2, "delivered")]);
    assert_eq!(row(addresses[1]).delivery, Some(Delivery::Failed));
    assert_eq!(
        row(addresses[1]).delivery_note.as_deref(),
        Some("part 2 of 2 undelivered: absent subscriber")
    );
    assert_eq!(row(addresses[2]).parts.len(), 2);
    let status = store.status().unwrap();
    let counted = status.iter().find(|s| s.bulletin == "reported").unwrap();
    assert_eq!(
        (counted.sent, counted.delivered, counted.undelivered),
        (3, 2, 1)
    );
    assert_eq!(
        (
            counted.slots[0].delivered,
            counted.slots[0].failed,
            counted.slots[0].sent
        ),
        (2, 1, 0)
    );
}

pub fn keeps_the_opt_out_list(store: &mut dyn Store) {
    let (reader, other) = ("+15559100001".to_string(), "+15559100002".to_string());
    assert!(store.opt_out(&reader, "STOP", at(0)).unwrap());
    assert!(!store.opt_out(&reader, "বন্ধ", at(1)).unwrap(), "already");
    let both = [reader.clone(), other.clone()];
    assert_eq!(
        store.opted_out(&both).unwrap(),
        [reader.clone()].into_iter().collect()
    );
    assert!(store.opt_in(&reader).unwrap());
    assert!(!store.opt_in(&reader).unwrap(), "not any more");
    assert!(store.opted_out(&both).unwrap().is_empty());
}

pub fn records_skipped_and_later_recipients(store: &mut dyn Store) {
    let addresses = ["+15559200001", "+15559200002", "+15559200003"];
    let mut planned = plan("quietly", 0, &addresses);
    planned.recipients[1].skip = Some(OPTED_OUT.into());
    planned.recipients[2].send_after = Some(at(8));
    planned.recipients[2].quiet = Some("22:00-07:00".into());
    assert!(store.record_plan(&planned).unwrap());
    let due: Vec<String> = due_of(store, "quietly", at(0))
        .into_iter()
        .map(|m| m.address)
        .collect();
    assert_eq!(due, [addresses[0]], "skipped never, later not yet");
    let later = due_of(store, "quietly", at(8));
    assert_eq!(later.len(), 2);
    let waited = later.iter().find(|m| m.address == addresses[2]).unwrap();
    assert_eq!(waited.quiet.as_deref(), Some("22:00-07:00"));
    let rows = store.history(&only("quietly")).unwrap();
    assert_eq!(rows[1].status, Status::Skipped);
    assert_eq!(rows[1].answer.as_deref(), Some(OPTED_OUT));
    // A reader who opts out after the plan is skipped from `sending`.
    let claimed = store
        .claim(&["quietly".into()], at(0), 10, &worker())
        .unwrap();
    store
        .finish(&[(claimed[0].id, Step::Skipped(OPTED_OUT.into()))], at(0))
        .unwrap();
    // One held by quiet hours when claimed waits, untried, until they end.
    let claimed = store
        .claim(&["quietly".into()], at(8), 10, &worker())
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let held = Step::Wait { next_try: at(9) };
    store.finish(&[(claimed[0].id, held)], at(8)).unwrap();
    assert!(due_of(store, "quietly", at(8)).is_empty());
    let waited = due_of(store, "quietly", at(9));
    assert_eq!(
        (waited.len(), waited[0].attempts),
        (1, 0),
        "the attempt taken back"
    );
    let status = store.status().unwrap();
    let counted = status.iter().find(|s| s.bulletin == "quietly").unwrap();
    assert_eq!(
        (counted.skipped, counted.opted_out, counted.pending),
        (2, 2, 1)
    );
    assert_eq!(counted.slots[0].opted_out, 2);
}
